//! Idle time from the real X server (XScreenSaver extension under Xvfb), driven with xdotool:
//! activity counts toward the break, an absence as long as a break is logged as a natural one.

use respite_e2e::{wait_for, Session};
use std::thread;
use std::time::{Duration, Instant};

const EYE_EVERY_30S: &str = r#"
[eye]
interval = "30s"
duration = "5s"
notice = "0s"
[stretch]
enabled = false
[walk]
enabled = false
"#;

/// Moves the pointer every second for `d`.
fn be_active(session: &Session, d: Duration) {
    let end = Instant::now() + d;
    let mut x = 100;
    while Instant::now() < end {
        x = if x == 100 { 400 } else { 100 };
        let moved = session.x("xdotool", &["mousemove", &x.to_string(), "300"]);
        assert!(moved.status.success(), "xdotool: {}", String::from_utf8_lossy(&moved.stderr));
        thread::sleep(Duration::from_secs(1));
    }
}

#[test]
fn x11_idle_time_pauses_the_count_and_an_absence_is_a_natural_break() {
    let session = Session::with_display();
    session.write_settings(EYE_EVERY_30S);
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_SENSES", "on")]);
    let status = wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert_eq!(status["idle_source"], "x11-screensaver", "{status}");
    // A break waits for a fullscreen window and, with the default settings, for calls.
    assert_eq!(status["hold_sources"], serde_json::json!(["x11-fullscreen", "camera", "microphone", "pipewire-screencast"]), "{status}");

    // 18 s of activity: more than half of the eye interval.
    be_active(&session, Duration::from_secs(18));
    let left = session.status().unwrap()["next"]["in_secs"].as_u64().unwrap();
    assert!(left <= 14, "activity counted toward the break: {left} s left");

    // Hands off: after the 5 s threshold the person is away, and the count stops.
    let away = session.wait_for(Duration::from_secs(20), "the daemon to see the person away", || {
        session.status().filter(|s| s["away"] == true)
    });
    assert!(away["next"].is_object(), "{away}");
    thread::sleep(Duration::from_secs(6));
    assert!(session.export().is_empty(), "nothing is logged while away");

    // Back at the keys: the absence (over 5 s) is logged as a natural eye rest.
    be_active(&session, Duration::from_secs(7));
    let rows = session.wait_for(Duration::from_secs(20), "a natural break in the log", || {
        let rows = session.export();
        (!rows.is_empty()).then_some(rows)
    });
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0]["kind"].as_str(), rows[0]["outcome"].as_str()), (Some("eye"), Some("natural")), "{rows:?}");
    assert!(rows[0]["actual_secs"].as_u64().unwrap() >= 5, "{rows:?}");
    let status = session.status().unwrap();
    assert_eq!(status["away"], false, "{status}");
    // The eye timer started afresh when the person came back.
    assert!(status["next"]["in_secs"].as_u64().unwrap() >= 15, "{status}");
    assert!(session.daemon_log().contains("x11-screensaver"), "{}", session.daemon_log());
    session.quit();
    session.wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().expect("wait"));
}
