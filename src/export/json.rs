//! JSON exporter: stable keys, English values, labels as printed on the board. Pure.
//! Fields may be added; existing keys keep their names and meaning (other tools read them).
//! `forward_ohms`/`reverse_ohms`/`ohms` are null for OL and for a reading not taken; `state`
//! tells which.

use super::{EntranceReport, Exporter, Report};
use crate::diagnose::{CellState, Facts, Subject};
use crate::model::Terminal;
use serde_json::{Value, json};

/// The version of every JSON document kmdiag writes (`schema_version`, the first key): a
/// diagnosis, a building check, each line of `check --format jsonl`, a diff, a report,
/// `read --format json` lines. Fields may be added without changing it; it changes when a
/// key is renamed or removed or its meaning changes, and `diff` refuses versions it does not
/// know.
pub const SCHEMA_VERSION: u32 = 1;

/// Renders one JSON document: an entrance document for a single sweep, or a building
/// document holding one per entrance.
pub struct JsonExporter;

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The JSON document of one diagnosed entrance.
pub fn entrance_json(e: &EntranceReport) -> Value {
    let labels = &e.layout.labels;
    let label = |t: Terminal| labels.label(t).to_string();
    let d = &e.diagnosis;
    let finding = |f: &crate::diagnose::Finding| {
        let mut v = subject_json(&f.subject, labels);
        if let Some(m) = v.as_object_mut() {
            m.insert("fault".into(), json!(f.fault.key()));
            m.insert("confidence".into(), json!(round(f.confidence)));
            m.insert("evidence".into(), json!(f.evidence));
            m.insert("action".into(), json!(f.action));
            // Two lines joined at both crossings of a third, which way unknown (README, JSON).
            if let Facts::Joined { via, crossings } = &f.facts {
                let at: Vec<Value> = crossings
                    .iter()
                    .map(|(cell, apartment, reverse)| {
                        let (tens, units) = labels.cell(*cell);
                        json!({"apartment": apartment, "tens": tens, "units": units, "reverse_ohms": round(*reverse)})
                    })
                    .collect();
                m.insert(
                    "joined_at".into(),
                    json!({"line": label(*via), "crossings": at}),
                );
            }
        }
        v
    };
    let findings: Vec<Value> = d.findings.iter().map(finding).collect();
    // A sweep that does not fit its layout: what does not fit, the layout that fits best, and
    // the faults kept off `findings` because their apartment is uncertain.
    let layout_warning = d.layout_warning.as_ref().map(|w| {
        json!({
            "handsets_off_layout": w.handsets_off_layout.iter().map(|c| labels.cell_label(*c)).collect::<Vec<_>>(),
            "apartments_open": w.apartments_open,
            "apartments_measured": w.apartments_measured,
            "suggestion": w.suggestion.map(|s| json!({"offset": s.offset, "matrix": s.matrix})),
            "withheld_findings": w.withheld.iter().map(finding).collect::<Vec<_>>(),
        })
    });
    let cells: Vec<Value> = d
        .cells
        .iter()
        .map(|c| {
            let (tens, units) = labels.cell(c.cell);
            json!({
                "tens": tens,
                "units": units,
                "apartment": c.apartment,
                "state": c.state.key(),
                "forward_ohms": c.forward.and_then(|r| r.ohms()),
                "reverse_ohms": c.reverse.and_then(|r| r.ohms()),
            })
        })
        .collect();
    let bus: Vec<Value> = e
        .sweep
        .bus()
        .iter()
        .map(|m| {
            json!({
                "plus": label(m.plus),
                "minus": label(m.minus),
                "ohms": m.reading.ohms(),
            })
        })
        .collect();
    let cannot_tell: Vec<Value> = d
        .cannot_tell
        .iter()
        .map(|c| {
            let mut v = subject_json(&c.subject, labels);
            if let Some(m) = v.as_object_mut() {
                m.insert("reason".into(), json!(c.reason.key()));
                m.insert("fault".into(), json!(c.fault.map(|f| f.key())));
                m.insert(
                    "fault_probability".into(),
                    json!(round(c.fault_probability)),
                );
                m.insert("after_repair".into(), json!(c.after_repair));
                m.insert("remeasure".into(), json!(c.remeasure));
            }
            v
        })
        .collect();
    let count = |s: CellState| d.cells.iter().filter(|c| c.state == s).count();
    json!({
        "entrance": e.entrance,
        "source": e.source,
        "meter": e.meter,
        "measured_at": e.measured_at,
        "profile": e.layout.profile,
        "switch": e.layout.switch.model,
        "matrix": e.layout.matrix,
        "offset": e.layout.offset,
        "typical_forward_ohms": d.typical_forward_ohms.map(round),
        "healthy": d.is_healthy(),
        "complete": d.is_complete(),
        "not_measured_apartments": d.not_measured,
        "warnings": d.warnings,
        "layout_warning": layout_warning,
        "summary": {
            "apartments": d.cells.iter().filter(|c| c.apartment.is_some()).count(),
            "handsets_ok": count(CellState::Ok),
            "absent": count(CellState::Absent),
            "ghosts": count(CellState::Ghost),
            "not_measured": count(CellState::NotMeasured),
            "suspect": count(CellState::Suspect),
            "faults": d.findings.len(),
        },
        "findings": findings,
        "cells": cells,
        "bus_checks": bus,
        "notes": d.notes,
        "cannot_tell": cannot_tell,
        "remeasure_after_repair": d.remeasure_after_repair(),
        "measured": {
            "noise": (d.measured.noise * 1e5).round() / 1e5,
            "noise_from_readings": d.measured.noise_from,
            "wiring_ohms": d.measured.wiring.map(round),
        },
        "entrance_notes": e.notes,
    })
}

