//! `kmdiag check --live` end to end: a building whose second entrance is measured live by a
//! scanning adapter (the simulated adapter on a real pseudo-terminal, a physically simulated
//! entrance with flat 90 shorted), while the first is read from its sweep file. The live
//! entrance is swept, diagnosed and reported with the rest.
// Pseudo-terminals are unix only; tests/tcp_transport.rs covers the same paths on every OS.
#![cfg(unix)]

use assert_cmd::Command;
use kmdiag::profile::{Layout, LayoutSpec, parse_apartments, resolve};
use kmdiag::sim::serve::{DeviceKind, spawn};
use kmdiag::sim::{Scenario, SimEntrance, parse_fault};
use std::time::Duration;

#[test]
fn live_adapter_entrance_is_swept_and_diagnosed_with_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let profile = resolve("eltis").unwrap();
    let switch = profile.switch(None).unwrap();
    let spec = LayoutSpec {
        offset: 72,
        apartments: Some(parse_apartments("73-144").unwrap()),
        ..Default::default()
    };
    let layout = Layout::build(&profile, switch, &spec).unwrap();
    let mut scenario = Scenario::new(layout.clone());
    scenario.faults = vec![parse_fault("90:short", &layout.labels).unwrap()];
    scenario.seed = 11;
    let entrance = SimEntrance::new(&scenario).unwrap();
    let link = dir.path().join("scanner");
    let served = spawn(
        DeviceKind::Adapter {
            reading_time: Duration::from_millis(1),
        },
        Box::new(entrance),
        Some(link.clone()),
    );
    served
        .path(Duration::from_secs(5))
        .expect("the simulated adapter is up");

    // Entrance 1 from a file: a healthy handset on each of flats 1-9.
    let mut csv = String::from("plus,minus,ohms\n");
    for u in 1..10 {
        csv.push_str(&format!("D0,E{u},{}\nE{u},D0,OL\n", 680 + 9 * u));
    }
    std::fs::write(dir.path().join("e1.csv"), csv).unwrap();
    let plan = format!(
        "address = \"Test street 1\"\n\n[[entrance]]\nnumber = 1\nprofile = \"eltis\"\napartments = \"1-9\"\nsweep = \"e1.csv\"\n\n[[entrance]]\nnumber = 2\nprofile = \"eltis\"\noffset = 72\napartments = \"73-144\"\nport = \"{}\"\nmeter = \"adapter\"\n",
        link.display()
    );
    let plan_path = dir.path().join("building.toml");
    std::fs::write(&plan_path, plan).unwrap();

    let out = Command::cargo_bin("kmdiag")
        .unwrap()
        .args([
            "check",
            plan_path.to_str().unwrap(),
            "--live",
            "--format",
            "json",
        ])
        .timeout(Duration::from_secs(120))
        .assert()
        .code(1);
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let entrances = doc["entrances"].as_array().unwrap();
    assert_eq!(entrances.len(), 2, "{doc}");
    assert!(entrances[0]["findings"].as_array().unwrap().is_empty());
    let live = &entrances[1];
    assert!(
        live["source"].as_str().unwrap().contains("live sweep"),
        "{live}"
    );
    let findings = live["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["apartment"], 90);
    assert_eq!(findings[0]["fault"], "short");
    served.stop().unwrap();
}

#[test]
fn live_check_of_a_missing_adapter_fails_that_entrance_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("plus,minus,ohms\n");
    for u in 1..10 {
        csv.push_str(&format!("D0,E{u},{}\nE{u},D0,OL\n", 680 + 9 * u));
    }
    std::fs::write(dir.path().join("e1.csv"), csv).unwrap();
    let plan = "address = \"Test street 1\"\n\n[[entrance]]\nnumber = 1\nprofile = \"eltis\"\napartments = \"1-9\"\nsweep = \"e1.csv\"\n\n[[entrance]]\nnumber = 2\nprofile = \"eltis\"\napartments = \"10-19\"\nport = \"/dev/kmdiag-no-such-port\"\nmeter = \"adapter\"\n";
    let plan_path = dir.path().join("building.toml");
    std::fs::write(&plan_path, plan).unwrap();
    Command::cargo_bin("kmdiag")
        .unwrap()
        .args(["check", plan_path.to_str().unwrap(), "--live"])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("Entrance 1"))
        .stderr(predicates::str::contains("/dev/kmdiag-no-such-port"));
}
