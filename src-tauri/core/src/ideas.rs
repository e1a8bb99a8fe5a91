//! The person's own break ideas (`ideas.toml`, beside the settings): stretches and tips with a
//! name, an instruction, the kinds they fit and, optionally, a picture from the `ideas` folder
//! beside the file. They rotate with the built-in ones, or replace them (`replace = true`, for
//! the kinds they fit). A bad entry is reported like a bad setting (file, entry, reason) and
//! left out; the rest still load.
//!
//! ```toml
//! replace = false
//! [[idea]]
//! name = "Wall push-ups"
//! instruction = "Ten slow push-ups against a wall."
//! kinds = ["stretch", "walk"]
//! picture = "wall-push-ups.png"
//! ```

use crate::message::Message;
use crate::record::BreakKind;
use crate::settings::Problem;
use serde::Serialize;

/// The file's name, in the settings folder.
pub const FILE: &str = "ideas.toml";
/// The pictures' folder, in the settings folder.
pub const PICTURES: &str = "ideas";
/// Picture file types the overlay shows.
pub const PICTURE_TYPES: [&str; 5] = ["png", "jpg", "jpeg", "svg", "webp"];
/// Most ideas read.
const MAX_IDEAS: usize = 100;
const MAX_NAME: usize = 80;
const MAX_INSTRUCTION: usize = 400;

/// One idea.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Idea {
    pub name: String,
    pub instruction: String,
    pub kinds: Vec<BreakKind>,
    /// A file name in the pictures' folder.
    pub picture: Option<String>,
}

/// The ideas of the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ideas {
    pub list: Vec<Idea>,
    /// Only these, for the kinds they fit; else with the built-in ones.
    pub replace: bool,
}

impl Ideas {
    /// Those that fit `kind`.
    pub fn for_kind(&self, kind: BreakKind) -> Vec<&Idea> {
        self.list.iter().filter(|idea| idea.kinds.contains(&kind)).collect()
    }
}

/// Whether `name` may be served as a picture: a plain file name (no folder, not hidden) of a
/// picture type.
pub fn is_picture_name(name: &str) -> bool {
    let plain = !name.is_empty() && name.len() <= 128 && !name.starts_with('.') && !name.contains(['/', '\\', '\0']);
    let typed = name.rsplit_once('.').is_some_and(|(_, ext)| PICTURE_TYPES.contains(&ext.to_ascii_lowercase().as_str()));
    plain && typed
}

/// Reads the file's text; each bad entry is a problem (`idea.2.kinds`) and left out.
pub fn parse(text: &str) -> (Ideas, Vec<Problem>) {
    let mut ideas = Ideas::default();
    let mut problems = Vec::new();
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(e) => {
            problems.push(Problem { key: String::new(), reason: Message::new("problem.not_toml").text("detail", e.message()) });
            return (ideas, problems);
        }
    };
    for (key, value) in &table {
        match key.as_str() {
            "replace" => match value.as_bool() {
                Some(replace) => ideas.replace = replace,
                None => problems.push(Problem { key: key.clone(), reason: Message::new("problem.not_boolean").text("value", value) }),
            },
            "idea" => {
                let Some(entries) = value.as_array() else {
                    problems.push(Problem { key: key.clone(), reason: Message::new("problem.not_entries").text("value", value) });
                    continue;
                };
                for (place, entry) in entries.iter().enumerate().take(MAX_IDEAS) {
                    match entry.as_table().ok_or_else(|| (String::new(), Message::new("problem.not_entry").text("value", entry))).and_then(read_idea) {
                        Ok(idea) => ideas.list.push(idea),
                        Err((field, reason)) => {
                            let key = if field.is_empty() { format!("idea.{}", place + 1) } else { format!("idea.{}.{field}", place + 1) };
                            problems.push(Problem { key, reason });
                        }
                    }
                }
            }
            _ => problems.push(Problem { key: key.clone(), reason: Message::new("problem.unknown") }),
        }
    }
    (ideas, problems)
}

fn read_idea(entry: &toml::Table) -> Result<Idea, (String, Message)> {
    let text = |field: &str, max: usize| -> Result<String, (String, Message)> {
        match entry.get(field).and_then(toml::Value::as_str).map(str::trim) {
            Some(text) if !text.is_empty() && text.chars().count() <= max => Ok(text.to_owned()),
            Some(_) | None if entry.get(field).is_some() => Err((field.to_owned(), Message::new("problem.bad_idea_text").number("max", max as u64))),
            _ => Err((field.to_owned(), Message::new("problem.missing"))),
        }
    };
    if let Some(field) = entry.keys().find(|k| !["name", "instruction", "kinds", "picture"].contains(&k.as_str())) {
        return Err((field.clone(), Message::new("problem.unknown")));
    }
    let name = text("name", MAX_NAME)?;
    let instruction = text("instruction", MAX_INSTRUCTION)?;
    let kinds_value = entry.get("kinds").ok_or_else(|| ("kinds".to_owned(), Message::new("problem.missing")))?;
    let bad_kinds = || ("kinds".to_owned(), Message::new("problem.bad_kinds").text("value", kinds_value));
    let kinds: Vec<BreakKind> = kinds_value
        .as_array()
        .ok_or_else(bad_kinds)?
        .iter()
        .map(|k| k.as_str().and_then(|k| k.parse().ok()).ok_or_else(bad_kinds))
        .collect::<Result<_, _>>()?;
    if kinds.is_empty() {
        return Err(bad_kinds());
    }
    let picture = match entry.get("picture") {
        None => None,
        Some(value) => match value.as_str() {
            Some(name) if is_picture_name(name) => Some(name.to_owned()),
            _ => return Err(("picture".to_owned(), Message::new("problem.bad_picture").text("value", value))),
        },
    };
    Ok(Idea { name, instruction, kinds, picture })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideas_are_read_and_a_bad_entry_is_reported_with_its_place_while_the_rest_load() {
        let text = r#"
replace = true
[[idea]]
name = "Wall push-ups"
instruction = "Ten slow push-ups against a wall."
kinds = ["stretch", "walk"]
picture = "wall.png"
[[idea]]
name = "Water"
kinds = ["eye"]
[[idea]]
name = "Sky"
instruction = "Look at the sky."
kinds = ["eye"]
picture = "../secret.png"
[[idea]]
name = "Palming"
instruction = "Cup your palms over your closed eyes."
kinds = ["eye"]
"#;
        let (ideas, problems) = parse(text);
        assert!(ideas.replace);
        let names: Vec<&str> = ideas.list.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["Wall push-ups", "Palming"]);
        assert_eq!(ideas.list[0].picture.as_deref(), Some("wall.png"));
        assert_eq!(ideas.for_kind(BreakKind::Eye).len(), 1);
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["idea.2.instruction", "idea.3.picture"]);
        assert!(parse("[[idea]]\nname = 3\n").1[0].key == "idea.1.name");
        assert_eq!(parse("not toml").1.len(), 1);
    }

    #[test]
    fn only_plain_picture_file_names_may_be_served() {
        for ok in ["a.png", "Wall Push-ups.JPG", "x.svg", "y.webp"] {
            assert!(is_picture_name(ok), "{ok}");
        }
        for bad in ["", "../a.png", "a/b.png", ".hidden.png", "a.exe", "a", "a.png\0"] {
            assert!(!is_picture_name(bad), "{bad:?}");
        }
    }
}
