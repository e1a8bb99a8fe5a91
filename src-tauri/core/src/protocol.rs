//! The control protocol: JSON lines over the daemon's Unix socket, shared by the daemon, the CLI
//! and `respite-ui`.
//!
//! A client writes one [`Request`] per line and reads one [`Response`] line back. A client that
//! sends [`Request::Subscribe`] instead keeps the connection and receives [`Notice`] lines as
//! things happen (the overlay uses this to fade out when its break ends; `respite status
//! --follow` prints each [`Notice::Glance`]). The first notice a subscriber gets is the current
//! glance, so it never has to ask for the state separately. Lines longer than [`MAX_MESSAGE`]
//! bytes are refused.

use crate::message::Message;
use crate::record::{BreakKind, Outcome, Style, Trigger};
use crate::senses::HoldReason;
use crate::selfcheck::Answers;
use crate::calendar::Week;
use crate::schedule::{FocusStatus, Phase, Scheduler};
use crate::clock::Now;
use chrono::{DateTime, FixedOffset, SubsecRound, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Longest accepted message line, in bytes (without the newline).
pub const MAX_MESSAGE: usize = 8 * 1024;

/// What a client asks of the daemon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// The current state.
    Status,
    /// Start a break of this kind now.
    Break { kind: BreakKind },
    Pause { length: PauseSpec },
    Resume,
    /// Skip the break on screen (only break `break_id` if given), or the next one.
    Skip {
        #[serde(default)]
        break_id: Option<u64>,
    },
    /// Postpone the break on screen (only break `break_id` if given).
    Postpone {
        #[serde(default)]
        break_id: Option<u64>,
    },
    /// The user is back before the end of the break on screen (only break `break_id` if given).
    Finish {
        #[serde(default)]
        break_id: Option<u64>,
    },
    /// The overlay for `break_id` is on screen (its first frame painted).
    Shown { break_id: u64 },
    /// Stop the daemon (and any window it opened).
    Quit,
    /// Keep this connection and send [`Notice`]s on it.
    Subscribe,
    /// A second `respite` start, handing over to the running one.
    Hello,
    /// Start (`on: true`) or stop focus mode.
    Focus { on: bool },
    /// Read the settings file again and apply it (problems reported as at start).
    Reload,
    /// Open a window (`respite-ui <window>`); one of each at a time. `week`: the summary's
    /// first week (default: this one); other windows ignore it.
    Open {
        window: WindowName,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        week: Option<Week>,
    },
    /// Save the weekly self-check's answers for `week` (replacing earlier answers that week).
    SelfCheck { week: Week, answers: Answers },
}

/// A window the daemon opens on request (the tray, `respite settings`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowName {
    Settings,
    Summary,
    /// The first-start window: what Respite does, a preset, launch at login and sound.
    Welcome,
}

impl WindowName {
    /// The `respite-ui` argument that opens it.
    pub fn as_str(self) -> &'static str {
        match self {
            WindowName::Settings => "settings",
            WindowName::Summary => "summary",
            WindowName::Welcome => "welcome",
        }
    }
}

/// The pause lengths accepted, in seconds: 1 s to 7 days (from the CLI, the tray or the socket).
pub const PAUSE_SECS: std::ops::RangeInclusive<u64> = 1..=7 * 24 * 3600;

/// How long to pause, as sent on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseSpec {
    ForSecs(u64),
    UntilTomorrow,
    Indefinitely,
}

impl PauseSpec {
    /// Parses what a person types: `30m`, `1h`, `1h30m`, `until-tomorrow`, `indefinitely`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "until-tomorrow" | "tomorrow" => Ok(PauseSpec::UntilTomorrow),
            "indefinitely" | "forever" => Ok(PauseSpec::Indefinitely),
            other => {
                let d = crate::timefmt::parse_duration(other)
                    .map_err(|e| format!("{other:?} is not a pause length ({e}); try 30m, 1h, until-tomorrow or indefinitely"))?;
                if !PAUSE_SECS.contains(&d.as_secs()) {
                    return Err(format!("{other:?} is out of range (1s to 7 days)"));
                }
                Ok(PauseSpec::ForSecs(d.as_secs()))
            }
        }
    }
}

