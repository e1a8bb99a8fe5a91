//! The break log: one SQLite file (rusqlite, bundled SQLite), WAL journal, schema built by
//! numbered migrations tracked in `PRAGMA user_version`.
//!
//! A break is written once, in one transaction, when its outcome is known. While a break is on
//! screen, a row in `open_break` says so; finishing the break deletes it in the same transaction
//! that inserts the record, so a break that was on screen when the process died is found at the
//! next start and logged as `interrupted` ([`Store::recover_interrupted`]). Times are stored in
//! UTC (see [`crate::timefmt`]).

use crate::kind::{covers_from_text, covers_to_text, BreakKind, BreakRecord, Held, Outcome, Trigger};
use crate::schedule::FocusRound;
use crate::workhours::Span;
use crate::timefmt::{from_db, to_db};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row, Transaction};
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
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::CreateDir { path: dir.display().to_string(), source })?;
        }
        let open_err = |source| StoreError::Open { path: path.display().to_string(), source };
        let conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        let mut store = Self { conn };
        // Look before writing anything: a damaged or newer file is set aside exactly as it was.
        store.check(path)?;
        let found = schema_version(&store.conn)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::FromTheFuture { path: path.display().to_string(), found });
        }
        store.conn.pragma_update(None, "journal_mode", "WAL").map_err(open_err)?;
        store.conn.pragma_update(None, "synchronous", "NORMAL").map_err(open_err)?;
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
        let mut store = Self { conn };
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
        Ok(Self { conn })
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

    /// Remembers that `brk` is on screen (replacing any earlier open break).
    pub fn open_break(&self, brk: &OpenBreak) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO open_break (only_one, kind, covers, trigger, due_at, started_at, planned_secs)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    brk.kind.as_str(),
                    covers_to_text(&brk.covers),
                    brk.trigger.as_str(),
                    to_db(brk.due_at),
                    to_db(brk.started_at),
                    brk.planned_secs
                ],
            )
            .map_err(sql("remember the break on screen"))?;
        Ok(())
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
    pub fn batch(&mut self) -> Result<Batch<'_>, StoreError> {
        Ok(Batch { tx: self.conn.transaction().map_err(sql("begin"))? })
    }

    /// If a break was on screen when the last run ended, logs it as `interrupted` and returns it.
    /// It is taken to have lasted until `now` or its planned end, whichever is first.
    pub fn recover_interrupted(&mut self, now: DateTime<Utc>) -> Result<Option<BreakRecord>, StoreError> {
        let open = self
            .conn
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
        let started_at = from_db(&started_at).map_err(|e| bad(e.to_string()))?;
        let planned_end = started_at + chrono::Duration::seconds(planned_secs.into());
        let ended_at = now.min(planned_end).max(started_at);
        let record = BreakRecord {
            kind: kind.parse().map_err(|e: crate::kind::UnknownKind| bad(e.to_string()))?,
            covers: covers_from_text(&covers).map_err(|e| bad(e.to_string()))?,
            trigger: trigger.parse().map_err(bad)?,
            due_at: from_db(&due_at).map_err(|e| bad(e.to_string()))?,
            started_at: Some(started_at),
            ended_at,
            planned_secs,
            actual_secs: u32::try_from((ended_at - started_at).num_seconds()).unwrap_or(0),
            outcome: Outcome::Interrupted,
            held: None,
        };
        self.record(&record, true)?;
        Ok(Some(record))
    }

    /// Logs a span of time at the screen.
    pub fn activity(&mut self, span: &Span) -> Result<(), StoreError> {
        insert_span(&self.conn, span)
    }

    /// Spans at the screen that start in `[from, to)`, oldest first.
    pub fn activity_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Span>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT started_at, ended_at, after_hours FROM activity WHERE started_at >= ?1 AND started_at < ?2 ORDER BY started_at")
            .map_err(sql("query screen time"))?;
        let rows = stmt
            .query_map(params![to_db(from), to_db(to)], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))
            .map_err(sql("query screen time"))?;
        let mut out = Vec::new();
        for row in rows {
            let (start, end, after_hours) = row.map_err(sql("read screen time"))?;
            let bad = |e: chrono::ParseError| StoreError::BadRow { id: 0, reason: e.to_string() };
            out.push(Span { start: from_db(&start).map_err(bad)?, end: from_db(&end).map_err(bad)?, after_hours });
        }
        Ok(out)
    }

    /// Spans at the screen that overlap `[from, to)`, oldest first, as logged (not cut to the
    /// range). The log cuts spans at local midnight, so none lasts much more than a day: only
    /// spans that start at most [`SPAN_REACH`] before `from` are looked at, which keeps this one
    /// range scan of the start index.
    pub fn activity_overlapping(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Span>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT started_at, ended_at, after_hours FROM activity
                 WHERE started_at >= ?1 AND started_at < ?3 AND ended_at > ?2 ORDER BY started_at",
            )
            .map_err(sql("query screen time"))?;
        let mut rows = stmt.query(params![to_db(from - SPAN_REACH), to_db(from), to_db(to)]).map_err(sql("query screen time"))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sql("read screen time"))? {
            let text = |i| row.get_ref(i).and_then(|v| v.as_str().map_err(Into::into)).map_err(sql("read screen time"));
            let time = |i| text(i).and_then(|t| read_time(t).map_err(|e| StoreError::BadRow { id: 0, reason: e.to_string() }));
            let after_hours: bool = row.get(2).map_err(sql("read screen time"))?;
            out.push(Span { start: time(0)?, end: time(1)?, after_hours });
        }
        Ok(out)
    }

    /// Breaks due in `[from, to)`, oldest first (in index order where due at the same moment),
    /// reduced to what summaries read. Much lighter than [`Store::breaks`] when there are
    /// thousands: five columns, all in one index (migration 3), read without copying.
    pub fn break_briefs(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<BreakBrief>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, kind, covers, due_at, started_at, outcome FROM breaks
                 WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at",
            )
            .map_err(sql("query breaks"))?;
        let mut rows = stmt.query(params![to_db(from), to_db(to)]).map_err(sql("query breaks"))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sql("read a break"))? {
            let id: i64 = row.get(0).map_err(sql("read a break"))?;
            let bad = |reason: String| StoreError::BadRow { id, reason };
            let text = |i| row.get_ref(i).and_then(|v| v.as_str().map_err(Into::into)).map_err(sql("read a break"));
            let time = |t: &str| read_time(t).map_err(|e| bad(e.to_string()));
            let started_at = match row.get_ref(4).map_err(sql("read a break"))?.as_str_or_null().map_err(|e| sql("read a break")(e.into()))? {
                Some(t) => Some(time(t)?),
                None => None,
            };
            out.push(BreakBrief {
                kind: text(1)?.parse().map_err(|e: crate::kind::UnknownKind| bad(e.to_string()))?,
                covers: covers_from_text(text(2)?).map_err(|e| bad(e.to_string()))?,
                due_at: time(text(3)?)?,
                started_at,
                outcome: text(5)?.parse().map_err(bad)?,
            });
        }
        Ok(out)
    }

    /// How the breaks due in `[from, to)` ended, counted in one pass over the due-time index.
    pub fn outcome_counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<OutcomeCounts, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT count(*) FILTER (WHERE outcome = 'completed'), count(*) FILTER (WHERE outcome = 'skipped'),
                        count(*) FILTER (WHERE outcome = 'postponed'), count(*) FILTER (WHERE outcome = 'natural'),
                        count(*) FILTER (WHERE outcome = 'interrupted')
                 FROM breaks WHERE due_at >= ?1 AND due_at < ?2",
            )
            .map_err(sql("count breaks"))?;
        stmt.query_row(params![to_db(from), to_db(to)], |r| {
            Ok(OutcomeCounts { completed: r.get(0)?, skipped: r.get(1)?, postponed: r.get(2)?, natural: r.get(3)?, interrupted: r.get(4)? })
        })
        .map_err(sql("count breaks"))
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
            .prepare_cached(
                "SELECT id, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome,
                        held_reason, held_secs
                 FROM breaks WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at, id",
            )
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
    /// Screen time and focus rounds that started before then go too.
    pub fn delete_before(&mut self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin"))?;
        let before = to_db(before);
        let deleted = tx.execute("DELETE FROM breaks WHERE due_at < ?1", params![before]).map_err(sql("delete old breaks"))?;
        tx.execute("DELETE FROM activity WHERE started_at < ?1", params![before]).map_err(sql("delete old screen time"))?;
        tx.execute("DELETE FROM focus_rounds WHERE started_at < ?1", params![before]).map_err(sql("delete old focus rounds"))?;
        tx.commit().map_err(sql("commit the deletion"))?;
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

/// How long a logged span of screen time can be: the log cuts spans at local midnight, and a day
/// lasts at most 25 hours; the rest is room for a change of time zone.
pub const SPAN_REACH: chrono::TimeDelta = chrono::TimeDelta::hours(48);

/// A logged break reduced to what summaries read (see [`Store::break_briefs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakBrief {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub due_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub outcome: Outcome,
}

