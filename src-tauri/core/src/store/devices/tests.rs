//! Importing other devices' files into a real SQLite store: each record once, only what is
//! new read, conflict copies and half lines handled, and the summary's queries over it.

use super::super::*;
use crate::devices::{scan, union_spans, DeviceId, DeviceWriter, Scan};
use crate::record::{sample_record, BreakKind, BreakRecord, Outcome, Style};
use chrono::{DateTime, TimeZone, Utc};
use std::fs;
use std::io::Write;
use std::path::Path;

const OWN: &str = "0000000000000000";
const LAPTOP: &str = "aaaaaaaaaaaaaaaa";
const DESK: &str = "dddddddddddddddd";

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
}

fn writer(folder: &Path, id: &str, name: &str) -> DeviceWriter {
    DeviceWriter { folder: folder.to_owned(), id: DeviceId::parse(id).unwrap(), name: name.to_owned() }
}

fn taken(day: u32, hour: u32) -> BreakRecord {
    BreakRecord { shown: Some(true), ..sample_record(BreakKind::Eye, at(day, hour), Outcome::Completed) }
}

fn scan_of(folder: &Path) -> Scan {
    scan(folder, &DeviceId::parse(OWN).unwrap())
}

fn append_raw(path: &Path, bytes: &[u8]) {
    fs::OpenOptions::new().append(true).open(path).unwrap().write_all(bytes).unwrap();
}

/// The other devices' breaks due in December, as (device, due time, outcome).
fn december(store: &Store) -> Vec<(String, DateTime<Utc>, Outcome)> {
    let mut out = Vec::new();
    store.visit_device_breaks(at(1, 0), at(31, 0), |device, b| out.push((device.to_owned(), b.due_at, b.outcome))).unwrap();
    out
}

/// A laptop and a desk computer, each with a day of breaks and spans, the desk's in two months
/// and without a `device.json`.
fn two_devices(folder: &Path) -> (DeviceWriter, DeviceWriter) {
    let laptop = writer(folder, LAPTOP, "Laptop");
    laptop.append_spans(&[(at(1, 8), at(1, 10)), (at(1, 10), at(1, 12))]).unwrap();
    laptop.append_break(&taken(1, 10), "overlay").unwrap();
    laptop.append_break(&BreakRecord { started_at: None, ..sample_record(BreakKind::Stretch, at(1, 11), Outcome::Skipped) }, "notification").unwrap();
    laptop.write_header(at(1, 12)).unwrap();
    let desk = writer(folder, DESK, "Desk (never said)");
    let late_november = Utc.with_ymd_and_hms(2026, 11, 30, 22, 0, 0).unwrap();
    desk.append_spans(&[(late_november, at(1, 1)), (at(1, 9), at(1, 11))]).unwrap();
    desk.append_break(&taken(1, 9), "overlay").unwrap();
    desk.append_break(&BreakRecord { due_at: late_november, started_at: Some(late_november), ..taken(1, 9) }, "overlay").unwrap();
    (laptop, desk)
}

