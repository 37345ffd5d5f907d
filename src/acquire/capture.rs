//! When the guided handheld sweep records a point: a state machine fed, one at a time, the
//! meter's readings and the technician's keys, answering with what to do — say something, show
//! a status, record a reading, take the last one back, or end.
//!
//! Every rule closes a way a reading nobody took could get into the file:
//! - **Voltage first.** The run opens with a voltage check: the meter on volts, the probes on a
//!   D and an E terminal, a steady low reading (`meter::check::POWERED_VOLTS`) confirmed with a key
//!   (probes in the air read 0 V too). A powered line is said at once and blocks the sweep.
//! - **Evidence of placement.** A point is recorded only when, after its prompt, the meter
//!   showed the probes leave what they touched before — OL, or a value outside the steadiness
//!   tolerance — and then settle: `stable_count` readings in a row within the tolerance.
//! - **A fresh placement**, an OL after the prompt, is needed at the first point of every run
//!   (nothing is known about where the probes rest, say after `--resume`) and after a redo or
//!   a skip (the probes sit on some other crossing).
//! - **Like the last point?** A steady reading within the meter's noise of the previous point's
//!   is held until the technician confirms it: the probes may have gone back to that crossing.
//! - **OL is never taken on a timer**, because probes in the air read OL too: the technician
//!   confirms an open crossing with a key. Only `auto_open`, an explicit mode the screen
//!   announces, takes OL after a run of OL readings.
//! - **A key needs a reading.** A confirmation counts once a reading arrived after the prompt
//!   and the last two agree, so a double press cannot record the next point from the same place.
//! - **Redo** takes back the last recorded point. The caller keeps that row unwritten until the
//!   next record or the end (`Output::Record` / `Output::Retract`), so a redo never leaves two
//!   rows for one point; earlier points are in the file and are not taken back.
//! - A display that is not live (HOLD, REL, MAX/MIN) or not on Ω records nothing.
//!
//! Pure: no clock, no I/O. The caller reads the port and the keyboard, writes the file and the
//! screen (`cmd::sweep::guided`), and turns `Note`s into words (`cmd::sweep::say`).

use super::meter::{MeterReading, Mode, ModeProblem, check_resistance_mode, frozen_display};
use crate::model::{Reading, Terminal};

/// A point of the sweep: the terminal under the red (+) probe, then under the black (−) one.
pub type Point = (Terminal, Terminal);

/// How eager the capture is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaptureSettings {
    /// Readings in a row within the tolerance that make a finite reading steady.
    pub stable_count: usize,
    /// Relative tolerance between readings that count as "the same" (0.02 = 2 %).
    pub tolerance: f64,
    /// `Some(n)`: record OL after `n` OL readings in a row without a key (`--auto-open`).
    pub auto_open: Option<usize>,
    /// Start with the voltage check (every command-line run does; in-process measurements of
    /// the capture alone may leave it out).
    pub voltage_check: bool,
}

/// In `--auto-open` mode OL needs this many times `stable_count` readings: longer than a
/// finite capture, so a probe that slides across a terminal (OL for a packet or two) is not
/// taken for an open crossing.
const AUTO_OPEN_FACTOR: usize = 2;

impl CaptureSettings {
    /// Settings from the command line's `--stable-count N` and `--tolerance PCT`; OL waits for
    /// a key and the run starts with the voltage check.
    pub fn new(stable_count: usize, tolerance_pct: f64) -> Self {
        CaptureSettings {
            stable_count: stable_count.max(1),
            tolerance: (tolerance_pct / 100.0).max(0.0),
            auto_open: None,
            voltage_check: true,
        }
    }

    /// The same, with OL taken after `AUTO_OPEN_FACTOR × stable_count` OL readings
    /// (`--auto-open`).
    pub fn with_auto_open(mut self) -> Self {
        self.auto_open = Some(self.stable_count * AUTO_OPEN_FACTOR);
        self
    }

    /// Readings in a row that must agree before a key confirms the one shown: two, so the
    /// display has shown it twice (one, when `stable_count` is 1).
    fn confirm_count(&self) -> usize {
        self.stable_count.min(2)
    }
}

impl Default for CaptureSettings {
    fn default() -> Self {
        CaptureSettings::new(3, 2.0)
    }
}

/// What the technician pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Enter or space: record the reading shown (an open crossing, or one held because it
    /// reads like the last point); in the voltage check, confirm the probes are on.
    Accept,
    /// Measure the last point again.
    Redo,
    /// Leave this point out (a later `--resume` asks for it again).
    Skip,
    /// Stop the sweep and keep the file (`q`).
    Stop,
    /// Ctrl-C.
    Interrupt,
}

/// Why the display cannot be used as a resistance reading now.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not on Ω, or a powered line.
    Mode(ModeProblem),
    /// HOLD, REL, MAX/MIN: the display does not follow the probes.
    NotLive(&'static str),
}

