//! The D-Bus sources against stand-in GNOME and KDE services on a private bus: the real client
//! code reads them, probing keeps the ones that answer, and a service that vanishes mid-run
//! degrades to "no data" / "no hold", an idle source that is back is found again, and services
//! that never answer cost the caller one short wait. Also GNOME's show-banners through GSettings.

use super::super::gnome::{Banners, SessionInhibit};
use super::super::kde::NotificationsInhibited;
use super::super::mutter::MutterIdle;
use super::super::screensaver::{ScreenSaverIdle, ScreenSaverInhibit};
use super::super::bus::ANSWER_WITHIN;
use super::super::{idle_probe, probe_disturb, probe_idle, Desktop, DisturbSource, IdleSource, LiveSenses};
use super::support::{vanish, wait_for, Bus};
use respite_core::senses::{HoldReason, Senses};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::SeqCst};
use std::sync::Arc;
use std::time::{Duration, Instant};

const MUTTER: (&str, &str) = ("org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core");
const SCREENSAVER: (&str, &str) = ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver");
const SESSION_MANAGER: (&str, &str) = ("org.gnome.SessionManager", "/org/gnome/SessionManager");
const NOTIFICATIONS: (&str, &str) = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications");

struct IdleMonitor {
    idle_ms: Arc<AtomicU64>,
}

#[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
impl IdleMonitor {
    #[zbus(name = "GetIdletime")]
    fn get_idletime(&self) -> u64 {
        self.idle_ms.load(SeqCst)
    }
}

/// KDE's screen saver when both knobs are set; GNOME's (every call an error) when neither is.
#[derive(Default)]
struct ScreenSaver {
    idle_ms: Option<Arc<AtomicU32>>,
    inhibited: Option<Arc<AtomicBool>>,
}

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl ScreenSaver {
    fn get_session_idle_time(&self) -> zbus::fdo::Result<u32> {
        let ms = self.idle_ms.as_ref().ok_or_else(|| zbus::fdo::Error::NotSupported("not implemented".into()))?;
        Ok(ms.load(SeqCst))
    }

    fn has_inhibit(&self) -> zbus::fdo::Result<bool> {
        let inhibited =
            self.inhibited.as_ref().ok_or_else(|| zbus::fdo::Error::UnknownMethod("no HasInhibit".into()))?;
        Ok(inhibited.load(SeqCst))
    }
}

struct SessionManager {
    /// The inhibit flags currently held (1 logout, 2 switch user, 4 suspend, 8 idle).
    inhibited: Arc<AtomicU32>,
}

#[zbus::interface(name = "org.gnome.SessionManager")]
impl SessionManager {
    fn is_inhibited(&self, flags: u32) -> bool {
        self.inhibited.load(SeqCst) & flags != 0
    }
}

/// Plasma's notification server (with `Inhibited`), or another one (without) when `None`.
struct Notifications {
    inhibited: Option<Arc<AtomicBool>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[zbus(property)]
    fn inhibited(&self) -> zbus::fdo::Result<bool> {
        let inhibited = self.inhibited.as_ref().ok_or_else(|| zbus::fdo::Error::UnknownProperty("Inhibited".into()))?;
        Ok(inhibited.load(SeqCst))
    }
}

fn bus_desktop(bus: &Bus) -> Desktop {
    Desktop { session_bus: Some(bus.session()), x11_display: None, wayland_socket: None, gnome_settings: false }
}

fn names<T: ?Sized + DisturbSource>(sources: &[Box<T>]) -> Vec<&'static str> {
    sources.iter().map(|source| source.name()).collect()
}

#[test]
fn the_mutter_source_reads_the_idle_monitor() {
    let bus = Bus::start();
    let idle_ms = Arc::new(AtomicU64::new(1234));
    let _mutter = bus.serve(MUTTER.0, MUTTER.1, IdleMonitor { idle_ms: Arc::clone(&idle_ms) });
    let mut source = MutterIdle::new(&bus.session()).unwrap();
    assert_eq!(source.idle_time().unwrap(), Some(Duration::from_millis(1234)));
    idle_ms.store(7, SeqCst);
    assert_eq!(source.idle_time().unwrap(), Some(Duration::from_millis(7)));
}

