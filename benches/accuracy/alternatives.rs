//! The accuracy bench's other explanations of a missed fault (information beside the graded
//! figures; it never changes what counts as exact or excused): the simulator scenarios that
//! would give the sweep without that fault — removed, moved to another crossing the engine's
//! cannot-tell list names beside it, or for a cut line the line whole with its flats empty —
//! and how far the nearest one's noise-free readings are from the real sweep's, in σ of each
//! reading and in per cent. Pure apart from the simulator it drives; no printing.

use kmdiag::model::{Cell, Fault, LineKind, Terminal};
use kmdiag::profile::Layout;
use kmdiag::sim::{FaultSpec, HandsetFault, RawReading, Scenario, SimEntrance};

/// One entry of the engine's cannot-tell list, as the simulator could place a fault there.
#[derive(Debug, Clone, PartialEq)]
pub enum Listed {
    /// An apartment's crossing, with the fault the list says it may be (None: not said).
    Flat {
        apartment: u32,
        cell: Cell,
        fault: Option<Fault>,
    },
    /// A crossing no apartment maps to: the simulator puts no handset there, so no fault can
    /// be moved onto it.
    NoApartment { cell: Cell },
    /// Two lines that may touch.
    Touching(Terminal, Terminal),
    /// A line that may be cut, or whose flats may all be empty.
    Line(Terminal),
}

/// One other explanation of the sweep: what it is, in a few words, and its scenario.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub what: String,
    pub scenario: Scenario,
    /// Apartments whose handset differs from the real scenario's (every other handset must be
    /// the same element: `same_elsewhere`).
    pub touched: Vec<u32>,
}

/// How far an alternative's noise-free readings are from the real sweep's: the largest change
/// of any reading in σ of that reading, and the largest in per cent of the real reading (one
/// reading open where the other conducts is infinitely far), with the reading of the largest
/// σ change (the probe pair, the real and the alternative reading, Ω).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distance {
    pub sigma: f64,
    pub percent: f64,
    pub at: Option<(Terminal, Terminal, Option<f64>, Option<f64>)>,
}

/// Upper edges of the σ buckets of the nearest alternative: within 3σ the sweep cannot tell
/// the two apart at all (the excusing threshold); under 10σ one careful re-measurement
/// might; beyond, the sweep says clearly which.
pub const SIGMA_EDGES: [f64; 2] = [3.0, 10.0];

/// Upper edges of the per cent buckets: under 1 % is inside any meter's noise and a
/// handset's wire; 1–3 % is what a sneak-path prediction's own uncertainty spans (issue 12's
/// ghosts read 1–3 % under their sums); 3–10 % is how much handsets' diodes differ.
pub const PERCENT_EDGES: [f64; 3] = [1.0, 3.0, 10.0];

/// The bucket of a value against ascending upper edges (a value on an edge is in the lower
/// bucket; beyond the last edge, or infinite, is the last bucket).
pub fn bucket(value: f64, edges: &[f64]) -> usize {
    edges
        .iter()
        .position(|e| value <= *e)
        .unwrap_or(edges.len())
}

/// The change between one real noise-free reading and an alternative's, in σ (`sigma` of the
/// larger reading) and in per cent of the real one; `None` = open.
pub fn reading_change(
    real: Option<RawReading>,
    other: Option<RawReading>,
    sigma: impl Fn(RawReading) -> f64,
) -> (f64, f64) {
    match (real, other) {
        (None, None) => (0.0, 0.0),
        (Some(a), Some(b)) => {
            let d = (a.ohms - b.ohms).abs();
            if d == 0.0 {
                return (0.0, 0.0);
            }
            let larger = if a.ohms >= b.ohms { a } else { b };
            let percent = if a.ohms > 0.0 {
                100.0 * d / a.ohms
            } else {
                f64::INFINITY
            };
            (d / sigma(larger), percent)
        }
        _ => (f64::INFINITY, f64::INFINITY),
    }
}

/// The simulator's fault for a fault kind the list states on a crossing (`Open` is no
/// handset fault).
fn handset_fault(f: Fault) -> Option<HandsetFault> {
    match f {
        Fault::Short => Some(HandsetFault::Short),
        Fault::Reversed => Some(HandsetFault::Reversed),
        Fault::Leak => Some(HandsetFault::Leak),
        Fault::HighResistance => Some(HandsetFault::HighResistance),
        Fault::Open => None,
    }
}

fn on_line(cell: Cell, line: Terminal) -> bool {
    match line.kind {
        LineKind::Tens => cell.tens == line.index,
        LineKind::Units => cell.units == line.index,
    }
}

