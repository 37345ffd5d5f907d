//! Serial ports by OS name (`/dev/ttyUSB0`, `/dev/cu.usbserial-…`, `COM3`, a pseudo-terminal
//! or a link to one): open with a meter's or adapter's line settings, drive DTR/RTS
//! explicitly (passive IR cables are powered from them, protocols.md §1.2), and say in words
//! why a port does not open.
//!
//! Why a port fails is decided by `classify`, a pure function of serialport's error kind, the
//! OS error code and whether the port exists, so the Windows rules are tested on every OS.
//! Does I/O on serial ports only; no decoding, no printing.

use super::{LinkSettings, Port};
use crate::acquire::AcquireError;
use crate::acquire::meter::models::Parity;
use crate::i18n::Message;
use serialport::{DataBits, SerialPort, StopBits};

/// Win32 `ERROR_FILE_NOT_FOUND`: no COM port of that name.
pub const ERROR_FILE_NOT_FOUND: u32 = 2;
/// Win32 `ERROR_PATH_NOT_FOUND`: a malformed device path.
pub const ERROR_PATH_NOT_FOUND: u32 = 3;
/// Win32 `ERROR_ACCESS_DENIED`: a COM port opens once; another program has it.
pub const ERROR_ACCESS_DENIED: u32 = 5;
/// Win32 `ERROR_GEN_FAILURE`: the USB serial adapter stopped responding (pulled while open,
/// or its driver hung).
pub const ERROR_GEN_FAILURE: u32 = 31;
/// Win32 `ERROR_SHARING_VIOLATION`: the port is open in another program.
pub const ERROR_SHARING_VIOLATION: u32 = 32;
/// Win32 `ERROR_DEVICE_NOT_CONNECTED`: the adapter's USB side is gone.
pub const ERROR_DEVICE_NOT_CONNECTED: u32 = 1167;

/// The OS family, for the rules that differ (serialport reports the same kind for different
/// causes on each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsFamily {
    /// Linux, macOS, the BSDs.
    Unix,
    /// Windows.
    Windows,
}

impl OsFamily {
    /// The family this program was built for.
    pub fn current() -> OsFamily {
        if cfg!(windows) {
            OsFamily::Windows
        } else {
            OsFamily::Unix
        }
    }
}

/// Why a serial port did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenProblem {
    /// No port of that name (or the cable is not plugged in).
    Missing,
    /// The port exists but another program has it open.
    Busy,
    /// The user may not open it (Linux: not in the dialout group).
    NoPermission,
    /// The port refused the line settings.
    Settings,
    /// The USB serial adapter does not respond.
    Unresponsive,
    /// Anything else.
    Other,
}

/// Decides why a port did not open. Pure.
///
/// - `kind`: serialport's error kind. On unix serialport reports `EBUSY` (the port is locked
///   with `TIOCEXCL` by another program) as `NoDevice`; on Windows it reports access denied,
///   file not found and path not found all as `NoDevice`.
/// - `os_code`: the OS error code where known (on Windows read right after the failed open).
/// - `exists`: whether the port is there (unix: the path exists; Windows: the port is in the
///   system's list of COM ports), where known.
pub fn classify(
    kind: &serialport::ErrorKind,
    os: OsFamily,
    os_code: Option<u32>,
    exists: Option<bool>,
) -> OpenProblem {
    use serialport::ErrorKind as K;
    use std::io::ErrorKind as Io;
    if os == OsFamily::Windows {
        match os_code {
            Some(ERROR_ACCESS_DENIED | ERROR_SHARING_VIOLATION) => return OpenProblem::Busy,
            Some(ERROR_FILE_NOT_FOUND | ERROR_PATH_NOT_FOUND | ERROR_DEVICE_NOT_CONNECTED) => {
                return OpenProblem::Missing;
            }
            Some(ERROR_GEN_FAILURE) => return OpenProblem::Unresponsive,
            _ => {}
        }
    }
    match (kind, os) {
        // A listed port that will not open is held by another program; an unlisted one is
        // not there.
        (K::NoDevice, OsFamily::Windows) if exists == Some(true) => OpenProblem::Busy,
        (K::NoDevice, OsFamily::Windows) => OpenProblem::Missing,
        (K::NoDevice, OsFamily::Unix) if exists == Some(false) => OpenProblem::Missing,
        (K::NoDevice, OsFamily::Unix) => OpenProblem::Busy,
        (K::Io(Io::NotFound), _) => OpenProblem::Missing,
        (K::Io(Io::ResourceBusy), _) => OpenProblem::Busy,
        (K::Io(Io::PermissionDenied), OsFamily::Windows) => OpenProblem::Busy,
        (K::Io(Io::PermissionDenied), OsFamily::Unix) => OpenProblem::NoPermission,
        (K::InvalidInput, _) => OpenProblem::Settings,
        _ => OpenProblem::Other,
    }
}

