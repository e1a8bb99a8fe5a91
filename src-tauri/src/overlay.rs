//! The break overlay: one undecorated, always-on-top window covering each monitor, the commands
//! its page may call (capability `overlay`), and a watch on the daemon's notices that tells the
//! page to fade out when the break ends, however it ended.
//!
//! The daemon decides; this process only shows. If the daemon goes away, or never says the
//! break ended, the overlay still fades out and exits on its own.

use crate::error::UiError;
use crate::fade;
use respite_core::client;
use respite_core::kind::{BreakKind, Outcome};
use respite_core::protocol::{CurrentBreak, Notice, Request, State};
use respite_core::schedule::POSTPONE_BY;
use serde::Serialize;
use std::path::PathBuf;
use std::thread;
use std::time::{Duration, Instant};
use tauri::webview::PageLoadEvent;
use tauri::window::Color;
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

/// Length of the fade in and out (done by window opacity, see [`fade`]).
const FADE: Duration = Duration::from_millis(1000);
/// The page's backdrop colour, painted by the window before the page is drawn: no white flash.
const BACKDROP: Color = Color(18, 52, 59, 255);
/// How long after its break ended the process exits even if the page did not close it.
const EXIT_GRACE: Duration = Duration::from_secs(4);

/// Why the overlay could not open.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    #[error(transparent)]
    Daemon(#[from] client::ClientError),
    #[error("the daemon refused: {0}")]
    Refused(String),
    #[error("no break is on screen{}", .0.map(|id| format!(" (break {id} already ended)")).unwrap_or_default())]
    NoBreak(Option<u64>),
    #[error("the window system failed: {0}")]
    Tauri(#[from] tauri::Error),
}

/// What the overlay shows, managed as Tauri state.
struct Overlay {
    socket: PathBuf,
    brk: CurrentBreak,
    /// When `brk` was read from the daemon (its `remaining_ms` counts from then).
    read_at: Instant,
}

/// What the page needs to draw the break.
#[derive(Serialize)]
struct OverlayInfo {
    break_id: u64,
    kind: BreakKind,
    covers: Vec<BreakKind>,
    planned_secs: u64,
    remaining_ms: u64,
    postpone_minutes: u64,
    fade_ms: u64,
}

/// Payload of the `break-ended` event.
#[derive(Clone, Serialize)]
struct BreakEnded {
    break_id: u64,
    outcome: Outcome,
}

/// Shows the overlay for the break on screen (break `expected` if given) until it ends.
pub fn run(socket: PathBuf, expected: Option<u64>) -> Result<(), OverlayError> {
    let read_at = Instant::now();
    let response = client::request(&socket, &Request::Status)?;
    let status = response.status.ok_or_else(|| OverlayError::Refused(response.error.unwrap_or_default()))?;
    let brk = match status.current {
        Some(brk) if status.state == State::OnBreak && expected.is_none_or(|id| id == brk.id) => brk,
        _ => return Err(OverlayError::NoBreak(expected)),
    };
    let app = tauri::Builder::default()
        .manage(Overlay { socket: socket.clone(), brk: brk.clone(), read_at })
        .invoke_handler(tauri::generate_handler![overlay_info, postpone, skip, overlay_closed])
        .setup(move |app| {
            open_windows(app.handle(), &brk)?;
            watch(app.handle().clone(), socket, brk);
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|_, _| {});
    Ok(())
}

/// One window per monitor, each covering its monitor exactly.
fn open_windows(app: &AppHandle, brk: &CurrentBreak) -> tauri::Result<()> {
    let monitors = app.available_monitors()?;
    let title = format!("Respite — {}", brk.kind.title());
    if monitors.is_empty() {
        // No monitor information (rare): one window, fullscreen wherever the system puts it.
        builder(app, "overlay-0", &title).fullscreen(true).build()?;
        return Ok(());
    }
    for (index, monitor) in monitors.iter().enumerate() {
        let scale = monitor.scale_factor();
        let position = monitor.position().to_logical::<f64>(scale);
        let size = monitor.size().to_logical::<f64>(scale);
        builder(app, &format!("overlay-{index}"), &title)
            .position(position.x, position.y)
            .inner_size(size.width, size.height)
            .focused(index == 0)
            .build()?;
    }
    Ok(())
}

/// An overlay window, hidden until its page has loaded, then faded in.
fn builder<'a>(app: &'a AppHandle, label: &str, title: &str) -> WebviewWindowBuilder<'a, tauri::Wry, AppHandle> {
    WebviewWindowBuilder::new(app, label, WebviewUrl::App("overlay.html".into()))
        .title(title)
        .decorations(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .resizable(false)
        .visible(false)
        .background_color(BACKDROP)
        .visible_on_all_workspaces(true)
        .on_page_load(|window, payload| {
            if payload.event() == PageLoadEvent::Finished {
                fade::fade_in(&window, FADE);
            }
        })
}

/// Follows the daemon's notices: when this break ends (or the daemon goes away) the page is
/// told to fade out, and the process exits shortly after in any case.
fn watch(app: AppHandle, socket: PathBuf, brk: CurrentBreak) {
    let id = brk.id;
    let deadline = Duration::from_millis(brk.remaining_ms) + EXIT_GRACE * 4;
    let watcher = app.clone();
    let spawned = thread::Builder::new().name("notices".into()).spawn(move || {
        let outcome = match client::subscribe(&socket) {
            Ok(notices) => notices
                .filter_map(Result::ok)
                .find_map(|notice| match notice {
                    Notice::BreakEnded { break_id, outcome } if break_id == id => Some(outcome),
                    Notice::ShuttingDown => Some(Outcome::Interrupted),
                    _ => None,
                })
                .unwrap_or(Outcome::Interrupted),
            Err(e) => {
                eprintln!("respite-ui: cannot follow the daemon ({e}); closing when the break's time is up");
                thread::sleep(Duration::from_millis(brk.remaining_ms));
                Outcome::Interrupted
            }
        };
        if let Err(e) = watcher.emit("break-ended", BreakEnded { break_id: id, outcome }) {
            eprintln!("respite-ui: cannot tell the page the break ended: {e}");
        }
        thread::sleep(FADE + EXIT_GRACE);
        watcher.exit(0);
    });
    if let Err(e) = spawned {
        eprintln!("respite-ui: cannot watch the daemon ({e}); closing at the break's end");
    }
    // A last resort if the daemon never answers at all: no overlay outlives its break by long.
    let _ = thread::Builder::new().name("deadline".into()).spawn(move || {
        thread::sleep(deadline);
        app.exit(0);
    });
}

#[tauri::command]
fn overlay_info(overlay: tauri::State<'_, Overlay>) -> OverlayInfo {
    let brk = &overlay.brk;
    let elapsed = u64::try_from(overlay.read_at.elapsed().as_millis()).unwrap_or(u64::MAX);
    OverlayInfo {
        break_id: brk.id,
        kind: brk.kind,
        covers: brk.covers.clone(),
        planned_secs: brk.planned_secs,
        remaining_ms: brk.remaining_ms.saturating_sub(elapsed),
        postpone_minutes: POSTPONE_BY.as_secs() / 60,
        // The window fades, not the page.
        fade_ms: 0,
    }
}

#[tauri::command]
fn postpone(overlay: tauri::State<'_, Overlay>, break_id: u64) -> Result<(), UiError> {
    send(&overlay, break_id, Request::Postpone { break_id: Some(break_id) })
}

#[tauri::command]
fn skip(overlay: tauri::State<'_, Overlay>, break_id: u64) -> Result<(), UiError> {
    send(&overlay, break_id, Request::Skip { break_id: Some(break_id) })
}

/// The page is done: fade every overlay window out, then end the process.
#[tauri::command]
fn overlay_closed(app: AppHandle) {
    let windows = app.webview_windows().into_values().collect();
    let exiting = app.clone();
    fade::fade_out(windows, FADE, move || exiting.exit(0));
}

fn send(overlay: &Overlay, break_id: u64, request: Request) -> Result<(), UiError> {
    if break_id != overlay.brk.id {
        return Err(UiError::Invalid(format!("this window shows break {}, not {break_id}", overlay.brk.id)));
    }
    let response = client::request(&overlay.socket, &request)?;
    match response.error {
        None if response.ok => Ok(()),
        error => Err(UiError::Refused(error.unwrap_or_else(|| "refused".into()))),
    }
}
