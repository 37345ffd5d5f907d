//! Serving a simulated meter or scanning adapter on a pseudo-terminal, speaking the real
//! wire protocol, for tests, demos and trying the guided sweep without hardware.

use super::Probe;
use crate::exit::Outcome;
use anyhow::{Result, bail};

/// Options of `kmdiag simulate --serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Serve a simulated device instead of writing a sweep: a meter model or `adapter`
    #[arg(long, value_name = "METER|adapter")]
    pub serve: Option<String>,
}

/// Serves the simulated entrance until stopped.
pub fn run(args: &ServeArgs, _probe: Box<dyn Probe>) -> Result<Outcome> {
    bail!("serving {:?} is not built yet", args.serve)
}
