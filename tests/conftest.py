"""Shared fixtures. The guide is built once per test session; every test that needs HTML uses it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from scripts.sources.config import mkdocs_config
from scripts.sources.project import ROOT
from scripts.tools.build import BuildResult, build
from tests.samples import LLAVA, RADFORD


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The guide, built once with the strict build (scripts.build) into a temporary folder."""
    result = build(tmp_path_factory.mktemp("site"))
    if not result.ok:
        pytest.fail("the strict build of the guide failed:\n" + "\n".join(map(str, result.problems)))
    return result.site_dir


def write_project(
    root: Path, pages: dict[str, str], bib: str, nav: list[str] | None = None, data: dict[str, str] | None = None
) -> Path:
    """A minimal MkDocs project with the guide's plugins, hooks and Markdown extensions; returns its
    mkdocs.yml. Its abbreviations (appended to every page, as in the guide) include a word that
    occurs in a reference title, so cached and uncached reference rendering meet abbr too."""
    (root / "docs" / "includes").mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "docs" / "includes" / "abbreviations.md").write_text(
        "*[CLIP]: Contrastive Language-Image Pre-training\n*[Learning]: a word in a title\n"
    )
    (root / "references.bib").write_text(textwrap.dedent(bib), encoding="utf-8")
    for name, text in (data or {}).items():  # the Atlas data files, data/NAME.yaml
        (root / "data").mkdir(exist_ok=True)
        (root / "data" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    guide = mkdocs_config(ROOT / "mkdocs.yml")
    config = {
        "site_name": "fixture",
        "nav": nav or list(pages),
        "exclude_docs": "/includes/\n",
        "theme": {"name": "material", "font": False, "custom_dir": str(ROOT / "docs" / "overrides")},
        "hooks": [str(ROOT / hook) for hook in guide["hooks"]],
        "plugins": [{"bibtex": {"bib_file": "references.bib", "enable_inline_citations": False}}],
        "markdown_extensions": guide["markdown_extensions"],
        "validation": {"omitted_files": "warn", "absolute_links": "warn", "unrecognized_links": "warn", "anchors": "warn"},
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


GOOD_BIB = RADFORD + "\n" + LLAVA


@pytest.fixture(scope="session")
def broken_build(tmp_path_factory) -> BuildResult:
    """One build of a small site seeded with the toolchain's known traps."""
    root = tmp_path_factory.mktemp("broken")
    config = write_project(
        root,
        {
            "index.md": """\
                # Home

                Unknown key [@radford2021clipp].

                Wrong case [@Radford2021CLIP].

                Split citation [@radford2021clip;
                @liu2023llava].

                Mail [write to an@example.org] here.

                A [dangling anchor](other.md#nowhere).
                """,
            "other.md": "# Other\n\nFine [@liu2023llava].\n",
        },
        GOOD_BIB,
    )
    return build(root / "site", config)
