#!/usr/bin/env bash
# Fuzzes kmdiag's parsers, decoders, diagnosis and arithmetic with cargo-fuzz (libFuzzer) on
# the nightly toolchain: each target in fuzz/fuzz_targets/ in turn, for a given time, on one
# core, so a shared machine stays usable. Not part of CI or the README's test command.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]     default: 600 s each, every target
#
# Prints, per target, the executions run and whether it found a crash; crashes are saved in
# fuzz/artifacts/TARGET/ (add each as a regression test, then delete it). The corpus grows in
# fuzz/corpus/TARGET/ (not committed). Exit 1 when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
shift || true

# Tools: the nightly toolchain (libFuzzer needs its sanitizer flags) and cargo-fuzz.
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz: installing the nightly toolchain" >&2
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

targets=("$@")
if ((${#targets[@]} == 0)); then
    mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi

(cd fuzz && cargo +nightly fuzz build -O)

status=0
for t in "${targets[@]}"; do
    log="fuzz/artifacts/$t.log"
    mkdir -p "fuzz/artifacts/$t" "fuzz/corpus/$t"
    echo "fuzz: $t for ${seconds}s" >&2
    # One job on one core; inputs up to 64 kB; 2 GB memory and 10 s per input are crashes.
    if (cd fuzz && nice -n 10 cargo +nightly fuzz run -O "$t" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1) >"$log" 2>&1; then
        result="no crash"
    else
        result="CRASH (see fuzz/artifacts/$t/ and $log)"
        status=1
    fi
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
    echo "$t: ${runs:-?} executions in ${seconds}s: $result"
done
exit "$status"
