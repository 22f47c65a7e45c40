"""scripts/tools/build.py: the source checks run before MkDocs, so nothing `make check` rejects is
published, and every failure names the file and line; mkdocs-bibtex's own warnings are located
too (scripts/hooks/citations.py)."""

from __future__ import annotations

import subprocess
import sys

from scripts.tools.build import build
from tests.conftest import GOOD_BIB, write_project


def test_strict_build_fails_on_each_citation_trap_with_file_and_line(broken_build):
    assert not broken_build.ok
    msgs = [str(p) for p in broken_build.problems]
    expected = [
        "docs/index.md:3: unknown citation key 'radford2021clipp' (did you mean 'radford2021clip'?)",
        "docs/index.md:5: citation key 'Radford2021CLIP' has the wrong case: write 'radford2021clip'",
        "docs/index.md:7: citation split across lines",
        "docs/index.md:10: '@' inside brackets that are not a citation: '[write to an@example.org]'",
    ]
    for want in expected:
        assert any(m.startswith(want) for m in msgs), f"missing {want!r} in:\n" + "\n".join(msgs)
    assert any(m.startswith("docs/index.md:12: anchor '#nowhere' does not exist in") for m in msgs), msgs
    assert broken_build.output == "" and not broken_build.site_dir.exists(), "mkdocs must not run after failed source checks"


def test_quiet_strict_build_hides_warnings(broken_build, tmp_path):
    """The trap the wrapper exists for: `mkdocs build --strict -q` exits 0 on this broken site."""
    config = broken_build.site_dir.parent / "mkdocs.yml"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(tmp_path / "q")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0


def test_an_invalid_arxiv_id_fails_the_build_with_file_and_line(tmp_path):
    bib = GOOD_BIB.replace("eprint = {2103.00020}", "eprint = {arXiv:2403.1234}")
    assert bib != GOOD_BIB
    config = write_project(tmp_path / "project", {"index.md": "# Home\n\nCited [@radford2021clip] and [@liu2023llava].\n"}, bib)
    result = build(tmp_path / "site", config)
    assert not result.ok and not (tmp_path / "site").exists()
    line = next(i for i, text in enumerate(bib.splitlines(), 1) if "arXiv:2403.1234" in text)
    assert any(
        str(p).startswith(f"references.bib:{line}: entry 'radford2021clip': eprint 'arXiv:2403.1234' is not a valid arXiv ID")
        for p in result.problems
    ), result.problems


def test_mkdocs_bibtex_warnings_name_the_page_and_line(broken_build, tmp_path):
    """Run MkDocs itself (as `mkdocs serve` would, without the source checks first)."""
    config = broken_build.site_dir.parent / "mkdocs.yml"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(tmp_path / "direct")],
        capture_output=True,
        text=True,
    )
    assert "docs/index.md:3: mkdocs-bibtex: Citing unknown reference key radford2021clipp" in proc.stderr, proc.stderr
