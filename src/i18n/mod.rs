//! Output language and the words of kmdiag: which language a run speaks (`--lang`,
//! `KMDIAG_LANG`, the OS locale, else English), the message catalogue (`catalogue`, one
//! Fluent file per language), messages as data (`message`), and the fixed labels of tables
//! and reports (`Term`, faults, cell states). JSON keys and values stay English and stable:
//! JSON is for scripts.
//!
//! Pure, except `current`/`set`: the language chosen once at start-up for text that has no
//! other way to learn it (error messages, status lines).

pub mod catalogue;
mod message;

pub use message::{Arg, Message};

use crate::diagnose::{CellState, Facts, Fault, Finding};
use std::sync::atomic::{AtomicU8, Ordering};

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
}

/// The language of this run, as `Lang as u8`; English until `set` is called.
static CURRENT: AtomicU8 = AtomicU8::new(Lang::En as u8);

/// Sets the language of this run (once, at start-up, from `Lang::resolve`).
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language of this run: what error messages and status lines are written in.
pub fn current() -> Lang {
    catalogue::LANGUAGES
        .iter()
        .map(|(l, _, _)| *l)
        .find(|l| *l as u8 == CURRENT.load(Ordering::Relaxed))
        .unwrap_or_default()
}

/// What the OS said about a file or port, as a message: the OS's own words in English (what
/// `io::Error` prints), the language's words for the common refusals elsewhere. (On Windows
/// the OS's words are already in the user's language; on Linux and macOS they are English.)
pub fn os_error(e: &std::io::Error) -> Message {
    let os = e.to_string();
    // Errors kmdiag made itself carry their own words, already in the run's language.
    if e.raw_os_error().is_none() {
        return crate::msg!("os-other", os = os);
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => crate::msg!("os-not-found", os = os),
        std::io::ErrorKind::PermissionDenied => crate::msg!("os-permission-denied", os = os),
        _ => crate::msg!("os-other", os = os),
    }
}

