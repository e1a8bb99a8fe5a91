//! `respite-ui`: the Tauri shell, started by the daemon only while a window is needed.
//! Usage: `respite-ui overlay [--break-id N]`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    respite_ui::run(std::env::args().skip(1).collect())
}
