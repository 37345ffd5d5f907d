//! `kmdiag simulate`: write a simulated sweep, or serve a simulated meter/adapter on a pty.

use crate::exit::Outcome;
use anyhow::{Result, bail};

/// Arguments of `kmdiag simulate`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {}

/// Runs `kmdiag simulate`.
pub fn run(_args: SimulateArgs) -> Result<Outcome> {
    bail!("'kmdiag simulate' is not built yet")
}
