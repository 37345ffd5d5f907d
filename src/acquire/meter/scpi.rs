//! SCPI bench meters (OWON XDM1041/2041, Keysight/Agilent, Rigol, GW Instek, generic
//! `CONF:RES` + `READ?`): a pure reply parser, a pure simulated meter (`Responder`), and a
//! small request/response session generic over `Read + Write`.
//!
//! The parser and responder are pure. `ScpiSession` does I/O only through the transport it is
//! given (a serial port, a pseudo-terminal, an in-memory fake) and uses the clock only for
//! timeouts. Facts from protocols.md §12.

use super::{MeterReading, Mode, Unit, canonical_flags};
use crate::acquire::{AcquireError, Sample, Source};
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

/// SCPI dialects that differ in commands and in how overload reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// OWON XDM1041/1241/2041: `MEAS1?`, `FUNC?`; overload reads ≥ 1e9.
    Owon,
    /// Keysight/Agilent 344xx: `READ?`, `CONF?`; overload +9.9E37.
    Keysight,
    /// Rigol DM3058: like Keysight, overload ±9.9E37.
    Rigol,
    /// GW Instek GDM-8251A/8255A: `VAL1?`, `CONF:STAT:FUNC?` (numeric); Ω overload ≥ 1.2E8.
    GwInstek,
    /// Anything else that understands `CONF:RES`, `CONF?` and `READ?`; overload ≥ 9.9E37.
    Generic,
}

impl Family {
    /// The query that reads one value.
    pub fn value_query(self) -> &'static str {
        match self {
            Family::Owon => "MEAS1?",
            Family::GwInstek => "VAL1?",
            Family::Keysight | Family::Rigol | Family::Generic => "READ?",
        }
    }

    /// The query that says which function is selected.
    pub fn function_query(self) -> &'static str {
        match self {
            Family::Owon => "FUNC?",
            Family::GwInstek => "CONF:STAT:FUNC?",
            Family::Keysight | Family::Rigol | Family::Generic => "CONF?",
        }
    }

    /// Commands that select 2-wire (or 4-wire) resistance.
    pub fn configure_resistance(self, four_wire: bool) -> &'static str {
        if four_wire { "CONF:FRES" } else { "CONF:RES" }
    }

    /// Commands sent once after opening (remote mode).
    pub fn setup(self) -> &'static [&'static str] {
        match self {
            Family::Owon | Family::GwInstek => &["SYST:REM"],
            Family::Keysight | Family::Rigol | Family::Generic => &[],
        }
    }

    /// True when `value` (already parsed) means OL for this family in `mode`.
    pub fn is_overload(self, value: f64, mode: Mode) -> bool {
        if !value.is_finite() || value.abs() >= 9.9e37 {
            return true;
        }
        match self {
            Family::Owon => value.abs() >= 1e9,
            Family::GwInstek => match mode {
                Mode::Continuity => value >= 1.2e3,
                // protocols.md §12.1: diode OL reads exactly 1.0.
                Mode::Diode => (value - 1.0).abs() < 1e-9,
                Mode::Resistance => value >= 1.2e8,
                _ => false,
            },
            Family::Keysight | Family::Rigol | Family::Generic => false,
        }
    }

    /// The number this family sends for OL in `mode` (for the simulator).
    pub fn overload_reply(self, mode: Mode) -> f64 {
        match (self, mode) {
            (Family::Owon, _) => 1e9,
            (Family::GwInstek, Mode::Continuity) => 1.2e3,
            (Family::GwInstek, Mode::Diode) => 1.0,
            (Family::GwInstek, _) => 1.2e8,
            _ => 9.9e37,
        }
    }
}

