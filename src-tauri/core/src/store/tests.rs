//! Tests of the store as a whole: opening, migrating older logs, recording, recovering,
//! pruning and reading back.

use super::migrations::MIGRATIONS;
use super::*;
use crate::record::{BreakKind, BreakRecord, Held, Outcome, Style, Trigger};
use crate::schedule::FocusRound;
use crate::selfcheck::Answers;
use crate::workhours::Span;
use chrono::TimeZone;
use std::ops::ControlFlow;

fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
}

fn record(kind: BreakKind, due: DateTime<Utc>, outcome: Outcome) -> BreakRecord {
    crate::record::sample_record(kind, due, outcome)
}

#[test]
fn a_new_database_is_migrated_in_wal_mode_and_records_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/respite.sqlite3");
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let a = record(BreakKind::Eye, t(9, 20, 0), Outcome::Completed);
    let b = record(BreakKind::Walk, t(10, 50, 0), Outcome::Skipped);
    store.record(&b).unwrap();
    store.record(&a).unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    let all = store.breaks(None, None).unwrap();
    assert_eq!(all.iter().map(|s| s.record.clone()).collect::<Vec<_>>(), vec![a.clone(), b.clone()], "ordered by due time");
    let only_b = store.breaks(Some(t(10, 0, 0)), Some(t(11, 0, 0))).unwrap();
    assert_eq!(only_b.len(), 1);
    assert_eq!(only_b[0].record, b);
    let read_only = Store::open_read_only(&path).unwrap();
    assert_eq!(read_only.count().unwrap(), 2);
    assert_eq!(read_only.count_kind(BreakKind::Walk).unwrap(), 1);
    assert_eq!(read_only.count_kind(BreakKind::Stretch).unwrap(), 0);
}

#[test]
fn retention_deletes_only_breaks_older_than_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    for hour in [8, 9, 10] {
        store.record(&record(BreakKind::Eye, t(hour, 0, 0), Outcome::Completed)).unwrap();
    }
    assert_eq!(store.delete_before(t(9, 0, 0)).unwrap(), 1);
    let left: Vec<_> = store.breaks(None, None).unwrap().into_iter().map(|b| b.record.due_at).collect();
    assert_eq!(left, vec![t(9, 0, 0), t(10, 0, 0)]);
}

#[test]
fn times_are_stored_as_utc_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    store.record(&record(BreakKind::Eye, t(9, 20, 0), Outcome::Completed)).unwrap();
    let due: String = store.conn.query_row("SELECT due_at FROM breaks", [], |r| r.get(0)).unwrap();
    assert_eq!(due, "2026-11-23T09:20:00.000Z");
}

#[test]
fn a_break_on_screen_when_the_process_died_is_logged_as_interrupted_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let mut store = Store::open(&path).unwrap();
    store
        .open_break(&OpenBreak {
            kind: BreakKind::Stretch,
            covers: vec![BreakKind::Eye],
            trigger: Trigger::Scheduled,
            due_at: t(9, 50, 0),
            started_at: t(9, 50, 0),
            planned_secs: 90,
            style: Style::Notification,
        })
        .unwrap();
    drop(store); // the process dies here

    let mut store = Store::open(&path).unwrap();
    let recovered = store.recover_interrupted(t(12, 0, 0)).unwrap().unwrap();
    assert_eq!(recovered.outcome, Outcome::Interrupted);
    assert_eq!(recovered.covers, vec![BreakKind::Eye]);
    assert_eq!(recovered.style, Style::Notification, "a gentle break stays one when recovered");
    assert_eq!(store.breaks(None, None).unwrap()[0].record.style, Style::Notification);
    assert_eq!((recovered.ended_at, recovered.actual_secs), (t(9, 51, 30), 90), "capped at its planned end");
    assert_eq!(store.recover_interrupted(t(12, 0, 0)).unwrap(), None);
    assert_eq!(store.count().unwrap(), 1);
}

