//! A call or a recording in progress: an application has a camera (`/dev/video*`) or a microphone
//! (`/dev/snd/pcmC*D*c`, an ALSA capture device) open. Read from `/proc/<pid>/fd`, where a user
//! sees their own processes, which is where a call runs. It is read only when a break is due (and
//! while a held break waits), and costs nothing on a machine without such a device. The process
//! that holds a break is logged (pid and name), once per holder.
//!
//! A device held by the sound server itself (PipeWire, WirePlumber, PulseAudio, JACK: see
//! [`SOUND_SERVERS`]) is not a call: with suspend off they keep it open all day, which would hold
//! every break. So a microphone that an application reaches only through the sound server is not
//! seen here (an idle inhibitor from the call app still holds the break, through the other
//! sources).
//!
//! It sees V4L2 cameras and ALSA microphones: a camera reached through libcamera alone (some
//! laptops with MIPI cameras) or a Bluetooth headset's microphone (no ALSA device) is not seen.

use super::{DisturbSource, SenseError};
use respite_core::senses::HoldReason;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The process names (`/proc/<pid>/comm`, at most 15 bytes) of sound servers, whose open devices
/// are not calls. A process can give itself any name, so one could hide from this source by
/// taking one of these: that only makes Respite show a break it might have held, which is safe.
const SOUND_SERVERS: [&str; 7] =
    ["pipewire", "pipewire-pulse", "pipewire-media-", "wireplumber", "pulseaudio", "jackd", "jackdbus"];

/// A process that has a capture device open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Holder {
    pub pid: u32,
    /// Its `comm`.
    pub name: String,
}

/// What one look at the processes found: the first application holding a device, and else the
/// first sound server holding one.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Holders {
    pub application: Option<Holder>,
    pub sound_server: Option<Holder>,
}

/// What kind of capture device a source looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capture {
    Camera,
    Microphone,
}

impl Capture {
    /// The folder under `/dev` and whether a device file there is one of this kind.
    fn folder_and_test(self) -> (&'static str, fn(&str) -> bool) {
        match self {
            Capture::Camera => ("", |name| name.starts_with("video")),
            // pcmC0D0c captures, pcmC0D0p plays back.
            Capture::Microphone => ("snd", |name| name.starts_with("pcmC") && name.ends_with('c')),
        }
    }
}

pub struct CaptureInUse {
    capture: Capture,
    proc_root: PathBuf,
    dev_root: PathBuf,
    /// The application last logged as holding a device, and the sound server last logged as not
    /// counted: each is logged once, not at every recheck.
    told_application: Option<u32>,
    told_sound_server: Option<u32>,
}

impl CaptureInUse {
    /// Looks at devices in `dev_dir` (`/dev`; `RESPITE_DEV_DIR` in the end-to-end tests, which
    /// plant stand-in devices there) and at the processes of the real `/proc`.
    pub fn new(capture: Capture, dev_dir: &Path) -> Self {
        Self::at(capture, Path::new("/proc"), dev_dir)
    }

    /// Looks at processes in `proc_root` and devices in `dev_root` (tests use other ones).
    pub(crate) fn at(capture: Capture, proc_root: &Path, dev_root: &Path) -> Self {
        Self {
            capture,
            proc_root: proc_root.to_owned(),
            dev_root: dev_root.to_owned(),
            told_application: None,
            told_sound_server: None,
        }
    }

