//! HTML exporter: one self-contained page (inline CSS, inline SVG; no scripts, no fonts, no
//! network) that reads on a phone and prints on A4. The grid of crossings is an SVG scaled by
//! its viewBox, so it never overflows a narrow screen; findings are cards, not a wide table.
//! Pure: every value from the report is escaped.

use super::summary::{detail_order, is_building, summary_header, summary_rows};
use super::{
    EntranceReport, Exporter, Report, Style, appendix, appendix_rest, cell_label, cell_state,
    entrance_facts, entrance_title, line_label, no_fault_text, percent, reading_text, result_text,
    subject_text,
};
use crate::diagnose::CellState;
use crate::i18n::{LEGEND_ORDER, Lang, Term};
use crate::model::{Cell, Terminal};
use std::fmt::Write;

/// Renders one HTML document.
pub struct HtmlExporter {
    /// Language (colour is always on: it is a page).
    pub style: Style,
}

/// Escapes text for HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Fill and ink of each state: faults dark and saturated, normal states pale.
fn colours(state: CellState) -> (&'static str, &'static str) {
    match state {
        CellState::Ok => ("#c8e6c9", "#1b5e20"),
        CellState::Absent => ("#eceff1", "#607d8b"),
        CellState::Unused => ("#ffffff", "#9e9e9e"),
        CellState::NotMeasured => ("#fafafa", "#757575"),
        CellState::Ghost => ("#fff59d", "#5d4037"),
        CellState::Short => ("#c62828", "#ffffff"),
        CellState::Reversed => ("#6a1b9a", "#ffffff"),
        CellState::Leak => ("#1565c0", "#ffffff"),
        CellState::HighResistance => ("#ef6c00", "#ffffff"),
        CellState::Open => ("#37474f", "#ffffff"),
        CellState::Suspect => ("#f8bbd0", "#880e4f"),
    }
}

