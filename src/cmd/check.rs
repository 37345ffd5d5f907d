//! `kmdiag check`: diagnose every entrance of a building plan, or every sweep in a folder;
//! print a summary table and the findings (or one JSON document for the building), with a
//! progress bar on a terminal. Exit 0 healthy, 1 faults, 2 when an entrance could not be
//! checked — the others are still checked and printed — and 4 when a sweep left apartments
//! unmeasured (unless `--partial`).
//!
//! The work is `batch::check_plan`; this file only chooses the plan, shows progress and
//! renders. It must not diagnose or read sweeps itself.

use crate::batch::{
    BuildingCheck, CheckOptions, EntranceTemplate, Observer, Plan, Progress, check_plan,
    plan::ranges_text,
};
use crate::cli::OptionalEntranceArgs;
use crate::diagnose::{CellState, Subject};
use crate::exit::Outcome;
use crate::export::{EntranceReport, Exporter, Format, JsonExporter, Style, TableExporter};
use crate::i18n::Lang;
use anyhow::{Context, Result, bail};
use comfy_table::{ContentArrangement, Table, presets};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Arguments of `kmdiag check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// A building plan (building.toml), or a folder whose *.csv sweeps are checked as one
    /// entrance each with --profile, --offset, --apartments …
    #[arg(value_name = "PLAN.toml|DIR")]
    pub target: PathBuf,
    /// Check only this entrance (repeat for several); default: every entrance
    #[arg(long = "entrance", value_name = "N")]
    pub entrances: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Label language (default: Russian when LANG starts with ru, else English)
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<Lang>,
    /// Measure entrances that have a port and meter in the plan instead of reading sweeps
    #[arg(long)]
    pub live: bool,
    /// Worker threads (default: one per core)
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Accept sweeps that leave some apartments unmeasured: exit 0 or 1 by the findings
    /// instead of 4 (they are still counted as incomplete)
    #[arg(long)]
    pub partial: bool,
    /// Folder mode: the switch, offset and apartments of every sweep in the folder
    #[command(flatten)]
    pub folder: OptionalEntranceArgs,
}

/// Runs `kmdiag check`.
pub fn run(args: CheckArgs) -> Result<Outcome> {
    let plan = load_plan(&args)?;
    plan.select(&args.entrances)?;
    let options = CheckOptions {
        entrances: args.entrances.clone(),
        live: args.live,
        jobs: args.jobs.unwrap_or(0),
    };
    let mut bar = Bar::new();
    let check = check_plan(&plan, &options, &mut bar);
    let lang = super::language(args.lang);
    let text = match args.format {
        Format::Json => render_json(&check)?,
        Format::Table => {
            let order: Vec<(String, String)> = (plan.entrances.iter())
                .map(|e| {
                    let flats = e.apartments.as_deref().map_or("-".into(), ranges_text);
                    (e.number.clone(), flats)
                })
                .collect();
            render_table(
                &check,
                &order,
                Style {
                    color: super::stdout_color(),
                    lang,
                    width: super::table_width(),
                },
            )
        }
        // The report formats render the building as `kmdiag report` does.
        other => crate::export::exporter(
            other,
            Style {
                color: false,
                lang,
                width: None,
            },
        )
        .render(&check.report),
    };
    super::emit(&text)?;
    for f in &check.failures {
        eprintln!("kmdiag: error: {}", f.error);
    }
    if !check.failures.is_empty() {
        eprintln!(
            "kmdiag: {} of {} entrances could not be checked; the others are reported above",
            check.failures.len(),
            check.failures.len() + check.report.entrances.len()
        );
    }
    let incomplete = check.incomplete();
    if !incomplete.is_empty() && !args.partial {
        eprintln!(
            "kmdiag: {} entrance{} could not be judged whole: {} left apartments unmeasured (see the \"Not measured\" column); measure them, or pass --partial",
            incomplete.len(),
            if incomplete.len() == 1 { "" } else { "s" },
            if incomplete.len() == 1 {
                "its sweep"
            } else {
                "their sweeps"
            }
        );
    }
    Ok(check.outcome_with(args.partial))
}

/// The plan of a building.toml, or of a folder of sweeps with the command-line parameters.
fn load_plan(args: &CheckArgs) -> Result<Plan> {
    if !args.target.exists() {
        bail!(
            "{} does not exist; give a building.toml or a folder of sweeps",
            args.target.display()
        );
    }
    if args.target.is_dir() {
        let Some(f) = args.folder.complete() else {
            bail!(
                "{} is a folder: pass --profile (and --offset, --apartments as needed) to check its sweeps, or give a building.toml",
                args.target.display()
            );
        };
        let (profile, switch) = super::load_profile(&f)?;
        let template = EntranceTemplate {
            profile,
            switch,
            offset: f.offset,
            apartments: f.apartments.clone(),
            matrix: f.matrix,
            map: f.map,
        };
        return Ok(Plan::from_dir(&args.target, &template)?);
    }
    if args.folder.any() {
        bail!(
            "--profile, --offset, --apartments and --map apply to a folder of sweeps; {} is a plan, so set them per entrance there",
            args.target.display()
        );
    }
    Ok(Plan::load(&args.target)?)
}

/// Progress on stderr: a bar on a terminal, nothing otherwise; sweep warnings either way.
struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new() -> Self {
        Bar { bar: None }
    }
}

impl Observer for Bar {
    fn start(&mut self, total: usize) {
        // -q: no bar either; it is chatter, not a result.
        if total < 2 || !std::io::stderr().is_terminal() || !log::log_enabled!(log::Level::Info) {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} checking entrances {bar:30} {pos}/{len} {msg}")
        {
            bar.set_style(style);
        }
        self.bar = Some(bar);
    }

    fn warning(&mut self, entrance: &str, message: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| log::warn!("entrance {entrance}: {message}")),
            None => log::warn!("entrance {entrance}: {message}"),
        }
    }

    fn finished(&mut self, entrance: &str, progress: Progress<'_>) {
        if let Some(b) = &self.bar {
            b.inc(1);
            if matches!(progress, Progress::Failed(_)) {
                b.set_message(format!("entrance {entrance} failed"));
            }
        }
    }

    fn done(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// The building JSON document, with the entrances that could not be checked.
fn render_json(check: &BuildingCheck) -> Result<String> {
    let text = JsonExporter.render(&check.report);
    let mut doc: serde_json::Value =
        serde_json::from_str(&text).context("the JSON exporter produced invalid JSON")?;
    if let Some(map) = doc.as_object_mut() {
        map.insert("complete".into(), check.failures.is_empty().into());
        // Entrances checked but not judged whole: their sweeps left apartments unmeasured.
        map.insert(
            "incomplete".into(),
            (check.incomplete().iter())
                .map(|e| serde_json::json!({"entrance": e.entrance, "not_measured": e.diagnosis.not_measured}))
                .collect(),
        );
        map.insert(
            "not_checked".into(),
            check
                .failures
                .iter()
                .map(|f| serde_json::json!({"entrance": f.entrance, "error": f.error}))
                .collect(),
        );
    }
    let mut out = serde_json::to_string_pretty(&doc)?;
    out.push('\n');
    Ok(out)
}

/// Column headers of the summary table.
fn headers(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::En => [
            "Entrance",
            "Apartments",
            "Handsets answering",
            "Not measured",
            "Faults",
            "Worst finding",
        ],
        Lang::Ru => [
            "Подъезд",
            "Квартиры",
            "Трубки отвечают",
            "Не измерено",
            "Неисправности",
            "Главная неисправность",
        ],
    }
}

/// The "not measured" column: how many apartments the sweep left unmeasured, "-" for none.
fn not_measured(e: &EntranceReport) -> String {
    match e.diagnosis.not_measured.len() {
        0 => "-".into(),
        n => n.to_string(),
    }
}

/// The apartments of an entrance as compact ranges: `1-72`, `1-20,31-40`.
fn apartments_text(e: &EntranceReport) -> String {
    let mut flats: Vec<u32> = e
        .diagnosis
        .cells
        .iter()
        .filter_map(|c| c.apartment)
        .collect();
    flats.sort_unstable();
    flats.dedup();
    let mut ranges: Vec<std::ops::RangeInclusive<u32>> = Vec::new();
    for a in flats {
        match ranges.last_mut() {
            Some(r) if *r.end() + 1 == a => *r = *r.start()..=a,
            _ => ranges.push(a..=a),
        }
    }
    if ranges.is_empty() {
        "-".into()
    } else {
        ranges_text(&ranges)
    }
}

/// Handsets that answer a call: they conduct forward, even if not perfectly.
fn answering(e: &EntranceReport) -> usize {
    e.diagnosis
        .cells
        .iter()
        .filter(|c| {
            matches!(
                c.state,
                CellState::Ok | CellState::HighResistance | CellState::Leak
            )
        })
        .count()
}

/// The most serious finding (the engine sorts them) in a few words.
fn worst(e: &EntranceReport, lang: Lang) -> String {
    let Some(f) = e.diagnosis.findings.first() else {
        return "-".into();
    };
    let labels = &e.layout.labels;
    let fault = lang.fault(f.fault);
    match &f.subject {
        Subject::Handset {
            cell,
            apartment: Some(a),
        } => format!(
            "{} {a}: {fault} ({})",
            lang.apartment(),
            labels.cell_label(*cell)
        ),
        Subject::Handset {
            cell,
            apartment: None,
        } => format!("{}: {fault}", labels.cell_label(*cell)),
        Subject::Bus { line, other } => match other {
            Some(o) => format!("{}–{}: {fault}", labels.label(*line), labels.label(*o)),
            None => format!("{}: {fault}", labels.label(*line)),
        },
    }
}

/// The summary table (in plan `order`: entrance numbers and their planned flats), the findings of every entrance, and the entrances
/// not checked.
fn render_table(check: &BuildingCheck, order: &[(String, String)], style: Style) -> String {
    let (lang, color) = (style.lang, style.color);
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL)
        .set_content_arrangement(ContentArrangement::Disabled);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    crate::export::fit_table(&mut t, style.width);
    t.set_header(headers(lang).to_vec());
    let not_checked = match lang {
        Lang::En => "not checked",
        Lang::Ru => "не проверен",
    };
    // Plan order: the checked entrances and the failures, each already in plan order, merged.
    let position = |name: &str| (order.iter().position(|o| o.0 == name)).unwrap_or(usize::MAX);
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for e in &check.report.entrances {
        let name = e.entrance.clone().unwrap_or_default();
        rows.push((
            position(&name),
            vec![
                name,
                apartments_text(e),
                answering(e).to_string(),
                not_measured(e),
                e.diagnosis.findings.len().to_string(),
                worst(e, lang),
            ],
        ));
    }
    for f in &check.failures {
        rows.push((
            position(&f.entrance),
            vec![
                f.entrance.clone(),
                (order.iter().find(|o| o.0 == f.entrance)).map_or("-".into(), |o| o.1.clone()),
                "-".into(),
                "-".into(),
                "-".into(),
                format!("{not_checked}: see below"),
            ],
        ));
    }
    rows.sort_by_key(|(i, _)| *i);
    for (_, row) in rows {
        t.add_row(row);
    }
    let mut out = String::new();
    if let Some(b) = &check.report.building {
        out.push_str(&format!("{b}\n"));
    }
    for n in &check.report.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out.push_str(&t.to_string());
    out.push_str("\n\n");
    let mut body = check.report.clone();
    body.building = None;
    body.notes = Vec::new();
    out.push_str(&TableExporter { style }.render(&body));
    if !check.failures.is_empty() {
        out.push_str(&format!("\n{}:\n", capitalised(not_checked)));
        for f in &check.failures {
            out.push_str(&format!("  {}\n", f.error));
        }
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
