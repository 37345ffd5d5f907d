//! Stage 0, the readings: one matrix's forward and reverse readings as dense arrays,
//! tens-major, and the display step each reading shows (how finely the meter's range resolved
//! it, read from its digits).
//!
//! Takes a `Sweep` and a `Layout`; gives a `Grid`. Pure.

use crate::model::{Cell, Reading, Sweep};
use crate::profile::Layout;

/// The readings of one matrix as dense arrays, tens-major.
pub(super) struct Grid {
    pub(super) tens: usize,
    pub(super) units: usize,
    /// Forward readings (red on D), None where not measured.
    pub(super) forward: Vec<Option<Reading>>,
    /// Reverse readings (red on E), None where not measured.
    pub(super) reverse: Vec<Option<Reading>>,
    /// The finest display step among readings of about the same size, by reading: a ranged
    /// meter resolves each range to a fixed number of counts.
    steps: Vec<(f64, f64)>,
}

impl Grid {
    /// The crossings' readings of `sweep` on the matrix of `layout`.
    pub(super) fn new(sweep: &Sweep, layout: &Layout) -> Grid {
        let (tens, units) = (layout.tens() as usize, layout.units() as usize);
        let mut forward = Vec::with_capacity(tens * units);
        let mut reverse = Vec::with_capacity(tens * units);
        for t in 0..tens {
            for u in 0..units {
                let c = Cell::new(t as u16, u as u16);
                forward.push(sweep.forward(c));
                reverse.push(sweep.reverse(c));
            }
        }
        let mut g = Grid {
            tens,
            units,
            forward,
            reverse,
            steps: Vec::new(),
        };
        let bus = sweep.bus().iter().filter_map(|m| m.reading.ohms());
        g.steps = display_steps(
            g.forward
                .iter()
                .chain(&g.reverse)
                .filter_map(|r| r.and_then(Reading::ohms))
                .chain(bus),
        );
        g
    }

    /// The same readings with both readings of the crossings `set_aside` taken out, as if not
    /// measured: what the later stages reason on once suspect readings are set aside.
    pub(super) fn without(&self, set_aside: &[usize]) -> Grid {
        let mut forward = self.forward.clone();
        let mut reverse = self.reverse.clone();
        for &i in set_aside {
            forward[i] = None;
            reverse[i] = None;
        }
        Grid {
            tens: self.tens,
            units: self.units,
            forward,
            reverse,
            steps: self.steps.clone(),
        }
    }

    /// The index of crossing (t, u).
    pub(super) fn idx(&self, t: usize, u: usize) -> usize {
        t * self.units + u
    }

    /// The crossing of index `i`.
    pub(super) fn cell(&self, i: usize) -> Cell {
        Cell::new((i / self.units) as u16, (i % self.units) as u16)
    }

    /// Tens and units line of index `i`.
    pub(super) fn tu(&self, i: usize) -> (usize, usize) {
        (i / self.units, i % self.units)
    }

    /// Number of crossings.
    pub(super) fn len(&self) -> usize {
        self.tens * self.units
    }

    /// The finite forward reading of crossing `i`.
    pub(super) fn fi(&self, i: usize) -> Option<f64> {
        self.forward[i].and_then(Reading::ohms)
    }

    /// The finite reverse reading of crossing `i`.
    pub(super) fn ri(&self, i: usize) -> Option<f64> {
        self.reverse[i].and_then(Reading::ohms)
    }

    /// The display step of a reading of `ohms`: the finest step shown by the readings of
    /// this sweep within a factor `SAME_RANGE` of it (one meter range), or the step its own
    /// digits show.
    pub(super) fn step(&self, ohms: f64) -> f64 {
        let own = digits_step(ohms);
        self.steps
            .iter()
            .filter(|(v, _)| *v >= ohms / SAME_RANGE && *v <= ohms * SAME_RANGE)
            .map(|(_, s)| *s)
            .fold(own, f64::min)
    }
}

/// Readings within this factor of one another sit on one meter range: ranges span a decade,
/// so a factor of three keeps most neighbours on the same range.
const SAME_RANGE: f64 = 3.0;

/// Each distinct reading with the step its digits show, sorted by reading.
fn display_steps(values: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    let mut v: Vec<(f64, f64)> = values
        .filter(|v| *v > 0.0)
        .map(|v| (v, digits_step(v)))
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

/// The finest power of ten that `v` is a whole multiple of, from 0.001 Ω (a milliohm meter's
/// last digit) up: 702.3 → 0.1, 702 → 1, 1200 → 100. An upper bound on the meter's step (a
/// reading may end in zeros by chance).
pub(super) fn digits_step(v: f64) -> f64 {
    let mut step = 1e-3;
    while step < 1e9 {
        let next = step * 10.0;
        let k = v / next;
        if (k - k.round()).abs() > 1e-6 * k.abs().max(1.0) {
            return step;
        }
        step = next;
    }
    step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readings_digits_bound_its_display_step() {
        assert_eq!(digits_step(702.3), 0.1);
        assert_eq!(digits_step(702.0), 1.0);
        assert_eq!(digits_step(1200.0), 100.0);
        assert_eq!(digits_step(13.35), 0.01);
    }

    #[test]
    fn the_step_of_a_range_is_the_finest_its_readings_show() {
        let steps = display_steps([702.3, 700.0, 715.1, 14_230.0, 15_000.0].into_iter());
        let g = Grid {
            tens: 0,
            units: 0,
            forward: Vec::new(),
            reverse: Vec::new(),
            steps,
        };
        assert_eq!(g.step(700.0), 0.1, "a round reading on a 0.1 Ω range");
        assert_eq!(
            g.step(15_000.0),
            10.0,
            "a decade up, the meter shows tens of ohms"
        );
    }
}
