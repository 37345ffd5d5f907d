//! Ghosts the meter drove on a smaller test current: on a sneak path it hit its compliance
//! voltage or its range's full scale and stepped to a higher range, so the ghost reads far
//! above its path's sum and the sum no longer predicts it. Ghosts through one faulty handset
//! that stepped to the same range read alike (each handset's diode sets most of the reading
//! at the smaller current), so they are each other's yardstick: which readings are a ghost's
//! fellows, how far under them a ghost of theirs may read by chance, and how likely a reading
//! far under them is a handset of its own (a bad contact) rather than such a chance. A
//! reading's digits show the display step of the range it was read on (each range down ten
//! times coarser): ghosts they show on the range just below the handsets' tell a reading read
//! on a smaller current that it is no ghost one range above them.
//!
//! Pure: no I/O. No constant here comes from the simulator; the chance band follows the
//! entrance's own handset spread.

use super::calibrate::Calibration;
use super::evidence::{
    BAD_CONTACT_LOW, Band, DOUBT, PRIOR_FAULT_KIND, log_uniform, normal, posterior, student_t,
};
use super::grid::{Grid, digits_step};
use super::network::{MAX_ELEMENTS, MAX_HOPS, Network, Node, Path, Paths};

/// A ghost reading this far above its path sum means the meter dropped to a smaller current:
/// noise, wiring and parallel paths only ever pull a ghost under its sum.
pub(super) const RANGE_DROP: f64 = 1.5;
/// Through a leak with other elements about, a range-dropped ghost may read this fraction of
/// its fellows (far dearer paths still pull it down).
const PEER_SLACK: f64 = 0.8;
/// Range-dropped ghosts more than this far apart landed on different ranges.
const RANGE_GAP: f64 = 3.0;
/// A ghost one range above its range-dropped fellows reads more than this fraction of what it
/// would read on theirs: each diode on it, at least as many as on its fellows', adds some 60 mV
/// or more per decade of current.
const DECADE_BELOW: f64 = 0.11;
/// Range-dropped ghosts through a leak that sets most of what they read (half or more) are
/// fellows only when they spread less than this: the leak's resistance is the same for each.
const LEAK_PEER_SPREAD: f64 = 1.15;
/// Through a short or reversed handset, fellows spreading more than this are no yardstick.
const DIODE_PEER_SPREAD: f64 = 1.5;
/// How many fellows' worth of evidence the entrance's handset spread counts for, pooled with
/// the spread the fellows show (a weak prior: a handful of fellows outweigh it).
const PRIOR_WEIGHT: f64 = 3.0;
/// A reading more than this many noise standard deviations above its paths' band was not
/// read on the first range: noise alone puts one ghost in 30 000 there, and an entrance has at
/// most a few hundred crossings.
const ABOVE_BAND: f64 = 4.0;
/// A ghost one range up is weighed against the scatter its fellows themselves show only when
/// there are at least this many: two fellows give one difference, and two ghosts through
/// one handset often share most of their path's handsets, so it says little about a third.
const OWN_SCATTER_FELLOWS: usize = 3;
/// One-sided 99.5 % quantiles of Student's t with 2, 3, … 12 degrees of freedom (more use the
/// last, a little wide): a new ghost falls this many of its fellows' own standard deviations
/// (times √(1 + 1/n)) under their centre once in 200, the sample spread's own uncertainty
/// included.
const STUDENT_T_995: [f64; 11] = [
    9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106, 3.055,
];
/// A bad contact behind a range-dropped ghost pulls the reading anywhere from its fellows'
/// level down to this fraction of it (below, it would read on a range of its own).
const DIP_DEPTH: f64 = 0.05;
/// A ghost one range above its fellows (ten times their current) reads at most this share of
/// what they read: their paths could not be driven on its range, and at a tenth of the
/// current each of their diodes gives back only some 60 mV of what they needed there, so
/// theirs read at least five times its full scale. A reading over it sits on their range.
const RANGE_UP_MAX: f64 = 0.2;
/// Each meter range runs at a tenth of the previous one's current and shows a ten times
/// coarser display step (a ranged meter's decimal point moves one place; a constant-current
/// meter's full scale, its compliance over its current, grows tenfold).
const RANGE_STEP: f64 = 10.0;
/// The most ranges a meter has between two of its readings (`reachable_from`): five ranges
/// span a handset's hundreds of ohms to tens of megohms.
const MAX_RANGES_UP: usize = 6;
/// Fellows needed to weigh a ghost by what its own path rises to (`AlongPath`): three leave
/// two degrees of freedom to the spread they show, and Student's t with two has tails heavy
/// enough for a spread that three values happen to make small.
const ALONG_FELLOWS: usize = 3;
/// Ghosts shown by their digits on the first range below the handsets' are a yardstick only
/// when at least this many agree: one alone may owe its rise to an odd handset of its own
/// (another model's diode), which a second through other handsets would not share.
const SHOWN_FELLOWS: usize = 2;

/// A forward ghost: a crossing whose reading sneak paths explain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Ghost {
    /// Its crossing (index into the grid).
    pub(super) cell: usize,
    /// Its forward reading.
    pub(super) ohms: f64,
    /// Its cheapest path's sum.
    pub(super) cheapest: f64,
    /// The crossing of the E→D element its cheapest path runs through.
    pub(super) via: usize,
    /// Every E→D element its cheapest path runs through, by crossing, in order
    /// (`NO_ELEMENT` after the last): ghosts read alike after a range drop only along paths
    /// through the same elements, since a second element beyond `via` (a leak of 160 kΩ or a
    /// short of 1 Ω) sets what the path needs as much as the first.
    route: [usize; MAX_ELEMENTS],
    /// Diodes on its cheapest path that carry its current: at a meter's lower test current
    /// each one adds about the same voltage, so only ghosts with the same count read alike
    /// after a range drop. A leaky handset passed forwards whose leak reads less than a
    /// junction does on this ghost's range is not counted: at that current its leak, not its
    /// junction, carries the path.
    pub(super) diodes: usize,
    /// A junction on its cheapest path is bypassed by a leak (not counted in `diodes`): that
    /// leak's resistance, like a leak element's, sets what the path reads after a range drop.
    bypassed: bool,
    /// Junctions on its cheapest path: its diodes, and the second junction of each handset on
    /// it of the riser's second model (`Calibration::second_model`). After a range drop a
    /// ghost through one more junction reads about a decade higher on the same current.
    junctions: usize,
    /// A handset on its cheapest path reads above what a healthy one of this entrance reads
    /// (a bad contact, or a handset of no model the riser shows): that hop's resistance,
    /// not its junctions, sets what the path needs after a range drop, so the ghost is no
    /// yardstick for others.
    odd_hop: bool,
    /// The crossings whose forward readings its cheapest path runs through (`NO_ELEMENT` after
    /// the last): each taken for one handset's junction, which a reading its own sneak paths
    /// give as well may not be (`dips`' `unsure`).
    forward_hops: [usize; MAX_HOPS],
    /// The most a ghost read on the meter's first range (its paths' sum, at the current the
    /// handsets were read at) reads here: above it, the meter read it on a smaller current.
    pub(super) first_range_hi: f64,
    /// The least a ghost read on the first range reads here.
    first_range_lo: f64,
    /// A reading above this was read on a smaller current than the first range's: above
    /// `first_range_hi` and above its cheapest path's sum, each by more than noise.
    read_below_over: f64,
    /// Every sneak path kept for it runs through the one element `via` and no other: on a
    /// smaller current nothing but that element's paths carries it, so it rises as they do.
    single: bool,
    /// The highest reading of a junction on its cheapest path whose digits do not show the
    /// first range's step (0 when every one shows it, infinite when the sweep shows no step):
    /// it too was read on the first range if it reads no more than a reading shown there (a
    /// reading one range down reads above the first range's full scale). A handset read a
    /// range down, a bad contact, reads more than on the first range, so a sum through it is
    /// no first-range value.
    junction_top: f64,
    /// The plain resistance on its cheapest path (`ohmic`), Ω.
    ohmic: f64,
    /// Its sneak paths through other E→D elements than `via` with no more diodes than the
    /// cheapest: each element's crossing, the fewest diodes on a path through it and that
    /// path's first-range sum (`NO_ELEMENT` where unused). On a smaller test current the path
    /// with fewer diodes carries more, whichever is cheapest on the first range, so this
    /// ghost's reading may fall towards what those paths read.
    pub(super) others: [Other; OTHER_ELEMENTS],
}

/// Halvings of the voltage range when working out what paths read together (`in_parallel`):
/// 2⁻⁴⁰ of a megohm is far under any display's step.
const PARALLEL_STEPS: usize = 40;
/// Other elements' paths kept per ghost: an entrance with a fault or three has at most a few
/// E→D elements, and a crossing's paths run through a handful at most.
const OTHER_ELEMENTS: usize = 3;
/// No element (an unused slot of `Ghost::others`).
const NO_ELEMENT: usize = usize::MAX;

/// A ghost's cheapest sneak path through one other E→D element.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Other {
    /// The element's crossing (`NO_ELEMENT` for none).
    element: usize,
    /// The fewest diodes carrying the current on a path through it.
    diodes: usize,
    /// That path's sum on the first range, Ω: the least it reads on any current (each diode
    /// reads more on a smaller one).
    sum: f64,
    /// The plain resistance on that path (`ohmic`), Ω.
    ohmic: f64,
}

impl Other {
    const NONE: Other = Other {
        element: NO_ELEMENT,
        diodes: 0,
        sum: f64::INFINITY,
        ohmic: 0.0,
    };
}

/// The part of path `q`'s reading on a meter's smaller current that is plain resistance: the
/// leaks on it (each reads its resistance backwards), Ω. The rest is its junctions', which a
/// tenfold change of current moves by some 60 mV each: on a share of the current the path
/// reads nearly the junctions' voltage still, while its resistance's falls with the share.
fn ohmic(q: &Path, net: &Network) -> f64 {
    (q.hops().iter())
        .filter_map(|h| h.element_cell())
        .filter_map(|e| net.g.ri(e))
        .filter(|&r| net.is_leak(r))
        .sum()
}

impl Ghost {
    /// The ghost at crossing `cell` reading `ohms`, with sneak paths `p` in network `net`
    /// whose band on the first range is `band`; its handsets' readings are judged against
    /// the entrance's models, `cal`.
    pub(super) fn new(
        cell: usize,
        ohms: f64,
        p: &Paths,
        net: &Network,
        band: &Band,
        cal: &Calibration,
    ) -> Ghost {
        let via = p.via();
        let diodes = carrying_diodes(p.best(), net, ohms);
        let handsets =
            || (p.best().hops().iter()).filter(|h| h.diode && h.element_cell().is_none());
        let second = cal.second_model().map_or(0, |(lo, hi)| {
            handsets().filter(|h| h.ohms >= lo && h.ohms <= hi).count()
        });
        let odd_hop = handsets().any(|h| h.ohms > cal.healthy_reach());
        let mut others = [Other::NONE; OTHER_ELEMENTS];
        for q in (p.list.iter().skip(1)).filter(|q| q.via() != via && !twins(net, via, q.via())) {
            let o = Other {
                element: q.via(),
                diodes: carrying_diodes(q, net, ohms),
                sum: q.sum,
                ohmic: ohmic(q, net),
            };
            if o.diodes > diodes {
                continue;
            }
            let slot = others
                .iter_mut()
                .find(|s| s.element == o.element || s.element == NO_ELEMENT);
            if let Some(slot) = slot.filter(|s| s.element == NO_ELEMENT || o.diodes < s.diodes) {
                *slot = o;
            }
        }
        let best = p.best();
        let mut route = [NO_ELEMENT; MAX_ELEMENTS];
        for (slot, e) in route
            .iter_mut()
            .zip(best.hops().iter().filter_map(|h| h.element_cell()))
        {
            *slot = e;
        }
        let mut forward_hops = [NO_ELEMENT; MAX_HOPS];
        let forward = best.hops().iter().filter(|h| h.element_cell().is_none());
        for (slot, h) in forward_hops.iter_mut().zip(forward) {
            *slot = (h.id / 2) as usize;
        }
        let first_step = net.g.step(net.typ) * (1.0 + 1e-6);
        let junction_top = if first_step > 0.0 {
            (best.hops().iter())
                .filter(|h| h.diode && digits_step(h.ohms) > first_step)
                .fold(0.0, |top, h| h.ohms.max(top))
        } else {
            f64::INFINITY
        };
        let single = p.list.iter().all(|path| {
            path.hops()
                .iter()
                .filter_map(|h| h.element_cell())
                .all(|e| e == via)
        });
        Ghost {
            cell,
            ohms,
            cheapest: p.cheapest(),
            via,
            route,
            diodes,
            bypassed: diodes < p.best().diodes(),
            junctions: diodes + second,
            odd_hop,
            forward_hops,
            first_range_hi: band.hi + ABOVE_BAND * band.sigma,
            // Parallel paths pull a ghost under its cheapest path's sum by less than the
            // band's linear network says where they run through diodes: sharing the current,
            // each diode reads higher at its smaller share. Only the sum bounds it (seeds
            // 286-288, lab: 147 read 1924 Ω against a band of 1909 Ω and a sum of 1918 Ω, and
            // was weighed as read on a smaller current).
            read_below_over: band.hi.max(p.cheapest()) + ABOVE_BAND * band.sigma,
            first_range_lo: band.lo - ABOVE_BAND * band.sigma,
            single,
            junction_top,
            ohmic: ohmic(best, net),
            others,
        }
    }

