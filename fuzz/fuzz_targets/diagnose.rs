//! The diagnosis on arbitrary sweeps: any readings on any small matrix diagnose to findings
//! with confidences in 0-1 on crossings of the matrix, never a panic.
#![no_main]

use kmdiag::diagnose::diagnose;
use kmdiag::model::{Measurement, Reading, Sweep, Terminal};
use kmdiag::profile::{Layout, LayoutSpec, Switch};
use libfuzzer_sys::fuzz_target;

/// A reading from one byte: 0 is OL, else from a few ohms to tens of megohms, with the
/// ranges a matrix shows (shorts, handsets, ghosts, leaks) well covered.
fn reading(b: u8) -> Reading {
    match b {
        0 => Reading::Open,
        b => Reading::Ohms(10f64.powf(f64::from(b) / 32.0) - 1.0),
    }
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
    let [shape, occupancy, rest @ ..] = data else {
        return;
    };
    let tens = u16::from(shape % 12) + 1;
    let units = u16::from((shape / 12) % 10) + 1;
    let p = profile(if occupancy & 1 == 0 {
        "eltis"
    } else {
        "metakom"
    });
    let switch = Switch::uniform("fuzz", tens, units, 1);
    let spec = LayoutSpec {
        offset: i64::from(occupancy >> 4),
        ..Default::default()
    };
    let Ok(layout) = Layout::build(p, &switch, &spec) else {
        return;
    };
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
    // Leftover bytes: bus checks between two lines of one block.
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
    let d = diagnose(&sweep, &layout, &p.nominal_forward_ohms.into());
    for f in &d.findings {
        assert!((0.0..=1.0).contains(&f.confidence), "{f:?}");
    }
});
