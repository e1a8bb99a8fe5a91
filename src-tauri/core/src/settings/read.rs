//! Reading the settings file: its text, parsed as a TOML table, becomes [`Settings`], each key
//! read and checked on its own, every bad or unknown key a [`Problem`] that keeps its default;
//! the bounds each value must keep; and the first run, which writes the default file.

use super::values::{mins, DevicesPrefs, Evening, Monitors, OverlayPrefs, SelfCheckPrefs, Settings, SoundPrefs, TextSize, Theme, UnknownMonitors};
use super::DEFAULT_FILE;
use crate::record::{BreakKind, Style};
use crate::schedule::{Budget, FixedBreak, FocusPlan, KindPlan, Reminder, ReminderPlan, Sensing};
use crate::message::Message;
use crate::workhours::{parse_day, WorkHours};
use chrono::{NaiveTime, Weekday};
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

/// Shortest interval accepted (short values are handy for trying the app out).
pub const MIN_INTERVAL: Duration = Duration::from_secs(5);
/// Longest interval accepted.
pub const MAX_INTERVAL: Duration = Duration::from_secs(24 * 3600);
/// Shortest break accepted.
pub const MIN_DURATION: Duration = Duration::from_secs(1);
/// Longest break accepted.
pub const MAX_DURATION: Duration = Duration::from_secs(3600);

/// The settings file format this Respite writes. A file with a higher `version` came from a
/// newer Respite: what this one knows still applies, the rest is reported and ignored.
pub const FORMAT_VERSION: i64 = 1;
/// Shortest history that `[log] keep` accepts.
pub const MIN_KEEP: Duration = Duration::from_secs(24 * 3600);

/// One thing wrong in the settings file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Dotted key (`eye.interval`), or empty for the file as a whole.
    pub key: String,
    /// Why, as a locale key with arguments (`problem.*`): each process words it in its own
    /// language; `Display` gives the English, for the log.
    pub reason: Message,
}

impl Problem {
    /// The problem is with the file as a whole (it is not TOML), so no setting of it applies.
    pub fn is_whole_file(&self) -> bool {
        self.key.is_empty()
    }
}

impl Problem {
    /// The problem as one message: "eye.interval: must be …".
    pub fn message(&self) -> Message {
        if self.is_whole_file() {
            self.reason.clone()
        } else {
            Message::new("problem.with_key").text("key", &self.key).nested("reason", self.reason.clone())
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().english())
    }
}

/// The outcome of reading the settings file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub settings: Settings,
    /// Everything that was wrong; empty for a clean file.
    pub problems: Vec<Problem>,
    /// The file did not exist and was written with the defaults.
    pub created: bool,
}

/// The settings file could not be read or created at all.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: io::Error },
    #[error("cannot create {path}: {source}")]
    Create { path: String, source: io::Error },
}

/// Reads `path`, or writes the defaults there if it does not exist yet (creating its folder).
pub fn load_or_create(path: &Path) -> Result<Loaded, SettingsError> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let (settings, problems) = parse(&text);
            Ok(Loaded { settings, problems, created: false })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            write_new(path, DEFAULT_FILE)
                .map_err(|source| SettingsError::Create { path: path.display().to_string(), source })?;
            Ok(Loaded { settings: Settings::default(), problems: Vec::new(), created: true })
        }
        Err(source) => Err(SettingsError::Read { path: path.display().to_string(), source }),
    }
}

/// Creates `path` with `text`; fails rather than overwrite a file that appeared meanwhile.
fn write_new(path: &Path, text: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Parses settings text; every problem is reported and replaced by its default.
pub fn parse(text: &str) -> (Settings, Vec<Problem>) {
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let reason = match e.span() {
                Some(span) => Message::new("problem.not_toml_at").text("detail", e.message()).number("line", line_of(text, span.start) as u64),
                None => Message::new("problem.not_toml").text("detail", e.message()),
            };
            problems.push(Problem { key: String::new(), reason });
            return (settings, problems);
        }
    };
    for (key, value) in &table {
        match key.as_str() {
            "version" => {
                check_version(value, &mut problems);
                continue;
            }
            "log" | "breaks" | "overlay" | "sound" | "idle" | "hours" | "focus" | "selfcheck" | "fixed" | "budget" | "reminders" | "shortcuts" | "devices" => {
                let Some(fields) = value.as_table() else {
                    problems.push(Problem { key: key.clone(), reason: Message::new("problem.not_a_table").text("key", key) });
                    continue;
                };
                match key.as_str() {
                    "log" => settings.keep = read_log(fields, settings.keep, &mut problems),
                    "breaks" => read_breaks(fields, &mut settings, &mut problems),
                    "fixed" => read_fixed(fields, &mut settings.fixed, &mut problems),
                    "budget" => read_budget(fields, &mut settings.budget, &mut problems),
                    "reminders" => read_reminders(fields, &mut settings.reminders, &mut problems),
                    "shortcuts" => read_shortcuts(fields, &mut settings.shortcuts, &mut problems),
                    "devices" => read_devices(fields, &mut settings.devices, &mut problems),
                    "idle" => read_idle(fields, &mut settings.sensing, &mut problems),
                    "hours" => read_hours(fields, &mut settings.hours, &mut settings.evening, &mut problems),
                    "focus" => read_focus(fields, &mut settings.focus, &mut settings.focus_on_start, &mut problems),
                    "selfcheck" => read_selfcheck(fields, &mut settings.selfcheck, &mut problems),
                    "overlay" => read_overlay(fields, &mut settings.overlay, &mut problems),
                    _ => read_sound(fields, &mut settings.sound, &mut problems),
                }
                continue;
            }
            _ => {}
        }
        let Ok(kind) = key.parse::<BreakKind>() else {
            problems.push(Problem { key: key.clone(), reason: Message::new("problem.unknown") });
            continue;
        };
        let Some(fields) = value.as_table() else {
            problems.push(Problem { key: key.clone(), reason: Message::new("problem.not_a_table").text("key", key) });
            continue;
        };
        let plan = &mut settings.plans.0[kind.index()];
        let extras = KindExtras {
            strict: &mut settings.rules.strict[kind.index()],
            notice: &mut settings.sensing.notice[kind.index()],
            pause_media: &mut settings.pause_media[kind.index()],
            lock: &mut settings.lock[kind.index()],
            style: &mut settings.rules.style[kind.index()],
        };
        *plan = read_plan(kind, fields, *plan, extras, &mut problems);
    }
    (settings, problems)
}

