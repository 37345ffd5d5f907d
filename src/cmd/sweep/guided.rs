//! The guided handheld sweep: tells the technician where to put the probes next, captures
//! each point automatically once the meter has settled (`acquire::capture`), rings the bell,
//! and takes keys to accept, redo, skip or quit. Every captured point goes straight to the
//! recorder.
//!
//! The order walks the red probe along the D terminals while the black one stays on one E
//! terminal, then the reverse polarity the same way, so the probes move as little as possible.

use super::Recorder;
use super::keys::{Key, Keys};
use crate::acquire::capture::{Capture, CaptureEvent, CaptureSettings};
use crate::acquire::meter::{MeterReading, check_resistance_mode};
use crate::acquire::{AcquireError, Source};
use crate::model::{Cell, LineKind, Measurement, Reading, Terminal};
use crate::profile::Layout;
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Points in guided order: forward cells with the black probe fixed on each E terminal in
/// turn and the red one walking D0, D1, …; then reverse cells with black fixed on each D;
/// then, with `bus`, D–D and E–E pairs with black fixed and red walking.
pub fn guided_order(tens: u16, units: u16, bus: bool) -> Vec<(Terminal, Terminal)> {
    let mut out = Vec::new();
    for e in 0..units {
        for d in 0..tens {
            out.push((Terminal::tens(d), Terminal::units(e)));
        }
    }
    for d in 0..tens {
        for e in 0..units {
            out.push((Terminal::units(e), Terminal::tens(d)));
        }
    }
    if bus {
        for b in 0..tens {
            for a in 0..b {
                out.push((Terminal::tens(a), Terminal::tens(b)));
            }
        }
        for b in 0..units {
            for a in 0..b {
                out.push((Terminal::units(a), Terminal::units(b)));
            }
        }
    }
    out
}

/// Probe moves of a sequence: how many times either probe changes terminal.
pub fn probe_moves(points: &[(Terminal, Terminal)]) -> usize {
    points
        .windows(2)
        .map(|w| usize::from(w[0].0 != w[1].0) + usize::from(w[0].1 != w[1].1))
        .sum()
}

