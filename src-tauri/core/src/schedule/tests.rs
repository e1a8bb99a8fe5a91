//! The scheduler on a fake clock: whole working days in milliseconds.

use super::*;
use crate::clock::{Clock, ManualClock};
use crate::senses::NoSenses;
use crate::settings::Settings;
use chrono::TimeZone;

const MIN: Duration = Duration::from_secs(60);
/// The default notice before an eye rest.
const EYE_NOTICE: Duration = Duration::from_secs(10);

fn start_wall() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

fn setup() -> (ManualClock, Scheduler) {
    let clock = ManualClock::starting_at(start_wall());
    let scheduler = Scheduler::new(Settings::default().plans(), clock.now());
    (clock, scheduler)
}

/// Moves the clock to the scheduler's next deadline (or `limit`, whichever is first) and ticks
/// with no idle data; returns the events about breaks (not notices or screen time).
fn step(clock: &ManualClock, s: &mut Scheduler, limit: Duration) -> Vec<Event> {
    let now = clock.now();
    let target = s.next_deadline().unwrap_or(limit).min(limit);
    let now = clock.advance(target.saturating_sub(now.mono));
    about_breaks(s.tick(now, &mut NoSenses))
}

fn about_breaks(events: Vec<Event>) -> Vec<Event> {
    events.into_iter().filter(|e| !matches!(e, Event::Upcoming(_) | Event::Active { .. })).collect()
}

fn started(events: &[Event]) -> Option<&ActiveBreak> {
    events.iter().find_map(|e| match e {
        Event::BreakStarted(b) => Some(b.as_ref()),
        _ => None,
    })
}

fn ended(events: &[Event]) -> Option<&BreakRecord> {
    events.iter().find_map(|e| match e {
        Event::BreakEnded { record, .. } | Event::Logged(record) => Some(record),
        _ => None,
    })
}

fn run_to_next_start(clock: &ManualClock, s: &mut Scheduler) -> ActiveBreak {
    for _ in 0..10 {
        if let Some(b) = started(&step(clock, s, Duration::MAX)) {
            return b.clone();
        }
    }
    panic!("no break started");
}

#[test]
fn a_working_day_with_default_plans_follows_the_active_time_rhythm() {
    use BreakKind::*;
    let (clock, mut s) = setup();
    // (active minute at which the break starts, kind, kinds it covers), worked out by hand:
    // eye every 20, stretch every 50, walk every 110 minutes of active time; two kinds due within
    // a minute are one break, the longer, which counts for the shorter.
    let expected: Vec<(u64, BreakKind, Vec<BreakKind>)> = vec![
        (20, Eye, vec![]), (40, Eye, vec![]), (50, Stretch, vec![]), (60, Eye, vec![]),
        (80, Eye, vec![]), (100, Stretch, vec![Eye]), (110, Walk, vec![]), (120, Eye, vec![]),
        (140, Eye, vec![]), (150, Stretch, vec![]), (160, Eye, vec![]), (180, Eye, vec![]),
        (200, Stretch, vec![Eye]), (220, Walk, vec![Eye]), (240, Eye, vec![]), (250, Stretch, vec![]),
        (260, Eye, vec![]), (280, Eye, vec![]), (300, Stretch, vec![Eye]), (320, Eye, vec![]),
        (330, Walk, vec![]), (340, Eye, vec![]), (350, Stretch, vec![]), (360, Eye, vec![]),
        (380, Eye, vec![]), (400, Stretch, vec![Eye]), (420, Eye, vec![]), (440, Walk, vec![Eye]),
        (450, Stretch, vec![]), (460, Eye, vec![]), (480, Eye, vec![]),
    ];
    let mut on_break_total = Duration::ZERO;
    let mut seen = Vec::new();
    let mut completed = [0u32; 3];
    while seen.len() < expected.len() {
        let events = step(&clock, &mut s, Duration::MAX);
        for event in &events {
            match event {
                Event::BreakStarted(b) => {
                    let active = clock.now().mono - on_break_total;
                    assert_eq!(active.as_secs() % 60, 0, "breaks start on the minute of active time");
                    assert_eq!(b.due_at, b.started_at, "on a fake clock a break starts when due");
                    seen.push((active.as_secs() / 60, b.kind, b.covers.clone()));
                }
                Event::BreakEnded { record, .. } => {
                    assert_eq!(record.outcome, Outcome::Completed);
                    assert_eq!(record.actual_secs, record.planned_secs);
                    on_break_total += Duration::from_secs(record.planned_secs.into());
                    completed[record.kind.index()] += 1;
                }
                other => panic!("nothing but breaks in this day: {other:?}"),
            }
        }
    }
    assert_eq!(seen, expected);
    // Every 20 minutes of active time was covered by an eye rest, alone or inside a longer break.
    let eye_covered = seen.iter().filter(|(_, k, c)| *k == Eye || c.contains(&Eye)).count();
    assert_eq!(eye_covered, 480 / 20);
    // 18 eye rests were started, the last is still on screen; 9 stretches and 4 walks completed.
    assert_eq!(completed, [17, 9, 4]);
    assert_eq!(on_break_total, Duration::from_secs(17 * 20 + 9 * 90 + 4 * 300));
}

