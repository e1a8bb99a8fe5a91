//! Every language says everything English says: each locale file in `ui/locales` has every key
//! of `en.json` (a plural message counts once, whatever its forms), no key English lacks, the
//! plural forms its language's CLDR rules choose for whole numbers, and the same placeholders
//! as English (a translator may reorder them, and may leave `{count}` out of a form that names
//! the number in words: "one", "two"). The same rules as the pages use (`Intl.PluralRules`).
//! And no English is left in a translation: a text the same as English's is a name, a unit or a
//! word both languages share ("Volume", "Standard"), never a phrase of three words or more.

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

type Strings = BTreeMap<String, String>;

fn locales() -> Vec<(String, Strings)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/locales");
    let mut found: Vec<(String, Strings)> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let tag = path.file_name()?.to_str()?.strip_suffix(".json")?.to_owned();
            let strings = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Some((tag, strings))
        })
        .collect();
    found.sort();
    found
}

fn base(key: &str) -> &str {
    respite_core::text::plural_base(key).unwrap_or(key)
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        names.insert(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    names
}

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

#[test]
fn every_language_has_every_message_with_its_plural_forms_and_placeholders() {
    let all = locales();
    let english = &all.iter().find(|(tag, _)| tag == "en").expect("en.json").1;
    let english_bases: BTreeSet<&str> = english.keys().map(|k| base(k)).collect();
    assert!(all.len() >= 13, "English and twelve languages: {:?}", all.iter().map(|(t, _)| t).collect::<Vec<_>>());
    for (tag, strings) in &all {
        let bases: BTreeSet<&str> = strings.keys().map(|k| base(k)).collect();
        let missing: Vec<_> = english_bases.difference(&bases).collect();
        assert!(missing.is_empty(), "{tag}.json lacks {missing:?}");
        let extra: Vec<_> = bases.difference(&english_bases).collect();
        assert!(extra.is_empty(), "{tag}.json has keys English lacks: {extra:?}");
        let id: unic_langid::LanguageIdentifier = tag.parse().unwrap();
        let language: unic_langid::LanguageIdentifier = id.language.as_str().parse().unwrap();
        let rules = PluralRules::create(id, PluralRuleType::CARDINAL).or_else(|_| PluralRules::create(language, PluralRuleType::CARDINAL)).unwrap();
        let needed: BTreeSet<&str> = (0..=1000u64).map(|n| category_name(rules.select(n).unwrap())).collect();
        for (key, text) in strings {
            assert!(!text.trim().is_empty(), "{tag}.json: {key} is empty");
            let group = base(key);
            let plural = group != key;
            if plural {
                for category in &needed {
                    let form = format!("{group}_{category}");
                    assert!(strings.contains_key(&form), "{tag}.json: {group} lacks the form {category} (its rules use {needed:?})");
                }
            }
            let english_text = if plural { english.get(&format!("{group}_other")) } else { english.get(key) };
            let Some(english_text) = english_text else { panic!("{tag}.json: {key} is not a message of en.json") };
            let mut want = placeholders(english_text);
            let have = placeholders(text);
            if plural {
                want.remove("count");
                let mut have = have.clone();
                have.remove("count");
                assert_eq!(have, want, "{tag}.json: {key} has other placeholders than English's {english_text:?}: {text:?}");
            } else {
                assert_eq!(have, want, "{tag}.json: {key} has other placeholders than English's {english_text:?}: {text:?}");
            }
        }
        let direction = strings.get("locale.dir").map(String::as_str);
        assert_eq!(direction, Some(if tag == "ar" { "rtl" } else { "ltr" }), "{tag}.json: locale.dir");
    }
}

/// The words of `text` outside its placeholders.
fn words(text: &str) -> usize {
    let mut outside = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    outside.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() > 1).count()
}

#[test]
fn no_english_phrase_is_left_in_a_translation() {
    let all = locales();
    let english = &all.iter().find(|(tag, _)| tag == "en").expect("en.json").1;
    let mut left = Vec::new();
    for (tag, strings) in all.iter().filter(|(tag, _)| tag != "en") {
        for (key, text) in strings {
            if english.get(key) == Some(text) && words(text) >= 3 {
                left.push(format!("{tag}.json: {key} = {text:?}"));
            }
        }
    }
    assert!(left.is_empty(), "English left in translations:\n{}", left.join("\n"));
    assert_eq!(words("Week {number}, {year}"), 1);
    assert_eq!(words("Take a break now"), 3, "one-letter words aside");
}
