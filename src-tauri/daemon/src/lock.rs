//! Locking the screen for a break (`lock`, per kind, off by default; a walk is the natural one):
//! through logind (`org.freedesktop.login1.Session.Lock` on this user's display session, which
//! GNOME, KDE and most lockers answer), else the session bus's `org.freedesktop.ScreenSaver.Lock`
//! (KDE, Xfce, and screen savers that offer it). While locked the person counts as away, so the
//! break runs on; unlocking before it ends is coming back early, as "I'm back" (the runtime
//! sees the unlock through the session watch, [`crate::senses::session`]).

use crate::session_bus;

/// Locks the screen.
pub trait Locker: Send {
    /// Locks now; which way it did, or why it could not.
    fn lock(&mut self) -> Result<&'static str, String>;
}

/// logind, else the screen saver.
#[derive(Default)]
pub struct DesktopLocker;

impl Locker for DesktopLocker {
    fn lock(&mut self) -> Result<&'static str, String> {
        let by_logind = session_bus::system().and_then(|bus| {
            bus.call_method(Some("org.freedesktop.login1"), "/org/freedesktop/login1/session/auto", Some("org.freedesktop.login1.Session"), "Lock", &())
                .map(drop)
        });
        let logind_error = match by_logind {
            Ok(()) => return Ok("logind"),
            Err(e) => e,
        };
        let by_screen_saver = session_bus::shared().and_then(|bus| {
            bus.call_method(Some("org.freedesktop.ScreenSaver"), "/org/freedesktop/ScreenSaver", Some("org.freedesktop.ScreenSaver"), "Lock", &())
                .map(drop)
        });
        match by_screen_saver {
            Ok(()) => Ok("org.freedesktop.ScreenSaver"),
            Err(e) => Err(format!("logind: {logind_error}; the screen saver: {e}")),
        }
    }
}
