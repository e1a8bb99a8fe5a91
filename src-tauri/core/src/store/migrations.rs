//! The schema: the numbered migrations that build it, tracked in `PRAGMA user_version`, the
//! version this build writes, and the SQL that differs with the version a database was opened
//! at (an older one opened read-only is never migrated).

use super::{sql, Store, StoreError};
use rusqlite::Connection;
use std::path::Path;

/// Schema changes, in order. Entry `i` brings the schema from version `i` to `i + 1`. Never edit a
/// released entry: add a new one.
pub(super) const MIGRATIONS: &[&str] = &[
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
    // 8: breaks at fixed times and at the screen-time budget; breaks held for a listed app or a
    // screen share. As in 6, copied to a table with the wider CHECKs, and the indexes made again.
    "CREATE TABLE breaks_v8 (
        id           INTEGER PRIMARY KEY,
        kind         TEXT    NOT NULL CHECK (kind IN ('eye', 'stretch', 'walk')),
        covers       TEXT    NOT NULL DEFAULT '',
        trigger      TEXT    NOT NULL CHECK (trigger IN ('scheduled', 'manual', 'focus', 'fixed', 'budget')),
        due_at       TEXT    NOT NULL,
        started_at   TEXT,
        ended_at     TEXT    NOT NULL,
        planned_secs INTEGER NOT NULL CHECK (planned_secs >= 0),
        actual_secs  INTEGER NOT NULL CHECK (actual_secs >= 0),
        outcome      TEXT    NOT NULL
                     CHECK (outcome IN ('completed', 'skipped', 'postponed', 'natural', 'interrupted')),
        held_reason  TEXT    CHECK (held_reason IN ('fullscreen', 'inhibited', 'do_not_disturb', 'camera', 'microphone', 'app', 'screen_share')),
        held_secs    INTEGER NOT NULL DEFAULT 0 CHECK (held_secs >= 0),
        shown        INTEGER CHECK (shown IN (0, 1))
     );
     INSERT INTO breaks_v8 SELECT id, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome, held_reason, held_secs, shown FROM breaks;
     DROP TABLE breaks;
     ALTER TABLE breaks_v8 RENAME TO breaks;
     CREATE INDEX breaks_by_due_covering ON breaks (due_at, outcome, kind, covers, started_at, shown);
     CREATE INDEX breaks_by_outcome ON breaks (outcome, due_at, shown);",
    // 9: how a break was delivered (the overlay, or gentle mode's notification); every earlier
    // row was an overlay. The break on screen keeps it too, so one recovered after a crash is
    // logged with its style. The summary splits the week by style, so the covering index has it.
    "ALTER TABLE breaks ADD COLUMN style TEXT NOT NULL DEFAULT 'overlay' CHECK (style IN ('overlay', 'notification'));
     ALTER TABLE open_break ADD COLUMN style TEXT NOT NULL DEFAULT 'overlay';
     DROP INDEX breaks_by_due_covering;
     CREATE INDEX breaks_by_due_covering ON breaks (due_at, outcome, kind, covers, started_at, shown, style);",
    // 10: other devices' history, read from the shared folder (`crate::devices`) and kept here so
    // a closed month is parsed once: the devices, how much of each file was imported, and their
    // breaks and spans, each row once whichever file (or conflict copy) it came from. The
    // UNIQUE keys are the indexes too: breaks by due time, spans by device and start. No word
    // CHECKs: a newer device's words were already read into this version's.
    "CREATE TABLE device (
        id           TEXT    PRIMARY KEY,
        name         TEXT    NOT NULL,
        last_wrote   TEXT
     );
     CREATE TABLE device_file (
        path         TEXT    PRIMARY KEY,
        device       TEXT    NOT NULL,
        len          INTEGER NOT NULL CHECK (len >= 0),
        mtime_ns     INTEGER NOT NULL
     );
     CREATE TABLE device_break (
        id           INTEGER PRIMARY KEY,
        device       TEXT    NOT NULL,
        kind         TEXT    NOT NULL,
        covers       TEXT    NOT NULL DEFAULT '',
        trigger      TEXT    NOT NULL,
        due_at       TEXT    NOT NULL,
        started_at   TEXT,
        ended_at     TEXT    NOT NULL,
        planned_secs INTEGER NOT NULL CHECK (planned_secs >= 0),
        actual_secs  INTEGER NOT NULL CHECK (actual_secs >= 0),
        outcome      TEXT    NOT NULL,
        shown        INTEGER CHECK (shown IN (0, 1)),
        style        TEXT    NOT NULL DEFAULT 'overlay',
        UNIQUE (due_at, device, kind, ended_at, outcome)
     );
     CREATE TABLE device_activity (
        id           INTEGER PRIMARY KEY,
        device       TEXT    NOT NULL,
        started_at   TEXT    NOT NULL,
        ended_at     TEXT    NOT NULL CHECK (ended_at >= started_at),
        UNIQUE (device, started_at, ended_at)
     );",
    // 11: other devices' check-in answers, where the person chose to share them
    // (`[devices] share_checkins`): each answer once, whichever file it came from.
    "CREATE TABLE device_check (
        id             INTEGER PRIMARY KEY,
        device         TEXT    NOT NULL,
        week           TEXT    NOT NULL,
        answered_at    TEXT    NOT NULL,
        energy         INTEGER NOT NULL CHECK (energy BETWEEN 1 AND 5),
        closeness      INTEGER NOT NULL CHECK (closeness BETWEEN 1 AND 5),
        accomplishment INTEGER NOT NULL CHECK (accomplishment BETWEEN 1 AND 5),
        UNIQUE (week, device, answered_at)
     );",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

impl Store {
    /// How long each span lasted, in SQL: the stored length from schema 4 on, worked out from
    /// the times (slowly) in an older database opened read-only.
    pub(super) fn span_length_sql(&self) -> &'static str {
        if self.schema >= 4 {
            "length_ms"
        } else {
            "max(0, CAST(round((julianday(ended_at) - julianday(started_at)) * 86400000.0) AS INTEGER))"
        }
    }

    /// Whether each break's window was on screen, in SQL: the column from schema 7 on, unknown
    /// (NULL) in an older database opened read-only.
    pub(super) fn shown_sql(&self) -> &'static str {
        if self.schema >= 7 {
            "shown"
        } else {
            "NULL"
        }
    }

    /// How each break was delivered, in SQL: the column from schema 9 on, the overlay (all there
    /// was) in an older database opened read-only.
    pub(super) fn style_sql(&self) -> &'static str {
        if self.schema >= 9 {
            "style"
        } else {
            "'overlay'"
        }
    }

    pub(super) fn migrate(&mut self, path: &Path) -> Result<(), StoreError> {
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
}

pub(super) fn schema_version(conn: &Connection) -> Result<u32, StoreError> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql("read the schema version"))
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use crate::record::{BreakKind, Outcome, Style, Trigger};
    use crate::senses::HoldReason;

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
            (column("style"), words(&Style::WORDS)),
        ]);
        // A word added to an enum needs a migration that widens its CHECK (as 2 and 6 did).
        assert_eq!(word_checks(&store), expected);
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
