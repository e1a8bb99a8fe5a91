//! The weekly "your summary is ready" notification: once a week, the first time the person is at
//! the screen in a new week (from 05:00; [`respite_core::summary::announce`] decides), for the
//! week before, if anything was logged in it. Choosing it opens the summary window on that week.
//! The last week announced is kept in a small file in the state dir, so a restart does not
//! announce it again.

use crate::effects::Notifier;
use crate::notify;
use crate::input::Input;
use chrono::{DateTime, Local, Utc};
use respite_core::protocol::{Request, WindowName};
use respite_core::store::Store;
use respite_core::summary::announce::week_to_announce;
use respite_core::calendar::Week;
use respite_core::summary::{week_summary, Summary};
use respite_core::text;
use respite_core::workhours::WorkHours;
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long the notification offers to open the summary.
const OFFER_FOR: Duration = Duration::from_secs(4 * 3600);

/// Remembers which week's summary was announced.
#[derive(Debug, Default)]
pub struct Announcer {
    /// Where the last announced week is kept; `None`: only for this run (tests).
    file: Option<PathBuf>,
    announced: Option<Week>,
}

impl Announcer {
    /// The announcer whose memory is `file` (`2026-W47`); a missing or unreadable file means
    /// nothing was announced yet.
    pub fn with_file(file: PathBuf) -> Self {
        let announced = std::fs::read_to_string(&file).ok().and_then(|text| text.trim().parse().ok());
        Self { file: Some(file), announced }
    }

    /// Announces last week's summary if it is time and someone is at the screen.
    /// `hours` cut other devices' time at the screen into during and after hours.
    pub fn check(&mut self, now: DateTime<Utc>, present: bool, store: Option<&Store>, hours: &WorkHours, inputs: &Sender<Input>, notifier: &dyn Notifier) {
        if !present {
            return;
        }
        let Some(week) = week_to_announce(now, &Local, self.announced) else { return };
        let Some(store) = store else { return }; // the log cannot be read now: try again later
        match week_summary(store, week, &Local, hours, now) {
            Ok(summary) if summary.is_empty => tracing::info!(%week, "nothing logged last week: no summary to announce"),
            Ok(summary) => announce(&summary, inputs.clone(), notifier),
            Err(e) => {
                tracing::warn!(%week, "cannot read last week's summary: {e}");
                return;
            }
        }
        self.remember(week);
    }

    fn remember(&mut self, week: Week) {
        self.announced = Some(week);
        if let Some(file) = &self.file {
            let written = file.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(file, format!("{week}\n")));
            if let Err(e) = written {
                tracing::warn!("cannot remember that {week} was announced in {}: {e}", file.display());
            }
        }
    }
}

fn announce(summary: &Summary, inputs: Sender<Input>, notifier: &dyn Notifier) {
    let week = summary.week;
    tracing::info!(%week, "announcing the weekly summary");
    let headline = &summary.headline;
    let texts = text::texts();
    let screen = texts.duration(headline.screen_secs);
    let mut body = match headline.compliance {
        Some(share) => texts.count("notify.summary.body", u64::from(headline.breaks_taken), &[("percent", &texts.percent(share)), ("screen", &screen)]),
        None => texts.fill("notify.summary.body.nothing_due", &[("screen", &screen)]),
    };
    // With a shared history: each computer's time at the screen ("this computer 20 h, laptop 6 h").
    if !summary.devices.is_empty() {
        let shares: Vec<String> = summary
            .devices
            .iter()
            .map(|d| texts.fill("notify.summary.device", &[("name", &d.name.clone().unwrap_or_else(|| texts.get("summary.devices.this").to_owned())), ("screen", &texts.duration(d.screen_secs))]))
            .collect();
        body = format!("{body}\n{}", texts.fill("notify.summary.devices", &[("list", &texts.list(&shares))]));
    }
    notifier.offer(
        texts.get("notify.summary.title").to_owned(),
        body,
        notify::Action {
            key: "open",
            label: texts.get("notify.summary.open").to_owned(),
            lasts: OFFER_FOR,
            chosen: Box::new(move || {
                let _ = inputs.send(Input::Request { request: Request::Open { window: WindowName::Summary, week: Some(week) }, reply: None });
            }),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::{Choice, Withdraw};
    use chrono::TimeZone as _;
    use respite_core::devices::{scan, DeviceId, DeviceWriter};
    use std::sync::Mutex;

    /// Keeps the bodies of the notifications it is asked to show.
    #[derive(Default)]
    struct Bodies(Mutex<Vec<String>>);

    impl Notifier for Bodies {
        fn send(&self, _summary: String, body: String) {
            self.0.lock().unwrap().push(body);
        }

        fn ask(&self, _summary: String, body: String, _choice: Choice) -> Withdraw {
            self.0.lock().unwrap().push(body);
            Withdraw::nothing()
        }
    }

    #[test]
    fn with_a_shared_history_the_notification_gives_each_computers_time() {
        let mut store = Store::open_in_memory().unwrap();
        let monday = chrono::Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        store.activity(&respite_core::workhours::Span { start: monday, end: monday + chrono::Duration::hours(2), after_hours: false }).unwrap();
        let folder = tempfile::tempdir().unwrap();
        let laptop = DeviceWriter { folder: folder.path().to_owned(), id: DeviceId::random(), name: "laptop".into() };
        laptop.append_spans(&[(monday + chrono::Duration::hours(5), monday + chrono::Duration::hours(8))]).unwrap();
        laptop.write_header(monday).unwrap();
        store.import_devices(&scan(folder.path(), &DeviceId::random())).unwrap();
        let week = Week::containing(monday, &chrono::Utc);
        let summary = week_summary(&store, week, &chrono::Utc, &WorkHours::default(), monday + chrono::Duration::days(8)).unwrap();
        let bodies = Bodies::default();
        announce(&summary, std::sync::mpsc::channel().0, &bodies);
        let body = bodies.0.lock().unwrap().pop().unwrap();
        assert!(body.ends_with("By computer: This computer 2 h and laptop 3 h."), "{body}");
        assert!(body.contains("5 h at the screen"), "the week's time is both computers': {body}");
    }
}
