//! What else holds a due break: an app the person listed, and a screen share. The real daemon,
//! with sensing on and no display (idle has no source, so all time counts as active), against a
//! real process of the listed name, and against a real PipeWire daemon started by the test with
//! a video stream shaped like the desktop portal's.

use respite_e2e::{on_path, skip_or_fail, wait_for, Running, Session};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const EYE_EVERY_10S: &str = "[eye]\ninterval = \"10s\"\nduration = \"3s\"\nnotice = \"0s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[sound]\nenabled = false\n";


fn daemon(session: &Session) -> Child {
    session.spawn_daemon_with(&[("RESPITE_SENSES", "on"), ("RESPITE_UI_BIN", "/bin/true"), ("RUST_LOG", "info,respite::runtime=debug")])
}

/// Skips the break on screen, then waits until the next one is due and held for `reason`.
fn held_for(session: &Session, reason: &str) -> serde_json::Value {
    session.wait_for(Duration::from_secs(40), &format!("a due break held for {reason}"), || session.status().filter(|s| s["holding"] == reason))
}

fn skip_when_on_break(session: &Session) {
    session.wait_for(Duration::from_secs(30), "a break to start", || session.status().filter(|s| s["state"] == "on_break"));
    let skipped = session.respite(&["skip"]);
    assert!(skipped.status.success(), "{skipped:?}");
}

#[test]
fn a_break_waits_while_a_listed_app_runs_and_starts_once_it_quits() {
    let session = Session::headless();
    // A real process called "presenter": sleep run through a link of that name (the kernel
    // names a process after the path it was started by; a copy of the binary could meet
    // "text file busy" while another test's process starts).
    let presenter = session.root.path().join("presenter");
    std::os::unix::fs::symlink("/bin/sleep", &presenter).unwrap();
    let app = Running(Command::new(&presenter).arg("600").stdin(Stdio::null()).spawn().unwrap());
    session.write_settings(&format!("{EYE_EVERY_10S}[breaks]\nwait_for_apps = [\"Presenter\"]\n"));
    let mut daemon = daemon(&session);
    let status = session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert!(status["hold_sources"].as_array().unwrap().contains(&serde_json::json!("apps")), "{status}");
    let held = held_for(&session, "app");
    assert_eq!(held["state"], "working", "{held}");
    assert!(session.daemon_log().contains("a listed app holds the break: presenter"), "{}", session.daemon_log());
    drop(app);
    session.wait_for(Duration::from_secs(25), "the break to start once the app quit", || session.status().filter(|s| s["state"] == "on_break"));
    assert!(session.respite(&["skip"]).status.success());
    let rows = wait_for(Duration::from_secs(10), "the break in the log", || Some(session.export()).filter(|rows| !rows.is_empty()));
    assert_eq!(rows[0]["held_reason"], "app", "{rows:?}");
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}

/// `pw-dump` answers on this session's PipeWire.
fn pipewire_answers(session: &Session) -> bool {
    session.command(Path::new("pw-dump")).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn pw_dump(session: &Session) -> String {
    let out = session.command(Path::new("pw-dump")).stderr(Stdio::null()).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_break_waits_while_the_screen_is_shared_through_pipewire_and_no_pipewire_is_no_hold() {
    const TEST: &str = "holds::screen_share";
    for program in ["pipewire", "pw-dump", "gst-launch-1.0"] {
        if !on_path(program) {
            return skip_or_fail(TEST, &format!("{program} is not installed (scripts/install-deps test)"));
        }
    }
    let session = Session::headless();
    session.write_settings(EYE_EVERY_10S);
    let mut daemon = daemon(&session);
    let status = session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert!(status["hold_sources"].as_array().unwrap().contains(&serde_json::json!("pipewire-screencast")), "{status}");
    // No PipeWire yet: the due break is not held, and the log says once, calmly, why.
    skip_when_on_break(&session);
    let log = session.daemon_log();
    assert_eq!(log.matches("screen shares cannot be seen").count(), 1, "{log}");
    assert!(!log.contains("ERROR") && !log.contains("WARN respite::senses"), "{log}");

    // A private PipeWire, and a stream shaped like xdg-desktop-portal-wlr's screen cast.
    let _pipewire = Running(session.command(Path::new("pipewire")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap());
    wait_for(Duration::from_secs(10), "PipeWire to answer", || pipewire_answers(&session).then_some(()));
    let cast = Running(
        session
            .command(Path::new("gst-launch-1.0"))
            .args([
                "-q",
                "videotestsrc",
                "is-live=true",
                "!",
                "video/x-raw,width=320,height=240",
                "!",
                "pipewiresink",
                "mode=provide",
                "client-name=xdg-desktop-portal-wlr",
                "stream-properties=props,media.class=Video/Source,media.name=xdpw-stream-e2e",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(Duration::from_secs(10), "the screen-cast stream in the PipeWire graph", || pw_dump(&session).contains("xdpw-stream-e2e").then_some(()));
    held_for(&session, "screen_share");
    assert!(session.daemon_log().contains("the screen is being shared"), "{}", session.daemon_log());
    // The share ends: the break starts at the next look, and says why it waited.
    drop(cast);
    wait_for(Duration::from_secs(10), "the stream to leave the graph", || (!pw_dump(&session).contains("xdpw-stream-e2e")).then_some(()));
    session.wait_for(Duration::from_secs(25), "the break to start after the share", || session.status().filter(|s| s["state"] == "on_break"));
    assert!(session.respite(&["skip"]).status.success());
    let rows = wait_for(Duration::from_secs(10), "both breaks in the log", || Some(session.export()).filter(|rows| rows.len() >= 2));
    assert_eq!(rows.last().unwrap()["held_reason"], "screen_share", "{rows:?}");
    assert_eq!(rows[0]["held_reason"], serde_json::Value::Null, "without PipeWire nothing held the first: {rows:?}");
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}
