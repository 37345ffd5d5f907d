//! Nonlinear DC solve of a network of resistors and series diode+resistor branches: Newton's
//! method on nodal voltages, with a tiny conductance (gmin) from every node to the reference
//! so that floating parts of the network stay solvable.
//!
//! The network of monotone two-terminals is the minimum of a convex "co-content" energy;
//! each Newton step is limited in size and then backtracked on that energy, so the solve
//! converges from any start. Pure arithmetic: no I/O, no randomness.

/// Thermal voltage at about 27 °C, volts.
pub const THERMAL_VOLTAGE: f64 = 0.025_85;

/// What one branch of the network is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Branch {
    /// A plain resistor of conductance `g` siemens.
    Resistor {
        /// Conductance, S.
        g: f64,
    },
    /// A silicon diode (anode on `a`, cathode on `b`) in series with `r` ohms, the whole
    /// optionally bridged by a parallel leakage conductance `leak` (S, 0 for none).
    Diode {
        /// Saturation current, A.
        is: f64,
        /// Ideality factor × thermal voltage, V.
        nvt: f64,
        /// Series resistance, Ω (> 0).
        r: f64,
        /// Parallel leakage conductance, S.
        leak: f64,
    },
}

/// A branch between two nodes; positive current flows from `a` to `b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Element {
    /// First node (the diode's anode).
    pub a: usize,
    /// Second node (the diode's cathode).
    pub b: usize,
    /// What it is.
    pub branch: Branch,
}

/// Solves y + ln y = x for y > 0 (the Wright omega function), starting from `guess` when it
/// is a positive number.
fn wright_omega(x: f64, guess: f64) -> f64 {
    if x < -40.0 {
        // ω = e^x·(1 − e^x + …): the correction is below rounding.
        return x.exp();
    }
    // A warm guess (last iteration's value) is used only when it is already close.
    let warm = guess > 0.0 && guess.is_finite() && (x - guess - guess.ln()).abs() < 0.5;
    let mut w = if warm {
        guess
    } else if x > 1.0 {
        x - x.ln()
    } else {
        let e = x.exp();
        e / (1.0 + e)
    };
    // Fritsch–Shafer–Crowley iteration: fourth order, so one or two steps from a warm guess.
    for _ in 0..8 {
        let z = x - w - w.ln();
        if z.abs() < 1e-13 * (1.0 + x.abs()) {
            break;
        }
        let q = 2.0 * (1.0 + w) * (1.0 + w + 2.0 * z / 3.0);
        let next = w * (1.0 + z / (1.0 + w) * (q - z) / (q - 2.0 * z));
        w = if next > 0.0 && next.is_finite() {
            next
        } else {
            w * 0.1
        };
    }
    w
}

/// A branch with the constants its evaluation needs worked out once.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Prepared {
    Resistor {
        g: f64,
    },
    Diode {
        is: f64,
        nvt: f64,
        inv_nvt: f64,
        r: f64,
        leak: f64,
        x0: f64,
    },
}

impl Prepared {
    fn new(branch: &Branch) -> Self {
        match *branch {
            Branch::Resistor { g } => Prepared::Resistor { g },
            Branch::Diode { is, nvt, r, leak } => Prepared::Diode {
                is,
                nvt,
                inv_nvt: 1.0 / nvt,
                r,
                leak,
                x0: (is * r / nvt).ln() + is * r / nvt,
            },
        }
    }
}

/// Current, conductance and energy (co-content) of a branch at voltage `v` across it.
/// `hint` carries the diode's last omega value in and out, to warm-start the next call.
#[inline]
fn evaluate(branch: &Prepared, v: f64, hint: &mut f64) -> (f64, f64, f64) {
    match *branch {
        Prepared::Resistor { g } => (g * v, g, 0.5 * g * v * v),
        Prepared::Diode {
            is,
            nvt,
            inv_nvt,
            r,
            leak,
            x0,
        } => {
            // i = (nVt/R)·ω(x) − Is with x = ln(Is·R/nVt) + (v + Is·R)/nVt.
            let x = x0 + v * inv_nvt;
            let y = wright_omega(x, *hint);
            *hint = y;
            let i = y * nvt / r - is;
            let g = y / (1.0 + y) / r;
            let vj = v - i * r;
            // Content C(i) = (Is + i)·vj − nVt·i + R·i²/2; co-content P = i·v − C.
            let content = (is + i) * vj - nvt * i + 0.5 * r * i * i;
            let p = i * v - content;
            (i + leak * v, g + leak, p + 0.5 * leak * v * v)
        }
    }
}

