//! UNI-T UT71x 11-byte packets (UT71A–E, UT804, Voltcraft VC-920/940/960, Tenma 72-7730/7732/
//! 9380A): decode and encode.
//!
//! Pure: no I/O, no clock. From protocols.md §5. 7-bit protocol (2400 7o1): bit 7 is masked
//! by the framer. Never reads the digits of OL (`"::0<:"`) or UL (`":<0::"`).

use super::{
    Framer, MeterReading, Mode, PacketError, PacketFormat, Unit, ascii_digits, ascii_number,
    flags_shown, pick_range, require_line, require_nibbles, scale,
};

/// Packet length.
pub const LEN: usize = 11;
const OL_DIGITS: &[u8; 5] = b"::0<:";
const UL_DIGITS: &[u8; 5] = b":<0::";
/// Largest count in 40000-count mode.
const MAX_COUNT: u64 = 39_999;

// protocols.md §5, exponents by range index.
const EXP_OHM: &[i32] = &[0, -2, -1, 0, 1, 2, 3];
const EXP_VOLT: &[i32] = &[0, -4, -3, -2, -1];
const EXP_CAP: &[i32] = &[0, -12, -11, -10, -9, -8, -7, -6];
const EXP_MICROAMP: &[i32] = &[-8, -7];
const EXP_MILLIAMP: &[i32] = &[-6, -5];
const EXP_TEN_AMP: &[i32] = &[0, -3];
const EXP_HZ: &[i32] = &[-3, -2, -1, 0, 1, 2, 3, 4];

// protocols.md §5, mode byte − 0x30.
const M_AC_MV: u8 = 0;
const M_DC_V: u8 = 1;
const M_AC_V: u8 = 2;
const M_DC_MV: u8 = 3;
const M_OHM: u8 = 4;
const M_CAP: u8 = 5;
const M_CELSIUS: u8 = 6;
const M_MICROAMP: u8 = 7;
const M_MILLIAMP: u8 = 8;
const M_TEN_AMP: u8 = 9;
const M_CONTINUITY: u8 = 10;
const M_DIODE: u8 = 11;
const M_HZ: u8 = 12;
const M_FAHRENHEIT: u8 = 13;
const M_POWER: u8 = 14;
const M_LOOP: u8 = 15;

/// The UT71x packet format, for `Framer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ut71x;

/// A streaming decoder for UT71x byte streams.
pub fn decoder() -> Framer<Ut71x> {
    Framer::new(Ut71x)
}

impl PacketFormat for Ut71x {
    fn packet_len(&self) -> usize {
        LEN
    }
    fn seven_bit(&self) -> bool {
        true
    }
    fn decode(&self, packet: &[u8]) -> Result<MeterReading, PacketError> {
        decode_packet(packet)
    }
}