fn on_screen(kind: BreakKind, started_at: DateTime<Utc>, planned_secs: u32) -> OpenBreak {
    OpenBreak { kind, covers: vec![], trigger: Trigger::Scheduled, due_at: started_at, started_at, planned_secs, style: Default::default() }
}

#[test]
fn a_break_left_on_screen_is_logged_as_interrupted_when_the_next_one_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    // An earlier run died during this break, and the start that followed could not recover
    // it (the database did not open then).
    assert_eq!(store.open_break(&on_screen(BreakKind::Stretch, t(9, 0, 0), 300)).unwrap(), None);
    let next = on_screen(BreakKind::Eye, t(9, 2, 0), 20);
    let logged = store.open_break(&next).unwrap().expect("the earlier break is logged");
    assert_eq!((logged.kind, logged.outcome), (BreakKind::Stretch, Outcome::Interrupted));
    assert_eq!((logged.ended_at, logged.actual_secs), (t(9, 2, 0), 120), "ended at the latest when the next one started");
    assert_eq!(store.open_break(&next).unwrap(), None, "the same break written again is not a second break");
    store.record_ended(&record(BreakKind::Eye, t(9, 2, 0), Outcome::Completed)).unwrap();
    let outcomes: Vec<_> = store.breaks(None, None).unwrap().into_iter().map(|b| (b.record.kind, b.record.outcome)).collect();
    assert_eq!(outcomes, [(BreakKind::Stretch, Outcome::Interrupted), (BreakKind::Eye, Outcome::Completed)]);
    assert_eq!(store.recover_interrupted(t(10, 0, 0)).unwrap(), None);
}

#[test]
fn every_commit_is_synced_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    // 2 = FULL: with WAL, NORMAL (1) syncs only at checkpoints and can lose the last breaks
    // when the power goes.
    assert_eq!(store.pragma("synchronous"), 2);
    assert_eq!(store.pragma("secure_delete"), 1);
}

#[cfg(unix)]
#[test]
fn the_data_folder_is_created_0700_and_the_database_files_0600() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("share/respite");
    let path = data.join("respite.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store.record(&record(BreakKind::Eye, t(9, 0, 0), Outcome::Completed)).unwrap();
    let wal = data.join("respite.sqlite3-wal");
    let shm = data.join("respite.sqlite3-shm");
    assert_eq!([mode(&data), mode(&dir.path().join("share"))], [0o700, 0o700]);
    assert_eq!([mode(&path), mode(&wal), mode(&shm)], [0o600, 0o600, 0o600]);
    drop(store);

    // Files an older Respite left readable by others are tightened when opened.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(Store::open(&path).unwrap());
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn retention_deletes_self_check_answers_of_weeks_that_ended_before_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    let w = |n| Week::new(2026, n).unwrap();
    for n in [45, 46, 47, 48] {
        store.save_self_check(w(n), Answers::new(2, 3, 4).unwrap(), t(9, 0, 0)).unwrap();
    }
    // Wednesday of week 47: weeks 45 and 46 are over before it; 47 is not.
    let wednesday = Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap();
    assert_eq!(Week::containing(wednesday, &Utc), w(47));
    store.delete_before(wednesday).unwrap();
    let weeks: Vec<_> = store.self_checks(w(1), w(52)).unwrap().into_iter().map(|c| c.week.number()).collect();
    assert_eq!(weeks, [47, 48]);
}