/// An error and its causes on one line, as `{:#}` writes them (": " between), with what the
/// OS said in the run's words (`os_error`): what main prints.
pub fn error_chain(e: &anyhow::Error) -> String {
    e.chain()
        .map(|c| match c.downcast_ref::<std::io::Error>() {
            Some(io) => os_error(io).to_string(),
            None => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// Where the language of a run came from, most binding first.
#[derive(Debug, Clone, Default)]
pub struct LangSources<'a> {
    /// `--lang`.
    pub flag: Option<Lang>,
    /// The `KMDIAG_LANG` environment variable, as set.
    pub env: Option<&'a str>,
    /// The settings file's `lang`, if it has one.
    pub settings: Option<Lang>,
    /// The OS locale (`sys-locale`: `LC_ALL`/`LC_MESSAGES`/`LANG` on unix, the user's UI
    /// language on Windows and macOS), e.g. `ru-RU`.
    pub os_locale: Option<&'a str>,
}

impl Lang {
    /// The language to use: `--lang` > `KMDIAG_LANG` > the settings file > the OS locale >
    /// English. A `KMDIAG_LANG` that names no language kmdiag speaks is an error (exit 2),
    /// not a silent English; an OS locale kmdiag has no catalogue for means English.
    pub fn resolve(from: &LangSources<'_>) -> Result<Lang, Message> {
        if let Some(l) = from.flag {
            return Ok(l);
        }
        if let Some(v) = from.env.filter(|v| !v.trim().is_empty()) {
            return Lang::from_locale(v).ok_or_else(|| {
                crate::msg!(
                    "error-unknown-lang-env",
                    value = crate::input::clip(v),
                    known = Lang::codes()
                )
            });
        }
        Ok(from
            .settings
            .or_else(|| from.os_locale.and_then(Lang::from_locale))
            .unwrap_or_default())
    }

    /// The language of a locale name: `ru`, `ru_RU.UTF-8`, `ru-RU`, `RU`; None for one
    /// kmdiag has no catalogue for (`C`, `POSIX`, `de_DE`).
    pub fn from_locale(name: &str) -> Option<Lang> {
        let code = name
            .trim()
            .split(['_', '-', '.', '@'])
            .next()?
            .to_ascii_lowercase();
        catalogue::LANGUAGES
            .iter()
            .find(|(_, id, _)| *id == code)
            .map(|(l, _, _)| *l)
    }

    /// The language's code: `en`, `ru` (HTML `lang`, locale ids).
    pub fn code(self) -> &'static str {
        catalogue::LANGUAGES
            .iter()
            .find(|(l, _, _)| *l == self)
            .map_or("en", |(_, id, _)| id)
    }

    /// Every language's code, for a message: "en, ru".
    pub fn codes() -> String {
        catalogue::LANGUAGES
            .iter()
            .map(|(_, id, _)| *id)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A message of the catalogue without values (a label), in this language.
    pub fn say(self, id: &'static str) -> &'static str {
        catalogue::text(self, id)
    }

    /// A fault in plain words.
    pub fn fault(self, f: Fault) -> &'static str {
        self.say(match f {
            Fault::Short => "fault-short",
            Fault::Reversed => "fault-reversed",
            Fault::Leak => "fault-leak",
            Fault::HighResistance => "fault-high-resistance",
            Fault::Open => "fault-open",
        })
    }

    /// A finding's fault in plain words: two lines joined through shorts, which way unknown,
    /// reads as a join, not as the plain short its `fault` field keeps for scripts.
    pub fn finding_fault(self, f: &Finding) -> &'static str {
        match f.facts {
            Facts::Joined { .. } => self.say("fault-joined"),
            _ => self.fault(f.fault),
        }
    }

    /// A cell state in plain words.
    pub fn state(self, s: CellState) -> &'static str {
        match s {
            CellState::Ok => self.say("state-ok"),
            CellState::Absent => self.say("state-absent"),
            CellState::Unused => self.say("state-unused"),
            CellState::NotMeasured => self.say("state-not-measured"),
            CellState::Ghost => self.say("state-ghost"),
            CellState::Suspect => self.say("state-suspect"),
            CellState::Short => self.fault(Fault::Short),
            CellState::Reversed => self.fault(Fault::Reversed),
            CellState::Leak => self.fault(Fault::Leak),
            CellState::HighResistance => self.fault(Fault::HighResistance),
            CellState::Open => self.fault(Fault::Open),
        }
    }

    /// "apartment" / "квартира".
    pub fn apartment(self) -> &'static str {
        self.say("word-apartment")
    }

    /// "entrance" / "подъезд".
    pub fn entrance(self) -> &'static str {
        self.say("word-entrance")
    }

    /// Tens and units letters as this language writes them: D/E or Д/Е.
    pub fn line_letters(self) -> (&'static str, &'static str) {
        (self.say("letter-tens"), self.say("letter-units"))
    }
}

