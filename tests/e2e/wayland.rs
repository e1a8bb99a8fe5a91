//! Breaks on real Wayland compositors, run headless with two outputs of different sizes
//! (1920x1080 at 0,0 and 1280x1024 at 1920,0) as an unprivileged account:
//! - sway (wlroots, layer-shell): every output is covered exactly (its magenta desktop shows
//!   nowhere in a screenshot of each output), the overlay stays above a window opened during the
//!   break, Esc skips it, and an output plugged in during the break is covered too;
//! - mutter (GNOME, no layer-shell): each overlay is fullscreen on its own monitor, as the
//!   compositor reports it, and each monitor is covered to its edges in a screenshot taken
//!   through mutter's screen cast (it has no screenshot interface of its own without
//!   gnome-shell);
//! - the tray registers with a real StatusNotifierItem host (waybar's tray) and, with no host
//!   at all, the daemon runs without GTK complaints.

use respite_e2e::{bin, Compositor, Session, SWAY_BACKGROUND};
use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::time::Duration;

/// Where each overlay window ended up, from respite-ui's lines in the daemon's log (the last
/// line per window): label → "on <monitor>, size WxH[, fullscreen]".
fn placements(session: &Session) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for line in session.daemon_log().lines() {
        let Some(rest) = line.split("respite-ui: ").nth(1) else { continue };
        let Some((label, placement)) = rest.split_once(" shown (") else { continue };
        let placement = placement.split_once("): ").map_or("", |(_, p)| p);
        // Then the log's fields (" pid=…", maybe in colour).
        let placement = placement.split(['\x1b']).next().unwrap_or_default();
        let placement = placement.rsplit_once(" pid=").map_or(placement, |(p, _)| p);
        found.insert(label.to_owned(), placement.trim().to_owned());
    }
    found
}

/// Waits until the overlay windows' sizes are exactly `sizes` (in any order).
fn wait_for_sizes(session: &Session, sizes: &[&str]) -> BTreeMap<String, String> {
    let mut wanted: Vec<String> = sizes.iter().map(|s| format!("size {s}")).collect();
    wanted.sort();
    session.wait_for(Duration::from_secs(45), &format!("overlays of sizes {sizes:?}"), || {
        let found = placements(session);
        let mut got: Vec<String> = found.values().filter_map(|p| p.split(", ").find(|f| f.starts_with("size ")).map(str::to_owned)).collect();
        got.sort();
        (got == wanted).then_some(found)
    })
}

/// Share of the pixels of `rgb` that are (nearly) `colour`.
fn share_of(rgb: &[u8], colour: [u8; 3]) -> f64 {
    let near = rgb.chunks(3).filter(|p| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 8)).count();
    near as f64 / (rgb.len() / 3).max(1) as f64
}

/// Share of the pixels that differ clearly between two screenshots of one output.
fn share_changed(before: &[u8], after: &[u8]) -> f64 {
    let changed = before.chunks(3).zip(after.chunks(3)).filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 24)).count();
    changed as f64 / (before.len() / 3).max(1) as f64
}

/// Whether every pixel along the edges of a screenshot (a band 6 px wide) is the overlay's
/// backdrop: the page's colour at 94% over whatever desktop lies under it. A desktop showing at
/// an edge, or another window there, fails it; no desktop colour can pass as the overlay.
fn edges_are_overlay(width: u32, height: u32, rgb: &[u8]) -> bool {
    const BAND: u32 = 6;
    // rgb(18, 52, 59) with at most the page's faint light added, times 0.94, plus 0.06 of any colour.
    let (low, high) = ([14, 46, 52], [40, 72, 78]);
    (0..height).all(|y| {
        (0..width).filter(|&x| x < BAND || y < BAND || x + BAND >= width || y + BAND >= height).all(|x| {
            let at = ((y * width + x) * 3) as usize;
            (0..3).all(|c| (low[c]..=high[c]).contains(&rgb[at + c]))
        })
    })
}

/// Waits until `output` (of the given size) shows the overlay at every edge and, on sway, its
/// desktop colour nowhere; returns that screenshot.
fn wait_until_covered(session: &Session, output: &str, size: (u32, u32)) -> Vec<u8> {
    session.wait_for(Duration::from_secs(30), &format!("{output} to be covered"), || {
        let (width, height, rgb) = session.screenshot(output).ok()?;
        assert_eq!((width, height), size, "{output} has the size the compositor gives it");
        (share_of(&rgb, SWAY_BACKGROUND) == 0.0 && edges_are_overlay(width, height, &rgb)).then_some(rgb)
    })
}

/// A screenshot of `output` once the overlay's page has finished drawing: two in a row that
/// differ only by the countdown.
fn settled(session: &Session, output: &str) -> Vec<u8> {
    let mut last = session.screenshot(output).expect("a screenshot").2;
    session.wait_for(Duration::from_secs(20), &format!("{output} to settle"), || {
        let now = session.screenshot(output).ok()?.2;
        let still = share_changed(&last, &now) < 0.01;
        last = now;
        still.then(|| last.clone())
    })
}

