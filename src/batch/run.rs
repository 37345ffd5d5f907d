//! Running a plan: read each entrance's map and sweep, build its layout, diagnose it, and
//! gather one building report. Entrances run on every core; one that cannot be checked is
//! remembered as a failure and every other entrance is still checked (style.md rule 8).
//!
//! Reads the plan's map and sweep files, but prints nothing: progress and sweep warnings go
//! to the caller's `Observer`, on the calling thread. The report is in plan order whatever
//! order the workers finish in.

use super::plan::{EntrancePlan, Plan};
use crate::diagnose::diagnose;
use crate::export::{EntranceReport, Report};
use crate::model::Sweep;
use crate::profile::{LayoutError, MapFileError, ProfileError};
use crate::sweep::{
    GivenBy, ResolvedEntrance, SettingsError, SweepError, SweepHeader, decode, parse_header,
    parse_sweep, resolve_entrance,
};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// How to run a plan.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Entrances to check, by number; empty means all of them. A name the plan lacks becomes
    /// a failure (the command rejects it earlier with `Plan::select`).
    pub entrances: Vec<String>,
    /// Measure entrances that have a port and meter live instead of reading their sweep.
    pub live: bool,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
}

/// An entrance that could not be checked, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntranceFailure {
    /// Its number as the plan writes it.
    pub entrance: String,
    /// The whole error, one line, naming the file and what to do.
    pub error: String,
}

/// The outcome of checking a building.
#[derive(Debug, Clone)]
pub struct BuildingCheck {
    /// Every entrance that was checked, in plan order.
    pub report: Report,
    /// Every entrance that could not be checked, in plan order.
    pub failures: Vec<EntranceFailure>,
}

impl BuildingCheck {
    /// True when some checked entrance has a fault.
    pub fn has_faults(&self) -> bool {
        self.report
            .entrances
            .iter()
            .any(|e| e.diagnosis.has_faults())
    }

    /// The exit outcome: an entrance not checked beats one not judged whole (a sweep leaving
    /// apartments unmeasured) beats faults beats healthy.
    pub fn outcome(&self) -> crate::exit::Outcome {
        self.outcome_with(false)
    }

    /// Entrances whose sweep left apartments unmeasured, in plan order.
    pub fn incomplete(&self) -> Vec<&EntranceReport> {
        (self.report.entrances.iter())
            .filter(|e| !e.diagnosis.is_complete())
            .collect()
    }

    /// Entrances with no fault named but one at least as likely as not that the sweep cannot
    /// name (`Diagnosis::is_unsettled`), in plan order.
    pub fn unsettled(&self) -> Vec<&EntranceReport> {
        (self.report.entrances.iter())
            .filter(|e| e.diagnosis.is_unsettled())
            .collect()
    }

    /// `outcome`, with `partial` accepting sweeps that leave apartments unmeasured (not a
    /// likely fault left unnamed).
    pub fn outcome_with(&self, partial: bool) -> crate::exit::Outcome {
        use crate::exit::Outcome;
        if !self.failures.is_empty() {
            Outcome::Incomplete
        } else if (!partial && !self.incomplete().is_empty()) || !self.unsettled().is_empty() {
            Outcome::Unjudged
        } else if self.has_faults() {
            Outcome::Faults
        } else {
            Outcome::Healthy
        }
    }
}

/// What just happened to one entrance, for an `Observer`.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// Diagnosed.
    Checked {
        /// True when the diagnosis names a fault.
        faults: bool,
    },
    /// Could not be checked.
    Failed(&'a EntranceFailure),
}

/// Progress callbacks, all on the thread that called `check_plan`. Every method has a
/// do-nothing default.
pub trait Observer {
    /// The run starts with `total` entrances.
    fn start(&mut self, total: usize) {
        let _ = total;
    }
    /// A sweep file of `entrance` had something worth saying that did not stop it.
    fn warning(&mut self, entrance: &str, message: &str) {
        let _ = (entrance, message);
    }
    /// Something about the run as a whole (fewer worker threads than asked for).
    fn note(&mut self, message: &str) {
        let _ = message;
    }
    /// One entrance is done.
    fn finished(&mut self, entrance: &str, progress: Progress<'_>) {
        let _ = (entrance, progress);
    }
    /// Every entrance is done.
    fn done(&mut self) {}
}

