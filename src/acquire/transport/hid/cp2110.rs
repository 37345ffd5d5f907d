//! The SiLabs CP2110 USB-HID UART bridge (UNI-T UT-D09 cable; built into the UT61E+ family's
//! USB link): the feature reports that enable, configure and purge its UART, and the data
//! reports in both directions, whose report ID is the number of bytes that follow.
//!
//! Pure: reports in, bytes out and bytes in, reports out; no I/O. From protocols.md §1.4.

use super::ReportError;
use crate::acquire::meter::models::{Parity, SerialSettings};

/// Most UART bytes one data report carries (report IDs 1-63, protocols.md §1.4).
pub const MAX_DATA: usize = 63;

/// Feature report ID: enable or disable the UART.
pub const REPORT_UART_ENABLE: u8 = 0x41;
/// Feature report ID: purge the FIFOs.
pub const REPORT_PURGE: u8 = 0x43;
/// Feature report ID: the UART's line settings.
pub const REPORT_UART_CONFIG: u8 = 0x50;

/// Purge flag: the transmit FIFO (protocols.md §1.4, bit 0).
pub const PURGE_TX: u8 = 0x01;
/// Purge flag: the receive FIFO (bit 1).
pub const PURGE_RX: u8 = 0x02;

/// The feature report that switches the UART on: `41 01`.
pub fn enable_report() -> [u8; 2] {
    [REPORT_UART_ENABLE, 0x01]
}

/// The feature report that empties the FIFOs named by `flags` (`PURGE_TX | PURGE_RX`).
pub fn purge_report(flags: u8) -> [u8; 2] {
    [REPORT_PURGE, flags & (PURGE_TX | PURGE_RX)]
}

// protocols.md §1.4: parity codes, flow control, data and stop bit codes.
const PARITY_NONE: u8 = 0;
const PARITY_EVEN: u8 = 1;
const PARITY_ODD: u8 = 2;
const FLOW_NONE: u8 = 0;
/// Data bits are sent as 0 for 5 … 3 for 8.
const DATA_BITS_BASE: u8 = 5;

/// Why line settings cannot be given to the CP2110.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum ConfigError {
    /// Only 5 to 8 data bits exist on the chip.
    DataBits(u8),
    /// Only 1 or 2 stop bits.
    StopBits(u8),
}

impl ConfigError {
    /// The error as a catalogue message.
    pub fn message(&self) -> crate::i18n::Message {
        match self {
            ConfigError::DataBits(n) => crate::msg!("cp2110-data-bits", bits = *n),
            ConfigError::StopBits(n) => crate::msg!("cp2110-stop-bits", bits = *n),
        }
    }
}

/// The UART configuration report: `50`, baud rate as 4 bytes big-endian, parity, flow
/// control (none), data bits, stop bits. 9600 8N1 is `50 00 00 25 80 00 00 03 00`.
pub fn config_report(s: &SerialSettings) -> Result<[u8; 9], ConfigError> {
    if !(5..=8).contains(&s.data_bits) {
        return Err(ConfigError::DataBits(s.data_bits));
    }
    let stop = match s.stop_bits {
        1 => 0,
        2 => 1,
        n => return Err(ConfigError::StopBits(n)),
    };
    let parity = match s.parity {
        Parity::None => PARITY_NONE,
        Parity::Even => PARITY_EVEN,
        Parity::Odd => PARITY_ODD,
    };
    let [b0, b1, b2, b3] = s.baud.to_be_bytes();
    Ok([
        REPORT_UART_CONFIG,
        b0,
        b1,
        b2,
        b3,
        parity,
        FLOW_NONE,
        s.data_bits - DATA_BITS_BASE,
        stop,
    ])
}

/// The line settings a configuration report sets (the simulated cable's side). `None` for
/// any other report, flow control, or a parity kmdiag never asks for (mark, space).
pub fn parse_config_report(report: &[u8]) -> Option<SerialSettings> {
    let [
        REPORT_UART_CONFIG,
        b0,
        b1,
        b2,
        b3,
        parity,
        FLOW_NONE,
        data,
        stop,
    ] = *report
    else {
        return None;
    };
    Some(SerialSettings {
        baud: u32::from_be_bytes([b0, b1, b2, b3]),
        data_bits: (data <= 3).then_some(data + DATA_BITS_BASE)?,
        parity: match parity {
            PARITY_NONE => Parity::None,
            PARITY_EVEN => Parity::Even,
            PARITY_ODD => Parity::Odd,
            _ => return None,
        },
        stop_bits: match stop {
            0 => 1,
            1 => 2,
            _ => return None,
        },
    })
}

/// The UART bytes of one data report: report ID n (1-63), then n bytes. Anything after them
/// is padding. A report ID outside 1-63 is a feature or other report, not data.
pub fn unframe(report: &[u8]) -> Result<&[u8], ReportError> {
    let Some(&id) = report.first() else {
        return Err(ReportError::Empty);
    };
    let n = usize::from(id);
    if n == 0 || n > MAX_DATA {
        return Err(ReportError::Header {
            value: id,
            expected: "a data report ID, 0x01-0x3f (the number of bytes)",
        });
    }
    report.get(1..=n).ok_or(ReportError::Short {
        count: n,
        got: report.len() - 1,
    })
}

