//! The scheduler: a pure state machine that decides when breaks start and end.
//!
//! It does no I/O, starts no thread and never reads a clock. The runtime feeds it the time
//! ([`Now`]) and inputs ([`Command`]), asks it for the next moment anything can happen
//! ([`Scheduler::next_deadline`]), and carries out the [`Event`]s it returns (show an overlay,
//! write a record). Hours of schedule therefore run in a unit test in milliseconds.
//!
//! Only active time counts: each kind keeps the working time elapsed since its last break, and
//! that time grows only in [`Phase::Working`]. Time on a break or paused does not count, and a
//! pause of at least [`LONG_PAUSE_RESETS`] counts as rest and starts every timer afresh.

use crate::clock::Now;
use crate::kind::{BreakKind, BreakRecord, Outcome, Trigger};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Two kinds due within this much of each other are taken as one break (the longer).
pub const MERGE_WINDOW: Duration = Duration::from_secs(60);
/// A pause at least this long counts as rest: every timer starts afresh when it ends.
pub const LONG_PAUSE_RESETS: Duration = Duration::from_secs(5 * 60);

/// When and for how long one kind of break comes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindPlan {
    pub enabled: bool,
    /// Active time between two breaks of this kind.
    pub interval: Duration,
    /// Length of the break.
    pub duration: Duration,
}

/// The plan for every kind, indexed by [`BreakKind::index`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plans(pub [KindPlan; 3]);

impl Plans {
    pub fn get(&self, kind: BreakKind) -> &KindPlan {
        &self.0[kind.index()]
    }

    fn enabled(&self) -> impl Iterator<Item = BreakKind> + '_ {
        BreakKind::ALL.into_iter().filter(|k| self.get(*k).enabled)
    }
}

/// What the user may do to a break on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// How far "Postpone" puts a break off, in active time.
    pub postpone_by: Duration,
    /// Postpones of the same kind in a row; then the break must be taken or skipped.
    pub max_postpones: u32,
    /// Per kind ([`BreakKind::index`]): no postpone, skip or early finish.
    pub strict: [bool; 3],
}

impl Default for Rules {
    fn default() -> Self {
        Self { postpone_by: Duration::from_secs(5 * 60), max_postpones: 2, strict: [false; 3] }
    }
}

/// A break on screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveBreak {
    /// Unique within one run of the daemon; lets the overlay act on exactly this break.
    pub id: u64,
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub trigger: Trigger,
    pub due_at: DateTime<Utc>,
    pub started_at: DateTime<Utc>,
    /// Monotonic start, for the deadline.
    #[serde(skip)]
    pub started_mono: Duration,
    pub planned: Duration,
}

impl ActiveBreak {
    fn ends_mono(&self) -> Duration {
        self.started_mono + self.planned
    }

    /// The wall time the break is planned to end.
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.started_at + chrono::Duration::from_std(self.planned).unwrap_or_default()
    }

    fn record(&self, outcome: Outcome, now: Now) -> BreakRecord {
        let actual = now.mono.saturating_sub(self.started_mono).min(self.planned);
        BreakRecord {
            kind: self.kind,
            covers: self.covers.clone(),
            trigger: self.trigger,
            due_at: self.due_at,
            started_at: Some(self.started_at),
            ended_at: now.wall,
            planned_secs: secs(self.planned),
            actual_secs: secs(actual),
            outcome,
        }
    }

    fn kinds(&self) -> impl Iterator<Item = BreakKind> + '_ {
        std::iter::once(self.kind).chain(self.covers.iter().copied())
    }
}

/// When a pause ends, if it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PauseEnd {
    pub wall: DateTime<Utc>,
    mono: Duration,
}

/// A pause in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pause {
    pub since_mono: Duration,
    /// `None`: until resumed by hand.
    pub until: Option<PauseEnd>,
}

/// What the scheduler is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Counting active time toward the next break.
    Working,
    /// A break is on screen.
    OnBreak(ActiveBreak),
    /// No breaks until the pause ends.
    Paused(Pause),
}

/// How long to pause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseLength {
    For(Duration),
    /// Until a wall time (the runtime resolves "until tomorrow" in the local zone).
    Until(DateTime<Utc>),
    Indefinitely,
}

/// An input from the user (tray, CLI, overlay).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Start a break of this kind now.
    TakeBreak(BreakKind),
    Pause(PauseLength),
    Resume,
    /// On a break: skip it (only that break when `Some(id)`). Working: skip the next break.
    Skip(Option<u64>),
    /// Put the break on screen off by [`Rules::postpone_by`] (only that break when `Some(id)`),
    /// if [`Scheduler::postpone_window`] allows.
    Postpone(Option<u64>),
    /// The user is back before the break's end (only that break when `Some(id)`): completed if
    /// at least half of it was taken, skipped otherwise.
    Finish(Option<u64>),
    /// New plans from the settings; elapsed active time is kept.
    SetPlans(Plans),
}

