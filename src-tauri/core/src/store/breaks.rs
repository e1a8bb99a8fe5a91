//! The break log's records: a break written once its outcome is known, many written in one
//! transaction ([`Batch`]), and the log read back whole or counted.

use super::activity::insert_span;
use super::codec::read_row;
use super::{sql, Store, StoreError};
use crate::record::{covers_to_text, BreakKind, BreakRecord};
use crate::timefmt::to_db;
use crate::workhours::Span;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Transaction};

/// A logged break with its row id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredBreak {
    pub id: i64,
    pub record: BreakRecord,
}

impl Store {
    /// Logs a break whose outcome is known (one that never went on screen: natural, skipped or
    /// postponed before it started). Returns the new row id.
    pub fn record(&mut self, record: &BreakRecord) -> Result<i64, StoreError> {
        self.insert(record, false)
    }

    /// Logs the break that was on screen, now that it ended, and in the same transaction forgets
    /// it as the open break (so a crash never leaves it both logged and open). Returns the row id.
    pub fn record_ended(&mut self, record: &BreakRecord) -> Result<i64, StoreError> {
        self.insert(record, true)
    }

    fn insert(&mut self, record: &BreakRecord, forget_open: bool) -> Result<i64, StoreError> {
        let tx = self.conn.transaction().map_err(sql("begin"))?;
        let id = insert_break(&tx, record)?;
        if forget_open {
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

    /// Breaks due in `[from, to)`, oldest first; `None` leaves that end open.
    pub fn breaks(&self, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Result<Vec<StoredBreak>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome,
                        held_reason, held_secs, {}, {}
                 FROM breaks WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at, id",
                self.shown_sql(),
                self.style_sql()
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

pub(super) fn insert_break(conn: &Connection, record: &BreakRecord) -> Result<i64, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome,
                                 held_reason, held_secs, shown, style)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
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
        record.shown,
        record.style.as_str()
    ])
    .map_err(sql("log the break"))?;
    Ok(conn.last_insert_rowid())
}