/// The daemon's answer to one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Why it was refused, in English (for scripts and the log).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The same as a locale code with arguments, for a client to word in its own language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
}

impl Response {
    pub fn ok(status: Status) -> Self {
        Self { ok: true, status: Some(status), error: None, message: None }
    }

    /// A refusal: `message` as the code, and in English.
    pub fn refused(message: Message) -> Self {
        Self { ok: false, status: None, error: Some(message.english()), message: Some(message) }
    }

    /// The refusal in `texts`' language: the code when the client knows it, else the English
    /// (from a newer daemon), else a plain "refused".
    pub fn refusal_in(&self, texts: &crate::text::Texts) -> String {
        match (&self.message, &self.error) {
            (Some(message), _) if texts.knows(message) => texts.say(message),
            (_, Some(english)) => english.clone(),
            _ => texts.get("error.refused").to_owned(),
        }
    }
}

/// Something that happened, pushed to subscribers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Notice {
    BreakStarted { break_id: u64, kind: BreakKind },
    BreakEnded { break_id: u64, outcome: Outcome },
    /// What the tray shows changed (its state or its info line, which counts down by the
    /// minute); also sent once to each new subscriber. Sent whether or not a tray is shown.
    Glance { state: Mode, info: String },
    ShuttingDown,
}

/// What Respite is doing, in one word, as the tray and panels show it. A break on screen wins
/// over a pause, and a pause over focus mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Running,
    Paused,
    OnBreak,
    Focus,
}

impl Mode {
    /// Its wire name (`on_break`), also the CSS class a panel styles it with.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Running => "running",
            Mode::Paused => "paused",
            Mode::OnBreak => "on_break",
            Mode::Focus => "focus",
        }
    }
}

/// What the scheduler is doing, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Working,
    OnBreak,
    Paused,
}

/// The next scheduled break.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextInfo {
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    /// Local time.
    pub at: DateTime<FixedOffset>,
    pub in_secs: u64,
}

/// The break on screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentBreak {
    pub id: u64,
    pub kind: BreakKind,
    pub covers: Vec<BreakKind>,
    pub started_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub planned_secs: u64,
    /// Until it ends: for a notification-style break, until its offer ends (its length and
    /// [`GENTLE_ANSWER`](crate::schedule::GENTLE_ANSWER)).
    pub remaining_ms: u64,
    /// The overlay, or gentle mode's notification.
    #[serde(default)]
    pub style: Style,
    /// Strict: no postpone, skip or early finish.
    pub strict: bool,
    /// Postpone is offered now, for `postpone_left_ms` more.
    pub can_postpone: bool,
    pub postpone_left_ms: u64,
    /// How far Postpone puts the break off.
    pub postpone_secs: u64,
    /// "I'm back" is offered (walks).
    pub can_finish: bool,
    /// Which piece of content to show (the daemon rotates it so breaks in a row differ).
    pub idea: u32,
    /// Why it came: the schedule, by hand, focus mode, a fixed time, the budget.
    #[serde(default = "scheduled")]
    pub trigger: Trigger,
    /// A reminder the person set, shown with this break.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip: Option<String>,
}

fn scheduled() -> Trigger {
    Trigger::Scheduled
}

