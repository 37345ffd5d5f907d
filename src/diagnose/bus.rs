//! Stage 7, touching lines: two D (or two E) wires in contact. A D–D or E–E reading is open
//! in a healthy matrix, or a sneak path's; one under the band its paths predict (or with no
//! path at all) is the wires themselves. Where those pairs were not measured, two lines that
//! read alike on every crossing give them away: with the wires touching, each handset on one
//! answers on the other too, so the two rows (or columns) are one electrical line.
//!
//! Takes the sweep's D–D/E–E readings, the `Grid`, the `Network`, the `Calibration` and the
//! `Noise`; gives the `BusShort`s. Pure.

use super::Facts;
use super::calibrate::Calibration;
use super::evidence::{Band, in_parallel, log_uniform, posterior};
use super::grid::Grid;
use super::network::{Network, Node, SHORT_MAX};
use super::noise::Noise;
use super::predict;
use super::suspect::BEYOND_ANY_METER;
use crate::model::{LineKind, Reading, Sweep, Terminal};

/// Prior probability that two given lines of one block touch: a bus short is found in about
/// one entrance in ten a technician visits, among its ~90 pairs of lines.
const PRIOR_TOUCHING: f64 = 0.001;
/// Touching wires read anything from a fraction of an ohm (bare copper on copper) to a
/// handset wired across the two lines: spread evenly on a log scale from this…
const TOUCH_LOW: f64 = 0.05;
/// Two readings agree when they differ by less than this many standard deviations of the
/// difference of two readings.
const AGREE_Z: f64 = 3.0;
/// Handsets in parallel read no lower than this fraction of one: their diodes still drop
/// nearly the whole junction voltage (the suspect-reading floor, `suspect.rs`).
const PARALLEL_LOW: f64 = 0.35;
/// Two lines are compared only when at least this many crossings conduct on both.
const MIN_MATCHED: usize = 3;

/// Two lines found touching.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BusShort {
    /// The lower-numbered line.
    pub(super) a: Terminal,
    /// The other.
    pub(super) b: Terminal,
    /// The probability that they touch.
    pub(super) chance: f64,
    /// What shows it.
    pub(super) facts: Facts,
}

/// The density of a D–D or E–E reading `v` from the touching wires themselves, in parallel
/// with sneak paths reading `ghost` if any.
fn touching_density(v: f64, ghost: Option<&Band>) -> f64 {
    let own = |x: f64| log_uniform(x, TOUCH_LOW, BEYOND_ANY_METER);
    match ghost {
        None => own(v),
        Some(b) => in_parallel(v, b, own),
    }
}

