//! Where Respite keeps its files. Resolved once at the edge and passed in, so tests point
//! everything at temporary folders.
//!
//! - settings: `$RESPITE_CONFIG_DIR` or `$XDG_CONFIG_HOME/respite` (`~/.config/respite`)
//! - database: `$RESPITE_DATA_DIR` or `$XDG_DATA_HOME/respite` (`~/.local/share/respite`)
//! - log: `$RESPITE_STATE_DIR` or `$XDG_STATE_HOME/respite` (`~/.local/state/respite`); where
//!   there is no state dir (macOS, Windows), the data folder
//! - socket and lock: `$XDG_RUNTIME_DIR/respite` (private to the user), or, when there is no
//!   runtime dir, `respite-<uid>` in the temporary directory. Before the daemon or any client
//!   uses it, [`check_runtime_dir`] makes sure (with `lstat`) that it is a folder, not a symlink,
//!   belongs to this user and is 0700: another user could have made it first in `/tmp`.
//!
//! The data and state folders hold what Respite knows about a person (breaks, screen time,
//! self-check answers): they are created 0700 and the database files 0600 ([`private_dir`],
//! [`private_file`]). At start [`Paths::make_private`] tightens ones that already exist with
//! looser modes, when they belong to this user, and says what it did for the log.

use std::env;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The folders Respite uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
    pub runtime_dir: PathBuf,
}

/// No home folder to put files in.
#[derive(Debug, thiserror::Error)]
#[error("cannot find a folder for {0}: set HOME (or RESPITE_CONFIG_DIR and RESPITE_DATA_DIR)")]
pub struct NoHome(&'static str);

impl Paths {
    /// Resolves the folders from the environment.
    pub fn from_env() -> Result<Self, NoHome> {
        let config_dir = env_dir("RESPITE_CONFIG_DIR")
            .or_else(|| dirs::config_dir().map(|d| d.join("respite")))
            .ok_or(NoHome("settings"))?;
        let data_dir = env_dir("RESPITE_DATA_DIR")
            .or_else(|| dirs::data_dir().map(|d| d.join("respite")))
            .ok_or(NoHome("data"))?;
        let state_dir = env_dir("RESPITE_STATE_DIR")
            .or_else(|| dirs::state_dir().map(|d| d.join("respite")))
            .unwrap_or_else(|| data_dir.clone());
        let runtime_dir = runtime_dir_in(env_dir("XDG_RUNTIME_DIR"));
        Ok(Self { config_dir, data_dir, state_dir, runtime_dir })
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.toml")
    }

    /// The person's own break ideas ([`crate::ideas`]).
    pub fn ideas_file(&self) -> PathBuf {
        self.config_dir.join(crate::ideas::FILE)
    }

    /// The folder of their pictures.
    pub fn ideas_pictures(&self) -> PathBuf {
        self.config_dir.join(crate::ideas::PICTURES)
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("respite.sqlite3")
    }

    /// The database and its WAL companions (`-wal`, `-shm`), which hold the same data.
    pub fn database_files(&self) -> [PathBuf; 3] {
        let db = self.database();
        let companion = |suffix: &str| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        };
        [companion("-wal"), companion("-shm"), db]
    }

    /// Creates the data and state folders 0700 and tightens them and the database files to
    /// 0700 / 0600 where they exist with looser modes and belong to this user. Returns what was
    /// done or could not be done, for the log (nothing when everything was already private).
    pub fn make_private(&self) -> Vec<Result<Privacy, PrivacyError>> {
        let mut dirs = vec![&self.data_dir];
        if self.state_dir != self.data_dir {
            dirs.push(&self.state_dir);
        }
        let files = self.database_files();
        dirs.into_iter()
            .map(|dir| private_dir(dir))
            .chain(files.iter().map(|file| private_file(file)))
            .filter(|result| !matches!(result, Ok(Privacy::Private)))
            .collect()
    }

    pub fn socket(&self) -> PathBuf {
        self.runtime_dir.join("control.sock")
    }

    pub fn lock_file(&self) -> PathBuf {
        self.runtime_dir.join("daemon.lock")
    }
}

/// The socket's folder: `respite` in the runtime dir, else `respite-<uid>` (not a name another
/// user can guess from `$USER` and make first) in the temporary directory.
fn runtime_dir_in(xdg_runtime_dir: Option<PathBuf>) -> PathBuf {
    xdg_runtime_dir
        .map(|d| d.join("respite"))
        .unwrap_or_else(|| env::temp_dir().join(format!("respite-{}", rustix::process::getuid().as_raw())))
}