#[test]
fn pruned_rows_leave_no_trace_in_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("respite.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let old = Utc.with_ymd_and_hms(2019, 3, 4, 9, 0, 0).unwrap();
    for minute in 0..50 {
        store.record(&record(BreakKind::Eye, old + chrono::Duration::minutes(minute), Outcome::Completed)).unwrap();
    }
    store.save_self_check(Week::containing(old, &Utc), Answers::new(1, 1, 1).unwrap(), old).unwrap();
    store.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap(); // the rows reach the database file
    store.record(&record(BreakKind::Eye, t(9, 0, 0), Outcome::Completed)).unwrap();
    store.delete_before(t(0, 0, 0)).unwrap();
    let files = [path.clone(), dir.path().join("respite.sqlite3-wal")];
    let bytes: Vec<u8> = files.iter().filter_map(|f| std::fs::read(f).ok()).flatten().collect();
    let found = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!found(b"2019-03-04T09:"), "a pruned break's time is still in the files");
    assert!(!found(b"2019-W10"), "a pruned self-check's week is still in the files");
    assert!(found(b"2026-11-23T09:00"), "the kept break is there (the search works)");
    drop(store);
    let left: Vec<_> = Store::open_read_only(&path).unwrap().breaks(None, None).unwrap().into_iter().map(|b| b.record.due_at).collect();
    assert_eq!(left, [t(9, 0, 0)]);
}

#[test]
fn finishing_a_break_closes_the_open_one_in_the_same_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    let rec = record(BreakKind::Eye, t(9, 20, 0), Outcome::Completed);
    store
        .open_break(&OpenBreak { kind: rec.kind, covers: vec![], trigger: rec.trigger, due_at: rec.due_at, started_at: t(9, 20, 0), planned_secs: 20, style: Default::default() })
        .unwrap();
    store.record_ended(&rec).unwrap();
    assert_eq!(store.recover_interrupted(t(10, 0, 0)).unwrap(), None);
    assert_eq!(store.count().unwrap(), 1);
}

#[test]
fn self_check_answers_are_kept_per_week_and_replaced_when_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("respite.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let w = |n| Week::new(2026, n).unwrap();
    store.save_self_check(w(46), Answers::new(2, 3, 4).unwrap(), t(16, 0, 0)).unwrap();
    store.save_self_check(w(47), Answers::new(1, 1, 2).unwrap(), t(16, 0, 0)).unwrap();
    store.save_self_check(w(47), Answers::new(3, 3, 3).unwrap(), t(17, 0, 0)).unwrap();
    store.save_self_check(w(5), Answers::new(5, 5, 5).unwrap(), t(17, 0, 0)).unwrap();
    drop(store);
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.self_check(w(47)).unwrap(), Some(Answers::new(3, 3, 3).unwrap()), "the later answers replace the earlier");
    assert_eq!(store.self_check(w(48)).unwrap(), None);
    let weeks: Vec<_> = store.self_checks(w(1), w(47)).unwrap().into_iter().map(|c| c.week.number()).collect();
    assert_eq!(weeks, [5, 46, 47], "week 5 sorts before 46: the text is zero-padded");
}

#[test]
fn a_break_held_for_any_reason_is_logged_and_a_version_5_log_keeps_its_held_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("respite.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        for step in &MIGRATIONS[..5] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 5).unwrap();
        conn.execute(
            "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome, held_reason, held_secs)
             VALUES ('eye', '', 'scheduled', '2026-11-20T09:00:00.000Z', '2026-11-20T09:08:00.000Z', '2026-11-20T09:08:20.000Z', 20, 20, 'completed', 'fullscreen', 480)",
            [],
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let old = store.breaks(None, None).unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].record.held, Some(Held { reason: crate::senses::HoldReason::Fullscreen, secs: 480 }));
    let mut written = Vec::new();
    for (n, reason) in crate::senses::HoldReason::ALL.into_iter().enumerate() {
        let mut held = record(BreakKind::Eye, t(10, n as u32, 0), Outcome::Completed);
        held.held = Some(Held { reason, secs: 60 });
        store.record(&held).unwrap();
        written.push(held);
    }
    let read: Vec<BreakRecord> = store.breaks(None, None).unwrap().into_iter().skip(1).map(|b| b.record).collect();
    assert_eq!(read, written);
}

