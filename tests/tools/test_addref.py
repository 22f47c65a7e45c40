"""scripts/addref.py against a local HTTP server that replays recorded arXiv and Crossref responses.

Nothing here touches the internet: GUIDE_ARXIV_API and GUIDE_CROSSREF_API point at a ThreadingHTTPServer
on 127.0.0.1 (ephemeral port), the bibliographies are tmp_path copies and every retry delay is recorded
instead of slept.
"""

from __future__ import annotations

import socket
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from scripts.checks.bib import check_text
from scripts.sources.bibtex import parse
from scripts.tools import addref, bibfmt
from tests.samples import LLAVA, RADFORD

DATA = Path(__file__).parent / "data" / "addref"
CLIP_XML = (DATA / "arxiv_2103.00020.xml").read_bytes()
BERT_JSON = (DATA / "crossref_N19-1423.json").read_bytes()
CLIP_QUERY = "/api/query?id_list=2103.00020"
BERT_PATH = "/works/10.18653/v1/N19-1423"
# Seconds per request: long enough for a loaded machine running the tests in parallel workers to
# answer from 127.0.0.1 in time (0.3 s was not: a late answer was retried and counted twice).
CLIENT_TIMEOUT = "1.5"
HANG = 6.0  # the hanging handler gives up after this long (or when the test ends), so the server stops by itself

DEVLIN = """\
@inproceedings{devlin2019bert,
  author = {Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina},
  title = {{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding},
  booktitle = {Proceedings of the 2019 Conference of the North American Chapter of the Association for Computational Linguistics},
  year = {2019},
  doi = {10.18653/v1/N19-1423},
  eprint = {1810.04805},
  archivePrefix = {arXiv},
}
"""


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Server:
    url: str
    routes: dict[str, list[Reply]] = field(default_factory=dict)  # path -> replies in order; the last one repeats
    hits: list[tuple[str, str]] = field(default_factory=list)  # (path, User-Agent)
    release: threading.Event = field(default_factory=threading.Event)

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.hits if p == path)


