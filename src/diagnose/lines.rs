//! Stage 6, open lines: a tens or units line whose every flat reads open both ways, while
//! other lines answer, is either cut between the switch and its flats or serves only flats
//! with no handset. The two give the same sweep; they are weighed by the prior of a cut line
//! against the chance that all those flats are empty, judged from how many of the other flats
//! have no handset (`evidence::Vacancy`). Flats on lines that may touch are left out of that
//! count: each reads in parallel with its twin on the other line, so one without a handset
//! reads like one with whenever its twin has one.
//!
//! Takes the `Grid`, the layout, the `Explanations` and the `BusShort`s; gives `Lines`. Pure.

use super::bus::BusShort;
use super::evidence::{PRIOR_LINE_CUT, Vacancy};
use super::explain::{Explained, Explanations};
use super::grid::Grid;
use crate::model::{LineKind, Reading, Terminal};
use crate::profile::Layout;

/// A line whose every flat reads open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct SilentLine {
    /// The line.
    pub(super) line: Terminal,
    /// Flats it serves.
    pub(super) served: usize,
    /// Lowest and highest apartment on it.
    pub(super) span: Option<(u32, u32)>,
    /// The probability that it is cut.
    pub(super) cut: f64,
    /// How many of the other flats show no handset: what the chance of all its flats being
    /// empty was judged from.
    pub(super) others: Vacancy,
}

/// The silent lines of the matrix.
pub(super) struct Lines {
    /// Lines serving several flats that all read open, with the chance each is cut.
    pub(super) silent: Vec<SilentLine>,
    /// Nothing conducted anywhere though crossings were measured: the probes or the adapter
    /// never touched the blocks, or the wrong matrix was swept.
    pub(super) dead: bool,
}

impl Lines {
    /// True when crossing (t, u) lies on a line taken as cut (at probability `at` or more).
    pub(super) fn on_cut_line(&self, t: usize, u: usize, at: f64) -> bool {
        self.silent.iter().any(|s| {
            s.cut >= at
                && match s.line.kind {
                    LineKind::Tens => s.line.index as usize == t,
                    LineKind::Units => s.line.index as usize == u,
                }
        })
    }
}

