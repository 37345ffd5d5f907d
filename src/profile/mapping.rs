//! Apartment ⇄ cell arithmetic: line = apartment − offset, then the vendor's numbering rule
//! within a matrix, further hundreds on further matrices (domain.md §2). A matrix may hold
//! fewer lines than the one before it (Metakom COM-220U: 220, 220, 160): lines fill each
//! matrix in turn. Pure.

use super::{Numbering, Switch};
use crate::i18n::Message;
use crate::model::Cell;
use crate::msg;

/// Where an apartment's handset hangs: which matrix (1-based "hundred") and which cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Placement {
    /// Matrix (hundred), counted from 1 as on the board.
    pub matrix: u16,
    /// Crossing within that matrix.
    pub cell: Cell,
}

/// Why an apartment or cell cannot be mapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum MappingError {
    /// Apartment 0: flats are numbered from 1.
    ApartmentZero,
    /// The apartment is at or below the offset.
    BelowOffset {
        /// The apartment asked for.
        apartment: u32,
        /// The offset in force.
        offset: i64,
    },
    /// The line lands beyond the switch's last matrix.
    BeyondSwitch {
        /// The apartment asked for.
        apartment: u32,
        /// Its line number.
        line: i128,
        /// Lines on the whole switch.
        capacity: u32,
        /// Lines of the largest matrix.
        per_matrix: u32,
        /// Matrices on the switch.
        matrices: u16,
        /// Switch model.
        model: String,
    },
    /// The matrix number is not on the switch.
    NoSuchMatrix {
        /// Matrix asked for.
        matrix: u16,
        /// Matrices on the switch.
        matrices: u16,
        /// Switch model.
        model: String,
    },
    /// The crossing is beyond the tens lines of this matrix (a smaller last matrix).
    NotOnMatrix {
        /// Matrix asked for.
        matrix: u16,
        /// Tens lines that matrix has.
        tens: u16,
        /// Switch model.
        model: String,
    },
    /// The cell maps to an apartment number below 1.
    NotAnApartment {
        /// The computed number.
        apartment: i128,
    },
}

impl MappingError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            MappingError::ApartmentZero => msg!("error-mapping-zero"),
            MappingError::BelowOffset { apartment, offset } => msg!(
                "error-mapping-below-offset",
                apartment = *apartment,
                offset = *offset
            ),
            MappingError::BeyondSwitch {
                apartment,
                line,
                capacity,
                per_matrix,
                matrices,
                model,
            } => msg!(
                "error-mapping-beyond-switch",
                apartment = *apartment,
                line = line.to_string(),
                capacity = *capacity,
                model = model,
                matrices = *matrices,
                per_matrix = *per_matrix
            ),
            MappingError::NoSuchMatrix {
                matrix,
                matrices,
                model,
            } => msg!(
                "error-mapping-no-such-matrix",
                matrix = *matrix,
                model = model,
                matrices = *matrices
            ),
            MappingError::NotOnMatrix {
                matrix,
                tens,
                model,
            } => msg!(
                "error-mapping-not-on-matrix",
                matrix = *matrix,
                model = model,
                tens = *tens
            ),
            MappingError::NotAnApartment { apartment } => msg!(
                "error-mapping-not-an-apartment",
                apartment = apartment.to_string()
            ),
        }
    }
}

/// Position of a line number `l` (1..=lines of the matrix) within a matrix of `tens` tens
/// lines.
pub(crate) fn cell_of_line(numbering: Numbering, tens: u16, units: u16, l: u32) -> Cell {
    let (t, u) = (tens as u32, units as u32);
    match numbering {
        Numbering::Decimal => Cell::new(((l / u) % t) as u16, (l % u) as u16),
        Numbering::UnitsFromOne => Cell::new(((l - 1) / u) as u16, ((l - 1) % u) as u16),
    }
}

