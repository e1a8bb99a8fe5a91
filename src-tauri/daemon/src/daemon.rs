//! Assembles and runs the daemon: one instance per user, settings (problems reported; a first
//! start writes the defaults, turns launch at login on and opens the welcome window), the
//! journal over the store (a damaged database replaced, an interrupted break recovered), the
//! senses (idle and do-not-disturb sources, probed once; sleep and lock watched), the control
//! socket, the runtime thread, the once-only notices (where Respite can be reached without a
//! tray icon, [`crate::reach`]; GNOME's own break reminders on as well,
//! [`crate::gnome_reminders`]), and on the main thread the [`crate::main_loop`], which carries
//! the tray (on Linux; other systems have none yet) and turns SIGTERM and SIGINT into a clean
//! quit.

use crate::instance::{self, Acquired};
use crate::effects::Effects;
use crate::input::Input;
use crate::overrides::Overrides;
use crate::runtime::Runtime;
use crate::weekly::Announcer;
use crate::senses::{self, LiveSenses};
use crate::once::Once;
use crate::main_loop::{self, MainLoop};
use crate::{control, gnome_reminders, reach, settings_file};
use respite_core::client;
use respite_core::clock::{Clock, ScaledClock, SystemClock};
use respite_core::journal::Journal;
use respite_core::paths::Paths;
use respite_core::autostart::Autostart;
use respite_core::protocol::{Request, WindowName};
use std::process::ExitCode;
use std::sync::mpsc::{self, Sender};
use std::thread;

/// Starts the daemon, or hands over to the one already running.
pub fn start(paths: &Paths) -> ExitCode {
    let _lock = match instance::acquire(&paths.runtime_dir, &paths.lock_file()) {
        Ok(Acquired::Lock(lock)) => lock,
        Ok(Acquired::AlreadyRunning) => return hand_over(paths),
        Err(e) => {
            tracing::error!("cannot use the runtime folder {}: {e}", paths.runtime_dir.display());
            return ExitCode::FAILURE;
        }
    };
    let settings_file::LoadedSettings { settings, problems, first_start } = settings_file::load_settings(&paths.settings_file());
    if first_start {
        turn_on_autostart();
    }
    let overrides = Overrides::from_env();
    let clock = clock_at(overrides.time_scale);
    let now = clock.now();
    let mut journal = Journal::open(&paths.database(), now.wall, now.mono);
    if let Some(store) = journal.store_mut() {
        match store.recover_interrupted(now.wall) {
            Ok(Some(record)) => tracing::info!(kind = %record.kind, "a break on screen when Respite last stopped was logged as interrupted"),
            Ok(None) => {}
            Err(e) => tracing::warn!("cannot check for an interrupted break: {e}"),
        }
    }
    let listener = match control::bind(&paths.socket()) {
        Ok(listener) => listener,
        Err(e) => {
            tracing::error!("cannot open the control socket {}: {e}", paths.socket().display());
            return ExitCode::FAILURE;
        }
    };
    let (inputs, received) = mpsc::channel();
    if let Err(e) = control::serve(listener, inputs.clone()) {
        tracing::error!("cannot serve the control socket: {e}");
        return ExitCode::FAILURE;
    }
    // RESPITE_SENSES=off: no idle data and no do-not-disturb (all time is active time), for
    // tests that drive a display without input, and for desktops where sensing misbehaves.
    let senses = if overrides.senses_off {
        LiveSenses::new(Box::new(senses::NoIdle), Vec::new())
    } else {
        LiveSenses::probe(&overrides.dev_dir)
    };
    tracing::info!(idle_source = senses.idle_source(), "reading idle time");
    {
        let inputs = inputs.clone();
        senses::session::watch(move |event| {
            let _ = inputs.send(match event {
                senses::session::SessionEvent::Sleeping(_) => Input::Wake,
                senses::session::SessionEvent::Screen(lock) => Input::Screen(lock),
            });
        });
    }
    let mut runtime = Runtime::new(clock, senses, inputs.clone(), &settings, journal, Effects::desktop(inputs.clone(), settings.overlay, overrides.ui_program.clone()), problems);
    runtime.set_settings_file(paths.settings_file());
    runtime.set_data_dir(paths.data_dir.clone());
    runtime.set_announcer(Announcer::with_file(paths.state_dir.join("summary-announced")));

    #[cfg(target_os = "linux")]
    start_shortcut_keys(&mut runtime, &inputs);
    let main_loop = MainLoop::new();
    let tray_created = start_tray(&mut runtime, &inputs);
    reach::tell_if_unreachable(tray_created, Once::at(paths.state_dir.join("told-no-tray")));
    gnome_reminders::tell_if_on(Once::at(paths.state_dir.join("told-gnome-reminders")));
    quit_on_signals(&inputs);
    let mut opening = Vec::new();
    if first_start {
        opening.push(Request::Open { window: WindowName::Welcome, week: None });
    }
    if settings.focus_on_start {
        opening.push(Request::Focus { on: true });
    }
    for request in opening {
        let _ = inputs.send(Input::Request { request, reply: None });
    }
    let runtime_thread = spawn_runtime(&main_loop, move || runtime.run(received));
    tracing::info!(socket = %paths.socket().display(), database = %paths.database().display(), "Respite is running");
    main_loop.run();
    let failed = runtime_thread.join().is_err();
    // The reply to `quit` (and any other answer under way) goes out before the process ends.
    control::wait_for_answers(std::time::Duration::from_secs(2));
    let _ = std::fs::remove_file(paths.socket());
    if failed {
        tracing::error!("Respite stopped because of the fault above; what was logged is kept. Start it again with `respite`");
        return ExitCode::FAILURE;
    }
    tracing::info!("Respite stopped");
    ExitCode::SUCCESS
}

