//! The scheduler in real life, on a fake clock and a scripted desk: idle, sleep, clock jumps,
//! do not disturb, typing, notices, focus mode, screen time, and a simulated week.

use super::*;
use crate::clock::{Clock, ClockChange, ClockWatch, ManualClock};
use crate::senses::NoSenses;
use crate::settings::Settings;
use crate::workhours::WorkHours;
use chrono::TimeZone;

const SEC: Duration = Duration::from_secs(1);
const MIN: Duration = Duration::from_secs(60);

/// The person at the desk, as the senses see them.
struct Desk {
    /// Monotonic time of the last input.
    last_input: Duration,
    /// Whether they are giving input right now (then idle is 2 s: between two keystrokes).
    at_keys: bool,
    /// Typing without pause (idle under a second).
    typing: bool,
    hold: Option<HoldReason>,
    now: Duration,
    reads: u32,
}

impl Senses for Desk {
    fn idle_for(&mut self) -> Option<Duration> {
        self.reads += 1;
        if self.at_keys {
            self.last_input = self.now.saturating_sub(if self.typing { Duration::from_millis(200) } else { 2 * SEC });
        }
        Some(self.now.saturating_sub(self.last_input))
    }

    fn hold(&mut self) -> Option<HoldReason> {
        self.hold
    }
}

/// The scheduler, the clock, the desk, and everything that happened.
struct World {
    clock: ManualClock,
    watch: ClockWatch,
    s: Scheduler,
    desk: Desk,
    events: Vec<(DateTime<Utc>, Event)>,
}

impl World {
    fn new(start: DateTime<Utc>) -> Self {
        Self::with(start, Scheduler::new(Settings::default().plans(), Now { mono: Duration::ZERO, wall: start }))
    }

    fn with(start: DateTime<Utc>, s: Scheduler) -> Self {
        let clock = ManualClock::starting_at(start);
        let watch = ClockWatch::new(clock.now(), clock.slept());
        let desk = Desk { last_input: Duration::ZERO, at_keys: true, typing: false, hold: None, now: Duration::ZERO, reads: 0 };
        let mut world = Self { clock, watch, s, desk, events: Vec::new() };
        world.tick();
        world
    }

    /// What the runtime does at each wake-up: notice sleeps and jumps, then tick.
    fn tick(&mut self) {
        let now = self.clock.now();
        for change in self.watch.check(now, self.clock.slept()) {
            match change {
                ClockChange::Slept(d) => self.s.slept(d, now),
                ClockChange::WallMoved(_) => self.s.wall_changed(now),
            }
        }
        self.desk.now = now.mono;
        let events = self.s.tick(now, &mut self.desk);
        self.events.extend(events.into_iter().map(|e| (now.wall, e)));
    }

    /// Lets `d` pass, waking at every deadline on the way.
    fn pass(&mut self, d: Duration) {
        let end = self.clock.now().mono + d;
        loop {
            let now = self.clock.now().mono;
            let next = self.s.next_deadline().filter(|at| *at < end).unwrap_or(end).max(now);
            self.clock.advance(next - now);
            self.tick();
            if next >= end {
                return;
            }
        }
    }

    /// At the keyboard for `d`.
    fn work(&mut self, d: Duration) {
        self.desk.at_keys = true;
        self.pass(d);
    }

    /// Away from the keyboard for `d`.
    fn away(&mut self, d: Duration) {
        self.desk.at_keys = false;
        self.desk.last_input = self.clock.now().mono;
        self.pass(d);
        self.desk.at_keys = true;
    }

    fn sleep(&mut self, d: Duration) {
        self.clock.sleep(d);
        self.desk.last_input = self.clock.now().mono;
        self.tick();
    }

    fn command(&mut self, command: Command) -> Result<(), ScheduleError> {
        let now = self.clock.now();
        let events = self.s.handle(command, now)?;
        self.events.extend(events.into_iter().map(|e| (now.wall, e)));
        self.tick();
        Ok(())
    }

