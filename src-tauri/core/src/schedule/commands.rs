//! The user's commands ([`Command`], through [`Scheduler::handle`]): take a break, pause and
//! resume, skip, postpone, finish early, new plans, focus mode on and off; what a command that
//! does not apply says ([`ScheduleError`]); and the pause itself ([`Pause`]), re-anchored when
//! the wall clock moves.

use super::focus::Focus;
use super::{secs, Countdown, Event, NextBreak, Phase, Plans, Scheduler};
use crate::clock::Now;
use crate::message::Message;
use crate::record::{BreakKind, BreakRecord, Outcome, Style, Trigger};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How long to pause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseLength {
    For(Duration),
    /// Until a wall time (the runtime resolves "until tomorrow" with the working hours).
    Until(DateTime<Utc>),
    Indefinitely,
}

/// An input from the user (tray, CLI, overlay, notification).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Start a break of this kind now.
    TakeBreak(BreakKind),
    Pause(PauseLength),
    Resume,
    /// On a break: skip it (only that break when `Some(id)`). Working: skip the next break.
    Skip(Option<u64>),
    /// On a break: put it off by [`Rules::postpone_by`](super::Rules::postpone_by) (only that
    /// break when `Some(id)`), if [`Scheduler::postpone_window`] allows. Working: put the next
    /// break off the same way.
    Postpone(Option<u64>),
    /// The user is back before the break's end (only that break when `Some(id)`): completed if
    /// at least half of it was taken, skipped otherwise.
    Finish(Option<u64>),
    /// New plans from the settings; elapsed active time is kept.
    SetPlans(Plans),
    /// Start focus mode: rounds of [`FocusPlan::work`](super::FocusPlan::work), each ending in
    /// a focus break.
    StartFocus,
    /// Stop focus mode; a round under way is logged as not completed.
    StopFocus,
}

/// A command that does not apply now. Its words are the locale file's (`error.*`), so a client
/// words the refusal in its own language ([`ScheduleError::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    AlreadyOnBreak(BreakKind),
    NotOnBreak,
    StaleBreak(u64),
    NotPaused,
    /// There is no next break to skip or postpone, and why.
    NoNextBreak(Wanted, NoBreakBecause),
    Strict(BreakKind),
    PostponeLimit(BreakKind, u32),
    TooLateToPostpone,
    AlreadyFocusing,
    NotFocusing,
    FocusBreak,
}

/// What was asked of a break that is not there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Skip,
    Postpone,
}

/// Why there is no next break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoBreakBecause {
    Paused,
    EveryKindOff,
    FocusRound,
}

impl ScheduleError {
    /// The refusal as a locale key with its arguments.
    pub fn message(&self) -> Message {
        match *self {
            Self::AlreadyOnBreak(kind) => Message::new("error.already_on_break").kind("kind", kind),
            Self::NotOnBreak => Message::new("error.not_on_break"),
            Self::StaleBreak(id) => Message::new("error.stale_break").number("id", id),
            Self::NotPaused => Message::new("error.not_paused"),
            Self::NoNextBreak(wanted, because) => {
                let wanted = match wanted {
                    Wanted::Skip => "skip",
                    Wanted::Postpone => "postpone",
                };
                let because = match because {
                    NoBreakBecause::Paused => "paused",
                    NoBreakBecause::EveryKindOff => "all_off",
                    NoBreakBecause::FocusRound => "focus",
                };
                Message::new(&format!("error.nothing_to_{wanted}.{because}"))
            }
            Self::Strict(kind) => Message::new("error.strict").nested("kind", Message::new(&format!("overlay.kind.{kind}.title"))),
            Self::PostponeLimit(kind, times) => Message::new("error.postpone_limit").kind("kind", kind).number("count", u64::from(times)),
            Self::TooLateToPostpone => Message::new("error.too_late_to_postpone"),
            Self::AlreadyFocusing => Message::new("error.already_focusing"),
            Self::NotFocusing => Message::new("error.not_focusing"),
            Self::FocusBreak => Message::new("error.focus_break"),
        }
    }
}

