"""Add a reference to references.bib from an arXiv ID or a DOI, in the canonical layout.

Usage: python -m scripts.tools.addref ID [--key KEY] [--bib PATH] [--dry-run] [--timeout SECONDS]

ID is a new-style arXiv ID (2103.00020, 2103.00020v3, arXiv:2103.00020, https://arxiv.org/abs/2103.00020)
or a DOI (10.18653/v1/N19-1423, https://doi.org/10.18653/v1/N19-1423). arXiv IDs are looked up in the
arXiv API (Atom), DOIs in Crossref (JSON); the entry is keyed firstauthorYEARword, checked with the rules
of scripts/bib.py and written with scripts/bibfmt.py. The entry is a starting point, not a verified one:
cite it in docs/ and check every field against the source page before committing.

Exit status: 0 added (or shown with --dry-run), 1 not added (not found, network, duplicate, invalid
entry), 2 the ID is neither an arXiv ID nor a DOI. The APIs can be redirected with GUIDE_ARXIV_API and
GUIDE_CROSSREF_API (the tests use a local server).
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path

from scripts.checks.bib import DOI_RE, KEY_RE, check_text, valid_arxiv_id
from scripts.sources.bibtex import BibSyntaxError, Entry, first_surname, fold, parse
from scripts.sources.project import BIB, rel
from scripts.tools.bibfmt import format_entries, format_entry
from scripts.tools.net import retry_after

ARXIV_API = "https://export.arxiv.org"
CROSSREF_API = "https://api.crossref.org"
USER_AGENT = "mllm-guide-addref/1.0 (+https://github.com/ChiaXinLiang/MLLM-book)"
DEFAULT_TIMEOUT = 10.0
ATTEMPTS = 3
BACKOFF = (1.0, 3.0)  # seconds to wait before the 2nd and the 3rd attempt
RETRY_AFTER_CAP = 10.0  # never wait longer than this, whatever Retry-After says
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_BYTES = 5_000_000

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV_NS = "{http://arxiv.org/schemas/atom}"
# arXiv's own DOIs (registered with DataCite, so unknown to Crossref): look the ID up on arXiv instead.
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<id>[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?)$", re.I)
ARXIV_URL = re.compile(r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<id>[^?#]+?)(?:\.pdf)?/?(?:[?#].*)?$", re.I)
DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/(?P<doi>.+)$", re.I)
NAME_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "ter", "ten"}
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
STOPWORDS = {
    "a",
    "an",
    "the",
    "on",
    "of",
    "for",
    "to",
    "in",
    "and",
    "with",
    "towards",
    "toward",
    "via",
    "is",
    "are",
    "at",
    "by",
    "from",
    "as",
    "or",
    "into",
    "onto",
    "over",
    "under",
    "do",
    "does",
    "can",
    "be",
    "we",
    "what",
    "how",
    "when",
    "why",
    "which",
    "not",
    "no",
    "all",
    "your",
    "you",
    "our",
    "its",
    "it",
    "this",
    "that",
}

Sleep = Callable[[float], None]


class AddRefError(Exception):
    """A reason not to add the reference; the message says what to do next."""

    exit_code = 1


class BadId(AddRefError):
    exit_code = 2


class NotFound(AddRefError):
    pass


class AlreadyPresent(AddRefError):
    def __init__(self, key: str, why: str):
        super().__init__(f"already present as '{key}' (same {why}): cite it as [@{key}]; nothing was written")
        self.key = key


# --- identifiers -------------------------------------------------------------------------------------


def parse_id(text: str) -> tuple[str, str]:
    """('arxiv', '2103.00020v2') or ('doi', '10.18653/v1/N19-1423'); BadId for anything else."""
    s = text.strip()
    m = ARXIV_URL.match(s)
    if m:
        s = m.group("id")
    elif s[:6].lower() == "arxiv:":
        s = s[6:].strip()
    if re.fullmatch(r"[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?", s):
        if not valid_arxiv_id(s):
            raise BadId(
                f"'{text}' looks like an arXiv ID but is not a valid one (YYMM.NNNNN from 2015, YYMM.NNNN before): "
                "copy the ID from the arXiv abstract page"
            )
        return "arxiv", s
    m = DOI_URL.match(s)
    if m:
        s = urllib.parse.unquote(m.group("doi"))
    elif s[:4].lower() == "doi:":
        s = s[4:].strip()
    if DOI_RE.match(s):
        a = ARXIV_DOI.match(s)
        if a and valid_arxiv_id(a.group("id")):
            return "arxiv", a.group("id")
        return "doi", s
    raise BadId(
        f"'{text}' is neither a new-style arXiv ID (like 2103.00020 or arXiv:2103.00020v2) nor a DOI "
        "(like 10.18653/v1/N19-1423 or https://doi.org/10.18653/v1/N19-1423): copy it from the abstract page "
        "or the DOI record; old-style arXiv IDs (cs/0112017) must be added by hand"
    )


def strip_version(arxiv_id: str) -> str:
    return re.sub(r"v[0-9]+$", "", arxiv_id)


# --- network -----------------------------------------------------------------------------------------


def http_get(
    url: str,
    source: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    accept: str = "*/*",
    attempts: int = ATTEMPTS,
    sleep: Sleep = time.sleep,
) -> bytes:
    """GET url with the project's User-Agent; retry on 429/5xx, timeouts and connection errors."""
    try:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    except ValueError as e:  # an API address without a scheme, from GUIDE_ARXIV_API or GUIDE_CROSSREF_API
        raise AddRefError(f"cannot ask {source} at '{url}' ({e}): give the API as https://host") from None
    last = ""
    timed_out = False
    for attempt in range(1, attempts + 1):
        delay = BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise AddRefError(f"{source} sent more than {MAX_BYTES} bytes for {url}: check the ID, or add the entry by hand")
            return body
        except urllib.error.HTTPError as e:
            e.close()
            if e.code == 404:
                raise NotFound(
                    f"not found at {source} ({url}, HTTP 404): check the identifier on the work's abstract page or DOI record"
                ) from None
            if e.code not in RETRY_STATUS:
                raise AddRefError(
                    f"{source} answered HTTP {e.code} {e.reason} for {url}: check the identifier; "
                    "if it is right, try again later or add the entry by hand"
                ) from None
            last, timed_out = f"HTTP {e.code} {e.reason}", False
            wait = retry_after(e.headers.get("Retry-After") if e.headers else None)
            if wait is not None:
                delay = min(wait, RETRY_AFTER_CAP)
        except TimeoutError:
            last, timed_out = f"no answer within {timeout:g} s", True
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError):
                last, timed_out = f"no answer within {timeout:g} s", True
            else:
                last, timed_out = f"connection failed: {e.reason}", False
        except (http.client.HTTPException, OSError) as e:
            last, timed_out = f"connection failed: {e}", False
        if attempt < attempts:
            sleep(delay)
    advice = (
        "check your connection, or allow more time with --timeout"
        if timed_out
        else "check your connection, wait a minute and try again"
    )
    raise AddRefError(f"{source} did not answer after {attempts} attempts ({last}) for {url}: {advice}")