/// An observer that ignores everything.
pub struct Quiet;

impl Observer for Quiet {}

/// Why one entrance could not be checked.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum EntranceError {
    /// A file could not be read.
    Read {
        /// "sweep file" or "map file".
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error (not a `source`: it is part of this message, once).
        cause: std::io::Error,
    },
    /// The file is not a regular file, too large, or unreadable.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// A file is not UTF-8.
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// First bad byte.
        byte: usize,
    },
    /// The sweep file is malformed.
    #[error(transparent)]
    Sweep(#[from] SweepError),
    /// The map file is malformed.
    #[error(transparent)]
    Map(#[from] MapFileError),
    /// The apartments do not fit the switch.
    #[error(transparent)]
    Layout(#[from] LayoutError),
    /// The plan (or flags) and the sweep's header do not make a layout.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The profile is wrong.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// No sweep file and no live run asked for.
    NoSweep {
        /// The port.
        port: String,
        /// The meter.
        meter: String,
    },
    /// `--live` with a handheld meter: that needs a technician at the probes.
    LiveHandheld {
        /// The port.
        port: String,
        /// The meter.
        meter: String,
    },
    /// The live sweep failed at the device or port.
    Device {
        /// The port.
        port: String,
        /// What went wrong and what to check.
        cause: crate::acquire::AcquireError,
    },
}

/// Who gave a planned entrance's settings: its plan, or (folder mode) the command line.
impl EntranceError {
    /// The error as a catalogue message.
    pub fn message(&self) -> crate::i18n::Message {
        use crate::msg;
        match self {
            EntranceError::Read { what, path, cause } => msg!(
                "error-input-open",
                what = crate::input::file_kind(what),
                path = path,
                cause = crate::i18n::os_error(cause)
            ),
            EntranceError::Input(e) => e.message(),
            EntranceError::NotUtf8 { path, byte } => {
                msg!("error-entrance-not-utf8", path = path, byte = *byte)
            }
            EntranceError::Sweep(e) => e.message(),
            EntranceError::Map(e) => e.message(),
            EntranceError::Layout(e) => e.message(),
            EntranceError::Settings(e) => e.message(),
            EntranceError::Profile(e) => e.message(),
            EntranceError::NoSweep { port, meter } => {
                msg!("error-entrance-no-sweep", port = port, meter = meter)
            }
            EntranceError::LiveHandheld { port, meter } => {
                msg!("error-entrance-live-handheld", port = port, meter = meter)
            }
            EntranceError::Device { port, cause } => msg!(
                "error-entrance-device",
                port = port,
                cause = cause.message()
            ),
        }
    }
}

fn given_by(plan: &Path, e: &EntrancePlan) -> GivenBy {
    match e.line {
        Some(_) => GivenBy::Plan {
            path: plan.to_path_buf(),
            entrance: e.number.clone(),
        },
        None => GivenBy::Flags,
    }
}

/// Reads a sweep file: its text, and its readings against the settings over its header
/// (`sweep::resolve_entrance`). Returns the resolved entrance, the readings, the header and
/// the warnings as lines.
pub fn read_sweep(
    path: &Path,
    e: &EntrancePlan,
    by: &GivenBy,
) -> Result<(ResolvedEntrance, Sweep, SweepHeader, Vec<String>), EntranceError> {
    let bytes = crate::input::read_input(path, crate::input::SWEEP_LIMIT, "sweep file")?;
    let (text, _) = decode(&bytes, path)?;
    let (header, header_warnings) = parse_header(&text, path)?;
    let resolved = resolve_entrance(&e.settings, by, &header, path, &e.known_absent)?;
    let (sweep, warnings) = parse_sweep(&text, path, &resolved.layout.labels)?;
    let lines = (header_warnings.into_iter().map(|w| w.message.to_string()))
        .chain(resolved.warnings.iter().map(ToString::to_string))
        .chain(warnings.into_iter().map(|w| w.message.to_string()))
        .collect();
    Ok((resolved, sweep, header, lines))
}

/// Checks one planned entrance of the plan at `plan`: layout, sweep, diagnosis. Returns its
/// report and the sweep file's warnings.
pub fn check_entrance(
    plan: &Path,
    e: &EntrancePlan,
    live: bool,
) -> Result<(EntranceReport, Vec<String>), EntranceError> {
    let path = match (&e.sweep, &e.live) {
        (_, Some(l)) if live => return check_live(e, l),
        (Some(path), _) => path,
        (None, Some(l)) => {
            return Err(EntranceError::NoSweep {
                port: l.port.clone(),
                meter: l.meter.clone(),
            });
        }
        (None, None) => {
            return Err(EntranceError::Read {
                what: "sweep file",
                path: PathBuf::new(),
                cause: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    crate::msg!("plan-names-no-sweep").to_string(),
                ),
            });
        }
    };
    let (resolved, sweep, header, warnings) = read_sweep(path, e, &given_by(plan, e))?;
    let diagnosis = diagnose(
        &sweep,
        &resolved.layout,
        &resolved.profile.nominal_forward_ohms.into(),
    );
    Ok((
        EntranceReport {
            entrance: Some(e.number.clone()),
            source: path.display().to_string(),
            meter: header.meter.clone(),
            measured_at: header.measured_at.clone(),
            notes: e.notes.iter().chain(&header.notes).cloned().collect(),
            layout: resolved.layout,
            sweep,
            diagnosis,
        },
        warnings,
    ))
}

/// How long a scanning adapter may stay silent during a batch check.
const LIVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Sweeps one entrance live on its scanning adapter and diagnoses it.
fn check_live(
    e: &EntrancePlan,
    l: &super::plan::LiveSource,
) -> Result<(EntranceReport, Vec<String>), EntranceError> {
    if !l.meter.eq_ignore_ascii_case("adapter") {
        return Err(EntranceError::LiveHandheld {
            port: l.port.clone(),
            meter: l.meter.clone(),
        });
    }
    // A live sweep has no header: the plan says everything.
    let resolved = resolve_entrance(
        &e.settings,
        &GivenBy::Flags,
        &SweepHeader::default(),
        Path::new(&l.port),
        &e.known_absent,
    )?;
    let layout = resolved.layout;
    let (sweep, device) =
        crate::acquire::adapter::sweep_port(&l.port, layout.tens(), layout.units(), LIVE_TIMEOUT)
            .map_err(|cause| EntranceError::Device {
            port: l.port.clone(),
            cause,
        })?;
    let diagnosis = diagnose(
        &sweep,
        &layout,
        &resolved.profile.nominal_forward_ohms.into(),
    );
    Ok((
        EntranceReport {
            entrance: Some(e.number.clone()),
            source: format!("live sweep on {}", l.port),
            meter: Some(device),
            measured_at: None,
            notes: e.notes.clone(),
            layout,
            sweep,
            diagnosis,
        },
        Vec::new(),
    ))
}

/// What a worker hands back for one entrance: the caller's value (a rendered line, or the
/// report itself), the sweep's warnings, and whether it has faults.
struct Done<T> {
    value: T,
    warnings: Vec<String>,
    faults: bool,
    complete: bool,
    unsettled: bool,
}

/// One entrance, never unwinding: a panic inside the engine or the caller's `work` fails
/// that entrance only, so a batch of thousands still reports the rest.
fn run_one<T>(
    plan: &Path,
    e: &EntrancePlan,
    live: bool,
    work: &(dyn Fn(EntranceReport) -> T + Sync),
) -> Result<Done<T>, EntranceFailure> {
    let fail = |error: String| EntranceFailure {
        entrance: e.number.clone(),
        error: format!("entrance {}: {error}", e.number),
    };
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_entrance(plan, e, live).map(|(report, warnings)| {
            let faults = report.diagnosis.has_faults();
            let complete = report.diagnosis.is_complete();
            let unsettled = report.diagnosis.is_unsettled();
            Done {
                value: work(report),
                warnings,
                faults,
                complete,
                unsettled,
            }
        })
    }));
    match attempt {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(err)) => Err(fail(err.to_string())),
        Err(_) => Err(fail(
            "internal error while diagnosing this sweep (a kmdiag bug); please report it with the sweep file".into(),
        )),
    }
}

