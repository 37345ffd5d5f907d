//! What the sneak paths of a crossing read, with the uncertainty of the prediction: the band
//! a ghost reading falls in.
//!
//! One path: its sum, less the wire it double counts (measured on the faulty handset's ghosts,
//! or anywhere from none to the most a riser holds), blurred by the noise of every reading in
//! the sum and of the ghost itself. Several paths in parallel share the current, so the ghost
//! reads under the cheapest: how far depends on how much of each path is a diode's nearly
//! fixed drop and how much plain resistance. The paths are solved as parallel branches of
//! diodes and resistors in the readings' own units (volts per test current), at both ends of
//! what a handset's make-up may be; the band spans the two.
//!
//! Takes `Paths`, the `Grid` (display steps), the `Noise` and the typical reading; gives a
//! `Band`. Pure arithmetic.

use super::evidence::Band;
use super::grid::Grid;
use super::network::{Hop, MAX_HOPS, Path, Paths};
use super::noise::{CONTACT_MAX, LINE_WIRE_MAX, Noise};

/// The share of a healthy handset's reading that is its diode's drop: a silicon junction
/// drops 0.45–0.76 V at a meter's 0.1–1.2 mA, against 0.6–1.1 V across a whole handset with
/// its 50–350 Ω of series resistance. The low end shares current most readily.
const DIODE_SHARE: (f64, f64) = (0.5, 0.95);
/// How much a diode's drop changes per e-fold of current, as a share of the drop:
/// n·kT/q ÷ V with an ideality n of 1–2 at 25.9 mV over a 0.5–0.76 V drop (0.034–0.1). The
/// high end shares current most readily; paired with the low diode share above.
const DIODE_SLOPE: (f64, f64) = (0.1, 0.034);

/// A handset's make-up between the two ends above, 0 (the most resistive, sharing current
/// most readily) to 1 (the most diode-like): its diode share and slope.
fn make_up(at: f64) -> (f64, f64) {
    let at = at.clamp(0.0, 1.0);
    (
        DIODE_SHARE.0 + (DIODE_SHARE.1 - DIODE_SHARE.0) * at,
        DIODE_SLOPE.0 + (DIODE_SLOPE.1 - DIODE_SLOPE.0) * at,
    )
}

/// Make-ups tried when measuring which one an entrance's ghosts show.
const MAKE_UP_GRID: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// What parallel `paths` read at each make-up of `MAKE_UP_GRID`, the wire taken at the middle
/// of what it may be, and the standard deviation of that prediction (the noise of the readings
/// it is made of and of the ghost itself, and the wire spread evenly over what it may be).
/// None for a lone path (no make-up moves it).
pub(super) fn across_make_ups(paths: &Paths, g: &Grid, noise: &Noise, typ: f64) -> Option<MadeUp> {
    if paths.lone() {
        return None;
    }
    let mid = |h: &Hop, unclaimed: Unclaimed| {
        let (lo, hi) = wire(h, unclaimed, g, noise);
        (lo + hi) / 2.0
    };
    let mut reads = [0.0; MAKE_UP_GRID.len()];
    for (r, &at) in reads.iter_mut().zip(&MAKE_UP_GRID) {
        let (share, slope) = make_up(at);
        *r = parallel_with(paths, typ, share, slope, mid);
    }
    // The wire moves the cheapest path's reading by all of its width, and the whole by no more.
    let best = paths.best();
    let wire_width: f64 = (best.hops().iter().enumerate())
        .map(|(k, h)| {
            let (lo, hi) = wire(h, unclaimed(best, k), g, noise);
            hi - lo
        })
        .sum();
    let band = ghost_noise(paths, g, noise, reads[MAKE_UP_GRID.len() / 2]);
    Some(MadeUp {
        reads,
        sd: (band + wire_width * wire_width / 12.0).sqrt(),
    })
}

/// What one crossing's parallel sneak paths read across the handsets' make-ups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct MadeUp {
    /// The reading at each make-up of `MAKE_UP_GRID`, Ω.
    reads: [f64; MAKE_UP_GRID.len()],
    /// Standard deviation of the prediction, Ω.
    pub(super) sd: f64,
}

impl MadeUp {
    /// The reading at make-up `at` (0–1), linear between the grid's make-ups.
    pub(super) fn at(&self, at: f64) -> f64 {
        let x = at.clamp(0.0, 1.0) * (MAKE_UP_GRID.len() - 1) as f64;
        let k = (x.floor() as usize).min(MAKE_UP_GRID.len() - 2);
        let t = x - k as f64;
        self.reads[k] + (self.reads[k + 1] - self.reads[k]) * t
    }
}

/// The variance of a prediction from `paths` reading about `ohms`: every reading of the
/// cheapest path (an element whose wire was measured on its ghosts carries its own noise in
/// that measurement) and the ghost's own reading, Ω².
fn ghost_noise(paths: &Paths, g: &Grid, noise: &Noise, ohms: f64) -> f64 {
    let hops: f64 = paths
        .best()
        .hops()
        .iter()
        .map(|h| match h.element_cell().and_then(|c| noise.offset(c)) {
            Some(o) => o.sd * o.sd,
            None => noise.var(g, h.ohms),
        })
        .sum();
    hops + noise.var(g, ohms)
}

