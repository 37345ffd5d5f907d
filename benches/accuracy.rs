//! How often kmdiag's diagnosis is right, and how fast it is, graded as issue 12 asks and side
//! by side with the field rule of thumb (domain.md §3):
//!
//! - simulated entrances with every field effect on, per category (healthy, one fault,
//!   several faults, bus faults): exact match; "excused" exact match, where a missed fault whose
//!   removal changes no reading by more than 3σ of that sweep's noise is excused but must be
//!   on the engine's "cannot tell" list; "exact or listed", where every missed fault is on that
//!   list (none silently missed); and the technician's two visits (repair what the first sweep
//!   named, sweep again);
//! - precision (share of findings that are true), overall and per fault kind (a finding of two
//!   lines joined by shorts, `Facts::Joined`, is true when the truth is one of the explanations
//!   it names, though never exact);
//! - the same entrances under each physical effect alone and under the old lab physics;
//! - the reliability of stated confidence (60–80 %, 80–90 %, ≥ 90 %);
//! - for information beside the graded figures (never part of them): each missed fault the
//!   3σ removal rule does not excuse, simulated again under the other explanations the
//!   engine's cannot-tell list states (`accuracy/alternatives.rs`: the handset healthy or
//!   taken away, the same fault moved to a listed crossing on its lines with its own values,
//!   touching or cut lines the list names instead, a cut line whole with its flats empty), and
//!   how far the nearest one's noise-free readings are from the real sweep's — bucketed at
//!   3σ and 10σ of the reading that changes most, and at 1, 3 and 10 % — with "exact once a
//!   miss reproduced within 3σ counts like an excused one" per category (the held-out sets
//!   have no simulator scenario and are not examined);
//! - for information, the engine's noise estimate against the noise each sweep was given
//!   (one reading's σ at its median ghost reading, for the cautious point and the median of
//!   the noise probability, by how many readings each rested on, and how often the truth lies
//!   above the probability's 95th percentile), with the sweeps put furthest under;
//! - the held-out reference sweeps (40 from model A, 200 from model B), scored the same way;
//! - the mean and the slowest diagnosis, against parsing the same sweep as the baseline.
//!
//! Run: `cargo bench --bench accuracy` (a few minutes). Options after `--`: `--entrances N`
//! (entrances with every effect, default 1000), `--effect-entrances N` (for each other
//! configuration, default 500), `--seeds A-B` or `--seed S` (default 1), `--examples N`
//! (mismatches to print). The environment variables `KMDIAG_ACCURACY_SEEDS`,
//! `KMDIAG_ACCURACY_ENTRANCES` and `KMDIAG_ACCURACY_EFFECT_ENTRANCES` do the same for longer
//! runs. This harness only scores: it never feeds anything back into the engine, and the
//! held-out sets are measured, never tuned on.

use kmdiag::diagnose::{CannotTell, Diagnosis, Doubt, Facts, Fault, Subject, diagnose};
use kmdiag::model::{Cell, LineKind, Reading, Sweep, Terminal};
use kmdiag::profile::{Layout, LayoutSpec, Profile, builtin_profiles, parse_apartments, resolve};
use kmdiag::sim::{
    FaultSpec, HandsetFault, MeterFamily, MeterSpec, MixedHandsets, Physics, RawReading, Scenario,
    SimEntrance, SimRng, Truth, TruthFinding,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[path = "accuracy/alternatives.rs"]
mod alternatives;
use alternatives::{Distance, Listed, Nearness};

// ---- What a finding names ----------------------------------------------------------------------

/// One fault as either side names it: a handset by apartment (or crossing, for a crossing no
/// apartment maps to), a line or pair of lines by label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Named {
    Handset(String, Fault),
    Bus(String, Fault),
    /// Two lines joined at both crossings of a third (`Facts::Joined`): shorts at both, or a
    /// short at one and the lines touching. Never a truth, so never exact.
    Joined(String),
}

impl Named {
    /// The apartment or line it is about.
    fn subject(&self) -> &str {
        match self {
            Named::Handset(who, _) | Named::Bus(who, _) | Named::Joined(who) => who,
        }
    }

    /// The fault kind, as the per-kind table names it.
    fn kind(&self) -> &'static str {
        match self {
            Named::Handset(_, f) => f.key(),
            Named::Bus(_, Fault::Open) => "bus open",
            Named::Bus(..) => "bus short",
            Named::Joined(_) => "joined",
        }
    }
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Named::Handset(who, fault) | Named::Bus(who, fault) => {
                write!(f, "{who}:{}", fault.key())
            }
            Named::Joined(pair) => write!(f, "{pair}:joined"),
        }
    }
}

type Findings = BTreeSet<Named>;

/// Fault kinds in the order the per-kind tables list them; "joined" is the finding of two
/// lines joined which way unknown, right when the truth is one of its explanations.
const KINDS: [&str; 7] = [
    "short",
    "reversed",
    "leak",
    "high_resistance",
    "bus open",
    "bus short",
    "joined",
];

fn pair(a: &str, b: Option<&str>) -> String {
    match b {
        None => a.to_string(),
        Some(b) => {
            let mut v = [a, b];
            v.sort();
            format!("{}-{}", v[0], v[1])
        }
    }
}

fn named(f: &kmdiag::diagnose::Finding, layout: &Layout) -> Named {
    let labels = &layout.labels;
    match &f.subject {
        Subject::Handset { cell, apartment } => Named::Handset(
            apartment.map_or_else(|| labels.cell_label(*cell), |a| a.to_string()),
            f.fault,
        ),
        Subject::Bus { line, other } => {
            let lines = pair(labels.label(*line), other.map(|o| labels.label(o)));
            if matches!(f.facts, Facts::Joined { .. }) {
                Named::Joined(lines)
            } else {
                Named::Bus(lines, f.fault)
            }
        }
    }
}

/// The findings that name two lines joined at both crossings of a third (`Facts::Joined`:
/// shorts at both, or a short at one and the two lines touching) whose truth is one of those
/// explanations: right, though not exact (they do not say which).
fn joined_right(d: &Diagnosis, layout: &Layout, truth: &Findings) -> Findings {
    d.findings
        .iter()
        .filter_map(|f| {
            let Facts::Joined { crossings, .. } = &f.facts else {
                return None;
            };
            let n = named(f, layout);
            let touching = truth.contains(&Named::Bus(n.subject().to_string(), Fault::Short));
            let short = |k: usize| {
                let (cell, apartment, _) = crossings[k];
                let who =
                    apartment.map_or_else(|| layout.labels.cell_label(cell), |a| a.to_string());
                truth.contains(&Named::Handset(who, Fault::Short))
            };
            let right = (short(0) && short(1)) || ((short(0) || short(1)) && touching);
            right.then_some(n)
        })
        .collect()
}

/// True when the truth joins lines `a` and `b` as a `joined_unplaced` entry says: shorts at
/// both their crossings of some other line, or the two lines touching.
fn joined_somewhere((a, b): (Terminal, Terminal), layout: &Layout, truth: &Findings) -> bool {
    let labels = &layout.labels;
    let touching = pair(labels.label(a), Some(labels.label(b)));
    let short = |line: Terminal, o: u16| {
        let cell = match line.kind {
            LineKind::Tens => Cell::new(line.index, o),
            LineKind::Units => Cell::new(o, line.index),
        };
        let who = layout
            .apartment(cell)
            .map_or_else(|| labels.cell_label(cell), |a| a.to_string());
        truth.contains(&Named::Handset(who, Fault::Short))
    };
    let others = match a.kind {
        LineKind::Tens => layout.switch.units,
        LineKind::Units => layout.switch.tens,
    };
    truth.contains(&Named::Bus(touching, Fault::Short))
        || (0..others).any(|o| short(a, o) && short(b, o))
}

fn found_set(d: &Diagnosis, layout: &Layout) -> Findings {
    d.findings.iter().map(|f| named(f, layout)).collect()
}

/// The engine's "cannot tell from this sweep" list, as the apartments (or crossings without
/// one) and lines on it, named as `Named::subject` names them: the one place that reads it.
fn cannot_tell(d: &Diagnosis, layout: &Layout) -> BTreeSet<String> {
    d.cannot_tell
        .iter()
        .map(|c| doubt_subject(c, layout))
        .collect()
}

/// The cannot-tell list's entries as places the simulator could put a fault instead of a
/// missed one (the other explanations the list states).
fn listed(d: &Diagnosis) -> Vec<Listed> {
    (d.cannot_tell.iter())
        .map(|c| match c.subject {
            Subject::Handset {
                cell,
                apartment: Some(apartment),
            } => Listed::Flat {
                apartment,
                cell,
                fault: c.fault,
            },
            Subject::Handset { cell, .. } => Listed::NoApartment { cell },
            Subject::Bus {
                line,
                other: Some(other),
            } => Listed::Touching(line.min(other), line.max(other)),
            Subject::Bus { line, .. } => Listed::Line(line),
        })
        .collect()
}

/// What one entry of the cannot-tell list is about, named as `Named::subject` names it.
fn doubt_subject(c: &CannotTell, layout: &Layout) -> String {
    let labels = &layout.labels;
    match &c.subject {
        Subject::Handset { cell, apartment } => {
            apartment.map_or_else(|| labels.cell_label(*cell), |a| a.to_string())
        }
        Subject::Bus { line, other } => pair(labels.label(*line), other.map(|o| labels.label(o))),
    }
}

fn truth_set(truth: &Truth) -> Findings {
    truth
        .findings
        .iter()
        .map(|f| match f {
            TruthFinding::Handset {
                apartment, fault, ..
            } => Named::Handset(apartment.to_string(), *fault),
            TruthFinding::Bus {
                bus, other, fault, ..
            } => Named::Bus(pair(bus, other.as_deref()), *fault),
        })
        .collect()
}

