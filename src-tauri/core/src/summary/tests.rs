use super::synthetic::{self, Profile};
use super::*;
use crate::calendar::BadWeek;
use crate::record::{BreakRecord, Trigger};
use chrono_tz::Europe::Berlin;
use tempfile::TempDir;

use BreakKind::{Eye, Stretch, Walk};
use Outcome::{Completed, Interrupted, Natural, Postponed, Skipped};

/// Local time in Berlin.
fn at(date: (i32, u32, u32), h: u32, m: u32) -> DateTime<Utc> {
    at_s(date, h, m, 0)
}

fn at_s((y, mo, d): (i32, u32, u32), h: u32, m: u32, s: u32) -> DateTime<Utc> {
    instant(NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, m, s).unwrap(), &Berlin)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn week(text: &str) -> Week {
    text.parse().unwrap()
}

/// A real database file in a temporary folder.
fn store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("respite.sqlite3")).unwrap();
    (dir, store)
}

/// A break due at `due`. Shown breaks start when due; completed ones last a minute, natural ones
/// ten, interrupted ones half a minute. A skip that was `shown` was dismissed on screen.
fn brk(store: &mut Store, kind: BreakKind, covers: &[BreakKind], due: DateTime<Utc>, outcome: Outcome, shown: bool) {
    let length = match outcome {
        Completed => 60,
        Natural => 600,
        Interrupted => 30,
        Postponed | Skipped => 2,
    };
    let record = BreakRecord {
        kind,
        covers: covers.to_vec(),
        trigger: Trigger::Scheduled,
        due_at: due,
        started_at: shown.then_some(due),
        ended_at: due + TimeDelta::seconds(if shown { length } else { 0 }),
        planned_secs: 60,
        actual_secs: if shown { length as u32 } else { 0 },
        outcome,
        held: None,
        shown: None,
        style: Default::default(),
    };
    store.record(&record).unwrap();
}

fn span(store: &mut Store, start: DateTime<Utc>, end: DateTime<Utc>, after_hours: bool) {
    store.activity(&Span { start, end, after_hours }).unwrap();
}

const MON: (i32, u32, u32) = (2026, 11, 16);
const TUE: (i32, u32, u32) = (2026, 11, 17);
const WED: (i32, u32, u32) = (2026, 11, 18);
const THU: (i32, u32, u32) = (2026, 11, 19);
const SAT: (i32, u32, u32) = (2026, 11, 21);
const SUN: (i32, u32, u32) = (2026, 11, 22);

