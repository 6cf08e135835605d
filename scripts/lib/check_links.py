#!/usr/bin/env python3
"""Checks that no internal link or image of the built book is broken.

usage: check_links.py HTML_DIR

Every relative href/src (a, img, link, script, source, iframe, ...) of every
page must resolve to a file of the build, and every #fragment to an id (or
a name) in the target page. Links with a scheme (https:, mailto:, ...) are
external and not followed: the book must build and read offline.
"""
import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

root = os.path.abspath(sys.argv[1])
ATTRS = {"href", "src", "poster", "data"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []  # (line, tag, attr, value)
        self.base = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if tag == "base" and name == "href":
                self.base = value
            elif name in ATTRS:
                self.links.append((self.getpos()[0], tag, name, value))
            elif name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.links.append((self.getpos()[0], tag, name, part.strip().split()[0]))

    handle_startendtag = handle_starttag


pages = {}


def parse(path):
    if path not in pages:
        p = Page()
        with open(path, encoding="utf-8", errors="replace") as fh:
            p.feed(fh.read())
        pages[path] = p
    return pages[path]


html_files = []
for dirpath, _, files in os.walk(root):
    for f in files:
        if f.endswith(".html"):
            html_files.append(os.path.join(dirpath, f))
html_files.sort()

errors = []
checked = 0
for path in html_files:
    page = parse(path)
    here = os.path.dirname(path)
    if page.base is not None:
        b = urlsplit(page.base)
        if b.scheme or b.netloc:
            continue  # a page for another site root (none in this book)
        here = os.path.join(root, b.path.lstrip("/")) if b.path.startswith("/") else os.path.join(here, b.path)
    for line, tag, attr, value in page.links:
        v = value.strip()
        if not v or v.startswith(("javascript:", "data:", "//")):
            continue
        u = urlsplit(v)
        if u.scheme or u.netloc:
            continue  # external
        checked += 1
        where = f"{os.path.relpath(path, root)}:{line}: <{tag} {attr}=\"{value}\">"
        if u.path:
            target = os.path.normpath(
                os.path.join(root, unquote(u.path).lstrip("/")) if u.path.startswith("/")
                else os.path.join(here, unquote(u.path))
            )
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            if not target.startswith(root + os.sep) and target != root:
                errors.append(f"{where}: points outside the book")
                continue
            if not os.path.isfile(target):
                errors.append(f"{where}: {os.path.relpath(target, root)} does not exist")
                continue
        else:
            target = path
        if u.fragment and target.endswith(".html"):
            frag = unquote(u.fragment)
            if frag not in parse(target).ids:
                errors.append(f"{where}: no id \"{frag}\" in {os.path.relpath(target, root)}")

if errors:
    # The same broken link shows up in the chapter and in print.html: say it once.
    seen = set()
    for e in errors:
        if e not in seen:
            seen.add(e)
            print("  " + e, file=sys.stderr)
    print(f"{len(seen)} broken link(s) or image(s)", file=sys.stderr)
    sys.exit(1)
print(f"ok: {checked} internal links and images in {len(html_files)} pages")
