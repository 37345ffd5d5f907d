//! UNI-T UT61E+ family (UT61B+/D+/E+, UT161B/D/E): the polled frames `AB CD len … sum16`
//! that travel both ways over the meter's USB link, the measurement request, the measurement
//! reply decoded into a reading, and `encode`, the reply a simulated meter sends.
//!
//! Pure: bytes in, frames and readings out; no I/O, no clock. From the facts in protocols.md
//! §11 (gathered from third-party descriptions; libsigrok has no driver). The bytes usually
//! arrive through a CP2110 USB-HID bridge (`transport::hid`), but nothing here knows that.
//! Never reads the digits of an OL display.

use super::{
    Decoder, MeterReading, Mode, PacketError, Unit, ascii_number, flags_shown, pick_range, scale,
};

/// The two bytes every frame starts with (protocols.md §11).
pub const HEADER: [u8; 2] = [0xAB, 0xCD];

/// Command byte: "send one measurement" (protocols.md §11).
pub const CMD_MEASURE: u8 = 0x5E;

/// The whole request for one measurement: `AB CD 03 5E 01 D9` (protocols.md §11).
pub const REQUEST_MEASUREMENT: [u8; 6] = [0xAB, 0xCD, 0x03, CMD_MEASURE, 0x01, 0xD9];

/// Payload bytes of a measurement reply (protocols.md §11: mode, range, 7 display
/// characters, 2 bargraph bytes, 3 flag bytes).
pub const MEASUREMENT_LEN: usize = 14;

/// Smallest `len` byte: one command or payload byte plus the 2 checksum bytes. A smaller one
/// cannot start a frame, so it is noise.
const MIN_LEN: u8 = 3;

/// Bytes of a frame besides its `len` counted bytes: the header and the `len` byte.
const FRAME_OVERHEAD: usize = 3;

/// `len` of a measurement reply: its payload and the 2 checksum bytes. The host reads no
/// longer frame, so a `len` above it is noise (or a frame of no use, such as the name): taking
/// it for a frame would swallow up to 255 bytes of good replies behind a stray header.
pub const MEASUREMENT_FRAME_LEN: u8 = MEASUREMENT_LEN as u8 + 2;

/// `len` of a request: one command byte and the checksum.
pub const REQUEST_FRAME_LEN: u8 = MIN_LEN;

/// The 16-bit sum of `bytes` (protocols.md §11: every byte from `AB` through the last
/// payload byte, sent big-endian after them).
pub fn checksum(bytes: &[u8]) -> u16 {
    bytes
        .iter()
        .fold(0u16, |sum, &b| sum.wrapping_add(u16::from(b)))
}

/// One whole frame around `payload`: header, `len`, payload, checksum. `None` when the
/// payload does not fit one `len` byte (more than 253 bytes).
pub fn frame(payload: &[u8]) -> Option<Vec<u8>> {
    let len = u8::try_from(payload.len() + 2).ok()?;
    let mut out = Vec::with_capacity(payload.len() + 5);
    out.extend_from_slice(&HEADER);
    out.push(len);
    out.extend_from_slice(payload);
    out.extend_from_slice(&checksum(&out).to_be_bytes());
    Some(out)
}

/// Finds frames in a byte stream that arrives in pieces: a buffer of at most one frame, a
/// frame checked by its checksum, and a resync one byte further on after a bad one, so a
/// header inside a corrupted frame is still found.
#[derive(Debug, Clone)]
pub struct FrameReader {
    max_len: u8,
    buf: Vec<u8>,
    bad_checksums: u64,
    skipped: u64,
}

impl FrameReader {
    /// A reader of frames whose `len` byte is at most `max_len` (longer ones are noise).
    pub fn new(max_len: u8) -> Self {
        FrameReader {
            max_len,
            buf: Vec::with_capacity(FRAME_OVERHEAD + usize::from(max_len)),
            bad_checksums: 0,
            skipped: 0,
        }
    }

    /// The most bytes the reader ever buffers: one whole frame of the longest `len`.
    pub fn capacity(&self) -> usize {
        FRAME_OVERHEAD + usize::from(self.max_len)
    }

    /// Frames whose checksum did not match, so far.
    pub fn bad_checksums(&self) -> u64 {
        self.bad_checksums
    }

