//! Cyrustek ES519xx 11-byte packets, sent twice in a row (ISO-TECH IDM103N, UNI-T UT60G, Tenma
//! 72-7750): decode and encode.
//!
//! Pure: no I/O, no clock. From protocols.md §2.1. A packet is valid only when both 11-byte
//! copies are identical, so the framing window is 22 bytes. Only the exponents that
//! protocols.md documents are used; other functions decode with their mode but no value
//! (flag `UNSCALED`) rather than a guessed one.

use super::{
    Framer, MeterReading, Mode, PacketError, PacketFormat, Unit, ascii_digits, digits_value,
    flags_shown, pick_range, require_line, require_nibbles,
};

/// Length of one copy.
pub const HALF: usize = 11;
/// Length of the framing window: the block and its repeat.
pub const LEN: usize = 2 * HALF;

/// Which ES519xx 11-byte variant (protocols.md §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// ES51962/71/72/78/89 at 2400 baud 7o1 (ISO-TECH IDM103N): `0x3F` is A, `0x30` is mA.
    Es51978,
    /// ES51981/82/83/84/86 at 19200 baud 7o1 (UNI-T UT60G, Tenma 72-7750).
    Es51986,
}

/// The ES519xx packet format of one variant, for `Framer`.
#[derive(Debug, Clone, Copy)]
pub struct Es519xx(pub Variant);

/// A streaming decoder for one variant.
pub fn decoder(variant: Variant) -> Framer<Es519xx> {
    Framer::new(Es519xx(variant))
}

impl PacketFormat for Es519xx {
    fn packet_len(&self) -> usize {
        LEN
    }
    fn seven_bit(&self) -> bool {
        true
    }
    fn decode(&self, packet: &[u8]) -> Result<MeterReading, PacketError> {
        decode_packet(self.0, packet)
    }
}

// protocols.md §2 / §2.1 function codes.
const F_VOLT: u8 = 0x3B;
const F_OHM: u8 = 0x33;
const F_CONTINUITY: u8 = 0x35;
const F_DIODE: u8 = 0x31;
const F_FREQ: u8 = 0x32;
const F_CAP: u8 = 0x36;
const F_TEMP: u8 = 0x34;
const F_MICROAMP: u8 = 0x3D;
const F_AMP_MANUAL: u8 = 0x39;
const CURRENT_CODES: [u8; 4] = [0x30, 0x3F, F_MICROAMP, F_AMP_MANUAL];
const ADP_CODES: [u8; 4] = [0x3E, 0x3C, 0x38, 0x3A];

// protocols.md §2.1 exponents (range index).
const EXP_OHM: &[i32] = &[-1, 0, 1, 2, 3, 4];
const EXP_VOLT_2400: &[i32] = &[-4, -3, -2, -1, 0];
const EXP_HZ_19200: &[i32] = &[0, 1, 2, 3, 4];
const DIODE_EXP_2400: i32 = -3;

/// Largest count of the 4-digit display.
const MAX_COUNT: u64 = 3_999;

/// Decodes a 22-byte window: two identical 11-byte copies.
pub fn decode_packet(variant: Variant, p: &[u8]) -> Result<MeterReading, PacketError> {
    if p.len() != LEN {
        return Err(PacketError::Length {
            got: p.len(),
            expected: LEN,
        });
    }
    let (a, b) = p.split_at(HALF);
    let r = decode_half(variant, a)?;
    if let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) {
        return Err(PacketError::Byte {
            index: HALF + i,
            value: b[i],
            expected: "the repeated copy must equal the first",
        });
    }
    Ok(r)
}

