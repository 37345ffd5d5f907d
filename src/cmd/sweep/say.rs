//! Every sentence the live sweep says to the technician, built from facts: the guided run's
//! notes and status line, and the start, stop, resume and skip messages of `kmdiag sweep`.
//! The words themselves are in the catalogue (`src/i18n/*.ftl`, keys `say-…` and
//! `status-…`); this file picks the message and its values.
//!
//! Pure: facts in, text out.

use crate::acquire::capture::{Note, Point, Problem, Status};
use crate::acquire::source::Seconds;
use crate::i18n::{Arg, Message};
use crate::model::{Cell, LineKind};
use crate::msg;
use crate::profile::Layout;
use std::path::Path;
use std::time::Duration;

/// A terminal as printed on the board (a language may write D/E its own way unless the
/// profile keeps its labels as printed).
fn terminal(layout: &Layout, t: crate::model::Terminal) -> Arg {
    layout.labels.line_arg(t)
}

/// "D3 and E7": the two terminals of a point, as printed on the board.
fn terminals(layout: &Layout, (plus, minus): Point) -> Message {
    msg!(
        "say-terminals",
        plus = terminal(layout, plus),
        minus = terminal(layout, minus)
    )
}

/// "D3 → E7": a point, red first.
fn arrow(layout: &Layout, (plus, minus): Point) -> Message {
    msg!(
        "say-arrow",
        plus = terminal(layout, plus),
        minus = terminal(layout, minus)
    )
}

/// "red on D3, black on E7 — apartment 37", with the labels as printed on the board;
/// " (reverse)" when red is on the E line.
pub fn point(layout: &Layout, (plus, minus): Point) -> Message {
    let cell = match (plus.kind, minus.kind) {
        (LineKind::Tens, LineKind::Units) => Some(Cell::new(plus.index, minus.index)),
        (LineKind::Units, LineKind::Tens) => Some(Cell::new(minus.index, plus.index)),
        _ => None,
    };
    let whose = match cell {
        Some(c) => match layout.apartment(c) {
            Some(a) => msg!("say-point-apartment", apartment = a),
            None => msg!("say-point-no-apartment"),
        },
        None => msg!("say-point-bus"),
    };
    let reverse = match (plus.kind, minus.kind) {
        (LineKind::Units, LineKind::Tens) => msg!("say-point-reverse"),
        _ => msg!("nothing"),
    };
    msg!(
        "say-point",
        plus = terminal(layout, plus),
        minus = terminal(layout, minus),
        whose = whose,
        reverse = reverse
    )
}

/// The help line shown when the guided run starts.
pub fn help() -> Message {
    msg!("say-help")
}

/// The announcement of `--auto-open`.
pub fn auto_open(readings: usize, interval: Duration) -> Message {
    msg!(
        "say-auto-open",
        n = readings,
        time = Seconds(interval * readings as u32).to_string()
    )
}

/// The line that opens a guided run.
pub fn guided_start(meter: &str, port: &str, points: usize) -> Message {
    msg!(
        "say-guided-start",
        meter = meter,
        port = port,
        points = points
    )
}

/// Lines left out because no apartment is on them.
pub fn lines_left_out(labels: &[Arg]) -> Message {
    msg!(
        "say-lines-left-out",
        n = labels.len(),
        lines = Arg::List(labels.to_vec())
    )
}

/// What the file holds when a run resumes.
pub fn resume_holds(out: &Path, have: usize, total: usize) -> Message {
    msg!(
        "say-resume-holds",
        path = out,
        have = have,
        total = total,
        left = total.saturating_sub(have)
    )
}

/// The file holds everything already.
pub fn already_complete(out: &Path, total: usize) -> Message {
    msg!("say-already-complete", path = out, total = total)
}

/// Points skipped at the end of a run.
pub fn skipped_points(n: usize) -> Message {
    msg!("say-skipped-points", n = n)
}

/// A row cut short at the end of a file to resume, dropped.
pub fn cut_row_dropped(out: &Path, tail: &[u8]) -> Message {
    msg!(
        "say-cut-row-dropped",
        path = out,
        row = format!("{:?}", String::from_utf8_lossy(tail))
    )
}

/// Garbled data from the meter (said once in a row).
pub fn garbled(problem: &Message) -> Message {
    msg!("say-garbled", problem = problem.clone())
}

