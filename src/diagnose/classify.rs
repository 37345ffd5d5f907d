//! Stage 8, verdicts: what is reported as a finding, what goes on the "cannot tell from this
//! sweep" list, and each crossing's state. A fault is reported only when its probability
//! reaches `evidence::REPORT`; from `evidence::DOUBT` up it is listed with the reason. Also
//! decides the kind of each element conducting E→D (short, reversed or leak) from both its
//! readings (with its twin's handset in parallel where lines touch), and keeps a fault seen
//! on both twin crossings of touching lines on the one that is its own.
//!
//! Takes everything the stages before found; gives `Verdicts` (structured facts, no
//! sentences: `wording.rs` writes those). Pure.

use super::bus::BusShort;
use super::calibrate::Calibration;
use super::elements::{ELEMENT_LOW, Elements};
use super::evidence::{
    Band, DOUBT, OPEN_BY_CHANCE, PRIOR_FAULT_KIND, REPORT, log_uniform, normal, normal_cdf,
};
use super::explain::{Explained, Explanations, Weighed};
use super::grid::Grid;
use super::lines::Lines;
use super::network::SHORT_MAX;
use super::noise::{CONTACT_MAX, LINE_WIRE_MAX, Noise, WIRE_MAX};
use super::suspect::{BEYOND_ANY_METER, Suspects};
use super::twins;
use super::{Behind, CellState, Doubt, Facts, Fault, Subject, Twin};
use crate::model::{Cell, LineKind, Reading, Terminal};
use crate::profile::Layout;

/// No diagnosis from one sweep is surer than this: a layout typed wrong, a reading taken on
/// the wrong terminals, a fault of a kind no model here knows.
pub(super) const MOST_SURE: f64 = 0.99;
/// The probability a lone reading one range up, beside a second model reading up against the
/// meter's first range, is a bad contact rather than the one handset of that model's tail:
/// the sweep shows neither more likely (`Ceiling::lone`).
const LONE_UP_ODDS: f64 = 0.5;
/// Share of shorts whose two readings disagree by more than noise (a short in a handset with
/// a little of its circuit still in it, a drop wire shorted through corrosion): they still
/// read low both ways.
const UNEVEN_SHORT: f64 = 0.1;
/// Share of reversed handsets whose forward reading comes from another handset through
/// touching lines (it then reads like a handset), where no touching lines were found.
const REVERSED_FORWARD_LIKE_HANDSET: f64 = 0.01;
/// Share of leaks with no handset behind them (moisture across the drop wires): they read
/// the same both ways.
const LEAK_WITHOUT_HANDSET: f64 = 0.2;

/// A fault that is reported.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Candidate {
    /// The handset or line.
    pub(super) subject: Subject,
    /// The fault.
    pub(super) fault: Fault,
    /// Its probability.
    pub(super) confidence: f64,
    /// What shows it.
    pub(super) facts: Facts,
    /// Its twin crossing on touching lines.
    pub(super) twin: Option<Twin>,
}

/// A crossing or line the sweep cannot settle.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Doubtful {
    /// The crossing or line.
    pub(super) subject: Subject,
    /// Why.
    pub(super) reason: Doubt,
    /// The probability of a fault there.
    pub(super) chance: f64,
    /// Only a sweep after the repair can settle it.
    pub(super) after_repair: bool,
    /// Tie-break in the list, lower first (how deep in its ghost band a reading sits).
    pub(super) rank: f64,
    /// The fault it may be.
    pub(super) fault: Option<Fault>,
    /// The twin crossing, for a fault on one of two crossings of touching lines.
    pub(super) twin: Option<Cell>,
}

/// Sweep-wide facts worth a note.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Remark {
    /// Most crossings conduct E→D and most of those like reversed handsets.
    ProbesSwapped {
        /// How many read like reversed handsets.
        reversed: usize,
    },
    /// Most crossings conduct E→D.
    PoweredOrWrongBlocks {
        /// How many.
        elements: usize,
    },
    /// A crossing no apartment maps to conducts poorly forward.
    UnmappedConducts {
        /// The crossing.
        cell: Cell,
        /// Its forward reading.
        ohms: f64,
    },
}

/// Findings, the cannot-tell list and the crossings' states.
pub(super) struct Verdicts {
    /// Reported faults, most certain first.
    pub(super) findings: Vec<Candidate>,
    /// Crossings and lines the sweep cannot settle, likeliest fault first.
    pub(super) cannot_tell: Vec<Doubtful>,
    /// By crossing.
    pub(super) states: Vec<CellState>,
    /// Sweep-wide remarks.
    pub(super) remarks: Vec<Remark>,
}

/// Everything the verdicts are drawn from.
pub(super) struct Found<'a> {
    pub(super) g: &'a Grid,
    pub(super) layout: &'a Layout,
    pub(super) cal: &'a Calibration,
    pub(super) noise: &'a Noise,
    pub(super) elements: &'a Elements,
    pub(super) explained: &'a Explanations,
    pub(super) lines: &'a Lines,
    pub(super) bus: &'a [BusShort],
    pub(super) suspects: &'a Suspects,
}

/// Draws the verdicts.
pub(super) fn verdicts(x: &Found) -> Verdicts {
    let g = x.g;
    let mut v = Verdicts {
        findings: Vec::new(),
        cannot_tell: Vec::new(),
        states: vec![CellState::Absent; g.len()],
        remarks: Vec::new(),
    };
    crossings(x, &mut v);
    backward_elements(x, &mut v);
    silent_lines(x, &mut v);
    bus_shorts(x, &mut v);
    suspect_readings(x, &mut v);
    swapped_or_powered(g, x.elements, &mut v);
    twins::short_or_twin(g, x.layout, x.noise, x.cal.typ, x.bus, &mut v);
    twins(g, x.layout, x.noise, x.bus, &mut v);
    behind_touching(g, x.layout, &mut v);
    unused_crossings(x, &mut v);
    in_order(&mut v);
    v
}

/// The handset at crossing `i`, with its apartment if one maps there.
fn handset(x: &Found, i: usize) -> Subject {
    Subject::Handset {
        cell: x.g.cell(i),
        apartment: x.layout.apartment(x.g.cell(i)),
    }
}

/// Every crossing's state from its forward reading, as the explain stage took it: a handset,
/// nothing, a ghost, or a reading under its ghost (a bad contact named, or listed).
fn crossings(x: &Found, v: &mut Verdicts) {
    let g = x.g;
    for i in 0..g.len() {
        let (t, u) = g.tu(i);
        v.states[i] = match x.explained.cells[i] {
            Explained::NotMeasured => CellState::NotMeasured,
            Explained::Open if x.elements.reverse_ghost[i] => CellState::Ghost,
            Explained::Open if x.lines.on_cut_line(t, u, REPORT) => CellState::Open,
            Explained::Open => CellState::Absent,
            Explained::Handset => {
                if x.elements.reverse_ghost[i] && x.layout.apartment(g.cell(i)).is_some() {
                    v.cannot_tell.push(Doubtful {
                        subject: handset(x, i),
                        reason: Doubt::BehindReverseGhost,
                        // A leak weighed against a bad contact it may read through carries
                        // that weighing; any other reverse ghost, a leak's prior.
                        chance: x.elements.leak_doubt[i].max(PRIOR_FAULT_KIND),
                        after_repair: true,
                        rank: 2.0,
                        fault: Some(Fault::Leak),
                        twin: None,
                    });
                }
                CellState::Ok
            }
            Explained::BareGhost => {
                let cell = g.cell(i);
                if x.layout.apartment(cell).is_some() && !known_absent(x.layout, cell) {
                    // Whatever handset is there reads under the shorts' path and cannot show,
                    // a short of its own included: beside touching lines it may be the twin
                    // of a short named there (`Touching::settle_beside_unclear`).
                    v.cannot_tell.push(Doubtful {
                        subject: handset(x, i),
                        reason: Doubt::BehindReverseGhost,
                        chance: PRIOR_FAULT_KIND,
                        after_repair: true,
                        rank: 2.0,
                        fault: Some(Fault::Short),
                        twin: None,
                    });
                }
                CellState::Ghost
            }
            Explained::Element => CellState::Ok, // `backward_elements`
            Explained::High {
                ohms,
                weighed,
                behind,
                via: _,
            } => high_reading(x, i, (ohms, weighed, behind), v),
        };
    }
}

