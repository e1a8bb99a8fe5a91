//! The break loop on a real display: the schedule fires, an overlay covers the screen, breaks
//! are logged, and quitting leaves nothing behind.

use respite_e2e::{bin, wait_for, Session};
use std::time::Duration;

const SHORT_EYE_RESTS: &str = r#"
[eye]
interval = "5s"
duration = "3s"
[stretch]
enabled = false
[walk]
enabled = false
"#;

#[test]
fn short_eye_rests_run_show_an_overlay_are_logged_and_quit_cleanly() {
    let session = Session::with_display();
    session.write_settings(SHORT_EYE_RESTS);
    let mut daemon = session.spawn_daemon();

    let status = wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert_eq!(status["state"], "working", "{status}");
    assert_eq!(status["next"]["kind"], "eye");
    assert!(status["next"]["in_secs"].as_u64().unwrap() <= 5, "{status}");
    assert_eq!(status["warnings"], serde_json::json!([]));

    // While breaks come and go, an overlay window named for the break must cover the screen.
    let window = wait_for(Duration::from_secs(40), "a visible overlay window", || {
        let found = session.x("xdotool", &["search", "--onlyvisible", "--name", "^Respite — Eye rest$"]);
        let id = String::from_utf8_lossy(&found.stdout).lines().next()?.trim().to_owned();
        let geometry = session.x("xdotool", &["getwindowgeometry", &id]);
        let geometry = String::from_utf8_lossy(&geometry.stdout).into_owned();
        geometry.contains("Geometry: 1280x800").then_some(geometry)
    });
    assert!(window.contains("Position: 0,0"), "{window}");

    let completed = wait_for(Duration::from_secs(40), "two completed eye rests in the log", || {
        let rows = session.export();
        let done: Vec<_> = rows.into_iter().filter(|r| r["kind"] == "eye" && r["outcome"] == "completed").collect();
        (done.len() >= 2).then_some(done)
    });
    for row in &completed {
        assert_eq!(row["planned_secs"], 3);
        assert_eq!(row["actual_secs"], 3, "{row}");
        assert_eq!(row["trigger"], "scheduled");
    }

    let quit = session.respite(&["quit"]);
    assert!(quit.status.success(), "quit failed: {}", String::from_utf8_lossy(&quit.stderr));
    let exit = wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().expect("wait"));
    assert!(exit.success(), "daemon exit: {exit:?}\n{}", session.daemon_log());
    let left = wait_for(Duration::from_secs(10), "every Respite and WebKit process to end", || {
        let left = session.live_processes();
        left.is_empty().then_some(left)
    });
    assert!(left.is_empty());
    assert!(!session.runtime_dir().join("respite/control.sock").exists(), "the socket was left behind");
    assert!(session.daemon_log().contains("respite-ui exited"), "{}", session.daemon_log());
}

#[test]
fn the_overlay_refuses_to_open_without_a_break() {
    let session = Session::headless();
    let out = session.command(&bin("respite-ui")).arg("overlay").output().expect("run respite-ui");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Respite is not running"), "{out:?}");
}

/// A prepared overlay whose WebKit starts so slowly that its break has begun before it listens
/// still shows that break (it asks once after subscribing), rather than missing it.
#[test]
fn a_prepared_overlay_that_starts_late_still_shows_its_break() {
    let session = Session::with_display();
    session.write_settings("[eye]\ninterval = \"8s\"\nduration = \"6s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[overlay]\nfade = \"0s\"\n[sound]\nenabled = false\n");
    // A slow start, made certain: the prepared respite-ui starts only once the break is on.
    let wrapper = session.root.path().join("slow-respite-ui");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\ncase \" $* \" in *\" --prepare \"*)\n  until {respite} status --json | grep '\"state\": *\"on_break\"' >/dev/null; do sleep 0.05; done\n  echo 'slow start: the break is on' >&2;;\nesac\nexec {ui} \"$@\"\n",
            respite = bin("respite").display(),
            ui = bin("respite-ui").display()
        ),
    )
    .expect("wrapper");
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", wrapper.to_str().expect("UTF-8 path"))]);
    session.wait_for(Duration::from_secs(30), "the prepared overlay to start after its break began", || session.daemon_log().contains("slow start: the break is on").then_some(()));
    session.wait_for(Duration::from_secs(30), "the late overlay to take its break", || session.daemon_log().contains("the break had started before the overlay was ready").then_some(()));
    session.wait_for(Duration::from_secs(30), "the overlay to be on screen", || session.daemon_log().contains("overlay on screen").then_some(()));
    assert!(session.respite(&["skip"]).status.success());
    session.quit();
    assert!(daemon.wait().expect("daemon exit").success());
}

