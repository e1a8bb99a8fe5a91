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

use crate::record::{covers_from_text, covers_to_text, BreakKind, BreakRecord, Held, Outcome, Trigger};
use crate::schedule::FocusRound;
use crate::selfcheck::{Answers, Checked};
use crate::senses::HoldReason;
use crate::calendar::Week;
use crate::workhours::Span;
use crate::timefmt::{from_db, to_db};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row, Transaction};
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Duration;

/// Schema changes, in order. Entry `i` brings the schema from version `i` to `i + 1`. Never edit a
/// released entry: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the break log, and the break on screen.
    "CREATE TABLE breaks (
        id           INTEGER PRIMARY KEY,
        kind         TEXT    NOT NULL CHECK (kind IN ('eye', 'stretch', 'walk')),
        covers       TEXT    NOT NULL DEFAULT '',
        trigger      TEXT    NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
        due_at       TEXT    NOT NULL,
        started_at   TEXT,
        ended_at     TEXT    NOT NULL,
        planned_secs INTEGER NOT NULL CHECK (planned_secs >= 0),
        actual_secs  INTEGER NOT NULL CHECK (actual_secs >= 0),
        outcome      TEXT    NOT NULL
                     CHECK (outcome IN ('completed', 'skipped', 'postponed', 'natural', 'interrupted'))
     );
     CREATE INDEX breaks_by_due ON breaks (due_at);
     CREATE TABLE open_break (
        only_one     INTEGER PRIMARY KEY CHECK (only_one = 1),
        kind         TEXT    NOT NULL,
        covers       TEXT    NOT NULL,
        trigger      TEXT    NOT NULL,
        due_at       TEXT    NOT NULL,
        started_at   TEXT    NOT NULL,
        planned_secs INTEGER NOT NULL
     );",
    // 2: focus breaks, breaks held back by do not disturb, screen time, focus rounds.
    // SQLite cannot change a CHECK constraint in place: the break log is copied to a new table.
    "CREATE TABLE breaks_v2 (
        id           INTEGER PRIMARY KEY,
        kind         TEXT    NOT NULL CHECK (kind IN ('eye', 'stretch', 'walk')),
        covers       TEXT    NOT NULL DEFAULT '',
        trigger      TEXT    NOT NULL CHECK (trigger IN ('scheduled', 'manual', 'focus')),
        due_at       TEXT    NOT NULL,
        started_at   TEXT,
        ended_at     TEXT    NOT NULL,
        planned_secs INTEGER NOT NULL CHECK (planned_secs >= 0),
        actual_secs  INTEGER NOT NULL CHECK (actual_secs >= 0),
        outcome      TEXT    NOT NULL
                     CHECK (outcome IN ('completed', 'skipped', 'postponed', 'natural', 'interrupted')),
        held_reason  TEXT    CHECK (held_reason IN ('fullscreen', 'inhibited', 'do_not_disturb')),
        held_secs    INTEGER NOT NULL DEFAULT 0 CHECK (held_secs >= 0)
     );
     INSERT INTO breaks_v2 (id, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome)
        SELECT id, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome FROM breaks;
     DROP TABLE breaks;
     ALTER TABLE breaks_v2 RENAME TO breaks;
     CREATE INDEX breaks_by_due ON breaks (due_at);
     CREATE TABLE activity (
        id           INTEGER PRIMARY KEY,
        started_at   TEXT    NOT NULL,
        ended_at     TEXT    NOT NULL CHECK (ended_at >= started_at),
        after_hours  INTEGER NOT NULL CHECK (after_hours IN (0, 1))
     );
     CREATE INDEX activity_by_start ON activity (started_at);
     CREATE TABLE focus_rounds (
        id           INTEGER PRIMARY KEY,
        round        INTEGER NOT NULL CHECK (round >= 1),
        started_at   TEXT    NOT NULL,
        ended_at     TEXT    NOT NULL,
        completed    INTEGER NOT NULL CHECK (completed IN (0, 1))
     );",
    // 3: the weekly summary reads a week of breaks and of screen time by range. Indexes that hold
    // every column it reads make each a single index range scan, without a table lookup per row
    // (about three times faster); they replace the narrower ones, which they extend.
    "CREATE INDEX breaks_by_due_covering ON breaks (due_at, outcome, kind, covers, started_at);
     DROP INDEX breaks_by_due;
     CREATE INDEX activity_by_start_covering ON activity (started_at, ended_at, after_hours);
     DROP INDEX activity_by_start;",
    // 4: what the summary adds up over the week before, without reading it row by row: breaks
    // of one outcome counted from an index, and each span's length kept with it (SQLite cannot
    // subtract two RFC 3339 texts quickly), in the index that is read by range.
    "CREATE INDEX breaks_by_outcome ON breaks (outcome, due_at);
     ALTER TABLE activity ADD COLUMN length_ms INTEGER NOT NULL DEFAULT 0 CHECK (length_ms >= 0);
     UPDATE activity SET length_ms = max(0, CAST(round((julianday(ended_at) - julianday(started_at)) * 86400000.0) AS INTEGER));
     DROP INDEX activity_by_start_covering;
     CREATE INDEX activity_by_start_with_length ON activity (started_at, after_hours, length_ms, ended_at);",
    // 5: the weekly self-check's answers, one row per ISO week.
    "CREATE TABLE self_checks (
        week           TEXT    PRIMARY KEY CHECK (week GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'),
        answered_at    TEXT    NOT NULL,
        energy         INTEGER NOT NULL CHECK (energy BETWEEN 1 AND 5),
        closeness      INTEGER NOT NULL CHECK (closeness BETWEEN 1 AND 5),
        accomplishment INTEGER NOT NULL CHECK (accomplishment BETWEEN 1 AND 5)
     );",
    // 6: breaks held back during a call (a camera or microphone in use). As in 2, the break log
    // is copied to a table with the wider CHECK; its indexes go with the old table and are made
    // again.
    "CREATE TABLE breaks_v6 (
        id           INTEGER PRIMARY KEY,
        kind         TEXT    NOT NULL CHECK (kind IN ('eye', 'stretch', 'walk')),
        covers       TEXT    NOT NULL DEFAULT '',
        trigger      TEXT    NOT NULL CHECK (trigger IN ('scheduled', 'manual', 'focus')),
        due_at       TEXT    NOT NULL,
        started_at   TEXT,
        ended_at     TEXT    NOT NULL,
        planned_secs INTEGER NOT NULL CHECK (planned_secs >= 0),
        actual_secs  INTEGER NOT NULL CHECK (actual_secs >= 0),
        outcome      TEXT    NOT NULL
                     CHECK (outcome IN ('completed', 'skipped', 'postponed', 'natural', 'interrupted')),
        held_reason  TEXT    CHECK (held_reason IN ('fullscreen', 'inhibited', 'do_not_disturb', 'camera', 'microphone')),
        held_secs    INTEGER NOT NULL DEFAULT 0 CHECK (held_secs >= 0)
     );
     INSERT INTO breaks_v6 SELECT id, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome, held_reason, held_secs FROM breaks;
     DROP TABLE breaks;
     ALTER TABLE breaks_v6 RENAME TO breaks;
     CREATE INDEX breaks_by_due_covering ON breaks (due_at, outcome, kind, covers, started_at);
     CREATE INDEX breaks_by_outcome ON breaks (outcome, due_at);",
    // 7: whether a break's window was on screen until it ended (1), or none came up or it went
    // away early (0); NULL where no window was meant (natural breaks, breaks dealt with before
    // they started) or it is not known (every row logged before this version). The summary
    // reads it with the rest, so both of its indexes carry it.
    "ALTER TABLE breaks ADD COLUMN shown INTEGER CHECK (shown IN (0, 1));
     DROP INDEX breaks_by_due_covering;
     CREATE INDEX breaks_by_due_covering ON breaks (due_at, outcome, kind, covers, started_at, shown);
     DROP INDEX breaks_by_outcome;
     CREATE INDEX breaks_by_outcome ON breaks (outcome, due_at, shown);",
];

/// How long one statement waits for another process's lock before giving up. Short, because
/// writes run on the scheduler's thread: a record that cannot be written waits in memory and
/// is retried later (see [`crate::journal`]).
const BUSY_TIMEOUT: Duration = Duration::from_millis(250);

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

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

/// A damaged database that was moved aside and replaced by a fresh one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    pub moved_to: std::path::PathBuf,
    pub reason: String,
}