/// A crossing reading higher than a handset does: a bad contact when the evidence says so
/// (at an apartment; elsewhere a remark), else a ghost or a handset, listed when a bad
/// contact stays likely enough or could hide behind the ghost.
fn high_reading(
    x: &Found,
    i: usize,
    (ohms, weighed, behind): (f64, Weighed, Option<Behind>),
    v: &mut Verdicts,
) -> CellState {
    let g = x.g;
    let mapped = x.layout.apartment(g.cell(i)).is_some();
    if weighed.bad >= REPORT && mapped {
        v.findings.push(Candidate {
            subject: handset(x, i),
            fault: Fault::HighResistance,
            confidence: weighed.bad.min(MOST_SURE),
            facts: Facts::HighResistance {
                forward: ohms,
                typical: x.cal.typ,
                behind,
            },
            twin: None,
        });
        return CellState::HighResistance;
    }
    if weighed.bad >= REPORT {
        v.remarks.push(Remark::UnmappedConducts {
            cell: g.cell(i),
            ohms,
        });
        return CellState::Unused;
    }
    let ghost = weighed.empty >= weighed.healthy.max(weighed.bad);
    // A lone reading where a second model's handset read one range up could be: the
    // ceiling's share assumes the highest first-range reading is where the meter runs out of
    // voltage, which it need not be, so the sweep says no more than even odds either way.
    let lone_up =
        (x.cal.ceiling.as_ref()).is_some_and(|c| c.lone(ohms)) && weighed.handset() >= 0.5;
    if mapped && (weighed.bad >= DOUBT || lone_up) {
        v.cannot_tell.push(Doubtful {
            subject: handset(x, i),
            reason: if behind.is_some() {
                Doubt::MaybeBadContact
            } else {
                Doubt::MaybeHighResistance
            },
            chance: match lone_up {
                true => weighed.bad.max(LONE_UP_ODDS),
                false => weighed.bad,
            },
            after_repair: false,
            rank: 0.0,
            fault: Some(Fault::HighResistance),
            twin: None,
        });
    } else if mapped && ghost && !known_absent(x.layout, g.cell(i)) {
        v.cannot_tell.push(Doubtful {
            subject: handset(x, i),
            reason: Doubt::BehindGhost,
            chance: weighed.bad,
            after_repair: true,
            rank: depth(x.explained.bands[i], behind, ohms),
            fault: Some(Fault::HighResistance),
            twin: None,
        });
    }
    if ghost {
        CellState::Ghost
    } else {
        CellState::Ok
    }
}

/// Every element conducting E→D: which fault (short, reversed, leak) it most likely is, named
/// or listed as of no clear kind.
fn backward_elements(x: &Found, v: &mut Verdicts) {
    let g = x.g;
    for i in 0..g.len() {
        if !x.elements.is_element(i) {
            continue;
        }
        let r = g.ri(i).unwrap_or(0.0);
        let twin = twin_handset(x, i);
        let kinds = element_kind(g.forward[i], r, twin, x.cal, x.noise, g);
        let (fault, p_kind) =
            kinds.into_iter().fold(
                (Fault::Short, -1.0),
                |best, k| if k.1 > best.1 { k } else { best },
            );
        let chance = x.elements.chance[i] * p_kind;
        v.states[i] = CellState::of_fault(fault);
        let ghosts: Vec<Cell> = (0..g.len())
            .filter(|&k| {
                matches!(x.explained.cells[k], Explained::High { via: Some(e), weighed, .. }
                    if e == i && weighed.empty >= 0.5)
            })
            .map(|k| g.cell(k))
            .collect();
        let facts = Facts::Backward {
            forward: g.fi(i),
            reverse: r,
            typical: x.cal.typ,
            ghosts,
        };
        if chance >= REPORT {
            v.findings.push(Candidate {
                subject: handset(x, i),
                fault,
                confidence: chance.min(MOST_SURE),
                facts,
                twin: None,
            });
        } else {
            v.cannot_tell.push(Doubtful {
                subject: handset(x, i),
                reason: Doubt::UnclearKind,
                chance: x.elements.chance[i],
                after_repair: false,
                rank: 0.0,
                fault: Some(fault),
                twin: None,
            });
        }
    }
}

/// The probability that a healthy handset reads in parallel with crossing `i` forward
/// through touching lines: its twin crossing on a line that may touch `i`'s (the chance of
/// the touching) holds a handset (an apartment maps there, and most flats have one).
fn twin_handset(x: &Found, i: usize) -> f64 {
    let (g, layout) = (x.g, x.layout);
    let (t, u) = g.tu(i);
    let present = 1.0 - x.cal.vacancy.chance();
    let twin = |s: &BusShort| {
        let (a, b) = (s.a.index as usize, s.b.index as usize);
        let other = |own: usize| (own == a).then_some(b).or((own == b).then_some(a));
        match s.a.kind {
            LineKind::Tens => other(t).map(|t2| g.idx(t2, u)),
            LineKind::Units => other(u).map(|u2| g.idx(t, u2)),
        }
    };
    x.bus
        .iter()
        .filter_map(|s| twin(s).map(|j| (s.chance, j)))
        .filter(|&(_, j)| {
            let cell = g.cell(j);
            layout.apartment(cell).is_some() && !known_absent(layout, cell)
        })
        .map(|(chance, _)| chance.min(1.0) * present)
        .fold(0.0, f64::max)
}

/// Every line whose flats are all silent: cut when the evidence says so, listed when its flats
/// could as well all be empty.
fn silent_lines(x: &Found, v: &mut Verdicts) {
    for s in &x.lines.silent {
        let subject = Subject::Bus {
            line: s.line,
            other: None,
        };
        if s.cut >= REPORT {
            v.findings.push(Candidate {
                subject,
                fault: Fault::Open,
                confidence: s.cut.min(MOST_SURE),
                facts: Facts::OpenLine {
                    served: s.served,
                    span: s.span,
                    typical: x.cal.typ,
                    all_empty: (1.0 - s.cut, s.others.empty, s.others.measured),
                },
                twin: None,
            });
        } else if s.cut >= DOUBT {
            v.cannot_tell.push(Doubtful {
                subject,
                reason: Doubt::LineOrEmptyFlats,
                chance: s.cut,
                after_repair: false,
                rank: 0.0,
                fault: Some(Fault::Open),
                twin: None,
            });
        }
    }
}

