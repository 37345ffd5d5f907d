//! `kmdiag diff` end to end: sweeps and building JSON, better / worse / unchanged, and the
//! exit codes a scheduled script relies on (1 when worse, 0 otherwise, 2 on bad input).
//!
//! Sweeps are written here with chosen readings (`check_common`); JSON documents are either
//! produced by `kmdiag check` from such sweeps or written by hand where the case must not
//! depend on the engine (a fault that cleared).

mod check_common;

use assert_cmd::cargo::cargo_bin_cmd;
use check_common::{Riser, write};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn sweep(dir: &Path, name: &str, riser: &Riser) -> PathBuf {
    let path = dir.join(name);
    write(&path, &riser.csv());
    path
}

fn diff(old: &Path, new: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    cargo_bin_cmd!("kmdiag")
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(["--profile", "eltis", "--apartments", "1-72"])
        .args(extra)
        .assert()
}

#[test]
fn the_same_sweep_twice_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let a = sweep(dir.path(), "a.csv", &Riser::healthy(0, 1, 72));
    diff(&a, &a, &[])
        .code(0)
        .stdout(predicate::str::contains("No change"));
}

#[test]
fn a_new_measurement_within_tolerance_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let a = sweep(dir.path(), "a.csv", &Riser::healthy(0, 1, 72));
    let mut r = Riser::healthy(0, 1, 72);
    r.seed = 99; // every healthy reading moves by a few ohms
    let b = sweep(dir.path(), "b.csv", &r);
    diff(&a, &b, &[]).code(0);
}

#[test]
fn a_handset_that_stopped_answering_is_worse() {
    let dir = tempfile::tempdir().unwrap();
    let a = sweep(dir.path(), "a.csv", &Riser::healthy(0, 1, 72));
    let mut r = Riser::healthy(0, 1, 72);
    r.absent = vec![45];
    let b = sweep(dir.path(), "b.csv", &r);
    let out = diff(&a, &b, &["--format", "json"]).code(1);
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["worse"], true);
    let lost: Vec<_> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "handset_lost")
        .collect();
    assert_eq!(lost.len(), 1, "{doc}");
    assert_eq!(lost[0]["place"], "apartment 45 (D4/E5)");
}

#[test]
fn a_handset_that_appeared_is_not_worse() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Riser::healthy(0, 1, 72);
    r.absent = vec![45];
    let a = sweep(dir.path(), "a.csv", &r);
    let b = sweep(dir.path(), "b.csv", &Riser::healthy(0, 1, 72));
    diff(&a, &b, &[]).code(0).stdout(
        predicate::str::contains("handset appeared").and(predicate::str::contains("apartment 45")),
    );
}

#[test]
fn a_contact_going_bad_is_worse_unless_within_the_tolerance() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Riser::healthy(0, 1, 72);
    r.forward = vec![(33, 700.0)];
    let a = sweep(dir.path(), "a.csv", &r);
    r.forward = vec![(33, 1050.0)];
    let b = sweep(dir.path(), "b.csv", &r);
    diff(&a, &b, &[])
        .code(1)
        .stdout(predicate::str::contains("apartment 33"));
    r.forward = vec![(33, 840.0)];
    let c = sweep(dir.path(), "c.csv", &r);
    diff(&a, &c, &["--tolerance", "30"]).code(0);
    diff(&a, &c, &["--tolerance", "10"]).code(1);
}

