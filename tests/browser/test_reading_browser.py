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
    return {n: a.textContent, w: r.width, h: r.height, x: r.left + r.width / 2, y: r.top + r.height / 2};
})"""


def test_citation_markers_are_comfortable_tap_targets(page_at):
    """WCAG 2.5.8 (target size, minimum): at least 24 px tall, and a 24 px circle around each
    marker's centre meets no other marker's circle (the spacing exception for narrow targets)."""
    visit = page_at("introduction/", viewport=PHONE)
    markers = visit.page.evaluate(TAP_JS)
    assert len(markers) > 20
    problems = [f"marker {m['n']}: {m['w']:.0f} x {m['h']:.0f} px" for m in markers if m["h"] < 24 or m["w"] < 14]
    for a, b in zip(markers, markers[1:], strict=False):
        if abs(a["y"] - b["y"]) < 2 and abs(a["x"] - b["x"]) < 24:
            problems.append(f"markers {a['n']} and {b['n']}: centres {abs(a['x'] - b['x']):.0f} px apart (needs 24)")
    assert not problems, "\n".join(problems[:20])


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
