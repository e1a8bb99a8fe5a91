//! The time zone the scheduler reads local times in: the system's (`chrono::Local`, which
//! follows `TZ`) in the daemon, or, in unit tests, a named zone, so one test can cross a DST
//! change in Berlin and another a midnight in New York (the zone data stays out of the binary). Every wall-clock rule of the timetable (working
//! hours, fixed-time breaks, the day a budget counts) asks it.

use crate::workhours::{self, WorkHours};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};

/// A time zone: the system's, or a named one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zone {
    #[default]
    Local,
    #[cfg(test)]
    Named(chrono_tz::Tz),
}

/// Runs `$body` with `$z` bound to the zone as a `chrono::TimeZone`.
macro_rules! in_zone {
    ($zone:expr, $z:ident => $body:expr) => {
        match $zone {
            Zone::Local => {
                let $z = &chrono::Local;
                $body
            }
            #[cfg(test)]
            Zone::Named(tz) => {
                let $z = &tz;
                $body
            }
        }
    };
}

impl Zone {
    /// The local date of `at`.
    pub fn date_of(self, at: DateTime<Utc>) -> NaiveDate {
        in_zone!(self, z => at.with_timezone(z).date_naive())
    }

    /// The local weekday of `at`.
    pub fn weekday_of(self, at: DateTime<Utc>) -> Weekday {
        self.date_of(at).weekday()
    }

    /// The first instant of local day `date`.
    pub fn day_start(self, date: NaiveDate) -> DateTime<Utc> {
        in_zone!(self, z => crate::calendar::day_start(date, z))
    }

    /// Whether `at` is inside `hours`.
    pub fn is_working(self, hours: &WorkHours, at: DateTime<Utc>) -> bool {
        in_zone!(self, z => hours.is_working(at, z))
    }

    /// The next instant after `at` where being inside `hours` changes.
    pub fn hours_change(self, hours: &WorkHours, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        in_zone!(self, z => hours.next_change(at, z))
    }

    /// The next instant strictly after `after` whose local time is `time` (DST-safe, see
    /// [`workhours::next_local_time`]).
    pub fn next_local_time(self, after: DateTime<Utc>, time: NaiveTime) -> DateTime<Utc> {
        in_zone!(self, z => workhours::next_local_time(after, time, z))
    }
}
