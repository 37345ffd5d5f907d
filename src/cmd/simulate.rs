//! `kmdiag simulate`: write a simulated sweep (and what was really wrong), or serve a
//! simulated meter/adapter on a pty. Everything is checked before anything is solved or
//! written; the physics lives in `crate::sim`.

use crate::cli::EntranceArgs;
use crate::exit::Outcome;
use crate::msg;
use crate::profile::Layout;
use crate::sim::{
    FaultSpec, MeterFamily, MeterSpec, MixedHandsets, Physics, Probe, Scenario, SimEntrance, Truth,
    parse_fault,
};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Arguments of `kmdiag simulate`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Switch, offset and apartments
    #[command(flatten)]
    pub entrance: EntranceArgs,
    /// Fraction of the wired flats that have a handset (0-1)
    #[arg(long, value_name = "FRACTION", default_value = "0.9", value_parser = parse_fraction)]
    pub occupancy: f64,
    /// Inject a fault (repeatable): APARTMENT:short|reversed|leak|high_resistance|absent,
    /// APARTMENT:healthy (a handset there whatever the occupancy), LINE:open (e.g. D7:open)
    /// or LINE-LINE:short (e.g. D3-D4:short)
    #[arg(long = "fault", value_name = "SPEC")]
    pub faults: Vec<String>,
    /// Test current of the meter's first resistance range, e.g. 1mA, 0.8mA, 800uA
    #[arg(long, value_name = "CURRENT", default_value = "1mA", value_parser = parse_current)]
    pub meter_current: f64,
    /// Compliance (open-circuit) voltage of the meter, e.g. 2.8V, 1500mV (the range limit of
    /// a constant-current meter)
    #[arg(long, value_name = "VOLTS", default_value = "2.8V", value_parser = parse_voltage)]
    pub meter_compliance: f64,
    /// How the meter picks its range: constant-current (drops to a tenth of the current past
    /// its compliance voltage) or ranged (drops to a tenth of the current, and of the
    /// resolution, past the full scale of its display)
    #[arg(long, value_enum, value_name = "FAMILY", default_value_t = FamilyArg::ConstantCurrent)]
    pub meter_family: FamilyArg,
    /// Display counts of the meter, e.g. 2000, 4000, 6000 or 22000 (a ranged meter's first
    /// range then reads up to 2.000, 4.000, 6.000 or 2.2000 kΩ)
    #[arg(long, value_name = "N", default_value_t = 6000)]
    pub meter_counts: u32,
    /// Physical effects: field (every effect of real entrances: 1-12 Ω of wire per line, a
    /// second handset model in a third of entrances, 0.05-1.2 % meter noise, up to 1 Ω probe
    /// contact) or lab (none of them: ideal wires and probes, one handset model, 0.1 % noise).
    /// The options below change one effect of the preset
    #[arg(long, value_enum, value_name = "PRESET", default_value_t = PhysicsArg::Field)]
    pub physics: PhysicsArg,
    /// Each line's wire (1-12 Ω) between its switch terminal and its flats
    #[arg(long, value_enum, value_name = "on|off")]
    pub wiring: Option<Switch>,
    /// A second handset model (+100-350 Ω, another diode) in 10-40 % of the flats: on, off, or
    /// field (in a third of entrances, chosen by the seed)
    #[arg(long, value_enum, value_name = "on|off|field")]
    pub mixed_handsets: Option<MixedArg>,
    /// Relative noise of each reading: a percentage (0.1%), or field (0.05-1.2 %, drawn by
    /// the seed)
    #[arg(long, value_name = "PERCENT|field", value_parser = parse_noise)]
    pub noise: Option<NoiseArg>,
    /// Largest probe contact resistance of a reading, in ohms (each reading draws 0 to this)
    #[arg(long, value_name = "OHMS", value_parser = parse_contact)]
    pub contact_ohms: Option<f64>,
    /// Measure only the D×E crossings, not the D–D and E–E pairs
    #[arg(long)]
    pub no_bus_checks: bool,
    /// Seed of every random choice: the same seed gives the same entrance and readings
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Sweep file to write (CSV plus,minus,ohms); `-` writes it to stdout
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        required_unless_present = "serve"
    )]
    pub output: Option<PathBuf>,
    /// Also write what was really injected, as JSON
    #[arg(long, value_name = "FILE")]
    pub truth: Option<PathBuf>,
    /// Overwrite existing output files
    #[arg(long)]
    pub force: bool,
    /// A note for the sweep file's header (repeatable)
    #[arg(long = "note", value_name = "TEXT")]
    pub notes: Vec<String>,
    /// The time written in the sweep file's header, e.g. 2026-03-02T10:15:00+03:00
    /// (default: now), so a training sweep can carry the date of its story
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub measured_at: Option<String>,
    /// Serve a simulated device instead of writing a sweep
    #[command(flatten)]
    pub serve: crate::sim::serve::ServeArgs,
}

