//! The control socket as a trust boundary: the real daemon is sent extreme and malformed
//! requests — zeros and maxima, negative years, huge ids, deep nesting, invalid UTF-8, lines of
//! 100 KB, and a few hundred generated ones — and must answer each (or close), keep answering
//! `status`, log what it refused, and quit cleanly afterwards.

use respite_e2e::Session;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// Sends `bytes` as one message and returns the daemon's answer line, if it gave one.
fn send(session: &Session, bytes: &[u8]) -> Option<String> {
    let mut stream = UnixStream::connect(session.runtime_dir().join("respite/control.sock")).expect("connect to the daemon");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    // A write may fail once the daemon has stopped reading a message that is too long.
    let _ = stream.write_all(bytes);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).ok().filter(|n| *n > 0).map(|_| line)
}

/// A small deterministic generator (xorshift), so a failure can be replayed from its seed.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }

    /// A JSON value, often an extreme one.
    fn value(&mut self, depth: u32) -> String {
        let extremes = ["0", "-1", "18446744073709551615", "18446744073709551616", "-9223372036854775808", "1e400", "3.5", "null", "true", "\"\"", "\"\\u0000\"", "\"-9999-W01\"", "\"2026-W99\"", "\"2026-W53\"", "\"+275760-W01\"", "\"ü💥\""];
        match self.next() % 6 {
            0 if depth < 3 => format!("[{}]", self.value(depth + 1)),
            1 if depth < 3 => format!("{{\"{}\":{}}}", self.pick(&["for_secs", "week", "energy", "x"]), self.value(depth + 1)),
            _ => self.pick(&extremes).to_owned(),
        }
    }

    fn request(&mut self) -> String {
        let cmd = self.pick(&["status", "break", "pause", "resume", "skip", "postpone", "finish", "shown", "focus", "open", "self_check", "nonsense"]);
        let mut fields = vec![format!("\"cmd\":\"{cmd}\"")];
        for _ in 0..self.next() % 3 {
            let key = self.pick(&["kind", "length", "break_id", "on", "window", "week", "answers", "extra"]);
            let value = match key {
                "length" if self.next().is_multiple_of(2) => format!("{{\"for_secs\":{}}}", self.value(2)),
                "answers" if self.next().is_multiple_of(2) => format!("{{\"energy\":{},\"closeness\":{},\"accomplishment\":{}}}", self.value(2), self.value(2), self.value(2)),
                _ => self.value(0),
            };
            fields.push(format!("\"{key}\":{value}"));
        }
        format!("{{{}}}\n", fields.join(","))
    }
}

#[test]
fn extreme_and_malformed_requests_never_stop_the_daemon() {
    let session = Session::headless();
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());

    // The one line that used to kill the daemon (an overflow in the clock) is now refused.
    let answer = send(&session, b"{\"cmd\":\"pause\",\"length\":{\"for_secs\":18446744073709551615}}\n").expect("an answer");
    assert!(answer.contains("\"ok\":false") && answer.contains("7 days"), "{answer}");
    let answer = send(&session, b"{\"cmd\":\"pause\",\"length\":{\"for_secs\":0}}\n").expect("an answer");
    assert!(answer.contains("\"ok\":false"), "{answer}");

    let mut handmade: Vec<Vec<u8>> = vec![
        b"{\"cmd\":\"pause\",\"length\":{\"for_secs\":-1}}\n".to_vec(),
        b"{\"cmd\":\"skip\",\"break_id\":18446744073709551615}\n".to_vec(),
        b"{\"cmd\":\"open\",\"window\":\"nothing\"}\n".to_vec(),
        b"{\"cmd\":\"self_check\",\"week\":\"-9999-W01\",\"answers\":{\"energy\":1,\"closeness\":1,\"accomplishment\":1}}\n".to_vec(),
        b"{\"cmd\":\"self_check\",\"week\":\"2026-W01\",\"answers\":{\"energy\":255,\"closeness\":0,\"accomplishment\":9}}\n".to_vec(),
        b"{\"cmd\":\"status\",\"extra\":1}\n".to_vec(),
        b"\xff\xfe{\"cmd\":\"status\"}\n".to_vec(),
        b"\n".to_vec(),
        b"null\n".to_vec(),
        b"{}\n".to_vec(),
        b"[\"status\"]\n".to_vec(),
        b"{\"cmd\":\"status\"".to_vec(),
    ];
    handmade.push([vec![b'['; 5000], b"\n".to_vec()].concat());
    handmade.push([b"{\"cmd\":\"status\",\"x\":\"".to_vec(), vec![b'a'; 100 * 1024], b"\"}\n".to_vec()].concat());
    for message in &handmade {
        let answer = send(&session, message);
        assert!(answer.as_deref().is_none_or(|a| a.contains("\"ok\":false")), "{:?} was accepted: {answer:?}", String::from_utf8_lossy(&message[..message.len().min(80)]));
    }
    // Harmless ones are answered, whatever the answer.
    for message in [&b"{\"cmd\":\"shown\",\"break_id\":0}\n"[..], b"{\"cmd\":\"shown\",\"break_id\":18446744073709551615}\n"] {
        assert!(send(&session, message).is_some(), "{:?} got no answer", String::from_utf8_lossy(message));
    }
    assert!(session.status().is_some(), "the daemon answers after the handmade requests");

    let seed = 0x005E_ED0F_2026_u64;
    let mut noise = Noise(seed);
    for round in 0..400 {
        let request = noise.request();
        let _ = send(&session, request.as_bytes());
        if round % 50 == 49 {
            assert!(daemon.try_wait().expect("daemon state").is_none(), "the daemon died after {request:?} (seed {seed:#x}, round {round})\n{}", session.daemon_log());
            assert!(session.status().is_some(), "no status after {request:?} (seed {seed:#x}, round {round})");
        }
    }
    // Whatever the generated requests did (a break, a pause), the daemon still obeys.
    let _ = session.respite(&["resume"]);
    let status = session.status().expect("the daemon still answers");
    assert!(status["state"].is_string(), "{status}");
    assert!(session.daemon_log().contains("refused"), "refused requests are logged:\n{}", session.daemon_log());
    session.quit();
    assert!(daemon.wait().expect("daemon exit").success());
}

/// Subscribes; returns the stream once the daemon's first notice (the current glance) came, or
/// `None` when the daemon closed it instead.
fn subscribe(session: &Session) -> Option<UnixStream> {
    let mut stream = UnixStream::connect(session.runtime_dir().join("respite/control.sock")).expect("connect to the daemon");
    stream.write_all(b"{\"cmd\":\"subscribe\"}\n").expect("subscribe");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut line = String::new();
    let read = BufReader::new(stream.try_clone().expect("clone")).read_line(&mut line).ok()?;
    (read > 0 && line.contains("glance")).then_some(stream)
}

#[test]
fn subscribers_are_capped_and_the_ones_gone_make_room() {
    let session = Session::headless();
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    let mut held = Vec::new();
    let mut refused = 0;
    for _ in 0..80 {
        match subscribe(&session) {
            Some(stream) => held.push(stream),
            None => refused += 1,
        }
    }
    assert_eq!((held.len(), refused), (64, 16), "64 subscribers at most");
    assert!(session.daemon_log().contains("64 subscribers already"), "{}", session.daemon_log());
    assert!(session.status().is_some(), "requests are still answered");
    drop(held);
    assert!(subscribe(&session).is_some(), "subscribers that left make room at once");
    session.quit();
    assert!(daemon.wait().expect("daemon exit").success());
}
