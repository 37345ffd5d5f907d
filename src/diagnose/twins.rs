//! Part of stage 8, verdicts: two lines joined through shorted crossings of one other line.
//! Two shorts there read exactly as one short and its twin through the two lines touching
//! would (the twin reads the short plus the touching wires, and every other crossing of the
//! two lines reads their handsets in parallel either way). Pair of crossings by pair, this
//! decides which short stays named, which goes on the cannot-tell list as a second short or
//! a twin, and whether the touch or the join of the two lines is named. How likely each
//! explanation makes the readings is `joined.rs`'s to weigh.
//!
//! Takes the verdicts drawn so far and the pairs of lines read as touching (`BusShort`);
//! amends the verdicts. Pure.

use super::bus::BusShort;
use super::classify::{Candidate, Doubtful, MOST_SURE, Verdicts};
use super::evidence::{DOUBT, REPORT};
use super::grid::Grid;
use super::joined::{first_is_the_short, touching_chance, twin_of_a_flat};
use super::network::SHORT_MAX;
use super::noise::{CONTACT_MAX, LINE_WIRE_MAX, Noise};
use super::rectangle::join_at_first_side;
use super::{Doubt, Facts, Fault, Subject};
use crate::model::{Cell, LineKind, Measurement, Reading, Terminal};
use crate::profile::Layout;

/// Of a short and its twin through touching lines, the crossing the readings make the short
/// with at least this probability, were the lines touching, is a short either way (two shorts
/// or a short and its twin): it stays named, and only the other goes on the list. The other
/// way round is left a chance no larger than a named finding's own doubt (`MOST_SURE`).
const ONE_WAY_ROUND: f64 = 0.99;

/// One named short: its index among the findings, its crossing and its reverse reading.
type Short = (usize, Cell, f64);

/// Two named shorts on one line whose other lines are the pair read as touching: the lower
/// reading and the higher, and how the two explanations weigh.
struct TwinPair {
    low: Short,
    high: Short,
    /// The probability that the lines touch (one short and its twin) rather than two shorts.
    touch: f64,
    /// The lower reads less than the higher by more than any difference of the lines' own
    /// wire and the noise could make: it is a short under every explanation.
    clearly_lower: bool,
}

/// What the weighing of one pair of lines does to its shorts: those moved to the list, those
/// weighed as two shorts and kept named, and whether any pair of shorts was weighed (then
/// the touching named for the pair of lines gives way to what the weighing names).
#[derive(Default)]
struct Moves {
    moved: Vec<usize>,
    kept: Vec<usize>,
    weighed: bool,
}

/// Weighs every pair of lines read as touching and also joined through shorts on one other
/// line. When the lower of two such shorts reads less than the higher by more than any
/// difference of the lines' own wire could make (and the noise), it is a short under every
/// explanation and stays named; the higher may be a second short or that twin and goes on
/// the cannot-tell list, and the two lines are not named touching (that is the other half of
/// the same doubt). When the two read closer than that, neither crossing nor the touching is
/// named: what is certain is that the two lines are joined at that crossing pair, and that is
/// the finding (on the pair of lines, `Facts::Joined`), with both crossings on the
/// cannot-tell list. Which way it is gets its own posterior (`joined::touching_chance`: the
/// two crossings' readings and the pair's own where it was measured, against the priors): at
/// `REPORT` or more for two shorts both stay named and the touching is not; at `REPORT` or
/// more for touching, the touching is named and the crossings are listed as above.
pub(super) fn short_or_twin(
    g: &Grid,
    layout: &Layout,
    noise: &Noise,
    typ: f64,
    (bus, pairs): (&[BusShort], &[Measurement]),
    v: &mut Verdicts,
) -> Vec<UnsureJoin> {
    let mut joined: Vec<Candidate> = Vec::new();
    let mut unsure: Vec<UnsureJoin> = Vec::new();
    for s in bus.iter().filter(|s| s.joined) {
        let shorts = shorts_on(s, v);
        let mut m = Moves::default();
        for &low in &shorts {
            for &high in &shorts {
                let Some(p) = twin_pair(g, noise, typ, s, &m, low, high) else {
                    continue;
                };
                m.weighed = true;
                settle(
                    &p,
                    g,
                    layout,
                    noise,
                    typ,
                    (s, pairs),
                    v,
                    &mut m,
                    &mut joined,
                );
            }
        }
        if !m.weighed {
            unsure.extend(unsettled_join(g, layout, noise, typ, (s, bus), v));
            continue;
        }
        let pair = pair_of(s);
        let mut k = 0;
        v.findings.retain(|f| {
            k += 1;
            (m.kept.contains(&(k - 1)) || !m.moved.contains(&(k - 1))) && f.subject != pair
        });
    }
    v.findings.extend(joined);
    twins_across_a_settled_touch(g, noise, bus, v);
    unsure
}

