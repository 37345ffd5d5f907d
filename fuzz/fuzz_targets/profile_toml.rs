//! Profile TOML: a profile or an error, and a parsed profile's switches are bounded so that
//! building a layout of its default switch stays cheap.
#![no_main]

use kmdiag::profile::{Layout, LayoutSpec, parse_profile};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = parse_profile(text, Path::new("p.toml")) {
        let s = p.switch(None).expect("validated default switch");
        assert!(s.tens <= 100 && s.units <= 100 && s.matrices <= 100);
        let _ = Layout::build(&p, s, &LayoutSpec::default());
    }
});
