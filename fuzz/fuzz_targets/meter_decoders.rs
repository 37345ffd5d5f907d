//! Every meter decoder on the same bytes (each streaming chip family, in two chunkings), and
//! the SCPI reply parsers: readings or nothing, never a panic, and a decoder's buffer stays
//! bounded.
#![no_main]

use kmdiag::acquire::meter::es519xx::Variant;
use kmdiag::acquire::meter::scpi::{self, Family};
use kmdiag::acquire::meter::{Chip, Mode, Unit};
use libfuzzer_sys::fuzz_target;

const CHIPS: [Chip; 6] = [
    Chip::Es51922,
    Chip::Es519xx(Variant::Es51978),
    Chip::Es519xx(Variant::Es51986),
    Chip::Fs9721,
    Chip::Fs9922,
    Chip::Ut71x,
];

const FAMILIES: [Family; 5] = [
    Family::Owon,
    Family::Keysight,
    Family::Rigol,
    Family::GwInstek,
    Family::Generic,
];

fuzz_target!(|data: &[u8]| {
    for chip in CHIPS {
        let mut whole = chip.decoder().expect("streaming chip");
        let all = whole.push(data);
        let mut bytewise = chip.decoder().expect("streaming chip");
        let mut one = Vec::new();
        for b in data {
            one.extend(bytewise.push(std::slice::from_ref(b)));
        }
        assert_eq!(all, one, "{chip:?}: chunking changed the readings");
        for r in &all {
            assert!(r.value.is_none_or(f64::is_finite), "{chip:?}: {r:?}");
        }
    }
    let text = String::from_utf8_lossy(data);
    let res = scpi::Function {
        mode: Mode::Resistance,
        unit: Unit::Ohm,
        four_wire: false,
    };
    for family in FAMILIES {
        let _ = scpi::parse_function(&text, family);
        if let Some(r) = scpi::parse_value(&text, family, res) {
            assert!(r.overload || r.value.is_some_and(f64::is_finite), "{r:?}");
        }
    }
    let _ = scpi::parse_idn(&text);
});
