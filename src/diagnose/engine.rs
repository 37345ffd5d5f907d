//! The diagnosis as a pipeline of named stages, each a file that says what it takes and
//! gives (physics: domain.md §3–5). A healthy handset conducts D→E only, so in a healthy
//! matrix every alternative path between two terminals crosses some handset backwards and
//! reads open; every finite reading is a handset at that crossing or a sneak path through
//! handsets that conduct E→D. The stages measure the entrance (its handsets, its meter's
//! noise, its wiring), explain every reading with that, and weigh each explanation against
//! its prior.
//!
//! Pure: no I/O, no clock, no randomness.

use super::calibrate::{self, Calibration};
use super::classify::{self, Found};
use super::grid::Grid;
use super::network::PairPaths;
use super::{CellReport, Diagnosis, ForwardPrior, Subject};
use super::{bus, elements, explain, lines, noise, shown_by_pairs, suspect, wording};
use crate::model::Sweep;
use crate::profile::Layout;

/// Diagnoses one matrix.
pub fn diagnose(sweep: &Sweep, layout: &Layout, prior: &ForwardPrior) -> Diagnosis {
    let readings = Grid::new(sweep, layout);
    let suspects = suspect::find(&readings, prior);
    let g = readings.without(&suspects.indices());
    let cal = calibrate::handsets(&g, layout, prior);
    let (net, els) = elements::find(&g, &cal, &noise::Noise::prior());
    // A second model made of ghosts: calibrate again without them, and find the elements
    // against the handsets that are.
    let (cal, mut net, mut els) =
        match calibrate::without_ghosts(&g, layout, prior, &cal, (&net, &els.reverse_ghost)) {
            Some(cal) => {
                let (net, els) = elements::find(&g, &cal, &noise::Noise::prior());
                (cal, net, els)
            }
            None => (cal, net, els),
        };
    // The D–D and E–E pairs' sneak paths, walked once for the stages that weigh them all.
    let pairs = PairPaths::walk(&net, sweep.bus());
    let noise = noise::measure(&g, &net, &cal, &pairs, |i| {
        ghost_candidate(&g, &cal, &els, i)
    });
    shown_by_pairs::add(&g, &cal, &noise, &pairs, &mut net, &mut els);
    let explained = explain::forward(&g, layout, &cal, &mut net, &mut els, &noise);
    let bus = bus::shorts(&pairs, &g, &net, &cal, &noise);
    let lines = lines::open(&g, layout, &explained, &bus);
    let verdicts = classify::verdicts(&Found {
        g: &g,
        layout,
        cal: &cal,
        noise: &noise,
        elements: &els,
        explained: &explained,
        lines: &lines,
        bus: &bus,
        pairs: sweep.bus(),
        suspects: &suspects,
    });
    report(&readings, layout, prior, &cal, &noise, lines.dead, verdicts)
}

/// True when crossing `i` may be a forward ghost: it reads above any handset and conducts
/// forward only.
pub(super) fn ghost_candidate(
    g: &Grid,
    cal: &Calibration,
    els: &elements::Elements,
    i: usize,
) -> bool {
    !els.is_element(i) && g.fi(i).is_some_and(|f| !cal.handset_like(f))
}

/// The diagnosis in words: findings and the cannot-tell list with their sentences, every
/// crossing with its readings as measured, and the notes.
fn report(
    readings: &Grid,
    layout: &Layout,
    prior: &ForwardPrior,
    cal: &Calibration,
    noise: &noise::Noise,
    dead: bool,
    v: classify::Verdicts,
) -> Diagnosis {
    let expect = wording::Expected::of(cal);
    let findings: Vec<_> = v
        .findings
        .into_iter()
        .map(|c| wording::finding(c, layout, expect))
        .collect();
    let cannot_tell: Vec<_> = v
        .cannot_tell
        .into_iter()
        .map(|d| wording::cannot_tell(d, readings, layout, expect))
        .collect();
    let notes = wording::notes(cal, prior, dead, &v.remarks, &cannot_tell, layout);
    let remeasure = cannot_tell
        .iter()
        .filter_map(|c| match c.subject {
            Subject::Handset {
                apartment: Some(a), ..
            } => Some(a),
            _ => None,
        })
        .collect();
    let cells = (0..readings.len())
        .map(|i| {
            let cell = readings.cell(i);
            CellReport {
                cell,
                apartment: layout.apartment(cell),
                state: v.states[i],
                forward: readings.forward[i],
                reverse: readings.reverse[i],
            }
        })
        .collect();
    Diagnosis {
        typical_forward_ohms: cal.typical,
        findings,
        cells,
        notes,
        cannot_tell,
        remeasure,
        measured: noise.measured(),
        // Completeness and the layout's fit are judged around the engine (verdict.rs).
        ..Diagnosis::default()
    }
}
