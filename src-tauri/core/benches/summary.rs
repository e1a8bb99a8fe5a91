//! What the weekly summary costs over three years of synthetic history
//! (`respite_core::summary::synthetic`): once at Respite's default break rhythm (what one person
//! logs) and once 14 times denser (about half a million break rows, the stress target).
//!
//! `cargo bench -p respite-core --bench summary` prints, for each history: rows seeded and how
//! long seeding took, the database size, and the milliseconds `week_summary` takes for a week in
//! the middle of the history and for the current week (median and 95th percentile with SQLite's
//! cache warm), and cold (the first call on a freshly opened connection; the operating system's
//! file cache stays warm). The target is 5 ms.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use respite_core::store::Store;
use respite_core::summary::synthetic::{self, Profile};
use respite_core::summary::{week_summary, Week};
use std::time::Instant;

const DAYS: u32 = 3 * 365 + 1;
const WARM_RUNS: usize = 200;
const COLD_RUNS: usize = 20;
const TARGET_MS: f64 = 5.0;

fn main() {
    // Wednesday 2026-11-25, 15:00 in Berlin: the last day of the history.
    let now = Berlin.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap().with_timezone(&Utc);
    let last_day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let first_day = last_day - Days::new(u64::from(DAYS) - 1);
    let middle = Week::of(first_day + Days::new(u64::from(DAYS) / 2));
    let current = Week::containing(now, &Berlin);
    println!("weekly summary over {DAYS} days of synthetic history, {first_day} to {last_day}, Europe/Berlin");
    println!("middle week {middle}, current week {current}; target {TARGET_MS} ms\n");
    let mut worst: f64 = 0.0;
    for (name, profile) in [("default rhythm", Profile::DEFAULTS), ("14x denser", Profile::DEFAULTS.denser(14))] {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("respite.sqlite3");
        let mut store = Store::open(&path).expect("a new database");
        let started = Instant::now();
        let seeded = synthetic::seed(&mut store, first_day, DAYS, &Berlin, profile, 0x5eed).expect("seeding");
        let seeding = started.elapsed();
        drop(store); // checkpoints the WAL into the main file
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!("{name}: {} break rows, {} activity spans, seeded in {:.2} s; database {:.1} MB", seeded.breaks, seeded.spans, seeding.as_secs_f64(), size as f64 / 1e6);

        let store = Store::open_read_only(&path).expect("reopening");
        for (label, week) in [("middle ", middle), ("current", current)] {
            let runs = time(WARM_RUNS, || {
                let started = Instant::now();
                let summary = week_summary(&store, week, &Berlin, now).expect("a summary");
                std::hint::black_box(summary);
                started.elapsed().as_secs_f64() * 1e3
            });
            let (median, p95) = (percentile(&runs, 0.5), percentile(&runs, 0.95));
            worst = worst.max(p95);
            println!("  {label} week, warm: median {median:.3} ms, p95 {p95:.3} ms ({WARM_RUNS} runs)");
        }
        parts(&store, middle);
        drop(store);
        let cold = time(COLD_RUNS, || {
            let store = Store::open_read_only(&path).expect("reopening");
            let started = Instant::now();
            std::hint::black_box(week_summary(&store, current, &Berlin, now).expect("a summary"));
            started.elapsed().as_secs_f64() * 1e3
        });
        let (median, p95) = (percentile(&cold, 0.5), percentile(&cold, 0.95));
        worst = worst.max(median);
        println!("  current week, cold: median {median:.3} ms, p95 {p95:.3} ms ({COLD_RUNS} fresh connections)\n");
    }
    let verdict = if worst <= TARGET_MS { "met" } else { "NOT met" };
    println!("target {TARGET_MS} ms {verdict}: slowest figure {worst:.3} ms");
}

/// The queries one summary of `week` runs, timed alone (medians): where the time goes.
fn parts(store: &Store, week: Week) {
    use respite_core::summary::day_start;
    let (start, end) = (day_start(week.monday(), &Berlin), day_start(week.next().monday(), &Berlin));
    let previous = day_start(week.previous().monday(), &Berlin);
    let median = |f: &dyn Fn() -> usize| {
        let mut rows = 0;
        let runs = time(WARM_RUNS, || {
            let started = Instant::now();
            rows = std::hint::black_box(f());
            started.elapsed().as_secs_f64() * 1e3
        });
        format!("{:.3} ms ({rows} rows)", percentile(&runs, 0.5))
    };
    let summary = week_summary(store, week, &Berlin, Utc::now()).expect("a summary");
    println!(
        "  middle week parts: breaks {}, spans {}, last week's counts {}, last week's spans {}; streak {} days",
        median(&|| store.break_briefs(start, end).unwrap().len()),
        median(&|| store.activity_overlapping(start, end).unwrap().len()),
        median(&|| store.outcome_counts(previous, start).unwrap().rows() as usize),
        median(&|| store.activity_overlapping(previous, start).unwrap().len()),
        summary.streak.days,
    );
}

fn time(runs: usize, mut once: impl FnMut() -> f64) -> Vec<f64> {
    let mut out: Vec<f64> = (0..runs).map(|_| once()).collect();
    out.sort_by(f64::total_cmp);
    out
}

/// Nearest-rank percentile of sorted `values`.
fn percentile(values: &[f64], p: f64) -> f64 {
    let rank = ((p * values.len() as f64).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}
