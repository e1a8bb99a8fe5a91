//! Shared helpers for the end-to-end tests: a private display (Xvfb, Xorg with two monitors, or a
//! headless Wayland compositor: sway or mutter) and D-Bus session, temporary config/data/runtime
//! folders, the real built binaries, and process inspection.
//!
//! Wayland compositors refuse to run as root, so a Wayland session runs the compositor, its D-Bus
//! session and every program the test starts as an unprivileged account ([`TEST_USER`], created
//! on first use), in folders that account owns.
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

/// A process a test started, killed (and reaped) when dropped, so none outlives its test.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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
    Wayland(Compositor),
}

/// A headless Wayland compositor, with two outputs: 1920x1080 at 0,0 and 1280x1024 at 1920,0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compositor {
    /// sway (wlroots): offers wlr-layer-shell; outputs HEADLESS-1 and HEADLESS-2, on a solid
    /// [`SWAY_BACKGROUND`] desktop.
    Sway,
    /// GNOME's mutter: no layer-shell; two virtual monitors.
    Mutter,
}

/// The desktop colour of a sway session: easy to find in a screenshot.
pub const SWAY_BACKGROUND: [u8; 3] = [255, 0, 255];

/// The unprivileged account Wayland sessions run as.
pub const TEST_USER: &str = "respite-e2e";

/// A user id and group id.
#[derive(Clone, Copy, Debug)]
struct Account {
    uid: u32,
    gid: u32,
}

/// An isolated desktop session: temporary folders, optionally an X display, a D-Bus session.
pub struct Session {
    pub root: tempfile::TempDir,
    display: Option<String>,
    /// The Wayland socket's name, in the runtime folder.
    wayland: Option<String>,
    /// Who runs the session's programs, when not this process's user.
    account: Option<Account>,
    compositor: Option<Compositor>,
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

