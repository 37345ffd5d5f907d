//! Tests of the accuracy bench's other-explanations module (`benches/accuracy/
//! alternatives.rs`): a bench with its own `main` runs no `#[test]`, so the module is compiled
//! here too and tested with `cargo test`.

#[allow(dead_code)]
#[path = "../benches/accuracy/alternatives.rs"]
mod alternatives;
use alternatives::*;
use kmdiag::model::{Fault, Terminal};
use kmdiag::profile::{Layout, LayoutSpec, resolve};
use kmdiag::sim::{FaultSpec, HandsetFault, RawReading, Scenario, SimEntrance};

fn raw(ohms: f64) -> Option<RawReading> {
    Some(RawReading { ohms, range: 0 })
}

#[test]
fn buckets_put_an_edge_in_the_lower_bucket_and_infinity_in_the_last() {
    assert_eq!(bucket(0.0, &SIGMA_EDGES), 0);
    assert_eq!(bucket(3.0, &SIGMA_EDGES), 0);
    assert_eq!(bucket(3.01, &SIGMA_EDGES), 1);
    assert_eq!(bucket(10.0, &SIGMA_EDGES), 1);
    assert_eq!(bucket(f64::INFINITY, &SIGMA_EDGES), 2);
    assert_eq!(bucket(0.99, &PERCENT_EDGES), 0);
    assert_eq!(bucket(2.0, &PERCENT_EDGES), 1);
    assert_eq!(bucket(9.0, &PERCENT_EDGES), 2);
    assert_eq!(bucket(10.5, &PERCENT_EDGES), 3);
}

#[test]
fn a_reading_change_is_in_sigma_of_the_larger_and_per_cent_of_the_real() {
    // 2171 Ω real, 2192 Ω without the bad contact: 21 Ω, 1 % of 2192 as σ.
    let (s, p) = reading_change(raw(2171.0), raw(2192.0), |r| r.ohms * 0.01);
    assert!((s - 21.0 / 21.92).abs() < 1e-9);
    assert!((p - 100.0 * 21.0 / 2171.0).abs() < 1e-9);
    assert_eq!(reading_change(None, None, |_| 1.0), (0.0, 0.0));
    assert_eq!(reading_change(raw(5.0), raw(5.0), |_| 0.0), (0.0, 0.0));
    let open = reading_change(raw(700.0), None, |_| 1.0);
    assert!(open.0.is_infinite() && open.1.is_infinite());
}

fn scenario(faults: Vec<FaultSpec>) -> Scenario {
    let p = resolve("eltis").unwrap();
    let layout = Layout::build(&p, p.switch(None).unwrap(), &LayoutSpec::default()).unwrap();
    Scenario {
        occupancy: 1.0,
        faults,
        seed: 9,
        ..Scenario::new(layout)
    }
}

#[test]
fn a_moved_fault_leaves_the_original_healthy_and_keeps_its_values() {
    let leak = FaultSpec::Handset {
        apartment: 11,
        fault: HandsetFault::Leak,
    };
    let short = FaultSpec::Handset {
        apartment: 55,
        fault: HandsetFault::Short,
    };
    let s = scenario(vec![short, leak]);
    let c = |a| s.layout.cell_of(a).unwrap();
    let listed = [
        // On the leak's tens line: moved there.
        Listed::Flat {
            apartment: 14,
            cell: c(14),
            fault: None,
        },
        // Not on its lines: no alternative.
        Listed::Flat {
            apartment: 44,
            cell: c(44),
            fault: Some(Fault::Leak),
        },
        // The other fault's flat: never moved onto.
        Listed::Flat {
            apartment: 55,
            cell: c(55),
            fault: None,
        },
        Listed::NoApartment { cell: c(19) },
    ];
    let (alts, unmappable) = alternatives(&s, 1, &listed);
    assert_eq!(unmappable, 1);
    let what: Vec<&str> = alts.iter().map(|a| a.what.as_str()).collect();
    assert_eq!(what, ["11 healthy", "11 no handset", "moved to 14"]);
    let moved = &alts[2].scenario;
    assert!(moved.faults.contains(&short));
    assert!(moved.faults.contains(&FaultSpec::Handset {
        apartment: 11,
        fault: HandsetFault::Healthy
    }));
    assert!(moved.faults.contains(&FaultSpec::Handset {
        apartment: 14,
        fault: HandsetFault::Leak
    }));
    assert_eq!(moved.values_as_at, [(14, 11)]);
    let mut real = SimEntrance::new(&s).unwrap();
    let mut other = SimEntrance::new(moved).unwrap();
    assert!(same_elsewhere(&real, &other, &s.layout, &alts[2].touched));
    assert!(!same_elsewhere(&real, &other, &s.layout, &[11]));
    // The leak's reverse reading moves from 11's crossing to 14's: far in σ.
    let pairs = [(Terminal::units(c(11).units), Terminal::tens(c(11).tens))];
    let d = distance(
        &mut real,
        &mut other,
        &pairs,
        |r| r.ohms * 0.01,
        f64::INFINITY,
    );
    assert!(d.unwrap().sigma > 10.0);
    assert_eq!(
        distance(&mut real, &mut other, &pairs, |r| r.ohms * 0.01, 3.0),
        None
    );
}

