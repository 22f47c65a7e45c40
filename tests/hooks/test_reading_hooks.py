"""The reading-experience build extensions on small inputs: citation order, chapter and section
numbers, the References list, inlined figures and the Glossary's A-Z bar."""

from __future__ import annotations

import re

from scripts.hooks import az_index, bibliography, citations, figures, numbering, print_page
from scripts.sources.bibtex import Entry
from scripts.sources.project import DOCS

MARKER = '<sup id="fnref:{k}"><a class="footnote-ref" href="#fn:{k}">{n}</a></sup>'


def test_citation_runs_are_sorted_and_separated():
    run = "".join(MARKER.format(k=k, n=n) for k, n in (("c", 10), ("a", 4), ("b", 7)))
    out = citations.on_page_content(f"<p>Text {run}.</p>", page=None, config=type("C", (), {"plugins": {}})(), files=None)
    assert re.findall(r">(\d+)</a>", out) == ["4", "7", "10"]
    assert out.count('<sup class="fn-sep">,</sup>') == 2


def test_headings_are_numbered_except_the_reference_list():
    html = '<h1 id="t">Title</h1><h2 id="a">A</h2><h3 id="x">X</h3><h2 id="b">B</h2><h2 id="cited-works">References</h2>'
    out, labels = numbering.number_headings(html, 3)
    assert '<h1 id="t"><span class="heading-number">3</span> Title' in out
    assert '<h2 id="a"><span class="heading-number">3.1</span> A' in out and '<span class="heading-number">3.2</span> B' in out
    assert '<h2 id="cited-works">References' in out and labels == {"a": "3.1", "b": "3.2"}


def entry(key: str, surname: str, **fields: str) -> Entry:
    fields = {"author": f"{surname}, A.", "title": "T", "year": "2020", **fields}
    return Entry(key=key, type="misc", line=1, fields=fields, field_lines={})


def test_references_link_each_work_once_with_compact_cited_in_and_an_az_bar():
    entries = {
        "smith2020a": entry("smith2020a", "Smith", eprint="2001.00001", archiveprefix="arXiv"),
        "adams2020b": entry("adams2020b", "Adams", url="https://example.org/b"),
    }
    formatted = {
        "smith2020a": 'Smith. T. <a href="https://arxiv.org/abs/2001.00001">arXiv:2001.00001</a>.',
        "adams2020b": "Adams. T.",
    }
    cited = {"smith2020a": [("3.2", "../key-components/#text")]}
    out = bibliography.render(entries, formatted, cited)
    smith = re.search(r'id="ref-smith2020a">(.*?)</p>', out).group(1)
    assert smith.count("arxiv.org/abs/2001.00001") == 1
    assert '<a href="https://example.org/b">https://example.org/b</a>' in out  # added where the entry has none
    assert 'Cited in <a href="../key-components/#text">3.2</a>' in smith
    assert out.index('id="refs-a"') < out.index("ref-adams2020b") < out.index('id="refs-s"') < out.index("ref-smith2020a")
    assert (
        '<nav class="az-bar" aria-label="Jump to a letter" data-search-exclude><a href="#refs-a">A</a><a href="#refs-s">S</a></nav>'
        in out
    )


def test_cited_in_labels_are_section_numbers_in_reading_order():
    cited = bibliography.citing_sections(DOCS)
    labels = [label for label, _ in cited["radford2021clip"]]
    assert labels[0].startswith("1"), labels
    assert all(re.fullmatch(r"\d+(\.\d+)?", label) or not label[0].isdigit() for label in labels), labels
    assert len(labels) == len(set(labels)), "one link per section"


def test_dark_colours_invert_lightness_and_keep_hue():
    assert figures.dark_color("#ffffff") < "#333333" and figures.dark_color("#1a1a1a") > "#cccccc"
    r, g, b = (int(figures.dark_color("#e3f2fd")[i : i + 2], 16) for i in (1, 3, 5))
    assert b > r and max(r, g, b) < 90, "a pale blue becomes a dark blue"


