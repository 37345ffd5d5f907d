//! The words of the diagnosis: evidence, actions, what to re-measure and sweep-wide notes,
//! each a catalogue message (`crate::i18n`, `en.ftl`/`ru.ftl`) named with the structured facts
//! it is made from (readings, crossings, lines). No sentence is written here: the message is
//! rendered in the run's language where it is shown, and in English in JSON.
//!
//! Pure: facts in, messages out.

use super::calibrate::Calibration;
use super::classify::{Candidate, Doubtful, Remark};
use super::grid::Grid;
use super::{Behind, CannotTell, Doubt, Facts, Fault, Finding, ForwardPrior, Subject};
use crate::i18n::{Arg, Message};
use crate::model::{Cell, format_ohms};
use crate::msg;
use crate::profile::Layout;

/// Two readings of a short within this fraction (or half an ohm, a display's last digit) read
/// "the same both ways".
const SAME_BOTH_WAYS: f64 = 0.03;

/// Apartments named in full in a note; the rest are counted ("… and 5 more"): a note longer
/// than a dozen numbers is not read on a staircase.
const LISTED: usize = 12;
/// A cut line is named with the doubt that all its flats simply have no handset spelled out,
/// and with a check at one flat's floor box before the wire is traced, once that doubt is
/// this large: one trip in a hundred along a whole riser for a wire that is whole is worth a
/// minute at a floor box first.
const SAY_ALL_EMPTY: f64 = 0.01;

/// Who sits on crossing `cell`, for a sentence: "apartment 45", or the crossing itself.
fn who(layout: &Layout, cell: Cell) -> Message {
    match layout.apartment(cell) {
        Some(a) => msg!("who-apartment", apartment = a.to_string()),
        None => msg!("who-unmapped", cell = layout.labels.cell_arg(cell)),
    }
}

/// A fault's name as a message value.
pub(crate) fn fault_name(f: Fault) -> Message {
    Message::new(match f {
        Fault::Short => "fault-short",
        Fault::Reversed => "fault-reversed",
        Fault::Leak => "fault-leak",
        Fault::HighResistance => "fault-high-resistance",
        Fault::Open => "fault-open",
    })
}

/// A reading in ohms as a message value.
fn ohms(v: f64) -> Arg {
    Arg::Text(format_ohms(v))
}

/// What a healthy handset of this entrance reads, as a technician re-measuring one should
/// expect it: the main model's typical reading, and the second model's where the riser has
/// one. A handset measured alone at its floor box, or re-measured once repaired, may be of
/// either; told only the main model's reading, a technician takes a healthy handset of the
/// second model for a bad one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Expected {
    /// The main model's typical forward reading, Ω.
    typ: f64,
    /// The second model's, where the entrance shows one, Ω.
    second: Option<f64>,
}

impl Expected {
    /// What the entrance's calibration says its handsets read.
    pub(super) fn of(cal: &Calibration) -> Expected {
        Expected {
            typ: cal.typ,
            second: cal.models.get(1).map(|m| m.centre),
        }
    }

    /// A handset of one model reading `typ`.
    #[cfg(test)]
    fn one_model(typ: f64) -> Expected {
        Expected { typ, second: None }
    }

    /// The reading as a message value: "705 Ω", or "692 Ω or, for the second handset model
    /// here, 1040 Ω".
    fn arg(&self) -> Arg {
        match self.second {
            None => ohms(self.typ),
            Some(second) => msg!(
                "typical-two-models",
                typical = ohms(self.typ),
                second = ohms(second)
            )
            .into(),
        }
    }
}

/// "a, b, c" of the first `LISTED` items, then "and N more".
pub(crate) fn listing<T: Into<Arg> + Clone>(items: &[T]) -> Arg {
    let shown = Arg::list(items.iter().take(LISTED).cloned());
    match items.len() {
        n if n > LISTED => msg!("list-and-more", list = shown, more = n - LISTED).into(),
        _ => shown,
    }
}

