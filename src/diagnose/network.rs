//! The matrix as a conducting network: handsets conducting D→E with their forward readings,
//! elements conducting E→D with their reverse readings, and the sneak paths between two
//! terminals through them — each path with the readings (hops) it is made of, so that what it
//! reads can be predicted (`predict.rs`).
//!
//! Series readings at one test current add (domain.md §4), so a path's sum is the sum of the
//! readings of its hops: the first guess at what it reads. Pure; no constant here comes from
//! the simulator.

use super::grid::Grid;
use crate::model::{LineKind, Measurement, Terminal};
use std::borrow::Cow;
use std::cell::OnceCell;

/// Sneak paths through at most this many E→D elements are considered: each further element
/// adds two more diodes or a leak, and such paths carry too little current to matter.
pub(super) const MAX_ELEMENTS: usize = 3;
/// Hops on a path through `MAX_ELEMENTS` elements: a handset before and after each.
pub(super) const MAX_HOPS: usize = 2 * MAX_ELEMENTS + 1;
/// At most this many ways on are tried from each line a path stands on, the cheapest first
/// (the hop into the element plus the element): twice the paths kept, so on any entrance
/// with a few faulty handsets it never binds and every path is tried. It binds only where
/// dozens of crossings conduct backwards, where trying every way on costs the cube of their
/// number per reading (a 10×26 matrix conducting everywhere took 3 s) while the cheapest ways
/// carry nearly all the current.
const MAX_BRANCH: usize = 2 * MAX_PATHS;
/// Paths up to this multiple of the cheapest one's sum are kept: through a leak a path is
/// mostly plain resistance, which shares current in proportion (a path a hundred times dearer
/// still carries 1 %, more than a steady meter's noise); through diodes far less. Dearer ones
/// are left out.
pub(super) const FAR: f64 = 100.0;
/// At most this many paths are kept per reading, cheapest first: it bounds the work on a
/// matrix with many faulty handsets, where the cheapest few carry nearly all the current.
const MAX_PATHS: usize = 8;
/// A reverse reading up to this multiple of the typical forward one is a diode (a reversed
/// handset); above it, a leak: a resistance with no diode threshold.
pub(super) const REVERSED_MAX: f64 = 2.5;
/// A reading under this fraction of a handset's is a bare resistance (a short), no diode.
pub(super) const SHORT_MAX: f64 = 0.5;

/// One reading a sneak path runs through.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Hop {
    /// The reading, Ω.
    pub(super) ohms: f64,
    /// True when the hop holds a diode (a handset's junction), false for a bare resistance
    /// (a short, a leak).
    pub(super) diode: bool,
    /// Which reading: 2 × crossing for a forward hop, 2 × crossing + 1 for an E→D element.
    pub(super) id: u32,
}

impl Hop {
    /// The crossing of an E→D element hop, None for a forward hop.
    pub(super) fn element_cell(&self) -> Option<usize> {
        (self.id % 2 == 1).then_some((self.id / 2) as usize)
    }
}

/// One sneak path: the readings it runs through, in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Path {
    /// The sum of its hops' readings, Ω.
    pub(super) sum: f64,
    hops: [Hop; MAX_HOPS],
    n: u8,
}

impl Path {
    /// Its hops.
    pub(super) fn hops(&self) -> &[Hop] {
        &self.hops[..self.n as usize]
    }

    /// Diodes on it.
    pub(super) fn diodes(&self) -> usize {
        self.hops().iter().filter(|h| h.diode).count()
    }

    /// The crossing of the first E→D element it runs through.
    pub(super) fn via(&self) -> usize {
        self.hops()
            .iter()
            .find_map(Hop::element_cell)
            .unwrap_or(usize::MAX)
    }
}

/// The sneak paths between two terminals, cheapest first.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Paths {
    /// The paths, cheapest first (at most `MAX_PATHS`, none dearer than `FAR` × the cheapest).
    pub(super) list: Vec<Path>,
}

impl Paths {
    /// The cheapest path.
    pub(super) fn best(&self) -> &Path {
        &self.list[0]
    }

    /// The cheapest path's sum, Ω.
    pub(super) fn cheapest(&self) -> f64 {
        self.list[0].sum
    }

    /// The crossing of the E→D element the cheapest path runs through.
    pub(super) fn via(&self) -> usize {
        self.list[0].via()
    }

