"""scripts/hooks/sections.py on small inputs: which parts of a page become sections, and their
height estimates (tests/browser/test_sections_browser.py measures the estimates in Chromium)."""

from __future__ import annotations

import re

from scripts.hooks import sections

SECTION = re.compile(r'<section class="guide-section" style="--guide-h:(\d+)px;--guide-h-wide:(\d+)px">')


def paragraphs(n: int, words: int = 40) -> str:
    return "".join(f"<p>{'word ' * words}</p>\n" for _ in range(n))


def test_each_top_level_h2_and_what_follows_it_becomes_a_section():
    html = f'<h1 id="t">T</h1><p>Intro</p><h2 id="a">A</h2>{paragraphs(2)}<h2 id="b">B</h2>{paragraphs(1)}<div class="footnote"><ol><li>x</li></ol></div>'
    out = sections.sectioned(html)
    assert out.startswith('<h1 id="t">T</h1><p>Intro</p><section class="guide-section"')  # the lead stays outside
    assert len(SECTION.findall(out)) == 2 and out.count("</section>") == 2
    assert out.endswith('<div class="footnote"><ol><li>x</li></ol></div></section>')  # the last runs to the end
    assert re.sub(r"</?section[^>]*>", "", out) == html  # nothing else changes


def test_an_h2_inside_another_element_does_not_split_it():
    html = f'<h2 id="a">A</h2><div class="admonition"><h2 id="inner">Inner</h2><p>x</p></div><h2 id="b">B</h2>{paragraphs(1)}'
    out = sections.sectioned(html)
    assert len(SECTION.findall(out)) == 2
    assert '<div class="admonition"><h2 id="inner">Inner</h2><p>x</p></div></section>' in out


def test_a_page_with_fewer_than_two_sections_is_left_alone():
    html = f'<h1 id="t">T</h1><h2 id="a">A</h2>{paragraphs(3)}'
    assert sections.sectioned(html) == html


def test_estimates_grow_with_content_and_a_phone_column_is_taller():
    short = sections.estimate(sections.measure(f'<h2 id="a">A</h2>{paragraphs(2)}'), sections.NARROW)
    long = sections.estimate(sections.measure(f'<h2 id="a">A</h2>{paragraphs(20)}'), sections.NARROW)
    assert 0 < short < long
    body = f'<h2 id="a">A</h2>{paragraphs(10)}<figure><svg><text>label</text></svg></figure><table><tr><td>1</td></tr></table>'
    assert sections.estimate(sections.measure(body), sections.NARROW) > sections.estimate(sections.measure(body), sections.WIDE)


def test_closed_details_count_only_their_summary():
    hidden = f"<details><summary>More</summary>{paragraphs(30)}</details>"
    shown = f"<details open><summary>More</summary>{paragraphs(30)}</details>"
    bare = sections.estimate(sections.measure('<h2 id="a">A</h2><details><summary>More</summary></details>'), sections.NARROW)
    assert sections.estimate(sections.measure(f'<h2 id="a">A</h2>{hidden}'), sections.NARROW) == bare
    assert sections.estimate(sections.measure(f'<h2 id="a">A</h2>{shown}'), sections.NARROW) > bare


def test_the_last_section_is_given_the_safety_margin():
    body = paragraphs(5)
    out = sections.sectioned(f'<h2 id="a">A</h2>{body}<h2 id="b">B</h2>{body}')
    (first, _), (last, _) = SECTION.findall(out)
    assert int(last) >= int(first) * sections.LAST_MARGIN / sections.MARGIN - 20  # both rounded up to 10 px
