//! Stage 2, calibration: what a healthy handset reads on this meter in this entrance, from the
//! entrance itself. Most handsets in a riser are healthy, so the crossings that conduct
//! forward only cluster around the healthy reading; a riser with a second handset model in
//! some flats shows a second, smaller cluster a little higher. The profile's nominal range is
//! only a fallback. Also counts how many flats show no handset (the prior of a flat being
//! empty). A riser whose second model reads up against the meter's first-range ceiling has
//! some of its handsets read one range up: the ceiling (`Ceiling`) says how many and where.
//!
//! Takes the `Grid` (suspect readings already set aside), the layout and the profile's prior;
//! gives a `Calibration`. Once the E→D elements are known, a second model is checked
//! against the sneak paths (`without_ghosts`): ghosts through a low-ohm short can read as
//! little as 1.6 times a handset, alike enough to pass for a second model. Pure.

use super::ForwardPrior;
use super::evidence::{Vacancy, log_uniform, normal, normal_cdf};
use super::grid::{Grid, digits_step};
use super::network::{Network, Node};
use super::noise::Noise;
use super::predict;
use crate::model::{Cell, Reading};
use crate::profile::Layout;

/// Median absolute deviation × this is the standard deviation of a normal spread.
pub(super) const MAD_TO_SIGMA: f64 = 1.4826;
/// Handsets of one model still differ by a couple of per cent (diodes of one batch, drop
/// wires of different length); no entrance is judged tighter than this.
const MIN_SPREAD: f64 = 0.02;
/// The handsets' spread assumed when too few conduct forward only to measure it: handsets of
/// mixed models and ages in one riser differ by 7–9 % (relative standard deviation) in the
/// independent reference model's healthy entrances; assume a little more.
const UNKNOWN_SPREAD: f64 = 0.1;
/// Fewer handsets than this say little about how they differ.
const MIN_FOR_SPREAD: usize = 5;
/// Readings within this factor of the densest cluster's centre are its members: wider than
/// any handset spread, narrower than the two diodes of the cheapest ghost.
const CLUSTER: f64 = 1.3;
/// A second handset model differs from the first by its series resistance (a few hundred
/// ohms) and its diode: it reads at most this multiple of the first. A sneak path crosses
/// two diodes and reads from about 1.8 times a handset up.
const SECOND_MODEL_MAX: f64 = 1.7;
/// A second model is believed when at least this many handsets read alike above the first…
const SECOND_MODEL_MIN_COUNT: usize = 3;
/// … and they make at least this share of the handsets.
const SECOND_MODEL_MIN_SHARE: f64 = 0.06;
/// A cluster under the densest one is the first model, the densest a second one above it,
/// only when it holds at least this share of the two: field risers have a second model in
/// 10-40 % of their flats, so a first model holds most of them, and a third at the least
/// where a riser's draw of flats happens to favour the second (seeds 259-260: 29 against 31).
/// Fewer are handsets of another model or age (`OTHER_MODEL_SHARE`).
const FIRST_MODEL_MIN_SHARE: f64 = 1.0 / 3.0;
/// Readings more than this many standard deviations off a model's centre are not its members.
const MEMBER_Z: f64 = 3.5;
/// A healthy handset's forward reading is taken to lie within this many standard deviations
/// of its model's centre when deciding whether a crossing conducts like a handset at all.
const HANDSET_Z: f64 = 4.5;
/// Share of handsets belonging to neither cluster: a lone handset of another model or age,
/// reading anywhere from `OTHER_MODEL` times the typical reading to `SECOND_MODEL_MAX` times.
const OTHER_MODEL_SHARE: f64 = 0.05;
/// How low another handset model may read, as a multiple of the typical one.
const OTHER_MODEL: f64 = 0.6;
/// How high a handset of another model may read where a second reading alike shows that
/// model: its own diode, whose drop may differ from the first model's by up to a whole
/// junction's, and its series resistance (+100–350 Ω, issue 12, against typical readings of
/// 600 Ω and more) reach about 2.6 times the typical reading. `OTHER_MODEL_SHARE` alone
/// stops at `SECOND_MODEL_MAX`, where ghosts begin; a reading that no sneak path reaches is
/// no ghost.
const OTHER_MODEL_FELLOW_MAX: f64 = 2.5;
/// Each meter range runs at a tenth of the previous one's current: its display step is ten
/// times coarser.
const RANGE_STEP: f64 = 10.0;
/// A multimeter's display counts to 1999 at least (3½ digits; 2000-, 4000-, 6000- and
/// 22000-count displays all do): a range whose digits step by `s` reads up to 1999·`s` or
/// more before the meter steps up a range. A second model's handsets read one range up only
/// above that, however far under it the entrance's highest handset reads.
const DISPLAY_COUNTS_MIN: f64 = 1999.0;
/// A handset read one range up at a tenth of the current I keeps its diode's drop less one
/// decade's worth, and a tenth of its series resistance's: it reads
/// R₁ = R₀ + 9·Vd/I − 10·ΔVd/I < R₀ + `DIODE_SHARE_UP`·Vd/I, where R₀ is its first-range
/// reading and Vd/I its diode's share of it. The diode's share is at most the entrance's
/// typical handset reading (its diode and its own series resistance), so a healthy handset read
/// one range up reads at most its first-range reach plus nine typical readings.
const DIODE_SHARE_UP: f64 = 9.0;
/// … and at least this many more: R₁ − R₀ = (9·Vd − 10·ΔVd)/I, where ΔVd = n·kT/q·ln 10 (at
/// most 0.12 V, an ideality of 2) against a drop Vd of at least 0.45 V, so at least 6.3·Vd/I;
/// and a diode's drop is at least half of a typical handset's reading (`predict`'s diode
/// share), so at least 3.1 typical readings. A handset read one range up reads at least its
/// first-range reach plus three typical readings: a reading just above the ceiling is no
/// handset read one range up.
const DIODE_SHARE_UP_MIN: f64 = 3.0;
/// Healthy handsets of one model read one range up agree within this many of the main
/// model's relative deviations (its handsets' diodes and drop wires differ as much at any
/// current); a bad contact's reading is its own resistance and agrees with none by more than
/// chance.
const FELLOW_Z: f64 = 3.0;
/// A reading within this many of its ghost band's noise deviations of the band is what the
/// sneak path reads alone: a handset there would carry current beside it and pull it under.
/// Three deviations leave a true second-model handset beside a path about 0.3 % of the time
/// inside by chance, too few to unmake a cluster of three or more.
const GHOST_FIT_Z: f64 = 3.0;

