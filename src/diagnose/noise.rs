//! Stage 4, noise and wiring: how much one reading of this meter scatters, and how much wire
//! a sneak-path sum double counts, measured on the sweep itself.
//!
//! Every reading includes the wire of both its lines (1–12 Ω each between the switch terminal
//! and the flats) and a probe contact. A ghost through one faulty handset crosses the wire of
//! its own two lines once, while the sum of the three readings along its path counts the wire
//! of the faulty handset's two lines twice: every ghost through that handset reads the same
//! amount under its sum, plus the noise of four readings. So the ghosts through one faulty
//! handset measure both: their common shortfall is the double-counted wire, and how they
//! scatter around it is the meter's noise. With too few such ghosts, stated priors stand in.
//!
//! The sweep's D–D and E–E readings measure the wire too: a D–D reading runs from one tens
//! line through a handset to the faulty handset's units line and back to its tens line, so the
//! sum of those two readings counts the units line's wire twice; an E–E reading, likewise, the
//! tens line's. The two sides together give what its ghosts double count, and how far that
//! parts from what the ghosts' own sums fall short by says how noisy the readings are, as how
//! each group scatters does.
//!
//! A crossing that reads low both ways is a plain resistor, and reads the same forward and
//! reverse: its two readings' difference is the meter's noise alone (`pairs.rs`). What those
//! pairs say is added to the noise's probability too.
//!
//! Takes the `Grid`, the `Network` as the E→D elements left it, the `Calibration` and the
//! sweep's D–D/E–E readings; gives `Noise`. Pure.

use super::Measured;
use super::calibrate::{Calibration, MAD_TO_SIGMA, median};
use super::evidence::within;
use super::grid::Grid;
use super::network::{Network, Node, PairPaths, Paths};
use super::pairs;
use super::predict;
use crate::model::{LineKind, Reading};
use std::sync::LazyLock;

/// The meter's relative noise assumed before the sweep says otherwise: field meters scatter
/// 0.05–1.2 % of a reading; assume a cheap handheld's 1 % until the ghosts measure it.
const PRIOR_NOISE: f64 = 0.01;
/// How many residuals' worth the prior noise counts for when pooled with what the sweep's
/// residuals measure: one, so that three or four residuals that happen to agree are pulled
/// halfway back towards it, and twenty are not.
const PRIOR_WEIGHT: f64 = 1.0;
/// No meter is steadier than the field's steadiest: 0.05 % of a reading (issue 12 measured
/// 0.05–1.2 % on field meters). A sweep whose residuals look steadier is quantised more
/// coarsely than its digits show, or lucky.
const MIN_NOISE: f64 = 5e-4;
/// No meter is noisier than the field's noisiest: 1.2 % of a reading (issue 12 measured
/// 0.05–1.2 % on field meters). With `MIN_NOISE`, the range the prior spreads the noise over.
const MAX_NOISE: f64 = 0.012;
/// Noise levels the likelihood, prior and posterior are worked out on, evenly spaced on a log
/// scale from `MIN_NOISE` to `MAX_NOISE`: 22 steps of 1.155× each. n residuals pin a standard
/// deviation to about ±1/√(2n) (±16 % on twenty): a step no wider than that leaves the
/// probability where the readings put it instead of snapping it to the level under the meter.
/// Measured on simulated sweeps resting on six readings or more (`cargo bench --bench
/// accuracy`, seeds 1–5), the meter lay above the 95th percentile in 7.1 % of them on 12
/// levels 1.33× apart, where 5 % is right; on these, see the README; 45 levels 1.075× apart
/// did no better (5.2 %) at 7 % more mean diagnosis time.
const LEVELS: usize = (EVALUATED - 1) * PER_STEP + 1;
/// Levels a group's likelihood is evaluated at (every `PER_STEP`th of `LEVELS`, 1.33× apart):
/// a group's log likelihood in the log level is smooth (−n·x − S·e⁻²ˣ/2 for n readings of
/// scatter S, mixed with strays), so a cubic through the four nearest evaluated levels gives the
/// rest to within 0.0013·n nats (its fourth derivative is about 8n near the peak; the cubic's
/// error is at most 9/16 · h⁴/24 of it, h = 0.289): a hundredth of a nat on a group of eight,
/// a fifteenth on one of fifty. Evaluating every level of a 45-level grid cost 2.3× the mean
/// diagnosis (measured, bench seed 1: 57 → 129 µs).
const EVALUATED: usize = 12;
/// Fine levels per evaluated step.
const PER_STEP: usize = 2;
/// Noise levels handed on to the stages that weigh every ghost at every level (the expensive
/// part): the posterior's levels merged, neighbours first where merging moves least, down to
/// this many: as many as the evenly spaced grid they were weighed on before, so no dearer.
/// Where the sweep pins the noise, its peak keeps the fine steps and the levels it leaves
/// nearly impossible merge; where it does not (the prior), the steps are about 1.33× as before.
const HANDED_ON: usize = 12;
/// A noise level weighing less than this is merged with its like neighbours before the rest
/// (`hand_on`): its weight stays, moved at most across its run of levels, and a reading would
/// need to lie some seven deviations further out at the levels that carry the weight than at
/// it (e^(−49/2) ≈ 2e-11) for it to count in a likelihood at all.
const NEGLIGIBLE_WEIGHT: f64 = 1e-12;
/// The chance that one lone reading is something other than its path plus the meter's noise
/// (a handset with a bad contact under a ghost, a misread): a flat's handset has a bad contact
/// at `PRIOR_FAULT_KIND` (0.5 %), and a reading that looks like a ghost is an empty flat in
/// one case of about five (a fifth of flats empty), so one in forty; doubled for misreads.
const STRAY: f64 = 0.05;
/// A group of ghosts through one faulty handset is weighed again without the ghost being
/// judged only up to this many: a reading further than about 3 deviations out is taken as a
/// stray (`STRAY`), and one within them adds at most 9/(n − 1) to the variance n readings
/// measure, so among more than 24 it moves the noise by under 1.2×, less than one evaluated
/// level's step (1.33×, `EVALUATED`).
const LEAVE_OUT_MAX: usize = 24;
/// A probe contact adds up to `CONTACT_MAX` to a reading: uniform on 0–1 Ω has this standard
/// deviation (1/√12).
pub(super) const CONTACT_SD: f64 = 0.29;
/// The most a probe contact adds to one reading, Ω (issue 12: "up to about 1 Ω").
pub(super) const CONTACT_MAX: f64 = 1.0;
/// The most wire between a line's switch terminal and its flats, Ω: a riser of 40 m of
/// 0.4 mm copper plus the run to the cabinet (issue 12 measured 1–12 Ω).
pub(super) const LINE_WIRE_MAX: f64 = 12.0;
/// The most wire a sum through one faulty handset double counts: both its lines, twice, plus
/// the contacts of the two readings beside it in the sum.
pub(super) const WIRE_MAX: f64 = 2.0 * (2.0 * LINE_WIRE_MAX) + 2.0 * CONTACT_MAX;
/// Ghosts through one faulty handset needed to measure the wire its paths double count.
const MIN_GHOSTS: usize = 2;
/// D–D (or E–E) readings through one faulty handset needed to measure the wire of one of its
/// lines.
const MIN_SIDE: usize = 1;
/// Ghosts through parallel paths needed to measure the handsets' make-up: with one, its
/// misfit cannot be told from handsets that differ.
const MIN_MAKE_UP: usize = 2;
/// The measured make-up range is widened by this much each way: handsets of two models in one
/// riser differ in make-up more than a handful of ghosts may show.
const MAKE_UP_MARGIN: f64 = 0.15;
/// A ghost whose reading moves by at least this many of its deviations from the most resistive
/// make-up to the most diode-like places its own handsets' make-up within a quarter of the
/// range.
const PLACED_Z: f64 = 4.0;
/// Ghosts that place their own make-up needed to measure how the handsets' make-ups spread
/// (`handsets_spread`): the median absolute deviation of fewer is too rough a spread to stretch
/// to 99 % of the handsets (of eight, it is within about half of the true one); with fewer,
/// the shared fit and its margin stand alone.
const MIN_PLACED: usize = 8;
/// The two-sided 99 % point of the normal distribution: the middle 99 % of the handsets'
/// make-ups lies within this many standard deviations of their median.
const Z_99: f64 = 2.576;
/// Make-ups tried when fitting the ghosts (0–1 in this many steps): finer than the margin.
const MAKE_UP_STEPS: usize = 40;
/// A ghost further than this many standard deviations from every make-up is something else
/// (a bad contact pulling it, a misread): it counts no more than this against any make-up,
/// so it cannot steer the fit.
const OUTLIER_Z: f64 = 3.0;
/// The 99 % point of χ² with one degree of freedom: make-ups whose misfit is within this of
/// the best one's are as likely at that level.
const CHI2_1_99: f64 = 6.635;
/// Readings through one faulty handset needed to measure the noise from how they scatter.
const MIN_GROUP: usize = 3;
/// A reading whose other sneak paths may pull it by less than this (Ω) counts as lone: a
/// display's last digit on a handset's reading.
const NEGLIGIBLE: f64 = 0.5;
/// A reading whose dearer parallel paths may pull it by up to this share of its path sum still
/// measures the noise, against the others through the same faulty handset: the pull is alike
/// for them all as far as the handsets' make-up goes (one make-up per entrance), and what
/// differs from one to the next is a small part of it. 2 %: a quarter of the pull a bad
/// contact under a ghost is looked for at.
const SHARED_MAX: f64 = 0.02;
/// Only ghosts reading within this fraction under their path sum are used to measure the
/// noise: far below is a handset in parallel (a bad contact), not noise.
const USABLE_UNDER: f64 = 0.15;
/// … or this fraction above (a ghost cannot read above its path; more is a range drop).
const USABLE_OVER: f64 = 0.05;
/// Squared deviations kept (the lowest) when estimating the noise: a bad contact behind a ghost
/// or a misread pulls a few far off.
const TRIM_KEEP: f64 = 0.8;
/// The mean of the lowest 80 % of squared standard-normal deviates: P(χ²₃ ≤ 1.642) ÷ 0.8
/// (1.642 is χ²₁'s 80 % point), which turns that trimmed mean into a variance.
const TRIMMED_CHI2_1: f64 = 0.437;
/// The trimmed variance is worth about this share of its readings' worth of a plain one.
const TRIMMED_EFFICIENCY: f64 = 0.6;

