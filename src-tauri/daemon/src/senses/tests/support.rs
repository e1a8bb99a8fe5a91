//! What the desktop tests share: a private Xvfb display, a private D-Bus bus, and waiting for a
//! condition with a time limit. Each test starts its own, so tests run in parallel.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};
use zbus::blocking::Connection;

/// Calls `check` until it gives a value, for at most `limit`.
pub fn wait_for<T>(limit: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(started.elapsed() < limit, "timed out after {limit:?} waiting for {what}");
        thread::sleep(Duration::from_millis(25));
    }
}

/// A child process ended when dropped: asked first (SIGTERM, so that Xvfb removes its lock file
/// and socket), killed if it has not ended within two seconds.
pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(pid) = i32::try_from(self.0.id()).ok().and_then(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(2) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private Xvfb display (`-nolisten tcp`) on a free display number.
pub struct Xvfb {
    pub display: String,
    _server: Running,
}

impl Xvfb {
    /// `None` (with a message saying the test is skipped) only when Xvfb is not installed.
    pub fn start() -> Option<Self> {
        if Command::new("Xvfb").arg("-help").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
            skip_or_fail("Xvfb is not installed (scripts/install-deps test installs it)");
            return None;
        }
        // Xvfb picks a free display number itself and prints it (`-displayfd`): choosing one
        // here races with the other tests starting theirs.
        let mut child = Command::new("Xvfb")
            // -noreset: without it the server resets whenever its last client leaves, and a
            // connection made meanwhile is refused.
            .args(["-displayfd", "1", "-screen", "0", "800x600x24", "-nolisten", "tcp", "-noreset"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let mut number = String::new();
        BufReader::new(child.stdout.take().expect("piped")).read_line(&mut number).expect("the display number");
        let server = Running(child);
        let number = number.trim();
        assert!(!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()), "Xvfb did not start: {number:?}");
        Some(Xvfb { display: format!(":{number}"), _server: server })
    }

    /// Runs an X client (xdotool…) on this display and checks it succeeded.
    pub fn run(&self, program: &str, args: &[&str]) {
        let status = Command::new(program)
            .args(args)
            .env("DISPLAY", &self.display)
            .status()
            .unwrap_or_else(|e| panic!("{program} must be installed (scripts/install-deps test): {e}"));
        assert!(status.success(), "{program} {args:?} failed: {status}");
    }

    pub fn spawn(&self, program: &str, args: &[&str]) -> Running {
        let child = Command::new(program)
            .args(args)
            .env("DISPLAY", &self.display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} must be installed (scripts/install-deps test): {e}"));
        Running(child)
    }
}

/// A private D-Bus bus (`dbus-daemon --session`), standing in for the session or the system bus.
pub struct Bus {
    pub address: String,
    _daemon: Running,
}

impl Bus {
    pub fn start() -> Self {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon must be installed (scripts/install-deps test)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line).expect("the bus address");
        Bus { address: line.trim().to_owned(), _daemon: Running(child) }
    }

    /// A client connection, as the daemon makes one.
    pub fn connect(&self) -> Connection {
        zbus::blocking::connection::Builder::address(self.address.as_str())
            .expect("address")
            .method_timeout(super::super::BUS_TIMEOUT)
            .build()
            .expect("connect to the private bus")
    }

    /// The bus as the senses ask it.
    pub fn session(&self) -> super::super::SessionBus {
        super::super::SessionBus::new(self.connect())
    }

    /// A connection that owns `name` and serves `interface` at `path`; dropping it makes the
    /// service vanish.
    pub fn serve<I: zbus::object_server::Interface>(&self, name: &str, path: &str, interface: I) -> Connection {
        zbus::blocking::connection::Builder::address(self.address.as_str())
            .expect("address")
            .name(name.to_owned())
            .expect("name")
            .serve_at(path.to_owned(), interface)
            .expect("path")
            .build()
            .expect("serve on the private bus")
    }
}

/// Makes the service `name` on `conn` vanish: the bus has forgotten it when this returns.
pub fn vanish(conn: Connection, name: &str) {
    conn.release_name(name.to_owned()).expect("release the name");
    drop(conn);
}

/// A test whose tool is missing: skipped with a notice, but failed under `CI`, where every test
/// must run.
pub fn skip_or_fail(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "{why} (CI is set: every test must run there)");
    println!("SKIPPED: {why}");
}
