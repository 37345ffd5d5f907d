//! Parsing sweep CSV text. Pure: the caller reads the file.

use super::ohms::{DecimalMarks, parse_reading};
use crate::i18n::Message;
use crate::input::clip;
use crate::model::{Measurement, Reading, Sweep, Terminal};
use crate::msg;
use crate::profile::LineLabels;
use std::path::{Path, PathBuf};

/// A sweep file that cannot be read. Data, not words: `message` names the catalogue entry
/// and Display shows it in the run's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum SweepError {
    /// The header does not name the needed columns.
    Header {
        /// The file.
        path: PathBuf,
        /// Line of the header.
        line: u64,
        /// What the header said.
        found: String,
    },
    /// A value cannot be read.
    Value {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Column name.
        column: &'static str,
        /// What is wrong, quoting the value, and what was expected.
        problem: Message,
    },
    /// The text is not CSV at all (bad UTF-8, unbalanced quotes).
    Text {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong (or what the CSV reader said).
        problem: Message,
    },
    /// The `#` header says something that cannot be read (a newer format version, a bad value).
    Meta {
        /// The file.
        path: PathBuf,
        /// 1-based line of the header line.
        line: u64,
        /// What is wrong and what to do.
        problem: Message,
    },
    /// No measurement at all.
    Empty {
        /// The file.
        path: PathBuf,
    },
}

impl SweepError {
    /// The error as a catalogue message: file, line and column, what is wrong, what to do.
    pub fn message(&self) -> Message {
        match self {
            SweepError::Header { path, line, found } => {
                msg!(
                    "error-sweep-header",
                    path = path,
                    line = *line,
                    found = found
                )
            }
            SweepError::Value {
                path,
                line,
                column,
                problem,
            } => msg!(
                "error-sweep-value",
                path = path,
                line = *line,
                column = *column,
                problem = problem.clone()
            ),
            SweepError::Text {
                path,
                line,
                problem,
            }
            | SweepError::Meta {
                path,
                line,
                problem,
            } => msg!(
                "error-at-line",
                path = path,
                line = *line,
                problem = problem.clone()
            ),
            SweepError::Empty { path } => msg!("error-sweep-empty", path = path),
        }
    }
}

/// Something worth saying that does not stop the diagnosis.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepWarning {
    /// Line of the row the warning is about.
    pub line: u64,
    /// The message (with the file and line).
    pub message: Message,
}

/// How the file lays out its readings, from its column header.
#[derive(Debug, Clone, Copy)]
enum Columns {
    /// One measurement a row: `plus,minus,ohms`.
    Measurements {
        plus: usize,
        minus: usize,
        ohms: usize,
    },
    /// One crossing a row, as kmdiag's CSV report writes it: `tens,units,forward_ohms,
    /// reverse_ohms` (or their Russian names), maybe with the entrance and matrix.
    Crossings {
        tens: usize,
        units: usize,
        forward: usize,
        reverse: usize,
        entrance: Option<usize>,
        matrix: Option<usize>,
    },
}

impl Columns {
    /// The columns a header row names, if it is one of the two forms.
    fn find(rec: &[&str]) -> Option<Columns> {
        let col = |names: &[&str]| {
            rec.iter()
                .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
        };
        if let (Some(plus), Some(minus), Some(ohms)) =
            (col(&["plus"]), col(&["minus"]), col(&["ohms"]))
        {
            return Some(Columns::Measurements { plus, minus, ohms });
        }
        match (
            col(&["tens", "десятки"]),
            col(&["units", "единицы"]),
            col(&["forward_ohms", "прямое_ом"]),
            col(&["reverse_ohms", "обратное_ом"]),
        ) {
            (Some(tens), Some(units), Some(forward), Some(reverse)) => Some(Columns::Crossings {
                tens,
                units,
                forward,
                reverse,
                entrance: col(&["entrance", "подъезд"]),
                matrix: col(&["matrix", "матрица"]),
            }),
            _ => None,
        }
    }
}

/// The column separator, from the header line: `,`, `;` (Russian Excel) or a tab. A header
/// line that holds both `,` and `;` could be either, and is refused.
fn separator(text: &str, path: &Path) -> Result<u8, SweepError> {
    let Some((n, line)) = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n, l.trim()))
        .find(|(_, l)| !l.is_empty() && !l.starts_with('#'))
    else {
        return Ok(b',');
    };
    let has = |c: char| line.contains(c);
    match (has(','), has(';'), has('\t')) {
        (true, true, _) => Err(SweepError::Text {
            path: path.to_path_buf(),
            line: n as u64 + 1,
            problem: msg!("sweep-mixed-separators", header = clip(line)),
        }),
        (false, true, _) => Ok(b';'),
        (false, false, true) => Ok(b'\t'),
        _ => Ok(b','),
    }
}

