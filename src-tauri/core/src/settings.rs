//! `settings.toml`: the defaults (in one place), the file written on first run, and validation.
//!
//! Loading goes in stages: the text is parsed as a TOML table, each known key is read and
//! checked on its own, and every bad or unknown key becomes a [`Problem`] naming the key and the
//! reason, while the rest of the file still applies and bad keys fall back to their defaults. A
//! file that is not TOML at all gives one problem and the defaults. The daemon never rewrites
//! the user's file: it creates it only when it does not exist. The settings window changes it
//! through [`edit`], one key at a time, keeping every comment, and the daemon re-reads it on
//! `respite reload`.
//!
//! The default file is `settings/defaults.toml`, compiled in as [`DEFAULT_FILE`]; `read` turns a
//! file's text into [`Settings`] and its [`Problem`]s; `values` holds the validated types and
//! their defaults. Everything is re-exported here, so callers name `settings::…` only.

mod read;
mod values;

pub mod edit;
pub mod preset;

pub use read::{load_or_create, parse, Loaded, Problem, SettingsError, FORMAT_VERSION, MAX_DURATION, MAX_INTERVAL, MIN_DURATION, MIN_INTERVAL, MIN_KEEP};
pub use values::{DevicesPrefs, Evening, Monitors, OverlayPrefs, SelfCheckPrefs, Settings, SoundPrefs, TextSize, Theme, UnknownMonitors};

/// The file written on first run: every setting, with its default and a comment.
pub const DEFAULT_FILE: &str = include_str!("settings/defaults.toml");
