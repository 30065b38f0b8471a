#!/bin/sh
# Self-test of tests/run-all.sh: with only a passing fake suite the run is green; when a fake
# suite crashes before its closing line (after another suite printed '0 failed') the whole
# run is red and names that suite. Ends with 'selftest: N passed, N failed'.
cd "$(dirname "$0")/../.."
passed=0 failed=0
check() {
    if [ "$1" = ok ]; then
        echo "PASS selftest: $2"
        passed=$((passed + 1))
    else
        echo "FAIL selftest: $2"
        failed=$((failed + 1))
    fi
}
out=$(RUN_ALL_SELFTEST=pass sh tests/run-all.sh 2>&1)
if [ $? -eq 0 ] && printf '%s\n' "$out" | grep -q '^all: 2 passed, 0 failed$'; then
    check ok "a passing suite keeps the run green"
else
    check bad "a passing suite keeps the run green: $out"
fi
out=$(RUN_ALL_SELFTEST=crash sh tests/run-all.sh 2>&1)
if [ $? -ne 0 ] && printf '%s\n' "$out" | grep -q '^FAIL suite fake-crash' &&
   printf '%s\n' "$out" | grep -q '^all: [0-9]* passed, [1-9][0-9]* failed$'; then
    check ok "a suite that crashes before its closing line turns the run red"
else
    check bad "a suite that crashes before its closing line turns the run red: $out"
fi
echo "selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
