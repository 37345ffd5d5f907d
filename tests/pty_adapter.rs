//! End to end over real pseudo-terminals: the `kmdiag sweep --meter adapter` binary against
//! the simulated scanning adapter (docs/adapter-protocol.md) serving a small deterministic
//! entrance. Full sweep, unplug + resume, noise, a powered line, a silent adapter.
// Pseudo-terminals are unix only; tests/tcp_transport.rs covers the same paths on every OS.
#![cfg(unix)]

use assert_cmd::Command;
use kmdiag::model::{Measurement, Reading, Terminal};
use kmdiag::profile::LineLabels;
use kmdiag::sim::Probe;
use kmdiag::sim::serve::control::ControlCommand;
use kmdiag::sim::serve::{DeviceKind, Served, spawn};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A fixed entrance: handsets on a few cells (forward 700 + 10·units Ω, reverse OL), one
/// shorted handset at D4/E4 (12 Ω both ways), everything else open.
struct TableProbe {
    labels: LineLabels,
}

fn eltis_labels() -> LineLabels {
    let p = kmdiag::profile::resolve("eltis").unwrap();
    let s = p.switch(None).unwrap().clone();
    p.line_labels(&s)
}

fn expected(plus: Terminal, minus: Terminal) -> Reading {
    use kmdiag::model::LineKind::*;
    let handset = |d: u16, e: u16| (d + e).is_multiple_of(3);
    match (plus.kind, minus.kind) {
        (Tens, Units) if plus.index == 4 && minus.index == 4 => Reading::Ohms(12.0),
        (Units, Tens) if plus.index == 4 && minus.index == 4 => Reading::Ohms(12.0),
        (Tens, Units) if handset(plus.index, minus.index) => {
            Reading::Ohms(700.0 + 10.0 * minus.index as f64)
        }
        _ => Reading::Open,
    }
}

impl Probe for TableProbe {
    fn measure(&mut self, plus: Terminal, minus: Terminal) -> Reading {
        expected(plus, minus)
    }
    fn labels(&self) -> &LineLabels {
        &self.labels
    }
}

fn serve(dir: &Path, reading_ms: u64) -> (Served, PathBuf) {
    let link = dir.join("adapter");
    let served = spawn(
        DeviceKind::Adapter {
            reading_time: Duration::from_millis(reading_ms),
        },
        Box::new(TableProbe {
            labels: eltis_labels(),
        }),
        Some(link.clone()),
    );
    served
        .path(Duration::from_secs(5))
        .expect("the simulated adapter has a pseudo-terminal");
    (served, link)
}

fn sweep_cmd(link: &Path, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kmdiag").unwrap();
    cmd.args([
        "sweep",
        "--meter",
        "adapter",
        "--profile",
        "eltis",
        "--format",
        "json",
    ])
    .arg("--port")
    .arg(link)
    .arg("-o")
    .arg(out)
    .timeout(Duration::from_secs(60));
    cmd
}

/// The finished sweep was diagnosed: exit 0 (healthy) or 1 (faults) and the JSON report.
fn diagnosed(assert: assert_cmd::assert::Assert) -> assert_cmd::assert::Assert {
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        output.status.code()
    );
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert!(!report.is_null());
    assert
}

fn rows(out: &Path) -> Vec<Measurement> {
    let text = std::fs::read_to_string(out).unwrap();
    let (sweep, _) =
        kmdiag::sweep::parse_sweep(&text, out, &eltis_labels()).expect("a readable sweep file");
    sweep.measurements()
}

fn assert_complete_and_correct(out: &Path) {
    let got = rows(out);
    let want = kmdiag::acquire::adapter::frame::sweep_order(10, 10, true);
    assert_eq!(got.len(), want.len(), "every measurement once");
    for m in got {
        assert_eq!(
            m.reading,
            expected(m.plus, m.minus),
            "{:?} → {:?}",
            m.plus,
            m.minus
        );
    }
}

