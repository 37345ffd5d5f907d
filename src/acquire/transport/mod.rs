//! The transport seam: how a `--port` string becomes a byte stream. `Endpoint::parse` reads
//! the string (`/dev/ttyUSB0`, `COM3`, `tcp://HOST:PORT`), `open` connects it, and every
//! meter and adapter reads and writes the resulting `Port` without knowing what carries it.
//!
//! One file per transport (`serial.rs`, `tcp.rs`) and one `match` arm each in `parse` and
//! `open`: a new scheme (say `hid:` for USB-HID meter cables) is one new file, one variant and
//! its arms. Does I/O on ports only; no decoding, no printing.

pub mod serial;
pub mod tcp;

use super::AcquireError;
use super::meter::models::SerialSettings;
use std::io::{Read, Write};
use std::time::Duration;

/// What `--port` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// A serial port by its OS name: `/dev/ttyUSB0`, a pseudo-terminal or link, `COM3`.
    Serial(String),
    /// A serial-over-TCP bridge (ser2net, a Wi-Fi serial bridge, `kmdiag simulate --listen`).
    Tcp(tcp::TcpAddress),
}

/// Why a `--port` string names nothing kmdiag can open (bad input, exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// An empty `--port`.
    #[error(
        "--port is empty; give a serial port such as /dev/ttyUSB0 or COM3 (see 'kmdiag ports'), or tcp://HOST:PORT for a network bridge"
    )]
    Empty,
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
            Endpoint::Tcp(_) => false,
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Serial(name) => f.write_str(name),
            Endpoint::Tcp(addr) => write!(f, "tcp://{addr}"),
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
}

/// An open byte stream to a meter or adapter. Reads block at most the `read_timeout` it was
/// opened with and then fail with `TimedOut` or `WouldBlock`; a lost connection is an error
/// or end of data, as a serial port's hang-up is.
pub trait Port: Read + Write + Send {
    /// Throws away bytes that arrived before now (packets from wherever the probes were
    /// before the program started listening).
    fn discard_input(&mut self);
}

/// Opens `endpoint` with `settings`.
pub fn open(endpoint: &Endpoint, settings: &LinkSettings) -> Result<Box<dyn Port>, AcquireError> {
    let port: Box<dyn Port> = match endpoint {
        Endpoint::Serial(name) => Box::new(serial::open(name, settings)?),
        Endpoint::Tcp(addr) => Box::new(tcp::open(addr, settings.read_timeout)?),
    };
    if endpoint.has_line_settings() {
        log::debug!(
            "opened {endpoint} ({}, DTR {}, RTS {})",
            settings.serial,
            if settings.dtr { "on" } else { "off" },
            if settings.rts { "on" } else { "off" }
        );
    } else {
        log::debug!("connected to {endpoint}");
    }
    Ok(port)
}

/// The note printed when the user set line settings (`--baud`, `--dtr`, `--rts`) that the
/// endpoint has no use for; `None` when there is nothing to say.
pub fn ignored_settings_note(endpoint: &Endpoint, given: &[&str]) -> Option<String> {
    if endpoint.has_line_settings() || given.is_empty() {
        return None;
    }
    Some(format!(
        "{} {} no effect on {endpoint}: the bridge sets baud rate and modem lines on its serial side (for ser2net, in its configuration); ignored",
        given.join(", "),
        if given.len() == 1 { "has" } else { "have" },
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
