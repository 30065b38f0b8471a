#!/bin/sh
# Guild's feed parser beside Debian's python3-feedparser on the repository's corpus, folder by
# folder: fails when Guild's pass rate is below feedparser's in any folder (issue 13's target).
# The deliberate differences in tests/feeds/deliberate.tsv count for neither. Prints the table
# and a closing 'folders where guild < feedparser: N of M'.
# Usage: tests/feeds/beside.sh [GUILD_BINARY, build/guild] [CORPUS, tests/data/feedparser]
set -u
cd "$(dirname "$0")/../.."
guild=${1:-build/guild}
corpus=${2:-tests/data/feedparser}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/feeds/corpus.py "$guild" "$corpus" --min 0 > "$work/guild.txt" || exit 1
/usr/bin/python3 tests/feeds/corpus.py --feedparser "$corpus" --min 0 > "$work/fp.txt" || exit 1
echo "guild:      $(grep '^total' "$work/guild.txt")"
echo "feedparser: $(grep '^total' "$work/fp.txt")"
python3 tests/feeds/compare.py "$work/guild.txt" "$work/fp.txt"
