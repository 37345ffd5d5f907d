//! Exporters: turn a report (one or more diagnosed entrances) into text. One file per format,
//! one `Format` variant each, one `match` that picks the exporter.
//!
//! Pure: exporters return a `String`; the command decides where it goes.

mod csv;
mod entrance_doc;
pub(crate) mod frame;
mod html;
mod json;
mod markdown;
pub mod summary;
mod table;

pub use csv::CsvExporter;
pub use entrance_doc::EntranceDoc;
pub use html::HtmlExporter;
pub use json::{JsonExporter, SCHEMA_VERSION, entrance_json};
pub use markdown::MarkdownExporter;
pub use table::{TableExporter, fit as fit_table, plain as plain_table};

use crate::diagnose::{CellState, Diagnosis, Finding, Subject};
use crate::i18n::{Lang, Term};
use crate::model::{Cell, LineKind, Reading, Sweep, Terminal, format_ohms};
use crate::profile::{Layout, LineLabels};

/// One diagnosed entrance (one matrix) with everything needed to present it.
#[derive(Debug, Clone)]
pub struct EntranceReport {
    /// Entrance name or number as the building plan says, if any.
    pub entrance: Option<String>,
    /// Where the readings came from: a file path, or a port and meter.
    pub source: String,
    /// The meter or adapter used, when known.
    pub meter: Option<String>,
    /// When the sweep was taken (RFC 3339 with offset, from the sweep's header), when known.
    pub measured_at: Option<String>,
    /// Remarks from the plan and the sweep's header (access, known problems).
    pub notes: Vec<String>,
    /// The matrix layout (profile, switch, offset, apartments, labels).
    pub layout: Layout,
    /// The readings.
    pub sweep: Sweep,
    /// The diagnosis.
    pub diagnosis: Diagnosis,
}

/// What an exporter renders.
#[derive(Debug, Clone)]
pub struct Report {
    /// Building address, when the report is of a building plan.
    pub building: Option<String>,
    /// When the report was made (set by the command; exporters never read the clock).
    pub date: Option<String>,
    /// Remarks about the building.
    pub notes: Vec<String>,
    /// Diagnosed entrances.
    pub entrances: Vec<EntranceReport>,
    /// Entrances of the building that could not be checked, in plan order.
    pub not_checked: Vec<Unchecked>,
}

/// An entrance that could not be checked, for the building summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// Its number as the plan writes it.
    pub entrance: String,
    /// Its apartments as the plan writes them, if known.
    pub apartments: Option<String>,
    /// Why, one line.
    pub error: String,
    /// How many checked entrances precede it in the plan (where the summary lists it).
    pub after: usize,
}

/// Presentation options shared by the exporters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colour (only when stdout is a terminal and NO_COLOR is unset).
    pub color: bool,
    /// Language of labels.
    pub lang: crate::i18n::Lang,
    /// How CSV is written.
    pub csv: CsvDialect,
    /// Width the tables must fit (a terminal's), or `None` for the stable layout that
    /// pipes, files and snapshots get.
    pub width: Option<u16>,
}

impl Style {
    /// The style for `lang`, with its default CSV dialect and the stable table layout.
    pub fn new(color: bool, lang: Lang) -> Style {
        Style {
            color,
            lang,
            csv: CsvDialect::choose(None, lang),
            width: None,
        }
    }
}

/// How CSV is written: for scripts, or for a spreadsheet in a decimal-comma locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CsvDialect {
    /// Comma-separated, decimal point, UTF-8 without a byte-order mark (RFC 4180).
    #[default]
    Plain,
    /// What Russian Excel opens as columns: a UTF-8 byte-order mark, `;` between columns,
    /// decimal commas.
    Excel,
}

