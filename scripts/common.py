"""Shared pieces: project paths, the Problem record every check returns, and Markdown masking."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BIB = ROOT / "references.bib"
MKDOCS_YML = ROOT / "mkdocs.yml"
README = ROOT / "README.md"


@dataclass(frozen=True, order=True)
class Problem:
    """One failure: where it is and how to fix it. Printed as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def rel(path: Path, root: Path = ROOT) -> str:
    """A path as shown in messages: relative to the project root when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, inline code spans and HTML comments."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    pos = 0
    block_start = 0
    for line in text.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            fence, block_start = m.group("fence"), pos
        elif (
            fence is not None
            and m
            and line.strip() == m.group("fence")
            and m.group("fence")[0] == fence[0]
            and len(m.group("fence")) >= len(fence)
        ):
            fence = None
            spans.append((block_start, pos + len(line)))
        pos += len(line)
    if fence is not None:
        spans.append((block_start, len(text)))
    outside = _apply(text, spans, lambda s: "\0" * len(s))  # keep offsets, hide fenced blocks
    for rx in (_HTML_COMMENT, _INLINE_CODE):
        for m in rx.finditer(outside):
            spans.append((m.start(), m.end()))
        outside = _apply(outside, spans, lambda s: "\0" * len(s))
    return sorted(spans)


def _apply(text: str, spans: list[tuple[int, int]], fn) -> str:
    out, last = [], 0
    for a, b in sorted(spans):
        if a < last:
            continue
        out.append(text[last:a])
        out.append(fn(text[a:b]))
        last = b
    out.append(text[last:])
    return "".join(out)


def mask_code(text: str) -> str:
    """Blank out code (fenced and inline) and HTML comments, keeping offsets and line numbers.

    What is left is the text mkdocs-bibtex and Markdown treat as prose, so checks run on it
    never see `[@key]` inside code as a citation.
    """
    return _apply(text, code_spans(text), lambda s: re.sub(r"[^\n]", " ", s))


def replace_in_code(text: str, old: str, new: str) -> str:
    """Replace `old` by `new` only inside code and HTML comments (used to shield '@' from mkdocs-bibtex)."""
    return _apply(text, code_spans(text), lambda s: s.replace(old, new))


def report(problems: list[Problem], what: str) -> int:
    """Print problems (sorted) and a one-line verdict; return a process exit code."""
    problems = sorted(set(problems))
    for p in problems:
        print(p)
    if problems:
        print(f"{what}: {len(problems)} problem(s)")
        return 1
    print(f"{what}: ok")
    return 0
