# kmdiag's English messages. One message per key; `$name` values are filled in by the code.
# Russian is ru.ftl: both files have the same keys with the same values (a test checks).
# Terminal labels arrive already written as the language writes them (D4 or Д4).

## Words and letters

word-apartment = apartment
word-entrance = entrance
letter-tens = D
letter-units = E
apartment-short = apt {$n}

## Faults

fault-short = short
fault-reversed = reversed
fault-leak = leak
fault-high-resistance = bad contact (high resistance)
fault-open = open line

## Cell states, their grid tags and what they mean

state-ok = ok
state-absent = no handset
state-unused = unused
state-not-measured = not measured
state-ghost = ghost
state-suspect = suspect reading
state-tag-ok = ok
state-tag-ghost = ghost
state-tag-short = SHORT
state-tag-reversed = REVERSED
state-tag-leak = LEAK
state-tag-high-resistance = HIGH-R
state-tag-open = OPEN
state-tag-suspect = SUSPECT
state-meaning-ok = healthy handset
state-meaning-absent = no handset (OL both ways), normal for a flat without one
state-meaning-unused = no apartment on this crossing
state-meaning-not-measured = not measured
state-meaning-ghost = empty crossing reading through a faulty handset elsewhere
state-meaning-short = handset or drop wire shorted
state-meaning-reversed = handset wired the wrong way round
state-meaning-leak = handset conducts backwards
state-meaning-high-resistance = bad contact: conducts, but far above the others
state-meaning-open = cut off by a broken line
state-meaning-suspect = a reading no handset or meter gives: re-measure both ways


## Fixed report and table terms (Term)

term-report-title = Intercom wiring report
term-building = Building
term-entrance = Entrance
term-date = Date
term-meter = Meter
term-source = Source
term-profile = Profile
term-switch = Switch
term-matrix = Matrix
term-matrix-of-entrance = matrix
term-offset = Offset
term-apartments = Apartments
term-apartment = Apartment
term-typical-forward = Healthy handsets here read
term-no-calibration = No handset read forward: nothing to calibrate against.
term-findings = Findings
term-no-fault = No fault found.
term-subject = Apartment / line
term-where = Where
term-fault = Fault
term-confidence = Sure
term-evidence = Evidence
term-action = Do next
term-legend = Legend
term-grid = Crossings (D lines down, E lines across)
term-raw-measurements = Appendix: raw measurements
term-forward = Forward (red on D)
term-reverse = Reverse (red on E)
term-apartment-short = Apt.
term-forward-short = Forward
term-reverse-short = Reverse
term-polarity-note = Forward: red (+) probe on the D line, black (−) on the E line; reverse: the other way round. OL: open.
term-bus-checks = Line-to-line checks
term-reading = Reading
term-notes = Notes
term-unknown = not given
term-no-flat = (no flat)
term-line = line
term-state = State
term-result = Result
term-healthy = healthy
term-faults-found = faults found
term-measured = Measured
term-not-recorded = not recorded in the sweep file
term-report-made = Report made
term-summary = Summary
term-handsets-answering = Handsets answering
term-faults = Faults
term-cannot-tell = Cannot tell
term-worst-finding = Worst finding
term-not-checked = not checked
term-entrances-with-faults = Entrances with faults
term-healthy-entrances = Healthy entrances
term-not-measured-list = Not measured
term-unused-open = No apartment, open both ways
term-blank = blank
term-warning = Warning
term-incomplete = incomplete sweep
term-no-fault-measured = No fault found on the crossings measured.

## Errors

error-unknown-lang-env = KMDIAG_LANG is '{$value}', not a language kmdiag speaks; set it to one of {$known} or unset it


## Table

table-typical = Healthy handsets here read about {$ohms} forward (red on {$d}, black on {$e}).

## Diagnosis: pieces

reading-nothing = nothing
reading-open = open
reading-sneak-path = {$ohms} (a sneak path)
who-apartment = apartment {$apartment}
who-unmapped = the handset on {$cell} (no apartment maps here)
whom-apartment = apartment {$apartment} ({$cell})
flat-at = {$apartment} ({$cell})
twin-named = {$cell} ({$who})
twin-unknown = its twin
short-at = the short at {$cell} ({$who})
short-another = another short
fault-any = fault
list-and-more = {$list} and {$more} more
join-and = {$first}, and {$second}

## Diagnosis: evidence