/// An ordinary week, 2026-W47 in Berlin (Mon 16 to Sun 22 November, UTC+1 all week), and a
/// little of the week before. The numbers the tests expect, worked out by hand:
///
/// Breaks (c completed, n natural, s skipped, p postponed, i interrupted; [..] covers):
///   Mon  1 eye 09:20 c · 2 stretch[eye] 09:50 c · 3 eye 10:10 p · 4 eye 10:15 c (the one put off)
///        5 stretch 15:30 s (shown) · 6 stretch 16:20 s (not shown) · 7 walk[eye] 16:50 n
///   Tue  8 eye 10:00 c · 9 walk 11:00 c · 10 stretch 15:40 s · 11 eye 18:30 i
///   Thu  12 eye 09:00 s (not shown) · 13 eye 09:30 c
/// Week, each break once: c 6 (1 2 4 8 9 13), n 1, s 4 (5 6 10 12), p 1, i 1;
///   due = 6 + 1 + 4 = 11, taken or natural 7, compliance 7/11.
/// Per kind, covers included: eye = 1 4 8 13 + 2 → c 5; 7 → n 1; 12 → s 1; 3 → p 1; 11 → i 1:
///   due 7, compliance 6/7. Stretch = 2 c; 5 6 10 s: due 4, 1/4. Walk = 7 n, 9 c: due 2, 2/2.
/// Days: Mon due 6 (c 1 2 4, n 7, s 5 6), 4/6; Tue due 3 (c 8 9, s 10; 11 interrupted), 2/3;
///   Wed none; Thu due 2, 1/2.
///
/// Screen time (a = after hours), and the runs for the longest stretch (cut at breaks taken:
/// 09:20 09:50 10:15 16:50 on Monday, 10:00 11:00 18:30 Tuesday, 09:30 Thursday):
///   Sun 15 23:50 – Mon 00:10 a: 10 min in each week.
///   Mon  08:30–09:00 a, 09:00–09:20 → run 50 · 09:21–09:50 → 29 · 09:52–10:10, 10:10–10:15 → 23
///        (a postponed break is no rest) · 10:16–12:00 → 104 · 13:00–15:30, 15:30–16:50 → 230 (a
///        skipped break is no rest) · 17:00–18:00, 18:00–18:30 a → 90 · 20:00–21:10 a → 70.
///        Screen 10 + 596 = 606 min = 36,360 s; after hours 10 + 30 + 30 + 70 = 140 min; longest 230.
///   Tue  09:00–10:00 → 60 · 10:01–11:00 → 59 · 11:05–12:30, 12:30:30–13:00 (30 s apart) → 115 ·
///        13:01–15:40 (a whole minute later: a new run), 15:40–17:40 → 279 · 18:00–18:30 a → 30.
///        Screen 60 + 59 + 85 + 29.5 + 159 + 120 + 30 = 542.5 min = 32,550 s; after 30; longest 279.
///   Wed  19:00–19:45 a: 45 min, all after hours.
///   Thu  08:50–09:00 a, 09:00–09:30 → 40 · 09:31–12:00 → 149. Screen 189 min, after 10, longest 149.
///   Sat 23:30 – Sun 00:30 a: 30 min each day, cut at midnight. Sun 23:40 – Mon 23 00:20 a: 20 min.
///   Week: 36,360 + 32,550 + 2,700 + 11,340 + 0 + 1,800 + 3,000 = 87,750 s; after hours
///   8,400 + 1,800 + 2,700 + 600 + 1,800 + 3,000 = 18,300 s (5 h 5 min), 6 days with 10 min or more.
///
/// The week before: Mon 9 09:00–12:00 at work, eye 10:00 c and 11:00 s, and the 10 minutes of
/// Sunday night: screen 190 min = 11,400 s, after hours 600 s, compliance 1/2, 1 taken.
/// Changes: screen +76,350 s (21 h 13 min), after hours +17,700 s, taken +6, compliance +7/11 − 1/2.
fn ordinary_week() -> (TempDir, Store) {
    let (dir, mut s) = store();
    let (s_, n) = (&mut s, &[][..]);
    brk(s_, Eye, n, at(MON, 9, 20), Completed, true);
    brk(s_, Stretch, &[Eye], at(MON, 9, 50), Completed, true);
    brk(s_, Eye, n, at(MON, 10, 10), Postponed, true);
    brk(s_, Eye, n, at(MON, 10, 15), Completed, true);
    brk(s_, Stretch, n, at(MON, 15, 30), Skipped, true);
    brk(s_, Stretch, n, at(MON, 16, 20), Skipped, false);
    brk(s_, Walk, &[Eye], at(MON, 16, 50), Natural, true);
    brk(s_, Eye, n, at(TUE, 10, 0), Completed, true);
    brk(s_, Walk, n, at(TUE, 11, 0), Completed, true);
    brk(s_, Stretch, n, at(TUE, 15, 40), Skipped, true);
    brk(s_, Eye, n, at(TUE, 18, 30), Interrupted, true);
    brk(s_, Eye, n, at(THU, 9, 0), Skipped, false);
    brk(s_, Eye, n, at(THU, 9, 30), Completed, true);

    span(s_, at((2026, 11, 15), 23, 50), at(MON, 0, 10), true);
    span(s_, at(MON, 8, 30), at(MON, 9, 0), true);
    span(s_, at(MON, 9, 0), at(MON, 9, 20), false);
    span(s_, at(MON, 9, 21), at(MON, 9, 50), false);
    span(s_, at(MON, 9, 52), at(MON, 10, 10), false);
    span(s_, at(MON, 10, 10), at(MON, 10, 15), false);
    span(s_, at(MON, 10, 16), at(MON, 12, 0), false);
    span(s_, at(MON, 13, 0), at(MON, 15, 30), false);
    span(s_, at(MON, 15, 30), at(MON, 16, 50), false);
    span(s_, at(MON, 17, 0), at(MON, 18, 0), false);
    span(s_, at(MON, 18, 0), at(MON, 18, 30), true);
    span(s_, at(MON, 20, 0), at(MON, 21, 10), true);
    span(s_, at(TUE, 9, 0), at(TUE, 10, 0), false);
    span(s_, at(TUE, 10, 1), at(TUE, 11, 0), false);
    span(s_, at(TUE, 11, 5), at(TUE, 12, 30), false);
    span(s_, at_s(TUE, 12, 30, 30), at(TUE, 13, 0), false);
    span(s_, at(TUE, 13, 1), at(TUE, 15, 40), false);
    span(s_, at(TUE, 15, 40), at(TUE, 17, 40), false);
    span(s_, at(TUE, 18, 0), at(TUE, 18, 30), true);
    span(s_, at(WED, 19, 0), at(WED, 19, 45), true);
    span(s_, at(THU, 8, 50), at(THU, 9, 0), true);
    span(s_, at(THU, 9, 0), at(THU, 9, 30), false);
    span(s_, at(THU, 9, 31), at(THU, 12, 0), false);
    span(s_, at(SAT, 23, 30), at(SUN, 0, 30), true);
    span(s_, at(SUN, 23, 40), at((2026, 11, 23), 0, 20), true);

    // The week before.
    span(s_, at((2026, 11, 9), 9, 0), at((2026, 11, 9), 12, 0), false);
    brk(s_, Eye, n, at((2026, 11, 9), 10, 0), Completed, true);
    brk(s_, Eye, n, at((2026, 11, 9), 11, 0), Skipped, false);
    (dir, s)
}

