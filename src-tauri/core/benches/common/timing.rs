//! Timing for the benchmarks: each run's wall-clock time and the thread's CPU time (which other
//! processes on a busy machine do not inflate), reported as median and 95th percentile.
//! Included by each bench (`#[path = "common/timing.rs"] mod timing;`).

#![allow(dead_code)] // each bench uses what it needs

use rustix::time::{clock_gettime, ClockId};
use std::time::Instant;

#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Timing {
    pub cpu_ms: f64,
    pub wall_ms: f64,
}

impl Timing {
    pub fn max(self, other: Timing) -> Timing {
        if other.cpu_ms > self.cpu_ms {
            other
        } else {
            self
        }
    }
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3} ms [{:.3}]", self.wall_ms, self.cpu_ms)
    }
}

pub struct Runs {
    pub median: Timing,
    pub p95: Timing,
}

/// Runs `once` `runs` times; the median and 95th percentile (nearest rank) of wall and CPU
/// time, each taken on its own.
pub fn time(runs: usize, mut once: impl FnMut()) -> Runs {
    time_with(runs, || (), |()| once())
}

/// As [`time`], handing each run a value made by `setup` (not timed).
pub fn time_with<S>(runs: usize, mut setup: impl FnMut() -> S, mut once: impl FnMut(S)) -> Runs {
    let cpu = || {
        let t = clock_gettime(ClockId::ThreadCPUTime);
        t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
    };
    let (mut wall, mut used) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        let value = setup();
        let (started, cpu_started) = (Instant::now(), cpu());
        once(value);
        used.push(cpu() - cpu_started);
        wall.push(started.elapsed().as_secs_f64() * 1e3);
    }
    wall.sort_by(f64::total_cmp);
    used.sort_by(f64::total_cmp);
    let at = |values: &[f64], p: f64| values[((p * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1];
    Runs {
        median: Timing { wall_ms: at(&wall, 0.5), cpu_ms: at(&used, 0.5) },
        p95: Timing { wall_ms: at(&wall, 0.95), cpu_ms: at(&used, 0.95) },
    }
}