/// One handset model: where its forward readings cluster and how widely.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Model {
    /// Centre (robust), Ω.
    pub(super) centre: f64,
    /// Relative standard deviation of its readings.
    pub(super) spread: f64,
    /// Share of the entrance's handsets.
    pub(super) share: f64,
}

/// What the entrance's own healthy handsets say about the meter and themselves.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Calibration {
    /// The healthy forward reading, or None when nothing conducted forward only.
    pub(super) typical: Option<f64>,
    /// The typical reading, or the middle of the profile's prior when there is none.
    pub(super) typ: f64,
    /// How much the main model's handsets differ (relative standard deviation).
    pub(super) spread: f64,
    /// The handset models seen: the main one first, then a second one if the riser has it.
    pub(super) models: Vec<Model>,
    /// Crossings that conducted forward only.
    pub(super) handsets: usize,
    /// How many flats show no handset.
    pub(super) vacancy: Vacancy,
    /// Forward-only readings above every cluster's reach, up to `SECOND_MODEL_MAX` times the
    /// typical reading: handsets of other models, as far as this entrance shows them.
    pub(super) others: usize,
    /// Where a second model reads up against the meter's first-range ceiling, if it does.
    pub(super) ceiling: Option<Ceiling>,
}

/// A second handset model reading up to where the meter runs out of voltage on its first
/// range: the model's own spread puts a share of its handsets above the highest first-range
/// reading `top`, and the meter reads those at a tenth of the current, one range up.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Ceiling {
    /// The least the first range reads up to, Ω: the highest first-range forward reading of a
    /// handset (the meter drove it), or what the display counts to at that range's step
    /// (`DISPLAY_COUNTS_MIN`), whichever is more.
    pub(super) top: f64,
    /// The first range's display step, Ω (0 when the readings do not show it).
    step: f64,
    /// The least a healthy handset read one range up reads, Ω (`DIODE_SHARE_UP_MIN`).
    lo: f64,
    /// The most a healthy handset read one range up reads, Ω (`DIODE_SHARE_UP`).
    hi: f64,
    /// The share of the flats whose handset is of the second model and reads above `top` on
    /// the first range (its normal tail above `top`, times its share and the occupancy).
    pub(super) share: f64,
    /// The forward-only readings a healthy handset read one range up could be, sorted.
    up: Vec<f64>,
    /// Two of them within this factor of each other are fellows.
    agree: f64,
}

impl Ceiling {
    /// The prior share of flats holding a healthy handset read one range up, and the density
    /// of a forward reading `f` from one: spread evenly on a log scale from `lo` up to `hi`
    /// (nothing in the sweep says where in that span its diode puts it). None when `f`
    /// cannot be one (`could_be`). A lone reading there (`lone`) is weighed too: the one
    /// handset of a tail the sweep shows nothing else of is about as likely as the one bad
    /// contact, so neither is named.
    pub(super) fn weigh(&self, f: f64) -> Option<(f64, f64)> {
        self.could_be(f)
            .then(|| (self.share, log_uniform(f, self.lo, self.hi)))
    }

