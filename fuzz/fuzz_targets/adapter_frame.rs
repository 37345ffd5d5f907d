//! The scanning adapter's framing: line splitting, checksummed frames, commands and replies
//! parse or fail, never panic; what encodes decodes back.
#![no_main]

use kmdiag::acquire::adapter::frame::{self, Command, LineSplitter, Reply};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut split = LineSplitter::new();
    for line in split.push(data) {
        if let Ok(body) = frame::decode(&line) {
            if let Ok(c) = Command::parse(body) {
                let again = c.encode();
                let body = frame::decode(again.trim_end().as_bytes()).expect("own frame");
                assert_eq!(Command::parse(body).ok(), Some(c));
            }
            let _ = Reply::parse(body);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = frame::parse_channel(text);
        let _ = Command::parse(text);
        let _ = Reply::parse(text);
    }
});