/// Building checks from `kmdiag check --format json`: a lost handset in one entrance and a
/// missing entrance are both worse.
#[test]
fn building_documents_from_check_compare_entrance_by_entrance() {
    let dir = tempfile::tempdir().unwrap();
    let plan = |d: &Path, absent: Vec<u32>, entrances: u32| {
        let mut text = String::from("address = \"Test street 1\"\n");
        for (i, (first, last)) in [(1, 72), (73, 144)]
            .into_iter()
            .take(entrances as usize)
            .enumerate()
        {
            let offset = first - 1;
            text.push_str(&format!(
                "[[entrance]]\nnumber = {}\nprofile = \"eltis\"\noffset = {offset}\napartments = \"{first}-{last}\"\nsweep = \"e{}.csv\"\n",
                i + 1,
                i + 1
            ));
            let mut r = Riser::healthy(offset, first, last);
            r.absent = absent
                .iter()
                .copied()
                .filter(|a| (first..=last).contains(a))
                .collect();
            write(&d.join(format!("e{}.csv", i + 1)), &r.csv());
        }
        write(&d.join("building.toml"), &text);
        let out = cargo_bin_cmd!("kmdiag")
            .args(["check", "--format", "json"])
            .arg(d.join("building.toml"))
            .output()
            .unwrap();
        let json = d.join("check.json");
        write(&json, &String::from_utf8(out.stdout).unwrap());
        json
    };
    let old = plan(&dir.path().join("2025"), vec![], 2);
    let same = plan(&dir.path().join("2026a"), vec![], 2);
    let lost = plan(&dir.path().join("2026b"), vec![100], 2);
    let fewer = plan(&dir.path().join("2026c"), vec![], 1);
    let run = |a: &Path, b: &Path| cargo_bin_cmd!("kmdiag").arg("diff").arg(a).arg(b).assert();
    run(&old, &same).code(0);
    run(&old, &lost).code(1).stdout(
        predicate::str::contains("apartment 100").and(predicate::str::contains("handset lost")),
    );
    run(&old, &fewer)
        .code(1)
        .stdout(predicate::str::contains("entrance missing"));
    // The other way round, a handset appeared and an entrance was added: not worse.
    run(&lost, &old).code(0);
    run(&fewer, &old).code(0);
}

fn entrance_doc(findings: serde_json::Value, state: &str, forward: Option<f64>) -> String {
    serde_json::json!({
        "entrance": "1", "source": "e1.csv", "typical_forward_ohms": 700.0,
        "findings": findings,
        "cells": [{"tens": "D4", "units": "E5", "apartment": 45, "state": state,
                   "forward_ohms": forward, "reverse_ohms": forward}],
    })
    .to_string()
}

#[test]
fn a_cleared_fault_is_better_and_a_new_one_is_worse() {
    let dir = tempfile::tempdir().unwrap();
    let short = serde_json::json!([{"kind": "handset", "apartment": 45, "tens": "D4",
                                    "units": "E5", "fault": "short"}]);
    let faulty = dir.path().join("faulty.json");
    write(&faulty, &entrance_doc(short, "short", Some(40.0)));
    let fixed = dir.path().join("fixed.json");
    write(
        &fixed,
        &entrance_doc(serde_json::json!([]), "ok", Some(700.0)),
    );
    cargo_bin_cmd!("kmdiag")
        .arg("diff")
        .arg(&faulty)
        .arg(&fixed)
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("fault cleared")
                .and(predicate::str::contains("Nothing got worse")),
        );
    cargo_bin_cmd!("kmdiag")
        .arg("diff")
        .arg(&fixed)
        .arg(&faulty)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("fault appeared"));
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let a = sweep(dir.path(), "a.csv", &Riser::healthy(0, 1, 72));
    // A sweep without the entrance options cannot be diagnosed.
    cargo_bin_cmd!("kmdiag")
        .arg("diff")
        .arg(&a)
        .arg(&a)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--profile"));
    diff(&a, &dir.path().join("missing.csv"), &[])
        .code(2)
        .stderr(predicate::str::contains("missing.csv"));
    let junk = dir.path().join("junk.json");
    write(&junk, "{\"entrances\": 3}");
    diff(&a, &junk, &[])
        .code(2)
        .stderr(predicate::str::contains("junk.json"));
    let broken = dir.path().join("broken.json");
    write(&broken, "{\"entrances\": [");
    diff(&a, &broken, &[])
        .code(2)
        .stderr(predicate::str::contains("not valid JSON"));
    diff(&a, &a, &["--tolerance", "lots"]).code(2);
}

/// A building checked as JSON lines and as one document, and a sweep of its entrance 2.
fn district(dir: &Path, short: Option<u32>) -> (PathBuf, PathBuf) {
    let mut text = String::from("address = \"Test street 1\"\n");
    for (i, (first, last)) in [(1, 72), (73, 144)].into_iter().enumerate() {
        let offset = first - 1;
        text.push_str(&format!(
            "[[entrance]]\nnumber = {}\nprofile = \"eltis\"\noffset = {offset}\napartments = \"{first}-{last}\"\nsweep = \"e{}.csv\"\n",
            i + 1,
            i + 1
        ));
        let mut r = Riser::healthy(offset, first, last);
        r.short = short.filter(|a| (first..=last).contains(a));
        write(&dir.join(format!("e{}.csv", i + 1)), &r.csv());
    }
    write(&dir.join("building.toml"), &text);
    let run = |format: &str, name: &str| {
        let out = dir.join(name);
        cargo_bin_cmd!("kmdiag")
            .args(["check", "--format", format, "-o"])
            .arg(&out)
            .arg(dir.join("building.toml"))
            .output()
            .unwrap();
        out
    };
    (run("json", "check.json"), run("jsonl", "check.jsonl"))
}

