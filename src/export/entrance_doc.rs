//! The JSON document of one diagnosed entrance (schema `SCHEMA_VERSION`), as `Serialize`
//! types that borrow from the report and are written straight to the output: no JSON value
//! tree is built, so a district's `check --format jsonl` spends its time diagnosing, not
//! allocating maps. This file is the one definition of the entrance document's keys, their
//! order and their rounding; `json.rs` and `cmd/check.rs` only choose the header keys and the
//! layout (compact or pretty). Pure: no I/O.

use super::EntranceReport;
use crate::diagnose::{CannotTell, CellState, Diagnosis, Facts, Finding, Subject};
use crate::i18n::Message;
use crate::model::Terminal;
use crate::profile::LineLabels;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// Rounds a value in ohms (or a probability) to 3 decimals, as every document has written it.
fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Rounds the relative noise to 5 decimals: it is a few 1e-3, so 5 keep two significant
/// digits, as every document has written it.
fn round_noise(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// One entrance's document. The header keys (`schema_version`, `record`, `date`) are written
/// only when set, in the places the documents have always had them.
#[derive(Serialize)]
pub struct EntranceDoc<'a> {
    /// The schema version, first, for a document that stands alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_version: Option<u32>,
    /// The kind of line in `check --format jsonl` (`entrance`).
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<&'static str>,
    entrance: &'a Option<String>,
    /// The report's date, right after the entrance it dates, when the command set one.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    source: &'a str,
    meter: &'a Option<String>,
    measured_at: &'a Option<String>,
    profile: &'a str,
    switch: &'a str,
    matrix: u16,
    offset: i64,
    typical_forward_ohms: Option<f64>,
    healthy: bool,
    complete: bool,
    not_measured_apartments: &'a [u32],
    warnings: &'a [Message],
    layout_warning: Option<LayoutWarningDoc<'a>>,
    summary: SummaryDoc,
    findings: FindingsDoc<'a>,
    cells: CellsDoc<'a>,
    bus_checks: BusDoc<'a>,
    notes: &'a [Message],
    cannot_tell: CannotTellDoc<'a>,
    remeasure_after_repair: Vec<u32>,
    measured: MeasuredDoc,
    entrance_notes: &'a [String],
}

impl<'a> EntranceDoc<'a> {
    /// The document of `e`, with no header keys (as it sits inside a building document).
    pub fn new(e: &'a EntranceReport) -> EntranceDoc<'a> {
        let labels = &e.layout.labels;
        let d = &e.diagnosis;
        EntranceDoc {
            schema_version: None,
            record: None,
            entrance: &e.entrance,
            date: None,
            source: &e.source,
            meter: &e.meter,
            measured_at: &e.measured_at,
            profile: &e.layout.profile,
            switch: &e.layout.switch.model,
            matrix: e.layout.matrix,
            offset: e.layout.offset,
            typical_forward_ohms: d.typical_forward_ohms.map(round),
            healthy: d.is_healthy(),
            complete: d.is_complete(),
            not_measured_apartments: &d.not_measured,
            warnings: &d.warnings,
            layout_warning: d.layout_warning.as_ref().map(|w| LayoutWarningDoc {
                handsets_off_layout: w
                    .handsets_off_layout
                    .iter()
                    .map(|c| labels.cell_label(*c))
                    .collect(),
                apartments_open: w.apartments_open,
                apartments_measured: w.apartments_measured,
                suggestion: w.suggestion.map(|s| SuggestionDoc {
                    offset: s.offset,
                    matrix: s.matrix,
                }),
                withheld_findings: FindingsDoc(&w.withheld, labels),
            }),
            summary: SummaryDoc::of(d),
            findings: FindingsDoc(&d.findings, labels),
            cells: CellsDoc(d, labels),
            bus_checks: BusDoc(e),
            notes: &d.notes,
            cannot_tell: CannotTellDoc(&d.cannot_tell, labels),
            remeasure_after_repair: d.remeasure_after_repair(),
            measured: MeasuredDoc {
                noise: round_noise(d.measured.noise),
                noise_from_readings: d.measured.noise_from,
                wiring_ohms: d.measured.wiring.map(round),
            },
            entrance_notes: &e.notes,
        }
    }

    /// With `schema_version` first: a document that stands alone (a diagnosis, a JSON line).
    pub fn versioned(self) -> EntranceDoc<'a> {
        EntranceDoc {
            schema_version: Some(super::SCHEMA_VERSION),
            ..self
        }
    }

