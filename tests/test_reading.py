"""The built guide reads like a book: numbered chapters and sections (navigation, headings, page
table of contents, print page), parts in the navigation, a short header title, a References page
with one link per work and compact back-links, A-Z bars, inlined figures and a math font."""

from __future__ import annotations

import re
from pathlib import Path

from scripts.checks.site import repeated_reference_links, unsorted_citation_groups
from scripts.sources.toc import chapter_numbers, load_toc

TOC = load_toc()
NUMBERS = chapter_numbers(TOC)


def page_html(site: Path, file: str) -> str:
    return (site / file.removesuffix(".md") / "index.html").read_text(encoding="utf-8")


def test_chapters_1_to_12_are_numbered_and_back_matter_is_not():
    assert sorted(NUMBERS.values()) == list(range(1, 13))
    assert {c.file for c in TOC if c.file not in NUMBERS} == {"contributing.md", "license.md"}


def test_chapter_and_section_numbers_in_headings_nav_and_page_toc(site):
    for chapter in TOC:
        html = page_html(site, chapter.file)
        n = NUMBERS.get(chapter.file)
        h1 = re.search(r"<h1 [^>]*>(.*?)<a", html, re.S).group(1)
        if n is None:
            assert "heading-number" not in h1, f"{chapter.file}: back matter is not numbered"
            continue
        assert h1.startswith(f'<span class="heading-number">{n}</span> '), f"{chapter.file}: H1 {h1[:80]!r}"
        h2 = re.findall(r'<h2 id="(?!cited-works)[^"]*"><span class="heading-number">([\d.]+)</span>', html)
        assert h2 == [f"{n}.{k}" for k in range(1, len(h2) + 1)], f"{chapter.file}: H2 numbers {h2}"
        assert len(h2) >= len(chapter.sections)
        toc = html[html.index('class="md-nav md-nav--secondary"') :]
        for label in h2:
            assert re.search(rf">\s*{re.escape(label)} ", toc), f"{chapter.file}: page TOC lacks {label}"
        nav = html[html.index('class="md-nav md-nav--primary"') : html.index('class="md-nav md-nav--secondary"')]
        assert re.search(rf">\s*{n}\. ", nav), f"{chapter.file}: navigation lacks '{n}. '"


def test_a_group_that_opens_with_a_chapter_carries_its_number(site):
    """Case Studies and its companions (the Atlas pages) form a group labelled "6. Case Studies"."""
    html = page_html(site, "introduction.md")
    groups = re.findall(r'<label class="md-nav__link"[^>]*id="__nav_[^"]*_label"[^>]*>(.*?)</label>', html, re.S)
    labels = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", g)).strip() for g in groups]
    assert f"{NUMBERS['case-studies.md']}. Case Studies" in labels, labels
    assert "Background" in labels and "Use" in labels, f"the parts of the book are not numbered: {labels}"


def test_navigation_is_grouped_into_the_parts_home_describes(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    nav = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index('class="md-nav md-nav--primary"') :]))
    parts = ("Background", "Mechanisms", "Use", "Limits and outlook", "Reference", "Back matter")
    positions = [nav.find(f" {part} ") for part in parts]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), dict(zip(parts, positions, strict=True))
    home = (Path(__file__).resolve().parents[1] / "docs" / "index.md").read_text(encoding="utf-8")
    for part in parts[:-1]:
        assert f"| {part} |" in home, f"Home's table of parts lacks {part}"


