//! Priors, likelihoods and the thresholds every decision of the diagnosis is made from.
//!
//! Each explanation of a reading is a hypothesis with a prior (how often that fault is found
//! in an entrance a technician is called to) and a likelihood (how probable the reading is if
//! it holds, from the meter's measured noise). A finding is made only when the posterior
//! reaches `REPORT`; from `DOUBT` up to it the crossing or line goes on the "cannot tell from
//! this sweep" list with what to re-measure. The stated confidence of a finding is that
//! posterior.
//!
//! Pure arithmetic.

/// A fault is reported only at this posterior probability or more: the evidence must beat
/// the prior by enough that at most one finding in ten at the threshold is wrong, and the
/// findings far above it (most of them) are right nearly always.
pub(super) const REPORT: f64 = 0.9;

/// From this probability of a fault up to `REPORT`, the crossing or line is listed as one
/// the sweep cannot settle: a one-in-ten chance is worth a second measurement.
pub(super) const DOUBT: f64 = 0.1;

/// Prior probability that a given flat's handset is shorted (or its drop wire is), that it is
/// wired the wrong way round, that it leaks, or that it has a bad contact, each: entrances a
/// technician is called to hold one or two faulty handsets among 60–100 flats, spread over
/// the four kinds (0.5 % each). A stated guess, not a measurement: the evidence of a clear
/// reading outweighs it by orders of magnitude; only marginal readings feel it.
pub(super) const PRIOR_FAULT_KIND: f64 = 0.005;

/// How often a handset reads open forward for reasons of its own while conducting backwards
/// like a short or a leak (a broken diode behind a leak, a reading lost): rare.
pub(super) const OPEN_BY_CHANCE: f64 = 0.002;

/// Prior probability that a given line is cut between the switch and its flats: one entrance
/// in ten has a broken line among its ~20 lines (0.5 %), doubled because a line whose every
/// flat is silent is what makes a technician look (1 %).
pub(super) const PRIOR_LINE_CUT: f64 = 0.01;

/// A bad contact adds any series resistance from a few hundred ohms to megohms: its forward
/// reading is taken as spread evenly on a log scale from this multiple of the entrance's
/// healthy reading…
pub(super) const BAD_CONTACT_LOW: f64 = 1.3;
/// … up to this multiple (about 1 MΩ at 700 Ω: beyond it the meter shows OL or nearly).
pub(super) const BAD_CONTACT_HIGH: f64 = 1500.0;

/// The density of a reading `x` if it were spread evenly on a log scale from `lo` to `hi`.
pub(super) fn log_uniform(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo || x > hi || lo <= 0.0 || hi <= lo {
        0.0
    } else {
        1.0 / (x * (hi / lo).ln())
    }
}

/// The density of a reading `x` of a value spread evenly on a log scale from `lo` to `hi`,
/// read with noise of standard deviation `sd` (taken as spread evenly over ±√3·sd, the same
/// variance): near and under `lo` the reading still fits what it is a reading of (a bare
/// short of a hundredth of an ohm shows 0.00 Ω on a quiet meter; seeds 300-302, ranged meter
/// alone, such a short was named a reversed handset at 99 %).
pub(super) fn log_uniform_read(x: f64, lo: f64, hi: f64, sd: f64) -> f64 {
    let a = 3f64.sqrt() * sd;
    if a <= 0.0 {
        return log_uniform(x, lo, hi);
    }
    (log_uniform_cdf(x + a, lo, hi) - log_uniform_cdf(x - a, lo, hi)) / (2.0 * a)
}

/// The distribution function of a value spread evenly on a log scale from `lo` to `hi`.
pub(super) fn log_uniform_cdf(x: f64, lo: f64, hi: f64) -> f64 {
    if x <= lo {
        0.0
    } else if x >= hi {
        1.0
    } else {
        (x / lo).ln() / (hi / lo).ln()
    }
}

