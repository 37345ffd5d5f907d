//! `kmdiag profiles`: list the built-in vendor profiles, or print one.

use crate::exit::Outcome;
use crate::profile::{self, Numbering};
use anyhow::Result;
use comfy_table::{ContentArrangement, Table, presets};

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
    /// Print one profile as TOML (a built-in name or a path)
    Show {
        /// Profile name or path
        #[arg(value_name = "NAME|PATH")]
        name: String,
    },
}

/// Runs `kmdiag profiles`.
pub fn run(args: ProfilesArgs) -> Result<Outcome> {
    match args.action {
        None => {
            let mut t = Table::new();
            t.load_style(presets::UTF8_FULL)
                .set_content_arrangement(ContentArrangement::Disabled)
                .force_no_tty();
            t.set_header(vec![
                "Name",
                "Vendor",
                "Units numbered",
                "Switches (tens × units × matrices)",
            ]);
            for p in profile::builtin_profiles() {
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
                ]);
            }
            super::emit(&format!(
                "{t}\nUse one with --profile NAME, or give a path to your own .toml.\n"
            ))?;
        }
        Some(ProfilesAction::Show { name }) => {
            let text = match profile::builtin_source(&name) {
                Some(text) => text.to_string(),
                None => {
                    let p = profile::resolve(&name)?;
                    toml::to_string_pretty(&p)?
                }
            };
            super::emit(&text)?;
        }
    }
    Ok(Outcome::Healthy)
}