def _api(explicit: str | None, env: str, default: str) -> str:
    return (explicit or os.environ.get(env) or default).rstrip("/")


# --- arXiv -------------------------------------------------------------------------------------------


def _text(node: ET.Element | None) -> str:
    return re.sub(r"\s+", " ", node.text or "").strip() if node is not None else ""


def _tex(value: str) -> str:
    """Collapse whitespace and escape the characters BibTeX would misread (%, &); keep braces balanced."""
    value = re.sub(r"\s+", " ", value).strip()
    value = re.sub(r"(?<!\\)([%&])", r"\\\1", value)
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    return value if depth == 0 else value.replace("{", "").replace("}", "")


def bibtex_name(name: str) -> str:
    """'Jong Wook Kim' -> 'Kim, Jong Wook'; 'Ludwig van Beethoven' -> 'van Beethoven, Ludwig'."""
    words = _tex(name).split()
    if len(words) < 2 or "," in name:
        return " ".join(words)
    suffix = words.pop() if words[-1].lower() in NAME_SUFFIXES and len(words) > 2 else ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in NAME_PARTICLES:
        start -= 1
    surname, given = " ".join(words[start:]), " ".join(words[:start])
    return f"{surname}, {suffix}, {given}" if suffix else f"{surname}, {given}"