/// How many entrances may be done ahead of the one the caller waits for, per worker: the
/// results held for in-order delivery stay a few dozen whatever the size of the plan, and
/// workers are never starved by one slow entrance.
const AHEAD_PER_WORKER: usize = 8;

/// Worker threads for `requested` (0: one per core) and `entrances`: never more than the
/// cores (more threads only add memory and switching) nor than the entrances.
pub fn worker_count(requested: usize, entrances: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let wanted = if requested == 0 { cores } else { requested };
    wanted.min(cores).min(entrances).max(1)
}

/// What a run did, for the caller's summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunTotals {
    /// Entrances diagnosed.
    pub checked: usize,
    /// Of those, with a fault.
    pub with_faults: usize,
    /// Of those, whose sweep left apartments unmeasured (not judged whole).
    pub incomplete: usize,
    /// Of those, with no fault named but one at least as likely as not that the sweep cannot name
    /// (not judged whole either).
    pub unsettled: usize,
    /// Entrances that could not be checked (named in the plan or not).
    pub failed: usize,
    /// True when the caller stopped the run early.
    pub stopped: bool,
}

impl RunTotals {
    /// Healthy as every entrance's `healthy`: no fault named, none likely left unnamed, and
    /// every apartment measured.
    pub fn healthy(&self) -> bool {
        self.with_faults == 0 && self.incomplete == 0 && self.unsettled == 0
    }

