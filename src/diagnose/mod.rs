//! The diagnosis: calibrate the healthy reading and the meter's noise from the entrance itself,
//! explain every reading of the sweep together as a network of diodes, weigh each explanation
//! against its prior, and name the faulty handsets and lines — or say what this sweep cannot
//! tell and what to re-measure.
//!
//! The stages, in the order `engine::diagnose` calls them (each a file):
//! `grid` (readings) → `suspect` (impossible readings) → `calibrate` (handsets) →
//! `elements` (what conducts E→D) → `noise` (meter noise and wiring) → `shown_by_pairs`
//! (elements the line pairs show) → `explain` (every forward reading: handset, ghost, or a
//! handset behind a ghost) → `lines` (open lines) → `bus` (touching lines) → `joined` (two
//! shorts or a short and its twin) → `classify` (findings and the cannot-tell list) →
//! `wording` (sentences). `network` and `predict` are the sneak paths and what they read;
//! `evidence`
//! holds the priors and the likelihoods every decision is made from.
//!
//! Pure: no I/O, no clock, no randomness. Same sweep and layout in, same diagnosis out. It
//! must not borrow the simulator's constants (`sim`): it is judged on sweeps from an
//! independent physical model and from real meters.

mod bus;
mod calibrate;
mod classify;
mod coverage;
mod dropped;
mod elements;
mod engine;
mod evidence;
mod explain;
mod fit;
mod grid;
mod joined;
mod lines;
mod network;
mod noise;
mod one_point;
mod pairs;
mod predict;
mod rectangle;
mod shown_by_pairs;
mod suspect;
mod twins;
mod verdict;
mod wording;

pub use verdict::diagnose;

pub use crate::model::Fault;

/// A fault the sweep cannot name is at least as likely as not from this probability on: an
/// entrance with one is not called healthy. From even odds on, "healthy" is no longer the
/// likelier answer. The bench measures what the list's probabilities are worth: about half
/// of its entries stated at 30–60 % and three in four at 60–90 % had a fault there.
pub const LIKELY: f64 = 0.5;
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
    /// A reading no handset, wire or meter can give (far below any diode with the other
    /// direction open, or beyond any meter's range): a suspect measurement, to re-measure.
    Suspect,
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
            CellState::Suspect => "suspect",
        }
    }

    /// Every state, in the legends' order: healthy first, then what is normal, then the
    /// faults, then a reading to re-measure.
    pub const ALL: [CellState; 11] = [
        CellState::Ok,
        CellState::Absent,
        CellState::Unused,
        CellState::NotMeasured,
        CellState::Ghost,
        CellState::Short,
        CellState::Reversed,
        CellState::Leak,
        CellState::HighResistance,
        CellState::Open,
        CellState::Suspect,
    ];

    /// The state of a JSON / CSV name (`key`), if it is one.
    pub fn from_key(key: &str) -> Option<CellState> {
        CellState::ALL.into_iter().find(|s| s.key() == key)
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
    /// 0–1: the probability that this fault is here, weighed from the readings against the
    /// fault's prior (a finding is made only from `evidence::REPORT` up).
    pub confidence: f64,
    /// The measured facts the evidence sentence is made from.
    pub facts: Facts,
    /// When two touching lines make this crossing read like its twin on the other line.
    pub twin: Option<Twin>,
    /// One sentence of evidence a technician understands (from `facts`), as a catalogue
    /// message: rendered in the run's language, in English in JSON.
    pub evidence: crate::i18n::Message,
    /// What to do next, in the field (a catalogue message).
    pub action: crate::i18n::Message,
}

