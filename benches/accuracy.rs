//! Accuracy and speed of the diagnosis on simulated entrances (issue 2 §7), side by side with
//! the field rule of thumb (domain.md §3), plus the cost of one diagnosis against parsing the
//! same sweep CSV as the baseline measured in the same run. Besides the first sweep's exact
//! match it scores the technician's two visits: repair what the first sweep named, sweep
//! again, and see that what was hidden now shows.
//!
//! Run: `cargo bench --bench accuracy` (options: `-- --entrances 1000 --seed 1 --examples 8`).
//! This harness only scores: it never feeds anything back into the engine, and the engine
//! must never read the simulator's constants.

use kmdiag::diagnose::{Diagnosis, Fault, Subject, diagnose};
use kmdiag::model::{Cell, Reading, Sweep, Terminal};
use kmdiag::profile::{Layout, LayoutSpec, Profile, builtin_profiles};
use kmdiag::sim::{
    FaultSpec, HandsetFault, MeterSpec, Scenario, SimEntrance, SimRng, Truth, TruthFinding,
};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

/// One fault as either side names it: a handset by apartment (or crossing, for a crossing no
/// apartment maps to), a line or pair of lines by label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Named {
    Handset(String, Fault),
    Bus(String, Fault),
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Named::Handset(who, fault) | Named::Bus(who, fault) => {
                write!(f, "{who}:{}", fault.key())
            }
        }
    }
}

type Findings = BTreeSet<Named>;

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
}

struct Options {
    entrances: usize,
    seed: u64,
    examples: usize,
}

