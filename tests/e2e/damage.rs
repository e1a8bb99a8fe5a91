//! Damaged and unwritable data with the real daemon: a damaged database is set aside and the
//! user told; a full disk keeps records in memory and loses none when space returns.

use respite_e2e::{wait_for, Session};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[test]
fn a_damaged_database_is_set_aside_and_a_fresh_one_started() {
    let mut session = Session::headless();
    let notifications = session.record_notifications();
    let database = session.data_dir().join("respite.sqlite3");
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
    fs::write(&database, &garbage).unwrap();
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]);
    let status = wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    let warning = status["warnings"][0].as_str().unwrap_or_default().to_owned();
    assert!(warning.contains("break log was damaged") && warning.contains(".damaged-"), "{status}");
    let aside: Vec<_> = fs::read_dir(session.data_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(fs::read(&aside[0]).unwrap(), garbage, "the damaged file is kept as it was");

    assert!(session.respite(&["break", "eye"]).status.success());
    assert!(session.respite(&["skip"]).status.success());
    assert_eq!(session.export().len(), 1, "the fresh database takes records");
    session.quit();
    daemon.wait().unwrap();
    assert!(session.daemon_log().contains("break log was damaged"));
    let sent = fs::read_to_string(notifications).unwrap();
    assert!(sent.contains("Respite started a new break log"), "the user is told once: {sent}");
    assert_eq!(sent.matches("Respite started a new break log").count(), 1);
}

/// A tmpfs mounted over a folder for the length of a test.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        let ok = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(at).status();
        ok.is_ok_and(|s| s.success()).then(|| Tmpfs(at.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the file system holding `dir` with one file; returns its path.
fn fill(dir: &Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut file = fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).and_then(|_| file.sync_data()).is_ok() {}
    path
}

#[test]
fn a_full_disk_keeps_records_in_memory_and_loses_none_when_space_returns() {
    let mut session = Session::headless();
    let notifications = session.record_notifications();
    let Some(_tmpfs) = Tmpfs::mount(&session.data_dir(), "512k") else {
        // Mounting needs root (CI and the dev machines run as root).
        respite_e2e::skip_or_fail("a_full_disk_keeps_records…", "cannot mount a tmpfs here (not root?)");
        return;
    };
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]);
    wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert!(session.respite(&["break", "walk"]).status.success());
    assert!(session.respite(&["skip"]).status.success());
    assert_eq!(session.export().len(), 1);

    let filler = fill(&session.data_dir());
    for _ in 0..3 {
        assert!(session.respite(&["break", "eye"]).status.success());
        assert!(session.respite(&["skip"]).status.success(), "the app keeps running with a full disk");
    }
    let status = session.status().unwrap();
    let warnings = status["warnings"].to_string();
    assert!(warnings.contains("Cannot save breaks") && warnings.contains("kept in memory"), "{status}");
    assert!(session.daemon_log().contains("Cannot save breaks"));

    fs::remove_file(filler).unwrap();
    wait_for(Duration::from_secs(30), "the kept records to be saved", || {
        session.status().filter(|s| s["warnings"] == serde_json::json!([]))
    });
    let rows = session.export();
    assert_eq!(rows.len(), 4, "every record kept in memory was saved");
    let sent = fs::read_to_string(&notifications).unwrap();
    assert_eq!(sent.matches("Respite cannot save breaks").count(), 1, "told once that saving fails: {sent}");
    assert_eq!(sent.matches("Respite saves breaks again").count(), 1, "and once that it works again");
    assert_eq!(rows.iter().filter(|r| r["kind"] == "eye" && r["outcome"] == "skipped").count(), 3);
    session.quit();
    daemon.wait().unwrap();
}
