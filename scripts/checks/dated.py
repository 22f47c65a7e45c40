"""Undated time-sensitive claims. A sentence of prose that calls something "state of the art",
"the latest", "the best", "the strongest", "most recent", "leading" (models or systems), or says
what is true "currently" or "today", goes stale; it must carry its date: a year (2025) or "as of".

Ignored: code, HTML comments, headings, quotations ("..." and “...”), link targets and citation keys
(a key's year is not a date in the sentence). A justified exception is marked on the line itself
with an HTML comment that gives the reason: `<!-- undated-ok: a definition, true at any date -->`.
"""

from __future__ import annotations

import re
from pathlib import Path

from scripts.sources.markdown import doc_pages
from scripts.sources.project import Problem, line_of, rel
from scripts.sources.prose import blank, prose, sentences

PHRASES = re.compile(
    r"\b(?:state[ -]of[ -]the[ -]art|currently|today|the latest|the best|the strongest|most recent"
    r"|leading(?=(?:\s+[\w-]+){0,3}?\s+(?:models?|systems?|MLLMs?|VLMs?|LLMs?|labs?|vendors?)\b))\b",
    re.I,
)
DATED = re.compile(r"\b(?:19|20)\d\d\b|\bas of\b", re.I)
EXCEPTION = re.compile(r"<!--\s*undated-ok:\s*\S[^>]*-->")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”]*”")


def check_text(text: str, name: str) -> list[Problem]:
    excepted = {i + 1 for i, line in enumerate(text.split("\n")) if EXCEPTION.search(line)}
    # The page's prose (scripts/sources/prose.py), with quotations blanked too: a quoted phrase is
    # not a claim in the guide's own voice. Offsets are kept, so line numbers stay right.
    clean = blank(prose(text), _QUOTED)
    problems = []
    for sentence in sentences(clean):
        if DATED.search(sentence.text):
            continue
        for m in PHRASES.finditer(sentence.text):
            line = line_of(clean, sentence.start + m.start())
            if line in excepted:
                continue
            problems.append(
                Problem(
                    name,
                    line,
                    f"undated time-sensitive claim '{m.group(0)}': give the sentence its date ('As of mid-2025, ...' "
                    "or the year of the result, with a citation that supports it then), or reword it; a claim true at "
                    "any date can be marked on its line with <!-- undated-ok: reason -->",
                )
            )
    return problems


def check(docs: Path) -> list[Problem]:
    problems: list[Problem] = []
    for path in doc_pages(docs):
        problems += check_text(path.read_text(encoding="utf-8"), rel(path))
    return problems
