//! Where Respite keeps its files. Resolved once at the edge and passed in, so tests point
//! everything at temporary folders.
//!
//! - settings: `$RESPITE_CONFIG_DIR` or `$XDG_CONFIG_HOME/respite` (`~/.config/respite`)
//! - database: `$RESPITE_DATA_DIR` or `$XDG_DATA_HOME/respite` (`~/.local/share/respite`)
//! - log: `$RESPITE_STATE_DIR` or `$XDG_STATE_HOME/respite` (`~/.local/state/respite`); where
//!   there is no state dir (macOS, Windows), the data folder
//! - socket and lock: `$XDG_RUNTIME_DIR/respite` (private to the user), or a private folder in
//!   the temporary directory when there is no runtime dir.

use std::env;
use std::path::PathBuf;

/// The folders Respite uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
    pub runtime_dir: PathBuf,
}

/// No home folder to put files in.
#[derive(Debug, thiserror::Error)]
#[error("cannot find a folder for {0}: set HOME (or RESPITE_CONFIG_DIR and RESPITE_DATA_DIR)")]
pub struct NoHome(&'static str);

impl Paths {
    /// Resolves the folders from the environment.
    pub fn from_env() -> Result<Self, NoHome> {
        let config_dir = env_dir("RESPITE_CONFIG_DIR")
            .or_else(|| dirs::config_dir().map(|d| d.join("respite")))
            .ok_or(NoHome("settings"))?;
        let data_dir = env_dir("RESPITE_DATA_DIR")
            .or_else(|| dirs::data_dir().map(|d| d.join("respite")))
            .ok_or(NoHome("data"))?;
        let state_dir = env_dir("RESPITE_STATE_DIR")
            .or_else(|| dirs::state_dir().map(|d| d.join("respite")))
            .unwrap_or_else(|| data_dir.clone());
        let runtime_dir = env_dir("XDG_RUNTIME_DIR").map(|d| d.join("respite")).unwrap_or_else(|| {
            let user = env::var("USER").unwrap_or_else(|_| "user".into());
            env::temp_dir().join(format!("respite-{user}"))
        });
        Ok(Self { config_dir, data_dir, state_dir, runtime_dir })
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.toml")
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("respite.sqlite3")
    }

    pub fn socket(&self) -> PathBuf {
        self.runtime_dir.join("control.sock")
    }

    pub fn lock_file(&self) -> PathBuf {
        self.runtime_dir.join("daemon.lock")
    }
}

fn env_dir(name: &str) -> Option<PathBuf> {
    env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from)
}
