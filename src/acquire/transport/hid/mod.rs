//! USB-HID meter cables and meters (`--port hid`, `--port hid:VID:PID[:SERIAL]`): the UNI-T
//! UT-D04 (CH9325 / HE2325U), the UT-D09 and the UT61E+ family's link (CP2110), the Victor
//! 70C/86C cable. The bridge chip inside carries the meter's UART bytes in HID reports;
//! `HidPort` takes them out again, so every meter decoder reads the same byte stream it
//! would read from a serial port.
//!
//! The HID host is a trait (`HidHost`: list the devices, open one), implemented by hidapi
//! (`system`) and by the simulator's in-process cables. Does I/O on HID devices through the
//! host only; the report framing is in the pure `ch9325`, `cp2110` and `victor`, and the
//! words for Linux permissions and the CH9325's autosuspend in `udev`. No printing.

pub mod ch9325;
pub mod cp2110;
pub mod system;
pub mod udev;
pub mod victor;

use super::{LinkSettings, Port};
use crate::acquire::AcquireError;
use crate::i18n::Message;
use crate::msg;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

/// The bridge chip of a HID cable: how its reports carry UART bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bridge {
    /// WCH CH9325 or Hoitek HE2325U: 8-byte reports, receive only here (protocols.md §1.3).
    Ch9325,
    /// SiLabs CP2110: counted data reports both ways (§1.4).
    Cp2110,
    /// Victor 70C/86C: one scrambled 14-byte packet per report, receive only (§1.5).
    Victor,
}

impl Bridge {
    /// The chip's name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Bridge::Ch9325 => "CH9325/HE2325U",
            Bridge::Cp2110 => "CP2110",
            Bridge::Victor => "Victor",
        }
    }

    /// True when kmdiag can send through it (polled meters need that).
    pub fn sends(self) -> bool {
        self == Bridge::Cp2110
    }
}

/// Room for one input report: the longest of any bridge (CP2110: report ID and 63 bytes) and
/// one more for the report-ID byte Windows puts in front of an unnumbered report.
const REPORT_BUFFER: usize = cp2110::MAX_DATA + 2;

/// A USB device kmdiag knows to be a meter or meter cable (protocols.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownDevice {
    /// USB vendor id.
    pub vid: u16,
    /// USB product id.
    pub pid: u16,
    /// What it is.
    pub name: &'static str,
    /// Its bridge chip.
    pub bridge: Bridge,
    /// Which `--meter` to use with it.
    pub meters: &'static str,
    /// On Linux it must be woken from USB autosuspend before it sends (protocols.md §1.1).
    pub wake_from_autosuspend: bool,
}

/// Every HID meter and cable kmdiag reads (protocols.md §1.1).
pub const KNOWN: &[KnownDevice] = &[
    KnownDevice {
        vid: 0x04fa,
        pid: 0x2490,
        name: "UNI-T UT-D04 cable (old, Hoitek HE2325U)",
        bridge: Bridge::Ch9325,
        meters: "the meter on the cable: ut61e, ut61b/c/d, vc820, ut60e, …",
        wake_from_autosuspend: false,
    },
    KnownDevice {
        vid: 0x1a86,
        pid: 0xe008,
        name: "UNI-T UT-D04 cable (new, WCH CH9325)",
        bridge: Bridge::Ch9325,
        meters: "the meter on the cable: ut61e, ut61b/c/d, vc820, ut60e, …",
        wake_from_autosuspend: true,
    },
    KnownDevice {
        vid: 0x10c4,
        pid: 0xea80,
        name: "UNI-T UT61E+ family or UT-D09 cable (SiLabs CP2110)",
        bridge: Bridge::Cp2110,
        meters: "ut61e+ (ut61b+, ut61d+, ut161b/d/e); on a UT-D09 cable the meter on it, e.g. ut61e",
        wake_from_autosuspend: false,
    },
    KnownDevice {
        vid: 0x1244,
        pid: 0xd237,
        name: "Victor 70C/86C built-in cable",
        bridge: Bridge::Victor,
        meters: "victor70c or victor86c",
        wake_from_autosuspend: false,
    },
];

