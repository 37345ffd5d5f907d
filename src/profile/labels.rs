//! Terminal labels as printed on the board, and parsing of what a technician types or a
//! sweep file says ("D4", "e10", Cyrillic "Д4"). Pure.

use super::{LabelSpec, Numbering};
use crate::model::{Cell, LineKind, Terminal};

/// The printed name of every terminal of one matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineLabels {
    tens: Vec<String>,
    units: Vec<String>,
    /// Folded forms of `tens` then `units`, for parsing without allocating.
    folded: Vec<(String, Terminal)>,
    /// Written as printed in every language (the profile's `labels.as_printed`).
    as_printed: bool,
}

/// Folds case and Cyrillic look-alikes so "д4", "Д4" and "d4" compare equal to "D4".
fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            'Д' | 'д' => 'D',
            'Е' | 'е' | 'Ё' | 'ё' => 'E',
            other => other.to_ascii_uppercase(),
        })
        .collect()
}

impl LineLabels {
    /// Labels for a `tens` × `units` matrix: explicit names where the profile gives them,
    /// else prefix + number, tens numbered from 0, units from 0 (decimal) or 1
    /// (units-from-one).
    pub fn new(spec: &LabelSpec, numbering: Numbering, tens: u16, units: u16) -> Self {
        Self::numbered(spec, numbering, tens, units, 0)
    }

