//! The sweep file's header: `#` comment lines in `key: value` form at the top of the file that
//! say how the sweep was taken, so `diagnose`, `report`, `check` and `diff` need no flags to
//! read it again. Pure: parsing takes text, writing returns text.
//!
//! ```text
//! # kmdiag-sweep: 1
//! # measured-at: 2026-11-21T14:03:12+03:00
//! # kmdiag: 0.1.0
//! # meter: UNI-T UT61E
//! # source: /dev/ttyUSB0
//! # profile: eltis
//! # switch: KM100-7.1
//! # matrix: 1
//! # offset: 72
//! # apartments: 73-144
//! # map: ../maps/entrance-3.csv
//! # note: cabinet behind the mailboxes
//! plus,minus,ohms
//! ```
//!
//! The `#` lines before the first row are a header only when one of them is the format version
//! (`kmdiag-sweep: 1`); other comment lines stay plain comments, so files without a header read
//! as before. A newer format version, a repeated key or a value that cannot be read is an error
//! naming the line; an unknown key is a warning.

use super::{SweepError, SweepWarning};
use crate::i18n::Message;
use crate::input::clip;
use crate::msg;
use crate::profile::parse_apartments;
use std::ops::RangeInclusive;
use std::path::Path;

/// The header format this kmdiag writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The key of the format version line.
pub const VERSION_KEY: &str = "kmdiag-sweep";

/// What a sweep file's header says; every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweepHeader {
    /// When the sweep was taken: RFC 3339 local time with its offset, as written.
    pub measured_at: Option<String>,
    /// The kmdiag version that wrote the file.
    pub kmdiag: Option<String>,
    /// The meter or adapter model.
    pub meter: Option<String>,
    /// Where the readings came from: a port, or the simulator.
    pub source: Option<String>,
    /// Vendor profile: a built-in name, or a path relative to the sweep file's folder.
    pub profile: Option<String>,
    /// Switch model.
    pub switch: Option<String>,
    /// Matrix (hundred), from 1.
    pub matrix: Option<u16>,
    /// Installer's offset.
    pub offset: Option<i64>,
    /// Apartments wired to the matrix.
    pub apartments: Option<Vec<RangeInclusive<u32>>>,
    /// Explicit map file, relative to the sweep file's folder.
    pub map: Option<String>,
    /// Free-form notes, one per `note:` line.
    pub notes: Vec<String>,
    /// The line each key was read from, for messages.
    pub lines: Vec<(&'static str, u64)>,
}

/// Every key a header may hold, in the order they are written.
const KEYS: [&str; 12] = [
    VERSION_KEY,
    "measured-at",
    "kmdiag",
    "meter",
    "source",
    "profile",
    "switch",
    "matrix",
    "offset",
    "apartments",
    "map",
    "note",
];

impl SweepHeader {
    /// True when the file had a header.
    pub fn is_present(&self) -> bool {
        self.line(VERSION_KEY).is_some()
    }

    /// The line a key was read from.
    pub fn line(&self, key: &str) -> Option<u64> {
        self.lines.iter().find(|(k, _)| *k == key).map(|(_, l)| *l)
    }

    /// The header as `#` lines, each ending in a newline; the format version first. Values
    /// are kept on one line (line breaks become spaces); a note with line breaks becomes one
    /// `note:` line per line.
    pub fn to_text(&self) -> String {
        let mut out = format!("# {VERSION_KEY}: {FORMAT_VERSION}\n");
        let one_line = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut put = |key: &str, value: Option<String>| {
            if let Some(v) = value.map(|v| one_line(&v)).filter(|v| !v.is_empty()) {
                out.push_str(&format!("# {key}: {v}\n"));
            }
        };
        put("measured-at", self.measured_at.clone());
        put("kmdiag", self.kmdiag.clone());
        put("meter", self.meter.clone());
        put("source", self.source.clone());
        put("profile", self.profile.clone());
        put("switch", self.switch.clone());
        put("matrix", self.matrix.map(|m| m.to_string()));
        put("offset", self.offset.map(|o| o.to_string()));
        put("apartments", self.apartments.as_deref().map(ranges_text));
        put("map", self.map.clone());
        for note in &self.notes {
            for line in note.lines() {
                put("note", Some(line.to_string()));
            }
        }
        out
    }
}

