"""The reference cache (scripts/mkdocs_hooks.py) changes build time, never output."""

from __future__ import annotations

from pathlib import Path

from scripts.tools.build import build
from tests.conftest import GOOD_BIB, write_project

PAGES = {
    "index.md": "# Home\n\nTwo works [@radford2021clip; @liu2023llava] and one again [@radford2021clip].\n\n"
    "Math $a^2$, CLIP, and code `[@radford2021clip]`.\n",
    "other.md": "# Other\n\nSee [@liu2023llava]. Full list in [References](references.md#ref-liu2023llava).\n",
    "references.md": "# References\n\n<!-- bibliography -->\n",
}


def html_of(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_cached_and_uncached_builds_render_identical_html(tmp_path):
    config = write_project(tmp_path / "project", PAGES, GOOD_BIB)
    cache = {"GUIDE_CACHE_DIR": str(tmp_path / "cache")}
    off = build(tmp_path / "off", config, env={"GUIDE_BIB_CACHE": "0"})
    cold = build(tmp_path / "cold", config, env=cache)
    warm = build(tmp_path / "warm", config, env=cache)
    for result in (off, cold, warm):
        assert result.ok, result.problems
    assert (tmp_path / "cache" / "bibtex-format.json").is_file()
    reference = html_of(off.site_dir)
    assert "transferable visual models" in reference["index.html"]
    assert '<abbr title="Contrastive Language-Image Pre-training">CLIP</abbr>' in reference["index.html"]
    assert html_of(cold.site_dir) == reference
    assert html_of(warm.site_dir) == reference


def test_an_edited_entry_is_formatted_again(tmp_path):
    config = write_project(tmp_path / "project", PAGES, GOOD_BIB)
    cache = {"GUIDE_CACHE_DIR": str(tmp_path / "cache")}
    assert build(tmp_path / "first", config, env=cache).ok
    bib = tmp_path / "project" / "references.bib"
    bib.write_text(bib.read_text().replace("Visual Instruction Tuning", "Visual Instruction Tuning Revisited"))
    second = build(tmp_path / "second", config, env=cache)
    assert second.ok
    assert "Visual instruction tuning revisited" in (second.site_dir / "other" / "index.html").read_text()


def test_benchmark_baseline_is_the_same_site_without_the_bibtex_plugin():
    """The baseline lies beside mkdocs.yml, so the hooks find the Atlas data and the TOC as in the
    real build, and is removed afterwards."""
    from scripts.sources.config import mkdocs_config
    from scripts.sources.project import ROOT
    from scripts.tools.bench import baseline_config

    with baseline_config() as path:
        config = mkdocs_config(path)
        assert path.parent == ROOT
    assert not path.exists()
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "bibtex" not in names and "search" in names and "print-site" in names and config["strict"] is False
    assert config["INHERIT"] == "mkdocs.yml" and "docs_dir" not in config
    assert [Path(h).stem for h in config["hooks"]] == [Path(h).stem for h in mkdocs_config(ROOT / "mkdocs.yml")["hooks"]]


def test_placeholder_footnotes_skip_inline_patterns_and_render_the_same():
    """A footnote that is only a cached reference's placeholder is atomic text for Python-Markdown
    (scripts/hooks/citations.py, PlaceholderFootnotes); the HTML is the same as without the
    extension, and a footnote with real Markdown in it is still parsed."""
    import markdown
    from markdown.treeprocessors import Treeprocessor
    from markdown.util import AtomicString

    from scripts.hooks.citations import _REF, PlaceholderFootnotes

    placeholder = f"{_REF}{'ab' * 32}{_REF}"
    source = f"Text[^a] and more[^b] and again[^a].\n\n[^a]: {placeholder}\n[^b]: A *real* footnote.\n"
    seen: dict[str, bool] = {}

    class Spy(Treeprocessor):
        def run(self, root):
            for p in root.iter("p"):
                if p.text and p.text.strip():
                    seen[p.text.strip()[:4]] = isinstance(p.text, AtomicString)

    def convert(*extensions) -> str:
        md = markdown.Markdown(extensions=["footnotes", *extensions])
        md.treeprocessors.register(Spy(md), "spy", 30)
        return md.convert(source)

    plain = convert()
    assert seen[placeholder[:4]] is False
    assert convert(PlaceholderFootnotes()) == plain
    assert seen[placeholder[:4]] is True and seen["A *r"] is False
    assert "<em>real</em>" in plain and placeholder in plain


def test_search_sees_citation_markup_lightened_and_the_page_gets_it_back():
    """scripts/hooks/search_exclude.py: Material's search parser finds the same sections and text
    in the lightened content (the cited works close a page, as in the guide), and restore() gives
    back the content exactly."""
    from material.plugins.search.plugin import Parser

    from scripts.hooks.search_exclude import lighten, restore

    marker = '<sup id="fnref{n}:k{i}"><a class="footnote-ref" href="#fn:k{i}">{i}</a></sup>'
    html_text = (
        '<h1 id="t">Title</h1>\n<p>Claim'
        + marker.format(n="", i=1)
        + '<sup class="fn-sep">,</sup>'
        + marker.format(n="", i=2)
        + " and x<sup>2</sup> again"
        + marker.format(n="2", i=1)
        + '.</p>\n<h2 id="s">Section'
        + marker.format(n="3", i=1)
        + '<a class="headerlink" href="#s">&para;</a></h2>\n'
        '<p class="bib-entry" id="ref-k1">A work. <a href="https://arxiv.org/abs/1">arXiv:1</a> '
        '<span class="bib-cited-in" data-search-exclude>Cited in <a href="../a/#x">3.1</a></span></p>\n'
        '<p>{code}</p>\n<h2 id="cited-works" data-search-exclude>References</h2>\n<div class="footnote" data-search-exclude>\n'
        '<hr />\n<ol>\n<li id="fn:k1"><p>Work.</p></li>\n</ol>\n</div>'
    )

    def sections(text: str) -> list[tuple[str | None, str, str]]:
        parser = Parser()
        parser.feed(text)
        parser.close()
        return [(s.id, "".join(s.title), "".join(s.text)) for s in parser.data if not s.is_excluded()]  # as indexed

    light, saved = lighten(html_text)
    assert saved is not None and "footnote-ref" not in light and "bib-cited-in" not in light
    assert sections(light) == sections(html_text)
    assert "<sup>1</sup><sup>,</sup><sup>2</sup>" in sections(light)[0][2]
    assert restore(light, saved) == html_text
    odd = "<p>Shouted<SUP>1</SUP></p>"  # a form the holders use: such a page is left as it is
    assert lighten(odd) == (odd, None)
