//! The evening's reminders, planned without a clock or a notification of their own: the
//! after-hours nudge (once an evening, when the time at the screen outside working hours
//! reaches `nudge_after`: the work will keep until tomorrow) and the bedtime reminder (at its
//! local time, when the person is at the screen). The runtime hands in the time and what it
//! knows, sends the [`Reminder`]s it gets back, and wakes at the deadline returned; the tests
//! below run whole evenings on a fake clock in milliseconds.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use respite_core::clock::Now;
use respite_core::settings::Evening;
use respite_core::workhours::{next_local_time, Span, WorkHours};
use std::time::Duration;

/// A reminder that is due now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reminder {
    /// This much active time after hours this evening.
    Nudge { minutes: u64 },
    Bedtime,
}

/// See the module documentation.
#[derive(Debug)]
pub struct EveningPlanner {
    prefs: Evening,
    /// Active time after hours logged on the evening of `.0` (spans already ended).
    logged: (NaiveDate, Duration),
    nudged_on: Option<NaiveDate>,
    next_bedtime: Option<DateTime<Utc>>,
}

impl EveningPlanner {
    pub fn new<Z: TimeZone>(prefs: Evening, now: DateTime<Utc>, zone: &Z) -> Self {
        let today = now.with_timezone(zone).date_naive();
        Self { prefs, logged: (today, Duration::ZERO), nudged_on: None, next_bedtime: next_bedtime(prefs, now, zone) }
    }

    /// New settings (a reload).
    pub fn set_prefs<Z: TimeZone>(&mut self, prefs: Evening, now: DateTime<Utc>, zone: &Z) {
        self.prefs = prefs;
        self.next_bedtime = next_bedtime(prefs, now, zone);
    }

    /// The wall clock moved: the bedtime follows the new time.
    pub fn wall_moved<Z: TimeZone>(&mut self, now: DateTime<Utc>, zone: &Z) {
        self.next_bedtime = next_bedtime(self.prefs, now, zone);
    }

    /// A span of time at the screen ended (as the runtime logs it).
    pub fn logged<Z: TimeZone>(&mut self, span: &Span, zone: &Z) {
        if !span.after_hours {
            return;
        }
        let day = span.start.with_timezone(zone).date_naive();
        let length = (span.end - span.start).to_std().unwrap_or_default();
        self.logged = if self.logged.0 == day { (day, self.logged.1.saturating_add(length)) } else { (day, length) };
    }

    /// What is due at `now` (`active_since`: when the current stretch at the screen began, if
    /// the person is there), and the monotonic time to look again.
    pub fn due<Z: TimeZone>(&mut self, now: Now, zone: &Z, hours: &WorkHours, active_since: Option<DateTime<Utc>>) -> (Vec<Reminder>, Option<Duration>) {
        let mut due = Vec::new();
        let mut next = None;
        if let (Some(limit), Some(since)) = (self.prefs.nudge_after, active_since) {
            let today = now.wall.with_timezone(zone).date_naive();
            if hours.is_working(now.wall, zone) {
                // Look again when the working day ends.
                let day_ends = hours.split(now.wall, now.wall + chrono::Duration::days(1), zone).into_iter().find(|span| span.after_hours).map(|span| now.mono_at(span.start));
                next = day_ends;
            } else if self.nudged_on != Some(today) {
                let logged = if self.logged.0 == today { self.logged.1 } else { Duration::ZERO };
                let current: Duration = hours
                    .split(since, now.wall, zone)
                    .iter()
                    .filter(|span| span.after_hours && span.start.with_timezone(zone).date_naive() == today)
                    .filter_map(|span| (span.end - span.start).to_std().ok())
                    .sum();
                let so_far = logged.saturating_add(current);
                if so_far >= limit {
                    self.nudged_on = Some(today);
                    due.push(Reminder::Nudge { minutes: so_far.as_secs() / 60 });
                } else {
                    next = Some(now.mono.saturating_add(limit - so_far));
                }
            }
        }
        if let Some(at) = self.next_bedtime {
            if at <= now.wall {
                if active_since.is_some() {
                    due.push(Reminder::Bedtime);
                }
                self.next_bedtime = next_bedtime(self.prefs, now.wall, zone);
            }
            if let Some(at) = self.next_bedtime {
                let until = now.mono_at(at);
                next = Some(next.map_or(until, |n: Duration| n.min(until)));
            }
        }
        (due, next)
    }
}

