//! The menu entry (`packaging/respite.desktop`) speaks every language Respite has: each
//! translatable line (`GenericName`, `Comment`, `Keywords`, each action's `Name`) is followed by
//! its `Key[ll_CC]=` lines, taken from the locale files' `desktop.*` keys. This test derives the
//! entry from the English lines and the locale files and compares; when a translation changes,
//! `UPDATE_DESKTOP_ENTRY=1 cargo test -p respite --test desktop_entry` writes the entry again.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Which locale key each translatable line of the entry comes from, by the line's English text.
const LINES: &[(&str, &str)] = &[
    ("GenericName=", "desktop.genericName"),
    ("Comment=", "desktop.comment"),
    ("Keywords=", "desktop.keywords"),
    ("Name=Take a break now", "desktop.action.break"),
    ("Name=Pause for 1 hour", "desktop.action.pause"),
    ("Name=Weekly summary", "desktop.action.summary"),
    ("Name=Settings", "desktop.action.settings"),
];

fn locales(root: &Path) -> Vec<(String, BTreeMap<String, String>)> {
    let mut found: Vec<_> = fs::read_dir(root.join("ui/locales"))
        .unwrap()
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let tag = path.file_name()?.to_str()?.strip_suffix(".json")?.to_owned();
            Some((tag, serde_json::from_str(&fs::read_to_string(&path).ok()?).ok()?))
        })
        .collect();
    found.sort_by(|a: &(String, _), b| a.0.cmp(&b.0));
    found
}

/// The entry with every translated line derived afresh from `english_only` (the entry with its
/// `Key[..]=` lines removed).
fn derive(english_only: &str, root: &Path) -> String {
    let locales = locales(root);
    let english = &locales.iter().find(|(tag, _)| tag == "en").expect("en.json").1;
    let mut out = String::new();
    for line in english_only.lines() {
        out.push_str(line);
        out.push('\n');
        let Some((_, key)) = LINES.iter().find(|(start, _)| line.starts_with(start) && (start.ends_with('=') || line == *start)) else { continue };
        let field = line.split('=').next().unwrap();
        assert_eq!(line.split_once('=').unwrap().1, english[*key], "the entry's {field} and en.json's {key} say the same");
        for (tag, strings) in locales.iter().filter(|(tag, _)| tag != "en") {
            let text = strings.get(*key).unwrap_or_else(|| panic!("{tag}.json lacks {key}"));
            assert!(!text.contains('\n'), "{tag}.json: {key} must be one line");
            out.push_str(&format!("{field}[{}]={text}\n", tag.replace('-', "_")));
        }
    }
    out
}

#[test]
fn the_menu_entry_has_every_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join("src-tauri/daemon/packaging/respite.desktop");
    let written = fs::read_to_string(&path).unwrap();
    let translated = |line: &str| line.split_once('=').is_some_and(|(key, _)| key.contains('['));
    let english_only: String = written.lines().filter(|line| !translated(line)).map(|l| format!("{l}\n")).collect();
    let expected = derive(&english_only, &root);
    if std::env::var_os("UPDATE_DESKTOP_ENTRY").is_some() {
        fs::write(&path, &expected).unwrap();
    } else {
        assert!(written == expected, "{} is not what the locale files say: run UPDATE_DESKTOP_ENTRY=1 cargo test -p respite --test desktop_entry", path.display());
    }
    assert!(expected.contains("Comment[de]=") && expected.contains("Name[ar]="), "the entry is translated");
    assert_eq!(expected.matches("\n[Desktop ").count(), 5, "the entry and its four actions keep their groups");
}