/// A join of two lines whose touching `unsettled_join` put on the list: its two crossings
/// (index and reverse reading) and the chance the lines touch.
pub(super) struct UnsureJoin {
    crossings: [(usize, f64); 2],
    touching: f64,
}

/// A flat's crossing still named a short whose twin across two lines touching for certain
/// (their own pair's reading settled it: not weighed above) was listed as a short or twin
/// with another pair of lines. Named as a short of its own only because the other pair
/// weighed it as two shorts, it reads the listed one's short through the touch as well: its
/// reading is the listed one's plus the pair's (the touching wires and both lines' wire),
/// less twice the listed line's wire, give or take the noise. Where that fits, it goes on the
/// list as the listed one's twin (seeds 156-158, single effects: D4 and D7 touch and 426
/// (D7/E0) is shorted; 396 (D4/E0) reads 426's 12.6 Ω and the touch's 2.1 Ω, and was named
/// a short at 92 % beside 406's on D5).
fn twins_across_a_settled_touch(g: &Grid, noise: &Noise, bus: &[BusShort], v: &mut Verdicts) {
    let reverse = |c: Cell| g.ri(g.idx(c.tens as usize, c.units as usize));
    let settled = bus.iter().filter(|s| !s.joined && s.chance >= REPORT);
    for s in settled {
        let Facts::BusShortMeasured { ohms: pair } = s.facts else {
            continue;
        };
        let twin_of = |c: Cell| -> Option<Cell> {
            let swap = |from: Terminal, to: Terminal| match from.kind {
                LineKind::Tens if c.tens == from.index => Some(Cell::new(to.index, c.units)),
                LineKind::Units if c.units == from.index => Some(Cell::new(c.tens, to.index)),
                _ => None,
            };
            swap(s.a, s.b).or_else(|| swap(s.b, s.a))
        };
        let moved: Vec<(usize, Cell)> = (v.findings.iter().enumerate())
            .filter(|(_, f)| f.fault == Fault::Short)
            .filter_map(|(k, f)| match f.subject {
                Subject::Handset {
                    cell,
                    apartment: Some(_),
                } => Some((k, cell, twin_of(cell)?)),
                _ => None,
            })
            .filter(|&(_, cell, other)| {
                let (Some(x), Some(y)) = (reverse(cell), reverse(other)) else {
                    return false;
                };
                let sd = (noise.var(g, x) + noise.var(g, y) + noise.var(g, pair)).sqrt();
                let excess = x - y - pair;
                listed_as_short_or_twin(v, other)
                    && excess <= 3.0 * sd
                    && excess >= -2.0 * (LINE_WIRE_MAX + CONTACT_MAX) - 3.0 * sd
            })
            .map(|(k, _, other)| (k, other))
            .collect();
        for &(k, other) in moved.iter().rev() {
            let f = v.findings.remove(k);
            v.cannot_tell.push(short_or_twin_doubt(&f, other));
        }
    }
}

