"""Build benchmark (`make bench`): the strict build with mkdocs-bibtex against the same build
without it, interleaved, minimum of N runs each; then the heaviest page's transfer size, the
heaviest documents against the page budget (scripts/checks/site.py) and the search index size.

The Atlas's share of the build is the warm strict build minus the same build without its hook.

"cold" builds start with an empty reference cache (every entry formatted once, in memory);
"warm" builds reuse the on-disk cache as repeated local builds do. The baseline drops the bibtex
plugin and runs without --strict, because the References page's #ref- anchors need the plugin.

Live reload: `make serve`'s command is started on a free port; a probe sentence is appended to a
chapter (docs/training.md by default) and the served page is fetched every 50 ms until it shows
the sentence; then the chapter is restored (and its restoration awaited). The time from saving to
serving is the live-reload time, without a browser's own reload (a few milliseconds).

Usage: python -m scripts.tools.bench [--runs 3] [--edits 3] [--chapter training.md] [--live-only]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scripts.checks.site import PAGE_BUDGET, UNBUDGETED, page_weight
from scripts.sources.project import MKDOCS_YML, ROOT


@contextmanager
def baseline_config(without: str = "bibtex") -> Iterator[Path]:
    """mkdocs.yml without the bibtex plugin (INHERIT keeps everything else identical; the plugin
    list is copied from mkdocs.yml minus bibtex, because INHERIT replaces lists). With
    without="atlas" it is instead the full build without the Atlas hook (its overhead).

    The file is written beside mkdocs.yml (a hidden name, removed afterwards): the hooks find
    data/, scripts/toc.yml and references.bib relative to the config file, and a baseline kept
    elsewhere silently lost the Atlas pages and the chapter numbers, which overstated the
    plugin's share of the build."""
    import yaml

    from scripts.sources.config import mkdocs_config

    plugins = mkdocs_config(MKDOCS_YML)["plugins"]
    kept = [p for p in plugins if (next(iter(p)) if isinstance(p, dict) else p) != without]
    hooks = [h for h in mkdocs_config(MKDOCS_YML)["hooks"] if Path(h).stem != without]
    path = ROOT / f".bench-without-{without}-{os.getpid()}.yml"
    path.write_text(
        f"INHERIT: {MKDOCS_YML.name}\n"
        "hooks:\n" + "".join(f"  - {hook}\n" for hook in hooks) + "watch: []\n"
        f"strict: {'false' if without == 'bibtex' else 'true'}\n" + yaml.safe_dump({"plugins": kept}, sort_keys=False),
        encoding="utf-8",
    )
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def timed_build(config: Path, site: Path, strict: bool, env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one build. The CPU time (user + system of the build
    process) barely moves when other jobs load the machine; the wall-clock time does."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config), "-d", str(site)]
    if strict:
        cmd.insert(4, "--strict")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env})
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"build with {config.name} failed:\n{proc.stdout}{proc.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# `make serve` (Makefile): a rebuild renders only the pages that the edit touches.
SERVE = ["-m", "mkdocs", "serve", "--dirty"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _wait_for(url: str, present: str | None, absent: str | None, timeout: float) -> float:
    """Seconds until the page at url contains `present` (and not `absent`)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = _fetch(url)
        if text and (present is None or present in text) and (absent is None or absent not in text):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"live reload: {url} did not show the edit within {timeout:.0f} s")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def live_reload(edits: int, chapter: str) -> list[tuple[float, float]]:
    """(seconds from saving an edit to the chapter until the served page shows it, CPU seconds the
    server spent meanwhile), per edit."""
    port = _free_port()
    env = {**os.environ, "GUIDE_PRINT_PAGE": "false"}
    server = subprocess.Popen(
        [sys.executable, *SERVE, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    path = ROOT / "docs" / chapter
    original = path.read_bytes()
    url = f"http://127.0.0.1:{port}/{chapter.removesuffix('.md')}/"
    times = []
    try:
        _wait_for(url, None, None, 600)  # the first, full build
        time.sleep(1)  # let the watcher settle
        for i in range(edits):
            probe = f"Live reload probe {os.getpid()}-{i}."
            cpu = _cpu_seconds(server.pid)
            path.write_bytes(original + f"\n{probe}\n".encode())
            times.append((_wait_for(url, probe, None, 300), _cpu_seconds(server.pid) - cpu))
            path.write_bytes(original)
            _wait_for(url, None, probe, 300)
            time.sleep(1)
    finally:
        path.write_bytes(original)
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return times


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def page_weights(site: Path) -> list[tuple[int, str, int, int]]:
    """(total gzip bytes, page, html gzip bytes, number of local assets) per page."""
    rows = []
    for page in site.rglob("*.html"):
        html = page.read_bytes()
        total, assets = gz(html), 0
        for ref in set(re.findall(rb'(?:<script[^>]+src|<link[^>]+rel="stylesheet"[^>]+href|<img[^>]+src)="([^"#?]+)', html)):
            target = (page.parent / ref.decode()).resolve()
            if target.is_file() and site.resolve() in target.parents:
                total += gz(target.read_bytes())
                assets += 1
        rows.append((total, page.relative_to(site).as_posix(), gz(html), assets))
    return sorted(rows, reverse=True)


def budgeted_documents(site: Path) -> list[tuple[int, str]]:
    """(gzip bytes as the page budget counts them, page) of every page the budget covers, heaviest first."""
    rows = []
    for page in site.rglob("index.html"):
        path = page.parent.relative_to(site).as_posix() + "/"
        if path not in UNBUDGETED:
            rows.append((page_weight(page.read_bytes()), "/" if path == "./" else path))
    return sorted(rows, reverse=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--edits", type=int, default=3, help="edits for the live-reload measurement (0: none)")
    ap.add_argument("--chapter", default="training.md", help="the chapter that is edited, under docs/")
    ap.add_argument("--live-only", action="store_true", help="only the live-reload measurement")
    args = ap.parse_args(argv)
    if not args.live_only:
        builds(args.runs)
    if args.edits:
        results = live_reload(args.edits, args.chapter)
        walls, cpus = sorted(w for w, _ in results), sorted(c for _, c in results)
        shown = ", ".join(f"{w:.2f}" for w, _ in results)
        print(
            f"live reload (make serve): an edit to docs/{args.chapter} served after {walls[len(walls) // 2]:.2f} s"
            f" (median of {len(walls)}: {shown}); the server's CPU time meanwhile {cpus[len(cpus) // 2]:.2f} s"
        )
    return 0


def builds(runs: int) -> None:
    args = argparse.Namespace(runs=runs)
    with tempfile.TemporaryDirectory() as tmp_name, baseline_config() as base, baseline_config("atlas") as no_atlas:
        tmp = Path(tmp_name)
        warm_cache = tmp / "warm-cache"
        timed_build(MKDOCS_YML, tmp / "site", True, {"GUIDE_CACHE_DIR": str(warm_cache)})  # fill the warm cache
        times: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": [], "without": [], "no-atlas": []}
        for i in range(args.runs):  # interleaved, so drift in machine load hits every variant alike
            times["cold"].append(timed_build(MKDOCS_YML, tmp / "site", True, {"GUIDE_CACHE_DIR": str(tmp / f"cold-{i}")}))
            times["warm"].append(timed_build(MKDOCS_YML, tmp / "site", True, {"GUIDE_CACHE_DIR": str(warm_cache)}))
            times["without"].append(timed_build(base, tmp / "site-base", False, {}))
            times["no-atlas"].append(timed_build(no_atlas, tmp / "site-no-atlas", True, {"GUIDE_CACHE_DIR": str(warm_cache)}))
        best = {k: min(wall for wall, _ in v) for k, v in times.items()}
        cpu = {k: min(c for _, c in v) for k, v in times.items()}
        timed_build(MKDOCS_YML, tmp / "site", True, {"GUIDE_CACHE_DIR": str(warm_cache)})
        weights = page_weights(tmp / "site")
        documents = budgeted_documents(tmp / "site")
        index = (tmp / "site" / "search" / "search_index.json").read_bytes()
    print(f"builds: minimum of {args.runs} interleaved runs each; wall-clock time, then CPU time")
    for name, label in (
        ("cold", "with mkdocs-bibtex, strict, cold cache:"),
        ("warm", "with mkdocs-bibtex, strict, warm cache:"),
        ("without", "without mkdocs-bibtex:                 "),
    ):
        ratios = "" if name == "without" else f"   ratio {best[name] / best['without']:.2f}"
        cpu_ratio = "" if name == "without" else f"   ratio {cpu[name] / cpu['without']:.2f}"
        print(f"  {label} {best[name]:5.2f} s{ratios}   CPU {cpu[name]:5.2f} s{cpu_ratio}")
    atlas = best["warm"] - best["no-atlas"]
    print(f"  the Atlas (scripts/hooks/atlas.py):     {atlas:+.2f} s of the warm build ({best['no-atlas']:.2f} s without it)")
    total, page, html, assets = weights[0]
    print(f"heaviest page: {page}: {total / 1024:.0f} KiB gzip ({html / 1024:.0f} KiB HTML + {assets} local assets)")
    shown = ", ".join(f"{page} {weight / 1000:.1f} KB" for weight, page in documents[:4])
    print(f"heaviest documents (gzip, against the {PAGE_BUDGET / 1000:.0f} KB page budget): {shown}")
    print(f"search index: {len(index) / 1024:.0f} KiB ({gz(index) / 1024:.0f} KiB gzip)")


if __name__ == "__main__":
    sys.exit(main())
