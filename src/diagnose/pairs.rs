//! Stage 4, noise from pairs of readings that physics says must agree: a crossing that reads
//! low both ways is a plain resistor there (a short), and a resistor reads the same forward and
//! reverse. Whatever its two readings differ by is the meter's noise: its relative noise, its
//! display step and two probe contacts. Each such pair says, level by level, how likely each
//! noise level is; `noise.rs` adds that to what its groups of lone readings say.
//!
//! Pairs are chosen by the physical bound alone (how low the reading is against the
//! entrance's healthy handsets, on the same meter range), never by whether the two readings
//! agree: choosing agreeing pairs would make the meter look steadier than it is.
//!
//! Takes the `Grid` and the `Calibration`; gives the pairs and their log likelihoods. Pure.

use super::calibrate::Calibration;
use super::evidence::{normal, normal_cdf};
use super::grid::Grid;
use super::noise::CONTACT_SD;

/// A crossing reads as a plain resistor both ways when its reverse reading is under this share
/// of the entrance's healthy forward reading (taken on the same meter range, so at the same
/// test current). The healthy reading is the handset's drop at the test current ÷ that
/// current: at most about 1 V (a 0.56–0.77 V silicon diode at 1 mA plus its series
/// resistance). So the pair's drop is under a sixth of that, ≤ 0.17 V, at least 0.4 V under
/// any diode's drop at the test current; with 40–50 mV per e-fold of a field handset's diode
/// (ideality 1.3–1.8), any diode across the crossing (its own handset's, if the short is in
/// the drop wire, or a sneak path's, which has two or more) carries under e⁻⁸ ≈ 0.03 % of
/// the current: under half the steadiest meter's noise (0.05 %) on one reading, and a few
/// hundredths of it on most. A quarter (up to 0.25 V) would let such a diode carry up to
/// 0.1 % on the forward reading only, a bias as large as a steady meter's noise.
const RESISTOR_SHARE: f64 = 1.0 / 6.0;
/// The chance that a pair's two readings differ by something other than the meter's noise: a
/// probe contact that moved or a terminal screw touched between the two readings. The lone
/// readings' groups allow 5 % (`noise.rs`, `STRAY`); the same here.
const STRAY: f64 = 0.05;
/// A stray difference falls anywhere within this share of the reading either way, plus
/// `STRAY_OHMS`: a contact that moved or a terminal screw touched shifts a low reading by a
/// few per cent or a few ohms.
const STRAY_SHARE: f64 = 0.05;
/// … the fixed part of that window, Ω: two probe contacts of up to 1 Ω each, twice over.
const STRAY_OHMS: f64 = 4.0;
/// Where the Gaussian's spread is over this many display steps, the step's rounding is a
/// small part of the difference's spread and the density times the step stands in for the
/// exact probability of the step the difference shows (their ratio differs from 1 by under
/// (1/1000)²/12).
const FINE_STEPS: f64 = 1000.0;

/// Both readings of one crossing that reads as a plain resistor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Pair {
    /// The crossing.
    pub(super) cell: usize,
    /// Forward reading, Ω.
    forward: f64,
    /// Reverse reading, Ω.
    reverse: f64,
    /// The display step of both (one range), Ω; 0 when the sweep shows none.
    step: f64,
}

/// Every crossing whose two readings physics says must agree: finite both ways, its reverse
/// reading under `RESISTOR_SHARE` of the entrance's measured healthy forward reading, and its
/// readings shown at no finer a step than the healthy handsets' (a finer step is a lower range
/// of a ranged meter, driven at up to ten times the current, where the bound above does not
/// hold). None without a measured healthy reading. How far apart the two readings are plays
/// no part.
pub(super) fn select(g: &Grid, cal: &Calibration) -> Vec<Pair> {
    let Some(typical) = cal.typical else {
        return Vec::new();
    };
    let healthy_step = g.step(typical);
    (0..g.len())
        .filter_map(|i| {
            let (forward, reverse) = (g.fi(i)?, g.ri(i)?);
            if reverse >= RESISTOR_SHARE * typical {
                return None;
            }
            let step = g.step(reverse);
            (step >= healthy_step).then_some(Pair {
                cell: i,
                forward,
                reverse,
                step,
            })
        })
        .collect()
}