#[test]
fn a_version_6_log_keeps_its_rows_with_shown_unknown_and_logs_whether_a_window_came_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("respite.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        for step in &MIGRATIONS[..6] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute(
            "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome, held_reason, held_secs)
             VALUES ('walk', 'eye', 'scheduled', '2026-11-23T09:00:00.000Z', '2026-11-23T09:02:00.000Z', '2026-11-23T09:07:00.000Z', 300, 300, 'completed', 'camera', 120)",
            [],
        )
        .unwrap();
    }
    let old = BreakRecord {
        kind: BreakKind::Walk,
        covers: vec![BreakKind::Eye],
        trigger: Trigger::Scheduled,
        due_at: t(9, 0, 0),
        started_at: Some(t(9, 2, 0)),
        ended_at: t(9, 7, 0),
        planned_secs: 300,
        actual_secs: 300,
        outcome: Outcome::Completed,
        held: Some(Held { reason: crate::senses::HoldReason::Camera, secs: 120 }),
        shown: None,
        style: Default::default(),
    };
    // Read-only (an older daemon may still run on it): not migrated, `shown` unknown.
    let read_only = Store::open_read_only(&path).unwrap();
    assert_eq!(read_only.schema_version().unwrap(), 6);
    assert_eq!(read_only.breaks(None, None).unwrap()[0].record, old);
    assert_eq!(read_only.break_briefs(t(0, 0, 0), t(23, 0, 0)).unwrap()[0].shown, None);
    assert_eq!(read_only.outcome_counts(t(0, 0, 0), t(23, 0, 0)).unwrap(), OutcomeCounts { completed: 1, ..Default::default() });
    drop(read_only);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION, "migrated to the newest schema");
    assert_eq!(store.breaks(None, None).unwrap()[0].record, old, "the old row keeps its data");
    let unknown: bool = store.conn.query_row("SELECT shown IS NULL FROM breaks", [], |r| r.get(0)).unwrap();
    assert!(unknown, "an old row's window is unknown (NULL), not 'not shown'");

    let mut written = Vec::new();
    for (minute, shown) in [(10, Some(true)), (20, Some(false)), (30, None)] {
        let mut r = record(BreakKind::Eye, t(9, minute, 0), Outcome::Completed);
        r.shown = shown;
        store.record(&r).unwrap();
        written.push(r);
    }
    let read: Vec<BreakRecord> = store.breaks(None, None).unwrap().into_iter().skip(1).map(|b| b.record).collect();
    assert_eq!(read, written);
    let shown: Vec<Option<bool>> = store.break_briefs(t(0, 0, 0), t(23, 0, 0)).unwrap().into_iter().map(|b| b.shown).collect();
    assert_eq!(shown, [None, Some(true), Some(false), None]);
    let mut backwards = Vec::new();
    store
        .outcomes_backwards(t(0, 0, 0), t(23, 0, 0), |_, outcome, shown| {
            backwards.push((outcome, shown));
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(backwards[1], (Outcome::Completed, Some(false)));
    let counts = store.outcome_counts(t(0, 0, 0), t(23, 0, 0)).unwrap();
    assert_eq!(counts, OutcomeCounts { completed: 3, unseen: 1, ..Default::default() }, "a completed break with no window is not completed");
    assert_eq!(counts.rows(), 4);

    // The summary still reads everything from its indexes.
    let plan = |query: &str| -> String {
        let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {query}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
    };
    let week = "'2026-11-16T00:00:00.000Z' AND due_at < '2026-11-23T00:00:00.000Z'";
    let briefs = plan(&format!("SELECT kind, covers, due_at, started_at, outcome, shown FROM breaks WHERE due_at >= {week} ORDER BY due_at"));
    assert_eq!(briefs, "SEARCH breaks USING COVERING INDEX breaks_by_due_covering (due_at>? AND due_at<?)");
    let unseen = plan(&format!("SELECT count(*) FROM breaks WHERE outcome = 'completed' AND due_at >= {week} AND shown = 0"));
    assert!(unseen.contains("COVERING INDEX breaks_by_outcome (outcome=? AND due_at>? AND due_at<?)"), "{unseen}");
    let err = store.conn.execute("UPDATE breaks SET shown = 2", []);
    assert!(err.is_err(), "shown is 0, 1 or NULL");
}

#[test]
fn a_version_1_log_is_migrated_keeping_every_row_and_takes_the_new_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("respite.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO breaks (kind, covers, trigger, due_at, started_at, ended_at, planned_secs, actual_secs, outcome)
             VALUES ('walk', 'eye', 'manual', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z', '2026-11-20T09:05:00Z', 300, 300, 'completed')",
            [],
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let old = store.breaks(None, None).unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!((old[0].record.kind, old[0].record.trigger, old[0].record.held), (BreakKind::Walk, Trigger::Manual, None));
    let mut focus = record(BreakKind::Stretch, t(10, 0, 0), Outcome::Completed);
    focus.trigger = Trigger::Focus;
    focus.held = Some(Held { reason: crate::senses::HoldReason::Fullscreen, secs: 95 });
    store.record(&focus).unwrap();
    let span = Span { start: t(9, 0, 0), end: t(9, 40, 0), after_hours: false };
    store.activity(&span).unwrap();
    let round = FocusRound { round: 2, started_at: t(9, 0, 0), ended_at: t(9, 25, 0), completed: true };
    store.focus_round(&round).unwrap();
    drop(store);
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.breaks(None, None).unwrap()[1].record, focus);
    assert_eq!(store.activity_overlapping(t(0, 0, 0), t(23, 0, 0)).unwrap(), vec![span]);
    assert_eq!(store.focus_rounds(t(0, 0, 0), t(23, 0, 0)).unwrap(), vec![round]);
}

fn damaged_files_are_moved_aside(make_damage: impl FnOnce(&Path)) -> (Vec<u8>, Recovery, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("respite.sqlite3");
    make_damage(&path);
    let original = std::fs::read(&path).unwrap();
    let (store, recovery) = Store::open_or_recover(&path, t(12, 0, 0)).unwrap();
    let recovery = recovery.expect("the damaged file was recovered");
    assert_eq!(recovery.moved_to, dir.path().join("respite.sqlite3.damaged-20261123T120000Z"));
    assert!(std::fs::read(&recovery.moved_to).unwrap() == original, "the damaged file is kept as it was");
    assert_eq!(store.count().unwrap(), 0, "a fresh database");
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    (original, recovery, store)
}

#[test]
fn a_file_of_garbage_is_moved_aside_and_replaced() {
    let (_, recovery, _) = damaged_files_are_moved_aside(|path| std::fs::write(path, vec![0x5a; 8192]).unwrap());
    assert!(recovery.reason.contains("not a database"), "{}", recovery.reason);
}

#[test]
fn a_truncated_database_is_moved_aside_and_replaced() {
    damaged_files_are_moved_aside(|path| {
        let mut store = Store::open(path).unwrap();
        for minute in 0..59 {
            for _ in 0..40 {
                store.record(&record(BreakKind::Walk, t(9, minute, 0), Outcome::Completed)).unwrap();
            }
        }
        store.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        drop(store);
        let bytes = std::fs::read(path).unwrap();
        assert!(bytes.len() > 16 * 4096, "big enough to truncate: {}", bytes.len());
        std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
    });
}

#[test]
fn a_database_from_a_newer_respite_is_moved_aside_and_replaced() {
    let (_, recovery, _) = damaged_files_are_moved_aside(|path| {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5).unwrap();
    });
    assert!(recovery.reason.contains("newer than this Respite"), "{}", recovery.reason);
}

