//! `kmdiag report` end to end: formats chosen by flag or extension, `-o -`, overwrite refusal,
//! language choice, the reproducible date, and exit codes. The sweeps are written by the test;
//! only the healthy one relies on the engine's verdict (a clean sweep has no fault).

use assert_cmd::Command;
use kmdiag::model::{Measurement, Reading, Sweep, Terminal};
use kmdiag::profile::{Layout, LayoutSpec, parse_apartments, resolve};
use predicates::prelude::*;
use predicates::str::contains;
use std::path::{Path, PathBuf};

const ENTRANCE: [&str; 6] = [
    "--profile",
    "vizit",
    "--offset",
    "72",
    "--apartments",
    "73-144",
];

/// Writes a sweep of entrance 73–144 on a Vizit BK-100: every flat a healthy 620–780 Ω handset
/// except those in `absent`; `short` puts a dead short on one flat's crossing.
fn write_sweep(dir: &Path, name: &str, absent: &[u32], short: Option<u32>) -> PathBuf {
    let p = resolve("vizit").expect("vizit");
    let s = p.switch(None).expect("switch").clone();
    let spec = LayoutSpec {
        offset: 72,
        apartments: Some(parse_apartments("73-144").expect("range")),
        ..Default::default()
    };
    let layout = Layout::build(&p, &s, &spec).expect("layout");
    let mut sweep = Sweep::new(layout.tens(), layout.units());
    for cell in layout.cells() {
        let (forward, reverse) = match layout.apartment(cell) {
            Some(a) if Some(a) == short => (Reading::Ohms(0.4), Reading::Ohms(0.4)),
            // Real handsets differ; identical rows would look like touching lines.
            Some(a) if !absent.contains(&a) => (
                Reading::Ohms(620.0 + f64::from((a * a * 37 + a * 11) % 161)),
                Reading::Open,
            ),
            _ => (Reading::Open, Reading::Open),
        };
        let (d, e) = (Terminal::tens(cell.tens), Terminal::units(cell.units));
        for (plus, minus, reading) in [(d, e, forward), (e, d, reverse)] {
            sweep
                .record(Measurement {
                    plus,
                    minus,
                    reading,
                })
                .expect("inside the matrix");
        }
    }
    let path = dir.join(name);
    std::fs::write(&path, kmdiag::sweep::to_csv(&sweep, &layout.labels)).expect("write sweep");
    path
}

fn kmdiag() -> Command {
    let mut c = Command::cargo_bin("kmdiag").expect("binary");
    c.env_remove("LANG").env("SOURCE_DATE_EPOCH", "1767225600");
    c
}

#[test]
fn writes_a_markdown_report_of_a_healthy_sweep_and_exits_0() {
    let dir = tempfile::tempdir().expect("tmp");
    let sweep = write_sweep(dir.path(), "e2.csv", &[75, 90], None);
    let out = dir.path().join("report.md");
    kmdiag()
        .arg("report")
        .arg(&sweep)
        .args(ENTRANCE)
        .args([
            "--entrance",
            "2",
            "--building",
            "ул. Ленина, 12",
            "--meter",
            "UT61E",
        ])
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0)
        .stderr(contains("report.md"));
    let text = std::fs::read_to_string(&out).expect("report written");
    assert!(text.starts_with("# Intercom wiring report"), "{text}");
    for fact in [
        "ул. Ленина, 12",
        "2026-01-01",
        "UT61E",
        "vizit",
        "BK-100",
        "73–144",
        "## Entrance 2",
    ] {
        assert!(text.contains(fact), "missing {fact:?} in\n{text}");
    }
    assert!(
        text.contains("| 75 -- |") || text.contains("| 75 --"),
        "{text}"
    );
}

#[test]
fn the_format_follows_the_file_extension() {
    let dir = tempfile::tempdir().expect("tmp");
    let sweep = write_sweep(dir.path(), "e2.csv", &[], None);
    for (name, start) in [
        ("r.html", "<!DOCTYPE html>"),
        ("r.csv", "entrance,matrix,tens,units,apartment,state"),
        ("r.json", "{"),
        ("r.md", "# "),
    ] {
        let out = dir.path().join(name);
        kmdiag()
            .arg("report")
            .arg(&sweep)
            .args(ENTRANCE)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(0);
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(text.starts_with(start), "{name}: {text:.80}");
    }
}

