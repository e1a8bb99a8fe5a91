//! The weekly summary notification: the first time the person is at the screen in a new week,
//! one notification says last week's summary is ready (with its headline), and a restart does not
//! say it again.

use chrono::{FixedOffset, Timelike, Utc};
use respite_core::store::Store;
use respite_core::summary::synthetic::{seed, Profile};
use respite_core::calendar::Week;
use respite_core::summary::week_summary;
use respite_core::text;
use respite_e2e::Session;
use std::fs;
use std::time::Duration;

const READY: &str = "Your weekly summary is ready";

#[test]
fn the_first_active_moment_of_a_week_announces_last_weeks_summary_once() {
    let mut session = Session::headless();
    // A zone where it is about midday now, so the "not before 05:00" rule never gets in the way of
    // this test, whenever it runs. Etc/GMT-N is UTC+N.
    let offset = 12 - i32::try_from(Utc::now().hour()).unwrap();
    let tz = format!("Etc/GMT{}{}", if offset >= 0 { "-" } else { "+" }, offset.abs());
    let zone = FixedOffset::east_opt(offset * 3600).unwrap();
    let last_week = Week::of(Utc::now().with_timezone(&zone).date_naive()).previous();
    let mut store = Store::open(&session.data_dir().join("respite.sqlite3")).expect("open the break log");
    seed(&mut store, last_week.monday(), 7, &zone, Profile::DEFAULTS, 11).expect("seed last week");
    let headline = week_summary(&store, last_week, &zone, &respite_core::workhours::WorkHours::default(), Utc::now()).expect("last week's summary").headline;
    drop(store);
    let texts = text::texts();
    let expected = format!(
        "Last week: {} breaks taken ({}), {} at the screen.",
        headline.breaks_taken,
        texts.percent(headline.compliance.expect("breaks were due")),
        texts.duration(headline.screen_secs)
    );

    let notifications = session.record_notifications();
    let mut daemon = session.spawn_daemon_with(&[("TZ", &tz)]);
    let sent = session.wait_for(Duration::from_secs(20), "the summary notification", || {
        let sent = fs::read_to_string(&notifications).unwrap_or_default();
        sent.contains(READY).then_some(sent)
    });
    assert!(sent.contains(&expected), "the headline is in it, {expected:?}: {sent}");
    assert!(sent.contains("Open summary"), "it offers to open the summary: {sent}");
    let remembered = fs::read_to_string(session.root.path().join(".local/state/respite/summary-announced")).unwrap();
    assert_eq!(remembered.trim(), last_week.to_string());
    session.quit();
    assert!(session.wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());

    // Started again the same week: not announced again. The runtime looks for a week to announce
    // on every turn of its loop, from the first, and answers one request a turn: two answers
    // from the new daemon mean it has looked, with the person present (no idle source here, so
    // never away). An announcement is logged before its notification is sent.
    let mut daemon = session.spawn_daemon_with(&[("TZ", &tz)]);
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    let status = session.status().expect("the daemon answers again");
    assert_eq!(status["away"], false, "{status}");
    let log = session.daemon_log();
    assert_eq!(log.matches("announcing the weekly summary").count(), 1, "announced by the first start only:\n{log}");
    let sent = fs::read_to_string(&notifications).unwrap();
    assert_eq!(sent.matches(READY).count(), 1, "{sent}");
    session.quit();
    assert!(session.wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap()).success());
}
