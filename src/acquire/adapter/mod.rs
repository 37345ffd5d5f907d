//! Host side of the scanning adapter (docs/adapter-protocol.md): handshake, voltage check,
//! a full sweep or a list of single points, re-requests of lines lost to noise. Implements
//! `Source`; every sample carries the probes it was measured between.
//!
//! Generic over `Read + Write`: a serial port, a pseudo-terminal or an in-memory fake plug in
//! unchanged. The clock is used for timeouts only; nothing here prints or touches files.

pub mod frame;

use super::meter::{MeterReading, Mode, Unit};
use super::{AcquireError, Sample, Source};
use crate::i18n::Message;
use crate::model::{Reading, Terminal};
use crate::msg;
use frame::{Command, Identity, LineSplitter, MeasureLine, PROTOCOL_VERSION, Reply};
use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

/// Serial settings of the adapter (docs/adapter-protocol.md §1).
pub const BAUD: u32 = 115_200;

/// How often one line is asked for again before the sweep is given up.
const MAX_RESENDS: u32 = 3;

/// Quiet spell after which a missing line or answer is asked for again. Longer than any
/// single reading takes (docs/adapter-protocol.md §5).
const QUIET: Duration = Duration::from_millis(500);

/// What to check when the adapter does not answer.
pub fn silent_hint() -> Message {
    msg!("adapter-silent-hint")
}

/// What to measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Every D×E crossing both ways, and D–D / E–E pairs when `bus`: one `SWEEP` command.
    Full {
        /// Tens lines.
        tens: u16,
        /// Units lines.
        units: u16,
        /// Also the bus pairs.
        bus: bool,
    },
    /// These (plus, minus) pairs, one `MEAS` each (used to resume a partial sweep).
    Points(Vec<(Terminal, Terminal)>),
}

impl Plan {
    /// The measurements the plan makes, in the order the adapter sends them.
    pub fn pairs(&self) -> Vec<(Terminal, Terminal)> {
        match self {
            Plan::Full { tens, units, bus } => frame::sweep_order(*tens, *units, *bus),
            Plan::Points(p) => p.clone(),
        }
    }
}

enum State {
    Idle,
    Full {
        order: Vec<(Terminal, Terminal)>,
        got: Vec<bool>,
        left: usize,
        end_seen: bool,
        resend_tries: Vec<u32>,
        asked: Option<u32>,
    },
    Points {
        todo: VecDeque<(Terminal, Terminal)>,
        current: Option<(Terminal, Terminal)>,
        tries: u32,
    },
    Done,
}

/// A scanning adapter on a byte stream.
pub struct AdapterSource<P: Read + Write> {
    port: P,
    name: String,
    identity: Identity,
    splitter: LineSplitter,
    lines: VecDeque<Vec<u8>>,
    state: State,
    noise: u64,
    last_rx: Instant,
}

fn now_plus(d: Duration) -> Instant {
    Instant::now() + d
}

impl<P: Read + Write> AdapterSource<P> {
    /// Says hello and waits up to `timeout` for the adapter to identify itself.
    /// `name` is the port, for messages.
    pub fn connect(port: P, name: &str, timeout: Duration) -> Result<Self, AcquireError> {
        let mut me = AdapterSource {
            port,
            name: name.to_string(),
            identity: Identity {
                vendor: String::new(),
                model: String::new(),
                serial: String::new(),
                firmware: String::new(),
                protocol: 0,
                tens: 0,
                units: 0,
            },
            splitter: LineSplitter::new(),
            lines: VecDeque::new(),
            state: State::Idle,
            noise: 0,
            last_rx: Instant::now(),
        };
        let deadline = now_plus(timeout);
        // A garbled HELLO gets ERR,CHECKSUM or nothing: say it again a few times.
        let retry = timeout / 4;
        loop {
            me.send(&Command::Hello {
                version: PROTOCOL_VERSION,
            })?;
            let attempt_end = now_plus(retry).min(deadline);
            while let Some(reply) = me.next_reply(attempt_end)? {
                match reply {
                    Reply::Id(id) => {
                        if id.protocol != PROTOCOL_VERSION {
                            return Err(me.protocol(msg!(
                                "adapter-protocol-version",
                                theirs = id.protocol.to_string(),
                                ours = PROTOCOL_VERSION
                            )));
                        }
                        me.identity = id;
                        return Ok(me);
                    }
                    Reply::Error { code, detail } if code == "VERSION" => {
                        return Err(me.protocol(msg!(
                            "adapter-refuses-version",
                            ours = PROTOCOL_VERSION,
                            theirs = crate::input::clip(&detail)
                        )));
                    }
                    // Leftovers of an earlier session (a sweep still streaming) are skipped.
                    _ => {}
                }
            }
            if Instant::now() >= deadline {
                return Err(AcquireError::Silent {
                    source_name: name.to_string(),
                    waited: timeout,
                    hint: msg!("adapter-no-hello", hint = silent_hint()),
                });
            }
        }
    }

