//! No silent "healthy" (issue 12): a sweep that left apartments unmeasured is never called
//! healthy and exits 4 unless `--partial`; a sweep diagnosed with the wrong offset says so
//! before any finding and suggests the offset that fits; and a healthy entrance simulated with
//! every field effect on gets no finding, over many seeds.

use assert_cmd::Command;
use kmdiag::diagnose::diagnose;
use kmdiag::profile::{Layout, LayoutSpec, parse_apartments, resolve};
use kmdiag::sim::{MeterFamily, MeterSpec, Physics, Scenario, SimEntrance, SimRng};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn kmdiag() -> Command {
    Command::cargo_bin("kmdiag").expect("binary built")
}

/// A simulated Eltis entrance of flats 73–144 at offset 72 (every flat with a handset, lab
/// physics so today's engine reads it cleanly), written to `dir/name`, with `faults`.
fn simulated(dir: &Path, name: &str, faults: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut cmd = kmdiag();
    cmd.args(["simulate", "--profile", "eltis", "--offset", "72"])
        .args(["--apartments", "73-144", "--occupancy", "1", "--seed", "5"])
        .args(["--physics", "lab"]);
    for f in faults {
        cmd.args(["--fault", f]);
    }
    cmd.arg("-o").arg(&out).assert().success();
    out
}

/// Removes the rows measuring these crossings (both directions).
fn drop_crossings(path: &Path, crossings: &[(&str, &str)]) {
    let text = std::fs::read_to_string(path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            !crossings.iter().any(|(d, e)| {
                l.starts_with(&format!("{d},{e},")) || l.starts_with(&format!("{e},{d},"))
            })
        })
        .collect();
    std::fs::write(path, kept.join("\n") + "\n").unwrap();
}

fn diagnose_cmd(sweep: &Path, offset: &str) -> Command {
    let mut cmd = kmdiag();
    cmd.arg("diagnose").arg(sweep).args([
        "--profile",
        "eltis",
        "--offset",
        offset,
        "--apartments",
        "73-144",
    ]);
    cmd
}

#[test]
fn an_incomplete_sweep_exits_4_and_names_the_apartments_not_measured() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = simulated(dir.path(), "s.csv", &[]);
    // Flat 90 is D1/E8, flat 115 is D4/E3 (offset 72): drop 90 entirely, 115's reverse only.
    drop_crossings(&sweep, &[("D1", "E8")]);
    let text = std::fs::read_to_string(&sweep).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("E3,D4,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&sweep, text).unwrap();

    diagnose_cmd(&sweep, "72")
        .assert()
        .code(4)
        .stdout(predicate::str::contains(
            "incomplete sweep: 2 apartments not measured",
        ))
        .stdout(predicate::str::contains("90 (D1/E8), 115 (D4/E3)"))
        .stdout(predicate::str::contains(
            "No fault found on the crossings measured",
        ));
    let out = diagnose_cmd(&sweep, "72")
        .args(["--format", "json"])
        .assert()
        .code(4)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["complete"], false);
    assert_eq!(v["healthy"], false, "an incomplete sweep is never healthy");
    assert_eq!(v["not_measured_apartments"], serde_json::json!([90, 115]));
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("incomplete sweep")
    );
}

#[test]
fn partial_accepts_an_incomplete_sweep_and_exits_by_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let healthy = simulated(dir.path(), "h.csv", &[]);
    drop_crossings(&healthy, &[("D1", "E8")]);
    diagnose_cmd(&healthy, "72")
        .arg("--partial")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("incomplete sweep"));
    let faulty = simulated(dir.path(), "f.csv", &["115:short"]);
    drop_crossings(&faulty, &[("D1", "E8")]);
    diagnose_cmd(&faulty, "72").assert().code(4);
    diagnose_cmd(&faulty, "72")
        .arg("--partial")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("apt 115"));
}

