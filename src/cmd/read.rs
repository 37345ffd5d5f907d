//! `kmdiag read`: a remote display of a meter (one line, or one JSON object, per reading), or
//! the decode of a recorded byte stream (`--from-file`).
//!
//! The edge: validates arguments before touching the port, opens it through `acquire::link`,
//! prints readings to stdout and notes to stderr. Decoding and mode checks live in
//! `acquire::meter`; nothing here interprets bytes.

use crate::acquire::link::{self, LinkSettings, MeterOptions};
use crate::acquire::meter::models::model_names;
use crate::acquire::meter::{
    Chip, MeterModel, MeterReading, ModeProblem, Unit, check_resistance_mode,
};
use crate::acquire::transport::{self, Devices, Endpoint};
use crate::acquire::{AcquireError, EndOfData, MeterSource, Source};
use crate::exit::{DeviceError, Outcome};
use crate::msg;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// Output format of `kmdiag read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReadFormat {
    /// One remote-display line per reading.
    Table,
    /// One JSON object per line: value (base units, null for OL), unit, mode, overload, flags.
    Json,
}

/// Arguments of `kmdiag read`.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// Serial port of the meter, e.g. /dev/ttyUSB0 or COM3 ('kmdiag ports' lists them); hid
    /// or hid:VID:PID[:SERIAL] for a USB-HID meter or cable (UT61E+, UT-D04, UT-D09,
    /// Victor); or tcp://HOST:PORT for a network serial bridge
    #[arg(
        long,
        value_name = "PORT",
        env = "KMDIAG_PORT",
        required_unless_present = "from_file"
    )]
    pub port: Option<String>,
    /// Meter model, e.g. ut61e, ut61e+, ut61d, vc820, vc940, idm103n, owon-xdm1041, scpi
    #[arg(long, value_name = "MODEL", env = "KMDIAG_METER")]
    pub meter: String,
    /// Drive DTR on or off after opening (default: what the meter's cable needs)
    #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
    pub dtr: Option<bool>,
    /// Drive RTS on or off after opening (default: what the meter's cable needs)
    #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
    pub rts: Option<bool>,
    /// Baud rate, overriding the model's (SCPI meters with a configurable interface)
    #[arg(long, value_name = "N")]
    pub baud: Option<u32>,
    /// Stop after N readings
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Save the raw bytes from the port to FILE (for a bug report, or --from-file later)
    #[arg(long, value_name = "FILE", conflicts_with = "from_file")]
    pub record: Option<PathBuf>,
    /// Overwrite the --record file if it exists
    #[arg(long)]
    pub force: bool,
    /// Decode a recorded byte stream instead of reading a port
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    /// SCPI meters: measure 4-wire resistance (FRES) instead of 2-wire
    #[arg(long)]
    pub four_wire: bool,
    /// Seconds without a valid reading before giving up
    #[arg(long, value_name = "SECS", default_value_t = 3.0)]
    pub timeout: f64,
    /// Output format
    #[arg(long, value_enum, default_value_t = ReadFormat::Table)]
    pub format: ReadFormat,
}

fn parse_on_off(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "on" | "1" | "true" | "high" => Ok(true),
        "off" | "0" | "false" | "low" => Ok(false),
        _ => Err(format!("'{s}' is not on or off")),
    }
}

/// Runs `kmdiag read`.
pub fn run(args: ReadArgs) -> Result<Outcome> {
    run_with(args, &Devices::system(), &mut std::io::stdout())
}

/// Runs `kmdiag read` with USB-HID devices found on `devices` and the readings written to
/// `out` (the program: this computer's devices and stdout; tests: simulated ones).
pub fn run_with(args: ReadArgs, devices: &Devices, out: &mut dyn Write) -> Result<Outcome> {
    // Validate everything before a port is opened.
    let (model, timeout) = check_args(&args)?;
    let mut display = Display::new(args.format, out);
    if let Some(path) = &args.from_file {
        let mut source = open_recording(path, model)?;
        // A recording is bad input, not a device failure: exit 2 on errors.
        return pump(&mut source, args.count, timeout, &mut display, |e| {
            anyhow!(e)
        });
    }
    let mut source = open_live(&args, model, timeout, devices)?;
    pump(source.as_mut(), args.count, timeout, &mut display, device)
}

/// The meter model and reply timeout `read` was asked for, refusing any combination of
/// options that cannot work before a port is opened or a file written.
fn check_args(args: &ReadArgs) -> Result<(&'static MeterModel, Duration)> {
    let model = crate::acquire::meter::find_model(&args.meter).ok_or_else(|| {
        anyhow!(msg!(
            "read-unknown-meter",
            model = crate::input::clip(&args.meter),
            hint = crate::acquire::meter::models::did_you_mean(&args.meter, &[]),
            known = model_names()
        ))
    })?;
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        bail!(msg!("read-timeout-range", value = args.timeout.to_string()));
    }
    let is_scpi = matches!(model.chip, Chip::Scpi(_));
    if is_scpi && args.from_file.is_some() {
        bail!(msg!("read-from-file-scpi", model = model.name));
    }
    if is_scpi && args.record.is_some() {
        bail!(msg!("read-record-scpi", model = model.name));
    }
    if args.four_wire && !is_scpi {
        bail!(msg!("read-four-wire", model = model.display));
    }
    if let Some(rec) = &args.record
        && rec.exists()
        && !args.force
    {
        bail!(msg!("output-exists", path = rec));
    }
    if let Some(rec) = &args.record
        && let Some(dir) = rec.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        bail!(msg!("read-record-no-folder", path = rec, folder = dir));
    }
    if let Some(path) = &args.from_file
        && !path.is_file()
    {
        bail!(msg!("read-not-a-recording", path = path));
    }
    Ok((model, Duration::from_secs_f64(args.timeout)))
}

