//! Physics checks of the simulator that can be worked out by hand.

use super::circuit::Branch;
use super::meter::MeterFamily;
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
fn a_cut_line_moves_its_flats_to_another_node_but_fits_the_same_handsets() {
    // Lab physics has no wiring: a whole line's flats sit on its terminal, a cut line's on a
    // node of their own. The handsets are the same elements between the same lines.
    let whole = entrance(None, 1.0, &[], 4);
    let cut = entrance(None, 1.0, &["D3:open"], 4);
    let on_cut_line = |e: &SimEntrance| e.handset(34).unwrap();
    assert_ne!(on_cut_line(&whole), on_cut_line(&cut));
    assert_eq!(on_cut_line(&whole).branch, on_cut_line(&cut).branch);
    for apt in [34, 30, 45] {
        assert_eq!(whole.fitted(apt), cut.fitted(apt), "flat {apt}");
        assert!(whole.fitted(apt).unwrap().tens_to_units, "flat {apt}");
    }
    // Fitted the wrong way round is another `Fitted`, on a cut line as on a whole one.
    let reversed = entrance(None, 1.0, &["D3:open", "34:reversed"], 4);
    let fitted = reversed.fitted(34).unwrap();
    assert!(!fitted.tens_to_units);
    assert_eq!(fitted.branch, on_cut_line(&cut).branch);
    assert_eq!(entrance(None, 0.0, &[], 4).fitted(34), None);
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

// ---- Field physics (issue 12) ----------------------------------------------------------------

fn entrance_physics(
    apartments: Option<&str>,
    occupancy: f64,
    faults: &[&str],
    seed: u64,
    meter: MeterSpec,
    physics: Physics,
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
        physics,
        ..Scenario::new(l)
    };
    SimEntrance::new(&sc).unwrap()
}

fn wiring_only() -> Physics {
    Physics {
        wiring: true,
        ..Physics::lab()
    }
}

/// The wire of a line, from the truth.
fn wire(e: &SimEntrance, line: &str) -> f64 {
    e.truth()
        .wiring
        .iter()
        .find(|w| w.line == line)
        .map(|w| w.ohms)
        .unwrap_or_else(|| panic!("no wire for {line}"))
}

/// What a diode branch drops at `amps`, V.
fn diode_volts(b: Branch, amps: f64) -> f64 {
    let Branch::Diode { is, nvt, r, leak } = b else {
        panic!("not a diode: {b:?}")
    };
    assert_eq!(leak, 0.0);
    nvt * (1.0 + amps / is).ln() + amps * r
}

#[test]
fn every_line_gets_one_to_twelve_ohms_of_wire_and_lab_none() {
    let e = entrance_physics(None, 0.9, &[], 3, MeterSpec::default(), wiring_only());
    assert_eq!(e.truth().wiring.len(), 20);
    assert!(
        e.truth()
            .wiring
            .iter()
            .all(|w| (1.0..12.0).contains(&w.ohms))
    );
    let lab = entrance(None, 0.9, &[], 3);
    assert!(lab.truth().wiring.is_empty());
}

#[test]
fn a_handset_reads_its_own_drop_plus_the_wire_of_both_its_lines() {
    let mut lab = entrance(None, 1.0, &[], 5);
    let mut wired = entrance_physics(None, 1.0, &[], 5, MeterSpec::default(), wiring_only());
    for a in [1, 47, 99] {
        let c = cell(a);
        let extra = wire(&wired, &format!("D{}", c.tens)) + wire(&wired, &format!("E{}", c.units));
        let (with, without) = (fwd(&mut wired, c).unwrap(), fwd(&mut lab, c).unwrap());
        assert!(
            (with - without - extra).abs() < 1e-3,
            "flat {a}: {with} vs {without} + {extra}"
        );
        assert_eq!(rev(&mut wired, c), None, "flat {a} still blocks backwards");
    }
}

