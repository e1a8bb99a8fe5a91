//! This device's identity in the shared folder: a random id made once and kept in Respite's data
//! folder (never in the shared one, where another device could copy it), and the host name that
//! names the device until the person gives it another.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The file in the data folder that keeps this device's id.
pub const ID_FILE: &str = "device-id";

/// The longest id read from a folder name (ours are 16 characters).
const MAX_ID_LEN: usize = 64;

/// A device's id: the name of its folder in the shared folder. Ours are 16 lowercase hex
/// characters; any 1 to 64 ASCII letters, digits, `-` and `_` are accepted from others, so a
/// later version may choose differently.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(String);

/// Text that cannot be a device id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a device id (1 to 64 letters, digits, '-' or '_')")]
pub struct BadDeviceId(pub String);

/// The id file could not be read or made.
#[derive(Debug, thiserror::Error)]
pub enum IdError {
    #[error("cannot read this device's id from {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot keep this device's id in {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    /// Not replaced on its own: a new id would make this device's records in the shared folder
    /// look like another device's, and count them twice.
    #[error("{path} does not hold a device id ({found:?}): remove it to make a new one")]
    Damaged { path: PathBuf, found: String },
}

impl DeviceId {
    /// Checks that `text` can name a device folder.
    pub fn parse(text: &str) -> Result<Self, BadDeviceId> {
        let fits = (1..=MAX_ID_LEN).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if fits {
            Ok(Self(text.to_owned()))
        } else {
            Err(BadDeviceId(text.to_owned()))
        }
    }

    /// A new random id: 16 lowercase hex characters (64 bits: two devices of one person never
    /// draw the same).
    pub fn random() -> Self {
        Self(format!("{:016x}", random_u64()))
    }

    /// The id kept in `data_dir`, made and kept there the first time. Two processes starting at
    /// once agree: the file appears whole or not at all (written aside, then hard-linked into
    /// place, which fails if the other was first; its id is then read).
    pub fn load_or_create(data_dir: &Path) -> Result<Self, IdError> {
        let path = data_dir.join(ID_FILE);
        if let Some(id) = read_id(&path)? {
            return Ok(id);
        }
        let write = |source| IdError::Write { path: path.clone(), source };
        // Only a failure to create stops it: one to tighten is reported at start
        // (`Paths::make_private`), as for the database.
        if let Err(crate::paths::PrivacyError::Create { source, .. }) = crate::paths::private_dir(data_dir) {
            return Err(write(source));
        }
        let id = Self::random();
        let aside = data_dir.join(format!(".{ID_FILE}.{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&aside);
        write_new(&aside, format!("{}\n", id.0).as_bytes()).map_err(write)?;
        let placed = match std::fs::hard_link(&aside, &path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&aside);
                return read_id(&path)?.ok_or_else(|| write(io::Error::other("the id file vanished")));
            }
            // No hard links here (some file systems): rename, which replaces. Only two first
            // starts at the same instant on such a file system could then disagree.
            Err(_) => std::fs::rename(&aside, &path),
        };
        let _ = std::fs::remove_file(&aside);
        placed.map_err(write)?;
        Ok(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for DeviceId {
    type Err = BadDeviceId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The id in `path`, `None` when there is no such file.
fn read_id(path: &Path) -> Result<Option<DeviceId>, IdError> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(IdError::Read { path: path.to_owned(), source }),
    };
    let text = String::from_utf8_lossy(&text);
    DeviceId::parse(text.trim()).map(Some).map_err(|_| IdError::Damaged { path: path.to_owned(), found: text.chars().take(80).collect() })
}

/// Creates `path` (which must not exist) 0600 with `bytes`, synced to disk.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, crate::paths::PRIVATE_FILE);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// 64 random bits: from the system's random source (`/dev/urandom`) where there is one. Else
/// from std's `RandomState`, whose keys std draws from the operating system's random source
/// (`getrandom` is in the dependency tree, but not this crate's: no dependency for 8 bytes),
/// hashing the time and process id so two calls in one process differ too.
fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    if std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_ok() && bytes != [0; 8] {
        return u64::from_le_bytes(bytes);
    }
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    hasher.write_u128(now);
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// This computer's name, the default name of the device: the host name without its domain
/// (`Annes-MacBook.local` is `Annes-MacBook`). `None` when there is none.
pub fn host_name() -> Option<String> {
    #[cfg(unix)]
    let name = rustix::system::uname().nodename().to_string_lossy().into_owned();
    #[cfg(not(unix))]
    let name = std::env::var("COMPUTERNAME").unwrap_or_default();
    let name = name.trim();
    let short = name.split('.').next().unwrap_or_default();
    let chosen = if short.is_empty() { name } else { short };
    (!chosen.is_empty()).then(|| chosen.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = DeviceId::load_or_create(&data).unwrap();
        assert_eq!(first.as_str().len(), 16);
        assert!(first.as_str().bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{first}");
        assert_eq!(DeviceId::load_or_create(&data).unwrap(), first);
        assert_eq!(std::fs::read_to_string(data.join(ID_FILE)).unwrap(), format!("{first}\n"));
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(&data).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [ID_FILE]);
        assert_ne!(DeviceId::random(), DeviceId::random());
    }

    #[test]
    fn a_damaged_id_file_is_an_error_not_a_new_device() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(ID_FILE), "not an id!\n").unwrap();
        assert!(matches!(DeviceId::load_or_create(dir.path()), Err(IdError::Damaged { .. })));
    }

    #[test]
    fn ids_from_other_devices_are_checked() {
        assert!(DeviceId::parse("0123456789abcdef").is_ok());
        assert!(DeviceId::parse("desk-2_B").is_ok());
        for bad in ["", ".stfolder", "a/b", "..", "ä", &"x".repeat(65)] {
            assert_eq!(DeviceId::parse(bad), Err(BadDeviceId(bad.to_owned())), "{bad}");
        }
    }

    #[test]
    fn the_host_name_has_no_domain() {
        if let Some(name) = host_name() {
            assert!(!name.is_empty() && !name.contains('.'), "{name}");
        }
    }
}
