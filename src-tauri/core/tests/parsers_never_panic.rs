//! Property tests for the parsers that read text Respite does not control: the settings file
//! (`settings::parse`), the person's own break ideas (`ideas::parse`), control-socket lines
//! (`protocol::parse_request`), and the durations, pause lengths and shortcuts people type
//! (`timefmt::parse_duration`, `PauseSpec::parse`, `Shortcut::parse`).
//!
//! Each property states what a parser must give back, with no model of how it works: the only
//! knowledge of the settings format here is its specification (the valid values of each key and
//! the field of `Settings` it sets), so a new setting needs a generator line, not a new model.
//! Failing inputs are not persisted: a lasting case belongs in the unit tests of its module.

use proptest::option::of as opt;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use respite_core::record::BreakKind;
use respite_core::protocol::{parse_request, to_line, PauseSpec, ProtocolError, Request, WindowName, MAX_MESSAGE, PAUSE_SECS};
use respite_core::schedule::KindPlan;
use respite_core::settings::{parse, Monitors, Settings, DEFAULT_FILE, FORMAT_VERSION};
use respite_core::settings::{MAX_DURATION, MAX_INTERVAL, MIN_DURATION, MIN_INTERVAL, MIN_KEEP};
use respite_core::timefmt::parse_duration;
use std::time::Duration;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

/// Ranges the settings reader documents without a public constant.
const MAX_KEEP: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
const MIN_POSTPONE: Duration = Duration::from_secs(30);
const MAX_POSTPONE: Duration = Duration::from_secs(3600);
const MAX_FADE: Duration = Duration::from_secs(5);
/// `PauseSpec::parse` accepts 1 s to 7 days.
const MAX_PAUSE_SECS: u64 = 7 * 24 * 3600;
const MS: Duration = Duration::from_millis(1);

/// A number from `lo` to `hi`, often exactly at either end.
fn edge(lo: u64, hi: u64) -> impl Strategy<Value = u64> + Clone {
    prop_oneof![1 => Just(lo), 1 => Just(hi), 3 => lo..=hi]
}

// ---- Well-formed settings files, from the valid values of each key ------------------------------

#[derive(Clone, Copy, Debug)]
enum Value { Bool(bool), Time(Duration), Count(u8), Monitors(Monitors), Forever }

/// One `key = value` line: its table, the text written and the value it stands for.
#[derive(Clone, Debug)]
struct Line { table: &'static str, key: &'static str, text: String, value: Value }

fn timed(table: &'static str, key: &'static str, d: Duration) -> Line {
    Line { table, key, text: format!("\"{}\"", humantime::format_duration(d)), value: Value::Time(d) }
}

/// A key left out, or a duration from `lo` to `hi` written as seconds or as text ("1h 30m").
fn time(table: &'static str, key: &'static str, lo: Duration, hi: Duration) -> BoxedStrategy<Option<Line>> {
    let ms = edge(lo.as_millis() as u64, hi.as_millis() as u64);
    opt((ms, any::<bool>()).prop_map(move |(ms, as_secs)| match as_secs {
        true => Line { table, key, text: (ms / 1000).to_string(), value: Value::Time(Duration::from_secs(ms / 1000)) },
        false => timed(table, key, Duration::from_millis(ms)),
    }))
    .boxed()
}

fn flag(table: &'static str, key: &'static str) -> BoxedStrategy<Option<Line>> {
    opt(any::<bool>().prop_map(move |b| Line { table, key, text: b.to_string(), value: Value::Bool(b) })).boxed()
}

fn count(table: &'static str, key: &'static str, hi: u8) -> BoxedStrategy<Option<Line>> {
    opt(edge(0, hi.into()).prop_map(move |n| Line { table, key, text: n.to_string(), value: Value::Count(n as u8) })).boxed()
}

