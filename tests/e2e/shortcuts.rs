//! Global shortcuts on X11: the real daemon on Xvfb grabs the keys set in `[shortcuts]`, and
//! `xdotool key` presses them as a person would. (A combination another program holds already
//! is tested in the daemon's own tests, `shortcuts.rs`, with a second X client.)

use respite_e2e::{on_path, skip_or_fail, wait_for, Session};
use std::time::Duration;

const SETTINGS: &str = "[eye]\nenabled = false\n[walk]\nenabled = false\n[stretch]\ninterval = \"1h\"\nduration = \"30s\"\n[sound]\nenabled = false\n\
    [shortcuts]\nbreak_now = \"Ctrl+Alt+B\"\npause_hour = \"Ctrl+Alt+H\"\n";

#[test]
fn shortcuts_take_a_break_and_pause_on_x11() {
    if !on_path("xdotool") {
        return skip_or_fail("shortcuts::shortcuts_take_a_break_and_pause_on_x11", "xdotool is not installed (scripts/install-deps test)");
    }
    let session = Session::with_display();
    session.write_settings(SETTINGS);
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]);
    session.wait_for(Duration::from_secs(20), "the shortcuts to be bound", || session.daemon_log().contains("shortcut Ctrl+Alt+H bound").then_some(()));
    let pressed = session.x("xdotool", &["key", "ctrl+alt+b"]);
    assert!(pressed.status.success(), "{pressed:?}");
    session.wait_for(Duration::from_secs(10), "the break the shortcut asked for", || session.status().filter(|s| s["state"] == "on_break"));
    assert_eq!(session.status().unwrap()["current"]["kind"], "stretch");
    assert!(session.respite(&["skip"]).status.success());
    session.x("xdotool", &["key", "ctrl+alt+h"]);
    let paused = session.wait_for(Duration::from_secs(10), "the pause the shortcut asked for", || session.status().filter(|s| s["state"] == "paused"));
    assert!(paused["paused_until"].is_string(), "an hour's pause ends: {paused}");
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}