/// The known device with this USB id.
pub fn known(vid: u16, pid: u16) -> Option<&'static KnownDevice> {
    KNOWN.iter().find(|k| k.vid == vid && k.pid == pid)
}

/// What `--port hid[:VID:PID[:SERIAL]]` asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HidSelector {
    /// USB vendor and product id, when given.
    pub id: Option<(u16, u16)>,
    /// Serial number, when given.
    pub serial: Option<String>,
}

fn usb_id(text: &str) -> Result<u16, Message> {
    let digits = text.trim_start_matches("0x");
    let bad = || msg!("hid-bad-usb-id", text = crate::input::clip(text));
    if (1..=4).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_hexdigit()) {
        u16::from_str_radix(digits, 16).map_err(|_| bad())
    } else {
        Err(bad())
    }
}

impl HidSelector {
    /// Reads what follows `hid` in `--port`: nothing, `:VID:PID` or `:VID:PID:SERIAL`. Pure.
    pub fn parse(rest: &str) -> Result<HidSelector, Message> {
        if rest.is_empty() {
            return Ok(HidSelector::default());
        }
        let Some(rest) = rest.strip_prefix(':') else {
            return Err(msg!("hid-write-it"));
        };
        let mut parts = rest.splitn(3, ':');
        let vid = parts.next().unwrap_or_default();
        let Some(pid) = parts.next() else {
            return Err(msg!("hid-no-pid", vid = crate::input::clip(vid)));
        };
        let serial = parts.next().map(str::to_string);
        if serial.as_deref() == Some("") {
            return Err(msg!("hid-empty-serial"));
        }
        Ok(HidSelector {
            id: Some((usb_id(vid)?, usb_id(pid)?)),
            serial,
        })
    }

    fn matches(&self, d: &HidDeviceInfo) -> bool {
        self.id.is_none_or(|(v, p)| d.vid == v && d.pid == p)
            && self
                .serial
                .as_deref()
                .is_none_or(|s| d.serial.as_deref() == Some(s))
    }
}

impl std::fmt::Display for HidSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("hid")?;
        if let Some((v, p)) = self.id {
            write!(f, ":{v:04x}:{p:04x}")?;
        }
        if let Some(s) = &self.serial {
            write!(f, ":{s}")?;
        }
        Ok(())
    }
}

/// One HID device as the host lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HidDeviceInfo {
    /// The host's path for it (Linux: `/dev/hidrawN`).
    pub path: String,
    /// USB vendor id.
    pub vid: u16,
    /// USB product id.
    pub pid: u16,
    /// USB serial number, if it has one.
    pub serial: Option<String>,
    /// USB manufacturer string.
    pub manufacturer: Option<String>,
    /// USB product string.
    pub product: Option<String>,
}

impl HidDeviceInfo {
    /// The `--port` value that picks this device among `all`: `hid:VID:PID`, with the serial
    /// number when another device has the same id.
    pub fn port_name(&self, all: &[HidDeviceInfo]) -> String {
        let twins = all
            .iter()
            .filter(|d| d.vid == self.vid && d.pid == self.pid)
            .count();
        let serial = self.serial.clone().filter(|_| twins > 1);
        HidSelector {
            id: Some((self.vid, self.pid)),
            serial,
        }
        .to_string()
    }
}