/// How far a sum of the levels' weights may fall short of what it is by floating-point
/// rounding: far above a few dozen additions' error (about 1e-15), far under any weight the
/// sweep leaves a level.
const SUM_ROUNDING: f64 = 1e-12;

/// The wire one faulty handset's sneak paths double count, measured on its ghosts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Offset {
    /// The faulty handset's crossing.
    pub(super) cell: usize,
    /// The double-counted wire, Ω.
    pub(super) ohms: f64,
    /// Its standard error, Ω.
    pub(super) sd: f64,
    /// Ghosts it was measured on.
    pub(super) ghosts: usize,
}

/// A range of handset make-ups, lowest and highest (`predict.rs`: 0 shares current most
/// readily, 1 least).
pub(super) type MakeUp = (f64, f64);

/// The meter's noise and the wiring, as the sweep measured them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Noise {
    /// Relative standard deviation of one reading.
    pub(super) rel: f64,
    /// Residuals it was measured on (0: the prior alone).
    pub(super) from: usize,
    /// Measured double-counted wire, by faulty handset.
    pub(super) offsets: Vec<Offset>,
    /// The range of handset make-ups (`predict.rs`: 0 shares current most readily, 1 least)
    /// the entrance's ghosts through parallel paths show: all of 0–1 until measured.
    pub(super) make_up: (f64, f64),
    /// The meter's relative noise as a probability: (level, weight) pairs, the weights
    /// summing to one. The prior spreads it evenly on a log scale over the field's range; the
    /// sweep's lone readings update it. `rel` above is a cautious point for the stages that
    /// need one; a ghost's shortfall is weighed with the noise integrated out over these.
    /// At most `HANDED_ON` levels, merged from the `LEVELS` the probability is worked out on.
    pub(super) levels: Vec<(f64, f64)>,
    /// The median and 95th percentile of that probability, read off all `LEVELS` before they
    /// are merged.
    quantiles: (f64, f64),
    /// The lone readings the wire was measured on, by faulty handset: what `leaving_out`
    /// measures it again from.
    through: Vec<(usize, Through)>,
    /// The forward ghost left out of what was measured (`leaving_out`).
    skip: Option<usize>,
    /// What the lone readings say about the noise, level by level.
    said: Said,
}

impl Noise {
    /// The noise before anything is measured.
    pub(super) fn prior() -> Noise {
        Noise {
            rel: PRIOR_NOISE,
            from: 0,
            offsets: Vec::new(),
            make_up: (0.0, 1.0),
            levels: PRIOR.0.clone(),
            quantiles: PRIOR.1,
            through: Vec::new(),
            skip: None,
            said: Said::nothing(),
        }
    }

    /// The same sweep read by a meter known to scatter by `rel`, for predictions through the
    /// faulty handsets at crossings `cells`: their wire's standard errors measured again at
    /// that noise, and the noise a single level (the lone readings are not carried: nothing is
    /// measured again from it).
    pub(super) fn with_rel(&self, rel: f64, cells: &[usize]) -> Noise {
        let mut out = Noise {
            rel,
            from: self.from,
            offsets: Vec::new(),
            make_up: self.make_up,
            levels: vec![(rel, 1.0)],
            quantiles: (rel, rel),
            through: Vec::new(),
            skip: self.skip,
            said: Said::nothing(),
        };
        out.offsets = self
            .through
            .iter()
            .filter(|(cell, _)| cells.contains(cell))
            .filter_map(|(cell, t)| {
                let min = if self.skip.is_some_and(|i| t.holds_strict(i)) {
                    MIN_GHOSTS - 1
                } else {
                    MIN_GHOSTS
                };
                offset_of(*cell, t, rel, min, self.skip)
            })
            .collect();
        out
    }

    /// The same, the meter known to scatter by `rel` (for tests of later stages).
    #[cfg(test)]
    pub(super) fn steady(mut self, rel: f64) -> Noise {
        self.rel = rel;
        self.levels = vec![(rel, 1.0)];
        self.quantiles = (rel, rel);
        self
    }

    /// The lowest and highest noise level still possible.
    pub(super) fn level_range(&self) -> (f64, f64) {
        let r = self.levels.iter().map(|l| l.0);
        (
            r.clone().fold(f64::INFINITY, f64::min),
            r.fold(0.0, f64::max),
        )
    }

    /// The noise and wiring as the sweep measures them without crossing `i`'s own forward
    /// reading, when that reading is one the wire was measured on (None otherwise): a ghost's
    /// band must not be drawn from the reading it is weighed against, or a bad contact under
    /// its ghost pulls its own band down towards it (with two or three ghosts through one
    /// faulty handset, by a third to a half of its pull).
    pub(super) fn leaving_out(&self, i: usize) -> Option<Noise> {
        if !self.through.iter().any(|(_, t)| t.holds(i)) {
            return None;
        }
        let mut out = self.clone();
        out.skip = Some(i);
        // The noise, as what the other readings say (the same when the ghost is one of more
        // than `LEAVE_OUT_MAX` through its handset: nothing is weighed again).
        let again = |(_, t): &(usize, Through)| t.holds(i) && t.ghosts.len() <= LEAVE_OUT_MAX;
        if self.levels.len() > 1 && self.through.iter().any(again) {
            out.levels = hand_on(&posterior_weights(&self.said.without(&self.through, i)));
        }
        for (cell, t) in self.through.iter().filter(|(_, t)| t.holds_strict(i)) {
            out.offsets.retain(|o| o.cell != *cell);
            // The rest measure it as before, one ghost fewer.
            out.offsets
                .extend(offset_of(*cell, t, self.rel, MIN_GHOSTS - 1, Some(i)));
        }
        Some(out)
    }

    /// The variance of one reading of `ohms`: the meter's relative noise, its display step
    /// (a rounding error spread evenly over one step) and a probe contact, Ω².
    pub(super) fn var(&self, g: &Grid, ohms: f64) -> f64 {
        let step = g.step(ohms);
        (self.rel * ohms).powi(2) + step * step / 12.0 + CONTACT_SD * CONTACT_SD
    }

    /// The measured double-counted wire of the faulty handset at crossing `cell`, if any.
    pub(super) fn offset(&self, cell: usize) -> Option<Offset> {
        self.offsets.iter().find(|o| o.cell == cell).copied()
    }

    /// What the sweep measured, for the report.
    pub(super) fn measured(&self) -> Measured {
        let mut wires: Vec<f64> = self.offsets.iter().map(|o| o.ohms).collect();
        wires.sort_by(f64::total_cmp);
        Measured {
            noise: self.rel,
            noise_from: self.from,
            // A double count is never negative; a median under zero is the noise.
            wiring: (!wires.is_empty()).then(|| median(&wires).max(0.0)),
            noise_median: self.quantiles.0,
            noise_median_from: self.lone_in_groups(),
            noise_p95: self.quantiles.1,
        }
    }

    /// Lone readings in groups of two or more, and both readings of each pair that must
    /// agree: what the noise's probability rests on.
    fn lone_in_groups(&self) -> usize {
        let counted = |v: &Vec<Lone>| if v.len() >= 2 { v.len() } else { 0 };
        let lone: usize = (self.through.iter())
            .map(|(_, t)| counted(&t.ghosts) + counted(&t.units_side) + counted(&t.tens_side))
            .sum();
        lone + 2 * self.said.pairs
    }
}

/// One reading through a single sneak path with one faulty handset on it: a forward ghost,
/// or a D–D or E–E reading.
#[derive(Debug, Clone, PartialEq)]
struct Lone {
    /// The crossing of a forward ghost; None for a D–D or E–E reading.
    cell: Option<usize>,
    /// Its path sum less its reading, Ω.
    shortfall: f64,
    /// √(Σ reading²) over the readings that vary from one such reading to the next (all but
    /// the faulty handset's, common to all): how far the relative noise moves the shortfall.
    scale: f64,
    /// The variance the display steps and the probe contacts add, Ω².
    fixed: f64,
    /// Its path sum, Ω: what the usable window of shortfalls scales with.
    sum: f64,
    /// True when no other sneak path pulls it by more than `NEGLIGIBLE`: only these measure
    /// the wire (and the cautious point noise); the rest measure the noise's probability.
    strict: bool,
}

