//! End to end through the USB-HID transport, in process, on every OS: `kmdiag read` and the
//! guided `kmdiag sweep` (their `run_with`, the same code the binary runs) against a
//! simulated meter behind a simulated HID cable — a UT61E+ on its CP2110 link, a UT61E and a
//! VC-820 on a UT-D04 (CH9325) — found with `--port hid` on a simulated HID host. This test
//! plays the technician: it moves the simulated probes as the sweep file grows. Also: no
//! device, several devices, a polled meter on a receive-only cable, an unplugged cable, noise,
//! and a recording through the HID path played back with `--from-file`.

use kmdiag::acquire::transport::Devices;
use kmdiag::acquire::transport::hid::HidHost;
use kmdiag::cli::EntranceArgs;
use kmdiag::cmd::read::{ReadArgs, ReadFormat, run_with as read_with};
use kmdiag::cmd::sweep::{Console, SweepArgs, run_with as sweep_with};
use kmdiag::exit::{Outcome, code_for_error};
use kmdiag::export::Format;
use kmdiag::model::{Measurement, Reading, Terminal};
use kmdiag::profile::LineLabels;
use kmdiag::sim::Probe;
use kmdiag::sim::serve::control::ControlCommand;
use kmdiag::sim::serve::hid::{HidCable, SimHidHost};
use kmdiag::sim::serve::{DeviceKind, Served, spawn_hid};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Speed-up of the streaming meters (a UT61E then sends every 20 ms). A polled meter is paced
/// by kmdiag's requests instead, at the model's real interval.
const SPEED: f64 = 25.0;

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
/// D0/E0 (12 Ω both ways). Every finite reading differs from the one before it in guided
/// order, so the probes need not be lifted between points.
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
    devices: Devices,
    labels: LineLabels,
}

fn profile_path(dir: &Path) -> PathBuf {
    let path = dir.join("tiny.toml");
    if !path.exists() {
        std::fs::write(&path, PROFILE).unwrap();
    }
    path
}

fn labels(dir: &Path) -> LineLabels {
    let p = kmdiag::profile::resolve(profile_path(dir).to_str().unwrap()).unwrap();
    let s = p.switch(None).unwrap().clone();
    p.line_labels(&s)
}

/// A simulated `model` behind the cable `cable` makes for it, found on a simulated host.
fn serve(model: &str, cable: fn(&kmdiag::acquire::meter::MeterModel) -> HidCable) -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let labels = labels(dir.path());
    let m = kmdiag::acquire::meter::find_model(model).unwrap();
    let interval = m.interval.div_f64(SPEED);
    let (served, host) = spawn_hid(
        DeviceKind::Meter { model: m, interval },
        Box::new(TableProbe {
            labels: labels.clone(),
        }),
        cable(m),
    );
    let path = served.path(Duration::from_secs(5)).expect("plugged in");
    assert!(path.to_string_lossy().starts_with("hid:"), "{path:?}");
    Bench {
        dir,
        served,
        devices: Devices {
            hid: Arc::new(host),
        },
        labels,
    }
}

fn read_args(port: &str, meter: &str, count: u64) -> ReadArgs {
    ReadArgs {
        port: Some(port.into()),
        meter: meter.into(),
        dtr: None,
        rts: None,
        baud: None,
        count: Some(count),
        record: None,
        force: false,
        from_file: None,
        four_wire: false,
        timeout: 3.0,
        format: ReadFormat::Json,
    }
}

/// Runs `read`; returns the outcome and the JSON readings written.
fn read(b: &Bench, args: ReadArgs) -> (anyhow::Result<Outcome>, Vec<serde_json::Value>) {
    let mut out = Vec::new();
    let outcome = read_with(args, &b.devices, &mut out);
    let lines = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (outcome, lines)
}

fn ohms_of(v: &serde_json::Value) -> Option<f64> {
    assert_eq!(v["mode"], "resistance", "{v}");
    assert_eq!(v["unit"], "ohm", "{v}");
    v["value"].as_f64()
}

