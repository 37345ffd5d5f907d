//! Table exporter: the findings as a table a technician reads at the switch, then the grid of
//! crossings drawn the way they sketch it (D lines down, E lines across, apartment numbers at
//! the crossings). Pure; colour only when the caller says so. Labels follow `Style.lang`.

use super::frame::Frame;
use super::summary::{detail_order, is_building, measured_text, summary_header, summary_rows};
use super::{
    EntranceReport, Exporter, Report, Style, entrance_title, legend_tag, line_label, no_fault_text,
    percent, subject_text,
};
use crate::diagnose::CellState;
use crate::i18n::{LEGEND_ORDER, Lang, Term};
use crate::model::{Cell, Terminal, format_ohms};
use comfy_table::{Attribute, Cell as TCell, Color, ContentArrangement, Table, presets};

/// Renders comfy-tables.
pub struct TableExporter {
    /// Colour and language.
    pub style: Style,
}

fn state_color(state: CellState) -> Option<Color> {
    match state {
        CellState::Ok => Some(Color::Green),
        CellState::Ghost => Some(Color::DarkYellow),
        CellState::NotMeasured => Some(Color::Grey),
        s if s.is_fault() => Some(Color::Red),
        _ => None,
    }
}

/// Width of the findings table in the stable layout (a pipe or file), in columns: fits a
/// laptop terminal and stays the same on every machine, so the output is reproducible. On a
/// terminal the table fits the terminal instead.
const FINDINGS_WIDTH: u16 = 120;

/// Makes a table fit `width` columns (a terminal's), wrapping cell text; `None` leaves the
/// stable layout, every cell on its own widths.
pub fn fit(t: &mut Table, width: Option<u16>) {
    if let Some(w) = width {
        t.set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(w);
    }
}

/// Notes under a heading said once: "Notes: …" for one, and a list under "Notes:" for
/// several, so the word is not repeated on every line.
fn notes_block(lang: Lang, notes: &[String]) -> String {
    let heading = lang.text(Term::Notes);
    match notes {
        [] => String::new(),
        [one] => format!("{heading}: {one}\n"),
        several => {
            let mut out = format!("{heading}:\n");
            for n in several {
                out.push_str(&format!("- {n}\n"));
            }
            out
        }
    }
}

/// A plain table (no colour), drawn as every kmdiag table is, fitting `width` columns when
/// given (a terminal's) and in the stable layout otherwise.
pub fn plain(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty();
    fit(&mut t, width);
    t
}

impl TableExporter {
    fn lang(&self) -> Lang {
        self.style.lang
    }

    fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL)
            .set_content_arrangement(ContentArrangement::Disabled);
        if !self.style.color {
            t.force_no_tty();
        } else {
            t.enforce_styling();
        }
        fit(&mut t, self.style.width);
        t
    }

    fn entrance(&self, e: &EntranceReport, out: &mut String) {
        let lang = self.lang();
        let labels = &e.layout.labels;
        let d = &e.diagnosis;
        let title = match &e.entrance {
            Some(_) => format!("{}: ", entrance_title(lang, e)),
            None => String::new(),
        };
        out.push_str(&format!(
            "{title}{} — {} {}, {} {}, {} {}, {} {}\n",
            e.source,
            lang.text(Term::Profile).to_lowercase(),
            e.layout.profile,
            lang.text(Term::Switch).to_lowercase(),
            e.layout.switch.model,
            lang.text(Term::Matrix).to_lowercase(),
            e.layout.matrix,
            lang.text(Term::Offset).to_lowercase(),
            e.layout.offset
        ));
        if let Some(m) = &e.meter {
            out.push_str(&format!("{}: {m}\n", lang.text(Term::Meter)));
        }
        if let Some(at) = &e.measured_at {
            out.push_str(&format!(
                "{}: {}\n",
                lang.text(Term::Measured),
                measured_text(lang, Some(at), false)
            ));
        }
        match d.typical_forward_ohms {
            Some(t) => {
                let (dl, el) = match labels.as_printed() {
                    true => ("D", "E"),
                    false => lang.line_letters(),
                };
                let text = crate::msg!("table-typical", ohms = format_ohms(t), d = dl, e = el);
                out.push_str(&text.render(lang));
                out.push('\n');
            }
            None => {
                out.push_str(lang.text(Term::NoCalibration));
                out.push('\n');
            }
        }
        // What must be read before any finding: an incomplete sweep, a layout that does not fit.
        for w in &d.warnings {
            out.push_str(&format!(
                "{}: {}\n",
                lang.text(Term::Warning),
                w.render(lang)
            ));
        }
        if d.findings.is_empty() {
            out.push_str(no_fault_text(lang, d));
            out.push('\n');
        } else {
            // Evidence and advice are sentences: wrap them so the table fits a laptop terminal.
            let mut t = self.table();
            t.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(self.style.width.unwrap_or(FINDINGS_WIDTH));
            t.set_header(vec![
                lang.text(Term::Subject),
                lang.text(Term::Where),
                lang.text(Term::Fault),
                lang.text(Term::Confidence),
                lang.text(Term::Evidence),
                lang.text(Term::Action),
            ]);
            for f in &d.findings {
                let (who, place) = subject_text(lang, labels, &f.subject);
                let mut fault = TCell::new(lang.finding_fault(f));
                if self.style.color {
                    fault = fault.fg(Color::Red).add_attribute(Attribute::Bold);
                }
                t.add_row(vec![
                    TCell::new(who),
                    TCell::new(place),
                    fault,
                    TCell::new(percent(f.confidence)),
                    TCell::new(f.evidence.render(lang)),
                    TCell::new(f.action.render(lang)),
                ]);
            }
            out.push_str(&t.to_string());
            out.push('\n');
        }
        out.push_str(&self.grid(e));
        let notes: Vec<String> = (e.notes.iter().cloned())
            .chain(d.notes.iter().map(|n| n.render(lang)))
            .collect();
        out.push_str(&notes_block(lang, &notes));
    }

    fn grid(&self, e: &EntranceReport) -> String {
        let lang = self.lang();
        let labels = &e.layout.labels;
        let units = e.layout.units();
        let mut header = vec![String::new()];
        for u in 0..units {
            header.push(line_label(lang, labels, Terminal::units(u)));
        }
        let mut rows = vec![header];
        let mut states: Vec<CellState> = Vec::new();
        let mut seen: Vec<CellState> = Vec::new();
        for d in 0..e.layout.tens() {
            let mut row = vec![line_label(lang, labels, Terminal::tens(d))];
            for u in 0..units {
                let report = e.diagnosis.cell(Cell::new(d, u));
                let state = report.map_or(CellState::NotMeasured, |c| c.state);
                if !seen.contains(&state) {
                    seen.push(state);
                }
                let apt = report
                    .and_then(|r| r.apartment)
                    .map_or(String::new(), |a| a.to_string());
                row.push(format!("{apt}\n{}", lang.state_tag(state)));
                states.push(state);
            }
            rows.push(row);
        }
        // The stable layout is drawn directly; a terminal's width or colour goes through
        // comfy-table, which fits and colours it.
        let drawn = match (self.style.width, self.style.color) {
            (None, false) => Frame::new(&rows).draw(),
            _ => self.grid_table(rows, &states).to_string(),
        };
        // The legend names every state this grid shows, blank cells included.
        let legend: Vec<String> = LEGEND_ORDER
            .iter()
            .filter(|s| seen.contains(s))
            .map(|s| format!("{} = {}", legend_tag(lang, *s), lang.state_meaning(*s)))
            .collect();
        format!("{drawn}\n{}\n", legend.join(" · "))
    }

    /// The grid as a comfy-table, coloured by `states` (each crossing's, tens-major) when
    /// colour is on, fitting the terminal's width when there is one.
    fn grid_table(&self, rows: Vec<Vec<String>>, states: &[CellState]) -> Table {
        let mut t = self.table();
        let mut rows = rows.into_iter();
        t.set_header(rows.next().unwrap_or_default());
        let mut states = states.iter();
        for row in rows {
            let mut cells = row.into_iter();
            let mut drawn = vec![TCell::new(cells.next().unwrap_or_default())];
            for text in cells {
                let mut c = TCell::new(text);
                let colour = states.next().copied().and_then(state_color);
                if let (true, Some(colour)) = (self.style.color, colour) {
                    c = c.fg(colour);
                }
                drawn.push(c);
            }
            t.add_row(drawn);
        }
        t
    }
}

impl Exporter for TableExporter {
    fn render(&self, report: &Report) -> String {
        let lang = self.lang();
        let mut out = String::new();
        if let Some(b) = &report.building {
            out.push_str(&format!("{}: {b}\n", lang.text(Term::Building)));
        }
        if let Some(date) = &report.date {
            out.push_str(&format!("{}: {date}\n", lang.text(Term::ReportMade)));
        }
        out.push_str(&notes_block(lang, &report.notes));
        if is_building(report) {
            out.push_str(&format!("\n{}:\n", lang.text(Term::Summary)));
            let mut t = self.table();
            t.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(self.style.width.unwrap_or(FINDINGS_WIDTH));
            t.set_header(summary_header(lang).to_vec());
            for row in summary_rows(lang, report) {
                t.add_row(row.cells().to_vec());
            }
            out.push_str(&t.to_string());
            out.push('\n');
        }
        if !out.is_empty() {
            out.push('\n');
        }
        for (i, e) in detail_order(report).into_iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            self.entrance(e, &mut out);
        }
        out
    }
}
