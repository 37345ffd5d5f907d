//! A simulated entrance: one matrix of handsets (diode + series resistance, each a little
//! different, of one or two models), the wire of each line between its switch terminal and
//! its flats, the injected handset and line faults, and a simulated meter whose every reading
//! comes from a nonlinear solve of the whole network. Ghosts and sneak paths are whatever the
//! solve gives; there is no rule for them here. Which effects are on is `Physics`.
//!
//! Deterministic for a seed. The constants below describe this simulator's handsets only;
//! the diagnosis engine must never use them.

use super::Probe;
use super::circuit::{Branch, Element, Network, THERMAL_VOLTAGE};
use super::meter::{MeterSpec, RawReading};
use super::physics::{
    Physics, SECOND_MODEL_IDEALITY, SECOND_MODEL_IS, SecondModel, WIRE_OHMS, draw_field_noise,
    draw_second_model,
};
use super::rng::SimRng;
use crate::model::Fault;
use crate::model::{LineKind, Measurement, Reading, Sweep, Terminal};
use crate::profile::{Layout, LineLabels};
use serde::Serialize;

/// What is wrong with one handset (or that there is none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandsetFault {
    /// Shorted handset or drop wire: a bidirectional resistance of 0.5–200 Ω.
    Short,
    /// Handset wired the wrong way round: diode anode on the units line.
    Reversed,
    /// Healthy handset bridged by a leakage resistance of 5 kΩ–2 MΩ.
    Leak,
    /// Diode with a series resistance of several to tens of kΩ (bad contact).
    HighResistance,
    /// No handset at all on this flat (not a fault for the diagnosis: an absent flat).
    Absent,
    /// A healthy handset on this flat whatever the occupancy (not a fault: for comparing a
    /// sweep with and without a fault on the same handset).
    Healthy,
}

impl HandsetFault {
    /// The diagnosis fault this corresponds to; `None` for an absent handset.
    pub fn fault(self) -> Option<Fault> {
        match self {
            HandsetFault::Short => Some(Fault::Short),
            HandsetFault::Reversed => Some(Fault::Reversed),
            HandsetFault::Leak => Some(Fault::Leak),
            HandsetFault::HighResistance => Some(Fault::HighResistance),
            HandsetFault::Absent | HandsetFault::Healthy => None,
        }
    }

    /// Every handset fault that is a fault (not `Absent`).
    pub const FAULTS: [HandsetFault; 4] = [
        HandsetFault::Short,
        HandsetFault::Reversed,
        HandsetFault::Leak,
        HandsetFault::HighResistance,
    ];
}

/// One injected fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultSpec {
    /// A handset fault at an apartment of this matrix.
    Handset {
        /// The apartment.
        apartment: u32,
        /// What is wrong.
        fault: HandsetFault,
    },
    /// A tens or units line cut between the switch terminal and the riser.
    BusOpen {
        /// The line.
        line: Terminal,
    },
    /// Two tens lines or two units lines touching (low resistance between their terminals).
    BusShort {
        /// One line.
        a: Terminal,
        /// The other line, of the same kind.
        b: Terminal,
    },
}

/// Why a scenario cannot be simulated, or a `--fault` cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// A `--fault` value that cannot be read.
    #[error("fault '{text}': {problem}")]
    BadFault {
        /// The text as given.
        text: String,
        /// What is wrong and what was expected.
        problem: String,
    },
    /// A handset fault at an apartment that is not on the simulated matrix.
    #[error(
        "fault at apartment {apartment}: that flat is not wired to this matrix; check --apartments, --offset and --matrix"
    )]
    NotOnMatrix {
        /// The apartment.
        apartment: u32,
    },
    /// Two faults for the same apartment or line.
    #[error("two faults given for {what}; give at most one fault per apartment or line")]
    Duplicate {
        /// The apartment or line, as written.
        what: String,
    },
    /// A line outside the matrix.
    #[error("line {index} of the {kind} block is not on this matrix")]
    NoSuchLine {
        /// `tens` or `units`.
        kind: &'static str,
        /// 0-based position.
        index: u16,
    },
    /// Occupancy outside 0–1.
    #[error("occupancy '{value}' is not a fraction; expected a number from 0 to 1, like 0.9")]
    Occupancy {
        /// The value.
        value: f64,
    },
    /// Meter settings that no meter has.
    #[error("meter {what} '{value}' is out of range; expected {expected}")]
    Meter {
        /// Which setting.
        what: &'static str,
        /// The value.
        value: f64,
        /// What is accepted.
        expected: &'static str,
    },
}

