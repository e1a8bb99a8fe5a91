//! The control socket server: a Unix socket (mode 0600, in the private runtime folder) speaking
//! the JSON-lines protocol of `respite_core::protocol`.
//!
//! Each connection gets its own short-lived thread, a read timeout and a size limit, so a slow,
//! malformed or hostile client never reaches or blocks the scheduler: only well-formed requests
//! are passed to the runtime, and a bad line gets an error answer and is logged.

use crate::runtime::Input;
use respite_core::protocol::{parse_request, to_line, Request, Response, MAX_MESSAGE};
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
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

/// Accepts connections on a background thread for as long as the process runs.
pub fn serve(listener: UnixListener, inputs: Sender<Input>) -> io::Result<()> {
    thread::Builder::new().name("control".into()).spawn(move || {
        for stream in listener.incoming() {
            match stream {
                Ok(stream) => {
                    let inputs = inputs.clone();
                    let spawned = thread::Builder::new().name("client".into()).spawn(move || {
                        if let Err(e) = serve_one(stream, &inputs) {
                            tracing::debug!("control client: {e}");
                        }
                    });
                    if let Err(e) = spawned {
                        tracing::warn!("cannot serve a control client: {e}");
                    }
                }
                Err(e) => tracing::warn!("control socket accept failed: {e}"),
            }
        }
    })?;
    Ok(())
}

fn serve_one(stream: UnixStream, inputs: &Sender<Input>) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    let mut line = String::new();
    let read = BufReader::new((&stream).take(MAX_MESSAGE as u64 + 2)).read_line(&mut line);
    let response = match read {
        Err(e) if e.kind() == io::ErrorKind::InvalidData => Response::error("malformed message: not UTF-8"),
        Err(e) => return Err(e),
        Ok(_) if !line.ends_with('\n') && line.len() > MAX_MESSAGE => {
            Response::error(format!("message too long (the limit is {MAX_MESSAGE} bytes)"))
        }
        Ok(_) => match parse_request(&line) {
            Ok(Request::Subscribe) => {
                let _ = inputs.send(Input::Subscribe(stream));
                return Ok(());
            }
            Ok(request) => ask(inputs, request),
            Err(e) => Response::error(e.to_string()),
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
        return Response::error("Respite is shutting down");
    }
    answer.recv_timeout(ANSWER_TIMEOUT).unwrap_or_else(|_| Response::error("Respite did not answer in time"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use respite_core::client;

    /// A socket served by this module, with a fake runtime that answers every request with an
    /// error naming it, so the tests see exactly what reached the runtime.
    fn served() -> (tempfile::TempDir, std::path::PathBuf, mpsc::Receiver<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("control.sock");
        let (inputs, received) = mpsc::channel();
        serve(bind(&path).unwrap(), inputs).unwrap();
        let (seen_tx, seen) = mpsc::channel();
        thread::spawn(move || {
            for input in received {
                if let Input::Request { request, reply: Some(reply) } = input {
                    let name = format!("{request:?}");
                    let _ = seen_tx.send(name.clone());
                    let _ = reply.send(Response::error(name));
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
        assert!(started.elapsed() < READ_TIMEOUT, "the second client waited for the first");
        assert_eq!(seen.recv_timeout(Duration::from_secs(2)).unwrap(), "Status", "only the complete request arrived");
        drop(stalled);
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
