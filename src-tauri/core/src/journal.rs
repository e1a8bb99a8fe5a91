//! The journal: how the daemon writes to the store without ever losing a record or stalling.
//!
//! Every write goes through a queue. A write that fails because the database is locked, the disk
//! is full or the folder is read-only stays queued (bounded, oldest dropped last) and is retried
//! with growing delays, in order; the runtime wakes for [`Journal::retry_at`]. A database that
//! cannot be opened at all is opened again at the next retry. A damaged database found at open
//! is moved aside and replaced ([`Store::open_or_recover`]). The journal never reads a clock:
//! the caller passes the time.

use crate::record::BreakRecord;
use crate::schedule::FocusRound;
use crate::selfcheck::Answers;
use crate::calendar::Week;
use crate::workhours::Span;
use crate::store::{OpenBreak, Recovery, Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Most writes kept in memory while the database cannot take them.
pub const QUEUE_LIMIT: usize = 10_000;
/// First retry delay; doubles up to [`MAX_RETRY`].
const FIRST_RETRY: Duration = Duration::from_secs(1);
const MAX_RETRY: Duration = Duration::from_secs(60);

/// One write to make.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Write {
    /// Remember the break on screen.
    Open(OpenBreak),
    /// Log a finished break (and forget the open one when `closes_open`).
    Record { record: BreakRecord, closes_open: bool },
    /// Log time at the screen.
    Activity(Span),
    /// Log a focus round.
    FocusRound(FocusRound),
    /// Save a week's self-check answers.
    SelfCheck { week: Week, answers: Answers, at: DateTime<Utc> },
}

/// Something the user should be told, once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JournalNotice {
    /// Writing stopped working; records are kept in memory.
    Failing(String),
    /// Writing works again; every kept record is saved.
    Recovered { saved: usize },
    /// A damaged database was set aside and a fresh one started.
    Replaced(Recovery),
}

/// See the module documentation.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    store: Option<Store>,
    queue: VecDeque<Write>,
    /// Why the last write or open failed, while it keeps failing.
    problem: Option<String>,
    delay: Duration,
    retry_at: Option<Duration>,
    dropped: usize,
    notices: Vec<JournalNotice>,
}

impl Journal {
    /// Opens the database at `path` (recovering a damaged one). Never fails: if the database
    /// cannot be opened now, writes are queued and the open is retried.
    pub fn open(path: &Path, wall: DateTime<Utc>, mono: Duration) -> Self {
        let mut journal = Self {
            path: path.to_owned(),
            store: None,
            queue: VecDeque::new(),
            problem: None,
            delay: FIRST_RETRY,
            retry_at: None,
            dropped: 0,
            notices: Vec::new(),
        };
        journal.try_open(wall, mono);
        journal
    }

    /// The open store, when there is one (for start-up work such as recovery).
    pub fn store_mut(&mut self) -> Option<&mut Store> {
        self.store.as_mut()
    }

    /// Remembers the break on screen. A break an earlier run left there, not recovered because
    /// the database did not open at start, is logged as `interrupted` in the same write
    /// ([`Store::open_break`]).
    pub fn open_break(&mut self, open: OpenBreak, wall: DateTime<Utc>, mono: Duration) {
        self.push(Write::Open(open), wall, mono);
    }

    /// Logs the break that was on screen, closing its open row ([`Journal::open_break`]).
    pub fn break_ended(&mut self, record: BreakRecord, wall: DateTime<Utc>, mono: Duration) {
        self.push(Write::Record { record, closes_open: true }, wall, mono);
    }

    /// Logs a break that never went on screen (skipped or postponed ahead, taken naturally).
    pub fn logged(&mut self, record: BreakRecord, wall: DateTime<Utc>, mono: Duration) {
        self.push(Write::Record { record, closes_open: false }, wall, mono);
    }

    /// Logs time at the screen.
    pub fn activity(&mut self, span: Span, wall: DateTime<Utc>, mono: Duration) {
        self.push(Write::Activity(span), wall, mono);
    }

    /// Logs a focus round.
    pub fn focus_round(&mut self, round: FocusRound, wall: DateTime<Utc>, mono: Duration) {
        self.push(Write::FocusRound(round), wall, mono);
    }

    /// Saves a week's self-check answers (replacing that week's earlier ones).
    pub fn self_check(&mut self, week: Week, answers: Answers, wall: DateTime<Utc>, mono: Duration) {
        self.push(Write::SelfCheck { week, answers, at: wall }, wall, mono);
    }

