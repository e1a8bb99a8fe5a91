//! One daemon per user: an exclusive lock on a file in the private runtime folder. The lock
//! goes with the process, so a crashed daemon never blocks the next start.

use std::fs::{self, DirBuilder, File, TryLockError};
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
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

/// Creates the runtime folder (mode 0700) if needed and takes the lock at `lock_path`.
pub fn acquire(runtime_dir: &Path, lock_path: &Path) -> io::Result<Acquired> {
    DirBuilder::new().recursive(true).mode(0o700).create(runtime_dir)?;
    fs::set_permissions(runtime_dir, fs::Permissions::from_mode(0o700))?;
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
