//! The day's wall-clock rules and limits, as the runtime carries them out: the settings given to
//! the scheduler and the senses (breaks only in working hours, fixed-time breaks, the budget, the
//! person's reminders, the apps and the screen share that hold breaks), today's screen time read
//! from the log at start, and the notifications the budget and the reminders send. Part of
//! [`Runtime`].

use super::*;
use respite_core::calendar::day_start;
use respite_core::schedule::{Timetable, Zone};
use std::path::Path;

/// Where processes are listed.
const PROC: &str = "/proc";

impl Runtime {
    /// Gives the scheduler and the senses the settings' wall-clock rules and limits (start,
    /// reload).
    pub(super) fn set_day_rules(&mut self, settings: &Settings, now: Now) {
        let timetable = Timetable { zone: Zone::Local, only_in_hours: settings.only_in_hours, hours: settings.hours, fixed: settings.fixed.clone() };
        self.scheduler.set_timetable(timetable, now);
        self.scheduler.set_budget(settings.budget);
        self.scheduler.set_reminders(settings.reminders.clone());
        self.senses.set_hold_apps(&settings.hold_apps, Path::new(PROC));
        self.senses.set_screen_share_holds(settings.screen_share_holds);
    }

    /// Today's screen time before this run, from the log, so the budget counts the whole day.
    pub(super) fn seed_screen_time(&mut self, now: Now) {
        let today = day_start(now.wall.with_timezone(&Local).date_naive(), &Local);
        let spent = self.journal.store_mut().and_then(|store| store.screen_time(today, now.wall).ok()).map_or(0, |t| t.total_ms);
        let spent = Duration::from_millis(u64::try_from(spent).unwrap_or(0));
        if self.scheduler.budget().daily.is_some() {
            tracing::info!(spent_mins = spent.as_secs() / 60, "screen time today before this start");
        }
        self.scheduler.seed_screen_time(spent, now);
    }

    /// The budget's notices and the person's reminders.
    pub(super) fn tell_limit(&mut self, event: Event) {
        let texts = text::texts();
        match event {
            Event::BudgetNear { used, budget } => {
                tracing::info!(used_mins = used.as_secs() / 60, budget_mins = budget.as_secs() / 60, "screen-time budget nearly reached");
                self.notifier.send(
                    texts.get("notify.budget.near.title").to_owned(),
                    texts.fill("notify.budget.near.body", &[("used", &texts.duration(used.as_secs())), ("budget", &texts.duration(budget.as_secs()))]),
                );
            }
            Event::BudgetReached { used, budget, overlay } => {
                tracing::info!(used_mins = used.as_secs() / 60, budget_mins = budget.as_secs() / 60, overlay, "screen-time budget reached");
                if !overlay {
                    self.notifier.send(
                        texts.get("notify.budget.reached.title").to_owned(),
                        texts.fill("notify.budget.reached.body", &[("used", &texts.duration(used.as_secs())), ("budget", &texts.duration(budget.as_secs()))]),
                    );
                }
            }
            Event::Reminder { text } => {
                tracing::info!("reminder: {text}");
                self.notifier.send(text, texts.get("notify.reminder.body").to_owned());
            }
            other => tracing::warn!(?other, "not a limit's event"),
        }
    }
}
