//! `kmdiag check`: diagnose every entrance of a building plan, or every sweep in a folder;
//! print a summary table and the findings (or one JSON document for the building), with a
//! progress bar on a terminal. Exit 0 healthy, 1 faults, 2 when an entrance could not be
//! checked — the others are still checked and printed — and 4 when a sweep left apartments
//! unmeasured (unless `--partial`).
//!
//! The work is `batch::check_plan`; this file only chooses the plan, shows progress and
//! renders. It must not diagnose or read sweeps itself.

use crate::batch::{BuildingCheck, CheckOptions, Observer, Plan, Progress, check_plan};
use crate::cli::OptionalEntranceArgs;
use crate::exit::Outcome;
use crate::export::{CsvDialect, Exporter, Format, JsonExporter, Style, TableExporter};
use crate::i18n::Lang;
use crate::i18n::Term;
use anyhow::{Context, Result, bail};
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
    /// With --format csv: for scripts (plain) or for Excel (excel: a byte-order mark, ';' and
    /// decimal commas); default: excel with --lang ru, else plain
    #[arg(long, value_enum, value_name = "plain|excel")]
    pub csv_dialect: Option<CsvDialect>,
    /// Accept sweeps that leave some apartments unmeasured: exit 0 or 1 by the findings
    /// instead of 4 (they are still counted as incomplete)
    #[arg(long)]
    pub partial: bool,
    /// Folder mode: the switch, offset and apartments of every sweep in the folder (default:
    /// what each sweep's header says; a flag that disagrees wins, with a warning)
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
        Format::Table => render_table(
            &check,
            Style {
                width: super::table_width(),
                ..Style::new(super::stdout_color(), lang)
            },
        ),
        // The report formats render the building as `kmdiag report` does.
        other => {
            let style = Style {
                csv: CsvDialect::choose(args.csv_dialect, lang),
                ..Style::new(false, lang)
            };
            crate::export::exporter(other, style).render(&check.report)
        }
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
            "kmdiag: {} entrance{} could not be judged whole: {} left apartments unmeasured (the \"Cannot tell\" column counts them with the flats to re-measure); measure them, or pass --partial",
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
        // Each sweep's header gives what the flags leave out; a sweep with neither fails alone.
        let template = super::given_settings(&args.folder)?;
        let plan = Plan::from_dir(&args.target, &template)?;
        log::debug!(
            "{} sweeps in {}",
            plan.entrances.len(),
            args.target.display()
        );
        return Ok(plan);
    }
    if args.folder.any() {
        bail!(
            "--profile, --offset, --apartments and --map apply to a folder of sweeps; {} is a plan, so set them per entrance there",
            args.target.display()
        );
    }
    let plan = Plan::load(&args.target)?;
    log::debug!(
        "building plan {}: {} entrances",
        args.target.display(),
        plan.entrances.len()
    );
    Ok(plan)
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

/// The report as the table exporter draws it — the building summary (entrances not checked
/// included), then every entrance's findings — and the entrances not checked.
fn render_table(check: &BuildingCheck, style: Style) -> String {
    let lang = style.lang;
    let mut out = TableExporter { style }.render(&check.report);
    if !check.failures.is_empty() {
        out.push_str(&format!(
            "\n{}:\n",
            capitalised(lang.text(Term::NotChecked))
        ));
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
