//! What the shared folder's files are called and what their lines say: months and the file
//! names of a month (with the sync tools' conflict copies and temporary files), the header
//! (`device.json`), and each line, written and read.
//!
//! Lines, version 1 (times in Unix milliseconds, lengths in seconds):
//!
//! ```text
//! {"v":1,"t":"span","s":1796371200000,"e":1796373000000}
//! {"v":1,"t":"break","kind":"walk","covers":["eye"],"trigger":"scheduled","due":…,"start":… or null,
//!  "end":…,"planned":300,"actual":300,"outcome":"completed","shown":true,"style":"overlay"}
//! ```
//!
//! `shown` may be null (not known), `style` may be missing (an overlay). A reader ignores fields
//! it does not know and lines whose `t` it does not know; a line of a higher `v` is read for the
//! fields it knows, and set aside (not counted as damaged) when one of them holds a word this
//! version does not know (a new kind of break, say).

use crate::calendar::Week;
use crate::selfcheck::Answers;
use crate::record::{BreakKind, BreakRecord, Outcome, Style, Trigger};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The version of the lines and header this build writes.
pub const FORMAT_VERSION: u32 = 1;

/// The name and last write of a device, in its folder.
pub const HEADER_FILE: &str = "device.json";

/// The ending of a month's file.
const MONTH_EXT: &str = ".jsonl";

/// A calendar month in UTC: which file a record goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    /// The UTC month `t` falls in.
    pub fn of(t: DateTime<Utc>) -> Self {
        Self { year: t.year(), month: t.month() }
    }

    /// Reads `2026-12`.
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
            return None;
        }
        let year = text[..4].parse().ok()?;
        let month = text[5..].parse().ok()?;
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    /// `2026-12.jsonl`; `None` for a year that does not have four digits (no such record is
    /// written).
    pub fn file_name(self) -> Option<String> {
        (0..=9999).contains(&self.year).then(|| format!("{self}{MONTH_EXT}"))
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What a file in a device's folder is, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileName {
    Header,
    /// A month's file (`copy`: a sync tool's conflict copy of it).
    Month { month: Month, copy: bool },
    /// A temporary file of a sync tool or of the writer, a hidden file, or anything else.
    Other,
}

impl FileName {
    /// Month files are `2026-12.jsonl`. A name that starts with the month, goes on with a
    /// separator and ends in `.jsonl` is a copy of it: Syncthing's
    /// `2026-12.sync-conflict-20261207-101010-ABCDEFG.jsonl`, Nextcloud's
    /// `2026-12 (conflicted copy 2026-12-07 101010).jsonl`, Dropbox's
    /// `2026-12 (Anne's conflicted copy 2026-12-07).jsonl`, and the like. Reading a copy that is
    /// not one costs nothing: identical records count once. Hidden names (`.syncthing.*.tmp`,
    /// the writer's own temporary file), `~syncthing~*`, `*.part` and `*.tmp` are temporary.
    pub(crate) fn classify(name: &str) -> Self {
        if name.starts_with('.') || name.starts_with('~') || name.ends_with(".part") || name.ends_with(".tmp") {
            return FileName::Other;
        }
        if name == HEADER_FILE {
            return FileName::Header;
        }
        let (Some(stem), Some(month)) = (name.strip_suffix(MONTH_EXT), name.get(..7).and_then(Month::parse)) else {
            return FileName::Other;
        };
        match &stem[7.min(stem.len())..] {
            "" => FileName::Month { month, copy: false },
            rest if rest.starts_with(['.', ' ', '-', '_', '(']) => FileName::Month { month, copy: true },
            _ => FileName::Other,
        }
    }
}

/// `device.json` as written.
#[derive(Serialize)]
pub(crate) struct HeaderOut<'a> {
    pub v: u32,
    pub id: &'a str,
    pub name: &'a str,
    pub wrote_at: String,
}

/// `device.json` as read: every field optional, unknown ones ignored.
#[derive(Deserialize)]
pub(crate) struct HeaderIn {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub wrote_at: Option<String>,
}

