//! Fading windows in and out by window opacity, which the compositor applies.
//!
//! The page itself stays opaque and still: with no GPU, WebKit paints in software, and fading a
//! full-screen page by CSS repaints every pixel for every frame, while a page with a
//! translucent backdrop leaves traces of old frames when WebKit's software path repaints part of
//! it. Window opacity costs the page nothing. With a compositor the overlay also ends slightly
//! translucent (a dim, not a wall); without one, opacity has no effect and the window simply
//! appears and disappears, on the same calm opaque background. When the desktop turns
//! animations off (GTK's `gtk-enable-animations`, which WebKit maps to
//! `prefers-reduced-motion`), there is no ramp.
//!
//! The ramp uses the GTK window under Tauri's, so it is Linux's; elsewhere windows simply
//! appear and disappear.

use std::time::Duration;
use tauri::WebviewWindow;

/// Steps per fade (about 25 frames a second over the default second).
#[cfg(target_os = "linux")]
const STEPS: u32 = 25;

/// Shows `window` (no ramp on this system).
#[cfg(not(target_os = "linux"))]
pub fn fade_in(window: &WebviewWindow, _length: Duration, _opacity: f64) {
    let _ = window.show();
    let _ = window.set_focus();
}

/// Calls `done` (no ramp on this system).
#[cfg(not(target_os = "linux"))]
pub fn fade_out(_windows: Vec<WebviewWindow>, _length: Duration, done: impl FnOnce() + 'static) {
    done();
}

/// Shows `window` and ramps it from transparent to `opacity` (`[overlay] opacity`, 0.94 by
/// default, where a compositor makes it translucent) over `length`.
/// Call on the main thread.
#[cfg(target_os = "linux")]
pub fn fade_in(window: &WebviewWindow, length: Duration, opacity: f64) {
    let Ok(gtk_window) = window.gtk_window() else {
        let _ = window.show();
        return;
    };
    use gtk::prelude::*;
    if gtk_window.is_visible() {
        return; // already shown (or fading in)
    }
    let animate = animations_enabled();
    gtk_window.set_opacity(if animate { 0.0 } else { opacity });
    let _ = window.show();
    let _ = window.set_focus();
    if animate {
        ramp(gtk_window, 0.0, opacity, length, || {});
    }
}

/// Ramps every one of `windows` to transparent over `length`, then calls `done`.
/// Call on the main thread.
#[cfg(target_os = "linux")]
pub fn fade_out(windows: Vec<WebviewWindow>, length: Duration, done: impl FnOnce() + 'static) {
    use gtk::prelude::*;
    let gtk_windows: Vec<_> = windows.iter().filter_map(|w| w.gtk_window().ok()).collect();
    if !animations_enabled() || gtk_windows.is_empty() {
        done();
        return;
    }
    let from = gtk_windows[0].opacity();
    let mut done = Some(done);
    let last = gtk_windows.len() - 1;
    for (index, gtk_window) in gtk_windows.into_iter().enumerate() {
        let finish = if index == last { done.take() } else { None };
        ramp(gtk_window, from, 0.0, length, move || {
            if let Some(finish) = finish {
                finish();
            }
        });
    }
}

#[cfg(target_os = "linux")]
fn ramp(window: gtk::ApplicationWindow, from: f64, to: f64, length: Duration, done: impl FnOnce() + 'static) {
    use gtk::glib;
    use gtk::prelude::*;
    let mut step = 0;
    let mut done = Some(done);
    glib::timeout_add_local(length / STEPS, move || {
        step += 1;
        let t = f64::from(step) / f64::from(STEPS);
        window.set_opacity(from + (to - from) * t);
        if step < STEPS {
            return glib::ControlFlow::Continue;
        }
        if let Some(done) = done.take() {
            done();
        }
        glib::ControlFlow::Break
    });
}

#[cfg(target_os = "linux")]
fn animations_enabled() -> bool {
    use gtk::prelude::*;
    gtk::Settings::default().is_none_or(|s| s.is_gtk_enable_animations())
}