/// The measured facts behind a finding, in ohms and crossings: what its sentences are made of.
#[derive(Debug, Clone, PartialEq)]
pub enum Facts {
    /// A handset that conducts from E to D (short, reversed or leak).
    Backward {
        /// Forward reading (red on D), if finite.
        forward: Option<f64>,
        /// Reverse reading (red on E).
        reverse: f64,
        /// The entrance's healthy forward reading.
        typical: f64,
        /// Empty crossings whose ghost readings run through it.
        ghosts: Vec<Cell>,
    },
    /// A handset that conducts forward far above the entrance's handsets.
    HighResistance {
        /// Its forward reading.
        forward: f64,
        /// The entrance's healthy forward reading.
        typical: f64,
        /// Sneak paths of its crossing, when the reading sits under what they alone give.
        behind: Option<Behind>,
    },
    /// Every flat on a line reads open both ways.
    OpenLine {
        /// Flats the line serves.
        served: usize,
        /// Lowest and highest apartment on it.
        span: Option<(u32, u32)>,
        /// The entrance's healthy forward reading.
        typical: f64,
        /// The probability that its flats all have no handset and the wire is whole (the
        /// finding's own doubt), and the other flats' count it was judged from: with no
        /// handset, of those measured.
        all_empty: (f64, usize, usize),
    },
    /// A D–D or E–E reading no handset path explains.
    BusShortMeasured {
        /// The reading.
        ohms: f64,
    },
    /// Two lines joined at both crossings of one other line: each of those crossings reads
    /// like a short, and every other crossing of the two lines reads both lines' handsets at
    /// once. Shorts at both crossings, or a short at one with the two lines touching, read
    /// the same: certain that the lines are joined there, not which way.
    Joined {
        /// The line whose two crossings join them.
        via: Terminal,
        /// The two crossings: each with its apartment and its reverse reading, Ω.
        crossings: [(Cell, Option<u32>, f64); 2],
        /// The probability that it is one short and the two lines touching rather than two
        /// shorts (`bus::touching_chance`): under `REPORT` either way, or it would be named.
        touching: f64,
    },
    /// Two lines that read alike on every crossing, their pair not measured.
    BusShortAlike {
        /// Crossings that conduct on both and agree.
        matched: usize,
        /// How closely they agree (relative).
        within: f64,
    },
}

/// What the sneak paths of a bad contact's crossing read without it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Behind {
    /// A ghost on the meter's own range would read within this band.
    Path {
        /// Lowest a ghost there may read (noise, wiring and parallel paths allowed for).
        low: f64,
        /// Highest.
        high: f64,
    },
    /// The ghosts through the same faulty handset made the meter drop range and read this.
    Dropped {
        /// Lowest of them.
        low: f64,
        /// Highest.
        high: f64,
        /// The least a ghost along the crossing's own handsets reads among them, where that
        /// is what puts the reading under them (their paths sum differently on the first
        /// range, and the meter's smaller current scales the sums).
        own_path: Option<f64>,
    },
}

/// The twin crossing of a finding on touching lines: it reads the same through the wires,
/// a little higher (when the two read alike within the noise, neither is named and both go on
/// the cannot-tell list).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Twin {
    /// The other crossing.
    pub cell: Cell,
    /// Its apartment, if any maps there.
    pub apartment: Option<u32>,
    /// Where the pair's forward and reverse readings together placed the fault
    /// (`one_point::Touching::reversed_at`): the ohms of touching wire they show on the twin's
    /// side, in all four readings. None where the twin's own reading was enough.
    pub sided: Option<f64>,
    /// Where the pair's forward readings showed the twin has no handset of its own (a leak's
    /// twin, `one_point::Touching::leak_at`): how much more than the fault's crossing it read
    /// forward, Ω.
    pub unoccupied: Option<f64>,
}

