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