/// The daemon's state, as `respite status --json` prints it. Times are local.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub state: State,
    /// When the pause ends; `None` while not paused or paused indefinitely.
    pub paused_until: Option<DateTime<FixedOffset>>,
    pub next: Option<NextInfo>,
    pub current: Option<CurrentBreak>,
    /// Problems the user should know about (bad settings, a database that cannot be written).
    #[serde(default)]
    pub warnings: Vec<String>,
    /// Those of `warnings` that a client words in its own language (the settings problems), as
    /// locale messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Message>,
    /// Where idle time comes from: "x11-screensaver", "mutter", "ext-idle-notify",
    /// "freedesktop-screensaver", or "none" (no idle data: all time counts as active).
    #[serde(default)]
    pub idle_source: String,
    /// The person is counted as away (idle or asleep).
    #[serde(default)]
    pub away: bool,
    /// Why the due break is held back, if it is.
    #[serde(default)]
    pub holding: Option<HoldReason>,
    /// What a due break waits for, as the daemon found it at start: "x11-fullscreen",
    /// "gnome-session-inhibit", "camera", "microphone"… (empty: it never waits).
    #[serde(default)]
    pub hold_sources: Vec<String>,
    /// Focus mode's round and time left, when it is on.
    #[serde(default)]
    pub focus: Option<FocusStatus>,
    /// Breaks keep to working hours, and it is outside them: no scheduled break comes now.
    #[serde(default)]
    pub outside_hours: bool,
    /// Active time at the screen today, in seconds.
    #[serde(default)]
    pub screen_time_today_secs: u64,
    /// The daily screen-time budget, in seconds, when one is set.
    #[serde(default)]
    pub budget_secs: Option<u64>,
}

impl Status {
    /// The state of `scheduler` at `now`, with times shown in zone `tz`.
    pub fn of<Tz: TimeZone>(scheduler: &Scheduler, now: Now, tz: &Tz, warnings: Vec<String>, idle_source: &str) -> Self {
        let local = |t: DateTime<Utc>| t.with_timezone(tz).fixed_offset().round_subsecs(0);
        let (state, paused_until, current) = match scheduler.phase() {
            Phase::Working(_) => (State::Working, None, None),
            Phase::Paused(p) => (State::Paused, p.until.map(|u| local(u.wall)), None),
            Phase::OnBreak(b) => {
                // From the monotonic clock: a wall-clock jump during a break neither shortens
                // nor lengthens what the overlay counts down.
                let remaining = b.ends_mono().saturating_sub(now.mono).as_millis();
                let ends_at = now.wall_at(b.ends_mono());
                let postpone = scheduler.postpone_window(now);
                let strict = b.strict;
                let current = CurrentBreak {
                    id: b.id,
                    kind: b.kind,
                    covers: b.covers.clone(),
                    started_at: local(b.started_at),
                    ends_at: local(ends_at),
                    planned_secs: b.planned.as_secs(),
                    remaining_ms: u64::try_from(remaining).unwrap_or(u64::MAX),
                    style: b.style,
                    strict,
                    can_postpone: postpone.is_ok(),
                    postpone_left_ms: postpone.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)).unwrap_or(0),
                    postpone_secs: scheduler.rules().postpone_by.as_secs(),
                    can_finish: b.kind == BreakKind::Walk && !strict,
                    idea: 0,
                    trigger: b.trigger,
                    tip: b.tip.clone(),
                };
                (State::OnBreak, None, Some(current))
            }
        };
        let next = scheduler.next_break(now).map(|n| NextInfo {
            kind: n.kind,
            covers: n.covers,
            at: local(n.at),
            in_secs: n.in_time.as_secs(),
        });
        Self {
            state,
            paused_until,
            next,
            current,
            warnings,
            notes: Vec::new(),
            idle_source: idle_source.to_owned(),
            away: scheduler.is_away(),
            holding: scheduler.holding(),
            hold_sources: Vec::new(),
            focus: scheduler.focus(),
            outside_hours: !scheduler.in_break_hours(),
            screen_time_today_secs: scheduler.screen_time_today(now).as_secs(),
            budget_secs: scheduler.budget().daily.map(|d| d.as_secs()),
        }
    }
}

/// Why a line is not a request.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtocolError {
    #[error("message too long ({0} bytes; the limit is {MAX_MESSAGE})")]
    TooLong(usize),
    #[error("malformed message: {0}")]
    Malformed(String),
    #[error("a pause lasts 1 s to 7 days, not {0} s")]
    PauseOutOfRange(u64),
}

impl ProtocolError {
    /// The refusal as a locale message.
    pub fn message(&self) -> Message {
        match self {
            Self::TooLong(_) => Message::new("error.too_long").number("limit", MAX_MESSAGE as u64),
            Self::Malformed(detail) => Message::new("error.malformed").text("detail", detail),
            Self::PauseOutOfRange(secs) => Message::new("error.pause_range").number("secs", *secs),
        }
    }
}

