//! The shared history folder in the daemon (`[devices] folder`; the format and the reading are
//! `respite_core::devices`): this device's breaks and time at the screen go out to files of its
//! own there, and the other devices' come into the store, where the summary reads them.
//!
//! Out goes from the store, not from the events: the last row id written of each table is kept
//! in `shared-upto` in the data folder, with the folder it was written to. Whatever could not be
//! written (the folder missing or not mounted, read-only, a full disk) is written when it works
//! again, and a history logged before the folder was set goes out the first time, [`BATCH`]
//! rows a turn. Nothing is ever rewritten: each row goes out once. `device.json` (the name and
//! when this device last wrote) is replaced at most every [`HEADER_EVERY`].
//!
//! In comes at start, every [`IMPORT_EVERY`], and before the summary window opens; `respite
//! summary` imports too ([`import_for_reading`]), so it is current without the daemon.

use respite_core::devices::{host_name, scan, DeviceId, DeviceWriter};
use respite_core::paths::Paths;
use respite_core::settings::{DevicesPrefs, Settings};
use respite_core::store::Store;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Rows written in one turn (a first export of years of history takes several).
const BATCH: u32 = 2_000;
/// How often other devices' files are looked at.
pub const IMPORT_EVERY: Duration = Duration::from_secs(5 * 60);
/// How often `device.json` says when this device last wrote.
const HEADER_EVERY: Duration = Duration::from_secs(10 * 60);
/// After something was logged, how long to gather more before writing.
const GATHER: Duration = Duration::from_secs(2);
/// After a failed write, when to try again.
const RETRY: Duration = Duration::from_secs(60);

/// How far this device's rows have gone out, and to which folder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Upto {
    folder: PathBuf,
    breaks: i64,
    activity: i64,
}

/// See the module documentation.
pub struct SharedHistory {
    writer: DeviceWriter,
    /// The folder and name it was opened with (another of either opens it again).
    opened_with: (Option<PathBuf>, Option<String>),
    upto: Upto,
    upto_file: PathBuf,
    /// Monotonic times: the next write out (`None`: nothing new), the next import, and the
    /// last `device.json`.
    export_at: Option<Duration>,
    import_at: Duration,
    header_at: Option<Duration>,
    /// The last problem said, so each is said once.
    told: Option<String>,
}

impl SharedHistory {
    /// The shared history `prefs` ask for, with this device's id kept in `data_dir`; `None`
    /// when it is off. An id that cannot be read or made is an error (no folder is written
    /// under a made-up id).
    pub fn open(prefs: &DevicesPrefs, data_dir: &Path, now: Duration) -> Result<Option<Self>, String> {
        let Some(folder) = prefs.folder.clone() else { return Ok(None) };
        let id = DeviceId::load_or_create(data_dir).map_err(|e| format!("this computer's id for the shared history: {e}"))?;
        let name = prefs.name.clone().or_else(host_name).unwrap_or_else(|| id.as_str().to_owned());
        let upto_file = data_dir.join("shared-upto");
        let upto = std::fs::read_to_string(&upto_file)
            .ok()
            .and_then(|text| serde_json::from_str::<Upto>(&text).ok())
            .filter(|upto| upto.folder == folder)
            .unwrap_or(Upto { folder: folder.clone(), ..Upto::default() });
        tracing::info!(folder = %folder.display(), device = id.as_str(), %name, "shared history folder");
        let opened_with = (prefs.folder.clone(), prefs.name.clone());
        Ok(Some(Self { writer: DeviceWriter { folder, id, name }, opened_with, upto, upto_file, export_at: Some(now), import_at: now, header_at: None, told: None }))
    }

    /// Whether `prefs` ask for this same folder and name (sharing the check-ins or not is read
    /// when one is given).
    pub fn prefs_match(&self, prefs: &DevicesPrefs) -> bool {
        (prefs.folder.as_ref(), prefs.name.as_ref()) == (self.opened_with.0.as_ref(), self.opened_with.1.as_ref())
    }

    /// Something was logged: write it out soon.
    pub fn logged(&mut self, now: Duration) {
        let soon = now.saturating_add(GATHER);
        self.export_at = Some(self.export_at.map_or(soon, |at| at.min(soon)));
    }

    /// The next import now (the summary window is opening).
    pub fn import_now(&mut self, store: &mut Store, now: Duration, wall: chrono::DateTime<chrono::Utc>) {
        self.import_at = now;
        self.run(store, now, wall);
    }

    pub fn next_deadline(&self) -> Option<Duration> {
        [self.export_at, Some(self.import_at)].into_iter().flatten().min()
    }

    /// Writes out and imports what is due. Returns a problem to show, once each.
    pub fn run(&mut self, store: &mut Store, now: Duration, wall: chrono::DateTime<chrono::Utc>) -> Option<String> {
        let mut problem = None;
        if self.export_at.is_some_and(|at| at <= now) {
            match self.export(store, now, wall) {
                Ok(more) => self.export_at = more.then_some(now),
                Err(e) => {
                    self.export_at = Some(now.saturating_add(RETRY));
                    problem = Some(e);
                }
            }
        }
        if self.import_at <= now {
            self.import_at = now.saturating_add(IMPORT_EVERY);
            let scan = scan(&self.writer.folder, &self.writer.id);
            for found in &scan.problems {
                tracing::info!("shared history folder: {found:?}");
            }
            match store.import_devices(&scan) {
                Ok(report) if report.breaks_added + report.spans_added > 0 || !report.problems.is_empty() => {
                    tracing::info!(breaks = report.breaks_added, spans = report.spans_added, files = report.files_read, problems = report.problems.len(), "other devices' history imported");
                }
                Ok(_) => {}
                Err(e) => problem = Some(format!("cannot keep other devices' history: {e}")),
            }
        }
        match problem {
            Some(p) if self.told.as_ref() != Some(&p) => {
                tracing::warn!("shared history folder: {p}");
                self.told = Some(p.clone());
                Some(p)
            }
            Some(_) => None,
            None => {
                self.told = None;
                None
            }
        }
    }

