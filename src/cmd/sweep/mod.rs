//! `kmdiag sweep`: a live sweep with a scanning adapter (whole sweep, progress bar) or a
//! guided handheld meter (prompts, capture on evidence of placement, keys), then the diagnosis.
//!
//! Nothing is lost: every reading goes to the end of the output file as one complete row;
//! Ctrl-C (exit 130), `q` (exit 5), an unplugged cable or a silent device end the run with the
//! partial file intact, and `--resume` measures only what is missing. Everything — arguments,
//! profile, output file, a file to resume — is validated before the port opens.

pub mod guided;
pub mod keys;
pub mod record;
pub mod say;

use crate::acquire::adapter::{self, AdapterSource, Plan};
use crate::acquire::capture::{CaptureSettings, End, Point};
use crate::acquire::link::{self, LinkSettings};
use crate::acquire::meter::scpi::ScpiSession;
use crate::acquire::meter::{Chip, MeterModel, find_model};
use crate::acquire::transport::{self, Devices, Endpoint, Port};
use crate::acquire::{AcquireError, Source};
use crate::cli::EntranceArgs;
use crate::exit::{DeviceError, Outcome};
use crate::export::Format;
use crate::model::{LineKind, Measurement, Terminal};
use crate::msg;
use crate::profile::Layout;
use anyhow::{Context, Result, anyhow, bail};
use record::Recorder;
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
    #[arg(long, value_name = "PORT", env = "KMDIAG_PORT")]
    pub port: String,
    /// Meter model (e.g. ut61e), or `adapter` for the scanning adapter
    #[arg(long, value_name = "MODEL|adapter", env = "KMDIAG_METER")]
    pub meter: String,
    /// Switch, offset and apartments
    #[command(flatten)]
    pub entrance: EntranceArgs,
    /// Sweep file to write (CSV plus,minus,ohms), one complete row appended per reading
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
    /// Guided sweep: record OL without a key after a run of OL readings. Probes in the air
    /// read OL too: keep them on the terminals until the bell
    #[arg(long)]
    pub auto_open: bool,
    /// Guided sweep: also measure the lines that carry no apartment (left out by default)
    #[arg(long)]
    pub all_crossings: bool,
    /// Seconds without valid data before the device counts as silent
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0)]
    pub timeout: f64,
    /// DTR level after opening the port (default: what the device needs)
    #[arg(long, value_enum, value_name = "on|off")]
    pub dtr: Option<Level>,
    /// RTS level after opening the port (default: what the device needs)
    #[arg(long, value_enum, value_name = "on|off")]
    pub rts: Option<Level>,
    /// A note for the sweep file's header, e.g. who measured and why (repeatable)
    #[arg(long = "note", value_name = "TEXT")]
    pub notes: Vec<String>,
}

/// Opens the adapter's serial port with the `--dtr`/`--rts` choices.
fn open_adapter_port(args: &SweepArgs) -> Result<Box<dyn Port>, AcquireError> {
    adapter::open_port(
        &args.port,
        args.dtr != Some(Level::Off),
        args.rts == Some(Level::On),
    )
}

/// A device failure (exit 3); once readings were taken, it also says the file keeps them and
/// how to resume.
fn device_failure(e: AcquireError, out: &Path, have: usize, total: usize) -> anyhow::Error {
    if have == 0 {
        DeviceError(anyhow!(e)).into()
    } else {
        DeviceError(anyhow!(
            "{e}; {}",
            say::stopped(say::Why::Failed, out, have, total)
        ))
        .into()
    }
}

/// What a sweep reaches besides its files: where USB-HID devices are found, where the
/// guided sweep's keys come from and its messages go, and where the diagnosis goes. The
/// program: this computer's devices, the terminal, stderr and stdout; tests: simulated
/// devices, keys on a channel and buffers.
pub struct Console {
    /// Where USB-HID devices are found.
    pub devices: Devices,
    /// Keys for the guided sweep; `None` reads the terminal (or standard input).
    pub keys: Option<std::sync::mpsc::Receiver<crate::acquire::capture::Key>>,
    /// Where the guided sweep's messages go; `None`: stderr.
    pub screen: Option<Box<dyn std::io::Write + Send>>,
    /// Where the diagnosis of the finished sweep is written.
    pub out: Box<dyn std::io::Write>,
}

impl Console {
    /// This computer's devices, the terminal, stderr and stdout.
    pub fn system() -> Console {
        Console {
            devices: Devices::system(),
            keys: None,
            screen: None,
            out: Box::new(std::io::stdout()),
        }
    }
}

