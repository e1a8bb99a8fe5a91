//! Without a tray host (stock GNOME): the daemon runs, and one desktop notification, once ever,
//! says where Respite can be reached (its menu entry's actions, `respite status`). A test
//! session has no StatusNotifierItem host on its bus.

use respite_e2e::{wait_for, Session};
use std::fs;
use std::time::Duration;

const TOLD: &str = "Respite runs without a tray icon";

/// The daemon's own log (`respite log`: uncoloured, from the state dir).
fn log(session: &Session) -> String {
    String::from_utf8_lossy(&session.respite(&["log", "-n", "500"]).stdout).into_owned()
}

#[test]
fn without_a_tray_respite_says_once_where_it_can_be_reached() {
    let mut session = Session::headless();
    let notifications = session.record_notifications();
    let mut daemon = session.spawn_daemon();
    let sent = session.wait_for(Duration::from_secs(20), "the notification about the missing tray", || {
        fs::read_to_string(&notifications).ok().filter(|sent| sent.contains(TOLD))
    });
    assert!(sent.contains("Right-click Respite in your app menu") && sent.contains("respite status"), "it says where: {sent}");
    assert!(session.root.path().join(".local/state/respite/told-no-tray").exists(), "remembered in the state dir");
    session.quit();
    assert!(wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());

    // Started again (the next login): not told again.
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    // Decided before the daemon answers its first request.
    assert!(log(&session).contains("was told before"), "{}", log(&session));
    session.quit();
    assert!(wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());
    assert_eq!(fs::read_to_string(&notifications).unwrap().matches(TOLD).count(), 1, "told once");
}

#[test]
fn with_a_display_but_no_tray_host_respite_waits_for_one_then_says_where_it_is() {
    let mut session = Session::with_display();
    let notifications = session.record_notifications();
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert!(!fs::read_to_string(&notifications).unwrap().contains(TOLD), "a host may still come up (at login): not yet");
    // The tray icon was made; no host registers within the grace (15 s).
    session.wait_for(Duration::from_secs(40), "the notification after the grace", || {
        fs::read_to_string(&notifications).ok().filter(|sent| sent.contains(TOLD))
    });
    let log = log(&session);
    assert!(log.contains("no tray host shows Respite's icon"), "{log}");
    assert!(!log.lines().any(|l| l.contains("WARN") && l.contains("zbus")), "looking left no complaint: {log}");
    session.quit();
    assert!(wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());
}