    /// True when it reads far above its path's sum: the meter dropped range on it.
    pub(super) fn range_dropped(&self) -> bool {
        self.ohms >= self.cheapest * RANGE_DROP
    }

    /// True when it reads above anything its paths give on the first range.
    fn above_first_range(&self) -> bool {
        self.ohms > self.read_below_over
    }

    /// The crossings whose forward readings its cheapest path runs through.
    pub(super) fn forward_hops(&self) -> impl Iterator<Item = usize> + '_ {
        self.forward_hops
            .iter()
            .copied()
            .take_while(|&c| c != NO_ELEMENT)
    }
}

/// True when the E→D elements at crossings `a` and `b` may be one handset read twice, the
/// second time through two touching lines: they share a line and their reverse readings
/// differ by no more than touching wires read (`bus::TOUCH_MAX`). A path through the twin is
/// the same path, not another one beside it.
fn twins(net: &Network, a: usize, b: usize) -> bool {
    let ((at, au), (bt, bu)) = (net.g.tu(a), net.g.tu(b));
    let reverse = |i: usize| net.g.ri(i).unwrap_or(f64::NAN);
    (at == bt || au == bu) && (reverse(a) - reverse(b)).abs() <= super::bus::TOUCH_MAX
}

/// Diodes on path `q` that carry the current of a ghost reading `ohms`: a leaky handset passed
/// forwards whose leak reads less than a junction does on this ghost's range is not counted
/// (at that current its leak, not its junction, carries the path).
fn carrying_diodes(q: &Path, net: &Network, ohms: f64) -> usize {
    let junctions = q.diodes();
    // What one junction reads on the range this ghost was read on, at most.
    let per_junction = ohms / junctions.max(1) as f64;
    let bypassed = q
        .hops()
        .iter()
        .filter(|h| h.diode && h.element_cell().is_none())
        .filter(|h| {
            net.leak_at((h.id / 2) as usize)
                .is_some_and(|leak| leak < per_junction)
        })
        .count();
    junctions - bypassed
}

/// What one range-dropped reading is weighed against.
#[derive(Clone)]
pub(super) struct Fellows {
    /// Their readings, sorted.
    pub(super) readings: Vec<f64>,
    /// Their centre.
    pub(super) median: f64,
    /// The lowest a ghost of theirs may read by chance (three standard deviations under).
    pub(super) floor: f64,
    /// Relative standard deviation of a new ghost of theirs about their centre.
    sigma: f64,
    /// The lowest a ghost of theirs one range up (ten times the current) may read: each
    /// diode adds some voltage per decade of current, so such a ghost reads more than a
    /// tenth of what it would on their range.
    range_up_floor: f64,
    /// Another group of such ghosts, a range lower, reads under the reading too.
    group_below: bool,
    /// They run through a short or a reversed handset (not a leak).
    diode_like: bool,
    /// More than one of them, a group of their ghosts a range above, or another reading of the
    /// sweep like the lone one: their level is a ghost's, not a bad contact's pulled under it.
    corroborated: bool,
    /// What a ghost at the weighed crossing reads on their range, worked out from its own
    /// path's first-range sum as theirs rose (`along_own_path`); None where that does not
    /// apply.
    along: Option<AlongPath>,
}

/// The least a ghost reads on the smaller current its fellows were read on, worked out from
/// its own path: where that lies, and how it scatters (Student's t).
#[derive(Debug, Clone, Copy, PartialEq)]
struct AlongPath {
    /// The least a ghost there reads, Ω.
    lower: f64,
    /// The scale of its scatter about that, Ω: the fellows' own spread, as they measure it.
    scale: f64,
    /// Degrees of freedom of that spread: the fellows less one.
    dof: usize,
}

/// The ghosts among `dropped` that are fellows of `d`: through the same E→D element (or
/// another lone diode-like one), with no more diodes or junctions on their paths, and no odd
/// hop.
fn peers_of<'a>(g: &Grid, net: &Network, dropped: &'a [Ghost], d: &Ghost) -> Vec<&'a Ghost> {
    // A path with fewer junctions reads lower after a range drop, one with more reads higher;
    // one through other elements besides reads as they make it. Whether a second model's
    // handset adds a whole junction's voltage on the meter's smaller current the sweep does
    // not say: a fellow has no more junctions counted either way, its diodes alone or with
    // those.
    //
    // Through one short or reversed handset, the element adds nothing but a junction (a
    // reversed handset's) or a few ohms (a short's) that a smaller current makes nothing of:
    // ghosts through different such elements with as many diodes and junctions read alike
    // (with fewer, they read a range or more lower: no level for this one to sit among).
    // Through a leak the leak's own resistance sets the level, so only its own ghosts are
    // fellows; so is a path with a junction a leaky handset bypasses (seeds 41-45: a 148 kΩ
    // reverse reading taken for a leak set a 1.77 MΩ ghost beside another element's
    // two-diode ghosts, and an empty flat far under it was named). A route through two
    // elements or more is only its own too: a cheaper path on the meter's smaller current
    // (fewer diodes through fewer elements, dearer on the first range) may carry its ghost, as
    // it carried a 5-diode ghost to the 3-diode ghosts' level on seeds 26-30 (flat 53).
    let lone_diode_element = |o: &Ghost| {
        let mut route = o.route.iter().filter(|&&e| e != NO_ELEMENT);
        !o.bypassed
            && route
                .next()
                .is_some_and(|&e| g.ri(e).is_some_and(|r| !net.is_leak(r)))
            && route.next().is_none()
    };
    let fellow_route = |o: &Ghost| {
        o.route == d.route
            || (lone_diode_element(d)
                && lone_diode_element(o)
                && o.diodes == d.diodes
                && o.junctions == d.junctions)
    };
    dropped
        .iter()
        .filter(|o| fellow_route(o) && o.cell != d.cell)
        .filter(|o| o.diodes <= d.diodes && o.junctions <= d.junctions)
        .filter(|o| !o.odd_hop)
        .collect()
}

/// The readings of `peers`, sorted, less each group of them (one per meter range, as
/// `range_group` splits them) that no ghost of the group above it could read on any range:
/// such a group is bad contacts reading alike, not ghosts, and no yardstick (seeds 236-238:
/// two bad contacts at 11.2 and 11.6 kΩ under twelve ghosts at 1.24-1.45 MΩ through one
/// reversed handset each kept the other from being weighed against those, and neither was
/// named). Only a group whose paths and the upper group's run through that one element
/// alone, with as many diodes and junctions, is dropped: with fewer, or beside another
/// element's paths, its ghosts read lower on any range.
fn on_reachable_ranges(peers: &[&Ghost], spread: f64) -> Vec<f64> {
    let mut sorted: Vec<&Ghost> = peers.to_vec();
    sorted.sort_by(|a, b| a.ohms.total_cmp(&b.ohms));
    let ohms: Vec<f64> = sorted.iter().map(|o| o.ohms).collect();
    // Group bounds, lowest first.
    let mut bounds = Vec::new();
    let mut start = 0;
    for k in 1..=ohms.len() {
        if k == ohms.len() || ohms[k] > ohms[k - 1] * RANGE_GAP {
            bounds.push(start..k);
            start = k;
        }
    }
    let alike = |a: &Ghost, b: &Ghost| a.diodes == b.diodes && a.junctions == b.junctions;
    let mut kept: Vec<f64> = Vec::with_capacity(ohms.len());
    // From the highest group down, each weighed against the nearest group above it kept.
    let mut above: Option<std::ops::Range<usize>> = None;
    for group in bounds.into_iter().rev() {
        let unreachable = above.as_ref().is_some_and(|up| {
            let (upper, lower) = (&sorted[up.clone()], &sorted[group.clone()]);
            let median = super::calibrate::median(&ohms[up.clone()]);
            let (_, by_chance) = scatter(&ohms[up.clone()], spread);
            lower
                .iter()
                .chain(upper)
                .all(|o| o.single && alike(o, upper[0]))
                && lower
                    .iter()
                    .all(|o| !reachable_from(o.ohms, median, median * by_chance))
        });
        if !unreachable {
            kept.extend_from_slice(&ohms[group.clone()]);
            above = Some(group);
        }
    }
    kept.sort_by(f64::total_cmp);
    kept
}

/// True when a ghost through the paths of range-dropped ghosts reading about `median` (at
/// least `floor` by chance) may read `f`: on their range (at or over `floor`), or j ranges
/// above it (j times ten the current). Each decade of current adds at least a tenth to what
/// a path's junctions need (`DECADE_BELOW`), so j ranges up it reads over
/// floor · 10⁻ʲ · (1 + j/10); and it reads no more than the full scale of its range, which
/// is 10¹⁻ʲ · `RANGE_UP_MAX` of theirs (their paths could not be driven a range above them,
/// so they read at least five times that range's full scale).
fn reachable_from(f: f64, median: f64, floor: f64) -> bool {
    if f >= floor {
        return true;
    }
    let rise_per_decade = DECADE_BELOW * RANGE_STEP - 1.0;
    (1..=MAX_RANGES_UP).any(|j| {
        let down = RANGE_STEP.powi(j as i32);
        let lowest = floor / down * (1.0 + rise_per_decade * j as f64);
        let highest = median * RANGE_UP_MAX * RANGE_STEP / down;
        f >= lowest && f <= highest
    })
}

/// True when a reading of the sweep other than `d`'s and its fellows' that may be a ghost,
/// forward or reverse, sits at the fellows' level `median` (within `DIODE_PEER_SPREAD`). A
/// forward reading no sneak path reaches is its handset's own, whatever it reads: it says
/// nothing of where ghosts land (seeds 312-314: a bad contact at 55, on the short's own line,
/// read 105 kΩ one range up beside a lone fellow at 96 kΩ, and the empty 35, a ghost a range
/// under that fellow, was named a bad contact at 99 %).
fn read_elsewhere(g: &Grid, net: &Network, median: f64, d: &Ghost, fellows: &[&Ghost]) -> bool {
    let alike = |v: f64| v < median * DIODE_PEER_SPREAD && v > median / DIODE_PEER_SPREAD;
    let reached = |i: usize| {
        let (t, u) = g.tu(i);
        net.paths(Node::D(t), Node::E(u), Some(i)).is_some()
    };
    (0..g.len())
        .filter(|&i| i != d.cell && fellows.iter().all(|o| o.cell != i))
        .any(|i| g.ri(i).is_some_and(alike) || (g.fi(i).is_some_and(alike) && reached(i)))
}

