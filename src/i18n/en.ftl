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
fault-joined = lines joined

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
term-no-fault-named = No fault named for sure.
term-unsettled = cannot tell: a fault is likely

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
short-at-unmapped = the short at {$cell} (no apartment maps there: its own two wires touching)
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
evidence-behind-dropped-own = ; the ghosts through the same faulty handset made the meter drop range and read {$range} here, and along this crossing's own handsets a ghost would read {$least} or more there; this crossing reads well under that: a handset is there but conducts poorly
evidence-behind-path = ; its sneak paths alone would read {$low}–{$high}, so a handset is there but conducts poorly
evidence-span = {" "}(apartments {$first}–{$last})
evidence-open-line = all {$served} flats on {$line}{$span} read open both ways while the other lines answer: a broken {$line} wire, not {$served} missing handsets
evidence-open-line-or-empty = all {$served} flats on {$line}{$span} read open both ways while the other lines answer: a broken {$line} wire, unless none of the {$served} has a handset (about {$chance} % here, where {$empty} of {$measured} other flats have none)
evidence-joined = {$first} and {$second} both read low in reverse ({$first_ohms} and {$second_ohms}), like shorts, and every other crossing of {$a} and {$b} reads both lines' handsets at once: {$a} and {$b} are joined at {$via}, through shorts at both crossings or a short at one with the two wires touching; the readings cannot tell which for sure (shorts at both about {$shorts_share} %, a short and touching wires about {$touching_share} %)
evidence-bus-measured = {$lines} reads {$ohms} where separate lines read open and no handset path explains it: the two wires touch
evidence-bus-alike = {$a} and {$b} read the same on all {$matched} crossings that conduct (within {$within} %): the two wires touch, so every handset on one answers on the other
evidence-twin-unmapped = ; {$twin} reads the same through the touching lines but no apartment maps there
evidence-twin-higher = ; {$twin} reads the same through the touching lines, slightly higher, so the fault is on {$cell}
evidence-twin-sided = ; {$twin} reads it too through the touching lines: forward and back, the two crossings together read {$ohms} more on its side (the touching wires, once each way), so the fault is on {$cell}
evidence-twin-unoccupied = ; {$twin} reads it too through the touching lines, and reads {$cell}'s handset forward {$ohms} higher through them: no handset of its own, so the fault is on {$cell}

## Diagnosis: what to do

action-short = disconnect {$who} at its floor box and re-measure {$pair}: expect OL in reverse; if it still reads low the drop wire is shorted
action-reversed = swap the two wires of {$who} at the floor box or in the handset, then re-measure {$pair}: expect about {$typical} forward and OL in reverse
action-leak = inspect {$who} for moisture or damage, replace the handset if wet or cracked, then re-measure {$pair}: expect OL in reverse
action-bad-contact = check the terminals of {$who} at the switch and in the floor box (oxidised, or clamped on the insulation), re-seat them and re-measure {$pair}: expect about {$typical}
action-open-line = trace the {$line} wire from the switch terminal to the riser: look for a break, a loose screw or a cut in the floor boxes; re-measure any {$line} crossing: expect about {$typical}
action-open-line-check-first = first measure across the handset of one of these flats at its floor box: if it reads like a handset there (about {$typical}), trace the {$line} wire from the switch terminal to the riser for a break, a loose screw or a cut in the floor boxes; if no flat on {$line} has a handset, nothing is wrong
action-bus-alike = measure {$lines} directly (expect OL when healthy), then separate the wires: look for touching wires, a wire on the panel body, or a handset wired across {$a} and {$b}
action-joined = disconnect {$first_who} and {$second_who} at their floor boxes and measure {$lines}: OL means both handsets (or drop wires) are shorted, repair both; still low means {$a} and {$b} touch, separate them; then reconnect each and re-measure {$first_pair} and {$second_pair}: expect OL in reverse
action-bus-short = separate {$a} and {$b}: look for touching wires at the switch and in the floor boxes, a wire on the panel body, or a handset wired across {$a} and {$b}; re-measure {$lines}: expect OL

## Diagnosis: what this sweep cannot tell, and what to re-measure

