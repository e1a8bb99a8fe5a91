//! Notices told once per person, ever: each remembers that it was told with a small file in the
//! state dir (`~/.local/state/respite/`), as the weekly summary remembers its last week, so a
//! restart or a new login does not tell it again.

use std::path::PathBuf;

/// One once-only notice and its marker file.
#[derive(Clone, Debug)]
pub struct Once {
    file: PathBuf,
}

impl Once {
    /// The notice remembered by `file`.
    pub fn at(file: PathBuf) -> Self {
        Once { file }
    }

    /// Whether it was told already. A marker that cannot be read counts as told: better to stay
    /// quiet than to repeat a notice at every start.
    pub fn told(&self) -> bool {
        match self.file.try_exists() {
            Ok(exists) => exists,
            Err(e) => {
                tracing::warn!("cannot check {}: {e}; the notice it stands for is not told", self.file.display());
                true
            }
        }
    }

    /// Remembers that it was told (a failure is logged: then it may be told again).
    pub fn remember(&self) {
        let written = self.file.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&self.file, "told\n"));
        if let Err(e) = written {
            tracing::warn!("cannot remember a notice in {}: {e}", self.file.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_told_once_across_starts() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state/told-something");
        assert!(!Once::at(file.clone()).told());
        Once::at(file.clone()).remember();
        assert!(Once::at(file.clone()).told(), "a new start sees the marker");
        let blocked = dir.path().join("a-file");
        std::fs::write(&blocked, "").unwrap();
        let under_a_file = Once::at(blocked.join("told"));
        under_a_file.remember();
        assert!(under_a_file.told(), "a marker that cannot even be looked for counts as told: quiet, not told at every start");
    }
}