/// How the meter drives the network between `plus` and the reference `minus`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drive {
    /// `plus` held at this many volts above `minus`.
    Voltage(f64),
    /// This many amperes pushed into `plus` and out of `minus`.
    Current(f64),
}

/// The result of one solve.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Voltage of `plus` over `minus`, V.
    pub voltage: f64,
    /// Current the drive pushes into `plus`, A.
    pub current: f64,
    /// Newton iterations used.
    pub iterations: u32,
    /// False if the iteration limit was reached first (the result is then the last iterate).
    pub converged: bool,
}

/// A network ready to solve, with reusable work space.
#[derive(Debug, Clone)]
pub struct Network {
    nodes: usize,
    elements: Vec<Element>,
    prepared: Vec<Prepared>,
    gmin: f64,
    /// Each node's index among the unknowns of the present solve, `usize::MAX` if fixed.
    unknown: Vec<usize>,
    work: Work,
    current_floor: f64,
    ceiling: f64,
}

/// Newton stops when no node moves more than this, V.
const TOLERANCE: f64 = 1e-9;
/// Largest change of any node voltage in one Newton step, V.
const MAX_STEP: f64 = 3.0;
/// Iteration limit; never reached on a physical network in practice.
const MAX_ITERATIONS: u32 = 200;

impl Network {
    /// A network of `nodes` nodes and these branches, with `gmin` siemens from every node to
    /// the reference node of each solve.
    pub fn new(nodes: usize, elements: Vec<Element>, gmin: f64) -> Self {
        Network {
            nodes,
            work: Work::new(nodes, elements.len()),
            prepared: elements.iter().map(|e| Prepared::new(&e.branch)).collect(),
            elements,
            gmin,
            unknown: vec![usize::MAX; nodes],
            current_floor: 1e-13,
            ceiling: f64::INFINITY,
        }
    }

    /// Sets the current (A) below which a voltage-driven solve need not resolve changes of
    /// the drive current: a meter sets it far below its smallest test current.
    pub fn set_current_floor(&mut self, amps: f64) {
        self.current_floor = amps.abs();
    }

    /// Sets the voltage above which a current-driven solve gives up (returning not
    /// converged): a meter that cannot go that high has no use for the exact value.
    pub fn set_voltage_ceiling(&mut self, volts: f64) {
        self.ceiling = volts;
    }

    /// An upper bound on the current that `volts` can push from `plus` to `minus` when no
    /// chain of forward-conducting branches joins them; `None` when one does and the
    /// network must be solved.
    ///
    /// Every branch leaving the set of nodes reachable from `plus` through resistors,
    /// leaky branches and forward diodes is then a diode pointing into the set, which passes
    /// at most its saturation current outwards whatever its bias; gmin adds at most
    /// gmin·volts per node of the set (no node rises above `plus`).
    pub fn blocked_current_bound(&self, plus: usize, minus: usize, volts: f64) -> Option<f64> {
        if plus >= self.nodes || minus >= self.nodes {
            return Some(0.0);
        }
        let mut reached = vec![false; self.nodes];
        reached[plus] = true;
        let mut stack = vec![plus];
        while let Some(n) = stack.pop() {
            for e in &self.elements {
                let both_ways = match e.branch {
                    Branch::Resistor { .. } => true,
                    Branch::Diode { leak, .. } => leak > 0.0,
                };
                let next = if e.a == n {
                    Some(e.b)
                } else if e.b == n && both_ways {
                    Some(e.a)
                } else {
                    None
                };
                if let Some(m) = next.filter(|m| !reached[*m]) {
                    if m == minus {
                        return None;
                    }
                    reached[m] = true;
                    stack.push(m);
                }
            }
        }
        let mut bound = self.gmin * volts.abs() * reached.iter().filter(|r| **r).count() as f64;
        for e in &self.elements {
            if let Branch::Diode { is, .. } = e.branch
                && reached[e.a] != reached[e.b]
            {
                bound += is;
            }
        }
        Some(bound)
    }

