//! Desktop notifications over D-Bus (`org.freedesktop.Notifications`), sent from a short-lived
//! thread so a slow or missing notification server never holds up the scheduler. Failures are
//! logged, never fatal: the same message is always in the log too. As the specification asks,
//! each names the app (from the locale), its icon (`respite`, installed in hicolor) and its
//! desktop entry. A notification may offer one action, where the server's capabilities include
//! actions; choosing it calls back on that thread.

use std::collections::HashMap;
use std::thread;
use std::time::{Duration, Instant};

/// One button on a notification, and what choosing it does.
pub struct Action {
    pub key: &'static str,
    pub label: String,
    /// How long the notification stays up (and the choice is listened for).
    pub lasts: Duration,
    pub chosen: Box<dyn FnOnce() + Send>,
}

/// Shows a notification with `summary` and `body`; returns at once.
pub fn send(summary: String, body: String) {
    let spawned = thread::Builder::new().name("notify".into()).spawn(move || {
        if let Err(e) = send_blocking(&summary, &body) {
            tracing::info!("desktop notification not shown ({e}): {summary}: {body}");
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start the notification thread: {e}");
    }
}

/// Shows a notification that offers `action`; returns at once.
pub fn send_with_action(summary: String, body: String, action: Action) {
    let spawned = thread::Builder::new().name("notify".into()).spawn(move || {
        if let Err(e) = offer(&summary, &body, action) {
            tracing::info!("desktop notification not shown ({e}): {summary}: {body}");
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start the notification thread: {e}");
    }
}

fn send_blocking(summary: &str, body: &str) -> zbus::Result<()> {
    let connection = crate::session_bus::shared()?;
    notify(&connection, summary, body, &[], -1)?;
    Ok(())
}

fn notify(connection: &zbus::blocking::Connection, summary: &str, body: &str, actions: &[&str], timeout_ms: i32) -> zbus::Result<u32> {
    let hints: HashMap<&str, zbus::zvariant::Value<'_>> =
        HashMap::from([("desktop-entry", "respite".into()), ("urgency", zbus::zvariant::Value::U8(1))]);
    let reply = connection.call_method(
        Some("org.freedesktop.Notifications"),
        "/org/freedesktop/Notifications",
        Some("org.freedesktop.Notifications"),
        "Notify",
        &(respite_core::text::texts().get("app.name"), 0u32, "respite", summary, body, actions, hints, timeout_ms),
    )?;
    reply.body().deserialize()
}

/// Shows the notification and waits, up to its lifetime, for its action to be chosen. A server
/// that shows no actions (its capabilities lack "actions") gets a plain notification.
fn offer(summary: &str, body: &str, action: Action) -> zbus::Result<()> {
    offer_on(crate::session_bus::shared()?, summary, body, action)
}

/// [`offer`] on `connection` (tests use a private bus).
pub(crate) fn offer_on(connection: zbus::blocking::Connection, summary: &str, body: &str, action: Action) -> zbus::Result<()> {
    let proxy = zbus::blocking::Proxy::new(&connection, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications")?;
    // A server that cannot say is offered the action anyway.
    let shows_actions = proxy.call::<_, _, Vec<String>>("GetCapabilities", &()).map_or(true, |caps| caps.iter().any(|c| c == "actions"));
    if !shows_actions {
        notify(&connection, summary, body, &[], -1)?;
        return Ok(());
    }
    // ActionInvoked and NotificationClosed: the listening thread ends at either, for this one.
    let signals = proxy.receive_all_signals()?;
    let timeout_ms = i32::try_from(action.lasts.as_millis()).unwrap_or(i32::MAX);
    let id = notify(&connection, summary, body, &[action.key, action.label.as_str()], timeout_ms)?;
    let until = Instant::now() + action.lasts;
    // The iterator blocks; a closing notification or the end of its lifetime ends the wait.
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let key = action.key;
    thread::Builder::new().name("notify-action".into()).spawn(move || {
        for signal in signals {
            let member = signal.header().member().map(|m| m.as_str().to_owned()).unwrap_or_default();
            match member.as_str() {
                "ActionInvoked" if signal.body().deserialize::<(u32, String)>().is_ok_and(|(signal_id, chosen)| signal_id == id && chosen == key) => {
                    let _ = done_tx.send(());
                    return;
                }
                "NotificationClosed" if signal.body().deserialize::<(u32, u32)>().is_ok_and(|(closed, _)| closed == id) => return,
                _ => {}
            }
        }
    })?;
    if done_rx.recv_timeout(until.saturating_duration_since(Instant::now())).is_ok() {
        (action.chosen)();
    } else {
        // Its time is up: close it, which ends the listening thread (the connection is shared
        // and stays open).
        let _ = proxy.call::<_, _, ()>("CloseNotification", &(id,));
    }
    Ok(())
}
