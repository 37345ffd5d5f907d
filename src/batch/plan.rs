//! The building plan (`building.toml`, documented in `docs/building-plan.md`): the address,
//! notes and every entrance with its switch, numbering, apartments, sweep or live source.
//! Also the "folder of sweeps" plan of `kmdiag check DIR`, one entrance per `*.csv`.
//!
//! Loading validates everything that can be checked without the sweeps (rule 7): syntax and
//! keys with file/line/key, profiles and switch models, apartment ranges, flats claimed by two
//! entrances. It must not read the sweeps or map files: those belong to the run, where one bad
//! file fails one entrance and not the building.

use crate::i18n::Message;
use crate::msg;
use crate::profile::{
    self, Profile, ProfileError, Switch, TomlSyntax, key_at, matrices_touched, parse_apartments,
};
use crate::sweep::EntranceSettings;
use serde::Deserialize;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// What is wrong with a building plan or a folder of sweeps.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum PlanError {
    /// The plan file could not be read (missing, not a regular file, too large, not UTF-8).
    Read {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the file.
        problem: Message,
    },
    /// The TOML is malformed, or a key is unknown, missing or of the wrong type.
    Syntax(TomlSyntax),
    /// A value parses but cannot be right.
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the value.
        line: usize,
        /// The key, with its table.
        key: String,
        /// What is wrong and what to do.
        problem: Message,
    },
    /// Two entrances claim the same apartment.
    SharedApartment {
        /// The file.
        path: PathBuf,
        /// The apartment.
        apartment: u32,
        /// The entrance that claimed it first.
        first: String,
        /// Line of the first entrance's `apartments`.
        first_line: usize,
        /// The entrance that claims it again.
        second: String,
        /// Line of the second entrance's `apartments`.
        second_line: usize,
    },
    /// The folder of sweeps cannot be listed.
    ReadDir {
        /// The folder.
        path: PathBuf,
        /// The OS error (not a `source`: it is part of this message, once).
        cause: std::io::Error,
    },
    /// The folder holds no sweep.
    EmptyDir {
        /// The folder.
        path: PathBuf,
    },
    /// `--entrance` names an entrance the plan does not have.
    UnknownEntrance {
        /// The plan or folder.
        path: PathBuf,
        /// What was asked for.
        name: String,
        /// Entrances the plan has.
        known: Vec<String>,
    },
    /// The profile or switch of the command line (folder mode) is wrong.
    #[error(transparent)]
    Profile(#[from] ProfileError),
}

/// The `meter` value that names kmdiag's scanning adapter rather than a handheld meter.
pub const ADAPTER: &str = "adapter";

impl PlanError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            PlanError::Read { problem, .. } => problem.clone(),
            PlanError::Syntax(s) => msg!(
                "error-plan-syntax",
                path = &s.path,
                line = s.line,
                column = s.column,
                problem = &s.problem,
                key = &s.key
            ),
            PlanError::Invalid {
                path,
                line,
                key,
                problem,
            } => msg!(
                "error-plan-invalid",
                path = path,
                line = *line,
                key = key,
                problem = problem.clone()
            ),
            PlanError::SharedApartment {
                path,
                apartment,
                first,
                first_line,
                second,
                second_line,
            } => msg!(
                "error-plan-shared-apartment",
                path = path,
                second_line = *second_line,
                second = second,
                apartment = *apartment,
                first = first,
                first_line = *first_line
            ),
            PlanError::ReadDir { path, cause } => msg!(
                "error-plan-read-dir",
                path = path,
                cause = crate::i18n::os_error(cause)
            ),
            PlanError::EmptyDir { path } => msg!("error-plan-empty-dir", path = path),
            PlanError::UnknownEntrance { path, name, known } => msg!(
                "error-plan-unknown-entrance",
                name = name,
                path = path,
                known = known.join(", ")
            ),
            PlanError::Profile(e) => e.message(),
        }
    }
}

/// A live source for `check --live`: the port and the meter (or `adapter`) on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSource {
    /// Serial port, e.g. `/dev/ttyUSB0`.
    pub port: String,
    /// Meter model from the meter table, or `adapter` for the scanning adapter.
    pub meter: String,
}

/// One entrance (one matrix) of a plan, with every path resolved. An `[[entrance]]` whose
/// apartments span several matrices, with one sweep per matrix, becomes one of these per
/// matrix, each with its `matrix` set, all with the entrance's number and line.
#[derive(Debug, Clone)]
pub struct EntrancePlan {
    /// Entrance number or name as the plan writes it (`1`, `2A`); in folder mode the file stem.
    pub number: String,
    /// Line of its `[[entrance]]` in the plan, when it came from one.
    pub line: Option<usize>,
    /// Profile, switch, offset, apartments, matrix and map as the plan (or, in folder mode,
    /// the command line) gives them; what it leaves out comes from the sweep's header. Paths
    /// are resolved against the plan's folder.
    pub settings: EntranceSettings,
    /// Sweep file, resolved against the plan's folder.
    pub sweep: Option<PathBuf>,
    /// Port and meter for `check --live`.
    pub live: Option<LiveSource>,
    /// Flats known to have no handset.
    pub known_absent: Vec<u32>,
    /// Remarks (access, known problems).
    pub notes: Vec<String>,
}

