"""Browser fixtures: the built guide (the session fixture `site`) served on 127.0.0.1, one headless
Chromium for the session, and `page_at`, which opens a page in a fresh context and records its
console errors and every request it makes.

Requirements: Chromium at /usr/bin/chromium (`apt-get install -y chromium`; `make test` under
CI=true installs it) and the pinned npm tools (`npm ci --prefix tests/browser`). When one is missing
the tests that need it are skipped with one message, or fail when CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from scripts.sources.project import ROOT

# Debian's Chromium and its flags, as `make pdf` uses them (GUIDE_CHROMIUM points elsewhere,
# e.g. Google Chrome on GitHub's runners).
from scripts.tools.localhost import serve, stop
from scripts.tools.pdf import CHROMIUM, CHROMIUM_ARGS

NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
DESKTOP = {"width": 1280, "height": 800}
SCHEMES = ("default", "slate")


def missing(message: str) -> NoReturn:
    """A required tool is absent: skip locally, fail on CI (CI=true) where it must be installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_chromium() -> None:
    if not CHROMIUM.exists():
        missing(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` (`bash .ci/run` under CI=true installs it; GUIDE_CHROMIUM selects another binary)"
        )


def require_node_modules() -> None:
    if not NODE_MODULES.is_dir():
        missing(
            f"{NODE_MODULES.relative_to(ROOT)} not found: run `npm ci --prefix tests/browser` (axe-core, vnu-jar, lighthouse)"
        )


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        missing("java not found (the Nu HTML checker needs Java 11+): install it with `apt-get install -y default-jre-headless`")
    return java


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built guide over HTTP on 127.0.0.1 (ephemeral port); yields the base URL, ending in '/'."""
    httpd, base = serve(site)  # as a static host serves it (scripts/tools/localhost.py)
    try:
        yield base
    finally:
        stop(httpd)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium (the system one: Playwright cannot download browsers here) for the session."""
    require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed: run `make install`")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    """An opened page and what it did: console errors (and uncaught exceptions) and every request URL."""

    page: Any
    scheme: str = "default"
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self, base: str) -> list[str]:
        """Requests to anything but the local server (data: and blob: URLs are local by nature)."""
        return [u for u in self.requests if not u.startswith((base, "data:", "blob:"))]


def html_pages(site: Path) -> list[str]:
    """URL paths (relative to the base URL) of every built page except 404.html: '' for Home, 'introduction/', ..."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        paths.append(rel.removesuffix("index.html"))
    return paths


@pytest.fixture(scope="session")
def all_pages(site: Path) -> list[str]:
    """Every built HTML page except 404.html, as URL paths relative to `server`."""
    return html_pages(site)


class PageOpener:
    """open(path, scheme="default"|"slate", viewport=None) -> Visit: a fresh context and page, loaded.

    "slate" is set the way a reader with a dark system theme gets it: the palette's toggles follow
    `prefers-color-scheme`, so the context emulates color_scheme="dark" (nothing stored in the
    `__palette` localStorage key). Requests to other hosts are recorded, then aborted: the tests never
    touch the network. Call close(visit) when done (the `page_at` fixture does it for you).
    """

    def __init__(self, browser: Any, base: str) -> None:
        self.browser = browser
        self.base = base

    def open(self, path: str, scheme: str = "default", viewport: dict[str, int] | None = None) -> Visit:
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {SCHEMES}, not {scheme!r}")
        context = self.browser.new_context(
            viewport=viewport or DESKTOP,
            color_scheme="dark" if scheme == "slate" else "light",
            service_workers="block",
        )
        # Only requests to other hosts are intercepted (the pattern is matched in the browser driver).
        context.route(
            re.compile("^(?!" + re.escape(self.base) + ")(?!data:|blob:)"), lambda route: route.abort("blockedbyclient")
        )
        page = context.new_page()
        visit = Visit(page, scheme)
        context.on("request", lambda request: visit.requests.append(request.url))
        page.on(
            "console",
            lambda msg: msg.type == "error" and visit.console_errors.append(f"{msg.text} [{msg.location.get('url', '')}]"),
        )
        page.on("pageerror", lambda exc: visit.console_errors.append(f"uncaught exception: {exc}"))
        try:
            self.goto(visit, path)
        except BaseException:
            context.close()
            raise
        return visit

    def goto(self, visit: Visit, path: str) -> None:
        """Load another page in the same tab (faster than a new context); the records start afresh."""
        visit.console_errors.clear()
        visit.requests.clear()
        url = path if path.startswith(("http://", "https://")) else self.base + path.lstrip("/")
        visit.page.goto(url, wait_until="load")
        try:
            visit.page.wait_for_function("s => document.body.dataset.mdColorScheme === s", arg=visit.scheme, timeout=5000)
        except Exception:
            got = visit.page.evaluate("document.body.dataset.mdColorScheme")
            raise AssertionError(
                f"{url}: body[data-md-color-scheme] is {got!r}, expected {visit.scheme!r} (palette not applied)"
            ) from None

    @staticmethod
    def close(visit: Visit) -> None:
        visit.page.context.close()


@pytest.fixture(scope="session")
def opener(browser: Any, server: str) -> PageOpener:
    """For session- or module-wide surveys of many pages; close each Visit yourself."""
    return PageOpener(browser, server)


@pytest.fixture
def page_at(opener: PageOpener) -> Iterator[Callable[..., Visit]]:
    """page_at(path, scheme="default"|"slate", viewport=None) -> Visit; every context is closed after the test."""
    visits: list[Visit] = []

    def open_page(path: str, scheme: str = "default", viewport: dict[str, int] | None = None) -> Visit:
        visits.append(opener.open(path, scheme, viewport))
        return visits[-1]

    yield open_page
    for visit in visits:
        opener.close(visit)