#[test]
fn json_lines_and_documents_compare_alike_and_a_sweep_against_one_entrance() {
    let dir = tempfile::tempdir().unwrap();
    let (old_json, old_lines) = district(&dir.path().join("old"), None);
    let (new_json, new_lines) = district(&dir.path().join("new"), Some(100));
    for (a, b) in [
        (&old_json, &new_lines),
        (&old_lines, &new_json),
        (&old_lines, &new_lines),
    ] {
        let out = cargo_bin_cmd!("kmdiag")
            .args(["diff", "--format", "json"])
            .arg(a)
            .arg(b)
            .assert()
            .code(1);
        let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(doc["schema_version"], 1);
        let changes = doc["changes"].as_array().unwrap();
        let at_100: Vec<_> = changes.iter().filter(|c| c["apartment"] == 100).collect();
        assert_eq!(at_100.len(), 1, "one change per flat: {doc}");
        assert_eq!(at_100[0]["kind"], "fault_appeared");
        assert!(
            at_100[0]["old_ohms"].is_number() && at_100[0]["new_ohms"].is_number(),
            "{doc}"
        );
    }
    // The sweep of entrance 2 against entrance 2 of the building check.
    let sweep = dir.path().join("new/e2.csv");
    let base = || {
        let mut c = cargo_bin_cmd!("kmdiag");
        c.arg("diff").arg(&old_json).arg(&sweep).args([
            "--profile",
            "eltis",
            "--offset",
            "72",
            "--apartments",
            "73-144",
        ]);
        c
    };
    base()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--entrance"));
    base()
        .args(["--entrance", "2"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("apartment 100"));
    // Entrance 1 is another layout: refused, not compared.
    base()
        .args(["--entrance", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("layout differs"));
}

#[test]
fn unknown_versions_and_other_switches_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (old_json, _) = district(&dir.path().join("old"), None);
    let text = std::fs::read_to_string(&old_json).unwrap();
    let future = dir.path().join("future.json");
    write(
        &future,
        &text.replacen("\"schema_version\": 1", "\"schema_version\": 7", 1),
    );
    cargo_bin_cmd!("kmdiag")
        .arg("diff")
        .arg(&old_json)
        .arg(&future)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("schema_version 7"));
    let metakom = dir.path().join("metakom.json");
    write(
        &metakom,
        &text.replace("\"profile\": \"eltis\"", "\"profile\": \"metakom\""),
    );
    cargo_bin_cmd!("kmdiag")
        .arg("diff")
        .arg(&old_json)
        .arg(&metakom)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("profile eltis").and(predicate::str::contains("metakom")));
    // -o writes the result and refuses to overwrite without --force.
    let out = dir.path().join("diff.json");
    for code in [0, 2] {
        cargo_bin_cmd!("kmdiag")
            .args(["diff", "--format", "json", "-o"])
            .arg(&out)
            .arg(&old_json)
            .arg(&old_json)
            .assert()
            .code(code);
    }
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["worse"], false);
}

#[test]
fn diff_help_lists_only_its_formats() {
    cargo_bin_cmd!("kmdiag")
        .args(["diff", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("json").and(predicate::str::contains("html").not()));
}

/// Sweeps whose `#` header names the profile, offset and apartments compare with no flags:
/// `diff` reads a sweep as `diagnose` does.
#[test]
fn sweeps_with_a_header_compare_without_flags() {
    let dir = tempfile::tempdir().unwrap();
    let sim = |name: &str, fault: Option<&str>| {
        let path = dir.path().join(name);
        let mut c = cargo_bin_cmd!("kmdiag");
        c.args([
            "simulate",
            "--profile",
            "eltis",
            "--offset",
            "72",
            "--apartments",
            "73-144",
        ])
        .args(["--seed", "7", "-o"])
        .arg(&path);
        if let Some(f) = fault {
            c.args(["--fault", f]);
        }
        c.assert().success();
        path
    };
    let old = sim("old.csv", None);
    let new = sim("new.csv", Some("90:short"));
    let out = cargo_bin_cmd!("kmdiag")
        .args(["diff", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1);
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let at_90: Vec<_> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["apartment"] == 90)
        .collect();
    assert_eq!(at_90.len(), 1, "{doc}");
    assert_eq!(at_90[0]["kind"], "fault_appeared");
}
