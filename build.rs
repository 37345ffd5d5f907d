//! Build script: puts the git commit into `kmdiag --version` (`KMDIAG_VERSION`), so a bug
//! report names the exact build. Built from a tarball or without git, the version is the
//! crate's alone; nothing here may fail the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = env_or_empty("CARGO_PKG_VERSION");
    let manifest_dir = PathBuf::from(env_or_empty("CARGO_MANIFEST_DIR"));
    // Watched whenever there is a git folder, even when no commit can be named yet (a new
    // checkout before its first commit), so the next commit rebuilds the version.
    watch_head(&manifest_dir);
    let full = match commit(&manifest_dir) {
        Some(commit) => format!("{version} (git {commit})"),
        None => version,
    };
    println!("cargo:rustc-env=KMDIAG_VERSION={full}");
}

fn env_or_empty(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

/// The short hash of HEAD, when this is a git checkout of kmdiag and git runs. A tarball
/// unpacked inside some other repository is not: its build.rs is not tracked there.
fn commit(dir: &Path) -> Option<String> {
    git(dir, &["ls-files", "--error-unmatch", "build.rs"])?;
    let hash = git(dir, &["rev-parse", "--short", "HEAD"])?;
    // A hash is hex digits only; anything else (a wrapper script's message) is not one.
    hash.bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then_some(hash)
        .filter(|h| !h.is_empty())
}

/// Rebuilds the version when HEAD moves: HEAD itself (a checkout) and the branch it points
/// to (a commit), loose or packed. In a worktree HEAD lives in its own git folder and the
/// branches in the common one.
fn watch_head(dir: &Path) {
    let Some(git_dir) = git(dir, &["rev-parse", "--absolute-git-dir"]) else {
        return;
    };
    let git_dir = PathBuf::from(git_dir);
    println!("cargo:rerun-if-changed={}", git_dir.join("HEAD").display());
    let common = git(dir, &["rev-parse", "--git-common-dir"])
        .map(|c| {
            let c = PathBuf::from(c);
            if c.is_absolute() { c } else { dir.join(c) }
        })
        .unwrap_or_else(|| git_dir.clone());
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        let loose = common.join(&branch);
        if loose.exists() {
            println!("cargo:rerun-if-changed={}", loose.display());
        }
    }
    let packed = common.join("packed-refs");
    if packed.exists() {
        println!("cargo:rerun-if-changed={}", packed.display());
    }
}

/// Runs git in `dir`; its trimmed stdout when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_string())
}