/// Something to say to the technician, as facts; `cmd::sweep::say` words it.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// The run opens: disconnect the panel, check for voltage with the probes on `point`.
    VoltageCheck {
        /// Where to put the probes for the check.
        point: Point,
    },
    /// A key other than Enter, Stop or Ctrl-C during the voltage check.
    VoltageFirst {
        /// Where to put the probes for the check.
        point: Point,
    },
    /// The voltage check passed; turn the dial to Ω.
    NoVoltage {
        /// The voltage shown.
        volts: f64,
        /// Where it was checked.
        point: Point,
    },
    /// Where to put the probes next.
    Prompt {
        /// 0-based index of the point in this run.
        index: usize,
        /// Points in this run.
        total: usize,
        /// The point.
        point: Point,
        /// The probes must be lifted first (a fresh placement).
        lift_first: bool,
    },
    /// A point was recorded.
    Captured {
        /// The point.
        point: Point,
        /// What was recorded.
        reading: Reading,
    },
    /// A steady reading within the noise of the previous point's: confirm or move.
    Held {
        /// The point.
        point: Point,
        /// What the meter shows.
        reading: Reading,
        /// What the previous point read.
        previous: Reading,
    },
    /// A key came before any reading since the prompt.
    WaitForReading,
    /// A key came while the reading still changes; a second key takes it.
    NotSteady {
        /// The latest reading.
        reading: Reading,
    },
    /// A key at a point that needs a fresh placement before the probes were lifted.
    LiftFirst {
        /// The point.
        point: Point,
    },
    /// The point was skipped.
    Skipped {
        /// The point.
        point: Point,
    },
    /// Measuring the previous point again.
    Redo {
        /// The point.
        point: Point,
    },
    /// Redo at the first point of the run.
    NothingToRedo,
    /// Redo of a point whose row is already in the file.
    RedoSaved {
        /// The point.
        point: Point,
    },
    /// The display cannot be used.
    Problem(Problem),
    /// The display reads resistance again.
    ProblemGone,
}

/// The live status line (shown on a terminal only), as facts.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Voltage check: the meter is not on volts.
    SetVolts,
    /// Voltage check: what the meter shows, waiting for the key.
    Volts {
        /// Volts shown.
        volts: f64,
    },
    /// A powered line.
    Powered,
    /// The voltage check passed; the dial is not on Ω yet.
    TurnToOhms,
    /// The display cannot be used.
    Problem,
    /// Waiting for the probes to be lifted.
    LiftFirst {
        /// What the meter shows.
        reading: Reading,
    },
    /// The meter still shows what the probes touched before the prompt.
    StillOnLastPoint {
        /// What the meter shows.
        reading: Reading,
    },
    /// Settling on a value.
    Settling {
        /// What the meter shows.
        reading: Reading,
        /// Readings in a row so far.
        have: usize,
        /// Readings in a row needed.
        need: usize,
    },
    /// OL shown: a key records it.
    OpenAwaitingKey,
    /// OL shown in `--auto-open` mode.
    AutoOpen {
        /// OL readings in a row so far.
        have: usize,
        /// OL readings in a row that record it.
        need: usize,
    },
    /// Held: like the last point, waiting for a key or a move.
    Held {
        /// What the meter shows.
        reading: Reading,
    },
}

/// How the run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Every point was recorded or skipped.
    Complete {
        /// Points skipped.
        skipped: usize,
    },
    /// The technician stopped (`q`).
    Stopped,
    /// Ctrl-C.
    Interrupted,
}

/// What the caller does, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Print a message.
    Say(Note),
    /// Update the live status line.
    Status(Status),
    /// Record `reading` for `point`. The caller writes the row it held before and holds this
    /// one until the next `Record`, a `Retract` or the end.
    Record {
        /// Index of the point in this run.
        index: usize,
        /// The point.
        point: Point,
        /// The reading.
        reading: Reading,
    },
    /// Drop the held row (it was for `point`): it is measured again.
    Retract {
        /// Index of the point in this run.
        index: usize,
        /// The point.
        point: Point,
    },
    /// Ring the bell (a capture).
    Bell,
    /// The run is over: write the held row and stop.
    End(End),
}

/// Tiny absolute slack so that 0.00 Ω and 0.01 Ω count as the same reading (a dead short
/// flickers in the last digit of the lowest range).
const ABS_SLACK_OHMS: f64 = 0.05;

/// How far two placements on the same crossing may read apart: a handheld meter repeats a
/// handset's reading to a few counts (under 0.5 % at 0.5–2 kΩ on a 4000–22000-count display),
/// and the probes' contact on a screw terminal adds up to about 1 Ω (issue 12's field model).
/// Two different healthy handsets differ by 7–9 % (domain.md §3, the reference model), so about
/// one neighbour in twenty falls inside this band and needs a key.
const NOISE_RELATIVE: f64 = 0.005;
/// See `NOISE_RELATIVE`: probe contact resistance on a screw terminal.
const NOISE_OHMS: f64 = 1.0;

