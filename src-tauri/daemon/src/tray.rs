//! The tray icon and its menu (`tray-icon`, shown through the GTK main loop on Linux).
//!
//! The tray lives on the main thread; the runtime pushes [`Glance`]s to it through the GLib
//! main context, and menu clicks become control requests to the runtime. Without a display the
//! tray is simply absent and the daemon runs on; without a tray host (some GNOME setups) the
//! icon is not shown but the menu's actions stay reachable through the `respite` command.
//!
//! The icon is a StatusNotifierItem (libayatana-appindicator), shown by a host that registers
//! with `org.kde.StatusNotifierWatcher` on the session bus (KDE, waybar, swaybar's tray, GNOME
//! with the AppIndicator extension). Where no watcher runs, the library falls back to an XEmbed
//! tray icon: that works on X11, but Wayland has no XEmbed, and there the fallback only fills
//! the log with GTK criticals. So on Wayland the icon is made when a watcher is on the bus, at
//! start or whenever one appears later (a panel that starts after Respite), seen on the bus's
//! `NameOwnerChanged` signal, never by polling.

use crate::glance::{Glance, GlanceSink};
use crate::input::Input;
use gtk::glib;
use respite_core::record::BreakKind;
use respite_core::protocol::{PauseSpec, Request, WindowName};
use respite_core::text::{self, Texts};
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

/// The bus name of the StatusNotifierItem watcher, which tray hosts register with.
const WATCHER: &str = "org.kde.StatusNotifierWatcher";

thread_local! {
    /// The tray, owned by the main (GTK) thread; `None` until a host can show it.
    static TRAY: RefCell<Option<Tray>> = const { RefCell::new(None) };
    /// The last state pushed, for a tray made later.
    static LAST: RefCell<Option<Glance>> = const { RefCell::new(None) };
}

/// Creates the tray on this (the main) thread, now or (on Wayland) once a tray host appears,
/// and returns the sink the runtime updates it with.
pub fn start(inputs: Sender<Input>) -> Result<GlanceSink, TrayError> {
    gtk::init().map_err(|e| TrayError::NoDisplay(e.to_string()))?;
    MenuEvent::set_event_handler(Some(move |event: MenuEvent| {
        if let Some(request) = request_for(event.id.as_ref()) {
            let _ = inputs.send(Input::Request { request, reply: None });
        }
    }));
    let on_wayland = gtk::gdk::Display::default().is_some_and(|d| gtk::prelude::ObjectExt::type_(&d).name() == "GdkWaylandDisplay");
    if on_wayland && !watcher_present() {
        tracing::info!("no tray host on the session bus yet ({WATCHER}): the tray icon is made when one appears");
        make_when_a_watcher_appears();
    } else {
        make()?;
    }
    Ok(Box::new(|state: Glance| {
        glib::idle_add_once(move || {
            TRAY.with(|t| if let Some(tray) = t.borrow().as_ref() { tray.show(&state) });
            LAST.with(|l| *l.borrow_mut() = Some(state));
        });
    }))
}

/// Makes the tray icon (on the main thread) and shows the last state on it.
fn make() -> Result<(), TrayError> {
    let tray = build()?;
    LAST.with(|l| if let Some(state) = l.borrow().as_ref() { tray.show(state) });
    TRAY.with(|t| *t.borrow_mut() = Some(tray));
    Ok(())
}

/// Whether a StatusNotifierItem watcher owns its name on the session bus.
fn watcher_present() -> bool {
    let owned = crate::session_bus::shared()
        .and_then(|bus| zbus::blocking::fdo::DBusProxy::new(&bus)?.name_has_owner(WATCHER.try_into()?).map_err(zbus::Error::from));
    match owned {
        Ok(owned) => owned,
        Err(e) => {
            tracing::info!("cannot ask the session bus for a tray host ({e})");
            false
        }
    }
}

