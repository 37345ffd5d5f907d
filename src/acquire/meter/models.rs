//! The table of meter models a technician can name (`--meter ut61e`): chip family, serial
//! settings, DTR/RTS levels, packet interval and how to switch the PC link on; what to check
//! when one stays silent; the USB-serial chips of meter cables, for `kmdiag ports`.
//!
//! Data only: a new meter on a known chip is one row. No I/O. Facts from protocols.md §§1–5,
//! §11, §12 (settings, DTR/RTS, PC-link buttons, packet rates).

use super::es519xx::Variant;
use super::scpi::Family;
use super::{Decoder, MeterReading};
use crate::i18n::Message;
use crate::msg;
use std::time::Duration;

/// A chip family: which decoder (or SCPI dialect) a model speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chip {
    /// Cyrustek ES51922 14-byte (protocols.md §2).
    Es51922,
    /// Cyrustek ES519xx 11-byte, sent twice (§2.1).
    Es519xx(Variant),
    /// Fortune FS9721_LP3 14-byte segments (§3).
    Fs9721,
    /// Fortune FS9922 14-byte (§4).
    Fs9922,
    /// UNI-T UT71x 11-byte (§5).
    Ut71x,
    /// UNI-T UT61E+ family, polled frames `AB CD len … sum16` (§11).
    Ut61ePlus,
    /// SCPI request/response (§12).
    Scpi(Family),
}

impl Chip {
    /// A streaming decoder, or `None` for SCPI (request/response: see `scpi::ScpiSession`).
    pub fn decoder(self) -> Option<Box<dyn Decoder>> {
        Some(match self {
            Chip::Es51922 => Box::new(super::es51922::decoder()),
            Chip::Es519xx(v) => Box::new(super::es519xx::decoder(v)),
            Chip::Fs9721 => Box::new(super::fs9721::decoder()),
            Chip::Fs9922 => Box::new(super::fs9922::decoder()),
            Chip::Ut71x => Box::new(super::ut71x::decoder()),
            Chip::Ut61ePlus => Box::new(super::ut61eplus::decoder()),
            Chip::Scpi(_) => return None,
        })
    }

    /// The request a polled meter answers with one reading; `None` for meters that send on
    /// their own (and for SCPI, which has its own dialogue).
    pub fn poll_request(self) -> Option<&'static [u8]> {
        match self {
            Chip::Ut61ePlus => Some(&super::ut61eplus::REQUEST_MEASUREMENT),
            _ => None,
        }
    }

    /// The bytes a meter with this chip sends for `reading` (for a polled chip: its reply to
    /// the poll request), or `None` for SCPI (see `scpi::Responder`).
    pub fn encode(self, reading: &MeterReading) -> Option<Vec<u8>> {
        Some(match self {
            Chip::Es51922 => super::es51922::encode(reading),
            Chip::Es519xx(v) => super::es519xx::encode(v, reading),
            Chip::Fs9721 => super::fs9721::encode(reading),
            Chip::Fs9922 => super::fs9922::encode(reading),
            Chip::Ut71x => super::ut71x::encode(reading),
            Chip::Ut61ePlus => super::ut61eplus::encode(reading),
            Chip::Scpi(_) => return None,
        })
    }

    /// True for 7-bit protocols (bit 7 of each byte is the parity bit on some cables).
    pub fn seven_bit(self) -> bool {
        matches!(self, Chip::Es51922 | Chip::Es519xx(_) | Chip::Ut71x)
    }

    /// Short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Chip::Es51922 => "ES51922",
            Chip::Es519xx(Variant::Es51978) => "ES51978",
            Chip::Es519xx(Variant::Es51986) => "ES51986",
            Chip::Fs9721 => "FS9721",
            Chip::Fs9922 => "FS9922",
            Chip::Ut71x => "UT71x",
            Chip::Ut61ePlus => "UT61E+",
            Chip::Scpi(_) => "SCPI",
        }
    }
}

/// Parity of the serial line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parity {
    /// No parity bit.
    None,
    /// Odd parity.
    Odd,
    /// Even parity.
    Even,
}

/// Serial line settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialSettings {
    /// Baud rate.
    pub baud: u32,
    /// Data bits (7 or 8).
    pub data_bits: u8,
    /// Parity.
    pub parity: Parity,
    /// Stop bits (1 or 2).
    pub stop_bits: u8,
}

impl std::fmt::Display for SerialSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = match self.parity {
            Parity::None => 'n',
            Parity::Odd => 'o',
            Parity::Even => 'e',
        };
        write!(f, "{} {}{}{}", self.baud, self.data_bits, p, self.stop_bits)
    }
}

const fn serial(baud: u32, data_bits: u8, parity: Parity) -> SerialSettings {
    SerialSettings {
        baud,
        data_bits,
        parity,
        stop_bits: 1,
    }
}

