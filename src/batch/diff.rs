//! Comparing two checks of the same entrances (`kmdiag diff`): faults that appeared or
//! cleared, handsets that appeared or disappeared, forward readings that drifted beyond a
//! tolerance (a contact going bad) — one change per flat, the strongest reason.
//!
//! Entrances arrive one at a time from either side (`snapshot::read_document` streams the
//! documents) and pair by name through keyed maps, so two district checks compare in time
//! linear in their size and, when both list the entrances in the same order, in flat
//! memory. Entrances of different profiles, switches or layouts are refused, not compared.
//! Pure: no I/O.

pub use super::snapshot::{
    CellSnapshot, DocumentKind, EntranceSnapshot, FindingSnapshot, SnapshotError,
    snapshots_from_json,
};
use crate::i18n::Message;
use crate::msg;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Two entrances that cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub struct DiffError {
    /// What differs and what to do.
    pub problem: crate::i18n::Message,
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
    /// The apartment, when the change is about one.
    pub apartment: Option<u32>,
    /// Before: the crossing's state or the fault (`ok`, `absent`, `short`, …).
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
    /// The crossing's forward reading before, in ohms (null for OL or not measured).
    pub old_ohms: Option<f64>,
    /// The crossing's forward reading after, in ohms.
    pub new_ohms: Option<f64>,
    /// For drift: the new reading over the old, each relative to its check's typical
    /// reading (1.3 = 30 % higher).
    pub ratio: Option<f64>,
    /// Order of the entrance among those compared, for sorting.
    #[serde(skip)]
    order: usize,
    /// The entrance's matrix, to name it when the entrance spans several.
    #[serde(skip)]
    matrix: Option<u16>,
}

impl Change {
    fn new(entrance: &str, order: usize, kind: ChangeKind, place: String) -> Change {
        Change {
            entrance: entrance.to_string(),
            kind,
            place,
            apartment: None,
            old: None,
            new: None,
            old_ohms: None,
            new_ohms: None,
            ratio: None,
            order,
            matrix: None,
        }
    }

    /// How strong a reason this is for one flat: faults before lost handsets before drift,
    /// and any change for the worse before one for the better.
    fn strength(&self) -> u8 {
        match self.kind {
            ChangeKind::FaultAppeared => 0,
            ChangeKind::HandsetLost => 1,
            ChangeKind::DriftUp => 2,
            ChangeKind::FaultCleared => 3,
            ChangeKind::HandsetAppeared => 4,
            ChangeKind::DriftDown => 5,
            ChangeKind::EntranceMissing | ChangeKind::EntranceAdded => 6,
        }
    }