/// Decodes one 11-byte copy.
pub fn decode_half(variant: Variant, p: &[u8]) -> Result<MeterReading, PacketError> {
    require_line(p, HALF)?;
    require_nibbles(&p[..9])?;
    let range = usize::from(p[0] & 0x0F);
    let function = p[5];
    let status = p[6] & 0x0F;
    let (opt1, opt2) = (p[7] & 0x0F, p[8] & 0x0F);
    let judge = status & 0x08 != 0;
    let negative = status & 0x04 != 0;
    let overload = status & 0x01 != 0;
    let (dc, ac, auto) = (opt2 & 0x08 != 0, opt2 & 0x04 != 0, opt2 & 0x02 != 0);
    if dc && ac {
        return Err(PacketError::Flags("AC and DC both set"));
    }
    let (vahz, hold, max, min, pmax, pmin) = match variant {
        Variant::Es51978 => (
            opt1 & 0x01 != 0,
            false,
            false,
            false,
            opt1 & 0x08 != 0,
            opt1 & 0x04 != 0,
        ),
        Variant::Es51986 => (
            opt2 & 0x01 != 0,
            opt1 & 0x08 != 0,
            opt1 & 0x04 != 0,
            opt1 & 0x02 != 0,
            false,
            false,
        ),
    };
    let current = if ac { Mode::CurrentAc } else { Mode::CurrentDc };
    let is_va = function == F_VOLT || CURRENT_CODES.contains(&function);
    let (mode, unit, exps): (Mode, Unit, Option<&[i32]>) = if is_va && vahz {
        if judge {
            (Mode::DutyCycle, Unit::Percent, None)
        } else {
            let t = (variant == Variant::Es51986).then_some(EXP_HZ_19200);
            (Mode::Frequency, Unit::Hertz, t)
        }
    } else {
        match function {
            F_OHM => (Mode::Resistance, Unit::Ohm, Some(EXP_OHM)),
            F_CONTINUITY => (Mode::Continuity, Unit::Ohm, Some(EXP_OHM)),
            F_DIODE => (
                Mode::Diode,
                Unit::Volt,
                (variant == Variant::Es51978).then_some(&[DIODE_EXP_2400][..]),
            ),
            F_VOLT => (
                if ac { Mode::VoltageAc } else { Mode::VoltageDc },
                Unit::Volt,
                (variant == Variant::Es51978).then_some(EXP_VOLT_2400),
            ),
            f if CURRENT_CODES.contains(&f) => (current, Unit::Ampere, None),
            F_FREQ if judge => (Mode::DutyCycle, Unit::Percent, None),
            F_FREQ => (
                Mode::Frequency,
                Unit::Hertz,
                (variant == Variant::Es51986).then_some(EXP_HZ_19200),
            ),
            F_CAP => (Mode::Capacitance, Unit::Farad, None),
            F_TEMP => (
                Mode::Temperature,
                if judge {
                    Unit::Celsius
                } else {
                    Unit::Fahrenheit
                },
                None,
            ),
            f if ADP_CODES.contains(&f) => (Mode::Other, Unit::None, None),
            _ => {
                return Err(PacketError::Byte {
                    index: 5,
                    value: function,
                    expected: "unknown function code",
                });
            }
        }
    };
    let exp = match exps {
        Some(t) if t.len() == 1 => Some(t[0]),
        Some(t) => Some(*t.get(range).ok_or(PacketError::Byte {
            index: 0,
            value: p[0],
            expected: "range not used by this function",
        })?),
        None => None,
    };
    let flags = flags_shown(&[
        (dc, "DC"),
        (ac, "AC"),
        (auto, "AUTO"),
        (hold, "HOLD"),
        (max, "MAX"),
        (min, "MIN"),
        (pmax, "PMAX"),
        (pmin, "PMIN"),
        (status & 0x02 != 0, "BATT"),
        (exp.is_none() && !overload, "UNSCALED"),
    ]);
    let value = match exp {
        Some(exp) if !overload => Some(digits_value(p, 1..5, exp, negative)?),
        _ => None,
    };
    Ok(MeterReading {
        value,
        unit,
        mode,
        overload,
        flags,
    })
}

