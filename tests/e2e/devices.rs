//! One history across computers through a shared folder (`[devices] folder`), end to end.
//!
//! - Two real daemons, each with its own data folder, share one folder, as two computers whose
//!   sync tool keeps it the same on both. Each is at the screen and skips a break; each summary
//!   then shows both computers, with the time at the screen counted once where they overlap.
//! - The same with two real Syncthing instances on loopback, each computer's folder its own,
//!   kept in sync by Syncthing (no discovery, relays or NAT: each knows the other's address).
//! - A sync that stops half way, which a test cannot make Syncthing do on purpose, so a copy
//!   step does it: another computer's month file copied up to the middle of a line, then whole,
//!   with a conflict copy beside it (`.sync-conflict-…`) holding one record more, a sync tool's
//!   temporary file, and a computer that wrote no `device.json`; the reader is in another zone.

use respite_core::devices::{DeviceId, DeviceWriter};
use respite_core::record::{BreakKind, BreakRecord, Outcome, Style, Trigger};
use respite_e2e::{skip_or_fail, wait_for, Running, Session};
use chrono::{DateTime, TimeZone, Utc};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn settings(folder: &Path, name: &str) -> String {
    format!(
        "[eye]\nenabled = false\n[stretch]\ninterval = \"30m\"\n[walk]\nenabled = false\n[sound]\nenabled = false\n[devices]\nfolder = \"{}\"\nname = \"{name}\"\nshare_checkins = {}\n",
        folder.display(),
        name == "laptop"
    )
}

fn summary(session: &Session, env: &[(&str, &str)], week: Option<&str>) -> serde_json::Value {
    let mut args = vec!["summary", "--json"];
    if let Some(week) = week {
        args.extend(["--week", week]);
    }
    let out = session.respite_with(&args, env);
    assert!(out.status.success(), "summary failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("the summary is JSON")
}

fn device<'a>(summary: &'a serde_json::Value, name: Option<&str>) -> &'a serde_json::Value {
    let devices = summary["devices"].as_array().expect("a list of devices");
    devices.iter().find(|d| d["name"].as_str() == name).unwrap_or_else(|| panic!("no device {name:?} in {devices:?}"))
}

#[test]
fn two_daemons_sharing_a_folder_each_show_both_computers_with_overlapping_time_counted_once() {
    let (desk, laptop) = (Session::headless(), Session::headless());
    let shared = desk.root.path().join("Sync/respite");
    fs::create_dir_all(&shared).unwrap();
    two_computers(&desk, &shared, &laptop, &shared, || {});
}

/// A Syncthing instance for one computer: its home, device id, and ports.
struct Syncthing {
    home: std::path::PathBuf,
    id: String,
    port: u16,
    gui: u16,
}

impl Syncthing {
    fn new(home: std::path::PathBuf) -> Self {
        let generated = Command::new("syncthing").args(["generate", &format!("--home={}", home.display()), "--no-default-folder"]).output().expect("syncthing generate");
        assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
        let id = Command::new("syncthing").args([&format!("--home={}", home.display()), "--device-id"]).output().expect("syncthing --device-id");
        Self { home, id: String::from_utf8_lossy(&id.stdout).trim().to_owned(), port: free_port(), gui: free_port() }
    }

    /// Writes its configuration: `folder` shared with `peer`, found at its loopback address.
    fn share(&self, folder: &Path, peer: &Syncthing) {
        fs::create_dir_all(folder.join(".stfolder")).unwrap();
        let (me, them, folder) = (&self.id, &peer.id, folder.display());
        let config = format!(
            r#"<configuration version="36">
  <folder id="respite" label="respite" path="{folder}" type="sendreceive" rescanIntervalS="2" fsWatcherEnabled="true" fsWatcherDelayS="1">
    <device id="{me}"></device><device id="{them}"></device>
  </folder>
  <device id="{me}" name="me"><address>dynamic</address></device>
  <device id="{them}" name="peer" compression="metadata"><address>tcp://127.0.0.1:{peer_port}</address></device>
  <gui enabled="true" tls="false"><address>127.0.0.1:{gui}</address><apikey>respite-test</apikey></gui>
  <options>
    <listenAddress>tcp://127.0.0.1:{port}</listenAddress>
    <globalAnnounceEnabled>false</globalAnnounceEnabled><localAnnounceEnabled>false</localAnnounceEnabled>
    <relaysEnabled>false</relaysEnabled><natEnabled>false</natEnabled><startBrowser>false</startBrowser>
    <urAccepted>-1</urAccepted><autoUpgradeIntervalH>0</autoUpgradeIntervalH><crashReportingEnabled>false</crashReportingEnabled>
    <reconnectionIntervalS>1</reconnectionIntervalS>
  </options>
</configuration>
"#,
            peer_port = peer.port,
            gui = self.gui,
            port = self.port
        );
        fs::write(self.home.join("config.xml"), config).unwrap();
    }

