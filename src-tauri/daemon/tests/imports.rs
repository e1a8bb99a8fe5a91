//! Imports run one way: in the daemon and in the core, no module imports one that (directly or
//! through others) imports it back. A module is a top-level file of `src` with its folder
//! (`senses.rs` or `senses/mod.rs` and `senses/*`, test folders aside); its imports are the
//! `crate::<module>` paths its files name.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Module → the other modules of the same crate it names.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for entry in fs::read_dir(src).unwrap().flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if matches!(name.as_str(), "main" | "lib") {
            continue;
        }
        let text = modules.entry(name).or_default();
        let mut files = vec![path.clone()];
        while let Some(file) = files.pop() {
            // Test code may reach across (a module's tests next to another's stand-ins); these
            // files and folders are only compiled for tests.
            if file.file_name().is_some_and(|n| n == "tests" || n == "tests.rs" || n == "real_life.rs") {
                continue;
            }
            if file.is_dir() {
                files.extend(fs::read_dir(&file).unwrap().flatten().map(|e| e.path()));
            } else if file.extension().is_some_and(|e| e == "rs") {
                text.push_str(&code_of(&fs::read_to_string(&file).unwrap()));
            }
        }
    }
    let names: Vec<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(name, text)| {
            let uses = names.iter().filter(|other| *other != name && (text.contains(&format!("crate::{other}::")) || text.contains(&format!("crate::{other};")) || text.contains(&format!("crate::{{{other}")) || text.contains(&format!(", {other}}}")) && text.contains("use crate::{"))).cloned().collect();
            (name.clone(), uses)
        })
        .collect()
}

/// The code of a file: without comments (doc links name modules too) and without its inline unit
/// tests (`#[cfg(test)] mod tests {` to the end, where this codebase keeps them).
fn code_of(text: &str) -> String {
    let code = text.split("#[cfg(test)]\nmod tests {").next().unwrap_or_default();
    code.lines().filter(|line| !line.trim_start().starts_with("//")).map(|line| format!("{line}\n")).collect()
}

/// A cycle through `start`, if there is one.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                return Some([path.clone(), vec![start.to_owned()]].concat());
            }
            if seen.insert(next.clone()) {
                stack.push((next.clone(), [path.clone(), vec![next.clone()]].concat()));
            }
        }
    }
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for crate_src in ["daemon/src", "core/src"] {
        let graph = graph(&root.join(crate_src));
        assert!(graph.len() > 10, "{crate_src}: too few modules found: {:?}", graph.keys());
        let cycles: Vec<String> = graph.keys().filter_map(|m| cycle_from(&graph, m)).map(|c| c.join(" → ")).collect();
        assert!(cycles.is_empty(), "{crate_src} has import circles:\n{}", cycles.join("\n"));
    }
    // The check itself sees a circle.
    let circle: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "a")].iter().map(|(m, u)| ((*m).to_owned(), BTreeSet::from([(*u).to_owned()]))).collect();
    assert!(cycle_from(&circle, "a").is_some());
}
