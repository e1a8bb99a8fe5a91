//! Next to GNOME's own break reminders (GNOME 48 and later, `org.gnome.desktop.break-reminders`):
//! where the schema is missing (this machine: Debian 12, GNOME 43) Respite says nothing; where
//! GNOME's reminders are on, it says so once and turns them off only when asked
//! (`respite gnome-reminders off`). GNOME 48 is stood in for by a compiled copy of its schema,
//! read through GSettings' key-file backend in the session's folder.

use respite_e2e::{skip_or_fail, wait_for, Session};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const SCHEMA: &str = "org.gnome.desktop.break-reminders";
const TOLD: &str = "GNOME reminds you to take breaks too";

/// The daemon's own log (`respite log`: uncoloured, from the state dir).
fn log(session: &Session) -> String {
    String::from_utf8_lossy(&session.respite(&["log", "-n", "500"]).stdout).into_owned()
}

#[test]
fn where_gnome_has_no_break_reminders_respite_starts_and_says_nothing_of_them() {
    let mut session = Session::headless();
    let notifications = session.record_notifications();
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    let looked = session.wait_for(Duration::from_secs(20), "the daemon to look at GNOME's reminders", || {
        let log = log(&session);
        log.lines().find(|l| l.contains("GNOME's break reminders:")).map(str::to_owned)
    });
    // Debian 12 has no such schema; a newer system has it, off by default.
    assert!(looked.contains("none on this desktop") || looked.ends_with("GNOME's break reminders: off"), "{looked}");
    let status = session.respite(&["gnome-reminders", "status"]);
    assert!(status.status.success(), "{status:?}");
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(said.contains("This desktop has no GNOME break reminders") || said.contains("are off"), "{said}");
    // The missing tray's notice comes at start too: once it is there, anything sent at start is.
    session.wait_for(Duration::from_secs(20), "the notifications sent at start", || {
        fs::read_to_string(&notifications).ok().filter(|sent| sent.contains("Respite runs without a tray icon"))
    });
    assert!(!fs::read_to_string(&notifications).unwrap().contains("GNOME"), "nothing about GNOME's reminders");
    session.quit();
    assert!(wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());
}

/// A stand-in for GNOME 48's schema, compiled into `dir`; `None` when glib-compile-schemas is
/// missing.
fn compile_schema(dir: &Path) -> Option<()> {
    fs::create_dir_all(dir).unwrap();
    let xml = format!(
        r#"<schemalist><schema id="{SCHEMA}" path="/org/gnome/desktop/break-reminders/"><key name="selected-breaks" type="as"><default>[]</default></key></schema></schemalist>"#
    );
    fs::write(dir.join(format!("{SCHEMA}.gschema.xml")), xml).unwrap();
    let status = Command::new("glib-compile-schemas").arg(dir).status().ok()?;
    assert!(status.success(), "glib-compile-schemas failed");
    Some(())
}

/// GSettings as GNOME 48 with `schemas`, its values in a key file under `config` (XDG_CONFIG_HOME).
fn gnome_env<'a>(schemas: &'a Path, config: &'a Path) -> [(&'static str, &'a str); 3] {
    [
        ("GSETTINGS_SCHEMA_DIR", schemas.to_str().unwrap()),
        ("GSETTINGS_BACKEND", "keyfile"),
        ("XDG_CONFIG_HOME", config.to_str().unwrap()),
    ]
}

/// `respite <args>` with GNOME's environment.
fn respite(session: &Session, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = session.command(&respite_e2e::bin("respite")).envs(env.iter().copied()).args(args).output().unwrap();
    assert!(out.status.success(), "respite {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `gsettings get` of the key, as GNOME reads it.
fn gsettings(env: &[(&str, &str)]) -> Option<String> {
    let out = Command::new("gsettings").envs(env.iter().copied()).args(["get", SCHEMA, "selected-breaks"]).output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[test]
fn where_gnome_reminders_are_on_respite_says_so_once_and_turns_them_off_only_when_asked() {
    const TEST: &str = "gnome_reminders::where_gnome_reminders_are_on_respite_says_so_once_and_turns_them_off_only_when_asked";
    let mut session = Session::headless();
    let schemas = session.root.path().join("schemas");
    if compile_schema(&schemas).is_none() {
        skip_or_fail(TEST, "glib-compile-schemas is missing (libglib2.0-bin)");
        return;
    }
    let config: PathBuf = session.root.path().join("xdg-config");
    let keyfile = config.join("glib-2.0/settings/keyfile");
    fs::create_dir_all(keyfile.parent().unwrap()).unwrap();
    let on = "[org/gnome/desktop/break-reminders]\nselected-breaks=['eyesight', 'movement']\n";
    fs::write(&keyfile, on).unwrap();
    let env = gnome_env(&schemas, &config);

    let notifications = session.record_notifications();
    let mut daemon = session.spawn_daemon_with(&env);
    let sent = session.wait_for(Duration::from_secs(20), "the notification about GNOME's reminders", || {
        fs::read_to_string(&notifications).ok().filter(|sent| sent.contains(TOLD))
    });
    assert!(sent.contains("(eye breaks, movement breaks)") && sent.contains("respite gnome-reminders off"), "{sent}");
    assert!(sent.contains("Turn GNOME's reminders off"), "it offers to: {sent}");
    assert!(session.root.path().join(".local/state/respite/told-gnome-reminders").exists());
    assert!(respite(&session, &env, &["gnome-reminders", "status"]).contains("are on (eye breaks, movement breaks)"));
    session.quit();
    assert!(wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());
    assert_eq!(fs::read_to_string(&keyfile).unwrap(), on, "nothing changes unless asked");

    // The next start: not told again, and still nothing changed.
    let mut daemon = session.spawn_daemon_with(&env);
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert!(log(&session).contains("GNOME's break reminders: what Respite found was told before"));
    assert_eq!(fs::read_to_string(&keyfile).unwrap(), on, "nothing changes unless asked");

    // Asked: off, as GNOME Settings writes it; GNOME reads it back off.
    let said = respite(&session, &env, &["gnome-reminders", "off"]);
    assert!(said.contains("GNOME's break reminders are off now"), "{said}");
    let written = fs::read_to_string(&keyfile).unwrap();
    assert!(written.lines().any(|l| l == "selected-breaks=[]" || l == "selected-breaks=@as []"), "{written}");
    if let Some(read) = gsettings(&env) {
        assert_eq!(read, "@as []", "gsettings reads it off");
    }
    assert!(respite(&session, &env, &["gnome-reminders", "status"]).contains("are off."));
    assert!(respite(&session, &env, &["gnome-reminders", "off"]).contains("are off."), "twice is fine");
    session.quit();
    assert!(wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());
    assert_eq!(fs::read_to_string(&notifications).unwrap().matches(TOLD).count(), 1, "told once");
}