impl CsvDialect {
    /// The flag if given, else the language's own (`csv-dialect` in its catalogue: Excel's
    /// for Russian, whose spreadsheets use `;` and decimal commas, plain for English).
    pub fn choose(flag: Option<CsvDialect>, lang: Lang) -> CsvDialect {
        flag.unwrap_or(match lang.say("csv-dialect") {
            "excel" => CsvDialect::Excel,
            _ => CsvDialect::Plain,
        })
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable tables and the grid of cells.
    Table,
    /// One stable JSON document.
    Json,
    /// Markdown, for tickets and chat.
    #[value(name = "md", alias = "markdown")]
    Markdown,
    /// One self-contained HTML page (inline CSS and SVG), for phones and A4 paper.
    Html,
    /// CSV, one row per crossing.
    Csv,
}

impl Format {
    /// The format a file name asks for by its extension (`.md`, `.html`, `.csv`, `.json`,
    /// `.txt`), if any.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

/// Something that renders a report as text.
pub trait Exporter {
    /// Renders the report.
    fn render(&self, report: &Report) -> String;
}

/// The exporter for a format.
pub fn exporter(format: Format, style: Style) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(TableExporter { style }),
        Format::Json => Box::new(JsonExporter),
        Format::Markdown => Box::new(MarkdownExporter { style }),
        Format::Html => Box::new(HtmlExporter { style }),
        Format::Csv => Box::new(CsvExporter { style }),
    }
}

// Helpers shared by the exporters: the same words and the same facts in every format.

/// The finding that explains a cell: a handset finding on that crossing, else a line finding
/// on one of its two lines.
pub(crate) fn finding_for_cell(d: &Diagnosis, cell: Cell) -> Option<&Finding> {
    let on_line = |t: Terminal| match t.kind {
        LineKind::Tens => t.index == cell.tens,
        LineKind::Units => t.index == cell.units,
    };
    d.findings
        .iter()
        .find(|f| matches!(f.subject, Subject::Handset { cell: c, .. } if c == cell))
        .or_else(|| {
            d.findings.iter().find(|f| match f.subject {
                Subject::Bus { line, other } => on_line(line) || other.is_some_and(on_line),
                Subject::Handset { .. } => false,
            })
        })
}

/// The state of a cell, `NotMeasured` when the diagnosis does not mention it.
pub(crate) fn cell_state(d: &Diagnosis, cell: Cell) -> CellState {
    d.cell(cell).map_or(CellState::NotMeasured, |c| c.state)
}

/// A terminal's label as the language writes it ("D4" or "Д4").
pub(crate) fn line_label(lang: Lang, labels: &LineLabels, t: Terminal) -> String {
    match labels.as_printed() {
        true => labels.label(t).to_string(),
        false => lang.line_label(labels.label(t)),
    }
}

/// A crossing as the language writes it: "D4/E7" or "Д4/Е7".
pub(crate) fn cell_label(lang: Lang, labels: &LineLabels, cell: Cell) -> String {
    format!(
        "{}/{}",
        line_label(lang, labels, Terminal::tens(cell.tens)),
        line_label(lang, labels, Terminal::units(cell.units))
    )
}

/// Who and where a finding is about: ("apt 45", "D4/E5") or ("line D3", "D3–D4").
pub(crate) fn subject_text(lang: Lang, labels: &LineLabels, subject: &Subject) -> (String, String) {
    match subject {
        Subject::Handset { cell, apartment } => (
            apartment.map_or_else(
                || lang.text(Term::NoFlat).to_string(),
                |a| lang.apartment_short(a),
            ),
            cell_label(lang, labels, *cell),
        ),
        Subject::Bus { line, other } => {
            let l = line_label(lang, labels, *line);
            let place = match other {
                Some(o) => format!("{l}–{}", line_label(lang, labels, *o)),
                None => l.clone(),
            };
            (format!("{} {l}", lang.text(Term::Line)), place)
        }
    }
}

/// A reading as a meter shows it; "—" when it was not measured.
pub(crate) fn reading_text(r: Option<Reading>) -> String {
    r.map_or_else(|| "—".to_string(), |r| r.to_string())
}

