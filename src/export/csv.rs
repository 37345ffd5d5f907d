//! CSV exporter: one row per crossing of every entrance, then one per line-to-line check, for
//! spreadsheets and scripts. Columns: entrance, matrix, tens, units, apartment, state,
//! forward_ohms, reverse_ohms, fault, confidence. A line-to-line check's row has state
//! `line_check`, the two lines in the tens and units columns (red probe on the first, the
//! reading in forward_ohms; the other way round in reverse_ohms). In English the state and
//! fault columns hold the stable JSON keys; in Russian the header and those words are
//! translated for the office's spreadsheet. Readings are the raw ohms, `OL` for open, empty
//! when not measured. `kmdiag diagnose` reads the file back as a sweep. Pure.
//!
//! Two dialects (`CsvDialect`): plain (`,`, decimal points) and Excel's in a decimal-comma
//! locale (a UTF-8 byte-order mark, `;`, decimal commas). In both, a text cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) is neutralised with a leading `'`.

use super::{
    CsvDialect, EntranceReport, Exporter, Report, Style, cell_state, finding_for_cell, line_label,
};
use crate::diagnose::{CellState, Finding, Subject};
use crate::i18n::Lang;
use crate::model::{Reading, Terminal};

/// Renders CSV (RFC 4180 quoting, `\n` line ends) in the style's dialect.
pub struct CsvExporter {
    /// Language of the header and words, and the dialect.
    pub style: Style,
}

/// One cell of text as the dialect writes it: neutralised against formulas, quoted when it
/// holds the separator, a quote or a line break.
fn text_cell(text: &str, separator: char) -> String {
    let text = match text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        true => format!("'{text}"),
        false => text.to_string(),
    };
    if text.contains([separator, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A number as the dialect writes it.
fn number(v: String, dialect: CsvDialect) -> String {
    match dialect {
        CsvDialect::Plain => v,
        CsvDialect::Excel => v.replace('.', ","),
    }
}

fn ohms(r: Option<Reading>, dialect: CsvDialect) -> String {
    match r {
        None => String::new(),
        Some(Reading::Open) => "OL".to_string(),
        Some(Reading::Ohms(v)) => number(format!("{v}"), dialect),
    }
}

/// The column header in `lang` (`csv-col-…`; the sweep reader takes the English and the
/// Russian names back, so a report reads as a sweep).
fn header(lang: Lang) -> [&'static str; 10] {
    [
        "csv-col-entrance",
        "csv-col-matrix",
        "csv-col-tens",
        "csv-col-units",
        "csv-col-apartment",
        "csv-col-state",
        "csv-col-forward",
        "csv-col-reverse",
        "csv-col-fault",
        "csv-col-confidence",
    ]
    .map(|key| lang.say(key))
}

/// A cell state as a CSV cell (`csv-state-…`): English keeps the JSON key, for scripts;
/// other languages write the word.
fn state_cell(lang: Lang, s: CellState) -> &'static str {
    lang.say(match s {
        CellState::Ok => "csv-state-ok",
        CellState::Absent => "csv-state-absent",
        CellState::Unused => "csv-state-unused",
        CellState::NotMeasured => "csv-state-not-measured",
        CellState::Ghost => "csv-state-ghost",
        CellState::Suspect => "csv-state-suspect",
        CellState::Short => "csv-fault-short",
        CellState::Reversed => "csv-fault-reversed",
        CellState::Leak => "csv-fault-leak",
        CellState::HighResistance => "csv-fault-high-resistance",
        CellState::Open => "csv-fault-open",
    })
}

/// A fault as a CSV cell (`csv-fault-…`), as `state_cell` writes states.
fn fault_cell(lang: Lang, f: crate::model::Fault) -> &'static str {
    use crate::model::Fault;
    lang.say(match f {
        Fault::Short => "csv-fault-short",
        Fault::Reversed => "csv-fault-reversed",
        Fault::Leak => "csv-fault-leak",
        Fault::HighResistance => "csv-fault-high-resistance",
        Fault::Open => "csv-fault-open",
    })
}

