//! The writer and the reader on real files in temporary folders: what one device writes another
//! reads back, and what sync tools leave behind (half lines, conflict copies, temporary files,
//! links, missing and read-only folders) is read without error.

use super::*;
use crate::record::{sample_record, BreakKind, BreakRecord, Outcome, Style};
use chrono::{DateTime, TimeZone, Utc};
use std::fs;
use std::io::Write;
use std::path::Path;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
}

fn id(text: &str) -> DeviceId {
    DeviceId::parse(text).unwrap()
}

fn writer(folder: &Path, device: &str, name: &str) -> DeviceWriter {
    DeviceWriter { folder: folder.to_owned(), id: id(device), name: name.to_owned() }
}

fn brief_break(day: u32, hour: u32, outcome: Outcome) -> BreakRecord {
    BreakRecord { shown: Some(true), ..sample_record(BreakKind::Eye, at(day, hour), outcome) }
}

/// Appends raw bytes to a file (what a sync tool or a crash leaves).
fn append_raw(path: &Path, bytes: &[u8]) {
    fs::OpenOptions::new().append(true).create(true).open(path).unwrap().write_all(bytes).unwrap();
}

fn lines_of(path: &Path) -> Vec<Line> {
    read_lines(path, 0).unwrap().lines
}

#[test]
fn what_one_device_writes_another_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = writer(dir.path(), "aaaaaaaaaaaaaaaa", "Laptop");
    let walk = BreakRecord {
        style: Style::Notification,
        shown: None,
        ..sample_record(BreakKind::Walk, Utc.with_ymd_and_hms(2026, 11, 30, 23, 59, 0).unwrap(), Outcome::Natural)
    };
    let skipped = BreakRecord { started_at: None, ..brief_break(1, 9, Outcome::Skipped) };
    let spans = [(at(1, 8), at(1, 9)), (Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap(), at(1, 1)), (at(2, 8), at(2, 7))];
    assert_eq!(laptop.append_spans(&spans).unwrap(), 2, "a span that ends before it starts is left out");
    laptop.append_break(&walk, "").unwrap();
    laptop.append_break(&skipped, "overlay").unwrap();
    let wrote = Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0).unwrap();
    laptop.write_header(wrote).unwrap();

    let scan = scan(dir.path(), &id("bbbbbbbbbbbbbbbb"));
    assert!(scan.listed && scan.problems.is_empty(), "{:?}", scan.problems);
    assert_eq!(scan.devices, [DeviceSeen { id: "aaaaaaaaaaaaaaaa".into(), name: "Laptop".into(), last_wrote: Some(wrote) }]);
    let months: Vec<(String, Month, usize)> = scan.months.iter().map(|m| (m.device.clone(), m.month, m.files.len())).collect();
    let (nov, dec) = (Month { year: 2026, month: 11 }, Month { year: 2026, month: 12 });
    assert_eq!(months, [("aaaaaaaaaaaaaaaa".into(), nov, 1), ("aaaaaaaaaaaaaaaa".into(), dec, 1)]);
    let november = &scan.months[0].files[0];
    assert!(!november.copy && november.path.ends_with("aaaaaaaaaaaaaaaa/2026-11.jsonl"));
    assert_eq!(november.len, fs::metadata(&november.path).unwrap().len());

    // A span goes to the month it starts in, a break to the month it was due in.
    let remote = |r: &BreakRecord| {
        Line::Break(RemoteBreak {
            kind: r.kind,
            covers: r.covers.clone(),
            trigger: r.trigger,
            due_at: r.due_at,
            started_at: r.started_at,
            ended_at: r.ended_at,
            planned_secs: r.planned_secs,
            actual_secs: r.actual_secs,
            outcome: r.outcome,
            shown: r.shown,
            style: r.style,
        })
    };
    assert_eq!(lines_of(&november.path), [Line::Span { start: spans[1].0, end: spans[1].1 }, remote(&walk)]);
    assert_eq!(lines_of(&scan.months[1].files[0].path), [Line::Span { start: spans[0].0, end: spans[0].1 }, remote(&skipped)]);

    let header: serde_json::Value = serde_json::from_slice(&fs::read(laptop.device_dir().join(HEADER_FILE)).unwrap()).unwrap();
    assert_eq!(header, serde_json::json!({"v": 1, "id": "aaaaaaaaaaaaaaaa", "name": "Laptop", "wrote_at": "2099-01-01T00:00:00Z"}));
    // Nothing but the device's own files: no temporary file left, nothing outside its folder.
    let mut names: Vec<String> = fs::read_dir(laptop.device_dir()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["2026-11.jsonl", "2026-12.jsonl", "device.json"]);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn the_own_device_and_what_is_not_a_device_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    writer(dir.path(), "aaaaaaaaaaaaaaaa", "Laptop").append_break(&brief_break(1, 9, Outcome::Completed), "overlay").unwrap();
    // Syncthing's marker and versions folders, Nextcloud's journal, a stray file.
    for name in [".stfolder", ".stversions", "not a device"] {
        fs::create_dir(dir.path().join(name)).unwrap();
    }
    fs::write(dir.path().join(".sync_abc.db"), b"x").unwrap();
    fs::write(dir.path().join("README"), b"x").unwrap();
    let own = scan(dir.path(), &id("aaaaaaaaaaaaaaaa"));
    assert!(own.listed && own.devices.is_empty() && own.months.is_empty() && own.problems.is_empty(), "{own:?}");
    assert_eq!(scan(dir.path(), &id("cccccccccccccccc")).devices.len(), 1);
}

