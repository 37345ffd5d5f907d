//! `kmdiag man`: the manual page in roff (clap_mangen), from the same clap definition that
//! parses the command line: kmdiag's own page or one command's on stdout or `-o FILE`, or with
//! `--all` every page (`kmdiag.1`, `kmdiag-diagnose.1`, …) into a folder for `man -M` or a
//! package's `share/man/man1`.

use crate::cli::Cli;
use crate::exit::Outcome;
use anyhow::{Context, Result, bail};
use clap::CommandFactory;
use std::path::{Path, PathBuf};

/// Arguments of `kmdiag man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// The command whose page to print, e.g. diagnose or "profiles show" (default: kmdiag's
    /// own page, which lists every command)
    #[arg(value_name = "COMMAND", num_args = 0..)]
    pub command: Vec<String>,
    /// Write the page to FILE instead of stdout; with --all, the folder to write every page to
    #[arg(short = 'o', long = "output", value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
    /// Every page, one per command, into the -o folder
    #[arg(long, requires = "output", conflicts_with = "command")]
    pub all: bool,
    /// Overwrite existing files
    #[arg(long)]
    pub force: bool,
}

/// The command tree as the pages show it: built (global flags copied into every command)
/// and without clap's `help` command, which has no page of its own.
fn root() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Every page: (file name, roff text), kmdiag's own first, then each command's in order.
pub fn all_pages() -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        pages.push(page(cmd)?);
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, pages)?;
        }
        Ok(())
    }
    let mut pages = Vec::new();
    walk(&root(), &mut pages)?;
    Ok(pages)
}

/// The page of one command of the built tree: its file name and text.
fn page(cmd: &clap::Command) -> Result<(String, Vec<u8>)> {
    // Every page names kmdiag and its version as its source, a command's page too.
    let man =
        clap_mangen::Man::new(cmd.clone()).source(format!("kmdiag {}", env!("KMDIAG_VERSION")));
    let mut text = Vec::new();
    man.render(&mut text)
        .context("cannot render the manual page")?;
    Ok((man.get_filename(), text))
}

/// The page of the command named by `path` (empty: kmdiag's own).
pub fn page_of(path: &[String]) -> Result<(String, Vec<u8>)> {
    let mut cmd = root();
    for name in path {
        let known: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
        let Some(sub) = cmd.find_subcommand(name).cloned() else {
            bail!(
                "no command '{name}'{}; commands: {}",
                crate::suggest::did_you_mean(name, known.iter().copied()),
                known.join(", ")
            );
        };
        cmd = sub;
    }
    page(&cmd)
}

/// Runs `kmdiag man`.
pub fn run(args: ManArgs) -> Result<Outcome> {
    match (&args.output, args.all) {
        (Some(dir), true) => write_all(dir, args.force)?,
        (Some(file), false) if file.as_os_str() != "-" => {
            let (_, text) = page_of(&args.command)?;
            crate::output::write_atomic(file, &text, args.force)?;
            log::info!("wrote {}", file.display());
        }
        _ => super::emit_bytes(&page_of(&args.command)?.1)?,
    }
    Ok(Outcome::Healthy)
}

/// Writes every page into `dir` (created if need be).
fn write_all(dir: &Path, force: bool) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let pages = all_pages()?;
    for (name, text) in &pages {
        crate::output::write_atomic(&dir.join(name), text, force)?;
    }
    log::info!("wrote {} manual pages into {}", pages.len(), dir.display());
    Ok(())
}
