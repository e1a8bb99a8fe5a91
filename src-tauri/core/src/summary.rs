//! The weekly detox summary: how one ISO week of the break log and of screen time becomes the
//! numbers and sentences people see. Computed once, here; `respite summary` prints it and the
//! summary window draws it from its JSON, so [`Summary`] is the shape of both.
//!
//! The rules:
//! - The week is Monday 00:00 to the next Monday 00:00 in the local zone ([`Week`]), so it lasts
//!   167 or 169 hours when the clocks change. A break belongs to the local day in which it fell
//!   due; screen time is cut at local midnights and local hours, each minute landing in the hour
//!   the clock showed (the night the clocks fall back, the repeated hour holds both).
//! - **Due** counts each break once, with its final outcome. A postponed row is not a break of
//!   its own: the break it put off comes back as a later row that carries the outcome, so a break
//!   postponed twice then taken is one due, one taken and two postponed. Completed, natural and
//!   skipped rows are due. An interrupted row (on screen when Respite stopped) is counted but not
//!   due: Respite ended it, not the person. Manual and focus breaks count like scheduled ones (a
//!   manual break taken is one due, one taken).
//! - **Unseen**: a break that ran its whole length while no window was on screen (`respite-ui`
//!   could not start, or exited during it: logged `completed` with `shown` false) was not
//!   taken, since nobody was asked to rest; and not due either, since Respite failed to show it,
//!   not the person to take it. It is counted on its own, as `unseen`, like an interrupted one.
//!   It does not cut the longest stretch. Breaks whose `shown` is not known (logged before the
//!   log kept it) count by their outcome, as they always did. A break ended by the person with
//!   no window up (skipped or postponed from the tray or the command line) counts by its outcome:
//!   they knew of it.
//! - **Compliance** is (taken + natural) / due; `None`, never NaN, when nothing was due.
//! - **Covers**: a break that covered shorter kinds (a walk that fell due with an eye rest)
//!   counts, with its outcome, for each kind it covered in the per-kind table, as the scheduler
//!   treats it; the week's and the days' totals count it once.
//! - **Longest stretch** of a day: its screen-time spans, joined where less than a minute apart,
//!   cut at local midnight and at the start of every break taken (completed, natural or
//!   interrupted: skipped and postponed ones were no rest).
//! - **Streak**: consecutive days at or above [`STREAK_TARGET`] compliance, ending at the last day
//!   with breaks due on or before the earlier of today and the week's Sunday, looking back across
//!   weeks at most [`STREAK_LOOKBACK_DAYS`] days. Days with nothing due neither break nor extend
//!   it. Today, still under way, extends it when it meets the target but never breaks it.
//! - **Change from the previous week**: while the week is under way, last week is cut at the same
//!   local weekday and time, so Tuesday noon is compared with last Tuesday noon.
//!
//! - **Other devices** (a shared history folder, [`crate::devices`], imported into the store):
//!   their breaks count like this device's, and time at the screen is the union of every
//!   device's spans, not their sum: an hour at two computers at once is one hour. Their spans are
//!   cut into working hours and after hours by this reader's hours, in its zone. Each device's
//!   own share is in [`Summary::devices`], and the streak walks back through every device's
//!   breaks.
//!
//! The cost is a handful of indexed range queries: the week's breaks and spans row by row
//! ([`Store::visit_breaks`], [`Store::activity_overlapping`]), the week before as sums
//! ([`Store::outcome_counts`], [`Store::screen_time`]), and the streak reading back only as far
//! as it reaches ([`Store::outcomes_backwards`]); `benches/summary.rs` measures it.

pub mod announce;
mod observe;
#[doc(hidden)]
pub mod synthetic;

pub use observe::{Fact, Observation};
use crate::calendar::{day_start, instant, Week};

