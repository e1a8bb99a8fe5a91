//! A screen share in progress. On Wayland every screen capture goes through the desktop portal
//! (xdg-desktop-portal-gnome, -kde, -wlr…), and the compositor hands the picture to the app as a
//! PipeWire video stream: a node in the PipeWire graph that exists only while the share runs.
//! So the graph is the signal, the same for every desktop and every app (browsers, Zoom, OBS,
//! Teams): a video stream node that is not a camera. xdg-desktop-portal-wlr (sway, Hyprland)
//! makes its stream (`xdpw-stream-…`) with class `Video/Source`; GNOME's mutter
//! (`meta-screen-cast-src`) and KDE's KWin (`kwin-screencast-…`) give none, so PipeWire gives
//! them `Stream/Output/Video`. Cameras, made by WirePlumber's v4l2 and libcamera monitors, carry
//! a `device.api` and `device.id`; streams never do. The node exists exactly while the cast is
//! set up (its state, suspended or running, follows the consumer, so it is not looked at).
//! KWin also streams windows for Plasma's task-manager thumbnails: a hover at the moment a break
//! is due holds it until the next look (15 s).
//!
//! The graph is read with `pw-dump` (from `pipewire-bin`, installed wherever PipeWire is) only
//! when a break is due and while a held break waits, so nothing of PipeWire is linked into the
//! daemon or kept running. No PipeWire (no daemon, no `pw-dump`) means no screen share is seen,
//! said once in the log. On X11 screen capture does not pass through PipeWire, and cannot be
//! seen: listing the sharing app in `wait_for_apps` covers it.

use super::{DisturbSource, SenseError};
use respite_core::senses::HoldReason;
use serde_json::Value;
use std::io::Read as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// `pw-dump` answers in milliseconds; one that takes longer is stopped, and no share is seen.
const PW_DUMP_TIMEOUT: Duration = Duration::from_secs(3);
/// The most of `pw-dump`'s output read (a busy graph is a few hundred kilobytes).
const MAX_DUMP: u64 = 16 << 20;

/// Looks for a screen-cast stream in the PipeWire graph.
pub struct PipeWireScreenCast {
    program: PathBuf,
    /// What was last said in the log about PipeWire, so it is said once.
    told: Option<String>,
}

impl PipeWireScreenCast {
    /// Reads the graph with `program` (`pw-dump`).
    pub fn new(program: PathBuf) -> Self {
        PipeWireScreenCast { program, told: None }
    }

    /// `pw-dump`'s JSON, or why there is none.
    fn dump(&self) -> Result<Vec<u8>, String> {
        let mut child = Command::new(&self.program)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.program.display()))?;
        let stdout = child.stdout.take().ok_or("no output")?;
        let (sender, received) = mpsc::channel();
        std::thread::Builder::new()
            .name("pw-dump".into())
            .spawn(move || {
                let mut out = Vec::new();
                let read = stdout.take(MAX_DUMP).read_to_end(&mut out).map(|_| out);
                let _ = sender.send(read);
            })
            .map_err(|e| format!("cannot read {}: {e}", self.program.display()))?;
        let out = received.recv_timeout(PW_DUMP_TIMEOUT);
        if out.is_err() {
            let _ = child.kill();
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        match out {
            Ok(Ok(out)) if status.success() => Ok(out),
            Ok(Ok(_)) => Err(format!("{} found no PipeWire ({status})", self.program.display())),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("{} did not answer within {} s", self.program.display(), PW_DUMP_TIMEOUT.as_secs())),
        }
    }

    fn tell_once(&mut self, what: String) {
        if self.told.as_ref() != Some(&what) {
            tracing::info!("{what}");
            self.told = Some(what);
        }
    }
}

impl DisturbSource for PipeWireScreenCast {
    fn name(&self) -> &'static str {
        "pipewire-screencast"
    }

    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
        let dump = match self.dump() {
            Ok(dump) => dump,
            Err(why) => {
                self.tell_once(format!("screen shares cannot be seen: {why}"));
                return Ok(None);
            }
        };
        let Ok(graph) = serde_json::from_slice::<Value>(&dump) else {
            self.tell_once("screen shares cannot be seen: pw-dump wrote no JSON".into());
            return Ok(None);
        };
        let cast = screen_casts(&graph).next();
        match &cast {
            Some(name) => self.tell_once(format!("the screen is being shared (PipeWire stream {name})")),
            None => self.tell_once("PipeWire answers: no screen share now".into()),
        }
        Ok(cast.map(|_| HoldReason::ScreenShare))
    }
}

/// The screen-cast streams in a `pw-dump` graph, by node name.
fn screen_casts(graph: &Value) -> impl Iterator<Item = String> + '_ {
    graph.as_array().into_iter().flatten().filter_map(|object| {
        if object.get("type")?.as_str()? != "PipeWire:Interface:Node" {
            return None;
        }
        let props = object.get("info")?.get("props")?;
        let prop = |key: &str| props.get(key).and_then(Value::as_str);
        let video_stream = matches!(prop("media.class"), Some("Video/Source" | "Stream/Output/Video"));
        let is_cast = video_stream && prop("device.api").is_none() && props.get("device.id").is_none();
        is_cast.then(|| prop("node.name").unwrap_or("(unnamed)").to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(props: Value) -> Value {
        serde_json::json!({ "id": 50, "type": "PipeWire:Interface:Node", "info": { "state": "running", "props": props } })
    }

    #[test]
    fn a_portal_stream_is_a_screen_cast_and_a_camera_or_a_sink_is_not() {
        let graph = Value::Array(vec![
            serde_json::json!({ "id": 0, "type": "PipeWire:Interface:Core", "info": {} }),
            node(serde_json::json!({ "media.class": "Video/Source", "device.api": "v4l2", "device.id": 41, "node.name": "v4l2_input.pci-0000_00_14.0-usb-0_6_1.0" })),
            node(serde_json::json!({ "media.class": "Audio/Sink", "node.name": "alsa_output.pci" })),
        ]);
        assert_eq!(screen_casts(&graph).count(), 0);
        let mut graph = graph.as_array().unwrap().clone();
        graph.push(node(serde_json::json!({ "media.class": "Video/Source", "node.name": "xdg-desktop-portal-wlr", "media.name": "xdpw-stream-a1B2c3", "stream.is-live": true })));
        graph.push(node(serde_json::json!({ "media.class": "Stream/Output/Video", "node.name": "gnome-shell", "media.name": "meta-screen-cast-src" })));
        graph.push(node(serde_json::json!({ "media.class": "Stream/Input/Video", "node.name": "firefox" })));
        assert_eq!(screen_casts(&Value::Array(graph)).collect::<Vec<_>>(), ["xdg-desktop-portal-wlr", "gnome-shell"]);
        assert_eq!(screen_casts(&serde_json::json!({ "not": "a graph" })).count(), 0);
    }

    #[test]
    fn no_pw_dump_is_no_screen_share_and_no_error() {
        let mut source = PipeWireScreenCast::new(PathBuf::from("/nonexistent/pw-dump"));
        assert_eq!(source.hold_reason().unwrap(), None);
        let mut source = PipeWireScreenCast::new(PathBuf::from("false"));
        assert_eq!(source.hold_reason().unwrap(), None);
    }
}
