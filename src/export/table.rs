//! Table exporter: the findings as a table a technician reads at the switch, then the grid of
//! crossings drawn the way they sketch it (D lines down, E lines across, apartment numbers at
//! the crossings). Pure; colour only when the caller says so.

use super::{EntranceReport, Exporter, Report, Style};
use crate::diagnose::{CellState, Subject};
use crate::model::{Cell, Terminal, format_ohms};
use comfy_table::{Attribute, Cell as TCell, Color, ContentArrangement, Table, presets};

/// Renders comfy-tables.
pub struct TableExporter {
    /// Colour or not.
    pub style: Style,
}

/// Short tag for a cell state, as printed under the apartment number.
pub(crate) fn state_tag(state: CellState) -> &'static str {
    match state {
        CellState::Ok => "ok",
        CellState::Absent => "--",
        CellState::Unused => "",
        CellState::NotMeasured => "?",
        CellState::Ghost => "ghost",
        CellState::Short => "SHORT",
        CellState::Reversed => "REVERSED",
        CellState::Leak => "LEAK",
        CellState::HighResistance => "HIGH-R",
        CellState::Open => "OPEN",
    }
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

impl TableExporter {
    fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL)
            .set_content_arrangement(ContentArrangement::Disabled);
        if !self.style.color {
            t.force_no_tty();
        } else {
            t.enforce_styling();
        }
        t
    }

    fn entrance(&self, e: &EntranceReport, out: &mut String) {
        let labels = &e.layout.labels;
        let d = &e.diagnosis;
        let title = match &e.entrance {
            Some(n) => format!("Entrance {n}: "),
            None => String::new(),
        };
        out.push_str(&format!(
            "{title}{} — profile {}, switch {}, matrix {}, offset {}\n",
            e.source, e.layout.profile, e.layout.switch.model, e.layout.matrix, e.layout.offset
        ));
        match d.typical_forward_ohms {
            Some(t) => out.push_str(&format!(
                "Healthy handsets here read about {} forward (red on D, black on E).\n",
                format_ohms(t)
            )),
            None => out.push_str("No handset read forward: nothing to calibrate against.\n"),
        }
        if d.findings.is_empty() {
            out.push_str("No fault found.\n");
        } else {
            let mut t = self.table();
            t.set_header(vec![
                "Apartment / line",
                "Where",
                "Fault",
                "Sure",
                "Evidence",
                "Do next",
            ]);
            for f in &d.findings {
                let (who, place) = match &f.subject {
                    Subject::Handset { cell, apartment } => (
                        apartment.map_or("(no flat)".to_string(), |a| format!("apt {a}")),
                        labels.cell_label(*cell),
                    ),
                    Subject::Bus { line, other } => (
                        format!("line {}", labels.label(*line)),
                        match other {
                            Some(o) => format!("{}–{}", labels.label(*line), labels.label(*o)),
                            None => labels.label(*line).to_string(),
                        },
                    ),
                };
                let mut fault = TCell::new(f.fault.key().replace('_', " "));
                if self.style.color {
                    fault = fault.fg(Color::Red).add_attribute(Attribute::Bold);
                }
                t.add_row(vec![
                    TCell::new(who),
                    TCell::new(place),
                    fault,
                    TCell::new(format!("{:.0}%", f.confidence * 100.0)),
                    TCell::new(&f.evidence),
                    TCell::new(&f.action),
                ]);
            }
            out.push_str(&t.to_string());
            out.push('\n');
        }
        out.push_str(&self.grid(e));
        out.push('\n');
        for n in &d.notes {
            out.push_str(&format!("note: {n}\n"));
        }
    }

    fn grid(&self, e: &EntranceReport) -> String {
        let labels = &e.layout.labels;
        let mut t = self.table();
        let mut header = vec![TCell::new("")];
        for u in 0..e.layout.units() {
            header.push(TCell::new(labels.label(Terminal::units(u))));
        }
        t.set_header(header);
        for d in 0..e.layout.tens() {
            let mut row = vec![TCell::new(labels.label(Terminal::tens(d)))];
            for u in 0..e.layout.units() {
                let cell = Cell::new(d, u);
                let report = e.diagnosis.cell(cell);
                let state = report.map_or(CellState::NotMeasured, |r| r.state);
                let apt = report
                    .and_then(|r| r.apartment)
                    .map_or(String::new(), |a| a.to_string());
                let mut c = TCell::new(format!("{apt}\n{}", state_tag(state)));
                if let (true, Some(colour)) = (self.style.color, state_color(state)) {
                    c = c.fg(colour);
                }
                row.push(c);
            }
            t.add_row(row);
        }
        format!(
            "{t}\nok = healthy handset, -- = no handset, ghost = sneak-path reading on an empty crossing, ? = not measured\n"
        )
    }
}

impl Exporter for TableExporter {
    fn render(&self, report: &Report) -> String {
        let mut out = String::new();
        if let Some(b) = &report.building {
            out.push_str(&format!("Building: {b}\n\n"));
        }
        for (i, e) in report.entrances.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            self.entrance(e, &mut out);
        }
        out
    }
}
