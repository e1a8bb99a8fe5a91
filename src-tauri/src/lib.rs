//! `respite-ui`: the Tauri 2 shell that draws Respite's windows. It is a client of the daemon:
//! it reads what to show over the control socket and sends the user's choices back the same
//! way, and it exits when its last window closes, taking every WebKit process with it.
//!
//! Where things live: [`overlay`] (the break overlay: windows per monitor, its commands, and
//! the watch that fades it out when the break ends); [`fade`] (window-opacity fades); [`error`]
//! (the error type commands return).

mod error;
mod fade;
mod overlay;

use respite_core::paths::Paths;
use std::process::ExitCode;

/// Which window to open, from the command line.
#[derive(Debug, PartialEq, Eq)]
enum Window {
    Overlay { break_id: Option<u64> },
}

fn parse_args(args: &[String]) -> Result<Window, String> {
    match args.first().map(String::as_str) {
        Some("overlay") => match &args[1..] {
            [] => Ok(Window::Overlay { break_id: None }),
            [flag, id] if flag == "--break-id" => {
                id.parse().map(|id| Window::Overlay { break_id: Some(id) }).map_err(|_| format!("--break-id needs a number, not {id:?}"))
            }
            other => Err(format!("unexpected arguments: {}", other.join(" "))),
        },
        Some(other) => Err(format!("unknown window {other:?}")),
        None => Err("which window? usage: respite-ui overlay [--break-id N]".into()),
    }
}

/// Opens the window named by `args` and runs until it closes.
pub fn run(args: Vec<String>) -> ExitCode {
    let window = match parse_args(&args) {
        Ok(window) => window,
        Err(e) => {
            eprintln!("respite-ui: {e}");
            return ExitCode::from(2);
        }
    };
    let paths = match Paths::from_env() {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("respite-ui: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match window {
        Window::Overlay { break_id } => overlay::run(paths.socket(), break_id),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("respite-ui: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_name_the_window() {
        assert_eq!(parse_args(&args(&["overlay"])), Ok(Window::Overlay { break_id: None }));
        assert_eq!(parse_args(&args(&["overlay", "--break-id", "7"])), Ok(Window::Overlay { break_id: Some(7) }));
        assert!(parse_args(&args(&["overlay", "--break-id", "x"])).is_err());
        assert!(parse_args(&args(&["summary", "--now"])).is_err());
        assert!(parse_args(&[]).is_err());
    }
}
