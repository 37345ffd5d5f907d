//! Fortune FS9721_LP3 / FS9721B 14-byte LCD-segment packets (Voltcraft VC-820/840, TekPower
//! TP4000ZC, V&A VA18B, UNI-T UT60A/E, Tenma 72-7745 …): decode and encode.
//!
//! Pure: no I/O, no clock. From protocols.md §3. Each byte's high nibble is its position + 1,
//! which makes resynchronisation after noise immediate. Never reads the digits of OL.

use super::{Framer, MeterReading, Mode, PacketError, PacketFormat, UnitFlags, flags_shown, scale};

/// Packet length.
pub const LEN: usize = 14;

/// 7-segment codes of the digits 0–9 (protocols.md §3).
const SEGMENTS: [u8; 10] = [0x7D, 0x05, 0x5B, 0x1F, 0x27, 0x3E, 0x7E, 0x15, 0x7F, 0x3F];
const BLANK: u8 = 0x00;
const LETTER_L: u8 = 0x68;
/// " 0L " on the display.
const OL_CODES: [u8; 4] = [BLANK, 0x7D, LETTER_L, BLANK];
/// Largest count of the 4000-count display.
const MAX_COUNT: u64 = 3_999;

/// The FS9721 packet format, for `Framer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fs9721;

/// A streaming decoder for FS9721 byte streams.
pub fn decoder() -> Framer<Fs9721> {
    Framer::new(Fs9721)
}

impl PacketFormat for Fs9721 {
    fn packet_len(&self) -> usize {
        LEN
    }
    fn seven_bit(&self) -> bool {
        false
    }
    fn decode(&self, packet: &[u8]) -> Result<MeterReading, PacketError> {
        decode_packet(packet)
    }
}

fn lo(p: &[u8], i: usize) -> u8 {
    p[i] & 0x0F
}

/// Decodes one 14-byte packet.
pub fn decode_packet(p: &[u8]) -> Result<MeterReading, PacketError> {
    if p.len() != LEN {
        return Err(PacketError::Length {
            got: p.len(),
            expected: LEN,
        });
    }
    for (i, &value) in p.iter().enumerate() {
        if usize::from(value >> 4) != i + 1 {
            return Err(PacketError::Byte {
                index: i,
                value,
                expected: "high nibble must be the byte's position + 1",
            });
        }
    }
    let b0 = lo(p, 0);
    if b0 & 0x01 == 0 {
        return Err(PacketError::Byte {
            index: 0,
            value: p[0],
            expected: "RS232 flag (bit 0) must be set",
        });
    }
    let (ac, dc, auto) = (b0 & 0x08 != 0, b0 & 0x04 != 0, b0 & 0x02 != 0);
    if ac && dc {
        return Err(PacketError::Flags("AC and DC both set"));
    }
    let (b9, b10, b11, b12) = (lo(p, 9), lo(p, 10), lo(p, 11), lo(p, 12));
    let micro = b9 & 0x08 != 0;
    let nano = b9 & 0x04 != 0;
    let kilo = b9 & 0x02 != 0;
    let diode = b9 & 0x01 != 0;
    let milli = b10 & 0x08 != 0;
    let percent = b10 & 0x04 != 0;
    let mega = b10 & 0x02 != 0;
    let beep = b10 & 0x01 != 0;
    let farad = b11 & 0x08 != 0;
    let ohm = b11 & 0x04 != 0;
    let rel = b11 & 0x02 != 0;
    let hold = b11 & 0x01 != 0;
    let amp = b12 & 0x08 != 0;
    let volt = b12 & 0x04 != 0;
    let hertz = b12 & 0x02 != 0;
    let batt = b12 & 0x01 != 0;
    let prefixes = [(micro, -6), (nano, -9), (kilo, 3), (milli, -3), (mega, 6)];
    if prefixes.iter().filter(|(on, _)| *on).count() > 1 {
        return Err(PacketError::Flags("more than one multiplier"));
    }
    if [farad, ohm, amp, volt, hertz, percent]
        .iter()
        .filter(|on| **on)
        .count()
        > 1
    {
        return Err(PacketError::Flags("more than one unit"));
    }
    let prefix_exp = prefixes.iter().find(|(on, _)| *on).map_or(0, |(_, e)| *e);

    let (mode, unit) = UnitFlags {
        diode,
        ohm,
        beep,
        volt,
        amp,
        farad,
        hertz,
        percent,
        ac,
        ..UnitFlags::default()
    }
    .mode_unit();

    let mut codes = [0u8; 4];
    let mut negative = false;
    let mut decimals = 0i32;
    for (k, code) in codes.iter_mut().enumerate() {
        let hi = lo(p, 1 + 2 * k);
        *code = ((hi & 0x07) << 4) | lo(p, 2 + 2 * k);
        if hi & 0x08 != 0 {
            if k == 0 {
                negative = true;
            } else {
                // A decimal point before digit k: byte 3 → ÷1000, byte 5 → ÷100, byte 7 → ÷10.
                decimals = 4 - k as i32;
            }
        }
    }
    let overload = codes == OL_CODES;
    let value = if overload {
        None
    } else {
        let mut count = 0u64;
        for (k, &code) in codes.iter().enumerate() {
            let digit = if code == BLANK {
                0
            } else {
                SEGMENTS
                    .iter()
                    .position(|&s| s == code)
                    .ok_or(PacketError::Byte {
                        index: 2 + 2 * k,
                        value: p[2 + 2 * k],
                        expected: "not a digit segment code",
                    })? as u64
            };
            count = count * 10 + digit;
        }
        let v = scale(count, prefix_exp - decimals);
        Some(if negative { -v } else { v })
    };
    let flags = flags_shown(&[
        (dc, "DC"),
        (ac, "AC"),
        (auto, "AUTO"),
        (hold, "HOLD"),
        (rel, "REL"),
        (batt, "BATT"),
    ]);
    Ok(MeterReading {
        value,
        unit,
        mode,
        overload,
        flags,
    })
}

