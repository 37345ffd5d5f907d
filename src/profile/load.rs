//! Reading profile TOML: parse, validate, and turn serde's complaints into errors that name
//! the file, line, column and key. Only `load_path` touches the file system.

use super::Profile;
use crate::i18n::Message;
use crate::msg;
use std::path::{Path, PathBuf};

/// What can go wrong with a profile. Display is `message` in the run's language.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum ProfileError {
    /// The file could not be read (missing, not a regular file, too large, not UTF-8).
    Read {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the file.
        problem: Message,
    },
    /// The TOML is malformed or has a wrong or unknown key.
    Syntax(TomlSyntax),
    /// The TOML parses but says something impossible.
    Invalid {
        /// The file.
        path: PathBuf,
        /// The offending key.
        key: String,
        /// What is wrong and what to do.
        problem: Message,
    },
    /// No built-in or user profile of that name and no such file.
    Unknown {
        /// What was asked for.
        name: String,
        /// "; did you mean 'x'?" or nothing.
        hint: String,
        /// Built-in names.
        known: Vec<String>,
        /// The user's own profile names.
        mine: Vec<String>,
    },
    /// The profile has no switch of that model.
    UnknownSwitch {
        /// Profile name.
        profile: String,
        /// Model asked for.
        model: String,
        /// "; did you mean 'x'?" or nothing.
        hint: String,
        /// Models the profile knows.
        known: Vec<String>,
    },
}

impl ProfileError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            ProfileError::Read { problem, .. } => problem.clone(),
            ProfileError::Syntax(s) => msg!(
                "error-profile-syntax",
                path = &s.path,
                line = s.line,
                column = s.column,
                problem = &s.problem,
                key = &s.key
            ),
            ProfileError::Invalid { path, key, problem } => msg!(
                "error-profile-invalid",
                path = path,
                key = key,
                problem = problem.clone()
            ),
            ProfileError::Unknown {
                name,
                hint,
                known,
                mine,
            } => msg!(
                "error-profile-unknown",
                name = name,
                hint = hint,
                known = known.join(", "),
                mine = mine_text(mine)
            ),
            ProfileError::UnknownSwitch {
                profile,
                model,
                hint,
                known,
            } => msg!(
                "error-profile-unknown-switch",
                profile = profile,
                model = model,
                hint = hint,
                known = known.join(", ")
            ),
        }
    }
}

/// The user's own profiles, for the list of known ones.
fn mine_text(mine: &[String]) -> Message {
    if mine.is_empty() {
        msg!("nothing")
    } else {
        msg!("profile-yours", names = mine.join(", "))
    }
}

/// Reads and parses a profile file.
pub(crate) fn load_path(path: &Path) -> Result<Profile, ProfileError> {
    let read = |problem: Message| ProfileError::Read {
        path: path.to_path_buf(),
        problem,
    };
    let bytes = crate::input::read_input(path, crate::input::PROFILE_LIMIT, "profile")
        .map_err(|e| read(e.message()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        read(msg!(
            "error-profile-not-utf8",
            path = path,
            byte = e.utf8_error().valid_up_to() + 1
        ))
    })?;
    parse_profile(&text, path)
}

/// What the TOML reader refused in a file and where: the part the profile's, the building
/// plan's and the settings file's syntax errors share (each names it in its own message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlSyntax {
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The key the error is about (dotted, with its table: `entrance[2].offset`).
    pub key: String,
    /// What is wrong (the TOML reader's words, clipped).
    pub problem: String,
}

impl TomlSyntax {
    /// The reader's error `e` on `text` from `path`, with the key `key_of` finds at the
    /// error's byte offset (given the offset and the reader's message).
    pub(crate) fn new(
        path: &Path,
        text: &str,
        e: &toml::de::Error,
        key_of: impl Fn(&str, usize, &str) -> String,
    ) -> TomlSyntax {
        let start = e.span().map_or(0, |s| s.start);
        let (line, column) = line_col(text, start);
        TomlSyntax {
            path: path.to_path_buf(),
            line,
            column,
            key: crate::input::clip(&key_of(text, start, e.message())),
            problem: crate::input::clip_to(e.message().trim(), 4 * crate::input::CLIP_CHARS),
        }
    }
}

/// 1-based line and column of a byte offset (shared with the building plan's errors).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The dotted key at a byte offset: the `[table]` above it plus the `key =` on its line
/// (shared with the building plan's errors).
pub(crate) fn key_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let own = line.split('=').next().unwrap_or("").trim();
    let own = if line.contains('=') { own } else { "" };
    match (table, own) {
        (Some(t), "") => t,
        (Some(t), k) => format!("{t}.{k}"),
        (None, k) => k.to_string(),
    }
}

/// Parses and validates profile TOML; `path` is only used in messages.
pub fn parse_profile(text: &str, path: &Path) -> Result<Profile, ProfileError> {
    let profile: Profile = toml::from_str(text).map_err(|e| {
        ProfileError::Syntax(TomlSyntax::new(path, text, &e, |t, at, _| key_at(t, at)))
    })?;
    validate(&profile, path)?;
    Ok(profile)
}

/// Most matrices (hundreds) a switch may have: real ones have at most 8 (Beward KKM-108);
/// 100 keeps a typo's cost at a million apartments instead of gigabytes.
const MAX_MATRICES: u16 = 100;

/// Most switch models a profile may list: vendors have a dozen; this bounds a runaway file.
const MAX_SWITCHES: usize = 1000;