fn check_version(value: &toml::Value, problems: &mut Vec<Problem>) {
    let reason = match value.as_integer() {
        Some(FORMAT_VERSION) => return,
        Some(v) if v > FORMAT_VERSION => Message::new("problem.newer_format").text("found", v).text("known", FORMAT_VERSION),
        _ => Message::new("problem.bad_version").text("known", FORMAT_VERSION).text("value", value),
    };
    problems.push(Problem { key: "version".into(), reason });
}

/// Reads each field of table `[table]` with `read`; an `Err` becomes a problem naming
/// `table.field`. Unknown fields come back from `read` as errors too.
fn read_table(table: &str, fields: &toml::Table, problems: &mut Vec<Problem>, mut read: impl FnMut(&str, &toml::Value) -> Result<(), Message>) {
    for (field, value) in fields {
        if let Err(reason) = read(field, value) {
            problems.push(Problem { key: format!("{table}.{field}"), reason });
        }
    }
}

fn unknown() -> Result<(), Message> {
    Err(Message::new("problem.unknown"))
}

fn boolean(value: &toml::Value) -> Result<bool, Message> {
    value.as_bool().ok_or_else(|| Message::new("problem.not_boolean").text("value", value))
}

fn whole(value: &toml::Value, min: i64, max: i64) -> Result<i64, Message> {
    value.as_integer().filter(|n| (min..=max).contains(n)).ok_or_else(|| Message::new("problem.not_whole").text("min", min).text("max", max).text("value", value))
}

/// `reason`, followed by the one word that also works ("off", "forever").
fn or_write(reason: Message, word: &str) -> Message {
    Message::new("problem.or_write").nested("reason", reason).text("word", word)
}

fn read_log(fields: &toml::Table, default: Option<Duration>, problems: &mut Vec<Problem>) -> Option<Duration> {
    let mut keep = default;
    read_table("log", fields, problems, |field, value| match (field, value) {
        ("keep", toml::Value::String(s)) if s.trim() == "forever" => {
            keep = None;
            Ok(())
        }
        ("keep", value) => duration(value, MIN_KEEP, Duration::from_secs(100 * 365 * 24 * 3600))
            .map(|d| keep = Some(d))
            .map_err(|reason| or_write(reason, "forever")),
        _ => unknown(),
    });
    keep
}

fn read_breaks(fields: &toml::Table, settings: &mut Settings, problems: &mut Vec<Problem>) {
    read_table("breaks", fields, problems, |field, value| match field {
        "wait_during_calls" => boolean(value).map(|on| settings.calls_hold = on),
        "wait_during_screen_share" => boolean(value).map(|on| settings.screen_share_holds = on),
        "wait_for_apps" => app_names(value).map(|apps| settings.hold_apps = apps),
        "only_in_working_hours" => boolean(value).map(|on| settings.only_in_hours = on),
        "postpone" => duration(value, Duration::from_secs(30), Duration::from_secs(3600)).map(|d| settings.rules.postpone_by = d),
        "max_postpones" => whole(value, 0, 10).map(|n| settings.rules.max_postpones = n as u32),
        "wait_for_do_not_disturb" => duration(value, Duration::ZERO, Duration::from_secs(4 * 3600)).map(|d| settings.sensing.hold_limit = d),
        _ => unknown(),
    });
}

/// Longest app name accepted (a process name is at most 15 bytes, a window class a little more).
const MAX_APP_NAME: usize = 64;
/// Most apps in the list.
const MAX_APPS: usize = 50;

