//! The windows' capabilities, enforced by Tauri's real ACL (built from `capabilities/` and
//! `build.rs` into the app's context) on the mock runtime, so no display is needed: a window can
//! call exactly the commands its capability grants, from the app's own pages, and nothing else.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::Path;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewUrl, WebviewWindow, WebviewWindowBuilder};

/// The origin of the app's own pages on Linux.
const LOCAL: &str = "tauri://localhost";

fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, url: &str, body: Value) -> Result<Value, String> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: url.parse().expect("url"),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.into(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("json body"))
    .map_err(|e| e.as_str().map(String::from).unwrap_or_else(|| e.to_string()))
}

#[track_caller]
fn denied(result: Result<Value, String>) {
    assert!(result.as_ref().is_err_and(|e| e.contains("not allowed")), "expected an ACL denial, got {result:?}");
}

#[test]
fn the_overlay_window_can_call_only_what_its_capability_grants() {
    // The real ACL; no command handlers: the ACL decides before any command would run.
    let app = mock_builder().build(tauri::generate_context!(assets = noop_assets(), test = true)).expect("mock app");
    let overlay = WebviewWindowBuilder::new(&app, "overlay-0", WebviewUrl::App("overlay.html".into())).build().expect("overlay");
    let stranger = WebviewWindowBuilder::new(&app, "stranger", WebviewUrl::App("overlay.html".into())).build().expect("window");

    denied(call(&overlay, "plugin:window|close", LOCAL, Value::Null)); // a core command it was not given
    denied(call(&overlay, "plugin:event|emit", LOCAL, json!({"event": "x"}))); // only listen/unlisten
    denied(call(&overlay, "open_settings", LOCAL, Value::Null)); // no such app command
    denied(call(&stranger, "skip", LOCAL, json!({"breakId": 1}))); // granted to overlay-* only
    denied(call(&overlay, "skip", "https://example.com/", json!({"breakId": 1}))); // remote pages get nothing

    // Controls: the granted calls pass the ACL (they then find no handler in this mock app), so
    // the denials above are the capability at work, not a mock that refuses everything.
    for command in OVERLAY_COMMANDS {
        assert_eq!(call(&overlay, command, LOCAL, json!({"breakId": 1})), Err(format!("Command {command} not found")));
    }
    assert_eq!(call(&overlay, "plugin:event|unlisten", LOCAL, json!({"event": "break-ended", "eventId": 1})), Ok(Value::Null));
}

/// The settings window's commands.
const SETTINGS_COMMANDS: [&str; 8] =
    ["settings_read", "settings_check", "settings_set", "settings_reset", "settings_ready", "ideas_open", "autostart_get", "autostart_set"];
/// The overlay's commands.
const OVERLAY_COMMANDS: [&str; 6] = ["overlay_info", "overlay_ready", "postpone", "skip", "finish", "overlay_closed"];

#[test]
fn the_settings_window_can_call_its_commands_and_not_the_overlays_and_the_overlay_not_its() {
    let app = mock_builder().build(tauri::generate_context!(assets = noop_assets(), test = true)).expect("mock app");
    let settings = WebviewWindowBuilder::new(&app, "settings", WebviewUrl::App("settings.html".into())).build().expect("settings");
    let overlay = WebviewWindowBuilder::new(&app, "overlay-0", WebviewUrl::App("overlay.html".into())).build().expect("overlay");
    let stranger = WebviewWindowBuilder::new(&app, "settings-2", WebviewUrl::App("settings.html".into())).build().expect("window");
    let args = json!({"key": "eye.interval", "value": "20m", "on": true, "breakId": 1});

    // Granted: past the ACL (then no handler in this mock app).
    for command in SETTINGS_COMMANDS {
        assert_eq!(call(&settings, command, LOCAL, args.clone()), Err(format!("Command {command} not found")));
    }
    for command in OVERLAY_COMMANDS {
        denied(call(&settings, command, LOCAL, args.clone()));
    }
    for command in SETTINGS_COMMANDS {
        denied(call(&overlay, command, LOCAL, args.clone()));
        denied(call(&stranger, command, LOCAL, args.clone())); // the label must be exactly "settings"
        denied(call(&settings, command, "https://example.com/", args.clone())); // remote pages get nothing
    }
    denied(call(&settings, "plugin:event|listen", LOCAL, json!({"event": "x", "handler": 0})));
    denied(call(&settings, "plugin:window|close", LOCAL, Value::Null));
}