#[test]
fn a_complete_healthy_sweep_is_healthy_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = simulated(dir.path(), "s.csv", &[]);
    let out = diagnose_cmd(&sweep, "72")
        .args(["--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        (v["complete"].clone(), v["healthy"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(v["layout_warning"], serde_json::Value::Null);
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn a_sweep_diagnosed_with_the_wrong_offset_is_warned_about_and_the_right_offset_suggested() {
    let dir = tempfile::tempdir().unwrap();
    // Flat 90 shorted; diagnosed with offset 67 instead of 72, its crossing D1/E8 is line 18,
    // "flat 85" under the wrong offset.
    let sweep = simulated(dir.path(), "s.csv", &["90:short"]);
    let out = diagnose_cmd(&sweep, "67")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let warning = text
        .find("the layout does not fit this sweep")
        .expect("the warning is printed");
    assert!(
        text.contains("--offset 72 --matrix 1 explains the sweep best"),
        "{text}"
    );
    // Said before any finding, and the short is not pinned on flat 85.
    assert!(!text.contains("apt 85"), "{text}");
    assert!(
        text.contains("short at D1/E8, apartment 90 at --offset 72"),
        "{text}"
    );
    if let Some(table) = text.find("┌") {
        assert!(warning < table, "{text}");
    }

    let out = diagnose_cmd(&sweep, "67")
        .args(["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let w = &v["layout_warning"];
    assert_eq!(
        w["suggestion"],
        serde_json::json!({"offset": 72, "matrix": 1})
    );
    assert_eq!(w["handsets_off_layout"].as_array().unwrap().len(), 5);
    assert_eq!(
        v["findings"],
        serde_json::json!([]),
        "nothing named by apartment"
    );
    let withheld = &w["withheld_findings"][0];
    assert_eq!(
        (&withheld["tens"], &withheld["units"], &withheld["fault"]),
        (&"D1".into(), &"E8".into(), &"short".into())
    );
    assert_eq!(withheld["apartment"], serde_json::Value::Null);
    assert_eq!(v["healthy"], false);
}

#[test]
fn check_counts_incomplete_entrances_in_their_own_column_and_exits_4_unless_partial() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("sweeps");
    std::fs::create_dir(&folder).unwrap();
    simulated(&folder, "1.csv", &[]);
    let two = simulated(&folder, "2.csv", &[]);
    drop_crossings(&two, &[("D1", "E8"), ("D2", "E0")]);
    let check = || {
        let mut cmd = kmdiag();
        cmd.arg("check").arg(&folder).args([
            "--profile",
            "eltis",
            "--offset",
            "72",
            "--apartments",
            "73-144",
        ]);
        cmd
    };
    check()
        .assert()
        .code(4)
        // The summary's "Cannot tell" column counts the flats not measured (and any to
        // re-measure after a repair).
        .stdout(predicate::str::contains("Cannot tell"))
        .stderr(predicate::str::contains(
            "1 entrance could not be judged whole",
        ));
    check().arg("--partial").assert().code(0);
    let out = check()
        .args(["--format", "json"])
        .assert()
        .code(4)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["healthy"], false);
    assert_eq!(
        v["incomplete"],
        serde_json::json!([{"entrance": "2", "not_measured": [90, 92]}])
    );
}

/// A healthy entrance with every field effect on (wiring, a second handset model in a third
/// of entrances, field noise and contact, both meter families) gets no finding, over many
/// seeds and every built-in profile.
#[test]
fn a_healthy_entrance_with_every_field_effect_gets_no_finding_over_many_seeds() {
    let profiles: Vec<_> = ["metakom", "eltis", "vizit", "cyfral", "beward", "factorial"]
        .iter()
        .map(|p| resolve(p).unwrap())
        .collect();
    let mut failing = Vec::new();
    for seed in 1..=120u64 {
        let mut rng = SimRng::stream(seed, 0x4EA1);
        let profile = &profiles[seed as usize % profiles.len()];
        let switch = profile.switch(None).unwrap();
        let cap = switch.capacity();
        let first = 1 + rng.below(cap as usize / 4) as u32;
        let spec = LayoutSpec {
            apartments: Some(parse_apartments(&format!("{first}-{cap}")).unwrap()),
            ..Default::default()
        };
        let layout = Layout::build(profile, switch, &spec).unwrap();
        let meter = MeterSpec {
            family: if rng.chance(0.5) {
                MeterFamily::Ranged
            } else {
                MeterFamily::ConstantCurrent
            },
            counts: *rng.pick(&kmdiag::sim::meter::RANGED_COUNTS).unwrap(),
            test_current_amps: rng.uniform(0.5e-3, 1.2e-3),
            compliance_volts: rng.uniform(1.5, 3.5),
            ..MeterSpec::default()
        };
        let scenario = Scenario {
            occupancy: rng.uniform(0.75, 1.0),
            meter,
            physics: Physics::field(),
            seed,
            ..Scenario::new(layout.clone())
        };
        let sweep = SimEntrance::new(&scenario).unwrap().sweep(true);
        let d = diagnose(&sweep, &layout, &profile.nominal_forward_ohms.into());
        if d.has_faults() || d.layout_warning.is_some() {
            failing.push(seed);
        }
    }
    assert!(
        failing.is_empty(),
        "healthy field entrances with a finding or a layout warning, seeds: {failing:?}"
    );
}

#[test]
fn a_report_of_an_incomplete_sweep_says_so_and_exits_4_unless_partial() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = simulated(dir.path(), "s.csv", &[]);
    drop_crossings(&sweep, &[("D1", "E8")]);
    let report = |extra: &[&str]| {
        let mut cmd = kmdiag();
        cmd.arg("report")
            .arg(&sweep)
            .args([
                "--profile",
                "eltis",
                "--offset",
                "72",
                "--apartments",
                "73-144",
            ])
            .args(["--format", "md", "-o", "-"])
            .args(extra);
        cmd
    };
    report(&[])
        .assert()
        .code(4)
        .stdout(predicate::str::contains(
            "incomplete sweep: 1 apartment not measured",
        ))
        .stdout(predicate::str::contains("90 (D1/E8)"));
    report(&["--partial"]).assert().code(0);
}

/// A reading no handset or meter gives (a forward reading of 40 Ω with reverse open) is drawn
/// as SUSPECT in the grid, and the legend under the grid says what that means: every state a
/// grid uses is in its legend.
#[test]
fn a_suspect_reading_is_drawn_and_explained_in_the_legend() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = simulated(dir.path(), "suspect.csv", &[]);
    // Apartment 90 (D1/E8 at offset 72) reads 40 Ω forward: a diode never reads that low.
    let text = std::fs::read_to_string(&sweep).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("D1,E8,") {
                "D1,E8,40".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&sweep, text + "\n").unwrap();
    diagnose_cmd(&sweep, "72")
        .assert()
        .code(4)
        .stdout(predicate::str::contains("SUSPECT"))
        .stdout(predicate::str::contains(
            "SUSPECT = a reading no handset or meter gives",
        ));
}