    /// The break log so far: records as they would be written.
    fn records(&self) -> Vec<BreakRecord> {
        self.events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::BreakEnded { record, .. } | Event::Logged(record) => Some(record.clone()),
                _ => None,
            })
            .collect()
    }

    fn started(&self) -> Vec<(DateTime<Utc>, ActiveBreak)> {
        self.events
            .iter()
            .filter_map(|(at, e)| match e {
                Event::BreakStarted(b) => Some((*at, (**b).clone())),
                _ => None,
            })
            .collect()
    }

    fn screen_time(&self) -> Duration {
        self.events
            .iter()
            .filter_map(|(_, e)| match e {
                Event::Active { start, end } => (*end - *start).to_std().ok(),
                _ => None,
            })
            .sum()
    }

    fn mono(&self) -> Duration {
        self.clock.now().mono
    }

    fn clear(&mut self) {
        self.events.clear();
    }
}

fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

fn approx(actual: u32, expected: Duration, tolerance: Duration) -> bool {
    let actual = Duration::from_secs(actual.into());
    actual <= expected + tolerance && actual + tolerance >= expected
}

#[test]
fn the_next_due_time_is_the_break_not_a_notice_or_an_idle_reading() {
    let mut w = World::new(monday());
    w.work(MIN);
    assert_eq!(w.s.next_due_mono(), Some(20 * MIN), "the eye rest, 20 min in");
    assert!(w.s.next_deadline().unwrap() < 20 * MIN - 10 * SEC, "the next wake-up is an idle reading");
    w.work(19 * MIN - 5 * SEC);
    assert_eq!(w.s.next_due_mono(), Some(20 * MIN), "after the notice, still the break");
    w.away(MIN);
    assert_eq!(w.s.next_due_mono(), None, "nothing to prepare while away");
}

#[test]
fn idle_time_does_not_count_and_short_pauses_do() {
    let mut w = World::new(monday());
    w.work(5 * MIN);
    w.away(15 * SEC); // shorter than the shortest break: still active time
    w.work(5 * MIN);
    assert_eq!(w.s.elapsed(BreakKind::Stretch), 10 * MIN + 15 * SEC);
    w.away(10 * MIN);
    assert!(w.s.is_away());
    w.work(MIN);
    assert!(!w.s.is_away());
    // Ten minutes away at least reset eye and stretch (and everything: 10 min ≥ 5 min).
    assert!(w.s.elapsed(BreakKind::Walk) <= MIN + 20 * SEC, "{:?}", w.s.elapsed(BreakKind::Walk));
    assert!(w.started().is_empty());
}

#[test]
fn away_for_a_break_length_counts_as_that_break_taken_naturally() {
    let mut w = World::new(monday());
    w.work(15 * MIN);
    w.away(MIN);
    // The return is noticed at the next reading, at most 20 s later.
    w.work(30 * SEC);
    let records = w.records();
    assert_eq!(records.len(), 1, "{records:?}");
    let natural = &records[0];
    assert_eq!((natural.kind, natural.outcome, natural.covers.clone()), (BreakKind::Eye, Outcome::Natural, vec![]));
    assert!(approx(natural.actual_secs, MIN, 20 * SEC), "{natural:?}");
    assert_eq!(natural.started_at, Some(monday() + chrono::Duration::minutes(15)));
    // The eye timer restarted; stretch kept its 15 minutes (a minute is shorter than a stretch).
    assert!(w.s.elapsed(BreakKind::Eye) < MIN);
    assert!(w.s.elapsed(BreakKind::Stretch) >= 15 * MIN && w.s.elapsed(BreakKind::Stretch) < 16 * MIN);
    // Soon after a break, the same absence resets the timer but logs nothing.
    w.work(5 * MIN);
    w.away(MIN);
    w.work(30 * SEC);
    assert_eq!(w.records().len(), 1);
    assert!(w.s.elapsed(BreakKind::Eye) < MIN);
}