    /// Bytes dropped while looking for a header, so far.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Feeds bytes as they arrive; returns the payload of every complete, valid frame.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for &b in bytes {
            self.buf.push(b);
            self.settle(&mut out);
        }
        out
    }

    /// Drops what cannot start a frame and takes every frame the buffer completes.
    fn settle(&mut self, out: &mut Vec<Vec<u8>>) {
        loop {
            // Keep the buffer on a header (or on a lone first header byte at its end).
            let start = self
                .buf
                .windows(2)
                .position(|w| w == HEADER)
                .unwrap_or_else(|| self.buf.len() - usize::from(self.buf.last() == Some(&0xAB)));
            if start > 0 {
                self.skipped += start as u64;
                self.buf.drain(..start);
            }
            if self.buf.len() < FRAME_OVERHEAD {
                return;
            }
            let len = self.buf[2];
            if !(MIN_LEN..=self.max_len).contains(&len) {
                self.drop_first();
                continue;
            }
            let total = FRAME_OVERHEAD + usize::from(len);
            if self.buf.len() < total {
                return;
            }
            let body = total - 2;
            let sent = u16::from_be_bytes([self.buf[body], self.buf[body + 1]]);
            if checksum(&self.buf[..body]) == sent {
                out.push(self.buf[FRAME_OVERHEAD..body].to_vec());
                self.buf.drain(..total);
            } else {
                self.bad_checksums += 1;
                self.drop_first();
            }
        }
    }

    fn drop_first(&mut self) {
        self.skipped += 1;
        self.buf.remove(0);
    }
}

/// A streaming decoder for the meter's replies: every measurement frame becomes a reading;
/// other frames (the name, acknowledgements) and measurement payloads that make no sense are
/// passed over.
#[derive(Debug, Clone)]
pub struct Ut61ePlusDecoder {
    frames: FrameReader,
    rejected: u64,
}

impl Ut61ePlusDecoder {
    /// Frames seen so far that failed their checksum.
    pub fn bad_checksums(&self) -> u64 {
        self.frames.bad_checksums()
    }

    /// Measurement frames with a valid checksum but an impossible payload, so far.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }
}

/// A streaming decoder for UT61E+ replies.
pub fn decoder() -> Ut61ePlusDecoder {
    Ut61ePlusDecoder {
        frames: FrameReader::new(MEASUREMENT_FRAME_LEN),
        rejected: 0,
    }
}

impl Decoder for Ut61ePlusDecoder {
    fn push(&mut self, bytes: &[u8]) -> Vec<MeterReading> {
        let mut out = Vec::new();
        for payload in self.frames.push(bytes) {
            if payload.len() != MEASUREMENT_LEN {
                continue;
            }
            match decode_measurement(&payload) {
                Ok(r) => out.push(r),
                Err(_) => self.rejected += 1,
            }
        }
        out
    }
}

/// What a mode code shows, and how its display turns into base units.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scaling {
    /// The display is in base units times 10^exp.
    Prefix(i32),
    /// Ω by range: `'0'` Ω, `'1'`–`'3'` kΩ, `'4'`–`'6'` MΩ (protocols.md §11).
    OhmsByRange,
    /// protocols.md gives no prefix for this mode's ranges: the value is not known.
    Unscaled,
}

/// One row of the mode table (protocols.md §11).
struct ModeCode {
    code: u8,
    mode: Mode,
    unit: Unit,
    ac: bool,
    scaling: Scaling,
}

const fn row(code: u8, mode: Mode, unit: Unit, ac: bool, scaling: Scaling) -> ModeCode {
    ModeCode {
        code,
        mode,
        unit,
        ac,
        scaling,
    }
}

