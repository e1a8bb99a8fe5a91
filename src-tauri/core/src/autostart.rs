//! Launch at login: whether `respite` starts when the user logs in, read from and written to the
//! place the desktop really looks, so the settings window and `respite autostart status` show
//! the real state (also after the user changed it elsewhere, e.g. in GNOME Tweaks).
//!
//! On Linux this is an XDG autostart entry, `$XDG_CONFIG_HOME/autostart/respite.desktop`
//! (`~/.config/autostart/` when `XDG_CONFIG_HOME` is unset), written here. The `auto-launch`
//! crate (0.6) is used on macOS and Windows only: on Linux it writes to `~/.config/autostart`
//! whatever `XDG_CONFIG_HOME` says, and puts the program path into `Exec=` unquoted, so a path
//! with a space in it would not start. The entry written here quotes the path as the Desktop
//! Entry specification says, and is replaced atomically.

use std::path::{Path, PathBuf};

/// The entry's file name in the autostart folder.
pub const ENTRY_NAME: &str = "respite.desktop";

/// Launch at login could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum AutostartError {
    #[error("cannot find the autostart folder: set HOME (or XDG_CONFIG_HOME)")]
    NoHome,
    #[error("the program to start at login must be an absolute path, not {0}")]
    NotAbsolute(PathBuf),
    /// A login entry is text: a path that is not UTF-8 cannot be written into it faithfully.
    #[error("the program to start at login has a path that is not valid UTF-8 ({}): move it to a folder whose name is", .0.display())]
    NotUtf8(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error(transparent)]
    Write(#[from] crate::settings::edit::WriteError),
    #[error("cannot remove {path}: {source}")]
    Remove { path: String, source: std::io::Error },
    /// macOS and Windows: what `auto-launch` reported.
    #[error("{0}")]
    Platform(String),
}

/// Where the login entry lives. See the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Autostart {
    /// The autostart folder (Linux).
    dir: PathBuf,
}

impl Autostart {
    /// The user's autostart folder: `$XDG_CONFIG_HOME/autostart` when that is an absolute path
    /// (the XDG rule: a relative one is ignored), else `$HOME/.config/autostart`.
    pub fn from_env() -> Result<Self, AutostartError> {
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| PathBuf::from(h).join(".config")))
            .or_else(dirs::config_dir)
            .ok_or(AutostartError::NoHome)?;
        Ok(Self::in_config_home(&config))
    }

    /// The autostart folder under config folder `config` (tests use a temporary one).
    pub fn in_config_home(config: &Path) -> Self {
        Self { dir: config.join("autostart") }
    }

    /// The entry file (Linux).
    pub fn entry(&self) -> PathBuf {
        self.dir.join(ENTRY_NAME)
    }
}

#[cfg(target_os = "linux")]
impl Autostart {
    /// Whether Respite starts at login: the entry exists and is not switched off
    /// (`Hidden=true`, or GNOME's `X-GNOME-Autostart-enabled=false`).
    pub fn is_enabled(&self) -> Result<bool, AutostartError> {
        Ok(self.read()?.is_some_and(|text| {
            let value = |key: &str| text.lines().find_map(|l| l.strip_prefix(key)?.trim_start().strip_prefix('=').map(str::trim));
            value("Hidden") != Some("true") && value("X-GNOME-Autostart-enabled") != Some("false")
        }))
    }

    /// The program the entry starts, if there is an entry.
    pub fn program(&self) -> Result<Option<PathBuf>, AutostartError> {
        Ok(self.read()?.and_then(|text| text.lines().find_map(|l| l.strip_prefix("Exec=").map(unquote_exec))))
    }

    /// Starts `program` (the `respite` binary, absolute) at login.
    pub fn enable(&self, program: &Path) -> Result<(), AutostartError> {
        if !program.is_absolute() {
            return Err(AutostartError::NotAbsolute(program.to_owned()));
        }
        // The comment in every language, as the menu entry has it (a desktop's list of startup
        // programs shows it).
        let mut comments = format!("Comment={}\n", crate::text::english().get("desktop.comment"));
        for tag in crate::text::available().into_iter().filter(|tag| *tag != "en") {
            let comment = crate::text::Texts::for_tag(tag).get("desktop.comment").replace('\n', " ");
            comments.push_str(&format!("Comment[{}]={comment}\n", tag.replace('-', "_")));
        }
        let entry = format!(
            "[Desktop Entry]\nType=Application\nName=Respite\n{comments}Exec={}\n\
             Terminal=false\nStartupNotify=false\nX-GNOME-Autostart-enabled=true\n",
            quote_exec(program)?
        );
        Ok(crate::settings::edit::write_atomic(&self.entry(), &entry)?)
    }

