//! The layout of one matrix of one entrance: which apartment sits on which crossing, and which
//! crossings are in use, from a profile, a switch, an offset, an apartment range and an
//! optional explicit map. Pure.

use super::mapping::{self, MappingError};
use super::{LineLabels, Numbering, Profile, Switch};
use crate::i18n::Message;
use crate::model::Cell;
use crate::msg;
use std::ops::RangeInclusive;

/// What the technician said about the entrance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutSpec {
    /// Subtracted from apartment numbers to get line numbers.
    pub offset: i64,
    /// Apartments wired to the switch; `None` means every line of the matrix is in use.
    pub apartments: Option<Vec<RangeInclusive<u32>>>,
    /// Which matrix (1-based) the sweep is from; `None` works it out from the apartments.
    pub matrix: Option<u16>,
    /// Explicit apartment → cell map that overrides the arithmetic.
    pub map: Option<Vec<(u32, Cell)>>,
    /// Flats known to have no handset (from a building plan).
    pub known_absent: Vec<u32>,
}

/// Why a layout cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum LayoutError {
    /// An apartment does not map.
    #[error(transparent)]
    Mapping(#[from] MappingError),
    /// The apartments span several matrices and no `--matrix` says which one was swept.
    SeveralMatrices {
        /// First apartment.
        first: u32,
        /// Last apartment.
        last: u32,
        /// Matrices touched.
        matrices: Vec<u16>,
    },
    /// No apartment of the range is on the chosen matrix.
    EmptyMatrix {
        /// The matrix.
        matrix: u16,
    },
    /// The offset or map leaves no apartment on the matrix: a diagnosis would name no flat.
    NoApartments {
        /// The matrix.
        matrix: u16,
        /// Switch model.
        model: String,
        /// What placed the apartments ("offset 5000", "the map file").
        how: Message,
        /// The flags to check.
        check: Message,
    },
    /// A mapped cell is outside the switch.
    MapOutside {
        /// The apartment.
        apartment: u32,
        /// Its cell as written.
        cell: String,
        /// Switch model.
        model: String,
    },
}

/// One matrix of one entrance, ready for diagnosis.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Profile name.
    pub profile: String,
    /// Switch model.
    pub switch: Switch,
    /// Matrix (hundred), 1-based.
    pub matrix: u16,
    /// Offset in force.
    pub offset: i64,
    /// Terminal labels as printed.
    pub labels: LineLabels,
    /// True when an explicit map placed the apartments.
    pub explicit_map: bool,
    /// Flats known to have no handset.
    pub known_absent: Vec<u32>,
    /// How line numbers become crossings on this switch.
    pub numbering: Numbering,
    /// The apartment ranges given (`--apartments`); `None` when every line is in use.
    pub ranges: Option<Vec<RangeInclusive<u32>>>,
    apartments: Vec<Option<u32>>,
}

impl LayoutError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            LayoutError::Mapping(e) => e.message(),
            LayoutError::SeveralMatrices {
                first,
                last,
                matrices,
            } => msg!(
                "error-layout-several-matrices",
                first = *first,
                last = *last,
                matrices = crate::i18n::Arg::list(matrices.iter().map(|m| u64::from(*m)))
            ),
            LayoutError::EmptyMatrix { matrix } => {
                msg!("error-layout-empty-matrix", matrix = *matrix)
            }
            LayoutError::NoApartments {
                matrix,
                model,
                how,
                check,
            } => msg!(
                "error-layout-no-apartments",
                matrix = *matrix,
                model = model,
                how = how.clone(),
                check = check.clone()
            ),
            LayoutError::MapOutside {
                apartment,
                cell,
                model,
            } => msg!(
                "error-layout-map-outside",
                apartment = *apartment,
                cell = crate::i18n::Arg::line(cell),
                model = model
            ),
        }
    }
}

/// Parses `73-144`, `5`, or `1-20,31-40` into ranges.
pub fn parse_apartments(text: &str) -> Result<Vec<RangeInclusive<u32>>, Message> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let num = |s: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| msg!("apartments-not-a-range", part = crate::input::clip(part)))
        };
        let (a, b) = (num(a)?, num(b)?);
        if a == 0 || b < a {
            return Err(msg!(
                "apartments-backwards",
                part = crate::input::clip(part)
            ));
        }
        out.push(a..=b);
    }
    if out.is_empty() {
        return Err(msg!("apartments-empty"));
    }
    Ok(out)
}

