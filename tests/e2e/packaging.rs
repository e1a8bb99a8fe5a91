//! How Respite meets the desktop once installed: the menu entry and the login (autostart) entry
//! pass `desktop-file-validate`, the menu entry's actions (right-click in GNOME's dash, where
//! there is no tray) each run a command a real daemon obeys, the app icon is rendered in every
//! hicolor size, and the Debian
//! package built by `scripts/package` installs, starts from /usr/bin under a private display and
//! D-Bus session, and removes cleanly.
//!
//! The package test needs the release build and cargo-deb (minutes), and root to install: it is
//! `#[ignore]`d here and run by `scripts/test` after `scripts/package`, with `RESPITE_DEB` set to
//! the package it made:
//! `RESPITE_DEB=$(scripts/package) cargo test -p respite-e2e --test e2e -- --ignored packaging::`

use respite_core::autostart::Autostart;
use respite_e2e::{bin, skip_or_fail, wait_for, Session};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::Duration;

/// The workspace's root folder.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_owned()
}

/// Runs `desktop-file-validate` on `entry`; its complaints (errors, warnings and hints), if any.
fn validate(entry: &Path) -> Result<(), String> {
    let out = Command::new("desktop-file-validate")
        .arg(entry)
        .output()
        .expect("desktop-file-validate must be installed (desktop-file-utils: the README's test command installs it)");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() && said.trim().is_empty() {
        Ok(())
    } else {
        Err(format!("{} ({}):\n{said}", entry.display(), out.status))
    }
}

/// The value of `key` in a desktop entry's text.
fn value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
}

#[test]
fn the_validator_rejects_a_broken_entry() {
    // So that a silent or missing validator cannot make the tests below pass.
    let dir = tempfile::tempdir().unwrap();
    let entry = dir.path().join("broken.desktop");
    fs::write(&entry, "[Desktop Entry]\nType=Application\nExec=respite\nCategories=NoSuchCategory\n").unwrap();
    let complaint = validate(&entry).expect_err("no Name and an unknown category must fail");
    assert!(complaint.contains("Name"), "{complaint}");
}

#[test]
fn the_menu_entry_is_valid_and_starts_respite_with_its_icon() {
    let entry = workspace().join("src-tauri/daemon/packaging/respite.desktop");
    validate(&entry).unwrap();
    let text = fs::read_to_string(&entry).unwrap();
    for (key, expected) in [
        ("Type", "Application"),
        ("Name", "Respite"),
        ("Exec", "respite"),
        ("Icon", "respite"),
        ("Terminal", "false"),
        ("StartupNotify", "false"),
    ] {
        assert_eq!(value(&text, key), Some(expected), "{key} in {}", entry.display());
    }
    for key in ["GenericName", "Comment", "Categories", "Keywords"] {
        assert!(value(&text, key).is_some_and(|v| !v.is_empty()), "{key} missing in {}", entry.display());
    }
}

/// The groups of a desktop entry's text, by header, each with its lines.
fn groups(text: &str) -> Vec<(&str, Vec<&str>)> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        match line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            Some(header) => groups.push((header, Vec::new())),
            None => groups.last_mut().expect("a key before any group").1.push(line),
        }
    }
    groups
}

/// The menu entry's actions: (id, Name, Exec), in the order of its `Actions` key.
fn actions(text: &str) -> Vec<(String, String, String)> {
    let groups = groups(text);
    let key = |lines: &[&str], key: &str| lines.iter().find_map(|l| l.strip_prefix(key)?.strip_prefix('=')).map(str::to_owned);
    let main = &groups.iter().find(|(h, _)| *h == "Desktop Entry").expect("a [Desktop Entry] group").1;
    let listed = key(main, "Actions").expect("an Actions key");
    listed
        .split(';')
        .filter(|id| !id.is_empty())
        .map(|id| {
            let lines = &groups.iter().find(|(h, _)| *h == format!("Desktop Action {id}")).unwrap_or_else(|| panic!("no group for action {id}")).1;
            (id.to_owned(), key(lines, "Name").expect("a Name"), key(lines, "Exec").expect("an Exec"))
        })
        .collect()
}

