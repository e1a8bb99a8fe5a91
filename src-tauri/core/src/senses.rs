//! What the scheduler may ask about the person at the screen when it has a decision to make:
//! how long since their last input, and whether now is a moment not to disturb them.
//!
//! The daemon answers from the desktop (X11, GNOME, KDE, Wayland, D-Bus); tests answer from a
//! script. The scheduler asks only when a decision needs the answer, so a source is read a few
//! times a minute at most.

use crate::words::words;
use serde::{Deserialize, Serialize};
use std::time::Duration;

words! {
    /// Why a due break is held back instead of going on screen.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum HoldReason, error UnknownHoldReason ("hold reason") {
        /// The active window is fullscreen (a presentation, a game, a video).
        Fullscreen = "fullscreen",
        /// An application holds an idle inhibitor (a video call, a player).
        Inhibited = "inhibited",
        /// Desktop notifications are in do-not-disturb.
        DoNotDisturb = "do_not_disturb",
        /// A camera is in use (a video call).
        Camera = "camera",
        /// A microphone is in use (a call, a recording).
        Microphone = "microphone",
        /// An app the person listed runs, or is the focused window (`[breaks] hold_for_apps`).
        App = "app",
        /// The screen is being shared (a screen-cast stream on PipeWire).
        ScreenShare = "screen_share",
    }
}

impl HoldReason {
    /// Words for people ("a fullscreen window").
    pub fn describe(self) -> &'static str {
        match self {
            HoldReason::Fullscreen => "a fullscreen window",
            HoldReason::Inhibited => "an application asked not to be interrupted",
            HoldReason::DoNotDisturb => "do not disturb is on",
            HoldReason::Camera => "the camera is in use",
            HoldReason::Microphone => "the microphone is in use",
            HoldReason::App => "an app that holds breaks is running",
            HoldReason::ScreenShare => "the screen is being shared",
        }
    }
}

/// Answers about the person at the screen.
pub trait Senses {
    /// Time since the last keyboard or pointer input. `None` when there is no idle data (the
    /// fallback source): the person then counts as always active.
    fn idle_for(&mut self) -> Option<Duration>;

    /// Why an overlay must not appear now, if it must not.
    fn hold(&mut self) -> Option<HoldReason>;
}

/// Senses with no idle data and never a reason to wait: wall time is active time.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoSenses;

impl Senses for NoSenses {
    fn idle_for(&mut self) -> Option<Duration> {
        None
    }

    fn hold(&mut self) -> Option<HoldReason> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hold_reasons_are_their_words_in_text_and_in_serde() {
        assert_eq!(crate::record::tests::serde_names(&HoldReason::ALL), HoldReason::WORDS);
        for reason in HoldReason::ALL {
            assert_eq!(reason.as_str().parse::<HoldReason>(), Ok(reason));
        }
        assert_eq!("busy".parse::<HoldReason>(), Err(UnknownHoldReason("busy".into())));
    }
}