    /// Deletes breaks due before `before` (retention), with the screen time, focus rounds and
    /// self-check answers from before then ([`Store::delete_before`]). Skipped, and said so in the log by the
    /// caller, while the database is not open.
    pub fn delete_before(&mut self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        match self.store.as_mut() {
            Some(store) => store.delete_before(before),
            None => Ok(0),
        }
    }

    /// When [`Journal::retry`] should run, if writes are waiting.
    pub fn retry_at(&self) -> Option<Duration> {
        self.retry_at
    }

    /// Tries the waiting writes again (call at [`Journal::retry_at`]).
    pub fn retry(&mut self, wall: DateTime<Utc>, mono: Duration) {
        if self.store.is_none() {
            self.try_open(wall, mono);
        }
        self.flush(mono);
    }

    /// Writes not yet in the database.
    pub fn waiting(&self) -> usize {
        self.queue.len()
    }

    /// Why writing fails, while it does.
    pub fn problem(&self) -> Option<String> {
        let problem = self.problem.as_ref()?;
        let mut text = format!("Cannot save breaks ({problem}); {} kept in memory and retried", self.queue.len());
        if self.dropped > 0 {
            text.push_str(&format!("; {} older ones dropped (limit {QUEUE_LIMIT})", self.dropped));
        }
        Some(text)
    }

    /// What happened since the last call that the user should be told.
    pub fn take_notices(&mut self) -> Vec<JournalNotice> {
        std::mem::take(&mut self.notices)
    }

    fn try_open(&mut self, wall: DateTime<Utc>, mono: Duration) {
        match Store::open_or_recover(&self.path, wall) {
            Ok((store, recovery)) => {
                self.store = Some(store);
                if let Some(recovery) = recovery {
                    self.notices.push(JournalNotice::Replaced(recovery));
                }
            }
            Err(e) => self.failed(&e, mono),
        }
    }

    fn push(&mut self, write: Write, wall: DateTime<Utc>, mono: Duration) {
        self.queue.push_back(write);
        while self.queue.len() > QUEUE_LIMIT {
            self.queue.pop_front();
            self.dropped += 1;
        }
        if self.retry_at.is_some() {
            return; // failing: keep order, wait for the retry
        }
        if self.store.is_none() {
            self.try_open(wall, mono);
        }
        self.flush(mono);
    }

    /// Writes queued items in order until one fails.
    fn flush(&mut self, mono: Duration) {
        let Some(store) = self.store.as_mut() else { return };
        let mut saved = 0;
        while let Some(write) = self.queue.front() {
            let result = match write {
                Write::Open(open) => store.open_break(open).map(drop),
                Write::Record { record, closes_open: true } => store.record_ended(record).map(drop),
                Write::Record { record, closes_open: false } => store.record(record).map(drop),
                Write::Activity(span) => store.activity(span),
                Write::FocusRound(round) => store.focus_round(round),
                Write::SelfCheck { week, answers, at } => store.save_self_check(*week, *answers, *at),
            };
            match result {
                Ok(()) => {
                    self.queue.pop_front();
                    saved += 1;
                }
                Err(e) => {
                    self.failed(&e, mono);
                    return;
                }
            }
        }
        if self.problem.take().is_some() {
            self.notices.push(JournalNotice::Recovered { saved });
        }
        self.delay = FIRST_RETRY;
        self.retry_at = None;
    }

