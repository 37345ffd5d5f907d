//! Calibrate → explain → findings: the steps of the diagnosis over the network (`network.rs`).
//!
//! Physics (domain.md §3–5): a healthy handset conducts D→E only, so in a healthy matrix every
//! alternative path between two terminals must cross some handset backwards and reads open.
//! Every finite reading is therefore explained either by an element at that crossing or by a
//! sneak path through elements that conduct E→D (shorted, reversed, leaky handsets). The engine
//!
//! 1. calibrates the healthy forward reading from the entrance itself (robust centre), and
//!    how much its handsets differ (robust spread);
//! 2. finds the elements that really conduct E→D, cheapest reverse reading first, and calls
//!    every reverse reading that a path through already-found elements explains a ghost;
//! 3. finds open lines (a line serving several flats that answers on none);
//! 4. explains each high forward reading as a ghost when a sneak path through an E→D element
//!    accounts for it, and as a high-resistance handset when nothing does;
//! 5. classifies each E→D element from both its readings (short, reversed, leak), and checks
//!    D–D / E–E readings (measured, or two lines reading alike) for bus shorts.
//!
//! Pure: no I/O, no clock, no randomness. No constant here comes from the simulator; the
//! thresholds are ratios to the entrance's own calibrated reading and spread.

use super::network::{Grid, MANY_PATHS_SLACK, Network, Node, Paths};
use super::{CellReport, CellState, Diagnosis, Fault, Finding, ForwardPrior, Subject};
use super::{dropped, recheck};
use crate::model::{Cell, LineKind, Reading, Sweep, Terminal, format_ohms};
use crate::profile::Layout;

/// A forward reading up to this multiple of the typical one is a handset conducting directly.
/// Any sneak path crosses at least two diodes and reads well above it.
const HEALTHY_MAX: f64 = 1.45;
/// Forward and reverse readings this close (relative) are one symmetric element: a short.
const SYMMETRIC: f64 = 0.03;
/// Median absolute deviation × this is the standard deviation of a normal spread.
const MAD_TO_SIGMA: f64 = 1.4826;
/// Handsets of one model still differ by a couple of per cent; no entrance is judged tighter.
const MIN_SCATTER: f64 = 0.02;
/// The handsets' spread assumed when too few read forward only to measure it.
const UNKNOWN_SCATTER: f64 = 0.1;
/// Prior odds that a given line is broken, against which "all its flats are empty" is weighed.
const OPEN_LINE_PRIOR: f64 = 0.02;
/// Two lines whose readings agree this closely on every crossing are touching.
const ALIKE: f64 = 0.01;
/// Twin crossings of touching lines whose readings differ by less than this read alike: a
/// meter's noise, not the touching wires' resistance.
const TWIN_NOISE: f64 = 0.002;
/// A path through shorts alone (no diode) reads its sum to within this fraction.
const SHORTS_PATH_SLACK: f64 = 0.99;

/// What the entrance's own healthy handsets say about the meter and themselves.
struct Calibration {
    /// The healthy forward reading, or None when nothing conducted forward only.
    typical: Option<f64>,
    /// How much healthy handsets differ from one another: the robust relative spread of
    /// their forward readings (scaled median absolute deviation ÷ the typical reading).
    scatter: f64,
    notes: Vec<String>,
}

