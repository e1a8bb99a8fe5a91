//! A break at a fixed time of day comes at that local time: the real daemon in a time zone set
//! for the test (India, UTC+05:30, so a half-hour offset would show), its clock sped up 60
//! times, with every rhythm break off so only the fixed one can come.

use chrono::{Duration as Minutes, Timelike, Utc};
use respite_e2e::{wait_for, Session};
use std::time::Duration;

const ZONE: &str = "Asia/Kolkata";

#[test]
fn a_fixed_time_break_comes_at_its_local_time_and_is_logged_as_fixed() {
    let session = Session::headless();
    // Five to six minutes from now, local time in the zone (five to six seconds at 60 times).
    let local = Utc::now().with_timezone(&chrono::FixedOffset::east_opt(5 * 3600 + 30 * 60).unwrap()) + Minutes::minutes(6);
    let at = format!("{:02}:{:02}", local.hour(), local.minute());
    session.write_settings(&format!(
        "[eye]\nenabled = false\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[sound]\nenabled = false\n\
         [fixed]\nbreaks = [{{ at = \"{at}\", days = \"daily\", kind = \"stretch\", duration = \"2m\" }}]\n"
    ));
    let mut daemon = session.spawn_daemon_with(&[("TZ", ZONE), ("RESPITE_TIME_SCALE", "60"), ("RESPITE_UI_BIN", "/bin/true")]);
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    let on_break = session.wait_for(Duration::from_secs(30), "the fixed-time break", || {
        let out = session.respite_with(&["status", "--json"], &[("TZ", ZONE)]);
        let status: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        (status["state"] == "on_break").then_some(status)
    });
    let current = &on_break["current"];
    assert_eq!(current["trigger"], "fixed", "{on_break}");
    assert_eq!(current["kind"], "stretch", "{on_break}");
    assert_eq!(current["covers"], serde_json::json!([]), "no other kind is on: {on_break}");
    let started = current["started_at"].as_str().unwrap();
    assert!(started.contains(&format!("T{at}:")) && started.ends_with("+05:30"), "started at {started}, due at {at} in {ZONE}");
    assert!(session.respite(&["skip"]).status.success());
    let rows = wait_for(Duration::from_secs(10), "the break in the log", || Some(session.export()).filter(|rows| !rows.is_empty()));
    assert_eq!(rows[0]["trigger"], "fixed", "{rows:?}");
    assert_eq!(rows[0]["outcome"], "skipped", "{rows:?}");
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}