def _handler(state: dict[str, Server]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            server = state["server"]
            server.hits.append((self.path, self.headers.get("User-Agent", "")))
            queue = server.routes.get(self.path)
            if not queue:
                reply = Reply(404, b'{"status":"error","message":"Resource not found."}')
            else:
                reply = queue.pop(0) if len(queue) > 1 else queue[0]
            if reply.delay:
                server.release.wait(reply.delay)
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except OSError:
                pass  # the client gave up (the timeout test): nothing to answer

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def http_server() -> Iterator[Server]:
    state: dict[str, Server] = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state["server"] = Server(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state["server"]
    state["server"].release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=2)


@pytest.fixture
def server(http_server: Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The shared server with fresh routes; both APIs point at it and proxies are bypassed."""
    http_server.routes.clear()
    http_server.hits.clear()
    http_server.release.clear()
    monkeypatch.setenv("GUIDE_ARXIV_API", http_server.url)
    monkeypatch.setenv("GUIDE_CROSSREF_API", http_server.url + "/")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    yield http_server
    http_server.release.set()  # wake any handler still hanging


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def run(sleeps: list[float]):
    """main() with recorded instead of real retry delays and a short per-request timeout."""

    def _run(*argv: str) -> int:
        return addref.main([*argv, "--timeout", CLIENT_TIMEOUT], sleep=sleeps.append)

    return _run


def make_bib(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(bibfmt.format_text("\n".join(entries or (LLAVA,))), encoding="utf-8")
    return path


# --- success -----------------------------------------------------------------------------------------


def test_arxiv_success_writes_a_valid_canonical_entry(server, run, tmp_path, capsys):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    bib = make_bib(tmp_path)
    assert run("2103.00020", "--bib", str(bib)) == 0
    text = bib.read_text(encoding="utf-8")
    entries = {e.key: e for e in parse(text)}
    assert set(entries) == {"liu2023llava", "radford2021learning"}
    e = entries["radford2021learning"]
    assert e.type == "misc"
    authors = e.get("author").split(" and ")
    assert len(authors) == 12
    assert authors[:2] == ["Radford, Alec", "Kim, Jong Wook"] and authors[-1] == "Sutskever, Ilya"
    assert e.get("title") == "Learning Transferable Visual Models From Natural Language Supervision"
    assert (e.get("year"), e.get("eprint"), e.get("archiveprefix")) == ("2021", "2103.00020", "arXiv")
    assert "doi" not in e.fields and "journal" not in e.fields and "booktitle" not in e.fields
    assert check_text(text, str(bib), cited=None) == []
    assert bibfmt.check(bib) == []
    out = capsys.readouterr().out
    assert "@misc{radford2021learning," in out and "cited nowhere" in out and "https://arxiv.org/abs/2103.00020" in out
    assert server.hits == [(CLIP_QUERY, addref.USER_AGENT)]


def test_fetch_arxiv_takes_the_api_as_a_parameter(server, monkeypatch):
    monkeypatch.delenv("GUIDE_ARXIV_API")
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    entry = addref.fetch_arxiv("2103.00020v1", api=server.url, timeout=float(CLIENT_TIMEOUT), sleep=lambda s: None)
    assert entry.get("eprint") == "2103.00020" and entry.get("title").startswith("Learning Transferable")
    assert addref.make_key(entry, []) == "radford2021learning"


def test_arxiv_published_version_adds_doi_but_no_venue(server, run, tmp_path, capsys):
    # A synthetic variant of the recorded feed (10.5555 is Crossref's test prefix): the DOI is kept, no venue is guessed.
    extra = (
        b'<arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.5555/example.123</arxiv:doi>\n'
        b'    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">Example Conference 2021</arxiv:journal_ref>\n'
        b'    <link href="http://arxiv.org/abs/2103.00020v1"'
    )
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML.replace(b'<link href="http://arxiv.org/abs/2103.00020v1"', extra, 1))]
    bib = make_bib(tmp_path)
    assert run("2103.00020", "--bib", str(bib)) == 0
    e = {e.key: e for e in parse(bib.read_text(encoding="utf-8"))}["radford2021learning"]
    assert e.type == "misc" and e.get("doi") == "10.5555/example.123"
    assert not {"journal", "booktitle", "note"} & set(e.fields)
    assert "Example Conference 2021" in capsys.readouterr().out


def test_doi_success_is_inproceedings_with_booktitle(server, run, tmp_path, capsys):
    server.routes[BERT_PATH] = [Reply(body=BERT_JSON, headers={"Content-Type": "application/json"})]
    bib = make_bib(tmp_path)
    bib.chmod(0o644)
    assert run("https://doi.org/10.18653/v1/N19-1423", "--bib", str(bib)) == 0
    text = bib.read_text(encoding="utf-8")
    e = {e.key: e for e in parse(text)}["devlin2019bert"]
    assert e.type == "inproceedings"
    assert e.get("author") == "Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina"
    assert e.get("title") == "{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert e.get("booktitle").startswith("Proceedings of the 2019 Conference of the North American Chapter")
    assert e.get("booktitle").endswith("Volume 1 (Long and Short Papers)")
    assert (e.get("year"), e.get("pages"), e.get("doi")) == ("2019", "4171--4186", "10.18653/v1/N19-1423")
    assert e.get("publisher") == "Association for Computational Linguistics"
    assert "url" not in e.fields
    assert check_text(text, str(bib), cited=None) == [] and bibfmt.check(bib) == []
    assert stat.S_IMODE(bib.stat().st_mode) == 0o644  # the rewrite keeps the file's permissions
    assert "https://doi.org/10.18653/v1/N19-1423" in capsys.readouterr().out
    assert server.hits == [(BERT_PATH, addref.USER_AGENT)]


def test_crossref_types_and_authors_map_to_entries():
    base = {
        "title": ["An <i>Example</i> Article &amp; More"],
        "issued": {"date-parts": [[2020, 5]]},
        "volume": "7",
        "page": "1\u201310",
        "publisher": "Example Press",
        "container-title": ["Journal of Examples"],
    }
    people = [{"name": "The Example Consortium"}, {"given": "Ann", "family": "Smith"}]
    article = addref.entry_from_crossref({**base, "type": "journal-article", "author": people}, "10.5555/a1")
    assert article.type == "article" and article.get("journal") == "Journal of Examples"
    assert article.get("author") == "{The Example Consortium} and Smith, Ann"
    assert article.get("title") == r"An Example Article \& More"
    assert (article.get("volume"), article.get("pages"), article.get("year")) == ("7", "1--10", "2020")
    assert addref.make_key(article, []) == "exampleconsortium2020example"
    other = addref.entry_from_crossref({**base, "type": "posted-content", "author": people[1:]}, "10.5555/a2")
    assert other.type == "misc" and other.get("url") == "https://doi.org/10.5555/a2" and "journal" not in other.fields


# --- identifiers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2103.00020", ("arxiv", "2103.00020")),
        ("arXiv:2103.00020", ("arxiv", "2103.00020")),
        (" ARXIV:2103.00020v2 ", ("arxiv", "2103.00020v2")),
        ("https://arxiv.org/abs/2103.00020v3", ("arxiv", "2103.00020v3")),
        ("http://export.arxiv.org/abs/2103.00020", ("arxiv", "2103.00020")),
        ("https://arxiv.org/pdf/2103.00020v1.pdf", ("arxiv", "2103.00020v1")),
        ("1409.0473", ("arxiv", "1409.0473")),
        ("10.18653/v1/N19-1423", ("doi", "10.18653/v1/N19-1423")),
        ("doi:10.18653/v1/N19-1423", ("doi", "10.18653/v1/N19-1423")),
        ("https://doi.org/10.18653/v1/N19-1423", ("doi", "10.18653/v1/N19-1423")),
        ("https://dx.doi.org/10.1162/neco.1997.9.8.1735", ("doi", "10.1162/neco.1997.9.8.1735")),
        ("10.48550/arXiv.2103.00020", ("arxiv", "2103.00020")),
    ],
)
def test_parse_id_accepts(text, expected):
    assert addref.parse_id(text) == expected


@pytest.mark.parametrize(
    "junk",
    ["", "clip", "2103.0002", "2113.00020", "1501.0001", "cs/0112017", "10.1/x", "https://example.org/abs/2103.00020"],
)
def test_junk_id_exits_2_without_a_request(server, run, tmp_path, capsys, junk):
    bib = make_bib(tmp_path)
    before = bib.read_bytes()
    assert run(junk, "--bib", str(bib)) == 2
    err = capsys.readouterr().err
    assert "usage:" in err and ("neither" in err or "not a valid one" in err) and "copy" in err
    assert server.hits == [] and bib.read_bytes() == before


def test_version_suffix_is_dropped_from_query_and_entry(server, run, tmp_path):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    bib = make_bib(tmp_path)
    assert run("arXiv:2103.00020v2", "--bib", str(bib)) == 0
    assert server.hits == [(CLIP_QUERY, addref.USER_AGENT)]
    assert "eprint = {2103.00020}," in bib.read_text(encoding="utf-8")


# --- failures ----------------------------------------------------------------------------------------


def test_404_says_not_found(server, run, tmp_path, capsys):
    bib = make_bib(tmp_path)
    assert run("10.5555/does-not-exist", "--bib", str(bib)) == 1
    err = capsys.readouterr().err
    assert "not found at Crossref" in err and "check the identifier" in err
    assert server.count("/works/10.5555/does-not-exist") == 1  # a 404 is not retried


def test_retry_succeeds_after_a_500(server, run, sleeps, tmp_path):
    server.routes[BERT_PATH] = [Reply(500, b"Internal Server Error"), Reply(body=BERT_JSON)]
    bib = make_bib(tmp_path)
    assert run("10.18653/v1/N19-1423", "--bib", str(bib)) == 0
    assert server.count(BERT_PATH) == 2 and sleeps == [addref.BACKOFF[0]]
    assert "devlin2019bert" in bib.read_text(encoding="utf-8")


def test_persistent_429_gives_up_after_bounded_retries(server, run, sleeps, tmp_path, capsys):
    server.routes[CLIP_QUERY] = [Reply(429, b"Rate exceeded.", {"Retry-After": "3600"})]
    bib = make_bib(tmp_path)
    before = bib.read_bytes()
    assert run("2103.00020", "--bib", str(bib)) == 1
    assert server.count(CLIP_QUERY) == addref.ATTEMPTS == 3
    assert sleeps == [addref.RETRY_AFTER_CAP] * 2  # Retry-After honoured, but capped
    err = capsys.readouterr().err
    assert "did not answer after 3 attempts (HTTP 429" in err and "try again" in err
    assert bib.read_bytes() == before


def test_connection_refused_is_retried_then_explained(server, run, sleeps, tmp_path, capsys, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on any more
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GUIDE_ARXIV_API", f"http://127.0.0.1:{port}")
    assert run("2103.00020", "--bib", str(make_bib(tmp_path))) == 1
    err = capsys.readouterr().err
    assert "did not answer after 3 attempts (connection failed" in err and "check your connection" in err
    assert sleeps == list(addref.BACKOFF)


def test_api_without_scheme_is_explained(server, run, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GUIDE_CROSSREF_API", "api.crossref.org")
    assert run("10.18653/v1/N19-1423", "--bib", str(make_bib(tmp_path))) == 1
    assert "give the API as https://host" in capsys.readouterr().err


def test_retry_after_header_forms():
    assert addref.retry_after("5") == 5.0
    assert addref.retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert addref.retry_after("soon") is None and addref.retry_after(None) is None


def test_timeout_fails_with_a_clear_message(server, run, sleeps, tmp_path, capsys):
    server.routes[BERT_PATH] = [Reply(body=BERT_JSON, delay=HANG)]
    bib = make_bib(tmp_path)
    start = time.monotonic()
    assert run("10.18653/v1/N19-1423", "--bib", str(bib)) == 1
    assert time.monotonic() - start < HANG
    err = capsys.readouterr().err
    assert f"no answer within {CLIENT_TIMEOUT} s" in err and "--timeout" in err
    assert server.count(BERT_PATH) == 3 and len(sleeps) == 2


@pytest.mark.parametrize(
    "path, body, ident, words",
    [
        (CLIP_QUERY, (DATA / "malformed.xml").read_bytes(), "2103.00020", "not valid XML"),
        (CLIP_QUERY, b'{"not": "atom"}', "2103.00020", "not valid XML"),
        (BERT_PATH, (DATA / "malformed.json").read_bytes(), "10.18653/v1/N19-1423", "not valid JSON"),
        (BERT_PATH, b'{"status": "ok", "message-type": "work"}', "10.18653/v1/N19-1423", "without a work record"),
        ("/api/query?id_list=2501.99999", (DATA / "arxiv_empty.xml").read_bytes(), "2501.99999", "not found at arXiv"),
        ("/api/query?id_list=2502.00001", (DATA / "arxiv_error.xml").read_bytes(), "2502.00001", "not found at arXiv"),
        ("/api/query?id_list=2501.99999", CLIP_XML, "2501.99999", "instead of arXiv 2501.99999"),
    ],
)
def test_bad_responses_exit_1_with_a_next_step(server, run, tmp_path, capsys, path, body, ident, words):
    server.routes[path] = [Reply(body=body)]
    bib = make_bib(tmp_path)
    before = bib.read_bytes()
    assert run(ident, "--bib", str(bib)) == 1
    err = capsys.readouterr().err
    assert words in err and any(hint in err for hint in ("check", "try again", "by hand"))
    assert bib.read_bytes() == before


# --- duplicates, keys, writing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "existing, route, reply, ident, key",
    [
        (RADFORD, CLIP_QUERY, CLIP_XML, "2103.00020v1", "radford2021clip"),
        (DEVLIN, BERT_PATH.lower(), BERT_JSON, "https://doi.org/10.18653/v1/n19-1423", "devlin2019bert"),
    ],
)
def test_duplicate_exits_1_without_writing_or_asking(server, run, tmp_path, capsys, existing, route, reply, ident, key):
    server.routes[route] = [Reply(body=reply)]
    bib = make_bib(tmp_path, existing, LLAVA)
    before = bib.read_bytes()
    assert run(ident, "--bib", str(bib)) == 1
    assert f"already present as '{key}'" in capsys.readouterr().err
    assert bib.read_bytes() == before
    assert server.hits == []  # the identifier is already in the file: no request needed


def test_duplicate_found_after_the_lookup(server, tmp_path):
    # The file has BERT under its arXiv ID only; the DOI lookup returns the same title, so add() refuses it.
    server.routes[BERT_PATH] = [Reply(body=BERT_JSON)]
    bib = make_bib(tmp_path, DEVLIN.replace("  doi = {10.18653/v1/N19-1423},\n", ""))
    before = bib.read_bytes()
    entry = addref.fetch_crossref("10.18653/v1/N19-1423", api=server.url, timeout=float(CLIENT_TIMEOUT), sleep=lambda s: None)
    with pytest.raises(addref.AlreadyPresent, match="already present as 'devlin2019bert' \\(same title\\)"):
        addref.add(entry, bib)
    assert bib.read_bytes() == before


def test_duplicate_by_title(server, run, tmp_path, capsys):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    same_title = RADFORD.replace("  eprint = {2103.00020},\n  archivePrefix = {arXiv},\n", "  url = {https://example.org/c},\n")
    bib = make_bib(tmp_path, same_title)
    assert run("2103.00020", "--bib", str(bib)) == 1
    assert "already present as 'radford2021clip' (same title)" in capsys.readouterr().err


def test_key_collision_gets_a_suffix(server, run, tmp_path):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    other = (
        "@misc{radford2021learning,\n  author = {Radford, Alec},\n  title = {Another Work},\n  year = {2021},\n"
        "  url = {https://example.org/another},\n}\n"
    )
    bib = make_bib(tmp_path, other)
    assert run("2103.00020", "--bib", str(bib)) == 0
    text = bib.read_text(encoding="utf-8")
    assert [e.key for e in parse(text)] == ["radford2021learning", "radford2021learningb"]
    assert check_text(text, str(bib), cited=None) == [] and bibfmt.check(bib) == []


def test_make_key_skips_stopwords_and_taken_keys_in_any_case():
    fields = {"author": "Ng, Andrew and Doe, Jane", "title": "On the {CLIP}-like Models", "year": "2024"}
    entry = addref.Entry("misc", "", 0, fields)
    assert addref.make_key(entry, []) == "ng2024clip"
    assert addref.make_key(entry, ["NG2024CLIP", "ng2024clipb"]) == "ng2024clipc"
    assert addref.title_word("Towards a Theory of Everything") == "theory"


@pytest.mark.parametrize(
    "name, expected",
    [("Jong Wook Kim", "Kim, Jong Wook"), ("Laurens van der Maaten", "van der Maaten, Laurens"), ("Aristotle", "Aristotle")],
)
def test_bibtex_name(name, expected):
    assert addref.bibtex_name(name) == expected


def test_explicit_key_is_used(server, run, tmp_path):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    bib = make_bib(tmp_path)
    assert run("2103.00020", "--key", "radford2021clip", "--bib", str(bib)) == 0
    assert "@misc{radford2021clip," in bib.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "key, words",
    [("liu2023llava", "already used by another work"), ("CLIP", "breaks the rules"), ("kim2021clip", "first author's surname")],
)
def test_bad_explicit_key_exits_1_without_writing(server, run, tmp_path, capsys, key, words):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    bib = make_bib(tmp_path)
    before = bib.read_bytes()
    assert run("2103.00020", "--key", key, "--bib", str(bib)) == 1
    assert words in capsys.readouterr().err
    assert bib.read_bytes() == before


def test_dry_run_prints_and_writes_nothing(server, run, tmp_path, capsys):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    bib = make_bib(tmp_path)
    before = bib.read_bytes()
    assert run("2103.00020", "--dry-run", "--bib", str(bib)) == 0
    out = capsys.readouterr().out
    assert out.startswith("@misc{radford2021learning,\n  author = {Radford, Alec and Kim, Jong Wook and")
    assert "nothing was written" in out
    assert bib.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["references.bib"]


def test_whole_file_is_rewritten_sorted_and_canonical(server, run, tmp_path):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    bib = tmp_path / "references.bib"
    bib.write_text(LLAVA.replace("  ", "    ") + "\n\n" + DEVLIN, encoding="utf-8")  # unsorted, odd indentation
    assert run("2103.00020", "--bib", str(bib)) == 0
    text = bib.read_text(encoding="utf-8")
    assert [e.key for e in parse(text)] == ["devlin2019bert", "liu2023llava", "radford2021learning"]
    assert bibfmt.check(bib) == [] and check_text(text, str(bib), cited=None) == []


def test_broken_bib_is_not_touched(server, run, tmp_path, capsys):
    server.routes[CLIP_QUERY] = [Reply(body=CLIP_XML)]
    bib = tmp_path / "references.bib"
    bib.write_text("@misc{liu2023llava,\n  title = {Visual Instruction Tuning\n", encoding="utf-8")
    before = bib.read_bytes()
    assert run("2103.00020", "--bib", str(bib)) == 1
    assert "fix the file first" in capsys.readouterr().err
    assert bib.read_bytes() == before
