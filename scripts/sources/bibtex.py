"""Reading references.bib: a line-aware BibTeX parser, name helpers and the anchor each entry
gets on the References page. No rules live here (they are in scripts.checks.bib).

The build's BibTeX library (pybtex) reports no line numbers; this parser keeps them, so every
message about an entry can name its line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from scripts.sources.project import BIB


class BibSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Entry:
    type: str
    key: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


class _Scanner:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def line(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, chars: str, what: str) -> str:
        self.skip_ws()
        c = self.peek()
        if not c or c not in chars:
            found = repr(c) if c else "end of file"
            raise BibSyntaxError(self.line(), f"expected {what}, found {found}")
        self.pos += 1
        return c

    def ident(self, what: str) -> str:
        self.skip_ws()
        m = re.compile(r"[^\s,={}()\"#%']+").match(self.text, self.pos)
        if not m:
            raise BibSyntaxError(self.line(), f"expected {what}")
        self.pos = m.end()
        return m.group(0)

    def braced(self) -> str:
        """Read a {...} value (the opening brace is at pos); return its inner text."""
        start = self.pos
        depth = 0
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == "\\":
                self.pos += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.text[start + 1 : self.pos - 1]
            self.pos += 1
        raise BibSyntaxError(self.line(start), "unbalanced braces: this '{' is never closed")

    def quoted(self) -> str:
        start = self.pos
        self.pos += 1
        depth = 0
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            elif c == '"' and depth == 0:
                self.pos += 1
                return self.text[start + 1 : self.pos - 1]
            self.pos += 1
        raise BibSyntaxError(self.line(start), "unterminated quoted value: this '\"' is never closed")

    def value(self) -> str:
        parts = []
        while True:
            self.skip_ws()
            c = self.peek()
            if c == "{":
                parts.append(self.braced())
            elif c == '"':
                parts.append(self.quoted())
            elif c and (c.isalnum() or c in "_-"):
                parts.append(self.ident("a value"))
            else:
                raise BibSyntaxError(self.line(), 'expected a value in {braces} or "quotes"')
            self.skip_ws()
            if self.peek() == "#":
                self.pos += 1
                continue
            return "".join(parts)


def parse(text: str) -> list[Entry]:
    """Parse BibTeX text into entries with line numbers; raise BibSyntaxError with the line.
    (Parsed once per text: the rules and the key lookups read the same file.)"""
    return [_copy(e) for e in _parse(text)]


def _copy(e: Entry) -> Entry:
    return Entry(e.type, e.key, e.line, dict(e.fields), dict(e.field_lines))


@functools.lru_cache(maxsize=8)
def _parse(text: str) -> tuple[Entry, ...]:
    return tuple(_parse_uncached(text))


def _parse_uncached(text: str) -> list[Entry]:
    s = _Scanner(text)
    entries: list[Entry] = []
    while True:
        at = text.find("@", s.pos)
        if at < 0:
            return entries
        s.pos = at + 1
        start_line = s.line(at)
        etype = s.ident("an entry type after '@'").lower()
        opener = s.expect("{(", "'{' after @" + etype)
        closer = "}" if opener == "{" else ")"
        if etype in ("comment", "preamble", "string"):
            s.pos -= 1
            if opener == "{":
                s.braced()
            else:
                end = text.find(")", s.pos)
                s.pos = len(text) if end < 0 else end + 1
            continue
        key = s.ident(f"a citation key in @{etype}").strip()
        entry = Entry(type=etype, key=key, line=start_line)
        while True:
            s.skip_ws()
            c = s.peek()
            if c == closer:
                s.pos += 1
                break
            if c != ",":
                raise BibSyntaxError(
                    s.line(), f"in entry '{key}': expected ',' or '{closer}' (is a comma missing after the previous field?)"
                )
            s.pos += 1
            s.skip_ws()
            if s.peek() == closer:
                s.pos += 1
                break
            fline = s.line()
            name = s.ident(f"a field name in entry '{key}'").lower()
            s.expect("=", f"'=' after field '{name}' in entry '{key}'")
            if name in entry.fields:
                raise BibSyntaxError(fline, f"field '{name}' appears twice in entry '{key}'")
            value = s.value()
            if re.search(r"\n\s*[A-Za-z]+\s*=\s*[{\"]", value):
                raise BibSyntaxError(
                    fline, f"field '{name}' of entry '{key}' runs into the next field: a closing brace is missing"
                )
            entry.fields[name] = value
            entry.field_lines[name] = fline
        entries.append(entry)


def fold(s: str) -> str:
    """Lower-case ASCII letters and digits only: for comparing titles and names."""
    s = unicodedata.normalize("NFKD", re.sub(r"\\[a-zA-Z]+|[{}\\'\"`^~]", "", s))
    return re.sub(r"[^a-z0-9]", "", s.encode("ascii", "ignore").decode().lower())


def split_names(names: str) -> list[str]:
    """Split a BibTeX name list on ' and ' outside braces ({Council and Parliament} stays one name)."""
    out, depth, start = [], 0, 0
    for m in re.finditer(r"[{}]|\s+and\s+", names):
        tok = m.group(0)
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
        elif depth == 0:
            out.append(names[start : m.start()].strip())
            start = m.end()
    out.append(names[start:].strip())
    return [n for n in out if n]


def is_corporate(entry: Entry) -> bool:
    names = entry.get("author") or entry.get("editor")
    if not names:
        return bool(entry.get("organization"))
    first = split_names(names)[0]
    return first.startswith("{") and first.endswith("}")


def first_surname(entry: Entry) -> str:
    """The folded surname of the first author (or the organization) for the key rule.
    A corporate author in braces counts as one name, without a leading 'The'."""
    names = entry.get("author") or entry.get("editor")
    if names:
        first = split_names(names)[0]
        if first.startswith("{") and first.endswith("}"):
            return re.sub(r"^the", "", fold(first))
        if "," in first:
            return fold(first.split(",")[0])
        return fold(first.split()[-1])
    return re.sub(r"^the", "", fold(entry.get("organization")))


def load(path: Path = BIB) -> dict[str, Entry]:
    """Entries by exact key (raises BibSyntaxError on a broken file)."""
    return {e.key: e for e in parse(path.read_text(encoding="utf-8"))}


def entries_from_pybtex(bib_data) -> dict[str, Entry]:
    """The build's already-parsed bibliography (pybtex) as scripts.sources.bibtex entries, without parsing again."""
    out = {}
    for key, e in bib_data.entries.items():
        fields = {name.lower(): str(value) for name, value in e.fields.items()}
        for role, people in e.persons.items():
            fields[role.lower()] = " and ".join(str(person) for person in people)
        out[key] = Entry(type=e.type, key=key, line=0, fields=fields)
    return out


def ref_anchor(key: str) -> str:
    """The id of an entry on the References page (links from the chapters use it)."""
    return f"ref-{key}"
