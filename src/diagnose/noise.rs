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
//! Takes the `Grid`, the `Network` as the E→D elements left it, and the `Calibration`;
//! gives `Noise`. Pure.

use super::Measured;
use super::calibrate::{Calibration, median};
use super::grid::Grid;
use super::network::{Network, Node};

/// The meter's relative noise assumed before the sweep says otherwise: field meters scatter
/// 0.05–1.2 % of a reading; assume a cheap handheld's 1 % until the ghosts measure it.
const PRIOR_NOISE: f64 = 0.01;
/// How many residuals the prior counts for when pooled with those measured: a handful of
/// ghosts that happen to agree must not make the meter look steadier than it is.
const PRIOR_WEIGHT: f64 = 4.0;
/// No meter reads a handset through a switch steadier than this (contact and thermal drift).
const MIN_NOISE: f64 = 3e-4;
/// A probe contact adds up to about 1 Ω to a reading: uniform on 0–1 Ω has this standard
/// deviation (1/√12).
pub(super) const CONTACT_SD: f64 = 0.29;
/// The most wire a sum through one faulty handset double counts: both its lines, twice, at up
/// to 12 Ω each (a riser of 40 m of 0.4 mm copper plus the run to the cabinet), plus two probe
/// contacts of up to 1 Ω.
pub(super) const WIRE_MAX: f64 = 2.0 * (12.0 + 12.0) + 2.0;
/// Ghosts through one faulty handset needed to measure the wire its paths double count.
const MIN_GHOSTS: usize = 3;
/// Only ghosts reading within this fraction under their path sum are used to measure the
/// noise: far below is a handset in parallel (a bad contact), not noise.
const USABLE_UNDER: f64 = 0.15;
/// … or this fraction above (a ghost cannot read above its path; more is a range drop).
const USABLE_OVER: f64 = 0.05;
/// A squared standard-normal deviate's median is 0.455: its mean is 2.198 times that, which
/// turns the median of squared deviations into a variance robust to a few outliers.
const MEDIAN_CHI2_1: f64 = 0.454_936;

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
}

impl Noise {
    /// The noise before anything is measured.
    pub(super) fn prior() -> Noise {
        Noise {
            rel: PRIOR_NOISE,
            from: 0,
            offsets: Vec::new(),
        }
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
            wiring: (!wires.is_empty()).then(|| median(&wires)),
        }
    }
}

/// One ghost through a lone path with one faulty handset on it.
struct Lone {
    /// Its path sum less its reading, Ω.
    shortfall: f64,
    /// √(Σ reading²) over the three readings that vary from ghost to ghost (the two handsets
    /// and the ghost; the faulty handset's is common to all): how far the relative noise
    /// moves the shortfall.
    scale: f64,
    /// The variance the display steps and the probe contacts add, Ω².
    fixed: f64,
}

/// Measures the noise and the double-counted wire on the ghosts of `net`'s E→D elements that
/// run through a single path (`is_candidate` says which crossings may be ghosts).
pub(super) fn measure(
    g: &Grid,
    net: &Network,
    cal: &Calibration,
    is_candidate: impl Fn(usize) -> bool,
) -> Noise {
    let prior = Noise::prior();
    let mut by_element: Vec<(usize, Vec<Lone>)> = Vec::new();
    for i in 0..g.len() {
        let Some(f) = g.fi(i).filter(|_| is_candidate(i)) else {
            continue;
        };
        let (t, u) = g.tu(i);
        let Some(p) = net.paths(Node::D(t), Node::E(u), Some(i)) else {
            continue;
        };
        let path = p.best();
        let elements = path.hops().iter().filter(|h| h.element_cell().is_some());
        if !p.lone() || elements.count() != 1 {
            continue;
        }
        let shortfall = path.sum - f;
        if shortfall > USABLE_UNDER * path.sum || -shortfall > USABLE_OVER * path.sum {
            continue;
        }
        let varying = path.hops().iter().filter(|h| h.element_cell().is_none());
        let scale = (varying.clone().map(|h| h.ohms * h.ohms).sum::<f64>() + f * f).sqrt();
        let fixed = varying
            .map(|h| h.ohms)
            .chain([f])
            .map(|x| prior.var(g, x) - (prior.rel * x).powi(2))
            .sum();
        let via = path.via();
        let lone = Lone {
            shortfall,
            scale,
            fixed,
        };
        match by_element.iter_mut().find(|(c, _)| *c == via) {
            Some((_, v)) => v.push(lone),
            None => by_element.push((via, vec![lone])),
        }
    }

    // Noise: each ghost's shortfall against the median of its fellows' (leave one out, so a
    // group of three still scatters as it should), as an estimate of the relative variance.
    let mut rel_var: Vec<f64> = Vec::new();
    for (_, ghosts) in &by_element {
        let n = ghosts.len();
        if n < MIN_GHOSTS {
            continue;
        }
        for (k, gh) in ghosts.iter().enumerate() {
            let mut others: Vec<f64> = ghosts
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
    let n = rel_var.len();
    let rel = if n == 0 {
        PRIOR_NOISE
    } else {
        rel_var.sort_by(f64::total_cmp);
        let measured = median(&rel_var) / MEDIAN_CHI2_1;
        let pooled =
            (PRIOR_WEIGHT * PRIOR_NOISE.powi(2) + n as f64 * measured) / (PRIOR_WEIGHT + n as f64);
        // The handsets' own spread holds the meter's noise too: it cannot scatter more.
        pooled.sqrt().min(cal.spread.max(MIN_NOISE))
    }
    .max(MIN_NOISE);

    // Wiring: the median shortfall of each faulty handset's ghosts.
    let mut offsets = Vec::new();
    for (cell, ghosts) in &by_element {
        let n = ghosts.len();
        if n < MIN_GHOSTS {
            continue;
        }
        let mut s: Vec<f64> = ghosts.iter().map(|g| g.shortfall).collect();
        s.sort_by(f64::total_cmp);
        let ohms = median(&s);
        if !(-WIRE_MAX..=2.0 * WIRE_MAX).contains(&ohms) {
            continue; // not wiring: something the model does not know; keep the prior
        }
        let spread: f64 = ghosts
            .iter()
            .map(|g| (rel * g.scale).powi(2) + g.fixed)
            .sum::<f64>()
            / n as f64;
        // The standard error of a median is √(π/2) times that of a mean.
        let sd = (std::f64::consts::FRAC_PI_2 * spread / n as f64).sqrt();
        offsets.push(Offset {
            cell: *cell,
            ohms,
            sd,
            ghosts: n,
        });
    }
    Noise {
        rel,
        from: n,
        offsets,
    }
}
