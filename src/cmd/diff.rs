//! `kmdiag diff OLD NEW`: what changed between two sweeps (diagnosed with the entrance
//! options, as `diagnose` does) or two JSON documents from `check`/`diagnose` (`json` or
//! `jsonl`), or one of each (`--entrance N` picks the entrance of a building). Exit 1 when
//! something got worse, so a scheduled script can alert; 0 otherwise; 2 on bad input,
//! documents of an unknown `schema_version`, or entrances of different switches or layouts.
//!
//! Both sides are read at once, each on its own thread, one entrance at a time, so two
//! district checks compare in linear time and flat memory. The comparison is `batch::diff`;
//! this file only reads the two sides and renders. It must not compare anything itself.

use crate::batch::diff::{
    ChangeKind, DiffOptions, DiffReport, Differ, DocumentKind, EntranceSnapshot, SnapshotError,
};
use crate::batch::snapshot::read_document;
use crate::cli::OptionalEntranceArgs;
use crate::exit::Outcome;
use crate::export::SCHEMA_VERSION;
use anyhow::{Context, Result, anyhow, bail};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Output formats of `kmdiag diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// A table of the changes, worst first.
    Table,
    /// One JSON document: readings in ohms as numbers.
    Json,
}

/// Arguments of `kmdiag diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier check: a sweep (SWEEP.csv) or JSON from `check`/`diagnose --format json`
    /// (or `check --format jsonl`)
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later check, of the same kind or the other
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Compare only this entrance of a building check (with a sweep or a single-entrance
    /// check on the other side: that entrance against it)
    #[arg(long = "entrance", value_name = "N")]
    pub entrance_number: Option<String>,
    /// Report a handset's forward reading as drifted when it moved by more than PCT percent
    /// relative to its entrance's typical reading
    #[arg(long, value_name = "PCT", default_value_t = 15.0, value_parser = parse_tolerance)]
    pub tolerance: f64,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write the result to FILE (atomically; never over an existing file without --force)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the -o FILE if it exists
    #[arg(long)]
    pub force: bool,
    /// For sweeps: the switch, offset and apartments (as for `diagnose`)
    #[command(flatten)]
    pub entrance: OptionalEntranceArgs,
}

fn parse_tolerance(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "'{}' is not a tolerance; give a percentage ≥ 0 like 15",
            crate::input::clip(text)
        )),
    }
}

/// One entrance from a side, or the end of it.
enum Arrival {
    Entrance(EntranceSnapshot),
    Done(Result<DocumentKind>),
}

/// Entrances held in flight between a reader and the comparison: enough to keep both
/// readers busy, few enough that memory stays flat.
const IN_FLIGHT: usize = 16;

/// Runs `kmdiag diff`.
pub fn run(args: DiffArgs) -> Result<Outcome> {
    if let Some(p) = args
        .output
        .as_deref()
        .filter(|p| !crate::input::is_stdin(p))
    {
        crate::output::check_writable(p, args.force)?;
    }
    if crate::input::is_stdin(&args.old) && crate::input::is_stdin(&args.new) {
        bail!("only one of OLD and NEW can be - (standard input)");
    }
    let options = DiffOptions {
        tolerance_pct: args.tolerance,
    };
    let report = compare_files(&args, options)?;
    let text = match args.format {
        DiffFormat::Json => render_json(&report, &options)?,
        DiffFormat::Table => render_table(
            &report,
            &options,
            super::table_width_to(args.output.as_deref()),
        ),
    };
    let mut out = super::Output::open(args.output.as_deref(), args.force, false)?;
    out.text(&text)?;
    out.finish()?;
    Ok(if report.got_worse() {
        Outcome::Faults
    } else {
        Outcome::Healthy
    })
}