#[test]
fn a_locked_database_is_not_mistaken_for_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    drop(Store::open(&path).unwrap());
    let other = Connection::open(&path).unwrap();
    other.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO breaks (kind, trigger, due_at, ended_at, planned_secs, actual_secs, outcome) VALUES ('eye', 'manual', 'a', 'a', 1, 1, 'completed');").unwrap();
    let err = Store::open_or_recover(&path, t(12, 0, 0)).unwrap_err();
    assert!(!err.is_damage(), "{err}");
    assert!(err.is_locked(), "{err}");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.contains("damaged")), "nothing moved aside: {names:?}");
}

#[test]
fn summary_queries_read_ranges_newest_first_and_the_span_running_into_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    let outcomes = [Outcome::Completed, Outcome::Skipped, Outcome::Postponed, Outcome::Natural, Outcome::Interrupted, Outcome::Completed];
    for (minute, outcome) in outcomes.into_iter().enumerate() {
        store.record(&record(BreakKind::Walk, t(9, minute as u32 * 10, 0), outcome)).unwrap();
    }
    let briefs = store.break_briefs(t(9, 10, 0), t(9, 50, 0)).unwrap();
    let full = store.breaks(Some(t(9, 10, 0)), Some(t(9, 50, 0))).unwrap();
    assert_eq!(briefs.len(), 4);
    for (brief, stored) in briefs.iter().zip(&full) {
        let r = &stored.record;
        assert_eq!(*brief, BreakBrief { kind: r.kind, covers: r.covers.clone(), due_at: r.due_at, started_at: r.started_at, outcome: r.outcome, shown: r.shown, style: r.style });
    }
    assert_eq!(briefs[0].covers, vec![BreakKind::Eye]);
    let counts = store.outcome_counts(t(9, 0, 0), t(9, 50, 0)).unwrap();
    assert_eq!(counts, OutcomeCounts { completed: 1, skipped: 1, postponed: 1, natural: 1, interrupted: 1, unseen: 0 });
    assert_eq!(counts.rows(), 5);
    let mut seen = Vec::new();
    store
        .outcomes_backwards(t(9, 0, 0), t(10, 0, 0), |due, outcome, _| {
            seen.push((due, outcome));
            if seen.len() == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .unwrap();
    assert_eq!(seen, vec![(t(9, 50, 0), Outcome::Completed), (t(9, 40, 0), Outcome::Interrupted), (t(9, 30, 0), Outcome::Natural)]);

    let spans = [(t(8, 0, 0), t(8, 30, 0)), (t(8, 40, 0), t(9, 5, 0)), (t(9, 10, 0), t(9, 20, 0)), (t(10, 0, 0), t(10, 30, 0))];
    for (start, end) in spans {
        store.activity(&Span { start, end, after_hours: false }).unwrap();
    }
    let starts = |from, to| store.activity_overlapping(from, to).unwrap().into_iter().map(|s| s.start).collect::<Vec<_>>();
    assert_eq!(starts(t(9, 0, 0), t(10, 0, 0)), vec![t(8, 40, 0), t(9, 10, 0)], "the span running into the range, not the one at its end");
    assert_eq!(starts(t(9, 5, 0), t(9, 10, 1)), vec![t(9, 10, 0)], "a span ending where the range starts is not in it");
    assert_eq!(starts(t(7, 0, 0), t(8, 0, 0)), Vec::<DateTime<Utc>>::new());
}

#[test]
fn screen_time_adds_up_a_range_cutting_the_spans_over_its_ends() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    for (start, end, after_hours) in [(t(8, 0, 0), t(8, 30, 0), true), (t(8, 40, 0), t(9, 5, 0), false), (t(9, 10, 0), t(9, 20, 0), true), (t(9, 50, 0), t(10, 30, 0), false)] {
        store.activity(&Span { start, end, after_hours }).unwrap();
    }
    let minutes = |from, to| {
        let time = store.screen_time(from, to).unwrap();
        (time.total_ms / 60_000, time.after_hours_ms / 60_000)
    };
    assert_eq!(minutes(t(9, 0, 0), t(10, 0, 0)), (5 + 10 + 10, 10));
    assert_eq!(minutes(t(0, 0, 0), t(23, 0, 0)), (30 + 25 + 10 + 40, 40));
    assert_eq!(minutes(t(8, 50, 0), t(9, 0, 0)), (10, 0), "inside one span");
    assert_eq!(minutes(t(9, 30, 0), t(9, 40, 0)), (0, 0));
    assert_eq!(minutes(t(9, 15, 0), t(9, 16, 0)), (1, 1));
}

