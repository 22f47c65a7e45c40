"""The canonical table of contents (scripts/toc.yml) and its rendering as the README's table of
contents (written by scripts.tools.toc, compared by scripts.checks.structure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts.sources.markdown import slugify
from scripts.sources.project import TOC_YML

README_TOC_START, README_TOC_END = "<!-- toc:start -->", "<!-- toc:end -->"


@dataclass(frozen=True)
class Section:
    title: str
    subsections: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chapter:
    title: str
    file: str
    sections: list[Section]
    companions: list[str] = field(default_factory=list)  # pages that follow the chapter in nav (the Atlas)
    back_matter: bool = False


def load_toc(path: Path = TOC_YML) -> list[Chapter]:
    chapters = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        sections = [
            Section(s) if isinstance(s, str) else Section(s["title"], list(s.get("subsections", [])))
            for s in item.get("sections") or []
        ]
        chapters.append(
            Chapter(
                item["title"],
                item["file"],
                sections,
                companions=list(item.get("companions") or []),
                back_matter=bool(item.get("back_matter")),
            )
        )
    return chapters


def chapter_numbers(toc: list[Chapter]) -> dict[str, int]:
    """file -> chapter number (1, 2, ...) of every chapter that is not back matter, in TOC order."""
    numbered = [c for c in toc if not c.back_matter]
    return {c.file: i for i, c in enumerate(numbered, 1)}


def render_readme_toc(toc: list[Chapter]) -> str:
    lines = []
    numbers = chapter_numbers(toc)
    for c in toc:
        number = numbers.get(c.file)
        lines.append(f"{number}. [{c.title}](docs/{c.file})" if number else f"- [{c.title}](docs/{c.file}) (back matter)")
        for s in c.sections:
            lines.append(f"    - [{s.title}](docs/{c.file}#{slugify(s.title)})")
            for sub in s.subsections:
                lines.append(f"        - [{sub}](docs/{c.file}#{slugify(sub)})")
    return "\n".join(lines) + "\n"
