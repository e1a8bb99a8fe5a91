//! Idle time from GNOME's compositor: `org.gnome.Mutter.IdleMonitor` on the session bus. It
//! counts input on X11 and on Wayland alike, so on GNOME it is the first choice.

use super::{bus, IdleSource, SenseError};
use std::time::Duration;
use zbus::blocking::{Connection, Proxy};

pub struct MutterIdle {
    monitor: Proxy<'static>,
}

impl MutterIdle {
    pub fn new(bus: &Connection) -> Result<Self, SenseError> {
        let monitor = bus::proxy(
            bus,
            "org.gnome.Mutter.IdleMonitor",
            "/org/gnome/Mutter/IdleMonitor/Core",
            "org.gnome.Mutter.IdleMonitor",
        )?;
        Ok(MutterIdle { monitor })
    }
}

impl IdleSource for MutterIdle {
    fn name(&self) -> &'static str {
        "mutter"
    }

    fn idle_time(&mut self) -> Result<Option<Duration>, SenseError> {
        let ms: u64 = bus::call(&self.monitor, "GetIdletime", &())?;
        Ok(Some(Duration::from_millis(ms)))
    }
}
