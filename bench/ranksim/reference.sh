#!/bin/sh
# The reference rows (docs/ranking.md, "What any ranker could reach"): the issue configuration
# on both real graphs, seeds 1..N (default 5), for the scenarios of issue 19's lead target and
# clean, with --with-posterior, into DIR (default build/ranksim-reference), then the summary.
# About 20 s a run on the 2-core machine: 7 minutes for 5 seeds.
# usage: bench/ranksim/reference.sh [N] [DIR] [RANKSIM]
set -eu
n=${1:-5}
dir=${2:-build/ranksim-reference}
bin=${3:-build/ranksim}
here=$(dirname "$0")
mkdir -p "$dir"
for g in soc-Epinions1 wiki-Vote; do
    s=1
    while [ "$s" -le "$n" ]; do
        for sc in clean ring friendlyring brigade faction; do
            "$bin" --csv --seed "$s" --graph "$here/../../tests/data/graphs/$g.txt.gz" \
                --scenario "$sc" --with-posterior > "$dir/$g.$sc.$s.csv"
        done
        s=$((s + 1))
    done
done
python3 "$here/summarise.py" --algorithms reddit_best,guild,posterior,posterior_oracle "$dir"/*.csv