#[test]
fn the_menu_entry_offers_break_pause_summary_and_settings_and_each_action_works() {
    let text = fs::read_to_string(workspace().join("src-tauri/daemon/packaging/respite.desktop")).unwrap();
    let actions = actions(&text);
    let names: Vec<&str> = actions.iter().map(|(_, name, _)| name.as_str()).collect();
    assert_eq!(names, ["Take a break now", "Pause for 1 hour", "Weekly summary", "Settings"]);

    // Each Exec, run as the desktop would (no shell, no field codes), against a real daemon.
    let session = Session::headless();
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]);
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    for (id, name, exec) in &actions {
        let argv: Vec<&str> = exec.split(' ').collect();
        assert_eq!(argv[0], "respite", "{id} runs respite from PATH: {exec}");
        assert!(!exec.contains('%') && !exec.contains('"'), "{id}: no field codes or quoting needed: {exec}");
        let out = session.respite(&argv[1..]);
        assert!(out.status.success(), "{name} ({exec}) failed: {out:?}\n{}", session.daemon_log());
        let status = session.status().expect("the daemon answers");
        match id.as_str() {
            "take-break" => {
                assert_eq!((status["state"].as_str(), status["current"]["kind"].as_str()), (Some("on_break"), Some("stretch")), "{status}");
                assert!(session.respite(&["skip"]).status.success());
            }
            "pause-hour" => {
                assert_eq!(status["state"], "paused", "{status}");
                let until = chrono::DateTime::parse_from_rfc3339(status["paused_until"].as_str().unwrap()).unwrap();
                let left = until.signed_duration_since(chrono::Utc::now()).num_seconds();
                assert!((3500..=3600).contains(&left), "paused for an hour: {left} s left");
            }
            "summary" | "settings" => {
                let window = if id == "summary" { "window=\"summary\"" } else { "window=\"settings\"" };
                session.wait_for(Duration::from_secs(10), &format!("the {id} window to be opened"), || {
                    let log = session.respite(&["log", "-n", "200"]);
                    String::from_utf8_lossy(&log.stdout).lines().any(|l| l.contains("window opened") && l.contains(window)).then_some(())
                });
            }
            other => panic!("an action this test does not know: {other}"),
        }
    }
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}

#[test]
fn the_login_entry_written_by_respite_is_valid_and_starts_this_binary() {
    let session = Session::headless();
    let on = session.respite(&["autostart", "on"]);
    assert!(on.status.success(), "{on:?}");
    // Session sets HOME and no XDG_CONFIG_HOME: the entry goes to ~/.config/autostart.
    let entry = session.root.path().join(".config/autostart/respite.desktop");
    validate(&entry).unwrap();
    let text = fs::read_to_string(&entry).unwrap();
    let program = bin("respite");
    assert_eq!(value(&text, "Exec"), Some(program.to_str().unwrap()), "{text}");

    // A path that needs quoting and escaping is still valid.
    let home = tempfile::tempdir().unwrap();
    let autostart = Autostart::in_config_home(home.path());
    autostart.enable(Path::new("/home/ann/My Apps/100% \"calm\"/$HOME\\respite")).unwrap();
    validate(&autostart.entry()).unwrap();
}

#[test]
fn the_app_icon_is_rendered_in_every_hicolor_size() {
    let icons = workspace().join("icons");
    for size in [16u32, 22, 24, 32, 48, 64, 128, 256] {
        let path = icons.join(format!("app-{size}.png"));
        let png = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (icons/render.sh makes it)", path.display()));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{} is not a PNG", path.display());
        // The IHDR chunk comes first: width and height, big-endian, at bytes 16..24.
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), (size, size), "{}", path.display());
    }
    let svg = fs::read_to_string(icons.join("app.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("viewBox"), "the scalable icon is an SVG");
}

/// Where the package puts things, checked after installing it.
const INSTALLED: &[&str] = &[
    "/usr/bin/respite",
    "/usr/bin/respite-ui",
    "/usr/share/applications/respite.desktop",
    "/usr/share/icons/hicolor/16x16/apps/respite.png",
    "/usr/share/icons/hicolor/22x22/apps/respite.png",
    "/usr/share/icons/hicolor/24x24/apps/respite.png",
    "/usr/share/icons/hicolor/32x32/apps/respite.png",
    "/usr/share/icons/hicolor/48x48/apps/respite.png",
    "/usr/share/icons/hicolor/64x64/apps/respite.png",
    "/usr/share/icons/hicolor/128x128/apps/respite.png",
    "/usr/share/icons/hicolor/256x256/apps/respite.png",
    "/usr/share/icons/hicolor/scalable/apps/respite.svg",
    "/usr/share/man/man1/respite.1.gz",
    "/usr/share/bash-completion/completions/respite",
    "/usr/share/zsh/vendor-completions/_respite",
    "/usr/share/fish/vendor_completions.d/respite.fish",
];

/// The package to test: `RESPITE_DEB`, else the newest `target/debian/respite_*.deb`.
fn package() -> PathBuf {
    if let Some(path) = std::env::var_os("RESPITE_DEB") {
        let path = fs::canonicalize(&path).unwrap_or_else(|e| panic!("RESPITE_DEB={}: {e}", Path::new(&path).display()));
        return path;
    }
    // target/<profile>/deps/e2e-xxxx → target/debian
    let exe = std::env::current_exe().unwrap();
    let target = exe.ancestors().nth(3).expect("target folder");
    let newest = fs::read_dir(target.join("debian"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("respite_") && e.file_name().to_string_lossy().ends_with(".deb"))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    newest
        .map(|e| e.path())
        .unwrap_or_else(|| panic!("no respite_*.deb in {}: build it with scripts/package (scripts/test does)", target.join("debian").display()))
}

/// `sudo -n` when not root and sudo works without a password; `None` when we cannot install.
fn privilege() -> Option<Vec<&'static str>> {
    let uid = Command::new("id").arg("-u").output().expect("id");
    if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        return Some(Vec::new());
    }
    let sudo = Command::new("sudo").args(["-n", "true"]).output();
    sudo.is_ok_and(|o| o.status.success()).then(|| vec!["sudo", "-n"])
}