/// The fellows of the range-dropped ghost `d` among the range-dropped ghosts `dropped`:
/// ghosts through the same E→D element, with no more diodes on their paths, on the range it
/// sits at or just under. None when it has too few to be weighed against, or sits inside their
/// group (it is one of them). `spread` is the entrance's handset spread.
pub(super) fn fellows(
    g: &Grid,
    net: &Network,
    spread: f64,
    dropped: &[Ghost],
    d: Ghost,
) -> Option<Fellows> {
    let via = d.via;
    let peer_ghosts = peers_of(g, net, dropped, &d);
    // Ghosts through diode-like elements only (shorts and reversed handsets) settle on one
    // range together; through a leak anywhere on the route the path is mostly that leak's
    // resistance, and its ghosts count as fellows only when they agree closely.
    let diode_like = (d.route.iter())
        .filter(|&&e| e != NO_ELEMENT)
        .all(|&e| g.ri(e).is_some_and(|r| !net.is_leak(r)));
    let peers = match diode_like {
        true => on_reachable_ranges(&peer_ghosts, spread),
        false => {
            let mut peers: Vec<f64> = peer_ghosts.iter().map(|o| o.ohms).collect();
            peers.sort_by(f64::total_cmp);
            peers
        }
    };
    // Diode ghosts that dropped to different ranges form groups a decade apart: weigh the
    // reading against the group it sits below (a reading inside a group is one of them).
    let (readings, group_below, above) = if diode_like {
        // With another faulty element about, a parallel path through it can pull a ghost
        // far under its range's fellows: a reading inside a group is then one of them.
        let lone = net.elements.len() == 1;
        let (group, below, above) = range_group(&peers, d.ohms, lone)?;
        (group.to_vec(), below, above)
    } else {
        (peers, false, &[][..])
    };
    if readings.len() < if diode_like { 1 } else { 2 } {
        return None;
    }
    let median = super::calibrate::median(&readings);
    // A lone fellow's reading is the level of its paths' ghosts only if it is a ghost alone,
    // not a bad contact pulled under one (anywhere down to `DIP_DEPTH` of it). A group of
    // their ghosts a range above pins the levels they read at, and another reading of the
    // sweep at the fellow's level, forward or reverse, shows it: ghosts along other elements
    // (a faulty handset's own crossing read the other way included) land there, while a
    // contact pulled under one lands there by chance.
    let corroborated =
        readings.len() > 1 || !above.is_empty() || read_elsewhere(g, net, median, &d, &peer_ghosts);
    // Ghosts on one range differ as the handsets on their paths do. How much they differ is
    // judged from both the entrance's handset spread (worth `PRIOR_WEIGHT` fellows) and the
    // spread the fellows themselves show, pooled; a new one may fall σ·√(1 + 1/n) under the
    // centre of n fellows by chance.
    let (sigma, by_chance) = scatter(&readings, spread);
    let floor = if !diode_like && net.elements.len() > 1 {
        median * by_chance.min(PEER_SLACK)
    } else {
        median * by_chance
    };
    // A group a range above theirs tells how much more voltage these paths need per decade
    // of current: the meter drove this group's ghosts where it could not drive that one's.
    // Judged by their own scatter too: ghosts on one range often agree far more closely
    // than the entrance's handsets do.
    // Through a leak, what the one path of a ghost reads is its leak's resistance, the same
    // on any current, plus the diodes', of which a ghost one range up reads more than
    // `DECADE_BELOW`. Beside paths through other elements it reads what they make it,
    // anywhere under that (two leaks' paths in parallel halve it).
    let ohmic = match !diode_like && d.single {
        true => g.ri(via).unwrap_or(0.0).min(floor),
        false => 0.0,
    };
    let range_up_floor = (ohmic + (floor - ohmic) * DECADE_BELOW)
        .max(range_up_floor_from_above(spread, &readings, above).unwrap_or(0.0))
        .max(if diode_like {
            range_up_floor_by_own_scatter(&readings, median)
                * own_path_share(&peer_ghosts, &readings, &d)
        } else {
            0.0
        });
    let along = match diode_like {
        true => along_own_path(g, &peer_ghosts, &readings, &d),
        false => None,
    };
    Some(Fellows {
        floor,
        range_up_floor,
        readings,
        median,
        sigma,
        group_below,
        diode_like,
        corroborated,
        along,
    })
}