use crate::record::{BreakKind, Outcome, Style};
use crate::store::{BreakBrief, OutcomeCounts, Store, StoreError};
use crate::workhours::{Span, WorkHours};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// The share of due breaks a day needs for the streak.
pub const STREAK_TARGET: f64 = 0.8;
/// How far back the streak looks.
pub const STREAK_LOOKBACK_DAYS: u32 = 365;
/// Screen-time spans closer than this are one stretch (unless a break started between them).
const JOIN_GAP_MS: i64 = 60_000;

/// Breaks counted by outcome. See the module documentation for what is due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Breaks that fell due, each once: taken + natural + skipped.
    pub due: u32,
    /// Completed: shown for their whole length.
    pub taken: u32,
    /// Taken away from the screen without being asked.
    pub natural: u32,
    pub skipped: u32,
    /// Times a break was put off (not breaks: the break comes back with its own outcome).
    pub postponed: u32,
    /// On screen when Respite stopped; not due.
    pub interrupted: u32,
    /// Ran their whole length with no window on screen; neither due nor taken.
    pub unseen: u32,
    /// (taken + natural) / due; `None` when nothing was due.
    pub compliance: Option<f64>,
}

impl From<OutcomeCounts> for Tally {
    fn from(c: OutcomeCounts) -> Self {
        Self {
            due: due(&c),
            taken: c.completed,
            natural: c.natural,
            skipped: c.skipped,
            postponed: c.postponed,
            interrupted: c.interrupted,
            unseen: c.unseen,
            compliance: compliance(&c),
        }
    }
}

fn due(c: &OutcomeCounts) -> u32 {
    c.completed + c.natural + c.skipped
}

fn rested(c: &OutcomeCounts) -> u32 {
    c.completed + c.natural
}

fn compliance(c: &OutcomeCounts) -> Option<f64> {
    let due = due(c);
    (due > 0).then(|| f64::from(rested(c)) / f64::from(due))
}

/// One local day of the week.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Day {
    pub date: NaiveDate,
    /// Time at the screen.
    pub screen_secs: u64,
    /// The part of it outside working hours.
    pub after_hours_secs: u64,
    /// The longest stretch at the screen without a break.
    pub longest_stretch_secs: u64,
    /// The breaks due that day, each once.
    pub breaks: Tally,
}

/// The numbers compared from week to week.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Headline {
    pub compliance: Option<f64>,
    pub screen_secs: u64,
    pub after_hours_secs: u64,
    /// Breaks had, completed or natural.
    pub breaks_taken: u32,
}

/// This week's headline numbers minus the previous week's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Change {
    /// In fractions (0.05 is five percentage points); `None` unless both weeks had breaks due.
    pub compliance: Option<f64>,
    pub screen_secs: i64,
    pub after_hours_secs: i64,
    pub breaks_taken: i64,
}

/// The previous week, as far as it is compared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub week: Week,
    /// Local time in the previous week where the comparison stops, while this week is under
    /// way; `None` when whole weeks are compared.
    pub until: Option<NaiveDateTime>,
    pub headline: Headline,
    pub change: Change,
}

/// Consecutive days at or above the target. See the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Streak {
    pub days: u32,
    pub target: f64,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
}

/// The weekly detox summary. See the module documentation for the rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub week: Week,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// No breaks and no screen time: the window shows a friendly empty state.
    pub is_empty: bool,
    pub headline: Headline,
    /// Every break of the week, each once.
    pub breaks: Tally,
    /// Per kind, a break counting for every kind it covered.
    pub by_kind: BTreeMap<BreakKind, Tally>,
    /// Per style: the overlay's breaks and gentle mode's notifications, told apart (each break
    /// once; those that never went on screen, such as natural ones, count as overlay ones).
    pub by_style: BTreeMap<Style, Tally>,
    /// Monday to Sunday.
    pub days: Vec<Day>,
    /// Minutes at the screen, `[day][local hour]`, Monday first.
    pub heatmap_minutes: [[u32; 24]; 7],
    pub streak: Streak,
    pub previous: Comparison,
    /// One to three plain sentences the data supports; none for an empty week.
    pub observations: Vec<Observation>,
    /// The daily screen-time budget and the days over it, when one is set
    /// ([`Summary::with_budget`]).
    pub budget: Option<BudgetReport>,
    /// Each device's share of the week, this one first, when other devices share a history
    /// folder with it; empty otherwise.
    pub devices: Vec<DeviceWeek>,
}

