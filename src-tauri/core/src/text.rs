//! The words people read, from the same locale files as the windows (`ui/locales/<tag>.json`,
//! all embedded at build time): the tray menu, notifications, the command line, window titles,
//! refusals and settings problems ([`Message`]), the summary's sentences. `{name}` placeholders
//! are filled by [`Texts::fill`]; a message with a `{count}` has one key per CLDR plural category
//! (`key_one`, `key_few`, `key_other`…), chosen by [`Texts::count`] with the language's rules.
//! A key missing from a language falls back to English.
//!
//! Which language: [`choice`] (the desktop's, like gettext). Formats that differ by language
//! (durations, percentages, dates, times of day, lists) are patterns in the locale file, so the
//! translators choose them; the pages format with `Intl` instead (`ui/js/i18n.js`).
//!
//! `RESPITE_LOCALE=pseudo` turns every string into a pseudo-locale (`⟦Ñéxţ: …⟧`): accented, and
//! bracketed, so a test can see that nothing a person reads was written into the code instead.
//! [`is_pseudo`] is that check. The windows do the same from the same file (`ui/js/i18n.js`).

pub mod choice;
pub mod message;

use message::{Arg, Message};
use crate::record::BreakKind;
use crate::senses::HoldReason;
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

pub use choice::Choice;

mod files {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// The tags of the locale files Respite has (`en`, `pt-BR`, …).
pub fn available() -> Vec<&'static str> {
    files::FILES.iter().map(|(tag, _)| *tag).collect()
}

/// The text of locale file `tag`, inflated.
fn file(tag: &str) -> Option<String> {
    let deflated = files::FILES.iter().find(|(t, _)| *t == tag).map(|(_, bytes)| *bytes)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec(deflated).unwrap_or_else(|e| panic!("ui/locales/{tag}.json was deflated at build time: {e:?}"));
    Some(String::from_utf8(bytes).unwrap_or_else(|e| panic!("ui/locales/{tag}.json is UTF-8: {e}")))
}

/// One locale's strings, English beneath them.
pub struct Texts {
    tag: &'static str,
    strings: HashMap<String, String>,
    plurals: PluralRules,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Texts").field("tag", &self.tag).field("strings", &self.strings.len()).finish()
    }
}

