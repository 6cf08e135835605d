#!/usr/bin/env bash
# Lesson 14 benchmark: the async server vs the thread-per-connection baseline,
# side by side in one run, under the same load on 127.0.0.1.
#
# Shape 1, "idle-ish": $CONNS clients stay connected, each sends one ECHO
# every $THINK_MS ms. Latency (p50, p99) and memory per connection.
# Shape 2, "cores busy": the same load while two CPU-bound processes keep
# both cores busy (as a batch job or a noisy neighbour would). Latency only.
#
# Memory per connection, user and kernel, measured while the connections
# are open:
#   user   = the server's resident memory (VmRSS) at its peak during the load,
#            minus its own idle baseline before the load, / connections;
#   kernel = the growth of Slab + KernelStack + PageTables in /proc/meminfo
#            at its peak during the load, minus the load generator's share,
#            / connections. The load generator's share is half of the async
#            run's kernel growth: in that run both ends hold the same kernel
#            objects per connection (one TCP socket and one epoll
#            registration each, both processes on async-io), so they cost
#            the same. The thread server's share is its run's growth minus
#            that same load-generator share.
# Kernel figures are for the whole machine: run it on a quiet machine.
#
#   bash lessons/14-capstone/bench.sh            # 10,000 connections, 5 s each
#   CONNS=2000 SECONDS_PER_RUN=3 bash lessons/14-capstone/bench.sh
#   SHAPES=idle bash lessons/14-capstone/bench.sh   # shape 1 only
set -euo pipefail
cd "$(dirname "$0")/../.."

