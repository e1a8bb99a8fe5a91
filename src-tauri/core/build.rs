//! Embeds every locale file of `ui/locales` (the windows' own files) into the core, so the
//! daemon, the CLI and the shell word things in the same language as the pages. A new
//! `<tag>.json` there is picked up with no change to the code.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("../../ui/locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut tags: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("ui/locales is readable")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let tag = path.file_name()?.to_str()?.strip_suffix(".json")?.to_owned();
            Some((tag, path.canonicalize().ok()?))
        })
        .collect();
    tags.sort();
    let mut out = String::from("/// Every locale file, by tag (`pt-BR`), as written in `ui/locales`.\npub static FILES: &[(&str, &str)] = &[\n");
    for (tag, path) in &tags {
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(out, "    ({tag:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("locales.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
