//! Which physical effects of real entrances a simulation includes, each switchable on its own
//! so a benchmark can measure what each one does to a diagnosis: the wire between each switch
//! terminal and its flats, a second handset model in some flats, the meter's noise as field
//! meters show it, and the resistance of the probes' contact with the terminals.
//!
//! The figures are the ones issue 12 measured on real entrances and meters (quoted at each
//! constant). Pure data and seeded draws: no I/O. The diagnosis engine must never read them.

use super::rng::SimRng;
use serde::Serialize;

/// Resistance of the wire between a line's switch terminal and its flats, Ω: 1–12 Ω (issue 12,
/// "every D and E line has 1–12 Ω of wire between its switch terminal and its flats"). About
/// 10–100 m of 0.4–0.5 mm riser conductor (0.09–0.14 Ω/m).
pub const WIRE_OHMS: (f64, f64) = (1.0, 12.0);

/// Share of entrances with a second handset model (issue 12: "a third of entrances").
pub const MIXED_ENTRANCE_CHANCE: f64 = 1.0 / 3.0;

/// Share of the flats of such an entrance that have the second model (issue 12: "10–40 %").
pub const SECOND_MODEL_SHARE: (f64, f64) = (0.10, 0.40);

/// Series resistance the second model adds to the first model's, Ω (issue 12: "+100–350 Ω
/// series resistance"). Drawn once per entrance: it is one model.
pub const SECOND_MODEL_EXTRA_OHMS: (f64, f64) = (100.0, 350.0);

/// Saturation current of the second model's diode, A. Issue 12 says only "another diode"; we
/// take a cleaner junction than the first model's: a smaller saturation current with an
/// ideality nearer 1 (below). It drops about as much at 1 mA (0.56–0.77 V) but changes its
/// drop less per decade of current (60–75 mV against 75–95 mV), so the two models' readings
/// move apart when a meter drops to a tenth of its current; and it leaks under a picoampere
/// backwards, as the field's healthy entrances show no leakage readings.
pub const SECOND_MODEL_IS: (f64, f64) = (1e-13, 1e-12);

/// Ideality factor of the second model's diode (see `SECOND_MODEL_IS`).
pub const SECOND_MODEL_IDEALITY: (f64, f64) = (1.05, 1.3);

/// Relative noise of one reading on field meters, as a standard deviation (issue 12:
/// "0.05–1.2 % relative noise per reading"). Drawn per entrance (it is the meter's) on a log
/// scale: every decade of meter quality is as likely as another.
pub const FIELD_NOISE: (f64, f64) = (0.0005, 0.012);

/// Largest resistance of the probes' contact with the terminals, Ω (issue 12: "up to about
/// 1 Ω of probe contact resistance"): each placement of the probes draws its own, 0 to this.
pub const FIELD_CONTACT_OHMS: f64 = 1.0;

/// Whether an entrance has a second handset model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MixedHandsets {
    /// Every handset is of the one model.
    Off,
    /// As in the field: a third of entrances (chosen by the seed) have a second model.
    Field,
    /// This entrance has a second model in 10–40 % of its flats.
    On,
}

/// The physical effects a simulation includes. `lab()` is the simulator before issue 12 (the
/// same sweeps for the same seed); `field()` has every effect on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Physics {
    /// Each line has 1–12 Ω of wire between its switch terminal and its flats; a broken line
    /// is that wire cut. Off: terminal and riser are one node.
    pub wiring: bool,
    /// A second handset model in some flats.
    pub mixed_handsets: MixedHandsets,
    /// The meter's noise is drawn from the field's range (0.05–1.2 %) by the seed, instead of
    /// the meter's own `noise`.
    pub field_noise: bool,
    /// Largest probe contact resistance of a reading, Ω (0: ideal probes).
    pub contact_ohms: f64,
}

impl Physics {
    /// The simulator's physics before issue 12: no wiring, one handset model, the meter's own
    /// noise, ideal probes.
    pub fn lab() -> Self {
        Physics {
            wiring: false,
            mixed_handsets: MixedHandsets::Off,
            field_noise: false,
            contact_ohms: 0.0,
        }
    }

    /// Every effect measured in real entrances (issue 12).
    pub fn field() -> Self {
        Physics {
            wiring: true,
            mixed_handsets: MixedHandsets::Field,
            field_noise: true,
            contact_ohms: FIELD_CONTACT_OHMS,
        }
    }

    /// True when nothing beyond the lab physics is on.
    pub fn is_lab(&self) -> bool {
        *self == Physics::lab()
    }
}

impl Default for Physics {
    fn default() -> Self {
        Physics::lab()
    }
}

/// The second handset model of an entrance, when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SecondModel {
    /// Share of flats that have it.
    pub share: f64,
    /// Series resistance it adds to the first model's, Ω.
    pub extra_ohms: f64,
}

/// Draws whether an entrance has a second handset model, and which.
pub fn draw_second_model(mixed: MixedHandsets, rng: &mut SimRng) -> Option<SecondModel> {
    // Draw everything first, so the stream does not depend on the choice.
    let chance = rng.unit();
    let share = rng.uniform(SECOND_MODEL_SHARE.0, SECOND_MODEL_SHARE.1);
    let extra_ohms = rng.uniform(SECOND_MODEL_EXTRA_OHMS.0, SECOND_MODEL_EXTRA_OHMS.1);
    let mixed = match mixed {
        MixedHandsets::Off => false,
        MixedHandsets::On => true,
        MixedHandsets::Field => chance < MIXED_ENTRANCE_CHANCE,
    };
    mixed.then_some(SecondModel { share, extra_ohms })
}

/// Draws a field meter's relative noise (standard deviation).
pub fn draw_field_noise(rng: &mut SimRng) -> f64 {
    rng.log_uniform(FIELD_NOISE.0, FIELD_NOISE.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_third_of_field_entrances_are_mixed_and_on_always_is() {
        let mut mixed = 0;
        for seed in 0..3000 {
            let mut rng = SimRng::new(seed);
            if let Some(m) = draw_second_model(MixedHandsets::Field, &mut rng) {
                mixed += 1;
                assert!((0.1..0.4).contains(&m.share), "{m:?}");
                assert!((100.0..350.0).contains(&m.extra_ohms), "{m:?}");
            }
            let mut rng = SimRng::new(seed);
            assert!(draw_second_model(MixedHandsets::On, &mut rng).is_some());
            let mut rng = SimRng::new(seed);
            assert!(draw_second_model(MixedHandsets::Off, &mut rng).is_none());
        }
        assert!((900..1100).contains(&mixed), "{mixed} of 3000");
    }

    #[test]
    fn field_noise_spans_its_range() {
        let mut rng = SimRng::new(4);
        let draws: Vec<f64> = (0..2000).map(|_| draw_field_noise(&mut rng)).collect();
        assert!(draws.iter().all(|n| (0.0005..0.012).contains(n)));
        assert!(draws.iter().any(|n| *n < 0.001) && draws.iter().any(|n| *n > 0.008));
    }

    #[test]
    fn lab_is_the_default_and_field_has_every_effect() {
        assert!(Physics::default().is_lab());
        let f = Physics::field();
        assert!(f.wiring && f.field_noise && f.contact_ohms > 0.0);
        assert_eq!(f.mixed_handsets, MixedHandsets::Field);
    }
}