/// An open HID device. Report buffers start with the report ID (0 for a device without
/// numbered reports, which hidapi then leaves out of what it reads).
pub trait HidDevice: Send {
    /// Sends a feature report.
    fn send_feature_report(&mut self, report: &[u8]) -> io::Result<()>;
    /// Sends an output report.
    fn write_report(&mut self, report: &[u8]) -> io::Result<()>;
    /// Reads one input report into `buf`, waiting at most `timeout`; `Ok(0)` when none came.
    /// A device that is gone (unplugged) is an error.
    fn read_report(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
}

/// Where HID devices are found and opened: hidapi on this computer, or a simulated bus.
pub trait HidHost: Send + Sync {
    /// Every HID device present.
    fn devices(&self) -> Result<Vec<HidDeviceInfo>, String>;
    /// Opens `device`; the error says why in words, with what to do.
    fn open(&self, device: &HidDeviceInfo) -> Result<Box<dyn HidDevice>, String>;
    /// Readies a device that must be woken from USB autosuspend (Linux, CH9325) before it is
    /// opened; returns what the user should know when that could not be done.
    fn wake(&self, _device: &HidDeviceInfo) -> Option<String> {
        None
    }
    /// Whether this user may open `device`, when the host can tell without opening it;
    /// `Some(advice)` when not.
    fn access_problem(&self, _device: &HidDeviceInfo) -> Option<String> {
        None
    }
}

/// Why a report is not one of the bridge's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// A read gave no bytes at all.
    #[error("empty report")]
    Empty,
    /// The first byte cannot start a data report of this chip.
    #[error("report starts with 0x{value:02x}; expected {expected}")]
    Header {
        /// The byte.
        value: u8,
        /// What the chip sends there.
        expected: &'static str,
    },
    /// The count is more than a report can hold.
    #[error("report counts {count} bytes; at most {max} fit")]
    Count {
        /// The count in the report.
        count: usize,
        /// The most there can be.
        max: usize,
    },
    /// The report is shorter than its count (or than a packet).
    #[error("report holds {got} bytes where {count} were announced")]
    Short {
        /// Bytes announced.
        count: usize,
        /// Bytes there.
        got: usize,
    },
}

/// The HID devices present that kmdiag knows, once each (hidapi lists a device once per
/// usage), with what they are.
pub fn known_devices(
    host: &dyn HidHost,
) -> Result<Vec<(HidDeviceInfo, &'static KnownDevice)>, String> {
    let mut out: Vec<(HidDeviceInfo, &'static KnownDevice)> = Vec::new();
    for d in host.devices()? {
        if let Some(k) = known(d.vid, d.pid)
            && !out.iter().any(|(o, _)| o.path == d.path)
        {
            out.push((d, k));
        }
    }
    Ok(out)
}

/// The names of every known device, for messages.
fn known_list() -> String {
    KNOWN
        .iter()
        .map(|k| format!("{} {:04x}:{:04x}", k.name, k.vid, k.pid))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Why a USB-HID meter or cable could not be opened and set up. The words for every HID
/// failure are here (and, for Linux permissions, in `udev`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum HidError {
    /// The host could not list its HID devices.
    List(String),
    /// `--port hid` with no known device plugged in.
    NonePlugged {
        /// The devices kmdiag knows.
        known: String,
    },
    /// `hid:VID:PID` for a device kmdiag does not know.
    Unknown {
        /// USB vendor id given.
        vid: u16,
        /// USB product id given.
        pid: u16,
        /// The devices kmdiag knows.
        known: String,
    },
    /// `hid:VID:PID` for a known device that is not plugged in.
    NotPlugged {
        /// USB vendor id.
        vid: u16,
        /// USB product id.
        pid: u16,
        /// What it is.
        name: &'static str,
    },
    /// `hid:VID:PID:SERIAL` with a serial number none of them has.
    NoSuchSerial {
        /// USB vendor id.
        vid: u16,
        /// USB product id.
        pid: u16,
        /// The serial number given.
        serial: String,
        /// Those of the devices plugged in.
        serials: String,
    },
    /// Several devices match and the selector does not tell which.
    Several {
        /// How many.
        count: usize,
        /// Each with its `--port` value and what it is.
        names: String,
    },
    /// Several devices match and not even a serial number tells them apart.
    Twins {
        /// How many.
        count: usize,
        /// Each with what it is.
        names: String,
    },
    /// A polled meter (kmdiag must send) on a cable that only receives.
    ReceiveOnly {
        /// The cable.
        name: &'static str,
    },
    /// The host could not open the device; its words, with what to do.
    Open(String),
    /// The UT-D04 takes a 16-bit baud rate.
    BaudTooHigh {
        /// The baud rate asked for.
        baud: u32,
    },
    /// Line settings the CP2110 cannot take.
    #[error(transparent)]
    Config(#[from] cp2110::ConfigError),
    /// The bridge refused a setup report.
    Refused {
        /// The bridge chip.
        bridge: &'static str,
        /// Which setting: a catalogue key.
        what: &'static str,
        /// What the host said.
        cause: String,
    },
}

impl HidError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        let id = |vid: &u16, pid: &u16| format!("{vid:04x}:{pid:04x}");
        match self {
            HidError::List(cause) => msg!("hid-cannot-list", cause = cause),
            HidError::NonePlugged { known } => msg!("hid-none-plugged", known = known),
            HidError::Unknown { vid, pid, known } => {
                msg!("hid-unknown", id = id(vid, pid), known = known)
            }
            HidError::NotPlugged { vid, pid, name } => {
                msg!("hid-not-plugged", name = *name, id = id(vid, pid))
            }
            HidError::NoSuchSerial {
                vid,
                pid,
                serial,
                serials,
            } => msg!(
                "hid-no-such-serial",
                id = id(vid, pid),
                serial = serial,
                serials = serials
            ),
            HidError::Several { count, names } => {
                msg!("hid-several", count = *count, names = names)
            }
            HidError::Twins { count, names } => msg!("hid-twins", count = *count, names = names),
            HidError::ReceiveOnly { name } => msg!("hid-receive-only", name = *name),
            HidError::Open(said) => Message::said(said.clone()),
            HidError::BaudTooHigh { baud } => msg!("hid-baud-too-high", baud = *baud),
            HidError::Config(e) => e.message(),
            HidError::Refused {
                bridge,
                what,
                cause,
            } => msg!(
                "hid-refused",
                bridge = *bridge,
                what = Message::new(what),
                cause = cause
            ),
        }
    }
}

