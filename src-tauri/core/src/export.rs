//! The break log as CSV or JSON, with times in local time (RFC 3339 with the offset).

use crate::record::covers_to_text;
use crate::store::StoredBreak;
use crate::timefmt::in_zone;
use chrono::TimeZone;
use serde::Serialize;

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Serialize)]
struct Row<'a> {
    id: i64,
    kind: &'a str,
    covers: Vec<&'a str>,
    trigger: &'a str,
    due_at: String,
    started_at: Option<String>,
    ended_at: String,
    planned_secs: u32,
    actual_secs: u32,
    outcome: &'a str,
    held_reason: Option<&'a str>,
    held_secs: u32,
    /// Whether the break's window was on screen until it ended; `null` (empty in CSV) where no
    /// window was meant or it is not known (see [`crate::record::BreakRecord::shown`]).
    shown: Option<bool>,
    /// `overlay` or `notification` (gentle mode).
    style: &'a str,
}

fn row<'a, Tz: TimeZone>(b: &'a StoredBreak, tz: &Tz) -> Row<'a>
where
    Tz::Offset: std::fmt::Display,
{
    let r = &b.record;
    Row {
        id: b.id,
        kind: r.kind.as_str(),
        covers: r.covers.iter().map(|k| k.as_str()).collect(),
        trigger: r.trigger.as_str(),
        due_at: in_zone(r.due_at, tz),
        started_at: r.started_at.map(|t| in_zone(t, tz)),
        ended_at: in_zone(r.ended_at, tz),
        planned_secs: r.planned_secs,
        actual_secs: r.actual_secs,
        outcome: r.outcome.as_str(),
        held_reason: r.held.map(|h| h.reason.as_str()),
        held_secs: r.held.map_or(0, |h| h.secs),
        shown: r.shown,
        style: r.style.as_str(),
    }
}

/// Writes `breaks` in `format`, times shown in zone `tz`.
pub fn render<Tz: TimeZone>(breaks: &[StoredBreak], format: Format, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match format {
        Format::Json => {
            let rows: Vec<_> = breaks.iter().map(|b| row(b, tz)).collect();
            let mut out = serde_json::to_string_pretty(&rows).expect("rows serialize");
            out.push('\n');
            out
        }
        Format::Csv => {
            // Every field is a fixed vocabulary word, a number or a timestamp: none needs quoting.
            let mut out = String::from("id,kind,covers,trigger,due_at,started_at,ended_at,planned_secs,actual_secs,outcome,held_reason,held_secs,shown,style\n");
            for b in breaks {
                let r = row(b, tz);
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                    r.id,
                    r.kind,
                    covers_to_text(&b.record.covers),
                    r.trigger,
                    r.due_at,
                    r.started_at.unwrap_or_default(),
                    r.ended_at,
                    r.planned_secs,
                    r.actual_secs,
                    r.outcome,
                    r.held_reason.unwrap_or_default(),
                    r.held_secs,
                    r.shown.map(|shown| shown.to_string()).unwrap_or_default(),
                    r.style
                ));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{BreakKind, BreakRecord, Outcome, Trigger};
    use chrono::{FixedOffset, Utc};

    fn sample() -> Vec<StoredBreak> {
        let mut with_window = sample_unknown();
        with_window[0].record.shown = Some(true);
        with_window
    }

    /// The rows of [`sample`] as logged before the log kept whether a window was shown.
    fn sample_unknown() -> Vec<StoredBreak> {
        let due = Utc.with_ymd_and_hms(2026, 11, 23, 9, 50, 0).unwrap();
        vec![
            StoredBreak {
                id: 1,
                record: BreakRecord {
                    kind: BreakKind::Stretch,
                    covers: vec![BreakKind::Eye],
                    trigger: Trigger::Scheduled,
                    due_at: due,
                    started_at: Some(due),
                    ended_at: due + chrono::Duration::seconds(90),
                    planned_secs: 90,
                    actual_secs: 90,
                    outcome: Outcome::Completed,
                    held: None,
                    shown: None,
                    style: Default::default(),
                },
            },
            StoredBreak {
                id: 2,
                record: BreakRecord {
                    kind: BreakKind::Eye,
                    covers: vec![],
                    trigger: Trigger::Scheduled,
                    due_at: due,
                    started_at: None,
                    ended_at: due,
                    planned_secs: 20,
                    actual_secs: 0,
                    outcome: Outcome::Skipped,
                    held: None,
                    shown: None,
                    style: Default::default(),
                },
            },
        ]
    }

    #[test]
    fn csv_has_a_header_and_local_times() {
        let tz = FixedOffset::east_opt(3600).unwrap();
        let csv = render(&sample(), Format::Csv, &tz);
        let lines: Vec<_> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "id,kind,covers,trigger,due_at,started_at,ended_at,planned_secs,actual_secs,outcome,held_reason,held_secs,shown,style");
        assert_eq!(lines[1], "1,stretch,eye,scheduled,2026-11-23T10:50:00+01:00,2026-11-23T10:50:00+01:00,2026-11-23T10:51:30+01:00,90,90,completed,,0,true,overlay");
        assert_eq!(lines[2], "2,eye,,scheduled,2026-11-23T10:50:00+01:00,,2026-11-23T10:50:00+01:00,20,0,skipped,,0,,overlay");
    }

    #[test]
    fn json_is_an_array_of_rows() {
        let tz = FixedOffset::east_opt(-5 * 3600).unwrap();
        let json: serde_json::Value = serde_json::from_str(&render(&sample(), Format::Json, &tz)).unwrap();
        assert_eq!(json[0]["covers"], serde_json::json!(["eye"]));
        assert_eq!(json[0]["due_at"], "2026-11-23T04:50:00-05:00");
        assert_eq!(json[1]["started_at"], serde_json::Value::Null);
        assert_eq!(json[1]["outcome"], "skipped");
        assert_eq!((json[0]["shown"].clone(), json[1]["shown"].clone()), (serde_json::json!(true), serde_json::Value::Null));
    }

    #[test]
    fn a_break_that_ran_with_no_window_says_so() {
        let mut breaks = sample_unknown();
        breaks[0].record.shown = Some(false);
        let csv = render(&breaks, Format::Csv, &Utc);
        assert!(csv.lines().nth(1).unwrap().ends_with(",completed,,0,false,overlay"), "{csv}");
        let json: serde_json::Value = serde_json::from_str(&render(&breaks, Format::Json, &Utc)).unwrap();
        assert_eq!(json[0]["shown"], false);
        assert_eq!(json[1]["shown"], serde_json::Value::Null);
    }
}
