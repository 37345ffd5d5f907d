//! `kmdiag config`: where the settings file is (`path`), what is in effect and where each
//! value comes from (`show`), and an example file to start from (`init`). Works when the
//! file is broken, so a technician can find and fix it; `show` then names the fault.

use crate::config::{self, ConfigError, Location, Settings};
use crate::exit::Outcome;
use anyhow::{Context, Result, anyhow};
use std::fmt::Write as _;

use super::settings::{METER_ENV, PORT_ENV, PROFILE_ENV};

/// Arguments of `kmdiag config`.
#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// What to do
    #[command(subcommand)]
    pub action: ConfigAction,
}

/// What to do with the settings.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigAction {
    /// Print the settings file's path (it need not exist yet)
    Path {
        /// Print the folder of your own profiles instead
        #[arg(long)]
        profiles: bool,
    },
    /// Show the settings in effect and where each comes from
    Show,
    /// Write an example settings file, every key explained and commented out
    Init {
        /// Overwrite an existing settings file
        #[arg(long)]
        force: bool,
    },
}

/// Runs `kmdiag config`.
pub fn run(
    args: ConfigArgs,
    location: Option<Location>,
    settings: Result<Settings, ConfigError>,
) -> Result<Outcome> {
    let location = location.ok_or_else(|| {
        anyhow!(
            "the OS gives no config folder (no home directory); name a settings file with --config FILE or KMDIAG_CONFIG"
        )
    })?;
    match args.action {
        ConfigAction::Path { profiles } => {
            let path = if profiles {
                &location.profiles
            } else {
                &location.file
            };
            super::emit(&format!("{}\n", path.display()))?;
            if !profiles && !location.file.exists() {
                log::info!("no settings file there yet; 'kmdiag config init' writes an example");
            }
        }
        ConfigAction::Show => {
            super::emit(&show(&location, settings.as_ref().ok()))?;
            settings?;
        }
        ConfigAction::Init { force } => {
            if let Some(dir) = location.file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            crate::output::write_atomic(&location.file, config::EXAMPLE.as_bytes(), force)?;
            log::info!(
                "wrote {}; remove the '#' before the settings you want",
                location.file.display()
            );
        }
    }
    Ok(Outcome::Healthy)
}

/// The settings in effect, one per line with where it comes from; `settings` is `None` when
/// the file could not be read (the error follows on stderr).
pub fn show(location: &Location, settings: Option<&Settings>) -> String {
    let mut out = String::new();
    let state = match (location.file.exists(), settings) {
        (false, _) => " (not there: 'kmdiag config init' writes an example)",
        (true, Some(_)) => "",
        (true, None) => " (cannot be used: see the error below)",
    };
    let _ = writeln!(out, "settings file    {}{state}", location.file.display());
    let mine: Vec<String> = crate::profile::user::files_in(&location.profiles)
        .into_iter()
        .map(|f| f.name)
        .collect();
    let _ = writeln!(
        out,
        "profiles folder  {} ({})",
        location.profiles.display(),
        match mine.len() {
            0 => "no profiles".to_string(),
            _ => mine.join(", "),
        }
    );
    out.push('\n');
    let empty = Settings::default();
    let s = settings.unwrap_or(&empty);
    let rows = [
        (
            "port",
            PORT_ENV,
            s.port.as_ref().map(|v| (v.value.clone(), v.line)),
        ),
        (
            "meter",
            METER_ENV,
            s.meter.as_ref().map(|v| (v.value.clone(), v.line)),
        ),
        (
            "profile",
            PROFILE_ENV,
            s.profile.as_ref().map(|v| (v.value.clone(), v.line)),
        ),
    ];
    for (key, env, in_file) in rows {
        let from_env = std::env::var(env).ok().filter(|v| !v.trim().is_empty());
        let (value, from) = match (from_env, in_file) {
            (Some(v), Some((f, line))) => (
                v,
                format!("{env} (the file's '{f}' on line {line} is not used)"),
            ),
            (Some(v), None) => (v, env.to_string()),
            (None, Some((f, line))) => (f, format!("settings file, line {line}")),
            (None, None) => ("-".to_string(), format!("not set: give --{key}")),
        };
        let _ = writeln!(out, "{key:<8} {value:<20} {from}");
    }
    let (lang, from) = match &s.lang {
        Some(l) => (
            clap::ValueEnum::to_possible_value(&l.value)
                .map_or_else(String::new, |v| v.get_name().to_string()),
            format!("settings file, line {}", l.line),
        ),
        None => ("-".to_string(), "not set: LANG decides".to_string()),
    };
    let _ = writeln!(out, "{:<8} {lang:<20} {from}", "lang");
    out.push_str("\nA flag on the command line wins over these.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Chosen, Setting};

    #[test]
    fn show_says_where_each_setting_comes_from() {
        let dir = tempfile::tempdir().unwrap();
        let location = Location::find(Some((dir.path(), Chosen::Flag))).unwrap();
        let settings = Settings {
            meter: Some(Setting {
                value: "ut61e".into(),
                line: 3,
            }),
            ..Settings::default()
        };
        let text = show(&location, Some(&settings));
        assert!(text.contains("(not there"), "{text}");
        assert!(text.contains("no profiles"), "{text}");
        // The variables may be set in the environment of the test run; only the file's own
        // line is certain.
        if std::env::var_os(METER_ENV).is_none() {
            assert!(text.contains("meter    ut61e"), "{text}");
            assert!(text.contains("settings file, line 3"), "{text}");
        }
    }
}