/// The summary window's commands.
const SUMMARY_COMMANDS: [&str; 3] = ["summary_week", "summary_ready", "self_check_save"];

#[test]
fn the_summary_window_reads_summaries_and_can_do_nothing_else() {
    let app = mock_builder().build(tauri::generate_context!(assets = noop_assets(), test = true)).expect("mock app");
    let summary = WebviewWindowBuilder::new(&app, "summary", WebviewUrl::App("summary.html".into())).build().expect("summary");
    let overlay = WebviewWindowBuilder::new(&app, "overlay-0", WebviewUrl::App("overlay.html".into())).build().expect("overlay");
    let settings = WebviewWindowBuilder::new(&app, "settings", WebviewUrl::App("settings.html".into())).build().expect("settings");
    let args = json!({"week": "2026-W47", "key": "eye.interval", "value": "20m", "on": true, "breakId": 1});

    for command in SUMMARY_COMMANDS {
        assert_eq!(call(&summary, command, LOCAL, args.clone()), Err(format!("Command {command} not found")));
        denied(call(&overlay, command, LOCAL, args.clone()));
        denied(call(&settings, command, LOCAL, args.clone()));
        denied(call(&summary, command, "https://example.com/", args.clone()));
    }
    for command in OVERLAY_COMMANDS.iter().chain(SETTINGS_COMMANDS.iter()) {
        denied(call(&summary, command, LOCAL, args.clone()));
    }
    denied(call(&summary, "plugin:event|listen", LOCAL, json!({"event": "x", "handler": 0})));
    denied(call(&summary, "plugin:window|close", LOCAL, Value::Null));
}

/// The welcome window's commands (launch at login is the settings window's command, shared).
const WELCOME_COMMANDS: [&str; 6] = ["welcome_read", "welcome_preset", "welcome_sound", "welcome_ready", "welcome_done", "autostart_set"];

#[test]
fn the_welcome_window_chooses_a_preset_sound_and_login_and_nothing_else() {
    let app = mock_builder().build(tauri::generate_context!(assets = noop_assets(), test = true)).expect("mock app");
    let welcome = WebviewWindowBuilder::new(&app, "welcome", WebviewUrl::App("welcome.html".into())).build().expect("welcome");
    let settings = WebviewWindowBuilder::new(&app, "settings", WebviewUrl::App("settings.html".into())).build().expect("settings");
    let overlay = WebviewWindowBuilder::new(&app, "overlay-0", WebviewUrl::App("overlay.html".into())).build().expect("overlay");
    let args = json!({"preset": "gentle", "key": "eye.interval", "value": "20m", "on": true, "breakId": 1, "week": "2026-W47"});

    for command in WELCOME_COMMANDS {
        assert_eq!(call(&welcome, command, LOCAL, args.clone()), Err(format!("Command {command} not found")));
        denied(call(&welcome, command, "https://example.com/", args.clone()));
        denied(call(&overlay, command, LOCAL, args.clone()));
    }
    for command in WELCOME_COMMANDS.iter().filter(|c| c.starts_with("welcome_")) {
        denied(call(&settings, command, LOCAL, args.clone()));
    }
    // Not the whole settings file, not the overlay's or the summary's commands.
    for command in ["settings_read", "settings_set", "settings_reset", "autostart_get"].iter().chain(OVERLAY_COMMANDS.iter()).chain(SUMMARY_COMMANDS.iter()) {
        denied(call(&welcome, command, LOCAL, args.clone()));
    }
    denied(call(&welcome, "plugin:window|close", LOCAL, Value::Null));
}