    /// True when `f` may be a healthy handset read one range up but no other reading is
    /// alike: a second model's handsets above the ceiling read alike one range up, and a lone
    /// one is the one bad contact as often as the one handset of the tail. Whatever the
    /// weighing says, the sweep cannot settle it: the crossing goes on the list.
    pub(super) fn lone(&self, f: f64) -> bool {
        let alike = (self.up.iter())
            .filter(|o| (*o / f).max(f / *o) <= self.agree)
            .count();
        // `f` is among `up` itself.
        self.could_be(f) && alike < 2
    }

    /// True when `f`, a reading not among the forward-only ones, may be a healthy handset read
    /// one range up as those the sweep shows are: it can be one (`could_be`) and at least two
    /// of them agree with it (within `agree`). The share alone is a normal tail the sweep may
    /// show nothing of, and a lone reading one range up is the one bad contact as often as the
    /// one handset of the tail (`lone`): a reading that matches fewer is as likely anything
    /// else of its size (seeds 79-81: a leak of 9614 Ω beside one bad contact read one range
    /// up at 10077 Ω).
    pub(super) fn matched(&self, f: f64) -> bool {
        let alike = (self.up.iter())
            .filter(|o| (*o / f).max(f / *o) <= self.agree)
            .count();
        self.could_be(f) && alike >= 2
    }

    /// The density of a healthy handset's own reading `h` one range up, once the reading it
    /// gives has been found able to be one (`weigh`): evenly on a log scale from `lo` up to
    /// `hi`.
    pub(super) fn density(&self, h: f64) -> f64 {
        log_uniform(h, self.lo, self.hi)
    }

    /// True when `f` can be a healthy handset read one range up: above `lo` (three typical
    /// readings over the ceiling), under `hi`, and not shown by its digits to be read on a
    /// step finer than one range up.
    fn could_be(&self, f: f64) -> bool {
        let range_up = self.step <= 0.0 || digits_step(f) >= self.step * RANGE_STEP * 0.999;
        f > self.lo && f <= self.hi && range_up
    }
}

impl Calibration {
    /// The density of a forward reading `f` from a healthy handset of this entrance.
    pub(super) fn healthy_density(&self, f: f64) -> f64 {
        self.density_with_others(f, OTHER_MODEL_SHARE)
    }

    /// The density of a reading `f` from a healthy handset measured the way its diode
    /// conducts, on whichever range the meter drove it: the first (`healthy_density`), or one
    /// range up where the entrance shows a second model reading up against the first range's
    /// ceiling and handsets of it read one range up alike with `f` (`Ceiling::matched`). A
    /// reversed handset read backwards is such a handset: one of that model's tail reads one
    /// range up there as its forward fellows do (seeds 204-205, flat 322: 6530 Ω backwards
    /// beside fellows at 6372-6506 Ω forward). Without such fellows a reading there is as
    /// likely a leak's (seeds 196-198, flat 341: a leak of 5433 Ω, the ceiling's window empty).
    pub(super) fn healthy_density_either_range(&self, f: f64) -> f64 {
        let occupied = (1.0 - self.vacancy.chance()).max(f64::EPSILON);
        let up = (self.ceiling.as_ref())
            .filter(|c| c.matched(f))
            .and_then(|c| c.weigh(f))
            // The ceiling's share is of all flats; a reading here is of a handset. The first
            // range's density keeps its whole weight: the share read one range up is a few
            // percent, and a reading is on one range or the other.
            .map_or(0.0, |(share, density)| {
                (share / occupied).min(1.0) * density
            });
        self.healthy_density(f) + up
    }

    /// The density of a forward reading `f` from a healthy handset when a share `others` of
    /// the handsets are of other models: the clusters measured, and the rest spread evenly on
    /// a log scale from `OTHER_MODEL` times the typical reading up to the other models' reach.
    fn density_with_others(&self, f: f64, others: f64) -> f64 {
        let clustered: f64 = self
            .models
            .iter()
            .map(|m| {
                let s = m.spread * m.centre;
                m.share * (1.0 - others) * normal((f - m.centre) / s) / s
            })
            .sum();
        let (lo, hi) = (OTHER_MODEL * self.typ, self.other_reach());
        let other = if (lo..=hi).contains(&f) {
            others / (f * (hi / lo).ln())
        } else {
            0.0
        };
        clustered + other
    }

    /// The highest forward reading a healthy handset of this entrance plausibly shows.
    pub(super) fn handset_max(&self) -> f64 {
        self.models
            .iter()
            .map(|m| m.centre * (1.0 + HANDSET_Z * m.spread))
            .fold(self.typ * (1.0 + HANDSET_Z * self.spread), f64::max)
    }

