//! Time sources. The scheduler never asks for the time: the runtime reads a [`Clock`] and hands
//! the scheduler a [`Now`], so tests drive hours of schedule with a [`ManualClock`] in
//! milliseconds.
//!
//! `Now` carries two readings. `mono` is monotonic time since the clock's origin: it drives every
//! deadline, so a wall-clock jump (manual change, NTP, DST) cannot fire or lose a break. `wall` is
//! UTC wall time, used only to stamp records and to show times to people.

use chrono::{DateTime, Utc};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One reading of both clocks, taken together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// Monotonic time since the clock's origin.
    pub mono: Duration,
    /// Wall time, UTC.
    pub wall: DateTime<Utc>,
}

impl Now {
    /// The wall time at which monotonic instant `mono` falls, seen from this reading.
    pub fn wall_at(&self, mono: Duration) -> DateTime<Utc> {
        let delta = if mono >= self.mono {
            chrono::Duration::from_std(mono - self.mono).unwrap_or(chrono::Duration::MAX)
        } else {
            -chrono::Duration::from_std(self.mono - mono).unwrap_or(chrono::Duration::MAX)
        };
        saturating_wall(self.wall, delta)
    }

    /// The monotonic instant at which wall time `wall` is expected, seen from this reading
    /// (never before this reading).
    pub fn mono_at(&self, wall: DateTime<Utc>) -> Duration {
        let ahead = (wall - self.wall).to_std().unwrap_or(Duration::ZERO);
        self.mono.saturating_add(ahead)
    }
}

/// `wall + delta`, held at the ends of the calendar instead of overflowing: time arithmetic on
/// values that came from outside (a pause's length from the socket) never panics.
pub fn saturating_wall(wall: DateTime<Utc>, delta: chrono::Duration) -> DateTime<Utc> {
    wall.checked_add_signed(delta).unwrap_or(if delta < chrono::Duration::zero() { DateTime::<Utc>::MIN_UTC } else { DateTime::<Utc>::MAX_UTC })
}

/// A source of [`Now`].
pub trait Clock: Send + Sync {
    fn now(&self) -> Now;

    /// How long to really wait for `d` of this clock's time to pass.
    fn real_wait(&self, d: Duration) -> Duration {
        d
    }

    /// Total time the machine has slept (suspended) since the clock's origin. The monotonic
    /// reading does not advance during sleep; the runtime compares this between readings to
    /// see a sleep.
    fn slept(&self) -> Duration {
        Duration::ZERO
    }
}

/// The real clocks: `Instant` (CLOCK_MONOTONIC on Linux, which stands still during suspend),
/// the system wall clock, and CLOCK_BOOTTIME (which counts suspend) to tell sleep apart.
#[derive(Debug)]
pub struct SystemClock {
    origin: Instant,
    boot_origin: Duration,
}

impl SystemClock {
    pub fn new() -> Self {
        Self { origin: Instant::now(), boot_origin: boottime() }
    }
}

/// Monotonic time including time suspended: CLOCK_BOOTTIME on Linux; on Apple systems
/// CLOCK_MONOTONIC already counts sleep (it is `mach_continuous_time`).
fn boottime() -> Duration {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let id = rustix::time::ClockId::Boottime;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let id = rustix::time::ClockId::Monotonic;
    let t = rustix::time::clock_gettime(id);
    Duration::new(t.tv_sec.unsigned_abs(), u32::try_from(t.tv_nsec).unwrap_or(0))
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Now {
        Now { mono: self.origin.elapsed(), wall: Utc::now() }
    }

    fn slept(&self) -> Duration {
        boottime().saturating_sub(self.boot_origin).saturating_sub(self.origin.elapsed())
    }
}

/// The real clock sped up `scale` times, for long-run tests and benchmarks of the real daemon
/// (`RESPITE_TIME_SCALE`): hours of schedule pass in seconds. Wall time starts at the real
/// wall time and moves with the scaled monotonic time.
#[derive(Debug)]
pub struct ScaledClock {
    origin: Instant,
    wall_origin: DateTime<Utc>,
    scale: u32,
}

impl ScaledClock {
    pub fn new(scale: u32) -> Self {
        Self { origin: Instant::now(), wall_origin: Utc::now(), scale: scale.max(1) }
    }
}

impl Clock for ScaledClock {
    fn now(&self) -> Now {
        let mono = self.origin.elapsed() * self.scale;
        Now { mono, wall: saturating_wall(self.wall_origin, chrono::Duration::from_std(mono).unwrap_or(chrono::Duration::MAX)) }
    }

    fn real_wait(&self, d: Duration) -> Duration {
        d / self.scale
    }
}

/// A clock that moves only when told to. For tests.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Now>,
    slept: Mutex<Duration>,
}

impl ManualClock {
    /// Starts at monotonic zero and the given wall time.
    pub fn starting_at(wall: DateTime<Utc>) -> Self {
        Self { now: Mutex::new(Now { mono: Duration::ZERO, wall }), slept: Mutex::new(Duration::ZERO) }
    }

    /// Lets `d` pass on both clocks.
    pub fn advance(&self, d: Duration) -> Now {
        let mut now = self.now.lock().expect("manual clock poisoned");
        now.mono += d;
        now.wall += chrono::Duration::from_std(d).expect("duration in range");
        *now
    }

    /// Moves only the wall clock (a manual change, NTP step or similar), by `seconds` (may be
    /// negative).
    pub fn jump_wall(&self, seconds: i64) -> Now {
        let mut now = self.now.lock().expect("manual clock poisoned");
        now.wall += chrono::Duration::seconds(seconds);
        *now
    }

