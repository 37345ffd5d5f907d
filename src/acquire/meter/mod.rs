//! Meter chip families: one pure decoder per protocol, and the table of meter models.
//!
//! Decoders are pure: bytes in, readings out, no I/O and no clock. They keep a bounded
//! buffer, resynchronise within one packet after noise, and never panic on any input.
//! Streaming chips share the sliding-window `Framer`; each also has a pub `encode` that the
//! simulated meters use. SCPI meters are request/response and live in `scpi`; the UT61E+
//! family is polled with checksummed frames (`ut61eplus`) and decodes as a stream.

pub mod check;
pub mod es51922;
pub mod es519xx;
pub mod fs9721;
pub mod fs9922;
pub mod models;
pub mod scpi;
pub mod ut61eplus;
pub mod ut71x;

pub use check::{ModeProblem, check_resistance_mode, frozen_display};
pub use models::{Chip, MeterModel, find_model};

/// What the meter's dial is set to, as far as the packet says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Ω.
    Resistance,
    /// Continuity (beeper), value in Ω.
    Continuity,
    /// Diode test, value in V.
    Diode,
    /// DC volts.
    VoltageDc,
    /// AC volts.
    VoltageAc,
    /// DC current.
    CurrentDc,
    /// AC current.
    CurrentAc,
    /// Capacitance.
    Capacitance,
    /// Frequency.
    Frequency,
    /// Duty cycle, %.
    DutyCycle,
    /// Temperature.
    Temperature,
    /// Anything else the packet can say (hFE, power, loop %, …).
    Other,
}

/// Units of a reading's value, in base units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Unit {
    /// Ohm.
    #[serde(rename = "ohm")]
    Ohm,
    /// Volt.
    #[serde(rename = "V")]
    Volt,
    /// Ampere.
    #[serde(rename = "A")]
    Ampere,
    /// Farad.
    #[serde(rename = "F")]
    Farad,
    /// Hertz.
    #[serde(rename = "Hz")]
    Hertz,
    /// Percent.
    #[serde(rename = "%")]
    Percent,
    /// Degrees Celsius.
    #[serde(rename = "°C")]
    Celsius,
    /// Degrees Fahrenheit.
    #[serde(rename = "°F")]
    Fahrenheit,
    /// No unit.
    #[serde(rename = "")]
    None,
}

/// One decoded reading.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeterReading {
    /// Value in base units (Ω, V, A, F, Hz); `None` for OL.
    pub value: Option<f64>,
    /// Unit of `value`.
    pub unit: Unit,
    /// What the dial is set to.
    pub mode: Mode,
    /// True when the meter shows OL.
    pub overload: bool,
    /// Display flags as upper-case words: AUTO, HOLD, REL, MAX, MIN, DC, AC, BATT, …
    pub flags: Vec<&'static str>,
}

impl MeterReading {
    /// The reading as a resistance, if the meter is in Ω mode (OL → open).
    pub fn as_resistance(&self) -> Option<crate::model::Reading> {
        use crate::model::Reading;
        let reading = match (self.overload, self.value) {
            (false, Some(v)) => Reading::Ohms(v),
            _ => Reading::Open,
        };
        (self.mode == Mode::Resistance).then_some(reading)
    }
}

/// A streaming packet decoder for one chip family.
pub trait Decoder: Send {
    /// Feeds bytes as they arrive; returns every complete valid packet decoded.
    fn push(&mut self, bytes: &[u8]) -> Vec<MeterReading>;
}

/// Why one packet-sized window of bytes is not a valid packet. Carries the offending byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// The window has the wrong length.
    #[error("packet is {got} bytes; expected {expected}")]
    Length {
        /// Bytes given.
        got: usize,
        /// Bytes the protocol needs.
        expected: usize,
    },
    /// A byte that cannot be where it is (terminator, sync nibble, digit, code …).
    #[error("byte {index} is 0x{value:02x}; {expected}")]
    Byte {
        /// Position in the packet.
        index: usize,
        /// The byte.
        value: u8,
        /// What the protocol allows there.
        expected: &'static str,
    },
    /// Flags that contradict each other (AC and DC, two multipliers, two units).
    #[error("contradictory flags: {0}")]
    Flags(&'static str),
}