/// The band a ghost reading on a crossing with sneak paths `paths` falls in.
pub(super) fn ghost(paths: &Paths, g: &Grid, noise: &Noise, typ: f64) -> Band {
    let best = paths.best();
    let (lo, hi) = if paths.lone() {
        let (w_lo, w_hi) = (best.hops().iter().enumerate())
            .map(|(k, h)| wire(h, unclaimed(best, k), g, noise))
            .fold((0.0, 0.0), |(a, b), (c, d)| (a + c, b + d));
        (best.sum - w_hi, best.sum - w_lo)
    } else {
        let ((share_lo, slope_lo), (share_hi, slope_hi)) =
            (make_up(noise.make_up.0), make_up(noise.make_up.1));
        (
            parallel(paths, g, noise, typ, share_lo, slope_lo, true),
            parallel(paths, g, noise, typ, share_hi, slope_hi, false),
        )
    };
    let (lo, hi) = (lo.max(0.0), hi.max(0.0));
    Band {
        lo: lo.min(hi),
        hi: hi.max(lo),
        sigma: ghost_noise(paths, g, noise, (lo + hi) / 2.0).sqrt(),
    }
}

/// The standard deviation of the noise on `band`, a ghost band of `paths`, at `noise`.
pub(super) fn ghost_sigma(paths: &Paths, g: &Grid, noise: &Noise, band: &Band) -> f64 {
    ghost_noise(paths, g, noise, band.mid()).sqrt()
}

/// The ghost band `band` of a crossing with sneak paths `p` at each noise level `noise` holds
/// possible, with that level's weight. Its variance is the readings' relative noise squared
/// times their squares plus what the display and contacts add, so it is linear in the noise
/// level squared: worked out at the lowest and highest levels, interpolated between.
pub(super) fn across_noise(p: &Paths, g: &Grid, noise: &Noise, band: Band) -> Vec<(Band, f64)> {
    let (lo, hi) = noise.level_range();
    let through: Vec<usize> = p
        .best()
        .hops()
        .iter()
        .filter_map(|h| h.element_cell())
        .collect();
    let var_at = |rel: f64| ghost_sigma(p, g, &noise.with_rel(rel, &through), &band).powi(2);
    let (v_lo, v_hi) = (var_at(lo), var_at(hi));
    let per_rel2 = if hi > lo {
        (v_hi - v_lo) / (hi * hi - lo * lo)
    } else {
        0.0
    };
    noise
        .levels
        .iter()
        .map(|&(rel, w)| {
            let sigma = (v_lo + per_rel2 * (rel * rel - lo * lo)).max(0.0).sqrt();
            (Band { sigma, ..band }, w)
        })
        .collect()
}

/// How far, at most, the dearer of `paths` may pull a reading under the cheapest one's sum
/// (the wire aside), Ω: 0 for a lone path.
pub(super) fn sharing(paths: &Paths, typ: f64) -> f64 {
    if paths.lone() {
        return 0.0;
    }
    paths.cheapest() - parallel_with(paths, typ, DIODE_SHARE.0, DIODE_SLOPE.0, |_, _| 0.0)
}

/// The wire a hop makes a path sum double count, lowest and highest: none for a handset;
/// for an E→D element, what its ghosts measured, or from nothing up to the most a riser holds,
/// and never more than twice its own reading (which includes the wire of its two lines, and
/// rounds by up to half a display step) plus the contacts of the readings beside it.
///
/// Its ghosts (D→E paths, the element in the middle, handsets either side) count the wire of
/// both its lines twice: that is what they measure. A line of it that the path's sum does not
/// count twice through it is `unclaimed`: reached by the meter's own probe (a D–D or E–E
/// pair's path that starts on its E line or ends on its D line, an E→D path's first or last
/// hop), where its wire is in the reading once as in the sum, or shared with the element hop
/// before it (two shorts on one line joining two others), which counts that line's wire
/// already. What was measured then bounds it from above only; each unclaimed line may have
/// taken up to a riser's wire and a contact of it.
fn wire(h: &Hop, unclaimed: Unclaimed, g: &Grid, noise: &Noise) -> (f64, f64) {
    match h.element_cell() {
        None => (0.0, 0.0),
        Some(c) => match noise.offset(c) {
            Some(o) => {
                let own_lines = unclaimed.count() as f64 * 2.0 * (LINE_WIRE_MAX + CONTACT_MAX);
                ((o.ohms - own_lines).max(0.0).min(o.ohms), o.ohms)
            }
            None => {
                // An E→D element enters by its units line and leaves by its tens line.
                let (t, u) = g.tu(c);
                let claimed = [(!unclaimed.entry, false, u), (!unclaimed.exit, true, t)];
                let lines: f64 = (claimed.iter())
                    .filter(|(claimed, ..)| *claimed)
                    .map(|&(_, tens, line)| line_wire_max(g, noise, tens, line))
                    .sum();
                let lines = lines.min(h.ohms + g.reverse_half_step(c, h.ohms));
                let n = (2 - unclaimed.count()) as f64;
                (0.0, 2.0 * lines + n * CONTACT_MAX)
            }
        },
    }
}

/// The most wire tens line `line` (`tens`) or units line `line` may hold, Ω: a riser's most,
/// and no more than the cheapest reading of any crossing on it, which holds that wire. A
/// probe contact only adds to a reading, so that reading is under the wire by no more than
/// the meter's relative noise (`WIRE_BOUND_Z` deviations of it) and half a display step. A
/// line with a short on it holds little wire (seeds 174-175: E6 read 0.6 Ω at one short, so
/// two other shorts on E6 could not double count 3 Ω of its wire between them).
fn line_wire_max(g: &Grid, noise: &Noise, tens: bool, line: usize) -> f64 {
    let (v, half_step) = g.cheapest_on(tens, line);
    if !v.is_finite() {
        return LINE_WIRE_MAX;
    }
    LINE_WIRE_MAX.min(v * (1.0 + WIRE_BOUND_Z * noise.rel) + half_step)
}