const FAULT_SYNTAX: &str = "write APARTMENT:short|reversed|leak|high_resistance|absent|healthy (e.g. 45:short), LINE:open (e.g. D7:open) or LINE-LINE:short (e.g. D3-D4:short)";

/// Parses one `--fault` value against the matrix's terminal labels: `45:short`,
/// `45:high_resistance`, `45:absent`, `D7:open`, `D3-D4:short`.
pub fn parse_fault(text: &str, labels: &LineLabels) -> Result<FaultSpec, SimError> {
    let bad = |problem: String| SimError::BadFault {
        text: text.to_string(),
        problem,
    };
    let Some((subject, kind)) = text.trim().rsplit_once(':') else {
        return Err(bad(format!("missing ':'; {FAULT_SYNTAX}")));
    };
    let (subject, kind) = (
        subject.trim(),
        kind.trim().to_ascii_lowercase().replace('-', "_"),
    );
    if let Ok(apartment) = subject.parse::<u32>() {
        let fault = match kind.as_str() {
            "short" => HandsetFault::Short,
            "reversed" => HandsetFault::Reversed,
            "leak" => HandsetFault::Leak,
            "high_resistance" => HandsetFault::HighResistance,
            "absent" => HandsetFault::Absent,
            "healthy" => HandsetFault::Healthy,
            other => {
                return Err(bad(format!(
                    "unknown handset fault '{other}'; expected short, reversed, leak, high_resistance, absent or healthy"
                )));
            }
        };
        if apartment == 0 {
            return Err(bad("apartment numbers start at 1".into()));
        }
        return Ok(FaultSpec::Handset { apartment, fault });
    }
    let terminal = |t: &str| {
        labels.parse(t).ok_or_else(|| {
            bad(format!(
                "'{t}' is neither an apartment number nor a terminal ({}); {FAULT_SYNTAX}",
                labels.expected()
            ))
        })
    };
    if let Some((a, b)) = subject.split_once('-') {
        let (a, b) = (terminal(a.trim())?, terminal(b.trim())?);
        if kind != "short" {
            return Err(bad(format!(
                "two lines can only be shorted, not '{kind}'; write it like D3-D4:short"
            )));
        }
        if a == b {
            return Err(bad(
                "a line cannot be shorted to itself; name two lines".into()
            ));
        }
        if a.kind != b.kind {
            return Err(bad(
                "a tens line touching a units line is a shorted crossing; write the apartment instead, like 45:short"
                    .into(),
            ));
        }
        let (a, b) = if a.index <= b.index { (a, b) } else { (b, a) };
        return Ok(FaultSpec::BusShort { a, b });
    }
    let line = terminal(subject)?;
    if kind != "open" {
        return Err(bad(format!(
            "a single line can only be open, not '{kind}'; write it like D7:open, or D3-D4:short for two lines"
        )));
    }
    Ok(FaultSpec::BusOpen { line })
}

/// Everything that defines one simulated entrance. Equal scenarios give equal sweeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Profile, switch, matrix, offset and which apartments are wired.
    pub layout: Layout,
    /// Fraction (0–1) of wired flats that have a handset.
    pub occupancy: f64,
    /// Injected faults; faulted flats always have a handset (except `absent`).
    pub faults: Vec<FaultSpec>,
    /// The meter.
    pub meter: MeterSpec,
    /// Which physical effects of real entrances are on.
    pub physics: Physics,
    /// Seed of every random choice (handsets, fault values, occupancy, wiring, noise).
    pub seed: u64,
    /// Faults whose values (a short's or a leak's resistance, a bad contact's resistance and
    /// diode) are drawn as if at another apartment's crossing, `(apartment, as_at)`: the same
    /// fault on another crossing, for comparing one explanation of a sweep with another (the
    /// accuracy bench). Empty everywhere else.
    pub values_as_at: Vec<(u32, u32)>,
}

impl Scenario {
    /// A scenario with 90 % occupancy, no faults, the default meter, the lab physics (set
    /// `physics` to `Physics::field()` for every effect of real entrances) and seed 0.
    pub fn new(layout: Layout) -> Self {
        Scenario {
            layout,
            occupancy: 0.9,
            faults: Vec::new(),
            meter: MeterSpec::default(),
            physics: Physics::lab(),
            seed: 0,
            values_as_at: Vec::new(),
        }
    }
}