/// Each window: its capability (`capabilities/<name>.json`), the file whose `generate_handler!`
/// lists its commands, and the commands the tests above expect it to have.
const WINDOWS: [(&str, &str, &[&str]); 4] = [
    ("overlay", "src/overlay.rs", &OVERLAY_COMMANDS),
    ("settings", "src/settings_window.rs", &SETTINGS_COMMANDS),
    ("summary", "src/summary_window.rs", &SUMMARY_COMMANDS),
    ("welcome", "src/welcome_window.rs", &WELCOME_COMMANDS),
];

/// The text between `open` and the next `close` after it, in `text` (which must hold one).
fn between<'t>(text: &'t str, open: &str, close: &str, what: &str) -> &'t str {
    let (_, rest) = text.split_once(open).unwrap_or_else(|| panic!("no {open:?} in {what}"));
    rest.split_once(close).unwrap_or_else(|| panic!("no {close:?} after {open:?} in {what}")).0
}

fn sorted<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut items: Vec<String> = items.into_iter().map(Into::into).collect();
    items.sort();
    items
}

/// The command lists are written four times: `build.rs` (one permission per command), each
/// window's `generate_handler!`, its capability file, and the lists in this file. `build.rs` runs
/// before the crate is compiled and the capabilities are JSON, so they cannot share one Rust list;
/// this test reads them all as text and checks that they name the same commands.
#[test]
fn build_rs_the_handlers_the_capabilities_and_these_tests_name_the_same_commands() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let files_in = |folder: &str, ext: &str| -> BTreeSet<String> {
        std::fs::read_dir(dir.join(folder))
            .unwrap_or_else(|e| panic!("{folder}: {e}"))
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(ext))
            .map(|name| format!("{folder}/{name}"))
            .collect()
    };

    // Every window is in WINDOWS: no other handler list, no other capability.
    let with_handlers: BTreeSet<String> = files_in("src", ".rs").into_iter().filter(|f| read(f).contains("generate_handler![")).collect();
    assert_eq!(with_handlers, WINDOWS.iter().map(|w| w.1.to_owned()).collect());
    assert_eq!(files_in("capabilities", ".json"), WINDOWS.iter().map(|w| format!("capabilities/{}.json", w.0)).collect());

    for (name, file, expected) in WINDOWS {
        let source = read(file);
        let handlers = between(&source, "generate_handler![", "]", file).split(',').map(|path| path.trim().rsplit("::").next().unwrap().to_owned());
        assert_eq!(sorted(handlers), sorted(expected.iter().copied()), "{file}'s generate_handler! and the {name} commands here");
        assert_eq!(source.matches("generate_handler![").count(), 1, "one handler list in {file}");

        let path = format!("capabilities/{name}.json");
        let capability: Value = serde_json::from_str(&read(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(capability["identifier"], name, "{path}");
        let granted = capability["permissions"].as_array().unwrap_or_else(|| panic!("{path}: no permissions")).iter().map(|p| p.as_str().expect("a permission name"));
        let commands = granted.filter(|p| !p.contains(':')).map(|p| p.strip_prefix("allow-").unwrap_or_else(|| panic!("{path}: {p} is not an allow- permission")).replace('-', "_"));
        assert_eq!(sorted(commands), sorted(expected.iter().copied()), "{path} and the {name} commands here");
    }

    let build = read("build.rs");
    let declared = between(&build, ".commands(&[", "])", "build.rs").split(',').map(|c| c.trim().trim_matches('"').to_owned());
    let declared = sorted(declared);
    assert_eq!(declared.iter().collect::<BTreeSet<_>>().len(), declared.len(), "a command twice in build.rs: {declared:?}");
    let used: BTreeSet<&str> = WINDOWS.iter().flat_map(|w| w.2.iter().copied()).collect();
    assert_eq!(declared, sorted(used), "build.rs's commands and the windows' commands");
}
