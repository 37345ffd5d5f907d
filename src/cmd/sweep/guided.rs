//! The guided handheld sweep's input and output: reads the meter and the keyboard, feeds both
//! to the capture machine (`acquire::capture::Guide`, which decides when a point is
//! recorded), and carries out what it answers — messages and the live status line on stderr,
//! the bell, rows to the recorder.
//!
//! The order walks the red probe along the D terminals while the black one stays on one E
//! terminal (clip it on), then the reverse polarity the same way, so one hand moves one probe
//! and the other is free for the keys. Lines that carry no apartment are left out unless asked.

use super::keys::Keys;
use super::record::Recorder;
use super::say;
use crate::acquire::capture::{CaptureSettings, End, Guide, Key, Output, Point};
use crate::acquire::{AcquireError, Sample, Source};
use crate::i18n::Message;
use crate::model::{Cell, LineKind, Measurement, Terminal};
use crate::profile::Layout;
use anyhow::Result;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Points in guided order: forward cells with the black probe fixed on each E terminal in
/// turn and the red one walking D0, D1, …; then reverse cells with black fixed on each D;
/// then, with `bus`, D–D and E–E pairs with black fixed and red walking. Only the lines
/// `keep` says yes to.
pub fn guided_order(
    tens: u16,
    units: u16,
    bus: bool,
    keep: impl Fn(Terminal) -> bool,
) -> Vec<Point> {
    let ds: Vec<u16> = (0..tens).filter(|&d| keep(Terminal::tens(d))).collect();
    let es: Vec<u16> = (0..units).filter(|&e| keep(Terminal::units(e))).collect();
    let mut out = Vec::new();
    for &e in &es {
        for &d in &ds {
            out.push((Terminal::tens(d), Terminal::units(e)));
        }
    }
    for &d in &ds {
        for &e in &es {
            out.push((Terminal::units(e), Terminal::tens(d)));
        }
    }
    if bus {
        for (j, &b) in ds.iter().enumerate() {
            for &a in &ds[..j] {
                out.push((Terminal::tens(a), Terminal::tens(b)));
            }
        }
        for (j, &b) in es.iter().enumerate() {
            for &a in &es[..j] {
                out.push((Terminal::units(a), Terminal::units(b)));
            }
        }
    }
    out
}

/// The lines (D and E terminals) that carry at least one apartment of the layout.
pub fn lines_in_use(layout: &Layout) -> impl Fn(Terminal) -> bool + use<> {
    let (tens, units) = (layout.tens(), layout.units());
    let mut d_used = vec![false; tens as usize];
    let mut e_used = vec![false; units as usize];
    for d in 0..tens {
        for e in 0..units {
            if layout.apartment(Cell::new(d, e)).is_some() {
                d_used[d as usize] = true;
                e_used[e as usize] = true;
            }
        }
    }
    move |t: Terminal| match t.kind {
        LineKind::Tens => d_used.get(t.index as usize).copied().unwrap_or(false),
        LineKind::Units => e_used.get(t.index as usize).copied().unwrap_or(false),
    }
}

/// Probe moves of a sequence: how many times either probe changes terminal.
pub fn probe_moves(points: &[Point]) -> usize {
    points
        .windows(2)
        .map(|w| usize::from(w[0].0 != w[1].0) + usize::from(w[0].1 != w[1].1))
        .sum()
}

/// Garbled replies in a row (request/response meters) before the run gives up.
const MAX_GARBLED_IN_A_ROW: u32 = 5;

/// How long the meter thread waits for one sample before it looks whether the run is over.
const POLL: Duration = Duration::from_millis(100);

/// Talks to the technician on stderr (or where the caller says: a program driving the
/// sweep). Ends its live status line before any other message and when dropped, so nothing
/// else is printed onto it.
struct Screen {
    raw: bool,
    tty: bool,
    status_shown: bool,
    last_status: String,
    /// Messages go here instead of stderr (no status line then).
    to: Option<Box<dyn Write + Send>>,
}

impl Screen {
    fn end_status(&mut self, err: &mut impl Write) {
        if self.status_shown {
            let _ = write!(err, "\r\x1b[2K");
            self.status_shown = false;
            self.last_status.clear();
        }
    }

    fn say(&mut self, text: &Message) {
        if let Some(to) = self.to.as_mut() {
            let _ = writeln!(to, "kmdiag: {text}").and_then(|_| to.flush());
            return;
        }
        let mut err = std::io::stderr().lock();
        self.end_status(&mut err);
        let end = if self.raw { "\r\n" } else { "\n" };
        let _ = write!(err, "kmdiag: {text}{end}");
        let _ = err.flush();
    }

