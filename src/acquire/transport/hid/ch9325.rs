//! The WCH CH9325 / Hoitek HE2325U USB-HID UART bridge (UNI-T UT-D04 cable): the feature
//! report that sets the baud rate, the 8-byte input reports whose first byte counts the UART
//! bytes that follow, and the parity bit it passes on for 7-bit protocols.
//!
//! Pure: reports in, bytes out (and back, for the simulated cable); no I/O. From
//! protocols.md §1.3.

use super::ReportError;

/// Input report length: a count byte and up to 7 UART bytes (protocols.md §1.3).
pub const REPORT_LEN: usize = 8;

/// Most UART bytes one input report carries.
pub const MAX_DATA: usize = REPORT_LEN - 1;

/// The top nibble of every valid report's first byte; the low nibble counts the bytes.
const COUNT_TAG: u8 = 0xF0;

/// The value the setup report's last byte always has (protocols.md §1.3: the UT-D04 drivers
/// write 0x03 whatever the meter's data bits; the chip passes the 8th bit on either way).
const FORMAT_BYTE: u8 = 0x03;

/// The setup feature report for `baud`, as hidapi takes it: report ID 0, then the baud rate
/// as 16-bit little endian, `0x00`, `0x00`, `0x03` (protocols.md §1.3). `None` when the rate
/// does not fit 16 bits.
pub fn baud_report(baud: u32) -> Option<[u8; 6]> {
    let [lo, hi] = u16::try_from(baud).ok()?.to_le_bytes();
    Some([0x00, lo, hi, 0x00, 0x00, FORMAT_BYTE])
}

/// The baud rate a setup feature report sets (the simulated cable's side). `None` for any
/// other report.
pub fn parse_baud_report(report: &[u8]) -> Option<u32> {
    match report {
        [0x00, lo, hi, 0x00, 0x00, FORMAT_BYTE] => Some(u32::from(u16::from_le_bytes([*lo, *hi]))),
        _ => None,
    }
}

/// The UART bytes one input report carries: `0xF0 | n`, then n bytes (n = 0 means "no data").
/// A report whose top nibble is not `F`, whose count is over 7, or that is shorter than its
/// count says is not a report of this chip.
pub fn unframe(report: &[u8]) -> Result<&[u8], ReportError> {
    let Some(&first) = report.first() else {
        return Err(ReportError::Empty);
    };
    if first & 0xF0 != COUNT_TAG {
        return Err(ReportError::Header {
            value: first,
            expected: "0xf0-0xf7 (0xf0 | number of bytes)",
        });
    }
    let n = usize::from(first & 0x0F);
    if n > MAX_DATA {
        return Err(ReportError::Count {
            count: n,
            max: MAX_DATA,
        });
    }
    report.get(1..=n).ok_or(ReportError::Short {
        count: n,
        got: report.len() - 1,
    })
}

/// The input reports that carry `data`, 7 bytes each (the simulated cable's side).
pub fn frame(data: &[u8]) -> Vec<[u8; REPORT_LEN]> {
    data.chunks(MAX_DATA)
        .map(|chunk| {
            let mut report = [0u8; REPORT_LEN];
            report[0] = COUNT_TAG | chunk.len() as u8;
            report[1..=chunk.len()].copy_from_slice(chunk);
            report
        })
        .collect()
}

/// The idle report: no data.
pub const IDLE: [u8; REPORT_LEN] = [COUNT_TAG, 0, 0, 0, 0, 0, 0, 0];

/// A 7-bit byte as the chip hands it on for a 7o1 protocol: the odd-parity bit in bit 7
/// (protocols.md §1.3). The simulated cable adds it; the transport strips it.
pub fn with_odd_parity(byte: u8) -> u8 {
    let data = byte & 0x7F;
    // Odd parity: data and parity bit together hold an odd number of ones.
    if data.count_ones().is_multiple_of(2) {
        data | 0x80
    } else {
        data
    }
}

