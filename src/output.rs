//! Writing output files safely: never half a file, never over something that is not a
//! regular file, never over an existing file without `--force`, and no temporary file left
//! behind.
//!
//! The text goes to a temporary file in the target's folder and is renamed into place when
//! complete. On Linux the temporary file has no name at all until it is complete (`O_TMPFILE`),
//! so even a `kill -9` leaves nothing; elsewhere (and on file systems without it) it is a
//! hidden named file that is removed on drop, on error, and on SIGINT/SIGTERM. A new file gets
//! the mode the umask allows; a replaced file keeps its permission bits but never a setuid,
//! setgid or sticky bit.

use crate::msg;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What stands at the output path before writing.
enum Target {
    /// Nothing: a new file.
    Free,
    /// A regular file, with its permission bits (Unix).
    File(#[cfg_attr(not(unix), allow(dead_code))] u32),
}

/// Checks the output path: refuses a folder, device, FIFO, socket or symbolic link (even a
/// dangling one) whatever `force` says, and an existing file without `force`.
fn check_target(path: &Path, force: bool) -> Result<Target> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Target::Free),
        Err(e) => return Err(e).with_context(|| msg!("file-cannot-write", path = path)),
    };
    let t = meta.file_type();
    if !t.is_file() {
        let kind = if t.is_symlink() {
            msg!("output-is-symlink")
        } else if t.is_dir() {
            msg!("file-is-folder")
        } else {
            msg!("output-is-special")
        };
        bail!(msg!("output-not-regular", path = path, kind = kind));
    }
    if !force {
        bail!(msg!("output-exists", path = path));
    }
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o777
    };
    #[cfg(not(unix))]
    let mode = 0;
    Ok(Target::File(mode))
}

/// Checks, before any work is done, that `path` could be written (rule 7: a typo fails in a
/// second, not after an hour's check).
pub fn check_writable(path: &Path, force: bool) -> Result<()> {
    check_target(path, force).map(|_| ())
}

/// The folder a file is written in.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// An output file being written: `Write` to it, then `commit`. Dropped without `commit`, it
/// leaves nothing behind.
pub struct AtomicFile {
    path: PathBuf,
    target: Target,
    force: bool,
    temp: Temp,
}

enum Temp {
    /// Linux: an unnamed file in the target's folder (`O_TMPFILE`).
    #[cfg(target_os = "linux")]
    Unnamed(std::fs::File),
    /// A hidden named file, registered for removal on SIGINT/SIGTERM.
    Named(Registered),
}

/// A named temporary file on the SIGINT/SIGTERM list while it exists.
struct Registered(Option<tempfile::NamedTempFile>);

impl Registered {
    fn get(&self) -> &tempfile::NamedTempFile {
        self.0.as_ref().expect("present until persisted")
    }

    fn get_mut(&mut self) -> &mut tempfile::NamedTempFile {
        self.0.as_mut().expect("present until persisted")
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Some(n) = &self.0 {
            cleanup::unregister(n.path());
        }
    }
}

impl AtomicFile {
    /// Starts writing `path`; fails at once if the path cannot be written (see
    /// `check_writable`).
    pub fn create(path: &Path, force: bool) -> Result<AtomicFile> {
        let target = check_target(path, force)?;
        let dir = folder_of(path);
        let temp =
            Temp::new(dir).with_context(|| msg!("output-cannot-create-temp", folder = dir))?;
        let file = AtomicFile {
            path: path.to_path_buf(),
            target,
            force,
            temp,
        };
        #[cfg(unix)]
        if let Target::File(mode) = file.target {
            use std::os::unix::fs::PermissionsExt;
            file.temp
                .file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .with_context(|| msg!("output-cannot-set-permissions", path = path))?;
        }
        Ok(file)
    }

    /// Flushes the text to disk and puts the file in place.
    pub fn commit(self) -> Result<()> {
        let AtomicFile {
            path,
            target,
            force,
            temp,
        } = self;
        let write_err = || msg!("file-cannot-write", path = &path);
        temp.file().sync_all().with_context(write_err)?;
        // Someone may have made the path since the check: check again, as late as possible.
        let _ = target;
        let replace = match check_target(&path, force)? {
            Target::Free => false,
            Target::File(_) => true,
        };
        temp.persist(&path, replace).with_context(write_err)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.temp.file_mut().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.temp.file_mut().flush()
    }
}

impl Temp {
    fn new(dir: &Path) -> std::io::Result<Temp> {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Mode 0666: the kernel applies the umask, as for any new file.
            let unnamed = std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(rustix::fs::OFlags::TMPFILE.bits() as i32)
                .mode(0o666)
                .open(dir);
            if let Ok(f) = unnamed {
                return Ok(Temp::Unnamed(f));
            }
            // The file system has no O_TMPFILE (NFS, vfat…): a named file instead.
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".kmdiag-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Created with 0666 less the umask, like any new file (tempfile's default is 0600).
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let named = builder.tempfile_in(dir)?;
        cleanup::register(named.path());
        Ok(Temp::Named(Registered(Some(named))))
    }

