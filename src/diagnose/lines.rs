//! Stage 6, open lines: a tens or units line whose every flat reads open both ways, while
//! other lines answer, is either cut between the switch and its flats or serves only flats
//! with no handset. The two give the same sweep; they are weighed by the prior of a cut line
//! against the chance that all those flats are empty, judged from how many of the other flats
//! have no handset (`evidence::Vacancy`).
//!
//! Takes the `Grid`, the layout and the `Explanations`; gives `Lines`. Pure.

use super::evidence::{PRIOR_LINE_CUT, Vacancy};
use super::explain::Explanations;
use super::grid::Grid;
use crate::model::{LineKind, Reading, Terminal};
use crate::profile::Layout;

/// A line whose every flat reads open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct SilentLine {
    /// The line.
    pub(super) line: Terminal,
    /// Flats it serves.
    pub(super) served: usize,
    /// Lowest and highest apartment on it.
    pub(super) span: Option<(u32, u32)>,
    /// The probability that it is cut.
    pub(super) cut: f64,
}

/// The silent lines of the matrix.
pub(super) struct Lines {
    /// Lines serving several flats that all read open, with the chance each is cut.
    pub(super) silent: Vec<SilentLine>,
    /// Nothing conducted anywhere though crossings were measured: the probes or the adapter
    /// never touched the blocks, or the wrong matrix was swept.
    pub(super) dead: bool,
}

impl Lines {
    /// True when crossing (t, u) lies on a line taken as cut (at probability `at` or more).
    pub(super) fn on_cut_line(&self, t: usize, u: usize, at: f64) -> bool {
        self.silent.iter().any(|s| {
            s.cut >= at
                && match s.line.kind {
                    LineKind::Tens => s.line.index as usize == t,
                    LineKind::Units => s.line.index as usize == u,
                }
        })
    }
}

/// Weighs every line whose flats all read open.
pub(super) fn open(g: &Grid, layout: &Layout, ex: &Explanations) -> Lines {
    let flat = |i: usize| layout.apartment(g.cell(i));
    let answers = |i: usize| {
        g.forward[i].is_some_and(Reading::is_finite) || g.reverse[i].is_some_and(Reading::is_finite)
    };
    let measured_open = |i: usize| g.forward[i] == Some(Reading::Open);
    // Flats measured, and how many show no handset: a ghost reading proves the lines are
    // connected, not that a handset is there.
    let flats: Vec<usize> = (0..g.len())
        .filter(|&i| flat(i).is_some() && g.forward[i].is_some())
        .collect();
    let empty = flats.iter().filter(|&&i| !ex.has_handset(i)).count();
    let any_answer = (0..g.len()).any(answers);
    let mut silent = Vec::new();
    if any_answer {
        let lines = (0..g.tens)
            .map(|t| Terminal::tens(t as u16))
            .chain((0..g.units).map(|u| Terminal::units(u as u16)));
        for line in lines {
            let cells: Vec<usize> = (0..g.len())
                .filter(|&i| {
                    let (t, u) = g.tu(i);
                    match line.kind {
                        LineKind::Tens => t == line.index as usize,
                        LineKind::Units => u == line.index as usize,
                    }
                })
                .collect();
            let served: Vec<usize> = cells
                .iter()
                .copied()
                .filter(|&i| flat(i).is_some())
                .collect();
            if served.len() < 2
                || cells.iter().any(|&i| answers(i))
                || !served.iter().all(|&i| measured_open(i))
            {
                continue;
            }
            // The other flats say how often a flat is empty; these flats' own silence is what
            // is being weighed, so they are left out of that count.
            let others = Vacancy {
                empty: empty.saturating_sub(served.len()),
                measured: flats.len().saturating_sub(served.len()),
            };
            let all_empty = others.all_empty(served.len());
            let cut = PRIOR_LINE_CUT / (PRIOR_LINE_CUT + (1.0 - PRIOR_LINE_CUT) * all_empty);
            let apartments: Vec<u32> = served.iter().filter_map(|&i| flat(i)).collect();
            let span = match (apartments.iter().min(), apartments.iter().max()) {
                (Some(&a), Some(&b)) if a != b => Some((a, b)),
                _ => None,
            };
            silent.push(SilentLine {
                line,
                served: served.len(),
                span,
                cut,
            });
        }
    }
    Lines {
        silent,
        dead: !any_answer && g.forward.iter().any(Option::is_some),
    }
}
