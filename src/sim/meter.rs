//! The simulated ohmmeter, in the two families field meters come in (issue 12), with a
//! display of limited resolution and a little noise (domain.md §3).
//!
//! - **Constant current** (`ConstantCurrent`): on its first range the meter pushes its test
//!   current; if the network needs more than the compliance voltage to pass it, the meter
//!   steps to the next range with a tenth of the current, and so on.
//! - **Ranged** (`Ranged`): a handheld with 2000, 4000, 6000 or 22000 counts. Its first range
//!   is the kΩ range where handsets read (2.000, 4.000, 6.000 or 2.2000 kΩ full scale); a
//!   reading above a range's full scale is taken on the next range, at a tenth of the current
//!   and with a tenth of the resolution.
//!
//! If no range can drive the network the meter shows OL. Pure: the noise comes from the
//! caller's generator.

use super::circuit::{Drive, Network, Solution};
use super::rng::SimRng;
use crate::model::Reading;
use serde::Serialize;

/// How a meter chooses its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeterFamily {
    /// A current source with a compliance voltage: drops to a tenth of the current when the
    /// network needs more than its compliance.
    ConstantCurrent,
    /// A display of `counts` counts: drops to a tenth of the current when the reading passes
    /// the range's full scale.
    Ranged,
}

/// How a simulated meter measures resistance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeterSpec {
    /// How the meter chooses its range.
    pub family: MeterFamily,
    /// Test current of the lowest resistance range, A (typically 0.1–1.2 mA).
    pub test_current_amps: f64,
    /// Compliance (open-circuit) voltage, V (typically 1–3.5 V). A constant-current meter's
    /// range limit; a ranged meter's source reaches every range's full scale.
    pub compliance_volts: f64,
    /// Headroom the current source needs: it keeps its current only while the network needs
    /// at most compliance − headroom, V. A transistor source loses regulation before its
    /// supply rail; this is why a 1.5 V meter cannot drive two diodes in series.
    pub headroom_volts: f64,
    /// Number of ranges; each further range uses a tenth of the previous current.
    pub ranges: u8,
    /// Display counts. Constant current: the resolution of a range is the power of ten at or
    /// below its full scale (compliance ÷ current) divided by this. Ranged: the first range
    /// shows this many counts in the kΩ decade (2000 → 2.000 kΩ, 22000 → 2.2000 kΩ).
    pub counts: u32,
    /// Relative noise of a reading (standard deviation), e.g. 0.001 for 0.1 %.
    pub noise: f64,
}

impl Default for MeterSpec {
    fn default() -> Self {
        MeterSpec {
            family: MeterFamily::ConstantCurrent,
            test_current_amps: 1e-3,
            compliance_volts: 2.8,
            headroom_volts: 0.3,
            ranges: 5,
            counts: 6000,
            noise: 0.001,
        }
    }
}

/// Display counts of the ranged meters issue 12 lists (3½-digit 2000, 3¾-digit 4000 and 6000,
/// 4½-digit 22000).
pub const RANGED_COUNTS: [u32; 4] = [2000, 4000, 6000, 22000];