/// Deviations of a reading's relative noise that a line's cheapest reading may have fallen
/// under its wire by: a bound, so taken wide.
const WIRE_BOUND_Z: f64 = 3.0;

/// What parallel `paths` read together, each handset's diode taking `share` of the typical
/// reading with a slope of `slope` per e-fold; the double-counted wire taken at its highest
/// (`most_wire`) or lowest.
fn parallel(
    paths: &Paths,
    g: &Grid,
    noise: &Noise,
    typ: f64,
    share: f64,
    slope: f64,
    most_wire: bool,
) -> f64 {
    let pick = |h: &Hop, unclaimed: Unclaimed| {
        let (lo, hi) = wire(h, unclaimed, g, noise);
        if most_wire { hi } else { lo }
    };
    parallel_with(paths, typ, share, slope, pick)
}

/// Which of the two lines of path `p`'s hop `k` its sum does not count twice through that hop
/// (`wire`): the line it enters by when the path starts there or the hop before is an element,
/// which counts that line; the line it leaves by when the path ends there (the meter's probe).
fn unclaimed(p: &Path, k: usize) -> Unclaimed {
    let hops = p.hops();
    Unclaimed {
        entry: k == 0 || hops[k - 1].element_cell().is_some(),
        exit: k + 1 == hops.len(),
    }
}

/// Which lines of a hop a path's sum does not count twice through it (`unclaimed`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Unclaimed {
    /// The line the hop enters by.
    entry: bool,
    /// The line it leaves by.
    exit: bool,
}

impl Unclaimed {
    /// How many.
    fn count(self) -> usize {
        self.entry as usize + self.exit as usize
    }
}

/// `parallel`, with the double-counted wire of each hop (and how many of its lines it leaves
/// unclaimed: `unclaimed`) given by `pick`.
fn parallel_with(
    paths: &Paths,
    typ: f64,
    share: f64,
    slope: f64,
    pick: impl Fn(&Hop, Unclaimed) -> f64,
) -> f64 {
    // Hops common to every path carry the whole current: in series with the rest. They are
    // the cheapest path's hops that every other path runs through too (found once here, not
    // for every hop of every path: this runs for every ghost at every make-up).
    let best = paths.best();
    let mut common = [0u32; MAX_HOPS];
    let mut n_common = 0;
    for h in best.hops() {
        if (paths.list.iter()).all(|p| p.hops().iter().any(|o| o.id == h.id)) {
            common[n_common] = h.id;
            n_common += 1;
        }
    }
    let common = &common[..n_common];
    let in_all = |id: u32| common.contains(&id);
    let series: f64 = (best.hops().iter().enumerate())
        .filter(|(_, h)| in_all(h.id))
        .map(|(k, h)| h.ohms - pick(h, unclaimed(best, k)))
        .sum();
    let mut branches = [(0.0, 0.0); MAX_BRANCHES];
    let n = paths.list.len().min(branches.len());
    for (b, p) in branches.iter_mut().zip(&paths.list) {
        let (mut diode, mut resistive) = (0.0, 0.0);
        for (k, h) in p.hops().iter().enumerate().filter(|(_, h)| !in_all(h.id)) {
            let d = if h.diode {
                (share * typ).min(h.ohms)
            } else {
                0.0
            };
            diode += d;
            resistive += h.ohms - d - pick(h, unclaimed(p, k));
        }
        *b = (diode, resistive.max(0.0));
    }
    // The wire double counted on a hop every path shares may exceed that hop's own reading
    // (a short reads its two lines' wire once, its ghosts count it twice): it comes off the
    // whole, which is never under nothing.
    (series + solve(&branches[..n], slope)).max(0.0)
}

/// The voltage (in ohms: volts per test current) across parallel branches, each a diode drop
/// `a` (varying by `slope`·a per e-fold of current) in series with a resistance `r`, that
/// together carry the whole test current.
///
/// Σ shares(v) − 1 rises with v and is convex (every branch's share is), and at `top` the
/// cheapest branch alone carries it all: Newton's method from `top` comes down on the root
/// from above without overshooting. Solved to the double's precision (`SOLVED`).
fn solve(branches: &[(f64, f64)], slope: f64) -> f64 {
    let top = branches
        .iter()
        .map(|(a, r)| a + r)
        .fold(f64::INFINITY, f64::min);
    if top.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) || !top.is_finite() {
        return 0.0;
    }
    jointly(branches, slope, top).unwrap_or_else(|| nested(branches, slope, top))
}

