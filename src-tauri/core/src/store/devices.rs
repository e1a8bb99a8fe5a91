//! Other devices' history (see [`crate::devices`]), kept in the store so a summary reads it by
//! range like its own, and a month file is parsed once: [`Store::import_devices`] reads only
//! what is new in the shared folder since the last import, and the queries mirror the ones the
//! summary runs on this device's breaks and screen time.
//!
//! `device_file` says how much of each file was imported (its path in the shared folder, its
//! length up to the last whole line, and its modification time then). A file whose length and time are unchanged is skipped: a
//! closed month costs one row lookup. One that grew is read from there (the files are only
//! appended to); one that shrank or changed in place is read again whole. Rows are inserted
//! or ignored on a key of what they are, so a conflict copy or a second read counts nothing
//! twice.

use super::codec::{column_bytes, read_time};
use super::{sql, BreakBrief, Store, StoreError};
use crate::devices::{read_lines, DeviceSeen, Line, MonthFile, ReadError, RemoteBreak, Scan};
use crate::record::{covers_from_text, covers_to_text, BreakKind, Outcome, Style};
use crate::timefmt::to_db;
use crate::workhours::Span;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::BTreeSet;
use std::path::Path;

/// The first schema with the device tables (migration 10).
pub(super) const DEVICES_SCHEMA: u32 = 10;

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Files read, from the start or from where the last import stopped.
    pub files_read: u32,
    /// Files skipped because they had not changed since the last import.
    pub files_unchanged: u32,
    /// Files read again from the start (they shrank or changed in place).
    pub files_reread: u32,
    pub bytes_read: u64,
    pub breaks_added: u64,
    pub spans_added: u64,
    /// Check-in answers another device shared.
    pub checks_added: u64,
    pub bad_lines: u64,
    pub unknown_lines: u64,
    /// Devices forgotten because their folder is gone from the shared folder.
    pub devices_removed: u32,
    /// Files that could not be read (the rest were imported).
    pub problems: Vec<ReadError>,
}

impl Store {
    /// Brings the other devices' history in the store up to date with `scan` (see the module
    /// documentation), in one transaction. A file that cannot be read is a problem in the
    /// report; only the database failing is an error. Devices no longer in a folder that could
    /// be listed are forgotten with their history; when the folder could not be listed (not
    /// mounted), nothing is.
    pub fn import_devices(&mut self, scan: &Scan) -> Result<ImportReport, StoreError> {
        // Rows are only written when something changed: an import with nothing new writes
        // nothing, and its commit syncs nothing.
        let mut report = ImportReport::default();
        let tx = self.conn.transaction().map_err(sql("begin the import"))?;
        for device in &scan.devices {
            tx.prepare_cached(
                "INSERT INTO device (id, name, last_wrote) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_wrote = coalesce(excluded.last_wrote, last_wrote)
                 WHERE name IS NOT excluded.name OR coalesce(excluded.last_wrote, last_wrote) IS NOT last_wrote",
            )
            .and_then(|mut stmt| stmt.execute(params![device.id, device.name, device.last_wrote.map(to_db)]))
            .map_err(sql("record a device"))?;
        }
        if scan.listed {
            report.devices_removed = forget_gone(&tx, scan)?;
        }
        for month in &scan.months {
            for file in &month.files {
                import_file(&tx, &scan.folder, &month.device, file, &mut report)?;
            }
        }
        tx.commit().map_err(sql("commit the import"))?;
        Ok(report)
    }