/// Wednesday of the week after: whole weeks are compared.
fn after_the_week() -> DateTime<Utc> {
    at((2026, 11, 25), 12, 0)
}

fn tally(due: u32, taken: u32, natural: u32, skipped: u32, postponed: u32, interrupted: u32, compliance: Option<f64>) -> Tally {
    Tally { due, taken, natural, skipped, postponed, interrupted, unseen: 0, compliance }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

#[test]
fn an_ordinary_week_counts_each_break_once_and_each_kind_with_what_it_covered() {
    let (_dir, store) = ordinary_week();
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    assert_eq!((s.first_day, s.last_day, s.is_empty), (date(2026, 11, 16), date(2026, 11, 22), false));
    assert_eq!(s.breaks, tally(11, 6, 1, 4, 1, 1, Some(7.0 / 11.0)));
    assert_eq!(s.by_kind[&Eye], tally(7, 5, 1, 1, 1, 1, Some(6.0 / 7.0)));
    assert_eq!(s.by_kind[&Stretch], tally(4, 1, 0, 3, 0, 0, Some(0.25)));
    assert_eq!(s.by_kind[&Walk], tally(2, 1, 1, 0, 0, 0, Some(1.0)));
    let days: Vec<Tally> = s.days.iter().map(|d| d.breaks).collect();
    assert_eq!(days[0], tally(6, 3, 1, 2, 1, 0, Some(4.0 / 6.0)));
    assert_eq!(days[1], tally(3, 2, 0, 1, 0, 1, Some(2.0 / 3.0)));
    assert_eq!(days[2], Tally::default(), "nothing due on Wednesday: no compliance, not 0 and not NaN");
    assert_eq!(days[3], tally(2, 1, 0, 1, 0, 0, Some(0.5)));
    assert!(days[4..].iter().all(|d| *d == Tally::default()));
    assert_eq!(s.headline.breaks_taken, 7);
    assert!(close(s.headline.compliance, 7.0 / 11.0));
}

/// An eye rest due at `due` that was on screen for its minute (natural ones: away ten minutes),
/// its window `shown` or not, or not known.
fn eye(store: &mut Store, due: DateTime<Utc>, outcome: Outcome, shown: Option<bool>) {
    let length = if outcome == Natural { 600 } else { 60 };
    let record = BreakRecord {
        kind: Eye,
        covers: vec![],
        trigger: Trigger::Scheduled,
        due_at: due,
        started_at: Some(due),
        ended_at: due + TimeDelta::seconds(length),
        planned_secs: 60,
        actual_secs: length as u32,
        outcome,
        held: None,
        shown,
        style: Default::default(),
    };
    store.record(&record).unwrap();
}

/// A break that ran its whole length with no window on screen was not taken, nor due (Respite
/// failed to show it); it is counted as unseen, and is no rest for the longest stretch. One whose
/// window is not known (logged before the log kept it) counts as taken, as before. The week's
/// rows, last week's sums and the streak's walk back all count alike.
///
/// Mon 16 (and, for the comparison, Mon 9): 09:00 c shown · 10:00 c no window · 11:00 c unknown ·
///   12:00 n · 12:30 s with no window (skipped from the tray: the person knew of it).
///   due 4 (c 2, n 1, s 1), taken 2, unseen 1, compliance 3/4; at the screen 08:00–13:30, cut at
///   09:00 11:00 12:00 (not at 10:00): runs of 60, 120, 60, 90 min, the longest 120.
/// Sun 15: 09:00 c shown · 10:00 c no window: 1 of 1 due, which starts the streak.
#[test]
fn a_break_that_ran_with_no_window_is_counted_unseen_not_taken() {
    let (_dir, mut store) = store();
    for day in [(2026, 11, 9), MON] {
        eye(&mut store, at(day, 9, 0), Completed, Some(true));
        eye(&mut store, at(day, 10, 0), Completed, Some(false));
        eye(&mut store, at(day, 11, 0), Completed, None);
        eye(&mut store, at(day, 12, 0), Natural, None);
        eye(&mut store, at(day, 12, 30), Skipped, Some(false));
    }
    eye(&mut store, at((2026, 11, 15), 9, 0), Completed, Some(true));
    eye(&mut store, at((2026, 11, 15), 10, 0), Completed, Some(false));
    span(&mut store, at(MON, 8, 0), at(MON, 13, 30), false);

    let now = at(MON, 23, 0);
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), now).unwrap();
    let expected = Tally { unseen: 1, ..tally(4, 2, 1, 1, 0, 0, Some(0.75)) };
    assert_eq!(s.breaks, expected);
    assert_eq!(s.by_kind[&Eye], expected);
    assert_eq!(s.days[0].breaks, expected);
    assert_eq!((s.headline.breaks_taken, s.headline.compliance), (3, Some(0.75)));
    assert_eq!(s.days[0].longest_stretch_secs, 120 * 60, "a break with no window is no rest");
    assert_eq!((s.previous.headline.breaks_taken, s.previous.headline.compliance), (3, Some(0.75)), "last week's sums count alike");
    assert_eq!(s.previous.change.breaks_taken, 0);
    assert_eq!((s.streak.days, s.streak.first_day), (1, Some(date(2026, 11, 15))), "Sunday: 1 of 1 due taken");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["breaks"]["unseen"], 1, "the window reads it from the JSON");
}