/// The pair of lines as a finding's subject.
fn pair_of(s: &BusShort) -> Subject {
    Subject::Bus {
        line: s.a,
        other: Some(s.b),
    }
}

/// True when crossing `c` is on line `t`.
fn on(t: Terminal, c: Cell) -> bool {
    match t.kind {
        LineKind::Tens => c.tens == t.index,
        LineKind::Units => c.units == t.index,
    }
}

/// The named shorts on either line of the pair (reading 0 until `twin_pair` reads them).
fn shorts_on(s: &BusShort, v: &Verdicts) -> Vec<(usize, Cell)> {
    (v.findings.iter().enumerate())
        .filter(|(_, f)| f.fault == Fault::Short)
        .filter_map(|(k, f)| match f.subject {
            Subject::Handset { cell, .. } if on(s.a, cell) || on(s.b, cell) => Some((k, cell)),
            _ => None,
        })
        .collect()
}

/// Two named shorts at the twin crossings of the pair of lines (one on each, on one other
/// line), neither moved yet, weighed: None unless `low` reads no higher than `high` (the
/// first of two alike), or reads clearly lower.
fn twin_pair(
    g: &Grid,
    noise: &Noise,
    typ: f64,
    s: &BusShort,
    m: &Moves,
    (kl, low): (usize, Cell),
    (k, high): (usize, Cell),
) -> Option<TwinPair> {
    let twins = match s.a.kind {
        LineKind::Tens => low.units == high.units && low.tens != high.tens,
        LineKind::Units => low.tens == high.tens && low.units != high.units,
    };
    if !twins || m.moved.contains(&k) || m.moved.contains(&kl) {
        return None;
    }
    let reading = |c: Cell| g.ri(g.idx(c.tens as usize, c.units as usize));
    let (l, h) = (reading(low)?, reading(high)?);
    // Touching (one short and its twin) against two shorts.
    let touch = touching_chance(l, h, s.weighed.map(|w| w.pair), g, noise, typ);
    // How much less a twin may read than the short's own crossing: the touching wires add to
    // it, and the difference of the two lines' own wire and contacts takes at most this off
    // (as in `twins`), give or take the noise of the two readings.
    let span = LINE_WIRE_MAX + CONTACT_MAX;
    let sd = (noise.var(g, l) + noise.var(g, h)).sqrt();
    let clearly_lower = h - l > span + 3.0 * sd;
    if !clearly_lower && !(h >= l && (h > l || kl < k)) {
        return None;
    }
    Some(TwinPair {
        low: (kl, low, l),
        high: (k, high, h),
        touch,
        clearly_lower,
    })
}

/// The verdict on one pair of twin shorts: both kept as two shorts, one kept and the other
/// listed as a second short or its twin, or both listed with the join named.
#[allow(clippy::too_many_arguments)]
fn settle(
    p: &TwinPair,
    g: &Grid,
    layout: &Layout,
    noise: &Noise,
    typ: f64,
    (s, pairs): (&BusShort, &[Measurement]),
    v: &mut Verdicts,
    m: &mut Moves,
    joined: &mut Vec<Candidate>,
) {
    let (kl, low, _) = p.low;
    let (k, high, _) = p.high;
    // A second short is a flat's fault (`PRIOR_FAULT_KIND` is a flat's prior): a crossing no
    // apartment maps to is never named one this way.
    let flats = layout.apartment(low).is_some() && layout.apartment(high).is_some();
    if flats && 1.0 - p.touch >= REPORT {
        // Two shorts: both stay named, each no surer than that. The two lines are one through
        // them, which is what made their rows read alike; that they touch as well is only as
        // likely as this weighing leaves it, and the list says no more (seeds 209-210: D2 and
        // D6 listed as maybe touching at 89 % beside two shorts on E6 named at 93 %).
        for i in [kl, k] {
            let f = &mut v.findings[i];
            f.confidence = f.confidence.min(1.0 - p.touch);
        }
        let pair = pair_of(s);
        let listed = |d: &&mut Doubtful| d.subject == pair && d.reason == Doubt::MaybeTouching;
        for d in v.cannot_tell.iter_mut().filter(listed) {
            d.chance = d.chance.min(p.touch);
        }
        m.moved.extend([kl, k]);
        m.kept.extend([kl, k]);
        return;
    }
    let (side, one_way) = short_side(p, g, layout, noise, typ, s);
    let placed = || join_placed(p, g, noise, typ, (s, pairs));
    match side {
        Some(side) => one_short(p, side, one_way, (layout, placed), s, v, m, joined),
        None => alike(p, (layout, placed()), s, v, m, joined),
    }
}