    /// The devices of this kind there are (`/dev/video0`, `/dev/snd/pcmC0D0c`…).
    fn devices(&self) -> io::Result<Vec<PathBuf>> {
        let (folder, is_one) = self.capture.folder_and_test();
        let entries = match fs::read_dir(self.dev_root.join(folder)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(entries.flatten().filter(|entry| is_one(&entry.file_name().to_string_lossy())).map(|entry| entry.path()).collect())
    }

    /// Whether an application (not a sound server) has one of the devices open.
    #[cfg(test)]
    pub(crate) fn in_use(&self) -> io::Result<bool> {
        Ok(self.holders()?.application.is_some())
    }

    /// The processes that have one of the devices open.
    pub(crate) fn holders(&self) -> io::Result<Holders> {
        let mut found = Holders::default();
        let devices = self.devices()?;
        if devices.is_empty() {
            return Ok(found);
        }
        for process in fs::read_dir(&self.proc_root)?.flatten() {
            let Some(pid) = process.file_name().to_str().and_then(|name| name.parse::<u32>().ok()) else { continue };
            // Another user's process, or one that just ended: nothing to see there.
            let Ok(fds) = fs::read_dir(process.path().join("fd")) else { continue };
            let holds = fds.flatten().any(|fd| fs::read_link(fd.path()).is_ok_and(|target| devices.contains(&target)));
            if !holds {
                continue;
            }
            let Ok(name) = fs::read_to_string(process.path().join("comm")) else { continue };
            let holder = Holder { pid, name: name.trim_end_matches('\n').to_owned() };
            if SOUND_SERVERS.contains(&holder.name.as_str()) {
                found.sound_server.get_or_insert(holder);
            } else {
                found.application = Some(holder);
                return Ok(found);
            }
        }
        Ok(found)
    }
}

impl DisturbSource for CaptureInUse {
    fn name(&self) -> &'static str {
        match self.capture {
            Capture::Camera => "camera",
            Capture::Microphone => "microphone",
        }
    }

    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
        let reason = match self.capture {
            Capture::Camera => HoldReason::Camera,
            Capture::Microphone => HoldReason::Microphone,
        };
        let holders = self.holders().map_err(|e| SenseError::Capture(e.to_string()))?;
        let device = self.name();
        match &holders.application {
            Some(Holder { pid, name }) if self.told_application != Some(*pid) => {
                tracing::info!("the {device} is in use by {name} (pid {pid}): a due break waits for it");
                self.told_application = Some(*pid);
            }
            Some(_) => {}
            None => self.told_application = None,
        }
        match &holders.sound_server {
            Some(Holder { pid, name }) if self.told_sound_server != Some(*pid) => {
                tracing::info!("the {device} is open by the sound server {name} (pid {pid}): not counted as a call");
                self.told_sound_server = Some(*pid);
            }
            _ => {}
        }
        Ok(holders.application.is_some().then_some(reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A fake `/proc` with processes (named `app`) whose descriptors point at the given paths.
    fn procs(root: &Path, processes: &[(&str, &[&Path])]) {
        for (pid, targets) in processes {
            let fd = root.join(pid).join("fd");
            fs::create_dir_all(&fd).unwrap();
            fs::write(root.join(pid).join("comm"), "app\n").unwrap();
            for (n, target) in targets.iter().enumerate() {
                symlink(target, fd.join(n.to_string())).unwrap();
            }
        }
    }

    /// A fake `/dev` with a camera, a microphone, a speaker and `null`.
    fn devices(dev: &Path) -> (PathBuf, PathBuf, PathBuf) {
        fs::create_dir_all(dev.join("snd")).unwrap();
        let files = (dev.join("video0"), dev.join("snd/pcmC0D0c"), dev.join("snd/pcmC0D0p"));
        for file in [&files.0, &files.1, &files.2, &dev.join("null")] {
            fs::write(file, "").unwrap();
        }
        files
    }

    #[test]
    fn a_process_with_a_camera_or_microphone_open_holds_and_other_files_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let (proc_root, dev) = (dir.path().join("proc"), dir.path().join("dev"));
        let (video, mic, speaker) = devices(&dev);
        procs(&proc_root, &[("1", &[&dev.join("null"), &speaker]), ("self", &[&video, &mic]), ("42", &[Path::new("socket:[1234]")])]);
        fs::create_dir_all(proc_root.join("7")).unwrap(); // a process that is gone: no fd folder
        let mut camera = CaptureInUse::at(Capture::Camera, &proc_root, &dev);
        let mut microphone = CaptureInUse::at(Capture::Microphone, &proc_root, &dev);
        assert_eq!(camera.hold_reason().unwrap(), None, "only numbered entries are processes, and none has the camera");
        assert_eq!(microphone.hold_reason().unwrap(), None, "music playing is not a call");

        procs(&proc_root, &[("43", &[&dev.join("null"), &video])]);
        assert_eq!(camera.hold_reason().unwrap(), Some(HoldReason::Camera));
        assert_eq!(microphone.hold_reason().unwrap(), None);
        procs(&proc_root, &[("44", &[&mic])]);
        assert_eq!(microphone.hold_reason().unwrap(), Some(HoldReason::Microphone));
    }

    fn holder(pid: u32, name: &str) -> Option<Holder> {
        Some(Holder { pid, name: name.to_owned() })
    }

    #[test]
    fn a_device_held_by_the_sound_server_is_not_a_call_and_an_application_holding_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (proc_root, dev) = (dir.path().join("proc"), dir.path().join("dev"));
        let (video, mic, _) = devices(&dev);
        let servers = ["pipewire", "wireplumber", "pulseaudio", "jackd", "jackdbus", "pipewire-pulse"];
        for (n, server) in servers.iter().enumerate() {
            let pid = (100 + n).to_string();
            procs(&proc_root, &[(&pid, &[&mic, &video])]);
            fs::write(proc_root.join(&pid).join("comm"), format!("{server}\n")).unwrap();
        }
        let mut camera = CaptureInUse::at(Capture::Camera, &proc_root, &dev);
        let mut microphone = CaptureInUse::at(Capture::Microphone, &proc_root, &dev);
        assert_eq!(microphone.hold_reason().unwrap(), None, "sound servers with suspend off hold the microphone all day");
        assert_eq!(camera.hold_reason().unwrap(), None, "nor is a camera they hold a call");
        let holders = microphone.holders().unwrap();
        assert_eq!(holders.application, None);
        assert!(holders.sound_server.is_some_and(|server| servers.contains(&server.name.as_str())));

        procs(&proc_root, &[("4242", &[&mic])]);
        fs::write(proc_root.join("4242/comm"), "zoom\n").unwrap();
        assert_eq!(microphone.hold_reason().unwrap(), Some(HoldReason::Microphone));
        assert_eq!(microphone.holders().unwrap().application, holder(4242, "zoom"), "the process holding the break");
        assert_eq!(camera.hold_reason().unwrap(), None);
    }