    /// As `new`, with the tens terminals printed from `first_tens` (1 on Metakom COM-25U:
    /// `D1`…`D5`).
    pub fn numbered(
        spec: &LabelSpec,
        numbering: Numbering,
        tens: u16,
        units: u16,
        first_tens: u16,
    ) -> Self {
        let first_unit = match numbering {
            Numbering::Decimal => 0,
            Numbering::UnitsFromOne => 1,
        };
        let build = |names: &Option<Vec<String>>, prefix: &str, n: u16, first: u16| {
            (0..n)
                .map(|i| {
                    names
                        .as_ref()
                        .and_then(|v| v.get(i as usize).cloned())
                        .unwrap_or_else(|| format!("{prefix}{}", u32::from(i) + u32::from(first)))
                })
                .collect()
        };
        let tens: Vec<String> = build(&spec.tens_names, &spec.tens, tens, first_tens);
        let units: Vec<String> = build(&spec.units_names, &spec.units, units, first_unit);
        let folded = tens
            .iter()
            .enumerate()
            .map(|(i, l)| (fold(l), Terminal::tens(i as u16)))
            .chain(
                units
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (fold(l), Terminal::units(i as u16))),
            )
            .collect();
        LineLabels {
            tens,
            units,
            folded,
            as_printed: spec.as_printed,
        }
    }

    /// True when every language writes these labels as printed (Eltis: Latin D/E).
    pub fn as_printed(&self) -> bool {
        self.as_printed
    }

    /// A terminal's label as a message value: a language may write its letters its own way
    /// unless the profile keeps them as printed.
    pub fn line_arg(&self, t: Terminal) -> crate::i18n::Arg {
        self.arg(self.label(t).to_string())
    }

    /// A crossing as a message value: `D4/E7`.
    pub fn cell_arg(&self, cell: Cell) -> crate::i18n::Arg {
        self.arg(self.cell_label(cell))
    }

    /// The probe pair of a crossing as a message value: `D4–E7`.
    pub fn pair_arg(&self, cell: Cell) -> crate::i18n::Arg {
        let (d, e) = self.cell(cell);
        self.arg(format!("{d}–{e}"))
    }

    /// Two lines as a message value: `D3–D4`.
    pub fn lines_arg(&self, a: Terminal, b: Terminal) -> crate::i18n::Arg {
        self.arg(format!("{}–{}", self.label(a), self.label(b)))
    }

    fn arg(&self, label: String) -> crate::i18n::Arg {
        crate::i18n::Arg::Line {
            label,
            localize: !self.as_printed,
        }
    }

    /// Number of tens lines.
    pub fn tens_count(&self) -> u16 {
        self.tens.len() as u16
    }

    /// Number of units lines.
    pub fn units_count(&self) -> u16 {
        self.units.len() as u16
    }

    /// The printed label of a terminal, e.g. `D4` or `E10`.
    pub fn label(&self, t: Terminal) -> &str {
        let list = match t.kind {
            LineKind::Tens => &self.tens,
            LineKind::Units => &self.units,
        };
        list.get(t.index as usize)
            .map(String::as_str)
            .unwrap_or("?")
    }

    /// Labels of a cell's two lines, e.g. `("D4", "E7")`.
    pub fn cell(&self, cell: Cell) -> (&str, &str) {
        (
            self.label(Terminal::tens(cell.tens)),
            self.label(Terminal::units(cell.units)),
        )
    }

    /// A cell as a technician writes it: `D4/E7`.
    pub fn cell_label(&self, cell: Cell) -> String {
        let (d, e) = self.cell(cell);
        format!("{d}/{e}")
    }

    /// Parses one terminal label, case-insensitively, Cyrillic Д/Е accepted.
    pub fn parse(&self, text: &str) -> Option<Terminal> {
        let text = text.trim();
        if text.is_ascii() {
            // The common case: compare without allocating.
            return self
                .folded
                .iter()
                .find(|(l, _)| l.eq_ignore_ascii_case(text))
                .map(|(_, t)| *t);
        }
        let wanted = fold(text);
        self.folded
            .iter()
            .find(|(l, _)| *l == wanted)
            .map(|(_, t)| *t)
    }

    /// Parses a cell written as `D4E7`, `D4/E7`, `D4-E7`, `D4 E7` or `d0e10`.
    pub fn parse_cell(&self, text: &str) -> Option<Cell> {
        let folded = fold(text);
        let parts: Vec<&str> = folded
            .split(['/', '-', ' ', ',', ':'])
            .filter(|p| !p.is_empty())
            .collect();
        let pair = match parts.as_slice() {
            [a, b] => Some((a.to_string(), b.to_string())),
            [one] => {
                // "D4E7": split before the second letter.
                let second = one
                    .char_indices()
                    .skip(1)
                    .find(|(_, c)| c.is_alphabetic())?;
                Some((one[..second.0].to_string(), one[second.0..].to_string()))
            }
            _ => None,
        }?;
        let a = self.parse(&pair.0)?;
        let b = self.parse(&pair.1)?;
        match (a.kind, b.kind) {
            (LineKind::Tens, LineKind::Units) => Some(Cell::new(a.index, b.index)),
            (LineKind::Units, LineKind::Tens) => Some(Cell::new(b.index, a.index)),
            _ => None,
        }
    }

    /// "D0-D9" and "E1-E10": the ranges to quote in error messages.
    pub fn expected(&self) -> crate::i18n::Message {
        let span = |l: &[String]| match (l.first(), l.last()) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => String::new(),
        };
        crate::msg!(
            "labels-expected",
            tens = span(&self.tens),
            units = span(&self.units)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> LabelSpec {
        LabelSpec {
            tens: "D".into(),
            units: "E".into(),
            tens_names: None,
            units_names: None,
            as_printed: false,
        }
    }

    #[test]
    fn metakom_units_are_printed_from_one() {
        let l = LineLabels::new(&spec(), Numbering::UnitsFromOne, 10, 10);
        assert_eq!(l.label(Terminal::units(9)), "E10");
        assert_eq!(l.parse("e10"), Some(Terminal::units(9)));
        assert_eq!(l.parse("E0"), None);
    }

    #[test]
    fn cyrillic_and_lowercase_terminals_parse() {
        let l = LineLabels::new(&spec(), Numbering::Decimal, 10, 10);
        assert_eq!(l.parse("Д4"), Some(Terminal::tens(4)));
        assert_eq!(l.parse("е7"), Some(Terminal::units(7)));
        assert_eq!(l.parse_cell("d4e7"), Some(Cell::new(4, 7)));
        assert_eq!(l.parse_cell("E7/D4"), Some(Cell::new(4, 7)));
        assert_eq!(l.parse_cell("D4D5"), None);
    }

    #[test]
    fn tens_printed_from_one_parse_from_one() {
        let l = LineLabels::numbered(&spec(), Numbering::UnitsFromOne, 5, 5, 1);
        assert_eq!(l.label(Terminal::tens(0)), "D1");
        assert_eq!(l.label(Terminal::tens(4)), "D5");
        assert_eq!(l.parse("d5"), Some(Terminal::tens(4)));
        assert_eq!(l.parse("D0"), None);
        assert_eq!(l.parse_cell("D1E1"), Some(Cell::new(0, 0)));
        assert_eq!(l.expected().en(), "D1-D5 or E1-E5");
    }

    #[test]
    fn explicit_names_override_numbers() {
        let mut s = spec();
        s.units_names = Some(vec![
            "E1".into(),
            "E2".into(),
            "E3".into(),
            "E4".into(),
            "E0".into(),
        ]);
        let l = LineLabels::new(&s, Numbering::UnitsFromOne, 5, 5);
        assert_eq!(l.label(Terminal::units(4)), "E0");
    }
}
