//! Desktop notifications over D-Bus (`org.freedesktop.Notifications`), sent from a short-lived
//! thread so a slow or missing notification server never holds up the scheduler. Failures are
//! logged, never fatal: the same message is always in the log too.

use std::collections::HashMap;
use std::thread;

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

fn send_blocking(summary: &str, body: &str) -> zbus::Result<()> {
    let connection = zbus::blocking::Connection::session()?;
    let hints: HashMap<&str, zbus::zvariant::Value<'_>> =
        HashMap::from([("desktop-entry", "respite".into()), ("urgency", zbus::zvariant::Value::U8(1))]);
    connection.call_method(
        Some("org.freedesktop.Notifications"),
        "/org/freedesktop/Notifications",
        Some("org.freedesktop.Notifications"),
        "Notify",
        &("Respite", 0u32, "respite", summary, body, Vec::<&str>::new(), hints, -1i32),
    )?;
    Ok(())
}
