//! The daemon's one connection to the D-Bus session bus, shared by every part that talks on it:
//! the senses (GNOME's and KDE's idle and do-not-disturb), the screen saver watch, the tray
//! host watch, notifications. Each zbus connection is a socket, a reader and an executor thread
//! of its own; one shared connection is one of each (`benches/footprint` counts the threads).
//! Calls on it time out after [`BUS_TIMEOUT`], so no part can stall another.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use zbus::blocking::{connection::Builder, Connection};

/// How long a D-Bus call may take before the other side counts as not answering.
pub(crate) const BUS_TIMEOUT: Duration = Duration::from_secs(2);

/// The shared session bus connection, made at first use (a failure is not kept: the next use
/// tries again, as a session bus may come later).
pub fn shared() -> zbus::Result<Connection> {
    static SHARED: Mutex<Option<Connection>> = Mutex::new(None);
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(connection) = shared.as_ref() {
        return Ok(connection.clone());
    }
    let connection = Builder::session()?.method_timeout(BUS_TIMEOUT).build()?;
    *shared = Some(connection.clone());
    Ok(connection)
}