/// Multiplier exponents the display offers for a mode, coarsest last.
fn prefixes_for(mode: Mode) -> &'static [i32] {
    match mode {
        Mode::Resistance | Mode::Continuity | Mode::Frequency => &[0, 3, 6],
        Mode::Diode => &[0],
        Mode::VoltageDc | Mode::VoltageAc => &[-3, 0],
        Mode::CurrentDc | Mode::CurrentAc => &[-6, -3, 0],
        Mode::Capacitance => &[-9, -6],
        Mode::DutyCycle | Mode::Temperature | Mode::Other => &[0],
    }
}

/// Encodes a reading as one valid 14-byte FS9721 packet, as a VC-820 would send it: the
/// finest multiplier and decimal point that show the value in 4000 counts; OL when nothing
/// fits. Keeps AUTO, HOLD, REL, BATT, DC and AC.
pub fn encode(r: &MeterReading) -> Vec<u8> {
    let has = |f: &str| r.flags.contains(&f);
    let mut lows = [0u8; LEN];
    lows[0] = 0x01; // RS232
    let ac = has("AC") || matches!(r.mode, Mode::VoltageAc | Mode::CurrentAc);
    if ac {
        lows[0] |= 0x08;
    } else if has("DC") {
        lows[0] |= 0x04;
    }
    if has("AUTO") {
        lows[0] |= 0x02;
    }
    // Choose (multiplier, decimals): finest resolution first.
    let mut fit = None;
    if !r.overload
        && let Some(v) = r.value
    {
        let mut options: Vec<(i32, i32)> = prefixes_for(r.mode)
            .iter()
            .flat_map(|&p| (0..=3).map(move |d| (p, d)))
            .collect();
        options.sort_by_key(|&(p, d)| p - d);
        fit = options.into_iter().find_map(|(p, d)| {
            super::count_for(v, p - d)
                .filter(|&c| c <= MAX_COUNT)
                .map(|c| (p, d, c))
        });
    }
    let (prefix, codes, decimals, negative) = match fit {
        Some((p, d, c)) => {
            let mut codes = [0u8; 4];
            let mut rest = c;
            for k in (0..4).rev() {
                codes[k] = SEGMENTS[(rest % 10) as usize];
                rest /= 10;
            }
            (p, codes, d, r.value.is_some_and(|v| v < 0.0) && c > 0)
        }
        None => {
            let p = *prefixes_for(r.mode).last().unwrap_or(&0);
            (p, OL_CODES, 1, false)
        }
    };
    for (k, code) in codes.iter().enumerate() {
        lows[1 + 2 * k] = code >> 4;
        lows[2 + 2 * k] = code & 0x0F;
    }
    if negative {
        lows[1] |= 0x08;
    }
    if (1..=3).contains(&decimals) {
        // decimals 3 → byte 3, 2 → byte 5, 1 → byte 7.
        lows[1 + 2 * (4 - decimals as usize)] |= 0x08;
    }
    match prefix {
        -9 => lows[9] |= 0x04,
        -6 => lows[9] |= 0x08,
        -3 => lows[10] |= 0x08,
        3 => lows[9] |= 0x02,
        6 => lows[10] |= 0x02,
        _ => {}
    }
    match r.mode {
        Mode::Resistance => lows[11] |= 0x04,
        Mode::Continuity => {
            lows[11] |= 0x04;
            lows[10] |= 0x01;
        }
        Mode::Diode => {
            lows[9] |= 0x01;
            lows[12] |= 0x04;
        }
        Mode::VoltageDc | Mode::VoltageAc => lows[12] |= 0x04,
        Mode::CurrentDc | Mode::CurrentAc => lows[12] |= 0x08,
        Mode::Capacitance => lows[11] |= 0x08,
        Mode::Frequency => lows[12] |= 0x02,
        Mode::DutyCycle => lows[10] |= 0x04,
        Mode::Temperature | Mode::Other => {}
    }
    if has("REL") {
        lows[11] |= 0x02;
    }
    if has("HOLD") {
        lows[11] |= 0x01;
    }
    if has("BATT") {
        lows[12] |= 0x01;
    }
    lows[13] = 0x08; // user symbols as a VC-820 sends them
    lows.iter()
        .enumerate()
        .map(|(i, &l)| (((i + 1) as u8) << 4) | l)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::Unit;
    use crate::acquire::meter::hex;

    #[test]
    fn decodes_100_4_ohms_from_protocols_md() {
        let r = decode_packet(&hex("13 20 35 47 5d 67 7d 8a 97 a0 b0 c4 d0 e8")).unwrap();
        assert_eq!(r.value, Some(100.4));
        assert_eq!(r.mode, Mode::Resistance);
        assert_eq!(r.flags, vec!["AUTO"]);
    }

    #[test]
    fn decodes_volts_and_hertz() {
        let v = decode_packet(&hex("17 27 3d 42 57 6b 7f 83 9f a0 b0 c0 d4 e8")).unwrap();
        assert_eq!((v.mode, v.value), (Mode::VoltageDc, Some(4.99)));
        let f = decode_packet(&hex("11 27 3d 43 5f 63 7f 8b 9f a0 b0 c0 d2 e8")).unwrap();
        assert_eq!((f.mode, f.value), (Mode::Frequency, Some(99.9)));
    }

    #[test]
    fn ol_is_recognised_from_the_segments() {
        let r = MeterReading {
            value: None,
            unit: Unit::Ohm,
            mode: Mode::Resistance,
            overload: true,
            flags: vec!["AUTO"],
        };
        let p = encode(&r);
        assert_eq!(decode_packet(&p).unwrap(), r);
    }

    #[test]
    fn two_units_at_once_are_rejected() {
        let mut p = hex("13 20 35 47 5d 67 7d 8a 97 a0 b0 c4 d0 e8");
        p[12] = 0xD4; // V as well as Ω
        assert!(decode_packet(&p).is_err());
    }
}