    /// True when the cheapest path is the only one: the reading is its sum alone.
    pub(super) fn lone(&self) -> bool {
        self.list.len() == 1
    }

    fn add(&mut self, p: Path) {
        let cheapest = self
            .list
            .first()
            .map_or(f64::INFINITY, |b| b.sum.min(p.sum));
        if p.sum > cheapest * FAR {
            return;
        }
        let at = self.list.partition_point(|q| q.sum <= p.sum);
        self.list.insert(at, p);
        self.list.retain(|q| q.sum <= cheapest * FAR);
        self.list.truncate(MAX_PATHS);
    }
}

/// One end of a sneak path: a tens or a units line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Node {
    /// A tens line.
    D(usize),
    /// A units line.
    E(usize),
}

/// The conducting network as the engine knows it: handsets conducting D→E (with their
/// forward readings) and elements conducting E→D (with their reverse readings).
#[derive(Clone)]
pub(super) struct Network<'a> {
    pub(super) g: &'a Grid,
    /// Forward readings of the crossings known to conduct D→E (handsets, healthy or not,
    /// shorts and leaky handsets), by crossing.
    pub(super) forward: Vec<Option<f64>>,
    /// Crossings conducting E→D, with their reverse readings: (tens, units, ohms).
    pub(super) elements: Vec<(usize, usize, f64)>,
    /// The entrance's typical forward reading: tells a diode from a bare resistance.
    pub(super) typ: f64,
}

/// A sneak path being walked.
#[derive(Clone, Copy)]
struct Trail {
    path: Path,
    depth: usize,
}

impl Trail {
    fn push(mut self, hop: Hop) -> Trail {
        self.path.hops[self.path.n as usize] = hop;
        self.path.n += 1;
        self.path.sum += hop.ohms;
        self
    }
}

/// Lines and elements a path being walked already uses.
struct Used {
    d: Vec<bool>,
    e: Vec<bool>,
    el: Vec<bool>,
}