    /// The exit outcome: an entrance not checked beats one not judged whole (unless
    /// `partial` accepts sweeps that leave apartments unmeasured; a likely fault left unnamed
    /// it does not excuse) beats faults beats healthy.
    pub fn outcome(&self, partial: bool) -> crate::exit::Outcome {
        use crate::exit::Outcome;
        if self.failed > 0 {
            Outcome::Incomplete
        } else if (!partial && self.incomplete > 0) || self.unsettled > 0 {
            Outcome::Unjudged
        } else if self.with_faults > 0 {
            Outcome::Faults
        } else {
            Outcome::Healthy
        }
    }
}

/// In-order hand-over between the workers and the caller: which index is next to take,
/// which the caller waits for, and whether to stop.
struct Window {
    next: usize,
    delivered: usize,
    stop: bool,
}

/// The window the workers and the caller share, with the signal that wakes a worker held
/// back for being too far ahead.
struct Handover {
    window: std::sync::Mutex<Window>,
    turn: std::sync::Condvar,
    /// How many entrances a worker may take past the one the caller waits for.
    ahead: usize,
    /// How many entrances there are to take.
    total: usize,
}

impl Handover {
    /// A window over `total` entrances for `jobs` workers, nothing taken yet.
    fn new(jobs: usize, total: usize) -> Self {
        Handover {
            window: std::sync::Mutex::new(Window {
                next: 0,
                delivered: 0,
                stop: false,
            }),
            turn: std::sync::Condvar::new(),
            ahead: jobs * AHEAD_PER_WORKER,
            total,
        }
    }

    /// The window, even when a thread panicked holding it (its fields stay consistent).
    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        self.window.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next index to check, waiting while it is too far ahead of the caller; `None`
    /// when every entrance is taken or the run stopped.
    fn take(&self) -> Option<usize> {
        let mut w = self.lock();
        while !w.stop && w.next < self.total && w.next >= w.delivered + self.ahead {
            w = self.turn.wait(w).unwrap_or_else(|p| p.into_inner());
        }
        if w.stop || w.next >= self.total {
            return None;
        }
        w.next += 1;
        Some(w.next - 1)
    }
}

/// Checks the plan's entrances (those named in `options`, or all) on up to one worker per
/// core, streaming: each entrance's report is turned into a value by `work` on the worker
/// (render it there, so rendering runs in parallel too), and `sink` receives the values in
/// plan order as they are ready, on the calling thread. Only a bounded window of entrances
/// is ever held, so memory stays flat however many entrances the plan has. `sink` returns
/// false to stop the run (the output went away). Never stops at a failed entrance.
pub fn run_plan<T: Send>(
    plan: &Plan,
    options: &CheckOptions,
    observer: &mut dyn Observer,
    work: &(dyn Fn(EntranceReport) -> T + Sync),
    sink: &mut dyn FnMut(Result<T, EntranceFailure>) -> bool,
) -> RunTotals {
    let mut totals = RunTotals::default();
    let unknown = unknown_entrances(plan, options);
    let chosen = chosen_entrances(plan, options);
    observer.start(chosen.len());
    if !deliver_unknown(unknown, sink, &mut totals) {
        observer.done();
        return totals;
    }
    let mut run = Run {
        plan,
        options,
        observer,
        work,
        sink,
        totals,
    };
    run.check(&chosen);
    run.observer.done();
    run.totals
}