/// Runs `args` after `prefix` (see [`privilege`]).
fn run(prefix: &[&str], args: &[&str]) -> Output {
    let argv: Vec<&str> = prefix.iter().chain(args).copied().collect();
    Command::new(argv[0])
        .args(&argv[1..])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {argv:?}: {e}"))
}

fn installed() -> bool {
    let out = Command::new("dpkg-query").args(["-W", "-f=${Status}", "respite"]).output().expect("dpkg-query");
    String::from_utf8_lossy(&out.stdout).contains("install ok installed")
}

/// Removes the package when dropped, also when an assertion failed half way.
struct Installed<'a> {
    prefix: &'a [&'a str],
}

impl Drop for Installed<'_> {
    fn drop(&mut self) {
        let out = run(self.prefix, &["apt-get", "remove", "-y", "-qq", "respite"]);
        if !out.status.success() {
            eprintln!("apt-get remove respite failed: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
}

/// The daemon under test, killed if the test fails before it quits.
struct Daemon(Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `/proc` ids of this session's live processes running `exe`.
fn running(session: &Session, exe: &Path) -> Vec<u32> {
    session
        .live_processes()
        .iter()
        .filter_map(|p| p.split_whitespace().next()?.parse().ok())
        .filter(|pid: &u32| fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|e| e == exe))
        .collect()
}

#[test]
#[ignore = "needs the .deb from scripts/package and root; scripts/test runs it with --ignored"]
fn the_deb_installs_starts_from_usr_bin_and_removes_cleanly() {
    let deb = package();
    eprintln!("package under test: {}", deb.display());
    let Some(prefix) = privilege() else {
        skip_or_fail("packaging::the_deb_installs_starts_from_usr_bin_and_removes_cleanly", &format!("installing {} needs root or passwordless sudo", deb.display()));
        return;
    };
    assert!(!installed(), "respite is already installed here; this test installs and removes it, so remove it first");

    let out = run(&prefix, &["apt-get", "install", "-y", "-qq", deb.to_str().unwrap()]);
    let guard = Installed { prefix: &prefix };
    assert!(out.status.success(), "apt-get install failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(installed());

    let listed = String::from_utf8_lossy(&run(&[], &["dpkg", "-L", "respite"]).stdout).into_owned();
    for path in INSTALLED {
        assert!(listed.lines().any(|l| l == *path), "{path} is not in the package:\n{listed}");
        let meta = fs::metadata(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(meta.len() > 0, "{path} is empty");
    }
    validate(Path::new("/usr/share/applications/respite.desktop")).unwrap();
    let man = run(&[], &["zcat", "/usr/share/man/man1/respite.1.gz"]);
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH respite 1"), "the man page is roff");

    // The installed daemon, under a private display and D-Bus session with temporary folders.
    let usr_bin = Path::new("/usr/bin/respite");
    let session = Session::with_display();
    let log = fs::File::create(session.root.path().join("daemon.log")).unwrap();
    let mut daemon = Daemon(session.command(usr_bin).stdout(log.try_clone().unwrap()).stderr(log).spawn().unwrap());
    let status = session.wait_for(Duration::from_secs(20), "the installed daemon to answer", || {
        let out = session.command(usr_bin).args(["status", "--json"]).output().unwrap();
        out.status.success().then(|| serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap())
    });
    assert_eq!(status["state"], "working", "{status}");
    assert_eq!(fs::read_link(format!("/proc/{}/exe", daemon.0.id())).unwrap(), usr_bin);

    // It finds respite-ui beside itself: the settings window opens from /usr/bin/respite-ui.
    let settings = session.command(usr_bin).arg("settings").output().unwrap();
    assert!(settings.status.success(), "{settings:?}");
    let ui = Path::new("/usr/bin/respite-ui");
    session.wait_for(Duration::from_secs(30), "/usr/bin/respite-ui to run the settings window", || {
        (!running(&session, ui).is_empty()).then_some(())
    });

    // Launch at login points at the installed binary.
    let on = session.command(usr_bin).args(["autostart", "on"]).output().unwrap();
    assert!(on.status.success(), "{on:?}");
    let entry = session.root.path().join(".config/autostart/respite.desktop");
    validate(&entry).unwrap();
    assert_eq!(value(&fs::read_to_string(&entry).unwrap(), "Exec"), Some("/usr/bin/respite"));

    let quit = session.command(usr_bin).arg("quit").output().unwrap();
    assert!(quit.status.success(), "{quit:?}\n{}", session.daemon_log());
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.0.try_wait().unwrap());
    session.wait_for(Duration::from_secs(15), "no Respite process left", || {
        session.live_processes().is_empty().then_some(())
    });

    drop(guard);
    assert!(!installed(), "apt-get remove left respite installed");
    for path in INSTALLED {
        assert!(!Path::new(path).exists(), "{path} is still there after removing the package");
    }
}