/// The density of a bad contact's own forward reading `b`, against a healthy reading `typ`.
pub(super) fn bad_contact(b: f64, typ: f64) -> f64 {
    log_uniform(b, BAD_CONTACT_LOW * typ, BAD_CONTACT_HIGH * typ)
}

/// The standard normal density.
pub(super) fn normal(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The density of Student's t with `dof` degrees of freedom at `t`: how a new value falls
/// about the mean of `dof` + 1 others, in units of their sample standard deviation (times
/// √(1 + 1/n)), their spread itself uncertain. Its tails fall as a power of `t`, not as the
/// normal's: a handful of values that happen to agree closely say less than their spread.
/// The constant Γ((ν+1)/2) / Γ(ν/2) is built up two degrees at a time from ν = 1 and 2.
pub(super) fn student_t(t: f64, dof: usize) -> f64 {
    let nu = dof.max(1) as f64;
    let mut ratio = if dof % 2 == 1 {
        1.0 / std::f64::consts::PI.sqrt()
    } else {
        std::f64::consts::PI.sqrt() / 2.0
    };
    let mut v = if dof % 2 == 1 { 1.0 } else { 2.0 };
    while v < nu {
        ratio *= (v + 1.0) / v;
        v += 2.0;
    }
    ratio / (nu * std::f64::consts::PI).sqrt() * (1.0 + t * t / nu).powf(-(nu + 1.0) / 2.0)
}

/// The standard normal distribution function, to 1.2e-7 (the complementary error function's
/// Chebyshev fit, Numerical Recipes §6.2).
pub(super) fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x);
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if z >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// The mean and standard deviation of a quantity known to lie within `lo`–`hi` (a wire's
/// resistance: never negative, and no more than risers hold), measured as `mean` ± `sd` with
/// normal noise: the measurement's normal cut to that range. A measurement under `lo` is the
/// noise; what it leaves possible lies a little above `lo`, not under it. Well inside the
/// range, the measurement as it is; far noisier than the range is wide, spread over it.
pub(super) fn within(mean: f64, sd: f64, lo: f64, hi: f64) -> (f64, f64) {
    if sd <= 0.0 {
        return (mean.clamp(lo, hi), 0.0);
    }
    // The part of the range within `WITHIN_REACH` deviations of the measurement holds all
    // that counts; where none of it does, all it leaves possible is hard against the nearer
    // end: an exponential tail there, of mean and deviation σ²/distance.
    let (from, to) = (
        lo.max(mean - WITHIN_REACH * sd),
        hi.min(mean + WITHIN_REACH * sd),
    );
    if from >= to {
        let (end, inwards) = if mean < lo { (lo, 1.0) } else { (hi, -1.0) };
        let tail = sd * sd / (mean - end).abs();
        return (end + inwards * tail, tail);
    }
    // Simpson's rule over it: the closed forms lose every digit where the range is narrow
    // against the noise or far in its tail.
    let step = (to - from) / WITHIN_STEPS as f64;
    let (mut w, mut first, mut second) = (0.0, 0.0, 0.0);
    for k in 0..=WITHIN_STEPS {
        let x = from + step * k as f64;
        let simpson = match k {
            0 | WITHIN_STEPS => 1.0,
            _ if k % 2 == 1 => 4.0,
            _ => 2.0,
        };
        let d = simpson * (-0.5 * ((x - mean) / sd).powi(2)).exp();
        w += d;
        first += d * x;
        second += d * x * x;
    }
    let m = first / w;
    (m, (second / w - m * m).max(0.0).sqrt())
}

/// `within` integrates over the range up to this many deviations from the measurement: the
/// normal beyond holds under 10⁻¹⁴ of it.
const WITHIN_REACH: f64 = 8.0;
/// Simpson's steps `within` integrates over (even): a step of at most a quarter deviation,
/// where the rule's error on the normal's moments is some 10⁻⁵ of a deviation.
const WITHIN_STEPS: usize = 64;