/// Reads both sides at once and pairs their entrances as they come.
fn compare_files(args: &DiffArgs, options: DiffOptions) -> Result<DiffReport> {
    let wanted = args.entrance_number.as_deref().map(str::trim);
    std::thread::scope(|scope| {
        let (old_tx, old_rx) = mpsc::sync_channel(IN_FLIGHT);
        let (new_tx, new_rx) = mpsc::sync_channel(IN_FLIGHT);
        for (path, tx) in [(&args.old, old_tx), (&args.new, new_tx)] {
            let entrance = &args.entrance;
            std::thread::Builder::new()
                .name("diff-read".into())
                .spawn_scoped(scope, move || {
                    let result = read_side(path, entrance, wanted, &tx);
                    let _ = tx.send(Arrival::Done(result));
                })
                .context("cannot start a thread to read the two sides")?;
        }
        let mut differ = Differ::new(options);
        let (mut old_kind, mut new_kind) = (None, None);
        // Take from the side that is behind (its partner entrances are waiting), so when
        // both list the entrances in the same order hardly any wait at all.
        while old_kind.is_none() || new_kind.is_none() {
            let (waiting_old, waiting_new) = differ.waiting();
            let from_old = new_kind.is_some() || (old_kind.is_none() && waiting_old <= waiting_new);
            let (rx, kind) = if from_old {
                (&old_rx, &mut old_kind)
            } else {
                (&new_rx, &mut new_kind)
            };
            match rx.recv() {
                Ok(Arrival::Entrance(e)) if from_old => differ.old(e)?,
                Ok(Arrival::Entrance(e)) => differ.new_entrance(e)?,
                Ok(Arrival::Done(r)) => *kind = Some(r?),
                Err(_) => bail!("a reading thread stopped without a word (a kmdiag bug)"),
            }
        }
        let (old_kind, new_kind) = (
            old_kind.unwrap_or(DocumentKind::Entrance),
            new_kind.unwrap_or(DocumentKind::Entrance),
        );
        // With --entrance both sides are one entrance now.
        let (old_kind, new_kind) = if wanted.is_some() {
            (DocumentKind::Entrance, DocumentKind::Entrance)
        } else {
            (old_kind, new_kind)
        };
        Ok(differ.finish(old_kind, new_kind)?)
    })
}

/// Reads one side and sends its entrances (only entrance `wanted` of a building, when set).
fn read_side(
    path: &Path,
    entrance: &OptionalEntranceArgs,
    wanted: Option<&str>,
    tx: &mpsc::SyncSender<Arrival>,
) -> Result<DocumentKind> {
    let mut input = std::io::BufReader::with_capacity(
        1 << 16,
        crate::input::open_input(path, "check to compare")?,
    );
    let head = input
        .fill_buf()
        .with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8_lossy(&head[..head.len().min(64)]).to_string();
    let is_json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    if !is_json {
        if crate::input::is_stdin(path) {
            bail!(
                "standard input is not a JSON check; give a sweep to compare as a file, or pipe the JSON of `kmdiag check`"
            );
        }
        drop(input);
        let report = super::diagnose::diagnose_file(path, entrance)?;
        let snapshot = EntranceSnapshot::of_report(&report)?;
        let _ = tx.send(Arrival::Entrance(snapshot));
        return Ok(DocumentKind::Entrance);
    }
    let mut building_found = false;
    let mut first: Option<EntranceSnapshot> = None;
    let mut count = 0usize;
    let kind = read_document(&mut input, &mut |e| {
        count += 1;
        match wanted {
            None => tx.send(Arrival::Entrance(e)).map_err(|_| SnapshotError {
                problem: "the comparison stopped".into(),
            }),
            Some(w) => {
                if e.entrance.as_deref().map(str::trim) == Some(w) {
                    building_found = true;
                    let _ = tx.send(Arrival::Entrance(e));
                } else if count == 1 {
                    first = Some(e);
                }
                Ok(())
            }
        }
    })
    .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    if let Some(w) = wanted
        && !building_found
    {
        match (kind, first) {
            (DocumentKind::Entrance, Some(e)) => {
                let _ = tx.send(Arrival::Entrance(e));
            }
            _ => bail!(
                "{}: no entrance '{}' in this check; give one of its entrance numbers with --entrance",
                path.display(),
                crate::input::clip(w)
            ),
        }
    }
    Ok(kind)
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
        "schema_version": SCHEMA_VERSION,
        "worse": report.got_worse(),
        "tolerance_pct": options.tolerance_pct,
        "changes": changes,
        "notes": report.notes,
    });
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    Ok(text)
}

fn describe(kind: ChangeKind) -> &'static str {
    use ChangeKind::*;
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

/// A state and its reading as the table shows them: `ok, 700 Ω`.
fn side(state: Option<&str>, ohms: Option<f64>) -> String {
    let state = state.map(|s| s.replace('_', " "));
    match (state, ohms) {
        (Some(s), Some(v)) => format!("{s}, {}", crate::model::format_ohms(v)),
        (Some(s), None) => s,
        (None, Some(v)) => crate::model::format_ohms(v),
        (None, None) => "-".into(),
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
        let mut t = crate::export::plain_table(width);
        t.set_header(vec!["", "Entrance", "Change", "Where", "Was", "Now"]);
        for c in &report.changes {
            let mut now = side(c.new.as_deref(), c.new_ohms);
            if let Some(r) = c.ratio {
                now.push_str(&format!(" ({:+.0} %)", (r - 1.0) * 100.0));
            }
            t.add_row(vec![
                if c.kind.is_worse() { "worse" } else { "" }.to_string(),
                c.entrance.clone(),
                describe(c.kind).to_string(),
                c.place.clone(),
                side(c.old.as_deref(), c.old_ohms),
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