remeasure-behind-ghost = {$pair} reads only through a sneak path ({$forward}): no handset, or one hidden behind the ghost reading; once the faults found are repaired, re-measure {$pair}: about {$typical} is a handset, OL is none, far above is a bad contact
remeasure-maybe-bad-contact = {$pair} reads {$forward}, under what its sneak paths alone read, but not clearly enough to name a bad contact: disconnect {$who} at its floor box and measure the handset alone (expect about {$typical}), or re-measure {$pair} once the faults found are repaired
remeasure-maybe-high-resistance = {$pair} reads {$forward} forward, above this entrance's handsets (about {$typical}) but not clearly a bad contact: measure {$who} at its floor box and re-measure {$pair}
remeasure-behind-bare-ghost = {$pair} reads {$forward} forward and {$reverse} in reverse, as the sneak path through the shorts found reads both ways, so a short or a handset there would not show; once the faults found are repaired, re-measure {$pair} both ways
remeasure-behind-reverse-ghost = {$pair} reads {$reverse} in reverse, as a sneak path would, so a leak there would not show; once the faults found are repaired, re-measure {$pair} in reverse: expect OL
remeasure-unclear-kind = {$pair} conducts from E to D ({$forward} forward, {$reverse} reverse) but the readings do not say whether {$who} is shorted, reversed or leaking: disconnect it at its floor box and re-measure {$pair} both ways
remeasure-suspect = {$pair} reads {$forward} forward and {$reverse} in reverse, which no handset, wire or meter gives: re-measure {$pair} both ways, probes firmly on the terminals
remeasure-twin = {$pair} and {$other} read alike through touching lines, so the fault ({$fault}) is on one of the two: separate the touching lines, then re-measure both
remeasure-twin-shorts = {$pair} and {$other} read alike through the faulty handsets found that join their lines, so the fault ({$fault}) is on one of the two: repair those handsets first, then re-measure both
remeasure-twin-joined = {$pair} and {$other} read alike because their lines are joined, through the shorts found or by touching wires, so the fault ({$fault}) is on one of the two: repair the shorts and separate any touching wires, then re-measure both
remeasure-reversed-behind-shorts = {$pair} reads {$reverse} in reverse, as the handset of {$other} reads forward: the shorts at the two other corners of their rectangle join their lines the other way round, so a handset wired the wrong way round here would read just the same, alone or beside that one; once those shorts are repaired, re-measure {$pair} in reverse: expect OL (a reading like a handset's means it is wired the wrong way round)
remeasure-behind-touching = {$pair} is on a line that touches another (or may), so it reads in parallel with its twin there: a missing handset or a bad contact does not show; once the lines are separated, re-measure {$pair}: about {$typical} is a handset
remeasure-short-or-twin = {$pair} reads {$forward} forward and {$reverse} reverse, low both ways like a short, but so would {$other} through two lines touching: repair that one, then re-measure {$pair} (OL in reverse: it was the twin, and two lines touch; look for them)
remeasure-both-ways = re-measure {$pair} both ways
remeasure-joined-touching = {$a} and {$b} may touch, with a short at only one of the two crossings that join them: with both flats disconnected, {$lines} still reads low (OL when they are separate)
remeasure-maybe-touching = {$a} and {$b} may touch: measure {$lines} directly (OL when they are separate)
remeasure-joined-unplaced = {$a} and {$b} are joined at both crossings of one of two other lines (the four crossings where they meet those two read low both ways: shorts at three of them, and the fourth reads their path), but the readings cannot tell which: disconnect the four flats at their floor boxes and measure {$lines} (OL: the join was in those flats), then re-measure the four crossings
remeasure-touching-or-short = {$a} and {$b} may touch: {$cell} would then read low as the twin of the short found, not as a short of its own; repair the short found, then measure {$lines} directly (OL when they are separate)
crossing-at = the crossing {$cell}
remeasure-line-or-empty = every flat on {$line} reads open both ways: either none of them has a handset or the {$line} wire is broken; measure across the handset of one of them at its floor box, and if it reads like a handset there, trace the {$line} wire

## Diagnosis: notes about the sweep as a whole

note-no-calibration = no crossing conducted forward only, so nothing to calibrate against; using the profile's nominal {$min}–{$max}
note-few-handsets = { $n ->
    [one] only {$n} handset to calibrate from; the healthy reading {$typical} is a rough guess
   *[other] only {$n} handsets to calibrate from; the healthy reading {$typical} is a rough guess
}
note-outside-nominal = healthy handsets read about {$typical} here, outside the profile's nominal {$min}–{$max}: normal for some meters and handsets; kmdiag judges against this entrance's own reading
note-two-models = {$share} % of the handsets read about {$second} and the rest about {$first}: two handset models; each is judged against its own
typical-two-models = {$typical} or, for the second handset model here, {$second}
note-dead = nothing conducted anywhere: check that the probes or the adapter really touch the terminal blocks and that the right matrix was swept
note-probes-swapped = {$n} crossings conduct only from E to D: were the probes swapped for the whole sweep (red on E)? Red must be on the D terminal for a forward reading
note-powered = {$n} crossings conduct backwards: check that the panel is disconnected (never measure a powered line) and that the probes are on the D and E blocks
note-unmapped-conducts = {$cell} reads {$ohms} forward though no apartment maps there: a handset or a stray connection; check --apartments and --offset
note-behind-ghost = { $n ->
    [one] apartment {$list} reads only through a sneak path: it has no handset or one hidden behind the ghost reading (a bad contact there looks the same); re-measure it after the repair
   *[other] apartments {$list} read only through sneak paths, the one reading furthest under its ghost first: each has no handset or one hidden behind the ghost reading (a bad contact there looks the same); re-measure them after the repair, in that order
}
note-behind-touching = { $n ->
    [one] apartment {$list} sits on lines that touch (or may touch) and reads in parallel with its twin: a missing handset or a bad contact there does not show; re-measure it once the lines are separated
   *[other] apartments {$list} sit on lines that touch (or may touch) and read in parallel with their twins: a missing handset or a bad contact there does not show; re-measure them once the lines are separated
}
note-behind-reverse-ghost = { $n ->
    [one] apartment {$list} reads finite in reverse as a sneak path between the faults found would read, and as a leak there would too; re-measure it in reverse after the repair (expect OL)
   *[other] apartments {$list} read finite in reverse as sneak paths between the faults found would read, and as a leak there would too; re-measure them in reverse after the repair (expect OL)
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
warning-likely-unnamed = { $n ->
    [one] no fault is named, but one is at least as likely as not at {$list}, and this sweep cannot settle it: do what its note below says before calling the entrance healthy
   *[other] no fault is named, but one is at least as likely as not at each of {$list}, and this sweep cannot settle them: do what their notes below say before calling the entrance healthy
}
likely-at = {$whom} ({$fault}, {$percent} %)
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

## Errors: reading a sweep file (file, line, column; what is wrong; what to do)

error-at-line = {$path}: line {$line}: {$problem}
error-sweep-header = {$path}: line {$line}: the column header must name plus,minus,ohms (or tens,units,forward_ohms,reverse_ohms as kmdiag's CSV report writes them); found '{$found}'
error-sweep-value = {$path}: line {$line}, column '{$column}': {$problem}
error-sweep-empty = {$path}: no measurements after the header; a sweep needs at least one row
sweep-mixed-separators = the column header '{$header}' holds both ',' and ';', so the columns cannot be told apart; separate them with one of the two
sweep-hint-decimal-comma = ; a number with a decimal comma in a ','-separated file? write 712.5, quote it ("712,5"), or separate the columns with ';'
sweep-hint-quote = ; quote a value that holds the separator
sweep-too-many-values = {$values} values where the header names {$columns} columns{$hint}
sweep-missing-terminal = missing terminal; expected {$expected}
sweep-unknown-terminal = unknown terminal '{$value}'; expected {$expected}
sweep-same-as-plus = '{$value}' is the same terminal as plus; a measurement needs two terminals
sweep-other-entrance = this row is of another entrance or matrix ('{$this}') than line {$first_line} ('{$first}'); a sweep is one matrix of one entrance: keep one entrance's rows
sweep-same-as-tens = '{$value}' is the same terminal as tens
sweep-units-in-tens = '{$value}' is a units terminal in the tens column
sweep-not-on-switch = terminals '{$plus}' and '{$minus}' are not on this switch
sweep-csv = {$problem}
sweep-warning-repeated = {$path}: line {$line}: {$plus} → {$minus} was already measured on line {$earlier}; the later reading wins{ $more ->
    [0] {""}
   *[other] {" "}({$more} more rows repeat an earlier pair)
}
sweep-warning-unknown-key = {$path}: line {$line}: unknown header key '{$key}' is ignored; the keys are {$keys}
sweep-header-repeated = header key '{$key}' is given again (first on line {$first}); keep one
sweep-header-version = sweep header format version '{$value}' is not one this kmdiag reads (it reads {$reads}); update kmdiag, or delete the '#' header lines and pass --profile, --offset … instead
sweep-header-time = measured-at '{$value}' is not a time with its offset; write it like 2026-11-21T14:03:12+03:00
sweep-header-matrix = matrix '{$value}' is not a matrix number; write 1 for the first hundred
sweep-header-offset = offset '{$value}' is not a whole number; write it like 72
apartments-not-a-range = '{$part}' is not an apartment range; write it like 73-144 or 5
apartments-backwards = '{$part}' is not an apartment range; the first flat must be at least 1 and not after the last
apartments-empty = empty apartment range; write it like 73-144
labels-expected = {$tens} or {$units}
ohms-missing = missing value; expected ohms as a number like 742.5, or OL
ohms-negative = '{$value}' is not a resistance; expected a number ≥ 0, or OL
ohms-not-a-number = '{$value}' is not a number; write ohms like 742.5, 1.2k or 1,2 кОм, or OL
ohms-not-finite = '{$value}' is not a resistance a meter shows
ohms-mixed-marks = '{$value}' mixes '.' and ',' in one number; write the decimal mark once and no thousands separator, like 1234.5
ohms-many-marks = '{$value}' has more than one decimal mark; write the number without thousands separators, like 1234.5
ohms-ambiguous-comma = '{$value}' is ambiguous: a decimal comma or a thousands separator? write it as 1.2 or 1200
ohms-ambiguous-point = '{$value}' is ambiguous in a ';'-separated file: a decimal point or a thousands separator? write it as 1,2 or 1200
ohms-bad-number = '{$value}' is not a number; write ohms like 742.5, 1.2k or 1,2 кОм, or OL
ohms-milliohms = '{$value}': a lower-case m means milliohms, which no handset sweep shows; write M (МОм) for megaohms
ohms-unknown-unit = '{$value}': unknown unit '{$unit}'; write ohms as a plain number, or with Ω, k, M (кОм, МОм)
text-bad-utf8-after-bom = byte {$byte}: not UTF-8 although the file starts with a UTF-8 byte-order mark; save the sweep again as CSV (UTF-8)
text-bad-utf16 = the file starts with a {$encoding} byte-order mark but is not valid {$encoding}; save the sweep again as CSV (UTF-8)
text-nul-byte = byte {$byte}: a NUL byte, so this is not a text CSV (UTF-16 without a byte-order mark?); save the sweep as CSV (UTF-8)
text-unknown-encoding = byte {$byte}: neither UTF-8 nor windows-1251 text; save the sweep as CSV (UTF-8)

## Errors: input files and what the OS said

error-input-open = cannot read {$what} {$path}: {$cause}
error-input-not-a-file = cannot read {$what} {$path}: it is {$kind}, not a regular file; give a file (or - for standard input)
error-input-too-large = {$path}: the {$what} is larger than {$limit} MiB, more than any real one; check that this is the right file
error-not-utf8 = {$path}: line {$line}, byte {$byte}: not UTF-8 text; save the {$what} as UTF-8
file-sweep = sweep file
file-map = map file
file-profile = profile
file-plan = building plan
file-check = check to compare
file-other = {$what}
file-is-folder = a folder
file-is-char-device = a character device
file-is-block-device = a block device
file-is-fifo = a named pipe (FIFO)
file-is-socket = a socket
file-is-other = not a regular file
# The OS's own words ($os) are what English shows.
os-not-found = {$os}
os-permission-denied = {$os}
os-other = {$os}
# How main prints an error that ended the run.
error-line = kmdiag: error: {$text}

## Errors: profiles, map files, apartments and matrices

nothing = {""}
did-you-mean-one = {" "}(did you mean {$name}?)
did-you-mean-many = {" "}(did you mean {$names} or {$last}?)
error-profile-syntax = {$path}:{$line}:{$column}: {$problem} (key '{$key}'); fix the profile or compare with `kmdiag profiles show eltis`
error-profile-invalid = {$path}: key '{$key}': {$problem}
error-profile-unknown = unknown profile '{$name}'{$hint}; built-in profiles are {$known}{$mine}, or give a path to a .toml file
error-profile-unknown-switch = profile '{$profile}' has no switch '{$model}'{$hint}; known models: {$known}
error-profile-not-utf8 = {$path}: byte {$byte}: not UTF-8 text; save the profile as UTF-8
profile-yours = ; yours are {$names}
profile-name-empty = must not be empty
profile-no-switch = at least one [[switch]] with model, tens, units and matrices is needed
profile-too-many-switches = {$count} switch models; a profile may list at most {$max}
profile-tens-units-range = tens = {$tens} and units = {$units} must each be 1-100
profile-matrices-range = matrices = {$matrices} must be 1-{$max}: no switch has more hundreds
profile-default-switch = '{$model}' is not one of the [[switch]] models
profile-nominal-range = min = {$min} and max = {$max} must satisfy 0 < min < max
profile-too-few-names = {$given} names given but a switch has {$need} lines
profile-name-not-file = is '{$name}' but the file is {$file}.toml; make them the same (name = "{$file}"), so --profile {$file} finds it and reports name it
error-map-header = {$path}: line 1: the header must name the columns apartment,tens,units
error-map-value = {$path}: line {$line}, column '{$column}': '{$value}' {$expected}
error-map-shared-cell = {$path}: line {$line}: apartments {$first} and {$second} are both on {$cell}; one crossing holds one handset
error-map-duplicate = {$path}: line {$line}: apartment {$apartment} is listed twice
map-not-csv = is not valid CSV text
map-not-apartment = is not an apartment number
map-not-terminal = is not a {$kind} terminal; expected {$expected}
error-mapping-zero = apartment 0 is not a flat number; flats are numbered from 1
error-mapping-below-offset = apartment {$apartment} is at or below the offset {$offset}: line numbers start at 1; check --offset
error-mapping-beyond-switch = apartment {$apartment} is line {$line}, beyond the {$capacity} lines of switch {$model} ({$matrices} matrices of up to {$per_matrix} lines); check --offset or --switch
error-mapping-no-such-matrix = matrix {$matrix} does not exist on switch {$model}, which has matrices 1-{$matrices}
error-mapping-not-on-matrix = that crossing is not on matrix {$matrix} of switch {$model}, which has {$tens} tens lines there; check --matrix
error-mapping-not-an-apartment = that crossing would be apartment {$apartment}, which is not a flat number; check --offset
error-layout-several-matrices = apartments {$first}-{$last} span matrices {$matrices}; a sweep covers one matrix: pass --matrix N
error-layout-empty-matrix = none of the apartments is on matrix {$matrix}; check --apartments, --offset and --matrix
error-layout-no-apartments = no apartment is on matrix {$matrix} of switch {$model} with {$how}; check {$check}
error-layout-map-outside = map puts apartment {$apartment} on {$cell}, which is not on switch {$model}
layout-by-map-and-apartments = the map file and these apartments
layout-check-map-lists-apartments = that the map file lists the apartments of --apartments
layout-by-map = the map file
layout-by-offset = offset {$offset}
layout-check-offset-matrix = --offset and --matrix
error-settings-no-profile = {$path}: the sweep does not say which switch it is from (no '# profile:' header line); pass --profile NAME|PATH (built-in: {$known}; see 'kmdiag profiles'), or set a default with KMDIAG_PROFILE or profile in the settings file ('kmdiag config path')
error-settings-header-value = {$path}: line {$line}: {$cause}; fix the header line or pass the flag
settings-given-by-plan = {$plan} (entrance {$entrance}) {$setting}
settings-disagreement = {$path}: {$who} disagrees with the sweep's header ({$key}: {$header}, line {$line}); using {$given}

## check and report: lines on stderr

check-jobs-capped = --jobs {$asked}: checking with {$used} worker thread(s), one per core of this machine
check-not-checked = kmdiag: {$failed} of {$total} entrances could not be checked; the others are reported {$place}
check-reported-in-file = in the file
check-reported-above = above
check-not-judged-whole = { $n ->
    [one] kmdiag: {$n} entrance could not be judged whole: its sweep left apartments unmeasured (the "Cannot tell" column counts them with the flats to re-measure); measure them, or pass --partial
   *[other] kmdiag: {$n} entrances could not be judged whole: their sweeps left apartments unmeasured (the "Cannot tell" column counts them with the flats to re-measure); measure them, or pass --partial
}
check-likely-unnamed = { $n ->
    [one] kmdiag: {$n} entrance names no fault, but a fault there is at least as likely as not that its sweep cannot name (its notes say what to re-measure); it is not counted healthy
   *[other] kmdiag: {$n} entrances name no fault, but in each a fault is at least as likely as not that its sweep cannot name (their notes say what to re-measure); they are not counted healthy
}
check-entrance-failed = entrance {$entrance} failed
check-progress = checking entrances
entrance-warning = entrance {$entrance}: {$message}
report-entrance-not-checked-error = entrance {$entrance} could not be checked: {$error}
report-entrance-not-checked = Entrance {$entrance} was not checked: {$error}

## The meter's mode and the voltage check

meter-powered = the line is powered ({$volts} V {$kind}): disconnect the panel before measuring resistance
meter-wrong-mode = the meter is in {$mode} mode; {$hint}
mode-resistance = resistance (Ω)
mode-continuity = continuity (beeper)
mode-diode = diode
mode-voltage-dc = DC volts
mode-voltage-ac = AC volts
mode-current-dc = DC current
mode-current-ac = AC current
mode-capacitance = capacitance
mode-frequency = frequency
mode-duty-cycle = duty cycle
mode-temperature = temperature
mode-other = an unknown
mode-hint-already-ohms = it is already on Ω
mode-hint-select = press SELECT (or FUNC) until the display shows Ω without the beeper or diode symbol
mode-hint-red-lead = turn the dial to Ω and move the red lead back to the V/Ω socket
mode-hint-dial = turn the dial to Ω

## The guided sweep: what it says to the technician, and its status line

unit-seconds = {$n} s
say-terminals = {$plus} and {$minus}
say-arrow = {$plus} → {$minus}
say-point = red on {$plus}, black on {$minus}{$whose}{$reverse}
say-point-apartment = {" "}— apartment {$apartment}
say-point-no-apartment = {" "}— no apartment on this crossing
say-point-bus = {" "}— bus check
say-point-reverse = {" "}(reverse)
say-help = keys: Enter or space = take the reading shown (an OL crossing, or one that reads like the last point), r = redo the last point, s = skip, q = stop and keep the file; к ы й ф on the Russian layout work as r s q a. Clip the black probe on: it stays on one terminal for a whole row, and your free hand is for the keys
say-auto-open = auto-open is on: OL is recorded without a key after { $n ->
    [one] {$n} OL reading
   *[other] {$n} OL readings
} in a row (about {$time}); probes in the air read OL too, so keep them on the terminals until the bell
say-guided-start = guided sweep with the {$meter} on {$port}: { $points ->
    [one] {$points} point
   *[other] {$points} points
} to measure
say-lines-left-out = { $n ->
    [one] line {$lines} carries no apartment and is not measured (--all-crossings measures every crossing)
   *[other] lines {$lines} carry no apartment and are not measured (--all-crossings measures every crossing)
}
say-resume-holds = {$path} holds {$have} of {$total} readings; measuring the remaining { $left ->
    [one] {$left} reading
   *[other] {$left} readings
}
say-already-complete = {$path} already holds all {$total} readings; diagnosing it
say-skipped-points = { $n ->
    [one] {$n} point was skipped; run the same command with --resume to measure it
   *[other] {$n} points were skipped; run the same command with --resume to measure them
}
say-cut-row-dropped = {$path}: the last row is incomplete ({$row}); it is dropped and measured again
say-garbled = garbled data from the meter ({$problem}); check the cable if this repeats
say-adapter-noise = { $n ->
    [one] {$n} garbled line from the adapter was asked for again; a noisy cable
   *[other] {$n} garbled lines from the adapter were asked for again; a noisy cable
}
say-why-stopped = sweep stopped by the technician
say-why-interrupted = sweep interrupted (Ctrl-C)
say-why-failed = the sweep stopped
say-stopped = {$what}; {$path} keeps {$have} of {$total} readings; run the same command with --resume to measure the remaining { $left ->
    [one] {$left} reading
   *[other] {$left} readings
}
say-voltage-check = disconnect the panel from the switch; checking for voltage: turn the meter to DC volts (V⎓), put the probes on {$terminals}, and press Enter when it reads 0 V
say-voltage-first = the voltage check comes first: meter on DC volts, probes on {$terminals}, then Enter once it reads 0 V
say-no-voltage = no voltage between {$terminals} ({$volts} V); turn the dial to Ω
say-prompt = next {$index}/{$total}: {$point}{$lift}
say-prompt-lift-first = ; lift the probes first
say-captured = captured {$point}: {$reading}
say-held = reads {$reading}, like the last point ({$previous}): press Enter if the probes are on {$terminals}, or move them
say-wait-for-reading = no reading since the prompt yet; press Enter once the meter shows the new point
say-not-steady = the reading is still changing ({$reading}); press Enter again to take it as it is, or wait for it to settle
say-lift-first = lift the probes off the terminals first, then put them on {$terminals}: the meter must show them move
say-skipped = skipped {$point}
say-redo = measuring the last point again: {$point}
say-nothing-to-redo = nothing to redo: this is the first point of this run
say-redo-saved = only the last point can be measured again; {$point} is in the file already
say-not-live = the meter shows {$flag}: the display does not follow the probes; press {$flag} to switch it off
say-problem-gone = the meter reads resistance again
status-set-volts = voltage check: turn the meter to DC volts (V⎓)
status-volts = {$volts} V — press Enter if the probes touch both terminals
status-powered = the line is powered — disconnect the panel
status-turn-to-ohms = no voltage — turn the dial to Ω
status-problem = the display cannot be used (see above)
status-lift-first = {$reading} — lift the probes first
status-still-on-last-point = {$reading} — still the last point: move the probes
status-settling = {$reading}  steady {$have}/{$need}
status-open-awaiting-key = OL — press Enter (or space) when the probes are on
status-auto-open = OL  {$have}/{$need} (auto-open)
status-held = {$reading} — like the last point: Enter takes it

## Writing files, resuming a sweep, the sweep's options

kmdiag-line = kmdiag: {$text}
file-cannot-create = cannot create {$path}
file-cannot-write = cannot write {$path}
file-cannot-append = cannot append to {$path}
file-cannot-read-back = cannot read back {$path}
file-no-folder = cannot write {$path}: folder {$folder} does not exist
sweep-output-exists = {$path} already exists; pass --resume to continue that sweep, --force to overwrite it, or choose another name
resume-not-utf8 = cannot resume from {$path}: byte {$byte} is not UTF-8 text, so it is not a kmdiag sweep; it was left as it was
resume-no-header = cannot resume from {$path}: it does not start with the header '{$header}', so it is not a kmdiag sweep; it was left as it was
resume-bad-last-line = cannot resume from {$path}: its last line {$line} has no line end and is not a row cut short; it was left as it was — fix it by hand or start afresh with --force
resume-does-not-match = cannot resume from {$path} (it was left as it was); check that --profile and --switch match that sweep, or start afresh with --force
resume-cannot-open-to-cut = cannot open {$path} to drop its cut-off row
resume-cannot-cut = cannot drop the cut-off row of {$path}
error-unknown-meter = unknown meter '{$model}'{$hint}; expected 'adapter' or one of: {$known}
sweep-stable-count-range = --stable-count {$value} is out of range; expected 1 to 100 readings
sweep-tolerance-range = --tolerance {$value} is out of range; expected 0 to 50 (percent)
sweep-timeout-range = --timeout {$value} is out of range; expected seconds above 0, at most 3600

## Meters: how to get one talking

pc-link-ut61bcd = hold REL/RS232 for about 1 s until RS232 shows on the display
pc-link-ut71 = hold SEND for about 1 s (EXIT leaves PC mode)
pc-link-rs232-brief = press RS232 briefly until RS232 shows on the display
pc-link-generic = switch the PC link on (RS232 / PC button, see the manual)
pc-link-scpi = use the meter's USB (virtual COM) port and check its baud rate in the interface settings
pc-link-ut61eplus = it answers when asked; no PC-link button is named in the sources
pc-link-victor = hold REL/RS232 for about 1 s; its built-in USB cable (1244:d237) is read with --port hid
pc-link-ut61e = press RS232 (the display shows RS232); the UT61E sends twice a second
pc-link-rel-pc = hold REL/PC for about 2 s
pc-link-rel-rs232c = hold REL/RS232C for about 1 s
pc-link-hz-duty = hold Hz/DUTY while switching the meter on
pc-link-rs232c-brief = press RS232C briefly
pc-link-rs232-interface = enable the RS-232 interface on the meter and match its baud rate with --baud
link-advice-polled = the {$meter} did not answer the requests for readings: switch it on ({$how})
link-advice-stream = switch the {$meter}'s PC link on: {$how}
silence-ir-cable = check that the cable's IR end sits on the meter; passive IR cables are powered from DTR/RTS (this model: --dtr {$dtr} --rts {$rts}), try the other levels if nothing arrives;{" "}
silence-hint = {$advice}; {$ir}check that {$port} is the meter's port ('kmdiag ports' lists them); {$hid}
silence-hint-usb = {$advice}; check that the cable's end sits on the meter and that {$port} is its cable ('kmdiag ports' lists the USB-HID meters and cables it sees), and that the --meter model is the meter on the cable
hid-note = USB-HID meter cables (UNI-T UT-D04 and UT-D09, the UT61E+ family's, Victor 70C/86C's) are not serial ports: read them with --port hid

## Errors: meters, adapters, ports and network bridges

# Text that another message or error already said in the run's language.
said = {$text}
error-acquire-silent = no valid data from {$source} for {$time}; {$hint}
error-acquire-lost = lost {$source}: {$cause}; check the cable and the port name
error-acquire-open = cannot open {$port}: {$cause}
error-acquire-protocol = {$source}: {$problem}
adapter-silent-hint = check that the adapter is powered and its USB cable is plugged in, that --port names it (see 'kmdiag ports'), and that no other program has the port open
adapter-protocol-version = the adapter speaks protocol version {$theirs}, this kmdiag speaks {$ours}; update kmdiag or the adapter's firmware
adapter-refuses-version = the adapter refuses protocol version {$ours} (it speaks {$theirs}); update kmdiag or the adapter's firmware
adapter-no-hello = the scanning adapter did not answer HELLO; {$hint}
adapter-channels = the adapter has {$tens} D and {$units} E channels; terminal {$terminal} is beyond them
adapter-powered = the line is powered: the adapter measured {$volts} V on {$at}; disconnect the panel (or power it off) before measuring resistance
adapter-refused = the adapter refused the command: {$code} {$detail}
adapter-count-mismatch = the adapter announced {$count} measurements, {$asked} were asked for
adapter-wrong-pair = line {$seq} measured {$plus}→{$minus}, expected {$want_plus}→{$want_minus}
adapter-unreadable-measurement = measurement {$n} could not be read after {$attempts} attempts; the cable is too noisy: check it and its plugs
adapter-no-valid-answer = no valid answer for {$plus}→{$minus} after {$attempts} attempts; check the cable
adapter-stopped-sending = the scanning adapter stopped sending; {$hint}
hint-cable-then = {$cable}; {$hint}
scpi-no-reply-hint = no reply to '{$command}'; {$how}; check that {$port} is the meter's port ('kmdiag ports')
scpi-no-reply-session = no reply to '{$command}'; check the baud rate (--baud), that the meter's interface is set to USB/RS-232, and that {$port} is its port
meter-no-decoder = '{$model}' has no streaming decoder
stream-no-packet = no valid packet in {$bytes} bytes; is it a recording of this meter model?
stream-hung-up = the port hung up
stream-cannot-record = cannot write the recording: {$cause}
stream-data-ended = the meter's data ended
port-missing = {$os}; no such port: run 'kmdiag ports' to list serial ports and check the cable is plugged in
port-busy = {$os}; {$port} is busy: another program has it open (a terminal program, the meter maker's software, another kmdiag); close that program and try again
port-no-permission-unix = {$os}; permission denied: add yourself to the dialout group ('sudo usermod -aG dialout $USER', then log out and back in), or check that no other program holds {$port}
port-no-permission = {$os}; permission denied: check that no other program holds {$port}
port-settings = {$os}; the port refused the settings: check the meter model and --baud
port-unresponsive = {$os}; the USB serial adapter stopped responding: unplug it, wait a few seconds and plug it in again
port-other = {$os}; check the port name ('kmdiag ports') and that no other program uses it
port-stale-simulator-link = this link was left by a kmdiag simulator that is no longer running (its lock file is free), and the pseudo-terminal it points at may now belong to another program; start the simulator again, or remove the link
port-data-bits = {$bits} data bits are not supported
port-modem-lines = cannot set DTR/RTS: {$os}; this adapter may not drive the modem lines, which a passive IR cable needs for power
tcp-refused = nothing accepts connections on {$addr} (connection refused); check that the bridge (ser2net, a Wi-Fi serial adapter, or 'kmdiag simulate --listen') is running and the port number
tcp-timed-out = no answer from {$addr} within {$seconds} s; check that the bridge is powered, on the same network as this computer, and its IP address
tcp-other = {$cause}; check the bridge's address and that it is on the same network
tcp-no-host = cannot find host '{$host}': {$cause}; check the spelling, or give the bridge's IP address
tcp-setup = cannot set up the connection: {$cause}
tcp-closed = the bridge closed the connection (it restarted, or lost its serial device)
port-empty = --port is empty; give a serial port such as /dev/ttyUSB0 or COM3 (see 'kmdiag ports'), hid for a USB-HID meter cable, or tcp://HOST:PORT for a network bridge
port-bad-hid = --port '{$given}': {$problem}; write it as hid (the one USB-HID meter plugged in) or hid:VID:PID[:SERIAL], e.g. hid:10c4:ea80 ('kmdiag ports' lists them)
port-bad-tcp = --port '{$given}': {$problem}; write it as tcp://HOST:PORT, e.g. tcp://192.168.4.1:23 or tcp://127.0.0.1:5000
port-bad-scheme = --port '{$given}': unknown scheme '{$scheme}://'; kmdiag opens serial ports by name (/dev/ttyUSB0, COM3) and network bridges as tcp://HOST:PORT
tcp-ipv6-brackets = put an IPv6 address in brackets, like [::1]:5000
tcp-ipv6-close = an IPv6 address needs its closing ']'
tcp-no-port = no port number after the host
tcp-no-port-after-address = no port number after the address
tcp-no-host-name = no host before the port number
tcp-bad-host = '{$host}' is not a host name or IP address
tcp-bad-port = '{$port}' is not a TCP port (1 to 65535)
hid-bad-usb-id = '{$text}' is not a USB id (4 hex digits, e.g. 10c4)
hid-write-it = write hid, or hid:VID:PID, e.g. hid:10c4:ea80
hid-no-pid = give the product id after the vendor id: hid:{$vid}:PID, e.g. hid:10c4:ea80
hid-empty-serial = nothing after the last ':'; give the serial number, or leave the ':' out
hid-cannot-list = cannot list USB-HID devices: {$cause}
hid-none-plugged = no USB-HID meter or cable is plugged in (kmdiag reads: {$known}); plug it in, or give a serial port ('kmdiag ports' lists both)
hid-unknown = kmdiag does not know the USB device {$id}; it reads these HID meters and cables: {$known}
hid-not-plugged = no {$name} ({$id}) is plugged in; check the USB cable ('kmdiag ports' lists what is there)
hid-no-such-serial = no {$id} with serial number '{$serial}'; the ones plugged in have {$serials}
hid-several = {$count} USB-HID meters or cables are plugged in: {$names}; name one with --port
hid-twins = {$count} USB-HID devices with the same id and no serial number to tell them apart are plugged in ({$names}); unplug all but the one to read
hid-receive-only = this meter is asked for each reading, and the {$name} only receives; a UT61E+ is read through its own USB cable (10c4:ea80)
hid-baud-too-high = {$baud} baud is beyond the UT-D04's 65535 (16 bits); check the meter model and --baud
hid-refused = the {$bridge} did not take {$what}: {$cause}
hid-setting-baud = the baud rate
hid-setting-uart-on = the UART switch-on
hid-setting-line = the line settings
hid-setting-purge = the purge
cp2110-data-bits = {$bits} data bits; the CP2110 takes 5 to 8
cp2110-stop-bits = {$bits} stop bits; the CP2110 takes 1 or 2

## Errors: building plans, entrances of a building run, the settings file

error-plan-syntax = {$path}:{$line}:{$column}: {$problem} (key '{$key}'); see docs/building-plan.md for the keys
error-plan-invalid = {$path}:{$line}: key '{$key}': {$problem}
error-plan-shared-apartment = {$path}:{$second_line}: entrance {$second} claims apartment {$apartment}, which entrance {$first} (line {$first_line}) already claims; an apartment belongs to one entrance: fix the 'apartments' ranges
error-plan-read-dir = cannot list sweep folder {$path}: {$cause}
error-plan-empty-dir = {$path}: no *.csv sweep files in this folder; record sweeps there or give a building.toml
error-plan-unknown-entrance = no entrance '{$name}' in {$path}; its entrances are {$known}
error-plan-not-utf8 = {$path}: byte {$byte}: not UTF-8 text; save the plan as UTF-8
plan-address-empty = must not be empty; write the building's street address
plan-no-entrance = the plan has no [[entrance]]; add one per entrance (see docs/building-plan.md)
plan-entrance-repeated = entrance '{$number}' is already defined on line {$line}; give each entrance its own number
plan-no-such-matrix = switch {$model} has matrices 1-{$matrices}; {$matrix} is not one of them
plan-unknown-meter = unknown meter '{$meter}'; write '{$adapter}' for the scanning adapter or one of: {$known}
plan-live-needs-meter = a live source needs both 'port' and 'meter'; add meter = "…"
plan-live-needs-port = a live source needs both 'port' and 'meter'; add port = "…"
plan-sweep-list-empty = the list is empty; give the sweep file (or one per matrix)
plan-no-source = the entrance has no source: give sweep = "FILE.csv", or port and meter for check --live
plan-known-absent-outside = apartment {$apartment} is not in this entrance's apartments '{$apartments}'
plan-relative-path-from-stdin = '{$path}' is a relative path, and a plan read from standard input has no folder for it to start from; give the plan as a file (kmdiag check building.toml) or write the path in full
plan-several-sweeps-one-matrix = {$count} sweep files, but {$why}: give one file, or list one per matrix the apartments span
plan-why-map-or-matrix = 'map' or 'matrix' names one matrix
plan-why-one-matrix = these apartments are on one matrix
plan-apartments-span = apartments '{$apartments}' span matrices {$matrices} of switch {$model}: {$what}
plan-live-one-matrix = check --live sweeps one matrix per entrance; record each with `kmdiag sweep --port {$port} …` and list the files in sweep = ["…", "…"], or leave out port and meter
plan-one-sweep-per-matrix = give one sweep file per matrix, in matrix order ({$need} files); {$given} given
plan-names-no-sweep = the plan names no sweep file
error-entrance-not-utf8 = {$path}: byte {$byte}: not UTF-8 text; save it as UTF-8 CSV
error-entrance-no-sweep = no sweep file: the plan gives only a live source ({$port}, {$meter}); run `kmdiag check --live`, or record a sweep and set sweep = "FILE.csv"
error-entrance-live-handheld = a live check with a handheld meter ({$meter} on {$port}) needs someone at the probes: run `kmdiag sweep --port {$port} --meter {$meter} …` for this entrance and set sweep = "FILE.csv" in the plan; `check --live` runs scanning adapters (meter = "adapter")
error-entrance-device = live sweep on {$port}: {$cause}
error-config-missing = {$path} does not exist; 'kmdiag config init --config {$path}' creates it (a path ending in .toml is the settings file itself, anything else a folder for config.toml and profiles/)
error-config-read = cannot read settings file {$path}: {$cause}
error-config-too-large = {$path}: larger than {$kb} kB, so not a kmdiag settings file; check --config or KMDIAG_CONFIG
error-config-syntax = {$path}:{$line}:{$column}: {$problem}{$key}; the settings file takes port, meter, profile and lang (kmdiag config init writes an example)
error-config-invalid = {$path}:{$line}:{$column}: {$key} = "{$value}": {$problem}
config-key-note = {" "}(key '{$key}')
config-not-a-meter = not a meter kmdiag knows{$hint}; write 'adapter' or one of: {$known}
config-no-profile-file = no profile file {$path}; a relative path is read from the settings file's folder
config-not-a-language = not a language kmdiag speaks; write one of: {$known}

## Writing output files safely

output-is-symlink = a symbolic link
output-is-special = not a regular file (a device, pipe or socket)
output-not-regular = {$path} is {$kind}; kmdiag writes output only as a new or regular file, even with --force: choose another name
output-exists = {$path} already exists; pass --force to overwrite it, or choose another name
output-cannot-create-temp = cannot create a temporary file in {$folder}
output-cannot-set-permissions = cannot set the permissions of {$path}
output-no-temp-name = no free temporary name

## Errors of the commands' arguments

file-cannot-read = cannot read {$path}
error-in-file = {$path}: {$problem}
read-unknown-meter = unknown meter model '{$model}'{$hint}; known models: {$known}
read-timeout-range = --timeout '{$value}' must be a number of seconds between 0 and 3600
read-from-file-scpi = --from-file decodes streaming meters only; '{$model}' is an SCPI meter (request/response)
read-record-scpi = --record saves the byte stream of streaming meters; '{$model}' is an SCPI meter
read-four-wire = --four-wire needs an SCPI bench meter; a {$model} measures 2-wire only
read-record-no-folder = cannot record to {$path}: folder {$folder} does not exist
read-not-a-recording = {$path} is not a file; give a recorded byte stream such as a .bin from --record
read-cannot-create-recording = cannot create the recording {$path}
read-port-and-file = --port reads a meter and --from-file decodes a recording; give one of them
diff-both-stdin = only one of OLD and NEW can be - (standard input)
diff-no-thread = cannot start a thread to read the two sides
diff-thread-died = a reading thread stopped without a word (a kmdiag bug)
diff-stdin-not-json = standard input is not a JSON check; give a sweep to compare as a file, or pipe the JSON of `kmdiag check`
diff-no-entrance = {$path}: no entrance '{$entrance}' in this check; give one of its entrance numbers with --entrance
report-bad-epoch = SOURCE_DATE_EPOCH '{$value}' is not a whole number of seconds since 1970-01-01; fix or unset it
report-stdout-format = say which format to write to stdout: --format md|html|csv|json
report-unknown-extension = cannot tell the format from '{$path}'; name the file .md, .html, .csv or .json, or pass --format
report-entrance-twice = one sweep file is one entrance, but --entrance was given again ('{$second}'); give it once
report-flags-on-plan = {$flags} apply to a sweep file; {$plan} gives every entrance its own — edit the plan instead
map-apartment-not-in-file = apartment {$apartment} is not in the map file
map-not-on-matrix = {$cell} is not on matrix {$matrix} of switch {$model}, whose terminals are {$expected}; check --matrix
map-bad-query = '{$query}' is neither an apartment number nor a crossing; write 73, or D7E3 with terminals {$expected}
check-no-target = {$path} does not exist; give a building.toml or a folder of sweeps
check-flags-on-plan = --profile, --offset, --apartments and --map apply to a folder of sweeps; {$path} is a plan, so set them per entrance there
config-no-folder = the OS gives no config folder (no home directory); name a settings file with --config FILE or KMDIAG_CONFIG
man-no-command = no command '{$name}'{$hint}; commands: {$known}
simulate-cannot = cannot simulate this entrance
simulate-no-output = no output file: pass -o FILE (or -o - for stdout)

## CSV report: column names and cell words (English keeps the JSON keys, for scripts)

csv-col-entrance = entrance
csv-col-matrix = matrix
csv-col-tens = tens
csv-col-units = units
csv-col-apartment = apartment
csv-col-state = state
csv-col-forward = forward_ohms
csv-col-reverse = reverse_ohms
csv-col-fault = fault
csv-col-confidence = confidence
csv-state-ok = ok
csv-state-absent = absent
csv-state-unused = unused
csv-state-not-measured = not_measured
csv-state-ghost = ghost
csv-state-suspect = suspect
csv-fault-short = short
csv-fault-reversed = reversed
csv-fault-leak = leak
csv-fault-high-resistance = high_resistance
csv-fault-open = open
csv-line-check = line_check
# Not words: the CSV dialect this language's spreadsheets expect by default (plain or excel).
csv-dialect = plain

## Notes and warnings on stderr (the log)

log-error = kmdiag: error:{" "}
log-warning = kmdiag: warning:{" "}
log-note = kmdiag:{" "}
log-debug = kmdiag: debug:{" "}
log-trace = kmdiag: trace:{" "}
ignored-settings = { $n ->
    [one] {$flags} has no effect on {$port}: {$why}; ignored
   *[other] {$flags} have no effect on {$port}: {$why}; ignored
}
ignored-why-hid = a USB-HID cable is powered from USB and has no modem lines
ignored-why-bridge = the bridge sets baud rate and modem lines on its serial side (for ser2net, in its configuration)
read-start-serial = reading {$source} ({$settings}, DTR {$dtr}, RTS {$rts}); Ctrl-C stops
read-start-hid = reading {$source} ({$settings} through the USB-HID bridge in its cable); Ctrl-C stops
read-start-bridge = reading {$source} (line settings are the bridge's: {$settings} for this meter); Ctrl-C stops
read-note = note: {$note}
wrote-file = wrote {$path}
man-wrote-pages = wrote {$n} manual pages into {$folder}
config-wrote = wrote {$path}; remove the '#' before the settings you want
report-wrote = wrote {$path} ({$entrances} entrance(s), {$findings} finding(s))
physics-field = field physics
physics-lab = lab physics
physics-mixed = mixed physics
simulate-summary = simulated {$profile} {$switch} matrix {$matrix} ({$physics}): {$handsets} handsets, {$without} without, { $faults ->
    [one] {$faults} fault
   *[other] {$faults} faults
} injected, {$measurements} measurements{$written}
simulate-written-to = {" "}written to {$path}

## Errors: documents compared by diff

snapshot-expected = {$problem}; expected the JSON of `kmdiag check --format json|jsonl` or `kmdiag diagnose --format json`
snapshot-no-read-back = the diagnosis does not read back: {$problem}
snapshot-schema-version = schema_version {$value} is not one this kmdiag reads (it reads {$reads}); compare documents written by the same kmdiag version, or update kmdiag
snapshot-not-json = not valid JSON ({$problem})
snapshot-cannot-read = cannot read: {$cause}
snapshot-at-line = line {$line}: {$problem}
snapshot-no-cells = the entrance has no 'cells'
snapshot-line-too-long = line {$line} is longer than {$limit} MiB, more than one entrance's JSON
snapshot-empty = the file is empty
snapshot-in-entrance = entrances[{$index}]: {$problem}
snapshot-no-entrances = the document has neither 'entrances' nor 'cells'
snapshot-entrance-document = the entrance document: {$problem}
diff-stopped = the comparison stopped
diff-not-same-switch = entrance {$entrance}: the old check is of {$what} {$old}, the new one of {$new}: not the same switch, so nothing can be compared; compare checks of the same entrance (or choose it with --entrance)
diff-what-profile = profile
diff-what-switch = switch
diff-what-matrix = a matrix of crossings
diff-flat = apartment {$apartment}
diff-no-flat = no apartment
diff-offsets = {" "}(offset {$old}, then {$new})
diff-layout-differs = entrance {$entrance}: crossing {$tens}/{$units} is {$old} in the old check and {$new} in the new one{$offsets}: the layout differs (offset, apartments or map), so the flats cannot be compared; check both with the same layout
diff-crossing-twice = entrance {$entrance}: the {$side} check lists crossing {$tens}/{$units} twice; it was not written by kmdiag check or was edited
diff-entrance-twice = entrance {$entrance} is listed twice in the {$side} check; each entrance must appear once
diff-side-old = old
diff-side-new = new
diff-single-vs-building = one side is a single entrance and the other a building check that has no entrance of that name; say which entrance of the building to compare with --entrance N
scpi-timeout = no reply to '{$command}' within {$time}
scpi-bad-reply = reply '{$reply}' to '{$command}' is not {$expected}
scpi-rejected = the meter rejected '{$command}'
udev-install = {$command}, then unplug the cable and plug it in again
udev-permission = permission denied on {$node}: on Linux a USB-HID meter cable belongs to root until a udev rule gives it to you; add the rule: {$install}
udev-wake = on Linux the UT-D04 (CH9325) sends nothing while USB autosuspend holds it, and kmdiag could not wake it ({$cause}); wake it once with 'echo auto | sudo tee {$dir}/power/{$level}; echo 0 | sudo tee {$dir}/power/{$delay}', or for good: {$install}

## map: where a flat is

map-apartment-at = apartment {$apartment}: {$cell} (matrix {$matrix})
map-crossing-apartment = {$cell}: apartment {$apartment} (matrix {$matrix})
map-crossing-no-apartment = {$cell}: no apartment
map-grid-title = {$profile} switch {$model}, matrix {$matrix}, offset {$offset} (· = no apartment)

## ports: the serial ports and USB-HID meter cables

ports-none = no serial ports or USB-HID meter cables found; plug the meter's cable in and run this again
ports-col-port = Port
ports-col-type = Type
ports-col-usb-id = USB ID
ports-col-manufacturer = Manufacturer
ports-col-product = Product
ports-col-serial = Serial
ports-col-hint = Hint
ports-note-hid-unlisted = note: cannot list USB-HID devices: {$error}
ports-note-hid-not-serial = note: USB-HID meter cables are not serial ports; kmdiag reads them with --port hid when plugged in: {$known}
ports-note-hid-several = note: with one USB-HID meter or cable plugged in, --port hid finds it; with several, name it as in the Port column
ports-note-hid-problem = note: {$port}: {$problem}
bridge-ch340 = CH340: third-party IR cables; also inside OWON XDM1041/XDM2041
bridge-cp210x = CP210x: third-party IR cables, Mastech MS8250D
bridge-ftdi = FTDI: USB-RS232 adapters (e.g. for a UT-D02 cable) and IR cables
bridge-pl2303 = PL2303: V&A VA18B cable, USB-RS232 adapters

## profiles: the vendor profiles

profiles-col-name = Name
profiles-col-vendor = Vendor
profiles-col-units = Units numbered
profiles-col-switches = Switches (tens × units × matrices)
profiles-col-source = Source
profiles-does-not-load = does not load (see the warning)
profiles-units-from-0 = from 0 (flat 10 → {$cell})
profiles-units-from-1 = from 1 ({$line} is the first units line)
profiles-built-in = built in
profiles-replaces = {$path} (replaces the built-in)
profiles-use = Use one with --profile NAME, or give a path to a .toml file.
profiles-use-folder = Use one with --profile NAME, or give a path to a .toml file; your own go in {$folder} (kmdiag config path --profiles).
