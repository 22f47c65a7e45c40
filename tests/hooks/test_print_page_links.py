"""scripts/hooks/print_page.py rewrites the print page's internal links in one pass; the result
must equal the plugin's own rewrite (one whole-page replace per link), link for link."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.hooks import print_page
from scripts.hooks._compat import REPLACEMENTS

SAMPLE = """<p><a href="#fn:1">1</a> <a class="footnote-ref" href="#fn:2">2</a>
<a href="../training/#lora">LoRA</a> <a href="../glossary/">Glossary</a> <a href="https://arxiv.org/abs/2103.00020">arXiv</a>
<a title="x" href="../assets/figure.svg">figure</a> <a href="mailto:an@example.org">mail</a> <A HREF="#Upper">up</A>
<a href="../training/#">empty anchor</a> <a href="#fn:1">1 again</a></p>"""


def original():
    return next(r.original for r in REPLACEMENTS if r.target.endswith(".fix_href_links"))


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_one_pass_rewrite_equals_the_plugins_on_a_sample(directory_urls):
    assert print_page.fix_href_links(SAMPLE, "introduction", "introduction/", directory_urls) == original()(
        SAMPLE, "introduction", "introduction/", directory_urls
    )


def test_the_one_pass_rewrite_equals_the_plugins_on_the_guides_pages(site: Path):
    for name in ("introduction", "key-components", "references", "glossary"):
        text = (site / name / "index.html").read_text(encoding="utf-8")
        assert print_page.fix_href_links(text, name, f"{name}/", True) == original()(text, name, f"{name}/", True), name