/// The calibrated healthy forward reading: a robust centre of the forward readings of
/// crossings that read open in reverse, or the profile's prior if none did; and how widely
/// those readings spread.
fn calibrate(g: &Grid, prior: &ForwardPrior) -> Calibration {
    let mut values: Vec<f64> = (0..g.tens)
        .flat_map(|t| (0..g.units).map(move |u| (t, u)))
        .filter(|&(t, u)| g.r(t, u).is_none())
        .filter_map(|(t, u)| g.f(t, u))
        .filter(|v| *v > 0.0)
        .collect();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n == 0 {
            None
        } else if n % 2 == 1 {
            Some(v[n / 2])
        } else {
            Some((v[n / 2 - 1] + v[n / 2]) / 2.0)
        }
    };
    let mut notes = Vec::new();
    let Some(first) = median(&mut values) else {
        notes.push(format!(
            "no crossing conducted forward only, so nothing to calibrate against; using the profile's nominal {}–{}",
            format_ohms(prior.min),
            format_ohms(prior.max)
        ));
        return Calibration {
            typical: None,
            scatter: UNKNOWN_SCATTER,
            notes,
        };
    };
    // Drop ghosts and bad contacts (far above) and parallel bus shorts (far below), re-centre.
    let mut core: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| *v >= first * 0.5 && *v <= first * HEALTHY_MAX)
        .collect();
    let typical = median(&mut core).unwrap_or(first);
    if values.len() < 3 {
        notes.push(format!(
            "only {} handset(s) to calibrate from; the healthy reading {} is a rough guess",
            values.len(),
            format_ohms(typical)
        ));
    }
    if typical < prior.min * 0.8 || typical > prior.max * 1.25 {
        notes.push(format!(
            "healthy handsets read about {} here, outside the profile's nominal {}–{}: normal for some meters and handsets; kmdiag judges against this entrance's own reading",
            format_ohms(typical),
            format_ohms(prior.min),
            format_ohms(prior.max)
        ));
    }
    // Fewer handsets than this say little about how they differ: assume they differ widely.
    let scatter = if core.len() >= 5 {
        let mut dev: Vec<f64> = core.iter().map(|v| (v - typical).abs()).collect();
        median(&mut dev).map_or(UNKNOWN_SCATTER, |mad| {
            (MAD_TO_SIGMA * mad / typical).max(MIN_SCATTER)
        })
    } else {
        UNKNOWN_SCATTER
    };
    Calibration {
        typical: Some(typical),
        scatter,
        notes,
    }
}