#[test]
fn an_ordinary_week_measures_screen_time_after_hours_and_stretches_per_local_day() {
    let (_dir, store) = ordinary_week();
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    let dates: Vec<NaiveDate> = s.days.iter().map(|d| d.date).collect();
    assert_eq!(dates, (16..=22).map(|d| date(2026, 11, d)).collect::<Vec<_>>());
    let screen: Vec<u64> = s.days.iter().map(|d| d.screen_secs).collect();
    assert_eq!(screen, [36_360, 32_550, 2_700, 11_340, 0, 1_800, 3_000]);
    let after: Vec<u64> = s.days.iter().map(|d| d.after_hours_secs).collect();
    assert_eq!(after, [8_400, 1_800, 2_700, 600, 0, 1_800, 3_000]);
    let longest: Vec<u64> = s.days.iter().map(|d| d.longest_stretch_secs).collect();
    assert_eq!(longest, [230 * 60, 279 * 60, 45 * 60, 149 * 60, 0, 30 * 60, 30 * 60]);
    assert_eq!((s.headline.screen_secs, s.headline.after_hours_secs), (87_750, 18_300));

    let heat = &s.heatmap_minutes;
    assert_eq!((heat[0][0], heat[0][8], heat[0][9], heat[0][10], heat[0][11], heat[0][12]), (10, 30, 57, 59, 60, 0));
    assert_eq!((heat[0][15], heat[0][16], heat[0][18], heat[0][20], heat[0][21]), (60, 50, 30, 60, 10));
    assert_eq!((heat[1][12], heat[1][13]), (60, 59), "59.5 minutes round up");
    assert_eq!((heat[5][23], heat[6][0], heat[6][23]), (30, 30, 20), "cut at midnight and at the end of the week");
    assert!(heat[4].iter().all(|m| *m == 0));
}

#[test]
fn the_previous_week_is_compared_and_observations_say_what_stands_out() {
    let (_dir, store) = ordinary_week();
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    let previous = &s.previous;
    assert_eq!((previous.week, previous.until), (week("2026-W46"), None));
    assert_eq!(previous.headline, Headline { compliance: Some(0.5), screen_secs: 11_400, after_hours_secs: 600, breaks_taken: 1 });
    assert_eq!((previous.change.screen_secs, previous.change.after_hours_secs, previous.change.breaks_taken), (76_350, 17_700, 6));
    assert!(close(previous.change.compliance, 7.0 / 11.0 - 0.5));

    let texts: Vec<&str> = s.observations.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Most skipped stretch breaks were after 15:00 (3 of 3).",
            "You were at the screen after working hours on 6 days (5 h 5 min in all).",
            "Screen time was 21 h 13 min more than the week before.",
        ]
    );
    assert_eq!(s.observations[0].fact, Fact::SkippedLate { kind: Stretch, from_hour: 15, late: 3, skipped: 3 });
    assert_eq!(s.streak, Streak { days: 0, target: STREAK_TARGET, first_day: None, last_day: None }, "Thursday was 1/2");
}

#[test]
fn the_json_is_what_the_window_draws() {
    let (_dir, store) = ordinary_week();
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["week"], "2026-W47");
    assert_eq!(json["first_day"], "2026-11-16");
    assert_eq!(json["by_kind"]["stretch"]["compliance"], 0.25);
    assert_eq!(json["by_kind"]["walk"]["due"], 2);
    assert_eq!(json["days"][2]["breaks"]["compliance"], serde_json::Value::Null);
    assert_eq!(json["days"][0]["longest_stretch_secs"], 13_800);
    assert_eq!(json["heatmap_minutes"][0][9], 57);
    assert_eq!(json["heatmap_minutes"].as_array().unwrap().len(), 7);
    assert_eq!(json["previous"]["until"], serde_json::Value::Null);
    assert_eq!(json["observations"][0]["id"], "skipped_late");
    assert_eq!(json["observations"][0]["kind"], "stretch");
    assert_eq!(json["observations"][1]["days"], 6);
    assert_eq!(json["streak"]["target"], 0.8);
}

