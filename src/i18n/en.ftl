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

## Counts

count-apartments = { $n ->
    [one] {$n} apartment
   *[other] {$n} apartments
}
