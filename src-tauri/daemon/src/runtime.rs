//! The runtime: owns the scheduler, the store and the launcher, and turns inputs and deadlines
//! into actions. One thread, one loop: it sleeps until the next deadline (the scheduler's, a
//! tray label change, a window that must be gone, a reminder) or the next input, whichever
//! comes first. It never polls: the idle time is read when the scheduler's next decision needs
//! it. At each wake-up it compares the clocks, so a sleep or a wall-clock jump is noticed.
//!
//! Working hours live here, in the local zone: screen time is split at their edges and logged
//! as during or after hours, one nudge an evening says the work will keep, and an optional
//! bedtime reminder comes at its time if the person is at the screen.
//!
//! Writes go through the [`Journal`]: records that cannot be written (locked database, full
//! disk, read-only folder) are kept in memory and retried with growing delays, and the user is
//! told once, in a notification, the log and `status`, so nothing already known is lost.
//!
//! What the tray shows (the state and the info line) is also published to subscribers as a
//! [`Notice::Glance`] whenever it changes, with or without a tray, for panels that follow it
//! (`respite status --follow`); each new subscriber gets the current one first.
//!
//! Whether a break's window came up is known here, not in the scheduler: the overlay says when
//! it is on screen ([`Request::Shown`]), and its process's exit is reported. A break that ends
//! without its window on screen the whole time (none came up, or `respite-ui` exited during
//! it) is logged with `shown` false, so neither the log nor the summary calls it taken.
//!
//! `respite reload` (and every change made in the settings window) reads the settings file
//! again and applies it at once: plans, rules, sensing, focus rhythm, working hours, evening,
//! overlays, sound and retention. Active time already worked is kept. Its problems replace the
//! settings warnings of the last read, reported the same way as at start.

use crate::chores::{OverlayPlanner, Prepare, PrunePlanner, SelfCheckPlanner};
use crate::evening::{EveningPlanner, Reminder};
use crate::glance::{Glance, GlanceSink};
use crate::input::Input;
use crate::effects::{Effects, Locker, Media, Notifier};
use crate::media::PausedPlayer;
use crate::launcher::{Launcher, PREPARE_LEAD};
use crate::notify;
use crate::senses::LiveSenses;
use crate::sound::{Chime, Sound};
use crate::weekly::Announcer;
use chrono::Local;
use respite_core::message::Message;
use respite_core::clock::{Clock, ClockChange, ClockWatch, Now};
use respite_core::journal::{Journal, JournalNotice};
use respite_core::record::{BreakKind, Outcome, Style};
use respite_core::protocol::{to_line, Notice, PauseSpec, Request, Response, Status, WindowName};
use respite_core::schedule::{ActiveBreak, Command, Event, NextBreak, PauseLength, Phase, Scheduler, ScreenLock};
use respite_core::settings::Settings;
use respite_core::text;
use respite_core::store::OpenBreak;
use respite_core::calendar::next_midnight;
use respite_core::workhours::WorkHours;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// See the module documentation.
pub struct Runtime {
    clock: Box<dyn Clock>,
    watch: ClockWatch,
    senses: LiveSenses,
    /// To send itself the choice made on a notification (postpone from the notice).
    inputs: Sender<Input>,
    scheduler: Scheduler,
    hours: WorkHours,
    evening: EveningPlanner,
    selfcheck: SelfCheckPlanner,
    journal: Journal,
    launcher: Launcher,
    notifier: Box<dyn Notifier>,
    /// At most [`MAX_SUBSCRIBERS`].
    subscribers: Vec<UnixStream>,
    tray: Option<GlanceSink>,
    /// What the tray and the subscribers were last shown.
    shown_tray: Option<Glance>,
    /// Problems to show in `status` for the whole run (a replaced database, …).
    warnings: Vec<String>,
    /// The settings file, read again on `reload`, and the problems of its last read.
    settings_file: Option<PathBuf>,
    settings_problems: Vec<Message>,
    prune: PrunePlanner,
    sound: Sound,
    /// Per kind, the content shown at the next break (rotates so breaks in a row differ), and
    /// the content of the break on screen.
    next_idea: [u32; 3],
    idea_on_screen: Option<(u64, u32)>,
    overlay_prep: OverlayPlanner,
    /// The break on screen and where its window is.
    break_window: Option<(u64, BreakWindow)>,
    summary_announcer: Announcer,
    media: Box<dyn Media>,
    /// Per kind: pause the media players for the break.
    pause_media: [bool; 3],
    /// The players paused for the break on screen.
    paused_media: Vec<PausedPlayer>,
    locker: Box<dyn Locker>,
    /// Per kind: lock the screen for the break.
    lock: [bool; 3],
    /// The break the screen was locked for: unlocking during it is coming back early.
    locked_for: Option<u64>,
    /// The shared history folder (`[devices]`), when one is set, and what it asks for.
    shared: Option<crate::shared_history::SharedHistory>,
    devices: respite_core::settings::DevicesPrefs,
    /// Where this device's id for it is kept (the data folder); `None`: no shared history.
    data_dir: Option<PathBuf>,
    /// The notification of the gentle break on screen, to take away when it ends by itself.
    gentle_offer: Option<crate::notify::Withdraw>,
    /// The global shortcuts set, and the keys they are bound to (X11 only).
    shortcuts: respite_core::shortcut::Shortcuts,
    #[cfg(target_os = "linux")]
    keys: crate::shortcuts::KeysSlot,
}