/// Why a crossing or line cannot be judged from this sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Doubt {
    /// Reads only through a sneak path: no handset, or one hidden behind the ghost reading (a
    /// bad contact there looks the same until the faults are repaired).
    BehindGhost,
    /// Reads under what its ghost should, more than noise explains but not clearly enough to
    /// name a bad contact.
    MaybeBadContact,
    /// Reads above the entrance's handsets, but not clearly enough to name a bad contact.
    MaybeHighResistance,
    /// Its reverse reading is a sneak path's: a leak there would read the same.
    BehindReverseGhost,
    /// Conducts from E to D, but the readings do not say clearly which fault it is.
    UnclearKind,
    /// Every flat on the line reads open: a broken line, or none of them has a handset.
    LineOrEmptyFlats,
    /// A reading no handset, wire or meter can give.
    SuspectReading,
    /// Reads the same as its twin crossing through two touching lines: the fault is on one
    /// of the two.
    TwinCrossing,
    /// Reads the same as its twin crossing on another line that two named shorts join to its
    /// own: the fault is on one of the two, told apart once the shorts are repaired.
    TwinThroughShorts,
    /// Reads the same as its twin crossing on another line joined to its own either through
    /// a second short or by touching wires (a short listed as maybe the other's twin): one
    /// point either way, so the fault is on one of the two, told apart once the shorts are
    /// repaired and any touching wires separated.
    TwinJoinedLines,
    /// Reads open forward and, in reverse, what the handset at the far corner of two named
    /// shorts reads forward: the shorts join its lines to that corner's the other way round,
    /// so a handset wired the wrong way round here reads just like that one (and beside it,
    /// the two in parallel read much as one), told apart once the shorts are repaired.
    ReversedBehindShorts,
    /// Two lines may touch, but the readings do not show it clearly.
    MaybeTouching,
    /// On a line that touches another: it reads in parallel with its twin crossing, so a
    /// missing handset or a bad contact there does not show until the lines are separated.
    BehindTouchingLines,
    /// Reads like a short, but so would the twin of another short through two lines
    /// touching: a second short, or touching lines.
    ShortOrTwin,
    /// Two lines certainly joined, at both crossings of one of two other lines (four crossings
    /// at a rectangle's corners read low both ways: three shorts, and the fourth reads their
    /// path), where the sweep cannot tell which.
    JoinedUnplaced,
}

impl Doubt {
    /// The JSON name of the reason.
    pub fn key(self) -> &'static str {
        match self {
            Doubt::BehindGhost => "behind_ghost",
            Doubt::MaybeBadContact => "maybe_bad_contact",
            Doubt::MaybeHighResistance => "maybe_high_resistance",
            Doubt::BehindReverseGhost => "behind_reverse_ghost",
            Doubt::UnclearKind => "unclear_kind",
            Doubt::LineOrEmptyFlats => "line_or_empty_flats",
            Doubt::SuspectReading => "suspect_reading",
            Doubt::TwinCrossing => "twin_crossing",
            Doubt::TwinThroughShorts => "twin_through_shorts",
            Doubt::TwinJoinedLines => "twin_joined_lines",
            Doubt::ReversedBehindShorts => "reversed_behind_shorts",
            Doubt::MaybeTouching => "maybe_touching",
            Doubt::BehindTouchingLines => "behind_touching_lines",
            Doubt::ShortOrTwin => "short_or_twin",
            Doubt::JoinedUnplaced => "joined_unplaced",
        }
    }
}

/// A crossing or line this sweep cannot settle: why, and what to re-measure.
#[derive(Debug, Clone, PartialEq)]
pub struct CannotTell {
    /// The crossing (with its apartment) or the line.
    pub subject: Subject,
    /// Why.
    pub reason: Doubt,
    /// The fault it may be, if the doubt is about one.
    pub fault: Option<Fault>,
    /// The probability that a fault is there, as far as this sweep says (0–1).
    pub fault_probability: f64,
    /// True when only a sweep after the findings are repaired can settle it.
    pub after_repair: bool,
    /// What to re-measure, in the field (a catalogue message).
    pub remeasure: crate::i18n::Message,
}