/// One injected fault as the diagnosis should report it; the JSON shape matches the
/// findings of `kmdiag diagnose --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TruthFinding {
    /// A faulty handset.
    Handset {
        /// Its apartment.
        apartment: u32,
        /// Its tens line, as printed (`D4`).
        tens: String,
        /// Its units line, as printed (`E7`).
        units: String,
        /// The fault.
        fault: Fault,
        /// The resistance that makes it faulty (short, leak or series), Ω; none for reversed.
        #[serde(skip_serializing_if = "Option::is_none")]
        ohms: Option<f64>,
    },
    /// A faulty line.
    Bus {
        /// The line (`D7`); for a short, the lower of the two.
        bus: String,
        /// The other line of a short.
        other: Option<String>,
        /// `open` or `short`.
        fault: Fault,
        /// Resistance of a short, Ω.
        #[serde(skip_serializing_if = "Option::is_none")]
        ohms: Option<f64>,
    },
}

/// What was really wrong with a simulated entrance, for tests and benchmarks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truth {
    /// Profile name.
    pub profile: String,
    /// Switch model.
    pub switch: String,
    /// Matrix (hundred), from 1.
    pub matrix: u16,
    /// Offset.
    pub offset: i64,
    /// Seed.
    pub seed: u64,
    /// Occupancy asked for.
    pub occupancy: f64,
    /// The meter, with the noise it was given (drawn from the seed under field noise).
    pub meter: MeterSpec,
    /// The physical effects simulated.
    pub physics: Physics,
    /// Handsets present.
    pub handsets: usize,
    /// Injected faults: handsets by apartment, lines by label.
    pub findings: Vec<TruthFinding>,
    /// Wired flats without a handset, ascending.
    pub absent: Vec<u32>,
    /// The wire of each line between its switch terminal and its flats (with wiring on).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub wiring: Vec<LineWire>,
    /// The entrance's second handset model, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_model: Option<SecondModel>,
    /// Flats whose handset is of the second model, ascending.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub second_model_flats: Vec<u32>,
}

/// One line's wire between its switch terminal and its flats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineWire {
    /// The line, as printed (`D4`).
    pub line: String,
    /// Its resistance, Ω.
    pub ohms: f64,
}

impl Truth {
    /// True when nothing was injected.
    pub fn is_healthy(&self) -> bool {
        self.findings.is_empty()
    }
}

/// A simulated entrance with its meter. Implements [`Probe`].
#[derive(Debug, Clone)]
pub struct SimEntrance {
    labels: LineLabels,
    tens: u16,
    units: u16,
    meter: MeterSpec,
    /// Largest probe contact resistance of a reading, Ω.
    contact_ohms: f64,
    network: Network,
    noise: SimRng,
    /// Raw readings already solved, by terminal pair: the physics of a pair does not change
    /// between measurements, only the noise does.
    cache: Vec<Option<Option<RawReading>>>,
    /// Apartment → index of its handset's branch in the network, and whether it is fitted
    /// from its tens line to its units line.
    handsets: Vec<Placed>,
    truth: Truth,
}

/// Where one apartment's handset is in the network.
#[derive(Debug, Clone, Copy)]
struct Placed {
    apartment: u32,
    /// Index of its element.
    element: usize,
    /// Its element runs from its tens line's node to its units line's (false: reversed).
    tens_to_units: bool,
}

/// A handset as fitted between its crossing's two lines, whatever network nodes those lines'
/// flats hang on: a cut line's flats hang on a node of their own (without wiring, a whole
/// line's flats are on its terminal), so the same handset in an entrance with the line cut
/// and in one with it whole is the same `Fitted` but not the same `Element`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fitted {
    /// What it is (diode and series resistance, leak, or a short's resistor).
    pub branch: Branch,
    /// It conducts from its tens line to its units line (false: fitted the wrong way round).
    pub tens_to_units: bool,
}

// Healthy handsets of this simulator: a small silicon diode in series with the handset's
// resistance. Flats buy their own handsets, so one riser holds several models and ages: each
// handset draws its own saturation current and ideality, so that it drops 0.5–0.76 V at 1 mA
// and leaks only picoamperes backwards, as real junctions do at a few volts. Healthy forward
// readings then spread with a relative standard deviation of 7–8 %, as in the independent
// reference model's healthy entrances (tests/fixtures/reference-sweeps: 7–9 %).
const IS_RANGE: (f64, f64) = (1e-11, 3e-10);
const IDEALITY_RANGE: (f64, f64) = (1.3, 1.6);
const MODEL_SERIES_OHMS: (f64, f64) = (50.0, 120.0);
const UNIT_SPREAD: (f64, f64) = (0.8, 1.25);
// Faults (domain.md §5).
const SHORT_OHMS: (f64, f64) = (0.5, 200.0);
const LEAK_OHMS: (f64, f64) = (5e3, 2e6);
const HIGH_SERIES_OHMS: (f64, f64) = (3e3, 40e3);
const BUS_SHORT_OHMS: (f64, f64) = (0.3, 30.0);
/// Conductance from every node to the reference: 1 TΩ, far above any meter range.
const GMIN: f64 = 1e-12;
/// Probe contact resistance a simulation accepts, Ω: beyond this the probes are not on the
/// terminal (issue 12 measured up to about 1 Ω).
const MAX_CONTACT_OHMS: f64 = 10.0;
/// Display counts a simulated meter may have: from a 3-digit to a 6½-digit display.
const COUNTS: (u32, u32) = (1000, 2_000_000);

