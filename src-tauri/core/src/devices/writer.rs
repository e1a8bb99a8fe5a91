//! Writing this device's files in the shared folder, and only those: its `device.json`,
//! replaced atomically, and its month files, appended to with one write of whole lines each
//! time (opened `O_APPEND`, synced after), so a reader or a sync tool never sees a line of
//! ours change, only new ones arrive.
//!
//! The shared folder itself is never created: a missing folder is usually one not mounted or
//! not set up in the sync tool yet, and a new empty folder in its place could be synced over
//! the real one. Only the device's own folder in it is.

use super::format::{break_line, check_line, span_line, FileName, HeaderOut, Month, FORMAT_VERSION, HEADER_FILE};
use super::id::DeviceId;
use crate::calendar::Week;
use crate::record::BreakRecord;
use crate::selfcheck::Answers;
use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Writes this device's records into `folder/<id>/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceWriter {
    /// The shared folder.
    pub folder: PathBuf,
    pub id: DeviceId,
    /// The name other devices show (the host name unless the person chose one).
    pub name: String,
}

/// This device's files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the shared folder {0} does not exist (is it mounted, or set up in the sync tool yet?)")]
    FolderMissing(PathBuf),
    #[error("{0} is not a folder")]
    NotAFolder(PathBuf),
    #[error("{0} is not a file")]
    NotAFile(PathBuf),
    #[error("{0} is a symbolic link: Respite does not write through links in the shared folder")]
    Symlink(PathBuf),
    #[error("cannot create this device's folder {path}: {source}")]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("{0} is outside the years 0 to 9999: not written")]
    OutOfRange(DateTime<Utc>),
}

impl WriteError {
    /// The folder cannot be written to (read-only, or another user's).
    pub fn is_permission(&self) -> bool {
        match self {
            WriteError::CreateDir { source, .. } | WriteError::Write { source, .. } => {
                matches!(source.kind(), io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem)
            }
            _ => false,
        }
    }
}

