"""references.bib: a line-aware parser and every rule an entry must pass.

The build's BibTeX library (pybtex, through mkdocs-bibtex) crashes without a line number on a
duplicate key and on an entry missing a field its style needs, so this module finds those first
and says where they are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from scripts.common import BIB, DOCS, Problem, rel

KEY_RE = re.compile(r"^[a-z]+[0-9]{4}[a-z0-9]+$")
ARXIV_NEW = re.compile(r"^[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?$")
ARXIV_OLD = re.compile(r"^[a-z\-]+(\.[A-Z]{2})?/[0-9]{7}(v[0-9]+)?$")
DOI_RE = re.compile(r"^10\.[0-9]{4,9}/\S+$")

# Fields each type needs. These match what pybtex's "plain" style (the one mkdocs-bibtex uses)
# requires, plus the project's own rule that every entry can be found again.
REQUIRED = {
    "article": [("author",), ("title",), ("journal",), ("year",)],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year",)],
    "misc": [("author", "organization"), ("title",), ("year",), ("url", "eprint")],
    "techreport": [("author", "organization"), ("title",), ("institution",), ("year",), ("url", "eprint")],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year",)],
}


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
    """Parse BibTeX text into entries with line numbers; raise BibSyntaxError with the line."""
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


def valid_arxiv_id(eprint: str) -> bool:
    """arXiv identifiers: YYMM.NNNN (2007-2014) or YYMM.NNNNN (from 2015), or the old archive/NNNNNNN."""
    m = ARXIV_NEW.match(eprint)
    if m:
        yymm, number = eprint.split(".")
        month_ok = 1 <= int(yymm[2:]) <= 12 and int(yymm[:2]) >= 7
        digits = len(number.split("v")[0])
        return month_ok and digits == (5 if int(yymm) >= 1501 else 4)
    return bool(ARXIV_OLD.match(eprint))


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


def cited_keys(docs: Path = DOCS) -> set[str]:
    from scripts.mdcheck import iter_citations  # local import: markdown imports this module

    return {c.key for c in iter_citations(docs)}


def check_text(text: str, path: str = "references.bib", cited: set[str] | None = None) -> list[Problem]:
    """Every rule for one bibliography; `cited` (exact-case keys used in docs) enables the unused check."""
    try:
        entries = parse(text)
    except BibSyntaxError as e:
        return [
            Problem(
                path,
                e.line,
                f"syntax error: {e.message}. Fix the entry so it parses; compare with a valid entry in CONTRIBUTING.md",
            )
        ]
    problems: list[Problem] = []
    seen_keys: dict[str, Entry] = {}
    seen_titles: dict[str, Entry] = {}
    seen_ids: dict[str, Entry] = {}
    for e in entries:
        low = e.key.lower()
        if low in seen_keys:
            other = seen_keys[low]
            problems.append(
                Problem(
                    path,
                    e.line,
                    f"duplicate key '{e.key}' (first defined as '{other.key}' at line {other.line}); keys are compared case-insensitively: remove one entry or rename it",
                )
            )
        else:
            seen_keys[low] = e
        if e.type not in REQUIRED:
            problems.append(
                Problem(path, e.line, f"entry '{e.key}' has type @{e.type}; use one of {', '.join('@' + t for t in REQUIRED)}")
            )
            continue
        for alternatives in REQUIRED[e.type]:
            if not any(e.get(f) for f in alternatives):
                need = " or ".join(alternatives)
                problems.append(
                    Problem(
                        path,
                        e.line,
                        f"entry '{e.key}' (@{e.type}) is missing required field '{need}'; add it as the source shows it",
                    )
                )
        # identifier
        eprint, doi, url = e.get("eprint"), e.get("doi"), e.get("url")
        if eprint:
            if not valid_arxiv_id(eprint):
                problems.append(
                    Problem(
                        path,
                        e.field_lines.get("eprint", e.line),
                        f"entry '{e.key}': eprint '{eprint}' is not a valid arXiv ID (like 2103.00020); copy it from the arXiv abstract page",
                    )
                )
            if e.get("archiveprefix").lower() != "arxiv":
                problems.append(
                    Problem(path, e.field_lines.get("eprint", e.line), f"entry '{e.key}': eprint needs archivePrefix = {{arXiv}}")
                )
        if doi and not DOI_RE.match(doi):
            problems.append(
                Problem(
                    path,
                    e.field_lines.get("doi", e.line),
                    f"entry '{e.key}': doi '{doi}' is not a DOI (like 10.1109/CVPR.2016.90); write it without 'https://doi.org/'",
                )
            )
        if url and not url.startswith("https://"):
            problems.append(Problem(path, e.field_lines.get("url", e.line), f"entry '{e.key}': url must start with https://"))
        if not (eprint or doi or url):
            problems.append(
                Problem(
                    path,
                    e.line,
                    f"entry '{e.key}' has no identifier: add eprint (arXiv ID, with archivePrefix = {{arXiv}}), doi, or an https url",
                )
            )
        # key convention
        year = e.get("year")
        if not KEY_RE.match(e.key):
            problems.append(
                Problem(
                    path,
                    e.line,
                    f"key '{e.key}' does not follow firstauthorYEARword in lower-case ASCII (e.g. 'radford2021clip')",
                )
            )
        else:
            key_year = re.search(r"[0-9]{4}", e.key).group(0)
            if year and key_year != year:
                problems.append(
                    Problem(
                        path,
                        e.line,
                        f"key '{e.key}' says {key_year} but the entry's year is {year}; make the key's year match the cited version",
                    )
                )
            surname = first_surname(e)
            lead = re.match(r"[a-z]+", e.key).group(0)
            # A person's surname exactly; a corporate author ({OpenAI}, {Gemini Team}) by a prefix of its name.
            fits = lead == surname or (is_corporate(e) and len(lead) >= 2 and surname.startswith(lead))
            if surname and not fits:
                problems.append(
                    Problem(
                        path,
                        e.line,
                        f"key '{e.key}' should start with the first author's surname '{surname}' (firstauthorYEARword)",
                    )
                )
        if year and not re.fullmatch(r"(19|20)[0-9]{2}", year):
            problems.append(
                Problem(path, e.field_lines.get("year", e.line), f"entry '{e.key}': year '{year}' is not a four-digit year")
            )
        # duplicate works
        title = fold(e.get("title"))
        if title:
            if title in seen_titles:
                o = seen_titles[title]
                problems.append(
                    Problem(
                        path,
                        e.line,
                        f"entry '{e.key}' has the same title as '{o.key}' (line {o.line}): one work, one key; merge them",
                    )
                )
            else:
                seen_titles[title] = e
        for ident in (("arXiv " + eprint.split("v")[0]) if eprint else "", ("doi " + doi.lower()) if doi else ""):
            if not ident:
                continue
            if ident in seen_ids:
                o = seen_ids[ident]
                problems.append(
                    Problem(
                        path,
                        e.line,
                        f"entry '{e.key}' has the same {ident} as '{o.key}' (line {o.line}): one work, one key; merge them",
                    )
                )
            else:
                seen_ids[ident] = e
        if cited is not None and e.key not in cited:
            problems.append(
                Problem(path, e.line, f"entry '{e.key}' is cited nowhere in docs/: cite it where its claim is made, or remove it")
            )
    if not problems:
        problems += _check_formatting(text, path, entries)
    return problems


def _check_formatting(text: str, path: str, entries: list[Entry]) -> list[Problem]:
    """Format every entry exactly as the build will; a failure here would crash the build."""
    from pybtex.database import parse_string
    from pybtex.style.formatting.plain import Style

    try:
        data = parse_string(text, "bibtex")
    except Exception as exc:  # pybtex reports its own syntax view; keep its line when it has one
        line = getattr(exc, "lineno", None) or 1
        return [Problem(path, line, f"pybtex cannot read the file: {exc}")]
    style = Style()
    lines = {e.key: e.line for e in entries}
    problems = []
    for key, entry in data.entries.items():
        try:
            style.format_entry("", entry)
        except Exception as exc:
            problems.append(
                Problem(
                    path,
                    lines.get(key, 1),
                    f"entry '{key}' cannot be formatted by the build's style ({exc}); add the missing field",
                )
            )
    return problems


def load(path: Path = BIB) -> dict[str, Entry]:
    """Entries by exact key (raises BibSyntaxError on a broken file)."""
    return {e.key: e for e in parse(path.read_text(encoding="utf-8"))}


def check(path: Path = BIB, docs: Path = DOCS) -> list[Problem]:
    if not path.is_file():
        return [Problem(rel(path), 1, "references.bib is missing: restore it from git")]
    return check_text(path.read_text(encoding="utf-8"), rel(path), cited_keys(docs))