/// A line read from another device's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// Time at the screen, `[start, end)`.
    Span { start: DateTime<Utc>, end: DateTime<Utc> },
    Break(RemoteBreak),
    /// The weekly check-in's answers for `week`, given at `at`: written only when the person
    /// chose to share them (`[devices] share_checkins`).
    Check { week: Week, answers: Answers, at: DateTime<Utc> },
}

/// A break as another device logged it: a [`BreakRecord`] without what stays on that device
/// (why it was held back), with the times to the millisecond.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteBreak {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub trigger: Trigger,
    pub due_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: DateTime<Utc>,
    pub planned_secs: u32,
    pub actual_secs: u32,
    pub outcome: Outcome,
    pub shown: Option<bool>,
    pub style: Style,
}

#[derive(Serialize)]
struct SpanOut {
    v: u32,
    t: &'static str,
    s: i64,
    e: i64,
}

#[derive(Serialize)]
struct BreakOut<'a> {
    v: u32,
    t: &'static str,
    kind: BreakKind,
    covers: &'a [BreakKind],
    trigger: Trigger,
    due: i64,
    start: Option<i64>,
    end: i64,
    planned: u32,
    actual: u32,
    outcome: Outcome,
    shown: Option<bool>,
    style: &'a str,
}

#[derive(Serialize)]
struct CheckOut {
    v: u32,
    t: &'static str,
    week: String,
    energy: u8,
    closeness: u8,
    accomplishment: u8,
    at: i64,
}

/// Appends the line of a check-in's answers to `out`.
pub(crate) fn check_line(out: &mut Vec<u8>, week: Week, answers: Answers, at: DateTime<Utc>) {
    push_line(
        out,
        &CheckOut {
            v: FORMAT_VERSION,
            t: "check",
            week: week.to_string(),
            energy: answers.energy,
            closeness: answers.closeness,
            accomplishment: answers.accomplishment,
            at: at.timestamp_millis(),
        },
    );
}

/// Appends the line of a span to `out`.
pub(crate) fn span_line(out: &mut Vec<u8>, start: DateTime<Utc>, end: DateTime<Utc>) {
    push_line(out, &SpanOut { v: FORMAT_VERSION, t: "span", s: start.timestamp_millis(), e: end.timestamp_millis() });
}

/// Appends the line of a break to `out`.
pub(crate) fn break_line(out: &mut Vec<u8>, record: &BreakRecord, style: &str) {
    push_line(
        out,
        &BreakOut {
            v: FORMAT_VERSION,
            t: "break",
            kind: record.kind,
            covers: &record.covers,
            trigger: record.trigger,
            due: record.due_at.timestamp_millis(),
            start: record.started_at.map(|t| t.timestamp_millis()),
            end: record.ended_at.timestamp_millis(),
            planned: record.planned_secs,
            actual: record.actual_secs,
            outcome: record.outcome,
            shown: record.shown,
            style,
        },
    );
}

fn push_line(out: &mut Vec<u8>, value: &impl Serialize) {
    // Writing plain structs of numbers, words and booleans to memory cannot fail.
    if serde_json::to_writer(&mut *out, value).is_ok() {
        out.push(b'\n');
    }
}

/// A line as read, every field optional: what is missing is decided after the version is known.
#[derive(Deserialize)]
struct LineIn<'a> {
    v: Option<u32>,
    #[serde(borrow)]
    t: Option<Cow<'a, str>>,
    s: Option<i64>,
    e: Option<i64>,
    #[serde(borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    covers: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    trigger: Option<Cow<'a, str>>,
    due: Option<i64>,
    start: Option<i64>,
    end: Option<i64>,
    planned: Option<u32>,
    actual: Option<u32>,
    #[serde(borrow)]
    outcome: Option<Cow<'a, str>>,
    shown: Option<bool>,
    #[serde(borrow)]
    style: Option<Cow<'a, str>>,
    #[serde(borrow)]
    week: Option<Cow<'a, str>>,
    energy: Option<u8>,
    closeness: Option<u8>,
    accomplishment: Option<u8>,
    at: Option<i64>,
}

