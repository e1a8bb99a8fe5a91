//! How the overlay's windows cover the monitors: which monitors a break covers, and how each
//! window is made to cover its monitor and stay above other windows on this display server.
//!
//! - **X11**: a window placed over the monitor, sized to it, kept above by the window manager.
//! - **Wayland with `wlr-layer-shell`** (KDE Plasma, sway, Hyprland, river, labwc, COSMIC): a
//!   layer surface on the overlay layer of the monitor's output, anchored to all four edges and
//!   ignoring panels' reserved space, so it covers panels too. The first one takes the keyboard
//!   exclusively, so Tab, Enter and Esc reach the page; the others take it when clicked.
//! - **Wayland without it** (GNOME's Mutter): a window made fullscreen on its monitor. Mutter keeps
//!   it above the person's other windows while it has the focus; nothing can do more there.
//!
//! `monitors = "primary"` and `"cursor"` where the display cannot say: a Wayland client does not
//! know where the pointer is, and GNOME reports no primary monitor. There the break covers the
//! output the compositor picks for a new window, which is the one in use (sway: the focused
//! output; Mutter: the monitor with the pointer). No setting ever leaves a break with no window.
//!
//! Monitors plugged in during a break (with `monitors = "all"`) get their own window at once; the
//! window of a monitor that goes away is closed. The next break starts from the new set.

use respite_core::settings::Monitors;
use tauri::{AppHandle, WebviewWindow, WebviewWindowBuilder, Wry};

/// An overlay window's builder, before it is given its monitor.
pub type Builder<'a> = WebviewWindowBuilder<'a, Wry, AppHandle>;

#[cfg(target_os = "linux")]
pub use linux::{follow_monitors, open, report_placement, targets, Method, Target};

#[cfg(not(target_os = "linux"))]
pub use other::{follow_monitors, open, report_placement, targets, Method, Target};

#[cfg(target_os = "linux")]
mod linux {
    use super::{Builder, Monitors};
    use gtk::gdk;
    use gtk::prelude::*;
    use gtk_layer_shell::{Edge, KeyboardMode, Layer, LayerShell};
    use std::cell::{Cell, RefCell};
    use tauri::WebviewWindow;