/// One chip family's packet format: its length, whether it is a 7-bit protocol, and a pure
/// `decode` that validates a window and turns it into a reading.
pub trait PacketFormat: Send {
    /// Packet length in bytes.
    fn packet_len(&self) -> usize;
    /// True for 7-bit protocols (7o1): bit 7 is the parity bit some cables pass on; mask it.
    fn seven_bit(&self) -> bool;
    /// Validates and decodes one window of exactly `len()` bytes (already masked).
    fn decode(&self, packet: &[u8]) -> Result<MeterReading, PacketError>;
}

/// Sliding-window framing shared by every streaming chip (protocols.md §1.6): a buffer of at
/// most one packet; a valid window is decoded and consumed, an invalid one drops its first
/// byte. So after noise the decoder is back in step as soon as one whole packet has arrived.
pub struct Framer<P> {
    format: P,
    window: std::collections::VecDeque<u8>,
    scratch: Vec<u8>,
    skipped: u64,
    packets: u64,
}

impl<P: PacketFormat> Framer<P> {
    /// A framer for `format`.
    pub fn new(format: P) -> Self {
        let n = format.packet_len();
        Framer {
            format,
            window: std::collections::VecDeque::with_capacity(n),
            scratch: Vec::with_capacity(n),
            skipped: 0,
            packets: 0,
        }
    }

    /// Bytes dropped so far while searching for a valid packet.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Valid packets decoded so far.
    pub fn packets(&self) -> u64 {
        self.packets
    }
}

impl<P: PacketFormat> Decoder for Framer<P> {
    fn push(&mut self, bytes: &[u8]) -> Vec<MeterReading> {
        let len = self.format.packet_len().max(1);
        let mask = if self.format.seven_bit() { 0x7F } else { 0xFF };
        let mut out = Vec::new();
        for &b in bytes {
            self.window.push_back(b & mask);
            if self.window.len() < len {
                continue;
            }
            self.scratch.clear();
            self.scratch.extend(self.window.iter().copied());
            match self.format.decode(&self.scratch) {
                Ok(reading) => {
                    out.push(reading);
                    self.packets += 1;
                    self.window.clear();
                }
                Err(_) => {
                    self.window.pop_front();
                    self.skipped += 1;
                }
            }
        }
        out
    }
}

/// The order flags are listed in, whatever the chip: decoders sort their flags with it so
/// readings compare equal across chips and in round-trip tests.
pub const FLAG_ORDER: &[&str] = &[
    "DC", "AC", "AUTO", "MANUAL", "HOLD", "REL", "MAX", "MIN", "PMAX", "PMIN", "UL", "BATT",
    "4WIRE", "UNSCALED", "HV",
];

