//! Ghosts the meter drove on a smaller test current: on a sneak path it hit its compliance
//! voltage and dropped range, so the ghost reads far above its path's sum. Which readings are
//! such a ghost's fellows, how far under them a ghost of theirs may read by chance, and which
//! crossings read so far under that they have a handset of their own.
//!
//! Pure: no I/O. No constant here comes from the simulator; the chance band follows the
//! entrance's own handset spread (`Network::scatter`).

use super::network::{Grid, Network, Node, Paths};
use crate::model::Reading;

/// A ghost reading this far above its path sum means the meter dropped to a smaller current.
const RANGE_DROP: f64 = 1.5;
/// Through a leak with other elements about, a range-dropped ghost may read this fraction of
/// its fellows (far dearer paths still pull it down; a reference sweep has one 11 % under).
const PEER_SLACK: f64 = 0.8;
/// Range-dropped ghosts more than this far apart landed on different ranges.
const RANGE_GAP: f64 = 3.0;
/// A ghost one range above its range-dropped fellows reads more than this fraction of what it
/// would read on theirs.
const DECADE_BELOW: f64 = 0.11;
/// Range-dropped ghosts through a leak are fellows only when they spread less than this.
const LEAK_PEER_SPREAD: f64 = 1.15;
/// Through a short or reversed handset, fellows spreading more than this are no yardstick.
const DIODE_PEER_SPREAD: f64 = 1.5;
/// How many fellows' worth of evidence the entrance's handset spread counts for, pooled with
/// the spread the fellows show (a weak prior: a handful of fellows outweigh it).
const PRIOR_WEIGHT: f64 = 3.0;
/// A reading this many standard deviations under what its fellows predict is no ghost of
/// theirs (about one ghost in a thousand scatters that far by chance).
const GHOST_Z: f64 = 3.0;

/// A forward ghost: a crossing whose reading a sneak path explains.
#[derive(Clone, Copy)]
pub(super) struct Ghost {
    /// Its crossing (index into the grid).
    pub(super) cell: usize,
    /// Its forward reading.
    pub(super) ohms: f64,
    /// Its sneak paths, credited to the E→D element it was first explained by.
    pub(super) path: Paths,
}

impl Ghost {
    /// True when it reads far above its path's sum: the meter dropped range on it.
    pub(super) fn range_dropped(&self) -> bool {
        self.ohms >= self.path.cheapest * RANGE_DROP
    }
}

/// The forward ghosts (crossings explained through `ghost_via`) with their sneak paths in the
/// network as it now stands.
pub(super) fn ghosts(g: &Grid, net: &Network, ghost_via: &[Option<usize>]) -> Vec<Ghost> {
    let units = g.units;
    ghost_via
        .iter()
        .enumerate()
        .filter_map(|(cell, via)| {
            let (via, ohms) = ((*via)?, g.f(cell / units, cell % units)?);
            let p = net.paths(Node::D(cell / units), Node::E(cell % units), Some(cell))?;
            Some(Ghost {
                cell,
                ohms,
                path: p.via(via),
            })
        })
        .collect()
}

/// What one range-dropped reading is weighed against.
pub(super) struct Fellows {
    /// Their readings, sorted.
    pub(super) readings: Vec<f64>,
    /// Their centre.
    pub(super) median: f64,
    /// The lowest a ghost of theirs may read by chance, on their range.
    pub(super) floor: f64,
    /// How far under their centre, as a fraction of it, a ghost of theirs may read by chance.
    by_chance: f64,
    /// Another group of such ghosts, a range lower, reads under the reading too.
    group_below: bool,
    /// They run through a short or a reversed handset (not a leak).
    diode_like: bool,
}

