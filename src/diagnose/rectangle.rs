//! Part of stage 8, verdicts: two lines joined at two crossings of each of two other lines,
//! the four crossings at the corners of a rectangle all reading low both ways. Three shorts
//! at three corners join all four lines, and the fourth corner reads the path through them:
//! a twin. Which corner that is decides where the two lines are joined by a short at both
//! crossings; it is not always the pair that reads alike (seeds 276-278: shorts at D0/E1,
//! D1/E1 and D0/E4, and D1/E4 reads 11.5 Ω beside D0/E4's 11.3 Ω, so the join was named at
//! E4, where one of the two is no short). Weighs each corner as the twin, and all four as
//! shorts, by how likely each makes the four readings, with every line's wire and every
//! short's resistance unknown and integrated over their stated priors (as `joined` weighs
//! one pair of crossings).
//!
//! Takes the four corners' reverse readings, the readings between the two lines of each
//! pair where taken, the `Grid` (display steps), the `Noise` and the entrance's healthy
//! reading; gives the probability that the join is where it is named. Pure arithmetic.
//!
//! The readings, with lines R₀, R₁ (the pair) and C₀, C₁ (the other kind), corner (i, j) on
//! Rᵢ and Cⱼ, `w` a line's wire seen by one reading: three shorts with the twin at (i, j)
//! and the middle short at the opposite corner (1−i, 1−j) read
//! `r(1−i, 1−j) = w(R₁₋ᵢ) + w(C₁₋ⱼ) + s_m`, `r(1−i, j) = w(R₁₋ᵢ) + w(Cⱼ) + s₁`,
//! `r(i, 1−j) = w(Rᵢ) + w(C₁₋ⱼ) + s₂`, and the twin the path through all three:
//! `r(i, j) = w(Rᵢ) + w(Cⱼ) + s_m + s₁ + s₂`, the sum of the other three less twice the middle
//! short's two lines' wire. Where there is no wire (lab physics) the twin reads the exact
//! sum; with wire, both diagonals may fit. The pairs of lines, where measured, read the path
//! through the middle short and an end one: `R₀–R₁ = r(i, 1−j) + r(1−i, 1−j) − 2·w(C₁₋ⱼ)`,
//! `C₀–C₁ = r(1−i, j) + r(1−i, 1−j) − 2·w(R₁₋ᵢ)`. Each pins one of the middle's two wires,
//! which no line holds beyond `WIRE_SEEN_MAX` (seeds 294-296: the other diagonal needed 14 Ω
//! of E5's wire to read D0–D3's 10.9 Ω). Four shorts close a loop, and each pair then reads
//! its two paths in parallel: anything up to the dearer corners' sum less, weighed as spread
//! evenly up to the cheaper path's sum.

use super::evidence::{PRIOR_FAULT_KIND, log_uniform_cdf, normal_cdf};
use super::grid::Grid;
use super::joined::{SHORT_LOW, WIRE_SEEN_MAX, short_under};
use super::network::SHORT_MAX;
use super::noise::Noise;

/// Steps of the numerical integral over each line's unknown wire (0 to `WIRE_SEEN_MAX`): a
/// quarter of an ohm each. Every density is averaged over its step rather than sampled, so
/// a short's sharp rise near a bare fraction of an ohm and a quiet meter's narrow bell are
/// both weighed whole; four shorts need a sum over three wires at once (`STEPS`³ terms).
const STEPS: usize = 52;

/// The four corners' reverse readings, `[line of the pair][side]`: side 0 is where the join
/// is named, side 1 the other line both of the pair's lines cross low both ways.
pub(super) type Corners = [[f64; 2]; 2];

/// The probability that the pair of lines is joined by shorts at both crossings of side 0
/// (both are shorts), rather than at side 1's with one of side 0's the twin of the three.
/// Three shorts with the twin on side 1, and four shorts (a fourth fault: `PRIOR_FAULT_KIND`
/// more), put the join at side 0; three with the twin on side 0 do not. `pairs`: the readings
/// between the pair's two lines and between the two sides' lines, where taken. 1 where no
/// explanation fits at all: nothing then speaks against the join as named.
pub(super) fn join_at_first_side(
    r: Corners,
    pairs: [Option<f64>; 2],
    g: &Grid,
    noise: &Noise,
    typ: f64,
) -> f64 {
    let short = ShortDensity::new(SHORT_MAX * typ);
    let var = |x: f64| noise.var(g, x);
    let sd = (r.iter().flatten()).map(|&x| var(x)).sum::<f64>().sqrt();
    let pairs = pairs.map(|p| p.map(|p| (p, var(p))));
    let twin = |i: usize, j: usize| twin_at(r, (i, j), (sd, pairs, &var), &short);
    let (on_first, on_second) = (twin(0, 0) + twin(1, 0), twin(0, 1) + twin(1, 1));
    // No twin on side 0 fits: both its crossings are shorts whatever else holds.
    if on_first <= 0.0 {
        return 1.0;
    }
    let four = PRIOR_FAULT_KIND * four_shorts(r, &short) * four_shorts_pairs(r, pairs);
    let total = on_first + on_second + four;
    if !(total > 0.0 && total.is_finite()) {
        return 1.0;
    }
    (on_second + four) / total
}

