//! The daemon's senses: how long since the person last used the keyboard or pointer, whether now
//! is a moment not to disturb them, and when the machine sleeps or the session locks.
//!
//! This module owns the two source traits ([`IdleSource`], [`DisturbSource`]), probing the
//! desktop once at start for the sources that answer ([`probe_idle`], [`probe_disturb`]), and
//! [`LiveSenses`], which answers the core's [`Senses`] questions from them and keeps answering
//! (with "no data") when a source goes away, probing for an idle source again while it has none.
//! Bus sources are asked through [`SessionBus`], so a stalled session bus costs the caller at most
//! [`bus::ANSWER_WITHIN`] and the source then counts as not answering. One file per source:
//!
//! | source | file | answers |
//! |---|---|---|
//! | GNOME `org.gnome.Mutter.IdleMonitor` (X11 and Wayland) | [`mutter`] | idle time |
//! | `ext-idle-notify-v1` (wlroots, KDE) | [`wayland`] | idle time |
//! | `org.freedesktop.ScreenSaver` (KDE) | [`screensaver`] | idle time, inhibited |
//! | X11 XScreenSaver extension, `_NET_WM_STATE` | [`x11`] | idle time, fullscreen |
//! | GNOME `org.gnome.SessionManager`, notification banners | [`gnome`] | inhibited, do not disturb |
//! | KDE `org.freedesktop.Notifications` `Inhibited` | [`kde`] | do not disturb |
//! | a camera or microphone device open in `/proc/<pid>/fd` (Linux) | [`capture`] | a call (when the setting says so) |
//!
//! [`session`] watches logind (sleep, lock) and the screen savers' `ActiveChanged`.

pub mod apps;
mod bus;
#[cfg(target_os = "linux")]
mod capture;
mod gnome;
mod kde;
mod mutter;
mod screensaver;
pub mod session;
#[cfg(target_os = "linux")]
mod screencast;
#[cfg(target_os = "linux")]
mod wayland;
#[cfg(target_os = "linux")]
mod x11;

pub use bus::SessionBus;
use respite_core::senses::{HoldReason, Senses};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where idle time comes from.
pub trait IdleSource: Send {
    /// A short stable name (`"mutter"`, `"x11-screensaver"`, `"none"`…), shown by
    /// `respite status --json` as `idle_source`.
    fn name(&self) -> &'static str;

    /// Time since the last keyboard or pointer input; `Ok(None)` when this source has no idle
    /// data.
    fn idle_time(&mut self) -> Result<Option<Duration>, SenseError>;
}

/// One reason a break may have to wait (a fullscreen window, an inhibitor, do not disturb).
pub trait DisturbSource: Send {
    fn name(&self) -> &'static str;

    /// Why not to show a break now, according to this source; `Ok(None)` when it sees none.
    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError>;
}