/// The fellows of the range-dropped ghost `d` among the range-dropped ghosts `dropped`:
/// ghosts through the same E→D element, with no more diodes on their paths, on the range it
/// sits at or just under. None when it has too few to be weighed against, or sits inside their
/// group (it is one of them).
pub(super) fn fellows(g: &Grid, net: &Network, dropped: &[Ghost], d: Ghost) -> Option<Fellows> {
    let via = d.path.via;
    // A path with fewer diodes reads lower after a range drop, one with more reads higher.
    let mut peers: Vec<f64> = dropped
        .iter()
        .filter(|o| o.path.via == via && o.path.diodes <= d.path.diodes && o.cell != d.cell)
        .map(|o| o.ohms)
        .collect();
    peers.sort_by(f64::total_cmp);
    // Ghosts through a diode-like element (a short or a reversed handset) settle on one range
    // together; through a leak the path is mostly resistance, and its ghosts count as fellows
    // only when they agree closely.
    let diode_like = g.reverse[via]
        .and_then(Reading::ohms)
        .is_some_and(|r| !net.is_leak(r));
    // Diode ghosts that dropped to different ranges form groups a decade apart: weigh the
    // reading against the group it sits below (a reading inside a group is one of them).
    let (readings, group_below) = if diode_like {
        let (group, below) = range_group(&peers, d.ohms)?;
        (group.to_vec(), below)
    } else {
        (peers, false)
    };
    if readings.len() < if diode_like { 1 } else { 2 } {
        return None;
    }
    let n = readings.len();
    let median = if n % 2 == 1 {
        readings[n / 2]
    } else {
        (readings[n / 2 - 1] + readings[n / 2]) / 2.0
    };
    // Ghosts on one range differ as the handsets on their paths do: each handset's diode sets
    // most of a ghost's reading at the smaller current. How much they differ is judged from
    // both the entrance's handset spread (worth `PRIOR_WEIGHT` fellows) and the spread the
    // fellows themselves show, pooled; a new one may fall σ·√(1 + 1/n) under the centre of n
    // fellows by chance.
    let nf = n as f64;
    let mean = readings.iter().sum::<f64>() / nf;
    let seen = readings
        .iter()
        .map(|p| (p / mean - 1.0).powi(2))
        .sum::<f64>();
    let pooled = (PRIOR_WEIGHT * net.scatter.powi(2) + seen) / (PRIOR_WEIGHT + nf - 1.0);
    let sigma = pooled.sqrt() * (1.0 + 1.0 / nf).sqrt();
    let by_chance = (1.0 - GHOST_Z * sigma).clamp(0.3, 0.95);
    let floor = if !diode_like && net.elements.len() > 1 {
        median * by_chance.min(PEER_SLACK)
    } else {
        median * by_chance
    };
    Some(Fellows {
        floor,
        readings,
        median,
        by_chance,
        group_below,
        diode_like,
    })
}

/// A crossing that reads well below the range-dropped ghosts it would be one of.
pub(super) struct Dip {
    /// The crossing, taken for a ghost until now.
    pub(super) ghost: Ghost,
    /// Lowest and highest reading of those ghosts.
    pub(super) fellows: (f64, f64),
}

/// The range-dropped ones among `ghosts` that read well below their fellows: each has a
/// handset of its own.
pub(super) fn dips(g: &Grid, net: &Network, ghosts: &[Ghost]) -> Vec<Dip> {
    let mut dropped: Vec<Ghost> = ghosts
        .iter()
        .copied()
        .filter(Ghost::range_dropped)
        .collect();
    let mut found: Vec<Dip> = Vec::new();
    // A reading found to have a handset of its own is no ghost, and no fellow of the others:
    // weigh them again without it until nothing more is found.
    loop {
        let before = found.len();
        dropped.retain(|d| !found.iter().any(|f| f.ghost.cell == d.cell));
        for &d in &dropped {
            if let Some(w) = fellows(g, net, &dropped, d)
                && is_dip(&w, d)
            {
                found.push(Dip {
                    ghost: d,
                    fellows: (w.readings[0], w.readings[w.readings.len() - 1]),
                });
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// True when the range-dropped reading `d` is lower than any ghost of its fellows `w` reads.
fn is_dip(w: &Fellows, d: Ghost) -> bool {
    let f = d.ohms;
    let spread = w.readings[w.readings.len() - 1] / w.readings[0];
    let max_spread = if w.diode_like {
        DIODE_PEER_SPREAD
    } else {
        LEAK_PEER_SPREAD
    };
    let same_range = f < w.floor && f > w.median / 5.0;
    // A ghost that landed one decade range lower runs at ten times the current, so its path
    // voltage is higher — each diode on it, at least as many as on its fellows', adds some
    // 60 mV or more per decade — and it reads over 0.11 of what it would read on their range;
    // a handset of its own reads within the same range, or below that. Far below a group with
    // another group under it is that lower range, not a handset.
    let far_below = f < w.median * w.by_chance * DECADE_BELOW && !w.group_below;
    // Through a leak the path is mostly resistance, so a ghost one range up (ten times the
    // current) reads not a tenth of its fellows but its path sum plus a tenth of what the
    // diodes add to theirs.
    let cheapest = d.path.cheapest;
    let range_up = cheapest + (w.median - cheapest) * 0.1;
    let one_range_up = !w.diode_like && f > range_up * 0.85 && f < range_up * 1.2;
    (same_range || far_below) && spread < max_spread && !one_range_up
}

/// Readings of range-dropped ghosts (sorted) split into groups, one per meter range: a gap of
/// more than `RANGE_GAP` between neighbours starts a new group. The group a reading of `f`
/// sits just below, and whether a group lies below `f` too; None when `f` is inside a group
/// or above them all.
fn range_group(sorted: &[f64], f: f64) -> Option<(&[f64], bool)> {
    let mut start = 0;
    for k in 1..=sorted.len() {
        if k == sorted.len() || sorted[k] > sorted[k - 1] * RANGE_GAP {
            let group = &sorted[start..k];
            if f < group[0] {
                return Some((group, start > 0));
            }
            if f <= group[group.len() - 1] {
                return None;
            }
            start = k;
        }
    }
    None
}
