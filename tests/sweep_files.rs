//! Sweep files as technicians and their spreadsheets write them, end to end through the
//! binary: the `#` header as defaults under the flags, and what Excel makes of a CSV
//! (`;`, decimal commas, a byte-order mark, windows-1251, units) — read, never guessed.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn kmdiag() -> Command {
    let mut c = Command::cargo_bin("kmdiag").expect("binary built");
    c.env_remove("LANG").env("SOURCE_DATE_EPOCH", "1767225600");
    c
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// The flags that say what the header of `eltis-two-shorts.csv` says.
const ENTRANCE: [&str; 8] = [
    "--profile",
    "eltis",
    "--switch",
    "KM100-7.1",
    "--offset",
    "72",
    "--apartments",
    "73-144",
];

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("JSON")
}

#[test]
fn a_sweep_with_a_header_diagnoses_without_flags_as_with_them() {
    let file = example("eltis-two-shorts.csv");
    let bare = kmdiag()
        .arg("diagnose")
        .arg(&file)
        .args(["--format", "json"])
        .assert()
        .code(1)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let flagged = kmdiag()
        .arg("diagnose")
        .arg(&file)
        .args(ENTRANCE)
        .args(["--format", "json"])
        .assert()
        .code(1)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    assert_eq!(bare, flagged);
    let doc = json(&bare);
    assert_eq!(doc["offset"], 72);
    assert!(doc["meter"].as_str().unwrap_or("").contains("simulated"));
}

#[test]
fn a_flag_that_disagrees_with_the_header_wins_and_is_named() {
    let out = kmdiag()
        .arg("diagnose")
        .arg(example("eltis-two-shorts.csv"))
        .args(["--offset", "70", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning")
            && stderr.contains("--offset 70")
            && stderr.contains("offset: 72, line 9"),
        "{stderr}"
    );
    assert_eq!(json(&out.stdout)["offset"], 70);
}

#[test]
fn an_unknown_header_format_version_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.csv");
    std::fs::write(
        &file,
        "# written by hand\n# kmdiag-sweep: 2\n# profile: eltis\nplus,minus,ohms\nD0,E1,700\n",
    )
    .unwrap();
    kmdiag()
        .arg("diagnose")
        .arg(&file)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("s.csv: line 2:").and(predicate::str::contains("'2'")));
}

#[test]
fn a_sweep_without_header_or_profile_says_what_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.csv");
    std::fs::write(&file, "plus,minus,ohms\nD0,E1,700\n").unwrap();
    kmdiag()
        .arg("diagnose")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pass --profile"));
}

#[test]
fn a_folder_of_sweeps_with_headers_checks_without_flags() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "eltis-two-shorts.csv",
        "vizit-healthy.csv",
        "metakom-short.csv",
    ] {
        std::fs::copy(example(name), dir.path().join(name)).unwrap();
    }
    let out = kmdiag()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"])
        .assert()
        .code(1)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let doc = json(&out);
    let profiles: Vec<&str> = (doc["entrances"].as_array().unwrap().iter())
        .map(|e| e["profile"].as_str().unwrap())
        .collect();
    assert_eq!(profiles, ["eltis", "metakom", "vizit"]);
}

/// A report written for Excel (byte-order mark, `;`, decimal commas) and read back as a sweep
/// gives the same readings, line-to-line checks included, and the same diagnosis.
#[test]
fn an_excel_report_reads_back_as_the_same_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("report.csv");
    let file = example("eltis-two-shorts.csv");
    kmdiag()
        .arg("report")
        .arg(&file)
        .args(["--csv-dialect", "excel", "-o"])
        .arg(&csv)
        .assert()
        .code(1);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{feff}entrance;matrix;"), "{text}");
    assert!(text.contains(",5;"), "decimal commas: {text}");
    let diagnose = |path: &Path, flags: &[&str]| {
        let out = kmdiag()
            .arg("diagnose")
            .arg(path)
            .args(flags)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let mut doc = json(&out.stdout);
        doc["source"] = serde_json::Value::Null;
        doc["meter"] = serde_json::Value::Null;
        doc
    };
    let back = diagnose(&csv, &ENTRANCE);
    let original = diagnose(&file, &[]);
    assert_eq!(back["cells"], original["cells"]);
    assert_eq!(back["bus_checks"].as_array().map(Vec::len), Some(90));
    assert_eq!(back["findings"], original["findings"]);
}

/// "Д0;Е1;712,5" and the rest in windows-1251, as Russian Excel saves "CSV (разделители —
/// точка с запятой)": read, with the decimal comma and the units.
#[test]
fn a_cp1251_semicolon_sweep_with_decimal_commas_parses() {
    let text = "plus;minus;ohms\r\nД0;Е1;712,5\r\nЕ1;Д0;OL\r\nД0;Е2;1,2 кОм\r\nД0;Е3;698 Ом\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file is not UTF-8"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("excel.csv");
    std::fs::write(&file, &bytes).unwrap();
    let out = kmdiag()
        .arg("diagnose")
        .arg(&file)
        // Four crossings of a hundred: the rest are not measured, which --partial accepts.
        .args(["--profile", "eltis", "--partial", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    let doc = json(&out.stdout);
    let cell = |units: &str| {
        doc["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["tens"] == "D0" && c["units"] == units)
            .cloned()
            .unwrap()
    };
    assert_eq!(cell("E1")["forward_ohms"], 712.5);
    assert_eq!(cell("E2")["forward_ohms"], 1200.0);
    assert_eq!(cell("E3")["forward_ohms"], 698.0);
}

/// `712,5` in a comma-separated file could be 712.5 or 712 and a stray column: an error that
/// names the line, never 712 Ω.
#[test]
fn a_decimal_comma_in_a_comma_file_is_refused_and_quoted_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.csv");
    std::fs::write(&file, "plus,minus,ohms\nD0,E1,700\nD0,E2,712,5\n").unwrap();
    kmdiag()
        .arg("diagnose")
        .arg(&file)
        .args(["--profile", "eltis"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3").and(predicate::str::contains("decimal comma")));
    std::fs::write(&file, "plus,minus,ohms\nD0,E1,\"712,5\"\n").unwrap();
    let out = kmdiag()
        .arg("diagnose")
        .arg(&file)
        .args(["--profile", "eltis", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&out.stdout)["cells"][1]["forward_ohms"], 712.5);
}
