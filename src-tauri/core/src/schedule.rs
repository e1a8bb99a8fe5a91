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
//! The scheduler asks [`Senses`] only when a decision needs the answer: the idle time when the
//! person could have become away or come back, and at a due break; do not disturb at a due
//! break. A due break waits while the person must not be disturbed (up to
//! [`Sensing::hold_limit`]) and, briefly, for a pause in typing.
//!
//! Deadlines run on the monotonic clock, so a wall-clock jump neither fires nor loses a break.
//! What is anchored to the wall clock (a pause until tomorrow morning) is re-anchored when the
//! runtime reports a jump or a sleep ([`Scheduler::wall_changed`], [`Scheduler::slept`]).

mod focus;
mod presence;

pub use focus::{FocusPlan, FocusRound, FocusStatus};
pub use presence::ScreenLock;

use crate::clock::Now;
use crate::record::{BreakKind, BreakRecord, Held, Outcome, Trigger};
use crate::senses::{HoldReason, Senses};
use chrono::{DateTime, Utc};
use focus::Focus;
use presence::{Away, Presence, AWAY_AFTER_MAX, AWAY_AFTER_MIN, SPAN_FLUSH};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Two kinds due within this much of each other are taken as one break (the longer).
pub const MERGE_WINDOW: Duration = Duration::from_secs(60);
/// A due break waits at most this long for a pause in the person's typing.
pub const TYPING_WAIT: Duration = Duration::from_secs(5);
/// No input for this long is a pause in typing.
pub const TYPING_PAUSE: Duration = Duration::from_secs(1);
/// How often a held break asks again whether it may show.
pub const HOLD_RECHECK: Duration = Duration::from_secs(15);
/// How often a break waiting for a pause in typing looks again.
const TYPING_RECHECK: Duration = Duration::from_millis(500);

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

/// How the schedule reacts to the person's presence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sensing {
    /// Away (idle, asleep) or paused this long: every timer starts afresh.
    pub idle_resets: Duration,
    /// Longest a due break waits while the person must not be disturbed; then it shows.
    pub hold_limit: Duration,
    /// Per kind ([`BreakKind::index`]): how long before the break the notice comes (zero: none).
    pub notice: [Duration; 3],
}

impl Default for Sensing {
    fn default() -> Self {
        Self {
            idle_resets: Duration::from_secs(5 * 60),
            hold_limit: Duration::from_secs(30 * 60),
            notice: [Duration::from_secs(10), Duration::from_secs(30), Duration::from_secs(30)],
        }
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
    /// How long it was held back before it showed, and why.
    pub held: Option<Held>,
    /// Time the machine slept during the break: it counts as break time.
    #[serde(skip)]
    pub asleep: Duration,
}

impl ActiveBreak {
    /// The monotonic time the break ends (what the countdown follows: a wall-clock change does
    /// not move it).
    pub fn ends_mono(&self) -> Duration {
        self.started_mono.saturating_add(self.planned).saturating_sub(self.asleep)
    }

    /// The wall time the break is planned to end.
    pub fn ends_at(&self) -> DateTime<Utc> {
        crate::clock::saturating_wall(self.started_at, chrono::Duration::from_std(self.planned).unwrap_or(chrono::Duration::MAX))
    }

    fn record(&self, outcome: Outcome, now: Now) -> BreakRecord {
        let actual = now.mono.saturating_sub(self.started_mono).saturating_add(self.asleep).min(self.planned);
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
            held: self.held,
            shown: None,
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
    /// Ends at a wall time ("until tomorrow 09:00"), rather than after a length of time.
    at_wall_time: bool,
}

/// A pause in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pause {
    pub since_mono: Duration,
    /// Time the machine slept during the pause: it counts toward its length.
    asleep: Duration,
    /// `None`: until resumed by hand.
    pub until: Option<PauseEnd>,
}

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
    /// On a break: put it off by [`Rules::postpone_by`] (only that break when `Some(id)`), if
    /// [`Scheduler::postpone_window`] allows. Working: put the next break off the same way.
    Postpone(Option<u64>),
    /// The user is back before the break's end (only that break when `Some(id)`): completed if
    /// at least half of it was taken, skipped otherwise.
    Finish(Option<u64>),
    /// New plans from the settings; elapsed active time is kept.
    SetPlans(Plans),
    /// Start focus mode: rounds of [`FocusPlan::work`], each ending in a focus break.
    StartFocus,
    /// Stop focus mode; a round under way is logged as not completed.
    StopFocus,
}