/// Takes the plan and the options; gives the entrances to check, in plan order.
fn chosen_entrances<'p>(plan: &'p Plan, options: &CheckOptions) -> Vec<&'p EntrancePlan> {
    if options.entrances.is_empty() {
        plan.entrances.iter().collect()
    } else {
        let wanted: std::collections::HashSet<&str> =
            options.entrances.iter().map(|n| n.trim()).collect();
        plan.entrances
            .iter()
            .filter(|e| wanted.contains(e.number.as_str()))
            .collect()
    }
}

/// Takes the entrances named but not in the plan; hands each to `sink` as a failure,
/// counted in `totals`. Gives false when `sink` stopped the run.
fn deliver_unknown<T>(
    unknown: Vec<EntranceFailure>,
    sink: &mut dyn FnMut(Result<T, EntranceFailure>) -> bool,
    totals: &mut RunTotals,
) -> bool {
    for f in unknown {
        totals.failed += 1;
        if !sink(Err(f)) {
            totals.stopped = true;
            return false;
        }
    }
    true
}

/// What the steps of one streaming run share on the calling thread: the plan, the
/// caller's observer, work and sink, and the totals so far.
struct Run<'a, T> {
    plan: &'a Plan,
    options: &'a CheckOptions,
    observer: &'a mut dyn Observer,
    work: &'a (dyn Fn(EntranceReport) -> T + Sync),
    sink: &'a mut dyn FnMut(Result<T, EntranceFailure>) -> bool,
    totals: RunTotals,
}

impl<T: Send> Run<'_, T> {
    /// Takes the chosen entrances; checks them on the workers (or right here when none can
    /// start) and delivers their values in plan order.
    fn check(&mut self, chosen: &[&EntrancePlan]) {
        let jobs = worker_count(self.options.jobs, chosen.len());
        let handover = Handover::new(jobs, chosen.len());
        let (plan, live, work) = (&self.plan.path, self.options.live, self.work);
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel::<(usize, Result<Done<T>, EntranceFailure>)>();
            let mut spawned = 0;
            if jobs > 1 {
                for k in 0..jobs {
                    let tx = tx.clone();
                    let (handover, chosen) = (&handover, chosen);
                    let worker = move || {
                        while let Some(i) = handover.take() {
                            if tx.send((i, run_one(plan, chosen[i], live, work))).is_err() {
                                break;
                            }
                        }
                    };
                    match std::thread::Builder::new()
                        .name(format!("check-{k}"))
                        .spawn_scoped(scope, worker)
                    {
                        Ok(_) => spawned += 1,
                        Err(err) => {
                            self.observer.note(&format!(
                                "could not start worker thread {} of {jobs} ({err}); checking with {spawned}",
                                k + 1
                            ));
                            break;
                        }
                    }
                }
            }
            drop(tx);
            if spawned == 0 {
                self.check_here(chosen, &handover);
            } else {
                self.deliver_in_order(chosen, &handover, rx);
            }
        });
    }

    /// Takes the chosen entrances and the window; checks them one after another on the
    /// calling thread (one core, one entrance, or no thread could be started).
    fn check_here(&mut self, chosen: &[&EntrancePlan], handover: &Handover) {
        while let Some(i) = handover.take() {
            let outcome = run_one(&self.plan.path, chosen[i], self.options.live, self.work);
            handover.lock().delivered = i + 1;
            if !self.deliver(chosen[i], outcome) {
                handover.lock().stop = true;
                self.totals.stopped = true;
            }
        }
    }

    /// Takes the workers' results as they finish; delivers them in plan order, moving the
    /// window on after each, until all are in or the sink stops the run. Then wakes any
    /// worker still waiting for its turn, so the scope can end.
    fn deliver_in_order(
        &mut self,
        chosen: &[&EntrancePlan],
        handover: &Handover,
        rx: mpsc::Receiver<(usize, Result<Done<T>, EntranceFailure>)>,
    ) {
        let mut pending = std::collections::BTreeMap::new();
        let mut delivered = 0;
        for (i, outcome) in rx {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&delivered) {
                let go_on = self.deliver(chosen[delivered], outcome);
                delivered += 1;
                let mut w = handover.lock();
                w.delivered = delivered;
                if !go_on {
                    w.stop = true;
                    self.totals.stopped = true;
                }
                handover.turn.notify_all();
                if !go_on {
                    break;
                }
            }
            if self.totals.stopped {
                break;
            }
        }
        handover.lock().stop = true;
        handover.turn.notify_all();
    }

    /// Takes one entrance's outcome; tells the observer (its warnings, then that it is
    /// done), counts it, and hands its value to the sink. Gives the sink's answer: false
    /// stops the run.
    fn deliver(&mut self, e: &EntrancePlan, outcome: Result<Done<T>, EntranceFailure>) -> bool {
        let value = match outcome {
            Ok(done) => {
                for w in &done.warnings {
                    self.observer.warning(&e.number, w);
                }
                self.totals.checked += 1;
                self.totals.with_faults += usize::from(done.faults);
                self.totals.incomplete += usize::from(!done.complete);
                self.totals.unsettled += usize::from(done.unsettled);
                self.observer.finished(
                    &e.number,
                    Progress::Checked {
                        faults: done.faults,
                    },
                );
                Ok(done.value)
            }
            Err(f) => {
                self.totals.failed += 1;
                self.observer.finished(&e.number, Progress::Failed(&f));
                Err(f)
            }
        };
        (self.sink)(value)
    }
}

