//! Markdown exporter: the wiring report for tickets and chat. Header facts as a list, findings
//! as a table, the grid as a table with apartment numbers and state tags at the crossings (faults
//! in bold, so it reads without colour), the raw readings in an appendix. Pure.

use super::summary::{detail_order, is_building, summary_header, summary_rows};
use super::{
    EntranceReport, Exporter, Report, Style, appendix, appendix_rest, cell_label, cell_state,
    entrance_facts, entrance_title, legend_tag, line_label, no_fault_text, percent, reading_text,
    result_text, subject_text,
};
use crate::diagnose::CellState;
use crate::i18n::{LEGEND_ORDER, Lang, Term};
use crate::model::{Cell, Terminal};

/// Renders GitHub-flavoured Markdown.
pub struct MarkdownExporter {
    /// Language (colour is ignored).
    pub style: Style,
}

/// Makes text from inputs (labels, addresses, notes, file names) plain inside a table cell
/// or list item: no pipes, no line breaks, no HTML, and every character Markdown gives a
/// meaning escaped — so no emphasis, heading, image or link (`[x](javascript:…)`) can be
/// smuggled in: the report's only links are none at all.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push(' '),
            // Brackets are enough to stop a link or image: `(` alone does nothing.
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn rule(n: usize) -> String {
    format!("|{}\n", "---|".repeat(n))
}

impl MarkdownExporter {
    /// One entrance's details under a heading of `level` (`##` alone, `###` in a building).
    fn entrance(&self, e: &EntranceReport, level: &str, out: &mut String) {
        let lang = self.style.lang;
        let labels = &e.layout.labels;
        let d = &e.diagnosis;
        let sub = format!("{level}#");
        out.push_str(&format!("{level} {}\n\n", esc(&entrance_title(lang, e))));
        for (k, v) in entrance_facts(lang, e) {
            out.push_str(&format!("- **{k}:** {}\n", esc(&v)));
        }
        let (result, _) = result_text(lang, d);
        out.push_str(&format!("- **{}:** {result}\n\n", lang.text(Term::Result)));
        for w in &d.warnings {
            out.push_str(&format!(
                "> **{}:** {}\n\n",
                lang.text(Term::Warning),
                esc(&w.render(lang))
            ));
        }

        out.push_str(&format!("{sub} {}\n\n", lang.text(Term::Findings)));
        if d.findings.is_empty() {
            out.push_str(no_fault_text(lang, d));
            out.push_str("\n\n");
        } else {
            let head = [
                Term::Subject,
                Term::Where,
                Term::Fault,
                Term::Confidence,
                Term::Evidence,
                Term::Action,
            ]
            .map(|t| lang.text(t).to_string());
            out.push_str(&row(&head));
            out.push_str(&rule(head.len()));
            for f in &d.findings {
                let (who, place) = subject_text(lang, labels, &f.subject);
                out.push_str(&row(&[
                    format!("**{}**", esc(&who)),
                    esc(&place),
                    format!("**{}**", lang.finding_fault(f)),
                    percent(f.confidence),
                    esc(&f.evidence.render(lang)),
                    esc(&f.action.render(lang)),
                ]));
            }
            out.push('\n');
        }

        out.push_str(&format!("{sub} {}\n\n", lang.text(Term::Grid)));
        let mut head = vec![String::new()];
        head.extend(
            (0..e.layout.units()).map(|u| esc(&line_label(lang, labels, Terminal::units(u)))),
        );
        out.push_str(&row(&head));
        out.push_str(&rule(head.len()));
        let mut seen: Vec<CellState> = Vec::new();
        for t in 0..e.layout.tens() {
            let mut cells = vec![format!(
                "**{}**",
                esc(&line_label(lang, labels, Terminal::tens(t)))
            )];
            for u in 0..e.layout.units() {
                let cell = Cell::new(t, u);
                let state = cell_state(d, cell);
                if !seen.contains(&state) {
                    seen.push(state);
                }
                let apt = d
                    .cell(cell)
                    .and_then(|c| c.apartment)
                    .map_or(String::new(), |a| a.to_string());
                let text = format!("{apt} {}", lang.state_tag(state));
                let text = text.trim();
                cells.push(if state.is_fault() {
                    format!("**{text}**")
                } else {
                    text.to_string()
                });
            }
            out.push_str(&row(&cells));
        }
        out.push('\n');
        let legend: Vec<String> = LEGEND_ORDER
            .iter()
            .filter(|s| seen.contains(s))
            .map(|s| format!("`{}` {}", legend_tag(lang, *s), lang.state_meaning(*s)))
            .collect();
        out.push_str(&format!(
            "{}: {}\n\n",
            lang.text(Term::Legend),
            legend.join(" · ")
        ));

        let notes: Vec<String> = (e.notes.iter().cloned())
            .chain(d.notes.iter().map(|n| n.render(lang)))
            .collect();
        if !notes.is_empty() {
            out.push_str(&format!("{sub} {}\n\n", lang.text(Term::Notes)));
            for n in notes {
                out.push_str(&format!("- {}\n", esc(&n)));
            }
            out.push('\n');
        }
    }