    /// The density of a forward reading `f` from a healthy handset, with the share of handsets
    /// of other models measured on this entrance (a uniform prior on the share, updated by
    /// how many of its handsets read like one: Beta(1 + others, 1 + handsets − others)) rather
    /// than assumed. `reading` is the forward reading being weighed: it does not count as
    /// evidence for itself.
    pub(super) fn healthy_density_measured(&self, f: f64, reading: f64) -> f64 {
        let (others, handsets) = self.others_besides(reading);
        self.density_with_others(f, (others as f64 + 1.0) / (handsets as f64 + 2.0))
    }

    /// True when this entrance shows handsets of other models: a second model measured as a
    /// cluster of its own, or, `reading` aside, enough handsets above every cluster
    /// (`SECOND_MODEL_MIN_COUNT`, as many as make a second model believable) that one of them
    /// is a likely explanation of a reading in their range.
    pub(super) fn shows_other_models(&self, reading: f64) -> bool {
        self.models.len() > 1 || self.others_besides(reading).0 >= SECOND_MODEL_MIN_COUNT
    }

    /// Handsets of other models and all handsets, `reading` aside (it is no evidence for
    /// itself).
    fn others_besides(&self, reading: f64) -> (usize, usize) {
        let own = usize::from(reading > self.cluster_reach() && reading <= self.other_reach());
        (
            self.others.saturating_sub(own),
            self.handsets.saturating_sub(own),
        )
    }

    /// The forward readings of a handset of the second model, where the riser shows one:
    /// from halfway (on a log scale) between the two models' centres up to the clusters'
    /// reach. Such a handset has a second junction besides its series resistance (issue 12:
    /// "+100–350 Ω series resistance, another diode"). None with one model.
    pub(super) fn second_model(&self) -> Option<(f64, f64)> {
        let (main, second) = (self.models.first()?, self.models.get(1)?);
        Some(((main.centre * second.centre).sqrt(), self.handset_max()))
    }

    /// True when `a` and `b` may be two handsets of one model the clusters do not cover:
    /// each above the clusters' reach and under `OTHER_MODEL_FELLOW_MAX` times the typical
    /// reading, and within `FELLOW_Z` of the main model's deviations of each other.
    pub(super) fn other_model_fellows(&self, a: f64, b: f64) -> bool {
        let off = |v: f64| v > self.handset_max() && v <= OTHER_MODEL_FELLOW_MAX * self.typ;
        off(a) && off(b) && (a / b).max(b / a) <= 1.0 + FELLOW_Z * self.spread
    }

    /// The density of a forward reading `f` from a healthy handset of the model that the
    /// reading `fellow` shows (`other_model_fellows`): the other models' share, spread as
    /// that model's handsets differ about it (the main model's relative deviation, for two
    /// readings each that far off).
    pub(super) fn fellow_density(&self, f: f64, fellow: f64) -> f64 {
        let s = self.spread * fellow * std::f64::consts::SQRT_2;
        OTHER_MODEL_SHARE * normal((f - fellow) / s) / s
    }

    /// The highest reading a handset of one of the clusters plausibly shows.
    fn cluster_reach(&self) -> f64 {
        self.handset_max()
    }

    /// The highest reading a handset of another model shows.
    fn other_reach(&self) -> f64 {
        SECOND_MODEL_MAX * self.typ
    }

    /// The highest reading `healthy_density` gives any weight to: the clusters' plausible
    /// reach, or the end of the other models' even spread.
    pub(super) fn healthy_reach(&self) -> f64 {
        self.handset_max().max(SECOND_MODEL_MAX * self.typ)
    }

    /// True when a forward reading of `f` is one a healthy handset of this entrance reads.
    pub(super) fn handset_like(&self, f: f64) -> bool {
        f <= self.handset_max()
    }
}

/// Calibrates the healthy reading from the crossings that conduct forward only, and counts
/// the flats of `layout` that show no handset.
pub(super) fn handsets(g: &Grid, layout: &Layout, prior: &ForwardPrior) -> Calibration {
    let on_flats = on_flats(g, layout);
    handsets_among(g, layout, prior, |i| on_flats[i])
}

/// By crossing: whether its forward reading may be a handset's. A crossing no apartment
/// maps to holds none: what it reads forward is a ghost (on a small block beside a short,
/// its ghosts may outnumber the handsets and read alike). Where the layout puts fewer than
/// `MIN_FOR_SPREAD` forward-only readings on flats (a layout far off, which the layout
/// check then says), every crossing counts.
fn on_flats(g: &Grid, layout: &Layout) -> Vec<bool> {
    let mapped: Vec<bool> = (0..g.len())
        .map(|i| layout.apartment(g.cell(i)).is_some())
        .collect();
    let readings = (0..g.len())
        .filter(|&i| mapped[i] && g.ri(i).is_none() && g.fi(i).is_some())
        .count();
    match readings >= MIN_FOR_SPREAD {
        true => mapped,
        false => vec![true; g.len()],
    }
}