#[test]
fn the_screensaver_sources_read_kde_and_fail_on_gnome() {
    let bus = Bus::start();
    let idle_ms = Arc::new(AtomicU32::new(4500));
    let inhibited = Arc::new(AtomicBool::new(false));
    let kde = ScreenSaver { idle_ms: Some(Arc::clone(&idle_ms)), inhibited: Some(Arc::clone(&inhibited)) };
    let service = bus.serve(SCREENSAVER.0, SCREENSAVER.1, kde);
    let mut idle = ScreenSaverIdle::new(&bus.session()).unwrap();
    let mut inhibit = ScreenSaverInhibit::new(&bus.session()).unwrap();
    assert_eq!(idle.idle_time().unwrap(), Some(Duration::from_millis(4500)));
    assert_eq!(inhibit.hold_reason().unwrap(), None);
    inhibited.store(true, SeqCst);
    assert_eq!(inhibit.hold_reason().unwrap(), Some(HoldReason::Inhibited));
    vanish(service, SCREENSAVER.0);

    let _gnome = bus.serve(SCREENSAVER.0, SCREENSAVER.1, ScreenSaver::default());
    assert!(idle.idle_time().is_err());
    assert!(inhibit.hold_reason().is_err());
}

#[test]
fn the_gnome_session_source_asks_about_idle_inhibitors_only() {
    let bus = Bus::start();
    let inhibited = Arc::new(AtomicU32::new(0));
    let _manager =
        bus.serve(SESSION_MANAGER.0, SESSION_MANAGER.1, SessionManager { inhibited: Arc::clone(&inhibited) });
    let mut source = SessionInhibit::new(&bus.session()).unwrap();
    assert_eq!(source.hold_reason().unwrap(), None);
    inhibited.store(1 | 4, SeqCst); // logout and suspend: not a reason to hold a break
    assert_eq!(source.hold_reason().unwrap(), None);
    inhibited.store(8, SeqCst);
    assert_eq!(source.hold_reason().unwrap(), Some(HoldReason::Inhibited));
}

#[test]
fn the_kde_source_reads_the_notifications_inhibited_property() {
    let bus = Bus::start();
    let inhibited = Arc::new(AtomicBool::new(false));
    let plasma = bus.serve(NOTIFICATIONS.0, NOTIFICATIONS.1, Notifications { inhibited: Some(Arc::clone(&inhibited)) });
    let mut source = NotificationsInhibited::new(&bus.session()).unwrap();
    assert_eq!(source.hold_reason().unwrap(), None);
    inhibited.store(true, SeqCst);
    assert_eq!(source.hold_reason().unwrap(), Some(HoldReason::DoNotDisturb));
    vanish(plasma, NOTIFICATIONS.0);

    let _other = bus.serve(NOTIFICATIONS.0, NOTIFICATIONS.1, Notifications { inhibited: None });
    assert!(source.hold_reason().is_err(), "a server without the property does not answer");
}

#[test]
fn probing_prefers_mutter_then_a_screensaver_that_answers_then_none() {
    let bus = Bus::start();
    let kde_idle = ScreenSaver { idle_ms: Some(Arc::new(AtomicU32::new(10))), inhibited: None };
    let screensaver = bus.serve(SCREENSAVER.0, SCREENSAVER.1, kde_idle);
    assert_eq!(probe_idle(&bus_desktop(&bus)).name(), "freedesktop-screensaver");

    let mutter = bus.serve(MUTTER.0, MUTTER.1, IdleMonitor { idle_ms: Arc::new(AtomicU64::new(10)) });
    assert_eq!(probe_idle(&bus_desktop(&bus)).name(), "mutter");
    vanish(mutter, MUTTER.0);
    vanish(screensaver, SCREENSAVER.0);

    let _gnome_screensaver = bus.serve(SCREENSAVER.0, SCREENSAVER.1, ScreenSaver::default());
    assert_eq!(probe_idle(&bus_desktop(&bus)).name(), "none", "GNOME's screen saver answers with an error");
}

