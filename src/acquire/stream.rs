//! `MeterSource`: a `Source` over any byte stream (a serial port, a pseudo-terminal, a
//! recorded file) and one chip family's streaming decoder.
//!
//! Reads with timeouts and decodes; optionally copies the raw bytes to a recording. It does
//! not open ports (see `link`), print, or interpret readings (see `meter::check`).

use super::meter::{Decoder, MeterModel, MeterReading};
use super::{AcquireError, Sample, Source};
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

/// A meter's byte stream decoded into samples.
pub struct MeterSource<R> {
    reader: R,
    decoder: Box<dyn Decoder>,
    name: String,
    label: String,
    hint: String,
    end: EndOfData,
    pending: VecDeque<MeterReading>,
    record: Option<Box<dyn Write + Send>>,
    bytes_read: u64,
    readings: u64,
    at_end: bool,
}

impl<R: Read> MeterSource<R> {
    /// A source reading `reader` (named `name` in messages, e.g. the port) with `decoder`.
    /// `hint` is appended to the "silent" error: what to check on this meter.
    pub fn new(
        reader: R,
        decoder: Box<dyn Decoder>,
        name: &str,
        hint: String,
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
                    problem: format!(
                        "no valid packet in {} bytes; is it a recording of this meter model?",
                        self.bytes_read
                    ),
                })
            }
            EndOfData::Finished => Ok(None),
            EndOfData::HangUp => Err(AcquireError::Disconnected {
                source_name: self.name.clone(),
                cause: io::Error::new(io::ErrorKind::UnexpectedEof, "the port hung up"),
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
            match self.reader.read(&mut buf) {
                Ok(0) => return self.end_of_data(),
                Ok(n) => {
                    self.bytes_read += n as u64;
                    if let Some(sink) = self.record.as_mut() {
                        sink.write_all(&buf[..n])
                            .and_then(|_| sink.flush())
                            .map_err(|e| AcquireError::Protocol {
                                source_name: self.name.clone(),
                                problem: format!("cannot write the recording: {e}"),
                            })?;
                    }
                    let decoded = self.decoder.push(&buf[..n]);
                    self.readings += decoded.len() as u64;
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
        assert!(msg.contains("UT-D04 / UT61E+ are USB HID"), "{msg}");
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
