//! Fortune FS9922-DMM3/DMM4 14-byte packets (UNI-T UT61B/C/D, Victor 70C/86C on a serial
//! cable, Voltcraft VC-830, GW Instek GDM-397): decode and encode.
//!
//! Pure: no I/O, no clock. From protocols.md §4. No captures exist, so the tests here are
//! built from the documented layout. Never reads the digits of OL (`"?0:?"`).

use super::{
    Framer, MeterReading, Mode, PacketError, PacketFormat, Unit, UnitFlags, ascii_digits,
    ascii_number, count_for, flags_shown, scale,
};

/// Packet length.
pub const LEN: usize = 14;
/// The digits an OL packet carries (the LCD shows "0.L").
const OL_DIGITS: &[u8; 4] = b"?0:?";
/// Largest count of the 6000-count display.
const MAX_COUNT: u64 = 5_999;

/// The FS9922 packet format, for `Framer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fs9922;

/// A streaming decoder for FS9922 byte streams.
pub fn decoder() -> Framer<Fs9922> {
    Framer::new(Fs9922)
}

impl PacketFormat for Fs9922 {
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

fn bit(b: u8, n: u8) -> bool {
    b & (1 << n) != 0
}

/// Decodes one 14-byte packet.
pub fn decode_packet(p: &[u8]) -> Result<MeterReading, PacketError> {
    if p.len() != LEN {
        return Err(PacketError::Length {
            got: p.len(),
            expected: LEN,
        });
    }
    let fixed = [
        (0, p[0] == b'+' || p[0] == b'-', "expected '+' or '-'"),
        (5, p[5] == b' ', "expected ' '"),
        (12, p[12] == b'\r', "expected '\\r'"),
        (13, p[13] == b'\n', "expected '\\n'"),
    ];
    if let Some((index, _, expected)) = fixed.iter().find(|(_, ok, _)| !ok) {
        return Err(PacketError::Byte {
            index: *index,
            value: p[*index],
            expected,
        });
    }
    // protocols.md §4: '0' none, '1' ÷1000, '2' ÷100, '4' ÷10 (not '3').
    let decimals = match p[6] {
        b'0' => 0,
        b'1' => 3,
        b'2' => 2,
        b'4' => 1,
        value => {
            return Err(PacketError::Byte {
                index: 6,
                value,
                expected: "decimal point must be '0', '1', '2' or '4'",
            });
        }
    };
    let (b7, b8, b9, b10) = (p[7], p[8], p[9], p[10]);
    let (auto, dc, ac, rel, hold) = (bit(b7, 5), bit(b7, 4), bit(b7, 3), bit(b7, 2), bit(b7, 1));
    if ac && dc {
        return Err(PacketError::Flags("AC and DC both set"));
    }
    let (z1, max, min, batt, nano) = (bit(b8, 7), bit(b8, 5), bit(b8, 4), bit(b8, 2), bit(b8, 1));
    let (micro, milli, kilo, mega, beep, diode, percent) = (
        bit(b9, 7),
        bit(b9, 6),
        bit(b9, 5),
        bit(b9, 4),
        bit(b9, 3),
        bit(b9, 2),
        bit(b9, 1),
    );
    let (volt, amp, ohm, hfe, hertz, farad, celsius, fahrenheit) = (
        bit(b10, 7),
        bit(b10, 6),
        bit(b10, 5),
        bit(b10, 4),
        bit(b10, 3),
        bit(b10, 2),
        bit(b10, 1),
        bit(b10, 0),
    );
    let prefixes = [(nano, -9), (micro, -6), (milli, -3), (kilo, 3), (mega, 6)];
    if prefixes.iter().filter(|(on, _)| *on).count() > 1 {
        return Err(PacketError::Flags("more than one multiplier"));
    }
    // In diode mode the diode and V bits are both set; count units without diode.
    if [
        volt, amp, ohm, hfe, hertz, farad, celsius, fahrenheit, percent,
    ]
    .iter()
    .filter(|on| **on)
    .count()
        > 1
    {
        return Err(PacketError::Flags("more than one unit"));
    }
    let prefix_exp = prefixes.iter().find(|(on, _)| *on).map_or(0, |(_, e)| *e);
    let any_unit = volt || amp || ohm || hfe || hertz || farad || celsius || fahrenheit || percent;
    // The VC-830 shows diode with user symbol Z1 instead of the diode bit.
    let (mode, unit) = UnitFlags {
        diode: diode || (z1 && !any_unit),
        ohm,
        beep,
        volt,
        amp,
        farad,
        hertz,
        percent,
        celsius,
        fahrenheit,
        ac,
    }
    .mode_unit();
    let overload = &p[1..5] == OL_DIGITS;
    let value = if overload {
        None
    } else {
        let count = ascii_number(&p[1..5]).ok_or(PacketError::Byte {
            index: 1,
            value: p[1],
            expected: "digits must be '0'-'9' or \"?0:?\" for OL",
        })?;
        let v = scale(count, prefix_exp - decimals);
        Some(if p[0] == b'-' { -v } else { v })
    };
    let flags = flags_shown(&[
        (dc, "DC"),
        (ac, "AC"),
        (auto, "AUTO"),
        (hold, "HOLD"),
        (rel, "REL"),
        (max, "MAX"),
        (min, "MIN"),
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

fn prefixes_for(mode: Mode) -> &'static [i32] {
    match mode {
        Mode::Resistance | Mode::Continuity | Mode::Frequency => &[0, 3, 6],
        Mode::Diode | Mode::DutyCycle | Mode::Temperature | Mode::Other => &[0],
        Mode::VoltageDc | Mode::VoltageAc => &[-3, 0],
        Mode::CurrentDc | Mode::CurrentAc => &[-6, -3, 0],
        Mode::Capacitance => &[-9, -6, -3],
    }
}

/// Encodes a reading as one valid 14-byte FS9922 packet, as a UT61D would send it: the finest
/// multiplier and decimal point that show the value in 6000 counts; OL when nothing fits.
/// Keeps AUTO, HOLD, REL, MAX, MIN, BATT, DC and AC.
pub fn encode(r: &MeterReading) -> Vec<u8> {
    let has = |f: &str| r.flags.contains(&f);
    let mut fit = None;
    if !r.overload
        && let Some(v) = r.value
    {
        let mut options: Vec<(i32, i32)> = prefixes_for(r.mode)
            .iter()
            .flat_map(|&p| [0, 1, 2, 3].map(move |d| (p, d)))
            .collect();
        options.sort_by_key(|&(p, d)| p - d);
        fit = options.into_iter().find_map(|(p, d)| {
            count_for(v, p - d)
                .filter(|&c| c <= MAX_COUNT)
                .map(|c| (p, d, c))
        });
    }
    let mut p = Vec::with_capacity(LEN);
    let (prefix, decimals) = match fit {
        Some((prefix, d, count)) => {
            let negative = r.value.is_some_and(|v| v < 0.0) && count > 0;
            p.push(if negative { b'-' } else { b'+' });
            p.extend_from_slice(&ascii_digits(count, 4));
            (prefix, d)
        }
        None => {
            p.push(b'+');
            p.extend_from_slice(OL_DIGITS);
            (*prefixes_for(r.mode).last().unwrap_or(&0), 1)
        }
    };
    p.push(b' ');
    p.push(match decimals {
        3 => b'1',
        2 => b'2',
        1 => b'4',
        _ => b'0',
    });
    let mut b7 = 0u8;
    let ac = has("AC") || matches!(r.mode, Mode::VoltageAc | Mode::CurrentAc);
    if ac {
        b7 |= 1 << 3;
    } else if has("DC") {
        b7 |= 1 << 4;
    }
    for (name, n) in [("AUTO", 5), ("REL", 2), ("HOLD", 1)] {
        if has(name) {
            b7 |= 1 << n;
        }
    }
    let mut b8 = 0u8;
    for (name, n) in [("MAX", 5), ("MIN", 4), ("BATT", 2)] {
        if has(name) {
            b8 |= 1 << n;
        }
    }
    let mut b9 = 0u8;
    match prefix {
        -9 => b8 |= 1 << 1,
        -6 => b9 |= 1 << 7,
        -3 => b9 |= 1 << 6,
        3 => b9 |= 1 << 5,
        6 => b9 |= 1 << 4,
        _ => {}
    }
    let mut b10 = 0u8;
    match r.mode {
        Mode::Resistance => b10 |= 1 << 5,
        Mode::Continuity => {
            b10 |= 1 << 5;
            b9 |= 1 << 3;
        }
        Mode::Diode => {
            b9 |= 1 << 2;
            b10 |= 1 << 7;
        }
        Mode::VoltageDc | Mode::VoltageAc => b10 |= 1 << 7,
        Mode::CurrentDc | Mode::CurrentAc => b10 |= 1 << 6,
        Mode::Capacitance => b10 |= 1 << 2,
        Mode::Frequency => b10 |= 1 << 3,
        Mode::DutyCycle => b9 |= 1 << 1,
        Mode::Temperature => {
            b10 |= if r.unit == Unit::Fahrenheit {
                1
            } else {
                1 << 1
            };
        }
        Mode::Other => b10 |= 1 << 4,
    }
    p.extend_from_slice(&[b7, b8, b9, b10, 0x00, b'\r', b'\n']);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_documented_resistance_packet() {
        // "+1234 4" = 123.4, k, Ω, AUTO.
        let p = [
            b'+', b'1', b'2', b'3', b'4', b' ', b'4', 0x20, 0x00, 0x20, 0x20, 0x00, b'\r', b'\n',
        ];
        let r = decode_packet(&p).unwrap();
        assert_eq!(r.value, Some(123_400.0));
        assert_eq!(r.mode, Mode::Resistance);
        assert_eq!(r.flags, vec!["AUTO"]);
    }

    #[test]
    fn ol_digits_are_never_parsed() {
        let p = [
            b'+', b'?', b'0', b':', b'?', b' ', b'4', 0x20, 0x00, 0x10, 0x20, 0x00, b'\r', b'\n',
        ];
        let r = decode_packet(&p).unwrap();
        assert!(r.overload);
        assert_eq!(r.value, None);
    }

    #[test]
    fn decimal_code_3_is_invalid() {
        let p = [
            b'+', b'1', b'2', b'3', b'4', b' ', b'3', 0x20, 0x00, 0x20, 0x20, 0x00, b'\r', b'\n',
        ];
        assert!(decode_packet(&p).is_err());
    }

    #[test]
    fn diode_sets_diode_and_volt_bits() {
        let r = MeterReading {
            value: Some(0.512),
            unit: Unit::Volt,
            mode: Mode::Diode,
            overload: false,
            flags: vec![],
        };
        let p = encode(&r);
        assert_eq!(p[9] & 0x04, 0x04);
        assert_eq!(p[10] & 0x80, 0x80);
        assert_eq!(decode_packet(&p).unwrap(), r);
    }
}
