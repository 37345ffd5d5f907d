//! The Victor 70C/86C built-in USB cable: each HID report carries one 14-byte FS9922 packet,
//! scrambled with a fixed key and byte order; undone here, so the FS9922 decoder reads it as
//! it would from a serial cable.
//!
//! Pure: a report in, a packet out (and back, for tests); no I/O. From protocols.md §1.5.

use super::ReportError;

/// Bytes of one packet, scrambled or not (an FS9922 packet, protocols.md §4).
pub const PACKET_LEN: usize = 14;

/// The key subtracted from each byte (protocols.md §1.5).
const KEY: &[u8; PACKET_LEN] = b"jodenxunickxia";

/// Where each scrambled byte goes: byte i lands at `13 - SHUF[i]` (protocols.md §1.5).
const SHUF: [usize; PACKET_LEN] = [6, 13, 5, 11, 2, 7, 9, 8, 3, 10, 12, 0, 4, 1];

/// The FS9922 packet in one report, or `None` for an all-zero report (the cable sends those
/// between packets). A report shorter than a packet is not one of this cable's.
pub fn descramble(report: &[u8]) -> Result<Option<[u8; PACKET_LEN]>, ReportError> {
    let Some(input) = report.get(..PACKET_LEN) else {
        return Err(ReportError::Short {
            count: PACKET_LEN,
            got: report.len(),
        });
    };
    if input.iter().all(|&b| b == 0) {
        return Ok(None);
    }
    let mut out = [0u8; PACKET_LEN];
    for (i, &b) in input.iter().enumerate() {
        out[PACKET_LEN - 1 - SHUF[i]] = b.wrapping_sub(KEY[i]).reverse_bits();
    }
    Ok(Some(out))
}

/// The report the cable sends for `packet` (the inverse of `descramble`).
pub fn scramble(packet: &[u8; PACKET_LEN]) -> [u8; PACKET_LEN] {
    let mut report = [0u8; PACKET_LEN];
    for (i, byte) in report.iter_mut().enumerate() {
        *byte = packet[PACKET_LEN - 1 - SHUF[i]]
            .reverse_bits()
            .wrapping_add(KEY[i]);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::{Decoder, Mode, fs9922};
    use proptest::prelude::*;

    #[test]
    fn the_shuffle_is_a_permutation() {
        let mut seen = SHUF;
        seen.sort_unstable();
        assert_eq!(seen, std::array::from_fn(|i| i));
    }

    #[test]
    fn two_bytes_worked_by_hand_from_the_formula() {
        // Report byte 1 lands at 13 - SHUF[1] = 0: (0x43 - 'o') mod 256 = 0xD4, reversed 0x2B '+'.
        // Report byte 11 lands at 13 - SHUF[11] = 13: (0xC8 - 'x') = 0x50, reversed 0x0A '\n'.
        let mut report = [0x55u8; PACKET_LEN];
        report[1] = 0x43;
        report[11] = 0xC8;
        let out = descramble(&report).unwrap().unwrap();
        assert_eq!((out[0], out[13]), (b'+', b'\n'));
    }

    #[test]
    fn a_scrambled_fs9922_packet_decodes_after_descrambling() {
        // "+0702 4" → 70.2 Ω with Ω (byte 10 bit 5) and AUTO (byte 7 bit 5).
        let packet: [u8; PACKET_LEN] = [
            b'+', b'0', b'7', b'0', b'2', b' ', b'4', 0x20, 0x00, 0x00, 0x20, 0x00, b'\r', b'\n',
        ];
        let report = scramble(&packet);
        assert_ne!(report, packet);
        let out = descramble(&report).unwrap().unwrap();
        assert_eq!(out, packet);
        let r = fs9922::decoder().push(&out);
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].mode, r[0].value), (Mode::Resistance, Some(70.2)));
    }

    #[test]
    fn zero_reports_are_skipped_and_short_ones_refused() {
        assert_eq!(descramble(&[0u8; 16]), Ok(None));
        assert_eq!(
            descramble(&[1u8; 5]),
            Err(ReportError::Short { count: 14, got: 5 })
        );
    }

    proptest! {
        #[test]
        fn descrambling_undoes_scrambling(packet in prop::array::uniform14(any::<u8>())) {
            let report = scramble(&packet);
            if report.iter().any(|&b| b != 0) {
                prop_assert_eq!(descramble(&report).unwrap(), Some(packet));
            }
        }

        #[test]
        fn no_report_panics(report in prop::collection::vec(any::<u8>(), 0..40)) {
            let _ = descramble(&report);
        }
    }
}
