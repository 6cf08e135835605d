#!/usr/bin/env bash
# The learner's loop, timed: append one line to the exercise file, then
# `cargo test` in its folder, until the verdict is printed. Every lesson is
# timed side by side with an anchor: a crate in the shape of
# 100-exercises-to-learn-rust's 08_futures/02_spawn (tokio with "full",
# anyhow, a ~10-line lib with a `todo!()` echo server over two listeners,
# one ~40-line #[tokio::test] that connects 8 clients through a JoinSet).
# The anchor is written and built in a temp folder outside the repository
# (so that none of the workshop's cargo settings apply to it), and removed
# afterwards; set ANCHOR_DIR to keep it and skip its first build next time.
#
# Runs are interleaved (anchor, lesson, anchor, lesson, ...) so that a
# machine that gets busier or quieter affects both alike. Prints a table:
# median seconds per loop and the ratio lesson / anchor.
#
#   bash scripts/bench-loop.sh            # every lesson, 3 rounds each
#   ROUNDS=5 LESSONS="01 14" bash scripts/bench-loop.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ROUNDS=${ROUNDS:-3}
out="$root/target/bench-loop"
mkdir -p "$out"
if [ -n "${ANCHOR_DIR:-}" ]; then
  anchor="$ANCHOR_DIR"
else
  tmp="$(mktemp -d)"
  anchor="$tmp/spawn_anchor"
  trap 'rm -rf "$tmp"' EXIT
fi
mkdir -p "$anchor/src" "$anchor/tests"

cat >"$anchor/Cargo.toml" <<'EOF'
[package]
name = "spawn_anchor"
version = "0.1.0"
edition = "2021"

[dependencies]
tokio = { version = "1", features = ["full"] }
anyhow = "1"

# A crate of its own, not a member of the workshop's workspace.
[workspace]
EOF
cat >"$anchor/src/lib.rs" <<'EOF'
use tokio::net::TcpListener;

// TODO: write an echo server that accepts connections on both listeners,
// spawning a task for each connection.
pub async fn echoes(first: TcpListener, second: TcpListener) -> Result<(), anyhow::Error> {
    let _ = (first, second);
    todo!()
}
EOF
cat >"$anchor/tests/tests.rs" <<'EOF'
use spawn_anchor::echoes;
use std::net::SocketAddr;
use std::panic;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::task::JoinSet;

async fn bind_random() -> (tokio::net::TcpListener, SocketAddr) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (listener, addr)
}

#[tokio::test]
async fn test_echo() {
    let (first_listener, first_addr) = bind_random().await;
    let (second_listener, second_addr) = bind_random().await;
    tokio::spawn(echoes(first_listener, second_listener));

    let requests = vec!["hello", "world", "foo", "bar"];
    let mut join_set = JoinSet::new();

    for request in requests.clone() {
        for addr in [first_addr, second_addr] {
            join_set.spawn(async move {
                let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
                let (mut reader, mut writer) = socket.split();
                writer.write_all(request.as_bytes()).await.unwrap();
                writer.shutdown().await.unwrap();
                let mut buf = Vec::with_capacity(request.len());
                reader.read_to_end(&mut buf).await.unwrap();
                assert_eq!(&buf, request.as_bytes());
            });
        }
    }

    while let Some(outcome) = join_set.join_next().await {
        if let Err(e) = outcome {
            if let Ok(reason) = e.try_into_panic() {
                panic::resume_unwind(reason);
            }
        }
    }
}
EOF

# One edit-and-verdict loop in $1 (a crate folder) editing $2; prints
# seconds. A verdict is a test run that got as far as its result line.
loop_once() {
  local dir=$1 file=$2 n=$3 target=${4:-}
  echo "// bench-loop edit $n" >>"$file"
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$dir" && { [ -z "$target" ] || export CARGO_TARGET_DIR="$target"; } && { cargo test -q 2>&1 || true; } | grep "test result" >/dev/null) \
    || { echo "bench-loop: no verdict from cargo test in $dir" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "warming up (first builds are not timed)…" >&2
anchor_lib="$anchor/src/lib.rs"
cp "$anchor_lib" "$out/anchor-lib.rs.orig"
(cd "$anchor" && { CARGO_TARGET_DIR="$anchor/target" cargo test -q 2>&1 || true; } | grep "test result" >/dev/null) \
  || { echo "bench-loop: the anchor does not build (tokio from crates.io?)" >&2; exit 1; }

# The lessons build in a target folder of their own that holds what a
# learner's holds after the README's setup (`cargo workshop`, `cargo test`):
# the runner, every solution's checks, the demos. A maintainer's target/
# also holds thousands of stale artifacts and incremental sessions, which
# slow every compile down a little.
lessons_target="$out/target"
echo "building the runner, the solutions and the lessons in $lessons_target (once)…" >&2
CARGO_TARGET_DIR="$lessons_target" cargo build -q --manifest-path runner/Cargo.toml
CARGO_TARGET_DIR="$lessons_target" cargo test -q --no-run 2>/dev/null
lessons=$(ls -d exercises/[0-9][0-9]-* | sed 's|exercises/||')
if [ -n "${LESSONS:-}" ]; then
  lessons=$(for n in $LESSONS; do ls -d exercises/$n-* | sed 's|exercises/||'; done)
fi

printf '\n| lesson | lesson loop (s) | anchor loop (s) | ratio |\n|---|---|---|---|\n'
worst=0
for l in $lessons; do
  file="exercises/$l/src/lib.rs"
  cp "$file" "$out/lesson-lib.rs.orig"
  (cd "exercises/$l" && CARGO_TARGET_DIR="$lessons_target" cargo test -q >/dev/null 2>&1) || true  # warm
  : >"$out/l.times"; : >"$out/a.times"
  for r in $(seq "$ROUNDS"); do
    loop_once "$anchor" "$anchor_lib" "$r" "$anchor/target" >>"$out/a.times"
    loop_once "exercises/$l" "$file" "$r" "$lessons_target" >>"$out/l.times"
  done
  cp "$out/lesson-lib.rs.orig" "$file"
  cp "$out/anchor-lib.rs.orig" "$anchor_lib"
  lm=$(median <"$out/l.times"); am=$(median <"$out/a.times")
  ratio=$(awk -v l="$lm" -v a="$am" 'BEGIN { printf "%.2f", l / a }')
  printf '| %s | %s | %s | %s |\n' "$l" "$lm" "$am" "$ratio"
  worst=$(awk -v w="$worst" -v r="$ratio" 'BEGIN { print (r > w) ? r : w }')
done
echo
if awk -v w="$worst" 'BEGIN { exit !(w <= 1.0) }'; then
  echo "worst ratio: $worst: every lesson's loop is as fast as the anchor's or faster"
else
  echo "worst ratio: $worst: some lesson's loop is slower than the anchor's"
fi
