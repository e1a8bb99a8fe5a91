//! The summary's plain-language observations: a few facts the week's numbers clearly support,
//! each as data (its `id` and numbers) and as a sentence from the locale file ([`crate::text`]),
//! which the summary window and the command line both show. Kind, never scolding: they say what
//! happened, not what should have.

use super::{Summary, STREAK_TARGET};
use crate::text::{texts, Texts};
use crate::record::BreakKind;
use crate::store::OutcomeCounts;
use chrono::{Datelike, NaiveDate, NaiveTime};
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

/// One observation: what it is about (`id` and its numbers) and its sentence.
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

/// The sentence for `fact`, in the process's locale ([`crate::text`]).
pub fn sentence(fact: &Fact) -> String {
    sentence_in(texts(), fact)
}

/// The sentence for `fact` in `texts`.
pub fn sentence_in(texts: &Texts, fact: &Fact) -> String {
    match fact {
        Fact::SkippedLate { kind, from_hour, late, skipped } => texts.fill(
            "summary.observation.skipped_late",
            &[
                ("kind", &texts.kind_noun(*kind)),
                ("time", &texts.time_of_day(NaiveTime::from_hms_opt(*from_hour % 24, 0, 0).unwrap_or_default())),
                ("late", late),
                ("skipped", skipped),
            ],
        ),
        Fact::AfterHours { days, secs } => texts.count("summary.observation.after_hours", u64::from(*days), &[("time", &texts.duration(*secs))]),
        Fact::ScreenTimeChange { secs, partial } => {
            let key = match (*secs < 0, *partial) {
                (true, false) => "summary.observation.screen_time_less",
                (false, false) => "summary.observation.screen_time_more",
                (true, true) => "summary.observation.screen_time_less_so_far",
                (false, true) => "summary.observation.screen_time_more_so_far",
            };
            texts.fill(key, &[("time", &texts.duration(secs.unsigned_abs()))])
        }
        Fact::ComplianceChange { from, to } => {
            let key = if to > from { "summary.observation.compliance_up" } else { "summary.observation.compliance_down" };
            texts.fill(key, &[("to", &texts.percent(*to)), ("from", &texts.percent(*from))])
        }
        Fact::LongStretch { date, secs } => {
            texts.fill("summary.observation.long_stretch", &[("time", &texts.duration(*secs)), ("day", &texts.weekday(date.weekday(), true))])
        }
        Fact::Streak { days } => texts.count("summary.observation.streak", u64::from(*days), &[("target", &texts.percent(STREAK_TARGET))]),
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::is_pseudo;

    fn every_fact() -> Vec<Fact> {
        let date = NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        vec![
            Fact::SkippedLate { kind: BreakKind::Stretch, from_hour: 16, late: 5, skipped: 6 },
            Fact::AfterHours { days: 3, secs: 5400 },
            Fact::ScreenTimeChange { secs: -7200, partial: false },
            Fact::ScreenTimeChange { secs: 3700, partial: true },
            Fact::ComplianceChange { from: 0.5, to: 0.75 },
            Fact::ComplianceChange { from: 0.75, to: 0.5 },
            Fact::LongStretch { date, secs: 6000 },
            Fact::Streak { days: 4 },
        ]
    }

    #[test]
    fn every_sentence_comes_from_the_locale_file() {
        for fact in every_fact() {
            let sentence = sentence_in(&Texts::pseudo(), &fact);
            assert!(is_pseudo(&sentence), "{fact:?}: {sentence}");
        }
        let english: Vec<String> = every_fact().iter().map(|f| sentence_in(&Texts::english(), f)).collect();
        assert_eq!(english[0], "Most skipped stretch breaks were after 16:00 (5 of 6).");
        assert_eq!(english[3], "Screen time was 1 h 2 min more than at this point last week.");
        assert_eq!(english[6], "Your longest stretch without a break was 1 h 40 min, on Wednesday.");
    }
}
