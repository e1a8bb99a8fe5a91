//! The daemon's other timed chores, planned without a clock, a notification or a database of
//! their own, like the evening's reminders (`evening.rs`): when to offer the weekly self-check,
//! when to delete records past the retention setting, and when to start the overlay ahead of a
//! break. The runtime hands each planner the time and what it knows, does what it is told, and
//! wakes at the deadline returned; the tests below run weeks of them on a fake clock.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use respite_core::calendar::Week;
use respite_core::clock::Now;
use respite_core::settings::SelfCheckPrefs;
use respite_core::workhours::next_local_time;
use std::time::Duration;

/// How often old records are deleted (the first time at start).
pub const PRUNE_EVERY: Duration = Duration::from_secs(24 * 3600);

/// When the weekly self-check is offered: its weekday and local time, unless that week's is
/// answered already.
#[derive(Debug)]
pub struct SelfCheckPlanner {
    prefs: SelfCheckPrefs,
    next: Option<DateTime<Utc>>,
}

impl SelfCheckPlanner {
    pub fn new<Z: TimeZone>(prefs: SelfCheckPrefs, now: DateTime<Utc>, zone: &Z) -> Self {
        Self { prefs, next: next_offer(prefs, now, zone) }
    }

    /// New settings (a reload): the next offer follows them.
    pub fn set_prefs<Z: TimeZone>(&mut self, prefs: SelfCheckPrefs, now: DateTime<Utc>, zone: &Z) {
        self.prefs = prefs;
        self.next = next_offer(prefs, now, zone);
    }

    /// The wall clock moved: the next offer follows the new time.
    pub fn wall_moved<Z: TimeZone>(&mut self, now: DateTime<Utc>, zone: &Z) {
        self.next = next_offer(self.prefs, now, zone);
    }

    /// The week whose self-check to offer now, if it is time and `answered(week)` is false; and
    /// the monotonic time to look again.
    pub fn due<Z: TimeZone>(&mut self, now: Now, zone: &Z, answered: impl FnOnce(Week) -> bool) -> (Option<Week>, Option<Duration>) {
        let mut offer = None;
        if let Some(at) = self.next.filter(|at| *at <= now.wall) {
            let week = Week::containing(at, zone);
            if !answered(week) {
                offer = Some(week);
            }
            self.next = next_offer(self.prefs, now.wall, zone);
        }
        (offer, self.next.map(|at| now.mono_at(at)))
    }
}

/// The next time the self-check is offered (its weekday and time, local), if it is enabled.
fn next_offer<Z: TimeZone>(prefs: SelfCheckPrefs, after: DateTime<Utc>, zone: &Z) -> Option<DateTime<Utc>> {
    if !prefs.enabled {
        return None;
    }
    let mut at = next_local_time(after, prefs.time, zone);
    for _ in 0..8 {
        if at.with_timezone(zone).weekday() == prefs.day {
            return Some(at);
        }
        at = next_local_time(at, prefs.time, zone);
    }
    None
}

/// When records older than `[log] keep` are deleted: at start, then once a day.
#[derive(Debug)]
pub struct PrunePlanner {
    keep: Option<Duration>,
    next: Option<Duration>,
}

impl PrunePlanner {
    pub fn new(keep: Option<Duration>, now: Now) -> Self {
        Self { keep, next: keep.map(|_| now.mono) }
    }

    /// A new retention setting (a reload): a change is applied at once.
    pub fn set_keep(&mut self, keep: Option<Duration>, now: Now) {
        if keep != self.keep {
            self.keep = keep;
            self.next = keep.map(|_| now.mono);
        }
    }

    /// The moment before which records are to be deleted now, if it is time; the next time is
    /// then a day on.
    pub fn due(&mut self, now: Now) -> Option<DateTime<Utc>> {
        let (Some(keep), Some(due)) = (self.keep, self.next) else { return None };
        if due > now.mono {
            return None;
        }
        self.next = Some(now.mono.saturating_add(PRUNE_EVERY));
        Some(now.wall - chrono::Duration::from_std(keep).unwrap_or(chrono::Duration::MAX))
    }

    /// When to look again.
    pub fn next(&self) -> Option<Duration> {
        self.next
    }
}

/// Whether to start the overlay ahead of the next break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prepare {
    Now,
    /// At this monotonic time.
    At(Duration),
    Nothing,
}

/// Starts the overlay `lead` before the next scheduled break, once per break (even if the
/// prepared window exits before the break).
#[derive(Debug)]
pub struct OverlayPlanner {
    lead: Duration,
    prepared_for: Option<Duration>,
}

impl OverlayPlanner {
    pub fn new(lead: Duration) -> Self {
        Self { lead, prepared_for: None }
    }

    /// `can_prepare`: working, not held (a held break's due time moves on at every look, and
    /// preparing for each would start a WebKit process a minute), and no overlay prepared yet;
    /// `due`: the next scheduled break's monotonic due time.
    pub fn decide(&mut self, now: Now, can_prepare: bool, due: Option<Duration>) -> Prepare {
        let Some(due) = due.filter(|_| can_prepare) else { return Prepare::Nothing };
        if self.prepared_for == Some(due) {
            return Prepare::Nothing;
        }
        let at = due.saturating_sub(self.lead);
        if at > now.mono {
            return Prepare::At(at);
        }
        self.prepared_for = Some(due);
        Prepare::Now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, NaiveTime, Weekday};
    use respite_core::clock::{Clock, ManualClock};

