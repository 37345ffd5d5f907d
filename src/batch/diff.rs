//! Comparing two checks of the same entrances (`kmdiag diff`): faults that appeared or
//! cleared, handsets that appeared or disappeared, forward readings that drifted beyond a
//! tolerance (a contact going bad).
//!
//! Both sides are first turned into snapshots read from the JSON documents that
//! `check --format json` and `diagnose --format json` print; a sweep is diagnosed and passed
//! through the same JSON, so files and fresh sweeps compare alike. Pure: no I/O.

use crate::export::{EntranceReport, entrance_json};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;

/// A JSON document that is not a kmdiag check or diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{problem}; expected the JSON of `kmdiag check --format json` or `kmdiag diagnose --format json`"
)]
pub struct SnapshotError {
    /// What is wrong, with the JSON path.
    pub problem: String,
}

/// One crossing as a check saw it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CellSnapshot {
    /// Tens terminal as printed (`D4`).
    pub tens: String,
    /// Units terminal as printed (`E7`).
    pub units: String,
    /// Apartment wired there.
    #[serde(default)]
    pub apartment: Option<u32>,
    /// State key (`ok`, `absent`, `ghost`, `short`, …).
    pub state: String,
    /// Forward reading in ohms; `None` for OL or not measured.
    #[serde(default)]
    pub forward_ohms: Option<f64>,
    /// Reverse reading in ohms; `None` for OL or not measured.
    #[serde(default)]
    pub reverse_ohms: Option<f64>,
}

/// One finding as a check reported it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FindingSnapshot {
    /// `handset` or `bus`.
    pub kind: String,
    /// Apartment of a handset finding.
    #[serde(default)]
    pub apartment: Option<u32>,
    /// Tens terminal of a handset finding.
    #[serde(default)]
    pub tens: Option<String>,
    /// Units terminal of a handset finding.
    #[serde(default)]
    pub units: Option<String>,
    /// Line of a bus finding.
    #[serde(default)]
    pub bus: Option<String>,
    /// Second line of a bus short.
    #[serde(default)]
    pub other: Option<String>,
    /// Fault key (`short`, `reversed`, …).
    pub fault: String,
}

impl FindingSnapshot {
    /// Where the fault is, as a technician writes it: `apartment 45 (D4/E5)`, `D3–D4`.
    pub fn place(&self) -> String {
        match (self.kind.as_str(), &self.bus) {
            ("bus", Some(b)) => match &self.other {
                Some(o) => format!("{b}–{o}"),
                None => b.clone(),
            },
            _ => {
                let cell = format!(
                    "{}/{}",
                    self.tens.as_deref().unwrap_or("?"),
                    self.units.as_deref().unwrap_or("?")
                );
                match self.apartment {
                    Some(a) => format!("apartment {a} ({cell})"),
                    None => cell,
                }
            }
        }
    }
}

/// One entrance as a check saw it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EntranceSnapshot {
    /// Entrance number, when the check came from a plan.
    #[serde(default)]
    pub entrance: Option<String>,
    /// Where the readings came from.
    #[serde(default)]
    pub source: Option<String>,
    /// The matrix (hundred) checked: an entrance on several matrices has one snapshot each.
    #[serde(default)]
    pub matrix: Option<u16>,
    /// The entrance's calibrated healthy forward reading.
    #[serde(default)]
    pub typical_forward_ohms: Option<f64>,
    /// Findings.
    #[serde(default)]
    pub findings: Vec<FindingSnapshot>,
    /// Every crossing.
    pub cells: Vec<CellSnapshot>,
}

impl EntranceSnapshot {
    /// The name used to pair entrances: the entrance number, else the source.
    pub fn name(&self) -> String {
        self.entrance
            .clone()
            .or_else(|| self.source.clone())
            .unwrap_or_else(|| "?".into())
    }

