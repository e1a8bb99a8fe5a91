//! One thread for everything in the daemon that waits on a socket: the control socket's
//! accepts, the sleep and lock watches, and the D-Bus connections' own work (zbus's executors,
//! which would otherwise have a thread each). Each is an async task on one executor, driven by
//! async-io, started with the first task. A task must never block: D-Bus calls made here are
//! awaited, never made with the blocking API (whose reply this very thread would have to read).

use std::future::Future;
use std::sync::OnceLock;
use std::thread;

fn executor() -> &'static async_executor::Executor<'static> {
    static EXECUTOR: OnceLock<async_executor::Executor<'static>> = OnceLock::new();
    EXECUTOR.get_or_init(|| {
        let spawned = thread::Builder::new().name("io".into()).spawn(|| {
            let executor = executor();
            async_io::block_on(executor.run(std::future::pending::<()>()));
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start the io thread: {e}");
        }
        async_executor::Executor::new()
    })
}

/// Runs `task` on the io thread for as long as it lasts (or the process does).
pub fn spawn(task: impl Future<Output = ()> + Send + 'static) {
    executor().spawn(task).detach();
}
