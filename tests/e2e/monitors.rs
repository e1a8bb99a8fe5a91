//! Overlays on two real monitors (Xorg with the dummy driver: GTK sees two RandR outputs), and
//! the page's own controls, driven with the keyboard, logged with the right outcome.

use respite_e2e::Session;
use std::time::Duration;

/// Visible windows whose title is `title`, as (geometry, position) text from xdotool.
fn overlay_windows(session: &Session, title: &str) -> Vec<(String, String)> {
    let found = session.x("xdotool", &["search", "--onlyvisible", "--name", &format!("^{title}$")]);
    String::from_utf8_lossy(&found.stdout)
        .lines()
        .map(|id| {
            let geometry = String::from_utf8_lossy(&session.x("xdotool", &["getwindowgeometry", id.trim()]).stdout).into_owned();
            let field = |name: &str| geometry.lines().find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_owned())).unwrap_or_default();
            (field("Geometry:"), field("Position:").split(' ').next().unwrap_or_default().to_owned())
        })
        .collect()
}

/// Waits until the `count`th overlay has told the daemon it is on screen: its page has drawn the
/// break and put the focus on its first button (the page does that before asking to be shown).
fn wait_until_on_screen(session: &Session, count: usize) {
    session.wait_for(Duration::from_secs(30), "the overlay to say it is on screen", || (session.daemon_log().matches("overlay on screen").count() >= count).then_some(()));
}

/// Gives the first overlay titled `title` the keyboard focus, waits until X says it has it, and
/// presses `key` there.
fn press_in_overlay(session: &Session, title: &str, key: &str) {
    let found = session.x("xdotool", &["search", "--onlyvisible", "--name", &format!("^{title}$")]);
    let first = String::from_utf8_lossy(&found.stdout).lines().next().expect("an overlay window").trim().to_owned();
    session.x("xdotool", &["windowactivate", "--sync", &first]);
    session.x("xdotool", &["windowfocus", "--sync", &first]);
    session.wait_for(Duration::from_secs(10), "the overlay to have the keyboard focus", || {
        let focused = session.x("xdotool", &["getwindowfocus"]);
        (String::from_utf8_lossy(&focused.stdout).trim() == first).then_some(())
    });
    session.x("xdotool", &["key", "--window", &first, key]);
}

fn last_outcome(session: &Session) -> Option<String> {
    session.export().last().map(|r| r["outcome"].as_str().unwrap_or_default().to_owned())
}

#[test]
fn one_overlay_per_monitor_and_the_page_controls_are_logged() {
    let session = Session::with_two_monitors();
    session.write_settings("[overlay]\nfade = \"0s\"\n[sound]\nenabled = false\n");
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());

    assert!(session.respite(&["break", "stretch"]).status.success());
    let mut windows = session.wait_for(Duration::from_secs(30), "two stretch overlays", || {
        let windows = overlay_windows(&session, "Respite — Stretch");
        (windows.len() == 2).then_some(windows)
    });
    windows.sort();
    assert_eq!(
        windows,
        vec![("1280x1024".to_owned(), "1920,0".to_owned()), ("1920x1080".to_owned(), "0,0".to_owned())],
        "each overlay covers its monitor exactly"
    );
    // Postpone has the focus when the break starts: Enter postpones.
    wait_until_on_screen(&session, 1);
    press_in_overlay(&session, "Respite — Stretch", "Return");
    session.wait_for(Duration::from_secs(15), "the postpone to be logged", || (last_outcome(&session)? == "postponed").then_some(()));
    session.wait_for(Duration::from_secs(20), "the overlays to close", || overlay_windows(&session, "Respite — Stretch").is_empty().then_some(()));

    // Escape skips.
    assert!(session.respite(&["break", "eye"]).status.success());
    session.wait_for(Duration::from_secs(30), "two eye-rest overlays", || (overlay_windows(&session, "Respite — Eye rest").len() == 2).then_some(()));
    wait_until_on_screen(&session, 2);
    press_in_overlay(&session, "Respite — Eye rest", "Escape");
    session.wait_for(Duration::from_secs(15), "the skip to be logged", || (last_outcome(&session)? == "skipped").then_some(()));
    let rows = session.export();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!((rows[0]["kind"].as_str(), rows[1]["kind"].as_str()), (Some("stretch"), Some("eye")));

    session.quit();
    assert!(daemon.wait().unwrap().success());
    session.wait_for(Duration::from_secs(10), "every Respite and WebKit process to end", || session.live_processes().is_empty().then_some(()));
}