/// What one line holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decoded {
    Line(Line),
    /// A kind of line (`t`) this version does not know, or a newer version's line that holds a
    /// word this one does not know: skipped.
    Unknown,
    /// Not a line of this format (cut short, damaged, edited by hand): skipped and counted.
    Bad,
}

/// Reads one line (without its `\n`).
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let Ok(line) = serde_json::from_slice::<LineIn<'_>>(bytes) else {
        return Decoded::Bad;
    };
    let (Some(v), Some(t)) = (line.v, line.t.as_deref()) else {
        return Decoded::Bad;
    };
    if v == 0 {
        return Decoded::Bad;
    }
    let read = match t {
        "span" => span(&line),
        "break" => remote_break(&line).map(Line::Break),
        "check" => check(&line),
        _ => return Decoded::Unknown,
    };
    match read {
        Some(line) => Decoded::Line(line),
        None if v > FORMAT_VERSION => Decoded::Unknown,
        None => Decoded::Bad,
    }
}

fn time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms?)
}

fn span(line: &LineIn<'_>) -> Option<Line> {
    let (start, end) = (time(line.s)?, time(line.e)?);
    (end >= start).then_some(Line::Span { start, end })
}

fn check(line: &LineIn<'_>) -> Option<Line> {
    let week = line.week.as_deref()?.parse().ok()?;
    let answers = Answers::new(line.energy?, line.closeness?, line.accomplishment?).ok()?;
    Some(Line::Check { week, answers, at: time(line.at)? })
}

