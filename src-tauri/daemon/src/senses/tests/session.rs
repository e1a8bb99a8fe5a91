//! The session watch against a stand-in logind on a private "system" bus and screen-saver
//! signals on a private session bus.

use super::super::session::{watch_on, SessionEvent};
use super::support::Bus;
use respite_core::schedule::ScreenLock;
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::Duration;
use zbus::blocking::Connection;
use zbus::zvariant::OwnedObjectPath;

const MANAGER_PATH: &str = "/org/freedesktop/login1";
const MANAGER: &str = "org.freedesktop.login1.Manager";
const SESSION: &str = "org.freedesktop.login1.Session";
const OUR_SESSION: &str = "/org/freedesktop/login1/session/_7";
const OTHER_SESSION: &str = "/org/freedesktop/login1/session/_8";

struct Login1 {
    /// The session `GetSessionByPID` answers, or an error when `None`.
    session: Option<&'static str>,
    asked_pid: Arc<AtomicU32>,
}

#[zbus::interface(name = "org.freedesktop.login1.Manager")]
impl Login1 {
    #[zbus(name = "GetSessionByPID")]
    fn get_session_by_pid(&self, pid: u32) -> zbus::fdo::Result<OwnedObjectPath> {
        self.asked_pid.store(pid, SeqCst);
        let session =
            self.session.ok_or_else(|| zbus::fdo::Error::Failed("PID does not belong to any known session".into()))?;
        Ok(OwnedObjectPath::try_from(session).expect("a path"))
    }
}

fn signal<B: serde::Serialize + zbus::zvariant::DynamicType>(
    from: &Connection,
    path: &str,
    interface: &str,
    member: &str,
    body: &B,
) {
    from.emit_signal(None::<&str>, path, interface, member, body).expect("emit");
}

fn next(events: &Receiver<SessionEvent>) -> SessionEvent {
    events.recv_timeout(Duration::from_secs(5)).expect("an event within 5 s")
}

/// Starts watching; gives the events and the unique name of the watcher's system-bus connection.
fn watch(system: &Bus, session: &Bus) -> (Receiver<SessionEvent>, String) {
    let (sender, events) = mpsc::channel();
    let system = system.connect();
    let watcher = system.unique_name().expect("a unique name").to_string();
    watch_on(Some(system), Some(session.connect()), move |event| {
        let _ = sender.send(event);
    });
    (events, watcher)
}

#[test]
fn sleep_and_lock_come_from_logind_and_the_screen_savers_once_per_change() {
    let system = Bus::start();
    let session = Bus::start();
    let asked_pid = Arc::new(AtomicU32::new(0));
    let logind = system.serve(
        "org.freedesktop.login1",
        MANAGER_PATH,
        Login1 { session: Some(OUR_SESSION), asked_pid: Arc::clone(&asked_pid) },
    );
    let (events, watcher) = watch(&system, &session);
    assert_eq!(asked_pid.load(SeqCst), std::process::id());

    signal(&logind, MANAGER_PATH, MANAGER, "PrepareForSleep", &true);
    assert_eq!(next(&events), SessionEvent::Sleeping(true));

    // Another process on the system bus sends a look-alike straight to the watcher: not logind.
    let impostor = system.connect();
    impostor.emit_signal(Some(watcher.as_str()), MANAGER_PATH, MANAGER, "PrepareForSleep", &true).expect("emit");
    signal(&logind, MANAGER_PATH, MANAGER, "PrepareForSleep", &false);
    assert_eq!(next(&events), SessionEvent::Sleeping(false), "the impostor's signal was ignored");

    signal(&logind, OTHER_SESSION, SESSION, "Unlock", &());
    signal(&logind, OUR_SESSION, SESSION, "Lock", &());
    assert_eq!(next(&events), SessionEvent::Screen(ScreenLock::Locked), "another session's unlock was ignored");

    signal(&session.connect(), "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", &true);
    signal(&session.connect(), "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", &false);
    assert_eq!(next(&events), SessionEvent::Screen(ScreenLock::Unlocked), "the screen saver's lock repeated logind's: dropped");

    signal(&logind, OUR_SESSION, SESSION, "Unlock", &());
    signal(&logind, OUR_SESSION, SESSION, "Lock", &());
    assert_eq!(next(&events), SessionEvent::Screen(ScreenLock::Locked));
    assert!(events.recv_timeout(Duration::from_millis(300)).is_err(), "nothing more");
}

#[test]
fn without_a_logind_session_sleep_is_still_watched_and_no_lock_is_taken_from_logind() {
    let system = Bus::start();
    let session = Bus::start();
    let logind =
        system.serve("org.freedesktop.login1", MANAGER_PATH, Login1 { session: None, asked_pid: Arc::default() });
    let (events, _) = watch(&system, &session);
    signal(&logind, OUR_SESSION, SESSION, "Lock", &());
    signal(&logind, MANAGER_PATH, MANAGER, "PrepareForSleep", &true);
    assert_eq!(next(&events), SessionEvent::Sleeping(true), "the lock of an unknown session was ignored");
    signal(&session.connect(), "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", &true);
    assert_eq!(next(&events), SessionEvent::Screen(ScreenLock::Locked));
}