/// The matrices (1-based, ascending) that apartments `ranges` occupy under `offset`, from
/// each range's first and last flat (lines run in order, so the matrices between are taken
/// too). An apartment that does not map is the error.
pub fn matrices_touched(
    profile: &Profile,
    switch: &Switch,
    offset: i64,
    ranges: &[RangeInclusive<u32>],
) -> Result<Vec<u16>, MappingError> {
    let mut matrices = Vec::new();
    for r in ranges {
        let first = mapping::place(profile.numbering, switch, offset, *r.start())?.matrix;
        let last = mapping::place(profile.numbering, switch, offset, *r.end())?.matrix;
        matrices.extend(first..=last);
    }
    matrices.sort_unstable();
    matrices.dedup();
    Ok(matrices)
}

impl Layout {
    /// Builds the layout; every apartment must map, and onto one matrix.
    pub fn build(
        profile: &Profile,
        switch: &Switch,
        spec: &LayoutSpec,
    ) -> Result<Self, LayoutError> {
        let placed = place_ranges(profile, switch, spec)?;
        let matrix = choose_matrix(switch, spec, &placed)?;
        let labels = profile.matrix_labels(switch, matrix);
        let mut grid = Grid::new(switch, matrix);
        match &spec.map {
            Some(map) => grid.fill_from_map(profile, switch, spec, map)?,
            None if spec.apartments.is_some() => grid.fill_from_placed(&placed, matrix)?,
            None => grid.fill_from_numbering(profile, switch, spec, matrix)?,
        }
        if grid.apartments.iter().all(Option::is_none) {
            return Err(no_apartments(switch, spec, matrix));
        }
        Ok(Layout {
            profile: profile.name.clone(),
            switch: switch.clone(),
            matrix,
            offset: spec.offset,
            labels,
            explicit_map: spec.map.is_some(),
            known_absent: spec.known_absent.clone(),
            numbering: profile.numbering,
            ranges: spec.apartments.clone(),
            apartments: grid.apartments,
        })
    }

    /// Tens lines of this matrix.
    pub fn tens(&self) -> u16 {
        self.switch.tens_in(self.matrix)
    }

    /// Units lines.
    pub fn units(&self) -> u16 {
        self.switch.units
    }

    /// The apartment wired to a cell, if that cell is in use.
    pub fn apartment(&self, cell: Cell) -> Option<u32> {
        if cell.tens >= self.tens() || cell.units >= self.units() {
            return None;
        }
        self.apartments[cell.tens as usize * self.units() as usize + cell.units as usize]
    }

    /// The cell an apartment of this layout sits on.
    pub fn cell_of(&self, apartment: u32) -> Option<Cell> {
        self.cells().find(|c| self.apartment(*c) == Some(apartment))
    }

    /// Every cell of this matrix, tens-major.
    pub fn cells(&self) -> impl Iterator<Item = Cell> + use<> {
        let units = self.units();
        (0..self.tens()).flat_map(move |t| (0..units).map(move |u| Cell::new(t, u)))
    }

    /// Labels, for convenience.
    pub fn line_labels(&self) -> &LineLabels {
        &self.labels
    }

    /// The crossing of line `l` (1 to this matrix's capacity) within this matrix, by this
    /// layout's numbering: where the apartment `offset + lines before this matrix + l` sits.
    pub fn cell_of_line(&self, l: u32) -> Cell {
        mapping::cell_of_line(self.numbering, self.tens(), self.units(), l)
    }
}

/// Takes the profile, switch and what was said; gives where the numbering places each
/// apartment of the given ranges (none when a map places them or no ranges were given).
fn place_ranges(
    profile: &Profile,
    switch: &Switch,
    spec: &LayoutSpec,
) -> Result<Vec<(u32, mapping::Placement)>, LayoutError> {
    let mut placed = Vec::new();
    if let (None, Some(ranges)) = (&spec.map, &spec.apartments) {
        for a in ranges.iter().flat_map(|r| r.clone()) {
            placed.push((
                a,
                mapping::place(profile.numbering, switch, spec.offset, a)?,
            ));
        }
    }
    Ok(placed)
}

