//! Meter chip families: one pure decoder per protocol, and the table of meter models.
//!
//! Decoders are pure: bytes in, readings out, no I/O and no clock. They keep a bounded
//! buffer, resynchronise within one packet after noise, and never panic on any input.

/// What the meter's dial is set to, as far as the packet says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Ω.
    Resistance,
    /// Continuity (beeper), value in Ω.
    Continuity,
    /// Diode test, value in V.
    Diode,
    /// DC volts.
    VoltageDc,
    /// AC volts.
    VoltageAc,
    /// DC current.
    CurrentDc,
    /// AC current.
    CurrentAc,
    /// Capacitance.
    Capacitance,
    /// Frequency.
    Frequency,
    /// Duty cycle, %.
    DutyCycle,
    /// Temperature.
    Temperature,
    /// Anything else the packet can say (hFE, power, loop %, …).
    Other,
}

/// Units of a reading's value, in base units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Unit {
    /// Ohm.
    #[serde(rename = "ohm")]
    Ohm,
    /// Volt.
    #[serde(rename = "V")]
    Volt,
    /// Ampere.
    #[serde(rename = "A")]
    Ampere,
    /// Farad.
    #[serde(rename = "F")]
    Farad,
    /// Hertz.
    #[serde(rename = "Hz")]
    Hertz,
    /// Percent.
    #[serde(rename = "%")]
    Percent,
    /// Degrees Celsius.
    #[serde(rename = "°C")]
    Celsius,
    /// Degrees Fahrenheit.
    #[serde(rename = "°F")]
    Fahrenheit,
    /// No unit.
    #[serde(rename = "")]
    None,
}

/// One decoded reading.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MeterReading {
    /// Value in base units (Ω, V, A, F, Hz); `None` for OL.
    pub value: Option<f64>,
    /// Unit of `value`.
    pub unit: Unit,
    /// What the dial is set to.
    pub mode: Mode,
    /// True when the meter shows OL.
    pub overload: bool,
    /// Display flags as upper-case words: AUTO, HOLD, REL, MAX, MIN, DC, AC, BATT, …
    pub flags: Vec<&'static str>,
}

impl MeterReading {
    /// The reading as a resistance, if the meter is in Ω mode (OL → open).
    pub fn as_resistance(&self) -> Option<crate::model::Reading> {
        use crate::model::Reading;
        let reading = match (self.overload, self.value) {
            (false, Some(v)) => Reading::Ohms(v),
            _ => Reading::Open,
        };
        (self.mode == Mode::Resistance).then_some(reading)
    }
}

/// A streaming packet decoder for one chip family.
pub trait Decoder: Send {
    /// Feeds bytes as they arrive; returns every complete valid packet decoded.
    fn push(&mut self, bytes: &[u8]) -> Vec<MeterReading>;
}
