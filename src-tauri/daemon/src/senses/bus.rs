//! The D-Bus plumbing the bus sources share: the session bus as they ask it ([`SessionBus`], where
//! a stalled bus never holds the caller for long), a proxy per object, method calls that never
//! start a service and never wait longer than asked, and property reads.

use super::SenseError;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::task::{Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};
use zbus::blocking::{Connection, Proxy};
use zbus::proxy::MethodFlags;
use zbus::zvariant::{DynamicDeserialize, DynamicType, OwnedValue};

/// How long the caller (the runtime, when a break is due or idle time is read) waits for a bus
/// source's answer. Services answer in milliseconds; one that has not answered by then counts as
/// not answering this time.
pub(crate) const ANSWER_WITHIN: Duration = Duration::from_millis(500);

/// After a call on the session bus went unanswered, the bus sources fail at once for this long
/// (rather than each waiting [`ANSWER_WITHIN`] in turn), then try again.
const STALLED_PAUSE: Duration = Duration::from_secs(10);

/// The session bus as the bus sources ask it: each call is waited for at most [`ANSWER_WITHIN`],
/// and after one goes unanswered every call fails at once for [`STALLED_PAUSE`]. So a stalled bus
/// or service costs the caller one short wait now and then, not one per source and never more.
#[derive(Clone)]
pub struct SessionBus {
    connection: Connection,
    stalled_until: Arc<Mutex<Option<Instant>>>,
    pause: Duration,
}

impl SessionBus {
    pub fn new(connection: Connection) -> Self {
        SessionBus { connection, stalled_until: Arc::default(), pause: STALLED_PAUSE }
    }

    /// The same with another pause after a stall (tests).
    #[cfg(test)]
    pub(crate) fn pausing(self, pause: Duration) -> Self {
        SessionBus { pause, ..self }
    }

    pub(crate) fn connection(&self) -> &Connection {
        &self.connection
    }

    /// [`call`] within [`ANSWER_WITHIN`], unless the bus stalled a moment ago.
    pub(crate) fn call<B, R>(&self, proxy: &Proxy<'static>, method: &'static str, body: B) -> Result<R, SenseError>
    where
        B: serde::Serialize + DynamicType + Send + Sync + 'static,
        R: for<'d> DynamicDeserialize<'d> + Send + 'static,
    {
        self.guarded(|within| call(proxy, method, body, within))
    }

    /// [`Property::get`] within [`ANSWER_WITHIN`], unless the bus stalled a moment ago.
    pub(crate) fn get<T>(&self, property: &Property) -> Result<T, SenseError>
    where
        T: TryFrom<OwnedValue>,
        T::Error: Into<zbus::Error>,
    {
        self.guarded(|within| property.get(within))
    }

    fn guarded<R>(&self, call: impl FnOnce(Duration) -> Result<R, SenseError>) -> Result<R, SenseError> {
        let lock = || self.stalled_until.lock().unwrap_or_else(PoisonError::into_inner);
        if lock().is_some_and(|until| Instant::now() < until) {
            return Err(SenseError::Stalled("the session bus did not answer a moment ago"));
        }
        let result = call(ANSWER_WITHIN);
        if let Err(SenseError::Stalled(_)) = result {
            *lock() = Some(Instant::now() + self.pause);
        }
        result
    }
}

/// A proxy for `interface` on `destination`'s object `path`. Nothing is sent until a call.
pub(crate) fn proxy(
    bus: &Connection,
    destination: &'static str,
    path: &'static str,
    interface: &'static str,
) -> Result<Proxy<'static>, SenseError> {
    Ok(Proxy::new(bus, destination, path, interface)?)
}

/// Calls `method` without letting the bus start the service when it is not running (a desktop
/// component that is not there is an answer, not something to launch), and waits at most
/// `within` for the answer. The call runs on a short-lived thread, abandoned when the time is up
/// (zbus applies a connection's method timeout to `Connection::call_method` only, not to proxy
/// calls, so without this a service that never answers would block the caller for good).
pub(crate) fn call<B, R>(proxy: &Proxy<'static>, method: &'static str, body: B, within: Duration) -> Result<R, SenseError>
where
    B: serde::Serialize + DynamicType + Send + Sync + 'static,
    R: for<'d> DynamicDeserialize<'d> + Send + 'static,
{
    let proxy = proxy.clone();
    let call = async move {
        let reply = proxy.inner().call_with_flags(method, MethodFlags::NoAutoStart.into(), &body).await?;
        reply.ok_or(SenseError::Unavailable("the service sent no reply"))
    };
    let abandon = Arc::new(Abandon::default());
    let (answer, answered) = mpsc::sync_channel(1);
    let abandoned = Arc::clone(&abandon);
    let spawned = thread::Builder::new().name("bus-call".into()).spawn(move || {
        if let Some(result) = zbus::block_on(unless(call, abandoned.wait())) {
            let _ = answer.send(result);
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start a thread for a D-Bus call: {e}");
        return Err(SenseError::Stalled("no thread for the call"));
    }
    match answered.recv_timeout(within) {
        Ok(result) => result,
        Err(_) => {
            abandon.now();
            Err(SenseError::Stalled("no answer in time"))
        }
    }
}

/// `call`'s output, or `None` when `abandon` comes first.
async fn unless<T>(call: impl Future<Output = T>, abandon: impl Future<Output = ()>) -> Option<T> {
    let (mut call, mut abandon) = (pin!(call), pin!(abandon));
    poll_fn(|cx| match call.as_mut().poll(cx) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending => abandon.as_mut().poll(cx).map(|()| None),
    })
    .await
}

/// Tells a call's thread that nobody waits for the answer any more.
#[derive(Default)]
struct Abandon {
    state: Mutex<(bool, Option<Waker>)>,
}

impl Abandon {
    fn now(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.0 = true;
        if let Some(waker) = state.1.take() {
            waker.wake();
        }
    }

    async fn wait(&self) {
        poll_fn(|cx| {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.0 {
                return Poll::Ready(());
            }
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}

/// One property of one object, read with `org.freedesktop.DBus.Properties.Get` each time (no
/// cache, no signal subscription).
#[derive(Clone)]
pub(crate) struct Property {
    properties: Proxy<'static>,
    interface: &'static str,
    name: &'static str,
}

impl Property {
    pub(crate) fn new(
        bus: &Connection,
        destination: &'static str,
        path: &'static str,
        interface: &'static str,
        name: &'static str,
    ) -> Result<Self, SenseError> {
        let properties = proxy(bus, destination, path, "org.freedesktop.DBus.Properties")?;
        Ok(Property { properties, interface, name })
    }

    /// The property's value, waited for at most `within`.
    pub(crate) fn get<T>(&self, within: Duration) -> Result<T, SenseError>
    where
        T: TryFrom<OwnedValue>,
        T::Error: Into<zbus::Error>,
    {
        let value: OwnedValue = call(&self.properties, "Get", (self.interface, self.name), within)?;
        T::try_from(value).map_err(|e| SenseError::Bus(e.into()))
    }
}

impl From<zbus::fdo::Error> for SenseError {
    fn from(e: zbus::fdo::Error) -> Self {
        SenseError::Bus(e.into())
    }
}