/// Encodes a reading as the 22 bytes an ES519xx meter sends (the block twice). Only modes
/// with documented exponents carry a value: resistance, continuity, and for `Es51978` volts
/// and diode, for `Es51986` frequency; a value too large for every range is sent as OL.
pub fn encode(variant: Variant, r: &MeterReading) -> Vec<u8> {
    let has = |f: &str| r.flags.contains(&f);
    let mut status = 0u8;
    let mut opt1 = 0u8;
    let mut opt2 = 0u8;
    if has("AUTO") {
        opt2 |= 0x02;
    }
    let ac = has("AC") || matches!(r.mode, Mode::VoltageAc | Mode::CurrentAc);
    if ac {
        opt2 |= 0x04;
    } else if has("DC") {
        opt2 |= 0x08;
    }
    match variant {
        Variant::Es51978 => {
            for (name, bit) in [("PMAX", 0x08), ("PMIN", 0x04)] {
                if has(name) {
                    opt1 |= bit;
                }
            }
        }
        Variant::Es51986 => {
            for (name, bit) in [("HOLD", 0x08), ("MAX", 0x04), ("MIN", 0x02)] {
                if has(name) {
                    opt1 |= bit;
                }
            }
        }
    }
    if has("BATT") {
        status |= 0x02;
    }
    let diode: &[i32] = &[DIODE_EXP_2400];
    let (function, table): (u8, &[i32]) = match (r.mode, variant) {
        (Mode::Resistance, _) => (F_OHM, EXP_OHM),
        (Mode::Continuity, _) => (F_CONTINUITY, EXP_OHM),
        (Mode::Diode, Variant::Es51978) => (F_DIODE, diode),
        (Mode::Diode, Variant::Es51986) => (F_DIODE, &[]),
        (Mode::VoltageDc | Mode::VoltageAc, Variant::Es51978) => (F_VOLT, EXP_VOLT_2400),
        (Mode::VoltageDc | Mode::VoltageAc, Variant::Es51986) => (F_VOLT, &[]),
        (Mode::CurrentDc | Mode::CurrentAc, _) => (F_MICROAMP, &[]),
        (Mode::Frequency, Variant::Es51986) => (F_FREQ, EXP_HZ_19200),
        (Mode::Frequency, Variant::Es51978) => (F_FREQ, &[]),
        (Mode::DutyCycle, _) => {
            status |= 0x08;
            (F_FREQ, &[])
        }
        (Mode::Capacitance, _) => (F_CAP, &[]),
        (Mode::Temperature, _) => {
            if r.unit == Unit::Celsius {
                status |= 0x08;
            }
            (F_TEMP, &[])
        }
        (Mode::Other, _) => (ADP_CODES[0], &[]),
    };
    let fit = r
        .value
        .filter(|_| !r.overload)
        .and_then(|v| pick_range(v, table, MAX_COUNT));
    let (range, digits) = match fit {
        Some((i, count)) => {
            if r.value.is_some_and(|v| v < 0.0) && count > 0 {
                status |= 0x04;
            }
            let range = if table.len() == 1 { 0 } else { i };
            (range, ascii_digits(count, 4))
        }
        None => {
            if r.overload || !table.is_empty() {
                status |= 0x01;
            }
            (table.len().saturating_sub(1), b"0000".to_vec())
        }
    };
    let mut half = Vec::with_capacity(HALF);
    half.push(0x30 | range as u8);
    half.extend_from_slice(&digits);
    half.push(function);
    for nibble in [status, opt1, opt2] {
        half.push(0x30 | nibble);
    }
    half.extend_from_slice(b"\r\n");
    let mut p = half.clone();
    p.extend_from_slice(&half);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::Decoder;

    #[test]
    fn decodes_the_idm103n_skin_resistance() {
        let half = b"50679300\x32\r\n";
        let mut p = half.to_vec();
        p.extend_from_slice(half);
        let r = decode_packet(Variant::Es51978, &p).unwrap();
        assert_eq!(r.value, Some(6.79e6));
        assert_eq!(r.mode, Mode::Resistance);
        assert_eq!(r.flags, vec!["AUTO"]);
    }

    #[test]
    fn copies_that_differ_are_rejected() {
        let mut p = b"50679300\x32\r\n".to_vec();
        p.extend_from_slice(b"50727300\x32\r\n");
        assert!(decode_packet(Variant::Es51978, &p).is_err());
        assert!(decoder(Variant::Es51978).push(&p).is_empty());
    }

    #[test]
    fn undocumented_scales_give_no_value() {
        let r = MeterReading {
            value: Some(0.001),
            unit: Unit::Ampere,
            mode: Mode::CurrentDc,
            overload: false,
            flags: vec![],
        };
        let got = decode_packet(Variant::Es51986, &encode(Variant::Es51986, &r)).unwrap();
        assert_eq!(got.mode, Mode::CurrentDc);
        assert_eq!(got.value, None);
        assert!(!got.overload);
        assert!(got.flags.contains(&"UNSCALED"));
    }
}
