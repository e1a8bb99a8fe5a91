//! The summary's plain-language observations: a few facts the week's numbers clearly support,
//! each as data (for a window that words it in its own language) and as an English sentence (for
//! the command line). Kind, never scolding: they say what happened, not what should have.

use super::{duration_text, percent_text, Summary, STREAK_TARGET};
use crate::kind::BreakKind;
use crate::store::OutcomeCounts;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// At most this many observations; the first that apply, in the order of [`Fact`].
const MOST: usize = 3;
/// Skips of one kind needed before saying when they happen.
const MIN_SKIPS: u32 = 3;
/// A day counts as "at the screen after hours" from this much after-hours time.
const AFTER_HOURS_DAY_SECS: u64 = 10 * 60;
/// Screen time must change by this much to be worth a sentence.
const SCREEN_CHANGE_SECS: u64 = 60 * 60;
/// Compliance must change by this much (ten percentage points).
const COMPLIANCE_CHANGE: f64 = 0.10;
/// A stretch without a break worth a mention.
const LONG_STRETCH_SECS: u64 = 90 * 60;
/// A streak worth a mention.
const STREAK_DAYS: u32 = 3;

/// One observation: what it is about (`id` and its numbers) and an English sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observation {
    pub text: String,
    #[serde(flatten)]
    pub fact: Fact,
}

/// What an observation says, most useful first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "id", rename_all = "snake_case")]
pub enum Fact {
    /// Most skipped breaks of `kind` (at least two thirds, clearly more than its share of breaks
    /// due) were due at `from_hour`:00 or later.
    SkippedLate { kind: BreakKind, from_hour: u32, late: u32, skipped: u32 },
    /// At the screen after working hours (at least ten minutes) on `days` days.
    AfterHours { days: u32, secs: u64 },
    /// Screen time changed by at least an hour from last week (negative: less).
    ScreenTimeChange { secs: i64, partial: bool },
    /// The share of breaks taken moved by ten points or more.
    ComplianceChange { from: f64, to: f64 },
    /// The longest stretch at the screen without a break, when 90 minutes or more.
    LongStretch { date: NaiveDate, secs: u64 },
    /// Days in a row at the target, when three or more.
    Streak { days: u32 },
}

/// The observations `summary` supports. `by_hour[kind][local hour]` counts breaks by the hour
/// they fell due.
pub(super) fn observe(summary: &Summary, by_hour: &[[OutcomeCounts; 24]; 3]) -> Vec<Observation> {
    let candidates = [
        skipped_late(by_hour),
        after_hours(summary),
        screen_time_change(summary),
        compliance_change(summary),
        long_stretch(summary),
        streak(summary),
    ];
    candidates.into_iter().flatten().take(MOST).map(|fact| Observation { text: sentence(&fact), fact }).collect()
}

fn skipped_late(by_hour: &[[OutcomeCounts; 24]; 3]) -> Option<Fact> {
    let mut best: Option<Fact> = None;
    for kind in BreakKind::ALL {
        let hours = &by_hour[kind.index()];
        let skipped: u32 = hours.iter().map(|c| c.skipped).sum();
        let due: u32 = hours.iter().map(super::due).sum();
        if skipped < MIN_SKIPS {
            continue;
        }
        // The latest hour from which at least two thirds of the skips came, if they came from
        // there clearly more often than breaks fell due there.
        let found = (12..=20u32).rev().find_map(|from| {
            let late: u32 = hours[from as usize..].iter().map(|c| c.skipped).sum();
            let late_due: u32 = hours[from as usize..].iter().map(super::due).sum();
            let share = f64::from(late) / f64::from(skipped);
            (late * 3 >= skipped * 2 && share >= f64::from(late_due) / f64::from(due) + 0.2).then_some((from, late))
        });
        if let Some((from_hour, late)) = found {
            let more = match &best {
                Some(Fact::SkippedLate { late: best_late, .. }) => late > *best_late,
                _ => true,
            };
            if more {
                best = Some(Fact::SkippedLate { kind, from_hour, late, skipped });
            }
        }
    }
    best
}

fn after_hours(summary: &Summary) -> Option<Fact> {
    let days = summary.days.iter().filter(|d| d.after_hours_secs >= AFTER_HOURS_DAY_SECS).count() as u32;
    (days >= 2).then_some(Fact::AfterHours { days, secs: summary.headline.after_hours_secs })
}

fn screen_time_change(summary: &Summary) -> Option<Fact> {
    let previous = &summary.previous;
    let secs = previous.change.screen_secs;
    (previous.headline.screen_secs > 0 && secs.unsigned_abs() >= SCREEN_CHANGE_SECS)
        .then_some(Fact::ScreenTimeChange { secs, partial: previous.until.is_some() })
}

fn compliance_change(summary: &Summary) -> Option<Fact> {
    let (from, to) = summary.previous.headline.compliance.zip(summary.headline.compliance)?;
    ((to - from).abs() >= COMPLIANCE_CHANGE - 1e-9).then_some(Fact::ComplianceChange { from, to })
}

fn long_stretch(summary: &Summary) -> Option<Fact> {
    let day = summary.days.iter().max_by_key(|d| (d.longest_stretch_secs, std::cmp::Reverse(d.date)))?;
    (day.longest_stretch_secs >= LONG_STRETCH_SECS).then_some(Fact::LongStretch { date: day.date, secs: day.longest_stretch_secs })
}

fn streak(summary: &Summary) -> Option<Fact> {
    (summary.streak.days >= STREAK_DAYS).then_some(Fact::Streak { days: summary.streak.days })
}

/// The English sentence for `fact`.
pub fn sentence(fact: &Fact) -> String {
    match fact {
        Fact::SkippedLate { kind, from_hour, late, skipped } => {
            format!("Most skipped {} breaks were after {from_hour:02}:00 ({late} of {skipped}).", kind.title().to_lowercase())
        }
        Fact::AfterHours { days, secs } => {
            format!("You were at the screen after working hours on {days} days ({} in all).", duration_text(*secs))
        }
        Fact::ScreenTimeChange { secs, partial } => {
            let direction = if *secs < 0 { "less" } else { "more" };
            let when = if *partial { "at this point last week" } else { "the week before" };
            format!("Screen time was {} {direction} than {when}.", duration_text(secs.unsigned_abs()))
        }
        Fact::ComplianceChange { from, to } => {
            let direction = if to > from { "up" } else { "down" };
            format!("You took {} of your breaks, {direction} from {} the week before.", percent_text(*to), percent_text(*from))
        }
        Fact::LongStretch { date, secs } => {
            format!("Your longest stretch without a break was {}, on {}.", duration_text(*secs), weekday_name(*date))
        }
        Fact::Streak { days } => {
            format!("{days} days in a row with at least {} of breaks taken.", percent_text(STREAK_TARGET))
        }
    }
}

fn weekday_name(date: NaiveDate) -> &'static str {
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][date.weekday().num_days_from_monday() as usize]
}
