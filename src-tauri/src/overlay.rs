//! The break overlay: one undecorated window covering each chosen monitor (how, on X11 and on
//! Wayland, is [`cover`]'s job), the commands its page may call (capability `overlay`), and a
//! watch on the daemon's notices.
//!
//! Two ways to start. For a break already on screen (`respite-ui overlay`), the break is read
//! from the daemon and the page draws it at once. Prepared (`--prepare`, started by the daemon a
//! few seconds before a scheduled break), the windows are built and the page loaded while
//! hidden; when the daemon says the break started, the page is handed the break and shown, so
//! the overlay is on screen almost as soon as the break starts. Either way the page asks to be
//! shown (`overlay_ready`) once it has drawn the break, and the window then fades in.
//!
//! The daemon decides; this process only shows. When the break ends, however it ends, the page
//! is told and fades out; if the daemon goes away or never says so, the overlay still exits.

use crate::cover;
use crate::error::UiError;
use crate::fade;
use respite_core::client;
use respite_core::record::{BreakKind, Outcome, Trigger};
use respite_core::protocol::{CurrentBreak, Notice, Request, State};
use respite_core::ideas::Ideas;
use respite_core::settings::{Monitors, TextSize, Theme};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};
use tauri::webview::PageLoadEvent;
use tauri::window::Color;
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

/// How long the process may outlive its break if the page never closes it.
const EXIT_GRACE: Duration = Duration::from_secs(4);
/// How long a prepared overlay waits for its break before giving up.
const PREPARED_WAIT: Duration = Duration::from_secs(60);
/// If the page never asks to be shown (a script error), show it anyway after this.
const SHOW_FALLBACK: Duration = Duration::from_secs(2);
/// The page's backdrop colour, painted by the window before the page is drawn: no white flash.
/// The light theme's, when it is chosen ("system" cannot be known before the page runs).
const BACKDROP: Color = Color(18, 52, 59, 255);
const BACKDROP_LIGHT: Color = Color(234, 241, 238, 255);

/// How the overlay was asked to run (from the command line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverlayArgs {
    /// Show only this break.
    pub break_id: Option<u64>,
    pub monitors: Monitors,
    pub fade: Duration,
    /// Build hidden now, show when the next break starts.
    pub prepare: bool,
    /// Theme, text size and opacity (from the settings file, not the command line).
    pub look: Look,
}

/// How the overlay looks: `[overlay]`'s theme, text size and opacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    pub theme: Theme,
    pub text_size: TextSize,
    /// Percent.
    pub opacity: u8,
}

impl Look {
    /// As the settings say.
    pub fn of(prefs: &respite_core::settings::OverlayPrefs) -> Self {
        Look { theme: prefs.theme, text_size: prefs.text_size, opacity: prefs.opacity }
    }
}

impl Default for Look {
    fn default() -> Self {
        Look::of(&respite_core::settings::Settings::default().overlay)
    }
}

impl Default for OverlayArgs {
    fn default() -> Self {
        Self { break_id: None, monitors: Monitors::All, fade: Duration::from_secs(1), prepare: false, look: Look::default() }
    }
}