#[test]
fn an_empty_week_is_empty_without_nan_or_observations() {
    let (_dir, mut store) = store();
    let check = |store: &Store| {
        let s = week_summary(store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
        assert!(s.is_empty);
        assert_eq!(s.breaks, Tally::default());
        assert!(s.by_kind.values().all(|t| *t == Tally::default()));
        assert_eq!(s.headline, Headline::default());
        assert!(s.days.iter().all(|d| d.screen_secs == 0 && d.longest_stretch_secs == 0 && d.breaks.compliance.is_none()));
        assert!(s.heatmap_minutes.iter().flatten().all(|m| *m == 0));
        assert!(s.observations.is_empty());
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("NaN") && json.contains("\"compliance\":null"), "{json}");
        s
    };
    assert_eq!(check(&store).streak.days, 0);
    assert_eq!(check(&Store::open_in_memory().unwrap()).streak.days, 0);
    // Busy weeks around it change nothing, except what it is compared with.
    span(&mut store, at((2026, 11, 10), 9, 0), at((2026, 11, 10), 17, 0), false);
    brk(&mut store, Eye, &[], at((2026, 11, 10), 9, 20), Completed, true);
    brk(&mut store, Eye, &[], at((2026, 11, 24), 9, 20), Completed, true);
    let s = check(&store);
    assert_eq!(s.previous.change.screen_secs, -8 * 3600);
    assert_eq!(s.previous.change.compliance, None, "nothing due this week: no change to speak of");
    assert_eq!(s.streak.days, 1, "the streak as of that Sunday: the Tuesday before");
}

#[test]
fn the_week_under_way_is_compared_with_last_week_up_to_the_same_time() {
    let (_dir, mut store) = store();
    let (mon, tue) = ((2026, 11, 9), (2026, 11, 10));
    span(&mut store, at(mon, 9, 0), at(mon, 12, 0), false);
    span(&mut store, at(tue, 11, 0), at(tue, 13, 0), false); // only 11:00-12:00 is before the cut
    brk(&mut store, Eye, &[], at(tue, 11, 30), Completed, true);
    brk(&mut store, Eye, &[], at(tue, 12, 30), Skipped, false); // after the cut
    span(&mut store, at(MON, 9, 0), at(MON, 10, 0), false);
    let now = at(TUE, 12, 0);
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), now).unwrap();
    assert_eq!(s.previous.until, Some(date(2026, 11, 10).and_hms_opt(12, 0, 0).unwrap()));
    assert_eq!(s.previous.headline, Headline { compliance: Some(1.0), screen_secs: 4 * 3600, after_hours_secs: 0, breaks_taken: 1 });
    assert_eq!(s.previous.change.screen_secs, 3600 - 4 * 3600);
    assert_eq!(s.previous.change.breaks_taken, -1);
    let texts: Vec<&str> = s.observations.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts, ["Screen time was 3 h less than at this point last week."]);
    // Looking back at the same week later compares whole weeks.
    let later = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    assert_eq!((later.previous.until, later.previous.headline.screen_secs), (None, 5 * 3600));
}

#[test]
fn the_sunday_the_clocks_go_back_has_25_hours_each_in_its_own_local_hour() {
    // 2026-10-25 03:00 CEST becomes 02:00 CET: the hour from 02:00 happens twice. That Sunday
    // ends ISO week 2026-W43 (Monday 19 to Sunday 25 October); W44 starts on Monday 26.
    assert_eq!(Week::of(date(2026, 10, 25)), week("2026-W43"));
    assert_eq!(week("2026-W44").monday(), date(2026, 10, 26));
    let grid = Grid::new(week("2026-W43"), &Berlin);
    assert_eq!(grid.labels.len(), 169);
    assert_eq!(grid.end(), Utc.with_ymd_and_hms(2026, 10, 25, 23, 0, 0).unwrap());
    let sunday_hours: Vec<usize> = grid.labels.iter().filter(|(d, _)| *d == 6).map(|(_, h)| *h).collect();
    assert_eq!(sunday_hours.len(), 25);
    assert_eq!(&sunday_hours[..5], [0, 1, 2, 2, 3]);

    let (_dir, mut store) = store();
    // 01:30 CEST (23:30 UTC Saturday) to 03:30 CET (02:30 UTC): three real hours.
    let (start, end) = (Utc.with_ymd_and_hms(2026, 10, 24, 23, 30, 0).unwrap(), Utc.with_ymd_and_hms(2026, 10, 25, 2, 30, 0).unwrap());
    span(&mut store, start, end, true);
    // Due at the second 02:30 (CET), 01:30 UTC, and at 23:30 CET, the week's last half hour.
    brk(&mut store, Stretch, &[], Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap(), Skipped, false);
    brk(&mut store, Eye, &[], Utc.with_ymd_and_hms(2026, 10, 25, 22, 30, 0).unwrap(), Completed, true);
    // 00:30 on Monday 26 belongs to the next week.
    brk(&mut store, Eye, &[], Utc.with_ymd_and_hms(2026, 10, 25, 23, 30, 0).unwrap(), Completed, true);
    let s = week_summary(&store, week("2026-W43"), &Berlin, &crate::workhours::WorkHours::default(), at((2026, 11, 2), 12, 0)).unwrap();
    let sunday = &s.days[6];
    assert_eq!((sunday.date, sunday.screen_secs, sunday.longest_stretch_secs), (date(2026, 10, 25), 3 * 3600, 3 * 3600));
    assert_eq!(&s.heatmap_minutes[6][..5], [0, 30, 120, 30, 0], "both 02:00 hours land in hour 2");
    assert_eq!((sunday.breaks.due, sunday.breaks.skipped, s.breaks.due), (2, 1, 2));
}

