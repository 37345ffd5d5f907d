//! Meters on a port: a meter model's line settings, opening the port `--port` names through
//! the transport seam (`transport`: serial or TCP) as a ready `Source`; and listing serial
//! ports.
//!
//! Does I/O on ports only; no decoding (see `meter`), no printing. serialport is built
//! without libudev, so listing reads `/sys/class/tty` — checked first, because serialport
//! panics when it is missing.

use super::stream::{EndOfData, MeterSource};
pub use super::transport::LinkSettings;
use super::transport::{self, Endpoint, Port};
use super::{AcquireError, Source};
use crate::acquire::meter::Chip;
use crate::acquire::meter::models::MeterModel;
use crate::acquire::meter::scpi::{ScpiError, ScpiSession};
use std::io::Write;
use std::time::Duration;

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
            lines_required: true,
        }
    }
}

/// Opens the port `--port` names (a serial port, or `tcp://HOST:PORT`) with `settings`.
pub fn open(port: &str, settings: &LinkSettings) -> Result<Box<dyn Port>, AcquireError> {
    let endpoint = Endpoint::parse(port).map_err(|e| AcquireError::Open {
        port: port.to_string(),
        cause: e.to_string(),
    })?;
    transport::open(&endpoint, settings)
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
    fn listing_ports_does_not_panic() {
        assert!(list_ports().is_ok());
    }
}