/// Weighs every line whose flats all read open; `touching` are the pairs of lines that may
/// touch.
pub(super) fn open(g: &Grid, layout: &Layout, ex: &Explanations, touching: &[BusShort]) -> Lines {
    let flat = |i: usize| layout.apartment(g.cell(i));
    let answers = |i: usize| {
        g.forward[i].is_some_and(Reading::is_finite) || g.reverse[i].is_some_and(Reading::is_finite)
    };
    let measured_open = |i: usize| g.forward[i] == Some(Reading::Open);
    let on = |line: Terminal, i: usize| {
        let (t, u) = g.tu(i);
        match line.kind {
            LineKind::Tens => t == line.index as usize,
            LineKind::Units => u == line.index as usize,
        }
    };
    // A flat on a line that may touch another does not show whether it has a handset when its
    // twin has one (seeds 219-220: four of twelve such flats were empty, counted as having
    // handsets, and E10, whose six flats were all empty, was named cut at 90 %). One that
    // conducts backwards shows something there: where two lines are joined through shorts on
    // one other line, those shorts are flats of their own, no one's twin (seeds 37-39: on a
    // 13-flat entrance they were two of the five that said how often a flat is empty).
    let shows_itself = |i: usize| {
        ex.cells[i] == Explained::Element || !touching.iter().any(|s| on(s.a, i) || on(s.b, i))
    };
    // Flats measured, and how many show no handset: a ghost reading proves the lines are
    // connected, not that a handset is there.
    let flats: Vec<usize> = (0..g.len())
        .filter(|&i| flat(i).is_some() && g.forward[i].is_some() && shows_itself(i))
        .collect();
    let empty = flats.iter().filter(|&&i| !ex.has_handset(i)).count();
    let any_answer = (0..g.len()).any(answers);
    let mut silent = Vec::new();
    if any_answer {
        let lines = (0..g.tens)
            .map(|t| Terminal::tens(t as u16))
            .chain((0..g.units).map(|u| Terminal::units(u as u16)));
        for line in lines {
            let cells: Vec<usize> = (0..g.len()).filter(|&i| on(line, i)).collect();
            let served: Vec<usize> = cells
                .iter()
                .copied()
                .filter(|&i| flat(i).is_some())
                .collect();
            if served.len() < 2
                || cells.iter().any(|&i| answers(i))
                || !served.iter().all(|&i| measured_open(i))
            {
                continue;
            }
            // The other flats say how often a flat is empty; these flats' own silence is what
            // is being weighed, so they are left out of that count (a silent line touches none:
            // its flats would answer through their twins).
            let own = served.iter().filter(|&&i| shows_itself(i)).count();
            let others = Vacancy {
                empty: empty.saturating_sub(own),
                measured: flats.len().saturating_sub(own),
            };
            let all_empty = others.all_empty(served.len());
            let cut = PRIOR_LINE_CUT / (PRIOR_LINE_CUT + (1.0 - PRIOR_LINE_CUT) * all_empty);
            let apartments: Vec<u32> = served.iter().filter_map(|&i| flat(i)).collect();
            let span = match (apartments.iter().min(), apartments.iter().max()) {
                (Some(&a), Some(&b)) if a != b => Some((a, b)),
                _ => None,
            };
            silent.push(SilentLine {
                line,
                served: served.len(),
                span,
                cut,
                others,
            });
        }
    }
    Lines {
        silent,
        dead: !any_answer && g.forward.iter().any(Option::is_some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::Facts;
    use crate::diagnose::evidence::{DOUBT, REPORT};
    use crate::diagnose::tests::{Bench, layout};

    /// Lines of `b` weighed, every crossing that conducts forward taken for a handset.
    fn silent(b: &Bench, apartments: &str) -> Lines {
        silent_beside(b, apartments, &[], &[])
    }

    /// The same, with the pairs of lines `touching` found touching and the crossings
    /// `elements` conducting backwards.
    fn silent_beside(
        b: &Bench,
        apartments: &str,
        touching: &[BusShort],
        elements: &[(usize, usize)],
    ) -> Lines {
        let (l, _) = layout(Some(apartments));
        let g = Grid::new(&b.sweep(), &l);
        let cells = (0..g.len())
            .map(|i| match g.forward[i] {
                _ if elements.contains(&g.tu(i)) => Explained::Element,
                Some(Reading::Ohms(_)) => Explained::Handset,
                Some(Reading::Open) => Explained::Open,
                None => Explained::NotMeasured,
            })
            .collect();
        let ex = Explanations {
            cells,
            ghosts: Vec::new(),
            bands: vec![None; g.len()],
        };
        open(&g, &l, &ex, touching)
    }

    /// Lines `a` and `b` found touching, or `joined` through shorts on one other line.
    fn touching(a: Terminal, b: Terminal, joined: bool) -> BusShort {
        BusShort {
            a,
            b,
            chance: 0.99,
            facts: Facts::BusShortMeasured { ohms: 1.0 },
            joined,
            weighed: None,
        }
    }

    #[test]
    fn ten_silent_flats_are_a_cut_line_and_two_are_not() {
        // Apartments 1-99 with one flat in eight empty. D6 (ten flats) answers nowhere: cut.
        let empty: Vec<(usize, usize)> = (0..10)
            .map(|u| (6, u))
            .chain([
                (1, 1),
                (2, 4),
                (3, 7),
                (4, 0),
                (5, 3),
                (7, 6),
                (8, 9),
                (9, 2),
            ])
            .collect();
        let b = Bench::healthy(1.0, &empty);
        let lines = silent(&b, "1-99");
        assert_eq!(lines.silent.len(), 1);
        let d6 = lines.silent[0];
        assert_eq!(d6.line, Terminal::tens(6));
        assert_eq!((d6.served, d6.span), (10, Some((60, 69))));
        assert!(d6.cut > 0.99, "{d6:?}");
        // Apartments 1-22: E5 serves 5 and 15 only; both empty is no surprise.
        let b = Bench::healthy(1.0, &[(0, 5), (1, 5), (2, 5)]);
        let e5 = silent(&b, "1-22").silent;
        assert!(e5.iter().all(|s| s.cut < 0.5), "{e5:?}");
    }

    #[test]
    fn flats_on_touching_lines_do_not_count_as_having_handsets() {
        // Apartments 1-59: E9's six flats all read open, and 15 of the 53 others are empty,
        // none of them on D1 or D2. Those 53 make six empty flats in a row rare enough to
        // name E9 cut.
        // (D6-D9 have no flats; their crossings with E9 read open too.)
        let empty: Vec<(usize, usize)> = (0..10)
            .map(|t| (t, 9))
            .chain((1..9).map(|u| (0, u)))
            .chain((0..7).map(|u| (3, u)))
            .collect();
        let b = Bench::healthy(1.0, &empty);
        let e9 = |lines: Lines| {
            lines
                .silent
                .into_iter()
                .find(|s| s.line == Terminal::units(9))
        };
        let alone = e9(silent(&b, "1-59")).expect("E9 silent");
        assert_eq!((alone.others.empty, alone.others.measured), (15, 53));
        assert!(alone.cut >= REPORT, "{alone:?}");
        // With D1 and D2 touching, each of their flats reads its twin's handset, empty or
        // not: the 18 of them say nothing of how many flats are empty, and six empty flats
        // on one line are no longer rare enough to name it cut.
        let touching = touching(Terminal::tens(1), Terminal::tens(2), false);
        let beside = e9(silent_beside(&b, "1-59", &[touching], &[])).expect("E9 silent");
        assert_eq!((beside.others.empty, beside.others.measured), (15, 35));
        assert!(beside.cut < REPORT && beside.cut >= DOUBT, "{beside:?}");
    }

    #[test]
    fn shorts_that_join_two_lines_count_as_flats_with_handsets() {
        // Apartments 5-17: D1's eight flats read open, D0's five do not; 6 and 7 (D0/E6,
        // D0/E7) are shorted, which joins E6 and E7 as touching wires would. The shorts are
        // flats with something in them whatever their lines: five of five D0 flats say flats
        // here are seldom empty, and D1 is cut.
        let empty: Vec<(usize, usize)> = (0..10).map(|u| (1, u)).collect();
        let b = Bench::healthy(1.0, &empty);
        let joined = touching(Terminal::units(6), Terminal::units(7), true);
        let d1 = |elements: &[(usize, usize)]| {
            let lines = silent_beside(&b, "5-17", std::slice::from_ref(&joined), elements);
            let found = lines
                .silent
                .into_iter()
                .find(|s| s.line == Terminal::tens(1));
            found.expect("D1 silent")
        };
        let shorts = d1(&[(0, 6), (0, 7)]);
        assert_eq!((shorts.others.empty, shorts.others.measured), (0, 5));
        assert!(shorts.cut >= REPORT, "{shorts:?}");
        // Read as handsets on those lines, they would be anyone's twins, and say nothing.
        let handsets = d1(&[]);
        assert_eq!((handsets.others.empty, handsets.others.measured), (0, 3));
        assert!(handsets.cut < REPORT, "{handsets:?}");
    }

    #[test]
    fn a_sweep_where_nothing_conducts_is_dead_not_a_row_of_cut_lines() {
        let mut b = Bench::healthy(1.0, &[]);
        b.forward = [[None; 10]; 10];
        let lines = silent(&b, "1-99");
        assert!(lines.dead && lines.silent.is_empty());
    }
}