def test_figures_are_inlined_with_scoped_ids_dark_rules_and_a_legible_minimum_width(tmp_path):
    svg = tmp_path / "demo.svg"
    svg.write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 400" width="720" height="400">'
        '<title>T</title><defs><marker id="arr"/></defs><rect width="720" height="400" fill="#ffffff"/>'
        '<text font-size="16" fill="#1a1a1a">A</text><path marker-end="url(#arr)" stroke="#333333"/></svg>'
    )
    out = figures.inline_svg(svg, 0.0, "demo", "A demo figure")
    assert out.startswith('<svg id="fig-demo" class="guide-figure" role="img" aria-label="A demo figure"')
    assert 'width="720"' not in out.split(">", 1)[0] and "<?xml" not in out
    assert 'id="fig-demo-arr"' in out and "url(#fig-demo-arr)" in out
    assert '<rect class="figure-background"' in out
    assert '#fig-demo [fill="#ffffff"]{fill:var(--md-default-bg-color)}' in out
    assert '<style>[data-md-color-scheme="slate"] #fig-demo{fill:#' in out  # unfilled shapes and text
    assert '#fig-demo [stroke="#333333"]{stroke:#' in out
    assert "--figure-min-width: 428px" in out  # 720 * 9.5 / 16


def test_glossary_gets_an_az_bar_of_its_letters():
    class Item:
        def __init__(self, title, id, children=()):
            self.title, self.id, self.children = title, id, list(children)

    class Page:
        class file:
            src_uri = "glossary.md"

        toc = type("Toc", (), {"items": [Item("Glossary", "glossary", [Item("A", "a"), Item("B", "b")])]})()

    html = '<h1 id="glossary">Glossary</h1><p>Intro.</p><h2 id="a">A</h2><dl><dt>x</dt></dl><h2 id="b">B</h2>'
    out = az_index.on_page_content(html, Page, None, None)
    assert (
        '<p>Intro.</p><nav class="az-bar" aria-label="Jump to a letter" data-search-exclude><a href="#a">A</a><a href="#b">B</a></nav>'
        in out
    )
    assert '<dl class="glossary">' in out


def test_long_inline_math_scrolls_in_its_own_focusable_box():
    from scripts.hooks import math

    short = math._inline("<math><mi>x</mi><mo>=</mo><mn>1</mn></math>")
    assert short.startswith("<math")
    long = math._inline("<math>" + "<mi>x</mi><mo>+</mo>" * 12 + "</math>")
    assert long.startswith('<span class="math-inline-wide" tabindex="0"><math>')


def test_other_pages_load_print_site_assets_for_printing_only():
    head = (
        '<link rel="stylesheet" href="../css/print-site.css">\n'
        '<link rel="stylesheet" href="../css/print-site-material.css">\n'
        '<link rel="stylesheet" href="../assets/stylesheets/guide.css">\n'
        '<script src="../js/print-site.js"></script>\n<script src="../assets/javascripts/atlas.js"></script>'
    )
    out = print_page.print_only_assets(head)
    assert out.count('media="print"') == 2 and 'guide.css">' in out
    assert "print-site.js" not in out and "atlas.js" in out


def test_print_page_landmarks_get_unique_names():
    page = (
        "<nav role='navigation' class='print-page-toc-nav'><ul></ul></nav>"
        '<section class="print-page" id="introduction"><h1 id="introduction-x"><span class="heading-number">1</span> Intro</h1>'
        '<aside class="atlas-factbox" aria-label="Fact box: CLIP"></aside><aside aria-label="Fact box: BLIP-2"></aside></section>'
        '<section class="print-page" id="case-studies"><h1 id="cs">6 Case Studies<a class="headerlink">&para;</a></h1>'
        '<aside class="atlas-factbox" aria-label="Fact box: CLIP"></aside></section>'
    )
    out = print_page.unique_landmarks(page)
    assert 'aria-label="Contents of the whole guide"' in out and "role='navigation'" not in out
    assert 'aria-label="Fact box: CLIP, in 1 Intro"' in out and 'aria-label="Fact box: CLIP, in 6 Case Studies"' in out
    assert 'aria-label="Fact box: BLIP-2"' in out  # a name used once stays as it is


def test_a_front_matter_comment_is_not_a_page_title(tmp_path):
    """A '# comment' in a page's YAML front matter is not its H1: the References page's "Cited in"
    links name the page by its real title (the Atlas's comment once became their text)."""
    from scripts.sources.markdown import headings

    text = "---\n# The tables use the whole width.\nhide:\n  - toc\n---\n\n# The Atlas\n\n## Sources\n"
    hs = headings(text)
    assert [(h.level, h.text, h.line) for h in hs] == [(1, "The Atlas", 7), (2, "Sources", 9)]
    assert headings("# Title\n\n---\n\n# Not front matter\n")[1].text == "Not front matter"
