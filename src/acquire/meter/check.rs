//! Mode and safety checks on a reading, shared by `kmdiag read` and the guided sweep: is the
//! meter measuring resistance, and is the line powered?
//!
//! Pure: a reading in, a verdict out; no I/O.

use super::{MeterReading, Mode};
use crate::i18n::Message;
use crate::msg;

/// Above this many volts (|V|) a voltage reading means the line is live.
pub const POWERED_VOLTS: f64 = 0.5;

/// Why a reading cannot be used as a resistance.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.message())]
pub enum ModeProblem {
    /// The meter shows a real voltage: the panel still powers the lines.
    Powered {
        /// The voltage shown.
        volts: f64,
        /// "DC" or "AC".
        kind: &'static str,
    },
    /// The dial is on something other than Ω.
    WrongMode(Mode),
}

impl ModeProblem {
    /// The problem as a catalogue message: what the meter shows and what to do.
    pub fn message(&self) -> Message {
        match self {
            ModeProblem::Powered { volts, kind } => {
                msg!("meter-powered", volts = format!("{volts:.2}"), kind = *kind)
            }
            ModeProblem::WrongMode(m) => msg!(
                "meter-wrong-mode",
                mode = m.describe(),
                hint = m.switch_hint()
            ),
        }
    }
}

impl Mode {
    /// The name in JSON output and CSV: `resistance`, `voltage_dc`, …
    pub fn name(self) -> &'static str {
        match self {
            Mode::Resistance => "resistance",
            Mode::Continuity => "continuity",
            Mode::Diode => "diode",
            Mode::VoltageDc => "voltage_dc",
            Mode::VoltageAc => "voltage_ac",
            Mode::CurrentDc => "current_dc",
            Mode::CurrentAc => "current_ac",
            Mode::Capacitance => "capacitance",
            Mode::Frequency => "frequency",
            Mode::DutyCycle => "duty_cycle",
            Mode::Temperature => "temperature",
            Mode::Other => "other",
        }
    }

    /// Words for messages: "DC volts", "diode", …
    pub fn describe(self) -> Message {
        Message::new(match self {
            Mode::Resistance => "mode-resistance",
            Mode::Continuity => "mode-continuity",
            Mode::Diode => "mode-diode",
            Mode::VoltageDc => "mode-voltage-dc",
            Mode::VoltageAc => "mode-voltage-ac",
            Mode::CurrentDc => "mode-current-dc",
            Mode::CurrentAc => "mode-current-ac",
            Mode::Capacitance => "mode-capacitance",
            Mode::Frequency => "mode-frequency",
            Mode::DutyCycle => "mode-duty-cycle",
            Mode::Temperature => "mode-temperature",
            Mode::Other => "mode-other",
        })
    }

    /// What the technician should do to get to Ω from this mode.
    pub fn switch_hint(self) -> Message {
        Message::new(match self {
            Mode::Resistance => "mode-hint-already-ohms",
            // On most meters Ω, continuity and diode share one dial position.
            Mode::Continuity | Mode::Diode => "mode-hint-select",
            Mode::CurrentDc | Mode::CurrentAc => "mode-hint-red-lead",
            _ => "mode-hint-dial",
        })
    }
}

/// Checks that a reading is a usable resistance: `Ok` in Ω mode; `Powered` for a voltage mode
/// showing more than `POWERED_VOLTS`; `WrongMode` otherwise.
pub fn check_resistance_mode(r: &MeterReading) -> Result<(), ModeProblem> {
    match r.mode {
        Mode::Resistance => Ok(()),
        Mode::VoltageDc | Mode::VoltageAc => match r.value {
            Some(v) if v.abs() > POWERED_VOLTS => Err(ModeProblem::Powered {
                volts: v,
                kind: if r.mode == Mode::VoltageAc {
                    "AC"
                } else {
                    "DC"
                },
            }),
            // OL on a volts range is more than the range holds: powered as well.
            None if r.overload => Err(ModeProblem::Powered {
                volts: f64::NAN,
                kind: if r.mode == Mode::VoltageAc {
                    "AC"
                } else {
                    "DC"
                },
            }),
            _ => Err(ModeProblem::WrongMode(r.mode)),
        },
        m => Err(ModeProblem::WrongMode(m)),
    }
}

/// Display flags under which the number shown is not what the probes touch now: HOLD freezes
/// it, REL subtracts a stored value, MAX/MIN and peak modes show an extreme of the past.
const NOT_LIVE_FLAGS: &[&str] = &["HOLD", "REL", "MAX", "MIN", "PMAX", "PMIN"];

/// The flag that keeps the display from showing the live reading (HOLD, REL, MAX, MIN, …),
/// if one is on.
pub fn frozen_display(r: &MeterReading) -> Option<&'static str> {
    r.flags.iter().copied().find(|f| NOT_LIVE_FLAGS.contains(f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::Unit;

    #[test]
    fn hold_and_rel_are_not_live_readings() {
        let mut r = reading(Mode::Resistance, Some(700.0));
        r.flags = vec!["AUTO"];
        assert_eq!(frozen_display(&r), None);
        r.flags = vec!["AUTO", "HOLD"];
        assert_eq!(frozen_display(&r), Some("HOLD"));
        r.flags = vec!["REL"];
        assert_eq!(frozen_display(&r), Some("REL"));
    }

    fn reading(mode: Mode, value: Option<f64>) -> MeterReading {
        MeterReading {
            value,
            unit: Unit::Volt,
            mode,
            overload: value.is_none(),
            flags: vec![],
        }
    }

    #[test]
    fn resistance_passes() {
        let mut r = reading(Mode::Resistance, Some(70.5));
        r.unit = Unit::Ohm;
        assert_eq!(check_resistance_mode(&r), Ok(()));
    }

    #[test]
    fn twelve_volts_means_the_line_is_powered() {
        let e = check_resistance_mode(&reading(Mode::VoltageDc, Some(12.3))).unwrap_err();
        assert!(matches!(e, ModeProblem::Powered { .. }));
        let msg = e.to_string();
        assert!(msg.contains("the line is powered"), "{msg}");
        assert!(msg.contains("disconnect the panel"), "{msg}");
        assert!(msg.contains("12.30 V DC"), "{msg}");
    }

    #[test]
    fn a_few_millivolts_is_only_the_wrong_mode() {
        let e = check_resistance_mode(&reading(Mode::VoltageDc, Some(0.0001))).unwrap_err();
        assert_eq!(e, ModeProblem::WrongMode(Mode::VoltageDc));
        assert!(e.to_string().contains("DC volts mode; turn the dial to Ω"));
    }

    #[test]
    fn diode_mode_says_how_to_get_back_to_ohms() {
        let e = check_resistance_mode(&reading(Mode::Diode, Some(0.6))).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("the meter is in diode mode"), "{msg}");
        assert!(msg.contains('Ω'), "{msg}");
    }
}
