"""Sections laid out on demand (scripts/hooks/sections.py) in Chromium: the height estimates hold,
anchors still land, and printing renders everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.hooks import sections

WIDTHS = (360, 412, 1280)

# Per section: its id, the estimate in force, its real height, and whether it is the page's last section.
MEASURE = """() => {
  const all = [...document.querySelectorAll('.guide-section, .guide-deferred')];
  const sections = all.filter(s => s.classList.contains('guide-section'));
  return all.map(s => {
    const estimate = parseFloat(getComputedStyle(s).containIntrinsicBlockSize.replace('auto', ''));
    s.style.contentVisibility = 'visible';
    const real = s.getBoundingClientRect().height;
    s.style.contentVisibility = '';
    const h = s.querySelector('h2');
    return {id: h ? h.id : s.className, estimate, real, last: s === sections[sections.length - 1]};
  });
}"""


@pytest.fixture(scope="module")
def sectioned_pages(site: Path) -> list[str]:
    pages = sorted(
        p.parent.name + "/" for p in site.glob("*/index.html") if 'class="guide-section"' in p.read_text(encoding="utf-8")
    )
    assert "key-components/" in pages, "the longest chapter is not sectioned: is scripts/hooks/sections.py listed under hooks?"
    return pages


@pytest.mark.parametrize("width", WIDTHS)
def test_height_estimates_are_close_and_the_last_section_is_never_taller(page_at, server, sectioned_pages, width):
    """A placeholder far off the real height makes the scroll bar jump; a last section taller than its
    placeholder would be drawn over the footer by a hit-testing accessibility checker."""
    visit = page_at(sectioned_pages[0], viewport={"width": width, "height": 800})
    problems = []
    for path in sectioned_pages:
        visit.page.goto(server + path, wait_until="load")
        for s in visit.page.evaluate(MEASURE):
            ratio = s["estimate"] / s["real"] if s["real"] else float("inf")
            if s["last"] and s["estimate"] < s["real"]:
                problems.append(f"{path}#{s['id']}: last section {s['real']:.0f} px tall, estimated {s['estimate']:.0f} px")
            elif not 0.5 <= ratio <= 4:
                problems.append(f"{path}#{s['id']}: estimated {s['estimate']:.0f} px, real {s['real']:.0f} px")
    assert not problems, (
        f"at {width} px, section height estimates are off (refit NARROW/WIDE or LAST_MARGIN in scripts/hooks/sections.py):\n"
        + "\n".join(problems)
    )


def test_sections_are_skipped_on_screen_and_rendered_in_print(page_at):
    visit = page_at("key-components/", viewport={"width": 412, "height": 823})
    page = visit.page
    state = """() => [...document.querySelectorAll('.guide-section')].map(s =>
        [getComputedStyle(s).contentVisibility, s.querySelector('p') ? s.querySelector('p').checkVisibility({contentVisibilityAuto: true}) : true])"""
    on_screen = page.evaluate(state)
    assert all(cv == "auto" for cv, _ in on_screen)
    assert not on_screen[-1][1], "the last section of the longest chapter was rendered at load on a phone"
    page.emulate_media(media="print")
    assert all(cv == "visible" and shown for cv, shown in page.evaluate(state))


def test_a_link_to_a_deep_anchor_lands_on_it(page_at, site: Path):
    html = (site / "key-components" / "index.html").read_text(encoding="utf-8")
    last_section = html.rsplit('<section class="guide-section"', 2)[1]  # the section before the cited works
    anchor = last_section.split('<h3 id="', 1)[1].split('"', 1)[0]
    visit = page_at(f"key-components/#{anchor}", viewport={"width": 412, "height": 823})
    visit.page.wait_for_timeout(300)
    top = visit.page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", anchor)
    assert 0 <= top <= 200, f"#{anchor} is at {top:.0f} px from the top of the viewport after following a link to it"


def test_the_estimates_are_written_for_both_columns(site: Path):
    html = (site / "key-components" / "index.html").read_text(encoding="utf-8")
    assert html.count('<section class="guide-section" style="--guide-h:') >= 4
    assert sections.LAST_MARGIN > 1


# Per sectioned list: where its widest number (the last, with the marker's trailing space) starts,
# against how far left the section may paint (its box less overflow-clip-margin).
HANGING_NUMBERS = """() => {
  const problems = [];
  for (const s of document.querySelectorAll('.guide-section')) {
    const paintsFrom = s.getBoundingClientRect().left - (parseFloat(getComputedStyle(s).overflowClipMargin) || 0);
    for (const ol of s.querySelectorAll('ol')) {
      const li = ol.lastElementChild;
      if (!li) continue;
      const probe = document.createElement('span');
      probe.textContent = (parseInt(ol.getAttribute('start') || '1', 10) + ol.children.length - 1) + '. ';
      probe.style.cssText = 'position: absolute; white-space: pre; visibility: hidden';
      li.prepend(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      const numberFrom = li.getBoundingClientRect().left - width;
      if (numberFrom < paintsFrom) problems.push(`${probe.textContent.trim()} starts at ${numberFrom.toFixed(1)} px, the section paints from ${paintsFrom.toFixed(1)} px`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("width", (360, 1280))
def test_list_numbers_in_the_margin_are_not_clipped(page_at, server, sectioned_pages, width):
    """content-visibility clips painting to the section's box (paint containment) unless
    overflow-clip-margin lets it out; the numbers of a long list hang in the margin, left of it."""
    visit = page_at(sectioned_pages[0], viewport={"width": width, "height": 800})
    problems = []
    for path in sectioned_pages:
        visit.page.goto(server + path, wait_until="load")
        problems += [f"{path}: {p}" for p in visit.page.evaluate(HANGING_NUMBERS)]
    assert not problems, (
        f"at {width} px, list numbers would be clipped (widen overflow-clip-margin on .guide-section in docs/assets/stylesheets/guide.css):\n"
        + "\n".join(problems)
    )