/// Every pair of lines that may touch: named, or listed to re-measure.
fn bus_shorts(x: &Found, v: &mut Verdicts) {
    for s in x.bus {
        let subject = Subject::Bus {
            line: s.a,
            other: Some(s.b),
        };
        if s.chance >= REPORT {
            v.findings.push(Candidate {
                subject,
                fault: Fault::Short,
                confidence: s.chance.min(MOST_SURE),
                facts: s.facts.clone(),
                twin: None,
            });
        } else if !(s.joined && matches!(s.facts, Facts::BusShortMeasured { .. })) {
            // (A measured pair joined through two shorts reads low touching or not: the
            // short-or-twin entries say what to do, and measuring the pair again cannot.)
            v.cannot_tell.push(Doubtful {
                subject,
                reason: Doubt::MaybeTouching,
                chance: s.chance,
                after_repair: false,
                rank: 0.0,
                fault: Some(Fault::Short),
                twin: None,
            });
        }
    }
}

/// Suspect readings: never judged, always listed.
fn suspect_readings(x: &Found, v: &mut Verdicts) {
    for &(i, _) in &x.suspects.cells {
        v.states[i] = CellState::Suspect;
        v.cannot_tell.push(Doubtful {
            subject: handset(x, i),
            reason: Doubt::SuspectReading,
            chance: 1.0,
            after_repair: false,
            rank: -1.0,
            fault: None,
            twin: None,
        });
    }
}

/// A crossing without an apartment shows a ghost as a ghost (the evidence names it) and a
/// suspect reading as suspect; anything else there is no handset of anyone's.
fn unused_crossings(x: &Found, v: &mut Verdicts) {
    for (i, s) in v.states.iter_mut().enumerate() {
        let keep = s.is_fault() || matches!(*s, CellState::Suspect | CellState::Ghost);
        if x.layout.apartment(x.g.cell(i)).is_none() && !keep {
            *s = CellState::Unused;
        }
    }
}

/// The likeliest faults first; flats that only a sweep after the repair can settle (all under
/// `DOUBT`) by how deep in their ghost band they read, then by apartment.
fn in_order(v: &mut Verdicts) {
    v.findings
        .sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    let weight = |d: &Doubtful| if d.chance >= DOUBT { d.chance } else { 0.0 };
    v.cannot_tell.sort_by(|a, b| {
        weight(b)
            .total_cmp(&weight(a))
            .then(a.rank.total_cmp(&b.rank))
            .then(order_key(&a.subject).cmp(&order_key(&b.subject)))
    });
}

/// Apartment (or line) order for ties.
fn order_key(s: &Subject) -> (u32, u16, u16) {
    match s {
        Subject::Handset { cell, apartment } => {
            (apartment.unwrap_or(u32::MAX), cell.tens, cell.units)
        }
        Subject::Bus { line, .. } => (u32::MAX, line.kind as u16, line.index),
    }
}

fn known_absent(layout: &Layout, cell: Cell) -> bool {
    layout
        .apartment(cell)
        .is_some_and(|a| layout.known_absent.contains(&a))
}

/// Where a ghost reading sits in the band a ghost may read in: 0 at its low end, 1 at its
/// high end, below 0 under it (a bad contact under a ghost pulls it down, so lower is more
/// suspect); the noise widens the band, so a reading on a steady meter stands out sooner.
fn depth(band: Option<Band>, behind: Option<Behind>, ohms: f64) -> f64 {
    match (band, behind) {
        (Some(b), Some(Behind::Path { .. })) => (ohms - b.lo) / (b.hi - b.lo + b.sigma),
        (_, Some(Behind::Dropped { low, high })) if high > low => (ohms - low) / (high - low),
        _ => 1.0,
    }
}

/// The probability of each kind for an element conducting E→D that reads `r` in reverse and
/// `f` forward: (short, reversed, leak), each equally likely beforehand. `twin` is the
/// probability that a healthy handset reads in parallel forward through touching lines
/// (`twin_handset`): beside a reversed handset that reads like a handset forward. A leak is a
/// resistance across the handset, so it conducts forward too: with whatever else conducts
/// there in parallel, its forward reading cannot exceed its reverse one.
fn element_kind(
    f: Option<Reading>,
    r: f64,
    twin: f64,
    cal: &Calibration,
    noise: &Noise,
    g: &Grid,
) -> [(Fault, f64); 3] {
    let typ = cal.typ;
    let short_max = SHORT_MAX * typ;
    let same = |x: f64| {
        let sd = (noise.var(g, x) + noise.var(g, r)).sqrt();
        normal((x - r) / sd) / sd
    };
    // A short: low, and the same both ways (a resistance has no direction).
    let short_r = log_uniform(r, ELEMENT_LOW, short_max);
    let short_f = match f {
        None => 1.0,
        Some(Reading::Open) => OPEN_BY_CHANCE,
        Some(Reading::Ohms(x)) => {
            (1.0 - UNEVEN_SHORT) * same(x) + UNEVEN_SHORT * log_uniform(x, ELEMENT_LOW, short_max)
        }
    };
    // A reversed handset: reads like a handset backwards, open (or a ghost) forwards.
    let reversed_r = cal.healthy_density(r);
    let reversed_f = match f {
        None | Some(Reading::Open) => 1.0,
        Some(Reading::Ohms(x)) if cal.handset_like(x) => {
            REVERSED_FORWARD_LIKE_HANDSET.max(twin) * cal.healthy_density(x)
        }
        Some(Reading::Ohms(x)) => log_uniform(x, cal.handset_max(), BEYOND_ANY_METER),
    };
    // A leak: a healthy handset forward, a resistance of a handset's reading or more backward;
    // without a handset behind it, the same both ways.
    let leak_r = log_uniform(r, typ, BEYOND_ANY_METER);
    let leak_f = match f {
        None => 1.0,
        Some(Reading::Open) => OPEN_BY_CHANCE,
        Some(Reading::Ohms(x)) => {
            let sd = (noise.var(g, x) + noise.var(g, r)).sqrt();
            let under_reverse = normal_cdf((r - x) / sd);
            (1.0 - LEAK_WITHOUT_HANDSET) * cal.healthy_density(x) * under_reverse
                + LEAK_WITHOUT_HANDSET * same(x)
        }
    };
    let l = [short_r * short_f, reversed_r * reversed_f, leak_r * leak_f];
    let total: f64 = l.iter().sum();
    let p = |k: usize| if total > 0.0 { l[k] / total } else { 1.0 / 3.0 };
    [
        (Fault::Short, p(0)),
        (Fault::Reversed, p(1)),
        (Fault::Leak, p(2)),
    ]
}

/// A whole sweep taken with the probes swapped, or on a live panel, makes most crossings
/// "faulty": say what to check rather than leave a technician with fifty findings.
fn swapped_or_powered(g: &Grid, els: &Elements, v: &mut Verdicts) {
    let conducting = g
        .forward
        .iter()
        .chain(&g.reverse)
        .filter(|r| r.is_some_and(Reading::is_finite))
        .count();
    let elements = (0..g.len()).filter(|&i| els.is_element(i)).count();
    let reversed = v
        .states
        .iter()
        .filter(|s| **s == CellState::Reversed)
        .count();
    if elements >= 5 && elements * 2 >= conducting.div_ceil(2) {
        v.remarks.push(if reversed * 2 >= elements {
            Remark::ProbesSwapped { reversed }
        } else {
            Remark::PoweredOrWrongBlocks { elements }
        });
    }
}

