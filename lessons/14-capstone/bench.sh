#!/usr/bin/env bash
# Lesson 14 benchmark: the async server vs the thread-per-connection baseline
# under the same load. For each server: start it, run the load generator
# with $CONNS concurrent connections on 127.0.0.1, read the server's peak
# resident memory (VmHWM in /proc/PID/status), stop it. Prints a markdown
# table. Takes well under 2 minutes once built.
#
#   bash lessons/14-capstone/bench.sh            # 10,000 connections, 5 s each
#   CONNS=2000 SECONDS_PER_RUN=3 bash lessons/14-capstone/bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNS=${CONNS:-10000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
THINK_MS=${THINK_MS:-1000}
SERVER_THREADS=${SERVER_THREADS:-2}

# Every connection is a file descriptor in the server and one in the load
# generator (separate processes). Raise the soft limit as far as allowed.
want=$((CONNS + 512))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
  echo "note: ulimit -Hn is $hard, too low for $CONNS connections; using $((hard - 512))" >&2
  CONNS=$((hard - 512))
  want=$hard
fi
ulimit -n "$want"

cargo build --release -q -p lesson14-capstone --examples
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/examples"

run() { # name, server binary, server args...
  local name=$1 bin=$2; shift 2
  local out; out=$(mktemp)
  "$BIN/$bin" --seconds 60 --max-connections $((CONNS + 100)) "$@" >"$out" 2>&1 &
  local pid=$!
  local addr=""
  for _ in $(seq 100); do
    addr=$(sed -n 's/^listening on //p' "$out")
    [ -n "$addr" ] && break
    sleep 0.05
  done
  [ -n "$addr" ] || { echo "$name did not start:" >&2; cat "$out" >&2; kill "$pid"; exit 1; }
  # Sample the server's thread count while the load runs; keep the peak.
  local peak="$out.threads"
  ( max=0; while kill -0 "$pid" 2>/dev/null; do
      t=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${t:-0}" -gt "$max" ] && { max=$t; echo "$max" >"$peak"; }
      sleep 0.2
    done ) &
  local sampler=$!
  local result
  result=$("$BIN/loadgen" --addr "$addr" --connections "$CONNS" --seconds "$SECONDS_PER_RUN" \
            --think-ms "$THINK_MS" | tee /dev/stderr | grep '^RESULT')
  local hwm; hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  local threads; threads=$(cat "$peak" 2>/dev/null || echo "?")
  rm -f "$out" "$peak"
  local get; get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
  printf '| %s | %s | %s | %s ms | %s ms | %.1f MiB | %s |\n' "$name" "$(get connections)" \
    "$(get requests)" "$(get p50_ms)" "$(get p99_ms)" "$(awk "BEGIN {print $hwm / 1024}")" \
    "$threads" >>"$TABLE"
}

TABLE=$(mktemp)
run "async (smol, $SERVER_THREADS threads)" server --threads "$SERVER_THREADS"
run "thread per connection" threaded

echo
echo "$(nproc) cores; $CONNS connections; ${SECONDS_PER_RUN} s per server; one ECHO every ${THINK_MS} ms per connection"
echo
echo "| server | connections | requests | p50 | p99 | peak RSS (VmHWM) | peak threads |"
echo "|---|---|---|---|---|---|---|"
cat "$TABLE"
rm -f "$TABLE"