impl Runtime {
    /// `warnings`: the problems found in `settings`.
    pub fn new(clock: Box<dyn Clock>, mut senses: LiveSenses, inputs: Sender<Input>, settings: &Settings, mut journal: Journal, effects: Effects, settings_problems: Vec<Message>) -> Self {
        let Effects { launcher, notifier, speaker, media, locker } = effects;
        let now = clock.now();
        senses.set_calls_hold(settings.calls_hold);
        let scheduler =
            Scheduler::new(settings.plans(), now).with_rules(settings.rules).with_sensing(settings.sensing).with_focus_plan(settings.focus);
        // Start the rotation where the log left it, so restarts do not repeat the same content.
        let next_idea = BreakKind::ALL.map(|kind| {
            let logged = journal.store_mut().and_then(|s| s.count_kind(kind).ok()).unwrap_or(0);
            u32::try_from(logged % u64::from(u32::MAX)).unwrap_or(0)
        });
        let watch = ClockWatch::new(now, clock.slept());
        let mut runtime = Self {
            clock,
            watch,
            senses,
            inputs,
            scheduler,
            hours: settings.hours,
            evening: EveningPlanner::new(settings.evening, now.wall, &Local),
            selfcheck: SelfCheckPlanner::new(settings.selfcheck, now.wall, &Local),
            journal,
            launcher,
            notifier,
            subscribers: Vec::new(),
            tray: None,
            shown_tray: None,
            warnings: Vec::new(),
            settings_file: None,
            settings_problems,
            prune: PrunePlanner::new(settings.keep, now),
            sound: Sound::new(settings.sound, speaker),
            next_idea,
            idea_on_screen: None,
            overlay_prep: OverlayPlanner::new(PREPARE_LEAD),
            break_window: None,
            summary_announcer: Announcer::default(),
            media,
            pause_media: settings.pause_media,
            paused_media: Vec::new(),
            locker,
            lock: settings.lock,
            locked_for: None,
            gentle_offer: None,
            shared: None,
            devices: settings.devices.clone(),
            data_dir: None,
            shortcuts: settings.shortcuts,
            #[cfg(target_os = "linux")]
            keys: crate::shortcuts::KeysSlot::None,
        };
        runtime.set_day_rules(settings, now);
        runtime.seed_screen_time(now);
        runtime.tell_journal_notices();
        runtime
    }