/// Why the overlay could not open.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    #[error(transparent)]
    Daemon(#[from] client::ClientError),
    #[error("the daemon refused: {0}")]
    Refused(String),
    #[error("no break is on screen{}", .0.map(|id| format!(" (break {id} already ended)")).unwrap_or_default())]
    NoBreak(Option<u64>),
    #[error("{0}")]
    NoDisplay(&'static str),
    #[error("the window system failed: {0}")]
    Tauri(#[from] tauri::Error),
}

/// The break being shown, once known, and when it was read (its `remaining_ms` counts from then).
type Known = Option<(CurrentBreak, Instant)>;

/// Tauri state of the overlay process.
struct Overlay {
    socket: PathBuf,
    fade: Duration,
    look: Look,
    own: Ideas,
    known: Mutex<Known>,
}

impl Overlay {
    fn info(&self) -> Option<OverlayInfo> {
        let known = self.known.lock().expect("overlay state poisoned");
        let (brk, read_at) = known.as_ref()?;
        let elapsed = u64::try_from(read_at.elapsed().as_millis()).unwrap_or(u64::MAX);
        Some(OverlayInfo {
            break_id: brk.id,
            kind: brk.kind,
            covers: brk.covers.clone(),
            planned_secs: brk.planned_secs,
            remaining_ms: brk.remaining_ms.saturating_sub(elapsed),
            postpone_minutes: brk.postpone_secs.div_ceil(60),
            can_postpone: brk.can_postpone,
            postpone_left_ms: brk.postpone_left_ms.saturating_sub(elapsed),
            strict: brk.strict,
            can_finish: brk.can_finish,
            idea: brk.idea,
            trigger: brk.trigger,
            tip: brk.tip.clone(),
            // The window fades, not the page (see `fade`).
            fade_ms: 0,
            theme: self.look.theme,
            text_size: self.look.text_size,
            ideas: self
                .own
                .for_kind(brk.kind)
                .into_iter()
                .map(|idea| IdeaView {
                    name: idea.name.clone(),
                    instruction: idea.instruction.clone(),
                    picture: idea.picture.as_ref().map(|file| format!("{IDEA_SCHEME}://localhost/{}", file.replace('%', "%25").replace(' ', "%20"))),
                })
                .collect(),
            ideas_replace: self.own.replace,
        })
    }

    fn break_id(&self) -> Option<u64> {
        self.known.lock().expect("overlay state poisoned").as_ref().map(|(b, _)| b.id)
    }
}

/// What the page needs to draw the break.
#[derive(Clone, Serialize)]
struct OverlayInfo {
    break_id: u64,
    kind: BreakKind,
    covers: Vec<BreakKind>,
    planned_secs: u64,
    remaining_ms: u64,
    postpone_minutes: u64,
    can_postpone: bool,
    postpone_left_ms: u64,
    strict: bool,
    can_finish: bool,
    idea: u32,
    fade_ms: u64,
    /// Why it came (`budget`: today's screen time is reached, said instead of the kind's text).
    trigger: Trigger,
    /// A reminder the person set, shown as the break's tip.
    tip: Option<String>,
    theme: Theme,
    text_size: TextSize,
    /// The person's own ideas for this kind, and whether they replace the built-in ones.
    ideas: Vec<IdeaView>,
    ideas_replace: bool,
}

/// Payload of the `break-ended` event.
#[derive(Clone, Serialize)]
struct BreakEnded {
    break_id: u64,
    outcome: Outcome,
}

/// The person's own break ideas ([`respite_core::ideas`]), and the folder of their pictures.
#[derive(Clone, Debug, Default)]
pub struct OwnIdeas {
    pub ideas: Ideas,
    pub pictures: PathBuf,
}

/// An idea as the page shows it: its picture as an `idea:` address.
#[derive(Clone, Serialize)]
struct IdeaView {
    name: String,
    instruction: String,
    picture: Option<String>,
}

/// The scheme the pictures of the person's ideas are served on, and only they: a plain file name
/// of a picture type, from the ideas folder, at most [`MAX_PICTURE`] bytes.
const IDEA_SCHEME: &str = "idea";
const MAX_PICTURE: u64 = 8 << 20;

fn serve_picture(pictures: &std::path::Path, path: &str) -> tauri::http::Response<Vec<u8>> {
    let refuse = |status: u16| tauri::http::Response::builder().status(status).body(Vec::new()).expect("a response");
    let name = percent_decode(path.trim_start_matches('/'));
    let Some(name) = name.filter(|n| respite_core::ideas::is_picture_name(n)) else { return refuse(403) };
    let file = pictures.join(&name);
    match std::fs::metadata(&file) {
        Ok(meta) if meta.is_file() && meta.len() <= MAX_PICTURE => {}
        Ok(_) => return refuse(403),
        Err(_) => return refuse(404),
    }
    let Ok(bytes) = std::fs::read(&file) else { return refuse(404) };
    let mime = match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("svg") => "image/svg+xml",
        _ => "image/webp",
    };
    tauri::http::Response::builder().status(200).header("Content-Type", mime).body(bytes).expect("a response")
}

/// `%20` and the like in a URL path, as UTF-8; `None` when they do not make text.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Runs the overlay until its break ends.
pub fn run(socket: PathBuf, args: OverlayArgs, own: OwnIdeas) -> Result<(), OverlayError> {
    let known = if args.prepare { None } else { Some(current_break(&socket, args.break_id)?) };
    if let Some(problem) = crate::display_problem() {
        return Err(OverlayError::NoDisplay(problem));
    }
    let title = known.as_ref().map(|(b, _)| b.kind);
    let pictures = own.pictures.clone();
    let app = tauri::Builder::default()
        .register_uri_scheme_protocol(IDEA_SCHEME, move |_, request| serve_picture(&pictures, request.uri().path()))
        .manage(Overlay { socket: socket.clone(), fade: args.fade, look: args.look, own: own.ideas, known: Mutex::new(known) })
        .invoke_handler(tauri::generate_handler![overlay_info, overlay_ready, postpone, skip, finish, overlay_closed])
        .setup(move |app| {
            cover::open_all(app.handle(), args.monitors, title_for(title), builder)?;
            watch(app.handle().clone(), socket);
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|_, _| {});
    Ok(())
}

/// The break on screen, as the daemon sees it (break `expected` if given).
fn current_break(socket: &std::path::Path, expected: Option<u64>) -> Result<(CurrentBreak, Instant), OverlayError> {
    let read_at = Instant::now();
    let response = client::request(socket, &Request::Status)?;
    let refusal = response.refusal_in(respite_core::text::texts());
    let status = response.status.ok_or(OverlayError::Refused(refusal))?;
    match status.current {
        Some(brk) if status.state == State::OnBreak && expected.is_none_or(|id| id == brk.id) => Ok((brk, read_at)),
        _ => Err(OverlayError::NoBreak(expected)),
    }
}

fn title_for(kind: Option<BreakKind>) -> String {
    let texts = respite_core::text::texts();
    let kind = kind.map_or_else(|| texts.get("overlay.kind.other.title").to_owned(), |kind| texts.kind_title(kind));
    texts.fill("overlay.windowTitle", &[("app", &texts.get("app.name")), ("kind", &kind)])
}

/// An overlay window, hidden until its page asks to be shown.
fn builder<'a>(app: &'a AppHandle, label: &str, title: &str) -> cover::Builder<'a> {
    crate::in_locale(WebviewWindowBuilder::new(app, label, WebviewUrl::App("overlay.html".into())))
        .title(title)
        .decorations(false)
        .skip_taskbar(true)
        .resizable(false)
        .visible(false)
        .background_color(if app.state::<Overlay>().look.theme == Theme::Light { BACKDROP_LIGHT } else { BACKDROP })
        .visible_on_all_workspaces(true)
        .on_page_load(|window, payload| {
            if payload.event() == PageLoadEvent::Finished {
                // Safety net: a page that never asks to be shown is shown anyway once its break
                // is known (a prepared page waits for its break).
                thread::spawn(move || {
                    thread::sleep(SHOW_FALLBACK);
                    let known = window.state::<Overlay>().break_id().is_some();
                    if known && !window.is_visible().unwrap_or(true) {
                        report!("the page did not ask to be shown; showing it");
                        show(&window);
                    }
                });
            }
        })
}

