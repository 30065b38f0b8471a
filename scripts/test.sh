#!/usr/bin/env bash
# Installs what is missing (Debian packages, playwright-core), builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
make -j"$(nproc)" build/guild build/san/guild build/tsan/guild build/ranksim
make test