impl Network<'_> {
    /// True when an E→D element reading `ohms` is a leak: far above a handset, no diode.
    pub(super) fn is_leak(&self, ohms: f64) -> bool {
        ohms > self.typ * REVERSED_MAX
    }

    /// The reverse reading of the leak at crossing `i`, when the handset there leaks (an E→D
    /// element reading as a bare resistance far above a handset).
    pub(super) fn leak_at(&self, i: usize) -> Option<f64> {
        let (t, u) = self.g.tu(i);
        self.elements
            .iter()
            .find(|&&(et, eu, r)| (et, eu) == (t, u) && self.is_leak(r))
            .map(|&(_, _, r)| r)
    }

    fn element_hop(&self, k: usize) -> Hop {
        let (t, u, r) = self.elements[k];
        Hop {
            ohms: r,
            diode: r >= self.typ * SHORT_MAX && r <= self.typ * REVERSED_MAX,
            id: 2 * self.g.idx(t, u) as u32 + 1,
        }
    }

    fn forward_hop(&self, i: usize, f: f64) -> Hop {
        Hop {
            ohms: f,
            diode: f >= self.typ * SHORT_MAX,
            id: 2 * i as u32,
        }
    }

    /// Every simple path from `start` to `end` through at least one E→D element, not using
    /// the crossing `excluded`, cheapest first; None when there is none.
    pub(super) fn paths(&self, start: Node, end: Node, excluded: Option<usize>) -> Option<Paths> {
        let mut acc = Paths { list: Vec::new() };
        let mut used = Used {
            d: vec![false; self.g.tens],
            e: vec![false; self.g.units],
            el: vec![false; self.elements.len()],
        };
        let empty = Trail {
            path: Path {
                sum: 0.0,
                hops: [Hop {
                    ohms: 0.0,
                    diode: false,
                    id: 0,
                }; MAX_HOPS],
                n: 0,
            },
            depth: 0,
        };
        // A path ends on its end line and never passes through it on the way (that would
        // be a loop, not a path of its own): a units line end is taken as used from the start.
        // (A tens line end is reached through an element into it, and the walk stops there.)
        if let Node::E(u) = end {
            used.e[u] = true;
        }
        match start {
            Node::D(x) => {
                used.d[x] = true;
                self.walk(x, empty, end, excluded, &mut used, &mut acc);
            }
            Node::E(y) => {
                used.e[y] = true;
                for k in 0..self.elements.len() {
                    let (ex, ey, _) = self.elements[k];
                    if ey != y || used.d[ex] || excluded == Some(self.g.idx(ex, ey)) {
                        continue;
                    }
                    used.d[ex] = true;
                    used.el[k] = true;
                    let trail = Trail {
                        depth: 1,
                        ..empty.push(self.element_hop(k))
                    };
                    self.walk(ex, trail, end, excluded, &mut used, &mut acc);
                    used.el[k] = false;
                    used.d[ex] = false;
                }
            }
        }
        (!acc.list.is_empty()).then_some(acc)
    }

    /// The ways on from tens line `x`: (element, the crossing into it, its forward reading),
    /// through elements not used yet; the `MAX_BRANCH` cheapest when there are more.
    fn ways_on(&self, x: usize, excluded: Option<usize>, used: &Used) -> Vec<(usize, usize, f64)> {
        let mut ways: Vec<(usize, usize, f64)> = (0..self.elements.len())
            .filter_map(|k| {
                let (ex, ey, _) = self.elements[k];
                if used.el[k] || used.e[ey] || used.d[ex] {
                    return None;
                }
                let hop = self.g.idx(x, ey);
                let f = self.forward[hop]?;
                let excluded = excluded == Some(hop) || excluded == Some(self.g.idx(ex, ey));
                (!excluded).then_some((k, hop, f))
            })
            .collect();
        if ways.len() > MAX_BRANCH {
            let cost = |&(k, _, f): &(usize, usize, f64)| f + self.elements[k].2;
            ways.sort_by(|a, b| cost(a).total_cmp(&cost(b)));
            ways.truncate(MAX_BRANCH);
        }
        ways
    }

    /// Continues a path standing on tens line `x`.
    fn walk(
        &self,
        x: usize,
        trail: Trail,
        end: Node,
        excluded: Option<usize>,
        used: &mut Used,
        acc: &mut Paths,
    ) {
        if trail.depth > 0 {
            match end {
                Node::D(b) if b == x => {
                    acc.add(trail.path);
                    return;
                }
                Node::E(u) => {
                    let i = self.g.idx(x, u);
                    if let (Some(f), false) = (self.forward[i], excluded == Some(i)) {
                        acc.add(trail.push(self.forward_hop(i, f)).path);
                    }
                }
                Node::D(_) => {}
            }
        }
        if trail.depth == MAX_ELEMENTS {
            return;
        }
        if acc
            .list
            .first()
            .is_some_and(|p| trail.path.sum > p.sum * FAR)
        {
            return;
        }
        // With `MAX_PATHS` kept, a path no cheaper than the dearest of them is not kept, and
        // every path on from here costs at least this one so far (no reading is negative).
        if self.g.nonnegative
            && acc.list.len() == MAX_PATHS
            && acc.list[MAX_PATHS - 1].sum <= trail.path.sum
        {
            return;
        }
        for (k, hop, f) in self.ways_on(x, excluded, used) {
            let (ex, ey, _) = self.elements[k];
            used.el[k] = true;
            used.e[ey] = true;
            used.d[ex] = true;
            let next = Trail {
                depth: trail.depth + 1,
                ..trail
                    .push(self.forward_hop(hop, f))
                    .push(self.element_hop(k))
            };
            self.walk(ex, next, end, excluded, used, acc);
            used.el[k] = false;
            used.e[ey] = false;
            used.d[ex] = false;
        }
    }
}

/// The sneak paths between the line pairs a sweep measured (D–D and E–E), walked once in the
/// network as it stood then. The noise, the pairs and the bus stages each weigh every measured
/// pair; a later stage whose network is still the one they were walked in (nothing found in
/// between joined it) is given them again rather than walking them anew.
pub(super) struct PairPaths<'m> {
    /// The measurements, in the sweep's order.
    measured: &'m [Measurement],
    /// The network they were walked in: its conductors (the grid and the typical reading are
    /// the same for the whole diagnosis).
    forward: Vec<Option<f64>>,
    elements: Vec<(usize, usize, f64)>,
    /// Each measurement's paths, from its plus terminal to its minus (None: no path, or not a
    /// reading in ohms, which no stage walks).
    paths: Vec<Option<Paths>>,
    /// Each measurement's chance of two wires touching against those paths, once weighed
    /// (`touching`).
    touching: Vec<OnceCell<f64>>,
}

