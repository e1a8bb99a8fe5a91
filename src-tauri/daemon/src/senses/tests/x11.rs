//! The X11 sources against a real X server (Xvfb), with input from xdotool and fullscreen
//! windows managed by openbox.

use super::super::apps::{FocusedClass, ListedApps};
use super::super::x11::{X11FocusedClass, X11Fullscreen, X11Idle};
use super::super::{probe_disturb, probe_idle, Desktop, DisturbSource, IdleSource};
use super::support::{wait_for, Xvfb};
use respite_core::senses::HoldReason;
use std::thread;
use std::time::Duration;
use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt as _, CreateWindowAux, EventMask, PropMode, Window, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

fn x11_desktop(display: &str) -> Desktop {
    Desktop { session_bus: None, x11_display: Some(display.to_owned()), wayland_socket: None, gnome_settings: false }
}

#[test]
fn xscreensaver_idle_time_grows_while_nothing_happens_and_drops_after_input() {
    let Some(x) = Xvfb::start() else { return };
    let mut idle = X11Idle::connect(&x.display).expect("XScreenSaver on Xvfb");
    let first = idle.idle_time().unwrap().expect("a reading");
    thread::sleep(Duration::from_millis(1500));
    let later = idle.idle_time().unwrap().expect("a reading");
    assert!(later >= first + Duration::from_millis(1400), "idle went from {first:?} to {later:?} in 1.5 s");

    x.run("xdotool", &["mousemove", "10", "10"]);
    let after = idle.idle_time().unwrap().expect("a reading");
    assert!(after < Duration::from_millis(500), "{after:?} idle just after the pointer moved (was {later:?})");
}

#[test]
fn probing_an_x11_desktop_picks_xscreensaver_and_the_fullscreen_source() {
    let Some(x) = Xvfb::start() else { return };
    let desktop = x11_desktop(&x.display);
    assert_eq!(probe_idle(&desktop).name(), "x11-screensaver");
    let disturb: Vec<&str> = probe_disturb(&desktop).iter().map(|source| source.name()).collect();
    assert_eq!(disturb, ["x11-fullscreen"]);

    let gone = x11_desktop(":4999");
    assert_eq!(probe_idle(&gone).name(), "none", "a display that does not answer is not used");
    assert!(probe_disturb(&gone).is_empty());
}

/// An EWMH window manager announces itself with `_NET_SUPPORTING_WM_CHECK` on the root.
fn window_manager_running(display: &str) -> bool {
    let (conn, screen) = RustConnection::connect(Some(display)).expect("connect");
    let root = conn.setup().roots[screen].root;
    let check = conn.intern_atom(false, b"_NET_SUPPORTING_WM_CHECK").unwrap().reply().unwrap().atom;
    let reply = conn.get_property(false, root, check, AtomEnum::WINDOW, 0, 1).unwrap().reply().unwrap();
    reply.value32().and_then(|mut windows| windows.next()).is_some()
}

struct TestWindow {
    conn: RustConnection,
    root: Window,
    window: Window,
}

impl TestWindow {
    fn open(display: &str, title: &str) -> Self {
        let (conn, screen) = RustConnection::connect(Some(display)).expect("connect");
        let screen = &conn.setup().roots[screen];
        let root = screen.root;
        let window = conn.generate_id().expect("id");
        conn.create_window(
            screen.root_depth,
            window,
            root,
            0,
            0,
            300,
            200,
            0,
            WindowClass::INPUT_OUTPUT,
            screen.root_visual,
            &CreateWindowAux::new().background_pixel(screen.white_pixel),
        )
        .expect("create");
        conn.change_property8(PropMode::REPLACE, window, AtomEnum::WM_NAME, AtomEnum::STRING, title.as_bytes())
            .expect("title");
        // WM_HINTS: the window takes the keyboard focus (flags InputHint, input true).
        conn.change_property32(
            PropMode::REPLACE,
            window,
            AtomEnum::WM_HINTS,
            AtomEnum::WM_HINTS,
            &[1, 1, 0, 0, 0, 0, 0, 0, 0],
        )
        .expect("hints");
        conn.map_window(window).expect("map");
        conn.flush().expect("flush");
        TestWindow { conn, root, window }
    }

    /// Sets `WM_CLASS`, as toolkits do: the instance and the class, each ending in a NUL.
    fn set_class(&self, instance: &str, class: &str) {
        let value = format!("{instance}\0{class}\0");
        self.conn.change_property8(PropMode::REPLACE, self.window, AtomEnum::WM_CLASS, AtomEnum::STRING, value.as_bytes()).expect("class");
        self.conn.flush().expect("flush");
    }