/// What the runtime must carry out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Put this break on screen.
    BreakStarted(ActiveBreak),
    /// The break `id` is over: take it off screen and log `record`.
    BreakEnded { id: u64, record: BreakRecord },
    /// A break that never went on screen (skipped ahead): log it.
    Logged(BreakRecord),
}

/// A command that does not apply now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("a break is already on screen ({})", .0.title())]
    AlreadyOnBreak(BreakKind),
    #[error("no break is on screen")]
    NotOnBreak,
    #[error("break {0} is no longer on screen")]
    StaleBreak(u64),
    #[error("Respite is not paused")]
    NotPaused,
    #[error("there is no break to skip: {0}")]
    NothingToSkip(&'static str),
    #[error("{} breaks are strict: they run to the end", .0.title())]
    Strict(BreakKind),
    #[error("this {kind} break was already postponed {1} times in a row", kind = .0.title().to_lowercase())]
    PostponeLimit(BreakKind, u32),
    #[error("a break can be postponed only in its first half")]
    TooLateToPostpone,
}

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
    phase: Phase,
    /// Postpones in a row, per kind.
    postponed: [u32; 3],
    /// Active time since each kind's last break.
    elapsed: [Duration; 3],
    /// Monotonic time up to which `elapsed` is accounted.
    counted_to: Duration,
    next_id: u64,
}

impl Scheduler {
    /// A scheduler starting to count at `now`.
    pub fn new(plans: Plans, now: Now) -> Self {
        Self {
            plans,
            rules: Rules::default(),
            phase: Phase::Working,
            postponed: [0; 3],
            elapsed: [Duration::ZERO; 3],
            counted_to: now.mono,
            next_id: 1,
        }
    }