    /// The branches, in the order given.
    pub fn elements(&self) -> &[Element] {
        &self.elements
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    /// The node voltages of the last solve (reference = 0).
    pub fn voltages(&self) -> &[f64] {
        &self.work.v
    }

    /// Solves the network with the meter between `plus` and `minus`. `warm` keeps the node
    /// voltages of the previous solve as the starting point (same `plus` and `minus`).
    ///
    /// It stops when no node moves by more than a nanovolt, or earlier when what the meter
    /// reads (the current of a voltage drive, the voltage of a current drive) has settled to
    /// a part in a million over two full Newton steps: far-off nodes that only leak
    /// picoamperes then still creep towards their exact voltage by about nVt per step,
    /// which changes no reading.
    pub fn solve(&mut self, plus: usize, minus: usize, drive: Drive, warm: bool) -> Solution {
        if plus >= self.nodes || minus >= self.nodes || plus == minus {
            return Solution {
                voltage: 0.0,
                current: 0.0,
                iterations: 0,
                converged: true,
            };
        }
        let m = self.number_unknowns(plus, minus, drive);
        self.work.size_for(m);
        let current = self.work.start(plus, minus, drive, warm);
        let newton = Newton {
            ctx: Ctx {
                elements: &self.elements,
                prepared: &self.prepared,
                unknown: &self.unknown,
                gmin: self.gmin,
                plus,
                current,
                m,
            },
            drive,
            ceiling: self.ceiling,
            current_floor: self.current_floor,
        };
        let (iterations, converged) = newton.iterate(&mut self.work);
        let into_plus = newton.ctx.current_into(&mut self.work);
        Solution {
            voltage: self.work.v[plus] - self.work.v[minus],
            current: match drive {
                Drive::Current(i) => i,
                Drive::Voltage(_) => into_plus,
            },
            iterations,
            converged,
        }
    }

    /// Takes the meter's terminals and drive; numbers the unknowns (every node but the
    /// reference `minus`, and but `plus` when its voltage is fixed) and gives their count.
    fn number_unknowns(&mut self, plus: usize, minus: usize, drive: Drive) -> usize {
        let mut m = 0;
        for n in 0..self.nodes {
            let fixed = n == minus || (n == plus && matches!(drive, Drive::Voltage(_)));
            self.unknown[n] = if fixed {
                usize::MAX
            } else {
                m += 1;
                m - 1
            };
        }
        m
    }
}

/// A solve's work space, reused between solves so a measurement allocates nothing: the
/// node voltages and diode hints of the present and of the trial point, the gradient and
/// Jacobian at each, and the Newton step.
#[derive(Debug, Clone)]
struct Work {
    v: Vec<f64>,
    trial: Vec<f64>,
    hints: Vec<f64>,
    trial_hints: Vec<f64>,
    grad: Vec<f64>,
    jac: Vec<f64>,
    grad_t: Vec<f64>,
    jac_t: Vec<f64>,
    step: Vec<f64>,
}

impl Work {
    /// Work space for `nodes` nodes and `elements` branches, the system not yet sized.
    fn new(nodes: usize, elements: usize) -> Self {
        Work {
            v: vec![0.0; nodes],
            trial: vec![0.0; nodes],
            hints: vec![0.0; elements],
            trial_hints: vec![0.0; elements],
            grad: Vec::new(),
            jac: Vec::new(),
            grad_t: Vec::new(),
            jac_t: Vec::new(),
            step: Vec::new(),
        }
    }

    /// Takes the number of unknowns; sizes the gradients, Jacobians and step for them.
    fn size_for(&mut self, m: usize) {
        for buf in [&mut self.grad, &mut self.grad_t, &mut self.step] {
            buf.resize(m, 0.0);
        }
        self.jac.resize(m * m, 0.0);
        self.jac_t.resize(m * m, 0.0);
    }