#[test]
fn read_shows_a_ut61e_plus_through_its_cp2110_link() {
    let b = serve("ut61e+", HidCable::cp2110);
    b.served
        .apply(ControlCommand::Probe(Terminal::tens(1), Terminal::units(2)));
    let (outcome, lines) = read(&b, read_args("hid", "ut61e+", 3));
    assert_eq!(outcome.unwrap(), Outcome::Healthy);
    assert_eq!(lines.len(), 3);
    for l in &lines {
        assert_eq!(ohms_of(l), Some(740.0), "{l}");
    }
    // The probes in the air: OL.
    b.served.apply(ControlCommand::Lift);
    let (_, lines) = read(&b, read_args("hid:10c4:ea80", "ut61e+", 1));
    assert_eq!(lines[0]["overload"], true, "{}", lines[0]);
    assert_eq!(ohms_of(&lines[0]), None);
}

#[test]
fn read_through_a_ut_d04_strips_the_parity_bit_of_a_7o1_ut61e() {
    let b = serve("ut61e", HidCable::ut_d04);
    b.served
        .apply(ControlCommand::Probe(Terminal::tens(0), Terminal::units(1)));
    let (outcome, lines) = read(&b, read_args("hid:1a86:e008", "ut61e", 4));
    assert_eq!(outcome.unwrap(), Outcome::Healthy);
    assert_eq!(lines.len(), 4);
    for l in &lines {
        assert_eq!(ohms_of(l), Some(720.0), "{l}");
    }
}

#[test]
fn read_through_a_ut_d04_reads_an_8n1_vc820_in_noise() {
    let b = serve("vc820", HidCable::ut_d04);
    b.served.apply(ControlCommand::Noise(true));
    b.served
        .apply(ControlCommand::Probe(Terminal::tens(1), Terminal::units(0)));
    let (outcome, lines) = read(&b, read_args("hid", "vc820", 6));
    assert_eq!(outcome.unwrap(), Outcome::Healthy);
    for l in &lines {
        assert_eq!(ohms_of(l), Some(700.0), "{l}");
    }
}

#[test]
fn a_ut_d04_set_to_the_wrong_meter_gives_no_readings() {
    // The VC-820 sends at 2400 baud; told the UT61E's 19200, the cable's UART reads garbage.
    let b = serve("vc820", HidCable::ut_d04);
    let mut args = read_args("hid", "ut61e", 1);
    args.timeout = 0.5;
    let (outcome, lines) = read(&b, args);
    let e = outcome.unwrap_err();
    assert!(lines.is_empty());
    assert_eq!(code_for_error(&e), 3, "{e:#}");
    let msg = format!("{e:#}");
    assert!(msg.contains("no valid data from hid:1a86:e008"), "{msg}");
    assert!(
        msg.contains("the --meter model is the meter on the cable"),
        "{msg}"
    );
    assert!(
        !msg.contains("DTR"),
        "no modem lines on a USB-HID cable: {msg}"
    );
}

#[test]
fn an_unplugged_cable_is_a_device_failure() {
    let b = serve("ut61e+", HidCable::cp2110);
    b.served
        .apply(ControlCommand::Probe(Terminal::tens(1), Terminal::units(2)));
    b.served.apply(ControlCommand::Unplug(Some(2)));
    let (outcome, lines) = read(&b, read_args("hid", "ut61e+", 10));
    let e = outcome.unwrap_err();
    // The second reply may still be in the cable when it is pulled, and is lost with it.
    assert!((1..=2).contains(&lines.len()), "{} readings", lines.len());
    assert_eq!(code_for_error(&e), 3, "{e:#}");
    let msg = format!("{e:#}");
    assert!(msg.contains("lost hid:10c4:ea80"), "{msg}");
    assert!(msg.contains("disconnected"), "{msg}");
}

#[test]
fn no_hid_meter_plugged_in_says_what_kmdiag_reads() {
    let b = serve("ut61e+", HidCable::cp2110);
    let empty = Bench {
        devices: Devices {
            hid: Arc::new(SimHidHost::new(Vec::new())),
        },
        ..b
    };
    let (outcome, _) = read(&empty, read_args("hid", "ut61e+", 1));
    let e = outcome.unwrap_err();
    assert_eq!(code_for_error(&e), 3);
    let msg = format!("{e:#}");
    assert!(
        msg.contains("cannot open hid: no USB-HID meter or cable is plugged in"),
        "{msg}"
    );
    assert!(msg.contains("10c4:ea80"), "{msg}");
}

