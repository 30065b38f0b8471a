#!/bin/sh
# Runs each cmocka unit test binary given as an argument; exits non-zero if any fails.
# Sanitizer builds use plain malloc per allocation in arenas so ASan sees every block.
export ARENA_DEBUG=1
status=0
for t in "$@"; do
    if ! "$t"; then
        echo "unit: FAILED $t"
        status=1
    fi
done
exit $status
