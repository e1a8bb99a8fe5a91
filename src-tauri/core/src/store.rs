//! The break log: one SQLite file (rusqlite, bundled SQLite), WAL journal, schema built by
//! numbered migrations tracked in `PRAGMA user_version`.
//!
//! A break is written once, in one transaction, when its outcome is known. While a break is on
//! screen, a row in `open_break` says so; finishing the break deletes it in the same transaction
//! that inserts the record, so a break that was on screen when the process died is found at the
//! next start and logged as `interrupted` ([`Store::recover_interrupted`]). That row is never
//! overwritten unlogged: when a new break goes on screen while an older one's row is still there
//! (the database could not be opened at start, so nothing was recovered), the older one is logged
//! as `interrupted` in the same transaction that replaces it ([`Store::open_break`]). Times are
//! stored in UTC (see [`crate::timefmt`]).
//!
//! Durability and privacy: every commit is synced to disk (`synchronous = FULL`), so a break
//! logged before the power goes is still there after; deleted rows are overwritten with zeros
//! (`secure_delete`), and pruning ([`Store::delete_before`]) checkpoints the WAL so no copy of
//! them lingers there. The data folder is created 0700 and the database and its `-wal` and
//! `-shm` files are 0600 (see [`crate::paths`]).
//!
//! This file opens the store, prunes it and says what failed; the rest is in parts:
//! `migrations` (the schema), `recovery` (a break left on screen, a damaged file), `breaks`
//! (the records, batches), `activity` (screen time, focus rounds), `queries` (what the summary
//! reads), `self_checks`, `devices` (other devices' history, imported from the shared folder)
//! and `codec` (reading rows back).

mod activity;
mod breaks;
mod codec;
mod devices;
mod migrations;
mod outbox;
mod queries;
mod recovery;
mod self_checks;

pub use activity::ScreenTime;
pub use breaks::{Batch, StoredBreak, BATCH_CACHE_KIB};
pub use devices::ImportReport;
pub use migrations::SCHEMA_VERSION;
pub use queries::{BreakBrief, OutcomeCounts};
pub use recovery::{OpenBreak, Recovery};

use crate::calendar::Week;
use crate::timefmt::to_db;
use chrono::{DateTime, Utc};
use migrations::schema_version;
use rusqlite::{params, Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// How long one statement waits for another process's lock before giving up. Short, because
/// writes run on the scheduler's thread: a record that cannot be written waits in memory and
/// is retried later (see [`crate::journal`]).
const BUSY_TIMEOUT: Duration = Duration::from_millis(250);

/// A store failure, with what was being done.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("cannot create the database {path}: {source}")]
    CreateFile { path: String, source: std::io::Error },
    #[error("cannot open the database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("the database {path} has schema version {found}, newer than this Respite understands ({SCHEMA_VERSION})")]
    FromTheFuture { path: String, found: u32 },
    #[error("database migration to version {version} failed: {source}")]
    Migrate { version: u32, source: rusqlite::Error },
    #[error("database {action} failed: {source}")]
    Sql { action: &'static str, source: rusqlite::Error },
    #[error("the database holds a row it cannot read (break {id}): {reason}")]
    BadRow { id: i64, reason: String },
    #[error("the database {path} is damaged: {detail}")]
    Damaged { path: String, detail: String },
    #[error("cannot move the damaged database {path} aside: {source}")]
    MoveAside { path: String, source: std::io::Error },
}

impl StoreError {
    /// The file itself is bad (as opposed to locked, full or unwritable): it must be set aside.
    pub fn is_damage(&self) -> bool {
        match self {
            StoreError::FromTheFuture { .. } | StoreError::Damaged { .. } => true,
            StoreError::Open { source, .. } | StoreError::Migrate { source, .. } | StoreError::Sql { source, .. } => is_damage_code(source),
            _ => false,
        }
    }

    /// Another process holds a lock on the database.
    pub fn is_locked(&self) -> bool {
        self.sqlite_code().is_some_and(|c| matches!(c, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
    }

    fn sqlite_code(&self) -> Option<rusqlite::ErrorCode> {
        match self {
            StoreError::Open { source, .. } | StoreError::Migrate { source, .. } | StoreError::Sql { source, .. } => source.sqlite_error_code(),
            _ => None,
        }
    }
}

fn is_damage_code(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt))
}

/// Creates the data folder 0700 and an absent database file 0600 (SQLite gives its `-wal` and
/// `-shm` files the mode of the database), and tightens existing ones that are looser. Only a
/// failure to create stops the open: one to tighten (a file system without modes) is left to
/// [`crate::paths::Paths::make_private`] to report at start.
fn make_private(path: &Path) -> Result<(), StoreError> {
    use crate::paths::{private_dir, private_file, PrivacyError};
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(PrivacyError::Create { path, source }) = private_dir(dir) {
            return Err(StoreError::CreateDir { path: path.display().to_string(), source });
        }
    }
    create_private_file(path).map_err(|source| StoreError::CreateFile { path: path.display().to_string(), source })?;
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = private_file(Path::new(&file));
    }
    Ok(())
}