impl std::fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().english())
    }
}

impl std::error::Error for ScheduleError {}

/// When a pause ends, if it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PauseEnd {
    pub wall: DateTime<Utc>,
    pub(super) mono: Duration,
    /// Ends at a wall time ("until tomorrow 09:00"), rather than after a length of time.
    pub(super) at_wall_time: bool,
}

/// A pause in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pause {
    pub since_mono: Duration,
    /// Time the machine slept during the pause: it counts toward its length.
    pub(super) asleep: Duration,
    /// `None`: until resumed by hand.
    pub until: Option<PauseEnd>,
}

impl Scheduler {
    /// Applies a user command at `now`. Follow it with [`Scheduler::tick`].
    pub fn handle(&mut self, command: Command, now: Now) -> Result<Vec<Event>, ScheduleError> {
        match command {
            Command::TakeBreak(kind) => self.take_break(kind, now),
            Command::Pause(length) => {
                if let Phase::OnBreak(brk) = &self.phase {
                    if brk.strict {
                        return Err(ScheduleError::Strict(brk.kind));
                    }
                }
                Ok(self.pause(length, now))
            }
            Command::Resume => match self.phase {
                Phase::Paused(p) => {
                    self.resume_from_pause(p, now);
                    Ok(Vec::new())
                }
                _ => Err(ScheduleError::NotPaused),
            },
            Command::Skip(id) => self.skip(id, now),
            Command::Postpone(id) => self.postpone(id, now),
            Command::Finish(id) => {
                self.check_on_break(id)?;
                let Phase::OnBreak(brk) = &self.phase else { unreachable!("checked above") };
                // A strict overlay cannot be left early; a strict notification's Done is how
                // the person says they took it (it counts only after its length).
                if brk.strict && brk.style == Style::Overlay {
                    return Err(ScheduleError::Strict(brk.kind));
                }
                // Back early from the overlay: it counts as taken once at least half of it was.
                // Done on a notification: once its whole length has passed (see `gentle`).
                let taken_after = match brk.style {
                    Style::Overlay => brk.planned / 2,
                    Style::Notification => brk.planned.saturating_sub(brk.asleep),
                };
                let taken = now.mono >= brk.started_mono.saturating_add(taken_after);
                Ok(self.end_break(if taken { Outcome::Completed } else { Outcome::Skipped }, now))
            }
            Command::SetPlans(plans) => {
                self.replan(now);
                self.plans = plans;
                Ok(Vec::new())
            }
            Command::StartFocus => {
                if self.focus.is_some() {
                    return Err(ScheduleError::AlreadyFocusing);
                }
                self.replan(now);
                self.focus = Some(Focus::new(now.wall));
                Ok(Vec::new())
            }
            Command::StopFocus => {
                let focus = self.focus.take().ok_or(ScheduleError::NotFocusing)?;
                self.replan(now);
                let in_round = matches!(self.phase, Phase::Working(_) | Phase::Paused(_)) && focus.worked > Duration::ZERO;
                Ok(in_round.then(|| Event::FocusRound(focus.stopped(now.wall))).into_iter().collect())
            }
        }
    }

    /// Whether the break on screen may be postponed now; if so, for how much longer.
    pub fn postpone_window(&self, now: Now) -> Result<Duration, ScheduleError> {
        let Phase::OnBreak(brk) = &self.phase else { return Err(ScheduleError::NotOnBreak) };
        if brk.trigger == Trigger::Focus {
            return Err(ScheduleError::FocusBreak);
        }
        if brk.strict {
            return Err(ScheduleError::Strict(brk.kind));
        }
        self.within_postpone_limit(brk.kind)?;
        let half = brk.started_mono.saturating_add(brk.planned / 2);
        if now.mono >= half {
            return Err(ScheduleError::TooLateToPostpone);
        }
        Ok(half - now.mono)
    }

