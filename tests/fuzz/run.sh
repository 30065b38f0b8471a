#!/bin/sh
# Runs every fuzz target for SECONDS each (default 60) on a scratch copy of its seed corpus,
# then replays the regression inputs (crashers found earlier). Prints executions per target
# and a closing 'N passed, N failed'. Crashers land in build/fuzz/crashes/: copy each into
# tests/fuzz/regress/<target>/ once fixed, so it is replayed for ever.
set -u
secs=${1:-60}
passed=0
failed=0
mkdir -p build/fuzz/crashes
for bin in build/fuzz/fuzz_*; do
    name=$(basename "$bin")
    work=$(mktemp -d)
    cp tests/fuzz/corpus/"$name"/* "$work"/ 2>/dev/null
    if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=build/fuzz/crashes/"$name"- "$work" > "$work.log" 2>&1; then
        execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work.log" | grep -o '[0-9]*$')
        echo "PASS fuzz $name: $execs executions in ${secs}s"
        passed=$((passed + 1))
    else
        echo "FAIL fuzz $name:"
        grep -E 'ERROR|SUMMARY|runtime error|deadly' "$work.log" | head -5
        failed=$((failed + 1))
    fi
    if [ -d tests/fuzz/regress/"$name" ]; then
        if "$bin" tests/fuzz/regress/"$name"/* > "$work.log" 2>&1; then
            echo "PASS fuzz $name: regression inputs replayed"
            passed=$((passed + 1))
        else
            echo "FAIL fuzz $name: a regression input fails again"
            failed=$((failed + 1))
        fi
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
