//! Benchmark of `kmdiag check DIR`: 10,000 entrance sweeps (generated here, healthy and
//! faulty) checked from files on every core. Prints sweeps per second for (a) only reading
//! the files and (b) the full check (list, read, parse, layout, diagnose), and the ratio
//! (b)/(a), both measured in this run. Target (issue 4): (b) under 1 s on a 2-core machine.
//!
//! `cargo bench --bench check`; `KMDIAG_BENCH_SWEEPS=N` changes the count. It measures
//! whatever engine is in the tree; it must not assert timings.

#[path = "../tests/check_common/mod.rs"]
mod common;

use common::Riser;
use kmdiag::batch::{CheckOptions, Plan, Quiet, check_plan};
use kmdiag::sweep::EntranceSettings;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;

fn riser(i: usize) -> Riser {
    let mut r = Riser::healthy(0, 1, 72);
    r.seed = i as u64 + 1;
    // About a third of the flats of a riser have no handset; one riser in ten has a short,
    // one in seven a contact going bad.
    r.absent = (1..=72u32)
        .filter(|a| (a * 7 + i as u32).is_multiple_of(3))
        .collect();
    if i % 10 == 3 {
        r.short = (1..=72u32).find(|a| !r.absent.contains(a) && (a + i as u32).is_multiple_of(11));
    }
    if i % 7 == 5
        && let Some(a) = (1..=72u32).find(|a| !r.absent.contains(a) && Some(*a) != r.short)
    {
        r.forward.push((a, 2900.0));
    }
    r
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("list bench folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files
}

/// (a): list and read every file on every core, as the check does, and nothing else.
fn read_only(dir: &Path, jobs: usize) -> usize {
    let files = list(dir);
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                let mut mine = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    mine += std::fs::read(f).map_or(0, |b| b.len());
                }
                bytes.fetch_add(mine, Ordering::Relaxed);
            });
        }
    });
    bytes.into_inner()
}

/// CPU time (user + system) of this process so far, all threads, from /proc (Linux); the
/// machine may be shared, so wall time alone overstates what an idle machine would take.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10)) // USER_HZ is 100 on Linux
}

/// Best wall time of `ROUNDS` runs, the CPU time of that run, and the count it returned.
fn best<F: FnMut() -> usize>(mut f: F) -> (Duration, Option<Duration>, usize) {
    let mut out = (Duration::MAX, None, 0);
    for _ in 0..ROUNDS {
        let cpu = cpu_time();
        let t = Instant::now();
        let n = f();
        let wall = t.elapsed();
        if wall < out.0 {
            let used = cpu.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
            out = (wall, used, n);
        }
    }
    out
}

fn main() {
    let n: usize = std::env::var("KMDIAG_BENCH_SWEEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let jobs = std::thread::available_parallelism().map_or(1, |j| j.get());
    let dir = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    for i in 0..n {
        let path = dir.path().join(format!("entrance-{i:05}.csv"));
        std::fs::write(&path, riser(i).csv()).expect("write sweep");
    }
    eprintln!("generated {n} sweeps in {:.2?}", t.elapsed());

    let template = EntranceSettings {
        profile: Some(kmdiag::profile::resolve("eltis").expect("eltis profile")),
        offset: Some(0),
        apartments: Some(vec![1..=72]),
        ..Default::default()
    };
    let options = CheckOptions::default();
    // Warm the page cache so both measurements read from memory alike.
    read_only(dir.path(), jobs);

    let (read_time, read_cpu, bytes) = best(|| read_only(dir.path(), jobs));
    let mut faulty = 0;
    let (check_time, check_cpu, checked) = best(|| {
        let plan = Plan::from_dir(dir.path(), &template).expect("plan of the bench folder");
        let check = check_plan(&plan, &options, &mut Quiet);
        if let Some(f) = check.failures.first() {
            eprintln!("{} sweeps failed, e.g. {}", check.failures.len(), f.error);
        }
        faulty = check
            .report
            .entrances
            .iter()
            .filter(|e| e.diagnosis.has_faults())
            .count();
        check.report.entrances.len()
    });
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "check bench: {n} sweeps, {:.1} MB, {jobs} threads, best of {ROUNDS}",
        bytes as f64 / 1e6
    );
    let cpu = |c: Option<Duration>| c.map_or("?".to_string(), |c| format!("{c:.2?}"));
    println!(
        "  (a) read files only: {:>9.2?} wall, {:>9} CPU  {:>10.0} sweeps/s",
        read_time,
        cpu(read_cpu),
        rate(read_time)
    );
    println!(
        "  (b) full check:      {:>9.2?} wall, {:>9} CPU  {:>10.0} sweeps/s  ({checked} checked, {faulty} with faults)",
        check_time,
        cpu(check_cpu),
        rate(check_time)
    );
    if let Some(c) = check_cpu {
        println!(
            "  (b) CPU time / {jobs} cores = {:.2?}: the wall time on an otherwise idle machine",
            c / jobs as u32
        );
    }
    println!(
        "  ratio (b)/(a): {:.1}; target: (b) under 1 s for 10,000 sweeps: {}",
        check_time.as_secs_f64() / read_time.as_secs_f64(),
        if n == 10_000 {
            if check_time < Duration::from_secs(1) {
                "met"
            } else {
                "NOT met"
            }
        } else {
            "n/a (not 10,000 sweeps)"
        }
    );
}
