//! The transport seam: how a `--port` string becomes a byte stream. `Endpoint::parse` reads
//! the string (`/dev/ttyUSB0`, `COM3`, `tcp://HOST:PORT`, `hid`, `hid:VID:PID[:SERIAL]`),
//! `open` connects it, and every meter and adapter reads and writes the resulting `Port`
//! without knowing what carries it.
//!
//! One module per transport (`serial`, `tcp`, `hid`) and one `match` arm each in `parse` and
//! `open`. Devices that are not named by a path (USB-HID) are found through `Devices`, which
//! tests replace with simulated ones. Does I/O on ports only; no decoding, no printing.

pub mod hid;
pub mod serial;
pub mod tcp;

use super::AcquireError;
use super::meter::models::SerialSettings;
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

/// What `--port` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A serial port by its OS name: `/dev/ttyUSB0`, a pseudo-terminal or link, `COM3`.
    Serial(String),
    /// A serial-over-TCP bridge (ser2net, a Wi-Fi serial bridge, `kmdiag simulate --listen`).
    Tcp(tcp::TcpAddress),
    /// A USB-HID meter or meter cable (`hid`, `hid:VID:PID[:SERIAL]`).
    Hid(hid::HidSelector),
}

/// Why a `--port` string names nothing kmdiag can open (bad input, exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// An empty `--port`.
    #[error(
        "--port is empty; give a serial port such as /dev/ttyUSB0 or COM3 (see 'kmdiag ports'), hid for a USB-HID meter cable, or tcp://HOST:PORT for a network bridge"
    )]
    Empty,
    /// `hid:` with a malformed device id.
    #[error(
        "--port '{given}': {problem}; write it as hid (the one USB-HID meter plugged in) or hid:VID:PID[:SERIAL], e.g. hid:10c4:ea80 ('kmdiag ports' lists them)"
    )]
    Hid {
        /// The whole `--port` value.
        given: String,
        /// What is wrong with it.
        problem: String,
    },
    /// `tcp://` without a usable host and port.
    #[error(
        "--port '{given}': {problem}; write it as tcp://HOST:PORT, e.g. tcp://192.168.4.1:23 or tcp://127.0.0.1:5000"
    )]
    Tcp {
        /// The whole `--port` value.
        given: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A URL scheme kmdiag does not speak.
    #[error(
        "--port '{given}': unknown scheme '{scheme}://'; kmdiag opens serial ports by name (/dev/ttyUSB0, COM3) and network bridges as tcp://HOST:PORT"
    )]
    Scheme {
        /// The whole `--port` value.
        given: String,
        /// The scheme before `://`.
        scheme: String,
    },
}

impl Endpoint {
    /// Reads a `--port` value. Pure: nothing is resolved or opened.
    pub fn parse(port: &str) -> Result<Endpoint, EndpointError> {
        let port = port.trim();
        if port.is_empty() {
            return Err(EndpointError::Empty);
        }
        // `hid` names no file: a serial port or link of that name cannot be meant.
        if let Some(rest) = port
            .get(..3)
            .filter(|head| head.eq_ignore_ascii_case("hid"))
            .and_then(|_| port.get(3..))
            .filter(|rest| rest.is_empty() || rest.starts_with(':') && !rest.starts_with("://"))
        {
            return hid::HidSelector::parse(rest)
                .map(Endpoint::Hid)
                .map_err(|problem| EndpointError::Hid {
                    given: port.to_string(),
                    problem,
                });
        }
        match port.split_once("://") {
            None => Ok(Endpoint::Serial(port.to_string())),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("tcp") => {
                tcp::TcpAddress::parse(rest)
                    .map(Endpoint::Tcp)
                    .map_err(|problem| EndpointError::Tcp {
                        given: port.to_string(),
                        problem,
                    })
            }
            Some((scheme, _)) => Err(EndpointError::Scheme {
                given: port.to_string(),
                scheme: scheme.to_string(),
            }),
        }
    }