/// A list of app names: process names or window classes, matched without regard to case.
fn app_names(value: &toml::Value) -> Result<Vec<String>, Message> {
    let not_list = || Message::new("problem.not_app_list").text("value", value);
    let items = value.as_array().ok_or_else(not_list)?;
    if items.len() > MAX_APPS {
        return Err(Message::new("problem.over_limit").number("max", MAX_APPS as u64));
    }
    items
        .iter()
        .map(|item| match item.as_str().map(str::trim) {
            Some(name) if !name.is_empty() && name.len() <= MAX_APP_NAME && !name.contains('/') => Ok(name.to_owned()),
            _ => Err(Message::new("problem.bad_app_name").text("value", item).number("max", MAX_APP_NAME as u64)),
        })
        .collect()
}

/// Most fixed-time breaks, and most reminders.
const MAX_ENTRIES: usize = 20;

/// The entries of a list of inline tables (`[{ at = "12:30", … }, …]`): each read by `read`; a bad
/// entry is a problem naming its place (`fixed.breaks.2.at`) and is left out, the rest apply.
fn entries<T>(table: &str, field: &str, value: &toml::Value, problems: &mut Vec<Problem>, read: impl Fn(&toml::Table) -> Result<T, (String, Message)>) -> Vec<T> {
    let key = format!("{table}.{field}");
    let Some(items) = value.as_array() else {
        problems.push(Problem { key, reason: Message::new("problem.not_entries").text("value", value) });
        return Vec::new();
    };
    if items.len() > MAX_ENTRIES {
        problems.push(Problem { key: key.clone(), reason: Message::new("problem.over_limit").number("max", MAX_ENTRIES as u64) });
    }
    let mut out = Vec::new();
    for (place, item) in items.iter().enumerate().take(MAX_ENTRIES) {
        let Some(entry) = item.as_table() else {
            problems.push(Problem { key: format!("{key}.{}", place + 1), reason: Message::new("problem.not_entry").text("value", item) });
            continue;
        };
        match read(entry) {
            Ok(value) => out.push(value),
            Err((field, reason)) => problems.push(Problem { key: format!("{key}.{}.{field}", place + 1), reason }),
        }
    }
    out
}

/// The field `name` of an entry, read by `read`; missing is a problem unless `default` is given.
fn entry_field<T>(entry: &toml::Table, name: &str, default: Option<T>, read: impl FnOnce(&toml::Value) -> Result<T, Message>) -> Result<T, (String, Message)> {
    match entry.get(name) {
        Some(value) => read(value).map_err(|reason| (name.to_owned(), reason)),
        None => default.ok_or_else(|| (name.to_owned(), Message::new("problem.missing"))),
    }
}

/// Entry fields this reader does not know are problems, like unknown keys.
fn only_fields(entry: &toml::Table, known: &[&str]) -> Result<(), (String, Message)> {
    match entry.keys().find(|k| !known.contains(&k.as_str())) {
        Some(field) => Err((field.clone(), Message::new("problem.unknown"))),
        None => Ok(()),
    }
}

fn read_fixed(fields: &toml::Table, fixed: &mut Vec<FixedBreak>, problems: &mut Vec<Problem>) {
    for (field, value) in fields {
        match field.as_str() {
            "breaks" => {
                *fixed = entries("fixed", field, value, problems, |entry| {
                    only_fields(entry, &["at", "days", "kind", "duration"])?;
                    let at = entry_field(entry, "at", None, |v| time_of_day(v, "12:30"))?;
                    let days = entry_field(entry, "days", Some([true; 7]), |v| {
                        let text = v.as_str().ok_or_else(|| Message::new("problem.bad_days").text("value", v))?;
                        weekdays(text).ok_or_else(|| Message::new("problem.bad_days").text("value", format_args!("{text:?}")))
                    })?;
                    let kind = entry_field(entry, "kind", Some(BreakKind::Walk), |v| {
                        v.as_str().and_then(|k| k.trim().parse().ok()).ok_or_else(|| Message::new("problem.not_one_of").text("choices", quoted_list(&BreakKind::WORDS)).text("value", v))
                    })?;
                    let duration = entry_field(entry, "duration", None, |v| duration(v, MIN_DURATION, Duration::from_secs(2 * 3600)))?;
                    Ok(FixedBreak { at, days, kind, duration })
                });
            }
            _ => problems.push(Problem { key: format!("fixed.{field}"), reason: Message::new("problem.unknown") }),
        }
    }
}

/// Weekdays written "mon-fri", "sat,sun", "mon,wed-fri", "daily", "weekdays" or "weekends".
fn weekdays(text: &str) -> Option<[bool; 7]> {
    let mut days = [false; 7];
    let index = |name: &str| -> Option<usize> {
        let name = name.trim();
        (name.len() == 3).then(|| name.parse::<Weekday>().ok()).flatten().map(|d| d.num_days_from_monday() as usize)
    };
    match text.trim() {
        "daily" => return Some([true; 7]),
        "weekdays" => return Some([true, true, true, true, true, false, false]),
        "weekends" => return Some([false, false, false, false, false, true, true]),
        _ => {}
    }
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (index(from)?, index(to)?);
                let mut day = from;
                loop {
                    days[day] = true;
                    if day == to {
                        break;
                    }
                    day = (day + 1) % 7;
                }
            }
            None => days[index(part)?] = true,
        }
    }
    days.iter().any(|d| *d).then_some(days)
}