fn diode(rng: &mut SimRng, series: f64) -> Branch {
    Branch::Diode {
        is: rng.log_uniform(IS_RANGE.0, IS_RANGE.1),
        nvt: rng.uniform(IDEALITY_RANGE.0, IDEALITY_RANGE.1) * THERMAL_VOLTAGE,
        r: series.max(1.0),
        leak: 0.0,
    }
}

impl SimEntrance {
    /// Builds the entrance of a scenario, in steps: check the meter and physics, index the
    /// faults against the layout, draw the lines' wires, place the handsets, the bus faults
    /// and the wires in the network, and write down what was injected.
    pub fn new(scenario: &Scenario) -> Result<SimEntrance, SimError> {
        check_settings(scenario)?;
        let (layout, physics, seed) = (&scenario.layout, scenario.physics, scenario.seed);
        let mut meter = scenario.meter;
        if physics.field_noise {
            meter.noise = draw_field_noise(&mut SimRng::stream(seed, 7));
        }
        let faults = Faults::index(scenario)?;
        let risers = Risers::draw(&faults.open, physics.wiring, layout.tens(), seed);
        let mut built = Built::default();
        built.place_handsets(scenario, &faults.handset, &risers);
        built.note_open_lines(layout, &faults.open, &risers);
        built.place_bus_shorts(scenario, &faults.shorts, &risers);
        built.place_wires(&faults.open, &risers);
        let lines = risers.riser.len();
        let (elements, handsets, truth) = built.finish(scenario, meter, &risers);
        Ok(SimEntrance {
            labels: layout.labels.clone(),
            tens: layout.tens(),
            units: layout.units(),
            meter,
            contact_ohms: physics.contact_ohms,
            network: Network::new(risers.nodes, elements, GMIN),
            noise: SimRng::stream(seed, 3),
            cache: vec![None; lines * lines],
            handsets,
            truth,
        })
    }

    /// What was really injected.
    pub fn truth(&self) -> &Truth {
        &self.truth
    }

    /// The meter.
    pub fn meter(&self) -> &MeterSpec {
        &self.meter
    }

    fn node(&self, t: Terminal) -> Option<usize> {
        match t.kind {
            LineKind::Tens => (t.index < self.tens).then_some(t.index as usize),
            LineKind::Units => {
                (t.index < self.units).then_some(self.tens as usize + t.index as usize)
            }
        }
    }

    /// The meter's reading before noise and display rounding (`None` = OL), for tests that
    /// check the physics.
    pub fn raw(&mut self, plus: Terminal, minus: Terminal) -> Option<RawReading> {
        let (p, m) = (self.node(plus)?, self.node(minus)?);
        let lines = self.tens as usize + self.units as usize;
        let slot = p * lines + m;
        if let Some(Some(cached)) = self.cache.get(slot) {
            return *cached;
        }
        let raw = if p == m {
            Some(RawReading {
                ohms: 0.0,
                range: 0,
            })
        } else {
            self.meter.raw(&mut self.network, p, m)
        };
        if let Some(c) = self.cache.get_mut(slot) {
            *c = Some(raw);
        }
        raw
    }

    /// The meter's reading on range `range` or above, solved afresh (not cached: a display
    /// overflowing its range is rare).
    fn on_range(&mut self, plus: Terminal, minus: Terminal, range: u8) -> Option<RawReading> {
        let (p, m) = (self.node(plus)?, self.node(minus)?);
        self.meter.from_range(&mut self.network, p, m, range, false)
    }

