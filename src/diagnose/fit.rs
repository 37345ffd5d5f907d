//! Does the sweep fit the layout it is diagnosed with? A wrong `--offset`, `--matrix` or
//! `--apartments` puts apartments on crossings with no handset and leaves handsets on
//! crossings with no apartment: the engine would then name healthy flats and blame the wrong
//! doors. This weighs the layout given against every other offset and matrix of the switch
//! (cheap: a prefix sum over the lines for each) and says so when another explains the
//! sweep clearly better, or when the one given cannot be right.
//!
//! Pure: no I/O.

use super::{CellState, Diagnosis, LayoutSuggestion, LayoutWarning, Subject};
use crate::model::{Cell, LineKind, Reading, Sweep};
use crate::profile::{Layout, place};

/// A crossing reads like a healthy handset when its forward reading is within this band
/// around the entrance's typical one (and its reverse is open): wide enough for a second
/// handset model (+100–350 Ω, up to about 1.5×), below any sneak path, which crosses at
/// least two diodes (1.8× and up).
const HANDSET_BAND: (f64, f64) = (0.5, 1.7);

/// Share of apartments that have a handset, as a prior: field occupancy runs 75–100 %; a
/// lower figure only makes an open apartment cheaper to explain, so the check errs towards
/// the layout given.
const OCCUPANCY: f64 = 0.85;

/// Chance that a crossing with no apartment reads like a handset in a correctly described
/// entrance: a handset wired outside the range given (a concierge's), a twin of touching
/// lines the engine did not report. One in a hundred crossings.
pub(super) const OFF_LAYOUT_HANDSET: f64 = 0.01;

/// This many crossings with no apartment reading like handsets cannot all be off-layout
/// handsets (odds of 10⁻⁶ at one in a hundred each): the layout is wrong even when no other
/// offset explains them.
const MANY_OFF_LAYOUT: usize = 3;

/// When at least this share of the measured apartments read open both ways (and at least
/// three), most of the flats given are not on this matrix: no entrance is three-quarters empty.
const MOSTLY_OPEN: f64 = 0.75;

/// Another layout is suggested when it explains the sweep this many times more likely than
/// the one given (a likelihood ratio): about two misplaced crossings at either end.
const SUGGEST_ODDS: f64 = 1000.0;

/// What each crossing says about where the handsets are.
struct Evidence {
    /// Reads like a healthy handset: forward in the band, reverse open.
    handset: Vec<bool>,
    /// Reads open both ways.
    open: Vec<bool>,
    /// Holds no handset of its own: open both ways, or explained as a ghost (an empty
    /// crossing reading only through the sneak paths of faults elsewhere). What the layout
    /// costs are weighed on: an apartment reading a ghost is as empty as one reading open,
    /// else a layout that puts empty flats on ghost crossings would look better than one
    /// that puts them on open ones.
    empty: Vec<bool>,
    units: usize,
}

impl Evidence {
    fn index(&self, cell: Cell) -> usize {
        cell.tens as usize * self.units + cell.units as usize
    }
}

/// The handset-like and open crossings, leaving out the lines the engine found broken or
/// touching, or listed as maybe touching (their crossings read as the line fault makes them,
/// not as their handsets: two lines joined, touching or through shorts, each read the other's
/// handsets; seeds 174-175: D8, with flats on two crossings only, read D3's handsets through
/// a touch the sweep left unsure, and the check blamed the offset).
fn evidence(sweep: &Sweep, layout: &Layout, d: &Diagnosis) -> Option<Evidence> {
    let typical = d.typical_forward_ohms?;
    let on_line = |subject: &Subject, cell: Cell| match *subject {
        Subject::Bus { line, other } => [Some(line), other].into_iter().flatten().any(|t| match t
            .kind
        {
            LineKind::Tens => t.index == cell.tens,
            LineKind::Units => t.index == cell.units,
        }),
        Subject::Handset { .. } => false,
    };
    let faulty_line = |cell: Cell| {
        d.findings.iter().any(|f| on_line(&f.subject, cell))
            || (d.cannot_tell.iter()).any(|c| {
                matches!(c.subject, Subject::Bus { other: Some(_), .. })
                    && on_line(&c.subject, cell)
            })
    };
    let n = layout.tens() as usize * layout.units() as usize;
    let mut ev = Evidence {
        handset: vec![false; n],
        open: vec![false; n],
        empty: vec![false; n],
        units: layout.units() as usize,
    };
    // A crossing the engine explained as a ghost reads what the sneak paths through the
    // faults it found give there, not a handset of its own.
    let ghost = |cell: Cell| {
        d.cells
            .iter()
            .any(|c| c.cell == cell && c.state == CellState::Ghost)
    };
    for cell in layout.cells() {
        if faulty_line(cell) {
            continue;
        }
        let i = ev.index(cell);
        if ghost(cell) {
            ev.empty[i] = true;
            continue;
        }
        match (sweep.forward(cell), sweep.reverse(cell)) {
            (Some(Reading::Ohms(f)), Some(Reading::Open)) => {
                let ratio = f / typical;
                ev.handset[i] = (HANDSET_BAND.0..=HANDSET_BAND.1).contains(&ratio);
            }
            (Some(Reading::Open), Some(Reading::Open)) => {
                ev.open[i] = true;
                ev.empty[i] = true;
            }
            _ => {}
        }
    }
    Some(ev)
}

