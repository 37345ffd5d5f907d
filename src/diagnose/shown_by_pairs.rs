//! Stage 4b, elements the line pairs show. A crossing whose reverse reading the sneak paths
//! explain (a reverse ghost) may still conduct E→D itself, a leak beside those paths: its own
//! reverse reading cannot tell the two apart (a short or a reversed handset reads far under
//! any sneak path, which crosses two handsets at least). The D–D and E–E readings can. With
//! the crossing conducting, pairs of lines on its two sides read through it; without, a pair
//! that reads under every path of the network is two wires touching. Where `PAIRS_SHOWING` or
//! more measured pairs read so and a path through one such crossing explains each of them,
//! one element explains what would else take as many touching pairs, each of them a fault of
//! its own (`bus::PRIOR_TOUCHING`): the crossing joins the network before the forward
//! readings are explained, as any element found from its reverse reading does.
//!
//! Takes the `Grid`, the `Calibration`, the `Noise` and the sweep's line-pair readings; adds
//! to the `Network` and `Elements` the elements shown. Pure.

use super::bus::{self, PRIOR_TOUCHING};
use super::calibrate::Calibration;
use super::elements::{Elements, PRIOR_BACKWARD};
use super::grid::Grid;
use super::network::{Network, Node, PairPaths, Paths, node};
use super::noise::Noise;
use super::suspect::BEYOND_ANY_METER;
use crate::model::{Measurement, Reading};

/// A reverse ghost is taken for an element of its own only where it explains at least this
/// many line pairs that nothing else but touching wires explains: two touching pairs are two
/// faults of their own against one, a million to one against at `PRIOR_TOUCHING` each.
/// One pair alone weighs a pair of touching wires against a leak as the readings' densities
/// say, which this stage does not model (a pair through a leak often reads on a smaller
/// current, anywhere above its paths' band); that pair is left to `bus`.
const PAIRS_SHOWING: usize = 2;

