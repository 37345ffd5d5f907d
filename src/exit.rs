//! Exit codes, the one place that decides them (documented in the README):
//! 0 no fault, 1 faults found, 2 bad input or usage, 3 device or port failure, 5 sweep stopped
//! by the technician (partial file kept), 130 interrupted by Ctrl-C (partial file kept).

/// No fault found.
pub const HEALTHY: u8 = 0;
/// Faults found (or, for `diff`, something got worse).
pub const FAULTS: u8 = 1;
/// Bad input or usage; also a batch in which an item could not be checked.
pub const BAD_INPUT: u8 = 2;
/// A device or port failed: no port, no data, cable unplugged, meter silent.
pub const DEVICE: u8 = 3;
/// A live sweep stopped by the technician (`q`); the partial file is kept.
pub const STOPPED: u8 = 5;
/// Interrupted by Ctrl-C; a live sweep's partial file is kept. 128 + SIGINT, as shells report
/// a program killed by Ctrl-C, so scripts see the same code either way.
pub const INTERRUPTED: u8 = 130;

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing wrong.
    Healthy,
    /// Faults found, or something got worse.
    Faults,
    /// Part of a batch could not be checked; the rest was reported.
    Incomplete,
    /// A live sweep stopped by the technician; the partial file is kept.
    Stopped,
    /// A live sweep interrupted by Ctrl-C; the partial file is kept.
    Interrupted,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Healthy => HEALTHY,
            Outcome::Faults => FAULTS,
            Outcome::Incomplete => BAD_INPUT,
            Outcome::Stopped => STOPPED,
            Outcome::Interrupted => INTERRUPTED,
        }
    }
}

/// Wraps an error that came from a device or port, so it exits with code 3.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DeviceError(#[from] pub anyhow::Error);

/// The exit code for an error: 3 for device failures, 2 for everything else.
pub fn code_for_error(e: &anyhow::Error) -> u8 {
    if e.chain().any(|c| c.is::<DeviceError>()) {
        DEVICE
    } else {
        BAD_INPUT
    }
}

/// True when the error is only a closed stdout (`kmdiag … | head`): not worth a word.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
