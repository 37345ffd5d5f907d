//! Live-sweep benchmark (harness = false; `cargo bench --bench live`).
//!
//! 1. Adapter: a full 10×10 sweep (290 readings) over a real pseudo-terminal against the
//!    simulated adapter at a fixed device time per reading. Prints wall time ÷ the
//!    device-limited minimum (readings × device time); the target is ≤ 1.05 — the host adds
//!    next to nothing. Measured twice: the acquisition loop in process (source + file
//!    writer), and the whole `kmdiag sweep` binary (start-up, diagnosis and all).
//! 2. Guided: the median time from the probes settling on a point to the capture, for each
//!    protocol's packet rate (simulated meter, `--stable-count 3`), over a pseudo-terminal and
//!    through the USB-HID transport (a UT61E and a VC-820 on a simulated UT-D04, a UT61E+ on
//!    its CP2110 link, polled). Expect about 2.5 packet intervals: the first packet after
//!    settling comes half an interval later on average, then two more make three equal
//!    readings; the HID path should add nothing a technician notices.
//! 3. Technician: a whole guided 10×10 sweep (200 points, a healthy simulated entrance of 100
//!    flats at 90 % occupancy) by the `kmdiag sweep` binary, with a simulated technician who
//!    takes 2 s per probe placement, 0.5 s to read the display and press a key, 2 s to turn the
//!    dial. Counts probe placements, key presses and dial turns, the time the sweep takes, and
//!    points recorded wrong (OL where the crossing conducts, or the reverse, or a value 5 %
//!    off). With `KMDIAG_BEFORE=/path/to/an/older/kmdiag` the same technician also sweeps with
//!    that binary, for a before/after comparison in one run (an older binary that records OL on
//!    a timer gets no key for OL).

use kmdiag::acquire::Source;
use kmdiag::acquire::adapter::{AdapterSource, Plan};
use kmdiag::model::{Measurement, Reading, Terminal};
use kmdiag::profile::LineLabels;
use kmdiag::sim::Probe;
use kmdiag::sim::serve::hid::HidCable;
use kmdiag::sim::serve::{DeviceKind, Served, spawn, spawn_hid};
use std::time::{Duration, Instant};

struct Entrance {
    labels: LineLabels,
}

impl Probe for Entrance {
    fn measure(&mut self, plus: Terminal, minus: Terminal) -> Reading {
        use kmdiag::model::LineKind::*;
        match (plus.kind, minus.kind) {
            (Tens, Units) if !(plus.index + minus.index).is_multiple_of(4) => {
                // Neighbours differ by more than the 2 % tolerance: every point is a move.
                Reading::Ohms(650.0 + 40.0 * plus.index as f64)
            }
            _ => Reading::Open,
        }
    }
    fn labels(&self) -> &LineLabels {
        &self.labels
    }
}

