//! `kmdiag report`: the wiring report a technician hands to the office, from one sweep file or
//! a building plan, as Markdown, HTML, CSV or JSON. Reads the clock for the report date
//! (`SOURCE_DATE_EPOCH` wins, for reproducible output); writes the file atomically and never
//! over an existing one without `--force`. Rendering itself is in `export/`.

use crate::batch::{CheckOptions, EntranceFailure, Observer, Plan, check_plan};
use crate::cli::OptionalEntranceArgs;
use crate::diagnose::diagnose;
use crate::exit::Outcome;
use crate::export::{self, CsvDialect, EntranceReport, Format, Report, Style};
use crate::i18n::Lang;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Arguments of `kmdiag report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A sweep file (CSV plus,minus,ohms) or a building plan (.toml)
    #[arg(value_name = "SWEEP.csv|building.toml")]
    pub input: PathBuf,
    /// Switch, offset and apartments of a sweep file (a building plan gives its own)
    #[command(flatten)]
    pub sweep: OptionalEntranceArgs,
    /// Report format (default: from the extension of -o)
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Where to write the report; `-` writes it to stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,
    /// Language of the labels (default: Russian when LANG starts with ru, else English)
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// With a sweep file: the entrance it is from, for the header. With a plan: report only
    /// this entrance (repeat for several)
    #[arg(long = "entrance", value_name = "N")]
    pub entrances: Vec<String>,
    /// With a sweep file: the building's address, for the header
    #[arg(long, value_name = "TEXT")]
    pub building: Option<String>,
    /// With a sweep file: the meter or adapter that took it, for the header
    #[arg(long, value_name = "TEXT")]
    pub meter: Option<String>,
    /// CSV for scripts (plain: ',' and decimal points) or for Excel (excel: a byte-order mark,
    /// ';' and decimal commas); default: excel with --lang ru, else plain
    #[arg(long, value_enum, value_name = "plain|excel")]
    pub csv_dialect: Option<CsvDialect>,
    /// Accept sweeps that leave some apartments unmeasured: exit 0 or 1 by the findings
    /// instead of 4 (the report says which apartments were not measured either way)
    #[arg(long)]
    pub partial: bool,
}

/// The report date for a `SOURCE_DATE_EPOCH` value: its UTC day, as the reproducible-builds
/// convention asks; `None` when the value is not a whole number of seconds in range.
pub fn date_from_epoch(value: &str) -> Option<String> {
    let secs: i64 = value.trim().parse().ok()?;
    let when = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(when.format("%Y-%m-%d").to_string())
}

/// Today's date (local time), or the day `SOURCE_DATE_EPOCH` names.
fn report_date() -> Result<String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => date_from_epoch(&v).with_context(|| {
            format!(
                "SOURCE_DATE_EPOCH '{v}' is not a whole number of seconds since 1970-01-01; fix or unset it"
            )
        }),
        _ => Ok(chrono::Local::now().format("%Y-%m-%d").to_string()),
    }
}

fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn is_plan(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// Runs `kmdiag report`.
pub fn run(args: ReportArgs) -> Result<Outcome> {
    // Everything that can be wrong with the arguments fails before any file is read.
    let format = match (args.format, is_stdout(&args.output)) {
        (Some(f), _) => f,
        (None, true) => bail!("say which format to write to stdout: --format md|html|csv|json"),
        (None, false) => Format::from_extension(&args.output).with_context(|| {
            format!(
                "cannot tell the format from '{}'; name the file .md, .html, .csv or .json, or pass --format",
                args.output.display()
            )
        })?,
    };
    if !is_stdout(&args.output) {
        crate::output::check_writable(&args.output, args.force)?;
    }
    let lang = super::language(args.lang);
    let date = report_date()?;

    let (report, not_checked, outcome) = if is_plan(&args.input) {
        building_report(&args, lang)?
    } else {
        let (report, outcome) = sweep_report(&args)?;
        (report, Vec::new(), outcome)
    };
    let report = Report {
        date: Some(date),
        ..report
    };

    let on_stdout = is_stdout(&args.output);
    let style = Style {
        color: on_stdout && format == Format::Table && super::stdout_color(),
        lang,
        csv: CsvDialect::choose(args.csv_dialect, lang),
        width: on_stdout.then(super::table_width).flatten(),
    };
    let mut text = export::exporter(format, style).render(&report);
    if format == Format::Json && is_plan(&args.input) {
        text = with_not_checked(&text, &not_checked)?;
    }
    if is_stdout(&args.output) {
        super::emit(&text)?;
    } else {
        crate::output::write_atomic(&args.output, text.as_bytes(), args.force)?;
        let findings: usize = report
            .entrances
            .iter()
            .map(|e| e.diagnosis.findings.len())
            .sum();
        log::info!(
            "wrote {} ({} entrance(s), {findings} finding(s))",
            args.output.display(),
            report.entrances.len()
        );
    }
    Ok(outcome)
}

/// The report of one sweep file, diagnosed as `diagnose` does: the flags over the sweep's
/// header.
fn sweep_report(args: &ReportArgs) -> Result<(Report, Outcome)> {
    let entrance = match args.entrances.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [_, second, ..] => bail!(
            "one sweep file is one entrance, but --entrance was given again ('{second}'); give it once"
        ),
    };
    let input = super::read_sweep_input(&args.input, &args.sweep)?;
    let meter = match (&args.meter, &input.header.meter) {
        (Some(flag), Some(header)) if flag != header => {
            log::warn!(
                "{}: --meter {flag} disagrees with the sweep's header (meter: {header}, line {}); using {flag}",
                args.input.display(),
                input.header.line("meter").unwrap_or(0)
            );
            Some(flag.clone())
        }
        (flag, header) => flag.clone().or_else(|| header.clone()),
    };
    let diagnosis = diagnose(
        &input.sweep,
        &input.layout,
        &input.profile.nominal_forward_ohms.into(),
    );
    let outcome = Outcome::of(&diagnosis, args.partial);
    let report = Report {
        building: args.building.clone(),
        date: None,
        notes: Vec::new(),
        entrances: vec![EntranceReport {
            entrance,
            source: args.input.display().to_string(),
            meter,
            measured_at: input.header.measured_at.clone(),
            notes: input.header.notes.clone(),
            layout: input.layout,
            sweep: input.sweep,
            diagnosis,
        }],
        not_checked: Vec::new(),
    };
    Ok((report, outcome))
}

/// The report of a building plan: every entrance (or those named), checked by `batch`. An
/// entrance that cannot be checked is named on stderr and in the report's notes; the others
/// are still reported, and the outcome says the report is incomplete (exit 2).
fn building_report(
    args: &ReportArgs,
    lang: Lang,
) -> Result<(Report, Vec<EntranceFailure>, Outcome)> {
    let given = args.sweep.given();
    let header_only: Vec<&str> = [
        (args.building.is_some(), "--building"),
        (args.meter.is_some(), "--meter"),
    ]
    .into_iter()
    .filter_map(|(g, n)| g.then_some(n))
    .collect();
    if !given.is_empty() || !header_only.is_empty() {
        bail!(
            "{} apply to a sweep file; {} gives every entrance its own — edit the plan instead",
            given
                .iter()
                .chain(&header_only)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            args.input.display()
        );
    }
    let plan = Plan::load(&args.input)?;
    log::debug!(
        "building plan {}: {} entrances",
        args.input.display(),
        plan.entrances.len()
    );
    plan.select(&args.entrances)?;
    let options = CheckOptions {
        entrances: args.entrances.clone(),
        live: false,
        jobs: 0,
    };
    let check = check_plan(&plan, &options, &mut WarningPrinter);
    let outcome = check.outcome_with(args.partial);
    let mut report = check.report;
    for f in &check.failures {
        eprintln!(
            "kmdiag: error: entrance {} could not be checked: {}",
            crate::input::terminal_safe(&f.entrance, false),
            crate::input::terminal_safe(&f.error, false)
        );
        report.notes.push(match lang {
            Lang::En => format!("Entrance {} was not checked: {}", f.entrance, f.error),
            Lang::Ru => format!("Подъезд {} не проверен: {}", f.entrance, f.error),
        });
    }
    Ok((report, check.failures, outcome))
}

/// Adds what `check --format json` says about entrances that could not be checked
/// (`complete`, `not_checked`) to the building document, so both commands agree.
fn with_not_checked(text: &str, failures: &[EntranceFailure]) -> Result<String> {
    let mut doc: serde_json::Value =
        serde_json::from_str(text).context("the JSON exporter produced invalid JSON")?;
    if let Some(map) = doc.as_object_mut() {
        map.insert("complete".into(), failures.is_empty().into());
        map.insert(
            "not_checked".into(),
            failures
                .iter()
                .map(|f| serde_json::json!({"entrance": f.entrance, "error": f.error}))
                .collect(),
        );
    }
    let mut out = serde_json::to_string_pretty(&doc)?;
    out.push('\n');
    Ok(out)
}

/// Prints sweep warnings of a building run to stderr, naming the entrance.
struct WarningPrinter;

impl Observer for WarningPrinter {
    fn warning(&mut self, entrance: &str, message: &str) {
        super::warn(&format!("entrance {entrance}: {message}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_gives_the_utc_day() {
        assert_eq!(date_from_epoch("0").as_deref(), Some("1970-01-01"));
        assert_eq!(
            date_from_epoch(" 1767225599 ").as_deref(),
            Some("2025-12-31")
        );
        assert_eq!(date_from_epoch("1767225600").as_deref(), Some("2026-01-01"));
        assert_eq!(date_from_epoch("yesterday"), None);
        assert_eq!(date_from_epoch("99999999999999999"), None);
    }

    #[test]
    fn plans_are_told_apart_from_sweeps_by_extension() {
        assert!(is_plan(Path::new("house/building.TOML")));
        assert!(!is_plan(Path::new("entrance-2.csv")));
        assert!(is_stdout(Path::new("-")));
    }
}
