//! `kmdiag sweep`: a live sweep with a scanning adapter (whole sweep, progress bar) or a
//! guided handheld meter (prompts, auto-capture, keys), then the diagnosis.
//!
//! Nothing is lost: every reading is appended to the output file and flushed at once; Ctrl-C,
//! an unplugged cable or a silent device end the run with the partial file intact, and
//! `--resume` measures only what is missing. Everything is validated before the port opens.

pub mod guided;
pub mod keys;

use crate::acquire::adapter::{self, AdapterSource, Plan};
use crate::acquire::capture::CaptureSettings;
use crate::acquire::link::{self, LinkSettings};
use crate::acquire::meter::scpi::ScpiSession;
use crate::acquire::meter::{Chip, MeterModel, find_model};
use crate::acquire::transport::{self, Devices, Endpoint, Port};
use crate::acquire::{AcquireError, Source};
use crate::cli::EntranceArgs;
use crate::exit::{DeviceError, Outcome};
use crate::export::Format;
use crate::model::{Measurement, Terminal};
use crate::profile::{Layout, LineLabels};
use crate::sweep::SweepWriter;
use anyhow::{Context, Result, anyhow, bail};
use std::collections::HashSet;
use std::fs::File;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A modem-control line level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    /// Asserted.
    On,
    /// Deasserted.
    Off,
}

/// Arguments of `kmdiag sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Serial port of the meter or adapter, e.g. /dev/ttyUSB0 or COM3 (see 'kmdiag ports');
    /// hid or hid:VID:PID[:SERIAL] for a USB-HID meter or cable (UT61E+, UT-D04, UT-D09,
    /// Victor); or tcp://HOST:PORT for a network serial bridge
    #[arg(long, value_name = "PORT")]
    pub port: String,
    /// Meter model (e.g. ut61e), or `adapter` for the scanning adapter
    #[arg(long, value_name = "MODEL|adapter")]
    pub meter: String,
    /// Switch, offset and apartments
    #[command(flatten)]
    pub entrance: EntranceArgs,
    /// Sweep file to write (CSV plus,minus,ohms), one row appended and flushed per reading
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// Continue a partial sweep file: measure only the points it does not have yet
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Overwrite an existing output file
    #[arg(long)]
    pub force: bool,
    /// Format of the diagnosis printed at the end
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Guided sweep: equal readings in a row that capture a point
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub stable_count: usize,
    /// Guided sweep: readings within PCT percent of each other count as equal
    #[arg(long, value_name = "PCT", default_value_t = 2.0)]
    pub tolerance: f64,
    /// Guided sweep: also measure D–D and E–E pairs (bus shorts); the adapter always does
    #[arg(long)]
    pub bus: bool,
    /// Seconds without valid data before the device counts as silent
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0)]
    pub timeout: f64,
    /// DTR level after opening the port (default: what the device needs)
    #[arg(long, value_enum, value_name = "on|off")]
    pub dtr: Option<Level>,
    /// RTS level after opening the port (default: what the device needs)
    #[arg(long, value_enum, value_name = "on|off")]
    pub rts: Option<Level>,
}

/// Where readings go: the output file, created on the first reading (so a port that fails
/// to open leaves no empty file behind), each row flushed at once.
pub struct Recorder {
    path: PathBuf,
    labels: LineLabels,
    writer: Option<SweepWriter<File>>,
    append: bool,
    force: bool,
    /// Readings written in this run.
    pub written: usize,
}

impl Recorder {
    /// Appends and flushes one measurement.
    pub fn push(&mut self, m: &Measurement) -> Result<()> {
        if self.writer.is_none() {
            let writer = if self.append {
                let f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&self.path)
                    .with_context(|| format!("cannot append to {}", self.path.display()))?;
                SweepWriter::append(f, self.labels.clone())
            } else {
                let mut opts = std::fs::OpenOptions::new();
                opts.write(true);
                if self.force {
                    opts.create(true).truncate(true);
                } else {
                    opts.create_new(true);
                }
                let f = opts
                    .open(&self.path)
                    .with_context(|| format!("cannot create {}", self.path.display()))?;
                SweepWriter::create(f, self.labels.clone())
                    .with_context(|| format!("cannot write {}", self.path.display()))?
            };
            self.writer = Some(writer);
        }
        if let Some(w) = &mut self.writer {
            w.push(m)
                .with_context(|| format!("cannot write {}", self.path.display()))?;
        }
        self.written += 1;
        Ok(())
    }
}