    fn status(&mut self, text: String) {
        if !self.tty || (self.status_shown && text == self.last_status) {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K  {text}");
        let _ = err.flush();
        self.status_shown = true;
        self.last_status = text;
    }

    fn bell(&mut self) {
        if self.to.is_some() {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(b"\x07");
        let _ = err.flush();
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let mut err = std::io::stderr().lock();
        self.end_status(&mut err);
        let _ = err.flush();
    }
}

/// Everything the guided run needs.
pub struct Guided<'a> {
    /// The meter (read on a thread of its own).
    pub source: &'a mut (dyn Source + Send),
    /// The meter's name for messages.
    pub source_name: String,
    /// Points still to measure, in guided order.
    pub points: &'a [Point],
    /// Labels and apartments.
    pub layout: &'a Layout,
    /// Capture settings.
    pub settings: CaptureSettings,
    /// The meter's packet interval (for the auto-open announcement).
    pub interval: Duration,
    /// How long the meter may stay silent.
    pub timeout: Duration,
    /// Set by Ctrl-C (a signal, when the keyboard is not in raw mode).
    pub stop: &'a AtomicBool,
    /// The technician's keys.
    pub keys: Keys,
    /// Where the messages go; `None`: stderr, with the live status line on a terminal.
    pub screen: Option<Box<dyn Write + Send>>,
}

/// How the guided run ended.
pub enum GuidedEnd {
    /// The run ended (complete, stopped or interrupted); the held row is written.
    Ended(End),
    /// The meter or the port failed; the held row is written.
    Failed(AcquireError),
}

/// Runs the guided sweep; every record goes to the recorder.
pub fn run(mut g: Guided<'_>, rec: &mut Recorder) -> Result<GuidedEnd> {
    let mut keys = std::mem::replace(&mut g.keys, Keys::none());
    let to = g.screen.take();
    let mut screen = Screen {
        raw: keys.raw() && to.is_none(),
        tty: std::io::stderr().is_terminal() && to.is_none(),
        status_shown: false,
        last_status: String::new(),
        to,
    };
    screen.say(&say::help());
    if let Some(n) = g.settings.auto_open {
        screen.say(&say::auto_open(n, g.interval));
    }
    let mut guide = Guide::new(g.points.to_vec(), g.settings);
    let result = drive(&mut g, &mut guide, &mut keys, &mut screen, rec);
    // Whatever happened, the held row is a real reading: into the file with it.
    let written = rec.finish();
    let end = result?;
    written?;
    Ok(end)
}

/// How often the keyboard is looked at while waiting for the meter: a key acts within this,
/// not when the next packet happens to arrive (up to 0.77 s on a VC-940).
const KEY_POLL: Duration = Duration::from_millis(10);

/// True when the source will not deliver anything more after this result.
fn source_finished(r: &Result<Option<Sample>, AcquireError>) -> bool {
    matches!(
        r,
        Ok(None) | Err(AcquireError::Disconnected { .. } | AcquireError::Open { .. })
    )
}

/// The loop: the meter is read on its own thread, so keys act at once while it waits for a
/// packet; both go to the machine in the order they arrive.
fn drive(
    g: &mut Guided<'_>,
    guide: &mut Guide,
    keys: &mut Keys,
    screen: &mut Screen,
    rec: &mut Recorder,
) -> Result<GuidedEnd> {
    if let Some(end) = perform(guide.start(), g.layout, screen, rec)? {
        return Ok(GuidedEnd::Ended(end));
    }
    let done = AtomicBool::new(false);
    let ctx = Listen {
        layout: g.layout,
        stop: g.stop,
        timeout: g.timeout,
        source_name: g.source_name.clone(),
    };
    let source = &mut *g.source;
    let (tx, samples) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::SeqCst) {
                let r = source.next_sample(POLL);
                let finished = source_finished(&r);
                if tx.send(r).is_err() || finished {
                    break;
                }
            }
        });
        let result = listen(&ctx, guide, keys, screen, rec, &samples);
        done.store(true, Ordering::SeqCst);
        result
    })
}

/// What the listening loop needs of the run besides the meter.
struct Listen<'a> {
    layout: &'a Layout,
    stop: &'a AtomicBool,
    timeout: Duration,
    source_name: String,
}

