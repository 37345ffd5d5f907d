//! `kmdiag check`: diagnose every entrance of a building plan or every sweep in a folder.

use crate::exit::Outcome;
use anyhow::{Result, bail};

/// Arguments of `kmdiag check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

/// Runs `kmdiag check`.
pub fn run(_args: CheckArgs) -> Result<Outcome> {
    bail!("'kmdiag check' is not built yet")
}