/// What a ghost at `d` reads on the range its fellows (those of `peers` reading within
/// `readings`) were read on, as its own path's first-range sum says.
///
/// A handset is a junction and a series resistance. On a range k decades below the first,
/// at a 10ᵏ times smaller current, each junction needs less voltage by its ideality times
/// some 60 mV per decade, and each series resistance carries the smaller current. So a path
/// whose handsets sum to S on the first range reads 10ᵏ · (S − B) there, B being those
/// decades' worth of junction voltage over the first range's current plus nearly all the
/// series resistance. Ghosts through the one element with as many diodes and junctions
/// share B as far as their handsets' idealities and resistances agree; each fellow measures
/// it (S − its reading / 10ᵏ), and how they agree is how far a ghost may stray from
/// 10ᵏ · (S − B) along its own path. Where its handsets read more on the first range than
/// the fellows' typically do, the excess may be series resistance, which a smaller current
/// does not scale: the least it reads is then lower by (10ᵏ − 1) times that excess.
///
/// Judged this way, fellows that differ as their paths do are a yardstick still: on seeds
/// 246-250 bad contacts 10-30 % under fellows spreading 2-50 % were taken for ghosts, while
/// the fellows' B agreed within a few ohms. None unless `d` and at least `ALONG_FELLOWS`
/// fellows run through the same one element (another element's share of B is its own: a
/// short of 180 Ω reads 180 Ω on any current, one of 1.4 Ω next to nothing; seeds 121-123),
/// with no path through another with as few diodes, with as many diodes and junctions as
/// `d`, all read the same whole number of decades down (`d` too: a reading a range apart is
/// another range's); a leak's path is mostly its own resistance, which no decade scales, so
/// the caller asks this of diode-like elements only.
fn along_own_path(g: &Grid, peers: &[&Ghost], readings: &[f64], d: &Ghost) -> Option<AlongPath> {
    let (&lo, &hi) = (readings.first()?, readings.last()?);
    // Its cheapest path runs through the one element, and no path through another carries
    // it with as few diodes (paths with more carry next to nothing on a smaller current).
    let alone =
        |o: &Ghost| o.route[1] == NO_ELEMENT && o.others.iter().all(|x| x.element == NO_ELEMENT);
    // No handset on its path conducts backwards: a leak beside a junction carries a smaller
    // current in its place (seeds 246-248: a ghost through a handset with an 11.6 kΩ leak,
    // whose reverse reading a sneak path explained too, read 25 % under its path's rise two
    // ranges down). A fellow through one only reads lower, which lowers the rise.
    let sealed = d.forward_hops().all(|c| g.ri(c).is_none());
    if !alone(d) || !sealed || d.cheapest <= 0.0 {
        return None;
    }
    // Every ghost of the range group `readings` are of, those under `d` too (the level
    // yardstick leaves them out where `d` reads among them; each measures B all the same):
    // down from their lowest as long as no gap of a range parts them.
    let mut under: Vec<f64> = (peers.iter().map(|o| o.ohms)).filter(|&x| x < lo).collect();
    under.sort_by(|a, b| b.total_cmp(a));
    let bottom = (under.iter()).fold(lo, |bottom, &x| match x * RANGE_GAP >= bottom {
        true => x,
        false => bottom,
    });
    let fellows: Vec<&Ghost> = (peers.iter().copied())
        .filter(|o| o.ohms >= bottom && o.ohms <= hi && o.cheapest > 0.0 && alone(o))
        .filter(|o| o.route == d.route && o.diodes == d.diodes && o.junctions == d.junctions)
        .collect();
    if fellows.len() < ALONG_FELLOWS {
        return None;
    }
    let decades = |o: &Ghost| (o.ohms / o.cheapest).log10().ceil();
    let k = decades(d);
    if k < 1.0 || fellows.iter().any(|o| decades(o) != k) {
        return None;
    }
    let down = RANGE_STEP.powf(k);
    let n = fellows.len() as f64;
    let b: Vec<f64> = fellows.iter().map(|o| o.cheapest - o.ohms / down).collect();
    let mean = b.iter().sum::<f64>() / n;
    let sample_sd = (b.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    // No finer than their display shows them.
    let step = fellows
        .iter()
        .map(|o| digits_step(o.ohms))
        .fold(0.0, f64::max)
        / down;
    let sd = sample_sd.max(step);
    let mut hops: Vec<f64> = (fellows.iter())
        .flat_map(|o| o.forward_hops())
        .filter_map(|c| g.fi(c))
        .collect();
    hops.sort_by(f64::total_cmp);
    if hops.is_empty() || sd <= 0.0 {
        return None;
    }
    let typical = super::calibrate::median(&hops);
    let excess: f64 = (d.forward_hops().filter_map(|c| g.fi(c)))
        .map(|r| (r - typical).max(0.0))
        .sum();
    Some(AlongPath {
        lower: down * (d.cheapest - mean) - (down - 1.0) * excess,
        scale: down * sd * (1.0 + 1.0 / n).sqrt(),
        dof: fellows.len() - 1,
    })
}

/// How much a new ghost of `readings` (n of them, alike) scatters about their centre: the
/// relative standard deviation, and the lowest share of the centre it reads by chance (three
/// of them under). Judged from both the entrance's handset spread `spread` (worth
/// `PRIOR_WEIGHT` fellows) and the spread they show, pooled; a new one may fall σ·√(1 + 1/n)
/// under the centre of n.
fn scatter(readings: &[f64], spread: f64) -> (f64, f64) {
    let n = readings.len() as f64;
    let mean = readings.iter().sum::<f64>() / n;
    let seen = readings
        .iter()
        .map(|p| (p / mean - 1.0).powi(2))
        .sum::<f64>();
    let pooled = (PRIOR_WEIGHT * spread.powi(2) + seen) / (PRIOR_WEIGHT + n - 1.0);
    let sigma = pooled.sqrt() * (1.0 + 1.0 / n).sqrt();
    (sigma, (1.0 - 3.0 * sigma).clamp(0.3, 0.95))
}

/// The share of the level its fellows `readings` (those of `peers` reading within them) show
/// by their own scatter that a ghost at `d` may read, as the handsets on the paths say: its
/// cheapest path's first-range sum over the least of theirs, where it is under it by more
/// than their sums spread among themselves (the least of theirs times least ÷ most); 1
/// otherwise. A ghost the meter read one range above its fellows is one whose path needed
/// less voltage than theirs (it fitted under that range's full scale, theirs did not), and a
/// path whose handsets read well under every fellow's on the first range is such a path:
/// their agreement among themselves says nothing of how far under them it sits (seeds
/// 231-233: three ghosts at 16.4-16.6 MΩ along paths of 3949-4087 Ω agreed within 1.3 %, and
/// an empty flat along one of 3365 Ω, read one range up at 0.1 of them, was named a bad
/// contact). Within their own sums' spread it is one of them: their paths differ that much
/// and still read within their scatter (seeds 88-90 and 112-114: bad contacts along paths
/// 1.6-2.1 % under the least of fellows spreading 6-7.5 %). Only the bound their own scatter
/// sets follows it: the least a ghost of theirs reads by the entrance's handset spread stands
/// (a dearer first-range sum may be a second model's series resistance, which a smaller
/// current makes nothing of).
fn own_path_share(peers: &[&Ghost], readings: &[f64], d: &Ghost) -> f64 {
    let (Some(&lo), Some(&hi)) = (readings.first(), readings.last()) else {
        return 1.0;
    };
    let sums = (peers.iter())
        .filter(|o| o.ohms >= lo && o.ohms <= hi && o.cheapest > 0.0)
        .map(|o| o.cheapest);
    let (least, most) = sums.fold((f64::INFINITY, 0.0_f64), |(a, b), x| (a.min(x), b.max(x)));
    if !least.is_finite() || d.cheapest <= 0.0 {
        return 1.0;
    }
    (d.cheapest / (least * least / most)).min(1.0)
}

/// The lowest a ghost may read one range above the diode-like fellows `readings` (centre
/// `median`), judged by the scatter they show alone: over `DECADE_BELOW` of what it would read
/// among them, and that as low as Student's t (99.5 %, n − 1 degrees of freedom) puts a new
/// ghost of theirs under their centre. 0 (no bound) with fewer than `OWN_SCATTER_FELLOWS`.
fn range_up_floor_by_own_scatter(readings: &[f64], median: f64) -> f64 {
    let n = readings.len();
    if n < OWN_SCATTER_FELLOWS {
        return 0.0;
    }
    let mean = readings.iter().sum::<f64>() / n as f64;
    let sample_var = readings
        .iter()
        .map(|p| (p / mean - 1.0).powi(2))
        .sum::<f64>()
        / (n - 1) as f64;
    // n fellows leave n − 1 degrees of freedom; the table starts at 2.
    let t = STUDENT_T_995[(n - 3).min(STUDENT_T_995.len() - 1)];
    let lowest_share = 1.0 - t * sample_var.sqrt() * (1.0 + 1.0 / n as f64).sqrt();
    (median * lowest_share * DECADE_BELOW).max(0.0)
}

/// The lowest a ghost may read one range above the group `near` (sorted), judged from the
/// group `far` (sorted) a range above `near`, where the meter could not drive the path of any
/// of `far`'s ghosts on `near`'s current. On `near`'s range each path needs the same voltage
/// share at most (the meter's limit), which `far`'s paths exceeded: a path through as many
/// diodes needs at least `rise` = max(near) · 10 / min(far) times more voltage per decade of
/// current. An empty crossing's ghost one range above `near` reads at least what it would on
/// `far`'s range (no less than the lowest `far` lets by chance) times (`rise` / 10)², two
/// decades up. None when there is no such group or the groups are not a decade apart.
fn range_up_floor_from_above(spread: f64, near: &[f64], far: &[f64]) -> Option<f64> {
    let (lowest_far, highest_near) = (*far.first()?, *near.last()?);
    let decades = (lowest_far / highest_near).log10().round();
    if decades != 1.0 {
        return None;
    }
    let rise = (highest_near * 10.0 / lowest_far).max(DECADE_BELOW * 10.0);
    let (_, by_chance) = scatter(far, spread);
    let floor = super::calibrate::median(far) * by_chance;
    Some(floor * (rise / 10.0).powi(2))
}

/// A crossing that reads well below the range-dropped ghosts it would be one of.
pub(super) struct Dip {
    /// The crossing, taken for a ghost until now.
    pub(super) ghost: Ghost,
    /// Lowest and highest reading of those ghosts.
    pub(super) fellows: (f64, f64),
    /// The least a ghost along its own handsets reads among them, where that, more than
    /// their level, puts the reading under them (`AlongPath`), and the probability of a bad
    /// contact their level alone gives.
    pub(super) own_path: Option<(f64, f64)>,
    /// The probability that a handset with a bad contact sits there.
    pub(super) chance: f64,
}

/// The range-dropped ones among `ghosts` that read below their fellows, each with the
/// probability that it has a handset of its own (against a flat being empty with chance
/// `vacancy`); only those at `DOUBT` or more.
///
/// `unsure` holds the crossings that conduct forward like a handset but read what their own
/// sneak paths through more than one junction read as well (`explain::unsure_hops`): such a
/// reading may be a ghost of several junctions, not one handset's, so a ghost whose path runs through one may need
/// more voltage on a smaller current than its diodes counted say, and read a range or more
/// above the ghosts it would be a fellow of. It is no yardstick (seeds 149-150: an empty
/// flat, 39, named a bad contact at 99 % under such a 2.1 MΩ ghost, whose path ran through
/// a 1906 Ω "handset" that was the ghost of two handsets and a short).
///
/// `hidden` holds, by crossing, the probability that a crossing read as a ghost has a
/// handset hidden behind its reading (0 for every other): one that has opens paths the
/// network does not hold (`floor_through_hidden`).
pub(super) fn dips(
    g: &Grid,
    net: &Network,
    spread: f64,
    vacancy: f64,
    ghosts: &[Ghost],
    unsure: &[usize],
    hidden: &[f64],
) -> Vec<Dip> {
    let yardsticks: Vec<Ghost> = (ghosts.iter())
        .filter(|o| !o.forward_hops().any(|c| unsure.contains(&c)))
        .copied()
        .collect();
    let mut dropped: Vec<Ghost> = yardsticks
        .iter()
        .copied()
        .filter(Ghost::range_dropped)
        .collect();
    // Besides those, with a lone faulty element, a reading above what its paths give on the
    // first range but not as high as a range-dropped ghost is weighed against its fellows
    // too: as a ghost it is one of them, read far under them by chance. (With more elements,
    // paths through several of them run on ranges of their own and read anywhere between;
    // not so for a crossing that only one element's paths reach, weighed against the
    // ghosts the digits show on the first range below the handsets': `below_shown`.)
    let lone = net.elements.len() == 1;
    let mut weighed: Vec<Ghost> = ghosts
        .iter()
        .copied()
        .filter(|g| g.range_dropped() || (g.above_first_range() && (lone || g.single)))
        .collect();
    // The display step of the next range down from the handsets': a reading's digits never
    // show a step finer than its range's, so one shown no coarser was read on the first range
    // or that one.
    let first_step = g.step(net.typ) * (1.0 + 1e-6);
    let next_step = first_step * RANGE_STEP;
    // The highest reading shown on the first range: any reading up to it was read there.
    let first_top = (0..g.len())
        .flat_map(|i| [g.fi(i), g.ri(i)])
        .flatten()
        .filter(|&v| digits_step(v) <= first_step)
        .fold(0.0, f64::max);
    let mut found: Vec<Dip> = Vec::new();
    // A reading found likelier than not to have a handset of its own is no ghost, and no
    // fellow of the others: weigh them again without it until nothing more is found.
    loop {
        let mut doubtful = Vec::new();
        let before = found.len();
        dropped.retain(|d| !found.iter().any(|f| f.ghost.cell == d.cell));
        weighed.retain(|d| !found.iter().any(|f| f.ghost.cell == d.cell));
        let shown: Vec<Ghost> = dropped
            .iter()
            .copied()
            .filter(|o| digits_step(o.ohms) <= next_step)
            .collect();
        for &d in &weighed {
            // Weighed against its fellows' readings (where that applies) and against the rise
            // the ghosts shown one range down measure: the second builds its yardstick from
            // the least each rise may be, so where the first already says more, it stands.
            let beside = Beside {
                others: floor_through_others(&yardsticks, spread, d),
                hidden: floor_through_hidden(g, &dropped, hidden, spread, d),
            };
            let by_readings = (d.range_dropped() || lone)
                .then(|| fellows(g, net, spread, &dropped, d))
                .flatten()
                .map(|w| {
                    let chance = dip_chance(&w, d, beside, vacancy, net.typ);
                    Dip {
                        ghost: d,
                        fellows: (w.readings[0], w.readings[w.readings.len() - 1]),
                        own_path: own_path_tells(&w, d, chance, beside, vacancy, net.typ),
                        chance,
                    }
                });
            let by_rise = below_shown(spread, vacancy, &shown, (first_step, first_top), d);
            let dip = match (by_readings, by_rise) {
                (Some(a), Some(b)) => match a.chance >= b.chance {
                    true => a,
                    false => b,
                },
                (a, b) => match a.or(b) {
                    Some(dip) => dip,
                    None => continue,
                },
            };
            if dip.chance >= 0.5 {
                found.push(dip);
            } else if dip.chance >= DOUBT {
                doubtful.push(dip);
            }
        }
        if found.len() == before {
            let fallen = without_paths_found_beside(g, net, &mut found);
            found.extend(doubtful);
            found.extend(fallen.into_iter().filter(|d| d.chance >= DOUBT));
            return found;
        }
    }
}

/// The reading `d`, above what its paths give on the first range, weighed against the ghosts
/// through the same element among `shown`: range-dropped ghosts whose digits show them read
/// on the range just below the handsets' (`dips`). The meter read `d` on a smaller current
/// than the first range's, so as a ghost it is no ghost one range above those (that is the
/// first range): on their range it reads what its paths give on the first range plus what
/// each of its diodes adds at a tenth of the current, which those ghosts measure (their
/// reading less their paths' first-range most, per diode; a path of theirs through something
/// read a range down, or beside another element's paths, only lowers that); on any range
/// below it reads more still. A bad contact in parallel pulls it anywhere down to
/// `DIP_DEPTH` of that. Only where `d` is reached by that element's paths alone (no other
/// element's paths rising otherwise), the junctions its path's first-range sum is made of
/// were read on the first range (none reads above `first_top`, the highest reading shown
/// there, without showing that range's step `first_step`), and at least `SHOWN_FELLOWS`
/// such ghosts stand beside it; None otherwise, or when `d` does not read under what it
/// would as a ghost.
fn below_shown(
    spread: f64,
    vacancy: f64,
    shown: &[Ghost],
    (first_step, first_top): (f64, f64),
    d: Ghost,
) -> Option<Dip> {
    let shows_first_step = |v: f64| digits_step(v) <= first_step;
    // Read on a smaller current: above its paths' first-range band, and neither shown on the
    // first range by its digits nor under a reading that was.
    let read_below = d.above_first_range() && d.ohms > first_top && !shows_first_step(d.ohms);
    let first_range_sum = d.junction_top <= first_top;
    if !d.single || !first_range_sum || !read_below || d.diodes == 0 {
        return None;
    }
    // A ghost whose path passes a leaky handset forwards, its junction bypassed by the leak
    // (not among its diodes), rises by that leak's share too: no measure of a diode's rise
    // (seeds 291-293: three ghosts through 264's leak rose 11.2 kΩ on one diode, and the empty
    // 255, through the same leak element with two clean diodes, read 26.5 kΩ against the
    // 35.0 kΩ that made it, and was named a bad contact at 99 %).
    let shown: Vec<&Ghost> = shown
        .iter()
        .filter(|o| o.route == d.route && o.cell != d.cell && o.diodes > 0 && !o.bypassed)
        .collect();
    if shown.len() < SHOWN_FELLOWS {
        return None;
    }
    let mut per_diode: Vec<f64> = shown
        .iter()
        .map(|o| (o.ohms - o.cheapest.max(o.first_range_hi)) / o.diodes as f64)
        .collect();
    per_diode.sort_by(f64::total_cmp);
    let rise = super::calibrate::median(&per_diode);
    if rise <= 0.0 {
        return None;
    }
    let expected = d.first_range_lo + d.diodes as f64 * rise;
    let f = d.ohms;
    if f >= expected {
        return None;
    }
    // Its rise scatters as theirs do, pooled with the entrance's handset spread.
    let (sigma, _) = scatter(&per_diode, spread);
    let sigma = sigma * d.diodes as f64 * rise;
    let ghost = normal((expected - f) / sigma) / sigma;
    let own = log_uniform(f, (expected * DIP_DEPTH).min(d.first_range_hi), expected);
    let [_, bad] = posterior([(vacancy, ghost), (PRIOR_FAULT_KIND, own)]);
    let readings = shown.iter().map(|o| o.ohms);
    Some(Dip {
        ghost: d,
        own_path: None,
        fellows: (
            readings.clone().fold(f64::INFINITY, f64::min),
            readings.fold(0.0, f64::max),
        ),
        chance: bad,
    })
}

/// The probability that the range-dropped reading `d` has a handset of its own under its
/// fellows `w`: a ghost of theirs scatters normally about their centre; a bad contact in
/// parallel pulls the reading anywhere down to `DIP_DEPTH` of it, or, where its own reading
/// fits a range the sneak paths cannot be driven on, reads on that range alone (as a bad
/// contact does with no path beside it: from `BAD_CONTACT_LOW` times the healthy reading
/// `typ` up).
///
/// Where the crossing also has paths through other elements (`beside.others`, the least each
/// reads), its ghost may read anywhere from what those and its fellows' paths read together
/// (`in_parallel`) up to its fellows: the meter drives them all at once, and at a smaller current the
/// one with fewer diodes carries more, whichever was cheaper on the first range. So it may where a
/// crossing read as a ghost would open such a path if it hid a handset (`beside.hidden`),
/// as likely as that handset is.
pub(super) fn dip_chance(w: &Fellows, d: Ghost, beside: Beside, vacancy: f64, typ: f64) -> f64 {
    let f = d.ohms;
    let spread = w.readings[w.readings.len() - 1] / w.readings[0];
    // Through a leak that reads less than half what its fellows do, their diodes on the
    // smaller current set most of the reading (each some tens of kΩ two ranges down), so
    // they spread as ghosts through a short or a reversed handset do (seeds 266-268: a bad
    // contact at 94 kΩ under eleven ghosts reading 152-187 kΩ along a 24 kΩ leak).
    let diode_set = w.diode_like || d.ohmic * 2.0 < w.median;
    let max_spread = if diode_set {
        DIODE_PEER_SPREAD
    } else {
        LEAK_PEER_SPREAD
    };
    if f >= w.median {
        return 0.0;
    }
    // A ghost that landed one decade range lower runs at ten times the current, so it reads
    // over `DECADE_BELOW` of what it would on its fellows' range; a handset of its own reads
    // within the same range, or below that. Far below a group with another group under it is
    // that lower range, not a handset.
    let far_below = f < w.range_up_floor && !w.group_below;
    // Fellows that spread widely are no yardstick for a dip among them by their level (what
    // they say of what its own path rises to may be: `AlongPath`); a reading under the least
    // a ghost of theirs reads one range up (judged from their floor, which their spread
    // widens) is under every one of them all the same.
    let wide = spread >= max_spread && !far_below;
    if wide && w.along.is_none() {
        return 0.0;
    }
    let same_range = f > w.median * RANGE_UP_MAX;
    // Through a leak the path is mostly resistance, so a ghost one range up (ten times the
    // current) reads not a tenth of its fellows but its path sum plus a tenth of what the
    // diodes add to theirs, times what they need more on ten times the current.
    let diode_part = (w.median - d.cheapest).max(0.0);
    let range_up = d.cheapest + diode_part * 0.1;
    let range_up_hi = d.cheapest + diode_part * 0.1 * decade_rise(diode_part, d.diodes, typ);
    let one_range_up = !w.diode_like && f > range_up * 0.85 && f < range_up_hi * 1.2;
    if one_range_up || !(same_range || far_below) {
        return 0.0;
    }
    let own = if far_below {
        // More than a range under ghosts with no more diodes through the same handset: no
        // ghost of theirs lands there (the full-scale voltage is the same on every range, and
        // their paths need more of it at any current), so the handset reads on its own range.
        log_uniform(f, BAD_CONTACT_LOW * typ, w.median)
    } else {
        log_uniform(f, w.median * DIP_DEPTH, w.median)
    };
    // A ghost of theirs fits both yardsticks, their level and what its own path rises to
    // (where that applies): its reading is as likely as the one it fits worse makes it.
    let among_fellows = if far_below {
        0.0
    } else {
        // Under the floor the fellows set (wider through a leak among other elements), the
        // ghost's scatter is judged as if the floor were three standard deviations down.
        let sigma = ((w.median - w.floor) / (3.0 * w.median)).max(w.sigma) * w.median;
        let by_level = match wide {
            true => f64::INFINITY,
            false => normal((w.median - f) / sigma) / sigma,
        };
        // Along its own path a ghost reads about the least its path rises to, or above.
        let by_path = (w.along).map_or(f64::INFINITY, |r| {
            student_t(((r.lower - f) / r.scale).max(0.0), r.dof) / r.scale
        });
        by_level.min(by_path)
    };
    // Between the least its paths read together and its fellows it reads anywhere, evenly on
    // a log scale as far as anything here says.
    let own_route = Route {
        floor: w.floor,
        ohmic: d.ohmic,
    };
    let routes: Vec<Route> = (beside.others.iter().flatten().copied())
        .chain([own_route])
        .collect();
    let between = Some(in_parallel(&routes))
        .filter(|floor| routes.len() > 1 && *floor < w.median)
        .map_or(0.0, |floor| log_uniform(f, floor, w.median));
    let opened = (beside.hidden)
        .filter(|(floor, _)| *floor < w.median)
        .map_or(0.0, |(floor, p)| p * log_uniform(f, floor, w.median));
    let ghost = among_fellows.max(between).max(opened);
    let [_, bad, _] = posterior([
        (vacancy, ghost),
        (PRIOR_FAULT_KIND, own),
        (PRIOR_FAULT_KIND, behind_lone_fellow(w, f)),
    ]);
    bad
}

/// The least a ghost along `d`'s own handsets reads among its fellows `w`, where the reading
/// is under it and that says more than their level alone (`chance` is more than the level
/// gives), with the chance the level alone gives: what the finding's evidence quotes, and
/// what it falls back to (`without_paths_found_beside`).
fn own_path_tells(
    w: &Fellows,
    d: Ghost,
    chance: f64,
    beside: Beside,
    vacancy: f64,
    typ: f64,
) -> Option<(f64, f64)> {
    let along = w.along.filter(|a| d.ohms < a.lower)?;
    let level_alone = Fellows {
        along: None,
        ..w.clone()
    };
    let by_level = dip_chance(&level_alone, d, beside, vacancy, typ);
    (chance > by_level).then_some((along.lower, by_level))
}

/// `found` (the dips likelier than not to have a handset), each taken back to what its
/// fellows' level alone gives where what its own path rises to was what found it and
/// another handset found among them shares a line with it (or, with more than one faulty
/// element about, is anywhere): that handset conducts, and opens paths beside the ghost's
/// own that the network leaves out, which may pull it under its path's rise as its fellows'
/// were not (seeds 121-123: a bad contact found at D3/E5 opened a path of two diodes from
/// D4 through a short to E5, and the empty D4/E5 read 11 % under its path's rise). Those
/// now under even odds are returned, the rest stay.
fn without_paths_found_beside(g: &Grid, net: &Network, found: &mut Vec<Dip>) -> Vec<Dip> {
    let cells: Vec<usize> = found.iter().map(|f| f.ghost.cell).collect();
    let opened = |cell: usize| {
        let (t, u) = g.tu(cell);
        (cells.iter().filter(|&&c| c != cell)).any(|&c| {
            let (ct, cu) = g.tu(c);
            ct == t || cu == u || net.elements.len() > 1
        })
    };
    for dip in found.iter_mut() {
        if let Some((_, by_level)) = dip.own_path.filter(|_| opened(dip.ghost.cell)) {
            dip.chance = by_level;
            dip.own_path = None;
        }
    }
    let (kept, fallen): (Vec<Dip>, Vec<Dip>) = found.drain(..).partition(|d| d.chance >= 0.5);
    *found = kept;
    fallen
}

/// How many times the voltage `diodes` junctions need on a meter's smaller current, read as
/// `ohms` there, they need on ten times that current, at most. A junction's voltage grows by
/// the same amount per decade of current (its ideality times 60 mV; more where a series
/// resistance adds to it), and a healthy handset read `typ` on the first range: k ranges
/// down (the first k with the junctions reading over a tenth of what they did there), each
/// decade added a k-th of what the first range's reading has over this one. Taken from the
/// first range's whole reading, series resistance included, this is the most it may be.
/// 1 where there is no junction or nothing to say.
fn decade_rise(ohms: f64, diodes: usize, typ: f64) -> f64 {
    if diodes == 0 || typ <= 0.0 || ohms <= 0.0 {
        return 1.0;
    }
    // What each junction reads here, in first-range readings: 10^k times its voltage share.
    let per_junction = ohms / (diodes as f64 * typ);
    let k = per_junction.log10().ceil().max(1.0);
    let share = per_junction / 10f64.powf(k);
    1.0 + (1.0 / share - 1.0).max(0.0) / k
}

/// The density of a reading `f` on the same range as a lone diode-like fellow (`w`), were that
/// fellow itself a bad contact pulled under its ghost (to anywhere down to `DIP_DEPTH` of it,
/// evenly on a log scale) and `f` a ghost one range above the level the fellow hides
/// (`DECADE_BELOW`–`RANGE_UP_MAX` of it, evenly on a log scale): one fellow alone does not
/// show the level a ghost of its paths reads. Its prior is the fellow's bad contact against its
/// being empty, the same odds as this crossing's own (`PRIOR_FAULT_KIND` against the vacancy
/// in `dip_chance`), so the two bad contacts weigh evenly. 0 where other ghosts read at the
/// fellow's level (`Fellows::corroborated`: more fellows would all have to be pulled down
/// alike) or through a leak (its ghosts one range up read their leak, not a tenth).
fn behind_lone_fellow(w: &Fellows, f: f64) -> f64 {
    if !w.diode_like || w.corroborated {
        return 0.0;
    }
    // The level the fellow hides, as the fellow's reading allows and as this reading allows.
    let (fellow_lo, fellow_hi) = (w.median, w.median / DIP_DEPTH);
    let (own_lo, own_hi) = (f / RANGE_UP_MAX, f / DECADE_BELOW);
    let overlap = (fellow_hi.min(own_hi) / fellow_lo.max(own_lo))
        .ln()
        .max(0.0);
    overlap / ((1.0 / DIP_DEPTH).ln() * (RANGE_UP_MAX / DECADE_BELOW).ln() * f)
}

/// Paths beside a ghost's cheapest one that may carry it on a smaller current (`dip_chance`).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Beside {
    /// Its paths through other elements, the least each reads (`floor_through_others`).
    pub(super) others: [Option<Route>; OTHER_ELEMENTS],
    /// The floor of the paths a handset hidden behind a ghost would open, and the chance
    /// that one is there (`floor_through_hidden`).
    pub(super) hidden: Option<(f64, f64)>,
}

