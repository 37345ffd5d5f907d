//! Which switch and which flats a sweep is read with: what the technician said (flags, or a
//! building plan's entry) over what the sweep file's header says, over the defaults. The one
//! place that decides it, for every command that reads a recorded sweep.
//!
//! What was said wins; where it disagrees with the header the warning names both. Reads the
//! profile and map files the settings name (loading, at the edge); prints nothing.

use super::SweepHeader;
use crate::i18n::Message;
use crate::msg;
use crate::profile::{
    self, Layout, LayoutError, LayoutSpec, MapFileError, Profile, ProfileError, parse_map_file,
};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What was said about an entrance's switch and numbering; every field optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntranceSettings {
    /// Vendor profile, already loaded (a bad name fails before any sweep is read).
    pub profile: Option<Arc<Profile>>,
    /// Switch model.
    pub switch: Option<String>,
    /// Installer's offset.
    pub offset: Option<i64>,
    /// Apartments wired to the matrix.
    pub apartments: Option<Vec<RangeInclusive<u32>>>,
    /// Matrix (hundred), from 1.
    pub matrix: Option<u16>,
    /// Explicit map file, as a path the process can open.
    pub map: Option<PathBuf>,
    /// The profile to use when neither `profile` nor the header names one: the user's default
    /// (KMDIAG_PROFILE, the settings file). Never overrides a header, and never warns.
    pub default_profile: Option<Arc<Profile>>,
}

/// Who said the settings, so a warning can name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GivenBy {
    /// Command-line flags (`--offset 72`).
    Flags,
    /// A building plan's entry.
    Plan {
        /// The plan file.
        path: PathBuf,
        /// The entrance number.
        entrance: String,
    },
}

/// An entrance ready to diagnose.
#[derive(Debug, Clone)]
pub struct ResolvedEntrance {
    /// The vendor profile (its nominal reading is the diagnosis's prior).
    pub profile: Profile,
    /// The matrix layout.
    pub layout: Layout,
    /// Where what was said and the header disagree, one sentence each.
    pub warnings: Vec<Message>,
}

/// Why the settings do not make a layout. Display is `message` in the run's language.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum SettingsError {
    /// Neither the flags nor the header name a profile.
    NoProfile {
        /// The sweep file.
        path: PathBuf,
        /// The built-in profiles.
        known: String,
    },
    /// The header names a profile or switch that cannot be loaded.
    HeaderValue {
        /// The sweep file.
        path: PathBuf,
        /// The header line.
        line: u64,
        /// What is wrong (boxed: a profile error is large, and this travels in every
        /// entrance's result).
        cause: Box<ProfileError>,
    },
    /// The profile or switch given is wrong.
    #[error(transparent)]
    Profile(Box<ProfileError>),
    /// The map file cannot be read.
    MapRead {
        /// The map file.
        path: PathBuf,
        /// The OS error (part of this message, once).
        cause: std::io::Error,
    },
    /// The map file is not a regular file, or too large.
    #[error(transparent)]
    MapInput(#[from] crate::input::InputError),
    /// The map file is malformed.
    #[error(transparent)]
    Map(Box<MapFileError>),
    /// The apartments do not fit the switch.
    #[error(transparent)]
    Layout(Box<LayoutError>),
}

// Boxed: these errors carry their messages, and a settings error travels in every
// entrance's result.
impl From<MapFileError> for SettingsError {
    fn from(e: MapFileError) -> Self {
        SettingsError::Map(Box::new(e))
    }
}

impl From<LayoutError> for SettingsError {
    fn from(e: LayoutError) -> Self {
        SettingsError::Layout(Box::new(e))
    }
}