/// Fades `window` in (on the main thread) and tells the daemon the overlay is on screen.
fn show(window: &WebviewWindow) {
    let overlay = window.state::<Overlay>();
    let fade_length = overlay.fade;
    let opacity = f64::from(overlay.look.opacity.clamp(50, 100)) / 100.0;
    let shown = window.clone();
    let _ = window.run_on_main_thread(move || fade::fade_in(&shown, fade_length, opacity));
    if let (Some(break_id), true) = (overlay.break_id(), window.label() == "overlay-0") {
        let socket = overlay.socket.clone();
        thread::spawn(move || {
            let _ = client::request(&socket, &Request::Shown { break_id });
        });
    }
}

/// Follows the daemon's notices: a prepared overlay learns its break here; when the break ends
/// (or the daemon goes away) the page is told to fade out, and the process exits shortly after
/// in any case.
fn watch(app: AppHandle, socket: PathBuf) {
    let spawned = thread::Builder::new().name("notices".into()).spawn(move || {
        let outcome = follow(&app, &socket);
        let overlay = app.state::<Overlay>();
        if let Some(break_id) = overlay.break_id() {
            if let Err(e) = app.emit("break-ended", BreakEnded { break_id, outcome }) {
                report!("cannot tell the page the break ended: {e}");
            }
            thread::sleep(overlay.fade + EXIT_GRACE);
        }
        app.exit(0);
    });
    if let Err(e) = spawned {
        report!("cannot watch the daemon ({e})");
    }
}

