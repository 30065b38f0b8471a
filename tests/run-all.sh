#!/bin/sh
# Runs every suite: unit tests (ASan+UBSan; the store's also on PostgreSQL), the feed parser
# corpus, end-to-end against the release, the ASan+UBSan and the ThreadSanitizer builds on
# SQLite, the release on PostgreSQL and under valgrind, the ranking and
# HTTP benchmark checks, fuzzing, a soak, the short benchmarks, the browser flow, and a
# self-test of this script. Each suite's result is its own: its exit status and its own
# closing line decide it, and a suite that ends without its closing line fails. Prints each
# suite's output and a closing 'N passed, N failed'.
# Usage: tests/run-all.sh UNIT_BINARY...
#        RUN_ALL_SELFTEST=pass|crash tests/run-all.sh   (the self-test's fake suites only)
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)   # PASS/FAIL lines of every suite, for the closing count
out=$(mktemp)   # one suite's own output
status=0

# Runs one suite. Usage: suite NAME SHOWN SUMMARY COMMAND...
# SHOWN: the lines of its output to show; SUMMARY: the line it must end with (an extended
# regular expression over its last line). The suite passes when COMMAND exits 0 and its last
# line matches SUMMARY; its own PASS/FAIL lines (and cmocka's) are counted.
suite() {
    name=$1 shown=$2 summary=$3
    shift 3
    started=$(date +%s)
    "$@" > "$out" 2>&1
    rc=$?
    took=$(( $(date +%s) - started ))
    grep -E "$shown" "$out" | cut -c1-400
    grep -E '^(PASS|FAIL) |^\[  (PASSED|FAILED)  \] [0-9]+ test' "$out" >> "$log"
    last=$(grep -v '^[[:space:]]*$' "$out" | tail -n 1)
    if [ "$rc" -eq 0 ] && printf '%s\n' "$last" | grep -qE "$summary"; then
        echo "PASS suite $name: $last (${took} s)" | tee -a "$log"
    else
        echo "FAIL suite $name: exit $rc, last line: ${last:-(no output)} (${took} s)" | tee -a "$log"
        tail -n 20 "$out"
        status=1
    fi
}

# A short benchmark run: it must finish and end with a ratio= line.
short_bench() {
    name=$1 shown=$2
    shift 2
    suite "$name" "$shown" '^ratio=[0-9.]+$' "$@"
}

case "${RUN_ALL_SELFTEST:-}" in
pass)
    suite fake-pass '^fake' '^fake: 1 passed, 0 failed$' sh tests/selftest/fake-suite.sh pass
    ;;
crash)
    suite fake-pass '^fake' '^fake: 1 passed, 0 failed$' sh tests/selftest/fake-suite.sh pass
    suite fake-crash '^fake' '^fake: [0-9]+ passed, 0 failed$' sh tests/selftest/fake-suite.sh crash
    ;;