#[test]
fn probing_keeps_the_disturb_sources_that_answer() {
    let bus = Bus::start();
    let _manager = bus.serve(SESSION_MANAGER.0, SESSION_MANAGER.1, SessionManager { inhibited: Arc::default() });
    let gnome_screensaver = bus.serve(SCREENSAVER.0, SCREENSAVER.1, ScreenSaver::default());
    let other_notifications = bus.serve(NOTIFICATIONS.0, NOTIFICATIONS.1, Notifications { inhibited: None });
    assert_eq!(names(&probe_disturb(&bus_desktop(&bus))), ["gnome-session-inhibit"]);
    vanish(gnome_screensaver, SCREENSAVER.0);
    vanish(other_notifications, NOTIFICATIONS.0);

    let kde = ScreenSaver { idle_ms: None, inhibited: Some(Arc::default()) };
    let _kde_screensaver = bus.serve(SCREENSAVER.0, SCREENSAVER.1, kde);
    let _plasma = bus.serve(NOTIFICATIONS.0, NOTIFICATIONS.1, Notifications { inhibited: Some(Arc::default()) });
    assert_eq!(
        names(&probe_disturb(&bus_desktop(&bus))),
        ["gnome-session-inhibit", "freedesktop-screensaver-inhibit", "kde-notifications"]
    );
}

#[test]
fn services_that_vanish_mid_run_degrade_to_no_data_and_no_hold() {
    let bus = Bus::start();
    let idle_ms = Arc::new(AtomicU64::new(60_000));
    let mutter = bus.serve(MUTTER.0, MUTTER.1, IdleMonitor { idle_ms: Arc::clone(&idle_ms) });
    let inhibited = Arc::new(AtomicU32::new(8));
    let manager = bus.serve(SESSION_MANAGER.0, SESSION_MANAGER.1, SessionManager { inhibited: Arc::clone(&inhibited) });
    let plasma_dnd = Arc::new(AtomicBool::new(false));
    let _plasma =
        bus.serve(NOTIFICATIONS.0, NOTIFICATIONS.1, Notifications { inhibited: Some(Arc::clone(&plasma_dnd)) });

    let desktop = bus_desktop(&bus);
    let mut senses = LiveSenses::new(probe_idle(&desktop), probe_disturb(&desktop));
    assert_eq!(senses.idle_source(), "mutter");
    assert_eq!(senses.idle_for(), Some(Duration::from_secs(60)));
    assert_eq!(senses.hold(), Some(HoldReason::Inhibited));

    vanish(mutter, MUTTER.0);
    vanish(manager, SESSION_MANAGER.0);
    assert_eq!(senses.hold(), None, "the session manager is gone: no hold");
    plasma_dnd.store(true, SeqCst);
    assert_eq!(senses.hold(), Some(HoldReason::DoNotDisturb), "the other sources still answer");
    assert_eq!(senses.idle_for(), None);
    assert_eq!(senses.idle_for(), None);
    assert_eq!(senses.idle_source(), "mutter", "two failures are not yet three");

    let mutter_again = bus.serve(MUTTER.0, MUTTER.1, IdleMonitor { idle_ms: Arc::clone(&idle_ms) });
    let _manager_again = bus.serve(SESSION_MANAGER.0, SESSION_MANAGER.1, SessionManager { inhibited });
    plasma_dnd.store(false, SeqCst);
    assert_eq!(senses.hold(), Some(HoldReason::Inhibited), "a disturb source that is back is used again");
    assert_eq!(senses.idle_for(), Some(Duration::from_secs(60)), "back before the third failure");
    vanish(mutter_again, MUTTER.0);
    for _ in 0..3 {
        assert_eq!(senses.idle_for(), None);
    }
    assert_eq!(senses.idle_source(), "none", "three failures in a row fall back for good");
}

