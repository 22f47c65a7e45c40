"""A page's prose as a reader meets it: code, comments, headings, citation keys, link targets, HTML
tags, math and inline Atlas references blanked out (offsets and line numbers kept), cut into
sentences and paragraphs. No rules live here; the fact, name and report checks read pages through
this module."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scripts.sources.markdown import mask_code
from scripts.sources.project import line_of

_HEADING = re.compile(r"^ {0,3}#{1,6} .*$", re.M)
_CITATION = re.compile(r"\[@[^\]\n]*\]")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_HTML_TAG = re.compile(r"<[^>\n]+>")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
_INLINE_REFERENCE = re.compile(r"\{\{[^{}\n]*\}\}")
_ATTR_LIST = re.compile(r"\{:?[ ]*[#.][^}\n]*\}")
_ADMONITION = re.compile(r"^ *(?:!!!|\?\?\?\+?) .*$", re.M)
# A sentence ends at . ! or ? followed by space and a capital, digit, quote or bracket, or at a
# blank line; table cells end at the cell's bar, list items at the end of their line.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(\[*π])|\n\s*\n|\||\n(?=\s*(?:[-*+]|\d+\.)\s)")
WORD = re.compile(r"[A-Za-z0-9π][\w'’.\-·]*")


def blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def prose(text: str, *, keep_references: bool = False) -> str:
    """The page with everything that is not prose blanked out, offsets kept. Inline Atlas
    references are blanked too (their values come from the data) unless `keep_references`."""
    text = mask_code(text)
    patterns = [_HEADING, _ADMONITION, _CITATION, _LINK_TARGET, _HTML_TAG, _MATH, _ATTR_LIST]
    if not keep_references:
        patterns.append(_INLINE_REFERENCE)
    for pattern in patterns:
        text = blank(text, pattern)
    return text


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    line: int
    text: str
    in_table: bool = False


def sentences(clean: str) -> list[Span]:
    """The sentences (and table cells) of text already passed through `prose`."""
    out, start = [], 0
    for end_match in [*SENTENCE_END.finditer(clean), None]:
        end = end_match.start() if end_match else len(clean)
        piece = clean[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            line_start = clean.rfind("\n", 0, start + lead) + 1
            in_table = clean[line_start : start + lead].lstrip().startswith("|") or clean[line_start:].lstrip().startswith("|")
            out.append(Span(start + lead, end, line_of(clean, start + lead), piece.strip(), in_table))
        start = end_match.end() if end_match else len(clean)
    return out


# A figure's image line is its text alternative, read in place of the figure, not a paragraph.
_NOT_PROSE_LINE = re.compile(r"^\s*(?:\||[-*+] |\d+\. |>|-{3,}|\*{3,}|\[\^|:|!\[)")


def paragraphs(clean: str) -> list[Span]:
    """Prose paragraphs: runs of non-blank lines that are not tables, list items, quotes,
    definitions or images (admonition bodies count; headings and code are already blank)."""
    out, lines, offset = [], clean.split("\n"), 0
    current: list[tuple[int, str]] = []

    def close():
        if current:
            start = current[0][0]
            body = " ".join(s.strip() for _, s in current)
            out.append(Span(start, current[-1][0] + len(current[-1][1]), line_of(clean, start), body))
            current.clear()

    for line in lines:
        if not line.strip() or _NOT_PROSE_LINE.match(line):
            close()
        else:
            current.append((offset, line))
        offset += len(line) + 1
    close()
    return out


def words(text: str) -> list[str]:
    return WORD.findall(text)