/// Sorts flags into `FLAG_ORDER` and drops duplicates and unknown words.
pub fn canonical_flags(flags: &[&'static str]) -> Vec<&'static str> {
    FLAG_ORDER
        .iter()
        .copied()
        .filter(|f| flags.contains(f))
        .collect()
}

/// The flags that are on, in the canonical order: every decoder lists the flags its packet can
/// show as `(on, NAME)` pairs.
pub(crate) fn flags_shown(shown: &[(bool, &'static str)]) -> Vec<&'static str> {
    let on: Vec<&'static str> = shown
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect();
    canonical_flags(&on)
}

/// `digits × 10^exp`, correctly rounded: one IEEE operation with an exact power of ten, so
/// `70.51` decodes to the same `f64` as the literal `70.51`.
pub(crate) fn scale(digits: u64, exp: i32) -> f64 {
    let d = digits as f64;
    if exp >= 0 {
        d * 10f64.powi(exp)
    } else {
        d / 10f64.powi(-exp)
    }
}

/// The integer count that shows `value` at `10^exp` resolution (inverse of `scale`).
pub(crate) fn count_for(value: f64, exp: i32) -> Option<u64> {
    let v = value.abs();
    if !v.is_finite() {
        return None;
    }
    let c = if exp >= 0 {
        v / 10f64.powi(exp)
    } else {
        v * 10f64.powi(-exp)
    };
    let c = c.round();
    (c <= 1e15).then_some(c as u64)
}

/// Picks the finest exponent among `exps` at which `value` fits in `max_count`; returns
/// `(index into exps, count)`.
pub(crate) fn pick_range(value: f64, exps: &[i32], max_count: u64) -> Option<(usize, u64)> {
    let mut order: Vec<usize> = (0..exps.len()).collect();
    order.sort_by_key(|&i| exps[i]);
    order.into_iter().find_map(|i| {
        count_for(value, exps[i])
            .filter(|&c| c <= max_count)
            .map(|c| (i, c))
    })
}

/// ASCII decimal digits → number; `None` if any byte is not `'0'..='9'`.
/// Checks a packet's length and its closing `\r\n`, naming the first wrong byte.
pub(crate) fn require_line(p: &[u8], len: usize) -> Result<(), PacketError> {
    if p.len() != len {
        return Err(PacketError::Length {
            got: p.len(),
            expected: len,
        });
    }
    for (index, want, expected) in [
        (len - 2, b'\r', "expected '\\r'"),
        (len - 1, b'\n', "expected '\\n'"),
    ] {
        if p[index] != want {
            return Err(PacketError::Byte {
                index,
                value: p[index],
                expected,
            });
        }
    }
    Ok(())
}

/// Checks that every byte is `0x30 | nibble`, as the ES519xx and UT71x chips send all but
/// their line end.
pub(crate) fn require_nibbles(bytes: &[u8]) -> Result<(), PacketError> {
    match bytes.iter().position(|b| b & 0xF0 != 0x30) {
        Some(index) => Err(PacketError::Byte {
            index,
            value: bytes[index],
            expected: "expected 0x30-0x3f",
        }),
        None => Ok(()),
    }
}

/// The ASCII digits `p[digits]` as a value: scaled by 10^`exp`, negated when `negative`.
pub(crate) fn digits_value(
    p: &[u8],
    digits: std::ops::Range<usize>,
    exp: i32,
    negative: bool,
) -> Result<f64, PacketError> {
    let start = digits.start;
    let count = ascii_number(&p[digits]).ok_or(PacketError::Byte {
        index: start,
        value: p[start],
        expected: "digits must be '0'-'9'",
    })?;
    let v = scale(count, exp);
    Ok(if negative { -v } else { v })
}

pub(crate) fn ascii_number(bytes: &[u8]) -> Option<u64> {
    bytes.iter().try_fold(0u64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u64::from(b - b'0'))
    })
}

/// Writes `count` as `width` ASCII digits (most significant first).
pub(crate) fn ascii_digits(count: u64, width: usize) -> Vec<u8> {
    let s = format!("{count:0width$}");
    s.into_bytes().into_iter().rev().take(width).rev().collect()
}

/// Bytes written as hex pairs separated by spaces (`"13 20 35"`), as protocols.md gives them.
#[cfg(test)]
pub(crate) fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).unwrap())
        .collect()
}

#[cfg(test)]
mod round_trip_tests {
    use super::*;
    use es519xx::Variant;