/// Compiles a copy of GNOME's notification schema into `dir` (or, with `with_key` false, one
/// without `show-banners`).
fn compile_schema(dir: &std::path::Path, with_key: bool) {
    let show_banners = r#"<key name="show-banners" type="b"><default>true</default></key>"#;
    let xml = [
        r#"<schemalist><schema id="org.gnome.desktop.notifications" path="/org/gnome/desktop/notifications/">"#,
        if with_key { show_banners } else { "" },
        r#"<key name="show-in-lock-screen" type="b"><default>true</default></key></schema></schemalist>"#,
    ]
    .concat();
    std::fs::write(dir.join("org.gnome.desktop.notifications.gschema.xml"), xml).unwrap();
    let status = std::process::Command::new("glib-compile-schemas")
        .arg(dir)
        .status()
        .expect("glib-compile-schemas (libglib2.0-bin, installed with libgtk-3-dev)");
    assert!(status.success());
}

#[test]
fn gnome_banners_off_is_do_not_disturb_and_a_missing_schema_is_no_source() {
    let dir = tempfile::tempdir().unwrap();
    let schemas = dir.path().join("schemas");
    std::fs::create_dir(&schemas).unwrap();
    compile_schema(&schemas, true);
    let keyfile = dir.path().join("keyfile");
    let mut banners = Banners::with_files(Some(schemas.clone()), Some(keyfile.clone()));
    assert_eq!(banners.hold_reason().unwrap(), None, "banners are on by default");
    std::fs::write(&keyfile, "[org/gnome/desktop/notifications]\nshow-banners=false\n").unwrap();
    assert_eq!(banners.hold_reason().unwrap(), Some(HoldReason::DoNotDisturb));
    std::fs::write(&keyfile, "[org/gnome/desktop/notifications]\nshow-banners=true\n").unwrap();
    assert_eq!(banners.hold_reason().unwrap(), None);

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(Banners::with_files(Some(empty), Some(keyfile.clone())).hold_reason().is_err(), "no compiled schemas");
    let without_key = dir.path().join("without-key");
    std::fs::create_dir(&without_key).unwrap();
    compile_schema(&without_key, false);
    assert!(Banners::with_files(Some(without_key), Some(keyfile)).hold_reason().is_err(), "schema without the key");
}

