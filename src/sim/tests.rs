//! Physics checks of the simulator that can be worked out by hand.

use super::circuit::Branch;
use super::*;
use crate::model::Fault;
use crate::model::{Cell, Reading, Terminal};
use crate::profile::{Layout, LayoutSpec, parse_apartments, resolve};

fn layout(apartments: Option<&str>) -> Layout {
    let p = resolve("eltis").unwrap();
    let s = p.switch(None).unwrap();
    let spec = LayoutSpec {
        apartments: apartments.map(|a| parse_apartments(a).unwrap()),
        ..Default::default()
    };
    Layout::build(&p, s, &spec).unwrap()
}

fn entrance(apartments: Option<&str>, occupancy: f64, faults: &[&str], seed: u64) -> SimEntrance {
    entrance_with(apartments, occupancy, faults, seed, MeterSpec::default())
}

fn entrance_with(
    apartments: Option<&str>,
    occupancy: f64,
    faults: &[&str],
    seed: u64,
    meter: MeterSpec,
) -> SimEntrance {
    let l = layout(apartments);
    let faults = faults
        .iter()
        .map(|f| parse_fault(f, &l.labels).unwrap())
        .collect();
    let sc = Scenario {
        occupancy,
        faults,
        seed,
        meter,
        ..Scenario::new(l)
    };
    SimEntrance::new(&sc).unwrap()
}

/// Apartment → cell on a decimal 10×10 switch with offset 0.
fn cell(apartment: u32) -> Cell {
    Cell::new(((apartment / 10) % 10) as u16, (apartment % 10) as u16)
}

fn fwd(e: &mut SimEntrance, c: Cell) -> Option<f64> {
    e.raw(Terminal::tens(c.tens), Terminal::units(c.units))
        .map(|r| r.ohms)
}

fn rev(e: &mut SimEntrance, c: Cell) -> Option<f64> {
    e.raw(Terminal::units(c.units), Terminal::tens(c.tens))
        .map(|r| r.ohms)
}

