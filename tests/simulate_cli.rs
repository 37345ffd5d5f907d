//! `kmdiag simulate` end to end: files written, never overwritten without --force, bad
//! faults and meter settings refused with exit 2 and a message that says what to write.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn kmdiag() -> Command {
    Command::cargo_bin("kmdiag").expect("binary built")
}

/// The sweep's rows after its `#` header.
fn rows(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("sweep written")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn writes_a_full_sweep_with_bus_checks_and_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    let truth = dir.path().join("t.json");
    kmdiag()
        .args([
            "simulate",
            "--profile",
            "eltis",
            "--fault",
            "45:short",
            "--seed",
            "3",
        ])
        .arg("-o")
        .arg(&out)
        .arg("--truth")
        .arg(&truth)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("1 fault injected"));
    let lines = rows(&out);
    assert_eq!(lines[0], "plus,minus,ohms");
    assert_eq!(lines.len(), 1 + 200 + 45 + 45);
    assert!(lines.iter().any(|l| l.starts_with("D0,D1,")));
    let t: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&truth).unwrap()).unwrap();
    assert_eq!(t["findings"][0]["kind"], "handset");
    assert_eq!(t["findings"][0]["apartment"], 45);
    assert_eq!(t["findings"][0]["tens"], "D4");
    assert_eq!(t["findings"][0]["units"], "E5");
    assert_eq!(t["findings"][0]["fault"], "short");
}

#[test]
fn no_bus_checks_measures_only_the_crossings_and_metakom_labels_units_from_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.csv");
    kmdiag()
        .args(["simulate", "--profile", "metakom", "--no-bus-checks", "-o"])
        .arg(&out)
        .assert()
        .success();
    let lines = rows(&out);
    assert_eq!(lines.len(), 1 + 200);
    assert!(lines.iter().any(|l| l.starts_with("D9,E10,")));
    assert!(!lines.iter().any(|l| l.contains("E0,")));
}