/// The mode byte (protocols.md §11). Frequency and capacitance ranges carry prefixes the
/// facts do not give, so their values stay unknown (`UNSCALED`); LPF and AC/DC are named
/// there without a unit, so they are `Other`. LoZ V is a voltage, AC unless the DC flag says
/// otherwise.
const MODES: &[ModeCode] = &[
    row(0, Mode::VoltageAc, Unit::Volt, true, Scaling::Prefix(0)),
    row(1, Mode::VoltageAc, Unit::Volt, true, Scaling::Prefix(-3)),
    row(2, Mode::VoltageDc, Unit::Volt, false, Scaling::Prefix(0)),
    row(3, Mode::VoltageDc, Unit::Volt, false, Scaling::Prefix(-3)),
    row(4, Mode::Frequency, Unit::Hertz, false, Scaling::Unscaled),
    row(5, Mode::DutyCycle, Unit::Percent, false, Scaling::Prefix(0)),
    row(6, Mode::Resistance, Unit::Ohm, false, Scaling::OhmsByRange),
    row(7, Mode::Continuity, Unit::Ohm, false, Scaling::OhmsByRange),
    row(8, Mode::Diode, Unit::Volt, false, Scaling::Prefix(0)),
    row(9, Mode::Capacitance, Unit::Farad, false, Scaling::Unscaled),
    row(
        10,
        Mode::Temperature,
        Unit::Celsius,
        false,
        Scaling::Prefix(0),
    ),
    row(
        11,
        Mode::Temperature,
        Unit::Fahrenheit,
        false,
        Scaling::Prefix(0),
    ),
    row(
        12,
        Mode::CurrentDc,
        Unit::Ampere,
        false,
        Scaling::Prefix(-6),
    ),
    row(13, Mode::CurrentAc, Unit::Ampere, true, Scaling::Prefix(-6)),
    row(
        14,
        Mode::CurrentDc,
        Unit::Ampere,
        false,
        Scaling::Prefix(-3),
    ),
    row(15, Mode::CurrentAc, Unit::Ampere, true, Scaling::Prefix(-3)),
    row(16, Mode::CurrentDc, Unit::Ampere, false, Scaling::Prefix(0)),
    row(17, Mode::CurrentAc, Unit::Ampere, true, Scaling::Prefix(0)),
    row(18, Mode::Other, Unit::None, false, Scaling::Prefix(0)),
    row(20, Mode::Other, Unit::None, false, Scaling::Unscaled),
    row(21, Mode::VoltageAc, Unit::Volt, true, Scaling::Prefix(0)),
    row(24, Mode::Other, Unit::None, false, Scaling::Unscaled),
    row(25, Mode::Other, Unit::None, false, Scaling::Unscaled),
];

/// Mode code of LoZ V, whose AC or DC comes from the DC flag.
const MODE_LOZ: u8 = 21;

/// Payload offsets (protocols.md §11).
const AT_MODE: usize = 0;
const AT_RANGE: usize = 1;
const DISPLAY: std::ops::Range<usize> = 2..9;
const AT_FLAGS1: usize = 11;
const AT_FLAGS2: usize = 12;
const AT_FLAGS3: usize = 13;

/// Highest Ω range code (`'6'`, the MΩ ranges end there).
const OHM_RANGES: u8 = 6;

/// What the 7 display characters say.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shown {
    /// OL, with or without a sign.
    Overload,
    /// A number: its digits as one count, how many of them are decimals, and the sign.
    Number {
        count: u64,
        decimals: i32,
        negative: bool,
    },
    /// Anything else (NCV bars, a display between ranges).
    Text,
}

/// Reads the display: spaces are padding; `" OL."`, `"OL"`, `".OL"`, `"O.L"` (each with an
/// optional `-`) are OL; otherwise an optional `-`, digits and at most one `.`.
fn read_display(text: &[u8]) -> Shown {
    let kept: Vec<u8> = text.iter().copied().filter(|&b| b != b' ').collect();
    let letters: Vec<u8> = kept
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'.' | b'-'))
        .collect();
    if letters.eq_ignore_ascii_case(b"OL") {
        return Shown::Overload;
    }
    let (negative, body) = match kept.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, &kept[..]),
    };
    let dots = body.iter().filter(|&&b| b == b'.').count();
    let digits: Vec<u8> = body.iter().copied().filter(|&b| b != b'.').collect();
    if dots > 1 || digits.is_empty() || digits.len() > 15 {
        return Shown::Text;
    }
    let Some(count) = ascii_number(&digits) else {
        return Shown::Text;
    };
    let decimals = body
        .iter()
        .position(|&b| b == b'.')
        .map_or(0, |p| body.len() - p - 1);
    Shown::Number {
        count,
        decimals: decimals as i32,
        negative,
    }
}

