//! The scheduler: a pure state machine that decides when breaks start and end.
//!
//! It does no I/O, starts no thread and never reads a clock. The runtime feeds it the time
//! ([`Now`]) and inputs ([`Command`]), asks it for the next moment anything can happen
//! ([`Scheduler::next_deadline`]), and carries out the [`Event`]s it returns (show an overlay,
//! write a record). Hours of schedule therefore run in a unit test in milliseconds.
//!
//! Only active time counts: each kind keeps the working time elapsed since its last break, and
//! that time grows only in [`Phase::Working`] while the person is at the screen. Time on a
//! break, paused or away does not count. Being away (idle, asleep) at least a break's length
//! counts as that break taken (`natural`); being away [`Sensing::idle_resets`] or longer, or a
//! pause of that length, starts every timer afresh.
//!
//! The scheduler asks [`Senses`](crate::senses::Senses) only when a decision needs the answer:
//! the idle time when the person could have become away or come back, and at a due break; do not
//! disturb at a due break. A due break waits while the person must not be disturbed (up to
//! [`Sensing::hold_limit`]) and, briefly, for a pause in typing.
//!
//! Deadlines run on the monotonic clock, so a wall-clock jump neither fires nor loses a break.
//! What is anchored to the wall clock (a pause until tomorrow morning) is re-anchored when the
//! runtime reports a jump or a sleep ([`Scheduler::wall_changed`], [`Scheduler::slept`]).
//!
//! This file holds the scheduler's state and what it reports; the rest is in parts: `plan` (the
//! plans and rules, the next break and the deadlines), `commands` (the user's commands, the
//! pause), `due` (breaks falling due, starting and ending), `hold` (a due break held or waiting
//! for a pause in typing), `presence` (the person leaving and coming back, sleep, the screen
//! lock), `gentle` (notification-style breaks, which end on the person's presence), `focus`
//! (focus mode), `timetable` (breaks only in working hours, breaks at fixed
//! times) in the local `zone`, `budget` (the daily screen-time budget) and `reminders` (the
//! person's own reminders).

mod budget;
mod commands;
mod due;
mod focus;
mod gentle;
mod hold;
mod plan;
mod presence;
mod reminders;
mod timetable;
mod zone;

pub use commands::{Command, NoBreakBecause, Pause, PauseEnd, PauseLength, ScheduleError, Wanted};
pub use due::ActiveBreak;
pub use focus::{FocusPlan, FocusRound, FocusStatus};
pub use gentle::GENTLE_ANSWER;
pub use hold::{Waiting, HOLD_RECHECK, TYPING_PAUSE, TYPING_WAIT};
pub use plan::{KindPlan, Plans, Rules, Sensing, MERGE_WINDOW};
pub use presence::ScreenLock;
pub use budget::{Budget, BUDGET_WARNING};
pub use reminders::{Reminder, ReminderPlan, CAP_WINDOW};
pub use timetable::{FixedBreak, SetBreak, Timetable, FIXED_GRACE};
pub use zone::Zone;

use crate::clock::Now;
use crate::record::{BreakKind, BreakRecord};
use crate::senses::HoldReason;
use chrono::{DateTime, Utc};
use budget::BudgetDay;
use focus::Focus;
use presence::Presence;
use reminders::ReminderState;
use timetable::TimetableState;
use std::time::Duration;

use crate::record::Trigger;
// The tests (`use super::*`) name these too.
#[cfg(test)]
use crate::record::Outcome;
#[cfg(test)]
use crate::senses::Senses;

/// What the scheduler is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Counting active time toward the next break; how near it is.
    Working(Countdown),
    /// A break is on screen.
    OnBreak(ActiveBreak),
    /// No breaks until the pause ends.
    Paused(Pause),
}

impl Phase {
    /// Whether counting toward the next break (whatever the countdown).
    pub fn is_working(&self) -> bool {
        matches!(self, Phase::Working(_))
    }
}

/// Where the next break stands while working. A break on screen or a pause starts afresh at
/// [`Countdown::Counting`] when it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Countdown {
    /// Counting active time; no notice given yet.
    Counting,
    /// The pre-break notice was given for the break due at this monotonic time.
    Noticed(Duration),
    /// The break is due and waits to go on screen: held while the person must not be
    /// disturbed, or for a pause in typing.
    Waiting(Waiting),
}

/// What the runtime must carry out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A break is near: tell the person (and offer to postpone it).
    Upcoming(NextBreak),
    /// A due break waits because the person must not be disturbed.
    Held { kind: BreakKind, reason: HoldReason },
    /// A held break looked again (every [`HOLD_RECHECK`](hold::HOLD_RECHECK)) and still waits:
    /// for the log's detail, so a long wait shows that it is being checked.
    StillHeld { kind: BreakKind, reason: HoldReason },
    /// Put this break on screen.
    BreakStarted(BreakBox),
    /// The break `id` is over: take it off screen and log `record`.
    BreakEnded { id: u64, record: BreakRecord },
    /// A break that never went on screen (skipped or postponed ahead, taken naturally): log it.
    Logged(BreakRecord),
    /// The person was at the screen from `start` to `end`: log it.
    Active { start: DateTime<Utc>, end: DateTime<Utc> },
    /// A focus round ended: log it.
    FocusRound(FocusRound),
    /// Today's screen time is [`BUDGET_WARNING`] from its budget.
    BudgetNear { used: Duration, budget: Duration },
    /// Today's screen time reached its budget; `overlay`: a break says so (it follows as
    /// [`Event::BreakStarted`] once it may show), else a notification does.
    BudgetReached { used: Duration, budget: Duration, overlay: bool },
    /// One of the person's reminders, as a notification.
    Reminder { text: String },
}

