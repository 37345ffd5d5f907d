//! The simulated scanning adapter: speaks docs/adapter-protocol.md on the device end of a
//! simulated cable (pseudo-terminal or TCP), measures the simulated entrance through `Probe`, and takes a fixed device
//! time per reading (scheduled on absolute deadlines so the sweep's length is exact).
//!
//! Must not know anything the host does not send it: it sweeps what it is asked to.

use super::cable::{self, Cable, CableError, DeviceEnd};
use super::control::{Controller, Stop};
use crate::acquire::adapter::frame::{
    self, Command, FrameError, Identity, LineSplitter, MeasureLine, PROTOCOL_VERSION, Reply,
};
use crate::model::{LineKind, Terminal};
use crate::sim::Probe;
use std::time::{Duration, Instant};

/// Device time per reading of the simulated adapter at speed 1: relay settling plus one
/// integration of the measuring front end.
pub const READING_TIME: Duration = Duration::from_millis(20);

/// Voltage above which the adapter refuses to measure (docs/adapter-protocol.md §6).
pub const POWERED_VOLTS: f64 = 1.0;

/// How the simulated adapter behaves.
#[derive(Debug, Clone)]
pub struct AdapterConfig {
    /// Device time per reading.
    pub reading_time: Duration,
}

struct Device {
    probe: Box<dyn Probe>,
    ctl: Controller,
    reading_time: Duration,
    last_sweep: Vec<String>,
    lines_sent: u64,
    splitter: LineSplitter,
    tens: u16,
    units: u16,
}

/// Serves the adapter over `cable` until `quit`: a new cable (pseudo-terminal or TCP client)
/// after each `plug`.
pub fn serve(
    probe: Box<dyn Probe>,
    ctl: Controller,
    cfg: AdapterConfig,
    cable: Cable,
) -> Result<(), CableError> {
    let (tens, units) = (probe.labels().tens_count(), probe.labels().units_count());
    let mut dev = Device {
        probe,
        ctl: ctl.clone(),
        reading_time: cfg.reading_time,
        last_sweep: Vec::new(),
        lines_sent: 0,
        splitter: LineSplitter::new(),
        tens,
        units,
    };
    cable::serve(cable, &ctl, |end| {
        dev.splitter = LineSplitter::new();
        dev.serve(end)
    })
}

impl Device {
    fn serve(&mut self, end: &mut dyn DeviceEnd) -> Stop {
        loop {
            if let Some(stop) = cable::stop_now(&self.ctl, end) {
                return stop;
            }
            let lines = self.read_lines(end, Duration::from_millis(20));
            if self.ctl.state().silent {
                continue;
            }
            for line in lines {
                if let Some(stop) = self.handle(end, &line) {
                    return stop;
                }
            }
        }
    }

    fn read_lines(&mut self, end: &mut dyn DeviceEnd, wait: Duration) -> Vec<Vec<u8>> {
        let mut buf = [0u8; 256];
        end.set_timeout(wait.max(Duration::from_micros(100)));
        match end.read(&mut buf) {
            Ok(n) if n > 0 => self.splitter.push(&buf[..n]),
            // Timeouts, and EIO while no user program has the port open: nothing to read.
            _ => Vec::new(),
        }
    }

    fn send(&mut self, end: &mut dyn DeviceEnd, line: &str) {
        self.lines_sent += 1;
        let mut bytes = Vec::with_capacity(line.len() + 8);
        if self.ctl.state().noise {
            if self.lines_sent.is_multiple_of(5) {
                bytes.extend_from_slice(b"\x00\xfe#!~");
            }
            let mut body = line.as_bytes().to_vec();
            if self.lines_sent.is_multiple_of(7) && body.len() > 3 {
                body[2] ^= 0x01;
            }
            bytes.extend_from_slice(&body);
        } else {
            bytes.extend_from_slice(line.as_bytes());
        }
        // Nobody reading and the buffer full: the bytes are lost, as on a real cable.
        end.set_timeout(Duration::from_millis(50));
        let _ = end.write_all(&bytes).and_then(|_| end.flush());
    }

    fn reply(&mut self, end: &mut dyn DeviceEnd, r: &Reply) {
        self.send(end, &r.encode());
    }

    fn error(&mut self, end: &mut dyn DeviceEnd, code: &str, detail: &str) {
        self.reply(
            end,
            &Reply::Error {
                code: code.into(),
                detail: detail.into(),
            },
        );
    }

    fn on_adapter(&self, t: Terminal) -> bool {
        match t.kind {
            LineKind::Tens => t.index < self.tens,
            LineKind::Units => t.index < self.units,
        }
    }

    /// The refusal when the lines carry voltage.
    fn powered(&self) -> Option<String> {
        let v = self.ctl.state().volts;
        (v.abs() > POWERED_VOLTS).then(|| format!("{:.2},D0", v.abs()))
    }

    fn parse(&mut self, end: &mut dyn DeviceEnd, line: &[u8]) -> Option<Command> {
        match frame::decode(line) {
            Ok(body) => match Command::parse(body) {
                Ok(c) => Some(c),
                Err(e) => {
                    let code = if e.problem.starts_with("unknown command") {
                        "UNKNOWN"
                    } else {
                        "SYNTAX"
                    };
                    let detail = e.problem.replace(['$', '*', ','], " ");
                    self.error(end, code, &detail);
                    None
                }
            },
            Err(FrameError::Checksum { .. }) => {
                self.error(end, "CHECKSUM", "command garbled; send it again");
                None
            }
            // Not a frame at all: line noise, ignored.
            Err(_) => None,
        }
    }