/// `solve` by Newton's method on the voltage and every branch's log-share at once: one
/// exponential per branch a step, where solving each share to the end at every voltage
/// (`nested`) takes two or three. Starts from `top` and each share's point above its root,
/// as `nested` does; None when it has not converged within `JOINT_STEPS` (then `nested`,
/// which brackets every root, takes over).
fn jointly(branches: &[(f64, f64)], slope: f64, top: f64) -> Option<f64> {
    let mut v = top;
    let mut y = [0.0; MAX_BRANCHES];
    let floor = -1.0 / slope - 60.0;
    for (yk, &(a, r)) in y.iter_mut().zip(branches) {
        if a > 0.0 && r > 0.0 {
            *yk = above_root(a, a * slope, r, v).clamp(floor, 0.0);
        }
    }
    for _ in 0..JOINT_STEPS {
        // Σ shares − 1, and the linearised system: each mixed branch's residual g (its
        // voltage at its log-share less v) moves its share by −e·g/d, and v by e/d per volt.
        let (mut sum, mut pull, mut per_volt) = (-1.0, 0.0, 0.0);
        let mut steps = [(0.0, 0.0); MAX_BRANCHES];
        for (k, &(a, r)) in branches.iter().enumerate() {
            if a <= 0.0 {
                // A plain resistance (r > 0: under `top`, a + r > 0).
                sum += v / r;
                per_volt += 1.0 / r;
            } else if r <= 0.0 {
                // A bare diode: v = a + k·ln(share).
                let kk = a * slope;
                let s = ((v - a) / kk).exp();
                sum += s;
                per_volt += s / kk;
            } else {
                let kk = a * slope;
                let e = y[k].exp();
                let g = a + kk * y[k] + r * e - v;
                let d = kk + r * e;
                sum += e;
                pull += e * g / d;
                per_volt += e / d;
                steps[k] = (g, d);
            }
        }
        let dv = (pull - sum) / per_volt;
        if !dv.is_finite() {
            return None;
        }
        let next = (v + dv).min(top);
        if next <= 0.0 {
            return None;
        }
        let mut settled = (next - v).abs() <= SOLVED * top;
        for (k, &(a, r)) in branches.iter().enumerate() {
            if a > 0.0 && r > 0.0 {
                let (g, d) = steps[k];
                let dy = (next - v - g) / d;
                settled &= dy.abs() < SHARE_SOLVED;
                y[k] = (y[k] + dy).clamp(floor, 0.0);
            }
        }
        v = next;
        if settled {
            return Some(v);
        }
    }
    None
}

/// At most this many parallel paths are solved together (twice what `network` keeps).
const MAX_BRANCHES: usize = 16;

/// Newton steps `jointly` takes before handing over: from its starting point it converges
/// in four to six.
const JOINT_STEPS: usize = 30;

/// `solve` with every share solved to the end at each voltage (`current_share`, from the
/// tangent of its last solution: from above too, a share's log being concave in v), the
/// voltage bracketed: slower than `jointly`, but it cannot fail to converge.
fn nested(branches: &[(f64, f64)], slope: f64, top: f64) -> f64 {
    let (mut lo, mut hi, mut v) = (0.0, top, top);
    let mut last = [None; MAX_BRANCHES];
    for _ in 0..SOLVE_STEPS {
        let (mut sum, mut slope_sum) = (0.0, 0.0);
        for (k, &(a, r)) in branches.iter().enumerate() {
            let (s, ds) = current_share(a, r, slope, v, &mut last[k]);
            sum += s;
            slope_sum += ds;
        }
        let h = sum - 1.0;
        if h == 0.0 {
            return v;
        }
        if h > 0.0 {
            hi = v;
        } else {
            lo = v;
        }
        let newton = v - h / slope_sum;
        // A step this small leaves the root about its square away: far under the last bit
        // that any later sum of readings carries.
        if (newton - v).abs() <= SOLVED * top {
            return newton.clamp(lo, hi);
        }
        v = if newton > lo && newton < hi {
            newton
        } else {
            (lo + hi) / 2.0
        };
        if hi - lo <= SOLVED * top {
            return v;
        }
    }
    v
}

/// At most this many Newton steps (each with a bisection to fall back on) for the voltage,
/// and for one branch's share: from its starting points each converges in a handful.
const SOLVE_STEPS: usize = 100;
/// The voltage is solved when Newton's step is under this share of the cheapest branch's
/// reading: Newton's method converges quadratically, so the root is then about its square
/// away (10⁻¹⁶ of the reading), at the double's own precision, as the shares' (below). A
/// finer bound only takes one more step to move the last digit (`solve` runs some hundreds of
/// times a diagnosis on a big riser; the step costs 3 % of its time there).
const SOLVED: f64 = 1e-8;
/// A branch's log-share is solved when Newton's step is under this (the root is then about
/// half its square away: 5·10⁻¹⁷, under a double's precision of a share).
const SHARE_SOLVED: f64 = 1e-8;
/// … or when bisection has narrowed it to this (a millionth of a millionth of the share).
const SHARE_BRACKET: f64 = 1e-12;

/// Where a branch's share was last solved: the voltage, the log of the share and its slope
/// d ln(share)/dv, to start the next solve from its tangent.
#[derive(Clone, Copy)]
struct LastShare {
    v: f64,
    y: f64,
    dy: f64,
}

