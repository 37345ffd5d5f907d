//! The user's own profiles: every `*.toml` in the `profiles/` folder beside the settings file
//! joins the built-in profiles under its file name (`my-eltis.toml` is `--profile
//! my-eltis`), and one named like a built-in replaces it. The folder is set once at start
//! (`set_folder`); library users and tests that never set it see the built-ins only.
//! The folder is listed once and each profile parsed once per run: a building plan of
//! thousands of entrances names the same few profiles over and over.
//! Loading only: reads the folder and its files, nothing else.

use super::{Profile, ProfileError, load};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

static FOLDER: OnceLock<PathBuf> = OnceLock::new();
static FILES: OnceLock<Vec<UserFile>> = OnceLock::new();
static LOADED: Mutex<Option<HashMap<PathBuf, Profile>>> = Mutex::new(None);

/// Sets the user profile folder for this run (the first call wins).
pub fn set_folder(folder: PathBuf) {
    let _ = FOLDER.set(folder);
}

/// The user profile folder, when one was set.
pub fn folder() -> Option<&'static Path> {
    FOLDER.get().map(PathBuf::as_path)
}

/// A profile file in the folder: its name (the file name without `.toml`) and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFile {
    /// The name `--profile` knows it by.
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// Every `*.toml` regular file in `folder`, by name; none when the folder does not exist.
/// Other entries (sub-folders, a pipe named `x.toml`) are not profiles and are passed over.
pub fn files_in(folder: &Path) -> Vec<UserFile> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<UserFile> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        })
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_string();
            Some(UserFile { name, path })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The files of the folder set for this run, listed on first use. Before a folder is set
/// (a library user, a unit test) there are none, and nothing is remembered.
pub fn files() -> &'static [UserFile] {
    match folder() {
        Some(dir) => FILES.get_or_init(|| files_in(dir)),
        None => &[],
    }
}

/// The user's profile called `name` (case-insensitive), loaded; `None` when there is none.
/// A profile that loads is remembered for the run; one that does not is read again (and
/// fails again with its message) each time it is asked for.
pub fn find(name: &str) -> Result<Option<(Profile, PathBuf)>, ProfileError> {
    let Some(f) = files().iter().find(|f| f.name.eq_ignore_ascii_case(name)) else {
        return Ok(None);
    };
    let remembered = LOADED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(|m| m.get(&f.path).cloned());
    if let Some(p) = remembered {
        return Ok(Some((p, f.path.clone())));
    }
    let p = load_file(f)?;
    LOADED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(f.path.clone(), p.clone());
    Ok(Some((p, f.path.clone())))
}

/// Loads one user file; the `name` inside must be its file name, so `--profile` and the
/// name printed in a report are the same.
pub fn load_file(f: &UserFile) -> Result<Profile, ProfileError> {
    let p = load::load_path(&f.path)?;
    if !p.name.eq_ignore_ascii_case(&f.name) {
        return Err(ProfileError::Invalid {
            path: f.path.clone(),
            key: "name".into(),
            problem: format!(
                "is '{}' but the file is {}.toml; make them the same (name = \"{}\"), so --profile {} finds it and reports name it",
                p.name, f.name, f.name, f.name
            ),
        });
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ELTIS: &str = include_str!("../../profiles/eltis.toml");

    #[test]
    fn toml_files_are_profiles_by_file_name_and_the_rest_is_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.toml"), "x").unwrap();
        std::fs::write(dir.path().join("A.TOML"), "x").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        std::fs::create_dir(dir.path().join("old.toml")).unwrap();
        let names: Vec<String> = files_in(dir.path()).into_iter().map(|f| f.name).collect();
        assert_eq!(names, ["A", "b"]);
        assert!(files_in(&dir.path().join("none")).is_empty());
    }

    #[test]
    fn the_name_inside_must_be_the_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("my-eltis.toml");
        std::fs::write(&path, ELTIS).unwrap();
        let f = UserFile {
            name: "my-eltis".into(),
            path: path.clone(),
        };
        let e = load_file(&f).unwrap_err().to_string();
        assert!(e.contains("name = \"my-eltis\""), "{e}");
        std::fs::write(
            &path,
            ELTIS.replace("name = \"eltis\"", "name = \"my-eltis\""),
        )
        .unwrap();
        assert_eq!(load_file(&f).unwrap().name, "my-eltis");
    }
}
