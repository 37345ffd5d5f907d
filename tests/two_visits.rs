//! The technician's two visits, in process: a shorted handset hides a bad contact behind its
//! ghost readings, so the first sweep names the short and lists the hidden flat for a second
//! look; once the short is repaired, the second sweep names the bad contact.

use kmdiag::diagnose::{Diagnosis, Fault, diagnose};
use kmdiag::profile::{Layout, LayoutSpec, parse_apartments, resolve};
use kmdiag::sim::{MeterSpec, Scenario, SimEntrance, parse_fault};

/// A Cyfral KMG-100 entrance, flats 265–327 (offset 247), read by a 0.86 mA / 2.5 V meter:
/// apartment 323's bad contact sits on a crossing whose ghost path, through apartment 284's
/// short, reads lower than the bad contact does.
fn entrance(faults: &[&str]) -> Diagnosis {
    let profile = resolve("cyfral").unwrap();
    let switch = profile.switch(Some("KMG-100")).unwrap().clone();
    let spec = LayoutSpec {
        offset: 247,
        apartments: Some(parse_apartments("265-327").unwrap()),
        ..Default::default()
    };
    let layout = Layout::build(&profile, &switch, &spec).unwrap();
    let scenario = Scenario {
        occupancy: 0.86,
        faults: faults
            .iter()
            .map(|f| parse_fault(f, &layout.labels).unwrap())
            .collect(),
        meter: MeterSpec {
            test_current_amps: 857e-6,
            compliance_volts: 2.5,
            ..MeterSpec::default()
        },
        seed: 636260590249404325,
        ..Scenario::new(layout.clone())
    };
    let sweep = SimEntrance::new(&scenario).unwrap().sweep(true);
    diagnose(&sweep, &layout, &profile.nominal_forward_ohms.into())
}

#[test]
fn a_bad_contact_behind_a_shorts_ghosts_shows_once_the_short_is_repaired() {
    let first = entrance(&["284:short", "323:high_resistance"]);
    assert_eq!(first.handset_faults(), vec![(284, Fault::Short)]);
    assert!(
        first.remeasure.contains(&323),
        "the hidden flat is listed for a second look: {:?}",
        first.remeasure
    );
    let note = first
        .notes
        .iter()
        .map(|n| n.en())
        .find(|n| n.contains("re-measure"))
        .expect("a note names the flats to re-measure");
    assert!(note.contains("323"), "{note}");

    // The technician replaces 284's handset and sweeps again.
    let second = entrance(&["284:healthy", "323:high_resistance"]);
    assert_eq!(second.handset_faults(), vec![(323, Fault::HighResistance)]);
    assert!(!second.remeasure.contains(&323));
}
