//! Sweep file bytes as kmdiag reads them: decoded (UTF-8, UTF-16, windows-1251), the `#`
//! header parsed, and the rows parsed against a decimal and a units-from-one 10 × 10 matrix
//! — a sweep or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

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
    let path = Path::new("f.csv");
    let Ok((text, _)) = kmdiag::sweep::decode(data, path) else {
        return;
    };
    let _ = kmdiag::sweep::parse_header(&text, path);
    for name in ["eltis", "metakom"] {
        let p = profile(name);
        let s = p.switch(None).expect("default switch");
        let labels = p.line_labels(s);
        if let Ok((sweep, warnings)) = kmdiag::sweep::parse_sweep(&text, path, &labels) {
            assert!(!sweep.is_empty());
            assert!(warnings.len() <= 1, "repeated rows make one warning");
        }
    }
});
