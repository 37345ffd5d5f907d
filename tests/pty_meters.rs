//! End to end over real pseudo-terminals: the guided `kmdiag sweep` binary against a
//! simulated meter of every streaming protocol (and SCPI), with this test playing the
//! technician. It reads the prompts on stderr, checks for voltage, moves the simulated probes
//! (lift, wait, probe) through the control channel, and presses Enter where a technician would:
//! on an OL crossing, which it sees on the display (a twin of the simulated entrance), and when
//! asked to confirm a reading like the last one.
//!
//! Waits are counted in meter packets (`ControlState::sent`), not guessed with the clock, and
//! after a key that changes the point (redo, skip, stop) the technician ignores prompts until
//! the sweep has answered the key — as a person reads the newest line, not one printed before
//! the key arrived. Acting on such a stale prompt is what made the old redo/skip/quit test fail
//! about once in seven runs: the probes went to the next point while the sweep had gone back.
//!
//! Meters run `SPEED` times faster than real ones: "30 s" below is 30 s of meter time, the
//! same number of packets a real meter sends in 30 s.

// Pseudo-terminals and signals are unix only; tests/tcp_transport.rs covers the same paths on
// every OS.
#![cfg(unix)]

use kmdiag::model::{Measurement, Reading, Terminal};
use kmdiag::profile::{Layout, LayoutSpec, LineLabels, parse_apartments, resolve};
use kmdiag::sim::serve::control::ControlCommand;
use kmdiag::sim::serve::{DeviceKind, Served, spawn};
use kmdiag::sim::{Probe, Scenario, SimEntrance, parse_fault};
use std::io::Write;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
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

/// Handsets on D0/E1, D1/E0 and D1/E2 (forward 700 + 20·units Ω, reverse OL); a short at
/// D0/E0 (12 Ω both ways). Guided order: D0/E0 12, D1/E0 700, D0/E1 720, D1/E1 OL, D0/E2 OL,
/// D1/E2 740, then the six reverse points.
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

/// A simulated meter on a pseudo-terminal, and what the technician needs to know about it.
struct Bench {
    dir: tempfile::TempDir,
    served: Served,
    link: PathBuf,
    labels: LineLabels,
    /// `kmdiag sweep` options naming the entrance.
    entrance: Vec<String>,
    /// What the technician sees on the display: a twin of the served entrance.
    eyes: Mutex<Box<dyn Probe>>,
}

impl Bench {
    /// Packets sent so far.
    fn sent(&self) -> u64 {
        self.served.control.state().sent
    }

    /// Waits until the meter has sent `n` more packets (at most 10 s).
    fn packets(&self, n: u64) {
        let target = self.sent() + n;
        let ok = self
            .served
            .control
            .wait_for(Duration::from_secs(10), |s| s.sent >= target || s.quit);
        assert!(ok, "the simulated meter stopped sending");
    }

    fn apply(&self, c: ControlCommand) {
        self.served.apply(c);
    }

    fn shows_open(&self, plus: Terminal, minus: Terminal) -> bool {
        !self.eyes.lock().unwrap().measure(plus, minus).is_finite()
    }
}

/// The tiny 2×3 table entrance behind a meter of `model`.
fn serve(model: &str) -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.toml");
    std::fs::write(&path, PROFILE).unwrap();
    let p = resolve(path.to_str().unwrap()).unwrap();
    let labels = p.line_labels(p.switch(None).unwrap());
    let probe = |labels: &LineLabels| {
        Box::new(TableProbe {
            labels: labels.clone(),
        })
    };
    let entrance = vec!["--profile".into(), path.display().to_string()];
    start(
        model,
        dir,
        labels.clone(),
        probe(&labels),
        probe(&labels),
        entrance,
    )
}

