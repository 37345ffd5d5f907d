//! Writing sweep CSV: the whole sweep at once, or row by row with a flush after each so a
//! live sweep survives an unplugged cable. Generic over `io::Write`; no file handling here.

use super::SweepHeader;
use crate::model::{Measurement, Reading, Sweep};
use crate::profile::LineLabels;
use std::io::{self, Write};

/// The header line of every sweep file.
pub const HEADER: &str = "plus,minus,ohms";

/// One CSV row (no newline) for a measurement.
pub fn format_row(labels: &LineLabels, m: &Measurement) -> String {
    let ohms = match m.reading {
        Reading::Open => "OL".to_string(),
        Reading::Ohms(v) => format!("{v}"),
    };
    format!("{},{},{ohms}", labels.label(m.plus), labels.label(m.minus))
}

/// The whole sweep as CSV text, in canonical order.
pub fn to_csv(sweep: &Sweep, labels: &LineLabels) -> String {
    to_csv_with_header(&SweepHeader::default(), sweep, labels)
}

/// The whole sweep as CSV text after its `#` header (none when `header` is empty).
pub fn to_csv_with_header(header: &SweepHeader, sweep: &Sweep, labels: &LineLabels) -> String {
    let mut out = match header == &SweepHeader::default() {
        true => String::new(),
        false => header.to_text(),
    };
    out.push_str(HEADER);
    out.push('\n');
    for m in sweep.measurements() {
        out.push_str(&format_row(labels, &m));
        out.push('\n');
    }
    out
}

/// Appends rows to a sweep file, flushing each one at once.
pub struct SweepWriter<W: Write> {
    out: W,
    labels: LineLabels,
}

impl<W: Write> SweepWriter<W> {
    /// Starts a new file: writes the column header.
    pub fn create(out: W, labels: LineLabels) -> io::Result<Self> {
        Self::create_with_header(out, labels, &SweepHeader::default())
    }

    /// Starts a new file: writes the `#` header (none when `header` is empty) and the column
    /// header.
    pub fn create_with_header(
        mut out: W,
        labels: LineLabels,
        header: &SweepHeader,
    ) -> io::Result<Self> {
        if header != &SweepHeader::default() {
            out.write_all(header.to_text().as_bytes())?;
        }
        writeln!(out, "{HEADER}")?;
        out.flush()?;
        Ok(SweepWriter { out, labels })
    }

    /// Continues an existing file whose header is already written.
    pub fn append(out: W, labels: LineLabels) -> Self {
        SweepWriter { out, labels }
    }

    /// Writes one measurement and flushes it.
    pub fn push(&mut self, m: &Measurement) -> io::Result<()> {
        writeln!(self.out, "{}", format_row(&self.labels, m))?;
        self.out.flush()
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Terminal;
    use crate::profile::{LabelSpec, Numbering};
    use crate::sweep::parse_sweep;
    use std::path::Path;

    #[test]
    fn written_sweep_reads_back_identically() {
        let spec = LabelSpec {
            tens: "D".into(),
            units: "E".into(),
            tens_names: None,
            units_names: None,
            as_printed: false,
        };
        let labels = LineLabels::new(&spec, Numbering::UnitsFromOne, 10, 10);
        let mut s = Sweep::new(10, 10);
        for (p, m, r) in [
            (Terminal::tens(0), Terminal::units(9), Reading::Ohms(651.25)),
            (Terminal::units(9), Terminal::tens(0), Reading::Open),
            (Terminal::tens(1), Terminal::tens(2), Reading::Ohms(0.3)),
        ] {
            s.record(Measurement {
                plus: p,
                minus: m,
                reading: r,
            })
            .unwrap();
        }
        let text = to_csv(&s, &labels);
        assert!(text.contains("D0,E10,651.25\nE10,D0,OL\n"), "{text}");
        let (back, _) = parse_sweep(&text, Path::new("x"), &labels).unwrap();
        assert_eq!(back, s);
    }
}