/// The lowest a ghost at `d` may read through a path that a handset hidden behind another
/// ghost reading would open, and the probability that it is there (`hidden`, by crossing):
/// a route through fewer of the elements on `d`'s cheapest path, in order, that reaches `d`
/// through one crossing more, one now read as a ghost. With fewer elements such a path has
/// fewer diodes, and on a smaller current it carries the ghost as the range-dropped ghosts
/// along that route alone read, whatever the hidden handset adds (seeds 199-200: 231, empty,
/// read 146 kΩ among the ghosts through a leak alone, far under its fellows through the leak
/// and a reversed handset, 217-222 kΩ; its path through the leak alone ran through 221, a
/// bad contact read at 1.8 kΩ behind its own ghost, and 231 was named at 99 %). The floor is
/// that of those ghosts, as `floor_through_others` judges it; of several, the likeliest
/// crossing's. None when no such route has range-dropped ghosts with a floor under `d`.
fn floor_through_hidden(
    g: &Grid,
    dropped: &[Ghost],
    hidden: &[f64],
    spread: f64,
    d: Ghost,
) -> Option<(f64, f64)> {
    let route: Vec<usize> = d
        .route
        .iter()
        .copied()
        .take_while(|&e| e != NO_ELEMENT)
        .collect();
    let (tens, units) = g.tu(d.cell);
    let mut best: Option<(f64, f64)> = None;
    // Every shorter route through some of the elements, in order (a bit per element kept).
    for kept in 1..(1usize << route.len()).saturating_sub(1) {
        let elements: Vec<usize> = (0..route.len()).filter(|k| kept & (1 << k) != 0).collect();
        // The crossings the route needs that the cheapest path does not run through: from
        // `d`'s tens line into the first element kept, from each element into the next, and
        // from the last into `d`'s units line.
        let mut needs = Vec::new();
        let first = elements[0];
        let last = elements[elements.len() - 1];
        if first != 0 {
            needs.push(g.idx(tens, g.tu(route[first]).1));
        }
        for pair in elements.windows(2) {
            if pair[1] != pair[0] + 1 {
                needs.push(g.idx(g.tu(route[pair[0]]).0, g.tu(route[pair[1]]).1));
            }
        }
        if last != route.len() - 1 {
            needs.push(g.idx(g.tu(route[last]).0, units));
        }
        let [c] = needs[..] else {
            continue;
        };
        let chance = hidden.get(c).copied().unwrap_or(0.0);
        if c == d.cell || chance <= 0.0 {
            continue;
        }
        let mut along = [NO_ELEMENT; MAX_ELEMENTS];
        for (slot, &k) in along.iter_mut().zip(&elements) {
            *slot = route[k];
        }
        let peers: Vec<f64> = (dropped.iter())
            .filter(|o| o.route == along && o.cell != d.cell)
            .map(|o| o.ohms)
            .collect();
        let Some(lowest) = peers.iter().copied().reduce(f64::min) else {
            continue;
        };
        let floor = lowest * scatter(&peers, spread).1;
        if floor <= d.ohms && best.is_none_or(|(_, p)| chance > p) {
            best = Some((floor, chance));
        }
    }
    best
}