/// Takes the switch, what was said and the placed apartments; gives the matrix: the one
/// said, else the one the placed apartments share (several is an error), else the first.
/// A matrix the switch lacks is an error.
fn choose_matrix(
    switch: &Switch,
    spec: &LayoutSpec,
    placed: &[(u32, mapping::Placement)],
) -> Result<u16, LayoutError> {
    let matrix = match (&spec.map, &spec.apartments) {
        (None, Some(_)) => {
            let mut matrices: Vec<u16> = placed.iter().map(|(_, p)| p.matrix).collect();
            matrices.sort_unstable();
            matrices.dedup();
            match (spec.matrix, matrices.as_slice()) {
                (Some(m), _) => m,
                (None, [one]) => *one,
                (None, _) => {
                    return Err(LayoutError::SeveralMatrices {
                        first: placed.first().map_or(0, |p| p.0),
                        last: placed.last().map_or(0, |p| p.0),
                        matrices,
                    });
                }
            }
        }
        _ => spec.matrix.unwrap_or(1),
    };
    if matrix == 0 || matrix > switch.matrices {
        return Err(MappingError::NoSuchMatrix {
            matrix,
            matrices: switch.matrices,
            model: switch.model.clone(),
        }
        .into());
    }
    Ok(matrix)
}

/// The crossings of one matrix, each with the apartment wired to it, if any, while a
/// layout is built.
struct Grid {
    /// Tens lines of this matrix (a smaller last matrix has fewer).
    tens: u16,
    /// Units lines.
    units: u16,
    /// By crossing, tens-major.
    apartments: Vec<Option<u32>>,
}

impl Grid {
    /// Takes the switch and the matrix; gives its crossings, none wired yet.
    fn new(switch: &Switch, matrix: u16) -> Self {
        Grid {
            tens: switch.tens_in(matrix),
            units: switch.units,
            apartments: vec![None; switch.capacity_of(matrix) as usize],
        }
    }

    /// The index of `c` in `apartments`.
    fn index(&self, c: Cell) -> usize {
        c.tens as usize * self.units as usize + c.units as usize
    }

    /// Takes an explicit map; wires each of its apartments that was asked for. A crossing
    /// outside this matrix is an error.
    fn fill_from_map(
        &mut self,
        profile: &Profile,
        switch: &Switch,
        spec: &LayoutSpec,
        map: &[(u32, Cell)],
    ) -> Result<(), LayoutError> {
        let wanted = |a: u32| {
            spec.apartments
                .as_ref()
                .is_none_or(|r| r.iter().any(|r| r.contains(&a)))
        };
        for &(apartment, cell) in map.iter().filter(|(a, _)| wanted(*a)) {
            if cell.tens >= self.tens || cell.units >= self.units {
                return Err(LayoutError::MapOutside {
                    apartment,
                    cell: profile.line_labels(switch).cell_label(cell),
                    model: switch.model.clone(),
                });
            }
            let i = self.index(cell);
            self.apartments[i] = Some(apartment);
        }
        Ok(())
    }

    /// Takes the placed apartments of the given ranges; wires those on this matrix. None
    /// there is an error.
    fn fill_from_placed(
        &mut self,
        placed: &[(u32, mapping::Placement)],
        matrix: u16,
    ) -> Result<(), LayoutError> {
        for (a, p) in placed.iter().filter(|(_, p)| p.matrix == matrix) {
            let i = self.index(p.cell);
            self.apartments[i] = Some(*a);
        }
        if self.apartments.iter().all(Option::is_none) {
            return Err(LayoutError::EmptyMatrix { matrix });
        }
        Ok(())
    }

