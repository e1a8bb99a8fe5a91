//! GNOME's own break reminders (GNOME 48 and later, Settings → Wellbeing): the GSettings schema
//! `org.gnome.desktop.break-reminders`, whose `selected-breaks` lists the kinds that are on
//! (`eyesight`, `movement`; empty, the default, is off). With Respite's breaks as well, both would
//! nag.
//!
//! At start the daemon reads the setting once (no watching, no `gsettings` process). When GNOME's
//! reminders are on it says so once ever, in a notification that offers to turn them off (where
//! the notification server shows actions), and remembers that it told ([`Once`]). GNOME's
//! reminders are switched off only when the person says so: that action, or `respite
//! gnome-reminders off`. Older GNOME and other desktops have no such schema, and nothing happens.
//!
//! GSettings is read through the GIO that GTK links anyway. The schema is looked up before any
//! `gio::Settings` is made, and the key's type checked (GLib aborts the process on a missing
//! schema or key).

use crate::notify;
use crate::once::Once;
#[cfg(target_os = "linux")]
use gtk::gio;
#[cfg(target_os = "linux")]
use gtk::gio::prelude::*;
use respite_core::text::{self, Texts};
use std::path::PathBuf;
use std::time::Duration;

pub const SCHEMA: &str = "org.gnome.desktop.break-reminders";
const KEY: &str = "selected-breaks";

/// How long the notification offers to turn GNOME's reminders off.
const OFFER_FOR: Duration = Duration::from_secs(3600);

/// GNOME's break reminders, as found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reminders {
    /// This desktop has no such setting (GNOME before 48, other desktops).
    Absent,
    Off,
    /// On, for these kinds (GNOME's names: `eyesight`, `movement`).
    On(Vec<String>),
}

/// GNOME's reminders could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum GnomeError {
    #[error("the installed {SCHEMA} schema is not one Respite knows ({0})")]
    UnknownSchema(String),
    #[error("GSettings: {0}")]
    Settings(String),
    #[error("the setting {SCHEMA} {KEY} cannot be changed (locked by an administrator?)")]
    NotWritable,
}

/// Where GNOME's setting is read and written: the desktop's own GSettings (schemas and backend
/// as GLib finds them, `GSETTINGS_SCHEMA_DIR` and `GSETTINGS_BACKEND` included), or given files.
pub struct GnomeReminders {
    /// A folder with `gschemas.compiled` instead of the system's schemas (tests).
    schemas: Option<PathBuf>,
    /// A key file instead of the default settings backend (tests).
    keyfile: Option<PathBuf>,
}

impl GnomeReminders {
    /// The desktop's own.
    pub fn from_env() -> Self {
        GnomeReminders { schemas: None, keyfile: None }
    }

    #[cfg(test)]
    fn with_files(schemas: PathBuf, keyfile: PathBuf) -> Self {
        GnomeReminders { schemas: Some(schemas), keyfile: Some(keyfile) }
    }
}

/// GNOME runs on Linux (and BSDs, which Respite does not build for yet); elsewhere there is no
/// such setting.
#[cfg(not(target_os = "linux"))]
impl GnomeReminders {
    pub fn read(&self) -> Result<Reminders, GnomeError> {
        let _ = (&self.schemas, &self.keyfile);
        Ok(Reminders::Absent)
    }

    pub fn turn_off(&self) -> Result<Reminders, GnomeError> {
        self.read()
    }
}

#[cfg(target_os = "linux")]
impl GnomeReminders {
    /// The settings object, or `None` when there is no such schema.
    fn settings(&self) -> Result<Option<gio::Settings>, GnomeError> {
        let source = match &self.schemas {
            Some(dir) => Some(gio::SettingsSchemaSource::from_directory(dir, None, false).map_err(|e| GnomeError::Settings(e.to_string()))?),
            None => gio::SettingsSchemaSource::default(),
        };
        let Some(schema) = source.and_then(|source| source.lookup(SCHEMA, true)) else { return Ok(None) };
        if !schema.has_key(KEY) {
            return Err(GnomeError::UnknownSchema(format!("it has no key {KEY}")));
        }
        let found = schema.key(KEY).value_type();
        if found.as_str() != "as" {
            return Err(GnomeError::UnknownSchema(format!("{KEY} is of type {found}, not a list of strings")));
        }
        let settings = match &self.keyfile {
            Some(file) => {
                let file = file.to_str().ok_or_else(|| GnomeError::Settings("the key file's path is not UTF-8".into()))?;
                gio::Settings::new_full(&schema, Some(&gio::keyfile_settings_backend_new(file, "/", None)), None)
            }
            None => gio::Settings::new_full(&schema, None::<&gio::SettingsBackend>, None),
        };
        Ok(Some(settings))
    }

