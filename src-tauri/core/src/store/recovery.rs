//! Recovering from what went wrong before: the break that was on screen when the process died
//! (remembered in `open_break`, logged as `interrupted` at the next start or when the next
//! break replaces it), and a damaged database file, moved aside for a fresh one.

use super::breaks::insert_break;
use super::{sql, Store, StoreError};
use crate::record::{covers_from_text, covers_to_text, BreakKind, BreakRecord, Outcome, Style, Trigger};
use crate::timefmt::{from_db, to_db};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

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

/// The break on screen, as remembered in case the process dies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenBreak {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub trigger: Trigger,
    pub due_at: DateTime<Utc>,
    pub started_at: DateTime<Utc>,
    pub planned_secs: u32,
    pub style: Style,
}

impl Store {
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
            "INSERT OR REPLACE INTO open_break (only_one, kind, covers, trigger, due_at, started_at, planned_secs, style)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                brk.kind.as_str(),
                covers_to_text(&brk.covers),
                brk.trigger.as_str(),
                to_db(brk.due_at),
                to_db(brk.started_at),
                brk.planned_secs,
                brk.style.as_str()
            ],
        )
        .map_err(sql("remember the break on screen"))?;
        tx.commit().map_err(sql("commit the break on screen"))?;
        Ok(interrupted)
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
}

/// The break on screen as remembered, if any.
fn read_open_break(conn: &Connection) -> Result<Option<OpenBreak>, StoreError> {
    let open = conn
        .query_row(
            "SELECT kind, covers, trigger, due_at, started_at, planned_secs, style FROM open_break WHERE only_one = 1",
            [],
            |row| {
                let text = |i| row.get::<_, String>(i);
                Ok((text(0)?, text(1)?, text(2)?, text(3)?, text(4)?, row.get::<_, u32>(5)?, text(6)?))
            },
        )
        .optional()
        .map_err(sql("read the break on screen"))?;
    let Some((kind, covers, trigger, due_at, started_at, planned_secs, style)) = open else {
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
        style: style.parse::<Style>().map_err(|e| bad(e.to_string()))?,
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
        style: open.style,
    }
}
