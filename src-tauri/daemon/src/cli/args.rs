//! The command line's words: the commands and their arguments as clap reads them, and their help
//! from the locale file ([`described`]: `cli.help.*`), in the person's language for `--help`
//! and in English for the man page and the completions.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use respite_core::text::Texts;
use respite_core::calendar::{BadWeek, Week};
use respite_core::protocol::PauseSpec;
use respite_core::record::BreakKind;
use chrono::NaiveDate;

#[derive(Debug, Parser)]
#[command(name = "respite", version)]
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

/// The arguments that have help of their own, as (command, argument id).
const ARGUMENT_HELP: &[(&str, &str)] = &[
    ("log", "lines"),
    ("status", "json"),
    ("status", "follow"),
    ("break", "kind"),
    ("summary", "week"),
    ("summary", "json"),
    ("summary", "open"),
    ("export", "from"),
    ("export", "to"),
];

/// The command line with its help in `texts`' language: `cli.help.<command>` and
/// `cli.help.<command>.<argument>` (clap's own headings, "Usage" and "Options", stay English).
pub(super) fn described(texts: &Texts) -> clap::Command {
    let mut command = Cli::command().about(texts.get("cli.help.about").to_owned()).after_help(texts.get("cli.help.examples").to_owned());
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_owned()).collect();
    for name in names {
        let about = texts.get(&format!("cli.help.{name}")).to_owned();
        command = command.mut_subcommand(&name, |sub| {
            let mut sub = sub.about(about).long_about(None);
            for (_, argument) in ARGUMENT_HELP.iter().filter(|(owner, _)| *owner == name) {
                let help = texts.get(&format!("cli.help.{name}.{argument}")).to_owned();
                sub = sub.mut_arg(*argument, |arg| arg.help(help).long_help(None));
            }
            sub
        });
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_described_argument_has_help_in_the_locale_file() {
        let english = Texts::english();
        let command = described(&english);
        command.clone().debug_assert();
        for sub in command.get_subcommands() {
            let key = format!("cli.help.{}", sub.get_name());
            assert_ne!(english.get(&key), key, "{key} is missing from en.json");
            assert_eq!(sub.get_about().map(ToString::to_string), Some(english.get(&key).to_owned()));
        }
        for (owner, argument) in ARGUMENT_HELP {
            let key = format!("cli.help.{owner}.{argument}");
            assert_ne!(english.get(&key), key, "{key} is missing from en.json");
            let sub = command.find_subcommand(owner).expect("a command");
            assert!(sub.get_arguments().any(|a| a.get_id() == *argument), "{owner} has no argument {argument}");
        }
    }

    #[test]
    fn help_follows_the_language() {
        let pseudo = described(&Texts::pseudo());
        let about = pseudo.find_subcommand("pause").and_then(|c| c.get_about()).map(ToString::to_string).unwrap_or_default();
        assert!(respite_core::text::is_pseudo(&about), "{about}");
    }
}
