//! Sweep files: the recorded form of every measurement (CSV `plus,minus,ohms`), with an
//! optional `#` header saying how the sweep was taken.
//!
//! Parsing turns bytes into text (`text.rs`), the header into settings (`header.rs`), and rows
//! into a `Sweep` plus warnings (`read.rs`, values in `ohms.rs`), and never guesses: a row it
//! cannot read is an error naming the line and column. `settings.rs` decides which switch and
//! flats a sweep is read with. Writing is generic over `io::Write` so the live sweep can
//! append and flush one row at a time.

mod header;
mod ohms;
mod read;
mod settings;
mod text;
mod write;

pub use header::{FORMAT_VERSION, SweepHeader, VERSION_KEY, parse_header, ranges_text};
pub use ohms::{DecimalMarks, parse_reading};
pub use read::{SweepError, SweepWarning, parse_sweep};
pub use settings::{EntranceSettings, GivenBy, ResolvedEntrance, SettingsError, resolve_entrance};
pub use text::{TextEncoding, decode};
pub use write::{HEADER, SweepWriter, format_row, to_csv, to_csv_with_header};
