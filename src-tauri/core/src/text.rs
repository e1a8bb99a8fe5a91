//! The words people read, from the same locale file as the windows (`ui/locales/en.json`,
//! embedded at build time): the tray menu, notifications, window titles and the summary's
//! sentences. `{name}` placeholders are filled by [`Texts::fill`].
//!
//! `RESPITE_LOCALE=pseudo` turns every string into a pseudo-locale (`⟦Ñéxţ: …⟧`): accented, and
//! bracketed, so a test can see that nothing a person reads was written into the code instead.
//! [`is_pseudo`] is that check. The windows do the same from the same file (`ui/js/i18n.js`).

use crate::record::BreakKind;
use crate::senses::HoldReason;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

const ENGLISH: &str = include_str!("../../../ui/locales/en.json");

/// Which strings the user reads: `RESPITE_LOCALE=pseudo` gives the pseudo-locale (bracketed and
/// accented, to show what is not from the locale file); otherwise English, the only locale so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    English,
    Pseudo,
}

impl Locale {
    pub fn from_env() -> Self {
        match std::env::var("RESPITE_LOCALE").as_deref() {
            Ok("pseudo") => Locale::Pseudo,
            _ => Locale::English,
        }
    }
}

/// One locale's strings.
#[derive(Clone, Debug)]
pub struct Texts {
    strings: HashMap<String, String>,
}

impl Texts {
    /// The English strings.
    pub fn english() -> Self {
        let strings = serde_json::from_str(ENGLISH).expect("ui/locales/en.json is a JSON object of strings");
        Self { strings }
    }

    /// The English strings in the pseudo-locale.
    pub fn pseudo() -> Self {
        let mut texts = Self::english();
        for text in texts.strings.values_mut() {
            *text = pseudo(text);
        }
        texts
    }

    /// The strings of [`Locale::from_env`].
    pub fn from_env() -> Self {
        match Locale::from_env() {
            Locale::Pseudo => Self::pseudo(),
            Locale::English => Self::english(),
        }
    }

    /// The string for `key`; the key itself when it is missing (a test checks none is).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
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
        let minutes = (secs + 30) / 60;
        self.hours_minutes(minutes / 60, minutes % 60)
    }

    /// Time left, rounded up so it never says zero early: "less than a minute", "1 min",
    /// "60 min", "1 h 1 min".
    pub fn time_left(&self, secs: u64) -> String {
        match secs.div_ceil(60) {
            0 => self.get("time.under_a_minute").to_owned(),
            minutes @ 1..=60 => self.fill("time.minutes", &[("minutes", &minutes)]),
            minutes => self.fill("time.hours_minutes", &[("hours", &(minutes / 60)), ("minutes", &(minutes % 60))]),
        }
    }

    fn hours_minutes(&self, hours: u64, minutes: u64) -> String {
        match (hours, minutes) {
            (0, m) => self.fill("time.minutes", &[("minutes", &m)]),
            (h, 0) => self.fill("time.hours", &[("hours", &h)]),
            (h, m) => self.fill("time.hours_minutes", &[("hours", &h), ("minutes", &m)]),
        }
    }

    /// A share as a whole percentage: "84%". Halves round up, as the summary page's
    /// `Math.round` does (`{:.0}` would round them to even).
    pub fn percent(&self, share: f64) -> String {
        self.fill("time.percent", &[("percent", &(share * 100.0).round())])
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

/// The process's strings, chosen by `RESPITE_LOCALE` at first use.
pub fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(Texts::from_env)
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