/// A notification server that shows actions or not, and records the actions it was sent.
struct NotificationServer {
    capabilities: Vec<String>,
    sent_actions: Arc<std::sync::Mutex<Vec<Vec<String>>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl NotificationServer {
    fn get_capabilities(&self) -> Vec<String> {
        self.capabilities.clone()
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app: String,
        _replaces: u32,
        _icon: String,
        _summary: String,
        _body: String,
        actions: Vec<String>,
        _hints: std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
        _timeout: i32,
    ) -> u32 {
        self.sent_actions.lock().unwrap().push(actions);
        1
    }
}

#[test]
fn an_action_is_offered_only_where_the_server_shows_actions() {
    for (capabilities, expected) in [(vec!["body", "actions"], vec!["open", "Open"]), (vec!["body"], vec![])] {
        let bus = Bus::start();
        let sent_actions = Arc::new(std::sync::Mutex::new(Vec::new()));
        let server = NotificationServer { capabilities: capabilities.iter().map(|c| c.to_string()).collect(), sent_actions: Arc::clone(&sent_actions) };
        let _server = bus.serve(NOTIFICATIONS.0, NOTIFICATIONS.1, server);
        let action = crate::notify::Action { key: "open", label: "Open".into(), lasts: Duration::from_millis(100), chosen: Box::new(|| {}) };
        crate::notify::offer_on(bus.connect(), "summary", "body", action.into(), crate::notify::answers().1).unwrap();
        assert_eq!(*sent_actions.lock().unwrap(), vec![expected.iter().map(|s| s.to_string()).collect::<Vec<_>>()], "{capabilities:?}");
    }
}

#[test]
fn an_idle_source_dropped_after_three_failures_is_found_again_when_it_is_back() {
    let bus = Bus::start();
    let idle_ms = Arc::new(AtomicU64::new(60_000));
    let mutter = bus.serve(MUTTER.0, MUTTER.1, IdleMonitor { idle_ms: Arc::clone(&idle_ms) });
    let desktop = bus_desktop(&bus);
    let mut senses = LiveSenses::new(probe_idle(&desktop), Vec::new()).with_idle_probe(idle_probe(desktop), Duration::ZERO);
    assert_eq!(senses.idle_for(), Some(Duration::from_secs(60)));

    vanish(mutter, MUTTER.0); // gnome-shell restarts
    for _ in 0..3 {
        assert_eq!(senses.idle_for(), None);
    }
    assert_eq!(senses.idle_source(), "none");
    assert_eq!(senses.idle_for(), None, "probed again: nothing answers yet");

    let _mutter_again = bus.serve(MUTTER.0, MUTTER.1, IdleMonitor { idle_ms });
    assert_eq!(senses.idle_for(), Some(Duration::from_secs(60)), "probed again: the idle monitor is back");
    assert_eq!(senses.idle_source(), "mutter");
}

/// Stand-ins that receive every call and never answer it.
struct StalledMonitor;

#[zbus::interface(name = "org.gnome.Mutter.IdleMonitor")]
impl StalledMonitor {
    #[zbus(name = "GetIdletime")]
    async fn get_idletime(&self) -> u64 {
        std::future::pending().await
    }
}

struct StalledManager;

#[zbus::interface(name = "org.gnome.SessionManager")]
impl StalledManager {
    async fn is_inhibited(&self, _flags: u32) -> bool {
        std::future::pending().await
    }
}

struct StalledScreenSaver;

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl StalledScreenSaver {
    async fn has_inhibit(&self) -> bool {
        std::future::pending().await
    }
}

#[test]
fn services_that_never_answer_cost_one_short_wait_and_count_as_unknown() {
    let bus = Bus::start();
    let stalled_mutter = bus.serve(MUTTER.0, MUTTER.1, StalledMonitor);
    let _manager = bus.serve(SESSION_MANAGER.0, SESSION_MANAGER.1, StalledManager);
    let _screensaver = bus.serve(SCREENSAVER.0, SCREENSAVER.1, StalledScreenSaver);
    let session = bus.session().pausing(Duration::from_secs(1));
    let mut senses = LiveSenses::new(
        Box::new(MutterIdle::new(&session).unwrap()),
        vec![Box::new(SessionInhibit::new(&session).unwrap()), Box::new(ScreenSaverInhibit::new(&session).unwrap())],
    );
    // A break is due: idle time is read, then every do-not-disturb source is asked.
    let bound = ANSWER_WITHIN + Duration::from_millis(500);
    for round in 0..2 {
        let started = Instant::now();
        assert_eq!(senses.idle_for(), None, "no idle data: unknown, not blocking");
        assert_eq!(senses.hold(), None, "no hold");
        let took = started.elapsed();
        println!("round {round}: a due break's questions to stalled services took {took:?}");
        assert!(took < bound, "round {round}: the stalled bus held the schedule for {took:?} (bound {bound:?})");
    }
    assert_eq!(senses.idle_source(), "mutter", "two failures are not three");

    // After the pause, a service that answers is read again (on the same bus: the unanswered
    // calls were abandoned, not left in the way).
    vanish(stalled_mutter, MUTTER.0);
    let _mutter = bus.serve(MUTTER.0, MUTTER.1, IdleMonitor { idle_ms: Arc::new(AtomicU64::new(5000)) });
    let mut idle = MutterIdle::new(&session).unwrap();
    let reading = wait_for(Duration::from_secs(10), "the bus to answer again", || idle.idle_time().ok().flatten());
    assert_eq!(reading, Duration::from_secs(5));
}