/// Flats on two lines found touching (or listed as maybe touching, the other half of a short
/// that may be a twin) read in parallel with their twins on the other line: a handset there
/// that is missing or has a bad contact reads like its twin's and cannot be seen until the
/// lines are separated. Each such flat not already named or listed goes on the
/// list, to re-measure after that repair.
fn behind_touching(g: &Grid, layout: &Layout, v: &mut Verdicts) {
    let found = v.findings.iter().filter(|f| f.fault == Fault::Short);
    let maybe = (v.cannot_tell.iter()).filter(|d| d.reason == Doubt::ShortOrTwin);
    let touching: Vec<(Terminal, Terminal)> = (found.map(|f| &f.subject))
        .chain(maybe.map(|d| &d.subject))
        .filter_map(|s| match *s {
            Subject::Bus {
                line,
                other: Some(other),
            } => Some((line, other)),
            _ => None,
        })
        .collect();
    let on = |t: Terminal, c: Cell| match t.kind {
        LineKind::Tens => c.tens == t.index,
        LineKind::Units => c.units == t.index,
    };
    for i in 0..g.len() {
        let cell = g.cell(i);
        if layout.apartment(cell).is_none()
            || !touching.iter().any(|&(a, b)| on(a, cell) || on(b, cell))
            || !matches!(v.states[i], CellState::Ok | CellState::Ghost)
        {
            continue;
        }
        let subject = Subject::Handset {
            cell,
            apartment: layout.apartment(cell),
        };
        if v.cannot_tell.iter().any(|d| d.subject == subject) {
            continue;
        }
        v.cannot_tell.push(Doubtful {
            subject,
            reason: Doubt::BehindTouchingLines,
            chance: PRIOR_FAULT_KIND,
            after_repair: true,
            rank: 3.0,
            fault: None,
            twin: None,
        });
    }
}

/// Lines that touch make the two crossings of every other line one electrical point: a fault
/// on one shows on its twin too. The twin reads through the touching wires and, in place of
/// its own line's wire, the other line's: more than the fault's own crossing by the touching
/// wires' resistance, give or take the difference of the two lines' wire. Where the pair of
/// lines was measured, that reading (touching wires and both lines' wire) bounds the
/// difference; where not, only the wire does. A crossing whose difference fits only one way
/// round holds the fault; when it fits both ways, either may hold it, and both go on the
/// cannot-tell list.
fn twins(g: &Grid, layout: &Layout, noise: &Noise, bus: &[BusShort], v: &mut Verdicts) {
    let touching = Touching::found(g, noise, &v.findings, &v.cannot_tell, bus);
    let n = v.findings.len();
    let mut drop = vec![false; n];
    for a in 0..n {
        for b in a + 1..n {
            touching.settle_named_pair(layout, v, &mut drop, (a, b));
        }
    }
    for a in 0..n {
        touching.settle_beside_unclear(v, &mut drop, a);
        touching.settle_contact_beside_ghost(v, &mut drop, a);
        touching.settle_short_beside_ghost(layout, v, &mut drop, a);
    }
    touching.settle_unclear_pairs(v);
    for a in (0..n).filter(|&a| !drop[a]) {
        touching.onto_a_flat(layout, v, a);
    }
    let mut k = 0;
    v.findings.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// How much more than a fault's own crossing its twin across touching lines may read: the
/// touching wires less the own line's wire, plus the other line's (each up to
/// `LINE_WIRE_MAX`), a contact each way.
const TOUCH_SPAN: f64 = 2.0 * (LINE_WIRE_MAX + CONTACT_MAX);

/// Steps the wire of two lines (0 to twice `LINE_WIRE_MAX`) is summed over when a twin's
/// reading through two shorts is weighed (`Touching::through_likelihood`): 0.1 Ω each, under
/// a tenth of the noise of any two readings (a contact alone is 0.29 Ω).
const WIRE_STEPS: usize = 240;

/// How a twin crossing reads a fault on the other crossing of its pair, one way round: more
/// than the fault's own crossing by what joins them (`ohms`), less up to `span` of wire.
/// Across touching lines that is the touching wires, the twin's line's wire in place of the
/// fault's (`TOUCH_SPAN`); through two named faults at their crossings of a third line, what
/// those conduct the way the current runs, which counts the wire of the fault's own line and
/// of the third line twice each where the twin's path crosses neither (`WIRE_MAX`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Join {
    /// What joins the two, Ω, as the current runs: the touching pair's own reading, or the
    /// joining faults' readings; infinite where one of those does not conduct that way (the
    /// twin cannot read the fault); None where unmeasured.
    ohms: Option<f64>,
    /// How far under `ohms` the twin may read over the fault's own crossing, Ω.
    span: f64,
    /// The join is there whatever else the sweep holds: touching wires, or shorts (a reading
    /// low both ways is a conductor between those lines). Through a leak or a reversed
    /// handset it rests on that reading being the element's own and not a ghost of the very
    /// fault being placed, so it may put a fault in doubt but never settle one.
    firm: bool,
}

/// How each of two twin crossings reads a fault on the other: the second reading one on the
/// first, then the first reading one on the second.
type Joins = (Join, Join);

impl Join {
    /// Across touching lines, the pair measured at `measured` (or not).
    fn touching(measured: Option<f64>) -> Join {
        Join {
            ohms: measured,
            span: TOUCH_SPAN,
            firm: true,
        }
    }

    /// The same both ways round.
    fn both(self) -> Joins {
        (self, self)
    }
}

/// The touching pairs of lines the findings name, with their own reading where it was
/// measured, and how to weigh a fault's two twin crossings against them.
struct Touching<'a> {
    g: &'a Grid,
    noise: &'a Noise,
    pairs: Vec<(Terminal, Terminal, Option<f64>)>,
    /// Pairs of lines of one kind joined through two named handsets conducting E→D (shorted,
    /// leaking or reversed) at their crossings of one other line, as those two crossings:
    /// every other crossing of the one reads the other's through that join, as through
    /// touching wires, through what the two conduct the way the current runs (`through`).
    joined: Vec<(usize, usize, bool)>,
    /// Pairs of named shorts on two different tens lines and two different units lines, as
    /// their crossings: each joins its two lines, so the other two corners of their rectangle
    /// are one point, the polarity swapped (the one's forward reading is the other's reverse).
    crossed: Vec<(usize, usize)>,
    /// Pairs of lines that may touch (listed with a short that may be the other's twin), with
    /// their own reading where measured: touching or joined through that second short, the
    /// two lines are one point at every other crossing all the same.
    maybe: Vec<(Terminal, Terminal, Option<f64>)>,
}