/// Why an SCPI exchange failed.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum ScpiError {
    /// No full reply line within the timeout.
    Timeout {
        /// The command sent.
        command: String,
        /// How long we waited.
        waited: Duration,
    },
    /// The reply could not be understood.
    BadReply {
        /// The command sent.
        command: String,
        /// What came back.
        reply: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The meter said `nOK` (rejected the command).
    Rejected(String),
    /// The transport failed or closed.
    Io(#[from] io::Error),
}

impl ScpiError {
    /// The error as a catalogue message (what the meter is expected to answer stays as the
    /// protocol names it).
    pub fn message(&self) -> crate::i18n::Message {
        use crate::msg;
        match self {
            ScpiError::Timeout { command, waited } => msg!(
                "scpi-timeout",
                command = crate::input::clip(command),
                time = crate::acquire::source::Seconds(*waited).to_string()
            ),
            ScpiError::BadReply {
                command,
                reply,
                expected,
            } => msg!(
                "scpi-bad-reply",
                reply = crate::input::clip(reply),
                command = crate::input::clip(command),
                expected = *expected
            ),
            ScpiError::Rejected(command) => {
                msg!("scpi-rejected", command = crate::input::clip(command))
            }
            ScpiError::Io(e) => msg!("os-other", os = crate::i18n::os_error(e).to_string()),
        }
    }
}

/// `*IDN?` reply: vendor, model, serial, firmware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idn {
    /// Manufacturer.
    pub vendor: String,
    /// Model.
    pub model: String,
    /// Serial number.
    pub serial: String,
    /// Firmware version.
    pub firmware: String,
}

/// Parses an `*IDN?` reply such as `OWON,XDM1241,2136195,V4.3.0,3`.
pub fn parse_idn(reply: &str) -> Option<Idn> {
    let mut parts = reply.trim().splitn(4, ',').map(|s| s.trim().to_string());
    let vendor = parts.next().filter(|v| !v.is_empty())?;
    let model = parts.next().filter(|m| !m.is_empty())?;
    Some(Idn {
        vendor,
        model,
        serial: parts.next().unwrap_or_default(),
        firmware: parts.next().unwrap_or_default(),
    })
}

/// The selected function, from a function-query reply; `four_wire` for FRES.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Function {
    /// The mode.
    pub mode: Mode,
    /// Unit of values in this mode.
    pub unit: Unit,
    /// 4-wire resistance (FRES).
    pub four_wire: bool,
}

/// Parses a function-query reply: `"RES"`, `RES +1.0E+03,+1.0E-04` (Keysight `CONF?`),
/// `VOLT AC`, `VOLT:AC`, or GW Instek's numeric code (`07`).
pub fn parse_function(reply: &str, family: Family) -> Option<Function> {
    let text = reply.trim().trim_matches('"').trim().to_ascii_uppercase();
    let func = |mode, unit| {
        Some(Function {
            mode,
            unit,
            four_wire: false,
        })
    };
    if family == Family::GwInstek
        && let Ok(code) = text.parse::<u32>()
    {
        // protocols.md §12.1: 07 RES, 16 FRES, 13 CONT, 17 DIOD, 01 VDC.
        return match code {
            7 => func(Mode::Resistance, Unit::Ohm),
            16 => Some(Function {
                mode: Mode::Resistance,
                unit: Unit::Ohm,
                four_wire: true,
            }),
            13 => func(Mode::Continuity, Unit::Ohm),
            17 => func(Mode::Diode, Unit::Volt),
            1 => func(Mode::VoltageDc, Unit::Volt),
            _ => func(Mode::Other, Unit::None),
        };
    }
    // First word, with any ":DC"/" AC" suffix kept apart: "VOLT:AC 10,0.001" → ("VOLT", "AC").
    let head = text.split([',']).next().unwrap_or("");
    let mut words = head.split([' ', ':']).filter(|w| !w.is_empty());
    let name = words.next()?;
    // A function is a word (RES, VOLT, FREQ…): a number or noise here is a garbled reply or
    // a reply to another query, not a function.
    if !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let sub = words.next().unwrap_or("");
    let ac = sub == "AC";
    match name {
        "RES" | "RESISTANCE" => func(Mode::Resistance, Unit::Ohm),
        "FRES" | "FRESISTANCE" => Some(Function {
            mode: Mode::Resistance,
            unit: Unit::Ohm,
            four_wire: true,
        }),
        "CONT" | "CONTINUITY" => func(Mode::Continuity, Unit::Ohm),
        "DIOD" | "DIODE" => func(Mode::Diode, Unit::Volt),
        "VOLT" | "VOLTAGE" if ac => func(Mode::VoltageAc, Unit::Volt),
        "VOLT" | "VOLTAGE" => func(Mode::VoltageDc, Unit::Volt),
        "CURR" | "CURRENT" if ac => func(Mode::CurrentAc, Unit::Ampere),
        "CURR" | "CURRENT" => func(Mode::CurrentDc, Unit::Ampere),
        "CAP" | "CAPACITANCE" => func(Mode::Capacitance, Unit::Farad),
        "FREQ" | "FREQUENCY" => func(Mode::Frequency, Unit::Hertz),
        "TEMP" | "TEMPERATURE" => func(Mode::Temperature, Unit::Celsius),
        _ => func(Mode::Other, Unit::None),
    }
}