/// Waits for this overlay's break to end and returns how it ended.
fn follow(app: &AppHandle, socket: &std::path::Path) -> Outcome {
    let notices = match client::subscribe(socket) {
        Ok(notices) => notices,
        Err(e) => {
            report!("cannot follow the daemon ({e}); closing when the break's time is up");
            let left = app.state::<Overlay>().info().map_or(0, |i| i.remaining_ms);
            thread::sleep(Duration::from_millis(left));
            return Outcome::Interrupted;
        }
    };
    let overlay = app.state::<Overlay>();
    if overlay.break_id().is_none() {
        // Prepared: the break may have started before this subscription (WebKit started
        // slowly), and its notice is then gone: ask once.
        if let Ok(known) = current_break(socket, None) {
            report!("the break had started before the overlay was ready: showing it now");
            adopt(app, known);
        }
    }
    if overlay.break_id().is_none() {
        // Prepared: give up if no break starts in time.
        let waiting = app.clone();
        thread::spawn(move || {
            thread::sleep(PREPARED_WAIT);
            if waiting.state::<Overlay>().break_id().is_none() {
                waiting.exit(0);
            }
        });
    } else {
        // A last resort if the daemon never says the break ended.
        let left = overlay.info().map_or(0, |i| i.remaining_ms);
        let exiting = app.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(left) + EXIT_GRACE * 4);
            exiting.exit(0);
        });
    }
    for notice in notices.filter_map(Result::ok) {
        match notice {
            Notice::BreakStarted { break_id, .. } if overlay.break_id().is_none() => match current_break(socket, Some(break_id)) {
                Ok(known) => adopt(app, known),
                Err(e) => report!("the break that started is gone: {e}"),
            },
            Notice::BreakEnded { break_id, outcome } if Some(break_id) == overlay.break_id() => return outcome,
            Notice::ShuttingDown => return Outcome::Interrupted,
            _ => {}
        }
    }
    Outcome::Interrupted
}

/// A prepared overlay takes break `known`: its windows are titled for it and its pages handed it.
fn adopt(app: &AppHandle, known: (CurrentBreak, Instant)) {
    let overlay = app.state::<Overlay>();
    let title = title_for(Some(known.0.kind));
    *overlay.known.lock().expect("overlay state poisoned") = Some(known);
    for window in app.webview_windows().values() {
        let _ = window.set_title(&title);
    }
    if let Some(info) = overlay.info() {
        let _ = app.emit("break-started", info);
    }
}

/// The break to draw; `null` while a prepared overlay waits for its break (the page then waits
/// for the `break-started` event).
#[tauri::command]
fn overlay_info(overlay: tauri::State<'_, Overlay>) -> Option<OverlayInfo> {
    overlay.info()
}

/// The page has drawn the break: fade this window in.
#[tauri::command]
fn overlay_ready(window: WebviewWindow, overlay: tauri::State<'_, Overlay>, break_id: u64) -> Result<(), UiError> {
    check(&overlay, break_id)?;
    show(&window);
    Ok(())
}

#[tauri::command]
fn postpone(overlay: tauri::State<'_, Overlay>, break_id: u64) -> Result<(), UiError> {
    send(&overlay, break_id, Request::Postpone { break_id: Some(break_id) })
}

#[tauri::command]
fn skip(overlay: tauri::State<'_, Overlay>, break_id: u64) -> Result<(), UiError> {
    send(&overlay, break_id, Request::Skip { break_id: Some(break_id) })
}

/// "I'm back": the user returns before the end of the break.
#[tauri::command]
fn finish(overlay: tauri::State<'_, Overlay>, break_id: u64) -> Result<(), UiError> {
    send(&overlay, break_id, Request::Finish { break_id: Some(break_id) })
}

/// The page is done: fade every overlay window out, then end the process.
#[tauri::command]
fn overlay_closed(app: AppHandle) {
    let windows = app.webview_windows().into_values().collect();
    let exiting = app.clone();
    let fade_length = app.state::<Overlay>().fade;
    fade::fade_out(windows, fade_length, move || exiting.exit(0));
}

fn check(overlay: &Overlay, break_id: u64) -> Result<(), UiError> {
    match overlay.break_id() {
        Some(id) if id == break_id => Ok(()),
        Some(id) => Err(UiError::Invalid(format!("this window shows break {id}, not {break_id}"))),
        None => Err(UiError::Invalid("this window has no break yet".into())),
    }
}

fn send(overlay: &Overlay, break_id: u64, request: Request) -> Result<(), UiError> {
    check(overlay, break_id)?;
    let response = client::request(&overlay.socket, &request)?;
    if response.ok {
        Ok(())
    } else {
        Err(UiError::Refused(response.refusal_in(respite_core::text::texts())))
    }
}
