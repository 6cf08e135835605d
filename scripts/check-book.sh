#!/usr/bin/env bash
# Builds the book and checks it the way a learner will see it.
#
#   1. source rules: every ```rust block is an {{#include}} of a compiled
#      file; SUMMARY.md lists the lessons of workshop.toml in order; every
#      `cargo run -p lessonNN-slug --example NAME` in the book names a demo
#      that exists;
#   2. `mdbook build` succeeds with no warning and no error;
#   3. no internal link or image in the built HTML is broken (files and
#      #fragments);
#   4. the book is served on 127.0.0.1 and opened in headless Chromium:
#      every chapter renders (its title is in the DOM, no include error text),
#      search finds lesson terms in the right chapter;
#   5. the layout, measured in headless Chromium (playwright-core) at 1280
#      and at 400 px: no element sticks out of the content column (scrolling
#      inside a <pre> or a table is fine), the page never scrolls sideways,
#      every SVG picture's text renders at 12 px or more and is not cut off,
#      and there is no Run button; every page is screenshotted at both widths
#      into target/book-check/screens/WIDTH/.
#
# Installs mdbook (cargo install), Chromium (apt-get) and playwright-core
# (npm, into target/book-check/) when they are missing; their output goes to
# target/book-check/setup.log, each step's details to a log beside it, and
# the terminal gets a short summary. Exits non-zero with a message on the
# first failing step. At the end it prints how long the run took, and whether
# it was a cold run (it had to install something) or a warm one; the times
# of earlier runs are kept in target/book-check/times.log.
#
# Usage: scripts/check-book.sh [--book DIR] [--no-browser]
#   --book DIR     check another copy of the book (default: book/)
#   --no-browser   steps 1 to 3 only
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
book="$root/book"
browser=1
while [ $# -gt 0 ]; do
    case "$1" in
        --book) book="$(cd "$2" && pwd)"; shift 2 ;;
        --no-browser) browser=0; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "check-book: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

out="$root/target/book-check"
html="$out/html"
lib="$root/scripts/lib"
mdbook_version="${MDBOOK_VERSION:-0.5.4}"
started=$SECONDS
kind="warm"
installed=()

say() { printf 'check-book: %s\n' "$*"; }
ok() { printf '  ok   %s\n' "$*"; }
fail() { printf '\ncheck-book: FAILED: %s\n' "$*" >&2; exit 1; }
# show_failures LOG: the lines of a step's log that say what failed.
show_failures() { grep -E -A8 'FAIL|Error|error|rror:' "$1" | head -n 60 >&2 || tail -n 30 "$1" >&2; }

mkdir -p "$out"
setup_log="$out/setup.log"
: > "$setup_log"

# --- tools -------------------------------------------------------------------
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v mdbook >/dev/null 2>&1 \
   || ! mdbook --version | grep -Eq "v?${mdbook_version%.*}\."; then
    say "installing mdbook $mdbook_version (cargo install; details in $setup_log)"
    cargo install mdbook --locked --version "$mdbook_version" >>"$setup_log" 2>&1 \
        || fail "could not install mdbook (cargo install mdbook --locked; see $setup_log). Install it by hand and re-run."
    kind="cold"; installed+=("mdbook")
fi
ok "$(mdbook --version)"

# --- 1. source rules ----------------------------------------------------------
python3 "$lib/check_sources.py" "$root" "$book" >"$out/sources.log" 2>&1 \
    || { cat "$out/sources.log" >&2; fail "the book's sources break a rule (see above)"; }
ok "source rules: rust blocks are includes, SUMMARY follows workshop.toml, demo commands exist"

# --- 2. build -----------------------------------------------------------------
rm -rf "$html"
log="$out/mdbook-build.log"
if ! mdbook build "$book" -d "$html" >"$log" 2>&1; then
    cat "$log" >&2
    fail "mdbook build failed (log: $log)"
fi
if grep -Eq '(^|[[:space:]])(WARN|ERROR)([[:space:]]|$)' "$log"; then
    grep -E '(^|[[:space:]])(WARN|ERROR)([[:space:]]|$)' "$log" >&2
    fail "mdbook build printed warnings or errors (above; log: $log); the book must build cleanly"
fi
# No Run button: the code blocks need the workshop's crates, which the Rust
# playground does not have ([output.html.playground] runnable = false).
if grep -rlq 'class="playground"\|play-button' "$html" --include='*.html'; then
    fail "the built book has playground (Run) code blocks: set [output.html.playground] runnable = false in book.toml"
fi
ok "mdbook build: no warnings, no Run buttons ($(find "$html" -name '*.html' | wc -l) pages)"

