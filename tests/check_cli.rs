//! `kmdiag check` end to end: building plans good and bad, a broken entrance among good ones,
//! folder mode, the building JSON document, entrance selection and exit codes.
//!
//! Sweeps are written here with readings chosen by the test (`check_common`), never taken
//! from the engine, so the assertions hold whatever engine is in the tree; exact evidence
//! text is not asserted.

mod check_common;

use assert_cmd::cargo::cargo_bin_cmd;
use check_common::{Riser, write};
use predicates::prelude::*;
use std::path::Path;

/// A three-entrance building on Eltis switches: 1-72, 73-144 (offset 72), 145-216 (144).
fn building(dir: &Path) {
    write(
        &dir.join("building.toml"),
        r#"address = "Test street 1"
notes = "test building"

[[entrance]]
number = 1
profile = "eltis"
apartments = "1-72"
sweep = "sweeps/e1.csv"

[[entrance]]
number = 2
profile = "eltis"
offset = 72
apartments = "73-144"
sweep = "sweeps/e2.csv"
known_absent = [80]

[[entrance]]
number = 3
profile = "eltis"
offset = 144
apartments = "145-216"
sweep = "sweeps/e3.csv"
"#,
    );
    write(&dir.join("sweeps/e1.csv"), &Riser::healthy(0, 1, 72).csv());
    let mut e2 = Riser::healthy(72, 73, 144);
    e2.absent = vec![80];
    write(&dir.join("sweeps/e2.csv"), &e2.csv());
    write(
        &dir.join("sweeps/e3.csv"),
        &Riser::healthy(144, 145, 216).csv(),
    );
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("check --format json prints one JSON document")
}

fn entrances(doc: &serde_json::Value) -> Vec<String> {
    doc["entrances"]
        .as_array()
        .expect("entrances list")
        .iter()
        .map(|e| e["entrance"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn healthy_building_exits_0_with_a_summary_row_per_entrance() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    let out = cargo_bin_cmd!("kmdiag")
        .arg("check")
        .arg(dir.path().join("building.toml"))
        .env("LANG", "C")
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("Test street 1"), "{text}");
    assert!(text.contains("Worst finding"), "{text}");
    for range in ["1–72", "73–144", "145–216"] {
        assert!(text.contains(range), "summary lacks {range}:\n{text}");
    }
    // Entrance 2 has 71 handsets: flat 80 has none.
    assert!(text.contains("┆ 71 "), "{text}");
}

#[test]
fn relative_paths_resolve_against_the_plan_not_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    // Entrance 3 on a profile file kept next to the plan.
    let eltis = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/eltis.toml");
    let own = std::fs::read_to_string(eltis).unwrap();
    write(&dir.path().join("profiles/our-eltis.toml"), &own);
    let plan = dir.path().join("building.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let text = text.replace(
        "number = 3\nprofile = \"eltis\"",
        "number = 3\nprofile = \"profiles/our-eltis.toml\"",
    );
    assert!(text.contains("our-eltis"));
    std::fs::write(&plan, text).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    cargo_bin_cmd!("kmdiag")
        .current_dir(elsewhere.path())
        .arg("check")
        .arg(dir.path().join("building.toml"))
        .assert()
        .code(0);
}

#[test]
fn json_is_one_building_document() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    let out = cargo_bin_cmd!("kmdiag")
        .args(["check", "--format", "json"])
        .arg(dir.path().join("building.toml"))
        .assert()
        .code(0);
    let doc = json(&out.get_output().stdout);
    assert_eq!(doc["building"], "Test street 1");
    assert_eq!(doc["complete"], true);
    assert_eq!(doc["healthy"], true);
    assert_eq!(doc["not_checked"].as_array().map(Vec::len), Some(0));
    assert_eq!(entrances(&doc), vec!["1", "2", "3"]);
    let e2 = &doc["entrances"][1];
    assert_eq!(e2["offset"], 72);
    assert_eq!(e2["summary"]["apartments"], 72);
    assert_eq!(e2["cells"].as_array().map(Vec::len), Some(100));
}