/// The finding, with its messages.
pub(super) fn finding(c: Candidate, layout: &Layout, expect: Expected) -> Finding {
    let evidence = evidence(&c, layout);
    let action = action(&c, layout, expect);
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

/// One sentence of evidence: what was read, the ghosts it explains, its twin.
fn evidence(c: &Candidate, layout: &Layout) -> Message {
    let labels = &layout.labels;
    let (what, ghosts): (Message, Arg) = match (&c.facts, &c.subject) {
        (
            Facts::Backward {
                forward,
                reverse,
                typical,
                ghosts,
            },
            _,
        ) => (
            backward(c.fault, *forward, *reverse, *typical),
            ghost_words(ghosts, layout),
        ),
        (
            Facts::HighResistance {
                forward,
                typical,
                behind,
            },
            _,
        ) => {
            let behind: Arg = match behind {
                Some(Behind::Dropped {
                    low,
                    high,
                    own_path,
                }) => {
                    let range = if *high > low * 1.005 {
                        format!("{}–{}", format_ohms(*low), format_ohms(*high))
                    } else {
                        format_ohms(*low)
                    };
                    match own_path {
                        Some(least) => msg!(
                            "evidence-behind-dropped-own",
                            range = range,
                            least = ohms(*least)
                        )
                        .into(),
                        None => msg!("evidence-behind-dropped", range = range).into(),
                    }
                }
                Some(Behind::Path { low, high }) => {
                    msg!("evidence-behind-path", low = ohms(*low), high = ohms(*high)).into()
                }
                None => Arg::Text(String::new()),
            };
            (
                msg!(
                    "evidence-high-resistance",
                    forward = ohms(*forward),
                    times = format!("{:.1}", forward / typical),
                    typical = ohms(*typical),
                    behind = behind
                ),
                Arg::Text(String::new()),
            )
        }
        (
            Facts::OpenLine {
                served,
                span,
                all_empty: (chance, empty, measured),
                ..
            },
            Subject::Bus { line, .. },
        ) => {
            let span: Arg = match span {
                Some((a, b)) => {
                    msg!("evidence-span", first = a.to_string(), last = b.to_string()).into()
                }
                None => Arg::Text(String::new()),
            };
            let (served, line) = (*served, labels.line_arg(*line));
            let evidence = if *chance >= SAY_ALL_EMPTY {
                msg!(
                    "evidence-open-line-or-empty",
                    served = served,
                    line = line,
                    span = span,
                    chance = format!("{:.0}", chance * 100.0),
                    empty = *empty,
                    measured = *measured
                )
            } else {
                msg!(
                    "evidence-open-line",
                    served = served,
                    line = line,
                    span = span
                )
            };
            (evidence, Arg::Text(String::new()))
        }
        (
            Facts::BusShortMeasured { ohms: r },
            Subject::Bus {
                line,
                other: Some(other),
            },
        ) => (
            msg!(
                "evidence-bus-measured",
                lines = labels.lines_arg(*line, *other),
                ohms = ohms(*r)
            ),
            Arg::Text(String::new()),
        ),
        (
            Facts::Joined {
                via,
                crossings,
                touching,
            },
            Subject::Bus {
                line,
                other: Some(other),
            },
        ) => {
            let [(a, _, ra), (b, _, rb)] = *crossings;
            (
                msg!(
                    "evidence-joined",
                    first = labels.cell_arg(a),
                    second = labels.cell_arg(b),
                    first_ohms = ohms(ra),
                    second_ohms = ohms(rb),
                    a = labels.line_arg(*line),
                    b = labels.line_arg(*other),
                    via = labels.line_arg(*via),
                    shorts_share = format!("{:.0}", (1.0 - touching) * 100.0),
                    touching_share = format!("{:.0}", touching * 100.0)
                ),
                Arg::Text(String::new()),
            )
        }
        (
            Facts::BusShortAlike { matched, within },
            Subject::Bus {
                line,
                other: Some(other),
            },
        ) => (
            msg!(
                "evidence-bus-alike",
                a = labels.line_arg(*line),
                b = labels.line_arg(*other),
                matched = *matched,
                within = format!("{:.1}", within * 100.0)
            ),
            Arg::Text(String::new()),
        ),
        _ => (Message::new("evidence-none"), Arg::Text(String::new())),
    };
    let twin: Arg = match (&c.twin, &c.subject) {
        (Some(t), Subject::Handset { cell, .. }) => match (t.apartment, t.sided, t.unoccupied) {
            (None, ..) => msg!("evidence-twin-unmapped", twin = labels.cell_arg(t.cell)).into(),
            (Some(_), _, Some(more)) => msg!(
                "evidence-twin-unoccupied",
                twin = labels.cell_arg(t.cell),
                cell = labels.cell_arg(*cell),
                ohms = ohms(more)
            )
            .into(),
            (Some(_), Some(sided), None) => msg!(
                "evidence-twin-sided",
                twin = labels.cell_arg(t.cell),
                cell = labels.cell_arg(*cell),
                ohms = ohms(sided)
            )
            .into(),
            (Some(_), None, None) => msg!(
                "evidence-twin-higher",
                twin = labels.cell_arg(t.cell),
                cell = labels.cell_arg(*cell)
            )
            .into(),
        },
        _ => Arg::Text(String::new()),
    };
    msg!("evidence-parts", what = what, ghosts = ghosts, twin = twin)
}

/// What a handset that conducts from E to D read, against a healthy one.
fn backward(fault: Fault, forward: Option<f64>, r: f64, typ: f64) -> Message {
    let nothing = || -> Arg { Message::new("reading-nothing").into() };
    let open = || -> Arg { Message::new("reading-open").into() };
    match (fault, forward) {
        (Fault::Short, Some(f)) if (f - r).abs() <= (SAME_BOTH_WAYS * f.max(r)).max(0.5) => msg!(
            "evidence-short-same",
            forward = ohms(f),
            reverse = ohms(r),
            typical = ohms(typ)
        ),
        (Fault::Short, f) => msg!(
            "evidence-short-low",
            forward = f.map_or_else(nothing, ohms),
            reverse = ohms(r),
            typical = ohms(typ)
        ),
        (Fault::Leak, f) => msg!(
            "evidence-leak",
            forward = f.map_or_else(open, ohms),
            reverse = ohms(r)
        ),
        (_, Some(f)) if f <= typ * 1.5 => msg!(
            "evidence-reversed-like-handset",
            forward = ohms(f),
            reverse = ohms(r)
        ),
        (_, f) => msg!(
            "evidence-reversed",
            reverse = ohms(r),
            forward = f.map_or_else(open, |f| msg!("reading-sneak-path", ohms = ohms(f)).into())
        ),
    }
}

/// The ghost readings a faulty handset explains: named up to four, else counted.
fn ghost_words(ghosts: &[Cell], layout: &Layout) -> Arg {
    let names: Vec<Arg> = ghosts.iter().map(|g| layout.labels.cell_arg(*g)).collect();
    match names.len() {
        0 => Arg::Text(String::new()),
        1..=4 => msg!("evidence-ghosts", n = names.len(), cells = Arg::List(names)).into(),
        n => msg!("evidence-ghosts-counted", n = n).into(),
    }
}

/// What to do next, in the field.
fn action(c: &Candidate, layout: &Layout, expect: Expected) -> Message {
    let labels = &layout.labels;
    match &c.subject {
        Subject::Handset { cell, .. } => {
            let (who, pair) = (who(layout, *cell), labels.pair_arg(*cell));
            match c.fault {
                Fault::Short => msg!("action-short", who = who, pair = pair),
                Fault::Reversed => {
                    msg!(
                        "action-reversed",
                        who = who,
                        pair = pair,
                        typical = expect.arg()
                    )
                }
                Fault::Leak => msg!("action-leak", who = who, pair = pair),
                Fault::HighResistance | Fault::Open => {
                    msg!(
                        "action-bad-contact",
                        who = who,
                        pair = pair,
                        typical = expect.arg()
                    )
                }
            }
        }
        Subject::Bus { line, other: None } => {
            let check_first = matches!(c.facts,
                Facts::OpenLine { all_empty: (chance, ..), .. } if chance >= SAY_ALL_EMPTY);
            let (line, typical) = (labels.line_arg(*line), expect.arg());
            match check_first {
                true => msg!(
                    "action-open-line-check-first",
                    line = line,
                    typical = typical
                ),
                false => msg!("action-open-line", line = line, typical = typical),
            }
        }
        Subject::Bus {
            line,
            other: Some(other),
        } => {
            let (a, b) = (labels.line_arg(*line), labels.line_arg(*other));
            let lines = labels.lines_arg(*line, *other);
            match c.facts {
                Facts::Joined { crossings, .. } => {
                    let [(first, _, _), (second, _, _)] = crossings;
                    msg!(
                        "action-joined",
                        first_who = who(layout, first),
                        second_who = who(layout, second),
                        first_pair = labels.pair_arg(first),
                        second_pair = labels.pair_arg(second),
                        a = a,
                        b = b,
                        lines = lines
                    )
                }
                Facts::BusShortAlike { .. } => {
                    msg!("action-bus-alike", a = a, b = b, lines = lines)
                }
                _ => msg!("action-bus-short", a = a, b = b, lines = lines),
            }
        }
    }
}

/// The cannot-tell entry, with what to re-measure.
pub(super) fn cannot_tell(d: Doubtful, g: &Grid, layout: &Layout, expect: Expected) -> CannotTell {
    let labels = &layout.labels;
    let t = expect.arg();
    let remeasure = match &d.subject {
        Subject::Handset { cell, .. } => {
            let (who, pair) = (who(layout, *cell), labels.pair_arg(*cell));
            let i = g.idx(cell.tens as usize, cell.units as usize);
            let reading = |r: Option<crate::model::Reading>| -> Arg {
                r.map_or_else(
                    || Message::new("reading-nothing").into(),
                    |r| match r.ohms() {
                        Some(v) => ohms(v),
                        None => Arg::Text("OL".into()),
                    },
                )
            };
            let (f, r) = (reading(g.forward[i]), reading(g.reverse[i]));
            // The twin crossing as the sentence names it.
            let twin_named = || {
                d.twin.map_or_else(
                    || Message::new("twin-unknown"),
                    |c| {
                        msg!(
                            "twin-named",
                            cell = labels.cell_arg(c),
                            who = self::who(layout, c)
                        )
                    },
                )
            };
            match d.reason {
                Doubt::BehindGhost => {
                    msg!(
                        "remeasure-behind-ghost",
                        pair = pair,
                        forward = f,
                        typical = t
                    )
                }
                Doubt::MaybeBadContact => msg!(
                    "remeasure-maybe-bad-contact",
                    pair = pair,
                    forward = f,
                    who = who,
                    typical = t
                ),
                Doubt::MaybeHighResistance => msg!(
                    "remeasure-maybe-high-resistance",
                    pair = pair,
                    forward = f,
                    who = who,
                    typical = t
                ),
                Doubt::BehindReverseGhost if d.fault == Some(Fault::Short) => msg!(
                    "remeasure-behind-bare-ghost",
                    pair = pair,
                    forward = f,
                    reverse = r
                ),
                Doubt::BehindReverseGhost => {
                    msg!("remeasure-behind-reverse-ghost", pair = pair, reverse = r)
                }
                Doubt::UnclearKind => msg!(
                    "remeasure-unclear-kind",
                    pair = pair,
                    forward = f,
                    reverse = r,
                    who = who
                ),
                Doubt::SuspectReading => {
                    msg!("remeasure-suspect", pair = pair, forward = f, reverse = r)
                }
                Doubt::TwinCrossing | Doubt::TwinThroughShorts | Doubt::TwinJoinedLines => {
                    let other = twin_named();
                    let fault = d
                        .fault
                        .map_or_else(|| Message::new("fault-any"), fault_name);
                    match d.reason {
                        Doubt::TwinThroughShorts => {
                            msg!(
                                "remeasure-twin-shorts",
                                pair = pair,
                                other = other,
                                fault = fault
                            )
                        }
                        Doubt::TwinJoinedLines => {
                            msg!(
                                "remeasure-twin-joined",
                                pair = pair,
                                other = other,
                                fault = fault
                            )
                        }
                        _ => msg!("remeasure-twin", pair = pair, other = other, fault = fault),
                    }
                }
                Doubt::ReversedBehindShorts => {
                    let other = twin_named();
                    msg!(
                        "remeasure-reversed-behind-shorts",
                        pair = pair,
                        reverse = r,
                        other = other
                    )
                }
                Doubt::BehindTouchingLines => {
                    msg!("remeasure-behind-touching", pair = pair, typical = t)
                }
                Doubt::ShortOrTwin => {
                    let other = d.twin.map_or_else(
                        || Message::new("short-another"),
                        |c| match layout.apartment(c) {
                            Some(_) => msg!(
                                "short-at",
                                cell = labels.cell_arg(c),
                                who = self::who(layout, c)
                            ),
                            // No handset hangs there to be shorted (`twins::twin_with_no_flat`).
                            None => msg!("short-at-unmapped", cell = labels.cell_arg(c)),
                        },
                    );
                    msg!(
                        "remeasure-short-or-twin",
                        pair = pair,
                        forward = f,
                        reverse = r,
                        other = other
                    )
                }
                Doubt::LineOrEmptyFlats | Doubt::MaybeTouching | Doubt::JoinedUnplaced => {
                    msg!("remeasure-both-ways", pair = pair)
                }
            }
        }
        Subject::Bus { line, other } => match (d.reason, other) {
            // The other explanation of two lines joined through shorts at both crossings.
            (Doubt::ShortOrTwin, Some(o)) if d.twin.is_none() => msg!(
                "remeasure-joined-touching",
                a = labels.line_arg(*line),
                b = labels.line_arg(*o),
                lines = labels.lines_arg(*line, *o)
            ),
            (Doubt::ShortOrTwin, Some(o)) => msg!(
                "remeasure-touching-or-short",
                a = labels.line_arg(*line),
                b = labels.line_arg(*o),
                lines = labels.lines_arg(*line, *o),
                cell = d.twin.map_or_else(
                    || Message::new("short-another"),
                    |c| msg!("crossing-at", cell = labels.cell_arg(c)),
                )
            ),
            (Doubt::JoinedUnplaced, Some(o)) => msg!(
                "remeasure-joined-unplaced",
                a = labels.line_arg(*line),
                b = labels.line_arg(*o),
                lines = labels.lines_arg(*line, *o)
            ),
            (Doubt::MaybeTouching, Some(o)) => msg!(
                "remeasure-maybe-touching",
                a = labels.line_arg(*line),
                b = labels.line_arg(*o),
                lines = labels.lines_arg(*line, *o)
            ),
            _ => msg!("remeasure-line-or-empty", line = labels.line_arg(*line)),
        },
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
) -> Vec<Message> {
    let labels = &layout.labels;
    let mut notes = Vec::new();
    let (min, max) = (ohms(prior.min), ohms(prior.max));
    match cal.typical {
        None => notes.push(msg!("note-no-calibration", min = min, max = max)),
        Some(typ) => {
            if cal.handsets < 3 {
                notes.push(msg!(
                    "note-few-handsets",
                    n = cal.handsets,
                    typical = ohms(typ)
                ));
            }
            if typ < prior.min * 0.8 || typ > prior.max * 1.25 {
                notes.push(msg!(
                    "note-outside-nominal",
                    typical = ohms(typ),
                    min = min,
                    max = max
                ));
            }
            if let [first, second] = cal.models.as_slice() {
                notes.push(msg!(
                    "note-two-models",
                    share = format!("{:.0}", second.share * 100.0),
                    second = ohms(second.centre),
                    first = ohms(first.centre)
                ));
            }
        }
    }
    if dead {
        notes.push(Message::new("note-dead"));
    }
    for r in remarks {
        notes.push(match r {
            Remark::ProbesSwapped { reversed } => msg!("note-probes-swapped", n = *reversed),
            Remark::PoweredOrWrongBlocks { elements } => msg!("note-powered", n = *elements),
            Remark::UnmappedConducts { cell, ohms: r } => msg!(
                "note-unmapped-conducts",
                cell = labels.cell_arg(*cell),
                ohms = ohms(*r)
            ),
        });
    }
    // Flats behind ghosts (most suspect first), on touching lines, and whose reverse reading
    // is a sneak path's: one note each kind.
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
    for (reason, key) in [
        (Doubt::BehindGhost, "note-behind-ghost"),
        (Doubt::BehindTouchingLines, "note-behind-touching"),
        (Doubt::BehindReverseGhost, "note-behind-reverse-ghost"),
    ] {
        let list = flats(reason);
        if !list.is_empty() {
            notes.push(
                Message::new(key)
                    .arg("n", list.len())
                    .arg("list", listing(&list)),
            );
        }
    }
    // Every other entry, one note each: these are what a technician must look at.
    let grouped = [
        Doubt::BehindGhost,
        Doubt::BehindTouchingLines,
        Doubt::BehindReverseGhost,
    ];
    for c in cannot_tell.iter().filter(|c| !grouped.contains(&c.reason)) {
        notes.push(msg!(
            "note-cannot-tell",
            whom = whom(&c.subject, labels),
            remeasure = c.remeasure.clone()
        ));
    }
    notes
}

/// Who a finding or doubt is about, as a sentence names it: "apartment 48 (D4/E8)", a
/// crossing with no apartment, a line or two lines.
pub(super) fn whom(subject: &Subject, labels: &crate::profile::LineLabels) -> Arg {
    match *subject {
        Subject::Handset {
            cell,
            apartment: Some(a),
        } => msg!(
            "whom-apartment",
            apartment = a.to_string(),
            cell = labels.cell_arg(cell)
        )
        .into(),
        Subject::Handset { cell, .. } => labels.cell_arg(cell),
        Subject::Bus {
            line,
            other: Some(o),
        } => labels.lines_arg(line, o),
        Subject::Bus { line, .. } => labels.line_arg(line),
    }
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
        let f = finding(c, &l, Expected::one_model(705.0));
        assert_eq!(
            f.evidence.en(),
            "reads 12.0 Ω forward and 12.1 Ω reverse, the same both ways, where a handset reads about 705 Ω forward and open in reverse; explains ghost readings on the empty crossings D1/E2, D3/E3"
        );
        assert!(
            f.action
                .en()
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
        let f = finding(c, &l, Expected::one_model(705.0));
        assert!(
            f.evidence
                .en()
                .contains("its sneak paths alone would read 1390 Ω–1412 Ω"),
            "{}",
            f.evidence
        );
    }

    #[test]
    fn a_technician_is_told_what_either_handset_model_of_the_entrance_reads() {
        // Seeds 204-205, flat 322: a quarter of the handsets read about 1040 Ω, the rest
        // 692 Ω. Told only 692 Ω, a technician takes a healthy handset of the second model,
        // measured alone at its floor box, for a bad one.
        let (l, _) = layout(None);
        let expect = Expected {
            typ: 692.0,
            second: Some(1040.0),
        };
        let c = Candidate {
            subject: Subject::Handset {
                cell: Cell::new(4, 3),
                apartment: Some(43),
            },
            fault: Fault::Reversed,
            confidence: 0.99,
            facts: Facts::Backward {
                forward: None,
                reverse: 1035.0,
                typical: 692.0,
                ghosts: vec![],
            },
            twin: None,
        };
        let f = finding(c.clone(), &l, expect);
        assert!(
            (f.action.en()).ends_with(
                "expect about 692 Ω or, for the second handset model here, 1040 Ω forward and OL in reverse"
            ),
            "{}",
            f.action
        );
        let ru = f.action.render(crate::i18n::Lang::Ru);
        assert!(
            ru.contains("692 Ω или, у второй модели трубок здесь, 1040 Ω"),
            "{ru}"
        );
        // With one model, the one reading.
        let one = finding(c, &l, Expected::one_model(692.0));
        assert!(
            (one.action.en()).ends_with("expect about 692 Ω forward and OL in reverse"),
            "{}",
            one.action
        );
    }
}
