//! One break history across several devices, through a folder the person already keeps in sync
//! (Syncthing, Nextcloud, …): each device appends its own records to files of its own, every
//! device reads everyone else's. No server, and no file is ever written by two devices.
//!
//! The folder `F` holds one folder per device, named by its id ([`DeviceId`]):
//!
//! - `F/<id>/device.json`: `{"v":1,"id":"…","name":"…","wrote_at":"RFC 3339"}`, the device's name
//!   and when it last wrote, replaced atomically (a temporary file in the same folder, synced,
//!   then renamed over it).
//! - `F/<id>/<YYYY-MM>.jsonl`: one file per UTC month (the month a span or a break's due time
//!   falls in), JSON lines, only ever appended to, each append one write of whole lines: a month
//!   that is over is never written again, which is what sync tools handle best.
//!
//! A line is a span at the screen, `{"v":1,"t":"span","s":<unix ms>,"e":<unix ms>}`, or a break
//! (see [`format`]). Whether time was after hours is not written: each reader decides that in its
//! own zone and working hours. The self-check answers are never written. Readers ignore fields
//! they do not know and lines of a kind (`t`) they do not know, and read a line of a newer
//! version (`v`) for the fields they know.
//!
//! What a sync tool leaves behind is tolerated: a half-synced last line (not read until it is
//! whole), conflict copies (`2026-12.sync-conflict-….jsonl`, `2026-12 (conflicted copy ….jsonl`,
//! read as more copies of the same month: identical records count once), its temporary files
//! (ignored), a missing or read-only folder. Symbolic links are never followed.
//!
//! Parts: `id` (this device's id and default name), `format` (file names and lines), `writer`
//! (this device's files), `reader` (listing the folder, reading lines from an offset), `union`
//! (time at the screen across devices is the union of their spans, not the sum). The store
//! keeps what was read, so a closed month is parsed once ([`crate::store::Store::import_devices`]).

mod format;
mod id;
mod reader;
mod union;
mod writer;

pub use format::{Line, Month, RemoteBreak, FORMAT_VERSION, HEADER_FILE};
pub use id::{host_name, BadDeviceId, DeviceId, IdError, ID_FILE};
pub use reader::{read_lines, scan, Chunk, DeviceSeen, MonthFile, MonthFiles, ReadError, Scan, ScanProblem, MAX_FILE_BYTES};
pub use union::union_spans;
pub use writer::{DeviceWriter, WriteError};

/// Lines as the writer writes them, for other modules' tests.
#[cfg(test)]
pub(crate) mod tests_support {
    /// Appends the line of `record` to `out`.
    pub(crate) fn break_line(out: &mut Vec<u8>, record: &crate::record::BreakRecord) {
        super::format::break_line(out, record, record.style.as_str());
    }
}

#[cfg(test)]
mod tests;
