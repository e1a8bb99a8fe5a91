//! Apps the person listed (`[breaks] wait_for_apps`): a due break waits while one runs (a
//! process of this user whose name, `/proc/<pid>/comm` or its program's file name, is in the
//! list) or has the focus (on X11, the active window's `WM_CLASS`, instance or class). Names
//! match without regard to case. Read only when a break is due and while a held break waits.
//!
//! Which window has the focus is not told to apps on GNOME or KDE under Wayland (GNOME offers no
//! interface for it; KDE only to KWin scripts), so there a listed app holds breaks while it runs.

use super::{DisturbSource, SenseError};
use respite_core::senses::HoldReason;
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};

/// Where the focused window's class comes from.
pub trait FocusedClass: Send {
    /// The focused window's class names (lower case), if any window has the focus.
    fn focused(&mut self) -> Result<Vec<String>, SenseError>;
}

/// The listed apps, looked for among this user's processes and the focused window.
pub struct ListedApps {
    /// Lower case.
    names: Vec<String>,
    proc_dir: PathBuf,
    uid: u32,
    focus: Option<Box<dyn FocusedClass>>,
    /// The app last logged as holding a break, so each is logged once in a row.
    logged: Option<String>,
}

impl ListedApps {
    pub fn new(names: &[String], proc_dir: &Path, focus: Option<Box<dyn FocusedClass>>) -> Self {
        let names = names.iter().map(|name| name.to_lowercase()).collect();
        ListedApps { names, proc_dir: proc_dir.to_owned(), uid: rustix::process::getuid().as_raw(), focus, logged: None }
    }

    /// The first listed app that runs as this user, as named in the list.
    fn running(&self) -> Option<String> {
        let entries = fs::read_dir(&self.proc_dir).ok()?;
        entries.flatten().find_map(|entry| {
            let name = entry.file_name();
            let pid = name.to_str().filter(|n| n.bytes().all(|b| b.is_ascii_digit()))?;
            let dir = self.proc_dir.join(pid);
            if fs::metadata(&dir).ok()?.uid() != self.uid {
                return None;
            }
            process_names(&dir).into_iter().find(|n| self.names.contains(n))
        })
    }
}

/// A process's names, lower case: its `comm` (at most 15 bytes) and its program's file name
/// (from `cmdline`'s first word, which a script run by an interpreter does not change).
fn process_names(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(comm) = fs::read_to_string(dir.join("comm")) {
        names.push(comm.trim_end_matches('\n').to_lowercase());
    }
    if let Ok(cmdline) = fs::read(dir.join("cmdline")) {
        let first = cmdline.split(|b| *b == 0).next().unwrap_or_default();
        let program = String::from_utf8_lossy(first);
        if let Some(file) = program.rsplit('/').next().filter(|f| !f.is_empty()) {
            names.push(file.to_lowercase());
        }
    }
    names
}

impl DisturbSource for ListedApps {
    fn name(&self) -> &'static str {
        "apps"
    }

    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
        let focused = match &mut self.focus {
            Some(focus) => focus.focused()?.into_iter().find(|class| self.names.contains(class)),
            None => None,
        };
        let found = focused.map(|app| format!("{app} (focused)")).or_else(|| self.running());
        if found.is_some() && found != self.logged {
            tracing::info!("a listed app holds the break: {}", found.as_deref().unwrap_or_default());
        }
        self.logged.clone_from(&found);
        Ok(found.map(|_| HoldReason::App))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Focused(Vec<String>);

    impl FocusedClass for Focused {
        fn focused(&mut self) -> Result<Vec<String>, SenseError> {
            Ok(self.0.clone())
        }
    }

    /// A `/proc` with one process of this user.
    fn proc_with(comm: &str, cmdline: &[u8]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let process = dir.path().join("4242");
        fs::create_dir(&process).unwrap();
        fs::write(process.join("comm"), format!("{comm}\n")).unwrap();
        fs::write(process.join("cmdline"), cmdline).unwrap();
        fs::create_dir(dir.path().join("self-not-a-pid")).unwrap();
        dir
    }

    #[test]
    fn a_listed_app_holds_by_process_name_or_program_file_without_regard_to_case() {
        let proc_dir = proc_with("obs", b"/usr/bin/obs\0--startrecording\0");
        let mut apps = ListedApps::new(&["OBS".into()], proc_dir.path(), None);
        assert_eq!(apps.hold_reason().unwrap(), Some(HoldReason::App));
        // comm is cut at 15 bytes; the program's file name is whole.
        let proc_dir = proc_with("libreoffice-imp", b"/opt/libreoffice/program/libreoffice-impress\0");
        let mut apps = ListedApps::new(&["libreoffice-impress".into()], proc_dir.path(), None);
        assert_eq!(apps.hold_reason().unwrap(), Some(HoldReason::App));
        let mut apps = ListedApps::new(&["steam".into()], proc_dir.path(), None);
        assert_eq!(apps.hold_reason().unwrap(), None);
    }

    #[test]
    fn the_focused_window_holds_when_its_class_is_listed() {
        let proc_dir = proc_with("bash", b"bash\0");
        let mut apps = ListedApps::new(&["Impressive".into()], proc_dir.path(), Some(Box::new(Focused(vec!["impressive".into(), "python3".into()]))));
        assert_eq!(apps.hold_reason().unwrap(), Some(HoldReason::App));
        let mut apps = ListedApps::new(&["obs".into()], proc_dir.path(), Some(Box::new(Focused(vec!["firefox".into()]))));
        assert_eq!(apps.hold_reason().unwrap(), None);
    }
}
