//! Working hours: which local hours of each weekday count as work, and the instants (UTC) where
//! they begin and end in a given time zone. The scheduler uses them to hold breaks outside work
//! and to pause "until tomorrow"; the log uses [`WorkHours::split`] to tell after-hours time apart.
//!
//! Pure calendar logic: the zone is passed in (`chrono::Local` in the daemon, fixed `chrono_tz`
//! zones in tests), nothing here reads a clock. Every local time becomes an instant by one rule:
//! a local time that does not exist (the spring-forward gap) means the first instant after the
//! gap, and one that happens twice (the clocks fall back) means the earlier of the two.

use crate::message::Message;
use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Timelike, Utc, Weekday,
};
use std::fmt;

/// How many local days ahead to look for a working day. A week would do; the rest is room for
/// days whose hours vanish in a DST gap.
const LOOKAHEAD_DAYS: u64 = 15;

/// One day's working hours, as local times of day. A range whose end is not after its start runs
/// past midnight: `22:00-06:00` is 22:00 that day to 06:00 the next, and `09:00-09:00` is a full
/// 24 hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl DayHours {
    /// Whether the range ends on the next day.
    pub fn overnight(&self) -> bool {
        self.end <= self.start
    }
}

/// `09:00-18:00`, the form [`parse_day`] reads.
impl fmt::Display for DayHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (start, end) = (self.start, self.end);
        write!(f, "{:02}:{:02}-{:02}:{:02}", start.hour(), start.minute(), end.hour(), end.minute())
    }
}

/// Reads one day's hours as written in settings: `09:00-18:00`, `9:00 - 17:30`, `22:00-06:00`
/// (past midnight), `08:00-24:00` (24:00 only as an end, meaning midnight), or `off` / nothing
/// for a day off.
pub fn parse_day(text: &str) -> Result<Option<DayHours>, Message> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let shape = || Message::new("problem.bad_range").text("value", format_args!("{text:?}"));
    let (start, end) = text.split_once(['-', '–']).ok_or_else(shape)?;
    let (start, end) = (start.trim(), end.trim());
    let (Some(start_hm), Some(end_hm)) = (clock_digits(start), clock_digits(end)) else {
        return Err(shape());
    };
    let out_of_day = |written: &str| Message::new("problem.not_time_of_day").text("value", written);
    let start = hm_opt(start_hm).ok_or_else(|| out_of_day(start))?;
    let end = match end_hm {
        (24, 0) => NaiveTime::MIN,
        hm => hm_opt(hm).ok_or_else(|| out_of_day(end))?,
    };
    Ok(Some(DayHours { start, end }))
}

/// `H:MM` or `HH:MM` as numbers, not yet checked to be a time of day.
fn clock_digits(text: &str) -> Option<(u32, u32)> {
    let (hour, minute) = text.split_once(':')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(1..=2).contains(&hour.len()) || minute.len() != 2 || !digits(hour) || !digits(minute) {
        return None;
    }
    Some((hour.parse().ok()?, minute.parse().ok()?))
}

fn hm_opt((hour, minute): (u32, u32)) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(hour, minute, 0)
}

const fn hm(hour: u32, minute: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, minute, 0) {
        Some(t) => t,
        None => panic!("not a time of day"),
    }
}

const OFFICE: DayHours = DayHours { start: hm(9, 0), end: hm(18, 0) };

/// Working hours for each weekday. The default is Monday to Friday 09:00-18:00, weekend off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkHours {
    /// Monday first.
    days: [Option<DayHours>; 7],
}

impl Default for WorkHours {
    fn default() -> Self {
        Self { days: [Some(OFFICE), Some(OFFICE), Some(OFFICE), Some(OFFICE), Some(OFFICE), None, None] }
    }
}

/// One stretch of time cut by [`WorkHours::split`]: within one local day, and either all inside
/// or all outside working hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub after_hours: bool,
}

/// One day's hours as instants, start inclusive, end exclusive, never empty.
#[derive(Clone, Copy, Debug)]
struct Range {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl WorkHours {
    /// The hours of `weekday`, `None` for a day off.
    pub fn day(&self, weekday: Weekday) -> Option<DayHours> {
        self.days[weekday.num_days_from_monday() as usize]
    }