/// One device's share of a week: its own time at the screen (not the union) and breaks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviceWeek {
    /// `None` for this device.
    pub id: Option<String>,
    /// `None` for this device (the window says "This computer").
    pub name: Option<String>,
    /// When it last wrote to the shared folder (other devices).
    pub last_wrote: Option<DateTime<Utc>>,
    pub screen_secs: u64,
    pub breaks: Tally,
}

/// The daily screen-time budget, and the days of the week that went over it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BudgetReport {
    pub daily_secs: u64,
    /// Oldest first.
    pub over: Vec<DayOver>,
}

/// A day over the budget, and by how much.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayOver {
    pub date: NaiveDate,
    pub over_secs: u64,
}

impl Summary {
    /// The same summary with the days over `daily` (a budget in the settings; `None`: none).
    pub fn with_budget(mut self, daily: Option<std::time::Duration>) -> Self {
        self.budget = daily.map(|daily| {
            let daily_secs = daily.as_secs();
            let over = self
                .days
                .iter()
                .filter(|day| day.screen_secs > daily_secs)
                .map(|day| DayOver { date: day.date, over_secs: day.screen_secs - daily_secs })
                .collect();
            BudgetReport { daily_secs, over }
        });
        self
    }
}

/// The summary of `week` in `zone`, as of `now` (which decides where the streak ends and, for the
/// week under way, how much of last week it is compared with).
/// `hours` cut other devices' time at the screen into working hours and after hours.
pub fn week_summary<Z: TimeZone>(store: &Store, week: Week, zone: &Z, hours: &WorkHours, now: DateTime<Utc>) -> Result<Summary, StoreError> {
    let grid = Grid::new(week, zone);
    let mut week_counts = OutcomeCounts::default();
    let mut day_counts = [OutcomeCounts::default(); 7];
    let mut kind_counts = [OutcomeCounts::default(); 3];
    let mut style_counts = [OutcomeCounts::default(); 2];
    let mut by_hour = [[OutcomeCounts::default(); 24]; 3];
    let mut cuts = Vec::new();
    let mut count = |brk: &BreakBrief| {
        let Some(bucket) = grid.bucket(ms(brk.due_at)) else { return };
        let (day, hour) = grid.labels[bucket];
        week_counts.add(brk.outcome, brk.shown);
        day_counts[day].add(brk.outcome, brk.shown);
        style_counts[brk.style.index()].add(brk.outcome, brk.shown);
        let mut kinds = [false; 3];
        for kind in std::iter::once(brk.kind).chain(brk.covers.iter().copied()) {
            kinds[kind.index()] = true;
        }
        for kind in (0..3).filter(|k| kinds[*k]) {
            kind_counts[kind].add(brk.outcome, brk.shown);
            by_hour[kind][hour].add(brk.outcome, brk.shown);
        }
        let unseen = brk.outcome == Outcome::Completed && brk.shown == Some(false);
        if matches!(brk.outcome, Outcome::Completed | Outcome::Natural | Outcome::Interrupted) && !unseen {
            cuts.extend(brk.started_at.map(ms));
        }
    };
    let mut own_counts = OutcomeCounts::default();
    store.visit_breaks(grid.start(), grid.end(), |brk| {
        if grid.bucket(ms(brk.due_at)).is_some() {
            own_counts.add(brk.outcome, brk.shown);
        }
        count(&brk);
    })?;
    let mut spans = store.activity_overlapping(grid.start(), grid.end())?;
    let others = store.devices()?;
    let mut devices = Vec::new();
    if !others.is_empty() {
        let mut their_counts: BTreeMap<String, OutcomeCounts> = BTreeMap::new();
        store.visit_device_breaks(grid.start(), grid.end(), |device, brk| {
            if grid.bucket(ms(brk.due_at)).is_some() {
                their_counts.entry(device.to_owned()).or_default().add(brk.outcome, brk.shown);
            }
            count(&brk);
        })?;
        let theirs = store.device_activity_overlapping(grid.start(), grid.end())?;
        let clipped = |span: &Span| (ms(span.end).min(ms(grid.end())) - ms(span.start).max(ms(grid.start()))).max(0);
        let mut their_ms: BTreeMap<&str, i64> = BTreeMap::new();
        for (device, span) in &theirs {
            *their_ms.entry(device.as_str()).or_default() += clipped(span);
        }
        devices.push(DeviceWeek { id: None, name: None, last_wrote: None, screen_secs: secs(spans.iter().map(clipped).sum()), breaks: own_counts.into() });
        devices.extend(others.into_iter().map(|seen| DeviceWeek {
            screen_secs: secs(their_ms.get(seen.id.as_str()).copied().unwrap_or(0)),
            breaks: their_counts.get(&seen.id).copied().unwrap_or_default().into(),
            id: Some(seen.id),
            name: Some(seen.name),
            last_wrote: seen.last_wrote,
        }));
        let working = hours.working_between(grid.start(), grid.end(), zone);
        spans = merge_spans(spans.into_iter().chain(theirs.iter().flat_map(|(_, span)| by_hours(span, grid.start(), grid.end(), &working))));
    }
    cuts.sort_unstable();
    let screen = Screen::measure(&grid, &spans);

    let days: Vec<Day> = week
        .days()
        .enumerate()
        .map(|(d, date)| Day {
            date,
            screen_secs: secs(screen.day_ms[d]),
            after_hours_secs: secs(screen.after_ms[d]),
            longest_stretch_secs: secs(longest_stretch(&screen.pieces[d], &cuts)),
            breaks: day_counts[d].into(),
        })
        .collect();
    let headline = Headline {
        compliance: compliance(&week_counts),
        screen_secs: secs(screen.day_ms.iter().sum()),
        after_hours_secs: secs(screen.after_ms.iter().sum()),
        breaks_taken: rested(&week_counts),
    };
    let heatmap_minutes = screen.heat_ms.map(|day| day.map(|ms| u32::try_from((ms + 30_000) / 60_000).unwrap_or(u32::MAX)));
    let mut summary = Summary {
        week,
        first_day: week.monday(),
        last_day: week.sunday(),
        is_empty: week_counts.rows() == 0 && !screen.any,
        headline,
        breaks: week_counts.into(),
        by_kind: BreakKind::ALL.into_iter().map(|k| (k, kind_counts[k.index()].into())).collect(),
        by_style: Style::ALL.into_iter().map(|s| (s, style_counts[s.index()].into())).collect(),
        days,
        heatmap_minutes,
        streak: streak(store, week, zone, now, &day_counts, !devices.is_empty())?,
        previous: compare(store, week, zone, hours, now, &headline)?,
        observations: Vec::new(),
        budget: None,
        devices,
    };
    if !summary.is_empty {
        summary.observations = observe::observe(&summary, &by_hour);
    }
    Ok(summary)
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Whole seconds, rounded, of a non-negative count of milliseconds.
fn secs(ms: i64) -> u64 {
    u64::try_from((ms + 500) / 1000).unwrap_or(0)
}

/// The local hours of one week as instants: bucket `i` is `[starts[i], starts[i + 1])`, labelled
/// with its local day (0 is Monday) and hour of the day. A day the clocks fall back has 25
/// buckets, two of them with the repeated hour's label; a day they spring forward has 23.
struct Grid {
    starts: Vec<i64>,
    labels: Vec<(usize, usize)>,
}

impl Grid {
    fn new<Z: TimeZone>(week: Week, zone: &Z) -> Self {
        let monday = week.monday();
        let (start, end) = (day_start(monday, zone), day_start(monday + Days::new(7), zone));
        let mut starts = Vec::with_capacity(7 * 24 + 2);
        let mut labels = Vec::with_capacity(7 * 24 + 1);
        let mut t = start;
        // The bound only guards against a zone that misbehaves; a week has 169 hours at most.
        while t < end && labels.len() < 7 * 24 * 2 {
            let local = t.with_timezone(zone).naive_local();
            let day = (local.date() - monday).num_days().clamp(0, 6) as usize;
            starts.push(ms(t));
            labels.push((day, local.hour() as usize));
            let into_hour = i64::from(local.minute() * 60 + local.second()) * 1000 + i64::from(local.nanosecond() / 1_000_000);
            t += TimeDelta::milliseconds(3_600_000 - into_hour);
        }
        starts.push(ms(end));
        Self { starts, labels }
    }

    fn start(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.starts[0]).expect("in range")
    }

    fn end(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(*self.starts.last().expect("never empty")).expect("in range")
    }

    /// The bucket holding instant `t` (milliseconds), if it is in the week.
    fn bucket(&self, t: i64) -> Option<usize> {
        let after = self.starts.partition_point(|&s| s <= t);
        (after >= 1 && after < self.starts.len()).then(|| after - 1)
    }
}