fn read_shortcuts(fields: &toml::Table, shortcuts: &mut crate::shortcut::Shortcuts, problems: &mut Vec<Problem>) {
    let shortcut = |value: &toml::Value| {
        or_off(value, |v| {
            let text = v.as_str().ok_or_else(|| Message::new("problem.bad_shortcut").text("value", v))?;
            crate::shortcut::Shortcut::parse(text)
        })
    };
    read_table("shortcuts", fields, problems, |field, value| match field {
        "break_now" => shortcut(value).map(|s| shortcuts.break_now = s),
        "postpone" => shortcut(value).map(|s| shortcuts.postpone = s),
        "pause_hour" => shortcut(value).map(|s| shortcuts.pause_hour = s),
        _ => unknown(),
    });
}

fn read_devices(fields: &toml::Table, devices: &mut DevicesPrefs, problems: &mut Vec<Problem>) {
    read_table("devices", fields, problems, |field, value| match field {
        "folder" => or_off(value, |v| {
            let text = v.as_str().map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| Message::new("problem.bad_folder").text("value", v))?;
            let path = match text.strip_prefix("~/") {
                Some(rest) => dirs::home_dir().map(|home| home.join(rest)).ok_or_else(|| Message::new("problem.no_home"))?,
                None => std::path::PathBuf::from(text),
            };
            if path.is_relative() {
                return Err(Message::new("problem.bad_folder").text("value", v));
            }
            Ok(path)
        })
        .map(|folder| devices.folder = folder),
        "name" => match value.as_str().map(str::trim) {
            Some("") => {
                devices.name = None;
                Ok(())
            }
            Some(name) if name.chars().count() <= 64 && !name.chars().any(char::is_control) => {
                devices.name = Some(name.to_owned());
                Ok(())
            }
            _ => Err(Message::new("problem.bad_device_name").text("value", value)),
        },
        "share_checkins" => boolean(value).map(|b| devices.share_checkins = b),
        _ => unknown(),
    });
}

fn read_budget(fields: &toml::Table, budget: &mut Budget, problems: &mut Vec<Problem>) {
    read_table("budget", fields, problems, |field, value| match field {
        "daily" => or_off(value, |v| duration(v, mins(30), Duration::from_secs(20 * 3600))).map(|d| budget.daily = d),
        "overlay" => boolean(value).map(|b| budget.overlay = b),
        "strict" => boolean(value).map(|b| budget.strict = b),
        _ => unknown(),
    });
}

/// Longest reminder text accepted.
const MAX_REMINDER: usize = 200;

fn read_reminders(fields: &toml::Table, plan: &mut ReminderPlan, problems: &mut Vec<Problem>) {
    for (field, value) in fields {
        match field.as_str() {
            "per_hour" => match whole(value, 1, 12) {
                Ok(n) => plan.per_hour = n as u32,
                Err(reason) => problems.push(Problem { key: "reminders.per_hour".into(), reason }),
            },
            "list" => {
                plan.list = entries("reminders", field, value, problems, |entry| {
                    only_fields(entry, &["text", "every", "as"])?;
                    let text = entry_field(entry, "text", None, |v| match v.as_str().map(str::trim) {
                        Some(text) if !text.is_empty() && text.chars().count() <= MAX_REMINDER => Ok(text.to_owned()),
                        _ => Err(Message::new("problem.bad_reminder_text").text("value", v).number("max", MAX_REMINDER as u64)),
                    })?;
                    let every = entry_field(entry, "every", None, |v| duration(v, mins(5), Duration::from_secs(12 * 3600)))?;
                    let as_tip = entry_field(entry, "as", Some(false), |v| match v.as_str().map(str::trim) {
                        Some("notification") => Ok(false),
                        Some("tip") => Ok(true),
                        _ => Err(Message::new("problem.not_one_of").text("choices", quoted_list(&["notification", "tip"])).text("value", v)),
                    })?;
                    Ok(Reminder { text, every, as_tip })
                });
            }
            _ => problems.push(Problem { key: format!("reminders.{field}"), reason: Message::new("problem.unknown") }),
        }
    }
}

fn read_idle(fields: &toml::Table, sensing: &mut Sensing, problems: &mut Vec<Problem>) {
    read_table("idle", fields, problems, |field, value| match field {
        "reset_after" => duration(value, Duration::from_secs(60), Duration::from_secs(4 * 3600)).map(|d| sensing.idle_resets = d),
        _ => unknown(),
    });
}

/// "off", or a value read by `read`.
fn or_off<T>(value: &toml::Value, read: impl FnOnce(&toml::Value) -> Result<T, Message>) -> Result<Option<T>, Message> {
    match value.as_str() {
        Some(text) if text.trim() == "off" => Ok(None),
        _ => read(value).map(Some).map_err(|reason| or_write(reason, "off")),
    }
}

