//! When breaks may come by the wall clock ([`Timetable`]): breaks only during working hours (an
//! opt-in), and breaks at fixed times of day, such as a lunch walk at 12:30 on weekdays.
//!
//! - **Working hours only.** Outside the hours no scheduled break comes and no active time
//!   counts toward one; time at the screen is still logged (the spans do not depend on it), and
//!   the evening's reminders are the runtime's. Entering working hours starts every timer
//!   afresh, so no time from last night carries over into the morning.
//! - **Fixed-time breaks** are anchored to the local wall clock ([`Zone`]), DST-safe like the
//!   hours. At its time a fixed break falls due like any other (it waits for a call, a listed
//!   app, a screen share), counts for every kind no longer than it, and is logged with the
//!   trigger `fixed`. When the person is away or paused at that moment it is skipped; when
//!   another break is on screen it follows that one.
//!
//! Both are re-anchored when the wall clock jumps or the machine sleeps.

use super::zone::Zone;
use super::{Countdown, Phase, Scheduler};
use crate::clock::Now;
use crate::record::{BreakKind, Trigger};
use crate::workhours::WorkHours;
use chrono::{DateTime, NaiveTime, Utc, Weekday};
use std::time::Duration;

/// A fixed-time break reached this late (a machine that woke after it) is skipped.
pub const FIXED_GRACE: Duration = Duration::from_secs(120);

/// A break at a time of day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedBreak {
    /// Local time of day.
    pub at: NaiveTime,
    /// The weekdays it comes on, Monday first.
    pub days: [bool; 7],
    pub kind: BreakKind,
    pub duration: Duration,
}

impl FixedBreak {
    fn on(&self, day: Weekday) -> bool {
        self.days[day.num_days_from_monday() as usize]
    }
}

/// The wall-clock rules: see the module documentation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timetable {
    pub zone: Zone,
    /// Scheduled breaks only inside [`Timetable::hours`].
    pub only_in_hours: bool,
    pub hours: WorkHours,
    pub fixed: Vec<FixedBreak>,
}

impl Timetable {
    /// Whether scheduled breaks may come at `at`.
    pub fn breaks_allowed(&self, at: DateTime<Utc>) -> bool {
        !self.only_in_hours || self.zone.is_working(&self.hours, at)
    }

    /// The next fixed break strictly after `after`: its index and when.
    pub fn next_fixed(&self, after: DateTime<Utc>) -> Option<(usize, DateTime<Utc>)> {
        self.fixed
            .iter()
            .enumerate()
            .filter(|(_, f)| f.days.iter().any(|d| *d))
            .filter_map(|(index, f)| {
                let mut at = after;
                for _ in 0..8 {
                    at = self.zone.next_local_time(at, f.at);
                    if at == DateTime::<Utc>::MAX_UTC {
                        return None;
                    }
                    if f.on(self.zone.weekday_of(at)) {
                        return Some((index, at));
                    }
                }
                None
            })
            .min_by_key(|(_, at)| *at)
    }
}

/// A break that comes at a set moment rather than from the rhythm of active time: a fixed-time
/// break, or the budget's overlay. It waits to go on screen like any due break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetBreak {
    pub kind: BreakKind,
    pub trigger: Trigger,
    pub planned: Duration,
    pub strict: bool,
    pub due_wall: DateTime<Utc>,
    pub due_mono: Duration,
}

/// Where the wall-clock rules stand, as of the last look.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct TimetableState {
    /// Whether scheduled breaks were allowed at the last look.
    pub allowed: bool,
    /// When that may change next (monotonic), if ever.
    pub edge: Option<Duration>,
    /// The next fixed break: its index, wall and monotonic time.
    pub next_fixed: Option<(usize, DateTime<Utc>, Duration)>,
    /// A set break that is due (or comes after the break on screen).
    pub due: Option<SetBreak>,
}

impl Scheduler {
    /// New wall-clock rules (start, reload).
    pub fn set_timetable(&mut self, timetable: Timetable, now: Now) {
        self.timetable = timetable;
        self.timetable_state.allowed = self.timetable.breaks_allowed(now.wall);
        self.reanchor_timetable(now);
    }