/// Screen time of one week, cut into local days and hours.
struct Screen {
    heat_ms: [[i64; 24]; 7],
    day_ms: [i64; 7],
    after_ms: [i64; 7],
    /// Per day, the spans cut to the day, in order of start.
    pieces: [Vec<(i64, i64)>; 7],
    any: bool,
}

impl Screen {
    fn measure(grid: &Grid, spans: &[Span]) -> Self {
        let mut out = Screen { heat_ms: [[0; 24]; 7], day_ms: [0; 7], after_ms: [0; 7], pieces: Default::default(), any: false };
        let (first, last) = (grid.starts[0], grid.starts[grid.starts.len() - 1]);
        for span in spans {
            let (start, end) = (ms(span.start).max(first), ms(span.end).min(last));
            if end <= start {
                continue;
            }
            out.any = true;
            let mut bucket = grid.bucket(start).expect("inside the week");
            let mut piece: Option<(usize, i64, i64)> = None;
            let mut t = start;
            while t < end {
                let (day, hour) = grid.labels[bucket];
                let to = end.min(grid.starts[bucket + 1]);
                out.heat_ms[day][hour] += to - t;
                out.day_ms[day] += to - t;
                if span.after_hours {
                    out.after_ms[day] += to - t;
                }
                piece = match piece {
                    Some((d, from, _)) if d == day => Some((d, from, to)),
                    other => {
                        if let Some((d, from, until)) = other {
                            out.pieces[d].push((from, until));
                        }
                        Some((day, t, to))
                    }
                };
                t = to;
                bucket += 1;
            }
            if let Some((d, from, until)) = piece {
                out.pieces[d].push((from, until));
            }
        }
        out
    }
}

