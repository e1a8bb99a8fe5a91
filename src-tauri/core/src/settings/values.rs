//! The validated settings, the values the daemon runs with: [`Settings`] and its parts
//! ([`OverlayPrefs`], [`SoundPrefs`], [`Evening`], [`SelfCheckPrefs`], the [`Monitors`] choice),
//! and their defaults, which match `defaults.toml`.

use crate::schedule::{Budget, FixedBreak, FocusPlan, KindPlan, Plans, ReminderPlan, Rules, Sensing};
use crate::words::words;
use crate::workhours::WorkHours;
use chrono::{NaiveTime, Weekday};
use std::time::Duration;

words! {
    /// Which monitors get an overlay.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Monitors, error UnknownMonitors ("monitors choice") {
        All = "all",
        Primary = "primary",
        /// The one under the mouse pointer.
        Cursor = "cursor",
    }
}

words! {
    /// The overlay's colours: the desktop's choice (`prefers-color-scheme`), or always one.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Theme, error UnknownTheme ("theme") {
        System = "system",
        Light = "light",
        Dark = "dark",
    }
}

words! {
    /// The size of the overlay's text.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TextSize, error UnknownTextSize ("text size") {
        Normal = "normal",
        Large = "large",
        Larger = "larger",
    }
}

/// How overlays look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverlayPrefs {
    pub monitors: Monitors,
    /// Length of the fade in and out (none when the desktop turns animations off).
    pub fade: Duration,
    pub theme: Theme,
    pub text_size: TextSize,
    /// How opaque the overlay is once faded in, in percent, where a compositor makes windows
    /// translucent (without one it is opaque).
    pub opacity: u8,
}

/// The chime at the start and end of a break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SoundPrefs {
    pub enabled: bool,
    /// 0–100.
    pub volume: u8,
}

/// The validated settings the daemon runs with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub plans: Plans,
    pub rules: Rules,
    pub overlay: OverlayPrefs,
    pub sound: SoundPrefs,
    /// How long break records are kept; `None`: forever.
    pub keep: Option<Duration>,
    pub sensing: Sensing,
    pub focus: FocusPlan,
    /// Focus mode starts with Respite.
    pub focus_on_start: bool,
    /// A camera or microphone in use holds a due break (like do not disturb).
    pub calls_hold: bool,
    pub hours: WorkHours,
    pub evening: Evening,
    pub selfcheck: SelfCheckPrefs,
    /// Scheduled breaks only in working hours.
    pub only_in_hours: bool,
    /// Apps (process names, window classes) that hold a due break while they run or have focus.
    pub hold_apps: Vec<String>,
    /// A screen share holds a due break.
    pub screen_share_holds: bool,
    /// Breaks at times of day.
    pub fixed: Vec<FixedBreak>,
    pub budget: Budget,
    pub reminders: ReminderPlan,
    /// Per kind ([`BreakKind::index`](crate::record::BreakKind::index)): playing media players
    /// pause during the break.
    pub pause_media: [bool; 3],
    /// Per kind: the screen locks when the break starts.
    pub lock: [bool; 3],
    /// Global keyboard shortcuts (all off by default: a key combination the person did not
    /// choose may be one their apps use).
    pub shortcuts: crate::shortcut::Shortcuts,
    /// The shared history folder (`[devices]`).
    pub devices: DevicesPrefs,
}

/// One history across several devices (`[devices]`): the folder they share, and this device's
/// name in it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DevicesPrefs {
    /// `None`: off. A leading `~/` is the home folder.
    pub folder: Option<std::path::PathBuf>,
    /// `None`: the host name.
    pub name: Option<String>,
    /// The weekly check-in's answers are written to the shared folder too (off by default: they
    /// stay on the device they were given on).
    pub share_checkins: bool,
}

/// The weekly self-check: whether and when it is offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SelfCheckPrefs {
    pub enabled: bool,
    pub day: Weekday,
    pub time: NaiveTime,
}

impl Default for SelfCheckPrefs {
    fn default() -> Self {
        Self { enabled: false, day: Weekday::Fri, time: NaiveTime::from_hms_opt(16, 0, 0).expect("a time") }
    }
}

/// After working hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Evening {
    /// Active time after hours before the one nudge of the evening; `None`: no nudge.
    pub nudge_after: Option<Duration>,
    /// A wind-down reminder at this local time, when at the screen; `None`: none.
    pub bedtime: Option<NaiveTime>,
}

impl Default for Evening {
    fn default() -> Self {
        Self { nudge_after: Some(mins(15)), bedtime: None }
    }
}

impl Default for Settings {
    /// The defaults and their reasons are in `../shared/RESEARCH.md` (20-20-20 rule; 1–2 min of
    /// stretching every 45–60 min of sitting; 5 min away every 1.5–2 h).
    fn default() -> Self {
        Self {
            plans: Plans([
                KindPlan { enabled: true, interval: mins(20), duration: Duration::from_secs(20) },
                KindPlan { enabled: true, interval: mins(50), duration: Duration::from_secs(90) },
                KindPlan { enabled: true, interval: mins(110), duration: mins(5) },
            ]),
            rules: Rules::default(),
            overlay: OverlayPrefs { monitors: Monitors::All, fade: Duration::from_secs(1), theme: Theme::System, text_size: TextSize::Normal, opacity: 94 },
            sound: SoundPrefs { enabled: true, volume: 50 },
            keep: None,
            sensing: Sensing::default(),
            focus: FocusPlan::default(),
            focus_on_start: false,
            calls_hold: true,
            hours: WorkHours::default(),
            evening: Evening::default(),
            selfcheck: SelfCheckPrefs::default(),
            only_in_hours: false,
            hold_apps: Vec::new(),
            screen_share_holds: true,
            fixed: Vec::new(),
            budget: Budget::default(),
            reminders: ReminderPlan::default(),
            // A 20 s eye rest every 20 minutes would cut into music three times an hour; a
            // stretch or a walk is time away, when what plays would be missed.
            pause_media: [false, true, true],
            lock: [false; 3],
            shortcuts: crate::shortcut::Shortcuts::default(),
            devices: DevicesPrefs::default(),
        }
    }
}

impl Settings {
    pub fn plans(&self) -> Plans {
        self.plans
    }
}

pub(super) fn mins(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}
