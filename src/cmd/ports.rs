//! `kmdiag ports`: list serial ports with USB ids and cable hints.

use crate::exit::Outcome;
use anyhow::{Result, bail};

/// Arguments of `kmdiag ports`.
#[derive(Debug, clap::Args)]
pub struct PortsArgs {}

/// Runs `kmdiag ports`.
pub fn run(_args: PortsArgs) -> Result<Outcome> {
    bail!("'kmdiag ports' is not built yet")
}