/// Creates `path` empty with mode 0600 unless it exists (an empty file is an empty database).
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, crate::paths::PRIVATE_FILE);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

fn sql(action: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sql { action, source }
}

/// The break log. See the module documentation.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    /// The schema as opened: [`SCHEMA_VERSION`], except a database opened read-only, which is
    /// never migrated (an older daemon may still be running on it).
    schema: u32,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        make_private(path)?;
        let open_err = |source| StoreError::Open { path: path.display().to_string(), source };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        let mut store = Self { conn, schema: SCHEMA_VERSION };
        // Look before writing anything: a damaged or newer file is set aside exactly as it was.
        store.check(path)?;
        let found = schema_version(&store.conn)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::FromTheFuture { path: path.display().to_string(), found });
        }
        store.conn.pragma_update(None, "journal_mode", "WAL").map_err(open_err)?;
        // FULL: each commit waits until the WAL is on disk (NORMAL can lose the last commits when
        // the power goes). It costs a few milliseconds per break (two syncs), a break every few
        // minutes at most: see `benches/durability`.
        store.conn.pragma_update(None, "synchronous", "FULL").map_err(open_err)?;
        store.conn.pragma_update(None, "secure_delete", "ON").map_err(open_err)?;
        store.migrate(path)?;
        Ok(store)
    }

    /// A fresh, empty database in memory: the summary of a log that does not exist yet, tests.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open { path: ":memory:".into(), source })?;
        let mut store = Self { conn, schema: SCHEMA_VERSION };
        store.migrate(Path::new(":memory:"))?;
        Ok(store)
    }

    /// A quick integrity check: a damaged file is found at start, not at the first write.
    fn check(&self, path: &Path) -> Result<(), StoreError> {
        let damaged = |detail: String| StoreError::Damaged { path: path.display().to_string(), detail };
        let result: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| if is_damage_code(&e) { damaged(e.to_string()) } else { StoreError::Sql { action: "check the database", source: e } })?;
        if result != "ok" {
            return Err(damaged(result));
        }
        Ok(())
    }

    /// Runs SQLite's full integrity check; `Ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let result: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(sql("check integrity"))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::Damaged { path: String::new(), detail: result })
        }
    }

    /// Opens an existing database read-only (export, summary). Fails if it does not exist.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        conn.busy_timeout(Duration::from_secs(2)).map_err(sql("configure"))?; // a reader may wait
        let found = schema_version(&conn)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::FromTheFuture { path: path.display().to_string(), found });
        }
        Ok(Self { conn, schema: found })
    }

    /// Deletes breaks due before `before` (the retention setting); returns how many.
    /// Screen time and focus rounds that started before then go too, and the self-check
    /// answers of the weeks (Monday to Sunday, UTC) that ended before then. Deleted rows are
    /// overwritten with zeros (`secure_delete`), and the WAL, which still holds the pages as
    /// they were, is checkpointed into the database and truncated.
    pub fn delete_before(&mut self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin"))?;
        let week = Week::containing(before, &Utc).to_string();
        let before = to_db(before);
        let deleted = tx.execute("DELETE FROM breaks WHERE due_at < ?1", params![before]).map_err(sql("delete old breaks"))?;
        tx.execute("DELETE FROM activity WHERE started_at < ?1", params![before]).map_err(sql("delete old screen time"))?;
        tx.execute("DELETE FROM focus_rounds WHERE started_at < ?1", params![before]).map_err(sql("delete old focus rounds"))?;
        tx.execute("DELETE FROM self_checks WHERE week < ?1", params![week]).map_err(sql("delete old self-check answers"))?;
        if self.schema >= devices::DEVICES_SCHEMA {
            // Other devices' history, imported from the shared folder, is kept no longer.
            tx.execute("DELETE FROM device_break WHERE due_at < ?1", params![before]).map_err(sql("delete other devices' old breaks"))?;
            tx.execute("DELETE FROM device_activity WHERE started_at < ?1", params![before]).map_err(sql("delete other devices' old screen time"))?;
            tx.execute("DELETE FROM device_check WHERE week < ?1", params![week]).map_err(sql("delete other devices' old check-ins"))?;
        }
        tx.commit().map_err(sql("commit the deletion"))?;
        // Best effort, the deletion being done: a reader in the middle of a query can keep the
        // checkpoint from finishing; the WAL is then truncated at the next prune, or at the
        // last close.
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(deleted)
    }
}

#[cfg(test)]
impl Store {
    /// Reads an integer pragma (tests).
    pub(crate) fn pragma(&self, name: &str) -> i64 {
        self.conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)).expect("pragma")
    }

    /// Sets an integer pragma (tests: `max_page_count` makes the disk "full").
    pub(crate) fn set_pragma(&self, name: &str, value: i64) {
        let _: i64 = self.conn.query_row(&format!("PRAGMA {name} = {value}"), [], |r| r.get(0)).expect("pragma");
    }
}

#[cfg(test)]
mod durability_cost;

#[cfg(test)]
mod tests;