const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; padding: 0 12px 24px; max-width: 56rem; color: #212121; background: #fff;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  overflow-wrap: anywhere; }
h1 { font-size: 1.4rem; margin: 16px 0 8px; }
h2 { font-size: 1.2rem; margin: 24px 0 8px; padding-top: 8px; border-top: 2px solid #cfd8dc; }
h3 { font-size: 1.05rem; margin: 18px 0 6px; }
dl.facts { display: grid; grid-template-columns: fit-content(42%) minmax(0, 1fr); gap: 2px 12px; margin: 8px 0; }
dl.facts dt { font-weight: 600; color: #455a64; }
dl.facts dd { margin: 0; min-width: 0; }
.result { display: inline-block; padding: 4px 10px; border-radius: 4px; font-weight: 600; }
.result.bad { background: #ffebee; color: #b71c1c; }
.result.good { background: #e8f5e9; color: #1b5e20; }
.warning { border-left: 4px solid #ef6c00; background: #fff3e0; padding: 6px 10px; }
ol.findings { list-style: none; padding: 0; margin: 0; }
.finding { border: 1px solid #cfd8dc; border-left: 6px solid #c62828; border-radius: 4px;
  padding: 8px 10px; margin: 8px 0; break-inside: avoid; }
.finding h4 { margin: 0 0 4px; font-size: 1rem; }
.finding p { margin: 4px 0; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-weight: 600; }
.sure { color: #546e7a; font-weight: normal; }
figure.grid { margin: 8px 0; break-inside: avoid; }
figure.grid svg { display: block; width: 100%; max-width: 40rem; height: auto; }
ul.legend { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: .9rem; }
ul.legend li { display: flex; align-items: center; gap: 6px; }
.sw { display: inline-block; width: 14px; height: 14px; border: 1px solid #90a4ae; flex: none; }
.sw.dashed { border: 1px dashed #616161; }
table.raw { border-collapse: collapse; width: 100%; font-size: .8rem; overflow-wrap: normal; }
table.raw td.num, table.raw td.where { white-space: nowrap; }
table.raw td:last-child { overflow-wrap: anywhere; }
table.raw th, table.raw td { border: 1px solid #cfd8dc; padding: 2px 3px; text-align: left; vertical-align: top; }
table.raw th { background: #eceff1; }
.num { font-variant-numeric: tabular-nums; }
table.summary { border-collapse: collapse; width: 100%; font-size: .85rem; margin: 8px 0; }
table.summary th, table.summary td { border: 1px solid #cfd8dc; padding: 3px 5px; text-align: left; vertical-align: top; }
table.summary th { background: #eceff1; }
table.summary tr.bad td:first-child { border-left: 4px solid #c62828; }
@media (max-width: 40rem) {
  table.summary thead { display: none; }
  table.summary, table.summary tbody, table.summary tr, table.summary td { display: block; width: 100%; }
  table.summary tr { border: 1px solid #cfd8dc; border-radius: 4px; margin: 6px 0; padding: 4px 6px; }
  table.summary td { border: 0; padding: 1px 0; }
  table.summary td::before { content: attr(data-label) ": "; font-weight: 600; color: #455a64; }
}
h2.group { border-top: 0; color: #455a64; font-size: 1.05rem; text-transform: uppercase; letter-spacing: .04em; }
.cols { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: flex-start; }
.cols > table.raw { flex: 1 1 13rem; width: auto; }
table.bus { border-collapse: collapse; font-size: .75rem; margin: 4px 0; }
table.bus th, table.bus td { border: 1px solid #cfd8dc; padding: 1px 3px; text-align: center; }
table.bus th { background: #eceff1; }
table.bus td.finite { font-weight: 700; background: #ffebee; }
p.rest { font-size: .85rem; margin: 4px 0; }
svg text { font-family: system-ui, "DejaVu Sans", sans-serif; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  figure.grid svg { max-width: 120mm; }
  table.raw { font-size: 7.5pt; }
  table.raw th, table.raw td { padding: 0 2px; }
}
"#;

// Grid geometry in SVG user units; the viewBox scales it to the screen.
const HEAD_W: u32 = 44;
const HEAD_H: u32 = 28;
const CELL_W: u32 = 58;
const CELL_H: u32 = 50;

impl HtmlExporter {
    fn lang(&self) -> Lang {
        self.style.lang
    }

    fn grid(&self, e: &EntranceReport, out: &mut String) -> Vec<CellState> {
        let lang = self.lang();
        let labels = &e.layout.labels;
        let d = &e.diagnosis;
        let (tens, units) = (u32::from(e.layout.tens()), u32::from(e.layout.units()));
        let (w, h) = (HEAD_W + units * CELL_W + 2, HEAD_H + tens * CELL_H + 2);
        let _ = write!(
            out,
            r#"<svg class="matrix" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"#,
            esc(lang.text(Term::Grid))
        );
        for u in 0..units {
            let x = HEAD_W + u * CELL_W + CELL_W / 2;
            let _ = write!(
                out,
                r##"<text x="{x}" y="{}" text-anchor="middle" font-size="17" font-weight="700" fill="#455a64">{}</text>"##,
                HEAD_H - 9,
                esc(&line_label(lang, labels, Terminal::units(u as u16)))
            );
        }
        let mut seen = Vec::new();
        for t in 0..tens {
            let y = HEAD_H + t * CELL_H;
            let _ = write!(
                out,
                r##"<text x="{}" y="{}" text-anchor="middle" font-size="17" font-weight="700" fill="#455a64">{}</text>"##,
                HEAD_W / 2,
                y + CELL_H / 2 + 5,
                esc(&line_label(lang, labels, Terminal::tens(t as u16)))
            );
            for u in 0..units {
                let cell = Cell::new(t as u16, u as u16);
                let x = HEAD_W + u * CELL_W;
                let state = cell_state(d, cell);
                if !seen.contains(&state) {
                    seen.push(state);
                }
                let report = d.cell(cell);
                let apartment = report.and_then(|c| c.apartment);
                let (fill, ink) = colours(state);
                let (stroke, width, dash) = match state {
                    s if s.is_fault() => ("#000000", 3, ""),
                    CellState::NotMeasured => ("#9e9e9e", 1, r#" stroke-dasharray="4 3""#),
                    _ => ("#b0bec5", 1, ""),
                };
                let mut tip = cell_label(lang, labels, cell);
                if let Some(a) = apartment {
                    tip = format!("{} {a} — {tip}", lang.apartment());
                }
                let tip = format!(
                    "{tip}: {}; {} {}, {} {}",
                    lang.state(state),
                    lang.text(Term::Forward),
                    reading_text(report.and_then(|c| c.forward)),
                    lang.text(Term::Reverse),
                    reading_text(report.and_then(|c| c.reverse)),
                );
                let _ = write!(
                    out,
                    r#"<g class="cell" data-state="{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>"#,
                    state.key(),
                    esc(&tip),
                    x + 2,
                    y + 2,
                    CELL_W - 3,
                    CELL_H - 3,
                );
                let cx = x + CELL_W / 2 + 1;
                if let Some(a) = apartment {
                    let _ = write!(
                        out,
                        r#"<text x="{cx}" y="{}" text-anchor="middle" font-size="19" font-weight="700" fill="{ink}">{a}</text>"#,
                        y + 24
                    );
                }
                let tag = lang.state_tag(state);
                if !tag.is_empty() {
                    // Shrink long tags (ПЛОХ.КОНТ) to fit the cell.
                    let chars = tag.chars().count() as f64;
                    let size = (f64::from(CELL_W - 8) / (chars * 0.62)).min(13.0);
                    let _ = write!(
                        out,
                        r#"<text x="{cx}" y="{}" text-anchor="middle" font-size="{size:.1}" fill="{ink}">{}</text>"#,
                        y + 42,
                        esc(tag)
                    );
                }
                out.push_str("</g>");
            }
        }
        out.push_str("</svg>");
        seen
    }

    fn entrance(&self, i: usize, e: &EntranceReport, out: &mut String) {
        let lang = self.lang();
        let labels = &e.layout.labels;
        let d = &e.diagnosis;
        let _ = write!(
            out,
            r#"<section class="entrance" id="entrance-{}"><h2>{}</h2><dl class="facts">"#,
            i + 1,
            esc(&entrance_title(lang, e))
        );
        for (k, v) in entrance_facts(lang, e) {
            let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
        }
        out.push_str("</dl>");
        let (result, good) = result_text(lang, d);
        let _ = write!(
            out,
            r#"<p class="result {}">{}: {}</p>"#,
            if good { "good" } else { "bad" },
            esc(lang.text(Term::Result)),
            esc(&result)
        );
        for w in &d.warnings {
            let _ = write!(
                out,
                r#"<p class="warning"><strong>{}:</strong> {}</p>"#,
                esc(lang.text(Term::Warning)),
                esc(&w.render(lang))
            );
        }

        let _ = write!(out, "<h3>{}</h3>", esc(lang.text(Term::Findings)));
        if d.findings.is_empty() {
            let _ = write!(out, "<p>{}</p>", esc(no_fault_text(lang, d)));
        } else {
            out.push_str(r#"<ol class="findings">"#);
            for f in &d.findings {
                let (who, place) = subject_text(lang, labels, &f.subject);
                let state = CellState::of_fault(f.fault);
                let (fill, ink) = colours(state);
                let _ = write!(
                    out,
                    r#"<li class="finding" data-fault="{}" style="border-left-color:{fill}"><h4>{} · {} · <span class="badge" style="background:{fill};color:{ink}">{}</span> <span class="sure">{} {}</span></h4><p><b>{}:</b> {}</p><p><b>{}:</b> {}</p></li>"#,
                    f.fault.key(),
                    esc(&who),
                    esc(&place),
                    esc(lang.finding_fault(f)),
                    esc(&lang.text(Term::Confidence).to_lowercase()),
                    percent(f.confidence),
                    esc(lang.text(Term::Evidence)),
                    esc(&f.evidence.render(lang)),
                    esc(lang.text(Term::Action)),
                    esc(&f.action.render(lang)),
                );
            }
            out.push_str("</ol>");
        }

        let _ = write!(
            out,
            r#"<h3>{}</h3><figure class="grid">"#,
            esc(lang.text(Term::Grid))
        );
        let seen = self.grid(e, out);
        let _ = write!(
            out,
            r#"<figcaption><ul class="legend" aria-label="{}">"#,
            esc(lang.text(Term::Legend))
        );
        for s in LEGEND_ORDER.iter().filter(|s| seen.contains(s)) {
            let (fill, _) = colours(*s);
            let class = if *s == CellState::NotMeasured {
                "sw dashed"
            } else {
                "sw"
            };
            let _ = write!(
                out,
                r#"<li><span class="{class}" style="background:{fill}"></span><span><b>{}</b> — {}</span></li>"#,
                esc(lang.state(*s)),
                esc(lang.state_meaning(*s))
            );
        }
        out.push_str("</ul></figcaption></figure>");

        let notes: Vec<String> = (e.notes.iter().cloned())
            .chain(d.notes.iter().map(|n| n.render(lang)))
            .collect();
        if !notes.is_empty() {
            let _ = write!(out, "<h3>{}</h3><ul>", esc(lang.text(Term::Notes)));
            for n in notes {
                let _ = write!(out, "<li>{}</li>", esc(&n));
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>");
    }

    fn appendix(&self, e: &EntranceReport, out: &mut String) {
        let lang = self.lang();
        let labels = &e.layout.labels;
        let a = appendix(e);
        let _ = write!(
            out,
            r#"<div class="entrance-raw"><h3>{}</h3>"#,
            esc(&entrance_title(lang, e))
        );
        // Rows in three chunks that sit side by side on paper and one under another on a phone.
        const CHUNKS: usize = 3;
        let per = a.rows.len().div_ceil(CHUNKS).max(1);
        out.push_str(r#"<div class="cols">"#);
        for chunk in a.rows.chunks(per) {
            let _ = write!(
                out,
                r#"<table class="raw"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
                esc(lang.text(Term::Where)),
                esc(lang.text(Term::ApartmentShort)),
                esc(lang.text(Term::ForwardShort)),
                esc(lang.text(Term::ReverseShort)),
                esc(lang.text(Term::State)),
            );
            for (c, apt, f, r, state) in chunk {
                let _ = write!(
                    out,
                    r#"<tr data-state="{}"><td class="where">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>"#,
                    state.key(),
                    esc(&cell_label(lang, labels, *c)),
                    apt.map_or(String::new(), |a| a.to_string()),
                    esc(&reading_text(*f)),
                    esc(&reading_text(*r)),
                    esc(lang.state(*state)),
                );
            }
            out.push_str("</tbody></table>");
        }
        out.push_str("</div>");
        for line in appendix_rest(lang, e, &a) {
            let _ = write!(out, r#"<p class="rest">{}</p>"#, esc(&line));
        }
        if !a.bus.is_empty() {
            let _ = write!(
                out,
                r#"<p class="rest"><b>{}:</b></p><div class="cols">"#,
                esc(lang.text(Term::BusChecks))
            );
            for t in &a.bus {
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
                out.push_str(r#"<table class="bus"><thead><tr><th></th>"#);
                for second in 1..t.lines {
                    let _ = write!(out, "<th>{}</th>", label(second));
                }
                out.push_str("</tr></thead><tbody>");
                for first in 0..t.lines.saturating_sub(1) {
                    let _ = write!(out, "<tr><th>{}</th>", label(first));
                    for second in 1..t.lines {
                        match (second > first).then(|| t.get(first, second)).flatten() {
                            Some(r) if r.is_finite() => {
                                let _ = write!(
                                    out,
                                    r#"<td class="finite">{}</td>"#,
                                    esc(&r.to_string())
                                );
                            }
                            Some(r) => {
                                let _ = write!(out, "<td>{}</td>", esc(&r.to_string()));
                            }
                            None => out.push_str("<td></td>"),
                        }
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</tbody></table>");
            }
            out.push_str("</div>");
        }
        out.push_str("</div>");
    }

    fn summary(&self, report: &Report, out: &mut String) {
        let lang = self.lang();
        let head = summary_header(lang);
        let _ = write!(
            out,
            r#"<section class="summary"><h2>{}</h2><table class="summary"><thead><tr>"#,
            esc(lang.text(Term::Summary))
        );
        for h in head {
            let _ = write!(out, "<th>{}</th>", esc(h));
        }
        out.push_str("</tr></thead><tbody>");
        for row in summary_rows(lang, report) {
            let bad = match row.index {
                Some(i) => report.entrances[i].diagnosis.has_faults(),
                None => true,
            };
            let _ = write!(out, r#"<tr{}>"#, if bad { r#" class="bad""# } else { "" });
            for (i, (label, cell)) in head.iter().zip(row.cells()).enumerate() {
                let text = match (i, row.index) {
                    (0, Some(at)) => {
                        format!(r##"<a href="#entrance-{}">{}</a>"##, at + 1, esc(cell))
                    }
                    _ => esc(cell),
                };
                let _ = write!(out, r#"<td data-label="{}">{text}</td>"#, esc(label));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></section>\n");
    }
}

impl Exporter for HtmlExporter {
    fn render(&self, report: &Report) -> String {
        let lang = self.lang();
        let title = lang.text(Term::ReportTitle);
        let page_title = match &report.building {
            Some(b) => format!("{title} — {b}"),
            None => title.to_string(),
        };
        let code = lang.code();
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header><h1>{}</h1>",
            esc(&page_title),
            esc(title)
        );
        let mut facts = Vec::new();
        if let Some(b) = &report.building {
            facts.push((lang.text(Term::Building), b.as_str()));
        }
        if let Some(date) = &report.date {
            facts.push((lang.text(Term::ReportMade), date.as_str()));
        }
        for n in &report.notes {
            facts.push((lang.text(Term::Notes), n.as_str()));
        }
        if !facts.is_empty() {
            out.push_str(r#"<dl class="facts">"#);
            for (k, v) in facts {
                let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
            }
            out.push_str("</dl>");
        }
        out.push_str("</header>\n");
        let order = detail_order(report);
        // Section ids follow the report's (plan) order, so the summary's links stay put.
        let id = |e: &EntranceReport| {
            (report.entrances.iter())
                .position(|r| std::ptr::eq(r, e))
                .unwrap_or(0)
        };
        if is_building(report) {
            self.summary(report, &mut out);
            let faulty = order
                .iter()
                .take_while(|e| e.diagnosis.has_faults())
                .count();
            for (i, e) in order.iter().enumerate() {
                let group = match i {
                    0 if faulty > 0 => Some(Term::EntrancesWithFaults),
                    i if i == faulty => Some(Term::HealthyEntrances),
                    _ => None,
                };
                if let Some(g) = group {
                    let _ = write!(out, r#"<h2 class="group">{}</h2>"#, esc(lang.text(g)));
                }
                self.entrance(id(e), e, &mut out);
                out.push('\n');
            }
        } else {
            for e in &order {
                self.entrance(id(e), e, &mut out);
                out.push('\n');
            }
        }
        let _ = write!(
            out,
            r#"<section class="appendix"><h2>{}</h2><p>{}</p>"#,
            esc(lang.text(Term::RawMeasurements)),
            esc(lang.text(Term::PolarityNote))
        );
        for e in &order {
            self.appendix(e, &mut out);
        }
        out.push_str("</section>\n</body>\n</html>\n");
        out
    }
}
