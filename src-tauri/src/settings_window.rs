//! The settings window: one ordinary window showing `settings.html`, and the commands its page
//! may call (capability `settings`).
//!
//! The page never sees the file. It asks for every setting's value ([`settings_read`]), checks a
//! value as the user types ([`settings_check`]: the core's own reader decides, so the message
//! beside the field is the one the log would show), and saves one key at a time
//! ([`settings_set`]): the file is changed in place, keeping the user's comments, written
//! atomically, and the daemon is asked to apply it at once (`Request::Reload`). When the daemon
//! is not running the file is still saved, and the page says so. Launch at login is read from
//! and written to the real autostart entry.
//!
//! The window stays hidden until the page has drawn the settings, so it never flashes empty.

use crate::error::UiError;
use respite_core::autostart::Autostart;
use respite_core::client::{self, ClientError};
use respite_core::paths::Paths;
use respite_core::protocol::Request;
use respite_core::settings::edit::{self, EditError, Field, FieldValue};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use crate::plain_window::{hidden_until_drawn, show_drawn};
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// Tauri state of the settings process (and of the welcome window, which changes a few settings).
pub(crate) struct SettingsState {
    paths: Paths,
    /// One change at a time: each reads, edits and writes the whole file.
    writing: Mutex<()>,
}

/// One problem in the file, as the page shows it.
#[derive(Clone, Serialize)]
struct ProblemView {
    key: String,
    reason: String,
}

/// Everything the page draws.
#[derive(Serialize)]
struct SettingsView {
    fields: Vec<Field>,
    /// What the daemon would report for the file as it is.
    problems: Vec<ProblemView>,
    settings_file: String,
    database: String,
    /// The person's own break ideas, by name, and what is wrong in their file.
    ideas: Vec<String>,
    ideas_file: String,
    /// Other devices that wrote to the shared history folder, as last imported.
    devices: Vec<DeviceView>,
}

/// Another device in the shared history folder.
#[derive(Serialize)]
struct DeviceView {
    name: String,
    /// RFC 3339; `None` when not known.
    last_wrote: Option<String>,
}

/// Whether the daemon applied a change.
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum Daemon {
    Applied,
    /// Not running: the file is saved and is read when Respite starts.
    NotRunning,
    /// Running, but it could not be asked (the message says why).
    Failed,
}

/// The outcome of a saved change.
#[derive(Serialize)]
pub(crate) struct Saved {
    daemon: Daemon,
    message: Option<String>,
    /// The file's problems after the change (a fix here can clear another field's problem).
    problems: Vec<ProblemView>,
}

