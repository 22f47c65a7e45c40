"""references.bib: every rule an entry must pass.

The build's BibTeX library (pybtex, through mkdocs-bibtex) crashes without a line number on a
duplicate key and on an entry missing a field its style needs, so these rules find those first
and say where they are.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib.metadata import version
from pathlib import Path

from scripts.sources import atlas
from scripts.sources.bibtex import BibSyntaxError, Entry, first_surname, fold, is_corporate, parse
from scripts.sources.markdown import iter_citations
from scripts.sources.project import BIB, DOCS, ROOT, Problem, cache_dir, rel

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


def valid_arxiv_id(eprint: str) -> bool:
    """arXiv identifiers: YYMM.NNNN (2007-2014) or YYMM.NNNNN (from 2015), or the old archive/NNNNNNN."""
    m = ARXIV_NEW.match(eprint)
    if m:
        yymm, number = eprint.split(".")
        month_ok = 1 <= int(yymm[2:]) <= 12 and int(yymm[:2]) >= 7
        digits = len(number.split("v")[0])
        return month_ok and digits == (5 if int(yymm) >= 1501 else 4)
    return bool(ARXIV_OLD.match(eprint))


_WORD = re.compile(r"[A-Za-z0-9][\w'-]*")


def unprotected_capitals(title: str) -> list[str]:
    """Title words outside braces whose case sentence-casing would change wrongly: a capital after
    the word's first letter that does not start a hyphenated part (MultiModal, 5B), or a title that
    starts in lower case (nocaps)."""
    depth, outside = 0, []
    for ch in title or "":
        if ch in "{}":
            depth += 1 if ch == "{" else -1
            outside.append(" ")
        else:
            outside.append(ch if depth == 0 else "_")
    text = "".join(outside)
    words = [w for w in _WORD.findall(text) if re.search(r"(?<![-\s])[A-Z]", w[1:]) or (w[0].isdigit() and re.search("[A-Z]", w))]
    first = re.match(r"\s*([a-z][\w-]*)", text)
    return ([first.group(1)] if first else []) + words


def cited_keys(docs: Path = DOCS, base: Path = ROOT) -> set[str]:
    """Keys cited in the pages, and keys the Atlas data cites (its pages link every source)."""
    keys = {c.key for c in iter_citations(docs, base)}
    try:
        keys |= atlas.load(base / "data").bib_keys()
    except atlas.AtlasSyntaxError:
        pass  # the Atlas check reports the broken file
    return keys


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
        for word in unprotected_capitals(e.get("title")):
            problems.append(
                Problem(
                    path,
                    e.field_lines.get("title", e.line),
                    f"entry '{e.key}': title word '{word}' would lose its case (titles are set in sentence case): brace-protect it, e.g. {{{word}}}",
                )
            )
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
                Problem(
                    path,
                    e.line,
                    f"entry '{e.key}' is cited nowhere in docs/ or data/: cite it where its claim is made, or remove it",
                )
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
    known_good = _FormatCache()
    for key, entry in data.entries.items():
        digest = known_good.digest(entry)
        if digest in known_good:
            continue
        try:
            style.format_entry("", entry)
            known_good.add(digest)
        except Exception as exc:
            problems.append(
                Problem(
                    path,
                    lines.get(key, 1),
                    f"entry '{key}' cannot be formatted by the build's style ({exc}); add the missing field",
                )
            )
    known_good.save()
    return problems


_PYBTEX = version("pybtex")


class _FormatCache:
    """Digests of entries that the build's style formatted without error (formatting every entry
    takes seconds; an unchanged entry need not be formatted again). Kept in the build's cache
    folder, keyed by the entry's content and pybtex's version."""

    def __init__(self):
        self.path = cache_dir(ROOT) / "bib-format-ok.json"
        try:
            self.good = set(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            self.good = set()
        self.changed = False

    @staticmethod
    def digest(entry) -> str:
        fields = sorted((k.lower(), str(v)) for k, v in entry.fields.items())
        persons = sorted((role, [str(p) for p in people]) for role, people in entry.persons.items())
        return hashlib.sha256(json.dumps([_PYBTEX, entry.type, fields, persons]).encode()).hexdigest()

    def __contains__(self, digest: str) -> bool:
        return digest in self.good

    def add(self, digest: str) -> None:
        self.good.add(digest)
        self.changed = True

    def save(self) -> None:
        if self.changed:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.write_text(json.dumps(sorted(self.good)), encoding="utf-8")
            except OSError:
                pass  # a read-only checkout checks every entry every time


def check(path: Path = BIB, docs: Path = DOCS) -> list[Problem]:
    if not path.is_file():
        return [Problem(rel(path), 1, "references.bib is missing: restore it from git")]
    return check_text(path.read_text(encoding="utf-8"), rel(path), cited_keys(docs, path.parent))
