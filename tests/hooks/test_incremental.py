"""scripts/hooks/incremental.py: what `make serve` (mkdocs serve --dirty) rebuilds after an edit."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from scripts.hooks import incremental


@pytest.fixture
def serving(monkeypatch):
    monkeypatch.setattr(incremental, "_state", {"dirty": True, "inputs": None, "citing": {}, "rebuilt": set()})
    return incremental._state


class FakeFile:
    def __init__(self, root: Path, name: str):
        self.src_uri = name
        self.abs_src_path = str(root / "docs" / name)
        self.abs_dest_path = str(root / "site" / name.replace(".md", ".html"))

    def is_modified(self) -> bool:
        dest = Path(self.abs_dest_path)
        return not dest.exists() or dest.stat().st_mtime_ns < Path(self.abs_src_path).stat().st_mtime_ns


class FakeFiles(list):
    def documentation_pages(self):
        return list(self)


def project(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "models.yaml").write_text("[]\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    (tmp_path / "docs" / "a.md").write_text("# A\n\n## One\n\nText [@key1].\n")
    (tmp_path / "docs" / "b.md").write_text("# B\n\nMore.\n")
    (tmp_path / "docs" / "references.md").write_text("# References\n\n<!-- bibliography -->\n")
    config = SimpleNamespace(
        docs_dir=str(tmp_path / "docs"), config_file_path=str(tmp_path / "mkdocs.yml"), watch=[str(tmp_path / "data")]
    )
    files = FakeFiles(FakeFile(tmp_path, n) for n in ("a.md", "b.md", "references.md"))
    return config, files


def built(files) -> None:
    """Every page written after its source, as a finished build leaves them."""
    for f in files:
        Path(f.abs_dest_path).write_text("html")
        later = Path(f.abs_src_path).stat().st_mtime_ns + 10**9
        os.utime(f.abs_dest_path, ns=(later, later))


def rebuilt(files) -> set[str]:
    return {f.src_uri for f in files if f.is_modified()}


_clock = [0]


def touch(path: Path, text: str) -> None:
    """An edit saved later than anything built before it."""
    _clock[0] += 1
    path.write_text(text)
    later = path.stat().st_mtime_ns + _clock[0] * 10 * 10**9
    os.utime(path, ns=(later, later))


def test_an_edit_rebuilds_its_page_and_the_references_only_when_citations_or_headings_change(tmp_path, serving):
    config, files = project(tmp_path)
    incremental.on_files(files, config)
    assert rebuilt(files) == {"a.md", "b.md", "references.md"}  # the first build: everything
    built(files)
    incremental.on_files(files, config)
    assert rebuilt(files) == set()

    touch(tmp_path / "docs" / "a.md", "# A\n\n## One\n\nText, reworded [@key1].\n")
    incremental.on_files(files, config)
    assert rebuilt(files) == {"a.md"}
    built(files)

    touch(tmp_path / "docs" / "a.md", "# A\n\n## One\n\nText, reworded [@key1; @key2].\n")
    incremental.on_files(files, config)
    assert rebuilt(files) == {"a.md", "references.md"}
    built(files)

    touch(tmp_path / "docs" / "b.md", "# B\n\n## A new section\n\nMore.\n")
    incremental.on_files(files, config)
    assert rebuilt(files) == {"b.md", "references.md"}


def test_a_shared_input_rebuilds_every_page(tmp_path, serving):
    config, files = project(tmp_path)
    incremental.on_files(files, config)
    built(files)
    touch(tmp_path / "data" / "models.yaml", "[{}]\n")
    incremental.on_files(files, config)
    assert rebuilt(files) == {"a.md", "b.md", "references.md"}


def test_plain_builds_are_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(incremental, "_state", {"dirty": False, "inputs": None, "citing": {}, "rebuilt": set()})
    config, files = project(tmp_path)
    built(files)
    incremental.on_files(files, config)
    assert rebuilt(files) == set()


def test_the_search_index_keeps_the_other_pages_and_replaces_the_rebuilt_ones(serving):
    serving["rebuilt"] = {"", "references/"}
    previous = SimpleNamespace(
        entries=[{"location": ""}, {"location": "a/"}, {"location": "a/#one"}, {"location": "references/#x"}]
    )
    current = SimpleNamespace(entries=[{"location": ""}, {"location": "references/"}, {"location": "references/#y"}])
    search = SimpleNamespace(search_index_prev=previous, search_index=current)
    config = SimpleNamespace(plugins={"material/search": search})
    incremental.on_post_build(config)
    assert [e["location"] for e in search.search_index.entries] == ["a/", "a/#one", "", "references/", "references/#y"]
    assert search.search_index_prev is None
