//! Locking the screen for a walk, and coming back early by unlocking: the real daemon, and on
//! the test's session bus a stand-in `org.freedesktop.ScreenSaver` (a few lines of Python with
//! GIO) that counts `Lock` calls and says it is active, as a screen saver does. The test unlocks
//! by sending the screen saver's `ActiveChanged(false)`, as the real one does when the person
//! types their password. There is no system bus here, so the daemon's first way, logind, fails
//! and the screen saver is asked; both are in the log.

use respite_e2e::{wait_for, Session};
use std::fs;
use std::path::Path;
use std::time::Duration;

const STAND_IN: &str = r#"
import sys
from gi.repository import Gio, GLib
XML = """<node><interface name="org.freedesktop.ScreenSaver">
  <method name="Lock"/>
  <signal name="ActiveChanged"><arg type="b"/></signal>
</interface></node>"""
calls = sys.argv[1]
def on_call(conn, sender, path, iface, method, params, invocation):
    with open(calls, "a") as f:
        f.write(method + "\n")
    invocation.return_value(None)
    conn.emit_signal(None, path, iface, "ActiveChanged", GLib.Variant("(b)", (True,)))
def on_bus(conn, name):
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    conn.register_object("/org/freedesktop/ScreenSaver", info, on_call, None, None)
def on_name(conn, name):
    open(calls + ".ready", "w").close()
Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.ScreenSaver", 0, on_bus, on_name, None)
GLib.MainLoop().run()
"#;


#[test]
fn a_walk_locks_the_screen_and_unlocking_early_ends_it_as_back() {
    let session = Session::headless();
    let Some((_screen_saver, calls)) = session.python_stand_in("lock::a_walk_locks_the_screen", "lock-calls", STAND_IN) else { return };
    session.write_settings("[eye]\nenabled = false\n[stretch]\nenabled = false\n[walk]\ninterval = \"20s\"\nduration = \"16s\"\nnotice = \"0s\"\nlock = true\npause_media = false\n[sound]\nenabled = false\n");
    // Sensing on (no display, so no idle source): the daemon watches the screen saver's signal.
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_SENSES", "on"), ("RESPITE_UI_BIN", "/bin/true")]);
    session.wait_for(Duration::from_secs(30), "the walk", || session.status().filter(|s| s["state"] == "on_break"));
    wait_for(Duration::from_secs(10), "the daemon to lock the screen", || fs::read_to_string(&calls).ok().filter(|c| c.lines().any(|l| l == "Lock")));
    assert!(session.daemon_log().contains("screen locked for the break (org.freedesktop.ScreenSaver)"), "{}", session.daemon_log());
    // Locked, the break runs on; unlocked past half of it, the person is back.
    let status = session.wait_for(Duration::from_secs(30), "half of the walk", || {
        session.status().filter(|s| s["current"]["remaining_ms"].as_u64().is_some_and(|ms| ms < 7_000))
    });
    assert_eq!(status["state"], "on_break");
    let unlocked = session
        .command(Path::new("dbus-send"))
        .args(["--session", "--type=signal", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:false"])
        .status()
        .unwrap();
    assert!(unlocked.success());
    session.wait_for(Duration::from_secs(10), "the walk to end as back", || session.status().filter(|s| s["state"] == "working"));
    let rows = wait_for(Duration::from_secs(10), "the walk in the log", || Some(session.export()).filter(|rows| !rows.is_empty()));
    assert_eq!(rows[0]["outcome"], "completed", "{rows:?}");
    let actual = rows[0]["actual_secs"].as_u64().unwrap();
    assert!((8..16).contains(&actual), "ended early, after half: {actual} s of 16");
    assert!(session.daemon_log().contains("unlocked during the break: back early"), "{}", session.daemon_log());
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}