/// Where a reading is expected: anywhere from `lo` to `hi` (what is not known, such as the
/// wiring a sneak-path sum double counts, or how much current parallel paths draw), blurred by
/// the meter's noise `sigma` (Ω).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Band {
    /// Lowest value the unknowns allow, Ω.
    pub(super) lo: f64,
    /// Highest, Ω.
    pub(super) hi: f64,
    /// Standard deviation of the noise on top, Ω.
    pub(super) sigma: f64,
}

impl Band {
    /// The density of a reading `x`: flat over the band, falling off as the noise does.
    pub(super) fn density(&self, x: f64) -> f64 {
        let s = self.sigma.max(1e-9);
        let width = self.hi - self.lo;
        if width <= s * 1e-3 {
            return normal((x - (self.lo + self.hi) / 2.0) / s) / s;
        }
        (normal_cdf((self.hi - x) / s) - normal_cdf((self.lo - x) / s)).max(0.0) / width
    }

    /// The middle of the band.
    pub(super) fn mid(&self) -> f64 {
        (self.lo + self.hi) / 2.0
    }
}

/// The density of reading `x` where something of its own (with reading density `own`) sits
/// in parallel with sneak paths reading `ghost`: its own reading `b` in parallel with the
/// ghost's `g` pulls the reading to x = g·b / (g + b), under the ghost.
pub(super) fn in_parallel(x: f64, ghost: &Band, own: impl Fn(f64) -> f64) -> f64 {
    pulled(x, ghost, 1.0, own)
}

/// The most of a handset's reading one range up that is its incremental resistance: at a
/// tenth of the current I₁ its reading is (Vd + Rs·I₁)/I₁ and its slope (n·kT/q + Rs·I₁)/I₁,
/// with n·kT/q at most 52 mV, the diode's drop Vd at least 0.45 V and Rs·I₁ at most a tenth
/// of the 2.5 V a handset may need on the first range: (0.052 + 0.25)/(0.45 + 0.25) < 0.5.
const UP_SLOPE_MAX: f64 = 0.5;
/// Points at which `in_parallel_up` weighs the unknown slope share (midpoints of equal parts
/// of 0–`UP_SLOPE_MAX`).
const UP_SLOPE_POINTS: usize = 5;

/// `in_parallel` for a healthy handset the meter read one range up, beside sneak paths: a
/// diode at a tenth of the current, whose reading falls far less under a parallel path than a
/// resistor's would. Its own reading b gives x = b / (1 + κ·b/g), where κ is the share of b
/// that is its slope (dV/dI ÷ V/I): nothing in the sweep says which, so it is averaged over
/// 0–`UP_SLOPE_MAX`.
pub(super) fn in_parallel_up(x: f64, ghost: &Band, own: impl Fn(f64) -> f64) -> f64 {
    let step = UP_SLOPE_MAX / UP_SLOPE_POINTS as f64;
    (0..UP_SLOPE_POINTS)
        .map(|k| pulled(x, ghost, (k as f64 + 0.5) * step, &own))
        .sum::<f64>()
        / UP_SLOPE_POINTS as f64
}

/// The density of reading `x` where something whose slope is a share `kappa` of its own
/// reading b (1 for a resistor) sits in parallel with sneak paths reading `ghost`: linearised
/// about b, x = g·b / (g + κ·b).
fn pulled(x: f64, ghost: &Band, kappa: f64, own: impl Fn(f64) -> f64) -> f64 {
    // The pull is worked out from the band's middle; a reading inside the band (no pull to
    // see) is weighed as if it sat at the band's low end less its noise, and one a little
    // above the band (which nothing in parallel can make) falls off as the noise does. Far
    // above it, that would leave a pull as likely against the ghost however far: weighed by
    // what the ghost itself would have had to read.
    let g = ghost.mid();
    let s = ghost.sigma.max(g * 1e-4);
    if x > ghost.hi + FAR_OVER * s {
        return pulled_from_above(x, ghost, kappa, own);
    }
    let gap = (g - kappa * x).max(s + (ghost.hi - ghost.lo) / 2.0);
    let b = g * x.min(g) / gap;
    let above = if x > ghost.hi {
        (-0.5 * ((x - ghost.hi) / s).powi(2)).exp()
    } else {
        1.0
    };
    // dx/db = g² / (g + κ·b)²  ⇒  p(x) = p(b) · (g + κ·b)² / g².
    own(b) * ((g + kappa * b) / g).powi(2) * above
}