    /// Takes the meter's terminals and drive; sets the starting voltages (zero unless
    /// `warm`, the reference at zero, a voltage drive's `plus` at its volts) and gives the
    /// drive current of a current drive.
    fn start(&mut self, plus: usize, minus: usize, drive: Drive, warm: bool) -> Option<f64> {
        if !warm {
            self.v.iter_mut().for_each(|x| *x = 0.0);
            self.hints.iter_mut().for_each(|h| *h = 0.0);
        }
        self.v[minus] = 0.0;
        match drive {
            Drive::Voltage(v) => {
                self.v[plus] = v;
                None
            }
            Drive::Current(i) => Some(i),
        }
    }

    /// Takes the largest component of the step; scales the step down to `MAX_STEP` when
    /// it is larger, and gives whether it did.
    fn cap_step(&mut self, biggest: f64) -> bool {
        let capped = biggest > MAX_STEP;
        if capped {
            let k = MAX_STEP / biggest;
            self.step.iter_mut().for_each(|s| *s *= k);
        }
        capped
    }

    /// Makes the trial point (its voltages, hints, gradient and Jacobian) the present one.
    fn accept(&mut self) {
        std::mem::swap(&mut self.v, &mut self.trial);
        std::mem::swap(&mut self.hints, &mut self.trial_hints);
        std::mem::swap(&mut self.grad, &mut self.grad_t);
        std::mem::swap(&mut self.jac, &mut self.jac_t);
    }
}

/// One solve's Newton iteration: the assembly context and what the meter imposes (its
/// drive, the voltage it cannot exceed, the current it need not resolve).
struct Newton<'a> {
    ctx: Ctx<'a>,
    drive: Drive,
    ceiling: f64,
    current_floor: f64,
}

impl Newton<'_> {
    /// Takes the started work space; iterates damped Newton steps until no node moves
    /// more than `TOLERANCE`, the reading has settled over two full steps, the ceiling is
    /// passed or the limit reached. Gives the iterations used and whether it converged.
    fn iterate(&self, work: &mut Work) -> (u32, bool) {
        let mut energy = self
            .ctx
            .assemble(&work.v, &mut work.hints, &mut work.grad, &mut work.jac);
        let mut iterations = 0;
        let mut converged = false;
        let mut settled = 0;
        let mut reading = f64::NAN;
        while iterations < MAX_ITERATIONS {
            iterations += 1;
            let biggest = self.direction(work);
            if !biggest.is_finite() {
                break;
            }
            if biggest < TOLERANCE {
                converged = true;
                break;
            }
            let capped = work.cap_step(biggest);
            let (e, alpha) = self.line_search(work, energy, biggest);
            energy = e;
            work.accept();
            if self.ctx.current.is_some() && work.v[self.ctx.plus] > self.ceiling {
                break;
            }
            let now = self.reading(work);
            if alpha == 1.0 && !capped && (now - reading).abs() <= self.tolerance(now) {
                settled += 1;
                if settled >= 2 {
                    converged = true;
                    break;
                }
            } else {
                settled = 0;
            }
            reading = now;
        }
        (iterations, converged)
    }

    /// Takes the gradient and Jacobian at the present point; writes the Newton direction
    /// (J·step = −grad) into the step and gives its largest component.
    fn direction(&self, work: &mut Work) -> f64 {
        for (s, g) in work.step.iter_mut().zip(&work.grad) {
            *s = -g;
        }
        cholesky_solve(&mut work.jac, &mut work.step, self.ctx.m);
        work.step.iter().fold(0.0f64, |a, s| a.max(s.abs()))
    }

    /// Takes the present energy and the step's largest component; halves the step until
    /// the trial point lowers the energy enough (Armijo) and gives the trial's energy and
    /// the fraction of the step taken. The trial point is left in the work space.
    fn line_search(&self, work: &mut Work, energy: f64, biggest: f64) -> (f64, f64) {
        let slope: f64 = work.step.iter().zip(&work.grad).map(|(s, g)| s * g).sum();
        let mut alpha = 1.0;
        loop {
            work.trial.copy_from_slice(&work.v);
            for (n, &u) in self.ctx.unknown.iter().enumerate() {
                if u != usize::MAX {
                    work.trial[n] += alpha * work.step[u];
                }
            }
            work.trial_hints.copy_from_slice(&work.hints);
            let e = self.ctx.assemble(
                &work.trial,
                &mut work.trial_hints,
                &mut work.grad_t,
                &mut work.jac_t,
            );
            // Armijo on the convex energy; tiny steps are taken as they are, where the
            // energy difference drowns in rounding.
            if e <= energy + 1e-4 * alpha * slope || alpha * biggest < 1e-6 || alpha < 1e-3 {
                return (e, alpha);
            }
            alpha *= 0.5;
        }
    }

    /// Takes the present point; gives what the meter reads there: the current into `plus`
    /// of a voltage drive, the voltage of `plus` of a current drive.
    fn reading(&self, work: &mut Work) -> f64 {
        match self.drive {
            Drive::Voltage(_) => self.ctx.current_into(work),
            Drive::Current(_) => work.v[self.ctx.plus],
        }
    }

    /// Takes a reading; gives how far the next may differ from it and still count as
    /// settled: a part in a thousand above the current floor of a voltage drive, a part
    /// in ten million above a nanovolt of a current drive.
    fn tolerance(&self, now: f64) -> f64 {
        match self.drive {
            Drive::Voltage(_) => 1e-3 * now.abs() + self.current_floor,
            Drive::Current(_) => 1e-7 * now.abs() + 1e-9,
        }
    }
}

