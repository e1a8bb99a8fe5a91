//! The command line's words: the commands, their arguments and help, as clap reads them (and as
//! the completions and the man page are made from them).

use clap::{Parser, Subcommand, ValueEnum};
use respite_core::calendar::{BadWeek, Week};
use respite_core::protocol::PauseSpec;
use respite_core::record::BreakKind;
use chrono::NaiveDate;

pub(super) const EXAMPLES: &str = "Examples:
  respite                      start Respite (it lives in the tray)
  respite status               when is the next break?
  respite status --follow      a line of JSON at each change, for a panel (waybar, polybar)
  respite break stretch        take a stretch break now
  respite pause 1h             no breaks for an hour
  respite pause until-tomorrow done for today (until the next working day)
  respite focus start          25 min rounds of focus, each followed by a break
  respite settings             open the settings window
  respite reload               apply settings.toml after editing it by hand
  respite autostart on         start Respite when you log in
  respite gnome-reminders off  let Respite take over from GNOME's own break reminders
  respite summary              this week: breaks taken, screen time, streak
  respite summary --week 2026-W47 --json
  respite export --format csv > breaks.csv
  respite completions bash > ~/.local/share/bash-completion/completions/respite
  respite man > respite.1
  respite log -n 100           the end of the daemon's log (RUST_LOG=debug respite: more of it)";

#[derive(Debug, Parser)]
#[command(name = "respite", version, about = "Respite: short, regular breaks that protect you from burnout.", after_help = EXAMPLES)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub(super) enum Cmd {
    /// Start Respite (the same as no command).
    Run,
    /// Print the shell completion script for bash, zsh or fish.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), made from the same definitions as --help.
    Man,
    /// Print the end of the daemon's log (in ~/.local/state/respite, a file a day, a week kept).
    Log {
        /// How many lines.
        #[arg(short = 'n', long, default_value_t = 50)]
        lines: usize,
    },
    /// Show the state and the next break.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Keep running and print one line of JSON each time what the tray shows changes, for
        /// panels without a tray (waybar's custom-module format: text, tooltip, and the state
        /// as class and alt: running, paused, on_break or focus). The first line comes at once.
        /// It never polls. When Respite stops, or is not running, it prints a line with class
        /// "stopped" and exits with code 3: have the panel start it again (waybar:
        /// "restart-interval").
        #[arg(long, conflicts_with = "json")]
        follow: bool,
    },
    /// Take a break now.
    Break {
        /// eye, stretch or walk
        #[arg(value_parser = parse_kind)]
        kind: BreakKind,
    },
    /// Pause breaks: for a time (30m, 1h, 1h30m), until-tomorrow, or indefinitely.
    Pause {
        #[arg(value_parser = PauseSpec::parse)]
        length: PauseSpec,
    },
    /// End a pause.
    Resume,
    /// Skip the break on screen, or the next one.
    Skip,
    /// Put off the break on screen, or the next one, by the postpone setting.
    Postpone,
    /// Focus mode (Pomodoro): rounds of work, each followed by a break.
    Focus {
        #[arg(value_enum)]
        action: FocusAction,
    },
    /// Stop Respite.
    Quit,
    /// Read settings.toml again and apply it now.
    Reload,
    /// Open the settings window.
    Settings,
    /// Open the welcome window again (a preset, launch at login, sounds).
    Welcome,
    /// Start Respite when you log in: on, off, or status (works without Respite running).
    Autostart {
        #[arg(value_enum)]
        action: AutostartAction,
    },
    /// GNOME's own break reminders (GNOME 48 and later): are they on too, or turn them off so
    /// Respite's breaks take over. Respite never turns them off unless asked (here, or in the
    /// notification it shows once when it finds them on). GNOME Settings, Wellbeing, turns them
    /// back on. Works without Respite running.
    GnomeReminders {
        #[arg(value_enum)]
        action: GnomeAction,
    },
    /// The weekly summary: breaks taken, screen time, streak (works without Respite running).
    Summary {
        /// The ISO week, YYYY-Www (2026-W47). Default: this week.
        #[arg(long, value_parser = parse_week)]
        week: Option<Week>,
        /// Print JSON (what the summary window draws).
        #[arg(long)]
        json: bool,
        /// Open the summary window instead (asks the running Respite).
        #[arg(long, conflicts_with = "json")]
        open: bool,
    },
    /// Print the break log (works without Respite running).
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// First day, YYYY-MM-DD (local time).
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last day, YYYY-MM-DD (local time), included.
        #[arg(long)]
        to: Option<NaiveDate>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum FocusAction {
    Start,
    Stop,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum AutostartAction {
    On,
    Off,
    Status,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum GnomeAction {
    Status,
    Off,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum ExportFormat {
    Csv,
    Json,
}

pub(super) fn parse_kind(text: &str) -> Result<BreakKind, String> {
    text.parse().map_err(|e: respite_core::record::UnknownKind| e.to_string())
}

pub(super) fn parse_week(text: &str) -> Result<Week, String> {
    text.parse().map_err(|e: BadWeek| e.to_string())
}