#[test]
fn a_ghost_through_one_short_with_wiring_reads_its_path_solved_whole_crossing_each_wire_once() {
    // Flats 1 (D0/E1) and 12 (D1/E2) healthy, 11 (D1/E1) shorted, nothing else: the empty
    // crossing D0/E2 (flat 2) reads D0 wire → handset 1 → short 11 → handset 12 → E2 wire.
    let meter = MeterSpec::default();
    let mut e = entrance_physics(
        Some("1-12"),
        0.0,
        &["1:healthy", "12:healthy", "11:short"],
        7,
        meter,
        wiring_only(),
    );
    let i = meter.test_current_amps;
    let short = match e.handset(11).unwrap().branch {
        Branch::Resistor { g } => 1.0 / g,
        other => panic!("short is a resistor, not {other:?}"),
    };
    let (d0, d1, e1, e2) = (
        wire(&e, "D0"),
        wire(&e, "D1"),
        wire(&e, "E1"),
        wire(&e, "E2"),
    );
    let by_hand = (diode_volts(e.handset(1).unwrap().branch, i)
        + diode_volts(e.handset(12).unwrap().branch, i))
        / i
        + short
        + d0
        + e2;
    let ghost = fwd(&mut e, cell(2)).expect("the empty crossing reads a ghost");
    assert!(
        (ghost - by_hand).abs() < 1e-6 * by_hand,
        "{ghost} vs {by_hand}"
    );
    // The readings along the path each include both their lines' wires: their sum counts the
    // inner lines' wire (E1, D1) twice, which the ghost crosses not at all.
    let sum = fwd(&mut e, cell(1)).unwrap()
        + rev(&mut e, cell(11)).unwrap()
        + fwd(&mut e, cell(12)).unwrap();
    assert!(
        (sum - ghost - 2.0 * (e1 + d1)).abs() < 1e-3,
        "{sum} vs {ghost} + 2 × ({e1} + {d1})"
    );
}

#[test]
fn an_open_line_with_wiring_is_its_wire_cut() {
    let mut e = entrance_physics(
        None,
        1.0,
        &["D3:open"],
        4,
        MeterSpec::default(),
        wiring_only(),
    );
    for u in 0..10 {
        assert_eq!(fwd(&mut e, Cell::new(3, u)), None);
        assert_eq!(rev(&mut e, Cell::new(3, u)), None);
        assert!(fwd(&mut e, Cell::new(4, u)).is_some());
    }
    // The cut line still has its wire in the truth: it is its riser that is cut off.
    assert!(e.truth().wiring.iter().any(|w| w.line == "D3"));
}

#[test]
fn a_bus_short_with_wiring_reads_through_both_lines_wires() {
    let mut e = entrance_physics(
        None,
        1.0,
        &["D3-D4:short"],
        4,
        MeterSpec::default(),
        wiring_only(),
    );
    let Some(TruthFinding::Bus { ohms: Some(r), .. }) = e.truth().findings.first().cloned() else {
        panic!("truth names the bus short");
    };
    let dd = e.raw(Terminal::tens(3), Terminal::tens(4)).unwrap().ohms;
    let expect = r + wire(&e, "D3") + wire(&e, "D4");
    assert!(
        (dd - expect).abs() < 1e-3 * expect + 1e-3,
        "{dd} vs {expect}"
    );
}

fn ranged(counts: u32) -> MeterSpec {
    MeterSpec {
        family: MeterFamily::Ranged,
        counts,
        ..MeterSpec::default()
    }
}

#[test]
fn a_ranged_meter_shows_its_counts_in_the_kilohm_decade_and_each_range_is_ten_times_coarser() {
    for (counts, full_scale, step) in [
        (2000, 2000.0, 1.0),
        (4000, 4000.0, 1.0),
        (6000, 6000.0, 1.0),
        (22000, 2200.0, 0.1),
    ] {
        let m = ranged(counts);
        assert!((m.full_scale(0) - full_scale).abs() < 1e-9, "{counts}");
        assert!((m.resolution(0) - step).abs() < 1e-12, "{counts}");
        assert!(
            (m.full_scale(1) - 10.0 * full_scale).abs() < 1e-6,
            "{counts}"
        );
        assert!((m.resolution(1) - 10.0 * step).abs() < 1e-9, "{counts}");
        assert!((m.current(1) - m.current(0) / 10.0).abs() < 1e-15);
        assert!((m.limit_volts() - 1e-3 * full_scale).abs() < 1e-9);
    }
}

#[test]
fn a_ranged_meter_reads_past_its_first_full_scale_at_a_tenth_of_the_current() {
    // A diode with 2.5 kΩ in series needs 3.1 V at 1 mA: past a 2000-count meter's 2.000 kΩ.
    let mut e = entrance_physics(
        Some("47"),
        1.0,
        &["47:high_resistance"],
        3,
        ranged(2000),
        Physics::lab(),
    );
    let branch = e.handset(47).unwrap().branch;
    let Branch::Diode { r, .. } = branch else {
        panic!("a bad contact is a diode with a large series resistance")
    };
    let raw = e
        .raw(Terminal::tens(4), Terminal::units(7))
        .expect("reads on a higher range");
    let range = raw.range;
    assert!(range >= 1, "{raw:?} (series {r} Ω)");
    let amps = ranged(2000).current(range);
    assert!((amps - 1e-3 / 10f64.powi(range as i32)).abs() < 1e-15);
    let by_hand = diode_volts(branch, amps) / amps;
    assert!(
        (raw.ohms - by_hand).abs() < 1e-6 * by_hand,
        "{raw:?} vs {by_hand}"
    );
    // The diode's drop over a tenth of the current is ten times the ohms it shows at 1 mA.
    assert!(raw.ohms > diode_volts(branch, 1e-3) / 1e-3);
    // Shown at that range's resolution: 10 Ω steps on the 20 kΩ range.
    let shown = e.measure(Terminal::tens(4), Terminal::units(7));
    let Reading::Ohms(v) = shown else {
        panic!("finite")
    };
    let step = ranged(2000).resolution(range);
    assert!(
        ((v / step).round() * step - v).abs() < 1e-9,
        "{v} in steps of {step}"
    );
    assert!(step >= 10.0);
}

