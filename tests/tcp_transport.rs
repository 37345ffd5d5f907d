//! The TCP serial transport end to end, on every OS: `kmdiag simulate --serve … --listen
//! 127.0.0.1:0` (a simulated adapter or meter behind a TCP port, as ser2net or a Wi-Fi serial
//! bridge offers a real one) and `kmdiag sweep|read --port tcp://ADDR`. The adapter's sweep
//! must equal the recorded sweep of the same entrance; a dropped connection and a bridge that
//! is not there are device failures (exit 3) with words saying so; a malformed address is
//! bad input (exit 2).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn kmdiag() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kmdiag"))
}

/// A running `kmdiag simulate --serve … --listen 127.0.0.1:0`, killed on drop.
struct Simulator {
    child: Child,
    /// What `--port` takes: `tcp://127.0.0.1:PORT`.
    port: String,
    /// The simulator's later stderr lines, kept so its stderr never fills up.
    log: mpsc::Receiver<String>,
}

impl Simulator {
    fn start(device: &str, entrance: &[&str], speed: &str) -> Simulator {
        let mut child = kmdiag()
            .arg("simulate")
            .args(entrance)
            .args([
                "--serve",
                device,
                "--speed",
                speed,
                "--listen",
                "127.0.0.1:0",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        let port = loop {
            let line = log
                .recv_timeout(Duration::from_secs(10))
                .expect("the simulator says where it listens");
            if let Some(rest) = line.split("use it with --port ").nth(1) {
                break rest.trim().to_string();
            }
            assert!(started.elapsed() < Duration::from_secs(10), "{line}");
        };
        assert!(port.starts_with("tcp://127.0.0.1:"), "{port}");
        Simulator { child, port, log }
    }

    fn say(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// `say`, then wait until the simulator has applied it: it applies control lines in
    /// order and answers a line it cannot read on stderr, so once that answer to a line sent
    /// after this one arrives, this one is in force (a loaded machine may otherwise poll the
    /// meter before the probes are placed).
    fn say_applied(&mut self, line: &str) {
        self.say(line);
        self.say("applied?");
        let started = Instant::now();
        loop {
            let left = Duration::from_secs(10).saturating_sub(started.elapsed());
            let answer = self
                .log
                .recv_timeout(left)
                .expect("the simulator answers a line it cannot read");
            if answer.contains("cannot read 'applied?'") {
                return;
            }
        }
    }

    /// `quit`, then the exit code.
    fn quit(mut self) -> Option<i32> {
        self.say("quit");
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if start.elapsed() > Duration::from_secs(10) {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn readings(path: &Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows: Vec<(String, String, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect();
    rows.sort();
    rows
}

fn same_value(a: &str, b: &str) -> bool {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => (x - y).abs() <= 0.006 + 1e-9 * y.abs(),
        _ => a == b,
    }
}

#[test]
fn adapter_sweep_over_tcp_equals_the_recorded_sweep_and_names_the_fault() {
    let dir = tempfile::tempdir().unwrap();
    let entrance = ["--profile", "eltis", "--fault", "37:short", "--seed", "7"];
    let reference = dir.path().join("reference.csv");
    let status = kmdiag()
        .arg("simulate")
        .args(entrance)
        .arg("-o")
        .arg(&reference)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let sim = Simulator::start("adapter", &entrance, "20");
    let out = dir.path().join("live.csv");
    let result = kmdiag()
        .args(["sweep", "--meter", "adapter", "--profile", "eltis"])
        .args(["--format", "json", "--dtr", "off", "--port", &sim.port])
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(
        result.status.code(),
        Some(1),
        "the short is a fault: {stderr}"
    );
    assert!(
        stdout.contains("\"apartment\": 37") && stdout.contains("short"),
        "the diagnosis names apartment 37: {stdout}"
    );
    assert!(
        stderr.contains("--dtr has no effect on tcp://127.0.0.1:"),
        "a modem-line flag over TCP gets a note, not an error: {stderr}"
    );
    let (live, recorded) = (readings(&out), readings(&reference));
    assert_eq!(live.len(), recorded.len());
    for (l, r) in live.iter().zip(&recorded) {
        assert_eq!((&l.0, &l.1), (&r.0, &r.1));
        assert!(same_value(&l.2, &r.2), "{l:?} vs {r:?}");
    }
    assert_eq!(sim.quit(), Some(0), "quit ends serving cleanly");
}

#[test]
fn meter_read_over_tcp_shows_what_the_probes_touch() {
    let entrance = ["--profile", "eltis", "--seed", "5", "--occupancy", "1"];
    let mut sim = Simulator::start("ut61e", &entrance, "10");
    sim.say_applied("probe D3 E7");
    // Two reads one after the other: the simulator serves the next client when one leaves.
    for _ in 0..2 {
        let result = kmdiag()
            .args([
                "read", "--meter", "ut61e", "--count", "3", "--format", "json",
            ])
            .args(["--baud", "9600", "--port", &sim.port])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&result.stdout);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains("--baud has no effect"), "{stderr}");
        let values: Vec<f64> = stdout
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["value"].as_f64().expect("a handset reads finite forward")
            })
            .collect();
        assert_eq!(values.len(), 3, "{stdout}");
        for v in values {
            assert!((100.0..5000.0).contains(&v), "a handset-like reading: {v}");
        }
    }
    assert_eq!(sim.quit(), Some(0));
}

#[test]
fn a_polled_ut61e_plus_answers_the_binarys_requests_over_tcp() {
    // The UART side of a UT61E+ (its frames, not its USB-HID link) behind a serial bridge: the
    // binary asks for each reading and decodes the replies.
    let entrance = ["--profile", "eltis", "--seed", "5", "--occupancy", "1"];
    let mut sim = Simulator::start("ut61e+", &entrance, "1");
    sim.say_applied("probe D3 E7");
    let result = kmdiag()
        .args([
            "read", "--meter", "ut61e+", "--count", "3", "--format", "json",
        ])
        .args(["--port", &sim.port])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(0), "{stderr}");
    let values: Vec<f64> = stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["mode"], "resistance", "{v}");
            v["value"].as_f64().expect("a handset reads finite forward")
        })
        .collect();
    assert_eq!(values.len(), 3, "{stdout}");
    assert!(
        values.iter().all(|v| (100.0..5000.0).contains(v)),
        "{values:?}"
    );
    assert_eq!(sim.quit(), Some(0));
}

