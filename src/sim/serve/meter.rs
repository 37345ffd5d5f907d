//! The simulated handheld or bench meter: what a meter of a given model would send while a
//! technician holds its probes where the control channel says. Streaming chips send one
//! packet per packet interval (the model's, divided by the speed-up), encoded by the meter
//! code's own `encode()`; a polled meter (the UT61E+ family) answers each request frame with
//! one such reply; SCPI meters answer queries through `scpi::Responder`.
//!
//! Must not decide anything about capture: it only shows what is on the display.

use super::cable::{self, Cable, CableError, DeviceEnd};
use super::control::{ControlCommand, ControlState, Controller, Stop};
use crate::acquire::meter::scpi::Responder;
use crate::acquire::meter::ut61eplus::{CMD_MEASURE, RequestReader};
use crate::acquire::meter::{Chip, MeterModel, MeterReading, Mode, Unit};
use crate::model::Reading;
use crate::sim::Probe;
use std::time::{Duration, Instant};

/// How the simulated meter behaves.
#[derive(Debug, Clone)]
pub struct MeterConfig {
    /// The model (chip, packet interval).
    pub model: &'static MeterModel,
    /// Time between packets (the model's interval divided by the speed-up).
    pub interval: Duration,
}

/// Forward voltage the diode test shows across a handset (silicon diode).
const DIODE_DROP_VOLTS: f64 = 0.62;

