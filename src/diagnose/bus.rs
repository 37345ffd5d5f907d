//! Stage 7, touching lines: two D (or two E) wires in contact. A D–D or E–E reading is open
//! in a healthy matrix, or a sneak path's; one under the band its paths predict (or with no
//! path at all) is the wires themselves. Where those pairs were not measured, two lines that
//! read alike on every crossing give them away: with the wires touching, each handset on one
//! answers on the other too, so the two rows (or columns) are one electrical line.
//!
//! Takes the sweep's D–D/E–E readings, the `Grid`, the `Network`, the `Calibration` and the
//! `Noise`; gives the `BusShort`s. Pure.

use super::Facts;
use super::calibrate::{Calibration, median};
use super::evidence::{Band, PRIOR_FAULT_KIND, REPORT, in_parallel, log_uniform, posterior};
use super::grid::Grid;
use super::network::{Network, PairPaths, Paths, SHORT_MAX, node};
use super::noise::{CONTACT_MAX, LINE_WIRE_MAX, Noise, WIRE_MAX};
use super::predict;
use super::suspect::BEYOND_ANY_METER;
use crate::model::{LineKind, Reading, Terminal};

/// Prior probability that two given lines of one block touch: a bus short is found in about
/// one entrance in ten a technician visits, among its ~90 pairs of lines.
pub(super) const PRIOR_TOUCHING: f64 = 0.001;
/// Touching wires read anything from a fraction of an ohm (bare copper on copper) to a
/// handset wired across the two lines: spread evenly on a log scale from this…
pub(super) const TOUCH_LOW: f64 = 0.05;
/// A short and its twin through touching wires agree within this many standard deviations of
/// the difference of two readings, plus the touching wires.
const AGREE_Z: f64 = 3.0;
/// Touching wires that read more than this are no bare contact of copper on copper (a
/// handset wired across two lines reads like a handset): twins of a short differ by less.
pub(super) const TOUCH_MAX: f64 = 30.0;
/// The meter's relative noise, unknown when weighing two lines alike, spans the field's range
/// (0.05–1.2 %; issue 12), a little wider each way…
const NOISE_RANGE: (f64, f64) = (3e-4, 0.015);
/// … in this many steps on a log scale.
const NOISE_GRID: usize = 8;
/// The offset between two touching lines' readings (the difference of their wires) in this
/// many steps.
const OFFSET_GRID: usize = 25;
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
    /// The two lines are also joined through shorted handsets on one other line, which reads
    /// the same as touching: the shorts found there may be two, or one and its twin.
    pub(super) joined: bool,
    /// Where the pair was measured and its cheapest path runs through two bare resistances on
    /// one other line: how its reading fits two shorts there and one short with the lines
    /// touching (`short_and_twin`), for `classify` to weigh the two.
    pub(super) weighed: Option<ShortOrTouching>,
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

/// The probability that a measured D–D or E–E reading `v` is the two wires touching, against
/// the sneak paths `paths` between them (certain where there are none). Under the paths'
/// band, each likelihood has the meter's noise integrated out over the levels the sweep leaves
/// possible (`predict::across_noise`), as the forward readings' have: a sweep with few
/// readings to measure it on may be noisier than its best guess, and a reading some way under
/// the band may be its noise. Inside the band or above it, the paths explain the reading at
/// any noise level (touching wires only pull it under); the best guess weighs it.
pub(super) fn touching_chance(
    paths: Option<&Paths>,
    v: f64,
    g: &Grid,
    cal: &Calibration,
    noise: &Noise,
) -> f64 {
    let Some(p) = paths else {
        return 1.0;
    };
    let band = predict::ghost(p, g, noise, cal.typ);
    let bands = match v < band.lo {
        true => predict::across_noise(p, g, noise, band),
        false => vec![(band, 1.0)],
    };
    let marginal =
        |density: &dyn Fn(&Band) -> f64| -> f64 { bands.iter().map(|(b, w)| w * density(b)).sum() };
    posterior([
        (1.0 - PRIOR_TOUCHING, marginal(&|b| b.density(v))),
        (PRIOR_TOUCHING, marginal(&|b| touching_density(v, Some(b)))),
    ])[1]
}

