//! The scanning adapter's wire format (docs/adapter-protocol.md): framing of one line
//! (`$BODY*HH`), the commands the host sends, the replies the adapter sends, and the canonical
//! order of a full sweep. Shared by the host (`AdapterSource`) and the simulated adapter.
//!
//! Pure: bytes and text in, values out. No I/O, no clock; never panics on any input.

use crate::model::{LineKind, Reading, Terminal};

/// Protocol version this build speaks (docs/adapter-protocol.md §2).
pub const PROTOCOL_VERSION: u32 = 1;

/// Longest line either side may send, terminator excluded (docs/adapter-protocol.md §1).
/// Longer runs of bytes without a line end are noise and are dropped.
pub const MAX_LINE: usize = 120;

/// A line that is not a valid frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// No `$` where a frame must start.
    #[error("line {line:?} does not start with '$'")]
    NoStart {
        /// The line as received (lossy text).
        line: String,
    },
    /// No `*HH` checksum at the end.
    #[error("line {line:?} has no checksum '*HH' at its end")]
    NoChecksum {
        /// The line as received (lossy text).
        line: String,
    },
    /// The checksum does not match the body.
    #[error("line {line:?}: checksum says {stated:02X} but the body sums to {found:02X}")]
    Checksum {
        /// The line as received (lossy text).
        line: String,
        /// Checksum written in the line.
        stated: u8,
        /// Checksum of the body as received.
        found: u8,
    },
    /// A byte that may not appear in a body.
    #[error("line {line:?}: byte {at} is {byte:#04x}, not printable ASCII")]
    BadByte {
        /// The line as received (lossy text).
        line: String,
        /// 0-based position in the line.
        at: usize,
        /// The byte.
        byte: u8,
    },
}

/// A well-framed body whose fields do not make a known command or reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem} in {body:?}")]
pub struct SyntaxError {
    /// The body.
    pub body: String,
    /// What is wrong.
    pub problem: String,
}

/// XOR of every byte of the body (NMEA style).
pub fn checksum(body: &[u8]) -> u8 {
    body.iter().fold(0, |acc, b| acc ^ b)
}

/// Frames a body as one line: `$BODY*HH\r\n`.
pub fn encode(body: &str) -> String {
    format!("${body}*{:02X}\r\n", checksum(body.as_bytes()))
}

/// Checks the framing of one line (terminator already removed) and returns its body.
pub fn decode(line: &[u8]) -> Result<&str, FrameError> {
    let lossy = || String::from_utf8_lossy(line).into_owned();
    let Some(rest) = line.strip_prefix(b"$") else {
        return Err(FrameError::NoStart { line: lossy() });
    };
    let star = rest
        .len()
        .checked_sub(3)
        .filter(|&i| rest.get(i) == Some(&b'*'))
        .ok_or_else(|| FrameError::NoChecksum { line: lossy() })?;
    let (body, tail) = (&rest[..star], &rest[star + 1..]);
    if let Some(at) = body
        .iter()
        .position(|&b| !(0x20..=0x7e).contains(&b) || b == b'$' || b == b'*')
    {
        return Err(FrameError::BadByte {
            line: lossy(),
            at: at + 1,
            byte: body[at],
        });
    }
    let stated = std::str::from_utf8(tail)
        .ok()
        .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        .ok_or_else(|| FrameError::NoChecksum { line: lossy() })?;
    let found = checksum(body);
    if stated != found {
        return Err(FrameError::Checksum {
            line: lossy(),
            stated,
            found,
        });
    }
    // Printable ASCII was checked above, so this cannot fail; map it anyway rather than panic.
    std::str::from_utf8(body).map_err(|_| FrameError::NoStart { line: lossy() })
}

/// Splits a byte stream into lines. Bytes before the last `$` of a line are noise and are
/// dropped; a run longer than [`MAX_LINE`] without a line end is dropped whole.
#[derive(Debug, Default, Clone)]
pub struct LineSplitter {
    buf: Vec<u8>,
    overflow: bool,
}

