//! The serial transport: open a port with a meter model's settings, then set DTR/RTS
//! explicitly (passive IR cables are powered from them, protocols.md §1.2); and list ports.
//!
//! Does I/O on serial ports only; no decoding (see `meter`), no printing. serialport is built
//! without libudev, so listing reads `/sys/class/tty` — checked first, because serialport
//! panics when it is missing.

use super::stream::{EndOfData, MeterSource};
use super::{AcquireError, Source};
use crate::acquire::meter::Chip;
use crate::acquire::meter::models::{MeterModel, Parity, SerialSettings};
use crate::acquire::meter::scpi::{ScpiError, ScpiSession};
use serialport::{DataBits, SerialPort, StopBits};
use std::io::Write;
use std::time::Duration;

/// How to open a port: line settings plus the DTR/RTS levels to drive after opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSettings {
    /// Baud, data bits, parity, stop bits.
    pub serial: SerialSettings,
    /// DTR asserted after opening.
    pub dtr: bool,
    /// RTS asserted after opening.
    pub rts: bool,
    /// How long one `read` may block; `MeterSource` checks its deadline between reads.
    pub read_timeout: Duration,
}

impl LinkSettings {
    /// The settings a model needs, with optional `--dtr`/`--rts`/`--baud` overrides.
    pub fn for_model(
        model: &MeterModel,
        dtr: Option<bool>,
        rts: Option<bool>,
        baud: Option<u32>,
    ) -> Self {
        let mut serial = model.serial;
        if let Some(b) = baud {
            serial.baud = b;
        }
        LinkSettings {
            serial,
            dtr: dtr.unwrap_or(model.dtr),
            rts: rts.unwrap_or(model.rts),
            read_timeout: Duration::from_millis(100),
        }
    }
}

fn open_error(port: &str, cause: impl Into<String>) -> AcquireError {
    AcquireError::Open {
        port: port.to_string(),
        cause: cause.into(),
    }
}

/// Says what to do about an error from opening `port`.
fn explain(port: &str, e: &serialport::Error) -> String {
    use serialport::ErrorKind;
    let io_kind = match e.kind() {
        ErrorKind::Io(k) => Some(k),
        _ => None,
    };
    match (e.kind(), io_kind) {
        (ErrorKind::NoDevice, _) | (_, Some(std::io::ErrorKind::NotFound)) => format!(
            "{}; no such port: run 'kmdiag ports' to list serial ports and check the cable is \
             plugged in",
            e.description
        ),
        (_, Some(std::io::ErrorKind::PermissionDenied)) => format!(
            "{}; permission denied: add yourself to the dialout group \
             ('sudo usermod -aG dialout $USER', then log out and back in), or check that no \
             other program holds {port}",
            e.description
        ),
        (ErrorKind::InvalidInput, _) => format!(
            "{}; the port refused the settings: check the meter model and --baud",
            e.description
        ),
        _ => format!(
            "{}; check the port name ('kmdiag ports') and that no other program uses it",
            e.description
        ),
    }
}

