//! The settings file (`config.toml`) and where it lives: the OS config folder (Linux
//! `~/.config/kmdiag`, Windows `%APPDATA%\kmdiag`, macOS `~/Library/Application
//! Support/kmdiag`), or the file or folder `--config`/`KMDIAG_CONFIG` names. Beside it,
//! `profiles/` holds the user's own vendor profiles.
//!
//! The file gives defaults only: a flag beats its environment variable, which beats the
//! file, which beats kmdiag's built-in default. Parsing is pure (`parse`); only `Location`
//! and `load` touch the file system.

use crate::i18n::Lang;
use crate::i18n::Message;
use crate::msg;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The settings file's name inside a config folder.
pub const FILE_NAME: &str = "config.toml";
/// The folder of user profiles inside a config folder.
pub const PROFILES_DIR: &str = "profiles";
/// The folder under the OS config folder.
pub const APP_DIR: &str = "kmdiag";
/// Largest settings file read: four short keys and comments are under a kilobyte, so 64 kB
/// is plainly something else (a log file named by mistake) and is refused, not parsed.
const MAX_FILE_BYTES: u64 = 64 * 1024;

/// How the settings location was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    /// `--config`.
    Flag,
    /// `KMDIAG_CONFIG`.
    Env,
    /// The OS config folder.
    OsFolder,
}

/// Where the settings file and the user profile folder are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The settings file (it need not exist in a config folder).
    pub file: PathBuf,
    /// The folder whose `*.toml` profiles join the built-in ones.
    pub profiles: PathBuf,
    /// How it was chosen.
    pub chosen: Chosen,
    /// The file or folder the user named, which must exist for the settings to be read
    /// (`config init` creates it); `None` for the OS config folder.
    pub named: Option<PathBuf>,
}

impl Location {
    /// The location for `--config`/`KMDIAG_CONFIG` (with how it was given), else the OS
    /// config folder; `None` when the OS has no config folder (no home directory).
    /// A folder means its `config.toml` and `profiles/`; a file means that file and the
    /// `profiles/` beside it. A path that does not exist yet is a file when it ends in
    /// `.toml`, else a folder.
    pub fn find(explicit: Option<(&Path, Chosen)>) -> Option<Location> {
        let Some((path, chosen)) = explicit else {
            let base = directories::BaseDirs::new()?;
            return Some(Location::in_folder(
                &base.config_dir().join(APP_DIR),
                Chosen::OsFolder,
                None,
            ));
        };
        let is_file = path.is_file()
            || (!path.exists()
                && path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml")));
        if !is_file {
            return Some(Location::in_folder(path, chosen, Some(path.to_path_buf())));
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Some(Location {
            file: path.to_path_buf(),
            profiles: dir.join(PROFILES_DIR),
            chosen,
            named: Some(path.to_path_buf()),
        })
    }

    fn in_folder(dir: &Path, chosen: Chosen, named: Option<PathBuf>) -> Location {
        Location {
            file: dir.join(FILE_NAME),
            profiles: dir.join(PROFILES_DIR),
            chosen,
            named,
        }
    }

    /// The folder relative paths in the file are read from.
    pub fn folder(&self) -> &Path {
        self.profiles.parent().unwrap_or(Path::new("."))
    }
}

/// What the settings file says, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    port: Option<Spanned<String>>,
    meter: Option<Spanned<String>>,
    profile: Option<Spanned<String>>,
    lang: Option<Spanned<String>>,
}

/// One setting's value and the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the settings file.
    pub line: usize,
}

/// The settings, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Default `--port`.
    pub port: Option<Setting<String>>,
    /// Default `--meter` (a meter model or `adapter`).
    pub meter: Option<Setting<String>>,
    /// Default `--profile`: a built-in or user profile name, or a path (made absolute
    /// against the settings file's folder).
    pub profile: Option<Setting<String>>,
    /// Default language.
    pub lang: Option<Setting<Lang>>,
}

/// What can be wrong with the settings.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum ConfigError {
    /// `--config`/`KMDIAG_CONFIG` names a file or folder that is not there.
    Missing {
        /// The file or folder.
        path: PathBuf,
    },
    /// The file is there but cannot be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not a settings file at all.
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// Malformed TOML, an unknown key, or a value of the wrong type.
    Syntax(crate::profile::TomlSyntax),
    /// A well-formed value that names nothing kmdiag knows.
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column of the value.
        column: usize,
        /// The key.
        key: &'static str,
        /// The value as written.
        value: String,
        /// What is wrong and what to write instead.
        problem: Message,
    },
}

