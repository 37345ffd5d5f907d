//! Reading the documents `diff` compares, one entrance at a time: the JSON of `diagnose`
//! (one entrance), of `check --format json` (a building, its `entrances` streamed element by
//! element), or the JSON lines of `check --format jsonl`. Memory holds one entrance at a
//! time, never the document, so two district checks compare in flat memory.
//!
//! Generic over `BufRead`; opens no files. A document of a `schema_version` this kmdiag does
//! not know is refused; a document without one (written before versions existed) is read
//! as version 1, whose keys it has.

use crate::export::{EntranceReport, SCHEMA_VERSION, entrance_json};
use crate::i18n::Message;
use crate::msg;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, Read};
use std::rc::Rc;

/// A document that is not a kmdiag check or diagnosis, or not one this version reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub struct SnapshotError {
    /// What is wrong, with the place in the document, and what to do.
    pub problem: Message,
}

impl SnapshotError {
    fn new(problem: Message) -> Self {
        SnapshotError { problem }
    }

    /// `problem; expected the JSON of …`: what is wrong, then what the document should be.
    fn expected(problem: Message) -> Self {
        SnapshotError::new(msg!("snapshot-expected", problem = problem))
    }
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
    /// Vendor profile.
    #[serde(default)]
    pub profile: Option<String>,
    /// Switch model.
    #[serde(default)]
    pub switch: Option<String>,
    /// Matrix (hundred) of the sweep.
    #[serde(default)]
    pub matrix: Option<u16>,
    /// Installer's offset.
    #[serde(default)]
    pub offset: Option<i64>,
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
        serde_json::from_value(entrance_json(e)).map_err(|err| {
            SnapshotError::new(msg!("snapshot-no-read-back", problem = err.to_string()))
        })
    }
}

/// One JSON line read straight into its fields (an entrance, a summary, an entrance not
/// checked): much cheaper than a generic JSON tree for the usual case.
#[derive(Debug, Deserialize)]
struct Line {
    #[serde(default)]
    schema_version: Option<Value>,
    #[serde(default)]
    record: Option<String>,
    #[serde(default)]
    entrances: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    entrance: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    switch: Option<String>,
    #[serde(default)]
    matrix: Option<u16>,
    #[serde(default)]
    offset: Option<i64>,
    #[serde(default)]
    typical_forward_ohms: Option<f64>,
    #[serde(default)]
    findings: Vec<FindingSnapshot>,
    #[serde(default)]
    cells: Option<Vec<CellSnapshot>>,
}

/// What kind of document a side was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// One entrance: a sweep or the JSON of `diagnose`.
    Entrance,
    /// A building or folder check (`entrances` list, or JSON lines).
    Building,
}

/// Checks a `schema_version` value.
fn check_version(v: &Value) -> Result<(), SnapshotError> {
    match v.as_u64() {
        Some(n) if n == u64::from(SCHEMA_VERSION) => Ok(()),
        _ => Err(SnapshotError::new(msg!(
            "snapshot-schema-version",
            value = crate::input::clip(&v.to_string()),
            reads = SCHEMA_VERSION
        ))),
    }
}

/// Bytes read since the last entrance, shared by the reader and the parser.
type Counter = Rc<Cell<u64>>;

/// A reader that fails once one entrance's JSON passes `limit` bytes: a document of one
/// endless entrance (or `/dev/zero` behind `-`) must not grow memory without bound.
struct Limited<R> {
    inner: R,
    count: Counter,
    limit: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        if self.count.get() > self.limit {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "one entrance's JSON is larger than {} MiB, more than any switch has crossings",
                    self.limit / crate::input::MIB
                ),
            ));
        }
        Ok(n)
    }
}

/// The top-level object of a document: `entrances` streamed through `each`, any other key
/// kept (they are few and small, or, in an entrance document, the entrance itself).
struct TopSeed<'a> {
    each: &'a mut dyn FnMut(EntranceSnapshot) -> Result<(), SnapshotError>,
    count: Option<Counter>,
    /// Index of the entrance being parsed, for messages.
    at: Rc<Cell<Option<usize>>>,
    /// Set when the document had an `entrances` list.
    building: &'a mut bool,
    /// A `record` key of a JSON line (`entrance`, `summary`, `not_checked`).
    record: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = serde_json::Map<String, Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = serde_json::Map<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error;
        let mut rest = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "entrances" => {
                    *self.building = true;
                    map.next_value_seed(EntrancesSeed {
                        each: &mut *self.each,
                        count: self.count.clone(),
                        at: self.at.clone(),
                    })?;
                }
                "schema_version" => {
                    let v: Value = map.next_value()?;
                    check_version(&v).map_err(A::Error::custom)?;
                }
                _ => {
                    let v: Value = map.next_value()?;
                    if key == "record" {
                        *self.record = v.as_str().map(String::from);
                    }
                    rest.insert(key, v);
                }
            }
        }
        Ok(rest)
    }
}

