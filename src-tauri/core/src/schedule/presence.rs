//! Whether the person is at the screen, as the scheduler tracks it between readings of the
//! idle time: when the current active span began, whether they are away and since when, and
//! when the next reading is needed.
//!
//! A reading is needed only when it can change a decision. While present, that is the moment
//! the idle time could first reach the away threshold if no input came; while away, a reading
//! every threshold's length notices the return. An absence is measured conservatively, from the
//! last input to the last reading that still saw the person idle.
//!
//! Besides that state, this file holds the scheduler's side of it: reading the idle time, the
//! person leaving and coming back (an absence as long as a break is that break, taken
//! naturally), sleep, the screen lock, and the active spans logged as screen time.

use super::{secs, Event, Phase, Scheduler, TYPING_PAUSE};
use crate::clock::Now;
use crate::record::{BreakKind, BreakRecord, Outcome, Style, Trigger};
use crate::senses::Senses;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Idle at least this long is away; shorter pauses (reading, thinking) are active time. The
/// scheduler uses the shortest enabled break's length, kept within these bounds.
pub const AWAY_AFTER_MIN: Duration = Duration::from_secs(5);
pub const AWAY_AFTER_MAX: Duration = Duration::from_secs(60);
/// An active span is written out in pieces of about this length (at the first tick after), so
/// a crash loses little screen time.
pub const SPAN_FLUSH: Duration = Duration::from_secs(15 * 60);

/// Whether the screen is locked, as the session reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenLock {
    Locked,
    Unlocked,
}

/// An absence in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Away {
    /// Monotonic time of the last input before it.
    pub since: Duration,
    pub since_wall: DateTime<Utc>,
    /// The last reading that still saw the person idle.
    pub seen_until: Duration,
    pub seen_until_wall: DateTime<Utc>,
    /// Time asleep (suspended) within it; the monotonic clock does not see it.
    pub slept: Duration,
}

impl Away {
    /// How long the absence lasted, as far as is known.
    pub fn length(&self) -> Duration {
        self.seen_until.saturating_sub(self.since) + self.slept
    }
}

/// See the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Presence {
    /// Whether the last reading had idle data. Without it, nobody is ever away.
    pub known: bool,
    /// When the next reading is needed (monotonic); `None`: none is.
    pub next_read: Option<Duration>,
    pub away: Option<Away>,
    /// Start of the active span being counted; `None` while away or on a break.
    pub span_from: Option<(Duration, DateTime<Utc>)>,
    /// The screen is locked: away, whatever the idle time says.
    pub locked: bool,
}

impl Presence {
    pub fn new(mono: Duration, wall: DateTime<Utc>) -> Self {
        // Read once at the first tick to learn whether there is idle data at all.
        Self { known: false, next_read: Some(mono), away: None, span_from: Some((mono, wall)), locked: false }
    }
}

impl Scheduler {
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
        self.reanchor_timetable(now);
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
        let overlay_on = matches!(&self.phase, Phase::OnBreak(b) if b.style == Style::Overlay);
        if self.presence.locked && self.presence.away.is_none() && !overlay_on {
            self.go_away(now.mono, now.wall, now, &mut events);
        }
        self.presence.next_read = Some(now.mono);
        events
    }

    /// Idle shorter than this is active time; longer is away. The shortest enabled break.
    pub(super) fn away_after(&self) -> Duration {
        self.plans.enabled().map(|k| self.plans.get(k).duration).min().unwrap_or(AWAY_AFTER_MAX).clamp(AWAY_AFTER_MIN, AWAY_AFTER_MAX)
    }

    /// Reads the idle time and updates presence: the person left, is still away, came back.
    pub(super) fn read_idle(&mut self, now: Now, senses: &mut dyn Senses, events: &mut Vec<Event>) -> Option<Duration> {
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
                style: Default::default(),
            }));
        }
    }

    /// Logs the active span so far, up to `end`, and stops counting one.
    pub(super) fn close_span(&mut self, end: Duration, end_wall: DateTime<Utc>, events: &mut Vec<Event>) {
        if let Some((from, from_wall)) = self.presence.span_from.take() {
            if end > from && end_wall > from_wall {
                self.budget_count(from_wall, end_wall);
                events.push(Event::Active { start: from_wall, end: end_wall });
            }
        }
    }

    /// Writes out a long active span in pieces, so a crash loses little of it.
    pub(super) fn flush_span(&mut self, now: Now, events: &mut Vec<Event>) {
        if self.presence.span_from.is_some_and(|(from, _)| now.mono >= from.saturating_add(SPAN_FLUSH)) {
            self.close_span(now.mono, now.wall, events);
            self.presence.span_from = Some((now.mono, now.wall));
        }
    }
}
