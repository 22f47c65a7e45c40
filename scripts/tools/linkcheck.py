"""The weekly external-link check: every http(s) link in docs/ and references.bib still answers.

Links are collected from the Markdown and HTML links and images of docs/**/*.md outside code
(and of files those pages include with `--8<--`), and from the `url`, `doi` and `eprint` fields of
references.bib. Each distinct URL is requested once: HEAD first, GET when HEAD is refused, with
redirects followed, a timeout, retries with exponential backoff on 429, 5xx and network errors,
and at most two requests at once per host. The Markdown report lists every failure with the
file:line of each place the URL appears.

Classes: ok (2xx), redirected (2xx after a permanent 301/308 redirect: update the link; not a
failure), broken (4xx, unknown host, TLS or redirect failures), rate-limited (still 429 after the
retries: not a failure), error (timeouts, 5xx and connection errors after the retries) and skipped
(listed in the allow-list, scripts/linkcheck-allow.txt). Exit status 1 when a link is broken or
error, 2 when the inputs cannot be read, else 0.

Usage: python -m scripts.tools.linkcheck [--docs DIR] [--bib FILE] [--allow FILE] [--workers N]
                                   [--timeout S] [--retries N] [--report FILE]
"""

from __future__ import annotations

import argparse
import errno
import html
import http.client
import http.cookiejar
import re
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit, urlunsplit

from scripts.sources import bibtex as bibmod
from scripts.sources.markdown import mask_code
from scripts.sources.project import BIB, DOCS, ROOT, Problem, line_of, rel
from scripts.tools.net import retry_after as parse_retry_after

ALLOW = ROOT / "scripts" / "linkcheck-allow.txt"
USER_AGENT = "mllm-guide-linkcheck/1.0 (+https://github.com/ChiaXinLiang/MLLM-book)"
MAX_REDIRECTS = 10

OK, REDIRECTED, BROKEN, RATE_LIMITED, ERROR, SKIPPED = "ok", "redirected", "broken", "rate-limited", "error", "skipped"
CLASSES = (OK, REDIRECTED, BROKEN, ERROR, RATE_LIMITED, SKIPPED)
FAILURES = frozenset({BROKEN, ERROR})

_HTTP_URL = re.compile(r"^https?://", re.I)
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+)>", re.I)
_BIB_ESCAPE = re.compile(r"\\([_%&#$~])")
_HEAD_REFUSED = {403, 405, 501}
_DNS_TRANSIENT = {getattr(socket, n) for n in ("EAI_AGAIN", "EAI_SYSTEM") if hasattr(socket, n)}
_PERMANENT = {301, 308}
_REDIRECT = {301, 302, 303, 307, 308}
_BLOCK_HINT = "the host may refuse automated checks: if it opens in a browser, list it in the allow-list with a reason"

Sources = dict[str, list[tuple[str, int]]]


# ---------------------------------------------------------------- collecting links


def _add(sources: Sources, url: str, where: tuple[str, int]) -> None:
    places = sources.setdefault(url, [])
    if where not in places:
        places.append(where)


def _markdown_links(text: str):
    """(offset, url) of every external http(s) link or image in Markdown text, outside code."""
    from scripts.sources.markdown import links  # local import: it needs the build's Markdown packages

    for offset, _, _, target in links(text):
        target = html.unescape(target.strip())
        if _HTTP_URL.match(target):
            yield offset, target
    for m in _AUTOLINK.finditer(mask_code(text)):
        yield m.start(), html.unescape(m.group(1))


def _snippet_files(text: str, base: Path) -> list[Path]:
    from scripts.sources.markdown import SNIPPET_RE

    masked = mask_code(text)  # an include written inside a code block is an example, not an include
    return [base / m.group("file") for m in SNIPPET_RE.finditer(masked) if (base / m.group("file")).is_file()]


def _bib_url(value: str) -> str:
    return _BIB_ESCAPE.sub(r"\1", value).replace("{", "").replace("}", "").strip()


