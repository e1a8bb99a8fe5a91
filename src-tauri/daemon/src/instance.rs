//! One daemon per user: an exclusive lock on a file in the private runtime folder. The lock
//! goes with the process, so a crashed daemon never blocks the next start.

use respite_core::paths::check_runtime_dir;
use std::fs::{DirBuilder, File, TryLockError};
use std::io;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

/// Held for the daemon's lifetime.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

/// Result of trying to become the daemon.
#[derive(Debug)]
pub enum Acquired {
    Lock(InstanceLock),
    /// Another daemon holds the lock.
    AlreadyRunning,
}

/// Creates the runtime folder (mode 0700) if needed, makes sure it is this user's private
/// folder (not a link, not another user's: [`check_runtime_dir`]) and takes the lock at
/// `lock_path`.
pub fn acquire(runtime_dir: &Path, lock_path: &Path) -> io::Result<Acquired> {
    DirBuilder::new().recursive(true).mode(0o700).create(runtime_dir)?;
    check_runtime_dir(runtime_dir).map_err(io::Error::other)?;
    let file = File::options().create(true).truncate(false).write(true).open(lock_path)?;
    match file.try_lock() {
        Ok(()) => Ok(Acquired::Lock(InstanceLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(Acquired::AlreadyRunning),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// Whether some daemon currently holds the lock at `lock_path` (false if the file is absent).
pub fn is_held(lock_path: &Path) -> bool {
    match File::options().write(true).open(lock_path) {
        Ok(file) => matches!(file.try_lock(), Err(TryLockError::WouldBlock)),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_runtime_folder_others_can_enter_or_a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
        let refused = acquire(&open, &open.join("daemon.lock")).unwrap_err();
        assert!(refused.to_string().contains("not 0700"), "{refused}");
        assert!(!open.join("daemon.lock").exists(), "nothing was made in it");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&open, &link).unwrap();
        let refused = acquire(&link, &link.join("daemon.lock")).unwrap_err();
        assert!(refused.to_string().contains("symbolic link"), "{refused}");
    }

    #[test]
    fn only_one_holder_at_a_time_and_the_folder_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run/respite");
        let lock = runtime.join("daemon.lock");
        let first = acquire(&runtime, &lock).unwrap();
        assert!(matches!(first, Acquired::Lock(_)));
        assert!(is_held(&lock));
        assert!(matches!(acquire(&runtime, &lock).unwrap(), Acquired::AlreadyRunning));
        assert_eq!(fs::metadata(&runtime).unwrap().permissions().mode() & 0o777, 0o700);
        drop(first);
        assert!(!is_held(&lock));
        assert!(matches!(acquire(&runtime, &lock).unwrap(), Acquired::Lock(_)));
    }
}
