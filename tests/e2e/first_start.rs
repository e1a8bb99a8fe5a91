//! The first start: with no settings file the daemon writes the defaults, turns launch at login
//! on and opens the welcome window; later starts do neither, `respite welcome` brings the window
//! back, and a second `respite` opens the settings. Also the daemon's log file and `respite log`.

use respite_e2e::{bin, Session};
use std::fs;
use std::time::Duration;

/// The ids of visible windows titled exactly `title`.
fn windows(session: &Session, title: &str) -> Vec<String> {
    let found = session.x("xdotool", &["search", "--onlyvisible", "--name", &format!("^{title}$")]);
    String::from_utf8_lossy(&found.stdout).split_whitespace().map(str::to_owned).collect()
}

#[test]
fn a_first_start_writes_the_defaults_turns_on_launch_at_login_and_welcomes_once() {
    let session = Session::with_display();
    session.forget_settings();
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());

    let settings = fs::read_to_string(session.config_dir().join("settings.toml")).expect("the defaults were written");
    assert!(settings.contains("[eye]") && settings.contains("on_start = false"), "{settings}");
    let entry_path = session.root.path().join(".config/autostart/respite.desktop");
    let entry = fs::read_to_string(&entry_path).expect("launch at login is on after a first start");
    let exec = format!("Exec={}", bin("respite").display());
    assert!(entry.lines().any(|line| line == exec), "the entry starts this respite:\n{entry}");
    session.wait_for(Duration::from_secs(30), "the welcome window", || (windows(&session, "Welcome to Respite").len() == 1).then_some(()));

    // Chosen in the welcome window: launch at login off. Stopping closes the window too.
    assert!(session.respite(&["autostart", "off"]).status.success());
    session.quit();
    let exit = session.wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
    assert!(exit.success());
    session.wait_for(Duration::from_secs(10), "the welcome window to close", || windows(&session, "Welcome to Respite").is_empty().then_some(()));

    // A later start: no welcome, and launch at login stays as the user left it.
    // The daemon queues the windows a start opens before it logs that it is running, and its
    // runtime takes requests in order: an answer to a status asked after that line comes after
    // any welcome window of this start was opened (and logged).
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the second start to run", || (session.daemon_log().matches("Respite is running").count() == 2).then_some(()));
    session.wait_for(Duration::from_secs(20), "the daemon to answer again", || session.status());
    let log = session.daemon_log();
    let welcomes = |log: &str| log.lines().filter(|l| l.contains("window opened") && l.contains("welcome")).count();
    assert_eq!(welcomes(&log), 1, "the welcome window comes only on a first start:\n{log}");
    assert_eq!(log.matches("first start: wrote the default settings").count(), 1, "the defaults are written on the first start only:\n{log}");
    assert!(windows(&session, "Welcome to Respite").is_empty(), "the welcome window comes only on a first start");
    assert!(!entry_path.exists(), "a later start leaves launch at login off");

    // Asked for: `respite welcome`; and a second `respite` opens the settings.
    assert!(session.respite(&["welcome"]).status.success());
    session.wait_for(Duration::from_secs(30), "the welcome window, asked for", || (windows(&session, "Welcome to Respite").len() == 1).then_some(()));
    let second = session.respite(&[]);
    assert!(String::from_utf8_lossy(&second.stdout).contains("already running"), "{second:?}");
    session.wait_for(Duration::from_secs(30), "the settings window", || (windows(&session, "Respite — Settings").len() == 1).then_some(()));

    // The daemon's log: a file a day in the state dir, and `respite log` shows its end.
    let log = session.respite(&["log", "-n", "200"]);
    let text = String::from_utf8_lossy(&log.stdout);
    assert!(log.status.success() && text.contains("first start: wrote the default settings"), "{log:?}");
    assert!(text.contains("window opened") && text.contains("window=\"welcome\""), "{text}");
    let state = session.root.path().join(".local/state/respite");
    let logs: Vec<_> = fs::read_dir(&state)
        .expect("the state dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".log"))
        .collect();
    assert_eq!(logs.len(), 1, "one log file for today: {logs:?}");
    assert!(logs[0].starts_with("respite.20"), "{logs:?}");

    session.quit();
    let exit = session.wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
    assert!(exit.success());
}
