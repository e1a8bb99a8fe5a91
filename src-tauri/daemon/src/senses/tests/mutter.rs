//! The Mutter source against the real GNOME compositor: `mutter --headless` (Debian 12's 43.8)
//! on a private session bus, with pointer input sent through its RemoteDesktop D-Bus API.

use super::super::mutter::MutterIdle;
use super::super::{probe_idle, Desktop, IdleSource, SessionBus};
use super::support::{skip_or_fail, wait_for, Bus, Running};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;
use zbus::zvariant::OwnedObjectPath;

const REMOTE_DESKTOP: &str = "org.gnome.Mutter.RemoteDesktop";

#[test]
fn real_mutter_reports_idle_time_that_input_resets() {
    if Command::new("mutter").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        skip_or_fail("mutter is not installed (scripts/install-deps test installs it)");
        return;
    }
    let bus = Bus::start();
    let runtime_dir = tempfile::tempdir().unwrap();
    let _mutter = Running(
        Command::new("mutter")
            .args(["--headless", "--virtual-monitor", "800x600", "--wayland", "--no-x11"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .env("XDG_RUNTIME_DIR", runtime_dir.path())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mutter"),
    );
    let client = bus.connect();
    let mut source = MutterIdle::new(&SessionBus::new(client.clone())).unwrap();
    let first = wait_for(Duration::from_secs(20), "mutter's idle monitor", || source.idle_time().ok().flatten());
    thread::sleep(Duration::from_millis(1000));
    let later = source.idle_time().unwrap().expect("a reading");
    assert!(later >= first + Duration::from_millis(900), "idle went from {first:?} to {later:?} in 1 s");

    // Move the pointer as a remote-desktop client does.
    let session: OwnedObjectPath = client
        .call_method(
            Some(REMOTE_DESKTOP),
            "/org/gnome/Mutter/RemoteDesktop",
            Some(REMOTE_DESKTOP),
            "CreateSession",
            &(),
        )
        .expect("CreateSession")
        .body()
        .deserialize()
        .expect("a session path");
    let session_interface = "org.gnome.Mutter.RemoteDesktop.Session";
    client.call_method(Some(REMOTE_DESKTOP), &session, Some(session_interface), "Start", &()).expect("Start");
    client
        .call_method(
            Some(REMOTE_DESKTOP),
            &session,
            Some(session_interface),
            "NotifyPointerMotionRelative",
            &(10.0f64, 10.0f64),
        )
        .expect("NotifyPointerMotionRelative");
    wait_for(Duration::from_secs(5), "the idle time to drop after input", || {
        (source.idle_time().unwrap().expect("a reading") < Duration::from_millis(500)).then_some(())
    });

    let desktop =
        Desktop { session_bus: Some(bus.session()), x11_display: None, wayland_socket: None, gnome_settings: false };
    assert_eq!(probe_idle(&desktop).name(), "mutter");
}