/// The lone readings through one faulty handset, by what they double count.
#[derive(Debug, Clone, Default, PartialEq)]
struct Through {
    /// Forward ghosts: both its lines' wire, twice, and two contacts.
    ghosts: Vec<Lone>,
    /// D–D readings (tens line → handset → its units line → it): its units line's wire
    /// twice, and a contact.
    units_side: Vec<Lone>,
    /// E–E readings (its units line → it → its tens line → handset): its tens line's wire
    /// twice, and a contact.
    tens_side: Vec<Lone>,
}

impl Through {
    /// True when the forward ghost at crossing `i` is one of these.
    fn holds(&self, i: usize) -> bool {
        self.ghosts.iter().any(|l| l.cell == Some(i))
    }

    /// True when the forward ghost at crossing `i` is one the wire was measured on.
    fn holds_strict(&self, i: usize) -> bool {
        self.ghosts.iter().any(|l| l.strict && l.cell == Some(i))
    }

    /// The readings of this group that measure the wire.
    fn strict(group: &[Lone]) -> Vec<Lone> {
        group.iter().filter(|l| l.strict).cloned().collect()
    }
}

/// The median shortfall of `v`, and how many.
fn centre(v: &[Lone]) -> Option<(f64, usize)> {
    if v.is_empty() {
        return None;
    }
    let mut s: Vec<f64> = v.iter().map(|l| l.shortfall).collect();
    s.sort_by(f64::total_cmp);
    Some((median(&s), v.len()))
}

/// The readings the sweep measures the noise and the wiring on: every forward reading that
/// may be a ghost (`ghosts`, with its sneak paths) and every D–D or E–E reading that runs
/// through a single sneak path with one faulty handset on it, close to its sum, grouped by
/// that handset.
fn lone_readings(
    g: &Grid,
    net: &Network,
    kept: &PairPaths,
    ghosts: &[(usize, f64, Paths)],
) -> Vec<(usize, Through)> {
    let prior = Noise::prior();
    let mut by_element: Vec<(usize, Through)> = Vec::new();
    let mut add = |p: &Paths, reading: f64, side: Side, cell: Option<usize>| {
        let path = p.best();
        let elements = path.hops().iter().filter(|h| h.element_cell().is_some());
        if elements.count() != 1 {
            return;
        }
        let sharing = if p.lone() {
            0.0
        } else {
            predict::sharing(p, net.typ)
        };
        if sharing > SHARED_MAX * path.sum {
            return;
        }
        let strict = sharing <= NEGLIGIBLE;
        // Dearer paths pull it by 0 to `sharing`, alike for every reading through this
        // handset as far as their make-up goes: taken at the middle.
        let shortfall = path.sum - reading - if strict { 0.0 } else { sharing / 2.0 };
        if shortfall > USABLE_UNDER * path.sum || -shortfall > USABLE_OVER * path.sum {
            return;
        }
        let varying = path.hops().iter().filter(|h| h.element_cell().is_none());
        let scale =
            (varying.clone().map(|h| h.ohms * h.ohms).sum::<f64>() + reading * reading).sqrt();
        let fixed = varying
            .map(|h| h.ohms)
            .chain([reading])
            .map(|x| prior.var(g, x) - (prior.rel * x).powi(2))
            .sum();
        let lone = Lone {
            cell,
            shortfall,
            scale,
            fixed,
            sum: path.sum,
            strict,
        };
        let via = path.via();
        let at = match by_element.iter().position(|(c, _)| *c == via) {
            Some(k) => k,
            None => {
                by_element.push((via, Through::default()));
                by_element.len() - 1
            }
        };
        let t = &mut by_element[at].1;
        match side {
            Side::Both => t.ghosts.push(lone),
            Side::Units => t.units_side.push(lone),
            Side::Tens => t.tens_side.push(lone),
        }
    };
    for &(i, f, ref p) in ghosts {
        add(p, f, Side::Both, Some(i));
    }
    let same = kept.same(net);
    for (k, m) in kept.measured().iter().enumerate() {
        let Reading::Ohms(v) = m.reading else {
            continue;
        };
        let side = match (m.plus.kind, m.minus.kind) {
            (LineKind::Tens, LineKind::Tens) => Side::Units,
            (LineKind::Units, LineKind::Units) => Side::Tens,
            _ => continue,
        };
        if let Some(p) = kept.of(net, same, k) {
            add(&p, v, side, None);
        }
    }
    by_element
}

/// Which wire a lone reading double counts.
#[derive(Clone, Copy)]
enum Side {
    Both,
    Units,
    Tens,
}

/// Measures the noise and the double-counted wire on the lone readings through `net`'s E→D
/// elements: forward ghosts (`is_candidate` says which crossings may be ghosts) and the
/// sweep's D–D and E–E readings `bus`.
pub(super) fn measure(
    g: &Grid,
    net: &Network,
    cal: &Calibration,
    kept: &PairPaths,
    is_candidate: impl Fn(usize) -> bool,
) -> Noise {
    // Every forward reading that may be a ghost, with its sneak paths: both measurements
    // below read them.
    let ghosts: Vec<(usize, f64, Paths)> = (0..g.len())
        .filter_map(|i| {
            let f = g.fi(i).filter(|_| is_candidate(i))?;
            let (t, u) = g.tu(i);
            Some((i, f, net.paths(Node::D(t), Node::E(u), Some(i))?))
        })
        .collect();
    let by_element = lone_readings(g, net, kept, &ghosts);

    // Noise: each reading's shortfall against the median of its fellows' (leave one out, so a
    // group of three still scatters as it should), as an estimate of the relative variance.
    let mut rel_var: Vec<f64> = Vec::new();
    for (_, t) in &by_element {
        for group in [&t.ghosts, &t.units_side, &t.tens_side] {
            let group = &Through::strict(group);
            let n = group.len();
            if n < MIN_GROUP {
                continue;
            }
            for (k, gh) in group.iter().enumerate() {
                let mut others: Vec<f64> = group
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                    .map(|(_, o)| o.shortfall)
                    .collect();
                others.sort_by(f64::total_cmp);
                // The median of n − 1 values scatters π/2 times as much as their mean.
                let inflate = 1.0 + std::f64::consts::FRAC_PI_2 / (n - 1) as f64;
                let e = gh.shortfall - median(&others);
                rel_var.push((e * e / inflate - gh.fixed).max(0.0) / (gh.scale * gh.scale));
            }
        }
    }
    let n = rel_var.len();
    let rel = if n == 0 {
        PRIOR_NOISE
    } else {
        rel_var.sort_by(f64::total_cmp);
        // The mean of the lowest 80 % (a bad contact pulls a few far off; the rest scatter
        // as the noise does).
        let kept = ((n as f64 * TRIM_KEEP).ceil() as usize).clamp(1, n);
        let trimmed = rel_var[..kept].iter().sum::<f64>() / kept as f64;
        let measured = (trimmed / TRIMMED_CHI2_1).sqrt().max(MIN_NOISE);
        // Pooled with the prior on a log scale (a meter's noise spans decades; the prior
        // counts for `PRIOR_WEIGHT` residuals), then what that says at most (one time in four
        // it is more): a handful of residuals that happen to agree must not make the meter
        // look steadier than it is (in a study of 3000 simulated field entrances, five
        // residuals put a 0.94 % meter at 0.46 %, and an empty crossing 4.7 deviations under
        // its band).
        let worth = n as f64 * TRIMMED_EFFICIENCY;
        let pooled = ((PRIOR_WEIGHT * PRIOR_NOISE.ln() + worth * measured.ln())
            / (PRIOR_WEIGHT + worth))
            .exp();
        let bound = pooled * upper_bound(worth + PRIOR_WEIGHT);
        // The handsets' own spread holds the meter's noise too: it cannot scatter more.
        bound.min(cal.spread.max(MIN_NOISE))
    }
    .max(MIN_NOISE);

    // Wiring: each faulty handset's median shortfall, from its ghosts or from its two sides.
    let offsets = by_element
        .iter()
        .filter_map(|(cell, t)| offset_of(*cell, t, rel, MIN_GHOSTS, None))
        .collect();
    let mut said = Said::of(&by_element);
    said.add_pairs(&pairs::select(g, cal));
    let mut noise = Noise {
        rel,
        from: n,
        offsets,
        make_up: (0.0, 1.0),
        levels: hand_on(&posterior_weights(&said.total)),
        quantiles: quantiles(&posterior_levels(&said.total)),
        said,
        through: by_element,
        skip: None,
    };
    noise.make_up = make_up(g, net, &noise, &ghosts);
    noise
}

