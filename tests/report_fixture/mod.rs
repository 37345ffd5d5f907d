//! A fixed building report for the exporter and browser tests: two entrances with a hand-made
//! diagnosis each (not the engine's, which changes), covering every cell state and both kinds
//! of finding. Shared by `tests/report_exporters.rs` and `tests/html_browser.rs`.

#![allow(dead_code)]

use kmdiag::diagnose::{
    CannotTell, CellReport, CellState, Diagnosis, Doubt, Facts, Fault, Finding, Measured, Subject,
};
use kmdiag::export::{EntranceReport, Report};
use kmdiag::i18n::Arg;
use kmdiag::model::{Cell, Measurement, Reading, Sweep, Terminal};
use kmdiag::msg;
use kmdiag::profile::{Layout, LayoutSpec, parse_apartments, resolve};

fn layout(profile: &str, offset: i64, apartments: &str) -> Layout {
    let p = resolve(profile).expect("built-in profile");
    let s = p.switch(None).expect("default switch").clone();
    let spec = LayoutSpec {
        offset,
        apartments: Some(parse_apartments(apartments).expect("range")),
        ..Default::default()
    };
    Layout::build(&p, &s, &spec).expect("layout")
}

/// Labels of an Eltis board, kept as printed (Latin) in every language, as the profile says.
fn eltis(label: &str) -> Arg {
    Arg::Line {
        label: label.into(),
        localize: false,
    }
}

/// Readings of one cell: (forward, reverse), `None` = not measured.
type Readings = (Option<Reading>, Option<Reading>);

#[allow(clippy::too_many_arguments)]
fn build(
    entrance: &str,
    measured_at: &str,
    layout: Layout,
    source: &str,
    special: &[(Cell, CellState, Readings)],
    absent: &[u32],
    findings: Vec<Finding>,
) -> EntranceReport {
    let mut sweep = Sweep::new(layout.tens(), layout.units());
    let mut cells = Vec::new();
    for cell in layout.cells() {
        let apartment = layout.apartment(cell);
        let (state, (forward, reverse)) = match special.iter().find(|s| s.0 == cell) {
            Some((_, state, readings)) => (*state, *readings),
            None => match apartment {
                None => (
                    CellState::Unused,
                    (Some(Reading::Open), Some(Reading::Open)),
                ),
                Some(a) if absent.contains(&a) => (
                    CellState::Absent,
                    (Some(Reading::Open), Some(Reading::Open)),
                ),
                Some(a) => (
                    CellState::Ok,
                    (
                        Some(Reading::Ohms(690.0 + f64::from(a % 7) * 5.5)),
                        Some(Reading::Open),
                    ),
                ),
            },
        };
        let (d, e) = (Terminal::tens(cell.tens), Terminal::units(cell.units));
        if let Some(r) = forward {
            sweep
                .record(Measurement {
                    plus: d,
                    minus: e,
                    reading: r,
                })
                .expect("inside the matrix");
        }
        if let Some(r) = reverse {
            sweep
                .record(Measurement {
                    plus: e,
                    minus: d,
                    reading: r,
                })
                .expect("inside the matrix");
        }
        cells.push(CellReport {
            cell,
            apartment,
            state,
            forward,
            reverse,
        });
    }
    for (plus, minus) in [
        (Terminal::tens(0), Terminal::tens(1)),
        (Terminal::units(0), Terminal::units(1)),
    ] {
        sweep
            .record(Measurement {
                plus,
                minus,
                reading: Reading::Open,
            })
            .expect("inside the matrix");
    }
    EntranceReport {
        entrance: Some(entrance.to_string()),
        source: source.to_string(),
        meter: Some("UNI-T UT61E (ES51922)".to_string()),
        measured_at: Some(measured_at.to_string()),
        notes: vec!["key to the low-current cabinet at the concierge".to_string()],
        layout,
        sweep,
        diagnosis: Diagnosis {
            typical_forward_ohms: Some(705.0),
            findings,
            cells,
            notes: Vec::new(),
            cannot_tell: Vec::new(),
            remeasure: Vec::new(),
            measured: Measured {
                noise: 0.002,
                noise_from: 0,
                wiring: None,
                ..Measured::default()
            },
            ..Diagnosis::default()
        },
    }
}

