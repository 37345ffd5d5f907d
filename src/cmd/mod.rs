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
/// ignore rather than a panic. Control characters that came from inputs are escaped (colour
/// kept when colour is on).
pub fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let safe = crate::input::terminal_safe(text, stdout_color());
    out.write_all(safe.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Where a command's result goes: stdout, or a file written atomically (`-o FILE`). Text is
/// written as it is produced, so a district's check streams; on stdout control characters
/// from inputs are escaped.
pub struct Output {
    sink: Sink,
    /// Keep colour sequences when escaping (stdout on a colour terminal).
    color: bool,
    /// Escape control characters on stdout; off for JSON, which serde already escapes.
    escape: bool,
}

enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>, bool),
    File(crate::output::AtomicFile, std::path::PathBuf),
}

impl Output {
    /// Stdout for `None` or `-`, else an atomic file (checked at once: rule 7).
    pub fn open(path: Option<&Path>, force: bool, color: bool) -> Result<Output> {
        let sink = match path {
            Some(p) if !crate::input::is_stdin(p) => Sink::File(
                crate::output::AtomicFile::create(p, force)?,
                p.to_path_buf(),
            ),
            _ => Sink::Stdout(
                std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
                std::io::stdout().is_terminal(),
            ),
        };
        Ok(Output {
            sink,
            color,
            escape: true,
        })
    }

    /// For JSON text, which cannot hold a raw control character: skip the escaping pass.
    pub fn json(mut self) -> Output {
        self.escape = false;
        self
    }

    /// True when writing to a file.
    pub fn is_file(&self) -> bool {
        matches!(self.sink, Sink::File(..))
    }

    /// Writes text.
    pub fn text(&mut self, text: &str) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(w, _) if self.escape => {
                w.write_all(crate::input::terminal_safe(text, self.color).as_bytes())
            }
            Sink::Stdout(w, _) => w.write_all(text.as_bytes()),
            Sink::File(f, _) => f.write_all(text.as_bytes()),
        }
    }

    /// Shows what was written so far when a person is watching (a terminal).
    pub fn progress(&mut self) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(w, true) => w.flush(),
            _ => Ok(()),
        }
    }

    /// Finishes: flushes stdout, or puts the file in place and says so on stderr.
    pub fn finish(self) -> Result<()> {
        match self.sink {
            Sink::Stdout(mut w, _) => Ok(w.flush()?),
            Sink::File(f, path) => {
                f.commit()?;
                eprintln!("kmdiag: wrote {}", path.display());
                Ok(())
            }
        }
    }
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
