//! What Respite shows of itself: its status (for `respite status`, the tray and the windows),
//! the glance the tray and the subscribers follow, and the notices sent to subscribers. Part of
//! [`Runtime`].

use super::*;

impl Runtime {
    pub(super) fn status(&self, now: Now) -> Status {
        let mut warnings: Vec<String> = self.settings_problems.iter().map(Message::english).collect();
        warnings.extend(self.warnings.iter().cloned());
        warnings.extend(self.journal.problem());
        let mut status = Status::of(&self.scheduler, now, &Local, warnings, self.senses.idle_source());
        status.notes.clone_from(&self.settings_problems);
        status.hold_sources = self.senses.hold_sources();
        if let (Some(current), Some((id, idea))) = (status.current.as_mut(), self.idea_on_screen) {
            if current.id == id {
                current.idea = idea;
            }
        }
        status
    }

    /// Sends `notice` to subscribers, dropping those that are gone or not reading.
    pub(super) fn publish(&mut self, notice: &Notice) {
        let line = to_line(notice);
        self.subscribers.retain_mut(|s| s.write_all(line.as_bytes()).is_ok());
    }

    pub(super) fn glance(&self, now: Now) -> Glance {
        Glance::of(text::texts(), &self.status(now))
    }

    /// Pushes the tray state to the tray and the subscribers if it changed; returns when the
    /// info line will next change, if anyone is shown it.
    pub(super) fn refresh_tray(&mut self, now: Now) -> Option<Duration> {
        let state = self.glance(now);
        if self.shown_tray.as_ref() != Some(&state) {
            if let Some(tray) = &self.tray {
                tray(state.clone());
            }
            self.publish(&state.notice());
            self.shown_tray = Some(state);
        }
        if self.tray.is_none() && self.subscribers.is_empty() {
            return None;
        }
        let next = self.scheduler.next_break(now)?;
        let into_minute = next.in_time.as_secs() % 60;
        Some(now.mono.saturating_add(Duration::from_secs(if into_minute == 0 { 60 } else { into_minute })))
    }
}
