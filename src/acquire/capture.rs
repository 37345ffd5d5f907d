//! Auto-capture for the guided handheld sweep: decides, reading by reading, when the probes
//! have moved to the next point and the meter has settled there.
//!
//! The rules:
//! - a move shows as a change from the last captured value: OL after a finite value, a finite
//!   value after OL, or a jump beyond the tolerance;
//! - after a move, `stable_count` consecutive readings within the tolerance of each other
//!   capture a finite value;
//! - OL cannot be told apart from probes in the air, so OL is captured only after
//!   `open_count` consecutive OL readings (longer than `stable_count`); the technician can
//!   accept at once with a key;
//! - readings in another mode than resistance are reported and reset the count.
//!
//! Pure: readings in, events out. No clock, no I/O.

use super::meter::{MeterReading, Mode};
use crate::model::Reading;

/// How eager the capture is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaptureSettings {
    /// Consecutive stable readings that capture a finite value.
    pub stable_count: usize,
    /// Consecutive OL readings that capture OL.
    pub open_count: usize,
    /// Relative tolerance between readings that count as "the same" (0.02 = 2 %).
    pub tolerance: f64,
}

impl CaptureSettings {
    /// Settings from the command line's `--stable-count N` and `--tolerance PCT`; OL needs
    /// twice the count.
    pub fn new(stable_count: usize, tolerance_pct: f64) -> Self {
        let stable_count = stable_count.max(1);
        CaptureSettings {
            stable_count,
            open_count: stable_count * 2,
            tolerance: (tolerance_pct / 100.0).max(0.0),
        }
    }
}

impl Default for CaptureSettings {
    fn default() -> Self {
        CaptureSettings::new(3, 2.0)
    }
}

/// What one reading did.
#[derive(Debug, Clone, PartialEq)]
pub enum CaptureEvent {
    /// The reading is still the last captured point's: the probes have not moved yet.
    AwaitingMove,
    /// Settling on a new point: `have` of `need` stable readings.
    Settling {
        /// The reading being watched.
        reading: Reading,
        /// Stable readings so far.
        have: usize,
        /// Stable readings needed.
        need: usize,
    },
    /// Captured: this is the point's reading.
    Captured(Reading),
    /// The meter is not in resistance mode.
    WrongMode(Mode),
}

/// Tiny absolute slack so that 0.00 Ω and 0.01 Ω count as the same (a dead short).
const ABS_SLACK_OHMS: f64 = 0.05;

/// The auto-capture state machine.
#[derive(Debug, Clone)]
pub struct Capture {
    settings: CaptureSettings,
    last: Reading,
    moved: bool,
    run_first: Option<Reading>,
    run_last: Option<Reading>,
    run_len: usize,
}

impl Capture {
    /// A fresh capture: as if the last point had read OL (probes not yet on the terminals).
    pub fn new(settings: CaptureSettings) -> Self {
        Capture {
            settings,
            last: Reading::Open,
            moved: false,
            run_first: None,
            run_last: None,
            run_len: 0,
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> CaptureSettings {
        self.settings
    }

    fn same(&self, a: Reading, b: Reading) -> bool {
        match (a, b) {
            (Reading::Open, Reading::Open) => true,
            (Reading::Ohms(x), Reading::Ohms(y)) => {
                (x - y).abs() <= self.settings.tolerance * x.abs().max(y.abs()) + ABS_SLACK_OHMS
            }
            _ => false,
        }
    }

    fn reset_run(&mut self) {
        self.run_first = None;
        self.run_last = None;
        self.run_len = 0;
    }

    /// Feeds one reading from the meter.
    pub fn push(&mut self, reading: &MeterReading) -> CaptureEvent {
        let Some(r) = reading.as_resistance() else {
            self.reset_run();
            return CaptureEvent::WrongMode(reading.mode);
        };
        if !self.moved && !self.same(r, self.last) {
            self.moved = true;
        }
        match self.run_first {
            Some(first) if self.same(first, r) => self.run_len += 1,
            _ => {
                self.run_first = Some(r);
                self.run_len = 1;
            }
        }
        self.run_last = Some(r);
        // A finite reading equal to the last capture is the old point until a move shows.
        if !self.moved && r.is_finite() {
            return CaptureEvent::AwaitingMove;
        }
        let need = if r.is_finite() {
            self.settings.stable_count
        } else {
            self.settings.open_count
        };
        if self.run_len >= need {
            return CaptureEvent::Captured(self.capture(r));
        }
        CaptureEvent::Settling {
            reading: r,
            have: self.run_len,
            need,
        }
    }

    fn capture(&mut self, r: Reading) -> Reading {
        self.last = r;
        self.moved = false;
        self.reset_run();
        r
    }

    /// The technician accepts the current reading now (a key press), e.g. an OL point or a
    /// point that reads the same as the previous one. `None` before any reading.
    pub fn accept_now(&mut self) -> Option<Reading> {
        let r = self.run_last?;
        Some(self.capture(r))
    }

    /// Forget the last capture (redo or skip): the next stable reading is taken as a new
    /// point even if it equals the old one.
    pub fn rearm(&mut self) {
        self.moved = true;
        self.reset_run();
    }
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
            flags: vec![],
        }
    }

