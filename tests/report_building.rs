//! `kmdiag report building.toml`: every entrance of a plan in one report; an entrance that
//! cannot be checked is named (stderr, the report's notes, JSON `not_checked`) and the rest are
//! still reported, with exit code 2.

use assert_cmd::Command;
use kmdiag::model::{Measurement, Reading, Sweep, Terminal};
use kmdiag::profile::{Layout, LayoutSpec, parse_apartments, resolve};
use predicates::prelude::*;
use predicates::str::contains;
use std::path::Path;

/// Writes a healthy sweep of flats `range` at `offset` on a Vizit BK-100.
fn write_sweep(path: &Path, offset: i64, range: &str) {
    let p = resolve("vizit").expect("vizit");
    let s = p.switch(None).expect("switch").clone();
    let spec = LayoutSpec {
        offset,
        apartments: Some(parse_apartments(range).expect("range")),
        ..Default::default()
    };
    let layout = Layout::build(&p, &s, &spec).expect("layout");
    let mut sweep = Sweep::new(layout.tens(), layout.units());
    for cell in layout.cells() {
        let forward = match layout.apartment(cell) {
            // Real handsets differ, each independently of its neighbours; rows or columns
            // reading alike would look like touching lines (MurmurHash3's finaliser).
            Some(a) => {
                let mut h = u64::from(a).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
                h ^= h >> 33;
                Reading::Ohms(620.0 + (h % 161) as f64)
            }
            None => Reading::Open,
        };
        let (d, e) = (Terminal::tens(cell.tens), Terminal::units(cell.units));
        for (plus, minus, reading) in [(d, e, forward), (e, d, Reading::Open)] {
            sweep
                .record(Measurement {
                    plus,
                    minus,
                    reading,
                })
                .expect("inside the matrix");
        }
    }
    std::fs::write(path, kmdiag::sweep::to_csv(&sweep, &layout.labels)).expect("write sweep");
}

/// A plan with entrance 1 (a good sweep) and entrance 2 (its sweep file is missing).
fn plan(dir: &Path) -> std::path::PathBuf {
    write_sweep(&dir.join("e1.csv"), 0, "1-72");
    let plan = dir.join("building.toml");
    std::fs::write(
        &plan,
        r#"address = "ул. Ленина, 12"
notes = "key at the concierge"

[[entrance]]
number = 1
profile = "vizit"
offset = 0
apartments = "1-72"
sweep = "e1.csv"

[[entrance]]
number = 2
profile = "vizit"
offset = 72
apartments = "73-144"
sweep = "missing.csv"
"#,
    )
    .expect("write plan");
    plan
}

fn kmdiag() -> Command {
    let mut c = Command::cargo_bin("kmdiag").expect("binary");
    c.env_remove("LANG").env("SOURCE_DATE_EPOCH", "1767225600");
    c
}

#[test]
fn a_broken_entrance_exits_2_and_the_other_is_still_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    let plan = plan(dir.path());
    let out = dir.path().join("building.md");
    kmdiag()
        .arg("report")
        .arg(&plan)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("entrance 2").and(contains("missing.csv")));
    let text = std::fs::read_to_string(&out).expect("the report is written all the same");
    assert!(text.contains("ул. Ленина, 12"), "{text}");
    assert!(text.contains("## Entrance 1"), "{text}");
    assert!(!text.contains("## Entrance 2"), "{text}");
    assert!(text.contains("Entrance 2 was not checked"), "{text}");
}

#[test]
fn building_json_names_what_was_not_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    let plan = plan(dir.path());
    let out = kmdiag()
        .arg("report")
        .arg(&plan)
        .args(["--format", "json", "-o", "-"])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["building"], "ул. Ленина, 12");
    assert_eq!(v["date"], "2026-01-01");
    assert_eq!(v["complete"], false);
    assert_eq!(v["entrances"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["not_checked"][0]["entrance"], "2");
}

#[test]
fn one_entrance_of_a_plan_can_be_reported_alone() {
    let dir = tempfile::tempdir().expect("tmp");
    let plan = plan(dir.path());
    let out = kmdiag()
        .arg("report")
        .arg(&plan)
        .args(["--entrance", "1", "--format", "csv", "-o", "-"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("UTF-8");
    assert_eq!(
        text.lines().count(),
        101,
        "header and 100 crossings of entrance 1"
    );
    kmdiag()
        .arg("report")
        .arg(&plan)
        .args(["--entrance", "7", "--format", "csv", "-o", "-"])
        .assert()
        .code(2)
        .stderr(contains("7"));
}

#[test]
fn sweep_options_are_refused_with_a_plan() {
    let dir = tempfile::tempdir().expect("tmp");
    let plan = plan(dir.path());
    kmdiag()
        .arg("report")
        .arg(&plan)
        .args(["--offset", "5", "--format", "md", "-o", "-"])
        .assert()
        .code(2)
        .stderr(contains("--offset").and(contains("edit the plan")));
}
