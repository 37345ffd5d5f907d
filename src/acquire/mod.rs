//! Acquisition: where readings come from. A transport (`transport`: a serial port or
//! pseudo-terminal, a TCP serial bridge; or a recorded file) carries a byte stream; one pure decoder per meter chip family turns bytes into readings;
//! the adapter speaks kmdiag's own line protocol. Every source implements `Source`.

pub mod adapter;
pub mod capture;
pub mod link;
pub mod meter;
pub mod source;
pub mod stream;
pub mod transport;

pub use source::{AcquireError, Sample, Source};
pub use stream::{EndOfData, MeterSource};