#[test]
fn postpone_puts_the_same_break_off_by_five_minutes_of_active_time() {
    let (clock, mut s) = setup();
    let first = run_to_next_start(&clock, &mut s);
    assert_eq!((first.kind, clock.now().mono), (BreakKind::Eye, 20 * MIN));
    let now = clock.advance(Duration::from_secs(3));
    let events = s.handle(Command::Postpone(Some(first.id)), now).unwrap();
    let record = ended(&events).unwrap();
    assert_eq!((record.outcome, record.actual_secs, record.planned_secs), (Outcome::Postponed, 3, 20));
    assert!(s.phase().is_working());
    let again = run_to_next_start(&clock, &mut s);
    assert_eq!(again.kind, BreakKind::Eye);
    assert_eq!(clock.now().mono, 20 * MIN + Duration::from_secs(3) + Rules::default().postpone_by);
    assert_ne!(again.id, first.id);
}

#[test]
fn skip_during_a_break_logs_it_and_restarts_that_kinds_timer() {
    let (clock, mut s) = setup();
    let first = run_to_next_start(&clock, &mut s);
    let now = clock.advance(Duration::from_secs(5));
    assert_eq!(s.handle(Command::Skip(Some(first.id + 7)), now), Err(ScheduleError::StaleBreak(first.id + 7)));
    let events = s.handle(Command::Skip(Some(first.id)), now).unwrap();
    let record = ended(&events).unwrap();
    assert_eq!((record.outcome, record.actual_secs), (Outcome::Skipped, 5));
    run_to_next_start(&clock, &mut s);
    assert_eq!(clock.now().mono, 20 * MIN + Duration::from_secs(5) + 20 * MIN);
}

#[test]
fn skip_next_while_working_logs_the_upcoming_break_as_skipped() {
    let (clock, mut s) = setup();
    let now = clock.advance(10 * MIN);
    let events = s.handle(Command::Skip(None), now).unwrap();
    let record = ended(&events).unwrap();
    assert_eq!(record.kind, BreakKind::Eye);
    assert_eq!(record.outcome, Outcome::Skipped);
    assert_eq!(record.started_at, None);
    assert_eq!(record.due_at, start_wall() + chrono::Duration::minutes(20));
    let next = run_to_next_start(&clock, &mut s);
    assert_eq!((next.kind, clock.now().mono), (BreakKind::Eye, 30 * MIN));
}

#[test]
fn a_long_pause_resumes_by_itself_and_counts_as_rest() {
    let (clock, mut s) = setup();
    let now = clock.advance(10 * MIN);
    assert!(s.handle(Command::Pause(PauseLength::For(30 * MIN)), now).unwrap().is_empty());
    assert!(matches!(s.phase(), Phase::Paused(Pause { until: Some(_), .. })));
    assert_eq!(s.next_break(now), None);
    assert_eq!(s.next_deadline(), Some(40 * MIN), "wakes only to end the pause");
    assert!(step(&clock, &mut s, Duration::MAX).is_empty());
    assert_eq!((s.phase().is_working(), clock.now().mono), (true, 40 * MIN));
    run_to_next_start(&clock, &mut s);
    assert_eq!(clock.now().mono, 60 * MIN, "timers started afresh after 30 minutes away");
}

