//! Map files (`apartment,tens,units`): a map or an error, and a map that parses builds a
//! layout or a layout error.
#![no_main]

use kmdiag::profile::{Layout, LayoutSpec, parse_map_file};
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
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let p = profile("metakom");
    let s = p.switch(None).expect("default switch");
    if let Ok(map) = parse_map_file(text, Path::new("m.csv"), &p.line_labels(s)) {
        let spec = LayoutSpec {
            map: Some(map),
            ..Default::default()
        };
        let _ = Layout::build(p, s, &spec);
    }
});
