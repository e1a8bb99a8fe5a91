//! The daemon's D-Bus connections: one to the session bus, shared by every part that talks on it
//! (the senses, the screen saver watch, the tray host watch, notifications), and the system bus
//! connection the logind watch uses. zbus would give each connection an executor thread of its
//! own; here each one's executor is ticked by a task on the io thread ([`crate::io_thread`]), so
//! the daemon's threads do not grow with its connections (`benches/peers` counts them). Calls
//! time out after [`BUS_TIMEOUT`], so no part can stall another.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use zbus::blocking::Connection;
use zbus::connection::Builder;

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
    let connection = driven(Builder::session()?)?;
    *shared = Some(connection.clone());
    Ok(connection)
}

/// A connection to the system bus (for logind), driven the same way.
pub fn system() -> zbus::Result<Connection> {
    driven(Builder::system()?)
}

/// Builds the connection without zbus's own executor thread, and ticks its executor on the io
/// thread for as long as the connection lives.
fn driven(builder: Builder<'static>) -> zbus::Result<Connection> {
    let connection = async_io::block_on(builder.method_timeout(BUS_TIMEOUT).internal_executor(false).build())?;
    let ticked = connection.clone();
    crate::io_thread::spawn(async move {
        loop {
            ticked.executor().tick().await;
        }
    });
    Ok(Connection::from(connection))
}
