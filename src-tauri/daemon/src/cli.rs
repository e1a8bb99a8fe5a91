//! The command line: `respite` alone starts the daemon; subcommands talk to it over the control
//! socket, except `export` and `summary`, which read the database directly, `autostart`, which
//! changes the login entry, and `gnome-reminders`, which reads or changes GNOME's own break
//! reminders; none of these needs a daemon.
//!
//! Exit codes: 0 done; 1 the daemon refused or an error occurred; 2 bad arguments (clap);
//! 3 Respite is not running.

/// `println!` for what the command line prints: when the reader has gone (`respite status |
/// head -1`), the program ends quietly with success, as command-line tools do, instead of
/// panicking on the closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod args;
mod render;

use crate::gnome_reminders::{self, GnomeReminders, Reminders};
use crate::{daemon, follow, instance, logging};
use args::{AutostartAction, Cli, Cmd, ExportFormat, FocusAction, GnomeAction};
use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use clap::FromArgMatches;
use render::{print_status, summary_output};
use respite_core::client::{self, ClientError};
use respite_core::export::{self, Format};
use respite_core::paths::Paths;
use respite_core::autostart::Autostart;
use respite_core::store::Store;
use respite_core::protocol::{Request, Status, WindowName};
use respite_core::calendar::Week;
use respite_core::text;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};


/// Entry point of the `respite` binary.
pub fn main() -> ExitCode {
    let matches = args::described(text::texts()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
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
    clap_complete::generate(shell, &mut args::described(text::english()), "respite", &mut out);
    out
}

/// The manual page (roff), from the same definitions as `--help`: every command with its
/// one-line description, the examples, the version.
fn man_page() -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = clap_mangen::Man::new(args::described(text::english())).render(&mut out);
    out
}

/// Writes `bytes` to standard output (a closed pipe is not an error worth more than a line).
fn write_out(bytes: &[u8]) -> ExitCode {
    match std::io::stdout().write_all(bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("respite: {}", text::tf("cli.error.write", &[("detail", &e)]));
            ExitCode::FAILURE
        }
    }
}

/// Prints the last `lines` lines of the daemon's log.
fn print_log(paths: &Paths, lines: usize) -> ExitCode {
    let dir = &paths.state_dir;
    match logging::recent(dir, lines) {
        Ok(recent) if recent.is_empty() => {
            eprintln!("respite: {}", text::tf("cli.error.no_log", &[("path", &dir.display())]));
            ExitCode::FAILURE
        }
        Ok(recent) => write_out(format!("{}\n", recent.join("\n")).as_bytes()),
        Err(e) => {
            eprintln!("respite: {}", text::tf("cli.error.read_log", &[("path", &dir.display()), ("detail", &e)]));
            ExitCode::FAILURE
        }
    }
}

/// Sends `request`; prints why it failed and returns the exit code when it did.
fn ask(paths: &Paths, request: &Request) -> Result<Status, ExitCode> {
    match client::request(&paths.socket(), request) {
        Ok(response) if response.ok => response.status.ok_or_else(|| {
            eprintln!("respite: {}", text::t("error.no_status"));
            ExitCode::FAILURE
        }),
        Ok(response) => {
            eprintln!("respite: {}", response.refusal_in(text::texts()));
            Err(ExitCode::FAILURE)
        }
        Err(e @ ClientError::NotRunning(_)) => {
            eprintln!("respite: {}", text::t("error.not_running"));
            tracing::debug!("{e}");
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
            say!("{}", serde_json::to_string_pretty(&status).expect("status serializes"));
            ExitCode::SUCCESS
        }
        Ok(status) => {
            print_status(&status);
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// Asks the daemon to read the settings again; prints what it found wrong.
fn reload(paths: &Paths) -> ExitCode {
    match ask(paths, &Request::Reload) {
        Ok(status) => {
            say!("{}", text::tf("cli.reload.applied", &[("path", &paths.settings_file().display())]));
            let texts = text::texts();
            let worded = status.notes.iter().map(|note| texts.say(note));
            for warning in worded.chain(status.warnings.iter().skip(status.notes.len()).cloned()) {
                say!("{}", texts.fill("cli.warning", &[("warning", &warning)]));
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
                say!("{}", text::tf("cli.autostart.enabled", &[("path", &entry.entry().display())]));
            }
            AutostartAction::Off => {
                entry.disable()?;
                say!("{}", text::t("settings.autostart.off"));
            }
            AutostartAction::Status => match (entry.is_enabled()?, entry.program()?) {
                (true, Some(program)) => say!("{}", text::tf("cli.autostart.on", &[("path", &entry.entry().display()), ("program", &program.display())])),
                (true, None) => say!("{}", text::t("cli.autostart.on_short")),
                (false, _) => say!("{}", text::t("cli.autostart.off")),
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
            eprintln!("respite: {}", text::tf("cli.error.gnome", &[("detail", &e)]));
            return ExitCode::FAILURE;
        }
    };
    say!("{said}");
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
            eprintln!("respite: {}", text::texts().count("cli.error.quit_timeout", 10, &[]));
            return ExitCode::FAILURE;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    say!("{}", text::t("cli.stopped"));
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
    // The budget's days show when one is set; a settings file that cannot be read means none.
    let settings = std::fs::read_to_string(paths.settings_file()).map(|text| respite_core::settings::parse(&text).0).unwrap_or_default();
    crate::shared_history::import_for_reading(paths, &settings);
    let text = match summary_output(&paths.database(), week, json, &settings, &Local, now) {
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
    use clap::Parser;
    use respite_core::record::{BreakKind, BreakRecord, Outcome, Trigger};
    use respite_core::settings::Settings;
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
        let text = summary_output(&database, week, false, &Settings::default(), &zone(), at(25, 12, 0)).unwrap();
        assert_eq!(text, "Week 2026-W47 (Mon 16 Nov to Sun 22 Nov 2026)\n\nNothing logged this week. Breaks and screen time show up here once Respite has been running.\n");
        let json: serde_json::Value = serde_json::from_str(&summary_output(&database, week, true, &Settings::default(), &zone(), at(25, 12, 0)).unwrap()).unwrap();
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
                style: Default::default(),
            };
            store.record(&record).unwrap();
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
        let text = summary_output(&database, "2026-W47".parse().unwrap(), false, &Settings::default(), &zone(), at(25, 12, 0)).unwrap();
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
