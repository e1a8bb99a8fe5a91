//! A due break that waits to go on screen ([`Waiting`]): held while the person must not be
//! disturbed (do not disturb, a full-screen window), up to
//! [`Sensing::hold_limit`](super::Sensing::hold_limit), and briefly for a pause in typing.

use super::{secs, Countdown, Event, Phase, Scheduler};
use crate::clock::Now;
use crate::record::{BreakKind, Held};
use crate::senses::{HoldReason, Senses};
use std::time::Duration;

/// A due break waits at most this long for a pause in the person's typing.
pub const TYPING_WAIT: Duration = Duration::from_secs(5);
/// No input for this long is a pause in typing.
pub const TYPING_PAUSE: Duration = Duration::from_secs(1);
/// How often a held break asks again whether it may show.
pub const HOLD_RECHECK: Duration = Duration::from_secs(15);
/// How often a break waiting for a pause in typing looks again.
const TYPING_RECHECK: Duration = Duration::from_millis(500);

/// A due break that has not gone on screen yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// When it fell due (monotonic).
    since: Duration,
    /// The first reason it was held back, if it was.
    held: Option<HoldReason>,
    /// When to look again.
    pub(super) recheck: Duration,
    /// Since when it waits for a pause in typing.
    typing_from: Option<Duration>,
}

impl Scheduler {
    /// Why the due break is being held back, if it is.
    pub fn holding(&self) -> Option<HoldReason> {
        match self.phase {
            Phase::Working(Countdown::Waiting(w)) => w.held,
            _ => None,
        }
    }

    /// The break `kind`, due at monotonic `at`, has fallen due: it goes on screen now, or waits
    /// while the person must not be disturbed (up to
    /// [`Sensing::hold_limit`](super::Sensing::hold_limit)) or, briefly, for a pause in typing.
    /// `idle` is the idle time when [`Scheduler::tick`] has just read it.
    pub(super) fn show_when_free(
        &mut self,
        kind: BreakKind,
        at: Duration,
        idle: Option<Duration>,
        now: Now,
        senses: &mut dyn Senses,
        events: &mut Vec<Event>,
    ) {
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
            return;
        }
        let idle = match idle {
            Some(idle) => Some(idle),
            None => self.read_idle(now, senses, events),
        };
        if self.is_away() {
            return;
        }
        if now.mono.saturating_sub(waiting.since) < self.sensing.hold_limit {
            if let Some(reason) = senses.hold() {
                let w = self.waiting_mut().expect("set above");
                events.push(if w.held.is_none() { Event::Held { kind, reason } } else { Event::StillHeld { kind, reason } });
                w.held.get_or_insert(reason);
                w.recheck = now.mono.saturating_add(HOLD_RECHECK);
                return;
            }
        }
        if idle.is_some_and(|i| i < TYPING_PAUSE) {
            let w = self.waiting_mut().expect("set above");
            let typing_from = *w.typing_from.get_or_insert(now.mono);
            if now.mono.saturating_sub(typing_from) < TYPING_WAIT {
                w.recheck = now.mono.saturating_add(TYPING_RECHECK);
                return;
            }
        }
        let held = waiting.held.map(|reason| Held { reason, secs: secs(now.mono.saturating_sub(waiting.since)) });
        events.extend(self.start_due(kind, at, held, now));
    }

    /// The due break's wait, while there is one.
    fn waiting_mut(&mut self) -> Option<&mut Waiting> {
        match &mut self.phase {
            Phase::Working(Countdown::Waiting(w)) => Some(w),
            _ => None,
        }
    }
}