/// A fixed piece of report text that has a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Title of a wiring report.
    ReportTitle,
    /// "Building".
    Building,
    /// "Entrance".
    Entrance,
    /// "Date".
    Date,
    /// "Meter".
    Meter,
    /// "Source" (the sweep file or port).
    Source,
    /// "Profile".
    Profile,
    /// "Switch".
    Switch,
    /// "Matrix" (hundred).
    Matrix,
    /// "matrix" inside a name: one matrix of an entrance that spans several ("4, matrix 2").
    MatrixOfEntrance,
    /// "Offset".
    Offset,
    /// "Apartments" (count or range).
    Apartments,
    /// "Apartment", as a column title.
    Apartment,
    /// "Healthy handset reading" (the calibrated forward reading).
    TypicalForward,
    /// Said when no handset read forward.
    NoCalibration,
    /// "Findings".
    Findings,
    /// Said when there is nothing wrong.
    NoFault,
    /// "Apartment / line" column.
    Subject,
    /// "Crossing" / where column.
    Where,
    /// "Fault".
    Fault,
    /// "Confidence".
    Confidence,
    /// "Evidence".
    Evidence,
    /// "Do next" (suggested action).
    Action,
    /// "Legend".
    Legend,
    /// "Grid of crossings".
    Grid,
    /// "Appendix: raw measurements".
    RawMeasurements,
    /// "Forward (red on D)".
    Forward,
    /// "Reverse (red on E)".
    Reverse,
    /// "Apt.", as a narrow column title.
    ApartmentShort,
    /// "Forward", as a narrow column title.
    ForwardShort,
    /// "Reverse", as a narrow column title.
    ReverseShort,
    /// What forward and reverse mean, said once above a table.
    PolarityNote,
    /// "Line checks (D–D, E–E)".
    BusChecks,
    /// "Reading".
    Reading,
    /// "Notes".
    Notes,
    /// "not known".
    Unknown,
    /// "(no flat)".
    NoFlat,
    /// "line" (a tens or units wire).
    Line,
    /// "State".
    State,
    /// "Result" heading word.
    Result,
    /// "healthy".
    Healthy,
    /// "faults found".
    FaultsFound,
    /// "Measured" (when the sweep was taken).
    Measured,
    /// Said when a sweep does not record when it was taken.
    NotRecorded,
    /// "Report made" (when).
    ReportMade,
    /// "Summary" heading of a building report.
    Summary,
    /// "Handsets answering" column.
    HandsetsAnswering,
    /// "Faults" column (a count).
    Faults,
    /// "Cannot tell" column: flats a sweep cannot judge.
    CannotTell,
    /// "Worst finding" column.
    WorstFinding,
    /// "not checked" (an entrance).
    NotChecked,
    /// Heading of the entrances with faults.
    EntrancesWithFaults,
    /// Heading of the healthy entrances.
    HealthyEntrances,
    /// "Not measured" (a list of crossings).
    NotMeasuredList,
    /// Crossings without an apartment that read open both ways (a count follows).
    UnusedOpen,
    /// How a blank grid cell is named in a legend.
    Blank,
    /// "Warning", before something to read before any finding.
    Warning,
    /// "incomplete sweep", as a result.
    Incomplete,
    /// Said when nothing was found but not every apartment was measured.
    NoFaultMeasured,
    /// "No fault named for sure.": none named, but one the sweep cannot name is likely.
    NoFaultNamed,
    /// A result: no fault named, one likely that the sweep cannot name.
    Unsettled,
}

impl Term {
    /// The catalogue key of the term.
    pub fn key(self) -> &'static str {
        use Term::*;
        match self {
            ReportTitle => "term-report-title",
            Building => "term-building",
            Entrance => "term-entrance",
            Date => "term-date",
            Meter => "term-meter",
            Source => "term-source",
            Profile => "term-profile",
            Switch => "term-switch",
            Matrix => "term-matrix",
            MatrixOfEntrance => "term-matrix-of-entrance",
            Offset => "term-offset",
            Apartments => "term-apartments",
            Apartment => "term-apartment",
            TypicalForward => "term-typical-forward",
            NoCalibration => "term-no-calibration",
            Findings => "term-findings",
            NoFault => "term-no-fault",
            Subject => "term-subject",
            Where => "term-where",
            Fault => "term-fault",
            Confidence => "term-confidence",
            Evidence => "term-evidence",
            Action => "term-action",
            Legend => "term-legend",
            Grid => "term-grid",
            RawMeasurements => "term-raw-measurements",
            Forward => "term-forward",
            Reverse => "term-reverse",
            ApartmentShort => "term-apartment-short",
            ForwardShort => "term-forward-short",
            ReverseShort => "term-reverse-short",
            PolarityNote => "term-polarity-note",
            BusChecks => "term-bus-checks",
            Reading => "term-reading",
            Notes => "term-notes",
            Unknown => "term-unknown",
            NoFlat => "term-no-flat",
            Line => "term-line",
            State => "term-state",
            Result => "term-result",
            Healthy => "term-healthy",
            FaultsFound => "term-faults-found",
            Measured => "term-measured",
            NotRecorded => "term-not-recorded",
            ReportMade => "term-report-made",
            Summary => "term-summary",
            HandsetsAnswering => "term-handsets-answering",
            Faults => "term-faults",
            CannotTell => "term-cannot-tell",
            WorstFinding => "term-worst-finding",
            NotChecked => "term-not-checked",
            EntrancesWithFaults => "term-entrances-with-faults",
            HealthyEntrances => "term-healthy-entrances",
            NotMeasuredList => "term-not-measured-list",
            UnusedOpen => "term-unused-open",
            Blank => "term-blank",
            Warning => "term-warning",
            Incomplete => "term-incomplete",
            NoFaultMeasured => "term-no-fault-measured",
            NoFaultNamed => "term-no-fault-named",
            Unsettled => "term-unsettled",
        }
    }
}