def entry_from_atom(body: bytes, arxiv_id: str, source: str = "arXiv", notes: list[str] | None = None) -> Entry:
    """An @misc entry from an arXiv API response for one ID."""
    bare = strip_version(arxiv_id)
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise AddRefError(
            f"{source} sent a response that is not valid XML ({e}) for arXiv {bare}: "
            "try again later; if it persists, add the entry by hand from the abstract page"
        ) from None
    if root.tag != ATOM + "feed":
        raise AddRefError(
            f"{source} sent XML that is not an Atom feed for arXiv {bare}: check GUIDE_ARXIV_API, or try again later"
        )
    entries = root.findall(ATOM + "entry")
    if not entries:
        raise NotFound(
            f"arXiv {bare} not found at {source} (the feed has no entry): check the ID on https://arxiv.org/abs/{bare}"
        )
    node = entries[0]
    ident = _text(node.find(ATOM + "id"))
    if "/api/errors" in ident:
        why = _text(node.find(ATOM + "summary")) or "an error entry"
        raise NotFound(f"arXiv {bare} not found at {source} ({why}): check the ID on https://arxiv.org/abs/{bare}")
    got = strip_version(ident.rsplit("/abs/", 1)[-1]) if "/abs/" in ident else ""
    if got != bare:
        raise AddRefError(
            f"{source} answered with '{ident or 'no id'}' instead of arXiv {bare}: "
            "check the ID, or add the entry by hand from the abstract page"
        )
    title = _tex(_text(node.find(ATOM + "title")))
    authors = [bibtex_name(_text(a.find(ATOM + "name"))) for a in node.findall(ATOM + "author")]
    authors = [a for a in authors if a]
    year = _text(node.find(ATOM + "published"))[:4]
    if not (title and authors and re.fullmatch(r"[0-9]{4}", year)):
        raise AddRefError(
            f"the {source} entry for {bare} lacks a title, authors or a date: "
            f"add the entry by hand from https://arxiv.org/abs/{bare}"
        )
    fields = {"author": " and ".join(authors), "title": title, "year": year, "eprint": bare, "archiveprefix": "arXiv"}
    doi = next((d for d in _text(node.find(ARXIV_NS + "doi")).split() if DOI_RE.match(d)), "")
    if doi:
        fields["doi"] = doi
    journal_ref = _text(node.find(ARXIV_NS + "journal_ref"))
    if notes is not None and (journal_ref or doi):
        notes.append(
            f"arXiv lists a published version ({journal_ref or 'doi ' + doi}); if you cite it, change the type to "
            "@inproceedings or @article and add the venue as its own page shows it (nothing was guessed)"
        )
    return Entry(type="misc", key="", line=0, fields=fields)


def fetch_arxiv(
    arxiv_id: str,
    api: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    sleep: Sleep = time.sleep,
    notes: list[str] | None = None,
) -> Entry:
    """Look an arXiv ID up in the arXiv API (GUIDE_ARXIV_API or export.arxiv.org)."""
    bare = strip_version(arxiv_id)
    url = f"{_api(api, 'GUIDE_ARXIV_API', ARXIV_API)}/api/query?id_list={urllib.parse.quote(bare)}"
    body = http_get(url, "arXiv", timeout=timeout, accept="application/atom+xml", sleep=sleep)
    return entry_from_atom(body, bare, "arXiv", notes)


