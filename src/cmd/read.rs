//! `kmdiag read`: a remote display of a meter, or decode a recorded byte stream.

use crate::exit::Outcome;
use anyhow::{Result, bail};

/// Arguments of `kmdiag read`.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {}

/// Runs `kmdiag read`.
pub fn run(_args: ReadArgs) -> Result<Outcome> {
    bail!("'kmdiag read' is not built yet")
}