/// The data reports that carry `data`, at most 63 bytes each.
pub fn frame(data: &[u8]) -> Vec<Vec<u8>> {
    frame_in(data, MAX_DATA)
}

/// The data reports that carry `data`, at most `size` (1-63) bytes each: a bridge hands on
/// what its FIFO holds, so one meter frame may arrive in several reports.
pub fn frame_in(data: &[u8], size: usize) -> Vec<Vec<u8>> {
    data.chunks(size.clamp(1, MAX_DATA))
        .map(|chunk| {
            let mut report = Vec::with_capacity(chunk.len() + 1);
            report.push(chunk.len() as u8);
            report.extend_from_slice(chunk);
            report
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::ut61eplus::REQUEST_MEASUREMENT;
    use proptest::prelude::*;

    fn settings(baud: u32, data_bits: u8, parity: Parity) -> SerialSettings {
        SerialSettings {
            baud,
            data_bits,
            parity,
            stop_bits: 1,
        }
    }

    #[test]
    fn the_documented_9600_8n1_report() {
        let r = config_report(&settings(9600, 8, Parity::None)).unwrap();
        assert_eq!(r, [0x50, 0x00, 0x00, 0x25, 0x80, 0x00, 0x00, 0x03, 0x00]);
        assert_eq!(
            parse_config_report(&r),
            Some(settings(9600, 8, Parity::None))
        );
    }

    #[test]
    fn a_ut61e_on_a_ut_d09_is_19200_7o1() {
        // protocols.md §1.4: parity = 2 (odd), data bits = 2 (7).
        let r = config_report(&settings(19200, 7, Parity::Odd)).unwrap();
        assert_eq!(r, [0x50, 0x00, 0x00, 0x4B, 0x00, 0x02, 0x00, 0x02, 0x00]);
        assert_eq!(
            parse_config_report(&r),
            Some(settings(19200, 7, Parity::Odd))
        );
    }

    #[test]
    fn impossible_settings_are_refused() {
        assert_eq!(
            config_report(&settings(9600, 9, Parity::None)),
            Err(ConfigError::DataBits(9))
        );
        let mut s = settings(9600, 8, Parity::None);
        s.stop_bits = 3;
        assert_eq!(config_report(&s), Err(ConfigError::StopBits(3)));
        assert_eq!(
            parse_config_report(&[0x50, 0, 0, 0x25, 0x80, 3, 0, 3, 0]),
            None
        );
        assert_eq!(parse_config_report(&enable_report()), None);
    }

    #[test]
    fn feature_reports_for_enable_and_purge() {
        assert_eq!(enable_report(), [0x41, 0x01]);
        assert_eq!(purge_report(PURGE_RX), [0x43, 0x02]);
        assert_eq!(purge_report(0xFF), [0x43, 0x03]);
    }

    #[test]
    fn data_reports_are_counted_by_their_id() {
        let reports = frame(&REQUEST_MEASUREMENT);
        assert_eq!(
            reports,
            vec![vec![0x06, 0xAB, 0xCD, 0x03, 0x5E, 0x01, 0xD9]]
        );
        // Padding after the counted bytes is not data.
        assert_eq!(
            unframe(&[0x02, 0xAB, 0xCD, 0x00, 0x00]),
            Ok(&[0xAB, 0xCD][..])
        );
        assert!(matches!(
            unframe(&[0x00, 1]),
            Err(ReportError::Header { .. })
        ));
        assert!(matches!(
            unframe(&[0x41, 1]),
            Err(ReportError::Header { .. })
        ));
        assert_eq!(
            unframe(&[0x05, 1, 2]),
            Err(ReportError::Short { count: 5, got: 2 })
        );
    }

    #[test]
    fn a_reply_split_over_small_reports_comes_back_whole() {
        let data: Vec<u8> = (0..100).collect();
        for size in [1, 2, 5, 63, 200] {
            let reports = frame_in(&data, size);
            assert!(reports.iter().all(|r| r.len() <= MAX_DATA + 1));
            let back: Vec<u8> = reports
                .iter()
                .flat_map(|r| unframe(r).unwrap().to_vec())
                .collect();
            assert_eq!(back, data, "reports of {size}");
        }
    }

    proptest! {
        #[test]
        fn no_report_panics(report in prop::collection::vec(any::<u8>(), 0..80)) {
            if let Ok(data) = unframe(&report) {
                prop_assert!(!data.is_empty() && data.len() <= MAX_DATA);
            }
        }

        #[test]
        fn no_feature_report_panics_the_parser(report in prop::collection::vec(any::<u8>(), 0..12)) {
            if let Some(s) = parse_config_report(&report) {
                prop_assert_eq!(config_report(&s).unwrap().to_vec(), report);
            }
        }
    }
}
