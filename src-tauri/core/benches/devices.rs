//! What one history across devices costs (`respite_core::devices`): three devices, each with
//! three years of synthetic history (`respite_core::summary::synthetic`, Respite's default
//! rhythm; one of them in another time zone), written to a shared folder as the devices write
//! it (one JSON-lines file per device per month), then imported into a store as a summary does
//! before it reads.
//!
//! `cargo bench -p respite-core --bench devices` prints: how long writing the three histories
//! took and the folder's size; the first import (every month parsed); an import with nothing
//! new (the cached case: each file one row lookup, after listing the folder); an import after
//! one line was appended to the current month of one device (only that tail parsed); and what
//! the summary then reads from the store for a week (the other devices' breaks and spans, and
//! the union of the spans). Each figure is wall-clock time and, in brackets, the thread's CPU
//! time, which other processes on a busy machine do not inflate. The summary's target is 5 ms.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::{America::New_York, Europe::Berlin, Tz};
use respite_core::calendar::{day_start, Week};
use respite_core::devices::{scan, union_spans, DeviceId, DeviceWriter};
use respite_core::record::{BreakKind, BreakRecord, Outcome, Trigger};
use respite_core::store::Store;
use respite_core::summary::synthetic::{history_of, seed, Profile};
use respite_core::summary::week_summary;
use respite_core::workhours::WorkHours;
use std::path::Path;
use std::time::Instant;
#[path = "common/timing.rs"]
mod timing;
use timing::{time, time_with, Timing};

const DAYS: u32 = 3 * 365 + 1;
const FIRST_RUNS: usize = 3;
const CACHED_RUNS: usize = 50;
const TAIL_RUNS: usize = 20;
const WEEK_RUNS: usize = 200;
const TARGET_MS: f64 = 5.0;

