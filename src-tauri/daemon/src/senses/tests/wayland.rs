//! The `ext-idle-notify-v1` source against a stand-in compositor (Debian 12's sway and weston do
//! not implement the protocol): a `wayland-server` display with a seat and the idle notifier,
//! whose notifications the test fires by hand.

use super::super::wayland::WaylandIdle;
use super::super::{probe_idle, Desktop, IdleSource, SenseError};
use super::support::wait_for;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use wayland_protocols::ext::idle_notify::v1::server::ext_idle_notification_v1::{self, ExtIdleNotificationV1};
use wayland_protocols::ext::idle_notify::v1::server::ext_idle_notifier_v1::{self, ExtIdleNotifierV1};
use wayland_server::backend::ClientData;
use wayland_server::protocol::wl_seat::{self, WlSeat};
use wayland_server::{Client, DataInit, Dispatch, Display, DisplayHandle, GlobalDispatch, ListeningSocket, New};

/// A notification a client asked for: its timeout and whether it counts input only (version 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Asked {
    timeout_ms: u32,
    input_only: bool,
}

#[derive(Default)]
struct Compositor {
    notifications: Vec<ExtIdleNotificationV1>,
    asked: Arc<Mutex<Vec<Asked>>>,
}

impl GlobalDispatch<WlSeat, ()> for Compositor {
    fn bind(_: &mut Self, _: &DisplayHandle, _: &Client, seat: New<WlSeat>, _: &(), init: &mut DataInit<'_, Self>) {
        init.init(seat, ());
    }
}

impl Dispatch<WlSeat, ()> for Compositor {
    fn request(
        _: &mut Self,
        _: &Client,
        _: &WlSeat,
        _: wl_seat::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
    }
}

impl GlobalDispatch<ExtIdleNotifierV1, ()> for Compositor {
    fn bind(
        _: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        notifier: New<ExtIdleNotifierV1>,
        _: &(),
        init: &mut DataInit<'_, Self>,
    ) {
        init.init(notifier, ());
    }
}

impl Dispatch<ExtIdleNotifierV1, ()> for Compositor {
    fn request(
        compositor: &mut Self,
        _: &Client,
        _: &ExtIdleNotifierV1,
        request: ext_idle_notifier_v1::Request,
        _: &(),
        _: &DisplayHandle,
        init: &mut DataInit<'_, Self>,
    ) {
        let (id, timeout_ms, input_only) = match request {
            ext_idle_notifier_v1::Request::GetIdleNotification { id, timeout, .. } => (id, timeout, false),
            ext_idle_notifier_v1::Request::GetInputIdleNotification { id, timeout, .. } => (id, timeout, true),
            _ => return,
        };
        compositor.notifications.push(init.init(id, ()));
        compositor.asked.lock().unwrap().push(Asked { timeout_ms, input_only });
    }
}

impl Dispatch<ExtIdleNotificationV1, ()> for Compositor {
    fn request(
        _: &mut Self,
        _: &Client,
        _: &ExtIdleNotificationV1,
        _: ext_idle_notification_v1::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
    }
}

struct NoClientData;
impl ClientData for NoClientData {}

enum Command {
    Idled,
    Resumed,
    Quit,
}