/// Where the pair's two lines also meet low both ways at another line of the joining line's
/// kind (four crossings at a rectangle's corners, read by `rectangle` with the two pairs of
/// lines' readings where taken, `pairs`), the probability that the join is where `p` places
/// it rather than at that other line, its least over every such line; 1 where there is none.
fn join_placed(
    p: &TwinPair,
    g: &Grid,
    noise: &Noise,
    typ: f64,
    (s, pairs): (&BusShort, &[Measurement]),
) -> f64 {
    let ((_, low, l), (_, high, h)) = (p.low, p.high);
    let reverse_if_bare = |c: Cell| {
        let i = g.idx(c.tens as usize, c.units as usize);
        let low = |r: Option<f64>| r.is_some_and(|r| r < SHORT_MAX * typ);
        (low(g.fi(i)) && low(g.ri(i))).then(|| g.ri(i)).flatten()
    };
    let others = match s.a.kind {
        LineKind::Tens => g.units,
        LineKind::Units => g.tens,
    };
    let moved = |c: Cell, o: usize| match s.a.kind {
        LineKind::Tens => Cell::new(c.tens, o as u16),
        LineKind::Units => Cell::new(o as u16, c.units),
    };
    let via = match s.a.kind {
        LineKind::Tens => low.units as usize,
        LineKind::Units => low.tens as usize,
    };
    (0..others)
        .filter(|&o| o != via)
        .filter_map(|o| {
            Some((
                o,
                reverse_if_bare(moved(low, o))?,
                reverse_if_bare(moved(high, o))?,
            ))
        })
        .map(|(o, lo, ho)| {
            let other = |line: usize| match s.a.kind {
                LineKind::Tens => Terminal::units(line as u16),
                LineKind::Units => Terminal::tens(line as u16),
            };
            let read = [
                pair_reading(pairs, s.a, s.b),
                pair_reading(pairs, other(via), other(o)),
            ];
            join_at_first_side([[l, lo], [h, ho]], read, g, noise, typ)
        })
        .fold(1.0, f64::min)
}

/// The reading between lines `a` and `b`, the mean of each way it was taken; None where it
/// was not, or showed no number.
fn pair_reading(pairs: &[Measurement], a: Terminal, b: Terminal) -> Option<f64> {
    let taken: Vec<f64> = (pairs.iter())
        .filter(|m| (m.plus, m.minus) == (a, b) || (m.plus, m.minus) == (b, a))
        .filter_map(|m| match m.reading {
            Reading::Ohms(v) => Some(v),
            _ => None,
        })
        .collect();
    (!taken.is_empty()).then(|| taken.iter().sum::<f64>() / taken.len() as f64)
}

