//! JSON exporter: stable keys, English values, labels as printed on the board. Pure.
//! Fields may be added; existing keys keep their names and meaning (other tools read them).
//! `forward_ohms`/`reverse_ohms`/`ohms` are null for OL and for a reading not taken; `state`
//! tells which.

use super::entrance_doc::EntranceDoc;
use super::{EntranceReport, Exporter, Report};
use serde::Serialize;
use serde_json::Value;

/// The version of every JSON document kmdiag writes (`schema_version`, the first key): a
/// diagnosis, a building check, each line of `check --format jsonl`, a diff, a report,
/// `read --format json` lines. Fields may be added without changing it; it changes when a
/// key is renamed or removed or its meaning changes, and `diff` refuses versions it does not
/// know.
pub const SCHEMA_VERSION: u32 = 1;

/// Renders one JSON document: an entrance document for a single sweep, or a building
/// document holding one per entrance.
pub struct JsonExporter;

/// The JSON document of one diagnosed entrance, as a value (for reading it back into a
/// snapshot); writers serialise `EntranceDoc` straight to their output instead.
pub fn entrance_json(e: &EntranceReport) -> Value {
    serde_json::to_value(EntranceDoc::new(e)).expect("an entrance document always serialises")
}

/// The building document: the building, its date when the command set one, whether every
/// entrance is healthy, its notes, and one entrance document per entrance.
#[derive(Serialize)]
struct BuildingDoc<'a> {
    schema_version: u32,
    building: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    healthy: bool,
    building_notes: &'a [String],
    entrances: EntrancesDoc<'a>,
}

/// The entrance documents of a building, without header keys.
struct EntrancesDoc<'a>(&'a [EntranceReport]);

impl Serialize for EntrancesDoc<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(EntranceDoc::new))
    }
}

impl Exporter for JsonExporter {
    fn render(&self, report: &Report) -> String {
        // The date only when the command set one, so `diagnose --format json` keeps its shape;
        // it goes right after the entrance or building it dates.
        let date = report.date.as_deref();
        let text = match (&report.building, report.entrances.as_slice()) {
            (None, [one]) => {
                serde_json::to_string_pretty(&EntranceDoc::new(one).versioned().dated(date))
            }
            _ => serde_json::to_string_pretty(&BuildingDoc {
                schema_version: SCHEMA_VERSION,
                building: &report.building,
                date,
                healthy: report.entrances.iter().all(|e| e.diagnosis.is_healthy()),
                building_notes: &report.notes,
                entrances: EntrancesDoc(&report.entrances),
            }),
        };
        let mut text = text.expect("JSON documents always serialise");
        text.push('\n');
        text
    }
}