/// Parses sweep CSV against the matrix's labels; `path` is only used in messages.
///
/// Columns are separated by `,`, `;` or a tab (from the header line); readings may carry a
/// decimal comma or a unit (`ohms.rs`); a file in the report's one-crossing-a-row form reads
/// as the measurements it holds. Comment lines (`#`, the header included) are skipped.
pub fn parse_sweep(
    text: &str,
    path: &Path,
    labels: &LineLabels,
) -> Result<(Sweep, Vec<SweepWarning>), SweepError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = separator(text, path)?;
    let mut reader = SweepReader::new(path, labels, delimiter);
    for_each_record(text, path, delimiter, |line, rec| reader.row(line, rec))?;
    reader.finish()
}

/// What reading a sweep file builds up row by row: the sweep, the header's columns, and what
/// the checks across rows need (each pair's latest line, the repeats, whose entrance the
/// first row was).
struct SweepReader<'a> {
    path: &'a Path,
    labels: &'a LineLabels,
    delimiter: u8,
    marks: DecimalMarks,
    sweep: Sweep,
    /// Lines on the switch (tens and units).
    lines: usize,
    /// Line of each pair's latest row, for the duplicate warning: one slot per ordered pair
    /// of terminals (a few hundred for 10 × 10), cheaper than hashing every row.
    latest: Vec<u64>,
    /// Repeated pairs: how many rows, and the first (line, earlier line, pair) for the message.
    repeats: (u64, Option<(u64, u64, Terminal, Terminal)>),
    /// The header's columns and how many there are, once the header is read.
    columns: Option<(Columns, usize)>,
    /// The entrance and matrix of a report's first row, and its line.
    whose: Option<(String, u64)>,
}

