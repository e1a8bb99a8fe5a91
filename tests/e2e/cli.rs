//! The command line against a real daemon with no display (so no tray): control commands,
//! pause and resume, a second start handing over, bad settings reported, `status --follow` for
//! panels, and life without a daemon.

use respite_e2e::{bin, wait_for, Session};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

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
    let follow = session.respite(&["status", "--follow"]);
    assert_eq!(follow.status.code(), Some(3), "{follow:?}");
    let line: Value = serde_json::from_slice(&follow.stdout).expect("one line of JSON");
    assert_eq!((line["class"].as_str(), line["text"].as_str()), (Some("stopped"), Some("Respite is not running")), "{line}");
}

/// The lines `respite status --follow` prints, as they come, parsed.
fn follow_lines(child: &mut std::process::Child) -> Receiver<Value> {
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"));
            if tx.send(value).is_err() {
                return;
            }
        }
    });
    rx
}

/// Reads lines until one has class `class`; every line on the way must be a live state.
fn line_with_class(lines: &Receiver<Value>, class: &str, session: &Session) -> Value {
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let left = until.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).unwrap_or_else(|e| panic!("no line with class {class} ({e})\n--- daemon log ---\n{}", session.daemon_log()));
        assert_eq!(line["alt"], line["class"], "{line}");
        assert!(line["text"].as_str().is_some_and(|t| !t.is_empty()) && line["tooltip"].as_str().is_some_and(|t| !t.is_empty()), "{line}");
        if line["class"] == class {
            return line;
        }
        assert!(["running", "paused", "on_break", "focus"].contains(&line["class"].as_str().unwrap_or_default()), "{line}");
        assert!(line["tooltip"].as_str().unwrap().starts_with("Respite — "), "the tray's tooltip: {line}");
    }
}

#[test]
fn status_follow_prints_a_line_at_each_change_and_ends_when_respite_stops() {
    let session = Session::headless();
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    let mut follower = session.command(&bin("respite")).args(["status", "--follow"]).stdout(Stdio::piped()).spawn().expect("start the follower");
    let lines = follow_lines(&mut follower);

    let first = line_with_class(&lines, "running", &session);
    assert!(first["text"].as_str().unwrap().starts_with("Next: Eye rest in "), "the tray's info line: {first}");
    assert!(session.respite(&["pause", "30m"]).status.success());
    let paused = line_with_class(&lines, "paused", &session);
    assert!(paused["text"].as_str().unwrap().starts_with("Paused until "), "{paused}");
    assert!(session.respite(&["resume"]).status.success());
    line_with_class(&lines, "running", &session);
    assert!(session.respite(&["focus", "start"]).status.success());
    let focus = line_with_class(&lines, "focus", &session);
    assert!(focus["text"].as_str().unwrap().starts_with("Focus round 1 of 4"), "{focus}");

    session.quit();
    let last = line_with_class(&lines, "stopped", &session);
    assert_eq!(last["text"], "Respite is not running");
    let exit = wait_for(Duration::from_secs(10), "the follower to end", || follower.try_wait().unwrap());
    assert_eq!(exit.code(), Some(3), "the CLI's code for not running");
    assert!(lines.recv_timeout(Duration::from_secs(1)).is_err(), "nothing after the last line");
    assert!(wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());
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

/// `respite status | head -1`, with the reader gone before Respite writes: it ends quietly with
/// success, as command-line tools do, instead of panicking on the closed pipe.
#[test]
fn a_reader_that_went_away_ends_the_output_quietly() {
    let session = Session::headless();
    let mut daemon = session.spawn_daemon();
    session.wait_for(std::time::Duration::from_secs(20), "the daemon to answer", || session.status());
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = session.command(&respite_e2e::bin("respite")).arg("status").stdout(writer).output().expect("run respite status");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    session.quit();
    assert!(daemon.wait().expect("daemon exit").success());
}

#[test]
fn a_window_asked_for_with_no_display_or_one_that_is_gone_says_so_and_does_not_crash() {
    let session = Session::headless();
    let ui = bin("respite-ui");
    for (display, says) in [(None, "no display to open a window on"), (Some(":97"), "the display does not answer")] {
        let mut command = session.command(&ui);
        command.arg("summary");
        if let Some(display) = display {
            command.env("DISPLAY", display);
        }
        let out = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{display:?}: {stderr}");
        assert!(stderr.contains(says) && !stderr.contains("panicked"), "{display:?}: {stderr}");
    }
}