def test_short_header_title_and_full_title_on_home(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    full = "A Comprehensive Guide to Multimodal Large Language Models in Vision-Language Tasks"
    assert f"<title>{full}</title>" in home and "<h1" in home and full in home
    chapter = page_html(site, "key-components.md")
    assert re.search(r'<span class="md-ellipsis">\s*MLLM Guide\s*</span>', chapter)
    assert "<title>3. Key Components - MLLM Guide</title>" in chapter


def test_citation_groups_ascend_on_every_page(site):
    problems, groups = [], 0
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        groups += html.count('<sup class="fn-sep">')
        problems += [f"{page.relative_to(site)}:{line}: {numbers}" for line, numbers in unsorted_citation_groups(html)]
    assert groups > 50, "expected many citation groups"
    assert not problems, "citation markers out of order:\n" + "\n".join(problems)


def test_references_page_links_each_work_once_with_an_az_bar_and_compact_cited_in(site):
    html = (site / "references" / "index.html").read_text(encoding="utf-8")
    assert not repeated_reference_links(html), repeated_reference_links(html)[:5]
    entries = re.findall(r'<p class="bib-entry" id="[^"]+">(.*?)</p>', html, re.S)
    assert len(entries) > 150
    for body in entries:
        assert re.search(r'<a href="https?://', body), body[:120]
    cited = re.findall(r'<span class="bib-cited-in" data-search-exclude>Cited in (.*?)</span>', html)
    links = [re.findall(r'<a href="([^"]*)">([^<]+)</a>', c) for c in cited]
    assert len(cited) > 150 and all(links)
    pages: dict[str, str] = {}
    for href, label in (link for group in links for link in group):
        assert re.fullmatch(r"\d+(\.\d+)?", label) or label in ("Glossary", "Home") or not label[0].isdigit(), label
        if re.fullmatch(r"\d+\.\d+", label):  # a numbered section: the link lands on its heading
            page, _, anchor = href.partition("#")
            if page not in pages:
                pages[page] = (site / page.strip("./") / "index.html").read_text(encoding="utf-8")
            heading = re.search(
                rf'<h2 id="{re.escape(anchor)}"><span class="heading-number">([\d.]+)</span>',
                pages[page],
            )
            assert heading and heading.group(1) == label, (href, label)
    letters = re.findall(r'<a href="#refs-([a-z#])">', html)
    assert len(letters) >= 20 and all(f'id="refs-{x}"' in html for x in letters)
    intro = html[html.index("<h1") : html.index('class="az-bar"')]
    assert "references.bib" not in intro and "#ref-" not in intro, "contributor details belong in CONTRIBUTING"


def test_reference_titles_keep_their_capitals(site):
    html = (site / "references" / "index.html").read_text(encoding="utf-8")
    for text in ("nocaps: novel object captioning", "Visual Genome:", "Flickr30k Entities:", "Re-LAION 5B"):
        assert text in html, text
    assert "Nocaps" not in html


def test_glossary_has_an_az_bar_and_compact_entries(site):
    html = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    bar = re.search(r'<nav class="az-bar"[^>]*>(.*?)</nav>', html).group(1)
    targets = re.findall(r'href="#([^"]+)"', bar)
    assert len(targets) >= 20 and all(f'id="{t}"' in html for t in targets)
    assert '<dl class="glossary">' in html


def test_figures_are_inline_svg_that_follow_the_colour_scheme(site):
    count = 0
    for page in sorted(site.glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<img[^>]*assets/figures/", html), f"{page}: figure still an <img>"
        for svg in re.findall(r'<svg id="fig-[^"]+" class="guide-figure"[^>]*>', html):
            count += 1
            assert 'role="img"' in svg and re.search(r'aria-label="[^"]{40,}"', svg), svg[:200]
            assert re.search(r"--figure-min-width: \d+px", svg)
        for caption in re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S):
            assert re.match(r'<span class="figure-label">Figure \d+\.</span>', caption), caption[:80]
    assert count >= 11


def test_math_font_is_shipped_with_its_license_and_added_only_by_pages_with_math(site):
    font = site / "assets" / "fonts" / "STIXTwoMath-Regular.woff2"
    assert font.is_file() and font.read_bytes()[:4] == b"wOF2"
    assert "SIL Open Font License" in (site / "assets" / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    loader = 'new FontFace("STIX Two Math", "url(../assets/fonts/STIXTwoMath-Regular.woff2) format(\'woff2\')"'
    for page in sorted(site.glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        assert (loader in html) == ("<math" in html), f"{page}: the math font loader must be there exactly when the page has math"
    assert "STIXTwoMath" not in (site / "index.html").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", (site / "assets" / "stylesheets" / "guide.css").read_text(encoding="utf-8"), flags=re.S)
    assert "@font-face" not in css, "a global @font-face would make every page with math fetch the font before its first paint"
    uses = [s.strip() for s in re.findall(r"([^{}]+)\{[^}]*font-family:\s*\"STIX Two Math\"", css)]
    assert uses and all(sel.endswith("math") for sel in uses), uses


def test_print_page_has_the_title_page_numbered_chapters_and_is_lighter(site):
    html = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    assert 'class="guide-cover"' in html and "A Comprehensive Guide to Multimodal" in html
    for chapter in TOC:
        n = NUMBERS.get(chapter.file)
        if n is not None:
            assert re.search(rf'<h1 id="[^"]*"><span class="heading-number">{n}</span> ', html), chapter.file
    assert 'class="headerlink"' not in html and "<abbr" not in html
    assert not re.search(r'footnote-backref[^>]*>&#8617;</a><a class="footnote-backref"', html)


def test_home_links_to_the_pdf(site):
    assert '<a href="mllm-guide.pdf">download the guide as PDF</a>' in (site / "index.html").read_text(encoding="utf-8")