/// The longest run of `pieces` (sorted by start) joined where less than [`JOIN_GAP_MS`] apart,
/// cut at every instant in `cuts` (sorted). Milliseconds.
fn longest_stretch(pieces: &[(i64, i64)], cuts: &[i64]) -> i64 {
    let cut_within = |lo: i64, hi: i64| {
        let i = cuts.partition_point(|&c| c < lo);
        i < cuts.len() && cuts[i] <= hi
    };
    let mut best = 0;
    let mut run: Option<(i64, i64)> = None;
    for &(start, end) in pieces {
        let (mut from, until) = match run {
            Some((from, until)) if start - until < JOIN_GAP_MS && !cut_within(until, start) => (from, until.max(end)),
            Some((from, until)) => {
                best = best.max(until - from);
                (start, end)
            }
            None => (start, end),
        };
        // A break that started inside the span (the log normally ends a span there).
        let inside = cuts.partition_point(|&c| c <= start);
        for &cut in cuts[inside..].iter().take_while(|&&c| c < end) {
            best = best.max(cut - from);
            from = cut;
        }
        run = Some((from, until));
    }
    if let Some((from, until)) = run {
        best = best.max(until - from);
    }
    best
}

/// The previous week's headline numbers and the change from them.
fn compare<Z: TimeZone>(store: &Store, week: Week, zone: &Z, hours: &WorkHours, now: DateTime<Utc>, this: &Headline) -> Result<Comparison, StoreError> {
    let previous = week.previous();
    let midnight = |date: NaiveDate| date.and_time(NaiveTime::MIN);
    let (start, this_start) = (day_start(previous.monday(), zone), day_start(week.monday(), zone));
    let under_way = this_start <= now && now < day_start(week.next().monday(), zone);
    let until = under_way.then(|| midnight(previous.monday()) + (now.with_timezone(zone).naive_local() - midnight(week.monday())));
    let end = until.map_or(this_start, |local| instant(local, zone));
    let mut counts = store.outcome_counts(start, end)?;
    let screen = store.screen_time(start, end)?;
    let (mut total_ms, mut after_ms) = (screen.total_ms, screen.after_hours_ms);
    if !store.devices()?.is_empty() {
        // As in the week itself: every device's breaks, and the union of their spans.
        store.visit_device_breaks(start, end, |_, brk| counts.add(brk.outcome, brk.shown))?;
        let theirs = store.device_activity_overlapping(start, end)?;
        let working = hours.working_between(start, end, zone);
        let all = merge_spans(store.activity_overlapping(start, end)?.into_iter().chain(theirs.iter().flat_map(|(_, span)| by_hours(span, start, end, &working))));
        (total_ms, after_ms) = (0, 0);
        for span in &all {
            let length = (ms(span.end).min(ms(end)) - ms(span.start).max(ms(start))).max(0);
            total_ms += length;
            if span.after_hours {
                after_ms += length;
            }
        }
    }
    let headline = Headline { compliance: compliance(&counts), screen_secs: secs(total_ms), after_hours_secs: secs(after_ms), breaks_taken: rested(&counts) };
    let signed = |a: u64, b: u64| i64::try_from(a).unwrap_or(i64::MAX) - i64::try_from(b).unwrap_or(i64::MAX);
    let change = Change {
        compliance: this.compliance.zip(headline.compliance).map(|(a, b)| a - b),
        screen_secs: signed(this.screen_secs, headline.screen_secs),
        after_hours_secs: signed(this.after_hours_secs, headline.after_hours_secs),
        breaks_taken: i64::from(this.breaks_taken) - i64::from(headline.breaks_taken),
    };
    Ok(Comparison { week: previous, until, headline, change })
}