/// Why a source could not answer.
#[derive(Debug, thiserror::Error)]
pub enum SenseError {
    #[error("D-Bus: {0}")]
    Bus(#[from] zbus::Error),
    #[error("X11: {0}")]
    X11(String),
    #[error("Wayland: {0}")]
    Wayland(String),
    #[error("GSettings: {0}")]
    Settings(String),
    #[error("capture devices: {0}")]
    Capture(String),
    /// The session bus or the service did not answer in time; asked again later.
    #[error("D-Bus: {0}")]
    Stalled(&'static str),
    /// The desktop does not offer this source at all.
    #[error("{0}")]
    Unavailable(&'static str),
}

/// The places the senses look: this desktop's session bus and displays, and whether to read
/// GSettings. [`Desktop::from_env`] finds them in the process environment; tests build one by
/// hand so that nothing is discovered behind their back.
pub struct Desktop {
    pub session_bus: Option<SessionBus>,
    /// An X11 display name (`":0"`), from `DISPLAY`.
    pub x11_display: Option<String>,
    /// The Wayland compositor's socket, from `WAYLAND_DISPLAY` (relative to `XDG_RUNTIME_DIR`).
    pub wayland_socket: Option<PathBuf>,
    /// Whether GNOME's notification settings apply (read through GSettings): only on GNOME, so a
    /// `show-banners = false` left over from a GNOME session never holds breaks elsewhere.
    pub gnome_settings: bool,
}

pub(crate) use crate::session_bus::BUS_TIMEOUT;

impl Desktop {
    pub fn from_env() -> Self {
        let session_bus = crate::session_bus::shared();
        let session_bus = match session_bus {
            Ok(bus) => Some(SessionBus::new(bus)),
            Err(e) => {
                tracing::info!("no D-Bus session bus ({e}): GNOME and KDE senses are off");
                None
            }
        };
        let non_empty = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let wayland_socket = non_empty("WAYLAND_DISPLAY").and_then(|name| {
            let path = PathBuf::from(name);
            if path.is_absolute() {
                Some(path)
            } else {
                non_empty("XDG_RUNTIME_DIR").map(|dir| PathBuf::from(dir).join(path))
            }
        });
        let gnome_settings = non_empty("XDG_CURRENT_DESKTOP")
            .is_some_and(|desktops| desktops.split(':').any(|desktop| desktop.eq_ignore_ascii_case("GNOME")));
        Desktop { session_bus, x11_display: non_empty("DISPLAY"), wayland_socket, gnome_settings }
    }

    fn bus(&self) -> Result<&SessionBus, SenseError> {
        self.session_bus.as_ref().ok_or(SenseError::Unavailable("no D-Bus session bus"))
    }

    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn x11_display(&self) -> Result<&str, SenseError> {
        self.x11_display.as_deref().ok_or(SenseError::Unavailable("DISPLAY is not set"))
    }
}

/// The fallback idle source: no idle data, so all wall time counts as active.
pub struct NoIdle;

impl IdleSource for NoIdle {
    fn name(&self) -> &'static str {
        "none"
    }

    fn idle_time(&mut self) -> Result<Option<Duration>, SenseError> {
        Ok(None)
    }
}

/// Picks the first idle source that gives a first reading, in this order: GNOME's Mutter idle
/// monitor, `ext-idle-notify-v1` when there is a Wayland compositor, `org.freedesktop.ScreenSaver`
/// (KDE; GNOME answers it with an error), the X11 XScreenSaver extension, and else [`NoIdle`].
pub fn probe_idle(desktop: &Desktop) -> Box<dyn IdleSource> {
    match find_idle(desktop) {
        Ok((source, skipped)) => {
            tracing::info!("idle time from {}{}", source.name(), skipped_note(&skipped));
            source
        }
        Err(skipped) => {
            tracing::info!("no idle source: all time counts as active{}", skipped_note(&skipped));
            Box::new(NoIdle)
        }
    }
}

/// Why each idle source probed was skipped (`"mutter: D-Bus: …"`).
type Skipped = Vec<String>;

/// [`probe_idle`] without logging: the first source that answers and the ones skipped before it,
/// or, when none answers, why each was skipped.
fn find_idle(desktop: &Desktop) -> Result<(Box<dyn IdleSource>, Skipped), Skipped> {
    type Probe<'a> = Box<dyn FnOnce() -> Result<Box<dyn IdleSource>, SenseError> + 'a>;
    let candidates: Vec<(&str, Probe<'_>)> = vec![
        ("mutter", Box::new(|| Ok(Box::new(mutter::MutterIdle::new(desktop.bus()?)?)))),
        ("ext-idle-notify", Box::new(|| wayland_idle(desktop))),
        ("freedesktop-screensaver", Box::new(|| Ok(Box::new(screensaver::ScreenSaverIdle::new(desktop.bus()?)?)))),
        ("x11-screensaver", Box::new(|| x11_idle(desktop))),
    ];
    let mut skipped = Vec::new();
    for (name, probe) in candidates {
        let answer = probe().and_then(|mut source| match source.idle_time()? {
            Some(_) => Ok(source),
            None => Err(SenseError::Unavailable("no reading")),
        });
        match answer {
            Ok(source) => return Ok((source, skipped)),
            Err(e) => skipped.push(format!("{name}: {e}")),
        }
    }
    Err(skipped)
}

/// Probes `desktop` for an idle source again (quietly; `None` when none answers), for
/// [`LiveSenses::with_idle_probe`].
pub fn idle_probe(desktop: Desktop) -> IdleProbe {
    Box::new(move || find_idle(&desktop).ok().map(|(source, _)| source))
}

fn skipped_note(skipped: &[String]) -> String {
    if skipped.is_empty() {
        String::new()
    } else {
        format!(" (not used: {})", skipped.join("; "))
    }
}

#[cfg(target_os = "linux")]
fn wayland_idle(desktop: &Desktop) -> Result<Box<dyn IdleSource>, SenseError> {
    let socket = desktop.wayland_socket.as_deref().ok_or(SenseError::Unavailable("WAYLAND_DISPLAY is not set"))?;
    Ok(Box::new(wayland::WaylandIdle::connect(socket, wayland::NOTIFY_AFTER)?))
}

#[cfg(target_os = "linux")]
fn x11_idle(desktop: &Desktop) -> Result<Box<dyn IdleSource>, SenseError> {
    Ok(Box::new(x11::X11Idle::connect(desktop.x11_display()?)?))
}

#[cfg(not(target_os = "linux"))]
fn wayland_idle(_: &Desktop) -> Result<Box<dyn IdleSource>, SenseError> {
    Err(SenseError::Unavailable("not Linux"))
}

#[cfg(not(target_os = "linux"))]
fn x11_idle(_: &Desktop) -> Result<Box<dyn IdleSource>, SenseError> {
    Err(SenseError::Unavailable("not Linux"))
}

/// Keeps every do-not-disturb source that answers now: the X11 fullscreen active window, GNOME's
/// session inhibitors and notification banners, `org.freedesktop.ScreenSaver`'s `HasInhibit` (KDE)
/// and KDE's notification `Inhibited` property.
pub fn probe_disturb(desktop: &Desktop) -> Vec<Box<dyn DisturbSource>> {
    type Probe<'a> = Box<dyn FnOnce() -> Result<Box<dyn DisturbSource>, SenseError> + 'a>;
    let candidates: Vec<(&str, Probe<'_>)> = vec![
        ("x11-fullscreen", Box::new(|| x11_fullscreen(desktop))),
        ("gnome-session-inhibit", Box::new(|| Ok(Box::new(gnome::SessionInhibit::new(desktop.bus()?)?)))),
        (
            "freedesktop-screensaver-inhibit",
            Box::new(|| Ok(Box::new(screensaver::ScreenSaverInhibit::new(desktop.bus()?)?))),
        ),
        (
            "gnome-banners",
            Box::new(|| match desktop.gnome_settings {
                true => gnome_banners(),
                false => Err(SenseError::Unavailable("not GNOME (XDG_CURRENT_DESKTOP)")),
            }),
        ),
        ("kde-notifications", Box::new(|| Ok(Box::new(kde::NotificationsInhibited::new(desktop.bus()?)?)))),
    ];
    let mut kept = Vec::new();
    let mut skipped = Vec::new();
    for (name, probe) in candidates {
        match probe().and_then(|mut source| source.hold_reason().map(|_| source)) {
            Ok(source) => kept.push(source),
            Err(e) => skipped.push(format!("{name}: {e}")),
        }
    }
    let names: Vec<&str> = kept.iter().map(|source| source.name()).collect();
    tracing::info!("do-not-disturb sources: [{}]{}", names.join(", "), skipped_note(&skipped));
    kept
}

#[cfg(target_os = "linux")]
fn x11_fullscreen(desktop: &Desktop) -> Result<Box<dyn DisturbSource>, SenseError> {
    Ok(Box::new(x11::X11Fullscreen::connect(desktop.x11_display()?)?))
}

#[cfg(target_os = "linux")]
fn gnome_banners() -> Result<Box<dyn DisturbSource>, SenseError> {
    Ok(Box::new(gnome::Banners::new()))
}

#[cfg(not(target_os = "linux"))]
fn x11_fullscreen(_: &Desktop) -> Result<Box<dyn DisturbSource>, SenseError> {
    Err(SenseError::Unavailable("not Linux"))
}

#[cfg(not(target_os = "linux"))]
fn gnome_banners() -> Result<Box<dyn DisturbSource>, SenseError> {
    Err(SenseError::Unavailable("not Linux"))
}

/// After this many failed idle readings in a row the idle source is dropped for [`NoIdle`].
const IDLE_FAILURES_BEFORE_FALLBACK: u32 = 3;

/// While there is no idle source, the desktop is probed for one again at most this often (when
/// idle time is read): gnome-shell restarted, or the daemon started before the compositor.
pub const IDLE_REPROBE_EVERY: Duration = Duration::from_secs(60);

/// Finds an idle source, or `None` when none answers.
pub type IdleProbe = Box<dyn FnMut() -> Option<Box<dyn IdleSource>> + Send>;

/// The core's [`Senses`], answered by the probed sources. A source that starts failing is logged
/// once and then counts as "no data" (idle) or "no hold" (disturb); a do-not-disturb source that
/// answers again is used again, while an idle source that fails three times in a row is replaced
/// by [`NoIdle`] until a new probe ([`Self::with_idle_probe`]) finds one that answers.
pub struct LiveSenses {
    idle: Box<dyn IdleSource>,
    idle_failures: u32,
    reprobe: Option<Reprobe>,
    disturb: Vec<Watched>,
    /// Camera and microphone in use: asked after the others, and only while
    /// `[breaks] wait_during_calls` is on.
    calls: Vec<Watched>,
    calls_hold: bool,
    /// The apps listed in `[breaks] wait_for_apps`; `None` when the list is empty.
    apps: Option<Watched>,
    /// The X11 display the focused window is read on, when there is one.
    x11_display: Option<String>,
    /// A screen share in progress, while `[breaks] wait_during_screen_share` is on.
    screen_share: Option<Watched>,
    screen_share_holds: bool,
}

/// How to look for an idle source again, and when next.
struct Reprobe {
    probe: IdleProbe,
    every: Duration,
    next: Instant,
}

struct Watched {
    source: Box<dyn DisturbSource>,
    failing: bool,
}

impl Watched {
    fn new(source: Box<dyn DisturbSource>) -> Self {
        Watched { source, failing: false }
    }

    /// The source's answer; a failure is logged once and counts as no hold until it answers.
    fn hold_reason(&mut self) -> Option<HoldReason> {
        match self.source.hold_reason() {
            Ok(reason) => {
                if self.failing {
                    tracing::info!("do-not-disturb source {} answers again", self.source.name());
                    self.failing = false;
                }
                reason
            }
            Err(e) => {
                if !self.failing {
                    tracing::warn!("do-not-disturb source {} failed ({e}): it counts as no hold until it answers", self.source.name());
                    self.failing = true;
                }
                None
            }
        }
    }
}

impl LiveSenses {
    pub fn new(idle: Box<dyn IdleSource>, disturb: Vec<Box<dyn DisturbSource>>) -> Self {
        let disturb = disturb.into_iter().map(Watched::new).collect();
        LiveSenses {
            idle,
            idle_failures: 0,
            reprobe: None,
            disturb,
            calls: Vec::new(),
            calls_hold: false,
            apps: None,
            x11_display: None,
            screen_share: None,
            screen_share_holds: false,
        }
    }

    /// While the idle source is [`NoIdle`] (none answered at start, or the one found was
    /// dropped), calls `probe` again when idle time is read, at most once per `every`.
    pub fn with_idle_probe(mut self, probe: IdleProbe, every: Duration) -> Self {
        self.reprobe = Some(Reprobe { probe, every, next: Instant::now() + every });
        self
    }

    /// Looks for an idle source again, if there is none and it is time to.
    fn reprobe_idle(&mut self) {
        let Some(reprobe) = &mut self.reprobe else { return };
        let now = Instant::now();
        if self.idle.name() != NoIdle.name() || now < reprobe.next {
            return;
        }
        reprobe.next = now + reprobe.every;
        if let Some(source) = (reprobe.probe)() {
            tracing::info!("idle time from {} again", source.name());
            self.idle = source;
            self.idle_failures = 0;
        }
    }

    /// Also asks `calls` (camera, microphone) whether a call is on, while
    /// [`Self::set_calls_hold`] says so.
    pub fn with_calls(mut self, calls: Vec<Box<dyn DisturbSource>>) -> Self {
        self.calls = calls.into_iter().map(Watched::new).collect();
        self
    }

    /// Whether a call holds a due break (`[breaks] wait_during_calls`).
    pub fn set_calls_hold(&mut self, on: bool) {
        self.calls_hold = on;
    }

    /// The apps that hold a due break while they run or have the focus (`[breaks]
    /// wait_for_apps`); none when empty. Processes are looked for in `proc_dir` (`/proc`).
    pub fn set_hold_apps(&mut self, names: &[String], proc_dir: &Path) {
        self.apps = (!names.is_empty()).then(|| {
            #[cfg(target_os = "linux")]
            let focus = self.x11_display.as_deref().and_then(|display| match x11::X11FocusedClass::connect(display) {
                Ok(focus) => Some(Box::new(focus) as Box<dyn apps::FocusedClass>),
                Err(e) => {
                    tracing::info!("the focused window cannot be read ({e}): listed apps hold breaks while they run");
                    None
                }
            });
            #[cfg(not(target_os = "linux"))]
            let focus = None;
            Watched::new(Box::new(apps::ListedApps::new(names, proc_dir, focus)))
        });
    }

    /// Also asks `source` whether the screen is being shared, while
    /// [`Self::set_screen_share_holds`] says so.
    pub fn with_screen_share(mut self, source: Box<dyn DisturbSource>) -> Self {
        self.screen_share = Some(Watched::new(source));
        self
    }

    /// Whether a screen share holds a due break (`[breaks] wait_during_screen_share`).
    pub fn set_screen_share_holds(&mut self, on: bool) {
        self.screen_share_holds = on;
    }

    /// Probes this desktop (one session-bus connection shared by the bus sources): once for
    /// do-not-disturb sources, and for an idle source again while it has none. Cameras and
    /// microphones are looked for in `dev_dir` (`/dev`).
    pub fn probe(dev_dir: &Path) -> Self {
        let desktop = Desktop::from_env();
        let mut senses = Self::new(probe_idle(&desktop), probe_disturb(&desktop));
        senses.x11_display.clone_from(&desktop.x11_display);
        let senses = senses.with_idle_probe(idle_probe(desktop), IDLE_REPROBE_EVERY);
        #[cfg(target_os = "linux")]
        let senses = senses
            .with_calls(vec![
                Box::new(capture::CaptureInUse::new(capture::Capture::Camera, dev_dir)),
                Box::new(capture::CaptureInUse::new(capture::Capture::Microphone, dev_dir)),
            ])
            .with_screen_share(Box::new(screencast::PipeWireScreenCast::new("pw-dump".into())));
        senses
    }

    /// The names of the sources a due break waits for (calls only while the setting is on), for
    /// `respite status --json`'s `hold_sources`.
    pub fn hold_sources(&self) -> Vec<String> {
        let calls = if self.calls_hold { &self.calls[..] } else { &[] };
        let share = self.screen_share.as_ref().filter(|_| self.screen_share_holds);
        self.disturb.iter().chain(calls).chain(&self.apps).chain(share).map(|watched| watched.source.name().to_owned()).collect()
    }

    /// The idle source's name, for `respite status --json`'s `idle_source`.
    pub fn idle_source(&self) -> &'static str {
        self.idle.name()
    }
}

impl Senses for LiveSenses {
    fn idle_for(&mut self) -> Option<Duration> {
        self.reprobe_idle();
        match self.idle.idle_time() {
            Ok(idle) => {
                if self.idle_failures > 0 {
                    tracing::info!("idle source {} answers again", self.idle.name());
                }
                self.idle_failures = 0;
                idle
            }
            Err(e) => {
                self.idle_failures += 1;
                let name = self.idle.name();
                if self.idle_failures == 1 {
                    tracing::warn!("idle source {name} failed ({e}): no idle data until it answers");
                }
                if self.idle_failures >= IDLE_FAILURES_BEFORE_FALLBACK {
                    tracing::warn!(
                        "idle source {name} failed {} times in a row ({e}): all time counts as active until an idle source answers again",
                        self.idle_failures
                    );
                    self.idle = Box::new(NoIdle);
                    self.idle_failures = 0;
                    if let Some(reprobe) = &mut self.reprobe {
                        reprobe.next = Instant::now() + reprobe.every;
                    }
                }
                None
            }
        }
    }