/// How an injected fault is named.
fn spec_name(spec: &FaultSpec, layout: &Layout) -> Option<Named> {
    let labels = &layout.labels;
    match *spec {
        FaultSpec::Handset { apartment, fault } => fault
            .fault()
            .map(|f| Named::Handset(apartment.to_string(), f)),
        FaultSpec::BusOpen { line } => {
            Some(Named::Bus(labels.label(line).to_string(), Fault::Open))
        }
        FaultSpec::BusShort { a, b } => Some(Named::Bus(
            pair(labels.label(a), Some(labels.label(b))),
            Fault::Short,
        )),
    }
}

// ---- Categories ----------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Category {
    Healthy,
    OneFault,
    SeveralFaults,
    BusFaults,
}

impl Category {
    const ALL: [Category; 4] = [
        Category::Healthy,
        Category::OneFault,
        Category::SeveralFaults,
        Category::BusFaults,
    ];

    fn name(self) -> &'static str {
        match self {
            Category::Healthy => "healthy",
            Category::OneFault => "one fault",
            Category::SeveralFaults => "several faults",
            Category::BusFaults => "bus faults",
        }
    }

    /// The exact-match target of issue 12 (healthy: no finding at all).
    fn target(self) -> f64 {
        match self {
            Category::Healthy => 1.0,
            Category::OneFault => 0.99,
            Category::SeveralFaults | Category::BusFaults => 0.95,
        }
    }

    /// The category of a set of true findings.
    fn of(truth: &Findings) -> Category {
        if truth.iter().any(|n| matches!(n, Named::Bus(..))) {
            Category::BusFaults
        } else {
            match truth.len() {
                0 => Category::Healthy,
                1 => Category::OneFault,
                _ => Category::SeveralFaults,
            }
        }
    }
}

/// Precision target of issue 12: share of findings that are true.
const PRECISION_TARGET: f64 = 0.99;

/// Confidence bands of the reliability table, with their lower bounds as the target: findings
/// stated at 60–80 % must be right at least 60 % of the time, and so on. Findings under 60 %
/// are counted for information.
const BANDS: [(f64, f64); 4] = [(0.6, 0.8), (0.8, 0.9), (0.9, 1.01), (0.0, 0.6)];

/// Bands of the probability of a fault the cannot-tell list states for each entry (the JSON's
/// `fault_probability`): for information, how often a fault was really there in each. Entries
/// under 10 % are the ones listed only to re-measure after the repair; entries at 90 % or more
/// are doubts about which fault or which of two crossings, not whether.
const DOUBT_BANDS: [(f64, f64); 5] = [(0.0, 0.1), (0.1, 0.3), (0.3, 0.6), (0.6, 0.9), (0.9, 1.01)];

/// A missed fault whose sweep another explanation reproduces within this many σ of every
/// reading is counted like an excused one in the information column: the issue's own
/// excusing threshold (3σ), applied to the nearest alternative instead of the removal.
const ALIKE_SIGMA: f64 = alternatives::SIGMA_EDGES[0];

/// Slowest diagnosis issue 12 allows, µs.
const SLOWEST_TARGET_US: f64 = 1000.0;

// ---- Options ----------------------------------------------------------------------------------

struct Options {
    entrances: usize,
    effect_entrances: usize,
    seeds: Vec<u64>,
    examples: usize,
}

/// Parses `A-B` or `A` into a list of seeds.
fn parse_seeds(text: &str) -> Option<Vec<u64>> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (a, b) = (a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?);
    (a <= b && b - a < 1000).then(|| (a..=b).collect())
}

