//! Generates the Tauri context and one permission per app command, so each window's capability
//! (capabilities/*.json) can grant exactly the commands it uses.
fn main() {
    let commands = tauri_build::AppManifest::new().commands(&["overlay_info", "overlay_ready", "postpone", "skip", "finish", "overlay_closed", "summary_week", "summary_ready", "self_check_save", "settings_read", "settings_check", "settings_set", "settings_reset", "settings_ready", "ideas_open", "autostart_get", "autostart_set", "welcome_read", "welcome_preset", "welcome_sound", "welcome_ready", "welcome_done"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(commands)).expect("tauri build step failed");
}