/// The calibration again without its second model, when every reading of that model is
/// what the sneak paths of `net` read alone there: then they are the ghosts of empty flats,
/// not handsets. None when the calibration has one model, or when any of its second model's
/// readings is off its sneak paths (a real second model lies on crossings whatever their
/// paths read; some of its handsets may happen to read what a ghost there would). Its
/// readings are those forward of every crossing open in reverse or reading a sneak path
/// there (`reverse_ghost`, by crossing): a handset at the corner of two shorts reads the
/// opposite corner's handset in reverse, and is a handset all the same (seeds 291-293:
/// second-model handsets at 5 and 9 beside shorts at 6, 69 and 75 were left out, the model
/// was taken for ghosts, and the reverse readings of 66 and 76, the paths through them,
/// were named leaks).
pub(super) fn without_ghosts(
    g: &Grid,
    layout: &Layout,
    prior: &ForwardPrior,
    cal: &Calibration,
    (net, reverse_ghost): (&Network, &[bool]),
) -> Option<Calibration> {
    let second = *cal.models.get(1)?;
    let noise = Noise::prior();
    let members: Vec<usize> = (0..g.len())
        .filter(|&i| g.ri(i).is_none() || reverse_ghost[i])
        .filter(|&i| {
            g.fi(i)
                .is_some_and(|f| (f / second.centre - 1.0).abs() <= MEMBER_Z * second.spread)
        })
        .collect();
    if !members
        .iter()
        .all(|&i| reads_as_ghost(g, cal, net, &noise, i))
    {
        return None;
    }
    let on_flats = on_flats(g, layout);
    Some(handsets_among(g, layout, prior, |i| {
        on_flats[i] && !members.contains(&i)
    }))
}

/// True when crossing `i`'s forward reading is what its sneak paths read alone, within
/// `GHOST_FIT_Z` of the band's noise.
fn reads_as_ghost(g: &Grid, cal: &Calibration, net: &Network, noise: &Noise, i: usize) -> bool {
    let (t, u) = g.tu(i);
    let (Some(f), Some(p)) = (g.fi(i), net.paths(Node::D(t), Node::E(u), Some(i))) else {
        return false;
    };
    let band = predict::ghost(&p, g, noise, cal.typ);
    let slack = GHOST_FIT_Z * band.sigma;
    f >= band.lo - slack && f <= band.hi + slack
}

/// Calibrates on the forward-only crossings `keep` accepts.
fn handsets_among(
    g: &Grid,
    layout: &Layout,
    prior: &ForwardPrior,
    keep: impl Fn(usize) -> bool,
) -> Calibration {
    let mut values: Vec<f64> = (0..g.len())
        .filter(|&i| g.ri(i).is_none() && keep(i))
        .filter_map(|i| g.fi(i))
        .filter(|v| *v > 0.0)
        .collect();
    values.sort_by(f64::total_cmp);
    let Some(main) = densest(&values) else {
        let typ = (prior.min + prior.max) / 2.0;
        return Calibration {
            typical: None,
            typ,
            spread: UNKNOWN_SPREAD,
            models: vec![Model {
                centre: typ,
                spread: UNKNOWN_SPREAD,
                share: 1.0,
            }],
            handsets: 0,
            vacancy: vacancy(g, layout, f64::INFINITY),
            others: 0,
            ceiling: None,
        };
    };
    // The densest cluster is the first model, or the second one above a first that reads
    // more widely: a second model is a first one plus a series resistance and a diode, so
    // it never reads under it (seeds 259-260: a riser of 60 handsets, 31 of them of a second
    // model at 892-1051 Ω above 29 of the first spread over 613-771 Ω, was taken for one
    // model at 987 Ω, and a healthy second-model handset the meter read one range up for a
    // bad contact).
    let main = fit(&values, main, UNKNOWN_SPREAD);
    let models = match two_models(&values, main) {
        Some(both) => both.to_vec(),
        None => first_under(&values, main)
            .and_then(|first| two_models(&values, first))
            .map_or_else(|| vec![main], |both| both.to_vec()),
    };
    let first = models[0];
    let highest = models
        .iter()
        .map(|m| m.centre * (1.0 + HANDSET_Z * m.spread))
        .fold(0.0, f64::max);
    let others = values
        .iter()
        .filter(|v| **v > highest && **v <= first.centre * SECOND_MODEL_MAX)
        .count();
    let vacancy = vacancy(g, layout, highest);
    let ceiling = ceiling(g, &values, &models, highest, vacancy.chance());
    Calibration {
        others,
        ceiling,
        vacancy,
        typical: Some(first.centre),
        typ: first.centre,
        spread: first.spread,
        handsets: values.len(),
        models,
    }
}