/// Line number (1..=lines of the matrix) of a cell within a matrix of `tens` tens lines.
pub(crate) fn line_of_cell(numbering: Numbering, tens: u16, units: u16, cell: Cell) -> u32 {
    let u = units as u32;
    match numbering {
        Numbering::Decimal => {
            let l = cell.tens as u32 * u + cell.units as u32;
            if l == 0 { tens as u32 * u } else { l }
        }
        Numbering::UnitsFromOne => cell.tens as u32 * u + cell.units as u32 + 1,
    }
}

/// Where apartment `apartment` sits, with `offset` subtracted first.
pub fn place(
    numbering: Numbering,
    switch: &Switch,
    offset: i64,
    apartment: u32,
) -> Result<Placement, MappingError> {
    // Apartment 0 would place (with a negative offset) but could never map back.
    if apartment == 0 {
        return Err(MappingError::ApartmentZero);
    }
    // Wide arithmetic: any u32 apartment minus any i64 offset fits in an i128.
    let line = apartment as i128 - offset as i128;
    if line < 1 {
        return Err(MappingError::BelowOffset { apartment, offset });
    }
    let Some((matrix, l)) = switch.locate(line) else {
        return Err(MappingError::BeyondSwitch {
            apartment,
            line,
            capacity: u32::try_from(switch.total_capacity()).unwrap_or(u32::MAX),
            per_matrix: switch.capacity(),
            matrices: switch.matrices,
            model: switch.model.clone(),
        });
    };
    Ok(Placement {
        matrix,
        cell: cell_of_line(numbering, switch.tens_in(matrix), switch.units, l),
    })
}

