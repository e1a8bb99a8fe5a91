//! A camera in use (a video call, a recording): some process has a video device (`/dev/video*`)
//! open. Read from `/proc/<pid>/fd`, where a user sees their own processes, which is where a call
//! runs; PipeWire, which streams the camera to sandboxed apps, runs as the user too and holds the
//! device open only while a stream runs. It is read only when a break is due (and while a held
//! break waits), and costs nothing on a machine with no video device.
//!
//! It sees V4L2 devices only: a camera reached through libcamera alone (some laptops with MIPI
//! cameras) is not seen.

use super::{DisturbSource, SenseError};
use respite_core::presence::HoldReason;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub struct CameraInUse {
    proc_root: PathBuf,
    dev_root: PathBuf,
}

impl CameraInUse {
    pub fn new() -> Self {
        Self::at(Path::new("/proc"), Path::new("/dev"))
    }

    /// Looks at processes in `proc_root` and video devices in `dev_root` (tests use other ones).
    pub(crate) fn at(proc_root: &Path, dev_root: &Path) -> Self {
        Self { proc_root: proc_root.to_owned(), dev_root: dev_root.to_owned() }
    }

    /// The video devices there are (`/dev/video0`…).
    fn devices(&self) -> io::Result<Vec<PathBuf>> {
        let mut devices = Vec::new();
        for entry in fs::read_dir(&self.dev_root)?.flatten() {
            if entry.file_name().to_string_lossy().starts_with("video") {
                devices.push(entry.path());
            }
        }
        Ok(devices)
    }

    /// Whether any process has one of the video devices open.
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

impl DisturbSource for CameraInUse {
    fn name(&self) -> &'static str {
        "camera"
    }

    fn hold_reason(&mut self) -> Result<Option<HoldReason>, SenseError> {
        match self.in_use() {
            Ok(in_use) => Ok(in_use.then_some(HoldReason::Camera)),
            Err(e) => Err(SenseError::Camera(e.to_string())),
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

    #[test]
    fn a_process_with_a_video_device_open_holds_and_other_files_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let (proc_root, dev) = (dir.path().join("proc"), dir.path().join("dev"));
        fs::create_dir_all(&dev).unwrap();
        let video = dev.join("video0");
        fs::write(&video, "").unwrap();
        fs::write(dev.join("null"), "").unwrap();
        procs(&proc_root, &[("1", &[&dev.join("null")]), ("self", &[&video]), ("42", &[Path::new("socket:[1234]")])]);
        fs::create_dir_all(proc_root.join("7")).unwrap(); // a process that is gone: no fd folder
        let mut camera = CameraInUse::at(&proc_root, &dev);
        assert_eq!(camera.hold_reason().unwrap(), None, "only numbered entries are processes, and none has the camera");

        procs(&proc_root, &[("43", &[&dev.join("null"), &video])]);
        assert_eq!(camera.hold_reason().unwrap(), Some(HoldReason::Camera));
    }

    #[test]
    fn without_a_video_device_nothing_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let (proc_root, dev) = (dir.path().join("proc"), dir.path().join("dev"));
        fs::create_dir_all(&dev).unwrap();
        procs(&proc_root, &[("43", &[&dev.join("video0")])]);
        assert!(!CameraInUse::at(&proc_root, &dev).in_use().unwrap(), "a dangling link to a device that is not there");
        assert!(CameraInUse::at(&proc_root, &dir.path().join("missing")).hold_reason().is_err(), "no device folder at all is an error");
    }

    /// The real `/proc`: this test process opens a stand-in device file, and is seen holding it.
    #[test]
    fn this_process_holding_a_device_open_is_seen_in_the_real_proc() {
        let dev = tempfile::tempdir().unwrap();
        let video = dev.path().join("video7");
        fs::write(&video, "").unwrap();
        let camera = CameraInUse::at(Path::new("/proc"), dev.path());
        assert!(!camera.in_use().unwrap());
        let open = fs::File::open(&video).unwrap();
        assert!(camera.in_use().unwrap());
        drop(open);
        assert!(!camera.in_use().unwrap());
    }
}
