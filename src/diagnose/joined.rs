//! Two crossings of one line that both read low both ways, their other lines joined through
//! them: two shorts, or one short and its twin through those two lines touching. Weighs the
//! two explanations by how likely each makes the readings involved — the two crossings and,
//! where it was measured, the pair of lines joined — with the wire of every line and each
//! short's and the touch's own resistance unknown and integrated over their stated priors.
//!
//! Takes the two crossings' readings, the pair's reading if any, the `Grid` (display steps),
//! the `Noise` and the entrance's healthy reading; gives the probability that the lines touch.
//! Pure arithmetic.
//!
//! The readings, with `w` a line's wire from its terminal to the flats (riser) end, probe
//! contact included:
//! - two shorts `s₁` (crossing reading `r₁`) and `s₂` (`r₂`) on the shared line S:
//!   `r₁ = w₁ + s₁ + w_S`, `r₂ = w₂ + s₂ + w_S`, and the pair `p = w₁ + s₁ + s₂ + w₂ =
//!   r₁ + r₂ − 2·w_S` (the shared line's wire, in both crossing readings, is not in the pair);
//! - one short `s` (reading `r_s`, its line's wire `w_s`) and its twin (`r_t`, `w_t`) through
//!   the two lines touching through `t` where they run together, in the riser past their wire
//!   from the switch: `r_s = w_s + s + w_S`, `r_t = w_t + t + s + w_S`, so `r_t − r_s = t +
//!   w_t − w_s`, and the pair `p = w_s + t + w_t = (r_t − r_s) + 2·w_s`.
//!
//! Where both explanations fit, the unknowns spread the two likelihoods alike and the priors
//! decide (under `REPORT`); what tells them apart is a twin that would need a touch far beyond
//! bare copper (`TOUCH_MAX`), or a pair reading only one of the two sums allows.

use super::bus::{PRIOR_TOUCHING, TOUCH_LOW, TOUCH_MAX};
use super::evidence::{PRIOR_FAULT_KIND, log_uniform_cdf, normal, posterior};
use super::grid::Grid;
use super::network::SHORT_MAX;
use super::noise::{CONTACT_MAX, LINE_WIRE_MAX, Noise};
use super::suspect::BEYOND_ANY_METER;

/// A short reads anything from a bare short's fraction of an ohm (as `elements` takes an
/// element conducting E→D)…
pub(super) const SHORT_LOW: f64 = 0.05;
/// Touching wires behind a twin that reads low both ways are a bare resistance (a handset
/// wired across the two lines would put its diode in the twin's path, open one way). Most are
/// copper on copper, spread evenly on a log scale from `TOUCH_LOW` to `TOUCH_MAX` (as `bus`
/// takes them); this share are a damp or corroded joint instead (in a floor box, on the
/// panel's body), reading anywhere from `TOUCH_LOW` up to a leak's megohms: a stated guess of
/// one in four. It alone bounds how surely two shorts are named where the twin would need far
/// more than `TOUCH_MAX` of touching wire; one in four rather than one in ten keeps that
/// bound loose (two shorts at 98 % rather than 99 % for a 120 Ω touch).
const DAMP_SHARE: f64 = 0.25;
/// A line's wire as one reading sees it: up to `LINE_WIRE_MAX` from the switch to the riser,
/// and the probe contact of the reading through it (up to `CONTACT_MAX`), taken as spread
/// evenly from none to both.
pub(super) const WIRE_SEEN_MAX: f64 = LINE_WIRE_MAX + CONTACT_MAX;
/// Steps of the numerical integral over one line's unknown wire (0 to `WIRE_SEEN_MAX`): an
/// eighth of an ohm or less each, finer than the noise of a difference of two low readings
/// (their probe contacts alone: 0.4 Ω), so the sum samples the noise's bell evenly.
const WIRE_STEPS: usize = 104;