#[test]
fn a_short_pause_keeps_the_active_time_already_worked() {
    let (clock, mut s) = setup();
    let now = clock.advance(10 * MIN);
    s.handle(Command::Pause(PauseLength::For(2 * MIN)), now).unwrap();
    run_to_next_start(&clock, &mut s);
    assert_eq!(clock.now().mono, 22 * MIN, "10 min worked + 2 min paused + 10 min worked");
}

#[test]
fn an_open_pause_lasts_until_resumed_and_resume_needs_a_pause() {
    let (clock, mut s) = setup();
    let now = clock.advance(MIN);
    assert_eq!(s.handle(Command::Resume, now), Err(ScheduleError::NotPaused));
    s.handle(Command::Pause(PauseLength::Indefinitely), now).unwrap();
    assert_eq!(s.next_deadline(), None, "nothing to wake for");
    assert_eq!(s.handle(Command::Skip(None), now), Err(ScheduleError::NoNextBreak(Wanted::Skip, NoBreakBecause::Paused)));
    let later = clock.advance(8 * 60 * MIN);
    assert!(s.handle(Command::Resume, later).unwrap().is_empty());
    assert_eq!(s.next_deadline(), Some(later.mono + 20 * MIN - EYE_NOTICE));
}

#[test]
fn pause_until_a_wall_time_and_pause_during_a_break() {
    let (clock, mut s) = setup();
    let brk = run_to_next_start(&clock, &mut s);
    let now = clock.advance(Duration::from_secs(2));
    let until = now.wall + chrono::Duration::hours(3);
    let events = s.handle(Command::Pause(PauseLength::Until(until)), now).unwrap();
    assert_eq!(events, vec![Event::BreakEnded { id: brk.id, record: brk.record(Outcome::Skipped, now) }]);
    assert_eq!(s.next_deadline(), Some(now.mono + 3 * 60 * MIN));
}

#[test]
fn a_manual_break_counts_for_every_shorter_kind() {
    let (clock, mut s) = setup();
    let now = clock.advance(45 * MIN);
    let events = s.handle(Command::TakeBreak(BreakKind::Walk), now).unwrap();
    let brk = started(&events).unwrap().clone();
    assert_eq!((brk.kind, brk.covers.clone(), brk.trigger), (BreakKind::Walk, vec![BreakKind::Eye, BreakKind::Stretch], Trigger::Manual));
    assert_eq!(s.handle(Command::TakeBreak(BreakKind::Eye), now), Err(ScheduleError::AlreadyOnBreak(BreakKind::Walk)));
    let record = ended(&step(&clock, &mut s, Duration::MAX)).unwrap().clone();
    assert_eq!(record.outcome, Outcome::Completed);
    assert_eq!([s.elapsed(BreakKind::Eye), s.elapsed(BreakKind::Stretch), s.elapsed(BreakKind::Walk)], [Duration::ZERO; 3]);
    // A manual eye rest does not count for a stretch.
    let now = clock.advance(30 * MIN);
    let brk = started(&s.handle(Command::TakeBreak(BreakKind::Eye), now).unwrap()).unwrap().clone();
    assert!(brk.covers.is_empty());
    assert_eq!(s.elapsed(BreakKind::Stretch), 30 * MIN);
}

#[test]
fn next_break_names_the_break_that_will_actually_be_taken() {
    let (clock, mut s) = setup();
    // At 99:30 of active time, eye and stretch both fall due at 100: the stretch is taken.
    let mut on_break = Duration::ZERO;
    while clock.now().mono < 99 * MIN + on_break {
        for event in step(&clock, &mut s, 99 * MIN + on_break) {
            if let Event::BreakEnded { record, .. } = event {
                on_break += Duration::from_secs(record.planned_secs.into());
            }
        }
    }
    let next = s.next_break(clock.now()).unwrap();
    assert_eq!((next.kind, next.covers), (BreakKind::Stretch, vec![BreakKind::Eye]));
    assert_eq!(next.in_time, MIN);
}

