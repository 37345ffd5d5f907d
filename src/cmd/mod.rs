//! The commands: one file each, `Args` + `run() -> anyhow::Result<Outcome>`. This is the edge
//! where files are read, stdout is written and typed errors get their context.

pub mod check;
pub mod diagnose;
pub mod diff;
pub mod map;
pub mod ports;
pub mod profiles;
pub mod read;
pub mod report;
pub mod simulate;
pub mod sweep;

use crate::cli::{Cli, Command, EntranceArgs};
use crate::exit::Outcome;
use crate::model::Sweep;
use crate::profile::{self, Layout, LayoutSpec, Profile};
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Diagnose(args) => diagnose::run(args),
        Command::Map(args) => map::run(args),
        Command::Profiles(args) => profiles::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Ports(args) => ports::run(args),
        Command::Read(args) => read::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Check(args) => check::run(args),
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args),
    }
}

/// Writes text to stdout with `write_all`, so a closed pipe is an error we can recognise and
/// ignore rather than a panic.
pub fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Colour on stdout: only on a terminal, and never when NO_COLOR is set.
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Resolves the profile and switch of `--profile`/`--switch`.
pub fn load_profile(args: &EntranceArgs) -> Result<(Profile, profile::Switch)> {
    let p = profile::resolve(&args.profile)?;
    let s = p.switch(args.switch.as_deref())?.clone();
    Ok((p, s))
}

/// Builds the layout of the matrix under test from the shared entrance options.
pub fn load_layout(args: &EntranceArgs) -> Result<(Profile, Layout)> {
    let (p, s) = load_profile(args)?;
    let map = match &args.map {
        Some(path) => {
            let text = crate::input::read_text(path, crate::input::MAP_LIMIT, "map file")?;
            Some(profile::parse_map_file(&text, path, &p.line_labels(&s))?)
        }
        None => None,
    };
    let spec = LayoutSpec {
        offset: args.offset,
        apartments: args.apartments.clone(),
        matrix: args.matrix,
        map,
        known_absent: Vec::new(),
    };
    let layout = Layout::build(&p, &s, &spec)?;
    Ok((p, layout))
}

/// Reads and parses a sweep file (or stdin for `-`); warnings go to stderr.
pub fn read_sweep(path: &Path, layout: &Layout) -> Result<Sweep> {
    let bytes = crate::input::read_input(path, crate::input::SWEEP_LIMIT, "sweep file")?;
    let (sweep, warnings) = crate::sweep::parse_sweep_bytes(&bytes, path, &layout.labels)?;
    for w in warnings {
        warn(&w.message);
    }
    Ok(sweep)
}

/// Prints a warning on stderr, control characters from inputs escaped.
pub fn warn(message: &str) {
    eprintln!(
        "kmdiag: warning: {}",
        crate::input::terminal_safe(message, false)
    );
}