/// The stand-in compositor, running on its own thread until dropped.
struct StandIn {
    socket: PathBuf,
    asked: Arc<Mutex<Vec<Asked>>>,
    commands: Sender<Command>,
    thread: Option<JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl StandIn {
    /// `notifier_version`: 0 for a compositor without `ext_idle_notifier_v1`.
    fn start(notifier_version: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("wayland-test");
        let listener = ListeningSocket::bind_absolute(socket.clone()).expect("bind the socket");
        let asked = Arc::default();
        let mut compositor = Compositor { notifications: Vec::new(), asked: Arc::clone(&asked) };
        let (commands, received) = mpsc::channel();
        let thread = thread::spawn(move || {
            let mut display = Display::<Compositor>::new().expect("a display");
            let handle = display.handle();
            handle.create_global::<Compositor, WlSeat, ()>(7, ());
            if notifier_version > 0 {
                handle.create_global::<Compositor, ExtIdleNotifierV1, ()>(notifier_version, ());
            }
            serve(&mut display, &listener, &mut compositor, &received);
        });
        StandIn { socket, asked, commands, thread: Some(thread), _dir: dir }
    }

    fn send(&self, command: Command) {
        self.commands.send(command).expect("the compositor runs");
    }

    fn asked(&self) -> Vec<Asked> {
        self.asked.lock().unwrap().clone()
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Quit);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    display: &mut Display<Compositor>,
    listener: &ListeningSocket,
    compositor: &mut Compositor,
    commands: &Receiver<Command>,
) {
    loop {
        if let Some(stream) = listener.accept().expect("accept") {
            display.handle().insert_client(stream, Arc::new(NoClientData)).expect("insert the client");
        }
        display.dispatch_clients(compositor).expect("dispatch");
        match commands.try_recv() {
            Ok(Command::Idled) => compositor.notifications.iter().for_each(|n| n.idled()),
            Ok(Command::Resumed) => compositor.notifications.iter().for_each(|n| n.resumed()),
            Ok(Command::Quit) => return,
            Err(_) => {}
        }
        let _ = display.flush_clients();
        thread::sleep(Duration::from_millis(5));
    }
}

fn idle(source: &mut WaylandIdle) -> Duration {
    source.idle_time().expect("a reading").expect("idle data")
}

const TIMEOUT: Duration = Duration::from_secs(1);

#[test]
fn idle_time_counts_from_when_idled_arrived_not_from_when_it_was_asked() {
    let compositor = StandIn::start(2);
    let mut source = WaylandIdle::connect(&compositor.socket, TIMEOUT).expect("connect");
    assert_eq!(compositor.asked(), [Asked { timeout_ms: 1000, input_only: true }]);
    assert_eq!(idle(&mut source), Duration::ZERO);

    compositor.send(Command::Idled);
    thread::sleep(Duration::from_secs(2)); // nobody asks meanwhile
    let after = idle(&mut source);
    // Read only when asked, the idled event would look brand new: about 1 s (the timeout).
    assert!(
        after >= Duration::from_millis(2000) && after < Duration::from_millis(4500),
        "idle {after:?}: idled arrived ~2 s ago, plus the 1 s timeout"
    );

    compositor.send(Command::Resumed);
    wait_for(Duration::from_secs(5), "resumed", || (idle(&mut source) == Duration::ZERO).then_some(()));

    drop(compositor);
    wait_for(Duration::from_secs(5), "the lost connection to show", || {
        matches!(source.idle_time(), Err(SenseError::Wayland(_))).then_some(())
    });
}

#[test]
fn a_version_1_notifier_gets_a_plain_idle_notification() {
    let compositor = StandIn::start(1);
    let mut source = WaylandIdle::connect(&compositor.socket, TIMEOUT).expect("connect");
    assert_eq!(compositor.asked(), [Asked { timeout_ms: 1000, input_only: false }]);
    compositor.send(Command::Idled);
    wait_for(Duration::from_secs(5), "idled", || (idle(&mut source) >= TIMEOUT).then_some(()));
}

fn wayland_desktop(socket: &Path) -> Desktop {
    Desktop { session_bus: None, x11_display: None, wayland_socket: Some(socket.to_owned()), gnome_settings: false }
}

#[test]
fn probing_uses_the_compositor_only_when_it_has_the_idle_notifier() {
    let with = StandIn::start(2);
    assert_eq!(probe_idle(&wayland_desktop(&with.socket)).name(), "ext-idle-notify");

    let without = StandIn::start(0);
    assert!(matches!(WaylandIdle::connect(&without.socket, TIMEOUT), Err(SenseError::Unavailable(_))));
    assert_eq!(probe_idle(&wayland_desktop(&without.socket)).name(), "none");
    assert_eq!(probe_idle(&wayland_desktop(Path::new("/nonexistent/wayland-0"))).name(), "none");
}
