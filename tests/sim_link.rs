//! The simulator's `--link PATH` cleans up after itself (issue 13): Ctrl-C or SIGTERM removes
//! the link and its lock file; a second simulator is refused a link that a running one serves
//! (today's harm: a sweep wrote protocol lines into an unrelated terminal that reused the
//! pseudo-terminal of a dead simulator's link); a link left by a dead simulator is refused by
//! a sweep and replaced by the next simulator.
#![cfg(unix)]

use rustix::process::{Pid, Signal, kill_process};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn kmdiag() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kmdiag"))
}

fn lock_of(link: &Path) -> PathBuf {
    PathBuf::from(format!("{}.lock", link.display()))
}

/// Starts `simulate --serve adapter --link LINK` and waits for the link to point at a pty.
fn start(link: &Path) -> Child {
    let child = kmdiag()
        .args([
            "simulate",
            "--profile",
            "eltis",
            "--serve",
            "adapter",
            "--link",
        ])
        .arg(link)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !std::fs::read_link(link).is_ok_and(|t| is_pty(&t)) {
        assert!(started.elapsed() < Duration::from_secs(10), "no link");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// A pseudo-terminal's user end: `/dev/pts/N` on Linux, `/dev/ttysN` on macOS.
fn is_pty(path: &Path) -> bool {
    path.starts_with("/dev/pts") || path.to_string_lossy().starts_with("/dev/ttys")
}

fn wait(child: &mut Child) -> Option<i32> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: Signal) {
    let pid = Pid::from_raw(child.id() as i32).unwrap();
    kill_process(pid, sig).unwrap();
}

#[test]
fn sigterm_and_ctrl_c_remove_the_link_and_its_lock() {
    let dir = tempfile::tempdir().unwrap();
    for sig in [Signal::TERM, Signal::INT] {
        let link = dir.path().join("kmscan");
        let mut sim = start(&link);
        assert!(lock_of(&link).exists());
        signal(&sim, sig);
        assert_eq!(wait(&mut sim), Some(0), "{sig:?} stops serving cleanly");
        assert!(
            std::fs::symlink_metadata(&link).is_err(),
            "{sig:?} removes the link"
        );
        assert!(!lock_of(&link).exists(), "{sig:?} removes the lock file");
    }
}

#[test]
fn a_live_link_is_not_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("kmscan");
    let mut first = start(&link);
    let target = std::fs::read_link(&link).unwrap();
    let second = kmdiag()
        .args([
            "simulate",
            "--profile",
            "eltis",
            "--serve",
            "ut61e",
            "--link",
        ])
        .arg(&link)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("served by another running kmdiag simulator")
            && stderr.contains(&format!("pid {}", first.id())),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        target,
        "the first simulator keeps its link"
    );
    signal(&first, Signal::TERM);
    assert_eq!(wait(&mut first), Some(0));
}

#[test]
fn a_link_left_by_a_dead_simulator_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("kmscan");
    let mut dead = start(&link);
    // SIGKILL: no chance to clean up; the link and the (now unlocked) lock file stay.
    signal(&dead, Signal::KILL);
    let _ = dead.wait();
    assert!(
        std::fs::symlink_metadata(&link).is_ok(),
        "a stale link is left"
    );
    // A sweep refuses it instead of sending adapter commands to whatever has that pty now.
    let out = dir.path().join("s.csv");
    let sweep = kmdiag()
        .args([
            "sweep",
            "--meter",
            "adapter",
            "--profile",
            "eltis",
            "--port",
        ])
        .arg(&link)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&sweep.stderr);
    assert_eq!(sweep.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("no longer running"), "{stderr}");
    // Point it somewhere that is not a simulator, as a reused pseudo-terminal would be.
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let mut sim = start(&link);
    let now = std::fs::read_link(&link).unwrap();
    assert!(is_pty(&now), "{now:?}");
    signal(&sim, Signal::TERM);
    assert_eq!(wait(&mut sim), Some(0));
    assert!(std::fs::symlink_metadata(&link).is_err());
}