    /// The other devices seen, by name.
    pub fn devices(&self) -> Result<Vec<DeviceSeen>, StoreError> {
        if self.schema < DEVICES_SCHEMA {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached("SELECT id, name, last_wrote FROM device ORDER BY name, id").map_err(sql("list devices"))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))
            .map_err(sql("list devices"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, last_wrote) = row.map_err(sql("read a device"))?;
            let last_wrote = last_wrote.map(|t| read_time(t.as_bytes())).transpose().map_err(|reason| StoreError::BadRow { id: 0, reason })?;
            out.push(DeviceSeen { id, name, last_wrote });
        }
        Ok(out)
    }

    /// The other devices' spans at the screen that overlap `[from, to)`, oldest first, each with
    /// its device, as logged (not cut to the range) and with `after_hours` false: the reader
    /// decides that in its own zone and hours. Read per device as [`Store::activity_overlapping`]
    /// reads this one's (one device, one timeline), from the key's index.
    pub fn device_activity_overlapping(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<(String, Span)>, StoreError> {
        if self.schema < DEVICES_SCHEMA {
            return Ok(Vec::new());
        }
        let mut ids = self.conn.prepare_cached("SELECT id FROM device ORDER BY id").map_err(sql("list devices"))?;
        let ids: Vec<String> = ids.query_map([], |r| r.get(0)).and_then(Iterator::collect).map_err(sql("list devices"))?;
        let mut before = self
            .conn
            .prepare_cached("SELECT started_at, ended_at FROM device_activity WHERE device = ?1 AND started_at < ?2 ORDER BY started_at DESC LIMIT 1")
            .map_err(sql("query screen time"))?;
        let mut within = self
            .conn
            .prepare_cached("SELECT started_at, ended_at FROM device_activity WHERE device = ?1 AND started_at >= ?2 AND started_at < ?3 ORDER BY started_at")
            .map_err(sql("query screen time"))?;
        let (from_text, to_text) = (to_db(from), to_db(to));
        let mut out = Vec::new();
        for id in ids {
            let mut rows = before.query(params![id, from_text]).map_err(sql("query screen time"))?;
            if let Some(row) = rows.next().map_err(sql("read screen time"))? {
                let span = span_of(row)?;
                if span.end > from {
                    out.push((id.clone(), span));
                }
            }
            let mut rows = within.query(params![id, from_text, to_text]).map_err(sql("query screen time"))?;
            while let Some(row) = rows.next().map_err(sql("read screen time"))? {
                out.push((id.clone(), span_of(row)?));
            }
        }
        out.sort_by_key(|(_, span)| span.start);
        Ok(out)
    }

    /// The other devices' breaks due in `[from, to)`, oldest first, handed to `visit` with their
    /// device, as [`Store::visit_breaks`] hands this one's.
    pub fn visit_device_breaks(&self, from: DateTime<Utc>, to: DateTime<Utc>, mut visit: impl FnMut(&str, BreakBrief)) -> Result<(), StoreError> {
        if self.schema < DEVICES_SCHEMA {
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT device, kind, covers, due_at, started_at, outcome, shown, style FROM device_break
                 WHERE due_at >= ?1 AND due_at < ?2 ORDER BY due_at",
            )
            .map_err(sql("query breaks"))?;
        let mut rows = stmt.query(params![to_db(from), to_db(to)]).map_err(sql("query breaks"))?;
        while let Some(row) = rows.next().map_err(sql("read a break"))? {
            let word = |i| column_bytes(row, i);
            let bad = |reason: String| StoreError::BadRow { id: 0, reason: format!("{reason} (another device's break)") };
            let device = std::str::from_utf8(word(0)?).map_err(|e| bad(e.to_string()))?;
            let started_at = row.get_ref(4).and_then(|v| v.as_bytes_or_null().map_err(Into::into)).map_err(sql("read a break"))?;
            let brief = BreakBrief {
                kind: BreakKind::from_bytes(word(1)?).map_err(|e| bad(e.to_string()))?,
                covers: covers_from_text(std::str::from_utf8(word(2)?).map_err(|e| bad(e.to_string()))?).map_err(|e| bad(e.to_string()))?,
                due_at: read_time(word(3)?).map_err(bad)?,
                started_at: started_at.map(read_time).transpose().map_err(bad)?,
                outcome: Outcome::from_bytes(word(5)?).map_err(|e| bad(e.to_string()))?,
                shown: row.get(6).map_err(sql("read a break"))?,
                style: Style::from_bytes(word(7)?).map_err(|e| bad(e.to_string()))?,
            };
            visit(device, brief);
        }
        Ok(())
    }
}

fn span_of(row: &rusqlite::Row<'_>) -> Result<Span, StoreError> {
    let time = |i| read_time(column_bytes(row, i)?).map_err(|reason| StoreError::BadRow { id: 0, reason });
    Ok(Span { start: time(0)?, end: time(1)?, after_hours: false })
}

/// Forgets the devices whose folder is no longer in the shared folder (removed by the person,
/// or the folder set to another one), with all they held. Returns how many.
fn forget_gone(tx: &Transaction<'_>, scan: &Scan) -> Result<u32, StoreError> {
    let seen: BTreeSet<&str> = scan.devices.iter().map(|d| d.id.as_str()).collect();
    let known: Vec<String> = tx
        .prepare_cached("SELECT id FROM device")
        .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
        .map_err(sql("list devices"))?;
    let mut removed = 0;
    for id in known.iter().filter(|id| !seen.contains(id.as_str())) {
        for table in ["device_break", "device_activity", "device_file"] {
            tx.execute(&format!("DELETE FROM {table} WHERE device = ?1"), params![id]).map_err(sql("forget a device"))?;
        }
        tx.execute("DELETE FROM device WHERE id = ?1", params![id]).map_err(sql("forget a device"))?;
        removed += 1;
    }
    Ok(removed)
}

