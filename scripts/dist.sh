#!/usr/bin/env bash
# Release binaries into dist/: dist/kmdiag (Linux, this machine's architecture) and
# dist/kmdiag.exe (Windows x86-64, cross-linked with Debian's mingw-w64, installed here when
# missing). Then, where Debian's wine can be installed, runs the .exe on shipped examples and
# checks its output and exit code against the Linux binary's: a Windows build that starts,
# reads files and prints the same diagnosis. Usage: scripts/dist.sh [--no-wine]
set -euo pipefail
cd "$(dirname "$0")/.."

win_target=x86_64-pc-windows-gnu
target_dir=${CARGO_TARGET_DIR:-target}
use_wine=1
[ "${1:-}" = "--no-wine" ] && use_wine=0

sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)
apt_updated=0
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if ((apt_updated == 0)); then
        "${sudo[@]}" apt-get update -qq >/dev/null
        apt_updated=1
    fi
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. The cross linker and the Rust target.
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
    echo "dist: installing the mingw-w64 cross linker (gcc-mingw-w64-x86-64)" >&2
    apt_install gcc-mingw-w64-x86-64 || {
        echo "dist: cannot install gcc-mingw-w64-x86-64 (Debian's apt is needed); no Windows build" >&2
        exit 1
    }
fi
if ! rustup target list --installed 2>/dev/null | grep -qx "$win_target"; then
    rustup target add "$win_target" || {
        echo "dist: cannot add the Rust target $win_target (rustup could not download it); no Windows build" >&2
        exit 1
    }
fi

# 2. Both binaries.
mkdir -p dist
echo "dist: building the Linux release binary" >&2
cargo build --release --locked --quiet
cp "$target_dir/release/kmdiag" dist/kmdiag
echo "dist: building the Windows release binary ($win_target, linked by x86_64-w64-mingw32-gcc)" >&2
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
    cargo build --release --locked --quiet --target "$win_target"
cp "$target_dir/$win_target/release/kmdiag.exe" dist/kmdiag.exe
ls -l dist/kmdiag dist/kmdiag.exe >&2

# 3. The .exe under wine, when wine can be had.
if ((use_wine == 0)); then
    echo "dist: --no-wine: the Windows binary was not run" >&2
    exit 0
fi
if ! command -v wine >/dev/null 2>&1; then
    echo "dist: installing wine to run the Windows binary" >&2
    if ! apt_install wine wine64; then
        echo "dist: wine cannot be installed here; dist/kmdiag.exe was built but not run" >&2
        exit 0
    fi
fi
prefix=$(mktemp -d)
sim_pid=""
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
    # Stop this prefix's wineserver (it lingers a few seconds and writes into the prefix).
    [ -n "${WINEPREFIX:-}" ] && wineserver -k >/dev/null 2>&1
    rm -rf "$prefix" 2>/dev/null || true
}
trap cleanup EXIT
export WINEPREFIX=$prefix/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# Both binaries read their settings from the same empty folder, not this user's own (Linux)
# or the prefix's (wine), so they are compared on the same defaults.
export KMDIAG_CONFIG=tests/fixtures/settings/isolated
# A console program needs no display; the first start creates the prefix (about 10 s).
timeout 300 wineboot --init >/dev/null 2>&1 || true
system32=$WINEPREFIX/drive_c/windows/system32
if [ ! -e "$system32/bcryptprimitives.dll" ]; then
    # wine 8 lacks the DLL that Rust's std takes its random seeds from: add a stand-in, in this
    # throw-away prefix only (scripts/wine/bcryptprimitives.c says why).
    x86_64-w64-mingw32-gcc -O2 -shared -Wl,--kill-at -o "$system32/bcryptprimitives.dll" \
        scripts/wine/bcryptprimitives.c -ladvapi32
fi