fn read_hours(fields: &toml::Table, hours: &mut WorkHours, evening: &mut Evening, problems: &mut Vec<Problem>) {
    read_table("hours", fields, problems, |field, value| match field {
        "nudge_after" => or_off(value, |v| duration(v, Duration::ZERO, Duration::from_secs(12 * 3600))).map(|d| evening.nudge_after = d),
        "bedtime" => or_off(value, |v| {
            time_of_day(v, "23:00")
        })
        .map(|t| evening.bedtime = t),
        day => match day.parse::<Weekday>() {
            Ok(weekday) if day.len() == 3 => {
                let text = value.as_str().ok_or_else(|| Message::new("problem.not_range").text("value", value))?;
                parse_day(text).map(|range| *hours = hours.with_day(weekday, range))
            }
            _ => Err(Message::new("problem.unknown_day")),
        },
    });
}

fn read_selfcheck(fields: &toml::Table, prefs: &mut SelfCheckPrefs, problems: &mut Vec<Problem>) {
    read_table("selfcheck", fields, problems, |field, value| match field {
        "enabled" => boolean(value).map(|b| prefs.enabled = b),
        "day" => match value.as_str().map(str::trim) {
            Some(day) if day.len() == 3 => day.parse().map(|d| prefs.day = d).map_err(|_| Message::new("problem.bad_day").text("value", format_args!("{day:?}"))),
            _ => Err(Message::new("problem.not_day").text("value", value)),
        },
        "time" => time_of_day(value, "16:00").map(|t| prefs.time = t),
        _ => unknown(),
    });
}

fn read_focus(fields: &toml::Table, plan: &mut FocusPlan, on_start: &mut bool, problems: &mut Vec<Problem>) {
    read_table("focus", fields, problems, |field, value| match field {
        "on_start" => boolean(value).map(|b| *on_start = b),
        "work" => duration(value, mins(1), Duration::from_secs(4 * 3600)).map(|d| plan.work = d),
        "short_break" => duration(value, Duration::from_secs(30), mins(60)).map(|d| plan.short_break = d),
        "long_break" => duration(value, mins(1), mins(120)).map(|d| plan.long_break = d),
        "rounds" => whole(value, 1, 12).map(|n| plan.rounds = n as u32),
        _ => unknown(),
    });
}

/// The per-kind settings that live outside its [`KindPlan`].
struct KindExtras<'a> {
    strict: &'a mut bool,
    notice: &'a mut Duration,
    pause_media: &'a mut bool,
    lock: &'a mut bool,
    style: &'a mut Style,
}

fn read_overlay(fields: &toml::Table, overlay: &mut OverlayPrefs, problems: &mut Vec<Problem>) {
    read_table("overlay", fields, problems, |field, value| match field {
        "monitors" => match value.as_str().map(str::parse) {
            Some(Ok(m)) => {
                overlay.monitors = m;
                Ok(())
            }
            Some(Err(UnknownMonitors(word))) => Err(Message::new("problem.not_one_of").text("choices", quoted_list(&Monitors::WORDS)).text("value", format_args!("{word:?}"))),
            None => Err(Message::new("problem.not_one_of").text("choices", quoted_list(&Monitors::WORDS)).text("value", value)),
        },
        "fade" => duration(value, Duration::ZERO, Duration::from_secs(5)).map(|d| overlay.fade = d),
        "theme" => word(value, &Theme::WORDS).map(|w| overlay.theme = w.parse().expect("one of the words")),
        "text_size" => word(value, &TextSize::WORDS).map(|w| overlay.text_size = w.parse().expect("one of the words")),
        "opacity" => whole(value, 50, 100).map(|n| overlay.opacity = n as u8),
        _ => unknown(),
    });
}

fn read_sound(fields: &toml::Table, sound: &mut SoundPrefs, problems: &mut Vec<Problem>) {
    read_table("sound", fields, problems, |field, value| match field {
        "enabled" => boolean(value).map(|b| sound.enabled = b),
        "volume" => whole(value, 0, 100).map(|v| sound.volume = v as u8),
        _ => unknown(),
    });
}