/// How badly a layout explains the sweep: minus the log-likelihood of what the crossings
/// read, up to a constant. A handset on a crossing with no apartment costs ln(q/ε), an
/// apartment with no handset of its own (open both ways, or a ghost) costs ln((1−ε)/(1−q)), with q the occupancy and ε the chance of
/// an off-layout handset. An apartment of the range given that the layout puts on another
/// matrix (not swept, so it reads nothing) costs as much as one reading open: else a layout
/// could push the empty flats at one end of a full matrix onto the next one and look better
/// for it.
fn cost(handsets_off: usize, apartments_open: usize, off_matrix: usize) -> f64 {
    let per_handset = (OCCUPANCY / OFF_LAYOUT_HANDSET).ln();
    let per_open = ((1.0 - OFF_LAYOUT_HANDSET) / (1.0 - OCCUPANCY)).ln();
    handsets_off as f64 * per_handset + (apartments_open + off_matrix) as f64 * per_open
}

/// Apartments in the ranges given (overlaps counted once per range, as given).
fn range_apartments(layout: &Layout) -> usize {
    layout.ranges.as_ref().map_or(0, |r| {
        r.iter()
            .map(|r| (*r.end() as usize + 1).saturating_sub(*r.start() as usize))
            .sum()
    })
}

/// The offset and matrix that explain the sweep best, with its cost, trying every offset
/// within one matrix's capacity either way of the one given (beyond that the pattern of
/// crossings in use repeats on the next matrix) and every matrix of the switch. `None`
/// without an apartment range (every line is in use whatever the offset).
fn best_alternative(layout: &Layout, ev: &Evidence) -> Option<(LayoutSuggestion, f64)> {
    let ranges = layout.ranges.as_ref()?;
    // The lines of the matrix swept; a matrix of another size (the smaller last one of a
    // Metakom COM-220U) has other terminals, so it cannot be the one this sweep is from.
    let cap = layout.switch.capacity_of(layout.matrix) as i64;
    let matrices = layout.switch.matrices as i64;
    let whole_switch = layout.switch.total_capacity() as i64;
    if cap == 0 {
        return None;
    }
    // Prefix sums over the lines of one matrix: handsets and empty crossings on lines 1..=l.
    let mut handsets = vec![0usize; cap as usize + 1];
    let mut opens = vec![0usize; cap as usize + 1];
    for l in 1..=cap as usize {
        let i = ev.index(layout.cell_of_line(l as u32));
        handsets[l] = handsets[l - 1] + ev.handset[i] as usize;
        opens[l] = opens[l - 1] + ev.empty[i] as usize;
    }
    let total_handsets = handsets[cap as usize];
    let first = ranges.iter().map(|r| *r.start() as i64).min()?;
    let last = ranges.iter().map(|r| *r.end() as i64).max()?;
    let mut best: Option<(LayoutSuggestion, f64, (bool, i64))> = None;
    for offset in layout.offset - cap..=layout.offset + cap {
        // Every apartment must map somewhere on the switch, as `Layout::build` demands.
        if first - offset < 1 || last - offset > whole_switch {
            continue;
        }
        for matrix in 1..=matrices {
            if layout.switch.capacity_of(matrix as u16) as i64 != cap {
                continue;
            }
            let base = layout.switch.lines_before(matrix as u16) as i64;
            let (mut on, mut in_handsets, mut in_opens) = (0, 0, 0);
            for r in ranges {
                let lo = (*r.start() as i64 - offset - base).max(1);
                let hi = (*r.end() as i64 - offset - base).min(cap);
                if lo <= hi {
                    on += hi - lo + 1;
                    in_handsets += handsets[hi as usize] - handsets[lo as usize - 1];
                    in_opens += opens[hi as usize] - opens[lo as usize - 1];
                }
            }
            if on == 0 {
                continue;
            }
            let off_matrix = range_apartments(layout).saturating_sub(on as usize);
            let c = cost(total_handsets - in_handsets, in_opens, off_matrix);
            // Ties go to the matrix given, then to the offset nearest the one given.
            let tie = (
                matrix as u16 != layout.matrix,
                (offset - layout.offset).abs(),
            );
            let better = best
                .as_ref()
                .is_none_or(|(_, bc, bt)| c < bc - 1e-9 || (c - bc).abs() <= 1e-9 && tie < *bt);
            if better {
                let s = LayoutSuggestion {
                    offset,
                    matrix: matrix as u16,
                };
                best = Some((s, c, tie));
            }
        }
    }
    best.map(|(s, c, _)| (s, c))
}

