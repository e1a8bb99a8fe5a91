//! Long run: 10,000 break cycles of the real daemon on a clock sped up 1000 times. Every break
//! is logged, the database grows by the expected amount, and memory stays flat. Windows are
//! replaced by `/bin/true`: this is about the daemon.

use respite_core::store::Store;
use respite_e2e::{wait_for, Session};
use std::time::Duration;

const CYCLES: u64 = 10_000;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("process status");
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("VmRSS value")
}

fn logged(session: &Session) -> u64 {
    Store::open_read_only(&session.data_dir().join("respite.sqlite3")).and_then(|s| s.count()).unwrap_or(0)
}

#[test]
fn ten_thousand_break_cycles_log_every_break_with_flat_memory() {
    let session = Session::headless();
    session.write_settings("[eye]\ninterval = \"5s\"\nduration = \"1s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n");
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_TIME_SCALE", "1000"), ("RESPITE_UI_BIN", "/bin/true"), ("RUST_LOG", "warn")]);
    wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());

    wait_for(Duration::from_secs(120), "1,000 breaks", || (logged(&session) >= 1_000).then_some(()));
    let early = rss_kib(daemon.id());
    wait_for(Duration::from_secs(600), "10,000 breaks", || (logged(&session) >= CYCLES).then_some(()));
    let late = rss_kib(daemon.id());
    session.quit();
    assert!(daemon.wait().unwrap().success());

    let store = Store::open_read_only(&session.data_dir().join("respite.sqlite3")).unwrap();
    let breaks = store.breaks(None, None).unwrap();
    assert!(breaks.len() as u64 >= CYCLES);
    let not_completed: Vec<_> = breaks.iter().filter(|b| b.record.outcome != respite_core::record::Outcome::Completed).collect();
    assert!(not_completed.len() <= 1, "only a break cut by the quit may be interrupted: {not_completed:?}");
    let size = std::fs::metadata(session.data_dir().join("respite.sqlite3")).unwrap().len();
    let per_row = size / breaks.len() as u64;
    eprintln!(
        "long run: {} breaks, database {} KiB ({per_row} bytes a break), daemon RSS {} KiB after 1,000 and {} KiB after {CYCLES}",
        breaks.len(),
        size / 1024,
        early,
        late
    );
    // About 400 bytes: the row and its two indexes (schema 9's `style`, in the row and the
    // summary's covering index, added some 16).
    assert!((60..=450).contains(&per_row), "database size {size} bytes for {} breaks", breaks.len());
    assert!(late < early + 4 * 1024, "memory grew from {early} KiB to {late} KiB over 9,000 breaks");
}
