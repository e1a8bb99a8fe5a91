//! `respite-ui`: the Tauri 2 shell that draws Respite's windows. It is a client of the daemon:
//! it reads what to show over the control socket and sends the user's choices back the same
//! way, and it exits when its last window closes, taking every WebKit process with it.
//!
//! Where things live: [`overlay`] (the break overlay: its commands, and the watch that fades it
//! out when the break ends); [`cover`] (which monitors a break covers, and how a window covers
//! one on X11, on Wayland with layer-shell, and on GNOME); [`summary_window`] (the weekly summary);
//! [`settings_window`] (the settings, applied live); [`welcome_window`] (the first start's
//! preset, launch at login and sound); [`plain_window`] (what those three ordinary windows
//! share); [`fade`] (window-opacity fades); [`error`] (the error type commands return).

/// One line to standard error, which the daemon reads into its log. Unlike `eprintln!` it never
/// panics: once the daemon is gone that pipe is closed, and the line is simply lost.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "respite-ui: {}", format_args!($($arg)*));
    }};
}

mod cover;
mod error;
mod fade;
mod overlay;
mod plain_window;
mod settings_window;
mod summary_window;
mod welcome_window;

use overlay::OverlayArgs;
use respite_core::paths::Paths;
use respite_core::calendar::Week;
use std::process::ExitCode;

/// Which window to open, from the command line.
#[derive(Debug, PartialEq, Eq)]
enum Window {
    Overlay(OverlayArgs),
    /// The weekly summary, opened on this week (default: the current one).
    Summary(Option<Week>),
    /// The settings window.
    Settings,
    /// The first-start window.
    Welcome,
}

const USAGE: &str = "usage: respite-ui overlay [--break-id N] [--monitors all|primary|cursor] [--fade-ms N] [--prepare]\n       respite-ui summary [--week 2026-W47]\n       respite-ui settings\n       respite-ui welcome";

fn parse_args(args: &[String]) -> Result<Window, String> {
    match args.first().map(String::as_str) {
        Some("overlay") => {
            let mut overlay = OverlayArgs::default();
            let mut rest = args[1..].iter();
            while let Some(flag) = rest.next() {
                let mut value = || rest.next().ok_or_else(|| format!("{flag} needs a value; {USAGE}"));
                match flag.as_str() {
                    "--break-id" => {
                        let id = value()?;
                        overlay.break_id = Some(id.parse().map_err(|_| format!("--break-id needs a number, not {id:?}"))?);
                    }
                    "--monitors" => overlay.monitors = value()?.parse().map_err(|e| format!("--monitors: {e}; {USAGE}"))?,
                    "--fade-ms" => {
                        let ms = value()?;
                        let ms: u64 = ms.parse().map_err(|_| format!("--fade-ms needs a number, not {ms:?}"))?;
                        overlay.fade = std::time::Duration::from_millis(ms.min(5000));
                    }
                    "--prepare" => overlay.prepare = true,
                    other => return Err(format!("unexpected argument {other:?}; {USAGE}")),
                }
            }
            Ok(Window::Overlay(overlay))
        }
        Some("summary") => match &args[1..] {
            [] => Ok(Window::Summary(None)),
            [flag, week] if flag == "--week" => week.parse().map(|w| Window::Summary(Some(w))).map_err(|e| format!("{e}; {USAGE}")),
            _ => Err(format!("unexpected arguments {:?}; {USAGE}", &args[1..])),
        },
        Some("settings") => alone(&args[1..], Window::Settings),
        Some("welcome") => alone(&args[1..], Window::Welcome),
        Some(other) => Err(format!("unknown window {other:?}; {USAGE}")),
        None => Err(format!("which window? {USAGE}")),
    }
}

/// Why a window cannot open (GTK would panic instead of saying it).
pub(crate) const NO_DISPLAY: &str = "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set)";
/// The display named in the environment does not answer (a server that is gone).
pub(crate) const DISPLAY_GONE: &str = "the display does not answer (DISPLAY or WAYLAND_DISPLAY names one that is not there): no window can open";

/// Linux without a display server to talk to.
pub(crate) fn no_display() -> bool {
    cfg!(target_os = "linux") && ["DISPLAY", "WAYLAND_DISPLAY"].iter().all(|name| std::env::var_os(name).is_none_or(|v| v.is_empty()))
}

/// Why no window can open, if none can: no display named, or (Linux) the one named does not
/// answer, which the window toolkit would otherwise answer with a panic.
pub(crate) fn display_problem() -> Option<&'static str> {
    if no_display() {
        return Some(NO_DISPLAY);
    }
    #[cfg(target_os = "linux")]
    if gtk::init().is_err() {
        return Some(DISPLAY_GONE);
    }
    None
}