#[test]
fn a_long_absence_resets_every_timer_and_logs_one_natural_break_for_the_kinds_it_replaced() {
    let mut w = World::new(monday());
    w.work(45 * MIN);
    w.clear();
    w.away(7 * MIN);
    w.work(30 * SEC);
    let records = w.records();
    assert_eq!(records.len(), 1, "{records:?}");
    // Walk was 45/110 of the way and the eye rest had been taken 5 min before (less than half
    // way): reset, but not logged. The stretch was 45/50 of the way: a natural stretch.
    assert_eq!((records[0].kind, records[0].covers.clone(), records[0].outcome), (BreakKind::Stretch, vec![], Outcome::Natural));
    for kind in BreakKind::ALL {
        assert!(w.s.elapsed(kind) < 60 * SEC, "{kind} not reset");
    }
}

#[test]
fn suspend_counts_as_away_a_minute_as_an_eye_rest_two_hours_as_a_fresh_start() {
    let mut w = World::new(monday());
    w.work(15 * MIN);
    w.sleep(MIN);
    w.work(10 * SEC);
    let natural = w.records();
    assert_eq!(natural.len(), 1, "{natural:?}");
    assert_eq!((natural[0].kind, natural[0].outcome), (BreakKind::Eye, Outcome::Natural));
    assert!(approx(natural[0].actual_secs, MIN, 5 * SEC), "{:?}", natural[0]);

    w.work(60 * MIN);
    w.clear();
    let before = w.mono();
    w.sleep(2 * 3600 * SEC);
    w.work(10 * SEC);
    let records = w.records();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!((records[0].kind, records[0].outcome), (BreakKind::Walk, Outcome::Natural), "{records:?}");
    assert!(w.started().is_empty(), "no burst of breaks after waking");
    for kind in BreakKind::ALL {
        assert!(w.s.elapsed(kind) <= 10 * SEC);
    }
    // The next break is a full interval of activity after waking.
    w.work(25 * MIN);
    let started = w.started();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].1.kind, BreakKind::Eye);
    let woke = before;
    assert!(started[0].1.started_mono >= woke + 20 * MIN && started[0].1.started_mono <= woke + 20 * MIN + 10 * SEC);
}

#[test]
fn a_locked_screen_is_time_away_even_without_idle_data() {
    let clock = ManualClock::starting_at(monday());
    let mut s = Scheduler::new(Settings::default().plans(), clock.now());
    let now = clock.advance(15 * MIN - SEC);
    assert!(about_breaks(s.tick(now, &mut NoSenses)).is_empty());
    let events = s.screen(ScreenLock::Locked, now);
    assert!(matches!(events[..], [Event::Active { .. }]), "the active span ends at the lock: {events:?}");
    assert!(s.is_away());
    let now = clock.advance(3 * MIN);
    assert!(about_breaks(s.tick(now, &mut NoSenses)).is_empty());
    assert!(s.is_away(), "still locked");
    assert_eq!(s.next_deadline(), None, "nothing to read or do while locked without idle data");
    let mut events = s.screen(ScreenLock::Unlocked, now);
    events.extend(s.tick(now, &mut NoSenses));
    let natural: Vec<_> = events.iter().filter_map(|e| if let Event::Logged(r) = e { Some(r) } else { None }).collect();
    assert_eq!(natural.len(), 1, "{events:?}");
    assert_eq!((natural[0].kind, natural[0].outcome, natural[0].actual_secs), (BreakKind::Eye, Outcome::Natural, 180));
    assert_eq!(natural[0].started_at, Some(monday() + chrono::Duration::seconds(15 * 60 - 1)));
    assert!(!s.is_away());
}

fn about_breaks(events: Vec<Event>) -> Vec<Event> {
    events.into_iter().filter(|e| !matches!(e, Event::Active { .. } | Event::Upcoming(_))).collect()
}

#[test]
fn a_break_on_screen_through_a_sleep_ends_when_the_sleep_covered_it() {
    let mut w = World::new(monday());
    w.command(Command::TakeBreak(BreakKind::Walk)).unwrap();
    w.pass(MIN);
    w.sleep(10 * MIN);
    let records = w.records();
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].outcome, records[0].actual_secs), (Outcome::Completed, 300));
}