    /// The same scheduler with other [`Rules`].
    pub fn with_rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Whether the break on screen may be postponed now; if so, for how much longer.
    pub fn postpone_window(&self, now: Now) -> Result<Duration, ScheduleError> {
        let Phase::OnBreak(brk) = &self.phase else { return Err(ScheduleError::NotOnBreak) };
        if self.rules.strict[brk.kind.index()] {
            return Err(ScheduleError::Strict(brk.kind));
        }
        let count = self.postponed[brk.kind.index()];
        if count >= self.rules.max_postpones {
            return Err(ScheduleError::PostponeLimit(brk.kind, count));
        }
        let half = brk.started_mono + brk.planned / 2;
        if now.mono >= half {
            return Err(ScheduleError::TooLateToPostpone);
        }
        Ok(half - now.mono)
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn plans(&self) -> &Plans {
        &self.plans
    }

    /// The next monotonic instant at which [`Scheduler::tick`] has something to do, if any.
    pub fn next_deadline(&self) -> Option<Duration> {
        match &self.phase {
            Phase::Working => self.next_due().map(|(_, at)| at),
            Phase::OnBreak(b) => Some(b.ends_mono()),
            Phase::Paused(p) => p.until.map(|u| u.mono),
        }
    }

    /// Brings the state up to `now`: starts breaks that are due, ends breaks whose time is up,
    /// ends pauses. Call it at [`Scheduler::next_deadline`] (calling it early is harmless).
    pub fn tick(&mut self, now: Now) -> Vec<Event> {
        let mut events = Vec::new();
        if let Phase::Paused(Pause { until: Some(until), since_mono }) = self.phase {
            if until.mono <= now.mono {
                self.resume_from_pause(since_mono, now);
            }
        }
        if let Phase::OnBreak(brk) = &self.phase {
            if brk.ends_mono() <= now.mono {
                events.push(self.end_break(Outcome::Completed, now));
            }
        }
        if matches!(self.phase, Phase::Working) {
            self.accrue(now);
            if let Some((kind, at)) = self.next_due().filter(|(_, at)| *at <= now.mono) {
                let (kind, covers) = self.longest_of(kind, self.merged_with(kind));
                events.push(self.start(kind, covers, Trigger::Scheduled, now.wall_at(at), now));
            }
        }
        events
    }

    /// Applies a user command at `now`.
    pub fn handle(&mut self, command: Command, now: Now) -> Result<Vec<Event>, ScheduleError> {
        match command {
            Command::TakeBreak(kind) => self.take_break(kind, now),
            Command::Pause(length) => {
                if let Phase::OnBreak(brk) = &self.phase {
                    if self.rules.strict[brk.kind.index()] {
                        return Err(ScheduleError::Strict(brk.kind));
                    }
                }
                Ok(self.pause(length, now))
            }
            Command::Resume => match self.phase {
                Phase::Paused(p) => {
                    self.resume_from_pause(p.since_mono, now);
                    Ok(self.tick(now))
                }
                _ => Err(ScheduleError::NotPaused),
            },
            Command::Skip(id) => self.skip(id, now),
            Command::Postpone(id) => {
                self.check_on_break(id)?;
                self.postpone_window(now)?;
                let event = self.end_break(Outcome::Postponed, now);
                if let Event::BreakEnded { record, .. } = &event {
                    self.postponed[record.kind.index()] += 1;
                    for kind in std::iter::once(record.kind).chain(record.covers.iter().copied()) {
                        let plan = self.plans.get(kind);
                        self.elapsed[kind.index()] = plan.interval.saturating_sub(self.rules.postpone_by);
                    }
                }
                Ok(vec![event])
            }
            Command::Finish(id) => {
                self.check_on_break(id)?;
                let Phase::OnBreak(brk) = &self.phase else { unreachable!("checked above") };
                if self.rules.strict[brk.kind.index()] {
                    return Err(ScheduleError::Strict(brk.kind));
                }
                // Back early: it counts as taken once at least half of it was.
                let half_done = now.mono >= brk.started_mono + brk.planned / 2;
                Ok(vec![self.end_break(if half_done { Outcome::Completed } else { Outcome::Skipped }, now)])
            }
            Command::SetPlans(plans) => {
                self.accrue(now);
                self.plans = plans;
                Ok(self.tick(now))
            }
        }
    }

    /// Ends the break on screen, if any, as `interrupted` (Respite is stopping).
    pub fn interrupt(&mut self, now: Now) -> Option<Event> {
        matches!(self.phase, Phase::OnBreak(_)).then(|| self.end_break(Outcome::Interrupted, now))
    }

    /// The break the schedule will start next, if working and any kind is enabled.
    pub fn next_break(&self, now: Now) -> Option<NextBreak> {
        if !matches!(self.phase, Phase::Working) {
            return None;
        }
        let mut probe = self.clone();
        probe.accrue(now);
        let (kind, at) = probe.next_due()?;
        // Seen from the moment it falls due, which kinds merge into it.
        let mut at_due = probe.clone();
        let due_now = Now { mono: at.max(now.mono), wall: now.wall_at(at.max(now.mono)) };
        at_due.accrue(due_now);
        let covers = at_due.merged_with(kind);
        let (kind, covers) = at_due.longest_of(kind, covers);
        Some(NextBreak { kind, covers, at: due_now.wall, in_time: at.saturating_sub(now.mono) })
    }

    /// Active time elapsed toward each kind's next break.
    pub fn elapsed(&self, kind: BreakKind) -> Duration {
        self.elapsed[kind.index()]
    }

    fn take_break(&mut self, kind: BreakKind, now: Now) -> Result<Vec<Event>, ScheduleError> {
        match &self.phase {
            Phase::OnBreak(b) => return Err(ScheduleError::AlreadyOnBreak(b.kind)),
            Phase::Paused(_) => self.phase = Phase::Working,
            Phase::Working => self.accrue(now),
        }
        self.counted_to = now.mono;
        // A break counts for every enabled kind that is no longer than it.
        let length = self.plans.get(kind).duration;
        let covers = self
            .plans
            .enabled()
            .filter(|k| *k != kind && self.plans.get(*k).duration <= length)
            .collect();
        Ok(vec![self.start(kind, covers, Trigger::Manual, now.wall, now)])
    }

    fn pause(&mut self, length: PauseLength, now: Now) -> Vec<Event> {
        let mut events = Vec::new();
        match self.phase {
            Phase::OnBreak(_) => events.push(self.end_break(Outcome::Skipped, now)),
            Phase::Working => self.accrue(now),
            Phase::Paused(_) => {}
        }
        let since_mono = match self.phase {
            Phase::Paused(p) => p.since_mono,
            _ => now.mono,
        };
        let until = match length {
            PauseLength::For(d) => Some(PauseEnd { wall: now.wall_at(now.mono + d), mono: now.mono + d }),
            PauseLength::Until(wall) => Some(PauseEnd { wall, mono: now.mono_at(wall) }),
            PauseLength::Indefinitely => None,
        };
        self.phase = Phase::Paused(Pause { since_mono, until });
        events
    }

    fn resume_from_pause(&mut self, since_mono: Duration, now: Now) {
        if now.mono.saturating_sub(since_mono) >= LONG_PAUSE_RESETS {
            self.elapsed = [Duration::ZERO; 3];
        }
        self.counted_to = now.mono;
        self.phase = Phase::Working;
    }

    fn skip(&mut self, id: Option<u64>, now: Now) -> Result<Vec<Event>, ScheduleError> {
        match &self.phase {
            Phase::OnBreak(brk) => {
                if self.rules.strict[brk.kind.index()] {
                    return Err(ScheduleError::Strict(brk.kind));
                }
                self.check_on_break(id)?;
                Ok(vec![self.end_break(Outcome::Skipped, now)])
            }
            Phase::Paused(_) => Err(ScheduleError::NothingToSkip("Respite is paused")),
            Phase::Working => {
                if let Some(id) = id {
                    return Err(ScheduleError::StaleBreak(id));
                }
                let next = self.next_break(now).ok_or(ScheduleError::NothingToSkip("every kind is off"))?;
                self.accrue(now);
                for kind in std::iter::once(next.kind).chain(next.covers.iter().copied()) {
                    self.elapsed[kind.index()] = Duration::ZERO;
                }
                Ok(vec![Event::Logged(BreakRecord {
                    kind: next.kind,
                    covers: next.covers,
                    trigger: Trigger::Scheduled,
                    due_at: next.at,
                    started_at: None,
                    ended_at: now.wall,
                    planned_secs: secs(self.plans.get(next.kind).duration),
                    actual_secs: 0,
                    outcome: Outcome::Skipped,
                })])
            }
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

    fn start(&mut self, kind: BreakKind, covers: Vec<BreakKind>, trigger: Trigger, due_at: DateTime<Utc>, now: Now) -> Event {
        let brk = ActiveBreak {
            id: self.next_id,
            kind,
            covers,
            trigger,
            due_at,
            started_at: now.wall,
            started_mono: now.mono,
            planned: self.plans.get(kind).duration,
        };
        self.next_id += 1;
        self.phase = Phase::OnBreak(brk.clone());
        Event::BreakStarted(brk)
    }

    /// Ends the break on screen with `outcome`; the kinds it covered start counting afresh.
    fn end_break(&mut self, outcome: Outcome, now: Now) -> Event {
        let Phase::OnBreak(brk) = std::mem::replace(&mut self.phase, Phase::Working) else {
            unreachable!("end_break called while not on a break");
        };
        for kind in brk.kinds() {
            self.elapsed[kind.index()] = Duration::ZERO;
            if outcome != Outcome::Postponed {
                self.postponed[kind.index()] = 0;
            }
        }
        self.counted_to = now.mono;
        Event::BreakEnded { id: brk.id, record: brk.record(outcome, now) }
    }

    /// Adds the working time since `counted_to` to every kind.
    fn accrue(&mut self, now: Now) {
        let worked = now.mono.saturating_sub(self.counted_to);
        if matches!(self.phase, Phase::Working) {
            for kind in BreakKind::ALL {
                self.elapsed[kind.index()] += worked;
            }
        }
        self.counted_to = self.counted_to.max(now.mono);
    }

    fn remaining(&self, kind: BreakKind) -> Duration {
        self.plans.get(kind).interval.saturating_sub(self.elapsed[kind.index()])
    }

    /// The enabled kind that falls due first (ties: the longer break), and when.
    fn next_due(&self) -> Option<(BreakKind, Duration)> {
        self.plans
            .enabled()
            .min_by_key(|k| (self.remaining(*k), std::cmp::Reverse(self.plans.get(*k).duration)))
            .map(|k| (k, self.counted_to + self.remaining(k)))
    }

    /// Other enabled kinds due within [`MERGE_WINDOW`] of `kind`.
    fn merged_with(&self, kind: BreakKind) -> Vec<BreakKind> {
        let base = self.remaining(kind);
        self.plans
            .enabled()
            .filter(|k| *k != kind && self.remaining(*k) <= base + MERGE_WINDOW)
            .collect()
    }

    /// Of `kind` and `others`, the longest break becomes the one taken; the rest are covered.
    fn longest_of(&self, kind: BreakKind, others: Vec<BreakKind>) -> (BreakKind, Vec<BreakKind>) {
        let mut all = others;
        all.push(kind);
        let main = *all
            .iter()
            .max_by_key(|k| (self.plans.get(**k).duration, self.plans.get(**k).interval))
            .expect("at least one kind");
        let mut covers: Vec<_> = all.into_iter().filter(|k| *k != main).collect();
        covers.sort();
        (main, covers)
    }
}

fn secs(d: Duration) -> u32 {
    u32::try_from(d.as_secs()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