/// Lines the adapter had to send again.
pub fn adapter_noise(lines: u64) -> Message {
    msg!("say-adapter-noise", n = lines)
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
pub fn stopped(why: Why, out: &Path, have: usize, total: usize) -> Message {
    let what = match why {
        Why::Stopped => msg!("say-why-stopped"),
        Why::Interrupted => msg!("say-why-interrupted"),
        Why::Failed => msg!("say-why-failed"),
    };
    msg!(
        "say-stopped",
        what = what,
        path = out,
        have = have,
        total = total,
        left = total.saturating_sub(have)
    )
}

/// A note of the guided run in words.
pub fn note(layout: &Layout, n: &Note) -> Message {
    match n {
        Note::VoltageCheck { point } => {
            msg!("say-voltage-check", terminals = terminals(layout, *point))
        }
        Note::VoltageFirst { point } => {
            msg!("say-voltage-first", terminals = terminals(layout, *point))
        }
        Note::NoVoltage { volts, point } => msg!(
            "say-no-voltage",
            terminals = terminals(layout, *point),
            volts = format!("{volts:.2}")
        ),
        Note::Prompt {
            index,
            total,
            point: p,
            lift_first,
        } => msg!(
            "say-prompt",
            index = index + 1,
            total = *total,
            point = point(layout, *p),
            lift = match lift_first {
                true => msg!("say-prompt-lift-first"),
                false => msg!("nothing"),
            }
        ),
        Note::Captured { point, reading } => msg!(
            "say-captured",
            point = arrow(layout, *point),
            reading = reading.to_string()
        ),
        Note::Held {
            point,
            reading,
            previous,
        } => msg!(
            "say-held",
            reading = reading.to_string(),
            previous = previous.to_string(),
            terminals = terminals(layout, *point)
        ),
        Note::WaitForReading => msg!("say-wait-for-reading"),
        Note::NotSteady { reading } => msg!("say-not-steady", reading = reading.to_string()),
        Note::LiftFirst { point } => {
            msg!("say-lift-first", terminals = terminals(layout, *point))
        }
        Note::Skipped { point: p } => msg!("say-skipped", point = point(layout, *p)),
        Note::Redo { point } => msg!("say-redo", point = arrow(layout, *point)),
        Note::NothingToRedo => msg!("say-nothing-to-redo"),
        Note::RedoSaved { point } => msg!("say-redo-saved", point = arrow(layout, *point)),
        Note::Problem(Problem::Mode(p)) => p.message(),
        Note::Problem(Problem::NotLive(flag)) => msg!("say-not-live", flag = flag.to_string()),
        Note::ProblemGone => msg!("say-problem-gone"),
    }
}

/// The live status line in words.
pub fn status(s: &Status) -> Message {
    match s {
        Status::SetVolts => msg!("status-set-volts"),
        Status::Volts { volts } => msg!("status-volts", volts = format!("{volts:.2}")),
        Status::Powered => msg!("status-powered"),
        Status::TurnToOhms => msg!("status-turn-to-ohms"),
        Status::Problem => msg!("status-problem"),
        Status::LiftFirst { reading } => {
            msg!("status-lift-first", reading = reading.to_string())
        }
        Status::StillOnLastPoint { reading } => {
            msg!("status-still-on-last-point", reading = reading.to_string())
        }
        Status::Settling {
            reading,
            have,
            need,
        } => msg!(
            "status-settling",
            reading = reading.to_string(),
            have = *have,
            need = *need
        ),
        Status::OpenAwaitingKey => msg!("status-open-awaiting-key"),
        Status::AutoOpen { have, need } => {
            msg!("status-auto-open", have = *have, need = *need)
        }
        Status::Held { reading } => msg!("status-held", reading = reading.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_counts_read_right() {
        assert_eq!(
            skipped_points(1).en(),
            "1 point was skipped; run the same command with --resume to measure it"
        );
        assert!(skipped_points(3).en().starts_with("3 points were skipped"));
        let p = Path::new("s.csv");
        assert_eq!(
            stopped(Why::Stopped, p, 11, 12).en(),
            "sweep stopped by the technician; s.csv keeps 11 of 12 readings; run the same command with --resume to measure the remaining 1 reading"
        );
        assert!(
            resume_holds(p, 5, 12)
                .en()
                .ends_with("the remaining 7 readings")
        );
        assert_eq!(
            lines_left_out(&["D9".into()]).en(),
            "line D9 carries no apartment and is not measured (--all-crossings measures every crossing)"
        );
        assert!(
            lines_left_out(&["D8".into(), "D9".into()])
                .en()
                .starts_with("lines D8, D9 carry")
        );
    }

    #[test]
    fn russian_counts_in_the_sweep_take_their_plural_forms() {
        let ru = crate::i18n::Lang::Ru;
        assert_eq!(
            skipped_points(1).render(ru),
            "пропущена 1 точка; запустите ту же команду с --resume, чтобы её измерить"
        );
        assert!(
            skipped_points(3)
                .render(ru)
                .starts_with("пропущены 3 точки")
        );
        assert!(
            skipped_points(5)
                .render(ru)
                .starts_with("пропущено 5 точек")
        );
        assert_eq!(
            stopped(Why::Stopped, Path::new("s.csv"), 11, 12).render(ru),
            "обход остановлен монтёром; в s.csv сохранено 11 из 12 показаний; запустите ту же команду с --resume, чтобы измерить оставшееся 1 показание"
        );
    }
}
