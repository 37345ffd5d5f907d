//! `kmdiag map` and `kmdiag profiles` end to end: every worked numbering example of
//! domain.md §2, both ways, for every built-in profile, and the installers' offsets.

use assert_cmd::Command;
use predicates::prelude::*;

fn kmdiag() -> Command {
    Command::cargo_bin("kmdiag").unwrap()
}

fn map(args: &[&str]) -> String {
    let out = kmdiag().arg("map").args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

const DECIMAL: &[(&str, &str)] = &[
    ("1", "D0/E1"),
    ("9", "D0/E9"),
    ("10", "D1/E0"),
    ("73", "D7/E3"),
    ("99", "D9/E9"),
    ("100", "D0/E0"),
];
const UNITS_FROM_ONE: &[(&str, &str)] = &[
    ("1", "D0/E1"),
    ("10", "D0/E10"),
    ("11", "D1/E1"),
    ("73", "D7/E3"),
    ("100", "D9/E10"),
];

#[test]
fn decimal_profiles_map_the_worked_examples_both_ways() {
    for profile in ["eltis", "vizit", "cyfral", "beward"] {
        for (apartment, cell) in DECIMAL {
            let there = map(&["--profile", profile, apartment]);
            assert!(
                there.contains(&format!("apartment {apartment}: {cell} ")),
                "{profile}: {there}"
            );
            let back = map(&["--profile", profile, cell]);
            assert!(
                back.contains(&format!("{cell}: apartment {apartment} ")),
                "{profile}: {back}"
            );
        }
    }
}

#[test]
fn metakom_numbers_units_from_one_both_ways() {
    for (apartment, cell) in UNITS_FROM_ONE {
        let there = map(&["--profile", "metakom", apartment]);
        assert!(
            there.contains(&format!("apartment {apartment}: {cell} ")),
            "{there}"
        );
        let back = map(&["--profile", "metakom", &cell.replace('/', "")]);
        assert!(
            back.contains(&format!("{cell}: apartment {apartment} ")),
            "{back}"
        );
    }
}

#[test]
fn factorial_8x8_numbers_units_from_one() {
    for (apartment, cell) in [
        ("1", "D0/E1"),
        ("8", "D0/E8"),
        ("9", "D1/E1"),
        ("64", "D7/E8"),
    ] {
        assert!(map(&["--profile", "factorial", apartment]).contains(cell));
        assert!(
            map(&["--profile", "factorial", cell]).contains(&format!("apartment {apartment} "))
        );
    }
}

#[test]
fn installer_offsets_from_the_field_guide() {
    assert!(map(&["--profile", "eltis", "--offset", "72", "73"]).contains("D0/E1"));
    assert!(map(&["--profile", "eltis", "--offset", "70", "73"]).contains("D0/E3"));
    assert!(map(&["--profile", "eltis", "--offset", "70", "80"]).contains("D1/E0"));
    assert!(map(&["--profile", "vizit", "--offset", "72", "D0E1"]).contains("apartment 73"));
}

#[test]
fn lines_beyond_one_matrix_name_the_next_matrix() {
    assert!(map(&["--profile", "vizit", "173"]).contains("D7/E3 (matrix 2)"));
    kmdiag()
        .args(["map", "--profile", "eltis", "173"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("beyond"));
}

#[test]
fn grid_shows_apartments_at_their_crossings() {
    let grid = map(&[
        "--profile",
        "vizit",
        "--offset",
        "72",
        "--apartments",
        "73-144",
    ]);
    assert!(grid.contains("matrix 1, offset 72"), "{grid}");
    let d0 = grid.lines().find(|l| l.contains("D0 ")).unwrap();
    assert!(d0.contains(" 73 ") && d0.contains(" 81 "), "{d0}");
    let d7 = grid.lines().find(|l| l.contains("D7 ")).unwrap();
    assert!(d7.contains(" 144 ") && !d7.contains(" 145 "), "{d7}");
}

#[test]
fn explicit_map_file_overrides_the_arithmetic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("map.csv");
    std::fs::write(&path, "apartment,tens,units\n45,D2,E9\n46,D3,E0\n").unwrap();
    let out = map(&["--profile", "eltis", "--map", path.to_str().unwrap(), "45"]);
    assert!(out.contains("D2/E9"), "{out}");
    std::fs::write(&path, "apartment,tens,units\n45,D2,E9\n46,D2,E9\n").unwrap();
    kmdiag()
        .args([
            "map",
            "--profile",
            "eltis",
            "--map",
            path.to_str().unwrap(),
            "45",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3").and(predicate::str::contains("both on D2/E9")));
}

#[test]
fn nonsense_queries_are_usage_errors() {
    kmdiag()
        .args(["map", "--profile", "eltis", "F3"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("'F3'"));
    kmdiag()
        .args(["map", "--profile", "nosuch", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown profile 'nosuch'"));
}

#[test]
fn profiles_lists_and_shows_the_builtins() {
    kmdiag()
        .arg("profiles")
        .assert()
        .success()
        .stdout(predicate::str::contains("metakom").and(predicate::str::contains("COM-220U")));
    kmdiag()
        .args(["profiles", "show", "metakom"])
        .assert()
        .success()
        .stdout(predicate::str::contains("numbering = \"units_from_one\""));
}

#[test]
fn malformed_profile_names_file_line_column_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    let text = include_str!("../profiles/eltis.toml").replacen("units = 10", "units = \"ten\"", 1);
    std::fs::write(&path, &text).unwrap();
    let line = text.lines().position(|l| l.contains("\"ten\"")).unwrap() + 1;
    kmdiag()
        .args(["map", "--profile", path.to_str().unwrap(), "1"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains(format!("mine.toml:{line}:"))
                .and(predicate::str::contains("switch.units")),
        );
}

#[test]
fn users_own_profile_is_loaded_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    let text =
        include_str!("../profiles/metakom.toml").replace("name = \"metakom\"", "name = \"ours\"");
    std::fs::write(&path, text).unwrap();
    assert!(map(&["--profile", path.to_str().unwrap(), "10"]).contains("D0/E10"));
}
