"""scripts/hooks/facts.py: an inline Atlas reference becomes the value, its split and a citation
numbered like every other citation on the page, with the locator on hover; on the print page too.
A reference that names no record, or several, is a warning with the file and line (so the strict
build fails)."""

from __future__ import annotations

import logging
import re
from types import SimpleNamespace

import pytest

from scripts.hooks import facts as hook
from scripts.tools.build import build
from tests.checks.test_atlas_data import BENCHMARK, MODEL, RESULT
from tests.conftest import GOOD_BIB, write_project

TEST_SPLIT = RESULT.replace("split: val", "split: test").replace("value: 61.5", "value: 58.25")
PAGES = {
    "index.md": "# Home\n\nCLIP came first [@liu2023llava]. Demo-VL, released in {{model demo-vl released}}, scored "
    "{{result demo-vl demo-bench split=val}} on DemoBench.\n",
    "references.md": "# References\n\n<!-- bibliography -->\n",
}


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    root = tmp_path_factory.mktemp("facts")
    data = {"models": MODEL, "benchmarks": BENCHMARK, "results": RESULT + TEST_SPLIT}
    result = build(root / "site", write_project(root / "project", PAGES, GOOD_BIB, data=data))
    assert result.ok, result.problems
    return (result.site_dir / "index.html").read_text(encoding="utf-8")


def test_a_result_renders_its_value_split_and_numbered_citation(page):
    m = re.search(
        r'<span class="atlas-fact" title="([^"]*)">61.5</span> \(val\)<sup id="fnref[^"]*:radford2021clip">'
        r'<a class="footnote-ref" href="#fn:radford2021clip">(\d+)</a></sup>',
        page,
    )
    assert m, page
    assert m.group(1) == "Table 2, val split, zero-shot"
    assert m.group(2) == "2"  # numbered after the page's first citation, like any other
    assert '<li id="fn:radford2021clip">' in page


def test_a_model_fact_renders_as_prose_with_the_paper_cited(page):
    assert re.search(r'<span class="atlas-fact" title="Release month of Demo-VL[^"]*">May 2024</span><sup id="fnref', page)
    assert "{{" not in page


def test_an_ambiguous_reference_warns_with_file_and_line(caplog):
    from scripts.sources.atlas import Atlas

    record = SimpleNamespace(get=lambda k, d=None: {"id": "demo-vl"}.get(k, d))
    results = [
        SimpleNamespace(line=i, get=lambda k, d=None, v=v: {"model": "demo-vl", "benchmark": "b", "value": v}.get(k, d))
        for i, v in ((1, 1.0), (9, 2.0))
    ]
    bench = SimpleNamespace(get=lambda k, d=None: {"id": "b"}.get(k, d))
    hook._state["atlas"] = Atlas([record], [bench], results)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="x.md"))
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.guide"):
        out = hook.on_page_markdown("# T\n\nScore {{result demo-vl b}}.\n", page, None, None)
    assert "{{result demo-vl b}}" in out
    assert any(r.getMessage().startswith("docs/x.md:3: {{result demo-vl b}}: 2 records match") for r in caplog.records)


def test_the_print_page_carries_the_same_facts(site):
    printed = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="atlas-fact" title="Table 2[^"]*">56.8</span> \(val\)<sup id="[a-z-]*fnref', printed)


def test_a_bare_result_leaves_its_split_to_the_sentence(tmp_path):
    """`bare` drops the "(val)" after the value where the sentence already names the split (the
    split stays in the hover title); the reference still names its record."""
    from scripts.sources import facts
    from tests.checks.test_facts import atlas

    a = atlas(tmp_path)
    (bare,) = facts.references("{{result demo-vl demo-bench bare split=val}}")
    (full,) = facts.references("{{result demo-vl demo-bench split=val}}")
    assert bare.bare and not full.bare and bare.fields == full.fields == {"split": "val"}
    out = hook.render(facts.resolve(bare, a))
    assert re.fullmatch(r'<span class="atlas-fact" title="[^"]*val split[^"]*">61.5</span>\[@radford2021clip\]', out), out
    assert hook.render(facts.resolve(full, a)).count("(val)") == 1
    assert hook.plain(facts.resolve(bare, a)) == "61.5"
    (wrong,) = facts.references("{{result demo-vl demo-bench naked}}")
    assert wrong.error and "[bare]" in wrong.error
