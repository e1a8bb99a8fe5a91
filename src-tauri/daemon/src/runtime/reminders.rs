//! What the runtime tells the person and does on its own, when the planners say so: the evening
//! reminders, the weekly check-in's offer, the notice before a break, the journal's news, and
//! the chores (deleting old records, preparing the overlay). Part of [`Runtime`]: these are its
//! methods, kept apart from the loop.

use super::*;

impl Runtime {
    /// The evening nudge and the bedtime reminder, as the planner says; returns when to look
    /// again.
    pub(super) fn evening_reminders(&mut self, now: Now) -> Option<Duration> {
        let (due, next) = self.evening.due(now, &Local, &self.hours, self.scheduler.active_since());
        for reminder in due {
            match reminder {
                Reminder::Nudge { minutes } => {
                    tracing::info!(after_hours_mins = minutes, "evening nudge");
                    self.notifier.send(text::t("notify.evening.title"), text::tf("notify.evening.body", &[("time", &text::texts().duration(minutes.saturating_mul(60)))]));
                }
                Reminder::Bedtime => {
                    tracing::info!("bedtime reminder");
                    self.notifier.send(text::t("notify.bedtime.title"), text::t("notify.bedtime.body"));
                }
            }
        }
        next
    }

    /// Offers the weekly self-check when the planner says so; returns when to look again.
    pub(super) fn offer_selfcheck(&mut self, now: Now) -> Option<Duration> {
        let journal = &mut self.journal;
        let (offer, next) = self.selfcheck.due(now, &Local, |week| journal.store_mut().and_then(|store| store.self_check(week).ok()).flatten().is_some());
        if let Some(week) = offer {
            tracing::info!(%week, "offering the weekly self-check");
            let inputs = self.inputs.clone();
            self.notifier.offer(
                text::t("notify.selfcheck.title"),
                text::t("notify.selfcheck.body"),
                notify::Action {
                    key: "open",
                    label: text::t("notify.selfcheck.open"),
                    lasts: Duration::from_secs(3600),
                    chosen: Box::new(move || {
                        let _ = inputs.send(Input::Request { request: Request::Open { window: WindowName::Summary, week: Some(week) }, reply: None });
                    }),
                },
            );
        }
        next
    }

    /// The notice before a break, offering to postpone it.
    pub(super) fn tell_upcoming(&mut self, next: &NextBreak) {
        let secs = next.in_time.as_secs().max(1);
        if self.scheduler.rules().style[next.kind.index()] == Style::Notification {
            // The break itself is a notification: one before it would only be a second one.
            tracing::debug!(kind = %next.kind, in_secs = secs, "break notice left out: the break comes as a notification");
            return;
        }
        tracing::info!(kind = %next.kind, in_secs = secs, "break notice");
        let inputs = self.inputs.clone();
        let texts = text::texts();
        let postpone = texts.time_left(self.scheduler.rules().postpone_by.as_secs());
        self.notifier.offer(
            texts.fill("notify.notice.title", &[("kind", &texts.kind_title(next.kind)), ("seconds", &secs)]),
            texts.get("notify.notice.body").to_owned(),
            notify::Action {
                key: "postpone",
                label: texts.fill("notify.notice.postpone", &[("time", &postpone)]),
                lasts: next.in_time,
                chosen: Box::new(move || {
                    let _ = inputs.send(Input::Request { request: Request::Postpone { break_id: None }, reply: None });
                }),
            },
        );
    }

    /// Prepares the overlay when the planner says so; returns when to look again.
    pub(super) fn prepare_overlay(&mut self, now: Now) -> Option<Duration> {
        let can_prepare = self.scheduler.phase().is_working() && !self.launcher.is_prepared() && self.scheduler.holding().is_none();
        match self.overlay_prep.decide(now, can_prepare, self.scheduler.next_due_mono()) {
            Prepare::At(at) => Some(at),
            Prepare::Nothing => None,
            Prepare::Now => {
                if let Err(e) = self.launcher.prepare(now.mono) {
                    tracing::warn!("{e}; the overlay will start when the break does");
                }
                None
            }
        }
    }

    /// Deletes records older than the retention setting when the planner says so.
    pub(super) fn prune_if_due(&mut self, now: Now) {
        let Some(before) = self.prune.due(now) else { return };
        match self.journal.delete_before(before) {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "deleted break records older than the retention setting"),
            Err(e) => tracing::warn!("cannot delete old break records: {e}"),
        }
        self.forget_shared_before(before);
    }

    /// Tells the user, once each, what the journal reports: saving failed, works again, or a
    /// damaged database was replaced.
    pub(super) fn tell_journal_notices(&mut self) {
        for notice in self.journal.take_notices() {
            match notice {
                JournalNotice::Failing(message) => {
                    tracing::error!("{message}");
                    self.notifier.send(text::t("notify.store.failing.title"), message);
                }
                JournalNotice::Recovered { saved } => {
                    tracing::info!(saved, "the break log is writable again; every kept record is saved");
                    self.notifier.send(text::t("notify.store.recovered.title"), text::texts().count("notify.store.recovered.body", saved as u64, &[]));
                }
                JournalNotice::Replaced(recovery) => {
                    let message = text::tf(
                        "notify.store.replaced.body",
                        &[("reason", &recovery.reason), ("path", &recovery.moved_to.display())],
                    );
                    tracing::warn!("{message}");
                    self.notifier.send(text::t("notify.store.replaced.title"), message.clone());
                    self.warnings.push(message);
                }
            }
        }
    }
}