/// The full scale of a ranged meter's first range lies in this decade, Ω: the kΩ range, where
/// handsets read (0.6–1.5 kΩ at 0.5–1.2 mA), as on every handheld's autorange sequence.
const FIRST_RANGE_DECADE: f64 = 1000.0;

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

    /// The most voltage the network may need for a reading on any range, V: the regulated
    /// compliance of a constant-current meter; a ranged meter's full scale times its current,
    /// the same on every range.
    pub fn limit_volts(&self) -> f64 {
        match self.family {
            MeterFamily::ConstantCurrent => (self.compliance_volts - self.headroom_volts).max(0.0),
            MeterFamily::Ranged => self.current(0) * self.full_scale(0),
        }
    }

    /// The largest reading of range `k`, Ω.
    pub fn full_scale(&self, range: u8) -> f64 {
        match self.family {
            MeterFamily::ConstantCurrent => self.compliance_volts / self.current(range),
            MeterFamily::Ranged => {
                self.counts.max(1) as f64 * self.first_resolution() * 10f64.powi(range as i32)
            }
        }
    }

    /// A ranged meter's display step on its first range: the power of ten that puts `counts`
    /// counts in the kΩ decade.
    fn first_resolution(&self) -> f64 {
        10f64.powf(
            (FIRST_RANGE_DECADE / self.counts.max(1) as f64)
                .log10()
                .ceil(),
        )
    }

    /// Display step of range `k`, Ω.
    pub fn resolution(&self, range: u8) -> f64 {
        match self.family {
            MeterFamily::ConstantCurrent => {
                let full_scale = self.compliance_volts / self.current(range);
                10f64.powf((full_scale / self.counts.max(1) as f64).log10().floor())
            }
            MeterFamily::Ranged => self.first_resolution() * 10f64.powi(range as i32),
        }
    }

    /// What the meter computes with its probes on `plus` and `minus`: `None` is OL.
    ///
    /// The first range's current is tried first: if the network takes it within the
    /// meter's limit, that is the reading. Otherwise one solve at the limit tells how much
    /// current the network can take there; the network is monotone, so auto-ranging stops on
    /// the first range whose current is at most that. When no chain of forward-conducting
    /// branches joins the probes, a bound on the leakage shows at once whether even the last
    /// range is out of reach.
    pub fn raw(&self, net: &mut Network, plus: usize, minus: usize) -> Option<RawReading> {
        let limit = self.limit_volts();
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
        let first_try = net.solve(plus, minus, Drive::Current(self.current(0)), false);
        if let Some(r) = self.reading(&first_try, 0) {
            return Some(r);
        }
        let at_limit = net.solve(plus, minus, Drive::Voltage(limit), false);
        let first = (1..ranges).find(|&k| self.current(k) <= at_limit.current)?;
        self.from_range(net, plus, minus, first, true)
    }

    /// The reading on range `first` or, when the network needs more than the limit there,
    /// on the next range that can drive it; `None` (OL) past the last range. `warm` starts
    /// from the last solve's voltages (it was between the same probes).
    pub fn from_range(
        &self,
        net: &mut Network,
        plus: usize,
        minus: usize,
        first: u8,
        warm: bool,
    ) -> Option<RawReading> {
        let limit = self.limit_volts();
        net.set_current_floor(self.current(self.ranges.max(1) - 1) * 0.05);
        net.set_voltage_ceiling(limit * 1.5);
        for range in first..self.ranges.max(1) {
            let s = net.solve(
                plus,
                minus,
                Drive::Current(self.current(range)),
                warm || range > first,
            );
            // The range decision is made to a few per cent; a source that finds it needs
            // more than its limit after all steps on like the real one does.
            if let Some(r) = self.reading(&s, range) {
                return Some(r);
            }
        }
        None
    }

    /// A solve at range `range`'s current as a reading, if the network took that current
    /// within the limit.
    fn reading(&self, s: &Solution, range: u8) -> Option<RawReading> {
        (s.converged && s.voltage <= self.limit_volts() * 1.001).then(|| RawReading {
            ohms: (s.voltage / self.current(range)).max(0.0),
            range,
        })
    }

    /// The displayed reading: noise and the probes' contact resistance added, rounded to the
    /// range's resolution. `Err(range)` when a ranged meter's display overflows its range
    /// with them (a reading at its full scale): the meter then reads on that next range.
    ///
    /// The contact is in series with the probes, so at the meter's constant test current it
    /// adds exactly its own resistance to the reading. Its drop (at most 1.2 mV at 1.2 mA
    /// through 1 Ω) is left out of the range decision, which it could change only for a
    /// network needing within a millivolt of the limit.
    pub fn display(
        &self,
        raw: Option<RawReading>,
        contact_ohms: f64,
        rng: &mut SimRng,
    ) -> Result<Reading, u8> {
        let Some(raw) = raw else {
            return Ok(Reading::Open);
        };
        let step = self.resolution(raw.range);
        let mut noisy = (raw.ohms * (1.0 + self.noise * rng.gauss())).max(0.0);
        // Ideal probes draw nothing, so lab sweeps stay what they were before contacts.
        if contact_ohms > 0.0 {
            noisy += rng.uniform(0.0, contact_ohms);
        }
        let counts = (noisy / step).round();
        if self.family == MeterFamily::Ranged && counts * step > self.full_scale(raw.range) {
            return Err(raw.range + 1);
        }
        // Print with the range's decimals and read back, so files show 702.3, not
        // 702.3000000000001.
        let decimals = (-step.log10().round()).max(0.0) as usize;
        let text = format!("{:.*}", decimals, counts * step);
        Ok(Reading::Ohms(text.parse().unwrap_or(counts * step)))
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
