//! `kmdiag diff`: what changed between two sweeps or two building checks.

use crate::exit::Outcome;
use anyhow::{Result, bail};

/// Arguments of `kmdiag diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {}

/// Runs `kmdiag diff`.
pub fn run(_args: DiffArgs) -> Result<Outcome> {
    bail!("'kmdiag diff' is not built yet")
}
