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
    /// The display step each distinct reading's digits show, sorted by reading, with a table
    /// of the finest step over any run of them: a ranged meter resolves each range to a fixed
    /// number of counts.
    steps: Steps,
    /// No finite reading is negative (a sweep file's never is): a sneak path only grows dearer
    /// as it goes on.
    pub(super) nonnegative: bool,
    /// By line, tens lines first: its cheapest finite reading, either way, of any crossing on
    /// it (infinite where none conducts), and half that reading's display step. Every such
    /// reading holds that line's wire. Worked out once: every path's element hops ask it.
    cheapest: Vec<(f64, f64)>,
    /// By crossing: half the display step of its reverse reading (0 where it has none), the
    /// rounding an E→D element's reading carries (asked as often).
    reverse_half_steps: Vec<f64>,
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
        let nonnegative = forward
            .iter()
            .chain(&reverse)
            .filter_map(|r| r.and_then(Reading::ohms))
            .all(|v| v >= 0.0);
        let mut g = Grid {
            tens,
            units,
            forward,
            reverse,
            steps: Steps::default(),
            nonnegative,
            cheapest: Vec::new(),
            reverse_half_steps: Vec::new(),
        };
        let bus = sweep.bus().iter().filter_map(|m| m.reading.ohms());
        g.steps = Steps::new(
            g.forward
                .iter()
                .chain(&g.reverse)
                .filter_map(|r| r.and_then(Reading::ohms))
                .chain(bus),
        );
        g.work_out_by_line_and_crossing();
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
        let mut g = Grid {
            tens: self.tens,
            units: self.units,
            forward,
            reverse,
            steps: self.steps.clone(),
            nonnegative: self.nonnegative,
            cheapest: Vec::new(),
            reverse_half_steps: Vec::new(),
        };
        g.work_out_by_line_and_crossing();
        g
    }

    /// Fills in what is asked of each line and crossing again and again (`cheapest`,
    /// `reverse_half_steps`), once the readings and their steps are in.
    fn work_out_by_line_and_crossing(&mut self) {
        self.cheapest = (self.cheapest_by_line().into_iter())
            .map(|v| {
                (
                    v,
                    if v.is_finite() {
                        self.step(v) / 2.0
                    } else {
                        0.0
                    },
                )
            })
            .collect();
        self.reverse_half_steps = (0..self.len())
            .map(|i| self.ri(i).map_or(0.0, |r| self.step(r) / 2.0))
            .collect();
    }

    /// Each line's cheapest finite reading, tens lines first.
    fn cheapest_by_line(&self) -> Vec<f64> {
        let mut cheapest = vec![f64::INFINITY; self.tens + self.units];
        for i in 0..self.len() {
            let (t, u) = self.tu(i);
            for v in [self.fi(i), self.ri(i)].into_iter().flatten() {
                cheapest[t] = cheapest[t].min(v);
                cheapest[self.tens + u] = cheapest[self.tens + u].min(v);
            }
        }
        cheapest
    }

    /// The cheapest finite reading of any crossing on tens line `t` (`tens` true) or units
    /// line `t`, either way, and half its display step: it holds that line's wire, which can
    /// be no dearer (give or take the noise and the display step). Infinite where no crossing
    /// of it conducts.
    pub(super) fn cheapest_on(&self, tens: bool, line: usize) -> (f64, f64) {
        let k = if tens { line } else { self.tens + line };
        self.cheapest
            .get(k)
            .copied()
            .unwrap_or((f64::INFINITY, 0.0))
    }

    /// Half the display step of a reading `ohms` that is crossing `i`'s reverse reading (as
    /// `step` gives it, without the lookup); any other reading is looked up.
    pub(super) fn reverse_half_step(&self, i: usize, ohms: f64) -> f64 {
        match (self.ri(i), self.reverse_half_steps.get(i)) {
            (Some(r), Some(&half)) if r == ohms => half,
            _ => self.step(ohms) / 2.0,
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

    /// The display step of a reading of about `ohms`: the finest step shown by the readings
    /// of this sweep within a factor `SAME_RANGE` of it (one meter range); 0 when none is.
    pub(super) fn step(&self, ohms: f64) -> f64 {
        self.steps
            .finest(ohms / SAME_RANGE, ohms * SAME_RANGE)
            .unwrap_or(0.0)
    }
}

/// Readings within this factor of one another sit on one meter range: ranges span a decade,
/// so a factor of three keeps most neighbours on the same range.
const SAME_RANGE: f64 = 3.0;

/// Each distinct reading with the step its digits show, sorted by reading, and a sparse table
/// of range minima over the steps (so the finest step within any band of readings is one
/// lookup: the diagnosis asks it for every reading it weighs).
#[derive(Debug, Clone, Default)]
struct Steps {
    values: Vec<f64>,
    /// `min[k][i]`: the finest step among readings i … i + 2^k − 1.
    min: Vec<Vec<f64>>,
}

impl Steps {
    fn new(values: impl Iterator<Item = f64>) -> Steps {
        let mut v: Vec<f64> = values.filter(|v| *v > 0.0).collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        let mut min = vec![v.iter().map(|x| digits_step(*x)).collect::<Vec<f64>>()];
        let mut width = 1;
        while width * 2 <= v.len() {
            let prev = &min[min.len() - 1];
            let next: Vec<f64> = (0..=v.len() - width * 2)
                .map(|i| prev[i].min(prev[i + width]))
                .collect();
            min.push(next);
            width *= 2;
        }
        Steps { values: v, min }
    }

    /// The finest step among readings from `lo` to `hi`, if any lies there.
    fn finest(&self, lo: f64, hi: f64) -> Option<f64> {
        let a = self.values.partition_point(|v| *v < lo);
        let b = self.values.partition_point(|v| *v <= hi);
        if a >= b {
            return None;
        }
        let k = (usize::BITS - 1 - (b - a).leading_zeros()) as usize;
        Some(self.min[k][a].min(self.min[k][b - (1 << k)]))
    }
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
        let steps = Steps::new([702.3, 700.0, 715.1, 14_230.0, 15_000.0].into_iter());
        let g = Grid {
            tens: 0,
            units: 0,
            forward: Vec::new(),
            reverse: Vec::new(),
            steps,
            nonnegative: true,
            cheapest: Vec::new(),
            reverse_half_steps: Vec::new(),
        };
        assert_eq!(g.step(700.0), 0.1, "a round reading on a 0.1 Ω range");
        assert_eq!(
            g.step(15_000.0),
            10.0,
            "a decade up, the meter shows tens of ohms"
        );
    }
}