impl SettingsError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            SettingsError::NoProfile { path, known } => {
                msg!("error-settings-no-profile", path = path, known = known)
            }
            SettingsError::HeaderValue { path, line, cause } => msg!(
                "error-settings-header-value",
                path = path,
                line = *line,
                cause = cause.message()
            ),
            SettingsError::Profile(e) => e.message(),
            SettingsError::MapRead { path, cause } => msg!(
                "error-input-open",
                what = msg!("file-map"),
                path = path,
                cause = crate::i18n::os_error(cause)
            ),
            SettingsError::MapInput(e) => e.message(),
            SettingsError::Map(e) => e.message(),
            SettingsError::Layout(e) => e.message(),
        }
    }
}

impl From<ProfileError> for SettingsError {
    fn from(e: ProfileError) -> Self {
        SettingsError::Profile(Box::new(e))
    }
}

/// A path written in a header, against the sweep file's folder.
fn beside(sweep: &Path, written: &str) -> PathBuf {
    let p = Path::new(written);
    match sweep.parent() {
        Some(dir) if p.is_relative() => dir.join(p),
        _ => p.to_path_buf(),
    }
}

/// One setting: what was said wins over the header; a disagreement becomes a warning.
struct Pick<'a> {
    sweep: &'a Path,
    header: &'a SweepHeader,
    by: &'a GivenBy,
    warnings: Vec<Message>,
}

impl Pick<'_> {
    /// `given` over the header's `key`; `same` says whether the two agree; `shown` prints a
    /// value as the flag and the header write it.
    fn pick<T: Clone>(
        &mut self,
        key: &str,
        given: Option<&T>,
        header: Option<&T>,
        same: impl Fn(&T, &T) -> bool,
        shown: impl Fn(&T) -> String,
    ) -> Option<T> {
        match (given, header) {
            (Some(g), Some(h)) => {
                if !same(g, h) {
                    let line = self.header.line(key).unwrap_or(0);
                    self.warnings.push(disagreement(
                        self.sweep,
                        self.by,
                        key,
                        &shown(g),
                        &shown(h),
                        line,
                    ));
                }
                Some(g.clone())
            }
            (Some(g), None) => Some(g.clone()),
            (None, h) => h.cloned(),
        }
    }
}

/// The warning when what was said and the header disagree.
fn disagreement(
    sweep: &Path,
    by: &GivenBy,
    key: &str,
    given: &str,
    header: &str,
    line: u64,
) -> Message {
    let who = match by {
        GivenBy::Flags => format!("--{key} {given}"),
        GivenBy::Plan { path, entrance } => msg!(
            "settings-given-by-plan",
            plan = path,
            entrance = entrance,
            setting = format!("{key} = {given}")
        )
        .to_string(),
    };
    msg!(
        "settings-disagreement",
        path = sweep,
        who = who,
        key = key,
        header = header,
        line = line,
        given = given
    )
}

/// The same file, whether or not the two paths are written alike.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Ranges in order with neighbours merged, so `1-10,11-20` and `1-20` compare equal.
fn merged(ranges: &[RangeInclusive<u32>]) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = ranges.iter().map(|r| (*r.start(), *r.end())).collect();
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The profile the header names, loaded: a built-in name, or a file beside the sweep.
fn header_profile(
    sweep: &Path,
    header: &SweepHeader,
    written: &str,
) -> Result<Profile, SettingsError> {
    let loaded = if profile::builtin_source(written).is_some() {
        profile::resolve(written)
    } else {
        profile::resolve(&beside(sweep, written).to_string_lossy())
    };
    loaded.map_err(|cause| SettingsError::HeaderValue {
        path: sweep.to_path_buf(),
        line: header.line("profile").unwrap_or(0),
        cause: Box::new(cause),
    })
}

