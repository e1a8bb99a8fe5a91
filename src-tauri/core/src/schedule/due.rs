//! Breaks falling due, starting and ending: [`Scheduler::tick`] (a pause that ends, a break
//! whose time is up, the notice before a break, a break that is due), the break on screen
//! ([`ActiveBreak`]) and its record, and [`Scheduler::interrupt`] when Respite stops.

use super::gentle::GENTLE_ANSWER;
use super::{secs, Countdown, Event, Pause, Phase, Scheduler};
use crate::clock::Now;
use crate::record::{BreakKind, BreakRecord, Held, Outcome, Style, Trigger};
use crate::senses::Senses;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

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
    /// No postpone, skip or early finish.
    pub strict: bool,
    /// The overlay, or gentle mode's notification ([`Scheduler::gentle_tick`] ends those).
    pub style: Style,
    /// A reminder the person set, shown with the break.
    pub tip: Option<String>,
    /// Time the machine slept during the break: it counts as break time.
    #[serde(skip)]
    pub asleep: Duration,
}

impl ActiveBreak {
    /// The monotonic time the break ends (what the countdown follows: a wall-clock change does
    /// not move it). A notification-style break is offered [`GENTLE_ANSWER`] longer: until then
    /// the person may still step away or say Done.
    pub fn ends_mono(&self) -> Duration {
        let end = self.started_mono.saturating_add(self.planned);
        match self.style {
            Style::Overlay => end.saturating_sub(self.asleep),
            Style::Notification => end.saturating_add(GENTLE_ANSWER),
        }
    }

    /// The wall time the break is planned to end.
    pub fn ends_at(&self) -> DateTime<Utc> {
        crate::clock::saturating_wall(self.started_at, chrono::Duration::from_std(self.planned).unwrap_or(chrono::Duration::MAX))
    }

    pub(super) fn record(&self, outcome: Outcome, now: Now) -> BreakRecord {
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
            style: self.style,
        }
    }

    fn kinds(&self) -> impl Iterator<Item = BreakKind> + '_ {
        std::iter::once(self.kind).chain(self.covers.iter().copied())
    }
}

impl Scheduler {
    /// Brings the state up to `now`: notices the person leaving or coming back, starts breaks
    /// that are due (unless held), ends breaks whose time is up, ends pauses. Call it at
    /// [`Scheduler::next_deadline`] (calling it early is harmless).
    pub fn tick(&mut self, now: Now, senses: &mut dyn Senses) -> Vec<Event> {
        let mut events = Vec::new();
        self.apply_timetable(now);
        if let Phase::Paused(pause @ Pause { until: Some(until), .. }) = self.phase {
            if until.mono <= now.mono {
                self.resume_from_pause(pause, now);
            }
        }
        if let Phase::OnBreak(brk) = &self.phase {
            if brk.style == Style::Notification {
                events.extend(self.gentle_tick(now, senses));
            } else if brk.ends_mono() <= now.mono {
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
        self.apply_budget(now, &mut events);
        if !self.phase.is_working() || self.is_away() {
            return events;
        }
        self.accrue(now);
        if self.timetable_state.allowed {
            self.apply_reminders(now, &mut events);
        }
        let set = self.timetable_state.due.as_ref().map(|set| (set.kind, set.due_mono));
        let Some((kind, at)) = set.or_else(|| self.next_due()) else { return events };
        if at > now.mono {
            if self.notice_at(at).is_some_and(|n| n <= now.mono) && self.phase != Phase::Working(Countdown::Noticed(at)) {
                self.phase = Phase::Working(Countdown::Noticed(at));
                events.extend(self.next_break(now).map(Event::Upcoming));
            }
            return events;
        }
        self.show_when_free(kind, at, idle, now, senses, &mut events);
        events
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

    /// Starts the break due at monotonic `at`.
    pub(super) fn start_due(&mut self, kind: BreakKind, at: Duration, held: Option<Held>, now: Now) -> Vec<Event> {
        if let Some(set) = self.timetable_state.due.take() {
            let covers = self.covered_by(set.kind, set.planned);
            return self.start(set.kind, covers, set.trigger, set.due_wall, set.planned, held, now);
        }
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

    #[allow(clippy::too_many_arguments)]
    pub(super) fn start(
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
        // The budget's break says the day's screen time is reached: always on screen.
        let style = if trigger == Trigger::Budget { Style::Overlay } else { self.rules.style[kind.index()] };
        if style == Style::Overlay {
            self.close_span(now.mono, now.wall, &mut events);
            self.presence.away = None;
        }
        let strict = if trigger == Trigger::Budget { self.budget.strict } else { self.rules.strict[kind.index()] };
        let tip = self.take_tip();
        let brk = ActiveBreak {
            id: self.next_id,
            kind,
            covers,
            trigger,
            due_at,
            started_at: now.wall,
            started_mono: now.mono,
            planned,
            held,
            strict,
            style,
            tip,
            asleep: Duration::ZERO,
        };
        self.next_id += 1;
        self.phase = Phase::OnBreak(brk.clone());
        events.push(Event::BreakStarted(Box::new(brk)));
        events
    }

    /// Ends the break on screen with `outcome`; the kinds it covered start counting afresh.
    pub(super) fn end_break(&mut self, outcome: Outcome, now: Now) -> Vec<Event> {
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
        match brk.style {
            Style::Overlay => {
                self.presence.span_from = Some((now.mono, now.wall));
                self.presence.next_read = self.presence.known.then(|| now.mono.saturating_add(self.away_after()));
            }
            // Presence was followed all along: someone still away comes back as usual; someone
            // at the screen goes on with the span they were in.
            Style::Notification => {
                if self.presence.away.is_none() && self.presence.span_from.is_none() {
                    self.presence.span_from = Some((now.mono, now.wall));
                }
            }
        }
        vec![Event::BreakEnded { id: brk.id, record: brk.record(outcome, now) }]
    }
}