/// Parses a value reply (`+1.00012345E+02`, `1.2345e3`, `9.9E37`) into a reading in
/// `function`'s mode, recognising the family's overload.
pub fn parse_value(reply: &str, family: Family, function: Function) -> Option<MeterReading> {
    let text = reply.trim().trim_matches('"').trim();
    // Some meters append a unit (Rigol FORMAT 2: "OHMS"); take the number only.
    let number = text.split([' ', ',']).next()?;
    let value: f64 = number.parse().ok()?;
    let overload = family.is_overload(value, function.mode);
    let mut flags = Vec::new();
    if function.four_wire {
        flags.push("4WIRE");
    }
    Some(MeterReading {
        value: (!overload).then_some(value),
        unit: function.unit,
        mode: function.mode,
        overload,
        flags: canonical_flags(&flags),
    })
}

fn function_reply(family: Family, mode: Mode, four_wire: bool) -> String {
    if family == Family::GwInstek {
        let code = match (mode, four_wire) {
            (Mode::Resistance, false) => "07",
            (Mode::Resistance, true) => "16",
            (Mode::Continuity, _) => "13",
            (Mode::Diode, _) => "17",
            (Mode::VoltageDc, _) => "01",
            _ => "99",
        };
        return code.to_string();
    }
    let name = match (mode, four_wire) {
        (Mode::Resistance, false) => "RES",
        (Mode::Resistance, true) => "FRES",
        (Mode::Continuity, _) => "CONT",
        (Mode::Diode, _) => "DIOD",
        (Mode::VoltageDc, _) => "VOLT",
        (Mode::VoltageAc, _) => "VOLT AC",
        (Mode::CurrentDc, _) => "CURR",
        (Mode::CurrentAc, _) => "CURR AC",
        (Mode::Capacitance, _) => "CAP",
        (Mode::Frequency, _) => "FREQ",
        (Mode::Temperature, _) => "TEMP",
        _ => "PER",
    };
    match family {
        Family::Owon => format!("\"{name}\""),
        _ => format!("\"{name} +1.000000E+03,+1.000000E-04\""),
    }
}

/// A simulated SCPI meter: pure, one command line in, the reply line (without `\n`) out.
/// The sweep simulator sets `reading` to what the probes would show.
#[derive(Debug, Clone)]
pub struct Responder {
    /// Dialect to speak.
    pub family: Family,
    /// The `*IDN?` reply.
    pub idn: String,
    /// What the meter currently measures (its mode is the dial position).
    pub reading: MeterReading,
    /// 4-wire selected by `CONF:FRES`.
    pub four_wire: bool,
    /// Reply `OK` to commands that are not queries, like newer OWON firmware.
    pub ok_replies: bool,
}

impl Responder {
    /// A meter of `family` identifying as `idn`, currently showing `reading`.
    pub fn new(family: Family, idn: &str, reading: MeterReading) -> Self {
        Responder {
            family,
            idn: idn.to_string(),
            reading,
            four_wire: false,
            ok_replies: false,
        }
    }

