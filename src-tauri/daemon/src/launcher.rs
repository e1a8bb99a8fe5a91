//! Starts `respite-ui` when a window is needed and makes sure it goes away afterwards.
//!
//! A few seconds before a scheduled break the overlay is started prepared (built and loaded,
//! hidden); it shows itself when the break starts, so it is on screen at once. A prepared
//! overlay whose break does not come exits by itself.
//!
//! Each child is watched by a thread that waits for it and reports its exit to the runtime. When
//! its break ends the child fades out and exits by itself; one that is still running
//! [`LINGER_LIMIT`] later is sent SIGTERM, and SIGKILL [`KILL_GRACE`] after that, so no WebKit
//! process outlives a break. A prepared overlay that hangs (its break never taken, and its own
//! minute's wait never ending) is stopped the same way [`PREPARED_LIMIT`] after it started.
//! Children are signalled through a pidfd opened as they start, so a pid that was reused after
//! a child exited is never signalled.
//!
//! Other windows (settings, summary, welcome) are opened on request, one of each at a time: asking for
//! one that is already open starts no second one. They close when the user closes them, or when
//! the daemon stops.

use crate::input::Input;
use respite_core::protocol::WindowName;
use respite_core::settings::OverlayPrefs;
use respite_core::calendar::Week;
use rustix::process::{kill_process, Pid, Signal};
#[cfg(target_os = "linux")]
use rustix::process::{pidfd_open, pidfd_send_signal, PidfdFlags};
#[cfg(target_os = "linux")]
use std::os::fd::OwnedFd;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

/// How long a window may stay after its break ended (the fade-out takes about a second).
pub const LINGER_LIMIT: Duration = Duration::from_secs(8);
/// How long before a scheduled break its overlay is prepared.
pub const PREPARE_LEAD: Duration = Duration::from_secs(4);
/// How long a prepared overlay may wait for its break (it gives up by itself after a minute).
pub const PREPARED_LIMIT: Duration = Duration::from_secs(90);
/// How long a child has to exit after SIGTERM before it gets SIGKILL.
pub const KILL_GRACE: Duration = Duration::from_secs(3);

/// Starting `respite-ui` failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {program}: {source}")]
pub struct LaunchError {
    program: String,
    source: std::io::Error,
}

/// A started `respite-ui`, signalled through its pidfd when the kernel offers one (Linux 5.3
/// and later), else by pid.
#[derive(Debug)]
struct Process {
    pid: u32,
    #[cfg(target_os = "linux")]
    pidfd: Option<OwnedFd>,
}

impl Process {
    /// Call before the child can be reaped (before its waiter thread starts).
    #[cfg(not(target_os = "linux"))]
    fn of(child: &std::process::Child) -> Self {
        Self { pid: child.id() }
    }

    /// Call before the child can be reaped (before its waiter thread starts).
    #[cfg(target_os = "linux")]
    fn of(child: &std::process::Child) -> Self {
        let pid = child.id();
        let pidfd = i32::try_from(pid).ok().and_then(Pid::from_raw).and_then(|p| match pidfd_open(p, PidfdFlags::empty()) {
            Ok(fd) => Some(fd),
            Err(e) => {
                tracing::debug!("no pidfd for respite-ui {pid} ({e}); signalling it by pid");
                None
            }
        });
        Self { pid, pidfd }
    }

    fn signal(&self, signal: Signal) {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.pidfd {
            if let Err(e) = pidfd_send_signal(fd, signal) {
                tracing::debug!("cannot signal respite-ui {}: {e}", self.pid);
            }
            return;
        }
        let sent = match i32::try_from(self.pid).ok().and_then(Pid::from_raw) {
            Some(pid) => kill_process(pid, signal),
            None => return,
        };
        if let Err(e) = sent {
            tracing::debug!("cannot signal respite-ui {}: {e}", self.pid);
        }
    }
}

#[derive(Debug)]
struct Child {
    process: Process,
    /// `None` while prepared and waiting for its break.
    break_id: Option<u64>,
    /// Monotonic time after which the child is stopped (SIGTERM, then SIGKILL).
    stop_at: Option<Duration>,
    /// SIGTERM was sent: the next step is SIGKILL.
    terminated: bool,
}

/// The `respite-ui` processes this daemon started.
#[derive(Debug)]
pub struct Launcher {
    program: PathBuf,
    prefs: OverlayPrefs,
    children: Vec<Child>,
    /// Open windows other than overlays, and their processes.
    windows: Vec<(WindowName, Process)>,
    inputs: Sender<Input>,
}

