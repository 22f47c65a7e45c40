"""Checks on the built site: links and anchors resolve, images exist and have alt text, no
citation or footnote syntax (`[@`, `[^`) survived into the text readers see, each group of
citation markers reads in ascending order, no References entry repeats a link, and no page but the
print page outweighs the page budget."""

from __future__ import annotations

import gzip
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scripts.sources.markdown import GENERATED_PAGES
from scripts.sources.project import Problem, rel

_SKIP_TEXT_IN = {"code", "pre", "script", "style", "textarea"}
_LEFTOVER = re.compile(r"\[[@^]")
# Files the site links to that are made after the build: the PDF (`make pdf`, scripts/tools/pdf.py).
MADE_AFTER_BUILD = {p for p in GENERATED_PAGES if not p.endswith("/")}
# The most a page's HTML may weigh gzipped (as the audit's static host serves it, level 9). Lighthouse's
# mobile simulation sends a document over a modeled slow 4G link, so its first paint comes a round
# trip later for every step in size; measured on the References page cut to size, the step from
# 1.35 s to 1.5 s falls between 74 and 76 KB, and at 1.5 s the Performance score drops to 99. The
# budget keeps 2 KB under the step (README, "Page weight").
PAGE_BUDGET = 72_000
# Pages the budget does not cover: the whole guide on one page, for printing.
UNBUDGETED = {p for p in GENERATED_PAGES if p.endswith("/")}


def page_weight(html: bytes) -> int:
    """The bytes a page's HTML takes on the wire, gzipped as the audit's static host sends it."""
    return len(gzip.compress(html, 9))


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str]] = []  # (line, kind, url)
        self.images: list[tuple[int, str, str | None]] = []  # (line, src, alt)
        self.leftovers: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        line = self.getpos()[0]
        for name in ("id", "name") if tag == "a" else ("id",):
            if a.get(name):
                self.ids.add(a[name])
        if tag == "a" and a.get("href") is not None:
            self.links.append((line, "link", a["href"]))
        elif tag == "img":
            self.images.append((line, a.get("src") or "", a.get("alt")))
        if tag in _SKIP_TEXT_IN:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in _SKIP_TEXT_IN and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            for m in _LEFTOVER.finditer(data):
                snippet = re.match(r"\[[^\]\n]{0,60}\]?", data[m.start() :]).group(0)
                self.leftovers.append((self.getpos()[0], snippet))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _resolve(site: Path, page: Path, href: str) -> tuple[Path | None, str]:
    parts = urlsplit(href)
    target = unquote(parts.path)
    if not target:
        return page, parts.fragment
    base = page.parent.relative_to(site).as_posix()
    joined = posixpath.normpath(posixpath.join(base, target))
    if joined.startswith(".."):
        return None, parts.fragment
    dest = site / joined
    if dest.is_dir() or target.endswith("/"):
        dest = dest / "index.html"
    return dest, parts.fragment


_MARKER_GROUP = re.compile(
    r'<sup id="fnref[^"]*"><a class="footnote-ref" href="[^"]*">\d+</a></sup>'
    r'(?:<sup class="fn-sep">,</sup><sup id="fnref[^"]*"><a class="footnote-ref" href="[^"]*">\d+</a></sup>)+'
)
_MARKER_NUMBER = re.compile(r'class="footnote-ref" href="[^"]*">(\d+)</a>')
_BIB_ENTRY = re.compile(r'<p class="bib-entry" id="([^"]+)">(.*?)</p>', re.S)


def unsorted_citation_groups(html: str) -> list[tuple[int, list[int]]]:
    """(line, numbers) of each group of adjacent citation markers not in ascending order."""
    found = []
    for m in _MARKER_GROUP.finditer(html):
        numbers = [int(n) for n in _MARKER_NUMBER.findall(m.group(0))]
        if numbers != sorted(numbers):
            found.append((html.count("\n", 0, m.start()) + 1, numbers))
    return found


def repeated_reference_links(html: str) -> list[tuple[int, str, str]]:
    """(line, entry id, URL) of each References entry that links to the same URL twice (its
    "Cited in" links to the guide's sections are not counted)."""
    found = []
    for m in _BIB_ENTRY.finditer(html):
        body = re.sub(r'<span class="bib-cited-in".*?</span>', "", m.group(2), flags=re.S)
        hrefs = re.findall(r'<a href="([^"]+)"', body)
        for href in sorted({h for h in hrefs if hrefs.count(h) > 1}):
            found.append((html.count("\n", 0, m.start()) + 1, m.group(1), href))
    return found


def check_site(site: Path) -> list[Problem]:
    problems: list[Problem] = []
    pages = {p: _parse(p) for p in sorted(site.rglob("*.html")) if p.name != "404.html"}
    for path, page in pages.items():
        name = rel(path, site.parent)
        for line, snippet in page.leftovers:
            problems.append(
                Problem(
                    name,
                    line,
                    f"literal '{snippet.strip()}' in the page text: a citation or footnote did not resolve; run 'make check' for the Markdown line",
                )
            )
        text = path.read_text(encoding="utf-8", errors="replace")
        weight = page_weight(path.read_bytes())
        if weight > PAGE_BUDGET and path.parent.relative_to(site).as_posix() + "/" not in UNBUDGETED:
            problems.append(
                Problem(
                    name,
                    1,
                    f"the page weighs {weight / 1000:.1f} KB gzipped, over the {PAGE_BUDGET / 1000:.0f} KB page budget: past about "
                    "74 KB Lighthouse's mobile simulation paints it a round trip later and its Performance falls below 100 "
                    '(README, "Page weight"); split the page (for the Atlas\'s numbers, add an `atlas:numbers` range) or trim its markup',
                )
            )
        for line, numbers in unsorted_citation_groups(text):
            problems.append(
                Problem(
                    name,
                    line,
                    f"citation markers {','.join(map(str, numbers))} are not in ascending order: sort_marker_runs in scripts/hooks/citations.py should order them",
                )
            )
        for line, entry, href in repeated_reference_links(text):
            problems.append(
                Problem(
                    name,
                    line,
                    f"reference '{entry}' links to {href} twice: link_out in scripts/hooks/bibliography.py should add a link only when the formatted entry has none",
                )
            )
        for line, src, alt in page.images:
            if alt is None or not alt.strip():
                problems.append(Problem(name, line, f"image '{src}' has no alt text"))
            if src and not re.match(r"^[a-z]+:", src):
                dest, _ = _resolve(site, path, src)
                if dest is None or not dest.exists():
                    problems.append(Problem(name, line, f"image '{src}' does not exist in the built site"))
        for line, _, href in page.links:
            if not href or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("//"):
                continue
            dest, fragment = _resolve(site, path, href)
            if dest is not None and dest.parent == site and dest.name in MADE_AFTER_BUILD:
                continue
            if dest is None or not dest.exists():
                problems.append(Problem(name, line, f"link '{href}' leads to no file in the built site"))
                continue
            if fragment and dest.suffix == ".html":
                target = pages.get(dest) or _parse(dest)
                if unquote(fragment) not in target.ids:
                    problems.append(
                        Problem(name, line, f"link '{href}': no element with id '{fragment}' in {rel(dest, site.parent)}")
                    )
    return problems