#[test]
fn a_half_written_last_line_is_left_until_it_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let desk = writer(dir.path(), "dddddddddddddddd", "Desk");
    desk.append_spans(&[(at(1, 8), at(1, 9))]).unwrap();
    let path = desk.device_dir().join("2026-12.jsonl");
    let whole = fs::metadata(&path).unwrap().len();
    let mut line = Vec::new();
    super::format::span_line(&mut line, at(1, 10), at(1, 11));
    let (first, rest) = line.split_at(20);
    append_raw(&path, first);

    let chunk = read_lines(&path, 0).unwrap();
    assert_eq!((chunk.lines.len(), chunk.bad_lines, chunk.consumed, chunk.len), (1, 0, whole, whole + 20));
    // Read on from there: nothing whole yet, and nothing consumed.
    let again = read_lines(&path, chunk.consumed).unwrap();
    assert_eq!((again.lines.len(), again.bad_lines, again.consumed), (0, 0, whole));

    append_raw(&path, rest);
    let done = read_lines(&path, chunk.consumed).unwrap();
    assert_eq!(done.lines, [Line::Span { start: at(1, 10), end: at(1, 11) }]);
    assert_eq!((done.bad_lines, done.consumed), (0, whole + line.len() as u64));
}

#[test]
fn a_line_cut_short_does_not_swallow_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let desk = writer(dir.path(), "dddddddddddddddd", "Desk");
    desk.append_spans(&[(at(1, 8), at(1, 9))]).unwrap();
    let path = desk.device_dir().join("2026-12.jsonl");
    // A crash in the middle of a write.
    append_raw(&path, br#"{"v":1,"t":"span","s":17"#);
    desk.append_break(&brief_break(1, 10, Outcome::Completed), "overlay").unwrap();
    let chunk = read_lines(&path, 0).unwrap();
    assert_eq!((chunk.lines.len(), chunk.bad_lines, chunk.consumed), (2, 1, chunk.len));
    assert!(matches!(chunk.lines[1], Line::Break(_)));
}

#[test]
fn unknown_fields_newer_versions_and_unknown_kinds_of_line_are_tolerated() {
    let dir = tempfile::tempdir().unwrap();
    let device = dir.path().join("eeeeeeeeeeeeeeee");
    fs::create_dir(&device).unwrap();
    let path = device.join("2026-12.jsonl");
    let (s, e) = (at(1, 8).timestamp_millis(), at(1, 9).timestamp_millis());
    let text = format!(
        "{{\"v\":1,\"t\":\"span\",\"s\":{s},\"e\":{e},\"app\":\"editor\"}}\n\
         {{\"v\":2,\"t\":\"span\",\"s\":{s},\"e\":{e},\"zone\":\"Asia/Tokyo\",\"tags\":[1,2]}}\n\
         {{\"v\":2,\"t\":\"mood\",\"level\":3}}\n\
         {{\"v\":1,\"t\":\"break\",\"kind\":\"eye\",\"covers\":[],\"trigger\":\"scheduled\",\"due\":{s},\"start\":{s},\"end\":{e},\"planned\":20,\"actual\":20,\"outcome\":\"completed\",\"shown\":null}}\n\
         \n\
         not json at all\n\
         {{\"v\":2,\"t\":\"break\",\"kind\":\"nap\",\"trigger\":\"scheduled\",\"due\":{s},\"start\":null,\"end\":{e},\"planned\":20,\"actual\":20,\"outcome\":\"completed\"}}\n"
    );
    fs::write(&path, text).unwrap();
    let chunk = read_lines(&path, 0).unwrap();
    let span = Line::Span { start: at(1, 8), end: at(1, 9) };
    assert_eq!(&chunk.lines[..2], [span.clone(), span]);
    let Line::Break(b) = &chunk.lines[2] else { panic!("a break: {:?}", chunk.lines) };
    assert_eq!((b.shown, b.style), (None, Style::Overlay), "style missing: an overlay");
    assert_eq!((chunk.lines.len(), chunk.unknown_lines, chunk.bad_lines), (3, 2, 1));
}

