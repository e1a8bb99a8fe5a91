//! What the runtime does outside itself, behind small traits: its windows (the [`Launcher`],
//! which starts `respite-ui`), desktop notifications ([`Notifier`]), the chime ([`Speaker`]) and
//! the media players paused for a break ([`Media`]).
//! The daemon uses the desktop's ([`Effects::desktop`]); the runtime's tests record
//! notifications and chimes and start a stand-in for `respite-ui`, so the whole loop runs on a
//! fast clock without a desktop. (Its log is the journal, which tests give a real SQLite file.)

use crate::input::Input;
use crate::launcher::Launcher;
pub use crate::lock::Locker;
pub use crate::media::Media;
use crate::notify::{self, Action, Choice, Withdraw};
pub use crate::sound::Speaker;
use crate::sound;
use respite_core::settings::OverlayPrefs;
use std::path::PathBuf;
use std::sync::mpsc::Sender;

/// Shows notifications.
pub trait Notifier: Send {
    /// A notification; returns at once.
    fn send(&self, summary: String, body: String);
    /// A notification offering `action`; returns at once.
    fn offer(&self, summary: String, body: String, action: Action) {
        drop(self.ask(summary, body, action.into()));
    }
    /// A notification offering `choice`; returns at once, with the handle that takes it away.
    fn ask(&self, summary: String, body: String, choice: Choice) -> Withdraw;
}

/// Everything the runtime acts on.
pub struct Effects {
    pub launcher: Launcher,
    pub notifier: Box<dyn Notifier>,
    pub speaker: Box<dyn Speaker>,
    pub media: Box<dyn Media>,
    pub locker: Box<dyn Locker>,
}

impl Effects {
    /// The desktop's: `respite-ui` (`program`, or found next to `respite`) for windows, D-Bus
    /// notifications, rodio for the chime, the session bus's MPRIS players.
    pub fn desktop(inputs: Sender<Input>, overlay: OverlayPrefs, program: Option<PathBuf>) -> Self {
        Self {
            launcher: Launcher::new(inputs, overlay, program),
            notifier: Box::new(DesktopNotifier),
            speaker: Box::new(sound::Rodio::default()),
            media: Box::new(crate::media::Mpris),
            locker: Box::new(crate::lock::DesktopLocker),
        }
    }
}

/// `org.freedesktop.Notifications`, from short-lived threads ([`notify`]).
struct DesktopNotifier;

impl Notifier for DesktopNotifier {
    fn send(&self, summary: String, body: String) {
        notify::send(summary, body);
    }

    fn ask(&self, summary: String, body: String, choice: Choice) -> Withdraw {
        notify::ask(summary, body, choice)
    }
}
