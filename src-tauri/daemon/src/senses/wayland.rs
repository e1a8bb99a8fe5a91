//! Idle time from a Wayland compositor's `ext-idle-notify-v1` (wlroots compositors, KDE): the
//! compositor says when the seat has had no input for a timeout (`idled`) and when input comes
//! back (`resumed`). With a short timeout, the idle time is the time since `idled` plus that
//! timeout, and zero (really: under the timeout) otherwise.
//!
//! A Wayland client only sees events when it reads its socket, and they carry no time: read only
//! when asked, an `idled` from an hour ago would look brand new. So a small thread blocks on the
//! socket and stamps each event as it arrives; [`IdleSource::idle_time`] reads those stamps and
//! never touches the socket.

use super::{IdleSource, SenseError};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};
use wayland_client::globals::{registry_queue_init, GlobalListContents};
use wayland_client::protocol::{wl_callback::WlCallback, wl_registry::WlRegistry, wl_seat::WlSeat};
use wayland_client::{delegate_noop, Connection, Dispatch, Proxy, QueueHandle};
use wayland_protocols::ext::idle_notify::v1::client::ext_idle_notification_v1::{self, ExtIdleNotificationV1};
use wayland_protocols::ext::idle_notify::v1::client::ext_idle_notifier_v1::ExtIdleNotifierV1;

/// The notification's timeout: the idle time is known to within this.
pub const NOTIFY_AFTER: Duration = Duration::from_secs(1);

/// `idled` and `resumed`, stamped with the time they arrived.
#[derive(Debug)]
struct IdleTracker {
    timeout: Duration,
    idled_at: Option<Instant>,
}

impl IdleTracker {
    fn new(timeout: Duration) -> Self {
        IdleTracker { timeout, idled_at: None }
    }

    fn idled(&mut self, at: Instant) {
        // A repeated `idled` (none is expected) does not move the start of the idle span.
        self.idled_at.get_or_insert(at);
    }

    fn resumed(&mut self) {
        self.idled_at = None;
    }

    fn idle_for(&self, now: Instant) -> Duration {
        match self.idled_at {
            Some(idled_at) => now.saturating_duration_since(idled_at) + self.timeout,
            None => Duration::ZERO,
        }
    }
}

/// What the listening thread shares with the source.
struct Shared {
    tracker: Mutex<IdleTracker>,
    /// Why the connection was lost, once it is.
    lost: Mutex<Option<String>>,
    stop: AtomicBool,
}

/// The listening thread's dispatch state.
struct Listener {
    shared: Arc<Shared>,
}

impl Dispatch<WlRegistry, GlobalListContents> for Listener {
    fn event(
        _: &mut Self,
        _: &WlRegistry,
        _: <WlRegistry as Proxy>::Event,
        _: &GlobalListContents,
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
    }
}

delegate_noop!(Listener: ignore WlSeat);
delegate_noop!(Listener: ignore WlCallback);
delegate_noop!(Listener: ExtIdleNotifierV1);

impl Dispatch<ExtIdleNotificationV1, ()> for Listener {
    fn event(
        listener: &mut Self,
        _: &ExtIdleNotificationV1,
        event: ext_idle_notification_v1::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        let now = Instant::now();
        let mut tracker = listener.shared.tracker.lock().unwrap_or_else(PoisonError::into_inner);
        match event {
            ext_idle_notification_v1::Event::Idled => tracker.idled(now),
            ext_idle_notification_v1::Event::Resumed => tracker.resumed(),
            _ => {}
        }
    }
}

fn wayland_error(e: impl std::fmt::Display) -> SenseError {
    SenseError::Wayland(e.to_string())
}

pub struct WaylandIdle {
    shared: Arc<Shared>,
    conn: Connection,
    queue: QueueHandle<Listener>,
}

