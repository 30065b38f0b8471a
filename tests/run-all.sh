#!/bin/sh
# Runs every suite: unit tests (ASan+UBSan), end-to-end against the release, the ASan+UBSan and
# the ThreadSanitizer builds, the ranking and HTTP benchmark checks, fuzzing, a soak, and the browser flow.
# Prints each suite's output and a closing 'N passed, N failed'.
# Usage: tests/run-all.sh UNIT_BINARY...
set -u
log=$(mktemp)
status=0

echo "== unit tests (cmocka, ASan+UBSan)"
sh tests/run-unit.sh "$@" 2>&1 | tee -a "$log" | grep -vE '^\[ +(RUN|OK) +\]' || true
grep -q 'unit: FAILED' "$log" && status=1

echo "== feed parser corpus (Universal Feed Parser tests, >= 95% of applicable cases)"
corpus=${FEED_CORPUS:-../shared/data/feedparser-tests}
if [ ! -f "$corpus/INDEX.tsv" ]; then
    echo "SKIP feed corpus: $corpus is not on this machine (set FEED_CORPUS)"
elif python3 tests/feeds/corpus.py build/san/guild "$corpus" > "$log.feeds" 2>&1; then
    grep -vE '^(FAIL|N/A) ' "$log.feeds"
    echo "PASS feed corpus: $(tail -n 1 "$log.feeds")" >> "$log"
else
    grep -vE '^(FAIL|N/A) ' "$log.feeds"
    echo "FAIL feed corpus" | tee -a "$log"
    status=1
fi
rm -f "$log.feeds"

for bin in build/guild build/san/guild build/tsan/guild; do
    echo "== end-to-end ($bin)"
    python3 tests/e2e/run.py --guild "$bin" 2>&1 | tee -a "$log" | grep -E '^(PASS|FAIL|e2e)' || true
    tail -n 1 "$log" | grep -q ' 0 failed' || status=1
done

echo "== end-to-end under valgrind memcheck (no definite leaks, no memory errors)"
GUILD_WRAPPER="valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --quiet" \
    python3 tests/e2e/run.py --guild build/guild 2>&1 | tee -a "$log" | grep -E '^(PASS|FAIL|e2e)' || true
tail -n 1 "$log" | grep -q ' 0 failed' || status=1

echo "== ranking benchmark checks (bench/ranksim)"
python3 tests/bench/check_ranksim.py build/ranksim 2>&1 | tee -a "$log" | grep -E '^(PASS|FAIL|ranksim)' || true
tail -n 1 "$log" | grep -q ' 0 failed' || status=1

echo "== fuzzing (libFuzzer, ${FUZZ_SECONDS:-60}s per target, then the regression inputs)"
sh tests/fuzz/run.sh "${FUZZ_SECONDS:-60}" 2>&1 | tee -a "$log" | grep -E '^(PASS|FAIL|fuzz|==|SUMMARY)' || true
tail -n 1 "$log" | grep -q ' 0 failed' || status=1

echo "== soak (30 s version of bench/soak/soak.sh)"
bash bench/soak/soak.sh 30 10 2>&1 | tee -a "$log" | grep -E '^(\||soak)' || true
if tail -n 1 "$log" | grep -q 'soak: PASS'; then
    echo "PASS soak: 0 errors, flat memory" >> "$log"
else
    echo "FAIL soak" | tee -a "$log"
    status=1
fi

echo "== bench/http --quick (runs end to end: every target answered, no errors, a ratio line)"
bash bench/http --quick > "$log.http" 2>&1 || true
cat "$log.http" | grep -E '^(\||bench|ratio|guild serve|item page)'
if tail -n 1 "$log.http" | grep -qE '^ratio=[0-9.]+$' && [ "$(grep -c '^| ' "$log.http")" -eq 8 ] &&
   awk -F'|' '/^\| [a-z]/ && $7 + 0 != 0 {bad = 1} END {exit bad}' "$log.http"; then
    echo "PASS bench/http: six targets and the two nginx ceilings, no errors" >> "$log"
else
    echo "FAIL bench/http" | tee -a "$log"
    status=1
fi
rm -f "$log.http"

# A short benchmark run: it must finish and end with a ratio= line. Prints the lines that
# match SHOWN. Usage: short_bench NAME SHOWN COMMAND...
short_bench() {
    name=$1 shown=$2
    shift 2
    if "$@" > "$log.bench" 2>&1 && tail -n 1 "$log.bench" | grep -qE '^ratio=[0-9.]+$'; then
        grep -E "$shown" "$log.bench"
        echo "PASS $name: $(tail -n 1 "$log.bench")" >> "$log"
    else
        cat "$log.bench"
        echo "FAIL $name" | tee -a "$log"
        status=1
    fi
    rm -f "$log.bench"
}

echo "== bench/feeds (1 s per parser: runs end to end, prints a ratio line)"
short_bench bench/feeds '^(bench|corpus|big|entries|cycle|ratio)' \
    env FETCH_FEEDS=400 bash bench/feeds/run 1

echo "== bench/search (20,000 generated entries: runs end to end, prints p50/p99 and a ratio)"
rm -f build/bench-search-ci.db*
short_bench bench/search '^(\||search|ratio)' \
    build/searchbench --db build/bench-search-ci.db --entries 20000 --queries 50
rm -f build/bench-search-ci.db*

echo "== browser (Chromium via playwright-core)"
node tests/browser/flow.mjs build/guild 2>&1 | tee -a "$log" | grep -E '^(PASS|FAIL|browser)' || true
tail -n 1 "$log" | grep -q ' 0 failed' || status=1

unit_pass=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
unit_fail=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
other_pass=$(grep -cE '^PASS ' "$log")
other_fail=$(grep -cE '^FAIL ' "$log")
rm -f "$log"
total_pass=$((unit_pass + other_pass))
total_fail=$((unit_fail + other_fail))
[ "$total_fail" -eq 0 ] || status=1
[ "$total_pass" -gt 0 ] || status=1
echo "all: $total_pass passed, $total_fail failed"
exit $status