/// "red on D3, black on E7 — apartment 37", with the labels as printed on the board.
pub fn describe_point(layout: &Layout, plus: Terminal, minus: Terminal) -> String {
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

/// How the guided run ended.
pub enum GuidedEnd {
    /// Every point was captured or skipped; `skipped` were left out.
    Complete {
        /// Points skipped with the `s` key.
        skipped: usize,
    },
    /// The technician quit (key or Ctrl-C).
    Quit,
    /// The meter or the port failed.
    Failed(AcquireError),
}

/// The message for a reading that is not a usable resistance (wrong mode, powered line).
fn mode_problem(r: &MeterReading) -> Option<String> {
    check_resistance_mode(r).err().map(|p| p.to_string())
}

/// Garbled replies in a row (request/response meters) before the run gives up.
const MAX_GARBLED_IN_A_ROW: u32 = 5;

/// Talks to the technician on stderr.
struct Screen {
    raw: bool,
    tty: bool,
    status_shown: bool,
}

impl Screen {
    fn say(&mut self, text: &str) {
        let mut err = std::io::stderr().lock();
        if self.status_shown {
            let _ = write!(err, "\r\x1b[2K");
            self.status_shown = false;
        }
        let end = if self.raw { "\r\n" } else { "\n" };
        let _ = write!(err, "kmdiag: {text}{end}");
        let _ = err.flush();
    }

    fn status(&mut self, text: &str) {
        if !self.tty {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K  {text}");
        let _ = err.flush();
        self.status_shown = true;
    }

    fn bell(&mut self) {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(b"\x07");
        let _ = err.flush();
    }
}

/// Everything the guided run needs.
pub struct Guided<'a> {
    /// The meter.
    pub source: &'a mut dyn Source,
    /// Points still to measure, in guided order.
    pub points: &'a [(Terminal, Terminal)],
    /// Labels and apartments.
    pub layout: &'a Layout,
    /// Auto-capture settings.
    pub settings: CaptureSettings,
    /// How long the meter may stay silent.
    pub timeout: Duration,
    /// Set by Ctrl-C.
    pub stop: &'a AtomicBool,
    /// The technician's keys.
    pub keys: Keys,
}

/// Runs the guided sweep; every capture is recorded at once.
pub fn run(g: Guided<'_>, rec: &mut Recorder) -> Result<GuidedEnd> {
    let mut keys = g.keys;
    let mut screen = Screen {
        raw: keys.raw(),
        tty: std::io::stderr().is_terminal(),
        status_shown: false,
    };
    screen.say(super::keys::HELP);
    let total = g.points.len();
    let mut capture = Capture::new(g.settings);
    let mut skipped = vec![false; total];
    let mut i = 0;
    let mut prompt = true;
    let mut last_rx = Instant::now();
    let mut last_problem: Option<String> = None;
    let mut garbled = 0;
    while i < total {
        let (plus, minus) = g.points[i];
        if prompt {
            screen.say(&format!(
                "next {}/{total}: {}",
                i + 1,
                describe_point(g.layout, plus, minus)
            ));
            prompt = false;
        }
        if g.stop.load(Ordering::SeqCst) {
            return Ok(GuidedEnd::Quit);
        }
        let mut taken = None;
        match keys.poll() {
            Some(Key::Quit) => return Ok(GuidedEnd::Quit),
            Some(Key::Skip) => {
                skipped[i] = true;
                screen.say(&format!(
                    "skipped {}",
                    describe_point(g.layout, plus, minus)
                ));
                i += 1;
                capture.hold();
                prompt = true;
                continue;
            }
            Some(Key::Redo) => {
                if i > 0 {
                    i -= 1;
                    skipped[i] = false;
                    screen.say("measuring the last point again");
                }
                capture.hold();
                prompt = true;
                continue;
            }
            Some(Key::Accept) => taken = capture.accept_now(),
            None => {}
        }
        if taken.is_none() {
            match g.source.next_sample(Duration::from_millis(100)) {
                Ok(Some(sample)) => {
                    last_rx = Instant::now();
                    garbled = 0;
                    if let Some(problem) = mode_problem(&sample.reading) {
                        capture.push(&sample.reading);
                        if last_problem.as_deref() != Some(problem.as_str()) {
                            screen.say(&problem);
                            last_problem = Some(problem);
                        }
                        continue;
                    }
                    if last_problem.take().is_some() {
                        screen.say("the meter reads resistance again");
                    }
                    match capture.push(&sample.reading) {
                        CaptureEvent::Captured(r) => taken = Some(r),
                        CaptureEvent::Settling {
                            reading,
                            have,
                            need,
                        } => screen.status(&format!("{reading}  steady {have}/{need}")),
                        CaptureEvent::AwaitingMove => screen.status(
                            "same reading as the last point: move the probes, or press Enter to take it",
                        ),
                        CaptureEvent::WrongMode(_) => {}
                    }
                }
                Ok(None) => {
                    return Ok(GuidedEnd::Failed(AcquireError::Disconnected {
                        source_name: g.source.describe(),
                        cause: std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "the meter's data ended",
                        ),
                    }));
                }
                Err(AcquireError::Silent { .. }) if last_rx.elapsed() < g.timeout => {}
                Err(AcquireError::Silent {
                    source_name, hint, ..
                }) => {
                    return Ok(GuidedEnd::Failed(AcquireError::Silent {
                        source_name,
                        waited: last_rx.elapsed(),
                        hint,
                    }));
                }
                Err(AcquireError::Protocol { problem, .. }) if garbled < MAX_GARBLED_IN_A_ROW => {
                    // A garbled reply (noise on the cable): the next one decides.
                    garbled += 1;
                    if garbled == 1 {
                        screen.say(&format!(
                            "garbled data from the meter ({problem}); check the cable if this repeats"
                        ));
                    }
                }
                Err(e) => return Ok(GuidedEnd::Failed(e)),
            }
        }
        if let Some(reading) = taken {
            rec.push(&Measurement {
                plus,
                minus,
                reading,
            })?;
            screen.bell();
            screen.say(&format!(
                "captured {} → {}: {}",
                g.layout.labels.label(plus),
                g.layout.labels.label(minus),
                shown(reading)
            ));
            i += 1;
            prompt = true;
        }
    }
    Ok(GuidedEnd::Complete {
        skipped: skipped.iter().filter(|s| **s).count(),
    })
}

fn shown(r: Reading) -> String {
    r.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guided_order_moves_one_probe_at_a_time_within_a_row() {
        let order = guided_order(10, 10, false);
        assert_eq!(order.len(), 200);
        // Black stays on E0 while red walks D0..D9.
        assert!(order[..10].iter().all(|(_, m)| *m == Terminal::units(0)));
        // Every point of the plain sweep appears exactly once.
        let mut sorted = order.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 200);
        // 9 red moves per row of ten, 2 moves between rows: 218, against 398 for measuring
        // each cell both ways in turn (the lower bound is 199, one move per point).
        let naive = crate::acquire::adapter::frame::sweep_order(10, 10, false);
        assert_eq!(probe_moves(&order), 218);
        assert_eq!(probe_moves(&naive), 398);
    }

    #[test]
    fn bus_pairs_follow_with_the_black_probe_fixed() {
        let order = guided_order(3, 2, true);
        assert_eq!(order.len(), 12 + 3 + 1);
        assert_eq!(order[12], (Terminal::tens(0), Terminal::tens(1)));
    }
}