fn main() {
    // As in benches/summary.rs: keeps glibc from giving memory back at every B-tree page split.
    drop(std::hint::black_box(Vec::<u8>::with_capacity(16 << 20)));
    let last_day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let first_day = last_day - Days::new(u64::from(DAYS) - 1);
    let devices: [(&str, &str, Tz, u64); 3] = [
        ("aaaaaaaaaaaaaaaa", "Laptop", Berlin, 0x5eed),
        ("bbbbbbbbbbbbbbbb", "Desk", Berlin, 0xdee5),
        ("cccccccccccccccc", "Travel", New_York, 0x7a7e),
    ];
    let own = DeviceId::parse("0000000000000000").unwrap();
    println!("one history across devices: 3 devices x {DAYS} days of synthetic history, {first_day} to {last_day} (default rhythm)");
    println!("wall ms [thread CPU ms]; the summary's target is {TARGET_MS} ms\n");

    let dir = tempfile::tempdir().expect("a temporary folder");
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("the shared folder");
    let started = Instant::now();
    let (mut breaks, mut spans) = (0usize, 0usize);
    for (id, name, zone, seed) in &devices {
        let writer = DeviceWriter { folder: shared.clone(), id: DeviceId::parse(id).unwrap(), name: (*name).to_owned() };
        let (b, s) = write_history(&writer, first_day, zone, *seed);
        writer.write_header(Utc::now()).expect("the header");
        breaks += b;
        spans += s;
    }
    let writing = started.elapsed();
    let (files, bytes) = folder_size(&shared);
    println!(
        "written: {breaks} breaks + {spans} spans in {:.2} s; the folder holds {files} files, {:.2} MB ({:.1} KB a device-month)",
        writing.as_secs_f64(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e3 / (files - devices.len()) as f64,
    );

    let scans = time(CACHED_RUNS, || drop(std::hint::black_box(scan(&shared, &own))));
    println!("listing the folder (scan): median {}, p95 {}", scans.median, scans.p95);

    let mut kept = Vec::new(); // dropped after the timing: removing a database is not importing
    let first = time_with(
        FIRST_RUNS,
        || {
            let db = tempfile::tempdir().expect("a temporary folder");
            let store = Store::open(&db.path().join("respite.sqlite3")).expect("a new database");
            (db, store)
        },
        |(db, mut store)| {
            let report = store.import_devices(&scan(&shared, &own)).expect("an import");
            assert_eq!(report.breaks_added as usize, breaks);
            kept.push((db, store));
        },
    );
    drop(kept);
    println!("first import (every month parsed): median {}, slowest {} ({FIRST_RUNS} fresh databases)", first.median, first.p95);

    let db = tempfile::tempdir().expect("a temporary folder");
    let db_path = db.path().join("respite.sqlite3");
    let mut store = Store::open(&db_path).expect("a new database");
    store.import_devices(&scan(&shared, &own)).expect("an import");
    let cached = time(CACHED_RUNS, || {
        let report = store.import_devices(&scan(&shared, &own)).expect("an import");
        assert_eq!((report.files_read, report.breaks_added), (0, 0));
    });
    println!("import with nothing new (cached; listing included): median {}, p95 {} ({CACHED_RUNS} runs)", cached.median, cached.p95);

    let laptop = DeviceWriter { folder: shared.clone(), id: DeviceId::parse(devices[0].0).unwrap(), name: "Laptop".into() };
    let mut minute = 0;
    let tail = time_with(
        TAIL_RUNS,
        || {
            minute += 1;
            let due = Berlin.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap().with_timezone(&Utc) + chrono::TimeDelta::minutes(minute);
            laptop.append_break(&evening_break(due), "overlay").expect("an append");
        },
        |()| {
            let report = store.import_devices(&scan(&shared, &own)).expect("an import");
            assert_eq!((report.files_read, report.breaks_added), (1, 1));
        },
    );
    println!("import after one line appended to the current month: median {}, p95 {} ({TAIL_RUNS} runs)", tail.median, tail.p95);
    drop(store);
    let size = std::fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0);
    println!("the store with the three devices' history: {:.1} MB\n", size as f64 / 1e6);

    let store = Store::open_read_only(&db_path).expect("reopening");
    let middle = Week::of(first_day + Days::new(u64::from(DAYS) / 2));
    let current = Week::containing(Berlin.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap().with_timezone(&Utc), &Berlin);
    let mut slowest = Timing::default();
    for (label, week) in [("middle week ", middle), ("current week", current)] {
        let (from, to) = (day_start(week.monday(), &Berlin), day_start(week.next().monday(), &Berlin));
        let mut found = (0, 0, 0);
        let runs = time(WEEK_RUNS, || found = std::hint::black_box(read_week(&store, from, to)));
        slowest = slowest.max(runs.median);
        println!(
            "  {label} {week}: the other devices' {} breaks and {} spans (union: {} minutes), read in median {}, p95 {}",
            found.0, found.1, found.2, runs.median, runs.p95
        );
    }
    let verdict = if slowest.cpu_ms <= TARGET_MS { "within" } else { "NOT within" };
    println!("reading the other devices for a week is {verdict} the {TARGET_MS} ms target: the slowest median is {slowest} (judged by CPU time)");
    drop(store);

    // The whole weekly summary, as the window and `respite summary` compute it: this device's
    // own three years, alone and then with the three others imported beside them.
    println!("\nthe weekly summary (week_summary), this device's own {DAYS} days of history:");
    let alone_dir = tempfile::tempdir().expect("a temporary folder");
    let mut alone = Store::open(&alone_dir.path().join("respite.sqlite3")).expect("a new database");
    let mut together = Store::open(&db_path).expect("reopening");
    for store in [&mut alone, &mut together] {
        seed(store, first_day, DAYS, &Berlin, Profile::DEFAULTS, 0x0bad).expect("this device's history");
    }
    let now = Berlin.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap().with_timezone(&Utc);
    let hours = WorkHours::default();
    for (label, week) in [("middle week ", middle), ("current week", current)] {
        let one = time(WEEK_RUNS, || drop(std::hint::black_box(week_summary(&alone, week, &Berlin, &hours, now).expect("a summary"))));
        let four = time(WEEK_RUNS, || drop(std::hint::black_box(week_summary(&together, week, &Berlin, &hours, now).expect("a summary"))));
        let devices = week_summary(&together, week, &Berlin, &hours, now).expect("a summary").devices.len();
        println!(
            "  {label} {week}: one device median {}, p95 {}; {devices} devices median {}, p95 {} ({:.1}x the CPU time)",
            one.median,
            one.p95,
            four.median,
            four.p95,
            four.median.cpu_ms / one.median.cpu_ms.max(f64::MIN_POSITIVE)
        );
    }
}