fn env_dir(name: &str) -> Option<PathBuf> {
    env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Mode of a private folder: only its owner may list, read or enter it.
pub const PRIVATE_DIR: u32 = 0o700;
/// Mode of a private file: only its owner may read or write it.
pub const PRIVATE_FILE: u32 = 0o600;

/// What [`private_dir`] or [`private_file`] found or did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Privacy {
    /// Private already, created private, or (a file) absent: nothing to say.
    Private,
    /// Readable or writable by others before; now `to`.
    Tightened { path: PathBuf, from: u32, to: u32 },
    /// Looser than private but another user's: left alone.
    NotOurs { path: PathBuf, mode: u32, owner: u32 },
}

impl fmt::Display for Privacy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Privacy::Private => write!(f, "private"),
            Privacy::Tightened { path, from, to } => {
                write!(f, "tightened the permissions of {} from {from:04o} to {to:04o}: others could read it", path.display())
            }
            Privacy::NotOurs { path, mode, owner } => {
                write!(f, "{} is readable by others (mode {mode:04o}) but belongs to user {owner}, not this one: left as it is", path.display())
            }
        }
    }
}

/// A folder or file that could not be made private.
#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    #[error("cannot create the folder {path}: {source}")]
    Create { path: PathBuf, source: io::Error },
    #[error("cannot read the permissions of {path}: {source}")]
    Inspect { path: PathBuf, source: io::Error },
    #[error("cannot tighten the permissions of {path}: {source}")]
    Tighten { path: PathBuf, source: io::Error },
}

/// Why the runtime folder (socket and lock) is not used.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeDirError {
    #[error("cannot inspect the runtime folder {path}: {source}")]
    Inspect { path: PathBuf, source: io::Error },
    #[error("the runtime folder {path} is a symbolic link, not a folder: Respite will not use it (set XDG_RUNTIME_DIR, or remove it)")]
    Symlink { path: PathBuf },
    #[error("the runtime folder {path} is not a folder: Respite will not use it (set XDG_RUNTIME_DIR, or remove it)")]
    NotAFolder { path: PathBuf },
    #[error("the runtime folder {path} belongs to another user (uid {owner}): Respite will not use it (set XDG_RUNTIME_DIR, or remove it)")]
    NotYours { path: PathBuf, owner: u32 },
    #[error("the runtime folder {path} has mode {mode:04o}, not 0700: Respite will not use it (set XDG_RUNTIME_DIR, or make it 0700)")]
    NotPrivate { path: PathBuf, mode: u32 },
}

/// Checks, without following a symbolic link, that `dir` is a folder of this user's that only
/// they can use (0700). The daemon checks it after creating it, every client before connecting.
#[cfg(unix)]
pub fn check_runtime_dir(dir: &Path) -> Result<(), RuntimeDirError> {
    use std::os::unix::fs::MetadataExt;
    let path = dir.to_owned();
    let meta = std::fs::symlink_metadata(dir).map_err(|source| RuntimeDirError::Inspect { path: path.clone(), source })?;
    if meta.file_type().is_symlink() {
        return Err(RuntimeDirError::Symlink { path });
    }
    if !meta.is_dir() {
        return Err(RuntimeDirError::NotAFolder { path });
    }
    if meta.uid() != rustix::process::getuid().as_raw() {
        return Err(RuntimeDirError::NotYours { path, owner: meta.uid() });
    }
    let mode = meta.mode() & 0o7777;
    if mode != PRIVATE_DIR {
        return Err(RuntimeDirError::NotPrivate { path, mode });
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_runtime_dir(_: &Path) -> Result<(), RuntimeDirError> {
    Ok(())
}

/// Creates `dir` (and any missing parent) with mode 0700, as the XDG base directory spec asks;
/// an existing `dir` that others can read, write or enter is tightened to 0700 if it belongs to
/// this user.
pub fn private_dir(dir: &Path) -> Result<Privacy, PrivacyError> {
    create_private_dir(dir).map_err(|source| PrivacyError::Create { path: dir.to_owned(), source })?;
    tighten(dir, PRIVATE_DIR)
}

/// Tightens an existing `file` to 0600 if others can read or write it and it belongs to this
/// user. An absent file is [`Privacy::Private`].
pub fn private_file(file: &Path) -> Result<Privacy, PrivacyError> {
    match std::fs::metadata(file) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Privacy::Private),
        _ => tighten(file, PRIVATE_FILE),
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(PRIVATE_DIR).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(unix)]
fn tighten(path: &Path, private: u32) -> Result<Privacy, PrivacyError> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let meta = std::fs::metadata(path).map_err(|source| PrivacyError::Inspect { path: path.to_owned(), source })?;
    let mode = meta.mode() & 0o7777;
    if mode & !private == 0 {
        return Ok(Privacy::Private);
    }
    if meta.uid() != rustix::process::getuid().as_raw() {
        return Ok(Privacy::NotOurs { path: path.to_owned(), mode, owner: meta.uid() });
    }
    // Keep what the owner had (a read-only file stays read-only); take everything from others.
    let to = mode & private;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(to))
        .map_err(|source| PrivacyError::Tighten { path: path.to_owned(), source })?;
    Ok(Privacy::Tightened { path: path.to_owned(), from: mode, to })
}