evidence-parts = {$what}{$ghosts}{$twin}
evidence-none = no evidence recorded
evidence-short-same = reads {$forward} forward and {$reverse} reverse, the same both ways, where a handset reads about {$typical} forward and open in reverse
evidence-short-low = reads {$forward} forward and {$reverse} reverse, low both ways, where a handset reads about {$typical} forward and open in reverse
evidence-leak = forward {$forward} but reverse reads {$reverse} where a healthy handset reads open
evidence-reversed-like-handset = reads like a handset both ways ({$forward} forward, {$reverse} reverse): a reversed handset whose forward reading comes from another handset through touching lines, or a leak as low as a handset
evidence-reversed = reverse reading {$reverse} where a handset reads open, and forward {$forward}: it conducts like a handset, the wrong way round
evidence-ghosts = { $n ->
    [one] ; explains the ghost reading on the empty crossing {$cells}
   *[other] ; explains ghost readings on the empty crossings {$cells}
}
evidence-ghosts-counted = ; explains ghost readings on {$n} empty crossings
evidence-high-resistance = forward {$forward}, {$times}× this entrance's typical {$typical}, reverse open{$behind}
evidence-behind-dropped = ; the ghosts through the same faulty handset made the meter drop range and read {$range} here, and this crossing reads well under what any of them may: a handset is there but conducts poorly
evidence-behind-path = ; its sneak paths alone would read {$low}–{$high}, so a handset is there but conducts poorly
evidence-span = {" "}(apartments {$first}–{$last})
evidence-open-line = all {$served} flats on {$line}{$span} read open both ways while the other lines answer: a broken {$line} wire, not {$served} missing handsets
evidence-joined = {$first} and {$second} both read low in reverse ({$first_ohms} and {$second_ohms}), like shorts, and every other crossing of {$a} and {$b} reads both lines' handsets at once: {$a} and {$b} are joined at {$via}, through shorts at both crossings or a short at one with the two wires touching; the readings cannot tell which
evidence-bus-measured = {$lines} reads {$ohms} where separate lines read open and no handset path explains it: the two wires touch
evidence-bus-alike = {$a} and {$b} read the same on all {$matched} crossings that conduct (within {$within} %): the two wires touch, so every handset on one answers on the other
evidence-twin-unmapped = ; {$twin} reads the same through the touching lines but no apartment maps there
evidence-twin-higher = ; {$twin} reads the same through the touching lines, slightly higher, so the fault is on {$cell}

## Diagnosis: what to do

action-short = disconnect {$who} at its floor box and re-measure {$pair}: expect OL in reverse; if it still reads low the drop wire is shorted
action-reversed = swap the two wires of {$who} at the floor box or in the handset, then re-measure {$pair}: expect about {$typical} forward and OL in reverse
action-leak = inspect {$who} for moisture or damage, replace the handset if wet or cracked, then re-measure {$pair}: expect OL in reverse
action-bad-contact = check the terminals of {$who} at the switch and in the floor box (oxidised, or clamped on the insulation), re-seat them and re-measure {$pair}: expect about {$typical}
action-open-line = trace the {$line} wire from the switch terminal to the riser: look for a break, a loose screw or a cut in the floor boxes; re-measure any {$line} crossing: expect about {$typical}
action-bus-alike = measure {$lines} directly (expect OL when healthy), then separate the wires: look for touching wires, a wire on the panel body, or a handset wired across {$a} and {$b}
action-joined = disconnect {$first_who} and {$second_who} at their floor boxes and measure {$lines}: OL means both handsets (or drop wires) are shorted, repair both; still low means {$a} and {$b} touch, separate them; then reconnect each and re-measure {$first_pair} and {$second_pair}: expect OL in reverse
action-bus-short = separate {$a} and {$b}: look for touching wires at the switch and in the floor boxes, a wire on the panel body, or a handset wired across {$a} and {$b}; re-measure {$lines}: expect OL

## Diagnosis: what this sweep cannot tell, and what to re-measure

remeasure-behind-ghost = {$pair} reads only through a sneak path ({$forward}): no handset, or one hidden behind the ghost reading; once the faults found are repaired, re-measure {$pair}: about {$typical} is a handset, OL is none, far above is a bad contact
remeasure-maybe-bad-contact = {$pair} reads {$forward}, under what its sneak paths alone read, but not clearly enough to name a bad contact: disconnect {$who} at its floor box and measure the handset alone (expect about {$typical}), or re-measure {$pair} once the faults found are repaired
remeasure-maybe-high-resistance = {$pair} reads {$forward} forward, above this entrance's handsets (about {$typical}) but not clearly a bad contact: measure {$who} at its floor box and re-measure {$pair}
remeasure-behind-reverse-ghost = {$pair} reads {$reverse} in reverse through a sneak path, so a leak there would not show; once the faults found are repaired, re-measure {$pair} in reverse: expect OL
remeasure-unclear-kind = {$pair} conducts from E to D ({$forward} forward, {$reverse} reverse) but the readings do not say whether {$who} is shorted, reversed or leaking: disconnect it at its floor box and re-measure {$pair} both ways
remeasure-suspect = {$pair} reads {$forward} forward and {$reverse} in reverse, which no handset, wire or meter gives: re-measure {$pair} both ways, probes firmly on the terminals
remeasure-twin = {$pair} and {$other} read alike through touching lines, so the {$fault} is on one of the two: separate the touching lines, then re-measure both
remeasure-behind-touching = {$pair} is on a line that touches another, so it reads in parallel with its twin there: a missing handset or a bad contact does not show; once the lines are separated, re-measure {$pair}: about {$typical} is a handset
remeasure-short-or-twin = {$pair} reads {$forward} forward and {$reverse} reverse, low both ways like a short, but so would {$other} through two lines touching: repair that one, then re-measure {$pair} (OL in reverse: it was the twin, and two lines touch; look for them)
remeasure-both-ways = re-measure {$pair} both ways
remeasure-maybe-touching = {$a} and {$b} may touch: measure {$lines} directly (OL when they are separate)
remeasure-line-or-empty = every flat on {$line} reads open both ways: either none of them has a handset or the {$line} wire is broken; measure across the handset of one of them at its floor box, and if it reads like a handset there, trace the {$line} wire