#[test]
fn full_adapter_sweep_writes_every_reading_and_diagnoses_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_served, link) = serve(dir.path(), 1);
    let out = dir.path().join("sweep.csv");
    diagnosed(sweep_cmd(&link, &out).assert());
    assert_complete_and_correct(&out);
}

#[test]
fn unplugged_mid_sweep_keeps_the_partial_file_and_resume_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (served, link) = serve(dir.path(), 1);
    served.apply(ControlCommand::Unplug(Some(120)));
    let out = dir.path().join("sweep.csv");
    let assert = sweep_cmd(&link, &out).assert().code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("--resume") && stderr.contains("sweep.csv keeps"),
        "{stderr}"
    );
    let partial = rows(&out);
    assert!(
        !partial.is_empty() && partial.len() <= 120,
        "{} rows",
        partial.len()
    );
    for m in &partial {
        assert_eq!(m.reading, expected(m.plus, m.minus));
    }
    // Without --resume the partial file is not overwritten.
    sweep_cmd(&link, &out).assert().code(2);
    served.apply(ControlCommand::Plug);
    served
        .control
        .wait_for(Duration::from_secs(5), |s| s.path.is_some());
    diagnosed(sweep_cmd(&link, &out).arg("--resume").assert());
    assert_complete_and_correct(&out);
}

#[test]
fn garbage_on_the_line_is_asked_for_again() {
    let dir = tempfile::tempdir().unwrap();
    let (served, link) = serve(dir.path(), 1);
    served.apply(ControlCommand::Noise(true));
    let out = dir.path().join("sweep.csv");
    let assert = diagnosed(sweep_cmd(&link, &out).assert());
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("garbled"), "{stderr}");
    assert_complete_and_correct(&out);
}

#[test]
fn a_powered_line_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (served, link) = serve(dir.path(), 1);
    served.apply(ControlCommand::Volts(12.0));
    let out = dir.path().join("sweep.csv");
    let assert = sweep_cmd(&link, &out).assert().code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("powered") && stderr.contains("disconnect the panel"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_silent_adapter_exits_3_with_what_to_check() {
    let dir = tempfile::tempdir().unwrap();
    let (served, link) = serve(dir.path(), 1);
    served.apply(ControlCommand::Silent(true));
    let out = dir.path().join("sweep.csv");
    let assert = sweep_cmd(&link, &out)
        .args(["--timeout", "1"])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("did not answer") && stderr.contains("kmdiag ports"),
        "{stderr}"
    );
}

#[test]
fn a_missing_port_exits_3_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep.csv");
    let assert = sweep_cmd(&dir.path().join("nope"), &out).assert().code(3);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("nope") && stderr.contains("kmdiag ports"),
        "{stderr}"
    );
}

#[test]
fn bad_arguments_fail_before_the_port_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep.csv");
    // The port does not exist: these must fail on the argument first (exit 2, not 3).
    let port = dir.path().join("nope");
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--meter",
                "ut61e",
                "--profile",
                "eltis",
                "--tolerance",
                "80",
            ],
            "--tolerance 80",
        ),
        (
            &[
                "--meter",
                "ut61e",
                "--profile",
                "eltis",
                "--stable-count",
                "0",
            ],
            "--stable-count 0",
        ),
        (
            &["--meter", "ut99", "--profile", "eltis"],
            "unknown meter 'ut99'",
        ),
        (&["--meter", "adapter", "--profile", "nosuch"], "nosuch"),
    ];
    for (extra, message) in cases {
        let mut cmd = Command::cargo_bin("kmdiag").unwrap();
        cmd.arg("sweep")
            .args(extra)
            .arg("--port")
            .arg(&port)
            .arg("-o")
            .arg(&out);
        let assert = cmd.assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(message), "{extra:?}: {stderr}");
    }
    std::fs::write(&out, "plus,minus,ohms\n").unwrap();
    let assert = sweep_cmd(&port, &out).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("--resume") && stderr.contains("--force"),
        "{stderr}"
    );
}
