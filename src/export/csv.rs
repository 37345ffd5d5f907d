//! CSV exporter: one row per crossing of every entrance, for spreadsheets and scripts.
//! Columns: entrance, matrix, tens, units, apartment, state, forward_ohms, reverse_ohms, fault,
//! confidence. In English the state and fault columns hold the stable JSON keys; in Russian the
//! header and those words are translated for the office's spreadsheet. Readings are the raw
//! ohms, `OL` for open, empty when not measured. Pure.

use super::{Exporter, Report, Style, cell_state, finding_for_cell, line_label};
use crate::i18n::Lang;
use crate::model::{Reading, Terminal};

/// Renders CSV (comma-separated, RFC 4180 quoting, `\n` line ends).
pub struct CsvExporter {
    /// Language of the header and words.
    pub style: Style,
}

/// Quotes a field when it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn ohms(r: Option<Reading>) -> String {
    match r {
        None => String::new(),
        Some(Reading::Open) => "OL".to_string(),
        Some(Reading::Ohms(v)) => format!("{v}"),
    }
}

const HEADER_EN: [&str; 10] = [
    "entrance",
    "matrix",
    "tens",
    "units",
    "apartment",
    "state",
    "forward_ohms",
    "reverse_ohms",
    "fault",
    "confidence",
];

const HEADER_RU: [&str; 10] = [
    "подъезд",
    "матрица",
    "десятки",
    "единицы",
    "квартира",
    "состояние",
    "прямое_ом",
    "обратное_ом",
    "неисправность",
    "уверенность",
];

impl Exporter for CsvExporter {
    fn render(&self, report: &Report) -> String {
        let lang = self.style.lang;
        let header = match lang {
            Lang::En => HEADER_EN,
            Lang::Ru => HEADER_RU,
        };
        let mut out = header.join(",");
        out.push('\n');
        for e in &report.entrances {
            let labels = &e.layout.labels;
            let d = &e.diagnosis;
            for cell in e.layout.cells() {
                let state = cell_state(d, cell);
                let report = d.cell(cell);
                let finding = finding_for_cell(d, cell);
                let row = [
                    e.entrance.clone().unwrap_or_default(),
                    e.layout.matrix.to_string(),
                    line_label(lang, labels, Terminal::tens(cell.tens)),
                    line_label(lang, labels, Terminal::units(cell.units)),
                    e.layout
                        .apartment(cell)
                        .map_or(String::new(), |a| a.to_string()),
                    match lang {
                        Lang::En => state.key().to_string(),
                        Lang::Ru => lang.state(state).to_string(),
                    },
                    ohms(report.and_then(|c| c.forward)),
                    ohms(report.and_then(|c| c.reverse)),
                    finding.map_or(String::new(), |f| match lang {
                        Lang::En => f.fault.key().to_string(),
                        Lang::Ru => lang.fault(f.fault).to_string(),
                    }),
                    finding.map_or(String::new(), |f| format!("{:.2}", f.confidence)),
                ];
                let row: Vec<String> = row.iter().map(|f| field(f)).collect();
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
        out
    }
}
