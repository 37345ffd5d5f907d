//! `MeterSource`: a `Source` over any byte stream (a serial port, a pseudo-terminal, a
//! USB-HID cable, a recorded file) and one chip family's streaming decoder; for a polled meter
//! (the UT61E+ family) it also sends the request for each reading.
//!
//! Reads with timeouts and decodes; optionally copies the raw bytes to a recording. It does
//! not open ports (see `link`), print, or interpret readings (see `meter::check`).

use super::meter::{Decoder, MeterModel, MeterReading};
use super::{AcquireError, Sample, Source};
use crate::i18n::Message;
use crate::msg;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

/// What the end of the byte stream (`read` returning 0) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndOfData {
    /// A recording ended: a clean end (`Ok(None)`).
    Finished,
    /// A port hung up: the cable was unplugged (`Disconnected`).
    HangUp,
}

/// How long a poll may go unanswered before it is sent again. A UT61E+ reply is 19 bytes,
/// 20 ms at 9600 baud, and comes with the meter's next display update (at most half a second
/// away); a request still unanswered after a second was lost (noise on the cable, the meter
/// was busy switching ranges), and asking again costs nothing.
pub const POLL_REPLY_WAIT: Duration = Duration::from_secs(1);

/// The request a polled meter answers, and its pace.
struct Poll<R> {
    request: &'static [u8],
    every: Duration,
    last_sent: Option<Instant>,
    answered: bool,
    /// Sends the request; fixed where `R` is known to be writable.
    send: fn(&mut R, &[u8]) -> io::Result<()>,
}

impl<R> Poll<R> {
    /// True when the next request is due: none sent yet, the last answered and the meter's
    /// interval gone by, or the last unanswered for `POLL_REPLY_WAIT`.
    fn due(&self, now: Instant) -> bool {
        match self.last_sent {
            None => true,
            Some(t) => {
                let since = now.saturating_duration_since(t);
                (self.answered && since >= self.every) || since >= POLL_REPLY_WAIT
            }
        }
    }
}

/// A meter's byte stream decoded into samples.
pub struct MeterSource<R> {
    reader: R,
    decoder: Box<dyn Decoder>,
    name: String,
    label: String,
    hint: Message,
    end: EndOfData,
    pending: VecDeque<MeterReading>,
    record: Option<Box<dyn Write + Send>>,
    bytes_read: u64,
    readings: u64,
    at_end: bool,
    poll: Option<Poll<R>>,
}

impl<R: Read + Write> MeterSource<R> {
    /// A source for a live meter on a port: `for_model`, and for a polled model the request
    /// for each reading, sent once per the model's interval.
    pub fn live(reader: R, model: &MeterModel, name: &str, end: EndOfData) -> Option<Self> {
        let mut s = Self::for_model(reader, model, name, end)?;
        if let Some(request) = model.chip.poll_request() {
            s.poll = Some(Poll {
                request,
                every: model.interval,
                last_sent: None,
                answered: false,
                send: |w, bytes| w.write_all(bytes).and_then(|_| w.flush()),
            });
        }
        Some(s)
    }
}

impl<R: Read> MeterSource<R> {
    /// A source reading `reader` (named `name` in messages, e.g. the port) with `decoder`.
    /// `hint` is appended to the "silent" error: what to check on this meter.
    pub fn new(
        reader: R,
        decoder: Box<dyn Decoder>,
        name: &str,
        hint: Message,
        end: EndOfData,
    ) -> Self {
        MeterSource {
            reader,
            decoder,
            name: name.to_string(),
            label: name.to_string(),
            hint,
            end,
            pending: VecDeque::new(),
            record: None,
            bytes_read: 0,
            readings: 0,
            at_end: false,
            poll: None,
        }
    }

    /// A source for a streaming meter model (`None` for SCPI models, which are
    /// request/response: use `scpi::ScpiSession`). The silence hint names the model's
    /// PC-link button, DTR/RTS levels, the port and the HID cables.
    pub fn for_model(reader: R, model: &MeterModel, name: &str, end: EndOfData) -> Option<Self> {
        let decoder = model.chip.decoder()?;
        let mut s = Self::new(reader, decoder, name, model.silence_hint(name), end);
        s.label = format!("{} on {name}", model.display);
        Some(s)
    }

    /// Replaces what the "silent" error says to check.
    pub fn with_hint(mut self, hint: Message) -> Self {
        self.hint = hint;
        self
    }

