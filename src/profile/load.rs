//! Reading profile TOML: parse, validate, and turn serde's complaints into errors that name
//! the file, line, column and key. Only `load_path` touches the file system.

use super::Profile;
use std::path::{Path, PathBuf};

/// What can go wrong with a profile.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file could not be read (missing, not a regular file, too large, not UTF-8).
    #[error("{problem}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the file.
        problem: String,
    },
    /// The TOML is malformed or has a wrong or unknown key.
    #[error(
        "{path}:{line}:{column}: {problem} (key '{key}'); fix the profile or compare with `kmdiag profiles show eltis`"
    )]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The key the error is about (dotted, with its table).
        key: String,
        /// What is wrong.
        problem: String,
    },
    /// The TOML parses but says something impossible.
    #[error("{path}: key '{key}': {problem}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The offending key.
        key: String,
        /// What is wrong and what to do.
        problem: String,
    },
    /// No built-in or user profile of that name and no such file.
    #[error(
        "unknown profile '{name}'{hint}; built-in profiles are {}{}, or give a path to a .toml file",
        known.join(", "),
        mine_text(mine)
    )]
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
    #[error("profile '{profile}' has no switch '{model}'{hint}; known models: {}", known.join(", "))]
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

/// The user's own profiles, for the list of known ones.
fn mine_text(mine: &[String]) -> String {
    if mine.is_empty() {
        String::new()
    } else {
        format!("; yours are {}", mine.join(", "))
    }
}

/// Reads and parses a profile file.
pub(crate) fn load_path(path: &Path) -> Result<Profile, ProfileError> {
    let read = |problem: String| ProfileError::Read {
        path: path.to_path_buf(),
        problem,
    };
    let bytes = crate::input::read_input(path, crate::input::PROFILE_LIMIT, "profile")
        .map_err(|e| read(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        read(format!(
            "{}: byte {}: not UTF-8 text; save the profile as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to() + 1
        ))
    })?;
    parse_profile(&text, path)
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
        let start = e.span().map_or(0, |s| s.start);
        let (line, column) = line_col(text, start);
        ProfileError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            key: crate::input::clip(&key_at(text, start)),
            problem: crate::input::clip_to(e.message().trim(), 4 * crate::input::CLIP_CHARS),
        }
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
    let invalid = |key: &str, problem: String| ProfileError::Invalid {
        path: path.to_path_buf(),
        key: key.to_string(),
        problem,
    };
    if p.name.trim().is_empty() {
        return Err(invalid("name", "must not be empty".into()));
    }
    if p.switches.is_empty() {
        return Err(invalid(
            "switch",
            "at least one [[switch]] with model, tens, units and matrices is needed".into(),
        ));
    }
    if p.switches.len() > MAX_SWITCHES {
        return Err(invalid(
            "switch",
            format!(
                "{} switch models; a profile may list at most {MAX_SWITCHES}",
                p.switches.len()
            ),
        ));
    }
    for (i, s) in p.switches.iter().enumerate() {
        let key = format!("switch[{}] ({})", i + 1, s.model);
        if !(1..=100).contains(&s.tens) || !(1..=100).contains(&s.units) {
            return Err(invalid(
                &key,
                format!(
                    "tens = {} and units = {} must each be 1-100",
                    s.tens, s.units
                ),
            ));
        }
        if !(1..=MAX_MATRICES).contains(&s.matrices) {
            return Err(invalid(
                &key,
                format!(
                    "matrices = {} must be 1-{MAX_MATRICES}: no switch has more hundreds",
                    s.matrices
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
            format!("'{}' is not one of the [[switch]] models", p.default_switch),
        ));
    }
    let r = p.nominal_forward_ohms;
    if !(r.min > 0.0 && r.max > r.min && r.max.is_finite()) {
        return Err(invalid(
            "nominal_forward_ohms",
            format!(
                "min = {} and max = {} must satisfy 0 < min < max",
                r.min, r.max
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
                format!("{} names given but a switch has {need} lines", names.len()),
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