const S19200_7O1: SerialSettings = serial(19200, 7, Parity::Odd);
const S2400_7O1: SerialSettings = serial(2400, 7, Parity::Odd);
const S2400_8N1: SerialSettings = serial(2400, 8, Parity::None);
const S115200_8N1: SerialSettings = serial(115_200, 8, Parity::None);
const S9600_8N1: SerialSettings = serial(9600, 8, Parity::None);

/// One meter model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeterModel {
    /// The name a technician types: lower case, e.g. `ut61e`.
    pub name: &'static str,
    /// Vendor and model for messages, e.g. `UNI-T UT61E`.
    pub display: &'static str,
    /// Chip family.
    pub chip: Chip,
    /// Serial settings.
    pub serial: SerialSettings,
    /// DTR level after opening (true = asserted): powers passive IR cables (§1.2).
    pub dtr: bool,
    /// RTS level after opening.
    pub rts: bool,
    /// Typical time between packets.
    pub interval: Duration,
    /// How to switch the meter's PC link on: a catalogue key (see `pc_link()`).
    pub pc_link: &'static str,
}

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// How to switch each meter's PC link on: catalogue keys (`src/i18n/*.ftl`), so the advice is
// in the run's language.
const UT61BCD_HINT: &str = "pc-link-ut61bcd";
const UT71_HINT: &str = "pc-link-ut71";
const RS232_BRIEF: &str = "pc-link-rs232-brief";
const PC_LINK_GENERIC: &str = "pc-link-generic";
const SCPI_HINT: &str = "pc-link-scpi";
const UT61EPLUS_HINT: &str = "pc-link-ut61eplus";
const VICTOR_HINT: &str = "pc-link-victor";

/// How often a UT61E+ is asked for a reading. Its display rate is not in protocols.md; this
/// is the documented rate of the UT61E it replaces (0.50 s, §1.6), so a guided sweep settles
/// as it does with a UT61E. Asking faster than the display changes would repeat one reading,
/// and repeats look like a settled value to the auto-capture.
const UT61EPLUS_POLL: Duration = ms(500);

/// One row of the UT61E+ family: same protocol, link and settings (protocols.md §11).
const fn ut61eplus(name: &'static str, display: &'static str) -> MeterModel {
    MeterModel {
        name,
        display,
        chip: Chip::Ut61ePlus,
        serial: S9600_8N1,
        dtr: true,
        rts: false,
        interval: UT61EPLUS_POLL,
        pc_link: UT61EPLUS_HINT,
    }
}