/// An [`ActiveBreak`], boxed to keep [`Event`] small.
pub type BreakBox = Box<ActiveBreak>;

/// The next break the schedule will start, as seen now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextBreak {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub at: DateTime<Utc>,
    pub in_time: Duration,
}

/// The scheduler. See the module documentation.
#[derive(Clone, Debug)]
pub struct Scheduler {
    plans: Plans,
    rules: Rules,
    sensing: Sensing,
    focus_plan: FocusPlan,
    phase: Phase,
    /// Postpones in a row, per kind.
    postponed: [u32; 3],
    /// Active time since each kind's last break.
    elapsed: [Duration; 3],
    /// Monotonic time up to which `elapsed` is accounted.
    counted_to: Duration,
    presence: Presence,
    focus: Option<Focus>,
    next_id: u64,
    timetable: Timetable,
    timetable_state: TimetableState,
    budget: Budget,
    budget_day: BudgetDay,
    reminders: ReminderPlan,
    reminder_state: ReminderState,
}

impl Scheduler {
    /// A scheduler starting to count at `now`.
    pub fn new(plans: Plans, now: Now) -> Self {
        Self {
            plans,
            rules: Rules::default(),
            sensing: Sensing::default(),
            focus_plan: FocusPlan::default(),
            phase: Phase::Working(Countdown::Counting),
            postponed: [0; 3],
            elapsed: [Duration::ZERO; 3],
            counted_to: now.mono,
            presence: Presence::new(now.mono, now.wall),
            focus: None,
            next_id: 1,
            timetable: Timetable::default(),
            timetable_state: TimetableState { allowed: true, ..TimetableState::default() },
            budget: Budget::default(),
            budget_day: BudgetDay {
                date: Zone::Local.date_of(now.wall),
                start_mono: now.mono,
                closed: Duration::ZERO,
                warned: false,
                reached: false,
            },
            reminders: ReminderPlan::default(),
            reminder_state: ReminderState::default(),
        }
    }

    /// The same scheduler with other [`Rules`].
    pub fn with_rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// The same scheduler with other [`Sensing`].
    pub fn with_sensing(mut self, sensing: Sensing) -> Self {
        self.sensing = sensing;
        self
    }

    /// The same scheduler with another focus rhythm.
    pub fn with_focus_plan(mut self, plan: FocusPlan) -> Self {
        self.focus_plan = plan;
        self
    }

    /// New [`Rules`] from the settings (a reload); the break on screen follows them too (unless
    /// it is the budget's, which has its own).
    pub fn set_rules(&mut self, rules: Rules) {
        self.rules = rules;
        if let Phase::OnBreak(brk) = &mut self.phase {
            if brk.trigger != Trigger::Budget {
                brk.strict = rules.strict[brk.kind.index()];
            }
        }
    }

    /// New [`Sensing`] from the settings (a reload); elapsed active time is kept.
    pub fn set_sensing(&mut self, sensing: Sensing) {
        self.sensing = sensing;
    }

    /// A new focus rhythm from the settings (a reload); a round under way keeps the time worked.
    pub fn set_focus_plan(&mut self, plan: FocusPlan) {
        self.focus_plan = plan;
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn plans(&self) -> &Plans {
        &self.plans
    }

    /// Whether the person is counted as away (idle or asleep) now.
    pub fn is_away(&self) -> bool {
        self.presence.away.is_some()
    }

    /// Whether the last reading had idle data.
    pub fn has_idle_data(&self) -> bool {
        self.presence.known
    }

    /// Focus mode's round and time left, when it is on.
    pub fn focus(&self) -> Option<FocusStatus> {
        let focus = self.focus.as_ref()?;
        let left = match self.phase {
            Phase::OnBreak(_) => Duration::ZERO,
            _ => self.focus_plan.work.saturating_sub(focus.worked),
        };
        Some(FocusStatus { round: focus.round, rounds: self.focus_plan.rounds, left_secs: left.as_secs() })
    }

    /// When the person's current active span began (wall), if they are counted as present.
    pub fn active_since(&self) -> Option<DateTime<Utc>> {
        self.presence.span_from.map(|(_, wall)| wall)
    }

    /// Active time elapsed toward each kind's next break.
    pub fn elapsed(&self, kind: BreakKind) -> Duration {
        self.elapsed[kind.index()]
    }
}


fn secs(d: Duration) -> u32 {
    u32::try_from(d.as_secs()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod real_life;