/// Runs `kmdiag sweep`.
pub fn run(args: SweepArgs) -> Result<Outcome> {
    run_with(args, Console::system())
}

/// Runs `kmdiag sweep` on `console`'s devices, keys and outputs.
pub fn run_with(args: SweepArgs, mut console: Console) -> Result<Outcome> {
    // Validate everything before the port opens.
    let model = check_before_port(&args)?;
    let (profile, layout) = super::load_layout(&args.entrance)?;
    let plan = sweep_plan(&args, &layout, model.is_none());
    let (existing, missing) = take_stock(&args, &layout, &plan)?;
    let stop = stop_on_ctrl_c();
    let mut rec = recorder(&args, &layout, model, &existing);
    let run = Run {
        args: &args,
        plan: &plan,
        missing: &missing,
        stop: &stop,
        timeout: Duration::from_secs_f64(args.timeout),
    };
    let meter = match measure(&run, model, &layout, &mut console, &mut rec)? {
        Ended::Done(meter) => meter,
        Ended::Stopped(why) => return Ok(stopped(why, &args, &rec, &plan)),
    };
    let (sweep, mut header) = read_finished(&args.output, &layout)?;
    header.meter = Some(meter);
    super::diagnose::present_to(
        console.out.as_mut(),
        super::diagnose::Presented {
            profile: &profile,
            layout,
            sweep,
            source: args.output.display().to_string(),
            header: &header,
            format: args.format,
            partial: false,
        },
    )
}

/// Takes the arguments; checks the numbers, the port's address and the meter, noting
/// line settings a network bridge ignores. Gives the guided meter's model, `None` for the
/// scanning adapter.
fn check_before_port(args: &SweepArgs) -> Result<Option<&'static MeterModel>> {
    check_numbers(args)?;
    let endpoint = Endpoint::parse(&args.port)?;
    let line_flags: Vec<&str> = [("--dtr", args.dtr.is_some()), ("--rts", args.rts.is_some())]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect();
    if let Some(note) = transport::ignored_settings_note(&endpoint, &line_flags) {
        log::info!("{note}");
    }
    if args.meter.eq_ignore_ascii_case("adapter") {
        Ok(None)
    } else {
        Ok(Some(guided_meter_check(&args.meter)?))
    }
}

/// Takes the arguments and the layout; gives every point of the sweep in order: the
/// adapter's scan order, or the guided order over every crossing or the lines in use.
fn sweep_plan(args: &SweepArgs, layout: &Layout, is_adapter: bool) -> Vec<Point> {
    let (tens, units) = (layout.tens(), layout.units());
    if is_adapter {
        adapter::frame::sweep_order(tens, units, true)
    } else if args.all_crossings {
        guided::guided_order(tens, units, args.bus, |_| true)
    } else {
        guided::guided_order(tens, units, args.bus, guided::lines_in_use(layout))
    }
}

/// Takes the arguments, the layout and the plan; reads what the output file already
/// holds (dropping a row cut short at its end) and gives it with the points still to
/// measure, saying how much a resumed file holds.
fn take_stock(
    args: &SweepArgs,
    layout: &Layout,
    plan: &[Point],
) -> Result<(record::Existing, Vec<Point>)> {
    let existing = record::inspect(&args.output, layout, args.resume, args.force)?;
    if let Some((keep, tail)) = &existing.cut {
        log::warn!("{}", say::cut_row_dropped(&args.output, tail));
        record::cut_short_row(&args.output, *keep)?;
    }
    let missing: Vec<Point> = plan
        .iter()
        .copied()
        .filter(|p| !existing.done.contains(p))
        .collect();
    let have_before = record::count_done(plan, &existing.done);
    if args.resume && !missing.is_empty() && have_before > 0 {
        log::info!(
            "{}",
            say::resume_holds(&args.output, have_before, plan.len())
        );
    }
    Ok((existing, missing))
}

/// Gives the flag Ctrl-C sets.
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // Only one handler per process; a second `sweep` in one process keeps the first.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    stop
}

/// Takes the arguments, the layout, the meter and what the file holds; gives the
/// recorder that appends to it, with the header a new file starts with (forced to disk
/// row by row for a guided sweep).
fn recorder(
    args: &SweepArgs,
    layout: &Layout,
    model: Option<&'static MeterModel>,
    existing: &record::Existing,
) -> Recorder {
    let origin = super::SweepOrigin {
        measured_at: super::measured_now(),
        meter: match model {
            Some(m) => m.display.to_string(),
            None => "scanning adapter".to_string(),
        },
        source: args.port.clone(),
        notes: args.notes.clone(),
    };
    let header = super::new_sweep_header(&args.entrance, layout, &args.output, origin);
    Recorder::new(
        &args.output,
        layout.labels.clone(),
        existing,
        model.is_some(),
    )
    .with_header(header)
}

