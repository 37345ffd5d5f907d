//! Uncommitted study harness: how ghost readings sit against their predicted bands on the
//! field simulator, by truth.
use super::*;
use super::calibrate;
use super::explain::Explained;
use super::grid::Grid;
use crate::model::Cell;
use crate::profile::{Layout, LayoutSpec, builtin_profiles};
use crate::sim::{FaultSpec, HandsetFault, MeterFamily, MeterSpec, Physics, Scenario, SimEntrance, SimRng};

#[test]
#[ignore]
fn study() {
    let n: usize = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let seed: u64 = std::env::var("S").ok().and_then(|v| v.parse().ok()).unwrap_or(77);
    let profiles = builtin_profiles();
    let mut rng = SimRng::stream(seed, 0x57);
    // (z, label, lone, width/sigma, posterior bad)
    let mut rows: Vec<(f64, &'static str, bool, f64, f64)> = Vec::new();
    for _ in 0..n {
        let profile = rng.pick(&profiles).unwrap().clone();
        let switch = profile.switch(None).unwrap().clone();
        let spec = LayoutSpec { offset: 0, ..Default::default() };
        let Ok(layout) = Layout::build(&profile, &switch, &spec) else { continue };
        let wired: Vec<(Cell, u32)> = layout.cells().filter_map(|c| layout.apartment(c).map(|a| (c, a))).collect();
        let mut cands = wired.clone();
        rng.shuffle(&mut cands);
        let k = 1 + rng.below(3);
        let mut faults = Vec::new();
        for (i, (_, a)) in cands.iter().take(k).enumerate() {
            let fault = if i == 0 { *rng.pick(&[HandsetFault::Short, HandsetFault::Reversed, HandsetFault::Leak]).unwrap() } else { *rng.pick(&[HandsetFault::HighResistance, HandsetFault::HighResistance, HandsetFault::Short, HandsetFault::Reversed, HandsetFault::Leak]).unwrap() };
            faults.push(FaultSpec::Handset { apartment: *a, fault });
        }
        let ranged = rng.chance(0.5) && std::env::var("LAB").is_err();
        let mut meter = MeterSpec { test_current_amps: rng.uniform(500.0, 1200.0) * 1e-6, compliance_volts: rng.uniform(1.5, 3.5), ..MeterSpec::default() };
        if ranged { meter.family = MeterFamily::Ranged; meter.counts = *rng.pick(&crate::sim::meter::RANGED_COUNTS).unwrap(); }
        let scenario = Scenario { occupancy: rng.uniform(0.75, 1.0), faults, meter, physics: if std::env::var("LAB").is_ok() { Physics::lab() } else { Physics::field() }, seed: rng.next_u64() >> 1, ..Scenario::new(layout.clone()) };
        let Ok(mut e) = SimEntrance::new(&scenario) else { continue };
        let sweep = e.sweep(true);
        let truth = e.truth().clone();
        let prior: ForwardPrior = profile.nominal_forward_ohms.into();
        // the pipeline, as engine::diagnose
        let readings = Grid::new(&sweep, &layout);
        let suspects = suspect::find(&readings, &prior);
        let g = readings.without(&suspects.indices());
        let cal = calibrate::handsets(&g, &layout, &prior);
        let (mut net, mut els) = elements::find(&g, &cal, &noise::Noise::prior());
        let nz = noise::measure(&g, &net, &cal, sweep.bus(), |i| !els.is_element(i) && g.fi(i).is_some_and(|f| !cal.handset_like(f)));
        let ex = explain::forward(&g, &layout, &cal, &mut net, &mut els, &nz);
        for i in 0..g.len() {
            let Explained::High { ohms, weighed, .. } = ex.cells[i] else { continue };
            let Some(b) = ex.bands[i] else { continue };
            if ohms >= b.hi * 1.5 {
                let apt = layout.apartment(g.cell(i));
                if let Some(a) = apt {
                    let hr = truth.findings.iter().any(|f| matches!(f, crate::sim::TruthFinding::Handset { apartment, fault, .. } if *apartment == a && *fault == Fault::HighResistance));
                    if hr { rows.push((0.0, "bad-dropped", false, 0.0, weighed.bad)); }
                }
                continue;
            }
            let cell = g.cell(i);
            let apt = layout.apartment(cell);
            let label = match apt {
                None => "empty",
                Some(a) if truth.absent.contains(&a) => "empty",
                Some(a) => {
                    let hr = truth.findings.iter().any(|f| matches!(f, crate::sim::TruthFinding::Handset { apartment, fault, .. } if *apartment == a && *fault == Fault::HighResistance));
                    if hr { "bad" } else { "other" }
                }
            };
            let z = (b.lo - ohms) / b.sigma;
            if label == "empty" && z > 3.0 {
                let (t, u) = g.tu(i);
                let paths = net.paths(network::Node::D(t), network::Node::E(u), Some(i));
                let desc: Vec<String> = paths.iter().flat_map(|p| p.list.iter()).map(|p| format!("{:.0}[{}]", p.sum, p.hops().iter().map(|h| format!("{:.0}{}{}", h.ohms, if h.diode {"d"} else {"r"}, if h.element_cell().is_some() {"*"} else {""})).collect::<Vec<_>>().join("+"))).collect();
                eprintln!("TAILCASE profile={} faults={:?} meter={:?} occ={} seed={} cell={:?}", profile.name, scenario.faults, scenario.meter, scenario.occupancy, scenario.seed, cell);
                eprintln!("TAIL makeup={:?} z={z:.1}", nz.make_up); eprintln!("TAIL2 z={z:.1} f={ohms:.1} band={b:?} ranged={ranged} noise={:.4}/{} offsets={:?} typ={:.0} paths={}", nz.rel, nz.from, nz.offsets.iter().map(|o| (o.cell, o.ohms.round(), o.ghosts)).collect::<Vec<_>>(), cal.typ, desc.join(" | "));
            }
            let lone = (b.hi - b.lo) < 1e-6 || true;
            let (t, u) = g.tu(i);
            let multi = net.paths(network::Node::D(t), network::Node::E(u), Some(i)).is_some_and(|p| !p.lone());
            let label = if multi && label == "bad" { "bad-multi" } else if multi && label == "empty" { "empty-multi" } else { label };
            if label == "bad-multi" && std::env::var("BM").is_ok() {
                let paths = net.paths(network::Node::D(t), network::Node::E(u), Some(i));
                let desc: Vec<String> = paths.iter().flat_map(|p| p.list.iter()).map(|p| format!("{:.0}[{}]", p.sum, p.hops().iter().map(|h| format!("{:.0}{}{}", h.ohms, if h.diode {"d"} else {"r"}, if h.element_cell().is_some() {"*"} else {""})).collect::<Vec<_>>().join("+"))).collect();
                eprintln!("BM f={ohms:.0} band=({:.0},{:.0}) s={:.1} P={:.3} makeup={:?} paths={}", b.lo, b.hi, b.sigma, weighed.bad, nz.make_up, desc.join(" | "));
            }
            rows.push((z, label, (b.hi - b.lo) / b.sigma < 0.01, (b.hi - b.lo) / b.sigma, weighed.bad));
            let _ = lone;
        }
    }
    for label in ["empty", "empty-multi", "bad", "bad-multi", "bad-dropped", "other"] {
        for lone in [true, false] {
            let v: Vec<&(f64, &str, bool, f64, f64)> = rows.iter().filter(|r| r.1 == label && r.2 == lone).collect();
            if v.is_empty() { continue; }
            let frac = |t: f64| v.iter().filter(|r| r.0 > t).count();
            eprintln!("{label:6} measured-band={lone:5} n={:5} z>1:{} z>2:{} z>3:{} z>4:{} z>5:{} z>7:{}  P>0.5:{} P>0.9:{}", v.len(), frac(1.0), frac(2.0), frac(3.0), frac(4.0), frac(5.0), frac(7.0), v.iter().filter(|r| r.4 > 0.5).count(), v.iter().filter(|r| r.4 > 0.9).count());
        }
    }
    if std::env::var("DUMP").is_ok() {
        for r in rows.iter().filter(|r| r.1 != "other") { println!("{:.3} {} {} {:.2} {:.4}", r.0, r.1, r.2, r.3, r.4); }
    }
}