/// See the module documentation. `this_week` holds the summarized week's days, already counted;
/// earlier days are read newest first, and no further back than the streak reaches.
/// `with_devices`: other devices' breaks count too (a shared history folder).
fn streak<Z: TimeZone>(store: &Store, week: Week, zone: &Z, now: DateTime<Utc>, this_week: &[OutcomeCounts; 7], with_devices: bool) -> Result<Streak, StoreError> {
    let today = now.with_timezone(zone).date_naive();
    let anchor = today.min(week.sunday());
    let oldest = anchor - Days::new(u64::from(STREAK_LOOKBACK_DAYS) - 1);
    let mut walk = StreakWalk { today, streak: Streak { days: 0, target: STREAK_TARGET, first_day: None, last_day: None } };
    let mut day = anchor;
    while week.contains(day) && day >= oldest {
        if walk.broken_by(day, &this_week[day.weekday().num_days_from_monday() as usize]) {
            return Ok(walk.streak);
        }
        day = day - Days::new(1);
    }
    if day < oldest {
        return Ok(walk.streak);
    }
    // `day` is the newest day not yet looked at; its breaks are the first the walk meets.
    let (mut counts, mut starts) = (OutcomeCounts::default(), day_start(day, zone));
    let mut broken = false;
    let (from, to) = (day_start(oldest, zone), day_start(day + Days::new(1), zone));
    let visit = |due_at, outcome, shown| {
        while due_at < starts {
            if walk.broken_by(day, &counts) {
                broken = true;
                return ControlFlow::Break(());
            }
            (day, counts) = (day - Days::new(1), OutcomeCounts::default());
            starts = day_start(day, zone);
        }
        counts.add(outcome, shown);
        ControlFlow::Continue(())
    };
    if with_devices {
        store.outcomes_backwards_with_devices(from, to, visit)?;
    } else {
        store.outcomes_backwards(from, to, visit)?;
    }
    if !broken {
        walk.broken_by(day, &counts);
    }
    Ok(walk.streak)
}