fn options() -> Options {
    let env = |k: &str| std::env::var(k).ok();
    let mut o = Options {
        entrances: env("KMDIAG_ACCURACY_ENTRANCES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000),
        effect_entrances: env("KMDIAG_ACCURACY_EFFECT_ENTRANCES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(500),
        seeds: env("KMDIAG_ACCURACY_SEEDS")
            .and_then(|v| parse_seeds(&v))
            .unwrap_or(vec![1]),
        examples: 8,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        let number = value.parse::<usize>().ok();
        match (args[i].as_str(), number) {
            ("--entrances", Some(v)) => o.entrances = v,
            ("--effect-entrances", Some(v)) => o.effect_entrances = v,
            ("--examples", Some(v)) => o.examples = v,
            ("--seed" | "--seeds", _) if parse_seeds(&value).is_some() => {
                o.seeds = parse_seeds(&value).unwrap_or_default();
            }
            // cargo bench passes --bench; anything else unknown is ignored too.
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    o
}

/// CPU time of this thread, in nanoseconds.
#[cfg(unix)]
fn cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Elsewhere no per-thread CPU clock is at hand: wall time since the first call, the nearest
/// stand-in (it also counts time the thread waited for a core). The figures in the README are
/// from unix.
#[cfg(not(unix))]
fn cpu_ns() -> u64 {
    use std::sync::OnceLock;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// Times of a diagnosis taken this many times; the least is its cost. On a shared machine one
/// run now and then is slowed tenfold by another process evicting the caches (a 50 µs
/// diagnosis measured at 2.7 ms once); the least of three is what the diagnosis itself costs.
const TIMINGS: usize = 3;

/// Diagnoses a sweep `TIMINGS` times; the diagnosis and its least CPU time.
fn timed_diagnosis(
    sweep: &Sweep,
    layout: &Layout,
    prior: &kmdiag::diagnose::ForwardPrior,
) -> (Diagnosis, u64) {
    let mut least = u64::MAX;
    let mut last = None;
    for _ in 0..TIMINGS {
        let t = cpu_ns();
        let d = diagnose(sweep, layout, prior);
        least = least.min(cpu_ns() - t);
        last = Some(d);
    }
    (last.unwrap_or_default(), least)
}

// ---- Physics configurations ---------------------------------------------------------------------

/// Which meter family a configuration's entrances are read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meters {
    ConstantCurrent,
    Ranged,
    /// Each entrance draws one, half and half (as field meters come).
    Either,
}

/// A set of physical effects the entrances are simulated with.
struct Config {
    name: &'static str,
    physics: Physics,
    meters: Meters,
}

/// Every effect on first, then each alone, then the old lab physics.
fn configs() -> Vec<Config> {
    let lab = Physics::lab();
    vec![
        Config {
            name: "every effect",
            physics: Physics::field(),
            meters: Meters::Either,
        },
        Config {
            name: "wiring alone",
            physics: Physics {
                wiring: true,
                ..lab
            },
            meters: Meters::ConstantCurrent,
        },
        Config {
            name: "mixed handsets alone",
            physics: Physics {
                mixed_handsets: MixedHandsets::On,
                ..lab
            },
            meters: Meters::ConstantCurrent,
        },
        Config {
            name: "ranged meter alone",
            physics: lab,
            meters: Meters::Ranged,
        },
        Config {
            name: "noise+contact alone",
            physics: Physics {
                field_noise: true,
                contact_ohms: Physics::field().contact_ohms,
                ..lab
            },
            meters: Meters::ConstantCurrent,
        },
        Config {
            name: "lab (c.c. meter)",
            physics: lab,
            meters: Meters::ConstantCurrent,
        },
    ]
}

// ---- Generated entrances ----------------------------------------------------------------------

/// One generated entrance, before the physics is chosen.
struct Case {
    profile: Profile,
    scenario: Scenario,
    category: Category,
    /// `kmdiag simulate` options that give the same layout and faults.
    command: String,
    /// Ranged meter drawn for `Meters::Either`, and its counts.
    ranged: bool,
    counts: u32,
}

impl Case {
    /// The scenario under a configuration.
    fn under(&self, config: &Config) -> Scenario {
        let ranged = match config.meters {
            Meters::ConstantCurrent => false,
            Meters::Ranged => true,
            Meters::Either => self.ranged,
        };
        let mut s = self.scenario.clone();
        s.physics = config.physics;
        if ranged {
            s.meter.family = MeterFamily::Ranged;
            s.meter.counts = self.counts;
        }
        s
    }

    /// The `kmdiag simulate` command that makes the same sweep.
    fn repro(&self, s: &Scenario) -> String {
        let p = s.physics;
        let mut c = self.command.clone();
        c.push_str(&format!(
            " --meter-family {} --meter-counts {} --wiring {} --mixed-handsets {} --noise {} --contact-ohms {}",
            match s.meter.family {
                MeterFamily::ConstantCurrent => "constant-current",
                MeterFamily::Ranged => "ranged",
            },
            s.meter.counts,
            if p.wiring { "on" } else { "off" },
            match p.mixed_handsets {
                MixedHandsets::On => "on",
                MixedHandsets::Off => "off",
                MixedHandsets::Field => "field",
            },
            if p.field_noise {
                "field".to_string()
            } else {
                format!("{}%", s.meter.noise * 100.0)
            },
            p.contact_ohms
        ));
        c.push_str(" -o sweep.csv");
        c
    }
}

fn generate(rng: &mut SimRng, profiles: &[Profile]) -> Option<Case> {
    let profile = rng.pick(profiles)?.clone();
    let switch = if rng.chance(0.7) {
        profile.switch(None).ok()?.clone()
    } else {
        rng.pick(&profile.switches)?.clone()
    };
    let cap = switch.capacity();
    let offset = if rng.chance(0.3) {
        0
    } else {
        rng.below(300) as i64
    };
    let matrix = if switch.matrices >= 2 && rng.chance(0.3) {
        2
    } else {
        1
    };
    let base = offset as u32 + (matrix as u32 - 1) * cap;
    let (first, last) = if rng.chance(0.5) {
        (base + 1, base + cap)
    } else {
        let trim = (cap / 4).max(1) as usize;
        (
            base + 1 + rng.below(trim) as u32,
            base + cap - rng.below(trim) as u32,
        )
    };
    let spec = LayoutSpec {
        offset,
        apartments: Some(vec![first..=last]),
        matrix: Some(matrix),
        ..Default::default()
    };
    let layout = Layout::build(&profile, &switch, &spec).ok()?;
    let occupancy = (rng.uniform(0.75, 1.0) * 100.0).round() / 100.0;
    let current_ua = rng.uniform(500.0, 1200.0).round();
    let compliance = (rng.uniform(1.5, 3.5) * 100.0).round() / 100.0;
    // The meter family and counts are drawn for every case, so every configuration sees the
    // same entrances.
    let ranged = rng.chance(0.5);
    let counts = *rng.pick(&kmdiag::sim::meter::RANGED_COUNTS)?;

    let category = match rng.below(100) {
        0..25 => Category::Healthy,
        25..60 => Category::OneFault,
        60..80 => Category::SeveralFaults,
        _ => Category::BusFaults,
    };
    let handset_faults = match category {
        Category::Healthy => 0,
        Category::OneFault => 1,
        Category::SeveralFaults => 2 + rng.below(2),
        Category::BusFaults => rng.below(3),
    };
    let mut faults = Vec::new();
    let wired: Vec<(Cell, u32)> = layout
        .cells()
        .filter_map(|c| layout.apartment(c).map(|a| (c, a)))
        .collect();
    let serves = |t: Terminal| {
        wired
            .iter()
            .filter(|(c, _)| match t.kind {
                LineKind::Tens => c.tens == t.index,
                LineKind::Units => c.units == t.index,
            })
            .count()
    };
    let mut open_line: Option<Terminal> = None;
    if category == Category::BusFaults {
        if rng.chance(0.5) {
            // An open line that serves several flats (else nothing shows it).
            let lines: Vec<Terminal> = (0..layout.tens())
                .map(Terminal::tens)
                .chain((0..layout.units()).map(Terminal::units))
                .filter(|t| serves(*t) >= 3)
                .collect();
            let line = *rng.pick(&lines)?;
            open_line = Some(line);
            faults.push(FaultSpec::BusOpen { line });
        } else {
            let tens = rng.chance(0.5) && layout.tens() >= 2 || layout.units() < 2;
            let n = if tens { layout.tens() } else { layout.units() };
            let a = rng.below(n as usize) as u16;
            let mut b = rng.below(n as usize - 1) as u16;
            if b >= a {
                b += 1;
            }
            let (a, b) = (a.min(b), a.max(b));
            let mk = |i| {
                if tens {
                    Terminal::tens(i)
                } else {
                    Terminal::units(i)
                }
            };
            faults.push(FaultSpec::BusShort { a: mk(a), b: mk(b) });
        }
    }
    // Handset faults on distinct flats, none on an open line (it would be invisible).
    let mut candidates: Vec<(Cell, u32)> = wired
        .iter()
        .copied()
        .filter(|(c, _)| match open_line {
            Some(t) if t.kind == LineKind::Tens => c.tens != t.index,
            Some(t) => c.units != t.index,
            None => true,
        })
        .collect();
    rng.shuffle(&mut candidates);
    for (_, apartment) in candidates.iter().take(handset_faults) {
        let fault = *rng.pick(&HandsetFault::FAULTS)?;
        faults.push(FaultSpec::Handset {
            apartment: *apartment,
            fault,
        });
    }
    let seed = rng.next_u64() >> 1;
    let labels = &layout.labels;
    let mut command = format!(
        "kmdiag simulate --profile {} --switch {} --offset {offset} --apartments {first}-{last} --matrix {matrix} --occupancy {occupancy} --meter-current {current_ua}uA --meter-compliance {compliance}V --seed {seed}",
        profile.name, switch.model
    );
    for f in &faults {
        let text = match *f {
            FaultSpec::Handset { apartment, fault } => format!(
                "{apartment}:{}",
                fault.fault().map_or("absent", |f| f.key())
            ),
            FaultSpec::BusOpen { line } => format!("{}:open", labels.label(line)),
            FaultSpec::BusShort { a, b } => {
                format!("{}-{}:short", labels.label(a), labels.label(b))
            }
        };
        command.push_str(&format!(" --fault {text}"));
    }
    let scenario = Scenario {
        occupancy,
        faults,
        meter: MeterSpec {
            test_current_amps: current_ua * 1e-6,
            compliance_volts: compliance,
            ..MeterSpec::default()
        },
        seed,
        ..Scenario::new(layout)
    };
    Some(Case {
        profile,
        scenario,
        category,
        command,
        ranged,
        counts,
    })
}

/// The cases of a run, seed by seed: the same for every configuration (the first N of each
/// seed's).
fn cases(seeds: &[u64], per_seed: usize) -> Vec<Vec<Case>> {
    let profiles = builtin_profiles();
    let mut out = Vec::new();
    for &seed in seeds {
        let mut rng = SimRng::stream(seed, 0xACC);
        let mut these = Vec::new();
        let mut attempts = 0;
        while these.len() < per_seed && attempts < per_seed * 10 {
            attempts += 1;
            if let Some(case) = generate(&mut rng, &profiles) {
                these.push(case);
            }
        }
        out.push(these);
    }
    out
}

// ---- Judging a missed fault ---------------------------------------------------------------------

/// Every probe pair of a sweep with bus checks, as `SimEntrance::sweep` measures them.
fn probe_pairs(tens: u16, units: u16) -> Vec<(Terminal, Terminal)> {
    let mut out = Vec::new();
    for t in 0..tens {
        for u in 0..units {
            out.push((Terminal::tens(t), Terminal::units(u)));
            out.push((Terminal::units(u), Terminal::tens(t)));
        }
    }
    for a in 0..tens {
        for b in a + 1..tens {
            out.push((Terminal::tens(a), Terminal::tens(b)));
        }
    }
    for a in 0..units {
        for b in a + 1..units {
            out.push((Terminal::units(a), Terminal::units(b)));
        }
    }
    out
}

/// Standard deviation of one displayed reading of this sweep, Ω: the meter's relative noise,
/// the probe contact (uniform from 0 to its largest: σ = max/√12) and the display's rounding
/// (σ = step/√12).
fn reading_sigma(truth: &Truth, raw: RawReading) -> f64 {
    let noise = truth.meter.noise * raw.ohms;
    let contact = truth.physics.contact_ohms / 12f64.sqrt();
    let rounding = truth.meter.resolution(raw.range) / 12f64.sqrt();
    (noise * noise + contact * contact + rounding * rounding).sqrt()
}

// ---- The noise estimate against the truth ------------------------------------------------------

/// The engine's noise estimate for one sweep, against the noise the simulator injected,
/// compared as one reading's standard deviation at the reading the engine weighs most (see
/// `noise_fit`).
#[derive(Debug, Clone, Copy)]
struct NoiseFit {
    /// The cautious point (`Measured::noise`) the bus and classify stages use ÷ the truth.
    point: f64,
    /// The median of the noise's probability (`Measured::noise_median`), which a ghost's
    /// shortfall is weighed over ÷ the truth.
    median: f64,
    /// Residuals the point rested on (`Measured::noise_from`).
    point_from: usize,
    /// Lone readings the probability rested on (`Measured::noise_median_from`).
    median_from: usize,
    /// True when the meter's injected relative noise is above the probability's 95th
    /// percentile (`Measured::noise_p95`): the sweep was sure of a steadier meter than it was.
    above_p95: bool,
}

/// Sweeps kept as examples of the noise put furthest under the truth.
const NOISE_EXAMPLES: usize = 8;
/// A forward reading this many times the entrance's healthy one is taken as a ghost, for
/// choosing the reading the noise is compared at: a ghost's sneak path is three readings.
const GHOST_OVER_TYPICAL: f64 = 1.5;
/// The probe contact the engine allows for, uniform on 0–1 Ω: σ = 1/√12 (`noise.rs`).
const ENGINE_CONTACT_SD: f64 = 0.288_675;

/// Keeps the `NOISE_EXAMPLES` sweeps of lowest ratio.
fn keep_furthest_under(v: &mut Vec<(f64, String)>) {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    v.truncate(NOISE_EXAMPLES);
}

/// One reading's standard deviation as the engine models it, Ω, with relative noise `rel`:
/// the display step (the engine reads it from the digits; the meter's resolution on that
/// range here) and its probe contact added as `Noise::var` adds them.
fn engine_sigma(rel: f64, truth: &Truth, raw: RawReading) -> f64 {
    let step = truth.meter.resolution(raw.range);
    ((rel * raw.ohms).powi(2) + step * step / 12.0 + ENGINE_CONTACT_SD.powi(2)).sqrt()
}

/// The engine's noise estimate against the truth, like with like: one reading's standard
/// deviation (relative noise, display step, probe contact) at the median noise-free ghost
/// reading of the sweep (the readings the noise is measured on and weighed at), or at the
/// median handset reading when the sweep has no ghost. None when nothing conducts forwards.
fn noise_fit(d: &Diagnosis, entrance: &mut SimEntrance, layout: &Layout) -> Option<NoiseFit> {
    let typical = d.typical_forward_ohms?;
    let mut raws: Vec<RawReading> = Vec::new();
    for t in 0..layout.tens() {
        for u in 0..layout.units() {
            raws.extend(entrance.raw(Terminal::tens(t), Terminal::units(u)));
        }
    }
    let mut ghosts: Vec<RawReading> = (raws.iter())
        .filter(|r| r.ohms > GHOST_OVER_TYPICAL * typical)
        .copied()
        .collect();
    let at = if ghosts.is_empty() {
        &mut raws
    } else {
        &mut ghosts
    };
    if at.is_empty() {
        return None;
    }
    at.sort_by(|a, b| a.ohms.total_cmp(&b.ohms));
    let raw = at[at.len() / 2];
    let truth = entrance.truth().clone();
    let true_sigma = reading_sigma(&truth, raw);
    let m = &d.measured;
    Some(NoiseFit {
        point: engine_sigma(m.noise, &truth, raw) / true_sigma,
        median: engine_sigma(m.noise_median, &truth, raw) / true_sigma,
        point_from: m.noise_from,
        median_from: m.noise_median_from,
        above_p95: truth.meter.noise > m.noise_p95 * (1.0 + 1e-9),
    })
}

/// The alternatives to a fault that would remove it: a faulty handset made healthy or taken
/// away, a line mended.
fn without(scenario: &Scenario, fault: &Named) -> Vec<Scenario> {
    let layout = &scenario.layout;
    let Some(i) = scenario
        .faults
        .iter()
        .position(|f| spec_name(f, layout).as_ref() == Some(fault))
    else {
        return Vec::new();
    };
    let instead: Vec<Option<FaultSpec>> = match scenario.faults[i] {
        FaultSpec::Handset { apartment, .. } => [HandsetFault::Healthy, HandsetFault::Absent]
            .into_iter()
            .map(|fault| Some(FaultSpec::Handset { apartment, fault }))
            .collect(),
        FaultSpec::BusOpen { .. } | FaultSpec::BusShort { .. } => vec![None],
    };
    instead
        .into_iter()
        .map(|f| {
            let mut s = scenario.clone();
            match f {
                Some(f) => s.faults[i] = f,
                None => {
                    s.faults.remove(i);
                }
            }
            s
        })
        .collect()
}

/// True when removing `fault` changes no noise-free reading of the sweep by more than 3σ of
/// this sweep's noise: no resistance sweep can show it, so a diagnosis is excused for
/// missing it (but must say it cannot tell).
fn unobservable(scenario: &Scenario, entrance: &mut SimEntrance, fault: &Named) -> bool {
    let layout = &scenario.layout;
    let truth = entrance.truth().clone();
    without(scenario, fault).into_iter().any(|other| {
        let Ok(mut other) = SimEntrance::new(&other) else {
            return false;
        };
        probe_pairs(layout.tens(), layout.units())
            .into_iter()
            .all(|(p, m)| match (entrance.raw(p, m), other.raw(p, m)) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    let larger = if a.ohms >= b.ohms { a } else { b };
                    (a.ohms - b.ohms).abs() <= 3.0 * reading_sigma(&truth, larger)
                }
                _ => false,
            })
    })
}

/// The nearest other explanation of a sweep whose missed `fault` the grading does not excuse
/// (information: it never changes what counts as exact or excused): every alternative
/// `alternatives::alternatives` builds from the cannot-tell list `listed`, each checked to
/// differ from the real entrance only where it says, and the one whose largest change of a
/// noise-free reading is fewest σ, with its distance. Counts into `near` the listed
/// crossings the simulator cannot place a fault on and any alternative that drifted.
fn nearest_alternative(
    scenario: &Scenario,
    entrance: &mut SimEntrance,
    fault: &Named,
    listed: &[Listed],
    near: &mut Nearness,
) -> Option<(String, Distance)> {
    let layout = &scenario.layout;
    let i = (scenario.faults.iter()).position(|f| spec_name(f, layout).as_ref() == Some(fault))?;
    let (candidates, unmappable) = alternatives::alternatives(scenario, i, listed);
    near.unmappable += unmappable;
    let truth = entrance.truth().clone();
    let pairs = probe_pairs(layout.tens(), layout.units());
    let mut best: Option<(String, Distance)> = None;
    for alt in candidates {
        let Ok(mut other) = SimEntrance::new(&alt.scenario) else {
            continue;
        };
        if !alternatives::same_elsewhere(entrance, &other, layout, &alt.touched) {
            near.drifted += 1;
            continue;
        }
        let bound = best.as_ref().map_or(f64::INFINITY, |(_, d)| d.sigma);
        let sigma = |r| reading_sigma(&truth, r);
        if let Some(d) = alternatives::distance(entrance, &mut other, &pairs, sigma, bound)
            && best.as_ref().is_none_or(|(_, b)| d.sigma < b.sigma)
        {
            best = Some((alt.what, d));
        }
    }
    best
}

/// One line of the nearest alternative to a missed fault, for the examples.
fn show_nearest(layout: &Layout, nearest: &Option<(String, Distance)>) -> String {
    let ohms = |r: Option<f64>| r.map_or("OL".to_string(), |o| format!("{o:.0} Ω"));
    match nearest {
        None => "no other explanation found".into(),
        Some((what, d)) => {
            let at = d.at.map_or(String::new(), |(p, m, a, b)| {
                format!(
                    " ({}→{} {} instead of {})",
                    layout.labels.label(p),
                    layout.labels.label(m),
                    ohms(b),
                    ohms(a)
                )
            });
            format!(
                "nearest: {what}, {:.1}σ{at}, at most {:.1} %",
                d.sigma, d.percent
            )
        }
    }
}

/// The scenario after the technician's first visit: every fault named in `fixed` repaired (a
/// handset made healthy, a line mended), everything else as it was.
fn repaired(scenario: &Scenario, fixed: &Findings) -> Scenario {
    let layout = &scenario.layout;
    let mut after = scenario.clone();
    after.faults = scenario
        .faults
        .iter()
        .filter_map(|f| match (*f, spec_name(f, layout)) {
            (FaultSpec::Handset { apartment, .. }, Some(n)) if fixed.contains(&n) => {
                Some(FaultSpec::Handset {
                    apartment,
                    fault: HandsetFault::Healthy,
                })
            }
            (_, Some(n)) if fixed.contains(&n) => None,
            _ => Some(*f),
        })
        .collect();
    after
}

/// The field rule of thumb (domain.md §3): each in-use crossing alone; healthy if forward
/// reads 600–800 Ω and reverse is open; open both ways is a flat without a handset; anything
/// else with a finite reading is a fault of that apartment, named the way the rule would.
fn rule_of_thumb(sweep: &Sweep, layout: &Layout) -> Findings {
    let mut out = Findings::new();
    for cell in layout.cells() {
        let Some(apartment) = layout.apartment(cell) else {
            continue;
        };
        let f = sweep.forward(cell).and_then(Reading::ohms);
        let r = sweep.reverse(cell).and_then(Reading::ohms);
        let fault = match (f, r) {
            (None, None) => continue,
            (Some(f), None) if (600.0..=800.0).contains(&f) => continue,
            (Some(f), None) if f > 800.0 => Fault::HighResistance,
            (Some(_), None) => Fault::Short,
            (None, Some(_)) => Fault::Reversed,
            (_, Some(r)) if r < 600.0 => Fault::Short,
            (_, Some(_)) => Fault::Leak,
        };
        out.insert(Named::Handset(apartment.to_string(), fault));
    }
    out
}

// ---- Scores ------------------------------------------------------------------------------------

#[derive(Default, Clone, Copy)]
struct CategoryTally {
    n: usize,
    exact: usize,
    /// Exact once each missed fault that no sweep can show is excused, provided the engine
    /// put it on its "cannot tell" list.
    excused: usize,
    /// No false finding, and every missed fault on the engine's "cannot tell" list (whether or
    /// not a sweep could show it): the technician is told where to look again.
    listed: usize,
    /// Exact over two visits: the first sweep's findings are all true, and once they are
    /// repaired a second sweep finds exactly the faults still there.
    repaired: usize,
    rule: usize,
    /// Information, not the grading: exact once a missed fault whose sweep another
    /// explanation reproduces within 3σ is counted like an excused one (on the list).
    alike: usize,
}

#[derive(Default, Clone, Copy)]
struct KindTally {
    injected: usize,
    found: usize,
    found_after_repair: usize,
    made: usize,
    right: usize,
    rule_found: usize,
    rule_made: usize,
    rule_right: usize,
}

#[derive(Default)]
struct Score {
    categories: [CategoryTally; 4],
    kinds: [KindTally; KINDS.len()],
    bands: [(usize, usize); BANDS.len()],
    /// Cannot-tell entries per `DOUBT_BANDS` band, and how many had a fault there.
    doubts: [(usize, usize); DOUBT_BANDS.len()],
    /// Missed faults that no sweep could show, and those of them not on the list.
    excused: usize,
    /// Missed faults not excused, by how near the nearest other explanation's sweep is.
    nearness: Nearness,
    /// The first of them, with their nearest alternative and the repro command.
    near_examples: Vec<String>,
    /// CPU time spent finding the nearest alternatives, ns (what the information costs).
    near_ns: u64,
    excused_unlisted: usize,
    healthy_with_findings: usize,
    /// Entrances with a fault that the diagnosis calls healthy (no finding, nothing on the
    /// cannot-tell list at even odds or more), and of them those whose every fault no sweep
    /// can show (excused).
    faulty_called_healthy: (usize, usize),
    /// Entrances with a fault and no finding that a likely fault on the cannot-tell list kept
    /// from being called healthy (they were, before that list counted).
    faulty_unsettled: usize,
    /// Healthy entrances not called healthy because the cannot-tell list holds a fault more
    /// likely than not.
    healthy_unsettled: usize,
    /// The first of both, with the repro command.
    called_healthy_examples: Vec<String>,
    /// Entrances whose (correct) layout the diagnosis said does not fit the sweep.
    layout_warnings: usize,
    diagnoses: usize,
    diag_ns: u64,
    slowest_ns: u64,
    slowest: String,
    parse_ns: u64,
    measurements: usize,
    sim_ns: u64,
    failures: Vec<String>,
    /// The first mismatches with a finding that is not true (on any configuration but the
    /// first, whose `failures` show them): a technician sent to a healthy flat.
    false_findings: Vec<String>,
    /// Layout warnings on correctly described entrances, with how to reproduce them.
    warned: Vec<String>,
    /// The engine's noise estimate against the noise injected, one per sweep.
    noise: Vec<NoiseFit>,
    /// The sweeps whose noise the engine put furthest under the truth, with repro commands.
    noise_under: Vec<(f64, String)>,
    /// The same sweeps diagnosed with the offset off by a few lines: how many, how many got
    /// the layout warning, and how many of those the right offset and matrix as suggestion.
    shifted: (usize, usize, usize),
}

impl Score {
    fn made(&self) -> (usize, usize) {
        self.kinds
            .iter()
            .fold((0, 0), |(m, r), k| (m + k.made, r + k.right))
    }

    fn rule_made(&self) -> (usize, usize) {
        self.kinds
            .iter()
            .fold((0, 0), |(m, r), k| (m + k.rule_made, r + k.rule_right))
    }

    /// Everything but the failures of `other` added to this one.
    fn add(&mut self, other: &Score) {
        for (a, b) in self.categories.iter_mut().zip(&other.categories) {
            a.n += b.n;
            a.exact += b.exact;
            a.excused += b.excused;
            a.listed += b.listed;
            a.repaired += b.repaired;
            a.rule += b.rule;
            a.alike += b.alike;
        }
        for (a, b) in self.kinds.iter_mut().zip(&other.kinds) {
            a.injected += b.injected;
            a.found += b.found;
            a.found_after_repair += b.found_after_repair;
            a.made += b.made;
            a.right += b.right;
            a.rule_found += b.rule_found;
            a.rule_made += b.rule_made;
            a.rule_right += b.rule_right;
        }
        for (a, b) in (self.bands.iter_mut().zip(&other.bands))
            .chain(self.doubts.iter_mut().zip(&other.doubts))
        {
            a.0 += b.0;
            a.1 += b.1;
        }
        self.excused += other.excused;
        self.nearness.add(&other.nearness);
        self.near_ns += other.near_ns;
        self.excused_unlisted += other.excused_unlisted;
        self.healthy_with_findings += other.healthy_with_findings;
        self.faulty_called_healthy.0 += other.faulty_called_healthy.0;
        self.faulty_called_healthy.1 += other.faulty_called_healthy.1;
        self.faulty_unsettled += other.faulty_unsettled;
        self.healthy_unsettled += other.healthy_unsettled;
        self.layout_warnings += other.layout_warnings;
        self.shifted.0 += other.shifted.0;
        self.shifted.1 += other.shifted.1;
        self.shifted.2 += other.shifted.2;
        self.diagnoses += other.diagnoses;
        self.diag_ns += other.diag_ns;
        if other.slowest_ns > self.slowest_ns {
            self.slowest_ns = other.slowest_ns;
            self.slowest = other.slowest.clone();
        }
        self.parse_ns += other.parse_ns;
        self.measurements += other.measurements;
        self.noise.extend_from_slice(&other.noise);
        self.noise_under.extend(other.noise_under.iter().cloned());
        keep_furthest_under(&mut self.noise_under);
        self.sim_ns += other.sim_ns;
    }

    /// Counts one diagnosis against the truth: precision per kind, bands, and speed. `found`
    /// is what it names (`found_set`), `joined` its joined-lines findings that are right
    /// (`joined_right`).
    fn count_findings(
        &mut self,
        diagnosis: &Diagnosis,
        layout: &Layout,
        truth: &Findings,
        (found, joined): (&Findings, &Findings),
        rule: &Findings,
    ) {
        let right = |n: &Named| truth.contains(n) || joined.contains(n);
        self.layout_warnings += diagnosis.layout_warning.is_some() as usize;
        for f in &diagnosis.findings {
            if let Some(b) = BANDS
                .iter()
                .position(|(lo, hi)| (*lo..*hi).contains(&f.confidence))
            {
                self.bands[b].0 += 1;
                self.bands[b].1 += right(&named(f, layout)) as usize;
            }
        }
        for c in &diagnosis.cannot_tell {
            if let Some(b) =
                (DOUBT_BANDS.iter()).position(|(lo, hi)| (*lo..*hi).contains(&c.fault_probability))
            {
                let subject = doubt_subject(c, layout);
                let there = match (c.reason, &c.subject) {
                    (
                        Doubt::JoinedUnplaced,
                        Subject::Bus {
                            line,
                            other: Some(o),
                        },
                    ) => joined_somewhere((*line, *o), layout, truth),
                    _ => truth.iter().any(|n| n.subject() == subject),
                };
                self.doubts[b].0 += 1;
                self.doubts[b].1 += there as usize;
            }
        }
        let kind = |n: &Named| KINDS.iter().position(|k| *k == n.kind());
        for n in truth {
            if let Some(k) = kind(n) {
                self.kinds[k].injected += 1;
                self.kinds[k].found += found.contains(n) as usize;
                self.kinds[k].rule_found += rule.contains(n) as usize;
            }
        }
        for n in found {
            if let Some(k) = kind(n) {
                self.kinds[k].made += 1;
                self.kinds[k].right += right(n) as usize;
            }
        }
        for n in rule {
            if let Some(k) = kind(n) {
                self.kinds[k].rule_made += 1;
                self.kinds[k].rule_right += truth.contains(n) as usize;
            }
        }
    }

    fn time(&mut self, spent: u64, what: impl FnOnce() -> String) {
        self.diagnoses += 1;
        self.diag_ns += spent;
        if spent > self.slowest_ns {
            self.slowest_ns = spent;
            self.slowest = what();
        }
    }
}

/// Counts an entrance called healthy with a fault there (`hidden`: every fault is one no
/// sweep can show), and a healthy one not called healthy for a fault it cannot name. True
/// when it counted either.
fn count_called_healthy(score: &mut Score, d: &Diagnosis, truth: &Findings, hidden: bool) -> bool {
    match (truth.is_empty(), d.is_healthy()) {
        (false, true) => {
            score.faulty_called_healthy.0 += 1;
            score.faulty_called_healthy.1 += hidden as usize;
            true
        }
        (true, false) if d.is_unsettled() => {
            score.healthy_unsettled += 1;
            true
        }
        (false, false) if d.is_unsettled() => {
            score.faulty_unsettled += 1;
            false
        }
        _ => false,
    }
}

/// Diagnoses one simulated entrance under a configuration and scores it.
fn score_case(case: &Case, config: &Config, score: &mut Score, two_visits: bool, examples: usize) {
    let scenario = case.under(config);
    let Ok(mut entrance) = SimEntrance::new(&scenario) else {
        eprintln!("accuracy: could not simulate: {}", case.repro(&scenario));
        return;
    };
    let layout = &scenario.layout;
    let t = cpu_ns();
    let sweep = entrance.sweep(true);
    score.sim_ns += cpu_ns() - t;
    score.measurements += sweep.len();

    let csv = kmdiag::sweep::to_csv(&sweep, &layout.labels);
    let t = cpu_ns();
    let parsed = kmdiag::sweep::parse_sweep(&csv, Path::new("sweep.csv"), &layout.labels);
    score.parse_ns += cpu_ns() - t;
    if !matches!(&parsed, Ok((s, _)) if *s == sweep) {
        eprintln!(
            "accuracy: the sweep CSV did not read back: {}",
            case.repro(&scenario)
        );
    }
    let prior = case.profile.nominal_forward_ohms.into();
    let (diagnosis, spent) = timed_diagnosis(&sweep, layout, &prior);
    score.time(spent, || case.repro(&scenario));

    if let Some(fit) = noise_fit(&diagnosis, &mut entrance, layout) {
        score.noise.push(fit);
        (score.noise_under).push((fit.point.min(fit.median), case.repro(&scenario)));
        keep_furthest_under(&mut score.noise_under);
    }
    let truth = truth_set(entrance.truth());
    let found = found_set(&diagnosis, layout);
    let rule = rule_of_thumb(&sweep, layout);
    if diagnosis.layout_warning.is_some() && score.warned.len() < examples {
        score.warned.push(format!(
            "  {}\n    {}",
            (diagnosis.warnings.iter().map(|w| w.en()))
                .collect::<Vec<_>>()
                .join(" / "),
            case.repro(&scenario)
        ));
    }
    let joined = joined_right(&diagnosis, layout, &truth);
    score.count_findings(&diagnosis, layout, &truth, (&found, &joined), &rule);
    let missed: Findings = truth.difference(&found).cloned().collect();
    let extra: Findings = found.difference(&truth).cloned().collect();

    // A missed fault is excused when no sweep could show it, if the engine says it cannot
    // tell there.
    let list = cannot_tell(&diagnosis, layout);
    let doubts = listed(&diagnosis);
    let mut excused_ok = true;
    // Information: also counting a miss another explanation reproduces within 3σ.
    let mut alike_ok = true;
    let mut notes: Vec<String> = Vec::new();
    let mut all_unobservable = true;
    for m in &missed {
        let hidden = unobservable(&scenario, &mut entrance, m);
        all_unobservable &= hidden;
        if hidden {
            alike_ok &= list.contains(m.subject());
            score.excused += 1;
            if list.contains(m.subject()) {
                notes.push(format!("{m} excused, on the list"));
            } else {
                score.excused_unlisted += 1;
                excused_ok = false;
                notes.push(format!("{m} excused but not on the list"));
            }
        } else {
            excused_ok = false;
            let t = cpu_ns();
            let nearest =
                nearest_alternative(&scenario, &mut entrance, m, &doubts, &mut score.nearness);
            score.near_ns += cpu_ns() - t;
            score.nearness.count(nearest.as_ref().map(|(_, d)| *d));
            alike_ok &= list.contains(m.subject())
                && nearest
                    .as_ref()
                    .is_some_and(|(_, d)| d.sigma <= ALIKE_SIGMA);
            if score.near_examples.len() < examples {
                score.near_examples.push(format!(
                    "  [{}] {m}: {}\n    repro: {}",
                    case.category.name(),
                    show_nearest(layout, &nearest),
                    case.repro(&scenario)
                ));
            }
        }
    }
    let listed = extra.iter().all(|n| joined.contains(n))
        && missed.iter().all(|m| list.contains(m.subject()));
    let tally = &mut score.categories[case.category as usize];
    tally.n += 1;
    tally.listed += listed as usize;
    tally.exact += (found == truth) as usize;
    tally.excused += (extra.is_empty() && excused_ok) as usize;
    tally.alike += (extra.is_empty() && alike_ok) as usize;
    tally.rule += (rule == truth) as usize;
    if case.category == Category::Healthy && !found.is_empty() {
        score.healthy_with_findings += 1;
    }
    if count_called_healthy(score, &diagnosis, &truth, all_unobservable)
        && score.called_healthy_examples.len() < examples
    {
        let what = match truth.is_empty() {
            true => "healthy, not called healthy".to_string(),
            false => format!("{} called healthy", show(&truth)),
        };
        let doubts: Vec<String> = (diagnosis.cannot_tell.iter())
            .filter(|c| c.fault_probability >= 0.1)
            .map(|c| {
                format!(
                    "{} {:.0} %",
                    doubt_subject(c, layout),
                    c.fault_probability * 100.0
                )
            })
            .collect();
        score.called_healthy_examples.push(format!(
            "  [{}] {what}; cannot tell: {}\n    repro: {}",
            case.category.name(),
            doubts.join(", "),
            case.repro(&scenario)
        ));
    }

    // The same sweep under a wrong offset (off by 2 to 5 lines, the apartments still on one
    // matrix): the layout check must say so and suggest the right one.
    if two_visits {
        shifted_layout(case, layout, &sweep, score);
    }
    // The technician repairs what the first sweep named and sweeps again: what is still
    // wrong must now show, and nothing else.
    if two_visits {
        let fixed: Findings = found.intersection(&truth).cloned().collect();
        let after: Findings = if missed.is_empty() {
            Findings::new()
        } else {
            match SimEntrance::new(&repaired(&scenario, &fixed)) {
                Ok(mut second) => found_set(&diagnose(&second.sweep(true), layout, &prior), layout),
                Err(_) => Findings::new(),
            }
        };
        score.categories[case.category as usize].repaired +=
            (extra.is_empty() && after == missed) as usize;
        for n in &truth {
            if let Some(k) = KINDS.iter().position(|k| *k == n.kind()) {
                score.kinds[k].found_after_repair +=
                    (found.contains(n) || after.contains(n)) as usize;
            }
        }
    }
    let false_room = !extra.is_empty() && score.false_findings.len() < examples;
    if found != truth && (score.failures.len() < examples || false_room) {
        let text = format!(
            "  [{}] truth: {}\n    found: {}\n    missed: {}; extra: {}{}\n    repro: {}",
            case.category.name(),
            show(&truth),
            show(&found),
            show(&missed),
            show(&extra),
            if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            },
            case.repro(&scenario)
        );
        if false_room {
            score.false_findings.push(text.clone());
        }
        if score.failures.len() < examples {
            score.failures.push(text);
        }
    }
}

/// Diagnoses `sweep` as if the technician had typed an offset 2–5 lines off (chosen from the
/// case's seed), when the apartments then still fit on the matrix swept.
fn shifted_layout(case: &Case, layout: &Layout, sweep: &Sweep, score: &mut Score) {
    let Some(ranges) = layout.ranges.clone() else {
        return;
    };
    let seed = case.scenario.seed;
    let delta = (2 + (seed % 4) as i64) * if seed.is_multiple_of(2) { 1 } else { -1 };
    let spec = LayoutSpec {
        offset: layout.offset + delta,
        apartments: Some(ranges),
        matrix: Some(layout.matrix),
        ..Default::default()
    };
    let Ok(wrong) = Layout::build(&case.profile, &layout.switch, &spec) else {
        return;
    };
    let on = |l: &Layout| l.cells().filter(|c| l.apartment(*c).is_some()).count();
    if on(&wrong) != on(layout) {
        return;
    }
    let d = diagnose(sweep, &wrong, &case.profile.nominal_forward_ohms.into());
    score.shifted.0 += 1;
    if let Some(w) = &d.layout_warning {
        score.shifted.1 += 1;
        score.shifted.2 += w
            .suggestion
            .is_some_and(|s| s.offset == layout.offset && s.matrix == layout.matrix)
            as usize;
    }
}

fn show(set: &Findings) -> String {
    if set.is_empty() {
        "(nothing)".into()
    } else {
        set.iter()
            .map(Named::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

// ---- Held-out reference sweeps --------------------------------------------------------------------

/// Scores the engine on one folder of reference sweeps with its `truth.jsonl`.
fn held_out(dir: &Path) -> Option<Score> {
    let truth = std::fs::read_to_string(dir.join("truth.jsonl")).ok()?;
    let mut score = Score::default();
    for line in truth.lines().filter(|l| !l.trim().is_empty()) {
        let t: serde_json::Value = serde_json::from_str(line).ok()?;
        let file = t["file"].as_str()?;
        let profile = resolve(t["profile"].as_str()?).ok()?;
        let switch = profile.switch(None).ok()?.clone();
        let spec = LayoutSpec {
            offset: t["offset"].as_i64()?,
            apartments: Some(parse_apartments(t["apartments"].as_str()?).ok()?),
            ..Default::default()
        };
        let layout = Layout::build(&profile, &switch, &spec).ok()?;
        let text = std::fs::read_to_string(dir.join(file)).ok()?;
        let tp = cpu_ns();
        let (sweep, _) = kmdiag::sweep::parse_sweep(&text, &dir.join(file), &layout.labels).ok()?;
        score.parse_ns += cpu_ns() - tp;
        let prior = profile.nominal_forward_ohms.into();
        let (diagnosis, spent) = timed_diagnosis(&sweep, &layout, &prior);
        score.time(spent, || dir.join(file).display().to_string());
        let want: Findings = t["findings"]
            .as_array()?
            .iter()
            .filter_map(|f| {
                let fault = match f["fault"].as_str()? {
                    "short" => Fault::Short,
                    "reversed" => Fault::Reversed,
                    "leak" => Fault::Leak,
                    "high_resistance" => Fault::HighResistance,
                    "open" => Fault::Open,
                    _ => return None,
                };
                Some(match f["kind"].as_str()? {
                    "bus" => Named::Bus(pair(f["bus"].as_str()?, f["other"].as_str()), fault),
                    _ => Named::Handset(f["apartment"].to_string(), fault),
                })
            })
            .collect();
        let found = found_set(&diagnosis, &layout);
        let rule = rule_of_thumb(&sweep, &layout);
        let joined = joined_right(&diagnosis, &layout, &want);
        score.count_findings(&diagnosis, &layout, &want, (&found, &joined), &rule);
        let category = Category::of(&want);
        let tally = &mut score.categories[category as usize];
        tally.n += 1;
        tally.exact += (found == want) as usize;
        tally.rule += (rule == want) as usize;
        if category == Category::Healthy && !found.is_empty() {
            score.healthy_with_findings += 1;
        }
        count_called_healthy(&mut score, &diagnosis, &want, false);
        if found != want && score.failures.len() < 200 {
            let missed: Findings = want.difference(&found).cloned().collect();
            let extra: Findings = found.difference(&want).cloned().collect();
            score.failures.push(format!(
                "{file}: missed {}; extra {}",
                show(&missed),
                show(&extra)
            ));
        }
    }
    Some(score)
}

// ---- Printing -----------------------------------------------------------------------------------

fn pct(k: usize, n: usize) -> String {
    if n == 0 {
        "-".into()
    } else {
        format!("{:.1} %", 100.0 * k as f64 / n as f64)
    }
}

/// `pct` with a mark where the share misses its target.
fn against(k: usize, n: usize, target: f64) -> String {
    if n == 0 {
        return "-".into();
    }
    let mark = if (k as f64) < target * n as f64 - 1e-9 {
        "✗"
    } else {
        " "
    };
    format!("{}{mark}", pct(k, n))
}

fn us(ns: u64) -> f64 {
    ns as f64 / 1e3
}

/// The two ways "healthy" can be wrong or withheld: entrances with a fault called healthy,
/// and healthy ones not called healthy because a fault the sweep cannot name is likely.
fn print_called_healthy(s: &Score) {
    let faulty: usize = s.categories[1..].iter().map(|t| t.n).sum();
    println!(
        "entrances with a fault called healthy: {} of {faulty}, {} of them with only faults no sweep can show (target: none but those); kept from \"healthy\" by a likely fault the sweep cannot name: {} with a fault, and {} healthy of {}",
        s.faulty_called_healthy.0,
        s.faulty_called_healthy.1,
        s.faulty_unsettled,
        s.healthy_unsettled,
        s.categories[0].n
    );
}

fn print_categories(score: &Score, two_visits: bool) {
    println!(
        "{:<15} {:>5} {:>10} {:>15} {:>16} {:>13} {:>14} {:>7}",
        "category",
        "n",
        "exact",
        "excused exact",
        "exact or listed",
        if two_visits { "after repair" } else { "" },
        "rule of thumb",
        "target"
    );
    for c in Category::ALL {
        let t = score.categories[c as usize];
        println!(
            "{:<15} {:>5} {:>10} {:>15} {:>16} {:>13} {:>14} {:>7}",
            c.name(),
            t.n,
            against(t.exact, t.n, c.target()),
            against(t.excused, t.n, c.target()),
            pct(t.listed, t.n),
            if two_visits {
                pct(t.repaired, t.n)
            } else {
                String::new()
            },
            pct(t.rule, t.n),
            format!("{:.0} %", 100.0 * c.target())
        );
    }
}

fn print_kinds(score: &Score, two_visits: bool) {
    let (made, right) = score.made();
    let (rule_made, rule_right) = score.rule_made();
    println!(
        "{:<16} {:>9} {:>12} {:>13} {:>20} {:>11} {:>20}",
        "precision",
        "injected",
        "kmdiag found",
        if two_visits { "after repair" } else { "" },
        "kmdiag right",
        "rule found",
        "rule right"
    );
    println!(
        "{:<16} {:>9} {:>12} {:>13} {:>20} {:>11} {:>20}",
        "all findings",
        score.kinds.iter().map(|k| k.injected).sum::<usize>(),
        pct(
            score.kinds.iter().map(|k| k.found).sum(),
            score.kinds.iter().map(|k| k.injected).sum()
        ),
        "",
        format!("{} of {made}", against(right, made, PRECISION_TARGET)),
        "",
        format!("{} of {rule_made}", pct(rule_right, rule_made))
    );
    for (kind, k) in KINDS.iter().zip(&score.kinds) {
        println!(
            "{:<16} {:>9} {:>12} {:>13} {:>20} {:>11} {:>20}",
            kind,
            k.injected,
            pct(k.found, k.injected),
            if two_visits {
                pct(k.found_after_repair, k.injected)
            } else {
                String::new()
            },
            format!(
                "{} of {}",
                against(k.right, k.made, PRECISION_TARGET),
                k.made
            ),
            pct(k.rule_found, k.injected),
            format!("{} of {}", pct(k.rule_right, k.rule_made), k.rule_made)
        );
    }
}

fn band_name(b: (f64, f64)) -> String {
    if b.1 > 1.0 {
        format!("≥ {:.0} %", b.0 * 100.0)
    } else {
        format!("{:.0}–{:.0} %", b.0 * 100.0, b.1 * 100.0)
    }
}

fn print_reliability(columns: &[(&str, &Score)]) {
    print!("{:<10}", "stated");
    for (name, _) in columns {
        print!(" {:>24}", name);
    }
    println!(" {:>8}", "target");
    for (i, b) in BANDS.iter().enumerate() {
        print!("{:<10}", band_name(*b));
        for (_, s) in columns {
            let (n, right) = s.bands[i];
            let target = if b.0 > 0.0 { b.0 } else { 0.0 };
            print!(" {:>24}", format!("{} of {n}", against(right, n, target)));
        }
        if b.0 > 0.0 {
            println!(" {:>8}", format!("≥ {:.0} %", b.0 * 100.0));
        } else {
            println!(" {:>8}", "(info)");
        }
    }
}

fn print_doubts(columns: &[(&str, &Score)]) {
    print!("{:<10}", "stated");
    for (name, _) in columns {
        print!(" {:>24}", name);
    }
    println!();
    for (i, b) in DOUBT_BANDS.iter().enumerate() {
        print!("{:<10}", band_name(*b));
        for (_, s) in columns {
            let (n, there) = s.doubts[i];
            print!(" {:>24}", format!("{} of {n}", pct(there, n)));
        }
        println!();
    }
}

/// The table of missed faults the grading does not excuse, by how near the nearest other
/// explanation's sweep is (σ and per cent of the reading that changes most), per
/// configuration and over all of them, with the information column: several and bus faults
/// exact once a miss reproduced within 3σ counts like an excused one.
fn print_nearness(rows: &[(&str, &Score)]) {
    let header = [
        "configuration",
        "missed",
        "≤3σ",
        "3-10σ",
        ">10σ",
        "none",
        "<1 %",
        "1-3 %",
        "3-10 %",
        "≥10 %",
        "several*",
        "bus*",
    ];
    let line = |cells: &[String]| {
        println!(
            "{:<22} {:>6} {:>5} {:>6} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6} {:>9} {:>9}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            cells[6],
            cells[7],
            cells[8],
            cells[9],
            cells[10],
            cells[11]
        )
    };
    line(&header.map(String::from));
    for (name, s) in rows {
        let n = &s.nearness;
        let alike = |c: Category| {
            let t = s.categories[c as usize];
            pct(t.alike, t.n).trim().to_string()
        };
        let mut cells = vec![name.to_string(), n.examined.to_string()];
        cells.extend(n.sigma.iter().map(|k| k.to_string()));
        cells.push(n.none.to_string());
        cells.extend(n.percent.iter().map(|k| k.to_string()));
        cells.push(alike(Category::SeveralFaults));
        cells.push(alike(Category::BusFaults));
        line(&cells);
    }
}

/// One row of the configuration table: exact (and excused exact) per category, precision,
/// excused faults not on the list, the slowest diagnosis.
/// The share of `v` under `x`, as a percentage.
fn share_under(v: &[f64], x: f64) -> String {
    pct(v.iter().filter(|r| **r < x).count(), v.len())
}

/// The `q` quantile of sorted `v` (nearest rank).
fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v[((v.len() - 1) as f64 * q).round() as usize]
}

/// One row of ratios: median, 5th and 95th percentile, share under half, share over twice;
/// and, for the probability, the share of sweeps whose truth is above its 95th percentile.
fn noise_row(name: &str, what: &str, mut v: Vec<f64>, above_p95: Option<usize>) {
    v.sort_by(f64::total_cmp);
    let over = pct(v.iter().filter(|r| **r > 2.0).count(), v.len());
    println!(
        "{name:<24} {what:<14} {:>6} {:>7.2} {:>7.2} {:>7.2} {:>8} {:>8} {:>9}",
        v.len(),
        quantile(&v, 0.5),
        quantile(&v, 0.05),
        quantile(&v, 0.95),
        share_under(&v, 0.5),
        over,
        above_p95.map_or("-".to_string(), |k| pct(k, v.len()))
    );
}

/// How many readings an estimate rested on, bucketed: none (the prior), few, many.
const RESTED: [(&str, usize, usize); 3] = [
    ("prior (0)", 0, 0),
    ("few (1-5)", 1, 5),
    ("many (6+)", 6, usize::MAX),
];

/// The engine's noise estimate ÷ the truth (one reading's σ at the sweep's median ghost
/// reading), per configuration: both the cautious point and the median of the probability,
/// overall and by how many readings each rested on; then the sweeps put furthest under.
fn print_noise_fits(scores: &[(String, Score)], under: &[(f64, String)]) {
    println!(
        "{:<24} {:<14} {:>6} {:>7} {:>7} {:>7} {:>8} {:>8} {:>9}",
        "configuration", "estimate", "sweeps", "median", "p5", "p95", "< 0.5×", "> 2×", "truth>p95"
    );
    for (name, s) in scores {
        let point = |f: &NoiseFit| (f.point, f.point_from, None);
        let median = |f: &NoiseFit| (f.median, f.median_from, Some(f.above_p95));
        type Pick<'a> = &'a dyn Fn(&NoiseFit) -> (f64, usize, Option<bool>);
        for (what, pick) in [("point", &point as Pick), ("probability", &median)] {
            for (bucket, lo, hi) in [("", 0, usize::MAX)].into_iter().chain(RESTED) {
                let rows: Vec<(f64, usize, Option<bool>)> = (s.noise.iter().map(pick))
                    .filter(|(_, n, _)| (lo..=hi).contains(n))
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let above =
                    (rows.iter().map(|r| r.2)).try_fold(0, |k, a| a.map(|a| k + a as usize));
                let v = rows.iter().map(|r| r.0).collect();
                if bucket.is_empty() {
                    noise_row(name, what, v, above);
                } else {
                    noise_row("", &format!("  {bucket}"), v, above);
                }
            }
        }
    }
    println!(
        "(ratio: one reading's σ as the engine models it — its relative noise, the display step, a 0-1 Ω contact — over the σ the simulator injected — its relative noise, step and contact — at the sweep's median noise-free ghost reading, or its median handset reading without ghosts. point: Measured::noise, the cautious figure the bus and classify stages use; probability: the median of the noise levels a ghost's shortfall is weighed over; truth>p95: the meter's injected relative noise above that probability's 95th percentile (about 5 % if the probability is right, more when the sweep is surer of a steady meter than it should be). The rows under each: by readings it rested on)"
    );
    if !under.is_empty() {
        println!("sweeps with every effect whose noise was put furthest under the truth:");
        for (r, repro) in under {
            println!("  {r:.2}×: {repro}");
        }
    }
}

fn print_row(name: &str, s: &Score, simulated: bool) {
    let cell = |c: Category| {
        let t = s.categories[c as usize];
        if simulated {
            format!(
                "{} / {}",
                against(t.exact, t.n, c.target()).trim_end(),
                against(t.excused, t.n, c.target()).trim_end()
            )
        } else {
            against(t.exact, t.n, c.target())
        }
    };
    let (made, right) = s.made();
    let (rule_made, rule_right) = s.rule_made();
    let rule_exact: usize = s.categories.iter().map(|t| t.rule).sum();
    let n: usize = s.categories.iter().map(|t| t.n).sum();
    println!(
        "{:<22} {:>5} {:>17} {:>17} {:>17} {:>17} {:>16} {:>9} {:>9} {:>11} {:>10}",
        name,
        n,
        cell(Category::Healthy),
        cell(Category::OneFault),
        cell(Category::SeveralFaults),
        cell(Category::BusFaults),
        format!(
            "{} of {made}",
            against(right, made, PRECISION_TARGET).trim_end()
        ),
        if simulated {
            format!("{} of {}", s.excused_unlisted, s.excused)
        } else {
            "-".into()
        },
        format!("{:.0}", us(s.slowest_ns)),
        pct(rule_exact, n),
        pct(rule_right, rule_made)
    );
}

fn print_row_header(first: &str) {
    println!(
        "{:<22} {:>5} {:>17} {:>17} {:>17} {:>17} {:>16} {:>9} {:>9} {:>11} {:>10}",
        first,
        "n",
        "healthy",
        "one fault",
        "several",
        "bus",
        "precision",
        "unlisted",
        "max µs",
        "rule exact",
        "rule prec."
    );
}

fn main() {
    let opt = options();
    let wall = Instant::now();
    let most = opt.entrances.max(opt.effect_entrances);
    let all_cases = cases(&opt.seeds, most);
    let per_seed = |n: usize| -> Vec<&Case> {
        // The first n cases of each seed.
        all_cases.iter().flat_map(|c| c.iter().take(n)).collect()
    };
    let seeds = if opt.seeds.len() == 1 {
        format!("seed {}", opt.seeds[0])
    } else {
        format!("seeds {}-{}", opt.seeds[0], opt.seeds[opt.seeds.len() - 1])
    };

    // Every configuration, the first with the two-visit score.
    let mut scores: Vec<(String, Score)> = Vec::new();
    let mut by_family = [Score::default(), Score::default()];
    for (i, config) in configs().iter().enumerate() {
        let n = if i == 0 {
            opt.entrances
        } else {
            opt.effect_entrances
        };
        let mut score = Score::default();
        for case in per_seed(n) {
            if i == 0 {
                // Split by meter family too: each family with every other effect.
                let mut one = Score::default();
                score_case(case, config, &mut one, true, opt.examples);
                by_family[case.ranged as usize].add(&one);
                score.add(&one);
                let room = opt.examples.saturating_sub(score.failures.len());
                score.failures.extend(one.failures.into_iter().take(room));
                let room = opt.examples.saturating_sub(score.near_examples.len());
                (score.near_examples).extend(one.near_examples.into_iter().take(room));
                let room = opt.examples.saturating_sub(score.warned.len());
                score.warned.extend(one.warned.into_iter().take(room));
                let room = opt
                    .examples
                    .saturating_sub(score.called_healthy_examples.len());
                (score.called_healthy_examples)
                    .extend(one.called_healthy_examples.into_iter().take(room));
                let room = opt.examples.saturating_sub(score.false_findings.len());
                score
                    .false_findings
                    .extend(one.false_findings.into_iter().take(room));
            } else {
                score_case(case, config, &mut score, false, opt.examples);
            }
        }
        scores.push((config.name.to_string(), score));
    }
    let reference = held_out(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference-sweeps"),
    );
    let field = held_out(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference-sweeps/field"),
    );

    let (first_name, every) = &scores[0];
    println!(
        "accuracy (issue 12): {seeds}; {} simulated entrances with {first_name} (field physics, constant-current and ranged meters half and half), {} under each other configuration; all built-in profiles, occupancy 75-100 %, 0.5-1.2 mA test current, 0-3 faults",
        every.diagnoses,
        opt.effect_entrances * opt.seeds.len()
    );
    println!(
        "(exact: the findings are exactly the injected faults; excused exact: also exact when each missed fault changes no reading by more than 3σ of the sweep's noise when removed and is on the engine's cannot-tell list; ✗ marks a figure under its target)"
    );
    println!();
    println!("== Every field effect on ==");
    print_categories(every, true);
    println!(
        "(exact or listed: no false finding, and every missed fault is on the cannot-tell list, whether or not a sweep could show it; after repair: the first sweep names only true faults, and once those are repaired a second sweep names exactly the faults still there)"
    );
    println!(
        "missed faults that no sweep can show (excused): {}; of them not on the cannot-tell list: {}",
        every.excused, every.excused_unlisted
    );
    println!(
        "the same sweeps diagnosed with an offset 2-5 lines off: {} of {} warned, {} of them with the right offset and matrix suggested",
        every.shifted.1, every.shifted.0, every.shifted.2
    );
    println!(
        "healthy entrances with any finding: {} of {} (target: none)",
        every.healthy_with_findings, every.categories[0].n
    );
    print_called_healthy(every);
    for e in &every.called_healthy_examples {
        println!("{e}");
    }
    println!();
    print_kinds(every, true);
    println!();
    println!("== Each physical effect alone (exact / excused exact) ==");
    print_row_header("configuration");
    for (i, (name, s)) in scores.iter().enumerate() {
        print_row(name, s, true);
        if i == 0 {
            print_row("  c.c. meters", &by_family[0], true);
            print_row("  ranged meters", &by_family[1], true);
        }
    }
    println!(
        "(unlisted: excused faults missing from the cannot-tell list, of all excused; max µs: the slowest diagnosis)"
    );
    let warned: Vec<String> = scores
        .iter()
        .map(|(name, s)| format!("{name} {} of {}", s.layout_warnings, s.diagnoses))
        .collect();
    println!(
        "layout warnings on correctly described entrances (each a false alarm): {}",
        warned.join("; ")
    );
    println!();
    println!("== Held-out reference sweeps (measured once; never tuned on) ==");
    print_row_header("set");
    let mut held: Vec<(&str, &Score)> = Vec::new();
    if let Some(s) = &reference {
        print_row("model A (40)", s, false);
        held.push(("held-out model A", s));
    } else {
        println!("model A: tests/fixtures/reference-sweeps not found");
    }
    if let Some(s) = &field {
        print_row("model B, field (200)", s, false);
        held.push(("held-out model B", s));
    } else {
        println!("model B: tests/fixtures/reference-sweeps/field not found");
    }
    for (name, s) in [("model A", &reference), ("model B", &field)] {
        if let Some(s) = s {
            println!(
                "{name}: layout warnings (each a false alarm: the truth gives the layout) {} of {}",
                s.layout_warnings, s.diagnoses
            );
            print!("{name}: ");
            print_called_healthy(s);
        }
    }
    if let Some(s) = &field {
        println!();
        println!("model B by fault kind:");
        print_kinds(s, false);
    }
    println!();
    println!("== Reliability of stated confidence (findings in the band, and the share right) ==");
    let mut simulated = Score::default();
    for (_, s) in &scores {
        simulated.add(s);
    }
    let mut columns: Vec<(&str, &Score)> =
        vec![("every effect", every), ("all configurations", &simulated)];
    columns.extend(held);
    print_reliability(&columns);
    println!();
    println!(
        "== The cannot-tell list: stated probability of a fault, and the share with one there (information) =="
    );
    print_doubts(&columns);
    println!();
    println!(
        "== Missed faults the grading does not excuse: how near the nearest other explanation is (information) =="
    );
    let mut rows: Vec<(&str, &Score)> = scores.iter().map(|(n, s)| (n.as_str(), s)).collect();
    rows.push(("all configurations", &simulated));
    print_nearness(&rows);
    println!(
        "(each missed fault the 3σ removal rule does not excuse, simulated again without it: made healthy or taken away, moved to a crossing the cannot-tell list names on its lines with its own values, the lines touching or a line cut as the list names, a cut line whole with its flats empty; the nearest is the one whose most-changed noise-free reading moves fewest σ. Within 3σ the sweep cannot tell the truth from that explanation at all; beyond 10σ the noise-free readings differ clearly, though the engine, which must predict a ghost from other readings without knowing the wire or each handset's diode, may still not tell them apart. several* / bus*: exact once a miss reproduced within 3σ and on the list counts like an excused one; information, not issue 12's grading)"
    );
    println!(
        "listed crossings on a missed fault's lines with no apartment (the simulator has no handset there to move a fault onto): {}; alternatives that changed a handset they did not name (must be 0): {}; held-out sets: not examined (no simulator scenario behind their sweeps)",
        simulated.nearness.unmappable, simulated.nearness.drifted
    );
    if !every.near_examples.is_empty() {
        println!(
            "first missed faults not excused, with every effect on, and their nearest other explanation:"
        );
        for e in &every.near_examples {
            println!("{e}");
        }
    }
    println!();
    println!("== The noise estimate against the noise injected (information) ==");
    print_noise_fits(&scores, &every.noise_under);
    println!();
    println!("== Speed ==");
    let mut all = Score::default();
    all.add(&simulated);
    for s in reference.iter().chain(&field) {
        all.add(s);
    }
    let mean = |ns: u64, n: usize| if n == 0 { 0.0 } else { us(ns) / n as f64 };
    let diag_mean = mean(all.diag_ns, all.diagnoses);
    let parse_mean = mean(all.parse_ns, all.diagnoses);
    println!(
        "diagnosis: mean {diag_mean:.1} µs CPU over {} diagnoses; slowest {:.1} µs{} (target ≤ {SLOWEST_TARGET_US:.0} µs, the worst case too)",
        all.diagnoses,
        us(all.slowest_ns),
        if us(all.slowest_ns) > SLOWEST_TARGET_US {
            " ✗"
        } else {
            ""
        }
    );
    println!("  slowest: {}", all.slowest);
    println!(
        "baseline: parsing the same sweep CSV takes {parse_mean:.1} µs CPU; a diagnosis costs {:.1}× a parse on average, the slowest {:.1}×",
        if parse_mean > 0.0 {
            diag_mean / parse_mean
        } else {
            0.0
        },
        if parse_mean > 0.0 {
            us(all.slowest_ns) / parse_mean
        } else {
            0.0
        }
    );
    println!(
        "simulator: {} measurements, {:.1} µs CPU each; other explanations of missed faults {:.1} s CPU; whole run {:.1} s wall",
        simulated.measurements,
        if simulated.measurements == 0 {
            0.0
        } else {
            us(simulated.sim_ns) / simulated.measurements as f64
        },
        simulated.near_ns as f64 * 1e-9,
        wall.elapsed().as_secs_f64()
    );
    if !every.warned.is_empty() {
        println!();
        println!("layout warnings with every effect on (false alarms):");
        for w in &every.warned {
            println!("{w}");
        }
    }
    if !every.failures.is_empty() {
        println!();
        println!("first mismatches with every effect on (truth vs found):");
        for f in &every.failures {
            println!("{f}");
        }
    }
    // Under each single effect, the mismatches with a finding not injected (the first
    // configuration's are among its mismatches above).
    for (name, score) in scores.iter().skip(1) {
        if !score.false_findings.is_empty() {
            println!();
            println!(
                "findings not injected, {name} (first {}):",
                score.false_findings.len()
            );
            for f in &score.false_findings {
                println!("{f}");
            }
        }
    }
    if let Some(s) = &field
        && !s.failures.is_empty()
    {
        println!();
        println!(
            "held-out model B mismatches: {} of {} sweeps (first {}):",
            s.failures.len(),
            s.diagnoses,
            opt.examples.min(s.failures.len())
        );
        for f in s.failures.iter().take(opt.examples) {
            println!("  {f}");
        }
    }
}
