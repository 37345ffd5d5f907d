//! `kmdiag diagnose`: read a sweep file, diagnose it, print a table or JSON.

use crate::cli::EntranceArgs;
use crate::diagnose::diagnose;
use crate::exit::Outcome;
use crate::export::{self, EntranceReport, Format, Report, Style};
use crate::model::Sweep;
use crate::profile::{Layout, Profile};
use anyhow::Result;
use std::path::PathBuf;

/// Arguments of `kmdiag diagnose`.
#[derive(Debug, clap::Args)]
pub struct DiagnoseArgs {
    /// Sweep file (CSV with columns plus,minus,ohms)
    #[arg(value_name = "SWEEP.csv")]
    pub sweep: PathBuf,
    /// Switch, offset and apartments
    #[command(flatten)]
    pub entrance: EntranceArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `kmdiag diagnose`.
pub fn run(args: DiagnoseArgs) -> Result<Outcome> {
    let (profile, layout) = super::load_layout(&args.entrance)?;
    let sweep = super::read_sweep(&args.sweep, &layout)?;
    present(
        &profile,
        layout,
        sweep,
        args.sweep.display().to_string(),
        None,
        args.format,
    )
}

/// Diagnoses a sweep and prints it as `diagnose` does; shared with `sweep`, which diagnoses
/// the finished live sweep straight away.
pub fn present(
    profile: &Profile,
    layout: Layout,
    sweep: Sweep,
    source: String,
    meter: Option<String>,
    format: Format,
) -> Result<Outcome> {
    present_to(
        &mut std::io::stdout(),
        profile,
        layout,
        sweep,
        source,
        meter,
        format,
    )
}

/// `present`, written to `out` instead of stdout.
pub fn present_to(
    out: &mut dyn std::io::Write,
    profile: &Profile,
    layout: Layout,
    sweep: Sweep,
    source: String,
    meter: Option<String>,
    format: Format,
) -> Result<Outcome> {
    let diagnosis = diagnose(&sweep, &layout, &profile.nominal_forward_ohms.into());
    let outcome = if diagnosis.has_faults() {
        Outcome::Faults
    } else {
        Outcome::Healthy
    };
    let report = Report {
        building: None,
        date: None,
        notes: Vec::new(),
        entrances: vec![EntranceReport {
            entrance: None,
            source,
            meter,
            notes: Vec::new(),
            layout,
            sweep,
            diagnosis,
        }],
    };
    let style = Style {
        color: super::stdout_color(),
        lang: crate::i18n::Lang::choose(None, std::env::var("LANG").ok().as_deref()),
    };
    // write_all, so a closed pipe is an error main recognises rather than a panic.
    out.write_all(export::exporter(format, style).render(&report).as_bytes())?;
    out.flush()?;
    Ok(outcome)
}