#[test]
fn an_import_brings_every_other_device_in_once() {
    let dir = tempfile::tempdir().unwrap();
    two_devices(dir.path());
    let mut store = Store::open(&dir.path().join("respite.sqlite3")).unwrap();
    let report = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((report.files_read, report.files_unchanged, report.breaks_added, report.spans_added), (3, 0, 4, 4), "{report:?}");
    assert_eq!((report.bad_lines, report.unknown_lines, report.devices_removed, report.problems.len()), (0, 0, 0, 0));

    let devices = store.devices().unwrap();
    let names: Vec<(&str, &str)> = devices.iter().map(|d| (d.id.as_str(), d.name.as_str())).collect();
    // The desk wrote no `device.json` (yet): named by its id.
    assert_eq!(names, [(LAPTOP, "Laptop"), (DESK, DESK)]);
    assert!(devices.iter().all(|d| d.last_wrote.is_some()));

    let breaks = december(&store);
    assert_eq!(
        breaks,
        [(DESK.into(), at(1, 9), Outcome::Completed), (LAPTOP.into(), at(1, 10), Outcome::Completed), (LAPTOP.into(), at(1, 11), Outcome::Skipped)]
    );
    let mut briefs = Vec::new();
    store.visit_device_breaks(at(1, 11), at(1, 12), |_, b| briefs.push(b)).unwrap();
    assert_eq!(
        briefs,
        [BreakBrief { kind: BreakKind::Stretch, covers: vec![], due_at: at(1, 11), started_at: None, outcome: Outcome::Skipped, shown: None, style: Style::Notification }]
    );
    // This device's own log is not touched.
    assert_eq!(store.break_briefs(at(1, 0), at(31, 0)).unwrap(), []);

    // December from midnight: the desk's span from late November runs into it.
    let spans = store.device_activity_overlapping(at(1, 0), at(2, 0)).unwrap();
    let seen: Vec<(&str, DateTime<Utc>, DateTime<Utc>, bool)> = spans.iter().map(|(d, s)| (d.as_str(), s.start, s.end, s.after_hours)).collect();
    let late_november = Utc.with_ymd_and_hms(2026, 11, 30, 22, 0, 0).unwrap();
    assert_eq!(
        seen,
        [
            (DESK, late_november, at(1, 1), false),
            (LAPTOP, at(1, 8), at(1, 10), false),
            (DESK, at(1, 9), at(1, 11), false),
            (LAPTOP, at(1, 10), at(1, 12), false),
        ]
    );
    // At both machines from 9 to 11: four hours at the screen that morning, not six.
    let union = union_spans(spans.iter().filter(|(_, s)| s.start >= at(1, 2)).map(|(_, s)| (s.start, s.end)));
    assert_eq!(union, [(at(1, 8), at(1, 12))]);
}

#[test]
fn a_second_import_reads_nothing_and_an_appended_line_is_read_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (laptop, _) = two_devices(dir.path());
    let mut store = Store::open_in_memory().unwrap();
    store.import_devices(&scan_of(dir.path())).unwrap();
    let changes = store.conn.total_changes();
    let again = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((again.files_read, again.files_unchanged, again.bytes_read, again.breaks_added, again.spans_added), (0, 3, 0, 0, 0), "{again:?}");
    assert_eq!(store.conn.total_changes(), changes, "nothing new, nothing written");

    let path = laptop.device_dir().join("2026-12.jsonl");
    let before = fs::metadata(&path).unwrap().len();
    laptop.append_break(&taken(1, 12), "overlay").unwrap();
    let added = fs::metadata(&path).unwrap().len() - before;
    let tail = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((tail.files_read, tail.files_unchanged, tail.files_reread, tail.bytes_read, tail.breaks_added), (1, 2, 0, added, 1), "{tail:?}");
    assert_eq!(december(&store).len(), 4);
}

#[test]
fn a_half_synced_line_is_imported_once_it_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (laptop, _) = two_devices(dir.path());
    let path = laptop.device_dir().join("2026-12.jsonl");
    let mut line = Vec::new();
    crate::devices::tests_support::break_line(&mut line, &taken(2, 9));
    append_raw(&path, &line[..line.len() / 2]);
    let mut store = Store::open_in_memory().unwrap();
    let first = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((first.breaks_added, first.bad_lines), (4, 0), "{first:?}");
    append_raw(&path, &line[line.len() / 2..]);
    let second = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((second.files_read, second.files_reread, second.breaks_added, second.bad_lines), (1, 0, 1, 0), "{second:?}");
    assert_eq!(december(&store).iter().filter(|(d, ..)| d == LAPTOP).count(), 3);
}

