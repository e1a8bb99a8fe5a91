//! This device's rows after a row id, oldest first: what the shared history folder
//! ([`crate::devices`]) has not been given yet. The folder's writer keeps the last id it wrote
//! of each table, so rows that could not be written (the folder missing, read-only, full) are
//! written once it works again, and a history logged before the folder was set is written too.

use super::codec::{read_row, read_span};
use super::{sql, Store, StoreError, StoredBreak};
use crate::workhours::Span;
use rusqlite::params;

impl Store {
    /// At most `limit` breaks with a row id above `after`, by id.
    pub fn breaks_after_id(&self, after: i64, limit: u32) -> Result<Vec<StoredBreak>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome,
                        held_reason, held_secs, {}, {}
                 FROM breaks WHERE id > ?1 ORDER BY id LIMIT ?2",
                self.shown_sql(),
                self.style_sql()
            ))
            .map_err(sql("query breaks"))?;
        let rows = stmt.query_map(params![after, limit], read_row).map_err(sql("query breaks"))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(sql("read a break"))??);
        }
        Ok(out)
    }

    /// At most `limit` spans at the screen with a row id above `after`, by id, with their ids.
    pub fn activity_after_id(&self, after: i64, limit: u32) -> Result<Vec<(i64, Span)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT started_at, ended_at, after_hours, id FROM activity WHERE id > ?1 ORDER BY id LIMIT ?2")
            .map_err(sql("query screen time"))?;
        let mut rows = stmt.query(params![after, limit]).map_err(sql("query screen time"))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sql("read screen time"))? {
            let id: i64 = row.get(3).map_err(sql("read screen time"))?;
            out.push((id, read_span(row)?));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::record::{sample_record, BreakKind, Outcome};
    use crate::store::Store;
    use crate::workhours::Span;
    use chrono::{TimeZone, Utc};

    #[test]
    fn rows_after_an_id_come_oldest_first_in_pieces() {
        let mut store = Store::open_in_memory().unwrap();
        let t = |m| Utc.with_ymd_and_hms(2026, 12, 7, 9, m, 0).unwrap();
        for m in 0..5 {
            store.record(&sample_record(BreakKind::Eye, t(m * 10), Outcome::Completed)).unwrap();
            store.activity(&Span { start: t(m * 10 + 1), end: t(m * 10 + 9), after_hours: false }).unwrap();
        }
        let first = store.breaks_after_id(0, 2).unwrap();
        assert_eq!(first.iter().map(|b| b.record.due_at).collect::<Vec<_>>(), [t(0), t(10)]);
        let rest = store.breaks_after_id(first[1].id, 10).unwrap();
        assert_eq!(rest.len(), 3);
        let spans = store.activity_after_id(0, 10).unwrap();
        assert_eq!(spans.len(), 5);
        assert_eq!(store.activity_after_id(spans[3].0, 10).unwrap()[0].1.start, t(41));
    }
}