fn read_plan(kind: BreakKind, fields: &toml::Table, default: KindPlan, extras: KindExtras<'_>, problems: &mut Vec<Problem>) -> KindPlan {
    let mut plan = default;
    let mut report = |field: &str, reason: Message| {
        problems.push(Problem { key: format!("{kind}.{field}"), reason });
    };
    for (field, value) in fields {
        match field.as_str() {
            "enabled" => match boolean(value) {
                Ok(b) => plan.enabled = b,
                Err(reason) => report(field, reason),
            },
            "strict" => match boolean(value) {
                Ok(b) => *extras.strict = b,
                Err(reason) => report(field, reason),
            },
            "pause_media" => match boolean(value) {
                Ok(b) => *extras.pause_media = b,
                Err(reason) => report(field, reason),
            },
            "lock" => match boolean(value) {
                Ok(b) => *extras.lock = b,
                Err(reason) => report(field, reason),
            },
            "style" => match word(value, &Style::WORDS) {
                Ok(w) => *extras.style = w.parse().expect("one of the words"),
                Err(reason) => report(field, reason),
            },
            "notice" => match duration(value, Duration::ZERO, Duration::from_secs(10 * 60)) {
                Ok(d) => *extras.notice = d,
                Err(reason) => report(field, reason),
            },
            "interval" => match duration(value, MIN_INTERVAL, MAX_INTERVAL) {
                Ok(d) => plan.interval = d,
                Err(reason) => report(field, reason),
            },
            "duration" => match duration(value, MIN_DURATION, MAX_DURATION) {
                Ok(d) => plan.duration = d,
                Err(reason) => report(field, reason),
            },
            _ => report(field, Message::new("problem.unknown")),
        }
    }
    if plan.duration >= plan.interval {
        report(
            "duration",
            Message::new("problem.duration_not_shorter")
                .text("duration", humantime::format_duration(plan.duration))
                .text("interval", humantime::format_duration(plan.interval))
                .text("kind", kind),
        );
        plan = KindPlan { enabled: plan.enabled, ..default };
    }
    plan
}

/// A duration written as text ("90s", "5m") or as a number of seconds.
fn duration(value: &toml::Value, min: Duration, max: Duration) -> Result<Duration, Message> {
    let d = match value {
        toml::Value::String(s) => crate::timefmt::duration_or_problem(s)
            .map_err(|detail| Message::new("problem.bad_duration").text("value", format_args!("{s:?}")).nested("detail", detail))?,
        toml::Value::Integer(n) if *n >= 0 => Duration::from_secs(n.unsigned_abs()),
        other => return Err(Message::new("problem.not_duration").text("value", other)),
    };
    if d < min || d > max {
        return Err(Message::new("problem.out_of_range")
            .text("value", humantime::format_duration(d))
            .text("min", humantime::format_duration(min))
            .text("max", humantime::format_duration(max)));
    }
    Ok(d)
}

/// One of `words`, as written.
fn word<'a>(value: &'a toml::Value, words: &[&str]) -> Result<&'a str, Message> {
    match value.as_str().map(str::trim) {
        Some(w) if words.contains(&w) => Ok(w),
        Some(w) => Err(Message::new("problem.not_one_of").text("choices", quoted_list(words)).text("value", format_args!("{w:?}"))),
        None => Err(Message::new("problem.not_one_of").text("choices", quoted_list(words)).text("value", value)),
    }
}

/// `"a", "b", "c"`: the words a setting takes, as written in the file (no "or", so any language
/// can quote the list).
fn quoted_list(words: &[&str]) -> String {
    words.iter().map(|w| format!("{w:?}")).collect::<Vec<_>>().join(", ")
}

