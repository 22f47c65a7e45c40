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


def load_toc(path: Path = TOC_YML) -> list[Chapter]:
    chapters = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        sections = [
            Section(s) if isinstance(s, str) else Section(s["title"], list(s.get("subsections", [])))
            for s in item.get("sections") or []
        ]
        chapters.append(Chapter(item["title"], item["file"], sections, list(item.get("companions") or [])))
    return chapters


def render_readme_toc(toc: list[Chapter]) -> str:
    lines = []
    for i, c in enumerate(toc, 1):
        lines.append(f"{i}. [{c.title}](docs/{c.file})")
        for s in c.sections:
            lines.append(f"    - [{s.title}](docs/{c.file}#{slugify(s.title)})")
            for sub in s.subsections:
                lines.append(f"        - [{sub}](docs/{c.file}#{slugify(sub)})")
    return "\n".join(lines) + "\n"