#[test]
fn conflict_copies_are_merged_without_counting_twice() {
    let dir = tempfile::tempdir().unwrap();
    let (laptop, _) = two_devices(dir.path());
    let folder = laptop.device_dir();
    let original = folder.join("2026-12.jsonl");
    // Syncthing kept both sides of a conflict: its copy has a record the original does not,
    // and the original one the copy does not. Nextcloud made a copy of the original.
    let syncthing = folder.join("2026-12.sync-conflict-20261207-101010-ABCDEFG.jsonl");
    fs::copy(&original, &syncthing).unwrap();
    let nextcloud = folder.join("2026-12 (conflicted copy 2026-12-07 101010).jsonl");
    fs::copy(&original, &nextcloud).unwrap();
    writer(dir.path(), LAPTOP, "Laptop").append_break(&taken(3, 9), "overlay").unwrap();
    let mut only_in_copy = Vec::new();
    crate::devices::tests_support::break_line(&mut only_in_copy, &taken(4, 9));
    append_raw(&syncthing, &only_in_copy);

    let mut store = Store::open_in_memory().unwrap();
    let report = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!(report.files_read, 5, "{report:?}");
    let laptop_breaks: Vec<DateTime<Utc>> = december(&store).into_iter().filter(|(d, ..)| d == LAPTOP).map(|(_, due, _)| due).collect();
    assert_eq!(laptop_breaks, [at(1, 10), at(1, 11), at(3, 9), at(4, 9)]);
    let spans = store.device_activity_overlapping(at(1, 0), at(31, 0)).unwrap();
    assert_eq!(spans.iter().filter(|(d, _)| d == LAPTOP).count(), 2, "spans once too");
}

#[test]
fn a_file_rewritten_in_place_is_read_again_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let (laptop, _) = two_devices(dir.path());
    let path = laptop.device_dir().join("2026-12.jsonl");
    let mut store = Store::open_in_memory().unwrap();
    store.import_devices(&scan_of(dir.path())).unwrap();

    // Replaced by a different, shorter file (a device restored from a backup, say).
    let mut text = Vec::new();
    crate::devices::tests_support::break_line(&mut text, &taken(5, 9));
    fs::write(&path, &text).unwrap();
    let shorter = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((shorter.files_reread, shorter.breaks_added), (1, 1), "{shorter:?}");

    // Then longer again, but not by appending: the byte before the old end no longer ends a line.
    let mut longer = vec![b' '; 3];
    crate::devices::tests_support::break_line(&mut longer, &taken(6, 9));
    crate::devices::tests_support::break_line(&mut longer, &taken(7, 9));
    fs::write(&path, &longer).unwrap();
    let report = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((report.files_reread, report.breaks_added), (1, 2), "{report:?}");

    // The same length, a different time: read again (nothing new in it here).
    let file = fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60)).unwrap();
    let touched = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((touched.files_read, touched.files_reread, touched.breaks_added), (1, 1, 0), "{touched:?}");
}

#[test]
fn a_missing_folder_forgets_nothing_and_a_removed_device_is_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    fs::create_dir(&shared).unwrap();
    let (laptop, _) = two_devices(&shared);
    let mut store = Store::open_in_memory().unwrap();
    store.import_devices(&scan_of(&shared)).unwrap();

    let moved = dir.path().join("unmounted");
    fs::rename(&shared, &moved).unwrap();
    let missing = store.import_devices(&scan_of(&shared)).unwrap();
    assert_eq!((missing.files_read, missing.devices_removed), (0, 0));
    assert_eq!(store.devices().unwrap().len(), 2);
    assert_eq!(december(&store).len(), 3);

    fs::rename(&moved, &shared).unwrap();
    fs::remove_dir_all(laptop.device_dir()).unwrap();
    let removed = store.import_devices(&scan_of(&shared)).unwrap();
    assert_eq!(removed.devices_removed, 1);
    assert_eq!(store.devices().unwrap().iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), [DESK]);
    assert!(december(&store).iter().all(|(d, ..)| d == DESK));
    assert!(store.device_activity_overlapping(at(1, 0), at(31, 0)).unwrap().iter().all(|(d, _)| d == DESK));
}

#[test]
fn damaged_and_unknown_lines_are_counted_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (laptop, _) = two_devices(dir.path());
    let path = laptop.device_dir().join("2026-12.jsonl");
    append_raw(&path, b"garbage\n{\"v\":3,\"t\":\"focus\",\"round\":2}\n");
    laptop.append_break(&taken(8, 9), "overlay").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let report = store.import_devices(&scan_of(dir.path())).unwrap();
    assert_eq!((report.breaks_added, report.bad_lines, report.unknown_lines), (5, 1, 1), "{report:?}");
}

