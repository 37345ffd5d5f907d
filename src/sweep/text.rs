//! Turning a sweep file's bytes into text: UTF-8 with or without a byte-order mark, UTF-16
//! with one (PowerShell's `>`), or windows-1251 (cp1251: what Russian Excel saves as "CSV").
//! Pure: the caller reads the file.
//!
//! Text that is valid UTF-8 is UTF-8; anything else without a byte-order mark is read as
//! windows-1251, the only other encoding a technician's spreadsheet writes here. A byte no
//! encoding can read is an error naming the line and byte.

use super::SweepError;
use crate::msg;
use encoding_rs::{UTF_8, WINDOWS_1251};
use std::path::Path;

/// The encoding a sweep file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (a byte-order mark, if any, is dropped).
    Utf8,
    /// UTF-16, little- or big-endian, announced by its byte-order mark.
    Utf16,
    /// windows-1251 (cp1251).
    Windows1251,
}

/// 1-based line of byte `at` in `bytes`.
fn line_of(bytes: &[u8], at: usize) -> u64 {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
        + 1
}

/// Decodes a sweep file's bytes; `path` is only used in messages.
pub fn decode(bytes: &[u8], path: &Path) -> Result<(String, TextEncoding), SweepError> {
    let error = |at: usize, problem: crate::i18n::Message| SweepError::Text {
        path: path.to_path_buf(),
        line: line_of(bytes, at),
        problem,
    };
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        if encoding == UTF_8 {
            return match std::str::from_utf8(body) {
                Ok(text) => Ok((text.to_string(), TextEncoding::Utf8)),
                Err(e) => Err(error(
                    bom + e.valid_up_to(),
                    msg!("text-bad-utf8-after-bom", byte = bom + e.valid_up_to() + 1),
                )),
            };
        }
        return match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) => Ok((text.into_owned(), TextEncoding::Utf16)),
            None => Err(error(0, msg!("text-bad-utf16", encoding = encoding.name()))),
        };
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(error(at, msg!("text-nul-byte", byte = at + 1)));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), TextEncoding::Utf8));
    }
    // windows-1251 gives every byte a character; the control characters among them (C0 but
    // tab and line ends, DEL, and 0x98, which 1251 leaves unassigned) are no text a
    // spreadsheet writes, so a file holding one is in some other encoding.
    let control =
        |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f || b == 0x98;
    if let Some(at) = bytes.iter().position(|b| control(*b)) {
        return Err(error(at, msg!("text-unknown-encoding", byte = at + 1)));
    }
    let (text, _, _) = WINDOWS_1251.decode(bytes);
    Ok((text.into_owned(), TextEncoding::Windows1251))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> Result<(String, TextEncoding), SweepError> {
        decode(bytes, Path::new("s.csv"))
    }

    #[test]
    fn reads_utf8_with_and_without_bom_utf16_and_cp1251() {
        assert_eq!(text(b"plus").unwrap(), ("plus".into(), TextEncoding::Utf8));
        assert_eq!(
            text(b"\xef\xbb\xbfplus").unwrap(),
            ("plus".into(), TextEncoding::Utf8)
        );
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Д4;Е7".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(text(&utf16).unwrap(), ("Д4;Е7".into(), TextEncoding::Utf16));
        // "Д4;1,2 кОм" in cp1251.
        let cp1251 = b"\xc44;1,2 \xea\xce\xec";
        assert_eq!(
            text(cp1251).unwrap(),
            ("Д4;1,2 кОм".into(), TextEncoding::Windows1251)
        );
    }

    #[test]
    fn unreadable_bytes_name_their_line() {
        let e = text(b"a\nb\n\x98").unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("byte 5"), "{e}");
        let e = text(b"p\0l\0").unwrap_err().to_string();
        assert!(e.contains("NUL"), "{e}");
        let e = text(b"\xef\xbb\xbfok\n\xff").unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
    }
}