/// `[eye]`, `[stretch]` or `[walk]`. The break must be shorter than the interval (a key left out
/// counting as its default): where it would not be, the value written is moved to the edge.
fn plan(kind: BreakKind) -> BoxedStrategy<Vec<Line>> {
    let (t, default) = (kind.as_str(), *Settings::default().plans.get(kind));
    let times = (time(t, "interval", MIN_INTERVAL, MAX_INTERVAL), time(t, "duration", MIN_DURATION, MAX_DURATION));
    (flag(t, "enabled"), flag(t, "strict"), times)
        .prop_map(move |(enabled, strict, (mut interval, mut duration))| {
            let time = |line: &Option<Line>, or| line.as_ref().map_or(or, |l| if let Value::Time(d) = l.value { d } else { or });
            let (i, d) = (time(&interval, default.interval), time(&duration, default.duration));
            match (&mut interval, &mut duration) {
                _ if d < i => {}
                (_, Some(line)) => *line = timed(t, "duration", i - MS),
                (Some(line), None) => *line = timed(t, "interval", d + MS),
                (None, None) => unreachable!("the default {kind} break is not shorter than its interval"),
            }
            [enabled, strict, interval, duration].into_iter().flatten().collect()
        })
        .boxed()
}

/// Any subset of the keys (so of the tables), a version line or not, comments or not.
#[derive(Clone, Debug)]
struct File { version: bool, comments: bool, lines: Vec<Line> }

fn file() -> BoxedStrategy<File> {
    let monitors = select(vec![Monitors::All, Monitors::Primary, Monitors::Cursor])
        .prop_map(|m| Line { table: "overlay", key: "monitors", text: format!("\"{}\"", m.as_str()), value: Value::Monitors(m) });
    let forever = select(vec!["\"forever\"", "\" forever \""])
        .prop_map(|text| Some(Line { table: "log", key: "keep", text: text.into(), value: Value::Forever }));
    let others = vec![
        time("breaks", "postpone", MIN_POSTPONE, MAX_POSTPONE),
        count("breaks", "max_postpones", 10),
        opt(monitors).boxed(),
        time("overlay", "fade", Duration::ZERO, MAX_FADE),
        flag("sound", "enabled"),
        count("sound", "volume", 100),
        prop_oneof![time("log", "keep", MIN_KEEP, MAX_KEEP), forever].boxed(),
    ];
    (any::<(bool, bool)>(), BreakKind::ALL.map(plan), others)
        .prop_map(|((version, comments), plans, others)| {
            let lines = plans.into_iter().flatten().chain(others.into_iter().flatten()).collect();
            File { version, comments, lines }
        })
        .boxed()
}

impl File {
    fn text(&self) -> String {
        let note = if self.comments { "  # as I like it" } else { "" };
        let mut out = if self.version { format!("version = {FORMAT_VERSION}{note}\n") } else { String::new() };
        for (i, line) in self.lines.iter().enumerate() {
            if i == 0 || self.lines[i - 1].table != line.table {
                out += &format!("\n{}[{}]{note}\n", if self.comments { "# Mine.\n" } else { "" }, line.table);
            }
            out += &format!("{} = {}{note}\n", line.key, line.text);
        }
        out
    }

    /// The settings the file describes, leaving out line `skip`.
    fn settings(&self, skip: Option<usize>) -> Settings {
        let mut s = Settings::default();
        for (_, line) in self.lines.iter().enumerate().filter(|(i, _)| Some(*i) != skip) {
            let k = || line.table.parse::<BreakKind>().expect("a break kind").index();
            match (line.table, line.key, line.value) {
                ("sound", "enabled", Value::Bool(b)) => s.sound.enabled = b,
                ("sound", "volume", Value::Count(n)) => s.sound.volume = n,
                ("breaks", "postpone", Value::Time(d)) => s.rules.postpone_by = d,
                ("breaks", "max_postpones", Value::Count(n)) => s.rules.max_postpones = n.into(),
                ("overlay", "monitors", Value::Monitors(m)) => s.overlay.monitors = m,
                ("overlay", "fade", Value::Time(d)) => s.overlay.fade = d,
                ("log", "keep", Value::Time(d)) => s.keep = Some(d),
                ("log", "keep", Value::Forever) => s.keep = None,
                (_, "enabled", Value::Bool(b)) => s.plans.0[k()].enabled = b,
                (_, "strict", Value::Bool(b)) => s.rules.strict[k()] = b,
                (_, "interval", Value::Time(d)) => s.plans.0[k()].interval = d,
                (_, "duration", Value::Time(d)) => s.plans.0[k()].duration = d,
                _ => unreachable!("no setting {line:?}"),
            }
        }
        s
    }
}

