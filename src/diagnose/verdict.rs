//! The diagnosis as a technician receives it: the engine's findings (`engine.rs`, used here as
//! a black box), what the sweep could not judge (apartments not measured both ways,
//! `coverage.rs`), and whether the layout fits the sweep (`fit.rs`), with the faults on
//! crossings whose apartment the layout is unsure of kept off the findings. The sentences
//! that say so are made here, in one place.
//!
//! Pure: no I/O, no clock, no randomness.

use super::{Diagnosis, ForwardPrior, LayoutWarning, coverage, engine, fit};
use crate::model::Sweep;
use crate::profile::{Layout, apartment_at};

/// Diagnoses one matrix: calibrate, explain every reading, name the faults (the engine);
/// then list the apartments the sweep did not measure both ways and check that the layout
/// fits the sweep.
pub fn diagnose(sweep: &Sweep, layout: &Layout, prior: &ForwardPrior) -> Diagnosis {
    let mut d = engine::diagnose(sweep, layout, prior);
    d.not_measured = coverage::not_measured(sweep, layout);
    d.layout_warning = fit::check(sweep, layout, &d);
    fit::withhold(&mut d, layout);
    d.warnings = words(&d, layout);
    d
}

/// Apartments named in full in a sentence; the rest are counted.
const LISTED: usize = 12;

/// The warnings, in the order a technician must read them.
fn words(d: &Diagnosis, layout: &Layout) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(w) = &d.layout_warning {
        out.push(layout_words(w, layout));
    }
    if !d.not_measured.is_empty() {
        out.push(incomplete_words(&d.not_measured, layout));
    }
    out
}

/// "a, b, c" of the first `LISTED` items, then "and N more".
fn listing(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > LISTED {
        text.push_str(&format!(" and {} more", items.len() - LISTED));
    }
    text
}

fn incomplete_words(missing: &[u32], layout: &Layout) -> String {
    let flats: Vec<String> = missing
        .iter()
        .map(|a| match layout.cell_of(*a) {
            Some(c) => format!("{a} ({})", layout.labels.cell_label(c)),
            None => a.to_string(),
        })
        .collect();
    let (one, these) = if missing.len() == 1 {
        ("apartment", "its crossing")
    } else {
        ("apartments", "those crossings")
    };
    format!(
        "incomplete sweep: {} {one} not measured in both directions: {}; the entrance cannot be called healthy until {these} are measured both ways (pass --partial if they were left out on purpose)",
        missing.len(),
        listing(&flats)
    )
}

fn layout_words(w: &LayoutWarning, layout: &Layout) -> String {
    let labels = &layout.labels;
    let mut why = Vec::new();
    if !w.handsets_off_layout.is_empty() {
        let cells: Vec<String> = w
            .handsets_off_layout
            .iter()
            .map(|c| labels.cell_label(*c))
            .collect();
        why.push(format!(
            "{} crossing{} with no apartment read{} like a healthy handset ({})",
            cells.len(),
            if cells.len() == 1 { "" } else { "s" },
            if cells.len() == 1 { "s" } else { "" },
            listing(&cells)
        ));
    }
    if w.apartments_open > 0 {
        why.push(format!(
            "{} of {} apartments read open both ways",
            w.apartments_open, w.apartments_measured
        ));
    }
    let mut text = format!(
        "the layout does not fit this sweep: {}; --offset {}, --matrix {} or --apartments is probably wrong",
        why.join(", and "),
        layout.offset,
        layout.matrix
    );
    match w.suggestion {
        Some(s) => text.push_str(&format!(
            "; --offset {} --matrix {} explains the sweep best",
            s.offset, s.matrix
        )),
        None => text.push_str("; no other offset or matrix explains it: check --apartments"),
    }
    if !w.withheld.is_empty() {
        let faults: Vec<String> = w
            .withheld
            .iter()
            .map(|f| {
                let super::Subject::Handset { cell, .. } = f.subject else {
                    return f.fault.key().to_string();
                };
                let by_suggestion = w.suggestion.and_then(|s| {
                    apartment_at(layout.numbering, &layout.switch, s.offset, s.matrix, cell)
                        .ok()
                        .map(|a| format!(", apartment {a} at --offset {}", s.offset))
                });
                format!(
                    "{} at {}{}",
                    f.fault.key().replace('_', " "),
                    labels.cell_label(cell),
                    by_suggestion.unwrap_or_default()
                )
            })
            .collect();
        text.push_str(&format!(
            "; faults found but not named by apartment until the layout is right: {}",
            listing(&faults)
        ));
    }
    text
}
