"""Lighthouse audit (`make audit`) of a built site: performance, accessibility, best practices and
SEO for Home, the longest chapter (the biggest HTML among the TOC's chapters) and every Atlas page
(atlas/, atlas-results/ and any other page whose path starts with "atlas"). `--all` (`make audit-all`)
audits every page of the navigation instead (the print page is not in it); `--page PATH` audits the
pages named.

Builds nothing: build first (`make build`, or `python -m scripts.tools.build --site-dir DIR`). The site is
served on 127.0.0.1 with gzip for text types, kept-alive connections and a short cache lifetime, as a
static host would.
Lighthouse 12.8.2 (pinned in tests/browser/package.json: `npm ci --prefix tests/browser`) runs with
its defaults (mobile form factor, simulated throttling) in the system Chromium, offline.

Usage: python -m scripts.tools.audit [--site site/] [--chapter introduction/ | --all | --page atlas-results/ ...]
       [--markdown] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from scripts.sources.project import ROOT
from scripts.tools.localhost import serve, stop
from scripts.tools.pdf import CHROMIUM, CHROMIUM_ARGS  # the Chromium and flags every tool and test uses

LIGHTHOUSE = ROOT / "tests" / "browser" / "node_modules" / "lighthouse" / "cli" / "index.js"
LAUNCHER_FLAGS = ROOT / "tests" / "browser" / "node_modules" / "chrome-launcher" / "dist" / "flags.js"
# chrome-launcher (which Lighthouse starts Chromium with) disables these Chromium features, among them
# RenderDocument, which Chromium itself enables. With RenderDocument off, headless Chromium
# intermittently presents the first frame about a second after the page is ready to paint (measured
# here: 6 of 19 runs of the longest chapter; the page painted at about 0.2 s, the frame came at
# 1.2 s), and Lighthouse's simulation turns that into a slower First Contentful Paint, Largest
# Contentful Paint and Speed Index (GoogleChrome/lighthouse issue 17148 describes the same bimodal
# delay). The audit keeps the launcher's list but leaves RenderDocument on, as in a reader's browser:
# 0 of 23 runs were delayed.
KEEP_ENABLED = ("RenderDocument",)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def nav_pages(site: Path) -> list[str]:
    """URL paths of the pages in the primary navigation of Home ('' for Home itself)."""
    from html.parser import HTMLParser

    class Nav(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0  # > 0 inside <nav class="md-nav md-nav--primary">
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "nav" and (self.depth or "md-nav--primary" in (a.get("class") or "")):
                self.depth += 1
            elif tag == "a" and self.depth and "md-nav__link" in (a.get("class") or "") and a.get("href"):
                self.hrefs.append(a["href"] or "")

        def handle_endtag(self, tag: str) -> None:
            if tag == "nav" and self.depth:
                self.depth -= 1

    nav = Nav()
    nav.feed((site / "index.html").read_text(encoding="utf-8"))
    pages = []
    for href in nav.hrefs:
        if "#" in href or "://" in href:
            continue
        path = href.removeprefix("./").removesuffix("index.html")
        path = "" if path in (".", "./") else path
        if path not in pages:
            pages.append(path)
    return pages


def longest_chapter(site: Path) -> str:
    """The biggest built page among the TOC's chapters (scripts/toc.yml), not References or Glossary."""
    from scripts.sources.toc import load_toc

    in_toc = {chapter.file.removesuffix(".md") + "/" for chapter in load_toc()}
    chapters = [p for p in nav_pages(site) if p in in_toc and (site / p / "index.html").is_file()]
    if not chapters:
        raise SystemExit(f"no chapter found in the navigation of {site / 'index.html'}")
    return max(chapters, key=lambda p: (site / p / "index.html").stat().st_size)


def atlas_pages(site: Path) -> list[str]:
    """The Atlas's pages among the navigation's, in navigation order ('atlas/', 'atlas-results/', ...)."""
    return [p for p in nav_pages(site) if p.startswith("atlas") and (site / p / "index.html").is_file()]


def page_title(site: Path, path: str) -> str:
    """The page's <title> up to the site name ('Introduction', 'The MLLM Atlas', 'Home' for Home)."""
    if path == "":
        return "Home"
    text = (site / path / "index.html").read_text(encoding="utf-8")
    m = re.search(r"<title>(.*?)</title>", text, re.S)
    title = html.unescape(m.group(1)).strip() if m else path
    return re.split(r"\s+-\s+", title)[0]