/// `73-144` or `1-20,31-40`, as `--apartments` takes it.
pub fn ranges_text(ranges: &[RangeInclusive<u32>]) -> String {
    ranges
        .iter()
        .map(|r| match r.start() == r.end() {
            true => r.start().to_string(),
            false => format!("{}-{}", r.start(), r.end()),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A `# key: value` line: the key (lower case, letters, digits and `-`) and the value.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let body = line.strip_prefix('#')?.trim_start();
    let (key, value) = body.split_once(':')?;
    let key = key.trim_end();
    let good = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    good.then(|| (key, value.trim()))
}

/// Reads the header at the top of sweep text (after a byte-order mark, if any). A file
/// without one gives an empty header.
pub fn parse_header(
    text: &str,
    path: &Path,
) -> Result<(SweepHeader, Vec<SweepWarning>), SweepError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pairs: Vec<(u64, &str, &str)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if !line.starts_with('#') {
            break;
        }
        if let Some((key, value)) = key_value(line) {
            pairs.push((n as u64 + 1, key, value));
        }
    }
    let mut header = SweepHeader::default();
    if !pairs.iter().any(|(_, k, _)| *k == VERSION_KEY) {
        return Ok((header, Vec::new()));
    }
    let mut warnings = Vec::new();
    for (line, key, value) in pairs {
        let bad = |problem: Message| SweepError::Meta {
            path: path.to_path_buf(),
            line,
            problem,
        };
        let Some(known) = KEYS.iter().copied().find(|k| *k == key) else {
            warnings.push(SweepWarning {
                line,
                message: msg!(
                    "sweep-warning-unknown-key",
                    path = path,
                    line = line,
                    key = clip(key),
                    keys = KEYS.join(", ")
                ),
            });
            continue;
        };
        if known != "note" {
            if let Some(first) = header.line(known) {
                return Err(bad(msg!("sweep-header-repeated", key = key, first = first)));
            }
            header.lines.push((known, line));
        }
        if known == VERSION_KEY && value.parse::<u32>().ok() != Some(FORMAT_VERSION) {
            return Err(bad(msg!(
                "sweep-header-version",
                value = clip(value),
                reads = FORMAT_VERSION
            )));
        }
        if value.is_empty() {
            continue;
        }
        let text = || Some(value.to_string());
        match known {
            "measured-at" => {
                if chrono::DateTime::parse_from_rfc3339(value).is_err() {
                    return Err(bad(msg!("sweep-header-time", value = clip(value))));
                }
                header.measured_at = text();
            }
            "kmdiag" => header.kmdiag = text(),
            "meter" => header.meter = text(),
            "source" => header.source = text(),
            "profile" => header.profile = text(),
            "switch" => header.switch = text(),
            "map" => header.map = text(),
            "note" => header.notes.push(value.to_string()),
            "matrix" => match value.parse::<u16>() {
                Ok(m) if m >= 1 => header.matrix = Some(m),
                _ => {
                    return Err(bad(msg!("sweep-header-matrix", value = clip(value))));
                }
            },
            "offset" => match value.parse::<i64>() {
                Ok(o) => header.offset = Some(o),
                Err(_) => {
                    return Err(bad(msg!("sweep-header-offset", value = clip(value))));
                }
            },
            "apartments" => match parse_apartments(value) {
                Ok(r) => header.apartments = Some(r),
                Err(p) => return Err(bad(p)),
            },
            _ => {}
        }
    }
    Ok((header, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(SweepHeader, Vec<SweepWarning>), SweepError> {
        parse_header(text, Path::new("s.csv"))
    }

    fn full() -> SweepHeader {
        SweepHeader {
            measured_at: Some("2026-11-21T14:03:12+03:00".into()),
            kmdiag: Some("0.1.0".into()),
            meter: Some("UNI-T UT61E".into()),
            source: Some("/dev/ttyUSB0".into()),
            profile: Some("eltis".into()),
            switch: Some("KM100-7.1".into()),
            matrix: Some(1),
            offset: Some(72),
            apartments: Some(vec![73..=144]),
            map: Some("../maps/e3.csv".into()),
            notes: vec!["key at the concierge".into(), "damp riser".into()],
            lines: Vec::new(),
        }
    }

    #[test]
    fn a_written_header_reads_back() {
        let text = format!("{}plus,minus,ohms\nD0,E1,700\n", full().to_text());
        let (mut back, warnings) = parse(&text).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(back.line("offset"), Some(9));
        back.lines.clear();
        assert_eq!(back, full());
    }

    #[test]
    fn comments_without_a_version_are_not_a_header() {
        let (h, _) = parse("# offset: 72\nplus,minus,ohms\n").unwrap();
        assert!(!h.is_present());
        assert_eq!(h.offset, None);
        // Key lines after the first row are comments too.
        let (h, _) = parse("plus,minus,ohms\n# kmdiag-sweep: 9\n").unwrap();
        assert!(!h.is_present());
    }

    #[test]
    fn an_unknown_format_version_names_its_line() {
        let e = parse("# made by hand\n# kmdiag-sweep: 2\nplus,minus,ohms\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.csv: line 2:"), "{e}");
        assert!(e.contains("'2'"), "{e}");
    }

    #[test]
    fn bad_values_and_repeated_keys_name_their_line_and_unknown_keys_warn() {
        let head = "# kmdiag-sweep: 1\n";
        for (line, says) in [
            ("# offset: seventy", "offset 'seventy'"),
            ("# matrix: 0", "matrix '0'"),
            ("# apartments: 9-3", "'9-3'"),
            ("# measured-at: yesterday", "'yesterday'"),
            ("# kmdiag-sweep: 1", "given again"),
        ] {
            let e = parse(&format!("{head}{line}\nplus,minus,ohms\n"))
                .unwrap_err()
                .to_string();
            assert!(e.contains("line 2") && e.contains(says), "{line}: {e}");
        }
        let (_, w) = parse(&format!("{head}# colour: red\n")).unwrap();
        assert!(w[0].message.en().contains("'colour'"), "{w:?}");
    }
}
