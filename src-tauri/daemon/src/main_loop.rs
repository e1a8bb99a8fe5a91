//! The main thread's loop, and the signals that end it cleanly. On Linux it is GLib's main loop,
//! which carries the GTK tray; SIGTERM, SIGINT and SIGHUP arrive through GLib's own signal
//! source. Other systems have no tray yet: the main thread only waits for the quit, and the
//! signals are read on a thread of their own (`signal-hook`, whose handler only writes to a
//! pipe, the one thing a signal handler may safely do).

/// The signals that mean "stop": a session ending, Ctrl+C, a closed terminal.
pub const STOP_SIGNALS: [i32; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP];

#[cfg(target_os = "linux")]
pub use glib_loop::{quit_on_signals, MainLoop, Quitter};
#[cfg(not(target_os = "linux"))]
pub use plain_loop::{quit_on_signals, MainLoop, Quitter};

#[cfg(target_os = "linux")]
mod glib_loop {
    use gtk::glib;

    /// GLib's default main loop.
    pub struct MainLoop(glib::MainLoop);

    /// Ends a [`MainLoop`] from any thread, also before it runs.
    #[derive(Clone)]
    pub struct Quitter(glib::MainLoop);

    impl MainLoop {
        pub fn new() -> Self {
            MainLoop(glib::MainLoop::new(None, false))
        }

        pub fn quitter(&self) -> Quitter {
            Quitter(self.0.clone())
        }

        /// Runs until quit.
        pub fn run(&self) {
            self.0.run();
        }
    }

    impl Quitter {
        pub fn quit(&self) {
            // Through the loop's own context, so a quit before the loop runs is not lost.
            let main_loop = self.0.clone();
            drop(self.0.context().spawn(async move { main_loop.quit() }));
        }
    }

    /// Calls `stop` (on the main thread) for each of [`super::STOP_SIGNALS`].
    pub fn quit_on_signals(stop: impl Fn(i32) + Send + Clone + 'static) {
        for signal in super::STOP_SIGNALS {
            let stop = stop.clone();
            glib::unix_signal_add(signal, move || {
                stop(signal);
                glib::ControlFlow::Continue
            });
        }
    }
}

#[cfg(any(test, not(target_os = "linux")))]
mod plain_loop {
    use std::sync::{Arc, Condvar, Mutex, PoisonError};

    /// A loop that only waits to be quit.
    pub struct MainLoop(Arc<(Mutex<bool>, Condvar)>);

    /// Ends a [`MainLoop`] from any thread, also before it runs.
    #[derive(Clone)]
    pub struct Quitter(Arc<(Mutex<bool>, Condvar)>);

    impl MainLoop {
        pub fn new() -> Self {
            MainLoop(Arc::default())
        }

        pub fn quitter(&self) -> Quitter {
            Quitter(Arc::clone(&self.0))
        }

        /// Waits until quit.
        pub fn run(&self) {
            let (quit, woken) = &*self.0;
            let mut quit = quit.lock().unwrap_or_else(PoisonError::into_inner);
            while !*quit {
                quit = woken.wait(quit).unwrap_or_else(PoisonError::into_inner);
            }
        }
    }

    impl Quitter {
        pub fn quit(&self) {
            let (quit, woken) = &*self.0;
            *quit.lock().unwrap_or_else(PoisonError::into_inner) = true;
            woken.notify_all();
        }
    }

    /// Calls `stop` (on a thread of its own) for each of [`super::STOP_SIGNALS`].
    #[cfg(not(target_os = "linux"))]
    pub fn quit_on_signals(stop: impl Fn(i32) + Send + Clone + 'static) {
        let watching = signal_hook::iterator::Signals::new(super::STOP_SIGNALS).and_then(|mut signals| {
            std::thread::Builder::new().name("signals".into()).spawn(move || signals.forever().for_each(stop))
        });
        if let Err(e) = watching {
            tracing::warn!("cannot watch for stop signals ({e}); they end Respite at once");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain_loop;

    #[test]
    fn the_plain_loop_ends_on_a_quit_from_another_thread_even_one_before_it_runs() {
        let early = plain_loop::MainLoop::new();
        early.quitter().quit();
        early.run();
        let later = plain_loop::MainLoop::new();
        let quitter = later.quitter();
        let quitting = std::thread::spawn(move || quitter.quit());
        later.run();
        quitting.join().unwrap();
    }
}
