//! kmdiag: diagnose coordinate-matrix intercom switches from resistance sweeps.
//!
//! Layers (see README): `model` plain data; `profile` vendors and mapping; `sweep` the CSV
//! form of readings; `diagnose` the pure engine; `export` renderers; `cmd` the commands.
#![warn(missing_docs)]

pub mod acquire;
pub mod batch;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnose;
pub mod exit;
pub mod export;
#[doc(hidden)]
pub mod fuzz_input;
pub mod i18n;
pub mod input;
pub mod logger;
pub mod model;
pub mod output;
pub mod profile;
pub mod sim;
pub mod suggest;
pub mod sweep;
pub mod term;
