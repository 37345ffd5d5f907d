//! The control channel of a simulated device: where the technician's probes are and what
//! happens to the cable, as text lines (`probe D3 E7`, `lift`, `mode diode`, `volts 12`,
//! `silent`, `talk`, `noise on`, `unplug`, `unplug after 40`, `plug`, `quit`).
//!
//! Parsing is pure; `Controller` is the state shared between the line reader and the device
//! thread. Must not write to the port.

use crate::acquire::meter::Mode;
use crate::model::Terminal;
use crate::profile::LineLabels;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// One control line, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum ControlCommand {
    /// `probe D3 E7`: red (+) probe on the first terminal, black (−) on the second.
    Probe(Terminal, Terminal),
    /// `lift`: both probes in the air (the meter reads OL).
    Lift,
    /// `mode resistance|continuity|diode|volts|current`: turn the dial.
    Mode(Mode),
    /// `volts V`: the lines carry V volts (a powered panel); 0 = disconnected.
    Volts(f64),
    /// `silent`: stop sending (PC link off); `talk` starts again.
    Silent(bool),
    /// `noise on|off`: mix garbage bytes and corrupted lines into the stream.
    Noise(bool),
    /// `unplug`: pull the cable now; `unplug after N`: after N more measurements.
    Unplug(Option<u32>),
    /// `plug`: a new cable (a new pseudo-terminal; the link follows it).
    Plug,
    /// `quit`: stop serving once the peer has read everything.
    Quit,
}

/// Help text listing the commands.
pub const HELP: &str = "control commands: probe D3 E7 | lift | mode resistance|continuity|diode|volts | volts V | silent | talk | noise on|off | unplug [after N] | plug | quit";

/// Parses one control line against the simulated matrix's labels.
pub fn parse_control(line: &str, labels: &LineLabels) -> Result<ControlCommand, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let terminal = |w: &str| {
        labels
            .parse(w)
            .ok_or_else(|| format!("unknown terminal '{w}'; expected {}", labels.expected()))
    };
    let cmd = match words.as_slice() {
        ["probe", red, black] => {
            let (r, b) = (terminal(red)?, terminal(black)?);
            if r == b {
                return Err(format!("'{red}' and '{black}' are the same terminal"));
            }
            ControlCommand::Probe(r, b)
        }
        ["lift"] => ControlCommand::Lift,
        ["mode", m] => ControlCommand::Mode(match *m {
            "resistance" | "ohm" | "ohms" => Mode::Resistance,
            "continuity" | "beep" => Mode::Continuity,
            "diode" => Mode::Diode,
            "volts" | "voltage" | "vdc" => Mode::VoltageDc,
            "vac" => Mode::VoltageAc,
            "current" | "amps" => Mode::CurrentDc,
            other => {
                return Err(format!(
                    "unknown mode '{other}'; expected resistance, continuity, diode, volts, vac or current"
                ));
            }
        }),
        ["volts", v] => match v.parse::<f64>() {
            Ok(x) if x.is_finite() => ControlCommand::Volts(x),
            _ => return Err(format!("'{v}' is not a voltage; write it like 12 or 0")),
        },
        ["silent"] => ControlCommand::Silent(true),
        ["talk"] => ControlCommand::Silent(false),
        ["noise", "on"] => ControlCommand::Noise(true),
        ["noise", "off"] => ControlCommand::Noise(false),
        ["unplug"] => ControlCommand::Unplug(None),
        ["unplug", "after", n] => match n.parse::<u32>() {
            Ok(n) => ControlCommand::Unplug(Some(n)),
            Err(_) => return Err(format!("'{n}' is not a count of measurements")),
        },
        ["plug"] => ControlCommand::Plug,
        ["quit"] | ["exit"] => ControlCommand::Quit,
        _ => return Err(format!("cannot read '{}'; {HELP}", line.trim())),
    };
    Ok(cmd)
}

/// What the simulated world looks like right now.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlState {
    /// Where the probes are (red, black); `None` = lifted.
    pub probes: Option<(Terminal, Terminal)>,
    /// The dial.
    pub mode: Mode,
    /// Voltage on the lines.
    pub volts: f64,
    /// PC link off.
    pub silent: bool,
    /// Garbage in the stream.
    pub noise: bool,
    /// Cable plugged in.
    pub plugged: bool,
    /// Measurements left before the cable is pulled.
    pub unplug_after: Option<u32>,
    /// Stop serving.
    pub quit: bool,
    /// What `--port` names for the current cable, once one exists: the pseudo-terminal's
    /// user end, or `tcp://ADDR` while a TCP listener is plugged in.
    pub path: Option<PathBuf>,
    /// Bumped whenever the probes move or the cable is replugged.
    pub generation: u64,
    /// Measurements sent (packets, or replies to value queries): tests wait for the meter to
    /// have shown something instead of guessing with the clock.
    pub sent: u64,
}

impl Default for ControlState {
    fn default() -> Self {
        ControlState {
            probes: None,
            mode: Mode::Resistance,
            volts: 0.0,
            silent: false,
            noise: false,
            plugged: true,
            unplug_after: None,
            quit: false,
            path: None,
            generation: 0,
            sent: 0,
        }
    }
}

