//! The one trait every source of resistance readings implements: a handheld meter's stream,
//! the scanning adapter, a recorded byte stream or a recorded sweep.

use super::meter::MeterReading;
use crate::i18n::Message;
use crate::model::Terminal;
use crate::msg;
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

/// Why a source stopped or failed. Display is `message` in the run's language.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum AcquireError {
    /// No valid data within the timeout. `hint` says what to check, for this device.
    Silent {
        /// The port or file.
        source_name: String,
        /// How long we waited.
        waited: Duration,
        /// What to check: PC-link button, cable, DTR/RTS, port name.
        hint: Message,
    },
    /// The port went away (cable unplugged) or reported an I/O error.
    Disconnected {
        /// The port.
        source_name: String,
        /// The OS error.
        cause: std::io::Error,
    },
    /// The port cannot be opened.
    Open {
        /// The port.
        port: String,
        /// What the OS said, and what to do.
        cause: Message,
    },
    /// The device answered but broke its protocol.
    Protocol {
        /// The port or file.
        source_name: String,
        /// What was wrong.
        problem: Message,
    },
}

impl AcquireError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            AcquireError::Silent {
                source_name,
                waited,
                hint,
            } => msg!(
                "error-acquire-silent",
                source = source_name,
                time = Seconds(*waited).to_string(),
                hint = hint.clone()
            ),
            AcquireError::Disconnected { source_name, cause } => msg!(
                "error-acquire-lost",
                source = source_name,
                cause = crate::i18n::os_error(cause)
            ),
            AcquireError::Open { port, cause } => {
                msg!("error-acquire-open", port = port, cause = cause.clone())
            }
            AcquireError::Protocol {
                source_name,
                problem,
            } => msg!(
                "error-acquire-protocol",
                source = source_name,
                problem = problem.clone()
            ),
        }
    }
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
