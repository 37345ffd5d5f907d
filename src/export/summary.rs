//! The building summary that opens a building report (and `check`'s table): one row per
//! entrance — apartments, handsets answering, faults, flats the sweep cannot judge, the worst
//! finding and when it was measured — and the order the details follow: entrances with faults
//! first, then the healthy ones. Pure.

use super::{EntranceReport, Report, cell_label, line_label};
use crate::diagnose::{CellState, Subject};
use crate::i18n::{Lang, Term};
use crate::model::{LineKind, Terminal};
use std::collections::BTreeSet;

/// One row of the summary, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// The entrance's number.
    pub entrance: String,
    /// Its position in `Report::entrances` (for links), `None` when it was not checked.
    pub index: Option<usize>,
    /// Apartments as ranges.
    pub apartments: String,
    /// Handsets that answer a call.
    pub answering: String,
    /// Number of findings.
    pub faults: String,
    /// Number of flats the sweep cannot judge.
    pub cannot_tell: String,
    /// The most serious finding in a few words, or why the entrance was not checked.
    pub worst: String,
    /// The day it was measured.
    pub measured: String,
}

/// The column titles of the summary, in row order.
pub fn summary_header(lang: Lang) -> [&'static str; 7] {
    [
        Term::Entrance,
        Term::Apartments,
        Term::HandsetsAnswering,
        Term::Faults,
        Term::CannotTell,
        Term::WorstFinding,
        Term::Measured,
    ]
    .map(|t| lang.text(t))
}

impl SummaryRow {
    /// The cells in column order.
    pub fn cells(&self) -> [&str; 7] {
        [
            &self.entrance,
            &self.apartments,
            &self.answering,
            &self.faults,
            &self.cannot_tell,
            &self.worst,
            &self.measured,
        ]
    }
}

/// True when a report is of a building (or of several entrances): it opens with the summary.
pub fn is_building(report: &Report) -> bool {
    report.building.is_some() || report.entrances.len() + report.not_checked.len() > 1
}

/// Handsets that answer a call: they conduct forward, even if not perfectly.
pub fn answering(e: &EntranceReport) -> usize {
    (e.diagnosis.cells.iter())
        .filter(|c| {
            matches!(
                c.state,
                CellState::Ok | CellState::HighResistance | CellState::Leak
            )
        })
        .count()
}

/// Flats the sweep cannot judge: not measured both ways (the diagnosis's `not_measured`, and
/// crossings it shows as not measured), read only through a sneak path (no handset, or a
/// bad contact hidden behind the ghost; `remeasure`), or on a silent line that may be cut
/// (a line on the cannot-tell list), in apartment order.
pub fn cannot_tell(e: &EntranceReport) -> Vec<u32> {
    let d = &e.diagnosis;
    let unmeasured_cells = (d.cells.iter())
        .filter(|c| c.state == CellState::NotMeasured)
        .filter_map(|c| c.apartment);
    let doubted_lines: Vec<Terminal> = (d.cannot_tell.iter())
        .filter_map(|c| match c.subject {
            Subject::Bus { line, other: None } => Some(line),
            _ => None,
        })
        .collect();
    let on_doubted_lines = (d.cells.iter())
        .filter(|c| {
            let on = |t: &Terminal| match t.kind {
                LineKind::Tens => t.index == c.cell.tens,
                LineKind::Units => t.index == c.cell.units,
            };
            doubted_lines.iter().any(on)
        })
        .filter_map(|c| c.apartment);
    let set: BTreeSet<u32> = (d.not_measured.iter().chain(&d.remeasure).copied())
        .chain(unmeasured_cells)
        .chain(on_doubted_lines)
        .collect();
    set.into_iter().collect()
}

/// The most serious finding (the engine sorts them) in a few words; with none named, the
/// likeliest fault the sweep cannot name, with its chance ("E6: wire broken? 75%").
pub fn worst(e: &EntranceReport, lang: Lang) -> String {
    let d = &e.diagnosis;
    if let Some(f) = d.findings.first() {
        return described(e, lang, &f.subject, lang.finding_fault(f));
    }
    match d.likely_unnamed().next() {
        Some(c) if d.is_unsettled() => {
            let fault = c.fault.map_or("", |f| lang.fault(f));
            let what = format!("{fault}? {}", super::percent(c.fault_probability));
            described(e, lang, &c.subject, &what)
        }
        _ => "–".into(),
    }
}

