//! Serving a simulated meter or scanning adapter on a pseudo-terminal (unix) or a TCP port
//! (every OS), speaking the real wire protocol at the real device's pace (or `--speed N`
//! times faster), for tests, demos and trying kmdiag without hardware.
//!
//! The control channel is the serving process's standard input: one command per line
//! (`control::HELP`). Tests and benchmarks use the library API (`spawn`) and drive the
//! `Controller` directly. Must not read or write sweep files.

pub mod adapter;
pub mod cable;
pub mod control;
pub mod hid;
#[cfg(unix)]
pub mod lock;
pub mod meter;
#[cfg(unix)]
pub mod pty;
pub mod tcp;

use super::Probe;
use crate::exit::Outcome;
use anyhow::{Context, Result, bail};
use cable::{Cable, CableError};
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
    /// With --serve (Linux, macOS): keep a symlink at PATH pointing at the pseudo-terminal, so
    /// the sweep can use `--port PATH` (it follows the device across `unplug`/`plug`)
    #[arg(
        long,
        value_name = "PATH",
        requires = "serve",
        conflicts_with = "listen"
    )]
    pub link: Option<PathBuf>,
    /// With --serve: listen on ADDR (e.g. 127.0.0.1:5000; port 0 picks a free one) instead of
    /// a pseudo-terminal, so the sweep can use `--port tcp://ADDR` (every OS)
    #[arg(long, value_name = "ADDR", requires = "serve")]
    pub listen: Option<String>,
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
    thread: Option<JoinHandle<Result<(), CableError>>>,
}

impl Served {
    /// What `--port` names for the current cable (a pseudo-terminal path, or `tcp://ADDR`),
    /// waiting up to `limit` for one to exist (after a `plug` a pseudo-terminal path changes).
    pub fn path(&self, limit: Duration) -> Option<PathBuf> {
        self.control.wait_for(limit, |s| s.path.is_some());
        self.control.state().path.clone()
    }

    /// Applies one control command.
    pub fn apply(&self, cmd: ControlCommand) {
        self.control.apply(cmd);
    }

    /// Stops the device once its peer has read what was sent; returns how serving ended.
    pub fn stop(mut self) -> Result<(), CableError> {
        self.control.apply(ControlCommand::Quit);
        self.join()
    }

    fn join(&mut self) -> Result<(), CableError> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(CableError::Panicked),
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

/// Starts serving a simulated device on this OS's own simulated cable: a new pseudo-terminal
/// with a symlink at `link` on unix; elsewhere a free TCP port on the loopback address (no
/// link there: `path()` then names `tcp://127.0.0.1:PORT`).
pub fn spawn(kind: DeviceKind, probe: Box<dyn Probe>, link: Option<PathBuf>) -> Served {
    #[cfg(unix)]
    let cable = Ok(Cable::Pty { link });
    #[cfg(not(unix))]
    let cable = match link {
        Some(link) => Err(CableError::Tcp(std::io::Error::other(format!(
            "cannot link {}: this system has no pseudo-terminals",
            link.display()
        )))),
        None => std::net::TcpListener::bind("127.0.0.1:0")
            .map(Cable::Tcp)
            .map_err(CableError::Tcp),
    };
    match cable {
        Ok(cable) => spawn_on(kind, probe, cable),
        Err(e) => Served {
            control: Controller::new(),
            thread: Some(std::thread::spawn(move || Err(e))),
        },
    }
}

/// Starts serving a simulated meter behind a simulated USB-HID `cable` in this process;
/// returns it and the HID host that offers it to kmdiag's HID transport
/// (`transport::Devices { hid }`).
pub fn spawn_hid(
    kind: DeviceKind,
    probe: Box<dyn Probe>,
    cable: hid::HidCable,
) -> (Served, hid::SimHidHost) {
    let bus = std::sync::Arc::new(hid::Bus::new(cable));
    let host = hid::SimHidHost::new(vec![bus.clone()]);
    (spawn_on(kind, probe, Cable::Hid(bus)), host)
}

/// Starts serving a simulated device over `cable`.
pub fn spawn_on(kind: DeviceKind, probe: Box<dyn Probe>, cable: Cable) -> Served {
    let control = Controller::new();
    let ctl = control.clone();
    let thread = std::thread::spawn(move || match kind {
        DeviceKind::Adapter { reading_time } => {
            adapter::serve(probe, ctl, adapter::AdapterConfig { reading_time }, cable)
        }
        DeviceKind::Meter { model, interval } => {
            meter::serve(probe, ctl, meter::MeterConfig { model, interval }, cable)
        }
    });
    Served {
        control,
        thread: Some(thread),
    }
}

/// Binds `--listen ADDR` (`HOST:PORT`, or a bare port on the loopback address); the error
/// says what to do (bad input, exit 2).
pub fn listen(addr: &str) -> Result<std::net::TcpListener> {
    let target = match addr.parse::<u16>() {
        // A bare port: the loopback address, reachable from this computer only.
        Ok(port) => format!("127.0.0.1:{port}"),
        Err(_) => addr.to_string(),
    };
    std::net::TcpListener::bind(target.as_str()).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => {
                "the port is in use (another simulator or program listens there); choose another port".to_string()
            }
            std::io::ErrorKind::AddrNotAvailable => {
                "this computer has no such address; use 127.0.0.1, or an address of one of its network interfaces".to_string()
            }
            std::io::ErrorKind::PermissionDenied => {
                "permission denied; ports below 1024 need administrator rights, choose one above 1024".to_string()
            }
            std::io::ErrorKind::InvalidInput => {
                "write it as HOST:PORT, e.g. 127.0.0.1:5000 (port 0 picks a free one)".to_string()
            }
            _ => format!("{e}; write it as HOST:PORT, e.g. 127.0.0.1:5000"),
        };
        anyhow::anyhow!("cannot listen on '{addr}': {why}")
    })
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