/// Which of the two holds the short whichever way, as (the short's crossing, the other's
/// finding index, the other's crossing): the lower when clearly lower (a twin reads the
/// short and the touching wires); else a flat's crossing beside one no apartment maps to,
/// where no handset can be shorted (a short is a flat's fault), so it reads the flat's short
/// through the touch; else the one the readings (the pair's above all) let be the short only
/// one way round, were the lines touching (`first_is_the_short`). Also whether the readings
/// place it one way round.
fn short_side(
    p: &TwinPair,
    g: &Grid,
    layout: &Layout,
    noise: &Noise,
    typ: f64,
    s: &BusShort,
) -> (Option<(Cell, usize, Cell)>, bool) {
    let ((kl, low, l), (k, high, h)) = (p.low, p.high);
    let (mapped_low, mapped_high) = (
        layout.apartment(low).is_some(),
        layout.apartment(high).is_some(),
    );
    let low_first = first_is_the_short(l, h, s.weighed.map(|w| w.pair), g, noise, typ);
    let one_way = (low_first >= ONE_WAY_ROUND) || (1.0 - low_first >= ONE_WAY_ROUND);
    let side = match p.clearly_lower {
        true => Some((low, k, high)),
        false if mapped_low && !mapped_high => Some((low, k, high)),
        false if mapped_high && !mapped_low => Some((high, kl, low)),
        false if low_first >= ONE_WAY_ROUND => Some((low, k, high)),
        false if 1.0 - low_first >= ONE_WAY_ROUND => Some((high, kl, low)),
        false => None,
    };
    (side, one_way)
}

/// The touching of the pair named, as sure as both that the lines are one (`s.chance`) and
/// that the join is a touch rather than two shorts.
fn touching_finding(s: &BusShort, touch: f64) -> Candidate {
    Candidate {
        subject: pair_of(s),
        fault: Fault::Short,
        confidence: touch.min(s.chance).min(MOST_SURE),
        facts: s.facts.clone(),
        twin: None,
    }
}

/// The join of the two lines named (`joined_finding`) where the readings place it at `p`'s
/// crossings (`placed`: a rectangle of four low crossings may put it at another line) at
/// `REPORT` or more. Under that, the crossings are on the list already, and the join goes
/// there too, as sure as the finding would have been: the lines are one point somewhere,
/// so the entrance is no healthy one (seeds 291-293: three shorts at 259, 260 and 279
/// left four crossings listed at 49.5 % each, and it was called healthy).
fn name_join(
    p: &TwinPair,
    (layout, placed): (&Layout, f64),
    s: &BusShort,
    v: &mut Verdicts,
    joined: &mut Vec<Candidate>,
) {
    match joined_finding(p, (layout, placed), s, v) {
        Some(c) => joined.push(c),
        None => {
            let (kl, k) = (p.low.0, p.high.0);
            v.cannot_tell.push(Doubtful {
                subject: pair_of(s),
                reason: Doubt::JoinedUnplaced,
                chance: v.findings[kl].confidence.min(v.findings[k].confidence),
                after_repair: false,
                rank: 0.0,
                fault: Some(Fault::Short),
                twin: None,
            })
        }
    }
}

/// The two lines are one point either way (two shorts, or a short and a touch): named so,
/// as sure as both crossings conduct and as that they are where the two lines are joined
/// (`placed`). None where that is under `REPORT`.
fn joined_finding(
    p: &TwinPair,
    (layout, placed): (&Layout, f64),
    s: &BusShort,
    v: &Verdicts,
) -> Option<Candidate> {
    let ((kl, low, l), (k, high, h)) = (p.low, p.high);
    let via = match s.a.kind {
        LineKind::Tens => Terminal::units(low.units),
        LineKind::Units => Terminal::tens(low.tens),
    };
    (placed >= REPORT).then(|| Candidate {
        subject: pair_of(s),
        fault: Fault::Short,
        confidence: (v.findings[kl].confidence.min(v.findings[k].confidence)).min(placed),
        facts: Facts::Joined {
            via,
            crossings: [
                (low, layout.apartment(low), l),
                (high, layout.apartment(high), h),
            ],
            touching: p.touch,
        },
        twin: None,
    })
}

