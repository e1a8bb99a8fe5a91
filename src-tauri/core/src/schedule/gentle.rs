//! Gentle mode: a break delivered as a notification (`style = "notification"`) instead of the
//! overlay. Nothing covers the screen, so the person may go on working; what the break became
//! is read from their presence, which the scheduler keeps following during it:
//! - **taken** (`completed`) when they are away (idle, the screen locked, asleep) for the break's
//!   whole length, counted from its start at the earliest; or when they say Done once that
//!   length has passed since the notification came ([`Command::Finish`](super::Command::Finish));
//! - **skipped** when they say Skip, say Done before its length has passed, or answer nothing and
//!   stay at the screen until the offer ends, [`GENTLE_ANSWER`] after its length.
//!
//! Their screen time goes on being counted through it, since they may be at the screen.

use super::{Event, Phase, Scheduler};
use crate::clock::Now;
use crate::record::{Outcome, Style};
use crate::senses::Senses;
use std::time::Duration;

/// How long after its length a notification-style break still waits for the person to step
/// away or answer, before it ends as skipped.
pub const GENTLE_ANSWER: Duration = Duration::from_secs(2 * 60);

impl Scheduler {
    /// Brings the notification-style break on screen up to `now`: reads the idle time when it
    /// can change the answer, and ends the break when it is taken or its offer is over.
    pub(super) fn gentle_tick(&mut self, now: Now, senses: &mut dyn Senses) -> Vec<Event> {
        let mut events = Vec::new();
        let Phase::OnBreak(brk) = &self.phase else { return events };
        let (planned, asleep, offer_ends) = (brk.planned, brk.asleep, brk.ends_mono());
        if asleep >= planned {
            events.extend(self.end_break(Outcome::Completed, now));
            return events;
        }
        let due = |at: Option<Duration>| at.is_some_and(|at| at <= now.mono);
        if due(self.presence.next_read) || due(self.gentle_check_at()) {
            self.read_idle(now, senses, &mut events);
        }
        self.flush_span(now, &mut events);
        if self.away_on_break().is_some_and(|away| away >= planned) {
            events.extend(self.end_break(Outcome::Completed, now));
        } else if offer_ends <= now.mono {
            events.extend(self.end_break(Outcome::Skipped, now));
        }
        events
    }

    /// While away during a notification-style break: the moment the absence (counted from the
    /// break's start at the earliest) reaches the break's length, to read the idle time then.
    pub(super) fn gentle_check_at(&self) -> Option<Duration> {
        let Phase::OnBreak(brk) = &self.phase else { return None };
        let away = self.presence.away.filter(|_| brk.style == Style::Notification)?;
        let from = away.since.max(brk.started_mono);
        Some(from.saturating_add(brk.planned).saturating_sub(away.slept).max(away.seen_until))
    }

    /// How long the person has been away during the break on screen, as far as is known.
    fn away_on_break(&self) -> Option<Duration> {
        let Phase::OnBreak(brk) = &self.phase else { return None };
        let away = self.presence.away?;
        Some(away.seen_until.saturating_sub(away.since.max(brk.started_mono)).saturating_add(away.slept))
    }
}
