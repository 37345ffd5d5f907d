//! `kmdiag sweep`: a live sweep with an adapter or a guided handheld meter.

use crate::exit::Outcome;
use anyhow::{Result, bail};

/// Arguments of `kmdiag sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {}

/// Runs `kmdiag sweep`.
pub fn run(_args: SweepArgs) -> Result<Outcome> {
    bail!("'kmdiag sweep' is not built yet")
}
