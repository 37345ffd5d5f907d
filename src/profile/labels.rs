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
    /// The tens labels as a numbered run, when they are one: parsed by their number.
    tens_run: Option<Numbered>,
    /// The units labels as a numbered run, when they are one.
    units_run: Option<Numbered>,
}

/// A kind of line whose every folded label is one prefix without digits and a number
/// counting up from `first` (`D0`…`D9`, `E1`…`E10`): a label is found by its number, not
/// by comparing it with every label (two look-ups on every row of every sweep read).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Numbered {
    prefix: String,
    first: u32,
    count: u32,
}

impl Numbered {
    /// The run `folded` labels make, if they make one.
    fn of<'a>(mut folded: impl Iterator<Item = &'a str>) -> Option<Numbered> {
        let (prefix, digits) = split_number(folded.next()?)?;
        let first: u32 = digits.parse().ok()?;
        let mut count: u32 = 1;
        for label in folded {
            let (p, d) = split_number(label)?;
            if p != prefix || d.parse::<u32>().ok()? != first.checked_add(count)? {
                return None;
            }
            count += 1;
        }
        Some(Numbered {
            prefix: prefix.to_string(),
            first,
            count,
        })
    }

    /// The index of the label that `key` (ASCII case aside, as folded) names, if any.
    fn index(&self, key: &str) -> Option<u16> {
        let (prefix, digits) = split_number(key)?;
        if !prefix.eq_ignore_ascii_case(&self.prefix) {
            return None;
        }
        let i = digits.parse::<u32>().ok()?.checked_sub(self.first)?;
        (i < self.count).then_some(u16::try_from(i).ok()?)
    }
}

/// `text` split before its first ASCII digit into a prefix and a number written as a label
/// writes it (digits only, no leading zero but in `0`): `D10` → (`D`, `10`); `D04` and
/// `D4a` are no numbered label.
fn split_number(text: &str) -> Option<(&str, &str)> {
    let at = text.find(|c: char| c.is_ascii_digit())?;
    let digits = &text[at..];
    let canonical =
        digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'));
    canonical.then_some((&text[..at], digits))
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
        let folded: Vec<(String, Terminal)> = tens
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
        let run = |kind: LineKind| {
            Numbered::of(
                (folded.iter())
                    .filter(|(_, t)| t.kind == kind)
                    .map(|(l, _)| l.as_str()),
            )
        };
        LineLabels {
            tens_run: run(LineKind::Tens),
            units_run: run(LineKind::Units),
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

    /// Parses one terminal label, case-insensitively, Cyrillic Д/Е accepted. The first label
    /// that matches, tens before units.
    pub fn parse(&self, text: &str) -> Option<Terminal> {
        let text = text.trim();
        // The common case, ASCII, is compared without folding (allocating) it: folded labels
        // hold no lower-case ASCII letter.
        let folded;
        let key = match text.is_ascii() {
            true => text,
            false => {
                folded = fold(text);
                folded.as_str()
            }
        };
        let kinds = [
            (LineKind::Tens, &self.tens_run),
            (LineKind::Units, &self.units_run),
        ];
        kinds.into_iter().find_map(|(kind, run)| match run {
            Some(run) => run.index(key).map(|index| Terminal { kind, index }),
            None => (self.folded.iter())
                .filter(|(_, t)| t.kind == kind)
                .find(|(l, _)| l.eq_ignore_ascii_case(key))
                .map(|(_, t)| *t),
        })
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

    /// Every label compared in turn, as parsing did before numbered runs.
    fn parse_by_search(l: &LineLabels, text: &str) -> Option<Terminal> {
        let wanted = fold(text);
        l.folded.iter().find(|(f, _)| *f == wanted).map(|(_, t)| *t)
    }

    #[test]
    fn parsing_by_number_finds_what_comparing_every_label_finds() {
        let named = |tens: Option<&[&str]>, units: Option<&[&str]>| {
            let mut s = spec();
            s.tens_names = tens.map(|v| v.iter().map(|n| n.to_string()).collect());
            s.units_names = units.map(|v| v.iter().map(|n| n.to_string()).collect());
            s
        };
        let mut same_prefix = spec();
        same_prefix.units = "D".into();
        let cases = [
            LineLabels::new(&spec(), Numbering::Decimal, 10, 10),
            LineLabels::new(&spec(), Numbering::UnitsFromOne, 10, 10),
            LineLabels::numbered(&spec(), Numbering::UnitsFromOne, 5, 5, 1),
            LineLabels::new(&same_prefix, Numbering::Decimal, 3, 4),
            LineLabels::new(
                &named(Some(&["a", "B", "a"]), None),
                Numbering::Decimal,
                3,
                3,
            ),
            LineLabels::new(
                &named(None, Some(&["E1", "E3", "Ж2"])),
                Numbering::Decimal,
                2,
                3,
            ),
            LineLabels::new(
                &named(Some(&["D0", "D01", " d2"]), None),
                Numbering::Decimal,
                3,
                2,
            ),
            LineLabels::new(&named(Some(&["E0", "E1"]), None), Numbering::Decimal, 2, 2),
        ];
        let inputs = [
            "D0",
            "d0",
            "Д0",
            "д9",
            "E0",
            "e1",
            "Е10",
            "E10",
            "E11",
            "D04",
            "D4a",
            "D",
            "",
            " D3 ",
            "a",
            "A",
            "b",
            "Ж2",
            "ж2",
            "D01",
            "D2",
            "E3",
            "E9999999999",
            "D-1",
            "+1",
            "4",
        ];
        for l in &cases {
            for text in inputs {
                assert_eq!(l.parse(text), parse_by_search(l, text), "{text:?} in {l:?}");
            }
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
