"""The built guide served on 127.0.0.1 as a static host serves it: gzip for text types, kept-alive
connections, a short cache lifetime, no access log. `make audit`, `make pdf` and the browser tests
all read the site through it.
"""

from __future__ import annotations

import functools
import gzip
import io
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
CACHE_CONTROL = "max-age=600"  # what GitHub Pages sends


class StaticHostHandler(SimpleHTTPRequestHandler):
    """Static files with Content-Encoding: gzip for text types and a Cache-Control header; no access log.

    Connections are kept alive (HTTP/1.1), as on every static host: the standard library's default,
    HTTP/1.0 with a new connection per request, would have Lighthouse charge each stylesheet a
    connection set-up that no reader's browser pays (GitHub Pages serves HTTP/2).
    """

    protocol_version = "HTTP/1.1"

    _gzipped: dict[Path, bytes] = {}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's signature)
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts_gzip and ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        body = self._gzipped.get(path)
        if body is None:
            body = self._gzipped[path] = gzip.compress(path.read_bytes(), 9)
        self.send_response(200)
        self.send_header("Content-Type", ctype if not ctype.startswith("text/") else f"{ctype}; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class StaticHost(ThreadingHTTPServer):
    """A browser that closes a connection mid-response (it navigated away while the Atlas's matrix
    was fetching a numbers page) is routine for a static host: no traceback for it."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    """`site` served on 127.0.0.1 (an ephemeral port) from a daemon thread: (the server, its base URL
    ending in '/'). Stop it with stop()."""
    httpd = StaticHost(("127.0.0.1", 0), functools.partial(StaticHostHandler, directory=str(site)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, name="guide-http", daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def stop(httpd: ThreadingHTTPServer) -> None:
    httpd.shutdown()
    httpd.server_close()
