//! What the runtime acts on: the inputs that the socket server, the tray, the launcher's
//! watchers, the weekly announcer and the session's signals send it. Its own module, so that
//! they need not import the runtime (imports run one way: down to the runtime's inputs).

use respite_core::protocol::{Request, Response};
use respite_core::schedule::ScreenLock;
use std::os::unix::net::UnixStream;
use std::sync::mpsc::Sender;

/// Something for the runtime to act on.
#[derive(Debug)]
pub enum Input {
    /// A control request; the answer goes to `reply` when there is one.
    Request { request: Request, reply: Option<Sender<Response>> },
    /// A client that wants [`Notice`]s.
    Subscribe(UnixStream),
    /// A `respite-ui` child exited.
    UiExited { pid: u32 },
    /// The machine is about to sleep or woke: look at the clocks and the person now.
    Wake,
    /// The screen was locked or unlocked.
    Screen(ScreenLock),
}
