//! Serial over TCP: `--port tcp://HOST:PORT` reaches a meter or scanning adapter behind a
//! network serial bridge (ser2net in raw mode, a Wi-Fi serial bridge, or `kmdiag simulate
//! --serve … --listen`). The byte stream is the device's own; nothing is added to it (no
//! telnet or RFC 2217 negotiation), so baud rate and modem lines are the bridge's business.
//!
//! A refused or unanswered connection is a port that cannot be opened, and a closed or reset
//! connection is an unplugged cable: the same errors and exit code as a serial port. Does I/O
//! on the socket only; no decoding, no printing.

use super::Port;
use crate::acquire::AcquireError;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long to wait for a bridge to accept the connection. A bridge on the same network
/// answers in milliseconds, one behind a phone hotspot waking from power save in about a
/// second; 5 s covers both and still fails a wrong address before the technician wonders.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long one write may block. Commands are a few dozen bytes; a bridge that takes none
/// of them for 2 s is stuck, and without a bound the write would hang the run.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// Most bytes thrown away by one `discard_input`: a few seconds of the fastest stream (an
/// SCPI reply flood at 115200 baud is 11.5 kB/s), so a peer that never stops talking cannot
/// keep the discard going forever.
const DISCARD_LIMIT: usize = 64 * 1024;

/// A host and port, as written after `tcp://`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpAddress {
    /// Host name or IP address (IPv6 without its brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
}

impl TcpAddress {
    /// Reads `HOST:PORT` or `[IPV6]:PORT`; the error says what is wrong. Pure.
    pub fn parse(text: &str) -> Result<TcpAddress, crate::i18n::Message> {
        let text = text.trim_end_matches('/');
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest
                .split_once(']')
                .ok_or_else(|| crate::msg!("tcp-ipv6-close"))?;
            let port = after
                .strip_prefix(':')
                .ok_or_else(|| crate::msg!("tcp-no-port-after-address"))?;
            (host, port)
        } else {
            match text.rsplit_once(':') {
                Some((h, _)) if h.contains(':') => {
                    return Err(crate::msg!("tcp-ipv6-brackets"));
                }
                Some((h, p)) => (h, p),
                None => return Err(crate::msg!("tcp-no-port")),
            }
        };
        if host.is_empty() {
            return Err(crate::msg!("tcp-no-host-name"));
        }
        if host.contains(['/', '@', '?', '#', ' ']) {
            return Err(crate::msg!("tcp-bad-host", host = crate::input::clip(host)));
        }
        let port = match port.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ if port.is_empty() => return Err(crate::msg!("tcp-no-port")),
            _ => {
                return Err(crate::msg!("tcp-bad-port", port = crate::input::clip(port)));
            }
        };
        Ok(TcpAddress {
            host: host.to_string(),
            port,
        })
    }
}

impl std::fmt::Display for TcpAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// A connection to a serial bridge.
pub struct TcpPort {
    stream: TcpStream,
    /// The peer closed the connection; every later read says so.
    closed: bool,
}

/// Why a connection failed, in words a technician can act on.
fn connect_advice(addr: &TcpAddress, e: &io::Error) -> crate::i18n::Message {
    let addr = addr.to_string();
    match e.kind() {
        io::ErrorKind::ConnectionRefused => crate::msg!("tcp-refused", addr = addr),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => crate::msg!(
            "tcp-timed-out",
            addr = addr,
            seconds = CONNECT_TIMEOUT.as_secs()
        ),
        _ => crate::msg!("tcp-other", cause = crate::i18n::os_error(e)),
    }
}

/// Connects to `addr`; reads then block at most `read_timeout`.
pub fn open(addr: &TcpAddress, read_timeout: Duration) -> Result<TcpPort, AcquireError> {
    let name = format!("tcp://{addr}");
    let fail = |cause: crate::i18n::Message| AcquireError::Open {
        port: name.clone(),
        cause,
    };
    let candidates: Vec<SocketAddr> = (addr.host.as_str(), addr.port)
        .to_socket_addrs()
        .map_err(|e| {
            fail(crate::msg!(
                "tcp-no-host",
                host = &addr.host,
                cause = crate::i18n::os_error(&e)
            ))
        })?
        .collect();
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the host has no address");
    for candidate in candidates {
        match TcpStream::connect_timeout(&candidate, CONNECT_TIMEOUT) {
            Ok(stream) => {
                // Zero would mean "block forever" to the socket API: keep a floor.
                let read_timeout = read_timeout.max(Duration::from_millis(1));
                let setup = stream
                    .set_read_timeout(Some(read_timeout))
                    .and_then(|_| stream.set_write_timeout(Some(WRITE_TIMEOUT)))
                    .and_then(|_| stream.set_nodelay(true));
                if let Err(e) = setup {
                    return Err(fail(crate::msg!(
                        "tcp-setup",
                        cause = crate::i18n::os_error(&e)
                    )));
                }
                return Ok(TcpPort {
                    stream,
                    closed: false,
                });
            }
            Err(e) => last = e,
        }
    }
    Err(fail(connect_advice(addr, &last)))
}