/// The profile and layout of the sweep at `sweep`: `given` (said by `by`) over `header` over
/// the defaults (offset 0, the profile's default switch, every line in use), with
/// `known_absent` flats from a plan.
pub fn resolve_entrance(
    given: &EntranceSettings,
    by: &GivenBy,
    header: &SweepHeader,
    sweep: &Path,
    known_absent: &[u32],
) -> Result<ResolvedEntrance, SettingsError> {
    let mut pick = Pick {
        sweep,
        header,
        by,
        warnings: Vec::new(),
    };
    let (profile, header_switch_applies) = pick.profile(given)?;
    let switch = pick.switch(given, &profile, header_switch_applies)?;
    let spec = pick.layout_spec(given, &profile, &switch, known_absent)?;
    let layout = Layout::build(&profile, &switch, &spec)?;
    Ok(ResolvedEntrance {
        profile,
        layout,
        warnings: pick.warnings,
    })
}

impl Pick<'_> {
    /// Takes what was said; gives the profile (said, else the header's, else the default)
    /// and whether the header's switch applies to it. The profile comes first: a header's
    /// switch only means something on its own profile.
    fn profile(&mut self, given: &EntranceSettings) -> Result<(Profile, bool), SettingsError> {
        let (sweep, header) = (self.sweep, self.header);
        Ok(match (&given.profile, &header.profile) {
            (Some(g), Some(h)) => {
                let agrees = profile::builtin_source(h)
                    .is_some_and(|_| g.name.eq_ignore_ascii_case(h))
                    || header_profile(sweep, header, h).is_ok_and(|p| p == **g);
                if !agrees {
                    let line = header.line("profile").unwrap_or(0);
                    self.warnings
                        .push(disagreement(sweep, self.by, "profile", &g.name, h, line));
                }
                (Profile::clone(g), agrees)
            }
            (Some(g), None) => (Profile::clone(g), true),
            (None, Some(h)) => (header_profile(sweep, header, h)?, true),
            (None, None) => match &given.default_profile {
                Some(d) => (Profile::clone(d), true),
                None => {
                    return Err(SettingsError::NoProfile {
                        path: sweep.to_path_buf(),
                        known: profile::builtin_profiles()
                            .into_iter()
                            .map(|p| p.name)
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            },
        })
    }

    /// Takes what was said, the profile and whether the header's switch applies to it;
    /// gives the switch model (said, else the header's, else the profile's default). A
    /// model the header alone names and the profile lacks is an error on its header line.
    fn switch(
        &mut self,
        given: &EntranceSettings,
        profile: &Profile,
        header_switch_applies: bool,
    ) -> Result<profile::Switch, SettingsError> {
        let header_switch = self
            .header
            .switch
            .as_ref()
            .filter(|_| header_switch_applies);
        let switch_name = self.pick(
            "switch",
            given.switch.as_ref(),
            header_switch,
            |a, b| a.eq_ignore_ascii_case(b),
            String::clone,
        );
        Ok(match (&given.switch, &switch_name) {
            (None, Some(name)) => {
                profile
                    .switch(Some(name))
                    .map_err(|cause| SettingsError::HeaderValue {
                        path: self.sweep.to_path_buf(),
                        line: self.header.line("switch").unwrap_or(0),
                        cause: Box::new(cause),
                    })?
            }
            _ => profile.switch(switch_name.as_deref())?,
        }
        .clone())
    }

    /// Takes what was said, the profile, its switch and the flats known to have no
    /// handset; gives the layout's offset, apartments, matrix and map (each said, else the
    /// header's), the map file read and parsed.
    fn layout_spec(
        &mut self,
        given: &EntranceSettings,
        profile: &Profile,
        switch: &profile::Switch,
        known_absent: &[u32],
    ) -> Result<LayoutSpec, SettingsError> {
        let header = self.header;
        let offset = self.pick(
            "offset",
            given.offset.as_ref(),
            header.offset.as_ref(),
            |a, b| a == b,
            i64::to_string,
        );
        let apartments = self.pick(
            "apartments",
            given.apartments.as_ref(),
            header.apartments.as_ref(),
            |a, b| merged(a) == merged(b),
            |r| super::header::ranges_text(r),
        );
        let matrix = self.pick(
            "matrix",
            given.matrix.as_ref(),
            header.matrix.as_ref(),
            |a, b| a == b,
            u16::to_string,
        );
        let header_map = header.map.as_deref().map(|m| beside(self.sweep, m));
        let map_path = self.pick(
            "map",
            given.map.as_ref(),
            header_map.as_ref(),
            |a, b| same_file(a, b),
            |p| p.display().to_string(),
        );
        let map = match &map_path {
            Some(path) => Some(read_map(path, &profile.line_labels(switch))?),
            None => None,
        };
        Ok(LayoutSpec {
            offset: offset.unwrap_or(0),
            apartments,
            matrix,
            map,
            known_absent: known_absent.to_vec(),
        })
    }
}

/// Takes a map file's path and the switch's line labels; gives its apartment → cell map.
fn read_map(
    path: &Path,
    labels: &profile::LineLabels,
) -> Result<Vec<(u32, crate::model::Cell)>, SettingsError> {
    // Through `input`: a regular file only (never a device or FIFO), size-limited.
    let bytes = crate::input::read_input(path, crate::input::MAP_LIMIT, "map file")?;
    let text = String::from_utf8(bytes).map_err(|e| SettingsError::MapRead {
        path: path.to_path_buf(),
        cause: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "byte {}: not UTF-8 text; save the map file as UTF-8",
                e.utf8_error().valid_up_to() + 1
            ),
        ),
    })?;
    Ok(parse_map_file(&text, path, labels)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> SweepHeader {
        super::super::parse_header(text, Path::new("s.csv"))
            .unwrap()
            .0
    }

    const HEADER: &str = "# kmdiag-sweep: 1\n# profile: eltis\n# switch: KM100-7.1\n# offset: 72\n# apartments: 73-144\n";

    #[test]
    fn the_header_gives_what_the_flags_do_not() {
        let r = resolve_entrance(
            &EntranceSettings::default(),
            &GivenBy::Flags,
            &header(HEADER),
            Path::new("s.csv"),
            &[],
        )
        .unwrap();
        assert_eq!(r.layout.profile, "eltis");
        assert_eq!(r.layout.offset, 72);
        assert_eq!(r.layout.apartment(crate::model::Cell::new(0, 1)), Some(73));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn a_flag_that_disagrees_wins_and_is_named() {
        let given = EntranceSettings {
            offset: Some(70),
            apartments: Some(vec![73..=100, 101..=144]),
            ..Default::default()
        };
        let r = resolve_entrance(
            &given,
            &GivenBy::Flags,
            &header(HEADER),
            Path::new("s.csv"),
            &[],
        )
        .unwrap();
        assert_eq!(r.layout.offset, 70);
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        assert!(
            r.warnings[0].en().contains("--offset 70")
                && r.warnings[0].en().contains("offset: 72, line 4"),
            "{}",
            r.warnings[0]
        );
    }

    #[test]
    fn another_profile_drops_the_headers_switch() {
        let given = EntranceSettings {
            profile: Some(profile::resolve("vizit").unwrap().into()),
            ..Default::default()
        };
        let r = resolve_entrance(
            &given,
            &GivenBy::Flags,
            &header(HEADER),
            Path::new("s.csv"),
            &[],
        )
        .unwrap();
        assert_eq!(r.layout.profile, "vizit");
        assert_eq!(r.layout.switch.model, "BK-100");
        assert!(
            r.warnings[0].en().contains("--profile vizit"),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn no_profile_anywhere_is_an_error_that_says_what_to_pass() {
        let e = resolve_entrance(
            &EntranceSettings::default(),
            &GivenBy::Flags,
            &SweepHeader::default(),
            Path::new("s.csv"),
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("--profile") && e.contains("eltis"), "{e}");
        let e = resolve_entrance(
            &EntranceSettings::default(),
            &GivenBy::Flags,
            &header("# kmdiag-sweep: 1\n# profile: nosuch\n"),
            Path::new("s.csv"),
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 2") && e.contains("nosuch"), "{e}");
    }
}
