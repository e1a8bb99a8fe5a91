//! The daily screen-time budget ([`Budget`]), off by default: the active time of the local day,
//! counted from the same spans that are logged as screen time. A notice comes
//! [`BUDGET_WARNING`] before the budget is reached, and at the limit a gentle notification, or,
//! with [`Budget::overlay`], one full-screen break saying that today's screen time is reached
//! (strict or not). Each comes once a day. Paused or in focus mode, the time still counts and the
//! notices still come; the overlay waits like any due break, and a pause has none.

use super::timetable::SetBreak;
use super::{Event, Phase, Scheduler};
use crate::clock::Now;
use crate::record::{BreakKind, Trigger};
use chrono::{DateTime, NaiveDate, Utc};
use std::time::Duration;

/// The notice comes this long before the budget is reached.
pub const BUDGET_WARNING: Duration = Duration::from_secs(10 * 60);

/// The daily budget, as set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    /// Active time a day; `None`: no budget.
    pub daily: Option<Duration>,
    /// At the limit, a full-screen break instead of a notification.
    pub overlay: bool,
    /// That break has no postpone or skip.
    pub strict: bool,
}

/// The day being counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct BudgetDay {
    pub date: NaiveDate,
    /// Monotonic time of the day's start, as last anchored.
    pub start_mono: Duration,
    /// Active time in spans already closed today.
    pub closed: Duration,
    pub warned: bool,
    pub reached: bool,
}

impl Scheduler {
    /// A new budget (start, reload); the time counted today stays.
    pub fn set_budget(&mut self, budget: Budget) {
        self.budget = budget;
    }

    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// Active time already spent today before this run (from the log), at start.
    pub fn seed_screen_time(&mut self, spent: Duration, now: Now) {
        self.budget_roll(now);
        self.budget_day.closed = spent;
        // Over the limit already: no notice for what happened before.
        if let Some(daily) = self.budget.daily {
            self.budget_day.warned = spent.saturating_add(BUDGET_WARNING) >= daily;
            self.budget_day.reached = spent >= daily;
        }
    }

    /// Active time at the screen today, up to `now`.
    pub fn screen_time_today(&self, now: Now) -> Duration {
        let open = self.presence.span_from.map_or(Duration::ZERO, |(from, _)| now.mono.saturating_sub(from.max(self.budget_day.start_mono)));
        self.budget_day.closed.saturating_add(open)
    }

    /// An active span `[from, to)` closed: its part within today counts.
    pub(super) fn budget_count(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) {
        let day_start = self.timetable.zone.day_start(self.budget_day.date);
        if self.timetable.zone.date_of(to) != self.budget_day.date {
            return; // the day rolls at the next tick, which starts counting afresh
        }
        let from = from.max(day_start);
        let length = (to - from).to_std().unwrap_or(Duration::ZERO);
        self.budget_day.closed = self.budget_day.closed.saturating_add(length);
    }

    /// A new local day starts counting from zero.
    fn budget_roll(&mut self, now: Now) {
        let date = self.timetable.zone.date_of(now.wall);
        if date != self.budget_day.date {
            self.budget_day = BudgetDay { date, start_mono: Duration::ZERO, closed: Duration::ZERO, warned: false, reached: false };
        }
        self.budget_reanchor_start(now);
    }

    /// The wall clock moved: the day's start is anchored again.
    pub(super) fn budget_reanchor(&mut self, now: Now) {
        self.budget_roll(now);
    }

    fn budget_reanchor_start(&mut self, now: Now) {
        let start = self.timetable.zone.day_start(self.budget_day.date);
        self.budget_day.start_mono = now.mono.saturating_sub((now.wall - start).to_std().unwrap_or(Duration::ZERO));
    }

    /// At a tick: the day rolls, the notice or the limit comes.
    pub(super) fn apply_budget(&mut self, now: Now, events: &mut Vec<Event>) {
        self.budget_roll(now);
        let Some(daily) = self.budget.daily else { return };
        let used = self.screen_time_today(now);
        if !self.budget_day.warned && used.saturating_add(BUDGET_WARNING) >= daily && used < daily {
            self.budget_day.warned = true;
            events.push(Event::BudgetNear { used, budget: daily });
        }
        if !self.budget_day.reached && used >= daily {
            self.budget_day.warned = true;
            self.budget_day.reached = true;
            let overlay = self.budget.overlay && self.phase.is_working() && !self.is_away();
            events.push(Event::BudgetReached { used, budget: daily, overlay });
            if overlay && self.timetable_state.due.is_none() {
                let kind = BreakKind::Walk;
                self.timetable_state.due = Some(SetBreak {
                    kind,
                    trigger: Trigger::Budget,
                    planned: self.plans.get(kind).duration,
                    strict: self.budget.strict,
                    due_wall: now.wall,
                    due_mono: now.mono,
                });
            }
        }
    }

    /// When the budget's notice or limit comes, if the person stays (monotonic).
    pub(super) fn budget_deadline(&self) -> Option<Duration> {
        let daily = self.budget.daily?;
        let (from, _) = self.presence.span_from?;
        if self.budget_day.reached || matches!(self.phase, Phase::OnBreak(_)) {
            return None;
        }
        let target = if self.budget_day.warned { daily } else { daily.saturating_sub(BUDGET_WARNING) };
        let counted_from = from.max(self.budget_day.start_mono);
        Some(counted_from.saturating_add(target.saturating_sub(self.budget_day.closed)))
    }
}
