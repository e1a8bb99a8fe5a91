//! Reading the shared folder: [`scan`] lists the other devices and their month files (each
//! month with its conflict copies), without reading them; [`read_lines`] reads the whole lines
//! of one file from an offset, so a file that grew is read from where the last read stopped.
//!
//! Nothing here fails the whole read: a missing or unreadable folder, a file too big to be one
//! of ours, a symbolic link (never followed) and a damaged `device.json` are [`ScanProblem`]s
//! beside what could be listed; damaged lines are counted and skipped.

use super::format::{decode, Decoded, FileName, HeaderIn, Line, Month};
use super::id::DeviceId;
use crate::timefmt::from_db;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fs::{self, Metadata};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Files bigger than this are not read (skipped with a problem). A device writes well under a
/// megabyte a month.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The largest `device.json` read.
const MAX_HEADER_BYTES: u64 = 64 << 10;

/// What [`scan`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    pub folder: PathBuf,
    /// Whether the folder itself could be listed. When it could not (missing, unmounted,
    /// unreadable), nothing was seen, and nothing seen before should be forgotten.
    pub listed: bool,
    /// The other devices, by id.
    pub devices: Vec<DeviceSeen>,
    /// Their month files, by device and month.
    pub months: Vec<MonthFiles>,
    pub problems: Vec<ScanProblem>,
}

/// A device in the folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSeen {
    pub id: String,
    /// From its `device.json`; its id when it has none.
    pub name: String,
    /// When it last wrote: the later of its `device.json`'s `wrote_at` and its newest month
    /// file's modification time (sync tools keep the writer's).
    pub last_wrote: Option<DateTime<Utc>>,
}

/// One month of one device: its file and the sync tools' conflict copies of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthFiles {
    pub device: String,
    pub month: Month,
    /// The original first (when there is one), then the copies by name.
    pub files: Vec<MonthFile>,
}

/// A month file as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthFile {
    pub path: PathBuf,
    pub len: u64,
    /// Modification time, nanoseconds since 1970 (0 when the system does not say).
    pub mtime_ns: i64,
    /// A sync tool's conflict copy.
    pub copy: bool,
}

/// Something in the folder that could not be read, said beside what could.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScanProblem {
    #[error("the shared folder {0} does not exist (is it mounted, or synced yet?)")]
    Missing(PathBuf),
    #[error("the shared folder {0} is not a folder")]
    NotAFolder(PathBuf),
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path} is a symbolic link: Respite does not follow links in the shared folder")]
    Symlink { path: PathBuf },
    #[error("{path} is {len} bytes, more than any device writes: not read")]
    TooBig { path: PathBuf, len: u64 },
    #[error("{path} is damaged ({reason}): the device is named by its id")]
    BadHeader { path: PathBuf, reason: String },
}

/// Lists the devices in `folder` other than `own` (whose records are in this device's own
/// store), and their month files. Reads only each `device.json`.
pub fn scan(folder: &Path, own: &DeviceId) -> Scan {
    let mut out = Scan { folder: folder.to_owned(), ..Scan::default() };
    // The folder itself may be a link (`~/Sync` pointing to another disk): that one is followed.
    let entries = match fs::metadata(folder) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return problem(out, ScanProblem::Missing(folder.to_owned())),
        Ok(meta) if !meta.is_dir() => return problem(out, ScanProblem::NotAFolder(folder.to_owned())),
        _ => match fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(e) => return problem(out, unreadable(folder, &e)),
        },
    };
    out.listed = true;
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.problems.push(unreadable(folder, &e));
                continue;
            }
        };
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|n| DeviceId::parse(n).ok()) else { continue };
        if &id == own {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_symlink() => out.problems.push(ScanProblem::Symlink { path: entry.path() }),
            Ok(t) if t.is_dir() => dirs.push((id, entry.path())),
            Ok(_) => {}
            Err(e) => out.problems.push(unreadable(&entry.path(), &e)),
        }
    }
    dirs.sort();
    for (id, dir) in dirs {
        scan_device(&mut out, id.as_str(), &dir);
    }
    out
}

fn problem(mut scan: Scan, problem: ScanProblem) -> Scan {
    scan.problems.push(problem);
    scan
}

fn unreadable(path: &Path, e: &io::Error) -> ScanProblem {
    ScanProblem::Unreadable { path: path.to_owned(), reason: e.to_string() }
}

/// Lists one device's folder into `out`.
fn scan_device(out: &mut Scan, id: &str, dir: &Path) {
    let mut device = DeviceSeen { id: id.to_owned(), name: id.to_owned(), last_wrote: None };
    let mut months: BTreeMap<Month, Vec<MonthFile>> = BTreeMap::new();
    match fs::read_dir(dir) {
        Err(e) => out.problems.push(unreadable(dir, &e)),
        Ok(entries) => {
            for entry in entries {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        out.problems.push(unreadable(dir, &e));
                        continue;
                    }
                };
                let Some(name) = entry.file_name().to_str().map(FileName::classify) else { continue };
                if name == FileName::Other {
                    continue;
                }
                let path = entry.path();
                // `DirEntry::metadata` does not follow a link.
                let meta = match entry.metadata() {
                    Ok(meta) => meta,
                    Err(e) => {
                        out.problems.push(unreadable(&path, &e));
                        continue;
                    }
                };
                if meta.file_type().is_symlink() {
                    out.problems.push(ScanProblem::Symlink { path });
                    continue;
                }
                if !meta.is_file() {
                    continue;
                }
                match name {
                    FileName::Header => read_header(out, &mut device, &path, &meta),
                    FileName::Month { .. } if meta.len() > MAX_FILE_BYTES => out.problems.push(ScanProblem::TooBig { path, len: meta.len() }),
                    FileName::Month { month, copy } => {
                        let mtime_ns = mtime_ns(&meta);
                        let wrote = DateTime::from_timestamp_nanos(mtime_ns);
                        if mtime_ns > 0 && device.last_wrote.is_none_or(|t| t < wrote) {
                            device.last_wrote = Some(wrote);
                        }
                        months.entry(month).or_default().push(MonthFile { path, len: meta.len(), mtime_ns, copy });
                    }
                    FileName::Other => {}
                }
            }
        }
    }
    for (month, mut files) in months {
        files.sort_by(|a, b| (a.copy, &a.path).cmp(&(b.copy, &b.path)));
        out.months.push(MonthFiles { device: id.to_owned(), month, files });
    }
    out.devices.push(device);
}

