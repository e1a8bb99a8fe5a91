//! Every string key the Rust code asks the locale for (`t("…")`, `tf("…"`, `.get("…")`,
//! `.fill("…"`, `.count("…"`, `Message::new("…"`) is in `ui/locales/en.json`, so no one ever reads a bare key. Keys built at run
//! time (a kind's title) are covered by the pseudo-locale tests of the tray and the summary.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The literal keys passed to the locale in `source`.
fn keys_asked(source: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in ["t(\"", "tf(\"", ".get(\"", ".fill(\"", ".count(\"", "Message::new(\""] {
        for (at, _) in source.match_indices(call) {
            let rest = &source[at + call.len()..];
            let Some(end) = rest.find('"') else { continue };
            let key = &rest[..end];
            // Locale keys are dotted lower-case words; other .get("…") calls (maps, D-Bus) are not.
            let looks_like_key = key.contains('.') && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_') && !key.contains('{');
            if looks_like_key && ["tray.", "notify.", "time.", "hold.", "summary.", "day.", "welcome.", "settings.", "overlay.", "app.", "panel.", "cli.", "error.", "problem.", "format.", "list."].iter().any(|p| key.starts_with(p)) {
                keys.push(key.to_owned());
            }
        }
    }
    keys
}

#[test]
fn every_key_the_code_asks_for_is_in_the_english_locale() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let english: HashMap<String, String> = serde_json::from_str(&fs::read_to_string(root.join("../ui/locales/en.json")).unwrap()).unwrap();
    let mut files = Vec::new();
    for dir in ["core/src", "daemon/src", "src"] {
        rust_files(&root.join(dir), &mut files);
    }
    let mut asked = 0;
    for file in &files {
        for key in keys_asked(&fs::read_to_string(file).unwrap()) {
            asked += 1;
            assert!(english.contains_key(&key) || english.contains_key(&format!("{key}_other")), "{} asks for {key:?}, which ui/locales/en.json lacks", file.display());
        }
    }
    assert!(asked > 40, "the scan found only {asked} keys: is it still reading the right folders?");
}