fn start(
    model: &str,
    dir: tempfile::TempDir,
    labels: LineLabels,
    probe: Box<dyn Probe>,
    eyes: Box<dyn Probe>,
    entrance: Vec<String>,
) -> Bench {
    let m = kmdiag::acquire::meter::find_model(model).unwrap();
    let link = dir.path().join("meter");
    let served = spawn(
        DeviceKind::Meter {
            model: m,
            interval: m.interval.div_f64(SPEED),
        },
        probe,
        Some(link.clone()),
    );
    served
        .path(Duration::from_secs(5))
        .expect("a pseudo-terminal");
    Bench {
        dir,
        served,
        link,
        labels,
        entrance,
        eyes: Mutex::new(eyes),
    }
}

/// The technician: where the probes are, and the sweep's standard input for keys.
struct Tech<'a> {
    b: &'a Bench,
    stdin: ChildStdin,
    pid: i32,
    /// Packets a probe spends in the air when it moves to the next terminal.
    lift_packets: u64,
    /// After a key that changes the point: prompts are stale until a line contains this.
    await_ack: Option<&'static str>,
    /// The technician pressed Enter to take the current point and has not seen it taken.
    confirming: bool,
    /// What happened, interleaved with the sweep's stderr.
    log: String,
    /// Everything the sweep has printed on stderr so far, read as it comes (the lines in
    /// `log` arrive only as the technician gets to them).
    seen: Arc<Mutex<String>>,
}

/// What a hook did with a line.
enum Flow {
    /// Let the technician act as usual.
    Default,
    /// The hook acted; nothing more on this line.
    Handled,
    /// Stop acting altogether (the sweep is left to end on its own).
    Stop,
}

/// The two terminals after `marker` in a line: "red on D0, black on E1" or "on D0 and E1".
fn two_terminals(line: &str, labels: &LineLabels) -> Option<(Terminal, Terminal)> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':')
        .filter(|w| !w.is_empty())
        .collect();
    let found: Vec<Terminal> = words.iter().filter_map(|w| labels.parse(w)).collect();
    (found.len() >= 2).then(|| (found[0], found[1]))
}

impl Tech<'_> {
    /// Points the sweep has said it captured so far.
    fn captures_seen(&self) -> usize {
        self.seen.lock().unwrap().matches("captured ").count()
    }

    fn note(&mut self, what: &str) {
        self.log.push_str(&format!("TECH: {what}\n"));
    }

    /// Lifts the probes and keeps them in the air for `lift_packets` packets.
    fn lift(&mut self) {
        self.b.apply(ControlCommand::Lift);
        self.b.packets(self.lift_packets);
    }

    /// Lifts, then puts the probes on `point`.
    fn place(&mut self, (plus, minus): (Terminal, Terminal)) {
        self.lift();
        self.b.apply(ControlCommand::Probe(plus, minus));
        self.note(&format!("placed {plus:?} {minus:?}"));
    }

    /// Looks at the display for two packets, then presses Enter.
    fn enter(&mut self) {
        self.b.packets(2);
        self.type_line("");
        self.confirming = true;
    }

    fn type_line(&mut self, text: &str) {
        self.note(&format!("typed {text:?}"));
        // The sweep may have ended meanwhile: a closed pipe is not the test's failure.
        let _ = writeln!(self.stdin, "{text}").and_then(|_| self.stdin.flush());
    }

    /// Presses a key that changes the point, and waits for the sweep to answer it.
    fn press(&mut self, key: &str, ack: &'static str) {
        self.type_line(key);
        self.await_ack = Some(ack);
    }

    /// What a technician does on a line of the sweep's stderr.
    fn act(&mut self, line: &str) {
        let is_prompt = line.contains("next ") && line.contains("red on ");
        if let Some(ack) = self.await_ack {
            if line.contains(ack) {
                self.await_ack = None;
            }
            if is_prompt || line.contains(ack) {
                return;
            }
        }
        let labels = self.b.labels.clone();
        if line.contains("captured") || is_prompt || line.contains("no voltage between") {
            self.confirming = false;
        }
        if line.contains("checking for voltage") || line.contains("voltage check comes first") {
            let point = two_terminals(line.split("probes on").nth(1).unwrap(), &labels).unwrap();
            self.b.apply(ControlCommand::Mode(
                kmdiag::acquire::meter::Mode::VoltageDc,
            ));
            self.place(point);
            self.enter();
        } else if line.contains("turn the dial to Ω") {
            self.b.apply(ControlCommand::Mode(
                kmdiag::acquire::meter::Mode::Resistance,
            ));
        } else if is_prompt {
            let (plus, minus) =
                two_terminals(line.split("red on").nth(1).unwrap(), &labels).unwrap();
            self.place((plus, minus));
            if self.b.shows_open(plus, minus) {
                self.enter();
            }
        } else if line.contains(", like the last point (") {
            self.enter();
        } else if self.confirming
            && (line.contains("still changing") || line.contains("no reading since the prompt"))
        {
            // An Enter that came too early for the sweep: look again, press again.
            self.enter();
        } else if line.contains("lift the probes off the terminals first") {
            let point = two_terminals(line.split("put them on").nth(1).unwrap(), &labels).unwrap();
            self.place(point);
        }
    }
}

