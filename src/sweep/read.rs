//! Parsing sweep CSV text. Pure: the caller reads the file (through `crate::input`).

use crate::input::clip;
use crate::model::{Measurement, Reading, Sweep, Terminal};
use crate::profile::LineLabels;
use std::path::{Path, PathBuf};

/// A sweep file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SweepError {
    /// The header does not name the needed columns.
    #[error(
        "{path}: line {line}: the header must name the columns plus,minus,ohms (found '{found}')"
    )]
    Header {
        /// The file.
        path: PathBuf,
        /// Line of the header.
        line: u64,
        /// What the header said.
        found: String,
    },
    /// A value cannot be read.
    #[error("{path}: line {line}, column '{column}': {problem}")]
    Value {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Column name.
        column: &'static str,
        /// What is wrong, quoting the value, and what was expected.
        problem: String,
    },
    /// The text is not CSV at all (bad UTF-8, unbalanced quotes).
    #[error("{path}: line {line}: {problem}")]
    Text {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What the CSV reader said.
        problem: String,
    },
    /// No measurement at all.
    #[error("{path}: no measurements after the header; a sweep needs at least one row")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The bytes are not UTF-8 text.
    #[error("{path}: line {line}, byte {byte}: not UTF-8 text; save the sweep as UTF-8 CSV")]
    Encoding {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first bad byte.
        line: u64,
        /// 1-based offset of the first bad byte in the file.
        byte: usize,
    },
}

/// Parses a sweep file's bytes (as `crate::input::read_input` returns them): UTF-8 text, a
/// leading BOM skipped, then `parse_sweep`.
pub fn parse_sweep_bytes(
    bytes: &[u8],
    path: &Path,
    labels: &LineLabels,
) -> Result<(Sweep, Vec<SweepWarning>), SweepError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        SweepError::Encoding {
            path: path.to_path_buf(),
            line: bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1,
            byte: at + 1,
        }
    })?;
    parse_sweep(text, path, labels)
}

/// Something worth saying that does not stop the diagnosis.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepWarning {
    /// Line of the row the warning is about.
    pub line: u64,
    /// The message.
    pub message: String,
}