#[test]
fn a_wall_clock_jump_neither_fires_nor_loses_a_break() {
    let (clock, mut s) = setup();
    clock.advance(5 * MIN);
    for jump in [3600, -7200, 86_400] {
        let now = clock.jump_wall(jump);
        s.wall_changed(now);
        assert!(about_breaks(s.tick(now, &mut NoSenses)).is_empty(), "a jump of {jump} s fired a break");
        assert_eq!(s.next_deadline(), Some(20 * MIN - EYE_NOTICE), "the notice, 10 s before the break");
    }
    let brk = run_to_next_start(&clock, &mut s);
    assert_eq!((brk.kind, clock.now().mono), (BreakKind::Eye, 20 * MIN));
}

#[test]
fn with_every_kind_off_nothing_is_scheduled() {
    let (clock, mut s) = setup();
    let mut plans = *s.plans();
    for plan in &mut plans.0 {
        plan.enabled = false;
    }
    let now = clock.advance(MIN);
    s.handle(Command::SetPlans(plans), now).unwrap();
    assert_eq!(s.next_deadline(), None);
    assert_eq!(s.next_break(now), None);
    assert_eq!(s.handle(Command::Skip(None), now), Err(ScheduleError::NoNextBreak(Wanted::Skip, NoBreakBecause::EveryKindOff)));
    // A break asked for by hand still works.
    assert!(started(&s.handle(Command::TakeBreak(BreakKind::Stretch), now).unwrap()).is_some());
}

#[test]
fn new_plans_apply_to_the_time_already_worked() {
    let (clock, mut s) = setup();
    let now = clock.advance(10 * MIN);
    let mut plans = *s.plans();
    plans.0[BreakKind::Eye.index()].interval = 12 * MIN;
    s.handle(Command::SetPlans(plans), now).unwrap();
    assert_eq!(s.next_deadline(), Some(12 * MIN - EYE_NOTICE));
    let now = clock.advance(5 * MIN);
    plans.0[BreakKind::Eye.index()].interval = 14 * MIN;
    s.handle(Command::SetPlans(plans), now).unwrap();
    let events = s.tick(now, &mut NoSenses);
    assert_eq!(started(&events).map(|b| b.kind), Some(BreakKind::Eye), "already past the new interval");
}

#[test]
fn reloaded_rules_sensing_and_focus_plan_keep_the_time_worked() {
    let (clock, mut s) = setup();
    s.handle(Command::StartFocus, clock.now()).unwrap();
    let now = clock.advance(10 * MIN);
    assert_eq!(about_breaks(s.tick(now, &mut NoSenses)), vec![]);
    s.set_rules(Rules { postpone_by: 2 * MIN, ..Rules::default() });
    s.set_sensing(Sensing { notice: [Duration::ZERO; 3], ..Sensing::default() });
    s.set_focus_plan(FocusPlan { work: 30 * MIN, ..FocusPlan::default() });
    assert_eq!(s.rules().postpone_by, 2 * MIN);
    assert_eq!(s.focus().map(|f| f.left_secs), Some(20 * 60), "10 of the new 30 min are worked");
    assert_eq!(s.next_break(now).map(|n| n.in_time), Some(20 * MIN));
    s.handle(Command::StopFocus, now).unwrap();
    assert_eq!(s.elapsed(BreakKind::Eye), 10 * MIN);
    assert_eq!(s.next_deadline(), Some(20 * MIN), "no notice any more: the deadline is the break");
}

#[test]
fn interrupt_ends_only_a_break_on_screen() {
    let (clock, mut s) = setup();
    assert_eq!(about_breaks(s.interrupt(clock.now())), vec![]);
    let brk = run_to_next_start(&clock, &mut s);
    let now = clock.advance(Duration::from_secs(4));
    let [Event::BreakEnded { id, record }] = &s.interrupt(now)[..] else { panic!("no break ended") };
    let (id, record) = (*id, record.clone());
    assert_eq!((id, record.outcome, record.actual_secs), (brk.id, Outcome::Interrupted, 4));
    assert!(s.phase().is_working());
}

