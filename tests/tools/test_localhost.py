"""scripts/tools/localhost.py: the site served as a static host serves it (for make audit, make pdf
and the browser tests)."""

from __future__ import annotations

import gzip
import http.client
from pathlib import Path

from scripts.tools import localhost


def test_the_static_host_keeps_connections_alive_and_gzips_text(tmp_path: Path):
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>" + "x" * 2000, encoding="utf-8")
    (tmp_path / "a.css").write_text("body{color:red}", encoding="utf-8")
    httpd, base = localhost.serve(tmp_path)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", httpd.server_address[1], timeout=5)
        conn.request("GET", "/", headers={"Accept-Encoding": "gzip"})
        first = conn.getresponse()
        body = first.read()
        assert first.version == 11 and first.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(body).startswith(b"<!doctype html>")
        sock = conn.sock
        conn.request("GET", "/a.css")  # the same connection serves the next request
        second = conn.getresponse()
        assert second.read() == b"body{color:red}" and conn.sock is sock
        assert second.getheader("Cache-Control") == localhost.CACHE_CONTROL
        conn.close()
    finally:
        localhost.stop(httpd)