/// The lines a missed fault sits on: a crossing's two, a bus fault's one or two.
fn lines_of(spec: FaultSpec, scenario: &Scenario) -> Vec<Terminal> {
    match spec {
        FaultSpec::Handset { apartment, .. } => scenario
            .layout
            .cell_of(apartment)
            .map(|c| vec![Terminal::tens(c.tens), Terminal::units(c.units)])
            .unwrap_or_default(),
        FaultSpec::BusOpen { line } => vec![line],
        FaultSpec::BusShort { a, b } => vec![a, b],
    }
}

/// The ways to take the missed fault `faults[i]` out: a handset made healthy or taken away,
/// a line mended, and for a cut line also the line whole with every flat on it empty.
fn removals(scenario: &Scenario, i: usize) -> Vec<Alternative> {
    let with = |what: String, faults: Vec<FaultSpec>, touched: Vec<u32>| Alternative {
        what,
        scenario: Scenario {
            faults,
            ..scenario.clone()
        },
        touched,
    };
    let replaced = |f: Option<FaultSpec>| {
        let mut faults = scenario.faults.clone();
        match f {
            Some(f) => faults[i] = f,
            None => {
                faults.remove(i);
            }
        }
        faults
    };
    match scenario.faults[i] {
        FaultSpec::Handset { apartment, .. } => [
            (HandsetFault::Healthy, "healthy"),
            (HandsetFault::Absent, "no handset"),
        ]
        .into_iter()
        .map(|(fault, what)| {
            with(
                format!("{apartment} {what}"),
                replaced(Some(FaultSpec::Handset { apartment, fault })),
                vec![apartment],
            )
        })
        .collect(),
        FaultSpec::BusOpen { line } => {
            let layout = &scenario.layout;
            let flats: Vec<u32> = (layout.cells())
                .filter(|c| on_line(*c, line))
                .filter_map(|c| layout.apartment(c))
                .filter(|a| {
                    !(scenario.faults.iter()).any(
                        |f| matches!(f, FaultSpec::Handset { apartment, .. } if apartment == a),
                    )
                })
                .collect();
            let mut empty = replaced(None);
            empty.extend(flats.iter().map(|&apartment| FaultSpec::Handset {
                apartment,
                fault: HandsetFault::Absent,
            }));
            vec![
                with("line mended".into(), replaced(None), Vec::new()),
                with(
                    format!("line whole, its {} flats empty", flats.len()),
                    empty,
                    flats,
                ),
            ]
        }
        FaultSpec::BusShort { .. } => vec![with("lines apart".into(), replaced(None), Vec::new())],
    }
}

/// The other explanations of a sweep without the missed fault `faults[i]`, from the entries
/// of the cannot-tell list on one of its lines: the handset made healthy or taken away (or
/// the line mended, or whole with its flats empty), and the same fault (or the fault the list
/// states there) on each listed crossing sharing a line with it, the original handset
/// healthy; touching lines or a cut line the list names instead. A fault moved keeps its
/// values (`Scenario::values_as_at`); a fault of another kind is drawn at its own crossing.
/// Also the number of listed crossings on its lines with no apartment, where the simulator
/// has no handset to move the fault onto.
pub fn alternatives(scenario: &Scenario, i: usize, listed: &[Listed]) -> (Vec<Alternative>, usize) {
    let missed = scenario.faults[i];
    let lines = lines_of(missed, scenario);
    let mut out = removals(scenario, i);
    // The scenario with the missed fault taken out the way the brief names: a handset made
    // healthy, a bus fault removed.
    let base = out[0].clone();
    let faulty = |a: u32| {
        (scenario.faults.iter())
            .any(|f| matches!(*f, FaultSpec::Handset { apartment, .. } if apartment == a))
    };
    let mut unmappable = 0;
    for entry in listed {
        let placed = match *entry {
            Listed::Flat {
                apartment,
                cell,
                fault,
            } if lines.iter().any(|l| on_line(cell, *l)) && !faulty(apartment) => {
                let (kind, moved_from) = match (fault.and_then(handset_fault), missed) {
                    (
                        Some(k),
                        FaultSpec::Handset {
                            apartment: from,
                            fault,
                        },
                    ) if k == fault => (Some(k), Some(from)),
                    (Some(k), _) => (Some(k), None),
                    (
                        None,
                        FaultSpec::Handset {
                            apartment: from,
                            fault,
                        },
                    ) => (Some(fault), Some(from)),
                    (None, _) => (None, None),
                };
                kind.map(|fault| {
                    let mut s = base.scenario.clone();
                    s.faults.push(FaultSpec::Handset { apartment, fault });
                    if let Some(from) = moved_from {
                        s.values_as_at.push((apartment, from));
                    }
                    let what = match moved_from {
                        Some(_) => format!("moved to {apartment}"),
                        None => format!("{} at {apartment} (its own value)", fault_key(fault)),
                    };
                    let mut touched = base.touched.clone();
                    touched.push(apartment);
                    Alternative {
                        what,
                        scenario: s,
                        touched,
                    }
                })
            }
            Listed::NoApartment { cell } if lines.iter().any(|l| on_line(cell, *l)) => {
                unmappable += 1;
                None
            }
            Listed::Touching(a, b) if !scenario.faults.contains(&FaultSpec::BusShort { a, b }) => {
                let mut s = base.scenario.clone();
                s.faults.push(FaultSpec::BusShort { a, b });
                Some(Alternative {
                    what: "lines touching instead".into(),
                    scenario: s,
                    touched: base.touched.clone(),
                })
            }
            Listed::Line(line)
                if !lines.contains(&line)
                    && !scenario.faults.contains(&FaultSpec::BusOpen { line }) =>
            {
                let mut s = base.scenario.clone();
                s.faults.push(FaultSpec::BusOpen { line });
                Some(Alternative {
                    what: "a cut line instead".into(),
                    scenario: s,
                    touched: base.touched.clone(),
                })
            }
            _ => None,
        };
        out.extend(placed);
    }
    (out, unmappable)
}

