#!/usr/bin/env bash
# Set-up from the README: installs the system packages the tests need (Debian). Idempotent and
# quiet: does nothing when everything is already there; run as root (CI) or through sudo.
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
