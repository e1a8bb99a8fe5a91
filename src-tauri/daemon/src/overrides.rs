//! The environment variables that change how the daemon runs, for tests, benchmarks and a
//! desktop where sensing misbehaves, read once at start into [`Overrides`] and handed to the
//! parts they change. Nothing else in the daemon reads them.
//!
//! - `RESPITE_UI_BIN`: the `respite-ui` to start (default: beside `respite`, else on `PATH`).
//! - `RESPITE_DEV_DIR`: where cameras and microphones are looked for (default `/dev`); the
//!   end-to-end tests plant stand-in devices there.
//! - `RESPITE_SENSES=off`: no idle time and no do-not-disturb (all time is active time).
//! - `RESPITE_TIME_SCALE=N`: the clock runs N times faster (long-run tests and benchmarks).

use std::ffi::OsString;
use std::path::PathBuf;

/// See the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overrides {
    pub ui_program: Option<PathBuf>,
    pub dev_dir: PathBuf,
    pub senses_off: bool,
    /// 1: real time.
    pub time_scale: u32,
}

impl Overrides {
    /// From this process's environment.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var_os(name))
    }

    /// From `var` (tests pass a map).
    fn from_vars(var: impl Fn(&str) -> Option<OsString>) -> Self {
        let set = |name: &str| var(name).filter(|value| !value.is_empty());
        Self {
            ui_program: set("RESPITE_UI_BIN").map(PathBuf::from),
            dev_dir: set("RESPITE_DEV_DIR").map_or_else(|| PathBuf::from("/dev"), PathBuf::from),
            senses_off: set("RESPITE_SENSES").is_some_and(|v| v == "off"),
            time_scale: set("RESPITE_TIME_SCALE").and_then(|v| v.to_str()?.parse::<u32>().ok()).filter(|&n| n > 1).unwrap_or(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn overrides(vars: &[(&str, &str)]) -> Overrides {
        let vars: HashMap<String, OsString> = vars.iter().map(|(k, v)| ((*k).to_owned(), OsString::from(v))).collect();
        Overrides::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn nothing_set_is_the_real_thing() {
        assert_eq!(overrides(&[]), Overrides { ui_program: None, dev_dir: PathBuf::from("/dev"), senses_off: false, time_scale: 1 });
    }

    #[test]
    fn each_variable_changes_its_part_and_bad_values_are_ignored() {
        let all = overrides(&[("RESPITE_UI_BIN", "/opt/ui"), ("RESPITE_DEV_DIR", "/tmp/dev"), ("RESPITE_SENSES", "off"), ("RESPITE_TIME_SCALE", "1000")]);
        assert_eq!(all, Overrides { ui_program: Some("/opt/ui".into()), dev_dir: "/tmp/dev".into(), senses_off: true, time_scale: 1000 });
        for scale in ["fast", "0", "1", "-5", ""] {
            assert_eq!(overrides(&[("RESPITE_TIME_SCALE", scale)]).time_scale, 1, "{scale:?}");
        }
        assert!(!overrides(&[("RESPITE_SENSES", "on")]).senses_off);
        assert_eq!(overrides(&[("RESPITE_UI_BIN", "")]).ui_program, None, "empty is unset");
    }
}