/// Why a simulated device stopped serving its pseudo-terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The cable was pulled (`unplug`).
    Unplugged,
    /// The device is done (`quit`).
    Quit,
}

/// Shared handle to the control state.
#[derive(Debug, Clone, Default)]
pub struct Controller {
    inner: Arc<(Mutex<ControlState>, Condvar)>,
}

impl Controller {
    /// A controller in the default state: plugged, resistance mode, probes lifted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Locks the state. A poisoned lock (a panicking device thread) still holds valid data.
    pub fn state(&self) -> MutexGuard<'_, ControlState> {
        self.inner.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Applies a command and wakes the device thread.
    pub fn apply(&self, cmd: ControlCommand) {
        let mut s = self.state();
        match cmd {
            ControlCommand::Probe(r, b) => {
                s.probes = Some((r, b));
                s.generation += 1;
            }
            ControlCommand::Lift => {
                s.probes = None;
                s.generation += 1;
            }
            ControlCommand::Mode(m) => s.mode = m,
            ControlCommand::Volts(v) => s.volts = v,
            ControlCommand::Silent(on) => s.silent = on,
            ControlCommand::Noise(on) => s.noise = on,
            ControlCommand::Unplug(None) => {
                s.plugged = false;
                s.unplug_after = None;
            }
            ControlCommand::Unplug(Some(n)) => s.unplug_after = Some(n),
            ControlCommand::Plug => s.plugged = true,
            ControlCommand::Quit => s.quit = true,
        }
        drop(s);
        self.inner.1.notify_all();
    }

    /// Counts one measurement sent (`sent`) and towards `unplug after N`; pulls the cable
    /// when that reaches 0.
    pub fn count_measurement(&self) {
        let mut s = self.state();
        s.sent += 1;
        if let Some(n) = s.unplug_after {
            if n <= 1 {
                s.plugged = false;
                s.unplug_after = None;
            } else {
                s.unplug_after = Some(n - 1);
            }
        }
        drop(s);
        self.inner.1.notify_all();
    }

    /// Records the user end's path and wakes anyone waiting for it.
    pub fn set_path(&self, path: Option<PathBuf>) {
        let mut s = self.state();
        s.path = path;
        s.generation += 1;
        drop(s);
        self.inner.1.notify_all();
    }

    /// Whether a device should stop serving its pseudo-terminal now, and why.
    pub fn stop_now(&self) -> Option<Stop> {
        let s = self.state();
        if s.quit {
            Some(Stop::Quit)
        } else if !s.plugged {
            Some(Stop::Unplugged)
        } else {
            None
        }
    }

    /// Waits until `ready` holds for the state, or `limit` passes; returns whether it held.
    pub fn wait_for(&self, limit: Duration, ready: impl Fn(&ControlState) -> bool) -> bool {
        let guard = self.state();
        let (guard, _) = self
            .inner
            .1
            .wait_timeout_while(guard, limit, |s| !ready(s))
            .unwrap_or_else(|p| p.into_inner());
        ready(&guard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{LabelSpec, Numbering};

    fn labels() -> LineLabels {
        let spec = LabelSpec {
            tens: "D".into(),
            units: "E".into(),
            tens_names: None,
            units_names: None,
            as_printed: false,
        };
        LineLabels::new(&spec, Numbering::UnitsFromOne, 10, 10)
    }

    #[test]
    fn reads_every_control_command() {
        let l = labels();
        assert_eq!(
            parse_control("probe D3 E10", &l),
            Ok(ControlCommand::Probe(Terminal::tens(3), Terminal::units(9)))
        );
        assert_eq!(parse_control(" lift ", &l), Ok(ControlCommand::Lift));
        assert_eq!(
            parse_control("mode diode", &l),
            Ok(ControlCommand::Mode(Mode::Diode))
        );
        assert_eq!(
            parse_control("volts 12", &l),
            Ok(ControlCommand::Volts(12.0))
        );
        assert_eq!(
            parse_control("silent", &l),
            Ok(ControlCommand::Silent(true))
        );
        assert_eq!(
            parse_control("unplug after 40", &l),
            Ok(ControlCommand::Unplug(Some(40)))
        );
        assert_eq!(parse_control("plug", &l), Ok(ControlCommand::Plug));
    }

    #[test]
    fn bad_control_lines_say_what_is_expected() {
        let l = labels();
        let e = parse_control("probe D3 E0", &l).unwrap_err();
        assert!(e.contains("'E0'") && e.contains("E1-E10"), "{e}");
        assert!(parse_control("probe D3 D3", &l).is_err());
        assert!(parse_control("volts x", &l).is_err());
        assert!(
            parse_control("dance", &l)
                .unwrap_err()
                .contains("probe D3 E7")
        );
    }

    #[test]
    fn unplug_after_counts_down() {
        let c = Controller::new();
        c.apply(ControlCommand::Unplug(Some(2)));
        c.count_measurement();
        assert!(c.state().plugged);
        c.count_measurement();
        assert!(!c.state().plugged);
    }
}
