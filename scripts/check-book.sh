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
#      search finds lesson terms in the right chapter, and two chapters are
#      screenshotted into target/book-check/ for review.
#
# Installs mdbook (cargo install) and Chromium (apt-get) when they are
# missing. Exits non-zero with a message on the first failing step.
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

step() { printf '\n== check-book: %s\n' "$*"; }
fail() { printf '\ncheck-book: FAILED: %s\n' "$*" >&2; exit 1; }

mkdir -p "$out"

# --- tools -------------------------------------------------------------------
step "mdbook"
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v mdbook >/dev/null 2>&1 \
   || ! mdbook --version | grep -Eq "v?${mdbook_version%.*}\."; then
    echo "mdbook ${mdbook_version%.*}.x not found: cargo install mdbook --locked --version $mdbook_version"
    cargo install mdbook --locked --version "$mdbook_version" \
        || fail "could not install mdbook (cargo install mdbook --locked). Install it by hand and re-run."
fi
mdbook --version

# --- 1. source rules ----------------------------------------------------------
step "source rules (rust blocks are includes, SUMMARY follows workshop.toml, demo commands exist)"
python3 "$lib/check_sources.py" "$root" "$book" || fail "the book's sources break a rule (see above)"

# --- 2. build -----------------------------------------------------------------
step "mdbook build (must be free of warnings)"
rm -rf "$html"
log="$out/mdbook-build.log"
if ! mdbook build "$book" -d "$html" >"$log" 2>&1; then
    cat "$log" >&2
    fail "mdbook build failed (log: $log)"
fi
cat "$log"
if grep -Eq '(^|[[:space:]])(WARN|ERROR)([[:space:]]|$)' "$log"; then
    fail "mdbook build printed warnings or errors (above); the book must build cleanly"
fi

# --- 3. links -----------------------------------------------------------------
step "internal links and images"
python3 "$lib/check_links.py" "$html" || fail "broken links or images in the built book (see above)"

if [ "$browser" = 0 ]; then
    echo; echo "check-book: OK (without the browser checks)"
    exit 0
fi

# --- 4. in the browser --------------------------------------------------------
step "chromium"
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
    echo "Chromium not found at $chromium_bin: installing it from Debian's packages"
    if [ "$(id -u)" = 0 ]; then
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
            || fail "apt-get install chromium failed"
    elif command -v sudo >/dev/null 2>&1; then
        sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
            || fail "sudo apt-get install chromium failed"
    else
        fail "Chromium is missing and this user cannot apt-get install it: run 'apt-get update && apt-get install -y chromium' as root"
    fi
    chromium_bin=/usr/bin/chromium
fi
"$chromium_bin" --version 2>/dev/null || true

step "serving the book on 127.0.0.1"
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
echo "$base"

python3 "$lib/check_browser.py" \
    --chromium "$chromium_bin" --profile "$profile" --base "$base" \
    --book "$book" --out "$out" \
    || fail "the book does not render correctly in Chromium (see above)"

echo
echo "check-book: OK. Screenshots for review: $out/*.png"
