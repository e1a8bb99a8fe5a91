//! A made-up history for the summary's benchmark and tests; not part of the app. Deterministic
//! (one seed, one history) and shaped like a real log: working days from about 08:30 to 18:30
//! with eye, stretch and walk breaks of every outcome (a postponed break comes back a few
//! minutes later with its own outcome; walks cover the shorter kinds that fall due with them),
//! lunch away from the screen logged as a natural break, short absences now and then, more
//! skipped stretches in the afternoon, some evenings and weekends at the screen. Screen time is
//! logged in spans between breaks, cut where working hours (09:00-18:00, Monday to Friday) begin
//! and end, as the daemon logs it.

use super::instant;
use crate::record::{BreakKind, BreakRecord, Outcome, Trigger};
use crate::store::{Store, StoreError};
use crate::workhours::Span;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};

/// The rhythm and the person. Times in seconds; arrays indexed by [`BreakKind::index`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Profile {
    /// Active time between breaks of each kind.
    pub every: [i64; 3],
    pub length: [i64; 3],
    pub postpone: i64,
    /// Kinds falling due this close together are shown as one break.
    pub together: i64,
    /// Each day's willingness to take a break is drawn from this range.
    pub willing: (f64, f64),
    /// How much less willing to stretch after 15:00.
    pub afternoon_dip: f64,
}

impl Profile {
    /// Respite's defaults (eye rest 20 s every 20 min, stretch 90 s every 50 min, walk 5 min
    /// every 110 min, postpone by 5 min) and a person who takes most breaks, fewer stretches in
    /// the afternoon. About 40 rows on a working day.
    pub const DEFAULTS: Profile = Profile {
        every: [20 * 60, 50 * 60, 110 * 60],
        length: [20, 90, 300],
        postpone: 300,
        together: 30,
        willing: (0.62, 0.98),
        afternoon_dip: 0.3,
    };

    /// Everything `factor` times faster, so about `factor` times as many breaks in the same
    /// days: a stress test, not a person.
    pub fn denser(self, factor: i64) -> Self {
        let factor = factor.max(1);
        Self {
            every: self.every.map(|s| (s / factor).max(1)),
            length: self.length.map(|s| (s / factor).max(1)),
            postpone: (self.postpone / factor).max(1),
            together: (self.together / factor).max(1),
            ..self
        }
    }

    /// Someone who takes nearly every break, every day: the streak never ends, so the summary
    /// walks back as far as it looks.
    pub fn diligent(self) -> Self {
        Self { willing: (0.97, 1.0), afternoon_dip: 0.0, ..self }
    }
}

/// How much was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seeded {
    pub breaks: u64,
    pub spans: u64,
}

/// Writes `days` days of history from `first_day` (local days in `zone`) in one transaction.
pub fn seed<Z: TimeZone>(store: &mut Store, first_day: NaiveDate, days: u32, zone: &Z, profile: Profile, seed: u64) -> Result<Seeded, StoreError> {
    let batch = store.batch()?;
    let mut seeded = Seeded::default();
    for (n, date) in first_day.iter_days().take(days as usize).enumerate() {
        let (breaks, spans) = history_of(date, zone, profile, seed ^ (n as u64).wrapping_mul(0xA076_1D64_78BD_642F));
        for record in &breaks {
            batch.record(record)?;
        }
        for span in &spans {
            batch.activity(span)?;
        }
        seeded.breaks += breaks.len() as u64;
        seeded.spans += spans.len() as u64;
    }
    batch.commit()?;
    Ok(seeded)
}

/// The breaks and spans of one local day.
pub fn history_of<Z: TimeZone>(date: NaiveDate, zone: &Z, profile: Profile, seed: u64) -> (Vec<BreakRecord>, Vec<Span>) {
    let mut rng = Rng(seed);
    let workday = date.weekday().num_days_from_monday() < 5 && !rng.chance(0.04);
    let at = |h: u32, m: u32| instant(date.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("a time of day")), zone);
    let mut day = Day {
        hour_of: &|t: DateTime<Utc>| t.with_timezone(zone).hour(),
        profile,
        work: workday.then(|| (at(9, 0), at(18, 0))),
        mood: profile.willing.0 + (profile.willing.1 - profile.willing.0) * rng.unit(),
        rng,
        elapsed: [0; 3],
        postponed: [0; 3],
        breaks: Vec::new(),
        spans: Vec::new(),
    };
    let minutes = |m: i64| TimeDelta::minutes(m);
    if workday {
        let start = at(8, 20) + minutes(day.rng.below(25));
        let lunch = at(12, 10) + minutes(day.rng.below(30));
        let back = lunch + minutes(30 + day.rng.below(25));
        let end = at(18, 15) + minutes(day.rng.below(30));
        day.session(start, lunch);
        day.away(lunch, back);
        day.session(back, end);
        if day.rng.chance(0.3) {
            let evening = at(19, 30) + minutes(day.rng.below(90));
            let until = evening + minutes(20 + day.rng.below(80));
            day.session(evening, until);
        }
    } else if day.rng.chance(0.25) {
        let afternoon = at(13, 0) + minutes(day.rng.below(180));
        let until = afternoon + minutes(30 + day.rng.below(120));
        day.session(afternoon, until);
    }
    (day.breaks, day.spans)
}

struct Day<'a> {
    hour_of: &'a dyn Fn(DateTime<Utc>) -> u32,
    profile: Profile,
    /// 09:00 and 18:00 on a working day.
    work: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The day's willingness to take a break.
    mood: f64,
    rng: Rng,
    /// Active seconds since each kind's last break.
    elapsed: [i64; 3],
    /// Times the break of each kind now due was put off.
    postponed: [u32; 3],
    breaks: Vec<BreakRecord>,
    spans: Vec<Span>,
}