/// Writes an executable shell script `name` into the session folder.
fn script(session: &Session, name: &str, text: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = session.root.path().join(name);
    std::fs::write(&path, text).expect("script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

/// When `respite-ui` cannot start, the break still runs its course, but its row says no window
/// came up (`shown` false), and the summary does not count it as taken (nor as due: Respite
/// failed to show it), but as unseen.
#[test]
fn a_break_whose_window_never_came_up_is_logged_not_shown_and_not_counted_taken() {
    let session = Session::headless();
    session.write_settings("[eye]\ninterval = \"5s\"\nduration = \"2s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[sound]\nenabled = false\n");
    let failing = script(&session, "failing-respite-ui", "#!/bin/sh\necho 'stand-in respite-ui: cannot start' >&2\nexit 1\n");
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", failing.to_str().expect("UTF-8 path"))]);
    session.wait_for(Duration::from_secs(30), "a break to end without its window", || {
        session.daemon_log().contains("the break ended without its window on screen").then_some(())
    });
    let row = session.wait_for(Duration::from_secs(30), "the break in the log", || session.export().into_iter().find(|r| r["kind"] == "eye"));
    assert_eq!(row["outcome"], "completed", "{row}");
    assert_eq!(row["shown"], false, "{row}");
    assert!(session.daemon_log().contains("respite-ui exited before the break's window came up"), "{}", session.daemon_log());

    let out = session.respite(&["summary", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary is JSON");
    let breaks = &summary["breaks"];
    assert!(breaks["unseen"].as_u64().unwrap() >= 1, "{breaks}");
    assert_eq!((breaks["taken"].as_u64(), breaks["due"].as_u64()), (Some(0), Some(0)), "{breaks}");
    assert_eq!(summary["headline"]["breaks_taken"], 0, "{summary}");
    let text = session.respite(&["summary"]);
    let unseen = respite_core::text::Texts::english().count("summary.kinds.unseen", breaks["unseen"].as_u64().unwrap(), &[]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(&unseen), "{unseen:?} in {}", String::from_utf8_lossy(&text.stdout));
    session.quit();
    assert!(daemon.wait().expect("daemon exit").success());
}

/// A break whose overlay came up on screen says so in its row.
#[test]
fn a_break_whose_overlay_came_up_is_logged_shown() {
    let session = Session::with_display();
    session.write_settings("[eye]\ninterval = \"1h\"\nduration = \"60s\"\n[stretch]\nenabled = false\n[walk]\nenabled = false\n[overlay]\nfade = \"0s\"\n[sound]\nenabled = false\n");
    let mut daemon = session.spawn_daemon();
    session.wait_for(Duration::from_secs(20), "the daemon to answer", || session.status());
    assert!(session.respite(&["break", "eye"]).status.success());
    session.wait_for(Duration::from_secs(40), "the overlay to be on screen", || session.daemon_log().contains("overlay on screen").then_some(()));
    assert!(session.respite(&["skip"]).status.success());
    let row = session.wait_for(Duration::from_secs(30), "the break in the log", || session.export().into_iter().find(|r| r["kind"] == "eye"));
    assert_eq!((row["outcome"].as_str(), row["shown"].as_bool()), (Some("skipped"), Some(true)), "{row}");
    session.quit();
    assert!(daemon.wait().expect("daemon exit").success());
}