#[test]
fn dash_writes_the_report_to_stdout() {
    let dir = tempfile::tempdir().expect("tmp");
    let sweep = write_sweep(dir.path(), "e2.csv", &[], None);
    let out = kmdiag()
        .arg("report")
        .arg(&sweep)
        .args(ENTRANCE)
        .args(["--format", "json", "-o", "-"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON on stdout");
    assert_eq!(v["date"], "2026-01-01");
    assert_eq!(v["profile"], "vizit");
    assert!(!dir.path().join("-").exists(), "'-' is stdout, not a file");
}

#[test]
fn refuses_to_overwrite_a_report_without_force() {
    let dir = tempfile::tempdir().expect("tmp");
    let sweep = write_sweep(dir.path(), "e2.csv", &[], None);
    let out = dir.path().join("report.html");
    std::fs::write(&out, "keep me").expect("write");
    kmdiag()
        .arg("report")
        .arg(&sweep)
        .args(ENTRANCE)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("already exists").and(contains("--force")));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep me");
    kmdiag()
        .arg("report")
        .arg(&sweep)
        .args(ENTRANCE)
        .arg("-o")
        .arg(&out)
        .arg("--force")
        .assert()
        .code(0);
    assert!(
        std::fs::read_to_string(&out)
            .expect("read")
            .starts_with("<!DOCTYPE html>")
    );
}

#[test]
fn russian_comes_from_the_flag_or_the_locale() {
    let dir = tempfile::tempdir().expect("tmp");
    let sweep = write_sweep(dir.path(), "e2.csv", &[], None);
    let run = |lang_env: Option<&str>, flag: Option<&str>| {
        let mut c = kmdiag();
        c.arg("report")
            .arg(&sweep)
            .args(ENTRANCE)
            .args(["--format", "md", "-o", "-"]);
        if let Some(l) = lang_env {
            c.env("LANG", l);
        }
        if let Some(f) = flag {
            c.args(["--lang", f]);
        }
        String::from_utf8(c.assert().code(0).get_output().stdout.clone()).expect("UTF-8")
    };
    assert!(run(None, None).contains("# Intercom wiring report"));
    assert!(run(Some("ru_RU.UTF-8"), None).contains("# Отчёт о проверке"));
    assert!(run(None, Some("ru")).contains("| **Д0** |"));
    assert!(run(Some("ru_RU.UTF-8"), Some("en")).contains("# Intercom wiring report"));
}

#[test]
fn exits_1_like_diagnose_when_a_handset_is_shorted() {
    let dir = tempfile::tempdir().expect("tmp");
    let sweep = write_sweep(dir.path(), "bad.csv", &[80, 90, 100], Some(117));
    let diagnose = kmdiag()
        .arg("diagnose")
        .arg(&sweep)
        .args(ENTRANCE)
        .output()
        .expect("diagnose runs");
    let report = kmdiag()
        .arg("report")
        .arg(&sweep)
        .args(ENTRANCE)
        .arg("-o")
        .arg(dir.path().join("bad.md"))
        .output()
        .expect("report runs");
    assert_eq!(report.status.code(), diagnose.status.code());
    assert_eq!(report.status.code(), Some(1), "{report:?}");
    let text = std::fs::read_to_string(dir.path().join("bad.md")).expect("report written");
    assert!(text.contains("**apt 117** | D4/E5 | **short**"), "{text}");
}

#[test]
fn bad_arguments_exit_2_before_reading_anything() {
    let dir = tempfile::tempdir().expect("tmp");
    let sweep = write_sweep(dir.path(), "e2.csv", &[], None);
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["-o".into(), "-".into()], "--format"),
        (
            vec!["-o".into(), dir.path().join("r.pdf").display().to_string()],
            "cannot tell the format",
        ),
    ];
    for (extra, message) in cases {
        kmdiag()
            .arg("report")
            .arg(&sweep)
            .args(ENTRANCE)
            .args(&extra)
            .assert()
            .code(2)
            .stderr(contains(message));
    }
    kmdiag()
        .arg("report")
        .arg(&sweep)
        .args(["-o", "-", "--format", "md"])
        .assert()
        .code(2)
        .stderr(contains("pass --profile"));
    kmdiag()
        .arg("report")
        .arg(&sweep)
        .args(ENTRANCE)
        .args(["-o", "-", "--format", "md"])
        .env("SOURCE_DATE_EPOCH", "last tuesday")
        .assert()
        .code(2)
        .stderr(contains("SOURCE_DATE_EPOCH 'last tuesday'"));
    kmdiag()
        .arg("report")
        .arg(dir.path().join("missing.csv"))
        .args(ENTRANCE)
        .args(["-o", "-", "--format", "md"])
        .assert()
        .code(2)
        .stderr(contains("missing.csv"));
}
