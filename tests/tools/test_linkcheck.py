"""scripts/linkcheck.py against a local HTTP server on 127.0.0.1: never the internet.

Each path of the server answers one way (200, redirects, 404, HEAD refused, 429, 500, a hang); a
fresh server per test keeps the per-path counters independent. Sleeps are injected, so retries
and Retry-After are checked without waiting.
"""

from __future__ import annotations

import socket
import textwrap
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from scripts.tools import linkcheck
from scripts.tools.linkcheck import BROKEN, ERROR, OK, RATE_LIMITED, REDIRECTED, SKIPPED, Result

HANG_SECONDS = 2.0
CLIENT_TIMEOUT = 0.3


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def do_HEAD(self):
        self._answer()

    def do_GET(self):
        self._answer()

    def _send(self, code: int, headers: dict[str, str] | None = None) -> None:
        body = b"" if self.command == "HEAD" else f"{code}\n".encode()
        try:
            self.send_response(code)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)
        except OSError:  # the client gave up (the hang path): nothing to answer
            pass

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        srv = self.server
        with srv.lock:
            srv.hits[path] += 1
            srv.methods.append((self.command, path))
            hits = srv.hits[path]
        after = query.get("after", ["0"])[0]
        if path == "/ok":
            self._send(200)
        elif path == "/moved":
            self._send(301, {"Location": "/ok"})
        elif path == "/moved308":
            self._send(308, {"Location": "/ok"})
        elif path == "/found":
            self._send(302, {"Location": "/ok"})
        elif path == "/moved-then-found":
            self._send(301, {"Location": "/found"})
        elif path == "/moved-to-missing":
            self._send(301, {"Location": "/missing"})
        elif path == "/loop":
            self._send(301, {"Location": "/loop"})
        elif path == "/missing":
            self._send(404)
        elif path == "/gone":
            self._send(410)
        elif path == "/forbidden":
            self._send(403)
        elif path == "/nohead":
            self._send(405 if self.command == "HEAD" else 200)
        elif path == "/flaky" and hits == 1:
            self._send(429, {"Retry-After": after})
        elif path == "/flaky":
            self._send(200)
        elif path == "/limited":
            self._send(429, {"Retry-After": after})
        elif path == "/fail":
            self._send(500)
        elif path == "/hang":
            time.sleep(HANG_SECONDS)
            self._send(200)
        elif path == "/slow":
            with srv.lock:
                srv.active += 1
                srv.max_active = max(srv.max_active, srv.active)
            time.sleep(0.15)
            with srv.lock:
                srv.active -= 1
            self._send(200)
        else:
            self._send(404)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.methods: list[tuple[str, str]] = []
        self.active = 0
        self.max_active = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """Requests to 127.0.0.1 must never go through a proxy from the environment."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture
def server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=2)


class Sleeps(list):
    """An injected sleep that records the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def check(url: str, **kw) -> Result:
    kw.setdefault("timeout", CLIENT_TIMEOUT)
    kw.setdefault("sleep", Sleeps())
    (result,) = linkcheck.check_urls([url], **kw)
    return result


# ---------------------------------------------------------------- classification


def test_ok(server):
    r = check(server.url("/ok"))
    assert (r.status, r.code, r.attempts, r.new_url) == (OK, 200, 1, None)
    assert server.methods == [("HEAD", "/ok")]


@pytest.mark.parametrize("path", ["/moved", "/moved308"])
def test_permanent_redirect_reports_the_new_url(server, path):
    r = check(server.url(path))
    assert r.status == REDIRECTED and r.code == 200
    assert r.new_url == server.url("/ok")
    assert not r.failed


def test_temporary_redirect_is_ok(server):
    r = check(server.url("/found"))
    assert r.status == OK and r.new_url is None


def test_only_the_leading_permanent_redirects_count(server):
    r = check(server.url("/moved-then-found"))
    assert r.status == REDIRECTED and r.new_url == server.url("/found")


def test_new_url_keeps_the_fragment(server):
    r = check(server.url("/moved#section"))
    assert r.url == server.url("/moved#section") and r.new_url == server.url("/ok#section")


