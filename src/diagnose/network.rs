//! The matrix as a conducting network: handsets conducting D→E with their forward readings,
//! elements conducting E→D with their reverse readings, and the sneak paths between two
//! terminals through them — the cheapest, how many come close, how many dearer ones still
//! draw current, and what the cheapest is made of (its first E→D element, its diodes).
//!
//! Series readings at one test current add (domain.md §4), so a path's cost is the sum of
//! the readings of its hops. Pure; no constant here comes from the simulator.

use crate::model::Reading;

/// A reading within this fraction of a lone sneak path's predicted value is that path.
/// Series readings at one test current add; a direct element in parallel pulls the reading
/// clearly below the sum.
const LONE_PATH_SLACK: f64 = 0.97;
/// With a single E→D element in the whole matrix there is exactly one sneak path per crossing,
/// and a ghost reads its sum to within the meter's noise (0.4 % on both physical models we
/// checked); a bad-contact handset under it pulls the reading below.
const ONLY_PATH_SLACK: f64 = 0.993;
/// Sneak paths within this factor of the cheapest one carry a real share of the current.
const NEAR: f64 = 1.3;
/// Paths up to this multiple of the cheapest are walked too: through a leak one of them still
/// draws enough current to pull a ghost a few per cent under its cheapest path.
const FAR: f64 = 4.0;
/// A lone cheapest path with dearer ones beside it reads down to this fraction of its sum.
const FAR_PATHS_SLACK: f64 = 0.95;
/// With several sneak paths in parallel the reading falls below the cheapest one.
pub(super) const MANY_PATHS_SLACK: f64 = 0.80;
/// A reverse reading up to this multiple of typical, with forward open, is a reversed handset.
const REVERSED_MAX: f64 = 2.5;

/// The readings of one matrix as dense arrays, tens-major.
pub(super) struct Grid {
    pub(super) tens: usize,
    pub(super) units: usize,
    pub(super) forward: Vec<Option<Reading>>,
    pub(super) reverse: Vec<Option<Reading>>,
}

impl Grid {
    pub(super) fn idx(&self, t: usize, u: usize) -> usize {
        t * self.units + u
    }

    pub(super) fn f(&self, t: usize, u: usize) -> Option<f64> {
        self.forward[self.idx(t, u)].and_then(Reading::ohms)
    }

    pub(super) fn r(&self, t: usize, u: usize) -> Option<f64> {
        self.reverse[self.idx(t, u)].and_then(Reading::ohms)
    }
}

/// Cheapest sneak path found for a reading, and how many paths come close to it.
#[derive(Clone, Copy)]
pub(super) struct Paths {
    pub(super) cheapest: f64,
    near: usize,
    /// Paths through a leak beyond `NEAR` but within `FAR` of the cheapest: with no diode
    /// threshold to cross, each still draws some current.
    far: usize,
    /// The E→D element the cheapest path runs through.
    pub(super) via: usize,
    /// True when the cheapest path runs through a leak.
    leaky: bool,
    /// Diodes on the cheapest path: at a meter's lower test current each one adds about the
    /// same voltage, so only ghosts with the same count read alike after a range drop.
    pub(super) diodes: usize,
}

/// A sneak path being walked: its cost so far, E→D elements and diodes on it, and the first
/// element it runs through.
#[derive(Clone, Copy)]
struct Trail {
    cost: f64,
    /// True once the path runs through a leak (a resistance, no diode threshold).
    leaky: bool,
    depth: usize,
    diodes: usize,
    via: Option<usize>,
}

impl Paths {
    /// True when no other path comes close to the cheapest: the reading is its sum alone.
    pub(super) fn lone(self) -> bool {
        self.near == 1
    }

    /// The same paths, credited to the E→D element `via` (as the ghost was when first found).
    pub(super) fn via(self, via: usize) -> Paths {
        Paths { via, ..self }
    }

    fn add(acc: Option<Paths>, sum: f64, via: usize, diodes: usize, leaky: bool) -> Option<Paths> {
        Some(match acc {
            None => Paths {
                cheapest: sum,
                near: 1,
                far: 0,
                leaky,
                via,
                diodes,
            },
            Some(p) if sum < p.cheapest => {
                // Displaced near paths count as far ones through a leak when the cheapest of
                // them was (the others' make-up is not kept).
                let (near, far) = if p.cheapest <= sum * NEAR {
                    (p.near + 1, p.far)
                } else if p.cheapest <= sum * FAR {
                    (1, p.far + if p.leaky { p.near } else { 0 })
                } else {
                    (1, 0)
                };
                Paths {
                    cheapest: sum,
                    near,
                    far,
                    leaky,
                    via,
                    diodes,
                }
            }
            Some(p) => Paths {
                near: p.near + (sum <= p.cheapest * NEAR) as usize,
                far: p.far + (leaky && sum > p.cheapest * NEAR && sum <= p.cheapest * FAR) as usize,
                ..p
            },
        })
    }

    /// True when a reading of `ohms` is what these paths would show, in a network with
    /// `elements` E→D elements.
    pub(super) fn explains(self, ohms: f64, elements: usize) -> bool {
        ohms >= self.cheapest * self.floor(elements)
    }

