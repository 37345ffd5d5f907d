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
//! tens line's. The two sides together give what its ghosts double count.
//!
//! A crossing that reads low both ways is a plain resistor, and reads the same forward and
//! reverse: its two readings' difference is the meter's noise alone (`pairs.rs`). What those
//! pairs say is added to the noise's probability too.
//!
//! Takes the `Grid`, the `Network` as the E→D elements left it, the `Calibration` and the
//! sweep's D–D/E–E readings; gives `Noise`. Pure.

use super::Measured;
use super::calibrate::{Calibration, median};
use super::grid::Grid;
use super::network::{Network, Node, Paths};
use super::pairs;
use super::predict;
use crate::model::{LineKind, Measurement, Reading};

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
/// Noise levels the prior and posterior are carried on, evenly spaced on a log scale from
/// `MIN_NOISE` to `MAX_NOISE`: 12 steps of 1.33× each, finer than a handful of residuals can
/// tell two levels apart (five residuals pin a standard deviation to about ±30 %).
const LEVELS: usize = 12;
/// The chance that one lone reading is something other than its path plus the meter's noise
/// (a handset with a bad contact under a ghost, a misread): a flat's handset has a bad contact
/// at `PRIOR_FAULT_KIND` (0.5 %), and a reading that looks like a ghost is an empty flat in
/// one case of about five (a fifth of flats empty), so one in forty; doubled for misreads.
const STRAY: f64 = 0.05;
/// A group of ghosts through one faulty handset is weighed again without the ghost being
/// judged only up to this many: a reading further than about 3 deviations out is taken as a
/// stray (`STRAY`), and one within them adds at most 9/(n − 1) to the variance n readings
/// measure, so among more than 24 it moves the noise by under 1.2×, less than one level's
/// step (1.33×).
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
    pub(super) levels: Vec<(f64, f64)>,
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
            levels: prior_levels(),
            through: Vec::new(),
            skip: None,
            said: Said {
                total: [0.0; LEVELS],
                ghosts: Vec::new(),
                pairs: 0,
            },
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
            through: Vec::new(),
            skip: self.skip,
            said: Noise::prior().said,
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
        // The noise, as what the other readings say.
        if self.levels.len() > 1 {
            out.levels = posterior_levels(&self.said.without(&self.through, i));
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
            noise_median: self.level_quantile(0.5),
            noise_median_from: self.lone_in_groups(),
            noise_p95: self.level_quantile(0.95),
        }
    }

    /// The `q` quantile of the noise's probability over its levels (the lowest level with at
    /// least `q` of the weight at or under it).
    fn level_quantile(&self, q: f64) -> f64 {
        let mut below = 0.0;
        for &(rel, w) in &self.levels {
            below += w;
            // Twelve weights of 1/12 sum to a hair under a half by the sixth: rounding, not
            // weight.
            if below >= q - SUM_ROUNDING {
                return rel;
            }
        }
        self.levels.last().map_or(PRIOR_NOISE, |l| l.0)
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
    bus: &[Measurement],
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
    for m in bus {
        let Reading::Ohms(v) = m.reading else {
            continue;
        };
        let (from, to, side) = match (m.plus.kind, m.minus.kind) {
            (LineKind::Tens, LineKind::Tens) => (
                Node::D(m.plus.index as usize),
                Node::D(m.minus.index as usize),
                Side::Units,
            ),
            (LineKind::Units, LineKind::Units) => (
                Node::E(m.plus.index as usize),
                Node::E(m.minus.index as usize),
                Side::Tens,
            ),
            _ => continue,
        };
        if let Some(p) = net.paths(from, to, None) {
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
    bus: &[Measurement],
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
    let by_element = lone_readings(g, net, bus, &ghosts);

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
        levels: posterior_levels(&said.total),
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
    (-WIRE_MAX..=2.0 * WIRE_MAX)
        .contains(&ohms)
        .then_some(Offset {
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
/// `MAKE_UP_MARGIN`; 0–1 when too few ghosts say.
fn make_up(
    g: &Grid,
    net: &Network,
    noise: &Noise,
    candidates: &[(usize, f64, Paths)],
) -> (f64, f64) {
    let mut ghosts: Vec<(predict::MadeUp, f64)> = Vec::new();
    for &(_, f, ref p) in candidates {
        if f >= p.cheapest() * (1.0 + USABLE_OVER) {
            continue;
        }
        if let Some(m) = predict::across_make_ups(p, g, noise, net.typ) {
            ghosts.push((m, f));
        }
    }
    if ghosts.len() < MIN_MAKE_UP {
        return (0.0, 1.0);
    }
    let grid: Vec<f64> = (0..=MAKE_UP_STEPS)
        .map(|k| k as f64 / MAKE_UP_STEPS as f64)
        .collect();
    let chi2: Vec<f64> = grid
        .iter()
        .map(|&at| {
            ghosts
                .iter()
                .map(|(m, f)| ((f - m.at(at)) / m.sd).powi(2).min(OUTLIER_Z * OUTLIER_Z))
                .sum()
        })
        .collect();
    let best = chi2.iter().copied().fold(f64::INFINITY, f64::min);
    let dof = (ghosts.len() - 1).max(1) as f64;
    let threshold = best + CHI2_1_99 * (best / dof).max(1.0);
    let kept: Vec<f64> = grid
        .iter()
        .zip(&chi2)
        .filter(|(_, c)| **c <= threshold)
        .map(|(a, _)| *a)
        .collect();
    let (lo, hi) = (kept[0], kept[kept.len() - 1]);
    (
        (lo - MAKE_UP_MARGIN).clamp(0.0, 1.0),
        (hi + MAKE_UP_MARGIN).clamp(0.0, 1.0),
    )
}

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

/// What the lone readings say about the meter's noise, level by level of `LEVELS`.
#[derive(Debug, Clone, PartialEq)]
struct Said {
    /// The log likelihood of every level, all groups together.
    total: [f64; LEVELS],
    /// The part of it each faulty handset's forward ghosts give, in the order of `through`.
    ghosts: Vec<[f64; LEVELS]>,
    /// Pairs of readings that must agree (`pairs.rs`) it includes.
    pairs: usize,
}

impl Said {
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
            let ghosts = group_log_likelihoods(&t.ghosts);
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
            let again = group_log_likelihoods(&rest);
            for ((sum, a), p) in total.iter_mut().zip(again).zip(part) {
                *sum += a - p;
            }
        }
        total
    }
}

/// The log likelihood of each noise level for one group of lone readings (nothing said by
/// fewer than two).
fn group_log_likelihoods(group: &[Lone]) -> [f64; LEVELS] {
    let mut out = [0.0; LEVELS];
    if group.len() >= 2 {
        for (k, o) in out.iter_mut().enumerate() {
            *o = group_log_likelihood(group, level(k));
        }
    }
    out
}

/// The levels weighed by the log likelihoods `said` (the prior: all alike).
fn posterior_levels(said: &[f64; LEVELS]) -> Vec<(f64, f64)> {
    let best = said.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = said.iter().map(|l| (l - best).exp()).collect();
    let total: f64 = w.iter().sum();
    (0..LEVELS).map(|k| (level(k), w[k] / total)).collect()
}

/// The log likelihood of a meter of relative noise `rel` for one group of lone readings that
/// double count one unknown wire: each reading's shortfall is that wire plus its own noise,
/// the wire integrated out (any value alike), so only how the readings scatter around each
/// other counts. Any one reading may be a stray (`STRAY`): spread evenly over the window of
/// shortfalls a lone reading is taken from, saying nothing about the noise.
fn group_log_likelihood(group: &[Lone], rel: f64) -> f64 {
    let n = group.len();
    let all = Sums::of(group, rel);
    let clean = n as f64 * (1.0 - STRAY).ln() + all.log_likelihood();
    let strays = group.iter().map(|l| {
        let window = (USABLE_UNDER + USABLE_OVER) * l.sum;
        STRAY.ln() + (n - 1) as f64 * (1.0 - STRAY).ln() - window.ln()
            + all.without(l, rel).log_likelihood()
    });
    strays.fold(clean, log_add)
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

    fn of(group: &[Lone], rel: f64) -> Sums {
        let mut s = Sums {
            m: group.len(),
            weight: 0.0,
            first: 0.0,
            second: 0.0,
            log_dets: 0.0,
        };
        for l in group {
            let v = Sums::var(l, rel);
            s.weight += 1.0 / v;
            s.first += l.shortfall / v;
            s.second += l.shortfall * l.shortfall / v;
            s.log_dets += v.ln();
        }
        s
    }

    /// The same, reading `l` left out.
    fn without(&self, l: &Lone, rel: f64) -> Sums {
        let v = Sums::var(l, rel);
        Sums {
            m: self.m - 1,
            weight: self.weight - 1.0 / v,
            first: self.first - l.shortfall / v,
            second: self.second - l.shortfall * l.shortfall / v,
            log_dets: self.log_dets - v.ln(),
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

/// ln(eᵃ + eᵇ), without overflow.
fn log_add(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        hi
    } else {
        hi + (lo - hi).exp().ln_1p()
    }
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
        let noise = measure(&g, &net, &cal, &[], |i| ghost_candidate(&g, &cal, &els, i));
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
        // Before the sweep: twelve levels alike, so the median is the sixth (0.21 %) and the
        // 95th percentile the last (1.2 %), resting on nothing.
        let m = Noise::prior().measured();
        assert_eq!(m.noise_median_from, 0);
        assert!((m.noise_median - level(5)).abs() < 1e-12, "{m:?}");
        assert!((m.noise_p95 - MAX_NOISE).abs() < 1e-12, "{m:?}");
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
        let m = measure(&g, &net, &cal, &[], |i| ghost_candidate(&g, &cal, &els, i)).measured();
        assert_eq!(m.noise_median_from, 6 + 2, "{m:?}");
        assert!(
            m.noise_median > 0.005 / 1.8 && m.noise_median < 0.005 * 1.8,
            "{m:?}"
        );
        assert!(m.noise_p95 >= m.noise_median, "{m:?}");
    }

    /// Two reversed handsets on E5 (D4 and D7): every empty crossing reads through either,
    /// in parallel. Each ghost reads what its paths give at handset make-up `at` (0–1), every
    /// reading scattered by a 0.2 % meter.
    fn parallel_ghosts_at(at: f64) -> Noise {
        let mut b = Bench::healthy(1.0, EMPTY);
        for t in [4, 7] {
            b.forward[t][5] = None;
            b.backward(t, 5, 700.0);
        }
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        for &(t, u) in EMPTY {
            let i = g.idx(t, u);
            if let Some(p) = net.paths(Node::D(t), Node::E(u), Some(i)) {
                let m = predict::across_make_ups(&p, &g, &Noise::prior(), cal.typ);
                b.forward[t][u] = m.map(|m| m.at(at)).or(Some(p.cheapest()));
            }
        }
        b.noisy(0.002);
        let g = Grid::new(&b.sweep(), &l);
        let (net, els) = elements::find(&g, &cal, &Noise::prior());
        measure(&g, &net, &cal, &[], |i| ghost_candidate(&g, &cal, &els, i))
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
    fn a_ghost_is_weighed_against_the_wire_the_other_ghosts_measure_not_its_own_reading() {
        // A short at D4/E5 with two ghosts: the wire of D4 and E5 makes D1/E2 read 30 Ω under
        // its path sum; a bad contact in parallel pulls D8/E4 90 Ω under. Together they put
        // the wire at their median, 60 Ω, halfway to the bad contact; each is weighed against
        // the other alone.
        let b = short_with_two_ghosts(30.0, 90.0);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, els) = elements::find(&g, &cal, &Noise::prior());
        let noise = measure(&g, &net, &cal, &[], |i| ghost_candidate(&g, &cal, &els, i));
        let both = noise.offset(45).expect("two ghosts measure it");
        assert!((both.ohms - 60.0).abs() < 1e-6, "{both:?}");
        let wire_for = |t, u| {
            noise
                .leaving_out(g.idx(t, u))
                .and_then(|n| n.offset(45))
                .expect("the other ghost measures it")
        };
        assert!((wire_for(8, 4).ohms - 30.0).abs() < 1e-6);
        assert!((wire_for(1, 2).ohms - 90.0).abs() < 1e-6);
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
        let noise = measure(&g, &net, &cal, &[], |_| true);
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
        assert!(
            (under(&prior, 0.003) - 7.0 / 12.0).abs() < 1e-9,
            "{prior:?}"
        );
        let both = posterior_levels(&said.total);
        assert!(under(&both, 0.003) > 0.8, "{both:?}");
        // Without either, one ghost says nothing about the noise: the prior.
        let alone = posterior_levels(&said.without(&through, 84));
        assert!(
            (under(&alone, 0.003) - 7.0 / 12.0).abs() < 1e-9,
            "{alone:?}"
        );
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
        measure(&g, &net, &cal, &[], |i| ghost_candidate(&g, &cal, &els, i))
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
        assert_eq!(noise.levels, prior_levels());
    }

    #[test]
    fn the_noise_may_be_at_most_a_little_more_than_measured() {
        assert!(upper_bound(0.5).is_infinite());
        assert!(upper_bound(5.0) > 1.1 && upper_bound(5.0) < 1.6);
        assert!(upper_bound(100.0) < 1.1);
    }
}