/// The `entrances` list, one element at a time.
struct EntrancesSeed<'a> {
    each: &'a mut dyn FnMut(EntranceSnapshot) -> Result<(), SnapshotError>,
    count: Option<Counter>,
    at: Rc<Cell<Option<usize>>>,
}

impl<'de> DeserializeSeed<'de> for EntrancesSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntrancesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of entrance documents ('entrances')")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut i = 0usize;
        loop {
            if let Some(c) = &self.count {
                c.set(0);
            }
            self.at.set(Some(i));
            match seq.next_element::<EntranceSnapshot>()? {
                Some(e) => (self.each)(e).map_err(A::Error::custom)?,
                None => {
                    self.at.set(None);
                    return Ok(());
                }
            }
            i += 1;
        }
    }
}

/// The longest line of a JSON-lines document: one entrance of the largest switch.
const LINE_LIMIT: u64 = crate::input::DOCUMENT_LIMIT;

/// Reads one document from `input`, calling `each` for every entrance in order. Returns
/// what kind of document it was.
pub fn read_document(
    mut input: impl BufRead,
    each: &mut dyn FnMut(EntranceSnapshot) -> Result<(), SnapshotError>,
) -> Result<DocumentKind, SnapshotError> {
    let bad_json = |e: &dyn fmt::Display| {
        SnapshotError::expected(msg!(
            "snapshot-not-json",
            problem = crate::input::clip_to(&e.to_string(), 4 * crate::input::CLIP_CHARS)
        ))
    };
    // The first line decides: a whole JSON object on it means JSON lines (or a one-line
    // document); anything else is one (pretty-printed) document, streamed.
    let mut first = Vec::new();
    (&mut input)
        .take(LINE_LIMIT)
        .read_until(b'\n', &mut first)
        .map_err(|e| {
            SnapshotError::new(msg!(
                "snapshot-cannot-read",
                cause = crate::i18n::os_error(&e)
            ))
        })?;
    let first_text = String::from_utf8_lossy(&first);
    let trimmed = first_text.trim_start_matches('\u{feff}').trim();
    let whole_line =
        trimmed.starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok();
    if whole_line {
        read_lines(&first, input, each, &bad_json)
    } else {
        read_whole(&first, input, each, &bad_json)
    }
}

/// JSON lines: each non-empty line is a document (an entrance, a summary, an entrance not
/// checked); a single line holding an entrance document is that entrance.
fn read_lines(
    first: &[u8],
    mut input: impl BufRead,
    each: &mut dyn FnMut(EntranceSnapshot) -> Result<(), SnapshotError>,
    bad_json: &dyn Fn(&dyn fmt::Display) -> SnapshotError,
) -> Result<DocumentKind, SnapshotError> {
    let mut line = first.to_vec();
    let mut number = 1u64;
    let mut kind = DocumentKind::Entrance;
    let mut lines = 0;
    loop {
        let text = String::from_utf8_lossy(&line);
        let t = text.trim_start_matches('\u{feff}').trim();
        if !t.is_empty() {
            lines += 1;
            let building = read_line(t, each, bad_json).map_err(|e| {
                SnapshotError::new(msg!("snapshot-at-line", line = number, problem = e.problem))
            })?;
            if lines > 1 || building {
                kind = DocumentKind::Building;
            }
        }
        line.clear();
        number += 1;
        if !next_line(&mut input, &mut line, number)? {
            break;
        }
    }
    if lines == 0 {
        return Err(SnapshotError::expected(msg!("snapshot-empty")));
    }
    Ok(kind)
}

/// Takes one line that is not blank; hands each entrance on it to `each`. Gives whether
/// the line shows a building document (a record, or a whole building on one line). The
/// error is the line's own; the caller says which line.
fn read_line(
    t: &str,
    each: &mut dyn FnMut(EntranceSnapshot) -> Result<(), SnapshotError>,
    bad_json: &dyn Fn(&dyn fmt::Display) -> SnapshotError,
) -> Result<bool, SnapshotError> {
    // The usual line: an entrance (or a summary) read straight into its fields.
    let parsed: Option<Line> = serde_json::from_str(t).ok();
    match parsed {
        Some(l) if l.entrances.is_none() => read_record(l, each),
        _ => read_general(t, each, bad_json),
    }
}

