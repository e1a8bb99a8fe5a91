//! Changing `settings.toml` from the settings window: one key at a time, in the user's own text.
//!
//! The file is edited with `toml_edit` (the same parser as `toml`), so every comment, blank line
//! and the order of keys and tables stay as the user left them; only the value changes (its
//! trailing comment kept). A new value is checked by the same reader the daemon uses
//! ([`super::parse`]): if it gives a problem for that key, or a new problem elsewhere (a break
//! no shorter than its interval), it is refused with that problem's reason, so the window shows
//! exactly what the log would. A file that is not TOML at all cannot be edited, only reset.
//!
//! Writes are atomic: a temporary file in the same folder is written and flushed to disk, then
//! renamed over the old one, and the folder is flushed too. A failed write (full or read-only
//! disk, no permission) leaves the old file as it was and says why.

use crate::message::Message;
use super::{parse, Problem, DEFAULT_FILE};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use toml_edit::DocumentMut;

/// A value for one setting: what the settings window sends and shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Bool(bool),
    Integer(i64),
    /// Durations ("20m"), times ("23:00"), ranges ("09:00-18:00"), "off", "forever", "all".
    Text(String),
    /// A list of words (the apps that hold breaks).
    List(Vec<String>),
    /// A list of entries, each a few named fields (fixed-time breaks, reminders), written as
    /// inline tables.
    Entries(Vec<BTreeMap<String, FieldValue>>),
}

impl FieldValue {
    fn to_toml(&self) -> toml_edit::Value {
        match self {
            FieldValue::Bool(b) => (*b).into(),
            FieldValue::Integer(n) => (*n).into(),
            FieldValue::Text(s) => s.as_str().into(),
            FieldValue::List(items) => toml_edit::Value::Array(items.iter().map(String::as_str).collect()),
            FieldValue::Entries(entries) => {
                let mut array = toml_edit::Array::new();
                for entry in entries {
                    let mut table = toml_edit::InlineTable::new();
                    for (field, value) in entry {
                        table.insert(field, value.to_toml());
                    }
                    array.push(table);
                }
                toml_edit::Value::Array(array)
            }
        }
    }

    /// A TOML value as the window shows it; other types (floats, mixed arrays) as their TOML
    /// text.
    fn from_toml(value: &toml_edit::Value) -> Self {
        match value {
            toml_edit::Value::Boolean(b) => FieldValue::Bool(*b.value()),
            toml_edit::Value::Integer(n) => FieldValue::Integer(*n.value()),
            toml_edit::Value::String(s) => FieldValue::Text(s.value().clone()),
            toml_edit::Value::Array(items) if items.iter().all(|i| i.is_str()) => {
                FieldValue::List(items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
            }
            toml_edit::Value::Array(items) if items.iter().all(|i| i.is_inline_table()) => FieldValue::Entries(
                items
                    .iter()
                    .filter_map(toml_edit::Value::as_inline_table)
                    .map(|table| table.iter().map(|(field, value)| (field.to_owned(), FieldValue::from_toml(value))).collect())
                    .collect(),
            ),
            other => FieldValue::Text(other.to_string().trim().to_owned()),
        }
    }
}

/// One setting as the window shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Dotted key (`eye.interval`).
    pub key: String,
    /// The value in the file, or the default when the file does not set it.
    pub value: FieldValue,
    pub default: FieldValue,
}

/// Every setting of a file, and what is wrong in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    /// In the order of the default file.
    pub fields: Vec<Field>,
    /// The problems the daemon would report for this file.
    pub problems: Vec<Problem>,
}