/// What the display shows for the simulated world, given the resistance between the probes.
pub fn displayed(state: &ControlState, ohms: Reading) -> MeterReading {
    let (mode, unit, value, flags): (Mode, Unit, Option<f64>, Vec<&'static str>) = match state.mode
    {
        Mode::Resistance => (Mode::Resistance, Unit::Ohm, ohms.ohms(), vec!["AUTO"]),
        Mode::Continuity => (Mode::Continuity, Unit::Ohm, ohms.ohms(), vec![]),
        Mode::Diode => (
            Mode::Diode,
            Unit::Volt,
            ohms.ohms().map(|_| DIODE_DROP_VOLTS),
            vec![],
        ),
        Mode::VoltageDc => (
            Mode::VoltageDc,
            Unit::Volt,
            Some(state.volts),
            vec!["AUTO", "DC"],
        ),
        Mode::VoltageAc => (
            Mode::VoltageAc,
            Unit::Volt,
            Some(state.volts),
            vec!["AUTO", "AC"],
        ),
        Mode::CurrentDc => (Mode::CurrentDc, Unit::Ampere, Some(0.0), vec!["DC"]),
        Mode::CurrentAc => (Mode::CurrentAc, Unit::Ampere, Some(0.0), vec!["AC"]),
        other => (other, Unit::None, Some(0.0), vec![]),
    };
    MeterReading {
        overload: value.is_none(),
        value,
        unit,
        mode,
        flags,
    }
}

struct Device {
    probe: Box<dyn Probe>,
    ctl: Controller,
    cfg: MeterConfig,
    /// (generation, reading) of the last measurement, so the model is solved once per move.
    cache: Option<(u64, Reading)>,
    packets: u64,
}

/// Serves the meter over `cable` until `quit`: a new cable (pseudo-terminal or TCP client)
/// after each `plug`.
pub fn serve(
    probe: Box<dyn Probe>,
    ctl: Controller,
    cfg: MeterConfig,
    cable: Cable,
) -> Result<(), CableError> {
    let mut dev = Device {
        probe,
        ctl: ctl.clone(),
        cfg,
        cache: None,
        packets: 0,
    };
    cable::serve(cable, &ctl, |end| match dev.cfg.model.chip {
        Chip::Scpi(_) => dev.serve_scpi(end),
        chip if chip.poll_request().is_some() => dev.serve_polled(end),
        _ => dev.serve_stream(end),
    })
}

impl Device {
    /// What the display shows now.
    fn reading(&mut self) -> MeterReading {
        let state = self.ctl.state().clone();
        let ohms = match (state.probes, self.cache) {
            (None, _) => Reading::Open,
            (Some(_), Some((g, r))) if g == state.generation => r,
            (Some((red, black)), _) => {
                let r = self.probe.measure(red, black);
                self.cache = Some((state.generation, r));
                r
            }
        };
        displayed(&state, ohms)
    }

    fn write(&mut self, end: &mut dyn DeviceEnd, bytes: &[u8]) {
        self.packets += 1;
        let mut out = Vec::with_capacity(bytes.len() + 8);
        if self.ctl.state().noise {
            if matches!(self.cfg.model.chip, Chip::Scpi(_)) {
                // A line protocol: noise garbles a reply now and then (a line end in the
                // noise would be a reply of its own, which no real cable invents).
                if self.packets.is_multiple_of(11) {
                    out.extend_from_slice(&[0x00, 0xff, 0x13, 0x80]);
                }
            } else {
                // Garbage between packets, and now and then a packet cut short.
                out.extend_from_slice(&[0x00, 0xff, 0x13, 0x37, b'\r', b'\n', 0x80]);
                if self.packets.is_multiple_of(4) {
                    out.extend_from_slice(&bytes[..bytes.len() / 2]);
                }
            }
        }
        out.extend_from_slice(bytes);
        end.set_timeout(Duration::from_millis(50));
        let _ = end.write_all(&out).and_then(|_| end.flush());
    }

    /// Waits until `until`, draining (and ignoring) anything the host sends.
    fn idle_until(&mut self, end: &mut dyn DeviceEnd, until: Instant) -> Option<Stop> {
        let mut buf = [0u8; 256];
        loop {
            if let Some(stop) = cable::stop_now(&self.ctl, end) {
                return Some(stop);
            }
            let now = Instant::now();
            if now >= until {
                return None;
            }
            end.set_timeout((until - now).min(Duration::from_millis(50)));
            let _ = end.read(&mut buf);
        }
    }

    fn serve_stream(&mut self, end: &mut dyn DeviceEnd) -> Stop {
        let chip = self.cfg.model.chip;
        let mut next = Instant::now() + self.cfg.interval;
        loop {
            if let Some(stop) = self.idle_until(end, next) {
                return stop;
            }
            next += self.cfg.interval;
            if self.ctl.state().silent {
                continue;
            }
            let reading = self.reading();
            if let Some(bytes) = chip.encode(&reading) {
                self.write(end, &bytes);
                self.ctl.count_measurement();
            }
        }
    }

    /// A polled meter: each measurement request is answered at once with what the display
    /// shows (the host paces its requests); other commands are ignored.
    fn serve_polled(&mut self, end: &mut dyn DeviceEnd) -> Stop {
        let chip = self.cfg.model.chip;
        let mut requests = RequestReader::default();
        let mut buf = [0u8; 256];
        loop {
            if let Some(stop) = cable::stop_now(&self.ctl, end) {
                return stop;
            }
            end.set_timeout(Duration::from_millis(20));
            // Timeouts (and EIO while no user program has the port open): nothing read.
            let n = end.read(&mut buf).unwrap_or_default();
            for cmd in requests.push(&buf[..n]) {
                if cmd != CMD_MEASURE || self.ctl.state().silent {
                    continue;
                }
                let reading = self.reading();
                if let Some(bytes) = chip.encode(&reading) {
                    self.write(end, &bytes);
                    self.ctl.count_measurement();
                }
            }
        }
    }

    fn serve_scpi(&mut self, end: &mut dyn DeviceEnd) -> Stop {
        let Chip::Scpi(family) = self.cfg.model.chip else {
            return Stop::Quit;
        };
        let idn = format!(
            "KMDIAG,SIM-{},SIM0001,1.0",
            self.cfg.model.name.to_uppercase()
        );
        let mut responder = Responder::new(family, &idn, self.reading());
        let mut pending: Vec<u8> = Vec::new();
        let mut buf = [0u8; 256];
        loop {
            if let Some(stop) = cable::stop_now(&self.ctl, end) {
                return stop;
            }
            end.set_timeout(Duration::from_millis(20));
            // Timeouts (and EIO while no user program has the port open): nothing read.
            let n = end.read(&mut buf).unwrap_or_default();
            pending.extend_from_slice(&buf[..n]);
            if pending.len() > 4096 {
                pending.clear();
            }
            while let Some(pos) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=pos).collect();
                let line = String::from_utf8_lossy(&line).trim().to_string();
                if self.ctl.state().silent {
                    continue;
                }
                let upper = line.to_ascii_uppercase();
                let value_query = ["MEAS", "READ", "FETC", "VAL"]
                    .iter()
                    .any(|q| upper.starts_with(q));
                if value_query {
                    // One integration per reading: the bench meter's reading rate.
                    let until = Instant::now() + self.cfg.interval;
                    if let Some(stop) = self.idle_until(end, until) {
                        return stop;
                    }
                }
                let before = self.reading();
                responder.reading = before.clone();
                let reply = responder.respond(&line);
                if responder.reading.mode != before.mode {
                    // CONF:RES and friends turn the (virtual) dial.
                    self.ctl.apply(ControlCommand::Mode(responder.reading.mode));
                }
                if let Some(reply) = reply {
                    let mut bytes = reply.into_bytes();
                    bytes.push(b'\n');
                    self.write(end, &bytes);
                    if value_query {
                        self.ctl.count_measurement();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_display_follows_the_dial() {
        let mut s = ControlState::default();
        let r = displayed(&s, Reading::Ohms(702.0));
        assert_eq!(
            (r.mode, r.value, r.overload),
            (Mode::Resistance, Some(702.0), false)
        );
        assert!(displayed(&s, Reading::Open).overload);
        s.mode = Mode::Diode;
        assert_eq!(
            displayed(&s, Reading::Ohms(702.0)).value,
            Some(DIODE_DROP_VOLTS)
        );
        s.mode = Mode::VoltageDc;
        s.volts = 12.0;
        let r = displayed(&s, Reading::Open);
        assert_eq!((r.unit, r.value), (Unit::Volt, Some(12.0)));
    }
}