fn output_size(output: &str) -> (u32, u32) {
    if output == "HEADLESS-2" { (1280, 1024) } else { (1920, 1080) }
}

/// Writes a screenshot into `target/e2e-screenshots/` for a failure's diagnosis.
fn keep_screenshot(name: &str, (width, height): (u32, u32), rgb: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    let _ = std::fs::create_dir_all(&dir);
    let Ok(file) = std::fs::File::create(dir.join(format!("wayland-{name}.png"))) else { return };
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    if let Ok(mut writer) = encoder.write_header() {
        let _ = writer.write_image_data(rgb);
    }
}

fn last_outcome(session: &Session) -> Option<String> {
    session.export().last().map(|r| r["outcome"].as_str().unwrap_or_default().to_owned())
}

/// Ids of the application windows (views) in sway's tree.
fn sway_views(session: &Session) -> Vec<i64> {
    let out = session.wayland_client("swaymsg", &["-t", "get_tree", "-r"]);
    assert!(out.status.success(), "swaymsg get_tree: {}", String::from_utf8_lossy(&out.stderr));
    let tree: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sway's tree is JSON");
    let mut views = Vec::new();
    let mut stack = vec![&tree];
    while let Some(node) = stack.pop() {
        if node["pid"].as_i64().is_some_and(|pid| pid > 0) {
            views.push(node["id"].as_i64().unwrap_or_default());
        }
        for key in ["nodes", "floating_nodes"] {
            stack.extend(node[key].as_array().into_iter().flatten());
        }
    }
    views
}

fn start_daemon(session: &Session) -> Child {
    // The dark theme, whose backdrop colour the screenshots look for ("system" follows the
    // compositor's light preference here).
    session.write_settings("[overlay]\nfade = \"0s\"\ntheme = \"dark\"\n[sound]\nenabled = false\n");
    let daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    daemon
}

fn stop(session: &Session, mut daemon: Child) {
    session.quit();
    assert!(daemon.wait().expect("daemon exit").success());
    session.wait_for(Duration::from_secs(15), "every Respite and WebKit process to end", || session.live_processes().is_empty().then_some(()));
}

/// What GTK (or a library under it) complained about in the daemon's log.
fn gtk_complaints(session: &Session) -> Vec<String> {
    session.daemon_log().lines().filter(|l| l.contains("-CRITICAL") || l.contains("Gtk-WARNING")).map(str::to_owned).collect()
}

#[test]
fn sway_a_break_covers_every_output_stays_on_top_is_skipped_by_esc_and_logged() {
    let Some(session) = Session::with_wayland(Compositor::Sway) else { return };
    let daemon = start_daemon(&session);

    assert!(session.respite(&["break", "stretch"]).status.success());
    let placed = wait_for_sizes(&session, &["1920x1080", "1280x1024"]);
    assert!(placed.values().all(|p| !p.contains("fullscreen")), "layer surfaces, not fullscreen windows: {placed:?}");
    assert!(session.daemon_log().contains("each with a wayland layer-shell overlay"), "{}", session.daemon_log());
    wait_until_covered(&session, "HEADLESS-1", (1920, 1080));
    wait_until_covered(&session, "HEADLESS-2", (1280, 1024));
    let before = [settled(&session, "HEADLESS-1"), settled(&session, "HEADLESS-2")];

    // A window that opens during the break stays under the overlay.
    let views = sway_views(&session);
    let mut other = session.command(&bin("respite-ui")).arg("summary").stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("respite-ui summary");
    session.wait_for(Duration::from_secs(30), "the summary window to be mapped", || (sway_views(&session).len() > views.len()).then_some(()));
    for _ in 0..3 {
        for (output, earlier) in ["HEADLESS-1", "HEADLESS-2"].into_iter().zip(&before) {
            let (_, _, now) = session.screenshot(output).expect("a screenshot");
            assert_eq!(share_of(&now, SWAY_BACKGROUND), 0.0, "the desktop shows on {output}");
            let changed = share_changed(earlier, &now);
            if changed >= 0.05 {
                keep_screenshot(&format!("{output}-before"), output_size(output), earlier);
                keep_screenshot(&format!("{output}-after"), output_size(output), &now);
                panic!("{:.1}% of {output} changed after a window opened: it is above the overlay (screenshots in target/e2e-screenshots)", changed * 100.0);
            }
        }
    }

    // Esc reaches the page (the overlay has the keyboard) and skips the break. wtype's keymap
    // arrives with its key; the pause lets the page's toolkit take the keymap first.
    let typed = session.wayland_client("wtype", &["-s", "300", "-k", "Escape"]);
    assert!(typed.status.success(), "wtype: {}", String::from_utf8_lossy(&typed.stderr));
    session.wait_for(Duration::from_secs(15), "the skip to be logged", || (last_outcome(&session)? == "skipped").then_some(()));
    let rows = session.export();
    assert_eq!((rows.len(), rows[0]["kind"].as_str()), (1, Some("stretch")), "{rows:?}");
    session.wait_for(Duration::from_secs(20), "the desktop to show again on HEADLESS-2", || {
        let (_, _, rgb) = session.screenshot("HEADLESS-2").ok()?;
        (share_of(&rgb, SWAY_BACKGROUND) > 0.5).then_some(())
    });

    let _ = other.kill();
    let _ = other.wait();
    assert_eq!(gtk_complaints(&session), Vec::<String>::new());
    stop(&session, daemon);
}