impl WaylandIdle {
    /// Connects to the compositor at `socket` and asks to hear when the seat has been idle for
    /// `timeout`. Fails when the compositor has no `ext_idle_notifier_v1`.
    pub fn connect(socket: &Path, timeout: Duration) -> Result<Self, SenseError> {
        let stream = UnixStream::connect(socket).map_err(|e| wayland_error(format!("{}: {e}", socket.display())))?;
        let conn = Connection::from_socket(stream).map_err(wayland_error)?;
        let (globals, mut events) = registry_queue_init::<Listener>(&conn).map_err(wayland_error)?;
        let queue = events.handle();
        let notifier: ExtIdleNotifierV1 = globals
            .bind(&queue, 1..=2, ())
            .map_err(|_| SenseError::Unavailable("the compositor has no ext_idle_notifier_v1"))?;
        let seat: WlSeat =
            globals.bind(&queue, 1..=1, ()).map_err(|_| SenseError::Unavailable("the compositor has no seat"))?;
        let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        // Version 2 counts input only; version 1 also counts idle inhibitors (a playing video) as
        // activity. Inhibitors are a reason to hold a break, not activity.
        let notification = if notifier.version() >= 2 {
            notifier.get_input_idle_notification(ms, &seat, &queue, ())
        } else {
            notifier.get_idle_notification(ms, &seat, &queue, ())
        };
        let shared = Arc::new(Shared {
            tracker: Mutex::new(IdleTracker::new(timeout)),
            lost: Mutex::new(None),
            stop: AtomicBool::new(false),
        });
        let mut listener = Listener { shared: Arc::clone(&shared) };
        // The compositor has taken the requests (a protocol error would show here).
        events.roundtrip(&mut listener).map_err(wayland_error)?;
        thread::Builder::new()
            .name("wayland-idle".into())
            .spawn(move || {
                let _keep = (notifier, seat, notification);
                while !listener.shared.stop.load(Ordering::Relaxed) {
                    if let Err(e) = events.blocking_dispatch(&mut listener) {
                        *listener.shared.lost.lock().unwrap_or_else(PoisonError::into_inner) = Some(e.to_string());
                        break;
                    }
                }
            })
            .map_err(wayland_error)?;
        Ok(WaylandIdle { shared, conn, queue })
    }
}

impl IdleSource for WaylandIdle {
    fn name(&self) -> &'static str {
        "ext-idle-notify"
    }

    fn idle_time(&mut self) -> Result<Option<Duration>, SenseError> {
        if let Some(lost) = self.shared.lost.lock().unwrap_or_else(PoisonError::into_inner).clone() {
            return Err(SenseError::Wayland(format!("connection lost: {lost}")));
        }
        let tracker = self.shared.tracker.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(Some(tracker.idle_for(Instant::now())))
    }
}

impl Drop for WaylandIdle {
    fn drop(&mut self) {
        // Wake the listening thread with a round trip so that it sees `stop` and ends.
        self.shared.stop.store(true, Ordering::Relaxed);
        self.conn.display().sync(&self.queue, ());
        let _ = self.conn.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUT: Duration = Duration::from_secs(1);

    #[test]
    fn idle_time_is_zero_until_idled_then_counts_from_idled_plus_the_timeout() {
        let start = Instant::now();
        let at = |seconds: u64| start + Duration::from_secs(seconds);
        let mut tracker = IdleTracker::new(TIMEOUT);
        assert_eq!(tracker.idle_for(at(30)), Duration::ZERO, "no event yet: under the timeout");

        tracker.idled(at(10));
        assert_eq!(tracker.idle_for(at(10)), TIMEOUT);
        assert_eq!(tracker.idle_for(at(70)), Duration::from_secs(61));

        tracker.resumed();
        assert_eq!(tracker.idle_for(at(80)), Duration::ZERO);

        tracker.idled(at(100));
        assert_eq!(tracker.idle_for(at(105)), Duration::from_secs(6));
    }

    #[test]
    fn a_repeated_idled_keeps_the_first_and_a_clock_before_it_saturates() {
        let start = Instant::now();
        let mut tracker = IdleTracker::new(TIMEOUT);
        tracker.idled(start + Duration::from_secs(5));
        tracker.idled(start + Duration::from_secs(50));
        assert_eq!(tracker.idle_for(start + Duration::from_secs(60)), Duration::from_secs(56));
        assert_eq!(tracker.idle_for(start), TIMEOUT, "a reading stamped before idled is not negative");
    }
}