    /// The snapshot of a freshly diagnosed entrance.
    pub fn of_report(e: &EntranceReport) -> Result<Self, SnapshotError> {
        serde_json::from_value(entrance_json(e)).map_err(|err| SnapshotError {
            problem: format!("the diagnosis does not read back: {err}"),
        })
    }

    /// The name to print: with the matrix when `all` holds this entrance on several.
    fn label(&self, all: &[EntranceSnapshot]) -> String {
        let name = self.name();
        match self.matrix {
            Some(m) if all.iter().filter(|o| o.name() == name).count() > 1 => {
                format!("{name}, matrix {m}")
            }
            _ => name,
        }
    }

    fn cell(&self, tens: &str, units: &str) -> Option<&CellSnapshot> {
        self.cells
            .iter()
            .find(|c| c.tens == tens && c.units == units)
    }
}

/// Reads the entrances of a `check` (building) or `diagnose` (entrance) JSON document.
pub fn snapshots_from_json(doc: &Value) -> Result<Vec<EntranceSnapshot>, SnapshotError> {
    let Some(map) = doc.as_object() else {
        return Err(SnapshotError {
            problem: "the document is not a JSON object".into(),
        });
    };
    let one = |v: &Value, at: &str| {
        serde_json::from_value::<EntranceSnapshot>(v.clone()).map_err(|err| SnapshotError {
            problem: format!("{at}: {err}"),
        })
    };
    match map.get("entrances") {
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, v)| one(v, &format!("entrances[{i}]")))
            .collect(),
        Some(_) => Err(SnapshotError {
            problem: "'entrances' is not a list".into(),
        }),
        None => one(doc, "the entrance document").map(|e| vec![e]),
    }
}

/// Settings of a comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DiffOptions {
    /// A forward reading that moved by more than this many percent (relative to its
    /// entrance's typical reading) is reported as drift.
    pub tolerance_pct: f64,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            tolerance_pct: 15.0,
        }
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A fault that was not there before.
    FaultAppeared,
    /// A handset that answered before and does not now.
    HandsetLost,
    /// A forward reading that rose beyond the tolerance: a contact going bad.
    DriftUp,
    /// An entrance of the old check is missing from the new one.
    EntranceMissing,
    /// A fault that is gone.
    FaultCleared,
    /// A handset that did not answer before and does now.
    HandsetAppeared,
    /// A forward reading that fell beyond the tolerance.
    DriftDown,
    /// An entrance only the new check has.
    EntranceAdded,
}

impl ChangeKind {
    /// True for changes for the worse (these make `diff` exit 1).
    pub fn is_worse(self) -> bool {
        matches!(
            self,
            ChangeKind::FaultAppeared
                | ChangeKind::HandsetLost
                | ChangeKind::DriftUp
                | ChangeKind::EntranceMissing
        )
    }

    /// The JSON name.
    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::FaultAppeared => "fault_appeared",
            ChangeKind::HandsetLost => "handset_lost",
            ChangeKind::DriftUp => "drift_up",
            ChangeKind::EntranceMissing => "entrance_missing",
            ChangeKind::FaultCleared => "fault_cleared",
            ChangeKind::HandsetAppeared => "handset_appeared",
            ChangeKind::DriftDown => "drift_down",
            ChangeKind::EntranceAdded => "entrance_added",
        }
    }
}

/// One change between the old and the new check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The entrance.
    pub entrance: String,
    /// What changed.
    pub kind: ChangeKind,
    /// Where: `apartment 45 (D4/E5)`, `D3–D4`, or the entrance.
    pub place: String,
    /// Before: a state, fault or reading.
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
    /// For drift: the change in percent, relative to each check's typical reading.
    pub change_pct: Option<f64>,
}

/// Every change, worst first, and remarks about the comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiffReport {
    /// Changes: for the worse first, then by entrance.
    pub changes: Vec<Change>,
    /// Remarks (the meter or the whole entrance shifted, entrances paired by position).
    pub notes: Vec<String>,
}

impl DiffReport {
    /// True when anything got worse.
    pub fn got_worse(&self) -> bool {
        self.changes.iter().any(|c| c.kind.is_worse())
    }
}