impl Launcher {
    /// `program` (`RESPITE_UI_BIN`, from [`crate::overrides`]) if given, else `respite-ui`
    /// beside this executable, else `respite-ui` on `PATH`.
    pub fn new(inputs: Sender<Input>, prefs: OverlayPrefs, program: Option<PathBuf>) -> Self {
        let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join("respite-ui")));
        let program = program.or_else(|| beside.filter(|p| p.exists())).unwrap_or_else(|| PathBuf::from("respite-ui"));
        Self::with_program(program, inputs, prefs)
    }

    /// A launcher that starts `program` (tests use a stand-in).
    fn with_program(program: PathBuf, inputs: Sender<Input>, prefs: OverlayPrefs) -> Self {
        Self { program, prefs, children: Vec::new(), windows: Vec::new(), inputs }
    }

    /// New overlay settings (a reload): overlays started from now on use them.
    pub fn set_prefs(&mut self, prefs: OverlayPrefs) {
        self.prefs = prefs;
    }

    /// Opens `respite-ui <window>` (the summary on `week`, if given) unless that window is
    /// already open; returns whether it started one.
    pub fn open_window(&mut self, window: WindowName, week: Option<Week>) -> Result<bool, LaunchError> {
        if let Some((_, process)) = self.windows.iter().find(|(name, _)| *name == window) {
            tracing::info!(pid = process.pid, window = window.as_str(), "window already open");
            return Ok(false);
        }
        let mut command = Command::new(&self.program);
        command.arg(window.as_str());
        if let (WindowName::Summary, Some(week)) = (window, week) {
            command.args(["--week", &week.to_string()]);
        }
        let child = command
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| LaunchError { program: self.program.display().to_string(), source })?;
        let process = Process::of(&child);
        tracing::info!(pid = process.pid, window = window.as_str(), "window opened");
        self.watch(child);
        self.windows.push((window, process));
        Ok(true)
    }

    /// Reports the exit of `child` to the runtime, from a thread that waits for it; what the
    /// child writes to standard error goes into the daemon's log, from a second thread (WebKit's
    /// helper processes share that pipe and may close it later than the child exits).
    fn watch(&self, mut child: std::process::Child) {
        let pid = child.id();
        if let Some(stderr) = child.stderr.take() {
            let reader = thread::Builder::new().name(format!("ui-log-{pid}")).spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    tracing::info!(target: "respite_ui", pid, "{line}");
                }
            });
            if let Err(e) = reader {
                tracing::warn!("cannot read the output of respite-ui {pid}: {e}");
            }
        }
        let inputs = self.inputs.clone();
        let waiter = thread::Builder::new().name(format!("ui-{pid}")).spawn(move || {
            let status = child.wait();
            tracing::info!(pid, ?status, "respite-ui exited");
            let _ = inputs.send(Input::UiExited { pid });
        });
        if let Err(e) = waiter {
            tracing::warn!("cannot watch respite-ui {pid}: {e}");
        }
    }

    /// Starts an overlay ahead of the next break, unless one is already waiting. `now`: the
    /// monotonic time, from which it gets [`PREPARED_LIMIT`].
    pub fn prepare(&mut self, now: Duration) -> Result<(), LaunchError> {
        if self.is_prepared() {
            return Ok(());
        }
        self.spawn(None, Some(now.saturating_add(PREPARED_LIMIT)))
    }

    /// Whether a prepared overlay is waiting for its break.
    pub fn is_prepared(&self) -> bool {
        self.children.iter().any(|c| c.break_id.is_none())
    }

    /// Shows the overlay for break `break_id`: the prepared one if there is one, else a new one.
    pub fn show_overlay(&mut self, break_id: u64) -> Result<(), LaunchError> {
        if let Some(prepared) = self.children.iter_mut().find(|c| c.break_id.is_none()) {
            prepared.break_id = Some(break_id);
            // Its break's end sets its deadline now.
            prepared.stop_at = None;
            prepared.terminated = false;
            tracing::info!(pid = prepared.process.pid, break_id, "prepared overlay takes the break");
            return Ok(());
        }
        self.spawn(Some(break_id), None)
    }

    fn spawn(&mut self, break_id: Option<u64>, stop_at: Option<Duration>) -> Result<(), LaunchError> {
        let mut command = Command::new(&self.program);
        command.arg("overlay");
        match break_id {
            Some(id) => command.args(["--break-id", &id.to_string()]),
            None => command.arg("--prepare"),
        };
        let child = command
            .args(["--monitors", self.prefs.monitors.as_str()])
            .args(["--fade-ms", &self.prefs.fade.as_millis().to_string()])
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| LaunchError { program: self.program.display().to_string(), source })?;
        let process = Process::of(&child);
        tracing::info!(pid = process.pid, ?break_id, "overlay started");
        self.watch(child);
        self.children.push(Child { process, break_id, stop_at, terminated: false });
        Ok(())
    }

    /// Break `break_id` is over: its window must be gone within [`LINGER_LIMIT`].
    pub fn break_ended(&mut self, break_id: u64, now: Duration) {
        for child in self.children.iter_mut().filter(|c| c.break_id == Some(break_id)) {
            child.stop_at = Some(now.saturating_add(LINGER_LIMIT));
        }
    }

    /// A child exited (reported by its waiter thread); returns the break it was the overlay of,
    /// if it was one that had its break.
    pub fn exited(&mut self, pid: u32) -> Option<u64> {
        let break_id = self.children.iter().find(|c| c.process.pid == pid).and_then(|c| c.break_id);
        self.children.retain(|c| c.process.pid != pid);
        self.windows.retain(|(_, p)| p.pid != pid);
        break_id
    }

    /// When [`Launcher::enforce`] next has something to do.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.children.iter().filter_map(|c| c.stop_at).min()
    }

    /// Stops children that outstayed their break (or, prepared, their wait): SIGTERM, then
    /// SIGKILL [`KILL_GRACE`] later if they are still there.
    pub fn enforce(&mut self, now: Duration) {
        for child in self.children.iter_mut().filter(|c| c.stop_at.is_some_and(|t| t <= now)) {
            if child.terminated {
                tracing::warn!(pid = child.process.pid, "respite-ui did not stop; killing it");
                child.process.signal(Signal::KILL);
                child.stop_at = None;
            } else {
                let why = if child.break_id.is_some() { "after its break" } else { "waiting for a break that never came" };
                tracing::warn!(pid = child.process.pid, "respite-ui still running {why}; stopping it");
                child.process.signal(Signal::TERM);
                child.terminated = true;
                child.stop_at = Some(now.saturating_add(KILL_GRACE));
            }
        }
    }

    fn processes(&self) -> impl Iterator<Item = &Process> {
        self.children.iter().map(|c| &c.process).chain(self.windows.iter().map(|(_, p)| p))
    }

    /// Stops every child and waits (briefly) until they are gone: SIGTERM, then SIGKILL for
    /// those still there after [`KILL_GRACE`].
    pub fn shutdown(&mut self, exits: &std::sync::mpsc::Receiver<Input>) {
        for signal in [Signal::TERM, Signal::KILL] {
            for process in self.processes() {
                if signal == Signal::KILL {
                    tracing::warn!(pid = process.pid, "respite-ui did not stop in time; killing it");
                }
                process.signal(signal);
            }
            let deadline = std::time::Instant::now() + KILL_GRACE;
            while !self.children.is_empty() || !self.windows.is_empty() {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                match exits.recv_timeout(left) {
                    Ok(Input::UiExited { pid }) => {
                        self.exited(pid);
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use respite_core::settings::Settings;
    use std::sync::mpsc;

    /// A `respite-ui` that hangs: it ignores SIGTERM and never exits by itself.
    fn stubborn(dir: &std::path::Path) -> PathBuf {
        use std::os::unix::fs::PermissionsExt as _;
        let program = dir.join("hung-respite-ui");
        std::fs::write(&program, "#!/bin/sh\ntrap '' TERM\n: > \"$0.ready\"\nwhile :; do sleep 1; done\n").unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        program
    }

    fn exit_of(exits: &mpsc::Receiver<Input>) -> Option<u32> {
        match exits.recv_timeout(Duration::from_secs(10)) {
            Ok(Input::UiExited { pid }) => Some(pid),
            _ => None,
        }
    }

    #[test]
    fn a_hung_prepared_overlay_gets_sigterm_then_sigkill() {
        let dir = tempfile::tempdir().unwrap();
        let (inputs, exits) = mpsc::channel();
        let mut launcher = Launcher::with_program(stubborn(dir.path()), inputs, Settings::default().overlay);
        let start = Duration::from_secs(1000);
        launcher.prepare(start).unwrap();
        assert!(launcher.is_prepared());
        let pid = launcher.children[0].process.pid;
        let ready = dir.path().join("hung-respite-ui.ready");
        while !ready.exists() {
            std::thread::sleep(Duration::from_millis(10)); // until it ignores SIGTERM
        }
        assert_eq!(launcher.next_deadline(), Some(start + PREPARED_LIMIT), "a prepared overlay has a deadline");
        launcher.enforce(start + PREPARED_LIMIT);
        assert_eq!(launcher.next_deadline(), Some(start + PREPARED_LIMIT + KILL_GRACE), "SIGTERM sent; SIGKILL next");
        assert!(exits.recv_timeout(Duration::from_millis(300)).is_err(), "it ignores SIGTERM");
        launcher.enforce(start + PREPARED_LIMIT + KILL_GRACE);
        assert_eq!(exit_of(&exits), Some(pid), "SIGKILL ends it");
        launcher.exited(pid);
        assert!(!launcher.is_prepared());
    }

    #[test]
    fn a_prepared_overlay_that_takes_its_break_waits_for_the_break_s_end() {
        let dir = tempfile::tempdir().unwrap();
        let (inputs, exits) = mpsc::channel();
        let mut launcher = Launcher::with_program(stubborn(dir.path()), inputs, Settings::default().overlay);
        launcher.prepare(Duration::ZERO).unwrap();
        launcher.show_overlay(7).unwrap();
        assert_eq!(launcher.next_deadline(), None, "no deadline while its break runs");
        launcher.break_ended(7, Duration::from_secs(500));
        assert_eq!(launcher.next_deadline(), Some(Duration::from_secs(500) + LINGER_LIMIT));
        launcher.shutdown(&exits);
        assert!(launcher.children.is_empty(), "shutdown escalates to SIGKILL");
    }
}