fn labels() -> LineLabels {
    let p = kmdiag::profile::resolve("eltis").expect("built-in profile");
    let s = p.switch(None).expect("default switch").clone();
    p.line_labels(&s)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One in-process adapter sweep; returns (wall seconds, readings).
fn adapter_in_process(path: &std::path::Path, out: &std::path::Path) -> (f64, usize) {
    let start = Instant::now();
    let port = serialport::new(path.to_string_lossy(), 115_200)
        .timeout(Duration::from_millis(50))
        .open()
        .expect("open the pty");
    let mut src = AdapterSource::connect(port, &path.to_string_lossy(), Duration::from_secs(3))
        .expect("hello");
    src.start(Plan::Full {
        tens: 10,
        units: 10,
        bus: true,
    })
    .expect("sweep");
    let file = std::fs::File::create(out).expect("output");
    let mut w = kmdiag::sweep::SweepWriter::create(file, labels()).expect("header");
    let mut n = 0;
    while let Some(s) = src.next_sample(Duration::from_secs(3)).expect("sample") {
        let (plus, minus) = s.probes.expect("adapter samples carry probes");
        let reading = s.reading.as_resistance().expect("ohms");
        w.push(&Measurement {
            plus,
            minus,
            reading,
        })
        .expect("write");
        n += 1;
    }
    (start.elapsed().as_secs_f64(), n)
}

fn adapter_bench() {
    let device_time = Duration::from_millis(10);
    let dir = tempfile::tempdir().expect("temp dir");
    let link = dir.path().join("adapter");
    let served = spawn(
        DeviceKind::Adapter {
            reading_time: device_time,
        },
        Box::new(Entrance { labels: labels() }),
        Some(link.clone()),
    );
    served.path(Duration::from_secs(5)).expect("pty");
    let readings = 290usize;
    let minimum = readings as f64 * device_time.as_secs_f64();
    let mut lib = Vec::new();
    for i in 0..3 {
        let (wall, n) = adapter_in_process(&link, &dir.path().join(format!("lib{i}.csv")));
        assert_eq!(n, readings);
        lib.push(wall / minimum);
    }
    let exe = env!("CARGO_BIN_EXE_kmdiag");
    let mut bin = Vec::new();
    for i in 0..3 {
        let out = dir.path().join(format!("bin{i}.csv"));
        let start = Instant::now();
        let status = std::process::Command::new(exe)
            .args([
                "sweep",
                "--meter",
                "adapter",
                "--profile",
                "eltis",
                "--format",
                "json",
            ])
            .arg("--port")
            .arg(&link)
            .arg("-o")
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run kmdiag");
        let wall = start.elapsed().as_secs_f64();
        assert!(matches!(status.code(), Some(0 | 1)), "{status}");
        bin.push(wall / minimum);
    }
    println!(
        "adapter sweep, {readings} readings at {} ms device time: device-limited minimum {:.3} s",
        device_time.as_millis(),
        minimum
    );
    println!(
        "  in process (source + file writer): wall / minimum = {:.3} (median of 3; target <= 1.05)",
        median(lib)
    );
    println!(
        "  whole 'kmdiag sweep' binary (start-up, handshake, diagnosis): wall / minimum = {:.3} (median of 3)",
        median(bin)
    );
}

/// Guided mode: median time from the probes settling on a point to its capture, per protocol.
fn guided_bench() {
    use kmdiag::acquire::capture::{CaptureSettings, Guide, Output};
    use kmdiag::acquire::link::{self, LinkSettings};
    use kmdiag::acquire::meter::{Chip, find_model, scpi::ScpiSession};
    use kmdiag::sim::serve::control::ControlCommand;
    // Run the meters this many times faster than real and scale the times back: the host's
    // own share is microseconds, the packet interval is everything.
    const SPEED: f64 = 5.0;
    const POINTS: usize = 12;
    println!(
        "guided capture, --stable-count 3: median time from the probes settling to the capture \
         ({POINTS} points each, streaming meters run {SPEED}x fast and times are scaled back to \
         real time; a polled meter runs at kmdiag's own pace)"
    );
    // Forward cells that conduct, red walking along the D terminals: neighbours read 40 Ω
    // apart, so each capture follows a real move and none is held as "like the last point".
    let points: Vec<(Terminal, Terminal)> = (0u16..40)
        .map(|k| (Terminal::tens(k % 10), Terminal::units(1 + k / 10)))
        .filter(|(d, e)| !(d.index + e.index).is_multiple_of(4))
        .take(POINTS)
        .collect();
    /// How the meter is reached.
    #[derive(Clone, Copy)]
    enum Via {
        /// A pseudo-terminal (a link), or TCP where there are none.
        Serial,
        /// The USB-HID transport, on a simulated cable.
        Hid(fn(&kmdiag::acquire::meter::MeterModel) -> HidCable),
    }
    for (name, via) in [
        ("ut61e", Via::Serial),
        ("ut61b", Via::Serial),
        ("vc820", Via::Serial),
        ("vc940", Via::Serial),
        ("idm103n", Via::Serial),
        ("owon-xdm1041", Via::Serial),
        ("ut61e", Via::Hid(HidCable::ut_d04)),
        ("vc820", Via::Hid(HidCable::ut_d04)),
        ("ut61e+", Via::Hid(HidCable::cp2110)),
    ] {
        if std::env::var("LIVE_MODEL").is_ok_and(|m| m != name) {
            continue;
        }
        let model = find_model(name).expect("model in the table");
        // kmdiag asks a polled meter at the model's real interval, whatever the simulator's
        // speed: its times need no scaling.
        let speed = if model.chip.poll_request().is_some() {
            1.0
        } else {
            SPEED
        };
        let interval = model.interval.div_f64(speed);
        let kind = DeviceKind::Meter { model, interval };
        let probe = Box::new(Entrance { labels: labels() });
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = LinkSettings::for_model(model, None, None, None);
        let (served, port_name, port): (Served, String, _) = match via {
            Via::Serial => {
                let link_path = dir.path().join("meter");
                let served = spawn(kind, probe, Some(link_path.clone()));
                served.path(Duration::from_secs(5)).expect("pty");
                let port_name = link_path.to_string_lossy().into_owned();
                let port = link::open(&port_name, &settings).expect("open the pty");
                (served, port_name, port)
            }
            Via::Hid(cable) => {
                let (served, host) = spawn_hid(kind, probe, cable(model));
                served.path(Duration::from_secs(5)).expect("plugged in");
                let devices = kmdiag::acquire::transport::Devices {
                    hid: std::sync::Arc::new(host),
                };
                let port = link::open_on(&devices, "hid", &settings).expect("open the cable");
                (served, "hid".to_string(), port)
            }
        };
        let mut source: Box<dyn Source> = match model.chip {
            Chip::Scpi(f) => Box::new(ScpiSession::new(
                port,
                f,
                &port_name,
                Duration::from_secs(3),
            )),
            _ => Box::new(link::meter_source(port, model, &port_name).expect("streaming model")),
        };
        let settings = CaptureSettings {
            voltage_check: false,
            ..CaptureSettings::new(3, 2.0)
        };
        let mut guide = Guide::new(points.clone(), settings);
        guide.start();
        let mut times = Vec::new();
        for (k, &(plus, minus)) in points.iter().enumerate() {
            served.apply(ControlCommand::Lift);
            // Settle at a different phase of the meter's packet clock each time (golden-ratio
            // steps), as a technician's hand would.
            let phase = (k as f64 * 0.618_034).fract();
            // The host reads on while the probes are in the air (a polled meter answers only
            // when asked), as the sweep's meter thread does.
            let lifted = Instant::now();
            while lifted.elapsed() < interval * 2 {
                if let Ok(Some(s)) = source.next_sample(interval) {
                    guide.reading(&s.reading);
                }
            }
            // Just after a packet: the phase is what is left of the interval.
            std::thread::sleep(interval.mul_f64(phase));
            served.apply(ControlCommand::Probe(plus, minus));
            let settled = Instant::now();
            loop {
                let s = source
                    .next_sample(Duration::from_secs(3))
                    .expect("sample")
                    .expect("stream goes on");
                if std::env::var_os("LIVE_DEBUG").is_some() {
                    eprintln!("{k} {:?}", s.reading);
                }
                let out = guide.reading(&s.reading);
                if out.iter().any(|o| matches!(o, Output::Record { .. })) {
                    break;
                }
            }
            times.push(settled.elapsed().as_secs_f64() * speed);
        }
        let real_interval = model.interval.as_secs_f64();
        let m = median(times);
        let path = match via {
            Via::Serial => "serial".to_string(),
            Via::Hid(cable) => format!("hid/{}", cable(model).bridge.name()),
        };
        println!(
            "  {:<13} {:<8} {:<18} packet every {:.2} s: median {:.2} s = {:.1} packet intervals",
            name,
            model.chip.name(),
            path,
            real_interval,
            m,
            m / real_interval
        );
        drop(source);
        drop(served);
    }
}

/// What one simulated technician's sweep cost.
#[derive(Debug, Default)]
struct Tally {
    placements: usize,
    keys: usize,
    dials: usize,
    seconds: f64,
    points: usize,
    wrong: usize,
}

/// 3. The whole guided sweep by a simulated technician: see the module comment.
fn technician_bench() {
    let after = env!("CARGO_BIN_EXE_kmdiag").to_string();
    let before = std::env::var("KMDIAG_BEFORE").ok();
    println!(
        "technician, guided 10x10 sweep (200 points), healthy Eltis entrance of 100 flats: \
         {TECH_PLACEMENT} s per probe placement, {TECH_GLANCE} s to read the display and press \
         a key, {TECH_DIAL} s per dial turn; meter and technician run {TECH_SPEED}x fast, \
         times scaled back"
    );
    let runs: Vec<(&str, String, bool)> = match before {
        Some(b) => vec![("before", b, false), ("after", after, true)],
        None => vec![("after", after, true)],
    };
    for (name, exe, keys_for_open) in runs {
        let t = sweep_as_technician(&exe, keys_for_open);
        println!(
            "  {name:<6} {exe}: {} points in {:.0} s ({:.1} min); {} probe placements, {} key \
             presses, {} dial turns; {} points recorded wrong",
            t.points,
            t.seconds,
            t.seconds / 60.0,
            t.placements,
            t.keys,
            t.dials,
            t.wrong
        );
    }
}

/// How much faster than real the technician bench runs.
const TECH_SPEED: f64 = 20.0;
/// Seconds to move one probe to its next terminal.
const TECH_PLACEMENT: f64 = 2.0;
/// Seconds to read the display and press a key.
const TECH_GLANCE: f64 = 0.5;
/// Seconds to turn the meter's dial.
const TECH_DIAL: f64 = 2.0;

/// Sleeps `seconds` of technician time.
fn tech_wait(seconds: f64) {
    std::thread::sleep(Duration::from_secs_f64(seconds / TECH_SPEED));
}

/// One guided 10×10 sweep with `exe`, the technician answering what the screen asks.
fn sweep_as_technician(exe: &str, keys_for_open: bool) -> Tally {
    use kmdiag::acquire::meter::{Mode, find_model};
    use kmdiag::profile::{Layout, LayoutSpec, resolve};
    use kmdiag::sim::serve::control::ControlCommand;
    use kmdiag::sim::{Scenario, SimEntrance};
    use std::io::{BufRead, BufReader, Write};
    let profile = resolve("eltis").expect("built-in profile");
    let switch = profile.switch(None).expect("default switch").clone();
    let layout = Layout::build(&profile, &switch, &LayoutSpec::default()).expect("layout");
    let scenario = Scenario {
        seed: 1,
        ..Scenario::new(layout.clone())
    };
    let mut eyes = SimEntrance::new(&scenario).expect("entrance");
    let model = find_model("ut61e").expect("model");
    let dir = tempfile::tempdir().expect("temp dir");
    let link = dir.path().join("meter");
    let served = spawn(
        DeviceKind::Meter {
            model,
            interval: model.interval.div_f64(TECH_SPEED),
        },
        Box::new(SimEntrance::new(&scenario).expect("entrance")),
        Some(link.clone()),
    );
    served.path(Duration::from_secs(5)).expect("pty");
    let out = dir.path().join("sweep.csv");
    let mut child = std::process::Command::new(exe)
        .args([
            "sweep",
            "--meter",
            "ut61e",
            "--profile",
            "eltis",
            "--format",
            "json",
        ])
        .arg("--port")
        .arg(&link)
        .arg("-o")
        .arg(&out)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run the sweep");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut t = Tally::default();
    let mut press = |t: &mut Tally| {
        tech_wait(TECH_GLANCE);
        t.keys += 1;
        if std::env::var_os("LIVE_DEBUG").is_some() {
            eprintln!("        (Enter)");
        }
        let _ = writeln!(stdin).and_then(|_| stdin.flush());
    };
    let labels = layout.labels.clone();
    let terminals = |text: &str| {
        let found: Vec<_> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter_map(|w| labels.parse(w))
            .collect();
        (found[0], found[1])
    };
    let mut at: Option<(Terminal, Terminal)> = None;
    let mut place = |t: &mut Tally, to: (Terminal, Terminal)| {
        // One placement per probe that changes terminal; one to lift and put back otherwise.
        let moved = match at {
            Some((r, b)) => usize::from(r != to.0) + usize::from(b != to.1),
            None => 2,
        }
        .max(1);
        served.apply(ControlCommand::Lift);
        tech_wait(TECH_PLACEMENT * moved as f64);
        served.apply(ControlCommand::Probe(to.0, to.1));
        t.placements += moved;
        at = Some(to);
    };
    let mut started = None;
    let mut last_capture = Instant::now();
    let mut confirming = false;
    for line in BufReader::new(child.stderr.take().expect("stderr")).lines() {
        let Ok(line) = line else { break };
        let t0 = *started.get_or_insert_with(Instant::now);
        if std::env::var_os("LIVE_DEBUG").is_some() {
            eprintln!("{:7.2} {line}", t0.elapsed().as_secs_f64() * TECH_SPEED);
        }
        let prompt = line.contains("next ") && line.contains("red on ");
        if line.contains("captured") {
            last_capture = Instant::now();
            confirming = false;
        }
        if line.contains("checking for voltage") {
            served.apply(ControlCommand::Mode(Mode::VoltageDc));
            tech_wait(TECH_DIAL);
            t.dials += 1;
            place(
                &mut t,
                terminals(line.split("probes on").nth(1).unwrap_or("")),
            );
            press(&mut t);
        } else if line.contains("turn the dial to Ω") {
            tech_wait(TECH_DIAL);
            t.dials += 1;
            served.apply(ControlCommand::Mode(Mode::Resistance));
        } else if prompt {
            confirming = false;
            let to = terminals(line.split("red on").nth(1).unwrap_or(""));
            place(&mut t, to);
            if keys_for_open && !eyes.measure(to.0, to.1).is_finite() {
                press(&mut t);
                confirming = true;
            }
        } else if line.contains(", like the last point (")
            || (confirming
                && (line.contains("still changing") || line.contains("no reading since")))
        {
            press(&mut t);
            confirming = true;
        }
    }
    drop(stdin);
    let status = child.wait().expect("sweep ends");
    assert!(matches!(status.code(), Some(0 | 1)), "{exe}: {status}");
    t.seconds = started.map_or(0.0, |s| (last_capture - s).as_secs_f64() * TECH_SPEED);
    let text = std::fs::read_to_string(&out).expect("the sweep file");
    let (sweep, _) = kmdiag::sweep::parse_sweep(&text, &out, &labels).expect("a readable sweep");
    for m in sweep.measurements() {
        t.points += 1;
        let truth = eyes.measure(m.plus, m.minus);
        let right = match (truth, m.reading) {
            (Reading::Open, Reading::Open) => true,
            (Reading::Ohms(a), Reading::Ohms(b)) => (a - b).abs() <= 0.05 * a.max(1.0),
            _ => false,
        };
        t.wrong += usize::from(!right);
    }
    t
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("live benchmark: run with 'cargo bench --bench live'");
        return;
    }
    let only = |name: &str| {
        let picked: Vec<String> = std::env::args()
            .skip(1)
            .filter(|a| !a.starts_with('-'))
            .collect();
        picked.is_empty() || picked.iter().any(|p| p == name)
    };
    if only("adapter") {
        adapter_bench();
    }
    if only("guided") {
        guided_bench();
    }
    if only("technician") {
        technician_bench();
    }
}
