//! Where the log goes. Every command logs to standard error; the daemon also writes a file a day
//! in the XDG state dir (`~/.local/state/respite/respite.2026-11-23.log`, dated in UTC), and the
//! oldest is removed once there are more than [`KEEP_FILES`]. `RUST_LOG` sets what is logged
//! (default: `info` for the daemon, `warn` for other commands). `respite log` reads the newest
//! lines back ([`recent`]).
//!
//! tracing-appender does the daily files and their removal: it is the tracing project's own
//! writer, and a daemon that logs a few lines an hour needs nothing finer than a day. A day's
//! file is capped at [`DAY_CAP`] bytes ([`Capped`]): past it, one line says so and the rest of
//! that day's lines go to standard error only, so a fault that logs in a loop, or a client that
//! sends bad requests all day, can never fill the disk (at most a week of capped files).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{filter::Targets, fmt};

/// How many daily files are kept.
pub const KEEP_FILES: usize = 7;
/// The most a day's log file grows to, in bytes.
pub const DAY_CAP: u64 = 10 * 1024 * 1024;
const PREFIX: &str = "respite";
const SUFFIX: &str = "log";

/// Sends a panic's message and place to the log (then to the default hook, which prints it and,
/// in a release build, aborts): a daemon that stops says why where the person will look.
fn log_panics() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let thread = std::thread::current().name().unwrap_or("unnamed").to_owned();
        tracing::error!("a fault (panic) in the {thread} thread: {info}");
        default_hook(info);
    }));
}

/// Sets up logging: to standard error, and with `file_dir` also to a file a day there.
pub fn init(default_level: &str, file_dir: Option<&Path>) {
    log_panics();
    // `RUST_LOG` as `level` or `target=level,…` (tracing's Targets: the directives people
    // write, without EnvFilter's regular expressions, 200 KB of the binary); a value it cannot
    // read falls back to the default, and says so below.
    let wanted = std::env::var("RUST_LOG").ok().filter(|v| !v.trim().is_empty());
    let parsed = wanted.as_deref().map(str::parse::<Targets>);
    let unreadable = matches!(parsed, Some(Err(_)));
    let filter = match parsed {
        Some(Ok(targets)) => targets,
        _ => default_level.parse::<Targets>().unwrap_or_default(),
    };
    let (file, problem) = match file_dir.map(daily_files) {
        Some(Ok(appender)) => (Some(fmt::layer().with_ansi(false).with_writer(Capped::new(appender, DAY_CAP, utc_today))), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    tracing_subscriber::registry().with(filter).with(fmt::layer().with_writer(io::stderr)).with(file).init();
    if unreadable {
        tracing::warn!("RUST_LOG={:?} is not a level or target=level list: logging at {default_level}", wanted.unwrap_or_default());
    }
    if let (Some(dir), Some(e)) = (file_dir, problem) {
        tracing::warn!("cannot write the log in {}: {e}; logging to standard error only", dir.display());
    }
}

fn daily_files(dir: &Path) -> Result<RollingFileAppender, String> {
    // The appender would complain on stderr about a missing folder before creating it.
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(PREFIX)
        .filename_suffix(SUFFIX)
        .max_log_files(KEEP_FILES)
        .build(dir)
        .map_err(|e| e.to_string())
}

fn utc_today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A writer that passes at most `cap` bytes a day (UTC, as the files are dated) to `inner`,
/// then one line saying the cap was reached, then nothing more until the next day.
pub struct Capped<W> {
    inner: W,
    cap: u64,
    today: fn() -> chrono::NaiveDate,
    /// The day counted, the bytes written that day, and whether the cap was announced.
    day: std::sync::Mutex<(chrono::NaiveDate, u64, bool)>,
}

impl<W> Capped<W> {
    pub fn new(inner: W, cap: u64, today: fn() -> chrono::NaiveDate) -> Self {
        Self { inner, cap, today, day: std::sync::Mutex::new((today(), 0, false)) }
    }
}

impl<'a, W: MakeWriter<'a> + 'a> MakeWriter<'a> for Capped<W> {
    type Writer = CappedWriter<'a, W>;

    fn make_writer(&'a self) -> Self::Writer {
        CappedWriter { capped: self }
    }
}

/// One write through a [`Capped`].
pub struct CappedWriter<'a, W> {
    capped: &'a Capped<W>,
}

impl<'a, W: MakeWriter<'a>> io::Write for CappedWriter<'a, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let capped = self.capped;
        let mut day = capped.day.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let today = (capped.today)();
        if day.0 != today {
            *day = (today, 0, false);
        }
        let size = u64::try_from(buf.len()).unwrap_or(u64::MAX);
        if day.1.saturating_add(size) > capped.cap {
            if !day.2 {
                day.2 = true;
                let notice = format!("the log reached {} MB today: later lines today go to standard error only\n", capped.cap / (1024 * 1024));
                capped.inner.make_writer().write_all(notice.as_bytes())?;
            }
            // Dropped from the file, not an error: the other layers still print it.
            return Ok(buf.len());
        }
        day.1 += size;
        capped.inner.make_writer().write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.capped.inner.make_writer().flush()
    }
}