#[test]
fn a_missing_folder_is_an_empty_scan_and_a_typed_error_for_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("Sync/respite");
    let scan = scan(&gone, &id("aaaaaaaaaaaaaaaa"));
    assert_eq!(scan, Scan { folder: gone.clone(), listed: false, problems: vec![ScanProblem::Missing(gone.clone())], ..Scan::default() });
    let err = writer(&gone, "aaaaaaaaaaaaaaaa", "Laptop").write_header(at(1, 8)).unwrap_err();
    assert!(matches!(&err, WriteError::FolderMissing(p) if *p == gone), "{err}");
    assert!(!gone.exists(), "the shared folder is never created");

    let file = dir.path().join("a file");
    fs::write(&file, b"").unwrap();
    assert_eq!(super::scan(&file, &id("aaaaaaaaaaaaaaaa")).problems, [ScanProblem::NotAFolder(file.clone())]);
    assert!(matches!(writer(&file, "aaaaaaaaaaaaaaaa", "L").append_spans(&[(at(1, 8), at(1, 9))]), Err(WriteError::NotAFolder(_))));
}

/// Whether this process can write into a folder whatever its mode (root, or a capability).
#[cfg(unix)]
fn mode_bits_bind_us(folder: &Path) -> bool {
    let probe = folder.join("probe");
    let bound = fs::write(&probe, b"").is_err();
    let _ = fs::remove_file(&probe);
    bound
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_read_and_the_writer_says_why_it_cannot_write() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let laptop = writer(dir.path(), "aaaaaaaaaaaaaaaa", "Laptop");
    laptop.append_break(&brief_break(1, 9, Outcome::Completed), "overlay").unwrap();
    laptop.write_header(at(1, 10)).unwrap();
    let read_only = fs::Permissions::from_mode(0o555);
    fs::set_permissions(laptop.device_dir(), read_only.clone()).unwrap();
    fs::set_permissions(dir.path(), read_only).unwrap();

    let scan = scan(dir.path(), &id("bbbbbbbbbbbbbbbb"));
    assert_eq!((scan.devices.len(), scan.months.len(), scan.problems.len()), (1, 1, 0), "{:?}", scan.problems);
    assert_eq!(lines_of(&scan.months[0].files[0].path).len(), 1);

    let desk = writer(dir.path(), "bbbbbbbbbbbbbbbb", "Desk");
    let new_device = desk.write_header(at(1, 10));
    let old_device = laptop.write_header(at(1, 11));
    if mode_bits_bind_us(dir.path()) {
        let new_device = new_device.unwrap_err();
        assert!(matches!(new_device, WriteError::CreateDir { .. }) && new_device.is_permission(), "{new_device}");
        let old_device = old_device.unwrap_err();
        assert!(matches!(old_device, WriteError::Write { .. }) && old_device.is_permission(), "{old_device}");
        assert!(!desk.device_dir().exists());
    } else {
        // Root (as in CI containers) writes whatever the mode: the writes go through, and the
        // files are still the writer's own, whole.
        eprintln!("running as root: mode 0555 does not stop writes; checking they are whole instead");
        new_device.unwrap();
        old_device.unwrap();
        assert_eq!(super::scan(dir.path(), &id("cccccccccccccccc")).devices.len(), 2);
    }
    let writable = fs::Permissions::from_mode(0o755);
    fs::set_permissions(dir.path(), writable.clone()).unwrap();
    fs::set_permissions(laptop.device_dir(), writable).unwrap();
}

#[test]
fn a_device_without_its_header_is_named_by_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = writer(dir.path(), "aaaaaaaaaaaaaaaa", "Laptop");
    laptop.append_spans(&[(at(1, 8), at(1, 9))]).unwrap();
    let mtime: DateTime<Utc> = fs::metadata(laptop.device_dir().join("2026-12.jsonl")).unwrap().modified().unwrap().into();
    let scan = scan(dir.path(), &id("bbbbbbbbbbbbbbbb"));
    assert_eq!(scan.devices, [DeviceSeen { id: "aaaaaaaaaaaaaaaa".into(), name: "aaaaaaaaaaaaaaaa".into(), last_wrote: Some(mtime) }]);

    // A damaged header: said, and the device still read.
    fs::write(laptop.device_dir().join(HEADER_FILE), b"{\"v\":1,\"name\":\"Lap").unwrap();
    let scan = super::scan(dir.path(), &id("bbbbbbbbbbbbbbbb"));
    assert_eq!(scan.devices[0].name, "aaaaaaaaaaaaaaaa");
    assert!(matches!(&scan.problems[..], [ScanProblem::BadHeader { .. }]), "{:?}", scan.problems);
    assert_eq!(scan.months.len(), 1);
}