/// Decodes one 11-byte packet (bit 7 already masked).
pub fn decode_packet(p: &[u8]) -> Result<MeterReading, PacketError> {
    require_line(p, LEN)?;
    require_nibbles(&p[..9])?;
    if p[5] > b'7' {
        return Err(PacketError::Byte {
            index: 5,
            value: p[5],
            expected: "range must be '0'-'7'",
        });
    }
    let range = usize::from(p[5] & 0x0F);
    let code = p[6] & 0x0F;
    let (ac, dc) = (p[7] & 0x01 != 0, p[7] & 0x02 != 0);
    if ac && dc {
        return Err(PacketError::Flags("AC and DC both set"));
    }
    let (auto, manual, sign) = (p[8] & 0x01 != 0, p[8] & 0x02 != 0, p[8] & 0x04 != 0);
    if auto && manual {
        return Err(PacketError::Flags("AUTO and MANUAL both set"));
    }
    let current = if ac { Mode::CurrentAc } else { Mode::CurrentDc };
    let table = |t: &'static [i32]| t.get(range).copied();
    let (mode, unit, exp, signed): (Mode, Unit, Option<i32>, bool) = match code {
        M_AC_MV => (Mode::VoltageAc, Unit::Volt, Some(-5), true),
        M_DC_MV => (Mode::VoltageDc, Unit::Volt, Some(-5), true),
        M_DC_V => (Mode::VoltageDc, Unit::Volt, table(EXP_VOLT), true),
        M_AC_V => (Mode::VoltageAc, Unit::Volt, table(EXP_VOLT), true),
        M_OHM => (Mode::Resistance, Unit::Ohm, table(EXP_OHM), false),
        M_CAP => (Mode::Capacitance, Unit::Farad, table(EXP_CAP), false),
        // protocols.md gives no exponent for temperature, power or duty cycle.
        M_CELSIUS => (Mode::Temperature, Unit::Celsius, None, true),
        M_FAHRENHEIT => (Mode::Temperature, Unit::Fahrenheit, None, true),
        M_MICROAMP => (current, Unit::Ampere, table(EXP_MICROAMP), true),
        M_MILLIAMP => (current, Unit::Ampere, table(EXP_MILLIAMP), true),
        M_TEN_AMP => (current, Unit::Ampere, table(EXP_TEN_AMP), true),
        M_CONTINUITY => (Mode::Continuity, Unit::Ohm, Some(-1), false),
        M_DIODE => (Mode::Diode, Unit::Volt, Some(-4), false),
        M_HZ if sign => (Mode::DutyCycle, Unit::Percent, None, false),
        M_HZ => (Mode::Frequency, Unit::Hertz, table(EXP_HZ), false),
        M_POWER => (Mode::Other, Unit::None, None, false),
        M_LOOP => (Mode::Other, Unit::Percent, Some(-2), false),
        _ => unknown_mode(code)?,
    };
    let table_mode = matches!(
        code,
        M_DC_V | M_AC_V | M_OHM | M_CAP | M_MICROAMP | M_MILLIAMP | M_TEN_AMP
    ) || (code == M_HZ && !sign);
    if table_mode && exp.is_none() {
        return Err(PacketError::Byte {
            index: 5,
            value: p[5],
            expected: "range not used by this mode",
        });
    }
    let digits = &p[..5];
    let overload = digits == OL_DIGITS;
    let underflow = digits == UL_DIGITS;
    let value = match exp {
        Some(exp) if !overload && !underflow => {
            // A ':' in the last place means 4000-count mode: four digits, ×10.
            let count = if digits[4] == b':' {
                ascii_number(&digits[..4]).map(|c| c * 10)
            } else {
                ascii_number(digits)
            }
            .ok_or(PacketError::Byte {
                index: 0,
                value: p[0],
                expected: "digits must be '0'-'9'",
            })?;
            let v = scale(count, exp);
            Some(if sign && signed { -v } else { v })
        }
        _ => None,
    };
    let flags = flags_shown(&[
        (dc, "DC"),
        (ac, "AC"),
        (auto, "AUTO"),
        (manual, "MANUAL"),
        (underflow, "UL"),
        (exp.is_none() && !overload && !underflow, "UNSCALED"),
    ]);
    Ok(MeterReading {
        value,
        unit,
        mode,
        overload,
        flags,
    })
}

fn unknown_mode(code: u8) -> Result<(Mode, Unit, Option<i32>, bool), PacketError> {
    Err(PacketError::Byte {
        index: 6,
        value: 0x30 | code,
        expected: "unknown mode",
    })
}

