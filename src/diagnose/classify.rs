//! Stage 8, verdicts: what is reported as a finding, what goes on the "cannot tell from this
//! sweep" list, and each crossing's state. A fault is reported only when its probability
//! reaches `evidence::REPORT`; from `evidence::DOUBT` up it is listed with the reason. Also
//! decides the kind of each element conducting E→D (short, reversed or leak) from both its
//! readings (with its twin's handset in parallel where lines touch). Which of two twin
//! crossings holds a fault is `one_point.rs`'s to settle.
//!
//! Takes everything the stages before found; gives `Verdicts` (structured facts, no
//! sentences: `wording.rs` writes those). Pure.

use super::bus::BusShort;
use super::calibrate::Calibration;
use super::elements::{ELEMENT_LOW, Elements};
use super::evidence::{
    Band, DOUBT, OPEN_BY_CHANCE, PRIOR_FAULT_KIND, REPORT, log_uniform, log_uniform_read, normal,
    normal_cdf,
};
use super::explain::{ABOVE_SUM, Explained, Explanations, PULLED_AT_MOST, Weighed};
use super::grid::Grid;
use super::lines::Lines;
use super::network::SHORT_MAX;
use super::noise::Noise;
use super::one_point;
use super::suspect::{BEYOND_ANY_METER, Suspects};
use super::twins;
use super::{Behind, CellState, Doubt, Facts, Fault, Subject, Twin};
use crate::model::{Cell, LineKind, Measurement, Reading, Terminal};
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
    /// The D–D and E–E readings taken.
    pub(super) pairs: &'a [Measurement],
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
    let unsure = twins::short_or_twin(g, x.layout, x.noise, x.cal.typ, (x.bus, x.pairs), &mut v);
    one_point::settle(g, x.layout, x.noise, x.cal, x.bus, &mut v);
    twins::shorts_beside_unsure_joins(g, &unsure, &mut v);
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
            Explained::Open if x.elements.reverse_ghost[i] => {
                reversed_behind_shorts(x, i, v);
                CellState::Ghost
            }
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
                    // of a short named there (`one_point::Touching::settle_beside_unclear`).
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

/// Lists the flat at crossing `i` = (t, u), open forward, whose reverse reading is a sneak
/// path's through two shorts at (x, u) and (t, y) and the handset at the far corner
/// (x, y): the shorts make D_x one point with E_u and D_t one with E_y, so that corner's
/// handset joins the same two points as a handset at `i` wired the wrong way round would.
/// The readings cannot tell the two apart, nor both from either (two diodes in parallel read
/// much as one): the flat is listed as maybe reversed, at the prior of a reversed handset
/// against its being empty (seeds 6-10, flat 139: reversed beside shorts at 143 and 189,
/// shown as an empty crossing and listed nowhere).
fn reversed_behind_shorts(x: &Found, i: usize, v: &mut Verdicts) {
    let g = x.g;
    let cell = g.cell(i);
    if x.layout.apartment(cell).is_none() || known_absent(x.layout, cell) {
        return;
    }
    let Some(r) = g.ri(i) else { return };
    let Some(corner) = far_corner_across_shorts(x, i, r) else {
        return;
    };
    let empty = x.cal.vacancy.chance();
    v.cannot_tell.push(Doubtful {
        subject: handset(x, i),
        reason: Doubt::ReversedBehindShorts,
        chance: PRIOR_FAULT_KIND / (PRIOR_FAULT_KIND + empty),
        after_repair: true,
        rank: 2.0,
        fault: Some(Fault::Reversed),
        twin: Some(g.cell(corner)),
    });
}