/// States in which a handset hangs on the crossing.
fn has_handset(state: &str) -> Option<bool> {
    match state {
        "ok" | "high_resistance" | "leak" | "short" | "reversed" => Some(true),
        "absent" | "ghost" => Some(false),
        _ => None,
    }
}

/// States in which the forward reading is a handset's own.
fn forward_is_handset(state: &str) -> bool {
    matches!(state, "ok" | "high_resistance")
}

fn cell_place(c: &CellSnapshot) -> String {
    match c.apartment {
        Some(a) => format!("apartment {a} ({}/{})", c.tens, c.units),
        None => format!("{}/{}", c.tens, c.units),
    }
}

fn finding_key(f: &FindingSnapshot) -> (String, String) {
    (f.place(), f.fault.clone())
}

/// Compares one entrance.
fn compare_entrance(
    name: &str,
    old: &EntranceSnapshot,
    new: &EntranceSnapshot,
    options: &DiffOptions,
    out: &mut DiffReport,
) {
    let change = |kind, place: String, old: Option<String>, new: Option<String>| Change {
        entrance: name.to_string(),
        kind,
        place,
        old,
        new,
        change_pct: None,
    };
    let old_f: BTreeSet<_> = old.findings.iter().map(finding_key).collect();
    let new_f: BTreeSet<_> = new.findings.iter().map(finding_key).collect();
    for (place, fault) in new_f.difference(&old_f) {
        out.changes.push(change(
            ChangeKind::FaultAppeared,
            place.clone(),
            None,
            Some(fault.clone()),
        ));
    }
    for (place, fault) in old_f.difference(&new_f) {
        out.changes.push(change(
            ChangeKind::FaultCleared,
            place.clone(),
            Some(fault.clone()),
            None,
        ));
    }
    let (old_typ, new_typ) = (old.typical_forward_ohms, new.typical_forward_ohms);
    if let (Some(a), Some(b)) = (old_typ, new_typ)
        && a > 0.0
        && ((b / a - 1.0) * 100.0).abs() > options.tolerance_pct
    {
        out.notes.push(format!(
            "entrance {name}: the typical healthy reading moved from {} to {} ({:+.0} %): another meter, another temperature, or the whole riser; drift below is measured against each check's typical reading",
            crate::model::format_ohms(a),
            crate::model::format_ohms(b),
            (b / a - 1.0) * 100.0
        ));
    }
    for n in &new.cells {
        let Some(o) = old.cell(&n.tens, &n.units) else {
            continue;
        };
        match (has_handset(&o.state), has_handset(&n.state)) {
            (Some(true), Some(false)) => out.changes.push(change(
                ChangeKind::HandsetLost,
                cell_place(n),
                Some(o.state.clone()),
                Some(n.state.clone()),
            )),
            (Some(false), Some(true)) => out.changes.push(change(
                ChangeKind::HandsetAppeared,
                cell_place(n),
                Some(o.state.clone()),
                Some(n.state.clone()),
            )),
            _ => {}
        }
        if !(forward_is_handset(&o.state) && forward_is_handset(&n.state)) {
            continue;
        }
        let (Some(ov), Some(nv)) = (o.forward_ohms, n.forward_ohms) else {
            continue;
        };
        if ov <= 0.0 {
            continue;
        }
        let ratio = match (old_typ, new_typ) {
            (Some(a), Some(b)) if a > 0.0 && b > 0.0 => (nv / b) / (ov / a),
            _ => nv / ov,
        };
        let pct = (ratio - 1.0) * 100.0;
        if pct.abs() > options.tolerance_pct {
            let mut c = change(
                if pct > 0.0 {
                    ChangeKind::DriftUp
                } else {
                    ChangeKind::DriftDown
                },
                cell_place(n),
                Some(crate::model::format_ohms(ov)),
                Some(crate::model::format_ohms(nv)),
            );
            c.change_pct = Some((pct * 10.0).round() / 10.0);
            out.changes.push(c);
        }
    }
}