    fn serve(&self) -> Running {
        let log = fs::File::create(self.home.join("syncthing.log")).unwrap();
        Running(
            Command::new("syncthing")
                .args(["serve", &format!("--home={}", self.home.display()), "--no-browser", "--no-restart"])
                .env("STNOUPGRADE", "1")
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .expect("syncthing serve"),
        )
    }
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn two_computers_kept_in_sync_by_two_real_syncthing_instances_each_show_both() {
    if Command::new("syncthing").arg("--version").output().is_err() {
        return skip_or_fail("devices::two_real_syncthing_instances", "syncthing is not installed (scripts/install-deps test)");
    }
    let (desk, laptop) = (Session::headless(), Session::headless());
    let (desk_folder, laptop_folder) = (desk.root.path().join("Sync/respite"), laptop.root.path().join("Sync/respite"));
    let (desk_sync, laptop_sync) = (Syncthing::new(desk.root.path().join("syncthing")), Syncthing::new(laptop.root.path().join("syncthing")));
    desk_sync.share(&desk_folder, &laptop_sync);
    laptop_sync.share(&laptop_folder, &desk_sync);
    let _running = (desk_sync.serve(), laptop_sync.serve());
    two_computers(&desk, &desk_folder, &laptop, &laptop_folder, || {
        // Syncthing brings each computer's files to the other: wait until both folders hold the
        // same files, of the same lengths, from both computers.
        wait_for(Duration::from_secs(90), "Syncthing to make both folders alike", || {
            let (here, there) = (listing(&desk_folder), listing(&laptop_folder));
            let both = here.keys().filter(|name| name.ends_with("/device.json")).count() == 2 && here.keys().filter(|name| name.ends_with(".jsonl")).count() >= 2;
            (both && here == there).then_some(())
        });
    });
}

/// The files in `folder`'s computer folders and their lengths (sync tools' own files left out).
fn listing(folder: &Path) -> std::collections::BTreeMap<String, u64> {
    let mut files = std::collections::BTreeMap::new();
    let visible = |e: &fs::DirEntry| !e.file_name().to_string_lossy().starts_with('.');
    for device in fs::read_dir(folder).into_iter().flatten().flatten().filter(visible) {
        for file in fs::read_dir(device.path()).into_iter().flatten().flatten().filter(visible) {
            let name = format!("{}/{}", device.file_name().to_string_lossy(), file.file_name().to_string_lossy());
            files.insert(name, file.metadata().map_or(0, |m| m.len()));
        }
    }
    files
}

/// The desk and the laptop each at the screen and skipping a stretch at the same time, with
/// their shared folders (the same one, or two a sync tool keeps alike); `synced` waits until
/// the folders are alike. Each summary then shows both computers.
fn two_computers(desk: &Session, desk_folder: &Path, laptop: &Session, laptop_folder: &Path, synced: impl FnOnce()) {
    fs::create_dir_all(desk_folder).unwrap();
    fs::create_dir_all(laptop_folder).unwrap();
    desk.write_settings(&settings(desk_folder, "desk"));
    laptop.write_settings(&settings(laptop_folder, "laptop"));
    let mut daemons = [(desk, desk.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")])), (laptop, laptop.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]))];
    // Both at the screen at once for a few seconds, then each skips a stretch.
    for (session, _) in &daemons {
        session.wait_for(Duration::from_secs(30), "some time at the screen", || session.status().filter(|s| s["screen_time_today_secs"].as_u64().is_some_and(|t| t >= 4)));
    }
    for (session, _) in &daemons {
        assert!(session.respite(&["break", "stretch"]).status.success());
        session.wait_for(Duration::from_secs(10), "the stretch", || session.status().filter(|s| s["state"] == "on_break"));
        assert!(session.respite(&["skip"]).status.success());
    }
    // The laptop answers the week's check-in, and shares its answers (the desk does not).
    let week = respite_core::calendar::Week::containing(chrono::Utc::now(), &chrono::Local);
    let answers = respite_core::selfcheck::Answers::new(2, 3, 4).unwrap();
    let socket = laptop.runtime_dir().join("respite/control.sock");
    let answered = respite_core::client::request(&socket, &respite_core::protocol::Request::SelfCheck { week, answers }).unwrap();
    assert!(answered.ok, "{answered:?}");
    for (session, daemon) in &mut daemons {
        session.quit();
        wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
    }
    synced();
    let folders: Vec<_> = fs::read_dir(desk_folder).unwrap().flatten().map(|e| e.path()).filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.')).collect();
    assert_eq!(folders.len(), 2, "one folder per computer: {folders:?}");
    for folder in &folders {
        let files: Vec<String> = fs::read_dir(folder).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        assert!(files.iter().any(|f| f == "device.json") && files.iter().any(|f| f.ends_with(".jsonl")), "{files:?}");
    }

    for (session, own, other) in [(desk, "desk", "laptop"), (laptop, "laptop", "desk")] {
        let s = summary(session, &[], None);
        let (this, that) = (device(&s, None), device(&s, Some(other)));
        assert_eq!(this["breaks"]["skipped"], 1, "{own}: {s}");
        assert_eq!(that["breaks"]["skipped"], 1, "{own} sees {other}'s skip: {s}");
        assert_eq!(s["breaks"]["skipped"], 2, "the week counts both: {s}");
        let (mine, theirs, week) = (this["screen_secs"].as_u64().unwrap(), that["screen_secs"].as_u64().unwrap(), s["headline"]["screen_secs"].as_u64().unwrap());
        assert!(mine >= 4 && theirs >= 4, "{own}: {mine} s, {other}: {theirs} s");
        assert!(week >= mine.max(theirs) && week < mine + theirs, "the union of overlapping time ({week} s), not the sum ({mine} + {theirs} s)");
    }
    // The laptop's check-in reached the desk (its summary window reads it from here); the desk's
    // own log of answers has none, and the desk wrote none to the folder.
    let store = respite_core::store::Store::open_read_only(&desk.data_dir().join("respite.sqlite3")).unwrap();
    let checks: Vec<_> = store.self_checks_with_devices(week, week).unwrap().into_iter().map(|c| (c.week, c.answers)).collect();
    assert_eq!(checks, [(week, answers)]);
    assert!(store.self_checks(week, week).unwrap().is_empty());
    let check_lines = |folder: &Path| listing(folder).keys().filter(|f| f.ends_with(".jsonl")).map(|f| fs::read_to_string(folder.join(f)).unwrap()).filter(|text| text.contains("\"t\":\"check\"")).count();
    assert_eq!(check_lines(desk_folder), 1, "one month file holds a check-in: the laptop's");
}

/// Monday 7 December 2026 at `h:m` UTC (05:30 later in Kolkata).
fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
}

fn skipped_stretch(due: DateTime<Utc>) -> BreakRecord {
    BreakRecord {
        kind: BreakKind::Stretch,
        covers: vec![],
        trigger: Trigger::Scheduled,
        due_at: due,
        started_at: Some(due),
        ended_at: due + chrono::Duration::seconds(5),
        planned_secs: 90,
        actual_secs: 5,
        outcome: Outcome::Skipped,
        held: None,
        shown: Some(true),
        style: Style::Overlay,
    }
}

#[test]
fn a_half_synced_folder_with_a_conflict_copy_and_a_stranger_is_read_without_double_counting() {
    let desk = Session::headless();
    let shared = desk.root.path().join("Sync/respite");
    fs::create_dir_all(&shared).unwrap();
    desk.write_settings(&settings(&shared, "desk"));
    // The laptop writes into its own copy of the folder, as the real writer does.
    let laptop_copy = tempfile::tempdir().unwrap();
    let laptop = DeviceWriter { folder: laptop_copy.path().to_owned(), id: DeviceId::random(), name: "laptop".into() };
    let spans: Vec<_> = (0..4).map(|i| (at(2, i * 15), at(2, i * 15 + 14))).collect();
    let breaks: Vec<_> = (0..4).map(|i| skipped_stretch(at(2, i * 15 + 14))).collect();
    laptop.append(&spans, &breaks).unwrap();
    laptop.write_header(at(3, 0)).unwrap();
    let month = laptop.device_dir().join("2026-12.jsonl");
    let whole = fs::read(&month).unwrap();
    let synced = laptop_dir_in(&shared, &laptop);
    fs::create_dir_all(&synced).unwrap();
    fs::copy(laptop.device_dir().join("device.json"), synced.join("device.json")).unwrap();
    // The sync stopped in the middle of the sixth line.
    let cut = whole.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(4).map(|(i, _)| i + 20).unwrap();
    fs::write(synced.join("2026-12.jsonl"), &whole[..cut]).unwrap();
    fs::write(synced.join(".syncthing.2026-12.jsonl.tmp"), &whole).unwrap();
    // A computer that never wrote its device.json, with one span.
    let stranger = DeviceWriter { folder: shared.clone(), id: DeviceId::random(), name: "unused".into() };
    stranger.append_spans(&[(at(2, 0), at(2, 30))]).unwrap();

    let reader_in_kolkata = [("TZ", "Asia/Kolkata")];
    let s = summary(&desk, &reader_in_kolkata, Some("2026-W50"));
    let laptop_row = device(&s, Some("laptop"));
    let lines_before_the_cut = whole[..cut].iter().filter(|b| **b == b'\n').count();
    assert_eq!(lines_before_the_cut, 5);
    let (half_spans, half_breaks) = count_lines(&whole[..cut]);
    assert_eq!(laptop_row["breaks"]["skipped"], half_breaks, "only whole lines: {s}");
    assert_eq!(laptop_row["screen_secs"].as_u64().unwrap(), half_spans * 14 * 60, "{s}");
    let stranger_row = device(&s, Some(stranger.id.as_str()));
    assert_eq!(stranger_row["screen_secs"], 30 * 60, "a computer without device.json is named by its id");

    // The sync finishes, and leaves a conflict copy with one more break the laptop wrote on the
    // other side of the conflict.
    fs::write(synced.join("2026-12.jsonl"), &whole).unwrap();
    let mut conflict = whole.clone();
    let other_side = tempfile::tempdir().unwrap();
    let extra = DeviceWriter { folder: other_side.path().to_owned(), id: laptop.id.clone(), name: "laptop".into() };
    extra.append_break(&skipped_stretch(at(3, 30)), "").unwrap();
    conflict.extend(fs::read(extra.device_dir().join("2026-12.jsonl")).unwrap());
    fs::write(synced.join("2026-12.sync-conflict-20261207-093000-ABCDEFG.jsonl"), &conflict).unwrap();
    let s = summary(&desk, &reader_in_kolkata, Some("2026-W50"));
    let laptop_row = device(&s, Some("laptop"));
    assert_eq!(laptop_row["breaks"]["skipped"], 5, "four from the file and one only in the conflict copy, each once: {s}");
    assert_eq!(laptop_row["screen_secs"], 4 * 14 * 60, "{s}");
    // The week's time is the union: the stranger's 02:00-02:30 overlaps the laptop's first two
    // spans (02:00-02:14, 02:15-02:29), so the union is 30 + 14 + 14 min.
    assert_eq!(s["headline"]["screen_secs"], (30 + 14 + 14) * 60, "{s}");
    // In the reader's zone: 02:00 UTC is 07:30 in Kolkata, Monday's hours 7 and 8.
    let monday = &s["heatmap_minutes"][0];
    assert_eq!((monday[7].as_u64().unwrap(), monday[8].as_u64().unwrap()), (30, 28), "{monday}");
}

fn laptop_dir_in(shared: &Path, laptop: &DeviceWriter) -> std::path::PathBuf {
    shared.join(laptop.id.as_str())
}

/// Spans and breaks in whole lines of `bytes`.
fn count_lines(bytes: &[u8]) -> (u64, u64) {
    let text = String::from_utf8_lossy(bytes);
    let whole: Vec<&str> = text.split_inclusive('\n').filter(|l| l.ends_with('\n')).collect();
    let count = |t: &str| whole.iter().filter(|l| l.contains(&format!("\"t\":\"{t}\""))).count() as u64;
    (count("span"), count("break"))
}
