//! Every sentence the live sweep says to the technician, built from facts: the guided run's
//! notes and status line, and the start, stop, resume and skip messages of `kmdiag sweep`.
//! English for now; this is the one file the Russian message catalogue replaces later.
//!
//! Pure: facts in, text out.

use crate::acquire::capture::{Note, Point, Problem, Status};
use crate::acquire::source::Seconds;
use crate::model::{Cell, LineKind};
use crate::profile::Layout;
use std::path::Path;
use std::time::Duration;

/// "1 point", "3 points".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "D3 and E7": the two terminals of a point, as printed on the board.
fn terminals(layout: &Layout, (plus, minus): Point) -> String {
    let l = &layout.labels;
    format!("{} and {}", l.label(plus), l.label(minus))
}

/// "D3 → E7": a point, red first.
fn arrow(layout: &Layout, (plus, minus): Point) -> String {
    let l = &layout.labels;
    format!("{} → {}", l.label(plus), l.label(minus))
}

/// "red on D3, black on E7 — apartment 37", with the labels as printed on the board;
/// " (reverse)" when red is on the E line.
pub fn point(layout: &Layout, (plus, minus): Point) -> String {
    let labels = &layout.labels;
    let mut text = format!(
        "red on {}, black on {}",
        labels.label(plus),
        labels.label(minus)
    );
    let cell = match (plus.kind, minus.kind) {
        (LineKind::Tens, LineKind::Units) => Some(Cell::new(plus.index, minus.index)),
        (LineKind::Units, LineKind::Tens) => Some(Cell::new(minus.index, plus.index)),
        _ => None,
    };
    match cell {
        Some(c) => match layout.apartment(c) {
            Some(a) => text.push_str(&format!(" — apartment {a}")),
            None => text.push_str(" — no apartment on this crossing"),
        },
        None => text.push_str(" — bus check"),
    }
    if matches!((plus.kind, minus.kind), (LineKind::Units, LineKind::Tens)) {
        text.push_str(" (reverse)");
    }
    text
}

/// The help line shown when the guided run starts.
pub fn help() -> &'static str {
    "keys: Enter or space = take the reading shown (an OL crossing, or one that reads like the \
     last point), r = redo the last point, s = skip, q = stop and keep the file; \
     к ы й ф on the Russian layout work as r s q a. Clip the black probe on: it stays on one \
     terminal for a whole row, and your free hand is for the keys"
}

/// The announcement of `--auto-open`.
pub fn auto_open(readings: usize, interval: Duration) -> String {
    format!(
        "auto-open is on: OL is recorded without a key after {} in a row (about {}); probes in \
         the air read OL too, so keep them on the terminals until the bell",
        plural(readings, "OL reading", "OL readings"),
        Seconds(interval * readings as u32)
    )
}

/// The line that opens a guided run.
pub fn guided_start(meter: &str, port: &str, points: usize) -> String {
    format!(
        "guided sweep with the {meter} on {port}: {} to measure",
        plural(points, "point", "points")
    )
}

/// Lines left out because no apartment is on them.
pub fn lines_left_out(labels: &[String]) -> String {
    let (this, carry) = if labels.len() == 1 {
        ("line", "carries")
    } else {
        ("lines", "carry")
    };
    format!(
        "{this} {} {carry} no apartment and {} not measured (--all-crossings measures every crossing)",
        labels.join(", "),
        if labels.len() == 1 { "is" } else { "are" }
    )
}

/// What the file holds when a run resumes.
pub fn resume_holds(out: &Path, have: usize, total: usize) -> String {
    let left = total.saturating_sub(have);
    format!(
        "{} holds {have} of {total} readings; measuring the remaining {}",
        out.display(),
        plural(left, "reading", "readings")
    )
}

/// The file holds everything already.
pub fn already_complete(out: &Path, total: usize) -> String {
    format!(
        "{} already holds all {total} readings; diagnosing it",
        out.display()
    )
}

/// Points skipped at the end of a run.
pub fn skipped_points(n: usize) -> String {
    format!(
        "{} skipped; run the same command with --resume to measure {}",
        plural(n, "point was", "points were"),
        if n == 1 { "it" } else { "them" }
    )
}

/// A row cut short at the end of a file to resume, dropped.
pub fn cut_row_dropped(out: &Path, tail: &[u8]) -> String {
    format!(
        "{}: the last row is incomplete ({:?}); it is dropped and measured again",
        out.display(),
        String::from_utf8_lossy(tail)
    )
}

/// Garbled data from the meter (said once in a row).
pub fn garbled(problem: &str) -> String {
    format!("garbled data from the meter ({problem}); check the cable if this repeats")
}

/// Lines the adapter had to send again.
pub fn adapter_noise(lines: u64) -> String {
    format!(
        "{} from the adapter {} asked for again; a noisy cable",
        plural(lines as usize, "garbled line", "garbled lines"),
        if lines == 1 { "was" } else { "were" }
    )
}

/// Why a run stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The technician pressed `q`.
    Stopped,
    /// Ctrl-C.
    Interrupted,
    /// The meter or port failed (the error says how).
    Failed,
}

