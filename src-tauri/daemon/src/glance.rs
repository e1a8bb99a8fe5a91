//! What Respite shows at a glance: its state in a word and one line of words ("Next: Stretch in
//! 12 min"), made from a [`Status`] in one place for the tray's menu and tooltip and for the
//! panels that follow the daemon's notices (`respite status --follow`). No GTK here: the daemon
//! publishes glances with or without a tray.

use respite_core::protocol::{Mode, Notice, State, Status};
use respite_core::text::Texts;

/// What Respite shows at a glance: in the tray's menu and tooltip, and to panels that follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glance {
    /// The info line, e.g. "Next: Stretch in 12 min".
    pub info: String,
    pub paused: bool,
    pub on_break: bool,
    pub focusing: bool,
}

impl Glance {
    /// The state in one word, as panels show it.
    pub fn mode(&self) -> Mode {
        if self.on_break {
            Mode::OnBreak
        } else if self.paused {
            Mode::Paused
        } else if self.focusing {
            Mode::Focus
        } else {
            Mode::Running
        }
    }

    /// The notice that tells subscribers about it.
    pub fn notice(&self) -> Notice {
        Notice::Glance { state: self.mode(), info: self.info.clone() }
    }
}

/// Receives what to show (on another thread: the tray posts it to its own loop).
pub type GlanceSink = Box<dyn Fn(Glance) + Send>;

impl Glance {
    /// What `status` looks like at a glance, in `texts`.
    pub fn of(texts: &Texts, status: &Status) -> Self {
        Self {
            info: info_line(texts, status),
            paused: status.state == State::Paused,
            on_break: status.state == State::OnBreak,
            focusing: status.focus.is_some(),
        }
    }
}

/// The line at the top of the menu (and the tooltip): what Respite is doing and what comes next.
fn info_line(texts: &Texts, status: &Status) -> String {
    match (&status.state, &status.current, &status.next) {
        (State::OnBreak, Some(current), _) => texts.fill("tray.on_break", &[("kind", &texts.kind_title(current.kind))]),
        (State::Paused, _, _) => match status.paused_until {
            Some(until) => texts.fill("tray.paused_until", &[("time", &until.format("%H:%M"))]),
            None => texts.get("tray.paused").to_owned(),
        },
        _ if status.holding.is_some() => texts.fill("tray.held", &[("reason", &status.holding.map(|r| texts.hold_reason(r)).unwrap_or_default())]),
        _ if status.away => texts.get("tray.away").to_owned(),
        (_, _, None) if status.outside_hours => texts.get("tray.outside_hours").to_owned(),
        (_, _, Some(next)) => match &status.focus {
            Some(focus) => texts.fill("tray.focus_round", &[("round", &focus.round), ("rounds", &focus.rounds), ("time", &texts.time_left(next.in_secs))]),
            None => texts.fill("tray.next", &[("kind", &texts.kind_title(next.kind)), ("time", &texts.time_left(next.in_secs))]),
        },
        _ => texts.get("tray.none").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use respite_core::record::BreakKind;
    use respite_core::text;

    /// The menu's top line in every state, in `texts`.
    fn info_lines(texts: &Texts) -> Vec<String> {
        use respite_core::clock::ManualClock;
        use respite_core::senses::HoldReason;
        use respite_core::schedule::{Command, PauseLength, Scheduler};
        use respite_core::settings::Settings;
        let clock = ManualClock::starting_at("2026-11-23T09:00:00Z".parse().unwrap());
        let now = clock.advance(std::time::Duration::from_secs(60));
        let status = |scheduler: &Scheduler| Status::of(scheduler, now, &chrono::Utc, Vec::new(), "none");
        let mut scheduler = Scheduler::new(Settings::default().plans(), now);
        let mut lines = vec![info_line(texts, &status(&scheduler))];
        let mut away = status(&scheduler);
        away.away = true;
        lines.push(info_line(texts, &away));
        let mut held = status(&scheduler);
        held.holding = Some(HoldReason::Fullscreen);
        lines.push(info_line(texts, &held));
        let mut in_an_hour = status(&scheduler);
        in_an_hour.next.as_mut().unwrap().in_secs = 3700;
        lines.push(info_line(texts, &in_an_hour));
        let mut none = status(&scheduler);
        none.next = None;
        lines.push(info_line(texts, &none));
        let mut after_hours = status(&scheduler);
        after_hours.next = None;
        after_hours.outside_hours = true;
        lines.push(info_line(texts, &after_hours));
        scheduler.handle(Command::StartFocus, now).unwrap();
        lines.push(info_line(texts, &status(&scheduler)));
        scheduler.handle(Command::StopFocus, now).unwrap();
        scheduler.handle(Command::TakeBreak(BreakKind::Stretch), now).unwrap();
        lines.push(info_line(texts, &status(&scheduler)));
        scheduler.handle(Command::Skip(None), now).unwrap();
        scheduler.handle(Command::Pause(PauseLength::For(std::time::Duration::from_secs(1800))), now).unwrap();
        lines.push(info_line(texts, &status(&scheduler)));
        scheduler.handle(Command::Resume, now).unwrap();
        scheduler.handle(Command::Pause(PauseLength::Indefinitely), now).unwrap();
        lines.push(info_line(texts, &status(&scheduler)));
        lines
    }

    #[test]
    fn the_info_line_comes_from_the_locale_file_in_every_state() {
        for line in info_lines(&Texts::pseudo()) {
            assert!(text::is_pseudo(&line), "{line}");
        }
        assert_eq!(
            info_lines(&Texts::english()),
            [
                "Next: Eye rest in 20 min",
                "Away: time away does not count",
                "Break waits: a fullscreen window",
                "Next: Eye rest in 1 h 2 min",
                "No breaks scheduled",
                "Outside working hours: no breaks",
                "Focus round 1 of 4: break in 25 min",
                "On a break: Stretch",
                "Paused until 09:31",
                "Paused",
            ]
        );
    }
}
