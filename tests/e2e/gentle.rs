//! Gentle mode end to end: the real daemon with eye rests set to `style = "notification"`, and on
//! the test's session bus a stand-in notification server (a few lines of Python with GIO) that
//! writes down every notification and, when the test asks it (its own `Invoke` method), says an
//! action was chosen, as a real server does when the person clicks a button. No window may open:
//! `respite-ui` is `/bin/false`, so any attempt would be in the log as an error.

use respite_e2e::{wait_for, Session};
use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const STAND_IN: &str = r#"
import json, sys
from gi.repository import Gio, GLib
XML = """<node><interface name="org.freedesktop.Notifications">
  <method name="GetCapabilities"><arg type="as" direction="out"/></method>
  <method name="Notify">
    <arg type="s"/><arg type="u"/><arg type="s"/><arg type="s"/><arg type="s"/><arg type="as"/>
    <arg type="a{sv}"/><arg type="i"/><arg type="u" direction="out"/>
  </method>
  <method name="CloseNotification"><arg type="u"/></method>
  <method name="GetServerInformation">
    <arg type="s" direction="out"/><arg type="s" direction="out"/><arg type="s" direction="out"/><arg type="s" direction="out"/>
  </method>
  <method name="Invoke"><arg type="u"/><arg type="s"/></method>
  <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
</interface></node>"""
log = sys.argv[1]
count = [0]
def write(entry):
    with open(log, "a") as f:
        f.write(json.dumps(entry) + "\n")
def on_call(conn, sender, path, iface, method, params, invocation):
    if method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
    elif method == "GetServerInformation":
        invocation.return_value(GLib.Variant("(ssss)", ("stand-in", "respite-tests", "1", "1.2")))
    elif method == "Notify":
        count[0] += 1
        app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
        write({"id": count[0], "summary": summary, "body": body, "actions": actions, "timeout": timeout})
        invocation.return_value(GLib.Variant("(u)", (count[0],)))
    elif method == "CloseNotification":
        write({"closed": params.unpack()[0]})
        invocation.return_value(None)
    elif method == "Invoke":
        nid, key = params.unpack()
        conn.emit_signal(None, path, iface, "ActionInvoked", GLib.Variant("(us)", (nid, key)))
        conn.emit_signal(None, path, iface, "NotificationClosed", GLib.Variant("(uu)", (nid, 2)))
        invocation.return_value(None)
def on_bus(conn, name):
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    conn.register_object("/org/freedesktop/Notifications", info, on_call, None, None)
def on_name(conn, name):
    open(log + ".ready", "w").close()
Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.Notifications", 0, on_bus, on_name, None)
GLib.MainLoop().run()
"#;

/// The notifications the stand-in was sent, in order (closings left out).
fn notifications(log: &Path) -> Vec<serde_json::Value> {
    let text = fs::read_to_string(log).unwrap_or_default();
    text.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).filter(|n| n.get("summary").is_some()).collect()
}

#[test]
fn a_notification_break_opens_no_window_and_its_done_and_skip_are_logged_with_its_style() {
    let session = Session::headless();
    let Some((_server, log)) = session.python_stand_in("gentle::a_notification_break", "notifications.jsonl", STAND_IN) else { return };
    session.write_settings(
        "[eye]\ninterval = \"20s\"\nduration = \"4s\"\nnotice = \"0s\"\nstyle = \"notification\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[sound]\nenabled = false\n",
    );
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/false")]);

    // The first eye rest: a notification with the instruction, Done and Skip.
    let status = session.wait_for(Duration::from_secs(40), "the eye rest", || session.status().filter(|s| s["state"] == "on_break"));
    assert_eq!(status["current"]["style"], "notification", "{status}");
    let first = wait_for(Duration::from_secs(10), "its notification", || notifications(&log).into_iter().find(|n| n["actions"].as_array().is_some_and(|a| !a.is_empty())));
    assert_eq!(first["actions"], serde_json::json!(["done", "Done", "skip", "Skip"]), "{first}");
    assert_eq!(first["summary"], "Eye rest · 4 s", "{first}");
    assert!(first["body"].as_str().unwrap().contains("Look at something about 6 metres"), "{first}");
    assert_eq!(first["timeout"], 124_000, "up for its length and the two minutes after it");
    // Done once its 4 s have passed: taken.
    session.wait_for(Duration::from_secs(20), "its length to pass", || {
        session.status().filter(|s| s["current"]["remaining_ms"].as_u64().is_some_and(|ms| ms <= 120_000))
    });
    invoke(&session, &first, "done");
    session.wait_for(Duration::from_secs(10), "the rest to end", || session.status().filter(|s| s["state"] == "working"));

    // The second: Skip at once.
    session.wait_for(Duration::from_secs(40), "the next eye rest", || session.status().filter(|s| s["state"] == "on_break"));
    let second = wait_for(Duration::from_secs(10), "its notification", || notifications(&log).into_iter().filter(|n| n["actions"].as_array().is_some_and(|a| !a.is_empty())).nth(1));
    invoke(&session, &second, "skip");
    session.wait_for(Duration::from_secs(10), "the rest to end", || session.status().filter(|s| s["state"] == "working"));

    let rows = wait_for(Duration::from_secs(10), "both in the log", || Some(session.export()).filter(|rows| rows.len() >= 2));
    let logged: Vec<(&str, &str, &serde_json::Value)> = rows.iter().map(|r| (r["outcome"].as_str().unwrap(), r["style"].as_str().unwrap(), &r["shown"])).collect();
    assert_eq!(logged[..2], [("completed", "notification", &serde_json::Value::Null), ("skipped", "notification", &serde_json::Value::Null)], "{rows:?}");
    let daemon_log = session.daemon_log();
    for started in ["overlay started", "prepared overlay", "respite-ui exited"] {
        assert!(!daemon_log.contains(started), "no window was started or prepared ({started}): {daemon_log}");
    }
    assert_eq!(daemon_log.matches("gentle break answered from its notification").count(), 2, "{daemon_log}");
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}

/// Clicks `key` on `notification`, through the stand-in.
fn invoke(session: &Session, notification: &serde_json::Value, key: &str) {
    let id = format!("uint32:{}", notification["id"]);
    let ok = session
        .command(Path::new("dbus-send"))
        .args(["--session", "--print-reply", "--dest=org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications.Invoke", &id, &format!("string:{key}")])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success(), "dbus-send Invoke {key}");
}