/// Renames `path` and its WAL companions to `<name>.damaged-<UTC stamp>`; returns the new name.
fn move_aside(path: &Path, now: DateTime<Utc>) -> std::io::Result<std::path::PathBuf> {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let aside = |p: &Path| {
        let mut name = p.as_os_str().to_owned();
        name.push(format!(".damaged-{stamp}"));
        std::path::PathBuf::from(name)
    };
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        let companion = std::path::PathBuf::from(companion);
        if companion.exists() {
            std::fs::rename(&companion, aside(&companion))?;
        }
    }
    let target = aside(path);
    std::fs::rename(path, &target)?;
    Ok(target)
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

/// A logged break with its row id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBreak {
    pub id: i64,
    pub record: BreakRecord,
}

/// The break on screen, as remembered in case the process dies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenBreak {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub trigger: Trigger,
    pub due_at: DateTime<Utc>,
    pub started_at: DateTime<Utc>,
    pub planned_secs: u32,
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

    /// Opens the database at `path`; if it is damaged (not a database, corrupt, truncated, or from
    /// a newer Respite), moves it (and its `-wal` and `-shm` files) aside under a name stamped
    /// with `now`, and starts a fresh one. Returns the store and, when it moved one aside, how.
    /// Errors that are not damage (a lock, a full disk, a read-only folder) are returned as they
    /// are: the file is left alone.
    pub fn open_or_recover(path: &Path, now: DateTime<Utc>) -> Result<(Self, Option<Recovery>), StoreError> {
        match Self::open(path) {
            Ok(store) => Ok((store, None)),
            Err(e) if e.is_damage() => {
                let reason = e.to_string();
                let moved_to = move_aside(path, now)
                    .map_err(|source| StoreError::MoveAside { path: path.display().to_string(), source })?;
                let store = Self::open(path)?;
                Ok((store, Some(Recovery { moved_to, reason })))
            }
            Err(e) => Err(e),
        }
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

    /// How long each span lasted, in SQL: the stored length from schema 4 on, worked out from
    /// the times (slowly) in an older database opened read-only.
    fn span_length_sql(&self) -> &'static str {
        if self.schema >= 4 {
            "length_ms"
        } else {
            "max(0, CAST(round((julianday(ended_at) - julianday(started_at)) * 86400000.0) AS INTEGER))"
        }
    }

    /// Whether each break's window was on screen, in SQL: the column from schema 7 on, unknown
    /// (NULL) in an older database opened read-only.
    fn shown_sql(&self) -> &'static str {
        if self.schema >= 7 {
            "shown"
        } else {
            "NULL"
        }
    }

    fn migrate(&mut self, path: &Path) -> Result<(), StoreError> {
        let found = schema_version(&self.conn)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::FromTheFuture { path: path.display().to_string(), found });
        }
        for (index, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let version = index as u32 + 1;
            let migrate = |source| StoreError::Migrate { version, source };
            let tx = self.conn.transaction().map_err(migrate)?;
            tx.execute_batch(step).map_err(migrate)?;
            tx.pragma_update(None, "user_version", version).map_err(migrate)?;
            tx.commit().map_err(migrate)?;
        }
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema_version(&self.conn)
    }

    /// Remembers that `brk` is on screen. A different break's row still there (one that was on
    /// screen when an earlier run ended and was not recovered, because the database could not be
    /// opened then) is logged as `interrupted` in the same transaction, ended at the latest when
    /// `brk` started; that record is returned. The same break written again changes nothing.
    pub fn open_break(&mut self, brk: &OpenBreak) -> Result<Option<BreakRecord>, StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin"))?;
        let earlier = read_open_break(&tx)?.filter(|earlier| earlier != brk);
        let interrupted = earlier.map(|earlier| interrupted(&earlier, brk.started_at));
        if let Some(record) = &interrupted {
            insert_break(&tx, record)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO open_break (only_one, kind, covers, trigger, due_at, started_at, planned_secs)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            params![brk.kind.as_str(), covers_to_text(&brk.covers), brk.trigger.as_str(), to_db(brk.due_at), to_db(brk.started_at), brk.planned_secs],
        )
        .map_err(sql("remember the break on screen"))?;
        tx.commit().map_err(sql("commit the break on screen"))?;
        Ok(interrupted)
    }

    /// Logs a break whose outcome is known and, in the same transaction, forgets the open break
    /// when `closes_open_break`. Returns the new row id.
    pub fn record(&mut self, record: &BreakRecord, closes_open_break: bool) -> Result<i64, StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin"))?;
        let id = insert_break(&tx, record)?;
        if closes_open_break {
            tx.execute("DELETE FROM open_break", []).map_err(sql("forget the break on screen"))?;
        }
        tx.commit().map_err(sql("commit the break"))?;
        Ok(id)
    }

    /// Starts writing many breaks and spans in one transaction (an import, a synthetic history):
    /// far faster than one transaction each. Nothing is kept unless [`Batch::commit`] is called.
    /// While it lasts, SQLite's page cache is larger ([`BATCH_CACHE_KIB`]), so a big batch
    /// spills far less to the WAL.
    pub fn batch(&mut self) -> Result<Batch<'_>, StoreError> {
        let cache_size: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0)).map_err(sql("read the cache size"))?;
        self.conn.pragma_update(None, "cache_size", -BATCH_CACHE_KIB).map_err(sql("grow the cache"))?;
        let tx = self.conn.unchecked_transaction().map_err(sql("begin"))?;
        Ok(Batch { conn: &self.conn, tx: Some(tx), cache_size })
    }

    /// If a break was on screen when the last run ended, logs it as `interrupted` and returns it.
    /// It is taken to have lasted until `now` or its planned end, whichever is first.
    pub fn recover_interrupted(&mut self, now: DateTime<Utc>) -> Result<Option<BreakRecord>, StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin"))?;
        let Some(open) = read_open_break(&tx)? else {
            return Ok(None);
        };
        let record = interrupted(&open, now);
        insert_break(&tx, &record)?;
        tx.execute("DELETE FROM open_break", []).map_err(sql("forget the break on screen"))?;
        tx.commit().map_err(sql("commit the break"))?;
        Ok(Some(record))
    }

    /// Logs a span of time at the screen.
    pub fn activity(&mut self, span: &Span) -> Result<(), StoreError> {
        insert_span(&self.conn, span)
    }

    /// Spans at the screen that overlap `[from, to)`, oldest first, as logged (not cut to the
    /// range): those that start in it, and the one that started before and runs into it. Spans
    /// follow one another without overlapping (one person, one timeline), so that is the last
    /// to start before `from`: range scans of the start index, nothing read twice.
    pub fn activity_overlapping(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Span>, StoreError> {
        let mut out: Vec<Span> = self.last_span_before(from)?.filter(|span| span.end > from).into_iter().collect();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT started_at, {}, after_hours FROM activity WHERE started_at >= ?1 AND started_at < ?2 ORDER BY started_at",
                self.span_length_sql()
            ))
            .map_err(sql("query screen time"))?;
        let mut rows = stmt.query(params![to_db(from), to_db(to)]).map_err(sql("query screen time"))?;
        while let Some(row) = rows.next().map_err(sql("read screen time"))? {
            let start = read_time(column_bytes(row, 0)?).map_err(|reason| StoreError::BadRow { id: 0, reason })?;
            let (length_ms, after_hours): (i64, bool) = (row.get(1).map_err(sql("read screen time"))?, row.get(2).map_err(sql("read screen time"))?);
            out.push(Span { start, end: start + chrono::TimeDelta::milliseconds(length_ms), after_hours });
        }
        Ok(out)
    }

    /// Time at the screen within `[from, to)`, and the part of it after hours: sums over the
    /// start index (spans keep their length), with the spans running over either end cut to
    /// the range.
    pub fn screen_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<ScreenTime, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT coalesce(sum(length), 0), coalesce(sum(length * after_hours), 0)
                 FROM (SELECT {} AS length, after_hours FROM activity WHERE started_at >= ?1 AND started_at < ?2)",
                self.span_length_sql()
            ))
            .map_err(sql("add up screen time"))?;
        let (total_ms, after_hours_ms) = stmt.query_row(params![to_db(from), to_db(to)], |r| Ok((r.get(0)?, r.get(1)?))).map_err(sql("add up screen time"))?;
        let mut time = ScreenTime { total_ms, after_hours_ms };
        let mut add = |span: &Span, ms: i64| {
            time.total_ms += ms;
            if span.after_hours {
                time.after_hours_ms += ms;
            }
        };
        if let Some(span) = self.last_span_before(from)? {
            add(&span, (span.end.min(to) - from).num_milliseconds().max(0));
        }
        if let Some(span) = self.last_span_before(to)?.filter(|span| span.start >= from) {
            add(&span, -(span.end - to).num_milliseconds().max(0));
        }
        Ok(time)
    }

    /// The last span at the screen to start before `t`.
    fn last_span_before(&self, t: DateTime<Utc>) -> Result<Option<Span>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT started_at, ended_at, after_hours FROM activity WHERE started_at < ?1 ORDER BY started_at DESC LIMIT 1")
            .map_err(sql("query screen time"))?;
        let mut rows = stmt.query(params![to_db(t)]).map_err(sql("query screen time"))?;
        rows.next().map_err(sql("read screen time"))?.map(read_span).transpose()
    }

    /// Breaks due in `[from, to)`, oldest first (in index order where due at the same moment),
    /// reduced to what summaries read. Much lighter than [`Store::breaks`] when there are
    /// thousands: six columns, all in one index (migrations 3 and 7), read without copying.
    pub fn break_briefs(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<BreakBrief>, StoreError> {
        let mut out = Vec::new();
        self.visit_breaks(from, to, |brief| out.push(brief))?;
        Ok(out)
    }

    /// As [`Store::break_briefs`], handing each break to `visit` instead of collecting them.
    pub fn visit_breaks(&self, from: DateTime<Utc>, to: DateTime<Utc>, mut visit: impl FnMut(BreakBrief)) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT kind, covers, due_at, started_at, outcome, {} FROM breaks
                 WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at",
                self.shown_sql()
            ))
            .map_err(sql("query breaks"))?;
        let mut rows = stmt.query(params![to_db(from), to_db(to)]).map_err(sql("query breaks"))?;
        while let Some(row) = rows.next().map_err(sql("read a break"))? {
            let word = |i| column_bytes(row, i);
            let due_text = word(2)?;
            let bad = |reason: String| StoreError::BadRow { id: 0, reason: format!("{reason} (the break due {})", String::from_utf8_lossy(due_text)) };
            let started_at = match row.get_ref(3).map_err(sql("read a break"))?.as_bytes_or_null().map_err(|e| sql("read a break")(e.into()))? {
                Some(t) => Some(read_time(t).map_err(bad)?),
                None => None,
            };
            visit(BreakBrief {
                kind: BreakKind::from_bytes(word(0)?).map_err(|e| bad(e.to_string()))?,
                covers: match word(1)? {
                    b"" => Vec::new(),
                    many => many.split(|b| *b == b';').filter(|k| !k.is_empty()).map(BreakKind::from_bytes).collect::<Result<_, _>>().map_err(|e| bad(e.to_string()))?,
                },
                due_at: read_time(due_text).map_err(bad)?,
                started_at,
                outcome: Outcome::from_bytes(word(4)?).map_err(|e| bad(e.to_string()))?,
                shown: row.get(5).map_err(sql("read a break"))?,
            });
        }
        Ok(())
    }

    /// How the breaks due in `[from, to)` ended: six counts, each a range of the outcome index
    /// (completed ones split by whether their window was on screen, see [`OutcomeCounts`]).
    pub fn outcome_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<OutcomeCounts, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT (SELECT count(*) FROM breaks WHERE outcome = 'completed' AND due_at >= ?1 AND due_at < ?2),
                        (SELECT count(*) FROM breaks WHERE outcome = 'skipped' AND due_at >= ?1 AND due_at < ?2),
                        (SELECT count(*) FROM breaks WHERE outcome = 'postponed' AND due_at >= ?1 AND due_at < ?2),
                        (SELECT count(*) FROM breaks WHERE outcome = 'natural' AND due_at >= ?1 AND due_at < ?2),
                        (SELECT count(*) FROM breaks WHERE outcome = 'interrupted' AND due_at >= ?1 AND due_at < ?2),
                        (SELECT count(*) FROM breaks WHERE outcome = 'completed' AND due_at >= ?1 AND due_at < ?2 AND {} = 0)",
                self.shown_sql()
            ))
            .map_err(sql("count breaks"))?;
        stmt.query_row(params![to_db(from), to_db(to)], |r| {
            let unseen: u32 = r.get(5)?;
            Ok(OutcomeCounts {
                completed: r.get::<_, u32>(0)?.saturating_sub(unseen),
                skipped: r.get(1)?,
                postponed: r.get(2)?,
                natural: r.get(3)?,
                interrupted: r.get(4)?,
                unseen,
            })
        })
        .map_err(sql("count breaks"))
    }

    /// Hands `visit` the due time, outcome and `shown` of each break due in `[from, to)`, newest
    /// first, until it returns [`ControlFlow::Break`]: a walk back through the log that reads no
    /// further than it needs (the summary's streak).
    pub fn outcomes_backwards(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        mut visit: impl FnMut(DateTime<Utc>, Outcome, Option<bool>) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT due_at, outcome, {} FROM breaks WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at DESC",
                self.shown_sql()
            ))
            .map_err(sql("query breaks"))?;
        let mut rows = stmt.query(params![to_db(from), to_db(to)]).map_err(sql("query breaks"))?;
        while let Some(row) = rows.next().map_err(sql("read a break"))? {
            let bad = |reason: String| StoreError::BadRow { id: 0, reason };
            let due_at = read_time(column_bytes(row, 0)?).map_err(bad)?;
            let outcome = Outcome::from_bytes(column_bytes(row, 1)?).map_err(|e| bad(e.to_string()))?;
            let shown: Option<bool> = row.get(2).map_err(sql("read a break"))?;
            if visit(due_at, outcome, shown).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Logs a focus round.
    pub fn focus_round(&mut self, round: &FocusRound) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO focus_rounds (round, started_at, ended_at, completed) VALUES (?1, ?2, ?3, ?4)",
                params![round.round, to_db(round.started_at), to_db(round.ended_at), round.completed],
            )
            .map_err(sql("log the focus round"))?;
        Ok(())
    }

    /// Focus rounds that start in `[from, to)`, oldest first.
    pub fn focus_rounds(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<FocusRound>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT round, started_at, ended_at, completed FROM focus_rounds WHERE started_at >= ?1 AND started_at < ?2 ORDER BY started_at")
            .map_err(sql("query focus rounds"))?;
        let rows = stmt
            .query_map(params![to_db(from), to_db(to)], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?)))
            .map_err(sql("query focus rounds"))?;
        let mut out = Vec::new();
        for row in rows {
            let (round, start, end, completed) = row.map_err(sql("read a focus round"))?;
            let bad = |e: chrono::ParseError| StoreError::BadRow { id: 0, reason: e.to_string() };
            out.push(FocusRound { round, started_at: from_db(&start).map_err(bad)?, ended_at: from_db(&end).map_err(bad)?, completed });
        }
        Ok(out)
    }

    /// Breaks due in `[from, to)`, oldest first; `None` leaves that end open.
    pub fn breaks(&self, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Result<Vec<StoredBreak>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome,
                        held_reason, held_secs, {}
                 FROM breaks WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at, id",
                self.shown_sql()
            ))
            .map_err(sql("query breaks"))?;
        let from = from.map(to_db).unwrap_or_default();
        let to = to.map(to_db).unwrap_or_else(|| "~".into()); // '~' sorts after every digit
        let rows = stmt.query_map(params![from, to], read_row).map_err(sql("query breaks"))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(sql("read a break"))??);
        }
        Ok(out)
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
        tx.commit().map_err(sql("commit the deletion"))?;
        // Best effort, the deletion being done: a reader in the middle of a query can keep the
        // checkpoint from finishing; the WAL is then truncated at the next prune, or at the
        // last close.
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        Ok(deleted)
    }

    /// Number of logged breaks of `kind` (seeds the rotation of break content).
    pub fn count_kind(&self, kind: BreakKind) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM breaks WHERE kind = ?1", params![kind.as_str()], |r| r.get(0))
            .map_err(sql("count breaks"))?;
        Ok(n.unsigned_abs())
    }

    /// Number of logged breaks.
    pub fn count(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM breaks", [], |r| r.get(0)).map_err(sql("count breaks"))?;
        Ok(n.unsigned_abs())
    }
}