    /// True when the endpoint has a UART of its own here, so baud, parity and the DTR/RTS
    /// modem lines can be set. A network bridge sets its serial side itself.
    pub fn has_line_settings(&self) -> bool {
        match self {
            Endpoint::Serial(_) => true,
            Endpoint::Tcp(_) | Endpoint::Hid(_) => false,
        }
    }

    /// True when kmdiag sets the baud rate and framing of the UART behind this endpoint: a
    /// serial port's own, or a USB-HID bridge's (through its feature reports).
    pub fn sets_baud(&self) -> bool {
        !matches!(self, Endpoint::Tcp(_))
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Serial(name) => f.write_str(name),
            Endpoint::Tcp(addr) => write!(f, "tcp://{addr}"),
            Endpoint::Hid(selector) => write!(f, "{selector}"),
        }
    }
}

/// How to open a port: line settings plus the DTR/RTS levels to drive after opening. A
/// transport without a UART of its own (TCP) uses only `read_timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSettings {
    /// Baud, data bits, parity, stop bits.
    pub serial: SerialSettings,
    /// DTR asserted after opening.
    pub dtr: bool,
    /// RTS asserted after opening.
    pub rts: bool,
    /// How long one `read` may block; sources check their deadlines between reads.
    pub read_timeout: Duration,
    /// Failing to drive DTR/RTS is an error (a passive IR cable is powered from them); when
    /// false it is ignored (the scanning adapter has its own supply).
    pub lines_required: bool,
    /// kmdiag sends to the device (a polled meter, SCPI, the adapter): a cable that only
    /// receives cannot carry it.
    pub host_sends: bool,
}

/// An open byte stream to a meter or adapter. Reads block at most the `read_timeout` it was
/// opened with and then fail with `TimedOut` or `WouldBlock`; a lost connection is an error
/// or end of data, as a serial port's hang-up is.
pub trait Port: Read + Write + Send {
    /// Throws away bytes that arrived before now (packets from wherever the probes were
    /// before the program started listening).
    fn discard_input(&mut self);

    /// What the port turned out to be, when the name given does not say (`hid` → the device
    /// found); `None` when the name says it all.
    fn describe(&self) -> Option<String> {
        None
    }

    /// What to check on this cable when the meter stays silent, beyond the meter's own hint
    /// (a USB-HID cable: no modem lines to power it, maybe an autosuspend to lift).
    fn cable_hint(&self) -> Option<String> {
        None
    }
}

/// Where transports find the devices that no path names: the USB-HID host. The program uses
/// `Devices::system()`; tests and the simulator give simulated ones.
#[derive(Clone)]
pub struct Devices {
    /// The USB-HID host.
    pub hid: Arc<dyn hid::HidHost>,
}

impl Devices {
    /// This computer's devices (hidapi).
    pub fn system() -> Devices {
        Devices {
            hid: Arc::new(hid::system::SystemHid),
        }
    }
}

/// Opens `endpoint` with `settings`, finding USB-HID devices on `devices`.
pub fn open(
    devices: &Devices,
    endpoint: &Endpoint,
    settings: &LinkSettings,
) -> Result<Box<dyn Port>, AcquireError> {
    let port: Box<dyn Port> = match endpoint {
        Endpoint::Serial(name) => Box::new(serial::open(name, settings)?),
        Endpoint::Tcp(addr) => Box::new(tcp::open(addr, settings.read_timeout)?),
        Endpoint::Hid(selector) => Box::new(hid::open(devices.hid.as_ref(), selector, settings)?),
    };
    match port.describe() {
        Some(found) => log::debug!("opened {endpoint}: {found}"),
        None if endpoint.has_line_settings() => log::debug!(
            "opened {endpoint} ({}, DTR {}, RTS {})",
            settings.serial,
            if settings.dtr { "on" } else { "off" },
            if settings.rts { "on" } else { "off" }
        ),
        None => log::debug!("connected to {endpoint}"),
    }
    Ok(port)
}