fn options() -> Options {
    let mut o = Options {
        entrances: 1000,
        seed: 1,
        examples: 8,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (args[i].as_str(), value) {
            ("--entrances", Some(v)) => o.entrances = v as usize,
            ("--seed", Some(v)) => o.seed = v,
            ("--examples", Some(v)) => o.examples = v as usize,
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
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// One generated entrance: the scenario and how to reproduce it with the CLI.
struct Case {
    profile: Profile,
    scenario: Scenario,
    category: Category,
    command: String,
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
    // Lines with the flats they serve.
    let wired: Vec<(Cell, u32)> = layout
        .cells()
        .filter_map(|c| layout.apartment(c).map(|a| (c, a)))
        .collect();
    let serves = |t: Terminal| {
        wired
            .iter()
            .filter(|(c, _)| match t.kind {
                kmdiag::model::LineKind::Tens => c.tens == t.index,
                kmdiag::model::LineKind::Units => c.units == t.index,
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
            Some(t) if t.kind == kmdiag::model::LineKind::Tens => c.tens != t.index,
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
    command.push_str(" -o sweep.csv");
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
    })
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

/// True when the faulty handset of `apartment` barely shows: with no handset there at all,
/// or with a healthy one, every noise-free reading of the sweep would be within 3 % (both OL,
/// or both finite). A bad contact behind a ghost path reads like no handset; a leak whose
/// reverse reading a lower sneak path swamps reads like a healthy handset.
fn is_masked(scenario: &Scenario, entrance: &mut SimEntrance, apartment: u32) -> bool {
    [HandsetFault::Absent, HandsetFault::Healthy]
        .into_iter()
        .any(|instead| reads_alike(scenario, entrance, apartment, instead))
}

/// True when the sweep would read the same (within 3 %) with the handset of `apartment` in
/// the state `instead`.
fn reads_alike(
    scenario: &Scenario,
    entrance: &mut SimEntrance,
    apartment: u32,
    instead: HandsetFault,
) -> bool {
    let mut other_scenario = scenario.clone();
    for f in &mut other_scenario.faults {
        if matches!(f, FaultSpec::Handset { apartment: a, .. } if *a == apartment) {
            *f = FaultSpec::Handset {
                apartment,
                fault: instead,
            };
        }
    }
    let Ok(mut other) = SimEntrance::new(&other_scenario) else {
        return false;
    };
    let layout = &scenario.layout;
    probe_pairs(layout.tens(), layout.units())
        .into_iter()
        .all(|(p, m)| match (entrance.raw(p, m), other.raw(p, m)) {
            (None, None) => true,
            (Some(a), Some(b)) => (a.ohms - b.ohms).abs() <= 0.03 * a.ohms.max(b.ohms) + 0.5,
            _ => false,
        })
}

/// True when the fault missed at apartment `truth` and the one found at `found` are the same
/// crossing as far as any sweep can tell: they share one line, their other lines are the two
/// lines of a bus short (one electrical point), and the noise-free readings of the two
/// crossings differ by less than the meter's noise both ways (0.5 %, over three standard
/// deviations of the difference at the simulated 0.1 % noise). Which of the two carries the
/// fault is then a coin toss.
fn twins_alike(entrance: &mut SimEntrance, layout: &Layout, missed: u32, found: u32) -> bool {
    let (Some(a), Some(b)) = (layout.cell_of(missed), layout.cell_of(found)) else {
        return false;
    };
    let labels = &layout.labels;
    let (a_d, a_e) = labels.cell(a);
    let (b_d, b_e) = labels.cell(b);
    let (x, y) = match (a.tens == b.tens, a.units == b.units) {
        (true, false) => (a_e.to_string(), b_e.to_string()),
        (false, true) => (a_d.to_string(), b_d.to_string()),
        _ => return false,
    };
    let shorted = entrance.truth().findings.iter().any(|f| {
        matches!(f, TruthFinding::Bus { bus, other: Some(other), .. }
            if (*bus == x && *other == y) || (*bus == y && *other == x))
    });
    let ends = |c: Cell| (Terminal::tens(c.tens), Terminal::units(c.units));
    let ((ad, ae), (bd, be)) = (ends(a), ends(b));
    let mut alike = |(p1, m1): (Terminal, Terminal), (p2, m2): (Terminal, Terminal)| match (
        entrance.raw(p1, m1),
        entrance.raw(p2, m2),
    ) {
        (None, None) => true,
        (Some(u), Some(v)) => (u.ohms - v.ohms).abs() <= 0.005 * u.ohms.max(v.ohms),
        _ => false,
    };
    shorted && alike((ad, ae), (bd, be)) && alike((ae, ad), (be, bd))
}

/// True when a faulty handset hangs on one of the two lines of a bus short.
fn handset_on_shorted_bus(truth: &Truth) -> bool {
    let shorted: Vec<&str> = truth
        .findings
        .iter()
        .filter_map(|f| match f {
            TruthFinding::Bus {
                bus,
                other: Some(other),
                ..
            } => Some([bus.as_str(), other.as_str()]),
            _ => None,
        })
        .flatten()
        .collect();
    truth.findings.iter().any(|f| {
        matches!(f, TruthFinding::Handset { tens, units, .. }
            if shorted.contains(&tens.as_str()) || shorted.contains(&units.as_str()))
    })
}

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

fn found_set(d: &Diagnosis, layout: &Layout) -> Findings {
    d.findings.iter().map(|f| named(f, layout)).collect()
}

fn named(f: &kmdiag::diagnose::Finding, layout: &Layout) -> Named {
    let labels = &layout.labels;
    match &f.subject {
        Subject::Handset { cell, apartment } => Named::Handset(
            apartment.map_or_else(|| labels.cell_label(*cell), |a| a.to_string()),
            f.fault,
        ),
        Subject::Bus { line, other } => Named::Bus(
            pair(labels.label(*line), other.map(|o| labels.label(o))),
            f.fault,
        ),
    }
}

/// The fault kind of a finding as the per-kind table names it.
fn kind_key(n: &Named) -> &'static str {
    match n {
        Named::Handset(_, f) => f.key(),
        Named::Bus(_, Fault::Open) => "bus open",
        Named::Bus(..) => "bus short",
    }
}

/// Fault kinds in the order the per-kind table lists them.
const KINDS: [&str; 6] = [
    "short",
    "reversed",
    "leak",
    "high_resistance",
    "bus open",
    "bus short",
];

/// The scenario after the technician's first visit: every fault named in `fixed` repaired (a
/// handset made healthy, a line mended), everything else as it was.
fn repaired(scenario: &Scenario, fixed: &Findings) -> Scenario {
    let labels = &scenario.layout.labels;
    let mut after = scenario.clone();
    after.faults = scenario
        .faults
        .iter()
        .filter_map(|f| match *f {
            FaultSpec::Handset { apartment, fault } => Some(match fault.fault() {
                Some(kind) if fixed.contains(&Named::Handset(apartment.to_string(), kind)) => {
                    FaultSpec::Handset {
                        apartment,
                        fault: HandsetFault::Healthy,
                    }
                }
                _ => *f,
            }),
            FaultSpec::BusOpen { line } => (!fixed
                .contains(&Named::Bus(labels.label(line).to_string(), Fault::Open)))
            .then_some(*f),
            FaultSpec::BusShort { a, b } => {
                let name = pair(labels.label(a), Some(labels.label(b)));
                (!fixed.contains(&Named::Bus(name, Fault::Short))).then_some(*f)
            }
        })
        .collect();
    after
}

/// Confidence bands a finding is counted in, to check that "how sure" means what it says.
const BANDS: [(f64, f64); 4] = [(0.0, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01)];

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

#[derive(Default, Clone, Copy)]
struct Tally {
    n: usize,
    kmdiag: usize,
    /// Exact once what no sweep can show is excused: faults that leave no trace (masked),
    /// and a fault named on the twin crossing of a bus short when both read the same.
    kmdiag_visible: usize,
    /// Exact over the technician's two visits: the findings of the first sweep are all true,
    /// and once they are repaired, a second sweep finds exactly the faults still there.
    kmdiag_repaired: usize,
    rule: usize,
}

fn pct(k: usize, n: usize) -> String {
    if n == 0 {
        "-".into()
    } else {
        format!("{:.1} %", 100.0 * k as f64 / n as f64)
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

fn main() {
    let opt = options();
    let profiles = builtin_profiles();
    let mut rng = SimRng::stream(opt.seed, 0xACC);
    let mut tallies = [Tally::default(); 4];
    let (mut healthy_false_k, mut healthy_false_rule) = (0usize, 0usize);
    let (mut healthy_dirty_k, mut healthy_dirty_rule) = (0usize, 0usize);
    let (mut sim_ns, mut measurements) = (0u64, 0usize);
    let (mut diag_ns, mut parse_ns, mut diagnoses) = (0u64, 0u64, 0usize);
    let (mut diag10_ns, mut diag10_max, mut diag10_n) = (0u64, 0u64, 0usize);
    let mut failures: Vec<String> = Vec::new();
    // Misses and extras of kmdiag by fault kind, and mismatches where a handset fault sits on
    // a line of a bus short (its twin crossing on the other line then reads almost alike).
    let mut missed_by: std::collections::BTreeMap<&'static str, usize> = Default::default();
    let mut extra_by: std::collections::BTreeMap<&'static str, usize> = Default::default();
    let mut on_shorted_bus = 0usize;
    let (mut missed_handsets, mut masked, mut twin_swaps) = (0usize, 0usize, 0usize);
    // Missed bad contacts on the re-measure list: how many, how many first, how many in its
    // first three (and the same were the list in apartment order, the baseline).
    let (mut missed_bad, mut on_list, mut listed_first, mut listed_top3) =
        (0usize, 0usize, 0usize, 0usize);
    let (mut by_number_first, mut by_number_top3) = (0usize, 0usize);
    // Per fault kind: injected, named by kmdiag on the first sweep, named by the second
    // sweep after the first visit's repairs, named by the rule of thumb.
    let mut per_kind = [(0usize, 0usize, 0usize, 0usize); KINDS.len()];
    // Per fault kind: findings made and how many were true, for kmdiag and the rule of thumb.
    let mut named_kind = [(0usize, 0usize, 0usize, 0usize); KINDS.len()];
    let kind_index = |n: &Named| KINDS.iter().position(|k| *k == kind_key(n));
    // Per confidence band: findings, and how many of them are in the truth.
    let mut bands = [(0usize, 0usize); BANDS.len()];
    let wall = Instant::now();
    let mut done = 0;
    let mut attempts = 0;
    while done < opt.entrances && attempts < opt.entrances * 10 {
        attempts += 1;
        let Some(case) = generate(&mut rng, &profiles) else {
            continue;
        };
        let Ok(mut entrance) = SimEntrance::new(&case.scenario) else {
            eprintln!("accuracy: could not simulate: {}", case.command);
            continue;
        };
        done += 1;
        let layout = &case.scenario.layout;
        let t = cpu_ns();
        let sweep = entrance.sweep(true);
        sim_ns += cpu_ns() - t;
        measurements += sweep.len();

        let csv = kmdiag::sweep::to_csv(&sweep, &layout.labels);
        let t = cpu_ns();
        let parsed = kmdiag::sweep::parse_sweep(&csv, Path::new("sweep.csv"), &layout.labels);
        parse_ns += cpu_ns() - t;
        if !matches!(&parsed, Ok((s, _)) if *s == sweep) {
            eprintln!(
                "accuracy: the sweep CSV did not read back: {}",
                case.command
            );
        }
        let prior = case.profile.nominal_forward_ohms.into();
        let t = cpu_ns();
        let diagnosis = diagnose(&sweep, layout, &prior);
        let spent = cpu_ns() - t;
        diag_ns += spent;
        diagnoses += 1;
        if layout.tens() == 10 && layout.units() == 10 {
            diag10_ns += spent;
            diag10_max = diag10_max.max(spent);
            diag10_n += 1;
        }

        let truth = truth_set(entrance.truth());
        let found = found_set(&diagnosis, layout);
        let truth_now = truth_set(entrance.truth());
        for f in &diagnosis.findings {
            if let Some(b) = BANDS
                .iter()
                .position(|(lo, hi)| (*lo..*hi).contains(&f.confidence))
            {
                bands[b].0 += 1;
                bands[b].1 += truth_now.contains(&named(f, layout)) as usize;
            }
        }
        let rule = rule_of_thumb(&sweep, layout);
        let tally = &mut tallies[case.category as usize];
        tally.n += 1;
        tally.kmdiag += (found == truth) as usize;
        tally.rule += (rule == truth) as usize;
        if case.category == Category::Healthy {
            healthy_false_k += found.len();
            healthy_false_rule += rule.len();
            healthy_dirty_k += (!found.is_empty()) as usize;
            healthy_dirty_rule += (!rule.is_empty()) as usize;
        }
        let missed: Findings = truth.difference(&found).cloned().collect();
        let extra: Findings = found.difference(&truth).cloned().collect();
        for (set, by) in [(&missed, &mut missed_by), (&extra, &mut extra_by)] {
            for n in set {
                *by.entry(kind_key(n)).or_default() += 1;
            }
        }
        // The technician repairs what the first sweep named and sweeps again: what is still
        // wrong must now show, and nothing else.
        let fixed: Findings = found.intersection(&truth).cloned().collect();
        let after_repair: Findings = if missed.is_empty() {
            Findings::new()
        } else {
            let scenario = repaired(&case.scenario, &fixed);
            match SimEntrance::new(&scenario) {
                Ok(mut second) => found_set(&diagnose(&second.sweep(true), layout, &prior), layout),
                Err(_) => {
                    eprintln!(
                        "accuracy: could not simulate the repaired entrance: {}",
                        case.command
                    );
                    Findings::new()
                }
            }
        };
        tally.kmdiag_repaired += (extra.is_empty() && after_repair == missed) as usize;
        for n in &truth {
            if let Some(k) = kind_index(n) {
                per_kind[k].0 += 1;
                per_kind[k].1 += found.contains(n) as usize;
                per_kind[k].2 += (found.contains(n) || after_repair.contains(n)) as usize;
                per_kind[k].3 += rule.contains(n) as usize;
            }
        }
        for n in &found {
            if let Some(k) = kind_index(n) {
                named_kind[k].0 += 1;
                named_kind[k].1 += truth.contains(n) as usize;
            }
        }
        for n in &rule {
            if let Some(k) = kind_index(n) {
                named_kind[k].2 += 1;
                named_kind[k].3 += truth.contains(n) as usize;
            }
        }
        let mut hidden: Vec<String> = Vec::new();
        for f in &case.scenario.faults {
            if let FaultSpec::Handset { apartment, fault } = *f
                && let Some(kind) = fault.fault()
                && missed.contains(&Named::Handset(apartment.to_string(), kind))
            {
                missed_handsets += 1;
                if kind == Fault::HighResistance {
                    missed_bad += 1;
                    if let Some(k) = diagnosis.remeasure.iter().position(|&a| a == apartment) {
                        on_list += 1;
                        listed_first += (k == 0) as usize;
                        listed_top3 += (k < 3) as usize;
                        // The baseline: the same list by apartment number.
                        let lower = diagnosis
                            .remeasure
                            .iter()
                            .filter(|&&a| a < apartment)
                            .count();
                        by_number_first += (lower == 0) as usize;
                        by_number_top3 += (lower < 3) as usize;
                    }
                }
                if is_masked(&case.scenario, &mut entrance, apartment) {
                    masked += 1;
                    hidden.push(apartment.to_string());
                }
            }
        }
        // A fault found on the twin crossing of a bus short, where both read the same.
        let mut twins: Vec<String> = Vec::new();
        let mut twin_extra = 0;
        for m in &missed {
            let Named::Handset(who, kind) = m else {
                continue;
            };
            let twin = extra.iter().find(|e| {
                matches!(e, Named::Handset(other, k) if k == kind
                    && matches!((who.parse(), other.parse()), (Ok(a), Ok(b))
                        if twins_alike(&mut entrance, layout, a, b)))
            });
            if let Some(Named::Handset(other, _)) = twin {
                twins.push(format!("{who}/{other}"));
                twin_extra += 1;
            }
        }
        twin_swaps += twins.len();
        let only_unobservable =
            extra.len() == twin_extra && missed.len() == hidden.len() + twins.len();
        tallies[case.category as usize].kmdiag_visible += only_unobservable as usize;
        if found != truth && handset_on_shorted_bus(entrance.truth()) {
            on_shorted_bus += 1;
        }
        if found != truth && failures.len() < opt.examples {
            failures.push(format!(
                "  [{}] truth: {}\n    found: {}\n    missed: {}; extra: {}{}{}\n    repro: {}",
                case.category.name(),
                show(&truth),
                show(&found),
                show(&missed),
                show(&extra),
                if hidden.is_empty() {
                    String::new()
                } else {
                    format!(" (masked: flat {})", hidden.join(", "))
                },
                if twins.is_empty() {
                    String::new()
                } else {
                    format!(" (twins reading alike: flats {})", twins.join(", "))
                },
                case.command
            ));
        }
    }
    let wall = wall.elapsed();

    println!(
        "accuracy: {done} simulated entrances (seed {}), all built-in profiles, occupancy 75-100 %, meters 0.5-1.2 mA / 1.5-3.5 V, 0-3 faults",
        opt.seed
    );
    println!();
    println!(
        "{:<16} {:>6} {:>14} {:>27} {:>22} {:>16}",
        "category",
        "n",
        "kmdiag exact",
        "kmdiag, unseeable excused",
        "kmdiag, after repair",
        "rule of thumb"
    );
    let mut total = Tally::default();
    let row = |name: &str, t: Tally| {
        println!(
            "{:<16} {:>6} {:>14} {:>27} {:>22} {:>16}",
            name,
            t.n,
            pct(t.kmdiag, t.n),
            pct(t.kmdiag_visible, t.n),
            pct(t.kmdiag_repaired, t.n),
            pct(t.rule, t.n)
        )
    };
    for c in Category::ALL {
        let t = tallies[c as usize];
        total.n += t.n;
        total.kmdiag += t.kmdiag;
        total.kmdiag_visible += t.kmdiag_visible;
        total.kmdiag_repaired += t.kmdiag_repaired;
        total.rule += t.rule;
        row(c.name(), t);
    }
    row("all", total);
    println!(
        "(after repair: the first sweep names only true faults, and once those are repaired a second sweep names exactly the faults still there)"
    );
    println!();
    println!(
        "faults found (share of those injected) and findings right (share of those made), by kind:"
    );
    println!(
        "{:<16} {:>9} {:>14} {:>14} {:>15} {:>13} {:>13}",
        "fault",
        "injected",
        "kmdiag found",
        "after repair",
        "kmdiag right",
        "rule found",
        "rule right"
    );
    for ((kind, (n, first, second, rule)), (made, right, rule_made, rule_right)) in
        KINDS.iter().zip(per_kind).zip(named_kind)
    {
        println!(
            "{:<16} {:>9} {:>14} {:>14} {:>15} {:>13} {:>13}",
            kind,
            n,
            pct(first, n),
            pct(second, n),
            format!("{} of {made}", pct(right, made)),
            pct(rule, n),
            format!("{} of {rule_made}", pct(rule_right, rule_made))
        );
    }
    let healthy = tallies[Category::Healthy as usize].n;
    println!();
    println!(
        "false findings on healthy entrances: kmdiag {healthy_false_k} in {healthy_dirty_k} of {healthy} entrances; rule of thumb {healthy_false_rule} in {healthy_dirty_rule} of {healthy}"
    );
    println!();
    let mean = |ns: u64, n: usize| {
        if n == 0 {
            0.0
        } else {
            ns as f64 / n as f64 / 1e3
        }
    };
    let diag_us = mean(diag_ns, diagnoses);
    let parse_us = mean(parse_ns, diagnoses);
    println!(
        "diagnosis: mean {diag_us:.1} µs CPU per sweep ({:.0} sweeps/s); 10×10 sweeps: mean {:.1} µs, max {:.1} µs over {diag10_n}",
        if diag_us > 0.0 { 1e6 / diag_us } else { 0.0 },
        mean(diag10_ns, diag10_n),
        diag10_max as f64 / 1e3
    );
    println!(
        "baseline: parsing the same sweep CSV takes {parse_us:.1} µs CPU; a diagnosis costs {:.1}× a parse",
        if parse_us > 0.0 {
            diag_us / parse_us
        } else {
            0.0
        }
    );
    println!(
        "simulator: {measurements} measurements, {:.1} µs CPU each; whole run {:.1} s wall",
        if measurements == 0 {
            0.0
        } else {
            sim_ns as f64 / measurements as f64 / 1e3
        },
        wall.as_secs_f64()
    );
    let list = |by: &std::collections::BTreeMap<&str, usize>| {
        if by.is_empty() {
            "none".to_string()
        } else {
            by.iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    println!();
    println!(
        "kmdiag misses by fault: {}; extra findings by fault: {}",
        list(&missed_by),
        list(&extra_by)
    );
    println!(
        "missed handset faults that are masked (every reading of the sweep within 3 % of what it would be with no handset there, or with a healthy one): {masked} of {missed_handsets}"
    );
    println!(
        "missed bad contacts on the re-measure list (flats reading only through a sneak path, most suspect first): {on_list} of {missed_bad}; first on it: {listed_first}, in its first three: {listed_top3} (listed by apartment number instead: {by_number_first} and {by_number_top3})"
    );
    println!(
        "mismatches with a handset fault on a shorted bus line: {on_shorted_bus}; of them named on the twin crossing, which reads the same both ways: {twin_swaps}"
    );
    let bands: Vec<String> = BANDS
        .iter()
        .zip(&bands)
        .map(|((lo, hi), (n, right))| {
            format!(
                "{:.1}-{:.1}: {} of {n} right",
                lo,
                hi.min(1.0),
                pct(*right, *n)
            )
        })
        .collect();
    println!("kmdiag findings by stated confidence: {}", bands.join("; "));
    if !failures.is_empty() {
        println!();
        println!("first mismatches of kmdiag (truth vs found):");
        for f in &failures {
            println!("{f}");
        }
    }
}