/// The wire the sneak paths through the faulty handset at `cell` double count, measured on
/// its lone readings `t` (a meter of relative noise `rel`): the median shortfall of at least
/// `min_ghosts` forward ghosts, or of its two sides, or both weighed by how sure each is; the
/// ghost at crossing `skip` left out. None when too few say, or what they say is no wire.
fn offset_of(
    cell: usize,
    t: &Through,
    rel: f64,
    min_ghosts: usize,
    skip: Option<usize>,
) -> Option<Offset> {
    let ghosts: Vec<Lone> = t
        .ghosts
        .iter()
        .filter(|l| l.strict && (skip.is_none() || l.cell != skip))
        .cloned()
        .collect();
    let (units_side, tens_side) = (
        Through::strict(&t.units_side),
        Through::strict(&t.tens_side),
    );
    let spread = |v: &[Lone]| {
        v.iter()
            .map(|l| (rel * l.scale).powi(2) + l.fixed)
            .sum::<f64>()
            / v.len().max(1) as f64
    };
    // The standard error of a median is √(π/2) times that of a mean.
    let se = |v: &[Lone]| (std::f64::consts::FRAC_PI_2 * spread(v) / v.len() as f64).sqrt();
    let from_ghosts = centre(&ghosts)
        .filter(|(_, n)| *n >= min_ghosts.max(1))
        .map(|(c, n)| (c, se(&ghosts), n));
    let from_sides = match (centre(&units_side), centre(&tens_side)) {
        (Some((a, na)), Some((b, nb))) if na >= MIN_SIDE && nb >= MIN_SIDE => Some((
            a + b,
            (se(&units_side).powi(2) + se(&tens_side).powi(2)).sqrt(),
            na + nb,
        )),
        _ => None,
    };
    // Both: weighed by how sure each is.
    let (ohms, sd, ghosts) = match (from_ghosts, from_sides) {
        (Some((a, sa, na)), Some((b, sb, nb))) => {
            let (wa, wb) = (1.0 / (sa * sa).max(1e-9), 1.0 / (sb * sb).max(1e-9));
            (
                (a * wa + b * wb) / (wa + wb),
                (1.0 / (wa + wb)).sqrt(),
                na + nb,
            )
        }
        (one, other) => one.or(other)?,
    };
    // Beyond what a riser holds is not wiring: something the model does not know; keep the
    // prior.
    let wiring = (-WIRE_MAX..=2.0 * WIRE_MAX).contains(&ohms);
    // A double count is never negative (wire and probe contacts only add to the sum), nor
    // more than the lines' wire and contacts: a shortfall measured under zero is the noise,
    // and the wire it leaves possible lies above zero; one measured far more noisily than
    // risers hold wire lies anywhere they allow, not a deviation over it. Taken as measured, a riser with no wire whose sides read −1.65 ± 1.5 Ω set a
    // ghost's band 1.65 Ω over its path sum, and an empty flat 6 Ω under the sum (2.5 of its
    // deviations) was named a bad contact at 94 % (seeds 309-311, lab meter).
    let (ohms, sd) = within(ohms, sd, 0.0, WIRE_MAX);
    wiring.then_some(Offset {
        cell,
        ohms,
        sd,
        ghosts,
    })
}

/// The range of handset make-ups the ghosts through parallel paths show, fitted to all of them
/// at once: each make-up is scored by how far every such ghost reads from what its paths give
/// at that make-up, in standard deviations of that prediction (a ghost whose dearer paths
/// carry little says little, however its reading falls). The make-ups within the 99 %
/// likelihood interval of the best one (its threshold scaled up by how much more the ghosts
/// scatter than their noise explains: handsets differ in make-up too) are kept, widened by
/// `MAKE_UP_MARGIN` and by how the ghosts' own make-ups spread (`handsets_spread`); 0–1 when
/// too few ghosts say.
fn make_up(g: &Grid, net: &Network, noise: &Noise, candidates: &[(usize, f64, Paths)]) -> MakeUp {
    let mut ghosts = MadeUps::default();
    for &(_, f, ref p) in candidates {
        if f >= p.cheapest() * (1.0 + USABLE_OVER) {
            continue;
        }
        if let Some(m) = predict::across_make_ups(p, g, noise, net.typ) {
            ghosts.add(m, f);
        }
    }
    ghosts.range()
}

/// The ghosts a make-up range is measured on: each one's misfit at each make-up of the grid
/// (in its prediction's deviations, squared, at most `OUTLIER_Z` squared) and the make-up it
/// reads at, if it places one of its own (`PLACED_Z`).
#[derive(Default)]
struct MadeUps {
    misfits: Vec<[f64; MAKE_UP_STEPS + 1]>,
    own: Vec<Option<f64>>,
}

impl MadeUps {
    /// The make-up `k` of the grid (0–1 in `MAKE_UP_STEPS` steps).
    fn at(k: usize) -> f64 {
        k as f64 / MAKE_UP_STEPS as f64
    }

    /// Adds a ghost reading `f`, whose paths read `m` across the make-ups.
    fn add(&mut self, m: predict::MadeUp, f: f64) {
        let mut misfit = [0.0; MAKE_UP_STEPS + 1];
        for (k, x) in misfit.iter_mut().enumerate() {
            *x = ((f - m.at(Self::at(k))) / m.sd)
                .powi(2)
                .min(OUTLIER_Z * OUTLIER_Z);
        }
        let placed = (m.at(1.0) - m.at(0.0)).abs() >= PLACED_Z * m.sd;
        let own = placed.then(|| {
            let k = (0..=MAKE_UP_STEPS)
                .min_by(|&a, &b| {
                    (f - m.at(Self::at(a)))
                        .abs()
                        .total_cmp(&(f - m.at(Self::at(b))).abs())
                })
                .unwrap_or(0);
            Self::at(k)
        });
        self.misfits.push(misfit);
        self.own.push(own);
    }

    /// The make-up range the ghosts show.
    fn range(&self) -> MakeUp {
        let n = self.misfits.len();
        if n < MIN_MAKE_UP {
            return (0.0, 1.0);
        }
        let mut chi2 = [0.0; MAKE_UP_STEPS + 1];
        for misfit in &self.misfits {
            for (c, x) in chi2.iter_mut().zip(misfit) {
                *c += x;
            }
        }
        let best = chi2.iter().copied().fold(f64::INFINITY, f64::min);
        let dof = (n - 1).max(1) as f64;
        let threshold = best + CHI2_1_99 * (best / dof).max(1.0);
        let kept = |k: &usize| chi2[*k] <= threshold;
        let lo = (0..=MAKE_UP_STEPS).find(kept).map_or(0.0, Self::at) - MAKE_UP_MARGIN;
        let hi = (0..=MAKE_UP_STEPS).rfind(kept).map_or(1.0, Self::at) + MAKE_UP_MARGIN;
        let own: Vec<f64> = self.own.iter().flatten().copied().collect();
        let (lo, hi) = match handsets_spread(own) {
            Some((p_lo, p_hi)) => (lo.min(p_lo), hi.max(p_hi)),
            None => (lo, hi),
        };
        (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0))
    }
}