/// Takes a line read straight into its fields; hands an entrance to `each` (a summary or
/// another record is skipped). Gives whether it is a record of a building document.
fn read_record(
    l: Line,
    each: &mut dyn FnMut(EntranceSnapshot) -> Result<(), SnapshotError>,
) -> Result<bool, SnapshotError> {
    if let Some(v) = &l.schema_version {
        check_version(v)?;
    }
    let building = l.record.is_some();
    match (l.record.as_deref(), l.cells) {
        (None | Some("entrance"), Some(cells)) => each(EntranceSnapshot {
            entrance: l.entrance,
            source: l.source,
            profile: l.profile,
            switch: l.switch,
            matrix: l.matrix,
            offset: l.offset,
            typical_forward_ohms: l.typical_forward_ohms,
            findings: l.findings,
            cells,
        })?,
        (None | Some("entrance"), None) => {
            return Err(SnapshotError::expected(msg!("snapshot-no-cells")));
        }
        _ => {}
    }
    Ok(building)
}

/// Takes a line the straight reading refused: a whole building document on one line, or
/// a line with an error to report, which the general reader says what is wrong and where.
/// Hands each entrance to `each`; gives whether it is a building document.
fn read_general(
    t: &str,
    each: &mut dyn FnMut(EntranceSnapshot) -> Result<(), SnapshotError>,
    bad_json: &dyn Fn(&dyn fmt::Display) -> SnapshotError,
) -> Result<bool, SnapshotError> {
    let entrance_at = Rc::new(Cell::new(None));
    let mut building = false;
    let mut record = None;
    let mut de = serde_json::Deserializer::from_str(t);
    let rest = TopSeed {
        each: &mut *each,
        count: None,
        at: entrance_at.clone(),
        building: &mut building,
        record: &mut record,
    }
    .deserialize(&mut de)
    .map_err(|e| describe(&e, entrance_at.get(), bad_json))?;
    if !building {
        let e: EntranceSnapshot = serde_json::from_value(Value::Object(rest))
            .map_err(|e| SnapshotError::expected(Message::said(e.to_string())))?;
        each(e)?;
    }
    Ok(building)
}

/// Takes the input, the line buffer (empty) and the next line's number; reads that line,
/// at most `LINE_LIMIT` bytes. Gives false at the end of the input.
fn next_line(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
    number: u64,
) -> Result<bool, SnapshotError> {
    let n = input
        .take(LINE_LIMIT)
        .read_until(b'\n', line)
        .map_err(|e| {
            SnapshotError::new(msg!(
                "snapshot-at-line",
                line = number,
                problem = msg!("snapshot-cannot-read", cause = crate::i18n::os_error(&e))
            ))
        })?;
    if n == 0 {
        return Ok(false);
    }
    if n as u64 >= LINE_LIMIT && !line.ends_with(b"\n") {
        return Err(SnapshotError::new(msg!(
            "snapshot-line-too-long",
            line = number,
            limit = LINE_LIMIT / crate::input::MIB
        )));
    }
    Ok(true)
}

/// A parse error in words: broken JSON as such, a wrong value with the entrance it is in.
fn describe(
    e: &serde_json::Error,
    entrance: Option<usize>,
    bad_json: &dyn Fn(&dyn fmt::Display) -> SnapshotError,
) -> SnapshotError {
    if e.is_syntax() || e.is_eof() || e.is_io() {
        return bad_json(e);
    }
    let text = crate::input::clip_to(&e.to_string(), 4 * crate::input::CLIP_CHARS);
    if text.starts_with("schema_version") {
        return SnapshotError::new(Message::said(text));
    }
    match entrance {
        Some(i) => SnapshotError::expected(msg!("snapshot-in-entrance", index = i, problem = text)),
        None => SnapshotError::expected(Message::said(text)),
    }
}

