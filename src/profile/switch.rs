//! One switch model and its geometry: how many matrices (hundreds) it has, how many tens lines
//! each matrix has (they may differ: Metakom COM-220U's third matrix has 16 of 22), how many
//! units lines, and the number printed on the first tens terminal (D1 on Metakom COM-25U).
//!
//! Also the `[[switch]]` table of a profile's TOML, read by hand so that a bad value is
//! reported at its own line and column, and two keys that contradict each other at the second
//! one. Pure: no I/O.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Most tens lines a matrix may have: the same bound the profile check puts on `tens`
/// (real switches have at most 26); it also keeps a printed label to a few characters.
const MAX_TENS: u16 = 100;

/// Most matrices a switch may list in `blocks`: real ones have at most 8 (Beward KKM-108,
/// Sokol KU-100); 100 keeps a typo from describing millions of crossings.
const MAX_BLOCKS: usize = 100;

/// Highest number a board may print on its first tens terminal. Boards print 0 or 1; up to
/// 100 lets a user profile follow an odd board while a label stays three digits.
const MAX_FIRST_TENS: u16 = 100;

/// One switch model and its geometry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switch {
    /// Model name as on the board, e.g. `KM100-7.1`.
    pub model: String,
    /// Tens lines per matrix; the largest matrix's when their sizes differ (see `blocks`).
    pub tens: u16,
    /// Units lines per matrix.
    pub units: u16,
    /// Matrices (hundreds) on this switch.
    pub matrices: u16,
    /// Number printed on the first tens terminal: 0 (`D0`) on most boards, 1 (`D1`) on
    /// Metakom COM-25U. Only the labels change; the arithmetic counts tens lines from the first.
    pub first_tens: u16,
    /// Tens lines of each matrix in order, when they differ (COM-220U: 22, 22, 16); empty
    /// when every matrix has `tens`.
    pub blocks: Vec<u16>,
}

impl Switch {
    /// A switch whose `matrices` matrices all have `tens` × `units` lines, tens printed from 0.
    pub fn uniform(model: &str, tens: u16, units: u16, matrices: u16) -> Self {
        Switch {
            model: model.to_string(),
            tens,
            units,
            matrices,
            first_tens: 0,
            blocks: Vec::new(),
        }
    }

    /// Lines (flats) one full matrix holds: `tens` × `units`.
    pub fn capacity(&self) -> u32 {
        self.tens as u32 * self.units as u32
    }

    /// Tens lines of `matrix` (1-based); 0 for a matrix the switch does not have.
    pub fn tens_in(&self, matrix: u16) -> u16 {
        if matrix == 0 || matrix > self.matrices {
            return 0;
        }
        match self.blocks.get(matrix as usize - 1) {
            Some(t) => *t,
            None => self.tens,
        }
    }

    /// Lines (flats) `matrix` (1-based) holds.
    pub fn capacity_of(&self, matrix: u16) -> u32 {
        self.tens_in(matrix) as u32 * self.units as u32
    }

    /// Lines on the whole switch, every matrix together.
    pub fn total_capacity(&self) -> u64 {
        (1..=self.matrices)
            .map(|m| self.capacity_of(m) as u64)
            .sum()
    }

    /// Lines on the matrices before `matrix` (1-based): line numbers of `matrix` start after them.
    pub fn lines_before(&self, matrix: u16) -> u64 {
        (1..matrix.min(self.matrices.saturating_add(1)))
            .map(|m| self.capacity_of(m) as u64)
            .sum()
    }

    /// The matrix (1-based) holding switch-wide line `line` (from 1), and the line's number
    /// within that matrix (from 1); `None` below 1 or beyond the last matrix.
    pub fn locate(&self, line: i128) -> Option<(u16, u32)> {
        if line < 1 {
            return None;
        }
        let mut rest = line;
        for m in 1..=self.matrices {
            let cap = self.capacity_of(m) as i128;
            if rest <= cap {
                return Some((m, rest as u32));
            }
            rest -= cap;
        }
        None
    }

    /// True when every matrix has the same number of tens lines.
    pub fn is_uniform(&self) -> bool {
        self.blocks.iter().all(|t| *t == self.tens)
    }

    /// The geometry as `kmdiag profiles` lists it: `10×10×6`, `22/22/16×10` (tens of each
    /// matrix × units), with `from D1` when the tens terminals are printed from 1.
    pub fn geometry_text(&self, tens_prefix: &str) -> String {
        let mut text = if self.is_uniform() {
            format!("{}×{}×{}", self.tens, self.units, self.matrices)
        } else {
            let tens: Vec<String> = self.blocks.iter().map(u16::to_string).collect();
            format!("{}×{}", tens.join("/"), self.units)
        };
        if self.first_tens != 0 {
            text.push_str(&format!(" from {tens_prefix}{}", self.first_tens));
        }
        text
    }
}