impl<'a> Touching<'a> {
    /// The pairs of lines `findings` name as shorted together.
    fn found(
        g: &'a Grid,
        noise: &'a Noise,
        findings: &[Candidate],
        listed: &[Doubtful],
        bus: &[BusShort],
    ) -> Touching<'a> {
        let pairs = findings
            .iter()
            .filter_map(|f| match (&f.subject, &f.facts) {
                (
                    Subject::Bus {
                        line,
                        other: Some(other),
                    },
                    facts,
                ) if f.fault == Fault::Short => Some((
                    *line,
                    *other,
                    match facts {
                        Facts::BusShortMeasured { ohms } => Some(*ohms),
                        _ => None,
                    },
                )),
                _ => None,
            })
            .collect();
        let backward: Vec<(usize, Fault)> = (findings.iter())
            .filter(|f| matches!(f.fault, Fault::Short | Fault::Leak | Fault::Reversed))
            .filter_map(|f| match f.subject {
                Subject::Handset { cell, .. } => {
                    Some((g.idx(cell.tens as usize, cell.units as usize), f.fault))
                }
                Subject::Bus { .. } => None,
            })
            .collect();
        let (mut joined, mut crossed) = (Vec::new(), Vec::new());
        for (k, &(a, fa)) in backward.iter().enumerate() {
            for &(b, fb) in &backward[k + 1..] {
                let ((ta, ua), (tb, ub)) = (g.tu(a), g.tu(b));
                if (ta == tb) != (ua == ub) {
                    joined.push((a, b, fa == Fault::Short && fb == Fault::Short));
                } else if ta != tb && fa == Fault::Short && fb == Fault::Short {
                    crossed.push((a, b));
                }
            }
        }
        let measured = |p: Terminal, q: Terminal| {
            (bus.iter())
                .find(|s| (s.a, s.b) == (p, q) || (s.a, s.b) == (q, p))
                .and_then(|s| match s.facts {
                    Facts::BusShortMeasured { ohms } => Some(ohms),
                    _ => None,
                })
        };
        let maybe = (listed.iter())
            .filter(|d| d.reason == Doubt::ShortOrTwin)
            .filter_map(|d| match d.subject {
                Subject::Bus {
                    line,
                    other: Some(other),
                } => Some((line, other, measured(line, other))),
                _ => None,
            })
            .collect();
        Touching {
            g,
            noise,
            pairs,
            joined,
            crossed,
            maybe,
        }
    }

    /// When crossings `a` and `b` are one electrical point for a `fault` through lines that
    /// touch, may touch, or named faults join: how each reads a fault on the other (`beside`),
    /// and the doubt two such crossings share.
    fn one_point_any(&self, a: Cell, b: Cell, fault: Fault) -> Option<(Joins, Doubt)> {
        if let Some(m) = self.twin(a, b) {
            return Some((Join::touching(m).both(), Doubt::TwinCrossing));
        }
        if let Some(j) = self.beside(a, b, fault) {
            return Some((j, Doubt::TwinThroughShorts));
        }
        (self.maybe.iter())
            .find(|&&(p, q, _)| Self::one_point((p, q), a, b))
            .map(|&(.., m)| (Join::touching(m).both(), Doubt::TwinCrossing))
    }

    /// Finding `a`, a bad contact, whose twin crossing through joined lines (`one_point_any`)
    /// was taken for its ghost or listed as a maybe: an empty crossing there reads the bad
    /// contact through the joined lines, and the bad contact's own crossing reads just as the
    /// twin would were the contact there. Which of the two was weighed first (the lower) made
    /// that one the handset and the other its ghost; the readings themselves say so only when
    /// they differ by more than the joining wires, the lines' wire and the noise (`fits`).
    /// When they fit both ways round, or only the other way (the named one is then the ghost;
    /// a reading that says so on its own is no proof against the order they were weighed in),
    /// neither is named and both go on the list as twins, each at half.
    fn settle_contact_beside_ghost(&self, v: &mut Verdicts, drop: &mut [bool], a: usize) {
        let Subject::Handset {
            cell: ca,
            apartment: Some(_),
        } = v.findings[a].subject
        else {
            return;
        };
        if drop[a] || v.findings[a].fault != Fault::HighResistance {
            return;
        }
        let twin = v.cannot_tell.iter().enumerate().find_map(|(k, d)| {
            let Subject::Handset {
                cell,
                apartment: Some(_),
            } = d.subject
            else {
                return None;
            };
            let taken = matches!(
                d.reason,
                Doubt::BehindGhost | Doubt::MaybeBadContact | Doubt::MaybeHighResistance
            );
            taken
                .then(|| self.one_point_any(ca, cell, Fault::HighResistance))
                .flatten()
                .map(|((_, b_own), reason)| (k, cell, b_own, reason))
        });
        let Some((d, cb, b_own, reason)) = twin else {
            return;
        };
        let (Some(ka), Some(kb)) = (self.key(&v.findings[a], ca), self.key(&v.findings[a], cb))
        else {
            return;
        };
        let sd = self.sd(ka, kb);
        if !Self::fits(ka - kb, b_own, sd) {
            // The twin reads the named contact through the joined lines (or the two are no
            // twins at all): the finding stands.
            return;
        }
        drop[a] = true;
        list_as_twins(v, a, d, reason);
    }

    /// Finding `a`, a short, whose twin through lines named faults join, or at the far corner
    /// of two named shorts (`beside`; touching lines are weighed in `twins.rs`), is taken for
    /// nothing but its ghost: an empty crossing there reads the short through what joins them,
    /// and the short's own crossing reads just as the twin would were the short there (three
    /// shorts at three corners of a rectangle read their sum at the fourth, and the fourth
    /// with a short of its own reads the same there). Which of the two reverse readings was
    /// weighed first (the lower, `elements::find`) made that one the element and the other its
    /// ghost; the readings say which only through the wire the join counts twice, two lines'
    /// worth that differs for the two ways round (`through_likelihood`). The two ways are
    /// weighed against each other, alike beforehand: the finding keeps its name where it stays
    /// at `REPORT` or above; else neither is named and both go on the list as twins, each at
    /// its share.
    fn settle_short_beside_ghost(
        &self,
        layout: &Layout,
        v: &mut Verdicts,
        drop: &mut [bool],
        a: usize,
    ) {
        let Subject::Handset {
            cell: ca,
            apartment: Some(_),
        } = v.findings[a].subject
        else {
            return;
        };
        if drop[a] || v.findings[a].fault != Fault::Short {
            return;
        }
        let g = self.g;
        let taken = |c: Cell| {
            let on = |s: &Subject| matches!(*s, Subject::Handset { cell, .. } if cell == c);
            v.findings.iter().any(|f| on(&f.subject))
                || v.cannot_tell.iter().any(|d| on(&d.subject))
        };
        let twin = (0..g.len()).find_map(|i| {
            let cb = g.cell(i);
            let ghost = v.states[i] == CellState::Ghost && layout.apartment(cb).is_some();
            if !ghost || self.twin(ca, cb).is_some() || taken(cb) {
                return None;
            }
            self.beside(ca, cb, Fault::Short).map(|joins| (cb, joins))
        });
        let Some((cb, (a_own, b_own))) = twin else {
            return;
        };
        let reverse = |c: Cell| g.ri(g.idx(c.tens as usize, c.units as usize));
        let (Some(ka), Some(kb)) = (reverse(ca), reverse(cb)) else {
            return;
        };
        let sd = self.sd(ka, kb);
        let (pa, pb) = (
            self.through_likelihood(kb - ka, a_own, sd),
            self.through_likelihood(ka - kb, b_own, sd),
        );
        if pa + pb <= 0.0 {
            return;
        }
        let f = &mut v.findings[a];
        let (at_a, at_b) = (f.confidence * pa / (pa + pb), f.confidence * pb / (pa + pb));
        if at_a >= REPORT {
            f.confidence = at_a;
            return;
        }
        drop[a] = true;
        let own = Doubtful {
            reason: Doubt::TwinThroughShorts,
            chance: at_a,
            ..twin_doubt(f, Some(cb))
        };
        let other = Doubtful {
            subject: Subject::Handset {
                cell: cb,
                apartment: layout.apartment(cb),
            },
            chance: at_b,
            twin: Some(ca),
            ..own.clone()
        };
        v.cannot_tell.extend([own, other]);
    }

    /// The likelihood that a twin reads `excess` over a short on the other crossing through
    /// two shorts (`join`), `sd` the noise of the two readings' difference. The joining
    /// shorts' readings count the wire of two lines twice that the twin's path crosses once
    /// (the fault's own lines for far corners; its own line and the one the shorts share for
    /// joined lines), and the shorts' two contacts: excess = join − 2·(w₁ + w₂) − contacts.
    /// Each line's wire is anywhere from none to `LINE_WIRE_MAX`, so their sum is spread as a
    /// triangle over twice that; the two contacts add their mean, and their spread and the
    /// joining readings' noise add to `sd`.
    fn through_likelihood(&self, excess: f64, join: Join, sd: f64) -> f64 {
        let Some(bus) = join.ohms.filter(|b| b.is_finite()) else {
            return 0.0;
        };
        let sd = (sd * sd + 2.0 * self.noise.var(self.g, bus / 2.0)).sqrt();
        let most = 2.0 * LINE_WIRE_MAX;
        let pair =
            |w: f64| (LINE_WIRE_MAX - (w - LINE_WIRE_MAX).abs()).max(0.0) / LINE_WIRE_MAX.powi(2);
        let step = most / WIRE_STEPS as f64;
        (0..=WIRE_STEPS)
            .map(|k| {
                let w = k as f64 * step;
                let z = (excess - (bus - 2.0 * w - CONTACT_MAX)) / sd;
                pair(w) * normal(z) / sd * step
            })
            .sum()
    }

    /// When crossings `a` and `b` are one electrical point for a `fault` through touching
    /// lines, through lines two named faults join (neither of them one of those), or, for a
    /// short, as the far corners of two named shorts: how the one reads the fault on the other,
    /// each way round (`Joins`).
    fn beside(&self, a: Cell, b: Cell, fault: Fault) -> Option<Joins> {
        if let Some(m) = self.twin(a, b) {
            return Some(Join::touching(m).both());
        }
        let joined = (self.joined.iter()).find_map(|&(x, y, firm)| {
            let (kind, xa, xb) = self.joining(a, b, (x, y))?;
            Some(self.join_through(kind, (xa, xb), fault, firm))
        });
        match fault {
            Fault::Short => joined.or_else(|| self.far_corners(a, b)),
            _ => joined,
        }
    }

    /// When crossings `a` and `b` lie on two lines of one kind that the named faults at
    /// crossings `x` and `y` join, at one crossing of another line than theirs: the kind of
    /// line, and the joining crossing on `a`'s line and on `b`'s.
    fn joining(
        &self,
        a: Cell,
        b: Cell,
        (x, y): (usize, usize),
    ) -> Option<(LineKind, usize, usize)> {
        let g = self.g;
        let ((tx, ux), (ty, uy)) = (g.tu(x), g.tu(y));
        let ((ta, ua), (tb, ub)) = (
            (a.tens as usize, a.units as usize),
            (b.tens as usize, b.units as usize),
        );
        // Tens lines joined through units line `ux`, or units lines through tens line `tx`.
        let (kind, own, lines) = if ux == uy {
            (LineKind::Tens, ua == ub && ua != ux, ((tx, ty), (ta, tb)))
        } else {
            (LineKind::Units, ta == tb && ta != tx, ((ux, uy), (ua, ub)))
        };
        let ((lx, ly), (la, lb)) = lines;
        match (own, (lx, ly) == (la, lb), (ly, lx) == (la, lb)) {
            (true, true, _) => Some((kind, x, y)),
            (true, _, true) => Some((kind, y, x)),
            _ => None,
        }
    }

    /// When crossings `a` and `b` are the far corners of two named shorts, (Da, Eb) and
    /// (Db, Ea): how each reads a short on the other, through both shorts.
    fn far_corners(&self, a: Cell, b: Cell) -> Option<Joins> {
        let g = self.g;
        if a.tens == b.tens || a.units == b.units {
            return None;
        }
        let (x, y) = (
            g.idx(a.tens as usize, b.units as usize),
            g.idx(b.tens as usize, a.units as usize),
        );
        let named = (self.crossed.iter()).any(|&(p, q)| (p, q) == (x, y) || (p, q) == (y, x));
        let reverse = |i: usize| g.ri(i).unwrap_or(f64::INFINITY);
        named.then(|| {
            Join {
                ohms: Some(reverse(x) + reverse(y)),
                span: WIRE_MAX,
                firm: true,
            }
            .both()
        })
    }

    /// How the crossings on two lines of `kind` joined through the named faults at `xa` (on
    /// the line of `a`, the first crossing) and `xb` (on the other's) read a `fault` on each
    /// other. A twin reading a fault conducting E→D (read in reverse) on a tens line runs
    /// from the fault's tens line to its own (through `xa` forward, `xb` backward); on a
    /// units line, from its own units line to the fault's; a bad contact (read forward) the
    /// other way round. Where one of the two does not conduct the way the current runs, the
    /// twin cannot read the fault at all. `firm` when both are shorts (`Join::firm`).
    fn join_through(
        &self,
        kind: LineKind,
        (xa, xb): (usize, usize),
        fault: Fault,
        firm: bool,
    ) -> Joins {
        let g = self.g;
        let ohms = |r: Option<f64>| r.unwrap_or(f64::INFINITY);
        // Current from the line of crossing `from` to the line of crossing `to`.
        let through = |from: usize, to: usize| match kind {
            LineKind::Tens => ohms(g.fi(from)) + ohms(g.ri(to)),
            LineKind::Units => ohms(g.ri(from)) + ohms(g.fi(to)),
        };
        let forward = fault == Fault::HighResistance;
        let own_first = (kind == LineKind::Tens) != forward;
        let read = |own: usize, twin: usize| Join {
            ohms: Some(match own_first {
                true => through(own, twin),
                false => through(twin, own),
            }),
            span: WIRE_MAX,
            firm,
        };
        (read(xa, xb), read(xb, xa))
    }

    /// True when crossings `a` and `b` lie on the two lines `p` and `q` at one crossing of
    /// the other kind of line.
    fn one_point((p, q): (Terminal, Terminal), a: Cell, b: Cell) -> bool {
        match p.kind {
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
        }
    }

    /// Finding `a`, a fault conducting E→D named on a crossing no apartment maps to, whose twin
    /// through touching lines (named, or listed as maybe touching: no handset hangs where no
    /// apartment is, so only the touching can bring the element there) or lines two named
    /// shorts join has an apartment: the two crossings are one electrical point,
    /// and a handset hangs where an apartment is, so the fault is that flat's. It moves
    /// there, with that crossing's readings; its own crossing reads it as its twin does
    /// (as when both were named: `settle_named_pair`), and a doubt about the flat's crossing
    /// is settled by it.
    fn onto_a_flat(&self, layout: &Layout, v: &mut Verdicts, a: usize) {
        let f = &v.findings[a];
        let Subject::Handset {
            cell: own,
            apartment: None,
        } = f.subject
        else {
            return;
        };
        if !matches!(f.fault, Fault::Short | Fault::Reversed | Fault::Leak) {
            return;
        }
        let named = |c: Cell| {
            (v.findings.iter())
                .any(|o| matches!(o.subject, Subject::Handset { cell, .. } if cell == c))
        };
        let flat = (0..self.g.len()).map(|i| self.g.cell(i)).find(|&c| {
            layout.apartment(c).is_some()
                && self
                    .one_point_any(own, c, f.fault)
                    .is_some_and(|((j, _), _)| j.firm)
                && !named(c)
        });
        let Some(flat) = flat else {
            return;
        };
        let i = self.g.idx(flat.tens as usize, flat.units as usize);
        let Some(reverse) = self.g.ri(i) else {
            return;
        };
        let f = &mut v.findings[a];
        f.subject = Subject::Handset {
            cell: flat,
            apartment: layout.apartment(flat),
        };
        if let Facts::Backward {
            forward,
            reverse: r,
            ..
        } = &mut f.facts
        {
            (*forward, *r) = (self.g.fi(i), reverse);
        }
        f.twin = Some(Twin {
            cell: own,
            apartment: None,
        });
        v.states[i] = CellState::of_fault(f.fault);
        v.states[self.g.idx(own.tens as usize, own.units as usize)] = CellState::Ghost;
        v.cannot_tell
            .retain(|d| !matches!(d.subject, Subject::Handset { cell, .. } if cell == flat));
    }

    /// When crossings `a` and `b` are twins through a touching pair: that pair's own reading,
    /// if measured.
    fn twin(&self, a: Cell, b: Cell) -> Option<Option<f64>> {
        (self.pairs.iter()).find_map(|&(p, q, ohms)| Self::one_point((p, q), a, b).then_some(ohms))
    }

    /// The reading of crossing `c` that shows fault `f`: forward for a bad contact, reverse
    /// for the rest.
    fn key(&self, f: &Candidate, c: Cell) -> Option<f64> {
        let i = self.g.idx(c.tens as usize, c.units as usize);
        if f.fault == Fault::HighResistance {
            self.g.fi(i)
        } else {
            self.g.ri(i)
        }
    }

    /// The noise of the difference of two readings.
    fn sd(&self, ka: f64, kb: f64) -> f64 {
        (self.noise.var(self.g, ka) + self.noise.var(self.g, kb)).sqrt()
    }

    /// Whether the twin may read `excess` more than the fault's own crossing, as `join` says
    /// it reads it; `sd` the noise of the difference.
    fn fits(excess: f64, join: Join, sd: f64) -> bool {
        match join.ohms {
            Some(bus) => excess >= bus - join.span - 3.0 * sd && excess <= bus + 3.0 * sd,
            None => excess >= -join.span / 2.0 - 3.0 * sd,
        }
    }

    /// Findings `a` and `b` of one kind on twin crossings: the one whose reading fits being
    /// the fault's own keeps it (the other becomes its ghost); when both fit, both go on the
    /// list and neither is named. Marks what goes in `drop`.
    fn settle_named_pair(
        &self,
        layout: &Layout,
        v: &mut Verdicts,
        drop: &mut [bool],
        (a, b): (usize, usize),
    ) {
        let (Subject::Handset { cell: ca, .. }, Subject::Handset { cell: cb, .. }) =
            (&v.findings[a].subject, &v.findings[b].subject)
        else {
            return;
        };
        let (ca, cb) = (*ca, *cb);
        if v.findings[a].fault != v.findings[b].fault || drop[a] || drop[b] {
            return;
        }
        let Some(measured) = self.twin(ca, cb) else {
            return;
        };
        let join = Join::touching(measured);
        // A crossing no apartment maps to has no handset to blame; else the crossing whose
        // reading fits being the fault's own, against its twin's.
        let (ka, kb) = (
            self.key(&v.findings[a], ca).unwrap_or(f64::INFINITY),
            self.key(&v.findings[b], cb).unwrap_or(f64::INFINITY),
        );
        let (fa, fb) = (layout.apartment(ca), layout.apartment(cb));
        let sd = if ka.is_finite() && kb.is_finite() {
            self.sd(ka, kb)
        } else {
            f64::INFINITY
        };
        let (a_fits, b_fits) = (Self::fits(kb - ka, join, sd), Self::fits(ka - kb, join, sd));
        let a_first = match (fa, fb) {
            (Some(_), None) => true,
            (None, Some(_)) => false,
            // Neither fits (the two read further apart than touching wires and the
            // lines' wire can make): the fault's own crossing is the lower, as the twin
            // reads it through the touching wires.
            _ if a_fits == b_fits => ka <= kb,
            _ => a_fits,
        };
        let (keep, lose, lc) = if a_first { (a, b, cb) } else { (b, a, ca) };
        let alike = !sd.is_finite() || a_fits && b_fits;
        let both_mapped = fa.is_some() && fb.is_some();
        drop[lose] = true;
        if both_mapped && alike {
            // Either may hold it: list both, name neither.
            drop[keep] = true;
            for (k, other) in [(keep, lose), (lose, keep)] {
                let twin = match v.findings[other].subject {
                    Subject::Handset { cell, .. } => Some(cell),
                    Subject::Bus { .. } => None,
                };
                v.cannot_tell.push(twin_doubt(&v.findings[k], twin));
            }
        } else {
            v.states[self.g.idx(lc.tens as usize, lc.units as usize)] = CellState::Ghost;
            v.findings[keep].twin = Some(Twin {
                cell: lc,
                apartment: layout.apartment(lc),
            });
        }
    }

    /// Finding `a`, a fault conducting E→D, whose twin (through touching lines, or lines two
    /// named shorts join: `beside`) conducts E→D too but reads as no clear kind, or was taken
    /// for a reverse ghost of `a` (on the list as either): the twin's
    /// reverse reading is the same electrical point, so the twin may hold the fault as well.
    /// Which of the two reverse readings was weighed first (the lower) made that one the
    /// element and the other its ghost; the readings themselves say so only when they differ
    /// by more than the touching wires, the lines' wire and the noise (`fits`). When they fit
    /// both ways round, neither is named and both go on the list as twins, each at half; when
    /// only the named crossing reads as the other's twin, it is the unclear element's ghost and
    /// is not named.
    fn settle_beside_unclear(&self, v: &mut Verdicts, drop: &mut [bool], a: usize) {
        let fault = v.findings[a].fault;
        let Subject::Handset {
            cell: ca,
            apartment: Some(_),
        } = v.findings[a].subject
        else {
            return;
        };
        if drop[a] || !matches!(fault, Fault::Short | Fault::Reversed | Fault::Leak) {
            return;
        }
        let unclear = v.cannot_tell.iter().position(|d| {
            matches!(d.reason, Doubt::UnclearKind | Doubt::BehindReverseGhost)
                && matches!(d.subject, Subject::Handset { cell, apartment: Some(_) }
                    if self.beside(ca, cell, fault).is_some())
        });
        let Some(d) = unclear else {
            return;
        };
        let Subject::Handset { cell: cb, .. } = v.cannot_tell[d].subject else {
            return;
        };
        let (Some(ka), Some(kb)) = (self.key(&v.findings[a], ca), self.key(&v.findings[a], cb))
        else {
            return;
        };
        let Some((a_own, b_own)) = self.beside(ca, cb, fault) else {
            return;
        };
        let sd = self.sd(ka, kb);
        let (a_fits, b_fits) = (
            Self::fits(kb - ka, a_own, sd),
            Self::fits(ka - kb, b_own, sd),
        );
        if a_fits && !b_fits && a_own.firm {
            // The unclear crossing reads the named fault through the joined lines and
            // nothing of its own: it is that fault's ghost, not a fault there.
            v.cannot_tell.remove(d);
            v.states[self.g.idx(cb.tens as usize, cb.units as usize)] = CellState::Ghost;
            return;
        }
        if b_fits && !a_fits {
            // The other way round: the named crossing reads the unclear one's element through
            // the joined lines and nothing of its own (its reading is that element's plus the
            // joining wires, and not the reverse), so it holds no fault to name. The element
            // is the unclear crossing's, of a kind as unclear as it was listed.
            drop[a] = true;
            v.states[self.g.idx(ca.tens as usize, ca.units as usize)] = CellState::Ghost;
            return;
        }
        if a_fits && b_fits {
            drop[a] = true;
            // Touching lines are separated; lines joined through two shorts come apart when
            // the shorts are repaired.
            let reason = match self.twin(ca, cb) {
                Some(_) => Doubt::TwinCrossing,
                None => Doubt::TwinThroughShorts,
            };
            list_as_twins(v, a, d, reason);
        }
    }

    /// Two crossings listed as conducting E→D with no clear kind (or behind a reverse
    /// ghost), beside each other on joined lines: their reverse readings are one element's
    /// when they fit both ways round, so the one fault is split between them as twins (each
    /// at half, of the kind the lower reading makes likeliest), not listed as certain on
    /// both, whatever kind each alone looked likeliest. When only one way fits, the higher
    /// reads the lower's element through the joined lines: it is that element's ghost and
    /// comes off the list.
    fn settle_unclear_pairs(&self, v: &mut Verdicts) {
        let unclear = |d: &Doubtful| {
            matches!(d.reason, Doubt::UnclearKind | Doubt::BehindReverseGhost)
                && matches!(d.fault, Some(Fault::Short | Fault::Reversed | Fault::Leak))
        };
        let cell = |d: &Doubtful| match d.subject {
            Subject::Handset { cell, .. } => Some(cell),
            Subject::Bus { .. } => None,
        };
        let mut gone = vec![false; v.cannot_tell.len()];
        for a in 0..v.cannot_tell.len() {
            for b in a + 1..v.cannot_tell.len() {
                let (da, db) = (&v.cannot_tell[a], &v.cannot_tell[b]);
                if gone[a] || gone[b] || !unclear(da) || !unclear(db) {
                    continue;
                }
                let (Some(ca), Some(cb)) = (cell(da), cell(db)) else {
                    continue;
                };
                let Some(fault) = da.fault else {
                    continue;
                };
                let Some((a_own, b_own)) = self.beside(ca, cb, fault) else {
                    continue;
                };
                let reverse = |c: Cell| self.g.ri(self.g.idx(c.tens as usize, c.units as usize));
                let (Some(ka), Some(kb)) = (reverse(ca), reverse(cb)) else {
                    continue;
                };
                let sd = self.sd(ka, kb);
                let (a_fits, b_fits) = (
                    Self::fits(kb - ka, a_own, sd),
                    Self::fits(ka - kb, b_own, sd),
                );
                match (a_fits, b_fits) {
                    (true, true) => {
                        let reason = match self.twin(ca, cb) {
                            Some(_) => Doubt::TwinCrossing,
                            None => Doubt::TwinThroughShorts,
                        };
                        let half = da.chance.max(db.chance) / 2.0;
                        // One element, its likeliest kind as the lower reading (its own
                        // crossing's, most likely) says.
                        let fault = if ka <= kb { da.fault } else { db.fault };
                        for (k, twin) in [(a, cb), (b, ca)] {
                            let d = &mut v.cannot_tell[k];
                            d.chance = half;
                            d.reason = reason;
                            d.fault = fault;
                            d.after_repair = true;
                            d.twin = Some(twin);
                        }
                    }
                    (true, false) | (false, true) if (if a_fits { a_own } else { b_own }).firm => {
                        let (ghost, at) = if a_fits { (b, cb) } else { (a, ca) };
                        gone[ghost] = true;
                        v.states[self.g.idx(at.tens as usize, at.units as usize)] =
                            CellState::Ghost;
                    }
                    _ => {}
                }
            }
        }
        let mut k = 0;
        v.cannot_tell.retain(|_| {
            k += 1;
            !gone[k - 1]
        });
    }
}

