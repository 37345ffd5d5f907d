//! Benchmark of the whole `kmdiag check DIR` process a user runs, on 10,000 and 100,000
//! generated entrance sweeps (healthy and faulty), in table, json and jsonl, and of
//! `kmdiag diff` of two 10,000-entrance checks (json and jsonl). For each run: wall time,
//! sweeps per second, peak memory (the child's maximum resident set, from `wait4`), and the
//! ratio to `cat`-ing the same files measured in the same run — the machine is shared, so
//! the ratio says more than the seconds.
//!
//! `cargo bench --bench check`; `KMDIAG_BENCH_SWEEPS=10000,100000` sets the sizes,
//! `KMDIAG_BENCH_ROUNDS=3` the runs per measurement at 10,000 (the best is kept; one run at
//! larger sizes). Targets (issue 16, 2 cores): 10,000 sweeps in ≤ 1.5 s for table and jsonl,
//! peak memory ≤ 200 MB at 10,000 and 100,000, diff of two 10,000-entrance checks ≤ 2 s.
//! It measures whatever is in the tree and asserts nothing. Unix only (wait4).

#[cfg(not(unix))]
fn main() {
    eprintln!("the check bench measures processes with wait4: run it on Linux or macOS");
}

#[cfg(unix)]
fn main() {
    unix::main();
}

#[cfg(unix)]
#[path = "../tests/check_common/mod.rs"]
mod common;

#[cfg(unix)]
mod unix {
    use super::common::Riser;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    fn riser(i: usize, year: u64) -> Riser {
        let mut r = Riser::healthy(0, 1, 72);
        r.seed = i as u64 + 1 + year * 1_000_003;
        // About a third of the flats of a riser have no handset; one riser in ten has a short,
        // one in seven a contact going bad (worse in the second year, for the diff).
        r.absent = (1..=72u32)
            .filter(|a| (a * 7 + i as u32).is_multiple_of(3))
            .collect();
        if i % 10 == 3 {
            r.short =
                (1..=72u32).find(|a| !r.absent.contains(a) && (a + i as u32).is_multiple_of(11));
        }
        if i % 7 == 5
            && let Some(a) = (1..=72u32).find(|a| !r.absent.contains(a) && Some(*a) != r.short)
        {
            r.forward.push((a, 2900.0 + year as f64 * 1500.0));
        }
        r
    }

    /// Writes `n` sweeps into `dir`.
    fn generate(dir: &Path, n: usize, year: u64) {
        std::fs::create_dir_all(dir).expect("bench folder");
        for i in 0..n {
            let path = dir.join(format!("entrance-{i:06}.csv"));
            std::fs::write(&path, riser(i, year).csv()).expect("write sweep");
        }
    }

    /// One finished process: wall time and peak resident memory.
    #[derive(Debug, Clone, Copy)]
    struct Run {
        wall: Duration,
        /// User + system CPU time of the process (all its threads).
        cpu: Duration,
        peak_mb: f64,
        code: i32,
    }

    /// Runs `cmd` with stdout to `out` (or /dev/null), waits with `wait4` for its own rusage.
    fn run(mut cmd: Command, out: Option<&Path>) -> Run {
        let stdout = match out {
            Some(p) => Stdio::from(std::fs::File::create(p).expect("bench output")),
            None => Stdio::null(),
        };
        cmd.stdout(stdout)
            .stderr(Stdio::null())
            .stdin(Stdio::null());
        let t = Instant::now();
        let child = cmd.spawn().expect("start the benchmarked process");
        let pid = child.id() as libc::pid_t;
        let mut status = 0;
        // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our child, not yet waited for; status and usage are valid pointers.
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        let wall = t.elapsed();
        assert_eq!(rc, pid, "wait4 failed");
        std::mem::forget(child); // already reaped
        let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        Run {
            wall,
            cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
            // ru_maxrss is in kilobytes on Linux.
            peak_mb: usage.ru_maxrss as f64 / 1024.0,
            code: if libc::WIFEXITED(status) {
                libc::WEXITSTATUS(status)
            } else {
                -1
            },
        }
    }

    /// The best (shortest) of `rounds` runs, keeping the largest peak memory seen.
    fn best(rounds: usize, mut f: impl FnMut() -> Run) -> Run {
        let mut out = f();
        for _ in 1..rounds {
            let r = f();
            let peak = out.peak_mb.max(r.peak_mb);
            if r.wall < out.wall {
                out = r;
            }
            out.peak_mb = peak;
        }
        out
    }