/// A time of day written "HH:MM", such as `example`.
fn time_of_day(value: &toml::Value, example: &str) -> Result<NaiveTime, Message> {
    let text = value.as_str().ok_or_else(|| Message::new("problem.not_time").text("example", example).text("value", value))?;
    NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| Message::new("problem.bad_time").text("value", format_args!("{text:?}")).text("example", example))
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_parses_to_the_defaults_without_problems() {
        assert_eq!(parse(DEFAULT_FILE), (Settings::default(), vec![]));
    }

    #[test]
    fn good_values_apply_and_bad_ones_fall_back_per_key() {
        let text = r#"
[eye]
interval = "5s"
duration = "3s"
[stretch]
enabled = "yes"
interval = "forever"
duration = 120
[walk]
enabled = false
colour = "blue"
[sounds]
volume = 3
"#;
        let (settings, problems) = parse(text);
        let d = Settings::default().plans;
        let eye = settings.plans.get(BreakKind::Eye);
        assert_eq!((eye.interval, eye.duration), (Duration::from_secs(5), Duration::from_secs(3)));
        let stretch = settings.plans.get(BreakKind::Stretch);
        assert!(stretch.enabled);
        assert_eq!(stretch.interval, d.get(BreakKind::Stretch).interval);
        assert_eq!(stretch.duration, Duration::from_secs(120));
        assert!(!settings.plans.get(BreakKind::Walk).enabled);
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["sounds", "stretch.enabled", "stretch.interval", "walk.colour"]);
        assert!(problems[2].reason.english().contains("\"forever\" is not a duration"), "{}", problems[2]);
    }

    #[test]
    fn rules_overlay_and_sound_settings_are_read_and_checked() {
        let text = "[eye]\nstrict = true\n[breaks]\npostpone = \"10m\"\nmax_postpones = 11\n[overlay]\nmonitors = \"cursor\"\nfade = \"0s\"\n[sound]\nvolume = 101\nenabled = false\n";
        let (settings, problems) = parse(text);
        assert_eq!(settings.rules.strict, [true, false, false]);
        assert_eq!(settings.rules.postpone_by, mins(10));
        assert_eq!(settings.rules.max_postpones, crate::schedule::Rules::default().max_postpones);
        assert_eq!(settings.overlay, OverlayPrefs { monitors: Monitors::Cursor, fade: Duration::ZERO, ..Settings::default().overlay });
        assert_eq!(settings.sound, SoundPrefs { enabled: false, volume: 50 });
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["breaks.max_postpones", "sound.volume"]);
        assert_eq!(parse("[overlay]\nmonitors = \"left\"\n").1[0].to_string(), "overlay.monitors: must be one of \"all\", \"primary\", \"cursor\", not \"left\"");
        let (settings, problems) = parse("[overlay]\ntheme = \"dark\"\ntext_size = \"larger\"\nopacity = 80\n");
        assert_eq!((settings.overlay.theme, settings.overlay.text_size, settings.overlay.opacity), (Theme::Dark, TextSize::Larger, 80));
        assert!(problems.is_empty(), "{problems:?}");
        let (settings, problems) = parse("[overlay]\ntheme = \"sepia\"\ntext_size = 3\nopacity = 20\n");
        assert_eq!(settings.overlay, Settings::default().overlay, "bad values keep the defaults");
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["overlay.opacity", "overlay.text_size", "overlay.theme"]);
    }

    #[test]
    fn presence_hours_and_focus_settings_are_read_and_checked() {
        let text = r#"
[eye]
notice = "0s"
[walk]
notice = "1h"
[breaks]
wait_for_do_not_disturb = "10m"
wait_during_calls = false
[idle]
reset_after = "10s"
[hours]
mon = "08:30-16:30"
sat = "10:00-12:00"
sun = "nine to five"
friday = "off"
nudge_after = "off"
bedtime = "22:45"
[focus]
work = "50m"
rounds = 0
"#;
        let (settings, problems) = parse(text);
        assert_eq!(settings.sensing.notice, [Duration::ZERO, Duration::from_secs(30), Duration::from_secs(30)]);
        assert_eq!(settings.sensing.hold_limit, mins(10));
        assert!(!settings.calls_hold && Settings::default().calls_hold);
        assert_eq!(settings.sensing.idle_resets, mins(5), "10s is below the 1 min floor");
        let mon = settings.hours.day(Weekday::Mon).unwrap();
        assert_eq!(mon.to_string(), "08:30-16:30");
        assert_eq!(settings.hours.day(Weekday::Sat).unwrap().to_string(), "10:00-12:00");
        assert_eq!(settings.hours.day(Weekday::Sun), None, "a bad range keeps the default (off)");
        assert_eq!(settings.hours.day(Weekday::Fri), WorkHours::default().day(Weekday::Fri));
        assert_eq!(settings.evening, Evening { nudge_after: None, bedtime: NaiveTime::from_hms_opt(22, 45, 0) });
        assert_eq!((settings.focus.work, settings.focus.rounds), (mins(50), 4));
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["focus.rounds", "hours.friday", "hours.sun", "idle.reset_after", "walk.notice"]);
        assert_eq!(parse("[hours]\nbedtime = \"late\"\n").1[0].to_string(), "hours.bedtime: \"late\" is not a time such as \"23:00\"; or write \"off\"");
    }

    #[test]
    fn the_selfcheck_is_off_by_default_and_its_day_and_time_are_checked() {
        assert!(!Settings::default().selfcheck.enabled);
        let (settings, problems) = parse("[selfcheck]\nenabled = true\nday = \"mon\"\ntime = \"09:30\"\n");
        assert_eq!(settings.selfcheck, SelfCheckPrefs { enabled: true, day: Weekday::Mon, time: NaiveTime::from_hms_opt(9, 30, 0).unwrap() });
        assert!(problems.is_empty());
        let (settings, problems) = parse("[selfcheck]\nday = \"friday\"\ntime = \"4pm\"\n");
        assert_eq!(settings.selfcheck, SelfCheckPrefs::default());
        let texts: Vec<_> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(texts, ["selfcheck.day: must be a day such as \"fri\", not \"friday\"", "selfcheck.time: \"4pm\" is not a time such as \"16:00\""]);
    }

    #[test]
    fn holds_fixed_breaks_the_budget_and_reminders_are_read_and_a_bad_entry_leaves_the_rest() {
        let text = r#"
[breaks]
only_in_working_hours = true
wait_during_screen_share = false
wait_for_apps = ["obs", "Impressive", ""]
[fixed]
breaks = [
  { at = "12:30", days = "mon-fri", kind = "walk", duration = "30m" },
  { at = "noon", duration = "10m" },
  { at = "16:00", days = "sat,sun", duration = "10m", colour = "red" },
  { at = "07:45", days = "fri-mon", kind = "stretch", duration = "2m" },
]
[budget]
daily = "8h"
overlay = true
[reminders]
per_hour = 3
list = [{ text = "Drink some water", every = "45m" }, { text = "Check your posture", every = "30m", as = "tip" }, { text = "", every = "1m" }]
"#;
        let (settings, problems) = parse(text);
        assert!(settings.only_in_hours && !settings.screen_share_holds);
        assert_eq!(settings.hold_apps, Vec::<String>::new(), "a list with a bad name keeps the default");
        assert_eq!(settings.fixed.len(), 2);
        assert_eq!(settings.fixed[0], FixedBreak { at: NaiveTime::from_hms_opt(12, 30, 0).unwrap(), days: [true, true, true, true, true, false, false], kind: BreakKind::Walk, duration: mins(30) });
        assert_eq!(settings.fixed[1].days, [true, false, false, false, true, true, true], "fri-mon wraps over the weekend");
        assert_eq!(settings.budget, Budget { daily: Some(mins(480)), overlay: true, strict: false });
        assert_eq!(settings.reminders.per_hour, 3);
        assert_eq!(settings.reminders.list, [
            Reminder { text: "Drink some water".into(), every: mins(45), as_tip: false },
            Reminder { text: "Check your posture".into(), every: mins(30), as_tip: true },
        ]);
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["breaks.wait_for_apps", "fixed.breaks.2.at", "fixed.breaks.3.colour", "reminders.list.3.text"]);
        assert!(Settings::default().screen_share_holds && !Settings::default().only_in_hours && Settings::default().budget.daily.is_none());
    }

    #[test]
    fn the_log_keeps_everything_unless_told_otherwise() {
        assert_eq!(Settings::default().keep, None);
        assert_eq!(parse("[log]\nkeep = \"365d\"\n").0.keep, Some(Duration::from_secs(365 * 24 * 3600)));
        let (settings, problems) = parse("[log]\nkeep = \"2h\"\n");
        assert_eq!(settings.keep, None);
        assert_eq!(problems[0].key, "log.keep");
        assert!(problems[0].reason.english().contains("forever"));
    }

    #[test]
    fn a_file_from_a_newer_respite_applies_what_this_one_knows() {
        let (settings, problems) = parse("version = 3\n[eye]\ninterval = \"25m\"\nmood = \"calm\"\n[insights]\nweekly = true\n");
        assert_eq!(settings.plans.get(BreakKind::Eye).interval, mins(25));
        let keys: Vec<_> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["eye.mood", "insights", "version"]);
        assert!(problems[2].reason.english().contains("newer Respite (format 3"), "{}", problems[2]);
        assert_eq!(parse("version = \"one\"\n").1[0].to_string(), "version: must be 1, not \"one\"");
    }

    #[test]
    fn a_break_as_long_as_its_interval_is_refused() {
        let (settings, problems) = parse("[eye]\ninterval = \"10s\"\nduration = \"10s\"\n");
        assert_eq!(settings, Settings::default());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].key, "eye.duration");
        assert!(problems[0].reason.english().contains("shorter than the interval"));
    }

    #[test]
    fn out_of_range_values_name_the_range() {
        let (_, problems) = parse("[walk]\ninterval = \"2s\"\nduration = \"2h\"\n");
        let texts: Vec<_> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(texts, ["walk.duration: 2h is out of range (1s to 1h)", "walk.interval: 2s is out of range (5s to 1day)"]);
    }

    #[test]
    fn a_file_that_is_not_toml_gives_the_defaults_and_one_problem_with_the_line() {
        let (settings, problems) = parse("[eye]\ninterval = \"20m\"\nthis is not toml\n");
        assert_eq!(settings, Settings::default());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].reason.english().contains("line 3"), "{}", problems[0]);
    }

    #[test]
    fn first_run_writes_the_defaults_and_never_overwrites_a_user_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.toml");
        let first = load_or_create(&path).unwrap();
        assert!(first.created);
        assert_eq!(fs::read_to_string(&path).unwrap(), DEFAULT_FILE);
        fs::write(&path, "[eye]\ninterval = broken\n").unwrap();
        let second = load_or_create(&path).unwrap();
        assert!(!second.created);
        assert_eq!(second.problems.len(), 1);
        assert_eq!(fs::read_to_string(&path).unwrap(), "[eye]\ninterval = broken\n");
    }

    #[test]
    fn the_shared_history_folder_is_a_full_path_or_off_and_the_name_one_short_line() {
        let (settings, problems) = parse("[devices]\nfolder = \"/srv/sync/respite\"\nname = \"  laptop \"\nshare_checkins = true\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings.devices, DevicesPrefs { folder: Some("/srv/sync/respite".into()), name: Some("laptop".into()), share_checkins: true });
        let (settings, _) = parse("[devices]\nfolder = \"~/Sync/respite\"\n");
        let home = dirs::home_dir().expect("a home folder in tests");
        assert_eq!(settings.devices.folder, Some(home.join("Sync/respite")));
        let long = "x".repeat(65);
        let (settings, problems) = parse(&format!("[devices]\nfolder = \"Sync/respite\"\nname = \"{long}\"\n"));
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["devices.folder", "devices.name"], "a relative folder and a name too long: {problems:?}");
        assert_eq!(settings.devices, DevicesPrefs::default(), "both left as they were: off, the host name");
        assert_eq!(parse("[devices]\nfolder = \"off\"\n").0.devices.folder, None);
    }
}