    /// Stops starting at login (removes the entry; nothing to do if there is none).
    pub fn disable(&self) -> Result<(), AutostartError> {
        match std::fs::remove_file(self.entry()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(AutostartError::Remove { path: self.entry().display().to_string(), source: e }),
            _ => Ok(()),
        }
    }

    fn read(&self) -> Result<Option<String>, AutostartError> {
        match std::fs::read_to_string(self.entry()) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(AutostartError::Read { path: self.entry().display().to_string(), source }),
        }
    }
}

/// `program` as the `Exec` key's value: quoted when it needs to be, with the escapes of the
/// Desktop Entry specification (inside quotes `"`, `` ` ``, `$` and `\` take a backslash; `%` is
/// written `%%`; then the string value's own escapes: `\\`, `\n`, `\t`, `\r`). A path that is
/// not UTF-8 is refused rather than written changed.
#[cfg(target_os = "linux")]
fn quote_exec(program: &Path) -> Result<String, AutostartError> {
    let path = program.to_str().ok_or_else(|| AutostartError::NotUtf8(program.to_owned()))?.replace('%', "%%");
    let plain = path.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+,:@=".contains(c));
    let arg = if plain {
        path
    } else {
        let mut quoted = String::from("\"");
        for c in path.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        quoted
    };
    Ok(arg.chars().fold(String::new(), |mut value, c| {
        match c {
            '\\' => value.push_str("\\\\"),
            '\n' => value.push_str("\\n"),
            '\t' => value.push_str("\\t"),
            '\r' => value.push_str("\\r"),
            c => value.push(c),
        }
        value
    }))
}

/// Undoes a string value's escapes (`\s`, `\n`, `\t`, `\r`, `\\`), in one pass.
#[cfg(target_os = "linux")]
fn unescape_value(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('s') => out.push(' '),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The program of an `Exec` value written by [`quote_exec`] (the first argument).
#[cfg(target_os = "linux")]
fn unquote_exec(value: &str) -> PathBuf {
    let value = unescape_value(value).replace("%%", "%");
    let Some(rest) = value.strip_prefix('"') else {
        return PathBuf::from(value.split_whitespace().next().unwrap_or_default());
    };
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '"' => break,
            c => out.push(c),
        }
    }
    PathBuf::from(out)
}

#[cfg(not(target_os = "linux"))]
impl Autostart {
    fn launcher(program: &Path) -> Result<auto_launch::AutoLaunch, AutostartError> {
        auto_launch::AutoLaunchBuilder::new()
            .set_app_name("Respite")
            .set_app_path(&program.to_string_lossy())
            .build()
            .map_err(|e| AutostartError::Platform(e.to_string()))
    }

    fn this_program() -> Result<PathBuf, AutostartError> {
        std::env::current_exe().map_err(|e| AutostartError::Platform(e.to_string()))
    }

    pub fn is_enabled(&self) -> Result<bool, AutostartError> {
        Self::launcher(&Self::this_program()?)?.is_enabled().map_err(|e| AutostartError::Platform(e.to_string()))
    }

    pub fn program(&self) -> Result<Option<PathBuf>, AutostartError> {
        Ok(self.is_enabled()?.then(Self::this_program).transpose()?)
    }

    pub fn enable(&self, program: &Path) -> Result<(), AutostartError> {
        if !program.is_absolute() {
            return Err(AutostartError::NotAbsolute(program.to_owned()));
        }
        Self::launcher(program)?.enable().map_err(|e| AutostartError::Platform(e.to_string()))
    }

