"""Every built page is valid HTML for the Nu HTML Checker (vnu.jar, pinned in tests/browser/package.json).

Needs Java 11+ and `npm ci --prefix tests/browser`; without them the test is skipped (it fails when CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import NoReturn

import pytest

from scripts.sources.project import ROOT

VNU = ROOT / "tests" / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(message: str) -> NoReturn:
    """Same policy as tests/browser/conftest.py: skip locally, fail on CI (CI=true)."""
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def test_every_page_is_valid_html(site: Path):
    java = shutil.which("java")
    if java is None:
        missing("java not found (the Nu HTML checker needs Java 11+): install it with `apt-get install -y default-jre-headless`")
    if not VNU.is_file():
        missing(f"{VNU.relative_to(ROOT)} not found: run `npm ci --prefix tests/browser`")
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no HTML in {site}"
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:  # vnu writes the JSON report on stderr and exits 1 when it found errors
        messages = json.loads(proc.stderr or proc.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar gave no JSON report (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"[:4000])
    grouped: dict[str, list[str]] = defaultdict(list)
    for m in messages:
        if m.get("type") == "info":
            continue
        url = m.get("url", "")
        where = Path(url.removeprefix("file:")).relative_to(site).as_posix() if url.startswith("file:") else url
        grouped[f"{m.get('type')}: {m.get('message')}"].append(f"{where}:{m.get('lastLine', m.get('firstLine', 0))}")
    lines = []
    for message, places in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        more = f" (+{len(places) - 5} more)" if len(places) > 5 else ""
        lines.append(f"{message} [{len(places)}x] at {', '.join(places[:5])}{more}")
    assert not grouped, f"Nu HTML checker: {sum(map(len, grouped.values()))} error(s) in the built site:\n" + "\n".join(lines)
