//! Pseudo-terminals for simulated devices: create a pair, keep the device's copy of the user
//! end open so the user's program can open, close and reopen it, wait for the user to read
//! everything before closing, and point a symlink (`--link PATH`) at the user end.
//!
//! Why not `TTYPort::pair()`: it opens both ends without close-on-exec, so a program spawned
//! meanwhile (a test starting `kmdiag sweep`) inherits the device end, and pulling the
//! simulated cable then never reaches the user (no hang-up). Here every descriptor is
//! close-on-exec from the moment it exists. Creation is still serialised behind one mutex.
//!
//! Must not decide what is sent: that is the simulated device's job.

use super::cable::DeviceEnd;
use super::control::{Controller, Stop};
use serialport::SerialPort;
use serialport::TTYPort;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One pseudo-terminal at a time (style.md: pty creation is serialised).
static PAIR_LOCK: Mutex<()> = Mutex::new(());

/// One simulated cable: the device end and a held copy of the user end.
pub struct Pty {
    /// The device's end (the pty master).
    pub device: TTYPort,
    /// Held so the user end stays valid (and raw) while no user program has it open.
    user_end: std::fs::File,
    /// Path of the user end, e.g. `/dev/pts/7`.
    pub path: PathBuf,
}

/// Why a pseudo-terminal or its link cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum PtyError {
    /// The OS refused a new pseudo-terminal.
    #[error("cannot create a pseudo-terminal: {0}")]
    Create(String),
    /// The link path is taken by something that is not a symlink.
    #[error("{} exists and is not a symlink; choose another --link path", .0.display())]
    LinkTaken(PathBuf),
    /// The link cannot be written.
    #[error("cannot create the link {}: {cause}", .path.display())]
    Link {
        /// The link path.
        path: PathBuf,
        /// What the OS said.
        cause: std::io::Error,
    },
}

impl Pty {
    /// Creates a pseudo-terminal pair, both ends close-on-exec, the user end raw.
    pub fn open() -> Result<Pty, PtyError> {
        use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
        use std::os::fd::IntoRawFd;
        use std::os::unix::fs::OpenOptionsExt;
        let _guard = PAIR_LOCK.lock().unwrap_or_else(|p| p.into_inner());
        let failed = |what: &str, e: rustix::io::Errno| {
            PtyError::Create(format!("{what}: {}", std::io::Error::from(e)))
        };
        // The master closes itself (OwnedFd) on every error path below.
        #[cfg(not(target_vendor = "apple"))]
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
            .map_err(|e| failed("posix_openpt", e))?;
        // macOS's posix_openpt takes no O_CLOEXEC: set it at once after. A process spawned by
        // another thread in that instant could inherit the master (a simulated unplug would
        // then not reach its user until that process ends); on Linux O_CLOEXEC closes the gap.
        #[cfg(target_vendor = "apple")]
        let master = {
            let fd = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY)
                .map_err(|e| failed("posix_openpt", e))?;
            rustix::io::fcntl_setfd(&fd, rustix::io::FdFlags::CLOEXEC)
                .map_err(|e| failed("fcntl(FD_CLOEXEC)", e))?;
            fd
        };
        grantpt(&master).map_err(|e| failed("grantpt", e))?;
        unlockpt(&master).map_err(|e| failed("unlockpt", e))?;
        // rustix asks the OS in its own way (ptsname_r on Linux, TIOCPTYGNAME on macOS).
        let path = ptsname(&master, Vec::new())
            .map_err(|e| failed("ptsname", e))?
            .to_string_lossy()
            .into_owned();
        let user_end = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(rustix::fs::OFlags::NOCTTY.bits() as i32)
            .open(&path)
            .map_err(|e| PtyError::Create(format!("cannot open {path}: {e}")))?;
        // Raw from the start: no echo of what the device writes, no line editing.
        let mut termios =
            rustix::termios::tcgetattr(&user_end).map_err(|e| failed("tcgetattr", e))?;
        termios.make_raw();
        rustix::termios::tcsetattr(&user_end, rustix::termios::OptionalActions::Now, &termios)
            .map_err(|e| failed("tcsetattr", e))?;
        // SAFETY: the descriptor is an open pty master we own and hand over; TTYPort closes it
        // on drop.
        let device = unsafe {
            use std::os::fd::FromRawFd;
            TTYPort::from_raw_fd(master.into_raw_fd())
        };
        Ok(Pty {
            device,
            user_end,
            path: PathBuf::from(path),
        })
    }

    /// Waits (up to `limit`) until the user program has read every byte written, so closing
    /// the device end does not throw away data the peer has not seen (style.md pitfall).
    /// Stops early when nothing is being read any more (no program has the port open).
    pub fn drain(&self, limit: Duration) {
        let end = Instant::now() + limit;
        let mut last = (u64::MAX, Instant::now());
        while Instant::now() < end {
            let queued = match rustix::io::ioctl_fionread(&self.user_end) {
                Ok(n) if n > 0 => n,
                _ => return,
            };
            if queued != last.0 {
                last = (queued, Instant::now());
            } else if last.1.elapsed() > Duration::from_millis(200) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Read for Pty {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.device.read(buf)
    }
}

impl Write for Pty {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.device.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.device.flush()
    }
}

impl DeviceEnd for Pty {
    fn set_timeout(&mut self, limit: Duration) {
        let _ = self.device.set_timeout(limit);
    }

    /// The user program may close the port and open it again: a pseudo-terminal never hangs
    /// up on the device.
    fn hung_up(&self) -> bool {
        false
    }
}

/// Points `link` at `target`, replacing an older symlink atomically. Refuses to replace a
/// file or folder that is not a symlink.
pub fn point_link(link: &Path, target: &Path) -> Result<(), PtyError> {
    if let Ok(meta) = std::fs::symlink_metadata(link)
        && !meta.file_type().is_symlink()
    {
        return Err(PtyError::LinkTaken(link.to_path_buf()));
    }
    let dir = match link.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = link
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "link".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(target, &tmp)
        .and_then(|_| std::fs::rename(&tmp, link))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            PtyError::Link {
                path: link.to_path_buf(),
                cause: e,
            }
        })
}

/// Removes `link` if it is a symlink (never a regular file).
pub fn remove_link(link: &Path) {
    if std::fs::symlink_metadata(link).is_ok_and(|m| m.file_type().is_symlink()) {
        let _ = std::fs::remove_file(link);
    }
}

/// Serves a device a pseudo-terminal per "cable" until `quit`: waits while unplugged, opens a
/// fresh pseudo-terminal on each plug, points `link` at it, publishes its path, and hands it to
/// `serve` until that stops; on `quit` waits for the user to read what was sent.
pub fn serve_cables(
    ctl: &Controller,
    link: Option<&Path>,
    mut serve: impl FnMut(&mut dyn DeviceEnd) -> Stop,
) -> Result<(), PtyError> {
    loop {
        let (quit, plugged) = {
            let s = ctl.state();
            (s.quit, s.plugged)
        };
        if quit {
            return Ok(());
        }
        if !plugged {
            ctl.wait_for(Duration::from_millis(200), |s| s.plugged || s.quit);
            continue;
        }
        let mut pty = Pty::open()?;
        if let Some(link) = link {
            point_link(link, &pty.path)?;
        }
        ctl.set_path(Some(pty.path.clone()));
        match serve(&mut pty) {
            Stop::Quit => {
                pty.drain(Duration::from_secs(2));
                return Ok(());
            }
            Stop::Unplugged => ctl.set_path(None),
        }
    }
}
