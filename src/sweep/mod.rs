//! Sweep files: the recorded form of every measurement (CSV `plus,minus,ohms`).
//!
//! Parsing turns text into a `Sweep` plus warnings, and never guesses: a row it cannot read
//! is an error naming the line and column. Writing is generic over `io::Write` so the live
//! sweep can append and flush one row at a time.

mod read;
mod write;

pub use read::{SweepError, SweepWarning, parse_sweep, parse_sweep_bytes};
pub use write::{HEADER, SweepWriter, format_row, to_csv};
