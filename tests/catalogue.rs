//! The geometry of every built-in switch model, as the vendors' catalogue (SmartYard-Server's
//! `cmses/*.json`, read in profiles/metakom.toml) gives it: tens lines of each matrix, units
//! as printed, the first tens label, the whole switch's capacity, and worked apartment →
//! crossing examples at the edges of the matrices, both ways. Then `kmdiag map` on the models
//! this catalogue brought in or changed. A built-in model without a row here fails the test.

use assert_cmd::Command;
use kmdiag::model::{Cell, Terminal};
use kmdiag::profile::{apartment_at, builtin_profiles, place, resolve};

/// What the catalogue says about one model, and flats worked out by hand from its rule.
struct Model {
    profile: &'static str,
    model: &'static str,
    /// Tens lines of each matrix, in order.
    tens: &'static [u16],
    /// First and last units terminal as printed.
    units: (&'static str, &'static str),
    /// The first tens terminal as printed.
    first_tens: &'static str,
    /// Flats on the whole switch (offset 0).
    capacity: u32,
    /// (apartment, matrix, crossing) with offset 0.
    examples: &'static [(u32, u16, &'static str)],
}

const HUNDRED_DECIMAL: &[(u32, u16, &str)] = &[
    (1, 1, "D0/E1"),
    (10, 1, "D1/E0"),
    (73, 1, "D7/E3"),
    (100, 1, "D0/E0"),
];