    /// Sends the poll request when it is due.
    fn poll_if_due(&mut self) -> Result<(), AcquireError> {
        let now = Instant::now();
        let Some(poll) = self.poll.as_mut().filter(|p| p.due(now)) else {
            return Ok(());
        };
        (poll.send)(&mut self.reader, poll.request).map_err(|cause| {
            AcquireError::Disconnected {
                source_name: self.name.clone(),
                cause,
            }
        })?;
        // From when the request went out, not when it fell due: a send delayed by a busy
        // machine must not bring the next one closer than the meter's interval.
        poll.last_sent = Some(Instant::now());
        poll.answered = false;
        Ok(())
    }

    /// Also writes every raw byte read to `sink` (for `--record`), flushed after each read.
    pub fn record_to(mut self, sink: Box<dyn Write + Send>) -> Self {
        self.record = Some(sink);
        self
    }

    /// Raw bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Readings decoded so far.
    pub fn readings(&self) -> u64 {
        self.readings
    }

    /// Gives the reader back.
    pub fn into_inner(self) -> R {
        self.reader
    }

    fn end_of_data(&mut self) -> Result<Option<Sample>, AcquireError> {
        self.at_end = true;
        match self.end {
            EndOfData::Finished if self.readings == 0 && self.bytes_read > 0 => {
                Err(AcquireError::Protocol {
                    source_name: self.name.clone(),
                    problem: msg!("stream-no-packet", bytes = self.bytes_read),
                })
            }
            EndOfData::Finished => Ok(None),
            EndOfData::HangUp => Err(AcquireError::Disconnected {
                source_name: self.name.clone(),
                cause: io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    msg!("stream-hung-up").to_string(),
                ),
            }),
        }
    }
}

impl<R: Read> Source for MeterSource<R> {
    fn next_sample(&mut self, timeout: Duration) -> Result<Option<Sample>, AcquireError> {
        let start = Instant::now();
        let mut buf = [0u8; 256];
        loop {
            if let Some(reading) = self.pending.pop_front() {
                return Ok(Some(Sample {
                    reading,
                    probes: None,
                }));
            }
            if self.at_end {
                return self.end_of_data();
            }
            if start.elapsed() >= timeout {
                return Err(AcquireError::Silent {
                    source_name: self.name.clone(),
                    waited: timeout,
                    hint: self.hint.clone(),
                });
            }
            self.poll_if_due()?;
            match self.reader.read(&mut buf) {
                Ok(0) => return self.end_of_data(),
                Ok(n) => {
                    self.bytes_read += n as u64;
                    if let Some(sink) = self.record.as_mut() {
                        sink.write_all(&buf[..n])
                            .and_then(|_| sink.flush())
                            .map_err(|e| AcquireError::Protocol {
                                source_name: self.name.clone(),
                                problem: msg!(
                                    "stream-cannot-record",
                                    cause = crate::i18n::os_error(&e)
                                ),
                            })?;
                    }
                    let decoded = self.decoder.push(&buf[..n]);
                    self.readings += decoded.len() as u64;
                    if let Some(poll) = self.poll.as_mut()
                        && !decoded.is_empty()
                    {
                        poll.answered = true;
                    }
                    self.pending.extend(decoded);
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::TimedOut
                            | io::ErrorKind::WouldBlock
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(cause) => {
                    return Err(AcquireError::Disconnected {
                        source_name: self.name.clone(),
                        cause,
                    });
                }
            }
        }
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::{Mode, Unit, es51922, find_model};

    fn ohms(v: f64) -> MeterReading {
        MeterReading {
            value: Some(v),
            unit: Unit::Ohm,
            mode: Mode::Resistance,
            overload: false,
            flags: vec!["AUTO"],
        }
    }

    #[test]
    fn a_recording_ends_cleanly_after_its_readings() {
        let mut bytes = es51922::encode(&ohms(70.51));
        bytes.extend(es51922::encode(&ohms(12.0)));
        let m = find_model("ut61e").unwrap();
        let mut s = MeterSource::for_model(&bytes[3..], m, "rec.bin", EndOfData::Finished).unwrap();
        let t = Duration::from_secs(1);
        assert_eq!(s.next_sample(t).unwrap().unwrap().reading, ohms(12.0));
        assert!(s.next_sample(t).unwrap().is_none());
        assert!(s.next_sample(t).unwrap().is_none());
    }

    #[test]
    fn a_file_of_garbage_is_a_protocol_error() {
        let m = find_model("ut61e").unwrap();
        let junk = [0x55u8; 100];
        let mut s = MeterSource::for_model(&junk[..], m, "junk.bin", EndOfData::Finished).unwrap();
        let e = s.next_sample(Duration::from_secs(1)).unwrap_err();
        assert!(
            e.to_string().contains("no valid packet in 100 bytes"),
            "{e}"
        );
    }

    /// A port that never delivers a byte: reads time out like a serial port's.
    struct Quiet;
    impl Read for Quiet {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            std::thread::sleep(Duration::from_millis(5));
            Err(io::ErrorKind::TimedOut.into())
        }
    }

    #[test]
    fn a_silent_meter_gets_the_pc_link_hint() {
        let m = find_model("ut61d").unwrap();
        let mut s = MeterSource::for_model(Quiet, m, "/dev/ttyUSB0", EndOfData::HangUp).unwrap();
        let e = s.next_sample(Duration::from_millis(30)).unwrap_err();
        assert!(matches!(e, AcquireError::Silent { .. }));
        let msg = e.to_string();
        assert!(msg.contains("REL/RS232"), "{msg}");
        assert!(msg.contains("read them with --port hid"), "{msg}");
    }

    #[test]
    fn hang_up_is_a_disconnect() {
        let m = find_model("ut61e").unwrap();
        let empty: &[u8] = &[];
        let mut s = MeterSource::for_model(empty, m, "/dev/ttyUSB0", EndOfData::HangUp).unwrap();
        assert!(matches!(
            s.next_sample(Duration::from_secs(1)),
            Err(AcquireError::Disconnected { .. })
        ));
    }

    /// A polled meter on the other end of an in-memory line: answers each complete request
    /// with one reply frame, and remembers when each request came.
    struct Polled {
        requests: crate::acquire::meter::ut61eplus::RequestReader,
        replies: VecDeque<u8>,
        asked: Vec<Instant>,
        answer: bool,
    }

    impl Read for Polled {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.replies.is_empty() {
                std::thread::sleep(Duration::from_millis(2));
                return Err(io::ErrorKind::TimedOut.into());
            }
            let n = buf.len().min(self.replies.len());
            for (slot, b) in buf.iter_mut().zip(self.replies.drain(..n)) {
                *slot = b;
            }
            Ok(n)
        }
    }