#[test]
fn a_missing_sweep_exits_2_and_the_other_entrances_are_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    std::fs::remove_file(dir.path().join("sweeps/e2.csv")).unwrap();
    let out = cargo_bin_cmd!("kmdiag")
        .args(["check", "--format", "json"])
        .arg(dir.path().join("building.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("entrance 2").and(predicate::str::contains("e2.csv")));
    let doc = json(&out.get_output().stdout);
    assert_eq!(entrances(&doc), vec!["1", "3"]);
    assert_eq!(doc["complete"], false);
    assert_eq!(doc["not_checked"][0]["entrance"], "2");
}

#[test]
fn a_malformed_sweep_exits_2_and_the_table_still_shows_the_others() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    write(
        &dir.path().join("sweeps/e1.csv"),
        "plus,minus,ohms\nD0,E1,700\nD0,E2,7 V\n",
    );
    let out = cargo_bin_cmd!("kmdiag")
        .arg("check")
        .arg(dir.path().join("building.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3, column 'ohms'"));
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("73–144") && text.contains("145–216"),
        "{text}"
    );
    assert!(text.contains("not checked"), "{text}");
}

#[test]
fn named_entrances_only_and_unknown_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    let plan = dir.path().join("building.toml");
    let out = cargo_bin_cmd!("kmdiag")
        .args([
            "check",
            "--format",
            "json",
            "--entrance",
            "3",
            "--entrance",
            "1",
        ])
        .arg(&plan)
        .assert()
        .code(0);
    assert_eq!(entrances(&json(&out.get_output().stdout)), vec!["1", "3"]);
    cargo_bin_cmd!("kmdiag")
        .args(["check", "--entrance", "9"])
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no entrance '9'").and(predicate::str::contains("1, 2, 3")),
        );
}

#[test]
fn an_unknown_key_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    let plan = dir.path().join("building.toml");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("offset = 72\n", "offset = 72\nofset = 73\n");
    std::fs::write(&plan, text).unwrap();
    cargo_bin_cmd!("kmdiag")
        .arg("check")
        .arg(&plan)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains("building.toml:14:")
                .and(predicate::str::contains("entrance[2].ofset")),
        );
}

#[test]
fn two_entrances_claiming_one_flat_are_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    let plan = dir.path().join("building.toml");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("\"145-216\"", "\"140-216\"");
    std::fs::write(&plan, text).unwrap();
    cargo_bin_cmd!("kmdiag")
        .arg("check")
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("entrance 3 claims apartment 140")
                .and(predicate::str::contains("entrance 2")),
        );
}

#[test]
fn a_folder_is_checked_one_entrance_per_csv_with_the_command_line_parameters() {
    let dir = tempfile::tempdir().unwrap();
    for (name, seed) in [("a-street-1", 1), ("a-street-2", 2), ("b-street-7", 3)] {
        let mut r = Riser::healthy(0, 1, 72);
        r.seed = seed;
        write(&dir.path().join(format!("{name}.csv")), &r.csv());
    }
    write(&dir.path().join("readme.txt"), "not a sweep");
    let out = cargo_bin_cmd!("kmdiag")
        .args([
            "check",
            "--format",
            "json",
            "--profile",
            "eltis",
            "--apartments",
            "1-72",
        ])
        .arg(dir.path())
        .assert()
        .code(0);
    let doc = json(&out.get_output().stdout);
    assert_eq!(
        entrances(&doc),
        vec!["a-street-1", "a-street-2", "b-street-7"]
    );
    assert_eq!(doc["entrances"][0]["summary"]["apartments"], 72);
}

