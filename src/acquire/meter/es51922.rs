//! Cyrustek ES51922 / ES51921 14-byte packets (UNI-T UT61E): decode and encode.
//!
//! Pure: bytes in, readings out; no I/O, no clock. Implemented from the facts in
//! protocols.md §2 (not from sigrok's code). Never reads the digits of an OL packet.

use super::{
    Framer, MeterReading, Mode, PacketError, PacketFormat, Unit, ascii_digits, digits_value,
    flags_shown, pick_range, require_line, require_nibbles,
};

/// Packet length (protocols.md §2).
pub const LEN: usize = 14;

// protocols.md §2, function byte.
const F_VOLT: u8 = 0x3B;
const F_MICROAMP: u8 = 0x3D;
const F_MILLIAMP: u8 = 0x3F;
const F_AMP_AUTO: u8 = 0x30;
const F_AMP_MANUAL: u8 = 0x39;
const F_OHM: u8 = 0x33;
const F_CONTINUITY: u8 = 0x35;
const F_DIODE: u8 = 0x31;
const F_FREQ: u8 = 0x32;
const F_CAP: u8 = 0x36;
const F_TEMP: u8 = 0x34;
const F_ADP: [u8; 4] = [0x3E, 0x3C, 0x38, 0x3A];

// protocols.md §2, exponent per range index.
const EXP_OHM: &[i32] = &[-2, -1, 0, 1, 2, 3, 4];
const EXP_VOLT: &[i32] = &[-4, -3, -2, -1, -5];
const EXP_MICROAMP: &[i32] = &[-8, -7];
const EXP_MILLIAMP: &[i32] = &[-6, -5];
const EXP_AMP_MANUAL: &[i32] = &[-4, -3, -2, -1];
const EXP_HZ: &[i32] = &[-2, -1, 0, 0, 1, 2, 3, 4];
const EXP_CAP: &[i32] = &[-12, -11, -10, -9, -8, -7, -6, -5];

/// Largest count the 22000-count display shows.
const MAX_COUNT: u64 = 21_999;

/// The ES51922 packet format, for `Framer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Es51922;

/// A streaming decoder for ES51922 byte streams.
pub fn decoder() -> Framer<Es51922> {
    Framer::new(Es51922)
}

