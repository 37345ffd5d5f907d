//! `kmdiag diagnose`: read a sweep file, diagnose it, print a table or JSON.

use crate::cli::OptionalEntranceArgs;
use crate::diagnose::diagnose;
use crate::exit::Outcome;
use crate::export::{self, EntranceReport, Format, Report, Style};
use crate::model::Sweep;
use crate::profile::{Layout, Profile};
use crate::sweep::SweepHeader;
use anyhow::Result;
use std::path::PathBuf;

/// Arguments of `kmdiag diagnose`.
#[derive(Debug, clap::Args)]
pub struct DiagnoseArgs {
    /// Sweep file (CSV with columns plus,minus,ohms)
    #[arg(value_name = "SWEEP.csv")]
    pub sweep: PathBuf,
    /// Switch, offset and apartments (default: what the sweep's header says; a flag that
    /// disagrees with the header wins, with a warning)
    #[command(flatten)]
    pub entrance: OptionalEntranceArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Accept a sweep that leaves some apartments unmeasured: exit 0 or 1 by the findings
    /// instead of 4 ("could not judge the whole entrance")
    #[arg(long)]
    pub partial: bool,
}

/// Runs `kmdiag diagnose`.
pub fn run(args: DiagnoseArgs) -> Result<Outcome> {
    let input = super::read_sweep_input(&args.sweep, &args.entrance)?;
    present_with(
        &input.profile,
        input.layout,
        input.sweep,
        args.sweep.display().to_string(),
        &input.header,
        args.format,
        args.partial,
    )
}

/// Reads a sweep file and diagnoses it with the entrance flags over its header, as
/// `diagnose` does (`cmd::read_sweep_input`): the one way a sweep file becomes a diagnosed
/// entrance for `diff` too, so both resolve the layout alike.
pub fn diagnose_file(
    path: &std::path::Path,
    entrance: &OptionalEntranceArgs,
) -> Result<EntranceReport> {
    let input = super::read_sweep_input(path, entrance)?;
    let diagnosis = diagnose(
        &input.sweep,
        &input.layout,
        &input.profile.nominal_forward_ohms.into(),
    );
    Ok(EntranceReport {
        entrance: None,
        source: path.display().to_string(),
        meter: input.header.meter.clone(),
        measured_at: input.header.measured_at.clone(),
        notes: input.header.notes.clone(),
        layout: input.layout,
        sweep: input.sweep,
        diagnosis,
    })
}

/// Diagnoses a sweep and prints it as `diagnose` does; shared with `sweep`, which diagnoses
/// the finished live sweep straight away (a partial live sweep then exits 4, as `diagnose`
/// does without `--partial`).
pub fn present(
    profile: &Profile,
    layout: Layout,
    sweep: Sweep,
    source: String,
    header: &SweepHeader,
    format: Format,
) -> Result<Outcome> {
    present_with(profile, layout, sweep, source, header, format, false)
}

/// `present`, with `partial` accepting a sweep that leaves apartments unmeasured.
pub fn present_with(
    profile: &Profile,
    layout: Layout,
    sweep: Sweep,
    source: String,
    header: &SweepHeader,
    format: Format,
    partial: bool,
) -> Result<Outcome> {
    let input = Presented {
        profile,
        layout,
        sweep,
        source,
        header,
        format,
        partial,
    };
    present_to(&mut std::io::stdout(), input)
}

/// What `present_to` diagnoses and how it shows it.
pub struct Presented<'a> {
    /// The vendor profile.
    pub profile: &'a Profile,
    /// Labels and apartments.
    pub layout: Layout,
    /// The readings.
    pub sweep: Sweep,
    /// Where the readings came from (file or port), for the report.
    pub source: String,
    /// The sweep file's header (meter, time, notes).
    pub header: &'a SweepHeader,
    /// Output format.
    pub format: Format,
    /// Accept a sweep that leaves apartments unmeasured.
    pub partial: bool,
}

/// `present_with`, written to `out` instead of stdout.
pub fn present_to(out: &mut dyn std::io::Write, p: Presented<'_>) -> Result<Outcome> {
    let Presented {
        profile,
        layout,
        sweep,
        source,
        header,
        format,
        partial,
    } = p;
    let diagnosis = diagnose(&sweep, &layout, &profile.nominal_forward_ohms.into());
    let outcome = Outcome::of(&diagnosis, partial);
    let report = Report {
        building: None,
        date: None,
        notes: Vec::new(),
        entrances: vec![EntranceReport {
            entrance: None,
            source,
            meter: header.meter.clone(),
            measured_at: header.measured_at.clone(),
            notes: header.notes.clone(),
            layout,
            sweep,
            diagnosis,
        }],
        not_checked: Vec::new(),
    };
    let style = Style {
        width: super::table_width(),
        ..Style::new(super::stdout_color(), super::language(None))
    };
    // write_all, so a closed pipe is an error main recognises rather than a panic.
    out.write_all(export::exporter(format, style).render(&report).as_bytes())?;
    out.flush()?;
    Ok(outcome)
}