    /// The reply to one command line, or `None` when the meter stays silent.
    pub fn respond(&mut self, line: &str) -> Option<String> {
        let cmd = line.trim().to_ascii_uppercase();
        let ok = self.ok_replies;
        let ack = || self_ok(ok);
        match cmd.as_str() {
            "" => None,
            "*IDN?" => Some(self.idn.clone()),
            "*OPC?" => Some("1".into()),
            "SYST:REM" | "SYST:LOC" | "*CLS" | "*RST" | "INIT" | "ABORT" => ack(),
            "CONF:RES" | "CONF:RES AUTO" => {
                self.set_mode(Mode::Resistance, false);
                ack()
            }
            "CONF:FRES" | "CONF:FRES AUTO" => {
                self.set_mode(Mode::Resistance, true);
                ack()
            }
            "CONF:CONT" => {
                self.set_mode(Mode::Continuity, false);
                ack()
            }
            "CONF:DIOD" => {
                self.set_mode(Mode::Diode, false);
                ack()
            }
            "FUNC?" | "FUNC1?" | "CONF?" | "CONF:STAT:FUNC?" => Some(function_reply(
                self.family,
                self.reading.mode,
                self.four_wire,
            )),
            "MEAS?" | "MEAS1?" | "READ?" | "FETCH?" | "FETC?" | "VAL1?" | "VAL?" => {
                let v = match (self.reading.overload, self.reading.value) {
                    (false, Some(v)) => v,
                    _ => self.family.overload_reply(self.reading.mode),
                };
                Some(format!("{v:+.8E}"))
            }
            _ if cmd.ends_with('?') => Some("nOK".into()),
            _ => ack(),
        }
    }

    fn set_mode(&mut self, mode: Mode, four_wire: bool) {
        if self.reading.mode != mode {
            self.reading.mode = mode;
            self.reading.unit = if mode == Mode::Diode {
                Unit::Volt
            } else {
                Unit::Ohm
            };
            self.reading.value = None;
            self.reading.overload = true;
        }
        self.four_wire = four_wire;
    }
}

fn self_ok(ok: bool) -> Option<String> {
    ok.then(|| "OK".to_string())
}

/// A request/response session with an SCPI meter over any `Read + Write` transport. Dropping
/// it hands the front panel back (`release`).
pub struct ScpiSession<T: Read + Write> {
    io: T,
    family: Family,
    name: String,
    timeout: Duration,
    pending: Vec<u8>,
    function: Option<Function>,
    idn: Option<Idn>,
}

/// The longest reply line accepted; a longer run of bytes without `\n` is garbage.
const MAX_LINE: usize = 4096;

/// How many times a garbled reply is asked for again before giving up: a stray line end or
/// a burst of noise spoils one exchange, rarely three in a row.
const RETRIES: usize = 3;

/// Quiet time that ends a resynchronisation: SCPI meters answer within a few milliseconds
/// of a query, so 50 ms without a byte means nothing of an old reply is still on its way.
const QUIET: Duration = Duration::from_millis(50);

impl<T: Read + Write> ScpiSession<T> {
    /// A session on `io` speaking `family`; `name` (the port) is used in messages; each reply
    /// must arrive within `timeout`.
    pub fn new(io: T, family: Family, name: &str, timeout: Duration) -> Self {
        ScpiSession {
            io,
            family,
            name: name.to_string(),
            timeout,
            pending: Vec::new(),
            function: None,
            idn: None,
        }
    }

    /// Sends one command line (adds `\n`).
    pub fn send(&mut self, command: &str) -> Result<(), ScpiError> {
        self.io.write_all(command.as_bytes())?;
        self.io.write_all(b"\n")?;
        self.io.flush()?;
        Ok(())
    }

    /// Sends a query and returns its reply line, skipping `OK` acknowledgements of earlier
    /// commands. Whatever is left of an earlier reply (after a stray line end) is dropped
    /// first, so it cannot pass for this one.
    pub fn query(&mut self, command: &str) -> Result<String, ScpiError> {
        self.pending.clear();
        self.send(command)?;
        let start = Instant::now();
        loop {
            let line = self.read_line(command, start)?;
            match line.as_str() {
                "" | "OK" => continue,
                "nOK" => return Err(ScpiError::Rejected(command.to_string())),
                _ => return Ok(line),
            }
        }
    }

