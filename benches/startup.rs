//! What a short kmdiag command costs from start to exit — the whole process a technician or a
//! script runs, where the settings file, the KMDIAG_* variables and the profile folder are
//! read on every start. Each case runs `--runs` times (default 400), interleaved with two
//! baselines measured in the same run, so all see the same machine load:
//!
//! - the floor: this bench program started again to do nothing (a process start on this
//!   machine, which no kmdiag can beat);
//! - the binary `KMDIAG_BEFORE` names, when it is set (an older kmdiag, e.g. `main` before the
//!   settings); without it that column is empty and the bench says so.
//!
//! The order of the three within a round alternates, so none always runs on a warmer cache.
//! The table gives the median and tenth percentile of the wall time and the ratios of the
//! medians.
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

/// Set in the environment of the floor baseline: the bench program exits at once.
const NOOP_ENV: &str = "KMDIAG_STARTUP_BENCH_NOOP";

/// One run's wall time.
fn time_once(exe: &Path, settings: &Path, args: &[&str], noop: bool) -> Duration {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .env("KMDIAG_CONFIG", settings)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if noop {
        cmd.env(NOOP_ENV, "1");
    }
    let start = Instant::now();
    let status = cmd.status().expect("the program starts");
    let took = start.elapsed();
    // A case that fails measures an error path, not the command: say so rather than time it.
    assert!(
        noop || status.code().is_some_and(|c| c <= 1),
        "{} {args:?} exited with {status}",
        exe.display()
    );
    took
}

/// Median and tenth percentile, in milliseconds.
fn summary(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(times[times.len() / 2]), ms(times[times.len() / 10]))
}

fn main() {
    if std::env::var_os(NOOP_ENV).is_some() {
        return;
    }
    let mut args = std::env::args().skip(1);
    let mut runs = 400usize;
    while let Some(a) = args.next() {
        if a == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        }
    }
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let after = Path::new(env!("CARGO_BIN_EXE_kmdiag"));
    let floor = std::env::current_exe().expect("the bench knows its own path");
    let before = std::env::var("KMDIAG_BEFORE")
        .ok()
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from);
    if before.is_none() {
        eprintln!(
            "startup: KMDIAG_BEFORE is not set, so there is no older kmdiag to compare with; only the floor (a process doing nothing) is measured beside it"
        );
    }
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("none")).unwrap();
    full_settings(&work.path().join("full"));
    println!(
        "{:<26} {:>18} {:>18} {:>18} {:>12} {:>13}",
        format!("case ({runs} runs each)"),
        "floor: median p10",
        "before: median p10",
        "after: median p10",
        "after/before",
        "after/floor"
    );
    for (name, settings, case_args) in CASES {
        let settings = work.path().join(settings);
        let (mut a, mut b, mut f) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..runs {
            let mut take = |which: usize| match which {
                0 => a.push(time_once(after, &settings, case_args, false)),
                1 => f.push(time_once(&floor, &settings, &[], true)),
                _ => {
                    if let Some(exe) = &before {
                        b.push(time_once(exe, &settings, case_args, false));
                    }
                }
            };
            // Rotate who goes first, so no program always follows the same one.
            for k in 0..3 {
                take((round + k) % 3);
            }
        }
        let (am, ap) = summary(a);
        let (fm, fp) = summary(f);
        let floor_col = format!("{fm:.3} {fp:.3}");
        let after_col = format!("{am:.3} {ap:.3}");
        match before {
            Some(_) => {
                let (bm, bp) = summary(b);
                println!(
                    "{name:<26} {floor_col:>18} {:>18} {after_col:>18} {:>12.2} {:>13.2}",
                    format!("{bm:.3} {bp:.3}"),
                    am / bm,
                    am / fm
                );
            }
            None => println!(
                "{name:<26} {floor_col:>18} {:>18} {after_col:>18} {:>12} {:>13.2}",
                "-",
                "-",
                am / fm
            ),
        }
    }
    println!("(milliseconds of wall time per whole process)");
}