    fn file(&self) -> &std::fs::File {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => f,
            Temp::Named(n) => n.get().as_file(),
        }
    }

    fn file_mut(&mut self) -> &mut std::fs::File {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => f,
            Temp::Named(n) => n.get_mut().as_file_mut(),
        }
    }

    /// Puts the finished file at `path`: over an existing file when `replace`, else only
    /// if nothing is there.
    fn persist(self, path: &Path, replace: bool) -> std::io::Result<()> {
        match self {
            #[cfg(target_os = "linux")]
            Temp::Unnamed(f) => linux::persist_unnamed(&f, path, replace),
            Temp::Named(mut r) => {
                let n = r.0.take().expect("present until persisted");
                let temp_path = n.path().to_path_buf();
                let result = if replace {
                    n.persist(path).map(|_| ()).map_err(|e| e.error)
                } else {
                    n.persist_noclobber(path).map(|_| ()).map_err(|e| e.error)
                };
                cleanup::unregister(&temp_path);
                result
            }
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::os::unix::io::AsRawFd;
    use std::path::Path;

    fn link(f: &std::fs::File, to: &Path) -> std::io::Result<()> {
        let from = format!("/proc/self/fd/{}", f.as_raw_fd());
        rustix::fs::linkat(
            rustix::fs::CWD,
            from.as_str(),
            rustix::fs::CWD,
            to,
            rustix::fs::AtFlags::SYMLINK_FOLLOW,
        )
        .map_err(std::io::Error::from)
    }

    /// Gives the unnamed file its name: linked straight to `path` (which fails if anything
    /// is there), or, to replace a file, linked to a hidden name and renamed over it.
    pub(super) fn persist_unnamed(
        f: &std::fs::File,
        path: &Path,
        replace: bool,
    ) -> std::io::Result<()> {
        if !replace {
            return link(f, path);
        }
        let dir = super::folder_of(path);
        for attempt in 0..100u32 {
            let name = format!(".kmdiag-{}-{attempt}.tmp", std::process::id());
            let temp = dir.join(name);
            match link(f, &temp) {
                Ok(()) => {
                    let renamed = std::fs::rename(&temp, path);
                    if renamed.is_err() {
                        let _ = std::fs::remove_file(&temp);
                    }
                    return renamed;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            crate::msg!("output-no-temp-name").to_string(),
        ))
    }
}

/// Named temporary files in progress, removed when SIGINT or SIGTERM ends the process.
mod cleanup {
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, Once};

    static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static HANDLER: Once = Once::new();

    /// Exit code for a run ended by Ctrl-C (README: 130, as shells report SIGINT).
    const INTERRUPTED: i32 = 130;

    pub(super) fn register(path: &Path) {
        HANDLER.call_once(|| {
            // Another part of kmdiag (the live sweep) may own the handler; then it decides.
            let _ = ctrlc::set_handler(|| {
                if let Ok(pending) = PENDING.lock() {
                    for p in pending.iter() {
                        let _ = std::fs::remove_file(p);
                    }
                }
                std::process::exit(INTERRUPTED);
            });
        });
        if let Ok(mut pending) = PENDING.lock() {
            pending.push(path.to_path_buf());
        }
    }

    pub(super) fn unregister(path: &Path) {
        if let Ok(mut pending) = PENDING.lock() {
            pending.retain(|p| p != path);
        }
    }
}

/// Writes `bytes` to `path` atomically. Refuses to replace an existing file unless `force`,
/// and anything but a regular file whatever `force` says.
pub fn write_atomic(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let mut file = AtomicFile::create(path, force)?;
    file.write_all(bytes)
        .with_context(|| msg!("file-cannot-write", path = path))?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        write_atomic(&p, b"one", false).unwrap();
        let e = write_atomic(&p, b"two", false).unwrap_err().to_string();
        assert!(e.contains("--force"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_atomic(&p, b"two", true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        // Nothing else is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_abandoned_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.json");
        let mut f = AtomicFile::create(&p, false).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn folders_links_and_devices_are_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), b"x", true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("a folder"), "{e}");
        let link = dir.path().join("dangling.html");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        for force in [false, true] {
            let e = write_atomic(&link, b"x", force).unwrap_err().to_string();
            assert!(e.contains("symbolic link"), "{e}");
        }
        assert!(!dir.path().join("nowhere").exists());
        let e = write_atomic(Path::new("/dev/null"), b"x", true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn modes_follow_the_umask_and_drop_setuid() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.html");
        write_atomic(&p, b"x", false).unwrap();
        // SAFETY: umask only reads and sets this process's mask; set back at once.
        let mask = unsafe {
            let m = libc::umask(0o022);
            libc::umask(m);
            m
        };
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(
            mode,
            0o666 & !(mask as u32),
            "mode {mode:o}, umask {mask:o}"
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o4750)).unwrap();
        write_atomic(&p, b"y", true).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o750);
    }
}