    fn reading(mode: Mode, value: Option<f64>, flags: &[&'static str]) -> MeterReading {
        let unit = match mode {
            Mode::Resistance | Mode::Continuity => Unit::Ohm,
            _ => Unit::Volt,
        };
        MeterReading {
            value,
            unit,
            mode,
            overload: value.is_none(),
            flags: canonical_flags(flags),
        }
    }

    /// Readings every streaming chip can show exactly (values at display resolution).
    fn cases() -> Vec<MeterReading> {
        vec![
            reading(Mode::Resistance, Some(100.4), &["AUTO"]),
            reading(Mode::Resistance, Some(0.0), &["AUTO"]),
            reading(Mode::Resistance, Some(1500.0), &["AUTO"]),
            reading(Mode::Resistance, Some(2.2e6), &["AUTO", "HOLD"]),
            reading(Mode::Resistance, None, &["AUTO"]),
            reading(Mode::Continuity, Some(12.0), &[]),
            reading(Mode::Continuity, None, &[]),
            reading(Mode::Diode, Some(0.612), &[]),
            reading(Mode::Diode, None, &[]),
            reading(Mode::VoltageDc, Some(12.34), &["DC", "AUTO"]),
            reading(Mode::VoltageDc, Some(-1.5), &["DC", "AUTO"]),
            reading(Mode::VoltageAc, Some(230.0), &["AC", "AUTO"]),
            reading(Mode::VoltageDc, None, &["DC"]),
        ]
    }

    type Codec = (&'static str, fn(&MeterReading) -> Vec<u8>, Box<dyn Decoder>);

    fn codecs() -> Vec<Codec> {
        vec![
            ("es51922", es51922::encode, Box::new(es51922::decoder())),
            ("fs9721", fs9721::encode, Box::new(fs9721::decoder())),
            ("fs9922", fs9922::encode, Box::new(fs9922::decoder())),
            ("ut71x", ut71x::encode, Box::new(ut71x::decoder())),
            (
                "es51978",
                |r| es519xx::encode(Variant::Es51978, r),
                Box::new(es519xx::decoder(Variant::Es51978)),
            ),
        ]
    }

    #[test]
    fn decode_of_encode_is_identity_for_every_streaming_chip() {
        for (name, encode, mut decoder) in codecs() {
            for case in cases() {
                // The UT71x and ES51978 packets have no HOLD bit: drop it before comparing.
                let mut want = case.clone();
                if matches!(name, "ut71x" | "es51978") {
                    want.flags.retain(|f| *f != "HOLD");
                }
                let bytes = encode(&want);
                let got = decoder.push(&bytes);
                assert_eq!(got, vec![want.clone()], "{name}: {want:?} as {bytes:02x?}");
            }
        }
    }

    #[test]
    fn every_chip_resyncs_after_garbage_and_split_writes() {
        for (name, encode, mut decoder) in codecs() {
            let want = reading(Mode::Resistance, Some(100.4), &["AUTO"]);
            let packet = encode(&want);
            let mut stream = vec![0x00, 0x0d, 0x0a, 0xff, 0x30, 0x31, 0x13];
            stream.extend_from_slice(&packet[3..]); // a truncated packet first
            stream.extend_from_slice(&packet);
            stream.extend_from_slice(&packet);
            stream.extend_from_slice(&packet[..5]); // and a partial one at the end
            let mut got = Vec::new();
            for chunk in stream.chunks(3) {
                got.extend(decoder.push(chunk));
            }
            assert_eq!(got, vec![want.clone(), want.clone()], "{name}");
        }
    }

    #[test]
    fn values_round_to_display_resolution() {
        let r = reading(Mode::Resistance, Some(70.514), &["AUTO"]);
        let got = es51922::decode_packet(&es51922::encode(&r)).unwrap();
        assert_eq!(got.value, Some(70.51));
    }
}

/// The unit and function flags of an LCD-segment chip (FS9721, FS9922), and the mode and unit
/// they mean. One place for the precedence: diode, then continuity, then Ω, V, A, F, Hz, %, °.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct UnitFlags {
    pub diode: bool,
    pub ohm: bool,
    pub beep: bool,
    pub volt: bool,
    pub amp: bool,
    pub farad: bool,
    pub hertz: bool,
    pub percent: bool,
    pub celsius: bool,
    pub fahrenheit: bool,
    pub ac: bool,
}

impl UnitFlags {
    /// The mode and unit these flags mean.
    pub(crate) fn mode_unit(self) -> (Mode, Unit) {
        if self.diode {
            (Mode::Diode, Unit::Volt)
        } else if self.ohm && self.beep {
            (Mode::Continuity, Unit::Ohm)
        } else if self.ohm {
            (Mode::Resistance, Unit::Ohm)
        } else if self.volt {
            let mode = if self.ac {
                Mode::VoltageAc
            } else {
                Mode::VoltageDc
            };
            (mode, Unit::Volt)
        } else if self.amp {
            let mode = if self.ac {
                Mode::CurrentAc
            } else {
                Mode::CurrentDc
            };
            (mode, Unit::Ampere)
        } else if self.farad {
            (Mode::Capacitance, Unit::Farad)
        } else if self.hertz {
            (Mode::Frequency, Unit::Hertz)
        } else if self.percent {
            (Mode::DutyCycle, Unit::Percent)
        } else if self.celsius {
            (Mode::Temperature, Unit::Celsius)
        } else if self.fahrenheit {
            (Mode::Temperature, Unit::Fahrenheit)
        } else {
            (Mode::Other, Unit::None)
        }
    }
}
