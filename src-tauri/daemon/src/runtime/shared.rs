//! The shared history folder's turn in the loop ([`crate::shared_history`]): opened from the
//! settings (again on reload), told when something was logged, run when due, and asked to import
//! before the summary window opens. Its problems (the folder missing, read-only) go to the log
//! and `status`, once each; nothing logged here is lost by them. Part of [`Runtime`].

use super::*;
use crate::shared_history::SharedHistory;

impl Runtime {
    /// (Re)opens the shared history the settings ask for.
    pub(super) fn open_shared_history(&mut self) {
        let Some(data_dir) = &self.data_dir else { return };
        if self.shared.as_ref().is_some_and(|shared| shared.prefs_match(&self.devices)) {
            return;
        }
        self.shared = match SharedHistory::open(&self.devices, data_dir, self.clock.now().mono) {
            Ok(shared) => shared,
            Err(e) => {
                tracing::warn!("shared history folder not used: {e}");
                self.warn_once(format!("Shared history folder not used: {e}"));
                None
            }
        };
    }

    /// Something was logged: the shared folder gets it soon.
    pub(super) fn logged(&mut self, now: Now) {
        if let Some(shared) = &mut self.shared {
            shared.logged(now.mono);
        }
    }

    /// Writes out and imports what is due; returns when next.
    pub(super) fn share_history(&mut self, now: Now) -> Option<Duration> {
        let shared = self.shared.as_mut()?;
        if shared.next_deadline().is_some_and(|at| at <= now.mono) {
            let Some(store) = self.journal.store_mut() else { return Some(now.mono.saturating_add(crate::shared_history::IMPORT_EVERY)) };
            if let Some(problem) = shared.run(store, now.mono, now.wall) {
                self.warn_once(format!("Shared history folder: {problem}"));
            }
        }
        self.shared.as_ref().and_then(SharedHistory::next_deadline)
    }

    /// Other devices' history, now (the summary window is opening).
    pub(super) fn import_now(&mut self, now: Now) {
        if let (Some(shared), Some(store)) = (self.shared.as_mut(), self.journal.store_mut()) {
            shared.import_now(store, now.mono, now.wall);
        }
    }

    /// The retention setting applies to this computer's files in the shared folder too.
    pub(super) fn forget_shared_before(&mut self, before: chrono::DateTime<chrono::Utc>) {
        if let Some(shared) = &self.shared {
            shared.forget_before(before);
        }
    }

    fn warn_once(&mut self, warning: String) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }
}