/// The ceiling a second model reads up against, if one does: the highest forward-only
/// reading within the handsets' reach (`highest`) is the least the meter drove on its first
/// range (more where its display counts further at that range's step), and the second
/// model's normal tail above it is the share of its handsets the meter read one range up. `values` are the forward-only readings, sorted; `vacancy` the chance a
/// flat is empty.
fn ceiling(
    g: &Grid,
    values: &[f64],
    models: &[Model],
    highest: f64,
    vacancy: f64,
) -> Option<Ceiling> {
    let [first, second] = models else {
        return None;
    };
    let highest_read = values.iter().copied().rfind(|v| *v <= highest)?;
    // The meter drove its first range at least that far, and at least as far as its display
    // counts at the step that range's digits show.
    let step = g.step(highest_read);
    let top = highest_read.max(DISPLAY_COUNTS_MIN * step);
    let z = (top - second.centre) / (second.spread * second.centre);
    let share = (1.0 - vacancy) * second.share * (1.0 - normal_cdf(z));
    let reach = second.centre * (1.0 + HANDSET_Z * second.spread);
    let mut c = Ceiling {
        top,
        step,
        lo: top + DIODE_SHARE_UP_MIN * first.centre,
        hi: reach.max(top) + DIODE_SHARE_UP * first.centre,
        share,
        up: Vec::new(),
        agree: 1.0 + FELLOW_Z * first.spread,
    };
    c.up = values.iter().copied().filter(|v| c.could_be(*v)).collect();
    Some(c)
}

/// The first model `first` and a second model above it, each with its share of the handsets:
/// alike readings above the first's members and below any ghost (`SECOND_MODEL_MAX`), enough
/// of them (`SECOND_MODEL_MIN_COUNT`, `SECOND_MODEL_MIN_SHARE`) and no more widely spread in
/// ohms than twice the first. None when the `values` (sorted) show no such second model.
fn two_models(values: &[f64], mut first: Model) -> Option<[Model; 2]> {
    let above: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| *v > first.centre * (1.0 + MEMBER_Z * first.spread))
        .filter(|v| *v <= first.centre * SECOND_MODEL_MAX)
        .collect();
    let mut second = fit(&above, densest(&above)?, first.spread);
    // A second model differs from the first by a series resistance; what makes handsets
    // of one model differ (drop wires, diodes of a batch) is the same ohms in both, so
    // the second is no tighter in ohms than the first.
    second.spread = second
        .spread
        .max(first.spread * first.centre / second.centre);
    let members = count_members(values, second);
    let handsets = count_members(values, first) + members;
    let believed = members >= SECOND_MODEL_MIN_COUNT
        && members as f64 >= SECOND_MODEL_MIN_SHARE * handsets as f64
        && second.spread <= 2.0 * first.spread.max(MIN_SPREAD * 2.0);
    believed.then(|| {
        let share = members as f64 / handsets as f64;
        first.share = 1.0 - share;
        [first, Model { share, ..second }]
    })
}

/// The densest cluster of the `values` (sorted) under the members of `main` and no further
/// under it than a second model reads over a first (`SECOND_MODEL_MAX`): the first model,
/// where `main` is a second one. None when no reading lies there, or too few to be a first
/// model (`FIRST_MODEL_MIN_SHARE`): a few handsets reading under the rest are of another
/// model or age.
fn first_under(values: &[f64], main: Model) -> Option<Model> {
    let under: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| *v < main.centre * (1.0 - MEMBER_Z * main.spread))
        .filter(|v| *v * SECOND_MODEL_MAX >= main.centre)
        .collect();
    let first = fit(&under, densest(&under)?, main.spread);
    let members = count_members(values, first);
    let handsets = members + count_members(values, main);
    (members >= SECOND_MODEL_MIN_COUNT && members as f64 >= FIRST_MODEL_MIN_SHARE * handsets as f64)
        .then_some(first)
}

/// The centre of the densest cluster of `sorted` readings: the median of the largest set of
/// readings within a factor `CLUSTER` of one another (lowest such set on a tie).
fn densest(sorted: &[f64]) -> Option<f64> {
    let (mut best, mut best_n) = (None, 0);
    let mut j = 0;
    for i in 0..sorted.len() {
        while j < sorted.len() && sorted[j] <= sorted[i] * CLUSTER {
            j += 1;
        }
        if j - i > best_n {
            best_n = j - i;
            best = Some(median(&sorted[i..j]));
        }
    }
    best
}