impl Exporter for JsonExporter {
    fn render(&self, report: &Report) -> String {
        let mut doc = match (&report.building, report.entrances.as_slice()) {
            (None, [one]) => entrance_json(one),
            _ => json!({
                "building": report.building,
                "healthy": report.entrances.iter().all(|e| e.diagnosis.is_healthy()),
                "building_notes": report.notes,
                "entrances": report.entrances.iter().map(entrance_json).collect::<Vec<_>>(),
            }),
        };
        if let Value::Object(m) = &mut doc {
            let mut versioned = serde_json::Map::new();
            versioned.insert("schema_version".into(), json!(SCHEMA_VERSION));
            versioned.extend(std::mem::take(m));
            *m = versioned;
        }
        // The date only when the command set one, so `diagnose --format json` keeps its shape;
        // it goes right after the entrance or building it dates.
        if let (Some(date), Value::Object(m)) = (&report.date, &mut doc) {
            let mut dated = serde_json::Map::new();
            for (k, v) in std::mem::take(m) {
                let after = k == "entrance" || k == "building";
                dated.insert(k, v);
                if after {
                    dated.insert("date".into(), json!(date));
                }
            }
            *m = dated;
        }
        let mut text = serde_json::to_string_pretty(&doc).expect("JSON values always serialise");
        text.push('\n');
        text
    }
}

/// Who a finding or a cannot-tell entry is about: a handset (apartment and its crossing's
/// labels) or a line (and the line it touches), as the JSON documents name them.
fn subject_json(subject: &Subject, labels: &crate::profile::LineLabels) -> Value {
    let label = |t: Terminal| labels.label(t).to_string();
    match subject {
        Subject::Handset { cell, apartment } => {
            let (tens, units) = labels.cell(*cell);
            json!({"kind": "handset", "apartment": apartment, "tens": tens, "units": units})
        }
        Subject::Bus { line, other } => {
            json!({"kind": "bus", "bus": label(*line), "other": other.map(label)})
        }
    }
}