/// Finding `a` and the listed crossing `d` (its twin) as one fault on one of the two, for
/// `reason`: the finding goes on the list (the caller drops it), and each holds the fault at
/// half the finding's probability (not the listed crossing's own).
fn list_as_twins(v: &mut Verdicts, a: usize, d: usize, reason: Doubt) {
    let f = &v.findings[a];
    let Subject::Handset { cell: ca, .. } = f.subject else {
        return;
    };
    let cb = match v.cannot_tell[d].subject {
        Subject::Handset { cell, .. } => cell,
        Subject::Bus { .. } => return,
    };
    let doubt = Doubtful {
        reason,
        ..twin_doubt(f, Some(cb))
    };
    let other = &mut v.cannot_tell[d];
    other.chance = doubt.chance;
    other.reason = reason;
    other.fault = Some(f.fault);
    other.after_repair = true;
    other.twin = Some(ca);
    v.cannot_tell.push(doubt);
}

/// The cannot-tell entry of the fault `f` that its twin crossing `twin` on touching lines may
/// hold as well.
fn twin_doubt(f: &Candidate, twin: Option<Cell>) -> Doubtful {
    Doubtful {
        subject: f.subject.clone(),
        reason: Doubt::TwinCrossing,
        chance: f.confidence / 2.0,
        after_repair: true,
        rank: 0.0,
        fault: Some(f.fault),
        twin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate;
    use crate::diagnose::tests::{Bench, EMPTY, layout};

    fn kind(f: Option<Reading>, r: f64) -> (Fault, f64) {
        let (l, prior) = layout(None);
        let g = Grid::new(&Bench::healthy(1.0, EMPTY).sweep(), &l);
        let cal = calibrate::handsets(&g, &l, &prior);
        element_kind(f, r, 0.0, &cal, &Noise::prior(), &g)
            .into_iter()
            .fold((Fault::Open, -1.0), |a, k| if k.1 > a.1 { k } else { a })
    }

    #[test]
    fn an_element_is_short_reversed_or_leaky_by_its_two_readings() {
        let sure = |k: (Fault, f64), fault| k.0 == fault && k.1 > REPORT;
        assert!(sure(kind(Some(Reading::Ohms(12.1)), 12.0), Fault::Short));
        assert!(sure(kind(Some(Reading::Open), 690.0), Fault::Reversed));
        assert!(sure(
            kind(Some(Reading::Ohms(2100.0)), 705.0),
            Fault::Reversed
        ));
        assert!(sure(kind(Some(Reading::Ohms(700.0)), 120e3), Fault::Leak));
    }

    #[test]
    fn a_leak_never_reads_more_forward_than_backward() {
        // A leak is a resistance across the handset: forward it conducts in parallel with
        // the diode, so the forward reading is at most the reverse one. 800 Ω forward over
        // 760 Ω backward (about 5σ of the meter's noise apart) is no leak; of the three kinds
        // only a reversed handset read forward through something else is left.
        assert_eq!(kind(Some(Reading::Ohms(800.0)), 760.0).0, Fault::Reversed);
        // Forward under the reverse reading, a leak stays a leak.
        assert_eq!(kind(Some(Reading::Ohms(650.0)), 1500.0).0, Fault::Leak);
    }

    #[test]
    fn an_element_reading_like_a_handset_both_ways_is_no_clear_kind() {
        let (_, p) = kind(Some(Reading::Ohms(700.0)), 720.0);
        assert!(p < REPORT, "{p}");
    }
}
