//! Working hours in real zones, around both DST changes of 2026 in Europe/Berlin (CET +1, CEST +2;
//! 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00) and America/New_York (EST -5, EDT -4;
//! 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00). Every expected instant is worked out by
//! hand and written in UTC; the four change days are Sundays.

use super::*;
use chrono::SecondsFormat;
use chrono_tz::America::New_York;
use chrono_tz::Europe::Berlin;
use proptest::prelude::*;

const ALL_DAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("test instant").with_timezone(&Utc)
}

fn show(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn hours(text: &str) -> Option<DayHours> {
    parse_day(text).expect("test hours")
}

fn time(text: &str) -> NaiveTime {
    hours(&format!("{text}-{text}")).expect("test time").start
}

/// Hours only on the days listed.
fn only(days: &[(Weekday, &str)]) -> WorkHours {
    let off = ALL_DAYS.iter().fold(WorkHours::default(), |w, d| w.with_day(*d, None));
    days.iter().fold(off, |w, (d, text)| w.with_day(*d, hours(text)))
}

fn every_day(text: &str) -> WorkHours {
    only(&ALL_DAYS.map(|d| (d, text)))
}

/// The next `n` changes after `from`, as text.
fn changes<Z: TimeZone>(w: &WorkHours, from: &str, n: usize, zone: &Z) -> Vec<String> {
    let mut at = utc(from);
    let mut out = Vec::new();
    for _ in 0..n {
        let Some(next) = w.next_change(at, zone) else { break };
        out.push(show(next));
        at = next;
    }
    out
}

fn spans<Z: TimeZone>(w: &WorkHours, start: &str, end: &str, zone: &Z) -> Vec<(String, String, bool)> {
    w.split(utc(start), utc(end), zone).iter().map(|s| (show(s.start), show(s.end), s.after_hours)).collect()
}

fn span(start: &str, end: &str, after_hours: bool) -> (String, String, bool) {
    (start.to_string(), end.to_string(), after_hours)
}

#[test]
fn default_is_office_hours_on_weekdays() {
    let w = WorkHours::default();
    assert_eq!(w.day(Weekday::Mon), hours("09:00-18:00"));
    assert_eq!(w.day(Weekday::Fri), hours("09:00-18:00"));
    assert_eq!(w.day(Weekday::Sat), None);
    assert_eq!(w.day(Weekday::Sun), None);
    // Monday 2026-03-02, CET: 09:00 is 08:00Z, 18:00 is 17:00Z.
    assert!(!w.is_working(utc("2026-03-02T07:59:59Z"), &Berlin));
    assert!(w.is_working(utc("2026-03-02T08:00:00Z"), &Berlin));
    assert!(w.is_working(utc("2026-03-02T16:59:59Z"), &Berlin));
    assert!(!w.is_working(utc("2026-03-02T17:00:00Z"), &Berlin));
    assert_eq!(
        changes(&w, "2026-03-02T06:00:00Z", 3, &Berlin),
        ["2026-03-02T08:00:00Z", "2026-03-02T17:00:00Z", "2026-03-03T08:00:00Z"]
    );
    // Strictly after: standing on a change gives the next one.
    assert_eq!(w.next_change(utc("2026-03-02T08:00:00Z"), &Berlin), Some(utc("2026-03-02T17:00:00Z")));
}

#[test]
fn the_weekend_is_off() {
    let w = WorkHours::default();
    let saturday_noon = utc("2026-03-07T11:00:00Z");
    assert!(!w.is_working(saturday_noon, &Berlin));
    assert!(!w.is_working(utc("2026-03-08T11:00:00Z"), &Berlin));
    assert_eq!(w.next_change(saturday_noon, &Berlin), Some(utc("2026-03-09T08:00:00Z")));
    assert_eq!(w.next_day_start(saturday_noon, &Berlin), Some(utc("2026-03-09T08:00:00Z")));
    // Friday's end is the last change of the week.
    assert_eq!(w.next_change(utc("2026-03-06T12:00:00Z"), &Berlin), Some(utc("2026-03-06T17:00:00Z")));
}

#[test]
fn a_night_shift_runs_past_midnight() {
    let w = only(&[(Weekday::Mon, "22:00-06:00")]);
    let shift = w.day(Weekday::Mon).expect("monday");
    assert!(shift.overnight());
    assert_eq!(shift.to_string(), "22:00-06:00");
    // Monday 2026-03-02 22:00 CET is 21:00Z; Tuesday 06:00 CET is 05:00Z. Tuesday itself is off.
    assert!(!w.is_working(utc("2026-03-02T20:59:59Z"), &Berlin));
    assert!(w.is_working(utc("2026-03-02T21:00:00Z"), &Berlin));
    assert!(w.is_working(utc("2026-03-03T02:00:00Z"), &Berlin));
    assert!(w.is_working(utc("2026-03-03T04:59:59Z"), &Berlin));
    assert!(!w.is_working(utc("2026-03-03T05:00:00Z"), &Berlin));
    assert!(!w.is_working(utc("2026-03-01T23:00:00Z"), &Berlin), "Sunday night is off");
    assert_eq!(
        changes(&w, "2026-03-02T12:00:00Z", 3, &Berlin),
        ["2026-03-02T21:00:00Z", "2026-03-03T05:00:00Z", "2026-03-09T21:00:00Z"]
    );
    // Inside the shift, "tomorrow" is the next shift, not the next calendar day.
    assert_eq!(w.next_day_start(utc("2026-03-03T02:00:00Z"), &Berlin), Some(utc("2026-03-09T21:00:00Z")));
}

#[test]
fn ranges_that_touch_make_one_stretch_of_work() {
    let w = only(&[(Weekday::Mon, "22:00-06:00"), (Weekday::Tue, "06:00-14:00")]);
    assert_eq!(changes(&w, "2026-03-02T12:00:00Z", 2, &Berlin), ["2026-03-02T21:00:00Z", "2026-03-03T13:00:00Z"]);
    // All day every day: always working, never a change, and the hours still have a start.
    let always = every_day("00:00-24:00");
    assert_eq!(always.day(Weekday::Wed).map(|d| d.to_string()).as_deref(), Some("00:00-00:00"));
    assert!(always.is_working(utc("2026-03-29T01:30:00Z"), &Berlin));
    assert_eq!(always.next_change(utc("2026-03-29T01:30:00Z"), &Berlin), None);
    assert_eq!(always.next_day_start(utc("2026-03-29T01:30:00Z"), &Berlin), Some(utc("2026-03-29T22:00:00Z")));
}

#[test]
fn no_hours_at_all_means_no_changes() {
    let never = only(&[]);
    let at = utc("2026-03-02T12:00:00Z");
    assert!(!never.is_working(at, &Berlin));
    assert_eq!(never.next_change(at, &Berlin), None);
    assert_eq!(never.next_day_start(at, &Berlin), None);
    assert_eq!(
        never.split(at, utc("2026-03-02T13:00:00Z"), &Berlin),
        [Span { start: at, end: utc("2026-03-02T13:00:00Z"), after_hours: true }]
    );
}

#[test]
fn parse_reads_settings_text_and_explains_mistakes() {
    let nine_to_six = DayHours { start: hm(9, 0), end: hm(18, 0) };
    assert_eq!(parse_day("09:00-18:00"), Ok(Some(nine_to_six)));
    assert_eq!(parse_day(" 9:00 - 17:30 "), Ok(Some(DayHours { start: hm(9, 0), end: hm(17, 30) })));
    assert_eq!(parse_day("22:00-06:00"), Ok(Some(DayHours { start: hm(22, 0), end: hm(6, 0) })));
    assert_eq!(parse_day("08:00-24:00"), Ok(Some(DayHours { start: hm(8, 0), end: NaiveTime::MIN })));
    assert_eq!(parse_day("off"), Ok(None));
    assert_eq!(parse_day(" OFF "), Ok(None));
    assert_eq!(parse_day(""), Ok(None));
    assert_eq!(nine_to_six.to_string(), "09:00-18:00");
    assert_eq!(parse_day(&nine_to_six.to_string()), Ok(Some(nine_to_six)));

    assert_eq!(parse_day("9-17").map_err(|e| e.english()), Err(r#"expected HH:MM-HH:MM or "off", got "9-17""#.to_string()));
    assert_eq!(parse_day("09:00").map_err(|e| e.english()), Err(r#"expected HH:MM-HH:MM or "off", got "09:00""#.to_string()));
    assert_eq!(parse_day("9.00-17.00").map_err(|e| e.english()), Err(r#"expected HH:MM-HH:MM or "off", got "9.00-17.00""#.to_string()));
    assert_eq!(parse_day("09:00-18:00-20:00").map_err(|e| e.english().starts_with("expected")), Err(true));
    assert_eq!(parse_day("25:00-26:00").map_err(|e| e.english()), Err("25:00 is not a time of day".to_string()));
    assert_eq!(parse_day("09:60-18:00").map_err(|e| e.english()), Err("09:60 is not a time of day".to_string()));
    assert_eq!(parse_day("22:00-24:00"), Ok(Some(DayHours { start: hm(22, 0), end: NaiveTime::MIN })));
    assert_eq!(parse_day("24:00-06:00").map_err(|e| e.english()), Err("24:00 is not a time of day".to_string()));
    assert_eq!(parse_day("09:00-24:30").map_err(|e| e.english()), Err("24:30 is not a time of day".to_string()));
}

#[test]
fn pause_until_tomorrow_waits_for_the_next_working_day() {
    let w = WorkHours::default();
    // Friday 2026-03-27 19:00 CET; Monday is already summer time: 09:00 CEST is 07:00Z.
    assert_eq!(w.next_day_start(utc("2026-03-27T18:00:00Z"), &Berlin), Some(utc("2026-03-30T07:00:00Z")));
    // Monday 07:00 CEST, before work: today's start.
    assert_eq!(w.next_day_start(utc("2026-03-30T05:00:00Z"), &Berlin), Some(utc("2026-03-30T07:00:00Z")));
    // At or after today's start: tomorrow's.
    assert_eq!(w.next_day_start(utc("2026-03-30T07:00:00Z"), &Berlin), Some(utc("2026-03-31T07:00:00Z")));
    assert_eq!(w.next_day_start(utc("2026-03-30T20:00:00Z"), &Berlin), Some(utc("2026-03-31T07:00:00Z")));
    // Friday evening in New York, across its spring change: Monday 09:00 EDT is 13:00Z.
    assert_eq!(w.next_day_start(utc("2026-03-06T23:30:00Z"), &New_York), Some(utc("2026-03-09T13:00:00Z")));
}

#[test]
fn berlin_spring_forward_moves_the_boundaries_an_hour_earlier_in_utc() {
    let w = every_day("09:00-18:00");
    assert_eq!(
        changes(&w, "2026-03-28T12:00:00Z", 5, &Berlin),
        [
            "2026-03-28T17:00:00Z", // Saturday 18:00 CET
            "2026-03-29T07:00:00Z", // Sunday 09:00 CEST
            "2026-03-29T16:00:00Z",
            "2026-03-30T07:00:00Z",
            "2026-03-30T16:00:00Z"
        ]
    );
}

#[test]
fn berlin_fall_back_moves_the_boundaries_an_hour_later_in_utc() {
    let w = every_day("09:00-18:00");
    assert_eq!(
        changes(&w, "2026-10-24T12:00:00Z", 5, &Berlin),
        [
            "2026-10-24T16:00:00Z", // Saturday 18:00 CEST
            "2026-10-25T08:00:00Z", // Sunday 09:00 CET
            "2026-10-25T17:00:00Z",
            "2026-10-26T08:00:00Z",
            "2026-10-26T17:00:00Z"
        ]
    );
}

#[test]
fn new_york_changes_land_on_the_right_instants() {
    let w = every_day("09:00-18:00");
    assert_eq!(
        changes(&w, "2026-03-07T18:00:00Z", 5, &New_York),
        [
            "2026-03-07T23:00:00Z", // Saturday 18:00 EST
            "2026-03-08T13:00:00Z", // Sunday 09:00 EDT
            "2026-03-08T22:00:00Z",
            "2026-03-09T13:00:00Z",
            "2026-03-09T22:00:00Z"
        ]
    );
    assert_eq!(
        changes(&w, "2026-10-31T16:00:00Z", 5, &New_York),
        [
            "2026-10-31T22:00:00Z", // Saturday 18:00 EDT
            "2026-11-01T14:00:00Z", // Sunday 09:00 EST
            "2026-11-01T23:00:00Z",
            "2026-11-02T14:00:00Z",
            "2026-11-02T23:00:00Z"
        ]
    );
}

#[test]
fn a_night_shift_across_the_change_is_an_hour_shorter_or_longer() {
    let w = only(&[(Weekday::Sat, "22:00-06:00")]);
    // Berlin spring: 22:00 CET (21:00Z) to 06:00 CEST (04:00Z), 7 hours.
    assert_eq!(changes(&w, "2026-03-28T20:00:00Z", 2, &Berlin), ["2026-03-28T21:00:00Z", "2026-03-29T04:00:00Z"]);
    assert!(w.is_working(utc("2026-03-29T01:00:00Z"), &Berlin), "03:00 CEST, just after the jump");
    assert!(w.is_working(utc("2026-03-29T03:59:59Z"), &Berlin));
    assert!(!w.is_working(utc("2026-03-29T04:00:00Z"), &Berlin));
    // Berlin autumn: 22:00 CEST (20:00Z) to 06:00 CET (05:00Z), 9 hours, both 02:30s inside.
    assert_eq!(changes(&w, "2026-10-24T12:00:00Z", 2, &Berlin), ["2026-10-24T20:00:00Z", "2026-10-25T05:00:00Z"]);
    assert!(w.is_working(utc("2026-10-25T00:30:00Z"), &Berlin));
    assert!(w.is_working(utc("2026-10-25T01:30:00Z"), &Berlin));
    // New York spring: 22:00 EST (03:00Z) to 06:00 EDT (10:00Z).
    assert_eq!(changes(&w, "2026-03-07T20:00:00Z", 2, &New_York), ["2026-03-08T03:00:00Z", "2026-03-08T10:00:00Z"]);
    // New York autumn: 22:00 EDT (02:00Z) to 06:00 EST (11:00Z).
    assert_eq!(changes(&w, "2026-10-31T20:00:00Z", 2, &New_York), ["2026-11-01T02:00:00Z", "2026-11-01T11:00:00Z"]);
}

#[test]
fn hours_starting_in_the_gap_or_the_repeat_start_at_the_resolved_instant() {
    let w = only(&[(Weekday::Sun, "02:30-10:00")]);
    // Berlin: 02:30 does not exist on 2026-03-29, so work starts at 03:00 CEST (01:00Z).
    assert_eq!(changes(&w, "2026-03-28T12:00:00Z", 2, &Berlin), ["2026-03-29T01:00:00Z", "2026-03-29T08:00:00Z"]);
    // Berlin: 02:30 happens twice on 2026-10-25; the first is 02:30 CEST (00:30Z).
    assert_eq!(changes(&w, "2026-10-24T12:00:00Z", 2, &Berlin), ["2026-10-25T00:30:00Z", "2026-10-25T09:00:00Z"]);
    // New York: 02:30 does not exist on 2026-03-08: 03:00 EDT (07:00Z).
    assert_eq!(changes(&w, "2026-03-07T12:00:00Z", 2, &New_York), ["2026-03-08T07:00:00Z", "2026-03-08T14:00:00Z"]);
    // New York: 01:30 happens twice on 2026-11-01; the first is 01:30 EDT (05:30Z).
    let w = only(&[(Weekday::Sun, "01:30-10:00")]);
    assert_eq!(changes(&w, "2026-10-31T12:00:00Z", 2, &New_York), ["2026-11-01T05:30:00Z", "2026-11-01T15:00:00Z"]);
    // Hours wholly inside the gap are no hours that day.
    let w = only(&[(Weekday::Sun, "02:10-02:50")]);
    assert!(!w.is_working(utc("2026-03-29T01:00:00Z"), &Berlin));
    assert_eq!(w.next_day_start(utc("2026-03-28T12:00:00Z"), &Berlin), Some(utc("2026-04-05T00:10:00Z")));
}

#[test]
fn split_cuts_at_midnight_and_at_working_hours_across_a_dst_night() {
    // Berlin autumn, office hours: Saturday evening to Monday morning. Sunday is 25 hours long.
    let w = WorkHours::default();
    assert_eq!(
        spans(&w, "2026-10-24T16:00:00Z", "2026-10-26T10:00:00Z", &Berlin),
        [
            span("2026-10-24T16:00:00Z", "2026-10-24T22:00:00Z", true), // to Sunday 00:00 CEST
            span("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", true), // to Monday 00:00 CET
            span("2026-10-25T23:00:00Z", "2026-10-26T08:00:00Z", true), // to Monday 09:00 CET
            span("2026-10-26T08:00:00Z", "2026-10-26T10:00:00Z", false),
        ]
    );
    // Berlin spring, a Saturday night shift: cut at its start, at midnight (still CET) and at its
    // end (already CEST).
    let w = only(&[(Weekday::Sat, "22:00-06:00")]);
    assert_eq!(
        spans(&w, "2026-03-28T20:00:00Z", "2026-03-29T06:00:00Z", &Berlin),
        [
            span("2026-03-28T20:00:00Z", "2026-03-28T21:00:00Z", true),
            span("2026-03-28T21:00:00Z", "2026-03-28T23:00:00Z", false),
            span("2026-03-28T23:00:00Z", "2026-03-29T04:00:00Z", false),
            span("2026-03-29T04:00:00Z", "2026-03-29T06:00:00Z", true),
        ]
    );
    // New York spring, the same shift: midnight is 05:00Z, the end 06:00 EDT is 10:00Z.
    assert_eq!(
        spans(&w, "2026-03-08T02:00:00Z", "2026-03-08T11:00:00Z", &New_York),
        [
            span("2026-03-08T02:00:00Z", "2026-03-08T03:00:00Z", true),
            span("2026-03-08T03:00:00Z", "2026-03-08T05:00:00Z", false),
            span("2026-03-08T05:00:00Z", "2026-03-08T10:00:00Z", false),
            span("2026-03-08T10:00:00Z", "2026-03-08T11:00:00Z", true),
        ]
    );
    assert!(w.split(utc("2026-03-08T05:00:00Z"), utc("2026-03-08T05:00:00Z"), &New_York).is_empty());
    assert!(w.split(utc("2026-03-08T06:00:00Z"), utc("2026-03-08T05:00:00Z"), &New_York).is_empty());
}

#[test]
fn next_local_time_in_the_gap_and_in_the_repeat() {
    let half_two = time("02:30");
    // Berlin spring: 02:30 does not exist on 2026-03-29; the reminder comes at 03:00 CEST.
    assert_eq!(next_local_time(utc("2026-03-28T23:00:00Z"), half_two, &Berlin), utc("2026-03-29T01:00:00Z"));
    assert_eq!(next_local_time(utc("2026-03-29T01:00:00Z"), half_two, &Berlin), utc("2026-03-30T00:30:00Z"));
    // Berlin autumn: 02:30 happens twice on 2026-10-25; only the first counts.
    assert_eq!(next_local_time(utc("2026-10-24T22:00:00Z"), half_two, &Berlin), utc("2026-10-25T00:30:00Z"));
    assert_eq!(next_local_time(utc("2026-10-25T00:30:00Z"), half_two, &Berlin), utc("2026-10-26T01:30:00Z"));
    // New York: 02:30 is in the gap on 2026-03-08, 01:30 in the repeat on 2026-11-01.
    assert_eq!(next_local_time(utc("2026-03-08T05:00:00Z"), half_two, &New_York), utc("2026-03-08T07:00:00Z"));
    let half_one = time("01:30");
    assert_eq!(next_local_time(utc("2026-11-01T04:00:00Z"), half_one, &New_York), utc("2026-11-01T05:30:00Z"));
    assert_eq!(next_local_time(utc("2026-11-01T05:30:00Z"), half_one, &New_York), utc("2026-11-02T06:30:00Z"));
    // An ordinary evening.
    assert_eq!(next_local_time(utc("2026-03-02T12:00:00Z"), time("22:30"), &Berlin), utc("2026-03-02T21:30:00Z"));
    assert_eq!(next_local_time(utc("2026-03-02T21:30:00Z"), time("22:30"), &Berlin), utc("2026-03-03T21:30:00Z"));
}

#[test]
fn a_gap_at_midnight_starts_the_day_after_the_gap() {
    // Sao Paulo went from -03 to -02 at midnight on 2018-11-04: the day began at 01:00 (03:00Z).
    let sao_paulo = chrono_tz::America::Sao_Paulo;
    assert_eq!(next_local_time(utc("2018-11-03T12:00:00Z"), NaiveTime::MIN, &sao_paulo), utc("2018-11-04T03:00:00Z"));
    let w = only(&[(Weekday::Sat, "20:00-00:00"), (Weekday::Sun, "00:00-08:00")]);
    assert_eq!(changes(&w, "2018-11-03T12:00:00Z", 2, &sao_paulo), ["2018-11-03T23:00:00Z", "2018-11-04T10:00:00Z"]);
    assert_eq!(
        spans(&w, "2018-11-03T22:00:00Z", "2018-11-04T11:00:00Z", &sao_paulo),
        [
            span("2018-11-03T22:00:00Z", "2018-11-03T23:00:00Z", true),
            span("2018-11-03T23:00:00Z", "2018-11-04T03:00:00Z", false),
            span("2018-11-04T03:00:00Z", "2018-11-04T10:00:00Z", false),
            span("2018-11-04T10:00:00Z", "2018-11-04T11:00:00Z", true),
        ]
    );
}

#[test]
fn works_with_the_local_zone_and_fixed_offsets() {
    // The daemon's zone depends on the machine: check only that it is usable.
    let now = Utc::now();
    let w = WorkHours::default();
    let _ = w.is_working(now, &chrono::Local);
    assert!(w.next_change(now, &chrono::Local).is_some_and(|t| t > now));
    assert!(w.next_day_start(now, &chrono::Local).is_some_and(|t| t > now));
    assert!(next_local_time(now, time("22:30"), &chrono::Local) > now);
    let tokyo = chrono::FixedOffset::east_opt(9 * 3600).expect("offset");
    assert_eq!(w.next_day_start(utc("2026-03-02T12:00:00Z"), &tokyo), Some(utc("2026-03-03T00:00:00Z")));
}

const SAMPLE_HOURS: [&str; 8] =
    ["off", "09:00-18:00", "22:00-06:00", "00:00-24:00", "02:30-03:30", "01:15-02:45", "06:00-22:00", "18:00-09:00"];

fn zone_and_hours() -> impl Strategy<Value = (bool, WorkHours)> {
    (any::<bool>(), proptest::array::uniform7(0..SAMPLE_HOURS.len())).prop_map(|(berlin, picks)| {
        let w =
            ALL_DAYS.iter().zip(picks).fold(WorkHours::default(), |w, (d, i)| w.with_day(*d, hours(SAMPLE_HOURS[i])));
        (berlin, w)
    })
}

fn check_invariants<Z: TimeZone>(w: &WorkHours, at: DateTime<Utc>, zone: &Z) -> Result<(), TestCaseError> {
    let working = w.is_working(at, zone);
    if let Some(next) = w.next_change(at, zone) {
        prop_assert!(next > at);
        prop_assert_ne!(w.is_working(next, zone), working, "no change at {}", next);
        prop_assert_eq!(w.is_working(next - TimeDelta::seconds(1), zone), working);
        prop_assert_eq!(w.is_working(at + (next - at) / 2, zone), working);
    }
    if let Some(start) = w.next_day_start(at, zone) {
        prop_assert!(start > at);
        prop_assert!(w.is_working(start, zone));
    }
    let end = at + TimeDelta::days(3);
    let spans = w.split(at, end, zone);
    prop_assert_eq!(spans.first().map(|s| s.start), Some(at));
    prop_assert_eq!(spans.last().map(|s| s.end), Some(end));
    for pair in spans.windows(2) {
        prop_assert_eq!(pair[0].end, pair[1].start);
    }
    for s in &spans {
        prop_assert!(s.start < s.end);
        prop_assert_eq!(local_date(s.start, zone), local_date(s.end - TimeDelta::seconds(1), zone));
        prop_assert_eq!(s.after_hours, !w.is_working(s.end - TimeDelta::seconds(1), zone));
    }
    Ok(())
}

proptest! {
    /// Around the year's DST changes and everywhere else: a change really is one, nothing changes
    /// before it, and split's spans tile the stretch, each within a day and of one kind.
    #[test]
    fn changes_and_spans_agree_with_is_working(
        (berlin, w) in zone_and_hours(),
        minute in 0i64..(366 * 24 * 60),
    ) {
        let at = utc("2026-01-01T00:00:00Z") + TimeDelta::minutes(minute);
        if berlin {
            check_invariants(&w, at, &Berlin)?;
        } else {
            check_invariants(&w, at, &New_York)?;
        }
    }
}