    /// Measures every D×E crossing forward (red on D) then reverse, tens-major, and, with
    /// `bus_checks`, every D–D and E–E pair once (red on the lower-numbered line).
    pub fn sweep(&mut self, bus_checks: bool) -> Sweep {
        let mut sweep = Sweep::new(self.tens, self.units);
        let mut put = |s: &mut Self, plus: Terminal, minus: Terminal| {
            let reading = s.measure(plus, minus);
            // Both terminals are on the matrix by construction, so recording cannot fail.
            let _ = sweep.record(Measurement {
                plus,
                minus,
                reading,
            });
        };
        for t in 0..self.tens {
            for u in 0..self.units {
                put(self, Terminal::tens(t), Terminal::units(u));
                put(self, Terminal::units(u), Terminal::tens(t));
            }
        }
        if bus_checks {
            for a in 0..self.tens {
                for b in a + 1..self.tens {
                    put(self, Terminal::tens(a), Terminal::tens(b));
                }
            }
            for a in 0..self.units {
                for b in a + 1..self.units {
                    put(self, Terminal::units(a), Terminal::units(b));
                }
            }
        }
        sweep
    }

    /// The branch of an apartment's handset (`None` without one): for tests that work a
    /// reading out by hand.
    pub fn handset(&self, apartment: u32) -> Option<Element> {
        let placed = self.handsets.iter().find(|p| p.apartment == apartment)?;
        self.network.elements().get(placed.element).copied()
    }

    /// An apartment's handset as fitted between its lines (`None` without one): for
    /// comparing a handset in two entrances whose lines may sit on different nodes.
    pub fn fitted(&self, apartment: u32) -> Option<Fitted> {
        let placed = self.handsets.iter().find(|p| p.apartment == apartment)?;
        let element = self.network.elements().get(placed.element)?;
        Some(Fitted {
            branch: element.branch,
            tens_to_units: placed.tens_to_units,
        })
    }
}

/// Refuses a meter or physics a simulation cannot stand for, saying which value and what is
/// accepted.
fn check_settings(scenario: &Scenario) -> Result<(), SimError> {
    let (meter, physics) = (&scenario.meter, &scenario.physics);
    if !(0.0..=1.0).contains(&scenario.occupancy) {
        return Err(SimError::Occupancy {
            value: scenario.occupancy,
        });
    }
    let refuse = |what: &'static str, value: f64, expected: &'static str| {
        Err(SimError::Meter {
            what,
            value,
            expected,
        })
    };
    if !(meter.test_current_amps > 1e-7 && meter.test_current_amps <= 0.1) {
        return refuse(
            "test current",
            meter.test_current_amps,
            "100 nA to 100 mA, e.g. 1mA",
        );
    }
    if !(meter.compliance_volts >= 0.5 && meter.compliance_volts <= 50.0) {
        return refuse(
            "compliance",
            meter.compliance_volts,
            "0.5 V to 50 V, e.g. 2.8V",
        );
    }
    if !(meter.headroom_volts >= 0.0 && meter.headroom_volts < meter.compliance_volts) {
        return refuse(
            "headroom",
            meter.headroom_volts,
            "0 V or more, below the compliance voltage",
        );
    }
    if !(0.0..0.5).contains(&meter.noise) {
        return refuse("noise", meter.noise, "a fraction from 0 to 0.5");
    }
    if !(COUNTS.0..=COUNTS.1).contains(&meter.counts) {
        return refuse(
            "display counts",
            meter.counts as f64,
            "1000 to 2000000, e.g. 2000, 4000, 6000 or 22000",
        );
    }
    if !(0.0..=MAX_CONTACT_OHMS).contains(&physics.contact_ohms) {
        return refuse(
            "probe contact resistance",
            physics.contact_ohms,
            "0 to 10 ohms, e.g. 1",
        );
    }
    Ok(())
}

/// A scenario's faults, checked against its layout and indexed for placing.
struct Faults {
    /// Each crossing's handset fault (tens-major).
    handset: Vec<Option<HandsetFault>>,
    /// Each line's cut, by node (tens first, then units).
    open: Vec<bool>,
    /// Bus shorts, each pair ordered and once.
    shorts: Vec<(Terminal, Terminal)>,
}