/// The log files in `dir`, oldest first.
pub fn files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.file_name().and_then(|n| n.to_str()).is_some_and(is_log_name))
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    // The date in the name sorts as text.
    files.sort();
    Ok(files)
}

/// `respite.2026-11-23.log`
fn is_log_name(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .and_then(|rest| rest.strip_suffix('.'))
        .is_some_and(|date| date.len() == 10 && date.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
}

/// The last `count` lines logged in `dir`, oldest first, across the daily files.
pub fn recent(dir: &Path, count: usize) -> io::Result<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for file in files(dir)?.iter().rev() {
        if lines.len() >= count {
            break;
        }
        let text = fs::read(file)?;
        let text = String::from_utf8_lossy(&text);
        let wanted = count - lines.len();
        let mut newest_first: Vec<String> = text.lines().rev().take(wanted).map(str::to_owned).collect();
        lines.append(&mut newest_first);
    }
    lines.reverse();
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_lines_run_across_days_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("respite.2026-11-21.log"), "a1\na2\n").unwrap();
        fs::write(dir.path().join("respite.2026-11-22.log"), "b1\nb2\nb3\n").unwrap();
        fs::write(dir.path().join("respite.2026-11-23.log"), "c1\n").unwrap();
        fs::write(dir.path().join("notes.txt"), "not a log\n").unwrap();
        assert_eq!(recent(dir.path(), 3).unwrap(), ["b2", "b3", "c1"]);
        assert_eq!(recent(dir.path(), 100).unwrap(), ["a1", "a2", "b1", "b2", "b3", "c1"]);
        assert!(recent(&dir.path().join("missing"), 10).unwrap().is_empty());
    }

    #[test]
    fn a_day_s_file_stops_growing_at_the_cap_says_so_once_and_starts_again_the_next_day() {
        use std::io::Write as _;
        use std::sync::atomic::{AtomicI64, Ordering};
        static DAY: AtomicI64 = AtomicI64::new(0);
        fn fake_today() -> chrono::NaiveDate {
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::Duration::days(DAY.load(Ordering::SeqCst))
        }
        let file = tempfile::NamedTempFile::new().unwrap();
        let sink = std::sync::Mutex::new(file.reopen().unwrap());
        let capped = Capped::new(sink, 1000, fake_today);
        let line = [b'x'; 99];
        for _ in 0..50 {
            capped.make_writer().write_all(&[&line[..], b"\n"].concat()).unwrap();
        }
        let text = fs::read_to_string(file.path()).unwrap();
        let notices = text.matches("the log reached").count();
        assert_eq!(notices, 1, "{text}");
        assert_eq!(text.len() - text.lines().last().unwrap().len() - 1, 1000, "ten full lines, then the notice");
        DAY.store(1, Ordering::SeqCst);
        capped.make_writer().write_all(b"a new day\n").unwrap();
        assert!(fs::read_to_string(file.path()).unwrap().ends_with("a new day\n"), "the next day writes again");
    }

    #[test]
    fn the_appender_keeps_a_week_of_files() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=9 {
            fs::write(dir.path().join(format!("respite.2026-11-0{day}.log")), "old\n").unwrap();
            // The appender removes the files created first (by creation time, not by name), as
            // the daemon makes them a day apart; the kernel's file clock ticks every few ms.
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // Building the appender prunes the oldest files past the limit (it counts today's too).
        let _appender = daily_files(dir.path()).unwrap();
        let left = files(dir.path()).unwrap();
        // Today's file is opened at once, so the newest KEEP_FILES - 1 old ones stay beside it.
        assert_eq!(left.len(), KEEP_FILES, "{left:?}");
        let first_kept = format!("respite.2026-11-0{}.log", 9 - (KEEP_FILES - 1) + 1);
        assert!(left[0].ends_with(&first_kept), "the oldest are removed: {left:?}");
    }
}