#[test]
fn a_ranged_meter_reads_healthy_handsets_on_its_first_range_and_three_diode_ghosts_higher() {
    // A reversed handset's ghosts need three diodes (about 2 V at 1 mA): past 2.000 kΩ
    // on a 2000-count meter, not past 6.000 kΩ on a 6000-count one.
    let mut small = entrance_physics(None, 0.8, &["45:reversed"], 3, ranged(2000), Physics::lab());
    let mut large = entrance_physics(None, 0.8, &["45:reversed"], 3, ranged(6000), Physics::lab());
    let mut dropped = 0;
    for c in empty_cells(&small) {
        let (Some(s), Some(l)) = (
            small.raw(Terminal::tens(c.tens), Terminal::units(c.units)),
            large.raw(Terminal::tens(c.tens), Terminal::units(c.units)),
        ) else {
            continue;
        };
        assert_eq!(l.range, 0, "{c:?}: {l:?}");
        if s.range >= 1 {
            dropped += 1;
            assert!(s.ohms > 2.0 * l.ohms, "{c:?}: {s:?} vs {l:?}");
        }
    }
    assert!(dropped >= 3, "{dropped} ghosts dropped range");
    for a in [12, 33, 78] {
        if small.truth().absent.contains(&a) {
            continue;
        }
        let raw = small
            .raw(Terminal::tens(cell(a).tens), Terminal::units(cell(a).units))
            .unwrap();
        assert_eq!(raw.range, 0, "flat {a}");
    }
}

#[test]
fn a_ranged_display_that_overflows_its_range_reads_on_the_next() {
    let m = MeterSpec {
        noise: 0.0,
        ..ranged(2000)
    };
    let mut rng = SimRng::new(1);
    let at_full_scale = RawReading {
        ohms: m.full_scale(0),
        range: 0,
    };
    // Up to 1 Ω of contact on top of a full-scale reading: shown as 2000 Ω when it rounds
    // away, else the 2.000 kΩ range cannot show it and the meter reads on the next range.
    let (mut overflowed, mut shown) = (0, 0);
    for _ in 0..100 {
        match m.display(Some(at_full_scale), 1.0, &mut rng) {
            Err(next) => {
                assert_eq!(next, 1);
                overflowed += 1;
            }
            Ok(r) => {
                assert_eq!(r, Reading::Ohms(2000.0));
                shown += 1;
            }
        }
    }
    assert!(overflowed > 20 && shown > 20, "{overflowed} / {shown}");
    // A constant-current meter has no count limit: it shows what it measured.
    let cc = MeterSpec::default();
    let raw = RawReading {
        ohms: 2500.0,
        range: 0,
    };
    assert!(cc.display(Some(raw), 1.0, &mut rng).is_ok());
}

