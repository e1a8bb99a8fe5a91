//! The whole runtime loop without a desktop: a clock 240 times faster than real time, a real
//! SQLite break log in a temporary folder, `/bin/true` standing in for `respite-ui` (so no break
//! window ever comes up), and recorded notifications and chimes. Minutes of schedule pass in a
//! second or two; the test waits for the log, never for a fixed time.

use super::*;
use crate::effects::{Effects, Media, Notifier, Speaker};
use crate::media::PausedPlayer;
use crate::notify::{Choice, Withdraw};
use respite_core::clock::ScaledClock;
use respite_core::record::Outcome;
use respite_core::store::Store;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

/// A notification: its summary, its body, and its action's label if it offers one.
type Shown = (String, String, Option<String>);

#[derive(Clone, Default)]
struct Recorded {
    notifications: Arc<Mutex<Vec<Shown>>>,
    chimes: Arc<Mutex<Vec<Chime>>>,
    /// "pause" and "resume", as the runtime asked.
    media: Arc<Mutex<Vec<&'static str>>>,
}

impl Media for Recorded {
    fn pause_playing(&mut self) -> Vec<PausedPlayer> {
        self.media.lock().unwrap().push("pause");
        vec![PausedPlayer { name: "org.mpris.MediaPlayer2.stand-in".into(), position: Some(0) }]
    }

    fn resume(&mut self, _paused: Vec<PausedPlayer>) {
        self.media.lock().unwrap().push("resume");
    }
}

impl Notifier for Recorded {
    fn send(&self, summary: String, body: String) {
        self.notifications.lock().unwrap().push((summary, body, None));
    }

    fn ask(&self, summary: String, body: String, choice: Choice) -> Withdraw {
        let labels = choice.actions.iter().map(|(_, label)| label.as_str()).collect::<Vec<_>>().join(" | ");
        self.notifications.lock().unwrap().push((summary, body, Some(labels)));
        Withdraw::nothing()
    }
}

impl Speaker for Recorded {
    fn chime(&self, chime: Chime, _volume: u8) {
        self.chimes.lock().unwrap().push(chime);
    }
}

/// Waits (polling the log, at most `limit`) until `done` says yes.
fn wait_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn scheduled_breaks_run_their_course_with_notice_chimes_and_a_record_without_a_desktop() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("respite.sqlite3");
    let (settings, problems) = respite_core::settings::parse(
        "[eye]\ninterval = \"1m\"\nduration = \"20s\"\nnotice = \"10s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[sound]\nenabled = true\nvolume = 40\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let clock = Box::new(ScaledClock::new(240));
    let now = clock.now();
    let journal = Journal::open(&database, now.wall, now.mono);
    let (inputs, received) = mpsc::channel();
    let recorded = Recorded::default();
    let effects = Effects {
        launcher: Launcher::new(inputs.clone(), settings.overlay, Some("/bin/true".into())),
        notifier: Box::new(recorded.clone()),
        speaker: Box::new(recorded.clone()),
        media: Box::new(recorded.clone()),
        locker: Box::new(crate::lock::DesktopLocker),
    };
    let senses = LiveSenses::new(Box::new(crate::senses::NoIdle), Vec::new());
    let runtime = Runtime::new(clock, senses, inputs.clone(), &settings, journal, effects, Vec::new());
    let running = std::thread::spawn(move || runtime.run(received));

    // Two eye rests: due at 1 and 2 min 20 s of schedule, about 0.6 s of real time apart.
    let completed = || {
        Store::open_read_only(&database)
            .and_then(|store| store.breaks(None, None))
            .map(|rows| rows.iter().filter(|row| row.record.kind == BreakKind::Eye && row.record.outcome == Outcome::Completed).count())
            .unwrap_or(0)
    };
    wait_until(Duration::from_secs(30), "two completed eye rests in the log", || completed() >= 2);
    let (reply, answer) = mpsc::channel();
    inputs.send(Input::Request { request: Request::Quit, reply: Some(reply) }).unwrap();
    assert!(answer.recv_timeout(Duration::from_secs(10)).unwrap().ok);
    running.join().expect("the runtime ends without a panic");

    let rows = Store::open_read_only(&database).unwrap().breaks(None, None).unwrap();
    let eye: Vec<_> = rows.iter().filter(|row| row.record.kind == BreakKind::Eye).collect();
    assert!(eye.len() >= 2, "{rows:?}");
    for row in eye.iter().take(2) {
        assert_eq!(row.record.outcome, Outcome::Completed, "{row:?}");
        assert_eq!(row.record.shown, Some(false), "the stand-in shows no window, and the record says so: {row:?}");
        assert_eq!(row.record.planned_secs, 20);
    }
    let chimes = recorded.chimes.lock().unwrap().clone();
    assert!(chimes.starts_with(&[Chime::Start, Chime::End, Chime::Start, Chime::End]), "a chime as each break starts and ends: {chimes:?}");
    assert_eq!(*recorded.media.lock().unwrap(), Vec::<&str>::new(), "eye rests leave the music playing (pause_media is off for them)");
    let texts = text::texts();
    let notices: Vec<_> = recorded
        .notifications
        .lock()
        .unwrap()
        .iter()
        .filter(|(summary, _, action)| summary.starts_with(&texts.kind_title(BreakKind::Eye)) && action.is_some())
        .cloned()
        .collect();
    assert!(notices.len() >= 2, "the notice before each break, offering to postpone: {:?}", recorded.notifications.lock().unwrap());
    assert_eq!(notices[0].1, texts.get("notify.notice.body"));
}
