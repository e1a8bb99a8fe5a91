//! The ordinary windows of `respite-ui` (settings, welcome, weekly summary): resizable and
//! decorated, painted in the pages' background, and hidden until their page has drawn, so none
//! flashes blank. A page whose script failed before asking to be shown is shown anyway a moment
//! later, so a window never stays invisible with its process running.

use crate::error::UiError;
use std::thread;
use std::time::Duration;
use tauri::webview::PageLoadEvent;
use tauri::window::Color;
use tauri::{Manager, WebviewWindowBuilder};

/// The pages' background, painted before the page: no white flash.
const BACKGROUND: Color = Color(247, 245, 240, 255);
/// If the page never asks to be shown (a script error), show it anyway after this.
const SHOW_FALLBACK: Duration = Duration::from_secs(3);

/// A window of this process, hidden until its page asks to be shown ([`show_drawn`]) or, after
/// a script error, [`SHOW_FALLBACK`] later.
pub(crate) fn hidden_until_drawn<'a, R: tauri::Runtime, M: Manager<R>>(builder: WebviewWindowBuilder<'a, R, M>) -> WebviewWindowBuilder<'a, R, M> {
    crate::in_locale(builder).resizable(true).decorations(true).background_color(BACKGROUND).visible(false).on_page_load(|window, payload| {
        if payload.event() == PageLoadEvent::Finished {
            thread::spawn(move || {
                thread::sleep(SHOW_FALLBACK);
                if !window.is_visible().unwrap_or(true) {
                    report!("the {} page did not ask to be shown; showing it", window.label());
                    let _ = window.show();
                }
            });
        }
    })
}

/// Shows the window `label` (its page has drawn) and gives it the focus. True when this call
/// showed it, false when it was on screen already.
pub(crate) fn show_drawn(app: &tauri::AppHandle, label: &str) -> Result<bool, UiError> {
    let window = app.get_webview_window(label).ok_or_else(|| UiError::Invalid(format!("no {label} window")))?;
    if window.is_visible().unwrap_or(true) {
        return Ok(false);
    }
    window.show().map_err(|e| UiError::Failed(e.to_string()))?;
    let _ = window.set_focus();
    Ok(true)
}
