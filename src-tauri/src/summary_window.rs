//! The weekly summary window: one ordinary window showing `summary.html`, and the commands its
//! page may call (capability `summary`). The numbers are computed by the core
//! ([`respite_core::summary`]) from the break log, opened read-only; the page only draws them.
//! The window stays hidden until the page has drawn the first week, so it never flashes blank.
//! The weekly self-check is shown and answered here too; answers go to the daemon, which owns
//! every write to the log.

use crate::error::UiError;
use crate::plain_window::{hidden_until_drawn, show_drawn};
use chrono::{Local, Utc};
use respite_core::client;
use respite_core::protocol::Request;
use respite_core::selfcheck::{Answers, SelfCheck};
use respite_core::store::Store;
use respite_core::calendar::Week;
use respite_core::summary::week_summary;
use std::path::PathBuf;
use std::time::Instant;
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// Tauri state of the summary process.
struct SummaryState {
    database: PathBuf,
    socket: PathBuf,
    /// Whether the weekly self-check is switched on in the settings.
    selfcheck_enabled: bool,
    /// The daily screen-time budget, when one is set.
    budget: Option<std::time::Duration>,
    /// Working hours, which cut other devices' time at the screen into during and after.
    hours: respite_core::workhours::WorkHours,
    started: Instant,
    /// The week shown first.
    first: Option<Week>,
}

/// What the page draws: one week's summary, and where it sits.
#[derive(serde::Serialize)]
struct WeekView {
    /// `null` when nothing was ever logged (no database yet).
    summary: Option<respite_core::summary::Summary>,
    /// The self-check for this week and its trend; `null` when it is off and was never answered.
    self_check: Option<SelfCheck>,
    week: String,
    /// The current week: the page offers no newer one.
    current: String,
    previous: String,
    next: String,
}

/// Runs the summary window until it is closed; `week` is the one shown first (default: this one).
pub fn run(database: PathBuf, socket: PathBuf, selfcheck_enabled: bool, budget: Option<std::time::Duration>, hours: respite_core::workhours::WorkHours, week: Option<Week>) -> Result<(), tauri::Error> {
    let app = tauri::Builder::default()
        .manage(SummaryState { database, socket, selfcheck_enabled, budget, hours, started: Instant::now(), first: week })
        .invoke_handler(tauri::generate_handler![summary_week, summary_ready, self_check_save])
        .setup(|app| {
            hidden_until_drawn(WebviewWindowBuilder::new(app, "summary", WebviewUrl::App("summary.html".into())))
                .title(respite_core::text::t("summary.windowTitle"))
                .inner_size(880.0, 760.0)
                .min_inner_size(560.0, 480.0)
                .build()?;
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|_, _| {});
    Ok(())
}

/// The summary of `week` ("2026-W47"; the first week asked for when absent).
#[tauri::command]
fn summary_week(state: tauri::State<'_, SummaryState>, week: Option<String>) -> Result<WeekView, UiError> {
    let current = Week::containing(Utc::now(), &Local);
    let week = match week {
        Some(text) => text.parse::<Week>().map_err(|e| UiError::Invalid(e.to_string()))?,
        None => state.first.unwrap_or(current),
    };
    let unreadable = |e: respite_core::store::StoreError| UiError::Unreachable(format!("cannot read the break log: {e}"));
    let (summary, self_check) = if state.database.exists() {
        let store = Store::open_read_only(&state.database).map_err(unreadable)?;
        let summary = week_summary(&store, week, &Local, &state.hours, Utc::now()).map_err(unreadable)?.with_budget(state.budget);
        let answered = store.self_checks_with_devices(Week::new(week.year() - 1, 1).unwrap_or(week), week).map_err(unreadable)?;
        let check = SelfCheck::of(week, answered);
        (Some(summary), (state.selfcheck_enabled || !check.trend.is_empty()).then_some(check))
    } else {
        (None, state.selfcheck_enabled.then(|| SelfCheck::of(week, Vec::new())))
    };
    Ok(WeekView {
        summary,
        self_check,
        week: week.to_string(),
        current: current.to_string(),
        previous: week.previous().to_string(),
        next: week.next().to_string(),
    })
}

/// Saves this week's self-check answers (through the daemon, which writes the log).
#[tauri::command]
fn self_check_save(state: tauri::State<'_, SummaryState>, week: String, energy: u8, closeness: u8, accomplishment: u8) -> Result<(), UiError> {
    let week = week.parse::<Week>().map_err(|e| UiError::Invalid(e.to_string()))?;
    let answers = Answers::new(energy, closeness, accomplishment).map_err(|e| UiError::Invalid(e.to_string()))?;
    let response = client::request(&state.socket, &Request::SelfCheck { week, answers })?;
    if response.ok {
        Ok(())
    } else {
        Err(UiError::Refused(response.refusal_in(respite_core::text::texts())))
    }
}

/// The page has drawn its first week: show the window.
#[tauri::command]
fn summary_ready(app: tauri::AppHandle, state: tauri::State<'_, SummaryState>) -> Result<(), UiError> {
    if show_drawn(&app, "summary")? {
        report!("summary on screen {} ms after start", state.started.elapsed().as_millis());
    }
    Ok(())
}
