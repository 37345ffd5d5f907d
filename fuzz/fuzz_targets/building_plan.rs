//! Building plan TOML: a plan or an error naming a line, never a panic.
#![no_main]

use kmdiag::batch::Plan;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(plan) = Plan::parse(text, Path::new("fuzz-site/building.toml")) {
        let _ = plan.select(&["1".to_string()]);
    }
});