impl LineSplitter {
    /// An empty splitter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds bytes; returns every complete line (without `\r\n`), starting at its last `$`
    /// when it has one.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut lines = Vec::new();
        for &b in bytes {
            match b {
                b'\n' | b'\r' => {
                    if !self.overflow && !self.buf.is_empty() {
                        let start = self.buf.iter().rposition(|&c| c == b'$').unwrap_or(0);
                        lines.push(self.buf[start..].to_vec());
                    }
                    self.buf.clear();
                    self.overflow = false;
                }
                _ if self.overflow => {}
                _ => {
                    if self.buf.len() >= MAX_LINE {
                        self.buf.clear();
                        self.overflow = true;
                    } else {
                        self.buf.push(b);
                    }
                }
            }
        }
        lines
    }
}

/// The wire name of a terminal: `D` or `E` and its 0-based position on the adapter's block,
/// whatever the board prints (docs/adapter-protocol.md §3).
pub fn channel_name(t: Terminal) -> String {
    let letter = match t.kind {
        LineKind::Tens => 'D',
        LineKind::Units => 'E',
    };
    format!("{letter}{}", t.index)
}

/// Parses a wire channel name (`D0`, `E12`).
pub fn parse_channel(text: &str) -> Option<Terminal> {
    let (kind, digits) = match text.as_bytes().first()? {
        b'D' => (LineKind::Tens, &text[1..]),
        b'E' => (LineKind::Units, &text[1..]),
        _ => return None,
    };
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let index = digits.parse().ok()?;
    Some(Terminal { kind, index })
}

/// Every measurement of a full sweep in the order the adapter sends them
/// (docs/adapter-protocol.md §5): for each D, for each E, forward (D+ E−) then reverse
/// (E+ D−); then every D–D pair, then every E–E pair, lower position on plus.
pub fn sweep_order(tens: u16, units: u16, bus: bool) -> Vec<(Terminal, Terminal)> {
    let mut out = Vec::new();
    for d in 0..tens {
        for e in 0..units {
            out.push((Terminal::tens(d), Terminal::units(e)));
            out.push((Terminal::units(e), Terminal::tens(d)));
        }
    }
    if bus {
        for a in 0..tens {
            for b in a + 1..tens {
                out.push((Terminal::tens(a), Terminal::tens(b)));
            }
        }
        for a in 0..units {
            for b in a + 1..units {
                out.push((Terminal::units(a), Terminal::units(b)));
            }
        }
    }
    out
}

/// What the host asks (docs/adapter-protocol.md §4).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `HELLO,<version>`: identify yourself; abort anything running.
    Hello {
        /// Protocol version the host speaks.
        version: u32,
    },
    /// `VOLTS`: report the highest voltage on any line.
    Volts,
    /// `SWEEP,<tens>,<units>,<bus>`: check for voltage, then measure everything.
    Sweep {
        /// Tens lines to sweep (positions 0..tens).
        tens: u16,
        /// Units lines to sweep.
        units: u16,
        /// Also D–D and E–E pairs.
        bus: bool,
    },
    /// `MEAS,<plus>,<minus>`: one measurement (after a voltage check of those two lines).
    Measure {
        /// Terminal on the adapter's plus side.
        plus: Terminal,
        /// Terminal on the minus side.
        minus: Terminal,
    },
    /// `RESEND,<seq>`: send data line `seq` of the current or last sweep again.
    Resend {
        /// Sequence number, from 1.
        seq: u32,
    },
    /// `ABORT`: stop a running sweep.
    Abort,
}

fn field<'a>(body: &str, fields: &[&'a str], i: usize) -> Result<&'a str, SyntaxError> {
    fields.get(i).copied().ok_or_else(|| SyntaxError {
        body: body.to_string(),
        problem: format!("field {} is missing", i + 1),
    })
}

fn number<T: std::str::FromStr>(body: &str, text: &str, what: &str) -> Result<T, SyntaxError> {
    text.parse().map_err(|_| SyntaxError {
        body: body.to_string(),
        problem: format!("{what} '{text}' is not a number"),
    })
}