/// Takes keys and readings until the run ends or the meter fails.
fn listen(
    g: &Listen<'_>,
    guide: &mut Guide,
    keys: &mut Keys,
    screen: &mut Screen,
    rec: &mut Recorder,
    samples: &Receiver<Result<Option<Sample>, AcquireError>>,
) -> Result<GuidedEnd> {
    let mut last_rx = Instant::now();
    let mut garbled = 0;
    loop {
        let key = if g.stop.load(Ordering::SeqCst) {
            Some(Key::Interrupt)
        } else {
            keys.poll()
        };
        if let Some(key) = key {
            if let Some(end) = perform(guide.key(key), g.layout, screen, rec)? {
                return Ok(GuidedEnd::Ended(end));
            }
            continue;
        }
        let next = match samples.recv_timeout(KEY_POLL) {
            Ok(next) => next,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => Ok(None),
        };
        match next {
            Ok(Some(sample)) => {
                last_rx = Instant::now();
                garbled = 0;
                if let Some(end) = perform(guide.reading(&sample.reading), g.layout, screen, rec)? {
                    return Ok(GuidedEnd::Ended(end));
                }
            }
            Ok(None) => {
                return Ok(GuidedEnd::Failed(AcquireError::Disconnected {
                    source_name: g.source_name.clone(),
                    cause: std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        crate::msg!("stream-data-ended").to_string(),
                    ),
                }));
            }
            Err(AcquireError::Silent { .. }) if last_rx.elapsed() < g.timeout => {}
            Err(AcquireError::Silent {
                source_name, hint, ..
            }) => {
                return Ok(GuidedEnd::Failed(AcquireError::Silent {
                    source_name,
                    waited: last_rx.elapsed(),
                    hint,
                }));
            }
            Err(AcquireError::Protocol { problem, .. }) if garbled < MAX_GARBLED_IN_A_ROW => {
                // A garbled reply (noise on the cable): the next one decides.
                garbled += 1;
                if garbled == 1 {
                    screen.say(&say::garbled(&problem));
                }
            }
            Err(e) => return Ok(GuidedEnd::Failed(e)),
        }
    }
}

/// Carries out the machine's answer; returns how the run ended, once it has.
fn perform(
    outputs: Vec<Output>,
    layout: &Layout,
    screen: &mut Screen,
    rec: &mut Recorder,
) -> Result<Option<End>> {
    for o in outputs {
        match o {
            Output::Say(note) => screen.say(&say::note(layout, &note)),
            Output::Status(s) => screen.status(say::status(&s).to_string()),
            Output::Record {
                point: (plus, minus),
                reading,
                ..
            } => rec.hold(Measurement {
                plus,
                minus,
                reading,
            })?,
            Output::Retract { .. } => {
                rec.retract();
            }
            Output::Bell => screen.bell(),
            Output::End(end) => return Ok(Some(end)),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guided_order_moves_one_probe_at_a_time_within_a_row() {
        let order = guided_order(10, 10, false, |_| true);
        assert_eq!(order.len(), 200);
        // Black stays on E0 while red walks D0..D9.
        assert!(order[..10].iter().all(|(_, m)| *m == Terminal::units(0)));
        // Every point of the plain sweep appears exactly once.
        let mut sorted = order.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 200);
        // 9 red moves per row of ten, 2 moves between rows: 218, against 398 for measuring
        // each cell both ways in turn (the lower bound is 199, one move per point).
        let naive = crate::acquire::adapter::frame::sweep_order(10, 10, false);
        assert_eq!(probe_moves(&order), 218);
        assert_eq!(probe_moves(&naive), 398);
    }

    #[test]
    fn bus_pairs_follow_with_the_black_probe_fixed() {
        let order = guided_order(3, 2, true, |_| true);
        assert_eq!(order.len(), 12 + 3 + 1);
        assert_eq!(order[12], (Terminal::tens(0), Terminal::tens(1)));
    }

    #[test]
    fn lines_without_an_apartment_are_left_out() {
        use crate::profile::{LayoutSpec, parse_apartments, resolve};
        let p = resolve("eltis").unwrap();
        let s = p.switch(None).unwrap().clone();
        let spec = LayoutSpec {
            offset: 72,
            apartments: Some(parse_apartments("73-144").unwrap()),
            ..Default::default()
        };
        let layout = Layout::build(&p, &s, &spec).unwrap();
        let keep = lines_in_use(&layout);
        // Flats 73-144 are lines 1-72: D0-D7 carry flats, D8 and D9 none; every E line does.
        assert!(keep(Terminal::tens(7)) && !keep(Terminal::tens(8)) && !keep(Terminal::tens(9)));
        assert!((0..10).all(|e| keep(Terminal::units(e))));
        let order = guided_order(10, 10, false, keep);
        assert_eq!(order.len(), 160);
        assert!(
            order
                .iter()
                .all(|(p, m)| *p != Terminal::tens(8) && *m != Terminal::tens(9))
        );
    }
}