    /// Keeps the stronger of two changes to one flat, with what the weaker knew that it
    /// lacks (a fault that replaced another keeps the old fault; readings are kept).
    fn absorb(&mut self, other: Change) {
        let (mut keep, give) = if other.strength() < self.strength() {
            (
                other,
                std::mem::replace(
                    self,
                    Change::new("", 0, ChangeKind::DriftDown, String::new()),
                ),
            )
        } else {
            (
                std::mem::replace(
                    self,
                    Change::new("", 0, ChangeKind::DriftDown, String::new()),
                ),
                other,
            )
        };
        keep.apartment = keep.apartment.or(give.apartment);
        keep.old = keep.old.or(give.old);
        keep.new = keep.new.or(give.new);
        keep.old_ohms = keep.old_ohms.or(give.old_ohms);
        keep.new_ohms = keep.new_ohms.or(give.new_ohms);
        keep.ratio = keep.ratio.or(give.ratio);
        *self = keep;
    }
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

/// The changes of one entrance, at most one per place, in the order first seen.
struct EntranceChanges {
    index: HashMap<String, usize>,
    list: Vec<Change>,
}

impl EntranceChanges {
    fn add(&mut self, c: Change) {
        match self.index.get(&c.place) {
            Some(&i) => self.list[i].absorb(c),
            None => {
                self.index.insert(c.place.clone(), self.list.len());
                self.list.push(c);
            }
        }
    }
}

/// Refuses two entrances that are not the same switch wired the same way.
fn check_same_layout(
    name: &str,
    old: &EntranceSnapshot,
    new: &EntranceSnapshot,
    old_cells: &HashMap<(&str, &str), &CellSnapshot>,
) -> Result<(), DiffError> {
    let refuse = |what: crate::i18n::Message, a: String, b: String| DiffError {
        problem: msg!(
            "diff-not-same-switch",
            entrance = crate::input::clip(name),
            what = what,
            old = crate::input::clip(&a),
            new = crate::input::clip(&b)
        ),
    };
    if let (Some(a), Some(b)) = (&old.profile, &new.profile)
        && a != b
    {
        return Err(refuse(msg!("diff-what-profile"), a.clone(), b.clone()));
    }
    if let (Some(a), Some(b)) = (&old.switch, &new.switch)
        && a != b
    {
        return Err(refuse(msg!("diff-what-switch"), a.clone(), b.clone()));
    }
    if old.cells.len() != new.cells.len() && !old.cells.is_empty() && !new.cells.is_empty() {
        return Err(refuse(
            msg!("diff-what-matrix"),
            old.cells.len().to_string(),
            new.cells.len().to_string(),
        ));
    }
    for n in &new.cells {
        if let Some(o) = old_cells.get(&(n.tens.as_str(), n.units.as_str()))
            && o.apartment != n.apartment
        {
            let flat = |a: Option<u32>| match a {
                Some(a) => msg!("diff-flat", apartment = a),
                None => msg!("diff-no-flat"),
            };
            let offsets = match (old.offset, new.offset) {
                (Some(a), Some(b)) if a != b => msg!("diff-offsets", old = a, new = b),
                _ => msg!("nothing"),
            };
            return Err(DiffError {
                problem: msg!(
                    "diff-layout-differs",
                    entrance = crate::input::clip(name),
                    tens = crate::input::clip(&n.tens),
                    units = crate::input::clip(&n.units),
                    old = flat(o.apartment),
                    new = flat(n.apartment),
                    offsets = offsets
                ),
            });
        }
    }
    Ok(())
}

/// An entrance's crossings by their labels; a crossing listed twice is a broken document.
/// `side` is the catalogue key naming the side (old or new check).
fn cells_by_crossing<'a>(
    name: &str,
    side: &'static str,
    e: &'a EntranceSnapshot,
) -> Result<HashMap<(&'a str, &'a str), &'a CellSnapshot>, DiffError> {
    let mut map = HashMap::with_capacity(e.cells.len());
    for c in &e.cells {
        if map.insert((c.tens.as_str(), c.units.as_str()), c).is_some() {
            return Err(DiffError {
                problem: msg!(
                    "diff-crossing-twice",
                    entrance = crate::input::clip(name),
                    side = Message::new(side),
                    tens = crate::input::clip(&c.tens),
                    units = crate::input::clip(&c.units)
                ),
            });
        }
    }
    Ok(map)
}

/// Compares one entrance: every change, at most one per flat.
fn compare_entrance(
    name: &str,
    order: usize,
    old: &EntranceSnapshot,
    new: &EntranceSnapshot,
    options: &DiffOptions,
    out: &mut DiffReport,
) -> Result<(), DiffError> {
    let old_cells = cells_by_crossing(name, "old", old)?;
    let new_cells = cells_by_crossing(name, "new", new)?;
    check_same_layout(name, old, new, &old_cells)?;
    let pair = EntrancePair {
        name,
        order,
        old,
        new,
        old_cells,
        new_cells,
        options,
    };
    let mut changes = EntranceChanges {
        index: HashMap::new(),
        list: Vec::new(),
    };
    pair.findings_appeared(&mut changes);
    pair.findings_cleared(&mut changes);
    out.notes.extend(pair.typical_moved());
    pair.cell_changes(&mut changes);
    out.changes.extend(changes.list.into_iter().map(|mut c| {
        c.matrix = new.matrix.or(old.matrix);
        c
    }));
    Ok(())
}

/// One entrance in the old and the new check, with their crossings by label: what the
/// steps of `compare_entrance` share.
struct EntrancePair<'a> {
    name: &'a str,
    order: usize,
    old: &'a EntranceSnapshot,
    new: &'a EntranceSnapshot,
    old_cells: HashMap<(&'a str, &'a str), &'a CellSnapshot>,
    new_cells: HashMap<(&'a str, &'a str), &'a CellSnapshot>,
    options: &'a DiffOptions,
}