impl TcpPort {
    fn closed_error(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::ConnectionAborted,
            crate::msg!("tcp-closed").to_string(),
        )
    }
}

impl Read for TcpPort {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.closed {
            return Err(self.closed_error());
        }
        match self.stream.read(buf) {
            // The end of a TCP stream is the bridge hanging up, not the end of a recording.
            Ok(0) if !buf.is_empty() => {
                self.closed = true;
                Err(self.closed_error())
            }
            other => other,
        }
    }
}

impl Write for TcpPort {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl Port for TcpPort {
    fn discard_input(&mut self) {
        if self.stream.set_nonblocking(true).is_err() {
            return;
        }
        let mut buf = [0u8; 4096];
        let mut dropped = 0;
        while dropped < DISCARD_LIMIT {
            match self.stream.read(&mut buf) {
                Ok(0) => {
                    self.closed = true;
                    break;
                }
                Ok(n) => dropped += n,
                Err(_) => break,
            }
        }
        let _ = self.stream.set_nonblocking(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn addresses_read_as_written() {
        let a = TcpAddress::parse("bridge.local:4001").unwrap();
        assert_eq!((a.host.as_str(), a.port), ("bridge.local", 4001));
        let a = TcpAddress::parse("[fe80::1]:23/").unwrap();
        assert_eq!((a.host.as_str(), a.port), ("fe80::1", 23));
        assert_eq!(a.to_string(), "[fe80::1]:23");
    }

    #[test]
    fn bad_addresses_say_what_is_wrong() {
        let cases = [
            ("bridge", "no port number"),
            ("bridge:", "no port number"),
            (":23", "no host"),
            ("bridge:70000", "'70000' is not a TCP port"),
            ("bridge:0", "'0' is not a TCP port"),
            ("::1:23", "in brackets"),
            ("[::1", "closing ']'"),
            ("user@bridge:23", "not a host name"),
        ];
        for (text, expected) in cases {
            let e = TcpAddress::parse(text).unwrap_err();
            assert!(e.en().contains(expected), "{text}: {e}");
        }
    }

    #[test]
    fn a_refused_connection_says_nothing_listens() {
        // Bind, learn the port, close: nothing listens there now.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = TcpAddress::parse(&format!("127.0.0.1:{port}")).unwrap();
        let e = open(&addr, Duration::from_millis(50))
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains(&format!("tcp://127.0.0.1:{port}")), "{e}");
        assert!(e.contains("connection refused"), "{e}");
    }

    #[test]
    fn a_closed_connection_is_an_error_not_an_end_of_data() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = TcpAddress::parse(&listener.local_addr().unwrap().to_string()).unwrap();
        let peer = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.write_all(b"hello").unwrap();
        });
        let mut port = open(&addr, Duration::from_millis(200)).unwrap();
        peer.join().unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 16];
        let err = loop {
            match port.read(&mut buf) {
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
                Err(e) => break e,
            }
        };
        assert_eq!(got, b"hello");
        assert_eq!(err.kind(), io::ErrorKind::ConnectionAborted);
        assert!(err.to_string().contains("closed the connection"), "{err}");
        assert!(port.read(&mut buf).is_err(), "stays closed");
    }

    #[test]
    fn discarding_drops_what_came_before() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = TcpAddress::parse(&listener.local_addr().unwrap().to_string()).unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let peer = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            s.write_all(b"stale").unwrap();
            rx.recv().unwrap();
            s.write_all(b"fresh").unwrap();
            rx.recv().ok();
        });
        let mut port = open(&addr, Duration::from_millis(500)).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        port.discard_input();
        tx.send(()).unwrap();
        let mut buf = [0u8; 16];
        let n = port.read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"fresh");
        drop(tx);
        peer.join().unwrap();
    }
}