    fn failed(&mut self, error: &StoreError, mono: Duration) {
        let first = self.problem.is_none();
        self.problem = Some(if error.is_locked() { format!("the database is locked by another program: {error}") } else { error.to_string() });
        if first {
            self.notices.push(JournalNotice::Failing(self.problem().unwrap_or_default()));
        }
        self.retry_at = Some(mono + self.delay);
        self.delay = (self.delay * 2).min(MAX_RETRY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{BreakKind, Outcome, Trigger};
    use chrono::TimeZone;
    use rusqlite::Connection;

    fn wall() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    fn record(n: i64) -> BreakRecord {
        crate::record::sample_record(BreakKind::Eye, wall() + chrono::Duration::minutes(n), Outcome::Completed)
    }

    fn logged(path: &Path) -> Vec<BreakRecord> {
        Store::open_read_only(path).unwrap().breaks(None, None).unwrap().into_iter().map(|b| b.record).collect()
    }

    #[test]
    fn a_locked_database_queues_records_and_saves_them_in_order_once_free() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut journal = Journal::open(&path, wall(), Duration::ZERO);
        journal.logged(record(0), wall(), Duration::ZERO);

        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        journal.logged(record(1), wall(), Duration::from_secs(10));
        journal.logged(record(2), wall(), Duration::from_secs(11));
        assert_eq!(journal.waiting(), 2);
        assert!(journal.problem().unwrap().contains("locked by another program"), "{:?}", journal.problem());
        assert!(matches!(journal.take_notices().as_slice(), [JournalNotice::Failing(_)]));
        assert_eq!(journal.retry_at(), Some(Duration::from_secs(11)), "first retry one second after the failure");

        journal.retry(wall(), Duration::from_secs(11));
        assert_eq!(journal.retry_at(), Some(Duration::from_secs(13)), "still locked: the delay doubles");
        other.execute_batch("COMMIT").unwrap();
        journal.retry(wall(), Duration::from_secs(13));
        assert_eq!((journal.waiting(), journal.problem(), journal.retry_at()), (0, None, None));
        assert_eq!(journal.take_notices(), vec![JournalNotice::Recovered { saved: 2 }]);
        assert_eq!(logged(&path), vec![record(0), record(1), record(2)]);
    }

    #[test]
    fn a_full_database_keeps_records_until_there_is_room() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let mut journal = Journal::open(&path, wall(), Duration::ZERO);
        let pages: i64 = journal.store.as_ref().unwrap().pragma("page_count");
        journal.store.as_ref().unwrap().set_pragma("max_page_count", pages);
        let mut n = 0;
        while journal.problem().is_none() {
            journal.logged(record(n), wall(), Duration::ZERO);
            n += 1;
            assert!(n < 10_000, "the database never filled up");
        }
        assert!(journal.problem().unwrap().contains("full"), "{:?}", journal.problem());
        for _ in 0..5 {
            journal.logged(record(n), wall(), Duration::ZERO);
            n += 1;
        }
        journal.store.as_ref().unwrap().set_pragma("max_page_count", 1_000_000);
        journal.retry(wall(), Duration::from_secs(1));
        assert_eq!(journal.waiting(), 0);
        assert_eq!(logged(&path), (0..n).map(record).collect::<Vec<_>>(), "every record, in order");
    }

    #[test]
    fn an_unopenable_database_is_opened_at_a_later_retry() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("not-a-folder");
        std::fs::write(&blocker, "a file where the data folder should be").unwrap();
        let path = blocker.join("db");
        let mut journal = Journal::open(&path, wall(), Duration::ZERO);
        journal.logged(record(0), wall(), Duration::ZERO);
        assert_eq!(journal.waiting(), 1);
        assert!(journal.problem().unwrap().contains("cannot create the data folder"), "{:?}", journal.problem());
        std::fs::remove_file(&blocker).unwrap();
        journal.retry(wall(), Duration::from_secs(1));
        assert_eq!(journal.waiting(), 0);
        assert_eq!(logged(&path), vec![record(0)]);
    }

    #[test]
    fn a_break_left_on_screen_is_logged_when_the_database_opens_only_later() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        // The last run died during a stretch break.
        let earlier = OpenBreak { kind: BreakKind::Stretch, covers: vec![], trigger: Trigger::Scheduled, due_at: wall(), started_at: wall(), planned_secs: 300, style: Default::default() };
        Store::open(&path).unwrap().open_break(&earlier).unwrap();
        // This run starts while another program holds the database: nothing can be recovered.
        let other = Connection::open(&path).unwrap();
        other.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; DELETE FROM breaks;").unwrap();
        let mut journal = Journal::open(&path, wall(), Duration::ZERO);
        assert!(journal.store_mut().is_none(), "the database did not open");
        let next = record(10);
        let open = OpenBreak { kind: next.kind, covers: vec![], trigger: next.trigger, due_at: next.due_at, started_at: next.due_at, planned_secs: 20, style: Default::default() };
        journal.open_break(open, wall(), Duration::from_secs(600));
        journal.break_ended(next.clone(), wall(), Duration::from_secs(620));
        assert_eq!(journal.waiting(), 2);

        other.execute_batch("ROLLBACK").unwrap();
        drop(other);
        journal.retry(wall(), journal.retry_at().unwrap());
        assert_eq!(journal.waiting(), 0);
        let outcomes: Vec<_> = logged(&path).into_iter().map(|r| (r.kind, r.outcome)).collect();
        assert_eq!(outcomes, [(BreakKind::Stretch, Outcome::Interrupted), (BreakKind::Eye, Outcome::Completed)]);
    }

    #[test]
    fn the_queue_is_bounded_and_says_how_many_it_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let mut journal = Journal::open(&blocker.join("db"), wall(), Duration::ZERO);
        for n in 0..(QUEUE_LIMIT as i64 + 3) {
            journal.logged(record(n), wall(), Duration::ZERO);
        }
        assert_eq!(journal.waiting(), QUEUE_LIMIT);
        assert!(journal.problem().unwrap().contains("3 older ones dropped"));
    }
}
