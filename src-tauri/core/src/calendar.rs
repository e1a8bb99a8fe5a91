//! Calendar vocabulary shared by the store, the summary, the self-check and the daemon: ISO 8601
//! weeks ("2026-W47"), parsing and printing them, the local days and instants one covers in a
//! time zone, and the next local midnight.
//!
//! Weeks start on Monday, and week 1 is the week holding the year's first Thursday, so a year has
//! 52 or 53 weeks and the first days of January can belong to the last week of the year before
//! (2026-W53 runs from Monday 2026-12-28 to Sunday 2027-01-03).

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// One ISO week. Built only through [`Week::new`], [`Week::of`] or parsing, so it always exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Week {
    year: i32,
    number: u32,
}

/// Text that names no ISO week.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BadWeek {
    #[error("expected an ISO week such as 2026-W47, got {0:?}")]
    Shape(String),
    #[error("{year} has {weeks} ISO weeks, so there is no week {number}")]
    NoSuchWeek { year: i32, number: u32, weeks: u32 },
}

impl Week {
    /// Week `number` of ISO year `year`, if the year has it.
    pub fn new(year: i32, number: u32) -> Option<Self> {
        NaiveDate::from_isoywd_opt(year, number, Weekday::Mon).map(|_| Self { year, number })
    }

    /// The week `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        let week = date.iso_week();
        Self { year: week.year(), number: week.week() }
    }

    /// The week that holds instant `at` in `zone`.
    pub fn containing<Z: TimeZone>(at: DateTime<Utc>, zone: &Z) -> Self {
        Self::of(at.with_timezone(zone).date_naive())
    }

    /// How many weeks ISO year `year` has: 52 or 53.
    pub fn weeks_in(year: i32) -> u32 {
        // 28 December is always in the last week of its year.
        NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
    }

    /// The ISO year, which differs from the calendar year of some days at the turn of the year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The week number, 1 to 53.
    pub fn number(self) -> u32 {
        self.number
    }

    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.number, Weekday::Mon).expect("a Week always exists")
    }

    pub fn sunday(self) -> NaiveDate {
        self.monday() + Days::new(6)
    }

    /// Monday to Sunday.
    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        self.monday().iter_days().take(7)
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        Self::of(date) == self
    }

    pub fn previous(self) -> Self {
        Self::of(self.monday() - Days::new(1))
    }

    pub fn next(self) -> Self {
        Self::of(self.monday() + Days::new(7))
    }
}

/// `2026-W47`.
impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.number)
    }
}

/// Reads `YYYY-Www` (`2026-W47`; `2026-w7` too).
impl FromStr for Week {
    type Err = BadWeek;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let shape = || BadWeek::Shape(text.to_owned());
        let (year, number) = text.trim().split_once('-').ok_or_else(shape)?;
        let number = number.strip_prefix(['W', 'w']).ok_or_else(shape)?;
        let digits = |s: &str, len: std::ops::RangeInclusive<usize>| len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4..=4) || !digits(number, 1..=2) {
            return Err(shape());
        }
        let (year, number): (i32, u32) = (year.parse().map_err(|_| shape())?, number.parse().map_err(|_| shape())?);
        Self::new(year, number).ok_or(BadWeek::NoSuchWeek { year, number, weeks: Self::weeks_in(year) })
    }
}

impl Serialize for Week {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Week {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

/// The first instant of local day `date` in `zone`.
pub fn day_start<Z: TimeZone>(date: NaiveDate, zone: &Z) -> DateTime<Utc> {
    instant(date.and_time(NaiveTime::MIN), zone)
}

/// The instant local time `local` stands for in `zone`, by the rule [`crate::workhours`] uses: the
/// earlier one when it happens twice, the first instant after the gap when the clocks skip it.
pub fn instant<Z: TimeZone>(local: NaiveDateTime, zone: &Z) -> DateTime<Utc> {
    if let Some(t) = zone.from_local_datetime(&local).earliest() {
        return t.with_timezone(&Utc);
    }
    // In a gap: step forward a minute at a time (gaps last an hour, rarely two; offsets are
    // whole minutes) to the first local time that exists.
    (1..=48 * 60)
        .find_map(|minutes| {
            let later = local.checked_add_signed(TimeDelta::minutes(minutes))?;
            zone.from_local_datetime(&later).earliest().map(|t| t.with_timezone(&Utc))
        })
        .unwrap_or_else(|| zone.from_utc_datetime(&local).with_timezone(&Utc))
}

/// The next local midnight strictly after `now` in zone `tz`: when "pause until tomorrow" ends.
/// On a day where midnight does not exist (a DST gap), the first instant after it.
pub fn next_midnight<Tz: TimeZone>(now: DateTime<Utc>, tz: &Tz) -> DateTime<Utc> {
    let local_date = now.with_timezone(tz).date_naive();
    let tomorrow = local_date.succ_opt().expect("date in range");
    let mut naive = tomorrow.and_hms_opt(0, 0, 0).expect("midnight exists");
    for _ in 0..4 {
        if let Some(t) = tz.from_local_datetime(&naive).earliest() {
            return t.with_timezone(&Utc);
        }
        naive += chrono::Duration::minutes(30);
    }
    now + chrono::Duration::hours(24)
}


#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn next_midnight_is_local() {
        let paris_winter = FixedOffset::east_opt(3600).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 22, 30, 0).unwrap(); // 23:30 local
        assert_eq!(next_midnight(now, &paris_winter), Utc.with_ymd_and_hms(2026, 11, 23, 23, 0, 0).unwrap());
        let later = Utc.with_ymd_and_hms(2026, 11, 23, 23, 30, 0).unwrap(); // 00:30 local, next day
        assert_eq!(next_midnight(later, &paris_winter), Utc.with_ymd_and_hms(2026, 11, 24, 23, 0, 0).unwrap());
    }
}