/// The keys of a `[[switch]]` table.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Model,
    Tens,
    Units,
    Matrices,
    FirstTens,
    Blocks,
}

/// Key names, for serde's "expected one of" messages.
const FIELDS: &[&str] = &["model", "tens", "units", "matrices", "first_tens", "blocks"];

/// The problem when `tens`/`matrices` and `blocks` are both given (reported at the second).
const EITHER_OR: &str = "give either tens and matrices (every matrix alike) or blocks (tens lines of each matrix, e.g. blocks = [22, 22, 16]), not both";

/// Reads an integer value and refuses it, at its own position, when the table already has a
/// key it contradicts.
struct Plain {
    conflict: bool,
}

impl<'de> DeserializeSeed<'de> for Plain {
    type Value = u16;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u16, D::Error> {
        let value = u16::deserialize(d)?;
        if self.conflict {
            return Err(de::Error::custom(EITHER_OR));
        }
        Ok(value)
    }
}

/// Reads `first_tens` and checks its range at its own position.
struct FirstTens;

impl<'de> DeserializeSeed<'de> for FirstTens {
    type Value = u16;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u16, D::Error> {
        let value = u16::deserialize(d)?;
        if value > MAX_FIRST_TENS {
            return Err(de::Error::custom(format!(
                "first_tens = {value}: the number printed on the first tens terminal must be 0-{MAX_FIRST_TENS} (0 for D0, 1 for D1)"
            )));
        }
        Ok(value)
    }
}

/// Reads `blocks` and checks it at its own position: 1-100 matrices of 1-100 tens lines, and
/// no `tens`/`matrices` beside it.
struct Blocks {
    conflict: bool,
}

impl<'de> DeserializeSeed<'de> for Blocks {
    type Value = Vec<u16>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<u16>, D::Error> {
        let blocks = Vec::<u16>::deserialize(d)?;
        if self.conflict {
            return Err(de::Error::custom(EITHER_OR));
        }
        if blocks.is_empty() || blocks.len() > MAX_BLOCKS {
            return Err(de::Error::custom(format!(
                "blocks lists {} matrices; a switch has 1-{MAX_BLOCKS}, each given by its tens lines (e.g. blocks = [22, 22, 16])",
                blocks.len()
            )));
        }
        if let Some((i, t)) =
            (blocks.iter().enumerate()).find(|(_, t)| !(1..=MAX_TENS).contains(*t))
        {
            return Err(de::Error::custom(format!(
                "blocks: matrix {} has {t} tens lines; each matrix has 1-{MAX_TENS}",
                i + 1
            )));
        }
        Ok(blocks)
    }
}

struct SwitchVisitor;

impl<'de> Visitor<'de> for SwitchVisitor {
    type Value = Switch;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a [[switch]] table with model, tens, units and matrices (or blocks)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Switch, A::Error> {
        let (mut model, mut tens, mut units, mut matrices) = (None, None, None, None);
        let (mut first_tens, mut blocks) = (None, None::<Vec<u16>>);
        while let Some(key) = map.next_key::<Field>()? {
            match key {
                Field::Model => model = Some(map.next_value::<String>()?),
                Field::Tens => {
                    let conflict = blocks.is_some();
                    tens = Some(map.next_value_seed(Plain { conflict })?);
                }
                Field::Units => units = Some(map.next_value::<u16>()?),
                Field::Matrices => {
                    let conflict = blocks.is_some();
                    matrices = Some(map.next_value_seed(Plain { conflict })?);
                }
                Field::FirstTens => first_tens = Some(map.next_value_seed(FirstTens)?),
                Field::Blocks => {
                    let conflict = tens.is_some() || matrices.is_some();
                    blocks = Some(map.next_value_seed(Blocks { conflict })?);
                }
            }
        }
        let model = model.ok_or_else(|| de::Error::missing_field("model"))?;
        let units = units.ok_or_else(|| de::Error::missing_field("units"))?;
        let (tens, matrices, blocks) = match blocks {
            Some(b) => (
                b.iter().copied().max().unwrap_or(0),
                b.len() as u16,
                // Matrices all alike need no list: the uniform form is the one to keep.
                if b.iter().all(|t| *t == b[0]) {
                    Vec::new()
                } else {
                    b
                },
            ),
            None => (
                tens.ok_or_else(|| de::Error::missing_field("tens"))?,
                matrices.ok_or_else(|| de::Error::missing_field("matrices"))?,
                Vec::new(),
            ),
        };
        Ok(Switch {
            model,
            tens,
            units,
            matrices,
            first_tens: first_tens.unwrap_or(0),
            blocks,
        })
    }
}

impl<'de> Deserialize<'de> for Switch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("Switch", FIELDS, SwitchVisitor)
    }
}

