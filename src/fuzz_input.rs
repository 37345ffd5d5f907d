//! How the diagnosis fuzz target turns bytes into a sweep, shared with the tests that replay
//! what it found (`tests/fuzz_regressions.rs`), so a replay is exactly the input that failed.
//! Not for users: the fuzz targets live in `fuzz/` (cargo-fuzz, `scripts/fuzz.sh`).

use crate::model::{Measurement, Reading, Sweep, Terminal};
use crate::profile::{Layout, LayoutSpec, Profile, Switch};

/// A reading from one byte: 0 is OL, else from a few ohms to tens of megohms, with the
/// ranges a matrix shows (shorts, handsets, ghosts, leaks) well covered.
pub fn reading(b: u8) -> Reading {
    match b {
        0 => Reading::Open,
        b => Reading::Ohms(10f64.powf(f64::from(b) / 32.0) - 1.0),
    }
}

/// The sweep and layout of `data` on a small matrix: the first byte gives its shape (1–12
/// tens, 1–10 units), the second the profile (even: Eltis, odd: Metakom) and the offset,
/// then one byte a reading, forward and reverse crossing by crossing (255: not measured),
/// then three bytes a line-to-line check. `profile` finds a built-in profile by name. None
/// when the layout cannot be built (an offset that leaves no flat on the matrix).
pub fn diagnosis_input<'p>(
    data: &[u8],
    profile: impl Fn(&str) -> &'p Profile,
) -> Option<(Sweep, Layout, &'p Profile)> {
    let [shape, occupancy, rest @ ..] = data else {
        return None;
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
    let layout = Layout::build(p, &switch, &spec).ok()?;
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
    Some((sweep, layout, p))
}
