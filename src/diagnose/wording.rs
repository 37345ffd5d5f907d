//! The sentences of the diagnosis: evidence, actions, what to re-measure and sweep-wide notes,
//! each made from structured facts (readings, crossings, lines). The one place where the
//! engine's English lives, so that a message catalogue (English, Russian) can replace it.
//!
//! Pure: facts in, words out.

use super::calibrate::Calibration;
use super::classify::{Candidate, Doubtful, Remark};
use super::grid::Grid;
use super::{Behind, CannotTell, Doubt, Facts, Fault, Finding, ForwardPrior, Subject};
use crate::model::{Cell, format_ohms};
use crate::profile::Layout;

/// Two readings of a short within this fraction (or half an ohm, a display's last digit) read
/// "the same both ways".
const SAME_BOTH_WAYS: f64 = 0.03;

/// Who sits on crossing `cell`, for a sentence: "apartment 45", or the crossing itself.
fn who(layout: &Layout, cell: Cell) -> String {
    match layout.apartment(cell) {
        Some(a) => format!("apartment {a}"),
        None => format!(
            "the handset on {} (no apartment maps here)",
            layout.labels.cell_label(cell)
        ),
    }
}

/// The probe pair of a crossing: "D4–E7".
fn pair(layout: &Layout, cell: Cell) -> String {
    let (d, e) = layout.labels.cell(cell);
    format!("{d}–{e}")
}

/// The finding, with its sentences.
pub(super) fn finding(c: Candidate, layout: &Layout, typ: f64) -> Finding {
    let evidence = evidence(&c, layout);
    let action = action(&c, layout, typ);
    Finding {
        subject: c.subject,
        fault: c.fault,
        confidence: c.confidence,
        facts: c.facts,
        twin: c.twin,
        evidence,
        action,
    }
}

