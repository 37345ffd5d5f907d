//! What a short kmdiag command costs from start to exit — the whole process a technician or a
//! script runs, where the settings file, the KMDIAG_* variables and the profile folder are
//! read on every start. Each case runs `--runs` times (default 400), alternating with the
//! binary `KMDIAG_BEFORE` names when it is set, so both see the same machine load; the table
//! gives the median and tenth percentile of the wall time and the ratio of the medians.
//!
//!     KMDIAG_BEFORE=/path/to/old/kmdiag cargo bench --bench startup [-- --runs N]
//!
//! The older binary gets the same arguments; every case passes on the command line what it
//! needs, so one that ignores the settings runs the same command.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A case: name, settings folder (under the bench's temporary folder), arguments.
const CASES: [(&str, &str, &[&str]); 5] = [
    ("version", "none", &["--version"]),
    (
        "map, no settings",
        "none",
        &["map", "--profile", "eltis", "--offset", "72", "73"],
    ),
    (
        "map, full settings",
        "full",
        &["map", "--profile", "eltis", "--offset", "72", "73"],
    ),
    (
        "diagnose, no settings",
        "none",
        &[
            "diagnose",
            "examples/eltis-two-shorts.csv",
            "--profile",
            "eltis",
        ],
    ),
    (
        "diagnose, full settings",
        "full",
        &[
            "diagnose",
            "examples/eltis-two-shorts.csv",
            "--profile",
            "eltis",
        ],
    ),
];

/// The most a technician keeps: every setting and two profiles of their own.
fn full_settings(dir: &Path) {
    let profiles = dir.join("profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "port = \"tcp://127.0.0.1:1\"\nmeter = \"ut61e\"\nprofile = \"eltis\"\nlang = \"en\"\n",
    )
    .unwrap();
    for vendor in ["eltis", "vizit"] {
        let text = std::fs::read_to_string(format!("profiles/{vendor}.toml")).unwrap();
        let mine = text.replace(
            &format!("name = \"{vendor}\""),
            &format!("name = \"my-{vendor}\""),
        );
        std::fs::write(profiles.join(format!("my-{vendor}.toml")), mine).unwrap();
    }
}

/// One run's wall time.
fn time_once(exe: &str, settings: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let _ = Command::new(exe)
        .args(args)
        .env("KMDIAG_CONFIG", settings)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("kmdiag runs");
    start.elapsed()
}

/// Median and tenth percentile, in milliseconds.
fn summary(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(times[times.len() / 2]), ms(times[times.len() / 10]))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut runs = 400usize;
    while let Some(a) = args.next() {
        if a == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        }
    }
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let after = env!("CARGO_BIN_EXE_kmdiag");
    let before = std::env::var("KMDIAG_BEFORE").ok();
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("none")).unwrap();
    full_settings(&work.path().join("full"));
    println!(
        "{:<26} {:>20} {:>20} {:>7}",
        format!("case ({runs} runs each)"),
        "before: median, p10",
        "after: median, p10",
        "ratio"
    );
    for (name, settings, case_args) in CASES {
        let settings = work.path().join(settings);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            a.push(time_once(after, &settings, case_args));
            if let Some(exe) = &before {
                b.push(time_once(exe, &settings, case_args));
            }
        }
        let (am, ap) = summary(a);
        match before {
            Some(_) => {
                let (bm, bp) = summary(b);
                println!(
                    "{name:<26} {:>11.3} ms {bp:.3} {:>11.3} ms {ap:.3} {:>7.2}",
                    bm,
                    am,
                    am / bm
                );
            }
            None => println!("{name:<26} {:>20} {:>11.3} ms {ap:.3} {:>7}", "-", am, "-"),
        }
    }
}
