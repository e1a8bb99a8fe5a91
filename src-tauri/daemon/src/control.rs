//! The control socket server: a Unix socket (mode 0600, in the private runtime folder) speaking
//! the JSON-lines protocol of `respite_core::protocol`.
//!
//! Each connection gets its own short-lived thread, a deadline for its whole message
//! ([`CONNECTION_DEADLINE`], however slowly it trickles in) and a size limit, so a slow,
//! malformed or hostile client never reaches or blocks the scheduler: only well-formed requests
//! are passed to the runtime, and a bad line gets an error answer and is logged. At most
//! [`MAX_CLIENTS`] connections are served at once; one more is told Respite is busy. When
//! `accept` fails (file descriptors ran out), the server waits a growing while before trying
//! again, and logs the trouble once, not once a turn.

use crate::input::Input;
use respite_core::message::Message;
use respite_core::protocol::{parse_request, to_line, Request, Response, MAX_MESSAGE};
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// How long a client may take to send its whole request, however it trickles in.
const CONNECTION_DEADLINE: Duration = if cfg!(test) { Duration::from_millis(600) } else { Duration::from_secs(5) };
/// Connections served at once (subscribers, held by the runtime, are not counted here).
const MAX_CLIENTS: usize = 16;
/// The longest wait between two `accept`s that failed in a row.
const ACCEPT_BACKOFF_LIMIT: Duration = Duration::from_secs(2);
/// How long to wait for the runtime's answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

/// Binds the socket at `path` (replacing a stale one: the caller holds the instance lock) with
/// mode 0600.
pub fn bind(path: &Path) -> io::Result<UnixListener> {
    match fs::remove_file(path) {
        Ok(()) => tracing::debug!("removed a stale socket at {}", path.display()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let listener = UnixListener::bind(path)?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// Accepts connections for as long as the process runs: a task on the io thread ([`crate::io_thread`]);
/// each client is served on a short-lived thread of its own.
pub fn serve(listener: UnixListener, inputs: Sender<Input>) -> io::Result<()> {
    let listener = async_io::Async::new(listener)?;
    crate::io_thread::spawn(async move {
        let serving = Arc::new(AtomicUsize::new(0));
        let mut failures = Backoff::default();
        loop {
            let stream = match listener.accept().await.and_then(|(stream, _)| stream.into_inner()) {
                Ok(stream) => stream,
                Err(e) => {
                    let wait = failures.failed();
                    if failures.count == 1 {
                        tracing::warn!("control socket accept failed: {e}; trying again, less and less often");
                    }
                    async_io::Timer::after(wait).await;
                    continue;
                }
            };
            if let Err(e) = stream.set_nonblocking(false) {
                tracing::debug!("control client: {e}");
                continue;
            }
            if failures.count > 0 {
                tracing::info!("control socket accepts again after {} failures", failures.count);
                failures = Backoff::default();
            }
            let Some(slot) = Slot::take(&serving) else {
                tracing::info!("control request refused: {MAX_CLIENTS} clients already being served");
                let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
                let _ = (&stream).write_all(to_line(&Response::refused(Message::new("error.busy"))).as_bytes());
                continue;
            };
            let inputs = inputs.clone();
            let answering = Answering::start();
            let spawned = thread::Builder::new().name("client".into()).spawn(move || {
                if let Err(e) = serve_one(stream, &inputs) {
                    tracing::debug!("control client: {e}");
                }
                drop(answering);
                drop(slot);
            });
            if let Err(e) = spawned {
                tracing::warn!("cannot serve a control client: {e}");
            }
        }
    });
    Ok(())
}

/// Clients being answered, so that quitting waits until the last answer (the reply to `quit`
/// itself) is written before the process ends.
static ANSWERING: (Mutex<usize>, Condvar) = (Mutex::new(0), Condvar::new());

/// A client being answered, until dropped.
struct Answering;

impl Answering {
    fn start() -> Self {
        *ANSWERING.0.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        Answering
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        let mut count = ANSWERING.0.lock().unwrap_or_else(PoisonError::into_inner);
        *count = count.saturating_sub(1);
        ANSWERING.1.notify_all();
    }
}

/// Waits, at most `limit`, until no client is being answered.
pub fn wait_for_answers(limit: Duration) {
    let count = ANSWERING.0.lock().unwrap_or_else(PoisonError::into_inner);
    let _ = ANSWERING.1.wait_timeout_while(count, limit, |count| *count > 0);
}

/// One of the [`MAX_CLIENTS`] places, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(serving: &Arc<AtomicUsize>) -> Option<Self> {
        serving.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < MAX_CLIENTS).then_some(n + 1)).ok().map(|_| Self(serving.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Waits after failed `accept`s: 10 ms, doubling, up to [`ACCEPT_BACKOFF_LIMIT`].
#[derive(Default)]
struct Backoff {
    count: u32,
}

impl Backoff {
    /// Counts a failure; returns how long to wait before the next try.
    fn failed(&mut self) -> Duration {
        self.count = self.count.saturating_add(1);
        Duration::from_millis(10).saturating_mul(1 << self.count.min(16).saturating_sub(1)).min(ACCEPT_BACKOFF_LIMIT)
    }
}

/// Reads from a stream until a deadline for the whole message, not for each read.
struct UntilDeadline<'a> {
    stream: &'a UnixStream,
    deadline: Instant,
}

impl Read for UntilDeadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "the client took too long to send its message"));
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