    fn kmdiag() -> Command {
        Command::new(env!("CARGO_BIN_EXE_kmdiag"))
    }

    fn check(dir: &Path, format: &str) -> Command {
        let mut c = kmdiag();
        c.arg("check").arg(dir).args([
            "--profile",
            "eltis",
            "--apartments",
            "1-72",
            "--format",
            format,
        ]);
        c
    }

    /// `cat` of every sweep of the folder, the cost of just reading the files.
    fn cat(dir: &Path) -> Command {
        let mut c = Command::new("find");
        c.arg(dir)
            .args(["-name", "*.csv", "-exec", "cat", "{}", "+"]);
        c
    }

    fn line(what: &str, n: usize, r: Run, baseline: Run, target: Option<f64>) {
        let secs = r.wall.as_secs_f64();
        let verdict = match target {
            Some(t) if n == 10_000 => {
                if secs <= t && r.peak_mb <= 200.0 {
                    format!("  target ≤ {t} s, ≤ 200 MB: met")
                } else {
                    format!("  target ≤ {t} s, ≤ 200 MB: NOT met")
                }
            }
            _ if r.peak_mb > 200.0 => "  memory target ≤ 200 MB: NOT met".into(),
            _ => String::new(),
        };
        println!(
            "  {what:<22} {:>8.2} s  {:>9.0} sweeps/s  cpu {:>6.2} s  peak {:>6.1} MB  {:>6.1}× cat  exit {}{verdict}",
            secs,
            n as f64 / secs,
            r.cpu.as_secs_f64(),
            r.peak_mb,
            secs / baseline.wall.as_secs_f64(),
            r.code,
        );
    }

    pub fn main() {
        let sizes: Vec<usize> = std::env::var("KMDIAG_BENCH_SWEEPS")
            .ok()
            .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
            .filter(|v: &Vec<usize>| !v.is_empty())
            .unwrap_or_else(|| vec![10_000, 100_000]);
        let rounds: usize = std::env::var("KMDIAG_BENCH_ROUNDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(3);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let root = tempfile::tempdir().expect("temp dir");
        println!("check bench: whole kmdiag process, {cores} cores, best of {rounds} at 10,000");
        println!(
            "  (cpu: user + system time of the process; on an otherwise idle machine the wall time is about cpu / {cores})"
        );
        for &n in &sizes {
            let dir = root.path().join(format!("sweeps-{n}"));
            let t = Instant::now();
            generate(&dir, n, 0);
            eprintln!("generated {n} sweeps in {:.1?}", t.elapsed());
            let r = if n <= 10_000 { rounds } else { 1 };
            // Warm the page cache so every run reads from memory alike.
            run(cat(&dir), None);
            let baseline = best(r, || run(cat(&dir), None));
            println!("{n} sweeps:");
            line("cat (baseline)", n, baseline, baseline, None);
            for (format, target) in [("table", Some(1.5)), ("jsonl", Some(1.5)), ("json", None)] {
                let res = best(r, || run(check(&dir, format), None));
                line(
                    &format!("check --format {format}"),
                    n,
                    res,
                    baseline,
                    target,
                );
            }
            if n == 10_000 {
                diff_bench(root.path(), &dir, n, baseline, rounds);
            }
            std::fs::remove_dir_all(&dir).ok();
        }
    }

    /// `diff` of this year's check against last year's, both 10,000 entrances.
    fn diff_bench(root: &Path, this_year: &Path, n: usize, baseline: Run, rounds: usize) {
        let last_year = root.join("sweeps-last-year");
        generate(&last_year, n, 1);
        let mut docs: Vec<(String, PathBuf, PathBuf)> = Vec::new();
        for format in ["jsonl", "json"] {
            let old = root.join(format!("old.{format}"));
            let new = root.join(format!("new.{format}"));
            run(check(&last_year, format), Some(&old));
            run(check(this_year, format), Some(&new));
            docs.push((format.to_string(), old, new));
        }
        for (format, old, new) in &docs {
            let size = std::fs::metadata(new).map_or(0, |m| m.len()) as f64 / 1e6;
            let res = best(rounds, || {
                let mut c = kmdiag();
                c.args(["diff", "--format", "json"]).arg(old).arg(new);
                run(c, None)
            });
            line(
                &format!("diff of two {format}"),
                n,
                res,
                baseline,
                Some(2.0),
            );
            eprintln!("  ({format}: {size:.0} MB a side)");
        }
        std::fs::remove_dir_all(&last_year).ok();
    }
}