/// One crossing is a short either way; the other a second short or its twin: listed, with
/// the touching of the two lines (named when sure, else listed as the other half of the same
/// doubt).
#[allow(clippy::too_many_arguments)]
fn one_short(
    p: &TwinPair,
    (short, twin_k, twin): (Cell, usize, Cell),
    one_way: bool,
    (layout, placed): (&Layout, impl Fn() -> f64),
    s: &BusShort,
    v: &mut Verdicts,
    m: &mut Moves,
    joined: &mut Vec<Candidate>,
) {
    let (low, high) = (p.low.1, p.high.1);
    let both_flats = layout.apartment(low).is_some() && layout.apartment(high).is_some();
    m.moved.push(twin_k);
    let doubt = short_or_twin_doubt(&v.findings[twin_k], short);
    // Both on flats, the two explanations have the shares `touch` gives them (a crossing with
    // no flat holds no second short: the share stays even).
    let (second_short, touching) = match both_flats {
        true => (
            (1.0 - p.touch) * v.findings[twin_k].confidence,
            p.touch * s.chance,
        ),
        false => (doubt.chance, doubt.chance),
    };
    v.cannot_tell.push(Doubtful {
        chance: second_short,
        ..doubt
    });
    if p.touch.min(s.chance) >= REPORT {
        joined.push(touching_finding(s, p.touch));
        return;
    }
    // The other half of the same doubt: the two lines may touch. Listed, so that neither
    // explanation is left unsaid.
    v.cannot_tell.push(Doubtful {
        subject: pair_of(s),
        chance: touching,
        ..short_or_twin_doubt(&v.findings[twin_k], twin)
    });
    // Where only the readings' one way round placed the short (both on flats, neither
    // clearly lower), the join is named as when they read alike.
    if one_way && !p.clearly_lower && both_flats {
        name_join(p, (layout, placed()), s, v, joined);
    }
}

/// The two read alike: the pair is joined; which crossing is the short the readings cannot
/// tell, and whether both are, only `touch` says. Both listed; the touching named when
/// sure, else listed with its share and the join named.
fn alike(
    p: &TwinPair,
    (layout, placed): (&Layout, f64),
    s: &BusShort,
    v: &mut Verdicts,
    m: &mut Moves,
    joined: &mut Vec<Candidate>,
) {
    let ((kl, low, _), (k, high, _)) = (p.low, p.high);
    m.moved.extend([kl, k]);
    v.cannot_tell
        .push(short_or_twin_doubt(&v.findings[kl], high));
    v.cannot_tell.push(short_or_twin_doubt(&v.findings[k], low));
    if p.touch.min(s.chance) >= REPORT {
        joined.push(touching_finding(s, p.touch));
        return;
    }
    // The touching is the other explanation of the join: listed with its share.
    v.cannot_tell.push(Doubtful {
        subject: pair_of(s),
        chance: p.touch * s.chance,
        twin: None,
        ..short_or_twin_doubt(&v.findings[k], high)
    });
    name_join(p, (layout, placed), s, v, joined);
}

/// Two lines named touching because they read alike, joined through two crossings of one
/// other line that both read low both ways, where `short_or_twin` weighed no pair of named
/// shorts there (another pair of lines took one of them to the cannot-tell list first: three
/// shorts at three corners of a rectangle join both its pairs of lines). The join alone makes
/// the two lines read alike, so that is no evidence of touching: the touching is weighed as
/// `short_or_twin` weighs it (`touching_chance`) and, unless that names it, goes on the list.
fn unsettled_join(
    g: &Grid,
    layout: &Layout,
    noise: &Noise,
    typ: f64,
    (s, bus): (&BusShort, &[BusShort]),
    v: &mut Verdicts,
) -> Option<UnsureJoin> {
    let pair = Subject::Bus {
        line: s.a,
        other: Some(s.b),
    };
    let k = (v.findings.iter()).position(|f| f.subject == pair)?;
    if !s.joined || !matches!(v.findings[k].facts, Facts::BusShortAlike { .. }) {
        return None;
    }
    let crossings = join_of(g, typ, s)?;
    let [(_, ra), (_, rb)] = crossings;
    if twin_with_no_flat(g, layout, noise, typ, (s, bus), k, crossings, v) {
        return None;
    }
    let (l, h) = (ra.min(rb), ra.max(rb));
    let touch = touching_chance(l, h, s.weighed.map(|w| w.pair), g, noise, typ);
    let touching_sure = touch.min(s.chance);
    if touching_sure >= REPORT {
        v.findings[k].confidence = touching_sure.min(MOST_SURE);
        return None;
    }
    v.findings.remove(k);
    v.cannot_tell.push(maybe_touching(pair, touching_sure));
    Some(UnsureJoin {
        crossings,
        touching: touching_sure,
    })
}