    fn hold(&mut self) -> Option<HoldReason> {
        let calls: &mut [Watched] = if self.calls_hold { &mut self.calls } else { &mut [] };
        let share = self.screen_share.as_mut().filter(|_| self.screen_share_holds);
        self.disturb.iter_mut().chain(calls).chain(&mut self.apps).chain(share).find_map(Watched::hold_reason)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Unit tests of [`LiveSenses`] with scripted sources. The files in `tests/` test the real
    //! sources: X11 on Xvfb with openbox, Mutter's idle monitor on a real headless mutter, the
    //! other D-Bus services as stand-ins on private buses, and `ext-idle-notify-v1` against a
    //! stand-in compositor.

    #[cfg(target_os = "linux")]
    mod dbus;
    #[cfg(target_os = "linux")]
    mod mutter;
    mod session;
    /// Also used by the tests of other modules that need a private bus.
    pub(crate) mod support;
    #[cfg(target_os = "linux")]
    mod wayland;
    #[cfg(target_os = "linux")]
    mod x11;

    use super::*;
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};

    /// A source that plays back scripted answers (and counts its calls).
    #[derive(Clone, Default)]
    struct Script<T> {
        answers: Arc<Mutex<VecDeque<Result<T, &'static str>>>>,
        calls: Arc<Mutex<u32>>,
    }

