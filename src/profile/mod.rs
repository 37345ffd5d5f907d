//! Vendor profiles: switch models and their geometry, the numbering rule, the terminal labels
//! as printed, and a nominal healthy-handset reading used only as a prior.
//!
//! Built-in profiles live in `profiles/*.toml` and are embedded in the binary; a user's own
//! profile is loaded by path. Parsing is pure; only `load_path` touches the file system.

mod labels;
mod layout;
mod load;
mod mapfile;
mod mapping;
mod switch;
pub mod user;

pub use labels::LineLabels;
pub use layout::{Layout, LayoutError, LayoutSpec, matrices_touched, parse_apartments};
pub use load::{ProfileError, TomlSyntax, parse_profile};
pub(crate) use load::{key_at, line_col};
pub use mapfile::{MapFileError, parse_map_file};
pub use mapping::{MappingError, Placement, apartment_at, place};
pub use switch::Switch;

use serde::{Deserialize, Serialize};
use std::path::Path;

/// How line numbers become tens/units positions (domain.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Numbering {
    /// Eltis, Vizit, Cyfral, Beward: units 0–9, line 10 → D1/E0, line 100 → D0/E0.
    Decimal,
    /// Metakom, Factorial: units 1–10, line 10 → D0/E10, line 100 → D9/E10.
    UnitsFromOne,
}

/// Terminal label settings of a profile (`[labels]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    /// Prefix printed on tens terminals, usually `D`.
    pub tens: String,
    /// Prefix printed on units terminals, usually `E`.
    pub units: String,
    /// Explicit names of the tens terminals by position, overriding prefix + number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tens_names: Option<Vec<String>>,
    /// Explicit names of the units terminals by position, overriding prefix + number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units_names: Option<Vec<String>>,
    /// Write the labels as printed in every language: true where the boards print Latin D/E
    /// for Russian technicians too (Eltis), so a sentence names what is on the board.
    /// Default false: Russian writes a Latin D/E label as Д/Е.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub as_printed: bool,
}

/// The nominal healthy-handset forward reading: a prior, never a verdict (domain.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OhmsRange {
    /// Low end, in ohms.
    pub min: f64,
    /// High end, in ohms.
    pub max: f64,
}

/// A vendor profile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short name used on the command line, e.g. `eltis`.
    pub name: String,
    /// Vendor as a technician knows it.
    pub vendor: String,
    /// Numbering rule.
    pub numbering: Numbering,
    /// Switch model used when `--switch` is not given.
    pub default_switch: String,
    /// A line of advice shown by `kmdiag profiles show`.
    #[serde(default)]
    pub notes: String,
    /// Terminal labels.
    pub labels: LabelSpec,
    /// Nominal healthy forward reading (prior only).
    pub nominal_forward_ohms: OhmsRange,
    /// Switch models.
    #[serde(rename = "switch")]
    pub switches: Vec<Switch>,
}

/// Built-in profiles: (file name, TOML text). One line per vendor.
const BUILTIN: &[(&str, &str)] = &[
    ("metakom.toml", include_str!("../../profiles/metakom.toml")),
    ("eltis.toml", include_str!("../../profiles/eltis.toml")),
    ("vizit.toml", include_str!("../../profiles/vizit.toml")),
    ("cyfral.toml", include_str!("../../profiles/cyfral.toml")),
    ("beward.toml", include_str!("../../profiles/beward.toml")),
    (
        "factorial.toml",
        include_str!("../../profiles/factorial.toml"),
    ),
    ("sokol.toml", include_str!("../../profiles/sokol.toml")),
];

/// Every built-in profile, parsed once per process: a check of thousands of sweeps resolves a
/// profile per sweep (its own, from its header), and parsing the TOML each time would cost
/// more than reading the sweep. The embedded files are checked by the test suite, so a
/// broken one is a build defect; it is skipped here rather than crashing a technician's run.
pub fn builtin_profiles() -> Vec<Profile> {
    builtin_cache().to_vec()
}

fn builtin_cache() -> &'static [Profile] {
    static CACHE: std::sync::OnceLock<Vec<Profile>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| {
        BUILTIN
            .iter()
            .filter_map(|(file, text)| parse_profile(text, Path::new(file)).ok())
            .collect()
    })
}

/// The TOML text of a built-in profile, for `kmdiag profiles show`.
pub fn builtin_source(name: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(file, _)| file.trim_end_matches(".toml").eq_ignore_ascii_case(name))
        .map(|(_, text)| *text)
}

/// True when a `--profile` value is a path rather than a name: it has a folder separator or
/// ends in `.toml` (the rule building plans use too).
pub fn looks_like_path(written: &str) -> bool {
    written.contains(['/', '\\']) || written.to_ascii_lowercase().ends_with(".toml")
}

/// Where a resolved profile came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileSource {
    /// Built into kmdiag.
    Builtin,
    /// A file in the user profile folder.
    User(std::path::PathBuf),
    /// A file named by its path.
    File(std::path::PathBuf),
}

