//! End to end over real pseudo-terminals: the guided `kmdiag sweep` binary against a
//! simulated meter of every streaming protocol (and SCPI), with this test playing the
//! technician: it reads the prompts on stderr and moves the simulated probes (lift, wait,
//! probe) through the control channel. Full sweep, unplug + resume, garbage bytes, the wrong
//! mode, a silent meter.
// Pseudo-terminals are unix only; tests/tcp_transport.rs covers the same paths on every OS.
#![cfg(unix)]

use kmdiag::model::{Measurement, Reading, Terminal};
use kmdiag::profile::LineLabels;
use kmdiag::sim::Probe;
use kmdiag::sim::serve::control::ControlCommand;
use kmdiag::sim::serve::{DeviceKind, Served, spawn};
use std::io::Write;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Speed-up of the simulated meters: keeps each run to a second or two.
const SPEED: f64 = 25.0;

/// One model per protocol family.
const MODELS: &[&str] = &[
    "ut61e",
    "vc820",
    "ut61b",
    "vc940",
    "idm103n",
    "owon-xdm1041",
];

const PROFILE: &str = r#"
name = "tiny"
vendor = "Test"
numbering = "decimal"
default_switch = "T2x3"

[labels]
tens = "D"
units = "E"

[nominal_forward_ohms]
min = 600.0
max = 800.0

[[switch]]
model = "T2x3"
tens = 2
units = 3
matrices = 1
"#;

fn labels(dir: &Path) -> LineLabels {
    let p = kmdiag::profile::resolve(profile_path(dir).to_str().unwrap()).unwrap();
    let s = p.switch(None).unwrap().clone();
    p.line_labels(&s)
}

fn profile_path(dir: &Path) -> PathBuf {
    let path = dir.join("tiny.toml");
    if !path.exists() {
        std::fs::write(&path, PROFILE).unwrap();
    }
    path
}

/// Handsets on D0/E1, D1/E0 and D1/E2 (forward 700 + 20·units Ω, reverse OL); a short at
/// D0/E0 (12 Ω both ways).
fn expected(plus: Terminal, minus: Terminal) -> Reading {
    use kmdiag::model::LineKind::*;
    match (plus.kind, minus.kind, plus.index, minus.index) {
        (Tens, Units, 0, 0) | (Units, Tens, 0, 0) => Reading::Ohms(12.0),
        (Tens, Units, 0, 1) | (Tens, Units, 1, 0) | (Tens, Units, 1, 2) => {
            Reading::Ohms(700.0 + 20.0 * minus.index as f64)
        }
        _ => Reading::Open,
    }
}

struct TableProbe {
    labels: LineLabels,
}

impl Probe for TableProbe {
    fn measure(&mut self, plus: Terminal, minus: Terminal) -> Reading {
        expected(plus, minus)
    }
    fn labels(&self) -> &LineLabels {
        &self.labels
    }
}

struct Bench {
    dir: tempfile::TempDir,
    served: Served,
    link: PathBuf,
    interval: Duration,
    labels: LineLabels,
}

fn serve(model: &str) -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let labels = labels(dir.path());
    let m = kmdiag::acquire::meter::find_model(model).unwrap();
    let interval = m.interval.div_f64(SPEED);
    let link = dir.path().join("meter");
    let served = spawn(
        DeviceKind::Meter { model: m, interval },
        Box::new(TableProbe {
            labels: labels.clone(),
        }),
        Some(link.clone()),
    );
    served
        .path(Duration::from_secs(5))
        .expect("a pseudo-terminal");
    Bench {
        dir,
        served,
        link,
        interval,
        labels,
    }
}

/// What the technician does on a line of the sweep's stderr; returns false to stop moving.
/// The third argument is the sweep's standard input, for keys typed as lines.
type Hook<'a> = &'a mut dyn FnMut(&str, &Bench, &mut ChildStdin) -> bool;