/// Values `key` must refuse (wrong type, not a duration, out of range), still TOML so the rest
/// of the file stands.
fn garbage(key: &str) -> Vec<String> {
    let not_time: &[&str] = &["true", "-1", "\"soon\"", "\"Forever\"", "\"99999999999999999999h\"", "\"18446744073709551615s 500ms 500ms\""];
    let (extra, range): (&[&str], _) = match key {
        "enabled" | "strict" => (&["1", "\"true\"", "\"yes\""], None),
        "monitors" => (&["\"left\"", "\"All\"", "true", "0"], None),
        "max_postpones" => (&["11", "-1", "\"2\"", "true", "9223372036854775807"], None),
        "volume" => (&["101", "-1", "\"50\"", "false", "256"], None),
        "interval" => (not_time, Some((MIN_INTERVAL, MAX_INTERVAL))),
        "duration" => (not_time, Some((MIN_DURATION, MAX_DURATION))),
        "postpone" => (not_time, Some((MIN_POSTPONE, MAX_POSTPONE))),
        "fade" => (not_time, Some((Duration::ZERO, MAX_FADE))),
        _ => (not_time, Some((MIN_KEEP, MAX_KEEP))),
    };
    let mut bad: Vec<String> = ["1.5", "[]", "{}", "1979-05-27", "\"\""].iter().chain(extra).map(|s| s.to_string()).collect();
    let Some((lo, hi)) = range else { return bad };
    bad.extend([(hi.as_secs() + 1).to_string(), format!("\"{}\"", humantime::format_duration(hi + MS))]);
    if !lo.is_zero() {
        bad.extend([(lo.as_secs() - 1).to_string(), format!("\"{}\"", humantime::format_duration(lo - MS))]);
    }
    bad
}

