//! The commands: one file each, `Args` + `run() -> anyhow::Result<Outcome>`. This is the edge
//! where files are read, stdout is written and typed errors get their context.

pub mod check;
pub mod completions;
pub mod config;
pub mod diagnose;
pub mod diff;
pub mod man;
pub mod map;
pub mod ports;
pub mod profiles;
pub mod read;
pub mod report;
pub mod settings;
pub mod simulate;
pub mod sweep;

use crate::cli::{Command, EntranceArgs};
use crate::exit::Outcome;
use crate::model::Sweep;
use crate::profile::{self, Layout, LayoutSpec, Profile};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Runs the parsed command line.
pub fn run(invocation: settings::Invocation) -> Result<Outcome> {
    match invocation.cli.command {
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
        Command::Config(args) => config::run(args, invocation.location, invocation.settings),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
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

/// Writes bytes to stdout as `emit` does (generated scripts and pages, not report text).
pub fn emit_bytes(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// Colour on stdout, as `--color` says (auto: only on a terminal, and never when NO_COLOR is
/// set).
pub fn stdout_color() -> bool {
    crate::term::stdout_color()
}

/// The width tables on stdout must fit: the terminal's, or `None` (the stable layout) when
/// stdout is a pipe or a file.
pub fn table_width() -> Option<u16> {
    crate::term::stdout_table_width()
}

/// The language: `flag` when given, else the settings file's, else Russian when `LANG`
/// starts with `ru`, else English.
pub fn language(flag: Option<crate::i18n::Lang>) -> crate::i18n::Lang {
    crate::i18n::Lang::choose(
        flag.or_else(settings::settings_lang),
        std::env::var("LANG").ok().as_deref(),
    )
}

/// Resolves the profile and switch of `--profile`/`--switch`.
pub fn load_profile(args: &EntranceArgs) -> Result<(Profile, profile::Switch)> {
    let (p, source) = profile::resolve_with_source(&args.profile)?;
    match source {
        profile::ProfileSource::Builtin => log::debug!("profile {}: built in", p.name),
        profile::ProfileSource::User(path) | profile::ProfileSource::File(path) => {
            log::debug!("profile {}: read from {}", p.name, path.display())
        }
    }
    let s = p.switch(args.switch.as_deref())?.clone();
    log::debug!(
        "switch {} ({} tens × {} units × {} matrices)",
        s.model,
        s.tens,
        s.units,
        s.matrices
    );
    Ok((p, s))
}

/// Builds the layout of the matrix under test from the shared entrance options.
pub fn load_layout(args: &EntranceArgs) -> Result<(Profile, Layout)> {
    let (p, s) = load_profile(args)?;
    let map = match &args.map {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read map file {}", path.display()))?;
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

/// How many readings a sweep holds (both directions and the line-to-line checks).
fn count_readings(sweep: &Sweep) -> usize {
    let crossings: usize = sweep
        .cells()
        .map(|c| usize::from(sweep.forward(c).is_some()) + usize::from(sweep.reverse(c).is_some()))
        .sum();
    crossings + sweep.bus().len()
}

/// Reads and parses a sweep file; warnings go to stderr.
pub fn read_sweep(path: &Path, layout: &Layout) -> Result<Sweep> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read sweep file {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        anyhow::anyhow!(
            "{}: line {line}, byte {}: not UTF-8 text; save the sweep as UTF-8 CSV",
            path.display(),
            at + 1
        )
    })?;
    let (sweep, warnings) = crate::sweep::parse_sweep(&text, path, &layout.labels)?;
    log::debug!(
        "read {} readings from {}",
        count_readings(&sweep),
        path.display()
    );
    for w in warnings {
        log::warn!("{}", w.message);
    }
    Ok(sweep)
}
