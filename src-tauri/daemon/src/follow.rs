//! `respite status --follow`: what the tray shows, as one line of JSON per change, for panels
//! without a tray (waybar's custom module, polybar, i3blocks).
//!
//! It never polls: it subscribes to the daemon's notices and prints each [`Notice::Glance`]
//! (the daemon sends the current one first, so a panel is never empty). Each line is waybar's
//! custom-module JSON, `{"text", "tooltip", "class", "alt"}`, with the state (`running`,
//! `paused`, `on_break`, `focus`) as class and alt, flushed at once. When the daemon stops, or
//! is not running at all, it prints a last line with class `stopped` and exits with 3, the
//! CLI's "not running" code; the panel starts it again (waybar: `restart-interval`).

use respite_core::client::{self, ClientError};
use respite_core::protocol::{Mode, Notice};
use respite_core::text::Texts;
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// The exit code once Respite is not (or no longer) running.
const NOT_RUNNING: u8 = 3;

/// One line for the panel: waybar's custom-module format.
#[derive(Debug, PartialEq, Eq, Serialize)]
struct PanelLine {
    text: String,
    tooltip: String,
    class: &'static str,
    alt: &'static str,
}

impl PanelLine {
    fn glance(texts: &Texts, state: Mode, info: &str) -> Self {
        PanelLine { text: info.to_owned(), tooltip: texts.fill("tray.tooltip", &[("info", &info)]), class: state.as_str(), alt: state.as_str() }
    }

    fn stopped(texts: &Texts) -> Self {
        PanelLine { text: texts.get("panel.stopped").to_owned(), tooltip: texts.get("panel.stopped.tooltip").to_owned(), class: "stopped", alt: "stopped" }
    }

    fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("a panel line always serializes");
        line.push('\n');
        line
    }
}

/// Follows the daemon at `socket`, writing lines to `out` until it stops; see the module
/// documentation. A closed `out` (the panel went away) ends it quietly.
pub fn follow(socket: &Path, texts: &Texts, out: &mut impl Write) -> ExitCode {
    let written = match client::subscribe(socket) {
        Ok(notices) => print_notices(notices, texts, out),
        Err(ClientError::NotRunning(_)) => Ok(()),
        Err(e) => {
            eprintln!("respite: {e}");
            Ok(())
        }
    };
    match written.and_then(|()| write_line(out, &PanelLine::stopped(texts))) {
        Ok(()) => ExitCode::from(NOT_RUNNING),
        Err(_) => ExitCode::SUCCESS,
    }
}

/// Prints each change until the daemon says it stops or the connection ends.
fn print_notices(notices: impl Iterator<Item = Result<Notice, ClientError>>, texts: &Texts, out: &mut impl Write) -> io::Result<()> {
    let mut last = None;
    for notice in notices {
        match notice {
            Ok(Notice::Glance { state, info }) => {
                let line = PanelLine::glance(texts, state, &info);
                if last.as_ref() != Some(&line) {
                    write_line(out, &line)?;
                    last = Some(line);
                }
            }
            Ok(Notice::ShuttingDown) => break,
            Ok(_) => {}
            // A notice this version does not know (a newer daemon): not for us.
            Err(ClientError::BadReply(_)) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

fn write_line(out: &mut impl Write, line: &PanelLine) -> io::Result<()> {
    out.write_all(line.to_line().as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use respite_core::protocol::to_line;
    use respite_core::text::is_pseudo;
    use std::io::{BufRead, BufReader};
    use std::os::unix::net::UnixListener;

    /// A stand-in daemon at a socket in `dir` that answers a subscription with `lines`, then
    /// closes the connection.
    fn daemon(dir: &Path, lines: Vec<String>) -> std::path::PathBuf {
        let socket = dir.join("control.sock");
        let listener = UnixListener::bind(&socket).unwrap();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut request = String::new();
            BufReader::new(&stream).read_line(&mut request).unwrap();
            assert_eq!(request, "{\"cmd\":\"subscribe\"}\n");
            for line in lines {
                // The follower hangs up after the shutdown notice: later lines may fail.
                let _ = stream.write_all(line.as_bytes());
            }
        });
        socket
    }

    fn glance(state: Mode, info: &str) -> String {
        to_line(&Notice::Glance { state, info: info.into() })
    }

    #[test]
    fn each_change_is_one_waybar_line_and_the_end_says_stopped() {
        let dir = tempfile::tempdir().unwrap();
        // As the daemon makes its runtime folder: clients use only a private one.
        std::fs::set_permissions(dir.path(), <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o700)).unwrap();
        let socket = daemon(
            dir.path(),
            vec![
                glance(Mode::Running, "Next: Stretch in 12 min"),
                glance(Mode::Running, "Next: Stretch in 12 min"),
                to_line(&Notice::BreakEnded { break_id: 1, outcome: respite_core::record::Outcome::Skipped }),
                "{\"event\":\"from_the_future\"}\n".into(),
                glance(Mode::Paused, "Paused until 10:30"),
                to_line(&Notice::ShuttingDown),
                glance(Mode::Running, "after the end"),
            ],
        );
        let mut out = Vec::new();
        let code = follow(&socket, &Texts::english(), &mut out);
        assert_eq!(code, ExitCode::from(NOT_RUNNING));
        let lines: Vec<serde_json::Value> = String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(
            lines,
            [
                serde_json::json!({"text": "Next: Stretch in 12 min", "tooltip": "Respite — Next: Stretch in 12 min", "class": "running", "alt": "running"}),
                serde_json::json!({"text": "Paused until 10:30", "tooltip": "Respite — Paused until 10:30", "class": "paused", "alt": "paused"}),
                serde_json::json!({"text": "Respite is not running", "tooltip": Texts::english().get("panel.stopped.tooltip"), "class": "stopped", "alt": "stopped"}),
            ],
            "a repeated glance is not printed twice; other notices and unknown ones are not printed"
        );
    }

    #[test]
    fn without_a_daemon_it_says_stopped_at_once_in_the_locale() {
        let dir = tempfile::tempdir().unwrap();
        // As the daemon makes its runtime folder: clients use only a private one.
        std::fs::set_permissions(dir.path(), <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o700)).unwrap();
        let mut out = Vec::new();
        assert_eq!(follow(&dir.path().join("nobody.sock"), &Texts::pseudo(), &mut out), ExitCode::from(NOT_RUNNING));
        let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(line["class"], "stopped");
        for key in ["text", "tooltip"] {
            assert!(is_pseudo(line[key].as_str().unwrap()), "{line}");
        }
    }

    #[test]
    fn a_closed_panel_ends_it_quietly() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let dir = tempfile::tempdir().unwrap();
        // As the daemon makes its runtime folder: clients use only a private one.
        std::fs::set_permissions(dir.path(), <std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o700)).unwrap();
        let socket = daemon(dir.path(), vec![glance(Mode::Running, "Next: Walk in 5 min")]);
        assert_eq!(follow(&socket, &Texts::english(), &mut Closed), ExitCode::SUCCESS);
    }
}