/// Encodes a reading as one valid 11-byte UT71x packet, as a UT71C would send it (40000-count
/// mode): the finest range that holds the value; OL when nothing fits. Keeps AUTO, MANUAL,
/// DC, AC and UL.
pub fn encode(r: &MeterReading) -> Vec<u8> {
    let has = |f: &str| r.flags.contains(&f);
    let v = r.value.unwrap_or(0.0);
    let small_volts = v.abs() < 0.4;
    // (mode code, exponent table, is the table indexed by range)
    let (code, table, by_range): (u8, &[i32], bool) = match r.mode {
        Mode::Resistance => (M_OHM, EXP_OHM, true),
        Mode::Continuity => (M_CONTINUITY, &[-1], false),
        Mode::Diode => (M_DIODE, &[-4], false),
        Mode::VoltageDc if small_volts => (M_DC_MV, &[-5], false),
        Mode::VoltageAc if small_volts => (M_AC_MV, &[-5], false),
        Mode::VoltageDc => (M_DC_V, EXP_VOLT, true),
        Mode::VoltageAc => (M_AC_V, EXP_VOLT, true),
        Mode::CurrentDc | Mode::CurrentAc => {
            if v.abs() < 4e-3 {
                (M_MICROAMP, EXP_MICROAMP, true)
            } else if v.abs() < 0.4 {
                (M_MILLIAMP, EXP_MILLIAMP, true)
            } else {
                (M_TEN_AMP, EXP_TEN_AMP, true)
            }
        }
        Mode::Capacitance => (M_CAP, EXP_CAP, true),
        Mode::Frequency => (M_HZ, EXP_HZ, true),
        Mode::DutyCycle => (M_HZ, &[], false),
        Mode::Temperature if r.unit == Unit::Fahrenheit => (M_FAHRENHEIT, &[], false),
        Mode::Temperature => (M_CELSIUS, &[], false),
        Mode::Other => (M_POWER, &[], false),
    };
    // Skip the placeholder exponent 0 at range 0 of the Ω, V, F and 10 A tables.
    let usable: Vec<i32> = table
        .iter()
        .enumerate()
        .map(|(i, &e)| {
            if by_range && i == 0 && table.len() > 2 && e == 0 {
                i32::MAX
            } else {
                e
            }
        })
        .collect();
    let fit = r
        .value
        .filter(|_| !r.overload)
        .and_then(|v| pick_range(v, &usable, MAX_COUNT));
    let mut p = Vec::with_capacity(LEN);
    let mut sign = r.mode == Mode::DutyCycle;
    let range = match fit {
        Some((i, count)) => {
            p.extend_from_slice(&ascii_digits(count, 5));
            if v < 0.0 && count > 0 {
                sign = true;
            }
            if by_range { i } else { 0 }
        }
        None => {
            let ul = has("UL") && !r.overload && r.value.is_none();
            p.extend_from_slice(if ul { UL_DIGITS } else { OL_DIGITS });
            if by_range { table.len() - 1 } else { 0 }
        }
    };
    p.push(0x30 | range as u8);
    p.push(0x30 | code);
    let ac = has("AC") || matches!(r.mode, Mode::VoltageAc | Mode::CurrentAc);
    p.push(
        0x30 | if ac {
            0x01
        } else if has("DC") {
            0x02
        } else {
            0
        },
    );
    let mut b8 = 0x30;
    if has("AUTO") {
        b8 |= 0x01;
    } else if has("MANUAL") {
        b8 |= 0x02;
    }
    if sign {
        b8 |= 0x04;
    }
    p.push(b8);
    p.extend_from_slice(b"\r\n");
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_thousand_count_zero_ohms() {
        let r = decode_packet(b"0000:1401\r\n").unwrap();
        assert_eq!((r.mode, r.value), (Mode::Resistance, Some(0.0)));
        assert_eq!(r.flags, vec!["AUTO"]);
    }

    #[test]
    fn ohm_ol_while_autoranging() {
        let r = decode_packet(b"::0<:5401\r\n").unwrap();
        assert!(r.overload);
        assert_eq!(r.value, None);
    }

    #[test]
    fn millivolts() {
        let r = decode_packet(b"109860300\r\n").unwrap();
        assert_eq!((r.mode, r.value), (Mode::VoltageDc, Some(0.10986)));
    }

    #[test]
    fn range_outside_the_table_is_rejected() {
        assert!(decode_packet(b"000007401\r\n").is_err());
    }
}
