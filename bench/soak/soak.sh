#!/usr/bin/env bash
# Soak: a bounded load on loopback against a demo guild, mixed reads and authenticated writes
# (bench/soak/mix.lua), reporting errors, latency percentiles and the server's RSS every
# interval. The bar: 0 errors and flat memory (RSS growth under 20% from the first interval
# to the last). Stops by itself.
# Usage: bench/soak/soak.sh [SECONDS=600] [INTERVAL=60]   (CI runs: soak.sh 30 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
total=${1:-600}
step=${2:-60}
[ "$total" -ge "$step" ] || { echo "soak: SECONDS must be >= INTERVAL" >&2; exit 2; }
work=$(mktemp -d)
db="$work/soak.db"
build/guild demo --db "$db" > /dev/null
printf 'soak-password-123\n' > "$work/pw"
build/guild user add --db "$db" --handle soaker --name "Soak Tester" --email soak@example.org \
    --password-file "$work/pw" > /dev/null
export GUILD_TOKEN=$(build/guild token create --db "$db" --user soaker)
build/guild serve --db "$db" --listen 127.0.0.1:0 --limits vote=100000000/60 \
    > "$work/out" 2> "$work/err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do
    grep -q listening "$work/out" && break
    sleep 0.1
done
url=$(grep -o 'http://[0-9.:]*' "$work/out")
echo "soak: $url, ${total}s in ${step}s intervals, wrk 2 threads 32 connections"
printf '| t (s) | requests | req/s | errors | p50 | p99 | RSS (MB) |\n|---|---|---|---|---|---|---|\n'
rss_first=""
errors_total=0
elapsed=0
while [ "$elapsed" -lt "$total" ]; do
    out=$(wrk -t2 -c32 -d"${step}s" --latency -s bench/soak/mix.lua "$url" 2>&1)
    elapsed=$((elapsed + step))
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    sockerr=$(echo "$out" | awk '/Socket errors/ {s = 0; for (i = 4; i <= NF; i += 2) s += $i; print s}')
    errs=$(( ${non2xx:-0} + ${sockerr:-0} ))
    errors_total=$((errors_total + errs))
    rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' /proc/$pid/status)
    [ -n "$rss_first" ] || rss_first=$rss
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$elapsed" "$reqs" "$rps" "$errs" "$p50" "$p99" "$rss"
done
growth=$(awk -v a="$rss_first" -v b="$rss" 'BEGIN {printf "%.1f", (b - a) * 100 / a}')
echo "soak: errors=$errors_total rss_first=${rss_first}MB rss_last=${rss}MB growth=${growth}%"
if [ "$errors_total" -ne 0 ] || awk -v g="$growth" 'BEGIN {exit !(g > 20)}'; then
    echo "soak: FAIL"
    exit 1
fi
echo "soak: PASS"