#[cfg(not(unix))]
fn tighten(_path: &Path, _private: u32) -> Result<Privacy, PrivacyError> {
    Ok(Privacy::Private) // folders in the user's profile are private to the user already
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_runtime_folder_is_used_only_when_it_is_this_users_private_folder() {
        let root = tempfile::tempdir().unwrap();
        let good = root.path().join("good");
        std::fs::create_dir(&good).unwrap();
        std::fs::set_permissions(&good, std::fs::Permissions::from_mode(0o700)).unwrap();
        check_runtime_dir(&good).unwrap();

        let open = root.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        let refused = check_runtime_dir(&open).unwrap_err();
        assert!(matches!(refused, RuntimeDirError::NotPrivate { mode: 0o755, .. }), "{refused}");

        let link = root.path().join("link");
        std::os::unix::fs::symlink(&good, &link).unwrap();
        assert!(matches!(check_runtime_dir(&link), Err(RuntimeDirError::Symlink { .. })), "a link to a good folder is still refused");

        let file = root.path().join("file");
        std::fs::write(&file, "").unwrap();
        assert!(matches!(check_runtime_dir(&file), Err(RuntimeDirError::NotAFolder { .. })));
        assert!(matches!(check_runtime_dir(&root.path().join("absent")), Err(RuntimeDirError::Inspect { .. })));

        // Another user's folder: as root, one given away; as anyone else, root's own `/`.
        let theirs = if rustix::process::geteuid().is_root() {
            let theirs = root.path().join("theirs");
            std::fs::create_dir(&theirs).unwrap();
            std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o700)).unwrap();
            std::os::unix::fs::chown(&theirs, Some(65534), None).unwrap();
            theirs
        } else {
            PathBuf::from("/")
        };
        assert!(matches!(check_runtime_dir(&theirs), Err(RuntimeDirError::NotYours { .. })), "{:?}", check_runtime_dir(&theirs));
    }

    #[test]
    fn without_a_runtime_dir_the_folder_is_named_by_uid_not_by_user_name() {
        let uid = rustix::process::getuid().as_raw();
        assert_eq!(runtime_dir_in(None), std::env::temp_dir().join(format!("respite-{uid}")));
        assert_eq!(runtime_dir_in(Some(PathBuf::from("/run/user/1000"))), PathBuf::from("/run/user/1000/respite"));
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    fn paths_in(root: &Path) -> Paths {
        Paths {
            config_dir: root.join("config"),
            data_dir: root.join("share/respite"),
            state_dir: root.join("state/respite"),
            runtime_dir: root.join("run"),
        }
    }

    #[test]
    fn new_data_and_state_folders_are_created_private() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths_in(root.path());
        let done = paths.make_private();
        assert!(done.is_empty(), "nothing to tell: {done:?}");
        for dir in [&paths.data_dir, &paths.state_dir, &root.path().join("share")] {
            assert_eq!(mode(dir), 0o700, "{}", dir.display());
        }
    }

    #[test]
    fn looser_folders_and_database_files_of_this_user_are_tightened_and_said_so() {
        let root = tempfile::tempdir().unwrap();
        let paths = paths_in(root.path());
        for dir in [&paths.data_dir, &paths.state_dir] {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let [wal, shm, db] = paths.database_files();
        for (file, loose) in [(&db, 0o644), (&wal, 0o664), (&shm, 0o600)] {
            std::fs::write(file, b"").unwrap();
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(loose)).unwrap();
        }
        let done: Vec<String> = paths.make_private().into_iter().map(|r| r.unwrap().to_string()).collect();
        assert_eq!(done.len(), 4, "two folders and two files were loose, the -shm was not: {done:?}");
        assert!(done[0].contains(&format!("{} from 0755 to 0700", paths.data_dir.display())), "{done:?}");
        assert!(done[3].contains(&format!("{} from 0644 to 0600", db.display())), "{done:?}");
        assert_eq!([mode(&paths.data_dir), mode(&paths.state_dir)], [0o700, 0o700]);
        assert_eq!([mode(&db), mode(&wal), mode(&shm)], [0o600, 0o600, 0o600]);
        assert!(paths.make_private().is_empty(), "the second start has nothing to tighten");
    }
}
