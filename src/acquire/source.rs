//! The one trait every source of resistance readings implements: a handheld meter's stream,
//! the scanning adapter, a recorded byte stream or a recorded sweep.

use super::meter::MeterReading;
use crate::model::Terminal;
use std::time::Duration;

/// One reading from a source. A scanning adapter knows where its probes were; a handheld
/// meter does not (the guided sweep knows where it asked the technician to put them).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// What the instrument reported.
    pub reading: MeterReading,
    /// Red (+) and black (−) terminals, when the source knows them.
    pub probes: Option<(Terminal, Terminal)>,
}

/// Why a source stopped or failed.
#[derive(Debug, thiserror::Error)]
pub enum AcquireError {
    /// No valid data within the timeout. `hint` says what to check, for this device.
    #[error("no valid data from {source_name} for {}; {hint}", Seconds(*.waited))]
    Silent {
        /// The port or file.
        source_name: String,
        /// How long we waited.
        waited: Duration,
        /// What to check: PC-link button, cable, DTR/RTS, port name.
        hint: String,
    },
    /// The port went away (cable unplugged) or reported an I/O error.
    #[error("lost {source_name}: {cause}; check the cable and the port name")]
    Disconnected {
        /// The port.
        source_name: String,
        /// The OS error.
        cause: std::io::Error,
    },
    /// The port cannot be opened.
    #[error("cannot open {port}: {cause}")]
    Open {
        /// The port.
        port: String,
        /// What the OS said, and what to do.
        cause: String,
    },
    /// The device answered but broke its protocol.
    #[error("{source_name}: {problem}")]
    Protocol {
        /// The port or file.
        source_name: String,
        /// What was wrong.
        problem: String,
    },
}

/// A duration in words for messages: "3 s", "2.5 s", "0.05 s" (never "3.005521075s").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(pub Duration);

impl std::fmt::Display for Seconds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0.as_secs_f64();
        let n = if s >= 10.0 {
            format!("{s:.0}")
        } else if s >= 0.1 {
            // One decimal, dropped when it is zero: 3 s, 2.5 s.
            let tenths = (s * 10.0).round() / 10.0;
            format!("{tenths}")
        } else {
            format!("{s:.2}")
        };
        // The unit in the run's language: "2.5 s", "2.5 с".
        write!(f, "{}", crate::msg!("unit-seconds", n = n))
    }
}

/// A source of resistance readings.
pub trait Source {
    /// The next sample, waiting at most `timeout`. `Ok(None)` is a clean end of data (end of a
    /// recording, end of an adapter sweep); `Err(Silent)` means nothing valid arrived in time.
    fn next_sample(&mut self, timeout: Duration) -> Result<Option<Sample>, AcquireError>;

    /// A short description for messages and report headers, e.g. `UT61E on /dev/ttyUSB0`.
    fn describe(&self) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_seconds() {
        let s = |secs: f64| Seconds(Duration::from_secs_f64(secs)).to_string();
        assert_eq!(s(3.005521075), "3 s");
        assert_eq!(s(2.5), "2.5 s");
        assert_eq!(s(0.5), "0.5 s");
        assert_eq!(s(0.05), "0.05 s");
        assert_eq!(s(61.4), "61 s");
    }
}
