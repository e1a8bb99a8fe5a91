//! Reading rows back: stored times (with a fast path for the fixed-width form the store
//! writes), spans at the screen, and whole break records.

use super::{sql, StoreError, StoredBreak};
use crate::record::{covers_from_text, BreakKind, BreakRecord, Held, Outcome, Style, Trigger};
use crate::senses::HoldReason;
use crate::timefmt::from_db;
use crate::workhours::Span;
use chrono::{DateTime, Utc};
use rusqlite::Row;

/// A row of `started_at, ended_at, after_hours` from `activity`.
pub(super) fn read_span(row: &Row<'_>) -> Result<Span, StoreError> {
    let time = |i| read_time(column_bytes(row, i)?).map_err(|reason| StoreError::BadRow { id: 0, reason });
    let after_hours: bool = row.get(2).map_err(sql("read screen time"))?;
    Ok(Span { start: time(0)?, end: time(1)?, after_hours })
}

/// Column `i` of `row` as bytes (text read without checking it is UTF-8: what follows checks).
pub(super) fn column_bytes<'r>(row: &'r Row<'_>, i: usize) -> Result<&'r [u8], StoreError> {
    row.get_ref(i).and_then(|v| v.as_bytes().map_err(Into::into)).map_err(sql("read a time"))
}

/// Reads a stored time. The fixed-width form [`to_db`](crate::timefmt::to_db) writes
/// (`2026-11-23T09:15:00.000Z`) is read field by field straight to an instant, several times
/// faster than a general RFC 3339 parse, which matters when a summary reads thousands; anything
/// else goes through [`from_db`].
pub(super) fn read_time(text: &[u8]) -> Result<DateTime<Utc>, String> {
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

type RowResult = Result<StoredBreak, StoreError>;

pub(super) fn read_row(row: &Row<'_>) -> rusqlite::Result<RowResult> {
    let id: i64 = row.get(0)?;
    let text = |i: usize| row.get::<_, String>(i);
    let (kind, covers, trigger, due_at, ended_at, outcome) = (text(1)?, text(2)?, text(3)?, text(4)?, text(6)?, text(9)?);
    let started_at: Option<String> = row.get(5)?;
    let (planned_secs, actual_secs): (u32, u32) = (row.get(7)?, row.get(8)?);
    let (held_reason, held_secs): (Option<String>, u32) = (row.get(10)?, row.get(11)?);
    let shown: Option<bool> = row.get(12)?;
    let style = text(13)?;
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
            style: style.parse::<Style>().map_err(|e| e.to_string())?,
        })
    };
    Ok(parse().map(|record| StoredBreak { id, record }).map_err(|reason| StoreError::BadRow { id, reason }))
}
#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

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
}