    /// How a window covers its monitor on this display.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Method {
        /// X11: placed over the monitor and kept above other windows by the window manager.
        Placed,
        /// Wayland with `wlr-layer-shell`: a surface on the overlay layer of the output.
        Layer,
        /// Wayland without it (GNOME): a window made fullscreen on its monitor.
        Fullscreen,
    }

    impl Method {
        /// The method this display offers. Call on the main thread, after GTK started.
        pub fn detect() -> Self {
            match gdk::Display::default() {
                Some(display) if display.type_().name() == "GdkWaylandDisplay" => {
                    if gtk_layer_shell::is_supported() {
                        Self::Layer
                    } else {
                        Self::Fullscreen
                    }
                }
                _ => Self::Placed,
            }
        }

        pub fn as_str(self) -> &'static str {
            match self {
                Self::Placed => "x11 placed window",
                Self::Layer => "wayland layer-shell overlay",
                Self::Fullscreen => "wayland fullscreen window",
            }
        }
    }

    /// A window's monitor; `None`: wherever the compositor puts a new window.
    pub type Target = Option<gdk::Monitor>;

    fn all_monitors(display: &gdk::Display) -> Vec<gdk::Monitor> {
        (0..display.n_monitors()).filter_map(|i| display.monitor(i)).collect()
    }

    /// The monitors a break covers for `choice`: never none.
    pub fn targets(method: Method, choice: Monitors) -> Vec<Target> {
        let Some(display) = gdk::Display::default() else { return vec![None] };
        let all = all_monitors(&display);
        let chosen = match choice {
            Monitors::All => return if all.is_empty() { vec![None] } else { all.into_iter().map(Some).collect() },
            Monitors::Primary => display.primary_monitor(),
            // Only X11 tells a client where the pointer is.
            Monitors::Cursor if method == Method::Placed => display.default_seat().and_then(|seat| seat.pointer()).and_then(|pointer| {
                let (_, x, y) = pointer.position();
                display.monitor_at_point(x, y)
            }),
            Monitors::Cursor => None,
        };
        match (chosen, method) {
            (Some(monitor), _) => vec![Some(monitor)],
            // X11 with no primary set: the first monitor (the window manager would put an
            // unplaced window anywhere).
            (None, Method::Placed) => vec![all.into_iter().next()],
            // Wayland: the compositor's choice, the output in use.
            (None, _) => vec![None],
        }
    }

    thread_local! {
        /// Which monitor each overlay window covers (main thread only).
        static COVERED: RefCell<Vec<(String, gdk::Monitor)>> = const { RefCell::new(Vec::new()) };
        /// The method in use, once the first window opened.
        static METHOD: Cell<Option<Method>> = const { Cell::new(None) };
    }

    /// Builds `builder`'s window so that it covers `target`. `first`: the window that takes the
    /// keyboard. Call on the main thread.
    pub fn open(builder: Builder<'_>, method: Method, target: &Target, first: bool) -> tauri::Result<WebviewWindow> {
        METHOD.with(|m| m.set(Some(method)));
        let window = match (method, target) {
            (Method::Placed, Some(monitor)) => {
                let area = monitor.geometry();
                builder
                    .position(area.x().into(), area.y().into())
                    .inner_size(area.width().into(), area.height().into())
                    .always_on_top(true)
                    .focused(first)
                    .build()?
            }
            (Method::Placed, None) | (Method::Fullscreen, None) => builder.fullscreen(true).always_on_top(true).focused(first).build()?,
            (Method::Fullscreen, Some(monitor)) => {
                let window = builder.focused(first).build()?;
                let gtk_window = window.gtk_window()?;
                let display = gtk_window.display();
                let index = (0..display.n_monitors()).find(|&i| display.monitor(i).as_ref() == Some(monitor));
                match index {
                    Some(index) => gtk_window.fullscreen_on_monitor(&display.default_screen(), index),
                    None => gtk_window.fullscreen(),
                }
                window
            }
            (Method::Layer, target) => {
                let window = builder.focused(first).build()?;
                let gtk_window = window.gtk_window()?;
                // A layer surface must be set up before the window is first realized.
                if gtk_window.is_realized() {
                    gtk_window.unrealize();
                }
                gtk_window.init_layer_shell();
                gtk_window.set_namespace("respite-overlay");
                gtk_window.set_layer(Layer::Overlay);
                for edge in [Edge::Left, Edge::Right, Edge::Top, Edge::Bottom] {
                    gtk_window.set_anchor(edge, true);
                }
                // -1: extend over panels' reserved space instead of beside it.
                gtk_window.set_exclusive_zone(-1);
                gtk_window.set_keyboard_mode(if first { KeyboardMode::Exclusive } else { KeyboardMode::OnDemand });
                if let Some(monitor) = target {
                    gtk_window.set_monitor(monitor);
                }
                window
            }
        };
        if let Some(monitor) = target {
            COVERED.with(|c| c.borrow_mut().push((window.label().to_owned(), monitor.clone())));
        }
        Ok(window)
    }

    /// With `monitors = "all"`: a monitor plugged in gets a window from `open_one` (called with
    /// its target), and the window of a monitor that goes away is closed. Call on the main thread.
    pub fn follow_monitors(app: &tauri::AppHandle, choice: Monitors, open_one: impl Fn(&Target) + 'static) {
        let Some(display) = gdk::Display::default() else { return };
        if choice == Monitors::All {
            display.connect_monitor_added(move |_, monitor| {
                report!("a monitor was plugged in during the break: {}; covering it", describe(monitor));
                open_one(&Some(monitor.clone()));
            });
        }
        let app = app.clone();
        display.connect_monitor_removed(move |_, monitor| {
            let gone: Vec<String> = COVERED.with(|c| {
                let mut covered = c.borrow_mut();
                let gone = covered.iter().filter(|(_, m)| m == monitor).map(|(label, _)| label.clone()).collect();
                covered.retain(|(_, m)| m != monitor);
                gone
            });
            for label in gone {
                report!("{label}: its monitor went away; closing it");
                if let Some(window) = tauri::Manager::get_webview_window(&app, &label) {
                    let _ = window.destroy();
                }
            }
        });
    }

    fn describe(monitor: &gdk::Monitor) -> String {
        let area = monitor.geometry();
        let name = monitor.model().map(|m| m.to_string()).unwrap_or_else(|| "monitor".into());
        format!("{name} {}x{} at {},{}", area.width(), area.height(), area.x(), area.y())
    }

    /// Writes to the log where `window` ended up, as the compositor reports it (the monitor its
    /// surface entered, its size, whether it is fullscreen), each time that changes. Tests and
    /// bug reports read it; on Wayland nothing else can tell.
    pub fn report_placement(window: &WebviewWindow) {
        let Ok(gtk_window) = window.gtk_window() else { return };
        let label = window.label().to_owned();
        let last = std::rc::Rc::new(RefCell::new(String::new()));
        let method = METHOD.with(Cell::get).map_or("?", Method::as_str);
        let report = move |widget: &gtk::ApplicationWindow| {
            let Some(gdk_window) = widget.window() else { return };
            let monitor = widget.display().monitor_at_window(&gdk_window).map_or_else(|| "no monitor".to_owned(), |m| describe(&m));
            let fullscreen = gdk_window.state().contains(gdk::WindowState::FULLSCREEN);
            let (width, height) = widget.size();
            let line = format!(
                "{label} shown ({method}): on {monitor}, size {width}x{height}{}",
                if fullscreen { ", fullscreen" } else { "" }
            );
            if *last.borrow() != line {
                report!("{line}");
                *last.borrow_mut() = line;
            }
        };
        let on_configure = report.clone();
        gtk_window.connect_configure_event(move |widget, _| {
            on_configure(widget);
            false
        });
        gtk_window.connect_window_state_event(move |widget, _| {
            report(widget);
            gtk::glib::Propagation::Proceed
        });
    }
}