    pub fn disable(&self) -> Result<(), AutostartError> {
        Self::launcher(&Self::this_program()?)?.disable().map_err(|e| AutostartError::Platform(e.to_string()))
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn the_entry_is_created_pointing_at_the_program_and_removed() {
        let home = tempfile::tempdir().unwrap();
        let autostart = Autostart::in_config_home(&home.path().join("config"));
        assert!(!autostart.is_enabled().unwrap());
        assert_eq!(autostart.program().unwrap(), None);
        autostart.disable().unwrap(); // nothing to remove is fine

        autostart.enable(Path::new("/opt/respite/bin/respite")).unwrap();
        let entry = home.path().join("config/autostart/respite.desktop");
        let text = fs::read_to_string(&entry).unwrap();
        assert!(text.starts_with("[Desktop Entry]\nType=Application\n"), "{text}");
        assert!(text.lines().any(|l| l == "Exec=/opt/respite/bin/respite"), "{text}");
        assert!(autostart.is_enabled().unwrap());
        assert_eq!(autostart.program().unwrap(), Some(PathBuf::from("/opt/respite/bin/respite")));

        autostart.disable().unwrap();
        assert!(!entry.exists());
        assert!(!autostart.is_enabled().unwrap());
    }

    #[test]
    fn a_path_with_spaces_and_specials_is_quoted_so_it_still_starts() {
        let home = tempfile::tempdir().unwrap();
        let autostart = Autostart::in_config_home(home.path());
        let program = Path::new("/home/ann/My Apps/100% \"calm\"/$HOME\\respite");
        autostart.enable(program).unwrap();
        let text = fs::read_to_string(autostart.entry()).unwrap();
        let exec = text.lines().find(|l| l.starts_with("Exec=")).unwrap();
        assert_eq!(exec, r#"Exec="/home/ann/My Apps/100%% \\"calm\\"/\\$HOME\\\\respite""#);
        assert_eq!(autostart.program().unwrap().as_deref(), Some(program));
        assert!(matches!(autostart.enable(Path::new("respite")), Err(AutostartError::NotAbsolute(_))));
    }

    #[test]
    fn control_characters_are_escaped_so_the_entry_keeps_one_exec_line() {
        let home = tempfile::tempdir().unwrap();
        let autostart = Autostart::in_config_home(home.path());
        let program = Path::new("/home/ann/odd\nname\twith\rbreaks/respite");
        autostart.enable(program).unwrap();
        let text = fs::read_to_string(autostart.entry()).unwrap();
        let execs: Vec<&str> = text.lines().filter(|l| l.starts_with("Exec=")).collect();
        assert_eq!(execs, [r#"Exec="/home/ann/odd\nname\twith\rbreaks/respite""#], "{text:?}");
        // The entry's 8 lines, and the comment in each other language.
        let languages = crate::text::available().len() - 1;
        assert_eq!(text.lines().count(), 8 + languages, "no line was split: {text:?}");
        assert_eq!(text.lines().filter(|l| l.starts_with("Comment[")).count(), languages);
        assert_eq!(autostart.program().unwrap().as_deref(), Some(program));
    }

    #[test]
    fn a_path_that_is_not_utf8_is_refused_not_changed() {
        use std::os::unix::ffi::OsStrExt as _;
        let home = tempfile::tempdir().unwrap();
        let autostart = Autostart::in_config_home(home.path());
        let program = Path::new(std::ffi::OsStr::from_bytes(b"/opt/caf\xe9/respite"));
        let refused = autostart.enable(program).unwrap_err();
        assert!(matches!(refused, AutostartError::NotUtf8(_)), "{refused}");
        assert!(refused.to_string().contains("not valid UTF-8"), "{refused}");
        assert!(!autostart.entry().exists(), "nothing was written");
    }

    #[test]
    fn an_entry_switched_off_elsewhere_reads_as_off() {
        let home = tempfile::tempdir().unwrap();
        let autostart = Autostart::in_config_home(home.path());
        autostart.enable(Path::new("/usr/bin/respite")).unwrap();
        let text = fs::read_to_string(autostart.entry()).unwrap();
        fs::write(autostart.entry(), text.replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false")).unwrap();
        assert!(!autostart.is_enabled().unwrap());
        fs::write(autostart.entry(), format!("{text}Hidden=true\n")).unwrap();
        assert!(!autostart.is_enabled().unwrap());
        autostart.enable(Path::new("/usr/bin/respite")).unwrap();
        assert!(autostart.is_enabled().unwrap(), "enabling again switches it back on");
    }
}
