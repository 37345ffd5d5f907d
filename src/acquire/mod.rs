//! Acquisition: where readings come from. A transport (serial port, pseudo-terminal, file)
//! carries a byte stream; one pure decoder per meter chip family turns bytes into readings;
//! the adapter speaks kmdiag's own line protocol. Every source implements `Source`.

pub mod adapter;
pub mod capture;
pub mod link;
pub mod meter;
pub mod source;
pub mod stream;

pub use source::{AcquireError, Sample, Source};
pub use stream::{EndOfData, MeterSource};
