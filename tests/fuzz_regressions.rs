//! Inputs the fuzzers found (`scripts/fuzz.sh`), replayed as the fuzz target reads them, so a
//! fix stays fixed. The files are in `tests/fixtures/fuzz/`; each test says what went wrong.

use kmdiag::diagnose::diagnose;
use kmdiag::fuzz_input::diagnosis_input;
use kmdiag::profile::{Profile, builtin_profiles};
use std::sync::LazyLock;

static PROFILES: LazyLock<Vec<Profile>> = LazyLock::new(builtin_profiles);

fn replay(name: &str) -> kmdiag::diagnose::Diagnosis {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(name);
    let data = std::fs::read(path).unwrap();
    let (sweep, layout, p) = diagnosis_input(&data, |name| {
        PROFILES.iter().find(|p| p.name == name).unwrap()
    })
    .expect("the input builds a layout, as it did in the fuzzer");
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

/// A later timeout of the same target, after the search was bounded: a 12×9 matrix reading
/// handset-like both ways nearly everywhere, 20–35 ms natively (the sanitizer's build runs it
/// hundreds of times slower, past its 10 s).
#[test]
fn a_second_matrix_conducting_both_ways_is_diagnosed() {
    replay("diagnose-slow-2.bin");
}