/// The I/O error of a cable that only receives, asked to send.
fn receive_only(bridge: Bridge) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "the {} cable only receives; this meter must be asked for readings",
            bridge.name()
        ),
    )
}

/// A failed read or write: the device is gone (unplugged) as far as the host can tell.
fn went_away(e: io::Error) -> io::Error {
    let kind = match e.kind() {
        io::ErrorKind::Other => io::ErrorKind::BrokenPipe,
        kind => kind,
    };
    io::Error::new(kind, format!("the USB device went away ({e})"))
}

/// Picks the one device `selector` names among those present. The error says what is there
/// and how to name one.
pub fn choose(
    selector: &HidSelector,
    present: &[(HidDeviceInfo, &'static KnownDevice)],
) -> Result<(HidDeviceInfo, &'static KnownDevice), HidError> {
    if let Some((vid, pid)) = selector.id
        && known(vid, pid).is_none()
    {
        return Err(HidError::Unknown {
            vid,
            pid,
            known: known_list(),
        });
    }
    let picked: Vec<&(HidDeviceInfo, &'static KnownDevice)> = present
        .iter()
        .filter(|(d, _)| selector.matches(d))
        .collect();
    match picked.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(none_chosen(selector, present)),
        several => Err(several_chosen(several, present)),
    }
}

/// Why nothing matches `selector`.
fn none_chosen(
    selector: &HidSelector,
    present: &[(HidDeviceInfo, &'static KnownDevice)],
) -> HidError {
    let Some((vid, pid)) = selector.id else {
        return HidError::NonePlugged {
            known: known_list(),
        };
    };
    let same_id: Vec<&HidDeviceInfo> = present
        .iter()
        .map(|(d, _)| d)
        .filter(|d| d.vid == vid && d.pid == pid)
        .collect();
    match &selector.serial {
        Some(serial) if !same_id.is_empty() => HidError::NoSuchSerial {
            vid,
            pid,
            serial: serial.clone(),
            serials: same_id
                .iter()
                .map(|d| d.serial.clone().unwrap_or_else(|| "none".into()))
                .collect::<Vec<_>>()
                .join(", "),
        },
        _ => HidError::NotPlugged {
            vid,
            pid,
            name: known(vid, pid).map_or("device", |k| k.name),
        },
    }
}

/// Several devices match: name them so one can be picked, or say that none can.
fn several_chosen(
    several: &[&(HidDeviceInfo, &'static KnownDevice)],
    present: &[(HidDeviceInfo, &'static KnownDevice)],
) -> HidError {
    let all: Vec<HidDeviceInfo> = present.iter().map(|(d, _)| d.clone()).collect();
    let names: Vec<String> = several
        .iter()
        .map(|(d, k)| format!("{} ({})", d.port_name(&all), k.name))
        .collect();
    let distinct = names.iter().collect::<std::collections::HashSet<_>>().len() == names.len();
    let (count, names) = (several.len(), names.join(", "));
    if distinct {
        HidError::Several { count, names }
    } else {
        HidError::Twins { count, names }
    }
}

/// Most reports thrown away by one `discard_input`: a few seconds of a CH9325 (one report
/// every few milliseconds), so a device that never stops sending cannot keep it going.
const DISCARD_REPORTS: usize = 1024;

/// A meter's byte stream through a HID bridge.
pub struct HidPort {
    device: Box<dyn HidDevice>,
    bridge: Bridge,
    name: String,
    /// Strip the parity bit the CH9325 passes on in bit 7 (7-bit protocols, protocols.md §1.3).
    strip_parity: bool,
    read_timeout: Duration,
    pending: VecDeque<u8>,
    report: Vec<u8>,
    foreign_reports: u64,
    hint: Option<String>,
}

impl HidPort {
    /// Sets the bridge up for `settings` (CH9325: the baud rate; CP2110: enable, configure
    /// and purge the UART; Victor: nothing) and wraps `device` as a byte stream named `name`.
    pub fn start(
        mut device: Box<dyn HidDevice>,
        bridge: Bridge,
        name: &str,
        settings: &LinkSettings,
    ) -> Result<HidPort, HidError> {
        let s = settings.serial;
        let mut setup = |report: &[u8], what: &'static str| {
            device
                .send_feature_report(report)
                .map_err(|e| HidError::Refused {
                    bridge: bridge.name(),
                    what,
                    cause: e.to_string(),
                })
        };
        match bridge {
            Bridge::Ch9325 => {
                let report =
                    ch9325::baud_report(s.baud).ok_or(HidError::BaudTooHigh { baud: s.baud })?;
                setup(&report, "hid-setting-baud")?;
            }
            Bridge::Cp2110 => {
                let config = cp2110::config_report(&s)?;
                setup(&cp2110::enable_report(), "hid-setting-uart-on")?;
                setup(&config, "hid-setting-line")?;
                setup(
                    &cp2110::purge_report(cp2110::PURGE_TX | cp2110::PURGE_RX),
                    "hid-setting-purge",
                )?;
            }
            Bridge::Victor => {}
        }
        Ok(HidPort {
            device,
            bridge,
            name: name.to_string(),
            strip_parity: bridge == Bridge::Ch9325 && s.data_bits == 7,
            read_timeout: settings.read_timeout,
            pending: VecDeque::new(),
            report: vec![0; REPORT_BUFFER],
            foreign_reports: 0,
            hint: None,
        })
    }

    /// Reports read so far that were not the bridge's (noise, another report type).
    pub fn foreign_reports(&self) -> u64 {
        self.foreign_reports
    }

    /// Adds what to check when the meter stays silent on this cable.
    pub fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Reads one report (waiting at most `timeout`) and queues its UART bytes. Returns false
    /// when no report came.
    fn take_report(&mut self, timeout: Duration) -> io::Result<bool> {
        let n = self.device.read_report(&mut self.report, timeout)?;
        if n == 0 {
            return Ok(false);
        }
        let report = &self.report[..n.min(self.report.len())];
        match self.bridge {
            Bridge::Ch9325 => match ch9325::unframe(report) {
                Ok(data) if self.strip_parity => {
                    self.pending
                        .extend(data.iter().map(|&b| ch9325::strip_parity(b)));
                }
                Ok(data) => self.pending.extend(data),
                Err(_) => self.foreign_reports += 1,
            },
            Bridge::Cp2110 => match cp2110::unframe(report) {
                Ok(data) => self.pending.extend(data),
                Err(_) => self.foreign_reports += 1,
            },
            Bridge::Victor => match victor::descramble(report) {
                Ok(Some(packet)) => self.pending.extend(packet),
                Ok(None) => {}
                Err(_) => self.foreign_reports += 1,
            },
        }
        Ok(true)
    }
}

impl Read for HidPort {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let deadline = Instant::now() + self.read_timeout;
        while self.pending.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            self.take_report(left).map_err(went_away)?;
        }
        let n = buf.len().min(self.pending.len());
        for (slot, b) in buf.iter_mut().zip(self.pending.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

impl Write for HidPort {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.bridge.sends() {
            return Err(receive_only(self.bridge));
        }
        for report in cp2110::frame(buf) {
            self.device.write_report(&report).map_err(went_away)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Port for HidPort {
    fn discard_input(&mut self) {
        if self.bridge == Bridge::Cp2110 {
            let _ = self
                .device
                .send_feature_report(&cp2110::purge_report(cp2110::PURGE_RX));
        }
        for _ in 0..DISCARD_REPORTS {
            match self.take_report(Duration::ZERO) {
                Ok(true) => {}
                _ => break,
            }
        }
        self.pending.clear();
    }

    fn describe(&self) -> Option<String> {
        Some(self.name.clone())
    }

    fn cable_hint(&self) -> Option<String> {
        self.hint.clone()
    }
}

/// Finds the device `selector` names on `host`, readies it (the CH9325 wake-up), opens it
/// and sets its bridge up for `settings`.
pub fn open(
    host: &dyn HidHost,
    selector: &HidSelector,
    settings: &LinkSettings,
) -> Result<HidPort, AcquireError> {
    let fail = |port: String, cause: HidError| AcquireError::Open {
        port,
        cause: crate::i18n::Message::said(cause.to_string()),
    };
    let present = known_devices(host).map_err(|e| fail(selector.to_string(), HidError::List(e)))?;
    let (info, kind) = choose(selector, &present).map_err(|e| fail(selector.to_string(), e))?;
    let all: Vec<HidDeviceInfo> = present.iter().map(|(d, _)| d.clone()).collect();
    let port = info.port_name(&all);
    if settings.host_sends && !kind.bridge.sends() {
        return Err(fail(port, HidError::ReceiveOnly { name: kind.name }));
    }
    let wake_note = if kind.wake_from_autosuspend {
        host.wake(&info)
    } else {
        None
    };
    let device = host
        .open(&info)
        .map_err(|e| fail(port.clone(), HidError::Open(e)))?;
    HidPort::start(device, kind.bridge, &port, settings)
        .map(|p| p.with_hint(wake_note))
        .map_err(|e| fail(port, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(vid: u16, pid: u16, serial: Option<&str>, path: &str) -> HidDeviceInfo {
        HidDeviceInfo {
            path: path.into(),
            vid,
            pid,
            serial: serial.map(str::to_string),
            manufacturer: None,
            product: None,
        }
    }

    fn present(list: &[HidDeviceInfo]) -> Vec<(HidDeviceInfo, &'static KnownDevice)> {
        list.iter()
            .filter_map(|d| known(d.vid, d.pid).map(|k| (d.clone(), k)))
            .collect()
    }

    #[test]
    fn selectors_read_as_written() {
        assert_eq!(HidSelector::parse(""), Ok(HidSelector::default()));
        let s = HidSelector::parse(":10c4:EA80").unwrap();
        assert_eq!(s.id, Some((0x10c4, 0xea80)));
        assert_eq!(s.to_string(), "hid:10c4:ea80");
        let s = HidSelector::parse(":1a86:e008:AB:12").unwrap();
        assert_eq!(s.serial.as_deref(), Some("AB:12"));
        assert_eq!(s.to_string(), "hid:1a86:e008:AB:12");
    }

    #[test]
    fn bad_selectors_say_how_to_write_them() {
        for (text, expected) in [
            (":10c4", "hid:10c4:PID"),
            (":xyz:ea80", "'xyz' is not a USB id"),
            (":10c4:12345", "'12345' is not a USB id"),
            (":10c4:ea80:", "give the serial number"),
            ("x", "hid:VID:PID"),
        ] {
            let e = HidSelector::parse(text).unwrap_err();
            assert!(e.en().contains(expected), "{text}: {e}");
        }
    }

    #[test]
    fn the_one_known_device_is_chosen_and_others_are_ignored() {
        let keyboard = info(0x046d, 0xc31c, None, "/dev/hidraw0");
        let ut61 = info(0x10c4, 0xea80, Some("0001"), "/dev/hidraw1");
        let p = present(&[keyboard, ut61.clone()]);
        let (d, k) = choose(&HidSelector::default(), &p).unwrap();
        assert_eq!(d, ut61);
        assert_eq!(k.bridge, Bridge::Cp2110);
    }

    #[test]
    fn nothing_plugged_in_says_what_kmdiag_reads() {
        let e = choose(&HidSelector::default(), &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("no USB-HID meter or cable is plugged in"), "{e}");
        assert!(e.contains("1a86:e008") && e.contains("10c4:ea80"), "{e}");
        let s = HidSelector::parse(":1a86:e008").unwrap();
        let e = choose(&s, &[]).unwrap_err().to_string();
        assert!(
            e.contains("no UNI-T UT-D04 cable (new, WCH CH9325) (1a86:e008)"),
            "{e}"
        );
        let s = HidSelector::parse(":046d:c31c").unwrap();
        let e = choose(&s, &[]).unwrap_err().to_string();
        assert!(e.contains("does not know the USB device 046d:c31c"), "{e}");
    }

    #[test]
    fn several_devices_are_named_so_one_can_be_picked() {
        let a = info(0x10c4, 0xea80, Some("0001"), "/dev/hidraw1");
        let b = info(0x10c4, 0xea80, Some("0002"), "/dev/hidraw2");
        let c = info(0x1a86, 0xe008, None, "/dev/hidraw3");
        let p = present(&[a.clone(), b, c]);
        let e = choose(&HidSelector::default(), &p).unwrap_err().to_string();
        assert!(e.contains("3 USB-HID meters or cables"), "{e}");
        assert!(
            e.contains("hid:10c4:ea80:0001") && e.contains("hid:1a86:e008 ("),
            "{e}"
        );
        let (d, _) = choose(&HidSelector::parse(":10c4:ea80:0001").unwrap(), &p).unwrap();
        assert_eq!(d, a);
        let e = choose(&HidSelector::parse(":10c4:ea80:0009").unwrap(), &p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("have 0001, 0002"), "{e}");
        // Twins without serial numbers: only unplugging tells them apart.
        let twins = present(&[
            info(0x1a86, 0xe008, None, "/dev/hidraw3"),
            info(0x1a86, 0xe008, None, "/dev/hidraw4"),
        ]);
        let e = choose(&HidSelector::default(), &twins)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unplug all but the one"), "{e}");
    }

    /// A device that plays back reports and records what it was sent.
    struct Scripted {
        reports: VecDeque<Vec<u8>>,
        features: std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
        written: std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>,
    }

    impl HidDevice for Scripted {
        fn send_feature_report(&mut self, report: &[u8]) -> io::Result<()> {
            self.features.lock().unwrap().push(report.to_vec());
            Ok(())
        }
        fn write_report(&mut self, report: &[u8]) -> io::Result<()> {
            self.written.lock().unwrap().push(report.to_vec());
            Ok(())
        }
        fn read_report(&mut self, buf: &mut [u8], _: Duration) -> io::Result<usize> {
            match self.reports.pop_front() {
                Some(r) => {
                    let n = r.len().min(buf.len());
                    buf[..n].copy_from_slice(&r[..n]);
                    Ok(n)
                }
                None => Err(io::Error::other("device disconnected")),
            }
        }
    }

    type Log = std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>;

    fn scripted(reports: Vec<Vec<u8>>) -> (Box<dyn HidDevice>, Log, Log) {
        let features = Log::default();
        let written = Log::default();
        let d = Scripted {
            reports: reports.into(),
            features: features.clone(),
            written: written.clone(),
        };
        (Box::new(d), features, written)
    }

    fn settings(model: &str) -> LinkSettings {
        let m = crate::acquire::meter::find_model(model).unwrap();
        LinkSettings::for_model(m, None, None, None)
    }

    fn read_all(port: &mut HidPort) -> (Vec<u8>, io::Error) {
        let mut got = Vec::new();
        let mut buf = [0u8; 5];
        loop {
            match port.read(&mut buf) {
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) => return (got, e),
            }
        }
    }

    #[test]
    fn a_ch9325_is_told_the_baud_rate_and_its_parity_bits_are_stripped_for_7o1() {
        let packet = b"00705133000200\r\n"; // not a real packet: the stream is what matters
        let with_parity: Vec<u8> = packet.iter().map(|&b| ch9325::with_odd_parity(b)).collect();
        let mut reports = vec![ch9325::IDLE.to_vec(), vec![0x13, 0x55]]; // idle, then noise
        reports.extend(ch9325::frame(&with_parity).iter().map(|r| r.to_vec()));
        let (dev, features, _) = scripted(reports);
        let mut port = HidPort::start(dev, Bridge::Ch9325, "test", &settings("ut61e")).unwrap();
        assert_eq!(
            *features.lock().unwrap(),
            vec![vec![0, 0x00, 0x4B, 0, 0, 3]]
        );
        let (got, e) = read_all(&mut port);
        assert_eq!(got, packet);
        assert_eq!(port.foreign_reports(), 1);
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
        assert!(e.to_string().contains("the USB device went away"), "{e}");
    }

    #[test]
    fn an_8n1_meter_on_a_ch9325_keeps_bit_7() {
        let packet = [0x13u8, 0x20, 0x35, 0x47, 0x5d, 0x67, 0x7d, 0x8a, 0x97];
        let reports = ch9325::frame(&packet).iter().map(|r| r.to_vec()).collect();
        let (dev, features, _) = scripted(reports);
        let mut port = HidPort::start(dev, Bridge::Ch9325, "test", &settings("vc820")).unwrap();
        assert_eq!(
            *features.lock().unwrap(),
            vec![vec![0, 0x60, 0x09, 0, 0, 3]]
        );
        assert_eq!(read_all(&mut port).0, packet);
    }

    #[test]
    fn a_cp2110_is_switched_on_configured_and_purged_and_carries_both_ways() {
        let (dev, features, written) =
            scripted(vec![vec![0x02, 0xAB, 0xCD, 0, 0], vec![0x01, 0x10]]);
        let mut port = HidPort::start(dev, Bridge::Cp2110, "test", &settings("ut61e+")).unwrap();
        assert_eq!(
            *features.lock().unwrap(),
            vec![
                vec![0x41, 0x01],
                vec![0x50, 0x00, 0x00, 0x25, 0x80, 0x00, 0x00, 0x03, 0x00],
                vec![0x43, 0x03]
            ]
        );
        port.write_all(&crate::acquire::meter::ut61eplus::REQUEST_MEASUREMENT)
            .unwrap();
        assert_eq!(
            *written.lock().unwrap(),
            vec![vec![0x06, 0xAB, 0xCD, 0x03, 0x5E, 0x01, 0xD9]]
        );
        assert_eq!(read_all(&mut port).0, [0xAB, 0xCD, 0x10]);
    }

    #[test]
    fn a_victor_report_is_descrambled_and_zero_reports_skipped() {
        let packet: [u8; 14] = *b"+0702 4\x20\x00\x00\x20\x00\r\n";
        let (dev, features, _) = scripted(vec![vec![0; 14], victor::scramble(&packet).to_vec()]);
        let mut port = HidPort::start(dev, Bridge::Victor, "test", &settings("victor70c")).unwrap();
        assert!(features.lock().unwrap().is_empty());
        assert_eq!(read_all(&mut port).0, packet);
        assert!(port.write(b"x").is_err(), "the Victor cable only receives");
    }

    #[test]
    fn a_baud_rate_beyond_16_bits_is_refused_by_the_ut_d04() {
        let (dev, _, _) = scripted(vec![]);
        let mut s = settings("vc820");
        s.serial.baud = 115_200;
        let e = HidPort::start(dev, Bridge::Ch9325, "test", &s)
            .err()
            .unwrap();
        assert_eq!(e, HidError::BaudTooHigh { baud: 115_200 });
        assert!(e.to_string().starts_with("115200 baud is beyond"), "{e}");
    }
}