/// Parses one request line.
pub fn parse_request(line: &str) -> Result<Request, ProtocolError> {
    if line.len() > MAX_MESSAGE {
        return Err(ProtocolError::TooLong(line.len()));
    }
    // A request is one JSON object (serde would also read a tagged enum from an array).
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(line.trim()).map_err(|e| ProtocolError::Malformed(e.to_string()))?;
    let keys: Vec<String> = object.keys().cloned().collect();
    let request: Request =
        serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| ProtocolError::Malformed(e.to_string()))?;
    // Values that parse but no one may ask for: checked here, where they arrive.
    if let Request::Pause { length: PauseSpec::ForSecs(secs) } = request {
        if !PAUSE_SECS.contains(&secs) {
            return Err(ProtocolError::PauseOutOfRange(secs));
        }
    }
    // serde does not apply `deny_unknown_fields` to field-less variants of a tagged enum
    // (serde-rs/serde#2123): check those by hand, so every command is read strictly.
    if matches!(request, Request::Status | Request::Resume | Request::Quit | Request::Subscribe | Request::Hello | Request::Reload) {
        if let Some(extra) = keys.iter().find(|k| *k != "cmd") {
            return Err(ProtocolError::Malformed(format!("unknown field `{extra}`")));
        }
    }
    Ok(request)
}

