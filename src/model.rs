//! Plain data shared by every layer: terminals, cells, readings, measurements, sweeps and the
//! faults a handset or line can have.
//!
//! Pure: no I/O, no printing. Terminals are stored by *position* on their block (0-based);
//! how a position is printed on the board ("E0", "E10", "Д3") is the profile's business
//! (`profile::LineLabels`).

use std::fmt;

/// Which of the two big terminal blocks a terminal is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Tens line (десятки, D/Д): the handset's anode side.
    Tens,
    /// Units line (единицы, E/Е): the handset's cathode side.
    Units,
}

/// One terminal of the switch: a tens or units line, by position on its block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Terminal {
    /// Tens or units block.
    pub kind: LineKind,
    /// 0-based position on the block (not the printed number).
    pub index: u16,
}

impl Terminal {
    /// A tens-line terminal at position `index`.
    pub fn tens(index: u16) -> Self {
        Terminal {
            kind: LineKind::Tens,
            index,
        }
    }

    /// A units-line terminal at position `index`.
    pub fn units(index: u16) -> Self {
        Terminal {
            kind: LineKind::Units,
            index,
        }
    }
}

/// A crossing of one tens line and one units line: where one handset can hang.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    /// Position of the tens line.
    pub tens: u16,
    /// Position of the units line.
    pub units: u16,
}

impl Cell {
    /// The cell at tens position `tens` and units position `units`.
    pub fn new(tens: u16, units: u16) -> Self {
        Cell { tens, units }
    }
}

/// What the meter showed: a resistance in ohms, or OL (open / overload).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// A finite resistance in ohms (≥ 0).
    Ohms(f64),
    /// OL: open circuit or over the meter's range.
    Open,
}

impl Reading {
    /// The resistance, or `None` for OL.
    pub fn ohms(self) -> Option<f64> {
        match self {
            Reading::Ohms(v) => Some(v),
            Reading::Open => None,
        }
    }

    /// True for a finite reading.
    pub fn is_finite(self) -> bool {
        matches!(self, Reading::Ohms(_))
    }
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reading::Open => f.write_str("OL"),
            Reading::Ohms(v) => f.write_str(&format_ohms(*v)),
        }
    }
}

/// Formats a resistance the way a meter display would: `3.1 Ω`, `742 Ω`, `12.4 kΩ`, `1.20 MΩ`.
pub fn format_ohms(v: f64) -> String {
    let (scaled, unit) = if v >= 1e6 {
        (v / 1e6, "MΩ")
    } else if v >= 1e4 {
        (v / 1e3, "kΩ")
    } else {
        (v, "Ω")
    };
    let digits = if scaled >= 100.0 {
        0
    } else if scaled >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{scaled:.digits$}");
    format!("{text} {unit}")
}

/// One measurement: red probe (+) on `plus`, black probe (−) on `minus`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// Terminal under the red (+) probe.
    pub plus: Terminal,
    /// Terminal under the black (−) probe.
    pub minus: Terminal,
    /// What the meter showed.
    pub reading: Reading,
}

/// All measurements of one matrix: every D×E crossing in both polarities, plus any D–D and
/// E–E bus checks. A crossing that was never measured is simply absent ("not measured").
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    tens: u16,
    units: u16,
    forward: Vec<Option<Reading>>,
    reverse: Vec<Option<Reading>>,
    bus: Vec<Measurement>,
    /// Where each (plus, minus) pair sits in `bus`, so a sweep of many bus rows records in
    /// linear time.
    bus_index: std::collections::HashMap<(Terminal, Terminal), usize>,
}

impl Sweep {
    /// An empty sweep of a matrix with `tens` × `units` lines.
    pub fn new(tens: u16, units: u16) -> Self {
        let n = tens as usize * units as usize;
        Sweep {
            tens,
            units,
            forward: vec![None; n],
            reverse: vec![None; n],
            bus: Vec::new(),
            bus_index: std::collections::HashMap::new(),
        }
    }

    /// Number of tens lines.
    pub fn tens(&self) -> u16 {
        self.tens
    }

    /// Number of units lines.
    pub fn units(&self) -> u16 {
        self.units
    }

    fn slot(&self, cell: Cell) -> Option<usize> {
        (cell.tens < self.tens && cell.units < self.units)
            .then(|| cell.tens as usize * self.units as usize + cell.units as usize)
    }