fn channel(body: &str, text: &str) -> Result<Terminal, SyntaxError> {
    parse_channel(text).ok_or_else(|| SyntaxError {
        body: body.to_string(),
        problem: format!("'{text}' is not a channel like D3 or E7"),
    })
}

fn syntax(body: &str, problem: impl Into<String>) -> SyntaxError {
    SyntaxError {
        body: body.to_string(),
        problem: problem.into(),
    }
}

impl Command {
    /// The body of the line (no `$`, checksum or terminator).
    pub fn body(&self) -> String {
        match self {
            Command::Hello { version } => format!("HELLO,{version}"),
            Command::Volts => "VOLTS".into(),
            Command::Sweep { tens, units, bus } => {
                format!("SWEEP,{tens},{units},{}", u8::from(*bus))
            }
            Command::Measure { plus, minus } => {
                format!("MEAS,{},{}", channel_name(*plus), channel_name(*minus))
            }
            Command::Resend { seq } => format!("RESEND,{seq}"),
            Command::Abort => "ABORT".into(),
        }
    }

    /// The framed line.
    pub fn encode(&self) -> String {
        encode(&self.body())
    }

    /// Parses a body.
    pub fn parse(body: &str) -> Result<Command, SyntaxError> {
        let f: Vec<&str> = body.split(',').collect();
        let word = f.first().copied().unwrap_or("");
        let cmd = match word {
            "HELLO" => Command::Hello {
                version: number(body, field(body, &f, 1)?, "version")?,
            },
            "VOLTS" => Command::Volts,
            "SWEEP" => Command::Sweep {
                tens: number(body, field(body, &f, 1)?, "tens count")?,
                units: number(body, field(body, &f, 2)?, "units count")?,
                bus: match field(body, &f, 3)? {
                    "0" => false,
                    "1" => true,
                    other => return Err(syntax(body, format!("bus flag '{other}' is not 0 or 1"))),
                },
            },
            "MEAS" => Command::Measure {
                plus: channel(body, field(body, &f, 1)?)?,
                minus: channel(body, field(body, &f, 2)?)?,
            },
            "RESEND" => Command::Resend {
                seq: number(body, field(body, &f, 1)?, "sequence number")?,
            },
            "ABORT" => Command::Abort,
            other => return Err(syntax(body, format!("unknown command '{other}'"))),
        };
        Ok(cmd)
    }
}

/// Who the adapter is (the reply to `HELLO`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Maker.
    pub vendor: String,
    /// Model.
    pub model: String,
    /// Serial number.
    pub serial: String,
    /// Firmware version.
    pub firmware: String,
    /// Protocol version it speaks.
    pub protocol: u32,
    /// D channels it has.
    pub tens: u16,
    /// E channels it has.
    pub units: u16,
}

/// One measurement line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasureLine {
    /// Sequence number within the sweep, from 1; 0 for the answer to `MEAS`.
    pub seq: u32,
    /// Terminal on plus.
    pub plus: Terminal,
    /// Terminal on minus.
    pub minus: Terminal,
    /// What was measured.
    pub reading: Reading,
}

/// What the adapter sends (docs/adapter-protocol.md §4).
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// `ID,<vendor>,<model>,<serial>,<firmware>,<protocol>,<tens>,<units>`.
    Id(Identity),
    /// `OK`: a command without data was done.
    Ok,
    /// `VOLTS,<volts>,<channel>`: the highest absolute voltage found and where.
    Volts {
        /// Volts (absolute value).
        volts: f64,
        /// Where it was highest.
        at: Terminal,
    },
    /// `BEGIN,<count>`: a sweep of `count` lines starts.
    Begin {
        /// Lines to come.
        count: u32,
    },
    /// `M,<seq>,<plus>,<minus>,<ohms|OL>`: one measurement.
    Measure(MeasureLine),
    /// `END,<count>`: the sweep is over; `count` lines were sent.
    End {
        /// Lines sent.
        count: u32,
    },
    /// `ERR,<code>,<detail>`: a command was refused.
    Error {
        /// Machine-readable code: CHECKSUM, SYNTAX, UNKNOWN, VERSION, RANGE, POWERED, BUSY,
        /// NODATA.
        code: String,
        /// The rest of the line, for people.
        detail: String,
    },
}

