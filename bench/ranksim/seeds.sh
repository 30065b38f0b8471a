#!/bin/sh
# The issue-configuration table over seeds: runs build/ranksim on both real graphs for seeds
# 1..N (default 5) into DIR (default build/ranksim-seeds) and prints the summary of
# bench/ranksim/summarise.py. About 40 s a run on the 2-core machine: 7 minutes for 5 seeds.
# usage: bench/ranksim/seeds.sh [N] [DIR] [RANKSIM]
set -eu
n=${1:-5}
dir=${2:-build/ranksim-seeds}
bin=${3:-build/ranksim}
here=$(dirname "$0")
mkdir -p "$dir"
for g in soc-Epinions1 wiki-Vote; do
    s=1
    while [ "$s" -le "$n" ]; do
        "$bin" --csv --seed "$s" --graph "$here/../../tests/data/graphs/$g.txt.gz" > "$dir/$g.$s.csv"
        s=$((s + 1))
    done
done
python3 "$here/summarise.py" "$dir"/*.csv