#[test]
fn conflict_copies_are_listed_with_their_month_and_temporary_files_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = writer(dir.path(), "aaaaaaaaaaaaaaaa", "Laptop");
    laptop.append_break(&brief_break(1, 9, Outcome::Completed), "overlay").unwrap();
    let folder = laptop.device_dir();
    let original = folder.join("2026-12.jsonl");
    for copy in ["2026-12.sync-conflict-20261207-101010-ABCDEFG.jsonl", "2026-12 (conflicted copy 2026-12-07 101010).jsonl"] {
        fs::copy(&original, folder.join(copy)).unwrap();
    }
    for temporary in [".syncthing.2026-12.jsonl.tmp", "~syncthing~2026-11.jsonl.tmp", "2026-10.jsonl.part", ".device.json.tmp"] {
        fs::write(folder.join(temporary), b"{\"v\":1,\"t\":\"sp").unwrap();
    }
    let scan = scan(dir.path(), &id("bbbbbbbbbbbbbbbb"));
    assert_eq!(scan.months.len(), 1, "{:?}", scan.months);
    let names: Vec<(String, bool)> =
        scan.months[0].files.iter().map(|f| (f.path.file_name().unwrap().to_string_lossy().into_owned(), f.copy)).collect();
    assert_eq!(
        names,
        [
            ("2026-12.jsonl".to_owned(), false),
            ("2026-12 (conflicted copy 2026-12-07 101010).jsonl".to_owned(), true),
            ("2026-12.sync-conflict-20261207-101010-ABCDEFG.jsonl".to_owned(), true),
        ]
    );
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
}

#[cfg(unix)]
#[test]
fn links_are_never_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (shared, outside) = (dir.path().join("shared"), dir.path().join("outside"));
    fs::create_dir_all(&shared).unwrap();
    let elsewhere = writer(&outside, "ffffffffffffffff", "Elsewhere");
    fs::create_dir_all(&outside).unwrap();
    elsewhere.append_spans(&[(at(1, 8), at(1, 9))]).unwrap();
    // A device folder that is a link, and a month file that is one.
    symlink(elsewhere.device_dir(), shared.join("ffffffffffffffff")).unwrap();
    let laptop = writer(&shared, "aaaaaaaaaaaaaaaa", "Laptop");
    laptop.append_spans(&[(at(1, 8), at(1, 9))]).unwrap();
    let linked = laptop.device_dir().join("2026-11.jsonl");
    symlink(elsewhere.device_dir().join("2026-12.jsonl"), &linked).unwrap();

    let scan = scan(&shared, &id("bbbbbbbbbbbbbbbb"));
    assert_eq!(scan.devices.len(), 1);
    assert_eq!(scan.months.len(), 1, "only the laptop's own December");
    assert_eq!(scan.problems.len(), 2, "{:?}", scan.problems);
    assert!(scan.problems.iter().all(|p| matches!(p, ScanProblem::Symlink { .. })));
    assert!(matches!(read_lines(&linked, 0), Err(ReadError::Symlink { .. })));
    let through = shared.join("ffffffffffffffff/2026-12.jsonl");
    assert!(matches!(read_lines(&through, 0), Err(ReadError::Symlink { .. })), "a file in a linked folder");

    // Nor written through: the link stays, and nothing is written where it points.
    let before = fs::read(elsewhere.device_dir().join("2026-12.jsonl")).unwrap();
    let err = writer(&shared, "ffffffffffffffff", "Impostor").append_spans(&[(at(2, 8), at(2, 9))]).unwrap_err();
    assert!(matches!(err, WriteError::Symlink(_)), "{err}");
    let err = laptop.append_spans(&[(Utc.with_ymd_and_hms(2026, 11, 3, 8, 0, 0).unwrap(), Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap())]).unwrap_err();
    assert!(matches!(err, WriteError::Symlink(_)), "{err}");
    assert_eq!(fs::read(elsewhere.device_dir().join("2026-12.jsonl")).unwrap(), before);
}