/// Weighs the layout given against every other; `None` when the sweep fits it (or cannot
/// say: no typical reading, or an explicit map, which no offset replaces).
pub fn check(sweep: &Sweep, layout: &Layout, d: &Diagnosis) -> Option<LayoutWarning> {
    if layout.explicit_map {
        return None;
    }
    let ev = evidence(sweep, layout, d)?;
    let mut off = Vec::new();
    let (mut open, mut empty, mut measured, mut on) = (0, 0, 0, 0);
    for cell in layout.cells() {
        let i = ev.index(cell);
        match layout.apartment(cell) {
            None if ev.handset[i] => off.push(cell),
            None => {}
            Some(_) => {
                on += 1;
                open += ev.open[i] as usize;
                empty += ev.empty[i] as usize;
                measured +=
                    (sweep.forward(cell).is_some() && sweep.reverse(cell).is_some()) as usize;
            }
        }
    }
    let given = cost(
        off.len(),
        empty,
        range_apartments(layout).saturating_sub(on),
    );
    let given_layout = LayoutSuggestion {
        offset: layout.offset,
        matrix: layout.matrix,
    };
    let suggestion = best_alternative(layout, &ev)
        .filter(|(s, c)| *s != given_layout && given - c >= SUGGEST_ODDS.ln())
        .map(|(s, _)| s);
    let mostly_open = open >= 3 && open as f64 >= MOSTLY_OPEN * measured as f64;
    let fits = off.len() < MANY_OFF_LAYOUT && !mostly_open && suggestion.is_none();
    (!fits).then_some(LayoutWarning {
        handsets_off_layout: off,
        apartments_open: open,
        apartments_measured: measured,
        suggestion,
        withheld: Vec::new(),
    })
}

