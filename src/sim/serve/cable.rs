//! The simulated cable: what carries a simulated device's bytes to kmdiag. On unix a
//! pseudo-terminal (`pty`, optionally behind `--link PATH`); on every OS a TCP listener
//! (`tcp`, `--listen ADDR`), as a network serial bridge would offer; in process, a USB-HID
//! cable (`hid`) that kmdiag's HID transport opens. The devices write to a `DeviceEnd` and
//! never know which.
//!
//! Must not decide what is sent: that is the simulated device's job.

use super::control::{Controller, Stop};
use std::io::{Read, Write};
use std::time::Duration;

/// The device's end of one simulated cable.
pub trait DeviceEnd: Read + Write {
    /// How long the next reads and writes may block.
    fn set_timeout(&mut self, limit: Duration);
    /// True once the peer has gone for good (a TCP client disconnected). A pseudo-terminal's
    /// user may close and reopen it, so it never hangs up here.
    fn hung_up(&self) -> bool;
}

/// What the simulated device is reached through.
pub enum Cable {
    /// A new pseudo-terminal per plug, with an optional symlink kept pointing at it.
    #[cfg(unix)]
    Pty {
        /// `--link PATH`.
        link: Option<std::path::PathBuf>,
    },
    /// A TCP listener, one client at a time.
    Tcp(std::net::TcpListener),
    /// A simulated USB-HID cable in this process.
    Hid(std::sync::Arc<super::hid::Bus>),
}

/// Why a simulated cable could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CableError {
    /// The pseudo-terminal or its link.
    #[cfg(unix)]
    #[error(transparent)]
    Pty(#[from] super::pty::PtyError),
    /// The TCP listener failed.
    #[error("the simulator's TCP listener failed: {0}")]
    Tcp(#[from] std::io::Error),
    /// The device thread died.
    #[error("the simulated device thread panicked")]
    Panicked,
}

/// Whether the device should stop serving this cable now: quit, unplugged, or the peer gone.
pub fn stop_now(ctl: &Controller, end: &dyn DeviceEnd) -> Option<Stop> {
    ctl.stop_now()
        .or_else(|| end.hung_up().then_some(Stop::Unplugged))
}

/// Serves a device over `cable` until `quit`: `serve` is handed one cable's device end at a
/// time and returns when that cable is unplugged (or its peer left) or on quit.
pub fn serve(
    cable: Cable,
    ctl: &Controller,
    serve: impl FnMut(&mut dyn DeviceEnd) -> Stop,
) -> Result<(), CableError> {
    match cable {
        #[cfg(unix)]
        Cable::Pty { link } => Ok(super::pty::serve_cables(ctl, link.as_deref(), serve)?),
        Cable::Tcp(listener) => Ok(super::tcp::serve_connections(&listener, ctl, serve)?),
        Cable::Hid(bus) => {
            super::hid::serve_bus(&bus, ctl, serve);
            Ok(())
        }
    }
}