    pub fn set_tray(&mut self, tray: GlanceSink) {
        self.tray = Some(tray);
    }

    /// Where the weekly summary notification remembers the last week it announced.
    pub fn set_announcer(&mut self, announcer: Announcer) {
        self.summary_announcer = announcer;
    }

    /// Where this device's id for the shared history folder is kept: the shared history starts
    /// here, when the settings set a folder.
    pub fn set_data_dir(&mut self, data_dir: PathBuf) {
        self.data_dir = Some(data_dir);
        self.open_shared_history();
    }

    /// The settings file that `reload` reads.
    pub fn set_settings_file(&mut self, file: PathBuf) {
        self.settings_file = Some(file);
    }

    /// Reads the settings file again and applies it; see the module documentation.
    fn reload(&mut self, now: Now) -> Response {
        let Some(file) = self.settings_file.clone() else { return Response::refused(Message::new("error.no_settings_file")) };
        let crate::settings_file::LoadedSettings { settings, problems, .. } = crate::settings_file::load_settings(&file);
        tracing::info!(problems = problems.len(), "settings reloaded from {}", file.display());
        self.settings_problems = problems;
        match self.scheduler.handle(Command::SetPlans(settings.plans()), now) {
            Ok(events) => self.apply(events, now),
            Err(e) => tracing::warn!("cannot apply the new break plans: {e}"),
        }
        self.scheduler.set_rules(settings.rules);
        self.scheduler.set_sensing(settings.sensing);
        self.senses.set_calls_hold(settings.calls_hold);
        self.scheduler.set_focus_plan(settings.focus);
        self.hours = settings.hours;
        self.evening.set_prefs(settings.evening, now.wall, &Local);
        self.selfcheck.set_prefs(settings.selfcheck, now.wall, &Local);
        self.launcher.set_prefs(settings.overlay);
        self.sound.set_prefs(settings.sound);
        self.prune.set_keep(settings.keep, now);
        self.pause_media = settings.pause_media;
        self.lock = settings.lock;
        if self.devices != settings.devices {
            self.devices = settings.devices.clone();
            self.open_shared_history();
        }
        if self.shortcuts != settings.shortcuts {
            self.shortcuts = settings.shortcuts;
            self.bind_shortcuts();
        }
        self.set_day_rules(&settings, now);
        Response::ok(self.status(now))
    }

