//! The diagnosis: calibrate the healthy reading from the entrance itself, explain every reading
//! of the sweep together as a network of diodes, and name the faulty handsets and lines.
//!
//! Pure: no I/O, no clock, no randomness. Same sweep and layout in, same diagnosis out. It
//! must not borrow the simulator's constants (`sim`): it is judged on sweeps from an
//! independent physical model and from real meters.

mod coverage;
mod dropped;
mod engine;
mod fit;
mod network;
mod recheck;
mod verdict;

pub use verdict::diagnose;

pub use crate::model::Fault;
use crate::model::{Cell, Reading, Terminal};
use serde::Serialize;

/// What kmdiag concluded about one crossing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    /// A healthy handset.
    Ok,
    /// OL both ways: no handset here. Normal for a flat without one; not a fault.
    Absent,
    /// No apartment maps to this crossing.
    Unused,
    /// Not measured in this sweep.
    NotMeasured,
    /// No handset; the finite reading is a sneak path through a faulty handset elsewhere.
    Ghost,
    /// Shorted handset.
    Short,
    /// Reversed handset.
    Reversed,
    /// Leaky handset.
    Leak,
    /// High-resistance handset or contact.
    HighResistance,
    /// Cut off by an open tens or units line.
    Open,
}

impl CellState {
    /// The JSON / CSV name of the state.
    pub fn key(self) -> &'static str {
        match self {
            CellState::Ok => "ok",
            CellState::Absent => "absent",
            CellState::Unused => "unused",
            CellState::NotMeasured => "not_measured",
            CellState::Ghost => "ghost",
            CellState::Short => "short",
            CellState::Reversed => "reversed",
            CellState::Leak => "leak",
            CellState::HighResistance => "high_resistance",
            CellState::Open => "open",
        }
    }

    /// The state a handset fault gives its cell.
    pub fn of_fault(fault: Fault) -> CellState {
        match fault {
            Fault::Short => CellState::Short,
            Fault::Reversed => CellState::Reversed,
            Fault::Leak => CellState::Leak,
            Fault::HighResistance => CellState::HighResistance,
            Fault::Open => CellState::Open,
        }
    }

    /// True for the states that are faults.
    pub fn is_fault(self) -> bool {
        matches!(
            self,
            CellState::Short
                | CellState::Reversed
                | CellState::Leak
                | CellState::HighResistance
                | CellState::Open
        )
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// One handset, at one crossing.
    Handset {
        /// The crossing.
        cell: Cell,
        /// The apartment wired there, if any maps to it.
        apartment: Option<u32>,
    },
    /// A tens or units line; `other` is the second line of a bus short.
    Bus {
        /// The line.
        line: Terminal,
        /// The line it is shorted to.
        other: Option<Terminal>,
    },
}

/// One fault, how sure kmdiag is, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The handset or line.
    pub subject: Subject,
    /// The fault.
    pub fault: Fault,
    /// 0–1: how sure the diagnosis is.
    pub confidence: f64,
    /// One sentence of evidence a technician understands.
    pub evidence: String,
    /// What to do next, in the field.
    pub action: String,
}

/// The conclusion about one crossing, with its readings.
#[derive(Debug, Clone, PartialEq)]
pub struct CellReport {
    /// The crossing.
    pub cell: Cell,
    /// The apartment wired there, if any.
    pub apartment: Option<u32>,
    /// What kmdiag concluded.
    pub state: CellState,
    /// Forward reading (red on D), if measured.
    pub forward: Option<Reading>,
    /// Reverse reading (red on E), if measured.
    pub reverse: Option<Reading>,
}

/// The whole diagnosis of one matrix.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagnosis {
    /// The healthy-handset forward reading calibrated from this entrance, if any handset read.
    pub typical_forward_ohms: Option<f64>,
    /// Faults, most certain and most serious first.
    pub findings: Vec<Finding>,
    /// Every crossing, tens-major.
    pub cells: Vec<CellReport>,
    /// Remarks about the sweep as a whole (calibration fell back to the prior, few cells
    /// measured, …).
    pub notes: Vec<String>,
    /// Apartments whose crossing reads only through a sneak path — no handset there, or a bad
    /// contact hidden behind the ghost reading — to re-measure once the faults are repaired,
    /// the most suspect first (the one reading furthest under what a ghost there would read).
    pub remeasure: Vec<u32>,
    /// Apartments whose crossing was not measured in both directions, ascending: the sweep
    /// could not judge them, so the entrance cannot be called healthy. Empty when complete.
    pub not_measured: Vec<u32>,
    /// Set when the sweep does not fit the layout it was diagnosed with (`--offset`,
    /// `--matrix`, `--apartments`): what does not fit, the layout that fits best, and the
    /// faults not named by apartment because of it.
    pub layout_warning: Option<LayoutWarning>,
    /// What a technician must read before any finding (an incomplete sweep, a layout that
    /// does not fit), one sentence each.
    pub warnings: Vec<String>,
}

/// The sweep does not fit the layout given: it is probably the wrong offset, matrix or
/// apartment range.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutWarning {
    /// Crossings with no apartment that read like a healthy handset.
    pub handsets_off_layout: Vec<Cell>,
    /// Apartments whose crossing reads open both ways.
    pub apartments_open: usize,
    /// Apartments measured both ways.
    pub apartments_measured: usize,
    /// The offset and matrix that explain the sweep best, when one explains it clearly
    /// better than the layout given.
    pub suggestion: Option<LayoutSuggestion>,
    /// Handset faults found on crossings whose apartment the layout is unsure of: the fault
    /// is real, the flat's number is not (not among the findings; name them once the layout
    /// is right).
    pub withheld: Vec<Finding>,
}

/// A layout that explains the sweep better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutSuggestion {
    /// Offset: line = apartment − offset.
    pub offset: i64,
    /// Matrix (hundred), from 1.
    pub matrix: u16,
}

impl Diagnosis {
    /// True when any fault was found, named by apartment or withheld because the layout does
    /// not fit.
    pub fn has_faults(&self) -> bool {
        !self.findings.is_empty()
            || self
                .layout_warning
                .as_ref()
                .is_some_and(|w| !w.withheld.is_empty())
    }

    /// True when every apartment's crossing was measured in both directions.
    pub fn is_complete(&self) -> bool {
        self.not_measured.is_empty()
    }

    /// True only for a complete sweep with no fault found: an incomplete sweep is never
    /// healthy.
    pub fn is_healthy(&self) -> bool {
        self.is_complete() && !self.has_faults()
    }

    /// The report of one cell.
    pub fn cell(&self, cell: Cell) -> Option<&CellReport> {
        self.cells.iter().find(|c| c.cell == cell)
    }

    /// The faulty handsets of apartments, as (apartment, fault), in apartment order.
    pub fn handset_faults(&self) -> Vec<(u32, Fault)> {
        let mut v: Vec<(u32, Fault)> = self
            .findings
            .iter()
            .filter_map(|f| match f.subject {
                Subject::Handset {
                    apartment: Some(a), ..
                } => Some((a, f.fault)),
                _ => None,
            })
            .collect();
        v.sort();
        v
    }
}

/// The profile's nominal healthy forward range: a prior for calibration, never a verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForwardPrior {
    /// Low end, ohms.
    pub min: f64,
    /// High end, ohms.
    pub max: f64,
}

impl From<crate::profile::OhmsRange> for ForwardPrior {
    fn from(r: crate::profile::OhmsRange) -> Self {
        ForwardPrior {
            min: r.min,
            max: r.max,
        }
    }
}

#[cfg(test)]
mod tests;