    fn handle(&mut self, end: &mut dyn DeviceEnd, line: &[u8]) -> Option<Stop> {
        let cmd = self.parse(end, line)?;
        match cmd {
            Command::Hello { version } => self.hello(end, version),
            Command::Volts => {
                let v = self.ctl.state().volts.abs();
                self.reply(
                    end,
                    &Reply::Volts {
                        volts: v,
                        at: Terminal::tens(0),
                    },
                );
            }
            Command::Sweep { tens, units, bus } => {
                if tens > self.tens || units > self.units || tens == 0 || units == 0 {
                    let detail =
                        format!("adapter has {} D and {} E channels", self.tens, self.units);
                    self.error(end, "RANGE", &detail);
                } else if let Some(detail) = self.powered() {
                    self.error(end, "POWERED", &detail);
                } else {
                    return self.sweep(end, tens, units, bus);
                }
            }
            Command::Measure { plus, minus } => {
                if !self.on_adapter(plus) || !self.on_adapter(minus) || plus == minus {
                    self.error(end, "RANGE", "no such channel pair");
                } else if let Some(detail) = self.powered() {
                    self.error(end, "POWERED", &detail);
                } else {
                    let start = Instant::now();
                    let reading = self.probe.measure(plus, minus);
                    if let Some(stop) = self.wait_until(end, start + self.reading_time, &mut None) {
                        return Some(stop);
                    }
                    let line = Reply::Measure(MeasureLine {
                        seq: 0,
                        plus,
                        minus,
                        reading,
                    })
                    .encode();
                    self.send(end, &line);
                    self.ctl.count_measurement();
                }
            }
            Command::Resend { seq } => self.resend(end, seq),
            Command::Abort => self.reply(end, &Reply::Ok),
        }
        None
    }

    fn hello(&mut self, end: &mut dyn DeviceEnd, version: u32) {
        if version != PROTOCOL_VERSION {
            self.error(end, "VERSION", &PROTOCOL_VERSION.to_string());
            return;
        }
        let id = Reply::Id(Identity {
            vendor: "KMDIAG".into(),
            model: "SIM-SCAN".into(),
            serial: "SIM0001".into(),
            firmware: "1.0".into(),
            protocol: PROTOCOL_VERSION,
            tens: self.tens,
            units: self.units,
        });
        self.reply(end, &id);
    }

    fn resend(&mut self, end: &mut dyn DeviceEnd, seq: u32) {
        match seq
            .checked_sub(1)
            .and_then(|i| self.last_sweep.get(i as usize))
            .cloned()
        {
            Some(line) => self.send(end, &line),
            None => self.error(end, "NODATA", &seq.to_string()),
        }
    }

    /// Waits until `deadline` while answering commands that may come during a sweep.
    /// A `HELLO` or `ABORT` is left in `interrupt` for the caller.
    fn wait_until(
        &mut self,
        end: &mut dyn DeviceEnd,
        mut deadline: Instant,
        interrupt: &mut Option<Command>,
    ) -> Option<Stop> {
        loop {
            if let Some(stop) = cable::stop_now(&self.ctl, end) {
                return Some(stop);
            }
            let now = Instant::now();
            if self.ctl.state().silent {
                // A hung adapter: time stands still until it talks again.
                std::thread::sleep(Duration::from_millis(20));
                deadline += Instant::now() - now;
                continue;
            }
            if now >= deadline {
                return None;
            }
            for line in self.read_lines(end, deadline - now) {
                match self.parse(end, &line) {
                    Some(Command::Resend { seq }) => self.resend(end, seq),
                    Some(c @ (Command::Hello { .. } | Command::Abort)) => {
                        *interrupt = Some(c);
                        return None;
                    }
                    Some(_) => self.error(end, "BUSY", "a sweep is running; send ABORT first"),
                    None => {}
                }
            }
        }
    }

    fn sweep(&mut self, end: &mut dyn DeviceEnd, tens: u16, units: u16, bus: bool) -> Option<Stop> {
        let order = frame::sweep_order(tens, units, bus);
        self.last_sweep.clear();
        self.reply(
            end,
            &Reply::Begin {
                count: order.len() as u32,
            },
        );
        let start = Instant::now();
        let mut interrupt = None;
        for (k, (plus, minus)) in order.iter().copied().enumerate() {
            let reading = self.probe.measure(plus, minus);
            let deadline = start + self.reading_time * (k as u32 + 1);
            if let Some(stop) = self.wait_until(end, deadline, &mut interrupt) {
                return Some(stop);
            }
            match interrupt.take() {
                Some(Command::Hello { version }) => {
                    self.hello(end, version);
                    return None;
                }
                Some(_) => {
                    self.reply(end, &Reply::End { count: k as u32 });
                    return None;
                }
                None => {}
            }
            let line = Reply::Measure(MeasureLine {
                seq: k as u32 + 1,
                plus,
                minus,
                reading,
            })
            .encode();
            self.last_sweep.push(line.clone());
            self.send(end, &line);
            self.ctl.count_measurement();
        }
        self.reply(
            end,
            &Reply::End {
                count: order.len() as u32,
            },
        );
        None
    }
}