    /// Folders, a D-Bus session and a headless Wayland `compositor` with two outputs, all run as
    /// [`TEST_USER`]. Needs root (to create and become that account); `None` (after
    /// [`skip_or_fail`]) when the compositor is not installed.
    pub fn with_wayland(compositor: Compositor) -> Option<Self> {
        let program = match compositor {
            Compositor::Sway => "sway",
            Compositor::Mutter => "mutter",
        };
        if !on_path(program) {
            skip_or_fail(&format!("{compositor:?} session"), &format!("{program} is not installed (the README's test command installs it)"));
            return None;
        }
        if !rustix::process::geteuid().is_root() {
            skip_or_fail(&format!("{compositor:?} session"), "Wayland sessions need root, to run the compositor as an unprivileged account");
            return None;
        }
        Some(Self::new(Screen::Wayland(compositor)))
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
        let account = matches!(screen, Screen::Wayland(_)).then(|| {
            let account = test_account();
            for path in ["", "config", "data", "runtime", "config/settings.toml"] {
                give(&root.path().join(path), account);
            }
            account
        });
        let (dbus_address, dbus) = start_dbus(account);
        helpers.push(Guarded(dbus));
        let mut wayland = None;
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
            Screen::Wayland(compositor) => {
                let account = account.expect("a Wayland session has its account");
                let (name, child) = start_compositor(compositor, root.path(), account, &dbus_address);
                helpers.push(Guarded(child));
                wayland = Some(name);
                None
            }
        };
        let compositor = match screen {
            Screen::Wayland(compositor) => Some(compositor),
            _ => None,
        };
        let mut session = Self { root, display, wayland, account, compositor, dbus_address, helpers };
        if compositor == Some(Compositor::Mutter) {
            // Screenshots of mutter come through its screen cast, into PipeWire; WirePlumber
            // links the grabber to the stream.
            for program in ["pipewire", "wireplumber"] {
                let child = session
                    .command(Path::new(program))
                    // Not one of Respite's processes (`live_processes`).
                    .env_remove("RESPITE_DATA_DIR")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap_or_else(|e| panic!("cannot start {program} (the README's test command installs it): {e}"));
                session.helpers.push(Guarded(child));
            }
        }
        session
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
        let path = self.config_dir().join("settings.toml");
        fs::write(&path, text).expect("write settings");
        if let Some(account) = self.account {
            give(&path, account);
        }
    }

    /// Starts a stand-in D-Bus service on this session's bus: `script`, Python with GIO, run by
    /// `/usr/bin/python3` with the path of a file it writes what it was asked (named `log` in
    /// the session's folder); returns once the script has written `<log>.ready` (its name is
    /// owned). `None`, after [`skip_or_fail`] for `test`, where python3-gi is not installed.
    pub fn python_stand_in(&self, test: &str, log: &str, script: &str) -> Option<(Running, PathBuf)> {
        if !Path::new("/usr/bin/python3").exists() || !Path::new("/usr/lib/python3/dist-packages/gi").exists() {
            skip_or_fail(test, "python3-gi is not installed (scripts/install-deps test)");
            return None;
        }
        let file = self.root.path().join(format!("{log}.py"));
        fs::write(&file, script).expect("the stand-in's script");
        let log = self.root.path().join(log);
        let running = Running(self.command(Path::new("/usr/bin/python3")).arg(&file).arg(&log).stdout(Stdio::null()).spawn().expect("python3"));
        let ready = PathBuf::from(format!("{}.ready", log.display()));
        wait_for(Duration::from_secs(10), "the stand-in on the bus", || ready.exists().then_some(()));
        Some((running, log))
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
        if let Some(wayland) = &self.wayland {
            cmd.env("WAYLAND_DISPLAY", wayland).env("XDG_SESSION_TYPE", "wayland");
        }
        if let Some(account) = self.account {
            use std::os::unix::process::CommandExt as _;
            cmd.uid(account.uid).gid(account.gid).env("USER", TEST_USER).env("LOGNAME", TEST_USER);
        }
        cmd
    }

    /// Runs a Wayland client (grim, wtype, swaymsg) in this session, as its account.
    pub fn wayland_client(&self, program: &str, args: &[&str]) -> Output {
        assert!(self.wayland.is_some(), "{program}: this session has no Wayland compositor");
        let mut cmd = self.command(Path::new(program));
        if program == "swaymsg" {
            let socket = fs::read_dir(self.runtime_dir())
                .expect("runtime folder")
                .flatten()
                .map(|e| e.path())
                .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("sway-ipc.")))
                .expect("sway's IPC socket");
            cmd.env("SWAYSOCK", socket);
        }
        cmd.args(args).output().unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
    }

    /// A screenshot of one output of this session's compositor, decoded: (width, height, RGB
    /// bytes). sway: `grim -o HEADLESS-n`; mutter: its screen cast of `Meta-n` through PipeWire
    /// (`support/mutter-screenshot.py`), which may fail while PipeWire is still starting.
    pub fn screenshot(&self, output: &str) -> Result<(u32, u32, Vec<u8>), String> {
        let png = match self.compositor {
            Some(Compositor::Sway) => {
                let out = self.wayland_client("grim", &["-t", "png", "-o", output, "-"]);
                if !out.status.success() {
                    return Err(format!("grim -o {output} failed: {}", String::from_utf8_lossy(&out.stderr)));
                }
                out.stdout
            }
            Some(Compositor::Mutter) => {
                let file = self.runtime_dir().join(format!("screenshot-{output}.png"));
                let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("support/mutter-screenshot.py");
                let out = self.command(Path::new("/usr/bin/python3")).arg(&script).arg(output).arg(&file).output().map_err(|e| format!("python3: {e}"))?;
                if !out.status.success() {
                    return Err(format!("mutter-screenshot.py {output} failed: {}", String::from_utf8_lossy(&out.stderr)));
                }
                let png = fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                let _ = fs::remove_file(&file);
                png
            }
            None => panic!("screenshot: this session has no Wayland compositor"),
        };
        let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().map_err(|e| format!("not a PNG: {e}"))?;
        let mut pixels = vec![0; reader.output_buffer_size().expect("PNG size")];
        let info = reader.next_frame(&mut pixels).map_err(|e| format!("PNG frame: {e}"))?;
        let channels = info.color_type.samples();
        let rgb = pixels[..info.buffer_size()].chunks(channels).flat_map(|p| [p[0], p[1], p[2]]).collect();
        Ok((info.width, info.height, rgb))
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

    /// Runs `respite <args>` with extra environment variables (a language) and returns its output.
    pub fn respite_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(&bin("respite")).args(args).envs(env.iter().copied()).output().expect("run respite")
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

fn start_dbus(account: Option<Account>) -> (String, Child) {
    let mut command = Command::new("dbus-daemon");
    if let Some(account) = account {
        use std::os::unix::process::CommandExt as _;
        command.uid(account.uid).gid(account.gid);
    }
    let mut child = command
        .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon must be installed (the README's test command installs it)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("dbus stdout")).read_line(&mut line).expect("dbus address");
    (line.trim().to_owned(), child)
}

/// Whether `program` is on `PATH`.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// [`TEST_USER`]'s ids, creating the account on first use (tests running at once may race to
/// create it: whoever loses finds it made).
fn test_account() -> Account {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, TEST_USER]).stderr(Stdio::null()).output().ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    if id("-u").is_none() {
        let _ = Command::new("useradd")
            .args(["--create-home", "--shell", "/usr/sbin/nologin", TEST_USER])
            .stderr(Stdio::null())
            .status()
            .expect("useradd (passwd: the README's test command installs it)");
    }
    let (Some(uid), Some(gid)) = (id("-u"), id("-g")) else { panic!("cannot create the account {TEST_USER}") };
    Account { uid, gid }
}