fn bit(b: u8, n: u8) -> bool {
    b & (1 << n) != 0
}

/// Decodes one measurement payload (the 14 bytes between `len` and the checksum): the mode
/// and range, the display's exponent, its value, its flags.
pub fn decode_measurement(p: &[u8]) -> Result<MeterReading, PacketError> {
    let (row, range) = check_payload(p)?;
    let dc = bit(p[AT_FLAGS3], 3);
    let (mode, ac) = if row.code == MODE_LOZ && dc {
        (Mode::VoltageDc, false)
    } else {
        (row.mode, row.ac)
    };
    let exp = exponent(row, range, p[AT_RANGE])?;
    let shown = read_display(&p[DISPLAY]);
    let overload = shown == Shown::Overload;
    let value = display_value(shown, exp, row.mode, p)?;
    let (f1, f2, f3) = (p[AT_FLAGS1], p[AT_FLAGS2], p[AT_FLAGS3]);
    let flags = flags_shown(&[
        (dc, "DC"),
        (ac, "AC"),
        (!bit(f2, 2), "AUTO"),
        (bit(f1, 1), "HOLD"),
        (bit(f1, 0), "REL"),
        (bit(f1, 3), "MAX"),
        (bit(f1, 2), "MIN"),
        (bit(f3, 2), "PMAX"),
        (bit(f3, 1), "PMIN"),
        (bit(f2, 1), "BATT"),
        (bit(f2, 0), "HV"),
        (exp.is_none() && !overload, "UNSCALED"),
    ]);
    Ok(MeterReading {
        value,
        unit: row.unit,
        mode,
        overload,
        flags,
    })
}

/// Checks the payload's length, mode, range, display characters and flag bytes; returns the
/// mode's row and the range number.
fn check_payload(p: &[u8]) -> Result<(&'static ModeCode, u8), PacketError> {
    if p.len() != MEASUREMENT_LEN {
        return Err(PacketError::Length {
            got: p.len(),
            expected: MEASUREMENT_LEN,
        });
    }
    let code = p[AT_MODE];
    let row = MODES
        .iter()
        .find(|m| m.code == code)
        .ok_or(PacketError::Byte {
            index: AT_MODE,
            value: code,
            expected: "unknown mode code (protocols.md §11 lists 0-18, 20, 21, 24, 25)",
        })?;
    let range = p[AT_RANGE];
    if !range.is_ascii_digit() {
        return Err(PacketError::Byte {
            index: AT_RANGE,
            value: range,
            expected: "range must be '0'-'9'",
        });
    }
    if let Some(i) = DISPLAY.clone().find(|&i| !(0x20..0x7F).contains(&p[i])) {
        return Err(PacketError::Byte {
            index: i,
            value: p[i],
            expected: "display characters must be printable ASCII",
        });
    }
    for index in [AT_FLAGS1, AT_FLAGS2, AT_FLAGS3] {
        if p[index] & 0xF0 != 0x30 {
            return Err(PacketError::Byte {
                index,
                value: p[index],
                expected: "flag bytes must be 0x30-0x3f",
            });
        }
    }
    Ok((row, range - b'0'))
}

/// The power of ten the display's number is multiplied by; `None` where the facts give no
/// prefix for the mode.
fn exponent(row: &ModeCode, range: u8, range_byte: u8) -> Result<Option<i32>, PacketError> {
    Ok(match row.scaling {
        Scaling::Prefix(e) => Some(e),
        Scaling::OhmsByRange => Some(match range {
            0 => 0,
            1..=3 => 3,
            r if r <= OHM_RANGES => 6,
            _ => {
                return Err(PacketError::Byte {
                    index: AT_RANGE,
                    value: range_byte,
                    expected: "Ω ranges are '0'-'6'",
                });
            }
        }),
        Scaling::Unscaled => None,
    })
}