/// Parses sweep CSV against the matrix's labels; `path` is only used in messages.
pub fn parse_sweep(
    text: &str,
    path: &Path,
    labels: &LineLabels,
) -> Result<(Sweep, Vec<SweepWarning>), SweepError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sweep = Sweep::new(labels.tens_count(), labels.units_count());
    let mut warnings = Vec::new();
    // Line of each pair's latest row, for the duplicate warning: one slot per ordered pair
    // of terminals (a few hundred for 10 × 10), cheaper than hashing every row.
    let lines = labels.tens_count() as usize + labels.units_count() as usize;
    let slot = |t: Terminal| match t.kind {
        crate::model::LineKind::Tens => t.index as usize,
        crate::model::LineKind::Units => labels.tens_count() as usize + t.index as usize,
    };
    let mut latest: Vec<u64> = vec![0; lines * lines];
    // Repeated pairs: how many rows, and the first (line, earlier line, pair) for the message.
    let mut repeats: (u64, Option<(u64, u64, Terminal, Terminal)>) = (0, None);
    let mut columns: Option<(usize, usize, usize)> = None;
    for_each_record(text, path, |line, rec| {
        let Some((cp, cm, co)) = columns else {
            let col = |name: &str| rec.iter().position(|h| h.eq_ignore_ascii_case(name));
            let (Some(cp), Some(cm), Some(co)) = (col("plus"), col("minus"), col("ohms")) else {
                return Err(SweepError::Header {
                    path: path.to_path_buf(),
                    line,
                    found: clip(&rec.join(",")),
                });
            };
            columns = Some((cp, cm, co));
            return Ok(());
        };
        let bad = |column: &'static str, problem: String| SweepError::Value {
            path: path.to_path_buf(),
            line,
            column,
            problem,
        };
        let field = |i: usize| rec.get(i).copied().unwrap_or("");
        let terminal = |i: usize, column: &'static str| {
            let value = field(i);
            if value.is_empty() {
                return Err(bad(
                    column,
                    format!("missing terminal; expected {}", labels.expected()),
                ));
            }
            labels.parse(value).ok_or_else(|| {
                bad(
                    column,
                    format!(
                        "unknown terminal '{}'; expected {}",
                        clip(value),
                        labels.expected()
                    ),
                )
            })
        };
        let plus = terminal(cp, "plus")?;
        let minus = terminal(cm, "minus")?;
        if plus == minus {
            return Err(bad(
                "minus",
                format!(
                    "'{}' is the same terminal as plus; a measurement needs two terminals",
                    clip(field(cm))
                ),
            ));
        }
        let reading = parse_ohms(field(co)).map_err(|p| bad("ohms", p))?;
        let m = Measurement {
            plus,
            minus,
            reading,
        };
        let key = (plus, minus);
        match sweep.record(m) {
            Ok(Some(_)) => {
                repeats.0 += 1;
                if repeats.1.is_none() {
                    let earlier = latest[slot(key.0) * lines + slot(key.1)];
                    repeats.1 = Some((line, earlier, plus, minus));
                }
            }
            Ok(None) => {}
            Err(_) => {
                return Err(bad(
                    "plus",
                    format!(
                        "terminals '{}' and '{}' are not on this switch",
                        clip(field(cp)),
                        clip(field(cm))
                    ),
                ));
            }
        }
        latest[slot(key.0) * lines + slot(key.1)] = line;
        Ok(())
    })?;
    // Every repeated pair in one warning: a file of repeated rows must not print millions.
    if let (count, Some((line, earlier, plus, minus))) = repeats {
        let more = match count {
            1 => String::new(),
            n => format!(" ({} more rows repeat an earlier pair)", n - 1),
        };
        warnings.push(SweepWarning {
            line,
            message: format!(
                "{}: line {line}: {} → {} was already measured on line {earlier}; the later reading wins{more}",
                path.display(),
                labels.label(plus),
                labels.label(minus),
            ),
        });
    }
    if columns.is_none() {
        return Err(SweepError::Header {
            path: path.to_path_buf(),
            line: 1,
            found: String::new(),
        });
    }
    if sweep.is_empty() {
        return Err(SweepError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok((sweep, warnings))
}

/// Calls `row(line, fields)` for every record (the header first), fields trimmed, empty lines
/// and `#` comment lines skipped. Text without quotes or bare carriage returns (what meters,
/// adapters and spreadsheets write) is split directly, which is several times cheaper than
/// building a CSV reader per file when a district's sweeps are checked; anything else goes
/// through the csv crate.
fn for_each_record(
    text: &str,
    path: &Path,
    row: impl FnMut(u64, &[&str]) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    let plain = !text.contains('"') && text.matches('\r').count() == text.matches("\r\n").count();
    if plain {
        plain_records(text, row)
    } else {
        csv_records(text, path, row)
    }
}

/// The plain split: for text with no quotes and no bare carriage returns.
fn plain_records(
    text: &str,
    mut row: impl FnMut(u64, &[&str]) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    fn trim(f: &str) -> &str {
        f.trim_matches(|c: char| c.is_ascii_whitespace())
    }
    let mut fields: Vec<&str> = Vec::with_capacity(8);
    for (n, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        fields.clear();
        fields.extend(line.split(',').map(trim));
        row(n as u64 + 1, &fields)?;
    }
    Ok(())
}

/// Any CSV, quotes included, through the csv crate.
fn csv_records(
    text: &str,
    path: &Path,
    mut row: impl FnMut(u64, &[&str]) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let fields: Vec<&str> = rec.iter().collect();
                row(rec.position().map_or(0, |p| p.line()), &fields)?;
            }
            Err(e) => {
                return Err(SweepError::Text {
                    path: path.to_path_buf(),
                    line: e.position().map_or(1, |p| p.line()),
                    problem: e.to_string(),
                });
            }
        }
    }
}