/// One sentence of evidence.
fn evidence(c: &Candidate, layout: &Layout) -> String {
    let labels = &layout.labels;
    let mut s = match (&c.facts, &c.subject) {
        (
            Facts::Backward {
                forward,
                reverse,
                typical,
                ghosts,
            },
            _,
        ) => {
            let (r, typ) = (*reverse, *typical);
            let what = match (c.fault, forward) {
                (Fault::Short, Some(f))
                    if (f - r).abs() <= (SAME_BOTH_WAYS * f.max(r)).max(0.5) =>
                {
                    format!(
                        "reads {} forward and {} reverse, the same both ways, where a handset reads about {} forward and open in reverse",
                        format_ohms(*f),
                        format_ohms(r),
                        format_ohms(typ)
                    )
                }
                (Fault::Short, f) => format!(
                    "reads {} forward and {} reverse, low both ways, where a handset reads about {} forward and open in reverse",
                    f.map_or("nothing".to_string(), format_ohms),
                    format_ohms(r),
                    format_ohms(typ)
                ),
                (Fault::Leak, f) => format!(
                    "forward {} but reverse reads {} where a healthy handset reads open",
                    f.map_or("open".to_string(), format_ohms),
                    format_ohms(r)
                ),
                (_, Some(f)) if *f <= typ * 1.5 => format!(
                    "reads like a handset both ways ({} forward, {} reverse): a reversed handset whose forward reading comes from another handset through touching lines, or a leak as low as a handset",
                    format_ohms(*f),
                    format_ohms(r)
                ),
                (_, f) => format!(
                    "reverse reading {} where a handset reads open, and forward {}: it conducts like a handset, the wrong way round",
                    format_ohms(r),
                    f.map_or("open".to_string(), |f| format!(
                        "{} (a sneak path)",
                        format_ohms(f)
                    ))
                ),
            };
            let names: Vec<String> = ghosts.iter().map(|g| labels.cell_label(*g)).collect();
            let ghosts = match names.len() {
                0 => String::new(),
                1 => format!(
                    "; explains the ghost reading on the empty crossing {}",
                    names[0]
                ),
                2..=4 => format!(
                    "; explains ghost readings on the empty crossings {}",
                    names.join(", ")
                ),
                n => format!("; explains ghost readings on {n} empty crossings"),
            };
            format!("{what}{ghosts}")
        }
        (
            Facts::HighResistance {
                forward,
                typical,
                behind,
            },
            _,
        ) => {
            let mut s = format!(
                "forward {}, {:.1}× this entrance's typical {}, reverse open",
                format_ohms(*forward),
                forward / typical,
                format_ohms(*typical)
            );
            match behind {
                Some(Behind::Dropped { low, high }) => {
                    let range = if *high > low * 1.005 {
                        format!("{}–{}", format_ohms(*low), format_ohms(*high))
                    } else {
                        format_ohms(*low)
                    };
                    s.push_str(&format!(
                        "; the ghosts through the same faulty handset made the meter drop range and read {range} here, and this crossing reads well under what any of them may: a handset is there but conducts poorly"
                    ));
                }
                Some(Behind::Path { low, high }) => s.push_str(&format!(
                    "; its sneak paths alone would read {}–{}, so a handset is there but conducts poorly",
                    format_ohms(*low),
                    format_ohms(*high)
                )),
                None => {}
            }
            s
        }
        (
            Facts::OpenLine {
                served,
                span,
                typical: _,
            },
            Subject::Bus { line, .. },
        ) => {
            let name = labels.label(*line);
            let span = span.map_or(String::new(), |(a, b)| format!(" (apartments {a}–{b})"));
            format!(
                "all {served} flats on {name}{span} read open both ways while the other lines answer: a broken {name} wire, not {served} missing handsets"
            )
        }
        (
            Facts::BusShortMeasured { ohms },
            Subject::Bus {
                line,
                other: Some(other),
            },
        ) => {
            let (n1, n2) = (labels.label(*line), labels.label(*other));
            format!(
                "{n1}–{n2} reads {} where separate lines read open and no handset path explains it: the two wires touch",
                format_ohms(*ohms)
            )
        }
        (
            Facts::Joined { via, crossings },
            Subject::Bus {
                line,
                other: Some(other),
            },
        ) => {
            let (n1, n2) = (labels.label(*line), labels.label(*other));
            let [(a, _, ra), (b, _, rb)] = *crossings;
            format!(
                "{} and {} both read low in reverse ({} and {}), like shorts, and every other crossing of {n1} and {n2} reads both lines' handsets at once: {n1} and {n2} are joined at {}, through shorts at both crossings or a short at one with the two wires touching; the readings cannot tell which",
                labels.cell_label(a),
                labels.cell_label(b),
                format_ohms(ra),
                format_ohms(rb),
                labels.label(*via)
            )
        }
        (
            Facts::BusShortAlike { matched, within },
            Subject::Bus {
                line,
                other: Some(other),
            },
        ) => {
            let (n1, n2) = (labels.label(*line), labels.label(*other));
            format!(
                "{n1} and {n2} read the same on all {matched} crossings that conduct (within {:.1} %): the two wires touch, so every handset on one answers on the other",
                within * 100.0
            )
        }
        _ => String::new(),
    };
    if let (Some(t), Subject::Handset { cell, .. }) = (&c.twin, &c.subject) {
        s.push_str(&match t.apartment {
            None => format!(
                "; {} reads the same through the touching lines but no apartment maps there",
                labels.cell_label(t.cell)
            ),
            Some(_) => format!(
                "; {} reads the same through the touching lines, slightly higher, so the fault is on {}",
                labels.cell_label(t.cell),
                labels.cell_label(*cell)
            ),
        });
    }
    s
}

