"""Where the guide's sources are, and the record every check and build message uses.

A `Project` names the files of one MkDocs project (the guide, or a small fixture site in the tests);
`GUIDE` is the guide itself. `Problem` is one located failure, printed as `path:line: message`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BIB = ROOT / "references.bib"
MKDOCS_YML = ROOT / "mkdocs.yml"
README = ROOT / "README.md"
TOC_YML = ROOT / "scripts" / "toc.yml"
DATA = ROOT / "data"


@dataclass(frozen=True)
class Project:
    """The source files of one MkDocs project, all below `root`."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def bib(self) -> Path:
        return self.root / "references.bib"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def readme(self) -> Path:
        return self.root / "README.md"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def toc(self) -> Path:
        return self.root / "scripts" / "toc.yml"


GUIDE = Project(ROOT)


@dataclass(frozen=True, order=True)
class Problem:
    """One failure: where it is and how to fix it. Printed as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def cache_dir(project_root: Path) -> Path:
    """Where the build keeps its caches: GUIDE_CACHE_DIR, else .cache/ beside mkdocs.yml."""
    return Path(os.environ.get("GUIDE_CACHE_DIR") or Path(project_root) / ".cache")


def rel(path: Path, root: Path = ROOT) -> str:
    """A path as shown in messages: relative to the project root when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def report(problems: list[Problem], what: str) -> int:
    """Print problems (sorted) and a one-line verdict; return a process exit code."""
    problems = sorted(set(problems))
    for p in problems:
        print(p)
    if problems:
        print(f"{what}: {len(problems)} problem(s)")
        return 1
    print(f"{what}: ok")
    return 0
