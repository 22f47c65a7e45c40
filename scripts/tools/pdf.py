"""The whole guide as a PDF (`make pdf`): the built print page (print_page/: title page, table of
contents, numbered chapters, figures, math, citations) printed by headless Chromium through
Playwright, with page numbers (the print page's own @page rules), a document outline, tags for
assistive technology and working internal links.

Builds nothing: build first (`make build`). The site is served on 127.0.0.1; nothing is fetched
from another host (such requests are aborted).

Usage: python -m scripts.tools.pdf [--site site/] [--out site/mllm-guide.pdf] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

from scripts.tools.localhost import serve, stop

PDF_NAME = "mllm-guide.pdf"
CHROMIUM = Path(os.environ.get("GUIDE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def render_pdf(site: Path, out: Path, chromium: Path = CHROMIUM, browser: Any = None) -> Path:
    """Print site/print_page/ to `out`, in `browser` (a Playwright Chromium) or a new headless
    Chromium at `chromium`; returns `out`."""
    if not (site / "print_page" / "index.html").is_file():
        raise SystemExit(f"{site}/print_page/index.html not found: build the site first (make build)")
    httpd, base = serve(site)
    try:
        if browser is not None:
            _print(browser, base, out)
        else:
            from playwright.sync_api import sync_playwright

            if not chromium.exists():
                raise SystemExit(f"Chromium not found at {chromium}: install it with `apt-get install -y chromium`")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
                try:
                    _print(browser, base, out)
                finally:
                    browser.close()
    finally:
        stop(httpd)
    return out


def _print(browser: Any, base: str, out: Path) -> None:
    context = browser.new_context(color_scheme="light", service_workers="block")
    try:
        context.route(re.compile("^(?!" + re.escape(base) + ")(?!data:|blob:)"), lambda route: route.abort())
        page = context.new_page()
        page.goto(base + "print_page/", wait_until="load")
        # print-site.js writes the table of contents; the math font (loaded when an equation comes
        # near the viewport: docs/overrides/partials/guide/math-font.html) must be in.
        page.wait_for_function("document.querySelector('#print-page-toc a') !== null", timeout=30000)
        page.evaluate(
            "(window.guideMathFont ? window.guideMathFont() : Promise.resolve()).then(() => document.fonts.ready).then(() => true)"
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(out),
            format="A4",
            print_background=True,
            margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            outline=True,
            tagged=True,
        )
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=None, help=f"default: SITE/{PDF_NAME}")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM)
    args = parser.parse_args(argv)
    out = render_pdf(args.site, args.out or args.site / PDF_NAME, args.chromium)
    print(f"pdf: {out} ({out.stat().st_size / 1024 / 1024:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
