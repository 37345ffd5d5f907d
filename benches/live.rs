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
    use kmdiag::acquire::capture::{Capture, CaptureEvent, CaptureSettings};
    use kmdiag::acquire::link::{self, LinkSettings};
    use kmdiag::acquire::meter::{Chip, find_model, scpi::ScpiSession};
    use kmdiag::sim::serve::control::ControlCommand;
    // Run the meters this many times faster than real and scale the times back: the host's
    // own share is microseconds, the packet interval is everything.
    const SPEED: f64 = 5.0;
    const POINTS: u16 = 12;
    println!(
        "guided capture, --stable-count 3: median time from the probes settling to the capture \
         ({POINTS} points each, streaming meters run {SPEED}x fast and times are scaled back to \
         real time; a polled meter runs at kmdiag's own pace)"
    );
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
        let mut capture = Capture::new(CaptureSettings::new(3, 2.0));
        let mut times = Vec::new();
        for k in 0..POINTS {
            served.apply(ControlCommand::Lift);
            // Settle at a different phase of the meter's packet clock each time (golden-ratio
            // steps), as a technician's hand would.
            let phase = (f64::from(k) * 0.618_034).fract();
            let lifted = interval * 2 + interval.mul_f64(phase);
            // Forward cells of D(k mod 10) on E1 and E2: neighbours read differently (or OL),
            // so each capture follows a real move. The hand moves on its own clock while the
            // reading goes on, as in the guided sweep (a polled meter is asked only while
            // someone reads).
            let (d, e) = (k % 10, 1 + (k / 10));
            let hand = {
                let ctl = served.control.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(lifted);
                    ctl.apply(ControlCommand::Probe(Terminal::tens(d), Terminal::units(e)));
                    Instant::now()
                })
            };
            let captured = loop {
                let s = source
                    .next_sample(Duration::from_secs(3))
                    .expect("sample")
                    .expect("stream goes on");
                if std::env::var_os("LIVE_DEBUG").is_some() {
                    eprintln!("{k} {:?}", s.reading);
                }
                if let CaptureEvent::Captured(_) = capture.push(&s.reading)
                    && hand.is_finished()
                {
                    break Instant::now();
                }
            };
            let settled = hand.join().expect("the hand moved");
            times.push((captured - settled).as_secs_f64() * speed);
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
}