/// The message when a run stops early: what the file keeps, and how to go on.
pub fn stopped(why: Why, out: &Path, have: usize, total: usize) -> String {
    let left = total.saturating_sub(have);
    let what = match why {
        Why::Stopped => "sweep stopped by the technician",
        Why::Interrupted => "sweep interrupted (Ctrl-C)",
        Why::Failed => "the sweep stopped",
    };
    format!(
        "{what}; {} keeps {have} of {total} readings; run the same command with --resume to measure the remaining {}",
        out.display(),
        plural(left, "reading", "readings")
    )
}

/// A note of the guided run in words.
pub fn note(layout: &Layout, n: &Note) -> String {
    match n {
        Note::VoltageCheck { point } => format!(
            "disconnect the panel from the switch; checking for voltage: turn the meter to DC \
             volts (V⎓), put the probes on {}, and press Enter when it reads 0 V",
            terminals(layout, *point)
        ),
        Note::VoltageFirst { point } => format!(
            "the voltage check comes first: meter on DC volts, probes on {}, then Enter once it \
             reads 0 V",
            terminals(layout, *point)
        ),
        Note::NoVoltage { volts, point } => format!(
            "no voltage between {} ({volts:.2} V); turn the dial to Ω",
            terminals(layout, *point)
        ),
        Note::Prompt {
            index,
            total,
            point: p,
            lift_first,
        } => {
            let mut text = format!("next {}/{total}: {}", index + 1, point(layout, *p));
            if *lift_first {
                text.push_str("; lift the probes first");
            }
            text
        }
        Note::Captured { point, reading } => {
            format!("captured {}: {reading}", arrow(layout, *point))
        }
        Note::Held {
            point,
            reading,
            previous,
        } => format!(
            "reads {reading}, like the last point ({previous}): press Enter if the probes are on \
             {}, or move them",
            terminals(layout, *point)
        ),
        Note::WaitForReading => {
            "no reading since the prompt yet; press Enter once the meter shows the new point".into()
        }
        Note::NotSteady { reading } => format!(
            "the reading is still changing ({reading}); press Enter again to take it as it is, or \
             wait for it to settle"
        ),
        Note::LiftFirst { point } => format!(
            "lift the probes off the terminals first, then put them on {}: the meter must show \
             them move",
            terminals(layout, *point)
        ),
        Note::Skipped { point: p } => format!("skipped {}", point(layout, *p)),
        Note::Redo { point } => {
            format!("measuring the last point again: {}", arrow(layout, *point))
        }
        Note::NothingToRedo => "nothing to redo: this is the first point of this run".into(),
        Note::RedoSaved { point } => format!(
            "only the last point can be measured again; {} is in the file already",
            arrow(layout, *point)
        ),
        Note::Problem(Problem::Mode(p)) => p.to_string(),
        Note::Problem(Problem::NotLive(flag)) => format!(
            "the meter shows {flag}: the display does not follow the probes; press {flag} to \
             switch it off"
        ),
        Note::ProblemGone => "the meter reads resistance again".into(),
    }
}

/// The live status line in words.
pub fn status(s: &Status) -> String {
    match s {
        Status::SetVolts => "voltage check: turn the meter to DC volts (V⎓)".into(),
        Status::Volts { volts } => {
            format!("{volts:.2} V — press Enter if the probes touch both terminals")
        }
        Status::Powered => "the line is powered — disconnect the panel".into(),
        Status::TurnToOhms => "no voltage — turn the dial to Ω".into(),
        Status::Problem => "the display cannot be used (see above)".into(),
        Status::LiftFirst { reading } => format!("{reading} — lift the probes first"),
        Status::StillOnLastPoint { reading } => {
            format!("{reading} — still the last point: move the probes")
        }
        Status::Settling {
            reading,
            have,
            need,
        } => format!("{reading}  steady {have}/{need}"),
        Status::OpenAwaitingKey => "OL — press Enter (or space) when the probes are on".into(),
        Status::AutoOpen { have, need } => format!("OL  {have}/{need} (auto-open)"),
        Status::Held { reading } => format!("{reading} — like the last point: Enter takes it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_counts_read_right() {
        assert_eq!(plural(1, "point", "points"), "1 point");
        assert_eq!(plural(0, "point", "points"), "0 points");
        assert_eq!(
            skipped_points(1),
            "1 point was skipped; run the same command with --resume to measure it"
        );
        assert!(skipped_points(3).starts_with("3 points were skipped"));
        let p = Path::new("s.csv");
        assert_eq!(
            stopped(Why::Stopped, p, 11, 12),
            "sweep stopped by the technician; s.csv keeps 11 of 12 readings; run the same command with --resume to measure the remaining 1 reading"
        );
        assert!(resume_holds(p, 5, 12).ends_with("the remaining 7 readings"));
        assert_eq!(
            lines_left_out(&["D9".into()]),
            "line D9 carries no apartment and is not measured (--all-crossings measures every crossing)"
        );
        assert!(lines_left_out(&["D8".into(), "D9".into()]).starts_with("lines D8, D9 carry"));
    }
}
