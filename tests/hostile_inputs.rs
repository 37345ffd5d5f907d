//! Inputs that must not hurt: devices, FIFOs and huge files as inputs, offsets and maps that
//! leave no apartment, absurd thread counts, escape sequences in plans, outputs onto links
//! and devices. Each must end in a clear error (exit 2) or a normal run, fast, never a hang,
//! a panic or memory without bound.

mod check_common;

use assert_cmd::cargo::cargo_bin_cmd;
use check_common::{Riser, write};
use predicates::prelude::*;

use std::time::Duration;

/// How long any of these may take: they are refusals, not work.
const QUICK: Duration = Duration::from_secs(20);

fn kmdiag() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("kmdiag");
    c.timeout(QUICK).env("LANG", "C");
    c
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_as_every_input() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("s.csv");
    write(&sweep, &Riser::healthy(0, 1, 72).csv());
    let fifo = dir.path().join("pipe.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for bad in [std::path::Path::new("/dev/zero"), fifo.as_path()] {
        kmdiag()
            .args(["diagnose", "--profile", "eltis"])
            .arg(bad)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a regular file"));
        kmdiag()
            .args(["diagnose", "--profile", "eltis", "--map"])
            .arg(bad)
            .arg(&sweep)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a regular file"));
        kmdiag()
            .arg("diff")
            .arg(&sweep)
            .arg(bad)
            .args(["--profile", "eltis"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("not a regular file"));
        kmdiag()
            .args(["diagnose", "--profile"])
            .arg(bad)
            .arg(&sweep)
            .assert()
            .code(2);
    }
}

#[test]
fn a_huge_sweep_is_refused_by_size_and_repeated_rows_warn_once() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.csv");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(300 * 1024 * 1024).unwrap();
    kmdiag()
        .args(["diagnose", "--profile", "eltis"])
        .arg(&huge)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than 16 MiB"));
    let mut text = Riser::healthy(0, 1, 72).csv();
    for _ in 0..200_000 {
        text.push_str("D4,E7,700\n");
    }
    let repeated = dir.path().join("repeated.csv");
    write(&repeated, &text);
    let out = kmdiag()
        .args(["diagnose", "--profile", "eltis", "--apartments", "1-72"])
        .arg(&repeated)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("more rows repeat"), "{err}");
}

#[test]
fn an_offset_or_map_that_leaves_no_apartment_is_exit_2_not_healthy() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("s.csv");
    write(&sweep, &Riser::healthy(0, 1, 72).csv());
    for offset in ["-9223372036854775808", "9223372036854775807", "-5000"] {
        kmdiag()
            .args(["diagnose", "--profile", "eltis", "--offset", offset])
            .arg(&sweep)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no apartment"));
    }
    let map = dir.path().join("map.csv");
    write(&map, "apartment,tens,units\n500,D1,E1\n");
    kmdiag()
        .args([
            "diagnose",
            "--profile",
            "eltis",
            "--apartments",
            "1-72",
            "--map",
        ])
        .arg(&map)
        .arg(&sweep)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no apartment"));
    kmdiag()
        .args([
            "map",
            "--profile",
            "eltis",
            "--offset",
            "-9223372036854775808",
            "5",
        ])
        .assert()
        .code(2);
}

#[test]
fn absurd_jobs_and_escape_sequences_do_no_harm() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("e1.csv"), &Riser::healthy(0, 1, 72).csv());
    write(
        &dir.path().join("building.toml"),
        "address = \"Evil \\u001b]0;pwned\\u0007 street \\u001b[2J\"\n[[entrance]]\nnumber = 1\nprofile = \"eltis\"\napartments = \"1-72\"\nsweep = \"e1.csv\"\n",
    );
    let out = kmdiag()
        .args(["check", "--jobs", "5000"])
        .arg(dir.path().join("building.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(text.contains("\\u{1b}]0;pwned"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--jobs 5000"));
}

#[cfg(unix)]
#[test]
fn output_onto_a_device_or_a_dangling_link_is_refused_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("s.csv");
    write(&sweep, &Riser::healthy(0, 1, 72).csv());
    let link = dir.path().join("report.md");
    std::os::unix::fs::symlink(dir.path().join("elsewhere.md"), &link).unwrap();
    for (target, force) in [
        (link.as_path(), false),
        (link.as_path(), true),
        (std::path::Path::new("/dev/null"), true),
    ] {
        let mut c = kmdiag();
        c.args(["report", "--profile", "eltis", "--format", "md", "-o"])
            .arg(target)
            .arg(&sweep);
        if force {
            c.arg("--force");
        }
        c.assert()
            .code(2)
            .stderr(predicate::str::contains("regular file"));
    }
    assert!(!dir.path().join("elsewhere.md").exists());
}

#[test]
fn check_streams_json_lines_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..5 {
        write(
            &dir.path().join(format!("e{i}.csv")),
            &Riser::healthy(0, 1, 72).csv(),
        );
    }
    let out = dir.path().join("out/district.jsonl");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    kmdiag()
        .args(["check", "--profile", "eltis", "--apartments", "1-72", "-o"])
        .arg(&out)
        .arg(dir.path())
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    let names: Vec<_> = lines[..5]
        .iter()
        .map(|l| l["entrance"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["e0", "e1", "e2", "e3", "e4"]);
    assert!(lines.iter().all(|l| l["schema_version"] == 1));
    assert_eq!(lines[5]["record"], "summary");
    assert_eq!(lines[5]["checked"], 5);
}
