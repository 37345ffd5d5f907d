//! The command line on top of the settings file: the file is read before clap parses, so its
//! port, meter and profile become the defaults of those flags — a flag beats its environment
//! variable (clap's `env`), which beats the file, which beats kmdiag's own default. Also sets
//! up what every command shares: the log (`-q`/`-v`), colour (`--color`) and the user
//! profile folder.

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::{self, Chosen, ConfigError, Location, Settings};
use crate::i18n::Lang;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;

/// `--profile`'s variable.
pub const PROFILE_ENV: &str = "KMDIAG_PROFILE";
/// `--port`'s variable.
pub const PORT_ENV: &str = "KMDIAG_PORT";
/// `--meter`'s variable.
pub const METER_ENV: &str = "KMDIAG_METER";
/// `--config`'s variable (read here, not by clap: an empty one means none).
pub const CONFIG_ENV: &str = "KMDIAG_CONFIG";

/// A parsed command line with its settings.
#[derive(Debug)]
pub struct Invocation {
    /// The command line, defaults filled in.
    pub cli: Cli,
    /// Where the settings are (none when the OS has no config folder).
    pub location: Option<Location>,
    /// The settings, or why they could not be read.
    pub settings: Result<Settings, ConfigError>,
}

static LANG: OnceLock<Lang> = OnceLock::new();

/// The settings file's language, when it names one (for commands without `--lang`).
pub fn settings_lang() -> Option<Lang> {
    LANG.get().copied()
}

/// Parses `std::env::args_os()`: clap prints help, the version or a usage error and exits
/// (2) as usual. An unreadable settings file is an error only for commands that use it.
pub fn parse() -> anyhow::Result<Invocation> {
    parse_from(std::env::args_os().collect())
}

/// `parse` on given arguments.
pub fn parse_from(args: Vec<OsString>) -> anyhow::Result<Invocation> {
    // 1. The global flags, read leniently first: they say where the settings are and how
    //    much to log while reading them.
    let early = early_globals(&args);
    crate::logger::init(crate::logger::level(early.quiet, early.verbose));
    crate::term::init(early.color);
    // 2. The settings file and the user profile folder beside it.
    let location = Location::find(early.config.as_ref().map(|(p, c)| (p.as_path(), c.clone())));
    if let Some(l) = &location {
        crate::profile::user::set_folder(l.profiles.clone());
    }
    let settings = match &location {
        Some(l) => config::load(l),
        None => Ok(Settings::default()),
    };
    // 3. The real parse, with the file's values as defaults.
    let command = with_defaults(
        Cli::command(),
        settings.as_ref().unwrap_or(&Settings::default()),
    );
    let matches = command.get_matches_from(args);
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // 4. The file matters only to commands that read it.
    if cli.command.uses_settings() {
        let settings = settings.as_ref().map_err(|e| anyhow::anyhow!("{e}"))?;
        say_where(location.as_ref());
        if let Some(lang) = &settings.lang {
            let _ = LANG.set(lang.value);
        }
        fill_in(&mut cli.command, &matches, settings)?;
    }
    Ok(Invocation {
        cli,
        location,
        settings,
    })
}

/// The global flags as far as they can be read before the settings are known.
struct Early {
    color: crate::term::ColorChoice,
    quiet: bool,
    verbose: u8,
    config: Option<(PathBuf, Chosen)>,
}

fn early_globals(args: &[OsString]) -> Early {
    let mut early = Early {
        color: crate::term::ColorChoice::Auto,
        quiet: false,
        verbose: 0,
        config: std::env::var_os(CONFIG_ENV)
            .filter(|v| !v.is_empty())
            .map(|v| (PathBuf::from(v), Chosen::Env)),
    };
    // Building and parsing the whole command tree is most of a start-up's cost (measured by
    // `cargo bench --bench startup`), so the first look is taken only when a global flag may
    // be there; without one the defaults and KMDIAG_CONFIG are what the real parse finds.
    let before_end = args.iter().skip(1).take_while(|a| a.as_os_str() != "--");
    if !before_end.into_iter().any(may_be_global) {
        return early;
    }
    // Lenient: a usage error is reported by the real parse; here it only costs the early
    // log its level.
    let Ok(m) = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(args)
    else {
        return early;
    };
    if let Ok(g) = GlobalArgs::from_arg_matches(&m) {
        early.color = g.color;
        early.quiet = g.quiet;
        early.verbose = g.verbose;
        // --config wins over KMDIAG_CONFIG (read above: clap would take an empty variable
        // for an empty path).
        if let Some(p) = g.config.filter(|p| !p.as_os_str().is_empty()) {
            early.config = Some((p, Chosen::Flag));
        }
    }
    early
}

/// True for an argument that may be `--color`, `--config`, `-q`/`--quiet` or `-v`/`--verbose`
/// (alone, with its value, or in a cluster of short flags such as `-qv`). A false alarm (a
/// value that looks like one) only costs the lenient parse; a real one is never missed.
fn may_be_global(arg: &OsString) -> bool {
    let arg = arg.to_string_lossy();
    ["--color", "--config", "--quiet", "--verbose"]
        .iter()
        .any(|flag| arg.starts_with(flag))
        || (arg.starts_with('-')
            && !arg.starts_with("--")
            && arg.chars().skip(1).any(|c| c == 'q' || c == 'v'))
}

/// The settings that stand for a flag: the flag's id, the commands that have it (with a
/// required value: commands whose flag is optional take the default in `fill_in`), and its
/// variable.
const FLAGS: [(&str, &[&str], &str); 3] = [
    ("profile", &["map", "simulate", "sweep"], PROFILE_ENV),
    ("port", &["read", "sweep"], PORT_ENV),
    ("meter", &["read", "sweep"], METER_ENV),
];

