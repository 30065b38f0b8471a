#!/bin/sh
# The issue configuration with larger attacks: ring and friendly ring of 30, 120 and 300
# members, brigades of 48, 200 and 500, seeds 1..N (default 5) on both real graphs, into DIR
# (default build/ranksim-sizes), summarised by bench/ranksim/summarise.py (a "graph" there is
# GRAPH@SCENARIO-SIZE). About a minute a seed on the 2-core machine.
# usage: bench/ranksim/sizes.sh [N] [DIR] [RANKSIM]
set -eu
n=${1:-5}
dir=${2:-build/ranksim-sizes}
bin=${3:-build/ranksim}
here=$(dirname "$0")
mkdir -p "$dir"
for g in soc-Epinions1 wiki-Vote; do
    graph="$here/../../tests/data/graphs/$g.txt.gz"
    s=1
    while [ "$s" -le "$n" ]; do
        for r in 30 120 300; do
            for sc in ring friendlyring; do
                "$bin" --csv --seed "$s" --graph "$graph" --scenario "$sc" --ring "$r" \
                    > "$dir/$g@$sc-$r.$s.csv"
            done
        done
        for b in 48 200 500; do
            "$bin" --csv --seed "$s" --graph "$graph" --scenario brigade --brigade "$b" \
                > "$dir/$g@brigade-$b.$s.csv"
        done
        s=$((s + 1))
    done
done
python3 "$here/summarise.py" --algorithms reddit_best,guild,communitynotes "$dir"/*.csv