/// Waits (on a thread of its own, on the bus's signal) for a watcher to appear, then makes the
/// tray icon on the main thread.
fn make_when_a_watcher_appears() {
    let waiting = std::thread::Builder::new().name("tray-watcher".into()).spawn(|| {
        let appeared = (|| -> zbus::Result<bool> {
            let bus = crate::session_bus::shared()?;
            let proxy = zbus::blocking::fdo::DBusProxy::new(&bus)?;
            let mut changes = proxy.receive_name_owner_changed_with_args(&[(0, WATCHER)])?;
            // It may have come between the first look and the subscription.
            if proxy.name_has_owner(WATCHER.try_into()?)? {
                return Ok(true);
            }
            Ok(changes.any(|signal| signal.args().is_ok_and(|args| args.new_owner().is_some())))
        })();
        match appeared {
            Ok(true) => {
                tracing::info!("a tray host appeared on the session bus: making the tray icon");
                glib::MainContext::default().invoke(|| {
                    if let Err(e) = make() {
                        tracing::warn!("{e}; Respite runs without a tray icon (the `respite` command still works)");
                    }
                });
            }
            Ok(false) => {}
            Err(e) => tracing::info!("cannot wait for a tray host on the session bus ({e})"),
        }
    });
    if let Err(e) = waiting {
        tracing::warn!("cannot wait for a tray host: {e}");
    }
}

/// The words of menu item (or submenu) `id`, from the locale file.
fn label(texts: &Texts, id: &str) -> String {
    match id {
        "info" => texts.get("app.name").to_owned(),
        "break.eye" => texts.kind_title(BreakKind::Eye),
        "break.stretch" => texts.kind_title(BreakKind::Stretch),
        "break.walk" => texts.kind_title(BreakKind::Walk),
        other => texts.get(&format!("tray.{other}")).to_owned(),
    }
}

fn build() -> Result<Tray, TrayError> {
    let texts = text::texts();
    let item = |id: &str, enabled: bool| MenuItem::with_id(id, label(texts, id), enabled, None);
    let info = item("info", false);
    let take = Submenu::with_items(label(texts, "break_now"), true, &[&item("break.eye", true), &item("break.stretch", true), &item("break.walk", true)])?;
    let pause = Submenu::with_items(label(texts, "pause"), true, &[&item("pause.30m", true), &item("pause.1h", true), &item("pause.tomorrow", true)])?;
    let resume = item("resume", false);
    let skip = item("skip", true);
    let focus_start = item("focus.start", true);
    let focus_stop = item("focus.stop", false);
    let summary = item("summary", true);
    let settings = item("settings", true);
    let quit = item("quit", true);
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
        .with_tooltip(texts.get("app.name"))
        .build()?;
    Ok(Tray { icon, info, resume, skip, focus_start, focus_stop, running, paused })
}

impl Tray {
    fn show(&self, state: &Glance) {
        self.info.set_text(&state.info);
        self.resume.set_enabled(state.paused);
        self.skip.set_enabled(!state.paused && !state.on_break && !state.focusing);
        self.focus_start.set_enabled(!state.focusing);
        self.focus_stop.set_enabled(state.focusing);
        let icon = if state.paused { &self.paused } else { &self.running };
        if let Err(e) = self.icon.set_icon(Some(icon.clone())) {
            tracing::warn!("cannot change the tray icon: {e}");
        }
        let _ = self.icon.set_tooltip(Some(text::tf("tray.tooltip", &[("info", &state.info)])));
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

    /// The menu's actions, by id.
    const ACTIONS: [&str; 13] =
        ["break.eye", "break.stretch", "break.walk", "pause.30m", "pause.1h", "pause.tomorrow", "resume", "skip", "focus.start", "focus.stop", "summary", "settings", "quit"];

    #[test]
    fn every_menu_action_maps_to_a_request() {
        for id in ACTIONS {
            assert!(request_for(id).is_some(), "{id}");
        }
        assert_eq!(request_for("info"), None);
    }

    #[test]
    fn every_menu_label_comes_from_the_locale_file() {
        for id in ACTIONS.iter().chain(&["info", "break_now", "pause"]) {
            let label = label(&Texts::pseudo(), id);
            assert!(text::is_pseudo(&label), "{id}: {label}");
        }
        assert_eq!(label(&Texts::english(), "settings"), "Settings…");
        assert_eq!(label(&Texts::english(), "break.walk"), "Walk");
    }

}
