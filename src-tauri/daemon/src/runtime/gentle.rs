//! Gentle mode in the runtime: a notification-style break (`style = "notification"`) is a
//! notification with the kind's instruction and Done and Skip (only Done when the kind is
//! strict), in place of the overlay. No window starts, no music pauses, nothing locks. Done and
//! Skip come back as the same requests the overlay sends; the scheduler decides what they count
//! as (see `respite_core::schedule` gentle mode). A break that ended without them (the person
//! stepped away, or its offer ran out) takes its notification away. Part of [`Runtime`].

use super::*;
use crate::notify::Choice;
use respite_core::schedule::GENTLE_ANSWER;

impl Runtime {
    /// Asks for the break `brk` with a notification.
    pub(super) fn ask_gentle(&mut self, brk: &ActiveBreak) {
        let texts = text::texts();
        let secs = brk.planned.as_secs();
        let summary = texts.fill("notify.gentle.title", &[("kind", &texts.kind_title(brk.kind)), ("time", &texts.break_length(secs))]);
        let instruction = texts.count(&format!("overlay.kind.{}.instruction", brk.kind), secs, &[]);
        let mut body = format!("{instruction}\n{}", texts.get("notify.gentle.body"));
        if let Some(tip) = &brk.tip {
            body = format!("{body}\n{tip}");
        }
        let mut actions = vec![("done", texts.get("notify.gentle.done").to_owned())];
        if !brk.strict {
            actions.push(("skip", texts.get("notify.gentle.skip").to_owned()));
        }
        let (inputs, break_id) = (self.inputs.clone(), Some(brk.id));
        let chosen = move |key: &'static str| {
            tracing::info!(key, "gentle break answered from its notification");
            let request = if key == "skip" { Request::Skip { break_id } } else { Request::Finish { break_id } };
            let _ = inputs.send(Input::Request { request, reply: None });
        };
        let lasts = brk.planned.saturating_add(GENTLE_ANSWER);
        tracing::info!(id = brk.id, kind = %brk.kind, "gentle break: asked with a notification");
        let offer = self.notifier.ask(summary, body, Choice { actions, lasts, chosen: Box::new(chosen) });
        self.gentle_offer = Some(offer);
    }

    /// The break ended: its notification, if still up, goes.
    pub(super) fn withdraw_gentle(&mut self) {
        if let Some(offer) = self.gentle_offer.take() {
            offer.withdraw();
        }
    }
}