impl EntrancePair<'_> {
    /// Takes a kind and a place; gives a change of this entrance with nothing else set.
    fn change(&self, kind: ChangeKind, place: String) -> Change {
        Change::new(self.name, self.order, kind, place)
    }

    /// Takes a finding and its change; fills in the readings and states of the finding's
    /// crossing on either side (states the change already has are kept).
    fn readings(&self, f: &FindingSnapshot, c: &mut Change) {
        if let (Some(t), Some(u)) = (&f.tens, &f.units) {
            let key = (t.as_str(), u.as_str());
            c.old_ohms = self.old_cells.get(&key).and_then(|c| c.forward_ohms);
            c.new_ohms = self.new_cells.get(&key).and_then(|c| c.forward_ohms);
            if c.old.is_none() {
                c.old = self.old_cells.get(&key).map(|c| c.state.clone());
            }
            if c.new.is_none() {
                c.new = self.new_cells.get(&key).map(|c| c.state.clone());
            }
        }
    }

    /// Takes the changes so far; adds each finding of the new check the old one lacks.
    fn findings_appeared(&self, changes: &mut EntranceChanges) {
        self.findings_only_in(&self.new.findings, &self.old.findings, true, changes);
    }

    /// Takes the changes so far; adds each finding of the old check the new one lacks.
    fn findings_cleared(&self, changes: &mut EntranceChanges) {
        self.findings_only_in(&self.old.findings, &self.new.findings, false, changes);
    }

    /// Adds to `changes` each of `these` findings (the new check's when `appeared`, else the
    /// old one's) that `others` lack, with its readings.
    fn findings_only_in(
        &self,
        these: &[FindingSnapshot],
        others: &[FindingSnapshot],
        appeared: bool,
        changes: &mut EntranceChanges,
    ) {
        let others = keyed(others);
        let kind = match appeared {
            true => ChangeKind::FaultAppeared,
            false => ChangeKind::FaultCleared,
        };
        for f in these {
            if others.contains(&(f.place(), f.fault.clone())) {
                continue;
            }
            let mut c = self.change(kind, f.place());
            c.apartment = f.apartment;
            let side = if appeared { &mut c.new } else { &mut c.old };
            *side = Some(f.fault.clone());
            self.readings(f, &mut c);
            changes.add(c);
        }
    }

    /// Gives the note when the typical healthy reading moved beyond the tolerance.
    fn typical_moved(&self) -> Option<String> {
        let (Some(a), Some(b)) = (self.old.typical_forward_ohms, self.new.typical_forward_ohms)
        else {
            return None;
        };
        if a > 0.0 && ((b / a - 1.0) * 100.0).abs() > self.options.tolerance_pct {
            Some(format!(
                "entrance {}: the typical healthy reading moved from {} to {} ({:+.0} %): another meter, another temperature, or the whole riser; drift below is measured against each check's typical reading",
                self.name,
                crate::model::format_ohms(a),
                crate::model::format_ohms(b),
                (b / a - 1.0) * 100.0
            ))
        } else {
            None
        }
    }

    /// Takes the changes so far; adds, for each crossing in both checks, a handset lost or
    /// appeared and a forward reading that drifted beyond the tolerance.
    fn cell_changes(&self, changes: &mut EntranceChanges) {
        for n in &self.new.cells {
            let Some(o) = self.old_cells.get(&(n.tens.as_str(), n.units.as_str())) else {
                continue;
            };
            if let Some(kind) = handset_change(o, n) {
                changes.add(self.cell_change(kind, o, n));
            }
            if let Some((kind, ratio)) = self.drift(o, n) {
                let mut c = self.cell_change(kind, o, n);
                c.ratio = Some((ratio * 1000.0).round() / 1000.0);
                changes.add(c);
            }
        }
    }

    /// Takes a kind and a crossing's old and new cell; gives the change with both states
    /// and readings.
    fn cell_change(&self, kind: ChangeKind, o: &CellSnapshot, n: &CellSnapshot) -> Change {
        let mut c = self.change(kind, cell_place(n));
        c.apartment = n.apartment;
        c.old = Some(o.state.clone());
        c.new = Some(n.state.clone());
        c.old_ohms = o.forward_ohms;
        c.new_ohms = n.forward_ohms;
        c
    }

    /// Takes a crossing's old and new cell, both read as handsets; gives the drift and
    /// its ratio (each reading against its check's typical one, when both are known) when
    /// it is beyond the tolerance.
    fn drift(&self, o: &CellSnapshot, n: &CellSnapshot) -> Option<(ChangeKind, f64)> {
        if !(forward_is_handset(&o.state) && forward_is_handset(&n.state)) {
            return None;
        }
        let (Some(ov), Some(nv)) = (o.forward_ohms, n.forward_ohms) else {
            return None;
        };
        if ov <= 0.0 {
            return None;
        }
        let ratio = match (self.old.typical_forward_ohms, self.new.typical_forward_ohms) {
            (Some(a), Some(b)) if a > 0.0 && b > 0.0 => (nv / b) / (ov / a),
            _ => nv / ov,
        };
        let pct = (ratio - 1.0) * 100.0;
        if pct.abs() > self.options.tolerance_pct {
            let kind = if pct > 0.0 {
                ChangeKind::DriftUp
            } else {
                ChangeKind::DriftDown
            };
            Some((kind, ratio))
        } else {
            None
        }
    }
}

