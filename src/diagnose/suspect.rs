//! Stage 1, impossible readings: a reading no handset, wire or meter can give is a suspect
//! measurement (a probe that slipped, a reading taken on the wrong terminals, a typing
//! error), never evidence. It is set aside, shown as `suspect`, and listed with what to
//! re-measure.
//!
//! Two things cannot be: a crossing that conducts one way far below any diode while the other
//! way reads open (a handset's diode drops at least about 0.4 V at any meter's test current,
//! and a short conducts both ways alike), and a value beyond any meter's range.
//!
//! Takes the `Grid` and the profile's prior; gives the `Suspects`. Pure.

use super::ForwardPrior;
use super::calibrate::median;
use super::grid::Grid;

/// A reading above this is beyond what any ohmmeter shows: handheld and bench meters' top
/// resistance ranges end at 40–600 MΩ, a few at 1 GΩ.
pub(super) const BEYOND_ANY_METER: f64 = 1e9;

/// A crossing conducting one way at under this fraction of the entrance's healthy forward
/// reading, open the other way, cannot hold a diode: a silicon junction drops 0.45–0.76 V at a
/// meter's 0.1–1.2 mA, at least 0.6 of a healthy handset's whole reading, and handsets in
/// parallel (touching lines) share the current with a drop only tens of millivolts lower.
const FAR_BELOW_DIODE: f64 = 0.35;

/// Fewer forward-only readings than this give no trustworthy healthy reading to compare
/// against; the profile's nominal low end is used instead. Also the fewest alike readings
/// taken for handsets: an impossible reading is one slip of a probe or a finger, and three
/// slips agreeing within `ALIKE` of one another by chance do not happen.
const MIN_REFERENCE: usize = 3;

/// Readings within this factor of one another are alike: wider than the spread of handsets
/// of one model (calibrate.rs' cluster), narrower than the two diodes of the cheapest ghost.
const ALIKE: f64 = 1.3;

/// Why a crossing's readings are suspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Why {
    /// Conducts forward far below any diode, reverse open.
    ForwardBelowDiode,
    /// Conducts in reverse far below any diode, forward open.
    ReverseBelowDiode,
    /// A value beyond any meter's range.
    BeyondMeter,
}

/// The crossings whose readings are set aside.
pub(super) struct Suspects {
    /// Crossing index and why, in crossing order.
    pub(super) cells: Vec<(usize, Why)>,
}

impl Suspects {
    /// The crossing indices.
    pub(super) fn indices(&self) -> Vec<usize> {
        self.cells.iter().map(|(i, _)| *i).collect()
    }
}

/// Finds the crossings whose readings cannot be.
pub(super) fn find(g: &Grid, prior: &ForwardPrior) -> Suspects {
    // The healthy reading to compare with: the lowest set of alike forward-only readings. A
    // ghost crosses two diodes or more and reads above every handset, and in a small
    // entrance with leaks or shorts ghosts can be half the forward-only readings: their
    // median is no handset's. Failing such a set, the median of the forward-only readings
    // (robust against the few suspect ones), or the profile's nominal low end.
    let mut forward_only: Vec<f64> = (0..g.len())
        .filter(|&i| g.ri(i).is_none() && g.reverse[i].is_some())
        .filter_map(|i| g.fi(i))
        .filter(|v| *v < BEYOND_ANY_METER)
        .collect();
    forward_only.sort_by(f64::total_cmp);
    let reference = match lowest_alike(&forward_only) {
        Some(r) => r,
        None if forward_only.len() >= MIN_REFERENCE => median(&forward_only),
        None => prior.min,
    };
    let floor = FAR_BELOW_DIODE * reference;
    let open = |r: Option<crate::model::Reading>| r == Some(crate::model::Reading::Open);
    let cells = (0..g.len())
        .filter_map(|i| {
            let (f, r) = (g.fi(i), g.ri(i));
            let why = if f.is_some_and(|v| v > BEYOND_ANY_METER)
                || r.is_some_and(|v| v > BEYOND_ANY_METER)
            {
                Why::BeyondMeter
            } else if f.is_some_and(|v| v < floor) && open(g.reverse[i]) {
                Why::ForwardBelowDiode
            } else if r.is_some_and(|v| v < floor) && open(g.forward[i]) {
                Why::ReverseBelowDiode
            } else {
                return None;
            };
            Some((i, why))
        })
        .collect();
    Suspects { cells }
}

/// The median of the lowest set of at least `MIN_REFERENCE` `sorted` readings within `ALIKE`
/// of one another, if there is one.
fn lowest_alike(sorted: &[f64]) -> Option<f64> {
    (0..sorted.len()).find_map(|i| {
        let n = sorted[i..]
            .iter()
            .take_while(|v| **v <= sorted[i] * ALIKE)
            .count();
        (n >= MIN_REFERENCE).then(|| median(&sorted[i..i + n]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::tests::{Bench, EMPTY, layout};

    fn suspects(b: &Bench) -> Vec<(usize, Why)> {
        let (l, prior) = layout(None);
        find(&Grid::new(&b.sweep(), &l), &prior).cells
    }

    #[test]
    fn a_crossing_conducting_one_way_far_below_any_diode_is_set_aside() {
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[2][7] = Some(40.0); // reverse stays open
        b.forward[5][8] = None;
        b.reverse[5][8] = Some(30.0); // an empty crossing conducting backwards only, low
        assert_eq!(
            suspects(&b),
            vec![(27, Why::ForwardBelowDiode), (58, Why::ReverseBelowDiode)]
        );
    }

    #[test]
    fn a_short_reading_low_both_ways_and_a_handset_are_not_suspect() {
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[4][5] = Some(12.0);
        b.backward(4, 5, 12.0);
        assert_eq!(suspects(&b), vec![]);
    }

    #[test]
    fn handsets_outnumbered_by_ghosts_of_leaks_are_not_suspect() {
        // A small entrance: 40 handsets near 700 Ω, and 60 crossings reading the 1.1–1.2 MΩ
        // a low-compliance meter shows on sneak paths through leaks, open in reverse. Their
        // median is a ghost's; the handsets are none of them impossible.
        let mut b = Bench::healthy(1.0, EMPTY);
        for t in 0..10 {
            for u in 0..10 {
                if t * 10 + u >= 40 {
                    b.forward[t][u] = Some(1.1e6 + 1e3 * (t * 10 + u) as f64);
                }
            }
        }
        b.forward[0][3] = Some(40.0); // and one slip of a probe still is
        assert_eq!(suspects(&b), vec![(3, Why::ForwardBelowDiode)]);
    }

    #[test]
    fn a_value_beyond_any_meter_is_set_aside() {
        let mut b = Bench::healthy(1.0, EMPTY);
        b.reverse[3][3] = Some(2e9);
        assert_eq!(suspects(&b), vec![(33, Why::BeyondMeter)]);
    }
}
