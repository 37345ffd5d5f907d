//! A simulated device behind a TCP listener (`kmdiag simulate --serve … --listen ADDR`), as
//! ser2net or a Wi-Fi serial bridge offers a real one: works on every OS, and kmdiag reaches
//! it with `--port tcp://ADDR`.
//!
//! One client at a time, like a serial port; the next waits until the first leaves. `unplug`
//! closes the connection (the client sees a lost cable) and, while unplugged, a new client is
//! accepted and closed at once, as a bridge whose serial device is gone does. Must not decide
//! what is sent: that is the simulated device's job.

use super::cable::DeviceEnd;
use super::control::{Controller, Stop};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often the listener looks for a client or a quit while idle: a client waits at most
/// this long to be served, and 20 ms is far below any meter's packet interval.
const ACCEPT_POLL: Duration = Duration::from_millis(20);

/// How long to wait on quit for the client to finish reading and close: the same bound the
/// pseudo-terminal gives its user to read what was sent.
const FINISH_LIMIT: Duration = Duration::from_secs(2);

/// One client connection.
struct Connection {
    stream: TcpStream,
    gone: bool,
}

impl Connection {
    fn note(&mut self, e: &io::Error) {
        if !matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
        ) {
            self.gone = true;
        }
    }

    /// Sends what is queued, then waits (bounded) for the client to close, so closing does
    /// not reset the connection under data the client has not read yet.
    fn finish(mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let _ = self.stream.set_read_timeout(Some(ACCEPT_POLL));
        let end = Instant::now() + FINISH_LIMIT;
        let mut buf = [0u8; 256];
        while Instant::now() < end {
            match self.stream.read(&mut buf) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) => {}
                Err(_) => return,
            }
        }
    }
}

impl Read for Connection {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.stream.read(buf) {
            Ok(0) if !buf.is_empty() => {
                self.gone = true;
                Ok(0)
            }
            Err(e) => {
                self.note(&e);
                Err(e)
            }
            ok => ok,
        }
    }
}

impl Write for Connection {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf).inspect_err(|e| self.note(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl DeviceEnd for Connection {
    fn set_timeout(&mut self, limit: Duration) {
        // Zero means "block forever" to the socket API: keep a floor.
        let limit = Some(limit.max(Duration::from_micros(100)));
        let _ = self.stream.set_read_timeout(limit);
        let _ = self.stream.set_write_timeout(limit);
    }

    fn hung_up(&self) -> bool {
        self.gone
    }
}

/// Serves clients of `listener` one at a time until `quit`.
pub fn serve_connections(
    listener: &TcpListener,
    ctl: &Controller,
    mut serve: impl FnMut(&mut dyn DeviceEnd) -> Stop,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let url = PathBuf::from(format!("tcp://{}", listener.local_addr()?));
    let mut published: Option<bool> = None;
    loop {
        let (quit, plugged) = {
            let s = ctl.state();
            (s.quit, s.plugged)
        };
        if quit {
            return Ok(());
        }
        if published != Some(plugged) {
            ctl.set_path(plugged.then(|| url.clone()));
            published = Some(plugged);
        }
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) =>
            {
                ctl.wait_for(ACCEPT_POLL, |s| s.quit || s.plugged != plugged);
                continue;
            }
            // A client that gave up while waiting in the queue: not the listener's fault.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
                ) =>
            {
                continue;
            }
            Err(e) => return Err(e),
        };
        if !plugged {
            // The bridge's serial device is gone: accept and close at once.
            drop(stream);
            continue;
        }
        stream.set_nonblocking(false)?;
        let _ = stream.set_nodelay(true);
        let mut conn = Connection {
            stream,
            gone: false,
        };
        match serve(&mut conn) {
            Stop::Quit => {
                conn.finish();
                return Ok(());
            }
            // Unplugged, or the client left: close this connection, wait for the next.
            Stop::Unplugged => drop(conn),
        }
    }
}
