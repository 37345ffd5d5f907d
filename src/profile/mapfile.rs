//! Explicit per-entrance maps (`apartment,tens,units` CSV) for installers who wired
//! arbitrarily. Parsing is pure; the caller reads the file.

use super::LineLabels;
use crate::i18n::{Arg, Message};
use crate::model::{Cell, LineKind};
use crate::msg;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What is wrong with a map file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum MapFileError {
    /// The header lacks a column.
    Header {
        /// The file.
        path: PathBuf,
    },
    /// A value cannot be read.
    Value {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Column name.
        column: String,
        /// The text found.
        value: String,
        /// What was expected.
        expected: Message,
    },
    /// Two apartments claim the same crossing.
    SharedCell {
        /// The file.
        path: PathBuf,
        /// Line of the second claim.
        line: u64,
        /// First apartment.
        first: u32,
        /// Second apartment.
        second: u32,
        /// The cell.
        cell: String,
    },
    /// One apartment listed twice.
    Duplicate {
        /// The file.
        path: PathBuf,
        /// Line of the second entry.
        line: u64,
        /// The apartment.
        apartment: u32,
    },
}

impl MapFileError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            MapFileError::Header { path } => msg!("error-map-header", path = path),
            MapFileError::Value {
                path,
                line,
                column,
                value,
                expected,
            } => msg!(
                "error-map-value",
                path = path,
                line = *line,
                column = column,
                value = value,
                expected = expected.clone()
            ),
            MapFileError::SharedCell {
                path,
                line,
                first,
                second,
                cell,
            } => msg!(
                "error-map-shared-cell",
                path = path,
                line = *line,
                first = *first,
                second = *second,
                cell = Arg::line(cell)
            ),
            MapFileError::Duplicate {
                path,
                line,
                apartment,
            } => msg!(
                "error-map-duplicate",
                path = path,
                line = *line,
                apartment = *apartment
            ),
        }
    }
}

/// Parses a map file against a matrix's labels.
pub fn parse_map_file(
    text: &str,
    path: &Path,
    labels: &LineLabels,
) -> Result<Vec<(u32, Cell)>, MapFileError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header_err = || MapFileError::Header {
        path: path.to_path_buf(),
    };
    let headers = rdr.headers().map_err(|_| header_err())?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(header_err)
    };
    let (ca, ct, cu) = (col("apartment")?, col("tens")?, col("units")?);
    let mut out = Vec::new();
    let mut by_cell: HashMap<Cell, u32> = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| MapFileError::Value {
            path: path.to_path_buf(),
            line: e.position().map_or(0, |p| p.line()),
            column: "-".into(),
            value: String::new(),
            expected: msg!("map-not-csv"),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let bad = |column: &str, value: &str, expected: Message| MapFileError::Value {
            path: path.to_path_buf(),
            line,
            column: column.into(),
            value: crate::input::clip(value),
            expected,
        };
        let field = |i: usize| rec.get(i).unwrap_or("");
        let apartment: u32 = field(ca)
            .parse()
            .ok()
            .filter(|a| *a > 0)
            .ok_or_else(|| bad("apartment", field(ca), msg!("map-not-apartment")))?;
        let terminal = |i: usize, name: &str, kind: LineKind| {
            labels
                .parse(field(i))
                .filter(|t| t.kind == kind)
                .ok_or_else(|| {
                    bad(
                        name,
                        field(i),
                        msg!(
                            "map-not-terminal",
                            kind = name,
                            expected = labels.expected()
                        ),
                    )
                })
        };
        let t = terminal(ct, "tens", LineKind::Tens)?;
        let u = terminal(cu, "units", LineKind::Units)?;
        let cell = Cell::new(t.index, u.index);
        if out.iter().any(|(a, _)| *a == apartment) {
            return Err(MapFileError::Duplicate {
                path: path.to_path_buf(),
                line,
                apartment,
            });
        }
        if let Some(first) = by_cell.insert(cell, apartment) {
            return Err(MapFileError::SharedCell {
                path: path.to_path_buf(),
                line,
                first,
                second: apartment,
                cell: labels.cell_label(cell),
            });
        }
        out.push((apartment, cell));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{LabelSpec, Numbering};

    fn labels() -> LineLabels {
        let spec = LabelSpec {
            tens: "D".into(),
            units: "E".into(),
            tens_names: None,
            units_names: None,
            as_printed: false,
        };
        LineLabels::new(&spec, Numbering::Decimal, 10, 10)
    }

    #[test]
    fn reads_an_arbitrary_map() {
        let m = parse_map_file(
            "apartment,tens,units\n45,D2,E9\n46,Д3,е0\n",
            Path::new("m.csv"),
            &labels(),
        )
        .unwrap();
        assert_eq!(m, vec![(45, Cell::new(2, 9)), (46, Cell::new(3, 0))]);
    }

    #[test]
    fn two_apartments_on_one_cell_is_an_error() {
        let e = parse_map_file(
            "apartment,tens,units\n45,D2,E9\n46,D2,E9\n",
            Path::new("m.csv"),
            &labels(),
        )
        .unwrap_err();
        assert!(matches!(e, MapFileError::SharedCell { line: 3, .. }), "{e}");
    }

    #[test]
    fn bad_terminal_names_line_and_column() {
        let e = parse_map_file(
            "apartment,tens,units\n45,E2,E9\n",
            Path::new("m.csv"),
            &labels(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 2, column 'tens'"), "{e}");
    }
}