#[test]
fn clock_jumps_neither_fire_nor_lose_breaks_and_wall_pauses_follow_the_wall() {
    for jump in [3600, -3600] {
        let mut w = World::new(monday());
        w.work(10 * MIN);
        w.clock.jump_wall(jump);
        w.work(9 * MIN);
        assert!(w.started().is_empty(), "jump {jump}: a break fired early");
        w.work(MIN + 5 * SEC);
        let started = w.started();
        assert_eq!(started.len(), 1, "jump {jump}");
        assert_eq!(started[0].1.started_mono, 20 * MIN, "jump {jump}: the break came after 20 min of work");
        // A pause until a wall time ends at that wall time, even if the wall clock moves.
        let until = w.clock.now().wall + chrono::Duration::hours(2);
        w.command(Command::Pause(PauseLength::Until(until))).unwrap();
        w.work(30 * MIN);
        w.clock.jump_wall(jump);
        w.work(MIN);
        let Phase::Paused(pause) = w.s.phase().clone() else { panic!("not paused") };
        let ends = w.clock.now().wall_at(pause.until.unwrap().mono);
        assert_eq!(ends, until, "jump {jump}");
    }
}

#[test]
fn a_due_break_waits_for_do_not_disturb_and_logs_why_and_how_long() {
    let mut w = World::new(monday());
    w.desk.hold = Some(HoldReason::Fullscreen);
    w.work(25 * MIN);
    assert!(w.started().is_empty());
    assert_eq!(w.s.holding(), Some(HoldReason::Fullscreen));
    assert_eq!(w.events.iter().filter(|(_, e)| matches!(e, Event::Held { kind: BreakKind::Eye, reason: HoldReason::Fullscreen })).count(), 1, "held is said once");
    // Then every look again says it still waits: 5 min held, a look every 15 s.
    let again = w.events.iter().filter(|(_, e)| matches!(e, Event::StillHeld { kind: BreakKind::Eye, reason: HoldReason::Fullscreen })).count();
    assert!((19..=20).contains(&again), "{again} looks again in 5 min");
    w.desk.hold = None;
    w.work(20 * SEC);
    let started = w.started();
    assert_eq!(started.len(), 1);
    let held = started[0].1.held.unwrap();
    assert_eq!(held.reason, HoldReason::Fullscreen);
    assert!((300..=300 + 15).contains(&held.secs), "{held:?}");
    w.work(MIN);
    assert_eq!(w.records()[0].held, Some(held));
    // Held past the limit, the break shows anyway.
    let mut w = World::new(monday());
    w.desk.hold = Some(HoldReason::Inhibited);
    w.work(20 * MIN + 31 * MIN);
    let started = w.started();
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].1.held.map(|h| (h.reason, h.secs)), Some((HoldReason::Inhibited, 30 * 60)));
}

#[test]
fn a_due_break_waits_a_few_seconds_for_a_pause_in_typing() {
    let mut w = World::new(monday());
    w.desk.typing = true;
    w.work(20 * MIN - 20 * SEC);
    w.work(20 * SEC + 2 * SEC);
    assert!(w.started().is_empty(), "typing at 20:00");
    w.desk.typing = false;
    w.work(SEC);
    let started = w.started();
    assert_eq!(started.len(), 1);
    assert!(started[0].1.started_mono > 20 * MIN && started[0].1.started_mono <= 20 * MIN + 3 * SEC);
    // Typing on and on: the break comes after 5 s anyway.
    let mut w = World::new(monday());
    w.desk.typing = true;
    w.work(21 * MIN);
    let started = w.started();
    assert_eq!(started[0].1.started_mono, 20 * MIN + TYPING_WAIT);
}