    fn atom(&self, name: &str) -> u32 {
        self.conn.intern_atom(false, name.as_bytes()).unwrap().reply().unwrap().atom
    }

    fn is_active(&self) -> bool {
        let active = self.atom("_NET_ACTIVE_WINDOW");
        let reply = self.conn.get_property(false, self.root, active, AtomEnum::WINDOW, 0, 1).unwrap().reply().unwrap();
        reply.value32().and_then(|mut windows| windows.next()) == Some(self.window)
    }

    fn remap(&self) {
        self.conn.unmap_window(self.window).expect("unmap");
        self.conn.map_window(self.window).expect("map");
        self.conn.flush().expect("flush");
    }

    /// Asks the window manager to add (or remove) the fullscreen state, as an application does.
    fn set_fullscreen(&self, on: bool) {
        let event = ClientMessageEvent::new(
            32,
            self.window,
            self.atom("_NET_WM_STATE"),
            [u32::from(on), self.atom("_NET_WM_STATE_FULLSCREEN"), 0, 1, 0],
        );
        let mask = EventMask::SUBSTRUCTURE_REDIRECT | EventMask::SUBSTRUCTURE_NOTIFY;
        self.conn.send_event(false, self.root, mask, event).expect("send");
        self.conn.flush().expect("flush");
    }
}

#[test]
fn the_fullscreen_source_sees_the_active_window_go_fullscreen_under_openbox() {
    let Some(x) = Xvfb::start() else { return };
    let mut source = X11Fullscreen::connect(&x.display).expect("connect");
    assert_eq!(source.hold_reason().unwrap(), None, "no window manager, no active window");

    let _openbox = x.spawn("openbox", &["--sm-disable"]);
    wait_for(Duration::from_secs(10), "openbox to start", || window_manager_running(&x.display).then_some(()));
    let window = active_window(&x.display, "respite-senses-test", None);
    assert_eq!(source.hold_reason().unwrap(), None, "a normal active window");

    window.set_fullscreen(true);
    wait_for(Duration::from_secs(5), "the fullscreen hold", || {
        (source.hold_reason().unwrap() == Some(HoldReason::Fullscreen)).then_some(())
    });

    window.set_fullscreen(false);
    wait_for(Duration::from_secs(5), "no hold once the window leaves fullscreen", || {
        source.hold_reason().unwrap().is_none().then_some(())
    });
}

/// Opens a window titled `title` (with `WM_CLASS` `title`/`class` when given) and waits until
/// openbox makes it active.
fn active_window(display: &str, title: &str, class: Option<&str>) -> TestWindow {
    let window = TestWindow::open(display, title);
    if let Some(class) = class {
        window.set_class(title, class);
        window.remap();
    }
    let mut tries = 0;
    wait_for(Duration::from_secs(10), "openbox to make the test window active", || {
        tries += 1;
        if tries % 20 == 0 {
            // Openbox drops a map request sent while it is still starting up: map again.
            window.remap();
        }
        window.is_active().then_some(())
    });
    window
}

#[test]
fn a_listed_app_holds_while_its_window_has_the_focus_under_openbox() {
    let Some(x) = Xvfb::start() else { return };
    let mut focused = X11FocusedClass::connect(&x.display).expect("connect");
    assert_eq!(focused.focused().unwrap(), Vec::<String>::new(), "no window manager, no active window");
    let _openbox = x.spawn("openbox", &["--sm-disable"]);
    wait_for(Duration::from_secs(10), "openbox to start", || window_manager_running(&x.display).then_some(()));
    let slides = active_window(&x.display, "impressive", Some("Impressive"));
    assert_eq!(focused.focused().unwrap(), ["impressive", "impressive"]);
    // No process of that name runs here: only the focus can hold.
    let no_processes = tempfile::tempdir().unwrap();
    let mut apps = ListedApps::new(&["Impressive".into()], no_processes.path(), Some(Box::new(X11FocusedClass::connect(&x.display).unwrap())));
    assert_eq!(apps.hold_reason().unwrap(), Some(HoldReason::App));
    // Another window takes the focus: no hold.
    let _editor = active_window(&x.display, "gedit", Some("Gedit"));
    assert!(!slides.is_active());
    assert_eq!(apps.hold_reason().unwrap(), None);
}
