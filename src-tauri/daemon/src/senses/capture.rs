//! A call or a recording in progress: some process has a camera (`/dev/video*`) or a microphone
//! (`/dev/snd/pcmC*D*c`, an ALSA capture device) open. Read from `/proc/<pid>/fd`, where a user
//! sees their own processes, which is where a call runs. PipeWire and PulseAudio, which stand
//! between apps and these devices, run as the user too and keep a device open only while a
//! stream runs (they close it a few seconds after). It is read only when a break is due (and
//! while a held break waits), and costs nothing on a machine without such a device.
//!
//! It sees V4L2 cameras and ALSA microphones: a camera reached through libcamera alone (some
//! laptops with MIPI cameras) or a Bluetooth headset's microphone (no ALSA device) is not seen.

use super::{DisturbSource, SenseError};
use respite_core::presence::HoldReason;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

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
}

impl CaptureInUse {
    /// Looks at `/dev`, or at `RESPITE_DEV_DIR` when set (the end-to-end tests plant stand-in
    /// devices there; processes are always those of the real `/proc`).
    pub fn new(capture: Capture) -> Self {
        let dev = std::env::var_os("RESPITE_DEV_DIR").map_or_else(|| PathBuf::from("/dev"), PathBuf::from);
        Self::at(capture, Path::new("/proc"), &dev)
    }

    /// Looks at processes in `proc_root` and devices in `dev_root` (tests use other ones).
    pub(crate) fn at(capture: Capture, proc_root: &Path, dev_root: &Path) -> Self {
        Self { capture, proc_root: proc_root.to_owned(), dev_root: dev_root.to_owned() }
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

    /// Whether any process has one of the devices open.
    pub(crate) fn in_use(&self) -> io::Result<bool> {
        let devices = self.devices()?;
        if devices.is_empty() {
            return Ok(false);
        }
        for process in fs::read_dir(&self.proc_root)?.flatten() {
            if !process.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            // Another user's process, or one that just ended: nothing to see there.
            let Ok(fds) = fs::read_dir(process.path().join("fd")) else { continue };
            for fd in fds.flatten() {
                if fs::read_link(fd.path()).is_ok_and(|target| devices.contains(&target)) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
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
        match self.in_use() {
            Ok(in_use) => Ok(in_use.then_some(reason)),
            Err(e) => Err(SenseError::Capture(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A fake `/proc` with processes whose descriptors point at the given paths.
    fn procs(root: &Path, processes: &[(&str, &[&Path])]) {
        for (pid, targets) in processes {
            let fd = root.join(pid).join("fd");
            fs::create_dir_all(&fd).unwrap();
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
