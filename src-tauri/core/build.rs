//! Embeds every locale file of `ui/locales` (the windows' own files) into the core, so the
//! daemon, the CLI and the shell word things in the same language as the pages. A new
//! `<tag>.json` there is picked up with no change to the code. Each is deflated (miniz_oxide,
//! which the daemon already links for PNG): 600 KB of text become about a quarter of that in the
//! binaries, and a process inflates only English and its own language.

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
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut out = String::from("/// Every locale file, by tag (`pt-BR`), as written in `ui/locales`, deflated.\npub static FILES: &[(&str, &[u8])] = &[\n");
    for (tag, path) in &tags {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read(path).expect("a locale file is readable");
        let deflated = out_dir.join(format!("{tag}.json.deflate"));
        std::fs::write(&deflated, miniz_oxide::deflate::compress_to_vec(&text, 10)).expect("OUT_DIR is writable");
        let _ = writeln!(out, "    ({tag:?}, include_bytes!({:?})),", deflated.display().to_string());
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("locales.rs"), out).expect("OUT_DIR is writable");
}