/// A building plan, or a folder of sweeps checked as one entrance each.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The plan file, or the folder in folder mode.
    pub path: PathBuf,
    /// Building address; `None` in folder mode.
    pub address: Option<String>,
    /// Remarks about the building.
    pub notes: Vec<String>,
    /// Entrances in plan order (folder mode: file-name order).
    pub entrances: Vec<EntrancePlan>,
}

/// Free-form notes: one string (may span lines) or a list of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawNotes {
    One(String),
    Many(Vec<String>),
}

impl RawNotes {
    fn into_lines(self) -> Vec<String> {
        let all = match self {
            RawNotes::One(s) => vec![s],
            RawNotes::Many(v) => v,
        };
        all.iter()
            .flat_map(|s| s.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    }
}

/// `sweep = "FILE.csv"`, or one file per matrix the apartments span: `sweep = ["m2.csv",
/// "m3.csv"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawSweep {
    One(String),
    PerMatrix(Vec<String>),
}

/// An entrance number: `number = 3` or `number = "3A"`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawNumber {
    Int(i64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    address: String,
    #[serde(default)]
    notes: Option<RawNotes>,
    #[serde(default, rename = "entrance")]
    entrances: Vec<RawEntrance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntrance {
    number: Spanned<RawNumber>,
    profile: Spanned<String>,
    #[serde(default)]
    switch: Option<Spanned<String>>,
    #[serde(default)]
    offset: Option<i64>,
    apartments: Spanned<String>,
    #[serde(default)]
    matrix: Option<Spanned<u16>>,
    #[serde(default)]
    map: Option<String>,
    #[serde(default)]
    sweep: Option<Spanned<RawSweep>>,
    #[serde(default)]
    port: Option<Spanned<String>>,
    #[serde(default)]
    meter: Option<Spanned<String>>,
    #[serde(default)]
    known_absent: Option<Spanned<Vec<u32>>>,
    #[serde(default)]
    notes: Option<RawNotes>,
}

/// Reads a plan's entrances one by one, in steps (number, profile, switch, apartments,
/// matrix, live source, sweeps, known-absent flats, map), each refusing what does not fit
/// with the line and key it is on. Holds what the steps share: where the plan is, its lines,
/// the profiles read so far (each once however many entrances use it) and the numbers seen.
struct PlanReader<'a> {
    path: &'a Path,
    /// The folder relative paths are read from (None when the plan came on stdin).
    dir: Option<PathBuf>,
    lines: LineIndex,
    profiles: std::collections::HashMap<String, Arc<crate::profile::Profile>>,
    /// Line of each entrance number, for duplicates.
    numbers: std::collections::HashMap<String, usize>,
    entrances: Vec<EntrancePlan>,
    /// (entrance index, line of `apartments`, ranges) for the overlap check.
    claims: Vec<(usize, usize, Vec<RangeInclusive<u32>>)>,
}

/// The key of an entrance's field, as an error names it (`entrance[2].sweep`).
fn entrance_key(i: usize, k: &str) -> String {
    format!("entrance[{}].{k}", i + 1)
}

