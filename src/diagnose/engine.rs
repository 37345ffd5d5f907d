//! Calibrate → explain → findings. (First cut: per-cell classification; the network
//! explanation replaces it.)

use super::{CellReport, CellState, Diagnosis, ForwardPrior};
use crate::model::Sweep;
use crate::profile::Layout;

/// Diagnoses one matrix.
pub fn diagnose(sweep: &Sweep, layout: &Layout, prior: &ForwardPrior) -> Diagnosis {
    let mut forwards: Vec<f64> = layout
        .cells()
        .filter_map(|c| sweep.forward(c).and_then(|r| r.ohms()))
        .collect();
    forwards.sort_by(f64::total_cmp);
    let typical = forwards
        .get(forwards.len() / 2)
        .copied()
        .or(Some((prior.min + prior.max) / 2.0));
    let cells = layout
        .cells()
        .map(|cell| {
            let forward = sweep.forward(cell);
            let reverse = sweep.reverse(cell);
            let apartment = layout.apartment(cell);
            let state = match (apartment, forward, reverse) {
                (None, _, _) => CellState::Unused,
                (_, None, _) | (_, _, None) => CellState::NotMeasured,
                (_, Some(f), Some(r)) if !f.is_finite() && !r.is_finite() => CellState::Absent,
                _ => CellState::Ok,
            };
            CellReport {
                cell,
                apartment,
                state,
                forward,
                reverse,
            }
        })
        .collect();
    Diagnosis {
        typical_forward_ohms: typical,
        findings: Vec::new(),
        cells,
        notes: Vec::new(),
    }
}
