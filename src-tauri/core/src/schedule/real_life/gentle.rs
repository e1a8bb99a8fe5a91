//! Gentle mode on the fake clock and the scripted desk: eye rests as notifications, taken by
//! stepping away, by saying Done after their length, or skipped by working on through them; and
//! the screen time that goes on being counted meanwhile.

use super::*;
use crate::record::Style;

/// A world whose eye rests (every 20 min, 20 s) come as notifications; stretches and walks off.
fn gentle_world() -> World {
    let mut settings = Settings::default();
    settings.plans.0[1].enabled = false;
    settings.plans.0[2].enabled = false;
    let rules = Rules { style: [Style::Notification, Style::Overlay, Style::Overlay], ..Rules::default() };
    World::with(monday(), Scheduler::new(settings.plans(), Now { mono: Duration::ZERO, wall: monday() }).with_rules(rules))
}

/// Works until the eye rest starts; returns it.
fn until_the_break(w: &mut World) -> ActiveBreak {
    for _ in 0..40 {
        w.work(MIN);
        if let Phase::OnBreak(brk) = w.s.phase() {
            return brk.clone();
        }
    }
    panic!("no break started");
}

#[test]
fn a_notification_break_is_taken_by_stepping_away_for_its_length() {
    let mut w = gentle_world();
    let brk = until_the_break(&mut w);
    assert_eq!(brk.style, Style::Notification);
    assert_eq!(brk.ends_mono(), brk.started_mono + 20 * SEC + GENTLE_ANSWER, "offered until two minutes after its length");
    // Read the notification, finish the sentence, then look away for 25 s.
    w.work(5 * SEC);
    w.away(25 * SEC);
    let records = w.records();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!((records[0].outcome, records[0].style, records[0].actual_secs), (Outcome::Completed, Style::Notification, 20));
    let ended_at = (records[0].ended_at - brk.started_at).num_seconds();
    assert!((25..=27).contains(&ended_at), "ends as soon as the person was away 20 s: {ended_at} s after it came");
    assert!(w.s.phase().is_working());
}

#[test]
fn done_counts_once_its_length_has_passed_and_working_on_through_it_is_skipped() {
    let mut w = gentle_world();
    let brk = until_the_break(&mut w);
    w.work(30 * SEC);
    w.command(Command::Finish(Some(brk.id))).unwrap();
    assert_eq!(w.records()[0].outcome, Outcome::Completed, "Done after its 20 s");

    w.clear();
    let brk = until_the_break(&mut w);
    w.work(10 * SEC);
    w.command(Command::Finish(Some(brk.id))).unwrap();
    assert_eq!(w.records()[0].outcome, Outcome::Skipped, "Done after 10 s of a 20 s rest is not a rest");

    w.clear();
    let brk = until_the_break(&mut w);
    w.work(3 * MIN);
    let records = w.records();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].outcome, Outcome::Skipped, "no answer and no rest");
    assert_eq!((records[0].ended_at - brk.started_at).to_std().unwrap(), 20 * SEC + GENTLE_ANSWER);
    assert!(w.s.phase().is_working());
}

#[test]
fn screen_time_goes_on_through_a_notification_break_and_a_short_look_away_is_not_a_rest() {
    let mut w = gentle_world();
    let brk = until_the_break(&mut w);
    let before = w.screen_time();
    // Working through it, with a 10 s look away that is too short.
    w.work(30 * SEC);
    w.away(10 * SEC);
    w.work(MIN);
    assert!(matches!(w.s.phase(), Phase::OnBreak(b) if b.id == brk.id), "still offered");
    w.work(2 * MIN);
    assert_eq!(w.records()[0].outcome, Outcome::Skipped);
    w.work(MIN);
    w.away(MIN); // closes the span
    let counted = w.screen_time() - before;
    // 30 s + 10 s (a pause shorter than the shortest break is active time) + 4 min.
    assert!(counted >= 4 * MIN + 30 * SEC, "the time at the screen during the break counts: {counted:?}");
}

#[test]
fn a_locked_screen_or_a_sleep_during_a_notification_break_takes_it() {
    let mut w = gentle_world();
    let brk = until_the_break(&mut w);
    let now = w.clock.now();
    w.s.screen(ScreenLock::Locked, now);
    w.desk.at_keys = false; // the lock screen sees no input either
    w.desk.last_input = now.mono;
    w.pass(21 * SEC);
    let records = w.records();
    assert_eq!(records.last().map(|r| (r.outcome, r.style)), Some((Outcome::Completed, Style::Notification)), "{records:?}");
    let now = w.clock.now();
    w.s.screen(ScreenLock::Unlocked, now);
    w.desk.at_keys = true;

    w.clear();
    assert!(w.s.phase().is_working(), "{brk:?} is over");
    until_the_break(&mut w);
    w.sleep(5 * MIN);
    w.work(SEC);
    assert_eq!(w.records().first().map(|r| r.outcome), Some(Outcome::Completed), "slept through it: {:?}", w.records());
}

#[test]
fn a_strict_notification_break_has_done_but_no_skip() {
    let mut w = gentle_world();
    let mut rules = *w.s.rules();
    rules.strict = [true, false, false];
    w.s.set_rules(rules);
    let brk = until_the_break(&mut w);
    assert!(brk.strict);
    assert_eq!(w.command(Command::Skip(Some(brk.id))), Err(ScheduleError::Strict(BreakKind::Eye)));
    w.work(25 * SEC);
    w.command(Command::Finish(Some(brk.id))).unwrap();
    assert_eq!(w.records()[0].outcome, Outcome::Completed, "Done after its length");
}