/// Where the pair `s` of lines is joined, at the crossings of each line on one other line that
/// both read under a short's reading both ways (index and reverse reading on each line): the
/// cheapest such pair. None where there is none.
fn join_of(g: &Grid, typ: f64, s: &BusShort) -> Option<[(usize, f64); 2]> {
    let bare = |i: usize| {
        let low = |r: Option<f64>| r.is_some_and(|r| r < SHORT_MAX * typ);
        low(g.fi(i))
            .then(|| g.ri(i).filter(|_| low(g.ri(i))))
            .flatten()
    };
    let others = match s.a.kind {
        LineKind::Tens => g.units,
        LineKind::Units => g.tens,
    };
    let at = |line: Terminal, o: usize| match line.kind {
        LineKind::Tens => g.idx(line.index as usize, o),
        LineKind::Units => g.idx(o, line.index as usize),
    };
    let (o, ra, rb) = (0..others)
        .filter_map(|o| Some((o, bare(at(s.a, o))?, bare(at(s.b, o))?)))
        .min_by(|x, y| (x.1 + x.2).total_cmp(&(y.1 + y.2)))?;
    Some([(at(s.a, o), ra), (at(s.b, o), rb)])
}

/// Once every other stage has weighed the twins (`one_point::settle` lists twin crossings
/// across joined lines as such), each join whose touching `short_or_twin` put on the list
/// doubts the short still named at one of its crossings while the other is listed as a short
/// or twin: `short_beside_a_listed_twin`.
pub(super) fn shorts_beside_unsure_joins(g: &Grid, unsure: &[UnsureJoin], v: &mut Verdicts) {
    for j in unsure {
        short_beside_a_listed_twin(g, j.crossings, j.touching, v);
    }
}

/// Where both crossings of an unsure join are flats' and one is still named a short while the
/// other went on the list as a short or twin with another pair of lines, the named one
/// is a short of its own only where the two lines do not touch (`touching`): no surer than
/// that, and under `REPORT` it goes on the list as the other's twin (seeds 184-185: 55 and 56
/// shorted on D4 and E3 touching E8; 61 (D4/E8) reads 56's short through the touch, and was
/// named a short at 99 % beside E3-E8 listed as touching at 37 %).
fn short_beside_a_listed_twin(
    g: &Grid,
    crossings: [(usize, f64); 2],
    touching: f64,
    v: &mut Verdicts,
) {
    let named = |c: Cell| {
        (v.findings.iter()).position(|f| {
            f.fault == Fault::Short
                && matches!(f.subject, Subject::Handset { cell, apartment: Some(_) } if cell == c)
        })
    };
    let [a, b] = crossings.map(|(i, _)| g.cell(i));
    let (k, other) = match (named(a), named(b)) {
        (Some(k), None) if listed_as_short_or_twin(v, b) => (k, b),
        (None, Some(k)) if listed_as_short_or_twin(v, a) => (k, a),
        _ => return,
    };
    let own = v.findings[k].confidence * (1.0 - touching);
    if own >= REPORT {
        v.findings[k].confidence = own;
        return;
    }
    let f = v.findings.remove(k);
    if own >= DOUBT {
        v.cannot_tell.push(Doubtful {
            chance: own,
            ..short_or_twin_doubt(&f, other)
        });
    }
}