@pytest.mark.parametrize("path, code", [("/missing", 404), ("/gone", 410), ("/moved-to-missing", 404)])
def test_broken(server, path, code):
    sleeps = Sleeps()
    r = check(server.url(path), sleep=sleeps)
    assert (r.status, r.code, r.attempts) == (BROKEN, code, 1)
    assert r.failed and sleeps == []  # a 4xx is final: no retry


def test_forbidden_tries_get_and_hints_at_the_allow_list(server):
    r = check(server.url("/forbidden"))
    assert r.status == BROKEN and r.code == 403 and "allow-list" in r.reason
    assert server.methods == [("HEAD", "/forbidden"), ("GET", "/forbidden")]


def test_head_refused_falls_back_to_get(server):
    r = check(server.url("/nohead"))
    assert r.status == OK and r.code == 200
    assert server.methods == [("HEAD", "/nohead"), ("GET", "/nohead")]


def test_redirect_loop_is_broken(server):
    r = check(server.url("/loop"))
    assert r.status == BROKEN and "redirect" in r.reason


def test_dns_failure_is_broken(monkeypatch):
    def no_such_host(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    sleeps = Sleeps()
    r = check("https://no-such-host.invalid/page", sleep=sleeps)
    assert r.status == BROKEN and "DNS" in r.reason and r.attempts == 1 and sleeps == []


# ---------------------------------------------------------------- retries


def test_429_once_then_ok_is_retried(server):
    sleeps = Sleeps()
    r = check(server.url("/flaky"), sleep=sleeps, retries=2, backoff=1.0)
    assert (r.status, r.attempts) == (OK, 2)
    assert server.hits["/flaky"] == 2
    assert sleeps == [0.0]  # Retry-After: 0 from the server, not the 1 s backoff


def test_retry_after_is_honoured(server):
    sleeps = Sleeps()
    r = check(server.url("/flaky?after=7"), sleep=sleeps, backoff=1.0)
    assert r.status == OK and sleeps == [7.0]


def test_retry_after_is_capped(server):
    sleeps = Sleeps()
    r = check(server.url("/limited?after=3600"), sleep=sleeps, retries=2, max_retry_after=5.0)
    assert r.status == RATE_LIMITED and sleeps == [5.0, 5.0]


def test_429_always_is_rate_limited_not_a_failure(server):
    sleeps = Sleeps()
    r = check(server.url("/limited"), sleep=sleeps, retries=2)
    assert (r.status, r.code, r.attempts) == (RATE_LIMITED, 429, 3)
    assert server.hits["/limited"] == 3 and sleeps == [0.0, 0.0]
    assert not r.failed and "after 3 attempts" in r.reason


def test_500_is_retried_with_exponential_backoff_then_error(server):
    sleeps = Sleeps()
    r = check(server.url("/fail"), sleep=sleeps, retries=3, backoff=0.5)
    assert (r.status, r.code, r.attempts) == (ERROR, 500, 4)
    assert server.hits["/fail"] == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert r.failed


def test_timeout_is_retried_then_error(server):
    sleeps = Sleeps()
    start = time.monotonic()
    r = check(server.url("/hang"), sleep=sleeps, retries=1, timeout=CLIENT_TIMEOUT)
    assert time.monotonic() - start < HANG_SECONDS
    assert (r.status, r.attempts) == (ERROR, 2) and "timed out" in r.reason
    assert len(sleeps) == 1 and r.failed


def test_connection_refused_is_error(server):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = check(f"http://127.0.0.1:{port}/x", retries=1)
    assert (r.status, r.attempts) == (ERROR, 2) and "connection failed" in r.reason


# ---------------------------------------------------------------- concurrency and de-duplication


def test_at_most_two_requests_at_once_per_host(server):
    urls = [server.url(f"/slow?i={i}") for i in range(6)]
    results = linkcheck.check_urls(urls, workers=8, timeout=2, sleep=Sleeps())
    assert [r.status for r in results] == [OK] * 6
    assert server.max_active == 2


def test_each_url_is_requested_once(server):
    urls = [server.url("/ok"), server.url("/ok"), server.url("/ok#a"), server.url("/ok#b")]
    results = linkcheck.check_urls(urls, timeout=CLIENT_TIMEOUT, sleep=Sleeps())
    assert [r.url for r in results] == [server.url("/ok"), server.url("/ok#a"), server.url("/ok#b")]
    assert all(r.status == OK for r in results)
    assert server.hits["/ok"] == 1


# ---------------------------------------------------------------- the allow-list


def test_allow_list_prefix_and_regex(server):
    rules, problems = linkcheck.parse_allow(
        textwrap.dedent(
            f"""\
            # hosts that refuse automated checks
            {server.url("/missing")}   # prefix entry with a reason
            re:/g[o]ne$
            """
        )
    )
    assert problems == [] and len(rules) == 2
    urls = [server.url("/missing"), server.url("/missing/deeper"), server.url("/gone"), server.url("/gone/x")]
    results = {r.url: r for r in linkcheck.check_urls(urls, allow=rules, timeout=CLIENT_TIMEOUT, sleep=Sleeps())}
    assert [results[u].status for u in urls] == [SKIPPED, SKIPPED, SKIPPED, BROKEN]
    assert server.hits["/missing"] == 0 and server.hits["/gone"] == 0


def test_allow_list_bad_regex_names_the_line():
    _, (problem,) = linkcheck.parse_allow("# comment\nre:(unclosed\n", "allow.txt")
    assert (problem.path, problem.line) == ("allow.txt", 2) and "regular expression" in problem.message


def test_allow_list_file_in_the_repo_parses():
    _, problems = linkcheck.load_allow()
    assert problems == []
    assert linkcheck.ALLOW.read_text(encoding="utf-8").startswith("#")


# ---------------------------------------------------------------- collecting


def write_docs(tmp_path: Path) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "a.md").write_text(
        textwrap.dedent(
            """\
            # A

            See [CLIP](https://github.com/openai/CLIP) and ![fig](https://example.org/fig.png "F").

            Inline code `[x](https://in-code.example/)` is not a link.

            ```md
            [also code](https://in-fence.example/)
            ```

            <!-- [commented](https://in-comment.example/) -->

            A [local link](b.md#x), a [mail](mailto:a@example.org) and <https://autolink.example/page>.

            <a href="https://example.org/html?a=1&amp;b=2">html</a>

            [ref]: https://refdef.example/
            """
        ),
        encoding="utf-8",
    )
    (docs / "sub" / "b.md").write_text("# B\n\nAgain [CLIP](https://github.com/openai/CLIP).\n", encoding="utf-8")
    (docs / "inc.md").write_text('# Included\n\n--8<-- "EXTRA.md"\n', encoding="utf-8")
    (tmp_path / "EXTRA.md").write_text("Text\n\n[extra](https://extra.example/)\n", encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text(
        textwrap.dedent(
            """\
            @misc{radford2021clip,
              author = {Radford, Alec},
              title = {Learning Transferable Visual Models},
              year = {2021},
              eprint = {2103.00020},
              archivePrefix = {arXiv},
            }

            @inproceedings{he2016resnet,
              author = {He, Kaiming},
              title = {Deep Residual Learning},
              booktitle = {CVPR},
              year = {2016},
              doi = {10.1109/CVPR.2016.90},
              url = {https://github.com/openai/CLIP},
            }

            @misc{some2020page,
              author = {Some, One},
              title = {A Page},
              year = {2020},
              url = {https://example.org/a\\_b},
            }
            """
        ),
        encoding="utf-8",
    )
    return docs, bib


def test_collect(tmp_path):
    docs, bib = write_docs(tmp_path)
    sources = linkcheck.collect(docs, bib)
    short = {url: [(Path(p).name, line) for p, line in places] for url, places in sources.items()}
    assert short == {
        "https://github.com/openai/CLIP": [("a.md", 3), ("b.md", 3), ("refs.bib", 15)],
        "https://example.org/fig.png": [("a.md", 3)],
        "https://autolink.example/page": [("a.md", 13)],
        "https://example.org/html?a=1&b=2": [("a.md", 15)],
        "https://refdef.example/": [("a.md", 17)],
        "https://extra.example/": [("EXTRA.md", 3)],
        "https://arxiv.org/abs/2103.00020": [("refs.bib", 5)],
        "https://doi.org/10.1109/CVPR.2016.90": [("refs.bib", 14)],
        "https://example.org/a_b": [("refs.bib", 22)],
    }
    assert not any("in-" in url for url in sources)  # nothing from code or comments


def test_collect_without_bib(tmp_path):
    docs, _ = write_docs(tmp_path)
    assert "https://arxiv.org/abs/2103.00020" not in linkcheck.collect(docs, None)


# ---------------------------------------------------------------- report and main


def test_report_lists_sources_and_counts():
    results = [
        Result("https://a.example/", OK, 200, "200 OK", attempts=1),
        Result("https://b.example/", BROKEN, 404, "404 Not Found", attempts=1),
        Result("https://c.example/", REDIRECTED, 200, "200 OK", "https://c.example/new", 1),
        Result("https://d.example/", RATE_LIMITED, 429, "429 Too Many Requests (after 3 attempts)", attempts=3),
        Result("https://e.example/", ERROR, None, "timed out (after 3 attempts)", attempts=3),
        Result("https://f.example/", SKIPPED, reason="in the allow-list"),
    ]
    sources = {
        "https://b.example/": [("docs/x.md", 4), ("references.bib", 12)],
        "https://c.example/": [("docs/y.md", 9)],
        "https://d.example/": [("docs/z.md", 1)],
        "https://e.example/": [("docs/z.md", 2)],
    }
    text = linkcheck.render_report(results, sources)
    assert "6 external link(s) checked: 1 ok, 1 redirected, 1 broken, 1 error, 1 rate-limited, 1 skipped" in text
    assert "## Broken (1)" in text and "## Error (1)" in text and "## Rate-limited (1)" in text and "## Redirected (1)" in text
    assert "- <https://b.example/>: 404 Not Found\n  - docs/x.md:4\n  - references.bib:12\n" in text
    assert "- <https://c.example/>: moved permanently to <https://c.example/new>\n  - docs/y.md:9" in text
    assert "timed out (after 3 attempts)\n  - docs/z.md:2" in text
    assert text.index("## Broken") < text.index("## Error") < text.index("## Rate-limited") < text.index("## Redirected")
    assert "https://a.example/" not in text and "https://f.example/" not in text


def run_main(tmp_path: Path, links: list[str], capsys) -> tuple[int, str, str]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text("# Page\n\n" + "".join(f"[link {i}]({u})\n\n" for i, u in enumerate(links)), encoding="utf-8")
    allow = tmp_path / "allow.txt"
    allow.write_text("# nothing allowed\n", encoding="utf-8")
    report = tmp_path / "report.md"
    argv = ["--docs", str(docs), "--bib", str(tmp_path / "none.bib"), "--allow", str(allow)]
    code = linkcheck.main([*argv, "--timeout", str(CLIENT_TIMEOUT), "--retries", "0", "--workers", "4", "--report", str(report)])
    return code, capsys.readouterr().out, report.read_text(encoding="utf-8")


def test_main_exits_1_with_a_broken_link(tmp_path, server, capsys):
    code, out, report = run_main(tmp_path, [server.url("/ok"), server.url("/missing")], capsys)
    assert code == 1
    assert out == report
    assert "1 broken" in report and "page.md:5" in report and server.url("/missing") in report


def test_main_exits_0_when_all_ok_redirected_or_rate_limited(tmp_path, server, capsys):
    code, _, report = run_main(tmp_path, [server.url("/ok"), server.url("/moved"), server.url("/limited")], capsys)
    assert code == 0
    assert "1 ok, 1 redirected, 0 broken, 0 error, 1 rate-limited, 0 skipped" in report


def test_main_exits_1_on_error(tmp_path, server, capsys):
    code, _, report = run_main(tmp_path, [server.url("/fail")], capsys)
    assert code == 1 and "## Error (1)" in report and "500 Internal Server Error" in report


def test_main_exits_2_on_a_bad_allow_list(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    allow = tmp_path / "allow.txt"
    allow.write_text("re:[unclosed\n", encoding="utf-8")
    assert linkcheck.main(["--docs", str(docs), "--bib", str(tmp_path / "none.bib"), "--allow", str(allow)]) == 2
    assert "allow.txt:1: invalid regular expression" in capsys.readouterr().out