    /// These hours with `weekday`'s replaced.
    pub fn with_day(mut self, weekday: Weekday, hours: Option<DayHours>) -> Self {
        self.days[weekday.num_days_from_monday() as usize] = hours;
        self
    }

    /// Whether `at` falls inside working hours: inside the range of its own local day, or of the
    /// day before when that one runs past midnight.
    pub fn is_working<Z: TimeZone>(&self, at: DateTime<Utc>, zone: &Z) -> bool {
        let today = local_date(at, zone);
        self.ranges(days_back(today, 2), today, zone).iter().any(|r| r.start <= at && at < r.end)
    }

    /// The first instant strictly after `at` where [`is_working`](Self::is_working) changes.
    /// Ranges that touch or overlap (a night shift ending when the next day's hours begin) count
    /// as one. `None` when no day has hours, or when every day's hours join into one.
    pub fn next_change<Z: TimeZone>(&self, at: DateTime<Utc>, zone: &Z) -> Option<DateTime<Utc>> {
        let today = local_date(at, zone);
        let last = days_forward(today, LOOKAHEAD_DAYS);
        // The last day's range may join the next day's, past the window: its end is not a change.
        let open_ended = self.range_on(last, zone).is_some();
        let merged = merged(self.ranges(days_back(today, 2), last, zone));
        let count = merged.len();
        merged
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                let end = (!(open_ended && i + 1 == count)).then_some(r.end);
                std::iter::once(r.start).chain(end)
            })
            .find(|t| *t > at)
    }

    /// When "pause until tomorrow" ends: the start of the next working day. If `at`'s own local
    /// day has hours that start after `at` (it is 07:00 and work starts at 09:00), that is today's
    /// start; otherwise the start of the first later day with hours. Always strictly after `at`;
    /// `None` when no day has hours. A day whose hours fall wholly inside a DST gap has none.
    pub fn next_day_start<Z: TimeZone>(&self, at: DateTime<Utc>, zone: &Z) -> Option<DateTime<Utc>> {
        local_date(at, zone)
            .iter_days()
            .take(LOOKAHEAD_DAYS as usize)
            .filter_map(|date| self.range_on(date, zone))
            .map(|r| r.start)
            .find(|start| *start > at)
    }

    /// Cuts `[start, end)` at every change of working hours and at every local midnight, so each
    /// span lies within one local day and is wholly inside or wholly outside working hours. Empty
    /// when `end` is not after `start`.
    pub fn split<Z: TimeZone>(&self, start: DateTime<Utc>, end: DateTime<Utc>, zone: &Z) -> Vec<Span> {
        if end <= start {
            return Vec::new();
        }
        let (first, last) = (local_date(start, zone), local_date(end, zone));
        let mut cuts: Vec<DateTime<Utc>> = first
            .iter_days()
            .skip(1)
            .take_while(|date| *date <= last)
            .filter_map(|date| resolve(zone, date.and_time(NaiveTime::MIN)))
            .collect();
        for r in merged(self.ranges(days_back(first, 2), days_forward(last, 1), zone)) {
            cuts.extend([r.start, r.end]);
        }
        cuts.retain(|t| start < *t && *t < end);
        cuts.sort_unstable();
        cuts.dedup();
        let mut spans = Vec::with_capacity(cuts.len() + 1);
        let mut from = start;
        for to in cuts.into_iter().chain(std::iter::once(end)) {
            spans.push(Span { start: from, end: to, after_hours: !self.is_working(from, zone) });
            from = to;
        }
        spans
    }

    /// The working hours that overlap `[from, to)`, as instants, in order and not touching: what
    /// [`WorkHours::split`] cuts at, worked out once for many spans (the summary marks other
    /// devices' spans with them).
    pub fn working_between<Z: TimeZone>(&self, from: DateTime<Utc>, to: DateTime<Utc>, zone: &Z) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let (first, last) = (local_date(from, zone), local_date(to, zone));
        merged(self.ranges(days_back(first, 2), days_forward(last, 1), zone)).into_iter().filter(|r| r.end > from && r.start < to).map(|r| (r.start, r.end)).collect()
    }

    /// The range of local day `date`, if it has hours that survive DST.
    fn range_on<Z: TimeZone>(&self, date: NaiveDate, zone: &Z) -> Option<Range> {
        let hours = self.day(date.weekday())?;
        let start = resolve(zone, date.and_time(hours.start))?;
        let end_date = if hours.overnight() { date.succ_opt()? } else { date };
        let end = resolve(zone, end_date.and_time(hours.end))?;
        (start < end).then_some(Range { start, end })
    }

    /// The ranges of local days `first..=last`, in order.
    fn ranges<Z: TimeZone>(&self, first: NaiveDate, last: NaiveDate, zone: &Z) -> Vec<Range> {
        first.iter_days().take_while(|date| *date <= last).filter_map(|date| self.range_on(date, zone)).collect()
    }
}

