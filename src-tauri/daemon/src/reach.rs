//! Where Respite can be reached when no tray icon shows (stock GNOME and Fedora have no tray
//! host): at start, once ever, a desktop notification says that Respite runs without a tray
//! icon and is reached from its entry in the app menu (right-click: its desktop actions) or
//! with `respite status`. Remembered with a marker in the state dir ([`Once`]).
//!
//! An icon shows when a StatusNotifierItem host is registered with the watcher on the session
//! bus (`org.kde.StatusNotifierWatcher`'s `IsStatusNotifierHostRegistered`: KDE, waybar, GNOME
//! with the AppIndicator extension), or on X11 when an XEmbed tray owns the
//! `_NET_SYSTEM_TRAY_S<screen>` selection (libayatana-appindicator falls back to it). At login a
//! panel may come up a little after Respite, so a missing host is waited for, up to [`GRACE`],
//! on the watcher's signals (never by polling). When the tray could not even be created (no
//! display) there is nothing to wait for.

use crate::notify;
use crate::once::Once;
use respite_core::text;
use std::thread;
use std::time::{Duration, Instant};
use futures_lite::StreamExt as _;
use zbus::blocking::{fdo::DBusProxy, Connection, Proxy};
use zbus::message::Type;
use zbus::proxy::MethodFlags;
use zbus::zvariant::OwnedValue;
use zbus::MatchRule;

/// How long a tray host may take to appear after Respite starts.
pub const GRACE: Duration = Duration::from_secs(15);

const WATCHER: &str = "org.kde.StatusNotifierWatcher";
const WATCHER_PATH: &str = "/StatusNotifierWatcher";

/// What shows Respite's tray icon, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    StatusNotifier,
    XEmbed,
    /// Nothing: the icon is not seen.
    None,
}