/// The bus shorts of the sweep: measured pairs no sneak path explains, then pairs of lines
/// that read alike.
pub(super) fn shorts(
    kept: &PairPaths,
    g: &Grid,
    net: &Network,
    cal: &Calibration,
    noise: &Noise,
) -> Vec<BusShort> {
    let mut pairs = measured_pairs(kept, g, net, cal, noise);
    // Every pair of tens lines, then of units lines, with their crossings on each line of the
    // other block.
    for (kind, lines, across) in [
        (LineKind::Tens, g.tens, g.units),
        (LineKind::Units, g.units, g.tens),
    ] {
        let at = |line: usize, o: usize| match kind {
            LineKind::Tens => g.idx(line, o),
            LineKind::Units => g.idx(o, line),
        };
        let terminal = |line: usize| Terminal {
            kind,
            index: line as u16,
        };
        for a in 0..lines {
            for b in a + 1..lines {
                let rows = (0..across)
                    .map(|o| (g.forward[at(a, o)], g.forward[at(b, o)]))
                    .collect();
                pairs.alike(terminal(a), terminal(b), rows, g, net, cal, noise);
            }
        }
    }
    pairs.found
}

/// What the D–D and E–E readings of a sweep say, as the bus shorts are looked for.
struct Pairs {
    /// The bus shorts found so far.
    found: Vec<BusShort>,
    /// Every pair measured, lower line first, with its reading.
    measured: Vec<((Terminal, Terminal), Reading)>,
    /// Pairs whose reading runs through two bare resistances on one other line, with how it
    /// fits two shorts there and one short with the lines touching.
    weights: Vec<((Terminal, Terminal), ShortOrTouching)>,
    /// Pairs whose own reading settles that the wires touch.
    settled: Vec<(Terminal, Terminal)>,
}

/// The measured pairs no sneak path explains: touching wires, or joined through two shorts
/// on one other line where the reading fits that as well as one short and its twin.
fn measured_pairs(
    kept: &PairPaths,
    g: &Grid,
    net: &Network,
    cal: &Calibration,
    noise: &Noise,
) -> Pairs {
    let mut p = Pairs {
        found: Vec::new(),
        measured: Vec::new(),
        weights: Vec::new(),
        settled: Vec::new(),
    };
    let same = kept.same(net);
    for (k, m) in kept.measured().iter().enumerate() {
        let (a, b) = if m.plus <= m.minus {
            (m.plus, m.minus)
        } else {
            (m.minus, m.plus)
        };
        p.measured.push(((a, b), m.reading));
        let Reading::Ohms(v) = m.reading else {
            continue;
        };
        if v > BEYOND_ANY_METER || p.found.iter().any(|s| (s.a, s.b) == (a, b)) {
            continue;
        }
        let paths = kept.of(net, same, k);
        let weighed = (paths.as_deref()).and_then(|p| short_and_twin(p, v, g, cal, noise));
        if let Some(w) = weighed {
            p.weights.push(((a, b), w));
        }
        let chance = kept.touching(same, k, || {
            touching_chance(paths.as_deref(), v, g, cal, noise)
        });
        if chance >= 0.5 {
            p.settled.push((a, b));
            p.found.push(BusShort {
                a,
                b,
                chance,
                facts: Facts::BusShortMeasured { ohms: v },
                // Through two bare resistances on one other line, the shorts there may be two
                // or one and its twin: where the pair does not settle the touch for certain,
                // `classify` weighs the crossings with it (where it does, the touch is named
                // and each crossing keeps the fault that fits its own readings).
                joined: weighed.is_some() && chance < REPORT,
                weighed,
            });
        } else if let Some(twin) = weighed.filter(|w| w.touching > 0.0 && w.shorts > 0.0) {
            // Joined through two shorts on one other line, and read as one short and its twin
            // through touching wires would read: the two cannot be told apart.
            p.found.push(BusShort {
                a,
                b,
                chance: posterior([
                    (PRIOR_FAULT_KIND, twin.shorts),
                    (PRIOR_TOUCHING, twin.touching),
                ])[1],
                facts: Facts::BusShortMeasured { ohms: v },
                joined: true,
                weighed,
            });
        }
    }
    p
}