/// Makes `path` (if it exists) `account`'s.
fn give(path: &Path, account: Account) {
    if path.exists() {
        std::os::unix::fs::chown(path, Some(account.uid), Some(account.gid)).unwrap_or_else(|e| panic!("chown {}: {e}", path.display()));
    }
}

/// Starts `compositor` headless with two outputs, as `account`, and waits for its socket.
fn start_compositor(compositor: Compositor, root: &Path, account: Account, dbus_address: &str) -> (String, Child) {
    use std::os::unix::process::CommandExt as _;
    let runtime = root.join("runtime");
    let log_path = root.join(format!("{compositor:?}.log").to_lowercase());
    let log = fs::File::create(&log_path).expect("compositor log");
    let name = "wayland-1";
    let mut command = match compositor {
        Compositor::Sway => {
            let [r, g, b] = SWAY_BACKGROUND;
            let config = root.join("sway.conf");
            fs::write(
                &config,
                format!(
                    "output HEADLESS-1 resolution 1920x1080 position 0 0\n\
                     output HEADLESS-2 resolution 1280x1024 position 1920 0\n\
                     output * bg #{r:02x}{g:02x}{b:02x} solid_color\n\
                     xwayland disable\n"
                ),
            )
            .expect("sway config");
            give(&config, account);
            let mut command = Command::new("sway");
            command
                .env_clear()
                .arg("--config")
                .arg(&config)
                .env("WLR_BACKENDS", "headless")
                .env("WLR_LIBINPUT_NO_DEVICES", "1")
                .env("WLR_HEADLESS_OUTPUTS", "2")
                .env("WLR_RENDERER", "pixman");
            command
        }
        Compositor::Mutter => {
            let mut command = Command::new("mutter");
            command.env_clear().args(["--headless", "--wayland", "--no-x11", "--wayland-display", name, "--virtual-monitor", "1920x1080", "--virtual-monitor", "1280x1024"]);
            command
        }
    };
    let mut child = command
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("DBUS_SESSION_BUS_ADDRESS", dbus_address)
        .env("LANG", "C.UTF-8")
        .uid(account.uid)
        .gid(account.gid)
        .stdout(log.try_clone().expect("log handle"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {compositor:?}: {e}"));
    let socket = runtime.join(name);
    let started = Instant::now();
    while !socket.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{compositor:?} exited ({status}):\n{}", fs::read_to_string(&log_path).unwrap_or_default());
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{compositor:?} did not start:\n{}", fs::read_to_string(&log_path).unwrap_or_default());
        thread::sleep(Duration::from_millis(50));
    }
    (name.to_owned(), child)
}
