//! Break kinds, how a break ended, and the record of one break as it is logged.

use crate::senses::HoldReason;
use chrono::{DateTime, Utc};
use crate::words::words;
use serde::{Deserialize, Serialize};

words! {
    /// The three kinds of break.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum BreakKind, error UnknownKind ("break kind") {
        Eye = "eye",
        Stretch = "stretch",
        Walk = "walk",
    }
}

impl BreakKind {
    /// Position in per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name people read ("Eye rest").
    pub fn title(self) -> &'static str {
        match self {
            BreakKind::Eye => "Eye rest",
            BreakKind::Stretch => "Stretch",
            BreakKind::Walk => "Walk",
        }
    }
}

words! {
    /// How a break ended.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Outcome, error UnknownOutcome ("outcome") {
        /// Shown for its whole length.
        Completed = "completed",
        /// Dismissed by the user, or "skip next break" before it started.
        Skipped = "skipped",
        /// Put off by the user; the same kind comes back a little later.
        Postponed = "postponed",
        /// Taken away from the screen without being asked (idle long enough).
        Natural = "natural",
        /// On screen when Respite stopped (quit, crash, power loss).
        Interrupted = "interrupted",
    }
}

words! {
    /// How a break is delivered (`style` per kind in the settings).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Style, error UnknownStyle ("break style") {
        /// The full-screen overlay on every monitor: the person is taken away from the screen.
        #[default]
        Overlay = "overlay",
        /// Gentle mode: a desktop notification with Done and Skip. It counts as taken when the
        /// person is away for the break's length, or says Done once that length has passed.
        Notification = "notification",
    }
}

impl Style {
    /// Position in per-style arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

words! {
    /// Why a break started.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Trigger, error UnknownTrigger ("trigger") {
        /// The schedule said so.
        Scheduled = "scheduled",
        /// The user asked for it (tray, CLI).
        Manual = "manual",
        /// The end of a focus (Pomodoro) round.
        Focus = "focus",
        /// A break set for a time of day (`[[fixed]]` in the settings).
        Fixed = "fixed",
        /// The day's screen time reached its budget (`[budget]`, with its overlay on).
        Budget = "budget",
    }
}

/// One break as it is logged, once its outcome is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakRecord {
    pub kind: BreakKind,
    /// Shorter kinds this break counted for (a walk that fell due with an eye rest covers it).
    pub covers: Vec<BreakKind>,
    pub trigger: Trigger,
    /// When the break was due (for a manual break: when it was asked for).
    pub due_at: DateTime<Utc>,
    /// When it went on screen; `None` for a break skipped before it started.
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: DateTime<Utc>,
    pub planned_secs: u32,
    pub actual_secs: u32,
    pub outcome: Outcome,
    /// How long the break waited because the person was not to be disturbed, and why.
    #[serde(default)]
    pub held: Option<Held>,
    /// Whether the break's window was on screen until the break ended. `Some(false)`: none came
    /// up, or it went away before the end (`respite-ui` could not start, or exited). `None`: no
    /// window was meant (a natural break, one dealt with before it started), or it is not known
    /// (logged before schema 7; on screen when Respite stopped, recovered at the next start).
    /// The scheduler leaves it `None`; the runtime, which starts the windows, fills it in.
    #[serde(default)]
    pub shown: Option<bool>,
    /// How it was delivered (overlay for everything logged before schema 9, and for breaks that
    /// never went on screen).
    #[serde(default)]
    pub style: Style,
}

/// A break held back by do-not-disturb before it went on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub reason: HoldReason,
    pub secs: u32,
}

/// `covers` as stored: kinds joined by `;`, empty when none.
pub fn covers_to_text(covers: &[BreakKind]) -> String {
    covers.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(";")
}

/// The inverse of [`covers_to_text`].
pub fn covers_from_text(text: &str) -> Result<Vec<BreakKind>, UnknownKind> {
    text.split(';').filter(|s| !s.is_empty()).map(str::parse).collect()
}

/// A 20-second break of `kind`, due and started at `due`, that ended with `outcome`: the record
/// the store's, the journal's and the benchmark's tests write (a walk counts for the eye rest).
#[cfg(test)]
pub(crate) fn sample_record(kind: BreakKind, due: DateTime<Utc>, outcome: Outcome) -> BreakRecord {
    BreakRecord {
        kind,
        covers: if kind == BreakKind::Walk { vec![BreakKind::Eye] } else { vec![] },
        trigger: Trigger::Scheduled,
        due_at: due,
        started_at: Some(due),
        ended_at: due + chrono::Duration::seconds(20),
        planned_secs: 20,
        actual_secs: 20,
        outcome,
        held: None,
        shown: None,
        style: Style::Overlay,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn kinds_and_outcomes_round_trip_through_text() {
        for kind in BreakKind::ALL {
            assert_eq!(kind.as_str().parse::<BreakKind>(), Ok(kind));
        }
        assert_eq!("nap".parse::<BreakKind>(), Err(UnknownKind("nap".into())));
        for o in [Outcome::Completed, Outcome::Skipped, Outcome::Postponed, Outcome::Natural, Outcome::Interrupted] {
            assert_eq!(o.as_str().parse::<Outcome>(), Ok(o));
        }
        let covers = vec![BreakKind::Eye, BreakKind::Stretch];
        assert_eq!(covers_to_text(&covers), "eye;stretch");
        assert_eq!(covers_from_text("eye;stretch").unwrap(), covers);
        assert_eq!(covers_from_text("").unwrap(), vec![]);
    }

    /// What serde writes for each of `values` (the wire and the JSON export).
    pub(crate) fn serde_names<T: Serialize>(values: &[T]) -> Vec<String> {
        values.iter().map(|v| serde_json::to_value(v).unwrap().as_str().expect("a string").to_owned()).collect()
    }

    #[test]
    fn serde_names_are_the_words() {
        assert_eq!(serde_names(&BreakKind::ALL), BreakKind::WORDS);
        assert_eq!(serde_names(&Outcome::ALL), Outcome::WORDS);
        assert_eq!(serde_names(&Trigger::ALL), Trigger::WORDS);
    }

    #[test]
    fn unknown_words_are_typed_errors_that_name_the_choices() {
        assert_eq!("later".parse::<Outcome>(), Err(UnknownOutcome("later".into())));
        assert_eq!(UnknownOutcome("later".into()).to_string(), r#"unknown outcome "later" (expected completed, skipped, postponed, natural or interrupted)"#);
        assert_eq!("auto".parse::<Trigger>(), Err(UnknownTrigger("auto".into())));
        assert_eq!(UnknownKind("nap".into()).to_string(), r#"unknown break kind "nap" (expected eye, stretch or walk)"#);
    }
}