    pub fn timetable(&self) -> &Timetable {
        &self.timetable
    }

    /// Whether scheduled breaks come now (always, unless working-hours-only and outside them).
    pub fn in_break_hours(&self) -> bool {
        self.timetable_state.allowed
    }

    /// The wall clock moved (a jump, a sleep): the next edge and fixed break are found again.
    pub(super) fn reanchor_timetable(&mut self, now: Now) {
        let state = &mut self.timetable_state;
        state.edge = if self.timetable.only_in_hours {
            self.timetable.zone.hours_change(&self.timetable.hours, now.wall).map(|at| now.mono_at(at))
        } else {
            None
        };
        state.next_fixed = self.timetable.next_fixed(now.wall).map(|(index, at)| (index, at, now.mono_at(at)));
        self.budget_reanchor(now);
    }

    /// At a deadline: working hours beginning or ending, a fixed break's time.
    pub(super) fn apply_timetable(&mut self, now: Now) {
        let allowed = self.timetable.breaks_allowed(now.wall);
        if allowed != self.timetable_state.allowed || self.timetable_state.edge.is_some_and(|edge| edge <= now.mono) {
            if allowed && !self.timetable_state.allowed {
                // Working hours begin: every timer starts afresh.
                self.elapsed = [Duration::ZERO; 3];
                self.postponed = [0; 3];
                self.counted_to = now.mono;
            } else if !allowed && self.timetable_state.allowed {
                self.accrue(now);
                if let Phase::Working(countdown) = &mut self.phase {
                    *countdown = Countdown::Counting;
                }
            }
            self.timetable_state.allowed = allowed;
            self.timetable_state.edge = self.timetable.zone.hours_change(&self.timetable.hours, now.wall).map(|at| now.mono_at(at)).filter(|_| self.timetable.only_in_hours);
        }
        if let Some((index, wall, mono)) = self.timetable_state.next_fixed {
            if mono <= now.mono {
                let fixed = &self.timetable.fixed[index];
                let late = now.mono.saturating_sub(mono);
                let free = !self.is_away() && !matches!(self.phase, Phase::Paused(_));
                if free && late <= FIXED_GRACE && self.timetable_state.due.is_none() {
                    self.timetable_state.due = Some(SetBreak {
                        kind: fixed.kind,
                        trigger: Trigger::Fixed,
                        planned: fixed.duration,
                        strict: self.rules.strict[fixed.kind.index()],
                        due_wall: wall,
                        due_mono: mono,
                    });
                    if let Phase::Working(countdown @ Countdown::Noticed(_)) = &mut self.phase {
                        *countdown = Countdown::Counting;
                    }
                }
                // Otherwise skipped, and not logged: it never fell due (away, paused, or the
                // machine asleep at its time).
                self.timetable_state.next_fixed = self.timetable.next_fixed(wall).map(|(index, at)| (index, at, now.mono_at(at)));
            }
        }
    }

    /// The break on screen as a set break, if it is one (fixed-time or the budget's).
    pub(super) fn set_break_on_screen(&self) -> Option<SetBreak> {
        let Phase::OnBreak(brk) = &self.phase else { return None };
        matches!(brk.trigger, Trigger::Fixed | Trigger::Budget).then(|| SetBreak {
            kind: brk.kind,
            trigger: brk.trigger,
            planned: brk.planned,
            strict: brk.strict,
            due_wall: brk.due_at,
            due_mono: brk.started_mono,
        })
    }

    /// The set break that is due, if one is.
    pub fn set_break_due(&self) -> Option<&SetBreak> {
        self.timetable_state.due.as_ref()
    }

    /// The next moment a wall-clock rule acts (monotonic).
    pub(super) fn timetable_deadline(&self) -> Option<Duration> {
        let state = &self.timetable_state;
        [state.edge, state.next_fixed.map(|(_, _, mono)| mono)].into_iter().flatten().min()
    }
}