/// Takes a list of findings; gives each one's place and fault.
fn keyed(list: &[FindingSnapshot]) -> BTreeSet<(String, String)> {
    list.iter().map(|f| (f.place(), f.fault.clone())).collect()
}

/// Takes a crossing's old and new cell; gives whether a handset was lost or appeared.
fn handset_change(o: &CellSnapshot, n: &CellSnapshot) -> Option<ChangeKind> {
    match (has_handset(&o.state), has_handset(&n.state)) {
        (Some(true), Some(false)) => Some(ChangeKind::HandsetLost),
        (Some(false), Some(true)) => Some(ChangeKind::HandsetAppeared),
        _ => None,
    }
}

/// Pairs entrances from the two sides as they arrive and compares each pair at once: only
/// entrances still waiting for their partner are held.
pub struct Differ {
    options: DiffOptions,
    report: DiffReport,
    old: HashMap<(String, Option<u16>), (usize, EntranceSnapshot)>,
    new: HashMap<(String, Option<u16>), (usize, EntranceSnapshot)>,
    arrived: usize,
    paired: usize,
    /// Each side's entrances (name and matrix), so one listed twice is refused, not
    /// mispaired; and how many matrices each name has there.
    seen: [std::collections::HashSet<(String, Option<u16>)>; 2],
    matrices: [HashMap<String, usize>; 2],
}

impl Differ {
    /// A comparison with these settings.
    pub fn new(options: DiffOptions) -> Differ {
        Differ {
            options,
            report: DiffReport::default(),
            old: HashMap::new(),
            new: HashMap::new(),
            arrived: 0,
            paired: 0,
            seen: Default::default(),
            matrices: Default::default(),
        }
    }

    /// Entrances of each side (old, new) waiting for their partner.
    pub fn waiting(&self) -> (usize, usize) {
        (self.old.len(), self.new.len())
    }

    /// An entrance of the old check arrived.
    pub fn old(&mut self, e: EntranceSnapshot) -> Result<(), DiffError> {
        self.arrive(e, true)
    }

    /// An entrance of the new check arrived.
    pub fn new_entrance(&mut self, e: EntranceSnapshot) -> Result<(), DiffError> {
        self.arrive(e, false)
    }

    fn arrive(&mut self, e: EntranceSnapshot, is_old: bool) -> Result<(), DiffError> {
        let name = e.name();
        let key = (name.clone(), e.matrix);
        if !self.seen[usize::from(is_old)].insert(key.clone()) {
            return Err(DiffError {
                problem: msg!(
                    "diff-entrance-twice",
                    entrance = crate::input::clip(&name),
                    side = match is_old {
                        true => msg!("diff-side-old"),
                        false => msg!("diff-side-new"),
                    }
                ),
            });
        }
        *self.matrices[usize::from(is_old)]
            .entry(name.clone())
            .or_default() += 1;
        self.arrived += 1;
        let order = self.arrived;
        let (mine, theirs) = if is_old {
            (&mut self.old, &mut self.new)
        } else {
            (&mut self.new, &mut self.old)
        };
        match theirs.remove(&key) {
            Some((their_order, other)) => {
                let (o, n) = if is_old { (&e, &other) } else { (&other, &e) };
                self.paired += 1;
                compare_entrance(
                    &name,
                    their_order.min(order),
                    o,
                    n,
                    &self.options,
                    &mut self.report,
                )
            }
            None => {
                mine.insert(key, (order, e));
                Ok(())
            }
        }
    }

