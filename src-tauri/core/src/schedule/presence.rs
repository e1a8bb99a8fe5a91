//! Whether the person is at the screen, as the scheduler tracks it between readings of the
//! idle time: when the current active span began, whether they are away and since when, and
//! when the next reading is needed.
//!
//! A reading is needed only when it can change a decision. While present, that is the moment
//! the idle time could first reach the away threshold if no input came; while away, a reading
//! every threshold's length notices the return. An absence is measured conservatively, from the
//! last input to the last reading that still saw the person idle.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// Idle at least this long is away; shorter pauses (reading, thinking) are active time. The
/// scheduler uses the shortest enabled break's length, kept within these bounds.
pub const AWAY_AFTER_MIN: Duration = Duration::from_secs(5);
pub const AWAY_AFTER_MAX: Duration = Duration::from_secs(60);
/// An active span is written out in pieces of about this length (at the first tick after), so
/// a crash loses little screen time.
pub const SPAN_FLUSH: Duration = Duration::from_secs(15 * 60);

/// Whether the screen is locked, as the session reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenLock {
    Locked,
    Unlocked,
}

/// An absence in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Away {
    /// Monotonic time of the last input before it.
    pub since: Duration,
    pub since_wall: DateTime<Utc>,
    /// The last reading that still saw the person idle.
    pub seen_until: Duration,
    pub seen_until_wall: DateTime<Utc>,
    /// Time asleep (suspended) within it; the monotonic clock does not see it.
    pub slept: Duration,
}

impl Away {
    /// How long the absence lasted, as far as is known.
    pub fn length(&self) -> Duration {
        self.seen_until.saturating_sub(self.since) + self.slept
    }
}

/// See the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Presence {
    /// Whether the last reading had idle data. Without it, nobody is ever away.
    pub known: bool,
    /// When the next reading is needed (monotonic); `None`: none is.
    pub next_read: Option<Duration>,
    pub away: Option<Away>,
    /// Start of the active span being counted; `None` while away or on a break.
    pub span_from: Option<(Duration, DateTime<Utc>)>,
    /// The screen is locked: away, whatever the idle time says.
    pub locked: bool,
}

impl Presence {
    pub fn new(mono: Duration, wall: DateTime<Utc>) -> Self {
        // Read once at the first tick to learn whether there is idle data at all.
        Self { known: false, next_read: Some(mono), away: None, span_from: Some((mono, wall)), locked: false }
    }
}
