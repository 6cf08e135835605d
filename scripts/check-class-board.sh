#!/usr/bin/env bash
# The class board in a real browser: `cargo workshop class serve` on
# 127.0.0.1, one learner joined from a copy of the runner's fixture
# workshop, and headless Chromium (driven by playwright-core) watching the
# page while the learner solves an exercise. The row must change live, with
# no reload and nothing loaded from outside the server; screenshots go to
# target/class-check/.
#
# Installs Chromium (apt-get) and playwright-core (npm, into target/) when
# they are missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/class-check"
mkdir -p "$out"
log="$out/setup.log"
: > "$log"
fail() { printf 'check-class-board: FAILED: %s\n' "$*" >&2; exit 1; }

chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
    echo "installing Chromium (apt-get; details in $log)"
    if [ "$(id -u)" = 0 ]; then
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >>"$log" 2>&1 \
            || fail "apt-get install chromium failed (see $log)"
    else
        fail "Chromium is missing: run 'apt-get install -y chromium' as root"
    fi
fi
if [ ! -d "$out/node_modules/playwright-core" ]; then
    echo "installing playwright-core (npm; details in $log)"
    (cd "$out" && npm install --no-save --no-audit --no-fund playwright-core@1 >>"$log" 2>&1) \
        || fail "npm install playwright-core failed (see $log)"
fi

cargo build -q --manifest-path "$root/runner/Cargo.toml"
bin="$root/target/debug/workshop"
[ -n "${CARGO_TARGET_DIR:-}" ] && bin="$CARGO_TARGET_DIR/debug/workshop"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
cp -r "$root/runner/tests/fixture" "$work/teacher"
for who in ada bob cy; do cp -r "$root/runner/tests/fixture" "$work/$who"; done

(cd "$work/teacher" && exec "$bin" class serve --addr 127.0.0.1:0 --code demo42 --state "$work/class.json") \
    >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/serve.log" 2>/dev/null && break
    sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$work/serve.log")"
[ -n "$url" ] || fail "class serve did not start: $(cat "$work/serve.log")"

learner() { (cd "$work/$1" && shift && CARGO_TARGET_DIR="$out/fixture-target" NO_COLOR=1 "$bin" "$@" >/dev/null); }
for who in ada bob cy; do
    learner "$who" class join "$url" --code demo42 --name "$who" || fail "$who could not join"
done
learner ada check 2 || true
# bob: a wrong `double`, one hint, a failing check (the histogram shows it).
sed -e '/ANCHOR\|\/\/~\|solution:/d' -e 's/n \* 2/n * 3/' \
    "$work/bob/solutions/02-counting/src/lib.rs" > "$work/bob/exercises/02-counting/src/lib.rs"
learner bob hint 2 double || true
learner bob check 2 || true
learner cy check 1 || true

# The picture in the book's instructor guide comes from this run:
#   scripts/check-class-board.sh --book-image
# An ES module finds its packages next to itself, so it runs from $out.
cp "$root/scripts/lib/class_board.mjs" "$out/class_board.mjs"
CARGO_TARGET_DIR="$out/fixture-target" \
    node "$out/class_board.mjs" "$chromium_bin" "$url" "$work/ada" "$bin" "$out"
if [ "${1:-}" = "--book-image" ]; then
    cp "$out/class-board.png" "$root/book/src/images/class-board.png"
    echo "copied to book/src/images/class-board.png"
fi