/// A reading more than this many of its band's deviations over the band is weighed for a
/// pull by what the ghost would have had to read (`pulled_from_above`): noise alone puts one
/// ghost in 30 000 there, so the integral, dear beside the rest of a weighing, is seldom
/// needed (taken for every reading over its band, it doubled the mean diagnosis).
const FAR_OVER: f64 = 4.0;

/// `pulled` for a reading far over the band, which nothing in parallel makes by itself: the ghost
/// read `x` or more by the noise, and what sits in parallel pulled it down to `x`, by the
/// less the further up the ghost would have to be. Integrated over the ghost's reading G (its
/// band's density), its own reading then b = G·x / (G − κ·x) and ∂b/∂x = G² / (G − κ·x)²,
/// on a log scale of G − κ·x (where the small pulls of very high own readings lie) from a
/// millionth of the reading to `ABOVE_REACH` of the band's deviations over it. Taken at the
/// band's middle as inside it, a reading 31 deviations over the band of three paths was a bad
/// contact's at 90 %, the empty crossing's density falling as fast (seeds 318-320).
fn pulled_from_above(x: f64, ghost: &Band, kappa: f64, own: impl Fn(f64) -> f64) -> f64 {
    let s = ghost.sigma.max(ghost.mid() * 1e-4);
    let (near, far) = (x * 1e-6, ghost.hi + ABOVE_REACH * s - kappa * x);
    if far <= near {
        return 0.0;
    }
    let step = (far / near).ln() / ABOVE_STEPS as f64;
    let at = |k: usize| {
        let d = near * (step * k as f64).exp();
        let g = kappa * x + d;
        // dG = d · du on the log scale.
        ghost.density(g) * own(g * x / d) * g * g / d
    };
    let inner: f64 = (1..ABOVE_STEPS).map(at).sum();
    step * (inner + (at(0) + at(ABOVE_STEPS)) / 2.0)
}

/// `pulled_from_above` integrates the ghost's reading up to this many of its band's
/// deviations over the band: the normal beyond holds under 10⁻⁸ of it.
const ABOVE_REACH: f64 = 6.0;
/// Steps of `pulled_from_above`'s integral (trapezoids on the log scale): over the four to
/// seven decades it spans, two to four a decade. On that scale its integrand is a plateau
/// ending at a contact's highest reading, then the band's tail; steps this coarse follow it
/// to some tens of per cent, enough where the pull must weigh several times under the ghost
/// (64 steps cost 0.75 ms more on a 260-flat riser of seeds 318-320).
const ABOVE_STEPS: usize = 16;

/// Posterior probabilities of competing hypotheses from (prior, likelihood) pairs; all zero
/// likelihoods give the priors back.
pub(super) fn posterior<const N: usize>(weights: [(f64, f64); N]) -> [f64; N] {
    let total: f64 = weights.iter().map(|(p, l)| p * l).sum();
    let prior: f64 = weights.iter().map(|(p, _)| p).sum();
    let mut out = [0.0; N];
    for (o, (p, l)) in out.iter_mut().zip(weights) {
        *o = if total > 0.0 && total.is_finite() {
            p * l / total
        } else {
            p / prior.max(1e-300)
        };
    }
    out
}

/// How many of the flats that were measured show no handset, and what that says about a
/// flat being empty: a uniform prior on the share, updated by the count (Beta(1 + empty,
/// 1 + measured − empty)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Vacancy {
    /// Measured flats with no sign of a handset.
    pub(super) empty: usize,
    /// Measured flats.
    pub(super) measured: usize,
}

impl Vacancy {
    /// The probability that a flat has no handset.
    pub(super) fn chance(&self) -> f64 {
        (self.empty as f64 + 1.0) / (self.measured as f64 + 2.0)
    }

