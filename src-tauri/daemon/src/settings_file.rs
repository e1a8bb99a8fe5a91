//! The settings file as the daemon reads it, at start and on `respite reload`: every problem is
//! logged, shown once as a notification and kept for `status`; bad keys run with their
//! defaults, so the daemon always starts.

use crate::notify;
use respite_core::settings::{self, Settings};
use respite_core::text;
use std::path::Path;

/// The settings as read at start or on `reload`.
pub struct LoadedSettings {
    pub settings: Settings,
    /// Every problem, with the file's path, as `status` shows them.
    pub warnings: Vec<String>,
    /// The file did not exist and the defaults were written.
    pub first_start: bool,
}

/// Reads the settings; every problem is logged, shown once as a notification, and kept for
/// `status`. The daemon always starts: bad keys run with their defaults. Also used by `reload`.
pub fn load_settings(file: &Path) -> LoadedSettings {
    // `all_defaults`: nothing of the file applies (it cannot be read, or is not TOML at all).
    let (settings, problems, created, all_defaults) = match settings::load_or_create(file) {
        Ok(loaded) => {
            if loaded.created {
                tracing::info!("first start: wrote the default settings to {}", file.display());
            }
            let all_defaults = loaded.problems.iter().any(settings::Problem::is_whole_file);
            (loaded.settings, loaded.problems.iter().map(|p| format!("{}: {p}", file.display())).collect(), loaded.created, all_defaults)
        }
        Err(e) => (Settings::default(), vec![format!("{e}; using the default settings")], false, true),
    };
    for problem in &problems {
        tracing::warn!("settings: {problem}");
    }
    if !problems.is_empty() {
        let body_key = if all_defaults { "notify.settings.bodyAllDefaults" } else { "notify.settings.body" };
        let body = text::tf(body_key, &[("problems", &problems.join("\n"))]);
        notify::send(text::t("notify.settings.title"), body);
    }
    LoadedSettings { settings, warnings: problems, first_start: created }
}