/// A log at schema version 2 (before span lengths were stored) with a working-hours span of
/// 15 min 30.25 s and an after-hours span written with `start` and `end` as given.
fn version_2_log_with_two_spans(start: &str, end: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("respite.sqlite3");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(MIGRATIONS[0]).unwrap();
    conn.execute_batch(MIGRATIONS[1]).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute(
        "INSERT INTO activity (started_at, ended_at, after_hours) VALUES
            ('2026-11-23T09:00:00.000Z', '2026-11-23T09:15:30.250Z', 0), (?1, ?2, 1)",
        params![start, end],
    )
    .unwrap();
    (dir, path)
}

#[test]
fn a_version_2_log_learns_how_long_each_span_was() {
    let (_dir, path) = version_2_log_with_two_spans("2026-11-23T18:00:00Z", "2026-11-23T18:20:00Z");
    let store = Store::open(&path).unwrap();
    let lengths: Vec<i64> = store.conn.prepare("SELECT length_ms FROM activity ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(lengths, [930_250, 1_200_000]);
    assert_eq!(store.screen_time(t(0, 0, 0), t(23, 0, 0)).unwrap(), ScreenTime { total_ms: 2_130_250, after_hours_ms: 1_200_000 });
    assert_eq!(store.activity_overlapping(t(18, 10, 0), t(19, 0, 0)).unwrap(), vec![Span { start: t(18, 0, 0), end: t(18, 20, 0), after_hours: true }]);
}

#[test]
fn a_version_2_log_opened_read_only_is_summed_from_its_times() {
    let (_dir, path) = version_2_log_with_two_spans("2026-11-23T18:00:00.000Z", "2026-11-23T18:20:00.000Z");
    // An older daemon may still be running on it: it is read as it is, not migrated.
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    assert_eq!(store.screen_time(t(0, 0, 0), t(23, 0, 0)).unwrap(), ScreenTime { total_ms: 2_130_250, after_hours_ms: 1_200_000 });
    assert_eq!(store.activity_overlapping(t(9, 10, 0), t(9, 12, 0)).unwrap(), vec![Span { start: t(9, 0, 0), end: t(9, 15, 30) + chrono::TimeDelta::milliseconds(250), after_hours: false }]);
    assert_eq!(store.activity_overlapping(t(17, 0, 0), t(19, 0, 0)).unwrap(), vec![Span { start: t(18, 0, 0), end: t(18, 20, 0), after_hours: true }]);
    let summary = crate::summary::week_summary(&store, crate::calendar::Week::containing(t(12, 0, 0), &Utc), &Utc, &crate::workhours::WorkHours::default(), t(23, 0, 0)).unwrap();
    assert_eq!((summary.headline.screen_secs, summary.headline.after_hours_secs), (2130, 1200));
}

#[test]
fn a_batch_keeps_everything_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    let span = Span { start: t(9, 0, 0), end: t(9, 10, 0), after_hours: true };
    {
        let batch = store.batch().unwrap();
        batch.record(&record(BreakKind::Eye, t(9, 0, 0), Outcome::Completed)).unwrap();
        batch.activity(&span).unwrap();
    } // dropped without commit
    assert_eq!(store.count().unwrap(), 0);
    let batch = store.batch().unwrap();
    for minute in 0..3 {
        batch.record(&record(BreakKind::Eye, t(9, minute, 0), Outcome::Completed)).unwrap();
    }
    batch.activity(&span).unwrap();
    batch.commit().unwrap();
    assert_eq!(store.pragma("cache_size"), -2000, "the cache is given back");
    assert_eq!(store.count().unwrap(), 3);
    assert_eq!(store.activity_overlapping(t(0, 0, 0), t(23, 0, 0)).unwrap(), vec![span]);
}
