//! Starts `respite-ui` when a window is needed and makes sure it goes away afterwards.
//!
//! A few seconds before a scheduled break the overlay is started prepared (built and loaded,
//! hidden); it shows itself when the break starts, so it is on screen at once. A prepared
//! overlay whose break does not come exits by itself.
//!
//! Each child is watched by a thread that waits for it and reports its exit to the runtime. When
//! its break ends the child fades out and exits by itself; one that is still running
//! [`LINGER_LIMIT`] later is sent SIGTERM, so no WebKit process outlives a break.
//!
//! Other windows (settings, summary, welcome) are opened on request, one of each at a time: asking for
//! one that is already open starts no second one. They close when the user closes them, or when
//! the daemon stops.

use crate::runtime::Input;
use respite_core::protocol::WindowName;
use respite_core::settings::OverlayPrefs;
use respite_core::summary::Week;
use rustix::process::{kill_process, Pid, Signal};
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

/// Starting `respite-ui` failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {program}: {source}")]
pub struct LaunchError {
    program: String,
    source: std::io::Error,
}

#[derive(Debug)]
struct Child {
    pid: u32,
    /// `None` while prepared and waiting for its break.
    break_id: Option<u64>,
    /// Monotonic time after which the child is stopped.
    stop_at: Option<Duration>,
}

/// The `respite-ui` processes this daemon started.
#[derive(Debug)]
pub struct Launcher {
    program: PathBuf,
    prefs: OverlayPrefs,
    children: Vec<Child>,
    /// Open windows other than overlays, and their process ids.
    windows: Vec<(WindowName, u32)>,
    inputs: Sender<Input>,
}

impl Launcher {
    /// `RESPITE_UI_BIN`, else `respite-ui` beside this executable, else `respite-ui` on `PATH`.
    pub fn new(inputs: Sender<Input>, prefs: OverlayPrefs) -> Self {
        let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join("respite-ui")));
        let program = std::env::var_os("RESPITE_UI_BIN")
            .map(PathBuf::from)
            .or_else(|| beside.filter(|p| p.exists()))
            .unwrap_or_else(|| PathBuf::from("respite-ui"));
        Self { program, prefs, children: Vec::new(), windows: Vec::new(), inputs }
    }

    /// New overlay settings (a reload): overlays started from now on use them.
    pub fn set_prefs(&mut self, prefs: OverlayPrefs) {
        self.prefs = prefs;
    }

    /// Opens `respite-ui <window>` (the summary on `week`, if given) unless that window is
    /// already open; returns whether it started one.
    pub fn open_window(&mut self, window: WindowName, week: Option<Week>) -> Result<bool, LaunchError> {
        if let Some((_, pid)) = self.windows.iter().find(|(name, _)| *name == window) {
            tracing::info!(pid, window = window.as_str(), "window already open");
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
        let pid = child.id();
        tracing::info!(pid, window = window.as_str(), "window opened");
        self.watch(child);
        self.windows.push((window, pid));
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

    /// Starts an overlay ahead of the next break, unless one is already waiting.
    pub fn prepare(&mut self) -> Result<(), LaunchError> {
        if self.is_prepared() {
            return Ok(());
        }
        self.spawn(None)
    }

    /// Whether a prepared overlay is waiting for its break.
    pub fn is_prepared(&self) -> bool {
        self.children.iter().any(|c| c.break_id.is_none())
    }

    /// Shows the overlay for break `break_id`: the prepared one if there is one, else a new one.
    pub fn show_overlay(&mut self, break_id: u64) -> Result<(), LaunchError> {
        if let Some(prepared) = self.children.iter_mut().find(|c| c.break_id.is_none()) {
            prepared.break_id = Some(break_id);
            tracing::info!(pid = prepared.pid, break_id, "prepared overlay takes the break");
            return Ok(());
        }
        self.spawn(Some(break_id))
    }

    fn spawn(&mut self, break_id: Option<u64>) -> Result<(), LaunchError> {
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
        let pid = child.id();
        tracing::info!(pid, ?break_id, "overlay started");
        self.watch(child);
        self.children.push(Child { pid, break_id, stop_at: None });
        Ok(())
    }

    /// Break `break_id` is over: its window must be gone within [`LINGER_LIMIT`].
    pub fn break_ended(&mut self, break_id: u64, now: Duration) {
        for child in self.children.iter_mut().filter(|c| c.break_id == Some(break_id)) {
            child.stop_at = Some(now + LINGER_LIMIT);
        }
    }

    /// A child exited (reported by its waiter thread).
    pub fn exited(&mut self, pid: u32) {
        self.children.retain(|c| c.pid != pid);
        self.windows.retain(|(_, p)| *p != pid);
    }

    /// When [`Launcher::enforce`] next has something to do.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.children.iter().filter_map(|c| c.stop_at).min()
    }

    /// Stops children that outstayed their break.
    pub fn enforce(&mut self, now: Duration) {
        for child in self.children.iter_mut().filter(|c| c.stop_at.is_some_and(|t| t <= now)) {
            tracing::warn!(pid = child.pid, "respite-ui still running after its break; stopping it");
            terminate(child.pid);
            child.stop_at = None;
        }
    }

    /// Stops every child and waits (briefly) until they are gone.
    pub fn shutdown(&mut self, exits: &std::sync::mpsc::Receiver<Input>) {
        for child in &self.children {
            terminate(child.pid);
        }
        for (_, pid) in &self.windows {
            terminate(*pid);
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(3);
        while !self.children.is_empty() || !self.windows.is_empty() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match exits.recv_timeout(left) {
                Ok(Input::UiExited { pid }) => self.exited(pid),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        for pid in self.children.iter().map(|c| c.pid).chain(self.windows.iter().map(|(_, pid)| *pid)) {
            tracing::warn!(pid, "respite-ui did not stop in time");
        }
    }
}

fn terminate(pid: u32) {
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else { return };
    if let Err(e) = kill_process(pid, Signal::TERM) {
        tracing::debug!("cannot signal respite-ui {pid:?}: {e}");
    }
}