/// The weekly self-check's answers.
impl Store {
    /// Saves `answers` for `week`, replacing that week's earlier ones.
    pub fn save_self_check(&mut self, week: Week, answers: Answers, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO self_checks (week, answered_at, energy, closeness, accomplishment) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (week) DO UPDATE SET answered_at = excluded.answered_at, energy = excluded.energy,
                    closeness = excluded.closeness, accomplishment = excluded.accomplishment",
                params![week.to_string(), to_db(at), answers.energy, answers.closeness, answers.accomplishment],
            )
            .map_err(sql("save the self-check"))?;
        Ok(())
    }

    /// The answers for `week`, if given.
    pub fn self_check(&self, week: Week) -> Result<Option<Answers>, StoreError> {
        Ok(self.self_checks(week, week)?.pop().map(|c| c.answers))
    }

    /// Answered weeks from `from` to `to` (both included), oldest first. Rows that do not read
    /// back (edited by hand) are skipped.
    pub fn self_checks(&self, from: Week, to: Week) -> Result<Vec<Checked>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT week, energy, closeness, accomplishment FROM self_checks WHERE week >= ?1 AND week <= ?2 ORDER BY week")
            .map_err(sql("read the self-checks"))?;
        let rows = stmt
            .query_map(params![from.to_string(), to.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u8>(1)?, r.get::<_, u8>(2)?, r.get::<_, u8>(3)?)))
            .map_err(sql("read the self-checks"))?;
        let mut out = Vec::new();
        for row in rows {
            let (week, e, c, a) = row.map_err(sql("read a self-check"))?;
            if let (Ok(week), Ok(answers)) = (week.parse::<Week>(), Answers::new(e, c, a)) {
                out.push(Checked { week, answers });
            }
        }
        Ok(out)
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