    /// The probability that `n` given flats all have no handset, the share itself uncertain:
    /// E[v^n] under the Beta posterior.
    pub(super) fn all_empty(&self, n: usize) -> f64 {
        let (a, b) = (
            self.empty as f64 + 1.0,
            (self.measured - self.empty) as f64 + 1.0,
        );
        (0..n)
            .map(|i| (a + i as f64) / (a + b + i as f64))
            .product()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_under_a_log_scales_floor_fits_it_as_far_as_its_noise_reaches() {
        // A bare short shows 0.00 Ω: outside 0.05-300 Ω as read exactly, inside it as read
        // with 0.3 Ω of noise.
        assert_eq!(log_uniform(0.0, 0.05, 300.0), 0.0);
        assert!(log_uniform_read(0.0, 0.05, 300.0, 0.3) > 0.1);
        // Far from the floor the noise changes next to nothing.
        let (exact, read) = (
            log_uniform(20.0, 0.05, 300.0),
            log_uniform_read(20.0, 0.05, 300.0, 0.3),
        );
        assert!((read / exact - 1.0).abs() < 1e-3, "{exact} {read}");
        // No noise: the exact density.
        assert_eq!(log_uniform_read(20.0, 0.05, 300.0, 0.0), exact);
    }

    #[test]
    fn a_quantity_known_to_lie_in_a_range_measured_outside_it_lies_just_inside() {
        // Well inside: the measurement as it is.
        let (m, s) = within(26.0, 1.2, 0.0, 50.0);
        assert!((m - 26.0).abs() < 1e-4 && (s - 1.2).abs() < 1e-4, "{m} {s}");
        // At an end: half a normal, mean σ·√(2/π) in from it, deviation σ·√(1 − 2/π).
        let (m, s) = within(0.0, 1.5, 0.0, 50.0);
        assert!(
            (m - 1.5 * (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-4,
            "{m}"
        );
        assert!(
            (s - 1.5 * (1.0 - 2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-4,
            "{s}"
        );
        let (m, _) = within(50.0, 1.5, 0.0, 50.0);
        assert!(
            (m - (50.0 - 1.5 * (2.0 / std::f64::consts::PI).sqrt())).abs() < 1e-4,
            "{m}"
        );
        // Under it: above it, nearer it and surer the further under.
        let (m, s) = within(-1.65, 1.5, 0.0, 50.0);
        assert!(m > 0.6 && m < 0.9 && s < 0.7, "{m} {s}");
        let (far, far_sd) = within(-60.0, 1.0, 0.0, 50.0);
        assert!(far > 0.0 && far < 0.02 && far_sd < 0.02, "{far} {far_sd}");
        let (far, _) = within(110.0, 1.0, 0.0, 50.0);
        assert!(far < 50.0 && far > 49.98, "{far}");
        // Far noisier than the range is wide: spread evenly over it.
        let (m, s) = within(10.0, 1e4, 0.0, 50.0);
        assert!(
            (m - 25.0).abs() < 0.1 && (s - 50.0 / 12f64.sqrt()).abs() < 0.1,
            "{m} {s}"
        );
        // No noise: cut to the range.
        assert_eq!(within(-2.0, 0.0, 0.0, 50.0), (0.0, 0.0));
    }

    #[test]
    fn a_reading_over_a_ghosts_band_is_the_less_a_pulled_ghosts_the_further_over() {
        // Two paths in parallel read 1000-1700 Ω as their make-ups allow, ±22 Ω of noise.
        let band = Band {
            lo: 1000.0,
            hi: 1700.0,
            sigma: 22.0,
        };
        let ratio = |x: f64| in_parallel(x, &band, |b| bad_contact(b, 754.0)) / band.density(x);
        // Far over the band, a bad contact's pull makes the reading less likely than the
        // ghost alone does, and the less the further over (none past six deviations).
        let (over, far) = (ratio(1792.0), ratio(1820.0));
        assert!(over < 0.5 && far < over, "{over} {far}");
        assert_eq!(ratio(1900.0), 0.0);
    }

    #[test]
    fn the_normal_distribution_function_is_right_to_the_seventh_digit() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975_002_1).abs() < 2e-7);
        assert!((normal_cdf(-3.0) - 0.001_349_9).abs() < 2e-7);
    }

    #[test]
    fn students_t_is_a_density_with_tails_heavier_than_the_normal() {
        // One degree of freedom is Cauchy's: 1/π at 0; many approach the normal.
        assert!((student_t(0.0, 1) - 1.0 / std::f64::consts::PI).abs() < 1e-12);
        assert!((student_t(1.5, 400) - normal(1.5)).abs() < 1e-3);
        for dof in [2, 3, 4, 7, 12] {
            let area: f64 = (-40_000..40_000)
                .map(|i| student_t((i as f64 + 0.5) * 0.01, dof) * 0.01)
                .sum();
            assert!((area - 1.0).abs() < 2e-3, "{dof}: {area}");
            assert!(student_t(6.0, dof) > normal(6.0));
        }
        // Three degrees: Γ(2) / (√(3π) Γ(3/2)) = 2 / (π√3) at 0.
        assert!((student_t(0.0, 3) - 2.0 / (std::f64::consts::PI * 3f64.sqrt())).abs() < 1e-12);
    }

    #[test]
    fn a_band_is_flat_inside_and_falls_off_with_the_noise_outside() {
        let b = Band {
            lo: 1000.0,
            hi: 1040.0,
            sigma: 5.0,
        };
        assert!((b.density(1020.0) - 1.0 / 40.0).abs() < 1e-4);
        assert!(b.density(985.0) < b.density(1000.0) / 50.0);
    }

    #[test]
    fn three_empty_flats_of_an_entrance_with_empty_flats_are_no_rare_chance() {
        // 12 of 60 flats empty: three given flats all empty about 1 in 90, likelier than
        // the 1 in 125 of the share taken as known.
        let v = Vacancy {
            empty: 12,
            measured: 60,
        };
        let p = v.all_empty(3);
        assert!(p > 1.0 / 100.0 && p < 1.0 / 80.0, "{p}");
        let cut = PRIOR_LINE_CUT / (PRIOR_LINE_CUT + (1.0 - PRIOR_LINE_CUT) * p);
        assert!(
            cut < REPORT,
            "a cut line is not named on three silent flats: {cut}"
        );
    }

    #[test]
    fn a_diode_one_range_up_falls_under_a_parallel_path_far_less_than_a_resistor() {
        // A 20 kΩ sneak path beside a crossing reading 6126 Ω. A resistor there would be
        // 8.8 kΩ of its own; a handset read one range up, a diode at a tenth of the current,
        // is pulled only by its slope, 6.2-7.2 kΩ of its own. Own readings spread evenly over
        // 3-7 kΩ (what such a handset reads) leave the resistor nothing and the diode most.
        let path = Band {
            lo: 19_950.0,
            hi: 20_050.0,
            sigma: 20.0,
        };
        let own = |b: f64| {
            if (3000.0..7000.0).contains(&b) {
                1.0 / 4000.0
            } else {
                0.0
            }
        };
        assert_eq!(in_parallel(6126.0, &path, own), 0.0);
        let up = in_parallel_up(6126.0, &path, own);
        assert!(up > 0.6 / 4000.0 && up < 1.2 / 4000.0, "{up}");
        // With no path to speak of, both read their own.
        let far = Band {
            lo: 1e9,
            hi: 1e9,
            sigma: 1e5,
        };
        let (r, d) = (
            in_parallel(5000.0, &far, own),
            in_parallel_up(5000.0, &far, own),
        );
        assert!((r - d).abs() < 1e-3 / 4000.0, "{r} {d}");
    }

    #[test]
    fn posteriors_sum_to_one() {
        let p = posterior([(0.2, 1.0), (0.01, 30.0), (0.79, 0.0)]);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p[1] > p[0]);
    }
}