/// " (key 'k')" for an error inside a key's value; nothing when the error names no key.
impl ConfigError {
    /// The error as a catalogue message.
    pub fn message(&self) -> Message {
        match self {
            ConfigError::Missing { path } => msg!("error-config-missing", path = path),
            ConfigError::Read { path, source } => msg!(
                "error-config-read",
                path = path,
                cause = crate::i18n::os_error(source)
            ),
            ConfigError::TooLarge { path } => msg!(
                "error-config-too-large",
                path = path,
                kb = MAX_FILE_BYTES / 1024
            ),
            ConfigError::Syntax(s) => msg!(
                "error-config-syntax",
                path = &s.path,
                line = s.line,
                column = s.column,
                problem = &s.problem,
                key = key_note(&s.key)
            ),
            ConfigError::Invalid {
                path,
                line,
                column,
                key,
                value,
                problem,
            } => msg!(
                "error-config-invalid",
                path = path,
                line = *line,
                column = *column,
                key = *key,
                value = crate::input::clip(value),
                problem = problem.clone()
            ),
        }
    }
}

fn key_note(key: &str) -> Message {
    if key.is_empty() {
        msg!("nothing")
    } else {
        msg!("config-key-note", key = key)
    }
}

/// Reads and checks the settings at `location`. A config folder without a settings file
/// gives the built-in defaults; a file or folder the user named must exist.
pub fn load(location: &Location) -> Result<Settings, ConfigError> {
    if let Some(named) = location.named.as_ref().filter(|p| !p.exists()) {
        return Err(ConfigError::Missing {
            path: named.clone(),
        });
    }
    let path = &location.file;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.clone(),
                source,
            });
        }
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(ConfigError::TooLarge { path: path.clone() });
    }
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    parse(&text, path, location.folder())
}

/// Parses and checks settings text; `path` names the file in messages and `folder` is where
/// a relative profile path is read from. Pure.
pub fn parse(text: &str, path: &Path, folder: &Path) -> Result<Settings, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Raw = toml::from_str(text).map_err(|e| {
        ConfigError::Syntax(crate::profile::TomlSyntax::new(
            path,
            text,
            &e,
            |t, at, _| crate::profile::key_at(t, at),
        ))
    })?;
    let invalid = |key: &'static str, v: &Spanned<String>, problem: Message| {
        let (line, column) = crate::profile::line_col(text, v.span().start);
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            key,
            value: v.get_ref().clone(),
            problem,
        }
    };
    let line_of = |v: &Spanned<String>| crate::profile::line_col(text, v.span().start).0;
    let mut settings = Settings::default();
    if let Some(v) = &raw.port {
        crate::acquire::transport::Endpoint::parse(v.get_ref())
            .map_err(|e| invalid("port", v, e.message()))?;
        settings.port = Some(Setting {
            value: v.get_ref().trim().to_string(),
            line: line_of(v),
        });
    }
    if let Some(v) = &raw.meter {
        check_meter(v.get_ref()).map_err(|p| invalid("meter", v, p))?;
        settings.meter = Some(Setting {
            value: v.get_ref().trim().to_string(),
            line: line_of(v),
        });
    }
    if let Some(v) = &raw.profile {
        let value = profile_value(v.get_ref(), folder).map_err(|p| invalid("profile", v, p))?;
        settings.profile = Some(Setting {
            value,
            line: line_of(v),
        });
    }
    if let Some(v) = &raw.lang {
        let lang = parse_lang(v.get_ref()).map_err(|p| invalid("lang", v, p))?;
        settings.lang = Some(Setting {
            value: lang,
            line: line_of(v),
        });
    }
    Ok(settings)
}

/// A meter model kmdiag knows, or `adapter`.
fn check_meter(name: &str) -> Result<(), Message> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("adapter") || crate::acquire::meter::find_model(name).is_some() {
        return Ok(());
    }
    Err(msg!(
        "config-not-a-meter",
        hint = crate::acquire::meter::models::did_you_mean(name, &["adapter"]),
        known = crate::acquire::meter::models::model_names()
    ))
}

/// A profile name as written, or a path made absolute against the settings folder. A name
/// must be a built-in or user profile; a path must exist.
fn profile_value(written: &str, folder: &Path) -> Result<String, Message> {
    let written = written.trim();
    if crate::profile::looks_like_path(written) {
        let path = folder.join(written);
        if !path.is_file() {
            return Err(msg!("config-no-profile-file", path = &path));
        }
        return Ok(path.display().to_string());
    }
    crate::profile::resolve(written).map_err(|e| e.message())?;
    Ok(written.to_string())
}

/// A language code kmdiag speaks.
fn parse_lang(written: &str) -> Result<Lang, Message> {
    use clap::ValueEnum;
    Lang::from_str(written.trim(), true).map_err(|_| {
        let known: Vec<String> = Lang::value_variants()
            .iter()
            .filter_map(|l| l.to_possible_value().map(|v| v.get_name().to_string()))
            .collect();
        msg!("config-not-a-language", known = known.join(", "))
    })
}

