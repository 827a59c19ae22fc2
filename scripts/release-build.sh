#!/usr/bin/env bash
# A release binary of prakat whose start-up code sits together (README, "Memory").
#
# 1. `cargo build --release --bin prakat`.
# 2. That binary runs `prakat serve` under valgrind's callgrind in a throw-away directory, on two
#    spare loopback ports, answers a few requests (website, feeds, health, metrics) and stops:
#    callgrind names every function that ran.
# 3. The binary is linked again (`cargo rustc`, nothing else is compiled) with those functions
#    first and together (`--symbol-ordering-file`, LLVM's linker, rustc's own on Linux).
#
# The kernel maps 64 KB around every page of the binary a process touches; a starting daemon
# runs about 4,700 functions (3.5 MB of code) spread over the whole 90 MB binary, and keeps
# 15 MB of it mapped. Placed together, they take 4 MB.
#
# Needs valgrind (Debian's `valgrind`) and curl. The result: $CARGO_TARGET_DIR/release/prakat
# (target/release/prakat without it), and the order file beside it (prakat.order). A plain
# `cargo build --release` afterwards links the binary again without the order.
#
# Environment: PRAKAT_PROFILE_PORT (default 18380; the admin listener takes the next port).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in valgrind curl nm; do
  command -v "$tool" >/dev/null || { echo "release-build: $tool is needed" >&2; exit 1; }
done

target=${CARGO_TARGET_DIR:-$(pwd)/target}
bin=$target/release/prakat
order=$target/release/prakat.order
port=${PRAKAT_PROFILE_PORT:-18380}
admin=$((port + 1))

echo "release-build: building" >&2
cargo build --release --bin prakat

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
pid=
cat >"$work/prakat.toml" <<EOF
[server]
listen = "127.0.0.1:$port"
admin_listen = "127.0.0.1:$admin"
EOF

echo "release-build: profiling start-up under callgrind (a minute at most)" >&2
(cd "$work" && exec valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.out" \
  "$bin" serve --config "$work/prakat.toml" >"$work/serve.log" 2>&1) &
pid=$!
up=
for _ in $(seq 1 600); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; then up=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$up" ]; then
  echo "release-build: the daemon did not answer under callgrind; its log:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
# What a daemon does in its first minutes: its website and feeds, its health and
# its metrics.
for _ in 1 2 3; do
  for path in /healthz /site/ /site/feed.xml / /favicon.ico /media/none; do
    curl -s -o /dev/null "http://127.0.0.1:$port$path" || true
  done
  curl -s -o /dev/null "http://127.0.0.1:$admin/metrics" || true
done
sleep 2
kill -TERM "$pid"
wait "$pid" || true
pid=

# Every function callgrind saw run, in the order it first saw them, that the binary defines.
nm --defined-only "$bin" | awk '$2 ~ /^[tTwW]$/ {print $3}' | sort -u >"$work/defined"
sed -n -E 's/^c?fn=\([0-9]+\) (.+)$/\1/p' "$work/cg.out" | awk '!seen[$0]++' >"$work/ran"
awk 'NR == FNR {defined[$0] = 1; next} defined[$0]' "$work/defined" "$work/ran" >"$order"
count=$(wc -l <"$order")
if [ "$count" -lt 100 ]; then
  echo "release-build: only $count functions found in the profile; not relinking" >&2
  exit 1
fi

echo "release-build: linking again with $count start-up functions first" >&2
cargo rustc --release --bin prakat -- \
  -C link-arg=-Wl,--symbol-ordering-file="$order" \
  -C link-arg=-Wl,--no-warn-symbol-ordering
echo "release-build: $bin (start-up order: $order)" >&2