impl Faults {
    /// Indexes the scenario's faults; refuses an apartment off the matrix, a line the switch
    /// does not have, a short that is not between two lines of one block, and duplicates.
    fn index(scenario: &Scenario) -> Result<Faults, SimError> {
        let layout = &scenario.layout;
        let labels = &layout.labels;
        let (tens, units) = (layout.tens(), layout.units());
        let mut faults = Faults {
            handset: vec![None; tens as usize * units as usize],
            open: vec![false; tens as usize + units as usize],
            shorts: Vec::new(),
        };
        for f in &scenario.faults {
            match *f {
                FaultSpec::Handset { apartment, fault } => {
                    let cell = layout
                        .cell_of(apartment)
                        .ok_or(SimError::NotOnMatrix { apartment })?;
                    let slot = &mut faults.handset
                        [cell.tens as usize * units as usize + cell.units as usize];
                    if slot.is_some() {
                        return Err(SimError::Duplicate {
                            what: format!("apartment {apartment}"),
                        });
                    }
                    *slot = Some(fault);
                }
                FaultSpec::BusOpen { line } => {
                    check_line(line, tens, units)?;
                    if faults.open[node_of(line, tens)] {
                        return Err(SimError::Duplicate {
                            what: labels.label(line).to_string(),
                        });
                    }
                    faults.open[node_of(line, tens)] = true;
                }
                FaultSpec::BusShort { a, b } => {
                    check_line(a, tens, units)?;
                    check_line(b, tens, units)?;
                    let (a, b) = if (a.kind, a.index) <= (b.kind, b.index) {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    if a == b || a.kind != b.kind {
                        return Err(SimError::BadFault {
                            text: format!("{}-{}:short", labels.label(a), labels.label(b)),
                            problem: "a bus short joins two different lines of the same block"
                                .into(),
                        });
                    }
                    if faults.shorts.contains(&(a, b)) {
                        return Err(SimError::Duplicate {
                            what: format!("{}-{}", labels.label(a), labels.label(b)),
                        });
                    }
                    faults.shorts.push((a, b));
                }
            }
        }
        Ok(faults)
    }
}

/// The network's nodes: one per switch terminal (0..lines). With wiring, each line's riser,
/// where its flats hang, is a node of its own behind the line's wire; without, the terminal is
/// the riser. A broken line is its wire cut: its riser is joined to nothing but its handsets.
struct Risers {
    /// Each line's riser node, by line node.
    riser: Vec<usize>,
    /// Nodes in all.
    nodes: usize,
    /// Each line's wire (with wiring on): its node and resistance, Ω.
    wires: Vec<(usize, f64)>,
    /// Tens lines on the switch (the units' nodes follow them).
    tens: u16,
}

impl Risers {
    /// Draws every line's wire and gives each line its riser.
    fn draw(open: &[bool], wiring: bool, tens: u16, seed: u64) -> Risers {
        let lines = open.len();
        let mut risers = Risers {
            riser: (0..lines).collect(),
            nodes: lines,
            wires: Vec::new(),
            tens,
        };
        let mut wire_rng = SimRng::stream(seed, 4);
        for (n, is_open) in open.iter().enumerate() {
            // Drawn for every line whatever is on, so one switch leaves the others' values.
            let ohms = wire_rng.uniform(WIRE_OHMS.0, WIRE_OHMS.1);
            if wiring || *is_open {
                risers.riser[n] = risers.nodes;
                risers.nodes += 1;
            }
            if wiring {
                risers.wires.push((n, ohms));
            }
        }
        risers
    }

    /// The riser node of a line.
    fn of(&self, t: Terminal) -> usize {
        self.riser[node_of(t, self.tens)]
    }
}

/// One flat's handset as its cell draws it, whether the flat has one or not: drawing every
/// cell's values keeps every other handset as it was when one flat's fault or the occupancy
/// changes.
struct Unit {
    /// The flat has a handset (before any fault says otherwise).
    present: bool,
    /// Its healthy branch, of whichever model it is.
    healthy: Branch,
    /// It is of the entrance's second model.
    is_second: bool,
}

impl Unit {
    /// Draws the next cell's handset: presence, the first model's unit and the second's.
    fn draw(
        occupancy: f64,
        model_series: f64,
        second: Option<SecondModel>,
        (handsets_rng, second_rng): (&mut SimRng, &mut SimRng),
    ) -> Unit {
        let present = handsets_rng.unit() < occupancy;
        let spread = handsets_rng.uniform(UNIT_SPREAD.0, UNIT_SPREAD.1);
        let first_model = diode(handsets_rng, model_series * spread);
        let pick = second_rng.unit();
        let second_model = Branch::Diode {
            is: second_rng.log_uniform(SECOND_MODEL_IS.0, SECOND_MODEL_IS.1),
            nvt: second_rng.uniform(SECOND_MODEL_IDEALITY.0, SECOND_MODEL_IDEALITY.1)
                * THERMAL_VOLTAGE,
            // The first model's series resistance of this unit plus the second model's
            // extra: +100–350 Ω as issue 12 measured, not scaled again by the unit.
            r: (model_series * spread + second.map_or(0.0, |m| m.extra_ohms)).max(1.0),
            leak: 0.0,
        };
        let is_second = second.is_some_and(|m| pick < m.share);
        Unit {
            present,
            healthy: if is_second { second_model } else { first_model },
            is_second,
        }
    }