/// Global shortcuts on X11 (not under Wayland, where a program cannot take keys).
#[cfg(target_os = "linux")]
fn start_shortcut_keys(runtime: &mut Runtime, inputs: &Sender<Input>) {
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let inputs = inputs.clone();
    match (set("DISPLAY"), set("WAYLAND_DISPLAY")) {
        (_, Some(_)) => runtime.set_shortcut_keys(Box::new(move || {
            let connection = crate::session_bus::shared().map_err(|e| e.to_string())?;
            crate::shortcuts::PortalKeys::start(connection, inputs).map(|keys| Box::new(keys) as Box<dyn crate::shortcuts::Keys>)
        })),
        (Some(display), None) => {
            runtime.set_shortcut_keys(Box::new(move || crate::shortcuts::X11Keys::start(&display, inputs).map(|keys| Box::new(keys) as Box<dyn crate::shortcuts::Keys>)));
        }
        (None, None) => {}
    }
}

/// Makes the tray icon on this (the main) thread and connects it to the runtime; whether it
/// was made.
#[cfg(target_os = "linux")]
fn start_tray(runtime: &mut Runtime, inputs: &Sender<Input>) -> bool {
    match crate::tray::start(inputs.clone()) {
        Ok(sink) => {
            runtime.set_tray(sink);
            true
        }
        Err(e) => {
            tracing::warn!("{e}; Respite runs without a tray icon (the `respite` command still works)");
            false
        }
    }
}

/// The tray is GTK's, on Linux; elsewhere Respite has none yet.
#[cfg(not(target_os = "linux"))]
fn start_tray(_: &mut Runtime, _: &Sender<Input>) -> bool {
    tracing::warn!("Respite has no tray icon on this system yet (the `respite` command still works)");
    false
}

/// Runs `work` (the runtime) on a thread of its own; however it ends, by returning or by a
/// panic, `main_loop` quits, so the process never stays half alive with no schedule.
fn spawn_runtime(main_loop: &MainLoop, work: impl FnOnce() + Send + 'static) -> thread::JoinHandle<()> {
    struct QuitOnDrop(main_loop::Quitter);
    impl Drop for QuitOnDrop {
        fn drop(&mut self) {
            self.0.quit();
        }
    }
    let quit = QuitOnDrop(main_loop.quitter());
    thread::Builder::new()
        .name("runtime".into())
        .spawn(move || {
            let _quit = quit;
            work();
        })
        .expect("cannot start the runtime thread")
}

/// A first start turns launch at login on (the welcome window offers to turn it off): a break
/// app only helps while it runs. The entry starts this very program.
fn turn_on_autostart() {
    let enabled = std::env::current_exe()
        .map_err(|e| e.to_string())
        .and_then(|program| {
            let entry = Autostart::from_env().map_err(|e| e.to_string())?;
            entry.enable(&program).map_err(|e| e.to_string())?;
            Ok(entry.entry())
        });
    match enabled {
        Ok(entry) => tracing::info!("first start: Respite starts at login ({})", entry.display()),
        Err(e) => tracing::warn!("first start: cannot turn on launch at login: {e}"),
    }
}

/// The real clock, or with `RESPITE_TIME_SCALE=N` (long-run tests and benchmarks) the real
/// clock sped up N times.
fn clock_at(scale: u32) -> Box<dyn Clock> {
    if scale > 1 {
        tracing::warn!(scale, "time runs {scale} times faster (RESPITE_TIME_SCALE)");
        Box::new(ScaledClock::new(scale))
    } else {
        Box::new(SystemClock::new())
    }
}

/// Another daemon holds the lock: tell it we were started (it opens its settings), and stop.
fn hand_over(paths: &Paths) -> ExitCode {
    match client::request(&paths.socket(), &Request::Hello) {
        Ok(_) => println!("Respite is already running; it opens its settings."),
        Err(e) => println!("Respite is already running (it did not answer: {e})."),
    }
    ExitCode::SUCCESS
}

fn quit_on_signals(inputs: &Sender<Input>) {
    let inputs = inputs.clone();
    main_loop::quit_on_signals(move |signal| {
        tracing::info!(signal, "stopping on signal");
        let _ = inputs.send(Input::Request { request: Request::Quit, reply: None });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_runtime_ends_the_main_loop_and_is_seen() {
        let main_loop = MainLoop::new();
        let runtime = spawn_runtime(&main_loop, || panic!("a fault in the runtime"));
        // Returns only because the runtime's end quit it.
        main_loop.run();
        assert!(runtime.join().is_err(), "the panic reaches the one who joins");
        let main_loop = MainLoop::new();
        spawn_runtime(&main_loop, || {}).join().unwrap();
        main_loop.run();
    }
}
