//! The command line: clap derive types only. Each subcommand's arguments live beside its
//! code in `cmd/<name>.rs`; option groups shared by several commands live here.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Find the faulty handset of a coordinate-matrix intercom from a resistance sweep.
#[derive(Debug, Parser)]
#[command(name = "kmdiag", version, about, long_about = None)]
pub struct Cli {
    /// Language of everything kmdiag writes for people (default: KMDIAG_LANG, else the
    /// system's language, else English); JSON stays English. --help is English
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose a recorded sweep: name faulty handsets by apartment, with evidence
    Diagnose(crate::cmd::diagnose::DiagnoseArgs),
    /// Map apartments to D/E crossings and back, or draw the whole grid
    Map(crate::cmd::map::MapArgs),
    /// List the vendor profiles, or show one
    Profiles(crate::cmd::profiles::ProfilesArgs),
    /// Simulate an entrance physically: write a sweep, or serve a simulated meter or adapter
    Simulate(crate::cmd::simulate::SimulateArgs),
    /// List serial ports, with hints about meter cables
    Ports(crate::cmd::ports::PortsArgs),
    /// Show live readings from a multimeter (a remote display), or decode a recording
    Read(crate::cmd::read::ReadArgs),
    /// Sweep a switch live with a scanning adapter or a guided handheld meter, then diagnose
    Sweep(crate::cmd::sweep::SweepArgs),
    /// Check every entrance of a building plan, or every sweep in a folder
    Check(crate::cmd::check::CheckArgs),
    /// Write a wiring report (Markdown, HTML, CSV or JSON) for the office
    Report(crate::cmd::report::ReportArgs),
    /// Compare two sweeps or two building checks: what appeared, cleared or drifted
    Diff(crate::cmd::diff::DiffArgs),
}

/// Which switch and which flats: shared by every command that needs a layout.
#[derive(Debug, Clone, Args)]
pub struct EntranceArgs {
    /// Vendor profile: a built-in name (metakom, eltis, vizit, cyfral, beward, factorial) or a
    /// path to a .toml file
    #[arg(long, value_name = "NAME|PATH")]
    pub profile: String,
    /// Switch model (default: the profile's default switch)
    #[arg(long, value_name = "MODEL")]
    pub switch: Option<String>,
    /// Installer's numbering offset: line = apartment − OFFSET
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub offset: i64,
    /// Apartments wired to this matrix, e.g. 73-144 (default: every line is in use)
    #[arg(long, value_name = "A-B", value_parser = crate::profile::parse_apartments_arg)]
    pub apartments: Option<ApartmentRanges>,
    /// Which matrix (hundred, from 1) the sweep is from, when the apartments span several
    #[arg(long, value_name = "N")]
    pub matrix: Option<u16>,
    /// Explicit map file (CSV apartment,tens,units) overriding the numbering arithmetic
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
}

/// The shared entrance options (`EntranceArgs`), all optional: for commands that need them
/// only for some inputs (a folder of sweeps, a sweep rather than a JSON document).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OptionalEntranceArgs {
    /// Vendor profile: a built-in name (metakom, eltis, vizit, cyfral, beward, factorial) or a
    /// path to a .toml file
    #[arg(long, value_name = "NAME|PATH")]
    pub profile: Option<String>,
    /// Switch model (default: the profile's default switch)
    #[arg(long, value_name = "MODEL")]
    pub switch: Option<String>,
    /// Installer's numbering offset: line = apartment − OFFSET (default 0)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub offset: Option<i64>,
    /// Apartments wired to this matrix, e.g. 73-144 (default: every line is in use)
    #[arg(long, value_name = "A-B", value_parser = crate::profile::parse_apartments_arg)]
    pub apartments: Option<ApartmentRanges>,
    /// Which matrix (hundred, from 1) the sweeps are from, when the apartments span several
    #[arg(long, value_name = "N")]
    pub matrix: Option<u16>,
    /// Explicit map file (CSV apartment,tens,units) overriding the numbering arithmetic
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
}

impl OptionalEntranceArgs {
    /// The flags that were given, as typed.
    pub fn given(&self) -> Vec<&'static str> {
        [
            (self.profile.is_some(), "--profile"),
            (self.switch.is_some(), "--switch"),
            (self.offset.is_some(), "--offset"),
            (self.apartments.is_some(), "--apartments"),
            (self.matrix.is_some(), "--matrix"),
            (self.map.is_some(), "--map"),
        ]
        .into_iter()
        .filter_map(|(given, name)| given.then_some(name))
        .collect()
    }

    /// True when any option was given.
    pub fn any(&self) -> bool {
        !self.given().is_empty()
    }

    /// The complete options, when `--profile` was given.
    pub fn complete(&self) -> Option<EntranceArgs> {
        Some(EntranceArgs {
            profile: self.profile.clone()?,
            switch: self.switch.clone(),
            offset: self.offset.unwrap_or(0),
            apartments: self.apartments.clone(),
            matrix: self.matrix,
            map: self.map.clone(),
        })
    }
}

/// Parsed `--apartments` ranges.
pub type ApartmentRanges = Vec<std::ops::RangeInclusive<u32>>;