fn next_bedtime<Z: TimeZone>(prefs: Evening, now: DateTime<Utc>, zone: &Z) -> Option<DateTime<Utc>> {
    prefs.bedtime.map(|t| next_local_time(now, t, zone))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, NaiveTime};
    use respite_core::clock::{Clock, ManualClock};

    const MIN: Duration = Duration::from_secs(60);

    /// Berlin in winter; Monday 2026-11-23; default working hours (Mon–Fri 09:00–18:00).
    fn evening(nudge_after: Option<Duration>, bedtime: Option<(u32, u32)>, local_start: (u32, u32)) -> (ManualClock, FixedOffset, WorkHours, EveningPlanner) {
        let zone = FixedOffset::east_opt(3600).unwrap();
        let start = zone.with_ymd_and_hms(2026, 11, 23, local_start.0, local_start.1, 0).unwrap().with_timezone(&Utc);
        let clock = ManualClock::starting_at(start);
        let prefs = Evening { nudge_after, bedtime: bedtime.map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap()) };
        let planner = EveningPlanner::new(prefs, start, &zone);
        (clock, zone, WorkHours::default(), planner)
    }

    /// Runs the planner to each deadline it gives (at most `limit` of time), with the person at
    /// the screen from the start when `present`; returns each reminder with its local time.
    fn run(clock: &ManualClock, zone: &FixedOffset, hours: &WorkHours, planner: &mut EveningPlanner, present: bool, limit: Duration) -> Vec<(String, Reminder)> {
        let since = present.then(|| clock.now().wall);
        let end = clock.now().mono + limit;
        let mut told = Vec::new();
        loop {
            let now = clock.now();
            let (due, next) = planner.due(now, zone, hours, since);
            told.extend(due.into_iter().map(|r| (now.wall.with_timezone(zone).format("%a %H:%M").to_string(), r)));
            match next {
                Some(at) if at <= end => {
                    assert!(at > now.mono, "the planner asks to be woken in the future");
                    clock.advance(at - now.mono);
                }
                _ => return told,
            }
        }
    }

    #[test]
    fn the_nudge_comes_once_an_evening_after_its_time_after_hours() {
        let (clock, zone, hours, mut planner) = evening(Some(15 * MIN), None, (17, 30));
        let told = run(&clock, &zone, &hours, &mut planner, true, 6 * 60 * MIN);
        // 18:00 ends the working day; 15 minutes later the nudge, and no second one.
        assert_eq!(told, [("Mon 18:15".to_owned(), Reminder::Nudge { minutes: 15 })]);
    }

    #[test]
    fn time_logged_earlier_in_the_evening_counts_towards_the_nudge() {
        let (clock, zone, hours, mut planner) = evening(Some(15 * MIN), None, (19, 0));
        // Ten minutes at the screen at 18:30, logged when that stretch ended.
        let earlier = |h: u32, m: u32| zone.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap().with_timezone(&Utc);
        planner.logged(&Span { start: earlier(18, 30), end: earlier(18, 40), after_hours: true }, &zone);
        planner.logged(&Span { start: earlier(10, 0), end: earlier(12, 0), after_hours: false }, &zone);
        let told = run(&clock, &zone, &hours, &mut planner, true, 60 * MIN);
        assert_eq!(told, [("Mon 19:05".to_owned(), Reminder::Nudge { minutes: 15 })]);
    }

    #[test]
    fn during_working_hours_or_away_there_is_no_nudge() {
        let (clock, zone, hours, mut planner) = evening(Some(15 * MIN), None, (9, 0));
        assert_eq!(run(&clock, &zone, &hours, &mut planner, true, 8 * 60 * MIN), [], "09:00 to 17:00 at work");
        let (clock, zone, hours, mut planner) = evening(Some(15 * MIN), None, (19, 0));
        assert_eq!(run(&clock, &zone, &hours, &mut planner, false, 3 * 60 * MIN), [], "away all evening");
    }

    #[test]
    fn bedtime_comes_at_its_time_when_at_the_screen_and_again_the_next_night() {
        let (clock, zone, hours, mut planner) = evening(None, Some((23, 0)), (22, 0));
        let told = run(&clock, &zone, &hours, &mut planner, true, 26 * 60 * MIN);
        assert_eq!(told, [("Mon 23:00".to_owned(), Reminder::Bedtime), ("Tue 23:00".to_owned(), Reminder::Bedtime)]);
        let (clock, zone, hours, mut planner) = evening(None, Some((23, 0)), (22, 0));
        assert_eq!(run(&clock, &zone, &hours, &mut planner, false, 2 * 60 * MIN), [], "not at the screen: no reminder");
    }

    #[test]
    fn a_wall_clock_jump_moves_the_bedtime_to_the_new_time() {
        let (clock, zone, hours, mut planner) = evening(None, Some((23, 0)), (22, 0));
        // The wall clock jumps an hour forward at 22:00: bedtime is now 60 minutes of real time
        // closer than the monotonic deadline computed before.
        let before = planner.due(clock.now(), &zone, &hours, Some(clock.now().wall)).1;
        assert_eq!(before, Some(clock.now().mono + 60 * MIN), "an hour to bedtime");
        // The wall clock jumps half an hour forward at 22:00 (NTP, a manual change).
        let jumped = clock.jump_wall(30 * 60);
        planner.wall_moved(jumped.wall, &zone);
        let (due, next) = planner.due(jumped, &zone, &hours, Some(jumped.wall));
        assert_eq!(due, []);
        assert_eq!(next, Some(jumped.mono + 30 * MIN), "23:00 on the new clock is half an hour away");
        let at_bedtime = clock.advance(30 * MIN);
        assert_eq!(planner.due(at_bedtime, &zone, &hours, Some(at_bedtime.wall)).0, [Reminder::Bedtime]);
    }
}