impl Day<'_> {
    /// At the screen from `start` to `end` (after at least five minutes away: timers start afresh).
    fn session(&mut self, start: DateTime<Utc>, end: DateTime<Utc>) {
        self.elapsed = [0; 3];
        self.postponed = [0; 3];
        let (mut t, mut span_from) = (start, start);
        loop {
            let wait = (0..3).map(|k| self.profile.every[k] - self.elapsed[k]).min().unwrap_or(0).max(0);
            if self.rng.chance(0.03) {
                let away_at = t + TimeDelta::seconds(self.rng.below(wait + 1));
                let back = away_at + TimeDelta::seconds(180 + self.rng.below(420));
                if back < end {
                    self.span(span_from, away_at);
                    self.accrue((away_at - t).num_seconds());
                    self.away(away_at, back);
                    (t, span_from) = (back, back);
                    continue;
                }
            }
            let due = t + TimeDelta::seconds(wait);
            if due >= end {
                self.span(span_from, end);
                return;
            }
            self.accrue(wait);
            t = due;
            self.span(span_from, t);
            let record = self.falls_due(t);
            t = record.ended_at;
            span_from = t;
            self.breaks.push(record);
        }
    }

    fn accrue(&mut self, secs: i64) {
        for e in &mut self.elapsed {
            *e += secs;
        }
    }

    /// The kinds due at `t` are shown as one break, the longest covering the others.
    fn falls_due(&mut self, t: DateTime<Utc>) -> BreakRecord {
        let due: Vec<BreakKind> = BreakKind::ALL.into_iter().filter(|k| self.elapsed[k.index()] >= self.profile.every[k.index()] - self.profile.together).collect();
        let kind = *due.last().expect("something is due");
        let covers: Vec<BreakKind> = due.iter().copied().filter(|k| *k != kind).collect();
        let length = self.profile.length[kind.index()];
        let mut take = self.mood;
        if (self.hour_of)(t) >= 15 {
            take -= if kind == BreakKind::Stretch { self.profile.afternoon_dip } else { self.profile.afternoon_dip / 5.0 };
        }
        if kind == BreakKind::Walk {
            take -= self.profile.afternoon_dip / 3.0;
        }
        let draw = self.rng.unit();
        let outcome = if draw < 0.004 {
            Outcome::Interrupted
        } else if draw < take {
            Outcome::Completed
        } else if self.postponed[kind.index()] < 2 && self.rng.chance(0.45) {
            Outcome::Postponed
        } else {
            Outcome::Skipped
        };
        let shown = outcome != Outcome::Skipped || self.rng.chance(0.6);
        let on_screen = match outcome {
            Outcome::Completed => length,
            Outcome::Interrupted => length / 2,
            Outcome::Postponed => 2,
            _ if shown => 3,
            _ => 0,
        };
        let manual = outcome == Outcome::Completed && kind == BreakKind::Walk && self.rng.chance(0.05);
        for k in std::iter::once(kind).chain(covers.iter().copied()) {
            if outcome == Outcome::Postponed {
                self.elapsed[k.index()] = self.profile.every[k.index()] - self.profile.postpone;
            } else {
                self.elapsed[k.index()] = 0;
                self.postponed[k.index()] = 0;
            }
        }
        if outcome == Outcome::Postponed {
            self.postponed[kind.index()] += 1;
        }
        BreakRecord {
            kind,
            covers,
            trigger: if manual { Trigger::Manual } else { Trigger::Scheduled },
            due_at: t,
            started_at: shown.then_some(t),
            ended_at: t + TimeDelta::seconds(on_screen),
            planned_secs: length as u32,
            actual_secs: on_screen as u32,
            outcome,
            held: None,
            // Windows came up, as they do when all is well.
            shown: shown.then_some(true),
            style: Default::default(),
        }
    }

    /// Away from `from` to `to`: a natural break for the kinds it was long enough for and that
    /// were at least half way to their break, as the scheduler logs it.
    fn away(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) {
        let length = (to - from).num_seconds();
        let replaced: Vec<BreakKind> = BreakKind::ALL
            .into_iter()
            .filter(|k| length >= self.profile.length[k.index()] && self.elapsed[k.index()] >= self.profile.every[k.index()] / 2)
            .collect();
        if let Some(&kind) = replaced.last() {
            self.breaks.push(BreakRecord {
                kind,
                covers: replaced.iter().copied().filter(|k| *k != kind).collect(),
                trigger: Trigger::Scheduled,
                due_at: from,
                started_at: Some(from),
                ended_at: to,
                planned_secs: self.profile.length[kind.index()] as u32,
                actual_secs: length as u32,
                outcome: Outcome::Natural,
                held: None,
                shown: None,
                style: Default::default(),
            });
        }
        for k in BreakKind::ALL {
            if length >= self.profile.length[k.index()] {
                self.elapsed[k.index()] = 0;
                self.postponed[k.index()] = 0;
            }
        }
    }

    /// Logs time at the screen, cut where working hours begin and end.
    fn span(&mut self, start: DateTime<Utc>, end: DateTime<Utc>) {
        let mut from = start;
        let edges = self.work.map_or([None, None], |(open, close)| [Some(open), Some(close)]);
        for cut in edges.into_iter().flatten().filter(|c| start < *c && *c < end).chain(std::iter::once(end)) {
            if cut > from {
                let after_hours = self.work.is_none_or(|(open, close)| from < open || from >= close);
                self.spans.push(Span { start: from, end: cut, after_hours });
                from = cut;
            }
        }
    }
}

/// SplitMix64: small, fast, and the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (0 when `n` is not positive).
    fn below(&mut self, n: i64) -> i64 {
        if n <= 0 {
            return 0;
        }
        (self.next() % n as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}
