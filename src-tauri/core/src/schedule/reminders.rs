//! The person's own reminders ("Drink some water", "Check your posture"), each after its own
//! interval of active time. They come as quiet notifications, or as the tip of the next break.
//! At most [`ReminderPlan::per_hour`] notifications come in any hour, so several reminders never
//! pile up into nagging: one due while the hour is full waits until a slot frees. Like the
//! breaks, they count only active time in working hours (when breaks keep to them), and not
//! while paused or on a break.

use super::{Event, Phase, Scheduler};
use crate::clock::Now;
use std::time::Duration;

/// The window the cap counts in.
pub const CAP_WINDOW: Duration = Duration::from_secs(3600);

/// One reminder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    pub text: String,
    /// Active time between two.
    pub every: Duration,
    /// Shown as the next break's tip instead of a notification.
    pub as_tip: bool,
}

/// The reminders, as set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderPlan {
    pub list: Vec<Reminder>,
    /// Notifications at most in any hour.
    pub per_hour: u32,
}

impl Default for ReminderPlan {
    fn default() -> Self {
        Self { list: Vec::new(), per_hour: 2 }
    }
}

/// Where the reminders stand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ReminderState {
    /// Active time since each reminder last came, by its place in the list.
    pub elapsed: Vec<Duration>,
    /// When the notifications of the last hour came (monotonic).
    pub sent: Vec<Duration>,
    /// A tip for the next break.
    pub tip: Option<String>,
}

impl Scheduler {
    /// New reminders (start, reload). A reminder kept in the same place keeps its time.
    pub fn set_reminders(&mut self, plan: ReminderPlan) {
        self.reminder_state.elapsed.resize(plan.list.len(), Duration::ZERO);
        if self.reminder_state.tip.as_ref().is_some_and(|tip| !plan.list.iter().any(|r| r.as_tip && &r.text == tip)) {
            self.reminder_state.tip = None;
        }
        self.reminders = plan;
    }

    pub fn reminders(&self) -> &ReminderPlan {
        &self.reminders
    }

    /// Adds active time to every reminder (from [`Scheduler::accrue`]).
    pub(super) fn accrue_reminders(&mut self, worked: Duration) {
        for elapsed in &mut self.reminder_state.elapsed {
            *elapsed = elapsed.saturating_add(worked);
        }
    }

    /// At a tick, while working and present: the reminders that are due come, within the cap.
    pub(super) fn apply_reminders(&mut self, now: Now, events: &mut Vec<Event>) {
        let state = &mut self.reminder_state;
        state.sent.retain(|at| now.mono.saturating_sub(*at) < CAP_WINDOW);
        for (reminder, elapsed) in self.reminders.list.iter().zip(&mut state.elapsed) {
            if *elapsed < reminder.every {
                continue;
            }
            if reminder.as_tip {
                state.tip = Some(reminder.text.clone());
            } else if (state.sent.len() as u64) < u64::from(self.reminders.per_hour) {
                state.sent.push(now.mono);
                events.push(Event::Reminder { text: reminder.text.clone() });
            } else {
                continue; // waits for a free slot in the hour
            }
            *elapsed = Duration::ZERO;
        }
    }

    /// The tip for the break that starts now, if a reminder left one.
    pub(super) fn take_tip(&mut self) -> Option<String> {
        self.reminder_state.tip.take()
    }

    /// When the next reminder comes, if the person stays (monotonic).
    pub(super) fn reminders_deadline(&self) -> Option<Duration> {
        if !matches!(self.phase, Phase::Working(_)) || self.is_away() || !self.timetable_state.allowed {
            return None;
        }
        let state = &self.reminder_state;
        let slot = match state.sent.len() as u64 >= u64::from(self.reminders.per_hour) {
            true => state.sent.iter().min().map(|oldest| oldest.saturating_add(CAP_WINDOW)),
            false => None,
        };
        self.reminders
            .list
            .iter()
            .zip(&state.elapsed)
            .map(|(reminder, elapsed)| {
                let due = self.counted_to.saturating_add(reminder.every.saturating_sub(*elapsed));
                match slot {
                    Some(slot) if !reminder.as_tip => due.max(slot),
                    _ => due,
                }
            })
            .min()
    }
}
