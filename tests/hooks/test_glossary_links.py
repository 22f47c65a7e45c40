"""Each chapter's first use of a Glossary term links to its entry (scripts/hooks/glossary_links.py)."""

from __future__ import annotations

import re

from scripts.hooks import glossary_links
from scripts.sources.glossary import entries

GLOSSARY = """\
**Large language model** (LLM)
:   A model.

**Attention**
:   Weights.

**Adapter** (adapter module)
:   A layer.
"""


def link(html: str) -> str:
    pattern, by_name = glossary_links.term_pattern(entries(GLOSSARY))
    glossary_links._by_name = by_name
    return glossary_links.link_first_uses(html, "../glossary/", pattern)


def test_the_first_use_is_linked_and_later_ones_are_not():
    out = link("<p>Attention is cheap. Attention again.</p>")
    assert out == '<p><a class="glossary-link" href="../glossary/#g-attention">Attention</a> is cheap. Attention again.</p>'


def test_plurals_other_names_and_case():
    out = link("<p>Two adapters and one adapter module; a large language model.</p>")
    assert 'href="../glossary/#g-adapter">adapters</a>' in out and out.count("g-adapter") == 1
    assert '#g-large-language-model">large language model</a>' in out


def test_an_abbreviation_with_its_tooltip_is_linked_whole_and_counts_as_the_first_use():
    out = link('<p>An <abbr title="Large language model">LLM</abbr> is a large language model.</p>')
    assert (
        '<a class="glossary-link" href="../glossary/#g-large-language-model"><abbr title="Large language model">LLM</abbr></a>'
        in out
    )
    assert out.count("glossary-link") == 1 and out.count("</abbr>") == 1, out
    again = link('<p><abbr title="Large language model">LLM</abbr> and <abbr title="Large language model">LLM</abbr>.</p>')
    assert again.count("<abbr") == again.count("</abbr>") == 2, again


def test_text_in_links_code_headings_markers_and_admonition_titles_is_left_alone():
    html = (
        '<h2 id="x">Attention</h2><p class="admonition-title">Attention</p><p><a href="#y">attention</a> '
        "<code>attention</code> <sup>attention</sup></p><p>attention here</p>"
    )
    out = link(html)
    assert out.count("glossary-link") == 1 and re.search(r"<p><a class=\"glossary-link\"[^>]*>attention</a> here</p>", out), out


def test_a_word_inside_another_word_is_not_a_use():
    assert "glossary-link" not in link("<p>Multi-attention-heads and adapterless designs.</p>")


def test_glossary_entries_get_ids(site):
    text = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'<dt id="(g-[^"]+)"', text))
    assert len(ids) == len(entries((glossary_links.Path(__file__).resolve().parents[2] / "docs" / "glossary.md").read_text()))
    for chapter in ("introduction", "training", "ethics"):
        page = (site / chapter / "index.html").read_text(encoding="utf-8")
        targets = re.findall(r'class="glossary-link" href="\.\./glossary/#([^"]+)"', page)
        assert len(targets) >= 10, f"{chapter}: {len(targets)} glossary links"
        assert len(targets) == len(set(targets)), f"{chapter}: a term linked twice"
        assert set(targets) <= ids, f"{chapter}: links to missing entries {set(targets) - ids}"