    fn may_postpone(&self, kind: BreakKind) -> Result<(), ScheduleError> {
        if self.rules.strict[kind.index()] {
            return Err(ScheduleError::Strict(kind));
        }
        self.within_postpone_limit(kind)
    }

    fn within_postpone_limit(&self, kind: BreakKind) -> Result<(), ScheduleError> {
        let count = self.postponed[kind.index()];
        if count >= self.rules.max_postpones {
            return Err(ScheduleError::PostponeLimit(kind, count));
        }
        Ok(())
    }

    fn take_break(&mut self, kind: BreakKind, now: Now) -> Result<Vec<Event>, ScheduleError> {
        match &self.phase {
            Phase::OnBreak(b) => return Err(ScheduleError::AlreadyOnBreak(b.kind)),
            Phase::Paused(_) => self.phase = Phase::Working(Countdown::Counting),
            Phase::Working(_) => self.accrue(now),
        }
        self.counted_to = now.mono;
        self.presence.away = None;
        // A break counts for every enabled kind that is no longer than it.
        let length = self.plans.get(kind).duration;
        let covers = self.covered_by(kind, length);
        Ok(self.start(kind, covers, Trigger::Manual, now.wall, length, None, now))
    }

    fn pause(&mut self, length: PauseLength, now: Now) -> Vec<Event> {
        let mut events = Vec::new();
        match self.phase {
            Phase::OnBreak(_) => events.extend(self.end_break(Outcome::Skipped, now)),
            Phase::Working(_) => self.accrue(now),
            Phase::Paused(_) => {}
        }
        let (since_mono, asleep) = match self.phase {
            Phase::Paused(p) => (p.since_mono, p.asleep),
            _ => (now.mono, Duration::ZERO),
        };
        let until = match length {
            PauseLength::For(d) => {
                let mono = now.mono.saturating_add(d);
                Some(PauseEnd { wall: now.wall_at(mono), mono, at_wall_time: false })
            }
            PauseLength::Until(wall) => Some(PauseEnd { wall, mono: now.mono_at(wall), at_wall_time: true }),
            PauseLength::Indefinitely => None,
        };
        self.phase = Phase::Paused(Pause { since_mono, asleep, until });
        events
    }

    pub(super) fn resume_from_pause(&mut self, pause: Pause, now: Now) {
        if now.mono.saturating_sub(pause.since_mono).saturating_add(pause.asleep) >= self.sensing.idle_resets {
            self.elapsed = [Duration::ZERO; 3];
            self.postponed = [0; 3];
        }
        self.counted_to = now.mono;
        self.phase = Phase::Working(Countdown::Counting);
    }

    fn skip(&mut self, id: Option<u64>, now: Now) -> Result<Vec<Event>, ScheduleError> {
        match &self.phase {
            Phase::OnBreak(brk) => {
                if brk.strict {
                    return Err(ScheduleError::Strict(brk.kind));
                }
                self.check_on_break(id)?;
                Ok(self.end_break(Outcome::Skipped, now))
            }
            Phase::Paused(_) => Err(ScheduleError::NoNextBreak(Wanted::Skip, NoBreakBecause::Paused)),
            Phase::Working(_) => {
                if let Some(id) = id {
                    return Err(ScheduleError::StaleBreak(id));
                }
                let next = self.next_break(now).ok_or(ScheduleError::NoNextBreak(Wanted::Skip, NoBreakBecause::EveryKindOff))?;
                if self.focus.is_some() {
                    return Err(ScheduleError::NoNextBreak(Wanted::Skip, NoBreakBecause::FocusRound));
                }
                self.replan(now);
                for kind in std::iter::once(next.kind).chain(next.covers.iter().copied()) {
                    self.elapsed[kind.index()] = Duration::ZERO;
                }
                Ok(vec![Event::Logged(self.not_shown(&next, Outcome::Skipped, now))])
            }
        }
    }