/// What to do next, in the field.
fn action(c: &Candidate, layout: &Layout, typ: f64) -> String {
    let labels = &layout.labels;
    match &c.subject {
        Subject::Handset { cell, .. } => {
            let (who, pair) = (who(layout, *cell), pair(layout, *cell));
            match c.fault {
                Fault::Short => format!(
                    "disconnect {who} at its floor box and re-measure {pair}: expect OL in reverse; if it still reads low the drop wire is shorted"
                ),
                Fault::Reversed => format!(
                    "swap the two wires of {who} at the floor box or in the handset, then re-measure {pair}: expect about {} forward and OL in reverse",
                    format_ohms(typ)
                ),
                Fault::Leak => format!(
                    "inspect {who} for moisture or damage, replace the handset if wet or cracked, then re-measure {pair}: expect OL in reverse"
                ),
                Fault::HighResistance | Fault::Open => format!(
                    "check the terminals of {who} at the switch and in the floor box (oxidised, or clamped on the insulation), re-seat them and re-measure {pair}: expect about {}",
                    format_ohms(typ)
                ),
            }
        }
        Subject::Bus { line, other: None } => {
            let name = labels.label(*line);
            format!(
                "trace the {name} wire from the switch terminal to the riser: look for a break, a loose screw or a cut in the floor boxes; re-measure any {name} crossing: expect about {}",
                format_ohms(typ)
            )
        }
        Subject::Bus {
            line,
            other: Some(other),
        } => {
            let (n1, n2) = (labels.label(*line), labels.label(*other));
            match c.facts {
                Facts::Joined { crossings, .. } => {
                    let [(a, _, _), (b, _, _)] = crossings;
                    format!(
                        "disconnect {} and {} at their floor boxes and measure {n1}–{n2}: OL means both handsets (or drop wires) are shorted, repair both; still low means {n1} and {n2} touch, separate them; then reconnect each and re-measure {} and {}: expect OL in reverse",
                        who(layout, a),
                        who(layout, b),
                        pair(layout, a),
                        pair(layout, b)
                    )
                }
                Facts::BusShortAlike { .. } => format!(
                    "measure {n1}–{n2} directly (expect OL when healthy), then separate the wires: look for touching wires, a wire on the panel body, or a handset wired across {n1} and {n2}"
                ),
                _ => format!(
                    "separate {n1} and {n2}: look for touching wires at the switch and in the floor boxes, a wire on the panel body, or a handset wired across {n1} and {n2}; re-measure {n1}–{n2}: expect OL"
                ),
            }
        }
    }
}

/// The cannot-tell entry, with what to re-measure.
pub(super) fn cannot_tell(d: Doubtful, g: &Grid, layout: &Layout, typ: f64) -> CannotTell {
    let labels = &layout.labels;
    let t = format_ohms(typ);
    let remeasure = match &d.subject {
        Subject::Handset { cell, .. } => {
            let (who, pair) = (who(layout, *cell), pair(layout, *cell));
            let i = g.idx(cell.tens as usize, cell.units as usize);
            let reading = |r: Option<crate::model::Reading>| {
                r.map_or("nothing".to_string(), |r| match r.ohms() {
                    Some(v) => format_ohms(v),
                    None => "OL".to_string(),
                })
            };
            let (f, r) = (reading(g.forward[i]), reading(g.reverse[i]));
            match d.reason {
                Doubt::BehindGhost => format!(
                    "{pair} reads only through a sneak path ({f}): no handset, or one hidden behind the ghost reading; once the faults found are repaired, re-measure {pair}: about {t} is a handset, OL is none, far above is a bad contact"
                ),
                Doubt::MaybeBadContact => format!(
                    "{pair} reads {f}, under what its sneak paths alone read, but not clearly enough to name a bad contact: disconnect {who} at its floor box and measure the handset alone (expect about {t}), or re-measure {pair} once the faults found are repaired"
                ),
                Doubt::MaybeHighResistance => format!(
                    "{pair} reads {f} forward, above this entrance's handsets (about {t}) but not clearly a bad contact: measure {who} at its floor box and re-measure {pair}"
                ),
                Doubt::BehindReverseGhost => format!(
                    "{pair} reads {r} in reverse through a sneak path, so a leak there would not show; once the faults found are repaired, re-measure {pair} in reverse: expect OL"
                ),
                Doubt::UnclearKind => format!(
                    "{pair} conducts from E to D ({f} forward, {r} reverse) but the readings do not say whether {who} is shorted, reversed or leaking: disconnect it at its floor box and re-measure {pair} both ways"
                ),
                Doubt::SuspectReading => format!(
                    "{pair} reads {f} forward and {r} in reverse, which no handset, wire or meter gives: re-measure {pair} both ways, probes firmly on the terminals"
                ),
                Doubt::TwinCrossing => {
                    let other = d.twin.map_or("its twin".to_string(), |c| {
                        format!("{} ({})", labels.cell_label(c), self::who(layout, c))
                    });
                    format!(
                        "{pair} and {other} read alike through touching lines, so the {} is on one of the two: separate the touching lines, then re-measure both",
                        d.fault.map_or("fault", |f| f.key())
                    )
                }
                Doubt::BehindTouchingLines => format!(
                    "{pair} is on a line that touches another, so it reads in parallel with its twin there: a missing handset or a bad contact does not show; once the lines are separated, re-measure {pair}: about {t} is a handset"
                ),
                Doubt::ShortOrTwin => {
                    let other = d.twin.map_or("another short".to_string(), |c| {
                        format!(
                            "the short at {} ({})",
                            labels.cell_label(c),
                            self::who(layout, c)
                        )
                    });
                    format!(
                        "{pair} reads {f} forward and {r} reverse, low both ways like a short, but so would {other} through two lines touching: repair that one, then re-measure {pair} (OL in reverse: it was the twin, and two lines touch; look for them)"
                    )
                }
                Doubt::LineOrEmptyFlats | Doubt::MaybeTouching => {
                    format!("re-measure {pair} both ways")
                }
            }
        }
        Subject::Bus { line, other } => {
            let name = labels.label(*line);
            match (d.reason, other) {
                (Doubt::MaybeTouching, Some(o)) => {
                    let o = labels.label(*o);
                    format!(
                        "{name} and {o} may touch: measure {name}–{o} directly (OL when they are separate)"
                    )
                }
                _ => format!(
                    "every flat on {name} reads open both ways: either none of them has a handset or the {name} wire is broken; measure across the handset of one of them at its floor box, and if it reads like a handset there, trace the {name} wire"
                ),
            }
        }
    };
    CannotTell {
        subject: d.subject,
        reason: d.reason,
        fault: d.fault,
        fault_probability: d.chance,
        after_repair: d.after_repair,
        remeasure,
    }
}

