#!/usr/bin/env bash
# Set-up from the README: installs the system packages the tests need (Debian), and the Rust
# targets for the Windows and macOS cross-checks. Idempotent and quiet: does nothing when
# everything is already there; run as root (CI) or through sudo.
set -euo pipefail

# Headless Chromium renders the HTML report in tests/html_browser.rs.
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)

if ((${#packages[@]})); then
    echo "setup: installing ${packages[*]}" >&2
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq >/dev/null
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# Cross targets for scripts/cross-check.sh (Windows and macOS builds are linted, not linked).
# rustup downloads them; where it cannot (offline, no rustup), say so and carry on: the
# cross-check then skips that target with a notice.
cross_targets=(x86_64-pc-windows-gnu aarch64-apple-darwin)
if command -v rustup >/dev/null 2>&1; then
    have=$(rustup target list --installed 2>/dev/null || true)
    for t in "${cross_targets[@]}"; do
        grep -qx "$t" <<<"$have" && continue
        echo "setup: adding Rust target $t" >&2
        if ! rustup target add "$t" >/dev/null 2>&1; then
            echo "setup: could not add Rust target $t (rustup could not download it: offline, or no access to the Rust distribution server); the $t cross-check will be skipped" >&2
        fi
    done
else
    echo "setup: rustup is not installed, so the Windows and macOS targets cannot be added; their cross-checks will be skipped" >&2
fi
