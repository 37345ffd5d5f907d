//! `kmdiag check`: diagnose every entrance of a building plan, or every sweep in a folder.
//! Table, JSON and JSON lines stream: each entrance is written as soon as it and those before
//! it are diagnosed, so memory stays flat however many entrances a district has. The table
//! ends with the summary (one row per entrance); `--format jsonl` writes one JSON document
//! per entrance and a summary line; `--format json` one building document. Report formats
//! (md, html, csv) render the whole building at once, as `kmdiag report` does. A progress bar
//! shows on a terminal. Exit 0 healthy, 1 faults, 2 when an entrance could not be checked —
//! the others are still checked and written — and 4 when a sweep left apartments unmeasured
//! (unless `--partial`).
//!
//! The work is `batch::run_plan`; this file only chooses the plan, shows progress and
//! renders. It must not diagnose or read sweeps itself.

use crate::batch::{
    CheckOptions, EntranceFailure, Observer, Plan, Progress, RunTotals, check_plan, run_plan,
    worker_count,
};
use crate::cli::OptionalEntranceArgs;
use crate::exit::Outcome;
use crate::export::{
    CsvDialect, EntranceDoc, EntranceReport, Exporter, Format, Report, SCHEMA_VERSION, Style,
    TableExporter, frame,
    summary::{summary_header, summary_rows},
};
use crate::i18n::Lang;
use crate::i18n::Term;
use crate::msg;
use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Output formats of `kmdiag check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Each entrance's findings and grid as it is checked, then the summary table.
    Table,
    /// One building JSON document (written as the entrances are checked).
    Json,
    /// JSON lines: one document per entrance, in plan order, then a summary line.
    Jsonl,
    /// The building's Markdown report.
    #[value(name = "md", alias = "markdown")]
    Markdown,
    /// The building's HTML report.
    Html,
    /// The building's CSV, one row per crossing.
    Csv,
}

impl CheckFormat {
    /// The format a file name asks for by its extension, if any.
    fn from_extension(path: &Path) -> Option<CheckFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(CheckFormat::Jsonl),
            _ => match Format::from_extension(path)? {
                Format::Table => Some(CheckFormat::Table),
                Format::Json => Some(CheckFormat::Json),
                Format::Markdown => Some(CheckFormat::Markdown),
                Format::Html => Some(CheckFormat::Html),
                Format::Csv => Some(CheckFormat::Csv),
            },
        }
    }
}

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
    /// Output format (default: from the extension of -o, else table)
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    /// Write the result to FILE (atomically; never over an existing file without --force)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the -o FILE if it exists
    #[arg(long)]
    pub force: bool,
    /// Measure entrances that have a port and meter in the plan instead of reading sweeps
    #[arg(long)]
    pub live: bool,
    /// Worker threads (default and most: one per core)
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
    let format = output_format(&args);
    if let Some(p) = args
        .output
        .as_deref()
        .filter(|p| !crate::input::is_stdin(p))
    {
        crate::output::check_writable(p, args.force)?;
    }
    let plan = load_plan(&args)?;
    let selected = plan.select(&args.entrances)?.len();
    warn_jobs_capped(args.jobs);
    let options = CheckOptions {
        entrances: args.entrances.clone(),
        live: args.live,
        jobs: args.jobs.unwrap_or(0),
    };
    let lang = crate::i18n::current();
    let color = args.output.is_none() && super::stdout_color();
    let mut out = super::Output::open(args.output.as_deref(), args.force, color)?;
    if matches!(format, CheckFormat::Json | CheckFormat::Jsonl) {
        out = out.json();
    }
    let mut bar = Bar::new();
    let mut failures: Vec<EntranceFailure> = Vec::new();
    let totals = match format {
        CheckFormat::Table => stream_table(
            &plan,
            &options,
            lang,
            color,
            &mut out,
            &mut bar,
            &mut failures,
        )?,
        CheckFormat::Json => stream_json(&plan, &options, &mut out, &mut bar, &mut failures)?,
        CheckFormat::Jsonl => stream_jsonl(&plan, &options, &mut out, &mut bar, &mut failures)?,
        CheckFormat::Markdown | CheckFormat::Html | CheckFormat::Csv => whole_report(
            &plan,
            &options,
            format,
            Style {
                csv: CsvDialect::choose(args.csv_dialect, lang),
                ..Style::new(false, lang)
            },
            &mut out,
            &mut bar,
            &mut failures,
        )?,
    };
    out.finish()?;
    say_not_checked(&failures, selected, &totals, args.output.is_some());
    if totals.incomplete > 0 && !args.partial {
        eprintln!("{}", msg!("check-not-judged-whole", n = totals.incomplete));
    }
    if totals.unsettled > 0 {
        eprintln!("{}", msg!("check-likely-unnamed", n = totals.unsettled));
    }
    Ok(totals.outcome(args.partial))
}

/// Takes the arguments; gives the format: the one asked for, else the one the output
/// file's extension names, else the table.
fn output_format(args: &CheckArgs) -> CheckFormat {
    match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(p)) if !crate::input::is_stdin(p) => {
            CheckFormat::from_extension(p).unwrap_or(CheckFormat::Table)
        }
        _ => CheckFormat::Table,
    }
}

/// Takes `--jobs`; warns when it asks for no workers or for more than the cores.
fn warn_jobs_capped(jobs: Option<usize>) {
    if let Some(n) = jobs {
        let used = worker_count(n, usize::MAX);
        if n == 0 || n > used {
            super::warn(msg!("check-jobs-capped", asked = n, used = used));
        }
    }
}

/// Takes the plan, a whole-building format (Markdown, HTML or CSV) and its style; checks
/// every entrance, writes the building's report and gives the totals, leaving the
/// entrances not checked in `failures`.
fn whole_report(
    plan: &Plan,
    options: &CheckOptions,
    format: CheckFormat,
    style: Style,
    out: &mut super::Output,
    bar: &mut Bar,
    failures: &mut Vec<EntranceFailure>,
) -> Result<RunTotals> {
    let export = match format {
        CheckFormat::Markdown => Format::Markdown,
        CheckFormat::Html => Format::Html,
        _ => Format::Csv,
    };
    let check = check_plan(plan, options, bar);
    out.text(&crate::export::exporter(export, style).render(&check.report))?;
    let incomplete = check.incomplete().len();
    let unsettled = check.unsettled().len();
    *failures = check.failures;
    Ok(RunTotals {
        checked: check.report.entrances.len(),
        incomplete,
        unsettled,
        with_faults: check
            .report
            .entrances
            .iter()
            .filter(|e| e.diagnosis.has_faults())
            .count(),
        failed: failures.len(),
        stopped: false,
    })
}

/// Takes the entrances not checked, how many were selected, the totals and whether the
/// report went to a file; says each one's error on stderr, then how many and where the
/// report lists them.
fn say_not_checked(
    failures: &[EntranceFailure],
    selected: usize,
    totals: &RunTotals,
    to_file: bool,
) {
    for f in failures {
        let text = crate::input::terminal_safe(&f.error, false);
        eprintln!("{}", msg!("error-line", text = text.as_ref()));
    }
    if !failures.is_empty() {
        eprintln!(
            "{}",
            msg!(
                "check-not-checked",
                failed = failures.len(),
                total = selected.max(totals.checked + totals.failed),
                place = if to_file {
                    msg!("check-reported-in-file")
                } else {
                    msg!("check-reported-above")
                }
            )
        );
    }
}

/// Runs the plan, handing each entrance's rendered value to `write` in plan order; stops at
/// the first write error (a closed pipe, a full disk) and returns it.
fn stream<T: Send>(
    plan: &Plan,
    options: &CheckOptions,
    bar: &mut Bar,
    failures: &mut Vec<EntranceFailure>,
    work: &(dyn Fn(EntranceReport) -> T + Sync),
    mut write: impl FnMut(Result<T, &EntranceFailure>) -> std::io::Result<()>,
) -> Result<RunTotals> {
    let mut error: Option<std::io::Error> = None;
    let totals = run_plan(plan, options, bar, work, &mut |outcome| {
        let written = match outcome {
            Ok(v) => write(Ok(v)),
            Err(f) => {
                let w = write(Err(&f));
                failures.push(f);
                w
            }
        };
        match written {
            Ok(()) => true,
            Err(e) => {
                error = Some(e);
                false
            }
        }
    });
    match error {
        Some(e) => Err(e.into()),
        None => Ok(totals),
    }
}

/// JSON lines: a document per entrance (or per entrance not checked), then the summary.
fn stream_jsonl(
    plan: &Plan,
    options: &CheckOptions,
    out: &mut super::Output,
    bar: &mut Bar,
    failures: &mut Vec<EntranceFailure>,
) -> Result<RunTotals> {
    // Each worker serialises its entrance's document straight into the line it hands over.
    let work = |e: EntranceReport| {
        let doc = EntranceDoc::new(&e).versioned().record("entrance");
        let mut line = serde_json::to_string(&doc).unwrap_or_default();
        line.push('\n');
        line
    };
    let totals = stream(plan, options, bar, failures, &work, |v| match v {
        Ok(line) => out.text(&line),
        Err(f) => {
            let mut line = json!({
                "schema_version": SCHEMA_VERSION,
                "record": "not_checked",
                "entrance": f.entrance,
                "error": f.error,
            })
            .to_string();
            line.push('\n');
            out.text(&line)
        }
    })?;
    let mut line = json!({
        "schema_version": SCHEMA_VERSION,
        "record": "summary",
        "building": building_name(plan),
        "building_notes": plan.notes,
        "checked": totals.checked,
        "with_faults": totals.with_faults,
        "not_checked_count": totals.failed,
        "incomplete_count": totals.incomplete,
        "unsettled_count": totals.unsettled,
        "healthy": totals.healthy(),
        "complete": totals.failed == 0,
    })
    .to_string();
    line.push('\n');
    out.text(&line)?;
    Ok(totals)
}

/// Every line of `text` after the first indented by `n` spaces.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.replace('\n', &format!("\n{pad}"))
}

/// The building document, written as the entrances come: its shape is that of the JSON
/// exporter's building document, with `healthy`, `complete` and `not_checked` last.
fn stream_json(
    plan: &Plan,
    options: &CheckOptions,
    out: &mut super::Output,
    bar: &mut Bar,
    failures: &mut Vec<EntranceFailure>,
) -> Result<RunTotals> {
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    out.text(&format!(
        "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"building\": {},\n  \"building_notes\": {},\n  \"entrances\": [",
        json!(building_name(plan)),
        indent(&pretty(&json!(plan.notes)), 2)
    ))?;
    let work = |e: EntranceReport| {
        // Entrances checked but not judged whole: their sweeps left apartments unmeasured.
        let incomplete = (!e.diagnosis.is_complete())
            .then(|| json!({"entrance": e.entrance, "not_measured": e.diagnosis.not_measured}));
        let doc = serde_json::to_string_pretty(&EntranceDoc::new(&e)).unwrap_or_default();
        let text = format!("\n    {}", indent(&doc, 4));
        (text, incomplete)
    };
    let mut first = true;
    let mut incomplete: Vec<Value> = Vec::new();
    let totals = stream(plan, options, bar, failures, &work, |v| match v {
        Ok((text, unjudged)) => {
            let sep = if first { "" } else { "," };
            first = false;
            incomplete.extend(unjudged);
            out.text(sep)?;
            out.text(&text)
        }
        Err(_) => Ok(()),
    })?;
    let not_checked: Vec<Value> = failures
        .iter()
        .map(|f| json!({"entrance": f.entrance, "error": f.error}))
        .collect();
    out.text(&format!(
        "{}],\n  \"healthy\": {},\n  \"complete\": {},\n  \"incomplete\": {},\n  \"not_checked\": {}\n}}\n",
        if first { "" } else { "\n  " },
        totals.healthy(),
        totals.failed == 0,
        indent(&pretty(&Value::Array(incomplete)), 2),
        indent(&pretty(&Value::Array(not_checked)), 2)
    ))?;
    Ok(totals)
}

/// The building's name in documents: its address, or the folder checked.
fn building_name(plan: &Plan) -> String {
    plan.address
        .clone()
        .unwrap_or_else(|| plan.path.display().to_string())
}

/// The table: the building, each entrance's findings and grid as it is checked, then the
/// summary table and the entrances not checked.
fn stream_table(
    plan: &Plan,
    options: &CheckOptions,
    lang: Lang,
    color: bool,
    out: &mut super::Output,
    bar: &mut Bar,
    failures: &mut Vec<EntranceFailure>,
) -> Result<RunTotals> {
    out.text(&plan_head(plan))?;
    let planned = planned_flats(plan);
    let parts = parts_per_entrance(plan);
    let exporter = TableExporter {
        style: Style {
            width: width_of(out),
            ..Style::new(color, lang)
        },
    };
    let work = |e: EntranceReport| entrance_table(e, &parts, &exporter, lang);
    let mut rows = SummaryTable::new(summary_header(lang));
    let totals = stream(plan, options, bar, failures, &work, |v| match v {
        Ok((row, text)) => {
            if rows.len() > 0 {
                out.text("\n")?;
            }
            rows.push(&row);
            out.text(&text)?;
            out.progress()
        }
        Err(f) => {
            rows.push(&unchecked_row(f, &planned, lang));
            Ok(())
        }
    })?;
    out.text("\n")?;
    rows.write(out, width_of(out))?;
    if !failures.is_empty() {
        out.text(&failures_text(failures, lang))?;
    }
    Ok(totals)
}

/// Takes the plan; gives the lines the table opens with: the building's address and its
/// notes, then a blank line (nothing when it has neither).
fn plan_head(plan: &Plan) -> String {
    let mut head = String::new();
    if let Some(b) = &plan.address {
        head.push_str(&format!("{b}\n"));
    }
    for n in &plan.notes {
        head.push_str(&format!("note: {n}\n"));
    }
    if !head.is_empty() {
        head.push('\n');
    }
    head
}

/// Takes the plan; gives each entrance's apartments as the plan writes them, for the row
/// of an entrance not checked.
fn planned_flats(plan: &Plan) -> std::collections::HashMap<&str, String> {
    plan.entrances
        .iter()
        .filter_map(|e| {
            let flats = (e.settings.apartments.as_deref()).map(crate::sweep::ranges_text)?;
            Some((e.number.as_str(), flats))
        })
        .collect()
}

/// Takes the plan; gives how many parts (matrices) each entrance number has.
fn parts_per_entrance(plan: &Plan) -> std::collections::HashMap<&str, usize> {
    let mut parts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for e in &plan.entrances {
        *parts.entry(e.number.as_str()).or_default() += 1;
    }
    parts
}

/// Takes the output; gives the width to fit tables to: none for a file, else the
/// terminal's.
fn width_of(out: &super::Output) -> Option<u16> {
    if out.is_file() {
        None
    } else {
        super::table_width()
    }
}

/// Takes one checked entrance (on a worker); gives its summary row and its rendered table.
/// An entrance on several matrices is checked matrix by matrix: its row says which matrix,
/// as the building report's summary does.
fn entrance_table(
    e: EntranceReport,
    parts: &std::collections::HashMap<&str, usize>,
    exporter: &TableExporter,
    lang: Lang,
) -> ([String; COLUMNS], String) {
    let several = e
        .entrance
        .as_deref()
        .is_some_and(|n| parts.get(n).is_some_and(|c| *c > 1));
    let matrix = e.layout.matrix;
    let report = Report {
        building: None,
        date: None,
        notes: Vec::new(),
        entrances: vec![e],
        not_checked: Vec::new(),
    };
    let mut row = summary_row(&report, lang);
    if several {
        row[0] = format!("{}, {} {matrix}", row[0], lang.text(Term::MatrixOfEntrance));
    }
    (row, exporter.render(&report))
}

/// Takes an entrance not checked; gives the row the building report's summary gives it.
fn unchecked_row(
    f: &EntranceFailure,
    planned: &std::collections::HashMap<&str, String>,
    lang: Lang,
) -> [String; COLUMNS] {
    let report = Report {
        building: None,
        date: None,
        notes: Vec::new(),
        entrances: Vec::new(),
        not_checked: vec![crate::export::Unchecked {
            entrance: f.entrance.clone(),
            apartments: planned.get(f.entrance.as_str()).cloned(),
            error: f.error.clone(),
            after: 0,
        }],
    };
    summary_row(&report, lang)
}

/// Takes the entrances not checked; gives the list below the summary, each with its error.
fn failures_text(failures: &[EntranceFailure], lang: Lang) -> String {
    let mut text = format!("\n{}:\n", capitalised(lang.text(Term::NotChecked)));
    for f in failures.iter() {
        text.push_str(&format!("  {}\n", f.error));
    }
    text
}

/// The summary table, kept compact (one string per row) and written row by row, so a
/// district of 100,000 entrances costs a few megabytes, not a table library's cells. Drawn
/// as comfy-table's UTF8_FULL preset draws the other tables.
struct SummaryTable {
    /// Each row's fields joined by `SEP`.
    rows: Vec<Box<str>>,
    headers: [&'static str; COLUMNS],
    widths: [usize; COLUMNS],
}

/// Columns of the summary table (`export::summary`).
const COLUMNS: usize = 7;

/// The narrowest a summary column gets on a narrow terminal, in terminal columns: a date or an
/// apartment range cut into lines of six still reads.
const CUT_WORDS_AT: usize = 6;

/// Separates the fields of a stored row (a control character, never in a field: fields are
/// escaped for the terminal before they are stored).
const SEP: char = '\u{1f}';

impl SummaryTable {
    fn new(headers: [&'static str; COLUMNS]) -> Self {
        SummaryTable {
            rows: Vec::new(),
            headers,
            widths: headers.map(UnicodeWidthStr::width),
        }
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn push(&mut self, row: &[String; COLUMNS]) {
        let mut joined = String::new();
        for (i, field) in row.iter().enumerate() {
            let field = crate::input::terminal_safe(field, false);
            self.widths[i] = self.widths[i].max(field.width());
            if i > 0 {
                joined.push(SEP);
            }
            joined.push_str(&field);
        }
        self.rows.push(joined.into_boxed_str());
    }

    /// One row of fields, each word-wrapped to its column's width in `widths`, as many
    /// lines as its tallest field needs.
    fn line<'a>(&self, fields: impl Iterator<Item = &'a str>, widths: &[usize]) -> String {
        let cells: Vec<Vec<String>> = fields
            .zip(widths)
            .map(|(field, w)| wrap(field, *w))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        let mut text = String::new();
        for k in 0..height {
            text.push('│');
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i > 0 {
                    text.push('┆');
                }
                let part = cell.get(k).map_or("", String::as_str);
                text.push(' ');
                text.push_str(part);
                text.extend(std::iter::repeat_n(' ', w.saturating_sub(part.width()) + 1));
            }
            text.push_str("│\n");
        }
        text
    }

    /// The column widths that fit `width` terminal columns (None: the natural widths, the stable
    /// layout of pipes and files). The widest column gives way first, one character at a
    /// time, down to its longest word; a table that cannot fit even so is drawn at that and
    /// the terminal wraps it.
    fn fitted(&self, width: Option<u16>) -> [usize; COLUMNS] {
        let mut widths = self.widths;
        let Some(limit) = width.map(usize::from) else {
            return widths;
        };
        let mut floor = self.headers.map(longest_word);
        for row in &self.rows {
            for (i, field) in row.split(SEP).enumerate().take(COLUMNS) {
                floor[i] = floor[i].max(longest_word(field));
            }
        }
        // Each column costs its width, a space either side and one border.
        let drawn = |w: &[usize; COLUMNS]| w.iter().sum::<usize>() + 3 * COLUMNS + 1;
        // Between words first; then, on a terminal narrower still, words are cut down to
        // `CUT_WORDS_AT` letters a line.
        for floor in [floor, [CUT_WORDS_AT; COLUMNS]] {
            while drawn(&widths) > limit {
                let Some(i) = (0..COLUMNS)
                    .filter(|&i| widths[i] > floor[i])
                    .max_by_key(|&i| widths[i])
                else {
                    break;
                };
                widths[i] -= 1;
            }
        }
        widths
    }

    fn write(&self, out: &mut super::Output, width: Option<u16>) -> std::io::Result<()> {
        let widths = self.fitted(width);
        let rule = |chars: [char; 4]| {
            let mut line = String::new();
            frame::rule(&mut line, &widths, chars);
            line
        };
        out.text(&rule(frame::TOP))?;
        out.text(&self.line(self.headers.iter().copied(), &widths))?;
        out.text(&rule(frame::UNDER_HEADER))?;
        let between = rule(frame::BETWEEN);
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.text(&between)?;
            }
            out.text(&self.line(row.split(SEP), &widths))?;
        }
        out.text(&rule(frame::BOTTOM))
    }
}

/// The display width of the longest word of `text`.
fn longest_word(text: &str) -> usize {
    text.split(' ')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// `text` in lines of at most `width` terminal columns, broken between words (a word wider
/// than the width is cut). Widths are display widths, not characters: a name written in
/// decomposed form (macOS file names: "й" as "и" and a combining breve) or in wide script
/// lines up with the rest.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let used = line.width();
        if used > 0 && used + 1 + word.width() <= width {
            line.push(' ');
            line.push_str(word);
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if w > 0 && line.width() + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    lines.push(line);
    lines
}

/// One row of the summary table, as the building report's summary writes it.
fn summary_row(report: &Report, lang: Lang) -> [String; COLUMNS] {
    match summary_rows(lang, report).into_iter().next() {
        Some(row) => row.cells().map(str::to_string),
        None => Default::default(),
    }
}

/// The plan of a building.toml, or of a folder of sweeps with the command-line parameters.
fn load_plan(args: &CheckArgs) -> Result<Plan> {
    if !crate::input::is_stdin(&args.target) && !args.target.exists() {
        bail!(msg!("check-no-target", path = &args.target));
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
        bail!(msg!("check-flags-on-plan", path = &args.target));
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
        if let Ok(style) = ProgressStyle::with_template(&format!(
            "{{spinner}} {} {{bar:30}} {{pos}}/{{len}} {{msg}}",
            msg!("check-progress")
        )) {
            bar.set_style(style);
        }
        self.bar = Some(bar);
    }

    fn warning(&mut self, entrance: &str, message: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| log::warn!("{}", entrance_warning(entrance, message))),
            None => log::warn!("{}", entrance_warning(entrance, message)),
        }
    }

    fn note(&mut self, message: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| log::warn!("{message}")),
            None => log::warn!("{message}"),
        }
    }

    fn finished(&mut self, entrance: &str, progress: Progress<'_>) {
        if let Some(b) = &self.bar {
            b.inc(1);
            if matches!(progress, Progress::Failed(_)) {
                b.set_message(
                    msg!(
                        "check-entrance-failed",
                        entrance = crate::input::terminal_safe(entrance, false).as_ref()
                    )
                    .to_string(),
                );
            }
        }
    }

    fn done(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// A sweep warning of one entrance of a building run, as stderr shows it.
pub(crate) fn entrance_warning(entrance: &str, message: &str) -> crate::i18n::Message {
    msg!("entrance-warning", entrance = entrance, message = message)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Майская" as macOS writes file names: "й" as "и" and a combining breve.
    const DECOMPOSED: &str = "Маи\u{306}ская";

    #[test]
    fn wrap_measures_display_width_not_characters() {
        assert_eq!(DECOMPOSED.chars().count(), 8);
        // Seven columns wide: it fits a column of seven, on one line, the breve kept.
        assert_eq!(wrap(DECOMPOSED, 7), vec![DECOMPOSED.to_string()]);
        // Cut to four columns: the breve stays with its letter.
        assert_eq!(wrap(DECOMPOSED, 4), vec!["Маи\u{306}с", "кая"]);
        // Wide script takes two columns a character.
        assert_eq!(wrap("東京 駅", 4), vec!["東京", "駅"]);
        assert_eq!(longest_word("ул. Маи\u{306}ская 5"), 7);
    }

    #[test]
    fn summary_rows_line_up_with_decomposed_and_wide_names() {
        let mut table = SummaryTable::new(["a", "b", "c", "d", "e", "f", "g"]);
        let row = |first: &str| -> [String; COLUMNS] {
            std::array::from_fn(|i| {
                if i == 0 {
                    first.to_string()
                } else {
                    "x".into()
                }
            })
        };
        table.push(&row(DECOMPOSED));
        table.push(&row("東京"));
        table.push(&row("plain"));
        let widths = table.fitted(None);
        assert_eq!(widths[0], 7);
        for row in &table.rows {
            let line = table.line(row.split(SEP), &widths);
            let border = line.find('┆').unwrap();
            assert_eq!(line[..border].width(), 1 + 1 + 7 + 1, "{line:?}");
        }
    }
}