/// The result of an entrance in a few words, and whether it is good news: healthy only for a
/// complete sweep with no fault named and none likely; an incomplete sweep says so first.
pub(crate) fn result_text(lang: Lang, d: &Diagnosis) -> (String, bool) {
    let faults = d.findings.len() + d.layout_warning.as_ref().map_or(0, |w| w.withheld.len());
    let found = format!("{} ({faults})", lang.text(Term::FaultsFound));
    let none = match d.is_unsettled() {
        true => Term::Unsettled,
        false => Term::Healthy,
    };
    match (d.is_complete(), d.has_faults()) {
        (true, false) => (lang.text(none).to_string(), d.is_healthy()),
        (true, true) => (found, false),
        (false, false) => (lang.text(Term::Incomplete).to_string(), false),
        (false, true) => (format!("{}; {found}", lang.text(Term::Incomplete)), false),
    }
}

/// The line said when there is no finding: "no fault found"; "none on the crossings
/// measured" when not every apartment was measured; "none named for sure" when one the
/// sweep cannot name is at least as likely as not.
pub(crate) fn no_fault_text(lang: Lang, d: &Diagnosis) -> &'static str {
    lang.text(if !d.is_complete() {
        Term::NoFaultMeasured
    } else if d.is_unsettled() {
        Term::NoFaultNamed
    } else {
        Term::NoFault
    })
}

/// Confidence as a percentage.
pub(crate) fn percent(confidence: f64) -> String {
    format!("{:.0}%", (confidence * 100.0).clamp(0.0, 100.0))
}

