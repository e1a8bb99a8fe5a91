//! `respite-core`: everything Respite decides and remembers, with no UI, OS, audio or D-Bus
//! dependency, so the daemon (`respite`), the Tauri shell (`respite-ui`) and the tests share it.
//!
//! Where things live:
//! - [`clock`]: the time sources; the scheduler is handed `Now`, it never reads a clock.
//! - [`calendar`]: ISO weeks, local days and midnights, shared by the store, summary and daemon.
//! - [`record`]: break kinds, outcomes, and the record of one finished break.
//! - [`schedule`]: the scheduler state machine (working, on break, paused).
//! - [`settings`]: `settings.toml` → validated [`settings::Settings`], problems reported per key;
//!   [`settings::edit`] changes the file one key at a time, keeping its comments.
//! - [`autostart`]: launch at login (the XDG autostart entry on Linux).
//! - [`store`]: the SQLite break log, its migrations and queries.
//! - [`journal`]: writes to the store through a queue, so a locked, full or damaged database
//!   never loses a record or stalls the scheduler.
//! - [`export`]: the break log as CSV or JSON.
//! - [`devices`]: one history across several devices, through a folder the person keeps in sync
//!   (each device appends its own month files; the store imports the others').
//! - [`summary`]: the weekly detox summary (compliance, screen time, streak, observations).
//! - [`protocol`]: the JSON-lines control-socket messages, and [`client`] to send them.
//! - [`paths`]: where files live (XDG, overridable for tests).
//! - [`selfcheck`]: the optional weekly self-check (three questions) and its trend.
//! - [`senses`]: what the scheduler may ask about the person (idle time, do not disturb), which
//!   the daemon answers from the desktop.
//! - [`workhours`]: working hours per weekday in the local zone, DST-safe.
//! - `words`: the `words!` macro, which declares an enum written as fixed words (break kinds,
//!   outcomes, triggers, hold reasons, monitor choices) with each word once.

pub mod autostart;
pub mod calendar;
pub mod client;
pub mod clock;
pub mod devices;
pub mod export;
pub mod ideas;
pub mod journal;
/// Messages not yet worded (a locale key with arguments): `text::message`, named here too.
pub use text::message;
pub mod paths;
pub mod protocol;
pub mod record;
pub mod schedule;
pub mod selfcheck;
pub mod senses;
pub mod settings;
pub mod shortcut;
pub mod store;
pub mod summary;
pub mod text;
pub mod timefmt;
pub mod workhours;
mod words;
