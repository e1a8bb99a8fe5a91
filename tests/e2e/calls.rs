//! A call holds a due break: the real daemon, with sensing on, looks for a camera held open in
//! the real `/proc`. The camera is a stand-in file in a folder the daemon is pointed at
//! (`RESPITE_DEV_DIR`), held open by a `sleep` whose input it is, as a call app holds
//! `/dev/video0`. No display: idle has no source, so all time counts as active.

use respite_e2e::{wait_for, Session};
use std::fs;
use std::process::{Command, Stdio};
use std::time::Duration;

const EYE_EVERY_10S: &str = "[eye]\ninterval = \"10s\"\nduration = \"5s\"\nnotice = \"0s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[sound]\nenabled = false\n";

#[test]
fn a_break_waits_while_the_camera_is_in_use_and_starts_when_the_call_ends() {
    let session = Session::headless();
    let dev = session.root.path().join("dev");
    fs::create_dir_all(&dev).unwrap();
    let camera = dev.join("video0");
    fs::write(&camera, "").unwrap();
    // The call: a process with the camera open.
    let mut call = Command::new("sleep").arg("600").stdin(fs::File::open(&camera).unwrap()).stdout(Stdio::null()).spawn().unwrap();

    session.write_settings(EYE_EVERY_10S);
    let dev_dir = dev.to_string_lossy().into_owned();
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_SENSES", "on"), ("RESPITE_DEV_DIR", &dev_dir), ("RESPITE_UI_BIN", "/bin/true"), ("RUST_LOG", "info,respite::runtime=debug")]);
    let status = wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert_eq!(status["hold_sources"], serde_json::json!(["camera", "microphone", "pipewire-screencast"]), "{status}");
    let held = wait_for(Duration::from_secs(30), "the due eye rest to wait for the call", || {
        session.status().filter(|s| s["holding"] == "camera")
    });
    assert_eq!(held["state"], "working", "{held}");
    let prepared_before = session.daemon_log().matches("overlay started").count();
    // The daemon looks again (every 15 s) and the call still holds the break.
    wait_for(Duration::from_secs(30), "the daemon to look again and find the call still on", || {
        session.daemon_log().contains("break still held back").then_some(())
    });
    assert_eq!(session.status().unwrap()["state"], "working", "still waiting while the call goes on");
    // No overlay is prepared while the break waits (each would be a WebKit process).
    assert_eq!(session.daemon_log().matches("overlay started").count(), prepared_before, "{}", session.daemon_log());

    // The call ends: the break starts at the next look (every 15 s), and says why it waited.
    let _ = call.kill();
    let _ = call.wait();
    wait_for(Duration::from_secs(25), "the break to start after the call", || session.status().filter(|s| s["state"] == "on_break"));
    let skipped = session.respite(&["skip"]);
    assert!(skipped.status.success(), "{skipped:?}");
    let rows = wait_for(Duration::from_secs(10), "the break in the log", || Some(session.export()).filter(|rows| !rows.is_empty()));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["held_reason"], "camera", "{rows:?}");
    assert!(rows[0]["held_secs"].as_u64().unwrap() >= 3, "{rows:?}");

    // With wait_during_calls off, a camera in use holds nothing.
    session.write_settings(&format!("{EYE_EVERY_10S}[breaks]\nwait_during_calls = false\n"));
    assert!(session.respite(&["reload"]).status.success());
    let mut call = Command::new("sleep").arg("600").stdin(fs::File::open(&camera).unwrap()).stdout(Stdio::null()).spawn().unwrap();
    let status = session.status().unwrap();
    assert_eq!(status["hold_sources"], serde_json::json!(["pipewire-screencast"]), "calls no longer hold; a screen share still does: {status}");
    wait_for(Duration::from_secs(30), "the next break to start during the call", || session.status().filter(|s| s["state"] == "on_break"));
    let _ = call.kill();
    let _ = call.wait();
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}