/// Parses the `ohms` column: a decimal number ≥ 0, or `OL`.
fn parse_ohms(text: &str) -> Result<Reading, String> {
    if text.eq_ignore_ascii_case("OL") || text.eq_ignore_ascii_case("O.L") {
        return Ok(Reading::Open);
    }
    if text.is_empty() {
        return Err("missing value; expected ohms as a number like 742.5, or OL".into());
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(Reading::Ohms(v)),
        Ok(_) => Err(format!(
            "'{}' is not a resistance; expected a number ≥ 0, or OL",
            clip(text)
        )),
        Err(_) => Err(format!(
            "'{}' is not a number; write ohms as a plain number like 742.5 (no units), or OL",
            clip(text)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;
    use crate::profile::{LabelSpec, Numbering};

    fn labels(numbering: Numbering) -> LineLabels {
        let spec = LabelSpec {
            tens: "D".into(),
            units: "E".into(),
            tens_names: None,
            units_names: None,
        };
        LineLabels::new(&spec, numbering, 10, 10)
    }

    fn parse(text: &str) -> Result<(Sweep, Vec<SweepWarning>), SweepError> {
        parse_sweep(text, Path::new("s.csv"), &labels(Numbering::Decimal))
    }

    #[test]
    fn reads_forward_reverse_and_bus_rows() {
        let (s, w) = parse("plus,minus,ohms,note\nD4,E7,702.5,x\nE7,D4,OL\nd1,д2,0.4\n").unwrap();
        assert!(w.is_empty());
        assert_eq!(s.forward(Cell::new(4, 7)), Some(Reading::Ohms(702.5)));
        assert_eq!(s.reverse(Cell::new(4, 7)), Some(Reading::Open));
        assert_eq!(s.forward(Cell::new(0, 0)), None);
        assert_eq!(s.bus().len(), 1);
    }

    #[test]
    fn many_repeated_rows_make_one_warning_and_errors_quote_little() {
        let mut text = String::from("plus,minus,ohms\n");
        for _ in 0..10_000 {
            text.push_str("D4,E7,700\n");
        }
        let (_, w) = parse(&text).unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.contains("9998 more rows"), "{}", w[0].message);
        let e = parse(&format!(
            "plus,minus,ohms\nD4,E7,{}\n",
            "9".repeat(100_000) + "x"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.len() < 300, "{e}");
    }

    #[test]
    fn bad_utf8_names_line_and_byte() {
        let l = labels(Numbering::Decimal);
        let e = parse_sweep_bytes(b"plus,minus,ohms\nD4,E7,\xff\n", Path::new("s.csv"), &l)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2, byte 23"), "{e}");
    }

    #[test]
    fn duplicate_row_warns_and_the_later_wins() {
        let (s, w) = parse("plus,minus,ohms\nD4,E7,700\nD4,E7,OL\n").unwrap();
        assert_eq!(s.forward(Cell::new(4, 7)), Some(Reading::Open));
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("line 2"), "{}", w[0].message);
    }

    #[test]
    fn bad_rows_name_line_and_column() {
        let e = parse("plus,minus,ohms\nD4,E7,700\nF3,E7,700\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3, column 'plus'") && e.contains("'F3'"),
            "{e}"
        );
        let e = parse("plus,minus,ohms\nD4,E7,7k\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2, column 'ohms'"), "{e}");
        let e = parse("plus,minus,ohms\nD4,E7,-3\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("≥ 0"), "{e}");
        let e = parse("a,b,c\nD4,E7,1\n").unwrap_err().to_string();
        assert!(e.contains("plus,minus,ohms"), "{e}");
        assert!(matches!(
            parse("plus,minus,ohms\n"),
            Err(SweepError::Empty { .. })
        ));
    }

    #[test]
    fn metakom_units_start_at_one() {
        let l = labels(Numbering::UnitsFromOne);
        let (s, _) = parse_sweep("plus,minus,ohms\nD0,E10,650\n", Path::new("m.csv"), &l).unwrap();
        assert_eq!(s.forward(Cell::new(0, 9)), Some(Reading::Ohms(650.0)));
        assert!(parse_sweep("plus,minus,ohms\nD0,E0,650\n", Path::new("m.csv"), &l).is_err());
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;

    #[test]
    fn plain_split_counts_blank_and_comment_lines() {
        assert_eq!(
            records("\n# note\nA,B\r\n", false),
            vec![(3, vec!["A".to_string(), "B".to_string()])]
        );
    }

    /// Every record with its line, by one reader or the other.
    fn records(text: &str, by_csv: bool) -> Vec<(u64, Vec<String>)> {
        let mut out = Vec::new();
        let row = |line: u64, f: &[&str]| {
            out.push((line, f.iter().map(|s| s.to_string()).collect()));
            Ok(())
        };
        let _ = if by_csv {
            csv_records(text, Path::new("x"), row)
        } else {
            plain_records(text, row)
        };
        out
    }
    use crate::profile::{LabelSpec, Numbering};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_parses_or_fails_cleanly(text in "(plus,minus,ohms\n)?([DEде]?[0-9]{0,2},[DEде]?[0-9]{0,2},[-0-9.eOLol]{0,6}\n?){0,12}") {
            let spec = LabelSpec { tens: "D".into(), units: "E".into(), tens_names: None, units_names: None };
            let labels = LineLabels::new(&spec, Numbering::Decimal, 10, 10);
            let _ = parse_sweep(&text, Path::new("f.csv"), &labels);
        }

        #[test]
        fn plain_split_reads_what_the_csv_crate_reads(text in "([ a-zA-Z0-9.,#]{0,12}(\n|\r\n)){0,10}") {
            // Fields must agree; lines may not: the csv crate does not count blank lines.
            let fields = |v: Vec<(u64, Vec<String>)>| v.into_iter().map(|r| r.1).collect::<Vec<_>>();
            prop_assert_eq!(fields(records(&text, false)), fields(records(&text, true)));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let spec = LabelSpec { tens: "D".into(), units: "E".into(), tens_names: None, units_names: None };
            let labels = LineLabels::new(&spec, Numbering::UnitsFromOne, 10, 10);
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_sweep(&text, Path::new("f.csv"), &labels);
        }
    }
}