#[test]
fn the_sunday_the_clocks_go_forward_has_23_hours() {
    // 2026-03-29 02:00 CET becomes 03:00 CEST: hour 2 does not happen.
    assert_eq!(Grid::new(week("2026-W13"), &Berlin).labels.len(), 167);
    let (_dir, mut store) = store();
    // 01:30 CET (00:30 UTC) to 03:30 CEST (01:30 UTC): one real hour.
    span(&mut store, Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap(), Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap(), false);
    let s = week_summary(&store, week("2026-W13"), &Berlin, &crate::workhours::WorkHours::default(), at((2026, 4, 6), 12, 0)).unwrap();
    assert_eq!(s.days[6].screen_secs, 3600);
    assert_eq!(&s.heatmap_minutes[6][..5], [0, 30, 0, 30, 0]);
}

#[test]
fn iso_weeks_at_the_turn_of_a_53_week_year() {
    // 2026 begins on a Thursday, so it has 53 ISO weeks; 2025 has 52.
    assert_eq!((Week::weeks_in(2026), Week::weeks_in(2025), Week::weeks_in(2027)), (53, 52, 52));
    let w53 = week("2026-W53");
    assert_eq!((w53.monday(), w53.sunday()), (date(2026, 12, 28), date(2027, 1, 3)));
    assert_eq!(Week::of(date(2027, 1, 1)), w53);
    assert_eq!(week("2027-W01").monday(), date(2027, 1, 4));
    assert_eq!((w53.next(), week("2027-W01").previous()), (week("2027-W01"), w53));
    assert_eq!(week("2026-W01").monday(), date(2025, 12, 29));
    assert_eq!(week("2027-w1"), week("2027-W01"));
    assert_eq!(w53.to_string(), "2026-W53");
    assert_eq!("2025-W53".parse::<Week>(), Err(BadWeek::NoSuchWeek { year: 2025, number: 53, weeks: 52 }));
    assert_eq!("2025-W53".parse::<Week>().unwrap_err().to_string(), "2025 has 52 ISO weeks, so there is no week 53");
    for bad in ["2026-47", "2026-W", "26-W47", "2026-W470", "2026W47", "W47", "", "2026-W00", "2026-Wx7"] {
        assert!(bad.parse::<Week>().is_err(), "{bad:?}");
    }
    assert_eq!(serde_json::to_string(&w53).unwrap(), "\"2026-W53\"");
    assert_eq!(serde_json::from_str::<Week>("\"2026-W53\"").unwrap(), w53);

    // A break on Saturday 2 January 2027 is in 2026-W53, on its Saturday.
    let (_dir, mut store) = store();
    brk(&mut store, Walk, &[], at((2027, 1, 2), 10, 0), Completed, true);
    brk(&mut store, Eye, &[], at((2027, 1, 4), 10, 0), Completed, true);
    let s = week_summary(&store, w53, &Berlin, &crate::workhours::WorkHours::default(), at((2027, 1, 10), 12, 0)).unwrap();
    assert_eq!((s.days[5].date, s.days[5].breaks.taken, s.breaks.due), (date(2027, 1, 2), 1, 1));
    let next = week_summary(&store, week("2027-W01"), &Berlin, &crate::workhours::WorkHours::default(), at((2027, 1, 10), 12, 0)).unwrap();
    assert_eq!((next.first_day, next.days[0].breaks.taken, next.previous.week), (date(2027, 1, 4), 1, w53));
}