#[test]
fn a_notice_comes_before_each_break_and_can_postpone_it() {
    let mut w = World::new(monday());
    w.work(20 * MIN - 5 * SEC);
    let notices: Vec<_> = w.events.iter().filter_map(|(at, e)| matches!(e, Event::Upcoming(_)).then_some(*at)).collect();
    assert_eq!(notices, vec![monday() + chrono::Duration::seconds(20 * 60 - 10)]);
    w.command(Command::Postpone(None)).unwrap();
    let records = w.records();
    assert_eq!((records[0].kind, records[0].outcome, records[0].started_at), (BreakKind::Eye, Outcome::Postponed, None));
    w.work(5 * MIN + 10 * SEC);
    let started = w.started();
    assert_eq!(started[0].1.started_mono, 20 * MIN - 5 * SEC + 5 * MIN);
    // The stretch notice comes 30 s ahead.
    w.work(30 * MIN);
    let stretch_notice = w.events.iter().find_map(|(at, e)| match e {
        Event::Upcoming(next) if next.kind == BreakKind::Stretch => Some((*at, next.at)),
        _ => None,
    });
    let (told, due) = stretch_notice.expect("a stretch notice");
    assert_eq!(due - told, chrono::Duration::seconds(30));
}

#[test]
fn focus_mode_runs_rounds_with_short_and_long_breaks_and_logs_them() {
    let mut w = World::new(monday());
    w.command(Command::StartFocus).unwrap();
    assert_eq!(w.command(Command::StartFocus), Err(ScheduleError::AlreadyFocusing));
    // Four rounds: 25 min work + 5 min break, three times, then 25 min + 20 min.
    w.work(4 * 25 * MIN + 3 * 5 * MIN + 20 * MIN + 30 * SEC);
    let started: Vec<_> = w.started().into_iter().map(|(_, b)| (b.kind, b.trigger, b.planned, b.covers)).collect();
    use BreakKind::*;
    // A 5 min break is as long as a walk: it counts for it too.
    let short = (Stretch, Trigger::Focus, 5 * MIN, vec![Eye, Walk]);
    let long = (Walk, Trigger::Focus, 20 * MIN, vec![Eye, Stretch]);
    assert_eq!(started, vec![short.clone(), short.clone(), short, long]);
    let rounds: Vec<_> = w.events.iter().filter_map(|(_, e)| match e { Event::FocusRound(r) => Some((r.round, r.completed)), _ => None }).collect();
    assert_eq!(rounds, vec![(1, true), (2, true), (3, true), (4, true)]);
    assert_eq!(w.s.focus().map(|f| f.round), Some(1), "a new cycle");
    // Stopped mid-round: that round is logged as not completed; the usual schedule resumes.
    w.work(10 * MIN);
    w.clear();
    w.command(Command::StopFocus).unwrap();
    assert!(matches!(w.events[..], [(_, Event::FocusRound(FocusRound { round: 1, completed: false, .. })), ..]));
    assert_eq!(w.s.focus(), None);
    assert_eq!(w.s.next_break(w.clock.now()).map(|n| n.kind), Some(Eye));
}

#[test]
fn screen_time_is_logged_in_spans_that_leave_out_breaks_and_absences() {
    let mut w = World::new(monday());
    w.work(50 * MIN);
    w.away(10 * MIN);
    w.work(10 * MIN);
    assert_eq!(w.started().len(), 2, "eye rests at 20 and 40; the stretch was due at 50 min of activity");
    w.command(Command::Pause(PauseLength::Indefinitely)).unwrap();
    let mut end = w.s.interrupt(w.clock.now());
    w.events.extend(end.drain(..).map(|e| (monday(), e)));
    // 60 min at the keys, minus the two eye rests; the return is noticed up to 20 s late.
    let expected = 60 * MIN - Duration::from_secs(40);
    let got = w.screen_time();
    assert!(got <= expected + 20 * SEC && got + 20 * SEC >= expected, "{got:?} vs {expected:?}");
    // No span is longer than the flush length (and a bit).
    for (_, e) in &w.events {
        if let Event::Active { start, end } = e {
            assert!((*end - *start).to_std().unwrap() <= presence::SPAN_FLUSH + 20 * SEC);
        }
    }
}