#[test]
fn two_cables_must_be_told_apart_and_a_polled_meter_needs_a_cable_that_sends() {
    // A UT61E+ on its own link, and (as if it could be) on a UT-D04.
    let b = serve("ut61e+", HidCable::cp2110);
    let d04 = serve("ut61e+", HidCable::ut_d04);
    let both = Devices {
        hid: Arc::new(Both(b.devices.hid.clone(), d04.devices.hid.clone())),
    };
    let bench = Bench { devices: both, ..b };
    let (outcome, _) = read(&bench, read_args("hid", "ut61e+", 1));
    let msg = format!("{:#}", outcome.unwrap_err());
    assert!(
        msg.contains("2 USB-HID meters or cables are plugged in"),
        "{msg}"
    );
    assert!(
        msg.contains("hid:10c4:ea80") && msg.contains("hid:1a86:e008"),
        "{msg}"
    );
    let (outcome, _) = read(&bench, read_args("hid:1a86:e008", "ut61e+", 1));
    let msg = format!("{:#}", outcome.unwrap_err());
    assert!(msg.contains("only receives"), "{msg}");
    let (outcome, lines) = read(&bench, read_args("hid:10c4:ea80", "ut61e+", 1));
    assert_eq!(outcome.unwrap(), Outcome::Healthy);
    assert_eq!(lines.len(), 1);
}

/// Two simulated hosts seen as one (two cables plugged into one computer).
struct Both(Arc<dyn HidHost>, Arc<dyn HidHost>);

impl HidHost for Both {
    fn devices(&self) -> Result<Vec<kmdiag::acquire::transport::hid::HidDeviceInfo>, String> {
        let mut all = self.0.devices()?;
        for mut d in self.1.devices()? {
            d.path = format!("second/{}", d.path);
            all.push(d);
        }
        Ok(all)
    }
    fn open(
        &self,
        d: &kmdiag::acquire::transport::hid::HidDeviceInfo,
    ) -> Result<Box<dyn kmdiag::acquire::transport::hid::HidDevice>, String> {
        match d.path.strip_prefix("second/") {
            Some(path) => self
                .1
                .open(&kmdiag::acquire::transport::hid::HidDeviceInfo {
                    path: path.into(),
                    ..d.clone()
                }),
            None => self.0.open(d),
        }
    }
}

