//! What the weekly summary costs over three years of synthetic history
//! (`respite_core::summary::synthetic`): at Respite's default break rhythm (what one person logs,
//! about 30,000 break rows), the same for someone who takes nearly every break (so the streak
//! walks back the whole year it may), and 17 times denser (about half a million break rows: the
//! stress target).
//!
//! `cargo bench -p respite-core --bench summary` prints, for each history: rows seeded and how
//! long seeding took, the database size, and the milliseconds `week_summary` takes for a week in
//! the middle of the history and for the current week, median and 95th percentile with SQLite's
//! cache warm, and cold (the first call on a freshly opened connection; the operating system's
//! file cache stays warm). Each figure is wall-clock time and, in brackets, the thread's CPU
//! time, which other processes on a busy machine do not inflate. The target is 5 ms.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use respite_core::store::Store;
use respite_core::summary::synthetic::{self, Profile};
use respite_core::calendar::{day_start, Week};
use respite_core::summary::week_summary;
#[path = "common/timing.rs"]
mod timing;
use std::time::Instant;
use timing::{time, time_with, Timing};

const DAYS: u32 = 3 * 365 + 1;
const WARM_RUNS: usize = 200;
const COLD_RUNS: usize = 20;
const TARGET_MS: f64 = 5.0;

fn main() {
    // glibc gives memory back to the system whenever more than 128 KiB lies free at the top of
    // the heap, and SQLite allocates and frees a scratch buffer at every B-tree page split: a
    // large batch of inserts then grows and shrinks the heap hundreds of thousands of times (34
    // of 53 seconds of seeding spent in the kernel, zeroing pages). glibc adapts its thresholds
    // to the largest block freed: one 16 MiB block, allocated and freed, stops that.
    drop(std::hint::black_box(Vec::<u8>::with_capacity(16 << 20)));
    // Wednesday 2026-11-25, 15:00 in Berlin: the last day of the history.
    let now = Berlin.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap().with_timezone(&Utc);
    let last_day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let first_day = last_day - Days::new(u64::from(DAYS) - 1);
    let middle = Week::of(first_day + Days::new(u64::from(DAYS) / 2));
    let current = Week::containing(now, &Berlin);
    println!("weekly summary over {DAYS} days of synthetic history, {first_day} to {last_day}, Europe/Berlin");
    println!("middle week {middle}, current week {current} (under way); wall ms [thread CPU ms]; target {TARGET_MS} ms\n");
    let mut slowest = Timing::default();
    let histories = [
        ("default rhythm", Profile::DEFAULTS),
        ("default rhythm, a person who takes nearly every break (the streak reaches back a year)", Profile::DEFAULTS.diligent()),
        ("17x denser (stress)", Profile::DEFAULTS.denser(17)),
    ];
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    for (name, profile) in histories.into_iter().filter(|(name, _)| only.as_ref().is_none_or(|o| name.contains(o.as_str()))) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("respite.sqlite3");
        let mut store = Store::open(&path).expect("a new database");
        let started = Instant::now();
        let seeded = synthetic::seed(&mut store, first_day, DAYS, &Berlin, profile, 0x5eed).expect("seeding");
        let seeding = started.elapsed();
        drop(store); // checkpoints the WAL into the main file
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "{name}: {} break rows + {} activity spans seeded in {:.2} s; database {:.1} MB",
            seeded.breaks,
            seeded.spans,
            seeding.as_secs_f64(),
            size as f64 / 1e6
        );

        let store = Store::open_read_only(&path).expect("reopening");
        for (label, week) in [("middle week ", middle), ("current week", current)] {
            let runs = time(WARM_RUNS, || {
                std::hint::black_box(week_summary(&store, week, &Berlin, &respite_core::workhours::WorkHours::default(), now).expect("a summary"));
            });
            slowest = slowest.max(runs.median);
            println!("  {label} warm: median {}, p95 {} ({WARM_RUNS} runs)", runs.median, runs.p95);
        }
        parts(&store, middle, now);
        drop(store);
        let cold = time_with(
            COLD_RUNS,
            || Store::open_read_only(&path).expect("reopening"),
            |store| drop(std::hint::black_box(week_summary(&store, current, &Berlin, &respite_core::workhours::WorkHours::default(), now).expect("a summary"))),
        );
        slowest = slowest.max(cold.median);
        println!("  current week cold: median {}, p95 {} ({COLD_RUNS} fresh connections)\n", cold.median, cold.p95);
    }
    let verdict = if slowest.cpu_ms <= TARGET_MS { "met" } else { "NOT met" };
    println!("target {TARGET_MS} ms {verdict}: the slowest median is {slowest} (judged by CPU time)");
}

/// The store queries one summary of `week` runs, timed alone: where the time goes.
fn parts(store: &Store, week: Week, now: chrono::DateTime<Utc>) {
    let (start, end) = (day_start(week.monday(), &Berlin), day_start(week.next().monday(), &Berlin));
    let previous = day_start(week.previous().monday(), &Berlin);
    let median = |f: &dyn Fn() -> usize| {
        let mut rows = 0;
        let runs = time(WARM_RUNS, || rows = std::hint::black_box(f()));
        format!("{}: {rows}", runs.median)
    };
    let summary = week_summary(store, week, &Berlin, &respite_core::workhours::WorkHours::default(), now).expect("a summary");
    println!("  middle week, the queries it runs, each alone (medians):");
    println!("    breaks            {} rows", median(&|| store.break_briefs(start, end).unwrap().len()));
    println!("    screen time       {} spans", median(&|| store.activity_overlapping(start, end).unwrap().len()));
    println!("    last week counted {} breaks", median(&|| store.outcome_counts(previous, start).unwrap().rows() as usize));
    println!("    last week's time  {} minutes (sums, no rows)", median(&|| (store.screen_time(previous, start).unwrap().total_ms / 60_000) as usize));
    println!("    (streak: {} days)", summary.streak.days);
}
