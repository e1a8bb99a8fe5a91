//! Global shortcuts through the desktop portal (Wayland): the real daemon, told it is on Wayland
//! (`WAYLAND_DISPLAY` set, no X display), and on the test's session bus a stand-in
//! `org.freedesktop.portal.Desktop` with GlobalShortcuts (a few lines of Python with GIO) that
//! answers as the portal does: a `Response` signal on the request object it names, a session,
//! the shortcuts it bound. It refuses Ctrl+Alt+T, as a desktop whose combination is taken would,
//! and emits `Activated` when the test presses a shortcut (its own `Press` method). No
//! GlobalShortcuts backend runs on this machine's desktops (GNOME 43, sway), hence the stand-in.

use respite_e2e::{wait_for, Session};
use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const STAND_IN: &str = r#"
import json, sys
from gi.repository import Gio, GLib
XML = """<node><interface name="org.freedesktop.portal.GlobalShortcuts">
  <method name="CreateSession"><arg type="a{sv}"/><arg type="o" direction="out"/></method>
  <method name="BindShortcuts"><arg type="o"/><arg type="a(sa{sv})"/><arg type="s"/><arg type="a{sv}"/><arg type="o" direction="out"/></method>
  <method name="Press"><arg type="s"/></method>
  <signal name="Activated"><arg type="o"/><arg type="s"/><arg type="t"/><arg type="a{sv}"/></signal>
  <property name="version" type="u" access="read"/>
</interface></node>"""
log = sys.argv[1]
state = {}
def write(entry):
    with open(log, "a") as f:
        f.write(json.dumps(entry) + "\n")
def respond(conn, sender, token, results):
    path = "/org/freedesktop/portal/desktop/request/%s/%s" % (sender[1:].replace(".", "_"), token)
    def later():
        conn.emit_signal(sender, path, "org.freedesktop.portal.Request", "Response", GLib.Variant("(ua{sv})", (0, results)))
        return False
    GLib.timeout_add(50, later)
    return path
def on_call(conn, sender, path, iface, method, params, invocation):
    if method == "CreateSession":
        options = params.unpack()[0]
        session = "/org/freedesktop/portal/desktop/session/%s/%s" % (sender[1:].replace(".", "_"), options["session_handle_token"])
        state["session"] = session
        write({"call": "CreateSession"})
        invocation.return_value(GLib.Variant("(o)", (respond(conn, sender, options["handle_token"], {"session_handle": GLib.Variant("s", session)}),)))
    elif method == "BindShortcuts":
        session, shortcuts, parent, options = params.unpack()
        write({"call": "BindShortcuts", "shortcuts": [[i, {k: v for k, v in d.items()}] for i, d in shortcuts]})
        bound = [(i, {"description": GLib.Variant("s", d["description"]), "trigger_description": GLib.Variant("s", d.get("preferred_trigger", ""))})
                 for i, d in shortcuts if d.get("preferred_trigger") != "CTRL+ALT+t"]
        invocation.return_value(GLib.Variant("(o)", (respond(conn, sender, options["handle_token"], {"shortcuts": GLib.Variant("a(sa{sv})", bound)}),)))
    elif method == "Press":
        conn.emit_signal(None, path, iface, "Activated", GLib.Variant("(osta{sv})", (state["session"], params.unpack()[0], 0, {})))
        invocation.return_value(None)
def on_property(conn, sender, path, iface, name):
    return GLib.Variant("u", 1)
def on_bus(conn, name):
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    conn.register_object("/org/freedesktop/portal/desktop", info, on_call, on_property, None)
def on_name(conn, name):
    open(log + ".ready", "w").close()
Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.portal.Desktop", 0, on_bus, on_name, None)
GLib.MainLoop().run()
"#;

fn calls(log: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(log).unwrap_or_default().lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

#[test]
fn on_wayland_the_shortcuts_are_bound_through_the_portal_and_a_refused_one_is_said() {
    let session = Session::headless();
    let Some((_portal, log)) = session.python_stand_in("portal_shortcuts::on_wayland", "portal.jsonl", STAND_IN) else { return };
    session.write_settings("[eye]\nenabled = false\n[stretch]\ninterval = \"50m\"\n[walk]\nenabled = false\n[sound]\nenabled = false\n[shortcuts]\nbreak_now = \"Ctrl+Alt+B\"\npause_hour = \"Ctrl+Alt+T\"\n");
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true"), ("WAYLAND_DISPLAY", "wayland-respite-test")]);

    let bind = wait_for(Duration::from_secs(20), "the shortcuts bound through the portal", || calls(&log).into_iter().find(|c| c["call"] == "BindShortcuts"));
    assert_eq!(
        bind["shortcuts"],
        serde_json::json!([["break-now", {"description": "Take a break now", "preferred_trigger": "CTRL+ALT+b"}], ["pause-hour", {"description": "Pause for an hour", "preferred_trigger": "CTRL+ALT+t"}]]),
        "{bind}"
    );
    session.wait_for(Duration::from_secs(10), "the refused one in the log", || {
        Some(()).filter(|()| session.daemon_log().contains("shortcut Ctrl+Alt+T was not bound by the desktop portal"))
    });
    // The person presses the shortcut: the portal says so, and the break comes.
    let pressed = session
        .command(Path::new("dbus-send"))
        .args(["--session", "--print-reply", "--dest=org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop", "org.freedesktop.portal.GlobalShortcuts.Press", "string:break-now"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(pressed.success());
    let status = session.wait_for(Duration::from_secs(10), "the break the shortcut asked for", || session.status().filter(|s| s["state"] == "on_break"));
    assert_eq!(status["current"]["kind"], "stretch", "{status}");
    assert!(session.daemon_log().contains("shortcut pressed (portal)"), "{}", session.daemon_log());
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}