#[test]
fn a_recording_through_the_hid_path_plays_back_from_file() {
    let b = serve("ut61e+", HidCable::cp2110);
    b.served
        .apply(ControlCommand::Probe(Terminal::tens(0), Terminal::units(0)));
    let rec = b.dir.path().join("ut61e+.bin");
    let mut args = read_args("hid", "ut61e+", 3);
    args.record = Some(rec.clone());
    let (outcome, live) = read(&b, args);
    assert_eq!(outcome.unwrap(), Outcome::Healthy);
    // The recording holds the meter's replies (the UART stream out of the CP2110's reports).
    let bytes = std::fs::read(&rec).unwrap();
    assert_eq!(&bytes[..3], &[0xAB, 0xCD, 0x10]);
    let mut args = read_args("", "ut61e+", 3);
    args.port = None;
    args.from_file = Some(rec);
    let (outcome, played) = read(&b, args);
    assert_eq!(outcome.unwrap(), Outcome::Healthy);
    assert_eq!(played, live);
    assert_eq!(ohms_of(&played[0]), Some(12.0));
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

/// A writer the test reads back after the sweep.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The sweep's messages, one line at a time, to the technician.
struct Lines {
    tx: std::sync::mpsc::Sender<String>,
    partial: Vec<u8>,
}

impl Write for Lines {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.partial.extend_from_slice(b);
        while let Some(end) = self.partial.iter().position(|&c| c == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=end).collect();
            let _ = self
                .tx
                .send(String::from_utf8_lossy(&line).trim_end().to_string());
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The two terminals named in `text` ("red on D0, black on E1", "on D0 and E1").
fn two_terminals(text: &str, labels: &LineLabels) -> Option<(Terminal, Terminal)> {
    let found: Vec<Terminal> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':')
        .filter_map(|w| labels.parse(w))
        .collect();
    (found.len() >= 2).then(|| (found[0], found[1]))
}

/// The technician, reading the sweep's messages and answering with probes, dial and keys.
struct Tech {
    ctl: kmdiag::sim::serve::control::Controller,
    keys: std::sync::mpsc::Sender<kmdiag::acquire::capture::Key>,
    labels: LineLabels,
    /// Packets (or polled replies) a probe spends in the air when it moves.
    lift_packets: u64,
    /// Enter was pressed and the point not yet taken.
    confirming: bool,
    log: String,
}

impl Tech {
    /// Waits until the meter has sent `n` more packets (at most 10 s).
    fn packets(&self, n: u64) {
        let target = self.ctl.state().sent + n;
        self.ctl
            .wait_for(Duration::from_secs(10), |s| s.sent >= target || s.quit);
    }

    fn place(&mut self, (plus, minus): (Terminal, Terminal)) {
        self.ctl.apply(ControlCommand::Lift);
        self.packets(self.lift_packets);
        self.ctl.apply(ControlCommand::Probe(plus, minus));
    }

    /// Looks at the display for two packets, then presses Enter.
    fn enter(&mut self) {
        self.packets(2);
        self.log.push_str("TECH: Enter\n");
        let _ = self.keys.send(kmdiag::acquire::capture::Key::Accept);
        self.confirming = true;
    }

    fn act(&mut self, line: &str) {
        let is_prompt = line.contains("next ") && line.contains("red on ");
        if line.contains("captured") || is_prompt || line.contains("no voltage between") {
            self.confirming = false;
        }
        if line.contains("checking for voltage") || line.contains("voltage check comes first") {
            let point = two_terminals(line.split("probes on").nth(1).unwrap(), &self.labels);
            self.ctl.apply(ControlCommand::Mode(
                kmdiag::acquire::meter::Mode::VoltageDc,
            ));
            self.place(point.unwrap());
            self.enter();
        } else if line.contains("turn the dial to Ω") {
            self.ctl.apply(ControlCommand::Mode(
                kmdiag::acquire::meter::Mode::Resistance,
            ));
        } else if is_prompt {
            let point = two_terminals(line.split("red on").nth(1).unwrap(), &self.labels);
            let (plus, minus) = point.unwrap();
            self.place((plus, minus));
            if !expected(plus, minus).is_finite() {
                self.enter();
            }
        } else if line.contains(", like the last point (")
            || self.confirming
                && (line.contains("still changing") || line.contains("no reading since the prompt"))
        {
            // A point like the last one, or an Enter that came too early: look, press again.
            self.enter();
        } else if line.contains("lift the probes off the terminals first") {
            let point = two_terminals(line.split("put them on").nth(1).unwrap(), &self.labels);
            self.place(point.unwrap());
        }
    }
}

/// Runs the guided sweep in this process with a technician thread that reads its messages
/// and moves the simulated probes, turns the dial and presses keys as they ask. Returns the
/// outcome, the diagnosis written and the messages.
fn guided_sweep(
    b: &Bench,
    meter: &str,
    out: &Path,
    stable_count: usize,
    lift_packets: u64,
) -> (anyhow::Result<Outcome>, String, String) {
    let args = SweepArgs {
        port: "hid".into(),
        meter: meter.into(),
        entrance: EntranceArgs {
            profile: profile_path(b.dir.path()).to_string_lossy().into(),
            switch: None,
            offset: 0,
            apartments: None,
            matrix: None,
            map: None,
        },
        output: out.to_path_buf(),
        resume: false,
        force: false,
        format: Format::Json,
        stable_count,
        tolerance: 2.0,
        bus: false,
        auto_open: false,
        all_crossings: false,
        timeout: 5.0,
        dtr: None,
        rts: None,
        notes: Vec::new(),
    };
    let (keys_tx, keys_rx) = std::sync::mpsc::channel();
    let (lines_tx, lines_rx) = std::sync::mpsc::channel::<String>();
    let technician = {
        let mut tech = Tech {
            ctl: b.served.control.clone(),
            keys: keys_tx,
            labels: b.labels.clone(),
            lift_packets,
            confirming: false,
            log: String::new(),
        };
        std::thread::spawn(move || {
            // The sweep's end drops its screen, and with it the sender: the loop ends.
            while let Ok(line) = lines_rx.recv_timeout(Duration::from_secs(120)) {
                tech.log.push_str(&line);
                tech.log.push('\n');
                tech.act(&line);
            }
            tech.log
        })
    };
    let report = Shared::default();
    let console = Console {
        devices: b.devices.clone(),
        keys: Some(keys_rx),
        screen: Some(Box::new(Lines {
            tx: lines_tx,
            partial: Vec::new(),
        })),
        out: Box::new(report.clone()),
    };
    let outcome = sweep_with(args, console);
    let log = technician.join().unwrap();
    let text = String::from_utf8(report.0.lock().unwrap().clone()).unwrap();
    (outcome, text, log)
}

fn assert_complete_and_correct(b: &Bench, out: &Path, report: &str, meter: &str, log: &str) {
    let got = rows(b, out);
    assert_eq!(got.len(), 12, "2×3 both ways\n{log}");
    for m in got {
        assert!(
            close(m.reading, expected(m.plus, m.minus)),
            "{:?} → {:?}: {:?}",
            m.plus,
            m.minus,
            m.reading
        );
    }
    let v: serde_json::Value =
        serde_json::from_str(report).unwrap_or_else(|e| panic!("{e}: {report}\n{log}"));
    let meter_field = v["meter"].as_str().unwrap();
    assert!(meter_field.starts_with(meter), "{meter_field}");
    // The short at D0/E0 is named.
    let findings = v["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["tens"] == "D0" && f["units"] == "E0" && f["fault"] == "short"),
        "{report}"
    );
}

#[test]
fn a_guided_sweep_with_a_ut61e_plus_through_the_hid_transport() {
    let b = serve("ut61e+", HidCable::cp2110);
    let out = b.dir.path().join("sweep.csv");
    // The UT61E+ is asked twice a second, at its real pace: one steady reading takes a point
    // and one reply in the air shows a move, so the sweep takes seconds, not a minute.
    let (outcome, report, log) = guided_sweep(&b, "ut61e+", &out, 1, 1);
    assert_eq!(outcome.unwrap(), Outcome::Faults, "{log}");
    assert_complete_and_correct(&b, &out, &report, "UNI-T UT61E+ on hid:10c4:ea80", &log);
}

#[test]
fn a_guided_sweep_with_a_vc820_on_a_ut_d04() {
    let b = serve("vc820", HidCable::ut_d04);
    let out = b.dir.path().join("sweep.csv");
    let (outcome, report, log) = guided_sweep(&b, "vc820", &out, 3, 2);
    assert_eq!(outcome.unwrap(), Outcome::Faults, "{log}");
    assert_complete_and_correct(&b, &out, &report, "Voltcraft VC-820 on hid:1a86:e008", &log);
}

#[test]
fn an_unplugged_cable_mid_sweep_keeps_the_partial_file() {
    let b = serve("ut61e", HidCable::ut_d04);
    b.served.apply(ControlCommand::Unplug(Some(40)));
    let out = b.dir.path().join("sweep.csv");
    let (outcome, _, log) = guided_sweep(&b, "ut61e", &out, 3, 2);
    let e = outcome.unwrap_err();
    assert_eq!(code_for_error(&e), 3, "{e:#}\n{log}");
    let msg = format!("{e:#}");
    assert!(msg.contains("--resume"), "{msg}");
    let have = rows(&b, &out);
    assert!(
        !have.is_empty() && have.len() < 12,
        "{} rows\n{log}",
        have.len()
    );
    for m in have {
        assert!(close(m.reading, expected(m.plus, m.minus)));
    }
}

#[test]
fn ports_lists_the_simulated_cable_with_its_port_and_meter() {
    let b = serve("ut61e+", HidCable::cp2110);
    let found = kmdiag::cmd::ports::find(&b.devices).unwrap();
    assert_eq!(found.hid.len(), 1);
    let table = kmdiag::cmd::ports::render_table(&found);
    assert!(table.contains("hid:10c4:ea80"), "{table}");
    assert!(table.contains("--meter ut61e+"), "{table}");
    assert!(table.contains("--port hid finds it"), "{table}");
    let json = kmdiag::cmd::ports::render_json(&found).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["hid"][0]["port"], "hid:10c4:ea80");
    assert_eq!(v["hid"][0]["serial_number"], "SIM0001");
    // Unplugged, it is gone from the list.
    b.served.apply(ControlCommand::Unplug(None));
    assert!(
        b.served
            .control
            .wait_for(Duration::from_secs(2), |s| s.path.is_none())
    );
    assert!(kmdiag::cmd::ports::find(&b.devices).unwrap().hid.is_empty());
}
