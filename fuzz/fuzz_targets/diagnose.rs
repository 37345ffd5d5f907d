//! The diagnosis on arbitrary sweeps: any readings on any small matrix diagnose to findings
//! with confidences in 0-1 on crossings of the matrix, never a panic.
#![no_main]

use kmdiag::diagnose::diagnose;
use kmdiag::fuzz_input::diagnosis_input;
use libfuzzer_sys::fuzz_target;

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
    let Some((sweep, layout, p)) = diagnosis_input(data, profile) else {
        return;
    };
    let d = diagnose(&sweep, &layout, &p.nominal_forward_ohms.into());
    for f in &d.findings {
        assert!((0.0..=1.0).contains(&f.confidence), "{f:?}");
    }
});