/// What one assembly needs to know about the solve.
struct Ctx<'a> {
    elements: &'a [Element],
    prepared: &'a [Prepared],
    unknown: &'a [usize],
    gmin: f64,
    plus: usize,
    current: Option<f64>,
    m: usize,
}

impl Ctx<'_> {
    /// Current pushed into `plus` through its branches and gmin, at the present voltages
    /// of `work`.
    fn current_into(&self, work: &mut Work) -> f64 {
        let plus = self.plus;
        let mut into = self.gmin * work.v[plus];
        for ((e, p), hint) in self
            .elements
            .iter()
            .zip(self.prepared)
            .zip(work.hints.iter_mut())
        {
            if e.a == plus || e.b == plus {
                let (i, _, _) = evaluate(p, work.v[e.a] - work.v[e.b], hint);
                into += if e.a == plus { i } else { -i };
            }
        }
        into
    }

    /// Energy at `v`, with the gradient (node residual currents) and the Jacobian of the
    /// unknowns written into `grad` and `jac`.
    fn assemble(&self, v: &[f64], hints: &mut [f64], grad: &mut [f64], jac: &mut [f64]) -> f64 {
        let m = self.m;
        grad.iter_mut().for_each(|g| *g = 0.0);
        jac.iter_mut().for_each(|g| *g = 0.0);
        let mut energy = 0.0;
        for ((e, pre), hint) in self
            .elements
            .iter()
            .zip(self.prepared)
            .zip(hints.iter_mut())
        {
            let dv = v[e.a] - v[e.b];
            let (i, g, p) = evaluate(pre, dv, hint);
            energy += p;
            let (ua, ub) = (self.unknown[e.a], self.unknown[e.b]);
            if ua != usize::MAX {
                grad[ua] += i;
                jac[ua * m + ua] += g;
            }
            if ub != usize::MAX {
                grad[ub] -= i;
                jac[ub * m + ub] += g;
            }
            if ua != usize::MAX && ub != usize::MAX {
                jac[ua * m + ub] -= g;
                jac[ub * m + ua] -= g;
            }
        }
        for (n, &vn) in v.iter().enumerate() {
            energy += 0.5 * self.gmin * vn * vn;
            let u = self.unknown[n];
            if u != usize::MAX {
                grad[u] += self.gmin * vn;
                jac[u * m + u] += self.gmin;
            }
        }
        if let Some(i) = self.current {
            energy -= i * v[self.plus];
            let u = self.unknown[self.plus];
            if u != usize::MAX {
                grad[u] -= i;
            }
        }
        energy
    }
}

