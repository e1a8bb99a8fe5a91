//! The wall-clock rules and the day's limits on the fake clock: breaks only in working hours,
//! fixed-time breaks, the screen-time budget, the person's own reminders, and how they combine
//! with calls, focus mode, midnight and DST.

use super::*;
use crate::schedule::{Budget, FixedBreak, Reminder, ReminderPlan, Timetable, Zone};
use chrono::NaiveTime;
use chrono_tz::Europe::Berlin;

const HOUR: Duration = Duration::from_secs(3600);

/// `hh:mm` local time in Berlin on `date` (y, m, d), as UTC.
fn berlin(y: i32, m: u32, d: u32, hh: u32, mm: u32) -> DateTime<Utc> {
    Berlin.with_ymd_and_hms(y, m, d, hh, mm, 0).earliest().unwrap().with_timezone(&Utc)
}

fn time(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap()
}

fn office_hours() -> WorkHours {
    let mut hours = WorkHours::default();
    for day in [chrono::Weekday::Sat, chrono::Weekday::Sun] {
        hours = hours.with_day(day, None);
    }
    hours
}

/// A world in Berlin starting at `start`, with these rules.
fn world(start: DateTime<Utc>, timetable: Timetable) -> World {
    let now = Now { mono: Duration::ZERO, wall: start };
    let mut s = Scheduler::new(Settings::default().plans(), now);
    s.set_timetable(Timetable { zone: Zone::Named(Berlin), ..timetable }, now);
    World::with(start, s)
}

fn lunch_walk() -> FixedBreak {
    FixedBreak { at: time("12:30"), days: [true, true, true, true, true, false, false], kind: BreakKind::Walk, duration: 30 * MIN }
}

fn local_starts(w: &World) -> Vec<(String, BreakKind, Trigger)> {
    w.started().iter().map(|(at, b)| (at.with_timezone(&Berlin).format("%a %H:%M").to_string(), b.kind, b.trigger)).collect()
}

#[test]
fn with_breaks_only_in_working_hours_none_come_outside_them_and_the_morning_starts_fresh() {
    // Monday 23 Nov 2026, 07:00 in Berlin; hours 09:00-18:00.
    let mut w = world(berlin(2026, 11, 23, 7, 0), Timetable { only_in_hours: true, hours: office_hours(), ..Timetable::default() });
    assert!(!w.s.in_break_hours());
    w.work(2 * HOUR - MIN); // to 08:59
    assert!(w.started().is_empty(), "no break before 09:00: {:?}", local_starts(&w));
    assert_eq!(w.s.elapsed(BreakKind::Eye), Duration::ZERO, "no active time counts toward a break outside hours");
    assert!(w.screen_time() >= HOUR, "screen time is still logged outside hours");
    w.work(22 * MIN); // to 09:21
    assert_eq!(local_starts(&w), [("Mon 09:20".to_owned(), BreakKind::Eye, Trigger::Scheduled)], "20 min after hours begin, not after 07:00");
    // From 17:50 on: breaks until 18:00, none after.
    w.work(8 * HOUR + 29 * MIN); // to 17:50
    w.clear();
    w.work(3 * HOUR);
    let six = berlin(2026, 11, 23, 18, 0);
    assert!(w.started().iter().all(|(at, _)| *at < six), "no break after 18:00: {:?}", local_starts(&w));
    assert!(!w.s.in_break_hours());
    assert!(w.screen_time() >= 2 * HOUR, "the evening's screen time is logged");
    // Late work, then the night: the next morning counts from 09:00 with no time carried over.
    w.away(14 * HOUR); // to Tuesday 10:50... away through 09:00
    w.clear();
    let start = w.clock.now().wall;
    w.work(21 * MIN);
    let first = w.started()[0].0;
    assert_eq!((first - start).num_minutes(), 20, "a fresh 20 min after coming back in hours");
}

#[test]
fn working_hours_that_run_past_midnight_hold_across_the_night_the_clocks_go_back() {
    // A night shift, 22:00-06:00 every day; on the night of 24-25 Oct 2026 Berlin's clocks go
    // back at 03:00, so that night's hours last nine hours by the wall.
    let mut hours = WorkHours::default();
    for day in chrono::Weekday::Mon.num_days_from_monday()..7 {
        let day = chrono::Weekday::try_from(day as u8).unwrap();
        hours = hours.with_day(day, crate::workhours::parse_day("22:00-06:00").unwrap());
    }
    let mut w = world(berlin(2026, 10, 24, 21, 0), Timetable { only_in_hours: true, hours, ..Timetable::default() });
    w.work(HOUR);
    assert!(w.started().is_empty(), "none before 22:00");
    w.work(9 * HOUR); // 22:00 → 06:00 local, nine real hours
    let starts = local_starts(&w);
    assert_eq!(starts.first().map(|s| s.0.as_str()), Some("Sat 22:20"));
    assert!(starts.iter().any(|s| s.0 == "Sun 02:40"), "02:xx happens twice that night, breaks in both: {starts:?}");
    let last = w.started().last().unwrap().0;
    assert!(last < berlin(2026, 10, 25, 6, 0), "the last break is before 06:00 local");
    w.clear();
    w.work(2 * HOUR);
    assert!(w.started().is_empty(), "none after 06:00");
}