/// What a hook sees and may do on each line before the technician acts.
type Hook<'a> = &'a mut dyn FnMut(&str, &mut Tech) -> Flow;

/// Exit code, stderr (with the technician's notes), stdout.
struct Outcome {
    code: i32,
    log: String,
    stdout: String,
}

/// Runs the guided sweep with the technician. Returns (exit code, stderr).
fn technician(b: &Bench, model: &str, out: &Path, extra: &[&str], hook: Hook) -> Outcome {
    technician_at(b, model, out, extra, 2, hook)
}

fn technician_at(
    b: &Bench,
    model: &str,
    out: &Path,
    extra: &[&str],
    lift_packets: u64,
    hook: Hook,
) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kmdiag"))
        .args(["sweep", "--meter", model, "--format", "json"])
        .args(&b.entrance)
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
            for _ in 0..1200 {
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
    let seen = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let stderr_reader = {
        let seen = seen.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                seen.lock().unwrap().push_str(&format!("{line}\n"));
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
    };
    let mut tech = Tech {
        b,
        stdin: child.stdin.take().unwrap(),
        pid,
        lift_packets,
        await_ack: None,
        confirming: false,
        log: String::new(),
        seen,
    };
    let mut acting = true;
    for line in rx {
        tech.log.push_str(&line);
        tech.log.push('\n');
        if !acting {
            continue;
        }
        match hook(&line, &mut tech) {
            Flow::Default => tech.act(&line),
            Flow::Handled => {}
            Flow::Stop => acting = false,
        }
    }
    let Tech { stdin, log, .. } = tech;
    drop(stdin);
    let status = child.wait().unwrap();
    let _ = stderr_reader.join();
    done.store(true, Ordering::SeqCst);
    let _ = watchdog.join();
    let stdout = stdout_reader.join().unwrap();
    if matches!(status.code(), Some(0 | 1)) {
        let report: serde_json::Value =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{log}"));
        assert!(!report.is_null());
    }
    Outcome {
        code: status.code().unwrap_or(-1),
        log,
        stdout,
    }
}

/// The rows of the file, and the parser's warnings (a point measured twice warns).
fn rows(b: &Bench, out: &Path) -> (Vec<Measurement>, usize) {
    let text = std::fs::read_to_string(out).unwrap();
    let (sweep, warnings) = kmdiag::sweep::parse_sweep(&text, out, &b.labels).expect("readable");
    (sweep.measurements(), warnings.len())
}

fn close(a: Reading, b: Reading) -> bool {
    match (a, b) {
        (Reading::Open, Reading::Open) => true,
        (Reading::Ohms(x), Reading::Ohms(y)) => (x - y).abs() <= 0.005 * y.max(1.0),
        _ => false,
    }
}