/// The probability that the two lines joined through the crossings reading `r1` and `r2`
/// (both low both ways, on one shared line) touch — one crossing a short, the other its twin —
/// rather than both being shorts; `pair` is the reading between the two lines, where it was
/// measured, and `typ` the entrance's healthy reading (a short reads under `SHORT_MAX` of it).
///
/// The short common to both is factored out. Two shorts: a second short on a flat
/// (`PRIOR_FAULT_KIND`) whose resistance is spread evenly on a log scale from `SHORT_LOW` up to
/// `SHORT_MAX × typ`. Touching: the two lines touch (`PRIOR_TOUCHING`) with either crossing the
/// short (the two add), through a bare contact or a damp one. Each likelihood integrates the
/// lines' wires (each evenly 0–`WIRE_SEEN_MAX`) and weighs the pair by every reading's noise.
/// Readings a few ohms apart leave odds of about five to one to five to two for two shorts
/// (0.71–0.83, under `REPORT`): listed, not named.
pub(super) fn touching_chance(
    r1: f64,
    r2: f64,
    pair: Option<f64>,
    g: &Grid,
    noise: &Noise,
    typ: f64,
) -> f64 {
    let [shorts, (touching, first), (_, second)] = likelihoods(r1, r2, pair, g, noise, typ);
    // Either crossing may be the short, each with the prior of a short and of the touch.
    posterior([shorts, (touching, first + second)])[1]
}

/// Where the two lines touch, the probability that the crossing reading `r1` is the short
/// and `r2` its twin (rather than the other way round), as `touching_chance` weighs them:
/// near 1 or 0 when the readings (the pair's above all) fit only one way round, so that
/// crossing is a short whether the lines touch or both are shorts.
pub(super) fn first_is_the_short(
    r1: f64,
    r2: f64,
    pair: Option<f64>,
    g: &Grid,
    noise: &Noise,
    typ: f64,
) -> f64 {
    let [_, (_, first), (_, second)] = likelihoods(r1, r2, pair, g, noise, typ);
    match first + second {
        both if both > 0.0 => first / both,
        _ => 0.5,
    }
}

/// The prior and likelihood of each explanation of the two crossings reading `r1` and `r2`:
/// two shorts, the first a short and the second its twin, the second a short and the first
/// its twin (each touching way round with the prior of a short and of the touch).
fn likelihoods(
    r1: f64,
    r2: f64,
    pair: Option<f64>,
    g: &Grid,
    noise: &Noise,
    typ: f64,
) -> [(f64, f64); 3] {
    let short_max = SHORT_MAX * typ;
    let sd = pair_sd(r1, r2, pair, g, noise);
    [
        (PRIOR_FAULT_KIND, two_shorts(r1, r2, pair, sd, short_max)),
        (PRIOR_TOUCHING, short_and_twin(r1, r2, pair, sd, short_max)),
        (PRIOR_TOUCHING, short_and_twin(r2, r1, pair, sd, short_max)),
    ]
}

/// Where the crossing reading `twin` has no apartment (no handset there to short), the
/// probability that it reads the short at the crossing reading `short` through the two lines
/// touching, rather than its own two wires touching each other there: both are faults of the
/// wiring (`PRIOR_TOUCHING` each), the second read as a short's readings are.
pub(super) fn twin_of_a_flat(
    short: f64,
    twin: f64,
    pair: Option<f64>,
    g: &Grid,
    noise: &Noise,
    typ: f64,
) -> f64 {
    let short_max = SHORT_MAX * typ;
    let sd = pair_sd(short, twin, pair, g, noise);
    posterior([
        (PRIOR_TOUCHING, two_shorts(short, twin, pair, sd, short_max)),
        (
            PRIOR_TOUCHING,
            short_and_twin(short, twin, pair, sd, short_max),
        ),
    ])[1]
}

/// The noise of the pair's reading against a sum or difference of the two crossings'.
fn pair_sd(r1: f64, r2: f64, pair: Option<f64>, g: &Grid, noise: &Noise) -> f64 {
    (noise.var(g, r1) + noise.var(g, r2) + pair.map_or(0.0, |p| noise.var(g, p))).sqrt()
}

