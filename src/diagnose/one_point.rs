//! Part of stage 8, verdicts: twin crossings, two crossings that are one electrical point.
//! Lines that touch, lines two named faulty handsets join at their crossings of a third line,
//! and the far corners of two named shorts make every such pair read a fault on either
//! crossing alike, give or take what joins them and the lines' wire. Finding by finding, this
//! decides which crossing holds the fault: the one whose readings fit only it, or, when they
//! fit both ways round, neither named and both on the cannot-tell list with their shares.
//! A reversed handset beside a healthy one across touching lines is weighed on the side the
//! touching wires show on in the pair's forward and reverse readings together, where the
//! lines' own wire cancels. A fault found where no flat is moves onto its twin that has one.
//!
//! Takes the verdicts drawn so far, the noise, the healthy handsets' calibration and the
//! pairs of lines read as touching (`BusShort`); amends the verdicts. Pure.

use super::bus::{BusShort, TOUCH_LOW, TOUCH_MAX};
use super::calibrate::{Calibration, MAD_TO_SIGMA, median};
use super::classify::{Candidate, Doubtful, Verdicts};
use super::evidence::{REPORT, normal, normal_cdf};
use super::grid::Grid;
use super::network::SHORT_MAX;
use super::noise::{CONTACT_MAX, LINE_WIRE_MAX, Noise, WIRE_MAX};
use super::{CellState, Doubt, Facts, Fault, Subject, Twin};
use crate::model::{Cell, LineKind, Reading, Terminal};
use crate::profile::Layout;