/// The apartment wired to `cell` of `matrix` (1-based) under `offset`.
pub fn apartment_at(
    numbering: Numbering,
    switch: &Switch,
    offset: i64,
    matrix: u16,
    cell: Cell,
) -> Result<u32, MappingError> {
    if matrix == 0 || matrix > switch.matrices {
        return Err(MappingError::NoSuchMatrix {
            matrix,
            matrices: switch.matrices,
            model: switch.model.clone(),
        });
    }
    let tens = switch.tens_in(matrix);
    if cell.tens >= tens || cell.units >= switch.units {
        return Err(MappingError::NotOnMatrix {
            matrix,
            tens,
            model: switch.model.clone(),
        });
    }
    let l = line_of_cell(numbering, tens, switch.units, cell) as i128;
    // Wide arithmetic: an offset near the i64 limits must not overflow.
    let apartment = offset as i128 + switch.lines_before(matrix) as i128 + l;
    u32::try_from(apartment)
        .ok()
        .filter(|a| *a >= 1)
        .ok_or(MappingError::NotAnApartment { apartment })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sw(tens: u16, units: u16, matrices: u16) -> Switch {
        Switch::uniform("test", tens, units, matrices)
    }

    #[test]
    fn decimal_rule_matches_domain_examples() {
        let s = sw(10, 10, 2);
        let at = |a| place(Numbering::Decimal, &s, 0, a).unwrap();
        assert_eq!(at(1).cell, Cell::new(0, 1));
        assert_eq!(at(9).cell, Cell::new(0, 9));
        assert_eq!(at(10).cell, Cell::new(1, 0));
        assert_eq!(at(73).cell, Cell::new(7, 3));
        assert_eq!(at(99).cell, Cell::new(9, 9));
        assert_eq!(at(100).cell, Cell::new(0, 0));
        assert_eq!(at(100).matrix, 1);
        assert_eq!(at(101).matrix, 2);
        assert_eq!(at(173).cell, Cell::new(7, 3));
    }

    #[test]
    fn units_from_one_rule_matches_domain_examples() {
        let s = sw(10, 10, 6);
        let at = |a| place(Numbering::UnitsFromOne, &s, 0, a).unwrap().cell;
        assert_eq!(at(1), Cell::new(0, 0)); // D0/E1
        assert_eq!(at(10), Cell::new(0, 9)); // D0/E10
        assert_eq!(at(11), Cell::new(1, 0)); // D1/E1
        assert_eq!(at(73), Cell::new(7, 2)); // D7/E3
        assert_eq!(at(100), Cell::new(9, 9)); // D9/E10
    }

    #[test]
    fn offsets_from_the_field_guide() {
        let s = sw(10, 10, 2);
        let at = |off, a| place(Numbering::Decimal, &s, off, a).unwrap().cell;
        assert_eq!(at(72, 73), Cell::new(0, 1));
        assert_eq!(at(70, 73), Cell::new(0, 3));
        assert_eq!(at(70, 80), Cell::new(1, 0));
    }

    #[test]
    fn below_offset_and_beyond_switch_are_errors() {
        let s = sw(10, 10, 1);
        assert!(matches!(
            place(Numbering::Decimal, &s, 72, 72),
            Err(MappingError::BelowOffset { .. })
        ));
        assert!(matches!(
            place(Numbering::Decimal, &s, 0, 101),
            Err(MappingError::BeyondSwitch { .. })
        ));
    }

    #[test]
    fn offsets_at_the_integer_limits_are_errors_not_overflows() {
        let s = sw(10, 10, 2);
        for offset in [i64::MIN, i64::MIN + 1, i64::MAX, -(u32::MAX as i64) - 5] {
            for a in [1, 100, u32::MAX] {
                let _ = place(Numbering::Decimal, &s, offset, a);
            }
            for m in [1, 2] {
                let at = apartment_at(Numbering::UnitsFromOne, &s, offset, m, Cell::new(9, 9));
                assert!(at.is_err(), "{offset}: {at:?}");
            }
        }
        assert!(matches!(
            place(Numbering::Decimal, &s, i64::MIN, 5),
            Err(MappingError::BeyondSwitch { .. })
        ));
        assert!(matches!(
            apartment_at(Numbering::Decimal, &s, i64::MAX, 2, Cell::new(9, 9)),
            Err(MappingError::NotAnApartment { .. })
        ));
    }

    /// Found by `fuzz/fuzz_targets/mapping.rs`: apartment 0 under a negative offset was
    /// placed on a crossing that maps back to no apartment.
    #[test]
    fn apartment_zero_is_no_flat_whatever_the_offset() {
        let s = sw(56, 56, 33);
        assert_eq!(
            place(Numbering::Decimal, &s, -256, 0),
            Err(MappingError::ApartmentZero)
        );
        assert!(place(Numbering::UnitsFromOne, &s, i64::MIN, 0).is_err());
    }

    proptest! {
        #[test]
        fn any_offset_and_apartment_map_or_fail_cleanly(
            offset in any::<i64>(), raw in any::<u32>(), matrices in 1u16..=100,
        ) {
            let s = sw(10, 10, matrices);
            if let Ok(p) = place(Numbering::Decimal, &s, offset, raw) {
                prop_assert_eq!(apartment_at(Numbering::Decimal, &s, offset, p.matrix, p.cell), Ok(raw));
            }
        }

        #[test]
        fn mapping_then_unmapping_returns_the_apartment(
            tens in 1u16..=22, units in 1u16..=10, matrices in 1u16..=8,
            from_one in any::<bool>(), offset in -50i64..500, raw in 1u32..2000,
        ) {
            let s = sw(tens, units, matrices);
            let numbering = if from_one { Numbering::UnitsFromOne } else { Numbering::Decimal };
            if let Ok(p) = place(numbering, &s, offset, raw) {
                prop_assert!(p.cell.tens < tens && p.cell.units < units);
                prop_assert_eq!(apartment_at(numbering, &s, offset, p.matrix, p.cell), Ok(raw));
            }
        }

        #[test]
        fn every_cell_round_trips(
            tens in 1u16..=22, units in 1u16..=10, from_one in any::<bool>(),
            t in 0u16..22, u in 0u16..10, offset in 0i64..300,
        ) {
            prop_assume!(t < tens && u < units);
            let s = sw(tens, units, 1);
            let numbering = if from_one { Numbering::UnitsFromOne } else { Numbering::Decimal };
            let a = apartment_at(numbering, &s, offset, 1, Cell::new(t, u)).unwrap();
            prop_assert_eq!(place(numbering, &s, offset, a).unwrap().cell, Cell::new(t, u));
        }
    }
}
