#!/bin/sh
# bench/http --quick as a suite: it must answer every target (six rows and the two nginx
# ceilings), with no errors, and end with its ratio line, which this script then repeats as
# its own last line. Exit 1 otherwise.
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
if [ "$rows" -ne 8 ]; then
    echo "bench/http printed $rows rows, wanted 8"
    exit 1
fi
if awk -F'|' '/^\| [a-z]/ && $7 + 0 != 0 {bad = 1} END {exit !bad}' "$out"; then
    echo "bench/http saw errors"
    exit 1
fi
printf '%s\n' "$last" | grep -qE '^ratio=[0-9.]+$' || { echo "no ratio line"; exit 1; }
echo "$last"