/// What is in the output file already (with `--resume`).
fn already_measured(
    args: &SweepArgs,
    layout: &Layout,
) -> Result<(HashSet<(Terminal, Terminal)>, bool)> {
    let path = &args.output;
    let exists = path.exists();
    if !args.resume {
        if exists && !args.force {
            bail!(
                "{} already exists; pass --resume to continue that sweep, --force to overwrite it, or choose another name",
                path.display()
            );
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            bail!(
                "cannot write {}: folder {} does not exist",
                path.display(),
                dir.display()
            );
        }
        return Ok((HashSet::new(), false));
    }
    if !exists {
        eprintln!(
            "kmdiag: {} does not exist yet; starting a new sweep",
            path.display()
        );
        return Ok((HashSet::new(), false));
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    // A row cut short by a crash mid-write: drop it (it is measured again).
    let keep = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(i) => i + 1,
        None => 0,
    };
    if keep < bytes.len() {
        eprintln!(
            "kmdiag: warning: {}: the last row is incomplete ({:?}); it is dropped and measured again",
            path.display(),
            String::from_utf8_lossy(&bytes[keep..])
        );
        std::fs::write(path, &bytes[..keep])
            .with_context(|| format!("cannot repair {}", path.display()))?;
    }
    let text = String::from_utf8(bytes[..keep].to_vec()).map_err(|e| {
        anyhow!(
            "{}: byte {}: not UTF-8 text; is it a kmdiag sweep file?",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.trim().is_empty() {
        // Nothing at all, not even the header: start the file afresh.
        return Ok((HashSet::new(), false));
    }
    let done = match crate::sweep::parse_sweep(&text, path, &layout.labels) {
        Ok((sweep, _)) => sweep
            .measurements()
            .into_iter()
            .map(|m| (m.plus, m.minus))
            .collect(),
        Err(crate::sweep::SweepError::Empty { .. }) => HashSet::new(),
        Err(e) => {
            return Err(anyhow!(e).context(format!(
                "cannot resume from {}; check --profile/--switch match the sweep, or start afresh with --force",
                path.display()
            )));
        }
    };
    Ok((done, true))
}

/// Opens the adapter's serial port with the `--dtr`/`--rts` choices.
fn open_adapter_port(args: &SweepArgs) -> Result<Box<dyn Port>, AcquireError> {
    adapter::open_port(
        &args.port,
        args.dtr != Some(Level::Off),
        args.rts == Some(Level::On),
    )
}

/// What a sweep reaches besides its files: where USB-HID devices are found, where the
/// guided sweep's keys come from and where the diagnosis goes. The program: this computer's
/// devices, the terminal and stdout; tests: simulated devices, keys sent on a channel and a
/// buffer.
pub struct Console {
    /// Where USB-HID devices are found.
    pub devices: Devices,
    /// Keys for the guided sweep; `None` reads the terminal (or standard input).
    pub keys: Option<std::sync::mpsc::Receiver<keys::Key>>,
    /// Where the diagnosis of the finished sweep is written.
    pub out: Box<dyn std::io::Write>,
}

impl Console {
    /// This computer's devices, the terminal and stdout.
    pub fn system() -> Console {
        Console {
            devices: Devices::system(),
            keys: None,
            out: Box::new(std::io::stdout()),
        }
    }
}

/// A device failure (exit 3); once readings were taken, it also says the file keeps them and
/// how to resume.
fn device_failure(e: AcquireError, out: &Path, have: usize, total: usize) -> anyhow::Error {
    if have == 0 {
        DeviceError(anyhow!(e)).into()
    } else {
        DeviceError(anyhow!(
            "{e}; {}",
            stopped("the sweep stopped", out, have, total)
        ))
        .into()
    }
}

/// The message when a run stops early, and how to go on.
fn stopped(why: &str, out: &Path, have: usize, total: usize) -> String {
    let left = total.saturating_sub(have);
    format!(
        "{why}; {} keeps the {have} of {total} readings taken so far; run the same command with --resume to measure the remaining {left}",
        out.display()
    )
}

/// Runs `kmdiag sweep`.
pub fn run(args: SweepArgs) -> Result<Outcome> {
    run_with(args, Console::system())
}

/// Runs `kmdiag sweep` on `console`'s devices and keys, writing the diagnosis to its `out`.
pub fn run_with(args: SweepArgs, mut console: Console) -> Result<Outcome> {
    // Validate everything before the port opens.
    if args.stable_count == 0 || args.stable_count > 100 {
        bail!(
            "--stable-count {} is out of range; expected 1 to 100 readings",
            args.stable_count
        );
    }
    if !(args.tolerance.is_finite() && (0.0..=50.0).contains(&args.tolerance)) {
        bail!(
            "--tolerance {} is out of range; expected 0 to 50 (percent)",
            args.tolerance
        );
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        bail!(
            "--timeout {} is out of range; expected seconds above 0, at most 3600",
            args.timeout
        );
    }
    let endpoint = Endpoint::parse(&args.port)?;
    let line_flags: Vec<&str> = [("--dtr", args.dtr.is_some()), ("--rts", args.rts.is_some())]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect();
    if let Some(note) = transport::ignored_settings_note(&endpoint, &line_flags) {
        eprintln!("kmdiag: {note}");
    }
    let is_adapter = args.meter.eq_ignore_ascii_case("adapter");
    let model = if is_adapter {
        None
    } else {
        Some(guided_meter_check(&args.meter)?)
    };
    let (profile, layout) = super::load_layout(&args.entrance)?;
    let (tens, units) = (layout.tens(), layout.units());
    let plan: Vec<(Terminal, Terminal)> = if is_adapter {
        adapter::frame::sweep_order(tens, units, true)
    } else {
        guided::guided_order(tens, units, args.bus)
    };
    let (done, append) = already_measured(&args, &layout)?;
    let missing: Vec<(Terminal, Terminal)> =
        plan.iter().copied().filter(|p| !done.contains(p)).collect();
    let have_before = plan.len() - missing.len();
    if append && !missing.is_empty() {
        eprintln!(
            "kmdiag: {} holds {have_before} of {} readings; measuring the remaining {}",
            args.output.display(),
            plan.len(),
            missing.len()
        );
    }
    let mut rec = Recorder {
        path: args.output.clone(),
        labels: layout.labels.clone(),
        writer: None,
        append,
        force: args.force,
        written: 0,
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // Only one handler per process; a second `sweep` in one process keeps the first.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let meter = if missing.is_empty() {
        eprintln!(
            "kmdiag: {} already holds all {} readings; diagnosing it",
            args.output.display(),
            plan.len()
        );
        Some(args.meter.clone())
    } else if is_adapter {
        run_adapter(
            &args,
            &missing,
            plan.len(),
            have_before,
            &mut rec,
            &stop,
            timeout,
        )?
    } else if let Some(model) = model {
        run_handheld(
            &args,
            model,
            Session {
                layout: &layout,
                missing: &missing,
                total: plan.len(),
                have_before,
                stop: &stop,
                timeout,
            },
            &mut console,
            &mut rec,
        )?
    } else {
        None
    };
    let Some(meter) = meter else {
        return Ok(Outcome::Incomplete);
    };
    let sweep = read_finished(&args.output, &layout)?;
    super::diagnose::present_to(
        console.out.as_mut(),
        &profile,
        layout,
        sweep,
        args.output.display().to_string(),
        Some(meter),
        args.format,
    )
}

/// Reads the finished sweep back. Rows measured twice (redo) are expected: the later wins,
/// without a warning.
fn read_finished(path: &Path, layout: &Layout) -> Result<crate::model::Sweep> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read back {}", path.display()))?;
    let (sweep, _) = crate::sweep::parse_sweep(&text, path, &layout.labels)?;
    Ok(sweep)
}

/// The meter model named by `--meter`, or an error listing the known ones.
fn guided_meter_check(model: &str) -> Result<&'static MeterModel> {
    find_model(model).ok_or_else(|| {
        anyhow!(
            "unknown meter '{model}'; expected 'adapter' or one of: {}",
            crate::acquire::meter::models::model_names()
        )
    })
}

/// Opens a meter's port with its settings (DTR/RTS overridable) and wraps it as a source.
fn open_meter(
    args: &SweepArgs,
    model: &'static MeterModel,
    timeout: Duration,
    devices: &Devices,
) -> Result<Box<dyn Source>, AcquireError> {
    let level = |l: Option<Level>| l.map(|l| l == Level::On);
    let settings = LinkSettings::for_model(model, level(args.dtr), level(args.rts), None);
    let mut port = link::open_on(devices, &args.port, &settings)?;
    // Packets queued before we came are from wherever the probes were then.
    port.discard_input();
    Ok(match model.chip {
        Chip::Scpi(family) => Box::new(ScpiSession::new(port, family, &args.port, timeout)),
        _ => match link::meter_source(port, model, &args.port) {
            Some(src) => Box::new(src),
            None => {
                return Err(AcquireError::Protocol {
                    source_name: args.port.clone(),
                    problem: format!("no decoder for {}", model.display),
                });
            }
        },
    })
}

/// Where a guided sweep stands when it starts.
struct Session<'a> {
    layout: &'a Layout,
    /// Points still to measure, in guided order.
    missing: &'a [(Terminal, Terminal)],
    /// Points of the whole sweep.
    total: usize,
    /// Points the file held already (`--resume`).
    have_before: usize,
    /// Set by Ctrl-C.
    stop: &'a AtomicBool,
    /// How long the meter may stay silent.
    timeout: Duration,
}

