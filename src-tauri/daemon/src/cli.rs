//! The command line: `respite` alone starts the daemon; subcommands talk to it over the control
//! socket, except `export`, which reads the database directly, and `autostart`, which changes
//! the login entry; neither needs a daemon.
//!
//! Exit codes: 0 done; 1 the daemon refused or an error occurred; 2 bad arguments (clap);
//! 3 Respite is not running.

use crate::{daemon, instance};
use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use respite_core::client::{self, ClientError};
use respite_core::export::{self, Format};
use respite_core::kind::BreakKind;
use respite_core::paths::Paths;
use respite_core::autostart::Autostart;
use respite_core::protocol::{PauseSpec, Request, State, Status, WindowName};
use respite_core::store::Store;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const EXAMPLES: &str = "Examples:
  respite                      start Respite (it lives in the tray)
  respite status               when is the next break?
  respite break stretch        take a stretch break now
  respite pause 1h             no breaks for an hour
  respite pause until-tomorrow done for today (until the next working day)
  respite focus start          25 min rounds of focus, each followed by a break
  respite settings             open the settings window
  respite reload               apply settings.toml after editing it by hand
  respite autostart on         start Respite when you log in
  respite export --format csv > breaks.csv";

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
    /// Show the state and the next break.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
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
    /// Start Respite when you log in: on, off, or status (works without Respite running).
    Autostart {
        #[arg(value_enum)]
        action: AutostartAction,
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
enum ExportFormat {
    Csv,
    Json,
}

fn parse_kind(text: &str) -> Result<BreakKind, String> {
    text.parse().map_err(|e: respite_core::kind::UnknownKind| e.to_string())
}

/// Entry point of the `respite` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(matches!(cli.command, None | Some(Cmd::Run)));
    let paths = match Paths::from_env() {
        Ok(paths) => paths,
        Err(e) => {
            eprintln!("respite: {e}");
            return ExitCode::FAILURE;
        }
    };
    let request = match cli.command {
        None | Some(Cmd::Run) => return daemon::start(&paths),
        Some(Cmd::Export { format, from, to }) => return export(&paths, format, from, to),
        Some(Cmd::Status { json }) => return status(&paths, json),
        Some(Cmd::Break { kind }) => Request::Break { kind },
        Some(Cmd::Pause { length }) => Request::Pause { length },
        Some(Cmd::Resume) => Request::Resume,
        Some(Cmd::Skip) => Request::Skip { break_id: None },
        Some(Cmd::Postpone) => Request::Postpone { break_id: None },
        Some(Cmd::Focus { action }) => Request::Focus { on: matches!(action, FocusAction::Start) },
        Some(Cmd::Quit) => return quit(&paths),
        Some(Cmd::Reload) => return reload(&paths),
        Some(Cmd::Settings) => return open(&paths, WindowName::Settings),
        Some(Cmd::Autostart { action }) => return autostart(action),
    };
    match ask(&paths, &request) {
        Ok(status) => {
            print_status(&status);
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn init_logging(daemon: bool) {
    let default = if daemon { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
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
fn open(paths: &Paths, window: WindowName) -> ExitCode {
    match ask(paths, &Request::Open { window }) {
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

/// The first instant of `date` in the local zone.
fn local_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    Local
        .from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| Local.from_utc_datetime(&naive))
        .with_timezone(&Utc)
}