*)
    echo "== unit tests (cmocka, ASan+UBSan)"
    suite unit '^\[  (PASSED|FAILED)  \]|unit: FAILED' '^\[  PASSED  \] [0-9]+ test' \
        sh tests/run-unit.sh "$@"
    echo "== the store's unit tests on PostgreSQL (a throw-away cluster, ASan+UBSan)"
    suite unit-postgresql '^\[  (PASSED|FAILED)  \]|unit: FAILED' '^\[  PASSED  \] [0-9]+ test' \
        python3 tests/pg-run.py sh tests/run-unit.sh build/san/test/store/store

    echo "== feed parser corpus (tests/data/feedparser: the Universal Feed Parser's tests)"
    suite feed-corpus '^(folder|total|[a-z]+/|[a-z]+ )' '^total: [0-9]+ of [0-9]+ applicable' \
        python3 tests/feeds/corpus.py build/san/guild tests/data/feedparser --min 100
    echo "== feed parser beside python3-feedparser (no folder below it)"
    suite feed-beside-feedparser '^(guild|feedparser|folders)' \
        '^folders where guild < feedparser: 0 of [0-9]+$' sh tests/feeds/beside.sh build/guild

    echo "== the off-topic check on real titles (tests/data/topic-real.tsv, not written for it)"
    suite topic-real '^(#|dev|heldout|topic-real)' '^topic-real: pass$' \
        python3 tests/topic/eval_real.py build/guild

    # each end-to-end suite runs its cases in processes side by side (each its own servers,
    # files and cluster): much of a case is waiting. Three for the suites whose servers run
    # at full speed (ASan+UBSan 170 s at two, 113 s at three; TSan 231 s / 131 s; PostgreSQL
    # 234 s / 139 s); two under valgrind, which runs one thread at a time and fills both
    # cores with two (885 s in CI at one, 521 s at two)
    jobs=${E2E_JOBS:-3}
    vg_jobs=${E2E_VALGRIND_JOBS:-2}
    for bin in build/guild build/san/guild build/tsan/guild; do
        echo "== end-to-end ($bin, SQLite)"
        suite "e2e $bin" '^(PASS|FAIL)' '^e2e \(.*\): [0-9]+ passed, 0 failed$' \
            python3 tests/e2e/run.py --guild "$bin" --jobs "$jobs"
    done
    echo "== end-to-end on PostgreSQL (build/guild; a throw-away cluster, a database per case)"
    suite "e2e build/guild postgresql" '^(PASS|FAIL)' '^e2e \(.*\): [0-9]+ passed, 0 failed$' \
        python3 tests/e2e/run.py --guild build/guild --engine postgresql --jobs "$jobs"

    # the cases where PostgreSQL adds threads and processes of its own: nodes sharing a
    # database, votes and comments during recomputes (each connection writes on its own there)
    for bin in build/san/guild build/tsan/guild; do
        echo "== end-to-end on PostgreSQL under a sanitizer ($bin: several nodes, concurrency)"
        suite "e2e $bin postgresql" '^(PASS|FAIL)' '^e2e \(.*\): [0-9]+ passed, 0 failed$' \
            python3 tests/e2e/run.py --guild "$bin" --engine postgresql --jobs "$jobs" \
            --only cases_nodes,cases_concurrency,cases_ops
    done

    echo "== end-to-end under valgrind memcheck (no definite leaks, no memory errors)"
    GUILD_WRAPPER="valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --quiet" \
        suite "e2e valgrind" '^(PASS|FAIL)' '^e2e \(.*\): [0-9]+ passed, 0 failed$' \
        python3 tests/e2e/run.py --guild build/guild --quick --jobs "$vg_jobs"

    echo "== ranking benchmark checks (bench/ranksim on tests/data/graphs/soc-Epinions1)"
    suite ranksim '^(PASS|FAIL|graph)' '^ranksim: [0-9]+ passed, 0 failed$' \
        python3 tests/bench/check_ranksim.py build/ranksim

    echo "== who-to-follow benchmark checks (bench/suggestsim on both graphs in tests/data/graphs)"
    suite suggestsim '^(PASS|FAIL|graph|[a-z-]+\.txt)' '^suggestsim: [0-9]+ passed, 0 failed$' \
        python3 tests/bench/check_suggestsim.py build/suggestsim

    echo "== idea portal benchmark checks (bench/ideasim on tests/data/graphs/soc-Epinions1)"
    suite ideasim '^(PASS|FAIL)' '^ideasim: [0-9]+ passed, 0 failed$' \
        python3 tests/bench/check_ideasim.py build/ideasim

    # 10 s per target here (make fuzz: 60 s): the PostgreSQL passes and the groups' cases
    # took the rest of the 30 minutes
    echo "== fuzzing (libFuzzer, ${FUZZ_SECONDS:-10}s per target, then the regression inputs)"
    suite fuzz '^(PASS|FAIL|==|SUMMARY)' '^fuzz: [0-9]+ passed, 0 failed$' \
        sh tests/fuzz/run.sh "${FUZZ_SECONDS:-10}"

    echo "== soak (30 s version of bench/soak/soak.sh)"
    suite soak '^(\||soak)' '^soak: PASS$' bash bench/soak/soak.sh 30 10

    echo "== bench/http --quick (runs end to end: every target answered, no errors, a ratio line)"
    suite bench/http '^(\||bench|ratio|guild serve|item page)' '^ratio=[0-9.]+$' \
        sh tests/bench/check_http.sh

    echo "== bench/feeds (1 s per parser: runs end to end, prints a ratio line)"
    short_bench bench/feeds '^(bench|corpus|big|entries|cycle|ratio)' \
        env FETCH_FEEDS=400 bash bench/feeds/run 1

    echo "== bench/search (20,000 generated entries: runs end to end, prints p50/p99 and a ratio)"
    rm -f build/bench-search-ci.db*
    short_bench bench/search '^(\||search|ratio)' \
        build/searchbench --db build/bench-search-ci.db --entries 20000 --queries 50
    rm -f build/bench-search-ci.db*

    echo "== browser (Chromium via playwright-core)"
    suite browser '^(PASS|FAIL)' '^browser: [0-9]+ passed, 0 failed$' \
        node tests/browser/flow.mjs build/guild

    echo "== self-test: a suite that crashes before its closing line turns the run red"
    suite run-all-selftest '^(PASS|FAIL) ' '^selftest: 2 passed, 0 failed$' \
        sh tests/selftest/check-run-all.sh
    ;;
esac

unit_pass=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
unit_fail=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
other_pass=$(grep -cE '^PASS ' "$log")
other_fail=$(grep -cE '^FAIL ' "$log")
rm -f "$log" "$out"
total_pass=$((unit_pass + other_pass))
total_fail=$((unit_fail + other_fail))
[ "$total_fail" -eq 0 ] || status=1
[ "$total_pass" -gt 0 ] || status=1
echo "all: $total_pass passed, $total_fail failed"
exit $status