/// Median forward reading of the healthy handsets of an entrance.
fn healthy_median(e: &mut SimEntrance, skip: &[u32]) -> f64 {
    let absent = e.truth().absent.clone();
    let mut v: Vec<f64> = (1..=100)
        .filter(|a| !skip.contains(a) && !absent.contains(a))
        .filter_map(|a| fwd(e, cell(a)))
        .collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Empty crossings (flats without a handset) of an entrance.
fn empty_cells(e: &SimEntrance) -> Vec<Cell> {
    e.truth().absent.iter().map(|a| cell(*a)).collect()
}

#[test]
fn single_healthy_handset_reads_diode_drop_plus_series_drop_over_current() {
    for current in [1e-3, 0.5e-3] {
        let meter = MeterSpec {
            test_current_amps: current,
            ..MeterSpec::default()
        };
        let mut e = entrance_with(Some("47"), 1.0, &[], 11, meter);
        let Some(Branch::Diode { is, nvt, r, leak }) = e.handset(47).map(|h| h.branch) else {
            panic!("flat 47 should have a healthy handset");
        };
        assert_eq!(leak, 0.0);
        let by_hand = (nvt * (1.0 + current / is).ln() + current * r) / current;
        let read = fwd(&mut e, cell(47)).unwrap();
        assert!(
            (read - by_hand).abs() < 1e-4 * by_hand,
            "{read} vs {by_hand}"
        );
        assert_eq!(rev(&mut e, cell(47)), None, "a diode blocks backwards");
    }
}

#[test]
fn healthy_handsets_read_like_the_field_figure_at_one_milliamp() {
    let mut e = entrance(None, 1.0, &[], 5);
    for a in 1..=100 {
        let f = fwd(&mut e, cell(a)).unwrap();
        assert!((580.0..=830.0).contains(&f), "flat {a}: {f}");
        assert_eq!(rev(&mut e, cell(a)), None, "flat {a}");
    }
    // A 0.5 mA meter reads the same handsets near 1.3 kΩ: the diode drop barely changes.
    let meter = MeterSpec {
        test_current_amps: 0.5e-3,
        ..MeterSpec::default()
    };
    let mut slow = entrance_with(None, 1.0, &[], 5, meter);
    let m = healthy_median(&mut slow, &[]);
    assert!((1100.0..1500.0).contains(&m), "{m}");
}

#[test]
fn short_makes_ghosts_about_twice_a_healthy_reading_at_2_8_v() {
    let mut e = entrance(None, 0.8, &["45:short"], 3);
    let typical = healthy_median(&mut e, &[45]);
    let mut ghosts = 0;
    for c in empty_cells(&e) {
        if let Some(f) = fwd(&mut e, c) {
            ghosts += 1;
            let ratio = f / typical;
            assert!((1.6..2.8).contains(&ratio), "{c:?}: {f} vs {typical}");
        }
        assert_eq!(rev(&mut e, c), None, "reverse stays clean on {c:?}");
    }
    assert!(
        ghosts >= 3,
        "expected ghosts on empty crossings, got {ghosts}"
    );
    // The short itself reads its resistance both ways.
    let Some(TruthFinding::Handset { ohms: Some(r), .. }) = e.truth().findings.first().cloned()
    else {
        panic!("truth names the short");
    };
    let (f, b) = (
        fwd(&mut e, cell(45)).unwrap(),
        rev(&mut e, cell(45)).unwrap(),
    );
    assert!((f - r).abs() < 0.01 * r + 0.01 && (b - r).abs() < 0.01 * r + 0.01);
}

#[test]
fn a_1_5_v_meter_cannot_drive_the_ghost_path_and_drops_range() {
    let meter = MeterSpec {
        compliance_volts: 1.5,
        ..MeterSpec::default()
    };
    let mut strong = entrance(None, 0.8, &["45:short"], 3);
    let mut weak = entrance_with(None, 0.8, &["45:short"], 3, meter);
    let mut ghosts = 0;
    for c in empty_cells(&strong) {
        if fwd(&mut strong, c).is_some() {
            ghosts += 1;
            let raw = weak.raw(Terminal::tens(c.tens), Terminal::units(c.units));
            if let Some(r) = raw {
                assert!(r.range >= 1, "{c:?}: {r:?}");
                assert!(r.ohms >= 8e3, "{c:?}: {r:?}");
            }
        }
    }
    assert!(ghosts >= 3);
    // Healthy handsets still read normally on the weak meter.
    assert!(healthy_median(&mut weak, &[45]) < 900.0);
}

#[test]
fn reversed_handset_reads_open_forward_healthy_reverse_and_three_diode_ghosts() {
    let mut e = entrance(None, 0.8, &["45:reversed"], 3);
    let typical = healthy_median(&mut e, &[45]);
    assert_eq!(fwd(&mut e, cell(45)), None);
    let back = rev(&mut e, cell(45)).unwrap();
    assert!(
        (0.85..1.2).contains(&(back / typical)),
        "{back} vs {typical}"
    );
    let mut ghosts = 0;
    for c in empty_cells(&e) {
        if let Some(f) = fwd(&mut e, c) {
            ghosts += 1;
            assert!((2.4..3.8).contains(&(f / typical)), "{c:?}: {f}");
        }
    }
    assert!(ghosts >= 3);
}

#[test]
fn leak_reads_its_resistance_backwards_and_normal_forwards() {
    let mut e = entrance(None, 0.9, &["45:leak"], 8);
    let typical = healthy_median(&mut e, &[45]);
    let Some(TruthFinding::Handset { ohms: Some(r), .. }) = e.truth().findings.first().cloned()
    else {
        panic!("truth names the leak");
    };
    let back = rev(&mut e, cell(45)).unwrap();
    assert!((back - r).abs() < 0.02 * r, "{back} vs {r}");
    let f = fwd(&mut e, cell(45)).unwrap();
    assert!((0.8..1.2).contains(&(f / typical)), "{f} vs {typical}");
}

#[test]
fn high_resistance_reads_far_above_typical_forwards_and_open_backwards() {
    let mut e = entrance(None, 0.9, &["45:high_resistance"], 8);
    let typical = healthy_median(&mut e, &[45]);
    let f = fwd(&mut e, cell(45)).unwrap();
    assert!(f > 5.0 * typical, "{f} vs {typical}");
    assert_eq!(rev(&mut e, cell(45)), None);
}

#[test]
fn open_line_reads_open_on_its_whole_row_and_nowhere_else() {
    let mut e = entrance(None, 1.0, &["D3:open"], 4);
    for u in 0..10 {
        let c = Cell::new(3, u);
        assert_eq!(fwd(&mut e, c), None, "{c:?}");
        assert_eq!(rev(&mut e, c), None, "{c:?}");
        assert!(fwd(&mut e, Cell::new(4, u)).is_some());
    }
    assert_eq!(
        e.truth().findings,
        vec![TruthFinding::Bus {
            bus: "D3".into(),
            other: None,
            fault: Fault::Open,
            ohms: None
        }]
    );
}

#[test]
fn bus_short_reads_low_between_the_two_lines_and_they_read_alike() {
    let mut e = entrance(None, 1.0, &["D4-D3:short"], 4);
    let Some(TruthFinding::Bus {
        bus,
        other,
        ohms: Some(r),
        ..
    }) = e.truth().findings.first().cloned()
    else {
        panic!("truth names the bus short");
    };
    assert_eq!((bus.as_str(), other.as_deref()), ("D3", Some("D4")));
    let dd = e
        .raw(Terminal::tens(3), Terminal::tens(4))
        .map(|x| x.ohms)
        .unwrap();
    assert!((dd - r).abs() < 0.01 * r + 0.01, "{dd} vs {r}");
    assert_eq!(e.raw(Terminal::tens(1), Terminal::tens(2)), None);
    assert_eq!(e.raw(Terminal::units(1), Terminal::units(2)), None);
    for u in 0..10 {
        let (a, b) = (
            fwd(&mut e, Cell::new(3, u)).unwrap(),
            fwd(&mut e, Cell::new(4, u)).unwrap(),
        );
        assert!((a - b).abs() < 0.1 * a, "E{u}: {a} vs {b}");
    }
}

#[test]
fn same_seed_gives_the_same_sweep_and_another_seed_does_not() {
    let a = entrance(None, 0.85, &["45:short", "D7:open"], 21).sweep(true);
    let b = entrance(None, 0.85, &["45:short", "D7:open"], 21).sweep(true);
    let c = entrance(None, 0.85, &["45:short", "D7:open"], 22).sweep(true);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.len(), 200 + 45 + 45);
}