/// A recorded byte stream of `model`, decoded as the meter would send it.
fn open_recording(
    path: &std::path::Path,
    model: &'static MeterModel,
) -> Result<MeterSource<std::io::BufReader<std::fs::File>>> {
    let file = std::fs::File::open(path).with_context(|| msg!("file-cannot-read", path = path))?;
    let name = path.display().to_string();
    MeterSource::for_model(
        std::io::BufReader::new(file),
        model,
        &name,
        EndOfData::Finished,
    )
    .ok_or_else(|| anyhow!(msg!("meter-no-decoder", model = model.name)))
}

/// The meter on `--port`, opened with its link settings (and recording its bytes if asked);
/// says on the log what it opened and how.
fn open_live(
    args: &ReadArgs,
    model: &'static MeterModel,
    timeout: Duration,
    devices: &Devices,
) -> Result<Box<dyn Source>> {
    let port = args.port.as_deref().unwrap_or_default();
    let endpoint = Endpoint::parse(port)?;
    let line_flags: Vec<&str> = [
        ("--baud", args.baud.is_some()),
        ("--dtr", args.dtr.is_some()),
        ("--rts", args.rts.is_some()),
    ]
    .into_iter()
    .filter_map(|(flag, given)| given.then_some(flag))
    .collect();
    if let Some(note) = transport::ignored_settings_note(&endpoint, &line_flags) {
        log::info!("{note}");
    }
    let settings = LinkSettings::for_model(model, args.dtr, args.rts, args.baud);
    let record: Option<Box<dyn Write + Send>> = match &args.record {
        Some(rec) => Some(Box::new(
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .create_new(!args.force)
                .open(rec)
                .with_context(|| msg!("read-cannot-create-recording", path = rec))?,
        )),
        None => None,
    };
    let options = MeterOptions {
        link: settings,
        four_wire: args.four_wire,
        reply_timeout: timeout,
        record,
        devices: devices.clone(),
    };
    let source = match link::open_meter(model, port, options) {
        Ok(s) => s,
        Err(e) => {
            // Nothing was recorded: do not leave an empty file behind.
            if let Some(rec) = &args.record {
                let _ = std::fs::remove_file(rec);
            }
            return Err(device(e));
        }
    };
    announce(&endpoint, source.describe(), settings);
    Ok(source)
}

/// Logs what `read` opened, with the link settings that apply to it: a serial line's framing
/// and control lines, a HID bridge's baud rate, or the bridge alone.
fn announce(endpoint: &Endpoint, source: String, settings: LinkSettings) {
    let serial = settings.serial.to_string();
    let text = if endpoint.has_line_settings() {
        msg!(
            "read-start-serial",
            source = source,
            settings = serial,
            dtr = on_off(settings.dtr),
            rts = on_off(settings.rts)
        )
    } else if endpoint.sets_baud() {
        msg!("read-start-hid", source = source, settings = serial)
    } else {
        msg!("read-start-bridge", source = source, settings = serial)
    };
    log::info!("{text}");
}

fn on_off(b: bool) -> &'static str {
    crate::acquire::meter::models::on_off(b)
}

fn device(e: impl Into<anyhow::Error>) -> anyhow::Error {
    DeviceError(e.into()).into()
}

/// Reads samples until `count`, the end of a recording, or an error; prints each one.
fn pump(
    source: &mut dyn Source,
    count: Option<u64>,
    timeout: Duration,
    display: &mut Display<'_>,
    wrap: impl Fn(AcquireError) -> anyhow::Error,
) -> Result<Outcome> {
    let mut shown = 0u64;
    while count.is_none_or(|n| shown < n) {
        match source.next_sample(timeout) {
            Ok(Some(sample)) => {
                display.show(&sample.reading)?;
                shown += 1;
            }
            Ok(None) => break,
            Err(e) => return Err(wrap(e)),
        }
    }
    Ok(Outcome::Healthy)
}

/// Prints readings, and a note on stderr whenever the mode check's verdict changes.
struct Display<'a> {
    format: ReadFormat,
    last_problem: Option<Option<ModeProblemKind>>,
    out: &'a mut dyn Write,
}

/// The part of a `ModeProblem` that decides whether to say it again.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ModeProblemKind {
    Powered,
    Wrong(crate::acquire::meter::Mode),
}

impl<'a> Display<'a> {
    fn new(format: ReadFormat, out: &'a mut dyn Write) -> Self {
        Display {
            format,
            last_problem: None,
            out,
        }
    }