/// One document, its `entrances` streamed.
fn read_whole(
    first: &[u8],
    input: impl BufRead,
    each: &mut dyn FnMut(EntranceSnapshot) -> Result<(), SnapshotError>,
    bad_json: &dyn Fn(&dyn fmt::Display) -> SnapshotError,
) -> Result<DocumentKind, SnapshotError> {
    let count: Counter = Rc::new(Cell::new(first.len() as u64));
    let reader = Limited {
        inner: std::io::Cursor::new(first.to_vec()).chain(input),
        count: count.clone(),
        limit: crate::input::DOCUMENT_LIMIT,
    };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let mut building = false;
    let mut record = None;
    let entrance_at = Rc::new(Cell::new(None));
    let mut inner_error: Option<SnapshotError> = None;
    let mut wrapped =
        |e: EntranceSnapshot| each(e).inspect_err(|err| inner_error = Some(err.clone()));
    let rest = TopSeed {
        each: &mut wrapped,
        count: Some(count),
        at: entrance_at.clone(),
        building: &mut building,
        record: &mut record,
    }
    .deserialize(&mut de);
    let rest = match rest {
        Ok(r) => r,
        Err(e) => {
            if let Some(inner) = inner_error {
                return Err(inner);
            }
            return Err(describe(&e, entrance_at.get(), bad_json));
        }
    };
    de.end().map_err(|e| bad_json(&e))?;
    if building {
        return Ok(DocumentKind::Building);
    }
    if !rest.contains_key("cells") {
        return Err(SnapshotError::expected(msg!("snapshot-no-entrances")));
    }
    let e: EntranceSnapshot = serde_json::from_value(Value::Object(rest)).map_err(|e| {
        SnapshotError::expected(msg!("snapshot-entrance-document", problem = e.to_string()))
    })?;
    each(e)?;
    Ok(DocumentKind::Entrance)
}

/// Reads a whole document into a list (for tests and small documents).
pub fn snapshots_from_json(text: &str) -> Result<Vec<EntranceSnapshot>, SnapshotError> {
    let mut all = Vec::new();
    read_document(text.as_bytes(), &mut |e| {
        all.push(e);
        Ok(())
    })?;
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entrance(name: &str) -> Value {
        json!({"entrance": name, "source": "x.csv", "profile": "eltis", "cells": [
            {"tens": "D4", "units": "E5", "apartment": 45, "state": "ok", "forward_ohms": 700.0}
        ]})
    }

    #[test]
    fn reads_pretty_building_compact_entrance_and_json_lines() {
        let building = json!({"schema_version": 1, "building": "b",
                              "entrances": [entrance("1"), entrance("2")]});
        let pretty = serde_json::to_string_pretty(&building).unwrap();
        let names: Vec<_> = snapshots_from_json(&pretty)
            .unwrap()
            .iter()
            .map(EntranceSnapshot::name)
            .collect();
        assert_eq!(names, ["1", "2"]);
        let one = snapshots_from_json(&entrance("7").to_string()).unwrap();
        assert_eq!(one[0].name(), "7");
        let mut lines = String::new();
        for n in ["1", "2"] {
            let mut e = entrance(n);
            e["schema_version"] = json!(1);
            e["record"] = json!("entrance");
            lines.push_str(&format!("{e}\n"));
        }
        lines.push_str("{\"schema_version\":1,\"record\":\"summary\"}\n");
        let mut kinds = Vec::new();
        let kind = read_document(lines.as_bytes(), &mut |e| {
            kinds.push(e.name());
            Ok(())
        })
        .unwrap();
        assert_eq!(kind, DocumentKind::Building);
        assert_eq!(kinds, ["1", "2"]);
    }

    #[test]
    fn unknown_versions_and_other_documents_are_refused_with_the_reason() {
        let e = snapshots_from_json(&json!({"schema_version": 99, "entrances": []}).to_string())
            .unwrap_err();
        assert!(e.to_string().contains("schema_version 99"), "{e}");
        let e = snapshots_from_json("{\n\"schema_version\": 2,\n\"entrances\": []\n}").unwrap_err();
        assert!(e.to_string().contains("schema_version 2"), "{e}");
        let e = snapshots_from_json("{\"entrances\": [{\"cells\": 3}]}").unwrap_err();
        assert!(e.to_string().contains("entrances[0]"), "{e}");
        assert!(snapshots_from_json("[1, 2]").is_err());
        assert!(snapshots_from_json("{\"name\": \"x\"}").is_err());
        assert!(snapshots_from_json("").is_err());
        let e = snapshots_from_json("{\"entrances\": [").unwrap_err();
        assert!(e.to_string().contains("not valid JSON"), "{e}");
    }

    #[test]
    fn endless_input_stops_at_the_limit() {
        let zeros = std::io::repeat(0).take(LINE_LIMIT + 10);
        let e = read_document(std::io::BufReader::new(zeros), &mut |_| Ok(())).unwrap_err();
        assert!(e.to_string().contains("not valid JSON"), "{e}");
        let spaces = std::io::Cursor::new(b"{\n".to_vec())
            .chain(std::io::repeat(b' ').take(2 * crate::input::DOCUMENT_LIMIT));
        let e = read_document(std::io::BufReader::new(spaces), &mut |_| Ok(())).unwrap_err();
        assert!(e.to_string().contains("MiB"), "{e}");
    }
}