#[test]
fn same_seed_same_file_and_dash_writes_to_stdout() {
    let run = |seed: &str| {
        let out = kmdiag()
            .args(["simulate", "--profile", "vizit", "--fault", "D7:open"])
            .args(["--fault", "E2-E3:short", "--seed", seed, "-o", "-"])
            .args(["--measured-at", "2026-03-02T10:15:00+03:00"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let a = run("9");
    assert!(a.starts_with("# kmdiag-sweep: 1\n"), "{a}");
    assert!(a.contains("\nplus,minus,ohms\n"));
    assert_eq!(a, run("9"));
    assert_ne!(a, run("10"));
}

#[test]
fn refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    std::fs::write(&out, "keep me").unwrap();
    kmdiag()
        .args(["simulate", "--profile", "eltis", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    kmdiag()
        .args(["simulate", "--profile", "eltis", "--force", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(rows(&out)[0] == "plus,minus,ohms");
}

#[test]
fn bad_fault_exits_2_with_a_clear_message_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    for (fault, says) in [
        ("45:broken", "unknown handset fault 'broken'"),
        ("45", "missing ':'"),
        (
            "F3:open",
            "'F3' is neither an apartment number nor a terminal",
        ),
        ("D3-E4:short", "write the apartment instead"),
    ] {
        kmdiag()
            .args(["simulate", "--profile", "eltis", "--fault", fault, "-o"])
            .arg(&out)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!("fault '{fault}'")))
            .stderr(predicate::str::contains(says));
        assert!(!out.exists());
    }
}

#[test]
fn fault_on_a_flat_outside_the_matrix_is_refused() {
    kmdiag()
        .args(["simulate", "--profile", "eltis", "--offset", "72"])
        .args(["--apartments", "73-144", "--fault", "20:short", "-o", "-"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("apartment 20"));
}

#[test]
fn meter_settings_need_units() {
    kmdiag()
        .args([
            "simulate",
            "--profile",
            "eltis",
            "--meter-current",
            "1",
            "-o",
            "-",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("like 1mA, 0.8mA or 800uA"));
    kmdiag()
        .args([
            "simulate",
            "--profile",
            "eltis",
            "--meter-compliance",
            "2.8",
        ])
        .args(["-o", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("like 2.8V"));
    kmdiag()
        .args(["simulate", "--profile", "eltis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--output"));
}

#[test]
fn simulated_short_is_found_by_diagnose() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    kmdiag()
        .args(["simulate", "--profile", "eltis", "--offset", "72"])
        .args([
            "--apartments",
            "73-144",
            "--fault",
            "80:short",
            "--seed",
            "5",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let json = kmdiag()
        .arg("diagnose")
        .arg(&out)
        .args([
            "--profile",
            "eltis",
            "--offset",
            "72",
            "--apartments",
            "73-144",
        ])
        .args(["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["apartment"] == 80 && f["fault"] == "short"),
        "{findings:?}"
    );
}

/// Every shipped sweep with a truth file (`examples/`, `examples/building/sweeps/`).
fn shipped_truths() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out = Vec::new();
    for dir in [root.clone(), root.join("building/sweeps")] {
        for entry in std::fs::read_dir(&dir).expect("examples folder") {
            let path = entry.expect("entry").path();
            if path.to_string_lossy().ends_with(".truth.json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The `# key: value` lines of a sweep's header, in order.
fn header(text: &str) -> Vec<(String, String)> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l[1..].split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Every shipped example is exactly what the simulator makes from its header (profile,
/// switch, offset, apartments, map, time, notes) and its truth file (seed, occupancy, meter,
/// faults, flats without a handset), so the examples cannot drift from the simulator
/// unnoticed (regenerate them with `scripts/make-examples.sh`). Only the kmdiag version line
/// may differ.
#[test]
fn shipped_examples_are_what_the_simulator_makes() {
    let mut checked = 0;
    for truth_path in shipped_truths() {
        let csv = truth_path.to_string_lossy().replace(".truth.json", ".csv");
        let shipped = std::fs::read_to_string(&csv).unwrap();
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
        let mut cmd = kmdiag();
        // The map's path in the header is relative to the sweep's folder: run from there.
        cmd.current_dir(Path::new(&csv).parent().unwrap())
            .arg("simulate");
        for (key, value) in header(&shipped) {
            match key.as_str() {
                "profile" | "switch" | "offset" | "apartments" | "map" | "measured-at" => {
                    cmd.arg(format!("--{key}")).arg(value);
                }
                "note" => {
                    cmd.args(["--note", &value]);
                }
                _ => {}
            }
        }
        cmd.args(["--seed", &truth["seed"].to_string()])
            .args(["--occupancy", &truth["occupancy"].to_string()]);
        let meter = &truth["meter"];
        cmd.arg(format!(
            "--meter-current={}A",
            meter["test_current_amps"].as_f64().unwrap()
        ))
        .arg(format!(
            "--meter-compliance={}V",
            meter["compliance_volts"].as_f64().unwrap()
        ))
        .arg(format!(
            "--meter-family={}",
            meter["family"].as_str().unwrap().replace('_', "-")
        ))
        .arg(format!("--meter-counts={}", meter["counts"]));
        let physics = &truth["physics"];
        let on = |b: &serde_json::Value| if b.as_bool().unwrap() { "on" } else { "off" };
        cmd.arg(format!("--wiring={}", on(&physics["wiring"])))
            .arg(format!(
                "--mixed-handsets={}",
                physics["mixed_handsets"].as_str().unwrap()
            ))
            .arg(format!("--contact-ohms={}", physics["contact_ohms"]));
        if physics["field_noise"].as_bool().unwrap() {
            cmd.arg("--noise=field");
        } else {
            cmd.arg(format!(
                "--noise={}%",
                meter["noise"].as_f64().unwrap() * 100.0
            ));
        }
        for f in truth["findings"].as_array().unwrap() {
            let fault = f["fault"].as_str().unwrap();
            let spec = match (f["kind"].as_str().unwrap(), f["other"].as_str()) {
                ("handset", _) => format!("{}:{fault}", f["apartment"]),
                (_, Some(other)) => format!("{}-{other}:{fault}", f["bus"].as_str().unwrap()),
                (_, None) => format!("{}:{fault}", f["bus"].as_str().unwrap()),
            };
            cmd.args(["--fault", &spec]);
        }
        // Flats without a handset, by chance or on purpose: the simulator draws every flat's
        // values either way, so naming them all gives the same sweep.
        for a in truth["absent"].as_array().unwrap() {
            cmd.args(["--fault", &format!("{a}:absent")]);
        }
        let out = cmd.args(["-o", "-"]).output().unwrap();
        assert!(out.status.success(), "{csv}: {out:?}");
        let unversioned = |t: &str| {
            t.lines()
                .filter(|l| !l.starts_with("# kmdiag:"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert!(
            unversioned(&String::from_utf8(out.stdout).unwrap()) == unversioned(&shipped),
            "{csv} differs from what the simulator makes now; run scripts/make-examples.sh"
        );
        checked += 1;
    }
    assert!(checked >= 19, "only {checked} examples found");
}

/// The physics flags: a ranged 2000-count meter shows whole ohms on its first range, the lab
/// preset gives the sweep without wiring, and bad values are refused with exit 2.
#[test]
fn physics_and_meter_family_flags_change_the_sweep_and_bad_values_are_refused() {
    let sweep = |extra: &[&str]| {
        let out = kmdiag()
            .args([
                "simulate",
                "--profile",
                "eltis",
                "--seed",
                "4",
                "--no-bus-checks",
            ])
            // The same time in every header, so only the readings can differ.
            .args(["--measured-at", "2026-03-02T10:15:00+03:00"])
            .args(extra)
            .args(["-o", "-"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let ranged = sweep(&["--meter-family", "ranged", "--meter-counts", "2000"]);
    let finite: Vec<f64> = ranged
        .lines()
        .skip(1)
        .filter_map(|l| l.rsplit(',').next()?.parse().ok())
        .collect();
    assert!(finite.len() > 50);
    assert!(finite.iter().all(|v| v.fract() == 0.0), "{finite:?}");
    let lab = sweep(&["--physics", "lab"]);
    let field = sweep(&["--physics", "field"]);
    let default = sweep(&[]);
    assert_ne!(lab, field);
    assert_eq!(field, default, "field is the default physics");
    assert_eq!(
        lab,
        sweep(&[
            "--wiring",
            "off",
            "--mixed-handsets",
            "off",
            "--noise",
            "0.1%",
            "--contact-ohms",
            "0"
        ]),
        "switching every field effect off is the lab physics"
    );
    for bad in [
        ["--noise", "loud"],
        ["--contact-ohms", "50"],
        ["--meter-family", "analog"],
        ["--mixed-handsets", "some"],
        ["--meter-counts", "5"],
    ] {
        kmdiag()
            .args(["simulate", "--profile", "eltis", "-o", "-"])
            .args(bad)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(bad[1]));
    }
}
