//! `kmdiag simulate`: write a simulated sweep (and what was really wrong), or serve a
//! simulated meter/adapter on a pty. Everything is checked before anything is solved or
//! written; the physics lives in `crate::sim`.

use crate::cli::EntranceArgs;
use crate::exit::Outcome;
use crate::sim::{MeterSpec, Probe, Scenario, SimEntrance, parse_fault};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;

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
    /// Compliance (open-circuit) voltage of the meter, e.g. 2.8V, 1500mV
    #[arg(long, value_name = "VOLTS", default_value = "2.8V", value_parser = parse_voltage)]
    pub meter_compliance: f64,
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
    // Refuse to overwrite before doing any work.
    let to_stdout = args.output.as_deref().is_some_and(|p| p.as_os_str() == "-");
    if !args.force {
        for path in args
            .output
            .iter()
            .filter(|_| !to_stdout && !serving)
            .chain(&args.truth)
        {
            if path.exists() {
                bail!(
                    "{} already exists; pass --force to overwrite it, or choose another name",
                    path.display()
                );
            }
        }
    }
    let scenario = Scenario {
        occupancy: args.occupancy,
        faults,
        meter: MeterSpec {
            test_current_amps: args.meter_current,
            compliance_volts: args.meter_compliance,
            ..MeterSpec::default()
        },
        seed: args.seed,
        ..Scenario::new(layout.clone())
    };
    let mut entrance = SimEntrance::new(&scenario).context("cannot simulate this entrance")?;
    let truth = entrance.truth().clone();
    if let Some(path) = &args.truth {
        let mut json =
            serde_json::to_string_pretty(&truth).context("cannot encode the truth as JSON")?;
        json.push('\n');
        crate::output::write_atomic(path, json.as_bytes(), args.force)?;
    }
    if serving {
        return crate::sim::serve::run(&args.serve, Box::new(entrance));
    }
    let sweep = entrance.sweep(!args.no_bus_checks);
    let Some(path) = &args.output else {
        bail!("no output file: pass -o FILE (or -o - for stdout)");
    };
    let origin = super::SweepOrigin {
        measured_at: args.measured_at.clone().unwrap_or_else(super::measured_now),
        meter: format!(
            "simulated ohmmeter, {} mA test current, {} V compliance",
            short_number(args.meter_current * 1e3),
            short_number(args.meter_compliance)
        ),
        source: format!("kmdiag simulate, seed {}", args.seed),
        notes: args.notes.clone(),
    };
    let header = super::new_sweep_header(&args.entrance, &layout, path, origin);
    let csv = crate::sweep::to_csv_with_header(&header, &sweep, entrance.labels());
    if to_stdout {
        super::emit(&csv)?;
    } else {
        crate::output::write_atomic(path, csv.as_bytes(), args.force)?;
    }
    let faults = truth.findings.len();
    eprintln!(
        "kmdiag: simulated {} {} matrix {}: {} handsets, {} without, {} fault{} injected, {} measurements{}",
        truth.profile,
        truth.switch,
        truth.matrix,
        truth.handsets,
        truth.absent.len(),
        faults,
        if faults == 1 { "" } else { "s" },
        sweep.len(),
        if to_stdout {
            String::new()
        } else {
            format!(" written to {}", path.display())
        }
    );
    Ok(Outcome::Healthy)
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
    }
}
