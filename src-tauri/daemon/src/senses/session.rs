//! Sleep and lock, as they happen, from D-Bus signals (never polled): logind's
//! `PrepareForSleep` and this session's `Lock`/`Unlock` on the system bus, and the screen
//! savers' `ActiveChanged` (`org.freedesktop.ScreenSaver`, `org.gnome.ScreenSaver`) on the
//! session bus. One task on the io thread ([`crate::io_thread`]) waits for both buses' signals;
//! a bus that is missing (containers, tests) is logged once and not watched.

use super::{bus, SenseError, BUS_TIMEOUT};
use respite_core::schedule::ScreenLock;
use std::sync::{Mutex, PoisonError};
use futures_lite::StreamExt as _;
use std::task::Poll;
use zbus::blocking::fdo::DBusProxy;
use zbus::blocking::Connection;
use zbus::message::Type;
use zbus::zvariant::OwnedObjectPath;
use zbus::{MatchRule, Message};

const LOGIN1: &str = "org.freedesktop.login1";
const MANAGER_PATH: &str = "/org/freedesktop/login1";
const MANAGER: &str = "org.freedesktop.login1.Manager";
const SESSION: &str = "org.freedesktop.login1.Session";
const SCREEN_SAVERS: [&str; 2] = ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"];

/// What happened to the machine or the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEvent {
    /// `true` just before the machine sleeps, `false` when it has woken.
    Sleeping(bool),
    /// The session locked or unlocked. Reported once per change, however many of logind and
    /// the screen savers say so.
    Screen(ScreenLock),
}

/// Starts watching the system bus (logind) and the session bus (screen savers); `on_event` is
/// called from the watching threads, one event at a time.
pub fn watch(on_event: impl Fn(SessionEvent) + Send + 'static) {
    let system = crate::session_bus::system()
        .inspect_err(|e| tracing::info!("no D-Bus system bus ({e}): sleep and lock are not watched through logind"))
        .ok();
    let session = crate::session_bus::shared()
        .inspect_err(|e| tracing::info!("no D-Bus session bus ({e}): the screen saver is not watched"))
        .ok();
    watch_on(system, session, on_event);
}

/// [`watch`] on the given buses. Signals sent after this returns are not missed.
pub fn watch_on(
    system: Option<Connection>,
    session: Option<Connection>,
    on_event: impl Fn(SessionEvent) + Send + 'static,
) {
    let emitter = Emitter { state: Mutex::new((on_event, None)) };
    let mut watchers = Vec::new();
    if let Some(system) = system {
        match Watcher::on_system_bus(&system) {
            Ok(watcher) => watchers.push(watcher),
            Err(e) => tracing::info!("cannot watch logind ({e}): sleep and lock are not watched through it"),
        }
    }
    if let Some(session) = session {
        match Watcher::on_session_bus(&session) {
            Ok(watcher) => watchers.push(watcher),
            Err(e) => tracing::info!("cannot watch the screen saver ({e})"),
        }
    }
    if !watchers.is_empty() {
        spawn(watchers, emitter);
    }
}

/// Calls back one event at a time, and drops a lock state that is already known.
struct Emitter<F> {
    state: Mutex<(F, Option<ScreenLock>)>,
}

impl<F: Fn(SessionEvent)> Emitter<F> {
    fn emit(&self, event: SessionEvent) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (on_event, locked) = &mut *state;
        if let SessionEvent::Screen(now) = event {
            if *locked == Some(now) {
                return;
            }
            *locked = Some(now);
        }
        on_event(event);
    }
}

/// The messages of one bus (listened to from the moment it is made), and what to trust in them.
struct Watcher {
    messages: Option<zbus::MessageStream>,
    /// On the system bus: to check that logind's signals come from logind.
    dbus: Option<DBusProxy<'static>>,
    /// This process's logind session, whose `Lock`/`Unlock` count.
    session: Option<OwnedObjectPath>,
}

fn signal_rule() -> zbus::match_rule::Builder<'static> {
    MatchRule::builder().msg_type(Type::Signal)
}

impl Watcher {
    fn on_system_bus(bus: &Connection) -> Result<Self, SenseError> {
        // Listening starts before the match rules, so that nothing sent after them is missed.
        let messages = Some(zbus::MessageStream::from(bus.inner()));
        let dbus = DBusProxy::new(bus)?;
        dbus.add_match_rule(
            signal_rule().sender(LOGIN1)?.path(MANAGER_PATH)?.interface(MANAGER)?.member("PrepareForSleep")?.build(),
        )?;
        let session = match own_session(bus) {
            Ok(path) => {
                dbus.add_match_rule(signal_rule().sender(LOGIN1)?.path(path.as_ref())?.interface(SESSION)?.build())?;
                Some(path)
            }
            Err(e) => {
                tracing::info!(
                    "no logind session for this process ({e}): lock is watched through the screen saver only"
                );
                None
            }
        };
        Ok(Watcher { messages, dbus: Some(dbus), session })
    }