/// A row's measurements (at most two: a crossing's forward and reverse), each with the column
/// an error about it names; no allocation.
type RowMeasurements = [Option<(Measurement, &'static str)>; 2];

impl<'a> SweepReader<'a> {
    fn new(path: &'a Path, labels: &'a LineLabels, delimiter: u8) -> SweepReader<'a> {
        let lines = labels.tens_count() as usize + labels.units_count() as usize;
        SweepReader {
            path,
            labels,
            delimiter,
            marks: match delimiter {
                b',' => DecimalMarks::Point,
                _ => DecimalMarks::Comma,
            },
            sweep: Sweep::new(labels.tens_count(), labels.units_count()),
            lines,
            latest: vec![0; lines * lines],
            repeats: (0, None),
            columns: None,
            whose: None,
        }
    }

    /// Reads one record: the header first, then measurements.
    fn row(&mut self, line: u64, rec: &[&str]) -> Result<(), SweepError> {
        let Some((cols, width)) = self.columns else {
            return self.header(line, rec);
        };
        self.check_width(line, rec, width)?;
        let rows = match cols {
            Columns::Measurements { plus, minus, ohms } => {
                self.measurement(line, rec, (plus, minus, ohms))?
            }
            Columns::Crossings { .. } => self.crossing(line, rec, cols)?,
        };
        for (m, column) in rows.into_iter().flatten() {
            self.record(line, m, column)?;
        }
        Ok(())
    }

    /// The header row: which columns hold what.
    fn header(&mut self, line: u64, rec: &[&str]) -> Result<(), SweepError> {
        let Some(found) = Columns::find(rec) else {
            return Err(SweepError::Header {
                path: self.path.to_path_buf(),
                line,
                found: clip(&rec.join(&char::from(self.delimiter).to_string())),
            });
        };
        self.columns = Some((found, rec.len()));
        Ok(())
    }

    /// Refuses a row with values beyond the header's columns, with a hint at why (a decimal
    /// comma in a comma-separated file, an unquoted separator).
    fn check_width(&self, line: u64, rec: &[&str], width: usize) -> Result<(), SweepError> {
        if rec.len() <= width || rec[width..].iter().all(|f| f.is_empty()) {
            return Ok(());
        }
        let hint = if self.delimiter == b','
            && rec[width..]
                .iter()
                .all(|f| f.bytes().all(|b| b.is_ascii_digit()))
        {
            msg!("sweep-hint-decimal-comma")
        } else {
            msg!("sweep-hint-quote")
        };
        Err(SweepError::Text {
            path: self.path.to_path_buf(),
            line,
            problem: msg!(
                "sweep-too-many-values",
                values = rec.len(),
                columns = width,
                hint = hint
            ),
        })
    }

    /// The error for a bad value in `column` of row `line`.
    fn bad(&self, line: u64, column: &'static str, problem: Message) -> SweepError {
        SweepError::Value {
            path: self.path.to_path_buf(),
            line,
            column,
            problem,
        }
    }

    /// The terminal in field `i` of a row.
    fn terminal(
        &self,
        (line, rec): (u64, &[&str]),
        i: usize,
        column: &'static str,
    ) -> Result<Terminal, SweepError> {
        let labels = self.labels;
        let value = field(rec, i);
        if value.is_empty() {
            return Err(self.bad(
                line,
                column,
                msg!("sweep-missing-terminal", expected = labels.expected()),
            ));
        }
        labels.parse(value).ok_or_else(|| {
            self.bad(
                line,
                column,
                msg!(
                    "sweep-unknown-terminal",
                    value = clip(value),
                    expected = labels.expected()
                ),
            )
        })
    }

    /// The reading in field `i` of a row.
    fn reading(
        &self,
        (line, rec): (u64, &[&str]),
        i: usize,
        column: &'static str,
    ) -> Result<Reading, SweepError> {
        parse_reading(field(rec, i), self.marks).map_err(|p| self.bad(line, column, p))
    }

    /// A `plus,minus,ohms` row.
    fn measurement(
        &self,
        line: u64,
        rec: &[&str],
        (plus, minus, ohms): (usize, usize, usize),
    ) -> Result<RowMeasurements, SweepError> {
        let at = (line, rec);
        let (p, m) = (
            self.terminal(at, plus, "plus")?,
            self.terminal(at, minus, "minus")?,
        );
        if p == m {
            return Err(self.bad(
                line,
                "minus",
                msg!("sweep-same-as-plus", value = clip(field(rec, minus))),
            ));
        }
        let reading = self.reading(at, ohms, "ohms")?;
        Ok([
            Some((
                Measurement {
                    plus: p,
                    minus: m,
                    reading,
                },
                "plus",
            )),
            None,
        ])
    }

    /// A report's crossing row (`tens,units,forward_ohms,reverse_ohms`): a crossing (D, E), or
    /// a line-to-line check (D, D) / (E, E) read both ways. Every row must be of the entrance
    /// and matrix the first one was.
    fn crossing(
        &mut self,
        line: u64,
        rec: &[&str],
        cols: Columns,
    ) -> Result<RowMeasurements, SweepError> {
        let Columns::Crossings {
            tens,
            units,
            forward,
            reverse,
            entrance,
            matrix,
        } = cols
        else {
            return Ok([None, None]);
        };
        self.same_entrance(line, rec, (entrance, matrix))?;
        let at = (line, rec);
        let (a, b) = (
            self.terminal(at, tens, "tens")?,
            self.terminal(at, units, "units")?,
        );
        if a == b {
            return Err(self.bad(
                line,
                "units",
                msg!("sweep-same-as-tens", value = clip(field(rec, units))),
            ));
        }
        if a.kind == crate::model::LineKind::Units && b.kind == crate::model::LineKind::Tens {
            return Err(self.bad(
                line,
                "tens",
                msg!("sweep-units-in-tens", value = clip(field(rec, tens))),
            ));
        }
        let mut rows: RowMeasurements = [None, None];
        for (slot, (i, column, plus, minus)) in [
            (forward, "forward_ohms", a, b),
            (reverse, "reverse_ohms", b, a),
        ]
        .into_iter()
        .enumerate()
        {
            if !field(rec, i).is_empty() {
                rows[slot] = Some((
                    Measurement {
                        plus,
                        minus,
                        reading: self.reading(at, i, column)?,
                    },
                    "tens",
                ));
            }
        }
        Ok(rows)
    }

    /// Refuses a report row of another entrance or matrix than the first row's.
    fn same_entrance(
        &mut self,
        line: u64,
        rec: &[&str],
        (entrance, matrix): (Option<usize>, Option<usize>),
    ) -> Result<(), SweepError> {
        let who = format!(
            "{} {}",
            entrance.map_or("", |i| field(rec, i)),
            matrix.map_or("", |i| field(rec, i))
        );
        match &self.whose {
            None => self.whose = Some((who, line)),
            Some((first, at)) if *first != who => {
                return Err(SweepError::Text {
                    path: self.path.to_path_buf(),
                    line,
                    problem: msg!(
                        "sweep-other-entrance",
                        this = clip(who.trim()),
                        first_line = *at,
                        first = clip(first.trim())
                    ),
                });
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// Records one measurement; a pair measured again counts as a repeat (the later reading
    /// stands), and a pair off the switch is refused.
    fn record(
        &mut self,
        line: u64,
        m: Measurement,
        column: &'static str,
    ) -> Result<(), SweepError> {
        let key = self.slot(m.plus) * self.lines + self.slot(m.minus);
        match self.sweep.record(m) {
            Ok(Some(_)) => {
                self.repeats.0 += 1;
                if self.repeats.1.is_none() {
                    self.repeats.1 = Some((line, self.latest[key], m.plus, m.minus));
                }
            }
            Ok(None) => {}
            Err(_) => {
                return Err(self.bad(
                    line,
                    column,
                    msg!(
                        "sweep-not-on-switch",
                        plus = self.labels.label(m.plus),
                        minus = self.labels.label(m.minus)
                    ),
                ));
            }
        }
        self.latest[key] = line;
        Ok(())
    }

    /// A terminal's slot among the lines: tens first, then units.
    fn slot(&self, t: Terminal) -> usize {
        match t.kind {
            crate::model::LineKind::Tens => t.index as usize,
            crate::model::LineKind::Units => self.labels.tens_count() as usize + t.index as usize,
        }
    }

    /// The sweep, with every repeated pair in one warning (a file of repeated rows must not
    /// print millions); refuses a file with no header or no measurement.
    fn finish(self) -> Result<(Sweep, Vec<SweepWarning>), SweepError> {
        let mut warnings = Vec::new();
        if let (count, Some((line, earlier, plus, minus))) = self.repeats {
            warnings.push(SweepWarning {
                line,
                message: msg!(
                    "sweep-warning-repeated",
                    path = self.path,
                    line = line,
                    plus = self.labels.label(plus),
                    minus = self.labels.label(minus),
                    earlier = earlier,
                    more = count - 1
                ),
            });
        }
        if self.columns.is_none() {
            return Err(SweepError::Header {
                path: self.path.to_path_buf(),
                line: 1,
                found: String::new(),
            });
        }
        if self.sweep.is_empty() {
            return Err(SweepError::Empty {
                path: self.path.to_path_buf(),
            });
        }
        Ok((self.sweep, warnings))
    }
}

/// Field `i` of a record, empty when the row is short.
fn field<'r>(rec: &[&'r str], i: usize) -> &'r str {
    rec.get(i).copied().unwrap_or("")
}

/// Calls `row(line, fields)` for every record (the header first), fields trimmed, empty lines
/// and `#` comment lines skipped. Text without quotes or bare carriage returns (what meters,
/// adapters and spreadsheets write) is split directly, which is several times cheaper than
/// building a CSV reader per file when a district's sweeps are checked; anything else goes
/// through the csv crate.
fn for_each_record(
    text: &str,
    path: &Path,
    delimiter: u8,
    row: impl FnMut(u64, &[&str]) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    let plain = !text.contains('"') && text.matches('\r').count() == text.matches("\r\n").count();
    if plain {
        plain_records(text, delimiter, row)
    } else {
        csv_records(text, path, delimiter, row)
    }
}

/// The plain split: for text with no quotes and no bare carriage returns.
fn plain_records(
    text: &str,
    delimiter: u8,
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
        fields.extend(line.split(char::from(delimiter)).map(trim));
        row(n as u64 + 1, &fields)?;
    }
    Ok(())
}

