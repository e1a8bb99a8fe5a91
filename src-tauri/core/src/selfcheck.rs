//! The weekly self-check: three questions, answered 1–5, on the three dimensions of burnout —
//! energy (exhaustion), closeness to one's work (cynicism, distance) and a sense of getting
//! things done (efficacy). It is a personal check, not a diagnosis: answers stay on this machine
//! (in the store's `self_checks` table, pruned with the break log by `[log] keep`), are trended
//! in the summary, and when they stay low for [`LOW_WEEKS`] weeks in a row the summary gently
//! suggests talking to someone.

use crate::calendar::Week;
use serde::{Deserialize, Serialize};

/// Weeks in a row with low answers before the summary suggests talking to someone.
pub const LOW_WEEKS: usize = 3;
/// An answer at or below this (of 5) is low.
const LOW: u8 = 2;

/// One week's answers, each 1 (worst) to 5 (best). Read from JSON only through
/// [`Answers::new`], so a message from the socket cannot carry a 0 or a 9.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawAnswers")]
pub struct Answers {
    /// "How much energy did you have for your work?"
    pub energy: u8,
    /// "How close did you feel to your work and the people in it?"
    pub closeness: u8,
    /// "How much did you feel you got done that mattered?"
    pub accomplishment: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswers {
    energy: u8,
    closeness: u8,
    accomplishment: u8,
}

impl TryFrom<RawAnswers> for Answers {
    type Error = BadAnswer;
    fn try_from(raw: RawAnswers) -> Result<Self, BadAnswer> {
        Answers::new(raw.energy, raw.closeness, raw.accomplishment)
    }
}

/// An answer outside 1–5.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("each answer is a number from 1 to 5")]
pub struct BadAnswer;

impl Answers {
    pub fn new(energy: u8, closeness: u8, accomplishment: u8) -> Result<Self, BadAnswer> {
        let answers = Self { energy, closeness, accomplishment };
        answers.all().iter().all(|a| (1..=5).contains(a)).then_some(answers).ok_or(BadAnswer)
    }

    fn all(&self) -> [u8; 3] {
        [self.energy, self.closeness, self.accomplishment]
    }

    /// Low: two of the three answers at 2 or below, or their mean at 2 or below.
    pub fn is_low(&self) -> bool {
        let all = self.all();
        let low = all.iter().filter(|a| **a <= LOW).count();
        low >= 2 || all.iter().map(|a| u32::from(*a)).sum::<u32>() <= 3 * u32::from(LOW)
    }
}

/// One answered week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    pub week: Week,
    pub answers: Answers,
}

/// The self-check as the summary shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfCheck {
    /// This week's answers, if given.
    pub answers: Option<Answers>,
    /// Answered weeks up to this one, oldest first (at most the last eight).
    pub trend: Vec<Checked>,
    /// The answers were low for [`LOW_WEEKS`] answered weeks in a row, ending with the latest.
    pub suggest_help: bool,
}

impl SelfCheck {
    /// From the answered weeks up to and including `week`, oldest first.
    pub fn of(week: Week, mut answered: Vec<Checked>) -> Self {
        answered.retain(|c| c.week <= week);
        answered.sort_by_key(|c| c.week);
        let answers = answered.last().filter(|c| c.week == week).map(|c| c.answers);
        // Consecutive weeks: an unanswered week in between breaks the run.
        let mut run = 0;
        let mut expected = None;
        for checked in answered.iter().rev() {
            if expected.is_some_and(|w| w != checked.week) || !checked.answers.is_low() {
                break;
            }
            run += 1;
            expected = Some(checked.week.previous());
        }
        let start = answered.len().saturating_sub(8);
        Self { answers, trend: answered[start..].to_vec(), suggest_help: run >= LOW_WEEKS }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(n: u32) -> Week {
        Week::new(2026, n).unwrap()
    }

    fn checked(n: u32, e: u8, c: u8, a: u8) -> Checked {
        Checked { week: week(n), answers: Answers::new(e, c, a).unwrap() }
    }

    #[test]
    fn answers_are_one_to_five() {
        assert_eq!(Answers::new(0, 3, 3), Err(BadAnswer));
        assert_eq!(Answers::new(3, 6, 3), Err(BadAnswer));
        assert!(Answers::new(1, 5, 3).is_ok());
    }

    #[test]
    fn answers_out_of_range_are_refused_when_read_from_json() {
        let ok: Answers = serde_json::from_str(r#"{"energy":1,"closeness":5,"accomplishment":3}"#).unwrap();
        assert_eq!(ok, Answers::new(1, 5, 3).unwrap());
        assert!(serde_json::from_str::<Answers>(r#"{"energy":0,"closeness":5,"accomplishment":3}"#).is_err());
        assert!(serde_json::from_str::<Answers>(r#"{"energy":9,"closeness":5,"accomplishment":3}"#).is_err());
        assert!(serde_json::from_str::<Answers>(r#"{"energy":3,"closeness":3,"accomplishment":3,"mood":1}"#).is_err());
    }

    #[test]
    fn low_means_two_low_answers_or_a_low_mean() {
        assert!(Answers::new(2, 2, 5).unwrap().is_low());
        assert!(Answers::new(1, 3, 2).unwrap().is_low());
        assert!(!Answers::new(2, 4, 4).unwrap().is_low());
        assert!(!Answers::new(3, 3, 3).unwrap().is_low());
    }

    #[test]
    fn help_is_suggested_after_three_low_weeks_in_a_row_only() {
        let low_three = vec![checked(44, 4, 4, 4), checked(45, 2, 2, 3), checked(46, 1, 2, 2), checked(47, 2, 1, 3)];
        let check = SelfCheck::of(week(47), low_three.clone());
        assert!(check.suggest_help);
        assert_eq!(check.answers, Some(Answers::new(2, 1, 3).unwrap()));
        // Two low weeks are not enough.
        assert!(!SelfCheck::of(week(46), low_three.clone()).suggest_help);
        // A good latest week ends the run.
        let mut better = low_three.clone();
        better.push(checked(48, 4, 4, 3));
        assert!(!SelfCheck::of(week(48), better).suggest_help);
        // A gap (an unanswered week) breaks the run.
        let gap = vec![checked(43, 1, 1, 1), checked(45, 1, 1, 1), checked(46, 1, 1, 1)];
        assert!(!SelfCheck::of(week(46), gap).suggest_help);
        // Looking at an older week ignores later answers; this week not answered yet.
        let older = SelfCheck::of(week(50), low_three);
        assert_eq!(older.answers, None);
        assert!(older.suggest_help, "the latest three answered weeks were low and consecutive");
    }

    #[test]
    fn the_trend_keeps_the_last_eight_weeks() {
        let many: Vec<_> = (30..45).map(|n| checked(n, 3, 3, 3)).collect();
        let check = SelfCheck::of(week(44), many);
        assert_eq!(check.trend.len(), 8);
        assert_eq!(check.trend.first().unwrap().week, week(37));
    }
}
