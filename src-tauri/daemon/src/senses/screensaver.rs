//! `org.freedesktop.ScreenSaver` on the session bus: KDE answers `GetSessionIdleTime` (in
//! milliseconds) and its `HasInhibit` extension; GNOME owns the name but answers both with an
//! error, so there neither source survives its probe.

use super::{bus, DisturbSource, IdleSource, SenseError};
use respite_core::senses::HoldReason;
use std::time::Duration;
use zbus::blocking::Proxy;

fn screensaver(bus: &bus::SessionBus) -> Result<Proxy<'static>, SenseError> {
    bus::proxy(bus.connection(), "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver")
}

/// Idle time from `GetSessionIdleTime`.
pub struct ScreenSaverIdle {
    bus: bus::SessionBus,
    screensaver: Proxy<'static>,
}

impl ScreenSaverIdle {
    pub fn new(bus: &bus::SessionBus) -> Result<Self, SenseError> {
        Ok(ScreenSaverIdle { bus: bus.clone(), screensaver: screensaver(bus)? })
    }
}

impl IdleSource for ScreenSaverIdle {
    fn name(&self) -> &'static str {
        "freedesktop-screensaver"
    }

    fn idle_time(&mut self) -> Result<Option<Duration>, SenseError> {
        let ms: u32 = self.bus.call(&self.screensaver, "GetSessionIdleTime", ())?;
        Ok(Some(Duration::from_millis(ms.into())))
    }
}

/// An application holds a screen-saver inhibitor (`HasInhibit`, a KDE extension).
pub struct ScreenSaverInhibit {
    bus: bus::SessionBus,
    screensaver: Proxy<'static>,
}

impl ScreenSaverInhibit {
    pub fn new(bus: &bus::SessionBus) -> Result<Self, SenseError> {
        Ok(ScreenSaverInhibit { bus: bus.clone(), screensaver: screensaver(bus)? })
    }
}

impl DisturbSource for ScreenSaverInhibit {
    fn name(&self) -> &'static str {
        "freedesktop-screensaver-inhibit"
    }

    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
        let inhibited: bool = self.bus.call(&self.screensaver, "HasInhibit", ())?;
        Ok(inhibited.then_some(HoldReason::Inhibited))
    }
}