/// A byte of a 7-bit protocol without the parity bit the chip passed on in bit 7.
pub fn strip_parity(byte: u8) -> u8 {
    byte & 0x7F
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_setup_report_carries_the_baud_rate_little_endian() {
        // 19200 = 0x4B00 (UT61E), 2400 = 0x0960 (VC-820).
        assert_eq!(baud_report(19200), Some([0, 0x00, 0x4B, 0, 0, 3]));
        assert_eq!(baud_report(2400), Some([0, 0x60, 0x09, 0, 0, 3]));
        assert_eq!(baud_report(115_200), None);
        assert_eq!(parse_baud_report(&baud_report(2400).unwrap()), Some(2400));
        assert_eq!(parse_baud_report(&[0, 0x60, 0x09, 0, 0, 2]), None);
    }

    #[test]
    fn reports_carry_their_counted_bytes() {
        assert_eq!(unframe(&[0xF0, 0, 0, 0, 0, 0, 0, 0]), Ok(&[][..]));
        assert_eq!(
            unframe(&[0xF3, 0x13, 0x20, 0x35, 0xAA, 0, 0, 0]),
            Ok(&[0x13, 0x20, 0x35][..])
        );
        assert_eq!(
            unframe(&[0xF7, 1, 2, 3, 4, 5, 6, 7]),
            Ok(&[1, 2, 3, 4, 5, 6, 7][..])
        );
    }

    #[test]
    fn reports_that_are_not_this_chips_say_why() {
        assert!(matches!(
            unframe(&[0x13, 0x20]),
            Err(ReportError::Header { value: 0x13, .. })
        ));
        assert_eq!(
            unframe(&[0xF9, 0, 0, 0, 0, 0, 0, 0]),
            Err(ReportError::Count { count: 9, max: 7 })
        );
        assert_eq!(
            unframe(&[0xF5, 1, 2]),
            Err(ReportError::Short { count: 5, got: 2 })
        );
        assert_eq!(unframe(&[]), Err(ReportError::Empty));
    }

    #[test]
    fn a_packet_split_across_reports_comes_back_whole() {
        // The VC-820's 100.4 Ω packet (protocols.md §3), 14 bytes: two reports of 7.
        let packet = [
            0x13, 0x20, 0x35, 0x47, 0x5d, 0x67, 0x7d, 0x8a, 0x97, 0xa0, 0xb0, 0xc4, 0xd0, 0xe8,
        ];
        let reports = frame(&packet);
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0][0], 0xF7);
        let back: Vec<u8> = reports
            .iter()
            .flat_map(|r| unframe(r).unwrap().to_vec())
            .collect();
        assert_eq!(back, packet);
    }

    #[test]
    fn the_parity_bit_makes_the_count_of_ones_odd_and_strips_off() {
        // '0' = 0x30 has two ones: the parity bit is set. '1' = 0x31 has three: it is not.
        assert_eq!(with_odd_parity(0x30), 0xB0);
        assert_eq!(with_odd_parity(0x31), 0x31);
        assert_eq!(with_odd_parity(b'\r'), 0x0D); // 0x0D: three ones
        assert_eq!(with_odd_parity(b'\n'), 0x8A); // 0x0A: two ones
        for b in 0..0x80u8 {
            assert_eq!(with_odd_parity(b).count_ones() % 2, 1);
            assert_eq!(strip_parity(with_odd_parity(b)), b);
        }
    }

    proptest! {
        #[test]
        fn no_report_panics(report in prop::collection::vec(any::<u8>(), 0..70)) {
            if let Ok(data) = unframe(&report) {
                prop_assert!(data.len() <= MAX_DATA);
            }
        }

        #[test]
        fn framing_then_unframing_gives_the_bytes_back(data in prop::collection::vec(any::<u8>(), 0..100)) {
            let back: Vec<u8> = frame(&data).iter().flat_map(|r| unframe(r).unwrap().to_vec()).collect();
            prop_assert_eq!(back, data);
        }
    }
}