/// What to do about a port that did not open, after serialport's own words (`description`).
pub fn advice(problem: OpenProblem, port: &str, description: &str, os: OsFamily) -> Message {
    let key = match problem {
        OpenProblem::Missing => "port-missing",
        OpenProblem::Busy => "port-busy",
        OpenProblem::NoPermission if os == OsFamily::Unix => "port-no-permission-unix",
        OpenProblem::NoPermission => "port-no-permission",
        OpenProblem::Settings => "port-settings",
        OpenProblem::Unresponsive => "port-unresponsive",
        OpenProblem::Other => "port-other",
    };
    Message::new(key).arg("os", description).arg("port", port)
}

/// Whether `port` is there, as far as this OS can tell without opening it.
fn port_exists(port: &str) -> Option<bool> {
    if cfg!(windows) {
        let ports = serialport::available_ports().ok()?;
        let bare = port.trim_start_matches(r"\\.\");
        Some(ports.iter().any(|p| p.port_name.eq_ignore_ascii_case(bare)))
    } else {
        Some(std::path::Path::new(port).exists())
    }
}

/// Says why `port` did not open, with the OS's own code where there is one.
pub fn explain(port: &str, e: &serialport::Error) -> Message {
    let os = OsFamily::current();
    // Right after the failed open this thread's last OS error is the open's (serialport
    // turns it into a translated text, which cannot be matched on a Russian Windows).
    let os_code = if os == OsFamily::Windows {
        std::io::Error::last_os_error()
            .raw_os_error()
            .and_then(|c| u32::try_from(c).ok())
            .filter(|&c| c != 0)
    } else {
        None
    };
    let problem = classify(&e.kind(), os, os_code, port_exists(port));
    advice(problem, port, &e.description, os)
}

impl Port for Box<dyn SerialPort> {
    fn discard_input(&mut self) {
        let _ = self.clear(serialport::ClearBuffer::Input);
    }
}

fn open_error(port: &str, cause: Message) -> AcquireError {
    AcquireError::Open {
        port: port.to_string(),
        cause,
    }
}

/// The lock file a running `kmdiag simulate --serve … --link PATH` holds beside its link:
/// `PATH.lock`, locked for as long as that simulator runs (see `sim::serve::lock`).
pub fn simulator_lock_path(link: &std::path::Path) -> std::path::PathBuf {
    let mut name = link.as_os_str().to_os_string();
    name.push(".lock");
    std::path::PathBuf::from(name)
}

/// True when `port` is a symlink left by a simulator that is no longer running: its lock file
/// is there but nobody holds the lock. The pseudo-terminal it points at may since have been
/// given to an unrelated terminal, which must not receive meter or adapter commands.
#[cfg(unix)]
fn is_stale_simulator_link(port: &str) -> bool {
    let path = std::path::Path::new(port);
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return false;
    }
    let Ok(lock) = std::fs::File::open(simulator_lock_path(path)) else {
        return false;
    };
    // A shared lock succeeds only while no simulator holds its exclusive one; released at once.
    match lock.try_lock_shared() {
        Ok(()) => {
            let _ = lock.unlock();
            true
        }
        Err(_) => false,
    }
}

#[cfg(not(unix))]
fn is_stale_simulator_link(_port: &str) -> bool {
    false
}

/// Opens `port` with `settings` and drives DTR and RTS to the requested levels afterwards
/// (opening a port on Linux toggles them).
pub fn open(port: &str, settings: &LinkSettings) -> Result<Box<dyn SerialPort>, AcquireError> {
    if is_stale_simulator_link(port) {
        return Err(open_error(port, crate::msg!("port-stale-simulator-link")));
    }
    let s = settings.serial;
    let data_bits = match s.data_bits {
        5 => DataBits::Five,
        6 => DataBits::Six,
        7 => DataBits::Seven,
        8 => DataBits::Eight,
        n => return Err(open_error(port, crate::msg!("port-data-bits", bits = n))),
    };
    let parity = match s.parity {
        Parity::None => serialport::Parity::None,
        Parity::Odd => serialport::Parity::Odd,
        Parity::Even => serialport::Parity::Even,
    };
    let stop_bits = if s.stop_bits == 2 {
        StopBits::Two
    } else {
        StopBits::One
    };
    let mut p = serialport::new(port, s.baud)
        .data_bits(data_bits)
        .parity(parity)
        .stop_bits(stop_bits)
        .flow_control(serialport::FlowControl::None)
        .timeout(settings.read_timeout)
        .open()
        .map_err(|e| open_error(port, explain(port, &e)))?;
    set_lines(p.as_mut(), port, settings)?;
    Ok(p)
}