/// One message as a line (JSON and a newline).
pub fn to_line<T: Serialize>(message: &T) -> String {
    let mut line = serde_json::to_string(message).expect("protocol messages always serialize");
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use crate::clock::{Clock, ManualClock};
    use crate::settings::Settings;

    #[test]
    fn requests_have_a_stable_wire_form() {
        let cases = [
            (Request::Status, r#"{"cmd":"status"}"#),
            (Request::Break { kind: BreakKind::Walk }, r#"{"cmd":"break","kind":"walk"}"#),
            (Request::Pause { length: PauseSpec::ForSecs(1800) }, r#"{"cmd":"pause","length":{"for_secs":1800}}"#),
            (Request::Pause { length: PauseSpec::UntilTomorrow }, r#"{"cmd":"pause","length":"until_tomorrow"}"#),
            (Request::Skip { break_id: Some(3) }, r#"{"cmd":"skip","break_id":3}"#),
            (Request::Postpone { break_id: None }, r#"{"cmd":"postpone","break_id":null}"#),
            (Request::Finish { break_id: Some(2) }, r#"{"cmd":"finish","break_id":2}"#),
            (Request::Shown { break_id: 2 }, r#"{"cmd":"shown","break_id":2}"#),
            (Request::Reload, r#"{"cmd":"reload"}"#),
            (Request::Open { window: WindowName::Settings, week: None }, r#"{"cmd":"open","window":"settings"}"#),
            (Request::Open { window: WindowName::Summary, week: None }, r#"{"cmd":"open","window":"summary"}"#),
            (Request::Open { window: WindowName::Summary, week: Week::new(2026, 47) }, r#"{"cmd":"open","window":"summary","week":"2026-W47"}"#),
            (Request::Open { window: WindowName::Welcome, week: None }, r#"{"cmd":"open","window":"welcome"}"#),
            (
                Request::SelfCheck { week: Week::new(2026, 47).unwrap(), answers: Answers::new(4, 3, 2).unwrap() },
                r#"{"cmd":"self_check","week":"2026-W47","answers":{"energy":4,"closeness":3,"accomplishment":2}}"#,
            ),
        ];
        for (request, wire) in cases {
            assert_eq!(to_line(&request), format!("{wire}\n"));
            assert_eq!(parse_request(wire), Ok(request));
        }
        assert_eq!(parse_request(r#"{"cmd":"skip"}"#), Ok(Request::Skip { break_id: None }));
    }

    #[test]
    fn notices_have_a_stable_wire_form() {
        let cases = [
            (Notice::Glance { state: Mode::OnBreak, info: "On a break: Walk".into() }, r#"{"event":"glance","state":"on_break","info":"On a break: Walk"}"#),
            (Notice::BreakEnded { break_id: 4, outcome: Outcome::Skipped }, r#"{"event":"break_ended","break_id":4,"outcome":"skipped"}"#),
            (Notice::ShuttingDown, r#"{"event":"shutting_down"}"#),
        ];
        for (notice, wire) in cases {
            assert_eq!(to_line(&notice), format!("{wire}\n"));
            assert_eq!(serde_json::from_str::<Notice>(wire).unwrap(), notice);
        }
        for mode in [Mode::Running, Mode::Paused, Mode::OnBreak, Mode::Focus] {
            assert_eq!(serde_json::to_value(mode).unwrap(), mode.as_str(), "the class is the wire name");
        }
    }

    #[test]
    fn malformed_and_oversized_lines_are_refused() {
        for bad in ["", "{", "null", r#"{"cmd":"explode"}"#, r#"{"cmd":"break","kind":"nap"}"#, r#"{"cmd":"skip","break_id":"x"}"#, r#"{"cmd":"quit","force":true}"#, r#"{"cmd":"reload","now":true}"#, r#"{"cmd":"open","window":"mail"}"#, r#"["skip",3]"#] {
            assert!(matches!(parse_request(bad), Err(ProtocolError::Malformed(_))), "{bad:?} was accepted");
        }
        let long = format!(r#"{{"cmd":"status","pad":"{}"}}"#, "x".repeat(MAX_MESSAGE));
        assert_eq!(parse_request(&long), Err(ProtocolError::TooLong(long.len())));
    }

    #[test]
    fn pause_lengths_parse_from_what_people_type() {
        assert_eq!(PauseSpec::parse("30m"), Ok(PauseSpec::ForSecs(1800)));
        assert_eq!(PauseSpec::parse("1h 30m"), Ok(PauseSpec::ForSecs(5400)));
        assert_eq!(PauseSpec::parse("until-tomorrow"), Ok(PauseSpec::UntilTomorrow));
        assert_eq!(PauseSpec::parse("indefinitely"), Ok(PauseSpec::Indefinitely));
        assert!(PauseSpec::parse("soon").unwrap_err().contains("not a pause length"));
        assert!(PauseSpec::parse("30d").unwrap_err().contains("out of range"));
    }

    #[test]
    fn a_wall_clock_jump_during_a_break_does_not_change_what_is_left_of_it() {
        let clock = ManualClock::starting_at(chrono::Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap());
        let mut scheduler = Scheduler::new(Settings::default().plans(), clock.now());
        scheduler.handle(crate::schedule::Command::TakeBreak(BreakKind::Stretch), clock.now()).unwrap();
        let now = clock.advance(Duration::from_secs(30));
        let tz = FixedOffset::east_opt(0).unwrap();
        let before = Status::of(&scheduler, now, &tz, vec![], "none").current.unwrap();
        for jump in [3600, -3600, 86_400 * 365] {
            let jumped = clock.jump_wall(jump);
            let after = Status::of(&scheduler, jumped, &tz, vec![], "none").current.unwrap();
            assert_eq!(after.remaining_ms, before.remaining_ms, "after a jump of {jump} s");
            assert_eq!(after.remaining_ms, 60_000);
            assert_eq!(after.ends_at, jumped.wall_at(jumped.mono + Duration::from_secs(60)).fixed_offset().round_subsecs(0), "shown on the new wall clock");
            clock.jump_wall(-jump);
        }
    }

    #[test]
    fn status_shows_the_next_break_in_local_time() {
        let clock = ManualClock::starting_at(chrono::Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap());
        let scheduler = Scheduler::new(Settings::default().plans(), clock.now());
        let now = clock.advance(Duration::from_secs(5 * 60));
        let tz = FixedOffset::east_opt(3600).unwrap();
        let status = Status::of(&scheduler, now, &tz, vec![], "none");
        assert_eq!(status.state, State::Working);
        let next = status.next.unwrap();
        assert_eq!((next.kind, next.in_secs), (BreakKind::Eye, 15 * 60));
        assert_eq!(next.at.to_rfc3339(), "2026-11-23T09:20:00+01:00");
    }
}