const MODELS: &[Model] = &[
    // Metakom: units printed 1-10, flats 1-10 on D0.
    Model {
        profile: "metakom",
        model: "COM-100U",
        tens: &[10; 6],
        units: ("E1", "E10"),
        first_tens: "D0",
        capacity: 600,
        examples: &[
            (1, 1, "D0/E1"),
            (10, 1, "D0/E10"),
            (100, 1, "D9/E10"),
            (101, 2, "D0/E1"),
            (600, 6, "D9/E10"),
        ],
    },
    Model {
        profile: "metakom",
        model: "COM-80",
        tens: &[8],
        units: ("E1", "E10"),
        first_tens: "D0",
        capacity: 80,
        examples: &[(1, 1, "D0/E1"), (11, 1, "D1/E1"), (80, 1, "D7/E10")],
    },
    Model {
        profile: "metakom",
        model: "COM-80U",
        tens: &[8; 6],
        units: ("E1", "E10"),
        first_tens: "D0",
        capacity: 480,
        examples: &[(80, 1, "D7/E10"), (81, 2, "D0/E1"), (480, 6, "D7/E10")],
    },
    Model {
        profile: "metakom",
        model: "COM-80UD",
        tens: &[8; 6],
        units: ("E1", "E10"),
        first_tens: "D0",
        capacity: 480,
        examples: &[(80, 1, "D7/E10"), (81, 2, "D0/E1"), (480, 6, "D7/E10")],
    },
    Model {
        profile: "metakom",
        model: "COM-160U",
        tens: &[16],
        units: ("E1", "E10"),
        first_tens: "D0",
        capacity: 160,
        examples: &[(73, 1, "D7/E3"), (101, 1, "D10/E1"), (160, 1, "D15/E10")],
    },
    Model {
        profile: "metakom",
        model: "COM-160UD",
        tens: &[16],
        units: ("E1", "E10"),
        first_tens: "D0",
        capacity: 160,
        examples: &[(101, 1, "D10/E1"), (160, 1, "D15/E10")],
    },
    Model {
        profile: "metakom",
        model: "COM-220U",
        tens: &[22, 22, 16],
        units: ("E1", "E10"),
        first_tens: "D0",
        capacity: 600,
        examples: &[
            (1, 1, "D0/E1"),
            (220, 1, "D21/E10"),
            (221, 2, "D0/E1"),
            (440, 2, "D21/E10"),
            (441, 3, "D0/E1"),
            (600, 3, "D15/E10"),
        ],
    },
    Model {
        profile: "metakom",
        model: "COM-220UD",
        tens: &[22],
        units: ("E1", "E10"),
        first_tens: "D0",
        capacity: 220,
        examples: &[(150, 1, "D14/E10"), (220, 1, "D21/E10")],
    },
    Model {
        profile: "metakom",
        model: "COM-25U",
        tens: &[5; 7],
        units: ("E1", "E5"),
        first_tens: "D1",
        capacity: 175,
        examples: &[
            (1, 1, "D1/E1"),
            (5, 1, "D1/E5"),
            (6, 1, "D2/E1"),
            (25, 1, "D5/E5"),
            (26, 2, "D1/E1"),
            (175, 7, "D5/E5"),
        ],
    },
    // Eltis: decimal, units 0-9.
    Model {
        profile: "eltis",
        model: "KM100-7.1",
        tens: &[10],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 100,
        examples: HUNDRED_DECIMAL,
    },
    Model {
        profile: "eltis",
        model: "KM100-7.2",
        tens: &[10; 2],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 200,
        examples: &[(100, 1, "D0/E0"), (101, 2, "D0/E1"), (200, 2, "D0/E0")],
    },
    Model {
        profile: "eltis",
        model: "KM100-7.3",
        tens: &[10; 3],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 300,
        examples: &[(273, 3, "D7/E3"), (300, 3, "D0/E0")],
    },
    Model {
        profile: "eltis",
        model: "KM100-7.5",
        tens: &[10; 5],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 500,
        examples: &[(410, 5, "D1/E0"), (500, 5, "D0/E0")],
    },
    Model {
        profile: "eltis",
        model: "KM20-1",
        tens: &[2],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 20,
        examples: &[
            (1, 1, "D0/E1"),
            (10, 1, "D1/E0"),
            (19, 1, "D1/E9"),
            (20, 1, "D0/E0"),
        ],
    },
    // Vizit, Cyfral: decimal.
    Model {
        profile: "vizit",
        model: "BK-100",
        tens: &[10; 2],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 200,
        examples: &[(73, 1, "D7/E3"), (101, 2, "D0/E1"), (200, 2, "D0/E0")],
    },
    Model {
        profile: "vizit",
        model: "BK-100M",
        tens: &[10; 2],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 200,
        examples: &[(100, 1, "D0/E0"), (110, 2, "D1/E0")],
    },
    Model {
        profile: "vizit",
        model: "BK-400",
        tens: &[10; 4],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 400,
        examples: &[(301, 4, "D0/E1"), (400, 4, "D0/E0")],
    },
    Model {
        profile: "cyfral",
        model: "KMG-100",
        tens: &[10; 2],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 200,
        examples: &[(99, 1, "D9/E9"), (100, 1, "D0/E0"), (199, 2, "D9/E9")],
    },
    // Beward: decimal.
    Model {
        profile: "beward",
        model: "KKM-100S2",
        tens: &[10; 2],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 200,
        examples: HUNDRED_DECIMAL,
    },
    Model {
        profile: "beward",
        model: "KKM-105",
        tens: &[10; 5],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 500,
        examples: &[(500, 5, "D0/E0")],
    },
    Model {
        profile: "beward",
        model: "KKM-108",
        tens: &[10; 8],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 800,
        examples: &[(701, 8, "D0/E1"), (800, 8, "D0/E0")],
    },
    Model {
        profile: "beward",
        model: "KMD-100S",
        tens: &[10; 8],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 800,
        examples: &[
            (10, 1, "D1/E0"),
            (100, 1, "D0/E0"),
            (101, 2, "D0/E1"),
            (800, 8, "D0/E0"),
        ],
    },
    // Factorial: units printed 1-8.
    Model {
        profile: "factorial",
        model: "8x8",
        tens: &[8; 2],
        units: ("E1", "E8"),
        first_tens: "D0",
        capacity: 128,
        examples: &[
            (8, 1, "D0/E8"),
            (9, 1, "D1/E1"),
            (64, 1, "D7/E8"),
            (65, 2, "D0/E1"),
        ],
    },
    // Sokol: decimal.
    Model {
        profile: "sokol",
        model: "KU-100",
        tens: &[10; 8],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 800,
        examples: &[(10, 1, "D1/E0"), (100, 1, "D0/E0"), (745, 8, "D4/E5")],
    },
    Model {
        profile: "sokol",
        model: "KU-100-LINE",
        tens: &[10; 8],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 800,
        examples: &[(101, 2, "D0/E1"), (800, 8, "D0/E0")],
    },
    Model {
        profile: "sokol",
        model: "ISKOO-100",
        tens: &[10],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 100,
        examples: HUNDRED_DECIMAL,
    },
    Model {
        profile: "sokol",
        model: "ISKOO-100-LINE",
        tens: &[10],
        units: ("E0", "E9"),
        first_tens: "D0",
        capacity: 100,
        examples: HUNDRED_DECIMAL,
    },
    Model {
        profile: "sokol",
        model: "ACT-25TM",
        tens: &[10],
        units: ("E0", "E25"),
        first_tens: "D0",
        capacity: 260,
        examples: &[
            (1, 1, "D0/E1"),
            (25, 1, "D0/E25"),
            (26, 1, "D1/E0"),
            (259, 1, "D9/E25"),
            (260, 1, "D0/E0"),
        ],
    },
];