/// Writes a device's history, a month at a time (one write per file, as a first export of a
/// history would). Returns how many breaks and spans.
fn write_history(writer: &DeviceWriter, first_day: NaiveDate, zone: &Tz, seed: u64) -> (usize, usize) {
    let (mut breaks, mut spans) = (Vec::new(), Vec::new());
    let (mut total_breaks, mut total_spans) = (0, 0);
    let mut month = None;
    let mut flush = |breaks: &mut Vec<BreakRecord>, spans: &mut Vec<(DateTime<Utc>, DateTime<Utc>)>| {
        writer.append(spans, breaks).expect("writing a month");
        total_breaks += breaks.len();
        total_spans += spans.len();
        breaks.clear();
        spans.clear();
    };
    for (n, date) in first_day.iter_days().take(DAYS as usize).enumerate() {
        use chrono::Datelike;
        if month.is_some_and(|m| m != date.month()) {
            flush(&mut breaks, &mut spans);
        }
        month = Some(date.month());
        let (b, s) = history_of(date, zone, Profile::DEFAULTS, seed ^ (n as u64).wrapping_mul(0xA076_1D64_78BD_642F));
        breaks.extend(b);
        spans.extend(s.into_iter().map(|s| (s.start, s.end)));
    }
    flush(&mut breaks, &mut spans);
    (total_breaks, total_spans)
}

/// A break taken in the evening (what is appended to the current month).
fn evening_break(due: DateTime<Utc>) -> BreakRecord {
    BreakRecord {
        kind: BreakKind::Eye,
        covers: vec![],
        trigger: Trigger::Scheduled,
        due_at: due,
        started_at: Some(due),
        ended_at: due + chrono::TimeDelta::seconds(20),
        planned_secs: 20,
        actual_secs: 20,
        outcome: Outcome::Completed,
        held: None,
        shown: Some(true),
        style: Default::default(),
    }
}

/// What the summary reads of the other devices for a week: their breaks, their spans, and the
/// minutes of the spans' union.
fn read_week(store: &Store, from: DateTime<Utc>, to: DateTime<Utc>) -> (usize, usize, i64) {
    let mut breaks = 0;
    store.visit_device_breaks(from, to, |_, _| breaks += 1).expect("breaks");
    let spans = store.device_activity_overlapping(from, to).expect("spans");
    let union = union_spans(spans.iter().map(|(_, s)| (s.start.max(from), s.end.min(to))));
    let minutes = union.iter().map(|(s, e)| (*e - *s).num_minutes()).sum();
    (breaks, spans.len(), minutes)
}

/// Files and bytes under `dir`.
fn folder_size(dir: &Path) -> (usize, u64) {
    let mut out = (0, 0);
    for entry in std::fs::read_dir(dir).expect("the folder").flatten() {
        let meta = entry.metadata().expect("metadata");
        if meta.is_dir() {
            let (files, bytes) = folder_size(&entry.path());
            out = (out.0 + files, out.1 + bytes);
        } else {
            out = (out.0 + 1, out.1 + meta.len());
        }
    }
    out
}
