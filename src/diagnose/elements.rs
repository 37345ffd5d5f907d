//! Stage 3, what conducts from E to D. A healthy matrix has no E→D path at all, so every
//! finite reverse reading is either a handset that conducts backwards (shorted, reversed,
//! leaky) or a sneak path through such handsets found before it. Reverse readings are taken
//! cheapest first; each is weighed as a sneak path's reading (within the band its paths
//! predict) against a faulty handset of its own, and the likelier wins.
//!
//! Takes the `Grid`, the `Calibration` and the `Noise` (the prior, until the ghosts measure
//! it); gives the `Network` with its E→D elements, and `Elements`. Pure.

use super::calibrate::Calibration;
use super::evidence::{Band, PRIOR_FAULT_KIND, in_parallel, log_uniform, posterior};
use super::grid::Grid;
use super::network::{Network, Node, Paths, REVERSED_MAX, SHORT_MAX};
use super::noise::Noise;
use super::predict;
use super::suspect::BEYOND_ANY_METER;

/// A handset conducting E→D reads anything from a bare short's fraction of an ohm up to a
/// leak of hundreds of megohms: spread evenly on a log scale from this…
pub(super) const ELEMENT_LOW: f64 = 0.05;

/// Prior probability that a handset conducts E→D: shorted, reversed or leaking, each
/// `PRIOR_FAULT_KIND`.
pub(super) const PRIOR_BACKWARD: f64 = 3.0 * PRIOR_FAULT_KIND;

/// Which crossings conduct E→D, and which reverse readings are sneak paths.
pub(super) struct Elements {
    /// By crossing: the probability that it holds a handset conducting E→D (0 when its
    /// reverse reading is open or a sneak path's).
    pub(super) chance: Vec<f64>,
    /// By crossing: its reverse reading is a sneak path's (a reverse ghost).
    pub(super) reverse_ghost: Vec<bool>,
    /// By crossing: for a reverse ghost that may as well be the handset's own leak (weighed
    /// against the bad contact it would read through), the probability of the leak; 0
    /// elsewhere.
    pub(super) leak_doubt: Vec<f64>,
    /// By crossing: a reverse ghost that line pairs reading through it show conducting E→D
    /// (`shown_by_pairs`): its sneak paths explain its reverse reading, so no later stage
    /// weighs that reading alone again.
    pub(super) shown_by_pairs: Vec<bool>,
}

impl Elements {
    /// Takes the `k`-th E→D element out of the network: its reverse reading is a sneak
    /// path's (a reverse ghost), not a handset conducting backwards.
    pub(super) fn explain_away(&mut self, net: &mut Network, k: usize) {
        let (t, u, _) = net.elements.remove(k);
        let i = net.g.idx(t, u);
        self.chance[i] = 0.0;
        self.reverse_ghost[i] = true;
    }

    /// True when crossing `i` conducts E→D itself.
    pub(super) fn is_element(&self, i: usize) -> bool {
        self.chance[i] > 0.0
    }
}

/// The density of a reverse reading `r` where a handset conducting E→D sits in parallel with
/// sneak paths reading `ghost` (or alone, with none).
pub(super) fn element_density(r: f64, ghost: Option<&Band>) -> f64 {
    let own = |e: f64| log_uniform(e, ELEMENT_LOW, BEYOND_ANY_METER);
    match ghost {
        None => own(r),
        Some(b) => in_parallel(r, b, own),
    }
}

