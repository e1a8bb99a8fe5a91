//! X11 senses, over the pure-Rust `x11rb` connection: idle time from the XScreenSaver extension,
//! a fullscreen active window (the root's `_NET_ACTIVE_WINDOW`, whose `_NET_WM_STATE` holds
//! `_NET_WM_STATE_FULLSCREEN`, as set by any EWMH window manager), and the active window's
//! `WM_CLASS` (for the listed apps). Each source owns its own
//! connection. Under Wayland these see only Xwayland, which is why they come after the
//! compositor's own sources.

use super::apps::FocusedClass;
use super::{DisturbSource, IdleSource, SenseError};
use respite_core::senses::HoldReason;
use std::time::Duration;
use x11rb::connection::{Connection as _, RequestConnection as _};
use x11rb::errors::{ConnectError, ConnectionError, ReplyError};
use x11rb::protocol::screensaver::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{Atom, AtomEnum, ConnectionExt as _, Window};
use x11rb::rust_connection::RustConnection;

impl From<ConnectError> for SenseError {
    fn from(e: ConnectError) -> Self {
        SenseError::X11(e.to_string())
    }
}

impl From<ConnectionError> for SenseError {
    fn from(e: ConnectionError) -> Self {
        SenseError::X11(e.to_string())
    }
}

impl From<ReplyError> for SenseError {
    fn from(e: ReplyError) -> Self {
        SenseError::X11(e.to_string())
    }
}

fn connect(display: &str) -> Result<(RustConnection, Window), SenseError> {
    let (conn, screen) = RustConnection::connect(Some(display))?;
    let root = conn.setup().roots.get(screen).ok_or(SenseError::Unavailable("the X server has no such screen"))?.root;
    Ok((conn, root))
}

/// Milliseconds since the last input, as the X server counts them (`XScreenSaverQueryInfo`).
pub struct X11Idle {
    conn: RustConnection,
    root: Window,
}

impl X11Idle {
    pub fn connect(display: &str) -> Result<Self, SenseError> {
        let (conn, root) = connect(display)?;
        if conn.extension_information(screensaver::X11_EXTENSION_NAME)?.is_none() {
            return Err(SenseError::Unavailable("the X server has no MIT-SCREEN-SAVER extension"));
        }
        Ok(X11Idle { conn, root })
    }
}

impl IdleSource for X11Idle {
    fn name(&self) -> &'static str {
        "x11-screensaver"
    }

    fn idle_time(&mut self) -> Result<Option<Duration>, SenseError> {
        let info = self.conn.screensaver_query_info(self.root)?.reply()?;
        Ok(Some(Duration::from_millis(info.ms_since_user_input.into())))
    }
}

/// The active window is fullscreen.
pub struct X11Fullscreen {
    conn: RustConnection,
    root: Window,
    active_window: Atom,
    wm_state: Atom,
    fullscreen: Atom,
}

impl X11Fullscreen {
    pub fn connect(display: &str) -> Result<Self, SenseError> {
        let (conn, root) = connect(display)?;
        let atom = |name: &[u8]| -> Result<Atom, SenseError> { Ok(conn.intern_atom(false, name)?.reply()?.atom) };
        let active_window = atom(b"_NET_ACTIVE_WINDOW")?;
        let wm_state = atom(b"_NET_WM_STATE")?;
        let fullscreen = atom(b"_NET_WM_STATE_FULLSCREEN")?;
        Ok(X11Fullscreen { conn, root, active_window, wm_state, fullscreen })
    }
}

impl DisturbSource for X11Fullscreen {
    fn name(&self) -> &'static str {
        "x11-fullscreen"
    }

    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
        let active = self.conn.get_property(false, self.root, self.active_window, AtomEnum::WINDOW, 0, 1)?.reply()?;
        // No window manager, or no window has the focus.
        let Some(window) = active.value32().and_then(|mut windows| windows.next()).filter(|&window| window != 0) else {
            return Ok(None);
        };
        let state = match self.conn.get_property(false, window, self.wm_state, AtomEnum::ATOM, 0, 64)?.reply() {
            Ok(state) => state,
            // The window closed between the two questions.
            Err(ReplyError::X11Error(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let fullscreen = state.value32().is_some_and(|mut atoms| atoms.any(|atom| atom == self.fullscreen));
        Ok(fullscreen.then_some(HoldReason::Fullscreen))
    }
}

/// The active window's `WM_CLASS`: its instance and class names.
pub struct X11FocusedClass {
    conn: RustConnection,
    root: Window,
    active_window: Atom,
}

impl X11FocusedClass {
    pub fn connect(display: &str) -> Result<Self, SenseError> {
        let (conn, root) = connect(display)?;
        let active_window = conn.intern_atom(false, b"_NET_ACTIVE_WINDOW")?.reply()?.atom;
        Ok(X11FocusedClass { conn, root, active_window })
    }
}

impl FocusedClass for X11FocusedClass {
    fn focused(&mut self) -> Result<Vec<String>, SenseError> {
        let active = self.conn.get_property(false, self.root, self.active_window, AtomEnum::WINDOW, 0, 1)?.reply()?;
        let Some(window) = active.value32().and_then(|mut windows| windows.next()).filter(|&window| window != 0) else {
            return Ok(Vec::new());
        };
        let class = match self.conn.get_property(false, window, AtomEnum::WM_CLASS, AtomEnum::STRING, 0, 256)?.reply() {
            Ok(class) => class,
            Err(ReplyError::X11Error(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        // "instance\0class\0"
        Ok(class.value.split(|b| *b == 0).filter(|part| !part.is_empty()).map(|part| String::from_utf8_lossy(part).to_lowercase()).collect())
    }
}
