//! What the command line prints for people: the status and the weekly summary as text (the
//! `--json` forms are the core's own serialization).

use chrono::{DateTime, TimeZone, Utc};
use respite_core::calendar::Week;
use respite_core::protocol::{State, Status};
use respite_core::store::{Store, StoreError};
use respite_core::summary::{self, week_summary, Summary, Tally};
use respite_core::text;
use std::fmt::Write as _;

pub(super) fn print_status(status: &Status) {
    let line = match (&status.state, &status.current) {
        (State::OnBreak, Some(b)) => format!("On a break: {}, {} s left.", b.kind.title(), b.remaining_ms.div_ceil(1000)),
        (State::Paused, _) => match status.paused_until {
            Some(until) => format!("Paused until {}.", until.format("%a %H:%M")),
            None => "Paused until you resume.".to_owned(),
        },
        _ if status.away => "Away from the keyboard: time away does not count.".to_owned(),
        _ => "Working.".to_owned(),
    };
    say!("{line}");
    if let Some(focus) = &status.focus {
        say!("Focus: round {} of {}, {} min left.", focus.round, focus.rounds, focus.left_secs.div_ceil(60));
    }
    if let Some(reason) = status.holding {
        say!("The break that is due waits: {}.", reason.describe());
    }
    if let Some(next) = &status.next {
        let covers = if next.covers.is_empty() {
            String::new()
        } else {
            let names: Vec<_> = next.covers.iter().map(|k| k.title().to_lowercase()).collect();
            format!(" (counts for {} too)", names.join(" and "))
        };
        say!("Next break: {}{covers} at {}, in {} min.", next.kind.title(), next.at.format("%H:%M"), next.in_secs.div_ceil(60));
    }
    for warning in &status.warnings {
        say!("Warning: {warning}");
    }
}

pub(super) fn summary_output<Z: TimeZone>(database: &std::path::Path, week: Week, json: bool, zone: &Z, now: DateTime<Utc>) -> Result<String, StoreError> {
    let store = if database.exists() { Store::open_read_only(database)? } else { Store::open_in_memory()? };
    let summary = week_summary(&store, week, zone, now)?;
    Ok(if json { serde_json::to_string_pretty(&summary).expect("a summary serializes") + "\n" } else { summary_text(&summary) })
}

/// The summary for people: two compact tables, the comparison, the streak, the observations.
pub(super) fn summary_text(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Week {} ({} to {})", s.week, s.first_day.format("%a %-d %b"), s.last_day.format("%a %-d %b %Y"));
    if s.is_empty {
        out.push_str("\nNothing logged this week. Breaks and screen time show up here once Respite has been running.\n");
        return out;
    }
    let share = |t: &Tally| t.compliance.map_or_else(|| "-".to_owned(), |share| text::texts().percent(share));
    let _ = writeln!(out, "\n{:<11}{:>5}{:>7}{:>9}{:>9}{:>11}{:>9}", "", "Due", "Taken", "Natural", "Skipped", "Postponed", "% taken");
    let kinds = s.by_kind.iter().map(|(kind, t)| (kind.title(), t));
    for (name, t) in kinds.chain(std::iter::once(("All breaks", &s.breaks))) {
        let _ = writeln!(out, "{name:<11}{:>5}{:>7}{:>9}{:>9}{:>11}{:>9}", t.due, t.taken, t.natural, t.skipped, t.postponed, share(t));
    }
    let _ = writeln!(out, "\n{:<11}{:>7}{:>13}{:>17}{:>9}", "", "Screen", "After hours", "Longest stretch", "% taken");
    for day in &s.days {
        let (screen, after, longest) = (hm(day.screen_secs), hm(day.after_hours_secs), hm(day.longest_stretch_secs));
        let _ = writeln!(out, "{:<11}{screen:>7}{after:>13}{longest:>17}{:>9}", day.date.format("%a %-d").to_string(), share(&day.breaks));
    }
    let (screen, after) = (hm(s.headline.screen_secs), hm(s.headline.after_hours_secs));
    let _ = writeln!(out, "{:<11}{screen:>7}{after:>13}{:>17}{:>9}", "Week", "", share(&s.breaks));
    out.push_str("% taken: taken or had naturally, of the breaks due. Times in h:mm.\n");
    if s.breaks.unseen > 0 {
        let _ = writeln!(out, "{}", text::tf("summary.kinds.unseen", &[("n", &s.breaks.unseen)]));
    }
    out.push('\n');

    let previous = &s.previous;
    let when = match previous.until {
        Some(until) => format!("last week up to {}", until.format("%a %H:%M")),
        None => "the week before".to_owned(),
    };
    if previous.headline == summary::Headline::default() {
        let _ = writeln!(out, "Nothing was logged {when} to compare with.");
    } else {
        let change = &previous.change;
        let mut parts = Vec::new();
        if let Some(points) = change.compliance {
            parts.push(format!("% taken {:+.0} points", points * 100.0));
        }
        parts.push(format!("breaks taken {:+}", change.breaks_taken));
        parts.push(format!("screen time {}", signed_hm(change.screen_secs)));
        parts.push(format!("after hours {}", signed_hm(change.after_hours_secs)));
        let _ = writeln!(out, "Compared with {when}: {}.", parts.join(", "));
    }
    let streak = &s.streak;
    let target = text::texts().percent(streak.target);
    match streak.first_day {
        Some(first) if streak.days > 0 => {
            let days = if streak.days == 1 { "1 day".to_owned() } else { format!("{} days in a row", streak.days) };
            let _ = writeln!(out, "Streak: {days} with {target} or more taken, since {}.", first.format("%a %-d %b"));
        }
        _ => {
            let _ = writeln!(out, "Streak: none yet. Any day with {target} or more of its breaks taken starts one.");
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

/// `h:mm`.
pub(super) fn hm(secs: u64) -> String {
    let minutes = (secs + 30) / 60;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// `+h:mm` or `-h:mm`.
pub(super) fn signed_hm(secs: i64) -> String {
    format!("{}{}", if secs < 0 { '-' } else { '+' }, hm(secs.unsigned_abs()))
}
