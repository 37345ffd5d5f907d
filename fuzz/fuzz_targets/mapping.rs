//! Apartment and offset arithmetic: any switch geometry, offset, apartment and range maps or
//! fails cleanly, a placed apartment maps back to itself, and a layout from ranges is built
//! or refused without iterating beyond the switch.
#![no_main]

use kmdiag::profile::{Layout, LayoutSpec, Numbering, Switch, apartment_at, place};
use libfuzzer_sys::fuzz_target;

fn take<const N: usize>(data: &mut &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let n = N.min(data.len());
    out[..n].copy_from_slice(&data[..n]);
    *data = &data[n..];
    out
}

/// Built-in profiles parsed once: parsing TOML on every input would cost most of the run.
fn profile(name: &str) -> &'static kmdiag::profile::Profile {
    static PROFILES: std::sync::OnceLock<Vec<kmdiag::profile::Profile>> =
        std::sync::OnceLock::new();
    PROFILES
        .get_or_init(kmdiag::profile::builtin_profiles)
        .iter()
        .find(|p| p.name == name)
        .expect("built-in profile")
}

fuzz_target!(|data: &[u8]| {
    let mut data = data;
    let [tens, units, matrices, rule] = take::<4>(&mut data);
    let offset = i64::from_le_bytes(take::<8>(&mut data));
    let apartment = u32::from_le_bytes(take::<4>(&mut data));
    let first = u32::from_le_bytes(take::<4>(&mut data));
    let span = u16::from_le_bytes(take::<2>(&mut data));
    let [shape] = take::<1>(&mut data);
    let tens = u16::from(tens % 100) + 1;
    let matrices = u16::from(matrices % 100) + 1;
    // Blocks of tens that differ per matrix (COM-220U: 22, 22, 16), each 1..=tens, the
    // largest being `tens`; and tens printed from D1 (COM-25U) on odd shapes.
    let blocks = if shape & 2 != 0 && matrices > 1 {
        let mut b: Vec<u16> = (0..matrices)
            .map(|m| 1 + (u16::from(shape) * (m + 1)) % tens)
            .collect();
        b[0] = tens;
        b
    } else {
        Vec::new()
    };
    let switch = Switch {
        model: "fuzz".into(),
        tens,
        units: u16::from(units % 100) + 1,
        matrices,
        first_tens: u16::from(shape & 1),
        blocks,
    };
    let numbering = if rule & 1 == 0 {
        Numbering::Decimal
    } else {
        Numbering::UnitsFromOne
    };
    if let Ok(p) = place(numbering, &switch, offset, apartment) {
        assert!(p.cell.tens < switch.tens_in(p.matrix) && p.cell.units < switch.units);
        assert!(p.matrix >= 1 && p.matrix <= switch.matrices);
        assert_eq!(
            apartment_at(numbering, &switch, offset, p.matrix, p.cell),
            Ok(apartment)
        );
    }
    let profile = profile(if rule & 1 == 0 { "eltis" } else { "metakom" });
    let first = first.max(1);
    let last = first.saturating_add(u32::from(span));
    let spec = LayoutSpec {
        offset,
        apartments: Some(vec![first..=last]),
        matrix: (rule & 2 != 0).then_some(u16::from(rule >> 2)),
        ..Default::default()
    };
    if let Ok(layout) = Layout::build(profile, &switch, &spec) {
        assert!(layout.cells().any(|c| layout.apartment(c).is_some()));
    }
});
