//! The command line: `respite` alone starts the daemon; subcommands talk to it over the control
//! socket, except `export` and `summary`, which read the database directly, `autostart`, which
//! changes the login entry, and `gnome-reminders`, which reads or changes GNOME's own break
//! reminders; none of these needs a daemon.
//!
//! Exit codes: 0 done; 1 the daemon refused or an error occurred; 2 bad arguments (clap);
//! 3 Respite is not running.

use crate::gnome_reminders::{self, GnomeReminders, Reminders};
use crate::{daemon, follow, instance, logging};
use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use respite_core::client::{self, ClientError};
use respite_core::export::{self, Format};
use respite_core::record::BreakKind;
use respite_core::paths::Paths;
use respite_core::autostart::Autostart;
use respite_core::protocol::{PauseSpec, Request, State, Status, WindowName};
use respite_core::store::{Store, StoreError};
use respite_core::calendar::{BadWeek, Week};
use respite_core::summary::{self, week_summary, Summary, Tally};
use respite_core::text;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const EXAMPLES: &str = "Examples:
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
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
enum Cmd {
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
enum FocusAction {
    Start,
    Stop,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum AutostartAction {
    On,
    Off,
    Status,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum GnomeAction {
    Status,
    Off,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
}

fn parse_kind(text: &str) -> Result<BreakKind, String> {
    text.parse().map_err(|e: respite_core::record::UnknownKind| e.to_string())
}

fn parse_week(text: &str) -> Result<Week, String> {
    text.parse().map_err(|e: BadWeek| e.to_string())
}

/// Entry point of the `respite` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Cmd::Completions { shell }) => return write_out(&completions(shell)),
        Some(Cmd::Man) => return write_out(&man_page()),
        _ => {}
    }
    let paths = match Paths::from_env() {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("respite: {e}");
            return ExitCode::FAILURE;
        }
    };
    if matches!(cli.command, None | Some(Cmd::Run)) {
        // Before the log, which would create the state folder with the default mode.
        let private = paths.make_private();
        logging::init("info", Some(&paths.state_dir));
        for result in private {
            match result {
                Ok(done) => tracing::warn!("{done}"),
                Err(e) => tracing::warn!("{e}"),
            }
        }
    } else {
        logging::init("warn", None);
    }
    let request = match cli.command {
        Some(Cmd::Completions { .. } | Cmd::Man) => unreachable!("answered above"),
        Some(Cmd::Log { lines }) => return print_log(&paths, lines),
        None | Some(Cmd::Run) => return daemon::start(&paths),
        Some(Cmd::Export { format, from, to }) => return export(&paths, format, from, to),
        Some(Cmd::Summary { open: true, week, .. }) => return open(&paths, WindowName::Summary, week),
        Some(Cmd::Summary { week, json, open: false }) => return print_summary(&paths, week, json),
        Some(Cmd::Status { follow: true, .. }) => return follow::follow(&paths.socket(), text::texts(), &mut std::io::stdout()),
        Some(Cmd::Status { json, follow: false }) => return status(&paths, json),
        Some(Cmd::Break { kind }) => Request::Break { kind },
        Some(Cmd::Pause { length }) => Request::Pause { length },
        Some(Cmd::Resume) => Request::Resume,
        Some(Cmd::Skip) => Request::Skip { break_id: None },
        Some(Cmd::Postpone) => Request::Postpone { break_id: None },
        Some(Cmd::Focus { action }) => Request::Focus { on: matches!(action, FocusAction::Start) },
        Some(Cmd::Quit) => return quit(&paths),
        Some(Cmd::Reload) => return reload(&paths),
        Some(Cmd::Settings) => return open(&paths, WindowName::Settings, None),
        Some(Cmd::Welcome) => return open(&paths, WindowName::Welcome, None),
        Some(Cmd::Autostart { action }) => return autostart(action),
        Some(Cmd::GnomeReminders { action }) => return gnome_reminders(action),
    };
    match ask(&paths, &request) {
        Ok(status) => {
            print_status(&status);
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// The completion script for `shell`, from the same definitions as `--help`.
fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "respite", &mut out);
    out
}

/// The manual page (roff), from the same definitions as `--help`: every command with its
/// one-line description, the examples, the version.
fn man_page() -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out);
    out
}