/// How many breaks ended each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub completed: u32,
    pub skipped: u32,
    pub postponed: u32,
    pub natural: u32,
    pub interrupted: u32,
}

impl OutcomeCounts {
    /// Counts one more break that ended with `outcome`.
    pub fn add(&mut self, outcome: Outcome) {
        let n = match outcome {
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
        self.completed + self.skipped + self.postponed + self.natural + self.interrupted
    }
}

/// Many writes in one transaction; see [`Store::batch`]. Dropped without
/// [`commit`](Batch::commit), it writes nothing.
pub struct Batch<'a> {
    tx: Transaction<'a>,
}

impl Batch<'_> {
    /// Logs a break (as [`Store::record`], without touching the open break). Returns its row id.
    pub fn record(&self, record: &BreakRecord) -> Result<i64, StoreError> {
        insert_break(&self.tx, record)
    }

    /// Logs a span of time at the screen.
    pub fn activity(&self, span: &Span) -> Result<(), StoreError> {
        insert_span(&self.tx, span)
    }

    /// Keeps everything written in this batch.
    pub fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().map_err(sql("commit the batch"))
    }
}

fn insert_break(conn: &Connection, record: &BreakRecord) -> Result<i64, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome,
                                 held_reason, held_secs)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
        record.held.map_or(0, |h| h.secs)
    ])
    .map_err(sql("log the break"))?;
    Ok(conn.last_insert_rowid())
}