    /// Runs until a quit request or until every input sender is gone.
    pub fn run(mut self, inputs: Receiver<Input>) {
        loop {
            let now = self.clock.now();
            self.watch_clocks(now);
            let events = self.scheduler.tick(now, &mut self.senses);
            self.apply(events, now);
            let reminder_at = [self.evening_reminders(now), self.offer_selfcheck(now)].into_iter().flatten().min();
            let present = self.scheduler.active_since().is_some();
            self.summary_announcer.check(now.wall, present, self.journal.store_mut().map(|s| &*s), &self.hours, &self.inputs, &*self.notifier);
            self.launcher.enforce(now.mono);
            if self.journal.retry_at().is_some_and(|at| at <= now.mono) {
                self.journal.retry(now.wall, now.mono);
            }
            self.tell_journal_notices();
            self.prune_if_due(now);
            let prepare_at = self.prepare_overlay(now);
            let tray_change = self.refresh_tray(now);
            let shared_at = self.share_history(now);

            let wake = [self.scheduler.next_deadline(), self.launcher.next_deadline(), self.journal.retry_at(), self.prune.next(), prepare_at, tray_change, reminder_at, shared_at]
                .into_iter()
                .flatten()
                .min();
            let input = match wake {
                Some(at) => inputs.recv_timeout(self.clock.real_wait(at.saturating_sub(now.mono))),
                None => inputs.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match input {
                Ok(Input::Request { request: Request::Quit, reply }) => {
                    let now = self.clock.now();
                    if let Some(reply) = reply {
                        let _ = reply.send(Response::ok(self.status(now)));
                    }
                    break;
                }
                Ok(input) => self.handle(input),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        self.shutdown(&inputs);
    }

    fn handle(&mut self, input: Input) {
        match input {
            Input::Request { request, reply } => {
                let response = self.answer(request);
                if let Some(reply) = reply {
                    let _ = reply.send(response);
                }
            }
            Input::Subscribe(mut stream) => {
                self.subscribers.retain(still_connected);
                if self.subscribers.len() >= MAX_SUBSCRIBERS {
                    tracing::info!("control request refused: {MAX_SUBSCRIBERS} subscribers already");
                    return;
                }
                // The current glance first, so a panel never starts empty and misses nothing
                // between asking for the state and subscribing.
                let glance = to_line(&self.glance(self.clock.now()).notice());
                if stream.set_nonblocking(true).is_ok() && stream.write_all(glance.as_bytes()).is_ok() {
                    self.subscribers.push(stream);
                }
            }
            Input::UiExited { pid } => {
                let Some(break_id) = self.launcher.exited(pid) else { return };
                if let Some((id, window)) = self.break_window.as_mut().filter(|(id, _)| *id == break_id) {
                    match window {
                        BreakWindow::Awaited => tracing::warn!(break_id = *id, pid, "respite-ui exited before the break's window came up; the break runs without a window"),
                        BreakWindow::OnScreen => tracing::warn!(break_id = *id, pid, "respite-ui exited during the break; the break runs without a window"),
                        BreakWindow::Gone => {}
                    }
                    *window = BreakWindow::Gone;
                }
            }
            Input::Wake => {}
            Input::Screen(lock) => {
                let now = self.clock.now();
                tracing::info!(locked = lock == ScreenLock::Locked, "screen lock");
                let events = self.scheduler.screen(lock, now);
                self.apply(events, now);
                if lock == ScreenLock::Unlocked {
                    self.unlocked();
                }
            }
        }
    }

    /// Tells the scheduler about a sleep or a wall-clock jump since the last wake-up.
    fn watch_clocks(&mut self, now: Now) {
        for change in self.watch.check(now, self.clock.slept()) {
            match change {
                ClockChange::Slept(d) => {
                    tracing::info!(slept_secs = d.as_secs(), "the computer slept: counted as time away");
                    self.scheduler.slept(d, now);
                }
                ClockChange::WallMoved(by) => {
                    tracing::warn!(seconds = by.num_seconds(), "the wall clock moved; breaks keep their rhythm, reminders follow the new time");
                    self.scheduler.wall_changed(now);
                    self.evening.wall_moved(now.wall, &Local);
                    self.selfcheck.wall_moved(now.wall, &Local);
                }
            }
        }
    }

    fn answer(&mut self, request: Request) -> Response {
        let now = self.clock.now();
        let command = match request {
            Request::Status => None,
            Request::Hello => {
                tracing::info!("another start of respite handed over to this one: opening the settings");
                if let Err(e) = self.launcher.open_window(WindowName::Settings, None) {
                    tracing::warn!("{e}");
                    self.notifier.send(text::t("notify.running.title"), self.glance(now).info);
                }
                None
            }
            Request::Break { kind } => Some(Command::TakeBreak(kind)),
            Request::Pause { length } => Some(Command::Pause(match length {
                PauseSpec::ForSecs(secs) => PauseLength::For(Duration::from_secs(secs)),
                PauseSpec::UntilTomorrow => {
                    PauseLength::Until(self.hours.next_day_start(now.wall, &Local).unwrap_or_else(|| next_midnight(now.wall, &Local)))
                }
                PauseSpec::Indefinitely => PauseLength::Indefinitely,
            })),
            Request::Resume => Some(Command::Resume),
            Request::Skip { break_id } => Some(Command::Skip(break_id)),
            Request::Postpone { break_id } => Some(Command::Postpone(break_id)),
            Request::Finish { break_id } => Some(Command::Finish(break_id)),
            Request::Shown { break_id } => {
                if let Phase::OnBreak(brk) = self.scheduler.phase() {
                    if brk.id == break_id {
                        let latency = (now.wall - brk.started_at).num_milliseconds();
                        tracing::info!(break_id, latency_ms = latency, "overlay on screen");
                        if let Some((_, window @ BreakWindow::Awaited)) = self.break_window.as_mut().filter(|(id, _)| *id == break_id) {
                            *window = BreakWindow::OnScreen;
                        }
                    }
                }
                None
            }
            Request::Focus { on } => Some(if on { Command::StartFocus } else { Command::StopFocus }),
            Request::Reload => return self.reload(now),
            Request::Open { window, week } => {
                if window == WindowName::Summary {
                    self.import_now(now);
                }
                if let Err(e) = self.launcher.open_window(window, week) {
                    tracing::error!("{e}");
                    return Response::refused(Message::new("error.window_cannot_open").text("window", window.as_str()).text("detail", e));
                }
                None
            }
            Request::SelfCheck { week, answers } => {
                tracing::info!(%week, "weekly self-check answered");
                self.journal.self_check(week, answers, now.wall, now.mono);
                if let Some(shared) = self.shared.as_ref().filter(|_| self.devices.share_checkins) {
                    shared.share_check(week, answers, now.wall);
                }
                None
            }
            // The run loop takes Quit and the socket server takes Subscribe before they get
            // here; should either arrive anyway, it is refused, not a reason to stop.
            Request::Quit | Request::Subscribe => {
                tracing::warn!(?request, "a request that the loop or the socket should have taken reached the runtime; refused");
                return Response::refused(Message::new("error.not_answered_here"));
            }
        };
        if let Some(command) = command {
            tracing::info!(?command, "command");
            match self.scheduler.handle(command, now) {
                Ok(events) => self.apply(events, now),
                Err(e) => return Response::refused(e.message()),
            }
        }
        Response::ok(self.status(now))
    }

    fn apply(&mut self, events: Vec<Event>, now: Now) {
        for event in events {
            match event {
                Event::Upcoming(next) => self.tell_upcoming(&next),
                Event::StillHeld { kind, reason } => {
                    tracing::debug!(kind = %kind, reason = reason.as_str(), "break still held back: {}", reason.describe());
                }
                Event::Held { kind, reason } => {
                    tracing::info!(kind = %kind, reason = reason.as_str(), "break held back: {}", reason.describe());
                }
                Event::Active { start, end } => {
                    for span in self.hours.split(start, end, &Local) {
                        self.evening.logged(&span, &Local);
                        self.journal.activity(span, now.wall, now.mono);
                    }
                    self.logged(now);
                }
                Event::FocusRound(round) => {
                    tracing::info!(round = round.round, completed = round.completed, "focus round ended");
                    self.journal.focus_round(round, now.wall, now.mono);
                }
                Event::BreakStarted(brk) => {
                    let open = OpenBreak {
                        kind: brk.kind,
                        covers: brk.covers.clone(),
                        trigger: brk.trigger,
                        due_at: brk.due_at,
                        started_at: brk.started_at,
                        planned_secs: u32::try_from(brk.planned.as_secs()).unwrap_or(u32::MAX),
                        style: brk.style,
                    };
                    self.journal.open_break(open, now.wall, now.mono);
                    tracing::info!(id = brk.id, kind = %brk.kind, covers = ?brk.covers, style = brk.style.as_str(), "break started");
                    self.sound.play(Chime::Start);
                    match brk.style {
                        Style::Notification => self.ask_gentle(&brk),
                        Style::Overlay => self.show_break(&brk),
                    }
                    self.publish(&Notice::BreakStarted { break_id: brk.id, kind: brk.kind });
                }
                Event::BreakEnded { id, mut record } => {
                    let window = self.break_window.take().filter(|(on, _)| *on == id).map(|(_, window)| window);
                    // A notification-style break has no window to be shown or not.
                    record.shown = (record.style == Style::Overlay).then_some(window == Some(BreakWindow::OnScreen));
                    self.withdraw_gentle();
                    tracing::info!(id, kind = %record.kind, outcome = record.outcome.as_str(), shown = record.shown, "break ended");
                    if record.shown == Some(false) {
                        tracing::warn!(id, "the break ended without its window on screen; it is logged as not shown");
                    }
                    self.journal.break_ended(record.clone(), now.wall, now.mono);
                    self.logged(now);
                    self.launcher.break_ended(id, now.mono);
                    if record.outcome == Outcome::Completed {
                        self.sound.play(Chime::End);
                    }
                    self.back_to_screen();
                    self.publish(&Notice::BreakEnded { break_id: id, outcome: record.outcome });
                }
                Event::Logged(record) => {
                    tracing::info!(kind = %record.kind, outcome = record.outcome.as_str(), "break logged");
                    self.journal.logged(record, now.wall, now.mono);
                    self.logged(now);
                }
                limit @ (Event::BudgetNear { .. } | Event::BudgetReached { .. } | Event::Reminder { .. }) => self.tell_limit(limit),
            }
        }
    }

    /// Puts the break `brk` on screen: the next idea of its kind, the music paused and the screen
    /// locked as its kind says, and its overlay.
    fn show_break(&mut self, brk: &ActiveBreak) {
        let idea = &mut self.next_idea[brk.kind.index()];
        self.idea_on_screen = Some((brk.id, *idea));
        *idea = idea.wrapping_add(1);
        self.away_from_screen(brk.id, brk.kind);
        self.break_window = Some((brk.id, BreakWindow::Awaited));
        if let Err(e) = self.launcher.show_overlay(brk.id) {
            tracing::error!("{e}; the break runs without a window");
            let warning = format!("Break windows cannot open: {e}");
            if !self.warnings.contains(&warning) {
                self.warnings.push(warning);
            }
        }
    }

    fn shutdown(mut self, inputs: &Receiver<Input>) {
        let now = self.clock.now();
        let events = self.scheduler.interrupt(now);
        self.apply(events, now);
        self.publish(&Notice::ShuttingDown);
        self.launcher.shutdown(inputs);
        if self.journal.waiting() > 0 {
            self.journal.retry(now.wall, now.mono);
        }
        if let (Some(shared), Some(store)) = (self.shared.as_mut(), self.journal.store_mut()) {
            shared.flush(store, now.mono, now.wall);
        }
        if self.journal.waiting() > 0 {
            tracing::error!("{} break record(s) could not be saved before quitting", self.journal.waiting());
        }
        tracing::info!("runtime stopped");
    }
}

/// Where the window of the break on screen is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BreakWindow {
    /// Asked for: not on screen yet (`respite-ui` starting, or it could not start).
    Awaited,
    /// The overlay said it is on screen.
    OnScreen,
    /// Its `respite-ui` exited before the break ended.
    Gone,
}

/// Followers of the daemon's notices at once (overlays, panels): more are refused.
const MAX_SUBSCRIBERS: usize = 64;

/// Whether a subscriber (non-blocking) is still there: its end not closed. A subscriber sends
/// nothing after subscribing; anything it does send is read and ignored.
fn still_connected(stream: &UnixStream) -> bool {
    use std::io::Read as _;
    match (&*stream).read(&mut [0; 64]) {
        Ok(0) => false,
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::WouldBlock,
    }
}

mod away;
mod gentle;
mod shared;
mod keys;
mod limits;
mod reminders;
mod shown;

#[cfg(test)]
mod tests;