    fn on_session_bus(bus: &Connection) -> Result<Self, SenseError> {
        let messages = Some(zbus::MessageStream::from(bus.inner()));
        let dbus = DBusProxy::new(bus)?;
        for interface in SCREEN_SAVERS {
            dbus.add_match_rule(signal_rule().interface(interface)?.member("ActiveChanged")?.build())?;
        }
        Ok(Watcher { messages, dbus: None, session: None })
    }

    /// What `message` says, if it is one of the signals watched. Asks the bus who owns logind
    /// without blocking: this runs on the io thread, which reads the bus's replies.
    async fn event(&self, message: &Message) -> Option<SessionEvent> {
        let header = message.header();
        if header.message_type() != Type::Signal {
            return None;
        }
        let interface = header.interface()?.as_str();
        let member = header.member()?.as_str();
        let session = || self.session.as_ref().is_some_and(|session| header.path() == Some(&session.as_ref()));
        let logind_signal = matches!((interface, member), (MANAGER, "PrepareForSleep") | (SESSION, "Lock" | "Unlock"));
        let from_logind = if logind_signal { self.sent_by_logind(&header).await } else { false };
        match (interface, member) {
            (MANAGER, "PrepareForSleep") if from_logind => message.body().deserialize::<bool>().ok().map(SessionEvent::Sleeping),
            (SESSION, "Lock") if session() && from_logind => Some(SessionEvent::Screen(ScreenLock::Locked)),
            (SESSION, "Unlock") if session() && from_logind => Some(SessionEvent::Screen(ScreenLock::Unlocked)),
            (interface, "ActiveChanged") if self.dbus.is_none() && SCREEN_SAVERS.contains(&interface) => {
                message.body().deserialize::<bool>().ok().map(|active| SessionEvent::Screen(if active { ScreenLock::Locked } else { ScreenLock::Unlocked }))
            }
            _ => None,
        }
    }

    /// Whether the message was sent by logind's owner on the system bus.
    async fn sent_by_logind(&self, header: &zbus::message::Header<'_>) -> bool {
        let (Some(dbus), Some(sender)) = (self.dbus.as_ref(), header.sender()) else { return false };
        let owner: zbus::Result<String> = dbus.inner().inner().call("GetNameOwner", &(LOGIN1,)).await;
        owner.is_ok_and(|owner| sender.as_str() == owner)
    }
}

/// This process's logind session: the one it runs in, or else (started outside any session, as
/// by a user service) the user's display session that logind calls `auto`.
fn own_session(bus: &Connection) -> Result<OwnedObjectPath, SenseError> {
    let manager = bus::proxy(bus, LOGIN1, MANAGER_PATH, MANAGER)?;
    bus::call(&manager, "GetSessionByPID", std::process::id(), BUS_TIMEOUT).or_else(|by_pid| {
        let auto = bus::Property::new(bus, LOGIN1, "/org/freedesktop/login1/session/auto", SESSION, "Id")?;
        let id: String = auto.get(BUS_TIMEOUT).map_err(|_| by_pid)?;
        bus::call(&manager, "GetSession", id, BUS_TIMEOUT)
    })
}

/// One task for every bus watched, on the io thread: it waits for the next message of any, and
/// words the event with its watcher.
fn spawn<F: Fn(SessionEvent) + Send + 'static>(mut watchers: Vec<Watcher>, emitter: Emitter<F>) {
    let mut streams: Vec<(usize, zbus::MessageStream)> =
        watchers.iter_mut().enumerate().filter_map(|(index, watcher)| Some((index, watcher.messages.take()?))).collect();
    crate::io_thread::spawn(async move {
        while let Some((index, message)) = next_of_any(&mut streams).await {
            let Ok(message) = message else { continue };
            if let Some(event) = watchers[index].event(&message).await {
                emitter.emit(event);
            }
        }
        tracing::info!("session watch stopped: its bus connections closed");
    });
}

/// The next message of any of `streams`, with its watcher's index; a stream that ends (its
/// connection closed) is dropped, and `None` comes when none is left.
async fn next_of_any(streams: &mut Vec<(usize, zbus::MessageStream)>) -> Option<(usize, zbus::Result<Message>)> {
    futures_lite::future::poll_fn(|cx| {
        let mut i = 0;
        while i < streams.len() {
            match streams[i].1.poll_next(cx) {
                Poll::Ready(Some(message)) => return Poll::Ready(Some((streams[i].0, message))),
                Poll::Ready(None) => {
                    drop(streams.remove(i));
                }
                Poll::Pending => i += 1,
            }
        }
        if streams.is_empty() { Poll::Ready(None) } else { Poll::Pending }
    })
    .await
}
