//! GNOME's two reasons to wait: an application holding an idle inhibitor with the session manager
//! (`org.gnome.SessionManager.IsInhibited`, a video call, a player), and notification banners
//! turned off (GSettings `org.gnome.desktop.notifications show-banners`, GNOME's do not disturb).

use super::{bus, DisturbSource, SenseError};
use respite_core::senses::HoldReason;
use zbus::blocking::Proxy;

/// `IsInhibited`'s flag for "inhibit the session being marked as idle".
const INHIBIT_IDLE: u32 = 8;

pub struct SessionInhibit {
    bus: bus::SessionBus,
    manager: Proxy<'static>,
}

impl SessionInhibit {
    pub fn new(bus: &bus::SessionBus) -> Result<Self, SenseError> {
        let manager = bus::proxy(
            bus.connection(),
            "org.gnome.SessionManager",
            "/org/gnome/SessionManager",
            "org.gnome.SessionManager",
        )?;
        Ok(SessionInhibit { bus: bus.clone(), manager })
    }
}

impl DisturbSource for SessionInhibit {
    fn name(&self) -> &'static str {
        "gnome-session-inhibit"
    }

    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
        let inhibited: bool = self.bus.call(&self.manager, "IsInhibited", INHIBIT_IDLE)?;
        Ok(inhibited.then_some(HoldReason::Inhibited))
    }
}

#[cfg(target_os = "linux")]
pub use banners::Banners;

#[cfg(target_os = "linux")]
mod banners {
    use super::super::{DisturbSource, SenseError};
    use gtk::gio;
    use gtk::gio::prelude::*;
    use respite_core::senses::HoldReason;
    use std::path::PathBuf;

    const SCHEMA: &str = "org.gnome.desktop.notifications";
    const KEY: &str = "show-banners";

    /// GNOME's do not disturb: `show-banners` is false. The schema is looked up before any
    /// `gio::Settings` is made (GLib aborts the process on a missing schema), and the setting is
    /// read afresh each time (GIO objects may not cross threads, and reading is cheap: dconf
    /// keeps the database mapped).
    pub struct Banners {
        /// A folder with `gschemas.compiled` instead of the system's schemas (tests).
        schemas: Option<PathBuf>,
        /// A key file to read instead of the default settings backend (tests).
        keyfile: Option<PathBuf>,
    }

    impl Banners {
        pub fn new() -> Self {
            Banners { schemas: None, keyfile: None }
        }

        #[cfg(test)]
        pub fn with_files(schemas: Option<PathBuf>, keyfile: Option<PathBuf>) -> Self {
            Banners { schemas, keyfile }
        }

        fn show_banners(&self) -> Result<bool, SenseError> {
            let source = match &self.schemas {
                Some(dir) => Some(
                    gio::SettingsSchemaSource::from_directory(dir, None, false)
                        .map_err(|e| SenseError::Settings(e.to_string()))?,
                ),
                None => gio::SettingsSchemaSource::default(),
            };
            let schema =
                source.and_then(|source| source.lookup(SCHEMA, true)).filter(|schema| schema.has_key(KEY)).ok_or(
                    SenseError::Unavailable("no GSettings schema org.gnome.desktop.notifications with show-banners"),
                )?;
            let settings = match &self.keyfile {
                Some(file) => {
                    let file = file.to_str().ok_or(SenseError::Unavailable("the key file's path is not UTF-8"))?;
                    gio::Settings::new_full(&schema, Some(&gio::keyfile_settings_backend_new(file, "/", None)), None)
                }
                None => gio::Settings::new_full(&schema, None::<&gio::SettingsBackend>, None),
            };
            Ok(settings.boolean(KEY))
        }
    }

    impl DisturbSource for Banners {
        fn name(&self) -> &'static str {
            "gnome-banners"
        }

        fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
            Ok((!self.show_banners()?).then_some(HoldReason::DoNotDisturb))
        }
    }
}
