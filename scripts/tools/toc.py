"""`make toc`: rewrite the README's table of contents from scripts/toc.yml."""

from __future__ import annotations

import sys
from pathlib import Path

from scripts.sources.project import README
from scripts.sources.toc import README_TOC_END, README_TOC_START, load_toc, render_readme_toc


def write_readme(readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(README_TOC_START, 1)
    _, tail = rest.split(README_TOC_END, 1)
    readme.write_text(f"{head}{README_TOC_START}\n{render_readme_toc(load_toc())}{README_TOC_END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    write_readme()
    sys.exit(0)
