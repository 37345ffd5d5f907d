//! The simulated ohmmeter: a current source with a compliance voltage and auto-ranging,
//! a display of limited resolution, and a little noise (domain.md §3).
//!
//! On its first range the meter pushes its test current; if the network needs more than
//! the compliance voltage to pass it, the meter steps to the next range with a tenth of the
//! current, and so on; if no range can drive the network it shows OL. Pure: the noise comes
//! from the caller's generator.

use super::circuit::{Drive, Network};
use super::rng::SimRng;
use crate::model::Reading;
use serde::Serialize;

/// How a simulated meter measures resistance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeterSpec {
    /// Test current of the lowest resistance range, A (typically 0.1–1.2 mA).
    pub test_current_amps: f64,
    /// Compliance (open-circuit) voltage, V (typically 1–3.5 V).
    pub compliance_volts: f64,
    /// Headroom the current source needs: it keeps its current only while the network needs
    /// at most compliance − headroom, V. A transistor source loses regulation before its
    /// supply rail; this is why a 1.5 V meter cannot drive two diodes in series.
    pub headroom_volts: f64,
    /// Number of ranges; each further range uses a tenth of the previous current.
    pub ranges: u8,
    /// Display counts: the resolution of a range is the power of ten at or below its full
    /// scale (compliance ÷ current) divided by this.
    pub counts: u32,
    /// Relative noise of a reading (standard deviation), e.g. 0.001 for 0.1 %.
    pub noise: f64,
}

impl Default for MeterSpec {
    fn default() -> Self {
        MeterSpec {
            test_current_amps: 1e-3,
            compliance_volts: 2.8,
            headroom_volts: 0.3,
            ranges: 5,
            counts: 6000,
            noise: 0.001,
        }
    }
}

/// What the meter found before display rounding and noise: the resistance it computed and
/// on which range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawReading {
    /// Voltage ÷ test current, Ω.
    pub ohms: f64,
    /// Range used (0 = the first, largest current).
    pub range: u8,
}

impl MeterSpec {
    /// Test current of range `k`, A.
    pub fn current(&self, range: u8) -> f64 {
        self.test_current_amps / 10f64.powi(range as i32)
    }

    /// Display step of range `k`, Ω.
    pub fn resolution(&self, range: u8) -> f64 {
        let full_scale = self.compliance_volts / self.current(range);
        10f64.powf((full_scale / self.counts.max(1) as f64).log10().floor())
    }

    /// What the meter computes with its probes on `plus` and `minus`: `None` is OL.
    ///
    /// The first range's current is tried first: if the network takes it within the
    /// source's regulated voltage, that is the reading. Otherwise one solve at that voltage
    /// tells how much current the network can take there; the network is monotone, so
    /// auto-ranging stops on the first range whose current is at most that. When no chain of
    /// forward-conducting branches joins the probes, a bound on the leakage shows at once
    /// whether even the last range is out of reach.
    pub fn raw(&self, net: &mut Network, plus: usize, minus: usize) -> Option<RawReading> {
        let limit = (self.compliance_volts - self.headroom_volts).max(0.0);
        let ranges = self.ranges.max(1);
        let smallest = self.current(ranges - 1);
        if net
            .blocked_current_bound(plus, minus, limit)
            .is_some_and(|bound| bound < smallest)
        {
            return None;
        }
        // Changes far below the smallest test current, or voltages far above the limit,
        // need not be resolved: they change no range decision.
        net.set_current_floor(smallest * 0.05);
        net.set_voltage_ceiling(limit * 1.5);
        let reading = |s: &super::circuit::Solution, range: u8| {
            (s.converged && s.voltage <= limit * 1.001).then(|| RawReading {
                ohms: (s.voltage / self.current(range)).max(0.0),
                range,
            })
        };
        let first_try = net.solve(plus, minus, Drive::Current(self.current(0)), false);
        if let Some(r) = reading(&first_try, 0) {
            return Some(r);
        }
        let at_limit = net.solve(plus, minus, Drive::Voltage(limit), false);
        let first = (1..ranges).find(|&k| self.current(k) <= at_limit.current)?;
        for range in first..ranges {
            let s = net.solve(plus, minus, Drive::Current(self.current(range)), true);
            // The range decision above is made to a few per cent; a source that finds it
            // needs more than its limit after all steps on like the real one does.
            if let Some(r) = reading(&s, range) {
                return Some(r);
            }
        }
        None
    }

    /// The displayed reading: noise added, rounded to the range's resolution.
    pub fn display(&self, raw: Option<RawReading>, rng: &mut SimRng) -> Reading {
        let Some(raw) = raw else {
            return Reading::Open;
        };
        let step = self.resolution(raw.range);
        let noisy = (raw.ohms * (1.0 + self.noise * rng.gauss())).max(0.0);
        let counts = (noisy / step).round();
        // Print with the range's decimals and read back, so files show 702.3, not
        // 702.3000000000001.
        let decimals = (-step.log10().round()).max(0.0) as usize;
        let text = format!("{:.*}", decimals, counts * step);
        Reading::Ohms(text.parse().unwrap_or(counts * step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::circuit::{Branch, Element};

    #[test]
    fn resolution_follows_the_range() {
        let m = MeterSpec::default();
        assert_eq!(m.resolution(0), 0.1);
        assert_eq!(m.resolution(1), 1.0);
        assert!((m.current(2) - 1e-5).abs() < 1e-18);
    }

    #[test]
    fn high_resistance_drops_range_and_open_reads_ol() {
        let m = MeterSpec::default();
        let mut net = Network::new(
            3,
            vec![Element {
                a: 0,
                b: 1,
                branch: Branch::Resistor { g: 1.0 / 100e3 },
            }],
            1e-12,
        );
        let r = m.raw(&mut net, 0, 1).unwrap();
        assert_eq!(r.range, 2); // 10 µA × 100 kΩ = 1 V ≤ 2.8 V
        assert!((r.ohms - 100e3).abs() < 1.0);
        assert_eq!(m.raw(&mut net, 0, 2), None);
    }
}
