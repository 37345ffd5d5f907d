//! `kmdiag report`: wiring reports for the office.

use crate::exit::Outcome;
use anyhow::{Result, bail};

/// Arguments of `kmdiag report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {}

/// Runs `kmdiag report`.
pub fn run(_args: ReportArgs) -> Result<Outcome> {
    bail!("'kmdiag report' is not built yet")
}