fn serve_one(stream: UnixStream, inputs: &Sender<Input>) -> io::Result<()> {
    stream.set_write_timeout(Some(CONNECTION_DEADLINE))?;
    let mut line = String::new();
    let reader = UntilDeadline { stream: &stream, deadline: Instant::now() + CONNECTION_DEADLINE };
    let read = BufReader::new(reader.take(MAX_MESSAGE as u64 + 2)).read_line(&mut line);
    let response = match read {
        Err(e) if e.kind() == io::ErrorKind::InvalidData => Response::refused(Message::new("error.not_utf8")),
        Err(e) => return Err(e),
        Ok(_) if !line.ends_with('\n') && line.len() > MAX_MESSAGE => {
            Response::refused(Message::new("error.too_long").number("limit", MAX_MESSAGE as u64))
        }
        Ok(_) => match parse_request(&line) {
            Ok(Request::Subscribe) => {
                let _ = inputs.send(Input::Subscribe(stream));
                return Ok(());
            }
            Ok(request) => ask(inputs, request),
            Err(e) => Response::refused(e.message()),
        },
    };
    if let Some(error) = &response.error {
        tracing::info!("control request refused: {error}");
    }
    (&stream).write_all(to_line(&response).as_bytes())
}

fn ask(inputs: &Sender<Input>, request: Request) -> Response {
    let (reply, answer) = mpsc::channel();
    if inputs.send(Input::Request { request, reply: Some(reply) }).is_err() {
        return Response::refused(Message::new("error.shutting_down"));
    }
    answer.recv_timeout(ANSWER_TIMEOUT).unwrap_or_else(|_| Response::refused(Message::new("error.no_answer")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use respite_core::client;

    /// A socket served by this module, with a fake runtime that answers every request with an
    /// error naming it, so the tests see exactly what reached the runtime.
    fn served() -> (tempfile::TempDir, std::path::PathBuf, mpsc::Receiver<String>) {
        let dir = tempfile::tempdir().unwrap();
        // As the daemon makes its runtime folder: clients use only a private one.
        std::fs::set_permissions(dir.path(), <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o700)).unwrap();
        let path = dir.path().join("control.sock");
        let (inputs, received) = mpsc::channel();
        serve(bind(&path).unwrap(), inputs).unwrap();
        let (seen_tx, seen) = mpsc::channel();
        thread::spawn(move || {
            for input in received {
                if let Input::Request { request, reply: Some(reply) } = input {
                    let name = format!("{request:?}");
                    let _ = seen_tx.send(name.clone());
                    let _ = reply.send(Response { ok: false, status: None, error: Some(name), message: None });
                }
            }
        });
        (dir, path, seen)
    }

    fn raw(path: &Path, bytes: &[u8]) -> String {
        let mut stream = UnixStream::connect(path).unwrap();
        stream.write_all(bytes).unwrap();
        let mut answer = String::new();
        BufReader::new(stream).read_line(&mut answer).unwrap();
        answer
    }

    #[test]
    fn the_socket_is_private_and_requests_reach_the_runtime() {
        let (_dir, path, seen) = served();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let response = client::request(&path, &Request::Resume).unwrap();
        assert_eq!(response.error.as_deref(), Some("Resume"));
        assert_eq!(seen.recv_timeout(Duration::from_secs(2)).unwrap(), "Resume");
    }

    #[test]
    fn a_client_that_never_finishes_its_message_blocks_no_one() {
        let (_dir, path, seen) = served();
        let mut stalled = UnixStream::connect(&path).unwrap();
        stalled.write_all(b"{\"cmd\":\"sta").unwrap(); // and then nothing, connection kept open
        let started = std::time::Instant::now();
        let response = client::request(&path, &Request::Status).unwrap();
        assert_eq!(response.error.as_deref(), Some("Status"));
        assert!(started.elapsed() < CONNECTION_DEADLINE, "the second client waited for the first");
        assert_eq!(seen.recv_timeout(Duration::from_secs(2)).unwrap(), "Status", "only the complete request arrived");
        drop(stalled);
    }

    #[test]
    fn a_client_that_trickles_its_message_is_cut_off_at_the_deadline() {
        let (_dir, path, seen) = served();
        let mut slow = UnixStream::connect(&path).unwrap();
        let started = std::time::Instant::now();
        // One byte every tenth of the deadline: no single read ever waits long.
        let mut closed = false;
        for byte in b"{\"cmd\":\"status\"".iter().cycle().take(200) {
            if slow.write_all(&[*byte]).is_err() {
                closed = true;
                break;
            }
            thread::sleep(CONNECTION_DEADLINE / 10);
        }
        assert!(closed, "the server kept reading for {:?}", started.elapsed());
        assert!(started.elapsed() < CONNECTION_DEADLINE * 3, "cut off after {:?}", started.elapsed());
        assert!(seen.recv_timeout(Duration::from_millis(200)).is_err(), "half a message reached the runtime");
    }

    #[test]
    fn more_clients_than_the_limit_are_told_busy_and_served_again_after() {
        let (_dir, path, seen) = served();
        let stalled: Vec<UnixStream> = (0..MAX_CLIENTS)
            .map(|_| {
                let mut s = UnixStream::connect(&path).unwrap();
                s.write_all(b"{").unwrap();
                s
            })
            .collect();
        // Wait until all of them hold a place: the next one is then refused at once.
        let busy = (0..100).find_map(|_| {
            let answer: Response = serde_json::from_str(&raw(&path, b"{\"cmd\":\"status\"}\n")).unwrap();
            if answer.error.as_deref() == Some("Respite is busy; try again") {
                Some(answer)
            } else {
                thread::sleep(Duration::from_millis(20));
                None
            }
        });
        assert!(busy.is_some(), "never told busy");
        drop(stalled);
        while seen.try_recv().is_ok() {}
        let served_again = (0..100).any(|_| {
            let ok = client::request(&path, &Request::Resume).is_ok_and(|r| r.error.as_deref() == Some("Resume"));
            if !ok {
                thread::sleep(Duration::from_millis(20));
            }
            ok
        });
        assert!(served_again, "places were not given back");
    }

    #[test]
    fn failed_accepts_wait_longer_and_longer_up_to_a_limit() {
        let mut backoff = Backoff::default();
        let waits: Vec<Duration> = (0..12).map(|_| backoff.failed()).collect();
        assert_eq!(waits[0], Duration::from_millis(10));
        assert_eq!(waits[1], Duration::from_millis(20));
        assert!(waits.windows(2).all(|w| w[1] >= w[0]));
        assert_eq!(*waits.last().unwrap(), ACCEPT_BACKOFF_LIMIT);
        for _ in 0..100 {
            assert!(backoff.failed() <= ACCEPT_BACKOFF_LIMIT, "no overflow however long it fails");
        }
    }

    #[test]
    fn malformed_oversized_and_binary_messages_are_answered_and_never_reach_the_runtime() {
        let (_dir, path, seen) = served();
        let too_long = vec![b'{'; MAX_MESSAGE * 3];
        for (bytes, expected) in [
            (&b"{\"cmd\":\"launch\"}\n"[..], "malformed message"),
            (&b"\xff\xfe\n"[..], "not UTF-8"),
            (&too_long[..], "message too long"),
        ] {
            let answer: Response = serde_json::from_str(&raw(&path, bytes)).unwrap();
            assert!(!answer.ok);
            assert!(answer.error.as_deref().unwrap().contains(expected), "{answer:?}");
        }
        assert!(seen.recv_timeout(Duration::from_millis(200)).is_err(), "a bad message reached the runtime");
    }
}