    fn show(&mut self, r: &MeterReading) -> Result<()> {
        let problem = check_resistance_mode(r).err();
        let kind = problem.as_ref().map(|p| match p {
            ModeProblem::Powered { .. } => ModeProblemKind::Powered,
            ModeProblem::WrongMode(m) => ModeProblemKind::Wrong(*m),
        });
        if self.last_problem != Some(kind) {
            match &problem {
                // A live line is a safety matter: said even under -q.
                Some(p @ ModeProblem::Powered { .. }) => eprintln!("kmdiag: warning: {p}"),
                Some(p @ ModeProblem::WrongMode(_)) => {
                    log::info!("{}", msg!("read-note", note = p.message()))
                }
                None => {}
            }
            self.last_problem = Some(kind);
        }
        let line = match self.format {
            ReadFormat::Json => {
                let mut doc = serde_json::Map::new();
                doc.insert(
                    "schema_version".into(),
                    crate::export::SCHEMA_VERSION.into(),
                );
                if let serde_json::Value::Object(m) = serde_json::to_value(r)? {
                    doc.extend(m);
                }
                serde_json::to_string(&doc)? + "\n"
            }
            ReadFormat::Table => display_line(r) + "\n",
        };
        // write_all, so a closed pipe is an error main recognises rather than a panic.
        self.out.write_all(line.as_bytes())?;
        self.out.flush()?;
        Ok(())
    }
}

/// One remote-display line: value with unit prefix, mode, flags.
pub fn display_line(r: &MeterReading) -> String {
    let value = format_value(r);
    let flags = r.flags.join(" ");
    format!("{value:>12}  {:<12} {flags}", r.mode.name())
        .trim_end()
        .to_string()
}

/// The value as a meter shows it: `70.51 Ω`, `6.79 MΩ`, `629 mV`, `OL`, `UL`.
pub fn format_value(r: &MeterReading) -> String {
    let symbol = match r.unit {
        Unit::Ohm => "Ω",
        Unit::Volt => "V",
        Unit::Ampere => "A",
        Unit::Farad => "F",
        Unit::Hertz => "Hz",
        Unit::Percent => "%",
        Unit::Celsius => "°C",
        Unit::Fahrenheit => "°F",
        Unit::None => "",
    };
    let v = match r.value {
        Some(v) if !r.overload => v,
        _ if r.overload => return format!("OL {symbol}").trim_end().to_string(),
        _ if r.flags.contains(&"UL") => return format!("UL {symbol}").trim_end().to_string(),
        _ => return format!("— {symbol}").trim_end().to_string(),
    };
    if matches!(r.unit, Unit::Percent | Unit::Celsius | Unit::Fahrenheit) || v == 0.0 {
        return format!("{} {symbol}", trim_number(v, 4))
            .trim_end()
            .to_string();
    }
    const PREFIXES: [(f64, &str); 8] = [
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
        (1e-3, "m"),
        (1e-6, "µ"),
        (1e-9, "n"),
        (1e-12, "p"),
    ];
    let (scale, prefix) = PREFIXES
        .iter()
        .copied()
        .find(|(s, _)| v.abs() >= *s * 0.999_999_5)
        .unwrap_or((1e-12, "p"));
    let scaled = v / scale;
    let int_digits = if scaled.abs() >= 100.0 {
        3
    } else if scaled.abs() >= 10.0 {
        2
    } else {
        1
    };
    format!("{} {prefix}{symbol}", trim_number(scaled, 6 - int_digits))
}

/// `v` with at most `decimals` decimals, trailing zeros removed.
fn trim_number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acquire::meter::Mode;

    fn r(v: Option<f64>, unit: Unit, mode: Mode) -> MeterReading {
        MeterReading {
            value: v,
            unit,
            mode,
            overload: v.is_none(),
            flags: vec!["AUTO"],
        }
    }

    #[test]
    fn values_get_meter_style_prefixes() {
        assert_eq!(
            format_value(&r(Some(70.51), Unit::Ohm, Mode::Resistance)),
            "70.51 Ω"
        );
        assert_eq!(
            format_value(&r(Some(6.79e6), Unit::Ohm, Mode::Resistance)),
            "6.79 MΩ"
        );
        assert_eq!(
            format_value(&r(Some(0.629), Unit::Volt, Mode::Diode)),
            "629 mV"
        );
        assert_eq!(
            format_value(&r(Some(7.6e-11), Unit::Farad, Mode::Capacitance)),
            "76 pF"
        );
        assert_eq!(format_value(&r(None, Unit::Ohm, Mode::Resistance)), "OL Ω");
        assert_eq!(
            format_value(&r(Some(-0.0511), Unit::Volt, Mode::VoltageDc)),
            "-51.1 mV"
        );
        assert_eq!(
            format_value(&r(Some(0.0), Unit::Ohm, Mode::Resistance)),
            "0 Ω"
        );
    }

    #[test]
    fn display_line_has_value_mode_and_flags() {
        let line = display_line(&r(Some(100.4), Unit::Ohm, Mode::Resistance));
        assert_eq!(line, "     100.4 Ω  resistance   AUTO");
    }
}