/// Adds to `net` and `els` each reverse ghost that measured line pairs (`bus_readings`)
/// show conducting E→D, cheapest reverse reading first.
pub(super) fn add(
    g: &Grid,
    cal: &Calibration,
    noise: &Noise,
    kept: &PairPaths,
    net: &mut Network,
    els: &mut Elements,
) {
    // Only a leak hides so: a short or a reversed handset reads far under any sneak path,
    // which crosses two handsets at least.
    let mut candidates: Vec<(f64, usize)> = (0..g.len())
        .filter(|&i| els.reverse_ghost[i])
        .filter_map(|i| g.ri(i).map(|r| (r, i)))
        .filter(|&(r, _)| net.is_leak(r))
        .collect();
    if candidates.is_empty() {
        return;
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut unexplained = unexplained_pairs(g, cal, noise, kept, net);
    if unexplained.len() < PAIRS_SHOWING {
        return;
    }
    for (r, i) in candidates {
        let (t, u) = g.tu(i);
        let mut trial = net.clone();
        trial.elements.push((t, u, r));
        let shown: Vec<usize> = (0..unexplained.len())
            .filter(|&k| {
                let (a, b, v) = unexplained[k];
                (trial.paths(a, b, None)).is_some_and(|p| {
                    runs_through(&p, i, usize::MAX)
                        && bus::touching_chance(Some(&p), v, g, cal, noise) < 0.5
                })
            })
            .collect();
        if shown.len() < PAIRS_SHOWING || contradicted(kept.measured(), &trial, i) {
            continue;
        }
        let touching = PRIOR_TOUCHING.powi(shown.len() as i32);
        els.chance[i] = PRIOR_BACKWARD / (PRIOR_BACKWARD + (1.0 - PRIOR_BACKWARD) * touching);
        els.reverse_ghost[i] = false;
        els.shown_by_pairs[i] = true;
        *net = trial;
        let mut k = 0;
        unexplained.retain(|_| {
            k += 1;
            !shown.contains(&(k - 1))
        });
        if unexplained.len() < PAIRS_SHOWING {
            return;
        }
    }
}

/// The measured line pairs (from, to, reading) that no path of `net` explains: each would
/// take two wires touching (`bus::touching_chance` at even odds or more).
fn unexplained_pairs(
    g: &Grid,
    cal: &Calibration,
    noise: &Noise,
    kept: &PairPaths,
    net: &Network,
) -> Vec<(Node, Node, f64)> {
    let same = kept.same(net);
    (kept.measured().iter().enumerate())
        .filter_map(|(k, m)| {
            let Reading::Ohms(v) = m.reading else {
                return None;
            };
            let (a, b) = (node(m.plus), node(m.minus));
            let p = kept.of(net, same, k);
            let touching = kept.touching(same, k, || {
                bus::touching_chance(p.as_deref(), v, g, cal, noise)
            });
            (v <= BEYOND_ANY_METER && touching >= 0.5).then_some((a, b, v))
        })
        .collect()
}

/// True when one of the paths `p` runs through the element at crossing `i` across no more
/// than `diodes` handset diodes.
fn runs_through(p: &Paths, i: usize, diodes: usize) -> bool {
    (p.list.iter())
        .any(|q| q.diodes() <= diodes && q.hops().iter().any(|h| h.element_cell() == Some(i)))
}

/// True when a line pair read open where the network `trial`, with the element at crossing
/// `i`, gives a path through it across no more than one handset's diode: the meter drives
/// that on any range, so the element is not there.
fn contradicted(bus_readings: &[Measurement], trial: &Network, i: usize) -> bool {
    bus_readings
        .iter()
        .filter(|m| m.reading == Reading::Open)
        .any(|m| {
            (trial.paths(node(m.plus), node(m.minus), None)).is_some_and(|p| runs_through(&p, i, 1))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate;
    use crate::diagnose::elements;
    use crate::diagnose::tests::{Bench, layout};
    use crate::model::Terminal;

    /// A leak at D8/E0 (24.4 kΩ) and a reversed handset at D1/E5, so that E0→D1 reads through
    /// them (the leak, D8/E5's handset, the reversed one): D1/E0, a leaky handset too, reads
    /// just that in reverse, as a sneak path would. The E0–E`x` pairs read as given: through
    /// both leaks they read under what the one at D8/E0 gives alone and, read on a smaller
    /// current (where each diode reads more), above what the two give in parallel on the
    /// first range.
    fn hidden_leak(pairs: &[(u16, Option<f64>)]) -> Bench {
        let mut b = Bench::healthy(1.0, &[]);
        b.backward(8, 0, 24_400.0);
        b.forward[1][5] = None;
        b.backward(1, 5, 626.0);
        b.reverse[1][0] = Some(24_400.0 + b.forward[8][5].unwrap() + 626.0);
        for &(x, v) in pairs {
            b.bus.push((Terminal::units(0), Terminal::units(x), v));
        }
        b
    }

    /// Whether the pairs of `b` show D1/E0 conducting E→D.
    fn shows_d1_e0(b: &Bench) -> bool {
        let (l, prior) = layout(None);
        let sweep = b.sweep();
        let g = Grid::new(&sweep, &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        let noise = Noise::prior();
        let (mut net, mut els) = elements::find(&g, &cal, &noise);
        let i = g.idx(1, 0);
        assert!(
            els.reverse_ghost[i],
            "D1/E0 reads its sneak path in reverse"
        );
        let before = net.elements.len();
        add(
            &g,
            &cal,
            &noise,
            &PairPaths::walk(&net, sweep.bus()),
            &mut net,
            &mut els,
        );
        let shown = els.is_element(i) && els.shown_by_pairs[i];
        assert_eq!(net.elements.len(), before + shown as usize);
        shown
    }

    #[test]
    fn two_pairs_that_only_a_hidden_leak_explains_show_it() {
        let b = hidden_leak(&[(2, Some(22_800.0)), (4, Some(22_400.0))]);
        assert!(shows_d1_e0(&b));
    }

    #[test]
    fn one_pair_alone_is_left_to_the_touching_lines_stage() {
        assert!(!shows_d1_e0(&hidden_leak(&[(2, Some(22_800.0))])));
    }

    #[test]
    fn pairs_the_network_explains_already_show_nothing() {
        // Read where the one leak at D8/E0 puts them.
        let e2 = 24_400.0 + 700.0;
        assert!(!shows_d1_e0(&hidden_leak(&[(2, Some(e2)), (4, Some(e2))])));
    }

    #[test]
    fn a_pair_read_open_across_one_handset_from_it_rules_the_element_out() {
        // E0→E6 would run through D1/E0 and D1/E6's handset alone: the meter reads that.
        let b = hidden_leak(&[(2, Some(22_800.0)), (4, Some(22_400.0)), (6, None)]);
        assert!(!shows_d1_e0(&b));
    }
}
