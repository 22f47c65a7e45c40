"""The canonical table of contents (scripts/toc.yml) and the README's rendering of it.

`python -m scripts.toc` rewrites the README's table of contents from toc.yml.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts.common import README

TOC_YML = Path(__file__).with_name("toc.yml")


@dataclass(frozen=True)
class Section:
    title: str
    subsections: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chapter:
    title: str
    file: str
    sections: list[Section]


def load_toc(path: Path = TOC_YML) -> list[Chapter]:
    chapters = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        sections = [
            Section(s) if isinstance(s, str) else Section(s["title"], list(s.get("subsections", [])))
            for s in item.get("sections") or []
        ]
        chapters.append(Chapter(item["title"], item["file"], sections))
    return chapters


def render_readme_toc(toc: list[Chapter]) -> str:
    from scripts.mdcheck import slugify

    lines = []
    for i, c in enumerate(toc, 1):
        lines.append(f"{i}. [{c.title}](docs/{c.file})")
        for s in c.sections:
            lines.append(f"    - [{s.title}](docs/{c.file}#{slugify(s.title)})")
            for sub in s.subsections:
                lines.append(f"        - [{sub}](docs/{c.file}#{slugify(sub)})")
    return "\n".join(lines) + "\n"


def write_readme(readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- toc:start -->", "<!-- toc:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{render_readme_toc(load_toc())}{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    write_readme()
    sys.exit(0)