fn validate(p: &Profile, path: &Path) -> Result<(), ProfileError> {
    let invalid = |key: &str, problem: Message| ProfileError::Invalid {
        path: path.to_path_buf(),
        key: key.to_string(),
        problem,
    };
    if p.name.trim().is_empty() {
        return Err(invalid("name", msg!("profile-name-empty")));
    }
    if p.switches.is_empty() {
        return Err(invalid("switch", msg!("profile-no-switch")));
    }
    if p.switches.len() > MAX_SWITCHES {
        return Err(invalid(
            "switch",
            msg!(
                "profile-too-many-switches",
                count = p.switches.len(),
                max = MAX_SWITCHES
            ),
        ));
    }
    for (i, s) in p.switches.iter().enumerate() {
        let key = format!("switch[{}] ({})", i + 1, s.model);
        if !(1..=100).contains(&s.tens) || !(1..=100).contains(&s.units) {
            return Err(invalid(
                &key,
                msg!("profile-tens-units-range", tens = s.tens, units = s.units),
            ));
        }
        if !(1..=MAX_MATRICES).contains(&s.matrices) {
            return Err(invalid(
                &key,
                msg!(
                    "profile-matrices-range",
                    matrices = s.matrices,
                    max = MAX_MATRICES
                ),
            ));
        }
    }
    if !p
        .switches
        .iter()
        .any(|s| s.model.eq_ignore_ascii_case(&p.default_switch))
    {
        return Err(invalid(
            "default_switch",
            msg!(
                "profile-default-switch",
                model = crate::input::clip(&p.default_switch)
            ),
        ));
    }
    let r = p.nominal_forward_ohms;
    if !(r.min > 0.0 && r.max > r.min && r.max.is_finite()) {
        return Err(invalid(
            "nominal_forward_ohms",
            msg!(
                "profile-nominal-range",
                min = r.min.to_string(),
                max = r.max.to_string()
            ),
        ));
    }
    for (key, names, need) in [
        ("labels.tens_names", &p.labels.tens_names, max_tens(p)),
        ("labels.units_names", &p.labels.units_names, max_units(p)),
    ] {
        if let Some(names) = names.as_ref().filter(|n| n.len() < need as usize) {
            return Err(invalid(
                key,
                msg!("profile-too-few-names", given = names.len(), need = need),
            ));
        }
    }
    Ok(())
}

fn max_tens(p: &Profile) -> u16 {
    p.switches.iter().map(|s| s.tens).max().unwrap_or(0)
}

fn max_units(p: &Profile) -> u16 {
    p.switches.iter().map(|s| s.units).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = include_str!("../../profiles/eltis.toml");

    fn err(text: &str) -> String {
        parse_profile(text, Path::new("my.toml"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn unknown_key_names_file_line_column_and_key() {
        let text = GOOD.replace("[labels]\n", "[labels]\ncolour = \"red\"\n");
        let line = text.lines().position(|l| l.starts_with("colour")).unwrap() + 1;
        let e = err(&text);
        assert!(e.starts_with(&format!("my.toml:{line}:1:")), "{e}");
        assert!(e.contains("labels.colour"), "{e}");
    }

    #[test]
    fn wrong_type_names_the_key() {
        let text = GOOD.replacen("tens = 10", "tens = \"ten\"", 1);
        let e = err(&text);
        assert!(e.contains("switch.tens"), "{e}");
    }

    #[test]
    fn missing_default_switch_is_invalid() {
        let e = err(&GOOD.replace("default_switch = \"KM100-7.1\"", "default_switch = \"X\""));
        assert!(e.contains("default_switch"), "{e}");
    }

    #[test]
    fn absurd_sizes_are_refused() {
        let e = err(&GOOD.replacen("matrices = 1", "matrices = 65535", 1));
        assert!(e.contains("matrices = 65535 must be 1-100"), "{e}");
        let e = err(&GOOD.replacen("tens = 10", "tens = 65535", 1));
        assert!(e.contains("must each be 1-100"), "{e}");
    }

    #[test]
    fn blocks_and_first_tens_errors_name_file_line_column_and_key() {
        let base = "name = \"mine\"\nvendor = \"V\"\nnumbering = \"units_from_one\"\ndefault_switch = \"A\"\n\
                    [labels]\ntens = \"D\"\nunits = \"E\"\n[nominal_forward_ohms]\nmin = 600.0\nmax = 800.0\n\
                    [[switch]]\nmodel = \"A\"\nunits = 10\n";
        let good = parse_profile(
            &format!("{base}blocks = [22, 22, 16]\nfirst_tens = 1\n"),
            Path::new("my.toml"),
        )
        .unwrap();
        assert_eq!(good.switches[0].tens_in(3), 16);
        assert_eq!(good.switches[0].first_tens, 1);
        let e = err(&format!("{base}blocks = [22, 0, 16]\n"));
        assert!(e.starts_with("my.toml:14:10:"), "{e}");
        assert!(
            e.contains("matrix 2 has 0 tens lines") && e.contains("switch.blocks"),
            "{e}"
        );
        let e = err(&format!("{base}tens = 22\nblocks = [22, 22, 16]\n"));
        assert!(e.starts_with("my.toml:14:8:"), "{e}");
        assert!(e.contains("not both") && e.contains("switch.tens"), "{e}");
        let e = err(&format!("{base}tens = 5\nmatrices = 7\nfirst_tens = 999\n"));
        assert!(e.starts_with("my.toml:16:14:"), "{e}");
        assert!(
            e.contains("first_tens = 999") && e.contains("switch.first_tens"),
            "{e}"
        );
    }

    #[test]
    fn broken_toml_is_a_syntax_error() {
        let e = err("name = \"x\"\nvendor = \n");
        assert!(e.starts_with("my.toml:2:"), "{e}");
    }
}
