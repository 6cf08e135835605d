#!/usr/bin/env bash
# Mutation testing of the checks, a maintainer's habit (too slow for CI).
#
# For each lesson, cargo-mutants changes the reference solution one small
# mutation at a time (a `<` becomes `<=`, a body becomes `Default::default()`,
# ...) and runs the lesson's checks. A mutant the checks do not catch is a
# wrong solution they would accept. The report counts, per lesson, the
# viable mutants (those that build) inside the learner's regions (between
# `// ANCHOR: learn-NAME` markers) and how many the checks caught; the goal
# is 90% or more in every lesson. Mutants outside those regions are in given
# code; they are listed so that given code no check uses can be spotted.
#
#   bash scripts/mutants.sh                 # every lesson (hours on 2 cores)
#   LESSONS="05 12 14" bash scripts/mutants.sh
#   JOBS=2 TIMEOUT=60 bash scripts/mutants.sh
#
# Installs cargo-mutants (cargo install --locked) when it is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
JOBS=${JOBS:-1}
TIMEOUT=${TIMEOUT:-60}
out="$root/target/mutants"
mkdir -p "$out"

if ! cargo mutants --version >/dev/null 2>&1; then
  echo "installing cargo-mutants (cargo install cargo-mutants --locked)…"
  cargo install cargo-mutants --locked >"$out/install.log" 2>&1 \
    || { echo "could not install cargo-mutants; see $out/install.log" >&2; exit 1; }
fi

lessons=$(ls -d solutions/[0-9][0-9]-* | sed 's|solutions/||')
if [ -n "${LESSONS:-}" ]; then
  lessons=$(for n in $LESSONS; do ls -d solutions/$n-* | sed 's|solutions/||'; done)
fi

summary="$out/summary.md"
printf '| lesson | viable mutants in learner code | caught | missed | caught %% | given-code mutants missed |\n|---|---|---|---|---|---|\n' >"$summary"
for l in $lessons; do
  pkg="sol$l"
  dir="$out/$l"
  rm -rf "$dir"
  echo "== $l: cargo mutants -p $pkg (log: $dir.log)"
  cargo mutants -p "$pkg" --file "solutions/$l/src/*.rs" --jobs "$JOBS" \
    --timeout "$TIMEOUT" --output "$dir" --no-shuffle -- --test check >"$dir.log" 2>&1 || true
  python3 - "$root" "$l" "$dir" >>"$summary" <<'PY'
import json, os, re, sys
root, lesson, out = sys.argv[1:]
outcomes = json.load(open(os.path.join(out, "mutants.out", "outcomes.json")))
# Line ranges of learner regions, per file.
regions = {}
src = os.path.join(root, "solutions", lesson, "src")
for dirpath, _, files in os.walk(src):
    for f in files:
        if not f.endswith(".rs"):
            continue
        path = os.path.join(dirpath, f)
        spans, start = [], None
        for no, line in enumerate(open(path), 1):
            t = line.strip()
            if t.startswith("// ANCHOR: learn-"):
                start = no
            elif t.startswith("// ANCHOR_END: learn-") and start:
                spans.append((start, no)); start = None
        regions[os.path.relpath(path, root)] = spans
learner = {"caught": 0, "missed": 0}
given_missed = []
for o in outcomes.get("outcomes", []):
    scen = o.get("scenario")
    if not isinstance(scen, dict) or "Mutant" not in scen:
        continue
    m = scen["Mutant"]
    f = m.get("file", "")
    line = (m.get("span") or {}).get("start", {}).get("line", 0)
    summary = o.get("summary", "")
    if summary in ("Unviable",):
        continue
    caught = summary in ("CaughtMutant", "Timeout")
    inside = any(a <= line <= b for a, b in regions.get(f, []))
    if inside:
        learner["caught" if caught else "missed"] += 1
    elif not caught:
        given_missed.append(f"{os.path.basename(f)}:{line}")
n = learner["caught"] + learner["missed"]
pct = 100.0 * learner["caught"] / n if n else 100.0
print(f"| {lesson} | {n} | {learner['caught']} | {learner['missed']} | {pct:.0f}% | {len(given_missed)} |")
PY
  tail -1 "$summary"
  grep -h "^MISSED" "$dir/mutants.out/missed.txt" 2>/dev/null | head -20 || true
done
echo
cat "$summary"
echo
echo "Missed mutants, per lesson: $out/LESSON/mutants.out/missed.txt"
