//! What the command line prints for people: the status and the weekly summary as text (the
//! `--json` forms are the core's own serialization).

use chrono::{DateTime, Datelike, FixedOffset, TimeZone, Utc};
use respite_core::calendar::Week;
use respite_core::protocol::{State, Status};
use respite_core::record::Style;
use respite_core::store::{Store, StoreError};
use respite_core::summary::{self, week_summary, Summary, Tally};
use respite_core::settings::Settings;
use respite_core::text;
use std::fmt::Write as _;

pub(super) fn print_status(status: &Status) {
    let texts = text::texts();
    let local_time = |t: &DateTime<FixedOffset>| texts.time_of_day(t.time());
    let line = match (&status.state, &status.current) {
        (State::OnBreak, Some(b)) => {
            texts.fill("cli.status.on_break", &[("kind", &texts.kind_title(b.kind)), ("time", &texts.count("time.seconds", b.remaining_ms.div_ceil(1000), &[]))])
        }
        (State::Paused, _) => match status.paused_until {
            Some(until) => texts.fill("cli.status.paused_until", &[("time", &texts.weekday_time(until.weekday(), until.time()))]),
            None => texts.get("cli.status.paused").to_owned(),
        },
        _ if status.away => texts.get("cli.status.away").to_owned(),
        _ => texts.get("cli.status.working").to_owned(),
    };
    say!("{line}");
    if let Some(focus) = &status.focus {
        say!("{}", texts.fill("cli.status.focus", &[("round", &focus.round), ("rounds", &focus.rounds), ("time", &texts.time_left(focus.left_secs))]));
    }
    if let Some(reason) = status.holding {
        say!("{}", texts.fill("cli.status.held", &[("reason", &texts.hold_reason(reason))]));
    }
    if let Some(next) = &status.next {
        let (kind, at, time) = (texts.kind_title(next.kind), local_time(&next.at), texts.time_left(next.in_secs));
        let line = if next.covers.is_empty() {
            texts.fill("cli.status.next", &[("kind", &kind), ("at", &at), ("time", &time)])
        } else {
            let names: Vec<String> = next.covers.iter().map(|k| texts.kind_noun(*k)).collect();
            texts.fill("cli.status.next_covers", &[("kind", &kind), ("kinds", &texts.list(&names)), ("at", &at), ("time", &time)])
        };
        say!("{line}");
    }
    if status.outside_hours && status.state == State::Working {
        say!("{}", texts.get("cli.status.outside_hours"));
    }
    if let Some(budget) = status.budget_secs {
        say!("{}", texts.fill("cli.status.screen_budget", &[("time", &texts.duration(status.screen_time_today_secs)), ("budget", &texts.duration(budget))]));
    }
    // The settings problems in this language; the others (already worded by the daemon) as sent.
    let worded = status.notes.iter().map(|note| texts.say(note));
    let others = status.warnings.iter().skip(status.notes.len()).cloned();
    for warning in worded.chain(others) {
        say!("{}", texts.fill("cli.warning", &[("warning", &warning)]));
    }
}

/// `settings` give the budget's days and the working hours that cut other devices' time.
pub(super) fn summary_output<Z: TimeZone>(database: &std::path::Path, week: Week, json: bool, settings: &Settings, zone: &Z, now: DateTime<Utc>) -> Result<String, StoreError> {
    let store = if database.exists() { Store::open_read_only(database)? } else { Store::open_in_memory()? };
    let summary = week_summary(&store, week, zone, &settings.hours, now)?.with_budget(settings.budget.daily);
    Ok(if json { serde_json::to_string_pretty(&summary).expect("a summary serializes") + "\n" } else { summary_text(&summary) })
}