#[test]
fn a_cut_line_is_also_read_as_whole_with_its_flats_empty() {
    let s = scenario(vec![FaultSpec::BusOpen {
        line: Terminal::tens(2),
    }]);
    let (alts, _) = alternatives(&s, 0, &[]);
    assert_eq!(alts.len(), 2);
    assert!(alts[0].scenario.faults.is_empty());
    let empty = &alts[1].scenario.faults;
    assert_eq!(empty.len(), alts[1].touched.len());
    assert!(empty.iter().all(|f| matches!(f, FaultSpec::Handset { fault: HandsetFault::Absent, apartment } if s.layout.cell_of(*apartment).unwrap().tens == 2)));
    // A cut line with every flat on it empty reads as the line whole and empty (to the
    // network solver's tolerance: the cut line's flats hang on a riser node of its own).
    let mut real = SimEntrance::new(&s).unwrap();
    let mut other = SimEntrance::new(&alts[1].scenario).unwrap();
    let (t, u) = (s.layout.tens(), s.layout.units());
    let pairs: Vec<_> = (0..t)
        .flat_map(|a| (0..u).map(move |b| (Terminal::tens(a), Terminal::units(b))))
        .collect();
    let d = distance(
        &mut real,
        &mut other,
        &pairs,
        |r| r.ohms * 0.01,
        f64::INFINITY,
    );
    assert!(d.unwrap().sigma < 0.01);
}

#[test]
fn a_mended_line_changes_no_handset_it_does_not_name() {
    // Without wiring (lab physics) the cut line's flats hang on a node of their own and the
    // mended line's on its terminal: the same handsets on other nodes, not a drift.
    let s = scenario(vec![FaultSpec::BusOpen {
        line: Terminal::tens(2),
    }]);
    assert!(!s.physics.wiring);
    let (alts, _) = alternatives(&s, 0, &[]);
    let real = SimEntrance::new(&s).unwrap();
    for alt in &alts {
        let other = SimEntrance::new(&alt.scenario).unwrap();
        assert!(
            same_elsewhere(&real, &other, &s.layout, &alt.touched),
            "{}",
            alt.what
        );
    }
}

#[test]
fn an_alternative_that_changes_a_handset_it_does_not_name_is_caught() {
    let cut = FaultSpec::BusOpen {
        line: Terminal::tens(2),
    };
    let s = scenario(vec![cut]);
    let real = SimEntrance::new(&s).unwrap();
    let changed = |extra: Vec<FaultSpec>| {
        let other = Scenario {
            faults: extra,
            ..s.clone()
        };
        SimEntrance::new(&other).unwrap()
    };
    let handset = |apartment, fault| FaultSpec::Handset { apartment, fault };
    let on_tens = |t: u16| {
        (s.layout.cells())
            .filter(|c| c.tens == t)
            .find_map(|c| s.layout.apartment(c))
            .unwrap()
    };
    let (on_cut, elsewhere) = (on_tens(2), on_tens(5));
    // The line mended, and besides: a handset on the mended line fitted the other way round
    // (its nodes change with the line, its direction must still be caught), one elsewhere
    // shorted, one elsewhere taken away.
    for extra in [
        handset(on_cut, HandsetFault::Reversed),
        handset(on_cut, HandsetFault::Leak),
        handset(elsewhere, HandsetFault::Short),
        handset(elsewhere, HandsetFault::Absent),
    ] {
        let other = changed(vec![extra]);
        assert!(
            !same_elsewhere(&real, &other, &s.layout, &[]),
            "{extra:?} not caught"
        );
        let FaultSpec::Handset { apartment, .. } = extra else {
            unreachable!()
        };
        assert!(same_elsewhere(&real, &other, &s.layout, &[apartment]));
    }
    // Another seed draws every handset anew.
    let reseeded = SimEntrance::new(&Scenario {
        seed: 10,
        ..s.clone()
    })
    .unwrap();
    assert!(!same_elsewhere(&real, &reseeded, &s.layout, &[]));
}
