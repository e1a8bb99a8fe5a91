//! Music pauses during a break and plays again after it: the real daemon and a real MPRIS
//! player on the test's session bus, mpv with its MPRIS plugin (`mpv-mpris`) playing a generated
//! tone to a null audio output. The test reads and drives the player over D-Bus with
//! `dbus-send`, as a media key or a panel applet would.

use respite_e2e::{on_path, skip_or_fail, wait_for, Running, Session};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const PLAYER: &str = "org.mpris.MediaPlayer2.mpv";
const STRETCH_EVERY_10S: &str = "[eye]\nenabled = false\n[walk]\nenabled = false\n[stretch]\ninterval = \"10s\"\nduration = \"8s\"\nnotice = \"0s\"\n[sound]\nenabled = false\n";


/// `dbus-send` on the session's bus; its output, or `None` when the call failed.
fn dbus_send(session: &Session, args: &[&str]) -> Option<String> {
    let out = session.command(Path::new("dbus-send")).arg("--session").arg("--print-reply").args(args).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn property(session: &Session, name: &str) -> Option<String> {
    let reply = dbus_send(session, &[&format!("--dest={PLAYER}"), "/org/mpris/MediaPlayer2", "org.freedesktop.DBus.Properties.Get", "string:org.mpris.MediaPlayer2.Player", &format!("string:{name}")])?;
    // `   variant       string "Playing"` or `   variant       int64 1234`
    let value = reply.lines().find_map(|line| line.trim().strip_prefix("variant"))?.trim();
    Some(value.split_once(' ').map_or(value, |(_, v)| v).trim_matches('"').to_owned())
}

fn playback(session: &Session) -> Option<String> {
    property(session, "PlaybackStatus")
}

fn position_secs(session: &Session) -> f64 {
    property(session, "Position").and_then(|p| p.parse::<i64>().ok()).map_or(0.0, |us| us as f64 / 1e6)
}

fn press(session: &Session, method: &str) {
    dbus_send(session, &[&format!("--dest={PLAYER}"), "/org/mpris/MediaPlayer2", &format!("org.mpris.MediaPlayer2.Player.{method}")]).expect(method);
}

fn wait_state(session: &Session, state: &str) {
    session.wait_for(Duration::from_secs(30), &format!("the daemon to be {state}"), || session.status().filter(|s| s["state"] == state));
}

fn wait_playback(session: &Session, wanted: &str) {
    wait_for(Duration::from_secs(10), &format!("the player to be {wanted}"), || (playback(session).as_deref() == Some(wanted)).then_some(()));
}

#[test]
fn music_pauses_for_a_stretch_plays_after_it_and_a_player_the_person_handled_or_closed_is_left_alone() {
    const TEST: &str = "media::music_pauses_for_a_stretch";
    if !on_path("mpv") || !Path::new("/etc/mpv/scripts/mpris.so").exists() || !on_path("dbus-send") {
        return skip_or_fail(TEST, "mpv with mpv-mpris, or dbus-send, is not installed (scripts/install-deps test)");
    }
    let session = Session::headless();
    let player = Running(
        session
            .command(Path::new("mpv"))
            .args(["--no-terminal", "--vo=null", "--ao=null", "--loop=inf", "av://lavfi:sine=frequency=440"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_playback(&session, "Playing");
    session.write_settings(STRETCH_EVERY_10S);
    let mut daemon = session.spawn_daemon_with(&[("RESPITE_UI_BIN", "/bin/true")]);

    // 1. Paused for the stretch, playing again after it.
    wait_state(&session, "on_break");
    wait_playback(&session, "Paused");
    wait_state(&session, "working");
    wait_playback(&session, "Playing");

    // 2. The person plays it during the break and pauses it again further on: left paused.
    wait_state(&session, "on_break");
    wait_playback(&session, "Paused");
    let paused_at = position_secs(&session);
    press(&session, "Play");
    wait_for(Duration::from_secs(8), "the tone to play on for three seconds", || (position_secs(&session) > paused_at + 3.0).then_some(()));
    press(&session, "Pause");
    wait_state(&session, "working");
    assert!(session.daemon_log().contains("was dealt with during the break"), "{}", session.daemon_log());
    assert_eq!(playback(&session).as_deref(), Some("Paused"), "what the person chose stands");
    press(&session, "Play");
    wait_playback(&session, "Playing");

    // 3. The player goes away during the break: nothing to resume, and the daemon goes on.
    wait_state(&session, "on_break");
    wait_playback(&session, "Paused");
    drop(player);
    wait_for(Duration::from_secs(10), "the player to leave the bus", || playback(&session).is_none().then_some(()));
    wait_state(&session, "working");
    assert!(session.daemon_log().contains("is not resumed"), "{}", session.daemon_log());
    let rows = session.export();
    assert!(rows.iter().filter(|r| r["outcome"] == "completed").count() >= 3, "{rows:?}");
    session.quit();
    wait_for(Duration::from_secs(15), "the daemon to exit", || daemon.try_wait().unwrap());
}