    /// Asks `command` until `parse` accepts the reply: after a garbled reply (noise, a line
    /// split by a stray line end, the reply to another query), waits for the line to go
    /// quiet, drops what came, and asks again, up to `RETRIES` times, as the streaming
    /// decoders resynchronise after noise.
    fn ask<V>(
        &mut self,
        command: &str,
        expected: &'static str,
        parse: impl Fn(&str) -> Option<V>,
    ) -> Result<V, ScpiError> {
        let mut last = String::new();
        for _ in 0..=RETRIES {
            let reply = self.query(command)?;
            // More bytes right behind the reply line: a line end split the reply (its first
            // part may still read as a number), or noise followed it. Ask again.
            let split = !self.pending.iter().all(u8::is_ascii_whitespace);
            if !split && let Some(v) = parse(&reply) {
                return Ok(v);
            }
            last = reply;
            self.resync();
        }
        Err(ScpiError::BadReply {
            command: command.into(),
            reply: crate::input::clip(&last),
            expected,
        })
    }

    /// Drops everything until the line has been quiet for `QUIET` (at most `timeout`).
    fn resync(&mut self) {
        self.pending.clear();
        let start = Instant::now();
        let mut heard = Instant::now();
        let mut buf = [0u8; 256];
        while heard.elapsed() < QUIET && start.elapsed() < self.timeout {
            match self.io.read(&mut buf) {
                Ok(0) => return,
                Ok(_) => heard = Instant::now(),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::TimedOut
                            | io::ErrorKind::WouldBlock
                            | io::ErrorKind::Interrupted
                    ) =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => return,
            }
        }
    }

    fn read_line(&mut self, command: &str, start: Instant) -> Result<String, ScpiError> {
        let mut buf = [0u8; 256];
        loop {
            if let Some(pos) = self.pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.pending.drain(..=pos).collect();
                return Ok(String::from_utf8_lossy(&line).trim().to_string());
            }
            if self.pending.len() > MAX_LINE {
                self.pending.clear();
            }
            if start.elapsed() >= self.timeout {
                return Err(ScpiError::Timeout {
                    command: command.to_string(),
                    waited: self.timeout,
                });
            }
            match self.io.read(&mut buf) {
                Ok(0) => {
                    return Err(ScpiError::Io(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the port closed",
                    )));
                }
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::TimedOut
                            | io::ErrorKind::WouldBlock
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(e) => return Err(ScpiError::Io(e)),
            }
        }
    }

    /// Asks `*IDN?`.
    pub fn identify(&mut self) -> Result<Idn, ScpiError> {
        let idn = self.ask("*IDN?", "vendor,model,serial,firmware", |r| {
            parse_idn(r).filter(|i| !i.model.is_empty() && r.contains(','))
        })?;
        self.idn = Some(idn.clone());
        Ok(idn)
    }

    /// Sends the family's setup commands and selects resistance (`CONF:RES` / `CONF:FRES`).
    pub fn configure_resistance(&mut self, four_wire: bool) -> Result<(), ScpiError> {
        for cmd in self.family.setup() {
            self.send(cmd)?;
        }
        self.send(self.family.configure_resistance(four_wire))?;
        self.function = None;
        Ok(())
    }

    /// Asks which function is selected.
    pub fn function(&mut self) -> Result<Function, ScpiError> {
        let (q, family) = (self.family.function_query(), self.family);
        let f = self.ask(q, "a function name such as RES", |r| {
            parse_function(r, family)
        })?;
        self.function = Some(f);
        Ok(f)
    }

    /// Reads one value in the current function (asking the function first, so a turned dial
    /// is noticed).
    pub fn read(&mut self) -> Result<MeterReading, ScpiError> {
        let f = self.function()?;
        let (q, family) = (self.family.value_query(), self.family);
        self.ask(q, "a number such as +1.00012345E+02", |r| {
            parse_value(r, family, f)
        })
    }

    /// Hands the front panel back (`SYST:LOC`) where the family has remote mode; best effort.
    pub fn release(&mut self) -> Result<(), ScpiError> {
        match self.family {
            Family::Generic => Ok(()),
            _ => self.send("SYST:LOC"),
        }
    }
}

impl<T: Read + Write> Drop for ScpiSession<T> {
    fn drop(&mut self) {
        // Best effort: a closed port cannot be handed back anyway.
        let _ = self.release();
    }
}