impl Pairs {
    /// Lines `a` and `b` reading alike (their crossings on every other line as `rows`), where
    /// their pair was not measured or its reading did not settle it (`touching` weighs them).
    /// A pair measured open, or reading more than a short could, rules it out: wires touching
    /// closely enough to make two rows read alike read a few ohms themselves, and the pair
    /// reads no more than the touch (seeds 91-93: D2 and D8 drew four handsets alike within
    /// 0.3 % while D2–D8 read 600 kΩ, a leak's sneak path).
    #[allow(clippy::too_many_arguments)]
    fn alike(
        &mut self,
        a: Terminal,
        b: Terminal,
        rows: Vec<(Option<Reading>, Option<Reading>)>,
        g: &Grid,
        net: &Network,
        cal: &Calibration,
        noise: &Noise,
    ) {
        let slack = match self.measured.iter().find(|(k, _)| *k == (a, b)) {
            None => 0.0,
            Some((_, Reading::Ohms(v))) if *v < SHORT_MAX * cal.typ => *v,
            Some((_, Reading::Ohms(_) | Reading::Open)) => return,
        };
        // A pair whose own reading fits two shorts as well as touching is weighed again here:
        // rows reading alike settle it further.
        let undecided = |s: &BusShort| {
            s.joined
                && matches!(s.facts, Facts::BusShortMeasured { .. })
                && !self.settled.contains(&(s.a, s.b))
        };
        if (self.found.iter()).any(|s| (s.a, s.b) == (a, b) && !undecided(s)) {
            return;
        }
        let Some((matched, lr, worst)) = touching(&rows, slack, g, cal, noise) else {
            return;
        };
        let chance = posterior([(1.0 - PRIOR_TOUCHING, 1.0), (PRIOR_TOUCHING, lr)])[1];
        if chance < 0.5 {
            return;
        }
        self.found.retain(|s| (s.a, s.b) != (a, b));
        self.found.push(BusShort {
            a,
            b,
            chance,
            facts: Facts::BusShortAlike {
                matched,
                within: worst,
            },
            joined: joined_by_shorts(a, b, net, cal),
            weighed: (self.weights.iter())
                .find(|(k, _)| *k == (a, b))
                .map(|(_, w)| *w),
        });
    }
}

/// Two lines joined through shorted handsets alone (a short on each at one crossing of the
/// same other line: no diode between them) read alike for that reason, as touching lines do;
/// their readings cannot tell the two apart, and the shorts are named already.
fn joined_by_shorts(a: Terminal, b: Terminal, net: &Network, cal: &Calibration) -> bool {
    net.paths(node(a), node(b), None).is_some_and(|p| {
        p.best()
            .hops()
            .iter()
            .all(|h| !h.diode && h.ohms < SHORT_MAX * cal.typ)
    })
}

/// How a D–D (or E–E) reading `v` fits each of two explanations that give the same sweep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ShortOrTouching {
    /// Density of `v` under two shorts on one other line (the sneak path between them).
    pub(super) shorts: f64,
    /// Density of `v` under one of them a short and the other its twin through touching wires.
    pub(super) touching: f64,
    /// The reading `v` itself, Ω, for `joined::touching_chance` to weigh with the two
    /// crossings'.
    pub(super) pair: f64,
}