#[test]
fn an_unreadable_file_is_a_problem_and_the_rest_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (_, desk) = two_devices(dir.path());
    let scan = scan_of(dir.path());
    // Gone between listing and reading (a sync tool replacing it).
    fs::remove_file(desk.device_dir().join("2026-11.jsonl")).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let report = store.import_devices(&scan).unwrap();
    assert_eq!((report.files_read, report.problems.len(), report.breaks_added), (2, 1, 3), "{report:?}");
}

#[test]
fn the_device_queries_answer_empty_on_an_old_database_opened_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for step in &migrations::MIGRATIONS[..devices::DEVICES_SCHEMA as usize - 1] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", devices::DEVICES_SCHEMA - 1).unwrap();
    }
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(store.devices().unwrap(), []);
    assert_eq!(store.device_activity_overlapping(at(1, 0), at(2, 0)).unwrap(), []);
    assert_eq!(december(&store), []);
}

#[test]
fn the_summary_reads_other_devices_from_their_keys() {
    let store = Store::open_in_memory().unwrap();
    let plan = |query: &str| -> String {
        let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {query}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
    };
    let breaks = plan("SELECT device, kind, covers, due_at, started_at, outcome, shown, style FROM device_break WHERE due_at >= 'a' AND due_at < 'b' ORDER BY due_at");
    assert!(breaks.starts_with("SEARCH device_break USING INDEX sqlite_autoindex_device_break_1 (due_at>? AND due_at<?)"), "{breaks}");
    let spans = plan("SELECT started_at, ended_at FROM device_activity WHERE device = 'x' AND started_at >= 'a' AND started_at < 'b' ORDER BY started_at");
    assert!(spans.starts_with("SEARCH device_activity USING COVERING INDEX sqlite_autoindex_device_activity_1 (device=? AND started_at>? AND started_at<?)"), "{spans}");
}

#[test]
fn the_retention_deletes_other_devices_old_rows_too() {
    let folder = tempfile::tempdir().unwrap();
    two_devices(folder.path());
    let mut store = Store::open_in_memory().unwrap();
    store.import_devices(&scan_of(folder.path())).unwrap();
    let count = |store: &Store, table: &str| -> i64 { store.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap() };
    let (breaks, spans) = (count(&store, "device_break"), count(&store, "device_activity"));
    store.delete_before(at(1, 0)).unwrap();
    assert_eq!(count(&store, "device_break"), breaks - 1, "the desk's November break goes");
    assert_eq!(count(&store, "device_activity"), spans - 1, "and its November span");
    assert_eq!(december(&store).len(), 3, "December stays");
}

#[test]
fn shared_check_ins_fill_the_weeks_not_answered_here_and_an_answer_here_stands() {
    use crate::calendar::Week;
    use crate::selfcheck::Answers;
    let folder = tempfile::tempdir().unwrap();
    let laptop = writer(folder.path(), LAPTOP, "Laptop");
    let (w48, w49): (Week, Week) = ("2026-W48".parse().unwrap(), "2026-W49".parse().unwrap());
    let low = Answers::new(2, 2, 2).unwrap();
    laptop.append_check(w48, Answers::new(3, 3, 3).unwrap(), at(1, 9)).unwrap();
    laptop.append_check(w48, low, at(1, 10)).unwrap(); // changed its mind: the later one counts
    laptop.append_check(w49, low, at(6, 10)).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let here = Answers::new(4, 4, 4).unwrap();
    store.save_self_check(w49, here, at(6, 9)).unwrap();
    let report = store.import_devices(&scan_of(folder.path())).unwrap();
    assert_eq!(report.checks_added, 3);
    assert_eq!(store.import_devices(&scan_of(folder.path())).unwrap().checks_added, 0, "each answer once");
    let checks: Vec<(Week, Answers)> = store.self_checks_with_devices(w48, w49).unwrap().into_iter().map(|c| (c.week, c.answers)).collect();
    assert_eq!(checks, [(w48, low), (w49, here)]);
    assert_eq!(store.self_checks(w48, w49).unwrap().len(), 1, "this computer's own answers are only its own");
}