fn insert_span(conn: &Connection, span: &Span) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO activity (started_at, ended_at, after_hours) VALUES (?1, ?2, ?3)")
        .and_then(|mut stmt| stmt.execute(params![to_db(span.start), to_db(span.end), span.after_hours]))
        .map_err(sql("log screen time"))?;
    Ok(())
}

/// Reads a stored time. The fixed-width form [`to_db`] writes (`2026-11-23T09:15:00.000Z`) is
/// read field by field, several times faster than a general RFC 3339 parse, which matters when a
/// summary reads thousands; anything else goes through [`from_db`].
fn read_time(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    let b = text.as_bytes();
    let shape = b.len() == 24
        && (b[4], b[7], b[10], b[13], b[16], b[19], b[23]) == (b'-', b'-', b'T', b':', b':', b'.', b'Z');
    if shape {
        let num = |from: usize, to: usize| -> Option<u32> {
            b[from..to].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        let fields = (num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19), num(20, 23));
        if let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s), Some(ms)) = fields {
            let naive = NaiveDate::from_ymd_opt(y as i32, mo, d).and_then(|date| date.and_hms_milli_opt(h, mi, s, ms));
            if let Some(naive) = naive {
                return Ok(naive.and_utc());
            }
        }
    }
    from_db(text)
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
    let parse = || -> Result<BreakRecord, String> {
        Ok(BreakRecord {
            kind: kind.parse().map_err(|e: crate::kind::UnknownKind| e.to_string())?,
            covers: covers_from_text(&covers).map_err(|e| e.to_string())?,
            trigger: trigger.parse()?,
            due_at: from_db(&due_at).map_err(|e| e.to_string())?,
            started_at: started_at.as_deref().map(from_db).transpose().map_err(|e| e.to_string())?,
            ended_at: from_db(&ended_at).map_err(|e| e.to_string())?,
            planned_secs,
            actual_secs,
            outcome: outcome.parse()?,
            held: held_reason.map(|r| r.parse().map(|reason| Held { reason, secs: held_secs })).transpose()?,
        })
    };
    Ok(parse().map(|record| StoredBreak { id, record }).map_err(|reason| StoreError::BadRow { id, reason }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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
        let store = Store::open(&path).unwrap();
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
        focus.held = Some(Held { reason: crate::presence::HoldReason::Fullscreen, secs: 95 });
        store.record(&focus, false).unwrap();
        let span = Span { start: t(9, 0, 0), end: t(9, 40, 0), after_hours: false };
        store.activity(&span).unwrap();
        let round = FocusRound { round: 2, started_at: t(9, 0, 0), ended_at: t(9, 25, 0), completed: true };
        store.focus_round(&round).unwrap();
        drop(store);
        let store = Store::open_read_only(&path).unwrap();
        assert_eq!(store.breaks(None, None).unwrap()[1].record, focus);
        assert_eq!(store.activity_between(t(0, 0, 0), t(23, 0, 0)).unwrap(), vec![span]);
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