/// Where the cheapest path between two lines runs through two bare resistances on one other
/// line (two shorts) and no diode, the crossing that reads higher may be no short at all but
/// the lower one's twin through the two lines touching: it then reads the touching wires plus
/// the short, and the pair reads the touching wires — the higher short less the lower, give
/// or take the difference of the two lines' own wire (each up to `LINE_WIRE_MAX` and a
/// contact, both ways). Two shorts make the pair read their sum less the shared line's wire
/// counted twice. Both densities of `v` (either may be zero); `None` where the path is not
/// two bare resistances.
fn short_and_twin(
    p: &Paths,
    v: f64,
    g: &Grid,
    cal: &Calibration,
    noise: &Noise,
) -> Option<ShortOrTouching> {
    let hops = p.best().hops();
    let [x, y] = hops else { return None };
    if x.diode || y.diode || x.ohms.max(y.ohms) >= SHORT_MAX * cal.typ {
        return None;
    }
    let span = 2.0 * (LINE_WIRE_MAX + CONTACT_MAX);
    let gap = (x.ohms - y.ohms).abs();
    let twin = Band {
        lo: (gap - span / 2.0).max(0.0),
        hi: gap + span,
        sigma: (noise.var(g, x.ohms) + noise.var(g, y.ohms) + noise.var(g, v)).sqrt(),
    };
    let two = predict::ghost(p, g, noise, cal.typ);
    let (touching, shorts) = (twin.density(v), two.density(v));
    let weighed = ShortOrTouching {
        shorts,
        touching,
        pair: v,
    };
    (touching.is_finite() && shorts.is_finite()).then_some(weighed)
}

/// How much likelier the forward readings of two lines' crossings, `pairs`, are with the lines
/// touching than apart: (handset crossings compared, the likelihood ratio, the largest
/// relative difference). None when the two cannot be one electrical line (one conducts
/// where the other is open, or a low pair differs by more than the touching wires `slack`).
///
/// Apart, the handsets on the two lines differ as the entrance's handsets do. Touching, each
/// pair reads one node: the same, but for the difference between the two lines' own wires
/// (a common offset, unknown, up to `WIRE_MAX` and the slack) and the meter's noise (unknown
/// too: integrated over its prior range). Only handset crossings weigh: two ghost crossings
/// of two lines differ by the same amount all along even when apart (the difference of the
/// handsets where their paths enter), so they would mimic a common offset.
fn touching(
    pairs: &[(Option<Reading>, Option<Reading>)],
    slack: f64,
    g: &Grid,
    cal: &Calibration,
    noise: &Noise,
) -> Option<(usize, f64, f64)> {
    let mut handsets: Vec<(f64, f64)> = Vec::new();
    let mut worst = 0.0f64;
    for &(a, b) in pairs {
        match (a, b) {
            (Some(Reading::Ohms(x)), Some(Reading::Ohms(y))) => {
                if x.min(y) < SHORT_MAX * cal.typ {
                    // A short and its twin through the touching wires.
                    let tol = AGREE_Z * (noise.var(g, x) + noise.var(g, y)).sqrt();
                    if (x - y).abs() > slack.max(TOUCH_MAX) + tol {
                        return None;
                    }
                } else if cal.handset_like(x) && cal.handset_like(y) {
                    handsets.push((x, y));
                }
                worst = worst.max((x - y).abs() / x.max(y));
            }
            (Some(Reading::Open), Some(Reading::Ohms(_)))
            | (Some(Reading::Ohms(_)), Some(Reading::Open)) => return None,
            _ => {}
        }
    }
    if handsets.len() < MIN_MATCHED {
        return None;
    }
    // Each pair's difference and the variance its display steps and probe contacts add.
    let pairs: Vec<(f64, f64, f64)> = handsets
        .iter()
        .map(|&(x, y)| {
            let fixed = noise.var(g, x) - (noise.rel * x).powi(2);
            (x, x - y, fixed)
        })
        .collect();
    // Touching lines differ by a common offset and the noise; a pair further off the median
    // difference than the noisiest meter scatters is two separate handsets.
    let mut d: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    d.sort_by(f64::total_cmp);
    let centre = median(&d);
    if pairs.iter().any(|&(x, dk, fixed)| {
        (dk - centre).abs() > 4.0 * (2.0 * ((NOISE_RANGE.1 * x).powi(2) + fixed)).sqrt()
    }) {
        return None;
    }
    // Apart: independent handsets.
    let spread = cal.spread;
    let log_apart: f64 = pairs
        .iter()
        .map(|&(x, dk, fixed)| {
            let sd = (2.0 * ((spread * x).powi(2) + (noise.rel * x).powi(2) + fixed)).sqrt();
            log_normal(dk, sd)
        })
        .sum();
    // Touching: a common offset and the noise, both unknown, averaged over their ranges.
    let offset_max = WIRE_MAX / 2.0 + slack;
    let mut terms = Vec::with_capacity(NOISE_GRID * OFFSET_GRID);
    for ni in 0..NOISE_GRID {
        let rel = NOISE_RANGE.0
            * (NOISE_RANGE.1 / NOISE_RANGE.0).powf(ni as f64 / (NOISE_GRID - 1) as f64);
        let sds: Vec<f64> = pairs
            .iter()
            .map(|&(x, _, fixed)| (2.0 * ((rel * x).powi(2) + fixed)).sqrt())
            .collect();
        let norm: f64 = sds
            .iter()
            .map(|sd| -sd.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln())
            .sum();
        for oi in 0..OFFSET_GRID {
            let offset = offset_max * (2.0 * oi as f64 / (OFFSET_GRID - 1) as f64 - 1.0);
            let l: f64 = pairs
                .iter()
                .zip(&sds)
                .map(|(&(_, dk, _), sd)| -0.5 * ((dk - offset) / sd).powi(2))
                .sum();
            terms.push(norm + l);
        }
    }
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let log_touching =
        top + (terms.iter().map(|t| (t - top).exp()).sum::<f64>() / terms.len() as f64).ln();
    let lr = (log_touching - log_apart).clamp(-700.0, 700.0).exp();
    Some((handsets.len(), lr, worst))
}