/// Text shaped like a settings file: known and unknown tables and keys, values of any kind.
fn toml_soup() -> impl Strategy<Value = String> {
    let key = "enabled|strict|interval|duration|postpone|max_postpones|monitors|fade|volume|keep|version|colour|eye|eye\\.interval|\"a\\.b\"|wait_for_apps|breaks|daily|list|per_hour|theme|opacity|break_now|lock|pause_media";
    let value = prop_oneof![
        2 => "true|false|\"forever\"|\"all\"|\"cursor\"|\\[\\]|\\{\\}|\\{ interval = \"5s\" \\}|1\\.5|nan|1979-05-27|\"[0-9a-z ]{0,12}\"",
        1 => "\\[\"obs\", \"\"\\]|\\[\\{ at = \"12:30\", duration = \"5m\" \\}\\]|\\[\\{ text = \"Water\", every = \"[0-9]{1,3}m\" \\}, 3\\]|\"Ctrl\\+Alt\\+[A-Z0-9]\"|\"[a-z]{0,6}\\+[A-Z]\"",
        2 => edge(0, 120).prop_map(|n| n.to_string()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        3 => (edge(0, 120), "s|m|m|h|ms|d|y|x|").prop_map(|(n, u)| format!("\"{n}{u}\"")),
    ];
    let keys = prop::collection::btree_map(key, value, 0..5);
    let tables = prop::collection::btree_map("eye|stretch|walk|log|breaks|overlay|sound|other|eye\\.eye|fixed|budget|reminders|shortcuts", keys.clone(), 0..5);
    (keys, tables, prop::option::weighted(0.1, "[^\n]{0,20}")).prop_map(|(top, tables, junk)| {
        let lines = |keys: std::collections::BTreeMap<String, String>| keys.iter().map(|(k, v)| format!("{k} = {v}\n")).collect::<String>();
        let tables = tables.into_iter().map(|(name, keys)| format!("[{name}]\n{}", lines(keys)));
        lines(top) + &tables.collect::<String>() + &junk.unwrap_or_default()
    })
}

// ---- Requests -----------------------------------------------------------------------------------

/// No wildcard: a new command fails to compile here until `request()` generates it.
fn has_fields(request: &Request) -> bool {
    match request {
        Request::Status | Request::Resume | Request::Quit | Request::Subscribe | Request::Hello | Request::Reload => false,
        Request::Break { .. } | Request::Pause { .. } | Request::Shown { .. } | Request::Open { .. } | Request::SelfCheck { .. } => true,
        Request::Skip { .. } | Request::Postpone { .. } | Request::Finish { .. } | Request::Focus { .. } => true,
    }
}

fn fieldless() -> impl Strategy<Value = Request> {
    select(vec![Request::Status, Request::Resume, Request::Quit, Request::Subscribe, Request::Hello, Request::Reload])
}

fn request() -> impl Strategy<Value = Request> {
    let id = any::<Option<u64>>();
    let length = prop_oneof![PAUSE_SECS.prop_map(PauseSpec::ForSecs), Just(PauseSpec::UntilTomorrow), Just(PauseSpec::Indefinitely)];
    prop_oneof![
        fieldless(),
        select(BreakKind::ALL.to_vec()).prop_map(|kind| Request::Break { kind }),
        length.prop_map(|length| Request::Pause { length }),
        id.clone().prop_map(|break_id| Request::Skip { break_id }),
        id.clone().prop_map(|break_id| Request::Postpone { break_id }),
        id.prop_map(|break_id| Request::Finish { break_id }),
        any::<u64>().prop_map(|break_id| Request::Shown { break_id }),
        any::<bool>().prop_map(|on| Request::Focus { on }),
        select(vec![WindowName::Settings, WindowName::Summary, WindowName::Welcome]).prop_map(|window| Request::Open { window, week: None }),
        (2000..2100i32, 1..=52u32, 1..=5u8, 1..=5u8, 1..=5u8).prop_map(|(y, w, e, c, a)| Request::SelfCheck {
            week: respite_core::calendar::Week::new(y, w).expect("every year has 52 weeks"),
            answers: respite_core::selfcheck::Answers::new(e, c, a).expect("1 to 5"),
        }),
    ]
}

// ---- Durations ----------------------------------------------------------------------------------

/// The pause lengths that are words.
const WORDS: [&str; 4] = ["tomorrow", "until-tomorrow", "forever", "indefinitely"];
/// Text shaped like durations, with digit runs far past u64.
const DURATION_SOUP: &str = "(([0-9]{1,6}|[0-9]{18,30}) ?(s|ms|us|ns|m|min|h|d|w|M|y|x|) ?){1,4}";
/// u64::MAX seconds or nearly, plus sub-second parts that carry whole seconds: humantime panics
/// on such sums (chronotope/humantime#66), so `parse_duration` must refuse them first.
const SUMS_PAST_U64_MAX: &str = "1844674407370955161[345]s( (500ms|999999999ns|1ns|1000000000ns|1s)){1,3}";

#[test]
fn the_default_file_reads_as_the_defaults_without_problems() {
    assert_eq!(parse(DEFAULT_FILE), (Settings::default(), vec![]));
}

proptest! {
    #![proptest_config(config())]

    // Settings

    #[test]
    fn settings_from_any_text_are_in_range_and_problems_name_keys_in_the_text(
        text in prop_oneof![any::<String>(), toml_soup()]
    ) {
        let (s, problems) = parse(&text);
        for plan in s.plans.0 {
            prop_assert!((MIN_INTERVAL..=MAX_INTERVAL).contains(&plan.interval), "{:?}", plan);
            prop_assert!((MIN_DURATION..=MAX_DURATION).contains(&plan.duration), "{:?}", plan);
            prop_assert!(plan.duration < plan.interval, "{:?}", plan);
        }
        prop_assert!(s.keep.is_none_or(|k| (MIN_KEEP..=MAX_KEEP).contains(&k)), "keep {:?}", s.keep);
        prop_assert!((MIN_POSTPONE..=MAX_POSTPONE).contains(&s.rules.postpone_by), "{:?}", s.rules);
        prop_assert!((50..=100).contains(&s.overlay.opacity), "{:?}", s.overlay);
        prop_assert!((1..=12).contains(&s.reminders.per_hour), "{:?}", s.reminders);
        prop_assert!(s.reminders.list.iter().all(|r| !r.text.is_empty() && r.every >= Duration::from_secs(300)), "{:?}", s.reminders);
        prop_assert!(s.budget.daily.is_none_or(|d| d >= Duration::from_secs(1800)), "{:?}", s.budget);
        prop_assert!(s.rules.max_postpones <= 10 && s.sound.volume <= 100 && s.overlay.fade <= MAX_FADE, "{:?}", s);
        for p in &problems {
            let table = p.key.split('.').next().unwrap_or_default();
            prop_assert!(text.contains(table) && !p.reason.english().is_empty(), "{} names nothing in {:?}", p, text);
        }
    }

    #[test]
    fn a_well_formed_file_reads_exactly_as_written_without_problems(file in file()) {
        let text = file.text();
        prop_assert_eq!(parse(&text), (file.settings(None), vec![]), "in\n{}", text);
    }

    #[test]
    fn one_bad_value_is_one_problem_naming_its_key_and_spares_every_other_value(
        file in file(), at in any::<Index>(), pick in any::<Index>()
    ) {
        prop_assume!(!file.lines.is_empty());
        let (at, mut spoiled) = (at.index(file.lines.len()), file.clone());
        let line = &mut spoiled.lines[at];
        line.text = pick.get(&garbage(line.key)).clone();
        let mut want_keys = vec![format!("{}.{}", line.table, line.key)];
        let mut want = file.settings(Some(at));
        if let Ok(kind) = line.table.parse::<BreakKind>() {
            let plan = &mut want.plans.0[kind.index()];
            if plan.duration >= plan.interval {
                // The default standing in for the bad interval or duration clashes with the other
                // value as written (the break is no longer shorter than the interval): a second
                // problem, on `kind.duration`, is then expected, and the kind's default times.
                want_keys.push(format!("{kind}.duration"));
                *plan = KindPlan { enabled: plan.enabled, ..*Settings::default().plans.get(kind) };
            }
        }
        let text = spoiled.text();
        let (settings, problems) = parse(&text);
        let mut keys: Vec<_> = problems.iter().map(|p| p.key.clone()).collect();
        keys.sort();
        want_keys.sort();
        prop_assert_eq!(keys, want_keys, "problems {:?} in\n{}", problems, text);
        prop_assert_eq!(settings, want, "in\n{}", text);
    }

    // Protocol

    #[test]
    fn any_line_is_read_without_panicking_and_what_is_read_reads_back_the_same(
        line in prop_oneof![
            any::<String>(),
            "[{}\\[\\]\":, a-z_0-9]{0,40}",
            r#"\{"cmd":"(status|quit|hello|break|pause|skip|shown|nap)"(,"(kind|length|break_id|force|cmd)":(null|-?1|"walk"|\{\}))?\}"#,
        ]
    ) {
        if let Ok(request) = parse_request(&line) {
            prop_assert_eq!(parse_request(&to_line(&request)), Ok(request.clone()));
            if !has_fields(&request) {
                let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&line).unwrap();
                prop_assert!(object.keys().all(|k| k == "cmd"), "{} was read as {:?}", line, request);
            }
        }
    }

    #[test]
    fn every_request_is_one_json_line_that_reads_back_as_itself_even_padded_to_the_limit(request in request()) {
        let line = to_line(&request);
        prop_assert!(line.ends_with('\n') && line.matches('\n').count() == 1 && line.len() <= MAX_MESSAGE, "{:?}", line);
        prop_assert_eq!(parse_request(&line), Ok(request.clone()));
        let padded = format!("{}{}", line.trim_end(), " ".repeat(MAX_MESSAGE - line.trim_end().len()));
        prop_assert_eq!(parse_request(&padded), Ok(request));
    }

    #[test]
    fn a_pause_shorter_than_a_second_or_longer_than_a_week_is_refused_where_it_arrives(secs in prop_oneof![Just(0_u64), (*PAUSE_SECS.end() + 1)..]) {
        let line = to_line(&Request::Pause { length: PauseSpec::ForSecs(secs) });
        prop_assert_eq!(parse_request(&line), Err(ProtocolError::PauseOutOfRange(secs)), "{} was accepted", line);
    }

    #[test]
    fn lines_over_the_limit_are_refused_as_too_long(request in request(), text in any::<String>(), over in 1usize..64) {
        for base in [to_line(&request), text.clone()] {
            let long = format!("{base}{}", " ".repeat((MAX_MESSAGE + over).saturating_sub(base.len())));
            prop_assert_eq!(parse_request(&long), Err(ProtocolError::TooLong(long.len())));
        }
    }

    #[test]
    fn a_command_without_fields_given_any_field_is_refused_as_malformed(
        request in fieldless(),
        key in prop_oneof!["[a-z_]{1,10}", any::<String>()].prop_filter("not the tag", |k| k != "cmd"),
        value in prop_oneof![Just(serde_json::Value::Null), any::<i64>().prop_map(Into::into), any::<String>().prop_map(Into::into)],
        first in any::<bool>(),
    ) {
        let line = to_line(&request);
        let cmd = line.trim_end().trim_start_matches('{').trim_end_matches('}');
        let extra = format!("{}:{value}", serde_json::Value::from(key));
        let line = if first { format!("{{{extra},{cmd}}}") } else { format!("{{{cmd},{extra}}}") };
        prop_assert!(matches!(parse_request(&line), Err(ProtocolError::Malformed(_))), "{} was read", line);
    }

    // Durations and pause lengths

    #[test]
    fn any_pause_text_is_refused_or_read_within_1s_to_7_days(
        text in prop_oneof![
            any::<String>(),
            DURATION_SOUP,
            SUMS_PAST_U64_MAX,
            "18446744073709551615s (1000000000ns|500ms 500ms)",
            select(WORDS.to_vec()).prop_map(String::from),
        ]
    ) {
        let duration = parse_duration(&text);
        match PauseSpec::parse(&text) {
            Ok(PauseSpec::ForSecs(s)) => {
                prop_assert!((1..=MAX_PAUSE_SECS).contains(&s), "{:?} gave {} s", text, s);
                prop_assert_eq!(duration.map(|d| d.as_secs()), Ok(s));
            }
            Ok(other) => prop_assert!(WORDS.contains(&text.trim()), "{:?} gave {:?}", text, other),
            Err(reason) => prop_assert!(!reason.is_empty()),
        }
    }

    #[test]
    fn durations_summing_past_u64_max_seconds_are_refused_not_panicked_on(text in SUMS_PAST_U64_MAX) {
        prop_assert!(parse_duration(&text).is_err());
        prop_assert!(PauseSpec::parse(&text).is_err());
        let (settings, problems) = parse(&format!("[eye]\ninterval = \"{text}\"\n"));
        prop_assert_eq!(settings, Settings::default());
        prop_assert_eq!(problems.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(), vec!["eye.interval"]);
    }

    #[test]
    fn pause_minutes_read_as_that_many_minutes(n in edge(1, 10_080)) {
        prop_assert_eq!(PauseSpec::parse(&format!("{n}m")), Ok(PauseSpec::ForSecs(n * 60)));
    }

    // The person's own files and words

    #[test]
    fn ideas_from_any_text_keep_only_whole_entries_with_plain_picture_names(text in prop_oneof![any::<String>(), toml_soup()]) {
        let (ideas, _problems) = respite_core::ideas::parse(&text);
        for idea in &ideas.list {
            prop_assert!(!idea.name.is_empty() && !idea.instruction.is_empty() && !idea.kinds.is_empty(), "{:?}", idea);
            prop_assert!(idea.picture.as_deref().is_none_or(respite_core::ideas::is_picture_name), "{:?}", idea);
        }
    }

    #[test]
    fn a_shortcut_read_is_written_back_as_one_that_reads_the_same(text in prop_oneof![any::<String>(), "(Ctrl|alt|Shift|super|Hyper|)\\+(Ctrl|Alt|)\\+?[a-zA-Z0-9]{1,3}"]) {
        if let Ok(shortcut) = respite_core::shortcut::Shortcut::parse(&text) {
            prop_assert_eq!(respite_core::shortcut::Shortcut::parse(&shortcut.to_string()), Ok(shortcut));
            prop_assert!(shortcut.ctrl || shortcut.alt || shortcut.super_key);
        }
    }
}