/// A settings file with every key explained and commented out, for `kmdiag config init`.
pub const EXAMPLE: &str = r#"# kmdiag settings. Each line is a default: a flag on the command line wins over its
# environment variable (KMDIAG_PORT, KMDIAG_METER, KMDIAG_PROFILE), which wins over this file.
# Remove the '#' in front of a line to use it. 'kmdiag config show' says what is in effect.

# Serial port of your meter or scanning adapter ('kmdiag ports' lists them), or a network
# serial bridge as tcp://HOST:PORT.
#port = "/dev/ttyUSB0"        # Windows: "COM3"; macOS: "/dev/cu.usbserial-1410"

# Your meter model ('kmdiag read --meter x' lists them), or "adapter" for a scanning adapter.
#meter = "ut61e"

# The vendor profile you use most: a built-in name (metakom, eltis, vizit, cyfral, beward,
# factorial), one of your own in the profiles/ folder beside this file, or a path.
#profile = "eltis"

# Language of what kmdiag prints: "en" or "ru".
#lang = "ru"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_here(text: &str) -> Result<Settings, ConfigError> {
        parse(text, Path::new("config.toml"), Path::new("."))
    }

    #[test]
    fn reads_every_key_with_its_line() {
        let s = parse_here(
            "# mine\nport = \"COM3\"\nmeter = \"UT61E\"\nprofile = \"eltis\"\nlang = \"ru\"\n",
        )
        .unwrap();
        assert_eq!(
            s.port.unwrap(),
            Setting {
                value: "COM3".into(),
                line: 2
            }
        );
        assert_eq!(s.meter.unwrap().value, "UT61E");
        assert_eq!(s.profile.unwrap().line, 4);
        assert_eq!(s.lang.unwrap().value, Lang::Ru);
    }

    #[test]
    fn an_empty_file_and_the_example_set_nothing() {
        assert_eq!(parse_here("").unwrap(), Settings::default());
        assert_eq!(parse_here(EXAMPLE).unwrap(), Settings::default());
    }

    #[test]
    fn an_unknown_key_names_line_column_and_key() {
        let e = parse_here("port = \"COM3\"\ncolour = \"red\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("config.toml:2:1:"), "{e}");
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn a_wrong_type_names_the_key() {
        let e = parse_here("meter = 61\n").unwrap_err().to_string();
        assert!(e.starts_with("config.toml:1:9:"), "{e}");
        assert!(e.contains("meter"), "{e}");
    }

    #[test]
    fn a_mistyped_meter_is_refused_with_a_suggestion() {
        let e = parse_here("\nmeter = \"ut61x\"\n").unwrap_err().to_string();
        assert!(e.starts_with("config.toml:2:9: meter = \"ut61x\""), "{e}");
        assert!(e.contains("did you mean"), "{e}");
        assert!(e.contains("'ut61e'"), "{e}");
    }

    #[test]
    fn a_mistyped_profile_is_refused_with_a_suggestion() {
        let e = parse_here("profile = \"eltsi\"\n").unwrap_err().to_string();
        assert!(e.contains("did you mean 'eltis'"), "{e}");
    }

    #[test]
    fn a_bad_port_and_an_unknown_language_are_refused() {
        let e = parse_here("port = \"tcp://bridge\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("config.toml:1:8: port"), "{e}");
        let e = parse_here("lang = \"de\"\n").unwrap_err().to_string();
        assert!(e.contains("en, ru"), "{e}");
    }

    #[test]
    fn a_relative_profile_path_is_read_from_the_settings_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            include_str!("../profiles/eltis.toml"),
        )
        .unwrap();
        let s = parse("profile = \"mine.toml\"\n", Path::new("c.toml"), dir.path()).unwrap();
        assert_eq!(
            s.profile.unwrap().value,
            dir.path().join("mine.toml").display().to_string()
        );
        let e = parse("profile = \"gone.toml\"\n", Path::new("c.toml"), dir.path())
            .unwrap_err()
            .to_string();
        assert!(e.contains("gone.toml"), "{e}");
    }

    #[test]
    fn a_folder_holds_the_file_and_the_profiles_a_file_has_them_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let l = Location::find(Some((dir.path(), Chosen::Env))).unwrap();
        assert_eq!(l.file, dir.path().join(FILE_NAME));
        assert_eq!(l.profiles, dir.path().join(PROFILES_DIR));
        assert_eq!(load(&l).unwrap(), Settings::default());
        let file = dir.path().join("field.toml");
        let l = Location::find(Some((&file, Chosen::Flag))).unwrap();
        assert_eq!(l.file, file);
        assert_eq!(l.profiles, dir.path().join(PROFILES_DIR));
        let e = load(&l).unwrap_err().to_string();
        assert!(e.contains("does not exist"), "{e}");
        // Not there yet and not .toml: a folder, which must exist too.
        let folder = dir.path().join("field");
        let l = Location::find(Some((&folder, Chosen::Flag))).unwrap();
        assert_eq!(l.file, folder.join(FILE_NAME));
        assert!(load(&l).is_err());
    }
}