/// Runs the guided sweep, moving the probes as prompted. Returns (exit code, stderr).
fn technician(b: &Bench, model: &str, out: &Path, extra: &[&str], hook: Hook) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmdiag"))
        .args(["sweep", "--meter", model, "--format", "json"])
        .arg("--profile")
        .arg(profile_path(b.dir.path()))
        .arg("--port")
        .arg(&b.link)
        .arg("-o")
        .arg(out)
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            for _ in 0..600 {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            // SAFETY: signalling our own child by pid.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        })
    };
    let stdout = child.stdout.take().unwrap();
    let stdout_reader =
        std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let mut log = String::new();
    let mut moving = true;
    let mut stdin = child.stdin.take().unwrap();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let Ok(line) = line else { break };
        log.push_str(&line);
        log.push('\n');
        if moving {
            moving = hook(&line, b, &mut stdin);
        }
        if moving && let Some(rest) = line.split("red on ").nth(1) {
            let red = rest.split(',').next().unwrap().trim();
            let black = rest
                .split("black on ")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .next()
                .unwrap();
            let (r, k) = (b.labels.parse(red).unwrap(), b.labels.parse(black).unwrap());
            if line.contains("next ") {
                // Lift the probes for a couple of packets, then put them on.
                b.served.apply(ControlCommand::Lift);
                std::thread::sleep(b.interval * 2);
                b.served.apply(ControlCommand::Probe(r, k));
            }
        }
    }
    drop(stdin);
    let status = child.wait().unwrap();
    done.store(true, Ordering::SeqCst);
    let _ = watchdog.join();
    let stdout = stdout_reader.join().unwrap();
    if matches!(status.code(), Some(0 | 1)) {
        let report: serde_json::Value =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{log}"));
        assert!(!report.is_null());
    }
    (status.code().unwrap_or(-1), log)
}

fn rows(b: &Bench, out: &Path) -> Vec<Measurement> {
    let text = std::fs::read_to_string(out).unwrap();
    let (sweep, _) = kmdiag::sweep::parse_sweep(&text, out, &b.labels).expect("readable");
    sweep.measurements()
}

fn close(a: Reading, b: Reading) -> bool {
    match (a, b) {
        (Reading::Open, Reading::Open) => true,
        (Reading::Ohms(x), Reading::Ohms(y)) => (x - y).abs() <= 0.005 * y.max(1.0),
        _ => false,
    }
}

fn assert_complete_and_correct(b: &Bench, out: &Path, log: &str) {
    let got = rows(b, out);
    assert_eq!(got.len(), 12, "2×3 both ways\n{log}");
    for m in got {
        assert!(
            close(m.reading, expected(m.plus, m.minus)),
            "{:?} → {:?}: {:?}\n{log}",
            m.plus,
            m.minus,
            m.reading
        );
    }
}

fn no_hook(_: &str, _: &Bench, _: &mut ChildStdin) -> bool {
    true
}

#[test]
fn guided_sweep_of_every_protocol_is_complete_and_correct() {
    for model in MODELS {
        let b = serve(model);
        let out = b.dir.path().join("sweep.csv");
        let (code, log) = technician(&b, model, &out, &[], &mut no_hook);
        assert!(matches!(code, 0 | 1), "{model}: exit {code}\n{log}");
        assert_eq!(
            log.matches('\x07').count(),
            12,
            "{model}: a bell per capture\n{log}"
        );
        assert_complete_and_correct(&b, &out, &log);
    }
}

#[test]
fn unplugged_meter_keeps_the_partial_file_and_resume_completes_it() {
    for model in MODELS {
        let b = serve(model);
        let out = b.dir.path().join("sweep.csv");
        let mut captured = 0;
        let mut unplug = |line: &str, b: &Bench, _: &mut ChildStdin| {
            if line.contains("captured") {
                captured += 1;
                if captured == 5 {
                    b.served.apply(ControlCommand::Unplug(None));
                    return false;
                }
            }
            true
        };
        let (code, log) = technician(&b, model, &out, &[], &mut unplug);
        assert_eq!(code, 3, "{model}\n{log}");
        assert!(
            log.contains("--resume") && log.contains("keeps the 5 of 12"),
            "{model}\n{log}"
        );
        assert_eq!(rows(&b, &out).len(), 5, "{model}\n{log}");
        b.served.apply(ControlCommand::Plug);
        b.served
            .control
            .wait_for(Duration::from_secs(5), |s| s.path.is_some());
        let (code, log) = technician(&b, model, &out, &["--resume"], &mut no_hook);
        assert!(matches!(code, 0 | 1), "{model}: exit {code}\n{log}");
        assert!(log.contains("7 points to measure"), "{model}\n{log}");
        assert_complete_and_correct(&b, &out, &log);
    }
}