/// True when the crossing `c` is on the cannot-tell list as a short or a twin.
fn listed_as_short_or_twin(v: &Verdicts, c: Cell) -> bool {
    (v.cannot_tell.iter()).any(|d| {
        d.reason == Doubt::ShortOrTwin
            && matches!(d.subject, Subject::Handset { cell, .. } if cell == c)
    })
}

/// Where one crossing of the join (`crossings`: index and reverse reading on each line) is a
/// flat's and the other, no apartment's, is still named a short (the flat's went to the list
/// with another pair of lines first: three lines joined at one crossing each of one line),
/// no handset hangs on the other to be shorted: it reads the flat's short through the two
/// lines touching, or its own two wires touch there (`joined::twin_of_a_flat` weighs the
/// two). Names the touching of the pair (finding `k`) when sure and drops that short as its
/// twin; else lists both. False where the join is not such a pair, or where the line of the
/// crossing with no apartment touches another for certain (its own reading settled it,
/// among `bus`): that touch explains the crossing, as `one_point` weighs.
#[allow(clippy::too_many_arguments)]
fn twin_with_no_flat(
    g: &Grid,
    layout: &Layout,
    noise: &Noise,
    typ: f64,
    (s, bus): (&BusShort, &[BusShort]),
    k: usize,
    crossings: [(usize, f64); 2],
    v: &mut Verdicts,
) -> bool {
    let flat = |i: usize| layout.apartment(g.cell(i)).is_some();
    let named_short = |i: usize| {
        (v.findings.iter()).position(|f| {
            f.fault == Fault::Short
                && matches!(f.subject, Subject::Handset { cell, .. } if cell == g.cell(i))
        })
    };
    let [(ia, ra), (ib, rb)] = crossings;
    let ((short, r_short), (twin, r_twin)) = match (flat(ia), flat(ib)) {
        (true, false) => ((ia, ra), (ib, rb)),
        (false, true) => ((ib, rb), (ia, ra)),
        _ => return false,
    };
    let Some(t) = named_short(twin) else {
        return false;
    };
    let line = if on(s.a, g.cell(twin)) { s.a } else { s.b };
    let settled_elsewhere = (bus.iter()).any(|o| {
        (o.a, o.b) != (s.a, s.b) && (o.a == line || o.b == line) && !o.joined && o.chance >= REPORT
    });
    if settled_elsewhere {
        return false;
    }
    let touch = twin_of_a_flat(r_short, r_twin, s.weighed.map(|w| w.pair), g, noise, typ);
    let touching_sure = touch.min(s.chance);
    let own = v.findings[t].confidence * (1.0 - touch);
    let doubt = short_or_twin_doubt(&v.findings[t], g.cell(short));
    if touching_sure >= REPORT {
        v.findings[k].confidence = touching_sure.min(MOST_SURE);
        v.findings.remove(t);
    } else {
        let pair = v.findings[k].subject.clone();
        for i in [k.max(t), k.min(t)] {
            v.findings.remove(i);
        }
        v.cannot_tell.push(maybe_touching(pair, touching_sure));
    }
    if own >= DOUBT {
        v.cannot_tell.push(Doubtful {
            chance: own,
            ..doubt
        });
    }
    true
}

/// The cannot-tell entry of two lines (`pair`) that touch with probability `chance`.
fn maybe_touching(pair: Subject, chance: f64) -> Doubtful {
    Doubtful {
        subject: pair,
        reason: Doubt::MaybeTouching,
        chance,
        after_repair: false,
        rank: 0.0,
        fault: Some(Fault::Short),
        twin: None,
    }
}

/// The cannot-tell entry of a short that may be the twin of the short at `other` through
/// touching lines.
fn short_or_twin_doubt(f: &Candidate, other: Cell) -> Doubtful {
    Doubtful {
        subject: f.subject.clone(),
        reason: Doubt::ShortOrTwin,
        chance: f.confidence / 2.0,
        after_repair: true,
        rank: 0.0,
        fault: Some(Fault::Short),
        twin: Some(other),
    }
}