/// The cable `run` serves over, and on unix the claim on its link (dropped last: it removes
/// the link).
struct Chosen {
    cable: Cable,
    #[cfg(unix)]
    claim: Option<lock::LinkClaim>,
}

/// Picks the cable from `--listen` / `--link`, binding or claiming it before anything is
/// served, so a taken port or link fails at once.
fn choose_cable(args: &ServeArgs) -> Result<Chosen> {
    if let Some(addr) = &args.listen {
        return Ok(Chosen {
            cable: Cable::Tcp(listen(addr)?),
            #[cfg(unix)]
            claim: None,
        });
    }
    #[cfg(unix)]
    {
        let claim = args.link.as_deref().map(lock::claim).transpose()?;
        Ok(Chosen {
            cable: Cable::Pty {
                link: args.link.clone(),
            },
            claim,
        })
    }
    #[cfg(not(unix))]
    bail!(
        "this system has no pseudo-terminals; serve over TCP instead: add --listen 127.0.0.1:5000 and use --port tcp://127.0.0.1:5000"
    )
}

/// Serves the simulated entrance until stopped: `quit` on standard input, Ctrl-C or SIGTERM.
/// Either way the link (`--link`) is removed before the process ends.
pub fn run(args: &ServeArgs, probe: Box<dyn Probe>) -> Result<Outcome> {
    let kind = device_kind(args)?;
    let labels = probe.labels().clone();
    // Ctrl-C, SIGTERM and SIGHUP quit like `quit` does, so the link is removed. The handler is
    // in place before the link is claimed: a signal that comes while the device starts is
    // held and applied once its controller exists, instead of killing the process with the
    // link left behind.
    let on_signal = SignalQuit::install();
    let chosen = choose_cable(args)?;
    let served = spawn_on(kind, probe, chosen.cable);
    on_signal.attach(&served.control);
    let Some(path) = served.path(Duration::from_secs(5)) else {
        // Told to quit while starting (a signal): nothing was served, nothing is wrong.
        if served.control.wait_for(Duration::ZERO, |s| s.quit) {
            served
                .stop()
                .map_err(|e| crate::exit::DeviceError(anyhow::Error::new(e)))?;
            return Ok(Outcome::Healthy);
        }
        // The thread ended without a cable: say why.
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
    // The control channel on its own thread: the main thread waits for quit, however it comes.
    {
        let ctl = served.control.clone();
        std::thread::spawn(move || read_control(&ctl, &labels));
    }
    while !served
        .control
        .wait_for(Duration::from_secs(3600), |s| s.quit)
    {}
    let result = served.stop();
    #[cfg(unix)]
    drop(chosen.claim);
    result.map_err(|e| crate::exit::DeviceError(anyhow::Error::new(e)))?;
    Ok(Outcome::Healthy)
}

/// A quit asked for by a signal, held until the device's controller exists.
#[derive(Default)]
struct SignalSlot {
    /// A signal came before the controller was attached.
    requested: bool,
    /// The running device's controller, once attached.
    control: Option<Controller>,
}

/// Turns Ctrl-C, SIGTERM and SIGHUP into the control command `quit`.
struct SignalQuit(std::sync::Arc<std::sync::Mutex<SignalSlot>>);

impl SignalQuit {
    /// Installs the process's signal handler (once per process; a second install, as in
    /// tests that serve twice, keeps the first handler and is not an error).
    fn install() -> Self {
        let slot = std::sync::Arc::new(std::sync::Mutex::new(SignalSlot::default()));
        let held = slot.clone();
        let _ = ctrlc::set_handler(move || {
            let mut s = held.lock().unwrap_or_else(|p| p.into_inner());
            s.requested = true;
            if let Some(ctl) = &s.control {
                ctl.apply(ControlCommand::Quit);
            }
        });
        SignalQuit(slot)
    }

    /// From now on a signal quits `control`; a signal that already came quits it at once.
    fn attach(&self, control: &Controller) {
        let mut s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if s.requested {
            control.apply(ControlCommand::Quit);
        }
        s.control = Some(control.clone());
    }
}

/// Applies control lines from standard input until it closes or says `quit`. When it closes
/// the device serves on until told to quit by a signal.
fn read_control(ctl: &Controller, labels: &crate::profile::LineLabels) {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = match line.context("cannot read the control channel (standard input)") {
            Ok(l) => l,
            Err(e) => {
                eprintln!("kmdiag: {e:#}");
                return;
            }
        };
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match control::parse_control(&line, labels) {
            Ok(cmd) => {
                let quit = cmd == ControlCommand::Quit;
                ctl.apply(cmd);
                if quit {
                    return;
                }
            }
            Err(e) => eprintln!("kmdiag: {e}"),
        }
    }
}
