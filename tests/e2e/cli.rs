//! The command line against a real daemon with no display (so no tray): control commands,
//! pause and resume, a second start handing over, bad settings reported, and life without a
//! daemon.

use respite_e2e::{wait_for, Session};
use std::time::Duration;

#[test]
fn without_a_daemon_control_commands_fail_clearly_and_export_still_works() {
    let session = Session::headless();
    for args in [&["status"][..], &["skip"], &["pause", "1h"], &["quit"]] {
        let out = session.respite(args);
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("Respite is not running"), "{args:?}");
    }
    let csv = session.respite(&["export", "--format", "csv"]);
    assert!(csv.status.success());
    assert_eq!(String::from_utf8_lossy(&csv.stdout).lines().count(), 1, "only the header");
    let bad = session.respite(&["pause", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a pause length"));
}

#[test]
fn a_headless_daemon_obeys_the_cli_reports_bad_settings_and_hands_over_to_itself() {
    let mut session = Session::headless();
    let settings = "[eye]\ninterval = \"soon\"\n[walk]\nenabled = false\n";
    session.write_settings(settings);
    let notifications = session.record_notifications();
    let mut daemon = session.spawn_daemon();
    let status = wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    let warnings = status["warnings"][0].as_str().unwrap_or_default().to_owned();
    assert!(warnings.contains("eye.interval") && warnings.contains("\"soon\" is not a duration"), "{warnings}");
    assert_eq!(status["next"]["kind"], "eye", "the bad key runs with its default");
    assert!(status["next"]["in_secs"].as_u64().unwrap() > 19 * 60);
    assert!(session.daemon_log().contains("eye.interval"), "the problem is logged");
    wait_for(Duration::from_secs(10), "the desktop notification about the settings", || {
        let sent = std::fs::read_to_string(&notifications).unwrap_or_default();
        (sent.contains("some settings were not understood") && sent.contains("eye.interval")).then_some(())
    });
    let sent = std::fs::read_to_string(&notifications).unwrap();
    assert!(sent.contains("it must start with a number"), "the reason in plain words: {sent}");
    assert!(sent.contains("The rest of your settings apply"), "{sent}");

    // A second start hands over and exits; the first keeps running.
    let second = session.respite(&[]);
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("already running"));
    assert!(daemon.try_wait().unwrap().is_none());

    let paused = session.respite(&["pause", "30m"]);
    assert!(paused.status.success(), "{paused:?}");
    let status = session.status().unwrap();
    assert_eq!(status["state"], "paused");
    assert!(status["paused_until"].is_string());
    let skip = session.respite(&["skip"]);
    assert_eq!(skip.status.code(), Some(1), "nothing to skip while paused");
    assert!(session.respite(&["resume"]).status.success());
    assert_eq!(session.status().unwrap()["state"], "working");

    let skipped = session.respite(&["skip"]);
    assert!(skipped.status.success());
    let rows = session.export();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["kind"].as_str(), rows[0]["outcome"].as_str()), (Some("eye"), Some("skipped")));

    // A file that is not TOML at all: none of it applies, and the notification says so.
    let broken = "[eye\ninterval = \"5m\"\n";
    session.write_settings(broken);
    let reload = session.respite(&["reload"]);
    assert!(String::from_utf8_lossy(&reload.stdout).contains("not valid TOML"), "{reload:?}");
    wait_for(Duration::from_secs(10), "the notification that the defaults apply", || {
        let sent = std::fs::read_to_string(&notifications).unwrap_or_default();
        sent.contains("Respite runs with the default settings until the file is fixed").then_some(())
    });
    assert_eq!(session.status().unwrap()["next"]["kind"], "eye");

    session.quit();
    let exit = wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
    assert!(exit.success());
    assert_eq!(std::fs::read_to_string(session.config_dir().join("settings.toml")).unwrap(), broken, "the user's file is untouched");
}
