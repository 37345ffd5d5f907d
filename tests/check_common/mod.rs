//! Sweeps written by the tests themselves (and by `benches/check.rs`), with readings chosen
//! here rather than taken from the engine or the simulator: healthy handsets read about
//! 700 Ω (± 60 Ω by flat, ± 2 Ω by sweep) forward and OL in reverse, flats without a handset read OL both ways, and a
//! shorted handset reads 40 Ω both ways and opens sneak paths (ghosts of about two
//! handsets in series) on empty crossings (domain.md §3–§5).
//!
//! Decimal numbering on a 10 × 10 matrix (Eltis, Vizit): line = apartment − offset,
//! D = ⌊line/10⌋ mod 10, E = line mod 10. No engine code is used.
#![allow(dead_code)]

use std::fmt::Write;

/// One riser as the test wants it.
#[derive(Debug, Clone)]
pub struct Riser {
    /// Installer's offset.
    pub offset: u32,
    /// First and last flat.
    pub flats: (u32, u32),
    /// Flats without a handset.
    pub absent: Vec<u32>,
    /// A shorted handset.
    pub short: Option<u32>,
    /// A handset whose forward reading is given (a contact going bad).
    pub forward: Vec<(u32, f64)>,
    /// Varies the healthy readings.
    pub seed: u64,
}

impl Riser {
    /// A healthy riser of flats `first..=last`.
    pub fn healthy(offset: u32, first: u32, last: u32) -> Self {
        Riser {
            offset,
            flats: (first, last),
            absent: Vec::new(),
            short: None,
            forward: Vec::new(),
            seed: 1,
        }
    }

    fn cell(&self, flat: u32) -> (u32, u32) {
        let line = flat - self.offset;
        ((line / 10) % 10, line % 10)
    }

    fn handset_at(&self, t: u32, u: u32) -> Option<u32> {
        (self.flats.0..=self.flats.1)
            .filter(|a| !self.absent.contains(a))
            .find(|a| self.cell(*a) == (t, u))
    }

    /// The sweep CSV: every crossing forward and reverse.
    pub fn csv(&self) -> String {
        // Each handset has its own reading (a property of the flat, ±60 Ω); each sweep adds
        // its own small measurement noise (±2 Ω, from the seed).
        let hash = |x: u64| {
            let h = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (h ^ (h >> 29)).wrapping_mul(0xbf58476d1ce4e5b9) >> 33
        };
        let handset = |flat: u32| (hash(flat as u64) % 1200) as f64 / 10.0 - 60.0;
        let mut rng = self.seed;
        let mut noise = move || {
            rng = hash(rng.wrapping_add(0x9e3779b97f4a7c15));
            (rng % 400) as f64 / 100.0 - 2.0
        };
        let short = self.short.map(|a| self.cell(a));
        let mut out = String::with_capacity(4096);
        out.push_str("plus,minus,ohms\n");
        for t in 0..10 {
            for u in 0..10 {
                let here = self.handset_at(t, u);
                let (fwd, rev) = match (here, short) {
                    (Some(_), Some(s)) if s == (t, u) => (Some(40.0), Some(40.0)),
                    (Some(a), _) => {
                        let given = self.forward.iter().find(|(f, _)| *f == a).map(|x| x.1);
                        (Some(given.unwrap_or(700.0 + handset(a)) + noise()), None)
                    }
                    (None, Some((x, y))) => {
                        let ghost =
                            self.handset_at(t, y).is_some() && self.handset_at(x, u).is_some();
                        (ghost.then(|| 1430.0 + noise() * 20.0), None)
                    }
                    (None, None) => (None, None),
                };
                let show = |r: Option<f64>| r.map_or("OL".to_string(), |v| format!("{v:.1}"));
                let _ = writeln!(out, "D{t},E{u},{}", show(fwd));
                let _ = writeln!(out, "E{u},D{t},{}", show(rev));
            }
        }
        out
    }
}

/// Writes a file, creating its folder.
pub fn write(path: &std::path::Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create test folder");
    }
    std::fs::write(path, text).expect("write test file");
}