/// Lines that touch make the two crossings of every other line one electrical point: a fault
/// on one shows on its twin too. The twin reads through the touching wires and, in place of
/// its own line's wire, the other line's: more than the fault's own crossing by the touching
/// wires' resistance, give or take the difference of the two lines' wire. Where the pair of
/// lines was measured, that reading (touching wires and both lines' wire) bounds the
/// difference; where not, only the wire does. A crossing whose difference fits only one way
/// round holds the fault; when it fits both ways, either may hold it, and both go on the
/// cannot-tell list.
pub(super) fn settle(
    g: &Grid,
    layout: &Layout,
    noise: &Noise,
    cal: &Calibration,
    bus: &[BusShort],
    v: &mut Verdicts,
) {
    let touching = Touching::found(g, noise, cal, &v.findings, &v.cannot_tell, bus);
    let n = v.findings.len();
    let mut drop = vec![false; n];
    for a in 0..n {
        for b in a + 1..n {
            touching.settle_named_pair(layout, v, &mut drop, (a, b));
        }
    }
    for a in 0..n {
        touching.settle_beside_unclear(layout, v, &mut drop, a);
        touching.settle_reversed_beside_empty_twin(layout, v, &mut drop, a);
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

/// Steps the integral over what the touching wires add to a reversed handset's side
/// (`Touching::reversed_at`) is summed over, evenly on a log scale from `TOUCH_LOW` up: 200
/// over at most seven e-folds, each under 4 % wider than the last, far finer than the
/// noise's bell on any of them.
const SIDE_STEPS: usize = 200;

/// Two healthy handsets twin across touching lines read one network from either line: from
/// each side the current takes the handset that needs least voltage, the other's through the
/// touching wires. Alike handsets share it evenly either way and read alike; the more one
/// needs than the other, the more the two readings differ, up to the whole touching wires
/// (one handset of the second model, 100–350 Ω dearer, beside one of the first takes a
/// fifth of the current: worked through with 60 mV per decade, a 350 Ω dearer one beside
/// 20 Ω of touching wires reads 15 Ω apart). Handsets of one model differ by their spread, a
/// few per cent: taken as up to half the touching wires; where the entrance shows a second
/// model, up to all of them.
const HANDSETS_APART: f64 = 0.5;

/// Crossings of a touching pair needed to judge how its readings scatter
/// (`Touching::pair_scatter`): the median absolute deviation of five is within about half of
/// the true spread most of the time, and a reversed handset's side is weighed only on it.
const PAIR_CROSSINGS: usize = 5;

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

/// Which of two twin crossings across touching lines holds a reversed handset, as the pair's
/// four readings say (`Touching::reversed_at`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Side {
    /// The probability that it is the first.
    at_a: f64,
    /// The touching wire the four readings show on the second's side, Ω (on the first's when
    /// negative): twice the touching wires with the reversed handset on the first.
    ohms: f64,
}

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
    cal: &'a Calibration,
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
        cal: &'a Calibration,
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
            cal,
            pairs,
            joined,
            crossed,
            maybe,
        }
    }

    /// When crossings `a` and `b` are one electrical point for a `fault` through lines that
    /// touch, lines named faults join, or lines listed as joined through a second short or
    /// touching (one point either way): how each reads a fault on the other (`beside`), and
    /// the doubt two such crossings share.
    fn one_point_any(&self, a: Cell, b: Cell, fault: Fault) -> Option<(Joins, Doubt)> {
        if let Some(m) = self.twin(a, b) {
            return Some((Join::touching(m).both(), Doubt::TwinCrossing));
        }
        if let Some(j) = self.beside(a, b, fault) {
            return Some((j, Doubt::TwinThroughShorts));
        }
        (self.maybe.iter())
            .find(|&&(p, q, _)| Self::one_point((p, q), a, b))
            .map(|&(.., m)| (Join::touching(m).both(), Doubt::TwinJoinedLines))
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
        let Some(ca) = flat_of(v, drop, a, &[Fault::HighResistance]) else {
            return;
        };
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
        let Some(ca) = flat_of(v, drop, a, &[Fault::Short]) else {
            return;
        };
        let g = self.g;
        let taken = |c: Cell| named_or_listed(v, c);
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
        if let Some(flat) = flat {
            self.move_onto(layout, v, a, own, flat, None);
        }
    }

    /// Moves finding `a`, a fault conducting E→D named on crossing `own`, onto its twin
    /// `flat` with that crossing's readings: `own` becomes its twin and reads it as a ghost
    /// (`sided`: as `Twin::sided`), and what the list said of `flat` is settled by it.
    /// Nothing moves where `flat` was not read in reverse.
    fn move_onto(
        &self,
        layout: &Layout,
        v: &mut Verdicts,
        a: usize,
        own: Cell,
        flat: Cell,
        sided: Option<f64>,
    ) {
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
            apartment: layout.apartment(own),
            sided,
            unoccupied: None,
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

    /// As `twin`, across lines named touching or listed as joined either way (`maybe`).
    fn twin_or_maybe(&self, a: Cell, b: Cell) -> Option<Option<f64>> {
        self.twin(a, b).or_else(|| {
            (self.maybe.iter())
                .find_map(|&(p, q, ohms)| Self::one_point((p, q), a, b).then_some(ohms))
        })
    }

    /// The forward readings of twin crossings `a` and `b`, the fault's own first (`a`'s when
    /// `a_first`); 0 where one is missing.
    fn forward_pair(&self, a: Cell, b: Cell, a_first: bool) -> (f64, f64) {
        let f = |c: Cell| (self.g.fi(self.g.idx(c.tens as usize, c.units as usize))).unwrap_or(0.0);
        match a_first {
            true => (f(a), f(b)),
            false => (f(b), f(a)),
        }
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
    /// list and neither is named, unless they are reversed and the pair's four readings put
    /// the touching wires on one side surely enough (`reversed_at`, at `REPORT` or more): that
    /// side keeps it. Listed, each holds the fault at its share. Marks what goes in `drop`.
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
        let mut a_first = match (fa, fb) {
            (Some(_), None) => true,
            (None, Some(_)) => false,
            // Neither fits (the two read further apart than touching wires and the
            // lines' wire can make): the fault's own crossing is the lower, as the twin
            // reads it through the touching wires.
            _ if a_fits == b_fits => ka <= kb,
            _ => a_fits,
        };
        let mut alike = !sd.is_finite() || a_fits && b_fits;
        let both_mapped = fa.is_some() && fb.is_some();
        let mut shares = None;
        let neither = sd.is_finite() && !a_fits && !b_fits;
        // What the readings showing the fault say of its side: nothing where both fit; where
        // neither does, one point cannot read two readings that far apart, so the noise is
        // more than the sweep measured, and the lower is the fault's own only as far as the
        // join stands out of their difference.
        let by_key = match (both_mapped, neither) {
            (true, true) => Self::first_by_difference(kb - ka, join, sd),
            (true, false) if alike => Some(0.5),
            _ => None,
        };
        // A leak's forward readings show which of the two has a handset, when only one has.
        let by_forward = (by_key.is_some() && v.findings[a].fault == Fault::Leak)
            .then(|| self.leak_at(ca, cb, measured))
            .flatten();
        let weighed = match (by_key, by_forward) {
            (Some(k), Some(f)) => Some(k * f / (k * f + (1.0 - k) * (1.0 - f))),
            (Some(k), None) if neither => Some(k),
            _ => None,
        };
        let mut unoccupied = None;
        if let Some(at_a) = weighed {
            let at = (
                v.findings[a].confidence * at_a,
                v.findings[b].confidence * (1.0 - at_a),
            );
            if at.0.max(at.1) >= REPORT {
                (a_first, alike) = (at.0 >= at.1, false);
                let k = if a_first { a } else { b };
                v.findings[k].confidence = at.0.max(at.1);
                if by_forward.is_some() {
                    let (own, twin) = self.forward_pair(ca, cb, a_first);
                    unoccupied = Some(twin - own);
                }
            } else {
                (alike, shares) = (true, Some(at));
            }
        }
        // A reversed handset beside a healthy one: the four readings of the pair say which
        // side the touching wires are on, as far as they are above the noise; beside an
        // empty flat, the two reverse readings, once the lines' own wire is taken off.
        let side =
            (both_mapped && alike && shares.is_none() && v.findings[a].fault == Fault::Reversed)
                .then(|| {
                    (self.reversed_at(ca, cb, measured))
                        .or_else(|| self.reversed_beside_empty_at(ca, cb, measured))
                })
                .flatten();
        let mut sided = None;
        if let Some(side) = side {
            let at = (
                v.findings[a].confidence * side.at_a,
                v.findings[b].confidence * (1.0 - side.at_a),
            );
            if at.0.max(at.1) >= REPORT {
                (a_first, alike) = (at.0 >= at.1, false);
                let k = if a_first { a } else { b };
                v.findings[k].confidence = at.0.max(at.1);
                sided = Some(side.ohms.abs());
            } else {
                shares = Some(at);
            }
        }
        let (keep, lose, lc) = if a_first { (a, b, cb) } else { (b, a, ca) };
        drop[lose] = true;
        if both_mapped && alike {
            // Either may hold it: list both, name neither.
            drop[keep] = true;
            for (k, other) in [(keep, lose), (lose, keep)] {
                let twin = match v.findings[other].subject {
                    Subject::Handset { cell, .. } => Some(cell),
                    Subject::Bus { .. } => None,
                };
                let mut doubt = twin_doubt(&v.findings[k], twin);
                if let Some((at_a, at_b)) = shares {
                    doubt.chance = if k == a { at_a } else { at_b };
                }
                v.cannot_tell.push(doubt);
            }
        } else {
            v.states[self.g.idx(lc.tens as usize, lc.units as usize)] = CellState::Ghost;
            v.findings[keep].twin = Some(Twin {
                cell: lc,
                apartment: layout.apartment(lc),
                sided,
                unoccupied,
            });
        }
    }

    /// The probability that the first of two twin crossings holds the fault, from how much
    /// more the second's reading showing it reads (`excess`, less when negative), where the
    /// two differ by more than one point and the noise the sweep measured can make (neither
    /// `fits`): the noise is then more than measured, and the pair's difference says the side
    /// only through the sign of the join within it. Either way round the twin reads the
    /// fault's own crossing plus the join, less up to its `span` of wire (spread evenly over
    /// that), plus the noise of both readings (`sd`, as measured: a noise too small makes
    /// both ways unlikely alike, and their ratio turns on the join against the difference).
    /// The two sides are alike beforehand. None where the join was not measured.
    fn first_by_difference(excess: f64, join: Join, sd: f64) -> Option<f64> {
        let bus = join.ohms.filter(|b| b.is_finite())?;
        let log_likelihood = |x: f64| {
            let step = join.span / WIRE_STEPS as f64;
            let z = (0..=WIRE_STEPS).map(|k| (x - (bus - k as f64 * step)) / sd);
            let top = z
                .clone()
                .map(|z| -0.5 * z * z)
                .fold(f64::NEG_INFINITY, f64::max);
            top + z.map(|z| (-0.5 * z * z - top).exp()).sum::<f64>().ln()
        };
        let (la, lb) = (log_likelihood(excess), log_likelihood(-excess));
        Some(1.0 / (1.0 + (lb - la).exp()))
    }

    /// Two crossings `a` and `b` of one line, twins across the touching pair of lines measured
    /// at `measured` (or not), one holding a reversed handset and the other a healthy one: the
    /// probability that the reversed handset is at `a`, and `s` below. None when the four readings cannot
    /// say (a forward reading missing or no single handset's, or the four not on one range),
    /// or the pair's other crossings are too few to show how such readings scatter.
    ///
    /// Say the reversed handset is at `a` and the touching wires add `t`. Forward, both
    /// crossings read the healthy handset at `b`, `a` through the touching wires; in reverse
    /// both read the reversed one, `b` through them. The handsets carry the meter's whole
    /// current either way, so they cancel, and so does the lines' own wire:
    /// `s = (forward a − forward b) + (reverse b − reverse a) = 2t`. Were it the other way
    /// round, `s = −2t`. Sneak paths beside the handsets carry part of the current around the
    /// touching wires, so what `s` shows is anywhere from nothing to `2t`, of that sign still:
    /// the meter drives each reading from the touching line it is put on, and current only
    /// flows away from there. What the touching wires add is spread evenly on a log scale
    /// from `TOUCH_LOW` (as `bus` takes touching wires) up to twice the pair's own reading,
    /// which holds them and both lines' wire (or `TOUCH_MAX`, unmeasured). The two sides are
    /// alike beforehand.
    ///
    /// How far `s` scatters is judged on the same two lines (`pair_scatter`), not on the
    /// sweep's noise alone: a noise measured on a handful of readings can be several times
    /// too steady, and the sign of a few ohms rests on it.
    fn reversed_at(&self, a: Cell, b: Cell, measured: Option<f64>) -> Option<Side> {
        let g = self.g;
        let (ia, ib) = (
            g.idx(a.tens as usize, a.units as usize),
            g.idx(b.tens as usize, b.units as usize),
        );
        let readings = [g.fi(ia)?, g.fi(ib)?, g.ri(ia)?, g.ri(ib)?];
        let [fa, fb, ra, rb] = readings;
        // Each forward reading is the one healthy handset's, read directly or through the
        // touching wires, and the four share one display step (a range dropped on one of them
        // would read tens of times higher).
        let typ = self.cal.typ;
        let handset = |f: f64| f >= SHORT_MAX * typ && self.cal.handset_like(f);
        let step = g.step(fa);
        if !handset(fa) || !handset(fb) || readings.iter().any(|&r| g.step(r) != step) {
            return None;
        }
        let hi = 2.0 * measured.unwrap_or(TOUCH_MAX);
        if hi <= TOUCH_LOW {
            return None;
        }
        let s = (fa - fb) + (rb - ra);
        let rel = self.pair_scatter(a, b)?.1.max(self.noise.rel);
        let sd = (readings.iter())
            .map(|&r| self.noise.var(g, r) + ((rel * r).powi(2) - (self.noise.rel * r).powi(2)))
            .sum::<f64>()
            .sqrt();
        let span = (hi / TOUCH_LOW).ln();
        let (mut at_a, mut at_b) = (0.0, 0.0);
        for k in 0..=SIDE_STEPS {
            let u = TOUCH_LOW * (span * k as f64 / SIDE_STEPS as f64).exp();
            at_a += normal((s - u) / sd);
            at_b += normal((s + u) / sd);
        }
        (at_a + at_b > 0.0).then(|| Side {
            at_a: at_a / (at_a + at_b),
            ohms: s,
        })
    }

    /// Twin crossings `a` and `b` across lines that touch (measured at `measured`, or not),
    /// one holding a reversed handset and neither a handset forward (both read open that
    /// way): which side it is on, from their reverse readings. The twin reads it through the
    /// touching wires, and through the other line's wire in place of its own line's; the
    /// pair's other crossings, each read from either line, measure that difference of wire
    /// (`pair_scatter`), so what is left of the two readings' difference is the touching
    /// wires, on the twin's side. What they add is spread evenly on a log scale from
    /// `TOUCH_LOW` up to the pair's own reading (which holds them and both lines' wire), or
    /// `TOUCH_MAX` where it was not measured. None where the two are not on one range or the
    /// pair's other crossings are too few to show the wire.
    fn reversed_beside_empty_at(&self, a: Cell, b: Cell, measured: Option<f64>) -> Option<Side> {
        let g = self.g;
        let (ra, rb) = (
            g.ri(g.idx(a.tens as usize, a.units as usize))?,
            g.ri(g.idx(b.tens as usize, b.units as usize))?,
        );
        let hi = measured.unwrap_or(TOUCH_MAX);
        let open =
            |c: Cell| g.forward[g.idx(c.tens as usize, c.units as usize)] == Some(Reading::Open);
        if !open(a) || !open(b) || g.step(ra) != g.step(rb) || hi <= TOUCH_LOW {
            return None;
        }
        let (wire, rel) = self.pair_scatter(a, b)?;
        // The touching wires on `b`'s side (negative: on `a`'s) with the handset at `a`.
        let s = (rb - ra) + wire;
        let rel = rel.max(self.noise.rel);
        let var = |r: f64| self.noise.var(g, r) + (rel * r).powi(2) - (self.noise.rel * r).powi(2);
        // The wire is a median of the pair's other crossings: about 1.25 deviations over
        // their root count more.
        let sd = ((var(ra) + var(rb)) * (1.0 + 1.57 / PAIR_CROSSINGS as f64)).sqrt();
        let span = (hi / TOUCH_LOW).ln();
        let (mut at_a, mut at_b) = (0.0, 0.0);
        for k in 0..=SIDE_STEPS {
            let u = TOUCH_LOW * (span * k as f64 / SIDE_STEPS as f64).exp();
            at_a += normal((s - u) / sd);
            at_b += normal((s + u) / sd);
        }
        (at_a + at_b > 0.0).then(|| Side {
            at_a: at_a / (at_a + at_b),
            ohms: s,
        })
    }

    /// Two crossings `a` and `b` of one line, twins across the touching pair of lines measured
    /// at `measured`, one holding a leaking handset: the probability that it is at `a`, from
    /// their forward readings. None where they cannot say (a forward reading missing or no
    /// single handset's, the two not on one range, the pair's other crossings too few to show
    /// the lines' wire and how such readings scatter, or the pair not measured).
    ///
    /// A leaking handset is a handset. Its twin is empty as often as a flat here is
    /// (`vacancy`), and then reads it forward through the touching wires: more than the
    /// leak's own crossing by what they add, once the two lines' own wire is taken off (the
    /// pair's other crossings, each read from either line, measure it: `pair_scatter`). With
    /// a handset of its own, the two read one network from either line and differ by the wire
    /// alone, give or take what the two handsets differ by (up to `HANDSETS_APART` of the
    /// touching wires, or all of them where the entrance shows a second model); the reverse
    /// readings, alike within the noise, do not say which of two
    /// handsets leaks, so that way each side holds it at half. What the touching wires add is
    /// spread evenly on a log scale from `TOUCH_LOW` up to the pair's own reading, which
    /// holds them and both lines' wire.
    fn leak_at(&self, a: Cell, b: Cell, measured: Option<f64>) -> Option<f64> {
        let g = self.g;
        let (ia, ib) = (
            g.idx(a.tens as usize, a.units as usize),
            g.idx(b.tens as usize, b.units as usize),
        );
        let (fa, fb) = (g.fi(ia)?, g.fi(ib)?);
        let typ = self.cal.typ;
        let handset = |f: f64| f >= SHORT_MAX * typ && self.cal.handset_like(f);
        if !handset(fa) || !handset(fb) || g.step(fa) != g.step(fb) {
            return None;
        }
        let hi = measured?;
        if hi <= TOUCH_LOW {
            return None;
        }
        let (wire, rel) = self.pair_scatter(a, b)?;
        // What b reads over a beyond the lines' wire: the touching wires when b is empty.
        let x = (fb - fa) + wire;
        let rel = rel.max(self.noise.rel);
        let var = |r: f64| self.noise.var(g, r) + (rel * r).powi(2) - (self.noise.rel * r).powi(2);
        // The wire is a median of the pair's other crossings: about 1.25 deviations over
        // their root count more.
        let sd = ((var(fa) + var(fb)) * (1.0 + 1.57 / PAIR_CROSSINGS as f64)).sqrt();
        let span = (hi / TOUCH_LOW).ln();
        let apart = match self.cal.shows_other_models(fa.max(fb)) {
            true => 1.0,
            false => HANDSETS_APART,
        };
        let (mut b_empty, mut a_empty, mut both) = (0.0, 0.0, 0.0);
        for k in 0..=SIDE_STEPS {
            let u = TOUCH_LOW * (span * k as f64 / SIDE_STEPS as f64).exp();
            b_empty += normal((x - u) / sd);
            a_empty += normal((x + u) / sd);
            // Two handsets differing read up to a share of the touching wires apart, evenly.
            let w = apart * u;
            both += (normal_cdf((x + w) / sd) - normal_cdf((x - w) / sd)) * sd / (2.0 * w);
        }
        let vacancy = self.cal.vacancy.chance();
        let (at_a, at_b) = (
            vacancy * b_empty + (1.0 - vacancy) * both / 2.0,
            vacancy * a_empty + (1.0 - vacancy) * both / 2.0,
        );
        (at_a + at_b > 0.0).then(|| at_a / (at_a + at_b))
    }

    /// How two forward readings of one crossing of the touching lines of twins `a` and `b`
    /// scatter about each other, relative to their size: at every other crossing where both
    /// read, the two read one network from either touching line, and differ by the two lines'
    /// wire (alike all along the pair) and by the noise. The median difference stands for the
    /// wire, and the median absolute deviation of the rest, scaled by the readings, for the
    /// noise (a crossing with an empty flat on one line reads the touching wires too and is
    /// an outlier the median passes over). Gives that wire (`a`'s line's reading less `b`'s)
    /// and that noise; None with fewer than `PAIR_CROSSINGS`.
    fn pair_scatter(&self, a: Cell, b: Cell) -> Option<(f64, f64)> {
        let g = self.g;
        let tens = a.units == b.units;
        let (count, own) = match tens {
            true => (g.units, a.units as usize),
            false => (g.tens, a.tens as usize),
        };
        let at = |c: Cell, k: usize| match tens {
            true => g.fi(g.idx(c.tens as usize, k)),
            false => g.fi(g.idx(k, c.units as usize)),
        };
        let pairs: Vec<(f64, f64)> = (0..count)
            .filter(|&k| k != own)
            .filter_map(|k| Some((at(a, k)?, at(b, k)?)))
            .map(|(p, q)| (p - q, (p * p + q * q).sqrt()))
            .collect();
        if pairs.len() < PAIR_CROSSINGS {
            return None;
        }
        let mut d: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        d.sort_by(f64::total_cmp);
        let wire = median(&d);
        let mut dev: Vec<f64> = pairs.iter().map(|(x, r)| (x - wire).abs() / r).collect();
        dev.sort_by(f64::total_cmp);
        Some((wire, MAD_TO_SIGMA * median(&dev)))
    }

    /// Finding `a`, a fault conducting E→D, whose twin (through touching lines, lines two
    /// named shorts join, or lines listed as touching or joined through a second short, one
    /// point either way: `one_point_any`) conducts E→D too but reads as no clear kind, or was
    /// taken for a reverse ghost of `a` (on the list as either): the twin's
    /// reverse reading is the same electrical point, so the twin may hold the fault as well.
    /// Which of the two reverse readings was weighed first (the lower) made that one the
    /// element and the other its ghost; the readings themselves say so only when they differ
    /// by more than the touching wires, the lines' wire and the noise (`fits`). When they fit
    /// both ways round, neither is named and both go on the list as twins, each at half (a
    /// reversed handset across touching lines: at the shares `reversed_at` weighs, and named
    /// on the side it puts at `REPORT` or more); when only the named crossing reads as the
    /// other's twin, it is the unclear element's ghost and is not named.
    fn settle_beside_unclear(
        &self,
        layout: &Layout,
        v: &mut Verdicts,
        drop: &mut [bool],
        a: usize,
    ) {
        let fault = v.findings[a].fault;
        let backward = [Fault::Short, Fault::Reversed, Fault::Leak];
        let Some(ca) = flat_of(v, drop, a, &backward) else {
            return;
        };
        let unclear = v.cannot_tell.iter().position(|d| {
            matches!(d.reason, Doubt::UnclearKind | Doubt::BehindReverseGhost)
                && matches!(d.subject, Subject::Handset { cell, apartment: Some(_) }
                    if self.one_point_any(ca, cell, fault).is_some())
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
        let Some(((a_own, b_own), reason)) = self.one_point_any(ca, cb, fault) else {
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
            // A reversed handset beside a healthy one across touching lines, or lines listed
            // as joined either way (through the second short, what joins them is a bare
            // resistance as touching wires are): the four readings of the pair may say which
            // side it is on.
            let side = (self.twin_or_maybe(ca, cb))
                .filter(|_| fault == Fault::Reversed)
                .and_then(|measured| self.reversed_at(ca, cb, measured));
            self.by_side(layout, v, drop, a, (cb, d, reason), side);
        }
    }

    /// Finding `a` on a flat's crossing and the listed crossing `d` (`cb`, its twin, listed
    /// for `reason`), whose readings fit the fault on either: named on the side `side` puts at
    /// `REPORT` or more (the other then reads it as a ghost through what joins them), else
    /// neither named and both listed as twins at their shares (at half each without a side).
    fn by_side(
        &self,
        layout: &Layout,
        v: &mut Verdicts,
        drop: &mut [bool],
        a: usize,
        (cb, d, reason): (Cell, usize, Doubt),
        side: Option<Side>,
    ) {
        let Subject::Handset { cell: ca, .. } = v.findings[a].subject else {
            return;
        };
        let conf = v.findings[a].confidence;
        let at = side.map(|s| (conf * s.at_a, conf * (1.0 - s.at_a)));
        let sided = side.map(|s| s.ohms.abs());
        match at {
            Some((at_a, _)) if at_a >= REPORT => {
                // The listed crossing is the named one's twin, its reverse reading a ghost
                // through the touching wires.
                v.findings[a].confidence = at_a;
                v.findings[a].twin = Some(Twin {
                    cell: cb,
                    apartment: layout.apartment(cb),
                    sided,
                    unoccupied: None,
                });
                v.cannot_tell.remove(d);
                v.states[self.g.idx(cb.tens as usize, cb.units as usize)] = CellState::Ghost;
                return;
            }
            Some((_, at_b)) if at_b >= REPORT => {
                // The other way round: the fault is the listed crossing's.
                v.findings[a].confidence = at_b;
                self.move_onto(layout, v, a, ca, cb, sided);
                return;
            }
            _ => {}
        }
        drop[a] = true;
        list_as_twins_at(v, a, d, reason, at);
    }

    /// Finding `a`, a reversed handset, whose twin crossing across lines that touch or may
    /// (`twin_or_maybe`) has a flat, reads open forward as the named one does, and was taken
    /// for nothing but the named one's reverse ghost: an empty flat there reads the reversed
    /// handset through the touching wires, and the named crossing, were the handset the
    /// twin's and its own flat empty, would read it just as well. Which of the two reverse
    /// readings was weighed first (the lower) made that one the element; the readings say
    /// which only by the touching wires on the twin's side, once the two lines' own wire is
    /// taken off (`reversed_beside_empty_at`), and those may be a fraction of an ohm (seeds
    /// 226-228: D1 and D3 touching through 0.4 Ω, 198 reversed on D1 read 709.4 Ω and the
    /// empty 218 on D3 709.3 Ω, and 218 was named at 99 %). Where only one way round fits
    /// the two readings (`fits`), that crossing holds it; where both do, as `by_side`.
    fn settle_reversed_beside_empty_twin(
        &self,
        layout: &Layout,
        v: &mut Verdicts,
        drop: &mut [bool],
        a: usize,
    ) {
        let Some(ca) = flat_of(v, drop, a, &[Fault::Reversed]) else {
            return;
        };
        let g = self.g;
        let taken = |c: Cell| named_or_listed(v, c);
        let twin = (0..g.len()).find_map(|i| {
            let cb = g.cell(i);
            let empty_ghost = v.states[i] == CellState::Ghost
                && layout.apartment(cb).is_some()
                && g.forward[i] == Some(Reading::Open)
                && g.ri(i).is_some();
            if !empty_ghost || taken(cb) {
                return None;
            }
            let measured = self.twin_or_maybe(ca, cb)?;
            let ((a_own, b_own), reason) = self.one_point_any(ca, cb, Fault::Reversed)?;
            Some((cb, measured, a_own, b_own, reason))
        });
        let Some((cb, measured, a_own, b_own, reason)) = twin else {
            return;
        };
        let reverse = |c: Cell| g.ri(g.idx(c.tens as usize, c.units as usize));
        let (Some(ka), Some(kb)) = (reverse(ca), reverse(cb)) else {
            return;
        };
        let sd = self.sd(ka, kb);
        match (
            Self::fits(kb - ka, a_own, sd),
            Self::fits(ka - kb, b_own, sd),
        ) {
            (true, true) => {
                v.cannot_tell.push(Doubtful {
                    reason,
                    ..twin_doubt(&v.findings[a], Some(ca))
                });
                let d = v.cannot_tell.len() - 1;
                v.cannot_tell[d].subject = Subject::Handset {
                    cell: cb,
                    apartment: layout.apartment(cb),
                };
                let side = self.reversed_beside_empty_at(ca, cb, measured);
                self.by_side(layout, v, drop, a, (cb, d, reason), side);
            }
            (false, true) => {
                self.move_onto(layout, v, a, ca, cb, None);
            }
            _ => {}
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
                let Some(((a_own, b_own), reason)) = self.one_point_any(ca, cb, fault) else {
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

/// The crossing of finding `a` when it is a flat's handset with one of the faults `kinds`,
/// not yet dropped.
fn flat_of(v: &Verdicts, drop: &[bool], a: usize, kinds: &[Fault]) -> Option<Cell> {
    let f = &v.findings[a];
    match f.subject {
        Subject::Handset {
            cell,
            apartment: Some(_),
        } if !drop[a] && kinds.contains(&f.fault) => Some(cell),
        _ => None,
    }
}

/// True when the handset at crossing `c` is named or listed already.
fn named_or_listed(v: &Verdicts, c: Cell) -> bool {
    let on = |s: &Subject| matches!(*s, Subject::Handset { cell, .. } if cell == c);
    v.findings.iter().any(|f| on(&f.subject)) || v.cannot_tell.iter().any(|d| on(&d.subject))
}

/// Finding `a` and the listed crossing `d` (its twin) as one fault on one of the two, for
/// `reason`: the finding goes on the list (the caller drops it), and each holds the fault at
/// half the finding's probability (not the listed crossing's own).
fn list_as_twins(v: &mut Verdicts, a: usize, d: usize, reason: Doubt) {
    list_as_twins_at(v, a, d, reason, None);
}

/// The same, each holding the fault at its share `at` of the finding's probability (the
/// finding's crossing first) where the readings weigh the two (`Touching::reversed_at`).
fn list_as_twins_at(v: &mut Verdicts, a: usize, d: usize, reason: Doubt, at: Option<(f64, f64)>) {
    let f = &v.findings[a];
    let Subject::Handset { cell: ca, .. } = f.subject else {
        return;
    };
    let cb = match v.cannot_tell[d].subject {
        Subject::Handset { cell, .. } => cell,
        Subject::Bus { .. } => return,
    };
    let mut doubt = Doubtful {
        reason,
        ..twin_doubt(f, Some(cb))
    };
    let other = &mut v.cannot_tell[d];
    other.chance = doubt.chance;
    if let Some((own, twin)) = at {
        (doubt.chance, other.chance) = (own, twin);
    }
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

    #[test]
    fn a_join_lost_in_the_difference_of_two_readings_says_little_of_the_side() {
        // A 138 kΩ leak across lines touching through 21.4 Ω, the two readings 4.87 kΩ
        // apart where the noise measured allows 0.85 kΩ: about even either way.
        let join = Join::touching(Some(21.4));
        let at_a = Touching::first_by_difference(4870.0, join, 850.0).unwrap();
        assert!((0.45..0.55).contains(&at_a), "{at_a}");
        // Shorts reading 100 Ω, 30 Ω apart through that join where the noise allows 1 Ω: the
        // lower is the short's own, clearly.
        let at_a = Touching::first_by_difference(30.0, join, 1.0).unwrap();
        assert!(at_a > 0.999, "{at_a}");
        // The other way round, the other side, by as much.
        let at_b = Touching::first_by_difference(-30.0, join, 1.0).unwrap();
        assert!((at_a + at_b - 1.0).abs() < 1e-9, "{at_a} {at_b}");
        // Unmeasured, the join says nothing.
        assert!(Touching::first_by_difference(30.0, Join::touching(None), 1.0).is_none());
    }
}