/// The note printed when the user set line settings (`--baud`, `--dtr`, `--rts`) that the
/// endpoint has no use for; `None` when there is nothing to say.
pub fn ignored_settings_note(endpoint: &Endpoint, given: &[&str]) -> Option<String> {
    let ignored: Vec<&str> = given
        .iter()
        .copied()
        .filter(|flag| !(endpoint.sets_baud() && *flag == "--baud"))
        .collect();
    if endpoint.has_line_settings() || ignored.is_empty() {
        return None;
    }
    let verb = if ignored.len() == 1 { "has" } else { "have" };
    let why = match endpoint {
        Endpoint::Hid(_) => "a USB-HID cable is powered from USB and has no modem lines",
        _ => {
            "the bridge sets baud rate and modem lines on its serial side (for ser2net, in its configuration)"
        }
    };
    Some(format!(
        "{} {verb} no effect on {endpoint}: {why}; ignored",
        ignored.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_names_pass_through_unchanged() {
        for name in ["/dev/ttyUSB0", "COM3", r"\\.\COM12", "/tmp/kmscan"] {
            assert_eq!(
                Endpoint::parse(name).unwrap(),
                Endpoint::Serial(name.into())
            );
        }
    }

    #[test]
    fn tcp_urls_become_tcp_endpoints() {
        let e = Endpoint::parse("tcp://192.168.4.1:23").unwrap();
        assert_eq!(e.to_string(), "tcp://192.168.4.1:23");
        assert!(!e.has_line_settings());
        let e = Endpoint::parse("TCP://[::1]:5000").unwrap();
        assert_eq!(e.to_string(), "tcp://[::1]:5000");
    }

    #[test]
    fn a_bad_port_string_says_how_to_write_it() {
        let e = Endpoint::parse("tcp://bridge").unwrap_err().to_string();
        assert!(e.contains("no port number"), "{e}");
        assert!(e.contains("tcp://HOST:PORT"), "{e}");
        let e = Endpoint::parse("udp://x:1").unwrap_err().to_string();
        assert!(e.contains("unknown scheme 'udp://'"), "{e}");
        assert_eq!(Endpoint::parse("  "), Err(EndpointError::Empty));
    }

    #[test]
    fn hid_names_a_usb_hid_device() {
        assert_eq!(
            Endpoint::parse("hid").unwrap(),
            Endpoint::Hid(hid::HidSelector::default())
        );
        let e = Endpoint::parse("HID:10C4:EA80").unwrap();
        assert_eq!(e.to_string(), "hid:10c4:ea80");
        assert!(!e.has_line_settings() && e.sets_baud());
        let e = Endpoint::parse("hid:10c4").unwrap_err().to_string();
        assert!(e.contains("hid:VID:PID[:SERIAL]"), "{e}");
        // Paths that merely begin with the letters stay serial ports.
        for name in ["hidden-link", "/dev/hidraw0", "hid.lnk"] {
            assert_eq!(
                Endpoint::parse(name).unwrap(),
                Endpoint::Serial(name.into())
            );
        }
        assert!(matches!(
            Endpoint::parse("hid://x"),
            Err(EndpointError::Scheme { .. })
        ));
    }

    #[test]
    fn modem_lines_on_hid_get_a_note_and_the_baud_rate_is_used() {
        let hid = Endpoint::parse("hid").unwrap();
        let note = ignored_settings_note(&hid, &["--baud", "--dtr"]).unwrap();
        assert!(
            note.starts_with("--dtr has no effect on hid: a USB-HID cable"),
            "{note}"
        );
        assert!(ignored_settings_note(&hid, &["--baud"]).is_none());
    }

    #[test]
    fn line_settings_on_tcp_get_a_note() {
        let tcp = Endpoint::parse("tcp://127.0.0.1:5000").unwrap();
        let note = ignored_settings_note(&tcp, &["--baud", "--dtr"]).unwrap();
        assert!(
            note.starts_with("--baud, --dtr have no effect on tcp://127.0.0.1:5000"),
            "{note}"
        );
        assert!(ignored_settings_note(&tcp, &[]).is_none());
        let serial = Endpoint::parse("COM3").unwrap();
        assert!(ignored_settings_note(&serial, &["--baud"]).is_none());
    }
}