/// The share of the test current a branch of diode drop `a` (slope `slope`) and resistance
/// `r` carries at voltage `v`, and how fast it grows with `v`; `last` carries where it was
/// last solved in and out.
fn current_share(a: f64, r: f64, slope: f64, v: f64, last: &mut Option<LastShare>) -> (f64, f64) {
    if a <= 0.0 {
        return if r > 0.0 {
            (v / r, 1.0 / r)
        } else {
            (f64::INFINITY, 0.0)
        };
    }
    let k = a * slope;
    if r <= 0.0 {
        // A bare diode: v = a + k·ln(share).
        let s = ((v - a) / k).exp();
        return (s, s / k);
    }
    // y = ln(share) solves a + k·y + r·e^y = v; the left side rises with y and is convex,
    // so Newton's method from above the root comes down on it without overshooting.
    // At y = 0 the left side is a + r, at least v while the branch could carry the whole
    // current alone (always, under the cheapest branch's reading); else at y = ln(v/r).
    let mut lo = -1.0 / slope - 60.0;
    let mut hi = if v <= a + r { 0.0 } else { (v / r).ln() };
    let start = match *last {
        // The tangent of y(v), concave, lies above it.
        Some(l) => l.y + (v - l.v) * l.dy,
        None => above_root(a, k, r, v),
    };
    let mut y = if start.is_finite() {
        start.clamp(lo, hi)
    } else {
        (lo + hi) / 2.0
    };
    let mut s = f64::NAN;
    for _ in 0..SOLVE_STEPS {
        let e = y.exp();
        let gy = a + k * y + r * e - v;
        if gy == 0.0 {
            s = e;
            break;
        }
        if gy > 0.0 {
            hi = y;
        } else {
            lo = y;
        }
        let step = -gy / (k + r * e);
        if step.abs() < SHARE_SOLVED {
            // e^(y + step) to the double's precision: the next term is step³/6.
            y += step;
            s = e * (1.0 + step + step * step / 2.0);
            break;
        }
        let newton = y + step;
        y = if newton > lo && newton < hi {
            newton
        } else {
            (lo + hi) / 2.0
        };
        if hi - lo < SHARE_BRACKET {
            break;
        }
    }
    if s.is_nan() {
        s = y.exp();
    }
    let dy = 1.0 / (k + r * s);
    *last = Some(LastShare { v, y, dy });
    (s, s * dy)
}

/// A starting point at or above the log-share y solving a + k·y + r·e^y = v (k, r > 0), close
/// to it. Where v > a, the root is at least L = ln((v − a)/r) (where the left side is k·L, not
/// above zero while the branch can carry the whole current), so r·e^y is at most v − a − k·L.
/// Elsewhere the diode alone bounds it: y < (v − a)/k.
fn above_root(a: f64, k: f64, r: f64, v: f64) -> f64 {
    if v > a {
        let low = ((v - a) / r).ln();
        if low <= 0.0 {
            return ((v - a - k * low) / r).ln();
        }
        return low;
    }
    (v - a) / k
}

/// Inverting a handset's reading beside a ghost is done to the bracket's width over 2^24:
/// the bracket is at most a few kilohms wide (a healthy handset's reach), so under a
/// milliohm, far below any meter's display step.
const BESIDE_HALVINGS: i32 = 24;
/// At most this many steps of the inversion (`root_between`): from its bracket it converges in
/// about eight, and bisection alone would need `BESIDE_HALVINGS`.
const BESIDE_STEPS: usize = 64;

/// The own reading of a handset beside sneak paths that read together what was measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Beside {
    /// The reading is not under the paths': nothing beside them pulls it there.
    NotUnder,
    /// Only an own reading above `reach` gives it.
    Beyond,
    /// The own reading, and how fast the joint reading moves with it (dx/dh).
    Own(f64, f64),
}

/// A handset with a reading of its own `own` beside sneak paths reading `ghost` through
/// `diodes` handset diodes (a diode and a resistance each, as `parallel_with` models them,
/// with the handsets' make-up at `at`): what the two read together. A single diode at its
/// own voltage draws little current through a path of two or more, so the handset is pulled
/// far less than two resistors would be: between none and the linear pull, by the make-up.
fn beside(own: f64, ghost: f64, diodes: usize, typ: f64, at: f64) -> f64 {
    let (share, slope) = make_up(at);
    let a_own = (share * typ).min(own);
    let a_ghost = (diodes as f64 * share * typ).min(ghost);
    solve(&[(a_own, own - a_own), (a_ghost, ghost - a_ghost)], slope)
}

/// The own reading of a handset that reads `x` beside sneak paths reading `ghost` through
/// `diodes` diodes (make-up `at`), looked for up to `reach` (beyond it, `Beyond`).
pub(super) fn own_beside(
    x: f64,
    ghost: f64,
    diodes: usize,
    typ: f64,
    at: f64,
    reach: f64,
) -> Beside {
    if !(x > 0.0 && x < ghost) {
        return Beside::NotUnder;
    }
    // Two resistors in parallel pull the most: the own reading is at most x·g/(g − x), and at
    // least x (a handset draws all the current when the paths draw none).
    let (lo, hi) = (x, (x * ghost / (ghost - x)).min(reach));
    let pulled = |own: f64| beside(own, ghost, diodes, typ, at) - x;
    if hi <= lo {
        return Beside::Beyond;
    }
    let above = pulled(hi);
    if above < 0.0 {
        return Beside::Beyond;
    }
    let h = root_between(pulled, (lo, pulled(lo)), (hi, above));
    let dh = (h * 1e-4).max(1e-6);
    let slope = (beside(h + dh, ghost, diodes, typ, at) - beside(h - dh, ghost, diodes, typ, at))
        / (2.0 * dh);
    if slope > 0.0 {
        Beside::Own(h, slope)
    } else {
        Beside::Beyond
    }
}