    const HOUR: Duration = Duration::from_secs(3600);

    fn berlin() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    /// Monday 2026-11-23 at `hour`:00 in Berlin.
    fn monday_at(hour: u32) -> ManualClock {
        ManualClock::starting_at(berlin().with_ymd_and_hms(2026, 11, 23, hour, 0, 0).unwrap().with_timezone(&Utc))
    }

    fn local(clock: &ManualClock) -> String {
        clock.now().wall.with_timezone(&berlin()).format("%a %d %H:%M").to_string()
    }

    /// Runs `step` at each deadline it returns, for at most `limit`; collects what it says.
    fn run<T>(clock: &ManualClock, limit: Duration, mut step: impl FnMut(Now) -> (Option<T>, Option<Duration>)) -> Vec<(String, T)> {
        let end = clock.now().mono + limit;
        let mut told = Vec::new();
        loop {
            let now = clock.now();
            let (said, next) = step(now);
            told.extend(said.map(|s| (local(clock), s)));
            match next {
                Some(at) if at <= end => {
                    assert!(at > now.mono, "a planner asks to be woken in the future");
                    clock.advance(at - now.mono);
                }
                _ => return told,
            }
        }
    }

    fn friday_four() -> SelfCheckPrefs {
        SelfCheckPrefs { enabled: true, day: Weekday::Fri, time: NaiveTime::from_hms_opt(16, 0, 0).unwrap() }
    }

    #[test]
    fn the_self_check_is_offered_at_its_weekday_and_time_once_a_week_unless_answered() {
        let clock = monday_at(9);
        let mut planner = SelfCheckPlanner::new(friday_four(), clock.now().wall, &berlin());
        let answered_weeks = [Week::containing(berlin().with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap().with_timezone(&Utc), &berlin())];
        let offered = run(&clock, 3 * 7 * 24 * HOUR, |now| planner.due(now, &berlin(), |week| answered_weeks.contains(&week)));
        let when: Vec<&str> = offered.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(when, ["Fri 27 16:00", "Fri 11 16:00"], "weekly, and not in the week already answered (Fri 4 Dec)");
        assert_eq!(offered[0].1.to_string(), "2026-W48");
    }

    #[test]
    fn the_self_check_follows_a_clock_jump_and_is_off_when_disabled() {
        let clock = monday_at(9);
        let mut planner = SelfCheckPlanner::new(friday_four(), clock.now().wall, &berlin());
        // The wall clock jumps to Friday 17:00: this week's time has passed, so next Friday.
        clock.jump_wall((4 * 24 + 8) * 3600);
        assert_eq!(local(&clock), "Fri 27 17:00");
        planner.wall_moved(clock.now().wall, &berlin());
        let offered = run(&clock, 8 * 24 * HOUR, |now| planner.due(now, &berlin(), |_| false));
        assert_eq!(offered.iter().map(|(at, _)| at.as_str()).collect::<Vec<_>>(), ["Fri 04 16:00"]);
        let mut off = SelfCheckPlanner::new(SelfCheckPrefs { enabled: false, ..friday_four() }, clock.now().wall, &berlin());
        assert_eq!(off.due(clock.now(), &berlin(), |_| false), (None, None), "disabled: never, and no wake-up");
    }

    #[test]
    fn old_records_are_deleted_at_start_then_daily_and_a_new_limit_applies_at_once() {
        let clock = monday_at(9);
        let year = 365 * 24 * HOUR;
        let mut planner = PrunePlanner::new(Some(year), clock.now());
        let cutoffs = run(&clock, 3 * 24 * HOUR, |now| (planner.due(now), planner.next()));
        let when: Vec<&str> = cutoffs.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(when, ["Mon 23 09:00", "Tue 24 09:00", "Wed 25 09:00", "Thu 26 09:00"]);
        assert_eq!(cutoffs[0].1, clock_start() - chrono::Duration::days(365), "a year before the first run");
        // A shorter limit applies at the next look, not a day later; forever stops the chore.
        planner.set_keep(Some(30 * 24 * HOUR), clock.now());
        assert!(planner.due(clock.now()).is_some());
        planner.set_keep(None, clock.now());
        assert_eq!((planner.due(clock.now()), planner.next()), (None, None));
    }

    fn clock_start() -> DateTime<Utc> {
        berlin().with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_overlay_is_prepared_once_per_break_its_lead_ahead_and_not_while_held() {
        let clock = monday_at(9);
        let lead = Duration::from_secs(10);
        let mut planner = OverlayPlanner::new(lead);
        let due = clock.now().mono + 20 * 60 * Duration::from_secs(1);
        assert_eq!(planner.decide(clock.now(), true, Some(due)), Prepare::At(due - lead));
        assert_eq!(planner.decide(clock.now(), false, Some(due)), Prepare::Nothing, "held, paused or already prepared");
        clock.advance(due - lead - clock.now().mono);
        assert_eq!(planner.decide(clock.now(), true, Some(due)), Prepare::Now);
        assert_eq!(planner.decide(clock.now(), true, Some(due)), Prepare::Nothing, "once per break, even if the window went away");
        let next = due + 20 * 60 * Duration::from_secs(1);
        assert_eq!(planner.decide(clock.now(), true, Some(next)), Prepare::At(next - lead), "the next break gets its own");
        assert_eq!(planner.decide(clock.now(), true, None), Prepare::Nothing);
    }
}
