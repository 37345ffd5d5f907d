//! Output language: English by default, Russian with `--lang ru` or a `LANG` starting with
//! `ru`. Only labels are translated; JSON keys and values stay English and stable. Evidence and
//! actions come from the engine in English and are not translated here. Pure.

use crate::diagnose::{CellState, Fault};

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// The language to use: the flag if given, else Russian when `lang_env` (the value of
    /// `LANG`) starts with `ru`, else English.
    pub fn choose(flag: Option<Lang>, lang_env: Option<&str>) -> Lang {
        flag.unwrap_or_else(|| match lang_env {
            Some(v) if v.to_ascii_lowercase().starts_with("ru") => Lang::Ru,
            _ => Lang::En,
        })
    }

    /// A fault in plain words.
    pub fn fault(self, f: Fault) -> &'static str {
        match (self, f) {
            (Lang::En, Fault::Short) => "short",
            (Lang::En, Fault::Reversed) => "reversed",
            (Lang::En, Fault::Leak) => "leak",
            (Lang::En, Fault::HighResistance) => "bad contact (high resistance)",
            (Lang::En, Fault::Open) => "open line",
            (Lang::Ru, Fault::Short) => "КЗ",
            (Lang::Ru, Fault::Reversed) => "переполюсовка",
            (Lang::Ru, Fault::Leak) => "утечка",
            (Lang::Ru, Fault::HighResistance) => "плохой контакт",
            (Lang::Ru, Fault::Open) => "обрыв",
        }
    }

    /// A cell state in plain words.
    pub fn state(self, s: CellState) -> &'static str {
        match (self, s) {
            (Lang::En, CellState::Ok) => "ok",
            (Lang::En, CellState::Absent) => "no handset",
            (Lang::En, CellState::Unused) => "unused",
            (Lang::En, CellState::NotMeasured) => "not measured",
            (Lang::En, CellState::Ghost) => "ghost",
            (Lang::Ru, CellState::Ok) => "норма",
            (Lang::Ru, CellState::Absent) => "нет трубки",
            (Lang::Ru, CellState::Unused) => "не используется",
            (Lang::Ru, CellState::NotMeasured) => "не измерено",
            (Lang::Ru, CellState::Ghost) => "фантом",
            (lang, s) => match s {
                CellState::Short => lang.fault(Fault::Short),
                CellState::Reversed => lang.fault(Fault::Reversed),
                CellState::Leak => lang.fault(Fault::Leak),
                CellState::HighResistance => lang.fault(Fault::HighResistance),
                _ => lang.fault(Fault::Open),
            },
        }
    }

    /// "apartment" / "квартира".
    pub fn apartment(self) -> &'static str {
        match self {
            Lang::En => "apartment",
            Lang::Ru => "квартира",
        }
    }

    /// "entrance" / "подъезд".
    pub fn entrance(self) -> &'static str {
        match self {
            Lang::En => "entrance",
            Lang::Ru => "подъезд",
        }
    }

    /// Tens and units letters as a Russian technician writes them: D/E or Д/Е.
    pub fn line_letters(self) -> (&'static str, &'static str) {
        match self {
            Lang::En => ("D", "E"),
            Lang::Ru => ("Д", "Е"),
        }
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
}