    /// Takes the profile, switch and offset; wires every crossing of this matrix that the
    /// numbering gives an apartment (every line in use).
    fn fill_from_numbering(
        &mut self,
        profile: &Profile,
        switch: &Switch,
        spec: &LayoutSpec,
        matrix: u16,
    ) -> Result<(), LayoutError> {
        for t in 0..self.tens {
            for u in 0..self.units {
                let cell = Cell::new(t, u);
                match mapping::apartment_at(profile.numbering, switch, spec.offset, matrix, cell) {
                    Ok(a) => {
                        let i = self.index(cell);
                        self.apartments[i] = Some(a);
                    }
                    Err(MappingError::NotAnApartment { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(())
    }
}

/// Takes the switch, what was said and the matrix; gives the error for a layout with no
/// apartment, saying how the apartments were placed and what to check.
fn no_apartments(switch: &Switch, spec: &LayoutSpec, matrix: u16) -> LayoutError {
    let (how, check) = match (&spec.map, &spec.apartments) {
        (Some(_), Some(_)) => (
            msg!("layout-by-map-and-apartments"),
            msg!("layout-check-map-lists-apartments"),
        ),
        (Some(_), None) => (msg!("layout-by-map"), msg!("file-map")),
        (None, _) => (
            msg!("layout-by-offset", offset = spec.offset),
            msg!("layout-check-offset-matrix"),
        ),
    };
    LayoutError::NoApartments {
        matrix,
        model: switch.model.clone(),
        how,
        check,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::resolve;

    #[test]
    fn apartments_73_to_144_with_offset_72_fill_one_matrix() {
        let p = resolve("vizit").unwrap();
        let s = p.switch(None).unwrap();
        let spec = LayoutSpec {
            offset: 72,
            apartments: Some(parse_apartments("73-144").unwrap()),
            ..Default::default()
        };
        let l = Layout::build(&p, s, &spec).unwrap();
        assert_eq!(l.matrix, 1);
        assert_eq!(l.apartment(Cell::new(0, 1)), Some(73));
        assert_eq!(l.apartment(Cell::new(7, 2)), Some(144));
        assert_eq!(l.apartment(Cell::new(7, 3)), None);
        assert_eq!(l.cell_of(80), Some(Cell::new(0, 8)));
    }

    #[test]
    fn apartments_spanning_two_matrices_need_a_matrix() {
        let p = resolve("vizit").unwrap();
        let s = p.switch(None).unwrap();
        let spec = LayoutSpec {
            apartments: Some(parse_apartments("90-110").unwrap()),
            ..Default::default()
        };
        assert!(matches!(
            Layout::build(&p, s, &spec),
            Err(LayoutError::SeveralMatrices { .. })
        ));
        let spec = LayoutSpec {
            matrix: Some(2),
            ..spec
        };
        let l = Layout::build(&p, s, &spec).unwrap();
        assert_eq!(l.apartment(Cell::new(0, 1)), Some(101));
        assert_eq!(l.apartment(Cell::new(9, 9)), None);
    }

    #[test]
    fn an_offset_or_map_that_leaves_no_apartment_is_an_error() {
        let p = resolve("eltis").unwrap();
        let s = p.switch(None).unwrap();
        for offset in [-1000, u32::MAX as i64, i64::MIN, i64::MAX] {
            let spec = LayoutSpec {
                offset,
                ..Default::default()
            };
            let e = Layout::build(&p, s, &spec).unwrap_err();
            assert!(
                matches!(e, LayoutError::NoApartments { .. }),
                "{offset}: {e}"
            );
        }
        let spec = LayoutSpec {
            apartments: Some(vec![1..=10]),
            map: Some(vec![(50, Cell::new(5, 0))]),
            ..Default::default()
        };
        let e = Layout::build(&p, s, &spec).unwrap_err().to_string();
        assert!(e.contains("map file"), "{e}");
    }

    #[test]
    fn the_matrices_a_range_touches_include_those_between() {
        let p = resolve("metakom").unwrap();
        let s = p.switch(Some("COM-220U")).unwrap();
        let touched = |r: Vec<RangeInclusive<u32>>| matrices_touched(&p, s, 0, &r);
        assert_eq!(touched(vec![200..=230]), Ok(vec![1, 2]));
        assert_eq!(touched(vec![1..=600]), Ok(vec![1, 2, 3]));
        assert_eq!(touched(vec![5..=6, 450..=451]), Ok(vec![1, 3]));
        assert!(touched(vec![590..=610]).is_err());
        let spec = LayoutSpec {
            apartments: Some(vec![430..=450]),
            matrix: Some(3),
            ..Default::default()
        };
        let l = Layout::build(&p, s, &spec).unwrap();
        assert_eq!((l.tens(), l.cells().count()), (16, 160));
        assert_eq!(l.apartment(Cell::new(0, 0)), Some(441));
        assert_eq!(l.line_labels().expected().en(), "D0-D15 or E1-E10");
    }

    #[test]
    fn a_matrix_the_switch_lacks_is_refused_first() {
        let p = resolve("eltis").unwrap();
        let s = p.switch(None).unwrap();
        let spec = LayoutSpec {
            matrix: Some(2),
            map: Some(vec![(5, Cell::new(0, 5))]),
            ..Default::default()
        };
        assert!(matches!(
            Layout::build(&p, s, &spec),
            Err(LayoutError::Mapping(MappingError::NoSuchMatrix { .. }))
        ));
    }

    #[test]
    fn apartment_ranges_parse_and_reject_nonsense() {
        assert_eq!(
            parse_apartments("1-20,31-40").unwrap(),
            vec![1..=20, 31..=40]
        );
        assert!(parse_apartments("20-1").is_err());
        assert!(parse_apartments("abc").is_err());
        assert!(parse_apartments("0-5").is_err());
    }
}