    fn ol() -> MeterReading {
        MeterReading {
            value: None,
            overload: true,
            ..ohms(0.0)
        }
    }

    fn feed(c: &mut Capture, rs: &[MeterReading]) -> Vec<Reading> {
        rs.iter()
            .filter_map(|r| match c.push(r) {
                CaptureEvent::Captured(x) => Some(x),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn captures_after_three_stable_readings_and_waits_for_a_move() {
        let mut c = Capture::new(CaptureSettings::new(3, 2.0));
        let got = feed(
            &mut c,
            &[ol(), ohms(900.0), ohms(702.0), ohms(705.0), ohms(700.0)],
        );
        assert_eq!(got, vec![Reading::Ohms(700.0)]);
        // Same value again: still the old point.
        assert_eq!(c.push(&ohms(701.0)), CaptureEvent::AwaitingMove);
        assert_eq!(c.push(&ohms(701.0)), CaptureEvent::AwaitingMove);
        assert_eq!(c.push(&ohms(701.0)), CaptureEvent::AwaitingMove);
        // Lift (OL), then a new handset at the same value.
        let got = feed(&mut c, &[ol(), ohms(699.0), ohms(699.0), ohms(699.0)]);
        assert_eq!(got, vec![Reading::Ohms(699.0)]);
    }

    #[test]
    fn a_jump_is_a_move() {
        let mut c = Capture::new(CaptureSettings::new(2, 2.0));
        assert_eq!(
            feed(&mut c, &[ohms(700.0), ohms(700.0)]),
            vec![Reading::Ohms(700.0)]
        );
        assert_eq!(
            feed(&mut c, &[ohms(1400.0), ohms(1400.0)]),
            vec![Reading::Ohms(1400.0)]
        );
    }

    #[test]
    fn open_needs_a_longer_run_than_a_value() {
        let mut c = Capture::new(CaptureSettings::new(3, 2.0));
        assert!(feed(&mut c, &[ol(), ol(), ol(), ol(), ol()]).is_empty());
        assert_eq!(feed(&mut c, &[ol()]), vec![Reading::Open]);
        // OL after OL: counted afresh.
        assert!(feed(&mut c, &vec![ol(); 5]).is_empty());
        assert_eq!(feed(&mut c, &[ol()]), vec![Reading::Open]);
    }

    #[test]
    fn a_flickering_value_never_captures() {
        let mut c = Capture::new(CaptureSettings::new(3, 1.0));
        let rs: Vec<_> = (0..20)
            .map(|i| ohms(if i % 2 == 0 { 700.0 } else { 760.0 }))
            .collect();
        assert!(feed(&mut c, &rs).is_empty());
    }

    #[test]
    fn wrong_mode_is_reported_and_resets_the_count() {
        let mut c = Capture::new(CaptureSettings::new(2, 2.0));
        c.push(&ohms(700.0));
        let volts = MeterReading {
            mode: Mode::VoltageDc,
            unit: Unit::Volt,
            ..ohms(12.0)
        };
        assert_eq!(c.push(&volts), CaptureEvent::WrongMode(Mode::VoltageDc));
        assert!(matches!(
            c.push(&ohms(700.0)),
            CaptureEvent::Settling { .. }
        ));
    }

    #[test]
    fn accept_and_rearm_work_from_the_keyboard() {
        let mut c = Capture::new(CaptureSettings::new(3, 2.0));
        assert_eq!(c.accept_now(), None);
        c.push(&ol());
        assert_eq!(c.accept_now(), Some(Reading::Open));
        assert_eq!(
            feed(&mut c, &[ohms(5.0), ohms(5.0), ohms(5.0)]),
            vec![Reading::Ohms(5.0)]
        );
        c.rearm();
        assert_eq!(
            feed(&mut c, &[ohms(5.0), ohms(5.0), ohms(5.0)]),
            vec![Reading::Ohms(5.0)]
        );
    }
}
