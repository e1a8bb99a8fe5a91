//! The global shortcuts, bound to keys where the desktop lets a program do so (X11), and what
//! Respite says about one that another program holds. Part of [`Runtime`].

use super::*;

impl Runtime {
    /// How to reach the keys the shortcuts are bound to (X11): made when a shortcut is first
    /// set, so an idle daemon without shortcuts has no thread for them. Binds the ones set now.
    #[cfg(target_os = "linux")]
    pub fn set_shortcut_keys(&mut self, make: crate::shortcuts::MakeKeys) {
        self.keys = crate::shortcuts::KeysSlot::Later(make);
        self.bind_shortcuts();
    }

    /// Binds the shortcuts set (start, reload); one taken by another program is told once per
    /// binding, in the log, a notification and `respite status`.
    pub(super) fn bind_shortcuts(&mut self) {
        let taken_prefix = "Shortcut taken: ";
        self.warnings.retain(|w| !w.starts_with(taken_prefix));
        #[cfg(target_os = "linux")]
        if let Some(keys) = self.keys.get(!self.shortcuts.bound().is_empty()) {
            for shortcut in keys.bind(&self.shortcuts) {
                let texts = text::texts();
                self.notifier.send(texts.get("notify.shortcut_taken.title").to_owned(), texts.fill("notify.shortcut_taken.body", &[("shortcut", &shortcut)]));
                self.warnings.push(format!("{taken_prefix}{shortcut} is held by another program; choose another in the settings"));
            }
            return;
        }
        if !self.shortcuts.bound().is_empty() {
            tracing::info!("shortcuts are set, but this desktop lets no program take keys (Wayland): bind the respite commands in its keyboard settings");
        }
    }
}
