//! Shared helpers for the end-to-end tests: a private X display (Xvfb) and D-Bus session,
//! temporary config/data/runtime folders, the real built binaries, and process inspection.
//!
//! The binaries are the workspace's own `target/<profile>/respite` and `respite-ui`; build them
//! first (`cargo build --workspace`, which the README's test command does).
//!
//! [`webdriver`]: tauri-driver and a small WebDriver client, for tests of the real WebViews.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

pub mod webdriver;

/// Path of a workspace binary next to this test's build profile.
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/e2e-xxxx → target/<profile>/<name>
    let path = exe.parent().and_then(Path::parent).expect("target profile folder").join(name);
    assert!(path.exists(), "{} is missing: build the workspace first (cargo build --workspace)", path.display());
    path
}

/// Skips `test` with a notice on the terminal, or fails it in CI, where everything must run.
pub fn skip_or_fail(test: &str, why: &str) {
    assert!(std::env::var_os("CI").is_none(), "{test}: {why} (CI is set: every test must run there)");
    // Written to the real stderr, not through eprintln!: the harness captures that for passing tests.
    use std::io::Write as _;
    let notice = format!("\n!!!!! SKIPPED {test}: {why}\n\n");
    let _ = std::io::stderr().lock().write_all(notice.as_bytes());
}