#[test]
fn postpone_is_offered_early_in_a_break_and_a_limited_number_of_times_in_a_row() {
    let (clock, mut s) = setup();
    for round in 0..2 {
        let brk = run_to_next_start(&clock, &mut s);
        assert_eq!(brk.kind, BreakKind::Eye);
        let now = clock.advance(Duration::from_secs(4));
        assert_eq!(s.postpone_window(now), Ok(Duration::from_secs(6)), "round {round}: half of 20 s, 4 s gone");
        let record = ended(&s.handle(Command::Postpone(Some(brk.id)), now).unwrap()).unwrap().clone();
        assert_eq!(record.outcome, Outcome::Postponed);
    }
    let brk = run_to_next_start(&clock, &mut s);
    let now = clock.advance(Duration::from_secs(1));
    assert_eq!(s.handle(Command::Postpone(Some(brk.id)), now), Err(ScheduleError::PostponeLimit(BreakKind::Eye, 2)));
    // Taking the break resets the count; late in a break postpone is refused.
    step(&clock, &mut s, Duration::MAX);
    let brk = run_to_next_start(&clock, &mut s);
    let now = clock.advance(brk.planned / 2);
    assert_eq!(s.handle(Command::Postpone(Some(brk.id)), now), Err(ScheduleError::TooLateToPostpone));
    assert!(s.postpone_window(clock.advance(Duration::ZERO)).is_err());
}

#[test]
fn strict_breaks_cannot_be_skipped_postponed_paused_or_finished_early() {
    let clock = ManualClock::starting_at(start_wall());
    let rules = Rules { strict: [true, false, false], ..Rules::default() };
    let mut s = Scheduler::new(Settings::default().plans(), clock.now()).with_rules(rules);
    let brk = run_to_next_start(&clock, &mut s);
    let now = clock.advance(Duration::from_secs(2));
    for command in [Command::Skip(None), Command::Postpone(Some(brk.id)), Command::Finish(None), Command::Pause(PauseLength::Indefinitely)] {
        assert_eq!(s.handle(command.clone(), now), Err(ScheduleError::Strict(BreakKind::Eye)), "{command:?}");
    }
    let record = ended(&step(&clock, &mut s, Duration::MAX)).unwrap().clone();
    assert_eq!(record.outcome, Outcome::Completed);
}

#[test]
fn finishing_a_walk_early_counts_once_half_of_it_was_taken() {
    let (clock, mut s) = setup();
    let now = clock.advance(MIN);
    let walk = started(&s.handle(Command::TakeBreak(BreakKind::Walk), now).unwrap()).unwrap().clone();
    let now = clock.advance(Duration::from_secs(100));
    let early = ended(&s.handle(Command::Finish(Some(walk.id)), now).unwrap()).unwrap().clone();
    assert_eq!((early.outcome, early.actual_secs), (Outcome::Skipped, 100));
    let walk = started(&s.handle(Command::TakeBreak(BreakKind::Walk), now).unwrap()).unwrap().clone();
    let now = clock.advance(Duration::from_secs(150));
    let done = ended(&s.handle(Command::Finish(Some(walk.id)), now).unwrap()).unwrap().clone();
    assert_eq!((done.outcome, done.actual_secs), (Outcome::Completed, 150));
}

#[test]
fn a_pause_of_any_length_from_outside_never_overflows() {
    for length in [Duration::MAX, Duration::from_secs(u64::MAX), Duration::from_secs(400 * 365 * 86_400)] {
        let (clock, mut s) = setup();
        let now = clock.advance(10 * MIN);
        s.handle(Command::Pause(PauseLength::For(length)), now).unwrap();
        assert!(matches!(s.phase(), Phase::Paused(Pause { until: Some(_), .. })), "{length:?}");
        assert_eq!(s.next_break(now), None);
        assert!(s.next_deadline().is_some_and(|d| d > now.mono), "{length:?}");
        let later = clock.advance(60 * MIN);
        s.tick(later, &mut NoSenses);
        assert!(matches!(s.phase(), Phase::Paused(_)), "still paused an hour later ({length:?})");
        s.handle(Command::Resume, later).unwrap();
        assert!(s.phase().is_working());
    }
}