/// Compares two checks. Entrances pair by number (or source); two single-entrance checks
/// pair with each other whatever their names.
pub fn compare(
    old: &[EntranceSnapshot],
    new: &[EntranceSnapshot],
    options: &DiffOptions,
) -> DiffReport {
    let mut out = DiffReport::default();
    if let ([o], [n]) = (old, new) {
        let (on, nn) = (o.name(), n.name());
        let name = if on == nn {
            nn
        } else {
            format!("{on} → {nn}")
        };
        compare_entrance(&name, o, n, options, &mut out);
    } else {
        // Entrances pair by name; one checked on several matrices pairs matrix by matrix.
        let count =
            |all: &[EntranceSnapshot], name: &str| all.iter().filter(|e| e.name() == name).count();
        let pairs = |o: &EntranceSnapshot, n: &EntranceSnapshot| {
            let name = o.name();
            name == n.name()
                && (o.matrix == n.matrix || (count(old, &name) == 1 && count(new, &name) == 1))
        };
        for o in old {
            let name = o.label(old);
            match new.iter().find(|n| pairs(o, n)) {
                Some(n) => compare_entrance(&name, o, n, options, &mut out),
                None => out.changes.push(Change {
                    entrance: name.clone(),
                    kind: ChangeKind::EntranceMissing,
                    place: format!("entrance {name}"),
                    old: Some("checked".into()),
                    new: None,
                    change_pct: None,
                }),
            }
        }
        for n in new.iter().filter(|n| !old.iter().any(|o| pairs(o, n))) {
            out.changes.push(Change {
                entrance: n.label(new),
                kind: ChangeKind::EntranceAdded,
                place: format!("entrance {}", n.label(new)),
                old: None,
                new: Some("checked".into()),
                change_pct: None,
            });
        }
    }
    out.changes
        .sort_by_key(|c| (!c.kind.is_worse(), c.entrance.clone(), c.kind));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cell(tens: &str, units: &str, apt: u32, state: &str, fwd: Option<f64>) -> Value {
        json!({"tens": tens, "units": units, "apartment": apt, "state": state,
               "forward_ohms": fwd, "reverse_ohms": null})
    }

    fn entrance(name: &str, typical: f64, cells: Vec<Value>, findings: Vec<Value>) -> Value {
        json!({"entrance": name, "source": "x.csv", "typical_forward_ohms": typical,
               "cells": cells, "findings": findings})
    }

    fn snaps(v: Value) -> Vec<EntranceSnapshot> {
        snapshots_from_json(&v).unwrap()
    }

    fn short_at_45() -> Value {
        json!({"kind": "handset", "apartment": 45, "tens": "D4", "units": "E5", "fault": "short"})
    }

    #[test]
    fn an_entrance_on_two_matrices_pairs_matrix_by_matrix() {
        let part = |matrix: u16, findings: Vec<Value>| {
            let mut e = entrance(
                "4",
                700.0,
                vec![cell("D4", "E5", 45, "ok", Some(700.0))],
                findings,
            );
            e["matrix"] = json!(matrix);
            e
        };
        let old = snaps(json!({"entrances": [part(1, vec![]), part(2, vec![])]}));
        let new = snaps(json!({"entrances": [part(1, vec![]), part(2, vec![short_at_45()])]}));
        let r = compare(&old, &new, &DiffOptions::default());
        let kinds: Vec<_> = r
            .changes
            .iter()
            .map(|c| (c.entrance.as_str(), c.kind))
            .collect();
        assert_eq!(kinds, [("4, matrix 2", ChangeKind::FaultAppeared)], "{r:?}");
        let r = compare(&old, &new[..1], &DiffOptions::default());
        assert_eq!(r.changes.len(), 1, "{r:?}");
        assert_eq!(r.changes[0].kind, ChangeKind::EntranceMissing);
        assert_eq!(r.changes[0].entrance, "4, matrix 2");
        // A single-matrix entrance whose matrix number changed still pairs by name.
        let two =
            snaps(json!({"entrances": [part(1, vec![]), entrance("5", 700.0, vec![], vec![])]}));
        let moved =
            snaps(json!({"entrances": [part(2, vec![]), entrance("5", 700.0, vec![], vec![])]}));
        assert!(
            compare(&two, &moved, &DiffOptions::default())
                .changes
                .is_empty()
        );
    }

    #[test]
    fn unchanged_checks_have_no_changes() {
        let e = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "ok", Some(700.0))],
            vec![],
        );
        let d = compare(&snaps(e.clone()), &snaps(e), &DiffOptions::default());
        assert!(d.changes.is_empty() && !d.got_worse(), "{d:?}");
    }

    #[test]
    fn a_new_fault_and_a_lost_handset_are_worse() {
        let old = entrance(
            "1",
            700.0,
            vec![
                cell("D4", "E5", 45, "ok", Some(700.0)),
                cell("D4", "E6", 46, "ok", Some(710.0)),
            ],
            vec![],
        );
        let new = entrance(
            "1",
            700.0,
            vec![
                cell("D4", "E5", 45, "short", Some(40.0)),
                cell("D4", "E6", 46, "absent", None),
            ],
            vec![short_at_45()],
        );
        let d = compare(&snaps(old), &snaps(new), &DiffOptions::default());
        assert!(d.got_worse());
        let kinds: Vec<_> = d.changes.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            vec![ChangeKind::FaultAppeared, ChangeKind::HandsetLost]
        );
        assert_eq!(d.changes[0].place, "apartment 45 (D4/E5)");
    }

    #[test]
    fn a_cleared_fault_is_better_not_worse() {
        let old = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "short", Some(40.0))],
            vec![short_at_45()],
        );
        let new = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "ok", Some(700.0))],
            vec![],
        );
        let d = compare(&snaps(old), &snaps(new), &DiffOptions::default());
        assert!(!d.got_worse());
        assert_eq!(d.changes[0].kind, ChangeKind::FaultCleared);
    }

    #[test]
    fn drift_is_measured_against_the_typical_reading() {
        let old = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "ok", Some(700.0))],
            vec![],
        );
        // Another meter reads everything 20 % higher: not drift.
        let same = entrance(
            "1",
            840.0,
            vec![cell("D4", "E5", 45, "ok", Some(840.0))],
            vec![],
        );
        let d = compare(&snaps(old.clone()), &snaps(same), &DiffOptions::default());
        assert!(d.changes.is_empty(), "{d:?}");
        assert_eq!(d.notes.len(), 1);
        // One contact going bad: +30 %.
        let bad = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "ok", Some(910.0))],
            vec![],
        );
        let d = compare(&snaps(old), &snaps(bad), &DiffOptions::default());
        assert_eq!(d.changes[0].kind, ChangeKind::DriftUp);
        assert_eq!(d.changes[0].change_pct, Some(30.0));
        assert!(d.got_worse());
    }

    #[test]
    fn buildings_pair_entrances_by_number_and_miss_none() {
        let e1 = entrance("1", 700.0, vec![], vec![]);
        let e2 = entrance("2", 700.0, vec![], vec![]);
        let old = json!({"building": "b", "entrances": [e1.clone(), e2]});
        let new = json!({"building": "b", "entrances": [e1]});
        let d = compare(&snaps(old), &snaps(new), &DiffOptions::default());
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].kind, ChangeKind::EntranceMissing);
        assert!(d.got_worse());
    }

    #[test]
    fn other_documents_are_refused_with_the_reason() {
        let e = snapshots_from_json(&json!({"entrances": [{"cells": 3}]})).unwrap_err();
        assert!(e.to_string().contains("entrances[0]"), "{e}");
        assert!(snapshots_from_json(&json!([1, 2])).is_err());
        assert!(snapshots_from_json(&json!({"name": "x"})).is_err());
    }
}