#[test]
fn sway_an_output_plugged_in_during_a_break_is_covered_too() {
    let Some(session) = Session::with_wayland(Compositor::Sway) else { return };
    let daemon = start_daemon(&session);

    assert!(session.respite(&["break", "walk"]).status.success());
    wait_for_sizes(&session, &["1920x1080", "1280x1024"]);
    let created = session.wayland_client("swaymsg", &["create_output"]);
    assert!(created.status.success(), "swaymsg create_output: {}", String::from_utf8_lossy(&created.stderr));
    session.wait_for(Duration::from_secs(20), "respite-ui to see the new output", || session.daemon_log().contains("a monitor was plugged in during the break").then_some(()));
    wait_for_sizes(&session, &["1920x1080", "1280x1024", "1920x1080"]);
    wait_until_covered(&session, "HEADLESS-3", (1920, 1080));

    assert!(session.respite(&["skip"]).status.success());
    session.wait_for(Duration::from_secs(15), "the skip to be logged", || (last_outcome(&session)? == "skipped").then_some(()));
    stop(&session, daemon);
}

#[test]
fn mutter_puts_each_overlay_fullscreen_on_its_own_monitor() {
    let Some(session) = Session::with_wayland(Compositor::Mutter) else { return };
    let daemon = start_daemon(&session);

    assert!(session.respite(&["break", "stretch"]).status.success());
    // Each window's monitor is the one its surface entered, as mutter reports it.
    let placed = session.wait_for(Duration::from_secs(45), "two fullscreen overlays, one on each monitor", || {
        let placed = placements(&session);
        let mut got: Vec<&str> = placed.values().map(String::as_str).collect();
        got.sort_unstable();
        let wanted = ["on MetaVirtualMonitor 1280x1024 at 1920,0, size 1280x1024, fullscreen", "on MetaVirtualMonitor 1920x1080 at 0,0, size 1920x1080, fullscreen"];
        (got == wanted).then_some(placed)
    });
    assert_eq!(placed.len(), 2, "{placed:?}");
    assert!(session.daemon_log().contains("each with a wayland fullscreen window"), "{}", session.daemon_log());
    // And what mutter shows: each monitor covered to its edges (its own screen cast).
    wait_until_covered(&session, "Meta-0", (1920, 1080));
    wait_until_covered(&session, "Meta-1", (1280, 1024));

    assert!(session.respite(&["skip"]).status.success());
    session.wait_for(Duration::from_secs(15), "the skip to be logged", || (last_outcome(&session)? == "skipped").then_some(()));
    assert_eq!(gtk_complaints(&session), Vec::<String>::new());
    stop(&session, daemon);
}

/// The items registered with the session's StatusNotifierItem watcher.
fn registered_tray_items(session: &Session) -> Option<String> {
    let out = session
        .command(std::path::Path::new("dbus-send"))
        .args([
            "--session",
            "--print-reply",
            "--dest=org.kde.StatusNotifierWatcher",
            "/StatusNotifierWatcher",
            "org.freedesktop.DBus.Properties.Get",
            "string:org.kde.StatusNotifierWatcher",
            "string:RegisteredStatusNotifierItems",
        ])
        .output()
        .expect("dbus-send (dbus-bin: the README's test command installs it)");
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn sway_the_tray_icon_comes_when_a_tray_host_starts_after_respite() {
    let Some(session) = Session::with_wayland(Compositor::Sway) else { return };
    if !respite_e2e::on_path("waybar") {
        respite_e2e::skip_or_fail("sway tray", "waybar is not installed (the README's test command installs it)");
        return;
    }
    let daemon = start_daemon(&session);
    session.wait_for(Duration::from_secs(10), "the daemon to wait for a tray host", || {
        session.daemon_log().contains("the tray icon is made when one appears").then_some(())
    });
    assert_eq!(registered_tray_items(&session), None, "no watcher runs yet");

    // A real panel with a tray: waybar is a StatusNotifierItem host (and watcher).
    let config = session.root.path().join("waybar.json");
    std::fs::write(&config, r#"{"layer": "top", "position": "top", "modules-right": ["tray"], "tray": {"spacing": 4}}"#).expect("waybar config");
    let mut waybar = session
        .command(std::path::Path::new("waybar"))
        .arg("--config")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("waybar");
    let items = session.wait_for(Duration::from_secs(30), "Respite's icon to be registered with waybar's tray", || {
        registered_tray_items(&session).filter(|items| items.contains("/org/ayatana/NotificationItem/"))
    });
    assert!(session.daemon_log().contains("a tray host appeared on the session bus"), "{items}");

    let _ = waybar.kill();
    let _ = waybar.wait();
    assert_eq!(gtk_complaints(&session), Vec::<String>::new());
    stop(&session, daemon);
}