    /// The branch this handset puts from `d` to `e` under `fault`, with the fault's drawn
    /// resistance (from `rng`, the crossing's own stream); None when the flat has no handset.
    fn element(
        &self,
        fault: Option<HandsetFault>,
        (d, e): (usize, usize),
        rng: &mut SimRng,
    ) -> Option<(Element, Option<f64>)> {
        let forward = |branch: Branch| Element { a: d, b: e, branch };
        Some(match fault {
            None if self.present => (forward(self.healthy), None),
            Some(HandsetFault::Healthy) => (forward(self.healthy), None),
            None | Some(HandsetFault::Absent) => return None,
            Some(HandsetFault::Short) => {
                let r = rng.log_uniform(SHORT_OHMS.0, SHORT_OHMS.1);
                (forward(Branch::Resistor { g: 1.0 / r }), Some(r))
            }
            Some(HandsetFault::Reversed) => (
                Element {
                    a: e,
                    b: d,
                    branch: self.healthy,
                },
                None,
            ),
            Some(HandsetFault::Leak) => {
                let r = rng.log_uniform(LEAK_OHMS.0, LEAK_OHMS.1);
                let branch = match self.healthy {
                    Branch::Diode { is, nvt, r: rs, .. } => Branch::Diode {
                        is,
                        nvt,
                        r: rs,
                        leak: 1.0 / r,
                    },
                    other => other,
                };
                (forward(branch), Some(r))
            }
            Some(HandsetFault::HighResistance) => {
                let r = rng.log_uniform(HIGH_SERIES_OHMS.0, HIGH_SERIES_OHMS.1);
                (forward(diode(rng, r)), Some(r))
            }
        })
    }
}

/// What building an entrance gathers step by step: the network's elements and what was
/// injected.
#[derive(Default)]
struct Built {
    elements: Vec<Element>,
    findings: Vec<TruthFinding>,
    /// Flats with no handset.
    absent: Vec<u32>,
    /// Where each apartment's handset is.
    placed: Vec<Placed>,
    second: Option<SecondModel>,
    /// Flats whose handset is of the second model.
    second_flats: Vec<u32>,
}

impl Built {
    /// Draws a handset for every flat (of one of the entrance's models) and places it, faulty
    /// or not, between its lines' risers.
    fn place_handsets(
        &mut self,
        scenario: &Scenario,
        faults: &[Option<HandsetFault>],
        risers: &Risers,
    ) {
        let (layout, seed) = (&scenario.layout, scenario.seed);
        let units = layout.units();
        self.second = draw_second_model(
            scenario.physics.mixed_handsets,
            &mut SimRng::stream(seed, 5),
        );
        let mut second_rng = SimRng::stream(seed, 6);
        let mut handsets_rng = SimRng::stream(seed, 1);
        let model_series = handsets_rng.uniform(MODEL_SERIES_OHMS.0, MODEL_SERIES_OHMS.1);
        for cell in layout.cells() {
            let unit = Unit::draw(
                scenario.occupancy,
                model_series,
                self.second,
                (&mut handsets_rng, &mut second_rng),
            );
            let Some(apartment) = layout.apartment(cell) else {
                continue;
            };
            let fault = faults[cell.tens as usize * units as usize + cell.units as usize];
            // Each fault draws its values from a stream of its own crossing, so adding or
            // removing one fault leaves the others' values as they were (or of the crossing
            // the scenario says it is drawn as at).
            let drawn_at = (scenario.values_as_at.iter())
                .find(|(a, _)| *a == apartment)
                .and_then(|(_, at)| layout.cell_of(*at))
                .unwrap_or(cell);
            let mut faults_rng = SimRng::stream(
                seed,
                0x1_0000 + drawn_at.tens as u64 * units as u64 + drawn_at.units as u64,
            );
            let (d, e) = (
                risers.of(Terminal::tens(cell.tens)),
                risers.of(Terminal::units(cell.units)),
            );
            let Some((element, ohms)) = unit.element(fault, (d, e), &mut faults_rng) else {
                self.absent.push(apartment);
                continue;
            };
            self.placed.push(Placed {
                apartment,
                element: self.elements.len(),
                tens_to_units: element.a == d,
            });
            self.elements.push(element);
            if unit.is_second {
                self.second_flats.push(apartment);
            }
            if let Some(fault) = fault.and_then(HandsetFault::fault) {
                let (t, u) = layout.labels.cell(cell);
                self.findings.push(TruthFinding::Handset {
                    apartment,
                    tens: t.to_string(),
                    units: u.to_string(),
                    fault,
                    ohms,
                });
            }
        }
    }

