//! Which language Respite speaks: the desktop's, as GNOME and KDE apps choose it. gettext's
//! order: `LANGUAGE` (a list, in order of preference) unless the messages locale is `C`/`POSIX`,
//! then the messages locale itself (`LC_ALL`, else `LC_MESSAGES`, else `LANG`); English when
//! none of them is a language Respite has. `RESPITE_LOCALE` overrides them all (a tag such as
//! `de` or `pt-BR`, or `pseudo`). The daemon and `respite-ui` run this on the same environment
//! (the daemon starts the shell), so they agree; a change applies at the next start.

/// What to speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// A locale file's tag (`en`, `pt-BR`).
    Tag(&'static str),
    /// English, accented and bracketed, to see what did not come from a locale file.
    Pseudo,
}

/// The choice for an environment read through `var`, among the locale files `available`.
pub fn choose(var: impl Fn(&str) -> Option<String>, available: &[&'static str]) -> Choice {
    let english = Choice::Tag("en");
    if let Some(wanted) = var("RESPITE_LOCALE").filter(|v| !v.is_empty()) {
        if wanted == "pseudo" {
            return Choice::Pseudo;
        }
        return matching(&wanted, available).map_or(english, Choice::Tag);
    }
    let messages = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(|name| var(name).filter(|v| !v.is_empty()));
    if messages.as_deref().is_none_or(is_c_locale) {
        return english;
    }
    let listed = var("LANGUAGE").unwrap_or_default();
    listed
        .split(':')
        .chain(messages.as_deref())
        .filter(|entry| !entry.is_empty())
        .find_map(|entry| matching(entry, available))
        .map_or(english, Choice::Tag)
}

fn is_c_locale(locale: &str) -> bool {
    let name = locale.split(['.', '@']).next().unwrap_or_default();
    name == "C" || name == "POSIX"
}

/// The locale file for a POSIX locale name (`pt_BR.UTF-8@euro`) or a tag (`pt-BR`): the same
/// language and region, else the language alone; Chinese only in its simplified script.
fn matching(entry: &str, available: &[&'static str]) -> Option<&'static str> {
    let name = entry.split(['.', '@']).next().unwrap_or_default().replace('_', "-");
    let mut parts = name.split('-');
    let language = parts.next().filter(|l| !l.is_empty())?.to_ascii_lowercase();
    let rest: Vec<String> = parts.map(str::to_owned).collect();
    let exact = std::iter::once(language.clone()).chain(rest.iter().cloned()).collect::<Vec<_>>().join("-");
    if let Some(tag) = available.iter().find(|tag| tag.eq_ignore_ascii_case(&exact)) {
        return Some(tag);
    }
    if language == "zh" {
        let simplified = rest.iter().any(|part| ["CN", "SG", "Hans"].iter().any(|s| part.eq_ignore_ascii_case(s))) || rest.is_empty();
        return simplified.then(|| available.iter().find(|tag| tag.eq_ignore_ascii_case("zh-CN")).copied()).flatten();
    }
    available.iter().find(|tag| tag.split('-').next().is_some_and(|l| l.eq_ignore_ascii_case(&language))).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAVE: &[&str] = &["ar", "de", "en", "fr", "pt-BR", "zh-CN"];

    fn with(vars: &[(&str, &str)]) -> Choice {
        choose(|name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned()), HAVE)
    }

    #[test]
    fn the_desktop_language_is_followed_in_gettext_order() {
        assert_eq!(with(&[("LANG", "de_DE.UTF-8")]), Choice::Tag("de"));
        assert_eq!(with(&[("LANG", "de_DE.UTF-8"), ("LC_MESSAGES", "fr_FR.UTF-8")]), Choice::Tag("fr"));
        assert_eq!(with(&[("LANG", "de_DE.UTF-8"), ("LC_MESSAGES", "fr_FR.UTF-8"), ("LC_ALL", "ar_EG.UTF-8")]), Choice::Tag("ar"));
        assert_eq!(with(&[("LANG", "de_DE.UTF-8"), ("LANGUAGE", "sv:fr:de")]), Choice::Tag("fr"), "the first listed language Respite has");
        assert_eq!(with(&[("LANG", "de_DE.UTF-8"), ("LANGUAGE", "sv:nb")]), Choice::Tag("de"), "then the locale itself");
        assert_eq!(with(&[("LANG", "sv_SE.UTF-8")]), Choice::Tag("en"), "English when Respite lacks the language");
        assert_eq!(with(&[]), Choice::Tag("en"));
    }

    #[test]
    fn the_c_locale_is_english_even_with_a_language_list() {
        assert_eq!(with(&[("LANG", "C.UTF-8"), ("LANGUAGE", "de")]), Choice::Tag("en"));
        assert_eq!(with(&[("LC_ALL", "POSIX"), ("LANG", "de_DE.UTF-8")]), Choice::Tag("en"));
    }

    #[test]
    fn regions_scripts_and_the_override() {
        assert_eq!(with(&[("LANG", "pt_BR.UTF-8")]), Choice::Tag("pt-BR"));
        assert_eq!(with(&[("LANG", "pt_PT.UTF-8")]), Choice::Tag("pt-BR"), "the nearest Portuguese");
        assert_eq!(with(&[("LANG", "zh_CN.UTF-8")]), Choice::Tag("zh-CN"));
        assert_eq!(with(&[("LANG", "zh_TW.UTF-8")]), Choice::Tag("en"), "no traditional Chinese: not the simplified one");
        assert_eq!(with(&[("LANG", "de_AT.UTF-8@euro")]), Choice::Tag("de"));
        assert_eq!(with(&[("RESPITE_LOCALE", "pt-BR"), ("LANG", "de_DE.UTF-8")]), Choice::Tag("pt-BR"));
        assert_eq!(with(&[("RESPITE_LOCALE", "pseudo")]), Choice::Pseudo);
        assert_eq!(with(&[("RESPITE_LOCALE", "xx"), ("LANG", "de_DE.UTF-8")]), Choice::Tag("en"), "an override Respite cannot follow");
    }
}