/// Takes the name and last write from `device.json`, when it can be read.
fn read_header(out: &mut Scan, device: &mut DeviceSeen, path: &Path, meta: &Metadata) {
    if meta.len() > MAX_HEADER_BYTES {
        out.problems.push(ScanProblem::TooBig { path: path.to_owned(), len: meta.len() });
        return;
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return out.problems.push(unreadable(path, &e)),
    };
    let header: HeaderIn = match serde_json::from_slice(&bytes) {
        Ok(header) => header,
        Err(e) => return out.problems.push(ScanProblem::BadHeader { path: path.to_owned(), reason: e.to_string() }),
    };
    if let Some(name) = header.name.map(|n| clean_name(&n)).filter(|n| !n.is_empty()) {
        device.name = name;
    }
    if let Some(wrote) = header.wrote_at.as_deref().and_then(|t| from_db(t).ok()) {
        if device.last_wrote.is_none_or(|t| t < wrote) {
            device.last_wrote = Some(wrote);
        }
    }
}

/// A name as shown: one line, no control characters, at most 64 characters.
fn clean_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(64).collect::<String>().trim().to_owned()
}

fn mtime_ns(meta: &Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

/// The whole lines of a file from an offset (see [`read_lines`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chunk {
    pub lines: Vec<Line>,
    /// Lines that are not of this format (damaged, cut short and then written after).
    pub bad_lines: u64,
    /// Lines of a kind this version does not know, or of a newer version holding a word this
    /// one does not know: skipped, not damaged.
    pub unknown_lines: u64,
    /// Where the whole lines end: read on from here next time. A last line without its `\n`
    /// (still being written or synced) is not consumed.
    pub consumed: u64,
    /// The file's length and modification time as read.
    pub len: u64,
    pub mtime_ns: i64,
}

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path} is a symbolic link: Respite does not follow links in the shared folder")]
    Symlink { path: PathBuf },
    #[error("{path} is not a file")]
    NotAFile { path: PathBuf },
    #[error("{path} is {len} bytes, more than any device writes: not read")]
    TooBig { path: PathBuf, len: u64 },
    /// The file is shorter than the offset, or the offset is not where a line starts: it was
    /// not only appended to. Read it from the start.
    #[error("{path} changed before byte {from}: it must be read again from the start")]
    Rewritten { path: PathBuf, from: u64 },
}

/// Reads the whole lines of `path` from byte `from` on (0, or a [`Chunk::consumed`] of an
/// earlier read of the same file). Damaged lines are counted, not fatal. A link is not followed,
/// not even one put in place of the file since it was listed.
pub fn read_lines(path: &Path, from: u64) -> Result<Chunk, ReadError> {
    let io_err = |source| ReadError::Io { path: path.to_owned(), source };
    let listed = fs::symlink_metadata(path).map_err(io_err)?;
    if listed.file_type().is_symlink() {
        return Err(ReadError::Symlink { path: path.to_owned() });
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if fs::symlink_metadata(parent).map_err(io_err)?.file_type().is_symlink() {
            return Err(ReadError::Symlink { path: parent.to_owned() });
        }
    }
    let mut file = fs::File::open(path).map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    if !meta.is_file() || !same_file(&listed, &meta) {
        return Err(ReadError::NotAFile { path: path.to_owned() });
    }
    let len = meta.len();
    if len > MAX_FILE_BYTES {
        return Err(ReadError::TooBig { path: path.to_owned(), len });
    }
    if from > len {
        return Err(ReadError::Rewritten { path: path.to_owned(), from });
    }
    // From the byte before `from`, which must end a line.
    let start = from.saturating_sub(1);
    file.seek(SeekFrom::Start(start)).map_err(io_err)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len - start).unwrap_or(0));
    file.take(len - start).read_to_end(&mut bytes).map_err(io_err)?;
    let text = if from > 0 {
        match bytes.split_first() {
            Some((b'\n', rest)) => rest,
            _ => return Err(ReadError::Rewritten { path: path.to_owned(), from }),
        }
    } else {
        &bytes[..]
    };
    let whole = text.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let mut chunk = Chunk { consumed: from + whole as u64, len, mtime_ns: mtime_ns(&meta), ..Chunk::default() };
    for line in text[..whole].split(|b| *b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match decode(line) {
            Decoded::Line(line) => chunk.lines.push(line),
            Decoded::Unknown => chunk.unknown_lines += 1,
            Decoded::Bad => chunk.bad_lines += 1,
        }
    }
    Ok(chunk)
}

/// Whether the file opened is the one listed (not swapped for a link or another file since).
#[cfg(unix)]
fn same_file(listed: &Metadata, opened: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (listed.dev(), listed.ino()) == (opened.dev(), opened.ino())
}

#[cfg(not(unix))]
fn same_file(listed: &Metadata, _: &Metadata) -> bool {
    listed.is_file()
}
