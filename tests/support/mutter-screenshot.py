#!/usr/bin/python3
"""One PNG of a monitor of a headless mutter, for the end-to-end tests.

mutter alone (no gnome-shell) has no screenshot interface, but it streams monitors into PipeWire
through org.gnome.Mutter.ScreenCast. A screen-cast session lives only as long as the D-Bus
connection that made it, so the session, the stream and the one-frame grab all happen here, in
one process. Needs PipeWire and a session manager (WirePlumber) running on the session, which
links the grabber to mutter's stream.

usage: mutter-screenshot.py CONNECTOR OUT.png   (connectors: Meta-0, Meta-1, …)
Run as the session's user, with its XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS.
"""
import subprocess
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

TIMEOUT_S = 10
SCREEN_CAST = "org.gnome.Mutter.ScreenCast"


def main(connector, out):
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    def call(path, interface, method, args=None, reply=None):
        reply_type = GLib.VariantType(reply) if reply else None
        return bus.call_sync(SCREEN_CAST, path, interface, method, args, reply_type, Gio.DBusCallFlags.NONE, TIMEOUT_S * 1000, None)

    session = call("/org/gnome/Mutter/ScreenCast", SCREEN_CAST, "CreateSession", GLib.Variant("(a{sv})", ({},)), "(o)")[0]
    session_interface = SCREEN_CAST + ".Session"
    # cursor-mode 0: hidden.
    stream = call(session, session_interface, "RecordMonitor", GLib.Variant("(sa{sv})", (connector, {"cursor-mode": GLib.Variant("u", 0)})), "(o)")[0]
    node = []
    loop = GLib.MainLoop()

    def added(_bus, _sender, _path, _interface, _signal, params):
        node.append(params[0])
        loop.quit()

    bus.signal_subscribe(SCREEN_CAST, SCREEN_CAST + ".Stream", "PipeWireStreamAdded", stream, None, 0, added)
    call(session, session_interface, "Start")
    GLib.timeout_add_seconds(TIMEOUT_S, loop.quit)
    loop.run()
    if not node:
        sys.exit(f"mutter-screenshot: mutter announced no PipeWire stream for {connector}")
    grab = ["gst-launch-1.0", "-q", "pipewiresrc", f"path={node[0]}", "num-buffers=1", "always-copy=true", "!",
            "videoconvert", "!", "video/x-raw,format=RGB", "!", "pngenc", "!", "filesink", f"location={out}"]
    try:
        code = subprocess.run(grab, timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, check=False).returncode
    except subprocess.TimeoutExpired:
        code = "no frame in time (is WirePlumber running?)"
    try:
        call(session, session_interface, "Stop")
    except GLib.Error:
        pass
    if code != 0:
        sys.exit(f"mutter-screenshot: gst-launch-1.0 failed: {code}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