/// Ranges joined where they touch or overlap, in order.
fn merged(mut ranges: Vec<Range>) -> Vec<Range> {
    ranges.sort_unstable_by_key(|r| r.start);
    let mut out: Vec<Range> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The next instant strictly after `after` whose local time is `time`: when a daily reminder (a
/// bedtime) is due. A `time` inside a spring-forward gap gives the first instant after the gap; on
/// the night the clocks fall back a repeated `time` gives its first occurrence only, so the
/// reminder comes once that day.
pub fn next_local_time<Z: TimeZone>(after: DateTime<Utc>, time: NaiveTime, zone: &Z) -> DateTime<Utc> {
    days_back(local_date(after, zone), 1)
        .iter_days()
        .take(4)
        .filter_map(|date| resolve(zone, date.and_time(time)))
        .find(|t| *t > after)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn local_date<Z: TimeZone>(at: DateTime<Utc>, zone: &Z) -> NaiveDate {
    zone.from_utc_datetime(&at.naive_utc()).date_naive()
}

fn days_back(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days)).unwrap_or(NaiveDate::MIN)
}

fn days_forward(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX)
}

/// The instant local time `local` stands for in `zone`: the earlier one when it happens twice,
/// the first instant after the gap when it does not happen. `None` only at the ends of chrono's
/// calendar.
fn resolve<Z: TimeZone>(zone: &Z, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local).earliest() {
        Some(t) => Some(t.with_timezone(&Utc)),
        None => after_gap(zone, local),
    }
}

/// The instant the clocks jumped over `local`, which does not exist in `zone`. The offset is
/// `low` before the jump and `high` after it, so the jump lies in `(local - high, local - low]`
/// (reading `local` as UTC); a binary search over whole seconds finds it. Zone transitions fall
/// on whole seconds.
fn after_gap<Z: TimeZone>(zone: &Z, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let offset_at = |t: i64| -> Option<i64> {
        let utc = DateTime::from_timestamp(t, 0)?;
        Some(zone.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc().into())
    };
    let wall = local.and_utc().timestamp();
    let first = offset_at(wall)?;
    let second = offset_at(wall - first)?;
    let (low, high) = (first.min(second), first.max(second));
    let reached = |t: i64| offset_at(t).is_some_and(|offset| t + offset >= wall);
    let (mut before, mut after) = (wall - high, wall - low);
    if low == high || reached(before) || !reached(after) {
        return step_over_gap(zone, local);
    }
    while after - before > 1 {
        let mid = before + (after - before) / 2;
        if reached(mid) {
            after = mid;
        } else {
            before = mid;
        }
    }
    DateTime::from_timestamp(after, 0)
}

/// For a zone that does not behave as [`after_gap`] expects: the first local time that exists,
/// stepping a minute at a time from `local`.
fn step_over_gap<Z: TimeZone>(zone: &Z, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    (1..=48 * 60).find_map(|minutes| {
        let later = local.checked_add_signed(TimeDelta::minutes(minutes))?;
        zone.from_local_datetime(&later).earliest().map(|t| t.with_timezone(&Utc))
    })
}

#[cfg(test)]
mod tests;