/// Opens `port` with `settings` and drives DTR and RTS to the requested levels afterwards
/// (opening a port on Linux toggles them).
pub fn open(port: &str, settings: &LinkSettings) -> Result<Box<dyn SerialPort>, AcquireError> {
    let s = settings.serial;
    let data_bits = match s.data_bits {
        5 => DataBits::Five,
        6 => DataBits::Six,
        7 => DataBits::Seven,
        8 => DataBits::Eight,
        n => return Err(open_error(port, format!("{n} data bits are not supported"))),
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
    set_lines(p.as_mut(), port, settings.dtr, settings.rts)?;
    Ok(p)
}

/// What `open_meter` needs besides the model and port.
pub struct MeterOptions {
    /// Line settings and DTR/RTS levels.
    pub link: LinkSettings,
    /// SCPI meters: 4-wire resistance.
    pub four_wire: bool,
    /// SCPI meters: how long to wait for each reply.
    pub reply_timeout: Duration,
    /// Streaming meters: copy the raw bytes here (`--record`).
    pub record: Option<Box<dyn Write + Send>>,
}

/// Opens a meter of `model` on `port` as a ready `Source`: a `MeterSource` for streaming
/// chips; for SCPI meters an identified `ScpiSession` already switched to resistance.
pub fn open_meter(
    model: &MeterModel,
    port: &str,
    options: MeterOptions,
) -> Result<Box<dyn Source + Send>, AcquireError> {
    let serial = open(port, &options.link)?;
    if let Chip::Scpi(family) = model.chip {
        let mut session = ScpiSession::new(serial, family, port, options.reply_timeout);
        let scpi_error = |e: ScpiError| match e {
            ScpiError::Timeout { command, waited } => AcquireError::Silent {
                source_name: port.to_string(),
                waited,
                hint: format!(
                    "no reply to '{command}'; {}; check that {port} is the meter's port \
                     ('kmdiag ports')",
                    model.pc_link
                ),
            },
            ScpiError::Io(cause) => AcquireError::Disconnected {
                source_name: port.to_string(),
                cause,
            },
            other => AcquireError::Protocol {
                source_name: port.to_string(),
                problem: other.to_string(),
            },
        };
        session.identify().map_err(scpi_error)?;
        session
            .configure_resistance(options.four_wire)
            .map_err(scpi_error)?;
        return Ok(Box::new(session));
    }
    let mut source =
        MeterSource::for_model(serial, model, port, EndOfData::HangUp).ok_or_else(|| {
            AcquireError::Protocol {
                source_name: port.to_string(),
                problem: format!("'{}' has no streaming decoder", model.name),
            }
        })?;
    if let Some(sink) = options.record {
        source = source.record_to(sink);
    }
    Ok(Box::new(source))
}

/// Drives DTR and RTS. A pseudo-terminal has no modem lines; that is not an error there.
fn set_lines(p: &mut dyn SerialPort, port: &str, dtr: bool, rts: bool) -> Result<(), AcquireError> {
    let pty = port.starts_with("/dev/pts/")
        || std::fs::canonicalize(port).is_ok_and(|c| c.starts_with("/dev/pts"));
    let dtr_result = p.write_data_terminal_ready(dtr);
    let rts_result = p.write_request_to_send(rts);
    match (dtr_result, rts_result) {
        (Ok(()), Ok(())) => Ok(()),
        _ if pty => Ok(()),
        (Err(e), _) | (_, Err(e)) => Err(open_error(
            port,
            format!(
                "cannot set DTR/RTS: {}; this adapter may not drive the modem lines, which a \
                 passive IR cable needs for power",
                e.description
            ),
        )),
    }
}

/// One serial port, as `kmdiag ports` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PortInfo {
    /// Device path or name, e.g. `/dev/ttyUSB0`.
    pub name: String,
    /// `usb`, `pci`, `bluetooth` or `unknown`.
    pub kind: &'static str,
    /// USB vendor id.
    pub vid: Option<u16>,
    /// USB product id.
    pub pid: Option<u16>,
    /// USB manufacturer string.
    pub manufacturer: Option<String>,
    /// USB product string.
    pub product: Option<String>,
    /// USB serial number.
    pub serial_number: Option<String>,
}

/// Lists serial ports. On Linux an absent `/sys/class/tty` (a container, a chroot) gives an
/// empty list instead of serialport's panic.
pub fn list_ports() -> Result<Vec<PortInfo>, AcquireError> {
    if cfg!(target_os = "linux") && !std::path::Path::new("/sys/class/tty").is_dir() {
        return Ok(Vec::new());
    }
    let ports = serialport::available_ports().map_err(|e| AcquireError::Protocol {
        source_name: "serial port list".into(),
        problem: e.description,
    })?;
    Ok(ports
        .into_iter()
        .map(|p| {
            let mut info = PortInfo {
                name: p.port_name,
                kind: "unknown",
                vid: None,
                pid: None,
                manufacturer: None,
                product: None,
                serial_number: None,
            };
            match p.port_type {
                serialport::SerialPortType::UsbPort(u) => {
                    info.kind = "usb";
                    info.vid = Some(u.vid);
                    info.pid = Some(u.pid);
                    info.manufacturer = u.manufacturer;
                    info.product = u.product;
                    info.serial_number = u.serial_number;
                }
                serialport::SerialPortType::PciPort => info.kind = "pci",
                serialport::SerialPortType::BluetoothPort => info.kind = "bluetooth",
                serialport::SerialPortType::Unknown => {}
            }
            info
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::find_model;

    #[test]
    fn overrides_replace_the_model_levels() {
        let m = find_model("ut61e").unwrap();
        let s = LinkSettings::for_model(m, None, None, None);
        assert_eq!((s.dtr, s.rts, s.serial.baud), (true, false, 19200));
        let s = LinkSettings::for_model(m, Some(false), Some(true), Some(9600));
        assert_eq!((s.dtr, s.rts, s.serial.baud), (false, true, 9600));
    }

    #[test]
    fn a_missing_port_says_what_to_do() {
        let m = find_model("ut61e").unwrap();
        let s = LinkSettings::for_model(m, None, None, None);
        let e = open("/dev/ttyKMDIAG-does-not-exist", &s)
            .unwrap_err()
            .to_string();
        assert!(e.contains("/dev/ttyKMDIAG-does-not-exist"), "{e}");
        assert!(e.contains("kmdiag ports"), "{e}");
    }

    #[test]
    fn listing_ports_does_not_panic() {
        assert!(list_ports().is_ok());
    }
}