    fn appendix(&self, e: &EntranceReport, out: &mut String) {
        let lang = self.style.lang;
        let labels = &e.layout.labels;
        let a = appendix(e);
        out.push_str(&format!("### {}\n\n", esc(&entrance_title(lang, e))));
        if !a.rows.is_empty() {
            let head = [
                Term::Where,
                Term::ApartmentShort,
                Term::ForwardShort,
                Term::ReverseShort,
                Term::State,
            ]
            .map(|t| lang.text(t).to_string());
            out.push_str(&row(&head));
            out.push_str(&rule(head.len()));
            for (c, apt, f, r, state) in &a.rows {
                out.push_str(&row(&[
                    esc(&cell_label(lang, labels, *c)),
                    apt.map_or(String::new(), |a| a.to_string()),
                    reading_text(*f),
                    reading_text(*r),
                    lang.state(*state).to_string(),
                ]));
            }
            out.push('\n');
        }
        for line in appendix_rest(lang, e, &a) {
            out.push_str(&format!("{}\n\n", esc(&line)));
        }
        for t in &a.bus {
            out.push_str(&format!("{}:\n\n", lang.text(Term::BusChecks)));
            let label = |i: u16| {
                esc(&line_label(
                    lang,
                    labels,
                    Terminal {
                        kind: t.kind,
                        index: i,
                    },
                ))
            };
            let mut head = vec![String::new()];
            head.extend((1..t.lines).map(label));
            out.push_str(&row(&head));
            out.push_str(&rule(head.len()));
            for first in 0..t.lines.saturating_sub(1) {
                let mut cells = vec![format!("**{}**", label(first))];
                for second in 1..t.lines {
                    cells.push(
                        match (second > first).then(|| t.get(first, second)).flatten() {
                            Some(r) if r.is_finite() => format!("**{r}**"),
                            Some(r) => r.to_string(),
                            None => String::new(),
                        },
                    );
                }
                out.push_str(&row(&cells));
            }
            out.push('\n');
        }
    }
}

impl Exporter for MarkdownExporter {
    fn render(&self, report: &Report) -> String {
        let lang: Lang = self.style.lang;
        let mut out = format!("# {}\n\n", lang.text(Term::ReportTitle));
        let mut top = Vec::new();
        if let Some(b) = &report.building {
            top.push(format!("- **{}:** {}\n", lang.text(Term::Building), esc(b)));
        }
        if let Some(date) = &report.date {
            top.push(format!(
                "- **{}:** {}\n",
                lang.text(Term::ReportMade),
                esc(date)
            ));
        }
        for n in &report.notes {
            top.push(format!("- **{}:** {}\n", lang.text(Term::Notes), esc(n)));
        }
        if !top.is_empty() {
            out.push_str(&top.concat());
            out.push('\n');
        }
        let order = detail_order(report);
        if is_building(report) {
            out.push_str(&format!("## {}\n\n", lang.text(Term::Summary)));
            let head = summary_header(lang).map(String::from);
            out.push_str(&row(&head));
            out.push_str(&rule(head.len()));
            for r in summary_rows(lang, report) {
                out.push_str(&row(&r.cells().map(esc)));
            }
            out.push('\n');
            let faulty = order
                .iter()
                .take_while(|e| e.diagnosis.has_faults())
                .count();
            for (i, e) in order.iter().enumerate() {
                if i == 0 && faulty > 0 {
                    out.push_str(&format!("## {}\n\n", lang.text(Term::EntrancesWithFaults)));
                }
                if i == faulty {
                    out.push_str(&format!("## {}\n\n", lang.text(Term::HealthyEntrances)));
                }
                self.entrance(e, "###", &mut out);
            }
        } else {
            for e in &order {
                self.entrance(e, "##", &mut out);
            }
        }
        out.push_str(&format!("## {}\n\n", lang.text(Term::RawMeasurements)));
        for e in &order {
            self.appendix(e, &mut out);
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }
}

#[cfg(test)]
mod escaping {
    use super::esc;

    #[test]
    fn links_emphasis_and_tables_cannot_be_smuggled_in() {
        let e = esc("[click](javascript:alert(1)) *b* | <script>");
        assert!(
            e.starts_with("\\[click\\]") && !e.contains("<script") && !e.contains(" *b"),
            "{e}"
        );
        assert_eq!(esc("D1|x"), "D1\\|x");
        assert_eq!(esc("a_b"), "a\\_b");
    }
}