/// `what` said of a subject in a few words: "48: short (D4/E8)", "D4/E8: short", "E6: wire
/// broken" or "D1–D2: short".
fn described(e: &EntranceReport, lang: Lang, subject: &Subject, what: &str) -> String {
    let labels = &e.layout.labels;
    match subject {
        Subject::Handset {
            cell,
            apartment: Some(a),
        } => format!(
            "{}: {what} ({})",
            lang.apartment_short(*a),
            cell_label(lang, labels, *cell)
        ),
        Subject::Handset {
            cell,
            apartment: None,
        } => format!("{}: {what}", cell_label(lang, labels, *cell)),
        Subject::Bus { line, other } => match other {
            Some(o) => format!(
                "{}–{}: {what}",
                line_label(lang, labels, *line),
                line_label(lang, labels, *o)
            ),
            None => format!("{}: {what}", line_label(lang, labels, *line)),
        },
    }
}

/// When a sweep was taken, as a report prints it: `2026-11-18 10:42 +03:00`; `day_only`
/// gives `2026-11-18` (for the summary's column). A sweep without the time says so, or shows
/// a dash in the column.
pub fn measured_text(lang: Lang, measured_at: Option<&str>, day_only: bool) -> String {
    let Some(text) = measured_at else {
        return match day_only {
            true => "–".to_string(),
            false => lang.text(Term::NotRecorded).to_string(),
        };
    };
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(t) if day_only => t.format("%Y-%m-%d").to_string(),
        Ok(t) => t.format("%Y-%m-%d %H:%M %:z").to_string(),
        Err(_) => text.to_string(),
    }
}

/// The summary rows: every checked entrance and every one that could not be checked, in
/// plan order.
pub fn summary_rows(lang: Lang, report: &Report) -> Vec<SummaryRow> {
    let mut rows: Vec<(usize, SummaryRow)> = Vec::new();
    for (i, e) in report.entrances.iter().enumerate() {
        let unsure = cannot_tell(e).len();
        let name = e.entrance.clone().unwrap_or_else(|| e.source.clone());
        // An entrance on several matrices is checked matrix by matrix: say which row is which.
        let parts = (report.entrances.iter())
            .filter(|o| o.entrance.is_some() && o.entrance == e.entrance)
            .count();
        rows.push((
            i,
            SummaryRow {
                entrance: match parts {
                    0 | 1 => name,
                    _ => format!(
                        "{name}, {} {}",
                        lang.text(Term::MatrixOfEntrance),
                        e.layout.matrix
                    ),
                },
                index: Some(i),
                apartments: super::apartment_ranges(&e.layout),
                answering: answering(e).to_string(),
                faults: e.diagnosis.findings.len().to_string(),
                cannot_tell: match unsure {
                    0 => "–".to_string(),
                    n => n.to_string(),
                },
                worst: worst(e, lang),
                measured: measured_text(lang, e.measured_at.as_deref(), true),
            },
        ));
    }
    for u in &report.not_checked {
        rows.push((
            u.after,
            SummaryRow {
                entrance: u.entrance.clone(),
                index: None,
                apartments: (u.apartments.as_deref()).map_or("–".into(), |a| a.replace('-', "–")),
                answering: "–".into(),
                faults: "–".into(),
                cannot_tell: "–".into(),
                worst: format!("{}: {}", lang.text(Term::NotChecked), u.error),
                measured: "–".into(),
            },
        ));
    }
    // Stable: a failure goes after the checked entrances that precede it in the plan.
    rows.sort_by_key(|(at, row)| (*at, row.index.is_some()));
    rows.into_iter().map(|(_, r)| r).collect()
}

/// The order the entrances' details follow: those with faults first, then the healthy ones,
/// each in plan order.
pub fn detail_order(report: &Report) -> Vec<&EntranceReport> {
    let (faulty, healthy): (Vec<_>, Vec<_>) = report
        .entrances
        .iter()
        .partition(|e| e.diagnosis.has_faults());
    faulty.into_iter().chain(healthy).collect()
}