fn parse(tag: &str) -> HashMap<String, String> {
    let text = file(tag).unwrap_or_else(|| panic!("ui/locales/{tag}.json is embedded"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("ui/locales/{tag}.json is a JSON object of strings: {e}"))
}

fn plural_rules(tag: &str) -> PluralRules {
    let english = || PluralRules::create("en".parse::<unic_langid::LanguageIdentifier>().expect("en is a language tag"), PluralRuleType::CARDINAL).expect("CLDR has English");
    tag.parse::<unic_langid::LanguageIdentifier>()
        .ok()
        .and_then(|id| {
            let language: unic_langid::LanguageIdentifier = id.language.as_str().parse().ok()?;
            PluralRules::create(id, PluralRuleType::CARDINAL).or_else(|_| PluralRules::create(language, PluralRuleType::CARDINAL)).ok()
        })
        .unwrap_or_else(english)
}

impl Texts {
    /// The strings of the locale file `tag`; English for any key it lacks (and for a tag
    /// Respite has no file for).
    pub fn for_tag(tag: &str) -> Self {
        let tag = available().into_iter().find(|t| *t == tag).unwrap_or("en");
        let mut strings = parse("en");
        if tag != "en" {
            let own = parse(tag);
            // A plural group the language writes replaces English's forms entirely.
            let groups: Vec<&str> = own.keys().filter_map(|k| plural_base(k)).collect();
            strings.retain(|k, _| plural_base(k).is_none_or(|base| !groups.contains(&base)));
            strings.extend(own);
        }
        Self { tag, strings, plurals: plural_rules(tag) }
    }

    /// The English strings.
    pub fn english() -> Self {
        Self::for_tag("en")
    }

    /// The English strings in the pseudo-locale.
    pub fn pseudo() -> Self {
        let mut texts = Self::english();
        for text in texts.strings.values_mut() {
            *text = pseudo(text);
        }
        texts
    }

    /// The strings of [`choice::choose`] on this process's environment.
    pub fn from_env() -> Self {
        match choice::choose(|name| std::env::var(name).ok(), &available()) {
            Choice::Pseudo => Self::pseudo(),
            Choice::Tag(tag) => Self::for_tag(tag),
        }
    }

    /// The locale file's tag (`pt-BR`); `en` for English and the pseudo-locale.
    pub fn tag(&self) -> &'static str {
        self.tag
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        self.get("locale.dir") == "rtl"
    }

    /// The string for `key`; the key itself when it is missing (a test checks none is).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// The plural form of `key` for `count` (`key_one`, `key_few`, … by the language's CLDR
    /// rules; `key_other` when the file lacks that form), filled with `count` and `values`.
    pub fn count(&self, key: &str, count: u64, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        let key = self.plural_key(key, count);
        let mut all: Vec<(&str, &dyn std::fmt::Display)> = vec![("count", &count)];
        all.extend_from_slice(values);
        self.fill(&key, &all)
    }

    fn plural_key(&self, key: &str, count: u64) -> String {
        let category = match self.plurals.select(count) {
            Ok(PluralCategory::ZERO) => "zero",
            Ok(PluralCategory::ONE) => "one",
            Ok(PluralCategory::TWO) => "two",
            Ok(PluralCategory::FEW) => "few",
            Ok(PluralCategory::MANY) => "many",
            _ => "other",
        };
        [format!("{key}_{category}"), format!("{key}_other")].into_iter().find(|k| self.strings.contains_key(k)).unwrap_or_else(|| key.to_owned())
    }

    /// The words of `message`: its key (in the plural form for a `count`), each argument worded
    /// in turn.
    pub fn say(&self, message: &Message) -> String {
        let worded: Vec<(&str, String)> = message
            .args
            .iter()
            .map(|(name, arg)| {
                let text = match arg {
                    Arg::Number(n) => n.to_string(),
                    Arg::Text(text) => text.clone(),
                    Arg::Nested(inner) => self.say(inner),
                };
                (name.as_str(), text)
            })
            .collect();
        let values: Vec<(&str, &dyn std::fmt::Display)> = worded.iter().map(|(name, text)| (*name, text as &dyn std::fmt::Display)).collect();
        match message.args.get("count") {
            Some(Arg::Number(n)) => {
                let key = self.plural_key(&message.code, *n);
                self.fill(&key, &values)
            }
            _ => self.fill(&message.code, &values),
        }
    }

    /// Whether the locale files have words for `message` (one from a newer Respite may not).
    pub fn knows(&self, message: &Message) -> bool {
        self.strings.contains_key(&message.code) || self.strings.contains_key(&format!("{}_other", message.code))
    }

    /// "Eye rest".
    pub fn kind_title(&self, kind: BreakKind) -> String {
        self.get(&format!("overlay.kind.{kind}.title")).to_owned()
    }

    /// "eye rest", within a sentence.
    pub fn kind_noun(&self, kind: BreakKind) -> String {
        self.get(&format!("overlay.kind.{kind}.noun")).to_owned()
    }

    /// Why a break waits: "a fullscreen window".
    pub fn hold_reason(&self, reason: HoldReason) -> String {
        self.get(&format!("hold.{}", reason.as_str())).to_owned()
    }

    /// A length to the nearest minute: "45 min", "2 h", "5 h 5 min".
    pub fn duration(&self, secs: u64) -> String {
        let minutes = secs.saturating_add(30) / 60;
        self.hours_minutes(minutes / 60, minutes % 60)
    }

    /// A break's length: in seconds under two minutes ("20 s", "90 s"), else as [`Texts::duration`].
    pub fn break_length(&self, secs: u64) -> String {
        if secs < 120 {
            self.count("time.seconds", secs, &[])
        } else {
            self.duration(secs)
        }
    }

    /// Time left, rounded up so it never says zero early: "less than a minute", "1 min",
    /// "60 min", "1 h 1 min".
    pub fn time_left(&self, secs: u64) -> String {
        match secs.div_ceil(60) {
            0 => self.get("time.under_a_minute").to_owned(),
            minutes @ 1..=60 => self.count("time.minutes", minutes, &[]),
            minutes => self.hours_minutes(minutes / 60, minutes % 60),
        }
    }

    fn hours_minutes(&self, hours: u64, minutes: u64) -> String {
        match (hours, minutes) {
            (0, m) => self.count("time.minutes", m, &[]),
            (h, 0) => self.count("time.hours", h, &[]),
            (h, m) => self.fill("time.hours_minutes", &[("hours", &self.count("time.hours", h, &[])), ("minutes", &self.count("time.minutes", m, &[]))]),
        }
    }

    /// A share as a whole percentage: "84%". Halves round up, as the summary page's
    /// `Math.round` does (`{:.0}` would round them to even).
    pub fn percent(&self, share: f64) -> String {
        self.fill("time.percent", &[("percent", &(share * 100.0).round())])
    }

    /// A time of day, "18:05", in the locale file's pattern.
    pub fn time_of_day(&self, time: NaiveTime) -> String {
        self.fill("format.time", &[("hour", &time.hour()), ("minute", &format_args!("{:02}", time.minute()))])
    }

    /// "Mon", or "Monday" when `long`.
    pub fn weekday(&self, day: Weekday, long: bool) -> String {
        let name = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day.num_days_from_monday() as usize];
        self.get(&if long { format!("day.{name}") } else { format!("day.short.{name}") }).to_owned()
    }

    /// "Mon 16 Nov", and with the year when `with_year`.
    pub fn date(&self, date: NaiveDate, with_year: bool) -> String {
        let month = self.get(&format!("month.short.{}", date.month())).to_owned();
        let (weekday, day, year) = (self.weekday(date.weekday(), false), date.day(), date.year());
        let values: [(&str, &dyn std::fmt::Display); 4] = [("weekday", &weekday), ("day", &day), ("month", &month), ("year", &year)];
        self.fill(if with_year { "format.date_year" } else { "format.date" }, &values)
    }

    /// "Mon 18:05".
    pub fn weekday_time(&self, day: Weekday, time: NaiveTime) -> String {
        self.fill("format.weekday_time", &[("weekday", &self.weekday(day, false)), ("time", &self.time_of_day(time))])
    }

    /// "a", "a and b", "a, b and c".
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [first, second] => self.fill("list.pair", &[("first", first), ("second", second)]),
            [first, rest @ ..] => self.fill("list.more", &[("first", first), ("rest", &self.list(rest))]),
        }
    }

    /// The string for `key` with each `{name}` replaced by its value in `values`.
    pub fn fill(&self, key: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut text = Cow::Borrowed(self.get(key));
        for (name, value) in values {
            let placeholder = format!("{{{name}}}");
            if text.contains(&placeholder) {
                text = Cow::Owned(text.replace(&placeholder, &value.to_string()));
            }
        }
        text.into_owned()
    }
}