## Diagnosis: notes about the sweep as a whole

note-no-calibration = no crossing conducted forward only, so nothing to calibrate against; using the profile's nominal {$min}–{$max}
note-few-handsets = { $n ->
    [one] only {$n} handset to calibrate from; the healthy reading {$typical} is a rough guess
   *[other] only {$n} handsets to calibrate from; the healthy reading {$typical} is a rough guess
}
note-outside-nominal = healthy handsets read about {$typical} here, outside the profile's nominal {$min}–{$max}: normal for some meters and handsets; kmdiag judges against this entrance's own reading
note-two-models = {$share} % of the handsets read about {$second} and the rest about {$first}: two handset models; each is judged against its own
note-dead = nothing conducted anywhere: check that the probes or the adapter really touch the terminal blocks and that the right matrix was swept
note-probes-swapped = {$n} crossings conduct only from E to D: were the probes swapped for the whole sweep (red on E)? Red must be on the D terminal for a forward reading
note-powered = {$n} crossings conduct backwards: check that the panel is disconnected (never measure a powered line) and that the probes are on the D and E blocks
note-unmapped-conducts = {$cell} reads {$ohms} forward though no apartment maps there: a handset or a stray connection; check --apartments and --offset
note-behind-ghost = { $n ->
    [one] apartment {$list} reads only through a sneak path: it has no handset or one hidden behind the ghost reading (a bad contact there looks the same); re-measure it after the repair
   *[other] apartments {$list} read only through sneak paths, the one reading furthest under its ghost first: each has no handset or one hidden behind the ghost reading (a bad contact there looks the same); re-measure them after the repair, in that order
}
note-behind-touching = { $n ->
    [one] apartment {$list} sits on touching lines and reads in parallel with its twin: a missing handset or a bad contact there does not show; re-measure it once the lines are separated
   *[other] apartments {$list} sit on touching lines and read in parallel with their twins: a missing handset or a bad contact there does not show; re-measure them once the lines are separated
}
note-behind-reverse-ghost = { $n ->
    [one] apartment {$list} reads finite in reverse only through sneak paths between the faults found: a leak there would read the same; re-measure it in reverse after the repair (expect OL)
   *[other] apartments {$list} read finite in reverse only through sneak paths between the faults found: a leak there would read the same; re-measure them in reverse after the repair (expect OL)
}
note-cannot-tell = cannot tell {$whom} from this sweep: {$remeasure}

## Diagnosis: warnings, read before any finding

warning-incomplete = { $n ->
    [one] incomplete sweep: {$n} apartment not measured in both directions: {$list}; the entrance cannot be called healthy until its crossing is measured both ways (pass --partial if it was left out on purpose)
   *[other] incomplete sweep: {$n} apartments not measured in both directions: {$list}; the entrance cannot be called healthy until those crossings are measured both ways (pass --partial if they were left out on purpose)
}
warning-suspect = { $n ->
    [one] suspect readings: {$n} apartment read what no handset or meter gives: {$list}; the entrance cannot be called healthy until its crossing is measured again both ways
   *[other] suspect readings: {$n} apartments read what no handset or meter gives: {$list}; the entrance cannot be called healthy until those crossings are measured again both ways
}
warning-layout = the layout does not fit this sweep: {$why}; --offset {$offset}, --matrix {$matrix} or --apartments is probably wrong{$suggestion}{$withheld}
layout-off-handsets = { $n ->
    [one] {$n} crossing with no apartment reads like a healthy handset ({$list})
   *[other] {$n} crossings with no apartment read like a healthy handset ({$list})
}
layout-open = {$open} of {$measured} apartments read open both ways
layout-suggestion = ; --offset {$offset} --matrix {$matrix} explains the sweep best
layout-no-suggestion = ; no other offset or matrix explains it: check --apartments
layout-withheld = ; faults found but not named by apartment until the layout is right: {$list}
withheld-fault = {$fault} at {$cell}{$by}
withheld-by = , apartment {$apartment} at --offset {$offset}

## diff: what changed since last time

change-fault-appeared = fault appeared
change-handset-lost = handset lost
change-drift-up = reading rose
change-entrance-missing = entrance missing
change-fault-cleared = fault cleared
change-handset-appeared = handset appeared
change-drift-down = reading fell
change-entrance-added = entrance added
diff-col-entrance = Entrance
diff-col-change = Change
diff-col-where = Where
diff-col-was = Was
diff-col-now = Now
diff-worse-mark = worse
diff-no-change = No change: same faults, same handsets, no reading moved by more than {$tolerance} %.
diff-nothing-worse = Nothing got worse.
diff-worse-count = { $n ->
    [one] {$n} change for the worse.
   *[other] {$n} changes for the worse.
}
diff-note = note: {$note}
