"""Site-wide abbreviations, derived from the glossary (its single source).

Every glossary entry written `**Term** (ABBR)` or `**ABBR** (Expansion)` whose abbreviation is an
acronym becomes a line `*[ABBR]: Term` in docs/includes/abbreviations.md, which
pymdownx.snippets appends to every page so that the abbr extension marks each use with its
expansion (shown as a tooltip). `python -m scripts.tools.glossary` rewrites the file; a test keeps it
in step with the glossary.
"""

from __future__ import annotations

import sys

from scripts.sources.glossary import GLOSSARY, entries, is_acronym
from scripts.sources.project import DOCS

ABBREVIATIONS = DOCS / "includes" / "abbreviations.md"
HEADER = "[//]: # (Generated from docs/glossary.md by python -m scripts.tools.glossary: edit the glossary, not this file.)\n"


def abbreviations(glossary: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in entries(glossary):
        term, paren = entry.term, entry.paren
        if paren and is_acronym(paren) and not is_acronym(term):
            found.setdefault(paren, term)
        elif paren and is_acronym(term) and " " in paren:
            found.setdefault(term, paren)
    return found


def render(glossary: str) -> str:
    lines = [
        f"*[{abbr}]: {expansion}" for abbr, expansion in sorted(abbreviations(glossary).items(), key=lambda kv: kv[0].lower())
    ]
    return HEADER + "\n".join(lines) + "\n"


def main() -> int:
    ABBREVIATIONS.parent.mkdir(parents=True, exist_ok=True)
    ABBREVIATIONS.write_text(render(GLOSSARY.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
