//! Idle time from GNOME's compositor: `org.gnome.Mutter.IdleMonitor` on the session bus. It
//! counts input on X11 and on Wayland alike, so on GNOME it is the first choice.

use super::{bus, IdleSource, SenseError};
use std::time::Duration;
use zbus::blocking::Proxy;

pub struct MutterIdle {
    bus: bus::SessionBus,
    monitor: Proxy<'static>,
}

impl MutterIdle {
    pub fn new(bus: &bus::SessionBus) -> Result<Self, SenseError> {
        let monitor = bus::proxy(
            bus.connection(),
            "org.gnome.Mutter.IdleMonitor",
            "/org/gnome/Mutter/IdleMonitor/Core",
            "org.gnome.Mutter.IdleMonitor",
        )?;
        Ok(MutterIdle { bus: bus.clone(), monitor })
    }
}

impl IdleSource for MutterIdle {
    fn name(&self) -> &'static str {
        "mutter"
    }

    fn idle_time(&mut self) -> Result<Option<Duration>, SenseError> {
        let ms: u64 = self.bus.call(&self.monitor, "GetIdletime", ())?;
        Ok(Some(Duration::from_millis(ms)))
    }
}
