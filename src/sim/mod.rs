//! Physical simulation of an entrance: handsets as diodes with series resistance (one or two
//! models), each line's wire between its terminal and its flats, a meter of either field
//! family (constant current with a compliance voltage, or ranged by its display counts) with
//! its noise and the probes' contact, the whole matrix solved nonlinearly. Used for tests,
//! benchmarks, demos and training; never by the engine, which must not borrow anything from
//! here.

pub mod circuit;
mod entrance;
pub mod meter;
pub mod physics;
pub mod rng;
pub mod serve;

pub use entrance::{
    FaultSpec, Fitted, HandsetFault, LineWire, Scenario, SimEntrance, SimError, Truth,
    TruthFinding, parse_fault,
};
pub use meter::{MeterFamily, MeterSpec, RawReading};
pub use physics::{MixedHandsets, Physics};
pub use rng::SimRng;

use crate::model::{Reading, Terminal};
use crate::profile::LineLabels;

/// A simulated entrance as a simulated device (meter, adapter) sees it: put the probes on two
/// terminals, get what the meter would show.
pub trait Probe: Send {
    /// The reading with the red (+) probe on `plus` and the black (−) probe on `minus`.
    fn measure(&mut self, plus: Terminal, minus: Terminal) -> Reading;
    /// The terminal labels of the simulated matrix.
    fn labels(&self) -> &LineLabels;
}

#[cfg(test)]
mod tests;
