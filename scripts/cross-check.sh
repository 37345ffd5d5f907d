#!/usr/bin/env bash
# Lints kmdiag and all its targets (tests, benches) for Windows and macOS without building a
# binary: `cargo clippy --all-targets --target T -- -D warnings` for each cross target that is
# installed. A missing target is skipped with a plain notice (scripts/setup.sh tries to add
# them). Usage: scripts/cross-check.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
if ((${#targets[@]} == 0)); then
    targets=(x86_64-pc-windows-gnu aarch64-apple-darwin)
fi

installed=""
if command -v rustup >/dev/null 2>&1; then
    installed=$(rustup target list --installed 2>/dev/null || true)
fi

checked=0
for t in "${targets[@]}"; do
    if ! grep -qx "$t" <<<"$installed"; then
        echo "cross-check: target $t is not installed; skipped (run scripts/setup.sh, or 'rustup target add $t')" >&2
        continue
    fi
    echo "cross-check: cargo clippy --all-targets --target $t" >&2
    cargo clippy --quiet --all-targets --target "$t" -- -D warnings
    checked=$((checked + 1))
done
echo "cross-check: $checked of ${#targets[@]} cross targets checked" >&2