#[test]
fn garbage_bytes_in_the_stream_do_not_change_a_reading() {
    for model in MODELS {
        let b = serve(model);
        b.served.apply(ControlCommand::Noise(true));
        let out = b.dir.path().join("sweep.csv");
        let (code, log) = technician(&b, model, &out, &[], &mut no_hook);
        assert!(matches!(code, 0 | 1), "{model}: exit {code}\n{log}");
        assert_complete_and_correct(&b, &out, &log);
    }
}

#[test]
fn a_meter_in_the_wrong_mode_is_told_what_to_switch_to() {
    for model in MODELS {
        let b = serve(model);
        b.served
            .apply(ControlCommand::Mode(kmdiag::acquire::meter::Mode::Diode));
        let out = b.dir.path().join("sweep.csv");
        let mut turn_dial = |line: &str, b: &Bench, _: &mut ChildStdin| {
            if line.contains("diode mode") {
                b.served.apply(ControlCommand::Mode(
                    kmdiag::acquire::meter::Mode::Resistance,
                ));
            }
            true
        };
        let (code, log) = technician(&b, model, &out, &[], &mut turn_dial);
        assert!(log.contains("the meter is in diode mode"), "{model}\n{log}");
        assert!(matches!(code, 0 | 1), "{model}: exit {code}\n{log}");
        assert_complete_and_correct(&b, &out, &log);
    }
}

#[test]
fn a_powered_line_says_disconnect_the_panel() {
    let b = serve("ut61e");
    b.served.apply(ControlCommand::Mode(
        kmdiag::acquire::meter::Mode::VoltageDc,
    ));
    b.served.apply(ControlCommand::Volts(12.0));
    let out = b.dir.path().join("sweep.csv");
    let mut quit_after_warning = |line: &str, b: &Bench, _: &mut ChildStdin| {
        if line.contains("powered") {
            b.served.apply(ControlCommand::Unplug(None));
            return false;
        }
        true
    };
    let (code, log) = technician(&b, "ut61e", &out, &[], &mut quit_after_warning);
    assert!(log.contains("disconnect the panel"), "{log}");
    assert_eq!(code, 3, "{log}");
    assert!(!out.exists(), "nothing measured, no file");
}

#[test]
fn a_silent_meter_exits_3_with_the_pc_link_hint() {
    for model in MODELS {
        let b = serve(model);
        b.served.apply(ControlCommand::Silent(true));
        let out = b.dir.path().join("sweep.csv");
        let (code, log) = technician(&b, model, &out, &["--timeout", "1"], &mut no_hook);
        assert_eq!(code, 3, "{model}\n{log}");
        assert!(
            log.contains("no valid data") || log.contains("no reply"),
            "{model}\n{log}"
        );
        assert!(log.contains("port"), "{model}\n{log}");
        assert!(!out.exists());
    }
}

#[test]
fn keys_redo_skip_and_quit_work_when_stdin_is_not_a_terminal() {
    let b = serve("ut61e");
    let out = b.dir.path().join("sweep.csv");
    let mut captured = 0;
    let mut keys = |line: &str, _: &Bench, stdin: &mut ChildStdin| {
        if line.contains("captured") {
            captured += 1;
            let key = match captured {
                1 => "r\n",
                3 => "s\n",
                5 => "q\n",
                _ => return true,
            };
            stdin.write_all(key.as_bytes()).unwrap();
            stdin.flush().unwrap();
        }
        true
    };
    let (code, log) = technician(&b, "ut61e", &out, &[], &mut keys);
    assert!(log.contains("measuring the last point again"), "{log}");
    assert!(log.contains("skipped"), "{log}");
    assert_eq!(code, 2, "quit leaves an incomplete sweep\n{log}");
    assert!(log.contains("--resume"), "{log}");
    // Five captures: point 1 twice (redo), then 2, then 4 and 5 (3 was skipped), maybe 6
    // before the quit key arrived. Point 1 appears once in the sweep (the later wins).
    let got = rows(&b, &out);
    assert!((4..=5).contains(&got.len()), "{} rows\n{log}", got.len());
    for m in got {
        assert!(close(m.reading, expected(m.plus, m.minus)), "{log}");
    }
}