impl DeviceWriter {
    /// Removes this device's month files (and their conflict copies) of the months that ended
    /// before `before`: the break log's retention (`[log] keep`) applies to the shared copy too.
    /// Only this device's folder is touched. Returns how many files were removed.
    pub fn forget_before(&self, before: DateTime<Utc>) -> Result<usize, WriteError> {
        let dir = self.device_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(source) => return Err(WriteError::Write { path: dir, source }),
        };
        let current = Month::of(before);
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let FileName::Month { month, .. } = FileName::classify(&name.to_string_lossy()) else { continue };
            if (month.year, month.month) < (current.year, current.month) {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(|source| WriteError::Write { path, source })?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// This device's folder, `folder/<id>`.
    pub fn device_dir(&self) -> PathBuf {
        self.folder.join(self.id.as_str())
    }

    /// Replaces `device.json` with the name and `now` as the last write: written aside in the
    /// same folder, synced, renamed over the old one, so a reader sees the old file or the new
    /// one, never a part. The caller decides how often (at most when something was appended).
    pub fn write_header(&self, now: DateTime<Utc>) -> Result<(), WriteError> {
        let dir = self.ready_dir()?;
        let path = dir.join(HEADER_FILE);
        let write = |source| WriteError::Write { path: path.clone(), source };
        let header = HeaderOut { v: FORMAT_VERSION, id: self.id.as_str(), name: &self.name, wrote_at: now.to_rfc3339_opts(SecondsFormat::Secs, true) };
        let mut bytes = serde_json::to_vec(&header).map_err(|e| write(e.into()))?;
        bytes.push(b'\n');
        // Hidden, so neither readers nor (by its name) people take it for a device's file.
        let aside = dir.join(format!(".{HEADER_FILE}.tmp"));
        // Removed first: creating it anew cannot then write through a link left in its place.
        match fs::remove_file(&aside) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(write(e)),
            _ => {}
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        private(&mut options);
        let mut file = options.open(&aside).map_err(write)?;
        file.write_all(&bytes).and_then(|()| file.sync_all()).map_err(write)?;
        drop(file);
        fs::rename(&aside, &path).map_err(write)?;
        sync_dir(&dir);
        Ok(())
    }

    /// Appends spans at the screen (`start`, `end`), each to the file of the month it starts
    /// in. Spans that end before they start are left out; returns how many were written.
    pub fn append_spans(&self, spans: &[(DateTime<Utc>, DateTime<Utc>)]) -> Result<usize, WriteError> {
        self.append(spans, &[])
    }

    /// Appends one break to the file of the month it was due in, with how it was delivered
    /// (`style`: `"overlay"` or `"notification"`; an empty one is taken from the record).
    pub fn append_break(&self, record: &BreakRecord, style: &str) -> Result<(), WriteError> {
        let style = if style.is_empty() { record.style.as_str() } else { style };
        let month = month_of(record.due_at)?;
        let mut line = Vec::with_capacity(256);
        break_line(&mut line, record, style);
        self.write_months(BTreeMap::from([(month, line)]))
    }

    /// Appends the check-in's answers for `week`, given at `at`, to the file of the month of
    /// `at` (only when the person chose to share them).
    pub fn append_check(&self, week: Week, answers: Answers, at: DateTime<Utc>) -> Result<(), WriteError> {
        let month = month_of(at)?;
        let mut line = Vec::with_capacity(128);
        check_line(&mut line, week, answers, at);
        self.write_months(BTreeMap::from([(month, line)]))
    }

    /// Appends spans and breaks (each with its own `style`) in one go: one write and one sync per
    /// month file. For a first export of a history, and for batches. Returns how many spans were
    /// written (see [`DeviceWriter::append_spans`]).
    pub fn append(&self, spans: &[(DateTime<Utc>, DateTime<Utc>)], breaks: &[BreakRecord]) -> Result<usize, WriteError> {
        let mut months: BTreeMap<Month, Vec<u8>> = BTreeMap::new();
        for record in breaks {
            break_line(months.entry(month_of(record.due_at)?).or_default(), record, record.style.as_str());
        }
        let mut written = 0;
        for &(start, end) in spans.iter().filter(|(start, end)| end >= start) {
            span_line(months.entry(month_of(start)?).or_default(), start, end);
            written += 1;
        }
        self.write_months(months)?;
        Ok(written)
    }

    /// Appends each month's lines to its file.
    fn write_months(&self, months: BTreeMap<Month, Vec<u8>>) -> Result<(), WriteError> {
        if months.is_empty() {
            return Ok(());
        }
        let dir = self.ready_dir()?;
        for (month, lines) in months {
            // `month_of` checked the year.
            let Some(name) = month.file_name() else { continue };
            append_lines(&dir.join(name), &lines)?;
        }
        Ok(())
    }

    /// This device's folder, made if needed: never through a link, never the shared folder.
    fn ready_dir(&self) -> Result<PathBuf, WriteError> {
        match fs::metadata(&self.folder) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(WriteError::NotAFolder(self.folder.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(WriteError::FolderMissing(self.folder.clone())),
            Err(source) => return Err(WriteError::Write { path: self.folder.clone(), source }),
        }
        let dir = self.device_dir();
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Symlink(dir)),
            Ok(meta) if meta.is_dir() => Ok(dir),
            Ok(_) => Err(WriteError::NotAFolder(dir)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let mut builder = fs::DirBuilder::new();
                #[cfg(unix)]
                std::os::unix::fs::DirBuilderExt::mode(&mut builder, crate::paths::PRIVATE_DIR);
                match builder.create(&dir) {
                    Ok(()) => Ok(dir),
                    // Made by another process of ours in the meantime.
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(dir),
                    Err(source) => Err(WriteError::CreateDir { path: dir, source }),
                }
            }
            Err(source) => Err(WriteError::CreateDir { path: dir, source }),
        }
    }
}

/// The month of `t`, if it can be named (years 0 to 9999).
fn month_of(t: DateTime<Utc>) -> Result<Month, WriteError> {
    let month = Month::of(t);
    month.file_name().map(|_| month).ok_or(WriteError::OutOfRange(t))
}

/// Appends `lines` (whole lines) to `path` in one write. When the file does not end with a line
/// break (a write cut short by a crash or a full disk), one goes first: the half line stays a
/// damaged line of its own instead of swallowing the first new one.
fn append_lines(path: &Path, lines: &[u8]) -> Result<(), WriteError> {
    let write = |source| WriteError::Write { path: path.to_owned(), source };
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(WriteError::Symlink(path.to_owned())),
        Ok(meta) if !meta.is_file() => return Err(WriteError::NotAFile(path.to_owned())),
        _ => {}
    }
    let mut options = fs::OpenOptions::new();
    options.read(true).append(true).create(true);
    private(&mut options);
    let mut file = options.open(path).map_err(write)?;
    let len = file.metadata().map_err(write)?.len();
    let mut last = [b'\n'];
    if len > 0 {
        file.seek(SeekFrom::Start(len - 1)).and_then(|_| file.read_exact(&mut last)).map_err(write)?;
    }
    let mut out = Vec::with_capacity(lines.len() + 1);
    if last[0] != b'\n' {
        out.push(b'\n');
    }
    out.extend_from_slice(lines);
    // O_APPEND: the write goes to the end whatever was read, in one piece.
    file.write_all(&out).and_then(|()| file.sync_data()).map_err(write)
}

/// Files of this device: 0600 (the sync tool runs as the same user).
fn private(options: &mut fs::OpenOptions) {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, crate::paths::PRIVATE_FILE);
    let _ = options;
}

/// Syncs a folder, so a rename in it survives a power cut (best effort: not every system can).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    let _ = dir;
}
