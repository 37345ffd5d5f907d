//! `kmdiag diff OLD NEW`: what changed between two sweeps (diagnosed with the entrance
//! options, as `diagnose` does) or two JSON documents from `check`/`diagnose --format json`.
//! Exit 1 when something got worse, so a scheduled script can alert; 0 otherwise; 2 on bad
//! input.
//!
//! The comparison is `batch::diff`; this file only reads the two sides and renders. It must
//! not compare anything itself.

use crate::batch::diff::{DiffOptions, DiffReport, EntranceSnapshot, compare, snapshots_from_json};
use crate::cli::OptionalEntranceArgs;
use crate::diagnose::diagnose;
use crate::exit::Outcome;
use crate::export::{EntranceReport, Format};
use anyhow::{Context, Result, anyhow, bail};
use comfy_table::{ContentArrangement, Table, presets};
use std::path::{Path, PathBuf};

/// Arguments of `kmdiag diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier check: a sweep (SWEEP.csv) or JSON from `check`/`diagnose --format json`
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later check, of the same kind or the other
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Report a handset's forward reading as drifted when it moved by more than PCT percent
    /// relative to its entrance's typical reading
    #[arg(long, value_name = "PCT", default_value_t = 15.0, value_parser = parse_tolerance)]
    pub tolerance: f64,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// For sweeps: the switch, offset and apartments (as for `diagnose`)
    #[command(flatten)]
    pub entrance: OptionalEntranceArgs,
}

fn parse_tolerance(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "'{text}' is not a tolerance; give a percentage ≥ 0 like 15"
        )),
    }
}

/// Runs `kmdiag diff`.
pub fn run(args: DiffArgs) -> Result<Outcome> {
    let old = load_side(&args.old, &args.entrance)?;
    let new = load_side(&args.new, &args.entrance)?;
    let options = DiffOptions {
        tolerance_pct: args.tolerance,
    };
    let report = compare(&old, &new, &options);
    let text = match args.format {
        Format::Json => render_json(&report, &options)?,
        Format::Table => render_table(&report, &options, super::table_width()),
        Format::Markdown | Format::Html | Format::Csv => bail!(
            "kmdiag diff prints --format table or json; write Markdown, HTML or CSV reports with 'kmdiag report'"
        ),
    };
    super::emit(&text)?;
    Ok(if report.got_worse() {
        Outcome::Faults
    } else {
        Outcome::Healthy
    })
}

/// One side: JSON (starts with `{`) or a sweep, diagnosed with the entrance options.
fn load_side(path: &Path, entrance: &OptionalEntranceArgs) -> Result<Vec<EntranceSnapshot>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{}: byte {}: not UTF-8 text; give a sweep CSV or a JSON document",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            anyhow!(
                "{}: not valid JSON ({e}); give a sweep CSV or the JSON of `kmdiag check --format json`",
                path.display()
            )
        })?;
        return snapshots_from_json(&doc).with_context(|| format!("{}", path.display()));
    }
    let Some(args) = entrance.complete() else {
        bail!(
            "{} is a sweep: pass --profile (and --offset, --apartments as for `diagnose`) so it can be diagnosed, or compare JSON from `kmdiag check --format json`",
            path.display()
        );
    };
    let (profile, layout) = super::load_layout(&args)?;
    let sweep = super::read_sweep(path, &layout)?;
    let diagnosis = diagnose(&sweep, &layout, &profile.nominal_forward_ohms.into());
    let report = EntranceReport {
        entrance: None,
        source: path.display().to_string(),
        meter: None,
        measured_at: None,
        notes: Vec::new(),
        layout,
        sweep,
        diagnosis,
    };
    Ok(vec![EntranceSnapshot::of_report(&report)?])
}

fn render_json(report: &DiffReport, options: &DiffOptions) -> Result<String> {
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            let mut v = serde_json::to_value(c)?;
            if let Some(m) = v.as_object_mut() {
                m.insert("worse".into(), c.kind.is_worse().into());
            }
            Ok(v)
        })
        .collect::<Result<_, serde_json::Error>>()?;
    let doc = serde_json::json!({
        "worse": report.got_worse(),
        "tolerance_pct": options.tolerance_pct,
        "changes": changes,
        "notes": report.notes,
    });
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

fn describe(kind: crate::batch::diff::ChangeKind) -> &'static str {
    use crate::batch::diff::ChangeKind::*;
    match kind {
        FaultAppeared => "fault appeared",
        HandsetLost => "handset lost",
        DriftUp => "reading rose",
        EntranceMissing => "entrance missing",
        FaultCleared => "fault cleared",
        HandsetAppeared => "handset appeared",
        DriftDown => "reading fell",
        EntranceAdded => "entrance added",
    }
}

fn render_table(report: &DiffReport, options: &DiffOptions, width: Option<u16>) -> String {
    let mut out = String::new();
    if report.changes.is_empty() {
        out.push_str(&format!(
            "No change: same faults, same handsets, no reading moved by more than {} %.\n",
            options.tolerance_pct
        ));
    } else {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        crate::export::fit_table(&mut t, width);
        t.set_header(vec!["", "Entrance", "Change", "Where", "Was", "Now"]);
        for c in &report.changes {
            let now = match (c.new.as_deref(), c.change_pct) {
                (Some(n), Some(p)) => format!("{n} ({p:+.0} %)"),
                (Some(n), None) => n.replace('_', " "),
                (None, _) => "-".into(),
            };
            t.add_row(vec![
                if c.kind.is_worse() { "worse" } else { "" }.to_string(),
                c.entrance.clone(),
                describe(c.kind).to_string(),
                c.place.clone(),
                c.old.as_deref().unwrap_or("-").replace('_', " "),
                now,
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
        let worse = report.changes.iter().filter(|c| c.kind.is_worse()).count();
        out.push_str(&if worse > 0 {
            format!("{worse} change(s) for the worse.\n")
        } else {
            "Nothing got worse.\n".to_string()
        });
    }
    for n in &report.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