impl PacketFormat for Es51922 {
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

/// How a function code scales: fixed exponent, a table by range, or not documented.
enum Scaling {
    Table(&'static [i32]),
    Fixed(i32),
    Unscaled,
}

fn check_frame(p: &[u8]) -> Result<(), PacketError> {
    require_line(p, LEN)?;
    require_nibbles(&p[..12])?;
    if p[0] > b'7' {
        return Err(PacketError::Byte {
            index: 0,
            value: p[0],
            expected: "range must be '0'-'7'",
        });
    }
    Ok(())
}

/// Decodes one 14-byte packet (bit 7 already masked).
pub fn decode_packet(p: &[u8]) -> Result<MeterReading, PacketError> {
    check_frame(p)?;
    let range = usize::from(p[0] & 0x0F);
    let function = p[6];
    let status = p[7] & 0x0F;
    let (opt1, opt2, opt3, opt4) = (p[8] & 0x0F, p[9] & 0x0F, p[10] & 0x0F, p[11] & 0x0F);
    let judge = status & 0x08 != 0;
    let negative = status & 0x04 != 0;
    let overload = status & 0x01 != 0;
    let (dc, ac, auto, vahz) = (
        opt3 & 0x08 != 0,
        opt3 & 0x04 != 0,
        opt3 & 0x02 != 0,
        opt3 & 0x01 != 0,
    );
    if dc && ac {
        return Err(PacketError::Flags("AC and DC both set"));
    }
    let underflow = opt2 & 0x08 != 0;

    let is_va = matches!(
        function,
        F_VOLT | F_MICROAMP | F_MILLIAMP | F_AMP_AUTO | F_AMP_MANUAL
    );
    let (mode, unit, scaling) = if is_va && vahz {
        if judge {
            (Mode::DutyCycle, Unit::Percent, Scaling::Fixed(-1))
        } else {
            (Mode::Frequency, Unit::Hertz, Scaling::Table(EXP_HZ))
        }
    } else {
        let current = if ac { Mode::CurrentAc } else { Mode::CurrentDc };
        match function {
            F_VOLT => (
                if ac { Mode::VoltageAc } else { Mode::VoltageDc },
                Unit::Volt,
                Scaling::Table(EXP_VOLT),
            ),
            F_MICROAMP => (current, Unit::Ampere, Scaling::Table(EXP_MICROAMP)),
            F_MILLIAMP => (current, Unit::Ampere, Scaling::Table(EXP_MILLIAMP)),
            F_AMP_AUTO => (current, Unit::Ampere, Scaling::Fixed(-3)),
            F_AMP_MANUAL => (current, Unit::Ampere, Scaling::Table(EXP_AMP_MANUAL)),
            F_OHM => (Mode::Resistance, Unit::Ohm, Scaling::Table(EXP_OHM)),
            F_CONTINUITY => (Mode::Continuity, Unit::Ohm, Scaling::Table(EXP_OHM)),
            F_DIODE => (Mode::Diode, Unit::Volt, Scaling::Fixed(-4)),
            F_FREQ if judge => (Mode::DutyCycle, Unit::Percent, Scaling::Fixed(-1)),
            F_FREQ => (Mode::Frequency, Unit::Hertz, Scaling::Table(EXP_HZ)),
            F_CAP => (Mode::Capacitance, Unit::Farad, Scaling::Table(EXP_CAP)),
            // protocols.md gives no exponent for temperature or the ADP inputs.
            F_TEMP => (
                Mode::Temperature,
                if judge {
                    Unit::Celsius
                } else {
                    Unit::Fahrenheit
                },
                Scaling::Unscaled,
            ),
            f if F_ADP.contains(&f) => (Mode::Other, Unit::None, Scaling::Unscaled),
            _ => {
                return Err(PacketError::Byte {
                    index: 6,
                    value: function,
                    expected: "unknown function code",
                });
            }
        }
    };
    let exp = match scaling {
        Scaling::Table(t) => Some(*t.get(range).ok_or(PacketError::Byte {
            index: 0,
            value: p[0],
            expected: "range not used by this function",
        })?),
        Scaling::Fixed(e) => Some(e),
        Scaling::Unscaled => None,
    };

    let flags = flags_shown(&[
        (dc, "DC"),
        (ac, "AC"),
        (auto, "AUTO"),
        (opt4 & 0x02 != 0, "HOLD"),
        (opt1 & 0x02 != 0, "REL"),
        (opt1 & 0x08 != 0, "MAX"),
        (opt1 & 0x04 != 0, "MIN"),
        (opt2 & 0x04 != 0, "PMAX"),
        (opt2 & 0x02 != 0, "PMIN"),
        (underflow && !overload, "UL"),
        (status & 0x02 != 0, "BATT"),
        (exp.is_none() && !overload, "UNSCALED"),
    ]);

    // Never read the digits of an OL (or UL) packet: they hold filler such as "22580".
    let value = if overload || underflow {
        None
    } else {
        match exp {
            Some(exp) => Some(digits_value(p, 1..6, exp, negative)?),
            None => None,
        }
    };
    Ok(MeterReading {
        value,
        unit,
        mode,
        overload,
        flags,
    })
}

/// Encodes a reading as one valid 14-byte ES51922 packet, as a UT61E would send it. The value
/// is rounded to the display resolution of the finest range that holds it; a value too large
/// for every range is sent as OL. Flags the chip knows (AUTO, HOLD, REL, MAX, MIN, PMAX, PMIN,
/// BATT, DC, AC) are kept.
pub fn encode(r: &MeterReading) -> Vec<u8> {
    let has = |f: &str| r.flags.contains(&f);
    let mut status = 0u8;
    let mut opt3 = 0u8;
    if has("AUTO") {
        opt3 |= 0x02;
    }
    let ac = has("AC") || matches!(r.mode, Mode::VoltageAc | Mode::CurrentAc);
    if ac {
        opt3 |= 0x04;
    } else if has("DC") {
        opt3 |= 0x08;
    }
    let v = r.value.unwrap_or(0.0);
    let magnitude = v.abs();
    let (function, table): (u8, &[i32]) = match r.mode {
        Mode::Resistance => (F_OHM, EXP_OHM),
        Mode::Continuity => (F_CONTINUITY, EXP_OHM),
        Mode::Diode => (F_DIODE, &[-4]),
        Mode::VoltageDc | Mode::VoltageAc => (F_VOLT, EXP_VOLT),
        Mode::CurrentDc | Mode::CurrentAc => {
            if magnitude < 2.2e-3 {
                (F_MICROAMP, EXP_MICROAMP)
            } else if magnitude < 0.22 {
                (F_MILLIAMP, EXP_MILLIAMP)
            } else {
                (F_AMP_MANUAL, EXP_AMP_MANUAL)
            }
        }
        Mode::Capacitance => (F_CAP, EXP_CAP),
        Mode::Frequency => (F_FREQ, EXP_HZ),
        Mode::DutyCycle => {
            status |= 0x08;
            (F_FREQ, &[-1, -1])
        }
        Mode::Temperature => {
            if r.unit == Unit::Celsius {
                status |= 0x08;
            }
            (F_TEMP, &[])
        }
        Mode::Other => (F_ADP[0], &[]),
    };
    let fit = r
        .value
        .filter(|_| !r.overload)
        .and_then(|v| pick_range(v, table, MAX_COUNT));
    let (range, digits) = match fit {
        Some((range, count)) => {
            if v < 0.0 && count > 0 {
                status |= 0x04;
            }
            (range, ascii_digits(count, 5))
        }
        None => {
            let underflow = has("UL") && !r.overload && r.value.is_none();
            if !underflow && !table.is_empty() || r.overload {
                status |= 0x01;
            }
            let filler: &[u8] = if r.mode == Mode::Diode {
                b"19000"
            } else {
                b"22580"
            };
            (table.len().saturating_sub(1), filler.to_vec())
        }
    };
    let mut opt1 = 0u8;
    for (name, bit) in [("MAX", 0x08), ("MIN", 0x04), ("REL", 0x02)] {
        if has(name) {
            opt1 |= bit;
        }
    }
    let mut opt2 = 0u8;
    for (name, bit) in [("UL", 0x08), ("PMAX", 0x04), ("PMIN", 0x02)] {
        if has(name) {
            opt2 |= bit;
        }
    }
    if has("BATT") {
        status |= 0x02;
    }
    let opt4 = if has("HOLD") { 0x02 } else { 0x00 };
    let mut p = Vec::with_capacity(LEN);
    p.push(0x30 | range as u8);
    p.extend_from_slice(&digits);
    p.push(function);
    for nibble in [status, opt1, opt2, opt3, opt4] {
        p.push(0x30 | nibble);
    }
    p.extend_from_slice(b"\r\n");
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::Decoder;
    use crate::acquire::meter::hex;

    #[test]
    fn decodes_70_ohms_from_protocols_md() {
        let r = decode_packet(&hex("30 30 37 30 35 31 33 30 30 30 32 30 0d 0a")).unwrap();
        assert_eq!(r.value, Some(70.51));
        assert_eq!(r.mode, Mode::Resistance);
        assert_eq!(r.flags, vec!["AUTO"]);
    }

    #[test]
    fn ol_packet_has_no_value_even_though_digits_are_filled() {
        let r = decode_packet(&hex("36 32 32 35 38 30 33 31 30 30 32 30 0d 0a")).unwrap();
        assert!(r.overload);
        assert_eq!(r.value, None);
        assert_eq!(r.mode, Mode::Resistance);
    }

    #[test]
    fn diode_and_continuity_are_their_own_modes() {
        let d = decode_packet(&hex("30 30 36 32 39 30 31 30 30 30 30 30 0d 0a")).unwrap();
        assert_eq!(
            (d.mode, d.unit, d.value),
            (Mode::Diode, Unit::Volt, Some(0.629))
        );
        let c = decode_packet(&hex("30 30 30 30 32 36 35 30 30 30 30 30 0d 0a")).unwrap();
        assert_eq!((c.mode, c.value), (Mode::Continuity, Some(0.26)));
    }

    #[test]
    fn rejects_wrong_terminator_and_bad_range() {
        assert!(decode_packet(&hex("30 30 37 30 35 31 33 30 30 30 32 30 0d 0d")).is_err());
        assert!(decode_packet(&hex("38 30 37 30 35 31 33 30 30 30 32 30 0d 0a")).is_err());
    }

    #[test]
    fn parity_bit_is_masked() {
        let mut bytes = hex("30 30 37 30 35 31 33 30 30 30 32 30 0d 0a");
        for b in &mut bytes {
            if b.count_ones() % 2 == 0 {
                *b |= 0x80; // odd parity in bit 7, as a CH9325 cable delivers it
            }
        }
        let got = decoder().push(&bytes);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].value, Some(70.51));
    }

    #[test]
    fn millivolt_range_encodes_and_decodes() {
        let r = MeterReading {
            value: Some(0.08144),
            unit: Unit::Volt,
            mode: Mode::VoltageAc,
            overload: false,
            flags: vec!["AC"],
        };
        let p = encode(&r);
        assert_eq!(p[0], b'4');
        assert_eq!(decode_packet(&p).unwrap(), r);
    }
}