#[test]
fn every_built_in_model_has_its_catalogue_geometry() {
    for m in MODELS {
        let p = resolve(m.profile).unwrap();
        let s = p.switch(Some(m.model)).unwrap();
        let what = format!("{} {}", m.profile, m.model);
        let tens: Vec<u16> = (1..=s.matrices).map(|i| s.tens_in(i)).collect();
        assert_eq!(tens, m.tens, "{what}: tens lines of each matrix");
        assert_eq!(s.total_capacity(), m.capacity as u64, "{what}: capacity");
        for matrix in 1..=s.matrices {
            let labels = p.matrix_labels(s, matrix);
            let last_units = labels.units_count() - 1;
            assert_eq!(
                (
                    labels.label(Terminal::units(0)),
                    labels.label(Terminal::units(last_units))
                ),
                m.units,
                "{what}: units as printed"
            );
            assert_eq!(
                labels.label(Terminal::tens(0)),
                m.first_tens,
                "{what}: first tens"
            );
            assert_eq!(labels.tens_count(), m.tens[matrix as usize - 1], "{what}");
        }
        let labels = p.line_labels(s);
        for &(apartment, matrix, cell) in m.examples {
            let placed = place(p.numbering, s, 0, apartment).unwrap();
            assert_eq!(
                (placed.matrix, labels.cell_label(placed.cell).as_str()),
                (matrix, cell),
                "{what}: apartment {apartment}"
            );
            let back = apartment_at(p.numbering, s, 0, matrix, labels.parse_cell(cell).unwrap());
            assert_eq!(back, Ok(apartment), "{what}: {cell} on matrix {matrix}");
        }
        let beyond = place(p.numbering, s, 0, m.capacity + 1);
        assert!(beyond.is_err(), "{what}: flat {} maps", m.capacity + 1);
    }
}

#[test]
fn no_built_in_model_is_without_a_geometry_row() {
    for p in builtin_profiles() {
        for s in &p.switches {
            assert!(
                MODELS
                    .iter()
                    .any(|m| m.profile == p.name && m.model == s.model),
                "{} {} has no row in tests/catalogue.rs",
                p.name,
                s.model
            );
        }
    }
}

#[test]
fn a_crossing_beyond_a_smaller_matrix_is_not_on_it() {
    let p = resolve("metakom").unwrap();
    let s = p.switch(Some("COM-220U")).unwrap();
    let d16 = Cell::new(16, 0);
    assert!(apartment_at(p.numbering, s, 0, 2, d16).is_ok());
    assert!(apartment_at(p.numbering, s, 0, 3, d16).is_err());
}