#[test]
fn a_file_too_big_to_be_ours_is_skipped_with_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = writer(dir.path(), "aaaaaaaaaaaaaaaa", "Laptop");
    laptop.append_spans(&[(at(1, 8), at(1, 9))]).unwrap();
    let big = laptop.device_dir().join("2026-11.jsonl");
    // Sparse: no disk used.
    fs::File::create(&big).unwrap().set_len(MAX_FILE_BYTES + 1).unwrap();
    let scan = scan(dir.path(), &id("bbbbbbbbbbbbbbbb"));
    assert_eq!(scan.problems, [ScanProblem::TooBig { path: big.clone(), len: MAX_FILE_BYTES + 1 }]);
    assert_eq!(scan.months.iter().map(|m| m.month.month).collect::<Vec<_>>(), [12]);
    assert!(matches!(read_lines(&big, 0), Err(ReadError::TooBig { .. })));
}

#[test]
fn reading_from_an_offset_that_does_not_start_a_line_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = writer(dir.path(), "aaaaaaaaaaaaaaaa", "Laptop");
    laptop.append_spans(&[(at(1, 8), at(1, 9)), (at(1, 10), at(1, 11))]).unwrap();
    let path = laptop.device_dir().join("2026-12.jsonl");
    let len = fs::metadata(&path).unwrap().len();
    assert!(matches!(read_lines(&path, 5), Err(ReadError::Rewritten { from: 5, .. })));
    assert!(matches!(read_lines(&path, len + 1), Err(ReadError::Rewritten { .. })));
    assert_eq!(read_lines(&path, len).unwrap().lines, []);
    let second = fs::read(&path).unwrap().iter().position(|b| *b == b'\n').unwrap() as u64 + 1;
    assert_eq!(read_lines(&path, second).unwrap().lines, [Line::Span { start: at(1, 10), end: at(1, 11) }]);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Any bytes, read from any offset: no panic, nothing consumed past the last line break,
        /// and no more lines read than there are.
        #[test]
        fn read_lines_never_panics(
            bytes in proptest::collection::vec(prop_oneof![any::<u8>(), Just(b'\n'), Just(b'{'), Just(b'"')], 0..400),
            valid in proptest::collection::vec(any::<bool>(), 0..6),
            offset in 0u64..500,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("2026-12.jsonl");
            let mut content = Vec::new();
            for (i, &whole) in valid.iter().enumerate() {
                super::super::format::span_line(&mut content, at(1, 8), at(1, 9));
                if !whole {
                    content.truncate(content.len() - 1 - i);
                }
            }
            content.extend_from_slice(&bytes);
            fs::write(&path, &content).unwrap();
            for from in [0, offset] {
                match read_lines(&path, from) {
                    Ok(chunk) => {
                        prop_assert!(chunk.consumed >= from && chunk.consumed <= content.len() as u64);
                        prop_assert!(chunk.consumed == from || content[chunk.consumed as usize - 1] == b'\n');
                        let rest = &content[from as usize..chunk.consumed as usize];
                        let lines = rest.iter().filter(|b| **b == b'\n').count() as u64;
                        prop_assert!(chunk.lines.len() as u64 + chunk.bad_lines + chunk.unknown_lines <= lines);
                    }
                    Err(ReadError::Rewritten { .. }) => prop_assert!(from > 0),
                    Err(e) => prop_assert!(false, "{}", e),
                }
            }
        }

        /// Any line, damaged or not: decoding never panics.
        #[test]
        fn decoding_any_line_never_panics(line in ".{0,200}") {
            let _ = super::super::format::decode(line.as_bytes());
        }
    }
}

#[test]
fn the_retention_removes_only_this_devices_months_that_ended_before_it() {
    let folder = tempfile::tempdir().unwrap();
    let mine = writer(folder.path(), "aaaaaaaaaaaaaaaa", "desk");
    let theirs = writer(folder.path(), "bbbbbbbbbbbbbbbb", "laptop");
    let november = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    for w in [&mine, &theirs] {
        w.append_spans(&[(november, november + chrono::Duration::minutes(5)), (at(3, 9), at(3, 10))]).unwrap();
    }
    fs::write(mine.device_dir().join("2026-11.sync-conflict-20261201-101010-ABCDEFG.jsonl"), b"").unwrap();
    assert_eq!(mine.forget_before(at(2, 0)).unwrap(), 2, "November and its conflict copy");
    let left = |w: &DeviceWriter| {
        let mut names: Vec<String> = fs::read_dir(w.device_dir()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    assert_eq!(left(&mine), ["2026-12.jsonl"], "the month under way stays");
    assert_eq!(left(&theirs), ["2026-11.jsonl", "2026-12.jsonl"], "another device's files are never touched");
}