    /// With `record` (the kind of JSON line) after the schema version.
    pub fn record(self, record: &'static str) -> EntranceDoc<'a> {
        EntranceDoc {
            record: Some(record),
            ..self
        }
    }

    /// With the report's date after the entrance, when the command set one.
    pub fn dated(self, date: Option<&'a str>) -> EntranceDoc<'a> {
        EntranceDoc { date, ..self }
    }
}

/// A sweep that does not fit its layout: what does not fit, the layout that fits best, and
/// the faults kept off `findings` because their apartment is uncertain.
#[derive(Serialize)]
struct LayoutWarningDoc<'a> {
    handsets_off_layout: Vec<String>,
    apartments_open: usize,
    apartments_measured: usize,
    suggestion: Option<SuggestionDoc>,
    withheld_findings: FindingsDoc<'a>,
}

/// The layout that explains the sweep better.
#[derive(Serialize)]
struct SuggestionDoc {
    offset: i64,
    matrix: u16,
}

/// How many crossings are in each state, and how many faults.
#[derive(Serialize)]
struct SummaryDoc {
    apartments: usize,
    handsets_ok: usize,
    absent: usize,
    ghosts: usize,
    not_measured: usize,
    suspect: usize,
    faults: usize,
}

impl SummaryDoc {
    /// Counts the crossings of `d` in one pass.
    fn of(d: &Diagnosis) -> SummaryDoc {
        let mut s = SummaryDoc {
            apartments: 0,
            handsets_ok: 0,
            absent: 0,
            ghosts: 0,
            not_measured: 0,
            suspect: 0,
            faults: d.findings.len(),
        };
        for c in &d.cells {
            s.apartments += usize::from(c.apartment.is_some());
            match c.state {
                CellState::Ok => s.handsets_ok += 1,
                CellState::Absent => s.absent += 1,
                CellState::Ghost => s.ghosts += 1,
                CellState::NotMeasured => s.not_measured += 1,
                CellState::Suspect => s.suspect += 1,
                _ => {}
            }
        }
        s
    }
}

/// The meter's noise and the wiring as the sweep measured them.
#[derive(Serialize)]
struct MeasuredDoc {
    noise: f64,
    noise_from_readings: usize,
    wiring_ohms: Option<f64>,
}

/// Writes who a finding or a cannot-tell entry is about — a handset (apartment and its
/// crossing's labels) or a line (and the line it touches) — as the first keys of its map.
fn subject_entries<M: SerializeMap>(
    m: &mut M,
    subject: &Subject,
    labels: &LineLabels,
) -> Result<(), M::Error> {
    match subject {
        Subject::Handset { cell, apartment } => {
            let (tens, units) = labels.cell(*cell);
            m.serialize_entry("kind", "handset")?;
            m.serialize_entry("apartment", apartment)?;
            m.serialize_entry("tens", tens)?;
            m.serialize_entry("units", units)
        }
        Subject::Bus { line, other } => {
            m.serialize_entry("kind", "bus")?;
            m.serialize_entry("bus", labels.label(*line))?;
            m.serialize_entry("other", &other.map(|t: Terminal| labels.label(t)))
        }
    }
}

/// Findings (or withheld findings), each a map: subject, fault, confidence, evidence, action,
/// and where two lines are joined (README, JSON).
struct FindingsDoc<'a>(&'a [Finding], &'a LineLabels);

impl Serialize for FindingsDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|f| FindingDoc(f, self.1)))
    }
}

/// One finding.
struct FindingDoc<'a>(&'a Finding, &'a LineLabels);

