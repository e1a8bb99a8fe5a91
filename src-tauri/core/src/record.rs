//! Break kinds, how a break ended, and the record of one break as it is logged.

use crate::senses::HoldReason;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The three kinds of break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    Eye,
    Stretch,
    Walk,
}

impl BreakKind {
    pub const ALL: [BreakKind; 3] = [BreakKind::Eye, BreakKind::Stretch, BreakKind::Walk];

    /// Position in per-kind arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The identifier used in files, the database and the protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            BreakKind::Eye => "eye",
            BreakKind::Stretch => "stretch",
            BreakKind::Walk => "walk",
        }
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

impl fmt::Display for BreakKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no break kind.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown break kind {0:?} (expected eye, stretch or walk)")]
pub struct UnknownKind(pub String);

impl FromStr for BreakKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "eye" => Ok(BreakKind::Eye),
            "stretch" => Ok(BreakKind::Stretch),
            "walk" => Ok(BreakKind::Walk),
            other => Err(UnknownKind(other.to_owned())),
        }
    }
}

/// How a break ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Shown for its whole length.
    Completed,
    /// Dismissed by the user, or "skip next break" before it started.
    Skipped,
    /// Put off by the user; the same kind comes back a little later.
    Postponed,
    /// Taken away from the screen without being asked (idle long enough).
    Natural,
    /// On screen when Respite stopped (quit, crash, power loss).
    Interrupted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Skipped => "skipped",
            Outcome::Postponed => "postponed",
            Outcome::Natural => "natural",
            Outcome::Interrupted => "interrupted",
        }
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "completed" => Ok(Outcome::Completed),
            "skipped" => Ok(Outcome::Skipped),
            "postponed" => Ok(Outcome::Postponed),
            "natural" => Ok(Outcome::Natural),
            "interrupted" => Ok(Outcome::Interrupted),
            other => Err(format!("unknown outcome {other:?}")),
        }
    }
}

/// Why a break started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The schedule said so.
    Scheduled,
    /// The user asked for it (tray, CLI).
    Manual,
    /// The end of a focus (Pomodoro) round.
    Focus,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Scheduled => "scheduled",
            Trigger::Manual => "manual",
            Trigger::Focus => "focus",
        }
    }
}

impl FromStr for Trigger {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "scheduled" => Ok(Trigger::Scheduled),
            "manual" => Ok(Trigger::Manual),
            "focus" => Ok(Trigger::Focus),
            other => Err(format!("unknown trigger {other:?}")),
        }
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

#[cfg(test)]
mod tests {
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
}
