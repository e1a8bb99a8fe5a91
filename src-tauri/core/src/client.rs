//! A client of the daemon's control socket: send one request, read one response; or subscribe
//! to notices. Used by the CLI and by `respite-ui`.

use crate::paths::{check_runtime_dir, RuntimeDirError};
use crate::protocol::{to_line, Notice, Request, Response, MAX_MESSAGE};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long to wait for the daemon's answer.
const REPLY_TIMEOUT: Duration = Duration::from_secs(5);

/// Talking to the daemon failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("Respite is not running (no daemon at {0})")]
    NotRunning(PathBuf),
    #[error("cannot talk to Respite at {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("Respite sent an answer this version does not understand: {0}")]
    BadReply(String),
    #[error(transparent)]
    Unsafe(#[from] RuntimeDirError),
}

/// Connects to the daemon at `socket`, once its folder is known to be this user's private one
/// ([`check_runtime_dir`]): a socket in a folder someone else made could be theirs.
pub fn connect(socket: &Path) -> Result<UnixStream, ClientError> {
    if let Some(folder) = socket.parent() {
        match check_runtime_dir(folder) {
            Ok(()) => {}
            Err(RuntimeDirError::Inspect { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                return Err(ClientError::NotRunning(socket.to_owned()));
            }
            Err(e) => return Err(ClientError::Unsafe(e)),
        }
    }
    UnixStream::connect(socket).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => ClientError::NotRunning(socket.to_owned()),
        _ => ClientError::Io { path: socket.to_owned(), source },
    })
}

/// Sends `request` and returns the daemon's response.
pub fn request(socket: &Path, request: &Request) -> Result<Response, ClientError> {
    let io_err = |source| ClientError::Io { path: socket.to_owned(), source };
    let mut stream = connect(socket)?;
    stream.set_read_timeout(Some(REPLY_TIMEOUT)).map_err(io_err)?;
    stream.write_all(to_line(request).as_bytes()).map_err(io_err)?;
    let mut line = String::new();
    BufReader::new(stream.take(MAX_MESSAGE as u64 * 8)).read_line(&mut line).map_err(io_err)?;
    serde_json::from_str(&line).map_err(|e| ClientError::BadReply(format!("{e}: {line:?}")))
}

/// Subscribes to notices; the iterator ends when the daemon closes the connection.
pub fn subscribe(socket: &Path) -> Result<impl Iterator<Item = Result<Notice, ClientError>>, ClientError> {
    let mut stream = connect(socket)?;
    stream
        .write_all(to_line(&Request::Subscribe).as_bytes())
        .map_err(|source| ClientError::Io { path: socket.to_owned(), source })?;
    let path = socket.to_owned();
    Ok(BufReader::new(stream).lines().map(move |line| {
        let line = line.map_err(|source| ClientError::Io { path: path.clone(), source })?;
        serde_json::from_str(&line).map_err(|e| ClientError::BadReply(format!("{e}: {line:?}")))
    }))
}
