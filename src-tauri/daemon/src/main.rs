//! `respite`: the resident daemon and its command line. Without a subcommand it starts the
//! daemon (or hands over to the one already running); with one it talks to the daemon over the
//! control socket. It never links Tauri or WebKit: windows are opened by `respite-ui`, started
//! only while one is needed.
//!
//! Where things live: [`cli`] parses arguments and runs client commands; [`daemon`] assembles
//! the daemon (single instance, settings, store, socket, runtime, tray) and [`main_loop`] runs
//! its main thread; [`runtime`] owns the
//! scheduler loop, acting on [`input`]s; [`settings_file`] reads the settings (at start and on
//! reload); [`evening`] plans the evening nudge and the bedtime reminder; [`glance`] is what
//! Respite shows at a glance (tray and panels); [`control`] serves
//! the socket; [`launcher`] starts `respite-ui`; `tray` is
//! the tray icon and menu (Linux only); [`follow`] is `respite status --follow`, for panels; [`notify`] sends
//! desktop notifications; [`once`] remembers the notices told once ever; [`reach`] tells where
//! Respite is when no tray icon shows; [`gnome_reminders`] is GNOME's own break reminders, next
//! to Respite's; [`sound`] plays the chime; [`senses`] reads idle time and do-not-disturb from
//! the desktop; [`overrides`] reads the environment variables tests use, once; [`logging`] is
//! where the log goes; [`weekly`] announces the weekly summary.

// Elsewhere than Linux the desktop's parts (tray, X11, Wayland, GSettings) are left out, and
// what only they used would be reported as unused.
#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused))]

mod chores;
mod cli;
mod control;
mod daemon;
mod effects;
mod evening;
mod follow;
mod glance;
mod gnome_reminders;
mod input;
mod instance;
mod io_thread;
mod launcher;
mod lock;
mod logging;
mod main_loop;
mod media;
mod notify;
mod once;
mod overrides;
mod reach;
mod runtime;
mod senses;
mod session_bus;
mod settings_file;
#[cfg(target_os = "linux")]
mod shared_history;
mod shortcuts;
mod sound;
#[cfg(target_os = "linux")]
mod tray;
mod weekly;

fn main() -> std::process::ExitCode {
    cli::main()
}