/// The reading's value in base units: the display's number scaled, or nothing (OL, unscaled,
/// or a display of no number in a mode that shows none).
fn display_value(
    shown: Shown,
    exp: Option<i32>,
    mode: Mode,
    p: &[u8],
) -> Result<Option<f64>, PacketError> {
    match (shown, exp) {
        (
            Shown::Number {
                count,
                decimals,
                negative,
            },
            Some(exp),
        ) => {
            let v = scale(count, exp - decimals);
            Ok(Some(if negative { -v } else { v }))
        }
        // A measuring mode must show a number or OL; anything else is no reading at all
        // (never OL: a resistance sweep would take it for an open crossing).
        (Shown::Text, Some(_)) if mode != Mode::Other => Err(PacketError::Byte {
            index: DISPLAY.start,
            value: p[DISPLAY.start],
            expected: "the display must show a number or OL in this mode",
        }),
        _ => Ok(None),
    }
}

/// Range exponents of the 22000-count resistance ranges, in Ω: 220.00 Ω, 2.2000 / 22.000 /
/// 220.00 kΩ, 2.2000 / 22.000 / 220.00 MΩ (range codes '0'-'6', protocols.md §11).
const EXP_OHM: &[i32] = &[-2, -1, 0, 1, 2, 3, 4];
/// Volts: 2.2000, 22.000, 220.00, 1000.0 V.
const EXP_VOLT: &[i32] = &[-4, -3, -2, -1];
/// Largest count of the 22000-count display.
const MAX_COUNT: u64 = 21_999;

/// The 7 display characters for `count` with `decimals` decimals, right-aligned.
fn display_text(count: u64, decimals: i32, negative: bool) -> Vec<u8> {
    let digits = format!("{count:0width$}", width = decimals as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - decimals as usize);
    let mut text = String::new();
    if negative {
        text.push('-');
    }
    text.push_str(int);
    if decimals > 0 {
        text.push('.');
        text.push_str(frac);
    }
    format!("{text:>7}").into_bytes()
}

/// Encodes a reading as the whole reply frame a UT61E+ sends to a measurement request: the
/// finest range that holds the value, the display as the meter writes it (OL past the last
/// range), the flags it knows. Frequency, capacitance and other modes without a documented
/// prefix are shown as their plain number and decode as `UNSCALED`.
pub fn encode(r: &MeterReading) -> Vec<u8> {
    let has = |f: &str| r.flags.contains(&f);
    let v = r.value.filter(|_| !r.overload);
    let magnitude = v.map_or(0.0, f64::abs);
    // (mode code, range exponents in base units, display prefix exponent for each range)
    let (code, exps, prefix): (u8, Vec<i32>, fn(usize) -> i32) = match r.mode {
        Mode::Resistance | Mode::Continuity => (
            if r.mode == Mode::Resistance { 6 } else { 7 },
            EXP_OHM.to_vec(),
            |i| match i {
                0 => 0,
                1..=3 => 3,
                _ => 6,
            },
        ),
        Mode::Diode => (8, vec![-4], |_| 0),
        Mode::VoltageDc | Mode::VoltageAc => {
            let ac = r.mode == Mode::VoltageAc;
            if v.is_some() && magnitude < 0.22 {
                (if ac { 1 } else { 3 }, vec![-5], |_| -3)
            } else {
                (if ac { 0 } else { 2 }, EXP_VOLT.to_vec(), |_| 0)
            }
        }
        Mode::CurrentDc | Mode::CurrentAc => {
            let ac = r.mode == Mode::CurrentAc;
            let base = if ac { 13 } else { 12 };
            if magnitude < 2.2e-3 {
                (base, vec![-8, -7], |_| -6)
            } else if magnitude < 0.22 {
                (base + 2, vec![-6, -5], |_| -3)
            } else {
                (base + 4, vec![-4, -3, -2], |_| 0)
            }
        }
        Mode::DutyCycle => (5, vec![-1], |_| 0),
        Mode::Temperature if r.unit == Unit::Fahrenheit => (11, vec![-1], |_| 0),
        Mode::Temperature => (10, vec![-1], |_| 0),
        Mode::Frequency => (4, vec![-2, -1, 0], |_| 0),
        Mode::Capacitance => (9, vec![-12, -11, -10], |_| 0),
        Mode::Other => (18, vec![0], |_| 0),
    };
    let fit = v.and_then(|v| pick_range(v, &exps, MAX_COUNT));
    let (range, display) = match fit {
        Some((i, count)) => {
            let decimals = prefix(i) - exps[i];
            let negative = v.is_some_and(|v| v < 0.0) && count > 0;
            // Unscaled modes show the plain number: at most the display's own decimals.
            (i, display_text(count, decimals.max(0), negative))
        }
        None => (exps.len().saturating_sub(1), b" OL.   ".to_vec()),
    };
    let bits = |shown: &[(bool, u8)]| {
        shown
            .iter()
            .filter(|(on, _)| *on)
            .fold(0x30u8, |byte, (_, mask)| byte | mask)
    };
    let f1 = bits(&[
        (has("MAX"), 0x08),
        (has("MIN"), 0x04),
        (has("HOLD"), 0x02),
        (has("REL"), 0x01),
    ]);
    let f2 = bits(&[(!has("AUTO"), 0x04), (has("BATT"), 0x02), (has("HV"), 0x01)]);
    let f3 = bits(&[(has("DC"), 0x08), (has("PMAX"), 0x04), (has("PMIN"), 0x02)]);
    let mut payload = Vec::with_capacity(MEASUREMENT_LEN);
    payload.push(code);
    payload.push(b'0' + range as u8);
    payload.extend_from_slice(&display);
    // Bargraph bytes: their meaning is not known (protocols.md §11); a meter at rest sends 0.
    payload.extend_from_slice(&[0x00, 0x00]);
    payload.extend_from_slice(&[f1, f2, f3]);
    frame(&payload).unwrap_or_default()
}