impl Serialize for Switch {
    /// The TOML a user would write: `tens` and `matrices` when the matrices are alike, else
    /// `blocks`; `first_tens` only when it is not 0.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_struct("Switch", 5)?;
        t.serialize_field("model", &self.model)?;
        if self.is_uniform() {
            t.serialize_field("tens", &self.tens)?;
            t.serialize_field("units", &self.units)?;
            t.serialize_field("matrices", &self.matrices)?;
        } else {
            t.serialize_field("units", &self.units)?;
            t.serialize_field("blocks", &self.blocks)?;
        }
        if self.first_tens != 0 {
            t.serialize_field("first_tens", &self.first_tens)?;
        }
        t.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn com_220u() -> Switch {
        Switch {
            blocks: vec![22, 22, 16],
            ..Switch::uniform("COM-220U", 22, 10, 3)
        }
    }

    #[test]
    fn matrices_of_different_sizes_count_their_own_lines() {
        let s = com_220u();
        assert_eq!(
            [s.tens_in(1), s.tens_in(2), s.tens_in(3), s.tens_in(4)],
            [22, 22, 16, 0]
        );
        assert_eq!(s.total_capacity(), 600);
        assert_eq!(s.lines_before(3), 440);
        assert_eq!(s.locate(440), Some((2, 220)));
        assert_eq!(s.locate(441), Some((3, 1)));
        assert_eq!(s.locate(600), Some((3, 160)));
        assert_eq!(s.locate(601), None);
        assert_eq!(s.locate(0), None);
        assert!(!s.is_uniform());
        assert_eq!(s.geometry_text("D"), "22/22/16×10");
    }

    #[test]
    fn a_uniform_switch_locates_lines_by_hundreds() {
        let s = Switch::uniform("KM100-7.2", 10, 10, 2);
        assert_eq!(s.locate(100), Some((1, 100)));
        assert_eq!(s.locate(101), Some((2, 1)));
        assert_eq!(s.locate(201), None);
        assert_eq!(s.geometry_text("D"), "10×10×2");
    }

    #[test]
    fn the_toml_form_round_trips() {
        for s in [
            com_220u(),
            Switch {
                first_tens: 1,
                ..Switch::uniform("COM-25U", 5, 5, 7)
            },
        ] {
            let text = toml::to_string(&s).unwrap();
            assert_eq!(toml::from_str::<Switch>(&text).unwrap(), s, "{text}");
        }
    }

    #[test]
    fn blocks_all_alike_are_the_uniform_form() {
        let s: Switch = toml::from_str("model = \"X\"\nunits = 10\nblocks = [8, 8, 8]\n").unwrap();
        assert_eq!(s, Switch::uniform("X", 8, 10, 3));
    }

    #[test]
    fn bad_values_are_refused_where_they_are_written() {
        let err = |text: &str| toml::from_str::<Switch>(text).unwrap_err();
        let line_of = |text: &str, e: &toml::de::Error| {
            let at = e.span().map_or(0, |s| s.start);
            text[..at].matches('\n').count() + 1
        };
        // Keys are read in name order, so a contradiction is reported at `tens` or
        // `matrices`, whichever the table has, with `blocks` named in the message.
        let text = "model = \"X\"\ntens = 10\nunits = 10\nblocks = [10, 8]\n";
        let e = err(text);
        assert!(e.message().contains("either tens and matrices"), "{e}");
        assert_eq!(line_of(text, &e), 2, "{e}");
        let text = "model = \"X\"\nunits = 10\nblocks = [10, 8]\nmatrices = 2\n";
        let e = err(text);
        assert!(e.message().contains("either tens"), "{e}");
        assert_eq!(line_of(text, &e), 4, "{e}");
        let text = "model = \"X\"\nunits = 10\nblocks = [10, 0]\n";
        let e = err(text);
        assert_eq!(line_of(text, &e), 3, "{e}");
        let e = err("model = \"X\"\nunits = 10\nblocks = [10, 0]\n");
        assert!(e.message().contains("matrix 2 has 0 tens lines"), "{e}");
        let e = err("model = \"X\"\nunits = 10\nblocks = []\n");
        assert!(e.message().contains("lists 0 matrices"), "{e}");
        let e = err("model = \"X\"\ntens = 5\nunits = 5\nmatrices = 7\nfirst_tens = 500\n");
        assert!(e.message().contains("first_tens = 500"), "{e}");
        let e = err("model = \"X\"\nunits = 10\n");
        assert!(e.message().contains("missing field `tens`"), "{e}");
        let e = err("model = \"X\"\ntens = 5\nunits = 5\nmatrices = 7\ncolour = 1\n");
        assert!(e.message().contains("unknown field `colour`"), "{e}");
    }
}
