//! Inputs the fuzzers found (`scripts/fuzz.sh`), replayed as the fuzz target reads them, so a
//! fix stays fixed. The files are in `tests/fixtures/fuzz/`; each test says what went wrong.

use kmdiag::diagnose::diagnose;
use kmdiag::model::{Measurement, Reading, Sweep, Terminal};
use kmdiag::profile::{Layout, LayoutSpec, Switch, resolve};

/// A reading from one byte, as `fuzz/fuzz_targets/diagnose.rs` makes it: 0 is OL, else from
/// a few ohms to tens of megohms.
fn reading(b: u8) -> Reading {
    match b {
        0 => Reading::Open,
        b => Reading::Ohms(10f64.powf(f64::from(b) / 32.0) - 1.0),
    }
}

/// The sweep and layout the diagnose fuzz target builds from `data` (same decoding).
fn decoded(data: &[u8]) -> (Sweep, Layout, kmdiag::profile::Profile) {
    let [shape, occupancy, rest @ ..] = data else {
        panic!("a fuzz input has at least two bytes")
    };
    let tens = u16::from(shape % 12) + 1;
    let units = u16::from((shape / 12) % 10) + 1;
    let p = resolve(if occupancy & 1 == 0 {
        "eltis"
    } else {
        "metakom"
    })
    .unwrap();
    let switch = Switch::uniform("fuzz", tens, units, 1);
    let spec = LayoutSpec {
        offset: i64::from(occupancy >> 4),
        ..Default::default()
    };
    let layout = Layout::build(&p, &switch, &spec).unwrap();
    let mut sweep = Sweep::new(tens, units);
    let mut bytes = rest.iter().copied();
    for t in 0..tens {
        for u in 0..units {
            let (d, e) = (Terminal::tens(t), Terminal::units(u));
            for (plus, minus) in [(d, e), (e, d)] {
                if let Some(b) = bytes.next()
                    && b != 255
                {
                    let _ = sweep.record(Measurement {
                        plus,
                        minus,
                        reading: reading(b),
                    });
                }
            }
        }
    }
    while let (Some(a), Some(b), Some(r)) = (bytes.next(), bytes.next(), bytes.next()) {
        let line = |x: u8| {
            if x & 1 == 0 {
                Terminal::tens(u16::from(x >> 1) % tens)
            } else {
                Terminal::units(u16::from(x >> 1) % units)
            }
        };
        let _ = sweep.record(Measurement {
            plus: line(a),
            minus: line(b),
            reading: reading(r),
        });
    }
    (sweep, layout, p)
}

fn replay(name: &str) -> kmdiag::diagnose::Diagnosis {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(name);
    let (sweep, layout, p) = decoded(&std::fs::read(path).unwrap());
    let d = diagnose(&sweep, &layout, &p.nominal_forward_ohms.into());
    for f in &d.findings {
        assert!((0.0..=1.0).contains(&f.confidence), "{name}: {f:?}");
    }
    d
}

/// A 10×8 matrix whose every crossing conducts both ways at handset-like readings: the
/// sneak-path search tried every way through dozens of backward-conducting crossings (the
/// cube of their number per reading), 60–110 ms here and past the fuzzer's 10 s under its
/// sanitizer; on a 10×26 matrix, 3 s. It now tries the cheapest ways on from each line
/// (`network::MAX_BRANCH`) and finishes; the time is the engine bench's to measure.
#[test]
fn a_matrix_conducting_both_ways_everywhere_is_diagnosed() {
    replay("diagnose-slow-all-conduct.bin");
}

/// The fuzzer's slowest input of the same run (a mix of the same kind).
#[test]
fn the_fuzzers_slowest_diagnosis_input_is_diagnosed() {
    replay("diagnose-slow-unit.bin");
}