    /// Whether GNOME's reminders are on, and for which kinds.
    pub fn read(&self) -> Result<Reminders, GnomeError> {
        let Some(settings) = self.settings()? else { return Ok(Reminders::Absent) };
        let kinds: Vec<String> = settings.strv(KEY).iter().map(|kind| kind.to_string()).filter(|kind| !kind.trim().is_empty()).collect();
        Ok(if kinds.is_empty() { Reminders::Off } else { Reminders::On(kinds) })
    }

    /// Turns GNOME's reminders off (an empty `selected-breaks`, as Settings → Wellbeing does)
    /// and waits until the change is written. Returns how they were before.
    pub fn turn_off(&self) -> Result<Reminders, GnomeError> {
        let Some(settings) = self.settings()? else { return Ok(Reminders::Absent) };
        let before = self.read()?;
        if before == Reminders::Off {
            return Ok(before);
        }
        if !settings.is_writable(KEY) {
            return Err(GnomeError::NotWritable);
        }
        settings.set_strv(KEY, gtk::glib::StrV::new()).map_err(|e| GnomeError::Settings(e.to_string()))?;
        gio::Settings::sync();
        Ok(before)
    }
}

/// GNOME's names for its kinds of break, in the person's words where Respite has them.
pub fn kinds_text(texts: &Texts, kinds: &[String]) -> String {
    let words: Vec<String> = kinds
        .iter()
        .map(|kind| match kind.as_str() {
            "eyesight" => texts.get("notify.gnome.kind.eyesight").to_owned(),
            "movement" => texts.get("notify.gnome.kind.movement").to_owned(),
            other => other.to_owned(),
        })
        .collect();
    words.join(", ")
}