/// Sweep-wide notes: calibration, remarks, and the cannot-tell list in a few lines.
pub(super) fn notes(
    cal: &Calibration,
    prior: &ForwardPrior,
    dead: bool,
    remarks: &[Remark],
    cannot_tell: &[CannotTell],
    layout: &Layout,
) -> Vec<String> {
    let labels = &layout.labels;
    let mut notes = Vec::new();
    match cal.typical {
        None => notes.push(format!(
            "no crossing conducted forward only, so nothing to calibrate against; using the profile's nominal {}–{}",
            format_ohms(prior.min),
            format_ohms(prior.max)
        )),
        Some(typ) => {
            if cal.handsets < 3 {
                notes.push(format!(
                    "only {} handset(s) to calibrate from; the healthy reading {} is a rough guess",
                    cal.handsets,
                    format_ohms(typ)
                ));
            }
            if typ < prior.min * 0.8 || typ > prior.max * 1.25 {
                notes.push(format!(
                    "healthy handsets read about {} here, outside the profile's nominal {}–{}: normal for some meters and handsets; kmdiag judges against this entrance's own reading",
                    format_ohms(typ),
                    format_ohms(prior.min),
                    format_ohms(prior.max)
                ));
            }
            if let [first, second] = cal.models.as_slice() {
                notes.push(format!(
                    "{:.0} % of the handsets read about {} and the rest about {}: two handset models; each is judged against its own",
                    second.share * 100.0,
                    format_ohms(second.centre),
                    format_ohms(first.centre)
                ));
            }
        }
    }
    if dead {
        notes.push(
            "nothing conducted anywhere: check that the probes or the adapter really touch the terminal blocks and that the right matrix was swept".into(),
        );
    }
    for r in remarks {
        notes.push(match r {
            Remark::ProbesSwapped { reversed } => format!(
                "{reversed} crossings conduct only from E to D: were the probes swapped for the whole sweep (red on E)? Red must be on the D terminal for a forward reading"
            ),
            Remark::PoweredOrWrongBlocks { elements } => format!(
                "{elements} crossings conduct backwards: check that the panel is disconnected (never measure a powered line) and that the probes are on the D and E blocks"
            ),
            Remark::UnmappedConducts { cell, ohms } => format!(
                "{} reads {} forward though no apartment maps there: a handset or a stray connection; check --apartments and --offset",
                labels.cell_label(*cell),
                format_ohms(*ohms)
            ),
        });
    }
    // The flats behind ghosts, most suspect first, in one note.
    let behind: Vec<u32> = cannot_tell
        .iter()
        .filter(|c| c.reason == Doubt::BehindGhost)
        .filter_map(|c| match c.subject {
            Subject::Handset {
                apartment: Some(a), ..
            } => Some(a),
            _ => None,
        })
        .collect();
    let names = |f: &[u32]| f.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    match behind.len() {
        0 => {}
        1 => notes.push(format!(
            "apartment {} reads only through a sneak path: it has no handset or one hidden behind the ghost reading (a bad contact there looks the same); re-measure it after the repair",
            behind[0]
        )),
        n => {
            let list = if n <= 12 {
                names(&behind)
            } else {
                format!("{} and {} more", names(&behind[..10]), n - 10)
            };
            notes.push(format!(
                "apartments {list} read only through sneak paths, the one reading furthest under its ghost first: each has no handset or one hidden behind the ghost reading (a bad contact there looks the same); re-measure them after the repair, in that order"
            ));
        }
    }
    // Flats on touching lines, and flats whose reverse reading is a sneak path's: one note
    // each kind.
    let flats = |reason: Doubt| -> Vec<String> {
        cannot_tell
            .iter()
            .filter(|c| c.reason == reason)
            .filter_map(|c| match c.subject {
                Subject::Handset {
                    apartment: Some(a), ..
                } => Some(a.to_string()),
                _ => None,
            })
            .collect()
    };
    let touching = flats(Doubt::BehindTouchingLines);
    if !touching.is_empty() {
        let (who, it) = if touching.len() == 1 {
            ("apartment", "it")
        } else {
            ("apartments", "them")
        };
        notes.push(format!(
            "{who} {} sit on touching lines and read in parallel with their twins: a missing handset or a bad contact there does not show; re-measure {it} once the lines are separated",
            touching.join(", ")
        ));
    }
    let reverse = flats(Doubt::BehindReverseGhost);
    if !reverse.is_empty() {
        let (who, it) = if reverse.len() == 1 {
            ("apartment", "it")
        } else {
            ("apartments", "them")
        };
        notes.push(format!(
            "{who} {} read finite in reverse only through sneak paths between the faults found: a leak there would read the same; re-measure {it} in reverse after the repair (expect OL)",
            reverse.join(", ")
        ));
    }
    // Every other entry, one note each: these are what a technician must look at.
    let grouped = [
        Doubt::BehindGhost,
        Doubt::BehindTouchingLines,
        Doubt::BehindReverseGhost,
    ];
    for c in cannot_tell.iter().filter(|c| !grouped.contains(&c.reason)) {
        let whom = match c.subject {
            Subject::Handset {
                cell,
                apartment: Some(a),
            } => format!("apartment {a} ({})", labels.cell_label(cell)),
            Subject::Handset { cell, .. } => labels.cell_label(cell),
            Subject::Bus { line, .. } => labels.label(line).to_string(),
        };
        notes.push(format!(
            "cannot tell {whom} from this sweep: {}",
            c.remeasure
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::tests::layout;

    #[test]
    fn a_shorts_sentences_are_made_from_its_readings_and_ghosts() {
        let (l, _) = layout(None);
        let c = Candidate {
            subject: Subject::Handset {
                cell: Cell::new(4, 5),
                apartment: Some(45),
            },
            fault: Fault::Short,
            confidence: 0.99,
            facts: Facts::Backward {
                forward: Some(12.0),
                reverse: 12.1,
                typical: 705.0,
                ghosts: vec![Cell::new(1, 2), Cell::new(3, 3)],
            },
            twin: None,
        };
        let f = finding(c, &l, 705.0);
        assert_eq!(
            f.evidence,
            "reads 12.0 Ω forward and 12.1 Ω reverse, the same both ways, where a handset reads about 705 Ω forward and open in reverse; explains ghost readings on the empty crossings D1/E2, D3/E3"
        );
        assert!(
            f.action
                .starts_with("disconnect apartment 45 at its floor box and re-measure D4–E5")
        );
    }

    #[test]
    fn a_bad_contact_behind_a_ghost_says_what_the_sneak_paths_alone_read() {
        let (l, _) = layout(None);
        let c = Candidate {
            subject: Subject::Handset {
                cell: Cell::new(8, 4),
                apartment: Some(84),
            },
            fault: Fault::HighResistance,
            confidence: 0.97,
            facts: Facts::HighResistance {
                forward: 1059.0,
                typical: 705.0,
                behind: Some(Behind::Path {
                    low: 1390.0,
                    high: 1412.0,
                }),
            },
            twin: None,
        };
        let f = finding(c, &l, 705.0);
        assert!(
            f.evidence
                .contains("its sneak paths alone would read 1390 Ω–1412 Ω"),
            "{}",
            f.evidence
        );
    }
}