#[cfg(not(target_os = "linux"))]
mod other {
    use super::{Builder, Monitors};
    use tauri::{Monitor, WebviewWindow};

    /// Elsewhere, a window placed over its monitor and kept on top.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Method {
        Placed,
    }

    impl Method {
        pub fn detect() -> Self {
            Self::Placed
        }

        pub fn as_str(self) -> &'static str {
            "placed window"
        }
    }

    pub type Target = Option<Monitor>;

    pub fn targets(app: &tauri::AppHandle, choice: Monitors) -> Vec<Target> {
        let all = app.available_monitors().unwrap_or_default();
        let one = match choice {
            Monitors::All => return if all.is_empty() { vec![None] } else { all.into_iter().map(Some).collect() },
            Monitors::Primary => app.primary_monitor().ok().flatten(),
            Monitors::Cursor => app.cursor_position().ok().and_then(|c| app.monitor_from_point(c.x, c.y).ok().flatten()),
        };
        vec![one.or_else(|| all.into_iter().next())]
    }

    pub fn open(builder: Builder<'_>, _: Method, target: &Target, first: bool) -> tauri::Result<WebviewWindow> {
        let builder = builder.always_on_top(true).focused(first);
        match target {
            Some(monitor) => {
                let scale = monitor.scale_factor();
                let position = monitor.position().to_logical::<f64>(scale);
                let size = monitor.size().to_logical::<f64>(scale);
                builder.position(position.x, position.y).inner_size(size.width, size.height).build()
            }
            None => builder.fullscreen(true).build(),
        }
    }

    pub fn follow_monitors(_: &tauri::AppHandle, _: Monitors, _: impl Fn(&Target) + 'static) {}

    pub fn report_placement(_: &WebviewWindow) {}
}

/// Makes an overlay window's builder: `(app, label, title)`.
pub type MakeBuilder = for<'a> fn(&'a AppHandle, &str, &str) -> Builder<'a>;

/// Opens one hidden overlay window per monitor chosen by `choice`, each from `make`, and keeps
/// covering the monitors as they come and go. Call on the main thread.
pub fn open_all(app: &AppHandle, choice: Monitors, title: String, make: MakeBuilder) -> tauri::Result<()> {
    let method = Method::detect();
    #[cfg(target_os = "linux")]
    let chosen = targets(method, choice);
    #[cfg(not(target_os = "linux"))]
    let chosen = targets(app, choice);
    report!("covering {} monitor(s), each with a {}", chosen.len(), method.as_str());
    let opened = std::cell::Cell::new(0_usize);
    let handle = app.clone();
    let open_next = move |target: &Target| -> tauri::Result<WebviewWindow> {
        let index = opened.get();
        opened.set(index + 1);
        let window = open(make(&handle, &format!("overlay-{index}"), &title), method, target, index == 0)?;
        report_placement(&window);
        Ok(window)
    };
    for target in &chosen {
        open_next(target)?;
    }
    follow_monitors(app, choice, move |target| {
        if let Err(e) = open_next(target) {
            report!("cannot cover the new monitor: {e}");
        }
    });
    Ok(())
}