/// A change that was not made.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{0}: not a setting Respite knows")]
    UnknownKey(String),
    /// The value gives this problem (the reader's own words).
    #[error("{0}")]
    Invalid(Problem),
    #[error("the settings file is not valid TOML, so it cannot be changed here (reset it, or fix it in an editor): {0}")]
    NotToml(String),
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: io::Error },
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl EditError {
    /// The refusal as a locale message, for the window to word in its language.
    pub fn message(&self) -> Message {
        match self {
            Self::UnknownKey(key) => Message::new("problem.not_a_setting").text("key", key),
            Self::Invalid(problem) => problem.message(),
            Self::NotToml(detail) => Message::new("problem.file_not_toml").text("detail", detail),
            Self::Read { path, source } => Message::new("problem.cannot_read").text("path", path).text("detail", source),
            Self::Write(WriteError { path, source }) => Message::new("problem.cannot_save").text("path", path).text("detail", describe(source)),
        }
    }
}

/// The file could not be written; the old one is unchanged.
#[derive(Debug, thiserror::Error)]
#[error("cannot save {path}: {}; the file was left as it was", describe(source))]
pub struct WriteError {
    pub path: String,
    #[source]
    pub source: io::Error,
}

impl WriteError {
    /// The disk is full (or the user's quota is).
    pub fn is_full(&self) -> bool {
        matches!(self.source.kind(), io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded)
    }
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => "the disk is full".into(),
        io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotADirectory => "a file stands where its folder should be".into(),
        _ => e.to_string(),
    }
}

/// Every settings key, dotted, in the order of the default file (`version` is not a setting).
pub fn keys() -> Vec<String> {
    default_fields().into_iter().map(|(key, _)| key).collect()
}

fn default_fields() -> Vec<(String, FieldValue)> {
    let doc: DocumentMut = DEFAULT_FILE.parse().expect("the default file is TOML");
    let mut out = Vec::new();
    for (table, item) in doc.iter() {
        let Some(fields) = item.as_table_like() else { continue };
        for (field, value) in fields.iter() {
            if let Some(value) = value.as_value() {
                out.push((format!("{table}.{field}"), FieldValue::from_toml(value)));
            }
        }
    }
    out
}

/// The value of every setting in `text` (defaults for those it leaves out), and its problems.
/// A file that is not TOML gives the defaults and its one problem.
pub fn fields(text: &str) -> Fields {
    let (_, problems) = parse(text);
    let doc = text.parse::<DocumentMut>().ok();
    let fields = default_fields()
        .into_iter()
        .map(|(key, default)| {
            let value = doc.as_ref().and_then(|doc| lookup(doc, &key)).map(FieldValue::from_toml).unwrap_or_else(|| default.clone());
            Field { key, value, default }
        })
        .collect();
    Fields { fields, problems }
}

fn lookup<'a>(doc: &'a DocumentMut, key: &str) -> Option<&'a toml_edit::Value> {
    let (table, field) = key.split_once('.')?;
    doc.get(table)?.as_table_like()?.get(field)?.as_value()
}

/// `text` with setting `key` set to `value`, everything else as it was. Refused when the key is
/// unknown, the text is not TOML, or the reader finds a problem with the new value.
pub fn set(text: &str, key: &str, value: &FieldValue) -> Result<String, EditError> {
    if !keys().iter().any(|k| k == key) {
        return Err(EditError::UnknownKey(key.to_owned()));
    }
    let (table, field) = key.split_once('.').expect("every known key is table.field");
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| EditError::NotToml(e.message().to_owned()))?;
    let item = doc.entry(table).or_insert_with(|| {
        let mut new = toml_edit::Table::new();
        new.decor_mut().set_prefix("\n");
        toml_edit::Item::Table(new)
    });
    let Some(fields) = item.as_table_like_mut() else {
        return Err(EditError::Invalid(Problem { key: table.to_owned(), reason: Message::new("problem.not_a_table").text("key", table) }));
    };
    match fields.get_mut(field).and_then(toml_edit::Item::as_value_mut) {
        Some(old) => {
            // Keep the spacing and the comment after the value.
            let decor = old.decor().clone();
            *old = value.to_toml();
            *old.decor_mut() = decor;
        }
        None => {
            fields.insert(field, toml_edit::Item::Value(value.to_toml()));
        }
    }
    let changed = doc.to_string();
    let (_, before) = parse(text);
    let (_, after) = parse(&changed);
    let problem = after.iter().find(|p| p.key == key).or_else(|| after.iter().find(|p| !before.contains(p)));
    match problem {
        Some(problem) => Err(EditError::Invalid(problem.clone())),
        None => Ok(changed),
    }
}