# --- 3. links -----------------------------------------------------------------
python3 "$lib/check_links.py" "$html" >"$out/links.log" 2>&1 \
    || { cat "$out/links.log" >&2; fail "broken links or images in the built book (see above)"; }
ok "internal links and images: $(tail -n 1 "$out/links.log" | sed 's/^ok: //')"

finish() {
    local took=$((SECONDS - started))
    local why=""
    [ ${#installed[@]} -gt 0 ] && why=": installed ${installed[*]}"
    printf '%s %s %s\n' "$(date -u +%FT%TZ)" "$kind" "$took" >>"$out/times.log"
    local last_cold last_warm
    last_cold="$(awk '$2 == "cold" { t = $3 } END { print t }' "$out/times.log")"
    last_warm="$(awk '$2 == "warm" { t = $3 } END { print t }' "$out/times.log")"
    echo
    say "OK$1"
    say "this was a $kind run$why: ${took} s"
    say "last cold run: ${last_cold:-none yet}${last_cold:+ s}; last warm run: ${last_warm:-none yet}${last_warm:+ s} (history: $out/times.log)"
}

if [ "$browser" = 0 ]; then
    finish " (without the browser checks)"
    exit 0
fi

# --- 4. in the browser --------------------------------------------------------
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
    say "Chromium not found at $chromium_bin: installing it from Debian's packages (details in $setup_log)"
    if [ "$(id -u)" = 0 ]; then
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >>"$setup_log" 2>&1 \
            || fail "apt-get install chromium failed (see $setup_log)"
    elif command -v sudo >/dev/null 2>&1; then
        { sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >>"$setup_log" 2>&1 \
            || fail "sudo apt-get install chromium failed (see $setup_log)"
    else
        fail "Chromium is missing and this user cannot apt-get install it: run 'apt-get update && apt-get install -y chromium' as root"
    fi
    chromium_bin=/usr/bin/chromium
    kind="cold"; installed+=("chromium")
fi
command -v node >/dev/null 2>&1 || fail "node is missing (the layout check runs playwright-core on node): install nodejs and npm"
if [ ! -d "$out/node_modules/playwright-core" ]; then
    say "installing playwright-core (npm, into $out; details in $setup_log)"
    (cd "$out" && npm install --no-save --no-audit --no-fund playwright-core@1 >>"$setup_log" 2>&1) \
        || fail "npm install playwright-core failed (see $setup_log)"
    kind="cold"; installed+=("playwright-core")
fi
ok "$("$chromium_bin" --version 2>/dev/null || echo chromium)"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$html" >"$out/http.log" 2>&1 &
server_pid=$!
profile="$(mktemp -d)"
cleanup() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    rm -rf "$profile"
}
trap cleanup EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 50); do
    python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$base/index.html" \
        >/dev/null 2>&1 && break
    sleep 0.2
done
python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$base/index.html" \
    >/dev/null 2>&1 || fail "the HTTP server on $base did not come up (log: $out/http.log)"

blog="$out/browser.log"
if ! python3 "$lib/check_browser.py" \
    --chromium "$chromium_bin" --profile "$profile" --base "$base" \
    --book "$book" --out "$out" >"$blog" 2>&1; then
    show_failures "$blog"
    fail "the book does not render correctly in Chromium (above; log: $blog)"
fi
ok "in Chromium: $(grep '^  ok   ' "$blog" | grep -vc '^  ok   search') pages render with their titles, $(grep -c '^  ok   search' "$blog") searches find their chapter"

# --- 5. layout at 1280 and 400 px ---------------------------------------------
python3 - "$book/src/SUMMARY.md" >"$out/pages.txt" <<'PY'
import re, sys
for md in re.findall(r"\]\(([^)#]+\.md)\)", open(sys.argv[1], encoding="utf-8").read()):
    print(md[:-3] + ".html")
PY
cp "$lib/check_layout.mjs" "$out/check_layout.mjs"   # an ES module finds its packages next to itself
llog="$out/layout.log"
rm -rf "$out/screens"
if ! node "$out/check_layout.mjs" "$chromium_bin" "$base" "$out/pages.txt" "$out" 1280 400 >"$llog" 2>&1; then
    grep -E -A8 '^  FAIL|Error' "$llog" | head -n 80 >&2 || tail -n 30 "$llog" >&2
    fail "the layout breaks at 1280 or 400 px (above; log: $llog; screenshots: $out/screens/)"
fi
ok "layout: $(wc -l < "$out/pages.txt") pages at 1280 and 400 px, nothing sticks out of its column; $(grep 'smallest SVG text' "$llog" | sed 's/^ *//')"
ok "screenshots: $out/screens/1280/*.png and $out/screens/400/*.png"

cleanup
trap - EXIT
finish ""
