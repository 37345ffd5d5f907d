//! `diff` documents: any bytes read as a check (JSON, JSON lines) or fail with a message;
//! two documents that read compare or are refused, never panic.
#![no_main]

use kmdiag::batch::diff::{DiffOptions, compare, snapshots_from_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Two documents separated by a NUL, or the same one twice.
    let (a, b) = text.split_once('\0').unwrap_or((text, text));
    let (Ok(old), Ok(new)) = (snapshots_from_json(a), snapshots_from_json(b)) else {
        return;
    };
    if let Ok(report) = compare(&old, &new, &DiffOptions::default())
        && a == b
    {
        assert!(
            !report.got_worse(),
            "a check compared with itself got worse"
        );
    }
});