    /// Who answered.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// Lines dropped so far because of bad framing or checksums (noise on the cable).
    pub fn noise_lines(&self) -> u64 {
        self.noise
    }

    /// Starts measuring. A full sweep is refused by the adapter when a line carries voltage;
    /// the refusal comes back from the first `next_sample` call as an error.
    pub fn start(&mut self, plan: Plan) -> Result<(), AcquireError> {
        let pairs = plan.pairs();
        if let Some(t) = pairs
            .iter()
            .flat_map(|(p, m)| [*p, *m])
            .find(|t| !self.has_channel(*t))
        {
            return Err(self.protocol(msg!(
                "adapter-channels",
                tens = self.identity.tens,
                units = self.identity.units,
                terminal = frame::channel_name(t)
            )));
        }
        match plan {
            Plan::Full { tens, units, bus } => {
                self.send(&Command::Sweep { tens, units, bus })?;
                self.last_rx = Instant::now();
                let n = pairs.len();
                self.state = State::Full {
                    order: pairs,
                    got: vec![false; n],
                    left: n,
                    end_seen: false,
                    resend_tries: vec![0; n],
                    asked: None,
                };
            }
            Plan::Points(list) => {
                self.last_rx = Instant::now();
                self.state = State::Points {
                    todo: list.into(),
                    current: None,
                    tries: 0,
                };
                self.ask_next_point()?;
            }
        }
        Ok(())
    }

    fn has_channel(&self, t: Terminal) -> bool {
        match t.kind {
            crate::model::LineKind::Tens => t.index < self.identity.tens,
            crate::model::LineKind::Units => t.index < self.identity.units,
        }
    }

    fn protocol(&self, problem: Message) -> AcquireError {
        AcquireError::Protocol {
            source_name: self.name.clone(),
            problem,
        }
    }

    fn disconnected(&self, cause: std::io::Error) -> AcquireError {
        AcquireError::Disconnected {
            source_name: self.name.clone(),
            cause,
        }
    }

    fn send(&mut self, cmd: &Command) -> Result<(), AcquireError> {
        let line = cmd.encode();
        self.port
            .write_all(line.as_bytes())
            .and_then(|_| self.port.flush())
            .map_err(|e| self.disconnected(e))
    }

