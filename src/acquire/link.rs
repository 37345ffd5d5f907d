//! Meters on a port: a meter model's line settings, opening the port `--port` names through
//! the transport seam (`transport`: serial, TCP or USB-HID) as a ready `Source`; and listing
//! serial ports and USB-HID meter cables.
//!
//! Does I/O on ports only; no decoding (see `meter`), no printing. serialport is built
//! without libudev, so listing reads `/sys/class/tty` — checked first, because serialport
//! panics when it is missing.

use super::stream::{EndOfData, MeterSource};
pub use super::transport::LinkSettings;
use super::transport::hid::{self, HidDeviceInfo, KnownDevice};
use super::transport::{self, Devices, Endpoint, Port};
use super::{AcquireError, Source};
use crate::acquire::meter::Chip;
use crate::acquire::meter::models::MeterModel;
use crate::acquire::meter::scpi::{ScpiError, ScpiSession};
use crate::i18n::Message;
use crate::msg;
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
            host_sends: model.chip.poll_request().is_some() || matches!(model.chip, Chip::Scpi(_)),
        }
    }
}

/// Opens the port `--port` names (a serial port, `tcp://HOST:PORT`, or a USB-HID device on
/// this computer) with `settings`.
pub fn open(port: &str, settings: &LinkSettings) -> Result<Box<dyn Port>, AcquireError> {
    open_on(&Devices::system(), port, settings)
}

/// Opens the port `--port` names, finding USB-HID devices on `devices`.
pub fn open_on(
    devices: &Devices,
    port: &str,
    settings: &LinkSettings,
) -> Result<Box<dyn Port>, AcquireError> {
    let endpoint = Endpoint::parse(port).map_err(|e| AcquireError::Open {
        port: port.to_string(),
        cause: Message::said(e.to_string()),
    })?;
    transport::open(devices, &endpoint, settings)
}

/// Wraps an open port as a streaming meter's source: the model's decoder, polling when the
/// model must be asked for each reading, named after what the port turned out to be, with the
/// cable's own hint added to the model's when the meter stays silent. `None` for SCPI models.
pub fn meter_source(
    port: Box<dyn Port>,
    model: &MeterModel,
    given: &str,
) -> Option<MeterSource<Box<dyn Port>>> {
    let name = port.describe().unwrap_or_else(|| given.to_string());
    let hint = match port.cable_hint() {
        Some(cable) => msg!(
            "hint-cable-then",
            cable = cable,
            hint = model.silence_hint_on_usb(&name)
        ),
        None if port.describe().is_some() => model.silence_hint_on_usb(&name),
        None => model.silence_hint(&name),
    };
    Some(MeterSource::live(port, model, &name, EndOfData::HangUp)?.with_hint(hint))
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
    /// Where USB-HID devices are found.
    pub devices: Devices,
}

/// Opens a meter of `model` on `port` as a ready `Source`: a `MeterSource` for streaming
/// chips; for SCPI meters an identified `ScpiSession` already switched to resistance.
pub fn open_meter(
    model: &MeterModel,
    port: &str,
    options: MeterOptions,
) -> Result<Box<dyn Source + Send>, AcquireError> {
    let serial = open_on(&options.devices, port, &options.link)?;
    if let Chip::Scpi(family) = model.chip {
        let mut session = ScpiSession::new(serial, family, port, options.reply_timeout);
        let scpi_error = |e: ScpiError| match e {
            ScpiError::Timeout { command, waited } => AcquireError::Silent {
                source_name: port.to_string(),
                waited,
                hint: msg!(
                    "scpi-no-reply-hint",
                    command = command,
                    how = model.pc_link(),
                    port = port
                ),
            },
            ScpiError::Io(cause) => AcquireError::Disconnected {
                source_name: port.to_string(),
                cause,
            },
            other => AcquireError::Protocol {
                source_name: port.to_string(),
                problem: Message::said(other.to_string()),
            },
        };
        session.identify().map_err(scpi_error)?;
        session
            .configure_resistance(options.four_wire)
            .map_err(scpi_error)?;
        return Ok(Box::new(session));
    }
    let mut source = meter_source(serial, model, port).ok_or_else(|| AcquireError::Protocol {
        source_name: port.to_string(),
        problem: msg!("meter-no-decoder", model = model.name),
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
        problem: Message::said(e.description),
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

/// One USB-HID meter or cable, as `kmdiag ports` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HidPortInfo {
    /// What `--port` takes to pick it: `hid:VID:PID`, with the serial number when needed.
    pub port: String,
    /// What the host lists.
    pub device: HidDeviceInfo,
    /// What kmdiag knows it to be.
    pub known: &'static KnownDevice,
    /// Why this user cannot open it, with what to do; `None` when nothing stands in the way
    /// (or the host cannot tell without opening it).
    pub problem: Option<String>,
}

/// Lists the USB-HID meters and cables on `devices` (other HID devices, such as keyboards,
/// are left out). The error is the host's own words.
pub fn list_hid(devices: &Devices) -> Result<Vec<HidPortInfo>, String> {
    let host = devices.hid.as_ref();
    let found = hid::known_devices(host)?;
    let all: Vec<HidDeviceInfo> = found.iter().map(|(d, _)| d.clone()).collect();
    Ok(found
        .into_iter()
        .map(|(device, known)| HidPortInfo {
            port: device.port_name(&all),
            problem: host.access_problem(&device),
            device,
            known,
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