/// A run of readings within the tolerance of its first.
#[derive(Debug, Clone, Copy)]
struct Run {
    first: Reading,
    len: usize,
}

/// What the machine knows about the current point since its prompt.
#[derive(Debug, Clone, Default)]
struct Watch {
    /// Only an OL counts as leaving (first point of a run, after a redo or skip).
    lift_first: bool,
    /// What the probes touched when the prompt came (the last point's reading).
    contact: Option<Reading>,
    /// The meter showed the probes leave `contact`.
    departed: bool,
    /// Resistance readings since the prompt.
    fresh: usize,
    /// The current run of agreeing readings (restarted at the departure).
    run: Option<Run>,
    /// The latest resistance reading since the prompt.
    last: Option<Reading>,
    /// The held note was said.
    held_said: bool,
    /// The lift-first note was said.
    lift_said: bool,
    /// A key found the reading unsteady; the next key takes it.
    take_unsteady: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Voltage,
    Measuring,
    Ended,
}

/// The guided run: the points to measure, in order, and where it stands.
#[derive(Debug, Clone)]
pub struct Guide {
    settings: CaptureSettings,
    points: Vec<Point>,
    i: usize,
    phase: Phase,
    /// What this run recorded for each point.
    recorded: Vec<Option<Reading>>,
    skipped: Vec<bool>,
    /// The point whose row the caller still holds (redo can take it back).
    held_row: Option<usize>,
    watch: Watch,
    /// Voltage check: readings in a row at most `POWERED_VOLTS`, and the latest.
    volts_run: usize,
    volts: f64,
    /// The display problem last said.
    problem: Option<Problem>,
    /// A resistance reading has been seen since the voltage check.
    seen_ohms: bool,
}

/// True when `a` and `b` agree within `relative` of the larger plus `absolute` ohms; OL agrees
/// only with OL.
fn agree(a: Reading, b: Reading, relative: f64, absolute: f64) -> bool {
    match (a, b) {
        (Reading::Open, Reading::Open) => true,
        (Reading::Ohms(x), Reading::Ohms(y)) => {
            (x - y).abs() <= relative * x.abs().max(y.abs()) + absolute
        }
        _ => false,
    }
}

impl Guide {
    /// A run over `points`, in the order given.
    pub fn new(points: Vec<Point>, settings: CaptureSettings) -> Guide {
        let n = points.len();
        Guide {
            settings,
            points,
            i: 0,
            phase: Phase::Voltage,
            recorded: vec![None; n],
            skipped: vec![false; n],
            held_row: None,
            watch: Watch::default(),
            volts_run: 0,
            volts: 0.0,
            problem: None,
            seen_ohms: false,
        }
    }

    /// Opens the run: the voltage check, or the first prompt.
    pub fn start(&mut self) -> Vec<Output> {
        let mut out = Vec::new();
        if self.points.is_empty() {
            self.end(End::Complete { skipped: 0 }, &mut out);
        } else if self.settings.voltage_check {
            self.phase = Phase::Voltage;
            out.push(Output::Say(Note::VoltageCheck {
                point: self.points[0],
            }));
        } else {
            self.phase = Phase::Measuring;
            self.prompt(true, None, &mut out);
        }
        out
    }

    /// The settings in force.
    pub fn settings(&self) -> CaptureSettings {
        self.settings
    }

    /// True once the run has ended.
    pub fn ended(&self) -> bool {
        self.phase == Phase::Ended
    }

    /// Feeds one reading from the meter.
    pub fn reading(&mut self, r: &MeterReading) -> Vec<Output> {
        let mut out = Vec::new();
        match self.phase {
            Phase::Voltage => self.voltage_reading(r, &mut out),
            Phase::Measuring => self.measuring_reading(r, &mut out),
            Phase::Ended => {}
        }
        out
    }

    /// Feeds one key.
    pub fn key(&mut self, key: Key) -> Vec<Output> {
        let mut out = Vec::new();
        match (self.phase, key) {
            (Phase::Ended, _) => {}
            (_, Key::Stop) => self.end(End::Stopped, &mut out),
            (_, Key::Interrupt) => self.end(End::Interrupted, &mut out),
            (Phase::Voltage, Key::Accept) => self.confirm_no_voltage(&mut out),
            (Phase::Voltage, _) => out.push(Output::Say(Note::VoltageFirst {
                point: self.points[0],
            })),
            (Phase::Measuring, Key::Accept) => self.accept(&mut out),
            (Phase::Measuring, Key::Skip) => self.skip(&mut out),
            (Phase::Measuring, Key::Redo) => self.redo(&mut out),
        }
        out
    }

    // --- the voltage check ---