/// `--meter-family`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FamilyArg {
    /// A current source with a compliance voltage.
    ConstantCurrent,
    /// A handheld that ranges by its display counts.
    Ranged,
}

/// `--physics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PhysicsArg {
    /// Every effect of real entrances and meters (issue 12).
    Field,
    /// None of them: the simulator of a bench.
    Lab,
}

/// `--wiring`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// `--mixed-handsets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MixedArg {
    /// Every entrance has the second model.
    On,
    /// One model only.
    Off,
    /// A third of entrances, by the seed.
    Field,
}

/// `--noise`: a fixed relative noise, or the field's range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoiseArg {
    /// This relative noise (a fraction).
    Fixed(f64),
    /// Drawn from the field's 0.05-1.2 % by the seed.
    Field,
}

/// Parses `--noise`: `field`, or a percentage such as `0.3%` (the `%` may be left out).
fn parse_noise(text: &str) -> Result<NoiseArg, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("field") {
        return Ok(NoiseArg::Field);
    }
    match t.trim_end_matches('%').trim().parse::<f64>() {
        Ok(p) if (0.0..50.0).contains(&p) => Ok(NoiseArg::Fixed(p / 100.0)),
        _ => Err(format!(
            "'{text}' is not a noise level; write a percentage from 0 to 50, like 0.3%, or field"
        )),
    }
}

/// Parses `--contact-ohms`: 0 to 10 Ω.
fn parse_contact(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..=10.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "'{text}' is not a contact resistance; expected ohms from 0 to 10, like 1"
        )),
    }
}

/// The physics the options ask for: the preset, then each effect given on its own.
pub fn physics(args: &SimulateArgs) -> (Physics, Option<f64>) {
    let mut physics = match args.physics {
        PhysicsArg::Field => Physics::field(),
        PhysicsArg::Lab => Physics::lab(),
    };
    if let Some(w) = args.wiring {
        physics.wiring = w == Switch::On;
    }
    if let Some(m) = args.mixed_handsets {
        physics.mixed_handsets = match m {
            MixedArg::On => MixedHandsets::On,
            MixedArg::Off => MixedHandsets::Off,
            MixedArg::Field => MixedHandsets::Field,
        };
    }
    let mut noise = None;
    match args.noise {
        Some(NoiseArg::Field) => physics.field_noise = true,
        Some(NoiseArg::Fixed(n)) => {
            physics.field_noise = false;
            noise = Some(n);
        }
        None => {}
    }
    if let Some(c) = args.contact_ohms {
        physics.contact_ohms = c;
    }
    (physics, noise)
}

/// Parses a fraction 0–1 (`--occupancy`).
fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "'{text}' is not a fraction; expected a number from 0 to 1, like 0.9"
        )),
    }
}

/// A number with at most three decimals and no trailing zeros: 0.8, 1, 2.8.
fn short_number(v: f64) -> String {
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Checks `--measured-at`: RFC 3339 with its offset.
fn parse_time(text: &str) -> Result<String, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|_| text.trim().to_string())
        .map_err(|_| {
            format!(
                "'{text}' is not a time with its offset; write it like 2026-03-02T10:15:00+03:00"
            )
        })
}