/// Reads GNOME's reminders once and, if they are on and this was never told, tells it (offering
/// to turn them off); see the module documentation. Returns at once.
pub fn tell_if_on(once: Once) {
    if once.told() {
        tracing::info!("GNOME's break reminders: what Respite found was told before");
        return;
    }
    let spawned = std::thread::Builder::new().name("gnome-reminders".into()).spawn(move || match GnomeReminders::from_env().read() {
        Ok(Reminders::Absent) => tracing::info!("GNOME's break reminders: none on this desktop (no {SCHEMA} schema)"),
        Ok(Reminders::Off) => tracing::info!("GNOME's break reminders: off"),
        Ok(Reminders::On(kinds)) => {
            tracing::info!(?kinds, "GNOME's break reminders are on as well: telling once, offering to turn them off");
            let texts = text::texts();
            let turn_off = notify::Action { key: "turn-off", label: texts.get("notify.gnome.turn_off").to_owned(), lasts: OFFER_FOR, chosen: Box::new(turn_off_as_asked) };
            drop(notify::ask(texts.get("notify.gnome.title").to_owned(), texts.fill("notify.gnome.body", &[("kinds", &kinds_text(texts, &kinds))]), turn_off.into()));
            once.remember();
        }
        Err(e) => tracing::warn!("cannot read GNOME's break reminders: {e}"),
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot start reading GNOME's break reminders: {e}");
    }
}

/// The notification's action was chosen: turn GNOME's reminders off, and say how it went.
fn turn_off_as_asked() {
    match GnomeReminders::from_env().turn_off() {
        Ok(before) => {
            tracing::info!(?before, "GNOME's break reminders turned off, as asked in the notification");
            notify::send(text::t("notify.gnome.turned_off.title"), text::t("notify.gnome.turned_off.body"));
        }
        Err(e) => {
            tracing::warn!("cannot turn GNOME's break reminders off: {e}");
            notify::send(text::t("notify.gnome.failed.title"), e.to_string());
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::path::Path;

    /// Compiles a stand-in of GNOME 48's schema (or, as `id`, another one) into `dir`, with `key`
    /// as its `selected-breaks` (or none).
    fn compile(dir: &Path, id: &str, key: Option<&str>) {
        std::fs::create_dir_all(dir).unwrap();
        let xml = format!(
            r#"<schemalist><schema id="{id}" path="/org/gnome/desktop/break-reminders/">{}<key name="other" type="b"><default>true</default></key></schema></schemalist>"#,
            key.unwrap_or_default()
        );
        std::fs::write(dir.join(format!("{id}.gschema.xml")), xml).unwrap();
        let status = std::process::Command::new("glib-compile-schemas").arg(dir).status().expect("glib-compile-schemas (libglib2.0-bin, installed with libgtk-3-dev)");
        assert!(status.success());
    }

    fn compile_schema(dir: &Path, key: Option<&str>) {
        compile(dir, SCHEMA, key);
    }

    const SELECTED: &str = r#"<key name="selected-breaks" type="as"><default>[]</default></key>"#;

    #[test]
    fn reminders_read_as_on_off_or_absent_and_turning_off_writes_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let schemas = dir.path().join("schemas");
        compile_schema(&schemas, Some(SELECTED));
        let keyfile = dir.path().join("keyfile");
        let gnome = GnomeReminders::with_files(schemas, keyfile.clone());
        assert_eq!(gnome.read().unwrap(), Reminders::Off, "off by default, as in GNOME");
        std::fs::write(&keyfile, "[org/gnome/desktop/break-reminders]\nselected-breaks=['eyesight', 'movement']\nother=false\n").unwrap();
        assert_eq!(gnome.read().unwrap(), Reminders::On(vec!["eyesight".into(), "movement".into()]));

        assert_eq!(gnome.turn_off().unwrap(), Reminders::On(vec!["eyesight".into(), "movement".into()]), "it says how they were");
        assert_eq!(gnome.read().unwrap(), Reminders::Off);
        let written = std::fs::read_to_string(&keyfile).unwrap();
        assert!(written.lines().any(|l| l == "selected-breaks=[]" || l == "selected-breaks=@as []"), "{written}");
        assert!(written.contains("other=false"), "nothing else changes: {written}");
        assert_eq!(gnome.turn_off().unwrap(), Reminders::Off, "turning off twice is fine");
    }

    #[test]
    fn no_schema_is_absent_and_a_schema_of_another_shape_is_an_error_not_an_abort() {
        let dir = tempfile::tempdir().unwrap();
        let keyfile = dir.path().join("keyfile");
        let older_gnome = dir.path().join("older-gnome");
        compile(&older_gnome, "org.gnome.desktop.other", Some(SELECTED));
        let absent = GnomeReminders::with_files(older_gnome, keyfile.clone());
        assert_eq!(absent.read().unwrap(), Reminders::Absent);
        assert_eq!(absent.turn_off().unwrap(), Reminders::Absent);

        let without_key = dir.path().join("without-key");
        compile_schema(&without_key, None);
        assert!(matches!(GnomeReminders::with_files(without_key, keyfile.clone()).read(), Err(GnomeError::UnknownSchema(_))));
        let other_type = dir.path().join("other-type");
        compile_schema(&other_type, Some(r#"<key name="selected-breaks" type="s"><default>''</default></key>"#));
        assert!(matches!(GnomeReminders::with_files(other_type, keyfile).read(), Err(GnomeError::UnknownSchema(_))));
    }

    #[test]
    fn the_kinds_are_named_in_the_locale_and_unknown_ones_as_gnome_names_them() {
        let kinds = ["eyesight".to_owned(), "movement".to_owned(), "posture".to_owned()];
        assert_eq!(kinds_text(&Texts::english(), &kinds), "eye breaks, movement breaks, posture");
        assert!(text::is_pseudo(&kinds_text(&Texts::pseudo(), &kinds[..2])));
    }
}