    fn voltage_reading(&mut self, r: &MeterReading, out: &mut Vec<Output>) {
        let volts_mode = matches!(r.mode, Mode::VoltageDc | Mode::VoltageAc);
        match check_resistance_mode(r) {
            Err(p @ ModeProblem::Powered { .. }) => {
                self.volts_run = 0;
                self.say_problem(Problem::Mode(p), out);
                out.push(Output::Status(Status::Powered));
            }
            _ if volts_mode && frozen_display(r).is_none() => {
                // Low voltage: the line is dead, or the probes are in the air.
                self.problem = None;
                self.volts_run += 1;
                self.volts = r.value.unwrap_or(0.0);
                out.push(Output::Status(Status::Volts { volts: self.volts }));
            }
            _ => {
                self.volts_run = 0;
                out.push(Output::Status(Status::SetVolts));
            }
        }
    }

    fn confirm_no_voltage(&mut self, out: &mut Vec<Output>) {
        if self.volts_run < self.settings.confirm_count() {
            out.push(Output::Say(Note::VoltageFirst {
                point: self.points[0],
            }));
            return;
        }
        out.push(Output::Say(Note::NoVoltage {
            volts: self.volts,
            point: self.points[0],
        }));
        self.phase = Phase::Measuring;
        // The probes rest where the check put them: the first point needs a fresh placement.
        self.prompt(true, None, out);
    }

    // --- measuring ---

    fn measuring_reading(&mut self, r: &MeterReading, out: &mut Vec<Output>) {
        if let Some(problem) = display_problem(r) {
            self.watch.run = None;
            // OL on the diode or continuity range is an open circuit as on Ω: the probes left.
            if r.overload && matches!(r.mode, Mode::Diode | Mode::Continuity) {
                let w = &mut self.watch;
                w.departed |= w.lift_first || w.contact.is_some_and(Reading::is_finite);
            }
            let dial_not_turned_yet = !self.seen_ohms
                && matches!(
                    problem,
                    Problem::Mode(ModeProblem::WrongMode(Mode::VoltageDc | Mode::VoltageAc))
                );
            if dial_not_turned_yet {
                out.push(Output::Status(Status::TurnToOhms));
            } else {
                self.say_problem(problem, out);
                out.push(Output::Status(Status::Problem));
            }
            return;
        }
        let Some(reading) = r.as_resistance() else {
            return;
        };
        self.seen_ohms = true;
        if self.problem.take().is_some() {
            out.push(Output::Say(Note::ProblemGone));
        }
        let tol = self.settings.tolerance;
        let w = &mut self.watch;
        w.fresh += 1;
        w.last = Some(reading);
        if !w.departed {
            w.departed = if w.lift_first {
                !reading.is_finite()
            } else {
                w.contact
                    .is_none_or(|c| !agree(c, reading, tol, ABS_SLACK_OHMS))
            };
            if w.departed {
                w.run = None;
            }
        }
        let len = match &mut w.run {
            Some(run) if agree(run.first, reading, tol, ABS_SLACK_OHMS) => {
                run.len += 1;
                run.len
            }
            _ => {
                w.run = Some(Run {
                    first: reading,
                    len: 1,
                });
                1
            }
        };
        let departed = w.departed;
        let lift_first = w.lift_first;
        if !reading.is_finite() {
            match self.settings.auto_open {
                Some(need) if len >= need => self.record(Reading::Open, out),
                Some(need) => out.push(Output::Status(Status::AutoOpen { have: len, need })),
                None => out.push(Output::Status(Status::OpenAwaitingKey)),
            }
        } else if !departed {
            if lift_first && len >= self.settings.stable_count && !self.watch.lift_said {
                // Steady on some crossing, never lifted: say it, the status line may not show.
                self.watch.lift_said = true;
                out.push(Output::Say(Note::LiftFirst {
                    point: self.points[self.i],
                }));
            }
            out.push(Output::Status(if lift_first {
                Status::LiftFirst { reading }
            } else {
                Status::StillOnLastPoint { reading }
            }));
        } else if len >= self.settings.stable_count {
            match self.previous() {
                Some(previous) if agree(previous, reading, NOISE_RELATIVE, NOISE_OHMS) => {
                    if !self.watch.held_said {
                        self.watch.held_said = true;
                        out.push(Output::Say(Note::Held {
                            point: self.points[self.i],
                            reading,
                            previous,
                        }));
                    }
                    out.push(Output::Status(Status::Held { reading }));
                }
                _ => self.record(reading, out),
            }
        } else {
            out.push(Output::Status(Status::Settling {
                reading,
                have: len,
                need: self.settings.stable_count,
            }));
        }
    }

    /// What this run recorded for the point before the current one.
    fn previous(&self) -> Option<Reading> {
        self.i.checked_sub(1).and_then(|k| self.recorded[k])
    }

    fn accept(&mut self, out: &mut Vec<Output>) {
        let w = &mut self.watch;
        let Some(last) = w.last.filter(|_| w.fresh > 0) else {
            out.push(Output::Say(Note::WaitForReading));
            return;
        };
        if w.lift_first && !w.departed {
            out.push(Output::Say(Note::LiftFirst {
                point: self.points[self.i],
            }));
            return;
        }
        let steady = w
            .run
            .is_some_and(|r| r.len >= self.settings.confirm_count());
        if steady || w.take_unsteady {
            self.record(last, out);
        } else {
            w.take_unsteady = true;
            out.push(Output::Say(Note::NotSteady { reading: last }));
        }
    }