#[test]
fn the_streak_runs_back_across_weeks_skipping_days_with_nothing_due() {
    let (_dir, mut store) = store();
    let day = |d: u32| (2026, 11, d);
    brk(&mut store, Eye, &[], at(day(11), 10, 0), Skipped, true); // Wed 11: 0 of 1, ends it
    brk(&mut store, Eye, &[], at(day(12), 10, 0), Completed, true); // Thu 12
    brk(&mut store, Eye, &[], at(day(13), 10, 0), Natural, true); // Fri 13
    // Sat 14, Sun 15: nothing due, neither break nor extend it.
    for minute in [0, 20, 40, 50] {
        brk(&mut store, Eye, &[], at(day(16), 10, minute), Completed, true); // Mon 16: 4 of 5,
    }
    brk(&mut store, Eye, &[], at(day(16), 11, 0), Skipped, true); // exactly the target
    brk(&mut store, Eye, &[], at(day(16), 11, 10), Postponed, true); // not due
    brk(&mut store, Stretch, &[Eye], at(day(17), 10, 0), Completed, true); // Tue 17
    brk(&mut store, Eye, &[], at(day(18), 9, 0), Skipped, true); // Wed 18: 0 of 1 so far

    // Wednesday morning: today may still catch up, so it does not end the streak.
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), at(day(18), 10, 0)).unwrap();
    assert_eq!(s.streak, Streak { days: 4, target: 0.8, first_day: Some(date(2026, 11, 12)), last_day: Some(date(2026, 11, 17)) });
    // On Thursday, Wednesday is over and ends it.
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), at(day(19), 10, 0)).unwrap();
    assert_eq!(s.streak.days, 0);
    // The week before, seen as of then, ends on its Sunday: Thu and Fri.
    let s = week_summary(&store, week("2026-W46"), &Berlin, &crate::workhours::WorkHours::default(), at(day(19), 10, 0)).unwrap();
    assert_eq!((s.streak.days, s.streak.first_day, s.streak.last_day), (2, Some(date(2026, 11, 12)), Some(date(2026, 11, 13))));
}

#[test]
fn a_long_streak_stops_at_the_lookback_limit() {
    let (_dir, mut store) = store();
    let last = date(2026, 11, 22);
    for back in 0..400u64 {
        brk(&mut store, Eye, &[], instant((last - Days::new(back)).and_hms_opt(10, 0, 0).unwrap(), &Berlin), Completed, true);
    }
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    assert_eq!((s.streak.days, s.streak.last_day), (STREAK_LOOKBACK_DAYS, Some(last)));
    assert_eq!(s.streak.first_day, Some(last - Days::new(u64::from(STREAK_LOOKBACK_DAYS) - 1)));
    let texts: Vec<&str> = s.observations.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts, ["365 days in a row with at least 80% of breaks taken."]);
}

#[test]
fn longest_stretch_joins_spans_under_a_minute_apart_and_cuts_at_breaks() {
    let m = |minutes: i64| minutes * 60_000;
    assert_eq!(longest_stretch(&[], &[]), 0);
    assert_eq!(longest_stretch(&[(0, m(10)), (m(10) + 59_999, m(20))], &[]), m(20), "under a minute apart");
    assert_eq!(longest_stretch(&[(0, m(10)), (m(11), m(15))], &[]), m(10), "a minute apart");
    assert_eq!(longest_stretch(&[(0, m(10)), (m(10), m(30))], &[m(10)]), m(20), "a break where they meet");
    assert_eq!(longest_stretch(&[(0, m(40))], &[m(15)]), m(25), "a break inside a span");
    assert_eq!(longest_stretch(&[(0, m(40))], &[m(40), m(90)]), m(40));
}

#[test]
fn a_synthetic_week_adds_up() {
    let (_dir, mut store) = store();
    let seeded = synthetic::seed(&mut store, date(2026, 11, 2), 28, &Berlin, Profile::DEFAULTS, 7).unwrap();
    assert!(seeded.breaks > 500 && seeded.spans > 500, "{seeded:?}");
    let w = week("2026-W46");
    let s = week_summary(&store, w, &Berlin, &crate::workhours::WorkHours::default(), at((2026, 11, 29), 20, 0)).unwrap();
    let rows = store.break_briefs(day_start(w.monday(), &Berlin), day_start(w.next().monday(), &Berlin)).unwrap().len() as u32;
    assert_eq!(s.breaks.due + s.breaks.postponed + s.breaks.interrupted, rows);
    assert_eq!(s.days.iter().map(|d| d.breaks.due).sum::<u32>(), s.breaks.due);
    for kind in BreakKind::ALL {
        assert!(s.by_kind[&kind].due > 0, "{kind}: every kind falls due");
    }
    assert!(s.by_kind[&Eye].due >= s.breaks.due / 2, "eye rests come most often and are covered by the others");
    assert!(s.breaks.skipped > 0 && s.breaks.postponed > 0 && s.breaks.natural > 0);
    let heat_secs: u64 = s.heatmap_minutes.iter().flatten().map(|m| u64::from(*m) * 60).sum();
    assert!(heat_secs.abs_diff(s.headline.screen_secs) <= 168 * 30, "{heat_secs} vs {}", s.headline.screen_secs);
    assert!(s.days[..5].iter().all(|d| d.screen_secs > 6 * 3600 || d.screen_secs == 0), "working days, or a day off");
    assert!((1..=3).contains(&s.observations.len()));
    assert!(s.observations.iter().any(|o| matches!(o.fact, Fact::SkippedLate { kind: Stretch, .. })), "{:?}", s.observations);

    // The same seed writes the same history.
    let (_other_dir, mut other) = self::store();
    synthetic::seed(&mut other, date(2026, 11, 2), 28, &Berlin, Profile::DEFAULTS, 7).unwrap();
    assert_eq!(week_summary(&other, w, &Berlin, &crate::workhours::WorkHours::default(), at((2026, 11, 29), 20, 0)).unwrap(), s);
}

