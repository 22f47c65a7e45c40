"""The canonical layout of references.bib: entries sorted by key, fields in a fixed order with
two-space indentation, acronyms brace-protected in titles.

Usage: python -m scripts.tools.bibfmt [--check] [FILE]   (`make fmt` rewrites, pre-commit checks)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from scripts.sources.bibtex import BibSyntaxError, Entry, parse
from scripts.sources.project import BIB, Problem, rel

FIELD_ORDER = [
    "author",
    "editor",
    "organization",
    "title",
    "booktitle",
    "journal",
    "volume",
    "number",
    "pages",
    "publisher",
    "institution",
    "year",
    "doi",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "url",
    "note",
]
FIELD_NAMES = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}
# BibTeX styles lower-case titles; a word keeps its case only in braces. A word needs them when one
# of its hyphen-separated parts has a capital after its first character (CLIP, LLaVA, 12M, Qwen-VL),
# not when it is merely capitalized (Few-Shot, Vision-Language).
_WORD = re.compile(r"(?<![\w\\])\w(?:[\w-]|\.(?=\w))*")


def _needs_braces(word: str) -> bool:
    return any(re.search(r".[A-Z]", part) for part in word.split("-"))


def _protect_words(text: str) -> str:
    return _WORD.sub(lambda m: "{" + m.group(0) + "}" if _needs_braces(m.group(0)) else m.group(0), text)


def protect_title(title: str) -> str:
    """Brace-protect acronyms and mixed-case names that sit outside braces at depth 0."""
    out, depth, buf = [], 0, []
    for ch in title:
        if ch == "{":
            if depth == 0:
                out.append(_protect_words("".join(buf)))
                buf = []
            depth += 1
            out.append(ch)
        elif ch == "}":
            depth -= 1
            out.append(ch)
        elif depth == 0:
            buf.append(ch)
        else:
            out.append(ch)
    out.append(_protect_words("".join(buf)))
    return "".join(out)


def _order(name: str) -> tuple[int, str]:
    return (FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER), name)


def format_entry(entry: Entry) -> str:
    lines = [f"@{entry.type}{{{entry.key},"]
    for name in sorted(entry.fields, key=_order):
        value = re.sub(r"\s+", " ", entry.fields[name].strip())
        if name == "title":
            value = protect_title(value)
        lines.append(f"  {FIELD_NAMES.get(name, name)} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def format_entries(entries: list[Entry]) -> str:
    return "\n\n".join(format_entry(e) for e in sorted(entries, key=lambda e: e.key.lower())) + "\n"


def format_text(text: str) -> str:
    return format_entries(parse(text))


def check(path: Path = BIB) -> list[Problem]:
    text = path.read_text(encoding="utf-8")
    try:
        formatted = format_text(text)
    except BibSyntaxError as e:
        return [Problem(rel(path), e.line, f"syntax error: {e.message}")]
    if formatted == text:
        return []
    got, want = text.splitlines(), formatted.splitlines()
    line = next((i + 1 for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)) + 1)
    return [
        Problem(
            rel(path),
            line,
            "not in the canonical layout (sorted keys, field order, indentation, braced acronyms): run 'make fmt'",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="report instead of rewriting")
    ap.add_argument("file", nargs="?", type=Path, default=BIB)
    args = ap.parse_args(argv)
    if args.check:
        problems = check(args.file)
        for p in problems:
            print(p)
        return 1 if problems else 0
    args.file.write_text(format_text(args.file.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
