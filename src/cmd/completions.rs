//! `kmdiag completions SHELL`: the shell's completion script on stdout, generated from the
//! same clap definition that parses the command line, so it always knows every command and
//! flag. Installing it is the shell's business (the README says where each one looks).

use crate::cli::Cli;
use crate::exit::Outcome;
use anyhow::Result;
use clap::CommandFactory;

/// Arguments of `kmdiag completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// The completion script for `shell`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kmdiag", &mut out);
    out
}

/// Runs `kmdiag completions`.
pub fn run(args: CompletionsArgs) -> Result<Outcome> {
    super::emit_bytes(&script(args.shell))?;
    Ok(Outcome::Healthy)
}