impl<'m> PairPaths<'m> {
    /// Walks the paths of every measured pair `measured` that read in ohms, in `net`.
    pub(super) fn walk(net: &Network, measured: &'m [Measurement]) -> PairPaths<'m> {
        PairPaths {
            measured,
            forward: net.forward.clone(),
            elements: net.elements.clone(),
            paths: (measured.iter())
                .map(|m| match m.reading {
                    crate::model::Reading::Ohms(_) => net.paths(node(m.plus), node(m.minus), None),
                    _ => None,
                })
                .collect(),
            touching: vec![OnceCell::new(); measured.len()],
        }
    }

    /// The measured pairs.
    pub(super) fn measured(&self) -> &'m [Measurement] {
        self.measured
    }

    /// The paths of measured pair `k` (its plus terminal to its minus) in `net`: the ones
    /// walked where `net` is the network they were walked in (`same`), else walked now.
    pub(super) fn of<'s>(&'s self, net: &Network, same: bool, k: usize) -> Option<Cow<'s, Paths>> {
        let m = &self.measured[k];
        if same && matches!(m.reading, crate::model::Reading::Ohms(_)) {
            return self.paths[k].as_ref().map(Cow::Borrowed);
        }
        net.paths(node(m.plus), node(m.minus), None).map(Cow::Owned)
    }

    /// Measured pair `k`'s chance of two wires touching (`bus::touching_chance`), as `weigh`
    /// gives it: in the network the paths were walked in (`same`), weighed once and then
    /// remembered, for every stage that asks weighs it against the same noise (the one
    /// `noise::measure` gave, before any of them); else weighed now.
    pub(super) fn touching(&self, same: bool, k: usize, weigh: impl FnOnce() -> f64) -> f64 {
        match same {
            true => *self.touching[k].get_or_init(weigh),
            false => weigh(),
        }
    }

    /// True when `net` is the network the paths were walked in.
    pub(super) fn same(&self, net: &Network) -> bool {
        net.forward == self.forward && net.elements == self.elements
    }
}

/// The end of a sneak path at terminal `t`.
pub(super) fn node(t: Terminal) -> Node {
    match t.kind {
        LineKind::Tens => Node::D(t.index as usize),
        LineKind::Units => Node::E(t.index as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate;
    use crate::diagnose::elements;
    use crate::diagnose::noise::Noise;
    use crate::diagnose::tests::{Bench, layout};

    #[test]
    fn a_measured_pairs_paths_are_given_again_only_in_the_network_they_were_walked_in() {
        // A reversed handset at D4/E5: D1–D4 reads through D1/E5's handset and it.
        let mut b = Bench::healthy(1.0, &[]);
        b.forward[4][5] = None;
        b.backward(4, 5, 700.0);
        b.bus
            .push((Terminal::tens(1), Terminal::tens(4), Some(1_400.0)));
        let (l, prior) = layout(None);
        let sweep = b.sweep();
        let g = Grid::new(&sweep, &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (mut net, _) = elements::find(&g, &cal, &Noise::prior());
        let kept = PairPaths::walk(&net, sweep.bus());
        let k = (sweep.bus().iter())
            .position(|m| (m.plus, m.minus) == (Terminal::tens(1), Terminal::tens(4)))
            .unwrap();
        let walked = net.paths(Node::D(1), Node::D(4), None);
        assert!(walked.is_some());
        assert!(kept.same(&net));
        assert_eq!(kept.of(&net, true, k).map(Cow::into_owned), walked);
        // A chance weighed in that network is remembered; elsewhere it is weighed anew.
        assert_eq!(kept.touching(true, k, || 0.25), 0.25);
        assert_eq!(kept.touching(true, k, || 0.75), 0.25);
        assert_eq!(kept.touching(false, k, || 0.75), 0.75);
        // D1/E5 no longer conducting: the path through it is gone, and so is the one kept.
        net.forward[g.idx(1, 5)] = None;
        assert!(!kept.same(&net));
        assert_eq!(kept.of(&net, kept.same(&net), k), None);
    }
}
