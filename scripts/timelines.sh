#!/usr/bin/env bash
# Draws the book's timeline pictures from real runs of the lesson demos.
#
# Every demo in lessons/*/examples/ that prints a testkit Timeline
# (`timeline.render()`) is run once with WORKSHOP_TIMELINE_SVG set; the test
# kit then writes the same chart as SVG, and this script saves it as
#   book/src/images/timeline-NN-EXAMPLE.svg
# (NN is the lesson number, EXAMPLE the demo's name). Run it again after a
# demo changes and commit the pictures with it. The pictures of one lesson
# are drawn on one time axis (the same pixels per ms: the lesson's longest
# run, rounded up to 100 ms), so they compare bar for bar; a demo that
# compares runs (Timeline::render_run) draws them all in one picture.
#
# It also rewrites the list of timelines in book/src/appendix-pictures.md
# (between the timelines:begin and timelines:end markers).
#
# Usage: scripts/timelines.sh [--offline] [--gallery-only] [LESSON_NUMBER...]
#   scripts/timelines.sh            all lessons
#   scripts/timelines.sh 01 07      only lessons 01 and 07
#   scripts/timelines.sh --gallery-only   only rewrite the list in the book
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="book/src/images"
mkdir -p "$out"

cargo_flags=(-q)
only=()
gallery_only=0
for arg in "$@"; do
    case "$arg" in
        --offline) cargo_flags+=(--offline) ;;
        --gallery-only) gallery_only=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) only+=("$arg") ;;
    esac
done

wanted() {
    [ ${#only[@]} -eq 0 ] && return 0
    local n
    for n in "${only[@]}"; do [ "$n" = "$1" ] && return 0; done
    return 1
}

made=0
failed=()
# draw PKG EXAMPLE SVG [AXIS_MS]: one run of the demo, its picture to SVG.
draw() {
    local tmp
    tmp="$(mktemp)"
    if WORKSHOP_TIMELINE_SVG="$tmp" \
       WORKSHOP_TIMELINE_TITLE="lesson $num · $2" \
       WORKSHOP_TIMELINE_AXIS_MS="${4:-}" \
       timeout 300 cargo run "${cargo_flags[@]}" -p "$1" --example "$2" >/dev/null \
       && [ -s "$tmp" ]; then
        mv "$tmp" "$3"
        chmod 644 "$3"
        return 0
    fi
    rm -f "$tmp"
    return 1
}
for lesson in lessons/*/; do
    [ "$gallery_only" = 1 ] && break
    lesson="${lesson%/}"
    dir="$(basename "$lesson")"            # e.g. 01-sync-vs-async
    num="${dir%%-*}"                       # e.g. 01
    wanted "$num" || continue
    [ -d "$lesson/examples" ] || continue
    pkg="$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$lesson/Cargo.toml" | head -n1)"
    drawn=()
    for file in "$lesson"/examples/*.rs; do
        [ -e "$file" ] || continue
        # Only the demos that draw a timeline.
        grep -q 'timeline\.render' "$file" || continue
        example="$(basename "$file" .rs)"
        svg="$out/timeline-$num-$example.svg"
        echo "timeline: cargo run -p $pkg --example $example  ->  $svg"
        if draw "$pkg" "$example" "$svg"; then
            made=$((made + 1))
            drawn+=("$example")
        else
            failed+=("$pkg --example $example")
        fi
    done
    # The pictures of one chapter share one time axis (the same pixels per
    # ms), so a run that took four times as long is drawn four times as long:
    # draw them again with the longest run's axis, rounded up to 100 ms.
    if [ ${#drawn[@]} -gt 1 ]; then
        axis="$(for e in "${drawn[@]}"; do
                    sed -n 's/.*data-axis-ms="\([0-9]*\)".*/\1/p' "$out/timeline-$num-$e.svg" | head -n1
                done | sort -n | tail -n1)"
        axis=$(( (axis + 99) / 100 * 100 ))
        echo "timeline: lesson $num's ${#drawn[@]} pictures again, on one axis of $axis ms"
        for e in "${drawn[@]}"; do
            draw "$pkg" "$e" "$out/timeline-$num-$e.svg" "$axis" || failed+=("$pkg --example $e (shared axis)")
        done
    fi
done

echo "timeline: wrote $made picture(s) to $out/"

# The gallery in the Pictures appendix lists every timeline picture there is.
python3 - "$root" <<'PY'
import os, re, sys, tomllib
root = sys.argv[1]
images = os.path.join(root, "book", "src", "images")
page = os.path.join(root, "book", "src", "appendix-pictures.md")
titles = {}
try:
    with open(os.path.join(root, "workshop.toml"), "rb") as fh:
        for l in tomllib.load(fh).get("lesson", []):
            titles[f"{l['number']:02}"] = (l["slug"], l["title"])
except FileNotFoundError:
    pass
dirs = {d.split("-", 1)[0]: d for d in os.listdir(os.path.join(root, "lessons"))}
pics = sorted(f for f in os.listdir(images) if re.match(r"timeline-\d\d-.+\.svg$", f))
out, last, listed = [], None, 0
for f in pics:
    num, example = re.match(r"timeline-(\d\d)-(.+)\.svg$", f).groups()
    if num not in dirs or not os.path.exists(os.path.join(root, "lessons", dirs[num], "examples", example + ".rs")):
        print(f"timeline: {f} belongs to no demo any more; delete it", file=sys.stderr)
        continue
    slug = dirs[num].split("-", 1)[1]
    if num in titles:
        slug, title = titles[num]
    else:
        # Not in the manifest yet: the chapter's own title, or the slug.
        title = slug.replace("-", " ").capitalize()
        chapter = os.path.join(root, "book", "src", f"{num}-{slug}.md")
        if os.path.exists(chapter):
            with open(chapter, encoding="utf-8") as fh:
                h1 = re.search(r"^#\s+(?:\d\d\s*·\s*)?(.+?)\s*$", fh.read(), re.M)
            if h1:
                title = h1.group(1)
    if num != last:
        out.append(f"### [{num} · {title}]({num}-{slug}.md)\n")
        last = num
    listed += 1
    out.append(f"![Timeline of the {example} demo of lesson {num}](images/{f})\n")
    out.append(f"```console\ncargo run -p lesson{num}-{slug} --example {example}\n```\n")
with open(page, encoding="utf-8") as fh:
    text = fh.read()
m = re.search(r"(<!-- timelines:begin[^>]*-->\n)(.*?)(<!-- timelines:end -->)", text, re.S)
if not m:
    sys.exit(f"timeline: {page} has no <!-- timelines:begin --> ... <!-- timelines:end --> markers")
text = text[: m.start(2)] + "\n".join(out) + text[m.end(2):]
with open(page, "w", encoding="utf-8") as fh:
    fh.write(text)
print(f"timeline: listed {listed} picture(s) in {os.path.relpath(page, root)}")
PY
if [ ${#failed[@]} -gt 0 ]; then
    echo "timeline: FAILED to draw (the demo failed, or it did not call timeline.render()):" >&2
    printf '  cargo run -p %s\n' "${failed[@]}" >&2
    exit 1
fi
