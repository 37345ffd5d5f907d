//! Sweep CSV bytes, parsed against a decimal and a units-from-one 10 × 10 matrix: a sweep or
//! an error, never a panic.
#![no_main]

use kmdiag::profile::resolve;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    for name in ["eltis", "metakom"] {
        let p = resolve(name).expect("built-in profile");
        let s = p.switch(None).expect("default switch");
        let labels = p.line_labels(s);
        if let Ok((sweep, warnings)) =
            kmdiag::sweep::parse_sweep_bytes(data, Path::new("f.csv"), &labels)
        {
            assert!(!sweep.is_empty());
            assert!(warnings.len() <= 1, "repeated rows make one warning");
        }
    }
});