#[test]
fn idle_is_read_only_as_often_as_decisions_need() {
    let mut w = World::new(monday());
    w.work(60 * MIN);
    let at_keys = w.desk.reads;
    // At the keys, a reading every (20 s threshold − 2 s idle) = 18 s, plus a few at breaks.
    assert!((190..=215).contains(&at_keys), "{at_keys} reads in an hour at the keys");
    w.command(Command::Pause(PauseLength::Indefinitely)).unwrap();
    w.desk.reads = 0;
    let mut quiet = World::with(monday(), Scheduler::new(Settings::default().plans(), Now { mono: Duration::ZERO, wall: monday() }));
    quiet.desk.reads = 0;
    quiet.s.handle(Command::Pause(PauseLength::Indefinitely), quiet.clock.now()).unwrap();
    quiet.away(60 * MIN);
    assert!(quiet.desk.reads <= 60 * 3 + 2, "{} reads in an hour away", quiet.desk.reads);
}

#[test]
fn with_no_idle_data_wall_time_is_active_time_and_nothing_is_read_between_breaks() {
    let clock = ManualClock::starting_at(monday());
    let mut s = Scheduler::new(Settings::default().plans(), clock.now());
    let mut reads = 0;
    struct Blind<'a>(&'a mut u32);
    impl Senses for Blind<'_> {
        fn idle_for(&mut self) -> Option<Duration> {
            *self.0 += 1;
            None
        }
        fn hold(&mut self) -> Option<HoldReason> {
            None
        }
    }
    let mut starts = 0;
    while clock.now().mono < 60 * MIN {
        let target = s.next_deadline().unwrap();
        let now = clock.advance(target - clock.now().mono);
        starts += s.tick(now, &mut Blind(&mut reads)).iter().filter(|e| matches!(e, Event::BreakStarted(_))).count();
    }
    assert_eq!(starts, 3);
    assert!(reads <= 1 + starts as u32, "{reads} reads");
}

/// A working week in Berlin across the end of summer time, on the fake clock: idle, sleep,
/// clock jumps, fullscreen and pause-until-tomorrow, with the exact break log.
#[test]
fn a_simulated_week_gives_the_exact_break_log() {
    use chrono_tz::Europe::Berlin;
    let hours = WorkHours::default();
    // Thursday 2026-10-22 09:00 in Berlin (summer time, UTC+2).
    let start = Berlin.with_ymd_and_hms(2026, 10, 22, 9, 0, 0).unwrap().with_timezone(&Utc);
    let mut w = World::new(start);
    // Thursday: 70 min at the keys with a video call in fullscreen from minute 15 to 28.
    w.work(15 * MIN);
    w.desk.hold = Some(HoldReason::Fullscreen);
    w.work(13 * MIN);
    w.desk.hold = None;
    w.work(42 * MIN);
    // Lunch: the laptop sleeps for 45 minutes.
    w.sleep(45 * MIN);
    w.work(30 * MIN);
    // Evening: pause until tomorrow, resolved with the working hours.
    let until = hours.next_day_start(w.clock.now().wall, &Berlin).unwrap();
    w.command(Command::Pause(PauseLength::Until(until))).unwrap();
    // The night passes (and NTP steps the clock back 90 s).
    w.away(4 * 3600 * SEC);
    w.clock.jump_wall(-90);
    w.sleep(13 * 3600 * SEC);
    w.work(until.signed_duration_since(w.clock.now().wall).to_std().unwrap_or_default() + 25 * MIN);
    // Friday: 25 minutes of work after the pause ended at 09:00 Berlin, then a coffee away.
    w.away(6 * MIN);
    w.work(30 * MIN);
    // Friday evening: pause until tomorrow, which is Monday, after summer time ended on Sunday.
    let monday = hours.next_day_start(w.clock.now().wall, &Berlin).unwrap();
    w.command(Command::Pause(PauseLength::Until(monday))).unwrap();
    w.away(8 * 3600 * SEC);
    w.sleep(60 * 3600 * SEC);
    w.work(monday.signed_duration_since(w.clock.now().wall).to_std().unwrap_or_default() + 21 * MIN);

    let local = |t: DateTime<Utc>| t.with_timezone(&Berlin).format("%a %H:%M").to_string();
    let log: Vec<String> = w
        .records()
        .iter()
        .map(|r| {
            let held = r.held.map(|h| format!(" held {} {}m", h.reason.as_str(), h.secs / 60)).unwrap_or_default();
            format!("{} {} {}{}", local(r.started_at.unwrap_or(r.due_at)), r.kind, r.outcome.as_str(), held)
        })
        .collect();
    assert_eq!(until, Utc.with_ymd_and_hms(2026, 10, 23, 7, 0, 0).unwrap(), "Friday 09:00 summer time");
    assert_eq!(monday, Utc.with_ymd_and_hms(2026, 10, 26, 8, 0, 0).unwrap(), "Monday 09:00 winter time");
    // Worked out by hand (active time only; a break is due 20/50/110 min of activity after the
    // last of its kind):
    // - the eye rest due 09:20 waits out the fullscreen call until 09:28;
    // - the next comes 20 min later; the stretch 50 min after 09:00 plus the two eye rests;
    // - the 45 min sleep at 10:10 resets everything and stands for the walk (68 of 110 min)
    //   and the eye rest (19 of 20 min), but not the stretch (19 of 50);
    // - after lunch, one eye rest 20 min after waking;
    // - the pause until tomorrow ends at 09:00 (the clock's 90 s step and the night's sleep
    //   do not move it): an eye rest at 09:20; the 6 min coffee at 09:25 resets the timers
    //   and replaces nothing (the stretch was at 24 of 50 min), so the next eye rest is at 09:51;
    // - Monday: the pause ends at 09:00 winter time, the eye rest comes at 09:20.
    assert_eq!(
        log,
        [
            "Thu 09:28 eye completed held fullscreen 8m",
            "Thu 09:48 eye completed",
            "Thu 09:50 stretch completed",
            "Thu 10:10 walk natural",
            "Thu 11:15 eye completed",
            "Fri 09:20 eye completed",
            "Fri 09:51 eye completed",
            "Mon 09:20 eye completed",
        ],
        "the week as logged"
    );
    let walk = &w.records()[3];
    assert_eq!(walk.covers, vec![BreakKind::Eye]);
}

