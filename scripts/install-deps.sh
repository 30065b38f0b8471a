#!/usr/bin/env bash
# Installs what Guild needs to build, run and test on Debian 12. Idempotent: packages already
# present are skipped, and npm ci runs only when node_modules lacks playwright-core.
# Usage: scripts/install-deps.sh [--test]   (--test adds the test-only tools)
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libsodium-dev
            libmd4c-dev libjansson-dev libcurl4-openssl-dev libxml2-dev libstemmer-dev
            zlib1g-dev libuchardet-dev libpq-dev)
test_pkgs=(libcmocka-dev tidy curl chromium nodejs npm python3 clang libclang-rt-14-dev valgrind wrk
           nginx python3-feedparser openssl postgresql)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then
    want+=("${test_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
# nodejs/npm may come from outside Debian (a preinstalled node); accept any working npm.
if command -v npm >/dev/null 2>&1; then
    filtered=()
    for p in "${missing[@]}"; do
        case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
    done
    missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "install-deps: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--test" ] && { [ ! -d tests/browser/node_modules/playwright-core ] ||
                                [ ! -d tests/browser/node_modules/axe-core ]; }; then
    (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi
echo "install-deps: ok"