    /// Writes out up to [`BATCH`] new rows of each table; `Ok(true)` when more remain.
    fn export(&mut self, store: &Store, now: Duration, wall: chrono::DateTime<chrono::Utc>) -> Result<bool, String> {
        let breaks = store.breaks_after_id(self.upto.breaks, BATCH).map_err(|e| e.to_string())?;
        let spans = store.activity_after_id(self.upto.activity, BATCH).map_err(|e| e.to_string())?;
        if breaks.is_empty() && spans.is_empty() {
            return Ok(false);
        }
        let pairs: Vec<_> = spans.iter().map(|(_, span)| (span.start, span.end)).collect();
        let records: Vec<_> = breaks.iter().map(|b| b.record.clone()).collect();
        self.writer.append(&pairs, &records).map_err(|e| e.to_string())?;
        self.upto.breaks = breaks.last().map_or(self.upto.breaks, |b| b.id);
        self.upto.activity = spans.last().map_or(self.upto.activity, |(id, _)| *id);
        self.save_upto();
        if self.header_at.is_none_or(|at| now >= at.saturating_add(HEADER_EVERY)) {
            self.writer.write_header(wall).map_err(|e| e.to_string())?;
            self.header_at = Some(now);
        }
        Ok(breaks.len() as u32 == BATCH || spans.len() as u32 == BATCH)
    }

    /// Writes the check-in's answers for `week` out, when the person chose to share them.
    pub fn share_check(&self, week: respite_core::calendar::Week, answers: respite_core::selfcheck::Answers, at: chrono::DateTime<chrono::Utc>) {
        match self.writer.append_check(week, answers, at) {
            Ok(()) => tracing::info!(%week, "check-in answers shared with the other computers"),
            Err(e) => tracing::warn!("cannot share the check-in's answers: {e}; they are kept on this computer"),
        }
    }

    /// Removes this computer's month files of months that ended before `before` (the retention
    /// setting), from its own folder only.
    pub fn forget_before(&self, before: chrono::DateTime<chrono::Utc>) {
        match self.writer.forget_before(before) {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "deleted this computer's old months from the shared history folder"),
            Err(e) => tracing::warn!("cannot delete old months from the shared history folder: {e}"),
        }
    }

    /// Writes out what is left before Respite stops (the last span, a break ended by the stop),
    /// in at most a few turns; what does not fit goes out at the next start.
    pub fn flush(&mut self, store: &Store, now: Duration, wall: chrono::DateTime<chrono::Utc>) {
        for _ in 0..5 {
            match self.export(store, now, wall) {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => {
                    tracing::warn!("shared history folder: {e}; written at the next start");
                    return;
                }
            }
        }
    }

    /// Remembers how far rows went out: written aside and renamed over, so a crash leaves the
    /// old mark or the new one (at worst rows go out twice, which readers count once).
    fn save_upto(&self) {
        let aside = self.upto_file.with_extension("new");
        let text = serde_json::to_string(&self.upto).expect("serializes");
        if let Err(e) = std::fs::write(&aside, text).and_then(|()| std::fs::rename(&aside, &self.upto_file)) {
            tracing::warn!("cannot remember how far the shared history was written ({}): {e}", self.upto_file.display());
        }
    }
}

/// For `respite summary`: imports other devices' history into the store before it is read,
/// when a shared folder is set. Quietly does nothing when the store cannot be opened for
/// writing (the summary then shows what was imported before).
pub fn import_for_reading(paths: &Paths, settings: &Settings) {
    let Some(folder) = &settings.devices.folder else { return };
    let Ok(id) = DeviceId::load_or_create(&paths.data_dir) else { return };
    let Ok(mut store) = Store::open(&paths.database()) else { return };
    if let Err(e) = store.import_devices(&scan(folder, &id)) {
        eprintln!("respite: cannot read other devices' history: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_folder_or_name_opens_it_again_and_sharing_the_check_ins_does_not() {
        let (data, folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let prefs = DevicesPrefs { folder: Some(folder.path().to_owned()), name: Some("laptop".into()), share_checkins: false };
        let shared = SharedHistory::open(&prefs, data.path(), Duration::ZERO).unwrap().expect("a folder is set");
        assert!(shared.prefs_match(&DevicesPrefs { share_checkins: true, ..prefs.clone() }));
        assert!(!shared.prefs_match(&DevicesPrefs { name: None, ..prefs.clone() }), "back to the host name");
        assert!(!shared.prefs_match(&DevicesPrefs { folder: Some(data.path().to_owned()), ..prefs.clone() }));
        assert!(SharedHistory::open(&DevicesPrefs::default(), data.path(), Duration::ZERO).unwrap().is_none(), "off");
    }
}