    fn skip(&mut self, out: &mut Vec<Output>) {
        self.skipped[self.i] = true;
        out.push(Output::Say(Note::Skipped {
            point: self.points[self.i],
        }));
        self.advance(true, None, out);
    }

    fn redo(&mut self, out: &mut Vec<Output>) {
        let Some(k) = self.i.checked_sub(1) else {
            out.push(Output::Say(Note::NothingToRedo));
            return;
        };
        let point = self.points[k];
        if self.skipped[k] {
            self.skipped[k] = false;
        } else if self.held_row == Some(k) {
            out.push(Output::Retract { index: k, point });
            self.recorded[k] = None;
            self.held_row = None;
        } else {
            out.push(Output::Say(Note::RedoSaved { point }));
            return;
        }
        out.push(Output::Say(Note::Redo { point }));
        self.i = k;
        self.prompt(true, None, out);
    }

    fn record(&mut self, reading: Reading, out: &mut Vec<Output>) {
        let point = self.points[self.i];
        out.push(Output::Record {
            index: self.i,
            point,
            reading,
        });
        out.push(Output::Bell);
        out.push(Output::Say(Note::Captured { point, reading }));
        self.recorded[self.i] = Some(reading);
        self.held_row = Some(self.i);
        self.advance(false, Some(reading), out);
    }

    fn advance(&mut self, lift_first: bool, contact: Option<Reading>, out: &mut Vec<Output>) {
        self.i += 1;
        if self.i >= self.points.len() {
            let skipped = self.skipped.iter().filter(|s| **s).count();
            self.end(End::Complete { skipped }, out);
        } else {
            self.prompt(lift_first, contact, out);
        }
    }

    fn prompt(&mut self, lift_first: bool, contact: Option<Reading>, out: &mut Vec<Output>) {
        self.watch = Watch {
            lift_first,
            contact,
            ..Watch::default()
        };
        out.push(Output::Say(Note::Prompt {
            index: self.i,
            total: self.points.len(),
            point: self.points[self.i],
            lift_first,
        }));
    }

    fn say_problem(&mut self, problem: Problem, out: &mut Vec<Output>) {
        let same_kind = match (&self.problem, &problem) {
            (
                Some(Problem::Mode(ModeProblem::Powered { .. })),
                Problem::Mode(ModeProblem::Powered { .. }),
            ) => true,
            (Some(a), b) => a == b,
            (None, _) => false,
        };
        if !same_kind {
            out.push(Output::Say(Note::Problem(problem.clone())));
        }
        self.problem = Some(problem);
    }

    fn end(&mut self, end: End, out: &mut Vec<Output>) {
        self.phase = Phase::Ended;
        self.held_row = None;
        out.push(Output::End(end));
    }
}

