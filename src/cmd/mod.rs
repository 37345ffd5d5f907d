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

use crate::cli::{Command, EntranceArgs, OptionalEntranceArgs};
use crate::exit::Outcome;
use crate::model::Sweep;
use crate::profile::{self, Layout, LayoutSpec, Profile};
use crate::sweep::{EntranceSettings, GivenBy, SweepHeader, resolve_entrance};
use anyhow::Result;
use std::io::{IsTerminal, Write};
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
/// ignore rather than a panic. Control characters that came from inputs are escaped (colour
/// kept when colour is on).
pub fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let safe = crate::input::terminal_safe(text, stdout_color());
    out.write_all(safe.as_bytes())?;
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

/// The width for a table written to `output` (`-o FILE`): a file gets the stable layout,
/// stdout the terminal's width.
pub fn table_width_to(output: Option<&Path>) -> Option<u16> {
    match output {
        Some(p) if !crate::input::is_stdin(p) => None,
        _ => table_width(),
    }
}

/// The language: `flag` when given, else the settings file's, else Russian when `LANG`
/// starts with `ru`, else English.
pub fn language(flag: Option<crate::i18n::Lang>) -> crate::i18n::Lang {
    crate::i18n::Lang::choose(
        flag.or_else(settings::settings_lang),
        std::env::var("LANG").ok().as_deref(),
    )
}

/// Loads a `--profile` value, saying where it came from with `-v`.
fn load_named_profile(name: &str) -> Result<Profile> {
    let (p, source) = profile::resolve_with_source(name)?;
    match source {
        profile::ProfileSource::Builtin => log::debug!("profile {}: built in", p.name),
        profile::ProfileSource::User(path) | profile::ProfileSource::File(path) => {
            log::debug!("profile {}: read from {}", p.name, path.display())
        }
    }
    Ok(p)
}