impl Lang {
    /// The text of a fixed report term.
    pub fn text(self, term: Term) -> &'static str {
        self.say(term.key())
    }

    /// A cell state as a short tag for a crowded grid (at most a few letters; faults in
    /// capitals so they stand out without colour). Unused, not measured and no handset are
    /// symbols, the same in every language.
    pub fn state_tag(self, s: CellState) -> &'static str {
        match s {
            CellState::Unused => "",
            CellState::NotMeasured => "?",
            CellState::Absent => "--",
            CellState::Ok => self.say("state-tag-ok"),
            CellState::Ghost => self.say("state-tag-ghost"),
            CellState::Short => self.say("state-tag-short"),
            CellState::Reversed => self.say("state-tag-reversed"),
            CellState::Leak => self.say("state-tag-leak"),
            CellState::HighResistance => self.say("state-tag-high-resistance"),
            CellState::Open => self.say("state-tag-open"),
            CellState::Suspect => self.say("state-tag-suspect"),
        }
    }

    /// What a cell state means, for a legend.
    pub fn state_meaning(self, s: CellState) -> &'static str {
        self.say(match s {
            CellState::Ok => "state-meaning-ok",
            CellState::Absent => "state-meaning-absent",
            CellState::Unused => "state-meaning-unused",
            CellState::NotMeasured => "state-meaning-not-measured",
            CellState::Ghost => "state-meaning-ghost",
            CellState::Short => "state-meaning-short",
            CellState::Reversed => "state-meaning-reversed",
            CellState::Leak => "state-meaning-leak",
            CellState::HighResistance => "state-meaning-high-resistance",
            CellState::Open => "state-meaning-open",
            CellState::Suspect => "state-meaning-suspect",
        })
    }

    /// A terminal label as this language writes it: a leading Latin `D`/`E` followed by
    /// digits becomes the language's letters ("D4" → "Д4"); other labels are left as printed.
    pub fn line_label(self, label: &str) -> String {
        let number = label
            .get(1..)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let (d, e) = self.line_letters();
        match (label.chars().next(), number) {
            (Some('D'), Some(n)) => format!("{d}{n}"),
            (Some('E'), Some(n)) => format!("{e}{n}"),
            _ => label.to_string(),
        }
    }

    /// Labels joined by `/` or `–` ("D4/E7", "D3–D4"), each written as `line_label` does.
    pub fn line_labels(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 4);
        let mut part = String::new();
        for ch in text.chars() {
            if ch == '/' || ch == '–' {
                out.push_str(&self.line_label(&part));
                out.push(ch);
                part.clear();
            } else {
                part.push(ch);
            }
        }
        out.push_str(&self.line_label(&part));
        out
    }

    /// "apt 45" / "кв. 45".
    pub fn apartment_short(self, apartment: u32) -> String {
        crate::msg!("apartment-short", n = apartment).render(self)
    }
}

/// Every cell state, in legend order (a legend lists those its grid uses): healthy first,
/// then what is normal, then the faults, then a suspect reading.
pub const LEGEND_ORDER: [CellState; 11] = CellState::ALL;

#[cfg(test)]
mod tests;