/// The summary for people: two compact tables, the comparison, the streak, the observations.
pub(super) fn summary_text(s: &Summary) -> String {
    let texts = text::texts();
    let mut out = String::new();
    let (first, last) = (texts.date(s.first_day, false), texts.date(s.last_day, true));
    let _ = writeln!(out, "{}", texts.fill("cli.summary.heading", &[("week", &s.week), ("first", &first), ("last", &last)]));
    if s.is_empty {
        let _ = writeln!(out, "\n{}", texts.get("cli.summary.empty"));
        return out;
    }
    let share = |t: &Tally| t.compliance.map_or_else(|| "-".to_owned(), |share| texts.percent(share));
    let kinds_table: Vec<Vec<String>> = std::iter::once(
        ["", "summary.kinds.due", "summary.kinds.taken", "summary.kinds.natural", "summary.kinds.skipped", "summary.kinds.postponed", "cli.summary.share"]
            .map(|key| if key.is_empty() { String::new() } else { texts.get(key).to_owned() })
            .to_vec(),
    )
    .chain(s.by_kind.iter().map(|(kind, t)| (texts.kind_title(*kind), t)).chain(std::iter::once((texts.get("cli.summary.all").to_owned(), &s.breaks))).chain(by_style(s)).map(|(name, t)| {
        vec![name, t.due.to_string(), t.taken.to_string(), t.natural.to_string(), t.skipped.to_string(), t.postponed.to_string(), share(t)]
    }))
    .collect();
    out.push('\n');
    out.push_str(&table(&kinds_table, 11));
    if !s.devices.is_empty() {
        let header = ["summary.devices.device", "cli.summary.screen", "summary.kinds.due", "cli.summary.share", "summary.devices.last"].map(|key| texts.get(key).to_owned()).to_vec();
        let rows = s.devices.iter().map(|d| {
            let name = d.name.clone().unwrap_or_else(|| texts.get("summary.devices.this").to_owned());
            let last = d.last_wrote.map(|at| at.with_timezone(&chrono::Local)).map(|at| texts.weekday_time(at.weekday(), at.time())).unwrap_or_default();
            vec![name, hm(d.screen_secs), d.breaks.due.to_string(), share(&d.breaks), last]
        });
        out.push('\n');
        out.push_str(&table(&std::iter::once(header).chain(rows).collect::<Vec<_>>(), 11));
        let _ = writeln!(out, "{}", texts.get("summary.devices.note"));
    }
    let mut days_table: Vec<Vec<String>> =
        vec![["", "cli.summary.screen", "cli.summary.after_hours", "cli.summary.longest", "cli.summary.share"].map(|key| if key.is_empty() { String::new() } else { texts.get(key).to_owned() }).to_vec()];
    for day in &s.days {
        let name = format!("{} {}", texts.weekday(day.date.weekday(), false), day.date.day());
        days_table.push(vec![name, hm(day.screen_secs), hm(day.after_hours_secs), hm(day.longest_stretch_secs), share(&day.breaks)]);
    }
    days_table.push(vec![texts.get("cli.summary.week").to_owned(), hm(s.headline.screen_secs), hm(s.headline.after_hours_secs), String::new(), share(&s.breaks)]);
    out.push('\n');
    out.push_str(&table(&days_table, 10));
    let _ = writeln!(out, "{}", texts.get("cli.summary.legend"));
    if s.breaks.unseen > 0 {
        let _ = writeln!(out, "{}", texts.count("summary.kinds.unseen", u64::from(s.breaks.unseen), &[]));
    }
    out.push('\n');

    let previous = &s.previous;
    let when = match previous.until {
        Some(until) => texts.fill("cli.summary.last_week_until", &[("time", &texts.weekday_time(until.weekday(), until.time()))]),
        None => texts.get("cli.summary.week_before").to_owned(),
    };
    if previous.headline == summary::Headline::default() {
        let _ = writeln!(out, "{}", texts.fill("cli.summary.nothing_to_compare", &[("when", &when)]));
    } else {
        let change = &previous.change;
        let mut parts = Vec::new();
        if let Some(points) = change.compliance {
            parts.push(texts.fill("cli.summary.change.share", &[("points", &format_args!("{:+.0}", points * 100.0))]));
        }
        parts.push(texts.fill("cli.summary.change.taken", &[("change", &format_args!("{:+}", change.breaks_taken))]));
        parts.push(texts.fill("cli.summary.change.screen", &[("change", &signed_hm(change.screen_secs))]));
        parts.push(texts.fill("cli.summary.change.after_hours", &[("change", &signed_hm(change.after_hours_secs))]));
        let _ = writeln!(out, "{}", texts.fill("cli.summary.compared", &[("when", &when), ("changes", &parts.join(", "))]));
    }
    let streak = &s.streak;
    let target = texts.percent(streak.target);
    match streak.first_day {
        Some(first) if streak.days > 0 => {
            let _ = writeln!(out, "{}", texts.count("cli.summary.streak", u64::from(streak.days), &[("target", &target), ("date", &texts.date(first, false))]));
        }
        _ => {
            let _ = writeln!(out, "{}", texts.fill("cli.summary.no_streak", &[("target", &target)]));
        }
    }
    if let Some(budget) = &s.budget {
        let _ = writeln!(out, "{}", texts.fill("summary.budget.title", &[("budget", &texts.duration(budget.daily_secs))]));
        if budget.over.is_empty() {
            let _ = writeln!(out, "{}", texts.get("summary.budget.within"));
        } else {
            let days: Vec<String> = budget
                .over
                .iter()
                .map(|day| texts.fill("summary.budget.day", &[("day", &texts.weekday(day.date.weekday(), true)), ("over", &texts.duration(day.over_secs))]))
                .collect();
            let _ = writeln!(out, "{} {}", texts.count("summary.budget.over", budget.over.len() as u64, &[]), texts.list(&days));
        }
    }
    if !s.observations.is_empty() {
        out.push('\n');
        for observation in &s.observations {
            let _ = writeln!(out, "- {}", observation.text);
        }
    }
    out
}

/// Rows as columns: the first left-aligned and at least `first_column` wide, the others
/// right-aligned, each as wide as its widest cell in characters (translated headers differ in
/// length), two spaces apart.
fn table(rows: &[Vec<String>], first_column: usize) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths: Vec<usize> = (0..columns).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|cell| cell.chars().count()).max().unwrap_or(0)).collect();
    if let Some(first) = widths.first_mut() {
        *first = (*first).max(first_column);
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c].saturating_sub(cell.chars().count()));
            if c == 0 {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str("  ");
                line.push_str(&pad);
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `h:mm`.
pub(super) fn hm(secs: u64) -> String {
    let minutes = (secs + 30) / 60;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// `+h:mm` or `-h:mm`.
pub(super) fn signed_hm(secs: i64) -> String {
    format!("{}{}", if secs < 0 { '-' } else { '+' }, hm(secs.unsigned_abs()))
}

/// Rows for the overlay's breaks and gentle mode's notifications, when the week had any of the
/// latter (otherwise the overlay's row would only repeat the week's).
fn by_style(s: &Summary) -> Vec<(String, &Tally)> {
    let gentle = s.by_style.get(&Style::Notification).is_some_and(|t| t.due + t.postponed + t.interrupted + t.unseen > 0);
    if !gentle {
        return Vec::new();
    }
    let texts = text::texts();
    s.by_style.iter().map(|(style, t)| (texts.get(&format!("summary.style.{style}")).to_owned(), t)).collect()
}
