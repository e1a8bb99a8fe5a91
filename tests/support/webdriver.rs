//! WebDriver for the end-to-end tests: finding the tools (`tauri-driver`, which translates
//! `tauri:options` and drives WebKitGTK's `WebKitWebDriver`), starting `tauri-driver` with a
//! [`Session`]'s environment on free ports, a small blocking W3C WebDriver client ([`Browser`]),
//! and screenshots when a test fails ([`Browser::checked`]).
//!
//! WebDriver starts the application itself: [`Driver::open`] launches `respite-ui <window>` and
//! waits for its first window. The app inherits tauri-driver's environment, so it sees the
//! session's config, data and runtime folders, display and D-Bus.
//!
//! The client is a thin layer over `ureq` (blocking HTTP, no async runtime) rather than
//! `fantoccini`/`thirtyfour`: the tests are synchronous like the rest of this crate, they use a
//! handful of endpoints, and the async clients would bring tokio, hyper and their TLS stacks into
//! a test crate built on two cores.
//!
//! WebDriver tests run one at a time in this process (each holds a lock while its driver runs):
//! every session starts a whole WebKit, and on two cores several at once only time out.

use crate::{bin, skip_or_fail, Session};
use base64::Engine as _;
use serde_json::{json, Value};
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// The W3C key code for Enter, for [`Browser::send_keys`].
pub const ENTER: &str = "\u{E007}";

/// Serialises WebDriver tests within this test binary.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The WebDriver programs, when installed.
#[derive(Clone, Debug)]
pub struct Tools {
    pub tauri_driver: PathBuf,
    pub native_driver: PathBuf,
}

impl Tools {
    /// Finds `tauri-driver` (on `PATH` or in `~/.cargo/bin`) and `WebKitWebDriver`. When one is
    /// missing: in CI (`CI` set) the test fails; elsewhere it prints a loud notice past the test
    /// harness's capture and returns `None`, and the test should return (skip).
    pub fn find(test: &str) -> Option<Tools> {
        let tauri_driver = find_program("tauri-driver", &[home().join(".cargo/bin")]);
        let native_driver = find_program("WebKitWebDriver", &[PathBuf::from("/usr/bin")]);
        match (tauri_driver, native_driver) {
            (Some(tauri_driver), Some(native_driver)) => Some(Tools { tauri_driver, native_driver }),
            (t, n) => {
                let mut missing = Vec::new();
                if t.is_none() {
                    missing.push("tauri-driver");
                }
                if n.is_none() {
                    missing.push("WebKitWebDriver (Debian package webkit2gtk-driver)");
                }
                skip_or_fail(test, &format!("missing {}; `scripts/install-deps test` installs them", missing.join(" and ")));
                None
            }
        }
    }
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default()
}

fn find_program(name: &str, extra: &[PathBuf]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).chain(extra.iter().cloned()).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// A port nobody listens on now (the OS picks it).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free local port").port()
}

/// Where failing tests leave their screenshots: `target/e2e-screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/e2e-xxxx → target/e2e-screenshots
    let target = exe.ancestors().nth(3).expect("target folder");
    target.join("e2e-screenshots")
}

/// A running `tauri-driver` (with its `WebKitWebDriver`), stopped when dropped.
pub struct Driver<'s> {
    session: &'s Session,
    child: Option<Child>,
    port: u16,
    log: PathBuf,
    agent: ureq::Agent,
    _turn: MutexGuard<'static, ()>,
}

impl<'s> Driver<'s> {
    /// Starts `tauri-driver` with `session`'s environment, waiting for its turn and until it
    /// answers. Ports taken meanwhile by someone else are retried with new ones.
    pub fn start(session: &'s Session, tools: &Tools) -> Self {
        Self::start_with(session, tools, &[])
    }