    /// Writes down every cut line (its wire is left out by `place_wires`).
    fn note_open_lines(&mut self, layout: &Layout, open: &[bool], risers: &Risers) {
        for (n, is_open) in open.iter().enumerate() {
            if *is_open {
                let line = terminal_of(n, risers.tens);
                self.findings.push(TruthFinding::Bus {
                    bus: layout.labels.label(line).to_string(),
                    other: None,
                    fault: Fault::Open,
                    ohms: None,
                });
            }
        }
    }

    /// Places every bus short: touching wires (or a handset across two lines) are out in the
    /// riser, behind the lines' wires; without wiring, on the terminals.
    fn place_bus_shorts(
        &mut self,
        scenario: &Scenario,
        shorts: &[(Terminal, Terminal)],
        risers: &Risers,
    ) {
        let labels = &scenario.layout.labels;
        let at = |t: Terminal| {
            if scenario.physics.wiring {
                risers.of(t)
            } else {
                node_of(t, risers.tens)
            }
        };
        for &(a, b) in shorts {
            let mut faults_rng = SimRng::stream(
                scenario.seed,
                0x100_0000 + node_of(a, risers.tens) as u64 * 4096 + node_of(b, risers.tens) as u64,
            );
            let r = faults_rng.log_uniform(BUS_SHORT_OHMS.0, BUS_SHORT_OHMS.1);
            self.elements.push(Element {
                a: at(a),
                b: at(b),
                branch: Branch::Resistor { g: 1.0 / r },
            });
            self.findings.push(TruthFinding::Bus {
                bus: labels.label(a).to_string(),
                other: Some(labels.label(b).to_string()),
                fault: Fault::Short,
                ohms: Some(r),
            });
        }
    }

    /// Places each line's wire, from its terminal to its riser; a cut line's is left out.
    fn place_wires(&mut self, open: &[bool], risers: &Risers) {
        for &(n, ohms) in &risers.wires {
            if !open[n] {
                self.elements.push(Element {
                    a: n,
                    b: risers.riser[n],
                    branch: Branch::Resistor { g: 1.0 / ohms },
                });
            }
        }
    }

    /// The network's elements, the apartments' handset elements, and the truth of what was
    /// injected.
    fn finish(
        mut self,
        scenario: &Scenario,
        meter: MeterSpec,
        risers: &Risers,
    ) -> (Vec<Element>, Vec<Placed>, Truth) {
        let layout = &scenario.layout;
        self.absent.sort_unstable();
        self.second_flats.sort_unstable();
        let truth = Truth {
            profile: layout.profile.clone(),
            switch: layout.switch.model.clone(),
            matrix: layout.matrix,
            offset: layout.offset,
            seed: scenario.seed,
            occupancy: scenario.occupancy,
            meter,
            physics: scenario.physics,
            handsets: self.placed.len(),
            findings: self.findings,
            absent: self.absent,
            wiring: (risers.wires.iter())
                .map(|&(n, ohms)| LineWire {
                    line: layout.labels.label(terminal_of(n, risers.tens)).to_string(),
                    ohms,
                })
                .collect(),
            second_model: self.second,
            second_model_flats: self.second_flats,
        };
        (self.elements, self.placed, truth)
    }
}

/// The node of a switch terminal: tens lines first, then units (the inverse of `terminal_of`).
fn node_of(t: Terminal, tens: u16) -> usize {
    match t.kind {
        LineKind::Tens => t.index as usize,
        LineKind::Units => tens as usize + t.index as usize,
    }
}

fn check_line(t: Terminal, tens: u16, units: u16) -> Result<(), SimError> {
    match t.kind {
        LineKind::Tens if t.index >= tens => Err(SimError::NoSuchLine {
            kind: "tens",
            index: t.index,
        }),
        LineKind::Units if t.index >= units => Err(SimError::NoSuchLine {
            kind: "units",
            index: t.index,
        }),
        _ => Ok(()),
    }
}

fn terminal_of(node: usize, tens: u16) -> Terminal {
    if node < tens as usize {
        Terminal::tens(node as u16)
    } else {
        Terminal::units((node - tens as usize) as u16)
    }
}

impl Probe for SimEntrance {
    fn measure(&mut self, plus: Terminal, minus: Terminal) -> Reading {
        let mut raw = self.raw(plus, minus);
        loop {
            match self.meter.display(raw, self.contact_ohms, &mut self.noise) {
                Ok(reading) => return reading,
                // Noise and contact took a ranged meter past its full scale: it reads on
                // the next range (OL past the last).
                Err(next) => raw = self.on_range(plus, minus, next),
            }
        }
    }

    fn labels(&self) -> &LineLabels {
        &self.labels
    }
}
