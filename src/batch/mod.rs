//! Building batches: the building plan, a run over its entrances on every core with progress
//! via callbacks, and the comparison of two checks (`diff`).
//!
//! Prints nothing: the commands (`cmd/check.rs`, `cmd/diff.rs`, `cmd/report.rs`) decide what
//! goes to stdout and stderr.

pub mod diff;
pub mod plan;
pub mod run;
pub mod snapshot;

pub use plan::{EntrancePlan, LiveSource, Plan, PlanError};
pub use run::{
    BuildingCheck, CheckOptions, EntranceError, EntranceFailure, Observer, Progress, Quiet,
    RunTotals, check_entrance, check_plan, run_plan, worker_count,
};
