"""The Glossary (docs/glossary.md): its entries, read once for the abbreviations file
(scripts/tools/glossary.py) and for the links from each chapter's first use of a term
(scripts/hooks/glossary_links.py).

An entry is a definition-list term written `**Term**` or `**Term** (ABBR or other name)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scripts.sources.project import DOCS

GLOSSARY = DOCS / "glossary.md"
_ENTRY = re.compile(r"^\*\*(?P<term>[^*]+)\*\*(?: \((?P<paren>[^)]+)\))?$", re.M)


def is_acronym(text: str) -> bool:
    """MLLM, ViT, LoRA, Q-Former, NF4: short, no spaces, at least two capitals."""
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{1,11}", text)) and sum(c.isupper() for c in text) >= 2


@dataclass(frozen=True)
class Entry:
    term: str
    paren: str  # the parenthesis after the term: an abbreviation, an expansion or another name ("" if none)
    line: int

    @property
    def anchor(self) -> str:
        """The entry's id on the Glossary page: g- and its term in lower case, words joined by hyphens."""
        return "g-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")

    @property
    def names(self) -> tuple[str, ...]:
        """What a chapter may call it: the term, and the parenthesis when it is an abbreviation or
        a short other name (not a long expansion of an acronym term)."""
        names = [self.term]
        if self.paren and (is_acronym(self.paren) or (len(self.paren.split()) <= 3 and not is_acronym(self.term))):
            names.append(self.paren)
        return tuple(names)


def entries(text: str) -> list[Entry]:
    return [
        Entry(m.group("term").strip(), (m.group("paren") or "").strip(), text.count("\n", 0, m.start()) + 1)
        for m in _ENTRY.finditer(text)
    ]
