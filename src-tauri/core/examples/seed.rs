//! Fills a break log with realistic synthetic history, for looking at the summary window and for
//! end-to-end tests: `cargo run -p respite-core --example seed -- <database> <first day> <days>`
//! (e.g. `… seed /tmp/respite.sqlite3 2026-11-16 7`). Times are laid out in the local zone.
//!
//! `… seed --device <shared folder> <name> <first day> <days>` writes another computer's history
//! instead, into a shared history folder as that computer would (`respite_core::devices`), with
//! other random choices than this computer's.

use chrono::{Local, NaiveDate};
use respite_core::devices::{DeviceId, DeviceWriter};
use respite_core::store::Store;
use respite_core::summary::synthetic::{history_of, seed, Profile};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (device, rest) = match &args[..] {
        [flag, folder, name, rest @ ..] if flag == "--device" => (Some((folder.clone(), name.clone())), rest),
        rest => (None, rest),
    };
    let [path_or_first, more @ ..] = rest else { return usage() };
    let (target, first, days) = match (&device, more) {
        (None, [first, days]) => (Some(path_or_first.clone()), first, days),
        (Some(_), [days]) => (None, path_or_first, days),
        _ => return usage(),
    };
    let (Ok(first), Ok(days)) = (first.parse::<NaiveDate>(), days.parse::<u32>()) else {
        eprintln!("seed: the first day is YYYY-MM-DD and the days a whole number");
        return ExitCode::from(2);
    };
    if let Some((folder, name)) = device {
        let writer = DeviceWriter { folder: folder.into(), id: DeviceId::random(), name };
        let (mut breaks, mut spans) = (Vec::new(), Vec::new());
        for (n, date) in first.iter_days().take(days as usize).enumerate() {
            let (b, s) = history_of(date, &Local, Profile::DEFAULTS, 0x1a97 ^ n as u64);
            breaks.extend(b);
            spans.extend(s.into_iter().map(|s| (s.start, s.end)));
        }
        return match writer.append(&spans, &breaks).and_then(|_| writer.write_header(chrono::Utc::now())) {
            Ok(()) => {
                println!("wrote {} breaks and {} spans as {} into {}", breaks.len(), spans.len(), writer.name, writer.device_dir().display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("seed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let path = target.expect("a database unless --device");
    let mut store = match Store::open(std::path::Path::new(&path)) {
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

fn usage() -> ExitCode {
    eprintln!("usage: seed <database> <first day YYYY-MM-DD> <days>\n       seed --device <shared folder> <name> <first day YYYY-MM-DD> <days>");
    ExitCode::from(2)
}