impl<'a> PlanReader<'a> {
    fn new(text: &str, path: &'a Path) -> PlanReader<'a> {
        let dir = match path.parent() {
            _ if crate::input::is_stdin(path) => None,
            Some(d) if !d.as_os_str().is_empty() => Some(d.to_path_buf()),
            _ => Some(PathBuf::from(".")),
        };
        PlanReader {
            path,
            dir,
            lines: LineIndex::new(text),
            profiles: Default::default(),
            numbers: Default::default(),
            entrances: Vec::new(),
            claims: Vec::new(),
        }
    }

    /// The error for `key` at byte `offset` of the plan.
    fn invalid(&self, offset: usize, key: &str, problem: Message) -> PlanError {
        PlanError::Invalid {
            path: self.path.to_path_buf(),
            line: self.lines.line(offset),
            key: key.to_string(),
            problem,
        }
    }

    /// A path written in the plan, relative to the plan's folder.
    fn resolve(&self, written: &str) -> Result<PathBuf, Message> {
        resolve_path(self.dir.as_deref(), written)
    }

    /// Reads entrance `i` (one plan entry per matrix it sweeps) into the plan.
    fn entrance(&mut self, i: usize, e: RawEntrance) -> Result<(), PlanError> {
        let key = |k: &str| entrance_key(i, k);
        let number_at = e.number.span().start;
        let (number, line) = self.number(i, e.number)?;
        let (profile, profile_at) = self.profile(i, e.profile)?;
        let (switch_at, switch_name) = match &e.switch {
            Some(s) => (s.span().start, Some(s.get_ref().as_str())),
            None => (profile_at, None),
        };
        // Without `switch` the sweep's header may name one; the default is checked here.
        let switch = profile
            .switch(switch_name)
            .map_err(|err| self.invalid(switch_at, &key("switch"), err.message()))?
            .clone();
        let apartments_at = e.apartments.span().start;
        let apartments = parse_apartments(e.apartments.get_ref())
            .map_err(|p| self.invalid(apartments_at, &key("apartments"), p))?;
        let matrix = self.matrix(i, e.matrix, &switch)?;
        let port_at = e.port.as_ref().map_or(number_at, |p| p.span().start);
        let live = self.live(i, e.port, e.meter)?;
        let sweep_at = e.sweep.as_ref().map(|s| s.span().start);
        let (sweeps, listed) = self.sweeps(i, e.sweep)?;
        let parts = SweepParts {
            profile: &profile,
            switch: &switch,
            switch_given: e.switch.as_ref().map(|s| s.get_ref().as_str()),
            offset: e.offset,
            apartments: &apartments,
            matrix,
            has_map: e.map.is_some(),
            live: live.as_ref(),
        }
        .split(sweeps, listed)
        .map_err(|(k, problem)| {
            let at = match k {
                "port" => port_at,
                "apartments" => apartments_at,
                _ => sweep_at.unwrap_or(apartments_at),
            };
            self.invalid(at, &key(k), problem)
        })?;
        if parts.iter().all(|p| p.sweep.is_none()) && live.is_none() {
            return Err(self.invalid(number_at, &key("sweep"), msg!("plan-no-source")));
        }
        let known_absent = self.known_absent(i, e.known_absent, &apartments)?;
        self.claims.push((
            self.entrances.len(),
            self.lines.line(apartments_at),
            apartments.clone(),
        ));
        let map = (e.map.as_deref())
            .map(|m| self.resolve(m))
            .transpose()
            .map_err(|problem| self.invalid(number_at, &key("map"), problem))?;
        let notes = e.notes.map(RawNotes::into_lines).unwrap_or_default();
        for part in parts {
            let on_part = |a: &u32| part.apartments.iter().any(|r| r.contains(a));
            let sweep = (part.sweep.as_deref())
                .map(|s| self.resolve(s))
                .transpose()
                .map_err(|problem| self.invalid(number_at, &key("sweep"), problem))?;
            self.entrances.push(EntrancePlan {
                number: number.clone(),
                line: Some(line),
                settings: EntranceSettings {
                    profile: Some(Arc::clone(&profile)),
                    switch: part.switch.clone(),
                    offset: part.offset,
                    apartments: Some(part.apartments.clone()),
                    matrix: part.matrix,
                    map: map.clone(),
                    default_profile: None,
                },
                sweep,
                live: live.clone(),
                known_absent: known_absent.iter().copied().filter(on_part).collect(),
                notes: notes.clone(),
            });
        }
        Ok(())
    }

    /// The entrance's number as written, and its line; refuses an empty or repeated one.
    fn number(
        &mut self,
        i: usize,
        written: Spanned<RawNumber>,
    ) -> Result<(String, usize), PlanError> {
        let at = written.span().start;
        let number = match written.into_inner() {
            RawNumber::Int(n) => n.to_string(),
            RawNumber::Text(s) => s.trim().to_string(),
        };
        if number.is_empty() {
            return Err(self.invalid(at, &entrance_key(i, "number"), msg!("profile-name-empty")));
        }
        let line = self.lines.line(at);
        if let Some(other) = self.numbers.get(&number) {
            return Err(self.invalid(
                at,
                &entrance_key(i, "number"),
                msg!(
                    "plan-entrance-repeated",
                    number = crate::input::clip(&number),
                    line = *other
                ),
            ));
        }
        self.numbers.insert(number.clone(), line);
        Ok((number, line))
    }

    /// The entrance's profile (read once per plan), and where it is written. A bare name is a
    /// built-in profile (and an error quotes it as written); anything that looks like a path
    /// is a profile file next to the plan.
    fn profile(
        &mut self,
        i: usize,
        written: Spanned<String>,
    ) -> Result<(Arc<crate::profile::Profile>, usize), PlanError> {
        let at = written.span().start;
        let written = written.into_inner();
        if let Some(p) = self.profiles.get(&written) {
            return Ok((Arc::clone(p), at));
        }
        let key = entrance_key(i, "profile");
        let looks_like_path = written.contains(['/', '\\']) || written.ends_with(".toml");
        let p = if profile::builtin_source(&written).is_some() || !looks_like_path {
            profile::resolve(&written)
        } else {
            let file =
                (self.resolve(&written)).map_err(|problem| self.invalid(at, &key, problem))?;
            profile::resolve(&file.to_string_lossy())
        }
        .map_err(|err| self.invalid(at, &key, err.message()))?;
        let p = Arc::new(p);
        self.profiles.insert(written, Arc::clone(&p));
        Ok((p, at))
    }

    /// The matrix the entrance is on, if the plan says; refuses one the switch does not have.
    fn matrix(
        &self,
        i: usize,
        written: Option<Spanned<u16>>,
        switch: &crate::profile::Switch,
    ) -> Result<Option<u16>, PlanError> {
        match written {
            Some(m) if *m.get_ref() == 0 || *m.get_ref() > switch.matrices => Err(self.invalid(
                m.span().start,
                &entrance_key(i, "matrix"),
                msg!(
                    "plan-no-such-matrix",
                    model = &switch.model,
                    matrices = switch.matrices,
                    matrix = *m.get_ref()
                ),
            )),
            Some(m) => Ok(Some(m.into_inner())),
            None => Ok(None),
        }
    }

    /// The meter to sweep the entrance with live, if any: `port` and `meter` go together, and
    /// the meter must be one kmdiag knows.
    fn live(
        &self,
        i: usize,
        port: Option<Spanned<String>>,
        meter: Option<Spanned<String>>,
    ) -> Result<Option<LiveSource>, PlanError> {
        match (port, meter) {
            (Some(p), Some(m)) => {
                let meter = m.get_ref().trim();
                if !meter.eq_ignore_ascii_case(ADAPTER)
                    && crate::acquire::meter::find_model(meter).is_none()
                {
                    return Err(self.invalid(
                        m.span().start,
                        &entrance_key(i, "meter"),
                        msg!(
                            "plan-unknown-meter",
                            meter = crate::input::clip(meter),
                            adapter = ADAPTER,
                            known = crate::acquire::meter::models::model_names()
                        ),
                    ));
                }
                Ok(Some(LiveSource {
                    port: p.into_inner(),
                    meter: meter.to_string(),
                }))
            }
            (Some(p), None) => Err(self.invalid(
                p.span().start,
                &entrance_key(i, "port"),
                msg!("plan-live-needs-meter"),
            )),
            (None, Some(m)) => Err(self.invalid(
                m.span().start,
                &entrance_key(i, "meter"),
                msg!("plan-live-needs-port"),
            )),
            (None, None) => Ok(None),
        }
    }

    /// The entrance's sweep files as written, and whether they were a per-matrix list; refuses
    /// an empty list.
    fn sweeps(
        &self,
        i: usize,
        written: Option<Spanned<RawSweep>>,
    ) -> Result<(Vec<String>, bool), PlanError> {
        let at = written.as_ref().map(|s| s.span().start);
        let listed = matches!(
            written.as_ref().map(|s| s.get_ref()),
            Some(RawSweep::PerMatrix(_))
        );
        let sweeps: Vec<String> = match written.map(Spanned::into_inner) {
            Some(RawSweep::One(file)) => vec![file],
            Some(RawSweep::PerMatrix(files)) => files,
            None => Vec::new(),
        };
        if let (Some(at), true) = (at, sweeps.is_empty()) {
            return Err(self.invalid(at, &entrance_key(i, "sweep"), msg!("plan-sweep-list-empty")));
        }
        Ok((sweeps, listed))
    }

    /// The flats the technician knows have no handset; refuses one outside the apartments.
    fn known_absent(
        &self,
        i: usize,
        written: Option<Spanned<Vec<u32>>>,
        apartments: &[RangeInclusive<u32>],
    ) -> Result<Vec<u32>, PlanError> {
        let Some(k) = written else {
            return Ok(Vec::new());
        };
        let at = k.span().start;
        let flats = k.into_inner();
        if let Some(a) = (flats.iter()).find(|a| !apartments.iter().any(|r| r.contains(a))) {
            return Err(self.invalid(
                at,
                &entrance_key(i, "known_absent"),
                msg!(
                    "plan-known-absent-outside",
                    apartment = *a,
                    apartments = ranges_text(apartments)
                ),
            ));
        }
        Ok(flats)
    }
}

/// Resolves a path written in the plan against the plan's folder; a plan read from standard
/// input has none (`None`), so there only a full path will do.
fn resolve_path(dir: Option<&Path>, written: &str) -> Result<PathBuf, Message> {
    let p = Path::new(written);
    match dir {
        _ if p.is_absolute() => Ok(p.to_path_buf()),
        Some(dir) => Ok(dir.join(p)),
        None => Err(msg!(
            "plan-relative-path-from-stdin",
            path = crate::input::clip(written)
        )),
    }
}

/// Is this line an `[[entrance]]` header?
fn is_entrance_header(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("[[") && t.trim_matches(|c| c == '[' || c == ']').trim() == "entrance"
}

/// How many `[[entrance]]` headers start in `text[..end]`: the 1-based index of the entrance
/// table that a position after them is in.
fn entrances_before(text: &str, end: usize) -> usize {
    text[..end.min(text.len())]
        .lines()
        .filter(|l| is_entrance_header(l))
        .count()
}

/// The key an error at `offset` is about, with the entrance index (`entrance[2].offset`).
/// serde reports a missing key at its table (the header, or the document), so `message`
/// supplies the key's name then.
fn plan_key_at(text: &str, offset: usize, message: &str) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next());
    let table = if is_entrance_header(line) {
        Some(format!("entrance[{}]", entrances_before(text, line_end)))
    } else if line.trim_start().starts_with('[') {
        Some(
            line.trim()
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string(),
        )
    } else {
        None
    };
    if let Some(field) = missing {
        return match table {
            Some(t) => format!("{t}.{field}"),
            None => field.to_string(),
        };
    }
    if let Some(t) = table {
        return t;
    }
    let key = key_at(text, offset);
    match key.strip_prefix("entrance") {
        Some(rest) if rest.is_empty() || rest.starts_with('.') => {
            format!("entrance[{}]{rest}", entrances_before(text, offset))
        }
        _ => key,
    }
}