/// The streak, built one day at a time from the newest.
struct StreakWalk {
    today: NaiveDate,
    streak: Streak,
}

impl StreakWalk {
    /// Counts `day` in; whether it ends the streak.
    fn broken_by(&mut self, day: NaiveDate, counts: &OutcomeCounts) -> bool {
        match compliance(counts) {
            None => false,
            Some(share) if share >= STREAK_TARGET - 1e-9 => {
                self.streak.days += 1;
                self.streak.last_day.get_or_insert(day);
                self.streak.first_day = Some(day);
                false
            }
            // Today is not over: it may still reach the target.
            Some(_) => day != self.today,
        }
    }
}

#[cfg(test)]
mod tests;

/// The union of `spans` (from several devices, which may overlap), as spans that do not: time
/// covered by any span once, after hours where any span covering it is after hours.
fn merge_spans(spans: impl IntoIterator<Item = Span>) -> Vec<Span> {
    // +1/-1 at each end, for all spans and for those after hours.
    let mut edges: Vec<(i64, i32, i32)> = Vec::new();
    for span in spans {
        let (start, end) = (ms(span.start), ms(span.end));
        if end > start {
            let after = i32::from(span.after_hours);
            edges.push((start, 1, after));
            edges.push((end, -1, -after));
        }
    }
    edges.sort_unstable();
    let mut out: Vec<Span> = Vec::new();
    let (mut covering, mut after) = (0, 0);
    let mut from: Option<i64> = None;
    let instant = |t: i64| DateTime::from_timestamp_millis(t).expect("from a valid instant");
    for (at, all_step, after_step) in edges {
        if let Some(start) = from.filter(|start| *start < at) {
            let piece = Span { start: instant(start), end: instant(at), after_hours: after > 0 };
            match out.last_mut() {
                Some(last) if last.end == piece.start && last.after_hours == piece.after_hours => last.end = piece.end,
                _ => out.push(piece),
            }
        }
        covering += all_step;
        after += after_step;
        from = (covering > 0).then_some(at);
    }
    out
}

/// Another device's `span`, cut to `[from, to)` (it can be any length) and at the edges of
/// `working` (in order, not touching), each piece after hours where outside them.
fn by_hours(span: &Span, from: DateTime<Utc>, to: DateTime<Utc>, working: &[(DateTime<Utc>, DateTime<Utc>)]) -> Vec<Span> {
    let (mut at, end) = (span.start.max(from), span.end.min(to));
    let mut pieces = Vec::new();
    let first = working.partition_point(|(_, until)| *until <= at);
    for &(start, until) in working[first..].iter().take_while(|(start, _)| *start < end) {
        if at < start {
            pieces.push(Span { start: at, end: start, after_hours: true });
            at = start;
        }
        let stop = until.min(end);
        if at < stop {
            pieces.push(Span { start: at, end: stop, after_hours: false });
            at = stop;
        }
    }
    if at < end {
        pieces.push(Span { start: at, end, after_hours: true });
    }
    pieces
}
