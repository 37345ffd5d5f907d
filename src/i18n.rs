//! Output language: English by default, Russian with `--lang ru` or a `LANG` starting with
//! `ru`. Only labels are translated; JSON keys and values stay English and stable. Pure.

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
}