/// Imports what is new in one file (see the module documentation).
fn import_file(tx: &Transaction<'_>, folder: &Path, device: &str, file: &MonthFile, report: &mut ImportReport) -> Result<(), StoreError> {
    // Kept relative to the shared folder: the same folder mounted elsewhere is not read again.
    let path = file.path.strip_prefix(folder).unwrap_or(&file.path).to_string_lossy();
    let imported: Option<(u64, i64)> = tx
        .prepare_cached("SELECT len, mtime_ns FROM device_file WHERE path = ?1")
        .and_then(|mut stmt| stmt.query_row(params![path], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?))).optional())
        .map_err(sql("look up an imported file"))?
        .map(|(len, mtime)| (u64::try_from(len).unwrap_or(0), mtime));
    let from = match imported {
        Some(done) if done == (file.len, file.mtime_ns) => {
            report.files_unchanged += 1;
            return Ok(());
        }
        Some((len, _)) if file.len > len => len,
        Some(_) => {
            report.files_reread += 1;
            0
        }
        None => 0,
    };
    let read = match read_lines(&file.path, from) {
        Err(ReadError::Rewritten { .. }) if from > 0 => {
            report.files_reread += 1;
            read_lines(&file.path, 0).map(|chunk| (chunk, 0))
        }
        read => read.map(|chunk| (chunk, from)),
    };
    let (chunk, from) = match read {
        Ok(read) => read,
        Err(e) => {
            report.problems.push(e);
            return Ok(());
        }
    };
    report.files_read += 1;
    report.bytes_read += chunk.len.saturating_sub(from.min(chunk.len));
    report.bad_lines += chunk.bad_lines;
    report.unknown_lines += chunk.unknown_lines;
    for line in &chunk.lines {
        match line {
            Line::Span { start, end } => report.spans_added += insert_span(tx, device, *start, *end)?,
            Line::Break(b) => report.breaks_added += insert_break(tx, device, b)?,
            Line::Check { week, answers, at } => report.checks_added += insert_check(tx, device, *week, *answers, *at)?,
        }
    }
    tx.prepare_cached(
        "INSERT INTO device_file (path, device, len, mtime_ns) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (path) DO UPDATE SET device = excluded.device, len = excluded.len, mtime_ns = excluded.mtime_ns
         WHERE device IS NOT excluded.device OR len IS NOT excluded.len OR mtime_ns IS NOT excluded.mtime_ns",
    )
    .and_then(|mut stmt| stmt.execute(params![path, device, i64::try_from(chunk.consumed).unwrap_or(i64::MAX), chunk.mtime_ns]))
    .map_err(sql("note an imported file"))?;
    Ok(())
}

/// Inserts a span unless it is there already; 1 when it was new.
fn insert_span(tx: &Transaction<'_>, device: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<u64, StoreError> {
    let added = tx
        .prepare_cached("INSERT OR IGNORE INTO device_activity (device, started_at, ended_at) VALUES (?1, ?2, ?3)")
        .and_then(|mut stmt| stmt.execute(params![device, to_db(start), to_db(end)]))
        .map_err(sql("import screen time"))?;
    Ok(added as u64)
}

/// Inserts a check-in answer unless it is there already; 1 when it was new. Where this database
/// is older than schema 11 (opened read-only, never migrated), there is nowhere to keep it.
fn insert_check(tx: &Transaction<'_>, device: &str, week: crate::calendar::Week, answers: crate::selfcheck::Answers, at: DateTime<Utc>) -> Result<u64, StoreError> {
    let added = tx
        .prepare_cached("INSERT OR IGNORE INTO device_check (device, week, answered_at, energy, closeness, accomplishment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .and_then(|mut stmt| stmt.execute(params![device, week.to_string(), to_db(at), answers.energy, answers.closeness, answers.accomplishment]))
        .map_err(sql("import a check-in"))?;
    Ok(added as u64)
}

/// Inserts a break unless it is there already; 1 when it was new.
fn insert_break(tx: &Transaction<'_>, device: &str, b: &RemoteBreak) -> Result<u64, StoreError> {
    let added = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO device_break
                (device, kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome, shown, style)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                device,
                b.kind.as_str(),
                covers_to_text(&b.covers),
                b.trigger.as_str(),
                to_db(b.due_at),
                b.started_at.map(to_db),
                to_db(b.ended_at),
                b.planned_secs,
                b.actual_secs,
                b.outcome.as_str(),
                b.shown,
                b.style.as_str(),
            ])
        })
        .map_err(sql("import a break"))?;
    Ok(added as u64)
}

#[cfg(test)]
mod tests;