/// Gentle mode's breaks are told apart from the overlay's, each break once, while the week's
/// totals count both.
#[test]
fn the_summary_tells_notification_breaks_from_overlay_ones() {
    let (_dir, mut store) = store();
    let monday = (2026, 11, 16);
    for (hour, outcome, style) in [(9, Completed, Style::Overlay), (10, Skipped, Style::Overlay), (11, Completed, Style::Notification), (12, Completed, Style::Notification), (13, Skipped, Style::Notification)] {
        let mut record = crate::record::sample_record(Eye, at(monday, hour, 0), outcome);
        record.style = style;
        store.record(&record).unwrap();
    }
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    let (overlay, notification) = (s.by_style[&Style::Overlay], s.by_style[&Style::Notification]);
    assert_eq!((overlay.due, overlay.taken, overlay.skipped), (2, 1, 1));
    assert_eq!((notification.due, notification.taken, notification.skipped), (3, 2, 1));
    assert!(close(notification.compliance, 2.0 / 3.0));
    assert_eq!(s.breaks.due, 5, "the week counts both");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["by_style"]["notification"]["taken"], 2, "{}", json["by_style"]);
}

/// Another computer's span is cut to the week before it is cut into hours: one a century long
/// (a clock gone wrong there) fills the week and no more.
#[test]
fn another_computers_span_of_any_length_counts_only_within_the_week() {
    let (_dir, mut store) = store();
    let folder = tempfile::tempdir().unwrap();
    let writer = crate::devices::DeviceWriter { folder: folder.path().to_owned(), id: crate::devices::DeviceId::random(), name: "laptop".into() };
    let (from, to) = (Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0).unwrap());
    writer.append_spans(&[(from, to)]).unwrap();
    store.import_devices(&crate::devices::scan(folder.path(), &crate::devices::DeviceId::random())).unwrap();
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    assert_eq!(s.headline.screen_secs, 7 * 24 * 3600);
    assert_eq!(s.devices.len(), 2, "{:?}", s.devices);
    assert_eq!(s.devices[1].screen_secs, 7 * 24 * 3600);
}

/// The streak walks back through every computer's breaks: days at 50 % on this one and 100 %
/// on the laptop are 80 % days.
#[test]
fn the_streak_counts_every_computers_breaks() {
    let (_dir, mut store) = store();
    let folder = tempfile::tempdir().unwrap();
    let laptop = crate::devices::DeviceWriter { folder: folder.path().to_owned(), id: crate::devices::DeviceId::random(), name: "laptop".into() };
    // Mon 9 to Wed 11 November (week 46): here one taken and one skipped a day, there three taken.
    for day in 9..=11 {
        eye(&mut store, at((2026, 11, day), 9, 0), Completed, Some(true));
        eye(&mut store, at((2026, 11, day), 10, 0), Skipped, Some(true));
        for hour in [13, 14, 15] {
            laptop.append_break(&crate::record::sample_record(Eye, at((2026, 11, day), hour, 0), Completed), "").unwrap();
        }
    }
    let alone = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    assert_eq!(alone.streak.days, 0, "50 % days, this computer alone");
    store.import_devices(&crate::devices::scan(folder.path(), &crate::devices::DeviceId::random())).unwrap();
    let both = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    assert_eq!(both.streak.days, 3, "{:?}", both.streak);
    assert_eq!(both.streak.first_day, Some(date(2026, 11, 9)));
}

/// Another computer's time after hours is decided by this computer's working hours, in its zone:
/// 17:00 to 19:00 in Berlin on a Monday is one hour in (09:00-18:00) and one after.
#[test]
fn another_computers_time_is_cut_by_this_computers_working_hours() {
    let (_dir, mut store) = store();
    let folder = tempfile::tempdir().unwrap();
    let laptop = crate::devices::DeviceWriter { folder: folder.path().to_owned(), id: crate::devices::DeviceId::random(), name: "laptop".into() };
    laptop.append_spans(&[(at((2026, 11, 16), 17, 0), at((2026, 11, 16), 19, 0))]).unwrap();
    store.import_devices(&crate::devices::scan(folder.path(), &crate::devices::DeviceId::random())).unwrap();
    let s = week_summary(&store, week("2026-W47"), &Berlin, &crate::workhours::WorkHours::default(), after_the_week()).unwrap();
    assert_eq!((s.headline.screen_secs, s.headline.after_hours_secs), (7200, 3600));
    assert_eq!((s.days[0].screen_secs, s.days[0].after_hours_secs), (7200, 3600));
    assert_eq!((s.heatmap_minutes[0][17], s.heatmap_minutes[0][18]), (60, 60));
}