/// Writes `bytes` to standard output (a closed pipe is not an error worth more than a line).
fn write_out(bytes: &[u8]) -> ExitCode {
    match std::io::stdout().write_all(bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("respite: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the last `lines` lines of the daemon's log.
fn print_log(paths: &Paths, lines: usize) -> ExitCode {
    let dir = &paths.state_dir;
    match logging::recent(dir, lines) {
        Ok(recent) if recent.is_empty() => {
            eprintln!("respite: no log in {} yet (the daemon writes one while it runs)", dir.display());
            ExitCode::FAILURE
        }
        Ok(recent) => write_out(format!("{}\n", recent.join("\n")).as_bytes()),
        Err(e) => {
            eprintln!("respite: cannot read the log in {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

/// Sends `request`; prints why it failed and returns the exit code when it did.
fn ask(paths: &Paths, request: &Request) -> Result<Status, ExitCode> {
    match client::request(&paths.socket(), request) {
        Ok(response) if response.ok => response.status.ok_or_else(|| {
            eprintln!("respite: the daemon answered without a status");
            ExitCode::FAILURE
        }),
        Ok(response) => {
            eprintln!("respite: {}", response.error.unwrap_or_else(|| "refused".into()));
            Err(ExitCode::FAILURE)
        }
        Err(e @ ClientError::NotRunning(_)) => {
            eprintln!("respite: {e}. Start it with `respite`.");
            Err(ExitCode::from(3))
        }
        Err(e) => {
            eprintln!("respite: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn status(paths: &Paths, json: bool) -> ExitCode {
    match ask(paths, &Request::Status) {
        Ok(status) if json => {
            println!("{}", serde_json::to_string_pretty(&status).expect("status serializes"));
            ExitCode::SUCCESS
        }
        Ok(status) => {
            print_status(&status);
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn print_status(status: &Status) {
    let line = match (&status.state, &status.current) {
        (State::OnBreak, Some(b)) => format!("On a break: {}, {} s left.", b.kind.title(), b.remaining_ms.div_ceil(1000)),
        (State::Paused, _) => match status.paused_until {
            Some(until) => format!("Paused until {}.", until.format("%a %H:%M")),
            None => "Paused until you resume.".to_owned(),
        },
        _ if status.away => "Away from the keyboard: time away does not count.".to_owned(),
        _ => "Working.".to_owned(),
    };
    println!("{line}");
    if let Some(focus) = &status.focus {
        println!("Focus: round {} of {}, {} min left.", focus.round, focus.rounds, focus.left_secs.div_ceil(60));
    }
    if let Some(reason) = status.holding {
        println!("The break that is due waits: {}.", reason.describe());
    }
    if let Some(next) = &status.next {
        let covers = if next.covers.is_empty() {
            String::new()
        } else {
            let names: Vec<_> = next.covers.iter().map(|k| k.title().to_lowercase()).collect();
            format!(" (counts for {} too)", names.join(" and "))
        };
        println!("Next break: {}{covers} at {}, in {} min.", next.kind.title(), next.at.format("%H:%M"), next.in_secs.div_ceil(60));
    }
    for warning in &status.warnings {
        println!("Warning: {warning}");
    }
}

/// Asks the daemon to read the settings again; prints what it found wrong.
fn reload(paths: &Paths) -> ExitCode {
    match ask(paths, &Request::Reload) {
        Ok(status) => {
            println!("Settings applied from {}.", paths.settings_file().display());
            for warning in &status.warnings {
                println!("Warning: {warning}");
            }
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// Asks the daemon to open `window` (it opens none if one is open already).
fn open(paths: &Paths, window: WindowName, week: Option<Week>) -> ExitCode {
    match ask(paths, &Request::Open { window, week }) {
        Ok(_) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Turns launch at login on or off, or says whether it is on, for this `respite` binary.
fn autostart(action: AutostartAction) -> ExitCode {
    let result = Autostart::from_env().and_then(|entry| {
        match action {
            AutostartAction::On => {
                let program = std::env::current_exe().map_err(|e| respite_core::autostart::AutostartError::Platform(e.to_string()))?;
                entry.enable(&program)?;
                println!("Respite will start when you log in ({}).", entry.entry().display());
            }
            AutostartAction::Off => {
                entry.disable()?;
                println!("Respite will not start when you log in.");
            }
            AutostartAction::Status => match (entry.is_enabled()?, entry.program()?) {
                (true, Some(program)) => println!("On: {} starts {} when you log in.", entry.entry().display(), program.display()),
                (true, None) => println!("On."),
                (false, _) => println!("Off."),
            },
        }
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("respite: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Says whether GNOME's break reminders are on, or turns them off.
fn gnome_reminders(action: GnomeAction) -> ExitCode {
    let gnome = GnomeReminders::from_env();
    let texts = text::texts();
    let found = match action {
        GnomeAction::Status => gnome.read(),
        GnomeAction::Off => gnome.turn_off(),
    };
    let said = match (action, found) {
        (_, Ok(Reminders::Absent)) => texts.get("cli.gnome.absent").to_owned(),
        (GnomeAction::Status, Ok(Reminders::Off)) => texts.get("cli.gnome.off").to_owned(),
        (GnomeAction::Status, Ok(Reminders::On(kinds))) => texts.fill("cli.gnome.on", &[("kinds", &gnome_reminders::kinds_text(texts, &kinds))]),
        (GnomeAction::Off, Ok(Reminders::Off)) => texts.get("cli.gnome.off").to_owned(),
        (GnomeAction::Off, Ok(Reminders::On(_))) => texts.get("cli.gnome.turned_off").to_owned(),
        (_, Err(e)) => {
            eprintln!("respite: GNOME's break reminders: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{said}");
    ExitCode::SUCCESS
}

/// Asks the daemon to stop and waits until it has (its lock is free).
fn quit(paths: &Paths) -> ExitCode {
    if let Err(code) = ask(paths, &Request::Quit) {
        return code;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while instance::is_held(&paths.lock_file()) {
        if Instant::now() > deadline {
            eprintln!("respite: asked to quit, but it is still running after 10 s");
            return ExitCode::FAILURE;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    println!("Respite stopped.");
    ExitCode::SUCCESS
}

fn export(paths: &Paths, format: ExportFormat, from: Option<NaiveDate>, to: Option<NaiveDate>) -> ExitCode {
    let database = paths.database();
    let breaks = if database.exists() {
        let store = match Store::open_read_only(&database) {
            Ok(store) => store,
            Err(e) => {
                eprintln!("respite: {e}");
                return ExitCode::FAILURE;
            }
        };
        let from = from.map(local_midnight);
        let to = to.and_then(|d| d.succ_opt()).map(local_midnight);
        match store.breaks(from, to) {
            Ok(breaks) => breaks,
            Err(e) => {
                eprintln!("respite: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        Vec::new()
    };
    let format = match format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Json => Format::Json,
    };
    let text = export::render(&breaks, format, &Local);
    if let Err(e) = std::io::stdout().write_all(text.as_bytes()) {
        eprintln!("respite: cannot write the export: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Prints the summary of `week` (default: this one) from the database, opened read-only; a
/// database that does not exist yet is an empty log.
fn print_summary(paths: &Paths, week: Option<Week>, json: bool) -> ExitCode {
    let now = Utc::now();
    let week = week.unwrap_or_else(|| Week::containing(now, &Local));
    let text = match summary_output(&paths.database(), week, json, &Local, now) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("respite: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::io::stdout().write_all(text.as_bytes()) {
        eprintln!("respite: cannot write the summary: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn summary_output<Z: TimeZone>(database: &std::path::Path, week: Week, json: bool, zone: &Z, now: DateTime<Utc>) -> Result<String, StoreError> {
    let store = if database.exists() { Store::open_read_only(database)? } else { Store::open_in_memory()? };
    let summary = week_summary(&store, week, zone, now)?;
    Ok(if json { serde_json::to_string_pretty(&summary).expect("a summary serializes") + "\n" } else { summary_text(&summary) })
}

/// The summary for people: two compact tables, the comparison, the streak, the observations.
fn summary_text(s: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Week {} ({} to {})", s.week, s.first_day.format("%a %-d %b"), s.last_day.format("%a %-d %b %Y"));
    if s.is_empty {
        out.push_str("\nNothing logged this week. Breaks and screen time show up here once Respite has been running.\n");
        return out;
    }
    let share = |t: &Tally| t.compliance.map_or_else(|| "-".to_owned(), |share| text::texts().percent(share));
    let _ = writeln!(out, "\n{:<11}{:>5}{:>7}{:>9}{:>9}{:>11}{:>9}", "", "Due", "Taken", "Natural", "Skipped", "Postponed", "% taken");
    let kinds = s.by_kind.iter().map(|(kind, t)| (kind.title(), t));
    for (name, t) in kinds.chain(std::iter::once(("All breaks", &s.breaks))) {
        let _ = writeln!(out, "{name:<11}{:>5}{:>7}{:>9}{:>9}{:>11}{:>9}", t.due, t.taken, t.natural, t.skipped, t.postponed, share(t));
    }
    let _ = writeln!(out, "\n{:<11}{:>7}{:>13}{:>17}{:>9}", "", "Screen", "After hours", "Longest stretch", "% taken");
    for day in &s.days {
        let (screen, after, longest) = (hm(day.screen_secs), hm(day.after_hours_secs), hm(day.longest_stretch_secs));
        let _ = writeln!(out, "{:<11}{screen:>7}{after:>13}{longest:>17}{:>9}", day.date.format("%a %-d").to_string(), share(&day.breaks));
    }
    let (screen, after) = (hm(s.headline.screen_secs), hm(s.headline.after_hours_secs));
    let _ = writeln!(out, "{:<11}{screen:>7}{after:>13}{:>17}{:>9}", "Week", "", share(&s.breaks));
    out.push_str("% taken: taken or had naturally, of the breaks due. Times in h:mm.\n");
    if s.breaks.unseen > 0 {
        let _ = writeln!(out, "{}", text::tf("summary.kinds.unseen", &[("n", &s.breaks.unseen)]));
    }
    out.push('\n');

    let previous = &s.previous;
    let when = match previous.until {
        Some(until) => format!("last week up to {}", until.format("%a %H:%M")),
        None => "the week before".to_owned(),
    };
    if previous.headline == summary::Headline::default() {
        let _ = writeln!(out, "Nothing was logged {when} to compare with.");
    } else {
        let change = &previous.change;
        let mut parts = Vec::new();
        if let Some(points) = change.compliance {
            parts.push(format!("% taken {:+.0} points", points * 100.0));
        }
        parts.push(format!("breaks taken {:+}", change.breaks_taken));
        parts.push(format!("screen time {}", signed_hm(change.screen_secs)));
        parts.push(format!("after hours {}", signed_hm(change.after_hours_secs)));
        let _ = writeln!(out, "Compared with {when}: {}.", parts.join(", "));
    }
    let streak = &s.streak;
    let target = text::texts().percent(streak.target);
    match streak.first_day {
        Some(first) if streak.days > 0 => {
            let days = if streak.days == 1 { "1 day".to_owned() } else { format!("{} days in a row", streak.days) };
            let _ = writeln!(out, "Streak: {days} with {target} or more taken, since {}.", first.format("%a %-d %b"));
        }
        _ => {
            let _ = writeln!(out, "Streak: none yet. Any day with {target} or more of its breaks taken starts one.");
        }
    }
    if !s.observations.is_empty() {
        out.push('\n');
        for observation in &s.observations {
            let _ = writeln!(out, "- {}", observation.text);
        }
    }
    out
}

/// `h:mm`.
fn hm(secs: u64) -> String {
    let minutes = (secs + 30) / 60;
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// `+h:mm` or `-h:mm`.
fn signed_hm(secs: i64) -> String {
    format!("{}{}", if secs < 0 { '-' } else { '+' }, hm(secs.unsigned_abs()))
}

/// The first instant of `date` in the local zone.
fn local_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    Local
        .from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| Local.from_utc_datetime(&naive))
        .with_timezone(&Utc)
}


#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use respite_core::record::{BreakRecord, Outcome, Trigger};
    use respite_core::workhours::Span;

    #[test]
    fn completions_and_the_man_page_come_from_the_same_definitions_as_help() {
        for shell in [clap_complete::Shell::Bash, clap_complete::Shell::Zsh, clap_complete::Shell::Fish] {
            let script = String::from_utf8(completions(shell)).unwrap();
            for command in ["status", "pause", "summary", "focus", "autostart", "completions"] {
                assert!(script.contains(command), "{shell}: no {command}");
            }
        }
        assert!(String::from_utf8(completions(clap_complete::Shell::Bash)).unwrap().contains("--week"));
        let man = String::from_utf8(man_page()).unwrap();
        assert!(man.starts_with(".ie") || man.contains(".TH respite"), "{}", &man[..200.min(man.len())]);
        for text in [".SH NAME", "respite \\- Respite", ".SH SYNOPSIS", "respite\\-summary", "respite\\-pause", "respite summary \\-\\-week", "Examples:"] {
            assert!(man.contains(text), "the man page has no {text:?}");
        }
    }

    fn summary_args(args: &[&str]) -> Result<(Option<Week>, bool), clap::Error> {
        let cli = Cli::try_parse_from(["respite", "summary"].iter().chain(args))?;
        match cli.command {
            Some(Cmd::Summary { week, json, open: false }) => Ok((week, json)),
            other => panic!("not the summary: {other:?}"),
        }
    }

    #[test]
    fn summary_takes_an_iso_week_and_refuses_anything_else_with_exit_code_2() {
        assert_eq!(summary_args(&[]).unwrap(), (None, false));
        let (week, json) = summary_args(&["--week", "2027-W01", "--json"]).unwrap();
        assert_eq!((week.unwrap().monday(), json), (NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), true));
        let (week, _) = summary_args(&["--week", "2026-W53"]).unwrap();
        assert_eq!(week.unwrap().sunday(), NaiveDate::from_ymd_opt(2027, 1, 3).unwrap());
        let open = Cli::try_parse_from(["respite", "summary", "--open"]).unwrap();
        assert!(matches!(open.command, Some(Cmd::Summary { open: true, .. })));
        assert!(Cli::try_parse_from(["respite", "summary", "--open", "--json"]).is_err(), "--open draws, --json prints: not both");
        for (bad, says) in [("2026-W54", "2026 has 53 ISO weeks, so there is no week 54"), ("47", "expected an ISO week such as 2026-W47")] {
            let err = summary_args(&["--week", bad]).unwrap_err();
            assert_eq!((err.kind(), err.exit_code()), (clap::error::ErrorKind::ValueValidation, 2), "{bad}");
            assert!(err.to_string().contains(says), "{err}");
        }
    }

    fn zone() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    /// 2026-11-`day` at `h:m` in UTC+1.
    fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
        zone().with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_missing_database_is_an_empty_summary_and_stays_missing() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("respite.sqlite3");
        let week: Week = "2026-W47".parse().unwrap();
        let text = summary_output(&database, week, false, &zone(), at(25, 12, 0)).unwrap();
        assert_eq!(text, "Week 2026-W47 (Mon 16 Nov to Sun 22 Nov 2026)\n\nNothing logged this week. Breaks and screen time show up here once Respite has been running.\n");
        let json: serde_json::Value = serde_json::from_str(&summary_output(&database, week, true, &zone(), at(25, 12, 0)).unwrap()).unwrap();
        assert_eq!((json["is_empty"].as_bool(), json["breaks"]["compliance"].is_null()), (Some(true), true));
        assert!(!database.exists(), "the summary never creates the database");
    }

    #[test]
    fn the_summary_prints_its_tables_comparison_streak_and_observations() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("respite.sqlite3");
        let mut store = Store::open(&database).unwrap();
        let mut brk = |kind: BreakKind, due: DateTime<Utc>, outcome: Outcome| {
            let record = BreakRecord {
                kind,
                covers: vec![],
                trigger: Trigger::Scheduled,
                due_at: due,
                started_at: Some(due),
                ended_at: due + chrono::TimeDelta::seconds(20),
                planned_secs: 20,
                actual_secs: 20,
                outcome,
                held: None,
                shown: None,
            };
            store.record(&record, false).unwrap();
        };
        brk(BreakKind::Eye, at(16, 9, 20), Outcome::Completed);
        brk(BreakKind::Stretch, at(16, 10, 0), Outcome::Completed);
        for minute in [0, 20, 40] {
            brk(BreakKind::Stretch, at(16, 15, minute), Outcome::Skipped);
        }
        brk(BreakKind::Stretch, at(16, 16, 0), Outcome::Postponed);
        for (start, end, after_hours) in [(at(16, 9, 0), at(16, 12, 0), false), (at(16, 18, 0), at(16, 19, 0), true), (at(17, 18, 30), at(17, 19, 30), true)] {
            store.activity(&Span { start, end, after_hours }).unwrap();
        }
        drop(store);
        // Monday's 09:00-12:00 is cut by the breaks taken at 09:20 and 10:00 (the skips at
        // 15:00-15:40 are no rest, but no screen time is logged then): 20, 40 and 120 minutes.
        let text = summary_output(&database, "2026-W47".parse().unwrap(), false, &zone(), at(25, 12, 0)).unwrap();
        let expected = "\
Week 2026-W47 (Mon 16 Nov to Sun 22 Nov 2026)

             Due  Taken  Natural  Skipped  Postponed  % taken
Eye rest       1      1        0        0          0     100%
Stretch        4      1        0        3          1      25%
Walk           0      0        0        0          0        -
All breaks     5      2        0        3          1      40%

            Screen  After hours  Longest stretch  % taken
Mon 16        4:00         1:00             2:00      40%
Tue 17        1:00         1:00             1:00        -
Wed 18        0:00         0:00             0:00        -
Thu 19        0:00         0:00             0:00        -
Fri 20        0:00         0:00             0:00        -
Sat 21        0:00         0:00             0:00        -
Sun 22        0:00         0:00             0:00        -
Week          5:00         2:00                       40%
% taken: taken or had naturally, of the breaks due. Times in h:mm.

Nothing was logged the week before to compare with.
Streak: none yet. Any day with 80% or more of its breaks taken starts one.

- Most skipped stretch breaks were after 15:00 (3 of 3).
- You were at the screen after working hours on 2 days (2 h in all).
- Your longest stretch without a break was 2 h, on Monday.
";
        assert_eq!(text, expected);
    }
}