impl<T: Read + Write + Send> Source for ScpiSession<T> {
    fn next_sample(&mut self, timeout: Duration) -> Result<Option<Sample>, AcquireError> {
        let saved = self.timeout;
        self.timeout = timeout.min(saved.max(Duration::from_millis(1)));
        let result = self.read();
        self.timeout = saved;
        match result {
            Ok(reading) => Ok(Some(Sample {
                reading,
                probes: None,
            })),
            Err(ScpiError::Timeout { waited, command }) => Err(AcquireError::Silent {
                source_name: self.name.clone(),
                waited,
                hint: crate::msg!(
                    "scpi-no-reply-session",
                    command = command,
                    port = &self.name
                ),
            }),
            Err(ScpiError::Io(cause)) => Err(AcquireError::Disconnected {
                source_name: self.name.clone(),
                cause,
            }),
            Err(e) => Err(AcquireError::Protocol {
                source_name: self.name.clone(),
                problem: crate::i18n::Message::said(e.to_string()),
            }),
        }
    }

    fn describe(&self) -> String {
        match &self.idn {
            Some(i) => format!(
                "{} {} (serial {}, firmware {}) on {}",
                i.vendor, i.model, i.serial, i.firmware, self.name
            ),
            None => format!("SCPI meter on {}", self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res() -> Function {
        Function {
            mode: Mode::Resistance,
            unit: Unit::Ohm,
            four_wire: false,
        }
    }

    #[test]
    fn parses_keysight_value_and_overload() {
        let r = parse_value("+1.00012345E+02\n", Family::Keysight, res()).unwrap();
        assert_eq!(r.value, Some(100.012345));
        let ol = parse_value("+9.90000000E+37", Family::Keysight, res()).unwrap();
        assert!(ol.overload);
        assert_eq!(ol.value, None);
    }

    #[test]
    fn overload_thresholds_differ_by_family() {
        assert!(Family::Owon.is_overload(1e9, Mode::Resistance));
        assert!(!Family::Keysight.is_overload(1e9, Mode::Resistance));
        assert!(Family::GwInstek.is_overload(1.2e8, Mode::Resistance));
        assert!(!Family::GwInstek.is_overload(1.19e8, Mode::Resistance));
        assert!(Family::GwInstek.is_overload(1.0, Mode::Diode));
    }

    #[test]
    fn parses_function_replies() {
        let f = |s, fam| parse_function(s, fam).unwrap().mode;
        assert_eq!(f("\"RES\"", Family::Owon), Mode::Resistance);
        assert_eq!(
            f("\"RES +1.000000E+03,+1.000000E-04\"", Family::Keysight),
            Mode::Resistance
        );
        assert_eq!(f("VOLT AC", Family::Owon), Mode::VoltageAc);
        assert_eq!(f("\"VOLT:AC 10,0.001\"", Family::Generic), Mode::VoltageAc);
        assert_eq!(f("DIOD", Family::Owon), Mode::Diode);
        assert_eq!(f("17", Family::GwInstek), Mode::Diode);
        assert!(parse_function("\"FRES\"", Family::Owon).unwrap().four_wire);
    }

    #[test]
    fn responder_and_parser_agree() {
        let reading = MeterReading {
            value: Some(47.5),
            unit: Unit::Ohm,
            mode: Mode::Resistance,
            overload: false,
            flags: vec![],
        };
        for family in [
            Family::Owon,
            Family::Keysight,
            Family::Rigol,
            Family::GwInstek,
            Family::Generic,
        ] {
            let mut sim = Responder::new(family, "OWON,XDM1041,1,V1", reading.clone());
            let f = parse_function(&sim.respond(family.function_query()).unwrap(), family).unwrap();
            let v = sim.respond(family.value_query()).unwrap();
            assert_eq!(parse_value(&v, family, f).unwrap(), reading, "{family:?}");
            sim.reading.overload = true;
            sim.reading.value = None;
            let v = sim.respond(family.value_query()).unwrap();
            assert!(parse_value(&v, family, f).unwrap().overload, "{family:?}");
        }
    }

    /// An in-memory duplex fake: replies come from a `Responder`.
    struct Fake {
        sim: Responder,
        out: Vec<u8>,
        inbox: Vec<u8>,
    }
    impl Read for Fake {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.out.is_empty() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            let n = buf.len().min(self.out.len());
            buf[..n].copy_from_slice(&self.out[..n]);
            self.out.drain(..n);
            Ok(n)
        }
    }
    impl Write for Fake {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.inbox.extend_from_slice(buf);
            while let Some(p) = self.inbox.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.inbox.drain(..=p).collect();
                if let Some(reply) = self.sim.respond(&String::from_utf8_lossy(&line)) {
                    self.out.extend_from_slice(reply.as_bytes());
                    self.out.push(b'\n');
                }
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn session_identifies_configures_and_reads() {
        let reading = MeterReading {
            value: Some(0.63),
            unit: Unit::Volt,
            mode: Mode::Diode,
            overload: false,
            flags: vec![],
        };
        let mut sim = Responder::new(Family::Owon, "OWON,XDM1041,123,V4.3.0,3", reading);
        sim.ok_replies = true;
        let fake = Fake {
            sim,
            out: Vec::new(),
            inbox: Vec::new(),
        };
        let mut s = ScpiSession::new(fake, Family::Owon, "fake", Duration::from_millis(200));
        assert_eq!(s.identify().unwrap().model, "XDM1041");
        assert_eq!(s.read().unwrap().mode, Mode::Diode);
        s.configure_resistance(false).unwrap();
        let r = s.read().unwrap();
        assert_eq!(r.mode, Mode::Resistance);
        assert!(r.overload);
    }

    /// A fake whose replies pass through `mangle` (by exchange number) first.
    struct Noisy {
        fake: Fake,
        exchanges: usize,
        mangle: fn(usize, Vec<u8>) -> Vec<u8>,
    }
    impl Read for Noisy {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.fake.read(buf)
        }
    }
    impl Write for Noisy {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let before = self.fake.out.len();
            self.fake.write(buf)?;
            if self.fake.out.len() > before {
                let reply = self.fake.out.split_off(before);
                let mangled = (self.mangle)(self.exchanges, reply);
                self.fake.out.extend(mangled);
                self.exchanges += 1;
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn noisy(mangle: fn(usize, Vec<u8>) -> Vec<u8>) -> ScpiSession<Noisy> {
        let reading = MeterReading {
            value: Some(712.5),
            unit: Unit::Ohm,
            mode: Mode::Resistance,
            overload: false,
            flags: vec![],
        };
        let fake = Fake {
            sim: Responder::new(Family::Owon, "OWON,XDM1041,1,V1", reading),
            out: Vec::new(),
            inbox: Vec::new(),
        };
        let io = Noisy {
            fake,
            exchanges: 0,
            mangle,
        };
        ScpiSession::new(io, Family::Owon, "noisy", Duration::from_millis(200))
    }

    #[test]
    fn a_stray_line_end_inside_a_reply_is_resynchronised() {
        // The first value reply is split in two by a stray line end.
        let mut s = noisy(|n, mut r| {
            if n == 1 {
                r.insert(4, b'\n');
            }
            r
        });
        for _ in 0..3 {
            assert_eq!(s.read().unwrap().value, Some(712.5));
        }
    }

    #[test]
    fn a_garbled_reply_is_asked_again_and_noise_forever_is_an_error() {
        let mut s = noisy(|n, r| if n < 2 { b"\x13#@!\n".to_vec() } else { r });
        assert_eq!(s.read().unwrap().value, Some(712.5));
        let mut s = noisy(|_, _| b"garbage 7\n".to_vec());
        let e = s.read().unwrap_err();
        assert!(matches!(e, ScpiError::BadReply { .. }), "{e}");
    }

    #[test]
    fn silent_meter_times_out() {
        struct Mute;
        impl Read for Mute {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::ErrorKind::TimedOut.into())
            }
        }
        impl Write for Mute {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut s = ScpiSession::new(Mute, Family::Generic, "mute", Duration::from_millis(20));
        assert!(matches!(s.identify(), Err(ScpiError::Timeout { .. })));
        let e = s.next_sample(Duration::from_millis(20)).unwrap_err();
        assert!(matches!(e, AcquireError::Silent { .. }));
    }
}