/// The likelihood of the readings under two shorts: each crossing's reading is its short, its
/// own line's wire and the shared line's; the pair reads both crossings less the shared wire
/// twice.
fn two_shorts(r1: f64, r2: f64, pair: Option<f64>, sd: f64, short_max: f64) -> f64 {
    mean_over_wire(|w_shared| {
        let readings = short_under(r1, w_shared, short_max) * short_under(r2, w_shared, short_max);
        match pair {
            None => readings,
            Some(p) => {
                let expected = r1 + r2 - 2.0 * w_shared;
                readings * normal((p - expected) / sd) / sd
            }
        }
    })
}

/// The likelihood of the readings with a short at the crossing reading `short` and its twin
/// (reading `twin`) through lines touching where they run together, in the riser, past each
/// line's wire from the switch: the short's reading is the short and its two lines' wire, the
/// twin's the same less the short's own line's wire (`w_s`) plus the twin's line's (`w_t`)
/// and the touch, and the pair reads the touch and both those wires: `twin − short = t + w_t
/// − w_s`, `pair = t + w_s + w_t`.
fn short_and_twin(short: f64, twin: f64, pair: Option<f64>, sd: f64, short_max: f64) -> f64 {
    let gap = twin - short;
    mean_over_wire(|w_s| {
        // The short under its line's wire `w_s` and the shared line's; the touch is the gap
        // and `w_s` less the twin's line's wire (evenly 0–wire max).
        let readings =
            short_under(short, w_s, short_max) * mean_density(touch_cdf, gap + w_s, WIRE_SEEN_MAX);
        match pair {
            None => readings,
            Some(p) => {
                let expected = gap + 2.0 * w_s;
                readings * normal((p - expected) / sd) / sd
            }
        }
    })
}

/// The density of a crossing reading `r` as a short under one of its lines' wire `w_shared`
/// and the other's (evenly 0–`WIRE_SEEN_MAX`).
pub(super) fn short_under(r: f64, w_shared: f64, short_max: f64) -> f64 {
    mean_density(
        |x| log_uniform_cdf(x, SHORT_LOW, short_max),
        r - w_shared,
        WIRE_SEEN_MAX,
    )
}

/// The mean of `f` over a line's wire spread evenly from 0 to `WIRE_SEEN_MAX` (midpoints).
fn mean_over_wire(f: impl Fn(f64) -> f64) -> f64 {
    let step = WIRE_SEEN_MAX / WIRE_STEPS as f64;
    (0..WIRE_STEPS)
        .map(|k| f((k as f64 + 0.5) * step))
        .sum::<f64>()
        / WIRE_STEPS as f64
}

/// The mean density of `x − u` for `u` evenly 0–`width`, from the distribution function `cdf`.
fn mean_density(cdf: impl Fn(f64) -> f64, x: f64, width: f64) -> f64 {
    (cdf(x) - cdf(x - width)) / width
}

