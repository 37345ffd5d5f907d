//! Serving a simulated meter or scanning adapter on a pseudo-terminal, speaking the real
//! wire protocol at the real device's pace (or `--speed N` times faster), for tests, demos and
//! trying the guided sweep without hardware.
//!
//! The control channel is the serving process's standard input: one command per line
//! (`control::HELP`). Tests and benchmarks use the library API (`spawn`) and drive the
//! `Controller` directly. Must not read or write sweep files.

pub mod adapter;
pub mod control;
pub mod meter;
pub mod pty;

use super::Probe;
use crate::exit::Outcome;
use anyhow::{Context, Result, bail};
use control::{ControlCommand, Controller};
use std::io::BufRead;
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::Duration;

/// Options of `kmdiag simulate --serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Serve a simulated device instead of writing a sweep: a meter model or `adapter`
    #[arg(long, value_name = "METER|adapter")]
    pub serve: Option<String>,
    /// With --serve: keep a symlink at PATH pointing at the pseudo-terminal, so the sweep can
    /// use `--port PATH` (it follows the device across `unplug`/`plug`)
    #[arg(long, value_name = "PATH", requires = "serve")]
    pub link: Option<PathBuf>,
    /// With --serve: run the device N times faster than the real one
    #[arg(long, value_name = "N", default_value_t = 1.0, requires = "serve")]
    pub speed: f64,
}

/// Which simulated device to serve.
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceKind {
    /// The scanning adapter, with this device time per reading.
    Adapter {
        /// Device time per reading.
        reading_time: Duration,
    },
    /// A meter model, sending (or answering) once per `interval`.
    Meter {
        /// The model from the meter table.
        model: &'static crate::acquire::meter::MeterModel,
        /// Time between packets.
        interval: Duration,
    },
}

/// A simulated device running on its own thread.
pub struct Served {
    /// Where the probes are, what the cable does.
    pub control: Controller,
    thread: Option<JoinHandle<Result<(), pty::PtyError>>>,
}

impl Served {
    /// The current pseudo-terminal path, waiting up to `limit` for one to exist (after a
    /// `plug` the path changes).
    pub fn path(&self, limit: Duration) -> Option<PathBuf> {
        self.control.wait_for(limit, |s| s.path.is_some());
        self.control.state().path.clone()
    }

    /// Applies one control command.
    pub fn apply(&self, cmd: ControlCommand) {
        self.control.apply(cmd);
    }

    /// Stops the device once its peer has read what was sent; returns how serving ended.
    pub fn stop(mut self) -> Result<(), pty::PtyError> {
        self.control.apply(ControlCommand::Quit);
        self.join()
    }

    fn join(&mut self) -> Result<(), pty::PtyError> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(pty::PtyError::Create(
                "the simulated device thread panicked".into(),
            )),
            None => Ok(()),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.control.apply(ControlCommand::Quit);
        let _ = self.join();
    }
}

/// Starts serving a simulated device on a new pseudo-terminal.
pub fn spawn(kind: DeviceKind, probe: Box<dyn Probe>, link: Option<PathBuf>) -> Served {
    let control = Controller::new();
    let ctl = control.clone();
    let thread = std::thread::spawn(move || match kind {
        DeviceKind::Adapter { reading_time } => {
            adapter::serve(probe, ctl, adapter::AdapterConfig { reading_time, link })
        }
        DeviceKind::Meter { model, interval } => meter::serve(
            probe,
            ctl,
            meter::MeterConfig {
                model,
                interval,
                link,
            },
        ),
    });
    Served {
        control,
        thread: Some(thread),
    }
}

/// Works out the device from `--serve` and `--speed`.
pub fn device_kind(args: &ServeArgs) -> Result<DeviceKind> {
    let Some(name) = args.serve.as_deref() else {
        bail!("--serve is missing; name a meter model or 'adapter'")
    };
    if !(args.speed.is_finite() && args.speed > 0.0 && args.speed <= 10_000.0) {
        bail!(
            "--speed {} is not a speed-up factor; expected a number above 0 and at most 10000",
            args.speed
        );
    }
    if name.eq_ignore_ascii_case("adapter") {
        return Ok(DeviceKind::Adapter {
            reading_time: adapter::READING_TIME.div_f64(args.speed),
        });
    }
    match crate::acquire::meter::find_model(name) {
        Some(model) => Ok(DeviceKind::Meter {
            model,
            interval: model.interval.div_f64(args.speed),
        }),
        None => bail!(
            "unknown device '{name}' for --serve; expected 'adapter' or a meter model: {}",
            crate::acquire::meter::models::model_names()
        ),
    }
}

/// Serves the simulated entrance until stopped (`quit` on standard input, or a signal).
pub fn run(args: &ServeArgs, probe: Box<dyn Probe>) -> Result<Outcome> {
    let kind = device_kind(args)?;
    let labels = probe.labels().clone();
    let served = spawn(kind, probe, args.link.clone());
    let Some(path) = served.path(Duration::from_secs(5)) else {
        // The thread ended without a pseudo-terminal: say why.
        return match served.stop() {
            Err(e) => Err(crate::exit::DeviceError(anyhow::Error::new(e)).into()),
            Ok(()) => bail!("the simulated device stopped before it started"),
        };
    };
    let shown = match &args.link {
        Some(link) => format!("{} (→ {})", link.display(), path.display()),
        None => path.display().to_string(),
    };
    eprintln!(
        "kmdiag: serving a simulated {} on {shown}; use it with --port {}",
        args.serve.as_deref().unwrap_or("device"),
        args.link.as_deref().unwrap_or(&path).display()
    );
    eprintln!("kmdiag: type {}", control::HELP);
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line.context("cannot read the control channel (standard input)")?;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match control::parse_control(&line, &labels) {
            Ok(cmd) => {
                let quit = cmd == ControlCommand::Quit;
                served.apply(cmd);
                if quit {
                    break;
                }
            }
            Err(e) => eprintln!("kmdiag: {e}"),
        }
    }
    // Standard input closed (or quit): serve on until told to quit, then stop cleanly.
    while !served
        .control
        .wait_for(Duration::from_secs(3600), |s| s.quit)
    {}
    let result = served.stop();
    if let Some(link) = &args.link {
        pty::remove_link(link);
    }
    result.map_err(|e| crate::exit::DeviceError(anyhow::Error::new(e)))?;
    Ok(Outcome::Healthy)
}
