//! The welcome window, opened by the daemon on a first start and by `respite welcome`: what
//! Respite does, a choice of preset, and switches for launch at login and sound (capability
//! `welcome`). Every choice is saved as it is made, through the same settings file editing as the
//! settings window, and applied by the daemon at once; closing the window keeps them.

use crate::error::UiError;
use crate::plain_window::{hidden_until_drawn, show_drawn};
use crate::settings_window::{self, refused, Saved, SettingsState};
use respite_core::autostart::Autostart;
use respite_core::client;
use respite_core::paths::Paths;
use respite_core::protocol::Request;
use respite_core::settings::edit::{self, FieldValue};
use respite_core::settings::{self as core_settings, preset::Preset};
use serde::Serialize;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

/// What the page shows first.
#[derive(Serialize)]
struct WelcomeView {
    /// The preset the settings follow; `null` for a hand-tuned rhythm.
    preset: Option<Preset>,
    /// Launch at login; `null` when the entry cannot be read.
    autostart: Option<bool>,
    sound: bool,
}

/// Runs the welcome window until it is closed.
pub fn run(paths: Paths) -> Result<(), tauri::Error> {
    let app = tauri::Builder::default()
        .manage(SettingsState::new(paths))
        .invoke_handler(tauri::generate_handler![welcome_read, welcome_preset, welcome_sound, welcome_ready, welcome_done, settings_window::autostart_set])
        .setup(|app| {
            hidden_until_drawn(WebviewWindowBuilder::new(app, "welcome", WebviewUrl::App("welcome.html".into())))
                .title(respite_core::text::t("welcome.windowTitle"))
                .inner_size(600.0, 720.0)
                .min_inner_size(420.0, 480.0)
                .center()
                .build()?;
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|_, _| {});
    Ok(())
}

#[tauri::command]
fn welcome_read(state: tauri::State<'_, SettingsState>) -> Result<WelcomeView, UiError> {
    let (settings, _) = core_settings::parse(&state.text()?);
    let autostart = Autostart::from_env().ok().and_then(|entry| entry.is_enabled().ok());
    Ok(WelcomeView { preset: Preset::of(&settings), autostart, sound: settings.sound.enabled })
}

/// Writes `preset` into the settings, has the daemon apply them, and starts or stops focus mode
/// to match (the Focus preset is focus mode from the start).
#[tauri::command]
fn welcome_preset(state: tauri::State<'_, SettingsState>, preset: Preset) -> Result<Saved, UiError> {
    let saved = state.change(|file| {
        let text = preset.apply(&edit::read(file).map_err(|e| UiError::Failed(e.to_string()))?).map_err(refused)?;
        edit::write_atomic(file, &text).map_err(|e| UiError::Failed(e.to_string()))
    })?;
    // Already in that state is fine; a daemon that is not running starts focus mode itself.
    if let Err(e) = client::request(&state.socket(), &Request::Focus { on: preset == Preset::Focus }) {
        report!("focus mode not changed: {e}");
    }
    Ok(saved)
}

#[tauri::command]
fn welcome_sound(state: tauri::State<'_, SettingsState>, on: bool) -> Result<Saved, UiError> {
    state.set("sound.enabled", &FieldValue::Bool(on))
}

/// The page has drawn: show the window.
#[tauri::command]
fn welcome_ready(app: tauri::AppHandle) -> Result<(), UiError> {
    show_drawn(&app, "welcome").map(drop)
}

/// *Start*: the choices are already saved; close the window (the process then exits).
#[tauri::command]
fn welcome_done(app: tauri::AppHandle) -> Result<(), UiError> {
    let window = app.get_webview_window("welcome").ok_or_else(|| UiError::Invalid("no welcome window".into()))?;
    window.close().map_err(|e| UiError::Failed(e.to_string()))
}