/// Every model kmdiag knows. Settings and buttons: protocols.md §1.2, §§2–5, §12.
pub const MODELS: &[MeterModel] = &[
    MeterModel {
        name: "ut61e",
        display: "UNI-T UT61E",
        chip: Chip::Es51922,
        serial: S19200_7O1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: "pc-link-ut61e",
    },
    ut61eplus("ut61e+", "UNI-T UT61E+"),
    ut61eplus("ut61b+", "UNI-T UT61B+"),
    ut61eplus("ut61d+", "UNI-T UT61D+"),
    ut61eplus("ut161b", "UNI-T UT161B"),
    ut61eplus("ut161d", "UNI-T UT161D"),
    ut61eplus("ut161e", "UNI-T UT161E"),
    MeterModel {
        name: "ut61b",
        display: "UNI-T UT61B",
        chip: Chip::Fs9922,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: UT61BCD_HINT,
    },
    MeterModel {
        name: "ut61c",
        display: "UNI-T UT61C",
        chip: Chip::Fs9922,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: UT61BCD_HINT,
    },
    MeterModel {
        name: "ut61d",
        display: "UNI-T UT61D",
        chip: Chip::Fs9922,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: UT61BCD_HINT,
    },
    MeterModel {
        name: "victor70c",
        display: "Victor 70C",
        chip: Chip::Fs9922,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: VICTOR_HINT,
    },
    MeterModel {
        name: "victor86c",
        display: "Victor 86C",
        chip: Chip::Fs9922,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: VICTOR_HINT,
    },
    MeterModel {
        name: "vc830",
        display: "Voltcraft VC-830",
        chip: Chip::Fs9922,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: "pc-link-rel-pc",
    },
    MeterModel {
        name: "gdm397",
        display: "GW Instek GDM-397",
        chip: Chip::Fs9922,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: "pc-link-rel-rs232c",
    },
    MeterModel {
        name: "vc820",
        display: "Voltcraft VC-820",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: PC_LINK_GENERIC,
    },
    MeterModel {
        name: "vc840",
        display: "Voltcraft VC-840",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: PC_LINK_GENERIC,
    },
    MeterModel {
        name: "tp4000zc",
        display: "TekPower TP4000ZC",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: RS232_BRIEF,
    },
    MeterModel {
        name: "dt4000zc",
        display: "Digitek DT4000ZC",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: RS232_BRIEF,
    },
    MeterModel {
        name: "pce-dm32",
        display: "PCE PCE-DM32",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: RS232_BRIEF,
    },
    MeterModel {
        name: "va18b",
        display: "V&A VA18B",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: "pc-link-hz-duty",
    },
    MeterModel {
        name: "va40b",
        display: "V&A VA40B",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: "pc-link-hz-duty",
    },
    MeterModel {
        name: "ut60e",
        display: "UNI-T UT60E",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: PC_LINK_GENERIC,
    },
    MeterModel {
        name: "tenma72-7745",
        display: "Tenma 72-7745",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: PC_LINK_GENERIC,
    },
    MeterModel {
        name: "ut71c",
        display: "UNI-T UT71C",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "ut71d",
        display: "UNI-T UT71D",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "ut71e",
        display: "UNI-T UT71E",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "vc920",
        display: "Voltcraft VC-920",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "vc940",
        display: "Voltcraft VC-940",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "ut60a",
        display: "UNI-T UT60A",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: PC_LINK_GENERIC,
    },
    MeterModel {
        name: "ms8250b",
        display: "Mastech MS8250B",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: PC_LINK_GENERIC,
    },
    MeterModel {
        name: "peaktech3330",
        display: "PeakTech 3330",
        chip: Chip::Fs9721,
        serial: S2400_8N1,
        dtr: true,
        rts: false,
        interval: ms(650),
        pc_link: PC_LINK_GENERIC,
    },
    MeterModel {
        name: "ut71a",
        display: "UNI-T UT71A",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "ut71b",
        display: "UNI-T UT71B",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "ut804",
        display: "UNI-T UT804",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "vc960",
        display: "Voltcraft VC-960",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "tenma72-7730",
        display: "Tenma 72-7730",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "tenma72-7732",
        display: "Tenma 72-7732",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "tenma72-9380a",
        display: "Tenma 72-9380A",
        chip: Chip::Ut71x,
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(770),
        pc_link: UT71_HINT,
    },
    MeterModel {
        name: "idm103n",
        display: "ISO-TECH IDM103N",
        chip: Chip::Es519xx(Variant::Es51978),
        serial: S2400_7O1,
        dtr: true,
        rts: false,
        interval: ms(750),
        pc_link: PC_LINK_GENERIC,
    },
    MeterModel {
        name: "ut60g",
        display: "UNI-T UT60G",
        chip: Chip::Es519xx(Variant::Es51986),
        serial: S19200_7O1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: "pc-link-rs232c-brief",
    },
    MeterModel {
        name: "tenma72-7750",
        display: "Tenma 72-7750",
        chip: Chip::Es519xx(Variant::Es51986),
        serial: S19200_7O1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: "pc-link-rs232c-brief",
    },
    MeterModel {
        name: "owon-xdm1041",
        display: "OWON XDM1041",
        chip: Chip::Scpi(Family::Owon),
        serial: S115200_8N1,
        dtr: true,
        rts: false,
        interval: ms(200),
        pc_link: SCPI_HINT,
    },
    MeterModel {
        name: "owon-xdm2041",
        display: "OWON XDM2041",
        chip: Chip::Scpi(Family::Owon),
        serial: S115200_8N1,
        dtr: true,
        rts: false,
        interval: ms(200),
        pc_link: SCPI_HINT,
    },
    MeterModel {
        name: "scpi",
        display: "SCPI bench meter (CONF:RES + READ?)",
        chip: Chip::Scpi(Family::Generic),
        serial: S9600_8N1,
        dtr: true,
        rts: false,
        interval: ms(500),
        pc_link: "pc-link-rs232-interface",
    },
];

/// Finds a model by name, ignoring case, spaces, '-' and '_', with `+` also written `plus`
/// (`UT61E`, `owon xdm1041`, `ut61eplus`).
pub fn find_model(name: &str) -> Option<&'static MeterModel> {
    let key = normalise(name);
    MODELS.iter().find(|m| normalise(m.name) == key)
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .replace('+', "plus")
}