/// The distribution function of touching wires' resistance with no diode between them.
fn touch_cdf(x: f64) -> f64 {
    (1.0 - DAMP_SHARE) * log_uniform_cdf(x, TOUCH_LOW, TOUCH_MAX)
        + DAMP_SHARE * log_uniform_cdf(x, TOUCH_LOW, BEYOND_ANY_METER)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::tests::{Bench, EMPTY, layout};

    /// The touching chance with the prior noise, display steps from a hand-built grid of
    /// healthy handsets, and handsets reading 750 Ω.
    fn chance(r1: f64, r2: f64, pair: Option<f64>) -> f64 {
        let (l, _) = layout(None);
        let g = Grid::new(&Bench::healthy(1.0, EMPTY).sweep(), &l);
        touching_chance(r1, r2, pair, &g, &Noise::prior(), 750.0)
    }

    #[test]
    fn a_crossing_with_no_flat_beside_a_short_reads_it_through_touching_lines_or_its_own_wires() {
        // No handset hangs at the twin to be shorted: a short of its own there is its two
        // wires touching, as rare as the two lines touching, so the readings alone weigh.
        let (l, _) = layout(None);
        let g = Grid::new(&Bench::healthy(1.0, EMPTY).sweep(), &l);
        let twin = |pair| twin_of_a_flat(3.0, 4.0, pair, &g, &Noise::prior(), 750.0);
        // The pair reads the touch: the difference of the two and little wire.
        // (Two resistances on E6 fit it too, with 3 Ω of E6's wire counted twice: about 4 to 1.)
        assert!(twin(Some(1.0)) > 0.7, "{}", twin(Some(1.0)));
        // The pair reads both crossings' sum: two resistances on one line, no touch.
        assert!(twin(Some(7.0)) < 0.3, "{}", twin(Some(7.0)));
        // Not measured: either, the priors alike.
        let unmeasured = twin(None);
        assert!(unmeasured > 0.3 && unmeasured < 0.7, "{unmeasured}");
        // A flat's second short (`touching_chance`) is five times likelier a priori than the
        // lines touching; a crossing with no flat has none, so touching weighs more there.
        let flat = touching_chance(3.0, 4.0, None, &g, &Noise::prior(), 750.0);
        assert!(unmeasured > flat, "{unmeasured} {flat}");
    }

    #[test]
    fn a_twin_that_would_need_a_120_ohm_touch_is_a_second_short() {
        // Example 120:short: D4/E7 16.4 Ω, D8/E7 136.6 Ω, D4–D8 140.9 Ω. Two shorts read
        // 16.4 + 136.6 less E7's wire twice (127–153 Ω): fits. Touching, D4–D8 would read the
        // touch and up to twice a wire (120–146 Ω): fits too, but the touch would be 118–131 Ω,
        // four times what bare copper reads.
        let c = chance(16.4, 136.6, Some(140.9));
        assert!(1.0 - c >= 0.9, "{c}");
        // Unmeasured pair: the twin's reading alone says the same.
        let c = chance(16.4, 136.6, None);
        assert!(1.0 - c >= 0.9, "{c}");
    }

    #[test]
    fn a_twin_two_ohms_above_its_short_is_not_named_a_second_short() {
        // A true touch of 2 Ω at the riser ends of wires of 6 and 8 Ω, a 5 Ω short at D4/E7
        // (16 Ω with its wires): the twin reads 16 + 2 + 8 − 6 = 20 Ω, the pair 6 + 2 + 8 =
        // 16 Ω. Two shorts of 16 and 20 Ω less E7's wire fit too: cannot tell.
        for pair in [Some(16.0), None] {
            let c = chance(16.0, 20.0, pair);
            assert!(1.0 - c < 0.9 && c < 0.9, "{pair:?}: {c}");
        }
    }

    #[test]
    fn a_pair_reading_that_fits_a_touch_only_one_way_round_makes_that_crossing_the_short() {
        // 15.2 and 23.5 Ω, the pair 22.3 Ω. Touching with the 15.2 Ω crossing the short: the
        // pair is the gap (8.3 Ω) and twice that line's wire (7 Ω each): fits. The other way
        // round the pair would need 15 Ω of one line's wire, more than any has.
        let (l, _) = layout(None);
        let g = Grid::new(&Bench::healthy(1.0, EMPTY).sweep(), &l);
        let first = |r1, r2, pair| first_is_the_short(r1, r2, pair, &g, &Noise::prior(), 750.0);
        assert!(first(15.2, 23.5, Some(22.3)) > 0.99);
        assert!(first(23.5, 15.2, Some(22.3)) < 0.01);
        // Unmeasured, both ways round fit.
        let c = first(15.2, 23.5, None);
        assert!(c > 0.1 && c < 0.9, "{c}");
    }

    #[test]
    fn a_pair_reading_far_under_two_shorts_sum_is_touching() {
        // 60 and 63 Ω, the pair 3 Ω: two shorts would read at least 60 + 63 − 24 Ω between
        // the lines; a touch of a few ohms reads so.
        let c = chance(60.0, 63.0, Some(3.0));
        assert!(c >= 0.9, "{c}");
    }
}
