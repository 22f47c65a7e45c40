"""The built guide in a real browser (headless Chromium): every page loads cleanly and offline,
search, citation and abbreviation tooltips, the dark-mode toggle, axe-core accessibility checks on
every page in both colour schemes, and no horizontal scrolling on a 375 px wide phone.

Run: .venv/bin/python -m pytest tests/browser -q
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import AXE, SCHEMES, PageOpener, Visit, require_node_modules

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 375, "height": 812}
TOOLTIP_TIMEOUT = 5000


def shown(path: str) -> str:
    return "/" + path


@pytest.fixture(scope="module")
def survey(opener: PageOpener, all_pages: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every page in both schemes, loaded once: console errors, foreign requests and axe-core violations."""
    require_node_modules()
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for scheme in SCHEMES:
        visit = opener.open(all_pages[0], scheme)  # one tab per scheme, navigated page to page
        try:
            for path in all_pages:
                if path != all_pages[0]:
                    opener.goto(visit, path)
                visit.page.add_script_tag(path=str(AXE))
                violations = visit.page.evaluate(
                    """options => axe.run(document, options).then(r => r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
                    })))""",
                    options,
                )
                results[(path, scheme)] = {
                    "console": list(visit.console_errors),
                    "foreign": visit.foreign_requests(opener.base),
                    "axe": violations,
                }
        finally:
            opener.close(visit)
    return results


def test_every_page_loads_without_console_errors_or_foreign_requests(survey):
    problems = []
    for (path, scheme), result in survey.items():
        problems += [f"{shown(path)} [{scheme}]: console error: {e}" for e in result["console"]]
        problems += [f"{shown(path)} [{scheme}]: request to another host (blocked): {u}" for u in result["foreign"]]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_axe_finds_no_violations_on_any_page_in_either_scheme(survey):
    """axe-core (WCAG 2.0/2.1/2.2 A and AA, plus best practices) on every page, light and dark."""
    by_rule: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for (path, scheme), result in survey.items():
        for v in result["axe"]:
            by_rule[v["id"]].append((path, scheme, v))
    lines = []
    for rule, hits in sorted(by_rule.items()):
        first = hits[0][2]
        lines.append(f"{rule} ({first['impact']}): {first['help']} - {len(hits)} page/scheme pair(s)")
        for path, scheme, v in hits:
            lines.append(f"  {shown(path)} [{scheme}] {v['nodes']} node(s), e.g. {' | '.join(v['targets'])}")
    assert not by_rule, f"axe-core: {len(by_rule)} rule(s) violated:\n" + "\n".join(lines)


def test_search_finds_a_technical_term(page_at):
    """Material's search (a web worker over the local search/search_index.json) finds Q-Former in Key Components."""
    page = page_at("").page
    box = page.locator("input.md-search__input")
    hit = page.locator('.md-search-result__item a[href*="key-components/"]').first
    # The worker builds its index after the page has loaded; a query typed before it is ready can go
    # unanswered, so the query is typed again (as a reader would) until the deadline.
    for _ in range(10):
        box.fill("")
        box.fill("Q-Former")
        try:
            hit.wait_for(state="attached", timeout=2000)
            return
        except Exception:
            continue
    found = page.eval_on_selector_all(".md-search-result__item a", "as => as.slice(0, 5).map(a => a.href)")
    meta = page.locator(".md-search-result__meta").text_content()
    pytest.fail(f"searching 'Q-Former' gave no result linking to key-components/ in 20 s ({meta!r}; first results: {found})")


def tooltip_for(page: Any, trigger: Any) -> Any:
    """The Material tooltip (div.md-tooltip2) a hovered or focused element points to, once it is shown."""
    handle = trigger.element_handle()
    page.wait_for_function(
        "el => el.getAttribute('aria-describedby') || el.getAttribute('aria-controls')", arg=handle, timeout=TOOLTIP_TIMEOUT
    )
    tooltip_id = trigger.evaluate("el => el.getAttribute('aria-describedby') || el.getAttribute('aria-controls')")
    tooltip = page.locator(f'[id="{tooltip_id}"]')
    page.wait_for_function(
        """el => {
            const box = el.getBoundingClientRect(), style = getComputedStyle(el);
            return el.classList.contains('md-tooltip2--active') && style.visibility !== 'hidden'
                && Number(style.opacity) > 0.9 && box.width > 0 && box.height > 0;
        }""",
        arg=tooltip.element_handle(),
        timeout=TOOLTIP_TIMEOUT,
    )
    return tooltip


def normalized(text: str) -> str:
    return " ".join(text.replace("\u21a9", " ").split())


