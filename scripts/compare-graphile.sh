#!/usr/bin/env bash
# prakat beside graphile-worker 0.17.3 in batched mode, on this machine, in one run.
#
#   scripts/compare-graphile.sh [JOBS] [ROUNDS]       (defaults: 50000 3)
#
# graphile-worker: installed with npm into ~/.cache/prakat-compare (once), run on a fresh
# PostgreSQL database made for this run and dropped after it (PGHOST/PGPORT/PGUSER, default
# 127.0.0.1:5432 postgres). One worker pool: `localQueue` 500, `completeJobBatchDelay` 0, a no-op
# task, GRAPHILE_CONCURRENCY jobs at once (default 24). JOBS jobs are added before the pool
# starts; the time runs from its start until the jobs table is empty.
# prakat: `prakat bench dispatch --deliveries JOBS` from a release build (built here unless
# PRAKAT_BIN names a binary), synchronous=FULL as the daemon runs.
# Rounds alternate graphile, prakat; the medians and their ratio are printed last, with the
# load average before each measurement (other work on the machine skews both).
set -euo pipefail
JOBS=${1:-50000}
ROUNDS=${2:-3}
VERSION=0.17.3
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${PRAKAT_COMPARE_CACHE:-$HOME/.cache/prakat-compare}/graphile-worker-$VERSION
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

if [ ! -f "$cache/node_modules/graphile-worker/package.json" ]; then
  echo "installing graphile-worker $VERSION into $cache" >&2
  mkdir -p "$cache"
  echo '{"private":true}' >"$cache/package.json"
  npm install --prefix "$cache" --no-audit --no-fund --silent "graphile-worker@$VERSION" >&2
fi

if [ -z "${PRAKAT_BIN:-}" ]; then
  echo "building prakat (release)" >&2
  (cd "$here" && cargo build --release --quiet --bin prakat) >&2
  PRAKAT_BIN=${CARGO_TARGET_DIR:-$here/target}/release/prakat
fi

db=prakat_compare_$$_$(date +%s)
createdb "$db"
trap 'dropdb --if-exists "$db" 2>/dev/null || true' EXIT
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db"

load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
g_rates=() p_rates=()
for r in $(seq 1 "$ROUNDS"); do
  l=$(load)
  g=$(GRAPHILE_DIR="$cache/node_modules" JOBS=$JOBS node "$here/scripts/compare-graphile.mjs")
  g_rate=$(awk '{print $4}' <<<"$g")
  echo "round $r  graphile-worker $VERSION batched  $JOBS jobs  $(awk '{print $3}' <<<"$g") s  $g_rate jobs/s  (load $l)"
  l=$(load)
  p=$("$PRAKAT_BIN" bench dispatch --deliveries "$JOBS" 2>/dev/null)
  p_rate=$(awk '/^throughput:/ {print $2}' <<<"$p")
  p_secs=$(awk '/^all published after:/ {print $4}' <<<"$p")
  p_late=$(awk -F'[(,] *' '/^lateness/ {sub(/^lateness[^:]*: /, ""); print}' <<<"$p")
  echo "round $r  prakat bench dispatch          $JOBS deliveries  $p_secs s  $p_rate deliveries/s  ($p_late; load $l)"
  g_rates+=("$g_rate") p_rates+=("$p_rate")
done
g_med=$(printf '%s\n' "${g_rates[@]}" | median)
p_med=$(printf '%s\n' "${p_rates[@]}" | median)
echo
echo "median of $ROUNDS at $JOBS due at once:"
echo "  graphile-worker $VERSION batched (localQueue 500, completeJobBatchDelay 0): $g_med jobs/s"
echo "  prakat (SQLite, synchronous=FULL, no-op channel):                       $p_med deliveries/s"
awk -v p="$p_med" -v g="$g_med" 'BEGIN {printf "  prakat / graphile-worker batched: %.2f×\n", p / g}'