fn fault_key(f: HandsetFault) -> &'static str {
    f.fault().map_or("no handset", |f| f.key())
}

/// True when every handset but the touched ones is the same element fitted the same way
/// round between the same two lines in both entrances (the same seed draws every other
/// handset, fault value and wire alike), and the meter and the lines' wires are the same: the
/// alternative differs from the real entrance only where it says. Which network nodes a
/// handset hangs on may differ, and must be free to: a line cut in one entrance and whole in
/// the other (a line mended, a cut line instead) puts that line's flats on a node of their
/// own without wiring, the line's own change and no other handset's.
pub fn same_elsewhere(
    real: &SimEntrance,
    other: &SimEntrance,
    layout: &Layout,
    touched: &[u32],
) -> bool {
    let (a, b) = (real.truth(), other.truth());
    a.meter == b.meter
        && a.wiring == b.wiring
        && (layout.cells())
            .filter_map(|c| layout.apartment(c))
            .filter(|x| !touched.contains(x))
            .all(|x| real.fitted(x) == other.fitted(x))
}

/// The distance of an alternative from the real sweep over `pairs`, or `None` as soon as one
/// reading changes by more than `bound` σ (a nearer alternative is already known).
pub fn distance(
    real: &mut SimEntrance,
    other: &mut SimEntrance,
    pairs: &[(Terminal, Terminal)],
    sigma: impl Fn(RawReading) -> f64,
    bound: f64,
) -> Option<Distance> {
    let mut d = Distance {
        sigma: 0.0,
        percent: 0.0,
        at: None,
    };
    for &(p, m) in pairs {
        let (a, b) = (real.raw(p, m), other.raw(p, m));
        let (s, pc) = reading_change(a, b, &sigma);
        if s > bound {
            return None;
        }
        if s > d.sigma {
            d.sigma = s;
            d.at = Some((p, m, a.map(|r| r.ohms), b.map(|r| r.ohms)));
        }
        d.percent = d.percent.max(pc);
    }
    Some(d)
}

/// Missed faults the grading does not excuse, by how near the nearest other explanation's
/// sweep is: counts per σ and per cent bucket, those with none, listed crossings the
/// simulator could not place a fault on, and alternatives that changed more than they said.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Nearness {
    pub examined: usize,
    pub sigma: [usize; SIGMA_EDGES.len() + 1],
    pub percent: [usize; PERCENT_EDGES.len() + 1],
    pub none: usize,
    pub unmappable: usize,
    pub drifted: usize,
}

impl Nearness {
    /// Counts one examined missed fault with its nearest alternative's distance, if any.
    pub fn count(&mut self, nearest: Option<Distance>) {
        self.examined += 1;
        match nearest {
            Some(d) => {
                self.sigma[bucket(d.sigma, &SIGMA_EDGES)] += 1;
                self.percent[bucket(d.percent, &PERCENT_EDGES)] += 1;
            }
            None => self.none += 1,
        }
    }

    pub fn add(&mut self, other: &Nearness) {
        self.examined += other.examined;
        for (a, b) in (self.sigma.iter_mut().zip(&other.sigma))
            .chain(self.percent.iter_mut().zip(&other.percent))
        {
            *a += b;
        }
        self.none += other.none;
        self.unmappable += other.unmappable;
        self.drifted += other.drifted;
    }
}
