#!/usr/bin/env bash
# The demo from the README: builds kmdiag, diagnoses shipped example sweeps, then simulates an
# entrance with a reversed handset read by a weak 1.5 V meter and diagnoses that too.
# Exits 0 when everything ran; kmdiag's own exit code 1 ("faults found") is expected here.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
kmdiag=target/release/kmdiag

run() {
    echo
    echo "\$ kmdiag $*"
    "$kmdiag" "$@" || [ $? -eq 1 ]
}

echo "== Where does flat 73 sit? (Eltis, installer offset 72)"
run map --profile eltis --offset 72 73

echo
echo "== A healthy Vizit entrance, flats 71-170"
run diagnose examples/vizit-healthy.csv --profile vizit --offset 70 --apartments 71-170

echo
echo "== An Eltis entrance where two flats are shorted"
run diagnose examples/eltis-two-shorts.csv --profile eltis --offset 72 --apartments 73-144

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo
echo "== Simulate: flat 47 wired the wrong way round, measured with a 1.5 V meter"
run simulate --profile metakom --apartments 1-100 --fault 47:reversed \
    --meter-compliance 1.5V --seed 7 -o "$tmp/sweep.csv"
run diagnose "$tmp/sweep.csv" --profile metakom --apartments 1-100