/// Whether `value` would be accepted for `key` in `text` (nothing is written).
pub fn check(text: &str, key: &str, value: &FieldValue) -> Result<(), EditError> {
    set(text, key, value).map(drop)
}

/// The text of the settings file at `path`; the default file if there is none yet.
pub fn read(path: &Path) -> Result<String, EditError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(DEFAULT_FILE.to_owned()),
        Err(source) => Err(EditError::Read { path: path.display().to_string(), source }),
    }
}

/// Sets `key` to `value` in the file at `path` (created from the defaults if missing).
pub fn save(path: &Path, key: &str, value: &FieldValue) -> Result<(), EditError> {
    let text = set(&read(path)?, key, value)?;
    Ok(write_atomic(path, &text)?)
}

/// Replaces the file at `path` with the default file (comments and all).
pub fn reset(path: &Path) -> Result<(), WriteError> {
    write_atomic(path, DEFAULT_FILE)
}

/// Writes `text` to `path` atomically: readers see the old file or the new one, never a part.
/// A symbolic link is followed, so the file it points to is replaced, not the link.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), WriteError> {
    replace(path, |file| file.write_all(text.as_bytes()))
}

/// Temporary files of this process get different names.
static COUNTER: AtomicU32 = AtomicU32::new(0);

fn replace(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> Result<(), WriteError> {
    let target = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()),
        _ => path.to_owned(),
    };
    let error = |source| WriteError { path: target.display().to_string(), source };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| match e.kind() {
        // A file where the folder should be: mkdir says "File exists", which misleads.
        io::ErrorKind::AlreadyExists => error(io::ErrorKind::NotADirectory.into()),
        _ => error(e),
    })?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "settings".into());
    let temp = dir.join(format!(".{name}.{}-{}.tmp", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&temp)?;
        if let Ok(old) = fs::metadata(&target) {
            file.set_permissions(old.permissions())?;
        }
        write(&mut file)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, &target)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(error(e));
    }
    // The rename is durable once the folder is flushed (some file systems cannot flush one).
    match File::open(&dir).and_then(|d| d.sync_all()) {
        Err(e) if !matches!(e.kind(), io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported) => Err(error(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    const USER_FILE: &str = r#"# My Respite settings.
version = 1

# Eyes first.
[eye]
interval = "20m"   # what my optician said
duration = "20s"

[sound]
# Quiet office.
volume = 20
"#;

    fn text(s: &str) -> FieldValue {
        FieldValue::Text(s.into())
    }

    #[test]
    fn a_change_keeps_every_comment_and_the_order() {
        let changed = set(USER_FILE, "eye.interval", &text("25m")).unwrap();
        assert_eq!(changed, USER_FILE.replace("interval = \"20m\"", "interval = \"25m\""));
        let changed = set(&changed, "sound.volume", &FieldValue::Integer(35)).unwrap();
        assert!(changed.contains("# Quiet office.\nvolume = 35\n"), "{changed}");
        assert!(changed.starts_with("# My Respite settings.\nversion = 1\n\n# Eyes first.\n[eye]\n"), "{changed}");
    }

    #[test]
    fn a_missing_key_or_table_is_added_and_the_rest_stays() {
        let changed = set(USER_FILE, "eye.strict", &FieldValue::Bool(true)).unwrap();
        assert!(changed.contains("duration = \"20s\"\nstrict = true\n"), "{changed}");
        let changed = set(&changed, "walk.enabled", &FieldValue::Bool(false)).unwrap();
        assert!(changed.starts_with(&USER_FILE.replace("duration = \"20s\"\n", "duration = \"20s\"\nstrict = true\n")), "{changed}");
        assert!(changed.ends_with("volume = 20\n\n[walk]\nenabled = false\n"), "{changed}");
        let (settings, problems) = parse(&changed);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(settings.rules.strict[0] && !settings.plans.0[2].enabled);
    }

    #[test]
    fn a_bad_value_is_refused_with_the_readers_reason() {
        let err = set(USER_FILE, "eye.interval", &text("soon")).unwrap_err();
        let EditError::Invalid(problem) = err else { panic!("{err:?}") };
        let (_, logged) = parse("[eye]\ninterval = \"soon\"\n");
        assert_eq!(problem, logged[0], "the window shows what the log says");
        assert!(problem.reason.english().contains("\"soon\" is not a duration"), "{problem}");
        let err = check(USER_FILE, "sound.volume", &FieldValue::Integer(101)).unwrap_err();
        assert_eq!(err.to_string(), "sound.volume: must be a whole number from 0 to 100, not 101");
        let err = check(USER_FILE, "eye.enabled", &text("yes")).unwrap_err();
        assert_eq!(err.to_string(), "eye.enabled: must be true or false, not \"yes\"");
    }

    #[test]
    fn a_value_that_breaks_another_key_is_refused_with_that_reason() {
        let err = check(USER_FILE, "eye.interval", &text("10s")).unwrap_err();
        let EditError::Invalid(problem) = err else { panic!("{err:?}") };
        assert_eq!(problem.key, "eye.duration");
        assert!(problem.reason.english().contains("must be shorter than the interval"), "{problem}");
        // A problem already in the file does not block changes to other keys.
        let broken = USER_FILE.replace("volume = 20", "volume = 200");
        assert!(check(&broken, "eye.interval", &text("30m")).is_ok());
        assert!(check(&broken, "sound.volume", &FieldValue::Integer(30)).is_ok());
    }

    #[test]
    fn unknown_keys_and_files_that_are_not_toml_are_refused() {
        assert!(matches!(check(USER_FILE, "eye.colour", &text("blue")), Err(EditError::UnknownKey(k)) if k == "eye.colour"));
        assert!(matches!(check(USER_FILE, "version", &FieldValue::Integer(2)), Err(EditError::UnknownKey(_))));
        assert!(matches!(check(USER_FILE, "nap.length", &text("5m")), Err(EditError::UnknownKey(_))));
        assert!(matches!(check("[eye\n", "eye.interval", &text("5m")), Err(EditError::NotToml(_))));
    }

    #[test]
    fn fields_show_the_files_values_the_defaults_and_the_problems() {
        let all = fields(&USER_FILE.replace("volume = 20", "volume = 200"));
        assert_eq!(all.fields.len(), keys().len());
        assert_eq!(all.fields[0].key, "eye.enabled");
        let get = |key: &str| all.fields.iter().find(|f| f.key == key).unwrap().clone();
        assert_eq!(get("eye.interval").value, text("20m"));
        assert_eq!(get("sound.volume").value, FieldValue::Integer(200));
        assert_eq!(get("sound.volume").default, FieldValue::Integer(50));
        assert_eq!(get("hours.mon").value, text("09:00-18:00"), "a key the file leaves out shows its default");
        assert_eq!(all.problems.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(), ["sound.volume"]);
        assert!(keys().iter().all(|k| k.contains('.')) && keys().contains(&"log.keep".to_owned()));
        assert_eq!(fields("[eye\n").problems.len(), 1);
    }

    #[test]
    fn saving_and_resetting_real_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        save(&path, "walk.interval", &text("2h")).unwrap();
        let created = fs::read_to_string(&path).unwrap();
        assert_eq!(created, DEFAULT_FILE.replace("interval = \"110m\"", "interval = \"2h\""), "a missing file starts from the defaults");
        fs::write(&path, USER_FILE).unwrap();
        save(&path, "eye.interval", &text("30m")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), USER_FILE.replace("\"20m\"", "\"30m\""));
        assert!(matches!(save(&path, "eye.interval", &text("never")), Err(EditError::Invalid(_))));
        assert_eq!(fs::read_to_string(&path).unwrap(), USER_FILE.replace("\"20m\"", "\"30m\""), "a refused value writes nothing");
        reset(&path).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), DEFAULT_FILE);
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["settings.toml"], "no temporary file is left");
    }

    #[test]
    fn the_files_mode_and_a_symlink_are_kept() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles/settings.toml");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        fs::write(&real, USER_FILE).unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("settings.toml");
        symlink(&real, &link).unwrap();
        save(&link, "eye.duration", &text("30s")).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert!(fs::read_to_string(&real).unwrap().contains("duration = \"30s\""));
        assert_eq!(fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_old_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        fs::write(&path, USER_FILE).unwrap();
        let failed = replace(&path, |file| {
            file.write_all(b"[eye]\ninterval = \"5")?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        })
        .unwrap_err();
        assert!(failed.is_full());
        assert!(failed.to_string().contains("the disk is full; the file was left as it was"), "{failed}");
        assert_eq!(fs::read_to_string(&path).unwrap(), USER_FILE);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary file is removed");
    }

    #[test]
    fn a_folder_that_cannot_exist_gives_a_clear_error() {
        // Tests run as root, so permissions do not stop a write: a parent that is a file does.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        fs::write(&file, "x").unwrap();
        let path = file.join("settings.toml");
        let err = reset(&path).unwrap_err();
        assert_eq!(err.to_string(), format!("cannot save {}: a file stands where its folder should be; the file was left as it was", path.display()));
        let err = save(&path, "eye.interval", &text("25m")).unwrap_err();
        assert!(matches!(err, EditError::Read { .. }), "{err}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "x");
    }

    /// A tmpfs mounted for one test (needs root; the test is skipped otherwise).
    struct Tmpfs(PathBuf);

    impl Tmpfs {
        fn mount(at: &Path, options: &str) -> Option<Self> {
            let ok = Command::new("mount").args(["-t", "tmpfs", "-o", options, "tmpfs"]).arg(at).status();
            ok.is_ok_and(|s| s.success()).then(|| Self(at.to_owned()))
        }

        fn remount(&self, options: &str) {
            assert!(Command::new("mount").args(["-o", options]).arg(&self.0).status().unwrap().success());
        }
    }

    impl Drop for Tmpfs {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }

    #[test]
    fn a_full_or_read_only_disk_is_reported_and_the_old_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let Some(disk) = Tmpfs::mount(dir.path(), "size=64k") else {
            // In CI (root) every test must run.
            assert!(std::env::var_os("CI").is_none(), "a_full_or_read_only_disk…: cannot mount a tmpfs here (not root?)");
            eprintln!("SKIPPED a_full_or_read_only_disk…: cannot mount a tmpfs here (not root?)");
            return;
        };
        let path = dir.path().join("settings.toml");
        fs::write(&path, USER_FILE).unwrap();
        let mut filler = File::create(dir.path().join("filler")).unwrap();
        while filler.write_all(&[0; 4096]).is_ok() {}
        drop(filler);
        let long = format!("{USER_FILE}{}", "# padding\n".repeat(2000));
        let err = write_atomic(&path, &long).unwrap_err();
        assert!(err.is_full(), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), USER_FILE);
        fs::remove_file(dir.path().join("filler")).unwrap();

        disk.remount("remount,ro");
        let err = save(&path, "eye.interval", &text("25m")).unwrap_err();
        assert!(err.to_string().contains("the disk is read-only; the file was left as it was"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), USER_FILE);
        disk.remount("remount,rw");
        save(&path, "eye.interval", &text("25m")).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
