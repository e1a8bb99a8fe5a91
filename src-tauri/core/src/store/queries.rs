//! What the summary reads from the break log, by range of due times and from the covering
//! indexes: each break reduced to a few columns, the counts of each outcome, and a walk back
//! through the outcomes.

use super::codec::{column_bytes, read_time};
use super::{sql, Store, StoreError};
use crate::record::{BreakKind, Outcome, Style};
use crate::timefmt::to_db;
use chrono::{DateTime, Utc};
use rusqlite::params;
use std::ops::ControlFlow;

impl Store {
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
                "SELECT kind, covers, due_at, started_at, outcome, {}, {} FROM breaks
                 WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at",
                self.shown_sql(),
                self.style_sql()
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
                style: Style::from_bytes(word(6)?).map_err(|e| bad(e.to_string()))?,
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
}

impl Store {
    /// As [`Store::outcomes_backwards`], over this device's breaks and the other devices' (a
    /// shared history folder) together, newest first: the two logs are walked side by side,
    /// each by its due-time index, so the walk still reads no further than it needs.
    pub fn outcomes_backwards_with_devices(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        mut visit: impl FnMut(DateTime<Utc>, Outcome, Option<bool>) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        if self.schema < super::devices::DEVICES_SCHEMA {
            return self.outcomes_backwards(from, to, visit);
        }
        let query = |table: &str| format!("SELECT due_at, outcome, shown FROM {table} WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at DESC");
        let mut own = self.conn.prepare_cached(&query("breaks")).map_err(sql("query breaks"))?;
        let mut theirs = self.conn.prepare_cached(&query("device_break")).map_err(sql("query other devices' breaks"))?;
        let (from, to) = (to_db(from), to_db(to));
        let mut own = own.query(params![from, to]).map_err(sql("query breaks"))?;
        let mut theirs = theirs.query(params![from, to]).map_err(sql("query other devices' breaks"))?;
        let read = |row: Option<&rusqlite::Row<'_>>| -> Result<Option<Outcomed>, StoreError> {
            let Some(row) = row else { return Ok(None) };
            let bad = |reason: String| StoreError::BadRow { id: 0, reason };
            let due_at = read_time(column_bytes(row, 0)?).map_err(bad)?;
            let outcome = Outcome::from_bytes(column_bytes(row, 1)?).map_err(|e| bad(e.to_string()))?;
            Ok(Some((due_at, outcome, row.get(2).map_err(sql("read a break"))?)))
        };
        let mut mine = read(own.next().map_err(sql("read a break"))?)?;
        let mut other = read(theirs.next().map_err(sql("read a break"))?)?;
        loop {
            let newest = match (mine, other) {
                (Some(a), Some(b)) if a.0 >= b.0 => {
                    mine = read(own.next().map_err(sql("read a break"))?)?;
                    a
                }
                (Some(a), None) => {
                    mine = read(own.next().map_err(sql("read a break"))?)?;
                    a
                }
                (_, Some(b)) => {
                    other = read(theirs.next().map_err(sql("read a break"))?)?;
                    b
                }
                (None, None) => return Ok(()),
            };
            if visit(newest.0, newest.1, newest.2).is_break() {
                return Ok(());
            }
        }
    }
}

/// A break's due time, outcome and `shown`, as the streak's walk reads them.
type Outcomed = (DateTime<Utc>, Outcome, Option<bool>);

/// A logged break reduced to what summaries read (see [`Store::break_briefs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakBrief {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub due_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub outcome: Outcome,
    /// See [`BreakRecord::shown`](crate::record::BreakRecord::shown).
    pub shown: Option<bool>,
    /// How it was delivered.
    pub style: Style,
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