/// Line numbers of byte offsets in one text, found by binary search: a plan of 20,000
/// entrances asks for 100,000 of them, which counting from the top each time made quadratic.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

impl Plan {
    /// Reads and validates a building plan.
    pub fn load(path: &Path) -> Result<Plan, PlanError> {
        let read = |problem: Message| PlanError::Read {
            path: path.to_path_buf(),
            problem,
        };
        let bytes = crate::input::read_input(path, crate::input::PLAN_LIMIT, "building plan")
            .map_err(|e| read(e.message()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            read(msg!(
                "error-plan-not-utf8",
                path = path,
                byte = e.utf8_error().valid_up_to() + 1
            ))
        })?;
        Plan::parse(&text, path)
    }

    /// Parses and validates plan text; `path` names the file in messages and its folder is
    /// where relative paths start.
    pub fn parse(text: &str, path: &Path) -> Result<Plan, PlanError> {
        let raw: RawPlan = toml::from_str(text)
            .map_err(|e| PlanError::Syntax(TomlSyntax::new(path, text, &e, plan_key_at)))?;
        let mut reader = PlanReader::new(text, path);
        if raw.address.trim().is_empty() {
            return Err(reader.invalid(
                text.find("address").unwrap_or(0),
                "address",
                msg!("plan-address-empty"),
            ));
        }
        if raw.entrances.is_empty() {
            return Err(PlanError::Invalid {
                path: path.to_path_buf(),
                line: 1,
                key: "entrance".into(),
                problem: msg!("plan-no-entrance"),
            });
        }
        for (i, e) in raw.entrances.into_iter().enumerate() {
            reader.entrance(i, e)?;
        }
        check_overlaps(path, &reader.entrances, &reader.claims)?;
        Ok(Plan {
            path: path.to_path_buf(),
            address: Some(raw.address.trim().to_string()),
            notes: raw.notes.map(RawNotes::into_lines).unwrap_or_default(),
            entrances: reader.entrances,
        })
    }