    /// [`Driver::start`] with extra environment variables, which the apps it starts inherit
    /// (e.g. `GTK_THEME=Adwaita:dark`, which WebKitGTK turns into `prefers-color-scheme: dark`).
    pub fn start_with(session: &'s Session, tools: &Tools, env: &[(&str, &str)]) -> Self {
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let log = session.root.path().join("webdriver.log");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        for _attempt in 0..3 {
            let (port, native_port) = (free_port(), free_port());
            let out = fs::OpenOptions::new().create(true).append(true).open(&log).expect("webdriver log");
            let mut child = session
                .command(&tools.tauri_driver)
                .envs(env.iter().copied())
                .arg("--port")
                .arg(port.to_string())
                .arg("--native-port")
                .arg(native_port.to_string())
                .arg("--native-driver")
                .arg(&tools.native_driver)
                .stdout(out.try_clone().expect("log handle"))
                .stderr(out)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.tauri_driver.display()));
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(15) {
                if child.try_wait().ok().flatten().is_some() {
                    break; // a port was taken meanwhile: try others
                }
                let ready = agent.get(format!("http://127.0.0.1:{port}/status")).call().ok().and_then(|mut r| r.body_mut().read_json::<Value>().ok());
                if ready.is_some_and(|v| v["value"]["ready"] == true) {
                    return Self { session, child: Some(child), port, log, agent, _turn: turn };
                }
                thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("tauri-driver did not start\n--- webdriver log ---\n{}", fs::read_to_string(&log).unwrap_or_default());
    }

    /// Launches `respite-ui <args>` under WebDriver and returns the session once its first window
    /// is there. `name` names the screenshots taken if the test fails.
    pub fn open(&self, name: &str, args: &[&str]) -> Browser<'_, 's> {
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": { "tauri:options": { "application": bin("respite-ui"), "args": args } }
            }
        });
        let url = format!("http://127.0.0.1:{}/session", self.port);
        let value = call(self.agent.post(&url).send_json(&capabilities), "new session")
            .unwrap_or_else(|e| panic!("WebDriver could not start respite-ui {args:?}: {e}\n{}", self.logs()));
        let id = value["sessionId"].as_str().unwrap_or_else(|| panic!("no session id in {value}")).to_owned();
        Browser { driver: self, base: format!("{url}/{id}"), name: name.to_owned() }
    }

    /// What tauri-driver, WebKitWebDriver and the app they started printed.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The ends of the WebDriver log and of the daemon's log, for failure messages.
    fn logs(&self) -> String {
        format!(
            "--- webdriver and app log ---\n{}\n--- daemon log ---\n{}\n--- the session's processes now ---\n{:?}",
            tail(&self.log(), 60),
            tail(&self.session.daemon_log(), 40),
            self.session.live_processes()
        )
    }
}