    impl Write for Polled {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            for cmd in self.requests.push(b) {
                assert_eq!(cmd, crate::acquire::meter::ut61eplus::CMD_MEASURE);
                self.asked.push(Instant::now());
                if self.answer {
                    self.replies
                        .extend(crate::acquire::meter::ut61eplus::encode(&ohms(702.5)));
                }
            }
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn polled(answer: bool) -> Polled {
        Polled {
            requests: Default::default(),
            replies: VecDeque::new(),
            asked: Vec::new(),
            answer,
        }
    }

    #[test]
    fn a_polled_meter_is_asked_once_per_interval() {
        let m = find_model("ut61e+").unwrap();
        let mut s = MeterSource::live(polled(true), m, "hid", EndOfData::HangUp).unwrap();
        for _ in 0..3 {
            let r = s.next_sample(Duration::from_secs(2)).unwrap().unwrap();
            assert_eq!(r.reading, ohms(702.5));
        }
        let asked = &s.into_inner().asked;
        assert_eq!(asked.len(), 3);
        for pair in asked.windows(2) {
            assert!(pair[1] - pair[0] >= m.interval, "{:?}", pair[1] - pair[0]);
        }
    }

    #[test]
    fn an_unanswered_poll_is_sent_again_and_silence_is_reported() {
        let m = find_model("ut61e+").unwrap();
        let mut s = MeterSource::live(polled(false), m, "hid", EndOfData::HangUp).unwrap();
        let e = s
            .next_sample(POLL_REPLY_WAIT + Duration::from_millis(300))
            .unwrap_err();
        assert!(matches!(e, AcquireError::Silent { .. }), "{e}");
        assert_eq!(s.into_inner().asked.len(), 2);
    }

    #[test]
    fn a_streaming_meter_is_never_polled() {
        let m = find_model("ut61e").unwrap();
        let mut line = polled(false);
        line.replies.extend(es51922::encode(&ohms(70.51)));
        let mut s = MeterSource::live(line, m, "x", EndOfData::HangUp).unwrap();
        s.next_sample(Duration::from_secs(1)).unwrap();
        assert!(s.into_inner().asked.is_empty());
    }

    #[test]
    fn recording_copies_raw_bytes() {
        #[derive(Clone, Default)]
        struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let bytes = es51922::encode(&ohms(5.0));
        let sink = Shared::default();
        let m = find_model("ut61e").unwrap();
        let mut s = MeterSource::for_model(&bytes[..], m, "x", EndOfData::Finished)
            .unwrap()
            .record_to(Box::new(sink.clone()));
        s.next_sample(Duration::from_secs(1)).unwrap();
        assert_eq!(*sink.0.lock().unwrap(), bytes);
    }
}