/// " (did you mean 'ut61e'?)" when a typed meter name is close to known ones (`extra`:
/// other names the flag takes, such as `adapter`), else "".
pub fn did_you_mean(typed: &str, extra: &[&'static str]) -> String {
    crate::suggest::did_you_mean(
        typed,
        MODELS.iter().map(|m| m.name).chain(extra.iter().copied()),
    )
}

/// Every model name, comma-separated, for error messages.
pub fn model_names() -> String {
    MODELS.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
}

impl MeterModel {
    /// What to check when nothing valid arrives from this meter on `port` (protocols.md §1.2).
    pub fn silence_hint(&self, port: &str) -> Message {
        let ir = match self.chip {
            Chip::Scpi(_) | Chip::Ut61ePlus => msg!("nothing"),
            _ => msg!(
                "silence-ir-cable",
                dtr = on_off(self.dtr),
                rts = on_off(self.rts)
            ),
        };
        msg!(
            "silence-hint",
            advice = self.link_advice(),
            ir = ir,
            port = port,
            hid = hid_note()
        )
    }

    /// How to switch this meter's PC link on, in the run's words.
    pub fn pc_link(&self) -> Message {
        Message::new(self.pc_link)
    }

    /// What to check when nothing valid arrives from this meter through a USB-HID cable or
    /// link (`port` names the device found): no modem lines there, the cable is powered from
    /// USB.
    pub fn silence_hint_on_usb(&self, port: &str) -> Message {
        msg!("silence-hint-usb", advice = self.link_advice(), port = port)
    }

    /// How to get the meter talking: a polled meter must answer; the others must have their
    /// PC link switched on.
    fn link_advice(&self) -> Message {
        match self.chip.poll_request() {
            Some(_) => msg!(
                "link-advice-polled",
                meter = self.display,
                how = self.pc_link()
            ),
            None => msg!(
                "link-advice-stream",
                meter = self.display,
                how = self.pc_link()
            ),
        }
    }
}

/// `on` / `off`.
pub fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// The one-line note on USB-HID cables, for messages about serial ports.
pub fn hid_note() -> Message {
    msg!("hid-note")
}

/// A USB-serial bridge chip known from meter cables (protocols.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialBridge {
    /// USB vendor id.
    pub vid: u16,
    /// USB product id, or `None` for every product of the vendor.
    pub pid: Option<u16>,
    /// The catalogue key of its hint for `kmdiag ports` (`en.ftl`, `ru.ftl`; JSON takes the
    /// English one).
    pub hint_key: &'static str,
}

/// Known USB-serial chips in meter cables.
pub const SERIAL_BRIDGES: &[SerialBridge] = &[
    SerialBridge {
        vid: 0x1a86,
        pid: Some(0x7523),
        hint_key: "bridge-ch340",
    },
    SerialBridge {
        vid: 0x10c4,
        pid: Some(0xea60),
        hint_key: "bridge-cp210x",
    },
    SerialBridge {
        vid: 0x0403,
        pid: None,
        hint_key: "bridge-ftdi",
    },
    SerialBridge {
        vid: 0x067b,
        pid: Some(0x2303),
        hint_key: "bridge-pl2303",
    },
];

/// The hint for a USB id: a known bridge, or a HID cable that should not be here.
pub fn usb_hint(vid: u16, pid: u16) -> Option<&'static SerialBridge> {
    SERIAL_BRIDGES
        .iter()
        .find(|b| b.vid == vid && b.pid.is_none_or(|p| p == pid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_case_insensitively() {
        for (i, m) in MODELS.iter().enumerate() {
            assert!(MODELS[..i].iter().all(|o| o.name != m.name), "{}", m.name);
            assert_eq!(find_model(&m.name.to_uppercase()), Some(m));
        }
        assert_eq!(find_model("UT-61E").map(|m| m.name), Some("ut61e"));
        assert_eq!(find_model("UT61E+").map(|m| m.name), Some("ut61e+"));
        assert_eq!(find_model("ut61eplus").map(|m| m.name), Some("ut61e+"));
        assert_ne!(find_model("ut61e"), find_model("ut61e+"));
        assert!(find_model("ut62").is_none());
    }

    #[test]
    fn seven_bit_chips_use_seven_data_bits() {
        for m in MODELS {
            if m.chip.seven_bit() {
                assert_eq!((m.serial.data_bits, m.serial.parity), (7, Parity::Odd));
            }
        }
    }

    #[test]
    fn silence_hint_names_button_port_and_hid_cables() {
        let h = find_model("ut61d")
            .unwrap()
            .silence_hint("/dev/ttyUSB0")
            .en();
        assert!(h.contains("REL/RS232"), "{h}");
        assert!(h.contains("/dev/ttyUSB0"), "{h}");
        assert!(h.contains("--dtr on --rts off"), "{h}");
        assert!(h.contains("read them with --port hid"), "{h}");
    }

    #[test]
    fn bridge_hints() {
        assert_eq!(usb_hint(0x1a86, 0x7523).unwrap().hint_key, "bridge-ch340");
        assert_eq!(usb_hint(0x0403, 0x6015).unwrap().hint_key, "bridge-ftdi");
        assert!(usb_hint(0x1234, 0x5678).is_none());
    }
}
