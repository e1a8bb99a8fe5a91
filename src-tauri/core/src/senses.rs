//! What the scheduler may ask about the person at the screen when it has a decision to make:
//! how long since their last input, and whether now is a moment not to disturb them.
//!
//! The daemon answers from the desktop (X11, GNOME, KDE, Wayland, D-Bus); tests answer from a
//! script. The scheduler asks only when a decision needs the answer, so a source is read a few
//! times a minute at most.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Why a due break is held back instead of going on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// The active window is fullscreen (a presentation, a game, a video).
    Fullscreen,
    /// An application holds an idle inhibitor (a video call, a player).
    Inhibited,
    /// Desktop notifications are in do-not-disturb.
    DoNotDisturb,
    /// A camera is in use (a video call).
    Camera,
    /// A microphone is in use (a call, a recording).
    Microphone,
}

impl HoldReason {
    pub const ALL: [HoldReason; 5] = [HoldReason::Fullscreen, HoldReason::Inhibited, HoldReason::DoNotDisturb, HoldReason::Camera, HoldReason::Microphone];

    pub fn as_str(self) -> &'static str {
        match self {
            HoldReason::Fullscreen => "fullscreen",
            HoldReason::Inhibited => "inhibited",
            HoldReason::DoNotDisturb => "do_not_disturb",
            HoldReason::Camera => "camera",
            HoldReason::Microphone => "microphone",
        }
    }

    /// Words for people ("a fullscreen window").
    pub fn describe(self) -> &'static str {
        match self {
            HoldReason::Fullscreen => "a fullscreen window",
            HoldReason::Inhibited => "an application asked not to be interrupted",
            HoldReason::DoNotDisturb => "do not disturb is on",
            HoldReason::Camera => "the camera is in use",
            HoldReason::Microphone => "the microphone is in use",
        }
    }
}

impl std::str::FromStr for HoldReason {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "fullscreen" => Ok(HoldReason::Fullscreen),
            "inhibited" => Ok(HoldReason::Inhibited),
            "do_not_disturb" => Ok(HoldReason::DoNotDisturb),
            "camera" => Ok(HoldReason::Camera),
            "microphone" => Ok(HoldReason::Microphone),
            other => Err(format!("unknown hold reason {other:?}")),
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
