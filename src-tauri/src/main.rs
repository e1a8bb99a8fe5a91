//! `respite-ui`: the Tauri shell, started by the daemon only while a window is needed.
//! Usage: `respite-ui overlay|summary|settings|welcome …` (see `USAGE` in lib.rs).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // WebKitGTK's accelerated compositing, with no GPU, renders every frame of the full-screen
    // page through software GL: measured here at 0.7 of a core for a still overlay, against
    // 0.05 without it (benches/footprint). Set before any thread exists; a user's own choice wins.
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    respite_ui::run(std::env::args().skip(1).collect())
}