    /// The lowest fraction of the cheapest path's sum that these paths may read, in a network
    /// with `elements` E→D elements.
    pub(super) fn floor(self, elements: usize) -> f64 {
        if self.near > 1 {
            MANY_PATHS_SLACK
        } else if self.far > 0 {
            FAR_PATHS_SLACK
        } else if elements > 1 {
            LONE_PATH_SLACK
        } else {
            ONLY_PATH_SLACK
        }
    }
}

/// One end of a sneak path: a tens or a units line.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Node {
    D(usize),
    E(usize),
}

/// The conducting network as the engine knows it: handsets conducting D→E (with their
/// forward readings) and elements conducting E→D (with their reverse readings).
pub(super) struct Network<'a> {
    pub(super) g: &'a Grid,
    pub(super) forward: Vec<Option<f64>>,
    pub(super) elements: Vec<(usize, usize, f64)>,
    /// The entrance's typical forward reading: tells a diode from a bare resistance.
    pub(super) typ: f64,
    /// How much its healthy handsets differ (relative standard deviation of their forward
    /// readings): ghosts through different handsets differ about as much.
    pub(super) scatter: f64,
}

/// Sneak paths through at most this many E→D elements are considered.
const MAX_ELEMENTS: usize = 3;

impl Network<'_> {
    /// True when an E→D element reading `ohms` is a leak: far above a handset, no diode.
    pub(super) fn is_leak(&self, ohms: f64) -> bool {
        ohms > self.typ * REVERSED_MAX
    }

    /// True when a hop reading `ohms` has a diode in it (not a bare short, not a leak).
    fn is_diode(&self, ohms: f64) -> bool {
        ohms >= self.typ * 0.5 && ohms <= self.typ * REVERSED_MAX
    }

    /// Every simple path from `start` to `end` through at least one E→D element, not using
    /// the crossing `excluded`: the cheapest, and how many come close to it.
    pub(super) fn paths(&self, start: Node, end: Node, excluded: Option<usize>) -> Option<Paths> {
        let mut acc = None;
        let mut used = Used {
            d: vec![false; self.g.tens],
            e: vec![false; self.g.units],
            el: vec![false; self.elements.len()],
        };
        let start_trail = Trail {
            cost: 0.0,
            leaky: false,
            depth: 0,
            diodes: 0,
            via: None,
        };
        match start {
            Node::D(x) => {
                used.d[x] = true;
                self.walk(x, start_trail, end, excluded, &mut used, &mut acc);
            }
            Node::E(y) => {
                used.e[y] = true;
                for (k, &(ex, ey, r)) in self.elements.iter().enumerate() {
                    if ey != y || used.d[ex] || excluded == Some(self.g.idx(ex, ey)) {
                        continue;
                    }
                    used.d[ex] = true;
                    used.el[k] = true;
                    let trail = Trail {
                        cost: r,
                        depth: 1,
                        diodes: self.is_diode(r) as usize,
                        leaky: self.is_leak(r),
                        via: Some(k),
                    };
                    self.walk(ex, trail, end, excluded, &mut used, &mut acc);
                    used.el[k] = false;
                    used.d[ex] = false;
                }
            }
        }
        acc
    }

    /// Continues a path standing on tens line `x`.
    fn walk(
        &self,
        x: usize,
        trail: Trail,
        end: Node,
        excluded: Option<usize>,
        used: &mut Used,
        acc: &mut Option<Paths>,
    ) {
        let via_cell = |k: usize| self.g.idx(self.elements[k].0, self.elements[k].1);
        if let Some(k) = trail.via {
            match end {
                Node::D(b) if b == x => {
                    *acc = Paths::add(*acc, trail.cost, via_cell(k), trail.diodes, trail.leaky);
                    return;
                }
                Node::E(u) => {
                    let i = self.g.idx(x, u);
                    if let (Some(f), false) = (self.forward[i], excluded == Some(i)) {
                        let diodes = trail.diodes + self.is_diode(f) as usize;
                        *acc = Paths::add(*acc, trail.cost + f, via_cell(k), diodes, trail.leaky);
                    }
                }
                Node::D(_) => {}
            }
        }
        if trail.depth == MAX_ELEMENTS {
            return;
        }
        if acc.is_some_and(|p| trail.cost > p.cheapest * FAR) {
            return;
        }
        for (k, &(ex, ey, r)) in self.elements.iter().enumerate() {
            if used.el[k] || used.e[ey] || used.d[ex] {
                continue;
            }
            let hop = self.g.idx(x, ey);
            let Some(f) = self.forward[hop] else { continue };
            if excluded == Some(hop) || excluded == Some(self.g.idx(ex, ey)) {
                continue;
            }
            used.el[k] = true;
            used.e[ey] = true;
            used.d[ex] = true;
            let next = Trail {
                cost: trail.cost + f + r,
                depth: trail.depth + 1,
                diodes: trail.diodes + self.is_diode(f) as usize + self.is_diode(r) as usize,
                leaky: trail.leaky || self.is_leak(r),
                via: trail.via.or(Some(k)),
            };
            self.walk(ex, next, end, excluded, used, acc);
            used.el[k] = false;
            used.e[ey] = false;
            used.d[ex] = false;
        }
    }
}

/// Lines and elements a path being walked already uses.
struct Used {
    d: Vec<bool>,
    e: Vec<bool>,
    el: Vec<bool>,
}
