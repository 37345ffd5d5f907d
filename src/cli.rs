//! The command line: clap derive types only. Each subcommand's arguments live beside its
//! code in `cmd/<name>.rs`; option groups shared by several commands live here.

use clap::{ArgAction, Args, Parser, Subcommand};
use std::path::PathBuf;

/// Find the faulty handset of a coordinate-matrix intercom from a resistance sweep.
#[derive(Debug, Parser)]
#[command(
    name = "kmdiag",
    version = env!("KMDIAG_VERSION"),
    about,
    long_about = None,
    after_help = "Defaults for --port, --meter, --profile and the language can be kept in a settings file: 'kmdiag config path' says where, 'kmdiag config show' what is in effect."
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the command's name.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = crate::term::ColorChoice::Auto,
        global = true
    )]
    pub color: crate::term::ColorChoice,
    /// Quiet: no warnings or notes on stderr, only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say what kmdiag is doing: settings and files read, profile chosen, port opened (-vv:
    /// more)
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Settings file to use instead of the one in the OS config folder; a folder means its
    /// config.toml and profiles/ [env: KMDIAG_CONFIG]
    #[arg(long, value_name = "FILE|DIR", global = true)]
    pub config: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose a recorded sweep: name faulty handsets by apartment, with evidence
    Diagnose(crate::cmd::diagnose::DiagnoseArgs),
    /// Map apartments to D/E crossings and back, or draw the whole grid
    Map(crate::cmd::map::MapArgs),
    /// List the vendor profiles (built in and your own), or show one
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
    /// Where the settings file is, what is in effect, or write an example one
    Config(crate::cmd::config::ConfigArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(crate::cmd::completions::CompletionsArgs),
    /// Print the manual page (roff), or write one per command into a folder
    Man(crate::cmd::man::ManArgs),
}

impl Command {
    /// True for the commands that read the settings file: not `config` (it must work when
    /// the file is broken, to find and show it), `completions` or `man`.
    pub fn uses_settings(&self) -> bool {
        !matches!(
            self,
            Command::Config(_) | Command::Completions(_) | Command::Man(_)
        )
    }
}

/// Which switch and which flats: shared by every command that needs a layout.
#[derive(Debug, Clone, Args)]
pub struct EntranceArgs {
    /// Vendor profile: a built-in name (metakom, eltis, vizit, cyfral, beward, factorial), one
    /// of yours (kmdiag profiles), or a path to a .toml file
    #[arg(long, value_name = "NAME|PATH", env = "KMDIAG_PROFILE")]
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
    /// Vendor profile: a built-in name (metakom, eltis, vizit, cyfral, beward, factorial), one
    /// of yours (kmdiag profiles), or a path to a .toml file [default: the sweep's header,
    /// else KMDIAG_PROFILE, else the settings file's]
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
    /// The profile used when neither `--profile` nor a sweep's header gives one
    /// (KMDIAG_PROFILE, else the settings file's). Not a flag: a building plan and a sweep's
    /// header name their own, so only an explicit `--profile` counts as given.
    #[arg(skip)]
    pub fallback_profile: Option<String>,
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

    /// The complete options, when `--profile` was given or has a default.
    pub fn complete(&self) -> Option<EntranceArgs> {
        Some(EntranceArgs {
            profile: self
                .profile
                .clone()
                .or_else(|| self.fallback_profile.clone())?,
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
