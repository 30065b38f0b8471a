#!/bin/sh
# A fake suite for run-all.sh's self-test. "pass": one passing case and its closing line.
# "crash": one passing case, then it dies by a segmentation fault before its closing line,
# as a suite that crashes half-way does.
echo "PASS fake first case"
if [ "${1:-}" = "crash" ]; then
    kill -SEGV $$
    sleep 5 # not reached
fi
echo "fake: 1 passed, 0 failed"