@pytest.mark.parametrize("how", ["hover", "keyboard focus"])
def test_citation_tooltip_shows_the_reference(page_at, how):
    """content.footnote.tooltips: a citation marker shows its reference in a tooltip, on hover and on keyboard focus."""
    page = page_at("introduction/").page
    marker = page.locator("article a.footnote-ref").first
    assert marker.count(), "introduction/ has no citation marker (a.footnote-ref)"
    note_id = marker.get_attribute("href").removeprefix("#")
    reference = normalized(page.locator(f'[id="{note_id}"]').inner_text())
    if how == "hover":
        marker.hover()
    else:
        marker.focus()
    try:
        tooltip = tooltip_for(page, marker)
    except Exception:
        pytest.fail(
            f"introduction/: no visible tooltip after {how} on the citation marker {note_id} (feature content.footnote.tooltips)"
        )
    text = normalized(tooltip.inner_text())
    assert reference[:40] in text, (
        f"introduction/: the tooltip on {note_id} shows {text[:120]!r}, not the reference {reference[:120]!r}"
    )


def test_palette_toggle_switches_between_light_and_dark(page_at):
    page = page_at("introduction/").page
    scheme = "document.body.dataset.mdColorScheme"
    for expected in ("slate", "default"):
        page.locator('form[data-md-component="palette"] label:not([hidden])').click()
        try:
            page.wait_for_function(f"{scheme} === '{expected}'", timeout=3000)
        except Exception:
            pytest.fail(
                f"after clicking the palette toggle body[data-md-color-scheme] is {page.evaluate(scheme)!r}, expected {expected!r}"
            )


class _Abbrs(HTMLParser):
    """(text, title) of every <abbr> in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "abbr":
            self._open, self._title = [], dict(attrs).get("title") or ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "abbr" and self._open is not None:
            self.found.append(("".join(self._open).strip(), self._title.strip()))
            self._open = None


def test_abbreviation_has_its_expansion_and_a_tooltip(site: Path, page_at):
    """Site-wide abbreviations: <abbr title="...">MLLM</abbr> on introduction/, shown in a tooltip (content.tooltips)."""
    parser = _Abbrs()
    parser.feed((site / "introduction" / "index.html").read_text(encoding="utf-8"))
    titles = {title for text, title in parser.found if text == "MLLM"}
    assert titles, 'introduction/ has no <abbr title="...">MLLM</abbr> (site-wide abbreviations, markdown extension abbr)'
    assert len(titles) == 1, f"MLLM has several expansions on introduction/: {sorted(titles)}"
    title = titles.pop()
    assert title and title.upper() != "MLLM", f"the title of <abbr>MLLM</abbr> is {title!r}, not an expansion"

    page = page_at("introduction/").page
    abbr = page.locator("article abbr:visible", has_text=re.compile(r"^\s*MLLM\s*$")).first
    assert abbr.count(), "introduction/: no visible <abbr>MLLM</abbr> in the article"
    abbr.hover()
    try:
        tooltip = tooltip_for(page, abbr)
    except Exception:
        pytest.fail("introduction/: hovering <abbr>MLLM</abbr> shows no tooltip (Material's feature content.tooltips)")
    assert normalized(tooltip.inner_text()) == normalized(title), (
        f"the MLLM tooltip shows {tooltip.inner_text()!r}, expected {title!r}"
    )


OVERFLOW_JS = """width => {
    const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const inScroller = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return p; return null; };
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
    const scrollWidth = document.documentElement.scrollWidth;
    const wide = scrollWidth <= width + 1 ? [] : [...document.querySelectorAll('body *')].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && !inScroller(el) && getComputedStyle(el).position !== 'fixed';
    });
    const culprits = wide.filter(el => !wide.includes(el.parentElement)).slice(0, 3)
        .map(el => name(el) + ' (' + Math.round(el.getBoundingClientRect().right) + ' px): ' + (el.textContent || '').trim().slice(0, 50));
    const tables = [...document.querySelectorAll('article table')].map(t => {
        const box = inScroller(t) || (scrolls(t) ? t : null);  // or the table scrolls itself (Material CSS)
        return {wide: t.scrollWidth > width, boxed: !!box, right: box ? box.getBoundingClientRect().right : t.getBoundingClientRect().right,
                text: (t.textContent || '').trim().slice(0, 40)};
    });
    return {scrollWidth, culprits, tables};
}"""


def test_no_page_scrolls_sideways_on_a_phone(opener: PageOpener, all_pages: list[str]):
    """At 375 px no page is wider than the screen; wide tables scroll inside their own container."""
    problems = []
    visit: Visit = opener.open(all_pages[0], viewport=PHONE)
    try:
        for path in all_pages:
            if path != all_pages[0]:
                opener.goto(visit, path)
            got = visit.page.evaluate(OVERFLOW_JS, PHONE["width"])
            if got["scrollWidth"] > PHONE["width"] + 1:
                problems.append(
                    f"{shown(path)}: page is {got['scrollWidth']} px wide at 375 px; widest: {'; '.join(got['culprits'])}"
                )
            for table in got["tables"]:
                if table["wide"] and not table["boxed"]:
                    problems.append(f"{shown(path)}: wide table {table['text']!r} has no horizontally scrolling container")
                elif table["right"] > PHONE["width"] + 1:
                    problems.append(
                        f"{shown(path)}: table {table['text']!r} ends at {round(table['right'])} px, beyond the 375 px screen"
                    )
    finally:
        opener.close(visit)
    assert not problems, f"{len(problems)} mobile layout problem(s):\n" + "\n".join(problems)