#[test]
fn a_folder_needs_a_profile_and_a_plan_refuses_one() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    cargo_bin_cmd!("kmdiag")
        .arg("check")
        .arg(dir.path().join("sweeps"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--profile"));
    cargo_bin_cmd!("kmdiag")
        .args(["check", "--profile", "eltis"])
        .arg(dir.path().join("building.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("set them per entrance"));
}

#[test]
fn the_example_building_checks() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/building/building.toml");
    let out = cargo_bin_cmd!("kmdiag")
        .args(["check", "--format", "json"])
        .arg(plan)
        .output()
        .unwrap();
    // Exit 0 or 1 depending on what the engine finds; never 2.
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    assert_eq!(entrances(&json(&out.stdout)), vec!["1", "2", "3"]);
}

#[test]
fn russian_headers_with_lang_ru() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    cargo_bin_cmd!("kmdiag")
        .args(["check", "--lang", "ru"])
        .arg(dir.path().join("building.toml"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Подъезд"));
}

/// A shorted handset (40 Ω both ways, ghosts on empty crossings) is a fault: exit 1, and the
/// healthy entrances are still listed.
#[test]
fn a_shorted_handset_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    building(dir.path());
    let mut e3 = Riser::healthy(144, 145, 216);
    e3.absent = vec![150, 163, 171, 188, 202];
    e3.short = Some(177);
    write(&dir.path().join("sweeps/e3.csv"), &e3.csv());
    let out = cargo_bin_cmd!("kmdiag")
        .args(["check", "--format", "json"])
        .arg(dir.path().join("building.toml"))
        .assert()
        .code(1);
    let doc = json(&out.get_output().stdout);
    assert_eq!(entrances(&doc), vec!["1", "2", "3"]);
    assert_eq!(doc["entrances"][2]["healthy"], false);
    assert_eq!(doc["entrances"][0]["healthy"], true);
}

/// Entrance 4 of an Eltis KM100-7.2 holds flats 73-144: 73-100 on the first matrix, 101-144
/// on the second. One plan entry with one sweep per matrix; a short on flat 120.
fn spanning_building(dir: &Path, short: Option<u32>) {
    write(
        &dir.join("building.toml"),
        r#"address = "Test street 4"

[[entrance]]
number = 1
profile = "eltis"
apartments = "1-72"
sweep = "e1.csv"

[[entrance]]
number = 4
profile = "eltis"
switch = "KM100-7.2"
apartments = "73-144"
sweep = ["e4-hundred1.csv", "e4-hundred2.csv"]
known_absent = [90]
"#,
    );
    write(&dir.join("e1.csv"), &Riser::healthy(0, 1, 72).csv());
    let mut first = Riser::healthy(0, 73, 100);
    first.absent = vec![90];
    write(&dir.join("e4-hundred1.csv"), &first.csv());
    let mut second = Riser::healthy(100, 101, 144);
    second.absent = vec![105, 133];
    second.short = short;
    write(&dir.join("e4-hundred2.csv"), &second.csv());
}

#[test]
fn an_entrance_spanning_two_hundreds_is_one_plan_entry_checked_matrix_by_matrix() {
    let dir = tempfile::tempdir().unwrap();
    spanning_building(dir.path(), Some(120));
    let plan = dir.path().join("building.toml");
    let out = cargo_bin_cmd!("kmdiag")
        .args(["check", "--format", "json"])
        .arg(&plan)
        .assert()
        .code(1);
    let doc = json(&out.get_output().stdout);
    assert_eq!(entrances(&doc), vec!["1", "4", "4"]);
    let e = &doc["entrances"];
    assert_eq!(
        (e[1]["matrix"].as_u64(), e[2]["matrix"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(e[1]["healthy"], true);
    assert_eq!(e[2]["findings"][0]["apartment"], 120);
    assert_eq!(e[2]["findings"][0]["fault"], "short");
    // Each matrix carries only its own flats.
    let flats = |i: usize| -> Vec<u64> {
        let cells = e[i]["cells"].as_array().unwrap();
        cells
            .iter()
            .filter_map(|c| c["apartment"].as_u64())
            .collect()
    };
    assert!(
        flats(1).iter().all(|a| (73..=100).contains(a)),
        "{:?}",
        flats(1)
    );
    assert!(
        flats(2).iter().all(|a| (101..=144).contains(a)),
        "{:?}",
        flats(2)
    );
    assert_eq!(flats(1).len() + flats(2).len(), 72);
    std::fs::write(dir.path().join("now.json"), &out.get_output().stdout).unwrap();

    let out = cargo_bin_cmd!("kmdiag")
        .arg("check")
        .arg(&plan)
        .env("LANG", "C")
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for row in ["4, matrix 1", "4, matrix 2", "73–100", "101–144"] {
        assert!(text.contains(row), "{row}: {text}");
    }
    cargo_bin_cmd!("kmdiag")
        .args(["check", "--entrance", "4", "--format", "json"])
        .arg(&plan)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"matrix\": 2"));

    // Last year's check, before the short: the diff names the matrix.
    let before = tempfile::tempdir().unwrap();
    spanning_building(before.path(), None);
    let old = cargo_bin_cmd!("kmdiag")
        .args(["check", "--format", "json"])
        .arg(before.path().join("building.toml"))
        .assert()
        .code(0);
    std::fs::write(dir.path().join("then.json"), &old.get_output().stdout).unwrap();
    let diff = cargo_bin_cmd!("kmdiag")
        .args(["diff", "--format", "json"])
        .arg(dir.path().join("then.json"))
        .arg(dir.path().join("now.json"))
        .assert()
        .code(1);
    let changes = json(&diff.get_output().stdout);
    let changes = changes["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    for c in changes {
        assert_eq!(c["entrance"], "4, matrix 2", "{changes:?}");
    }
    assert!(
        (changes.iter()).any(|c| c["kind"] == "fault_appeared"
            && c["place"]
                .as_str()
                .is_some_and(|p| p.contains("apartment 120"))),
        "{changes:?}"
    );
}

#[test]
fn a_spanning_entrance_with_a_file_too_many_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    spanning_building(dir.path(), None);
    let plan = dir.path().join("building.toml");
    let text = std::fs::read_to_string(&plan).unwrap().replace(
        r#""e4-hundred2.csv"]"#,
        r#""e4-hundred2.csv", "e4-hundred3.csv"]"#,
    );
    write(&plan, &text);
    cargo_bin_cmd!("kmdiag")
        .arg("check")
        .arg(&plan)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "building.toml:14: key 'entrance[2].sweep': apartments '73-144' span matrices 1, 2 of switch KM100-7.2: give one sweep file per matrix, in matrix order (2 files); 3 given",
        ));
}

