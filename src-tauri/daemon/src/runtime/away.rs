//! What a break does to the desktop, and undoes after it: the media players it paused
//! (`pause_media`) and the screen it locked (`lock`), per kind. Unlocking during the break the
//! screen was locked for is coming back early, as "I'm back". Part of [`Runtime`].

use super::*;

impl Runtime {
    /// The break `id` of `kind` started: pause the music, lock the screen, as its kind says.
    pub(super) fn away_from_screen(&mut self, id: u64, kind: BreakKind) {
        if self.pause_media[kind.index()] {
            self.paused_media = self.media.pause_playing();
        }
        if self.lock[kind.index()] {
            match self.locker.lock() {
                Ok(how) => {
                    tracing::info!(id, "screen locked for the break ({how})");
                    self.locked_for = Some(id);
                }
                Err(e) => tracing::warn!(id, "cannot lock the screen for the break: {e}"),
            }
        }
    }

    /// The break ended: the players it paused play again (those left alone).
    pub(super) fn back_to_screen(&mut self) {
        self.locked_for = None;
        let paused = std::mem::take(&mut self.paused_media);
        if !paused.is_empty() {
            self.media.resume(paused);
        }
    }

    /// The screen was unlocked: during the break it was locked for, that is back early.
    pub(super) fn unlocked(&mut self) {
        let Some(id) = self.locked_for.take() else { return };
        tracing::info!(id, "unlocked during the break: back early");
        let response = self.answer(Request::Finish { break_id: Some(id) });
        if !response.ok {
            tracing::info!(id, "the break goes on: {}", response.error.unwrap_or_default());
        }
    }
}
