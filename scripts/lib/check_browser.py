#!/usr/bin/env python3
"""Opens the served book in headless Chromium (run by scripts/check-book.sh).

usage: check_browser.py --chromium BIN --profile DIR --base URL --book BOOK_DIR --out DIR

* every chapter of SUMMARY.md renders: the DOM (after scripts ran) has an
  <h1> with the chapter's title, and no include error text;
* search (`?search=TERM`) lists a result that links to the right chapter;
(Screenshots of every page, and the layout checks, are check_layout.mjs's.)
"""
import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

ap = argparse.ArgumentParser()
ap.add_argument("--chromium", required=True)
ap.add_argument("--profile", required=True)
ap.add_argument("--base", required=True)
ap.add_argument("--book", required=True)
ap.add_argument("--out", required=True)
args = ap.parse_args()

# Terms a learner would search for, and a chapter that must be among the
# results. Only chapters that are in SUMMARY.md are tried.
SEARCHES = [
    ("reactor", "03-event-loop.html"),
    ("race_with_seed", "07-composing-futures.html"),
    ("WouldBlock", "02-non-blocking-io.html"),
    ("SMOL_THREADS", "appendix-tokio.html"),
]
ERROR_TEXT = ["Unable to include", "{{#include", "{{#rustdoc_include", "{{#playground", "Could not read file"]

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
]


def chromium(extra, url, timeout=90):
    # A fresh profile for every run: nothing cached, nothing remembered.
    profile = tempfile.mkdtemp(dir=args.profile)
    cmd = [args.chromium, *FLAGS, f"--user-data-dir={profile}", *extra, url]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"chromium did not finish within {timeout} s: {' '.join(cmd)}"
    if r.returncode != 0:
        return None, f"chromium exited with {r.returncode}: {r.stderr.strip()[-2000:]}"
    return r.stdout, None


class Dom(HTMLParser):
    """Collects <h1> texts, <title>, and the links of the search results."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.h1 = []
        self.title = ""
        self._in = None
        self._buf = []
        self._results_depth = 0
        self.result_links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("h1", "title") and self._in is None:
            self._in, self._buf = tag, []
        if self._results_depth:
            self._results_depth += 1
            if tag == "a" and a.get("href"):
                self.result_links.append(a["href"])
        elif a.get("id") == "mdbook-searchresults":
            self._results_depth = 1

    def handle_endtag(self, tag):
        if self._in == tag:
            text = " ".join("".join(self._buf).split())
            if tag == "h1":
                self.h1.append(text)
            else:
                self.title = text
            self._in = None
        if self._results_depth:
            self._results_depth -= 1

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)


def plain(md_title):
    """The text a Markdown heading renders to, roughly: no `code` or *emphasis* marks."""
    t = re.sub(r"`([^`]*)`", r"\1", md_title)
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"(\*\*|__|\*|_)(\S.*?\S|\S)\1", r"\2", t)
    return " ".join(html.unescape(t).split())


src = os.path.join(args.book, "src")
with open(os.path.join(src, "SUMMARY.md"), encoding="utf-8") as fh:
    chapters = re.findall(r"\]\(([^)#]+\.md)\)", fh.read())

failures = []

# --- every chapter renders --------------------------------------------------------
for md in chapters:
    page = md[:-3] + ".html"
    with open(os.path.join(src, md), encoding="utf-8") as fh:
        m = re.search(r"^#\s+(.+?)\s*#*\s*$", fh.read(), re.M)
    if not m:
        failures.append(f"{md}: has no '# Title' line")
        continue
    want = plain(m.group(1))
    dom, err = chromium(["--virtual-time-budget=3000", "--dump-dom"], f"{args.base}/{page}")
    if err:
        failures.append(f"{page}: {err}")
        continue
    d = Dom()
    d.feed(dom)
    problems = []
    if not any(want == h or want in h for h in d.h1):
        problems.append(f"no <h1> reads \"{want}\" (found: {d.h1 or 'no <h1> at all'})")
    for bad in ERROR_TEXT:
        if bad in dom:
            i = dom.index(bad)
            snippet = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom[max(0, i - 60): i + 120])).split())
            problems.append(f"contains \"{bad}\": ...{snippet}...")
    if problems:
        failures += [f"{page}: {p}" for p in problems]
        print(f"  FAIL {page}")
    else:
        print(f"  ok   {page}: {want}")

# --- search --------------------------------------------------------------------------
present = {md[:-3] + ".html" for md in chapters}
for term, expected in SEARCHES:
    if expected not in present:
        print(f"  skip search {term!r}: {expected} is not in SUMMARY.md")
        continue
    dom, err = chromium(["--virtual-time-budget=10000", "--dump-dom"], f"{args.base}/index.html?search={term}")
    if err:
        failures.append(f"search {term!r}: {err}")
        continue
    d = Dom()
    d.feed(dom)
    pages = [link.split("#")[0].split("?")[0] for link in d.result_links]
    if expected in pages:
        print(f"  ok   search {term!r}: {len(pages)} result(s), including {expected}")
    else:
        failures.append(
            f"search {term!r}: no result links to {expected} "
            f"(results: {sorted(set(pages)) or 'none; did the search index load?'})"
        )
        print(f"  FAIL search {term!r}")

if failures:
    print("", file=sys.stderr)
    for f in failures:
        print("  " + f, file=sys.stderr)
    sys.exit(1)