# Each run under wine is bounded, so a wine that hangs fails the check instead of the build
# (exit 124). Every run takes well under 10 s; 120 s leaves room for a loaded machine.
wine_limit=120
failures=0
passes=0
fail() {
    echo "dist: FAIL $*" >&2
    failures=$((failures + 1))
}
# check NAME EXPECTED_EXIT ARGS...: the .exe and the Linux binary must agree byte for byte on
# stdout and both exit with EXPECTED_EXIT.
check() {
    local name=$1 expected=$2
    shift 2
    local got=0 want=0
    timeout "$wine_limit" wine dist/kmdiag.exe "$@" >"$prefix/win.out" 2>"$prefix/win.err" || got=$?
    dist/kmdiag "$@" >"$prefix/linux.out" 2>/dev/null || want=$?
    if [ "$got" -ne "$expected" ] || [ "$want" -ne "$expected" ]; then
        fail "$name: exit $got under wine, $want on Linux, expected $expected"
        sed 's/^/    /' "$prefix/win.err" | head -20 >&2
    elif ! cmp -s "$prefix/win.out" "$prefix/linux.out"; then
        fail "$name: the Windows output differs from the Linux output"
        diff "$prefix/linux.out" "$prefix/win.out" | head -20 >&2 || true
    else
        echo "dist: ok   $name (exit $got, $(wc -c <"$prefix/win.out") bytes identical)" >&2
        passes=$((passes + 1))
    fi
}
check "diagnose, two shorts (JSON)" 1 diagnose examples/eltis-two-shorts.csv \
    --profile eltis --offset 72 --apartments 73-144 --format json
check "diagnose, healthy (table)" 0 diagnose examples/vizit-healthy.csv \
    --profile vizit --offset 70 --apartments 71-170
check "map" 0 map --profile metakom --offset 0 --apartments 1-100
check "bad input" 2 diagnose examples/README.md --profile eltis

# The Windows binary's own settings folder is the user's %APPDATA%\kmdiag, and a settings file
# there is read: found with 'config path', honoured by 'map' (Metakom numbers flat 10 D0/E10).
got=0
settings=$(KMDIAG_CONFIG="" timeout "$wine_limit" wine dist/kmdiag.exe config path 2>"$prefix/win.err" | tr -d '\r') || got=$?
case "$settings" in
*'\AppData\Roaming\kmdiag\config.toml')
    appdata=$(winepath -u "$settings" 2>/dev/null | tr -d '\r')
    mkdir -p "$(dirname "$appdata")"
    printf 'profile = "metakom"\n' >"$appdata"
    mapped=$(KMDIAG_CONFIG="" timeout "$wine_limit" wine dist/kmdiag.exe map 10 2>>"$prefix/win.err" | tr -d '\r') || got=$?
    rm -f "$appdata"
    if [ "$mapped" = "apartment 10: D0/E10 (matrix 1)" ]; then
        echo "dist: ok   settings in $settings" >&2
        passes=$((passes + 1))
    else
        fail "a settings file in $settings was not honoured: '$mapped' (exit $got)"
        sed 's/^/    /' "$prefix/win.err" | head -5 >&2
    fi
    ;;
*)
    fail "config path under wine: '$settings' (exit $got), expected …\\AppData\\Roaming\\kmdiag\\config.toml"
    ;;
esac

# A live adapter sweep by the Windows binary over TCP, against the Linux binary's simulator.
entrance=(--profile eltis --fault 37:short --seed 7)
mkfifo "$prefix/sim.in"
dist/kmdiag simulate "${entrance[@]}" --serve adapter --speed 10 --listen 127.0.0.1:0 \
    <"$prefix/sim.in" 2>"$prefix/sim.err" &
sim_pid=$!
exec 3>"$prefix/sim.in"
port=""
for _ in $(seq 100); do
    port=$(sed -n 's/.*use it with --port \(tcp:[^ ]*\).*/\1/p' "$prefix/sim.err")
    [ -n "$port" ] && break
    sleep 0.1
done
if [ -z "$port" ]; then
    fail "the simulator did not start: $(cat "$prefix/sim.err")"
else
    got=0
    timeout "$wine_limit" wine dist/kmdiag.exe sweep --port "$port" --meter adapter "${entrance[@]:0:2}" \
        --format json -o "$prefix/live.csv" >"$prefix/win.out" 2>"$prefix/win.err" || got=$?
    # Readings: the lines that are neither the '#' header nor the column header.
    rows=$(($(grep -cv '^#' "$prefix/live.csv" 2>/dev/null || echo 1) - 1))
    if [ "$got" -eq 1 ] && grep -q '"apartment": 37' "$prefix/win.out" &&
        grep -q '"fault": "short"' "$prefix/win.out" && [ "$rows" -eq 290 ]; then
        echo "dist: ok   adapter sweep over $port (exit 1, 290 readings, flat 37 shorted)" >&2
        passes=$((passes + 1))
    else
        fail "adapter sweep over TCP: exit $got, $rows readings"
        sed 's/^/    /' "$prefix/win.err" | tail -5 >&2
    fi
fi
echo quit >&3
exec 3>&-
wait "$sim_pid" 2>/dev/null || true
sim_pid=""
echo "$passes passed, $failures failed"
exit $((failures > 0))