/// The log likelihood of a meter of relative noise `rel` for `pairs`: each pair's difference
/// is two readings' noise (relative noise and probe contact, each reading its own) and the
/// display's rounding of both, or a stray (`STRAY`) spread evenly over its window.
pub(super) fn log_likelihood(pairs: &[Pair], rel: f64) -> f64 {
    pairs.iter().map(|p| p.log_likelihood(rel)).sum()
}

impl Pair {
    fn log_likelihood(&self, rel: f64) -> f64 {
        let ohms = 0.5 * (self.forward + self.reverse);
        let diff = self.forward - self.reverse;
        // Two readings, each its relative noise and its own probe contact.
        let sd = (2.0 * ((rel * ohms).powi(2) + CONTACT_SD * CONTACT_SD)).sqrt();
        let window = 2.0 * (STRAY_SHARE * ohms + STRAY_OHMS);
        // The clean term and the stray term in the same unit: a probability of the step the
        // difference shows on a stepped display, a density without one.
        let (clean, stray) = if self.step > 0.0 {
            (rounded_difference(diff, sd, self.step), self.step / window)
        } else {
            (normal(diff / sd) / sd, 1.0 / window)
        };
        ((1.0 - STRAY) * clean + STRAY * stray).ln()
    }
}

/// The probability that two readings of one resistance, each rounded to a display step `h`,
/// differ by `diff` (a whole number of steps) when their unrounded values differ by a normal
/// deviate of standard deviation `sd`. Where the resistance falls within a step is unknown
/// (evenly spread), so the rounding turns an unrounded difference c into diff with chance
/// max(0, 1 − |diff − c| / h): the normal smoothed by that triangle, which is the second
/// difference of the normal's twice-integrated distribution, divided by h.
fn rounded_difference(diff: f64, sd: f64, h: f64) -> f64 {
    if sd > FINE_STEPS * h {
        return normal(diff / sd) / sd * h;
    }
    // E[(x − C)⁺] for C normal with mean 0 and standard deviation sd.
    let ramp = |x: f64| x * normal_cdf(x / sd) + sd * normal(x / sd);
    ((ramp(diff + h) - 2.0 * ramp(diff) + ramp(diff - h)) / h).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(forward: f64, reverse: f64, step: f64) -> Pair {
        Pair {
            cell: 45,
            forward,
            reverse,
            step,
        }
    }

    #[test]
    fn the_rounded_difference_is_a_probability_over_the_steps() {
        // Summed over every whole number of steps, the chances make one, however the spread
        // compares with the step.
        for (sd, h) in [(0.05, 1.0), (0.4, 0.1), (2.0, 0.01), (0.3, 0.3)] {
            let total: f64 = (-2000..=2000)
                .map(|k| rounded_difference(k as f64 * h, sd, h))
                .sum();
            assert!((total - 1.0).abs() < 1e-4, "sd {sd}, step {h}: {total}");
        }
        // A spread far under the step: both readings round alike unless the resistance lies
        // near a step's edge, about sd·√(2/π)·2 / h of the time.
        let same = rounded_difference(0.0, 0.01, 1.0);
        assert!(same > 0.98 && same < 1.0, "{same}");
    }

    #[test]
    fn readings_that_agree_favour_a_steady_meter_and_two_per_cent_apart_a_noisy_one() {
        // A 118 Ω short read to 0.1 Ω: 0.05 % noise is 0.06 Ω a reading, 1.2 % is 1.4 Ω.
        let (steady, noisy) = (0.0005, 0.012);
        let agree = pair(118.0, 118.1, 0.1);
        assert!(agree.log_likelihood(steady) > agree.log_likelihood(noisy) + 1.0);
        let apart = pair(120.4, 118.0, 0.1);
        assert!(apart.log_likelihood(noisy) > apart.log_likelihood(steady) + 1.0);
        // Far apart is a stray whatever the meter: it says next to nothing.
        let stray = pair(128.0, 118.0, 0.1);
        assert!((stray.log_likelihood(noisy) - stray.log_likelihood(steady)).abs() < 0.1);
    }
}
