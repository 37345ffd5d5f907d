//! Exit codes, the one place that decides them (documented in the README):
//! 0 no fault, 1 faults found, 2 bad input or usage, 3 device or port failure, 4 the sweep did
//! not measure every apartment both ways, or names no fault while one it cannot name is more
//! likely than not, so the entrance could not be judged whole, 5 a live
//! sweep stopped by the technician (partial file kept), 130 interrupted by Ctrl-C (partial
//! file kept).

/// No fault found.
pub const HEALTHY: u8 = 0;
/// Faults found (or, for `diff`, something got worse).
pub const FAULTS: u8 = 1;
/// Bad input or usage; also a batch in which an item could not be checked.
pub const BAD_INPUT: u8 = 2;
/// A device or port failed: no port, no data, cable unplugged, meter silent.
pub const DEVICE: u8 = 3;
/// Could not judge the whole entrance: some apartment's crossing was not measured in both
/// directions (issue 12; the findings on what was measured are still printed), or no fault
/// is named while the cannot-tell list holds one at least as likely as not.
pub const UNJUDGED: u8 = 4;
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
    /// A sweep left apartments unmeasured, or named no fault while one it cannot name is
    /// at least as likely as not, so an entrance could not be judged whole.
    Unjudged,
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
            Outcome::Unjudged => UNJUDGED,
            Outcome::Stopped => STOPPED,
            Outcome::Interrupted => INTERRUPTED,
        }
    }

    /// The outcome of one diagnosed entrance: an incomplete sweep could not be judged whole
    /// (whatever it found) unless `partial` says the technician left crossings out on
    /// purpose; then faults, or none named while one is likely (not judged whole either:
    /// `partial` does not excuse it), or healthy.
    pub fn of(d: &crate::diagnose::Diagnosis, partial: bool) -> Outcome {
        if !d.is_complete() && !partial {
            Outcome::Unjudged
        } else if d.has_faults() {
            Outcome::Faults
        } else if d.is_unsettled() {
            Outcome::Unjudged
        } else {
            Outcome::Healthy
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