CONNS=${CONNS:-10000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
THINK_MS=${THINK_MS:-1000}
SERVER_THREADS=${SERVER_THREADS:-2}
SHAPES=${SHAPES:-"idle busy"}

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

cargo build --release -q -p sol14-capstone --examples
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/examples"

kernel_kib() { # Slab + KernelStack + PageTables, in KiB
  awk '/^(Slab|KernelStack|PageTables):/ {s += $2} END {print s}' /proc/meminfo
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# name active_objects object_size for each slab cache, when readable
# (/proc/slabinfo is root-only on most systems).
slab_snapshot() { awk 'NR > 2 { print $1, $2, $4 }' /proc/slabinfo 2>/dev/null || true; }

hogs=()
start_hogs() { for _ in 1 2; do (while :; do :; done) & hogs+=($!); done; }
stop_hogs() { for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; # name active_objects object_size for each slab cache, when readable
# (/proc/slabinfo is root-only on most systems).
slab_snapshot() { awk 'NR > 2 { print $1, $2, $4 }' /proc/slabinfo 2>/dev/null || true; }

hogs=(); }
trap stop_hogs EXIT

# run NAME BINARY SHAPE [server args...]: prints "requests p50 p99 rss_kib kernel_kib threads"
run() {
  local name=$1 bin=$2 shape=$3; shift 3
  local out; out=$(mktemp)
  "$BIN/$bin" --seconds 90 --max-connections $((CONNS + 100)) "$@" >"$out" 2>&1 &
  local pid=$!
  local addr=""
  for _ in $(seq 200); do
    addr=$(sed -n 's/^listening on //p' "$out")
    [ -n "$addr" ] && break
    sleep 0.05
  done
  [ -n "$addr" ] || { echo "$name did not start:" >&2; cat "$out" >&2; kill "$pid"; exit 1; }
  sleep 0.5
  local rss0 k0; rss0=$(rss_kib "$pid"); k0=$(kernel_kib)
  slab_snapshot >"$out.slab0"
  # Sample while the load runs; keep the peaks.
  local peaks="$out.peaks"
  ( rss=0; k=0; thr=0
    while kill -0 "$pid" 2>/dev/null && [ ! -e "$out.stop" ]; do
      r=$(rss_kib "$pid"); kk=$(kernel_kib)
      t=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${r:-0}" -gt "$rss" ] && rss=$r
      if [ "${kk:-0}" -gt "$k" ]; then k=$kk; slab_snapshot >"$out.slab1"; fi
      [ "${t:-0}" -gt "$thr" ] && thr=$t
      echo "$rss $k $thr" >"$peaks"
      sleep 0.2
    done ) &
  local sampler=$!
  [ "$shape" = busy ] && start_hogs
  local result
  result=$("$BIN/loadgen" --addr "$addr" --connections "$CONNS" --seconds "$SECONDS_PER_RUN" \
            --think-ms "$THINK_MS" | tee /dev/stderr | grep '^RESULT')
  [ "$shape" = busy ] && stop_hogs
  touch "$out.stop"
  wait "$sampler" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local rss k thr
  read -r rss k thr <"$peaks"
  # The kernel objects behind the growth, for the async run (both ends of
  # every connection are async-io sockets there): bytes per connection.
  if [ "$name" = async ] && [ -s "$out.slab0" ] && [ -s "$out.slab1" ]; then
    awk -v n="$CONNS" 'NR == FNR { before[$1] = $2; next }
      { grow = ($2 - before[$1]) * $3 / n; if (grow >= 8) printf "%s %.0f\n", $1, grow }' \
      "$out.slab0" "$out.slab1" | sort -k2 -rn >"$SLABS"
  fi
  rm -f "$out" "$peaks" "$out.stop" "$out.slab0" "$out.slab1"
  local get; get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
  echo "$(get requests) $(get p50_ms) $(get p99_ms) $((rss - rss0)) $((k - k0)) $thr $(get connections)"
}

TABLE=$(mktemp)
BUSY=$(mktemp)
SLABS=$(mktemp)
for shape in $SHAPES; do
  read -r a_req a_p50 a_p99 a_rss a_k a_thr a_conn < <(run async server "$shape" --threads "$SERVER_THREADS")
  read -r t_req t_p50 t_p99 t_rss t_k t_thr t_conn < <(run threads threaded "$shape")
  if [ "$shape" = idle ]; then
    awk -v n="$CONNS" -v a_rss="$a_rss" -v a_k="$a_k" -v t_rss="$t_rss" -v t_k="$t_k" \
        -v a_req="$a_req" -v a_p50="$a_p50" -v a_p99="$a_p99" -v a_thr="$a_thr" -v a_conn="$a_conn" \
        -v t_req="$t_req" -v t_p50="$t_p50" -v t_p99="$t_p99" -v t_thr="$t_thr" -v t_conn="$t_conn" \
        -v threads="$SERVER_THREADS" '
      BEGIN {
        gen = a_k / 2                       # the load generator'"'"'s kernel share
        au = a_rss * 1024 / n; ak = (a_k - gen) * 1024 / n
        tu = t_rss * 1024 / n; tk = (t_k - gen) * 1024 / n
        printf "| async (smol, %d threads) | %d | %d | %s ms | %s ms | %.1f KB | %.1f KB | **%.1f KB** | %d |\n", threads, a_conn, a_req, a_p50, a_p99, au/1000, ak/1000, (au+ak)/1000, a_thr
        printf "| thread per connection | %d | %d | %s ms | %s ms | %.1f KB | %.1f KB | **%.1f KB** | %d |\n", t_conn, t_req, t_p50, t_p99, tu/1000, tk/1000, (tu+tk)/1000, t_thr
        printf "\nthreads cost %.1fx the async server per connection (user + kernel)\n", (tu+tk)/(au+ak)
      }' >"$TABLE"
  else
    printf '| async (smol, %s threads) | %s | %s ms | %s ms |\n| thread per connection | %s | %s ms | %s ms |\n' \
      "$SERVER_THREADS" "$a_req" "$a_p50" "$a_p99" "$t_req" "$t_p50" "$t_p99" >"$BUSY"
  fi
done

echo
echo "$(nproc) cores; $CONNS connections; ${SECONDS_PER_RUN} s per run; one ECHO every ${THINK_MS} ms per connection"
if [ -s "$TABLE" ]; then
  echo
  echo "Shape 1: mostly idle connections"
  echo
  echo "| server | connections | requests | p50 | p99 | user / conn | kernel / conn | total / conn | peak threads |"
  echo "|---|---|---|---|---|---|---|---|---|"
  cat "$TABLE"
fi
if [ -s "$BUSY" ]; then
  echo
  echo "Shape 2: the same load while two CPU-bound processes keep both cores busy"
  echo
  echo "| server | requests | p50 | p99 |"
  echo "|---|---|---|---|"
  cat "$BUSY"
fi
if [ -s "$SLABS" ]; then
  echo
  echo "Kernel objects per connection in the async run, both ends together (from /proc/slabinfo):"
  echo
  echo "| slab cache | bytes per connection |"
  echo "|---|---|"
  awk '{ printf "| %s | %s |\n", $1, $2; t += $2 } END { printf "| **all** | **%d** (the server'"'"'s end: about %d) |\n", t, t / 2 }' "$SLABS"
elif [ ! -r /proc/slabinfo ]; then
  echo
  echo "(run as root to see which kernel objects a connection costs: /proc/slabinfo)"
fi
rm -f "$TABLE" "$BUSY" "$SLABS"
