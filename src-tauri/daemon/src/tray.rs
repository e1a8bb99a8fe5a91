//! The tray icon and its menu (`tray-icon`, shown through the GTK main loop on Linux).
//!
//! The tray lives on the main thread; the runtime pushes [`TrayState`]s to it through the GLib
//! main context, and menu clicks become control requests to the runtime. Without a display the
//! tray is simply absent and the daemon runs on; without a tray host (some GNOME setups) the
//! icon is not shown but the menu's actions stay reachable through the `respite` command.

use crate::runtime::{Input, TraySink, TrayState};
use gtk::glib;
use respite_core::kind::BreakKind;
use respite_core::protocol::{PauseSpec, Request, WindowName};
use std::cell::RefCell;
use std::sync::mpsc::Sender;
use tray_icon::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tray_icon::{Icon, TrayIcon, TrayIconBuilder};

const ICON_RUNNING: &[u8] = include_bytes!("../../../icons/tray-running.png");
const ICON_PAUSED: &[u8] = include_bytes!("../../../icons/tray-paused.png");

/// The tray could not be created.
#[derive(Debug, thiserror::Error)]
pub enum TrayError {
    #[error("no display to show a tray on ({0})")]
    NoDisplay(String),
    #[error("bad tray icon: {0}")]
    Icon(String),
    #[error("cannot build the tray menu: {0}")]
    Menu(#[from] tray_icon::menu::Error),
    #[error("cannot create the tray icon: {0}")]
    Tray(#[from] tray_icon::Error),
}

struct Tray {
    icon: TrayIcon,
    info: MenuItem,
    resume: MenuItem,
    skip: MenuItem,
    focus_start: MenuItem,
    focus_stop: MenuItem,
    running: Icon,
    paused: Icon,
}

thread_local! {
    /// The tray, owned by the main (GTK) thread.
    static TRAY: RefCell<Option<Tray>> = const { RefCell::new(None) };
}

/// Creates the tray on this (the main) thread and returns the sink the runtime updates it with.
pub fn start(inputs: Sender<Input>) -> Result<TraySink, TrayError> {
    gtk::init().map_err(|e| TrayError::NoDisplay(e.to_string()))?;
    let tray = build()?;
    MenuEvent::set_event_handler(Some(move |event: MenuEvent| {
        if let Some(request) = request_for(event.id.as_ref()) {
            let _ = inputs.send(Input::Request { request, reply: None });
        }
    }));
    TRAY.with(|t| *t.borrow_mut() = Some(tray));
    Ok(Box::new(|state: TrayState| {
        glib::idle_add_once(move || TRAY.with(|t| if let Some(tray) = t.borrow().as_ref() { tray.show(&state) }));
    }))
}

fn build() -> Result<Tray, TrayError> {
    let info = MenuItem::with_id("info", "Respite", false, None);
    let take = Submenu::with_items(
        "Take a break now",
        true,
        &[
            &MenuItem::with_id("break.eye", "Eye rest", true, None),
            &MenuItem::with_id("break.stretch", "Stretch", true, None),
            &MenuItem::with_id("break.walk", "Walk", true, None),
        ],
    )?;
    let pause = Submenu::with_items(
        "Pause",
        true,
        &[
            &MenuItem::with_id("pause.30m", "30 minutes", true, None),
            &MenuItem::with_id("pause.1h", "1 hour", true, None),
            &MenuItem::with_id("pause.tomorrow", "Until tomorrow", true, None),
        ],
    )?;
    let resume = MenuItem::with_id("resume", "Resume", false, None);
    let skip = MenuItem::with_id("skip", "Skip next break", true, None);
    let focus_start = MenuItem::with_id("focus.start", "Start focus mode", true, None);
    let focus_stop = MenuItem::with_id("focus.stop", "Stop focus mode", false, None);
    let summary = MenuItem::with_id("summary", "Weekly summary", true, None);
    let settings = MenuItem::with_id("settings", "Settings…", true, None);
    let quit = MenuItem::with_id("quit", "Quit Respite", true, None);
    let menu = Menu::with_items(&[
        &info,
        &PredefinedMenuItem::separator(),
        &take,
        &pause,
        &resume,
        &skip,
        &PredefinedMenuItem::separator(),
        &focus_start,
        &focus_stop,
        &PredefinedMenuItem::separator(),
        &summary,
        &settings,
        &PredefinedMenuItem::separator(),
        &quit,
    ])?;
    let running = icon(ICON_RUNNING)?;
    let paused = icon(ICON_PAUSED)?;
    let icon = TrayIconBuilder::new()
        .with_id("respite")
        .with_menu(Box::new(menu))
        .with_icon(running.clone())
        .with_tooltip("Respite")
        .build()?;
    Ok(Tray { icon, info, resume, skip, focus_start, focus_stop, running, paused })
}

impl Tray {
    fn show(&self, state: &TrayState) {
        self.info.set_text(&state.info);
        self.resume.set_enabled(state.paused);
        self.skip.set_enabled(!state.paused && !state.on_break && !state.focusing);
        self.focus_start.set_enabled(!state.focusing);
        self.focus_stop.set_enabled(state.focusing);
        let icon = if state.paused { &self.paused } else { &self.running };
        if let Err(e) = self.icon.set_icon(Some(icon.clone())) {
            tracing::warn!("cannot change the tray icon: {e}");
        }
        let _ = self.icon.set_tooltip(Some(format!("Respite — {}", state.info)));
    }
}

/// The request a menu item stands for.
fn request_for(id: &str) -> Option<Request> {
    Some(match id {
        "break.eye" => Request::Break { kind: BreakKind::Eye },
        "break.stretch" => Request::Break { kind: BreakKind::Stretch },
        "break.walk" => Request::Break { kind: BreakKind::Walk },
        "pause.30m" => Request::Pause { length: PauseSpec::ForSecs(30 * 60) },
        "pause.1h" => Request::Pause { length: PauseSpec::ForSecs(60 * 60) },
        "pause.tomorrow" => Request::Pause { length: PauseSpec::UntilTomorrow },
        "resume" => Request::Resume,
        "skip" => Request::Skip { break_id: None },
        "focus.start" => Request::Focus { on: true },
        "focus.stop" => Request::Focus { on: false },
        "summary" => Request::Open { window: WindowName::Summary, week: None },
        "settings" => Request::Open { window: WindowName::Settings, week: None },
        "quit" => Request::Quit,
        _ => return None,
    })
}

/// Decodes one of the project's PNG icons.
fn icon(bytes: &[u8]) -> Result<Icon, TrayError> {
    let bad = |e: &dyn std::fmt::Display| TrayError::Icon(e.to_string());
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().map_err(|e| bad(&e))?;
    let mut rgba = vec![0; reader.output_buffer_size().ok_or_else(|| bad(&"icon too large"))?];
    let frame = reader.next_frame(&mut rgba).map_err(|e| bad(&e))?;
    if frame.color_type != png::ColorType::Rgba || frame.bit_depth != png::BitDepth::Eight {
        return Err(bad(&format!("expected 8-bit RGBA, got {:?} {:?}", frame.color_type, frame.bit_depth)));
    }
    rgba.truncate(frame.buffer_size());
    Icon::from_rgba(rgba, frame.width, frame.height).map_err(|e| bad(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_icons_decode() {
        assert!(icon(ICON_RUNNING).is_ok());
        assert!(icon(ICON_PAUSED).is_ok());
    }

    #[test]
    fn every_menu_action_maps_to_a_request() {
        for id in ["break.eye", "break.stretch", "break.walk", "pause.30m", "pause.1h", "pause.tomorrow", "resume", "skip", "focus.start", "focus.stop", "summary", "settings", "quit"] {
            assert!(request_for(id).is_some(), "{id}");
        }
        assert_eq!(request_for("info"), None);
    }
}