/// A wire step's width and midpoint.
fn step() -> f64 {
    WIRE_SEEN_MAX / STEPS as f64
}

/// A short's resistance spread evenly on a log scale from `SHORT_LOW` up to `max`, its
/// density averaged over a span of wire (one step, or two for two lines' wire at once).
struct ShortDensity {
    max: f64,
}

impl ShortDensity {
    fn new(max: f64) -> ShortDensity {
        ShortDensity { max }
    }

    /// The mean density of a short reading `x` less a wire spread evenly over `±width/2`.
    fn mean(&self, x: f64, width: f64) -> f64 {
        let cdf = |v: f64| log_uniform_cdf(v, SHORT_LOW, self.max);
        (cdf(x + width / 2.0) - cdf(x - width / 2.0)) / width
    }
}

/// A pair reading and its variance, where taken: `[the pair's two lines, the two sides' lines]`.
type Pairs = [Option<(f64, f64)>; 2];

/// The likelihood of the four readings with the twin at `corner` and shorts at the other
/// three: the middle short's two lines' wire (each on the step grid) and the two end shorts'
/// other wire (integrated whole, `short_under`) unknown; the twin reads the sum of the other
/// three less twice the middle's two wires, give or take the four readings' noise (`sd`), and
/// each pair of lines taken reads the middle and an end short less twice one middle wire.
fn twin_at(
    r: Corners,
    (i, j): (usize, usize),
    (sd, pairs, var): (f64, Pairs, &dyn Fn(f64) -> f64),
    short: &ShortDensity,
) -> f64 {
    let h = step();
    let (middle, end_row, end_col, twin) = (r[1 - i][1 - j], r[1 - i][j], r[i][1 - j], r[i][j]);
    let sum = middle + end_row + end_col;
    let wire = |k: usize| (k as f64 + 0.5) * h;
    // A pair through the middle short and the end one `end`, less twice the middle's wire `w`
    // on the line it does not cross (averaged over the wire's step).
    let pair = |taken: Option<(f64, f64)>, end: f64, w: f64| {
        taken.map_or(1.0, |(p, v)| {
            let sd = (v + var(end) + var(middle)).sqrt();
            let expected = end + middle - 2.0 * w;
            (normal_cdf((p - expected + h) / sd) - normal_cdf((p - expected - h) / sd)) / (2.0 * h)
        })
    };
    // The end shorts, each under one of the middle's lines' wire and its own other line's;
    // the two sides' lines read through the row end and the middle, less the middle's row
    // line's wire twice, and the pair's through the column end, less its column line's.
    let rows: Vec<f64> = (0..STEPS)
        .map(|k| short_under(end_row, wire(k), short.max) * pair(pairs[1], end_row, wire(k)))
        .collect();
    let cols: Vec<f64> = (0..STEPS)
        .map(|k| short_under(end_col, wire(k), short.max) * pair(pairs[0], end_col, wire(k)))
        .collect();
    // The middle short and the twin depend on the two middle wires' sum only: step n holds
    // sums from n·h to (n + 2)·h, taken as centred on (n + 1)·h, one step wide either way.
    let joint: Vec<f64> = (0..2 * STEPS - 1)
        .map(|n| {
            let u = (n as f64 + 1.0) * h;
            let expected = sum - 2.0 * u;
            let twin_density = (normal_cdf((twin - expected + h) / sd)
                - normal_cdf((twin - expected - h) / sd))
                / (2.0 * h);
            short.mean(middle - u, h) * twin_density
        })
        .collect();
    let total: f64 = (0..STEPS)
        .flat_map(|a| (0..STEPS).map(move |b| (a, b)))
        .map(|(a, b)| rows[a] * cols[b] * joint[a + b])
        .sum();
    total / (STEPS * STEPS) as f64
}

/// The likelihood of the pair readings taken under four shorts: each pair reads its two
/// paths (through each side's two shorts) in parallel, so anything from nothing up to the
/// cheaper path's corners' sum; taken as spread evenly over that, its edge softened by the
/// reading's noise.
fn four_shorts_pairs(r: Corners, pairs: Pairs) -> f64 {
    // The pair's two lines join through either side; the sides' lines through either line.
    let reach = [
        (r[0][0] + r[1][0]).min(r[0][1] + r[1][1]),
        (r[0][0] + r[0][1]).min(r[1][0] + r[1][1]),
    ];
    (pairs.iter().zip(reach))
        .map(|(taken, top)| {
            taken.map_or(1.0, |(p, v)| {
                let sd = v.sqrt();
                (normal_cdf((top - p) / sd) - normal_cdf(-p / sd)) / top
            })
        })
        .product()
}