#[test]
fn a_fixed_time_break_comes_at_its_local_time_counts_for_shorter_kinds_and_keeps_the_time_across_dst() {
    // Friday 23 Oct, then Monday 26 Oct 2026, after the clocks went back: 12:30 local both days.
    let mut w = world(berlin(2026, 10, 23, 12, 0), Timetable { fixed: vec![lunch_walk()], ..Timetable::default() });
    w.work(35 * MIN);
    let fixed: Vec<_> = w.started().into_iter().filter(|(_, b)| b.trigger == Trigger::Fixed).collect();
    assert_eq!(fixed.len(), 1);
    let (at, brk) = &fixed[0];
    assert_eq!(*at, berlin(2026, 10, 23, 12, 30));
    assert_eq!((brk.kind, brk.covers.clone(), brk.planned), (BreakKind::Walk, vec![BreakKind::Eye, BreakKind::Stretch], 30 * MIN));
    w.work(30 * MIN);
    let record = w.records().into_iter().find(|r| r.trigger == Trigger::Fixed).expect("logged like any break");
    assert_eq!(record.outcome, Outcome::Completed);
    assert_eq!(w.s.elapsed(BreakKind::Stretch), 5 * MIN, "the walk counted for the stretch: five minutes since it ended");
    // The weekend has none; Monday after the change has it at 12:30 local again.
    w.away(berlin(2026, 10, 26, 12, 0).signed_duration_since(w.clock.now().wall).to_std().unwrap());
    w.clear();
    w.work(31 * MIN);
    let fixed: Vec<_> = w.started().into_iter().filter(|(_, b)| b.trigger == Trigger::Fixed).map(|(at, _)| at).collect();
    assert_eq!(fixed, [berlin(2026, 10, 26, 12, 30)]);
    assert_eq!(fixed[0].with_timezone(&Berlin).format("%H:%M").to_string(), "12:30");
}

#[test]
fn a_fixed_time_break_is_skipped_when_away_or_paused_and_waits_during_a_call() {
    let start = berlin(2026, 11, 23, 12, 0);
    // Away over 12:30: no fixed break, nothing logged for it.
    let mut w = world(start, Timetable { fixed: vec![lunch_walk()], ..Timetable::default() });
    w.work(25 * MIN);
    w.away(10 * MIN);
    w.work(5 * MIN);
    assert!(w.started().iter().all(|(_, b)| b.trigger != Trigger::Fixed));
    assert!(w.records().iter().all(|r| r.trigger != Trigger::Fixed));
    // Paused over 12:30: skipped too.
    let mut w = world(start, Timetable { fixed: vec![lunch_walk()], ..Timetable::default() });
    w.command(Command::Pause(PauseLength::For(45 * MIN))).unwrap();
    w.work(50 * MIN);
    assert!(w.started().iter().all(|(_, b)| b.trigger != Trigger::Fixed));
    // In a call at 12:30: it waits, like any due break, and shows when the call ends.
    let mut w = world(start, Timetable { fixed: vec![lunch_walk()], ..Timetable::default() });
    w.work(29 * MIN);
    w.clear();
    w.desk.hold = Some(HoldReason::Camera);
    w.work(10 * MIN);
    assert!(w.started().is_empty());
    assert_eq!(w.s.holding(), Some(HoldReason::Camera));
    w.desk.hold = None;
    w.work(20 * SEC);
    let (at, brk) = w.started().into_iter().next().expect("shown after the call");
    assert_eq!(brk.trigger, Trigger::Fixed);
    assert!(at >= berlin(2026, 11, 23, 12, 39));
    assert_eq!(brk.held.map(|h| h.reason), Some(HoldReason::Camera));
    assert_eq!(brk.due_at, berlin(2026, 11, 23, 12, 30), "due at its time, whenever it showed");
}

