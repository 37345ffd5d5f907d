//! The two binaries together, as a newcomer would run them: `kmdiag simulate --serve …
//! --link PATH` (the physical model of an entrance behind a simulated adapter or meter,
//! driven through its standard input) and `kmdiag sweep --port PATH`. The adapter's sweep
//! must equal the sweep `kmdiag simulate -o` writes for the same entrance, and the diagnosis
//! must name the injected fault.
// Pseudo-terminals are unix only; tests/tcp_transport.rs covers the same paths on every OS.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn kmdiag() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kmdiag"))
}

/// A running `kmdiag simulate --serve`, stopped with `quit` (or killed) on drop.
struct Simulator {
    child: Child,
    link: PathBuf,
}

impl Simulator {
    fn start(dir: &Path, device: &str, entrance: &[&str], speed: &str) -> Simulator {
        let link = dir.join(device);
        let child = kmdiag()
            .arg("simulate")
            .args(entrance)
            .args(["--serve", device, "--speed", speed, "--link"])
            .arg(&link)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while std::fs::symlink_metadata(&link).is_err() {
            assert!(start.elapsed() < Duration::from_secs(10), "no link");
            std::thread::sleep(Duration::from_millis(20));
        }
        Simulator { child, link }
    }

    fn say(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
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
                let _ = self.child.kill();
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
fn adapter_sweep_of_the_simulated_entrance_equals_its_recorded_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let entrance = ["--profile", "eltis", "--fault", "37:short", "--seed", "7"];
    let reference = dir.path().join("reference.csv");
    let status = kmdiag()
        .arg("simulate")
        .args(entrance)
        .arg("-o")
        .arg(&reference)
        .status()
        .unwrap();
    assert!(status.success());
    let sim = Simulator::start(dir.path(), "adapter", &entrance, "20");
    let out = dir.path().join("live.csv");
    let result = kmdiag()
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
        .arg(&sim.link)
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
        stdout.contains("37") && stdout.contains("short"),
        "the diagnosis names apartment 37: {stdout}"
    );
    let (live, recorded) = (readings(&out), readings(&reference));
    assert_eq!(live.len(), recorded.len());
    for (l, r) in live.iter().zip(&recorded) {
        assert_eq!((&l.0, &l.1), (&r.0, &r.1));
        assert!(same_value(&l.2, &r.2), "{l:?} vs {r:?}");
    }
    let link = sim.link.clone();
    assert_eq!(sim.quit(), Some(0), "quit ends serving cleanly");
    assert!(
        std::fs::symlink_metadata(&link).is_err(),
        "the link is removed"
    );
}

#[test]
fn guided_sweep_driven_through_the_simulators_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let entrance = [
        "--profile",
        "eltis",
        "--switch",
        "KM20-1",
        "--fault",
        "13:reversed",
        "--seed",
        "3",
    ];
    // The technician sees OL on the display; here the recorded sweep of the same entrance
    // says which points read OL.
    let reference = dir.path().join("reference.csv");
    let status = kmdiag()
        .arg("simulate")
        .args(entrance)
        .arg("--no-bus-checks")
        .arg("-o")
        .arg(&reference)
        .status()
        .unwrap();
    assert!(status.success());
    let open: Vec<(String, String)> = readings(&reference)
        .into_iter()
        .filter(|r| r.2 == "OL")
        .map(|r| (r.0, r.1))
        .collect();
    let mut sim = Simulator::start(dir.path(), "ut61e", &entrance, "25");
    let out = dir.path().join("guided.csv");
    let mut sweep = kmdiag()
        .args([
            "sweep",
            "--meter",
            "ut61e",
            "--profile",
            "eltis",
            "--switch",
            "KM20-1",
            "--format",
            "json",
        ])
        .arg("--port")
        .arg(&sim.link)
        .arg("-o")
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A sweep waiting for a key the technician below never sends would block the reading loop
    // for ever: after two minutes it is killed, its stderr closes and the asserts say why.
    let watched = sweep.id() as libc::pid_t;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(120);
            while Instant::now() < deadline {
                if done.load(std::sync::atomic::Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // SAFETY: kill(2) on the pid of our own child, which `sweep.wait()` has not reaped.
            unsafe { libc::kill(watched, libc::SIGKILL) };
        })
    };
    let mut keys = sweep.stdin.take().unwrap();
    let mut enter = move || {
        let _ = writeln!(keys).and_then(|_| keys.flush());
    };
    let packet = Duration::from_millis(500 / 25);
    let mut prompts = 0;
    let mut log = String::new();
    let started = Instant::now();
    for line in BufReader::new(sweep.stderr.take().unwrap()).lines() {
        let Ok(line) = line else { break };
        log.push_str(&line);
        log.push('\n');
        assert!(started.elapsed() < Duration::from_secs(120), "{log}");
        if line.contains("checking for voltage") {
            // Meter on volts, probes on the named terminals, Enter once it shows 0 V.
            let rest = line.split("probes on ").nth(1).unwrap();
            let mut words = rest.split([' ', ',']).filter(|w| !w.is_empty());
            let (red, black) = (words.next().unwrap(), words.nth(1).unwrap());
            sim.say("mode volts");
            sim.say(&format!("probe {red} {black}"));
            std::thread::sleep(packet * 4);
            enter();
        } else if line.contains("turn the dial to Ω") {
            sim.say("mode resistance");
        } else if line.contains("next ")
            && let Some(rest) = line.split("red on ").nth(1)
        {
            prompts += 1;
            let red = rest.split(',').next().unwrap().trim().to_string();
            let black = rest.split("black on ").nth(1).unwrap();
            let black = black.split_whitespace().next().unwrap().to_string();
            sim.say("lift");
            std::thread::sleep(packet * 3);
            sim.say(&format!("probe {red} {black}"));
            if open.contains(&(red, black)) {
                std::thread::sleep(packet * 3);
                enter();
            }
        } else if line.contains(", like the last point (")
            || line.contains("no reading since the prompt yet")
            || line.contains("the reading is still changing")
        {
            // Enter came before the meter showed the point (a loaded machine delays packets):
            // the sweep says so and waits; press it again once the meter has caught up.
            std::thread::sleep(packet * 3);
            enter();
        }
    }
    let status = sweep.wait().unwrap();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    watchdog.join().unwrap();
    let stdout = std::io::read_to_string(sweep.stdout.take().unwrap()).unwrap();
    assert_eq!(prompts, 40, "2×10 both ways\n{log}");
    assert_eq!(
        status.code(),
        Some(1),
        "the reversed handset is a fault\n{log}"
    );
    assert!(
        stdout.contains("13") && stdout.contains("reversed"),
        "{stdout}"
    );
    assert_eq!(readings(&out).len(), 40);
    assert_eq!(sim.quit(), Some(0));
}
