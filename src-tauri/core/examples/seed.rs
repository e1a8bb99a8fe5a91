//! Fills a break log with realistic synthetic history, for looking at the summary window and for
//! end-to-end tests: `cargo run -p respite-core --example seed -- <database> <first day> <days>`
//! (e.g. `… seed /tmp/respite.sqlite3 2026-11-16 7`). Times are laid out in the local zone.

use chrono::{Local, NaiveDate};
use respite_core::store::Store;
use respite_core::summary::synthetic::{seed, Profile};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, first, days] = &args[..] else {
        eprintln!("usage: seed <database> <first day YYYY-MM-DD> <days>");
        return ExitCode::from(2);
    };
    let (Ok(first), Ok(days)) = (first.parse::<NaiveDate>(), days.parse::<u32>()) else {
        eprintln!("seed: the first day is YYYY-MM-DD and the days a whole number");
        return ExitCode::from(2);
    };
    let mut store = match Store::open(std::path::Path::new(path)) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("seed: {e}");
            return ExitCode::FAILURE;
        }
    };
    match seed(&mut store, first, days, &Local, Profile::DEFAULTS, 47) {
        Ok(seeded) => {
            println!("seeded {} breaks and {} activity spans into {path}", seeded.breaks, seeded.spans);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("seed: {e}");
            ExitCode::FAILURE
        }
    }
}