    fn postpone(&mut self, id: Option<u64>, now: Now) -> Result<Vec<Event>, ScheduleError> {
        let record = match &self.phase {
            Phase::OnBreak(_) => {
                self.check_on_break(id)?;
                self.postpone_window(now)?;
                let set = self.set_break_on_screen();
                let events = self.end_break(Outcome::Postponed, now);
                let Some(Event::BreakEnded { record, .. }) = events.first() else { unreachable!("a break was on screen") };
                let record = record.clone();
                match set {
                    // A fixed-time or budget break comes back as itself, that much later.
                    Some(mut set) => {
                        self.postponed[record.kind.index()] += 1;
                        set.due_mono = now.mono.saturating_add(self.rules.postpone_by);
                        set.due_wall = now.wall_at(set.due_mono);
                        self.timetable_state.due = Some(set);
                    }
                    None => self.put_off(&record),
                }
                return Ok(events);
            }
            Phase::Paused(_) => return Err(ScheduleError::NoNextBreak(Wanted::Postpone, NoBreakBecause::Paused)),
            Phase::Working(_) => {
                if let Some(id) = id {
                    return Err(ScheduleError::StaleBreak(id));
                }
                if self.focus.is_some() {
                    return Err(ScheduleError::NoNextBreak(Wanted::Postpone, NoBreakBecause::FocusRound));
                }
                let next = self.next_break(now).ok_or(ScheduleError::NoNextBreak(Wanted::Postpone, NoBreakBecause::EveryKindOff))?;
                self.may_postpone(next.kind)?;
                self.replan(now);
                self.not_shown(&next, Outcome::Postponed, now)
            }
        };
        self.put_off(&record);
        Ok(vec![Event::Logged(record)])
    }

    /// After a postpone: the kinds of `record` fall due again in
    /// [`Rules::postpone_by`](super::Rules::postpone_by).
    fn put_off(&mut self, record: &BreakRecord) {
        self.postponed[record.kind.index()] += 1;
        for kind in std::iter::once(record.kind).chain(record.covers.iter().copied()) {
            let plan = self.plans.get(kind);
            self.elapsed[kind.index()] = plan.interval.saturating_sub(self.rules.postpone_by);
        }
        // Due again later: a notice again before then.
        if let Phase::Working(countdown) = &mut self.phase {
            *countdown = Countdown::Counting;
        }
    }

    /// The record of the next break, dealt with before it went on screen.
    fn not_shown(&self, next: &NextBreak, outcome: Outcome, now: Now) -> BreakRecord {
        let planned = self.plans.get(next.kind).duration;
        BreakRecord {
            kind: next.kind,
            covers: next.covers.clone(),
            trigger: Trigger::Scheduled,
            due_at: next.at,
            started_at: None,
            ended_at: now.wall,
            planned_secs: secs(planned),
            actual_secs: 0,
            outcome,
            held: None,
            shown: None,
            style: Default::default(),
        }
    }

    fn check_on_break(&self, id: Option<u64>) -> Result<(), ScheduleError> {
        match (&self.phase, id) {
            (Phase::OnBreak(b), Some(id)) if b.id != id => Err(ScheduleError::StaleBreak(id)),
            (Phase::OnBreak(_), _) => Ok(()),
            (_, Some(id)) => Err(ScheduleError::StaleBreak(id)),
            (_, None) => Err(ScheduleError::NotOnBreak),
        }
    }

    /// The wall clock moved by itself (changed by hand, NTP, a time zone change): re-anchors
    /// what is anchored to it. Deadlines that are lengths of time keep running.
    pub fn wall_changed(&mut self, now: Now) {
        self.reanchor_timetable(now);
        if let Phase::Paused(Pause { until: Some(until), .. }) = &mut self.phase {
            if until.at_wall_time {
                until.mono = now.mono_at(until.wall);
            }
        }
    }
}