/// A window builder whose page learns the language the shell chose from the desktop's
/// environment (`respite_core::text::choice`, the daemon's choice too): a locale file's tag, or
/// `pseudo` (see `ui/js/i18n.js`). The tag comes from the list of embedded files, never from
/// the environment's own text, so the script is a plain string literal.
pub(crate) fn in_locale<'a, R: tauri::Runtime, M: tauri::Manager<R>>(builder: tauri::WebviewWindowBuilder<'a, R, M>) -> tauri::WebviewWindowBuilder<'a, R, M> {
    use respite_core::text::{available, choice, Choice};
    let tag = match choice::choose(|name| std::env::var(name).ok(), &available()) {
        Choice::Pseudo => "pseudo",
        Choice::Tag(tag) => tag,
    };
    builder.initialization_script(format!("window.__RESPITE_LOCALE__ = {tag:?};"))
}

/// `window`, which takes no arguments.
fn alone(rest: &[String], window: Window) -> Result<Window, String> {
    match rest {
        [] => Ok(window),
        rest => Err(format!("unexpected arguments {rest:?}; {USAGE}")),
    }
}

/// Opens the window named by `args` and runs until it closes.
pub fn run(args: Vec<String>) -> ExitCode {
    let window = match parse_args(&args) {
        Ok(window) => window,
        Err(e) => {
            report!("{e}");
            return ExitCode::from(2);
        }
    };
    // The overlay asks the daemon for its break first (and says so when there is none).
    if !matches!(window, Window::Overlay(_)) {
        if let Some(problem) = display_problem() {
            report!("{problem}");
            return ExitCode::FAILURE;
        }
    }
    let paths = match Paths::from_env() {
        Ok(paths) => paths,
        Err(e) => {
            report!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match window {
        Window::Overlay(mut args) => {
            // The look comes from the settings file; one that cannot be read means the defaults.
            if let Ok(text) = std::fs::read_to_string(paths.settings_file()) {
                args.look = overlay::Look::of(&respite_core::settings::parse(&text).0.overlay);
            }
            // The person's own ideas; a bad entry is left out (the daemon reports it).
            let ideas = std::fs::read_to_string(paths.ideas_file()).map(|text| respite_core::ideas::parse(&text).0).unwrap_or_default();
            let own = overlay::OwnIdeas { ideas, pictures: paths.ideas_pictures() };
            overlay::run(paths.socket(), args, own).map_err(|e| e.to_string())
        }
        Window::Summary(week) => {
            // The self-check shows when it is on, and the budget when one is set; a settings file
            // that cannot be read means neither.
            let settings = std::fs::read_to_string(paths.settings_file()).map(|text| respite_core::settings::parse(&text).0).unwrap_or_default();
            summary_window::run(paths.database(), paths.socket(), settings.selfcheck.enabled, settings.budget.daily, settings.hours, week).map_err(|e| e.to_string())
        }
        Window::Settings => settings_window::run(paths).map_err(|e| e.to_string()),
        Window::Welcome => welcome_window::run(paths).map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report!("{e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use respite_core::settings::Monitors;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_name_the_window_and_its_options() {
        assert_eq!(parse_args(&args(&["overlay"])), Ok(Window::Overlay(OverlayArgs::default())));
        let full = parse_args(&args(&["overlay", "--break-id", "7", "--monitors", "cursor", "--fade-ms", "250", "--prepare"]));
        let expected =
            OverlayArgs { break_id: Some(7), monitors: Monitors::Cursor, fade: std::time::Duration::from_millis(250), prepare: true, ..OverlayArgs::default() };
        assert_eq!(full, Ok(Window::Overlay(expected)));
        assert!(parse_args(&args(&["overlay", "--break-id", "x"])).is_err());
        assert!(parse_args(&args(&["overlay", "--monitors", "left"])).is_err());
        assert!(parse_args(&args(&["overlay", "--fade-ms"])).is_err());
        assert!(parse_args(&args(&["summary", "--now"])).is_err());
        assert_eq!(parse_args(&args(&["summary"])), Ok(Window::Summary(None)));
        assert_eq!(parse_args(&args(&["summary", "--week", "2026-W53"])), Ok(Window::Summary(Week::new(2026, 53))));
        assert!(parse_args(&args(&["summary", "--week", "2025-W53"])).is_err(), "2025 has 52 ISO weeks");
        assert_eq!(parse_args(&args(&["settings"])), Ok(Window::Settings));
        assert!(parse_args(&args(&["settings", "--now"])).is_err());
        assert_eq!(parse_args(&args(&["welcome"])), Ok(Window::Welcome));
        assert!(parse_args(&[]).is_err());
    }
}