/// Takes the run and its meter (`None`: the adapter); measures the missing points, or
/// nothing when the file is already complete. Gives how it ended.
fn measure(
    run: &Run<'_>,
    model: Option<&'static MeterModel>,
    layout: &Layout,
    console: &mut Console,
    rec: &mut Recorder,
) -> Result<Ended> {
    let args = run.args;
    if run.missing.is_empty() {
        log::info!("{}", say::already_complete(&args.output, run.plan.len()));
        Ok(Ended::Done(args.meter.clone()))
    } else if let Some(model) = model {
        if !args.all_crossings {
            say_lines_left_out(layout);
        }
        run_handheld(run, model, layout, console, rec)
    } else {
        run_adapter(run, rec)
    }
}

/// Takes why a sweep stopped early; says so with how much the file keeps and gives the
/// outcome (Ctrl-C or stopped by the technician).
fn stopped(why: say::Why, args: &SweepArgs, rec: &Recorder, plan: &[Point]) -> Outcome {
    eprintln!(
        "{}",
        msg!(
            "kmdiag-line",
            text = say::stopped(why, &args.output, rec.count_in(plan), plan.len())
        )
    );
    match why {
        say::Why::Interrupted => Outcome::Interrupted,
        _ => Outcome::Stopped,
    }
}

/// The numeric options are in range.
fn check_numbers(args: &SweepArgs) -> Result<()> {
    if args.stable_count == 0 || args.stable_count > 100 {
        bail!(msg!("sweep-stable-count-range", value = args.stable_count));
    }
    if !(args.tolerance.is_finite() && (0.0..=50.0).contains(&args.tolerance)) {
        bail!(msg!(
            "sweep-tolerance-range",
            value = args.tolerance.to_string()
        ));
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        bail!(msg!(
            "sweep-timeout-range",
            value = args.timeout.to_string()
        ));
    }
    Ok(())
}

/// Says which lines the guided sweep leaves out for carrying no apartment.
fn say_lines_left_out(layout: &Layout) {
    let keep = guided::lines_in_use(layout);
    let labels: Vec<crate::i18n::Arg> = (0..layout.tens())
        .map(Terminal::tens)
        .chain((0..layout.units()).map(Terminal::units))
        .filter(|t| !keep(*t))
        .map(|t| layout.labels.line_arg(t))
        .collect();
    if !labels.is_empty() {
        log::info!("{}", say::lines_left_out(&labels));
    }
}

/// What one live run works with.
struct Run<'a> {
    args: &'a SweepArgs,
    /// Every point of the sweep, in order.
    plan: &'a [Point],
    /// The points still to measure.
    missing: &'a [Point],
    /// Set by Ctrl-C.
    stop: &'a AtomicBool,
    /// How long the device may stay silent.
    timeout: Duration,
}

impl Run<'_> {
    /// A device failure, with what the file keeps.
    fn failure(&self, e: AcquireError, rec: &Recorder) -> anyhow::Error {
        device_failure(
            e,
            &self.args.output,
            rec.count_in(self.plan),
            self.plan.len(),
        )
    }
}

/// How a live run ended when the device did not fail.
enum Ended {
    /// Every point measured (or skipped): diagnose. The device's description.
    Done(String),
    /// Stopped early; the file keeps what was measured.
    Stopped(say::Why),
}

/// Reads the finished sweep back, with its header.
fn read_finished(
    path: &Path,
    layout: &Layout,
) -> Result<(crate::model::Sweep, crate::sweep::SweepHeader)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| msg!("file-cannot-read-back", path = path))?;
    let (header, _) = crate::sweep::parse_header(&text, path)?;
    let (sweep, _) = crate::sweep::parse_sweep(&text, path, &layout.labels)?;
    Ok((sweep, header))
}

/// The meter model named by `--meter`, or an error listing the known ones.
fn guided_meter_check(model: &str) -> Result<&'static MeterModel> {
    find_model(model).ok_or_else(|| {
        anyhow!(msg!(
            "error-unknown-meter",
            model = crate::input::clip(model),
            hint = crate::acquire::meter::models::did_you_mean(model, &["adapter"]),
            known = crate::acquire::meter::models::model_names()
        ))
    })
}