#[test]
fn a_dropped_connection_is_an_unplugged_cable() {
    let entrance = ["--profile", "eltis", "--seed", "5"];
    let mut sim = Simulator::start("ut61e", &entrance, "10");
    let mut read = kmdiag()
        .args(["read", "--meter", "ut61e", "--port", &sim.port])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(read.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(!first.is_empty(), "a reading arrives before the unplug");
    sim.say("unplug");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = read.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "kmdiag notices the lost connection"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::io::read_to_string(read.stderr.take().unwrap()).unwrap();
    assert_eq!(status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("closed the connection"), "{stderr}");
    // While unplugged a new client is closed at once: also exit 3, quickly.
    let again = kmdiag()
        .args([
            "read",
            "--meter",
            "ut61e",
            "--timeout",
            "5",
            "--port",
            &sim.port,
        ])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(3));
}

#[test]
fn nobody_listening_exits_3_and_a_bad_address_exits_2() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = kmdiag()
        .args(["read", "--meter", "ut61e", "--port"])
        .arg(format!("tcp://127.0.0.1:{port}"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("connection refused"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.csv");
    let bad = kmdiag()
        .args(["sweep", "--meter", "adapter", "--profile", "eltis"])
        .args(["--port", "tcp://bridge"])
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("tcp://HOST:PORT"), "{stderr}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_taken_listen_port_is_refused_before_serving() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = kmdiag()
        .args(["simulate", "--profile", "eltis", "--serve", "adapter"])
        .args(["--listen", &addr])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the port is in use"), "{stderr}");
}