/// The log of the normal density of `x` with standard deviation `sd`.
fn log_normal(x: f64, sd: f64) -> f64 {
    -0.5 * (x / sd).powi(2) - sd.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate;
    use crate::diagnose::tests::{Bench, EMPTY, deviate, layout};

    /// The likelihood ratio of D2 and D6 touching, from the rows of `b`.
    fn weigh(b: &Bench) -> Option<(usize, f64, f64)> {
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let pairs: Vec<_> = (0..10)
            .map(|u| (g.forward[g.idx(2, u)], g.forward[g.idx(6, u)]))
            .collect();
        touching(&pairs, 0.0, &g, &cal, &Noise::prior())
    }

    #[test]
    fn rows_reading_alike_but_for_an_offset_and_noise_are_touching() {
        // D6 reads D2's handsets through 4 Ω more wire, each reading with 0.3 % noise.
        let mut b = Bench::healthy(1.0, EMPTY);
        for u in 0..10 {
            b.forward[6][u] =
                b.forward[2][u].map(|v| (v + 4.0) * (1.0 + 0.003 * deviate(u as u64)));
        }
        let (matched, lr, _) = weigh(&b).expect("both rows conduct alike");
        assert_eq!(matched, 10);
        assert!(lr > 1e6, "{lr}");
    }

    #[test]
    fn rows_of_separate_handsets_are_not_touching() {
        let b = Bench::healthy(1.0, EMPTY);
        assert!(weigh(&b).is_none_or(|(_, lr, _)| lr < 1.0));
    }

    #[test]
    fn a_row_open_where_the_other_conducts_is_not_its_twin() {
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[6] = b.forward[2];
        b.forward[6][0] = None;
        assert!(weigh(&b).is_none());
    }
}
