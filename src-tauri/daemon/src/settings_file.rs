//! The settings file as the daemon reads it, at start and on `respite reload`: every problem is
//! logged, shown once as a notification and kept for `status`; bad keys run with their
//! defaults, so the daemon always starts.

use crate::notify;
use respite_core::message::Message;
use respite_core::settings::{self, Settings};
use respite_core::text;
use std::path::Path;

/// The settings as read at start or on `reload`.
pub struct LoadedSettings {
    pub settings: Settings,
    /// Every problem, with the file's path, as `status` shows them (a locale message each; the
    /// English goes to `warnings`).
    pub problems: Vec<Message>,
    /// The file did not exist and the defaults were written.
    pub first_start: bool,
}

/// Reads the settings; every problem is logged, shown once as a notification, and kept for
/// `status`. The daemon always starts: bad keys run with their defaults. Also used by `reload`.
pub fn load_settings(file: &Path) -> LoadedSettings {
    let in_file = |problem: Message| Message::new("problem.with_key").text("key", file.display()).nested("reason", problem);
    // `all_defaults`: nothing of the file applies (it cannot be read, or is not TOML at all).
    let (settings, problems, created, all_defaults) = match settings::load_or_create(file) {
        Ok(loaded) => {
            if loaded.created {
                tracing::info!("first start: wrote the default settings to {}", file.display());
            }
            let all_defaults = loaded.problems.iter().any(settings::Problem::is_whole_file);
            (loaded.settings, loaded.problems.iter().map(|p| in_file(p.message())).collect::<Vec<_>>(), loaded.created, all_defaults)
        }
        Err(e) => (Settings::default(), vec![Message::new("problem.unreadable").text("detail", e)], false, true),
    };
    let mut problems = problems;
    problems.extend(idea_problems(&file.with_file_name(respite_core::ideas::FILE)));
    for problem in &problems {
        tracing::warn!("settings: {problem}");
    }
    if !problems.is_empty() {
        let texts = text::texts();
        let body_key = if all_defaults { "notify.settings.bodyAllDefaults" } else { "notify.settings.body" };
        let worded: Vec<String> = problems.iter().map(|p| texts.say(p)).collect();
        let body = texts.fill(body_key, &[("problems", &worded.join("\n"))]);
        notify::send(text::t("notify.settings.title"), body);
    }
    LoadedSettings { settings, problems, first_start: created }
}

/// The problems of the person's own break ideas (`ideas.toml` beside the settings), worded like
/// the settings' own; none when there is no such file.
fn idea_problems(file: &Path) -> Vec<Message> {
    let Ok(text) = std::fs::read_to_string(file) else { return Vec::new() };
    let (ideas, problems) = respite_core::ideas::parse(&text);
    tracing::info!(ideas = ideas.list.len(), replace = ideas.replace, "own break ideas read from {}", file.display());
    problems.iter().map(|p| Message::new("problem.with_key").text("key", file.display()).nested("reason", p.message())).collect()
}