    /// Every `*.csv` in `dir` as one entrance, named by its file stem, in name order, each
    /// checked with the same command-line parameters over its own header. Flats may repeat
    /// across files: a folder is a district, not one building.
    pub fn from_dir(dir: &Path, template: &EntranceSettings) -> Result<Plan, PlanError> {
        let read_dir = |cause| PlanError::ReadDir {
            path: dir.to_path_buf(),
            cause,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_dir)? {
            let path = entry.map_err(read_dir)?.path();
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                && path.is_file()
            {
                files.push(path);
            }
        }
        if files.is_empty() {
            return Err(PlanError::EmptyDir {
                path: dir.to_path_buf(),
            });
        }
        files.sort();
        let entrances = files
            .into_iter()
            .map(|file| EntrancePlan {
                number: file.file_stem().map_or_else(
                    || file.display().to_string(),
                    |s| s.to_string_lossy().into(),
                ),
                line: None,
                settings: template.clone(),
                sweep: Some(file),
                live: None,
                known_absent: Vec::new(),
                notes: Vec::new(),
            })
            .collect();
        Ok(Plan {
            path: dir.to_path_buf(),
            address: None,
            notes: Vec::new(),
            entrances,
        })
    }

    /// The entrances named (all of them for an empty list), in plan order; an unknown name
    /// is an error listing the known ones.
    pub fn select(&self, names: &[String]) -> Result<Vec<&EntrancePlan>, PlanError> {
        for name in names {
            if !self.entrances.iter().any(|e| e.number == name.trim()) {
                return Err(PlanError::UnknownEntrance {
                    path: self.path.clone(),
                    name: name.clone(),
                    known: self.entrances.iter().map(|e| e.number.clone()).collect(),
                });
            }
        }
        Ok(self
            .entrances
            .iter()
            .filter(|e| names.is_empty() || names.iter().any(|n| n.trim() == e.number))
            .collect())
    }
}

/// One matrix of an entrance: its settings as the plan gives them (what they leave out comes
/// from the sweep's header), its sweep file, and the entrance's flats on it.
struct SweepPart {
    switch: Option<String>,
    offset: Option<i64>,
    matrix: Option<u16>,
    sweep: Option<String>,
    apartments: Vec<RangeInclusive<u32>>,
}

/// What decides which matrix each sweep file of an entrance is from.
struct SweepParts<'a> {
    profile: &'a Profile,
    /// The plan's switch, or the profile's default one.
    switch: &'a Switch,
    /// The plan's `switch` key.
    switch_given: Option<&'a str>,
    /// The plan's `offset` key.
    offset: Option<i64>,
    apartments: &'a [RangeInclusive<u32>],
    /// The entrance's `matrix` key.
    matrix: Option<u16>,
    /// An explicit map places the flats itself: one sweep, whatever the arithmetic says.
    has_map: bool,
    live: Option<&'a LiveSource>,
}

