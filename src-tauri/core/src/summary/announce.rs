//! When the weekly summary is announced: once a week, the first time the person is at the screen
//! in a new week, from [`FROM`] local time on (the first active morning, for most), and for the
//! week before. Whether that week has anything in it is the caller's to check.

use super::Week;
use chrono::{DateTime, NaiveTime, TimeZone, Utc};

/// Nothing is announced earlier in the day than this.
pub const FROM: NaiveTime = match NaiveTime::from_hms_opt(5, 0, 0) {
    Some(t) => t,
    None => panic!("05:00 is a time"),
};

/// The week whose summary to announce now, to someone at the screen, if it is time: the week
/// before this one, unless `announced` is that week or later.
pub fn week_to_announce<Z: TimeZone>(now: DateTime<Utc>, zone: &Z, announced: Option<Week>) -> Option<Week> {
    let local = now.with_timezone(zone);
    if local.time() < FROM {
        return None;
    }
    let last = Week::of(local.date_naive()).previous();
    announced.is_none_or(|done| done < last).then_some(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    fn at(text: &str) -> DateTime<Utc> {
        Berlin.from_local_datetime(&text.parse().unwrap()).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_first_active_morning_of_a_week_announces_the_week_before_once() {
        let w47 = Week::new(2026, 47).unwrap();
        let w48 = Week::new(2026, 48).unwrap();
        // Monday 30 November 2026 (W49), 04:30: too early; 08:10: announce W48.
        assert_eq!(week_to_announce(at("2026-11-30T04:30:00"), &Berlin, Some(w47)), None);
        assert_eq!(week_to_announce(at("2026-11-30T08:10:00"), &Berlin, Some(w47)), Some(w48));
        // Once announced, not again that week, even on Friday.
        assert_eq!(week_to_announce(at("2026-12-04T09:00:00"), &Berlin, Some(w48)), None);
        // Away all Monday: Tuesday's first morning announces it.
        assert_eq!(week_to_announce(at("2026-12-01T07:00:00"), &Berlin, Some(w47)), Some(w48));
        // Never announced before: the week before this one.
        assert_eq!(week_to_announce(at("2026-11-30T10:00:00"), &Berlin, None), Some(w48));
    }

    #[test]
    fn the_turn_of_the_year_announces_week_53() {
        // Monday 4 January 2027 is in 2027-W01; the week before is 2026-W53.
        let w52 = Week::new(2026, 52).unwrap();
        assert_eq!(week_to_announce(at("2027-01-04T09:00:00"), &Berlin, Some(w52)), Week::new(2026, 53));
    }
}