def collect(docs: Path = DOCS, bib: Path | None = BIB) -> Sources:
    """Every external URL with the (file, line) of each place it appears, in the order first seen.

    Pages are read outside code; files they include with `--8<-- "FILE"` (paths relative to the
    project root, the folder holding docs/) are read too, under their own name. From the
    bibliography: `url`, `doi` (as https://doi.org/DOI) and arXiv `eprint` (as https://arxiv.org/abs/ID).
    Raises bib.BibSyntaxError when the bibliography does not parse.
    """
    sources: Sources = {}
    seen: set[Path] = set()

    def scan(path: Path) -> None:
        if path.resolve() in seen:
            return
        seen.add(path.resolve())
        text = path.read_text(encoding="utf-8")
        for offset, url in _markdown_links(text):
            _add(sources, url, (rel(path), line_of(text, offset)))
        for included in _snippet_files(text, docs.parent):
            scan(included)

    from scripts.sources.markdown import doc_pages  # local import: it needs the build's Markdown packages

    for path in doc_pages(docs):
        scan(path)
    if bib is not None and bib.is_file():
        name = rel(bib)
        for entry in bibmod.parse(bib.read_text(encoding="utf-8")):
            lines = entry.field_lines
            url, doi, eprint = _bib_url(entry.get("url")), entry.get("doi"), entry.get("eprint")
            if url:
                _add(sources, url, (name, lines.get("url", entry.line)))
            if doi:
                doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)
                _add(sources, f"https://doi.org/{doi}", (name, lines.get("doi", entry.line)))
            if eprint and entry.get("archiveprefix").lower() in ("", "arxiv"):
                _add(sources, f"https://arxiv.org/abs/{eprint}", (name, lines.get("eprint", entry.line)))
    return sources


# ---------------------------------------------------------------- the allow-list


@dataclass(frozen=True)
class AllowRule:
    """One allow-list entry: a URL prefix, or (regex=True) a regular expression searched in the URL."""

    pattern: str
    regex: bool = False

    def matches(self, url: str) -> bool:
        return bool(re.search(self.pattern, url)) if self.regex else url.startswith(self.pattern)


def parse_allow(text: str, name: str = "linkcheck-allow.txt") -> tuple[list[AllowRule], list[Problem]]:
    """Rules from allow-list text; a comment starts a line or follows whitespace ('URL  # reason')."""
    rules: list[AllowRule] = []
    problems: list[Problem] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        if line.startswith("re:"):
            pattern = line[3:].strip()
            try:
                re.compile(pattern)
            except re.error as exc:
                problems.append(Problem(name, n, f"invalid regular expression '{pattern}': {exc}"))
                continue
            rules.append(AllowRule(pattern, regex=True))
        else:
            rules.append(AllowRule(line))
    return rules, problems


def load_allow(path: Path = ALLOW) -> tuple[list[AllowRule], list[Problem]]:
    """The allow-list file's rules (none when the file does not exist) and its problems."""
    if not path.is_file():
        return [], []
    return parse_allow(path.read_text(encoding="utf-8"), rel(path))


def allowed(url: str, rules: Sequence[AllowRule]) -> bool:
    return any(rule.matches(url) for rule in rules)


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class Result:
    """The verdict on one URL. `new_url` is where a permanent redirect leads (class redirected)."""

    url: str
    status: str
    code: int | None = None
    reason: str = ""
    new_url: str | None = None
    attempts: int = 0

    @property
    def failed(self) -> bool:
        return self.status in FAILURES


@dataclass(frozen=True)
class _Outcome:
    """One attempt at a URL: its would-be class, and whether trying again may change it."""

    status: str
    code: int | None = None
    reason: str = ""
    new_url: str | None = None
    retry_after: float | None = None
    transient: bool = False