/// Diagnoses one matrix.
pub fn diagnose(sweep: &Sweep, layout: &Layout, prior: &ForwardPrior) -> Diagnosis {
    let tens = layout.tens() as usize;
    let units = layout.units() as usize;
    let mut g = Grid {
        tens,
        units,
        forward: Vec::with_capacity(tens * units),
        reverse: Vec::with_capacity(tens * units),
    };
    for t in 0..tens {
        for u in 0..units {
            let c = Cell::new(t as u16, u as u16);
            g.forward.push(sweep.forward(c));
            g.reverse.push(sweep.reverse(c));
        }
    }
    let Calibration {
        typical,
        scatter,
        mut notes,
    } = calibrate(&g, prior);
    let typ = typical.unwrap_or((prior.min + prior.max) / 2.0);
    let labels = &layout.labels;

    // Forward conductors: anything reading in the healthy band forward (healthy handsets,
    // leaky ones, shorts). Reversed handsets and ghosts read well above it.
    let forward: Vec<Option<f64>> = g
        .forward
        .iter()
        .map(|r| {
            r.and_then(Reading::ohms)
                .filter(|f| *f <= typ * HEALTHY_MAX)
        })
        .collect();
    let mut net = Network {
        g: &g,
        forward,
        elements: Vec::new(),
        typ,
        scatter,
    };

    // 2. E→D elements, cheapest reverse reading first; explained reverse readings are ghosts.
    let mut reverse_cells: Vec<(f64, usize, usize)> = (0..tens)
        .flat_map(|t| (0..units).map(move |u| (t, u)))
        .filter_map(|(t, u)| g.r(t, u).map(|r| (r, t, u)))
        .collect();
    reverse_cells.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut reverse_ghost = vec![false; tens * units];
    let mut is_element = vec![false; tens * units];
    for &(r, t, u) in &reverse_cells {
        let i = g.idx(t, u);
        if net
            .paths(Node::E(u), Node::D(t), Some(i))
            .is_some_and(|p| p.explains(r, net.elements.len()))
        {
            reverse_ghost[i] = true;
        } else {
            net.elements.push((t, u, r));
            is_element[i] = true;
        }
    }
    let mut elements: Vec<(usize, usize)> = net.elements.iter().map(|&(t, u, _)| (t, u)).collect();

    // 3. Open lines: serve several flats, answer on none.
    let in_use = |t: usize, u: usize| layout.apartment(Cell::new(t as u16, u as u16)).is_some();
    let answers = |t: usize, u: usize| {
        g.forward[g.idx(t, u)].is_some_and(Reading::is_finite)
            || g.reverse[g.idx(t, u)].is_some_and(Reading::is_finite)
    };
    let measured_open = |t: usize, u: usize| g.forward[g.idx(t, u)] == Some(Reading::Open);
    let vacancy = {
        let used: Vec<(usize, usize)> = (0..tens)
            .flat_map(|t| (0..units).map(move |u| (t, u)))
            .filter(|&(t, u)| in_use(t, u) && g.forward[g.idx(t, u)].is_some())
            .collect();
        // A flat has a handset when its crossing reads like one forward or conducts backwards;
        // a ghost reading proves its lines are connected, not that a handset is there.
        let has_handset =
            |t: usize, u: usize| is_element[g.idx(t, u)] || net.forward[g.idx(t, u)].is_some();
        let empty = used.iter().filter(|&&(t, u)| !has_handset(t, u)).count();
        ((empty as f64 + 1.0) / (used.len() as f64 + 2.0)).clamp(0.05, 0.5)
    };
    let mut open_lines: Vec<(Terminal, usize, f64)> = Vec::new();
    let mut unsure_lines: Vec<(Terminal, usize)> = Vec::new();
    let mut line_check = |term: Terminal, cells: Vec<(usize, usize)>| {
        let served: Vec<&(usize, usize)> = cells.iter().filter(|&&(t, u)| in_use(t, u)).collect();
        let all_open = cells.iter().all(|&(t, u)| !answers(t, u));
        let measured = served.iter().all(|&&(t, u)| measured_open(t, u));
        // Other lines must answer, or the whole sweep is dead (probe not connected).
        if served.len() >= 2 && all_open && measured {
            // Bayes: a broken line against every one of its flats simply having no handset.
            let chance_empty = vacancy.powi(served.len() as i32);
            let confidence =
                OPEN_LINE_PRIOR / (OPEN_LINE_PRIOR + (1.0 - OPEN_LINE_PRIOR) * chance_empty);
            if confidence >= 0.6 {
                open_lines.push((term, served.len(), confidence));
            } else {
                unsure_lines.push((term, served.len()));
            }
        }
    };
    let any_answer = (0..tens).any(|t| (0..units).any(|u| answers(t, u)));
    if any_answer {
        for t in 0..tens {
            line_check(
                Terminal::tens(t as u16),
                (0..units).map(|u| (t, u)).collect(),
            );
        }
        for u in 0..units {
            line_check(
                Terminal::units(u as u16),
                (0..tens).map(|t| (t, u)).collect(),
            );
        }
    } else if g.forward.iter().any(Option::is_some) {
        notes.push(
            "nothing conducted anywhere: check that the probes or the adapter really touch the terminal blocks and that the right matrix was swept".into(),
        );
    }
    for (term, served) in unsure_lines {
        let name = labels.label(term);
        notes.push(format!(
            "all {served} flats on {name} read open: either none of them has a handset or the {name} wire is broken; check one of them at its floor box"
        ));
    }
    let on_open_line = |t: usize, u: usize| {
        open_lines.iter().any(|(term, _, _)| match term.kind {
            LineKind::Tens => term.index as usize == t,
            LineKind::Units => term.index as usize == u,
        })
    };

    // 4. Forward readings: handset, ghost, or bad contact.
    let mut states = vec![CellState::Absent; tens * units];
    let mut ghost_via = vec![None; tens * units];
    let mut high: Vec<High> = Vec::new();
    let mut pending: Vec<(f64, usize, usize)> = Vec::new();
    for t in 0..tens {
        for u in 0..units {
            let i = g.idx(t, u);
            if is_element[i] {
                continue; // classified in step 5
            }
            states[i] = match g.forward[i] {
                None => CellState::NotMeasured,
                Some(Reading::Open) if reverse_ghost[i] => CellState::Ghost,
                Some(Reading::Open) if on_open_line(t, u) => CellState::Open,
                Some(Reading::Open) => CellState::Absent,
                Some(Reading::Ohms(f)) if f <= typ * HEALTHY_MAX => CellState::Ok,
                Some(Reading::Ohms(f)) => {
                    pending.push((f, t, u));
                    CellState::HighResistance
                }
            };
        }
    }

    // High forward readings, lowest first: a ghost path is dearer than each handset on it,
    // so a bad-contact handset found here can carry the ghosts of higher readings.
    pending.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (f, t, u) in pending {
        let i = g.idx(t, u);
        let paths = net.paths(Node::D(t), Node::E(u), Some(i));
        let known_absent = layout
            .apartment(Cell::new(t as u16, u as u16))
            .is_some_and(|a| layout.known_absent.contains(&a));
        match paths {
            Some(p) if p.explains(f, net.elements.len()) || known_absent => {
                ghost_via[i] = Some(p.via);
                states[i] = CellState::Ghost;
            }
            _ => {
                high.push(High {
                    t,
                    u,
                    f,
                    paths,
                    fellows: None,
                });
                net.forward[i] = Some(f);
            }
        }
    }

    // A bad contact found above conducts too: a high reverse reading that a path through it
    // explains is a reverse ghost, not a leak of its own (unless a ghost runs through it).
    if !high.is_empty() {
        let mut k = 0;
        while k < net.elements.len() {
            let (t, u, r) = net.elements[k];
            let i = g.idx(t, u);
            let plain = match g.forward[i] {
                None | Some(Reading::Open) => true,
                Some(Reading::Ohms(f)) => f <= typ * HEALTHY_MAX,
            };
            let through = net
                .paths(Node::E(u), Node::D(t), Some(i))
                .is_some_and(|p| p.explains(r, net.elements.len()));
            if net.is_leak(r) && plain && through && !ghost_via.contains(&Some(i)) {
                net.elements.remove(k);
                elements.retain(|&c| c != (t, u));
                is_element[i] = false;
                reverse_ghost[i] = true;
                states[i] = match g.forward[i] {
                    None => CellState::NotMeasured,
                    Some(Reading::Open) => CellState::Ghost,
                    Some(Reading::Ohms(_)) => CellState::Ok,
                };
            } else {
                k += 1;
            }
        }
    }

    // A meter that could not drive a sneak path dropped to a smaller test current; a crossing
    // that reads well below such ghosts has a handset of its own: a bad contact.
    let mut ghosts = dropped::ghosts(&g, &net, &ghost_via);
    for dip in dropped::dips(&g, &net, &ghosts) {
        let cell = dip.ghost.cell;
        ghost_via[cell] = None;
        states[cell] = CellState::HighResistance;
        high.push(High {
            t: cell / units,
            u: cell % units,
            f: dip.ghost.ohms,
            paths: Some(dip.ghost.path),
            fellows: Some(dip.fellows),
        });
    }
    ghosts.retain(|gh| ghost_via[gh.cell].is_some());

    let mut findings = Vec::new();
    let handset = |t: usize, u: usize| {
        let cell = Cell::new(t as u16, u as u16);
        Subject::Handset {
            cell,
            apartment: layout.apartment(cell),
        }
    };
    let who = |t: usize, u: usize| {
        let cell = Cell::new(t as u16, u as u16);
        match layout.apartment(cell) {
            Some(a) => format!("apartment {a}"),
            None => format!(
                "the handset on {} (no apartment maps here)",
                labels.cell_label(cell)
            ),
        }
    };
    let pair = |t: usize, u: usize| {
        let (d, e) = labels.cell(Cell::new(t as u16, u as u16));
        format!("{d}–{e}")
    };
    let ghost_note = |i: usize, ghost_via: &[Option<usize>]| {
        let ghosts: Vec<String> = ghost_via
            .iter()
            .enumerate()
            .filter(|(_, v)| **v == Some(i))
            .map(|(k, _)| labels.cell_label(Cell::new((k / units) as u16, (k % units) as u16)))
            .collect();
        match ghosts.len() {
            0 => String::new(),
            1 => format!(
                "; explains the ghost reading on the empty crossing {}",
                ghosts[0]
            ),
            2..=4 => format!(
                "; explains ghost readings on the empty crossings {}",
                ghosts.join(", ")
            ),
            n => format!("; explains ghost readings on {n} empty crossings"),
        }
    };

    // 5. E→D elements: short, reversed or leak.
    for &(t, u) in &elements {
        let i = g.idx(t, u);
        let r = g.r(t, u).unwrap_or(0.0);
        let f = g.f(t, u);
        let symmetric = |f: f64| (f - r).abs() <= (SYMMETRIC * f.max(r)).max(0.5);
        let (fault, confidence, what) = match f {
            Some(f) if symmetric(f) && r < typ * 0.5 => (
                Fault::Short,
                0.97,
                format!(
                    "reads {} forward and {} reverse, the same both ways, where a handset reads about {} forward and open in reverse",
                    format_ohms(f),
                    format_ohms(r),
                    format_ohms(typ)
                ),
            ),
            Some(f) if f < typ * 0.5 && r < typ * 0.5 => (
                Fault::Short,
                0.8,
                format!(
                    "reads {} forward and {} reverse, low both ways, where a handset reads about {} forward and open in reverse",
                    format_ohms(f),
                    format_ohms(r),
                    format_ohms(typ)
                ),
            ),
            _ if net.is_leak(r) => (
                Fault::Leak,
                if f.is_some_and(|f| f <= typ * HEALTHY_MAX) {
                    0.93
                } else {
                    0.6
                },
                format!(
                    "forward {} but reverse reads {} where a healthy handset reads open",
                    f.map_or("open".to_string(), format_ohms),
                    format_ohms(r)
                ),
            ),
            Some(f) if f <= typ * HEALTHY_MAX => (
                Fault::Reversed,
                0.6,
                format!(
                    "reads like a handset both ways ({} forward, {} reverse): a reversed handset whose forward reading comes from another handset through touching lines, or a leak as low as a handset",
                    format_ohms(f),
                    format_ohms(r)
                ),
            ),
            _ => (
                Fault::Reversed,
                if f.is_none() { 0.96 } else { 0.9 },
                format!(
                    "reverse reading {} where a handset reads open, and forward {}: it conducts like a handset, the wrong way round",
                    format_ohms(r),
                    f.map_or("open".to_string(), |f| format!(
                        "{} (a sneak path)",
                        format_ohms(f)
                    ))
                ),
            ),
        };
        states[i] = CellState::of_fault(fault);
        let action = match fault {
            Fault::Short => format!(
                "disconnect {} at its floor box and re-measure {}: expect OL in reverse; if it still reads low the drop wire is shorted",
                who(t, u),
                pair(t, u)
            ),
            Fault::Reversed => format!(
                "swap the two wires of {} at the floor box or in the handset, then re-measure {}: expect about {} forward and OL in reverse",
                who(t, u),
                pair(t, u),
                format_ohms(typ)
            ),
            _ => format!(
                "inspect {} for moisture or damage, replace the handset if wet or cracked, then re-measure {}: expect OL in reverse",
                who(t, u),
                pair(t, u)
            ),
        };
        findings.push(Finding {
            subject: handset(t, u),
            fault,
            confidence,
            evidence: format!("{what}{}", ghost_note(i, &ghost_via)),
            action,
        });
    }

    for &High {
        t,
        u,
        f,
        paths,
        fellows,
    } in &high
    {
        let cell = Cell::new(t as u16, u as u16);
        let ratio = f / typ;
        let mut confidence: f64 = if ratio >= 3.0 {
            0.92
        } else if ratio >= 2.0 {
            0.8
        } else {
            0.6
        };
        let mut evidence = format!(
            "forward {}, {:.1}× this entrance's typical {}, reverse open",
            format_ohms(f),
            ratio,
            format_ohms(typ)
        );
        if let Some((lo, hi)) = fellows {
            confidence = confidence.min(0.7);
            let range = if hi > lo * 1.005 {
                format!("{}–{}", format_ohms(lo), format_ohms(hi))
            } else {
                format_ohms(lo)
            };
            evidence.push_str(&format!(
                "; the ghosts through the same faulty handset made the meter drop range and read {range} here, and this crossing reads well under what any of them may: a handset is there but conducts poorly"
            ));
        } else if let Some(p) = paths {
            confidence = confidence.min(0.7);
            evidence.push_str(&format!(
                "; a sneak path would read about {}, so a handset is there but conducts poorly",
                format_ohms(p.cheapest)
            ));
        }
        if layout.apartment(cell).is_none() {
            notes.push(format!(
                "{} reads {} forward though no apartment maps there: a handset or a stray connection; check --apartments and --offset",
                labels.cell_label(cell),
                format_ohms(f)
            ));
            continue;
        }
        findings.push(Finding {
            subject: handset(t, u),
            fault: Fault::HighResistance,
            confidence,
            evidence,
            action: format!(
                "check the terminals of {} at the switch and in the floor box (oxidised, or clamped on the insulation), re-seat them and re-measure {}: expect about {}",
                who(t, u),
                pair(t, u),
                format_ohms(typ)
            ),
        });
    }

    for &(term, served, confidence) in &open_lines {
        let name = labels.label(term);
        let flats: Vec<u32> = layout
            .cells()
            .filter(|c| match term.kind {
                LineKind::Tens => c.tens == term.index,
                LineKind::Units => c.units == term.index,
            })
            .filter_map(|c| layout.apartment(c))
            .collect();
        let span = match (flats.iter().min(), flats.iter().max()) {
            (Some(a), Some(b)) if a != b => format!(" (apartments {a}–{b})"),
            _ => String::new(),
        };
        findings.push(Finding {
            subject: Subject::Bus {
                line: term,
                other: None,
            },
            fault: Fault::Open,
            confidence,
            evidence: format!(
                "all {served} flats on {name}{span} read open both ways while the other lines answer: a broken {name} wire, not {served} missing handsets"
            ),
            action: format!(
                "trace the {name} wire from the switch terminal to the riser: look for a break, a loose screw or a cut in the floor boxes; re-measure any {name} crossing: expect about {}",
                format_ohms(typ)
            ),
        });
    }

    bus_shorts(sweep, &net, layout, typ, &mut findings);
    // A whole sweep taken with the probes swapped, or on a live panel, makes most crossings
    // "faulty": say what to check rather than leave a technician with fifty findings.
    let conducting = g
        .forward
        .iter()
        .filter(|r| r.is_some_and(Reading::is_finite))
        .count()
        + g.reverse
            .iter()
            .filter(|r| r.is_some_and(Reading::is_finite))
            .count();
    let reversed = findings
        .iter()
        .filter(|f| f.fault == Fault::Reversed)
        .count();
    if elements.len() >= 5 && elements.len() * 2 >= conducting.div_ceil(2) {
        notes.push(if reversed * 2 >= elements.len() {
            format!(
                "{reversed} crossings conduct only from E to D: were the probes swapped for the whole sweep (red on E)? Red must be on the D terminal for a forward reading"
            )
        } else {
            format!(
                "{} crossings conduct backwards: check that the panel is disconnected (never measure a powered line) and that the probes are on the D and E blocks",
                elements.len()
            )
        });
    }
    merge_twins(&g, layout, &mut findings, &mut states);
    let remeasure = recheck::order(&g, &net, &ghosts, layout, &states);
    if let Some(note) = recheck::note(&remeasure) {
        notes.push(note);
    }

    let cells = (0..tens)
        .flat_map(|t| (0..units).map(move |u| (t, u)))
        .map(|(t, u)| {
            let i = g.idx(t, u);
            let cell = Cell::new(t as u16, u as u16);
            let apartment = layout.apartment(cell);
            let mut state = states[i];
            // A crossing without an apartment shows a ghost as a ghost (the evidence names it);
            // anything else there is no handset of anyone's.
            if apartment.is_none() && !state.is_fault() && state != CellState::Ghost
                || state == CellState::HighResistance && apartment.is_none()
            {
                state = CellState::Unused;
            }
            CellReport {
                cell,
                apartment,
                state,
                forward: g.forward[i],
                reverse: g.reverse[i],
            }
        })
        .collect();
    findings.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    Diagnosis {
        typical_forward_ohms: typical,
        findings,
        cells,
        notes,
        remeasure,
        // Completeness and the layout's fit are judged around the engine (verdict.rs).
        ..Diagnosis::default()
    }
}

