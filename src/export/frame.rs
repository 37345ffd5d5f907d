//! Draws a table of fixed column widths, character for character as comfy-table's UTF8_FULL
//! preset draws it in the stable layout (no colour, no wrapping), without building a
//! comfy-table `Table`: the grid of every entrance of a district is drawn this way, and the
//! table library's cells, styles and arrangement were most of the cost of the table output.
//! Pure: text in, text out.

use unicode_width::UnicodeWidthStr;

/// The rules of comfy-table's UTF8_FULL preset, as `rule` takes them (left, fill, cross,
/// right): above the header, under it, between rows, and at the bottom.
pub(crate) const TOP: [char; 4] = ['┌', '─', '┬', '┐'];
pub(crate) const UNDER_HEADER: [char; 4] = ['╞', '═', '╪', '╡'];
pub(crate) const BETWEEN: [char; 4] = ['├', '╌', '┼', '┤'];
pub(crate) const BOTTOM: [char; 4] = ['└', '─', '┴', '┘'];

/// Appends a rule across columns of `widths` (content width, a space of padding either
/// side): `left`, each column's `fill`, `cross` between, `right`, and a line end.
pub(crate) fn rule(out: &mut String, widths: &[usize], [left, fill, cross, right]: [char; 4]) {
    out.push(left);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            out.push(cross);
        }
        out.extend(std::iter::repeat_n(fill, w + 2));
    }
    out.push(right);
    out.push('\n');
}

/// The frame: rows of cells, the first row the header. A cell may hold several lines
/// (`\n`); each column is as wide as its widest line, at least one character (as
/// comfy-table's columns are), with a space of padding either side.
pub struct Frame<'a> {
    rows: &'a [Vec<String>],
}

impl<'a> Frame<'a> {
    /// A frame of `rows`, the first of them the header; every row has the same number of
    /// cells.
    pub fn new(rows: &'a [Vec<String>]) -> Self {
        Frame { rows }
    }

    /// Each column's content width, in display columns, as comfy-table measures it.
    fn widths(&self) -> Vec<usize> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![1; columns];
        for row in self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                for line in cell.split('\n') {
                    *w = (*w).max(line.width());
                }
            }
        }
        widths
    }

    /// One row: as many lines as its tallest cell, shorter cells padded with blank lines.
    fn row(out: &mut String, widths: &[usize], row: &[String]) {
        let mut lines: Vec<std::str::Split<'_, char>> =
            row.iter().map(|cell| cell.split('\n')).collect();
        let height = row.iter().map(|c| c.split('\n').count()).max().unwrap_or(1);
        for _ in 0..height {
            out.push('│');
            for (i, (w, cell)) in widths.iter().zip(lines.iter_mut()).enumerate() {
                if i > 0 {
                    out.push('┆');
                }
                let part = cell.next().unwrap_or("");
                out.push(' ');
                out.push_str(part);
                out.extend(std::iter::repeat_n(' ', w - part.width() + 1));
            }
            out.push_str("│\n");
        }
    }

    /// The frame drawn, without a line end after the bottom rule (as a `Table` displays).
    pub fn draw(&self) -> String {
        let widths = self.widths();
        let mut out = String::new();
        rule(&mut out, &widths, TOP);
        // The header's rule is drawn even with no row under it, as comfy-table does.
        for (i, row) in self.rows.iter().enumerate() {
            if i > 1 {
                rule(&mut out, &widths, BETWEEN);
            }
            Self::row(&mut out, &widths, row);
            if i == 0 {
                rule(&mut out, &widths, UNDER_HEADER);
            }
        }
        rule(&mut out, &widths, BOTTOM);
        out.pop();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::{ContentArrangement, Table, presets};

    /// The same rows drawn by comfy-table in the stable layout.
    fn comfy(rows: &[Vec<String>]) -> String {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL)
            .set_content_arrangement(ContentArrangement::Disabled)
            .force_no_tty();
        t.set_header(rows[0].clone());
        for r in &rows[1..] {
            t.add_row(r.clone());
        }
        t.to_string()
    }

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn draws_as_comfy_table_draws() {
        let cases = [
            rows(&[
                &["", "E0", "E1"],
                &["D0", "1\nOK", "2\n"],
                &["D1", "\n", "13\nSHORT"],
            ]),
            rows(&[&["", "Е0"], &["Д0", "\n"]]),
            rows(&[
                &["", "Е10", "Е2"],
                &["Д0", "101\nобрыв", "7\n·"],
                &["Д1", "5", ""],
            ]),
            rows(&[&["a", "宽字"], &["1", "x\ny\nz"]]),
            rows(&[&["", ""], &["", ""]]),
            rows(&[&["only header"]]),
        ];
        for case in cases {
            assert_eq!(Frame::new(&case).draw(), comfy(&case), "{case:?}");
        }
    }
}