/// Polls `check` every 50 ms until it returns `Some`, or panics after `limit` with `what`.
pub fn wait_for<T>(limit: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(start.elapsed() < limit, "timed out after {limit:?} waiting for {what}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// A child process killed when dropped.
struct Guarded(Child);

impl Drop for Guarded {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Which display a session has.
enum Screen {
    None,
    Xvfb,
    TwoMonitors,
}

/// An isolated desktop session: temporary folders, optionally an X display, a D-Bus session.
pub struct Session {
    pub root: tempfile::TempDir,
    display: Option<String>,
    dbus_address: String,
    helpers: Vec<Guarded>,
}

impl Session {
    /// Folders and a D-Bus session, no display (the daemon runs without a tray).
    pub fn headless() -> Self {
        Self::new(Screen::None)
    }

    /// Folders, a D-Bus session and a 1280x800 Xvfb display.
    pub fn with_display() -> Self {
        Self::new(Screen::Xvfb)
    }

    /// Folders, a D-Bus session and an Xorg (dummy driver) display with two side-by-side
    /// monitors that GTK sees: 1920x1080 at 0,0 and 1280x1024 at 1920,0. Needs root (Xorg).
    pub fn with_two_monitors() -> Self {
        Self::new(Screen::TwoMonitors)
    }

    fn new(screen: Screen) -> Self {
        let root = tempfile::tempdir().expect("temporary folder");
        for dir in ["config", "data", "runtime"] {
            fs::create_dir_all(root.path().join(dir)).expect("session folder");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(root.path().join("runtime"), fs::Permissions::from_mode(0o700)).expect("chmod");
        }
        // A settings file: the daemon's first start (defaults, launch at login, welcome window) is
        // what `forget_settings` sets up, for the tests of that start.
        fs::write(root.path().join("config/settings.toml"), "# An end-to-end test's session: not a first start.\n").expect("settings file");
        let mut helpers = Vec::new();
        let display = match screen {
            Screen::None => None,
            Screen::Xvfb => {
                let (name, xvfb) = start_xvfb();
                helpers.push(Guarded(xvfb));
                Some(name)
            }
            Screen::TwoMonitors => {
                let (name, xorg) = start_two_monitors();
                helpers.push(Guarded(xorg));
                Some(name)
            }
        };
        let (dbus_address, dbus) = start_dbus();
        helpers.push(Guarded(dbus));
        Self { root, display, dbus_address, helpers }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.root.path().join("config")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    pub fn runtime_dir(&self) -> PathBuf {
        self.root.path().join("runtime")
    }

    /// Removes the settings file, so the daemon's next start is a first start.
    pub fn forget_settings(&self) {
        fs::remove_file(self.config_dir().join("settings.toml")).expect("remove the settings file");
    }

    pub fn write_settings(&self, text: &str) {
        fs::write(self.config_dir().join("settings.toml"), text).expect("write settings");
    }

    /// A command for `program` with this session's environment.
    pub fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.path())
            .env("RESPITE_CONFIG_DIR", self.config_dir())
            .env("RESPITE_DATA_DIR", self.data_dir())
            .env("XDG_RUNTIME_DIR", self.runtime_dir())
            .env("DBUS_SESSION_BUS_ADDRESS", &self.dbus_address)
            .env("RUST_LOG", "info")
            // Nobody types on a test display: without this the person would count as away and
            // no break would come. Tests of idle and do not disturb set it to "on".
            .env("RESPITE_SENSES", "off")
            .env("LANG", "C.UTF-8");
        if let Some(display) = &self.display {
            cmd.env("DISPLAY", display);
        }
        cmd
    }

    /// Starts the daemon; its log is appended to `daemon.log` in the session folder.
    pub fn spawn_daemon(&self) -> Child {
        self.spawn_daemon_with(&[])
    }

    /// Starts the daemon with extra environment variables.
    pub fn spawn_daemon_with(&self, env: &[(&str, &str)]) -> Child {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.root.path().join("daemon.log"))
            .expect("daemon log");
        self.command(&bin("respite"))
            .envs(env.iter().copied())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .expect("start the daemon")
    }

    /// [`wait_for`], but a timeout also prints the daemon's log.
    pub fn wait_for<T>(&self, limit: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = check() {
                return value;
            }
            assert!(start.elapsed() < limit, "timed out after {limit:?} waiting for {what}\n--- daemon log ---\n{}", self.daemon_log());
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn daemon_log(&self) -> String {
        fs::read_to_string(self.root.path().join("daemon.log")).unwrap_or_default()
    }

    /// Runs `respite <args>` and returns its output.
    pub fn respite(&self, args: &[&str]) -> Output {
        self.command(&bin("respite")).args(args).output().expect("run respite")
    }

    /// `respite quit`, which must succeed; a failure shows what quit said and the daemon's log.
    pub fn quit(&self) {
        let out = self.respite(&["quit"]);
        assert!(
            out.status.success(),
            "respite quit failed ({}): {}{}\n--- daemon log ---\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.daemon_log()
        );
    }

    /// `respite status --json`, parsed, or `None` while the daemon does not answer.
    pub fn status(&self) -> Option<serde_json::Value> {
        let out = self.respite(&["status", "--json"]);
        out.status.success().then(|| serde_json::from_slice(&out.stdout).expect("status is JSON"))
    }

    /// `respite export --format json`, parsed.
    pub fn export(&self) -> Vec<serde_json::Value> {
        let out = self.respite(&["export", "--format", "json"]);
        assert!(out.status.success(), "export failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("export is JSON")
    }

    /// Runs an X client (xdotool, xwininfo) on this session's display.
    pub fn x(&self, program: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new(program);
        cmd.args(args).env("DISPLAY", self.display.as_deref().expect("session has a display"));
        cmd.output().unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
    }

    /// Starts recording the desktop notifications sent on this session's bus (`dbus-monitor`),
    /// and waits until the recorder is listening.
    pub fn record_notifications(&mut self) -> PathBuf {
        let path = self.root.path().join("notifications.log");
        let out = fs::File::create(&path).expect("notification log");
        let child = Command::new("dbus-monitor")
            .args(["--address", &self.dbus_address, "interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor must be installed (dbus-bin: the README's test command installs it)");
        self.helpers.push(Guarded(child));
        wait_for(Duration::from_secs(10), "dbus-monitor to listen", || {
            fs::read_to_string(&path).ok().filter(|t| t.contains("NameAcquired") || t.contains("NameLost")).map(drop)
        });
        path
    }

    /// Live (not zombie) processes started with this session's data folder in their environment.
    pub fn live_processes(&self) -> Vec<String> {
        let marker = format!("RESPITE_DATA_DIR={}", self.data_dir().display());
        let mut found = Vec::new();
        for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
            let dir = entry.path();
            let Ok(environ) = fs::read(dir.join("environ")) else { continue };
            if !environ.split(|b| *b == 0).any(|var| var == marker.as_bytes()) {
                continue;
            }
            let stat = fs::read_to_string(dir.join("stat")).unwrap_or_default();
            let state = stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().next()).unwrap_or("?");
            if state != "Z" && state != "X" {
                found.push(stat.split(')').next().unwrap_or("").to_owned() + ")");
            }
        }
        found
    }
}

/// A display number with no server on it.
fn free_display(base: u32) -> u32 {
    (base..base + 200)
        .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists() && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
        .expect("a free display number")
}

fn start_two_monitors() -> (String, Child) {
    let n = free_display(500 + std::process::id() % 200);
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("support/xorg-dummy.conf");
    let log = std::env::temp_dir().join(format!("respite-xorg-{n}.log"));
    let mut child = Command::new("Xorg")
        .arg(format!(":{n}"))
        .arg("-config")
        .arg(&config)
        .args(["-noreset", "-nolisten", "tcp", "-logfile"])
        .arg(&log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xorg must be installed (xserver-xorg-core, xserver-xorg-video-dummy: the README's test command installs them)");
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
    let started = Instant::now();
    while !socket.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("Xorg exited ({status}); see {}", log.display());
        }
        assert!(started.elapsed() < Duration::from_secs(15), "Xorg did not start; see {}", log.display());
        thread::sleep(Duration::from_millis(50));
    }
    let display = format!(":{n}");
    let xrandr = |args: &[&str]| {
        let ok = Command::new("xrandr")
            .args(args)
            .env("DISPLAY", &display)
            .stdout(Stdio::null())
            .status()
            .expect("xrandr (x11-xserver-utils)");
        assert!(ok.success(), "xrandr {args:?} failed");
    };
    xrandr(&["--newmode", "1280x1024_60", "108.00", "1280", "1328", "1440", "1688", "1024", "1025", "1028", "1066", "+hsync", "+vsync"]);
    xrandr(&["--addmode", "DUMMY1", "1280x1024_60"]);
    xrandr(&["--output", "DUMMY1", "--mode", "1280x1024_60", "--right-of", "DUMMY0"]);
    // One full query makes the server re-read its outputs; until then clients that ask for the
    // current layout without polling (GDK) still see one monitor.
    xrandr(&["--query"]);
    (display, child)
}

/// Starts Xvfb on a display it picks itself (`-displayfd`: it takes the display's lock file
/// atomically and writes the number once it accepts clients). Choosing the number here raced:
/// two sessions starting at once could pick the same display, one Xvfb then failed, and both
/// sessions used the other, so ending one session took the other's display (and daemon) down.
fn start_xvfb() -> (String, Child) {
    let mut child = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb must be installed (the README's test command installs it)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("Xvfb stdout")).read_line(&mut line).expect("Xvfb's display number");
    match line.trim().parse::<u32>() {
        Ok(n) => (format!(":{n}"), child),
        Err(_) => {
            let status = child.kill().and_then(|()| child.wait());
            panic!("Xvfb did not start (it said {line:?}; {status:?})");
        }
    }
}

fn start_dbus() -> (String, Child) {
    let mut child = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon must be installed (the README's test command installs it)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("dbus stdout")).read_line(&mut line).expect("dbus address");
    (line.trim().to_owned(), child)
}