/// Working through the night of a DST change, in Europe and America, both ways: breaks keep
/// their rhythm (no burst, no gap), and "pause until tomorrow" ends at 09:00 local on Monday.
#[test]
fn dst_changes_neither_burst_nor_skip_breaks_and_pauses_end_at_local_nine() {
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Berlin;
    use chrono_tz::Tz;
    let changes: [(Tz, (i32, u32, u32)); 4] =
        [(Berlin, (2026, 3, 29)), (Berlin, (2026, 10, 25)), (New_York, (2026, 3, 8)), (New_York, (2026, 11, 1))];
    for (zone, (y, m, d)) in changes {
        // Saturday 23:30 local, the night before the change.
        let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let at = |date: chrono::NaiveDate, h, min| zone.from_local_datetime(&date.and_hms_opt(h, min, 0).unwrap()).unwrap().with_timezone(&Utc);
        let start = at(day.pred_opt().unwrap(), 23, 30);
        let mut w = World::new(start);
        w.work(4 * 3600 * SEC);
        let starts: Vec<Duration> = w.started().into_iter().map(|(_, b)| b.started_mono).collect();
        let mut reference = World::new(Utc.with_ymd_and_hms(2026, 6, 13, 21, 30, 0).unwrap());
        reference.work(4 * 3600 * SEC);
        let reference: Vec<Duration> = reference.started().into_iter().map(|(_, b)| b.started_mono).collect();
        assert_eq!(starts, reference, "{zone} {y}-{m}-{d}: the same breaks as on an ordinary night");
        let monday = WorkHours::default().next_day_start(w.clock.now().wall, &zone).unwrap();
        assert_eq!(monday, at(day.succ_opt().unwrap(), 9, 0), "{zone} {y}-{m}-{d}");
        w.command(Command::Pause(PauseLength::Until(monday))).unwrap();
        w.sleep(20 * 3600 * SEC);
        w.away(MIN);
        assert!(matches!(w.s.phase(), Phase::Paused(_)), "{zone}: still paused before 09:00");
        let left = monday.signed_duration_since(w.clock.now().wall).to_std().unwrap();
        w.away(left);
        assert!(w.s.phase().is_working(), "{zone}: resumed at 09:00 local");
    }
}

#[cfg(test)]
mod gentle;
mod timetable;