/// Takes the handset findings whose apartment the layout is unsure of off the findings and
/// onto the warning's withheld list, with no apartment: those whose crossing holds another
/// apartment (or none) under the suggested layout, or all of them when nothing better was
/// found. Their crossings lose their apartment number too.
pub fn withhold(d: &mut Diagnosis, layout: &Layout) {
    let Some(warning) = d.layout_warning.as_mut() else {
        return;
    };
    let sure = |cell: Cell, apartment: u32| match warning.suggestion {
        Some(s) => place(layout.numbering, &layout.switch, s.offset, apartment)
            .is_ok_and(|p| p.matrix == s.matrix && p.cell == cell),
        None => false,
    };
    let mut kept = Vec::new();
    for mut f in std::mem::take(&mut d.findings) {
        match f.subject {
            Subject::Handset {
                cell,
                apartment: Some(a),
            } if !sure(cell, a) => {
                f.subject = Subject::Handset {
                    cell,
                    apartment: None,
                };
                if let Some(c) = d.cells.iter_mut().find(|c| c.cell == cell) {
                    c.apartment = None;
                }
                warning.withheld.push(f);
            }
            _ => kept.push(f),
        }
    }
    d.findings = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::ForwardPrior;
    use crate::model::{Measurement, Terminal};
    use crate::profile::{LayoutSpec, parse_apartments, resolve};

    fn layout(offset: i64, apartments: &str) -> Layout {
        let p = resolve("eltis").unwrap();
        let spec = LayoutSpec {
            offset,
            apartments: Some(parse_apartments(apartments).unwrap()),
            ..Default::default()
        };
        Layout::build(&p, p.switch(None).unwrap(), &spec).unwrap()
    }

    /// A sweep with a 700 Ω handset on each crossing of `lines` (lines of one decimal
    /// matrix, 1–100) and every other crossing open both ways.
    fn sweep(lines: impl Fn(u32) -> bool) -> Sweep {
        let l = layout(0, "1-100");
        let mut s = Sweep::new(10, 10);
        for line in 1..=100 {
            let cell = l.cell_of_line(line);
            let (d, e) = (Terminal::tens(cell.tens), Terminal::units(cell.units));
            let forward = if lines(line) {
                Reading::Ohms(680.0 + (line % 7) as f64 * 10.0)
            } else {
                Reading::Open
            };
            for (plus, minus, reading) in [(d, e, forward), (e, d, Reading::Open)] {
                s.record(Measurement {
                    plus,
                    minus,
                    reading,
                })
                .unwrap();
            }
        }
        s
    }

    fn diagnosis(sweep: &Sweep, layout: &Layout) -> Diagnosis {
        super::super::engine::diagnose(
            sweep,
            layout,
            &ForwardPrior {
                min: 600.0,
                max: 800.0,
            },
        )
    }

    #[test]
    fn a_sweep_that_fits_its_layout_gets_no_warning() {
        // Flats 73–144 at offset 72: lines 1–72, a few empty.
        let s = sweep(|l| l <= 72 && l % 9 != 0);
        let l = layout(72, "73-144");
        assert_eq!(check(&s, &l, &diagnosis(&s, &l)), None);
    }

    #[test]
    fn an_offset_off_by_five_is_caught_and_the_right_one_suggested() {
        let s = sweep(|l| l <= 72);
        let l = layout(67, "73-144");
        let w = check(&s, &l, &diagnosis(&s, &l)).expect("a warning");
        assert_eq!(w.handsets_off_layout.len(), 5);
        assert_eq!(w.apartments_open, 5);
        assert_eq!(
            w.suggestion,
            Some(LayoutSuggestion {
                offset: 72,
                matrix: 1
            })
        );
    }

    #[test]
    fn a_range_too_small_for_its_handsets_is_caught_without_a_better_offset() {
        // Handsets on lines 1–72, apartments given as 1–40 with every offset trying: some
        // handset is always off the layout.
        let s = sweep(|l| l <= 72);
        let l = layout(0, "1-40");
        let w = check(&s, &l, &diagnosis(&s, &l)).expect("a warning");
        assert!(w.handsets_off_layout.len() >= 30, "{w:?}");
    }

    #[test]
    fn an_entrance_with_many_empty_flats_scattered_is_not_a_layout_problem() {
        let s = sweep(|l| l <= 72 && l % 3 != 0);
        let l = layout(72, "73-144");
        assert_eq!(check(&s, &l, &diagnosis(&s, &l)), None);
    }

    #[test]
    fn empty_flats_at_one_end_and_ghosts_beyond_the_other_are_not_a_layout_problem() {
        // Flats 77–147 at offset 72 on lines 5–75, the last four (144–147) empty; lines 1–4
        // have no apartment and the engine explained them as ghosts (read only through the
        // sneak paths of faults elsewhere; the fit takes the engine's word for it). Offset 76
        // would put the empty flats on the ghosts instead: no better, so no warning.
        // Counting a ghost as neither handset nor empty once made offset 76 look 1900 times
        // likelier.
        let s = sweep(|l| (5..=71).contains(&l));
        let l = layout(72, "77-147");
        let mut d = diagnosis(&s, &l);
        for line in 1..=4 {
            let cell = l.cell_of_line(line);
            let report = d.cells.iter_mut().find(|c| c.cell == cell).expect("a cell");
            report.state = CellState::Ghost;
        }
        assert_eq!(check(&s, &l, &d), None);
    }

    #[test]
    fn an_explicit_map_is_never_second_guessed() {
        let s = sweep(|l| l <= 72);
        let mut l = layout(67, "73-144");
        l.explicit_map = true;
        assert_eq!(check(&s, &l, &diagnosis(&s, &l)), None);
    }
}