/// What the sweep itself says about the meter and the wiring.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Measured {
    /// Relative noise of one reading (standard deviation ÷ reading).
    pub noise: f64,
    /// Ghost readings the noise was measured on (0: the prior alone).
    pub noise_from: usize,
    /// Wire resistance double counted by a sneak path through one faulty handset (both its
    /// lines, twice, and two probe contacts), Ω, measured on its ghosts; None when no faulty
    /// handset had ghosts enough to measure it.
    pub wiring: Option<f64>,
    /// The median of the meter's relative noise as the sweep's lone readings leave it possible
    /// (the probability a ghost's shortfall is weighed over; the prior's median with nothing
    /// to measure).
    pub noise_median: f64,
    /// Lone readings (in groups of two or more through one faulty handset) that probability
    /// rested on (0: the prior alone).
    pub noise_median_from: usize,
    /// The 95th percentile of that probability: the meter scatters more than this one sweep
    /// in twenty, if the probability is right.
    pub noise_p95: f64,
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
    pub notes: Vec<crate::i18n::Message>,
    /// Crossings and lines this sweep cannot settle, the likeliest fault first: why, and what
    /// to re-measure.
    pub cannot_tell: Vec<CannotTell>,
    /// The apartments of `cannot_tell`, in its order: the flats to re-measure.
    pub remeasure: Vec<u32>,
    /// The meter's noise and the wiring as this sweep measured them.
    pub measured: Measured,
    /// Apartments whose crossing was not measured in both directions, ascending: the sweep
    /// could not judge them, so the entrance cannot be called healthy. Empty when complete.
    pub not_measured: Vec<u32>,
    /// Set when the sweep does not fit the layout it was diagnosed with (`--offset`,
    /// `--matrix`, `--apartments`): what does not fit, the layout that fits best, and the
    /// faults not named by apartment because of it.
    pub layout_warning: Option<LayoutWarning>,
    /// What a technician must read before any finding (an incomplete sweep, a layout that
    /// does not fit), one catalogue message each.
    pub warnings: Vec<crate::i18n::Message>,
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

    /// True when every apartment's crossing was measured in both directions, and none of
    /// those readings is one no handset or meter gives (a suspect reading cannot be judged
    /// either: `suspect`).
    pub fn is_complete(&self) -> bool {
        self.not_measured.is_empty() && self.suspect().is_empty()
    }

    /// True only for a complete sweep with no fault found and none likely: an incomplete
    /// sweep is never healthy, nor one whose cannot-tell list holds a fault more likely than
    /// not (`is_unsettled`).
    pub fn is_healthy(&self) -> bool {
        self.is_complete() && !self.has_faults() && !self.is_unsettled()
    }

    /// The cannot-tell entries where a fault is at least as likely as not (`LIKELY`), likeliest
    /// first: the sweep cannot name them, but they are not good news either.
    pub fn likely_unnamed(&self) -> impl Iterator<Item = &CannotTell> {
        (self.cannot_tell.iter()).filter(|c| c.fault_probability >= LIKELY)
    }

    /// True when no fault is named but the cannot-tell list holds one at least as likely as not (a
    /// silent line whose flats are unlikely to be all empty, say): the entrance could not be
    /// judged whole, so it is not called healthy (exit 4).
    pub fn is_unsettled(&self) -> bool {
        !self.has_faults() && self.likely_unnamed().next().is_some()
    }

    /// Apartments whose crossing gave a reading no handset, wire or meter can give (state
    /// `suspect`): set aside, never judged; re-measure them.
    pub fn suspect(&self) -> Vec<u32> {
        self.cells
            .iter()
            .filter(|c| c.state == CellState::Suspect)
            .filter_map(|c| c.apartment)
            .collect()
    }

    /// The report of one cell. `cells` holds every crossing once, tens-major, so the cell is
    /// first looked for at its position in that order (the renderers ask for every cell of the
    /// grid, and a search per cell made drawing quadratic); a list in any other order is
    /// searched.
    pub fn cell(&self, cell: Cell) -> Option<&CellReport> {
        let units = self
            .cells
            .last()
            .map_or(0, |c| usize::from(c.cell.units) + 1);
        let at = usize::from(cell.tens) * units + usize::from(cell.units);
        match self.cells.get(at) {
            Some(c) if c.cell == cell => Some(c),
            _ => self.cells.iter().find(|c| c.cell == cell),
        }
    }

    /// Apartments on the cannot-tell list that only a sweep after the repair can settle, in
    /// the list's order.
    pub fn remeasure_after_repair(&self) -> Vec<u32> {
        self.cannot_tell
            .iter()
            .filter(|c| c.after_repair)
            .filter_map(|c| match c.subject {
                Subject::Handset {
                    apartment: Some(a), ..
                } => Some(a),
                _ => None,
            })
            .collect()
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