/// Opens a meter's port with its settings (DTR/RTS overridable) and wraps it as a source.
fn open_meter(
    args: &SweepArgs,
    model: &'static MeterModel,
    timeout: Duration,
    devices: &Devices,
) -> Result<Box<dyn Source + Send>, AcquireError> {
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
                    problem: msg!("meter-no-decoder", model = model.display),
                });
            }
        },
    })
}

/// The guided handheld sweep.
fn run_handheld(
    run: &Run<'_>,
    model: &'static MeterModel,
    layout: &Layout,
    console: &mut Console,
    rec: &mut Recorder,
) -> Result<Ended> {
    let args = run.args;
    let mut source =
        open_meter(args, model, run.timeout, &console.devices).map_err(|e| run.failure(e, rec))?;
    // A streaming source names the device its port turned out to be (`hid` → which cable).
    let port_name = match model.chip {
        Chip::Scpi(_) => args.port.clone(),
        _ => source
            .describe()
            .strip_prefix(&format!("{} on ", model.display))
            .map_or_else(|| args.port.clone(), str::to_string),
    };
    eprintln!(
        "kmdiag: {}",
        say::guided_start(model.display, &port_name, run.missing.len())
    );
    let mut settings = CaptureSettings::new(args.stable_count, args.tolerance);
    if args.auto_open {
        settings = settings.with_auto_open();
    }
    let end = guided::run(
        guided::Guided {
            source_name: source.describe(),
            source: source.as_mut(),
            points: run.missing,
            layout,
            settings,
            interval: model.interval,
            timeout: run.timeout,
            stop: run.stop,
            keys: match console.keys.take() {
                Some(rx) => keys::Keys::from_channel(rx),
                None => keys::Keys::open(),
            },
            screen: console.screen.take(),
        },
        rec,
    )?;
    match end {
        guided::GuidedEnd::Ended(End::Complete { skipped }) => {
            if skipped > 0 {
                log::warn!("{}", say::skipped_points(skipped));
            }
            Ok(Ended::Done(format!("{} on {port_name}", model.display)))
        }
        guided::GuidedEnd::Ended(End::Stopped) => Ok(Ended::Stopped(say::Why::Stopped)),
        guided::GuidedEnd::Ended(End::Interrupted) => Ok(Ended::Stopped(say::Why::Interrupted)),
        guided::GuidedEnd::Failed(e) => Err(run.failure(e, rec)),
    }
}

/// The adapter sweep with a progress bar.
fn run_adapter(run: &Run<'_>, rec: &mut Recorder) -> Result<Ended> {
    let args = run.args;
    let port = open_adapter_port(args).map_err(|e| run.failure(e, rec))?;
    let mut src =
        AdapterSource::connect(port, &args.port, run.timeout).map_err(|e| run.failure(e, rec))?;
    let plan = if run.missing.len() == run.plan.len() {
        let (tens, units) = shape(run.missing);
        Plan::Full {
            tens,
            units,
            bus: true,
        }
    } else {
        Plan::Points(run.missing.to_vec())
    };
    src.start(plan).map_err(|e| run.failure(e, rec))?;
    let bar = if std::io::stderr().is_terminal() && log::log_enabled!(log::Level::Info) {
        indicatif::ProgressBar::new(run.missing.len() as u64)
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
        if run.stop.load(Ordering::SeqCst) {
            bar.finish_and_clear();
            return Ok(Ended::Stopped(say::Why::Interrupted));
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
            Err(AcquireError::Silent { .. }) if last_rx.elapsed() < run.timeout => {}
            Err(AcquireError::Silent {
                source_name, hint, ..
            }) => {
                bar.finish_and_clear();
                let e = AcquireError::Silent {
                    source_name,
                    waited: last_rx.elapsed(),
                    hint,
                };
                return Err(run.failure(e, rec));
            }
            Err(e) => {
                bar.finish_and_clear();
                return Err(run.failure(e, rec));
            }
        }
    }
    bar.finish_and_clear();
    if src.noise_lines() > 0 {
        log::info!("note: {}", say::adapter_noise(src.noise_lines()));
    }
    Ok(Ended::Done(src.describe()))
}

/// Tens and units covered by a full sweep's pairs.
fn shape(pairs: &[Point]) -> (u16, u16) {
    let max = |kind| {
        pairs
            .iter()
            .flat_map(|(p, m)| [p, m])
            .filter(|t| t.kind == kind)
            .map(|t| t.index + 1)
            .max()
            .unwrap_or(0)
    };
    (max(LineKind::Tens), max(LineKind::Units))
}