#[test]
fn displayed_readings_are_rounded_to_the_range_resolution() {
    let mut e = entrance(None, 1.0, &[], 2);
    let r = e.measure(Terminal::tens(4), Terminal::units(7));
    let Reading::Ohms(v) = r else {
        panic!("healthy handset reads finite")
    };
    assert!(((v * 10.0).round() - v * 10.0).abs() < 1e-9, "{v}");
    assert_eq!(
        e.measure(Terminal::units(7), Terminal::tens(4)),
        Reading::Open
    );
}

#[test]
fn faulted_flats_have_handsets_and_absent_flats_are_listed() {
    let e = entrance(None, 0.0, &["45:short", "46:absent"], 1);
    assert_eq!(e.truth().handsets, 1);
    assert!(!e.truth().absent.contains(&45));
    assert!(e.truth().absent.contains(&46));
    assert_eq!(e.truth().findings.len(), 1, "absent is not a fault");
}

#[test]
fn a_healthy_flat_has_a_handset_whatever_the_occupancy_and_no_finding() {
    let mut e = entrance(None, 0.0, &["45:healthy"], 1);
    assert_eq!(e.truth().handsets, 1);
    assert!(e.truth().findings.is_empty());
    let (d, u) = (Terminal::tens(4), Terminal::units(5));
    assert!(e.raw(d, u).is_some(), "conducts forward");
    assert!(e.raw(u, d).is_none(), "blocks in reverse");
}

#[test]
fn changing_one_fault_leaves_other_handsets_and_faults_as_they_were() {
    let a = entrance(None, 0.9, &["60:short"], 9);
    let b = entrance(None, 0.9, &["45:reversed", "60:short"], 9);
    for apt in [12, 33, 60, 78] {
        assert_eq!(a.handset(apt), b.handset(apt), "flat {apt}");
    }
}

#[test]
fn bad_fault_specs_are_refused_with_the_syntax() {
    let l = layout(None);
    for bad in [
        "45",
        "45:broken",
        "D3:short",
        "D3-E4:short",
        "D3-D3:short",
        "X9:open",
        "D3-D4:open",
    ] {
        let e = parse_fault(bad, &l.labels).unwrap_err().to_string();
        assert!(e.contains(bad), "{e}");
    }
    assert_eq!(
        parse_fault("e7:OPEN", &l.labels),
        Ok(FaultSpec::BusOpen {
            line: Terminal::units(7)
        })
    );
    let sc = Scenario {
        faults: vec![parse_fault("45:short", &l.labels).unwrap()],
        ..Scenario::new(layout(Some("1-20")))
    };
    assert!(matches!(
        SimEntrance::new(&sc),
        Err(SimError::NotOnMatrix { apartment: 45 })
    ));
}

#[test]
fn meters_no_one_makes_are_refused() {
    let bad = [
        MeterSpec {
            test_current_amps: f64::NAN,
            ..MeterSpec::default()
        },
        MeterSpec {
            test_current_amps: 5.0,
            ..MeterSpec::default()
        },
        MeterSpec {
            compliance_volts: 0.1,
            ..MeterSpec::default()
        },
        MeterSpec {
            headroom_volts: 3.0,
            ..MeterSpec::default()
        },
        MeterSpec {
            noise: -0.1,
            ..MeterSpec::default()
        },
    ];
    for meter in bad {
        let sc = Scenario {
            meter,
            ..Scenario::new(layout(None))
        };
        assert!(
            matches!(SimEntrance::new(&sc), Err(SimError::Meter { .. })),
            "{meter:?}"
        );
    }
    let sc = Scenario {
        occupancy: 1.5,
        ..Scenario::new(layout(None))
    };
    assert!(matches!(
        SimEntrance::new(&sc),
        Err(SimError::Occupancy { .. })
    ));
}