/// Solves `a·x = b` in place for a symmetric positive definite `a` (n×n, row-major),
/// leaving x in `b`. A non-positive pivot (impossible with gmin > 0) is nudged positive.
fn cholesky_solve(a: &mut [f64], b: &mut [f64], n: usize) {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        let d = if d > 1e-300 { d.sqrt() } else { 1e-150 };
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= a[i * n + k] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = b[i];
        for k in i + 1..n {
            s -= a[k * n + i] * b[k];
        }
        b[i] = s / a[i * n + i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diode(a: usize, b: usize, r: f64) -> Element {
        Element {
            a,
            b,
            branch: Branch::Diode {
                is: 2.5e-9,
                nvt: 1.8 * THERMAL_VOLTAGE,
                r,
                leak: 0.0,
            },
        }
    }

    #[test]
    fn wright_omega_solves_its_equation() {
        for x in [-39.0, -30.0, -5.0, -1.0, 0.0, 0.5, 1.0, 3.0, 50.0, 1e6] {
            for guess in [0.0, 1e-30, 0.3, 1.0, 40.0, 1e7] {
                let y = wright_omega(x, guess);
                assert!(
                    (y + y.ln() - x).abs() < 1e-9 * (1.0 + x.abs()),
                    "x={x} guess={guess} y={y}"
                );
            }
        }
    }

    #[test]
    fn resistor_reads_ohms_law() {
        let mut n = Network::new(
            2,
            vec![Element {
                a: 0,
                b: 1,
                branch: Branch::Resistor { g: 1.0 / 470.0 },
            }],
            1e-12,
        );
        let s = n.solve(0, 1, Drive::Current(1e-3), false);
        assert!(s.converged);
        assert!((s.voltage - 0.47).abs() < 1e-6, "{s:?}");
    }

    #[test]
    fn diode_obeys_shockley_plus_ohm() {
        let mut n = Network::new(2, vec![diode(0, 1, 100.0)], 1e-12);
        let s = n.solve(0, 1, Drive::Current(1e-3), false);
        assert!(s.converged);
        let vj = 1.8 * THERMAL_VOLTAGE * (1.0f64 + 1e-3 / 2.5e-9).ln();
        assert!((s.voltage - (vj + 0.1)).abs() < 1e-6, "{s:?} vs {vj}");
        // Backwards the diode blocks: at 2.8 V only about Is flows.
        let s = n.solve(1, 0, Drive::Voltage(2.8), false);
        assert!(s.current.abs() < 1e-8, "{s:?}");
        // And the voltage drive at the forward voltage gives back the current.
        let s = n.solve(0, 1, Drive::Voltage(vj + 0.1), false);
        assert!((s.current - 1e-3).abs() < 1e-8, "{s:?}");
    }

    #[test]
    fn blocked_probes_get_a_leakage_bound_and_joined_ones_none() {
        // 0 → 1 forward, then 2 → 1 (pointing back into the reached set), then a leak 2 — 3.
        let leaky = Element {
            a: 2,
            b: 3,
            branch: Branch::Diode {
                is: 1e-10,
                nvt: 0.04,
                r: 10.0,
                leak: 1e-6,
            },
        };
        let n = Network::new(4, vec![diode(0, 1, 50.0), diode(2, 1, 50.0), leaky], 1e-12);
        assert_eq!(n.blocked_current_bound(0, 1, 2.5), None);
        let bound = n.blocked_current_bound(0, 2, 2.5).unwrap();
        assert!((bound - (2.5e-9 + 2.0 * 2.5e-12)).abs() < 1e-15, "{bound}");
        // The leak conducts both ways: 3 is reached from 2, and 2 from 3.
        assert_eq!(n.blocked_current_bound(3, 1, 2.5), None);
        // And the bound holds: the solved current is below it.
        let mut n = n;
        let s = n.solve(0, 2, Drive::Voltage(2.5), false);
        assert!(s.current <= bound, "{s:?} vs {bound}");
    }

    #[test]
    fn floating_node_converges() {
        // 0 → 1 → 2 with a dead end at 3 hanging off node 1 through a diode.
        let mut n = Network::new(
            4,
            vec![diode(0, 1, 50.0), diode(1, 2, 50.0), diode(1, 3, 50.0)],
            1e-12,
        );
        let s = n.solve(0, 2, Drive::Current(1e-3), false);
        assert!(s.converged, "{s:?}");
        assert!(s.voltage > 1.0 && s.voltage < 1.6, "{s:?}");
    }
}