/// Resolves `--profile NAME|PATH`: a user profile (from the folder beside the settings file,
/// which may replace a built-in of the same name), a built-in name, or a path to a `.toml`
/// file.
pub fn resolve(name_or_path: &str) -> Result<Profile, ProfileError> {
    resolve_with_source(name_or_path).map(|(p, _)| p)
}

/// `resolve`, also saying where the profile came from.
pub fn resolve_with_source(name_or_path: &str) -> Result<(Profile, ProfileSource), ProfileError> {
    if !looks_like_path(name_or_path)
        && let Some((p, path)) = user::find(name_or_path)?
    {
        return Ok((p, ProfileSource::User(path)));
    }
    if let Some(text) = builtin_source(name_or_path) {
        if let Some(p) = builtin_cache()
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name_or_path))
        {
            return Ok((p.clone(), ProfileSource::Builtin));
        }
        let p = parse_profile(text, Path::new(&format!("{name_or_path}.toml")))?;
        return Ok((p, ProfileSource::Builtin));
    }
    let path = Path::new(name_or_path);
    if path.extension().is_some_and(|e| e == "toml") || path.exists() {
        let p = load::load_path(path)?;
        return Ok((p, ProfileSource::File(path.to_path_buf())));
    }
    let builtin: Vec<String> = builtin_profiles().into_iter().map(|p| p.name).collect();
    let mine: Vec<String> = user::files().iter().map(|f| f.name.clone()).collect();
    Err(ProfileError::Unknown {
        name: crate::input::clip(name_or_path),
        hint: crate::suggest::did_you_mean(
            name_or_path,
            builtin.iter().chain(&mine).map(String::as_str),
        ),
        known: builtin,
        mine,
    })
}

impl Profile {
    /// Finds a switch model by name (case-insensitive), or the default one for `None`.
    pub fn switch(&self, model: Option<&str>) -> Result<&Switch, ProfileError> {
        let wanted = model.unwrap_or(&self.default_switch);
        self.switches
            .iter()
            .find(|s| s.model.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ProfileError::UnknownSwitch {
                profile: self.name.clone(),
                model: crate::input::clip(wanted),
                hint: crate::suggest::did_you_mean(
                    wanted,
                    self.switches.iter().map(|s| s.model.as_str()),
                ),
                known: self.switches.iter().map(|s| s.model.clone()).collect(),
            })
    }

    /// Terminal labels for one switch of this profile, as many tens lines as its largest
    /// matrix has: for reading a map file or a crossing before the matrix is known.
    pub fn line_labels(&self, switch: &Switch) -> LineLabels {
        LineLabels::numbered(
            &self.labels,
            self.numbering,
            switch.tens,
            switch.units,
            switch.first_tens,
        )
    }

    /// Terminal labels of one matrix (1-based) of a switch: only the tens lines that matrix
    /// has (the third matrix of a Metakom COM-220U has 16, not 22).
    pub fn matrix_labels(&self, switch: &Switch, matrix: u16) -> LineLabels {
        LineLabels::numbered(
            &self.labels,
            self.numbering,
            switch.tens_in(matrix),
            switch.units,
            switch.first_tens,
        )
    }
}

/// clap value parser for `--apartments`.
pub fn parse_apartments_arg(text: &str) -> Result<Vec<std::ops::RangeInclusive<u32>>, String> {
    parse_apartments(text).map_err(|m| m.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_parses() {
        for (file, text) in BUILTIN {
            let p = parse_profile(text, Path::new(file)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(format!("{}.toml", p.name), *file);
            p.switch(None).expect("default switch exists");
        }
        assert_eq!(builtin_profiles().len(), BUILTIN.len());
    }

    #[test]
    fn unknown_profile_lists_the_known_ones() {
        let err = resolve("nosuchvendor").unwrap_err().to_string();
        assert!(err.contains("metakom"), "{err}");
        assert!(!err.contains("did you mean"), "{err}");
    }

    #[test]
    fn a_typo_in_a_profile_or_switch_name_gets_a_suggestion() {
        let err = resolve("eltsi").unwrap_err().to_string();
        assert!(
            err.starts_with("unknown profile 'eltsi' (did you mean 'eltis'?);"),
            "{err}"
        );
        let eltis = resolve("eltis").unwrap();
        let err = eltis.switch(Some("KM100-7.9")).unwrap_err().to_string();
        assert!(err.contains("did you mean"), "{err}");
        assert!(err.contains("'KM100-7.1'"), "{err}");
    }

    #[test]
    fn paths_and_names_are_told_apart() {
        assert!(looks_like_path("mine.toml"));
        assert!(looks_like_path("profiles/x"));
        assert!(looks_like_path("C:\\kmdiag\\x"));
        assert!(!looks_like_path("eltis"));
    }
}
