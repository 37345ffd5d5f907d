//! The diagnosis as a technician receives it: the engine's findings (`engine.rs`, used here as
//! a black box), what the sweep could not judge (apartments not measured both ways,
//! `coverage.rs`), whether a fault it cannot name is at least as likely as not (the cannot-tell
//! list at `LIKELY`), and whether the layout fits the sweep (`fit.rs`), with the faults on
//! crossings whose apartment the layout is unsure of kept off the findings. The warnings
//! that say so are named here, in one place (catalogue messages: `crate::i18n`).
//!
//! Pure: no I/O, no clock, no randomness.

use super::wording::{fault_name, listing, whom};
use super::{Diagnosis, ForwardPrior, LayoutWarning, coverage, engine, fit};
use crate::i18n::{Arg, Message};
use crate::model::Sweep;
use crate::msg;
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

/// The warnings, in the order a technician must read them.
fn words(d: &Diagnosis, layout: &Layout) -> Vec<Message> {
    let mut out = Vec::new();
    if let Some(w) = &d.layout_warning {
        out.push(layout_words(w, layout));
    }
    if !d.not_measured.is_empty() {
        out.push(msg!(
            "warning-incomplete",
            n = d.not_measured.len(),
            list = flats_at(&d.not_measured, layout)
        ));
    }
    let suspect = d.suspect();
    if !suspect.is_empty() {
        out.push(msg!(
            "warning-suspect",
            n = suspect.len(),
            list = flats_at(&suspect, layout)
        ));
    }
    if d.is_unsettled() {
        let likely: Vec<Arg> = (d.likely_unnamed())
            .map(|c| {
                msg!(
                    "likely-at",
                    whom = whom(&c.subject, &layout.labels),
                    fault = c.fault.map_or(Message::new("fault-any"), fault_name),
                    percent = format!("{:.0}", c.fault_probability * 100.0)
                )
                .into()
            })
            .collect();
        out.push(msg!(
            "warning-likely-unnamed",
            n = likely.len(),
            list = listing(&likely)
        ));
    }
    out
}

/// "73 (D0/E1), 74 (D0/E2)": apartments with their crossings, the first dozen named.
fn flats_at(flats: &[u32], layout: &Layout) -> Arg {
    let named: Vec<Arg> = flats
        .iter()
        .map(|a| match layout.cell_of(*a) {
            Some(c) => msg!(
                "flat-at",
                apartment = a.to_string(),
                cell = layout.labels.cell_arg(c)
            )
            .into(),
            None => Arg::Text(a.to_string()),
        })
        .collect();
    listing(&named)
}

fn layout_words(w: &LayoutWarning, layout: &Layout) -> Message {
    let labels = &layout.labels;
    let mut why = Vec::new();
    if !w.handsets_off_layout.is_empty() {
        let cells: Vec<Arg> = w
            .handsets_off_layout
            .iter()
            .map(|c| labels.cell_arg(*c))
            .collect();
        why.push(Arg::from(msg!(
            "layout-off-handsets",
            n = cells.len(),
            list = listing(&cells)
        )));
    }
    if w.apartments_open > 0 {
        why.push(
            msg!(
                "layout-open",
                open = w.apartments_open,
                measured = w.apartments_measured
            )
            .into(),
        );
    }
    let why: Arg = match why.as_slice() {
        [a, b] => msg!("join-and", first = a.clone(), second = b.clone()).into(),
        _ => Arg::List(why),
    };
    let suggestion = match w.suggestion {
        Some(s) => msg!(
            "layout-suggestion",
            offset = s.offset.to_string(),
            matrix = s.matrix.to_string()
        ),
        None => Message::new("layout-no-suggestion"),
    };
    let withheld: Arg = match w.withheld.is_empty() {
        true => Arg::Text(String::new()),
        false => {
            let faults: Vec<Arg> = w
                .withheld
                .iter()
                .map(|f| {
                    let super::Subject::Handset { cell, .. } = f.subject else {
                        return fault_name(f.fault).into();
                    };
                    let by: Arg = w
                        .suggestion
                        .and_then(|s| {
                            apartment_at(layout.numbering, &layout.switch, s.offset, s.matrix, cell)
                                .ok()
                                .map(|a| {
                                    msg!(
                                        "withheld-by",
                                        apartment = a.to_string(),
                                        offset = s.offset.to_string()
                                    )
                                    .into()
                                })
                        })
                        .unwrap_or_else(|| Arg::Text(String::new()));
                    msg!(
                        "withheld-fault",
                        fault = fault_name(f.fault),
                        cell = labels.cell_arg(cell),
                        by = by
                    )
                    .into()
                })
                .collect();
            msg!("layout-withheld", list = listing(&faults)).into()
        }
    };
    msg!(
        "warning-layout",
        why = why,
        offset = layout.offset.to_string(),
        matrix = layout.matrix.to_string(),
        suggestion = suggestion,
        withheld = withheld
    )
}