/// Drives DTR and RTS. A pseudo-terminal has no modem lines, and a device with its own supply
/// does not need them; neither is an error.
fn set_lines(
    p: &mut dyn SerialPort,
    port: &str,
    settings: &LinkSettings,
) -> Result<(), AcquireError> {
    let pty = port.starts_with("/dev/pts/")
        || std::fs::canonicalize(port).is_ok_and(|c| c.starts_with("/dev/pts"));
    let dtr_result = p.write_data_terminal_ready(settings.dtr);
    let rts_result = p.write_request_to_send(settings.rts);
    match (dtr_result, rts_result) {
        (Ok(()), Ok(())) => Ok(()),
        _ if pty || !settings.lines_required => Ok(()),
        (Err(e), _) | (_, Err(e)) => Err(open_error(
            port,
            crate::msg!("port-modem-lines", os = e.description),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serialport::ErrorKind as K;
    use std::io::ErrorKind as Io;

    #[test]
    fn a_port_held_by_another_program_on_windows_is_busy() {
        let w = OsFamily::Windows;
        // serialport says NoDevice ("Access is denied." in the user's language).
        let k = K::NoDevice;
        assert_eq!(
            classify(&k, w, Some(ERROR_ACCESS_DENIED), None),
            OpenProblem::Busy
        );
        assert_eq!(
            classify(&k, w, Some(ERROR_SHARING_VIOLATION), None),
            OpenProblem::Busy
        );
        // Without the code: listed but not openable is busy, unlisted is missing.
        assert_eq!(classify(&k, w, None, Some(true)), OpenProblem::Busy);
        assert_eq!(classify(&k, w, None, Some(false)), OpenProblem::Missing);
        assert_eq!(
            classify(&k, w, Some(ERROR_FILE_NOT_FOUND), Some(true)),
            OpenProblem::Missing
        );
        assert_eq!(
            classify(&k, w, Some(ERROR_GEN_FAILURE), Some(true)),
            OpenProblem::Unresponsive
        );
        assert_eq!(
            classify(&K::Io(Io::PermissionDenied), w, None, None),
            OpenProblem::Busy
        );
    }

    #[test]
    fn a_locked_port_on_unix_is_busy_and_a_missing_one_missing() {
        let u = OsFamily::Unix;
        // EBUSY from TIOCEXCL arrives as NoDevice.
        assert_eq!(
            classify(&K::NoDevice, u, None, Some(true)),
            OpenProblem::Busy
        );
        assert_eq!(
            classify(&K::NoDevice, u, None, Some(false)),
            OpenProblem::Missing
        );
        assert_eq!(
            classify(&K::Io(Io::NotFound), u, None, Some(false)),
            OpenProblem::Missing
        );
        assert_eq!(
            classify(&K::Io(Io::PermissionDenied), u, None, Some(true)),
            OpenProblem::NoPermission
        );
        assert_eq!(
            classify(&K::InvalidInput, u, None, Some(true)),
            OpenProblem::Settings
        );
        // Win32 codes mean nothing on unix.
        assert_eq!(
            classify(&K::Unknown, u, Some(ERROR_ACCESS_DENIED), Some(true)),
            OpenProblem::Other
        );
    }

    #[test]
    fn each_problem_says_what_to_do() {
        let w = OsFamily::Windows;
        let busy = advice(OpenProblem::Busy, "COM3", "Отказано в доступе.", w).en();
        assert!(busy.contains("COM3 is busy"), "{busy}");
        assert!(busy.contains("close that program"), "{busy}");
        assert!(!busy.contains("check the cable"), "{busy}");
        let missing = advice(OpenProblem::Missing, "COM9", "not found", w).en();
        assert!(missing.contains("kmdiag ports"), "{missing}");
        let denied = advice(
            OpenProblem::NoPermission,
            "/dev/ttyUSB0",
            "denied",
            OsFamily::Unix,
        )
        .en();
        assert!(denied.contains("dialout"), "{denied}");
        let denied = advice(OpenProblem::NoPermission, "COM3", "denied", w).en();
        assert!(!denied.contains("dialout"), "{denied}");
        let hung = advice(OpenProblem::Unresponsive, "COM3", "failure", w).en();
        assert!(hung.contains("unplug it"), "{hung}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_left_by_a_dead_simulator_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("kmscan");
        // What a simulator killed with SIGKILL leaves: a link to a pseudo-terminal that may now
        // be someone's shell (here /dev/null stands in), and a lock file nobody holds.
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        std::fs::write(simulator_lock_path(&link), "4194999\n").unwrap();
        let m = crate::acquire::meter::find_model("ut61e").unwrap();
        let s = crate::acquire::link::LinkSettings::for_model(m, None, None, None);
        let e = open(link.to_str().unwrap(), &s).err().unwrap().to_string();
        assert!(e.contains("no longer running"), "{e}");
        // While a simulator holds the lock, the link is its own: not stale.
        let held = std::fs::File::open(simulator_lock_path(&link)).unwrap();
        held.lock().unwrap();
        assert!(!is_stale_simulator_link(link.to_str().unwrap()));
    }

    #[test]
    fn a_missing_port_says_what_to_do() {
        let m = crate::acquire::meter::find_model("ut61e").unwrap();
        let s = crate::acquire::link::LinkSettings::for_model(m, None, None, None);
        let e = open("/dev/ttyKMDIAG-does-not-exist", &s)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("/dev/ttyKMDIAG-does-not-exist"), "{e}");
        assert!(e.contains("kmdiag ports"), "{e}");
    }
}