/// A sneak path on a meter's smaller current: the least it reads by chance, and the plain
/// resistance on it (`ohmic`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Route {
    /// The least it reads, Ω.
    pub(super) floor: f64,
    /// Its leaks' resistance, Ω.
    pub(super) ohmic: f64,
}

/// The least a ghost at `d` reads through each of its paths over other elements than its
/// cheapest path's (`Ghost::others`): the floor (three standard deviations under their
/// lowest, as `scatter` judges them with the entrance's handset spread `spread`) of the ghosts
/// whose cheapest path runs through that element with no more diodes, where there are any;
/// otherwise that path's own first-range sum, the least it reads on any current.
fn floor_through_others(
    ghosts: &[Ghost],
    spread: f64,
    d: Ghost,
) -> [Option<Route>; OTHER_ELEMENTS] {
    d.others.map(|o| {
        (o.element != NO_ELEMENT).then(|| {
            let peers: Vec<f64> = ghosts
                .iter()
                .filter(|g| g.via == o.element && g.diodes <= o.diodes && g.cell != d.cell)
                .map(|g| g.ohms)
                .collect();
            let floor = match peers.iter().copied().reduce(f64::min) {
                Some(lowest) => lowest * scatter(&peers, spread).1,
                None => o.sum,
            };
            Route {
                floor,
                ohmic: o.ohmic,
            }
        })
    })
}

/// What sneak paths `routes` read together, each at its floor, on the meter's current: each
/// path's junctions hold their voltage on a share of the current (a junction's moves some
/// 60 mV a decade), and its leaks' resistance carries the rest, so the meter's current
/// splits where the paths' voltages meet. A path of junctions alone holds the voltage at what
/// it reads; paths with resistance on them share the current by it. Real junctions give up a
/// little voltage on a share of the current: what the paths read together falls a little under
/// this, which the floors' own allowance covers.
///
/// Paths in parallel read under each alone: seeds 216-218, flat 148, empty, read 796 kΩ
/// through two leaks' paths at once (376 kΩ and 444 kΩ), where the ghosts through each leak
/// alone read 1.03-1.13 MΩ, and it was named a bad contact at 91 %. Taken as two resistors,
/// the paths would read far less than junctions do, and a bad contact under them would pass
/// for a ghost: on the same seeds (lab physics), 151 has a bad contact and reads 62.8 kΩ
/// beside a path of two junctions through a 118 kΩ leak (119 kΩ on the first range) and a
/// 3-junction path whose ghost reads 142 kΩ: as resistors the two may read under its
/// reading, and it was missed so; as junctions and a leak they read near the leak's path.
fn in_parallel(routes: &[Route]) -> f64 {
    // The junctions' part of each path, and what it takes: a path of junctions alone clamps
    // the voltage at its floor.
    let clamp = (routes.iter())
        .filter(|r| r.ohmic <= 0.0)
        .map(|r| r.floor)
        .fold(f64::INFINITY, f64::min);
    let resistive: Vec<(f64, f64)> = (routes.iter())
        .filter(|r| r.ohmic > 0.0)
        .map(|r| {
            let ohmic = r.ohmic.min(r.floor);
            (r.floor - ohmic, ohmic)
        })
        .collect();
    // The share of the current the resistive paths take at voltage v (in ohms of the meter's
    // current), and the v at which they take it all: the shares rise with v piece by piece.
    let share = |v: f64| -> f64 {
        (resistive.iter())
            .map(|&(junctions, ohmic)| ((v - junctions) / ohmic).max(0.0))
            .sum()
    };
    let (mut lo, mut hi) = (
        0.0,
        resistive.iter().map(|&(j, o)| j + o).fold(0.0, f64::max),
    );
    if resistive.is_empty() {
        return clamp;
    }
    for _ in 0..PARALLEL_STEPS {
        let mid = (lo + hi) / 2.0;
        match share(mid) >= 1.0 {
            true => hi = mid,
            false => lo = mid,
        }
    }
    hi.min(clamp)
}

/// Readings of range-dropped ghosts (sorted) split into groups, one per meter range: a gap of
/// more than `RANGE_GAP` between neighbours starts a new group. The group a reading of `f`
/// sits just below (or, when `inside`, the ones above it in the group it sits in), whether
/// a group or a neighbour lies below `f` too, and the group above that; None when `f` is
/// inside a group (unless `inside`), within `RANGE_GAP` above a group's highest (the group
/// is split with `f` among its readings), or above them all.
fn range_group(sorted: &[f64], f: f64, inside: bool) -> Option<(&[f64], bool, &[f64])> {
    let mut start = 0;
    for k in 1..=sorted.len() {
        if k == sorted.len() || sorted[k] > sorted[k - 1] * RANGE_GAP {
            let group = &sorted[start..k];
            if f < group[0] {
                return Some((group, start > 0, next_group(&sorted[k..])));
            }
            if f <= group[group.len() - 1] {
                // Inside a group: weighed against the ones above it on its range, with
                // neighbours below it (no range of its own below them to read on).
                let over = group.partition_point(|&x| x <= f);
                if !inside || over == group.len() || over == 0 {
                    return None;
                }
                return Some((&group[over..], true, next_group(&sorted[k..])));
            }
            if f <= group[group.len() - 1] * RANGE_GAP {
                // Above the group's highest by less than a range's gap: on their range, the
                // highest of them, not a reading under the group above.
                return None;
            }
            start = k;
        }
    }
    None
}