# --- Crossref ----------------------------------------------------------------------------------------


def _markup_free(value: str) -> str:
    """Crossref titles may carry JATS/HTML tags (<i>, <sub>) and entities."""
    return html.unescape(re.sub(r"<[^>]+>", "", value))


def _first(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return _markup_free(str(value)) if isinstance(value, (str, int, float)) else ""


def _issued_year(message: dict) -> str:
    for name in ("issued", "published", "published-print", "published-online"):
        try:
            year = message[name]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(year, int) or (isinstance(year, str) and year.isdigit()):
            return str(year)
    return ""


def _crossref_author(person: object) -> str:
    if not isinstance(person, dict):
        return ""
    if person.get("family"):
        family = _tex(str(person["family"]))
        given = _tex(str(person.get("given") or ""))
        suffix = _tex(str(person.get("suffix") or ""))
        return ", ".join(p for p in (family, suffix, given) if p)
    if person.get("name"):
        return "{" + _tex(str(person["name"])) + "}"
    return ""


def entry_from_crossref(message: dict, doi: str, notes: list[str] | None = None) -> Entry:
    """An @article, @inproceedings or @misc entry from a Crossref work record (its "message")."""
    if str(message.get("DOI") or doi).lower() != doi.lower():
        doi = str(message["DOI"])  # Crossref resolved an alias; keep the requested spelling otherwise
    title = _tex(_first(message.get("title")))
    subtitle = _tex(_first(message.get("subtitle")))
    if subtitle and fold(subtitle) not in fold(title):
        title = f"{title}: {subtitle}"
    container = _tex(_first(message.get("container-title")))
    kind = str(message.get("type", ""))
    fields: dict[str, str] = {}
    authors = [a for a in map(_crossref_author, message.get("author") or []) if a]
    if authors:
        fields["author"] = " and ".join(authors)
    fields["title"] = title
    if kind == "journal-article" and container:
        etype, fields["journal"] = "article", container
    elif kind == "proceedings-article" and container:
        etype, fields["booktitle"] = "inproceedings", container
    else:
        etype = "misc"
        if notes is not None and kind in ("journal-article", "proceedings-article"):
            notes.append(
                f"Crossref gives no venue for this {kind}, so it was added as @misc: add the venue if its page shows one"
            )
    for name, value in (("volume", _first(message.get("volume"))), ("pages", _first(message.get("page")))):
        if value:
            fields[name] = _tex(re.sub(r"\s*[-\u2013\u2014]+\s*", "--", value) if name == "pages" else value)
    publisher = _tex(_first(message.get("publisher")))
    if publisher:
        fields["publisher"] = publisher
    fields["year"] = _issued_year(message)
    fields["doi"] = doi
    if etype == "misc":
        fields["url"] = f"https://doi.org/{doi}"
    if not (title and fields["year"]):
        raise AddRefError(
            f"the Crossref record for {doi} lacks a title or a year: add the entry by hand from https://doi.org/{doi}"
        )
    return Entry(type=etype, key="", line=0, fields=fields)


def fetch_crossref(
    doi: str, api: str | None = None, timeout: float = DEFAULT_TIMEOUT, sleep: Sleep = time.sleep, notes: list[str] | None = None
) -> Entry:
    """Look a DOI up in Crossref (GUIDE_CROSSREF_API or api.crossref.org)."""
    url = f"{_api(api, 'GUIDE_CROSSREF_API', CROSSREF_API)}/works/{urllib.parse.quote(doi, safe='/')}"
    body = http_get(url, "Crossref", timeout=timeout, accept="application/json", sleep=sleep)
    try:
        data = json.loads(body)
    except ValueError as e:
        raise AddRefError(
            f"Crossref sent a response that is not valid JSON ({e}) for {doi}: "
            f"try again later; if it persists, add the entry by hand from https://doi.org/{doi}"
        ) from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise AddRefError(f"Crossref sent JSON without a work record for {doi}: check GUIDE_CROSSREF_API, or try again later")
    if str(message.get("DOI", doi)).lower() != doi.lower():
        notes = notes if notes is not None else []
        notes.append(f"Crossref resolved {doi} to {message['DOI']}; the entry uses {message['DOI']}")
    return entry_from_crossref(message, doi, notes)


def fetch(identifier: str, timeout: float = DEFAULT_TIMEOUT, sleep: Sleep = time.sleep, notes: list[str] | None = None) -> Entry:
    """An entry for an arXiv ID or a DOI in any accepted form (BadId for anything else)."""
    kind, ident = parse_id(identifier)
    if kind == "arxiv":
        return fetch_arxiv(ident, timeout=timeout, sleep=sleep, notes=notes)
    return fetch_crossref(ident, timeout=timeout, sleep=sleep, notes=notes)


# --- key, duplicates, writing ------------------------------------------------------------------------


def title_word(title: str) -> str:
    """The first title word that is not a stopword, folded to lower-case ASCII letters and digits."""
    for word in re.split(r"[\s\-\u2010-\u2015/:;,.!?()\[\]]+", title):
        folded = fold(word)
        if folded and folded not in STOPWORDS:
            return folded
    return ""


def make_key(entry: Entry, existing_keys: Iterable[str]) -> str:
    """firstauthorsurnameYEARword, with b, c, ... appended when another work already has that key."""
    taken = {k.lower() for k in existing_keys}
    base = f"{first_surname(entry)}{entry.get('year')}{title_word(entry.get('title'))}"
    if not KEY_RE.match(base):
        raise AddRefError(
            f"cannot make a key firstauthorYEARword from this entry (got '{base}'): pass one with --key, "
            "for example --key radford2021clip"
        )
    if base not in taken:
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    raise AddRefError(f"every key from '{base}' to '{base}z' is taken: pass one with --key")


def find_duplicate(entry: Entry, entries: Iterable[Entry]) -> AlreadyPresent | None:
    """The existing entry for the same work (same arXiv ID, DOI or title, compared as scripts/bib.py does)."""
    eprint = strip_version(entry.get("eprint"))
    doi = entry.get("doi").lower()
    title = fold(entry.get("title"))
    for other in entries:
        if eprint and strip_version(other.get("eprint")) == eprint:
            return AlreadyPresent(other.key, f"arXiv {eprint}")
        if doi and other.get("doi").lower() == doi:
            return AlreadyPresent(other.key, f"doi {other.get('doi')}")
        if title and fold(other.get("title")) == title:
            return AlreadyPresent(other.key, "title")
    return None


def _problems_with(entry: Entry, text: str, path: str) -> list[str]:
    """scripts.checks.bib's rules on the new entry alone and within the whole file (duplicates)."""
    alone = check_text(format_entry(entry) + "\n", path, cited=None)
    marker = f"'{entry.key}'"
    together = [p for p in check_text(text, path, cited=None) if marker in p.message]
    return sorted({p.message for p in alone + together})


def read_bib(bib_path: Path) -> list[Entry]:
    try:
        return parse(bib_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AddRefError(f"{rel(bib_path)} does not exist: pass the bibliography with --bib") from None
    except BibSyntaxError as e:
        raise AddRefError(
            f"{rel(bib_path)}:{e.line}: {e.message}; fix the file first (make check says how), then run addref again"
        ) from None


def add(entry: Entry, bib_path: Path = BIB, dry_run: bool = False) -> str:
    """Add entry (keyed by make_key when its key is empty) to bib_path, rewriting the file canonically.
    Returns the formatted entry; raises AddRefError (AlreadyPresent for a duplicate) and writes nothing then."""
    shown = rel(bib_path)
    entries = read_bib(bib_path)
    duplicate = find_duplicate(entry, entries)
    if duplicate:
        raise duplicate
    taken = {e.key.lower(): e.key for e in entries}
    if not entry.key:
        entry.key = make_key(entry, taken)
    elif entry.key.lower() in taken:
        free = _next_free(entry.key, taken)
        raise AddRefError(
            f"key '{entry.key}' is already used by another work ('{taken[entry.key.lower()]}'): "
            f"choose another --key{f', such as {free}' if free else ''}"
        )
    text = format_entries([*entries, entry])
    problems = _problems_with(entry, text, shown)
    if problems:
        raise AddRefError(
            f"the new entry '{entry.key}' breaks the rules of scripts/bib.py: "
            + "; ".join(problems)
            + ". Fix it with --key, or add the entry by hand"
        )
    formatted = format_entry(entry)
    if not dry_run:
        _write_atomically(bib_path, text)
    return formatted


def _next_free(key: str, taken: dict[str, str]) -> str:
    return next((key + c for c in "bcdefghijklmnopqrstuvwxyz" if (key + c).lower() not in taken), "")


def _write_atomically(path: Path, text: str) -> None:
    path = path.resolve()  # through a symlink, to the file itself
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, mode)  # mkstemp makes the file private; keep the bibliography's own permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- command line ------------------------------------------------------------------------------------


def _timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 300:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds between 0 and 300")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m scripts.tools.addref",
        description="Add a reference to references.bib from an arXiv ID or a DOI (looked up in the arXiv API or Crossref).",
        epilog="Then cite the entry in docs/ and verify every field against the source page.",
    )
    ap.add_argument(
        "id", metavar="ID", help="arXiv ID (2103.00020, arXiv:2103.00020v2, arxiv.org/abs/ URL) or DOI (10.xxxx/..., doi.org URL)"
    )
    ap.add_argument("--key", help="citation key to use instead of the generated firstauthorYEARword")
    ap.add_argument("--bib", type=Path, default=BIB, metavar="PATH", help="bibliography to add to (default: references.bib)")
    ap.add_argument("--dry-run", action="store_true", help="print the entry and write nothing")
    ap.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds to wait for each request (default: {DEFAULT_TIMEOUT:g})",
    )
    return ap