class _HostGate:
    """At most `limit` requests at once to each host."""

    def __init__(self, limit: int):
        self.limit = max(1, limit)
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}

    def __call__(self, url: str) -> threading.BoundedSemaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._hosts.setdefault(host, threading.BoundedSemaphore(self.limit))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back to the caller, which follows them itself to see each hop's code."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _to_uri(url: str) -> str:
    """A URL safe for the request line: IDNA host, percent-encoded path and query, no fragment."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":") if hostport.count(":") == 1 else (hostport, "", "")
        netloc = userinfo + at + host.encode("idna").decode("ascii") + colon + port
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _reason(code: int) -> str:
    try:
        return f"{code} {http.client.responses[code]}"
    except KeyError:
        return f"status {code}"


def _network_outcome(exc: BaseException) -> _Outcome:
    """Classify an exception raised while connecting or reading the answer."""
    if isinstance(exc, urllib.error.URLError):
        if not isinstance(exc.reason, BaseException):  # urllib's own refusal: no host, unknown scheme
            return _Outcome(BROKEN, reason=f"invalid URL: {exc.reason}")
        exc = exc.reason
    if isinstance(exc, TimeoutError):  # socket.timeout is the same class
        return _Outcome(ERROR, reason="timed out", transient=True)
    if isinstance(exc, socket.gaierror):
        if exc.errno in _DNS_TRANSIENT:
            return _Outcome(ERROR, reason=f"DNS lookup failed for now ({exc.strerror or exc})", transient=True)
        return _Outcome(BROKEN, reason=f"DNS failure: the host name does not resolve ({exc.strerror or exc})")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _Outcome(BROKEN, reason=f"TLS certificate rejected: {exc.verify_message or exc}")
    if isinstance(exc, (http.client.InvalidURL, ValueError, UnicodeError)):
        return _Outcome(BROKEN, reason=f"invalid URL: {exc}")
    if isinstance(exc, (OSError, http.client.HTTPException)):
        what = errno.errorcode.get(exc.errno, "") if isinstance(exc, OSError) and exc.errno else ""
        detail = str(exc) or what or type(exc).__name__
        return _Outcome(ERROR, reason=f"connection failed: {detail}", transient=True)
    raise exc


def _request(opener, url: str, method: str, timeout: float, gate: _HostGate) -> tuple[int, http.client.HTTPMessage]:
    """One request, no redirects followed: (status code, headers). Network errors propagate."""
    req = urllib.request.Request(_to_uri(url), method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    with gate(url):
        try:
            with opener.open(req, timeout=timeout) as resp:
                return resp.status, resp.headers
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code, exc.headers


def _fetch(url: str, method: str, timeout: float, gate: _HostGate) -> _Outcome:
    """Request the URL and follow its redirects. `new_url` is set when the chain starts with
    permanent redirects (301/308): it is where the last of them leads."""
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    current, new_url, permanent_run = url, None, True
    try:
        for _ in range(MAX_REDIRECTS + 1):
            code, headers = _request(opener, current, method, timeout, gate)
            location = headers.get("Location") if code in _REDIRECT else None
            if location:
                current = urljoin(current, location.strip())
                if code in _PERMANENT and permanent_run:
                    new_url = current
                else:
                    permanent_run = False
                continue
            break
        else:
            return _Outcome(BROKEN, reason=f"more than {MAX_REDIRECTS} redirects (a redirect loop)")
    except Exception as exc:  # noqa: BLE001 - _network_outcome re-raises what it does not know
        return _network_outcome(exc)
    after = f" (redirected to {current})" if current != url else ""
    if 200 <= code < 300:
        return _Outcome(REDIRECTED if new_url else OK, code, _reason(code), new_url)
    retry_after = parse_retry_after(headers.get("Retry-After"))
    if code == 429:
        return _Outcome(RATE_LIMITED, code, _reason(code) + after, retry_after=retry_after, transient=True)
    if 500 <= code < 600:
        return _Outcome(ERROR, code, _reason(code) + after, retry_after=retry_after, transient=True)
    hint = f"; {_BLOCK_HINT}" if code in (401, 403) or code >= 600 else ""
    return _Outcome(BROKEN, code, _reason(code) + after + hint)


def _probe(url: str, timeout: float, gate: _HostGate) -> _Outcome:
    """HEAD, then GET when the server refuses HEAD (403, 405, 501)."""
    outcome = _fetch(url, "HEAD", timeout, gate)
    if outcome.code in _HEAD_REFUSED:
        outcome = _fetch(url, "GET", timeout, gate)
    return outcome


def check_url(
    url: str,
    *,
    timeout: float = 10.0,
    retries: int = 2,
    backoff: float = 1.0,
    max_retry_after: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
    gate: _HostGate | None = None,
) -> Result:
    """Check one URL. A 429, 5xx, timeout or connection error is tried up to `retries` more times,
    waiting backoff * 2**(n-1) seconds before retry n, or the server's Retry-After (capped at
    max_retry_after) when it sends one."""
    gate = gate or _HostGate(2)
    attempts = 0
    while True:
        attempts += 1
        outcome = _probe(url, timeout, gate)
        if not outcome.transient or attempts > retries:
            break
        delay = backoff * 2 ** (attempts - 1)
        if outcome.retry_after is not None:
            delay = min(outcome.retry_after, max_retry_after)
        sleep(delay)
    reason = outcome.reason
    if outcome.transient and attempts > 1:
        reason += f" (after {attempts} attempts)"
    return Result(url, outcome.status, outcome.code, reason, outcome.new_url, attempts)


def check_urls(
    urls: Iterable[str],
    *,
    allow: Sequence[AllowRule] = (),
    workers: int = 8,
    timeout: float = 10.0,
    retries: int = 2,
    per_host: int = 2,
    backoff: float = 1.0,
    max_retry_after: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Result]:
    """Check each distinct URL once, in parallel; results in the order of `urls`.

    URLs that differ only in their #fragment share one request. Allow-listed URLs are skipped
    without a request.
    """
    urls = list(dict.fromkeys(urls))
    gate = _HostGate(per_host)
    targets = list(dict.fromkeys(urldefrag(u).url for u in urls if not allowed(u, allow)))

    def one(target: str) -> Result:
        return check_url(
            target, timeout=timeout, retries=retries, backoff=backoff, max_retry_after=max_retry_after, sleep=sleep, gate=gate
        )

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        by_target = dict(zip(targets, pool.map(one, targets), strict=True))
    results = []
    for url in urls:
        if allowed(url, allow):
            results.append(Result(url, SKIPPED, reason="in the allow-list"))
            continue
        res = by_target[urldefrag(url).url]
        fragment = urldefrag(url).fragment
        if res.new_url and fragment and not urldefrag(res.new_url).fragment:
            res = replace(res, new_url=f"{res.new_url}#{fragment}")
        results.append(replace(res, url=url))
    return results


# ---------------------------------------------------------------- the report

_SECTIONS = (
    (BROKEN, "Broken", "These links fail: fix or replace them (a 403 may be a host that blocks checks: see the allow-list)."),
    (ERROR, "Error", "No answer after the retries (timeouts, server errors): try them by hand; they may be temporary."),
    (RATE_LIMITED, "Rate-limited", "The host refused to answer (429); not counted as a failure."),
    (REDIRECTED, "Redirected", "Permanently moved: update the source to the new URL."),
)


def _md_url(url: str) -> str:
    """A URL as a Markdown autolink, so '_' or '*' in it is never read as emphasis."""
    return f"<{url}>" if not re.search(r"[\s<>]", url) else f"`{url}`"


def summary(results: Sequence[Result]) -> str:
    counts = {c: sum(r.status == c for r in results) for c in CLASSES}
    return f"{len(results)} external link(s) checked: " + ", ".join(f"{counts[c]} {c}" for c in CLASSES)


def render_report(results: Sequence[Result], sources: Sources) -> str:
    """The Markdown report: a summary line with the count of each class, then one section each
    for broken, error, rate-limited and redirected links with every file:line that uses them."""
    failures = sum(r.failed for r in results)
    verdict = f"**{failures} failure(s)**: broken or error links below." if failures else "No broken links."
    lines = ["# External link check", "", summary(results) + ".", "", verdict]
    for status, title, note in _SECTIONS:
        group = sorted((r for r in results if r.status == status), key=lambda r: r.url)
        if not group:
            continue
        lines += ["", f"## {title} ({len(group)})", "", note, ""]
        for r in group:
            what = f"moved permanently to {_md_url(r.new_url or '')}" if status == REDIRECTED else r.reason
            lines.append(f"- {_md_url(r.url)}: {what}")
            for path, line in sources.get(r.url, []):
                lines.append(f"  - {path}:{line}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=Path, default=DOCS, help="the Markdown folder (default: docs/)")
    ap.add_argument("--bib", type=Path, default=BIB, help="the bibliography (default: references.bib)")
    ap.add_argument("--allow", type=Path, default=ALLOW, help="the allow-list (default: scripts/linkcheck-allow.txt)")
    ap.add_argument("--workers", type=int, default=8, help="URLs checked at once (default: 8)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default: 10)")
    ap.add_argument("--retries", type=int, default=2, help="extra attempts on 429, 5xx and network errors (default: 2)")
    ap.add_argument("--report", type=Path, help="also write the Markdown report to this file")
    args = ap.parse_args(argv)
    if args.allow != ALLOW and not args.allow.is_file():
        ap.error(f"allow-list {args.allow} does not exist")
    rules, problems = load_allow(args.allow)
    try:
        sources = collect(args.docs, args.bib)
    except bibmod.BibSyntaxError as exc:
        problems.append(Problem(rel(args.bib), exc.line, f"syntax error: {exc.message}; run 'make check'"))
    if problems:
        for p in problems:
            print(p)
        print("linkcheck: cannot run until these are fixed")
        return 2
    results = check_urls(sources, allow=rules, workers=args.workers, timeout=args.timeout, retries=max(0, args.retries))
    text = render_report(results, sources)
    print(text, end="")
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    return 1 if any(r.failed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
