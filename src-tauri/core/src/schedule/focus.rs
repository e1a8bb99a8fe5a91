//! Focus mode (Pomodoro): rounds of focused work, each followed by a short break, and a long
//! break after the last round of a cycle. The scheduler owns the timing; this module owns the
//! plan, the round being worked and the record of a finished round.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The focus rhythm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FocusPlan {
    /// Active time of one round.
    pub work: Duration,
    pub short_break: Duration,
    /// The break after the last round of a cycle.
    pub long_break: Duration,
    /// Rounds in a cycle.
    pub rounds: u32,
}

impl Default for FocusPlan {
    fn default() -> Self {
        Self {
            work: Duration::from_secs(25 * 60),
            short_break: Duration::from_secs(5 * 60),
            long_break: Duration::from_secs(20 * 60),
            rounds: 4,
        }
    }
}

/// A focus session in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Focus {
    /// 1-based round within the cycle.
    pub round: u32,
    /// Active time worked in this round.
    pub worked: Duration,
    pub round_started: DateTime<Utc>,
}

impl Focus {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self { round: 1, worked: Duration::ZERO, round_started: now }
    }

    /// Whether the round being worked is the last of its cycle.
    pub fn is_last_round(&self, plan: &FocusPlan) -> bool {
        self.round >= plan.rounds
    }

    /// The next round, after the break that followed this one.
    pub fn next_round(&mut self, plan: &FocusPlan, now: DateTime<Utc>) {
        self.round = if self.is_last_round(plan) { 1 } else { self.round + 1 };
        self.worked = Duration::ZERO;
        self.round_started = now;
    }

    /// The record of this round, worked to the end at `ended_at`.
    pub fn completed(&self, ended_at: DateTime<Utc>) -> FocusRound {
        FocusRound { round: self.round, started_at: self.round_started, ended_at, completed: true }
    }

    /// The record of this round, cut short at `ended_at` (focus mode stopped, or Respite).
    pub fn stopped(&self, ended_at: DateTime<Utc>) -> FocusRound {
        FocusRound { round: self.round, started_at: self.round_started, ended_at, completed: false }
    }
}

/// One focus round as it is logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FocusRound {
    /// 1-based round within its cycle.
    pub round: u32,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// Worked to the end (`false`: focus mode was stopped during the round).
    pub completed: bool,
}

/// What `status` says about focus mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FocusStatus {
    pub round: u32,
    pub rounds: u32,
    /// Active time left in the round (zero during its break).
    pub left_secs: u64,
}