/// The far corner (x, y) of crossing `i` = (t, u) across two shorts at (x, u) and (t, y)
/// (elements reading under `SHORT_MAX` of a handset both ways) when it holds a
/// handset (forward like one, open in reverse) and `i`'s reverse reading `r` is what the
/// path through the two shorts and it reads: from `PULLED_AT_MOST` (parallel paths) to
/// `ABOVE_SUM` (noise) of their sum.
fn far_corner_across_shorts(x: &Found, i: usize, r: f64) -> Option<usize> {
    let g = x.g;
    let (t, u) = g.tu(i);
    let bare = x.cal.typ * SHORT_MAX;
    let short = |c: usize| {
        x.elements.is_element(c)
            && g.fi(c).is_some_and(|f| f < bare)
            && g.ri(c).is_some_and(|r| r < bare)
    };
    (0..g.tens)
        .filter(|&a| a != t && short(g.idx(a, u)))
        .flat_map(|a| (0..g.units).map(move |b| (a, b)))
        .filter(|&(_, b)| b != u && short(g.idx(t, b)))
        .map(|(a, b)| g.idx(a, b))
        .find(|&c| {
            let (a, b) = g.tu(c);
            let Some(f) = g.fi(c).filter(|&f| f >= bare && g.ri(c).is_none()) else {
                return false;
            };
            let sum = g.ri(g.idx(a, u)).unwrap_or(0.0) + f + g.ri(g.idx(t, b)).unwrap_or(0.0);
            r >= PULLED_AT_MOST * sum && r <= ABOVE_SUM * sum
        })
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
        (_, Some(Behind::Dropped { low, high, .. })) if high > low => (ohms - low) / (high - low),
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
    let short_r = log_uniform_read(r, ELEMENT_LOW, short_max, noise.var(g, r).sqrt());
    let short_f = match f {
        None => 1.0,
        Some(Reading::Open) => OPEN_BY_CHANCE,
        Some(Reading::Ohms(x)) => {
            (1.0 - UNEVEN_SHORT) * same(x) + UNEVEN_SHORT * log_uniform(x, ELEMENT_LOW, short_max)
        }
    };
    // A reversed handset: reads like a handset backwards (on whichever range the meter could
    // drive it), open (or a ghost) forwards.
    let reversed_r = cal.healthy_density_either_range(r);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::calibrate;
    use crate::diagnose::tests::{Bench, EMPTY, layout, second_model_at_the_ceiling};

    /// The likeliest kind of an element reading `f` forward and `r` backward on an entrance of
    /// healthy handsets, and its probability.
    fn kind(f: Option<Reading>, r: f64) -> (Fault, f64) {
        kind_on(&Bench::healthy(1.0, EMPTY), f, r)
    }

    /// The same on the entrance `b`.
    fn kind_on(b: &Bench, f: Option<Reading>, r: f64) -> (Fault, f64) {
        let (l, prior) = layout(None);
        let g = Grid::new(&b.sweep(), &l);
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
    fn a_reversed_handset_the_meter_drove_one_range_up_is_reversed_not_a_leak() {
        // Where a second model reads up against the meter's first-range ceiling (its fellows
        // at D8/E6 and D9/E2 read 5950 and 6120 Ω one range up), a reversed handset of that
        // model needs as much voltage backwards: open forward, 6030 Ω backward on 1 Ω steps.
        // A leak conducts forward too, so that is a reversed handset (seeds 204-205, flat
        // 322, was named a leak).
        let ceiling = second_model_at_the_ceiling();
        let (k, p) = kind_on(&ceiling, Some(Reading::Open), 6030.0);
        assert_eq!(k, Fault::Reversed, "{p}");
        assert!(p > REPORT, "{p}");
        // Where no model reads up against a ceiling, 6030 Ω is no handset's backward reading.
        assert_ne!(kind(Some(Reading::Open), 6030.0).0, Fault::Reversed);
        // Nor is 4000 Ω here, though the meter could read such a handset one range up there:
        // none of the model's handsets read one range up reads like it (seeds 196-198, flat
        // 341: a leak of 5433 Ω was listed as maybe reversed).
        assert_ne!(
            kind_on(&ceiling, Some(Reading::Open), 4000.0).0,
            Fault::Reversed
        );
        // Nor is 6030 Ω beside one lone reading one range up: that one is as likely a bad
        // contact (seeds 79-81: a leak of 9614 Ω beside a bad contact read at 10077 Ω).
        let mut lone = second_model_at_the_ceiling();
        lone.forward[9][2] = None;
        assert_ne!(
            kind_on(&lone, Some(Reading::Open), 6030.0).0,
            Fault::Reversed
        );
    }

    #[test]
    fn an_element_reading_like_a_handset_both_ways_is_no_clear_kind() {
        let (_, p) = kind(Some(Reading::Ohms(700.0)), 720.0);
        assert!(p < REPORT, "{p}");
    }
}