/// What a simulated meter makes of bytes the host sends: every complete request, by command.
#[derive(Debug, Clone)]
pub struct RequestReader {
    frames: FrameReader,
}

impl Default for RequestReader {
    fn default() -> Self {
        RequestReader {
            frames: FrameReader::new(REQUEST_FRAME_LEN),
        }
    }
}

impl RequestReader {
    /// Feeds bytes from the host; returns the command byte of every complete request frame.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.frames
            .push(bytes)
            .into_iter()
            .filter_map(|payload| (payload.len() == 1).then_some(payload[0]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::hex;
    use proptest::prelude::*;

    /// The mV AC example reply of protocols.md §11's sources: "  53.54" mV, range '0', manual
    /// range, sum 0x038D.
    const EXAMPLE: &str = "ab cd 10 01 30 20 20 35 33 2e 35 34 01 00 30 34 30 03 8d";

    fn ohms(v: Option<f64>) -> MeterReading {
        MeterReading {
            value: v,
            unit: Unit::Ohm,
            mode: Mode::Resistance,
            overload: v.is_none(),
            flags: vec!["AUTO"],
        }
    }

    /// A measurement payload with `display` (7 characters) in `mode`, range `range`.
    fn payload(mode: u8, range: u8, display: &str, flags: [u8; 3]) -> Vec<u8> {
        let mut p = vec![mode, range];
        p.extend_from_slice(format!("{display:>7}").as_bytes());
        p.extend_from_slice(&[0, 0]);
        p.extend_from_slice(&flags);
        p
    }

    #[test]
    fn checksums_match_the_documented_sums() {
        assert_eq!(checksum(&[0xAB, 0xCD, 0x03, 0x5E]), 0x01D9);
        assert_eq!(frame(&[CMD_MEASURE]).unwrap(), REQUEST_MEASUREMENT);
        let example = hex(EXAMPLE);
        assert_eq!(checksum(&example[..example.len() - 2]), 0x038D);
    }

    #[test]
    fn the_documented_example_decodes_to_53_54_mv_ac_manual() {
        let got = decoder().push(&hex(EXAMPLE));
        assert_eq!(got.len(), 1);
        let r = &got[0];
        assert_eq!((r.mode, r.unit), (Mode::VoltageAc, Unit::Volt));
        assert_eq!(r.value, Some(0.05354));
        assert!(!r.overload);
        // Flag byte 12 is 0x34: bit 2 is "not auto".
        assert_eq!(r.flags, vec!["AC"]);
    }

    #[test]
    fn resistance_uses_the_range_prefix_and_the_display_point() {
        let cases = [
            (b'0', "70.51", 70.51),
            (b'1', "2.2000", 2200.0),
            (b'2', "0.702", 702.0),
            (b'3', "100.45", 100_450.0),
            (b'4', "1.0001", 1_000_100.0),
            (b'6', "-0.03", -30_000.0),
        ];
        for (range, display, want) in cases {
            let r = decode_measurement(&payload(6, range, display, [0x30; 3])).unwrap();
            assert_eq!(r.value, Some(want), "{display} on range {}", range as char);
            assert_eq!(r.mode, Mode::Resistance);
            assert_eq!(r.flags, vec!["AUTO"]);
        }
        let e = decode_measurement(&payload(6, b'7', "1.000", [0x30; 3])).unwrap_err();
        assert!(e.to_string().contains("Ω ranges"), "{e}");
    }

    #[test]
    fn every_ol_text_is_overload_and_its_digits_are_never_read() {
        for text in [" OL.", "OL", ".OL", "O.L", "-OL", " -O.L", "ol"] {
            let r = decode_measurement(&payload(6, b'6', text, [0x30; 3])).unwrap();
            assert!(r.overload, "{text:?}");
            assert_eq!(r.value, None, "{text:?}");
            assert_eq!(r.as_resistance(), Some(crate::model::Reading::Open));
        }
    }

    #[test]
    fn a_display_that_is_neither_number_nor_ol_is_no_reading_in_ohms() {
        // Never OL: a sweep would record an open crossing that was never measured.
        for text in ["-----", "1.2.3", " ", "12a4"] {
            assert!(
                decode_measurement(&payload(6, b'0', text, [0x30; 3])).is_err(),
                "{text:?}"
            );
        }
        // NCV shows bars, not a number: no value, no error.
        let r = decode_measurement(&payload(20, b'0', "  ---", [0x30; 3])).unwrap();
        assert_eq!((r.mode, r.value, r.overload), (Mode::Other, None, false));
    }

    #[test]
    fn modes_units_and_flags() {
        let r = decode_measurement(&payload(7, b'0', "0.4", [0x30; 3])).unwrap();
        assert_eq!((r.mode, r.value), (Mode::Continuity, Some(0.4)));
        let r = decode_measurement(&payload(8, b'0', "0.6290", [0x30; 3])).unwrap();
        assert_eq!(
            (r.mode, r.unit, r.value),
            (Mode::Diode, Unit::Volt, Some(0.629))
        );
        let r = decode_measurement(&payload(2, b'1', "12.345", [0x30, 0x30, 0x38])).unwrap();
        assert_eq!((r.mode, r.value), (Mode::VoltageDc, Some(12.345)));
        assert_eq!(r.flags, vec!["DC", "AUTO"]);
        let r = decode_measurement(&payload(14, b'0', "-1.000", [0x3F, 0x33, 0x36])).unwrap();
        assert_eq!(
            (r.mode, r.unit, r.value),
            (Mode::CurrentDc, Unit::Ampere, Some(-0.001))
        );
        assert_eq!(
            r.flags,
            vec![
                "AUTO", "HOLD", "REL", "MAX", "MIN", "PMAX", "PMIN", "BATT", "HV"
            ]
        );
        let r = decode_measurement(&payload(21, b'0', "230.1", [0x30, 0x30, 0x38])).unwrap();
        assert_eq!((r.mode, r.value), (Mode::VoltageDc, Some(230.1)));
        let r = decode_measurement(&payload(4, b'2', "50.00", [0x30; 3])).unwrap();
        assert_eq!((r.mode, r.value), (Mode::Frequency, None));
        assert!(r.flags.contains(&"UNSCALED"));
        let e = decode_measurement(&payload(19, b'0', "1", [0x30; 3])).unwrap_err();
        assert!(e.to_string().contains("unknown mode code"), "{e}");
        let e = decode_measurement(&payload(6, b'0', "1", [0x30, 0x40, 0x30])).unwrap_err();
        assert!(e.to_string().starts_with("byte 12 is 0x40"), "{e}");
    }

    #[test]
    fn encode_round_trips_what_a_sweep_needs() {
        let cases = [
            ohms(Some(702.5)),
            ohms(Some(0.0)),
            ohms(Some(12.0)),
            ohms(Some(1500.0)),
            ohms(Some(2.2e6)),
            ohms(None),
            MeterReading {
                mode: Mode::Continuity,
                flags: vec![],
                ..ohms(Some(12.5))
            },
            MeterReading {
                mode: Mode::Diode,
                unit: Unit::Volt,
                flags: vec![],
                ..ohms(Some(0.62))
            },
            MeterReading {
                mode: Mode::VoltageDc,
                unit: Unit::Volt,
                flags: vec!["DC", "AUTO"],
                ..ohms(Some(12.0))
            },
            MeterReading {
                mode: Mode::VoltageAc,
                unit: Unit::Volt,
                flags: vec!["AC", "AUTO"],
                ..ohms(Some(0.05354))
            },
        ];
        for want in cases {
            let bytes = encode(&want);
            assert_eq!(decoder().push(&bytes), vec![want.clone()], "{bytes:02x?}");
        }
    }

    #[test]
    fn frames_split_anywhere_and_wrapped_in_noise_still_decode() {
        let reply = encode(&ohms(Some(702.5)));
        let mut stream = vec![0x00, 0xAB, 0x13, 0xAB, 0xAB, 0xCD, 0x01, 0xFF];
        stream.extend_from_slice(&reply[..7]); // cut short
        stream.extend_from_slice(&reply);
        stream.extend_from_slice(&REQUEST_MEASUREMENT); // not a measurement: passed over
        stream.extend_from_slice(&reply);
        for chunk in 1..=stream.len() {
            let mut d = decoder();
            let got: Vec<_> = stream.chunks(chunk).flat_map(|c| d.push(c)).collect();
            assert_eq!(got, vec![ohms(Some(702.5)); 2], "chunks of {chunk}");
        }
    }

    #[test]
    fn a_bad_checksum_drops_the_frame_and_the_next_one_is_found() {
        let good = encode(&ohms(Some(702.5)));
        let mut bad = good.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0x01;
        let mut corrupted_inside = good.clone();
        corrupted_inside[6] = b'9';
        let mut d = decoder();
        let mut stream = bad;
        stream.extend_from_slice(&corrupted_inside);
        stream.extend_from_slice(&good);
        assert_eq!(d.push(&stream), vec![ohms(Some(702.5))]);
        assert_eq!(d.bad_checksums(), 2);
    }

    #[test]
    fn requests_are_read_by_command() {
        let mut r = RequestReader::default();
        let mut bytes = vec![0x55];
        bytes.extend_from_slice(&REQUEST_MEASUREMENT);
        bytes.extend_from_slice(&frame(&[0x4A]).unwrap());
        assert_eq!(r.push(&bytes[..4]), Vec::<u8>::new());
        assert_eq!(r.push(&bytes[4..]), vec![CMD_MEASURE, 0x4A]);
    }

    proptest! {
        #[test]
        fn no_byte_stream_panics_and_the_buffer_stays_bounded(
            chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..20)
        ) {
            let mut d = decoder();
            for c in &chunks {
                let _ = d.push(c);
                prop_assert!(d.frames.buf.len() <= d.frames.capacity());
            }
        }

        #[test]
        fn a_valid_frame_after_any_garbage_is_found(
            garbage in prop::collection::vec(any::<u8>(), 0..300),
            ohms_x100 in 0u64..2_000_000,
            cut in 1usize..40,
        ) {
            let want = ohms(Some(scale(ohms_x100, -2)));
            let frame = encode(&want);
            let mut stream = garbage;
            // Twice: garbage may end in a frame's beginning that swallows the first copy.
            stream.extend_from_slice(&frame);
            stream.extend_from_slice(&frame);
            let mut d = decoder();
            let got: Vec<_> = stream.chunks(cut).flat_map(|c| d.push(c)).collect();
            let last = got.last().cloned();
            prop_assert_eq!(last.and_then(|r| r.value).map(|v| (v * 100.0).round()),
                Some(encode_value_x100(&frame)));
        }

        #[test]
        fn no_payload_panics_the_measurement_decoder(p in prop::collection::vec(any::<u8>(), 0..20)) {
            let _ = decode_measurement(&p);
        }
    }

    /// The value a reply frame carries, ×100, rounded (what the display shows).
    fn encode_value_x100(frame: &[u8]) -> f64 {
        let r = decode_measurement(&frame[3..frame.len() - 2]).unwrap();
        (r.value.unwrap() * 100.0).round()
    }
}