/// The resistance of a leak (a bare resistance, no diode) that reads `x` beside sneak paths
/// reading `ghost` through `diodes` handset diodes, the handsets' make-up at `at`. The paths'
/// diodes draw less current at the leak's voltage than resistors would, so the leak carries
/// more of it, and is lower, than two resistors in parallel say (by up to tenfold where the
/// handsets are nearly all diode). None when `x` is not under `ghost`.
pub(super) fn leak_beside(x: f64, ghost: f64, diodes: usize, typ: f64, at: f64) -> Option<f64> {
    if !(x > 0.0 && x < ghost) {
        return None;
    }
    let (share, slope) = make_up(at);
    let a_ghost = (diodes as f64 * share * typ).min(ghost);
    let pulled = |leak: f64| solve(&[(0.0, leak), (a_ghost, ghost - a_ghost)], slope) - x;
    // At most two resistors' pull (the paths as resistors draw the most current); at least
    // the reading itself (the paths drawing none).
    let (lo, hi) = (x, x * ghost / (ghost - x));
    let (below, above) = (pulled(lo), pulled(hi));
    if above <= 0.0 {
        return Some(hi);
    }
    Some(root_between(pulled, (lo, below), (hi, above)))
}

/// Where the rising `fun` crosses zero between `lo` and `hi` (each given with its value, the
/// first at or under zero, the second at or above), to `BESIDE_HALVINGS` halvings of the
/// bracket. Regula falsi, halving the value at an end that stays put twice running (the
/// Illinois rule), so both ends close in; bisection where a step would leave the bracket.
fn root_between(fun: impl Fn(f64) -> f64, lo: (f64, f64), hi: (f64, f64)) -> f64 {
    let ((mut a, mut fa), (mut b, mut fb)) = (lo, hi);
    let tolerance = (b - a) * 2f64.powi(-BESIDE_HALVINGS);
    if fa >= 0.0 {
        return a;
    }
    // Which end moved last: -1 the lower, 1 the upper.
    let mut moved = 0i8;
    for _ in 0..BESIDE_STEPS {
        if b - a <= tolerance {
            break;
        }
        let secant = (a * fb - b * fa) / (fb - fa);
        let c = if secant > a && secant < b {
            secant
        } else {
            (a + b) / 2.0
        };
        let fc = fun(c);
        if fc == 0.0 {
            return c;
        }
        if fc < 0.0 {
            (a, fa) = (c, fc);
            if moved == -1 {
                fb /= 2.0;
            }
            moved = -1;
        } else {
            (b, fb) = (c, fc);
            if moved == 1 {
                fa /= 2.0;
            }
            moved = 1;
        }
    }
    (a + b) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate::{self, Calibration};
    use crate::diagnose::elements;
    use crate::diagnose::network::Node;
    use crate::diagnose::noise::Offset;
    use crate::diagnose::tests::{Bench, EMPTY, layout};

    /// The sneak paths of crossing (t, u) of `b`, and what predicts them.
    fn predicted(b: &Bench, t: usize, u: usize) -> (Paths, Band) {
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let i = g.idx(t, u);
        let p = net.paths(Node::D(t), Node::E(u), Some(i)).unwrap();
        let band = ghost(&p, &g, &Noise::prior(), cal.typ);
        (p, band)
    }

    #[test]
    fn a_lone_paths_band_spans_the_wire_its_sum_may_double_count() {
        // A 12 Ω short: its two lines hold at most 12 Ω of wire between them (12.5 Ω, as a
        // reading shown to the ohm may be half an ohm more), counted twice, plus the two
        // contacts of the readings beside it.
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[4][5] = Some(12.0);
        b.backward(4, 5, 12.0);
        let (p, band) = predicted(&b, 8, 4);
        assert!(p.lone());
        assert!((band.hi - p.cheapest()).abs() < 1e-9);
        let wire = 2.0 * (12.0 + 0.5) + 2.0 * CONTACT_MAX;
        assert!((p.cheapest() - band.lo - wire).abs() < 1e-6, "{band:?}");
        assert!(
            band.sigma > 0.01 * 1000.0,
            "a 1 % meter over four readings: {band:?}"
        );
    }

    #[test]
    fn a_line_holds_no_more_wire_than_its_cheapest_reading() {
        // A 0.6 Ω short at D4/E5: D4 and E5 each hold at most that (and the meter's relative
        // noise on it, and half its display step: a contact only adds); a line of handsets
        // alone, a riser's most.
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[4][5] = Some(0.6);
        b.backward(4, 5, 0.6);
        let (l, _) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let noise = Noise::prior();
        let most = 0.6 * (1.0 + WIRE_BOUND_Z * noise.rel) + g.step(0.6) / 2.0;
        assert!((line_wire_max(&g, &noise, false, 5) - most).abs() < 1e-9);
        assert!((line_wire_max(&g, &noise, true, 4) - most).abs() < 1e-9);
        assert!(most < 0.7, "{most}");
        assert_eq!(line_wire_max(&g, &noise, true, 2), LINE_WIRE_MAX);
    }

    #[test]
    fn parallel_paths_read_under_the_cheapest_by_what_handsets_may_share() {
        // Two shorts on E5 (D4 and D7): a crossing reached through either reads under the
        // cheaper path, the more so for the more resistive handset make-up.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, r) in [(4, 12.0), (7, 15.0)] {
            b.forward[t][5] = Some(r);
            b.backward(t, 5, r);
        }
        let (p, band) = predicted(&b, 8, 4);
        assert!(!p.lone());
        assert!(
            band.hi < p.cheapest() && band.lo < band.hi,
            "{band:?} {}",
            p.cheapest()
        );
        assert!(
            band.lo > 0.5 * p.cheapest(),
            "no more than plain resistors share: {band:?}"
        );
    }

    #[test]
    fn a_pair_path_from_a_short_counts_its_own_line_once_and_its_wire_may_exceed_the_short() {
        // A 12 Ω short at D4/E5 whose ghosts measured 28 Ω of double-counted wire: its two
        // lines hold 14 Ω between them, more than the short reads. E5–E4 runs from E5's own
        // terminal through the short and D4/E4, so its sum counts only D4's wire twice: 4 Ω
        // (E5 holding 12 of the 14) to 24 Ω (E5 holding 2); E5's is in the reading once. A
        // reversed handset at D7/E2 adds a dearer path through the same short, which every
        // path then shares: the 28 Ω may come off the whole, not only off the short's 12 Ω.
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[4][5] = Some(12.0);
        b.backward(4, 5, 12.0);
        b.backward(7, 2, 700.0);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let mut noise = Noise::prior();
        noise.offsets.push(Offset {
            cell: g.idx(4, 5),
            ohms: 28.0,
            sd: 0.5,
            ghosts: 12,
        });
        let (net, _) = elements::find(&g, &cal, &noise);
        let p = net.paths(Node::E(5), Node::E(4), None).unwrap();
        assert!(!p.lone(), "{p:?}");
        let band = ghost(&p, &g, &noise, cal.typ);
        let sum = p.cheapest();
        assert!(band.lo <= sum - 28.0, "{band:?} under {sum}");
        assert!(
            band.hi >= sum - 4.0 - sharing(&p, cal.typ),
            "{band:?} under {sum}"
        );
    }

    /// A healthy bench with shorts at `shorts` (tens, units, the same reading both ways): its
    /// readings and calibration.
    fn shorted(shorts: &[(usize, usize, f64)]) -> (Grid, Calibration) {
        let mut b = Bench::healthy(1.0, EMPTY);
        for &(t, u, r) in shorts {
            b.forward[t][u] = Some(r);
            b.backward(t, u, r);
        }
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        (g, cal)
    }

    #[test]
    fn a_pair_path_through_two_shorts_on_one_line_counts_only_that_lines_wire_twice() {
        // Shorts at D6/E1 (26.9 Ω) and D6/E6 (25.5 Ω): E1–E6 reads through both. E1's and
        // E6's wire are reached by the probes (in the pair once, as in the sum); only D6's, up
        // to a riser's 12 Ω, is counted twice, with one more contact: the pair reads at least
        // 27.4 Ω this way, and two lines touching at 0.7 Ω read far under that.
        let (g, cal) = shorted(&[(6, 1, 26.9), (6, 6, 25.5)]);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let p = net.paths(Node::E(1), Node::E(6), None).unwrap();
        let band = ghost(&p, &g, &Noise::prior(), cal.typ);
        let least = p.cheapest() - (2.0 * LINE_WIRE_MAX + CONTACT_MAX);
        assert!((band.lo - least).abs() < 1e-6, "{band:?} {}", p.cheapest());
        assert!(band.lo - 3.0 * band.sigma > 0.7 * 10.0, "{band:?}");
    }

    #[test]
    fn parallel_paths_through_one_short_span_the_wire_it_double_counts_as_a_lone_path_does() {
        // A 12 Ω short at D4/E5 and a 15 Ω one at D7/E2. E5 → E6 runs through the first to
        // D4, then to E6 by D4's handset, or by D4/E2, the second short and D7/E6 beside it:
        // both paths share the short. E5's wire is reached by the probe (read once, in the
        // pair as in the sum); D4's, up to a riser's 12 Ω, is counted again in the readings
        // beside the short, with one more contact. At any make-up of the handsets, the most
        // wire takes the whole of it off the paths together, as off a lone path, not merely
        // the short's own reading.
        let (g, cal) = shorted(&[(4, 5, 12.0), (7, 2, 15.0)]);
        let (net, _) = elements::find(&g, &cal, &Noise::prior());
        let p = net.paths(Node::E(5), Node::E(6), None).unwrap();
        assert!(!p.lone());
        let noise = Noise::prior();
        let wire = 2.0 * LINE_WIRE_MAX + CONTACT_MAX;
        for at in [0.0, 0.5, 1.0] {
            let (share, slope) = make_up(at);
            let most = parallel(&p, &g, &noise, cal.typ, share, slope, true);
            let least = parallel(&p, &g, &noise, cal.typ, share, slope, false);
            // (the second short's wire, in one path only, takes a little more)
            assert!(least - most >= wire - 1e-6, "{least} {most}");
        }
        let band = ghost(&p, &g, &noise, cal.typ);
        assert!(band.hi <= p.cheapest(), "{band:?}");
    }

    /// The voltage at which `branches` carry the whole current, by bisection alone (each
    /// share by bisection too): slow, and independent of the Newton steps `solve` takes.
    fn bisected(branches: &[(f64, f64)], slope: f64) -> f64 {
        let share = |a: f64, r: f64, v: f64| {
            let k = a * slope;
            let (mut lo, mut hi) = (-200.0f64, 1.0f64);
            for _ in 0..200 {
                let y = (lo + hi) / 2.0;
                if a + k * y + r * y.exp() > v {
                    hi = y;
                } else {
                    lo = y;
                }
            }
            ((lo + hi) / 2.0).exp()
        };
        let (mut lo, mut hi) = (0.0f64, 1e6f64);
        for _ in 0..200 {
            let v = (lo + hi) / 2.0;
            if branches.iter().map(|&(a, r)| share(a, r, v)).sum::<f64>() > 1.0 {
                hi = v;
            } else {
                lo = v;
            }
        }
        (lo + hi) / 2.0
    }

    #[test]
    fn the_voltage_is_solved_to_the_doubles_precision_both_ways() {
        // Diode paths of a ghost through two and through several faulty handsets, stiff and
        // soft make-ups, one branch far dearer than the rest.
        for (branches, slope) in [
            (vec![(369.5, 369.5), (739.0, 721.0)], 0.1),
            (vec![(702.05, 36.95), (1404.1, 104.9)], 0.034),
            (
                vec![
                    (739.0, 758.0),
                    (739.0, 6756.0),
                    (1108.5, 7231.5),
                    (1108.5, 7279.5),
                    (1478.0, 7680.0),
                ],
                0.06,
            ),
            (
                vec![(739.0, 689.0), (1108.5, 1137.5), (1478.0, 90000.0)],
                0.1,
            ),
            (vec![(0.0, 1000.0), (700.0, 300.0), (1400.0, 0.0)], 0.05),
        ] {
            let want = bisected(&branches, slope);
            let top = branches
                .iter()
                .map(|(a, r)| a + r)
                .fold(f64::INFINITY, f64::min);
            let joint = jointly(&branches, slope, top).expect("converges from its start");
            for v in [
                solve(&branches, slope),
                joint,
                nested(&branches, slope, top),
            ] {
                assert!(
                    (v - want).abs() < 1e-9 * want,
                    "{branches:?}: {v} against {want}"
                );
            }
        }
    }

    #[test]
    fn one_branch_carries_everything_at_its_own_reading() {
        assert!((solve(&[(600.0, 100.0)], 0.06) - 700.0).abs() < 1e-6);
    }

    #[test]
    fn plain_resistors_share_as_resistors_do() {
        let v = solve(&[(0.0, 1000.0), (0.0, 3000.0)], 0.06);
        assert!((v - 750.0).abs() < 1e-6, "{v}");
    }

    #[test]
    fn a_leak_beside_diode_paths_is_lower_than_two_resistors_say() {
        // A leak read 1636 Ω in reverse beside a path of two handsets' diodes reading
        // 1710 Ω on their own (seeds 81-85, flat 80).
        let (x, ghost, typ) = (1636.0, 1710.0, 863.0);
        let resistors = x * ghost / (ghost - x);
        let soft = leak_beside(x, ghost, 2, typ, 0.0).unwrap();
        let stiff = leak_beside(x, ghost, 2, typ, 1.0).unwrap();
        // The more diode-like the handsets, the less current the path takes at the leak's
        // voltage, and the more the leak carries.
        assert!(
            stiff < soft && soft < resistors,
            "{stiff} {soft} {resistors}"
        );
        assert!(stiff > x);
        // Each reads what was measured beside the path.
        for (leak, at) in [(soft, 0.0), (stiff, 1.0)] {
            let (share, slope) = make_up(at);
            let a = 2.0 * share * typ;
            let together = solve(&[(0.0, leak), (a, ghost - a)], slope);
            assert!((together - x).abs() < 1e-6 * x, "{together}");
        }
        // Nothing pulls a reading that is not under the path.
        assert_eq!(leak_beside(ghost, ghost, 2, typ, 0.5), None);
    }

    #[test]
    fn a_handsets_own_reading_is_recovered_from_what_it_reads_beside_a_ghost() {
        // A bad contact beside a two-diode ghost, a healthy handset beside one, and one beside
        // three diodes that draw almost nothing at its voltage, at both ends of the make-ups
        // and between: the reading each gives inverts back to its own reading.
        let typ = 700.0;
        for (own, ghost, diodes) in [
            (5000.0, 2600.0, 2),
            (700.0, 1500.0, 2),
            (1200.0, 3000.0, 3),
            (700.0, 2800.0, 4),
        ] {
            for at in [0.0, 0.3, 1.0] {
                let x = beside(own, ghost, diodes, typ, at);
                match own_beside(x, ghost, diodes, typ, at, 1e6) {
                    Beside::Own(h, dx_dh) => {
                        assert!((h - own).abs() <= own * 1e-6, "{own} {ghost} {at}: {h}");
                        assert!(dx_dh > 0.0 && dx_dh <= 1.0 + 1e-9, "{dx_dh}");
                    }
                    other => panic!("{own} beside {ghost} at {at}: {other:?}"),
                }
                // Looked for no further than under it, it is beyond.
                assert_eq!(
                    own_beside(x, ghost, diodes, typ, at, own * 0.9),
                    Beside::Beyond
                );
            }
        }
    }

    #[test]
    fn a_dearer_diode_path_carries_little_and_pulls_the_reading_a_little() {
        // Two diode paths of 1400 and 1820 Ω (1.3×), mostly diode: the dearer one carries
        // a few per cent; as plain resistors it would carry 43 % and pull the reading 43 %.
        let stiff = solve(&[(1330.0, 70.0), (1330.0, 490.0)], 0.034);
        assert!(stiff < 1400.0 && stiff > 1400.0 * 0.97, "{stiff}");
        let soft = solve(&[(700.0, 700.0), (700.0, 1120.0)], 0.1);
        assert!(soft < stiff && soft > 1400.0 * 0.6, "{soft}");
    }
}