/// `key` without its plural category (`time.minutes` for `time.minutes_few`), if it has one.
pub fn plural_base(key: &str) -> Option<&str> {
    let (base, category) = key.rsplit_once('_')?;
    ["zero", "one", "two", "few", "many", "other"].contains(&category).then_some(base)
}

/// The process's strings, chosen by the environment at first use.
pub fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(Texts::from_env)
}

/// The English strings, for the log and the JSON output.
pub fn english() -> &'static Texts {
    static ENGLISH: OnceLock<Texts> = OnceLock::new();
    ENGLISH.get_or_init(Texts::english)
}

/// `texts().get(key)`, owned.
pub fn t(key: &str) -> String {
    texts().get(key).to_owned()
}

/// `texts().fill(key, values)`.
pub fn tf(key: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    texts().fill(key, values)
}

const OPEN: char = '⟦';
const CLOSE: char = '⟧';

/// `text` in the pseudo-locale: letters accented, the whole bracketed; `{placeholders}` kept.
pub fn pseudo(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2 + 6);
    out.push(OPEN);
    let mut in_placeholder = false;
    for c in text.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ => {}
        }
        out.push(if in_placeholder { c } else { accented(c) });
    }
    out.push(CLOSE);
    out
}

fn accented(c: char) -> char {
    match c {
        'a' => 'á',
        'e' => 'é',
        'i' => 'í',
        'o' => 'ó',
        'u' => 'ú',
        'c' => 'ç',
        'n' => 'ñ',
        's' => 'š',
        'y' => 'ý',
        'z' => 'ž',
        'A' => 'Á',
        'E' => 'É',
        'I' => 'Í',
        'O' => 'Ó',
        'U' => 'Ú',
        'C' => 'Ç',
        'N' => 'Ñ',
        'S' => 'Š',
        other => other,
    }
}