def main(argv: list[str] | None = None, sleep: Sleep = time.sleep) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    notes: list[str] = []
    try:
        kind, ident = parse_id(args.id)
        known = Entry("misc", "", 0, {"eprint": ident} if kind == "arxiv" else {"doi": ident})
        duplicate = find_duplicate(known, read_bib(args.bib))  # before asking the network
        if duplicate:
            raise duplicate
        fetcher = fetch_arxiv if kind == "arxiv" else fetch_crossref
        entry = fetcher(ident, timeout=args.timeout, sleep=sleep, notes=notes)
        if args.key:
            entry.key = args.key
        formatted = add(entry, args.bib, dry_run=args.dry_run)
    except AddRefError as e:
        if e.exit_code == 2:
            ap.print_usage(sys.stderr)
        print(f"addref: {e}", file=sys.stderr)
        return e.exit_code
    source = f"https://arxiv.org/abs/{strip_version(ident)}" if kind == "arxiv" else f"https://doi.org/{entry.get('doi')}"
    print(formatted)
    print()
    for note in notes:
        print(f"note: {note}")
    if args.dry_run:
        print(f"dry run: nothing was written to {rel(args.bib)}")
        return 0
    print(f"added '{entry.key}' to {rel(args.bib)}. Next:")
    print(f'  1. cite it in docs/ as [@{entry.key}] where its claim is made; otherwise `make check` fails with "cited nowhere"')
    print(f"  2. verify every field against {source} (title, authors in order, year, venue) before committing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