/// The three writers of an entrance document agree byte for byte: each `check --format
/// jsonl` line is `schema_version`, `record`, then the document `diagnose --format json`
/// writes for the same sweep (its entrance named by the folder's file), and the building
/// document of `check --format json` holds the same document. Compared as compact text, so
/// key order and number formatting are pinned whatever the engine concludes.
#[test]
fn jsonl_lines_json_entrances_and_diagnose_documents_agree_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut faulty = Riser::healthy(0, 1, 72);
    faulty.seed = 5;
    faulty.absent = vec![3, 9, 40];
    faulty.short = Some(17);
    faulty.forward.push((30, 2900.0));
    write(&dir.path().join("a-faulty.csv"), &faulty.csv());
    write(
        &dir.path().join("b-healthy.csv"),
        &Riser::healthy(0, 1, 72).csv(),
    );
    let layout = ["--profile", "eltis", "--apartments", "1-72"];
    let run = |args: &[&str], path: &Path| {
        let out = cargo_bin_cmd!("kmdiag")
            .args(args)
            .args(layout)
            .arg(path)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let lines = run(&["check", "--format", "jsonl"], dir.path());
    let building = json(run(&["check", "--format", "json"], dir.path()).as_bytes());
    let docs: Vec<serde_json::Value> = lines.lines().map(|l| json(l.as_bytes())).collect();
    assert_eq!(docs.len(), 3, "two entrances and the summary: {lines}");
    for (i, name) in ["a-faulty", "b-healthy"].into_iter().enumerate() {
        let line = lines.lines().nth(i).unwrap();
        // diagnose's document, with the entrance check names from the file.
        let mut alone = json(
            run(
                &["diagnose", "--format", "json"],
                &dir.path().join(format!("{name}.csv")),
            )
            .as_bytes(),
        );
        let alone = alone.as_object_mut().unwrap();
        alone.insert("entrance".into(), serde_json::json!(name));
        let mut expected = serde_json::Map::new();
        expected.insert("schema_version".into(), alone["schema_version"].clone());
        expected.insert("record".into(), serde_json::json!("entrance"));
        expected.extend(
            alone
                .clone()
                .into_iter()
                .filter(|(k, _)| k != "schema_version"),
        );
        assert_eq!(line, serde_json::to_string(&expected).unwrap());
        // The building document's entrance is the line without its two header keys.
        let mut bare = alone.clone();
        bare.shift_remove("schema_version");
        assert_eq!(
            serde_json::to_string(&building["entrances"][i]).unwrap(),
            serde_json::to_string(&bare).unwrap()
        );
    }
    assert!(lines.contains(r#""fault":"short""#), "{lines}");
}