fn assert_rows_correct(b: &Bench, out: &Path, n: usize, log: &str) {
    let (got, warnings) = rows(b, out);
    assert_eq!(got.len(), n, "{log}");
    assert_eq!(warnings, 0, "no point twice in the file\n{log}");
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

fn assert_complete_and_correct(b: &Bench, out: &Path, log: &str) {
    assert_rows_correct(b, out, 12, log);
}

fn no_hook(_: &str, _: &mut Tech) -> Flow {
    Flow::Default
}

#[test]
fn guided_sweep_of_every_protocol_is_complete_and_correct() {
    for model in MODELS {
        let b = serve(model);
        let out = b.dir.path().join("sweep.csv");
        let r = technician(&b, model, &out, &[], &mut no_hook);
        assert!(
            matches!(r.code, 0 | 1),
            "{model}: exit {}\n{}",
            r.code,
            r.log
        );
        assert!(r.log.contains("checking for voltage"), "{}", r.log);
        assert_eq!(
            r.log.matches('\x07').count(),
            12,
            "{model}: a bell per capture\n{}",
            r.log
        );
        assert_complete_and_correct(&b, &out, &r.log);
    }
}

#[test]
fn unplugged_meter_keeps_the_partial_file_and_resume_completes_it() {
    for model in MODELS {
        let b = serve(model);
        let out = b.dir.path().join("sweep.csv");
        let mut captured = 0;
        let mut unplug = |line: &str, t: &mut Tech| {
            if line.contains("captured") {
                captured += 1;
                if captured == 5 {
                    t.b.apply(ControlCommand::Unplug(None));
                    return Flow::Stop;
                }
            }
            Flow::Default
        };
        let r = technician(&b, model, &out, &[], &mut unplug);
        assert_eq!(r.code, 3, "{model}\n{}", r.log);
        assert!(
            r.log.contains("--resume") && r.log.contains("keeps 5 of 12 readings"),
            "{model}\n{}",
            r.log
        );
        assert_rows_correct(&b, &out, 5, &r.log);
        b.apply(ControlCommand::Plug);
        b.served
            .control
            .wait_for(Duration::from_secs(5), |s| s.path.is_some());
        let r = technician(&b, model, &out, &["--resume"], &mut no_hook);
        assert!(
            matches!(r.code, 0 | 1),
            "{model}: exit {}\n{}",
            r.code,
            r.log
        );
        assert!(
            r.log.contains("holds 5 of 12 readings"),
            "{model}\n{}",
            r.log
        );
        assert!(r.log.contains("7 points to measure"), "{model}\n{}", r.log);
        assert_complete_and_correct(&b, &out, &r.log);
    }
}

#[test]
fn garbage_bytes_in_the_stream_do_not_change_a_reading() {
    for model in MODELS {
        let b = serve(model);
        b.apply(ControlCommand::Noise(true));
        let out = b.dir.path().join("sweep.csv");
        let r = technician(&b, model, &out, &[], &mut no_hook);
        assert!(
            matches!(r.code, 0 | 1),
            "{model}: exit {}\n{}",
            r.code,
            r.log
        );
        assert_complete_and_correct(&b, &out, &r.log);
    }
}

#[test]
fn a_meter_in_the_wrong_mode_is_told_what_to_switch_to() {
    for model in MODELS {
        let b = serve(model);
        let out = b.dir.path().join("sweep.csv");
        let mut wrong_turn = |line: &str, t: &mut Tech| {
            if line.contains("turn the dial to Ω") {
                // One click too far: diode instead of Ω.
                t.b.apply(ControlCommand::Mode(kmdiag::acquire::meter::Mode::Diode));
                return Flow::Handled;
            }
            if line.contains("diode mode") {
                t.b.apply(ControlCommand::Mode(
                    kmdiag::acquire::meter::Mode::Resistance,
                ));
            }
            Flow::Default
        };
        let r = technician(&b, model, &out, &[], &mut wrong_turn);
        assert!(
            r.log.contains("the meter is in diode mode"),
            "{model}\n{}",
            r.log
        );
        assert!(
            matches!(r.code, 0 | 1),
            "{model}: exit {}\n{}",
            r.code,
            r.log
        );
        assert_complete_and_correct(&b, &out, &r.log);
    }
}

#[test]
fn a_powered_line_says_disconnect_the_panel_and_nothing_is_measured() {
    let b = serve("ut61e");
    b.apply(ControlCommand::Volts(12.0));
    let out = b.dir.path().join("sweep.csv");
    let mut powered = 0;
    let mut quit_after_warning = |line: &str, t: &mut Tech| {
        if line.contains("powered") {
            powered += 1;
            // Pressing Enter anyway does not get past a powered line.
            t.enter();
            t.b.packets(4);
            t.b.apply(ControlCommand::Unplug(None));
            return Flow::Stop;
        }
        Flow::Default
    };
    let r = technician(&b, "ut61e", &out, &[], &mut quit_after_warning);
    assert!(r.log.contains("disconnect the panel"), "{}", r.log);
    assert_eq!(powered, 1, "{}", r.log);
    assert!(!r.log.contains("next 1/"), "{}", r.log);
    assert_eq!(r.code, 3, "{}", r.log);
    assert!(!out.exists(), "nothing measured, no file");
}

#[test]
fn a_silent_meter_exits_3_with_the_pc_link_hint() {
    for model in MODELS {
        let b = serve(model);
        b.apply(ControlCommand::Silent(true));
        let out = b.dir.path().join("sweep.csv");
        let mut wait = |_: &str, _: &mut Tech| Flow::Handled;
        let r = technician(&b, model, &out, &["--timeout", "1"], &mut wait);
        assert_eq!(r.code, 3, "{model}\n{}", r.log);
        assert!(
            r.log.contains("no valid data") || r.log.contains("no reply"),
            "{model}\n{}",
            r.log
        );
        assert!(r.log.contains("port"), "{model}\n{}", r.log);
        let raw_duration = r
            .log
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .any(|w| w.split('.').nth(1).is_some_and(|d| d.len() > 3));
        assert!(!raw_duration, "durations in seconds: {}", r.log);
        assert!(!out.exists());
    }
}

/// One run of the redo/skip/stop keys: redo after the first capture, skip after the third,
/// stop after the fifth. Returns the stderr.
fn redo_skip_stop(b: &Bench, out: &Path) -> String {
    let mut captured = 0;
    let mut keys = |line: &str, t: &mut Tech| {
        if line.contains("captured") {
            captured += 1;
            match captured {
                1 => t.press("r", "measuring the last point again"),
                // The Russian layout's ы is s.
                3 => t.press("ы", "skipped"),
                5 => t.press("q", "stopped by the technician"),
                _ => return Flow::Default,
            }
            return Flow::Handled;
        }
        Flow::Default
    };
    let r = technician(b, "ut61e", out, &[], &mut keys);
    assert!(
        r.log.contains("measuring the last point again"),
        "{}",
        r.log
    );
    assert!(r.log.contains("skipped"), "{}", r.log);
    assert_eq!(r.code, 5, "q stops the sweep and keeps the file\n{}", r.log);
    assert!(
        r.log.contains("sweep stopped by the technician"),
        "{}",
        r.log
    );
    assert!(r.log.contains("--resume"), "{}", r.log);
    // Five captures: point 1 twice (redo), then 2, then 4 and 5 (3 was skipped). The redone
    // point is in the file once: its first capture was held back and taken back.
    assert_rows_correct(b, out, 4, &r.log);
    r.log
}

#[test]
fn keys_redo_skip_and_stop_work_the_same_fifty_runs_in_a_row() {
    let b = serve("ut61e");
    for run in 0..50 {
        let out = b.dir.path().join(format!("sweep{run}.csv"));
        let log = redo_skip_stop(&b, &out);
        assert!(log.contains("keeps 4 of 12 readings"), "run {run}\n{log}");
        if run == 0 {
            // The stop message and the resume agree on the count.
            let mut stop_at_once = |line: &str, t: &mut Tech| {
                if line.contains("next 1/") {
                    t.press("q", "stopped");
                    return Flow::Handled;
                }
                Flow::Default
            };
            let r = technician(&b, "ut61e", &out, &["--resume"], &mut stop_at_once);
            assert!(r.log.contains("holds 4 of 12 readings"), "{}", r.log);
            assert!(r.log.contains("8 points to measure"), "{}", r.log);
            assert!(r.log.contains("keeps 4 of 12 readings"), "{}", r.log);
            assert_eq!(r.code, 5, "{}", r.log);
        }
    }
}

#[test]
fn ctrl_c_exits_130_and_keeps_the_file() {
    let b = serve("ut61e");
    let out = b.dir.path().join("sweep.csv");
    let mut captured = 0;
    let mut interrupt = |line: &str, t: &mut Tech| {
        if line.contains("captured") {
            captured += 1;
            if captured == 3 {
                // SAFETY: signalling our own child by pid.
                unsafe {
                    libc::kill(t.pid, libc::SIGINT);
                }
                return Flow::Stop;
            }
        }
        Flow::Default
    };
    let r = technician(&b, "ut61e", &out, &[], &mut interrupt);
    assert_eq!(r.code, 130, "{}", r.log);
    assert!(r.log.contains("interrupted (Ctrl-C)"), "{}", r.log);
    assert!(r.log.contains("keeps 3 of 12 readings"), "{}", r.log);
    assert_rows_correct(&b, &out, 3, &r.log);
}

/// Packets a real UT61E sends in 30 s (one every 0.5 s).
const THIRTY_SECONDS: u64 = 60;

#[test]
fn probes_lifted_and_left_in_the_air_for_30_s_record_nothing() {
    let b = serve("ut61e");
    let out = b.dir.path().join("sweep.csv");
    let mut recorded_in_the_air = Vec::new();
    let mut away = |line: &str, t: &mut Tech| {
        // Point 1 (the first of the run) and point 3 (after a finite point): the probes go
        // up and the technician looks at the wiring for 30 s before placing them.
        if line.contains("next 1/") || line.contains("next 3/") {
            let before = t.captures_seen();
            t.lift();
            t.b.packets(THIRTY_SECONDS);
            recorded_in_the_air.push(t.captures_seen() - before);
            return Flow::Default;
        }
        if line.contains("captured D0 → E1") {
            t.press("q", "stopped");
            return Flow::Handled;
        }
        Flow::Default
    };
    let r = technician(&b, "ut61e", &out, &[], &mut away);
    assert_eq!(recorded_in_the_air, vec![0, 0], "{}", r.log);
    assert_eq!(r.code, 5, "{}", r.log);
    assert_rows_correct(&b, &out, 3, &r.log);
}

#[test]
fn probes_left_on_the_previous_crossing_record_nothing_for_the_next() {
    let b = serve("ut61e");
    let out = b.dir.path().join("sweep.csv");
    let mut recorded_while_still = Vec::new();
    let mut stay = |line: &str, t: &mut Tech| {
        // Point 3 after a finite point (700 Ω shown, 720 Ω expected), point 5 after an OL
        // one (OL shown and expected): the technician forgets to move for 30 s, then moves.
        if line.contains("next 3/") || line.contains("next 5/") {
            let before = t.captures_seen();
            t.b.packets(THIRTY_SECONDS);
            recorded_while_still.push(t.captures_seen() - before);
            return Flow::Default;
        }
        if line.contains("captured D0 → E2") {
            t.press("q", "stopped");
            return Flow::Handled;
        }
        Flow::Default
    };
    let r = technician(&b, "ut61e", &out, &[], &mut stay);
    assert_eq!(recorded_while_still, vec![0, 0], "{}", r.log);
    assert_eq!(r.code, 5, "{}", r.log);
    assert_rows_correct(&b, &out, 5, &r.log);
}

#[test]
fn after_resume_the_probes_left_in_place_are_not_taken_until_lifted_and_placed() {
    let b = serve("ut61e");
    let out = b.dir.path().join("sweep.csv");
    // First visit: three points, then stop with the probes resting on D0/E1 (720 Ω).
    let mut three = |line: &str, t: &mut Tech| {
        if line.contains("captured D0 → E1") {
            t.press("q", "stopped");
            return Flow::Handled;
        }
        Flow::Default
    };
    let r = technician(&b, "ut61e", &out, &[], &mut three);
    assert_eq!(r.code, 5, "{}", r.log);
    assert_rows_correct(&b, &out, 3, &r.log);
    // Second visit: the voltage check where the probes rest, then nothing moves for 30 s.
    let mut recorded_before_the_move = None;
    let mut lazy = |line: &str, t: &mut Tech| {
        if line.contains("checking for voltage") {
            t.b.apply(ControlCommand::Mode(
                kmdiag::acquire::meter::Mode::VoltageDc,
            ));
            t.enter();
            return Flow::Handled;
        }
        if line.contains("next 1/") {
            assert!(line.contains("lift the probes first"), "{line}");
            let before = t.captures_seen();
            t.b.packets(THIRTY_SECONDS);
            recorded_before_the_move = Some(t.captures_seen() - before);
        }
        Flow::Default
    };
    let r = technician(&b, "ut61e", &out, &["--resume"], &mut lazy);
    assert_eq!(recorded_before_the_move, Some(0), "{}", r.log);
    assert!(matches!(r.code, 0 | 1), "{}", r.log);
    assert_complete_and_correct(&b, &out, &r.log);
}

#[test]
fn resume_refuses_a_text_file_and_leaves_it_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[u8]; 3] = [
        b"Shopping list: milk, bread\nand call the office",
        b"hello",
        b"plus,minus,ohms\nD0,E1,702.5\nsomething else entirely, not a row\n",
    ];
    for text in cases {
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_kmdiag"))
            .args([
                "sweep",
                "--meter",
                "ut61e",
                "--profile",
                "eltis",
                "--resume",
            ])
            .args(["--port", "/nonexistent/ttyUSB9", "-o"])
            .arg(&path)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("notes.txt"), "{stderr}");
        assert!(
            !stderr.contains("ttyUSB9"),
            "refused before the port: {stderr}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), text, "{stderr}");
    }
}