/// Finds the E→D elements: the network of `cal`'s handsets, with every reverse reading that
/// no path through cheaper elements explains taken as an element of its own.
pub(super) fn find<'a>(g: &'a Grid, cal: &Calibration, noise: &Noise) -> (Network<'a>, Elements) {
    // Forward conductors: anything reading like a handset or lower (healthy handsets, leaky
    // ones, shorts). Reversed handsets and ghosts read well above.
    let mut forward: Vec<Option<f64>> = (0..g.len())
        .map(|i| g.fi(i).filter(|f| cal.handset_like(*f)))
        .collect();
    // A crossing reading low both ways, under any handset, is a bare resistance: its forward
    // reading is the same element as its reverse one, so it carries sneak paths only once its
    // reverse reading has been weighed in turn, cheapest first, and only if that found it an
    // element. Before that it may itself be the ghost of the reading being weighed (three
    // shorts at three corners of a rectangle read their sum at the fourth, both ways).
    let mut held: Vec<Option<f64>> = vec![None; g.len()];
    for i in (0..g.len()).filter(|&i| g.ri(i).is_some()) {
        if forward[i].is_some_and(|f| f < SHORT_MAX * cal.typ) {
            held[i] = forward[i].take();
        }
    }
    let mut net = Network {
        g,
        forward,
        elements: Vec::new(),
        typ: cal.typ,
    };
    let mut els = Elements {
        chance: vec![0.0; g.len()],
        reverse_ghost: vec![false; g.len()],
        leak_doubt: vec![0.0; g.len()],
        shown_by_pairs: vec![false; g.len()],
    };
    let mut order: Vec<(f64, usize)> = (0..g.len())
        .filter_map(|i| g.ri(i).map(|r| (r, i)))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let prior = PRIOR_BACKWARD;
    for (r, i) in order {
        let (t, u) = g.tu(i);
        if let Some(f) = held[i] {
            net.forward[i] = Some(f);
        }
        let chance = match net.paths(Node::E(u), Node::D(t), Some(i)) {
            None => 1.0,
            Some(p) => {
                let band = predict::ghost(&p, g, noise, cal.typ);
                let [ghost, own] = posterior([
                    (1.0 - prior, band.density(r)),
                    (prior, element_density(r, Some(&band))),
                ]);
                if ghost >= own { 0.0 } else { own }
            }
        };
        if chance > 0.0 {
            net.elements.push((t, u, r));
            els.chance[i] = chance;
        } else {
            els.reverse_ghost[i] = true;
            // A bare crossing whose reverse reading is a sneak path reads that same path
            // forward: no conductor of its own.
            if held[i].is_some() {
                net.forward[i] = None;
            }
        }
    }
    parallel_dearer(&mut net, &mut els, cal, noise);
    (net, els)
}

/// Takes out of the network a leak whose reverse reading is the sneak paths through dearer
/// elements read in parallel. `find` weighs each reverse reading against paths through the
/// cheaper elements only, yet two leaks, each dearer than the reading, reach the same lines
/// side by side and together read under either (two 46 kΩ leaks beside each other read about
/// 23 kΩ): the first reading weighed is then taken for a leak of its own. Each leak is
/// weighed again against the paths through every other element, when they run in parallel
/// and the reading is under their cheapest one (no lone path can read there), as `reexplain`
/// weighs it; the sneak paths win where they explain the reading at least as well.
fn parallel_dearer(net: &mut Network, els: &mut Elements, cal: &Calibration, noise: &Noise) {
    let g = net.g;
    // A reverse sneak path crosses a handset forward and two elements: anything reading over a
    // typical handset may be one (a leak, or one of the readings the leaks' order of weighing
    // took for a reversed handset or short: 2.3 times the handsets beside a dearer leak, on
    // seeds 51-55).
    let typ = cal.typ;
    explain_away_leaks(
        net,
        els,
        cal,
        |_, r| r > typ,
        |_, p, r| {
            !p.lone()
                && r < p.cheapest()
                && as_reverse_ghost(p, g, noise, cal.typ, r)
                    .is_some_and(|(as_ghost, _)| as_ghost > 0.0)
        },
    );
}

/// Once the handsets read above the entrance's handsets (bad contacts, other models) are known
/// to conduct forward too, a high reverse reading that a path through one explains is a
/// reverse ghost, not a leak of its own — unless forward ghosts run
/// through it that no path around it reads (then it conducts E→D for certain).
/// `carries_ghosts` says which elements do. High means above a reversed handset's reach, or
/// above a short's where the crossing reads like a handset forward: a reversed handset does
/// not conduct forward, so what such a crossing reads in reverse is a leak or a sneak path
/// (seeds 179-180: a path through a second-model handset read 2.3 typical readings in reverse
/// at a healthy flat, and was named a leak). A short, low both ways, stays as `find` weighed
/// it: shorts around a rectangle read about a fourth at its corner, and the wire their sum
/// double counts leaves little to tell that from a short of its own.
pub(super) fn reexplain(
    net: &mut Network,
    els: &mut Elements,
    cal: &Calibration,
    noise: &Noise,
    carries_ghosts: impl Fn(usize) -> bool,
) {
    let g = net.g;
    let (short_below, leak_above) = (net.typ * SHORT_MAX, net.typ * REVERSED_MAX);
    explain_away_leaks(
        net,
        els,
        cal,
        |i, r| r > leak_above || (r >= short_below && g.fi(i).is_some_and(|f| cal.handset_like(f))),
        |i, p, r| !carries_ghosts(i) && as_reverse_ghost(p, g, noise, cal.typ, r).is_some(),
    );
}

