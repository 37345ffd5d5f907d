//! `kmdiag profiles`: list the vendor profiles — built in, and the user's own from the
//! profiles folder beside the settings file — with where each comes from, or print one.

use crate::exit::Outcome;
use crate::i18n::{Arg, Message};
use crate::msg;
use crate::profile::{self, Numbering, Profile, ProfileSource};
use anyhow::{Context, Result};

/// Arguments of `kmdiag profiles`.
#[derive(Debug, clap::Args)]
pub struct ProfilesArgs {
    /// `show NAME|PATH` prints one profile
    #[command(subcommand)]
    pub action: Option<ProfilesAction>,
}

/// What to do with profiles.
#[derive(Debug, clap::Subcommand)]
pub enum ProfilesAction {
    /// Print one profile as TOML (a built-in or user profile name, or a path)
    Show {
        /// Profile name or path
        #[arg(value_name = "NAME|PATH")]
        name: String,
    },
}

/// One row of the list: a profile, or a user file that does not load.
struct Listed {
    name: String,
    profile: Option<Profile>,
    source: String,
}

/// Every profile kmdiag knows: the built-ins (unless one of the user's replaces it), then
/// the user's own, by name. A user file that does not load is listed with a warning.
fn listed() -> Vec<Listed> {
    let mine = profile::user::files();
    let replaced = |name: &str| mine.iter().find(|f| f.name.eq_ignore_ascii_case(name));
    let mut rows: Vec<Listed> = profile::builtin_profiles()
        .into_iter()
        .filter(|p| replaced(&p.name).is_none())
        .map(|p| Listed {
            name: p.name.clone(),
            source: crate::i18n::current().say("profiles-built-in").into(),
            profile: Some(p),
        })
        .collect();
    for f in mine {
        let profile = match profile::user::load_file(f) {
            Ok(p) => Some(p),
            Err(e) => {
                log::warn!("{e}");
                None
            }
        };
        let source = match profile::builtin_source(&f.name) {
            Some(_) => msg!("profiles-replaces", path = f.path.display().to_string()).to_string(),
            None => f.path.display().to_string(),
        };
        rows.push(Listed {
            name: f.name.clone(),
            profile,
            source,
        });
    }
    rows
}

/// The list as a table fitting `width` columns when given.
fn render_list(rows: &[Listed], width: Option<u16>) -> String {
    let lang = crate::i18n::current();
    let mut t = crate::export::plain_table(width);
    t.set_header(vec![
        lang.say("profiles-col-name"),
        lang.say("profiles-col-vendor"),
        lang.say("profiles-col-units"),
        lang.say("profiles-col-switches"),
        lang.say("profiles-col-source"),
    ]);
    for row in rows {
        let Some(p) = &row.profile else {
            t.add_row(vec![
                row.name.clone(),
                "-".into(),
                "-".into(),
                lang.say("profiles-does-not-load").into(),
                row.source.clone(),
            ]);
            continue;
        };
        // Labels as this profile prints them, in the run's letters unless kept as printed.
        let line = |label: String| Arg::Line {
            label,
            localize: !p.labels.as_printed,
        };
        let (d, e) = (&p.labels.tens, &p.labels.units);
        let numbering = match p.numbering {
            Numbering::Decimal => msg!("profiles-units-from-0", cell = line(format!("{d}1/{e}0"))),
            Numbering::UnitsFromOne => msg!("profiles-units-from-1", line = line(format!("{e}1"))),
        };
        let switches = p
            .switches
            .iter()
            .map(|s| format!("{} {}", s.model, s.geometry_text(&p.labels.tens)))
            .collect::<Vec<_>>()
            .join("\n");
        t.add_row(vec![
            p.name.clone(),
            p.vendor.clone(),
            numbering.render(lang),
            switches,
            row.source.clone(),
        ]);
    }
    let use_one = match profile::user::folder() {
        Some(f) => msg!("profiles-use-folder", folder = f.display().to_string()),
        None => Message::new("profiles-use"),
    };
    format!("{t}\n{}\n", use_one.render(lang))
}

/// Runs `kmdiag profiles`.
pub fn run(args: ProfilesArgs) -> Result<Outcome> {
    match args.action {
        None => super::emit(&render_list(&listed(), super::table_width()))?,
        Some(ProfilesAction::Show { name }) => {
            let text = match profile::resolve_with_source(&name)? {
                (_, ProfileSource::User(path)) => std::fs::read_to_string(&path)
                    .with_context(|| msg!("file-cannot-read", path = &path))?,
                (_, ProfileSource::Builtin) => profile::builtin_source(&name)
                    .unwrap_or_default()
                    .to_string(),
                (p, ProfileSource::File(_)) => toml::to_string_pretty(&p)?,
            };
            super::emit(&text)?;
        }
    }
    Ok(Outcome::Healthy)
}