impl Drop for Driver<'_> {
    fn drop(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        // SIGTERM: tauri-driver then stops WebKitWebDriver too (SIGKILL would leave it running).
        if let Some(pid) = i32::try_from(child.id()).ok().and_then(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && child.try_wait().ok().flatten().is_none() {
            thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A WebDriver error or a failed request.
#[derive(Debug)]
pub struct WebDriverError(pub String);

impl std::fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `value` of a WebDriver answer, or its error (W3C: `{"value": {"error", "message"}}`).
fn call(answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>, what: &str) -> Result<Value, WebDriverError> {
    let mut response = answer.map_err(|e| WebDriverError(format!("{what}: {e}")))?;
    let status = response.status();
    let body: Value = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_json()
        .map_err(|e| WebDriverError(format!("{what}: unreadable answer ({status}): {e}")))?;
    let value = body.get("value").cloned().unwrap_or(Value::Null);
    if status.is_success() {
        Ok(value)
    } else {
        Err(WebDriverError(format!("{what}: {status} {} — {}", value["error"].as_str().unwrap_or("?"), value["message"].as_str().unwrap_or(""))))
    }
}

/// A found element (its W3C reference).
#[derive(Clone, Debug)]
pub struct Element(String);

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One WebDriver session: the app's first window. Ended (the app closed) when dropped.
pub struct Browser<'d, 's> {
    driver: &'d Driver<'s>,
    base: String,
    name: String,
}

impl Browser<'_, '_> {
    fn get(&self, path: &str) -> Result<Value, WebDriverError> {
        call(self.driver.agent.get(format!("{}/{path}", self.base)).call(), path)
    }

    fn post(&self, path: &str, body: Value) -> Result<Value, WebDriverError> {
        call(self.driver.agent.post(format!("{}/{path}", self.base)).send_json(&body), path)
    }

    pub fn title(&self) -> Result<String, WebDriverError> {
        Ok(self.get("title")?.as_str().unwrap_or_default().to_owned())
    }

    /// The first element matching the CSS `selector`.
    pub fn find(&self, selector: &str) -> Result<Element, WebDriverError> {
        let found = self.post("element", json!({ "using": "css selector", "value": selector }))?;
        found[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned())).ok_or_else(|| WebDriverError(format!("no element reference in {found}")))
    }

    /// [`Browser::find`], retried until the element is there or `limit` passed.
    pub fn wait_find(&self, selector: &str, limit: Duration) -> Element {
        self.wait(limit, &format!("an element {selector}"), || self.find(selector).ok())
    }

    /// Polls `check` every 100 ms until it gives `Some`; panics after `limit` naming `what`.
    pub fn wait<T>(&self, limit: Duration, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(value) = check() {
                return value;
            }
            assert!(start.elapsed() < limit, "timed out after {limit:?} waiting for {what} in {}", self.name);
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// The element's rendered text.
    pub fn text(&self, element: &Element) -> Result<String, WebDriverError> {
        Ok(self.get(&format!("element/{}/text", element.0))?.as_str().unwrap_or_default().to_owned())
    }

    /// The element's current property `name` (e.g. `value`, `checked`).
    pub fn property(&self, element: &Element, name: &str) -> Result<Value, WebDriverError> {
        self.get(&format!("element/{}/property/{name}", element.0))
    }

    /// The element's attribute `name`, or `null` when it has none.
    pub fn attribute(&self, element: &Element, name: &str) -> Result<Value, WebDriverError> {
        self.get(&format!("element/{}/attribute/{name}", element.0))
    }

    pub fn click(&self, element: &Element) -> Result<(), WebDriverError> {
        self.post(&format!("element/{}/click", element.0), json!({})).map(drop)
    }

    pub fn clear(&self, element: &Element) -> Result<(), WebDriverError> {
        self.post(&format!("element/{}/clear", element.0), json!({})).map(drop)
    }

    /// Types `text` into the element, as a user would (key codes such as [`ENTER`] included).
    pub fn send_keys(&self, element: &Element, text: &str) -> Result<(), WebDriverError> {
        self.post(&format!("element/{}/value", element.0), json!({ "text": text })).map(drop)
    }

    /// Runs `script` (a function body; `arguments` are `args`) in the page and returns its result.
    pub fn execute(&self, script: &str, args: Value) -> Result<Value, WebDriverError> {
        self.post("execute/sync", json!({ "script": script, "args": args }))
    }

    /// Runs `script`, whose last argument is a callback to call with the result.
    pub fn execute_async(&self, script: &str, args: Value) -> Result<Value, WebDriverError> {
        self.post("execute/async", json!({ "script": script, "args": args }))
    }

    /// The window as a PNG.
    pub fn screenshot(&self) -> Result<Vec<u8>, WebDriverError> {
        let encoded = self.get("screenshot")?;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .map_err(|e| WebDriverError(format!("screenshot: {e}")))
    }

    /// Runs `body`; if it panics, saves the WebDriver screenshot and the whole X screen into
    /// [`screenshot_dir`] and fails with the original message, the screenshots' paths and the
    /// WebDriver log.
    pub fn checked<T>(&self, body: impl FnOnce() -> T) -> T {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
            Ok(value) => value,
            Err(payload) => {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "(no message)".into());
                let shots = self.save_screenshots();
                panic!("{message}\nscreenshots: {shots}\n{}", self.driver.logs());
            }
        }
    }

    fn save_screenshots(&self) -> String {
        let dir = screenshot_dir();
        if let Err(e) = fs::create_dir_all(&dir) {
            return format!("cannot create {}: {e}", dir.display());
        }
        let mut saved = Vec::new();
        let page = dir.join(format!("{}-webview.png", self.name));
        match self.screenshot().map(|png| fs::write(&page, png)) {
            Ok(Ok(())) => saved.push(page.display().to_string()),
            Ok(Err(e)) => saved.push(format!("(webview: {e})")),
            Err(e) => saved.push(format!("(webview: {e})")),
        }
        let screen = dir.join(format!("{}-screen.png", self.name));
        let import = self.driver.session.x("import", &["-window", "root", &screen.to_string_lossy()]);
        if import.status.success() {
            saved.push(screen.display().to_string());
        } else {
            saved.push(format!("(screen: import failed: {})", String::from_utf8_lossy(&import.stderr).trim()));
        }
        saved.join(", ")
    }
}

impl Drop for Browser<'_, '_> {
    fn drop(&mut self) {
        // Ends the session; WebKitWebDriver then closes the app. An app that already exited
        // (an overlay after its break) makes this fail, which is fine.
        let _ = self.driver.agent.delete(&self.base).call();
    }
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Path of a file of the e2e crate (e.g. `a11y/node_modules/axe-core/axe.min.js`).
pub fn crate_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}
