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

from scripts.sources.markdown import doc_pages, mask_code
from scripts.sources.project import Problem, line_of, rel

PHRASES = re.compile(
    r"\b(?:state[ -]of[ -]the[ -]art|currently|today|the latest|the best|the strongest|most recent"
    r"|leading(?=(?:\s+[\w-]+){0,3}?\s+(?:models?|systems?|MLLMs?|VLMs?|LLMs?|labs?|vendors?)\b))\b",
    re.I,
)
DATED = re.compile(r"\b(?:19|20)\d\d\b|\bas of\b", re.I)
EXCEPTION = re.compile(r"<!--\s*undated-ok:\s*\S[^>]*-->")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”]*”")
_CITATION = re.compile(r"\[@[^\]]*\]")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HEADING = re.compile(r"^ {0,3}#{1,6} .*$", re.M)
_HTML_TAG = re.compile(r"<[^>\n]+>")
# A sentence ends at . ! or ? followed by space and a capital, digit, quote or bracket, or at a
# blank line; table cells and list items end at the end of their line.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(\[*])|\n\s*\n|\|")


def blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def prose(text: str) -> str:
    """The page's prose with everything that is not a claim in the guide's own voice blanked out,
    keeping offsets (so line numbers stay right)."""
    for pattern in (_HEADING, _CITATION, _LINK_TARGET, _HTML_TAG, _QUOTED):
        text = blank(text, pattern)
    return text


def check_text(text: str, name: str) -> list[Problem]:
    excepted = {i + 1 for i, line in enumerate(text.split("\n")) if EXCEPTION.search(line)}
    clean = prose(mask_code(text))
    problems = []
    start = 0
    for end_match in [*_SENTENCE_END.finditer(clean), None]:
        end = end_match.start() if end_match else len(clean)
        sentence = clean[start:end]
        if not DATED.search(sentence):
            for m in PHRASES.finditer(sentence):
                line = line_of(clean, start + m.start())
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
        start = end_match.end() if end_match else len(clean)
    return problems


def check(docs: Path) -> list[Problem]:
    problems: list[Problem] = []
    for path in doc_pages(docs):
        problems += check_text(path.read_text(encoding="utf-8"), rel(path))
    return problems