/// A logged break reduced to what summaries read (see [`Store::break_briefs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakBrief {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub due_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub outcome: Outcome,
    /// See [`BreakRecord::shown`].
    pub shown: Option<bool>,
}

/// Time at the screen in a range, in milliseconds (see [`Store::screen_time`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScreenTime {
    pub total_ms: i64,
    pub after_hours_ms: i64,
}

/// How many breaks ended each way. A break that ran its whole length with no window on screen
/// (`completed`, `shown` false) is not a completed one here but `unseen`: nobody was shown it.
/// One whose `shown` is not known (logged before schema 7) counts by its outcome.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub completed: u32,
    pub skipped: u32,
    pub postponed: u32,
    pub natural: u32,
    pub interrupted: u32,
    pub unseen: u32,
}

impl OutcomeCounts {
    /// Counts one more break that ended with `outcome`, its window `shown` or not.
    pub fn add(&mut self, outcome: Outcome, shown: Option<bool>) {
        let n = match outcome {
            Outcome::Completed if shown == Some(false) => &mut self.unseen,
            Outcome::Completed => &mut self.completed,
            Outcome::Skipped => &mut self.skipped,
            Outcome::Postponed => &mut self.postponed,
            Outcome::Natural => &mut self.natural,
            Outcome::Interrupted => &mut self.interrupted,
        };
        *n += 1;
    }

    /// Every row counted, whatever its outcome.
    pub fn rows(&self) -> u32 {
        self.completed + self.skipped + self.postponed + self.natural + self.interrupted + self.unseen
    }
}

/// SQLite's page cache while a [`Batch`] writes, in KiB (its default is 2 MiB).
pub const BATCH_CACHE_KIB: i64 = 64 * 1024;

/// Many writes in one transaction; see [`Store::batch`]. Dropped without
/// [`commit`](Batch::commit), it writes nothing.
pub struct Batch<'a> {
    conn: &'a Connection,
    /// `None` once committed.
    tx: Option<Transaction<'a>>,
    /// The cache size to give back.
    cache_size: i64,
}

impl Batch<'_> {
    /// Logs a break (as [`Store::record`], without touching the open break). Returns its row id.
    pub fn record(&self, record: &BreakRecord) -> Result<i64, StoreError> {
        insert_break(self.conn, record)
    }

    /// Logs a span of time at the screen.
    pub fn activity(&self, span: &Span) -> Result<(), StoreError> {
        insert_span(self.conn, span)
    }

    /// Keeps everything written in this batch.
    pub fn commit(mut self) -> Result<(), StoreError> {
        self.tx.take().map_or(Ok(()), |tx| tx.commit().map_err(sql("commit the batch")))
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        drop(self.tx.take()); // rolls back what was not committed
        let _ = self.conn.pragma_update(None, "cache_size", self.cache_size);
    }
}

/// The break on screen as remembered, if any.
fn read_open_break(conn: &Connection) -> Result<Option<OpenBreak>, StoreError> {
    let open = conn
        .query_row(
            "SELECT kind, covers, trigger, due_at, started_at, planned_secs FROM open_break WHERE only_one = 1",
            [],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, String>(3)?, row.get::<_, String>(4)?, row.get::<_, u32>(5)?)),
        )
        .optional()
        .map_err(sql("read the break on screen"))?;
    let Some((kind, covers, trigger, due_at, started_at, planned_secs)) = open else {
        return Ok(None);
    };
    let bad = |reason: String| StoreError::BadRow { id: 0, reason };
    Ok(Some(OpenBreak {
        kind: kind.parse::<BreakKind>().map_err(|e| bad(e.to_string()))?,
        covers: covers_from_text(&covers).map_err(|e| bad(e.to_string()))?,
        trigger: trigger.parse::<Trigger>().map_err(|e| bad(e.to_string()))?,
        due_at: from_db(&due_at).map_err(|e| bad(e.to_string()))?,
        started_at: from_db(&started_at).map_err(|e| bad(e.to_string()))?,
        planned_secs,
    }))
}

/// The record of `open` cut short: it lasted until `now` or its planned end, whichever is first.
fn interrupted(open: &OpenBreak, now: DateTime<Utc>) -> BreakRecord {
    let planned_end = open.started_at.checked_add_signed(chrono::Duration::seconds(open.planned_secs.into())).unwrap_or(DateTime::<Utc>::MAX_UTC);
    let ended_at = now.min(planned_end).max(open.started_at);
    BreakRecord {
        kind: open.kind,
        covers: open.covers.clone(),
        trigger: open.trigger,
        due_at: open.due_at,
        started_at: Some(open.started_at),
        ended_at,
        planned_secs: open.planned_secs,
        actual_secs: u32::try_from((ended_at - open.started_at).num_seconds()).unwrap_or(0),
        outcome: Outcome::Interrupted,
        held: None,
        // Whether its window was up is not known: the run that knew it ended.
        shown: None,
    }
}

fn insert_break(conn: &Connection, record: &BreakRecord) -> Result<i64, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome,
                                 held_reason, held_secs, shown)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )
        .map_err(sql("log the break"))?;
    stmt.execute(params![
        record.kind.as_str(),
        covers_to_text(&record.covers),
        record.trigger.as_str(),
        to_db(record.due_at),
        record.started_at.map(to_db),
        to_db(record.ended_at),
        record.planned_secs,
        record.actual_secs,
        record.outcome.as_str(),
        record.held.map(|h| h.reason.as_str()),
        record.held.map_or(0, |h| h.secs),
        record.shown
    ])
    .map_err(sql("log the break"))?;
    Ok(conn.last_insert_rowid())
}

fn insert_span(conn: &Connection, span: &Span) -> Result<(), StoreError> {
    let length_ms = (span.end - span.start).num_milliseconds().max(0);
    conn.prepare_cached("INSERT INTO activity (started_at, ended_at, after_hours, length_ms) VALUES (?1, ?2, ?3, ?4)")
        .and_then(|mut stmt| stmt.execute(params![to_db(span.start), to_db(span.end), span.after_hours, length_ms]))
        .map_err(sql("log screen time"))?;
    Ok(())
}

/// A row of `started_at, ended_at, after_hours` from `activity`.
fn read_span(row: &Row<'_>) -> Result<Span, StoreError> {
    let time = |i| read_time(column_bytes(row, i)?).map_err(|reason| StoreError::BadRow { id: 0, reason });
    let after_hours: bool = row.get(2).map_err(sql("read screen time"))?;
    Ok(Span { start: time(0)?, end: time(1)?, after_hours })
}

/// Column `i` of `row` as bytes (text read without checking it is UTF-8: what follows checks).
fn column_bytes<'r>(row: &'r Row<'_>, i: usize) -> Result<&'r [u8], StoreError> {
    row.get_ref(i).and_then(|v| v.as_bytes().map_err(Into::into)).map_err(sql("read a time"))
}

/// Reads a stored time. The fixed-width form [`to_db`] writes (`2026-11-23T09:15:00.000Z`) is
/// read field by field straight to an instant, several times faster than a general RFC 3339
/// parse, which matters when a summary reads thousands; anything else goes through [`from_db`].
fn read_time(text: &[u8]) -> Result<DateTime<Utc>, String> {
    if let Some(t) = fixed_width_time(text) {
        return Ok(t);
    }
    let text = std::str::from_utf8(text).map_err(|e| e.to_string())?;
    from_db(text).map_err(|e| format!("{e}: {text:?}"))
}

