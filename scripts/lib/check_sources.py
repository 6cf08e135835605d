#!/usr/bin/env python3
"""Source rules for the book (run by scripts/check-book.sh).

usage: check_sources.py REPO_ROOT BOOK_DIR

* Every ```rust block (any fence whose language is rust or rs) holds only
  {{#include ...}} / {{#rustdoc_include ...}} lines: the book shows no Rust
  that the compiler has not seen.
  A block without a language counts as Rust too, so it must be labelled.
* The lesson entries of SUMMARY.md are the lessons of workshop.toml, in the
  same order, with the manifest's titles ("NN · title").
* Every `cargo run -p lessonNN-slug --example NAME` in the book names a file
  lessons/NN-slug/examples/NAME.rs, and every `-p PACKAGE` names a package
  of the workspace.
"""
import os
import re
import sys
import tomllib

root, book = sys.argv[1], sys.argv[2]
src = os.path.join(book, "src")
errors = []


def rel(path):
    return os.path.relpath(path, root)


# --- rust blocks are includes -------------------------------------------------
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^`\s]*)")
INCLUDE = re.compile(r"^\s*\{\{#(include|rustdoc_include)\s+[^}]+\}\}\s*$")
md_files = []
for dirpath, _, files in os.walk(src):
    for f in sorted(files):
        if f.endswith(".md"):
            md_files.append(os.path.join(dirpath, f))

for path in md_files:
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    fence = None  # (marker, lang, start line)
    for no, line in enumerate(lines, 1):
        m = FENCE.match(line)
        if fence is None:
            if m:
                lang = m.group(3).split(",")[0].lower()
                if not lang:
                    errors.append(
                        f"{rel(path)}:{no}: a code block without a language counts as Rust for mdBook "
                        "and rustdoc. Label it: ```console, ```text, ```toml, or ```rust with an {{#include}}."
                    )
                fence = (m.group(2), lang, no)
            continue
        if m and m.group(2)[0] == fence[0][0] and len(m.group(2)) >= len(fence[0]) and not m.group(3):
            fence = None
            continue
        if fence[1] in ("rust", "rs") and line.strip() and not INCLUDE.match(line):
            errors.append(
                f"{rel(path)}:{no}: Rust written inline in a ```rust block (opened on line {fence[2]}). "
                "Put the code in a compiled file (lessons/ or solutions/) between "
                "// ANCHOR: name and // ANCHOR_END: name, and write {{#include ../../PATH:name}} here."
            )
            fence = (fence[0], "reported", fence[2])
    if fence is not None:
        errors.append(f"{rel(path)}:{fence[2]}: code block is never closed")

# --- SUMMARY follows the manifest --------------------------------------------------
with open(os.path.join(root, "workshop.toml"), "rb") as fh:
    manifest = tomllib.load(fh)
lessons = manifest.get("lesson", [])
expected = [(f"{l['number']:02}-{l['slug']}.md", f"{l['number']:02} · {l['title']}") for l in lessons]

with open(os.path.join(src, "SUMMARY.md"), encoding="utf-8") as fh:
    summary = fh.read()
LINK = re.compile(r"^\s*[-*]\s*\[(.+)\]\(([^)]+)\)\s*$|^\s*\[(.+)\]\(([^)]+)\)\s*$")
entries = []
for line in summary.split("\n"):
    m = LINK.match(line)
    if m:
        title = m.group(1) or m.group(3)
        target = m.group(2) or m.group(4)
        entries.append((target.strip(), title.strip()))
lesson_entries = [(t, title) for t, title in entries if re.match(r"^\d\d-[a-z0-9-]+\.md$", t)]

got_files = [t for t, _ in lesson_entries]
want_files = [f for f, _ in expected]
if got_files != want_files:
    errors.append(
        "SUMMARY.md does not list the lessons of workshop.toml in order.\n"
        f"    workshop.toml: {' '.join(want_files)}\n"
        f"    SUMMARY.md:    {' '.join(got_files)}"
    )
else:
    for (f, want), (_, got) in zip(expected, lesson_entries):
        if got != want:
            errors.append(f"SUMMARY.md: the entry for {f} reads [{got}], workshop.toml says [{want}]")
for target, _ in entries:
    if not os.path.exists(os.path.join(src, target.split("#")[0])):
        errors.append(f"SUMMARY.md names {target}, which does not exist in {rel(src)}")
if entries and entries[0][0] != "introduction.md":
    errors.append("SUMMARY.md: the introduction must come first")

# --- demo commands exist ---------------------------------------------------------
packages = {}
for kind in ("lessons", "exercises", "solutions"):
    base = os.path.join(root, kind)
    if not os.path.isdir(base):
        continue
    for d in sorted(os.listdir(base)):
        cargo = os.path.join(base, d, "Cargo.toml")
        if os.path.exists(cargo):
            with open(cargo, "rb") as fh:
                name = tomllib.load(fh).get("package", {}).get("name")
            if name:
                packages[name] = os.path.join(base, d)
for extra in ("testkit", "runner"):
    cargo = os.path.join(root, extra, "Cargo.toml")
    if os.path.exists(cargo):
        with open(cargo, "rb") as fh:
            packages[tomllib.load(fh)["package"]["name"]] = os.path.join(root, extra)

RUN = re.compile(r"cargo\s+(?:run|build|test|check|clippy)\b[^\n`]*?-p\s+([A-Za-z0-9_-]+)(?:[^\n`]*?--example\s+([A-Za-z0-9_]+))?")
for path in md_files:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    for no, line in enumerate(text.split("\n"), 1):
        for m in RUN.finditer(line):
            pkg, example = m.group(1), m.group(2)
            if pkg != pkg.lower() or (example and example != example.lower()):
                continue  # a placeholder such as exNN-slug or --example NAME
            if pkg not in packages:
                errors.append(f"{rel(path)}:{no}: `-p {pkg}`: no such package in the workspace")
                continue
            if example and not os.path.exists(os.path.join(packages[pkg], "examples", example + ".rs")):
                errors.append(
                    f"{rel(path)}:{no}: `-p {pkg} --example {example}`: "
                    f"{rel(os.path.join(packages[pkg], 'examples', example + '.rs'))} does not exist"
                )

if errors:
    for e in errors:
        print("  " + e, file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(md_files)} pages, {len(lesson_entries)} lessons in order")