/// Runs the settings window until it is closed.
pub fn run(paths: Paths) -> Result<(), tauri::Error> {
    let app = tauri::Builder::default()
        .manage(SettingsState::new(paths))
        .invoke_handler(tauri::generate_handler![settings_read, settings_check, settings_set, settings_reset, settings_ready, ideas_open, autostart_get, autostart_set])
        .setup(|app| {
            hidden_until_drawn(WebviewWindowBuilder::new(app, "settings", WebviewUrl::App("settings.html".into())))
                .title(respite_core::text::t("settings.windowTitle"))
                .inner_size(720.0, 640.0)
                .min_inner_size(480.0, 400.0)
                .build()?;
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|_, _| {});
    Ok(())
}

impl SettingsState {
    pub(crate) fn new(paths: Paths) -> Self {
        Self { paths, writing: Mutex::new(()) }
    }

    fn file(&self) -> PathBuf {
        self.paths.settings_file()
    }

    pub(crate) fn socket(&self) -> PathBuf {
        self.paths.socket()
    }

    pub(crate) fn text(&self) -> Result<String, UiError> {
        edit::read(&self.file()).map_err(|e| UiError::Failed(e.to_string()))
    }

    fn problems(&self) -> Vec<ProblemView> {
        self.text().map(|text| problems(&edit::fields(&text))).unwrap_or_default()
    }

    /// Makes one change to the file (`edit` is given its path), one change at a time, then has
    /// the daemon apply the file.
    pub(crate) fn change(&self, edit: impl FnOnce(&Path) -> Result<(), UiError>) -> Result<Saved, UiError> {
        {
            let _one_at_a_time = self.writing.lock().unwrap_or_else(|e| e.into_inner());
            edit(&self.file())?;
        }
        Ok(self.apply())
    }

    /// Sets `key` to `value`, keeping the file's comments, and has the daemon apply it.
    pub(crate) fn set(&self, key: &str, value: &FieldValue) -> Result<Saved, UiError> {
        self.change(|file| edit::save(file, key, value).map_err(refused))
    }

    /// Asks the daemon to apply the file; the page says what happened.
    fn apply(&self) -> Saved {
        let (daemon, message) = match client::request(&self.paths.socket(), &Request::Reload) {
            Ok(response) if response.ok => (Daemon::Applied, None),
            Ok(response) => (Daemon::Failed, Some(response.refusal_in(respite_core::text::texts()))),
            Err(ClientError::NotRunning(_)) => (Daemon::NotRunning, None),
            Err(e) => (Daemon::Failed, Some(e.to_string())),
        };
        Saved { daemon, message, problems: self.problems() }
    }
}

fn problems(fields: &edit::Fields) -> Vec<ProblemView> {
    fields.problems.iter().map(|p| ProblemView { key: p.key.clone(), reason: reason(p) }).collect()
}

/// A problem's reason in the person's words; one inside a list's entry (`reminders.list.2.every`)
/// also says which entry and which of its fields, since it is shown beside the whole list.
fn reason(problem: &respite_core::settings::Problem) -> String {
    let texts = respite_core::text::texts();
    let reason = texts.say(&problem.reason);
    let mut parts = problem.key.splitn(4, '.').skip(2);
    match (parts.next().and_then(|place| place.parse::<u32>().ok()), parts.next()) {
        (Some(place), field) => {
            let field = field.map_or_else(String::new, |field| texts.get(&format!("settings.entry.{field}")).to_owned());
            texts.fill("settings.entry.problem", &[("place", &place), ("field", &field), ("reason", &reason)])
        }
        _ => reason,
    }
}

/// A refused change: the reader's reason for a bad value, else the whole message.
pub(crate) fn refused(e: EditError) -> UiError {
    let texts = respite_core::text::texts();
    match e {
        EditError::Invalid(problem) => UiError::Invalid(reason(&problem)),
        e @ (EditError::UnknownKey(_) | EditError::NotToml(_)) => UiError::Invalid(texts.say(&e.message())),
        e @ (EditError::Read { .. } | EditError::Write(_)) => UiError::Failed(texts.say(&e.message())),
    }
}

/// Every setting, its value in the file (or its default), and the file's problems.
#[tauri::command]
fn settings_read(state: tauri::State<'_, SettingsState>) -> Result<SettingsView, UiError> {
    let fields = edit::fields(&state.text()?);
    Ok(SettingsView {
        problems: problems(&fields),
        fields: fields.fields,
        settings_file: state.file().display().to_string(),
        database: state.paths.database().display().to_string(),
        ideas: std::fs::read_to_string(state.paths.ideas_file())
            .map(|text| respite_core::ideas::parse(&text).0.list.into_iter().map(|idea| idea.name).collect())
            .unwrap_or_default(),
        ideas_file: state.paths.ideas_file().display().to_string(),
        // What the daemon last imported; an unreadable log shows none.
        devices: respite_core::store::Store::open_read_only(&state.paths.database())
            .and_then(|store| store.devices())
            .map(|seen| seen.into_iter().map(|d| DeviceView { name: d.name, last_wrote: d.last_wrote.map(|t| t.to_rfc3339()) }).collect())
            .unwrap_or_default(),
    })
}

/// The file of the person's own break ideas, as a new one starts: how to write them, and one
/// example, commented out.
const IDEAS_TEMPLATE: &str = "# Your own break ideas. Each [[idea]] has a name, an instruction, the kinds of break it\n\
# fits (\"eye\", \"stretch\", \"walk\") and, if you like, a picture: a png, jpg, svg or webp file in\n\
# the ideas folder beside this file. They take turns with Respite's own ideas; with\n\
# replace = true, only yours come, for the kinds they fit.\n\
replace = false\n\n\
# [[idea]]\n\
# name = \"Wall push-ups\"\n\
# instruction = \"Ten slow push-ups against a wall.\"\n\
# kinds = [\"stretch\", \"walk\"]\n\
# picture = \"wall-push-ups.png\"\n";

/// Opens the ideas file in the desktop's editor for it (`xdg-open`), writing the template first
/// when there is none yet.
#[tauri::command]
fn ideas_open(state: tauri::State<'_, SettingsState>) -> Result<(), UiError> {
    let file = state.paths.ideas_file();
    if !file.exists() {
        edit::write_atomic(&file, IDEAS_TEMPLATE).map_err(|e| UiError::Failed(respite_core::text::texts().say(&EditError::Write(e).message())))?;
        let _ = std::fs::create_dir_all(state.paths.ideas_pictures());
    }
    std::process::Command::new("xdg-open")
        .arg(&file)
        .stdin(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| UiError::Failed(respite_core::text::texts().fill("settings.ideas.cannotOpen", &[("file", &file.display()), ("detail", &e)])))
}

/// Whether `value` would be accepted for `key`; nothing is written.
#[tauri::command]
fn settings_check(state: tauri::State<'_, SettingsState>, key: String, value: FieldValue) -> Result<(), UiError> {
    edit::check(&state.text()?, &key, &value).map_err(refused)
}

/// Saves `key` = `value` in the file and asks the daemon to apply it.
#[tauri::command]
fn settings_set(state: tauri::State<'_, SettingsState>, key: String, value: FieldValue) -> Result<Saved, UiError> {
    state.set(&key, &value)
}

/// Replaces the file with the defaults and asks the daemon to apply them.
#[tauri::command]
fn settings_reset(state: tauri::State<'_, SettingsState>) -> Result<Saved, UiError> {
    state.change(|file| edit::reset(file).map_err(|e| UiError::Failed(e.to_string())))
}

/// The page has drawn the settings: show the window.
#[tauri::command]
fn settings_ready(app: tauri::AppHandle) -> Result<(), UiError> {
    show_drawn(&app, "settings").map(drop)
}

/// Whether Respite starts at login, read from the autostart entry itself.
#[tauri::command]
pub(crate) fn autostart_get() -> Result<bool, UiError> {
    let entry = Autostart::from_env().map_err(|e| UiError::Failed(e.to_string()))?;
    entry.is_enabled().map_err(|e| UiError::Failed(e.to_string()))
}

/// Turns launch at login on or off; returns the state the entry is in afterwards.
#[tauri::command]
pub(crate) fn autostart_set(on: bool) -> Result<bool, UiError> {
    let failed = |e: respite_core::autostart::AutostartError| UiError::Failed(e.to_string());
    let entry = Autostart::from_env().map_err(failed)?;
    if on {
        entry.enable(&respite_program()?).map_err(failed)?;
    } else {
        entry.disable().map_err(failed)?;
    }
    entry.is_enabled().map_err(failed)
}

/// The `respite` program to start at login: the one beside this `respite-ui`, else the first
/// on `PATH`.
fn respite_program() -> Result<PathBuf, UiError> {
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("respite")));
    let on_path = std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).map(|dir| dir.join("respite")).find(|p| p.is_file()));
    beside
        .filter(|p| p.is_file())
        .or(on_path)
        .filter(|p| p.is_absolute())
        .ok_or_else(|| UiError::Failed("cannot find the respite program beside respite-ui or on PATH".into()))
}