/// Splits `800uA` into 800 and `ua` (lowercased, µ as u).
fn number_and_unit(text: &str) -> Option<(f64, String)> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-' || c == 'e'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value = num.parse::<f64>().ok().filter(|v| v.is_finite())?;
    let unit = unit.trim().to_lowercase().replace(['µ', 'μ'], "u");
    Some((value, unit))
}

/// Parses a test current with its unit: `1mA`, `0.8mA`, `800uA`, `800µA`, `0.001A`.
pub fn parse_current(text: &str) -> Result<f64, String> {
    let err =
        || format!("'{text}' is not a current; write it with a unit, like 1mA, 0.8mA or 800uA");
    let (v, unit) = number_and_unit(text).ok_or_else(err)?;
    let amps = match unit.as_str() {
        "a" => v,
        "ma" => v * 1e-3,
        "ua" => v * 1e-6,
        "na" => v * 1e-9,
        _ => return Err(err()),
    };
    if amps <= 0.0 {
        return Err(format!(
            "'{text}' is not a test current; it must be above zero"
        ));
    }
    Ok(amps)
}

/// Parses a voltage with its unit: `2.8V`, `1500mV`.
pub fn parse_voltage(text: &str) -> Result<f64, String> {
    let err = || format!("'{text}' is not a voltage; write it with a unit, like 2.8V or 1500mV");
    let (v, unit) = number_and_unit(text).ok_or_else(err)?;
    let volts = match unit.as_str() {
        "v" => v,
        "mv" => v * 1e-3,
        _ => return Err(err()),
    };
    if volts <= 0.0 {
        return Err(format!(
            "'{text}' is not a compliance voltage; it must be above zero"
        ));
    }
    Ok(volts)
}

/// Runs `kmdiag simulate`.
pub fn run(args: SimulateArgs) -> Result<Outcome> {
    let (_, layout) = super::load_layout(&args.entrance)?;
    let faults = args
        .faults
        .iter()
        .map(|f| parse_fault(f, &layout.labels))
        .collect::<Result<Vec<_>, _>>()?;
    let serving = args.serve.serve.is_some();
    let to_stdout = args.output.as_deref().is_some_and(|p| p.as_os_str() == "-");
    refuse_overwrite(&args, to_stdout || serving)?;
    let scenario = scenario(&args, faults, layout.clone());
    let mut entrance = SimEntrance::new(&scenario).context(msg!("simulate-cannot"))?;
    let truth = entrance.truth().clone();
    if let Some(path) = &args.truth {
        write_truth(path, &truth, args.force)?;
    }
    if serving {
        return crate::sim::serve::run(&args.serve, Box::new(entrance));
    }
    let sweep = entrance.sweep(!args.no_bus_checks);
    let Some(path) = &args.output else {
        bail!(msg!("simulate-no-output"));
    };
    let header = super::new_sweep_header(&args.entrance, &layout, path, origin(&args));
    let csv = crate::sweep::to_csv_with_header(&header, &sweep, entrance.labels());
    if to_stdout {
        super::emit(&csv)?;
    } else {
        crate::output::write_atomic(path, csv.as_bytes(), args.force)?;
    }
    log::info!(
        "{}",
        summary(&truth, sweep.len(), (!to_stdout).then_some(path))
    );
    Ok(Outcome::Healthy)
}

/// Refuses, before any work, to overwrite the sweep file (unless it goes to stdout or the
/// entrance is served, `no_sweep_file`) or the truth file, without `--force`.
fn refuse_overwrite(args: &SimulateArgs, no_sweep_file: bool) -> Result<()> {
    if args.force {
        return Ok(());
    }
    let sweep_file = args.output.iter().filter(|_| !no_sweep_file);
    for path in sweep_file.chain(&args.truth) {
        if path.exists() {
            bail!(msg!("output-exists", path = path));
        }
    }
    Ok(())
}