/// The guided handheld sweep. Returns the meter's description, or `None` when the
/// technician stopped the run.
fn run_handheld(
    args: &SweepArgs,
    model: &'static MeterModel,
    s: Session<'_>,
    console: &mut Console,
    rec: &mut Recorder,
) -> Result<Option<String>> {
    let device = |e: AcquireError, rec: &Recorder| {
        device_failure(e, &args.output, s.have_before + rec.written, s.total)
    };
    let mut source =
        open_meter(args, model, s.timeout, &console.devices).map_err(|e| device(e, rec))?;
    // A streaming source names the device its port turned out to be (`hid` → which cable).
    let meter = match model.chip {
        Chip::Scpi(_) => format!("{} on {}", model.display, args.port),
        _ => source.describe(),
    };
    eprintln!(
        "kmdiag: guided sweep with the {meter}: {} points to measure",
        s.missing.len()
    );
    let keys = match console.keys.take() {
        Some(rx) => keys::Keys::from_channel(rx),
        None => keys::Keys::open(),
    };
    let end = guided::run(
        guided::Guided {
            source: source.as_mut(),
            points: s.missing,
            layout: s.layout,
            settings: CaptureSettings::new(args.stable_count, args.tolerance),
            timeout: s.timeout,
            stop: s.stop,
            keys,
        },
        rec,
    )?;
    match end {
        guided::GuidedEnd::Complete { skipped } => {
            if skipped > 0 {
                eprintln!(
                    "kmdiag: {skipped} points were skipped; run the same command with --resume to measure them"
                );
            }
            Ok(Some(meter))
        }
        guided::GuidedEnd::Quit => {
            eprintln!(
                "kmdiag: {}",
                stopped(
                    "stopped",
                    &args.output,
                    s.have_before + rec.written,
                    s.total
                )
            );
            Ok(None)
        }
        guided::GuidedEnd::Failed(e) => Err(device(e, rec)),
    }
}

