#!/bin/sh
# bench/http --quick as a suite: it must answer every target (six rows, the two nginx
# ceilings and the four reader-signal rows), with no errors; a reader's repeat views must cost
# next to nothing (at least 0.7 of the same page with signals off, side by side); and it must
# end with its ratio line, which this script then repeats as its own last line. Exit 1
# otherwise.
cd "$(dirname "$0")/../.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bash bench/http --quick > "$out" 2>&1
rc=$?
cat "$out"
last=$(tail -n 1 "$out")
rows=$(grep -c '^| ' "$out")
if [ "$rc" -ne 0 ]; then
    echo "bench/http exited $rc"
    exit 1
fi
if [ "$rows" -ne 12 ]; then
    echo "bench/http printed $rows rows, wanted 12"
    exit 1
fi
again=$(sed -n 's/^reader signals, item page at 64 connections: one reader again and again \([0-9.]*\),.*/\1/p' "$out")
if [ -z "$again" ] || ! awk -v r="$again" 'BEGIN {exit !(r >= 0.7)}'; then
    echo "reader signals: a reader's repeat views cost too much (${again:-no figure} of signals off)"
    exit 1
fi
if awk -F'|' '/^\| [a-z]/ && $7 + 0 != 0 {bad = 1} END {exit !bad}' "$out"; then
    echo "bench/http saw errors"
    exit 1
fi
printf '%s\n' "$last" | grep -qE '^ratio=[0-9.]+$' || { echo "no ratio line"; exit 1; }
echo "$last"