#[test]
fn mixed_handsets_put_a_dearer_second_model_in_a_tenth_to_two_fifths_of_the_flats() {
    let on = Physics {
        mixed_handsets: MixedHandsets::On,
        ..Physics::lab()
    };
    let mut seen = 0;
    for seed in 1..=6 {
        let mut e = entrance_physics(None, 1.0, &[], seed, MeterSpec::default(), on);
        let second = e.truth().second_model.expect("this entrance is mixed");
        let flats = e.truth().second_model_flats.clone();
        let share = flats.len() as f64 / 100.0;
        assert!(
            (0.02..0.55).contains(&share),
            "seed {seed}: {share} vs {second:?}"
        );
        assert!((100.0..350.0).contains(&second.extra_ohms));
        let median = |e: &mut SimEntrance, of: &dyn Fn(u32) -> bool| {
            let mut v: Vec<f64> = (1..=100)
                .filter(|a| of(*a))
                .filter_map(|a| fwd(e, cell(a)))
                .collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (m2, m1) = (
            median(&mut e, &|a| flats.contains(&a)),
            median(&mut e, &|a| !flats.contains(&a)),
        );
        // The extra series resistance, give or take the two diodes' difference.
        assert!(
            m2 - m1 > 0.5 * second.extra_ohms,
            "seed {seed}: {m2} vs {m1}"
        );
        seen += flats.len();
        for a in &flats {
            let r = rev(&mut e, cell(*a));
            assert_eq!(r, None, "second-model flat {a} blocks backwards");
        }
    }
    assert!(seen > 0);
    let off = entrance_physics(None, 1.0, &[], 1, MeterSpec::default(), Physics::lab());
    assert!(off.truth().second_model.is_none() && off.truth().second_model_flats.is_empty());
}

#[test]
fn field_noise_is_drawn_for_the_meter_and_contact_adds_up_to_its_ohms() {
    let field_noise = Physics {
        field_noise: true,
        ..Physics::lab()
    };
    let mut noises = Vec::new();
    for seed in 0..40 {
        let e = entrance_physics(
            Some("1-10"),
            1.0,
            &[],
            seed,
            MeterSpec::default(),
            field_noise,
        );
        noises.push(e.truth().meter.noise);
    }
    assert!(
        noises.iter().all(|n| (0.0005..0.012).contains(n)),
        "{noises:?}"
    );
    assert!(noises.iter().any(|n| *n > 0.004) && noises.iter().any(|n| *n < 0.0015));

    // A 0.5-200 Ω short read many times with 1 Ω of contact: never below it, at most 1 Ω
    // (and the noise) above.
    let contact = Physics {
        contact_ohms: 1.0,
        ..Physics::lab()
    };
    let quiet = MeterSpec {
        noise: 0.0,
        ..MeterSpec::default()
    };
    let mut e = entrance_physics(Some("45"), 1.0, &["45:short"], 2, quiet, contact);
    let (d, u) = (Terminal::tens(4), Terminal::units(5));
    let r = e.raw(d, u).unwrap().ohms;
    let shown: Vec<f64> = (0..200).map(|_| e.measure(d, u).ohms().unwrap()).collect();
    let step = quiet.resolution(0);
    assert!(
        shown.iter().all(|v| *v >= r - step && *v <= r + 1.0 + step),
        "{r}: {shown:?}"
    );
    let spread = shown.iter().cloned().fold(f64::MIN, f64::max)
        - shown.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread > 0.7, "contact varies between readings: {spread}");
}

#[test]
fn a_healthy_field_entrance_reads_every_handset_forward_and_nothing_backwards() {
    for (seed, meter) in [
        (1, MeterSpec::default()),
        (2, ranged(2000)),
        (3, ranged(22000)),
    ] {
        let mut e = entrance_physics(
            None,
            0.9,
            &[],
            seed,
            meter,
            Physics {
                mixed_handsets: MixedHandsets::On,
                ..Physics::field()
            },
        );
        let absent = e.truth().absent.clone();
        for a in 1..=100 {
            let c = cell(a);
            let (f, r) = (fwd(&mut e, c), rev(&mut e, c));
            assert_eq!(r, None, "seed {seed} flat {a}");
            assert_eq!(f.is_some(), !absent.contains(&a), "seed {seed} flat {a}");
            if let Some(f) = f {
                assert!((550.0..1400.0).contains(&f), "seed {seed} flat {a}: {f}");
            }
        }
    }
}

#[test]
fn field_physics_keeps_every_handset_and_fault_of_the_lab_entrance() {
    let lab = entrance(None, 0.85, &["45:short", "D7:open"], 21);
    let field = entrance_physics(
        None,
        0.85,
        &["45:short", "D7:open"],
        21,
        MeterSpec::default(),
        Physics {
            mixed_handsets: MixedHandsets::Off,
            ..Physics::field()
        },
    );
    assert_eq!(lab.truth().absent, field.truth().absent);
    assert_eq!(lab.truth().findings, field.truth().findings);
    for a in [12, 33, 45, 78] {
        assert_eq!(
            lab.handset(a).map(|h| h.branch),
            field.handset(a).map(|h| h.branch),
            "flat {a}"
        );
    }
}

#[test]
fn a_fault_drawn_as_at_another_crossing_has_that_crossings_values() {
    // A bad contact at 23, and the same bad contact moved to 27: its resistance and diode are
    // 23's, every other handset is as it was.
    let l = layout(None);
    let at = |apartment: u32, values_as_at: Vec<(u32, u32)>| {
        let sc = Scenario {
            occupancy: 1.0,
            faults: vec![FaultSpec::Handset {
                apartment,
                fault: HandsetFault::HighResistance,
            }],
            seed: 5,
            values_as_at,
            ..Scenario::new(l.clone())
        };
        SimEntrance::new(&sc).unwrap()
    };
    let (here, moved, own) = (at(23, vec![]), at(27, vec![(27, 23)]), at(27, vec![]));
    let branch = |e: &SimEntrance, a: u32| e.handset(a).map(|el| el.branch);
    assert_eq!(branch(&here, 23), branch(&moved, 27));
    assert_ne!(branch(&own, 27), branch(&moved, 27));
    assert_eq!(branch(&here, 45), branch(&moved, 45));
}