fn map(args: &[&str]) -> String {
    let out = Command::cargo_bin("kmdiag")
        .unwrap()
        .arg("map")
        .args(args)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The models the catalogue brought in or changed.
const NEW_OR_CHANGED: &[(&str, &str)] = &[
    ("metakom", "COM-80"),
    ("metakom", "COM-80UD"),
    ("metakom", "COM-160U"),
    ("metakom", "COM-160UD"),
    ("metakom", "COM-220U"),
    ("metakom", "COM-220UD"),
    ("metakom", "COM-25U"),
    ("beward", "KMD-100S"),
    ("sokol", "KU-100"),
    ("sokol", "KU-100-LINE"),
    ("sokol", "ISKOO-100"),
    ("sokol", "ISKOO-100-LINE"),
    ("sokol", "ACT-25TM"),
];

#[test]
fn kmdiag_map_works_both_ways_and_draws_every_matrix_of_the_new_models() {
    for &(profile, model) in NEW_OR_CHANGED {
        let m = MODELS
            .iter()
            .find(|m| m.profile == profile && m.model == model)
            .unwrap();
        let sw = ["--profile", profile, "--switch", model];
        for &(apartment, matrix, cell) in m.examples {
            let there = map(&[&sw[..], &[&apartment.to_string()]].concat());
            assert_eq!(
                there,
                format!("apartment {apartment}: {cell} (matrix {matrix})\n"),
                "{model}"
            );
            let back = map(&[&sw[..], &["--matrix", &matrix.to_string(), cell]].concat());
            assert_eq!(
                back,
                format!("{cell}: apartment {apartment} (matrix {matrix})\n"),
                "{model}"
            );
        }
        let all = format!("1-{}", m.capacity);
        let grid = map(&[&sw[..], &["--apartments", &all]].concat());
        for (i, tens) in m.tens.iter().enumerate() {
            let head = format!("switch {model}, matrix {}, offset 0", i + 1);
            let at = grid
                .find(&head)
                .unwrap_or_else(|| panic!("{model}: {grid}"));
            let table = &grid[at..];
            // The grid itself: from its top border to its bottom one, past the header line.
            let table = &table[table.find('┌').unwrap()..table.find('└').unwrap()];
            let rows = table.lines().filter(|l| l.starts_with("│ D")).count();
            assert_eq!(rows, *tens as usize, "{model} matrix {}: {table}", i + 1);
            assert!(!table.contains('·'), "{model}: a crossing without a flat");
        }
    }
}

#[test]
fn com_25u_terminals_are_read_from_d1() {
    let out = Command::cargo_bin("kmdiag")
        .unwrap()
        .args(["map", "--profile", "metakom", "--switch", "COM-25U", "D0E1"])
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("D1-D5 or E1-E5"), "{err}");
}

/// Simulates one matrix with ideal physics and diagnoses it: the sweep covers exactly that
/// matrix's terminals and the fault is named at its crossing as printed.
fn simulate_and_diagnose(args: &[&str], fault: &str) -> (String, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("sweep.csv");
    Command::cargo_bin("kmdiag")
        .unwrap()
        .args([
            "simulate",
            "--physics",
            "lab",
            "--seed",
            "3",
            "--fault",
            fault,
        ])
        .args(args)
        .arg("-o")
        .arg(&sweep)
        .assert()
        .success();
    let out = Command::cargo_bin("kmdiag")
        .unwrap()
        .arg("diagnose")
        .arg(&sweep)
        .args(args)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let doc = serde_json::from_slice(&out.get_output().stdout).unwrap();
    (std::fs::read_to_string(&sweep).unwrap(), doc)
}

#[test]
fn a_smaller_third_matrix_and_tens_from_d1_sweep_and_diagnose_end_to_end() {
    let com_220u = [
        "--profile",
        "metakom",
        "--switch",
        "COM-220U",
        "--apartments",
        "441-600",
    ];
    let (csv, doc) = simulate_and_diagnose(&com_220u, "500:short");
    assert!(
        csv.contains("\nD15,E10,") && !csv.contains("\nD16,"),
        "{csv}"
    );
    assert_eq!(doc["matrix"], 3);
    assert_eq!(doc["cells"].as_array().unwrap().len(), 160);
    let f = &doc["findings"][0];
    assert_eq!(
        (&f["apartment"], &f["tens"], &f["units"], &f["fault"]),
        (&500.into(), &"D5".into(), &"E10".into(), &"short".into())
    );

    let com_25u = [
        "--profile",
        "metakom",
        "--switch",
        "COM-25U",
        "--apartments",
        "26-50",
    ];
    let (csv, doc) = simulate_and_diagnose(&com_25u, "32:reversed");
    assert!(csv.contains("\nD5,E5,") && !csv.contains("\nD0,"), "{csv}");
    assert_eq!(doc["matrix"], 2);
    let f = &doc["findings"][0];
    assert_eq!(
        (&f["apartment"], &f["tens"], &f["units"], &f["fault"]),
        (&32.into(), &"D2".into(), &"E2".into(), &"reversed".into())
    );
}