/// Any CSV, quotes included, through the csv crate.
fn csv_records(
    text: &str,
    path: &Path,
    delimiter: u8,
    mut row: impl FnMut(u64, &[&str]) -> Result<(), SweepError>,
) -> Result<(), SweepError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
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
                    problem: msg!("sweep-csv", problem = e.to_string()),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, Reading};
    use crate::profile::{LabelSpec, Numbering};

    fn labels(numbering: Numbering) -> LineLabels {
        let spec = LabelSpec {
            tens: "D".into(),
            units: "E".into(),
            tens_names: None,
            units_names: None,
            as_printed: false,
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
        assert!(
            w[0].message.en().contains("9998 more rows"),
            "{}",
            w[0].message
        );
        let e = parse(&format!(
            "plus,minus,ohms\nD4,E7,{}\n",
            "9".repeat(100_000) + "x"
        ))
        .unwrap_err()
        .to_string();
        assert!(e.len() < 300, "{e}");
        let e = parse(&format!("plus,minus,ohms\n{},E7,7\n", "F".repeat(100_000)))
            .unwrap_err()
            .to_string();
        assert!(e.len() < 300, "{e}");
    }

    #[test]
    fn duplicate_row_warns_and_the_later_wins() {
        let (s, w) = parse("plus,minus,ohms\nD4,E7,700\nD4,E7,OL\n").unwrap();
        assert_eq!(s.forward(Cell::new(4, 7)), Some(Reading::Open));
        assert_eq!(w.len(), 1);
        assert!(w[0].message.en().contains("line 2"), "{}", w[0].message);
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
        let e = parse("plus,minus,ohms\nD4,E7,7 V\n")
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
    fn reads_semicolons_decimal_commas_and_units() {
        let (s, _) =
            parse("\u{feff}plus;minus;ohms\nD4;E7;712,5\nE7;D4;OL\nD1;E1;1,2 кОм\n").unwrap();
        assert_eq!(s.forward(Cell::new(4, 7)), Some(Reading::Ohms(712.5)));
        assert_eq!(s.forward(Cell::new(1, 1)), Some(Reading::Ohms(1200.0)));
        let (s, _) = parse("plus,minus,ohms\nD4,E7,\"712,5\"\n").unwrap();
        assert_eq!(s.forward(Cell::new(4, 7)), Some(Reading::Ohms(712.5)));
        let (s, _) = parse("plus,minus,ohms\nD4,E7,712 Ω\n").unwrap();
        assert_eq!(s.forward(Cell::new(4, 7)), Some(Reading::Ohms(712.0)));
    }

    #[test]
    fn a_decimal_comma_in_a_comma_file_is_an_error_never_712() {
        let e = parse("plus,minus,ohms\nD4,E7,712,5\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2") && e.contains("decimal comma"), "{e}");
        let e = parse("plus,minus;ohms\nD4,E7,7\n").unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("both"), "{e}");
        // Trailing empty cells (spreadsheets add them) are no extra values.
        assert!(parse("plus;minus;ohms\nD4;E7;700;;\n").is_ok());
    }

    #[test]
    fn reads_the_reports_one_crossing_a_row_form() {
        let text = "entrance;matrix;tens;units;apartment;state;forward_ohms;reverse_ohms\n\
                    2;1;D4;E5;117;short;12,5;11\n2;1;D6;E8;;not_measured;;\n\
                    2;1;D0;D1;;line_check;OL;\n";
        let (s, _) = parse(text).unwrap();
        assert_eq!(s.forward(Cell::new(4, 5)), Some(Reading::Ohms(12.5)));
        assert_eq!(s.reverse(Cell::new(4, 5)), Some(Reading::Ohms(11.0)));
        assert_eq!(s.forward(Cell::new(6, 8)), None);
        assert_eq!(s.bus().len(), 1);
        let two = format!("{text}3;1;D0;E1;1;ok;700;OL\n");
        let e = parse(&two).unwrap_err().to_string();
        assert!(
            e.contains("line 5") && e.contains("another entrance"),
            "{e}"
        );
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
            csv_records(text, Path::new("x"), b',', row)
        } else {
            plain_records(text, b',', row)
        };
        out
    }
    use crate::profile::{LabelSpec, Numbering};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_parses_or_fails_cleanly(text in "(plus,minus,ohms\n)?([DEде]?[0-9]{0,2},[DEде]?[0-9]{0,2},[-0-9.eOLol]{0,6}\n?){0,12}") {
            let spec = LabelSpec { tens: "D".into(), units: "E".into(), tens_names: None, units_names: None, as_printed: false };
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
            let spec = LabelSpec { tens: "D".into(), units: "E".into(), tens_names: None, units_names: None, as_printed: false };
            let labels = LineLabels::new(&spec, Numbering::UnitsFromOne, 10, 10);
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_sweep(&text, Path::new("f.csv"), &labels);
        }
    }
}