/// The settings file's value for a flag's id.
fn setting(s: &Settings, id: &str) -> Option<String> {
    match id {
        "profile" => s.profile.as_ref().map(|v| v.value.clone()),
        "port" => s.port.as_ref().map(|v| v.value.clone()),
        "meter" => s.meter.as_ref().map(|v| v.value.clone()),
        _ => None,
    }
}

/// The command with the settings' values as defaults of the flags they stand for, and
/// without the variables that are set but empty (`KMDIAG_PORT=` unsets a default, as in
/// most tools; clap would take it for an empty port).
fn with_defaults(mut command: clap::Command, s: &Settings) -> clap::Command {
    for (id, commands, env) in FLAGS {
        let value = setting(s, id);
        let empty_variable =
            std::env::var_os(env).is_some_and(|v| v.to_string_lossy().trim().is_empty());
        if value.is_none() && !empty_variable {
            continue;
        }
        for name in commands {
            let value = value.clone();
            command = command.mut_subcommand(*name, |sub| {
                sub.mut_arg(id, |mut a| {
                    if empty_variable {
                        a = a.env(None::<&'static str>);
                    }
                    match value {
                        // A default never satisfies clap's `required` (only a flag or its
                        // variable does), so the flag stops being required once the file
                        // gives it.
                        Some(v) => a
                            .default_value(v)
                            .required(false)
                            .required_unless_present(clap::builder::Resettable::<clap::Id>::Reset),
                        None => a,
                    }
                })
            });
        }
    }
    command
}

/// Logs where the settings came from (`-v`).
fn say_where(location: Option<&Location>) {
    match location {
        None => log::debug!("no settings: the OS gives no config folder (no home directory?)"),
        Some(l) => {
            let how = match l.chosen {
                Chosen::Flag => "--config",
                Chosen::Env => CONFIG_ENV,
                Chosen::OsFolder => "the OS config folder",
            };
            if l.file.is_file() {
                log::debug!("settings from {} (by {how})", l.file.display());
            } else {
                log::debug!(
                    "no settings file at {} (by {how}): built-in defaults",
                    l.file.display()
                );
            }
            log::debug!("user profiles from {}", l.profiles.display());
        }
    }
}

/// Fills what the command line left to the environment or the settings and logs where each
/// value came from; refuses `read --port … --from-file …`.
fn fill_in(command: &mut Command, matches: &ArgMatches, s: &Settings) -> anyhow::Result<()> {
    let Some((_, sub)) = matches.subcommand() else {
        return Ok(());
    };
    match command {
        Command::Read(args) if args.from_file.is_some() => {
            if sub.value_source("port") == Some(ValueSource::CommandLine) {
                anyhow::bail!(
                    "--port reads a meter and --from-file decodes a recording; give one of them"
                );
            }
            // A default port (KMDIAG_PORT, the settings) does not apply to a recording.
            args.port = None;
        }
        Command::Diagnose(args) => args.entrance.fallback_profile = fallback_profile(s),
        Command::Check(args) => args.folder.fallback_profile = fallback_profile(s),
        Command::Report(args) => args.sweep.fallback_profile = fallback_profile(s),
        Command::Diff(args) => args.entrance.fallback_profile = fallback_profile(s),
        _ => {}
    }
    let recording = matches!(command, Command::Read(args) if args.from_file.is_some());
    for (id, env) in [
        ("profile", PROFILE_ENV),
        ("port", PORT_ENV),
        ("meter", METER_ENV),
    ] {
        let Some(value) = sub.try_get_one::<String>(id).ok().flatten() else {
            continue;
        };
        if recording && id == "port" {
            continue;
        }
        let from = match sub.value_source(id) {
            Some(ValueSource::CommandLine) => format!("--{id}"),
            Some(ValueSource::EnvVariable) => env.to_string(),
            _ => from_file(s, id),
        };
        log::debug!("{id} {value} (from {from})");
    }
    Ok(())
}

/// "the settings file, line N" for a setting.
fn from_file(s: &Settings, id: &str) -> String {
    let line = match id {
        "profile" => s.profile.as_ref().map(|v| v.line),
        "port" => s.port.as_ref().map(|v| v.line),
        "meter" => s.meter.as_ref().map(|v| v.line),
        _ => None,
    };
    match line {
        Some(l) => format!("the settings file, line {l}"),
        None => "the default".into(),
    }
}

/// The profile for commands whose `--profile` is optional: KMDIAG_PROFILE, else the
/// settings file's.
fn fallback_profile(s: &Settings) -> Option<String> {
    std::env::var(PROFILE_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| s.profile.as_ref().map(|v| v.value.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn global_flags_are_seen_wherever_they_stand() {
        for flag in [
            "-q",
            "-v",
            "-vv",
            "--quiet",
            "--verbose",
            "--color=never",
            "--config",
        ] {
            assert!(may_be_global(&OsString::from(flag)), "{flag}");
        }
        assert!(!may_be_global(&OsString::from("--profile")));
        assert!(!may_be_global(&OsString::from("-o")));
        assert!(!may_be_global(&OsString::from("sweep.csv")));
        let e = early_globals(&os(&["kmdiag", "map", "--color", "always", "-vv", "10"]));
        assert_eq!(e.color, crate::term::ColorChoice::Always);
        assert_eq!(e.verbose, 2);
        let e = early_globals(&os(&["kmdiag", "--config", "x.toml", "map", "10"]));
        assert_eq!(e.config, Some((PathBuf::from("x.toml"), Chosen::Flag)));
        // After `--` nothing is a flag.
        let e = early_globals(&os(&["kmdiag", "map", "--", "-v"]));
        assert_eq!(e.verbose, 0);
    }
}
