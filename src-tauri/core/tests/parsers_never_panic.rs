//! Property tests for the parsers that read text Respite does not control: the settings file
//! (`settings::parse`), control-socket lines (`protocol::parse_request`) and the pause lengths
//! people type (`PauseSpec::parse`).
//!
//! Beyond "never panics", each property states what the parser must give back: settings always
//! within their ranges, problems that name real keys, well-formed files read exactly as written,
//! one bad value costing only that value, oversized lines refused, every request surviving the
//! wire, and pause lengths read as the minutes or hours they say.
//!
//! Properties marked `#[ignore]` fail today because of a known bug outside this crate; each says
//! which. Run them with `cargo test -p respite-core --test parsers_never_panic -- --ignored`.
//!
//! Failing inputs are not persisted to `proptest-regressions/`: proptest prints the minimal
//! failing input, and a lasting case belongs in the unit tests of the module it breaks.

use proptest::prelude::*;
use proptest::sample::select;
use respite_core::kind::BreakKind;
use respite_core::protocol::{parse_request, to_line, PauseSpec, ProtocolError, Request, MAX_MESSAGE};
use respite_core::schedule::KindPlan;
use respite_core::settings::{parse, Settings, MAX_DURATION, MAX_INTERVAL, MIN_DURATION, MIN_INTERVAL};
use std::collections::BTreeMap;
use std::time::Duration;

/// Few enough cases that the whole file runs in seconds.
fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

const KINDS: [&str; 3] = ["eye", "stretch", "walk"];
const FIELDS: [&str; 3] = ["enabled", "interval", "duration"];
const MIN_INTERVAL_S: u64 = MIN_INTERVAL.as_secs();
const MAX_INTERVAL_S: u64 = MAX_INTERVAL.as_secs();
const MIN_DURATION_S: u64 = MIN_DURATION.as_secs();
const MAX_DURATION_S: u64 = MAX_DURATION.as_secs();
/// `PauseSpec::parse` accepts 1 s to 7 days.
const MAX_PAUSE_S: u64 = 7 * 24 * 3600;

fn kind_named(name: &str) -> Option<BreakKind> {
    name.parse().ok()
}

fn default_plan(kind: BreakKind) -> KindPlan {
    *Settings::default().plans.get(kind)
}

/// A value between `lo` and `hi` (inclusive), often exactly at either end.
fn edge_biased(lo: u64, hi: u64) -> BoxedStrategy<u64> {
    prop_oneof![1 => Just(lo), 1 => Just(hi), 4 => lo..=hi].boxed()
}

/// `s` as a TOML basic string.
fn toml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------------
// Settings: values, and what they mean to the settings reader
// ---------------------------------------------------------------------------------------------

/// What a TOML value means to the settings reader, as far as this test knows.
#[derive(Clone, Debug, PartialEq)]
enum Meaning {
    Bool(bool),
    /// A duration of this many whole seconds: a non-negative integer, or a string like "5m".
    Secs(u64),
    /// `{}`: an empty inline table.
    EmptyTable,
    /// Valid TOML that is neither a bool, a duration nor a table.
    Other,
    /// Not a TOML value at all: the file around it is not TOML.
    Broken,
}

#[derive(Clone, Debug)]
struct Val {
    text: String,
    meaning: Meaning,
}

fn val(text: impl Into<String>, meaning: Meaning) -> Val {
    Val { text: text.into(), meaning }
}

/// `secs` written as a TOML value the way a person might: an integer, "90s", "5m", "1h 30m"...
fn duration_text(secs: u64) -> BoxedStrategy<String> {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut parts = Vec::new();
    for (n, unit) in [(h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    if parts.is_empty() {
        parts.push("0s".into());
    }
    let mut forms = vec![
        format!("{secs}"),
        format!("\"{secs}s\""),
        format!("\"{secs}sec\""),
        format!("\" {secs} seconds \""),
        format!("\"{}\"", parts.join(" ")),
        format!("\"{}\"", parts.concat()),
    ];
    if secs % 60 == 0 {
        forms.push(format!("\"{}m\"", secs / 60));
        forms.push(format!("\"{}min\"", secs / 60));
    }
    if secs % 3600 == 0 {
        forms.push(format!("\"{}h\"", secs / 3600));
        forms.push(format!("\"{}hours\"", secs / 3600));
    }
    select(forms).boxed()
}

/// Any duration, in or out of every range, as text.
fn any_duration_value() -> BoxedStrategy<Val> {
    prop_oneof![0u64..=200_000, edge_biased(0, 10), edge_biased(3595, 3605), edge_biased(86_395, 86_405)]
        .prop_flat_map(|secs| duration_text(secs).prop_map(move |t| val(t, Meaning::Secs(secs))))
        .boxed()
}

/// Strings that can never be a duration: no digit, or a number with a unit humantime lacks.
fn non_duration_string() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-zA-Z ,.!?_-]{0,12}",
        (0u32..1000, select(vec!["x", "q", "fortnight", "mo", "secondz", ""])).prop_map(|(n, u)| format!("{n}{u}")),
        Just("-5m".to_string()),
        Just("5m 5".to_string()),
        Just("1.m".to_string()),
    ]
    .boxed()
}

/// A valid TOML value that is neither a bool nor a duration nor a table.
fn other_value() -> BoxedStrategy<Val> {
    prop_oneof![
        non_duration_string().prop_map(|s| val(toml_quote(&s), Meaning::Other)),
        (i64::MIN..0).prop_map(|n| val(n.to_string(), Meaning::Other)),
        select(vec!["1.5", "-0.0", "5e2", "inf", "nan", "[]", "[1, 2]", "[\"5m\"]", "1979-05-27", "07:32:00"])
            .prop_map(|t| val(t, Meaning::Other)),
    ]
    .boxed()
}