/// Whether every word of `text` came from the pseudo-locale: outside the ⟦ ⟧ brackets there are
/// only digits, spaces and punctuation (times, counts), never a letter.
pub fn is_pseudo(text: &str) -> bool {
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            OPEN => depth += 1,
            CLOSE => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphabetic() => return false,
            _ => {}
        }
    }
    depth == 0 && text.contains(OPEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pseudo_locale_brackets_and_accents_every_string_and_keeps_placeholders() {
        assert_eq!(pseudo("Next: {kind} in {time}"), "⟦Ñéxt: {kind} íñ {time}⟧");
        let texts = Texts::pseudo();
        let filled = texts.fill("tray.next", &[("kind", &texts.get("overlay.kind.eye.title")), ("time", &"12 min")]);
        assert!(is_pseudo(&filled), "{filled}");
        assert!(!is_pseudo(&Texts::english().fill("tray.next", &[("kind", &"Eye rest"), ("time", &"12 min")])));
        assert!(is_pseudo("⟦Ñéxt⟧ 18:05 ⟦íñ⟧"), "numbers and punctuation outside are fine");
        assert!(!is_pseudo("⟦Ñéxt⟧ at 18:05"), "a word outside is not");
        assert!(!is_pseudo("18:05"), "no pseudo text at all is not");
    }

    #[test]
    fn time_left_rounds_up_so_it_never_says_zero_early() {
        let texts = Texts::english();
        let left: Vec<String> = [0, 1, 61, 3600, 3601].map(|s| texts.time_left(s)).into();
        assert_eq!(left, ["less than a minute", "1 min", "2 min", "60 min", "1 h 1 min"]);
        assert_eq!([0, 29, 30, 3600, 18_300].map(|s| texts.duration(s)), ["0 min", "0 min", "1 min", "1 h", "5 h 5 min"].map(String::from));
        assert_eq!([20, 90, 300].map(|s| texts.break_length(s)), ["20 s", "90 s", "5 min"].map(String::from));
        assert_eq!([2.0 / 3.0, 0.125, 0.8].map(|s| texts.percent(s)), ["67%", "13%", "80%"].map(String::from), "halves round up, as in the page");
    }

    #[test]
    fn every_hold_reason_has_words() {
        let texts = Texts::english();
        for reason in crate::senses::HoldReason::ALL {
            let words = texts.hold_reason(reason);
            assert!(!words.starts_with("hold."), "{reason:?} has no text in en.json");
            assert_eq!(words, reason.describe(), "the log's words and the locale's agree");
        }
    }

    #[test]
    fn english_fills_placeholders_and_a_missing_key_shows_itself() {
        let texts = Texts::english();
        assert_eq!(texts.fill("tray.next", &[("kind", &"Walk"), ("time", &"5 min")]), "Next: Walk in 5 min");
        assert_eq!(texts.get("no.such.key"), "no.such.key");
    }
}
