//! A benchmark, run by hand (ignored by `cargo test`): what `synchronous = FULL` costs per break
//! against `NORMAL`, on a real database file.
//!
//! A break is two commits: the row saying it is on screen ([`Store::open_break`]) and its record,
//! which forgets that row in the same transaction ([`Store::record`]). With WAL, `NORMAL` syncs
//! only at checkpoints; `FULL` waits at every commit until the WAL is on disk. Each round writes
//! `RESPITE_BENCH_BREAKS` breaks (default 200) to a fresh database in `RESPITE_BENCH_DIR`
//! (default the temporary folder; point it at the disk the data folder is on), rounds of the
//! two modes alternating, and prints the time per break: median, 95th percentile and mean,
//! and the ratio FULL / NORMAL. `benches/durability` runs it in a release build.

use super::*;
use crate::record::{BreakKind, Outcome, Trigger};
use std::time::Instant;

const ROUNDS: usize = 3;

#[test]
#[ignore = "a benchmark: run with benches/durability"]
fn synchronous_full_cost_per_break() {
    let breaks: usize = std::env::var("RESPITE_BENCH_BREAKS").ok().and_then(|n| n.parse().ok()).unwrap_or(200);
    let parent = std::env::var_os("RESPITE_BENCH_DIR").map(std::path::PathBuf::from).unwrap_or_else(std::env::temp_dir);
    println!("{breaks} breaks (2 commits each) per round, {ROUNDS} rounds per mode, in {}", parent.display());
    let mut per_mode: [(&str, Vec<f64>); 2] = [("NORMAL", Vec::new()), ("FULL", Vec::new())];
    for _ in 0..ROUNDS {
        for (mode, times) in &mut per_mode {
            times.extend(round(&parent, mode, breaks));
        }
    }
    let mut figures = Vec::new();
    for (mode, times) in &mut per_mode {
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!("synchronous = {mode:<6}  per break: median {median:.3} ms, p95 {p95:.3} ms, mean {mean:.3} ms");
        figures.push((median, mean));
    }
    let [(normal_median, normal_mean), (full_median, full_mean)] = [figures[0], figures[1]];
    println!(
        "FULL / NORMAL: median {:.1}x, mean {:.1}x; FULL costs {:.3} ms more per break (mean)",
        full_median / normal_median,
        full_mean / normal_mean,
        full_mean - normal_mean
    );
}

/// Writes `breaks` breaks with `synchronous = mode` to a fresh database; the milliseconds each took.
fn round(parent: &Path, mode: &str, breaks: usize) -> Vec<f64> {
    let dir = tempfile::tempdir_in(parent).expect("a temporary folder");
    let mut store = Store::open(&dir.path().join("respite.sqlite3")).expect("a new database");
    store.conn.pragma_update(None, "synchronous", mode).expect("set synchronous");
    let start = DateTime::<Utc>::from_timestamp(1_795_000_000, 0).expect("a time");
    (0..breaks)
        .map(|n| {
            let due = start + chrono::Duration::minutes(20 * n as i64);
            let open = OpenBreak { kind: BreakKind::Eye, covers: vec![], trigger: Trigger::Scheduled, due_at: due, started_at: due, planned_secs: 20, style: Default::default() };
            let record = crate::record::sample_record(BreakKind::Eye, due, Outcome::Completed);
            let began = Instant::now();
            store.open_break(&open).expect("open the break");
            store.record_ended(&record).expect("log the break");
            began.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}