/// The model fitted to the readings near `centre`: robust centre and spread of the readings
/// within `CLUSTER` of it (spread `fallback` when they are too few to measure one).
fn fit(sorted: &[f64], centre: f64, fallback: f64) -> Model {
    let near: Vec<f64> = sorted
        .iter()
        .copied()
        .filter(|v| *v >= centre / CLUSTER && *v <= centre * CLUSTER)
        .collect();
    let centre = if near.is_empty() {
        centre
    } else {
        median(&near)
    };
    let spread = if near.len() >= MIN_FOR_SPREAD {
        let mut dev: Vec<f64> = near.iter().map(|v| (v - centre).abs()).collect();
        dev.sort_by(f64::total_cmp);
        (MAD_TO_SIGMA * median(&dev) / centre).max(MIN_SPREAD)
    } else {
        fallback
    };
    Model {
        centre,
        spread,
        share: 1.0,
    }
}

/// Readings within `MEMBER_Z` standard deviations of a model's centre.
fn count_members(values: &[f64], m: Model) -> usize {
    values
        .iter()
        .filter(|v| (*v / m.centre - 1.0).abs() <= MEMBER_Z * m.spread)
        .count()
}

/// The median of sorted values (not empty).
pub(super) fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Flats of `layout` measured forward, and how many of them show no handset: open forward
/// with nothing conducting backwards, or reading above `handset_max` (a ghost, which proves
/// the lines are connected but not that a handset is there; counting these as empty makes the
/// share an upper bound, which leans towards "no handset" and away from naming bad contacts).
fn vacancy(g: &Grid, layout: &Layout, handset_max: f64) -> Vacancy {
    let (mut empty, mut measured) = (0, 0);
    for i in 0..g.len() {
        let (t, u) = g.tu(i);
        if layout.apartment(Cell::new(t as u16, u as u16)).is_none() {
            continue;
        }
        let Some(f) = g.forward[i] else { continue };
        measured += 1;
        let conducts_back = g.ri(i).is_some();
        empty += match f {
            Reading::Open => !conducts_back as usize,
            Reading::Ohms(f) => (f > handset_max && !conducts_back) as usize,
        };
    }
    Vacancy { empty, measured }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::tests::{Bench, EMPTY, layout};

    #[test]
    fn the_entrance_calibrates_on_its_handsets_not_on_its_ghosts() {
        // Handsets 630–770 Ω; a short lights its six empty crossings at about twice that.
        let mut b = Bench::healthy(1.0, EMPTY);
        b.forward[4][5] = Some(12.0);
        b.backward(4, 5, 12.0);
        let (l, prior) = layout(None);
        let cal = handsets(&Grid::new(&b.sweep(), &l), &l, &prior);
        let typ = cal.typical.unwrap();
        assert!((typ - 700.0).abs() < 25.0, "{typ}");
        assert!(cal.spread > 0.03 && cal.spread < 0.08, "{}", cal.spread);
        assert_eq!(cal.models.len(), 1);
        assert!(cal.handset_like(800.0) && !cal.handset_like(1300.0));
        // The six ghost flats count as empty (and D0/E0 is no flat on Eltis).
        assert_eq!(cal.vacancy.empty, 6);
    }

    #[test]
    fn the_entrance_calibrates_on_its_flats_not_on_crossings_with_none() {
        // Flats 60-99 only: the sixty crossings of D0-D5 hold no handset, and here each reads
        // a ghost of about 1.6 kΩ (more of them than there are handsets).
        let mut b = Bench::healthy(1.0, EMPTY);
        for row in &mut b.forward[..6] {
            for v in row.iter_mut() {
                *v = v.map(|f| f * 2.3);
            }
        }
        let (l, prior) = layout(Some("60-99"));
        let cal = handsets(&Grid::new(&b.sweep(), &l), &l, &prior);
        let typ = cal.typical.unwrap();
        assert!((typ - 700.0).abs() < 50.0, "{typ}");
        // With too few flats read to calibrate on (a layout far off), every crossing counts.
        let (l, prior) = layout(Some("98-99"));
        let cal = handsets(&Grid::new(&b.sweep(), &l), &l, &prior);
        assert!(cal.typical.unwrap() > 1400.0, "{:?}", cal.typical);
    }

    #[test]
    fn a_riser_with_a_second_handset_model_calibrates_on_both() {
        // A fifth of the flats have a model reading 1.35 times the first.
        let mut b = Bench::healthy(1.0, EMPTY);
        for t in 0..10 {
            for u in [1, 6] {
                b.forward[t][u] = b.forward[t][u].map(|v| v * 1.35);
            }
        }
        let (l, prior) = layout(None);
        let cal = handsets(&Grid::new(&b.sweep(), &l), &l, &prior);
        assert_eq!(cal.models.len(), 2, "{:?}", cal.models);
        assert!((cal.models[1].centre / cal.models[0].centre - 1.35).abs() < 0.05);
        assert!(cal.handset_like(1.35 * 770.0));
        // A handset hop reading like the second model has its second junction; one of the
        // first does not, and with one model there is none.
        let (lo, hi) = cal.second_model().unwrap();
        assert!(lo > 1.1 * cal.models[0].centre && lo < 0.9 * cal.models[1].centre);
        assert!(hi >= 1.35 * 770.0);
        let one = handsets(
            &Grid::new(&Bench::healthy(1.0, EMPTY).sweep(), &l),
            &l,
            &prior,
        );
        assert_eq!(one.second_model(), None);
    }

    #[test]
    fn a_second_model_is_no_tighter_in_ohms_than_the_first() {
        // Seven flats of a second model with 300 Ω more in series, here by chance within
        // ±5 Ω of 1000 Ω (a 1 % spread, under the 2 % floor). The first model's handsets
        // differ by ±70 Ω (drop wires, diodes of a batch), and so do the second's: its own
        // handset reading 1100 Ω is a healthy one of that model (about 2 of its deviations
        // of some 52 Ω), not a reading beyond every healthy handset's reach.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (k, (t, u)) in [(0, 0), (0, 9), (9, 0), (9, 8), (2, 2), (7, 7), (0, 3)]
            .into_iter()
            .enumerate()
        {
            b.forward[t][u] = Some(995.0 + (k % 4) as f64 * 3.0);
        }
        let (l, prior) = layout(None);
        let cal = handsets(&Grid::new(&b.sweep(), &l), &l, &prior);
        assert_eq!(cal.models.len(), 2, "{:?}", cal.models);
        let (first, second) = (cal.models[0], cal.models[1]);
        let ohms = |m: Model| m.spread * m.centre;
        assert!(ohms(second) >= ohms(first) * 0.999, "{:?}", cal.models);
        assert!(cal.handset_like(1100.0), "{:?}", cal.models);
    }

    #[test]
    fn a_second_model_reading_tighter_and_more_often_than_the_first_is_still_the_second() {
        // Six flats in ten have a second model at 990-1010 Ω; the other four keep the
        // first's 630-770 Ω, spread more widely. The second is the densest cluster, yet it
        // is the first plus a series resistance: the first is the one under it.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, row) in b.forward.iter_mut().enumerate() {
            for (u, v) in row.iter_mut().enumerate().take(6) {
                *v = v.map(|_| 990.0 + ((t + u) % 5) as f64 * 5.0);
            }
        }
        let (l, prior) = layout(None);
        let cal = handsets(&Grid::new(&b.sweep(), &l), &l, &prior);
        assert_eq!(cal.models.len(), 2, "{:?}", cal.models);
        assert!((cal.typ - 700.0).abs() < 40.0, "{:?}", cal.models);
        assert!(
            (cal.models[1].centre - 1000.0).abs() < 10.0,
            "{:?}",
            cal.models
        );
        assert!(cal.models[1].share > 0.5, "{:?}", cal.models);
        // Three handsets reading under all the rest are of another model or age: the
        // riser's own model stays the one most of them read.
        let mut b = Bench::healthy(1.0, EMPTY);
        for (t, row) in b.forward.iter_mut().enumerate() {
            for (u, v) in row.iter_mut().enumerate() {
                let odd = t == 3 && u < 3;
                *v = v.map(|f| {
                    if odd {
                        f
                    } else {
                        990.0 + ((t + u) % 5) as f64 * 5.0
                    }
                });
            }
        }
        let cal = handsets(&Grid::new(&b.sweep(), &l), &l, &prior);
        assert_eq!(cal.models.len(), 1, "{:?}", cal.models);
        assert!((cal.typ - 1000.0).abs() < 10.0, "{:?}", cal.models);
    }

    #[test]
    fn the_densest_cluster_is_the_handsets_not_the_ghosts() {
        let mut v = vec![
            690.0, 700.0, 705.0, 712.0, 720.0, 1400.0, 1410.0, 1430.0, 1450.0,
        ];
        v.sort_by(f64::total_cmp);
        assert_eq!(densest(&v), Some(705.0));
    }

    #[test]
    fn a_second_handset_model_is_a_second_cluster() {
        let mut v: Vec<f64> = (0..30).map(|k| 680.0 + (k % 7) as f64 * 8.0).collect();
        v.extend((0..8).map(|k| 960.0 + (k % 4) as f64 * 10.0));
        v.sort_by(f64::total_cmp);
        let first = fit(&v, densest(&v).unwrap(), UNKNOWN_SPREAD);
        assert!((first.centre - 704.0).abs() < 10.0, "{first:?}");
        let above: Vec<f64> = v.iter().copied().filter(|x| *x > 900.0).collect();
        let second = fit(&above, densest(&above).unwrap(), first.spread);
        assert!((second.centre - 975.0).abs() < 10.0, "{second:?}");
    }
}
