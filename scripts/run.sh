#!/usr/bin/env bash
# Installs what is missing, builds, and serves Guild at http://127.0.0.1:8080 on an embedded
# SQLite file (guild.db) filled with the demo guild on first run. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -j"$(nproc)" build/guild
db=${GUILD_DB:-guild.db}
if [ ! -f "$db" ]; then
    build/guild demo --db "$db"
fi
exec build/guild serve --db "$db" --listen "${GUILD_LISTEN:-127.0.0.1:8080}"
