//! How times are written: UTC in the database (fixed-width RFC 3339, so text order is time
//! order), local time wherever a person reads them.

use crate::message::Message;
use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

/// The database form: `2026-11-23T09:15:00.000Z`.
pub fn to_db(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses the database form (any RFC 3339 is accepted).
pub fn from_db(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc))
}

/// RFC 3339 in the given zone, to the second: what exports and `status --json` show.
pub fn in_zone<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.with_timezone(tz).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses a human duration ("90s", "5m", "1h 30m") as written in settings and on the command
/// line. The error is a short reason in plain words ("it must start with a number"), for a
/// message that quotes the text and shows how to write it. Text whose numbers could add up to
/// more than about 30 billion years is refused before `humantime` sees it: humantime panics on
/// some sums that reach `u64::MAX` seconds (chronotope/humantime#66), and no sensible duration
/// comes near.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    duration_or_problem(text).map_err(|problem| problem.english())
}

/// [`parse_duration`], its reason a locale message (`problem.duration.*`).
pub fn duration_or_problem(text: &str) -> Result<std::time::Duration, Message> {
    const LONGEST_UNIT_SECS: u128 = 31_557_600; // a year, humantime's longest unit
    const LIMIT_SECS: u128 = 1_000_000_000_000_000_000; // well below u64::MAX (1.8e19)
    let text = text.trim();
    let bound = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(|run| run.parse::<u128>().unwrap_or(u128::MAX))
        .fold(0u128, |sum, n| sum.saturating_add(n.saturating_mul(LONGEST_UNIT_SECS)));
    if bound >= LIMIT_SECS {
        return Err(Message::new(TOO_LARGE));
    }
    humantime::parse_duration(text).map_err(|e| duration_problem(text, e))
}

const TOO_LARGE: &str = "problem.duration.too_large";

/// What is wrong with `text`, from humantime's error, in words that need no parser terms
/// (humantime says "expected number at 0").
fn duration_problem(text: &str, error: humantime::DurationError) -> Message {
    use humantime::DurationError as E;
    let word_at = |at: usize| text.get(at..).and_then(|rest| rest.split_whitespace().next()).unwrap_or_default();
    match error {
        E::Empty => Message::new("problem.duration.empty"),
        E::NumberExpected(0) => Message::new("problem.duration.number_first"),
        E::NumberExpected(at) => Message::new("problem.duration.number_before").text("word", format_args!("{:?}", word_at(at))),
        E::InvalidCharacter(at) => match text.get(at..).and_then(|rest| rest.chars().next()) {
            Some(c) => Message::new("problem.duration.bad_character").text("character", format_args!("{c:?}")),
            None => Message::new("problem.duration.ends_early"),
        },
        E::UnknownUnit { unit, .. } => Message::new("problem.duration.unknown_unit").text("unit", format_args!("{unit:?}")),
        E::NumberOverflow => Message::new(TOO_LARGE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_form_is_fixed_width_utc_and_round_trips() {
        let t = Utc.with_ymd_and_hms(2026, 3, 29, 1, 2, 3).unwrap();
        assert_eq!(to_db(t), "2026-03-29T01:02:03.000Z");
        assert_eq!(from_db(&to_db(t)).unwrap(), t);
        assert_eq!(from_db("2026-03-29T03:02:03+02:00").unwrap(), t);
    }

    #[test]
    fn durations_parse_and_absurd_numbers_are_refused_without_panicking() {
        assert_eq!(parse_duration(" 1h 30m "), Ok(std::time::Duration::from_secs(5400)));
        assert_eq!(parse_duration("18446744073709551615s 1000000000ns"), Err("the number is too large".to_owned()));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn a_duration_that_does_not_parse_says_why_in_plain_words() {
        assert_eq!(parse_duration("soon").unwrap_err(), "it must start with a number");
        assert_eq!(parse_duration("  ").unwrap_err(), "it is empty");
        assert_eq!(parse_duration("5 minuten").unwrap_err(), "\"minuten\" is not a unit of time");
        assert_eq!(parse_duration("5m, 10s").unwrap_err(), "',' cannot be part of a duration");
        assert_eq!(parse_duration("1h min").unwrap_err(), "a number must come before \"min\"");
    }

}