/// A physically simulated entrance: Eltis, flats 73-102 (offset 72), flat 80 reversed.
fn reversed_entrance() -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let profile = resolve("eltis").unwrap();
    let switch = profile.switch(None).unwrap();
    let spec = LayoutSpec {
        offset: 72,
        apartments: Some(parse_apartments("73-102").unwrap()),
        ..Default::default()
    };
    let layout = Layout::build(&profile, switch, &spec).unwrap();
    let mut scenario = Scenario::new(layout.clone());
    scenario.faults = vec![parse_fault("80:reversed", &layout.labels).unwrap()];
    scenario.seed = 5;
    let entrance = Box::new(SimEntrance::new(&scenario).unwrap());
    let eyes = Box::new(SimEntrance::new(&scenario).unwrap());
    let args = [
        "--profile",
        "eltis",
        "--offset",
        "72",
        "--apartments",
        "73-102",
    ];
    start(
        "ut61e",
        dir,
        layout.labels.clone(),
        entrance,
        eyes,
        args.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn a_reversed_handset_swept_at_a_real_pace_is_named_and_nothing_else() {
    let b = reversed_entrance();
    let out = b.dir.path().join("sweep.csv");
    // 2 s per placement (4 packets in the air), and 5 s to find the reverse point of flat 80
    // (E8 → D0): long enough for the old timer to have recorded OL there.
    let mut slow_at_80 = |line: &str, t: &mut Tech| {
        if line.contains("red on E8, black on D0") && line.contains("next ") {
            t.lift();
            t.b.packets(10);
            t.note("found the reverse point of flat 80");
        }
        Flow::Default
    };
    let r = technician_at(&b, "ut61e", &out, &[], 4, &mut slow_at_80);
    assert_eq!(r.code, 1, "the reversed handset is a fault\n{}", r.log);
    assert!(
        r.log
            .contains("lines D4, D5, D6, D7, D8, D9 carry no apartment"),
        "{}",
        r.log
    );
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{:#}\n{}", report["findings"], r.log);
    assert_eq!(findings[0]["apartment"], 80, "{:#}", report["findings"]);
    assert_eq!(findings[0]["fault"], "reversed", "{:#}", report["findings"]);
    // Every point of the four lines in use, both ways, once.
    let (got, warnings) = rows(&b, &out);
    assert_eq!((got.len(), warnings), (80, 0), "{}", r.log);
}