/// The first group of the sorted readings `rest`: up to the first gap of more than
/// `RANGE_GAP`.
fn next_group(rest: &[f64]) -> &[f64] {
    let end = (1..rest.len())
        .find(|&j| rest[j] > rest[j - 1] * RANGE_GAP)
        .unwrap_or(rest.len());
    &rest[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate;
    use crate::diagnose::elements;
    use crate::diagnose::evidence::REPORT;
    use crate::diagnose::noise::Noise;
    use crate::diagnose::tests::{Bench, EMPTY, layout};

    /// A ghost for these tests: at crossing `cell` reading `ohms`, its cheapest path's sum
    /// `cheapest` and its first-range band (`band`: least, most), through the elements
    /// `route` with `diodes` diodes and as many junctions (none bypassed, no odd hop, every
    /// path through the first element alone when the route holds only that one).
    fn test_ghost(
        cell: usize,
        ohms: f64,
        cheapest: f64,
        band: (f64, f64),
        route: [usize; MAX_ELEMENTS],
        diodes: usize,
    ) -> Ghost {
        Ghost {
            cell,
            ohms,
            cheapest,
            via: route[0],
            route,
            diodes,
            bypassed: false,
            junctions: diodes,
            odd_hop: false,
            forward_hops: [NO_ELEMENT; MAX_HOPS],
            first_range_hi: band.1,
            first_range_lo: band.0,
            read_below_over: band.1.max(cheapest),
            single: route[1] == NO_ELEMENT,
            junction_top: 0.0,
            ohmic: 0.0,
            others: [Other::NONE; OTHER_ELEMENTS],
        }
    }

    #[test]
    fn an_element_and_its_twin_through_touching_lines_are_one_path_not_two() {
        // A reversed handset at D4/E5 read again at D4/E6 through E5 and E6 touching (6 Ω
        // more), and another reversed handset at D7/E2.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, u, r) in [(4, 5, 700.0), (4, 6, 706.0), (7, 2, 690.0)] {
            b.forward[t][u] = None;
            b.backward(t, u, r);
        }
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        assert!(twins(&net, g.idx(4, 5), g.idx(4, 6)));
        // Not on a common line: another handset, however alike its reading.
        assert!(!twins(&net, g.idx(4, 5), g.idx(7, 2)));
    }

    #[test]
    fn range_dropped_ghosts_are_fellows_only_along_the_same_elements_junctions_and_handsets() {
        // A reversed handset at D4/E5, a 160 kΩ leak at D7/E2 and a 1.3 Ω short at D1/E8.
        // Three ghosts whose cheapest paths run through the reversed handset and then the
        // leak read about 417 kΩ after a range drop; one whose path runs through the
        // reversed handset and then the short, with as many diodes, reads 31.6 kΩ. The leak,
        // not the diodes, sets what the first three need: they are no yardstick for the
        // fourth, whatever its first element.
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[4][5] = None;
        for (t, u, r) in [(4, 5, 700.0), (7, 2, 160e3), (1, 8, 1.3)] {
            b.backward(t, u, r);
        }
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let ghost = |cell: usize, ohms: f64, second: usize, cheapest: f64| {
            let band = (cheapest * 0.95, cheapest * 1.01);
            test_ghost(
                cell,
                ohms,
                cheapest,
                band,
                [g.idx(4, 5), second, NO_ELEMENT],
                4,
            )
        };
        let leak = g.idx(7, 2);
        let through_leak = [
            ghost(g.idx(9, 1), 417e3, leak, 163e3),
            ghost(g.idx(9, 3), 420e3, leak, 163e3),
            ghost(g.idx(0, 3), 415e3, leak, 163e3),
        ];
        let d = ghost(g.idx(1, 6), 31.6e3, g.idx(1, 8), 3.0e3);
        let dropped: Vec<Ghost> = through_leak.iter().copied().chain([d]).collect();
        assert!(fellows(&g, &net, cal.spread, &dropped, d).is_none());
        // Nor are ghosts along the same elements whose handsets hold one more junction
        // (a second model's): theirs read a decade higher after a range drop.
        let short = g.idx(1, 8);
        let with_second = |cell: usize, ohms: f64| Ghost {
            junctions: 5,
            ..ghost(cell, ohms, short, 3.0e3)
        };
        let dropped = [
            with_second(g.idx(9, 1), 318e3),
            with_second(g.idx(9, 3), 320e3),
            with_second(g.idx(0, 3), 316e3),
            d,
        ];
        assert!(fellows(&g, &net, cal.spread, &dropped, d).is_none());
        // Nor are ghosts whose paths run through a handset reading above any healthy one (a
        // bad contact of 1.76 kΩ): its resistance, not its junction, set what they read.
        let through_odd = |cell: usize, ohms: f64| Ghost {
            odd_hop: true,
            ..ghost(cell, ohms, short, 3.0e3)
        };
        let dropped = [
            through_odd(g.idx(9, 1), 41e3),
            through_odd(g.idx(9, 3), 42e3),
            d,
        ];
        assert!(fellows(&g, &net, cal.spread, &dropped, d).is_none());
        // Nor, the other way round, are ghosts with as many junctions counted with the
        // second model's but more diodes: whether that model's junction counts in full on
        // the smaller current, the sweep does not say.
        let one_more_diode = |cell: usize, ohms: f64| Ghost {
            diodes: 5,
            junctions: 5,
            ..ghost(cell, ohms, short, 3.0e3)
        };
        let second_on_d = Ghost { junctions: 5, ..d };
        let dropped = [
            one_more_diode(g.idx(9, 1), 318e3),
            one_more_diode(g.idx(9, 3), 320e3),
            second_on_d,
        ];
        assert!(fellows(&g, &net, cal.spread, &dropped, second_on_d).is_none());
        // The same reading along the leak is weighed against the three.
        let along = ghost(g.idx(1, 6), 31.6e3, leak, 163e3);
        let dropped: Vec<Ghost> = through_leak.iter().copied().chain([along]).collect();
        assert!(fellows(&g, &net, cal.spread, &dropped, along).is_some());
    }

    #[test]
    fn a_dip_a_handset_hidden_behind_another_ghost_would_explain_is_no_finding() {
        // Seeds 199-200: a 57.4 kΩ leak at D7/E7 and a reversed handset at D0/E1. Ghosts
        // through the leak and then the reversed handset read 217-222 kΩ after a range drop,
        // ghosts through the leak alone 132-138 kΩ. D8/E3 reads 146 kΩ: far under its
        // fellows through both, but among the leak's own ghosts, one of which it is if D7/E3
        // (read as a ghost, maybe with a bad contact behind it) holds a handset.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, u, r) in [(7, 7, 57.4e3), (0, 1, 650.0)] {
            b.backward(t, u, r);
        }
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let (leak, reversed) = (g.idx(7, 7), g.idx(0, 1));
        let ghost = |cell: usize, ohms: f64, route: [usize; MAX_ELEMENTS], diodes: usize| {
            test_ghost(cell, ohms, 59e3, (58e3, 60e3), route, diodes)
        };
        let both = [leak, reversed, NO_ELEMENT];
        let alone = [leak, NO_ELEMENT, NO_ELEMENT];
        let d = ghost(g.idx(8, 3), 145.6e3, both, 4);
        let dropped = [
            ghost(g.idx(4, 9), 217.1e3, both, 4),
            ghost(g.idx(2, 9), 222.3e3, both, 4),
            ghost(g.idx(8, 9), 222.4e3, both, 4),
            ghost(g.idx(4, 1), 132.0e3, alone, 2),
            ghost(g.idx(2, 2), 135.0e3, alone, 2),
            ghost(g.idx(8, 8), 138.4e3, alone, 2),
            d,
        ];
        let w = fellows(&g, &net, cal.spread, &dropped, d).expect("its fellows through both");
        let vacancy = 0.24;
        let alone_chance = dip_chance(&w, d, Beside::default(), vacancy, cal.typ);
        assert!(alone_chance > REPORT, "{alone_chance}");
        // Nothing hidden: no other route.
        let mut hidden = vec![0.0; g.len()];
        assert!(floor_through_hidden(&g, &dropped, &hidden, cal.spread, d).is_none());
        // A crossing no shorter route runs through opens none.
        hidden[g.idx(7, 4)] = 0.3;
        assert!(floor_through_hidden(&g, &dropped, &hidden, cal.spread, d).is_none());
        // D7/E3 as likely as not far from it: the route through the leak alone opens.
        hidden[g.idx(7, 3)] = 0.3;
        let opened = floor_through_hidden(&g, &dropped, &hidden, cal.spread, d);
        let (floor, chance) = opened.expect("a route through the leak alone");
        assert!(floor < 132e3 && chance == 0.3, "{floor} {chance}");
        let beside = Beside {
            hidden: opened,
            ..Beside::default()
        };
        let opened_chance = dip_chance(&w, d, beside, vacancy, cal.typ);
        assert!(opened_chance < DOUBT, "{opened_chance}");
    }

    #[test]
    fn a_ghost_is_weighed_by_what_its_own_path_rises_to_on_its_fellows_range() {
        // A reversed handset at D7/E6 (seeds 246-248: flat 275 of a Sokol KU-100). Four
        // ghosts through it were read one range down, each ten times its path's first-range
        // sum less 562 Ω within 2 Ω, though their paths sum 2000-3200 Ω and they read
        // 14.4-26.4 kΩ: spread that wide, their level says little. Along D6/E4's path of
        // 2351 Ω a ghost reads about 17.9 kΩ; a bad contact pulled it to 15.1 kΩ.
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[7][6] = None;
        b.backward(7, 6, 780.0);
        let (l, prior) = layout(None);
        let mut grid_with = |hop: Option<f64>| {
            if let Some(r) = hop {
                b.forward[6][6] = Some(r);
            }
            Grid::new(&b.sweep(), &l)
        };
        let g = grid_with(None);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let via = g.idx(7, 6);
        let ghost = |cell: (usize, usize), ohms: f64, cheapest: f64, hops: [(usize, usize); 2]| {
            let mut forward_hops = [NO_ELEMENT; MAX_HOPS];
            forward_hops[0] = g.idx(hops[0].0, hops[0].1);
            forward_hops[1] = g.idx(hops[1].0, hops[1].1);
            let band = (cheapest * 0.95, cheapest * 1.01);
            let route = [via, NO_ELEMENT, NO_ELEMENT];
            Ghost {
                forward_hops,
                ..test_ghost(g.idx(cell.0, cell.1), ohms, cheapest, band, route, 3)
            }
        };
        let fellows_of = [
            ghost((0, 5), 14_398.0, 2000.0, [(0, 6), (7, 5)]),
            ghost((3, 4), 18_357.0, 2400.0, [(3, 6), (7, 4)]),
            ghost((3, 8), 22_391.0, 2800.0, [(3, 6), (7, 8)]),
            ghost((2, 8), 26_369.0, 3200.0, [(2, 6), (7, 8)]),
        ];
        let weigh = |g: &Grid, d: Ghost| {
            let dropped: Vec<Ghost> = fellows_of.iter().copied().chain([d]).collect();
            let w = fellows(g, &net, cal.spread, &dropped, d).expect("weighed against them");
            let chance = dip_chance(&w, d, Beside::default(), 0.1, 700.0);
            let by_level_alone = dip_chance(
                &Fellows { along: None, ..w },
                d,
                Beside::default(),
                0.1,
                700.0,
            );
            (w.along, chance, by_level_alone)
        };
        let pulled = ghost((6, 4), 15_063.0, 2351.3, [(6, 6), (7, 4)]);
        let (along, chance, by_level_alone) = weigh(&g, pulled);
        let along = along.expect("four fellows along the one element");
        // (Less what its handsets read over the fellows' typical one, nine times over.)
        assert!(
            along.dof == 3 && along.lower < 17_910.0 && along.lower > 16_500.0,
            "{along:?}"
        );
        assert!(chance >= REPORT, "{chance}");
        assert!(by_level_alone < 0.5, "{by_level_alone}");
        // An empty flat there reads what its path rises to: nothing to name.
        let empty = ghost((6, 4), 17_905.0, 2351.3, [(6, 6), (7, 4)]);
        assert!(weigh(&g, empty).1 < DOUBT);
        // Where one of its handsets reads 500 Ω over the fellows' typical one, that may be
        // series resistance, which the smaller current does not scale ten times: a ghost
        // there may read down to 13.4 kΩ: its path says nothing against 15.1 kΩ, and only
        // the level the fellows read at weighs it.
        let g = grid_with(Some(1200.0));
        let (along, chance, by_level_alone) = weigh(&g, pulled);
        assert!(along.expect("still weighed").lower < 15_063.0);
        assert!(
            chance < 0.5 && (chance - by_level_alone).abs() < 1e-9,
            "{chance}"
        );
    }

    #[test]
    fn ghosts_through_another_reversed_handset_with_as_many_diodes_are_fellows() {
        // Reversed handsets at D5/E2 and D6/E7 (seeds 66-70, flat 54). Ghosts through D5/E2
        // cross three diodes and read about 1.9 MΩ once the meter drops to its smallest
        // current; D5/E4 reaches only D6/E7, through as many diodes, and reads 17.1 kΩ: far
        // under the level any such ghost reads, whichever handset it runs through. Ghosts
        // through a short, with one diode fewer, read a range or more lower: no level for it.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, u) in [(5, 2), (6, 7)] {
            b.forward[t][u] = None;
            b.backward(t, u, 700.0);
        }
        b.backward(1, 8, 2.0);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let ghost = |cell: usize, ohms: f64, via: usize, diodes: usize| {
            let route = [via, NO_ELEMENT, NO_ELEMENT];
            test_ghost(cell, ohms, 2100.0, (2000.0, 2150.0), route, diodes)
        };
        let (first, second, short) = (g.idx(5, 2), g.idx(6, 7), g.idx(1, 8));
        let d = ghost(g.idx(5, 4), 17.1e3, second, 3);
        let dropped = [
            ghost(g.idx(8, 3), 1.889e6, first, 3),
            ghost(g.idx(4, 6), 1.937e6, first, 3),
            d,
        ];
        let w = fellows(&g, &net, cal.spread, &dropped, d).expect("weighed against them");
        assert_eq!(w.readings, [1.889e6, 1.937e6]);
        assert!(dip_chance(&w, d, Beside::default(), 0.1, 700.0) > 0.9);
        // Two diodes through the short: 19 kΩ ghosts a range lower are no fellows of it.
        let dropped = [
            ghost(g.idx(7, 6), 19.4e3, short, 2),
            ghost(g.idx(2, 8), 19.5e3, short, 2),
            d,
        ];
        assert!(fellows(&g, &net, cal.spread, &dropped, d).is_none());
        // Ghosts whose paths run through a forward reading their own sneak paths give too
        // (that "handset" may be the ghost of two handsets and a short: seeds 149-150, flat
        // 39) may cross more junctions than counted: no yardstick, and nothing is found.
        let fellows_at = [g.idx(8, 3), g.idx(4, 6)];
        let through = |cell: usize, ohms: f64, hop: usize| {
            let mut forward_hops = [NO_ELEMENT; MAX_HOPS];
            forward_hops[..2].copy_from_slice(&[hop, g.idx(1, 6)]);
            Ghost {
                forward_hops,
                ..ghost(cell, ohms, first, 3)
            }
        };
        let ghosts = [
            through(fellows_at[0], 1.889e6, g.idx(8, 2)),
            through(fellows_at[1], 1.937e6, g.idx(4, 2)),
            d,
        ];
        let hidden = vec![0.0; g.len()];
        let found = |unsure: &[usize]| dips(&g, &net, cal.spread, 0.1, &ghosts, unsure, &hidden);
        let named = found(&[]);
        assert!(named.len() == 1 && named[0].ghost.cell == d.cell && named[0].chance > 0.9);
        assert!(
            found(&[g.idx(8, 2)]).len() == 1,
            "one sure fellow still weighs it"
        );
        assert!(found(&[g.idx(8, 2), g.idx(4, 2)]).is_empty());
    }

    #[test]
    fn ghosts_through_a_short_and_then_a_leak_read_one_range_up_as_a_leak_makes_them() {
        // Example 197 (seeds 46-50): a 60 Ω short and a 177 kΩ leak. Ghosts whose cheapest path
        // runs through the short and then the leak (about 180 kΩ on the first range) read
        // 1.56-1.57 MΩ after a range drop; the empty 197 reads 335 kΩ, one range up: the leak
        // plus a tenth of what the diodes add. The short first on the route made the path
        // count as a diode's, whose ghosts one range up read a tenth of the whole, and 197 was
        // named a bad contact at 99 %.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, u, r) in [(1, 8, 60.0), (7, 2, 177e3)] {
            b.backward(t, u, r);
        }
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let ghost = |cell: usize, ohms: f64| {
            let route = [g.idx(1, 8), g.idx(7, 2), NO_ELEMENT];
            test_ghost(cell, ohms, 180e3, (175e3, 182e3), route, 3)
        };
        let d = ghost(g.idx(6, 0), 335e3);
        let dropped = [ghost(g.idx(9, 1), 1.556e6), ghost(g.idx(9, 3), 1.571e6), d];
        let w = fellows(&g, &net, cal.spread, &dropped, d).expect("two fellows");
        assert!(!w.diode_like);
        let chance = dip_chance(&w, d, Beside::default(), 0.2, cal.typ);
        assert!(chance < DOUBT, "{chance}");
    }

    #[test]
    fn the_highest_of_a_group_of_ghosts_is_one_of_them_not_a_dip_under_the_group_above() {
        // Example (seeds 51-55): four empty crossings read one range up at 13.7-14.8 kΩ, under
        // a bad contact reading 63.9 kΩ through the same reversed handset. Split without it,
        // the highest of the four sat above the other three and was weighed against the
        // 63.9 kΩ alone: named a bad contact, then the next highest, and so on, all four.
        let peers = [13_716.0, 14_004.0, 14_681.0, 63_910.0];
        assert!(range_group(&peers, 14_828.0, false).is_none());
        assert!(range_group(&peers, 14_828.0, true).is_none());
        // A reading more than a range's gap above them is weighed against the group above.
        let (group, below, _) = range_group(&peers, 50_000.0, false).expect("under 63.9 kΩ");
        assert_eq!((group, below), (&[63_910.0][..], true));
    }

    #[test]
    fn a_ghost_through_two_leaks_paths_at_once_may_read_under_the_ghosts_of_each() {
        // Seeds 216-218: leaks at D2/E9 (376 kΩ) and D3/E6 (444 kΩ). After a range drop, the
        // ghosts through the first leak read 1.03-1.13 MΩ, the one through the second with
        // as many diodes 1.10 MΩ. D7/E0, empty, reaches E0 through both leaks at once and
        // reads 796 kΩ: under the least either route reads alone by chance, not under the two
        // together.
        let (first, second) = (29, 36);
        let mut d = test_ghost(
            70,
            796e3,
            378e3,
            (376e3, 380e3),
            [first, NO_ELEMENT, NO_ELEMENT],
            2,
        );
        d.ohmic = 376e3;
        d.others[0] = Other {
            element: second,
            diodes: 2,
            sum: 445e3,
            ohmic: 444e3,
        };
        let spread = 0.05;
        let through = |ohms: f64| {
            [test_ghost(
                24,
                ohms,
                446e3,
                (444e3, 448e3),
                [second, NO_ELEMENT, NO_ELEMENT],
                2,
            )]
        };
        let readings = vec![1.031e6, 1.072e6, 1.128e6];
        let (sigma, by_chance) = scatter(&readings, spread);
        let median = super::super::calibrate::median(&readings);
        // (Through a leak among other elements, as `fellows` sets it.)
        let floor = median * by_chance.min(PEER_SLACK);
        let w = Fellows {
            floor,
            range_up_floor: floor * DECADE_BELOW,
            median,
            sigma,
            group_below: false,
            diode_like: false,
            corroborated: true,
            readings,
            along: None,
        };
        let others = floor_through_others(&through(1.097e6), spread, d);
        let second_floor = others[0].expect("a second route").floor;
        // Neither route alone reads as low as the reading, even by chance…
        assert!(
            second_floor > d.ohms && w.floor > d.ohms,
            "{second_floor} {floor}"
        );
        let vacancy = 0.064;
        let alone = dip_chance(&w, d, Beside::default(), vacancy, 590.0);
        assert!(alone >= REPORT, "{alone}");
        // … but the two together may: no bad contact is needed to explain it.
        let beside = Beside {
            others,
            ..Beside::default()
        };
        let both = dip_chance(&w, d, beside, vacancy, 590.0);
        assert!(both < DOUBT, "{both}");
        // A far dearer second route leaves the dip where it was.
        let far = Beside {
            others: floor_through_others(&through(50e6), spread, d),
            ..Beside::default()
        };
        let far = dip_chance(&w, d, far, vacancy, 590.0);
        assert!(far >= REPORT, "{far}");
        // So do paths of junctions alone: on a share of the current each holds nearly its
        // voltage, and together they read about what the cheaper reads.
        d.ohmic = 0.0;
        d.others[0].ohmic = 0.0;
        let junctions = Beside {
            others: floor_through_others(&through(1.097e6), spread, d),
            ..Beside::default()
        };
        let junctions = dip_chance(&w, d, junctions, vacancy, 590.0);
        assert!(junctions >= REPORT, "{junctions}");
    }

    #[test]
    fn paths_share_the_meters_current_by_their_resistance_and_hold_their_junctions_voltage() {
        let route = |floor: f64, ohmic: f64| Route { floor, ohmic };
        let near = |a: f64, b: f64| (a - b).abs() < 1e-3 * b;
        // Two resistors of 1 MΩ: 500 kΩ.
        let two = in_parallel(&[route(1e6, 1e6), route(1e6, 1e6)]);
        assert!(near(two, 500e3), "{two}");
        // Junctions alone hold the voltage at the cheaper path's.
        let held = in_parallel(&[route(214e3, 0.0), route(150e3, 0.0)]);
        assert!(near(held, 150e3), "{held}");
        // A 2-junction path through a 38.7 kΩ leak (its floor 150 kΩ) takes all the current
        // under a 3-junction path's voltage (193 kΩ).
        let leak_first = in_parallel(&[route(193e3, 0.0), route(150e3, 38.7e3)]);
        assert!(near(leak_first, 150e3), "{leak_first}");
        // Two equal paths, half leak and half junctions: the junctions' half stays, the
        // leaks' halves in parallel halve.
        let half = in_parallel(&[route(1e6, 500e3), route(1e6, 500e3)]);
        assert!(near(half, 750e3), "{half}");
        // A junction path under the voltage the leak path would need caps it.
        let capped = in_parallel(&[route(600e3, 0.0), route(1e6, 500e3)]);
        assert!(near(capped, 600e3), "{capped}");
    }

    #[test]
    fn a_dip_under_one_lone_fellow_is_as_likely_that_fellow_pulled_down() {
        // Example 33 (several faults, unseen seeds 41–45): an empty crossing's ghost through a
        // reversed handset, read one range up at 21.6 kΩ, and its lone fellow through the same
        // handset, a bad contact (102 kΩ) in parallel with its ghost (199 kΩ), reading 104 kΩ.
        // The lone fellow cannot show the level its ghosts read: either crossing may be the
        // bad contact, so neither is named.
        let route = [1, NO_ELEMENT, NO_ELEMENT];
        let d = test_ghost(0, 21_607.0, 2_785.0, (2_600.0, 2_900.0), route, 3);
        let yardstick = |readings: Vec<f64>| {
            let (sigma, by_chance) = scatter(&readings, 0.05);
            let median = super::super::calibrate::median(&readings);
            Fellows {
                floor: median * by_chance,
                range_up_floor: median * by_chance * DECADE_BELOW,
                median,
                sigma,
                group_below: false,
                diode_like: true,
                corroborated: readings.len() > 1,
                readings,
                along: None,
            }
        };
        let lone = dip_chance(
            &yardstick(vec![104_070.0]),
            d,
            Beside::default(),
            0.1,
            1_000.0,
        );
        assert!(lone <= 0.5 + 1e-3, "{lone}");
        // Two fellows agreeing at 104 kΩ would both have to be pulled down alike: the reading
        // under them is a handset of its own.
        let two = dip_chance(
            &yardstick(vec![104_070.0, 105_300.0]),
            d,
            Beside::default(),
            0.1,
            1_000.0,
        );
        assert!(two >= 0.99, "{two}");
        // So would ghosts along another element through as many junctions reading like it.
        let backed = Fellows {
            corroborated: true,
            ..yardstick(vec![104_070.0])
        };
        let backed = dip_chance(&backed, d, Beside::default(), 0.1, 1_000.0);
        assert!(backed >= 0.99, "{backed}");
    }

    #[test]
    fn junctions_need_more_per_decade_the_further_their_voltage_fell_from_the_first_range() {
        // Three junctions of handsets reading 1000 Ω on the first range, read two ranges down
        // at 70 % of the voltage they needed there: each decade gave back 15 % of it.
        let rise = decade_rise(0.7 * 100.0 * 3.0 * 1_000.0, 3, 1_000.0);
        assert!(
            (rise - (1.0 + (1.0 / 0.7 - 1.0) / 2.0)).abs() < 1e-9,
            "{rise}"
        );
        // Read one range down at nearly the whole voltage: hardly any rise.
        assert!(decade_rise(0.98 * 10.0 * 1_000.0, 1, 1_000.0) < 1.03);
        // No junction: nothing to rise.
        assert_eq!(decade_rise(1e6, 0, 1_000.0), 1.0);
    }

    #[test]
    fn three_fellows_judge_a_new_ghost_with_two_degrees_of_freedom() {
        // Three fellows with a sample spread s leave two degrees of freedom: the floor is
        // 9.925 s·√(4/3) under their centre (3.5 % here), not 5.841 s·√(4/3).
        let readings = [99_000.0, 100_000.0, 101_000.0];
        let floor = range_up_floor_by_own_scatter(&readings, 100_000.0);
        let s = 0.01_f64;
        let expected = 100_000.0 * (1.0 - 9.925 * s * (4.0_f64 / 3.0).sqrt()) * DECADE_BELOW;
        assert!((floor - expected).abs() < 1.0, "{floor} against {expected}");
    }

    #[test]
    fn a_ghost_reads_on_its_fellows_range_or_in_a_window_a_whole_number_of_ranges_up() {
        // Fellows about 1.35 MΩ, 1.15 MΩ at least by chance. One range up a ghost of theirs
        // reads 126.5 kΩ-270 kΩ, two ranges up 13.8 kΩ-27 kΩ, three 1.53 kΩ-2.7 kΩ; between
        // those windows no ghost of theirs reads (seeds 236-238: two bad contacts at 11.2 and
        // 11.6 kΩ).
        let reach = |f: f64| reachable_from(f, 1_350_000.0, 1_150_000.0);
        for f in [
            1_200_000.0,
            200_000.0,
            127_000.0,
            20_000.0,
            14_000.0,
            2_000.0,
        ] {
            assert!(reach(f), "{f}");
        }
        for f in [
            1_000_000.0,
            300_000.0,
            100_000.0,
            30_000.0,
            11_591.0,
            11_196.0,
            3_000.0,
        ] {
            assert!(!reach(f), "{f}");
        }
    }

    #[test]
    fn a_group_no_ghost_of_the_group_above_could_read_is_no_yardstick() {
        // Twelve ghosts through one reversed handset at 1.24-1.45 MΩ, and two readings alike
        // at 11.2 and 11.6 kΩ: two ranges up a ghost of theirs reads over 13 kΩ, three ranges
        // up under 3 kΩ. The two are dropped; a pair inside a window stays.
        let route = [1, NO_ELEMENT, NO_ELEMENT];
        let ghost_at = |cell: usize, ohms: f64, diodes: usize| {
            test_ghost(cell, ohms, 2_600.0, (2_500.0, 2_700.0), route, diodes)
        };
        let upper: Vec<Ghost> = (0..12)
            .map(|k| ghost_at(10 + k, 1_244_600.0 + 19_000.0 * k as f64, 3))
            .collect();
        let weigh = |lower: [f64; 2]| {
            let all: Vec<Ghost> = (lower.iter().enumerate())
                .map(|(k, &f)| ghost_at(2 + k, f, 3))
                .chain(upper.iter().copied())
                .collect();
            let peers: Vec<&Ghost> = all.iter().collect();
            on_reachable_ranges(&peers, 0.07)
        };
        assert_eq!(weigh([11_196.0, 11_591.0]).len(), 12);
        assert_eq!(weigh([17_000.0, 17_500.0]).len(), 14);
        // Ghosts with fewer diodes read lower on any range: they stay.
        let fewer = [ghost_at(2, 11_196.0, 2), ghost_at(3, 11_591.0, 2)];
        let all: Vec<&Ghost> = fewer.iter().chain(&upper).collect();
        assert_eq!(on_reachable_ranges(&all, 0.07).len(), 14);
    }

    #[test]
    fn a_ghost_along_handsets_cheaper_than_every_fellows_is_not_held_to_their_own_scatter() {
        // Seeds 231-233: three fellows at 16.4-16.6 MΩ along paths of 3949-4087 Ω, 3.5 %
        // apart. Along a path of 3365 Ω the bound their own agreement sets falls by 3365 over
        // 3949 · 3949 / 4087 = 3815.7; along one as far under theirs as they spread, or
        // within them, it stands.
        let route = [1, NO_ELEMENT, NO_ELEMENT];
        let along = |cell: usize, ohms: f64, cheapest: f64| {
            test_ghost(cell, ohms, cheapest, (3_300.0, 4_100.0), route, 3)
        };
        let readings = [16.40e6, 16.50e6, 16.61e6];
        let fellows = [
            along(2, readings[0], 4_087.0),
            along(3, readings[1], 3_949.0),
            along(4, readings[2], 4_084.0),
        ];
        let peers: Vec<&Ghost> = fellows.iter().collect();
        let share = own_path_share(&peers, &readings, &along(5, 1.656e6, 3_365.0));
        let least_by_spread = 3_949.0 * 3_949.0 / 4_087.0;
        assert!((share - 3_365.0 / least_by_spread).abs() < 1e-12, "{share}");
        for within in [3_820.0, 4_000.0] {
            assert_eq!(
                own_path_share(&peers, &readings, &along(5, 1.656e6, within)),
                1.0
            );
        }
    }
}
