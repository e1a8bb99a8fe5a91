//! Time at the screen and focus rounds: each span and round logged as it ends, and read back
//! by range (spans also added up, cut to the range's ends).

use super::codec::{column_bytes, read_span, read_time};
use super::{sql, Store, StoreError};
use crate::schedule::FocusRound;
use crate::timefmt::{from_db, to_db};
use crate::workhours::Span;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

impl Store {
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
}

/// Time at the screen in a range, in milliseconds (see [`Store::screen_time`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScreenTime {
    pub total_ms: i64,
    pub after_hours_ms: i64,
}

pub(super) fn insert_span(conn: &Connection, span: &Span) -> Result<(), StoreError> {
    let length_ms = (span.end - span.start).num_milliseconds().max(0);
    conn.prepare_cached("INSERT INTO activity (started_at, ended_at, after_hours, length_ms) VALUES (?1, ?2, ?3, ?4)")
        .and_then(|mut stmt| stmt.execute(params![to_db(span.start), to_db(span.end), span.after_hours, length_ms]))
        .map_err(sql("log screen time"))?;
    Ok(())
}
