//! Private data stays private: the real daemon keeps its data and state folders 0700 and its
//! database with its `-wal` and `-shm` files 0600. Folders it finds looser (here 0755, as an
//! older Respite under a umask of 022 left them) are tightened at start, and its log says so.

use respite_e2e::{wait_for, Session};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

/// The permission bits of `path`, in octal as `ls` and `chmod` write them.
fn mode(path: &Path) -> String {
    format!("{:04o}", fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o7777)
}

#[test]
fn the_daemon_keeps_its_folders_and_its_database_private() {
    let session = Session::headless();
    let data = session.data_dir();
    let state = session.root.path().join(".local/state/respite");
    fs::create_dir_all(&state).unwrap();
    for dir in [&data, &state] {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    let db = data.join("respite.sqlite3");
    session.wait_for(Duration::from_secs(10), "the database's WAL files", || {
        (data.join("respite.sqlite3-wal").exists() && data.join("respite.sqlite3-shm").exists()).then_some(())
    });
    assert_eq!([mode(&data), mode(&state)], ["0700", "0700"], "the data and state folders");
    for file in [db.clone(), data.join("respite.sqlite3-wal"), data.join("respite.sqlite3-shm")] {
        assert_eq!(mode(&file), "0600", "{}", file.display());
    }
    let log = session.daemon_log();
    for dir in [&data, &state] {
        let said = format!("tightened the permissions of {} from 0755 to 0700", dir.display());
        assert!(log.contains(&said), "the log says: {said}\n--- daemon log ---\n{log}");
    }
    session.quit();
    assert!(wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());
}
