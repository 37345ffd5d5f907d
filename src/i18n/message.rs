//! A message as data: a catalogue key and its values, never a sentence. The engine, the
//! errors and the commands build `Message`s; `catalogue` turns one into words in a language
//! when it is shown (English for JSON, the chosen language on a terminal or in a report).
//!
//! Pure: no I/O.

use super::Lang;
use std::fmt;

/// A message of the catalogue, with the values its placeables need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The catalogue key (`en.ftl`, `ru.ftl`).
    pub id: &'static str,
    /// Named values, in the order given (a boxed slice, not a `Vec`: a message travels in
    /// many error types, and every byte of it counts against their size).
    pub args: Box<[(&'static str, Arg)]>,
}

/// One value of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as it is in every language: a reading ("705 Ω"), a file path, a value
    /// quoted from an input.
    Text(String),
    /// A count: shown as a number, and it picks the plural form ("1 квартира", "5 квартир").
    Count(i64),
    /// Terminal labels as the profile prints them ("D4", "D4/E7", "D4–E7"): Russian writes the
    /// Latin D and E of a label as Д and Е unless the profile keeps its labels as printed
    /// (`localize` false, as on Eltis boards).
    Line {
        /// The printed label.
        label: String,
        /// Whether a language may write the letters its own way.
        localize: bool,
    },
    /// Another message, said in the same language.
    Msg(Box<Message>),
    /// Several values, joined with ", ".
    List(Vec<Arg>),
}

impl Message {
    /// A message with no values yet.
    pub fn new(id: &'static str) -> Message {
        Message {
            id,
            args: Box::default(),
        }
    }

    /// The message with one more value.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        let mut args = std::mem::take(&mut self.args).into_vec();
        args.push((name, value.into()));
        self.args = args.into_boxed_slice();
        self
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        super::catalogue::render(lang, self)
    }

    /// Text another error or message already rendered in the run's language (its Display),
    /// carried as a message.
    pub fn said(text: impl Into<String>) -> Message {
        Message::new("said").arg("text", Arg::Text(text.into()))
    }

    /// The message in English: what JSON carries.
    pub fn en(&self) -> String {
        self.render(Lang::En)
    }
}

/// Shown in the language chosen for this run (`crate::i18n::current`): what an error's
/// Display and a status line print.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(super::current()))
    }
}

impl Arg {
    /// Terminal labels that a language may write its own way (D → Д).
    pub fn line(label: impl Into<String>) -> Arg {
        Arg::Line {
            label: label.into(),
            localize: true,
        }
    }

    /// A list of values.
    pub fn list<T: Into<Arg>>(items: impl IntoIterator<Item = T>) -> Arg {
        Arg::List(items.into_iter().map(Into::into).collect())
    }
}

/// A file path, as the OS shows it.
impl From<&std::path::Path> for Arg {
    fn from(v: &std::path::Path) -> Arg {
        Arg::Text(v.display().to_string())
    }
}

/// A file path, as the OS shows it.
impl From<&std::path::PathBuf> for Arg {
    fn from(v: &std::path::PathBuf) -> Arg {
        Arg::Text(v.display().to_string())
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Arg {
        Arg::Text(v.clone())
    }
}

impl From<Message> for Arg {
    fn from(v: Message) -> Arg {
        Arg::Msg(Box::new(v))
    }
}

macro_rules! count_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Count(i64::try_from(v).unwrap_or(i64::MAX))
            }
        }
    )*};
}
count_from!(u8, u16, u32, u64, usize, i32, i64);

/// `msg!("key", name = value, …)`: a catalogue message and its values.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message::new($id)$(.arg(stringify!($name), $value))*
    };
}

/// JSON is for scripts: a message is serialised as its English text, whatever the language
/// of the run.
impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.en())
    }
}