/// What the runtime must carry out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A break is near: tell the person (and offer to postpone it).
    Upcoming(NextBreak),
    /// A due break waits because the person must not be disturbed.
    Held { kind: BreakKind, reason: HoldReason },
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
}

/// An [`ActiveBreak`], boxed to keep [`Event`] small.
pub type BreakBox = Box<ActiveBreak>;

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
    #[error("there is no break to {0}: {1}")]
    NoNextBreak(&'static str, &'static str),
    #[error("{} breaks are strict: they run to the end", .0.title())]
    Strict(BreakKind),
    #[error("this {kind} break was already postponed {1} times in a row", kind = .0.title().to_lowercase())]
    PostponeLimit(BreakKind, u32),
    #[error("a break can be postponed only in its first half")]
    TooLateToPostpone,
    #[error("focus mode is already on")]
    AlreadyFocusing,
    #[error("focus mode is off")]
    NotFocusing,
    #[error("a focus break cannot be postponed: skip it, or stop focus mode")]
    FocusBreak,
}

/// The next break the schedule will start, as seen now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextBreak {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub at: DateTime<Utc>,
    pub in_time: Duration,
}

/// A due break that has not gone on screen yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// When it fell due (monotonic).
    since: Duration,
    /// The first reason it was held back, if it was.
    held: Option<HoldReason>,
    /// When to look again.
    recheck: Duration,
    /// Since when it waits for a pause in typing.
    typing_from: Option<Duration>,
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

    /// New [`Rules`] from the settings (a reload); the break on screen follows them too.
    pub fn set_rules(&mut self, rules: Rules) {
        self.rules = rules;
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

    /// Whether the break on screen may be postponed now; if so, for how much longer.
    pub fn postpone_window(&self, now: Now) -> Result<Duration, ScheduleError> {
        let Phase::OnBreak(brk) = &self.phase else { return Err(ScheduleError::NotOnBreak) };
        if brk.trigger == Trigger::Focus {
            return Err(ScheduleError::FocusBreak);
        }
        self.may_postpone(brk.kind)?;
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
        let count = self.postponed[kind.index()];
        if count >= self.rules.max_postpones {
            return Err(ScheduleError::PostponeLimit(kind, count));
        }
        Ok(())
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

    /// Why the due break is being held back, if it is.
    pub fn holding(&self) -> Option<HoldReason> {
        match self.phase {
            Phase::Working(Countdown::Waiting(w)) => w.held,
            _ => None,
        }
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

    /// When the next break falls due (monotonic), while working and present. Unlike
    /// [`Scheduler::next_deadline`], not the notice or an idle reading: the moment to prepare an
    /// overlay for.
    pub fn next_due_mono(&self) -> Option<Duration> {
        (self.phase.is_working() && !self.is_away()).then(|| self.next_due().map(|(_, at)| at)).flatten()
    }

    /// The next monotonic instant at which [`Scheduler::tick`] has something to do, if any.
    pub fn next_deadline(&self) -> Option<Duration> {
        let phase = match &self.phase {
            Phase::Working(_) if self.is_away() => None,
            Phase::Working(Countdown::Waiting(w)) => Some(w.recheck),
            Phase::Working(countdown) => self.next_due().map(|(_, at)| match self.notice_at(at) {
                Some(notice) if *countdown != Countdown::Noticed(at) => notice,
                _ => at,
            }),
            Phase::OnBreak(b) => Some(b.ends_mono()),
            Phase::Paused(p) => p.until.map(|u| u.mono),
        };
        let tracking = !matches!(self.phase, Phase::OnBreak(_));
        let read = self.presence.next_read.filter(|_| tracking && (self.presence.known || self.is_away()));
        [phase, read].into_iter().flatten().min()
    }

    /// Brings the state up to `now`: notices the person leaving or coming back, starts breaks
    /// that are due (unless held), ends breaks whose time is up, ends pauses. Call it at
    /// [`Scheduler::next_deadline`] (calling it early is harmless).
    pub fn tick(&mut self, now: Now, senses: &mut dyn Senses) -> Vec<Event> {
        let mut events = Vec::new();
        if let Phase::Paused(pause @ Pause { until: Some(until), .. }) = self.phase {
            if until.mono <= now.mono {
                self.resume_from_pause(pause, now);
            }
        }
        if let Phase::OnBreak(brk) = &self.phase {
            if brk.ends_mono() <= now.mono {
                events.extend(self.end_break(Outcome::Completed, now));
            }
        }
        if matches!(self.phase, Phase::OnBreak(_)) {
            return events;
        }
        let mut idle = None;
        if self.presence.next_read.is_some_and(|at| at <= now.mono) || (self.is_away() && !self.presence.known) {
            idle = self.read_idle(now, senses, &mut events);
        }
        self.flush_span(now, &mut events);
        if !self.phase.is_working() || self.is_away() {
            return events;
        }
        self.accrue(now);
        let Some((kind, at)) = self.next_due() else { return events };
        if at > now.mono {
            if self.notice_at(at).is_some_and(|n| n <= now.mono) && self.phase != Phase::Working(Countdown::Noticed(at)) {
                self.phase = Phase::Working(Countdown::Noticed(at));
                events.extend(self.next_break(now).map(Event::Upcoming));
            }
            return events;
        }
        // Due. Is the person here, free to be interrupted, and not in mid-sentence?
        let waiting = match self.waiting_mut() {
            Some(w) => *w,
            None => {
                let w = Waiting { since: now.mono, held: None, recheck: now.mono, typing_from: None };
                self.phase = Phase::Working(Countdown::Waiting(w));
                w
            }
        };
        if waiting.recheck > now.mono {
            return events;
        }
        let idle = match idle {
            Some(idle) => Some(idle),
            None => self.read_idle(now, senses, &mut events),
        };
        if self.is_away() {
            return events;
        }
        if now.mono.saturating_sub(waiting.since) < self.sensing.hold_limit {
            if let Some(reason) = senses.hold() {
                let w = self.waiting_mut().expect("set above");
                if w.held.is_none() {
                    events.push(Event::Held { kind, reason });
                }
                w.held.get_or_insert(reason);
                w.recheck = now.mono.saturating_add(HOLD_RECHECK);
                return events;
            }
        }
        if idle.is_some_and(|i| i < TYPING_PAUSE) {
            let w = self.waiting_mut().expect("set above");
            let typing_from = *w.typing_from.get_or_insert(now.mono);
            if now.mono.saturating_sub(typing_from) < TYPING_WAIT {
                w.recheck = now.mono.saturating_add(TYPING_RECHECK);
                return events;
            }
        }
        let held = waiting.held.map(|reason| Held { reason, secs: secs(now.mono.saturating_sub(waiting.since)) });
        events.extend(self.start_due(kind, at, held, now));
        events
    }

    /// Applies a user command at `now`. Follow it with [`Scheduler::tick`].
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
                if self.rules.strict[brk.kind.index()] {
                    return Err(ScheduleError::Strict(brk.kind));
                }
                // Back early: it counts as taken once at least half of it was.
                let half_done = now.mono >= brk.started_mono.saturating_add(brk.planned / 2);
                Ok(self.end_break(if half_done { Outcome::Completed } else { Outcome::Skipped }, now))
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

    /// The person's machine slept for `slept` (the monotonic clock did not see it), ending at
    /// `now`. Sleep is time away; a break on screen counts it as break time; wall-anchored
    /// pauses are re-anchored.
    pub fn slept(&mut self, slept: Duration, now: Now) {
        match &mut self.phase {
            Phase::OnBreak(brk) => brk.asleep += slept,
            Phase::Paused(pause) => {
                if let Some(until) = &mut pause.until {
                    until.mono = if until.at_wall_time { now.mono_at(until.wall) } else { until.mono.saturating_sub(slept).max(now.mono) };
                }
                pause.asleep += slept;
            }
            Phase::Working(_) => {}
        }
        if matches!(self.phase, Phase::OnBreak(_)) {
            return;
        }
        self.replan(now);
        let before = now.wall - chrono::Duration::from_std(slept).unwrap_or_default();
        if self.presence.away.is_none() {
            self.close_span(now.mono, before, &mut Vec::new());
        }
        let away = self.presence.away.get_or_insert(Away {
            since: now.mono,
            since_wall: before,
            seen_until: now.mono,
            seen_until_wall: now.wall,
            slept: Duration::ZERO,
        });
        away.slept += slept;
        away.seen_until = now.mono;
        away.seen_until_wall = now.wall;
        self.presence.next_read = Some(now.mono);
    }

    /// The screen was locked or unlocked. Locked time is time away, even where the idle time
    /// cannot tell (no idle data, or a lock screen that takes input).
    pub fn screen(&mut self, lock: ScreenLock, now: Now) -> Vec<Event> {
        let mut events = Vec::new();
        self.presence.locked = lock == ScreenLock::Locked;
        if self.presence.locked && self.presence.away.is_none() && !matches!(self.phase, Phase::OnBreak(_)) {
            self.go_away(now.mono, now.wall, now, &mut events);
        }
        self.presence.next_read = Some(now.mono);
        events
    }

    /// The wall clock moved by itself (changed by hand, NTP, a time zone change): re-anchors
    /// what is anchored to it. Deadlines that are lengths of time keep running.
    pub fn wall_changed(&mut self, now: Now) {
        if let Phase::Paused(Pause { until: Some(until), .. }) = &mut self.phase {
            if until.at_wall_time {
                until.mono = now.mono_at(until.wall);
            }
        }
    }

    /// Ends the break on screen, if any, as `interrupted`, and closes the active span (Respite
    /// is stopping).
    pub fn interrupt(&mut self, now: Now) -> Vec<Event> {
        let mut events = Vec::new();
        if matches!(self.phase, Phase::OnBreak(_)) {
            events.extend(self.end_break(Outcome::Interrupted, now));
        }
        if let Some(focus) = self.focus {
            if focus.worked > Duration::ZERO {
                events.push(Event::FocusRound(focus.stopped(now.wall)));
            }
        }
        self.close_span(now.mono, now.wall, &mut events);
        events
    }

    /// The break the schedule will start next, if working and any kind is enabled.
    pub fn next_break(&self, now: Now) -> Option<NextBreak> {
        if !self.phase.is_working() {
            return None;
        }
        let mut probe = self.clone();
        probe.accrue(now);
        let (kind, at) = probe.next_due()?;
        let due_now = Now { mono: at.max(now.mono), wall: now.wall_at(at.max(now.mono)) };
        if self.focus.is_some() {
            let (kind, covers, _) = probe.focus_break();
            return Some(NextBreak { kind, covers, at: due_now.wall, in_time: at.saturating_sub(now.mono) });
        }
        // Seen from the moment it falls due, which kinds merge into it.
        let mut at_due = probe.clone();
        at_due.accrue(due_now);
        let covers = at_due.merged_with(kind);
        let (kind, covers) = at_due.longest_of(kind, covers);
        Some(NextBreak { kind, covers, at: due_now.wall, in_time: at.saturating_sub(now.mono) })
    }

    /// Active time elapsed toward each kind's next break.
    pub fn elapsed(&self, kind: BreakKind) -> Duration {
        self.elapsed[kind.index()]
    }

    fn notice_at(&self, due: Duration) -> Option<Duration> {
        let kind = self.next_due()?.0;
        let lead = self.sensing.notice[kind.index()];
        (!lead.is_zero()).then(|| due.saturating_sub(lead))
    }

    /// Idle shorter than this is active time; longer is away. The shortest enabled break.
    fn away_after(&self) -> Duration {
        self.plans.enabled().map(|k| self.plans.get(k).duration).min().unwrap_or(AWAY_AFTER_MAX).clamp(AWAY_AFTER_MIN, AWAY_AFTER_MAX)
    }

    /// Reads the idle time and updates presence: the person left, is still away, came back.
    fn read_idle(&mut self, now: Now, senses: &mut dyn Senses, events: &mut Vec<Event>) -> Option<Duration> {
        let idle = senses.idle_for();
        self.presence.known = idle.is_some();
        let threshold = self.away_after();
        match (idle, self.presence.away) {
            (_, Some(_)) if self.presence.locked => {
                if let Some(away) = &mut self.presence.away {
                    away.seen_until = now.mono;
                    away.seen_until_wall = now.wall;
                }
            }
            (None, Some(_)) => self.come_back(events),
            (None, None) => {}
            (Some(idle), None) if idle >= threshold => {
                let since = now.mono.saturating_sub(idle);
                self.go_away(since, now.wall_at(since), now, events);
            }
            (Some(_), None) => {}
            (Some(idle), Some(away)) => {
                if now.mono.saturating_sub(idle) > away.seen_until || (idle < threshold && away.slept > Duration::ZERO) {
                    self.come_back(events);
                } else if let Some(away) = &mut self.presence.away {
                    away.seen_until = now.mono;
                    away.seen_until_wall = now.wall;
                }
            }
        }
        self.presence.next_read = match (idle, self.presence.away) {
            (None, Some(_)) if self.presence.locked => None,
            (None, _) => None,
            (Some(_), Some(_)) => Some(now.mono.saturating_add(threshold)),
            (Some(idle), None) => Some(now.mono.saturating_add(threshold.saturating_sub(idle).max(TYPING_PAUSE))),
        };
        idle
    }

    /// The person has been idle since `since`: stop counting there.
    fn go_away(&mut self, since: Duration, since_wall: DateTime<Utc>, now: Now, events: &mut Vec<Event>) {
        if self.phase.is_working() {
            self.replan(now);
            let overcounted = self.counted_to.saturating_sub(since);
            for e in &mut self.elapsed {
                *e = e.saturating_sub(overcounted);
            }
            if let Some(focus) = &mut self.focus {
                focus.worked = focus.worked.saturating_sub(overcounted);
            }
        }
        self.close_span(since, since_wall, events);
        self.presence.away = Some(Away { since, since_wall, seen_until: now.mono, seen_until_wall: now.wall, slept: Duration::ZERO });
    }

    /// The person is back: an absence as long as a break counts as that break, taken
    /// naturally; a long one starts every timer afresh.
    fn come_back(&mut self, events: &mut Vec<Event>) {
        let Some(away) = self.presence.away.take() else { return };
        let back = away.seen_until;
        self.presence.span_from = Some((back, away.seen_until_wall));
        self.counted_to = back.max(self.counted_to);
        if !self.phase.is_working() {
            return;
        }
        let length = away.length();
        let rested: Vec<BreakKind> = self
            .plans
            .enabled()
            .filter(|k| length >= self.plans.get(*k).duration || length >= self.sensing.idle_resets)
            .collect();
        // Logged only for kinds that were at least half way to their break: a short absence
        // soon after a break replaced no break.
        let replaced: Vec<BreakKind> = rested.iter().copied().filter(|k| self.elapsed[k.index()] >= self.plans.get(*k).interval / 2).collect();
        if length >= self.sensing.idle_resets {
            self.elapsed = [Duration::ZERO; 3];
            self.postponed = [0; 3];
        }
        for kind in &rested {
            self.elapsed[kind.index()] = Duration::ZERO;
            self.postponed[kind.index()] = 0;
        }
        if let Some(&first) = replaced.first() {
            let (kind, covers) = self.longest_of(first, replaced[1..].to_vec());
            events.push(Event::Logged(BreakRecord {
                kind,
                covers,
                trigger: Trigger::Scheduled,
                due_at: away.since_wall,
                started_at: Some(away.since_wall),
                ended_at: away.seen_until_wall,
                planned_secs: secs(self.plans.get(kind).duration),
                actual_secs: secs(length),
                outcome: Outcome::Natural,
                held: None,
                shown: None,
            }));
        }
    }

    /// Logs the active span so far, up to `end`, and stops counting one.
    fn close_span(&mut self, end: Duration, end_wall: DateTime<Utc>, events: &mut Vec<Event>) {
        if let Some((from, from_wall)) = self.presence.span_from.take() {
            if end > from && end_wall > from_wall {
                events.push(Event::Active { start: from_wall, end: end_wall });
            }
        }
    }

    /// Writes out a long active span in pieces, so a crash loses little of it.
    fn flush_span(&mut self, now: Now, events: &mut Vec<Event>) {
        if self.presence.span_from.is_some_and(|(from, _)| now.mono >= from.saturating_add(SPAN_FLUSH)) {
            self.close_span(now.mono, now.wall, events);
            self.presence.span_from = Some((now.mono, now.wall));
        }
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

    fn covered_by(&self, kind: BreakKind, length: Duration) -> Vec<BreakKind> {
        self.plans.enabled().filter(|k| *k != kind && self.plans.get(*k).duration <= length).collect()
    }

    /// Starts the break due at monotonic `at`.
    fn start_due(&mut self, kind: BreakKind, at: Duration, held: Option<Held>, now: Now) -> Vec<Event> {
        let due_at = now.wall_at(at);
        if let Some(focus) = self.focus {
            let (kind, covers, planned) = self.focus_break();
            let mut events = vec![Event::FocusRound(focus.completed(now.wall))];
            events.extend(self.start(kind, covers, Trigger::Focus, due_at, planned, held, now));
            return events;
        }
        let (kind, covers) = self.longest_of(kind, self.merged_with(kind));
        let planned = self.plans.get(kind).duration;
        self.start(kind, covers, Trigger::Scheduled, due_at, planned, held, now)
    }

    /// The break that ends the current focus round: short, or long after the cycle's last.
    fn focus_break(&self) -> (BreakKind, Vec<BreakKind>, Duration) {
        let last = self.focus.is_some_and(|f| f.is_last_round(&self.focus_plan));
        let (kind, planned) =
            if last { (BreakKind::Walk, self.focus_plan.long_break) } else { (BreakKind::Stretch, self.focus_plan.short_break) };
        (kind, self.covered_by(kind, planned), planned)
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

    fn resume_from_pause(&mut self, pause: Pause, now: Now) {
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
                if self.rules.strict[brk.kind.index()] {
                    return Err(ScheduleError::Strict(brk.kind));
                }
                self.check_on_break(id)?;
                Ok(self.end_break(Outcome::Skipped, now))
            }
            Phase::Paused(_) => Err(ScheduleError::NoNextBreak("skip", "Respite is paused")),
            Phase::Working(_) => {
                if let Some(id) = id {
                    return Err(ScheduleError::StaleBreak(id));
                }
                let next = self.next_break(now).ok_or(ScheduleError::NoNextBreak("skip", "every kind is off"))?;
                if self.focus.is_some() {
                    return Err(ScheduleError::NoNextBreak("skip", "focus breaks come at the end of each round"));
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
                let events = self.end_break(Outcome::Postponed, now);
                let Some(Event::BreakEnded { record, .. }) = events.first() else { unreachable!("a break was on screen") };
                let record = record.clone();
                self.put_off(&record);
                return Ok(events);
            }
            Phase::Paused(_) => return Err(ScheduleError::NoNextBreak("postpone", "Respite is paused")),
            Phase::Working(_) => {
                if let Some(id) = id {
                    return Err(ScheduleError::StaleBreak(id));
                }
                if self.focus.is_some() {
                    return Err(ScheduleError::NoNextBreak("postpone", "focus breaks come at the end of each round"));
                }
                let next = self.next_break(now).ok_or(ScheduleError::NoNextBreak("postpone", "every kind is off"))?;
                self.may_postpone(next.kind)?;
                self.replan(now);
                self.not_shown(&next, Outcome::Postponed, now)
            }
        };
        self.put_off(&record);
        Ok(vec![Event::Logged(record)])
    }

    /// After a postpone: the kinds of `record` fall due again in [`Rules::postpone_by`].
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

    #[allow(clippy::too_many_arguments)]
    fn start(
        &mut self,
        kind: BreakKind,
        covers: Vec<BreakKind>,
        trigger: Trigger,
        due_at: DateTime<Utc>,
        planned: Duration,
        held: Option<Held>,
        now: Now,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        self.close_span(now.mono, now.wall, &mut events);
        self.presence.away = None;
        let brk = ActiveBreak { id: self.next_id, kind, covers, trigger, due_at, started_at: now.wall, started_mono: now.mono, planned, held, asleep: Duration::ZERO };
        self.next_id += 1;
        self.phase = Phase::OnBreak(brk.clone());
        events.push(Event::BreakStarted(Box::new(brk)));
        events
    }

    /// Ends the break on screen with `outcome`; the kinds it covered start counting afresh.
    fn end_break(&mut self, outcome: Outcome, now: Now) -> Vec<Event> {
        let Phase::OnBreak(brk) = std::mem::replace(&mut self.phase, Phase::Working(Countdown::Counting)) else {
            unreachable!("end_break called while not on a break");
        };
        for kind in brk.kinds() {
            self.elapsed[kind.index()] = Duration::ZERO;
            if outcome != Outcome::Postponed {
                self.postponed[kind.index()] = 0;
            }
        }
        if brk.trigger == Trigger::Focus && outcome != Outcome::Interrupted {
            if let Some(focus) = &mut self.focus {
                focus.next_round(&self.focus_plan, now.wall);
            }
        }
        self.counted_to = now.mono;
        self.presence.span_from = Some((now.mono, now.wall));
        self.presence.next_read = self.presence.known.then(|| now.mono.saturating_add(self.away_after()));
        vec![Event::BreakEnded { id: brk.id, record: brk.record(outcome, now) }]
    }

    /// Adds the working time since `counted_to` to every kind (and the focus round).
    fn accrue(&mut self, now: Now) {
        let worked = now.mono.saturating_sub(self.counted_to);
        if self.phase.is_working() && !self.is_away() {
            for kind in BreakKind::ALL {
                self.elapsed[kind.index()] += worked;
            }
            if let Some(focus) = &mut self.focus {
                focus.worked += worked;
            }
        }
        self.counted_to = self.counted_to.max(now.mono);
    }

    /// The next break changes, or the person left: counts the work up to `now`, and a due
    /// break that waited to show waits no more (a notice already given stands).
    fn replan(&mut self, now: Now) {
        self.accrue(now);
        if let Phase::Working(countdown @ Countdown::Waiting(_)) = &mut self.phase {
            *countdown = Countdown::Counting;
        }
    }

    /// The due break's wait, while there is one.
    fn waiting_mut(&mut self) -> Option<&mut Waiting> {
        match &mut self.phase {
            Phase::Working(Countdown::Waiting(w)) => Some(w),
            _ => None,
        }
    }

    fn remaining(&self, kind: BreakKind) -> Duration {
        self.plans.get(kind).interval.saturating_sub(self.elapsed[kind.index()])
    }

    /// The kind that falls due first (ties: the longer break), and when. In focus mode, the
    /// end of the round.
    fn next_due(&self) -> Option<(BreakKind, Duration)> {
        if let Some(focus) = &self.focus {
            return Some((self.focus_break().0, self.counted_to + self.focus_plan.work.saturating_sub(focus.worked)));
        }
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

#[cfg(test)]
mod real_life;