fn remote_break(line: &LineIn<'_>) -> Option<RemoteBreak> {
    let word = |w: &Option<Cow<'_, str>>| -> Option<String> { w.as_deref().map(str::to_owned) };
    let covers = match &line.covers {
        None => Vec::new(),
        Some(kinds) => kinds.iter().map(|k| k.parse().ok()).collect::<Option<_>>()?,
    };
    let (due_at, ended_at) = (time(line.due)?, time(line.end)?);
    let started_at = match line.start {
        None => None,
        Some(ms) => Some(DateTime::from_timestamp_millis(ms)?),
    };
    Some(RemoteBreak {
        kind: word(&line.kind)?.parse().ok()?,
        covers,
        trigger: word(&line.trigger)?.parse().ok()?,
        due_at,
        started_at,
        ended_at,
        planned_secs: line.planned?,
        actual_secs: line.actual?,
        outcome: word(&line.outcome)?.parse().ok()?,
        shown: line.shown,
        // A way of delivering a break this version does not know is read as the overlay.
        style: line.style.as_deref().and_then(|s| s.parse().ok()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn months_are_read_and_named() {
        assert_eq!(Month::parse("2026-12"), Some(Month { year: 2026, month: 12 }));
        for bad in ["2026-13", "2026-00", "26-12", "2026_12", "2026-1x", "+026-12", "2026-12-"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 59).unwrap();
        assert_eq!(Month::of(t).file_name().as_deref(), Some("2026-12.jsonl"));
        assert_eq!(Month { year: 12026, month: 1 }.file_name(), None);
    }

    #[test]
    fn conflict_copies_are_months_and_temporary_files_are_not() {
        let month = Month { year: 2026, month: 12 };
        assert_eq!(FileName::classify("2026-12.jsonl"), FileName::Month { month, copy: false });
        for copy in [
            "2026-12.sync-conflict-20261207-101010-ABCDEFG.jsonl",
            "2026-12 (conflicted copy 2026-12-07 101010).jsonl",
            "2026-12 (Someone's conflicted copy 2026-12-07).jsonl",
            "2026-12 (1).jsonl",
        ] {
            assert_eq!(FileName::classify(copy), FileName::Month { month, copy: true }, "{copy}");
        }
        assert_eq!(FileName::classify("device.json"), FileName::Header);
        for other in [
            ".syncthing.2026-12.jsonl.tmp",
            "~syncthing~2026-12.jsonl.tmp",
            "2026-12.jsonl.part",
            ".device.json.tmp",
            ".2026-12.jsonl.~1a2b",
            "2026-12.json",
            "2026-12x.jsonl",
            "2026-13.jsonl",
            "notes.txt",
            "device.sync-conflict-20261207-101010-ABCDEFG.json",
        ] {
            assert_eq!(FileName::classify(other), FileName::Other, "{other}");
        }
    }

    fn record() -> BreakRecord {
        let due = Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap();
        BreakRecord { shown: Some(true), ..crate::record::sample_record(BreakKind::Walk, due, Outcome::Completed) }
    }

    #[test]
    fn lines_are_written_as_documented_and_read_back() {
        let mut out = Vec::new();
        let r = record();
        break_line(&mut out, &r, "notification");
        let s = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
        span_line(&mut out, s, r.due_at);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                r#"{"v":1,"t":"break","kind":"walk","covers":["eye"],"trigger":"scheduled","due":1796637600000,"start":1796637600000,"end":1796637620000,"planned":20,"actual":20,"outcome":"completed","shown":true,"style":"notification"}"#,
                r#"{"v":1,"t":"span","s":1796634000000,"e":1796637600000}"#,
            ]
        );
        assert!(text.ends_with('\n'));
        let Decoded::Line(Line::Break(b)) = decode(lines[0].as_bytes()) else { panic!("a break") };
        assert_eq!((b.kind, &b.covers[..], b.due_at, b.started_at, b.ended_at), (r.kind, &r.covers[..], r.due_at, r.started_at, r.ended_at));
        assert_eq!((b.trigger, b.planned_secs, b.actual_secs, b.outcome, b.shown, b.style), (r.trigger, 20, 20, r.outcome, Some(true), Style::Notification));
        assert_eq!(decode(lines[1].as_bytes()), Decoded::Line(Line::Span { start: s, end: r.due_at }));
    }

    #[test]
    fn newer_lines_are_read_for_what_this_version_knows() {
        let span = |json: &str| decode(json.as_bytes());
        let expected = Decoded::Line(Line::Span { start: DateTime::from_timestamp_millis(1000).unwrap(), end: DateTime::from_timestamp_millis(2000).unwrap() });
        assert_eq!(span(r#"{"v":1,"t":"span","s":1000,"e":2000,"app":"editor"}"#), expected);
        assert_eq!(span(r#"{"v":2,"t":"span","s":1000,"e":2000,"zone":"Asia/Tokyo","x":{"y":[1]}}"#), expected);
        assert_eq!(span(r#"{"v":2,"t":"mood","level":3}"#), Decoded::Unknown);
        assert_eq!(span(r#"{"v":1,"t":"mood"}"#), Decoded::Unknown);
        let walk = r#"{"v":2,"t":"break","kind":"walk","trigger":"scheduled","due":0,"start":null,"end":0,"planned":1,"actual":0,"outcome":"skipped","style":"hologram"}"#;
        let Decoded::Line(Line::Break(b)) = span(walk) else { panic!("a break") };
        assert_eq!((b.covers, b.started_at, b.shown, b.style), (vec![], None, None, Style::Overlay));
        // A word this version does not know: set aside in a newer line, damage in its own.
        assert_eq!(span(&walk.replace("\"walk\"", "\"nap\"")), Decoded::Unknown);
        assert_eq!(span(&walk.replace("\"walk\"", "\"nap\"").replace("\"v\":2", "\"v\":1")), Decoded::Bad);
    }

    #[test]
    fn damaged_lines_are_bad() {
        for bad in [
            "",
            "{",
            r#"{"v":1,"t":"span","s":1000"#,
            r#"{"t":"span","s":1000,"e":2000}"#,
            r#"{"v":0,"t":"span","s":1000,"e":2000}"#,
            r#"{"v":1,"t":"span","s":2000,"e":1000}"#,
            r#"{"v":1,"t":"span","s":"1000","e":2000}"#,
            r#"{"v":1,"t":"span","s":1000,"e":99999999999999999}"#,
            r#"[1,2]"#,
            "\u{0}\u{1}",
        ] {
            assert_eq!(decode(bad.as_bytes()), Decoded::Bad, "{bad}");
        }
    }
}