    /// The real `/proc`: a child named like a sound server holds a stand-in microphone and is not
    /// counted; a child with another name is, and is named.
    #[test]
    fn a_real_process_named_like_the_sound_server_is_not_counted_and_another_is_named() {
        use crate::senses::tests::support::{wait_for, Running};
        use std::process::Command;
        use std::time::Duration;
        let dir = tempfile::tempdir().unwrap();
        let (_, mic, _) = devices(dir.path());
        let sleep = ["/usr/bin/sleep", "/bin/sleep"].into_iter().find(|path| Path::new(path).exists()).expect("sleep");
        let source = CaptureInUse::at(Capture::Microphone, Path::new("/proc"), dir.path());
        for name in ["pipewire", "recorder"] {
            let program = dir.path().join(name);
            symlink(sleep, &program).unwrap();
            // The shell opens the device on descriptor 3, which the program named `name` keeps.
            let child = Command::new("sh")
                .args(["-c", r#"exec 3<"$1"; exec "$2" 600"#, "sh"])
                .arg(&mic)
                .arg(&program)
                .spawn()
                .unwrap();
            let child = Running(child);
            let pid = child.0.id();
            wait_for(Duration::from_secs(10), "the child to run with the device open", || {
                let comm = fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
                let fd = fs::read_link(format!("/proc/{pid}/fd/3")).ok()?;
                (comm.trim_end() == name && fd == mic).then_some(())
            });
            let holders = source.holders().unwrap();
            if name == "pipewire" {
                assert_eq!(holders, Holders { application: None, sound_server: holder(pid, name) });
            } else {
                assert_eq!(holders.application, holder(pid, name));
            }
        }
    }

    #[test]
    fn without_such_a_device_nothing_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let (proc_root, dev) = (dir.path().join("proc"), dir.path().join("dev"));
        fs::create_dir_all(&dev).unwrap();
        procs(&proc_root, &[("43", &[&dev.join("video0"), &dev.join("snd/pcmC0D0c")])]);
        assert!(!CaptureInUse::at(Capture::Camera, &proc_root, &dev).in_use().unwrap(), "a dangling link to a device that is not there");
        assert!(!CaptureInUse::at(Capture::Microphone, &proc_root, &dev).in_use().unwrap(), "no /dev/snd: no sound card");
        fs::write(dev.join("video0"), "").unwrap();
        assert!(CaptureInUse::at(Capture::Camera, &dir.path().join("no-proc"), &dev).hold_reason().is_err(), "no /proc is an error");
    }

    /// The real `/proc`: this test process opens stand-in device files, and is seen holding them.
    #[test]
    fn this_process_holding_a_device_open_is_seen_in_the_real_proc() {
        let dev = tempfile::tempdir().unwrap();
        let (video, mic, _) = devices(dev.path());
        for (capture, file) in [(Capture::Camera, &video), (Capture::Microphone, &mic)] {
            let source = CaptureInUse::at(capture, Path::new("/proc"), dev.path());
            assert!(!source.in_use().unwrap(), "{capture:?}");
            let open = fs::File::open(file).unwrap();
            assert!(source.in_use().unwrap(), "{capture:?}");
            drop(open);
            assert!(!source.in_use().unwrap(), "{capture:?}");
        }
    }
}