    /// Every entrance has arrived: two single entrances pair whatever their names; an
    /// entrance alone on one side is missing or added. A single entrance against a building
    /// that does not name it is refused: say which with `--entrance`.
    pub fn finish(mut self, old: DocumentKind, new: DocumentKind) -> Result<DiffReport, DiffError> {
        if self.old.len() == 1
            && self.new.len() == 1
            && (old == DocumentKind::Entrance || new == DocumentKind::Entrance)
            && self.paired == 0
        {
            let ((on, _), (oi, o)) = self.old.drain().next().expect("one");
            let ((nn, _), (ni, n)) = self.new.drain().next().expect("one");
            let name = if on == nn {
                nn
            } else {
                format!("{on} → {nn}")
            };
            compare_entrance(&name, oi.min(ni), &o, &n, &self.options, &mut self.report)?;
        }
        let single_unpaired = (old == DocumentKind::Entrance && !self.old.is_empty())
            || (new == DocumentKind::Entrance && !self.new.is_empty());
        if old != new && single_unpaired {
            return Err(DiffError {
                problem: msg!("diff-single-vs-building"),
            });
        }
        // An entrance on one matrix in each check whose matrix number changed still pairs.
        let once = |side: &HashMap<String, usize>, name: &str| side.get(name) == Some(&1);
        let moved: Vec<(String, Option<u16>)> = self
            .old
            .keys()
            .filter(|(name, _)| once(&self.matrices[1], name) && once(&self.matrices[0], name))
            .cloned()
            .collect();
        for key in moved {
            let other = self.new.keys().find(|(n, _)| *n == key.0).cloned();
            if let (Some(other), Some((oi, o))) = (other, self.old.remove(&key))
                && let Some((ni, n)) = self.new.remove(&other)
            {
                compare_entrance(&key.0, oi.min(ni), &o, &n, &self.options, &mut self.report)?;
            }
        }
        let mut rest: Vec<(usize, String, Option<u16>, bool)> = self
            .old
            .drain()
            .map(|((name, m), (i, _))| (i, name, m, true))
            .chain(
                self.new
                    .drain()
                    .map(|((name, m), (i, _))| (i, name, m, false)),
            )
            .collect();
        rest.sort();
        for (order, name, matrix, was_old) in rest {
            let kind = if was_old {
                ChangeKind::EntranceMissing
            } else {
                ChangeKind::EntranceAdded
            };
            let mut c = Change::new(&name, order, kind, format!("entrance {name}"));
            c.matrix = matrix;
            if was_old {
                c.old = Some("checked".into());
            } else {
                c.new = Some("checked".into());
            }
            self.report.changes.push(c);
        }
        // Name the matrix where a check holds the entrance on several.
        for c in &mut self.report.changes {
            let several = self.matrices.iter().any(|m| m.get(&c.entrance) > Some(&1));
            if let (true, Some(m)) = (several, c.matrix) {
                c.place = c.place.replace(
                    &format!("entrance {}", c.entrance),
                    &format!("entrance {}, matrix {m}", c.entrance),
                );
                c.entrance = format!("{}, matrix {m}", c.entrance);
            }
        }
        self.report
            .changes
            .sort_by_key(|c| (!c.kind.is_worse(), c.order, c.kind));
        Ok(self.report)
    }
}