    /// The next well-framed reply, or `None` at `deadline`.
    fn next_reply(&mut self, deadline: Instant) -> Result<Option<Reply>, AcquireError> {
        let mut buf = [0u8; 512];
        loop {
            while let Some(line) = self.lines.pop_front() {
                match frame::decode(&line).map(Reply::parse) {
                    Ok(Ok(reply)) => return Ok(Some(reply)),
                    // Noise: the sequence numbers show what was lost, and it is asked again.
                    _ => self.noise += 1,
                }
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            match self.port.read(&mut buf) {
                Ok(0) => {
                    return Err(self.disconnected(std::io::Error::new(
                        ErrorKind::UnexpectedEof,
                        "the port closed",
                    )));
                }
                Ok(n) => {
                    let lines = self.splitter.push(&buf[..n]);
                    self.lines.extend(lines);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::TimedOut | ErrorKind::WouldBlock | ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Err(self.disconnected(e)),
            }
        }
    }

    fn ask_next_point(&mut self) -> Result<(), AcquireError> {
        let State::Points { todo, current, .. } = &mut self.state else {
            return Ok(());
        };
        match todo.pop_front() {
            Some((plus, minus)) => {
                *current = Some((plus, minus));
                self.send(&Command::Measure { plus, minus })
            }
            None => {
                self.state = State::Done;
                Ok(())
            }
        }
    }

    fn refused(&self, code: &str, detail: &str) -> AcquireError {
        if code == "POWERED" {
            let mut parts = detail.split(',');
            let volts = parts.next().unwrap_or("?");
            let at = parts.next().unwrap_or("a line");
            return self.protocol(msg!(
                "adapter-powered",
                volts = crate::input::clip(volts),
                at = crate::input::clip(at)
            ));
        }
        self.protocol(msg!(
            "adapter-refused",
            code = crate::input::clip(code),
            detail = crate::input::clip(detail)
        ))
    }

    /// Handles one reply during a sweep; returns a sample when it brings a new one.
    fn on_reply(&mut self, reply: Reply) -> Result<Option<Sample>, AcquireError> {
        if let Reply::Error { code, detail } = &reply {
            if code == "CHECKSUM" {
                // Our command was garbled on the way: say it again.
                return self.repeat_last_command().map(|_| None);
            }
            return Err(self.refused(code, detail));
        }
        let name = self.name.clone();
        match &mut self.state {
            State::Full {
                order,
                got,
                left,
                end_seen,
                asked,
                ..
            } => match reply {
                Reply::Begin { count } if count as usize != order.len() => {
                    Err(AcquireError::Protocol {
                        source_name: name,
                        problem: msg!(
                            "adapter-count-mismatch",
                            count = count.to_string(),
                            asked = order.len()
                        ),
                    })
                }
                Reply::Measure(m) if m.seq >= 1 && (m.seq as usize) <= order.len() => {
                    let i = m.seq as usize - 1;
                    if order[i] != (m.plus, m.minus) {
                        return Err(AcquireError::Protocol {
                            source_name: name,
                            problem: msg!(
                                "adapter-wrong-pair",
                                seq = m.seq.to_string(),
                                plus = frame::channel_name(m.plus),
                                minus = frame::channel_name(m.minus),
                                want_plus = frame::channel_name(order[i].0),
                                want_minus = frame::channel_name(order[i].1)
                            ),
                        });
                    }
                    if *asked == Some(m.seq) {
                        *asked = None;
                    }
                    if got[i] {
                        return Ok(None);
                    }
                    got[i] = true;
                    *left -= 1;
                    Ok(Some(sample(&m)))
                }
                Reply::End { .. } => {
                    *end_seen = true;
                    Ok(None)
                }
                _ => Ok(None),
            },
            State::Points { current, tries, .. } => match reply {
                Reply::Measure(m) if Some((m.plus, m.minus)) == *current => {
                    *current = None;
                    *tries = 0;
                    let s = sample(&m);
                    self.ask_next_point()?;
                    Ok(Some(s))
                }
                _ => Ok(None),
            },
            State::Idle | State::Done => Ok(None),
        }
    }

    fn repeat_last_command(&mut self) -> Result<(), AcquireError> {
        match &self.state {
            State::Full {
                asked: Some(seq), ..
            } => {
                let seq = *seq;
                self.send(&Command::Resend { seq })
            }
            State::Full { order, .. } => {
                let (tens, units, bus) = plan_shape(order);
                self.send(&Command::Sweep { tens, units, bus })
            }
            State::Points {
                current: Some((plus, minus)),
                ..
            } => {
                let (plus, minus) = (*plus, *minus);
                self.send(&Command::Measure { plus, minus })
            }
            _ => Ok(()),
        }
    }

    /// After the end marker (or a quiet spell), asks again for the first line not received.
    /// Returns false when there is nothing left to ask.
    fn ask_missing(&mut self) -> Result<bool, AcquireError> {
        let name = self.name.clone();
        let next = match &mut self.state {
            State::Full {
                got,
                resend_tries,
                asked,
                ..
            } => {
                let Some(i) = got.iter().position(|g| !g) else {
                    return Ok(false);
                };
                resend_tries[i] += 1;
                if resend_tries[i] > MAX_RESENDS {
                    return Err(AcquireError::Protocol {
                        source_name: name,
                        problem: msg!(
                            "adapter-unreadable-measurement",
                            n = i + 1,
                            attempts = MAX_RESENDS
                        ),
                    });
                }
                let seq = i as u32 + 1;
                *asked = Some(seq);
                Command::Resend { seq }
            }
            State::Points {
                current: Some((plus, minus)),
                tries,
                ..
            } => {
                *tries += 1;
                if *tries > MAX_RESENDS {
                    return Err(AcquireError::Protocol {
                        source_name: name,
                        problem: msg!(
                            "adapter-no-valid-answer",
                            plus = frame::channel_name(*plus),
                            minus = frame::channel_name(*minus),
                            attempts = MAX_RESENDS
                        ),
                    });
                }
                Command::Measure {
                    plus: *plus,
                    minus: *minus,
                }
            }
            _ => return Ok(false),
        };
        self.send(&next)?;
        Ok(true)
    }

    fn finished(&self) -> bool {
        match &self.state {
            State::Full { left, .. } => *left == 0,
            State::Points { todo, current, .. } => todo.is_empty() && current.is_none(),
            State::Done => true,
            State::Idle => true,
        }
    }

    fn end_seen(&self) -> bool {
        matches!(self.state, State::Full { end_seen: true, .. })
    }

    /// A RESEND is outstanding.
    fn asking(&self) -> bool {
        matches!(self.state, State::Full { asked: Some(_), .. })
    }

    /// The end marker or the last line arrived, so whatever is missing was lost.
    fn last_line_seen(&self) -> bool {
        match &self.state {
            State::Full { got, end_seen, .. } => *end_seen || got.last() == Some(&true),
            _ => false,
        }
    }
}

/// Recovers the SWEEP arguments from a canonical order (for repeating a garbled SWEEP).
fn plan_shape(order: &[(Terminal, Terminal)]) -> (u16, u16, bool) {
    use crate::model::LineKind::*;
    let tens = order
        .iter()
        .filter(|(p, m)| p.kind == Tens && m.kind == Units)
        .map(|(p, _)| p.index + 1)
        .max()
        .unwrap_or(0);
    let units = order
        .iter()
        .filter(|(p, m)| p.kind == Tens && m.kind == Units)
        .map(|(_, m)| m.index + 1)
        .max()
        .unwrap_or(0);
    let bus = order.iter().any(|(p, m)| p.kind == m.kind);
    (tens, units, bus)
}

fn sample(m: &MeasureLine) -> Sample {
    let (value, overload) = match m.reading {
        Reading::Ohms(v) => (Some(v), false),
        Reading::Open => (None, true),
    };
    Sample {
        reading: MeterReading {
            value,
            unit: Unit::Ohm,
            mode: Mode::Resistance,
            overload,
            flags: Vec::new(),
        },
        probes: Some((m.plus, m.minus)),
    }
}

impl<P: Read + Write> Source for AdapterSource<P> {
    fn next_sample(&mut self, timeout: Duration) -> Result<Option<Sample>, AcquireError> {
        let deadline = now_plus(timeout);
        loop {
            if self.finished() {
                self.state = State::Done;
                return Ok(None);
            }
            if self.end_seen() && !self.asking() {
                self.ask_missing()?;
                self.last_rx = Instant::now();
            }
            // A quiet spell while lines are missing means they were lost: ask again.
            let quiet_end = self.last_rx + QUIET;
            if Instant::now() >= quiet_end {
                if matches!(self.state, State::Points { .. }) || self.last_line_seen() {
                    self.ask_missing()?;
                }
                self.last_rx = Instant::now();
                continue;
            }
            match self.next_reply(quiet_end.min(deadline))? {
                Some(reply) => {
                    self.last_rx = Instant::now();
                    if let Some(s) = self.on_reply(reply)? {
                        return Ok(Some(s));
                    }
                }
                None if Instant::now() >= deadline => {
                    return Err(AcquireError::Silent {
                        source_name: self.name.clone(),
                        waited: timeout,
                        hint: msg!("adapter-stopped-sending", hint = silent_hint()),
                    });
                }
                None => {}
            }
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} {} (firmware {}) on {}",
            self.identity.vendor, self.identity.model, self.identity.firmware, self.name
        )
    }
}

/// Opens a scanning adapter's port (`--port`: serial, or `tcp://HOST:PORT`): 115200 8N1,
/// DTR on and RTS off unless told otherwise, input buffer cleared. Pseudo-terminals, bridges
/// and some cables have no modem lines; the adapter does not need them, so failing to set
/// them is not an error.
pub fn open_port(
    name: &str,
    dtr: bool,
    rts: bool,
) -> Result<Box<dyn crate::acquire::transport::Port>, AcquireError> {
    let settings = crate::acquire::transport::LinkSettings {
        serial: crate::acquire::meter::models::SerialSettings {
            baud: BAUD,
            data_bits: 8,
            parity: crate::acquire::meter::models::Parity::None,
            stop_bits: 1,
        },
        dtr,
        rts,
        read_timeout: Duration::from_millis(50),
        lines_required: false,
        host_sends: true,
    };
    let mut port = crate::acquire::link::open(name, &settings)?;
    port.discard_input();
    Ok(port)
}

/// A whole unattended sweep of a `tens` × `units` matrix (both polarities and the bus pairs)
/// on the adapter at `port`, for batch checks. Returns the sweep and a description of the
/// adapter. `timeout` is how long the adapter may stay silent.
pub fn sweep_port(
    port: &str,
    tens: u16,
    units: u16,
    timeout: Duration,
) -> Result<(crate::model::Sweep, String), AcquireError> {
    let link = open_port(port, true, false)?;
    let mut src = AdapterSource::connect(link, port, timeout)?;
    src.start(Plan::Full {
        tens,
        units,
        bus: true,
    })?;
    let mut sweep = crate::model::Sweep::new(tens, units);
    while let Some(sample) = src.next_sample(timeout)? {
        if let (Some((plus, minus)), Some(reading)) =
            (sample.probes, sample.reading.as_resistance())
        {
            // A pair outside the matrix cannot come from the plan we sent; skip it.
            let _ = sweep.record(crate::model::Measurement {
                plus,
                minus,
                reading,
            });
        }
    }
    Ok((sweep, src.describe()))
}
