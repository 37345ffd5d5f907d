//! Which apartments the sweep did not measure in both directions. A crossing read one way
//! only cannot show a reversed or leaking handset (reverse) or a bad contact (forward), so an
//! entrance with such apartments cannot be called healthy (issue 12, "no silent healthy").
//!
//! Pure: no I/O.

use crate::model::Sweep;
use crate::profile::Layout;

/// Apartments of the layout whose crossing lacks its forward or its reverse reading,
/// ascending. Crossings no apartment maps to, and the D–D / E–E bus checks, are not needed
/// to judge an entrance.
pub fn not_measured(sweep: &Sweep, layout: &Layout) -> Vec<u32> {
    let mut out: Vec<u32> = layout
        .cells()
        .filter_map(|cell| {
            let apartment = layout.apartment(cell)?;
            let both = sweep.forward(cell).is_some() && sweep.reverse(cell).is_some();
            (!both).then_some(apartment)
        })
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Measurement, Reading, Terminal};
    use crate::profile::{LayoutSpec, parse_apartments, resolve};

    fn layout(apartments: &str) -> Layout {
        let p = resolve("eltis").unwrap();
        let spec = LayoutSpec {
            apartments: Some(parse_apartments(apartments).unwrap()),
            ..Default::default()
        };
        Layout::build(&p, p.switch(None).unwrap(), &spec).unwrap()
    }

    fn put(s: &mut Sweep, plus: Terminal, minus: Terminal, r: Reading) {
        s.record(Measurement {
            plus,
            minus,
            reading: r,
        })
        .unwrap();
    }

    #[test]
    fn apartments_read_one_way_or_not_at_all_are_listed_and_unused_crossings_are_not() {
        let l = layout("11-13");
        let mut s = Sweep::new(10, 10);
        // 11 (D1/E1) both ways; 12 (D1/E2) forward only; 13 (D1/E3) not at all; D0/E0 (no
        // apartment) one way only.
        put(
            &mut s,
            Terminal::tens(1),
            Terminal::units(1),
            Reading::Ohms(700.0),
        );
        put(&mut s, Terminal::units(1), Terminal::tens(1), Reading::Open);
        put(
            &mut s,
            Terminal::tens(1),
            Terminal::units(2),
            Reading::Ohms(700.0),
        );
        put(&mut s, Terminal::tens(0), Terminal::units(0), Reading::Open);
        assert_eq!(not_measured(&s, &l), vec![12, 13]);
        put(&mut s, Terminal::units(2), Terminal::tens(1), Reading::Open);
        put(&mut s, Terminal::tens(1), Terminal::units(3), Reading::Open);
        put(&mut s, Terminal::units(3), Terminal::tens(1), Reading::Open);
        assert!(not_measured(&s, &l).is_empty());
    }
}
