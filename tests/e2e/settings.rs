//! Settings applied live and launch at login, through the command line against a real daemon
//! with no display: `respite reload` after the file changed, `respite settings` opening one
//! window at a time, and `respite autostart` writing the login entry.

use respite_e2e::{bin, wait_for, Session};
use std::fs;
use std::time::Duration;

const FILE: &str = "# Mine.\n[eye]\ninterval = \"20m\"  # as the optician said\n[stretch]\nenabled = false\n[walk]\nenabled = false\n";

fn next_in_secs(session: &Session) -> u64 {
    session.status().expect("the daemon answers")["next"]["in_secs"].as_u64().expect("a next break")
}

#[test]
fn reload_applies_a_changed_file_at_once_and_replaces_the_settings_warnings() {
    let session = Session::headless();
    session.write_settings(FILE);
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert!(next_in_secs(&session) > 19 * 60);

    session.write_settings(&FILE.replace("\"20m\"", "\"2m\""));
    assert!(next_in_secs(&session) > 19 * 60, "nothing changes before the reload");
    let out = session.respite(&["reload"]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Settings applied from "), "{out:?}");
    let status = session.status().unwrap();
    assert_eq!(status["next"]["kind"], "eye");
    assert!(status["next"]["in_secs"].as_u64().unwrap() <= 120, "{status}");
    assert_eq!(status["warnings"], serde_json::json!([]));

    // A bad value: reported as at start, and the rest applies.
    session.write_settings(&FILE.replace("\"20m\"", "\"soon\"").replace("[walk]\nenabled = false\n", ""));
    let out = session.respite(&["reload"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Warning: ") && String::from_utf8_lossy(&out.stdout).contains("eye.interval"), "{out:?}");
    let status = session.status().unwrap();
    let warnings = status["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].as_str().unwrap().contains("\"soon\" is not a duration"));
    assert!(session.daemon_log().contains("settings reloaded"));

    // Fixed again: the warning goes.
    session.write_settings(FILE);
    assert!(session.respite(&["reload"]).status.success());
    assert_eq!(session.status().unwrap()["warnings"], serde_json::json!([]));
    assert_eq!(fs::read_to_string(session.config_dir().join("settings.toml")).unwrap(), FILE, "the daemon never rewrites the file");

    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}

#[test]
fn the_settings_window_opens_once_at_a_time_and_closes_with_the_daemon() {
    let session = Session::headless();
    // A stand-in for respite-ui: records how it was started, then stays open.
    let calls = session.root.path().join("ui-calls");
    let fake = session.root.path().join("fake-ui");
    fs::write(&fake, format!("#!/bin/sh\necho \"$@\" >> '{}'\nexec sleep 60\n", calls.display())).unwrap();
    fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", fake.to_str().unwrap())]);
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());

    assert!(session.respite(&["settings"]).status.success());
    session.wait_for(Duration::from_secs(10), "the window to start", || fs::read_to_string(&calls).ok().filter(|c| !c.is_empty()));
    assert!(session.respite(&["settings"]).status.success(), "asking again is fine");
    let log = session.wait_for(Duration::from_secs(10), "the second ask to be declined", || Some(session.daemon_log()).filter(|l| l.contains("window already open")));
    assert_eq!(log.matches("window opened").count(), 1, "one settings window at a time:\n{log}");
    assert_eq!(fs::read_to_string(&calls).unwrap(), "settings\n", "one settings window at a time");

    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
    assert!(!session.live_processes().iter().any(|p| p.contains("sleep")), "the window closed with the daemon: {:?}", session.live_processes());
}

#[test]
fn autostart_writes_and_removes_the_login_entry_in_the_users_config_folder() {
    let session = Session::headless();
    let xdg = session.root.path().join("xdg-config");
    let respite = |args: &[&str]| session.command(&bin("respite")).env("XDG_CONFIG_HOME", &xdg).args(args).output().unwrap();
    let entry = xdg.join("autostart/respite.desktop");

    assert_eq!(String::from_utf8_lossy(&respite(&["autostart", "status"]).stdout), "Off.\n");
    let on = respite(&["autostart", "on"]);
    assert!(on.status.success(), "{on:?}");
    let text = fs::read_to_string(&entry).expect("the entry is written under XDG_CONFIG_HOME");
    assert!(text.lines().any(|l| l == format!("Exec={}", bin("respite").display())), "{text}");
    assert!(!session.root.path().join(".config/autostart").exists(), "not under HOME when XDG_CONFIG_HOME is set");
    assert!(String::from_utf8_lossy(&respite(&["autostart", "status"]).stdout).starts_with("On: "));

    assert!(respite(&["autostart", "off"]).status.success());
    assert!(!entry.exists());
    assert_eq!(String::from_utf8_lossy(&respite(&["autostart", "status"]).stdout), "Off.\n");

    // Without XDG_CONFIG_HOME: ~/.config/autostart.
    assert!(session.respite(&["autostart", "on"]).status.success());
    assert!(session.root.path().join(".config/autostart/respite.desktop").exists());
}