/// Why the display cannot be read as a resistance now, if it cannot.
fn display_problem(r: &MeterReading) -> Option<Problem> {
    if let Err(p) = check_resistance_mode(r) {
        return Some(Problem::Mode(p));
    }
    frozen_display(r).map(Problem::NotLive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::Unit;

    fn ohms(v: f64) -> MeterReading {
        MeterReading {
            value: Some(v),
            unit: Unit::Ohm,
            mode: Mode::Resistance,
            overload: false,
            flags: vec!["AUTO"],
        }
    }

    fn ol() -> MeterReading {
        MeterReading {
            value: None,
            overload: true,
            ..ohms(0.0)
        }
    }

    fn volts(v: f64) -> MeterReading {
        MeterReading {
            value: Some(v),
            unit: Unit::Volt,
            mode: Mode::VoltageDc,
            overload: false,
            flags: vec!["AUTO", "DC"],
        }
    }

    fn d(i: u16) -> Terminal {
        Terminal::tens(i)
    }
    fn e(i: u16) -> Terminal {
        Terminal::units(i)
    }

    /// One input of a scripted sequence.
    enum In {
        R(MeterReading),
        K(Key),
    }
    use In::{K, R};

    /// Feeds the inputs; returns every output.
    fn run(g: &mut Guide, inputs: Vec<In>) -> Vec<Output> {
        let mut out = Vec::new();
        for i in inputs {
            out.extend(match i {
                R(r) => g.reading(&r),
                K(k) => g.key(k),
            });
        }
        out
    }

    fn records(out: &[Output]) -> Vec<(usize, Reading)> {
        out.iter()
            .filter_map(|o| match o {
                Output::Record { index, reading, .. } => Some((*index, *reading)),
                _ => None,
            })
            .collect()
    }

    fn said(out: &[Output], f: impl Fn(&Note) -> bool) -> bool {
        out.iter().any(|o| matches!(o, Output::Say(n) if f(n)))
    }

    fn points() -> Vec<Point> {
        // Black fixed on E0, red walking D0..D3, then the reverse of D0/E0.
        vec![
            (d(0), e(0)),
            (d(1), e(0)),
            (d(2), e(0)),
            (d(3), e(0)),
            (e(0), d(0)),
        ]
    }

    /// A guide past its voltage check, at the first prompt.
    fn measuring() -> Guide {
        let mut g = Guide::new(points(), CaptureSettings::new(3, 2.0));
        g.start();
        run(&mut g, vec![R(volts(0.01)), R(volts(0.0)), K(Key::Accept)]);
        g
    }

    fn n(r: MeterReading, times: usize) -> Vec<In> {
        (0..times).map(|_| R(r.clone())).collect()
    }

    fn seq(parts: Vec<Vec<In>>) -> Vec<In> {
        parts.into_iter().flatten().collect()
    }

    #[test]
    fn the_run_opens_with_the_voltage_check_and_a_powered_line_blocks_it() {
        let mut g = Guide::new(points(), CaptureSettings::new(3, 2.0));
        let out = g.start();
        assert!(said(&out, |n| matches!(n, Note::VoltageCheck { .. })));
        // Ω readings before the check record nothing.
        let out = run(&mut g, seq(vec![n(ohms(700.0), 5), n(ol(), 5)]));
        assert!(records(&out).is_empty());
        // 12 V: said once, and Enter does not pass.
        let out = run(&mut g, seq(vec![n(volts(12.0), 4), vec![K(Key::Accept)]]));
        let powered = out
            .iter()
            .filter(|o| {
                matches!(
                    o,
                    Output::Say(Note::Problem(Problem::Mode(ModeProblem::Powered { .. })))
                )
            })
            .count();
        assert_eq!(powered, 1);
        assert!(said(&out, |n| matches!(n, Note::VoltageFirst { .. })));
        assert!(!said(&out, |n| matches!(n, Note::Prompt { .. })));
        // Disconnected: 0 V twice, then Enter.
        let out = run(&mut g, seq(vec![n(volts(0.0), 2), vec![K(Key::Accept)]]));
        assert!(said(&out, |n| matches!(n, Note::NoVoltage { .. })));
        assert!(said(&out, |n| matches!(
            n,
            Note::Prompt {
                index: 0,
                lift_first: true,
                ..
            }
        )));
        // The dial still on volts is not a "wrong mode" message yet.
        let out = run(&mut g, n(volts(0.0), 3));
        assert!(!said(&out, |n| matches!(n, Note::Problem(_))));
    }

    #[test]
    fn probes_lifted_and_left_in_the_air_record_nothing() {
        let mut g = measuring();
        let out = run(&mut g, n(ol(), 600));
        assert!(records(&out).is_empty());
        assert!(
            out.iter()
                .any(|o| matches!(o, Output::Status(Status::OpenAwaitingKey)))
        );
    }

    #[test]
    fn the_first_point_needs_a_lift_even_when_the_reading_is_right() {
        let mut g = measuring();
        // The probes rest on D0/E0 from the voltage check: steady, but never lifted. Said once.
        let out = run(&mut g, n(ohms(12.0), 20));
        assert!(records(&out).is_empty());
        let said_lift = out
            .iter()
            .filter(|o| matches!(o, Output::Say(Note::LiftFirst { .. })))
            .count();
        assert_eq!(said_lift, 1);
        let out = run(&mut g, vec![K(Key::Accept)]);
        assert!(said(&out, |n| matches!(n, Note::LiftFirst { .. })));
        assert!(records(&out).is_empty());
        // Lift, put back, settle.
        let out = run(&mut g, seq(vec![n(ol(), 2), n(ohms(12.0), 3)]));
        assert_eq!(records(&out), vec![(0, Reading::Ohms(12.0))]);
    }

    #[test]
    fn a_point_records_after_a_lift_and_three_steady_readings() {
        let mut g = measuring();
        let out = run(
            &mut g,
            seq(vec![
                n(ol(), 2),
                vec![R(ohms(900.0)), R(ohms(702.0)), R(ohms(705.0))],
                n(ohms(700.0), 1),
            ]),
        );
        assert_eq!(records(&out), vec![(0, Reading::Ohms(700.0))]);
        assert!(said(&out, |n| matches!(
            n,
            Note::Prompt {
                index: 1,
                lift_first: false,
                ..
            }
        )));
    }

    #[test]
    fn probes_left_on_the_previous_crossing_record_nothing_for_the_next() {
        let mut g = measuring();
        run(&mut g, seq(vec![n(ol(), 2), n(ohms(700.0), 3)]));
        // Left there: the same value, and values within the tolerance of it, forever.
        let still: Vec<In> = (0..300).map(|i| R(ohms(700.0 + (i % 7) as f64))).collect();
        let out = run(&mut g, still);
        assert!(records(&out).is_empty());
        assert!(
            out.iter()
                .any(|o| matches!(o, Output::Status(Status::StillOnLastPoint { .. })))
        );
        // Moved: lift and a new handset.
        let out = run(&mut g, seq(vec![n(ol(), 2), n(ohms(760.0), 3)]));
        assert_eq!(records(&out), vec![(1, Reading::Ohms(760.0))]);
    }

    #[test]
    fn a_slide_without_ol_counts_as_a_move_when_the_value_jumps() {
        let mut g = measuring();
        run(&mut g, seq(vec![n(ol(), 2), n(ohms(700.0), 3)]));
        let out = run(&mut g, n(ohms(1400.0), 3));
        assert_eq!(records(&out), vec![(1, Reading::Ohms(1400.0))]);
    }

    #[test]
    fn a_reading_like_the_last_point_is_held_until_confirmed() {
        let mut g = measuring();
        run(&mut g, seq(vec![n(ol(), 2), n(ohms(700.0), 3)]));
        // Lifted and back on a crossing reading within the noise (0.3 Ω apart).
        let out = run(&mut g, seq(vec![n(ol(), 2), n(ohms(700.3), 10)]));
        assert!(records(&out).is_empty());
        let held = out
            .iter()
            .filter(|o| matches!(o, Output::Say(Note::Held { .. })))
            .count();
        assert_eq!(held, 1, "said once");
        let out = run(&mut g, vec![K(Key::Accept)]);
        assert_eq!(records(&out), vec![(1, Reading::Ohms(700.3))]);
        // 2 % away is a different handset: no question asked.
        let out = run(&mut g, seq(vec![n(ol(), 2), n(ohms(714.0), 3)]));
        assert_eq!(records(&out), vec![(2, Reading::Ohms(714.0))]);
    }

    #[test]
    fn ol_is_recorded_only_with_a_key() {
        let mut g = measuring();
        run(&mut g, seq(vec![n(ol(), 2), n(ohms(700.0), 3)]));
        let out = run(&mut g, n(ol(), 100));
        assert!(records(&out).is_empty());
        let out = run(&mut g, vec![K(Key::Accept)]);
        assert_eq!(records(&out), vec![(1, Reading::Open)]);
    }

    #[test]
    fn a_double_press_does_not_record_the_next_point_from_the_same_place() {
        let mut g = measuring();
        run(&mut g, seq(vec![n(ol(), 2), n(ohms(700.0), 3), n(ol(), 3)]));
        let out = run(&mut g, vec![K(Key::Accept), K(Key::Accept)]);
        assert_eq!(records(&out), vec![(1, Reading::Open)]);
        assert!(said(&out, |n| matches!(n, Note::WaitForReading)));
        // One reading later a single press is still not enough: the display showed it once.
        let out = run(&mut g, vec![R(ol()), K(Key::Accept)]);
        assert!(records(&out).is_empty());
        assert!(said(&out, |n| matches!(n, Note::NotSteady { .. })));
        // Shown twice: now it counts.
        let out = run(&mut g, vec![R(ol()), K(Key::Accept)]);
        assert_eq!(records(&out), vec![(2, Reading::Open)]);
    }

    #[test]
    fn a_second_press_takes_a_reading_that_never_settles() {
        let mut g = measuring();
        run(&mut g, n(ol(), 2));
        let flicker: Vec<In> = (0..20)
            .map(|i| R(ohms(if i % 2 == 0 { 700.0 } else { 760.0 })))
            .collect();
        let out = run(&mut g, flicker);
        assert!(records(&out).is_empty());
        let out = run(&mut g, vec![K(Key::Accept)]);
        assert!(records(&out).is_empty());
        let out = run(&mut g, vec![K(Key::Accept)]);
        assert_eq!(records(&out), vec![(0, Reading::Ohms(760.0))]);
    }

    #[test]
    fn auto_open_takes_ol_after_a_run_and_says_so() {
        let settings = CaptureSettings {
            voltage_check: false,
            ..CaptureSettings::new(3, 2.0).with_auto_open()
        };
        let mut g = Guide::new(points(), settings);
        g.start();
        let out = run(&mut g, n(ol(), 5));
        assert!(records(&out).is_empty());
        assert!(
            out.iter()
                .any(|o| matches!(o, Output::Status(Status::AutoOpen { have: 5, need: 6 })))
        );
        let out = run(&mut g, n(ol(), 1));
        assert_eq!(records(&out), vec![(0, Reading::Open)]);
    }

    #[test]
    fn redo_takes_back_the_held_row_and_needs_a_fresh_placement() {
        let mut g = measuring();
        run(&mut g, seq(vec![n(ol(), 2), n(ohms(12.0), 3)]));
        // The technician doubts point 0 while the probes still sit on it.
        let out = run(&mut g, vec![K(Key::Redo)]);
        assert_eq!(
            out.iter()
                .filter(|o| matches!(o, Output::Retract { index: 0, .. }))
                .count(),
            1
        );
        assert!(said(&out, |n| matches!(
            n,
            Note::Prompt {
                index: 0,
                lift_first: true,
                ..
            }
        )));
        // Still there: not recorded again until lifted.
        let out = run(&mut g, n(ohms(12.0), 10));
        assert!(records(&out).is_empty());
        let out = run(&mut g, seq(vec![n(ol(), 2), n(ohms(12.5), 3)]));
        assert_eq!(records(&out), vec![(0, Reading::Ohms(12.5))]);
        // Point 1, then redo twice: the second reaches a point already in the file.
        let out = run(
            &mut g,
            seq(vec![n(ol(), 2), n(ohms(700.0), 3), vec![K(Key::Redo)]]),
        );
        assert_eq!(records(&out), vec![(1, Reading::Ohms(700.0))]);
        let out = run(&mut g, vec![K(Key::Redo)]);
        assert!(said(&out, |n| matches!(n, Note::RedoSaved { .. })));
        assert!(!out.iter().any(|o| matches!(o, Output::Retract { .. })));
    }

    #[test]
    fn skip_moves_on_and_the_skipped_crossing_is_not_taken_for_the_next() {
        let mut g = measuring();
        run(&mut g, seq(vec![n(ol(), 2), n(ohms(12.0), 3)]));
        // On point 1 the probes land, then the technician skips it.
        let out = run(
            &mut g,
            seq(vec![n(ol(), 2), n(ohms(900.0), 1), vec![K(Key::Skip)]]),
        );
        assert!(said(&out, |n| matches!(n, Note::Skipped { .. })));
        // The skipped crossing's reading goes on: not point 2's.
        let out = run(&mut g, n(ohms(900.0), 10));
        assert!(records(&out).is_empty());
        let out = run(&mut g, seq(vec![n(ol(), 1), n(ohms(40.0), 3)]));
        assert_eq!(records(&out), vec![(2, Reading::Ohms(40.0))]);
        // Redo goes back to the skipped point: no row to take back.
        let out = run(&mut g, vec![K(Key::Redo)]);
        assert!(
            out.iter()
                .any(|o| matches!(o, Output::Retract { index: 2, .. }))
        );
        let out = run(&mut g, vec![K(Key::Redo)]);
        assert!(said(&out, |n| matches!(n, Note::Redo { .. })));
        assert!(!out.iter().any(|o| matches!(o, Output::Retract { .. })));
        assert!(said(&out, |n| matches!(n, Note::Prompt { index: 1, .. })));
    }

    #[test]
    fn the_run_ends_complete_stopped_or_interrupted() {
        let mut g = Guide::new(
            vec![(d(0), e(0))],
            CaptureSettings {
                voltage_check: false,
                ..CaptureSettings::default()
            },
        );
        g.start();
        let out = run(&mut g, seq(vec![n(ol(), 2), vec![K(Key::Skip)]]));
        assert!(out.contains(&Output::End(End::Complete { skipped: 1 })));
        assert!(g.ended());
        assert!(run(&mut g, n(ol(), 3)).is_empty());
        let mut g = measuring();
        assert_eq!(g.key(Key::Stop), vec![Output::End(End::Stopped)]);
        let mut g = measuring();
        assert_eq!(g.key(Key::Interrupt), vec![Output::End(End::Interrupted)]);
    }

    #[test]
    fn a_lift_seen_on_the_diode_range_counts() {
        let mut g = measuring();
        let diode_ol = MeterReading {
            mode: Mode::Diode,
            unit: Unit::Volt,
            value: None,
            overload: true,
            flags: vec![],
        };
        // Lifted and placed with the dial one click off, then back on Ω.
        let out = run(&mut g, seq(vec![n(diode_ol, 2), n(ohms(12.0), 3)]));
        assert_eq!(records(&out), vec![(0, Reading::Ohms(12.0))]);
    }

    #[test]
    fn a_frozen_or_wrong_display_records_nothing_and_is_said_once() {
        let mut g = measuring();
        let mut hold = ohms(700.0);
        hold.flags = vec!["AUTO", "HOLD"];
        let out = run(&mut g, seq(vec![n(ol(), 2), n(hold, 10)]));
        assert!(records(&out).is_empty());
        let said_hold = out
            .iter()
            .filter(|o| matches!(o, Output::Say(Note::Problem(Problem::NotLive("HOLD")))))
            .count();
        assert_eq!(said_hold, 1);
        let diode = MeterReading {
            mode: Mode::Diode,
            unit: Unit::Volt,
            ..ohms(0.6)
        };
        let out = run(&mut g, n(diode, 3));
        assert!(said(&out, |n| matches!(
            n,
            Note::Problem(Problem::Mode(ModeProblem::WrongMode(Mode::Diode)))
        )));
        let out = run(&mut g, n(ohms(700.0), 3));
        assert!(said(&out, |n| matches!(n, Note::ProblemGone)));
        assert_eq!(records(&out), vec![(0, Reading::Ohms(700.0))]);
    }
}