/// The apartments of a layout as ranges, e.g. "73–144" or "1–20, 31–40".
pub(crate) fn apartment_ranges(layout: &Layout) -> String {
    let mut flats: Vec<u32> = layout.cells().filter_map(|c| layout.apartment(c)).collect();
    flats.sort_unstable();
    flats.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < flats.len() {
        let start = flats[i];
        let mut end = start;
        while i + 1 < flats.len() && flats[i + 1] == end + 1 {
            i += 1;
            end = flats[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    if parts.is_empty() {
        "—".to_string()
    } else {
        parts.join(", ")
    }
}

/// The header facts of an entrance, in report order, as (label, value) pairs.
pub(crate) fn entrance_facts(lang: Lang, e: &EntranceReport) -> Vec<(&'static str, String)> {
    let unknown = || lang.text(Term::Unknown).to_string();
    let l = &e.layout;
    vec![
        (
            lang.text(Term::Entrance),
            e.entrance.clone().unwrap_or_else(unknown),
        ),
        (
            lang.text(Term::Measured),
            summary::measured_text(lang, e.measured_at.as_deref(), false),
        ),
        (lang.text(Term::Source), e.source.clone()),
        (
            lang.text(Term::Meter),
            e.meter.clone().unwrap_or_else(unknown),
        ),
        (
            lang.text(Term::Profile),
            format!(
                "{}, {} {}",
                l.profile,
                lang.text(Term::Switch).to_lowercase(),
                l.switch.model
            ),
        ),
        (lang.text(Term::Matrix), l.matrix.to_string()),
        (lang.text(Term::Offset), l.offset.to_string()),
        (lang.text(Term::Apartments), apartment_ranges(l)),
        (
            lang.text(Term::TypicalForward),
            e.diagnosis
                .typical_forward_ohms
                .map_or_else(|| "—".to_string(), format_ohms),
        ),
    ]
}

/// The entrance's title: "Entrance 2" or the source file when it has no number.
pub(crate) fn entrance_title(lang: Lang, e: &EntranceReport) -> String {
    match &e.entrance {
        Some(n) => format!("{} {n}", lang.text(Term::Entrance)),
        None => e.source.clone(),
    }
}

/// One appendix row: (crossing, apartment, forward, reverse, state).
pub(crate) type RawRow = (
    Cell,
    Option<u32>,
    Option<Reading>,
    Option<Reading>,
    CellState,
);

/// What the appendix shows of an entrance: the crossings worth a row (an apartment's, or any
/// that read something), the rest in two lists, and the line-to-line checks as tables.
pub(crate) struct Appendix {
    /// Crossings with an apartment that were measured, and crossings without one that read
    /// something finite either way: (crossing, apartment, forward, reverse, state).
    pub rows: Vec<RawRow>,
    /// Crossings not measured at all.
    pub not_measured: Vec<Cell>,
    /// Crossings without an apartment that read open both ways.
    pub unused_open: usize,
    /// D–D checks, then E–E checks: each a triangle of readings by line position.
    pub bus: Vec<BusTable>,
}

/// Line-to-line checks of one block as a triangle: `reading[a][b]` for lines a < b (either
/// direction; the lower reading when both were taken).
pub(crate) struct BusTable {
    /// Tens or units block.
    pub kind: LineKind,
    /// Lines on the block.
    pub lines: u16,
    /// Readings by (first, second) position, first < second.
    pub readings: Vec<((u16, u16), Reading)>,
}

impl BusTable {
    /// The reading between lines `a` and `b`, if measured.
    pub fn get(&self, a: u16, b: u16) -> Option<Reading> {
        let key = (a.min(b), a.max(b));
        self.readings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, r)| *r)
    }
}

/// The appendix of one entrance.
pub(crate) fn appendix(e: &EntranceReport) -> Appendix {
    let mut rows = Vec::new();
    let mut not_measured = Vec::new();
    let mut unused_open = 0;
    for c in e.sweep.cells() {
        let (f, r) = (e.sweep.forward(c), e.sweep.reverse(c));
        let apartment = e.layout.apartment(c);
        let finite = f.is_some_and(Reading::is_finite) || r.is_some_and(Reading::is_finite);
        if f.is_none() && r.is_none() {
            not_measured.push(c);
        } else if apartment.is_some() || finite {
            rows.push((c, apartment, f, r, cell_state(&e.diagnosis, c)));
        } else {
            unused_open += 1;
        }
    }
    let mut bus = Vec::new();
    for (kind, lines) in [
        (LineKind::Tens, e.layout.tens()),
        (LineKind::Units, e.layout.units()),
    ] {
        let mut readings: Vec<((u16, u16), Reading)> = Vec::new();
        for m in e.sweep.bus().iter().filter(|m| m.plus.kind == kind) {
            let key = (
                m.plus.index.min(m.minus.index),
                m.plus.index.max(m.minus.index),
            );
            match readings.iter_mut().find(|(k, _)| *k == key) {
                Some((_, r)) => {
                    if m.reading.ohms().unwrap_or(f64::INFINITY) < r.ohms().unwrap_or(f64::INFINITY)
                    {
                        *r = m.reading;
                    }
                }
                None => readings.push((key, m.reading)),
            }
        }
        if !readings.is_empty() {
            bus.push(BusTable {
                kind,
                lines,
                readings,
            });
        }
    }
    Appendix {
        rows,
        not_measured,
        unused_open,
        bus,
    }
}

/// The one line that sums up what the appendix has no row for: crossings not measured (with
/// their apartments) and crossings without an apartment that read open both ways.
pub(crate) fn appendix_rest(lang: Lang, e: &EntranceReport, a: &Appendix) -> Vec<String> {
    let mut out = Vec::new();
    if !a.not_measured.is_empty() {
        let list: Vec<String> = (a.not_measured.iter())
            .map(|c| match e.layout.apartment(*c) {
                Some(apt) => format!(
                    "{} ({})",
                    cell_label(lang, &e.layout.labels, *c),
                    lang.apartment_short(apt)
                ),
                None => cell_label(lang, &e.layout.labels, *c),
            })
            .collect();
        out.push(format!(
            "{}: {}",
            lang.text(Term::NotMeasuredList),
            list.join(", ")
        ));
    }
    if a.unused_open > 0 {
        out.push(format!(
            "{}: {}",
            lang.text(Term::UnusedOpen),
            a.unused_open
        ));
    }
    out
}

/// How the legend names a state: its grid tag, or "blank" for the cells drawn empty.
pub(crate) fn legend_tag(lang: Lang, s: CellState) -> String {
    match lang.state_tag(s) {
        "" => format!("({})", lang.text(Term::Blank)),
        tag => tag.to_string(),
    }
}