/// Takes out of the network each element at crossing `i` whose reverse reading `r` is
/// `weighed(i, r)` again, that reads like a handset forward (or not at all), and whose
/// reverse reading the sneak paths `p` from its E line to its D line (around its own crossing
/// `i`) explain, as `explains(i, p, r)` judges.
fn explain_away_leaks(
    net: &mut Network,
    els: &mut Elements,
    cal: &Calibration,
    weighed: impl Fn(usize, f64) -> bool,
    explains: impl Fn(usize, &Paths, f64) -> bool,
) {
    let g = net.g;
    let mut k = 0;
    while k < net.elements.len() {
        let (t, u, r) = net.elements[k];
        let i = g.idx(t, u);
        let plain = g.fi(i).is_none_or(|f| cal.handset_like(f));
        let explained = weighed(i, r)
            && plain
            && !els.shown_by_pairs[i]
            && (net.paths(Node::E(u), Node::D(t), Some(i))).is_some_and(|p| explains(i, &p, r));
        if explained {
            els.explain_away(net, k);
        } else {
            k += 1;
        }
    }
}

/// A high reverse reading `r` weighed as the sneak paths `p` read it against a handset of its
/// own conducting E→D (`PRIOR_BACKWARD`): the reading's density under each (sneak path, own
/// element) when the sneak path explains it at least as well; None when the handset does.
pub(super) fn as_reverse_ghost(
    p: &Paths,
    g: &Grid,
    noise: &Noise,
    typ: f64,
    r: f64,
) -> Option<(f64, f64)> {
    let band = predict::ghost(p, g, noise, typ);
    let prior = PRIOR_BACKWARD;
    let (as_ghost, as_leak) = (band.density(r), element_density(r, Some(&band)));
    let [ghost, own] = posterior([(1.0 - prior, as_ghost), (prior, as_leak)]);
    (ghost >= own).then_some((as_ghost, as_leak))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate;
    use crate::diagnose::tests::{Bench, EMPTY, layout};

    #[test]
    fn two_shorts_are_elements_and_a_reverse_reading_through_both_is_a_sneak_path() {
        // Shorts at D4/E5 (12 Ω) and D7/E2 (15 Ω): E5 → D4 → (handset D4/E2) → E2 → D7, so
        // the healthy handset at D7/E5 reads their sum in reverse.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, u, r) in [(4, 5, 12.0), (7, 2, 15.0)] {
            b.forward[t][u] = Some(r);
            b.backward(t, u, r);
        }
        b.reverse[7][5] = Some(12.0 + b.forward[4][2].unwrap() + 15.0);
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let (net, els) = find(&g, &cal, &Noise::prior());
        let found: Vec<(usize, usize)> = net.elements.iter().map(|&(t, u, _)| (t, u)).collect();
        assert_eq!(found, vec![(4, 5), (7, 2)]);
        assert!(els.reverse_ghost[75] && !els.is_element(75));
        assert!(els.chance[45] > 0.99 && els.chance[72] > 0.99);
    }

    /// Leaks at D2/E8 (47.1 kΩ) and D6/E8 (45.5 kΩ) and a short at D3/E7 (49 Ω), with the
    /// reverse reading at D3/E8 given by `r`, weighed by `find`.
    fn two_leaks_beside_a_short(r: impl Fn(&Bench) -> f64) -> Elements {
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, u, ohms) in [(3, 7, 49.0), (2, 8, 47_100.0), (6, 8, 45_500.0)] {
            if ohms < 100.0 {
                b.forward[t][u] = Some(ohms);
            }
            b.backward(t, u, ohms);
        }
        b.reverse[3][8] = Some(r(&b));
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        find(&g, &cal, &Noise::prior()).1
    }

    #[test]
    fn a_reverse_reading_two_dearer_leaks_give_in_parallel_is_a_sneak_path() {
        // E8 → D3 runs E8 → leak → D2 → handset D2/E7 → E7 → short → D3, and the same through
        // D6: two paths of about 48 kΩ and 46 kΩ side by side, which read about 23.5 kΩ
        // together, under either. Weighed cheapest first, D3/E8 came before both leaks and
        // was taken for a leak of its own.
        let els = two_leaks_beside_a_short(|b| {
            let path = |t: usize, leak: f64| leak + b.forward[t][7].unwrap() + 49.0;
            let (a, c) = (path(2, 47_100.0), path(6, 45_500.0));
            a * c / (a + c)
        });
        assert!(els.reverse_ghost[38] && !els.is_element(38));
        assert!(els.chance[28] > 0.99 && els.chance[68] > 0.99 && els.chance[37] > 0.99);
    }

    #[test]
    fn a_leak_of_its_own_beside_two_dearer_leaks_stays_a_leak() {
        // A 6 kΩ leak at D3/E8 beside the same paths reads 6 kΩ ∥ 23.5 kΩ, about 4.8 kΩ:
        // far under what the paths give alone.
        let els = two_leaks_beside_a_short(|_| 6_000.0 * 23_500.0 / 29_500.0);
        assert!(els.is_element(38) && els.chance[38] > 0.99);
    }
}
