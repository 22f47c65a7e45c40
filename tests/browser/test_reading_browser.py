"""The reading experience in a real browser (headless Chromium): figure text legible on a 390 px
phone, captions set apart, figures dark in the dark scheme, the math font loaded only where there
is math, no equation clipped at 375 px, citation markers large enough to tap, A-Z bars visible on a
phone, and comparison tables readable at 375 px.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import PageOpener

PHONE = {"width": 375, "height": 812}
PHONE_390 = {"width": 390, "height": 844}
MIN_TEXT_PX = 9
FONT_FILE = "STIXTwoMath-Regular.woff2"


def pages_with(site: Path, needle: str) -> list[str]:
    return [
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in sorted(site.glob("*/index.html"))
        if needle in p.read_text(encoding="utf-8") and not p.parent.name == "print_page"
    ]


FIGURES_JS = """() => [...document.querySelectorAll('article svg.guide-figure')].map(svg => {
    const box = svg.closest('.figure-box'), style = getComputedStyle(box);
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * Math.hypot(t.getScreenCTM().a, t.getScreenCTM().b));
    const caption = svg.closest('figure').querySelector('figcaption');
    const body = document.querySelector('article p');
    return {id: svg.id, minText: Math.min(...sizes), texts: sizes.length,
            scrolls: box.scrollWidth > box.clientWidth + 1, overflowX: style.overflowX, cue: style.backgroundImage,
            tabindex: box.getAttribute('tabindex'),
            caption: caption && {size: parseFloat(getComputedStyle(caption).fontSize), align: getComputedStyle(caption).textAlign,
                                 italic: getComputedStyle(caption).fontStyle, text: caption.textContent.trim().slice(0, 12)},
            bodySize: parseFloat(getComputedStyle(body).fontSize)};
})"""


def test_figure_text_is_legible_on_a_phone_and_captions_are_set_apart(opener: PageOpener, site: Path):
    pages = pages_with(site, 'class="guide-figure"')
    assert pages, "no page has an inlined figure"
    problems, seen = [], 0
    visit = opener.open(pages[0], viewport=PHONE_390)
    try:
        for path in pages:
            if path != pages[0]:
                opener.goto(visit, path)
            for fig in visit.page.evaluate(FIGURES_JS):
                seen += 1
                where = f"/{path} {fig['id']}"
                if fig["minText"] < MIN_TEXT_PX:
                    problems.append(f"{where}: smallest text {fig['minText']:.1f} px at 390 px (needs {MIN_TEXT_PX})")
                if fig["scrolls"] and (
                    fig["overflowX"] not in ("auto", "scroll") or "gradient" not in fig["cue"] or fig["tabindex"] != "0"
                ):
                    problems.append(f"{where}: wider than the screen but no focusable scrolling box with a scroll cue")
                cap = fig["caption"]
                if (
                    not cap
                    or cap["size"] >= fig["bodySize"]
                    or cap["align"] not in ("left", "start")
                    or cap["italic"] != "normal"
                ):
                    problems.append(
                        f"{where}: caption {cap} should be smaller than body text ({fig['bodySize']} px), left-aligned, upright"
                    )
                elif not cap["text"].startswith("Figure "):
                    problems.append(f"{where}: caption does not start with its figure number: {cap['text']!r}")
    finally:
        opener.close(visit)
    assert seen >= 11, f"only {seen} figures measured"
    assert not problems, "\n".join(problems)


DARK_JS = """() => {
    const lum = c => { const m = c.match(/[\\d.]+/g); if (!m) return null; const [r, g, b, a] = m.map(Number);
        if (a === 0) return null;
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const page = lum(getComputedStyle(document.body).backgroundColor);
    return [...document.querySelectorAll('article svg.guide-figure')].map(svg => {
        const area = svg.getBoundingClientRect().width * svg.getBoundingClientRect().height;
        const light = [...svg.querySelectorAll('rect')].filter(r => {
            const b = r.getBoundingClientRect(), l = lum(getComputedStyle(r).fill);
            return l !== null && l > 0.4 && b.width * b.height > 0.1 * area;
        }).length;
        const texts = [...svg.querySelectorAll('text')].map(t => lum(getComputedStyle(t).fill)).filter(l => l !== null);
        const lightText = texts.filter(l => l > 0.4).length / Math.max(texts.length, 1);
        const bg = svg.querySelector('.figure-background');
        return {id: svg.id, page, light, lightText, background: bg ? lum(getComputedStyle(bg).fill) : 'none'};
    });
}"""


def test_figures_follow_the_dark_scheme(opener: PageOpener, site: Path):
    pages = pages_with(site, 'class="guide-figure"')
    problems = []
    visit = opener.open(pages[0], scheme="slate")
    try:
        for path in pages:
            if path != pages[0]:
                opener.goto(visit, path)
            for fig in visit.page.evaluate(DARK_JS):
                where = f"/{path} {fig['id']}"
                if fig["page"] > 0.1:
                    problems.append(f"{where}: the page background is not dark ({fig['page']:.2f})")
                if fig["background"] not in (None, "none") and fig["background"] > 0.1:
                    problems.append(f"{where}: the figure's background is light in the dark scheme ({fig['background']:.2f})")
                if fig["light"]:
                    problems.append(f"{where}: {fig['light']} large light block(s) in the dark scheme")
                if fig["lightText"] < 0.8:
                    problems.append(f"{where}: only {fig['lightText']:.0%} of its text is light on the dark background")
    finally:
        opener.close(visit)
    assert not problems, "\n".join(problems)


FONT_STATUS_JS = """() => document.fonts.ready.then(() => [...document.fonts]
    .filter(f => f.family.replace(/"/g, '') === 'STIX Two Math').map(f => f.status))"""


def test_math_font_loads_only_on_pages_with_math_when_an_equation_comes_near(page_at):
    visit = page_at("key-components/")
    assert not any(FONT_FILE in u for u in visit.requests), "key-components/: the math font loaded before any equation was near"
    visit.page.locator("article .math-block").first.scroll_into_view_if_needed()
    visit.page.wait_for_function("[...document.fonts].some(f => f.family.replace(/\"/g, '') === 'STIX Two Math')", timeout=5000)
    loaded = visit.page.evaluate(FONT_STATUS_JS)
    assert loaded == ["loaded"], f"key-components/: the math font did not load ({loaded})"
    assert any(FONT_FILE in u for u in visit.requests), "key-components/: no request for the math font"
    family = visit.page.evaluate("getComputedStyle(document.querySelector('article math')).fontFamily")
    assert family.startswith('"STIX Two Math"'), family
    home = page_at("")
    home.page.mouse.wheel(0, 20000)
    home.page.evaluate("document.fonts.ready.then(() => true)")
    assert not any(FONT_FILE in u for u in home.requests), "Home has no math but loaded the math font"


MATH_JS = """() => [...document.querySelectorAll('article .math-block')].map(b => {
    const s = getComputedStyle(b), m = b.querySelector('math').getBoundingClientRect(), box = b.getBoundingClientRect();
    return {scrolls: b.scrollWidth > b.clientWidth + 1, clippedY: b.scrollHeight > b.clientHeight + 1,
            overflowX: s.overflowX, cue: s.backgroundImage, tabindex: b.getAttribute('tabindex'),
            right: box.right, mathHeight: m.height, text: b.textContent.trim().slice(0, 40)};
})"""


def test_no_equation_is_clipped_on_a_phone(opener: PageOpener, site: Path):
    pages = pages_with(site, 'class="math-block"')
    assert pages, "no page has display math"
    problems, blocks, scrolling = [], 0, 0
    visit = opener.open(pages[0], viewport=PHONE)
    try:
        for path in pages:
            if path != pages[0]:
                opener.goto(visit, path)
            visit.page.evaluate("window.guideMathFont().then(() => document.fonts.ready).then(() => true)")
            for b in visit.page.evaluate(MATH_JS):
                blocks += 1
                where = f"/{path} {b['text']!r}"
                if b["clippedY"] or b["mathHeight"] <= 0:
                    problems.append(f"{where}: equation clipped vertically")
                if b["right"] > PHONE["width"] + 1:
                    problems.append(f"{where}: equation box ends at {b['right']:.0f} px, beyond the screen")
                if b["scrolls"]:
                    scrolling += 1
                    if b["overflowX"] not in ("auto", "scroll") or "gradient" not in b["cue"] or b["tabindex"] != "0":
                        problems.append(f"{where}: wider than the screen without a focusable scrolling box and a scroll cue")
    finally:
        opener.close(visit)
    assert blocks >= 5
    assert not problems, "\n".join(problems)


TAP_JS = """() => [...document.querySelectorAll('article sup[id^="fnref"] a.footnote-ref')].map(a => {
    const r = a.getBoundingClientRect();
    return {n: a.textContent, w: r.width, h: r.height, x: r.left + r.width / 2, y: r.top + r.height / 2,
            lines: a.closest('p, li, td') ? getComputedStyle(a.closest('p, li, td')).lineHeight : null};
}).filter(m => m.w > 0)"""
# Font setups the test runs under: the page as it comes (the machine's default sans-serif), and the
# page with its text forced into faces whose digits are narrow, wide or serif. A marker's size must
# come from CSS, not from whichever font a reader's phone has.
FONT_SETUPS = {
    "default": None,
    "condensed": "'DejaVu Sans Condensed', 'Liberation Sans Narrow', 'Arial Narrow', sans-serif",
    "serif": "'DejaVu Serif', 'Liberation Serif', serif",
    "monospace": "'DejaVu Sans Mono', 'Liberation Mono', monospace",
}
# Sub-pixel layout can put an edge at 23.99 px.
TOLERANCE = 0.5


def tap_problems(markers: list[dict]) -> list[str]:
    """WCAG 2.5.8 (target size, minimum): every marker at least 24 x 24 px, so that markers side by
    side have centres at least 24 px apart."""
    least = 24 - TOLERANCE
    problems = [f"marker {m['n']}: {m['w']:.1f} x {m['h']:.1f} px" for m in markers if m["h"] < least or m["w"] < least]
    for a, b in zip(markers, markers[1:], strict=False):
        if abs(a["y"] - b["y"]) < 2 and abs(a["x"] - b["x"]) < least:
            problems.append(f"markers {a['n']} and {b['n']}: centres {abs(a['x'] - b['x']):.1f} px apart (needs 24)")
    return problems


def markers_under(visit, font: str | None) -> list[dict]:
    if font:
        visit.page.add_style_tag(content=f"body, .md-typeset {{ font-family: {font} !important; }}")
        visit.page.evaluate("document.fonts.ready")
    return visit.page.evaluate(TAP_JS)


@pytest.mark.parametrize("font", FONT_SETUPS.values(), ids=FONT_SETUPS.keys())
def test_citation_markers_are_comfortable_tap_targets(page_at, font):
    """Citation markers are tap targets of at least 24 x 24 px on a phone, under several fonts."""
    visit = page_at("introduction/", viewport=PHONE_390)
    markers = markers_under(visit, font)
    assert len(markers) > 20
    problems = tap_problems(markers)
    assert not problems, "\n".join(problems[:20])


def test_the_tap_target_check_fails_on_a_marker_made_12_px_wide(page_at):
    visit = page_at("introduction/", viewport=PHONE_390)
    visit.page.add_style_tag(
        content='article sup[id^="fnref"] a.footnote-ref { min-width: 0 !important; width: 12px !important; padding: 0 !important; }'
    )
    problems = tap_problems(visit.page.evaluate(TAP_JS))
    assert any(p.startswith("marker ") and ": 12.0 x 24.0 px" in p for p in problems), problems[:5]


# The baselines of a paragraph's lines of text (from its text nodes only, not its inline boxes).
LINES_JS = """() => { const p = document.querySelector('article p sup[id^="fnref"]').closest('p');
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT), bottoms = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement.closest('sup')) continue;
        const range = document.createRange(); range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.height > 0) bottoms.push(r.bottom);
    }
    const lines = [...new Set(bottoms.map(Math.round))].sort((a, b) => a - b)
        .filter((b, i, all) => i === 0 || b - all[i - 1] > 3);
    return {line: parseFloat(getComputedStyle(p).lineHeight), gaps: lines.slice(1).map((b, i) => b - lines[i])}; }"""


def test_tap_targets_do_not_change_the_line_height(page_at):
    """The markers' negative margins keep every line of a paragraph as tall as the paragraph's line height."""
    visit = page_at("introduction/", viewport=PHONE_390)
    heights = visit.page.evaluate(LINES_JS)
    assert heights["gaps"], heights
    assert max(heights["gaps"]) <= heights["line"] + 1, heights


AZ_JS = """() => { const bar = document.querySelector('article .az-bar'); if (!bar) return null;
    const r = bar.getBoundingClientRect(), s = getComputedStyle(bar);
    const links = [...bar.querySelectorAll('a')].map(a => a.getBoundingClientRect());
    return {visible: s.display !== 'none' && s.visibility !== 'hidden' && r.height > 0, right: r.right, links: links.length,
            small: links.filter(l => l.width < 24 || l.height < 24).length};
}"""


@pytest.mark.parametrize("path", ["glossary/", "references/"])
def test_az_bar_is_visible_and_tappable_on_a_phone(page_at, path):
    visit = page_at(path, viewport=PHONE)
    bar = visit.page.evaluate(AZ_JS)
    assert bar and bar["visible"], f"/{path}: no visible A-Z bar at 375 px"
    assert bar["links"] >= 20 and bar["small"] == 0 and bar["right"] <= PHONE["width"] + 1, bar
    first = visit.page.locator("article .az-bar a").nth(1)
    target = first.get_attribute("href")
    first.click()
    visit.page.wait_for_function("h => location.hash === h", arg=target, timeout=3000)


TABLES_JS = """() => [...document.querySelectorAll('article table')].map(t => {
    const s = getComputedStyle(t);
    // a cell of several words squeezed below 100 px reads one word per line; a lone number does not
    const narrow = [...t.querySelectorAll('th, td')].filter(c => c.getBoundingClientRect().width < 100 && c.innerText.trim().indexOf(' ') > 0).length;
    return {narrow, cells: t.querySelectorAll('th, td').length, scrolls: t.scrollWidth > t.clientWidth + 1,
            overflowX: s.overflowX, cue: s.backgroundImage, text: t.textContent.trim().slice(0, 40)};
})"""


def test_comparison_tables_are_readable_on_a_phone(opener: PageOpener, site: Path):
    """At 375 px no table cell of several words is squeezed below 100 px (one word per line); wide
    tables scroll in their own box with a scroll cue."""
    pages = pages_with(site, "<table")
    problems, tables = [], 0
    visit = opener.open(pages[0], viewport=PHONE)
    try:
        for path in pages:
            if path != pages[0]:
                opener.goto(visit, path)
            for t in visit.page.evaluate(TABLES_JS):
                tables += 1
                where = f"/{path} {t['text']!r}"
                if t["narrow"]:
                    problems.append(f"{where}: {t['narrow']} of {t['cells']} cells narrower than 100 px")
                if t["scrolls"] and (t["overflowX"] not in ("auto", "scroll") or "gradient" not in t["cue"]):
                    problems.append(f"{where}: scrolls sideways without a scroll cue")
    finally:
        opener.close(visit)
    assert tables >= 5
    assert not problems, "\n".join(problems)