/// The bus shorts of the sweep: measured pairs no sneak path explains, then unmeasured pairs
/// of lines that read alike.
pub(super) fn shorts(
    sweep: &Sweep,
    g: &Grid,
    net: &Network,
    cal: &Calibration,
    noise: &Noise,
) -> Vec<BusShort> {
    let mut found: Vec<BusShort> = Vec::new();
    let mut measured: Vec<((Terminal, Terminal), Reading)> = Vec::new();
    let node = |t: Terminal| match t.kind {
        LineKind::Tens => Node::D(t.index as usize),
        LineKind::Units => Node::E(t.index as usize),
    };
    for m in sweep.bus() {
        let (a, b) = if m.plus <= m.minus {
            (m.plus, m.minus)
        } else {
            (m.minus, m.plus)
        };
        measured.push(((a, b), m.reading));
        let Reading::Ohms(v) = m.reading else {
            continue;
        };
        if v > BEYOND_ANY_METER || found.iter().any(|s| (s.a, s.b) == (a, b)) {
            continue;
        }
        let chance = match net.paths(node(m.plus), node(m.minus), None) {
            None => 1.0,
            Some(p) => {
                let band = predict::ghost(&p, g, noise, cal.typ);
                posterior([
                    (1.0 - PRIOR_TOUCHING, band.density(v)),
                    (PRIOR_TOUCHING, touching_density(v, Some(&band))),
                ])[1]
            }
        };
        if chance >= 0.5 {
            found.push(BusShort {
                a,
                b,
                chance,
                facts: Facts::BusShortMeasured { ohms: v },
            });
        }
    }

    // Two lines reading alike, where their pair was not measured or its reading did not
    // settle it: each crossing that conducts on both and agrees within the noise is
    // `1 / chance` times likelier with the wires touching than with two separate handsets
    // (which differ as the entrance's do). Through touching wires of `slack` ohms (the pair's
    // own reading, where measured) a crossing may read that much above its twin.
    let alike = |x: f64, y: f64, slack: f64| {
        let sd = (noise.var(g, x) + noise.var(g, y)).sqrt();
        (x - y).abs() <= AGREE_Z * sd + slack
    };
    // The chance that two separate handsets read within the tolerance of each other (their
    // difference spreads √2 × the handset spread), and read as they do at all: touching lines
    // put two handsets in parallel, under one, which a handset alone rarely reads (its density
    // against a reading spread anywhere from a diode's floor to one handset).
    let by_chance = |x: f64, slack: f64| {
        let tol = AGREE_Z * (2.0 * noise.var(g, x)).sqrt() + slack;
        let sd = std::f64::consts::SQRT_2 * cal.spread * x;
        let agree = (2.0 * tol / (sd * (2.0 * std::f64::consts::PI).sqrt())).min(1.0);
        let any = log_uniform(x, PARALLEL_LOW * cal.typ, cal.typ);
        let alone = if any > 0.0 {
            (cal.healthy_density(x) / any).min(1.0)
        } else {
            1.0
        };
        agree * alone
    };
    let compare = |a: &dyn Fn(usize) -> Option<Reading>,
                   b: &dyn Fn(usize) -> Option<Reading>,
                   n: usize,
                   slack: f64| {
        let (mut matched, mut chance, mut worst) = (0, 1.0, 0.0f64);
        for k in 0..n {
            match (a(k), b(k)) {
                (Some(Reading::Ohms(x)), Some(Reading::Ohms(y))) => {
                    if !alike(x, y, slack) {
                        return None;
                    }
                    matched += 1;
                    chance *= by_chance(x.max(y), slack);
                    worst = worst.max((x - y).abs() / x.max(y));
                }
                (Some(Reading::Open), Some(Reading::Ohms(_)))
                | (Some(Reading::Ohms(_)), Some(Reading::Open)) => return None,
                _ => {}
            }
        }
        (matched >= MIN_MATCHED).then_some((matched, chance, worst))
    };
    // The slack of a pair: its own reading where that is low enough to be touching wires
    // (a bare resistance, under a handset's diode); None when it was measured open (the
    // wires are apart).
    let slack_of = |a: Terminal, b: Terminal| match measured.iter().find(|(k, _)| *k == (a, b)) {
        None => Some(0.0),
        Some((_, Reading::Ohms(v))) if *v < SHORT_MAX * cal.typ => Some(*v),
        Some((_, Reading::Ohms(_))) => Some(0.0),
        Some((_, Reading::Open)) => None,
    };
    let mut check = |a: Terminal, b: Terminal, seen: Option<(usize, f64, f64)>| {
        let Some((matched, chance, worst)) = seen else {
            return;
        };
        if found.iter().any(|s| (s.a, s.b) == (a, b)) {
            return;
        }
        let touching = posterior([(1.0 - PRIOR_TOUCHING, chance), (PRIOR_TOUCHING, 1.0)])[1];
        if touching >= 0.5 {
            found.push(BusShort {
                a,
                b,
                chance: touching,
                facts: Facts::BusShortAlike {
                    matched,
                    within: worst,
                },
            });
        }
    };
    for a in 0..g.tens {
        for b in a + 1..g.tens {
            let fa = |u: usize| g.forward[g.idx(a, u)];
            let fb = |u: usize| g.forward[g.idx(b, u)];
            let (ta, tb) = (Terminal::tens(a as u16), Terminal::tens(b as u16));
            if let Some(slack) = slack_of(ta, tb) {
                check(ta, tb, compare(&fa, &fb, g.units, slack));
            }
        }
    }
    for a in 0..g.units {
        for b in a + 1..g.units {
            let fa = |t: usize| g.forward[g.idx(t, a)];
            let fb = |t: usize| g.forward[g.idx(t, b)];
            let (ua, ub) = (Terminal::units(a as u16), Terminal::units(b as u16));
            if let Some(slack) = slack_of(ua, ub) {
                check(ua, ub, compare(&fa, &fb, g.tens, slack));
            }
        }
    }
    found
}
