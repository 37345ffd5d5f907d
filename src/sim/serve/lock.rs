//! The claim on a `--link PATH`: one running simulator per link. A lock file beside the link
//! (`PATH.lock`, holding the owner's process id) carries an OS file lock for as long as the
//! simulator runs; the OS drops the lock when the process dies, however it dies. So a second
//! simulator on the same link is refused with the owner's pid, and a link left by a dead
//! simulator (killed with SIGKILL, a crash) is stale and simply replaced.
//!
//! `acquire::transport::serial` refuses to open a link whose lock file nobody holds, so a sweep
//! never sends commands down a dead simulator's link into whatever reused its pseudo-terminal.
//! Dropping the claim removes the link and the lock file. Unix only, as pseudo-terminals are.
//! Must not create the link itself (see `pty`).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// How often to retry when the lock file was replaced between opening and locking it (another
/// simulator just left and removed it): once is nearly always enough.
const CLAIM_TRIES: usize = 5;

/// Why a link cannot be claimed.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another simulator that is still running serves this link.
    #[error("{} is served by another running kmdiag simulator{}; stop that one first (Ctrl-C or 'quit' in its terminal), or choose another --link path", .link.display(), owner(*.pid))]
    Held {
        /// The link.
        link: PathBuf,
        /// The owner's process id, when its lock file says.
        pid: Option<u32>,
    },
    /// The link path is a file or folder, not a symlink.
    #[error("{} exists and is not a symlink; choose another --link path", .0.display())]
    Taken(PathBuf),
    /// The lock file cannot be made.
    #[error("cannot lock {}: {cause}; check that the folder exists and is writable", .path.display())]
    Io {
        /// The lock file.
        path: PathBuf,
        /// What the OS said.
        cause: std::io::Error,
    },
}

fn owner(pid: Option<u32>) -> String {
    pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
}

/// This simulator's claim on a link.
#[derive(Debug)]
pub struct LinkClaim {
    link: PathBuf,
    lock_path: PathBuf,
    /// Holds the OS lock while open.
    file: File,
}

/// The lock file beside `link` (the convention `kmdiag sweep` also checks, so it never opens
/// a link whose simulator has died).
pub fn lock_path(link: &Path) -> PathBuf {
    crate::acquire::transport::serial::simulator_lock_path(link)
}

/// Claims `link` for this process: refuses when another running simulator holds it or when
/// the path is not a symlink; a symlink left by a dead simulator stays to be replaced.
pub fn claim(link: &Path) -> Result<LinkClaim, LockError> {
    if let Ok(meta) = std::fs::symlink_metadata(link)
        && !meta.file_type().is_symlink()
    {
        return Err(LockError::Taken(link.to_path_buf()));
    }
    let lock_path = lock_path(link);
    let io = |cause| LockError::Io {
        path: lock_path.clone(),
        cause,
    };
    for _ in 0..CLAIM_TRIES {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(LockError::Held {
                    link: link.to_path_buf(),
                    pid: text.trim().parse().ok(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        // The owner we waited on may have removed the file between our open and our lock:
        // then we hold a lock on a file nobody else can see. Only the file at the path counts.
        let ours = file.metadata().map_err(io)?;
        let at_path = match std::fs::metadata(&lock_path) {
            Ok(m) => m,
            Err(_) => continue,
        };
        if (ours.dev(), ours.ino()) != (at_path.dev(), at_path.ino()) {
            continue;
        }
        file.set_len(0)
            .and_then(|_| file.rewind())
            .and_then(|_| writeln!(file, "{}", std::process::id()))
            .and_then(|_| file.flush())
            .map_err(io)?;
        return Ok(LinkClaim {
            link: link.to_path_buf(),
            lock_path,
            file,
        });
    }
    Err(io(std::io::Error::other(
        "the lock file kept being replaced by another simulator",
    )))
}

impl LinkClaim {
    /// The claimed link.
    pub fn link(&self) -> &Path {
        &self.link
    }
}

impl Drop for LinkClaim {
    /// Removes the link, then the lock file while still holding its lock.
    fn drop(&mut self) {
        super::pty::remove_link(&self.link);
        let _ = std::fs::remove_file(&self.lock_path);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_claim_refuses_a_second_one_with_the_owner_pid() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("kmscan");
        let first = claim(&link).unwrap();
        let e = claim(&link).unwrap_err();
        assert!(
            matches!(e, LockError::Held { pid: Some(p), .. } if p == std::process::id()),
            "{e:?}"
        );
        let msg = e.to_string();
        assert!(msg.contains("another running kmdiag simulator"), "{msg}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        drop(first);
        assert!(
            !lock_path(&link).exists(),
            "the lock file goes with the claim"
        );
        claim(&link).unwrap();
    }

    #[test]
    fn a_stale_link_and_lock_file_are_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("kmscan");
        // What a simulator killed with SIGKILL leaves: a link and an unlocked lock file.
        std::os::unix::fs::symlink("/dev/pts/999999", &link).unwrap();
        std::fs::write(lock_path(&link), "4194999\n").unwrap();
        let c = claim(&link).unwrap();
        let pid = std::fs::read_to_string(lock_path(&link)).unwrap();
        assert_eq!(pid.trim(), std::process::id().to_string());
        drop(c);
        assert!(std::fs::symlink_metadata(&link).is_err(), "link removed");
    }

    #[test]
    fn a_regular_file_is_never_taken() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("notes.txt");
        std::fs::write(&link, "keep me").unwrap();
        assert!(matches!(claim(&link), Err(LockError::Taken(_))));
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "keep me");
    }
}
