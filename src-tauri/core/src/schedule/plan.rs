//! The plan: when and how long each kind of break comes ([`KindPlan`], [`Plans`]), what the
//! user may do to a break ([`Rules`]), how the schedule reacts to presence ([`Sensing`]); and,
//! from them, the scheduler's arithmetic: active time counted, which kind falls due next and
//! which merge into it, the next break as seen now, and the next deadline.

use super::{Countdown, NextBreak, Phase, Scheduler};
use crate::clock::Now;
use crate::record::{BreakKind, Style};
use std::time::Duration;

/// Two kinds due within this much of each other are taken as one break (the longer).
pub const MERGE_WINDOW: Duration = Duration::from_secs(60);

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

    pub(super) fn enabled(&self) -> impl Iterator<Item = BreakKind> + '_ {
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
    /// Per kind: the overlay, or gentle mode's notification.
    pub style: [Style; 3],
}

impl Default for Rules {
    fn default() -> Self {
        Self { postpone_by: Duration::from_secs(5 * 60), max_postpones: 2, strict: [false; 3], style: [Style::Overlay; 3] }
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

impl Scheduler {
    /// When the next break falls due (monotonic), while working and present, if it comes as an
    /// overlay. Unlike [`Scheduler::next_deadline`], not the notice or an idle reading: the
    /// moment to prepare an overlay for.
    pub fn next_due_mono(&self) -> Option<Duration> {
        let overlay = |kind: BreakKind| self.rules.style[kind.index()] == Style::Overlay;
        let (kind, at) = self.next_due().filter(|_| self.phase.is_working() && !self.is_away())?;
        (overlay(kind) || self.merged_with(kind).into_iter().any(overlay)).then_some(at)
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
            Phase::OnBreak(b) => [Some(b.ends_mono()), self.gentle_check_at()].into_iter().flatten().min(),
            Phase::Paused(p) => p.until.map(|u| u.mono),
        };
        // The person's presence is followed, except under the overlay (they are on a break).
        let tracking = !matches!(&self.phase, Phase::OnBreak(b) if b.style == Style::Overlay);
        let read = self.presence.next_read.filter(|_| tracking && (self.presence.known || self.is_away()));
        [phase, read, self.timetable_deadline(), self.budget_deadline(), self.reminders_deadline()].into_iter().flatten().min()
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

    pub(super) fn notice_at(&self, due: Duration) -> Option<Duration> {
        let kind = self.next_due()?.0;
        let lead = self.sensing.notice[kind.index()];
        (!lead.is_zero()).then(|| due.saturating_sub(lead))
    }

    /// Adds the working time since `counted_to` to every kind (and the focus round).
    pub(super) fn accrue(&mut self, now: Now) {
        let worked = now.mono.saturating_sub(self.counted_to);
        if self.phase.is_working() && !self.is_away() {
            if self.timetable_state.allowed {
                for kind in BreakKind::ALL {
                    self.elapsed[kind.index()] = self.elapsed[kind.index()].saturating_add(worked);
                }
                self.accrue_reminders(worked);
            }
            if let Some(focus) = &mut self.focus {
                focus.worked = focus.worked.saturating_add(worked);
            }
        }
        self.counted_to = self.counted_to.max(now.mono);
    }

    /// The next break changes, or the person left: counts the work up to `now`, and a due
    /// break that waited to show waits no more (a notice already given stands).
    pub(super) fn replan(&mut self, now: Now) {
        self.accrue(now);
        if let Phase::Working(countdown @ Countdown::Waiting(_)) = &mut self.phase {
            *countdown = Countdown::Counting;
        }
    }

    fn remaining(&self, kind: BreakKind) -> Duration {
        self.plans.get(kind).interval.saturating_sub(self.elapsed[kind.index()])
    }

    /// The kind that falls due first (ties: the longer break), and when. In focus mode, the
    /// end of the round.
    pub(super) fn next_due(&self) -> Option<(BreakKind, Duration)> {
        if let Some(focus) = &self.focus {
            return Some((self.focus_break().0, self.counted_to + self.focus_plan.work.saturating_sub(focus.worked)));
        }
        if !self.timetable_state.allowed {
            return None;
        }
        self.plans
            .enabled()
            .min_by_key(|k| (self.remaining(*k), std::cmp::Reverse(self.plans.get(*k).duration)))
            .map(|k| (k, self.counted_to + self.remaining(k)))
    }

    /// Other enabled kinds due within [`MERGE_WINDOW`] of `kind`.
    pub(super) fn merged_with(&self, kind: BreakKind) -> Vec<BreakKind> {
        let base = self.remaining(kind);
        self.plans
            .enabled()
            .filter(|k| *k != kind && self.remaining(*k) <= base + MERGE_WINDOW)
            .collect()
    }

    /// Of `kind` and `others`, the longest break becomes the one taken; the rest are covered.
    pub(super) fn longest_of(&self, kind: BreakKind, others: Vec<BreakKind>) -> (BreakKind, Vec<BreakKind>) {
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

    pub(super) fn covered_by(&self, kind: BreakKind, length: Duration) -> Vec<BreakKind> {
        self.plans.enabled().filter(|k| *k != kind && self.plans.get(*k).duration <= length).collect()
    }

    /// The break that ends the current focus round: short, or long after the cycle's last.
    pub(super) fn focus_break(&self) -> (BreakKind, Vec<BreakKind>, Duration) {
        let last = self.focus.is_some_and(|f| f.is_last_round(&self.focus_plan));
        let (kind, planned) =
            if last { (BreakKind::Walk, self.focus_plan.long_break) } else { (BreakKind::Stretch, self.focus_plan.short_break) };
        (kind, self.covered_by(kind, planned), planned)
    }
}