impl Reply {
    /// The body of the line.
    pub fn body(&self) -> String {
        match self {
            Reply::Id(i) => format!(
                "ID,{},{},{},{},{},{},{}",
                i.vendor, i.model, i.serial, i.firmware, i.protocol, i.tens, i.units
            ),
            Reply::Ok => "OK".into(),
            Reply::Volts { volts, at } => format!("VOLTS,{volts:.2},{}", channel_name(*at)),
            Reply::Begin { count } => format!("BEGIN,{count}"),
            Reply::Measure(m) => {
                let value = match m.reading {
                    Reading::Open => "OL".to_string(),
                    Reading::Ohms(v) => format!("{v:.2}"),
                };
                format!(
                    "M,{},{},{},{value}",
                    m.seq,
                    channel_name(m.plus),
                    channel_name(m.minus)
                )
            }
            Reply::End { count } => format!("END,{count}"),
            Reply::Error { code, detail } => format!("ERR,{code},{detail}"),
        }
    }

    /// The framed line.
    pub fn encode(&self) -> String {
        encode(&self.body())
    }

    /// Parses a body.
    pub fn parse(body: &str) -> Result<Reply, SyntaxError> {
        let f: Vec<&str> = body.split(',').collect();
        let word = f.first().copied().unwrap_or("");
        let reply = match word {
            "ID" => Reply::Id(Identity {
                vendor: field(body, &f, 1)?.to_string(),
                model: field(body, &f, 2)?.to_string(),
                serial: field(body, &f, 3)?.to_string(),
                firmware: field(body, &f, 4)?.to_string(),
                protocol: number(body, field(body, &f, 5)?, "protocol version")?,
                tens: number(body, field(body, &f, 6)?, "D channel count")?,
                units: number(body, field(body, &f, 7)?, "E channel count")?,
            }),
            "OK" => Reply::Ok,
            "VOLTS" => {
                let volts: f64 = number(body, field(body, &f, 1)?, "voltage")?;
                if !volts.is_finite() {
                    return Err(syntax(body, "voltage is not finite"));
                }
                Reply::Volts {
                    volts: volts.abs(),
                    at: channel(body, field(body, &f, 2)?)?,
                }
            }
            "BEGIN" => Reply::Begin {
                count: number(body, field(body, &f, 1)?, "count")?,
            },
            "M" => {
                let value = field(body, &f, 4)?;
                let reading = if value == "OL" {
                    Reading::Open
                } else {
                    let v: f64 = number(body, value, "resistance")?;
                    if !(v.is_finite() && v >= 0.0) {
                        return Err(syntax(body, format!("resistance '{value}' is not ≥ 0")));
                    }
                    Reading::Ohms(v)
                };
                Reply::Measure(MeasureLine {
                    seq: number(body, field(body, &f, 1)?, "sequence number")?,
                    plus: channel(body, field(body, &f, 2)?)?,
                    minus: channel(body, field(body, &f, 3)?)?,
                    reading,
                })
            }
            "END" => Reply::End {
                count: number(body, field(body, &f, 1)?, "count")?,
            },
            "ERR" => Reply::Error {
                code: field(body, &f, 1)?.to_string(),
                detail: f.get(2..).map(|rest| rest.join(",")).unwrap_or_default(),
            },
            other => return Err(syntax(body, format!("unknown reply '{other}'"))),
        };
        Ok(reply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_with_an_nmea_checksum() {
        let line = encode("M,1,D0,E0,702.50");
        assert!(line.starts_with("$M,1,D0,E0,702.50*") && line.ends_with("\r\n"));
        let body = decode(line.trim_end().as_bytes()).unwrap();
        assert_eq!(body, "M,1,D0,E0,702.50");
        // A GPS sentence with its published checksum: the same algorithm as NMEA 0183.
        assert_eq!(
            checksum(b"GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,"),
            0x76
        );
    }

    #[test]
    fn a_flipped_byte_fails_the_checksum() {
        let mut line = encode("M,7,D3,E7,700.00").trim_end().as_bytes().to_vec();
        line[8] = b'4';
        assert!(matches!(decode(&line), Err(FrameError::Checksum { .. })));
        assert!(matches!(decode(b"M,1*00"), Err(FrameError::NoStart { .. })));
        assert!(matches!(
            decode(b"$M,1"),
            Err(FrameError::NoChecksum { .. })
        ));
        assert!(matches!(decode(b"$"), Err(FrameError::NoChecksum { .. })));
        assert!(matches!(
            decode(b"$*zz"),
            Err(FrameError::NoChecksum { .. })
        ));
        assert!(matches!(
            decode(b"$M\x01*4C"),
            Err(FrameError::BadByte { at: 2, .. })
        ));
    }

    #[test]
    fn noise_before_a_frame_and_overlong_runs_are_dropped() {
        let mut s = LineSplitter::new();
        let mut input = b"\x00\xff garbage $OK*".to_vec();
        input.extend_from_slice(format!("{:02X}\r\n", checksum(b"OK")).as_bytes());
        let lines = s.push(&input);
        assert_eq!(lines.len(), 1);
        assert_eq!(decode(&lines[0]), Ok("OK"));
        assert!(s.push(&[b'x'; 500]).is_empty());
        assert!(s.push(b"\n").is_empty());
        assert_eq!(s.push(encode("OK").as_bytes()).len(), 1);
    }

    #[test]
    fn commands_and_replies_round_trip() {
        let cmds = [
            Command::Hello { version: 1 },
            Command::Volts,
            Command::Sweep {
                tens: 10,
                units: 10,
                bus: true,
            },
            Command::Measure {
                plus: Terminal::units(9),
                minus: Terminal::tens(0),
            },
            Command::Resend { seq: 17 },
            Command::Abort,
        ];
        for c in cmds {
            assert_eq!(Command::parse(&c.body()), Ok(c.clone()));
        }
        let replies = [
            Reply::Id(Identity {
                vendor: "KMDIAG".into(),
                model: "SIM-SCAN".into(),
                serial: "0001".into(),
                firmware: "1.0".into(),
                protocol: 1,
                tens: 22,
                units: 10,
            }),
            Reply::Ok,
            Reply::Volts {
                volts: 12.5,
                at: Terminal::tens(3),
            },
            Reply::Begin { count: 290 },
            Reply::Measure(MeasureLine {
                seq: 3,
                plus: Terminal::tens(0),
                minus: Terminal::units(1),
                reading: Reading::Ohms(702.25),
            }),
            Reply::Measure(MeasureLine {
                seq: 4,
                plus: Terminal::units(1),
                minus: Terminal::tens(0),
                reading: Reading::Open,
            }),
            Reply::End { count: 290 },
            Reply::Error {
                code: "POWERED".into(),
                detail: "12.00,D3".into(),
            },
        ];
        for r in replies {
            assert_eq!(Reply::parse(&r.body()), Ok(r.clone()));
        }
    }

    #[test]
    fn nonsense_bodies_are_syntax_errors_not_panics() {
        for body in [
            "",
            "M",
            "M,x,D0,E0,1",
            "M,1,F0,E0,1",
            "M,1,D0,E0,-5",
            "M,1,D0,E0,NaN",
            "SWEEP,10,10,2",
            "MEAS,D,E1",
            "VOLTS,inf,D0",
            "ID,a,b",
            "WHAT",
        ] {
            assert!(Reply::parse(body).is_err() || Command::parse(body).is_err());
            assert!(Reply::parse(body).is_err(), "{body}");
        }
        assert_eq!(parse_channel("D99999"), None);
        assert_eq!(parse_channel("É1"), None);
    }

    #[test]
    fn a_full_sweep_of_ten_by_ten_has_290_lines() {
        let order = sweep_order(10, 10, true);
        assert_eq!(order.len(), 200 + 45 + 45);
        assert_eq!(order[0], (Terminal::tens(0), Terminal::units(0)));
        assert_eq!(order[1], (Terminal::units(0), Terminal::tens(0)));
        assert_eq!(sweep_order(10, 10, false).len(), 200);
    }
}