impl SweepParts<'_> {
    /// The parts of the entrance. One sweep (or none) is one part, with the plan's settings
    /// as written, so the sweep's header may fill in the rest. A list is one file per matrix
    /// the apartments span, in matrix order, split by the plan's switch and offset (the
    /// profile's default switch and offset 0 when left out); each part then states its
    /// switch, offset and matrix, and holds only its own flats. An error names the key at
    /// fault (`sweep`, `apartments` or `port`) and what to write instead.
    fn split(
        &self,
        sweeps: Vec<String>,
        listed: bool,
    ) -> Result<Vec<SweepPart>, (&'static str, Message)> {
        // A list of one on an entrance of one matrix is simply its sweep.
        let one_matrix = || {
            matrices_touched(
                self.profile,
                self.switch,
                self.offset.unwrap_or(0),
                self.apartments,
            )
            .is_ok_and(|m| m.len() < 2)
        };
        if sweeps.len() < 2 && (!listed || self.has_map || self.matrix.is_some() || one_matrix()) {
            return Ok(vec![SweepPart {
                switch: self.switch_given.map(String::from),
                offset: self.offset,
                matrix: self.matrix,
                sweep: sweeps.into_iter().next(),
                apartments: self.apartments.to_vec(),
            }]);
        }
        let one_file = |why: Message| {
            msg!(
                "plan-several-sweeps-one-matrix",
                count = sweeps.len(),
                why = why
            )
        };
        if self.has_map || self.matrix.is_some() {
            return Err(("sweep", one_file(msg!("plan-why-map-or-matrix"))));
        }
        let offset = self.offset.unwrap_or(0);
        let matrices = matrices_touched(self.profile, self.switch, offset, self.apartments)
            .map_err(|e| ("apartments", e.message()))?;
        if matrices.len() < 2 {
            return Err(("sweep", one_file(msg!("plan-why-one-matrix"))));
        }
        let spans = |what: Message| {
            msg!(
                "plan-apartments-span",
                apartments = ranges_text(self.apartments),
                matrices = matrices_text(&matrices),
                model = &self.switch.model,
                what = what
            )
        };
        if let Some(l) = self.live {
            return Err(("port", spans(msg!("plan-live-one-matrix", port = &l.port))));
        }
        if sweeps.len() != matrices.len() {
            return Err((
                "sweep",
                spans(msg!(
                    "plan-one-sweep-per-matrix",
                    need = matrices.len(),
                    given = sweeps.len()
                )),
            ));
        }
        // Each matrix is diagnosed with only its own flats: the rest of the entrance is on
        // the other matrix by design, not a sign of a wrong offset.
        Ok(matrices
            .into_iter()
            .zip(sweeps)
            .map(|(m, sweep)| SweepPart {
                switch: Some(self.switch.model.clone()),
                offset: Some(offset),
                matrix: Some(m),
                sweep: Some(sweep),
                apartments: self.flats_on(offset, m),
            })
            .collect())
    }

    /// The entrance's apartment ranges cut to the flats that `matrix` holds under `offset`.
    fn flats_on(&self, offset: i64, matrix: u16) -> Vec<RangeInclusive<u32>> {
        let first = offset as i128 + self.switch.lines_before(matrix) as i128 + 1;
        let last = first + self.switch.capacity_of(matrix) as i128 - 1;
        self.apartments
            .iter()
            .filter_map(|r| {
                let lo = u32::try_from((*r.start() as i128).max(first)).ok()?;
                let hi = u32::try_from((*r.end() as i128).min(last)).ok()?;
                (lo <= hi).then_some(lo..=hi)
            })
            .collect()
    }
}