def pages_to_audit(site: Path, chapter: str | None = None, every: bool = False, named: list[str] | None = None) -> dict[str, str]:
    """{label: URL path} of the pages to audit, in order."""
    if named:
        paths = [p.strip("/") + "/" if p.strip("/") else "" for p in named]
        return {f"{page_title(site, p)} ({p or '/'})": p for p in paths}
    if every:
        return {f"{page_title(site, p)} ({p or '/'})": p for p in nav_pages(site)}
    label = "Chapter" if chapter else "Longest chapter"
    chapter = chapter.strip("/") + "/" if chapter else longest_chapter(site)
    pages = {"Home": "", f"{label} ({chapter})": chapter}
    for path in atlas_pages(site):
        pages[f"{page_title(site, path)} ({path})"] = path
    return pages


def disabled_features(flags_js: Path = LAUNCHER_FLAGS) -> str:
    """chrome-launcher's --disable-features value, read from its flags.js, without KEEP_ENABLED."""
    text = re.sub(r"//[^\n]*", "", flags_js.read_text(encoding="utf-8"))
    block = re.search(r"'--disable-features=' \+\s*\[(.*?)\]\.join\(','\)", text, re.S)
    if block is None:
        raise SystemExit(f"{flags_js}: its --disable-features list was not found; update disabled_features() in {__file__}")
    names = re.findall(r"'([\w-]+)'", block.group(1))
    return ",".join(name for name in names if name not in KEEP_ENABLED)


def lighthouse(url: str, chromium: str) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node not found: Lighthouse needs Node.js 18+")
    cmd = [
        node,
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={chromium}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)} --disable-features={disabled_features()}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--quiet",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        raise SystemExit(f"lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stderr[-3000:]}") from None
    if report.get("runtimeError"):
        raise SystemExit(f"lighthouse could not audit {url}: {report['runtimeError'].get('message')}")
    return report


def failing_audits(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(category, audit id, score, title) of every scored audit below 1 in the four categories."""
    out = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            score = audit.get("score")
            if audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings") and score is not None and score < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                out.append((cat, ref["id"], f"{score:.2f}", audit["title"] + value))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    ap.add_argument("--chapter", help="audit this page (URL path, e.g. introduction/) instead of the longest chapter")
    ap.add_argument("--all", action="store_true", help="audit every page of the navigation (all but the print page)")
    ap.add_argument("--page", action="append", help="audit this page only (URL path; repeatable)")
    ap.add_argument("--markdown", action="store_true", help="also print the scores as a Markdown table (for the README)")
    ap.add_argument(
        "--chromium", default=str(CHROMIUM), help="the Chrome or Chromium binary (default: $GUIDE_CHROMIUM or /usr/bin/chromium)"
    )
    args = ap.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        print(f"{site}: no index.html; build the site first: python -m scripts.tools.build --site-dir {args.site}")
        return 2
    if not LIGHTHOUSE.is_file():
        print(f"{LIGHTHOUSE.relative_to(ROOT)} not found: run `npm ci --prefix tests/browser`")
        return 2
    if not Path(args.chromium).exists():
        print(f"{args.chromium} not found: install Chromium (apt-get install -y chromium) or pass --chromium")
        return 2

    httpd, base = serve(site)
    try:
        pages = pages_to_audit(site, args.chapter, args.all, args.page)
        reports = {}
        for name, path in pages.items():
            print(f"lighthouse: {base}{path} ...", file=sys.stderr, flush=True)
            reports[name] = lighthouse(base + path, args.chromium)
    finally:
        stop(httpd)

    width = max(map(len, reports)) + 2
    print(f"{'page':<{width}}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, report in reports.items():
        scores = [report["categories"][c]["score"] for c in CATEGORIES]
        print(f"{name:<{width}}" + "".join(f"{'-' if s is None else round(s * 100):>16}" for s in scores))
    if args.markdown:
        print("\n| Page | Performance | Accessibility | Best Practices | SEO |\n| --- | --- | --- | --- | --- |")
        for name, report in reports.items():
            scores = [report["categories"][c]["score"] for c in CATEGORIES]
            print(f"| {name} | " + " | ".join("-" if s is None else str(round(s * 100)) for s in scores) + " |")
    below = 0
    for name, report in reports.items():
        failing = failing_audits(report)
        below += any((report["categories"][c]["score"] or 0) < 1 for c in CATEGORIES)
        print(f"\n{name}: {len(failing)} audit(s) below 1")
        for cat, audit_id, score, title in failing:
            print(f"  {cat:<15} {score}  {audit_id}: {title}")
    print(f"\n{len(reports) - below} of {len(reports)} page(s) at 100 in all four categories")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
