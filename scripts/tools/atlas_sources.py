"""`make atlas-sources`: rewrite the list of documents the Atlas data cites in docs/atlas-sources.md.

The Atlas's sources page cites every document its records name (a model's paper, a benchmark's paper, the
source of each number) as ordinary citations, between `<!-- atlas-sources:start -->` and
`<!-- atlas-sources:end -->`, so they are numbered, listed at the end of the page like any
chapter's references, and counted as cited. (They are a page of their own because their list
weighed 32 KB of the Atlas page's 69 KB gzipped: README, "Page weight".) A test fails when the list is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scripts.sources import atlas
from scripts.sources.project import DATA, DOCS

PAGE = DOCS / "atlas-sources.md"
START, END = "<!-- atlas-sources:start -->", "<!-- atlas-sources:end -->"


def render(keys: set[str]) -> str:
    cites = "; ".join(f"@{k}" for k in sorted(keys))
    return f"{START}\nThe Atlas's records cite {len(keys)} documents [{cites}].\n{END}"


def rewrite(page: Path = PAGE, data: Path = DATA) -> bool:
    """Rewrite the block; True when the page changed."""
    text = page.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = head + render(atlas.load(data).bib_keys()) + tail
    if new != text:
        page.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    print(f"docs/{PAGE.name}: sources rewritten" if rewrite() else f"docs/{PAGE.name}: sources up to date")
    sys.exit(0)