/// Entrance 2: Vizit BK-100, flats 73–144 at offset 72; apartment 117 (D4/E5) shorted with
/// ghosts on empty crossings, 130 (D5/E8) a bad contact, 140 (D6/E8) not measured.
pub fn entrance_two() -> EntranceReport {
    let l = layout("vizit", 72, "73-144");
    let ohms = |v: f64| Some(Reading::Ohms(v));
    let ol = Some(Reading::Open);
    let special = [
        (Cell::new(4, 5), CellState::Short, (ohms(12.0), ohms(11.0))),
        (Cell::new(1, 8), CellState::Ghost, (ohms(1450.0), ol)),
        (Cell::new(4, 1), CellState::Ghost, (ohms(1420.0), ol)),
        (
            Cell::new(5, 8),
            CellState::HighResistance,
            (ohms(4800.0), ol),
        ),
        (Cell::new(6, 8), CellState::NotMeasured, (None, None)),
    ];
    let findings = vec![
        Finding {
            subject: Subject::Handset {
                cell: Cell::new(4, 5),
                apartment: Some(117),
            },
            fault: Fault::Short,
            confidence: 0.93,
            facts: Facts::Backward {
                forward: Some(12.0),
                reverse: 11.0,
                typical: 705.0,
                ghosts: vec![Cell::new(1, 8), Cell::new(4, 1)],
            },
            twin: None,
            evidence: msg!(
                "evidence-parts",
                what = msg!(
                    "evidence-short-low",
                    forward = "12.0 Ω",
                    reverse = "11.0 Ω",
                    typical = "705 Ω"
                ),
                ghosts = msg!(
                    "evidence-ghosts",
                    n = 2u32,
                    cells = Arg::list([Arg::line("D1/E8"), Arg::line("D4/E1")])
                ),
                twin = ""
            ),
            action: msg!(
                "action-short",
                who = msg!("who-apartment", apartment = "117"),
                pair = Arg::line("D4–E5")
            ),
        },
        Finding {
            subject: Subject::Handset {
                cell: Cell::new(5, 8),
                apartment: Some(130),
            },
            fault: Fault::HighResistance,
            confidence: 0.71,
            facts: Facts::HighResistance {
                forward: 4800.0,
                typical: 705.0,
                behind: None,
            },
            twin: None,
            evidence: msg!(
                "evidence-parts",
                what = msg!(
                    "evidence-high-resistance",
                    forward = "4.80 kΩ | 4.75 kΩ",
                    times = "6.8",
                    typical = "705 Ω",
                    behind = ""
                ),
                ghosts = "",
                twin = ""
            ),
            action: msg!(
                "action-bad-contact",
                who = msg!("who-apartment", apartment = "130"),
                pair = Arg::line("D5–E8"),
                typical = "705 Ω"
            ),
        },
    ];
    let mut e = build(
        "2",
        "2026-11-18T10:42:00+03:00",
        l,
        "sweeps/entrance-2.csv",
        &special,
        &[75, 88, 90, 101, 113, 122, 133],
        findings,
    );
    // Apartment 90 (D1/E8) reads only through the short's sneak path.
    e.diagnosis.cannot_tell.push(CannotTell {
        subject: Subject::Handset {
            cell: Cell::new(1, 8),
            apartment: Some(90),
        },
        reason: Doubt::BehindGhost,
        fault: Some(Fault::HighResistance),
        fault_probability: 0.02,
        after_repair: true,
        remeasure: msg!(
            "remeasure-behind-ghost",
            pair = Arg::line("D1–E8"),
            forward = "1450 Ω",
            typical = "705 Ω"
        ),
    });
    e.diagnosis.remeasure.push(90);
    e
}