impl Serialize for FindingDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (f, labels) = (self.0, self.1);
        let mut m = s.serialize_map(None)?;
        subject_entries(&mut m, &f.subject, labels)?;
        m.serialize_entry("fault", f.fault.key())?;
        m.serialize_entry("confidence", &round(f.confidence))?;
        m.serialize_entry("evidence", &f.evidence)?;
        m.serialize_entry("action", &f.action)?;
        // Two lines joined at both crossings of a third, which way unknown.
        if let Facts::Joined {
            via,
            crossings,
            touching,
        } = &f.facts
        {
            m.serialize_entry(
                "joined_at",
                &JoinedDoc {
                    line: labels.label(*via),
                    touching: round(*touching),
                    crossings: [
                        JoinedCrossing::new(&crossings[0], labels),
                        JoinedCrossing::new(&crossings[1], labels),
                    ],
                },
            )?;
        }
        m.end()
    }
}

/// The line whose two crossings join two others, and those crossings.
#[derive(Serialize)]
struct JoinedDoc<'a> {
    line: &'a str,
    /// The probability that it is one short and the two lines touching rather than shorts at
    /// both crossings.
    touching: f64,
    crossings: [JoinedCrossing<'a>; 2],
}

/// One crossing of a join: its apartment, labels and reverse reading.
#[derive(Serialize)]
struct JoinedCrossing<'a> {
    apartment: Option<u32>,
    tens: &'a str,
    units: &'a str,
    reverse_ohms: f64,
}

impl<'a> JoinedCrossing<'a> {
    fn new(
        (cell, apartment, reverse): &(crate::model::Cell, Option<u32>, f64),
        labels: &'a LineLabels,
    ) -> JoinedCrossing<'a> {
        let (tens, units) = labels.cell(*cell);
        JoinedCrossing {
            apartment: *apartment,
            tens,
            units,
            reverse_ohms: round(*reverse),
        }
    }
}

/// Every crossing: labels, apartment, state and both readings (null for OL or not taken).
struct CellsDoc<'a>(&'a Diagnosis, &'a LineLabels);

impl Serialize for CellsDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.cells.iter().map(|c| {
            let (tens, units) = self.1.cell(c.cell);
            CellDoc {
                tens,
                units,
                apartment: c.apartment,
                state: c.state.key(),
                forward_ohms: c.forward.and_then(|r| r.ohms()),
                reverse_ohms: c.reverse.and_then(|r| r.ohms()),
            }
        }))
    }
}

/// One crossing.
#[derive(Serialize)]
struct CellDoc<'a> {
    tens: &'a str,
    units: &'a str,
    apartment: Option<u32>,
    state: &'static str,
    forward_ohms: Option<f64>,
    reverse_ohms: Option<f64>,
}

/// The D–D and E–E bus checks of the sweep.
struct BusDoc<'a>(&'a EntranceReport);

impl Serialize for BusDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let labels = &self.0.layout.labels;
        s.collect_seq(self.0.sweep.bus().iter().map(|m| BusCheckDoc {
            plus: labels.label(m.plus),
            minus: labels.label(m.minus),
            ohms: m.reading.ohms(),
        }))
    }
}

/// One bus check.
#[derive(Serialize)]
struct BusCheckDoc<'a> {
    plus: &'a str,
    minus: &'a str,
    ohms: Option<f64>,
}

/// What the sweep cannot settle: subject, why, the fault it may be, how likely, and what to
/// re-measure.
struct CannotTellDoc<'a>(&'a [CannotTell], &'a LineLabels);

impl Serialize for CannotTellDoc<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|c| CannotTellEntry(c, self.1)))
    }
}

/// One cannot-tell entry.
struct CannotTellEntry<'a>(&'a CannotTell, &'a LineLabels);

impl Serialize for CannotTellEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut m = s.serialize_map(None)?;
        subject_entries(&mut m, &c.subject, self.1)?;
        m.serialize_entry("reason", c.reason.key())?;
        m.serialize_entry("fault", &c.fault.map(|f| f.key()))?;
        m.serialize_entry("fault_probability", &round(c.fault_probability))?;
        m.serialize_entry("after_repair", &c.after_repair)?;
        m.serialize_entry("remeasure", &c.remeasure)?;
        m.end()
    }
}