/// Any value that could appear on the right of `=`, including text that breaks the file.
fn any_value() -> BoxedStrategy<Val> {
    prop_oneof![
        3 => any_duration_value(),
        2 => any::<bool>().prop_map(|b| val(b.to_string(), Meaning::Bool(b))),
        1 => (0i64..=i64::MAX).prop_map(|n| val(n.to_string(), Meaning::Secs(n.unsigned_abs()))),
        1 => (0u32..100_000).prop_map(|n| val(format!("0x{n:x}"), Meaning::Secs(u64::from(n)))),
        1 => (0u32..100_000).prop_map(|n| val(format!("\"{n}\""), Meaning::Other)),
        3 => other_value(),
        1 => Just(val("{}", Meaning::EmptyTable)),
        1 => select(vec!["5m", "=", "\"unterminated", "[1,", "tru", "'", "0x", "1__0", "{ a = }", ""])
            .prop_map(|t| val(t, Meaning::Broken)),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Settings: files made of TOML-like fragments, and a model of how they must be read
// ---------------------------------------------------------------------------------------------

/// One line of a settings file made of fragments.
#[derive(Clone, Debug)]
enum Line {
    /// `[name]`, or `["name"]` when quoted.
    Header { name: String, quoted: bool },
    /// `[[name]]`: an array of tables, which is never a valid break section.
    ArrayHeader { name: String },
    /// `key = value`, the key quoted or bare.
    Pair { key: String, quoted: bool, value: Val },
    Blank,
    Comment(String),
}

impl Line {
    fn render(&self) -> String {
        let key = |k: &str, quoted: bool| if quoted { toml_quote(k) } else { k.to_string() };
        match self {
            Line::Header { name, quoted } => format!("[{}]", key(name, *quoted)),
            Line::ArrayHeader { name } => format!("[[{name}]]"),
            Line::Pair { key: k, quoted, value } => format!("{} = {}", key(k, *quoted), value.text),
            Line::Blank => String::new(),
            Line::Comment(c) => format!("#{c}"),
        }
    }
}

fn render_lines(lines: &[Line]) -> String {
    lines.iter().map(|l| l.render() + "\n").collect()
}

/// A name as written (quoted or bare): the break kinds, near misses and random names.
fn name() -> BoxedStrategy<(String, bool)> {
    let bare = prop_oneof![
        4 => select(vec!["eye", "stretch", "walk"]).prop_map(String::from),
        2 => select(vec!["other", "sound", "Eye", "eyes", "general"]).prop_map(String::from),
        1 => "[a-z_-]{1,6}",
    ];
    prop_oneof![
        6 => bare.prop_map(|n| (n, false)),
        1 => select(vec!["eye", "walk", "", "a.b", "eye ", "Stretch", "é"]).prop_map(|n| (n.to_string(), true)),
    ]
    .boxed()
}

/// A key as written: the real field names, break kinds (at the top) and random keys.
fn key() -> BoxedStrategy<(String, bool)> {
    prop_oneof![
        6 => select(FIELDS.to_vec()).prop_map(|k| (k.to_string(), false)),
        2 => select(KINDS.to_vec()).prop_map(|k| (k.to_string(), false)),
        1 => "[a-z_-]{1,6}".prop_map(|k| (k, false)),
        1 => select(vec!["interval", "", "Interval", "duration "]).prop_map(|k| (k.to_string(), true)),
    ]
    .boxed()
}

fn line() -> BoxedStrategy<Line> {
    prop_oneof![
        3 => name().prop_map(|(name, quoted)| Line::Header { name, quoted }),
        1 => select(vec!["eye", "walk", "other"]).prop_map(|n| Line::ArrayHeader { name: n.into() }),
        8 => (key(), any_value()).prop_map(|((key, quoted), value)| Line::Pair { key, quoted, value }),
        1 => Just(Line::Blank),
        1 => "[ -~]{0,16}".prop_map(Line::Comment),
    ]
    .boxed()
}

/// A value that `field` accepts (any value, for a key that is no field).
fn good_value(field: &str) -> BoxedStrategy<Val> {
    let secs = |lo: u64, hi: u64| {
        edge_biased(lo, hi).prop_flat_map(|s| duration_text(s).prop_map(move |t| val(t, Meaning::Secs(s)))).boxed()
    };
    match field {
        "enabled" => any::<bool>().prop_map(|b| val(b.to_string(), Meaning::Bool(b))).boxed(),
        "interval" => secs(MIN_INTERVAL_S, MAX_INTERVAL_S),
        "duration" => secs(MIN_DURATION_S, MAX_DURATION_S),
        _ => any_value(),
    }
}

/// Loose lines in any order: headers and keys repeat, values break the file.
fn loose_lines() -> BoxedStrategy<Vec<Line>> {
    (prop::option::weighted(0.8, select(KINDS.to_vec())), prop::collection::vec(line(), 0..10))
        .prop_map(|(first, mut lines)| {
            if let Some(kind) = first {
                lines.insert(0, Line::Header { name: kind.into(), quoted: false });
            }
            lines
        })
        .boxed()
}

/// One `[name]` section (or the top of the file) with distinct keys, values mostly accepted.
fn block() -> BoxedStrategy<Vec<Line>> {
    let keys: Vec<&str> = FIELDS.iter().chain(&KINDS).chain(&["colour", "Enabled"]).copied().collect();
    (prop::option::weighted(0.9, name()), prop::sample::subsequence(keys, 0..=4))
        .prop_flat_map(|(header, keys)| {
            let pairs: Vec<_> = keys
                .into_iter()
                .map(|k| {
                    prop_oneof![3 => good_value(k), 1 => any_value()]
                        .prop_map(move |value| Line::Pair { key: k.to_string(), quoted: false, value })
                })
                .collect();
            (Just(header), pairs.prop_shuffle())
        })
        .prop_map(|(header, pairs)| {
            let header = header.map(|(name, quoted)| Line::Header { name, quoted });
            header.into_iter().chain(pairs).collect()
        })
        .boxed()
}

/// A settings file made of TOML-like fragments: loose lines, or sections of mostly good values.
fn fragment_file() -> BoxedStrategy<Vec<Line>> {
    prop_oneof![
        loose_lines(),
        prop::collection::vec(block(), 1..5).prop_map(|blocks| blocks.concat()),
    ]
    .boxed()
}

/// A top-level entry of the file, as the model sees it.
enum Entry {
    Table(BTreeMap<String, Meaning>),
    NotTable,
}

/// How `parse` must read `lines`, given that their text is valid TOML: the settings, and the
/// key of every problem (sorted).
fn model(lines: &[Line]) -> (Settings, Vec<String>) {
    enum At {
        Top,
        Table(String),
        ArrayElement,
    }
    let mut top: BTreeMap<String, Entry> = BTreeMap::new();
    let mut at = At::Top;
    for line in lines {
        match line {
            Line::Header { name, .. } => {
                top.entry(name.clone()).or_insert_with(|| Entry::Table(BTreeMap::new()));
                at = At::Table(name.clone());
            }
            Line::ArrayHeader { name } => {
                top.insert(name.clone(), Entry::NotTable);
                at = At::ArrayElement;
            }
            Line::Pair { key, value, .. } => match &at {
                At::Top => {
                    let entry = if value.meaning == Meaning::EmptyTable { Entry::Table(BTreeMap::new()) } else { Entry::NotTable };
                    top.insert(key.clone(), entry);
                }
                At::Table(name) => {
                    if let Some(Entry::Table(fields)) = top.get_mut(name) {
                        fields.insert(key.clone(), value.meaning.clone());
                    }
                }
                At::ArrayElement => {}
            },
            Line::Blank | Line::Comment(_) => {}
        }
    }
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    for (name, entry) in &top {
        match (kind_named(name), entry) {
            (Some(kind), Entry::Table(fields)) => {
                settings.plans.0[kind.index()] = model_plan(kind, fields, &mut problems);
            }
            _ => problems.push(name.clone()),
        }
    }
    problems.sort();
    (settings, problems)
}

/// How one break section must be read: each good value applies, each bad one is a problem.
fn model_plan(kind: BreakKind, fields: &BTreeMap<String, Meaning>, problems: &mut Vec<String>) -> KindPlan {
    let default = default_plan(kind);
    let mut plan = default;
    for (field, meaning) in fields {
        let ok = match (field.as_str(), meaning) {
            ("enabled", Meaning::Bool(b)) => {
                plan.enabled = *b;
                true
            }
            ("interval", Meaning::Secs(s)) if (MIN_INTERVAL_S..=MAX_INTERVAL_S).contains(s) => {
                plan.interval = Duration::from_secs(*s);
                true
            }
            ("duration", Meaning::Secs(s)) if (MIN_DURATION_S..=MAX_DURATION_S).contains(s) => {
                plan.duration = Duration::from_secs(*s);
                true
            }
            _ => false,
        };
        if !ok {
            problems.push(format!("{kind}.{field}"));
        }
    }
    if plan.duration >= plan.interval {
        problems.push(format!("{kind}.duration"));
        plan = KindPlan { enabled: plan.enabled, ..default };
    }
    plan
}

/// Every plan is usable: both lengths in range and the break shorter than its interval.
fn assert_plans_usable(settings: &Settings, text: &str) -> Result<(), TestCaseError> {
    for kind in BreakKind::ALL {
        let p = settings.plans.get(kind);
        prop_assert!((MIN_INTERVAL..=MAX_INTERVAL).contains(&p.interval), "{kind} interval {:?} from {text:?}", p.interval);
        prop_assert!((MIN_DURATION..=MAX_DURATION).contains(&p.duration), "{kind} duration {:?} from {text:?}", p.duration);
        prop_assert!(p.duration < p.interval, "{kind}: break {:?} not shorter than interval {:?} from {text:?}", p.duration, p.interval);
    }
    Ok(())
}

/// The table part of a problem key: `eye` for `eye.interval`.
fn table_of(key: &str) -> &str {
    key.split('.').next().unwrap_or(key)
}

/// What `parse` must say about any text: usable plans; a file that is not TOML gives the
/// defaults and one whole-file problem pointing at a line of the text; otherwise every problem
/// names a table that was in the text.
fn check_any_settings_text(text: &str) -> Result<(), TestCaseError> {
    let (settings, problems) = parse(text);
    assert_plans_usable(&settings, text)?;
    if text.parse::<toml::Table>().is_err() {
        prop_assert_eq!(&settings, &Settings::default(), "{:?}", text);
        prop_assert_eq!(problems.len(), 1, "{:?}: {:?}", text, problems);
        prop_assert!(problems[0].key.is_empty(), "{:?}: {:?}", text, problems);
        let reason = &problems[0].reason;
        prop_assert!(reason.starts_with("not valid TOML"), "{reason}");
        if let Some(at) = reason.rfind("(line ") {
            let line: usize = reason[at + 6..].trim_end_matches(')').parse().expect("a line number");
            prop_assert!((1..=text.matches('\n').count() + 1).contains(&line), "line {line} of {text:?}");
        }
    } else {
        for p in &problems {
            prop_assert!(!p.reason.starts_with("not valid TOML"), "{:?}: {}", text, p);
            prop_assert!(p.key.is_empty() || text.contains(table_of(&p.key)), "{:?} names no table of {:?}", p.key, text);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Settings: well-formed files
// ---------------------------------------------------------------------------------------------

/// How a break section is written.
#[derive(Clone, Copy, Debug)]
enum Style {
    /// `[eye]` then one `key = value` a line.
    Header,
    /// `eye = { key = value, ... }`
    Inline,
    /// `eye.key = value` lines at the top.
    Dotted,
}

#[derive(Clone, Debug)]
struct Section {
    kind: BreakKind,
    style: Style,
    comment: bool,
    /// (field, value as written), in the order written.
    fields: Vec<(&'static str, String)>,
    /// The plan the section describes, over the defaults.
    plan: KindPlan,
}

/// A well-formed section for `kind`: valid values only, some fields left out, the break always
/// shorter than the interval (a left-out value counting as its default).
fn section(kind: BreakKind) -> BoxedStrategy<Section> {
    let default = default_plan(kind);
    let style = prop_oneof![3 => Just(Style::Header), 1 => Just(Style::Inline), 1 => Just(Style::Dotted)];
    (any::<Option<bool>>(), any::<bool>(), any::<bool>(), style, any::<bool>())
        .prop_flat_map(move |(enabled, has_interval, has_duration, style, comment)| {
            let lo = if has_duration { MIN_INTERVAL_S } else { default.duration.as_secs() + 1 };
            let interval = if has_interval { edge_biased(lo, MAX_INTERVAL_S).prop_map(Some).boxed() } else { Just(None).boxed() };
            (Just(enabled), interval, Just(has_duration), Just(style), Just(comment))
        })
        .prop_flat_map(move |(enabled, interval, has_duration, style, comment)| {
            let shorter_than = interval.unwrap_or(default.interval.as_secs());
            let duration = if has_duration {
                edge_biased(MIN_DURATION_S, MAX_DURATION_S.min(shorter_than - 1)).prop_map(Some).boxed()
            } else {
                Just(None).boxed()
            };
            (Just(enabled), Just(interval), duration, Just(style), Just(comment))
        })
        .prop_flat_map(move |(enabled, interval, duration, style, comment)| {
            let mut texts: Vec<BoxedStrategy<(&'static str, String)>> = Vec::new();
            if let Some(b) = enabled {
                texts.push(Just(("enabled", b.to_string())).boxed());
            }
            if let Some(s) = interval {
                texts.push(duration_text(s).prop_map(|t| ("interval", t)).boxed());
            }
            if let Some(s) = duration {
                texts.push(duration_text(s).prop_map(|t| ("duration", t)).boxed());
            }
            let plan = KindPlan {
                enabled: enabled.unwrap_or(default.enabled),
                interval: interval.map_or(default.interval, Duration::from_secs),
                duration: duration.map_or(default.duration, Duration::from_secs),
            };
            texts.prop_shuffle().prop_map(move |fields| Section { kind, style, comment, fields, plan })
        })
        .boxed()
}

/// A well-formed settings file: any of the three sections, written in any style.
fn well_formed() -> BoxedStrategy<Vec<Section>> {
    BreakKind::ALL
        .map(|kind| prop::option::of(section(kind)))
        .prop_map(|sections| sections.into_iter().flatten().collect::<Vec<_>>())
        .prop_shuffle()
        .boxed()
}

/// The file text: sections in headers come last, as TOML needs.
fn render_file(sections: &[Section]) -> String {
    let mut top = String::new();
    let mut tables = String::new();
    for s in sections {
        let out = if matches!(s.style, Style::Header) { &mut tables } else { &mut top };
        if s.comment {
            out.push_str(&format!("# {} settings\n", s.kind.title()));
        }
        match s.style {
            Style::Header => {
                out.push_str(&format!("[{}]\n", s.kind));
                for (field, text) in &s.fields {
                    out.push_str(&format!("{field} = {text}\n"));
                }
                out.push('\n');
            }
            Style::Inline => {
                let fields: Vec<_> = s.fields.iter().map(|(f, t)| format!("{f} = {t}")).collect();
                out.push_str(&format!("{} = {{ {} }}\n", s.kind, fields.join(", ")));
            }
            Style::Dotted => {
                for (field, text) in &s.fields {
                    out.push_str(&format!("{}.{field} = {text}\n", s.kind));
                }
            }
        }
    }
    top + &tables
}

/// The settings a well-formed file describes.
fn described(sections: &[Section]) -> Settings {
    let mut settings = Settings::default();
    for s in sections {
        settings.plans.0[s.kind.index()] = s.plan;
    }
    settings
}

/// A value that `field` must refuse, still valid TOML so the rest of the file stands.
fn garbage_for(field: &'static str) -> BoxedStrategy<String> {
    let wrong_type = prop_oneof![
        non_duration_string().prop_map(|s| toml_quote(&s)),
        (i64::MIN..0).prop_map(|n| n.to_string()),
        select(vec!["1.5", "nan", "[]", "[true]", "{}", "1979-05-27", "\"\"", "\"5\""]).prop_map(String::from),
    ];
    match field {
        "enabled" => prop_oneof![
            wrong_type,
            (0i64..2).prop_map(|n| n.to_string()),
            select(vec!["\"true\"", "\"false\"", "\"yes\"", "\"on\"", "\"5m\""]).prop_map(String::from),
        ]
        .boxed(),
        "interval" => prop_oneof![
            wrong_type,
            any::<bool>().prop_map(|b| b.to_string()),
            (0..MIN_INTERVAL_S).prop_flat_map(duration_text),
            (MAX_INTERVAL_S + 1..=MAX_INTERVAL_S * 400).prop_flat_map(duration_text),
            select(vec!["\"4s 999ms\"", "\"500ms\"", "\"2days\"", "\"1day 1s\"", "\"25h\""]).prop_map(String::from),
        ]
        .boxed(),
        "duration" => prop_oneof![
            wrong_type,
            any::<bool>().prop_map(|b| b.to_string()),
            Just(0).prop_flat_map(duration_text),
            (MAX_DURATION_S + 1..=MAX_DURATION_S * 400).prop_flat_map(duration_text),
            select(vec!["\"999ms\"", "\"3600s 1ns\"", "\"2h\"", "\"1h 1s\""]).prop_map(String::from),
        ]
        .boxed(),
        other => unreachable!("no field {other}"),
    }
}

/// A well-formed file with one of its values replaced by garbage: (file, section, field).
fn one_value_spoiled() -> BoxedStrategy<(Vec<Section>, usize, usize)> {
    well_formed()
        .prop_filter("a file with at least one value", |s| s.iter().any(|s| !s.fields.is_empty()))
        .prop_flat_map(|sections| {
            let spots: Vec<(usize, usize)> =
                sections.iter().enumerate().flat_map(|(i, s)| (0..s.fields.len()).map(move |j| (i, j))).collect();
            (Just(sections), select(spots))
        })
        .prop_flat_map(|(sections, (i, j))| {
            let field = sections[i].fields[j].0;
            (Just(sections), Just(i), Just(j), garbage_for(field))
        })
        .prop_map(|(mut sections, i, j, garbage)| {
            sections[i].fields[j].1 = garbage;
            (sections, i, j)
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Settings properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn settings_from_any_text_are_usable_and_problems_name_tables_in_the_text(
        text in prop_oneof![
            any::<String>(),
            "\\PC{0,60}",
            "[\\[\\]=\"a-z0-9 \n.#{},'_-]{0,80}",
            fragment_file().prop_map(|lines| render_lines(&lines)),
        ]
    ) {
        check_any_settings_text(&text)?;
    }

    #[test]
    fn settings_from_toml_like_fragments_are_read_key_by_key(lines in fragment_file()) {
        let text = render_lines(&lines);
        check_any_settings_text(&text)?;
        if text.parse::<toml::Table>().is_ok() {
            let (settings, problems) = parse(&text);
            let mut keys: Vec<String> = problems.iter().map(|p| p.key.clone()).collect();
            keys.sort();
            let (want_settings, want_keys) = model(&lines);
            prop_assert_eq!(keys, want_keys, "problems {:?} in\n{}", problems, text);
            prop_assert_eq!(settings, want_settings, "in\n{}", text);
        }
    }

    #[test]
    fn a_well_formed_file_reads_exactly_as_written_without_problems(sections in well_formed()) {
        let text = render_file(&sections);
        let (settings, problems) = parse(&text);
        prop_assert!(problems.is_empty(), "problems {:?} in\n{}", problems, text);
        prop_assert_eq!(settings, described(&sections), "in\n{}", text);
    }

    #[test]
    fn one_bad_value_is_one_problem_naming_its_key_and_spares_every_other_value(
        (sections, i, j) in one_value_spoiled()
    ) {
        let text = render_file(&sections);
        let (settings, problems) = parse(&text);
        let kind = sections[i].kind;
        let field = sections[i].fields[j].0;
        let key = format!("{kind}.{field}");

        // Everything else as written; the spoiled value back to its default.
        let mut want = described(&sections);
        let default = default_plan(kind);
        let plan = &mut want.plans.0[kind.index()];
        match field {
            "enabled" => plan.enabled = default.enabled,
            "interval" => plan.interval = default.interval,
            _ => plan.duration = default.duration,
        }
        let mut want_keys = vec![key.clone()];
        if plan.duration >= plan.interval {
            // The default that stands in clashes with the other value as written: that clash
            // is reported too, and the section falls back to its defaults (keeping `enabled`).
            want_keys.push(format!("{kind}.duration"));
            *plan = KindPlan { enabled: plan.enabled, ..default };
        }
        let mut keys: Vec<_> = problems.iter().map(|p| p.key.clone()).collect();
        keys.sort();
        want_keys.sort();
        prop_assert_eq!(keys, want_keys, "problems {:?} in\n{}", problems, text);
        prop_assert!(!problems[0].reason.is_empty());
        prop_assert_eq!(settings, want, "in\n{}", text);
    }
}

// ---------------------------------------------------------------------------------------------
// Protocol
// ---------------------------------------------------------------------------------------------

fn break_kind() -> BoxedStrategy<BreakKind> {
    select(BreakKind::ALL.to_vec()).boxed()
}

fn pause_spec() -> BoxedStrategy<PauseSpec> {
    prop_oneof![
        any::<u64>().prop_map(PauseSpec::ForSecs),
        (1..=MAX_PAUSE_S).prop_map(PauseSpec::ForSecs),
        Just(PauseSpec::UntilTomorrow),
        Just(PauseSpec::Indefinitely),
    ]
    .boxed()
}

/// Every request, with arbitrary kinds, break ids and pause lengths.
fn request() -> BoxedStrategy<Request> {
    prop_oneof![
        Just(Request::Status),
        break_kind().prop_map(|kind| Request::Break { kind }),
        pause_spec().prop_map(|length| Request::Pause { length }),
        Just(Request::Resume),
        any::<Option<u64>>().prop_map(|break_id| Request::Skip { break_id }),
        any::<Option<u64>>().prop_map(|break_id| Request::Postpone { break_id }),
        Just(Request::Quit),
        Just(Request::Subscribe),
        Just(Request::Hello),
    ]
    .boxed()
}

/// A JSON value as text, and what it means for one field (`None`: the field must refuse it).
type Field<T> = (String, Option<T>);

fn json_kind() -> BoxedStrategy<Field<BreakKind>> {
    prop_oneof![
        3 => break_kind().prop_map(|k| (format!("\"{k}\""), Some(k))),
        1 => select(vec!["\"Eye\"", "\"nap\"", "\"\"", "\"eye \"", "1", "null", "[\"eye\"]", "{}"]).prop_map(|t| (t.to_string(), None)),
    ]
    .boxed()
}

fn json_length() -> BoxedStrategy<Field<PauseSpec>> {
    prop_oneof![
        2 => any::<u64>().prop_map(|n| (format!("{{\"for_secs\":{n}}}"), Some(PauseSpec::ForSecs(n)))),
        1 => Just(("\"until_tomorrow\"".to_string(), Some(PauseSpec::UntilTomorrow))),
        1 => Just(("\"indefinitely\"".to_string(), Some(PauseSpec::Indefinitely))),
        2 => select(vec![
            "{\"for_secs\":-1}", "{\"for_secs\":\"60\"}", "{\"for_secs\":1.5}", "{\"for_secs\":18446744073709551616}",
            "{\"for_secs\":5,\"indefinitely\":null}", "{\"hours\":1}", "\"forever\"", "\"for_secs\"", "\"until-tomorrow\"",
            "30", "null", "[]",
        ])
        .prop_map(|t| (t.to_string(), None)),
    ]
    .boxed()
}

fn json_break_id() -> BoxedStrategy<Field<Option<u64>>> {
    prop_oneof![
        3 => any::<u64>().prop_map(|n| (n.to_string(), Some(Some(n)))),
        1 => Just(("null".to_string(), Some(None))),
        2 => select(vec!["-1", "1.5", "1e3", "\"3\"", "true", "18446744073709551616", "[]"]).prop_map(|t| (t.to_string(), None)),
    ]
    .boxed()
}

const COMMANDS: [&str; 9] = ["status", "break", "pause", "resume", "skip", "postpone", "quit", "subscribe", "hello"];

/// The `cmd` value: a real command name, a near miss or not a string (`None`: no such command).
fn json_cmd() -> BoxedStrategy<Field<&'static str>> {
    prop_oneof![
        3 => select(COMMANDS.to_vec()).prop_map(|c| (format!("\"{c}\""), Some(c))),
        1 => select(vec!["\"explode\"", "\"Status\"", "\"SKIP\"", "\"\"", "\"pause \"", "\"break_\"", "1", "null", "[\"quit\"]"])
            .prop_map(|t| (t.to_string(), None)),
    ]
    .boxed()
}

/// A JSON object that may or may not be a request.
#[derive(Clone, Debug)]
struct Object {
    cmd: Option<Field<&'static str>>,
    kind: Option<Field<BreakKind>>,
    length: Option<Field<PauseSpec>>,
    break_id: Option<Field<Option<u64>>>,
    /// A field no request has.
    extra: Option<(&'static str, String)>,
    /// The members in the order written.
    text: String,
}

fn json_object() -> BoxedStrategy<Object> {
    let extra = (select(vec!["x", "pad", "force", "Kind", "cmd2", "breakId"]), select(vec!["1", "null", "\"eye\"", "{}"]))
        .prop_map(|(k, v)| (k, v.to_string()));
    (
        prop::option::weighted(0.9, json_cmd()),
        prop::option::of(json_kind()),
        prop::option::of(json_length()),
        prop::option::of(json_break_id()),
        prop::option::weighted(0.2, extra),
    )
        .prop_flat_map(|(cmd, kind, length, break_id, extra)| {
            let named = [
                ("cmd", cmd.as_ref().map(|c| &c.0)),
                ("kind", kind.as_ref().map(|k| &k.0)),
                ("length", length.as_ref().map(|l| &l.0)),
                ("break_id", break_id.as_ref().map(|b| &b.0)),
            ];
            let mut members: Vec<String> =
                named.iter().filter_map(|(name, value)| value.map(|v| format!("\"{name}\":{v}"))).collect();
            if let Some((k, v)) = &extra {
                members.push(format!("\"{k}\":{v}"));
            }
            let object = Object { cmd, kind, length, break_id, extra, text: String::new() };
            (Just(object), Just(members).prop_shuffle(), select(vec!["", " ", "\n", "\t "]))
        })
        .prop_map(|(mut object, members, pad)| {
            object.text = format!("{pad}{{{}}}{pad}", members.join(&format!(",{pad}")));
            object
        })
        .boxed()
}

/// What `parse_request` must make of an object.
#[derive(Debug)]
enum Expect {
    Request(Request),
    Refused,
    /// A command without fields, given fields anyway. `deny_unknown_fields` means to refuse
    /// them, but serde ignores it for unit variants of internally tagged enums
    /// (serde-rs/serde#2123), so today such an object reads as the bare command.
    BareCommandWithFields(Request),
}

fn expect(o: &Object) -> Expect {
    let Some((_, Some(cmd))) = &o.cmd else { return Expect::Refused };
    let allowed: &[&str] = match *cmd {
        "break" => &["kind"],
        "pause" => &["length"],
        "skip" | "postpone" => &["break_id"],
        _ => &[],
    };
    let present: Vec<&str> = [
        o.kind.as_ref().map(|_| "kind"),
        o.length.as_ref().map(|_| "length"),
        o.break_id.as_ref().map(|_| "break_id"),
        o.extra.as_ref().map(|(k, _)| *k),
    ]
    .into_iter()
    .flatten()
    .collect();
    let unknown = present.iter().any(|f| !allowed.contains(f));
    let bare = match *cmd {
        "status" => Some(Request::Status),
        "resume" => Some(Request::Resume),
        "quit" => Some(Request::Quit),
        "subscribe" => Some(Request::Subscribe),
        "hello" => Some(Request::Hello),
        _ => None,
    };
    if let Some(request) = bare {
        return if unknown { Expect::BareCommandWithFields(request) } else { Expect::Request(request) };
    }
    if unknown {
        return Expect::Refused;
    }
    let request = match *cmd {
        "break" => o.kind.as_ref().and_then(|k| k.1).map(|kind| Request::Break { kind }),
        "pause" => o.length.as_ref().and_then(|l| l.1).map(|length| Request::Pause { length }),
        "skip" => match &o.break_id {
            None => Some(Request::Skip { break_id: None }),
            Some((_, id)) => id.map(|break_id| Request::Skip { break_id }),
        },
        "postpone" => match &o.break_id {
            None => Some(Request::Postpone { break_id: None }),
            Some((_, id)) => id.map(|break_id| Request::Postpone { break_id }),
        },
        other => unreachable!("{other}"),
    };
    request.map_or(Expect::Refused, Expect::Request)
}

/// `request` as a line padded with `pad` (repeated) until the line is `len` bytes or just over.
fn padded(request: &Request, pad: char, len: usize) -> String {
    let mut line = to_line(request).trim_end().to_string();
    while line.len() < len {
        line.push(pad);
    }
    line
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_line_is_refused_as_too_long_exactly_when_over_the_limit_and_otherwise_read_canonically(
        line in prop_oneof![
            4 => any::<String>(),
            2 => "[{}\\[\\]\":,a-z0-9_ \n-]{0,60}",
            1 => ".{2700,2800}",
            1 => "[a-z]{8180,8200}",
            1 => "\\PC{8000,8300}",
        ]
    ) {
        match parse_request(&line) {
            Err(ProtocolError::TooLong(n)) => {
                prop_assert!(line.len() > MAX_MESSAGE, "{} bytes refused as too long", line.len());
                prop_assert_eq!(n, line.len());
            }
            Err(ProtocolError::Malformed(reason)) => {
                prop_assert!(line.len() <= MAX_MESSAGE, "{} bytes not refused as too long", line.len());
                prop_assert!(!reason.is_empty());
            }
            Ok(request) => {
                prop_assert!(line.len() <= MAX_MESSAGE);
                prop_assert_eq!(parse_request(&to_line(&request)), Ok(request));
            }
        }
    }

    #[test]
    fn a_padded_request_is_read_while_it_fits_the_limit_and_refused_as_too_long_after(
        request in request(),
        pad in select(vec![' ', '\t', '\n', '\r', '\u{3000}']),
        len in (MAX_MESSAGE - 8)..=(MAX_MESSAGE + 8),
    ) {
        let line = padded(&request, pad, len);
        if line.len() <= MAX_MESSAGE {
            prop_assert_eq!(parse_request(&line), Ok(request));
        } else {
            prop_assert_eq!(parse_request(&line), Err(ProtocolError::TooLong(line.len())));
        }
    }

    #[test]
    fn a_json_object_is_read_as_the_request_it_spells_or_refused_as_malformed(object in json_object()) {
        let got = parse_request(&object.text);
        match expect(&object) {
            Expect::Request(want) => prop_assert_eq!(got, Ok(want), "{}", object.text),
            Expect::Refused => prop_assert!(matches!(got, Err(ProtocolError::Malformed(_))), "{} gave {:?}", object.text, got),
            Expect::BareCommandWithFields(bare) => prop_assert!(
                got == Ok(bare) || matches!(got, Err(ProtocolError::Malformed(_))),
                "{} gave {:?}", object.text, got
            ),
        }
    }

    #[test]
    fn every_request_is_one_json_line_that_reads_back_as_itself(request in request()) {
        let line = to_line(&request);
        prop_assert!(line.ends_with('\n'));
        prop_assert!(!line.trim_end_matches('\n').contains('\n'), "{:?}", line);
        prop_assert!(line.len() <= MAX_MESSAGE);
        prop_assert_eq!(parse_request(&line), Ok(request));
    }

    /// Fails today: serde-rs/serde#2123, see [`Expect::BareCommandWithFields`].
    #[test]
    #[ignore = "serde ignores deny_unknown_fields for unit variants (serde-rs/serde#2123): {\"cmd\":\"quit\",\"force\":true} reads as quit"]
    fn a_command_without_fields_given_fields_is_refused(
        cmd in select(vec!["status", "resume", "quit", "subscribe", "hello"]),
        field in select(vec!["x", "kind", "break_id", "force"]),
    ) {
        let line = format!("{{\"cmd\":\"{cmd}\",\"{field}\":1}}");
        prop_assert!(matches!(parse_request(&line), Err(ProtocolError::Malformed(_))), "{} was accepted", line);
    }
}

// ---------------------------------------------------------------------------------------------
// Pause lengths
// ---------------------------------------------------------------------------------------------

/// Text shaped like durations: numbers (some too big for u64), fractions, real and made-up
/// units. Sums that land exactly on u64::MAX seconds are left to the ignored property below.
fn duration_like() -> BoxedStrategy<String> {
    let number = prop_oneof![
        0u64..100_000,
        Just(0),
        Just(1),
        any::<u32>().prop_map(u64::from),
        (10u64.pow(15)..10u64.pow(18)),
    ]
    .prop_map(|n| n.to_string());
    let number = prop_oneof![4 => number, 1 => "[0-9]{19,25}", 1 => "[0-9]{1,3}\\.[0-9]{0,4}"];
    let unit = select(vec![
        "", "s", "sec", "m", "min", "minutes", "h", "hr", "d", "w", "M", "y", "ms", "us", "µs", "ns", "x", "mins ", " m",
    ]);
    prop::collection::vec((number, unit), 1..4)
        .prop_map(|parts| parts.into_iter().map(|(n, u)| format!("{n}{u}")).collect::<Vec<_>>().join(" "))
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_pause_text_is_read_within_1s_to_7_days_or_refused_with_a_reason(
        text in prop_oneof![
            any::<String>(),
            duration_like(),
            select(vec!["until-tomorrow", "tomorrow", "indefinitely", "forever", "until_tomorrow", "Forever"]).prop_map(String::from),
        ],
        pad in select(vec!["", " ", "\t", "\n "]),
    ) {
        let got = PauseSpec::parse(&text);
        match &got {
            Ok(PauseSpec::ForSecs(s)) => prop_assert!((1..=MAX_PAUSE_S).contains(s), "{:?} gave {} s", text, s),
            Ok(_) => {}
            Err(reason) => prop_assert!(!reason.is_empty()),
        }
        // Surrounding blanks change nothing.
        prop_assert_eq!(PauseSpec::parse(&format!("{pad}{text}{pad}")), got);
    }

    #[test]
    fn pause_minutes_and_hours_read_as_what_they_say(
        n in prop_oneof![Just(1u64), Just(10_080), 1u64..=10_080],
        minutes in select(vec!["m", "min", "mins", "minutes", " m"]),
        h in 1u64..=168,
        too_many in 10_081u64..=1_000_000,
    ) {
        prop_assert_eq!(PauseSpec::parse(&format!("{n}m")), Ok(PauseSpec::ForSecs(n * 60)));
        prop_assert_eq!(PauseSpec::parse(&format!("{n}{minutes}")), Ok(PauseSpec::ForSecs(n * 60)));
        prop_assert_eq!(PauseSpec::parse(&format!("{h}h")), Ok(PauseSpec::ForSecs(h * 3600)));
        prop_assert_eq!(PauseSpec::parse(&format!("{}h {}m", n / 60, n % 60)), Ok(PauseSpec::ForSecs(n * 60)));
        let refused = PauseSpec::parse(&format!("{too_many}m"));
        prop_assert!(refused.as_ref().is_err_and(|e| e.contains("out of range")), "{too_many}m gave {:?}", refused);
    }
}

// ---------------------------------------------------------------------------------------------
// Durations that add up to exactly u64::MAX seconds (a bug in humantime)
// ---------------------------------------------------------------------------------------------

/// Seconds near u64::MAX followed by sub-second parts whose nanoseconds carry a whole second.
fn duration_at_u64_max() -> BoxedStrategy<String> {
    (0u64..3, prop::collection::vec(select(vec!["500ms", "999999999ns", "1ns", "1000000000ns", "0.5s", "1s"]), 1..4))
        .prop_map(|(k, parts)| format!("{}s {}", u64::MAX - k, parts.join(" ")))
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    /// Fails today: humantime 2.4.0 (chronotope/humantime#66) panics with "overflow in
    /// Duration::new" when the nanoseconds add up to exactly one second on top of u64::MAX
    /// seconds, e.g. `18446744073709551615s 500ms 500ms`. Both parsers pass such text straight
    /// to `humantime::parse_duration`, so a settings file or a typed pause length can crash
    /// Respite.
    #[test]
    #[ignore = "humantime 2.4.0 panics on \"18446744073709551615s 500ms 500ms\" (chronotope/humantime#66)"]
    fn durations_summing_to_u64_max_seconds_are_refused_not_panicked_on(text in duration_at_u64_max()) {
        let pause = std::panic::catch_unwind(|| PauseSpec::parse(&text));
        prop_assert!(matches!(pause, Ok(Err(_))), "PauseSpec::parse({:?}) panicked or accepted it", text);
        let file = format!("[eye]\ninterval = {}\n", toml_quote(&text));
        let settings = std::panic::catch_unwind(|| parse(&file));
        prop_assert!(settings.is_ok(), "settings::parse panicked on\n{}", file);
        let (settings, problems) = settings.unwrap();
        prop_assert_eq!(settings, Settings::default());
        prop_assert_eq!(problems.len(), 1);
    }
}
