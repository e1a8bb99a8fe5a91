//! KDE's do not disturb: the `Inhibited` property of `org.freedesktop.Notifications` (Plasma's
//! notification server sets it while do not disturb is on). Other notification servers have no
//! such property, so the source does not survive its probe there.

use super::{bus, DisturbSource, SenseError};
use respite_core::senses::HoldReason;
pub struct NotificationsInhibited {
    bus: bus::SessionBus,
    inhibited: bus::Property,
}

impl NotificationsInhibited {
    pub fn new(bus: &bus::SessionBus) -> Result<Self, SenseError> {
        let inhibited = bus::Property::new(
            bus.connection(),
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
            "Inhibited",
        )?;
        Ok(NotificationsInhibited { bus: bus.clone(), inhibited })
    }
}

impl DisturbSource for NotificationsInhibited {
    fn name(&self) -> &'static str {
        "kde-notifications"
    }

    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
        let inhibited: bool = self.bus.get(&self.inhibited)?;
        Ok(inhibited.then_some(HoldReason::DoNotDisturb))
    }
}