#[test]
fn the_budget_gives_a_notice_ten_minutes_ahead_and_one_at_the_limit_even_in_focus_mode() {
    let budget_events = |w: &World| -> Vec<(DateTime<Utc>, String)> {
        w.events
            .iter()
            .filter_map(|(at, e)| match e {
                Event::BudgetNear { .. } => Some((*at, "near".to_owned())),
                Event::BudgetReached { overlay, .. } => Some((*at, format!("reached overlay={overlay}"))),
                _ => None,
            })
            .collect()
    };
    let start = berlin(2026, 11, 23, 9, 0);
    let mut w = world(start, Timetable::default());
    w.s.set_budget(Budget { daily: Some(2 * HOUR), overlay: false, strict: false });
    w.command(Command::StartFocus).unwrap();
    w.work(3 * HOUR);
    let seen = budget_events(&w);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1].1, "reached overlay=false");
    // Breaks are not screen time: the limit comes later than two hours of wall time.
    let screen_at = |at: DateTime<Utc>| -> Duration {
        w.events.iter().filter_map(|(_, e)| match e {
            Event::Active { start, end } if *end <= at => (*end - *start).to_std().ok(),
            _ => None,
        }).sum()
    };
    assert!(seen[1].0 > start + chrono::Duration::hours(2));
    let near = screen_at(seen[0].0 + chrono::Duration::seconds(1));
    assert!(near <= 110 * MIN + MIN, "the notice at 1 h 50 min of screen time, not later: {near:?}");
    assert!(w.s.screen_time_today(w.clock.now()) >= 2 * HOUR);
    assert!(w.s.focus().is_some(), "focus mode goes on");
    // Next day: counted afresh.
    w.away(berlin(2026, 11, 24, 9, 0).signed_duration_since(w.clock.now().wall).to_std().unwrap());
    assert!(w.s.screen_time_today(w.clock.now()) < MIN);
}

#[test]
fn with_its_overlay_the_budget_shows_one_break_that_says_so_and_time_spent_earlier_counts() {
    let start = berlin(2026, 11, 23, 15, 0);
    let mut w = world(start, Timetable::default());
    w.s.set_budget(Budget { daily: Some(8 * HOUR), overlay: true, strict: true });
    // Seven and a half hours were logged earlier today (a restart).
    w.s.seed_screen_time(7 * HOUR + 30 * MIN, w.clock.now());
    w.work(HOUR);
    let budget: Vec<_> = w.started().into_iter().filter(|(_, b)| b.trigger == Trigger::Budget).collect();
    assert_eq!(budget.len(), 1, "one overlay");
    assert!(budget[0].1.strict, "strict as set, whatever the kind's own setting");
    w.work(3 * HOUR);
    assert_eq!(w.started().iter().filter(|(_, b)| b.trigger == Trigger::Budget).count(), 1, "once a day");
    // Over the limit at start: no notice for what happened before.
    let mut w = world(start, Timetable::default());
    w.s.set_budget(Budget { daily: Some(HOUR), overlay: false, strict: false });
    w.s.seed_screen_time(2 * HOUR, w.clock.now());
    w.work(HOUR);
    assert!(!w.events.iter().any(|(_, e)| matches!(e, Event::BudgetNear { .. } | Event::BudgetReached { .. })));
}

#[test]
fn reminders_come_after_their_active_time_within_the_hourly_cap_and_a_tip_rides_on_the_next_break() {
    let mut w = world(berlin(2026, 11, 23, 9, 0), Timetable::default());
    let reminder = |text: &str, every: Duration, as_tip: bool| Reminder { text: text.to_owned(), every, as_tip };
    w.s.set_reminders(ReminderPlan {
        list: vec![reminder("Water", 10 * MIN, false), reminder("Posture", 15 * MIN, false), reminder("Look far", 5 * MIN, true)],
        per_hour: 2,
    });
    w.work(2 * HOUR);
    let sent: Vec<(DateTime<Utc>, String)> = w.events.iter().filter_map(|(at, e)| match e {
        Event::Reminder { text } => Some((*at, text.clone())),
        _ => None,
    }).collect();
    for (i, (at, _)) in sent.iter().enumerate() {
        let in_hour = sent.iter().filter(|(other, _)| *other <= *at && *at - *other < chrono::Duration::hours(1)).count();
        assert!(in_hour <= 2, "at most two in any hour, {i}: {sent:?}");
    }
    assert!(sent.len() >= 3, "the cap spreads them, it does not stop them: {sent:?}");
    assert!(sent.iter().any(|(_, t)| t == "Water") && sent.iter().any(|(_, t)| t == "Posture"));
    assert!(sent.iter().all(|(_, t)| t != "Look far"), "a tip is never a notification");
    assert!(w.started().iter().all(|(_, b)| b.tip.as_deref() == Some("Look far")), "each break carries the tip");
    // Away time does not count toward a reminder.
    let count = sent.len();
    w.away(2 * HOUR);
    let after: usize = w.events.iter().filter(|(_, e)| matches!(e, Event::Reminder { .. })).count();
    assert_eq!(after, count);
}