/// The adapter sweep with a progress bar. Returns the adapter's description, or `None` when
/// the technician stopped the run (the outcome is then "incomplete").
fn run_adapter(
    args: &SweepArgs,
    missing: &[(Terminal, Terminal)],
    total: usize,
    have_before: usize,
    rec: &mut Recorder,
    stop: &AtomicBool,
    timeout: Duration,
) -> Result<Option<String>> {
    let device = |e: AcquireError, rec: &Recorder| {
        device_failure(e, &args.output, have_before + rec.written, total)
    };
    let port = open_adapter_port(args).map_err(|e| device(e, rec))?;
    let mut src = AdapterSource::connect(port, &args.port, timeout).map_err(|e| device(e, rec))?;
    let plan = if missing.len() == total {
        let (tens, units) = shape(missing);
        Plan::Full {
            tens,
            units,
            bus: true,
        }
    } else {
        Plan::Points(missing.to_vec())
    };
    src.start(plan).map_err(|e| device(e, rec))?;
    let bar = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(missing.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} sweeping {bar:40} {pos}/{len} readings, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut last_rx = Instant::now();
    loop {
        if stop.load(Ordering::SeqCst) {
            bar.finish_and_clear();
            eprintln!(
                "kmdiag: {}",
                stopped(
                    "stopped (Ctrl-C)",
                    &args.output,
                    have_before + rec.written,
                    total
                )
            );
            return Ok(None);
        }
        match src.next_sample(Duration::from_millis(200)) {
            Ok(Some(sample)) => {
                last_rx = Instant::now();
                let Some((plus, minus)) = sample.probes else {
                    continue;
                };
                let Some(reading) = sample.reading.as_resistance() else {
                    continue;
                };
                rec.push(&Measurement {
                    plus,
                    minus,
                    reading,
                })?;
                bar.inc(1);
            }
            Ok(None) => break,
            Err(AcquireError::Silent { .. }) if last_rx.elapsed() < timeout => {}
            Err(AcquireError::Silent {
                source_name, hint, ..
            }) => {
                bar.finish_and_clear();
                let e = AcquireError::Silent {
                    source_name,
                    waited: last_rx.elapsed(),
                    hint,
                };
                return Err(device(e, rec));
            }
            Err(e) => {
                bar.finish_and_clear();
                return Err(device(e, rec));
            }
        }
    }
    bar.finish_and_clear();
    if src.noise_lines() > 0 {
        eprintln!(
            "kmdiag: note: {} garbled lines from the adapter were asked for again; a noisy cable",
            src.noise_lines()
        );
    }
    Ok(Some(src.describe()))
}

/// Tens and units covered by a full sweep's pairs.
fn shape(pairs: &[(Terminal, Terminal)]) -> (u16, u16) {
    use crate::model::LineKind::*;
    let max = |kind| {
        pairs
            .iter()
            .flat_map(|(p, m)| [p, m])
            .filter(|t| t.kind == kind)
            .map(|t| t.index + 1)
            .max()
            .unwrap_or(0)
    };
    (max(Tens), max(Units))
}