/// Entrance 3: Eltis, flats 145–216 at offset 144; units line E9 broken, apartment 160
/// (D1/E6) reversed, 171 (D2/E7) leaking.
pub fn entrance_three() -> EntranceReport {
    let l = layout("eltis", 144, "145-216");
    let ohms = |v: f64| Some(Reading::Ohms(v));
    let ol = Some(Reading::Open);
    let mut special = vec![
        (Cell::new(1, 6), CellState::Reversed, (ol, ohms(702.0))),
        (
            Cell::new(2, 7),
            CellState::Leak,
            (ohms(698.0), ohms(220_000.0)),
        ),
    ];
    for t in 0..7 {
        special.push((Cell::new(t, 9), CellState::Open, (ol, ol)));
    }
    let findings = vec![
        Finding {
            subject: Subject::Bus {
                line: Terminal::units(9),
                other: None,
            },
            fault: Fault::Open,
            confidence: 0.85,
            facts: Facts::OpenLine {
                served: 7,
                span: None,
                typical: 705.0,
                all_empty: (0.0001, 5, 53),
            },
            twin: None,
            evidence: msg!(
                "evidence-parts",
                what = msg!(
                    "evidence-open-line",
                    served = 7u32,
                    line = eltis("E9"),
                    span = ""
                ),
                ghosts = "",
                twin = ""
            ),
            action: msg!("action-open-line", line = eltis("E9"), typical = "705 Ω"),
        },
        Finding {
            subject: Subject::Handset {
                cell: Cell::new(1, 6),
                apartment: Some(160),
            },
            fault: Fault::Reversed,
            confidence: 0.88,
            facts: Facts::Backward {
                forward: None,
                reverse: 702.0,
                typical: 705.0,
                ghosts: Vec::new(),
            },
            twin: None,
            evidence: msg!(
                "evidence-parts",
                what = msg!(
                    "evidence-reversed",
                    reverse = "702 Ω",
                    forward = msg!("reading-open")
                ),
                ghosts = "",
                twin = ""
            ),
            action: msg!(
                "action-reversed",
                who = msg!("who-apartment", apartment = "160"),
                pair = eltis("D1–E6"),
                typical = "705 Ω"
            ),
        },
        Finding {
            subject: Subject::Handset {
                cell: Cell::new(2, 7),
                apartment: Some(171),
            },
            fault: Fault::Leak,
            confidence: 0.64,
            facts: Facts::Backward {
                forward: Some(700.0),
                reverse: 220e3,
                typical: 705.0,
                ghosts: Vec::new(),
            },
            twin: None,
            evidence: msg!(
                "evidence-parts",
                what = msg!("evidence-leak", forward = "700 Ω", reverse = "220 kΩ"),
                ghosts = "",
                twin = ""
            ),
            action: msg!(
                "action-leak",
                who = msg!("who-apartment", apartment = "171"),
                pair = eltis("D2–E7")
            ),
        },
    ];
    build(
        "3",
        "2026-11-20T15:05:00+03:00",
        l,
        "sweeps/entrance-3.csv",
        &special,
        &[150, 199],
        findings,
    )
}

/// One sweep, one entrance, no building (as `report SWEEP.csv` makes it).
pub fn single() -> Report {
    Report {
        building: None,
        date: Some("2026-11-21".to_string()),
        notes: Vec::new(),
        entrances: vec![entrance_two()],
        not_checked: Vec::new(),
    }
}

/// A building with two entrances.
pub fn building() -> Report {
    Report {
        building: Some("ул. Ленина, 12".to_string()),
        date: Some("2026-11-21".to_string()),
        notes: vec!["panel replaced in 2024 <Vizit BVD-M201>".to_string()],
        entrances: vec![entrance_two(), entrance_three()],
        not_checked: Vec::new(),
    }
}