/// The make-ups of the entrance's handsets, as far as the ghosts that each place their own
/// (`own`, the make-up each reads at) show them: the fit finds the make-up they share, but
/// each ghost runs through its own handsets, which differ. The middle 99 % of their make-ups,
/// from their median and robust spread, is where a new ghost's handsets may be. None when
/// fewer than `MIN_PLACED` ghosts place theirs.
fn handsets_spread(mut own: Vec<f64>) -> Option<(f64, f64)> {
    if own.len() < MIN_PLACED {
        return None;
    }
    own.sort_by(f64::total_cmp);
    let mid = median(&own);
    let mut dev: Vec<f64> = own.iter().map(|a| (a - mid).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let sd = MAD_TO_SIGMA * median(&dev);
    Some((mid - Z_99 * sd, mid + Z_99 * sd))
}

/// (level, weight) pairs.
type Levels = Vec<(f64, f64)>;

/// The prior as handed on (`hand_on`), and its median and 95th percentile: worked out once, as
/// every stage starts from it.
static PRIOR: LazyLock<(Levels, (f64, f64))> = LazyLock::new(|| {
    (
        hand_on(&posterior_weights(&[0.0; LEVELS])),
        quantiles(&prior_levels()),
    )
});

/// The noise level `k` of `LEVELS`.
fn level(k: usize) -> f64 {
    MIN_NOISE * (MAX_NOISE / MIN_NOISE).powf(k as f64 / (LEVELS - 1) as f64)
}

/// The prior: every level of the field's range alike on a log scale (a meter's noise spans
/// decades, and nothing about a meter says where in the range it falls before it is read).
fn prior_levels() -> Vec<(f64, f64)> {
    (0..LEVELS)
        .map(|k| (level(k), 1.0 / LEVELS as f64))
        .collect()
}

/// The median and 95th percentile of a probability over the noise levels `levels`.
fn quantiles(levels: &[(f64, f64)]) -> (f64, f64) {
    (quantile(levels, 0.5), quantile(levels, 0.95))
}

/// The `q` quantile of a probability over the noise levels `levels` (the lowest level with at
/// least `q` of the weight at or under it).
fn quantile(levels: &[(f64, f64)], q: f64) -> f64 {
    let mut below = 0.0;
    for &(rel, w) in levels {
        below += w;
        // Weights of 1/n sum to a hair under a half by the (n/2)th: rounding, not weight.
        if below >= q - SUM_ROUNDING {
            return rel;
        }
    }
    levels.last().map_or(PRIOR_NOISE, |l| l.0)
}

/// The probability `weights` over the `LEVELS` merged down to at most `HANDED_ON` levels for
/// the stages that weigh every ghost at each: the two neighbours whose merging moves least are
/// merged, again and again. Merging weights w₁, w₂ at log levels x₁, x₂ into one at their
/// weighted mean moves the probability's log-variance by w₁w₂/(w₁ + w₂)·(x₁ − x₂)² (Ward's
/// criterion): levels the sweep leaves nearly impossible merge first, then flat stretches,
/// while a sharp peak keeps its fine steps. A merged level sits at the weighted root mean
/// square of its levels: a ghost's band variance is linear in the level squared, so the mixture
/// of bands keeps its variance.
fn hand_on(weights: &[f64; LEVELS]) -> Vec<(f64, f64)> {
    // Each merged level: (weight, Σ w·k over its levels k, Σ w·level²). The log levels are
    // evenly spaced, so k stands for them (the criterion only compares merges).
    let step2 = (MAX_NOISE / MIN_NOISE).powf(2.0 / (LEVELS - 1) as f64);
    let mut square = MIN_NOISE * MIN_NOISE;
    let mut merged: Vec<(f64, f64, f64)> = Vec::with_capacity(LEVELS);
    let mut last_negligible = false;
    for (k, &w) in weights.iter().enumerate() {
        let level = (w, w * k as f64, w * square);
        square *= step2;
        // A run of negligible levels is one merged level at once: merging them costs next
        // to nothing by the criterion, and doing it first saves the search.
        let negligible = w < NEGLIGIBLE_WEIGHT;
        match merged.last_mut() {
            Some(m) if negligible && last_negligible => {
                *m = (m.0 + w, m.1 + level.1, m.2 + level.2)
            }
            _ => merged.push(level),
        }
        last_negligible = negligible;
    }
    let cost = |a: &(f64, f64, f64), b: &(f64, f64, f64)| {
        if a.0 <= 0.0 || b.0 <= 0.0 {
            return 0.0;
        }
        a.0 * b.0 / (a.0 + b.0) * (a.1 / a.0 - b.1 / b.0).powi(2)
    };
    // costs[k]: of merging merged[k] with merged[k + 1].
    let mut costs: Vec<f64> = merged.windows(2).map(|p| cost(&p[0], &p[1])).collect();
    while merged.len() > HANDED_ON {
        let k = (0..costs.len())
            .min_by(|&a, &b| costs[a].total_cmp(&costs[b]))
            .unwrap_or(0);
        let b = merged.remove(k + 1);
        let a = &mut merged[k];
        *a = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
        costs.remove(k);
        if k > 0 {
            costs[k - 1] = cost(&merged[k - 1], &merged[k]);
        }
        if k < costs.len() {
            costs[k] = cost(&merged[k], &merged[k + 1]);
        }
    }
    merged
        .iter()
        .filter(|m| m.0 > 0.0)
        .map(|m| ((m.2 / m.0).sqrt(), m.0))
        .collect()
}

/// What the lone readings say about the meter's noise, level by level of `LEVELS`.
#[derive(Debug, Clone, PartialEq)]
struct Said {
    /// The log likelihood of every level, all groups together.
    total: [f64; LEVELS],
    /// The part of it each faulty handset's forward ghosts give, in the order of `through`:
    /// how they scatter, and how the wire they double count agrees with its two sides'.
    ghosts: Vec<[f64; LEVELS]>,
    /// Pairs of readings that must agree (`pairs.rs`) it includes.
    pairs: usize,
}

impl Said {
    /// Nothing said: every level alike.
    fn nothing() -> Said {
        Said {
            total: [0.0; LEVELS],
            ghosts: Vec::new(),
            pairs: 0,
        }
    }

    /// Every group of readings through one faulty handset that double count the same wire
    /// (its ghosts; its D–D readings; its E–E readings) says how far they scatter around each
    /// other, whatever that wire is.
    fn of(through: &[(usize, Through)]) -> Said {
        let mut said = Said {
            total: [0.0; LEVELS],
            ghosts: Vec::with_capacity(through.len()),
            pairs: 0,
        };
        for (_, t) in through {
            let ghosts = add(
                group_log_likelihoods(&t.ghosts),
                sides_log_likelihoods(t, None),
            );
            for part in [
                ghosts,
                group_log_likelihoods(&t.units_side),
                group_log_likelihoods(&t.tens_side),
            ] {
                for (sum, p) in said.total.iter_mut().zip(part) {
                    *sum += p;
                }
            }
            said.ghosts.push(ghosts);
        }
        said
    }

    /// Adds what the pairs of readings that must agree say, level by level: none of them is
    /// a forward ghost, so none is ever left out.
    fn add_pairs(&mut self, found: &[pairs::Pair]) {
        for (k, sum) in self.total.iter_mut().enumerate() {
            *sum += pairs::log_likelihood(found, level(k));
        }
        self.pairs += found.len();
    }

    /// The same, the forward ghost at crossing `i` left out: the ghosts through its faulty
    /// handset weighed again without it, when they are few enough that one reading moves
    /// what they say (among more, the chance that any one is a stray already bounds it).
    fn without(&self, through: &[(usize, Through)], i: usize) -> [f64; LEVELS] {
        let mut total = self.total;
        for ((_, t), part) in through.iter().zip(&self.ghosts) {
            if !t.holds(i) || t.ghosts.len() > LEAVE_OUT_MAX {
                continue;
            }
            let rest: Vec<Lone> = t
                .ghosts
                .iter()
                .filter(|l| l.cell != Some(i))
                .cloned()
                .collect();
            let again = add(
                group_log_likelihoods(&rest),
                sides_log_likelihoods(t, Some(i)),
            );
            for ((sum, a), p) in total.iter_mut().zip(again).zip(part) {
                *sum += a - p;
            }
        }
        total
    }
}

/// Two log likelihoods of every level, added.
fn add(a: [f64; LEVELS], b: [f64; LEVELS]) -> [f64; LEVELS] {
    let mut out = a;
    for (o, x) in out.iter_mut().zip(b) {
        *o += x;
    }
    out
}

/// The log likelihood of each noise level for how the wire the forward ghosts through one
/// faulty handset double count agrees with what its two sides do (`Through`), the forward
/// ghost at crossing `skip` left out (nothing said without a reading of each).
fn sides_log_likelihoods(t: &Through, skip: Option<usize>) -> [f64; LEVELS] {
    let mut out = [0.0; LEVELS];
    if !(t.units_side.iter().any(|l| l.strict) && t.tens_side.iter().any(|l| l.strict)) {
        return out;
    }
    let strict = |v: &[Lone]| -> Vec<Lone> {
        (v.iter())
            .filter(|l| l.strict && (skip.is_none() || l.cell != skip))
            .cloned()
            .collect()
    };
    let groups = [
        strict(&t.ghosts),
        strict(&t.units_side),
        strict(&t.tens_side),
    ];
    if groups.iter().any(Vec::is_empty) {
        return out;
    }
    let mut at = [0.0; EVALUATED];
    for (k, a) in at.iter_mut().enumerate() {
        *a = sides_log_likelihood(&groups, level(k * PER_STEP));
    }
    for (j, o) in out.iter_mut().enumerate() {
        *o = between_evaluated(&at, j);
    }
    out
}

/// The log likelihood of a meter of relative noise `rel` for how the wire the forward ghosts
/// `groups[0]` through one faulty handset double count agrees with what its D–D and E–E
/// readings (`groups[1]`, `groups[2]`) do. A forward ghost's sum counts the wire of both the
/// handset's lines twice, and a contact twice; a D–D reading's, its units line's and a
/// contact; an E–E reading's, its tens line's and a contact: so the ghosts' wire is the two
/// sides' together, and how far their means part says how noisy the readings are, as how
/// each group scatters does (`group_log_likelihood`, which leaves each group's wire free:
/// seeds 256-258, three ghosts agreeing within 4 Ω, and each side's two readings within 4 Ω,
/// made a 0.73 % meter look like a 0.1 % one, while the ghosts' wire of 35 Ω stood 56 Ω
/// under the sides' 91 Ω, and an empty flat 1.5 % under its ghost band was named a bad
/// contact). Any one reading may be a stray (`STRAY`), which leaves its group's mean out of
/// the agreement; a group with none left says nothing of it (evenly over the window its
/// mean may lie in).
fn sides_log_likelihood(groups: &[Vec<Lone>; 3], rel: f64) -> f64 {
    let means = [0, 1, 2].map(|k| Mean::of(&groups[k], rel));
    let n: usize = groups.iter().map(Vec::len).sum();
    let window = (USABLE_UNDER + USABLE_OVER) * groups[0][0].sum;
    let agreement = |s: &[Mean; 3]| -> f64 {
        if s.iter().any(|x| x.m == 0) {
            return -window.ln();
        }
        // The ghosts' mean less the two sides', and its variance.
        let mean = |x: &Mean| x.first / x.weight;
        let d = mean(&s[0]) - mean(&s[1]) - mean(&s[2]);
        let v: f64 = s.iter().map(|x| 1.0 / x.weight).sum();
        -0.5 * ((2.0 * std::f64::consts::PI * v).ln() + d * d / v)
    };
    let clean = n as f64 * (1.0 - STRAY).ln() + agreement(&means);
    let stray = STRAY.ln() + (n - 1) as f64 * (1.0 - STRAY).ln();
    let strays = (0..3)
        .flat_map(|k| groups[k].iter().map(move |l| (k, l)))
        .map(|(k, l)| {
            let mut s = means;
            s[k] = s[k].without(l, rel);
            stray + agreement(&s)
        });
    log_sum([clean].into_iter().chain(strays))
}

/// The log likelihood of each noise level for one group of lone readings (nothing said by
/// fewer than two).
fn group_log_likelihoods(group: &[Lone]) -> [f64; LEVELS] {
    let mut out = [0.0; LEVELS];
    if group.len() >= 2 {
        let mut at = [0.0; EVALUATED];
        for (k, a) in at.iter_mut().enumerate() {
            *a = group_log_likelihood(group, level(k * PER_STEP));
        }
        for (j, o) in out.iter_mut().enumerate() {
            *o = between_evaluated(&at, j);
        }
    }
    out
}

/// Fine level `j`'s log likelihood from those at the evaluated levels `at`: the cubic through
/// the four evaluated levels nearest it (exact at an evaluated level).
fn between_evaluated(at: &[f64; EVALUATED], j: usize) -> f64 {
    if j.is_multiple_of(PER_STEP) {
        return at[j / PER_STEP];
    }
    // The first of the four nodes, and j's position from it in evaluated steps.
    let first = (j / PER_STEP).saturating_sub(1).min(EVALUATED - 4);
    let t = j as f64 / PER_STEP as f64 - first as f64;
    // Lagrange's basis on the nodes 0, 1, 2, 3.
    let basis = [
        -(t - 1.0) * (t - 2.0) * (t - 3.0) / 6.0,
        t * (t - 2.0) * (t - 3.0) / 2.0,
        -t * (t - 1.0) * (t - 3.0) / 2.0,
        t * (t - 1.0) * (t - 2.0) / 6.0,
    ];
    (0..4).map(|m| basis[m] * at[first + m]).sum()
}

/// The levels weighed by the log likelihoods `said` (the prior: all alike).
fn posterior_levels(said: &[f64; LEVELS]) -> Vec<(f64, f64)> {
    let w = posterior_weights(said);
    (0..LEVELS).map(|k| (level(k), w[k])).collect()
}

/// The weights of the levels by the log likelihoods `said` (the prior: all alike), summing to
/// one.
fn posterior_weights(said: &[f64; LEVELS]) -> [f64; LEVELS] {
    let best = said.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut w = said.map(|l| (l - best).exp());
    let total: f64 = w.iter().sum();
    for x in &mut w {
        *x /= total;
    }
    w
}

/// The log likelihood of a meter of relative noise `rel` for one group of lone readings that
/// double count one unknown wire: each reading's shortfall is that wire plus its own noise,
/// the wire integrated out (any value alike), so only how the readings scatter around each
/// other counts. Any one reading may be a stray (`STRAY`): spread evenly over the window of
/// shortfalls a lone reading is taken from, saying nothing about the noise.
fn group_log_likelihood(group: &[Lone], rel: f64) -> f64 {
    let n = group.len();
    // Each reading's variance and its logarithm, worked out once for all the strays.
    let vars: Vec<(f64, f64)> = (group.iter())
        .map(|l| {
            let v = Sums::var(l, rel);
            (v, v.ln())
        })
        .collect();
    let all = Sums::of(group, &vars);
    let clean = n as f64 * (1.0 - STRAY).ln() + all.log_likelihood();
    let stray = STRAY.ln() + (n - 1) as f64 * (1.0 - STRAY).ln();
    let strays = group.iter().zip(&vars).map(|(l, &v)| {
        let window = (USABLE_UNDER + USABLE_OVER) * l.sum;
        stray - window.ln() + all.without(l, v).log_likelihood()
    });
    log_sum([clean].into_iter().chain(strays))
}

/// The sums the restricted likelihood of normal readings with known variances and one
/// unknown mean (their common wire, under a flat prior) is made of.
#[derive(Clone, Copy)]
struct Sums {
    /// Readings.
    m: usize,
    /// Σ 1/v.
    weight: f64,
    /// Σ s/v.
    first: f64,
    /// Σ s²/v.
    second: f64,
    /// Σ ln v.
    log_dets: f64,
}

impl Sums {
    /// The variance of lone reading `l`'s shortfall at relative noise `rel`, Ω².
    fn var(l: &Lone, rel: f64) -> f64 {
        (rel * l.scale).powi(2) + l.fixed
    }

    /// The sums of `group`, each reading's variance and its logarithm given in `vars`.
    fn of(group: &[Lone], vars: &[(f64, f64)]) -> Sums {
        let mut s = Sums {
            m: group.len(),
            weight: 0.0,
            first: 0.0,
            second: 0.0,
            log_dets: 0.0,
        };
        for (l, &(v, ln_v)) in group.iter().zip(vars) {
            s.weight += 1.0 / v;
            s.first += l.shortfall / v;
            s.second += l.shortfall * l.shortfall / v;
            s.log_dets += ln_v;
        }
        s
    }

    /// The same, reading `l` of variance and logarithm `(v, ln_v)` left out.
    fn without(&self, l: &Lone, (v, ln_v): (f64, f64)) -> Sums {
        Sums {
            m: self.m - 1,
            weight: self.weight - 1.0 / v,
            first: self.first - l.shortfall / v,
            second: self.second - l.shortfall * l.shortfall / v,
            log_dets: self.log_dets - ln_v,
        }
    }

    /// The log likelihood: 0 for one reading or none (one reading about an unknown wire says
    /// nothing about the noise).
    fn log_likelihood(&self) -> f64 {
        if self.m < 2 {
            return 0.0;
        }
        let misfit = (self.second - self.first * self.first / self.weight).max(0.0);
        -0.5 * ((self.m - 1) as f64 * (2.0 * std::f64::consts::PI).ln()
            + self.log_dets
            + self.weight.ln()
            + misfit)
    }
}

/// The weighted mean of a group of readings with known variances (their common wire, under a
/// flat prior) and its weight: all that how two groups' wire agree needs (`Sums` without the
/// second moment and the determinant, which only how one group scatters needs).
#[derive(Clone, Copy)]
struct Mean {
    /// Readings.
    m: usize,
    /// Σ 1/v.
    weight: f64,
    /// Σ s/v.
    first: f64,
}

impl Mean {
    fn of(group: &[Lone], rel: f64) -> Mean {
        let mut s = Mean {
            m: group.len(),
            weight: 0.0,
            first: 0.0,
        };
        for l in group {
            let v = Sums::var(l, rel);
            s.weight += 1.0 / v;
            s.first += l.shortfall / v;
        }
        s
    }

    /// The same, reading `l` left out.
    fn without(&self, l: &Lone, rel: f64) -> Mean {
        let v = Sums::var(l, rel);
        Mean {
            m: self.m - 1,
            weight: self.weight - 1.0 / v,
            first: self.first - l.shortfall / v,
        }
    }
}

/// ln Σ eˣ over `terms`, without overflow: each term taken relative to the largest so far
/// (one exponential a term, one logarithm in all).
fn log_sum(terms: impl Iterator<Item = f64>) -> f64 {
    let (mut hi, mut sum) = (f64::NEG_INFINITY, 0.0);
    for x in terms {
        if x == f64::NEG_INFINITY {
            // eˣ = 0 adds nothing.
            continue;
        }
        if x <= hi {
            sum += (x - hi).exp();
        } else {
            sum = sum * (hi - x).exp() + 1.0;
            hi = x;
        }
    }
    hi + sum.ln()
}

/// How many times its estimate the standard deviation of `n` normal deviates may be, at 90 %
/// confidence: √(n / χ²₀.₁(n)), the quantile by the Wilson–Hilferty approximation.
fn upper_bound(n: f64) -> f64 {
    if n < 1.0 {
        return f64::INFINITY;
    }
    let k = 2.0 / (9.0 * n);
    let q = n * (1.0 - k - 0.6745 * k.sqrt()).max(1e-3).powi(3);
    (n / q).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate;
    use crate::diagnose::elements;
    use crate::diagnose::engine::ghost_candidate;
    use crate::diagnose::network::Node;
    use crate::diagnose::tests::{Bench, EMPTY, layout, short_with_two_ghosts};

    #[test]
    fn the_ghosts_of_one_short_measure_the_wire_their_sums_double_count_and_the_noise() {
        // A short at D4/E5; its six ghosts read 30 Ω under their path sums (the wire of D4 and
        // E5, twice), every reading scattered by 0.5 %.
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[4][5] = Some(12.0);
        b.backward(4, 5, 12.0);
        for &(t, u) in EMPTY {
            b.forward[t][u] = b.forward[t][u].map(|v| v - 30.0);
        }
        b.noisy(0.005);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, els) = elements::find(&g, &cal, &Noise::prior());
        let noise = measure(&g, &net, &cal, &PairPaths::walk(&net, &[]), |i| {
            ghost_candidate(&g, &cal, &els, i)
        });
        let wire = noise.offset(45).expect("measured on the six ghosts");
        assert!((wire.ohms - 30.0).abs() < 3.0 * wire.sd + 5.0, "{wire:?}");
        assert_eq!(wire.ghosts, 6);
        assert!(
            noise.rel > 0.002 && noise.rel < PRIOR_NOISE * 1.5,
            "{}",
            noise.rel
        );
    }

    #[test]
    fn what_the_noise_probability_rests_on_is_reported_with_its_median_and_95th_percentile() {
        // Before the sweep: every level alike on a log scale, so the median is the middle one
        // (0.24 %, the geometric mean of the field's range) and the 95th percentile 95 % of
        // the way up it (1.04 %), resting on nothing.
        let m = Noise::prior().measured();
        assert_eq!(m.noise_median_from, 0);
        assert!((m.noise_median - level(LEVELS / 2)).abs() < 1e-12, "{m:?}");
        assert!((m.noise_median - 0.00245).abs() < 1e-5, "{m:?}");
        assert!((m.noise_p95 - 0.0104).abs() < 1e-4, "{m:?}");
        // Six ghosts of one short, every reading scattered by 0.5 %: the probability rests
        // on the six and the short's own two readings (a 12 Ω resistor reads alike both
        // ways), and brackets the meter (its median within two levels, 1.33× each).
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[4][5] = Some(12.0);
        b.backward(4, 5, 12.0);
        b.noisy(0.005);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, els) = elements::find(&g, &cal, &Noise::prior());
        let m = measure(&g, &net, &cal, &PairPaths::walk(&net, &[]), |i| {
            ghost_candidate(&g, &cal, &els, i)
        })
        .measured();
        assert_eq!(m.noise_median_from, 6 + 2, "{m:?}");
        assert!(
            m.noise_median > 0.005 / 1.8 && m.noise_median < 0.005 * 1.8,
            "{m:?}"
        );
        assert!(m.noise_p95 >= m.noise_median, "{m:?}");
    }

    /// Fourteen empty crossings off D4, D7 and E5.
    const MANY_EMPTY: &[(usize, usize)] = &[
        (0, 0),
        (0, 3),
        (1, 2),
        (1, 8),
        (2, 1),
        (2, 6),
        (3, 3),
        (5, 8),
        (6, 1),
        (6, 7),
        (8, 0),
        (8, 4),
        (9, 6),
        (9, 9),
    ];

    /// Two reversed handsets on E5 (D4 and D7): every empty crossing reads through either,
    /// in parallel. Each ghost reads what its paths give at handset make-up `at` (0–1), every
    /// reading scattered by a 0.2 % meter.
    fn parallel_ghosts_at(at: f64) -> Noise {
        parallel_ghosts_each_at(EMPTY, 0.002, |_| at)
    }

    /// `parallel_ghosts_at` with the crossings `empty` empty, each ghost (by its place among
    /// them) reading at its own handsets' make-up `at(k)`.
    fn parallel_ghosts_each_at(
        empty: &[(usize, usize)],
        rel: f64,
        at: impl Fn(usize) -> f64,
    ) -> Noise {
        let mut b = Bench::healthy(1.0, empty);
        for t in [4, 7] {
            b.forward[t][5] = None;
            b.backward(t, 5, 700.0);
        }
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        for (k, &(t, u)) in empty.iter().enumerate() {
            let i = g.idx(t, u);
            if let Some(p) = net.paths(Node::D(t), Node::E(u), Some(i)) {
                let m = predict::across_make_ups(&p, &g, &Noise::prior(), cal.typ);
                b.forward[t][u] = m.map(|m| m.at(at(k))).or(Some(p.cheapest()));
            }
        }
        b.noisy(rel);
        let g = Grid::new(&b.sweep(), &l);
        let (net, els) = elements::find(&g, &cal, &Noise::prior());
        measure(&g, &net, &cal, &PairPaths::walk(&net, &[]), |i| {
            ghost_candidate(&g, &cal, &els, i)
        })
    }

    #[test]
    fn ghosts_through_parallel_paths_measure_the_handsets_make_up_together() {
        // Read as the stiffest diodes do, the ghosts rule out the resistive end; read as the
        // most resistive handsets do, the stiff end. Each ghost alone would say little: a
        // dearer path carries a few per cent, a handful of ohms against a 1 % meter's noise.
        let stiff = parallel_ghosts_at(1.0).make_up;
        assert!(stiff.0 > 0.3 && stiff.1 == 1.0, "{stiff:?}");
        let soft = parallel_ghosts_at(0.0).make_up;
        assert!(soft.0 == 0.0 && soft.1 < 0.7, "{soft:?}");
    }

    #[test]
    fn ghosts_through_handsets_of_differing_make_up_leave_each_of_theirs_possible() {
        // Each ghost runs through handsets of its own, whose make-ups here spread from 0.6 to
        // 1 as a riser's do, on a steady meter: their shared make-up fits few of them, but a
        // new ghost may run through any such handsets, so the range each ghost is weighed
        // against covers them all (seeds 116-118: a ghost through handsets more resistive than
        // the shared fit's range allowed was named a bad contact at 99 %).
        let spread = [
            0.93, 0.6, 0.78, 0.67, 1.0, 0.6, 0.88, 0.75, 0.98, 0.77, 0.6, 0.87, 0.9, 0.78,
        ];
        let m = parallel_ghosts_each_at(MANY_EMPTY, 0.0005, |k| spread[k]).make_up;
        assert!(m.0 <= 0.6 && m.1 == 1.0, "{m:?}");
        // Ghosts that agree still narrow it.
        let m = parallel_ghosts_each_at(MANY_EMPTY, 0.0005, |_| 0.9).make_up;
        assert!(m.0 > 0.5, "{m:?}");
    }

    #[test]
    fn a_ghost_is_weighed_against_the_wire_the_other_ghosts_measure_not_its_own_reading() {
        // A short at D4/E5 with two ghosts: the wire of D4 and E5 makes D1/E2 read 10 Ω under
        // its path sum; a bad contact in parallel pulls D8/E4 40 Ω under. Together they put
        // the wire at their median, 25 Ω, halfway to the bad contact; each is weighed against
        // the other alone. Both are within the 0–50 Ω a sum through one faulty handset may
        // double count, so the range cuts them little (`within`).
        let b = short_with_two_ghosts(10.0, 40.0);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, els) = elements::find(&g, &cal, &Noise::prior());
        let noise = measure(&g, &net, &cal, &PairPaths::walk(&net, &[]), |i| {
            ghost_candidate(&g, &cal, &els, i)
        });
        let both = noise.offset(45).expect("two ghosts measure it");
        let wire_for = |t, u| {
            noise
                .leaving_out(g.idx(t, u))
                .and_then(|n| n.offset(45))
                .expect("the other ghost measures it")
        };
        assert!((both.ohms - 25.0).abs() < 0.01 * both.sd, "{both:?}");
        // Each is the other alone, 10 and 40 Ω, cut to that range: on the prior's noisy meter
        // that pulls each towards the range's middle, by less than a deviation.
        let (other, far) = (wire_for(8, 4), wire_for(1, 2));
        assert!(
            other.ohms < both.ohms && (other.ohms - 10.0).abs() < other.sd,
            "{other:?}"
        );
        assert!(
            far.ohms > both.ohms && (far.ohms - 40.0).abs() < far.sd,
            "{far:?}"
        );
        assert_eq!(wire_for(8, 4).ghosts, 1);
        assert!(
            noise.leaving_out(g.idx(2, 2)).is_none(),
            "a handset measured nothing"
        );
    }

    #[test]
    fn with_nothing_to_measure_on_the_priors_stand() {
        let b = Bench::healthy(1.0, EMPTY);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let noise = measure(&g, &net, &cal, &PairPaths::walk(&net, &[]), |_| true);
        assert_eq!(noise, Noise::prior());
    }

    /// A lone reading about 2 kΩ (three readings of ~700 Ω in its sum, and itself) short of
    /// its path sum by `shortfall`.
    fn lone(cell: usize, shortfall: f64) -> Lone {
        Lone {
            cell: Some(cell),
            shortfall,
            scale: (3.0 * 700.0f64.powi(2) + 2100.0f64.powi(2)).sqrt(),
            fixed: 4.0 * (1.0 / 12.0 + CONTACT_SD * CONTACT_SD),
            sum: 2100.0,
            strict: true,
        }
    }

    /// The weight of the levels under `rel`.
    fn under(levels: &[(f64, f64)], rel: f64) -> f64 {
        levels.iter().filter(|l| l.0 < rel).map(|l| l.1).sum()
    }

    #[test]
    fn two_ghosts_that_agree_make_a_steady_meter_likely_and_the_one_judged_is_left_out() {
        // Two ghosts through one short, 1 Ω apart: a 0.1 % meter scatters their difference by
        // some 3.6 Ω, a 1 % one by 36 Ω.
        let t = Through {
            ghosts: vec![lone(12, 20.0), lone(84, 21.0)],
            ..Through::default()
        };
        let through = vec![(45, t)];
        let said = Said::of(&through);
        let prior = prior_levels();
        let steady_share = (0..LEVELS).filter(|&k| level(k) < 0.003).count() as f64 / LEVELS as f64;
        assert!((steady_share - 0.56).abs() < 0.02, "{steady_share}");
        assert!(
            (under(&prior, 0.003) - steady_share).abs() < 1e-9,
            "{prior:?}"
        );
        let both = posterior_levels(&said.total);
        assert!(under(&both, 0.003) > 0.8, "{both:?}");
        // Without either, one ghost says nothing about the noise: the prior.
        let alone = posterior_levels(&said.without(&through, 84));
        assert!(
            (under(&alone, 0.003) - steady_share).abs() < 1e-9,
            "{alone:?}"
        );
    }

    /// A D–D or E–E reading through one faulty handset, two hops of 700 Ω, short of its sum
    /// by `shortfall`.
    fn side(shortfall: f64) -> Lone {
        Lone {
            cell: None,
            shortfall,
            scale: (2.0 * 700.0f64.powi(2) + 1400.0f64.powi(2)).sqrt(),
            fixed: 3.0 * (1.0 / 12.0 + CONTACT_SD * CONTACT_SD),
            sum: 1400.0,
            strict: true,
        }
    }

    #[test]
    fn ghosts_whose_wire_parts_from_their_two_sides_make_a_noisy_meter_likely() {
        // Three ghosts through one reversed handset within 4 Ω, and each side's two readings
        // within 4 Ω: each group alone says a steady meter. Where the sides' wire adds up to
        // the ghosts', it stays likely; 56 Ω apart, only a meter scattering tens of ohms
        // makes them agree.
        let through = |units: [f64; 2], tens: [f64; 2]| {
            vec![(
                45,
                Through {
                    ghosts: vec![lone(12, 35.0), lone(13, 37.0), lone(14, 33.0)],
                    units_side: units.map(side).to_vec(),
                    tens_side: tens.map(side).to_vec(),
                },
            )]
        };
        let agree = posterior_levels(&Said::of(&through([20.0, 22.0], [14.0, 16.0])).total);
        assert!(under(&agree, 0.003) > 0.8, "{agree:?}");
        let apart = posterior_levels(&Said::of(&through([58.0, 54.0], [34.0, 36.0])).total);
        assert!(under(&apart, 0.003) < 0.2, "{apart:?}");
        // Left out of it, a ghost judged against the others is weighed at the same noise
        // they say; a side with no reading says nothing of the agreement.
        let alone = Said::of(&through([58.0, 54.0], [34.0, 36.0]))
            .without(&through([58.0, 54.0], [34.0, 36.0]), 12);
        assert!(under(&posterior_levels(&alone), 0.003) < 0.2);
        let one_side = vec![(
            45,
            Through {
                ghosts: vec![lone(12, 35.0), lone(13, 37.0), lone(14, 33.0)],
                units_side: vec![side(58.0), side(54.0)],
                tens_side: Vec::new(),
            },
        )];
        let each = add(
            group_log_likelihoods(&one_side[0].1.ghosts),
            group_log_likelihoods(&one_side[0].1.units_side),
        );
        assert_eq!(Said::of(&one_side).total, each);
    }

    /// `m` lone readings through one faulty handset whose shortfalls scatter around 20 Ω
    /// exactly as a meter of relative noise `rel` makes them, on average: evenly spread,
    /// scaled so their sample variance is the variance that meter gives a shortfall.
    fn scattered_as(rel: f64, m: usize) -> Vec<Lone> {
        let sd = (Sums::var(&lone(0, 0.0), rel)).sqrt();
        let z: Vec<f64> = (0..m).map(|i| i as f64 - (m - 1) as f64 / 2.0).collect();
        let unit = (z.iter().map(|z| z * z).sum::<f64>() / (m - 1) as f64).sqrt();
        z.iter()
            .enumerate()
            .map(|(i, z)| lone(i, 20.0 + sd * z / unit))
            .collect()
    }

    #[test]
    fn many_readings_put_the_meter_under_the_95th_percentile_between_two_coarse_levels() {
        // Four shorts, 25 ghosts each, scattering as a 0.40 % meter does: 96 degrees of
        // freedom pin σ to about ±7 % (1/√192), so the 95th percentile lies some 12 % above
        // the meter. 0.40 % sits a fifth of a step above a level of the evenly spaced 12
        // (0.38 %, then 0.50 %): carried on those, the probability snapped to 0.38 % and put
        // its 95th percentile under the meter.
        let rel = 0.004;
        let through: Vec<(usize, Through)> = [45, 46, 47, 48]
            .iter()
            .map(|&cell| {
                let t = Through {
                    ghosts: scattered_as(rel, 25),
                    ..Through::default()
                };
                (cell, t)
            })
            .collect();
        let (median, p95) = quantiles(&posterior_levels(&Said::of(&through).total));
        assert!(p95 >= rel && p95 < rel * 1.3, "{median} {p95}");
        assert!(median > rel / 1.1 && median < rel * 1.1, "{median} {p95}");
    }

    #[test]
    fn the_levels_handed_on_are_fewer_keep_the_weight_and_the_variance_and_a_sharp_peak() {
        let check = |w: &[f64; LEVELS]| {
            let on = hand_on(w);
            assert!(on.len() <= HANDED_ON, "{on:?}");
            let total: f64 = on.iter().map(|l| l.1).sum();
            assert!((total - 1.0).abs() < SUM_ROUNDING, "{on:?}");
            let var = |l: &[(f64, f64)]| l.iter().map(|(r, w)| w * r * r).sum::<f64>();
            let fine: Vec<(f64, f64)> = (0..LEVELS).map(|k| (level(k), w[k])).collect();
            assert!((var(&on) / var(&fine) - 1.0).abs() < 1e-9, "{on:?}");
            on
        };
        // The prior: about the old grid's steps, 1.33× (between 1.2× and 1.5×).
        let flat = check(&[1.0 / LEVELS as f64; LEVELS]);
        assert_eq!(flat.len(), HANDED_ON);
        for p in flat.windows(2) {
            let step = p[1].0 / p[0].0;
            assert!(step > 1.2 && step < 1.5, "{flat:?}");
        }
        // A peak three fine levels wide keeps each of them apart.
        let mut w = [1e-9; LEVELS];
        w[20..23].fill(1.0);
        let total: f64 = w.iter().sum();
        let peak = check(&w.map(|x| x / total));
        for k in 20..23 {
            assert!(
                peak.iter().any(|l| (l.0 / level(k) - 1.0).abs() < 1e-6),
                "{peak:?}"
            );
        }
    }

    #[test]
    fn a_pair_far_apart_is_a_stray_more_than_a_noisy_meter() {
        // 120 Ω apart (6 % of the path): a 1.2 % meter's noise is 45 Ω on their difference,
        // so 2.7 deviations; either may be a bad contact pulling its ghost instead. The noise
        // stays spread over the field's range, the noisy end no more than twice as likely.
        let t = Through {
            ghosts: vec![lone(12, 20.0), lone(84, 140.0)],
            ..Through::default()
        };
        let levels = posterior_levels(&Said::of(&[(45, t)]).total);
        let (steadiest, noisiest) = (levels[0].1, levels[LEVELS - 1].1);
        assert!(noisiest < 2.0 * steadiest, "{levels:?}");
    }

    /// The noise measured on a healthy entrance of no empty flat (so no ghost) but a short at
    /// D4/E5 that reads `forward` and `reverse` (digits to 0.1 Ω).
    fn short_read_both_ways(forward: f64, reverse: f64) -> Noise {
        let mut b = Bench::healthy(1.0, &[]);
        b.forward[4][5] = Some(forward);
        b.reverse[4][5] = Some(reverse);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, els) = elements::find(&g, &cal, &Noise::prior());
        measure(&g, &net, &cal, &PairPaths::walk(&net, &[]), |i| {
            ghost_candidate(&g, &cal, &els, i)
        })
    }

    #[test]
    fn a_short_reading_alike_both_ways_makes_a_steady_meter_likelier_and_two_per_cent_apart_a_noisy_one()
     {
        // A 103.7 Ω short under handsets of about 700 Ω: at the same test current its drop is
        // a seventh of theirs, too low for any diode beside it to conduct, so its two readings
        // differ by the meter's noise alone. 0.1 Ω apart is within two probe contacts: a
        // meter of 1.2 % (1.2 Ω a reading) would rarely read them so close.
        let prior = under(&prior_levels(), 0.003);
        let agree = short_read_both_ways(103.7, 103.8);
        assert_eq!(agree.measured().noise_median_from, 2, "{agree:?}");
        // On all the levels the probability is worked out on, before they are merged.
        let agree = Noise {
            levels: posterior_levels(&agree.said.total),
            ..agree
        };
        assert!(
            under(&agree.levels, 0.003) > prior + 0.05,
            "{:?}",
            agree.levels
        );
        assert!(
            agree.levels[LEVELS - 1].1 < 0.5 / LEVELS as f64,
            "{:?}",
            agree.levels
        );
        // 2 % apart (2.1 Ω): more than two probe contacts and a steady meter's noise can
        // make; the noisy end becomes likelier.
        let apart = short_read_both_ways(105.8, 103.7);
        let apart = Noise {
            levels: posterior_levels(&apart.said.total),
            ..apart
        };
        assert!(
            under(&apart.levels, 0.003) < prior - 0.1,
            "{:?}",
            apart.levels
        );
        assert!(
            apart.levels[LEVELS - 1].1 > 1.0 / LEVELS as f64,
            "{:?}",
            apart.levels
        );
    }

    #[test]
    fn a_reading_too_high_to_be_a_plain_resistor_is_no_pair_however_it_agrees() {
        // 300 Ω under 700 Ω handsets: its drop is nearly half theirs, where the diode of its
        // own handset may carry part of the forward current. Reading alike says nothing.
        let noise = short_read_both_ways(300.0, 300.1);
        assert_eq!(noise.measured().noise_median_from, 0);
        assert_eq!(noise.levels, Noise::prior().levels);
    }

    #[test]
    fn a_sum_of_exponentials_is_taken_whole_without_overflow() {
        let naive = |x: &[f64]| x.iter().map(|v| v.exp()).sum::<f64>().ln();
        for terms in [
            vec![-1.0, 0.5, 2.0],
            vec![2.0, 0.5, -1.0],
            vec![-3.0],
            vec![f64::NEG_INFINITY, -2.0, 1.0],
        ] {
            let got = log_sum(terms.iter().copied());
            assert!((got - naive(&terms)).abs() < 1e-12, "{terms:?}: {got}");
        }
        // Far beyond what exp can hold, in either order: the largest term dominates.
        assert!((log_sum([1000.0, 1000.0].into_iter()) - (1000.0 + 2f64.ln())).abs() < 1e-9);
        assert!((log_sum([-2000.0, -1000.0].into_iter()) + 1000.0).abs() < 1e-9);
        assert_eq!(log_sum(std::iter::empty()), f64::NEG_INFINITY);
        assert_eq!(log_sum([f64::NEG_INFINITY].into_iter()), f64::NEG_INFINITY);
    }

    #[test]
    fn the_noise_may_be_at_most_a_little_more_than_measured() {
        assert!(upper_bound(0.5).is_infinite());
        assert!(upper_bound(5.0) > 1.1 && upper_bound(5.0) < 1.6);
        assert!(upper_bound(100.0) < 1.1);
    }
}