    impl<T> Script<T> {
        fn push(&self, answer: Result<T, &'static str>) {
            self.answers.lock().unwrap().push_back(answer);
        }

        fn next(&self) -> Result<T, SenseError> {
            *self.calls.lock().unwrap() += 1;
            let answer = self.answers.lock().unwrap().pop_front().expect("an answer was scripted");
            answer.map_err(SenseError::Unavailable)
        }

        fn calls(&self) -> u32 {
            *self.calls.lock().unwrap()
        }
    }

    impl IdleSource for Script<Option<Duration>> {
        fn name(&self) -> &'static str {
            "script"
        }

        fn idle_time(&mut self) -> Result<Option<Duration>, SenseError> {
            self.next()
        }
    }

    impl DisturbSource for Script<Option<HoldReason>> {
        fn name(&self) -> &'static str {
            "script"
        }

        fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
            self.next()
        }
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn idle_failures_count_as_no_data_and_three_in_a_row_fall_back_to_none() {
        let idle = Script::<Option<Duration>>::default();
        let mut senses = LiveSenses::new(Box::new(idle.clone()), Vec::new());
        for answer in [Ok(Some(SECOND)), Err("gone"), Err("gone"), Ok(Some(2 * SECOND)), Err("gone"), Err("gone")] {
            idle.push(answer);
        }
        assert_eq!(senses.idle_for(), Some(SECOND));
        assert_eq!(senses.idle_for(), None);
        assert_eq!(senses.idle_for(), None);
        assert_eq!(senses.idle_source(), "script", "two failures are not yet three in a row");
        assert_eq!(senses.idle_for(), Some(2 * SECOND), "a success resets the count");
        assert_eq!(senses.idle_for(), None);
        assert_eq!(senses.idle_for(), None);
        assert_eq!(senses.idle_source(), "script");
        idle.push(Err("gone"));
        assert_eq!(senses.idle_for(), None);
        assert_eq!(senses.idle_source(), "none", "the third failure in a row falls back");
        idle.push(Ok(Some(SECOND)));
        assert_eq!(senses.idle_for(), None, "the failed source is not asked again");
        assert_eq!(idle.calls(), 7);
    }

    /// A probe that counts its calls and finds `found` once `back` is set.
    fn counting_probe(found: &Script<Option<Duration>>) -> (IdleProbe, Arc<Mutex<bool>>, Arc<Mutex<u32>>) {
        let (back, probes) = (Arc::new(Mutex::new(false)), Arc::new(Mutex::new(0)));
        let (found, is_back, count) = (found.clone(), Arc::clone(&back), Arc::clone(&probes));
        let probe: IdleProbe = Box::new(move || {
            *count.lock().unwrap() += 1;
            let source: Box<dyn IdleSource> = Box::new(found.clone());
            (*is_back.lock().unwrap()).then_some(source)
        });
        (probe, back, probes)
    }

    #[test]
    fn a_dropped_idle_source_is_probed_for_again_and_one_that_answers_is_used() {
        let (first, again) = (Script::<Option<Duration>>::default(), Script::<Option<Duration>>::default());
        let (probe, back, probes) = counting_probe(&again);
        let mut senses = LiveSenses::new(Box::new(first.clone()), Vec::new()).with_idle_probe(probe, Duration::ZERO);
        for _ in 0..3 {
            first.push(Err("gnome-shell restarting"));
            assert_eq!(senses.idle_for(), None);
        }
        assert_eq!(senses.idle_source(), "none");
        assert_eq!(*probes.lock().unwrap(), 0, "no probe while a source is there");
        assert_eq!(senses.idle_for(), None, "nothing answers yet");
        assert_eq!(*probes.lock().unwrap(), 1);

        *back.lock().unwrap() = true;
        again.push(Ok(Some(SECOND)));
        assert_eq!(senses.idle_for(), Some(SECOND), "the source found again is read at once");
        assert_eq!(senses.idle_source(), "script");
        again.push(Ok(Some(2 * SECOND)));
        assert_eq!(senses.idle_for(), Some(2 * SECOND));
        assert_eq!(*probes.lock().unwrap(), 2, "no probe while a source answers");
        assert_eq!(first.calls(), 3);
    }

    #[test]
    fn probing_for_an_idle_source_again_waits_its_interval() {
        let (probe, back, probes) = counting_probe(&Script::default());
        *back.lock().unwrap() = true;
        let mut senses = LiveSenses::new(Box::new(NoIdle), Vec::new()).with_idle_probe(probe, Duration::from_secs(3600));
        for _ in 0..3 {
            assert_eq!(senses.idle_for(), None);
        }
        assert_eq!(*probes.lock().unwrap(), 0);
    }

    #[test]
    fn a_failing_disturb_source_counts_as_no_hold_and_the_others_still_answer() {
        let first = Script::<Option<HoldReason>>::default();
        let second = Script::<Option<HoldReason>>::default();
        let mut senses = LiveSenses::new(Box::new(NoIdle), vec![Box::new(first.clone()), Box::new(second.clone())]);

        first.push(Err("gone"));
        second.push(Ok(None));
        assert_eq!(senses.hold(), None);

        first.push(Err("gone"));
        second.push(Ok(Some(HoldReason::DoNotDisturb)));
        assert_eq!(senses.hold(), Some(HoldReason::DoNotDisturb));

        first.push(Ok(Some(HoldReason::Fullscreen)));
        assert_eq!(senses.hold(), Some(HoldReason::Fullscreen), "a source that answers again is used again");
        assert_eq!(second.calls(), 2, "the first hold found is enough");
        assert_eq!(senses.idle_for(), None);
        assert_eq!(senses.idle_source(), "none");
    }

    #[test]
    fn calls_are_asked_last_and_only_while_the_setting_says_so() {
        let other = Script::<Option<HoldReason>>::default();
        let camera = Script::<Option<HoldReason>>::default();
        let mut senses = LiveSenses::new(Box::new(NoIdle), vec![Box::new(other.clone())]).with_calls(vec![Box::new(camera.clone())]);
        other.push(Ok(None));
        assert_eq!(senses.hold(), None, "off until the settings turn it on");
        assert_eq!(camera.calls(), 0);
        assert_eq!(senses.hold_sources(), ["script"]);

        senses.set_calls_hold(true);
        assert_eq!(senses.hold_sources(), ["script", "script"]);
        other.push(Ok(None));
        camera.push(Ok(Some(HoldReason::Camera)));
        assert_eq!(senses.hold(), Some(HoldReason::Camera));
        other.push(Ok(Some(HoldReason::Fullscreen)));
        assert_eq!(senses.hold(), Some(HoldReason::Fullscreen));
        assert_eq!(camera.calls(), 1, "not asked when another source already holds");
        other.push(Ok(None));
        camera.push(Err("no /proc"));
        assert_eq!(senses.hold(), None, "a failing camera source is no hold");
    }

    #[test]
    fn probing_a_desktop_with_nothing_finds_the_fallback_and_no_disturb_source() {
        let desktop = Desktop { session_bus: None, x11_display: None, wayland_socket: None, gnome_settings: false };
        let idle = probe_idle(&desktop);
        assert_eq!(idle.name(), "none");
        assert!(probe_disturb(&desktop).is_empty());
    }
}