/// The entrance to simulate: the layout, the faults, the meter and the physics the flags ask
/// for, the lab meter's settings for the rest.
fn scenario(args: &SimulateArgs, faults: Vec<FaultSpec>, layout: Layout) -> Scenario {
    let (physics, noise) = physics(args);
    let lab_meter = MeterSpec::default();
    Scenario {
        occupancy: args.occupancy,
        faults,
        meter: MeterSpec {
            family: match args.meter_family {
                FamilyArg::ConstantCurrent => MeterFamily::ConstantCurrent,
                FamilyArg::Ranged => MeterFamily::Ranged,
            },
            test_current_amps: args.meter_current,
            compliance_volts: args.meter_compliance,
            counts: args.meter_counts,
            noise: noise.unwrap_or(lab_meter.noise),
            ..lab_meter
        },
        physics,
        seed: args.seed,
        ..Scenario::new(layout)
    }
}

/// Writes what was injected (`--truth`) as pretty JSON, atomically.
fn write_truth(path: &Path, truth: &Truth, force: bool) -> Result<()> {
    let mut json =
        serde_json::to_string_pretty(truth).context("cannot encode the truth as JSON")?;
    json.push('\n');
    crate::output::write_atomic(path, json.as_bytes(), force)
}

/// Where the simulated sweep says it comes from: when, the simulated meter, the seed, notes.
fn origin(args: &SimulateArgs) -> super::SweepOrigin {
    super::SweepOrigin {
        measured_at: args.measured_at.clone().unwrap_or_else(super::measured_now),
        meter: format!(
            "simulated ohmmeter, {} mA test current, {} V compliance",
            short_number(args.meter_current * 1e3),
            short_number(args.meter_compliance)
        ),
        source: format!("kmdiag simulate, seed {}", args.seed),
        notes: args.notes.clone(),
    }
}

/// The line the log gets: what was simulated (profile, switch, matrix, physics, handsets,
/// flats without one, faults), how many measurements, and the file written (`written`; None
/// for stdout).
fn summary(truth: &Truth, measurements: usize, written: Option<&Path>) -> String {
    let physics_name = if truth.physics == Physics::field() {
        msg!("physics-field")
    } else if truth.physics.is_lab() {
        msg!("physics-lab")
    } else {
        msg!("physics-mixed")
    };
    msg!(
        "simulate-summary",
        profile = &truth.profile,
        switch = &truth.switch,
        matrix = truth.matrix,
        physics = physics_name,
        handsets = truth.handsets,
        without = truth.absent.len(),
        faults = truth.findings.len(),
        measurements = measurements,
        written = match written {
            None => msg!("nothing"),
            Some(path) => msg!("simulate-written-to", path = path),
        }
    )
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currents_and_voltages_need_their_units() {
        assert_eq!(parse_current("1mA"), Ok(1e-3));
        assert!((parse_current("0.8mA").unwrap() - 0.8e-3).abs() < 1e-15);
        assert!((parse_current("800uA").unwrap() - 800e-6).abs() < 1e-15);
        assert!((parse_current("800µA").unwrap() - 800e-6).abs() < 1e-15);
        assert_eq!(parse_voltage("2.8V"), Ok(2.8));
        assert!((parse_voltage("1500mV").unwrap() - 1.5).abs() < 1e-12);
        for bad in ["1", "mA", "1mV", "-1mA", "0mA", "1 kA"] {
            let e = parse_current(bad).unwrap_err();
            assert!(e.contains(&format!("'{bad}'")), "{e}");
        }
        for bad in ["2.8", "2.8A", "V", "0V"] {
            assert!(parse_voltage(bad).is_err(), "{bad}");
        }
        assert!(parse_fraction("1.5").is_err());
        assert_eq!(parse_fraction("0.75"), Ok(0.75));
        assert_eq!(parse_noise("field"), Ok(NoiseArg::Field));
        assert_eq!(parse_noise("0.5%"), Ok(NoiseArg::Fixed(0.005)));
        assert_eq!(parse_noise("2"), Ok(NoiseArg::Fixed(0.02)));
        for bad in ["-1%", "loud", "60%"] {
            assert!(parse_noise(bad).unwrap_err().contains(bad), "{bad}");
        }
        assert_eq!(parse_contact("1"), Ok(1.0));
        assert!(parse_contact("11").is_err());
    }
}