impl Lang {
    /// The text of a fixed report term.
    pub fn text(self, term: Term) -> &'static str {
        use Term::*;
        match self {
            Lang::En => match term {
                ReportTitle => "Intercom wiring report",
                Building => "Building",
                Entrance => "Entrance",
                Date => "Date",
                Meter => "Meter",
                Source => "Source",
                Profile => "Profile",
                Switch => "Switch",
                Matrix => "Matrix",
                MatrixOfEntrance => "matrix",
                Offset => "Offset",
                Apartments => "Apartments",
                Apartment => "Apartment",
                TypicalForward => "Healthy handsets here read",
                NoCalibration => "No handset read forward: nothing to calibrate against.",
                Findings => "Findings",
                NoFault => "No fault found.",
                Subject => "Apartment / line",
                Where => "Where",
                Fault => "Fault",
                Confidence => "Sure",
                Evidence => "Evidence",
                Action => "Do next",
                Legend => "Legend",
                Grid => "Crossings (D lines down, E lines across)",
                RawMeasurements => "Appendix: raw measurements",
                Forward => "Forward (red on D)",
                Reverse => "Reverse (red on E)",
                ApartmentShort => "Apt.",
                ForwardShort => "Forward",
                ReverseShort => "Reverse",
                PolarityNote => {
                    "Forward: red (+) probe on the D line, black (−) on the E line; reverse: the other way round. OL: open."
                }
                BusChecks => "Line-to-line checks",
                Reading => "Reading",
                Notes => "Notes",
                Unknown => "not given",
                NoFlat => "(no flat)",
                Line => "line",
                State => "State",
                Result => "Result",
                Healthy => "healthy",
                FaultsFound => "faults found",
                Measured => "Measured",
                NotRecorded => "not recorded in the sweep file",
                ReportMade => "Report made",
                Summary => "Summary",
                HandsetsAnswering => "Handsets answering",
                Faults => "Faults",
                CannotTell => "Cannot tell",
                WorstFinding => "Worst finding",
                NotChecked => "not checked",
                EntrancesWithFaults => "Entrances with faults",
                HealthyEntrances => "Healthy entrances",
                NotMeasuredList => "Not measured",
                UnusedOpen => "No apartment, open both ways",
                Blank => "blank",
                Warning => "Warning",
                Incomplete => "incomplete sweep",
                NoFaultMeasured => "No fault found on the crossings measured.",
            },
            Lang::Ru => match term {
                ReportTitle => "Отчёт о проверке домофонной линии",
                Building => "Дом",
                Entrance => "Подъезд",
                Date => "Дата",
                Meter => "Прибор",
                Source => "Источник",
                Profile => "Профиль",
                Switch => "Коммутатор",
                Matrix => "Матрица (сотня)",
                MatrixOfEntrance => "сотня",
                Offset => "Смещение",
                Apartments => "Квартиры",
                Apartment => "Квартира",
                TypicalForward => "Исправные трубки здесь показывают",
                NoCalibration => {
                    "Ни одна трубка не прозвонилась в прямом направлении: калибровать не по чему."
                }
                Findings => "Неисправности",
                NoFault => "Неисправностей не найдено.",
                Subject => "Квартира / линия",
                Where => "Где",
                Fault => "Неисправность",
                Confidence => "Уверенность",
                Evidence => "Признаки",
                Action => "Что делать",
                Legend => "Обозначения",
                Grid => "Матрица (Д — строки, Е — столбцы)",
                RawMeasurements => "Приложение: измерения",
                Forward => "Прямое (красный на Д)",
                Reverse => "Обратное (красный на Е)",
                ApartmentShort => "Кв.",
                ForwardShort => "Прямое",
                ReverseShort => "Обратное",
                PolarityNote => {
                    "Прямое: красный (+) щуп на линии Д, чёрный (−) на линии Е; обратное: наоборот. OL: обрыв (бесконечность)."
                }
                BusChecks => "Проверки линия–линия",
                Reading => "Показание",
                Notes => "Примечания",
                Unknown => "не указан",
                NoFlat => "(нет квартиры)",
                Line => "линия",
                State => "Состояние",
                Result => "Итог",
                Healthy => "исправно",
                FaultsFound => "есть неисправности",
                Measured => "Измерено",
                NotRecorded => "время не записано в файле",
                ReportMade => "Отчёт составлен",
                Summary => "Сводка",
                HandsetsAnswering => "Трубки отвечают",
                Faults => "Неисправности",
                CannotTell => "Не определить",
                WorstFinding => "Главная неисправность",
                NotChecked => "не проверен",
                EntrancesWithFaults => "Подъезды с неисправностями",
                HealthyEntrances => "Исправные подъезды",
                NotMeasuredList => "Не измерено",
                UnusedOpen => "Без квартиры, обрыв в обе стороны",
                Blank => "пусто",
                Warning => "Внимание",
                Incomplete => "обход неполный",
                NoFaultMeasured => "На измеренных пересечениях неисправностей не найдено.",
            },
        }
    }

    /// A cell state as a short tag for a crowded grid (at most a few letters; faults in
    /// capitals so they stand out without colour).
    pub fn state_tag(self, s: CellState) -> &'static str {
        match (self, s) {
            (_, CellState::Unused) => "",
            (_, CellState::NotMeasured) => "?",
            (_, CellState::Absent) => "--",
            (Lang::En, CellState::Ok) => "ok",
            (Lang::En, CellState::Ghost) => "ghost",
            (Lang::En, CellState::Short) => "SHORT",
            (Lang::En, CellState::Reversed) => "REVERSED",
            (Lang::En, CellState::Leak) => "LEAK",
            (Lang::En, CellState::HighResistance) => "HIGH-R",
            (Lang::En, CellState::Open) => "OPEN",
            (Lang::Ru, CellState::Ok) => "ок",
            (Lang::Ru, CellState::Ghost) => "фантом",
            (Lang::Ru, CellState::Short) => "КЗ",
            (Lang::Ru, CellState::Reversed) => "ПЕРЕПОЛ",
            (Lang::Ru, CellState::Leak) => "УТЕЧКА",
            (Lang::Ru, CellState::HighResistance) => "ПЛОХ.КОНТ",
            (Lang::Ru, CellState::Open) => "ОБРЫВ",
        }
    }

    /// What a cell state means, for a legend.
    pub fn state_meaning(self, s: CellState) -> &'static str {
        match (self, s) {
            (Lang::En, CellState::Ok) => "healthy handset",
            (Lang::En, CellState::Absent) => {
                "no handset (OL both ways), normal for a flat without one"
            }
            (Lang::En, CellState::Unused) => "no apartment on this crossing",
            (Lang::En, CellState::NotMeasured) => "not measured",
            (Lang::En, CellState::Ghost) => {
                "empty crossing reading through a faulty handset elsewhere"
            }
            (Lang::En, CellState::Short) => "handset or drop wire shorted",
            (Lang::En, CellState::Reversed) => "handset wired the wrong way round",
            (Lang::En, CellState::Leak) => "handset conducts backwards",
            (Lang::En, CellState::HighResistance) => {
                "bad contact: conducts, but far above the others"
            }
            (Lang::En, CellState::Open) => "cut off by a broken line",
            (Lang::Ru, CellState::Ok) => "исправная трубка",
            (Lang::Ru, CellState::Absent) => {
                "трубки нет (OL в обе стороны), норма, если её не ставили"
            }
            (Lang::Ru, CellState::Unused) => "на этом пересечении нет квартиры",
            (Lang::Ru, CellState::NotMeasured) => "не измерено",
            (Lang::Ru, CellState::Ghost) => "пустое пересечение звонится через неисправную трубку",
            (Lang::Ru, CellState::Short) => "КЗ трубки или отвода",
            (Lang::Ru, CellState::Reversed) => "трубка подключена наоборот",
            (Lang::Ru, CellState::Leak) => "трубка проводит в обратную сторону",
            (Lang::Ru, CellState::HighResistance) => "проводит, но намного хуже остальных",
            (Lang::Ru, CellState::Open) => "отрезана обрывом линии",
        }
    }

    /// A terminal label as this language writes it: a leading Latin `D`/`E` becomes `Д`/`Е`
    /// in Russian ("D4" → "Д4"); other labels are left as printed.
    pub fn line_label(self, label: &str) -> String {
        let (d, e) = self.line_letters();
        let number = label
            .get(1..)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        match (self, label.chars().next(), number) {
            (Lang::Ru, Some('D'), Some(n)) => format!("{d}{n}"),
            (Lang::Ru, Some('E'), Some(n)) => format!("{e}{n}"),
            _ => label.to_string(),
        }
    }

    /// "apt 45" / "кв. 45".
    pub fn apartment_short(self, apartment: u32) -> String {
        match self {
            Lang::En => format!("apt {apartment}"),
            Lang::Ru => format!("кв. {apartment}"),
        }
    }
}

/// Every cell state, in legend order: healthy first, then what is normal, then the faults.
pub const LEGEND_ORDER: [CellState; 10] = [
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
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_locale_picks_russian_unless_the_flag_says_otherwise() {
        assert_eq!(Lang::choose(None, Some("ru_RU.UTF-8")), Lang::Ru);
        assert_eq!(Lang::choose(None, Some("en_GB.UTF-8")), Lang::En);
        assert_eq!(Lang::choose(Some(Lang::En), Some("ru_RU.UTF-8")), Lang::En);
        assert_eq!(Lang::choose(None, None), Lang::En);
    }

    #[test]
    fn russian_writes_tens_and_units_in_cyrillic() {
        assert_eq!(Lang::Ru.line_label("D4"), "Д4");
        assert_eq!(Lang::Ru.line_label("E10"), "Е10");
        assert_eq!(Lang::Ru.line_label("LINE"), "LINE");
        assert_eq!(Lang::Ru.line_label("EXT"), "EXT");
        assert_eq!(Lang::En.line_label("D4"), "D4");
    }
}