fn fixed_width_time(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() != 24 || (b[4], b[7], b[10], b[13], b[16], b[19], b[23]) != (b'-', b'-', b'T', b':', b':', b'.', b'Z') {
        return None;
    }
    let digit = |i: usize| -> Option<i64> {
        let d = b[i].wrapping_sub(b'0');
        (d < 10).then_some(i64::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = two(0)? * 100 + two(2)?;
    let (month, day, hour, minute, second) = (two(5)?, two(8)?, two(11)?, two(14)?, two(17)?);
    let milli = digit(20)? * 100 + two(21)?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day < 1 || day > month_days[(month - 1) as usize] || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    DateTime::from_timestamp_millis((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + milli)
}

fn schema_version(conn: &Connection) -> Result<u32, StoreError> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql("read the schema version"))
}

type RowResult = Result<StoredBreak, StoreError>;

fn read_row(row: &Row<'_>) -> rusqlite::Result<RowResult> {
    let id: i64 = row.get(0)?;
    let text = |i: usize| row.get::<_, String>(i);
    let (kind, covers, trigger, due_at, ended_at, outcome) = (text(1)?, text(2)?, text(3)?, text(4)?, text(6)?, text(9)?);
    let started_at: Option<String> = row.get(5)?;
    let (planned_secs, actual_secs): (u32, u32) = (row.get(7)?, row.get(8)?);
    let (held_reason, held_secs): (Option<String>, u32) = (row.get(10)?, row.get(11)?);
    let shown: Option<bool> = row.get(12)?;
    let parse = || -> Result<BreakRecord, String> {
        Ok(BreakRecord {
            kind: kind.parse::<BreakKind>().map_err(|e| e.to_string())?,
            covers: covers_from_text(&covers).map_err(|e| e.to_string())?,
            trigger: trigger.parse::<Trigger>().map_err(|e| e.to_string())?,
            due_at: from_db(&due_at).map_err(|e| e.to_string())?,
            started_at: started_at.as_deref().map(from_db).transpose().map_err(|e| e.to_string())?,
            ended_at: from_db(&ended_at).map_err(|e| e.to_string())?,
            planned_secs,
            actual_secs,
            outcome: outcome.parse::<Outcome>().map_err(|e| e.to_string())?,
            held: held_reason.map(|r| r.parse::<HoldReason>().map(|reason| Held { reason, secs: held_secs })).transpose().map_err(|e| e.to_string())?,
            shown,
        })
    };
    Ok(parse().map(|record| StoredBreak { id, record }).map_err(|reason| StoreError::BadRow { id, reason }))
}

#[cfg(test)]
mod durability_cost;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// Every `CHECK (column IN ('word', …))` in the schema a new database has, by table and
    /// column (lists of numbers, such as `IN (0, 1)`, are left out).
    fn word_checks(store: &Store) -> std::collections::BTreeMap<(String, String), Vec<String>> {
        let mut stmt = store.conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").unwrap();
        let tables: Vec<(String, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        let mut checks = std::collections::BTreeMap::new();
        for (table, sql) in tables {
            for piece in sql.split("CHECK (").skip(1) {
                let Some((column, rest)) = piece.split_once(" IN (") else { continue };
                let column = column.trim();
                if column.is_empty() || !column.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                let items: Vec<&str> = rest.split_once(')').expect("a closed list").0.split(',').map(str::trim).collect();
                if items.iter().all(|i| i.len() >= 2 && i.starts_with('\'') && i.ends_with('\'')) {
                    let words = items.iter().map(|i| i[1..i.len() - 1].to_owned()).collect();
                    assert!(checks.insert((table.clone(), column.to_owned()), words).is_none(), "two CHECK lists for {table}.{column}");
                }
            }
        }
        checks
    }

    #[test]
    fn the_schemas_check_lists_are_the_word_lists() {
        let store = Store::open_in_memory().unwrap();
        let column = |c: &str| ("breaks".to_owned(), c.to_owned());
        let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let expected = std::collections::BTreeMap::from([
            (column("kind"), words(&BreakKind::WORDS)),
            (column("trigger"), words(&Trigger::WORDS)),
            (column("outcome"), words(&Outcome::WORDS)),
            (column("held_reason"), words(&HoldReason::WORDS)),
        ]);
        // A word added to an enum needs a migration that widens its CHECK (as 2 and 6 did).
        assert_eq!(word_checks(&store), expected);
    }

    fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
    }

    fn record(kind: BreakKind, due: DateTime<Utc>, outcome: Outcome) -> BreakRecord {
        BreakRecord {
            kind,
            covers: if kind == BreakKind::Walk { vec![BreakKind::Eye] } else { vec![] },
            trigger: Trigger::Scheduled,
            due_at: due,
            started_at: Some(due),
            ended_at: due + chrono::Duration::seconds(20),
            planned_secs: 20,
            actual_secs: 20,
            outcome,
            held: None,
            shown: None,
        }
    }

    #[test]
    fn a_new_database_is_migrated_in_wal_mode_and_records_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/respite.sqlite3");
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let a = record(BreakKind::Eye, t(9, 20, 0), Outcome::Completed);
        let b = record(BreakKind::Walk, t(10, 50, 0), Outcome::Skipped);
        store.record(&b, false).unwrap();
        store.record(&a, false).unwrap();
        drop(store);

        let store = Store::open(&path).unwrap();
        let all = store.breaks(None, None).unwrap();
        assert_eq!(all.iter().map(|s| s.record.clone()).collect::<Vec<_>>(), vec![a.clone(), b.clone()], "ordered by due time");
        let only_b = store.breaks(Some(t(10, 0, 0)), Some(t(11, 0, 0))).unwrap();
        assert_eq!(only_b.len(), 1);
        assert_eq!(only_b[0].record, b);
        let read_only = Store::open_read_only(&path).unwrap();
        assert_eq!(read_only.count().unwrap(), 2);
        assert_eq!(read_only.count_kind(BreakKind::Walk).unwrap(), 1);
        assert_eq!(read_only.count_kind(BreakKind::Stretch).unwrap(), 0);
    }

    #[test]
    fn retention_deletes_only_breaks_older_than_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        for hour in [8, 9, 10] {
            store.record(&record(BreakKind::Eye, t(hour, 0, 0), Outcome::Completed), false).unwrap();
        }
        assert_eq!(store.delete_before(t(9, 0, 0)).unwrap(), 1);
        let left: Vec<_> = store.breaks(None, None).unwrap().into_iter().map(|b| b.record.due_at).collect();
        assert_eq!(left, vec![t(9, 0, 0), t(10, 0, 0)]);
    }

    #[test]
    fn times_are_stored_as_utc_text() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        store.record(&record(BreakKind::Eye, t(9, 20, 0), Outcome::Completed), false).unwrap();
        let due: String = store.conn.query_row("SELECT due_at FROM breaks", [], |r| r.get(0)).unwrap();
        assert_eq!(due, "2026-11-23T09:20:00.000Z");
    }

    #[test]
    fn a_break_on_screen_when_the_process_died_is_logged_as_interrupted_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut store = Store::open(&path).unwrap();
        store
            .open_break(&OpenBreak {
                kind: BreakKind::Stretch,
                covers: vec![BreakKind::Eye],
                trigger: Trigger::Scheduled,
                due_at: t(9, 50, 0),
                started_at: t(9, 50, 0),
                planned_secs: 90,
            })
            .unwrap();
        drop(store); // the process dies here

        let mut store = Store::open(&path).unwrap();
        let recovered = store.recover_interrupted(t(12, 0, 0)).unwrap().unwrap();
        assert_eq!(recovered.outcome, Outcome::Interrupted);
        assert_eq!(recovered.covers, vec![BreakKind::Eye]);
        assert_eq!((recovered.ended_at, recovered.actual_secs), (t(9, 51, 30), 90), "capped at its planned end");
        assert_eq!(store.recover_interrupted(t(12, 0, 0)).unwrap(), None);
        assert_eq!(store.count().unwrap(), 1);
    }

    fn on_screen(kind: BreakKind, started_at: DateTime<Utc>, planned_secs: u32) -> OpenBreak {
        OpenBreak { kind, covers: vec![], trigger: Trigger::Scheduled, due_at: started_at, started_at, planned_secs }
    }

    #[test]
    fn a_break_left_on_screen_is_logged_as_interrupted_when_the_next_one_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        // An earlier run died during this break, and the start that followed could not recover
        // it (the database did not open then).
        assert_eq!(store.open_break(&on_screen(BreakKind::Stretch, t(9, 0, 0), 300)).unwrap(), None);
        let next = on_screen(BreakKind::Eye, t(9, 2, 0), 20);
        let logged = store.open_break(&next).unwrap().expect("the earlier break is logged");
        assert_eq!((logged.kind, logged.outcome), (BreakKind::Stretch, Outcome::Interrupted));
        assert_eq!((logged.ended_at, logged.actual_secs), (t(9, 2, 0), 120), "ended at the latest when the next one started");
        assert_eq!(store.open_break(&next).unwrap(), None, "the same break written again is not a second break");
        store.record(&record(BreakKind::Eye, t(9, 2, 0), Outcome::Completed), true).unwrap();
        let outcomes: Vec<_> = store.breaks(None, None).unwrap().into_iter().map(|b| (b.record.kind, b.record.outcome)).collect();
        assert_eq!(outcomes, [(BreakKind::Stretch, Outcome::Interrupted), (BreakKind::Eye, Outcome::Completed)]);
        assert_eq!(store.recover_interrupted(t(10, 0, 0)).unwrap(), None);
    }

    #[test]
    fn every_commit_is_synced_to_disk() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        // 2 = FULL: with WAL, NORMAL (1) syncs only at checkpoints and can lose the last breaks
        // when the power goes.
        assert_eq!(store.pragma("synchronous"), 2);
        assert_eq!(store.pragma("secure_delete"), 1);
    }

    #[cfg(unix)]
    #[test]
    fn the_data_folder_is_created_0700_and_the_database_files_0600() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("share/respite");
        let path = data.join("respite.sqlite3");
        let mut store = Store::open(&path).unwrap();
        store.record(&record(BreakKind::Eye, t(9, 0, 0), Outcome::Completed), false).unwrap();
        let wal = data.join("respite.sqlite3-wal");
        let shm = data.join("respite.sqlite3-shm");
        assert_eq!([mode(&data), mode(&dir.path().join("share"))], [0o700, 0o700]);
        assert_eq!([mode(&path), mode(&wal), mode(&shm)], [0o600, 0o600, 0o600]);
        drop(store);

        // Files an older Respite left readable by others are tightened when opened.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(Store::open(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn retention_deletes_self_check_answers_of_weeks_that_ended_before_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        let w = |n| Week::new(2026, n).unwrap();
        for n in [45, 46, 47, 48] {
            store.save_self_check(w(n), Answers::new(2, 3, 4).unwrap(), t(9, 0, 0)).unwrap();
        }
        // Wednesday of week 47: weeks 45 and 46 are over before it; 47 is not.
        let wednesday = Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap();
        assert_eq!(Week::containing(wednesday, &Utc), w(47));
        store.delete_before(wednesday).unwrap();
        let weeks: Vec<_> = store.self_checks(w(1), w(52)).unwrap().into_iter().map(|c| c.week.number()).collect();
        assert_eq!(weeks, [47, 48]);
    }

    #[test]
    fn pruned_rows_leave_no_trace_in_the_database_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("respite.sqlite3");
        let mut store = Store::open(&path).unwrap();
        let old = Utc.with_ymd_and_hms(2019, 3, 4, 9, 0, 0).unwrap();
        for minute in 0..50 {
            store.record(&record(BreakKind::Eye, old + chrono::Duration::minutes(minute), Outcome::Completed), false).unwrap();
        }
        store.save_self_check(Week::containing(old, &Utc), Answers::new(1, 1, 1).unwrap(), old).unwrap();
        store.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap(); // the rows reach the database file
        store.record(&record(BreakKind::Eye, t(9, 0, 0), Outcome::Completed), false).unwrap();
        store.delete_before(t(0, 0, 0)).unwrap();
        let files = [path.clone(), dir.path().join("respite.sqlite3-wal")];
        let bytes: Vec<u8> = files.iter().filter_map(|f| std::fs::read(f).ok()).flatten().collect();
        let found = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(!found(b"2019-03-04T09:"), "a pruned break's time is still in the files");
        assert!(!found(b"2019-W10"), "a pruned self-check's week is still in the files");
        assert!(found(b"2026-11-23T09:00"), "the kept break is there (the search works)");
        drop(store);
        let left: Vec<_> = Store::open_read_only(&path).unwrap().breaks(None, None).unwrap().into_iter().map(|b| b.record.due_at).collect();
        assert_eq!(left, [t(9, 0, 0)]);
    }

    #[test]
    fn finishing_a_break_closes_the_open_one_in_the_same_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        let rec = record(BreakKind::Eye, t(9, 20, 0), Outcome::Completed);
        store
            .open_break(&OpenBreak { kind: rec.kind, covers: vec![], trigger: rec.trigger, due_at: rec.due_at, started_at: t(9, 20, 0), planned_secs: 20 })
            .unwrap();
        store.record(&rec, true).unwrap();
        assert_eq!(store.recover_interrupted(t(10, 0, 0)).unwrap(), None);
        assert_eq!(store.count().unwrap(), 1);
    }

    #[test]
    fn self_check_answers_are_kept_per_week_and_replaced_when_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("respite.sqlite3");
        let mut store = Store::open(&path).unwrap();
        let w = |n| Week::new(2026, n).unwrap();
        store.save_self_check(w(46), Answers::new(2, 3, 4).unwrap(), t(16, 0, 0)).unwrap();
        store.save_self_check(w(47), Answers::new(1, 1, 2).unwrap(), t(16, 0, 0)).unwrap();
        store.save_self_check(w(47), Answers::new(3, 3, 3).unwrap(), t(17, 0, 0)).unwrap();
        store.save_self_check(w(5), Answers::new(5, 5, 5).unwrap(), t(17, 0, 0)).unwrap();
        drop(store);
        let store = Store::open_read_only(&path).unwrap();
        assert_eq!(store.self_check(w(47)).unwrap(), Some(Answers::new(3, 3, 3).unwrap()), "the later answers replace the earlier");
        assert_eq!(store.self_check(w(48)).unwrap(), None);
        let weeks: Vec<_> = store.self_checks(w(1), w(47)).unwrap().into_iter().map(|c| c.week.number()).collect();
        assert_eq!(weeks, [5, 46, 47], "week 5 sorts before 46: the text is zero-padded");
    }

    #[test]
    fn a_break_held_for_any_reason_is_logged_and_a_version_5_log_keeps_its_held_breaks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("respite.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            for step in &MIGRATIONS[..5] {
                conn.execute_batch(step).unwrap();
            }
            conn.pragma_update(None, "user_version", 5).unwrap();
            conn.execute(
                "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome, held_reason, held_secs)
                 VALUES ('eye', '', 'scheduled', '2026-11-20T09:00:00.000Z', '2026-11-20T09:08:00.000Z', '2026-11-20T09:08:20.000Z', 20, 20, 'completed', 'fullscreen', 480)",
                [],
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let old = store.breaks(None, None).unwrap();
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].record.held, Some(Held { reason: crate::senses::HoldReason::Fullscreen, secs: 480 }));
        let mut written = Vec::new();
        for (n, reason) in crate::senses::HoldReason::ALL.into_iter().enumerate() {
            let mut held = record(BreakKind::Eye, t(10, n as u32, 0), Outcome::Completed);
            held.held = Some(Held { reason, secs: 60 });
            store.record(&held, false).unwrap();
            written.push(held);
        }
        let read: Vec<BreakRecord> = store.breaks(None, None).unwrap().into_iter().skip(1).map(|b| b.record).collect();
        assert_eq!(read, written);
    }

    #[test]
    fn a_version_6_log_keeps_its_rows_with_shown_unknown_and_logs_whether_a_window_came_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("respite.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            for step in &MIGRATIONS[..6] {
                conn.execute_batch(step).unwrap();
            }
            conn.pragma_update(None, "user_version", 6).unwrap();
            conn.execute(
                "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome, held_reason, held_secs)
                 VALUES ('walk', 'eye', 'scheduled', '2026-11-23T09:00:00.000Z', '2026-11-23T09:02:00.000Z', '2026-11-23T09:07:00.000Z', 300, 300, 'completed', 'camera', 120)",
                [],
            )
            .unwrap();
        }
        let old = BreakRecord {
            kind: BreakKind::Walk,
            covers: vec![BreakKind::Eye],
            trigger: Trigger::Scheduled,
            due_at: t(9, 0, 0),
            started_at: Some(t(9, 2, 0)),
            ended_at: t(9, 7, 0),
            planned_secs: 300,
            actual_secs: 300,
            outcome: Outcome::Completed,
            held: Some(Held { reason: crate::senses::HoldReason::Camera, secs: 120 }),
            shown: None,
        };
        // Read-only (an older daemon may still run on it): not migrated, `shown` unknown.
        let read_only = Store::open_read_only(&path).unwrap();
        assert_eq!(read_only.schema_version().unwrap(), 6);
        assert_eq!(read_only.breaks(None, None).unwrap()[0].record, old);
        assert_eq!(read_only.break_briefs(t(0, 0, 0), t(23, 0, 0)).unwrap()[0].shown, None);
        assert_eq!(read_only.outcome_counts(t(0, 0, 0), t(23, 0, 0)).unwrap(), OutcomeCounts { completed: 1, ..Default::default() });
        drop(read_only);

        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), 7);
        assert_eq!(store.breaks(None, None).unwrap()[0].record, old, "the old row keeps its data");
        let unknown: bool = store.conn.query_row("SELECT shown IS NULL FROM breaks", [], |r| r.get(0)).unwrap();
        assert!(unknown, "an old row's window is unknown (NULL), not 'not shown'");

        let mut written = Vec::new();
        for (minute, shown) in [(10, Some(true)), (20, Some(false)), (30, None)] {
            let mut r = record(BreakKind::Eye, t(9, minute, 0), Outcome::Completed);
            r.shown = shown;
            store.record(&r, false).unwrap();
            written.push(r);
        }
        let read: Vec<BreakRecord> = store.breaks(None, None).unwrap().into_iter().skip(1).map(|b| b.record).collect();
        assert_eq!(read, written);
        let shown: Vec<Option<bool>> = store.break_briefs(t(0, 0, 0), t(23, 0, 0)).unwrap().into_iter().map(|b| b.shown).collect();
        assert_eq!(shown, [None, Some(true), Some(false), None]);
        let mut backwards = Vec::new();
        store
            .outcomes_backwards(t(0, 0, 0), t(23, 0, 0), |_, outcome, shown| {
                backwards.push((outcome, shown));
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(backwards[1], (Outcome::Completed, Some(false)));
        let counts = store.outcome_counts(t(0, 0, 0), t(23, 0, 0)).unwrap();
        assert_eq!(counts, OutcomeCounts { completed: 3, unseen: 1, ..Default::default() }, "a completed break with no window is not completed");
        assert_eq!(counts.rows(), 4);

        // The summary still reads everything from its indexes.
        let plan = |query: &str| -> String {
            let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {query}")).unwrap();
            let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
            rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
        };
        let week = "'2026-11-16T00:00:00.000Z' AND due_at < '2026-11-23T00:00:00.000Z'";
        let briefs = plan(&format!("SELECT kind, covers, due_at, started_at, outcome, shown FROM breaks WHERE due_at >= {week} ORDER BY due_at"));
        assert_eq!(briefs, "SEARCH breaks USING COVERING INDEX breaks_by_due_covering (due_at>? AND due_at<?)");
        let unseen = plan(&format!("SELECT count(*) FROM breaks WHERE outcome = 'completed' AND due_at >= {week} AND shown = 0"));
        assert!(unseen.contains("COVERING INDEX breaks_by_outcome (outcome=? AND due_at>? AND due_at<?)"), "{unseen}");
        let err = store.conn.execute("UPDATE breaks SET shown = 2", []);
        assert!(err.is_err(), "shown is 0, 1 or NULL");
    }

    #[test]
    fn a_version_1_log_is_migrated_keeping_every_row_and_takes_the_new_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("respite.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome)
                 VALUES ('walk', 'eye', 'manual', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z', '2026-11-20T09:05:00Z', 300, 300, 'completed')",
                [],
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let old = store.breaks(None, None).unwrap();
        assert_eq!(old.len(), 1);
        assert_eq!((old[0].record.kind, old[0].record.trigger, old[0].record.held), (BreakKind::Walk, Trigger::Manual, None));
        let mut focus = record(BreakKind::Stretch, t(10, 0, 0), Outcome::Completed);
        focus.trigger = Trigger::Focus;
        focus.held = Some(Held { reason: crate::senses::HoldReason::Fullscreen, secs: 95 });
        store.record(&focus, false).unwrap();
        let span = Span { start: t(9, 0, 0), end: t(9, 40, 0), after_hours: false };
        store.activity(&span).unwrap();
        let round = FocusRound { round: 2, started_at: t(9, 0, 0), ended_at: t(9, 25, 0), completed: true };
        store.focus_round(&round).unwrap();
        drop(store);
        let store = Store::open_read_only(&path).unwrap();
        assert_eq!(store.breaks(None, None).unwrap()[1].record, focus);
        assert_eq!(store.activity_overlapping(t(0, 0, 0), t(23, 0, 0)).unwrap(), vec![span]);
        assert_eq!(store.focus_rounds(t(0, 0, 0), t(23, 0, 0)).unwrap(), vec![round]);
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        drop(conn);
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::FromTheFuture { found, .. } if found == SCHEMA_VERSION + 1), "{err}");
        let conn = Connection::open(&path).unwrap();
        let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION + 1);
    }

    fn damaged_files_are_moved_aside(make_damage: impl FnOnce(&Path)) -> (Vec<u8>, Recovery, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("respite.sqlite3");
        make_damage(&path);
        let original = std::fs::read(&path).unwrap();
        let (store, recovery) = Store::open_or_recover(&path, t(12, 0, 0)).unwrap();
        let recovery = recovery.expect("the damaged file was recovered");
        assert_eq!(recovery.moved_to, dir.path().join("respite.sqlite3.damaged-20261123T120000Z"));
        assert!(std::fs::read(&recovery.moved_to).unwrap() == original, "the damaged file is kept as it was");
        assert_eq!(store.count().unwrap(), 0, "a fresh database");
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        (original, recovery, store)
    }

    #[test]
    fn a_file_of_garbage_is_moved_aside_and_replaced() {
        let (_, recovery, _) = damaged_files_are_moved_aside(|path| std::fs::write(path, vec![0x5a; 8192]).unwrap());
        assert!(recovery.reason.contains("not a database"), "{}", recovery.reason);
    }

    #[test]
    fn a_truncated_database_is_moved_aside_and_replaced() {
        damaged_files_are_moved_aside(|path| {
            let mut store = Store::open(path).unwrap();
            for minute in 0..59 {
                for _ in 0..40 {
                    store.record(&record(BreakKind::Walk, t(9, minute, 0), Outcome::Completed), false).unwrap();
                }
            }
            store.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
            drop(store);
            let bytes = std::fs::read(path).unwrap();
            assert!(bytes.len() > 16 * 4096, "big enough to truncate: {}", bytes.len());
            std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
        });
    }

    #[test]
    fn a_database_from_a_newer_respite_is_moved_aside_and_replaced() {
        let (_, recovery, _) = damaged_files_are_moved_aside(|path| {
            let conn = Connection::open(path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5).unwrap();
        });
        assert!(recovery.reason.contains("newer than this Respite"), "{}", recovery.reason);
    }

    #[test]
    fn a_locked_database_is_not_mistaken_for_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        drop(Store::open(&path).unwrap());
        let other = Connection::open(&path).unwrap();
        other.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO breaks (kind, trigger, due_at, ended_at, planned_secs, actual_secs, outcome) VALUES ('eye', 'manual', 'a', 'a', 1, 1, 'completed');").unwrap();
        let err = Store::open_or_recover(&path, t(12, 0, 0)).unwrap_err();
        assert!(!err.is_damage(), "{err}");
        assert!(err.is_locked(), "{err}");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert!(names.iter().all(|n| !n.contains("damaged")), "nothing moved aside: {names:?}");
    }

    #[test]
    fn the_fast_time_reader_agrees_with_the_general_one() {
        for text in [
            "2026-11-23T09:15:00.000Z",
            "1970-01-01T00:00:00.000Z",
            "1969-12-31T23:59:59.999Z",
            "2000-02-29T12:00:00.500Z",
            "2024-02-29T23:59:59.999Z",
            "2100-03-01T00:00:00.001Z",
            "9999-12-31T23:59:59.999Z",
        ] {
            assert_eq!(fixed_width_time(text.as_bytes()), Some(from_db(text).unwrap()), "{text}");
        }
        // Other RFC 3339 forms (older rows, hand edits) take the general path.
        assert_eq!(read_time(b"2026-11-20T09:00:00Z"), Ok(Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()));
        assert_eq!(read_time(b"2026-11-20T10:00:00.000+01:00"), Ok(Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()));
        for bad in ["2026-02-29T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-11-20T24:00:00.000Z", "2026-11-2xT00:00:00.000Z", "soon"] {
            assert_eq!(fixed_width_time(bad.as_bytes()), None, "{bad}");
            assert!(read_time(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn summary_queries_read_ranges_newest_first_and_the_span_running_into_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        let outcomes = [Outcome::Completed, Outcome::Skipped, Outcome::Postponed, Outcome::Natural, Outcome::Interrupted, Outcome::Completed];
        for (minute, outcome) in outcomes.into_iter().enumerate() {
            store.record(&record(BreakKind::Walk, t(9, minute as u32 * 10, 0), outcome), false).unwrap();
        }
        let briefs = store.break_briefs(t(9, 10, 0), t(9, 50, 0)).unwrap();
        let full = store.breaks(Some(t(9, 10, 0)), Some(t(9, 50, 0))).unwrap();
        assert_eq!(briefs.len(), 4);
        for (brief, stored) in briefs.iter().zip(&full) {
            let r = &stored.record;
            assert_eq!(*brief, BreakBrief { kind: r.kind, covers: r.covers.clone(), due_at: r.due_at, started_at: r.started_at, outcome: r.outcome, shown: r.shown });
        }
        assert_eq!(briefs[0].covers, vec![BreakKind::Eye]);
        let counts = store.outcome_counts(t(9, 0, 0), t(9, 50, 0)).unwrap();
        assert_eq!(counts, OutcomeCounts { completed: 1, skipped: 1, postponed: 1, natural: 1, interrupted: 1, unseen: 0 });
        assert_eq!(counts.rows(), 5);
        let mut seen = Vec::new();
        store
            .outcomes_backwards(t(9, 0, 0), t(10, 0, 0), |due, outcome, _| {
                seen.push((due, outcome));
                if seen.len() == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            })
            .unwrap();
        assert_eq!(seen, vec![(t(9, 50, 0), Outcome::Completed), (t(9, 40, 0), Outcome::Interrupted), (t(9, 30, 0), Outcome::Natural)]);

        let spans = [(t(8, 0, 0), t(8, 30, 0)), (t(8, 40, 0), t(9, 5, 0)), (t(9, 10, 0), t(9, 20, 0)), (t(10, 0, 0), t(10, 30, 0))];
        for (start, end) in spans {
            store.activity(&Span { start, end, after_hours: false }).unwrap();
        }
        let starts = |from, to| store.activity_overlapping(from, to).unwrap().into_iter().map(|s| s.start).collect::<Vec<_>>();
        assert_eq!(starts(t(9, 0, 0), t(10, 0, 0)), vec![t(8, 40, 0), t(9, 10, 0)], "the span running into the range, not the one at its end");
        assert_eq!(starts(t(9, 5, 0), t(9, 10, 1)), vec![t(9, 10, 0)], "a span ending where the range starts is not in it");
        assert_eq!(starts(t(7, 0, 0), t(8, 0, 0)), Vec::<DateTime<Utc>>::new());
    }

    #[test]
    fn screen_time_adds_up_a_range_cutting_the_spans_over_its_ends() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        for (start, end, after_hours) in [(t(8, 0, 0), t(8, 30, 0), true), (t(8, 40, 0), t(9, 5, 0), false), (t(9, 10, 0), t(9, 20, 0), true), (t(9, 50, 0), t(10, 30, 0), false)] {
            store.activity(&Span { start, end, after_hours }).unwrap();
        }
        let minutes = |from, to| {
            let time = store.screen_time(from, to).unwrap();
            (time.total_ms / 60_000, time.after_hours_ms / 60_000)
        };
        assert_eq!(minutes(t(9, 0, 0), t(10, 0, 0)), (5 + 10 + 10, 10));
        assert_eq!(minutes(t(0, 0, 0), t(23, 0, 0)), (30 + 25 + 10 + 40, 40));
        assert_eq!(minutes(t(8, 50, 0), t(9, 0, 0)), (10, 0), "inside one span");
        assert_eq!(minutes(t(9, 30, 0), t(9, 40, 0)), (0, 0));
        assert_eq!(minutes(t(9, 15, 0), t(9, 16, 0)), (1, 1));
    }

    /// A log at schema version 2 (before span lengths were stored) with a working-hours span of
    /// 15 min 30.25 s and an after-hours span written with `start` and `end` as given.
    fn version_2_log_with_two_spans(start: &str, end: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("respite.sqlite3");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "INSERT INTO activity (started_at, ended_at, after_hours) VALUES
                ('2026-11-23T09:00:00.000Z', '2026-11-23T09:15:30.250Z', 0), (?1, ?2, 1)",
            params![start, end],
        )
        .unwrap();
        (dir, path)
    }

    #[test]
    fn a_version_2_log_learns_how_long_each_span_was() {
        let (_dir, path) = version_2_log_with_two_spans("2026-11-23T18:00:00Z", "2026-11-23T18:20:00Z");
        let store = Store::open(&path).unwrap();
        let lengths: Vec<i64> = store.conn.prepare("SELECT length_ms FROM activity ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(lengths, [930_250, 1_200_000]);
        assert_eq!(store.screen_time(t(0, 0, 0), t(23, 0, 0)).unwrap(), ScreenTime { total_ms: 2_130_250, after_hours_ms: 1_200_000 });
        assert_eq!(store.activity_overlapping(t(18, 10, 0), t(19, 0, 0)).unwrap(), vec![Span { start: t(18, 0, 0), end: t(18, 20, 0), after_hours: true }]);
    }

    #[test]
    fn a_version_2_log_opened_read_only_is_summed_from_its_times() {
        let (_dir, path) = version_2_log_with_two_spans("2026-11-23T18:00:00.000Z", "2026-11-23T18:20:00.000Z");
        // An older daemon may still be running on it: it is read as it is, not migrated.
        let store = Store::open_read_only(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), 2);
        assert_eq!(store.screen_time(t(0, 0, 0), t(23, 0, 0)).unwrap(), ScreenTime { total_ms: 2_130_250, after_hours_ms: 1_200_000 });
        assert_eq!(store.activity_overlapping(t(9, 10, 0), t(9, 12, 0)).unwrap(), vec![Span { start: t(9, 0, 0), end: t(9, 15, 30) + chrono::TimeDelta::milliseconds(250), after_hours: false }]);
        assert_eq!(store.activity_overlapping(t(17, 0, 0), t(19, 0, 0)).unwrap(), vec![Span { start: t(18, 0, 0), end: t(18, 20, 0), after_hours: true }]);
        let summary = crate::summary::week_summary(&store, crate::calendar::Week::containing(t(12, 0, 0), &Utc), &Utc, t(23, 0, 0)).unwrap();
        assert_eq!((summary.headline.screen_secs, summary.headline.after_hours_secs), (2130, 1200));
    }

    #[test]
    fn the_summary_reads_breaks_and_screen_time_from_covering_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let names: Vec<String> = store
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(names, ["activity_by_start_with_length", "breaks_by_due_covering", "breaks_by_outcome"]);
        let plan = |query: &str| -> String {
            let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {query}")).unwrap();
            let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
            rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
        };
        let week = "'2026-11-16T00:00:00.000Z' AND due_at < '2026-11-23T00:00:00.000Z'";
        let breaks = plan(&format!("SELECT kind, covers, due_at, started_at, outcome FROM breaks WHERE due_at >= {week} ORDER BY due_at"));
        assert_eq!(breaks, "SEARCH breaks USING COVERING INDEX breaks_by_due_covering (due_at>? AND due_at<?)");
        let counts = plan(&format!("SELECT count(*) FROM breaks WHERE outcome = 'skipped' AND due_at >= {week}"));
        assert!(counts.contains("COVERING INDEX breaks_by_outcome (outcome=? AND due_at>? AND due_at<?)"), "{counts}");
        let spans = plan("SELECT started_at, length_ms, after_hours FROM activity WHERE started_at >= 'a' AND started_at < 'b' ORDER BY started_at");
        assert_eq!(spans, "SEARCH activity USING COVERING INDEX activity_by_start_with_length (started_at>? AND started_at<?)");
        let sums = plan("SELECT sum(length), sum(length * after_hours) FROM (SELECT length_ms AS length, after_hours FROM activity WHERE started_at >= 'a' AND started_at < 'b')");
        assert_eq!(sums, "SEARCH activity USING COVERING INDEX activity_by_start_with_length (started_at>? AND started_at<?)");
    }

    #[test]
    fn a_batch_keeps_everything_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        let span = Span { start: t(9, 0, 0), end: t(9, 10, 0), after_hours: true };
        {
            let batch = store.batch().unwrap();
            batch.record(&record(BreakKind::Eye, t(9, 0, 0), Outcome::Completed)).unwrap();
            batch.activity(&span).unwrap();
        } // dropped without commit
        assert_eq!(store.count().unwrap(), 0);
        let batch = store.batch().unwrap();
        for minute in 0..3 {
            batch.record(&record(BreakKind::Eye, t(9, minute, 0), Outcome::Completed)).unwrap();
        }
        batch.activity(&span).unwrap();
        batch.commit().unwrap();
        assert_eq!(store.pragma("cache_size"), -2000, "the cache is given back");
        assert_eq!(store.count().unwrap(), 3);
        assert_eq!(store.activity_overlapping(t(0, 0, 0), t(23, 0, 0)).unwrap(), vec![span]);
    }

    #[test]
    fn the_schema_refuses_values_outside_the_vocabulary() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let err = store.conn.execute(
            "INSERT INTO breaks (kind, trigger, due_at, ended_at, planned_secs, actual_secs, outcome)
             VALUES ('eye', 'scheduled', 'x', 'x', 1, 1, 'vanished')",
            [],
        );
        assert!(err.is_err());
    }
}