/// The state word of a line-to-line check's row.
fn line_check(lang: Lang) -> &'static str {
    lang.say("csv-line-check")
}

impl CsvExporter {
    fn fault_cells(&self, finding: Option<&Finding>) -> [String; 2] {
        let lang = self.style.lang;
        [
            finding.map_or(String::new(), |f| fault_cell(lang, f.fault).to_string()),
            finding.map_or(String::new(), |f| {
                number(format!("{:.2}", f.confidence), self.style.csv)
            }),
        ]
    }

    /// Rows of an entrance's crossings, then of its line-to-line checks (each pair once,
    /// both directions).
    fn rows(&self, e: &EntranceReport) -> Vec<[String; 10]> {
        let (lang, dialect) = (self.style.lang, self.style.csv);
        let labels = &e.layout.labels;
        let d = &e.diagnosis;
        let mut rows = Vec::new();
        for cell in e.layout.cells() {
            let state = cell_state(d, cell);
            let report = d.cell(cell);
            let [fault, confidence] = self.fault_cells(finding_for_cell(d, cell));
            rows.push([
                e.entrance.clone().unwrap_or_default(),
                e.layout.matrix.to_string(),
                line_label(lang, labels, Terminal::tens(cell.tens)),
                line_label(lang, labels, Terminal::units(cell.units)),
                e.layout
                    .apartment(cell)
                    .map_or(String::new(), |a| a.to_string()),
                state_cell(lang, state).to_string(),
                ohms(report.and_then(|c| c.forward), dialect),
                ohms(report.and_then(|c| c.reverse), dialect),
                fault,
                confidence,
            ]);
        }
        let bus = e.sweep.bus();
        for (i, m) in bus.iter().enumerate() {
            // The pair's other direction, if measured, goes in the same row as the first.
            let back = |b: &&crate::model::Measurement| b.plus == m.minus && b.minus == m.plus;
            if bus[..i].iter().any(|b| back(&b)) {
                continue;
            }
            let reverse = bus[i + 1..].iter().find(back).map(|b| b.reading);
            let finding = d.findings.iter().find(|f| {
                matches!(f.subject, Subject::Bus { line, other: Some(o) }
                    if (line, o) == (m.plus, m.minus) || (o, line) == (m.plus, m.minus))
            });
            let [fault, confidence] = self.fault_cells(finding);
            rows.push([
                e.entrance.clone().unwrap_or_default(),
                e.layout.matrix.to_string(),
                line_label(lang, labels, m.plus),
                line_label(lang, labels, m.minus),
                String::new(),
                line_check(lang).to_string(),
                ohms(Some(m.reading), dialect),
                ohms(reverse, dialect),
                fault,
                confidence,
            ]);
        }
        rows
    }
}

impl Exporter for CsvExporter {
    fn render(&self, report: &Report) -> String {
        let header = header(self.style.lang);
        let (separator, mut out) = match self.style.csv {
            CsvDialect::Plain => (',', String::new()),
            CsvDialect::Excel => (';', String::from('\u{feff}')),
        };
        let join = |cells: &[String]| {
            let mut line = cells
                .iter()
                .map(|c| text_cell(c, separator))
                .collect::<Vec<_>>()
                .join(&separator.to_string());
            line.push('\n');
            line
        };
        out.push_str(&join(&header.map(String::from)));
        for e in &report.entrances {
            for row in self.rows(e) {
                out.push_str(&join(&row));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_separators_quoted() {
        assert_eq!(text_cell("=1+1", ','), "'=1+1");
        assert_eq!(text_cell("@SUM(A1)", ';'), "'@SUM(A1)");
        assert_eq!(text_cell("-3", ','), "'-3");
        assert_eq!(text_cell("a;b", ';'), "\"a;b\"");
        assert_eq!(text_cell("a;b", ','), "a;b");
        assert_eq!(text_cell("D4", ';'), "D4");
        assert_eq!(number("712.5".into(), CsvDialect::Excel), "712,5");
    }
}