    /// Records a measurement; returns the reading it replaced, if that pair was measured
    /// before (the later one wins). Terminals outside the matrix are ignored and
    /// reported back as `Err` so the caller can name them.
    pub fn record(&mut self, m: Measurement) -> Result<Option<Reading>, Measurement> {
        use LineKind::*;
        match (m.plus.kind, m.minus.kind) {
            (Tens, Units) => {
                let slot = self.slot(Cell::new(m.plus.index, m.minus.index)).ok_or(m)?;
                Ok(self.forward[slot].replace(m.reading))
            }
            (Units, Tens) => {
                let slot = self.slot(Cell::new(m.minus.index, m.plus.index)).ok_or(m)?;
                Ok(self.reverse[slot].replace(m.reading))
            }
            _ => {
                let limit = |t: Terminal| match t.kind {
                    Tens => t.index < self.tens,
                    Units => t.index < self.units,
                };
                if !limit(m.plus) || !limit(m.minus) || m.plus == m.minus {
                    return Err(m);
                }
                if let Some(&i) = self.bus_index.get(&(m.plus, m.minus)) {
                    let before = self.bus[i].reading;
                    self.bus[i].reading = m.reading;
                    return Ok(Some(before));
                }
                self.bus_index.insert((m.plus, m.minus), self.bus.len());
                self.bus.push(m);
                Ok(None)
            }
        }
    }

    /// Forward reading of a cell (red on D, black on E), or `None` if not measured.
    pub fn forward(&self, cell: Cell) -> Option<Reading> {
        self.slot(cell).and_then(|s| self.forward[s])
    }

    /// Reverse reading of a cell (red on E, black on D), or `None` if not measured.
    pub fn reverse(&self, cell: Cell) -> Option<Reading> {
        self.slot(cell).and_then(|s| self.reverse[s])
    }

    /// D–D and E–E measurements, in the order first recorded.
    pub fn bus(&self) -> &[Measurement] {
        &self.bus
    }

    /// Every cell of the matrix, tens-major.
    pub fn cells(&self) -> impl Iterator<Item = Cell> + use<> {
        let units = self.units;
        (0..self.tens).flat_map(move |t| (0..units).map(move |u| Cell::new(t, u)))
    }

    /// Every measurement in canonical order: for each cell forward then reverse, then the
    /// bus checks. This is the order sweep files are written in.
    pub fn measurements(&self) -> Vec<Measurement> {
        let mut out = Vec::new();
        for cell in self.cells() {
            let (d, e) = (Terminal::tens(cell.tens), Terminal::units(cell.units));
            if let Some(r) = self.forward(cell) {
                out.push(Measurement {
                    plus: d,
                    minus: e,
                    reading: r,
                });
            }
            if let Some(r) = self.reverse(cell) {
                out.push(Measurement {
                    plus: e,
                    minus: d,
                    reading: r,
                });
            }
        }
        out.extend(self.bus.iter().copied());
        out
    }

    /// Number of measurements recorded.
    pub fn len(&self) -> usize {
        self.forward.iter().chain(&self.reverse).flatten().count() + self.bus.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A fault, of a handset or of a line: the vocabulary the diagnosis reports and the simulator
/// injects, so neither depends on the other for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// Handset or drop wire shorted (КЗ); on a bus: two lines touching.
    Short,
    /// Handset wired the wrong way round (переполюсовка).
    Reversed,
    /// Handset conducts backwards at kΩ–MΩ (утечка).
    Leak,
    /// Handset conducts forwards far above the entrance's typical reading (плохой контакт).
    HighResistance,
    /// A line broken between the switch and the riser (обрыв линии).
    Open,
}

impl Fault {
    /// The JSON / CSV name of the fault.
    pub fn key(self) -> &'static str {
        match self {
            Fault::Short => "short",
            Fault::Reversed => "reversed",
            Fault::Leak => "leak",
            Fault::HighResistance => "high_resistance",
            Fault::Open => "open",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_measurement_of_the_same_pair_wins() {
        let mut s = Sweep::new(10, 10);
        let m = Measurement {
            plus: Terminal::tens(4),
            minus: Terminal::units(7),
            reading: Reading::Ohms(700.0),
        };
        assert_eq!(s.record(m), Ok(None));
        let m2 = Measurement {
            reading: Reading::Open,
            ..m
        };
        assert_eq!(s.record(m2), Ok(Some(Reading::Ohms(700.0))));
        assert_eq!(s.forward(Cell::new(4, 7)), Some(Reading::Open));
        assert_eq!(s.reverse(Cell::new(4, 7)), None);
    }

    #[test]
    fn terminals_outside_the_matrix_are_refused() {
        let mut s = Sweep::new(2, 10);
        let m = Measurement {
            plus: Terminal::tens(5),
            minus: Terminal::units(1),
            reading: Reading::Open,
        };
        assert!(s.record(m).is_err());
    }

    #[test]
    fn formats_like_a_meter_display() {
        assert_eq!(format_ohms(3.1), "3.10 Ω");
        assert_eq!(format_ohms(742.4), "742 Ω");
        assert_eq!(format_ohms(12_400.0), "12.4 kΩ");
        assert_eq!(format_ohms(1_200_000.0), "1.20 MΩ");
    }
}
