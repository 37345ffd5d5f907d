//! The matrix as a conducting network: handsets conducting D→E with their forward readings,
//! elements conducting E→D with their reverse readings, and the sneak paths between two
//! terminals through them — each path with the readings (hops) it is made of, so that what it
//! reads can be predicted (`predict.rs`).
//!
//! Series readings at one test current add (domain.md §4), so a path's sum is the sum of the
//! readings of its hops: the first guess at what it reads. Pure; no constant here comes from
//! the simulator.

use super::grid::Grid;

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
