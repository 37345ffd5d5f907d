//! `kmdiag profiles`: list the vendor profiles — built in, and the user's own from the
//! profiles folder beside the settings file — with where each comes from, or print one.

use crate::exit::Outcome;
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
            source: "built in".into(),
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
            Some(_) => format!("{} (replaces the built-in)", f.path.display()),
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
    let mut t = crate::export::plain_table(width);
    t.set_header(vec![
        "Name",
        "Vendor",
        "Units numbered",
        "Switches (tens × units × matrices)",
        "Source",
    ]);
    for row in rows {
        let Some(p) = &row.profile else {
            t.add_row(vec![
                row.name.clone(),
                "-".into(),
                "-".into(),
                "does not load (see the warning)".into(),
                row.source.clone(),
            ]);
            continue;
        };
        let numbering = match p.numbering {
            Numbering::Decimal => "from 0 (flat 10 → D1/E0)",
            Numbering::UnitsFromOne => "from 1 (E1 is the first units line)",
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
            numbering.to_string(),
            switches,
            row.source.clone(),
        ]);
    }
    let folder = match profile::user::folder() {
        Some(f) => format!(
            "; your own go in {} (kmdiag config path --profiles)",
            f.display()
        ),
        None => String::new(),
    };
    format!("{t}\nUse one with --profile NAME, or give a path to a .toml file{folder}.\n")
}

/// Runs `kmdiag profiles`.
pub fn run(args: ProfilesArgs) -> Result<Outcome> {
    match args.action {
        None => super::emit(&render_list(&listed(), super::table_width()))?,
        Some(ProfilesAction::Show { name }) => {
            let text = match profile::resolve_with_source(&name)? {
                (_, ProfileSource::User(path)) => std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
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