/// Resolves the profile and switch of `--profile`/`--switch`.
pub fn load_profile(args: &EntranceArgs) -> Result<(Profile, profile::Switch)> {
    let p = load_named_profile(&args.profile)?;
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

/// Reads a sweep file's text (UTF-8, UTF-16 or windows-1251; a regular file or `-`, at most
/// `input::SWEEP_LIMIT`) and its `#` header; header warnings go to stderr.
pub fn read_sweep_text(path: &Path) -> Result<(String, SweepHeader)> {
    let bytes = crate::input::read_input(path, crate::input::SWEEP_LIMIT, "sweep file")?;
    let (text, _) = crate::sweep::decode(&bytes, path)?;
    let (header, warnings) = crate::sweep::parse_header(&text, path)?;
    for w in warnings {
        warn(&w.message);
    }
    Ok((text, header))
}

/// Reads and parses a sweep file against a layout; warnings go to stderr.
pub fn read_sweep(path: &Path, layout: &Layout) -> Result<Sweep> {
    let (text, _) = read_sweep_text(path)?;
    parse_sweep_text(&text, path, layout)
}

/// How many readings a sweep holds (both directions and the line-to-line checks).
fn count_readings(sweep: &Sweep) -> usize {
    let crossings: usize = sweep
        .cells()
        .map(|c| usize::from(sweep.forward(c).is_some()) + usize::from(sweep.reverse(c).is_some()))
        .sum();
    crossings + sweep.bus().len()
}

fn parse_sweep_text(text: &str, path: &Path, layout: &Layout) -> Result<Sweep> {
    let (sweep, warnings) = crate::sweep::parse_sweep(text, path, &layout.labels)?;
    log::debug!(
        "read {} readings from {}",
        count_readings(&sweep),
        path.display()
    );
    for w in warnings {
        warn(&w.message);
    }
    Ok(sweep)
}

/// Prints a warning on stderr through the log (so `-q` silences it), control characters from
/// inputs escaped by the logger.
pub fn warn(message: &str) {
    log::warn!("{message}");
}

/// A recorded sweep with everything needed to diagnose it.
pub struct SweepInput {
    /// The vendor profile.
    pub profile: Profile,
    /// The matrix layout.
    pub layout: Layout,
    /// The readings.
    pub sweep: Sweep,
    /// What the file's header says.
    pub header: SweepHeader,
}

/// The settings the shared entrance flags give, profile loaded and switch checked, so a typo
/// fails before any file is read; with the default profile (KMDIAG_PROFILE, the settings
/// file) for sweeps whose header names none.
pub fn given_settings(args: &OptionalEntranceArgs) -> Result<EntranceSettings> {
    let profile = args
        .profile
        .as_deref()
        .map(load_named_profile)
        .transpose()?;
    if let (Some(p), Some(s)) = (&profile, &args.switch) {
        p.switch(Some(s))?;
    }
    let default_profile = match (&profile, &args.fallback_profile) {
        (None, Some(name)) => Some(load_named_profile(name)?),
        _ => None,
    };
    Ok(EntranceSettings {
        profile: profile.map(std::sync::Arc::new),
        switch: args.switch.clone(),
        offset: args.offset,
        apartments: args.apartments.clone(),
        matrix: args.matrix,
        map: args.map.clone(),
        default_profile: default_profile.map(std::sync::Arc::new),
    })
}

/// Reads a sweep file with the entrance flags over its header (`sweep::resolve_entrance`):
/// where they disagree the flag wins and a warning on stderr names both.
pub fn read_sweep_input(path: &Path, args: &OptionalEntranceArgs) -> Result<SweepInput> {
    let given = given_settings(args)?;
    let (text, header) = read_sweep_text(path)?;
    let resolved = resolve_entrance(&given, &GivenBy::Flags, &header, path, &[])?;
    for w in &resolved.warnings {
        warn(w);
    }
    let sweep = parse_sweep_text(&text, path, &resolved.layout)?;
    Ok(SweepInput {
        profile: resolved.profile,
        layout: resolved.layout,
        sweep,
        header,
    })
}

/// The time to write in a new sweep's header: now, local time with its offset.
pub fn measured_now() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// How a path given on the command line is written in a sweep header: relative to the sweep
/// file's folder (so the two can move together), else absolute (another drive).
pub fn header_path(written: &Path, sweep: &Path) -> String {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let target = absolute(written);
    let dir = absolute(sweep)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    pathdiff::diff_paths(&target, &dir).map_or_else(
        || target.display().to_string(),
        |r| match cfg!(windows) {
            true => r.to_string_lossy().replace('\\', "/"),
            false => r.to_string_lossy().into_owned(),
        },
    )
}

/// The header of a sweep that `simulate` or `sweep` starts writing to `out`: the entrance
/// as resolved (profile, switch, matrix, offset) and as given (apartments, map), and how and
/// when it is measured.
pub fn new_sweep_header(
    entrance: &EntranceArgs,
    layout: &Layout,
    out: &Path,
    how: SweepOrigin,
) -> SweepHeader {
    let profile = match profile::builtin_source(&entrance.profile) {
        Some(_) => layout.profile.clone(),
        None => header_path(Path::new(&entrance.profile), out),
    };
    SweepHeader {
        measured_at: Some(how.measured_at),
        kmdiag: Some(env!("CARGO_PKG_VERSION").to_string()),
        meter: Some(how.meter),
        source: Some(how.source),
        profile: Some(profile),
        switch: Some(layout.switch.model.clone()),
        matrix: Some(layout.matrix),
        offset: Some(layout.offset),
        apartments: entrance.apartments.clone(),
        map: entrance.map.as_deref().map(|m| header_path(m, out)),
        notes: how.notes,
        lines: Vec::new(),
    }
}

/// How and when a new sweep is taken, for its header.
pub struct SweepOrigin {
    /// RFC 3339 local time with offset.
    pub measured_at: String,
    /// The meter or adapter.
    pub meter: String,
    /// The port, or the simulator.
    pub source: String,
    /// The technician's `--note`s.
    pub notes: Vec<String>,
}