    /// The machine sleeps for `d`: the wall clock moves, the monotonic clock does not.
    pub fn sleep(&self, d: Duration) -> Now {
        *self.slept.lock().expect("manual clock poisoned") += d;
        let mut now = self.now.lock().expect("manual clock poisoned");
        now.wall += chrono::Duration::from_std(d).expect("duration in range");
        *now
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Now {
        *self.now.lock().expect("manual clock poisoned")
    }

    fn slept(&self) -> Duration {
        *self.slept.lock().expect("manual clock poisoned")
    }
}

/// What happened to the clocks between two readings, besides time passing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockChange {
    /// The machine slept this long.
    Slept(Duration),
    /// The wall clock was moved by this much (by hand, NTP, a zone change), sleep aside.
    WallMoved(chrono::Duration),
}

/// Smallest sleep reported; shorter differences are noise between reading two clocks.
const SLEEP_NOISE: Duration = Duration::from_secs(1);
/// Smallest wall-clock move reported; NTP slews smaller ones gradually anyway.
const JUMP_NOISE: chrono::Duration = chrono::Duration::seconds(2);

/// Tells sleeps and wall-clock jumps apart by comparing successive readings: while awake, wall
/// and monotonic time advance together; a sleep moves the wall clock and the sleep counter by
/// the same amount; anything else is a jump.
#[derive(Clone, Copy, Debug)]
pub struct ClockWatch {
    last: Now,
    slept: Duration,
}

impl ClockWatch {
    pub fn new(now: Now, slept: Duration) -> Self {
        Self { last: now, slept }
    }

    /// Compares `now` and the sleep total `slept` with the previous reading.
    pub fn check(&mut self, now: Now, slept: Duration) -> Vec<ClockChange> {
        let mut changes = Vec::new();
        let asleep = slept.saturating_sub(self.slept);
        if asleep >= SLEEP_NOISE {
            changes.push(ClockChange::Slept(asleep));
        }
        let awake = chrono::Duration::from_std(now.mono.saturating_sub(self.last.mono)).unwrap_or(chrono::Duration::MAX);
        let asleep_wall = chrono::Duration::from_std(asleep).unwrap_or(chrono::Duration::MAX);
        let moved = (now.wall - self.last.wall) - awake - asleep_wall;
        if moved.abs() >= JUMP_NOISE {
            changes.push(ClockChange::WallMoved(moved));
        }
        self.last = now;
        self.slept = slept;
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn manual_clock_moves_both_readings_and_jumps_only_the_wall() {
        let start = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let clock = ManualClock::starting_at(start);
        let now = clock.advance(Duration::from_secs(90));
        assert_eq!(now.mono, Duration::from_secs(90));
        assert_eq!(now.wall, start + chrono::Duration::seconds(90));
        let jumped = clock.jump_wall(-3600);
        assert_eq!(jumped.mono, Duration::from_secs(90));
        assert_eq!(jumped.wall, start + chrono::Duration::seconds(90 - 3600));
        let woke = clock.sleep(Duration::from_secs(7200));
        assert_eq!((woke.mono, clock.slept()), (Duration::from_secs(90), Duration::from_secs(7200)));
        assert_eq!(woke.wall, jumped.wall + chrono::Duration::hours(2));
    }

    #[test]
    fn a_clock_watch_tells_sleep_from_a_wall_clock_jump() {
        let clock = ManualClock::starting_at(Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap());
        let mut watch = ClockWatch::new(clock.now(), clock.slept());
        clock.advance(Duration::from_secs(600));
        assert_eq!(watch.check(clock.now(), clock.slept()), vec![]);
        clock.sleep(Duration::from_secs(3600));
        assert_eq!(watch.check(clock.now(), clock.slept()), vec![ClockChange::Slept(Duration::from_secs(3600))]);
        clock.jump_wall(-3600);
        clock.advance(Duration::from_secs(5));
        assert_eq!(watch.check(clock.now(), clock.slept()), vec![ClockChange::WallMoved(chrono::Duration::hours(-1))]);
        clock.sleep(Duration::from_secs(120));
        clock.jump_wall(3600);
        assert_eq!(
            watch.check(clock.now(), clock.slept()),
            vec![ClockChange::Slept(Duration::from_secs(120)), ClockChange::WallMoved(chrono::Duration::hours(1))]
        );
        clock.jump_wall(1);
        assert_eq!(watch.check(clock.now(), clock.slept()), vec![], "a second is noise");
    }

    #[test]
    fn the_system_clock_has_not_slept_while_the_test_runs() {
        let clock = SystemClock::new();
        std::thread::sleep(Duration::from_millis(30));
        assert!(clock.slept() < Duration::from_millis(20), "{:?}", clock.slept());
    }

    #[test]
    fn a_scaled_clock_runs_fast_and_waits_short() {
        let clock = ScaledClock::new(1000);
        assert_eq!(clock.real_wait(Duration::from_secs(60)), Duration::from_millis(60));
        let before = clock.now();
        std::thread::sleep(Duration::from_millis(20));
        let after = clock.now();
        assert!(after.mono - before.mono >= Duration::from_secs(20), "{:?}", after.mono - before.mono);
        assert_eq!(after.wall - before.wall, chrono::Duration::from_std(after.mono - before.mono).unwrap());
    }

    #[test]
    fn wall_and_mono_conversions_are_inverse() {
        let now = Now { mono: Duration::from_secs(100), wall: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() };
        let later = now.wall_at(Duration::from_secs(160));
        assert_eq!(later, now.wall + chrono::Duration::seconds(60));
        assert_eq!(now.mono_at(later), Duration::from_secs(160));
        assert_eq!(now.wall_at(Duration::from_secs(40)), now.wall - chrono::Duration::seconds(60));
        assert_eq!(now.mono_at(now.wall - chrono::Duration::hours(1)), now.mono, "never before now");
    }
}