/// `2, 3` for messages.
fn matrices_text(matrices: &[u16]) -> String {
    matrices
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `1-20,31-40` back from ranges, for messages.
pub fn ranges_text(ranges: &[RangeInclusive<u32>]) -> String {
    ranges
        .iter()
        .map(|r| {
            if r.start() == r.end() {
                r.start().to_string()
            } else {
                format!("{}-{}", r.start(), r.end())
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Two entrances claiming one flat: the pair sharing the lowest flat (the earlier entrance
/// named first). One pass over the ranges sorted by their first flat, remembering the two
/// furthest-reaching ranges of different entrances seen so far: linear after the sort,
/// where comparing every pair took minutes for a district.
fn check_overlaps(
    path: &Path,
    entrances: &[EntrancePlan],
    claims: &[(usize, usize, Vec<RangeInclusive<u32>>)],
) -> Result<(), PlanError> {
    // (first flat, last flat, index into claims)
    let mut ranges: Vec<(u32, u32, usize)> = claims
        .iter()
        .enumerate()
        .flat_map(|(k, (_, _, rs))| rs.iter().map(move |r| (*r.start(), *r.end(), k)))
        .collect();
    ranges.sort_unstable();
    // The furthest-reaching range so far, and the furthest of another entrance.
    let mut best: Option<(u32, usize)> = None;
    let mut second: Option<(u32, usize)> = None;
    for (start, end, k) in ranges {
        let other = match best {
            Some((_, bk)) if bk != k => best,
            _ => second,
        };
        if let Some((reach, ok)) = other
            && start <= reach
        {
            let (a, b) = if claims[ok].0 < claims[k].0 {
                (ok, k)
            } else {
                (k, ok)
            };
            return Err(PlanError::SharedApartment {
                path: path.to_path_buf(),
                apartment: start,
                first: entrances[claims[a].0].number.clone(),
                first_line: claims[a].1,
                second: entrances[claims[b].0].number.clone(),
                second_line: claims[b].1,
            });
        }
        match best {
            Some((reach, bk)) if end <= reach => {
                if bk != k && second.is_none_or(|(r, _)| end > r) {
                    second = Some((end, k));
                }
            }
            Some((reach, bk)) => {
                if bk != k {
                    second = Some((reach, bk));
                }
                best = Some((end, k));
            }
            None => best = Some((end, k)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Plan, PlanError> {
        Plan::parse(text, Path::new("site/building.toml"))
    }

    const GOOD: &str = r#"
address = "Lenina 12"
notes = "key at the concierge"

[[entrance]]
number = 1
profile = "eltis"
offset = 0
apartments = "1-72"
sweep = "e1.csv"
known_absent = [5, 17]

[[entrance]]
number = "2"
profile = "vizit"
switch = "BK-100"
offset = 72
apartments = "73-144"
map = "maps/e2.csv"
sweep = "/abs/e2.csv"
notes = ["panel replaced 2024", "cabinet locked"]

[[entrance]]
number = 3
profile = "metakom"
offset = 144
apartments = "145-216"
port = "/dev/ttyUSB0"
meter = "ut61e"
"#;

    #[test]
    fn a_good_plan_loads_with_paths_resolved_against_its_folder() {
        let p = parse(GOOD).unwrap();
        assert_eq!(p.address.as_deref(), Some("Lenina 12"));
        assert_eq!(p.notes, vec!["key at the concierge"]);
        assert_eq!(p.entrances.len(), 3);
        let e1 = &p.entrances[0];
        assert_eq!(e1.number, "1");
        assert_eq!(e1.sweep.as_deref(), Some(Path::new("site/e1.csv")));
        assert_eq!(e1.known_absent, vec![5, 17]);
        assert_eq!(e1.line, Some(6));
        let e2 = &p.entrances[1];
        assert_eq!(e2.settings.switch.as_deref(), Some("BK-100"));
        assert_eq!(
            e2.settings.map.as_deref(),
            Some(Path::new("site/maps/e2.csv"))
        );
        assert_eq!(e2.sweep.as_deref(), Some(Path::new("/abs/e2.csv")));
        assert_eq!(e2.notes.len(), 2);
        let e3 = &p.entrances[2];
        assert!(e3.sweep.is_none());
        assert_eq!(e3.live.as_ref().map(|l| l.meter.as_str()), Some("ut61e"));
    }

    #[test]
    fn unknown_key_names_line_and_entrance() {
        let text = GOOD.replace("offset = 72\n", "offset = 72\ncolour = \"red\"\n");
        let line = text.lines().position(|l| l.starts_with("colour")).unwrap() + 1;
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.starts_with(&format!("site/building.toml:{line}:")), "{e}");
        assert!(e.contains("entrance[2].colour"), "{e}");
    }

    #[test]
    fn a_missing_key_is_named_with_its_entrance() {
        let e = parse(&GOOD.replace("apartments = \"73-144\"\n", ""))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("site/building.toml:13:"), "{e}");
        assert!(e.contains("'entrance[2].apartments'"), "{e}");
        let e = parse("notes = \"x\"\n").unwrap_err().to_string();
        assert!(e.contains("(key 'address')"), "{e}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let e = parse(&GOOD.replace("offset = 144", "offset = \"x\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("entrance[3].offset"), "{e}");
    }

    #[test]
    fn two_entrances_claiming_one_flat_are_both_named() {
        let e = parse(&GOOD.replace("73-144", "70-144"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("entrance 2 claims apartment 70"), "{e}");
        assert!(e.contains("entrance 1 (line 9)"), "{e}");
        assert!(e.starts_with("site/building.toml:18:"), "{e}");
    }

    #[test]
    fn bad_values_name_line_and_key() {
        let e = parse(&GOOD.replace("\"vizit\"", "\"nosuch\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains(":15: key 'entrance[2].profile'"), "{e}");
        let e = parse(&GOOD.replace("BK-100\"", "BK-9\""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("entrance[2].switch") && e.contains("BK-9"),
            "{e}"
        );
        let e = parse(&GOOD.replace("\"1-72\"", "\"72-1\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("entrance[1].apartments"), "{e}");
        let e = parse(&GOOD.replace("[5, 17]", "[5, 99]"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("known_absent") && e.contains("99"), "{e}");
        let e = parse(&GOOD.replace("meter = \"ut61e\"\n", ""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("entrance[3].port"), "{e}");
        let e = parse(&GOOD.replace("\"ut61e\"", "\"ut999\""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("entrance[3].meter") && e.contains("ut999"),
            "{e}"
        );
        let e = parse(&GOOD.replace("number = \"2\"", "number = 1"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("already defined on line 6"), "{e}");
    }

    /// Entrance 4 on an Eltis KM100-7.2: flats 73-100 on the first matrix, 101-144 on the
    /// second.
    const SPANNING: &str = r#"
address = "Lenina 14"

[[entrance]]
number = 1
profile = "eltis"
apartments = "1-72"
sweep = "e1.csv"

[[entrance]]
number = 4
profile = "eltis"
switch = "KM100-7.2"
apartments = "73-144"
sweep = ["e4-m1.csv", "e4-m2.csv"]
known_absent = [80, 120]
"#;

    #[test]
    fn an_entrance_spanning_two_matrices_is_one_entry_with_a_sweep_per_matrix() {
        let p = parse(SPANNING).unwrap();
        let parts: Vec<_> = (p.entrances.iter())
            .map(|e| {
                (
                    e.number.as_str(),
                    e.settings.matrix,
                    e.line,
                    e.sweep.clone(),
                )
            })
            .collect();
        assert_eq!(
            parts,
            [
                ("1", None, Some(5), Some(PathBuf::from("site/e1.csv"))),
                (
                    "4",
                    Some(1),
                    Some(11),
                    Some(PathBuf::from("site/e4-m1.csv"))
                ),
                (
                    "4",
                    Some(2),
                    Some(11),
                    Some(PathBuf::from("site/e4-m2.csv"))
                ),
            ]
        );
        // Each matrix holds only its own flats, and its own flats known to have no handset;
        // the switch and offset that split them are stated, whatever a header says.
        assert_eq!(p.entrances[1].settings.apartments, Some(vec![73..=100]));
        assert_eq!(p.entrances[2].settings.apartments, Some(vec![101..=144]));
        assert_eq!(p.entrances[2].settings.switch.as_deref(), Some("KM100-7.2"));
        assert_eq!(p.entrances[2].settings.offset, Some(0));
        assert_eq!(p.entrances[0].settings.offset, None);
        assert_eq!(p.entrances[1].known_absent, vec![80]);
        assert_eq!(p.entrances[2].known_absent, vec![120]);
        let gaps = parse(&SPANNING.replace("\"73-144\"", "\"80-90,95-144\"")).unwrap();
        assert_eq!(
            gaps.entrances[1].settings.apartments,
            Some(vec![80..=90, 95..=100])
        );
        assert_eq!(gaps.entrances[2].settings.apartments, Some(vec![101..=144]));
        assert_eq!(p.select(&["4".into()]).unwrap().len(), 2);
        // Still one entrance to the building-wide check: a flat of either matrix is its own.
        let e = parse(&SPANNING.replace("\"1-72\"", "\"1-101\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("entrance 4 claims apartment 73"), "{e}");
    }

    #[test]
    fn a_spanning_entrance_needs_exactly_one_sweep_per_matrix() {
        let e = parse(&SPANNING.replace(", \"e4-m2.csv\"]", "]"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("site/building.toml:15: key 'entrance[2].sweep'"),
            "{e}"
        );
        assert!(e.contains("span matrices 1, 2 of switch KM100-7.2"), "{e}");
        assert!(e.contains("(2 files)") && e.contains("1 given"), "{e}");
        let e = parse(&SPANNING.replace("\"73-144\"", "\"73-95\""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("2 sweep files") && e.contains("on one matrix"),
            "{e}"
        );
        let e = parse(&SPANNING.replace("\"73-144\"", "\"73-244\""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("entrance[2].apartments") && e.contains("apartment 244"),
            "{e}"
        );
        let e = parse(&SPANNING.replace(
            "known_absent",
            "port = \"/dev/ttyUSB0\"\nmeter = \"adapter\"\nknown_absent",
        ))
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("entrance[2].port") && e.contains("leave out port and meter"),
            "{e}"
        );
        let e = parse(&SPANNING.replace("sweep = [", "matrix = 2\nsweep = ["))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("2 sweep files") && e.contains("'matrix' names one matrix"),
            "{e}"
        );
        let e = parse(&SPANNING.replace("[\"e4-m1.csv\", \"e4-m2.csv\"]", "[]"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("the list is empty"), "{e}");
        // One sweep stays one part as the plan writes it: `matrix`, or the sweep's header,
        // says which matrix it is from.
        for (sweep, matrix) in [("\"e4.csv\"\nmatrix = 2", Some(2)), ("\"e4.csv\"", None)] {
            let one = parse(&SPANNING.replace("[\"e4-m1.csv\", \"e4-m2.csv\"]", sweep)).unwrap();
            assert_eq!(one.entrances.len(), 2);
            assert_eq!(one.entrances[1].settings.matrix, matrix);
            assert_eq!(one.entrances[1].settings.apartments, Some(vec![73..=144]));
            assert_eq!(one.entrances[1].settings.offset, None);
        }
    }

    #[test]
    fn an_entrance_needs_a_source() {
        let text = GOOD.replace("sweep = \"e1.csv\"\n", "");
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.contains("entrance[1].sweep") && e.contains("no source"),
            "{e}"
        );
    }

    proptest::proptest! {
        /// Any text, however broken, is a plan or an error naming a line: never a panic.
        #[test]
        fn any_text_is_a_plan_or_an_error(
            text in "(address|\\[\\[entrance\\]\\]|number|profile|apartments|sweep|=|\"|1-72|Д|ё|\\n| |\\[|\\]|,|7){0,40}"
        ) {
            let _ = parse(&text);
        }

        /// A good plan with one line mangled still parses or fails cleanly.
        #[test]
        fn a_mangled_good_plan_never_panics(cut in 0usize..600, junk in "[=\\[\\]\"Дё ,a-z0-9]{0,6}") {
            let mut text = GOOD.to_string();
            let mut at = cut.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, &junk);
            let _ = parse(&text);
        }
    }

    #[test]
    fn a_district_of_20000_entrances_loads_and_overlaps_are_still_found() {
        let mut text = String::from("address = \"District\"\n");
        for i in 0..20_000u32 {
            let first = i * 100 + 1;
            text.push_str(&format!(
                "[[entrance]]\nnumber = {i}\nprofile = \"eltis\"\noffset = {}\napartments = \"{first}-{}\"\nsweep = \"e{i}.csv\"\n",
                first - 1,
                first + 71
            ));
        }
        let plan = parse(&text).unwrap();
        assert_eq!(plan.entrances.len(), 20_000);
        let text = text.replace(
            "apartments = \"1999901-1999972\"",
            "apartments = \"1999801-1999902\"",
        );
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("entrance 19999 claims apartment 1999801"), "{e}");
        assert!(e.contains("entrance 19998"), "{e}");
    }

    #[test]
    fn selection_rejects_unknown_entrances() {
        let p = parse(GOOD).unwrap();
        assert_eq!(p.select(&["2".into()]).unwrap().len(), 1);
        assert_eq!(p.select(&[]).unwrap().len(), 3);
        let e = p.select(&["9".into()]).unwrap_err().to_string();
        assert!(e.contains("'9'") && e.contains("1, 2, 3"), "{e}");
    }
}
