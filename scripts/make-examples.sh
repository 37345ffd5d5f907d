#!/usr/bin/env bash
# Regenerates examples/*.csv, their *.truth.json and examples/README.md, and the example
# building's sweeps (examples/building/sweeps/*.csv with their *.truth.json), with fixed seeds
# and fixed measurement times, by running the built kmdiag binary's physical simulator. Every
# sweep carries its header (profile, switch, offset, apartments, map, when measured), so
# `kmdiag diagnose FILE` needs no flags. Same binary, same files.
# Usage: scripts/make-examples.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --bin kmdiag
kmdiag="${CARGO_TARGET_DIR:-target}/debug/kmdiag"
out=examples
mkdir -p "$out"
rows=()

# gen NAME PROFILE OFFSET APARTMENTS SEED "WHAT IS WRONG" [more simulate options...]
# Every example is simulated with the field physics (wire on every line, mixed handsets, field
# meter noise and probe contact) unless the line starts with physics=lab: those are the
# examples today's engine still misdiagnoses under field physics (it takes some field ghosts
# for bad contacts; issue 12), kept on the lab physics until the engine handles them.
gen() {
    local name=$1 profile=$2 offset=$3 apartments=$4 seed=$5 what=$6
    shift 6
    "$kmdiag" simulate --profile "$profile" --offset "$offset" --apartments "$apartments" \
        --seed "$seed" --physics "${physics:-field}" --measured-at 2026-01-15T10:00:00+03:00 \
        "$@" -o "$out/$name.csv" --truth "$out/$name.truth.json" --force
    rows+=("| \`$name.csv\` | $profile | $offset | $apartments | $what | ${physics:-field} |")
}

gen metakom-healthy metakom 0 1-100 101 "nothing: healthy entrance, 90 % of flats have a handset"
physics=lab gen metakom-short metakom 0 1-100 102 "flat 47 (D4/E7) shorted; ghosts on empty crossings" \
    --fault 47:short
gen metakom-short-weak-meter metakom 0 1-100 102 \
    "flat 47 shorted, read with a 1.5 V meter: it drops range on the ghosts, which read about 11 kΩ instead of 2× a handset" \
    --fault 47:short --meter-compliance 1.5V
gen eltis-healthy eltis 72 73-144 201 "nothing: healthy entrance"
physics=lab gen eltis-reversed eltis 72 73-144 202 "flat 80 (D0/E8) wired the wrong way round" \
    --fault 80:reversed
physics=lab gen eltis-two-shorts eltis 72 73-144 203 \
    "flats 90 and 115 both shorted: together they make healthy flats 85 and 120 read finite in reverse too" \
    --fault 90:short --fault 115:short
physics=lab gen eltis-short-slow-meter eltis 72 73-144 204 \
    "flat 101 shorted, read with a 0.5 mA meter on which healthy handsets read about 1.3 kΩ" \
    --fault 101:short --meter-current 0.5mA
gen vizit-healthy vizit 70 71-170 301 "nothing: healthy entrance (flat 73 on D0/E3, 80 on D1/E0)"
gen vizit-leak vizit 70 71-170 302 "flat 99 (D2/E9) leaks backwards (moisture)" \
    --fault 99:leak
gen vizit-bus-short vizit 70 71-170 303 "tens lines D3 and D4 touching" \
    --fault D3-D4:short
gen cyfral-healthy cyfral 0 1-100 401 "nothing: healthy entrance, 80 % occupancy" \
    --occupancy 0.8
gen cyfral-high-resistance cyfral 0 1-100 402 "flat 33 (D3/E3) reads far too high: bad contact" \
    --fault 33:high_resistance
gen beward-healthy beward 100 101-200 501 "nothing: healthy entrance on the first hundred"
gen beward-bus-open beward 100 101-200 502 "tens line D6 broken between the switch and the riser" \
    --fault D6:open
gen factorial-healthy factorial 0 1-64 601 "nothing: healthy 8×8 entrance"
physics=lab gen factorial-short-and-reversed factorial 0 1-64 602 \
    "flat 12 shorted and flat 45 reversed: two interacting faults" \
    --fault 12:short --fault 45:reversed

# The example building (examples/building/building.toml): three entrances measured on two
# days. Flats the plan lists as known_absent are simulated without a handset.
b=$out/building
mkdir -p "$b/sweeps"
building() {
    local n=$1 when=$2
    shift 2
    "$kmdiag" simulate "$@" --physics "${physics:-field}" --measured-at "$when" \
        -o "$b/sweeps/entrance-$n.csv" --truth "$b/sweeps/entrance-$n.truth.json" --force
}
building 1 2026-03-02T10:15:00+03:00 --profile eltis --switch KM100-7.1 --offset 0 \
    --apartments 1-72 --seed 701 --fault 5:absent --fault 17:absent --fault 40:absent \
    --note "measured by A. Petrov"
physics=lab building 2 2026-03-02T11:40:00+03:00 --profile vizit --switch BK-100 --offset 72 \
    --apartments 73-144 --seed 702 --fault 95:short --fault 101:absent --fault 130:absent \
    --note "measured by A. Petrov" --note "tenants of flats 94 and 96 hear calls for 95"
building 3 2026-03-09T09:05:00+03:00 --profile metakom --switch COM-100U \
    --apartments 145-180 --map "$b/maps/entrance-3.csv" --seed 703 \
    --fault 159:high_resistance --fault 160:absent --meter-current 0.8mA \
    --note "measured by O. Sidorova with a VC-820"

{
    echo "# Example sweeps"
    echo
    echo "Simulated sweeps for every built-in profile, healthy and faulty, made by"
    echo "\`scripts/make-examples.sh\` with fixed seeds (\`kmdiag simulate\`: handsets are diodes in"
    echo "series with a resistance, the meter is a current source with auto-ranging, the whole"
    echo "matrix is solved nonlinearly). Each \`NAME.csv\` has a \`NAME.truth.json\` saying what was"
    echo "really injected. The physics column says whether the entrance has every field effect"
    echo "(\`--physics field\`: wire on each line, a second handset model in some entrances, field"
    echo "meter noise and probe contact) or none (\`--physics lab\`). Diagnose one, e.g."
    echo
    echo '```'
    echo "kmdiag diagnose examples/eltis-reversed.csv"
    echo '```'
    echo
    echo "Each file's \`#\` header says how it was taken (profile, switch, offset, apartments, meter,"
    echo "when), so \`diagnose\` needs no flags; the columns below say the same."
    echo
    echo "| file | profile | offset | apartments | what is wrong | physics |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "\`building/\` is a three-entrance building plan (\`kmdiag check examples/building/building.toml\`)"
    echo "whose sweeps are made the same way: entrance 1 healthy (field), entrance 2 with flat 95"
    echo "shorted (lab: under field physics today's engine also calls one of its ghosts a bad"
    echo "contact), entrance 3 (wired one D line per floor, see its map) with a bad contact at flat"
    echo "159 (field); each sweep has its \`.truth.json\`."
} > "$out/README.md"
echo "wrote ${#rows[@]} example sweeps and $out/README.md" >&2
