//! Live-sweep benchmark (harness = false; `cargo bench --bench live`).
//!
//! 1. Adapter: a full 10×10 sweep (290 readings) over a real pseudo-terminal against the
//!    simulated adapter at a fixed device time per reading. Prints wall time ÷ the
//!    device-limited minimum (readings × device time); the target is ≤ 1.05 — the host adds
//!    next to nothing. Measured twice: the acquisition loop in process (source + file
//!    writer), and the whole `kmdiag sweep` binary (start-up, diagnosis and all).
//! 2. Guided: the median time from the probes settling on a point to the capture, for each
//!    streaming protocol's packet rate (simulated meter, `--stable-count 3`).

use kmdiag::acquire::Source;
use kmdiag::acquire::adapter::{AdapterSource, Plan};
use kmdiag::model::{Measurement, Reading, Terminal};
use kmdiag::profile::LineLabels;
use kmdiag::sim::Probe;
use kmdiag::sim::serve::{DeviceKind, spawn};
use std::time::{Duration, Instant};

struct Entrance {
    labels: LineLabels,
}

impl Probe for Entrance {
    fn measure(&mut self, plus: Terminal, minus: Terminal) -> Reading {
        use kmdiag::model::LineKind::*;
        match (plus.kind, minus.kind) {
            (Tens, Units) if !(plus.index + minus.index).is_multiple_of(4) => {
                Reading::Ohms(690.0 + plus.index as f64)
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

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep that quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("live benchmark: run with 'cargo bench --bench live'");
        return;
    }
    adapter_bench();
}