/// A high forward reading that no ghost accounts for: a handset conducting poorly.
#[derive(Clone, Copy)]
struct High {
    t: usize,
    u: usize,
    f: f64,
    /// The sneak paths of its crossing, if any.
    paths: Option<Paths>,
    /// Lowest and highest reading of the range-dropped ghosts it reads under, if that is how
    /// it was found.
    fellows: Option<(f64, f64)>,
}

/// Lines that touch make the two crossings of every other line one electrical point: a fault
/// on one shows on its twin too. Keep the one that reads lower (the other reading also crosses
/// the touching wires) and say so.
fn merge_twins(g: &Grid, layout: &Layout, findings: &mut Vec<Finding>, states: &mut [CellState]) {
    let pairs: Vec<(Terminal, Terminal)> = findings
        .iter()
        .filter_map(|f| match f.subject {
            Subject::Bus {
                line,
                other: Some(other),
            } if f.fault == Fault::Short => Some((line, other)),
            _ => None,
        })
        .collect();
    let twin = |a: Cell, b: Cell| {
        pairs.iter().any(|&(p, q)| match p.kind {
            LineKind::Tens => {
                a.units == b.units
                    && ((a.tens, b.tens) == (p.index, q.index)
                        || (a.tens, b.tens) == (q.index, p.index))
            }
            LineKind::Units => {
                a.tens == b.tens
                    && ((a.units, b.units) == (p.index, q.index)
                        || (a.units, b.units) == (q.index, p.index))
            }
        })
    };
    let key = |f: &Finding, c: Cell| {
        let i = g.idx(c.tens as usize, c.units as usize);
        let r = if f.fault == Fault::HighResistance {
            g.forward[i]
        } else {
            g.reverse[i]
        };
        r.and_then(Reading::ohms).unwrap_or(f64::INFINITY)
    };
    let mut drop = vec![false; findings.len()];
    for a in 0..findings.len() {
        for b in a + 1..findings.len() {
            let (Subject::Handset { cell: ca, .. }, Subject::Handset { cell: cb, .. }) =
                (&findings[a].subject, &findings[b].subject)
            else {
                continue;
            };
            if findings[a].fault != findings[b].fault || !twin(*ca, *cb) || drop[a] || drop[b] {
                continue;
            }
            // A crossing no apartment maps to has no handset to blame; else the lower reading
            // is the fault's own (the other also crosses the touching wires), when the two
            // differ by more than a meter's noise.
            let (ka, kb) = (key(&findings[a], *ca), key(&findings[b], *cb));
            let (fa, fb) = (layout.apartment(*ca), layout.apartment(*cb));
            let a_first = match (fa, fb) {
                (Some(_), None) => true,
                (None, Some(_)) => false,
                _ => ka <= kb,
            };
            let (keep, lose, kc, lc) = if a_first {
                (a, b, *ca, *cb)
            } else {
                (b, a, *cb, *ca)
            };
            let alike = (ka - kb).abs() <= TWIN_NOISE * ka.min(kb) || !ka.is_finite();
            drop[lose] = true;
            let lost_who = match layout.apartment(lc) {
                Some(a) => format!("apartment {a}"),
                None => "nothing".into(),
            };
            let kept = &mut findings[keep];
            if fa.is_none() || fb.is_none() {
                kept.evidence.push_str(&format!(
                    "; {} reads the same through the touching lines but no apartment maps there",
                    layout.labels.cell_label(lc)
                ));
            } else if alike {
                kept.confidence = kept.confidence.min(0.5);
                kept.evidence.push_str(&format!(
                    "; {} ({lost_who}) reads the same through the touching lines, so the fault is on one of the two: if {} checks out, it is {lost_who}",
                    layout.labels.cell_label(lc),
                    layout.labels.cell_label(kc)
                ));
            } else {
                kept.confidence = (kept.confidence * 0.8).max(0.5);
                kept.evidence.push_str(&format!(
                    "; {} reads the same through the touching lines, slightly higher, so the fault is on {}",
                    layout.labels.cell_label(lc),
                    layout.labels.cell_label(kc)
                ));
            }
            states[g.idx(lc.tens as usize, lc.units as usize)] = CellState::Ghost;
        }
    }
    let mut k = 0;
    findings.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// Bus shorts: a finite D–D or E–E reading that no sneak path explains, or (when those were
/// not measured) two lines that read alike on every crossing.
fn bus_shorts(
    sweep: &Sweep,
    net: &Network,
    layout: &Layout,
    typ: f64,
    findings: &mut Vec<Finding>,
) {
    let g = net.g;
    let labels = &layout.labels;
    let mut found: Vec<(Terminal, Terminal)> = Vec::new();
    let mut measured: Vec<(Terminal, Terminal)> = Vec::new();
    for m in sweep.bus() {
        let key = if m.plus <= m.minus {
            (m.plus, m.minus)
        } else {
            (m.minus, m.plus)
        };
        measured.push(key);
        let Reading::Ohms(v) = m.reading else {
            continue;
        };
        let node = |t: Terminal| match t.kind {
            LineKind::Tens => Node::D(t.index as usize),
            LineKind::Units => Node::E(t.index as usize),
        };
        let sneak = net.paths(node(m.plus), node(m.minus), None);
        // Touching wires read low; a high reading with a sneak path is that path, also when
        // several paths in parallel pull it well below the cheapest one. A reading far below
        // a handset runs through shorts alone, whose path sums are exact: under its only path
        // (by more than 1 % and half an ohm of display) it is the wires themselves.
        let explained = sneak.is_some_and(|p| {
            if v < typ * 0.5 && p.lone() {
                v + 0.5 >= p.cheapest * SHORTS_PATH_SLACK
            } else {
                v >= p.cheapest * MANY_PATHS_SLACK || (v > typ * 2.0 && v >= p.cheapest * 0.4)
            }
        });
        if explained || found.contains(&key) {
            continue;
        }
        found.push(key);
        let (n1, n2) = (labels.label(key.0), labels.label(key.1));
        findings.push(Finding {
            subject: Subject::Bus {
                line: key.0,
                other: Some(key.1),
            },
            fault: Fault::Short,
            confidence: if v < typ * 0.5 { 0.95 } else { 0.75 },
            evidence: format!(
                "{n1}–{n2} reads {} where separate lines read open and no handset path explains it: the two wires touch",
                format_ohms(v)
            ),
            action: format!(
                "separate {n1} and {n2}: look for touching wires at the switch and in the floor boxes, a wire on the panel body, or a handset wired across {n1} and {n2}; re-measure {n1}–{n2}: expect OL"
            ),
        });
    }

    // Two lines reading alike, where their pair was not measured.
    // How many crossings read alike, and how many of those read like two handsets in
    // parallel (well below one handset), which only touching lines produce.
    let alike =
        |a: &dyn Fn(usize) -> Option<Reading>, b: &dyn Fn(usize) -> Option<Reading>, n: usize| {
            let (mut matched, mut parallel) = (0, 0);
            for k in 0..n {
                match (a(k), b(k)) {
                    (Some(Reading::Ohms(x)), Some(Reading::Ohms(y))) => {
                        if (x - y).abs() > ALIKE * x.max(y) {
                            return (0, 0);
                        }
                        matched += 1;
                        if x.max(y) < typ * 0.8 {
                            parallel += 1;
                        }
                    }
                    (Some(Reading::Open), Some(Reading::Ohms(_)))
                    | (Some(Reading::Ohms(_)), Some(Reading::Open)) => return (0, 0),
                    _ => {}
                }
            }
            (matched, parallel)
        };
    let mut check = |ta: Terminal, tb: Terminal, matched: (usize, usize)| {
        let key = (ta, tb);
        let (matched, parallel) = matched;
        // Touching lines read identically, and where both have a handset the two read in
        // parallel, well below one handset: demand that, or many identical crossings.
        let convincing = parallel >= 2 || (parallel >= 1 && matched >= 4) || matched >= 8;
        if convincing && !measured.contains(&key) && !found.contains(&key) {
            found.push(key);
            let (n1, n2) = (labels.label(ta), labels.label(tb));
            findings.push(Finding {
                subject: Subject::Bus {
                    line: ta,
                    other: Some(tb),
                },
                fault: Fault::Short,
                confidence: if matched >= 5 { 0.85 } else { 0.7 },
                evidence: format!(
                    "{n1} and {n2} read the same on all {matched} crossings that conduct (within {:.0} %): the two wires touch, so every handset on one answers on the other",
                    ALIKE * 100.0
                ),
                action: format!(
                    "measure {n1}–{n2} directly (expect OL when healthy), then separate the wires: look for touching wires, a wire on the panel body, or a handset wired across {n1} and {n2}"
                ),
            });
        }
    };
    for a in 0..g.tens {
        for b in a + 1..g.tens {
            let fa = |u: usize| g.forward[g.idx(a, u)];
            let fb = |u: usize| g.forward[g.idx(b, u)];
            let m = alike(&fa, &fb, g.units);
            check(Terminal::tens(a as u16), Terminal::tens(b as u16), m);
        }
    }
    for a in 0..g.units {
        for b in a + 1..g.units {
            let fa = |t: usize| g.forward[g.idx(t, a)];
            let fb = |t: usize| g.forward[g.idx(t, b)];
            let m = alike(&fa, &fb, g.tens);
            check(Terminal::units(a as u16), Terminal::units(b as u16), m);
        }
    }
}