/// The likelihood of the four readings as four shorts, each under its two lines' wire, every
/// wire on the step grid: `Σ a₀₀[R₀+C₀]·a₁₀[R₁+C₀]·a₀₁[R₀+C₁]·a₁₁[R₁+C₁]` over the four
/// wires, summed over C₀ and C₁ first for each R₀, R₁. The loop the four shorts close takes
/// at most a quarter off each one's own reading, immaterial on the log scale shorts spread
/// over.
fn four_shorts(r: Corners, short: &ShortDensity) -> f64 {
    let h = step();
    let along = |x: f64| -> Vec<f64> {
        (0..2 * STEPS - 1)
            .map(|n| short.mean(x - (n as f64 + 1.0) * h, h))
            .collect()
    };
    let a = r.map(|row| row.map(along));
    let side = |j: usize, r0: usize, r1: usize| -> f64 {
        (0..STEPS).map(|c| a[0][j][r0 + c] * a[1][j][r1 + c]).sum()
    };
    let mut total = 0.0;
    for r0 in 0..STEPS {
        for r1 in 0..STEPS {
            total += side(0, r0, r1) * side(1, r0, r1);
        }
    }
    total / (STEPS as f64).powi(4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::tests::{Bench, EMPTY, layout};

    /// The probability of the join at side 0 with the prior noise, display steps from a
    /// hand-built grid of healthy handsets, and handsets reading 750 Ω; no pair taken.
    fn chance(r: Corners) -> f64 {
        with_pairs(r, [None, None])
    }

    /// The same, with the pairs' readings.
    fn with_pairs(r: Corners, pairs: [Option<f64>; 2]) -> f64 {
        let (l, _) = layout(None);
        let g = Grid::new(&Bench::healthy(1.0, EMPTY).sweep(), &l);
        join_at_first_side(r, pairs, &g, &Noise::prior(), 750.0)
    }

    #[test]
    fn a_corner_reading_the_other_three_exact_sum_is_the_twin() {
        // Seeds 36-40, lab physics: shorts at D3/E5 (7.4 Ω), D4/E5 (2.4 Ω) and D3/E7
        // (3.1 Ω); D4/E7 reads their sum, 12.9 Ω. Joined at E5 (side 0): both shorts there.
        let at_e5 = [[7.4, 3.1], [2.4, 12.9]];
        assert!(chance(at_e5) >= 0.9, "{}", chance(at_e5));
        // Named at E7 instead, the join would hold the twin.
        let at_e7 = [[3.1, 7.4], [12.9, 2.4]];
        assert!(chance(at_e7) < 0.1, "{}", chance(at_e7));
    }

    #[test]
    fn a_rectangle_that_fits_a_twin_on_either_side_leaves_the_join_unplaced() {
        // Seeds 276-278, every effect: shorts at D0/E1 (22.3 Ω), D1/E1 (17.7 Ω) and D0/E4
        // (11.3 Ω); D1/E4 reads 11.5 Ω. The twin at D1/E4 needs 19.9 Ω of D0's and E1's wire;
        // at D0/E1 it would need 9.1 Ω of D1's and E4's. Both fit: the join may be at E1 or
        // at E4.
        let at_e4 = [[11.3, 22.3], [11.5, 17.7]];
        let c = chance(at_e4);
        assert!(c > 0.1 && c < 0.9, "{c}");
        // D0-D1 read 16.2 Ω and E1-E4 17.7 Ω: E1's wire 11.9 Ω and D0's 8.0 Ω one way,
        // E4's 3.3 Ω and D1's 5.8 Ω the other. Both within what a line holds.
        let c = with_pairs(at_e4, [Some(16.2), Some(17.7)]);
        assert!(c > 0.1 && c < 0.9, "{c}");
    }

    #[test]
    fn a_pair_reading_that_needs_more_wire_than_a_line_holds_places_the_join() {
        // Seeds 294-296, every effect: shorts at 233 (D0/E2, 13.2 Ω), 257 (D3/E2, 14.4 Ω) and
        // 236 (D0/E5, 17.8 Ω); 260 (D3/E5) reads 21.0 Ω. The twin may be 260 or 233 as far as
        // the four say; D0-D3 reads 10.9 Ω and E2-E5 23.5 Ω. With the twin at 233 (middle
        // 260), D0-D3 would read 236's and 260's 38.8 Ω less twice E5's wire: 14 Ω of it,
        // more than any line holds. D0 and D3 are joined at E2.
        let at_e2 = [[13.2, 17.8], [14.4, 21.0]];
        let c = chance(at_e2);
        assert!(c > 0.1 && c < 0.9, "{c}");
        let c = with_pairs(at_e2, [Some(10.9), Some(23.5)]);
        assert!(c >= 0.9, "{c}");
    }

    #[test]
    fn four_shorts_that_no_twin_fits_keep_the_join_where_named() {
        // Four shorts of 3, 5, 40 and 90 Ω: no corner reads near the sum of the other three
        // less a few wires, so no twin; the join is at both sides.
        let c = chance([[3.0, 40.0], [5.0, 90.0]]);
        assert!(c >= 0.9, "{c}");
    }
}