/// Tells, once ever, where Respite can be reached if no tray icon shows; see the module
/// documentation. `tray_created`: the tray icon was made (there is a display). Returns at once;
/// the looking and telling happen on a thread of their own.
pub fn tell_if_unreachable(tray_created: bool, once: Once) {
    if once.told() {
        tracing::info!("tray: where Respite can be reached without one was told before");
        return;
    }
    let spawned = thread::Builder::new().name("tray-host".into()).spawn(move || {
        let host = if tray_created { find_host(GRACE) } else { Host::None };
        if host == Host::None {
            tracing::info!("no tray host shows Respite's icon: telling once where Respite can be reached");
            notify::send(text::t("notify.no_tray.title"), text::t("notify.no_tray.body"));
            once.remember();
        } else {
            tracing::info!(?host, "the tray icon is shown");
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start looking for a tray host: {e}");
    }
}

/// What shows the tray icon now, or within `grace`.
fn find_host(grace: Duration) -> Host {
    let bus = match crate::session_bus::shared() {
        Ok(bus) => Some(bus),
        Err(e) => {
            tracing::info!("no D-Bus session bus to find a tray host on ({e})");
            None
        }
    };
    if xembed_tray() {
        return Host::XEmbed;
    }
    let Some(bus) = bus else { return Host::None };
    match status_notifier_host_within(&bus, grace) {
        Ok(true) => Host::StatusNotifier,
        Ok(false) if xembed_tray() => Host::XEmbed,
        Ok(false) => Host::None,
        Err(e) => {
            tracing::info!("cannot ask for a StatusNotifierItem host ({e}): counted as none");
            if xembed_tray() { Host::XEmbed } else { Host::None }
        }
    }
}

/// Whether a StatusNotifierItem host is registered on `bus` now or within `grace`. Listens to
/// the watcher's name changing owner and to its `StatusNotifierHostRegistered` signal, and looks
/// again at each. The bus is the daemon's shared one: on return the match rules are removed.
pub(crate) fn status_notifier_host_within(bus: &Connection, grace: Duration) -> zbus::Result<bool> {
    let until = Instant::now() + grace;
    let owner = MatchRule::builder()
        .msg_type(Type::Signal)
        .sender("org.freedesktop.DBus")?
        .interface("org.freedesktop.DBus")?
        .member("NameOwnerChanged")?
        .add_arg(WATCHER)?
        .build();
    let registered = MatchRule::builder().msg_type(Type::Signal).interface(WATCHER)?.member("StatusNotifierHostRegistered")?.build();
    // Listen before looking, so a host that comes in between is not missed. The rules are added
    // by hand and the connection's whole stream read (a stream per rule would remove its rule
    // from the shared connection when dropped, racing the next look). The wait for a signal or
    // the end of the grace runs on this thread: no listening thread outlives the search.
    let mut messages = zbus::MessageStream::from(bus.inner());
    let dbus = DBusProxy::new(bus)?;
    dbus.add_match_rule(owner.clone())?;
    dbus.add_match_rule(registered.clone())?;
    let found = loop {
        match host_registered(bus) {
            Ok(true) => break Ok(true),
            Ok(false) => {}
            Err(e) => break Err(e),
        }
        let left = until.saturating_duration_since(Instant::now());
        let signalled = async_io::block_on(futures_lite::future::or(
            async {
                while let Some(message) = messages.next().await {
                    let Ok(message) = message else { continue };
                    let header = message.header();
                    if header.message_type() == Type::Signal
                        && header.member().is_some_and(|m| m.as_str() == "NameOwnerChanged" || m.as_str() == "StatusNotifierHostRegistered")
                    {
                        return true;
                    }
                }
                false
            },
            async {
                async_io::Timer::after(left).await;
                false
            },
        ));
        if !signalled {
            break Ok(false);
        }
    };
    for rule in [owner, registered] {
        let _ = dbus.remove_match_rule(rule);
    }
    found
}

/// Whether the watcher runs and says a host is registered (without starting a watcher).
fn host_registered(bus: &Connection) -> zbus::Result<bool> {
    if !DBusProxy::new(bus)?.name_has_owner(WATCHER.try_into()?)? {
        return Ok(false);
    }
    let properties = Proxy::new(bus, WATCHER, WATCHER_PATH, "org.freedesktop.DBus.Properties")?;
    let value: Option<OwnedValue> =
        properties.call_with_flags("Get", MethodFlags::NoAutoStart.into(), &(WATCHER, "IsStatusNotifierHostRegistered"))?;
    // A watcher that answers with something else than a boolean has no host we can count on.
    Ok(value.and_then(|v| bool::try_from(v).ok()).unwrap_or(false))
}

/// Whether an XEmbed tray runs on the X11 display GTK draws on (not under Wayland, where GTK
/// shows no XEmbed icon).
#[cfg(not(target_os = "linux"))]
fn xembed_tray() -> bool {
    false
}

/// Whether an XEmbed tray runs on the X11 display GTK draws on (not under Wayland, where GTK
/// shows no XEmbed icon).
#[cfg(target_os = "linux")]
fn xembed_tray() -> bool {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::ConnectionExt as _;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("WAYLAND_DISPLAY") || !set("DISPLAY") {
        return false;
    }
    let owner = || -> Result<u32, Box<dyn std::error::Error>> {
        let (conn, screen) = x11rb::rust_connection::RustConnection::connect(None)?;
        let atom = conn.intern_atom(false, format!("_NET_SYSTEM_TRAY_S{screen}").as_bytes())?.reply()?.atom;
        let owner = conn.get_selection_owner(atom)?.reply()?.owner;
        conn.flush()?;
        Ok(owner)
    };
    match owner() {
        Ok(owner) => owner != x11rb::NONE,
        Err(e) => {
            tracing::info!("cannot look for an XEmbed tray ({e})");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::senses::tests::support::Bus;
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    use std::sync::Arc;

    /// A stand-in StatusNotifierWatcher whose host comes and goes.
    struct Watcher {
        host: Arc<AtomicBool>,
    }

    #[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
    impl Watcher {
        #[zbus(property)]
        fn is_status_notifier_host_registered(&self) -> bool {
            self.host.load(SeqCst)
        }
    }

    #[test]
    fn no_watcher_or_a_watcher_without_a_host_is_no_host() {
        let bus = Bus::start();
        let grace = Duration::from_millis(300);
        assert!(!status_notifier_host_within(&bus.connect(), grace).unwrap(), "no watcher on the bus");
        let _watcher = bus.serve(WATCHER, WATCHER_PATH, Watcher { host: Arc::new(AtomicBool::new(false)) });
        assert!(!status_notifier_host_within(&bus.connect(), grace).unwrap(), "a watcher, but no host");
    }

    #[test]
    fn a_registered_host_is_found_at_once_and_one_that_comes_later_within_the_grace() {
        let bus = Bus::start();
        let host = Arc::new(AtomicBool::new(true));
        let watcher = bus.serve(WATCHER, WATCHER_PATH, Watcher { host: host.clone() });
        let started = Instant::now();
        assert!(status_notifier_host_within(&bus.connect(), Duration::from_secs(30)).unwrap());
        assert!(started.elapsed() < Duration::from_secs(5), "found without waiting out the grace");
        drop(watcher);

        // The watcher runs without a host; the host registers while Respite waits.
        host.store(false, SeqCst);
        let watcher = bus.serve(WATCHER, WATCHER_PATH, Watcher { host: host.clone() });
        let client = bus.connect();
        let waiting = thread::spawn(move || status_notifier_host_within(&client, Duration::from_secs(30)).unwrap());
        host.store(true, SeqCst);
        watcher.emit_signal(None::<()>, WATCHER_PATH, WATCHER, "StatusNotifierHostRegistered", &()).unwrap();
        let started = Instant::now();
        assert!(waiting.join().unwrap());
        assert!(started.elapsed() < Duration::from_secs(5), "woken by the signal, not by the end of the grace");
    }
}