/// Entrances named in `options` that the plan lacks, as failures.
fn unknown_entrances(plan: &Plan, options: &CheckOptions) -> Vec<EntranceFailure> {
    let known: std::collections::HashSet<&str> =
        plan.entrances.iter().map(|e| e.number.as_str()).collect();
    options
        .entrances
        .iter()
        .filter(|name| !known.contains(name.trim()))
        .map(|name| EntranceFailure {
            entrance: name.clone(),
            error: format!(
                "no entrance '{}' in {}; its entrances are {}",
                crate::input::clip(name),
                plan.path.display(),
                plan.entrances
                    .iter()
                    .take(20)
                    .map(|e| e.number.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
        .collect()
}

/// Checks the plan's entrances (those named in `options`, or all) and gathers one building
/// report: for reports of a building, which need every entrance at once. A district is
/// better streamed with `run_plan`. Never stops at a failed entrance: it is recorded in
/// `failures` and the rest go on.
pub fn check_plan(
    plan: &Plan,
    options: &CheckOptions,
    observer: &mut dyn Observer,
) -> BuildingCheck {
    let mut entrances = Vec::new();
    let mut failures: Vec<EntranceFailure> = Vec::new();
    let mut not_checked: Vec<crate::export::Unchecked> = Vec::new();
    let known: std::collections::HashMap<&str, &EntrancePlan> = plan
        .entrances
        .iter()
        .map(|e| (e.number.as_str(), e))
        .collect();
    run_plan(plan, options, observer, &|report| report, &mut |outcome| {
        match outcome {
            Ok(report) => entrances.push(report),
            Err(f) => {
                // A name the plan lacks goes last in the summary; a planned entrance where
                // the plan has it.
                let planned = known.get(f.entrance.as_str());
                not_checked.push(crate::export::Unchecked {
                    entrance: f.entrance.clone(),
                    apartments: planned
                        .and_then(|e| e.settings.apartments.as_deref())
                        .map(crate::sweep::ranges_text),
                    error: f.error.clone(),
                    after: if planned.is_some() {
                        entrances.len()
                    } else {
                        usize::MAX
                    },
                });
                failures.push(f);
            }
        }
        true
    });
    BuildingCheck {
        report: Report {
            building: Some(
                plan.address
                    .clone()
                    .unwrap_or_else(|| plan.path.display().to_string()),
            ),
            date: None,
            notes: plan.notes.clone(),
            entrances,
            not_checked,
        },
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A healthy Eltis riser of flats 1-72: handsets 640-760 Ω forward (each its own, as
    /// real ones are: identical readings would look like touching lines), OL reverse.
    fn healthy_sweep() -> String {
        let mut s = String::from("plus,minus,ohms\n");
        for t in 0..10 {
            for u in 0..10 {
                let line = t * 10 + u;
                let fwd = if (1..=72).contains(&line) {
                    // Each handset its own reading, independent of its neighbours' (a
                    // multiplicative hash alone lines up whole columns, which reads like
                    // touching lines): MurmurHash3's finaliser.
                    let mut h = (line as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                    h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
                    h ^= h >> 33;
                    format!("{}", 640 + h % 120)
                } else {
                    "OL".to_string()
                };
                s.push_str(&format!("D{t},E{u},{fwd}\nE{u},D{t},OL\n"));
            }
        }
        s
    }

    #[derive(Default)]
    struct Record {
        total: usize,
        finished: Vec<(String, bool)>,
        done: bool,
    }

    impl Observer for Record {
        fn start(&mut self, total: usize) {
            self.total = total;
        }
        fn finished(&mut self, entrance: &str, progress: Progress<'_>) {
            let failed = matches!(progress, Progress::Failed(_));
            self.finished.push((entrance.to_string(), failed));
        }
        fn done(&mut self) {
            self.done = true;
        }
    }

    fn folder_plan(dir: &Path, names: &[&str]) -> Plan {
        for n in names {
            std::fs::write(dir.join(format!("{n}.csv")), healthy_sweep()).unwrap();
        }
        let template = crate::sweep::EntranceSettings {
            profile: Some(crate::profile::resolve("eltis").unwrap().into()),
            offset: Some(0),
            apartments: Some(vec![1..=72]),
            ..Default::default()
        };
        Plan::from_dir(dir, &template).unwrap()
    }

    #[test]
    fn a_broken_entrance_fails_alone_and_the_report_keeps_plan_order() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["e01", "e02", "e03", "e04", "e05", "e06", "e07"];
        let plan = folder_plan(dir.path(), &names);
        std::fs::write(dir.path().join("e04.csv"), "plus,minus,ohms\nD0,F1,700\n").unwrap();
        let mut seen = Record::default();
        let options = CheckOptions {
            jobs: 2,
            ..Default::default()
        };
        let check = check_plan(&plan, &options, &mut seen);
        let checked: Vec<_> = check
            .report
            .entrances
            .iter()
            .map(|e| e.entrance.clone().unwrap_or_default())
            .collect();
        assert_eq!(checked, ["e01", "e02", "e03", "e05", "e06", "e07"]);
        assert_eq!(check.failures.len(), 1);
        assert_eq!(check.failures[0].entrance, "e04");
        assert!(
            check.failures[0].error.contains("'F1'"),
            "{:?}",
            check.failures
        );
        assert_eq!(check.outcome(), crate::exit::Outcome::Incomplete);
        assert_eq!(seen.total, 7);
        assert_eq!(seen.finished.len(), 7);
        assert_eq!(seen.finished.iter().filter(|f| f.1).count(), 1);
        assert!(seen.done);
    }

    #[test]
    fn selected_entrances_only_and_live_sources_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        let mut plan = folder_plan(dir.path(), &["a", "b", "c"]);
        plan.entrances[2].sweep = None;
        plan.entrances[2].live = Some(super::super::plan::LiveSource {
            port: "/dev/ttyUSB0".into(),
            meter: "ut61e".into(),
        });
        let options = CheckOptions {
            entrances: vec!["c".into(), "a".into()],
            ..Default::default()
        };
        let check = check_plan(&plan, &options, &mut Quiet);
        assert_eq!(check.report.entrances.len(), 1);
        assert!(
            check.failures[0].error.contains("--live"),
            "{:?}",
            check.failures
        );
        let live = CheckOptions {
            live: true,
            ..options
        };
        let check = check_plan(&plan, &live, &mut Quiet);
        assert!(
            check.failures[0]
                .error
                .contains("needs someone at the probes"),
            "{:?}",
            check.failures
        );
        assert!(
            !check.has_faults(),
            "{:?}",
            check.report.entrances[0].diagnosis.findings
        );
    }

    #[test]
    fn an_entrance_with_a_likely_fault_left_unnamed_is_not_judged_whole_even_with_partial() {
        let unsettled = RunTotals {
            checked: 3,
            with_faults: 1,
            unsettled: 1,
            ..Default::default()
        };
        assert!(!unsettled.healthy());
        assert_eq!(unsettled.outcome(true), crate::exit::Outcome::Unjudged);
        let settled = RunTotals {
            unsettled: 0,
            ..unsettled
        };
        assert_eq!(settled.outcome(true), crate::exit::Outcome::Faults);
        let healthy = RunTotals {
            with_faults: 0,
            ..settled
        };
        assert!(healthy.healthy());
        assert_eq!(healthy.outcome(false), crate::exit::Outcome::Healthy);
    }
}
