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