/// Compares two lists of entrances (both read whole): pairs by name; two single entrances
/// pair whatever their names.
pub fn compare(
    old: &[EntranceSnapshot],
    new: &[EntranceSnapshot],
    options: &DiffOptions,
) -> Result<DiffReport, DiffError> {
    let mut d = Differ::new(*options);
    for e in old {
        d.old(e.clone())?;
    }
    for e in new {
        d.new_entrance(e.clone())?;
    }
    let kind = |l: &[EntranceSnapshot]| {
        if l.len() == 1 {
            DocumentKind::Entrance
        } else {
            DocumentKind::Building
        }
    };
    d.finish(kind(old), kind(new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn cell(tens: &str, units: &str, apt: u32, state: &str, fwd: Option<f64>) -> Value {
        json!({"tens": tens, "units": units, "apartment": apt, "state": state,
               "forward_ohms": fwd, "reverse_ohms": null})
    }

    fn entrance(name: &str, typical: f64, cells: Vec<Value>, findings: Vec<Value>) -> Value {
        json!({"entrance": name, "source": "x.csv", "typical_forward_ohms": typical,
               "cells": cells, "findings": findings})
    }

    fn snaps(v: Value) -> Vec<EntranceSnapshot> {
        snapshots_from_json(&v.to_string()).unwrap()
    }

    fn cmp(old: Value, new: Value) -> DiffReport {
        compare(&snaps(old), &snaps(new), &DiffOptions::default()).unwrap()
    }

    fn short_at_45() -> Value {
        json!({"kind": "handset", "apartment": 45, "tens": "D4", "units": "E5", "fault": "short"})
    }

    #[test]
    fn unchanged_checks_have_no_changes() {
        let e = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "ok", Some(700.0))],
            vec![],
        );
        let d = cmp(e.clone(), e);
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
        let d = cmp(old, new);
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
        let d = cmp(old, new);
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
        let d = cmp(old.clone(), same);
        assert!(d.changes.is_empty(), "{d:?}");
        assert_eq!(d.notes.len(), 1);
        // One contact going bad: +30 %.
        let bad = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "ok", Some(910.0))],
            vec![],
        );
        let d = cmp(old, bad);
        assert_eq!(d.changes[0].kind, ChangeKind::DriftUp);
        assert_eq!(d.changes[0].ratio, Some(1.3));
        assert_eq!(d.changes[0].old_ohms, Some(700.0));
        assert_eq!(d.changes[0].new_ohms, Some(910.0));
        assert!(d.got_worse());
    }

    #[test]
    fn buildings_pair_entrances_by_number_and_miss_none() {
        let e1 = entrance("1", 700.0, vec![], vec![]);
        let e2 = entrance("2", 700.0, vec![], vec![]);
        let old = json!({"building": "b", "entrances": [e1.clone(), e2]});
        let new = json!({"building": "b", "entrances": [e1]});
        let d = cmp(old, new);
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].kind, ChangeKind::EntranceMissing);
        assert!(d.got_worse());
    }

    #[test]
    fn a_bad_contact_appears_once_with_its_readings() {
        let old = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "ok", Some(700.0))],
            vec![],
        );
        let hr = json!({"kind": "handset", "apartment": 45, "tens": "D4", "units": "E5",
                        "fault": "high_resistance"});
        let new = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "high_resistance", Some(2900.0))],
            vec![hr],
        );
        let d = cmp(old, new);
        assert_eq!(d.changes.len(), 1, "{d:?}");
        let c = &d.changes[0];
        assert_eq!(c.kind, ChangeKind::FaultAppeared);
        assert_eq!((c.old_ohms, c.new_ohms), (Some(700.0), Some(2900.0)));
        assert_eq!(c.apartment, Some(45));
        assert_eq!(c.new.as_deref(), Some("high_resistance"));
    }

    #[test]
    fn different_profiles_and_layouts_are_refused() {
        let mut a = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 45, "ok", Some(700.0))],
            vec![],
        );
        let mut b = a.clone();
        a["profile"] = json!("eltis");
        b["profile"] = json!("metakom");
        let e = compare(&snaps(a.clone()), &snaps(b), &DiffOptions::default()).unwrap_err();
        assert!(e.to_string().contains("profile eltis"), "{e}");
        let c = entrance(
            "1",
            700.0,
            vec![cell("D4", "E5", 117, "ok", Some(700.0))],
            vec![],
        );
        let e = compare(&snaps(a), &snaps(c), &DiffOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .contains("apartment 45 in the old check and apartment 117"),
            "{e}"
        );
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
        let r = compare(&old, &new, &DiffOptions::default()).unwrap();
        let kinds: Vec<_> = r
            .changes
            .iter()
            .map(|c| (c.entrance.as_str(), c.kind))
            .collect();
        assert_eq!(kinds, [("4, matrix 2", ChangeKind::FaultAppeared)], "{r:?}");
        let r = compare(&old, &new[..1], &DiffOptions::default()).unwrap();
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
                .unwrap()
                .changes
                .is_empty()
        );
    }

    #[test]
    fn pairing_is_by_name_in_any_order() {
        let names = ["1", "2", "3"];
        let old = json!({"entrances": names.iter().map(|n| entrance(n, 700.0, vec![], vec![])).collect::<Vec<_>>()});
        let new = json!({"entrances": names.iter().rev().map(|n| entrance(n, 700.0, vec![], vec![])).collect::<Vec<_>>()});
        assert!(cmp(old, new).changes.is_empty());
    }
}
