"""Build benchmark (`make bench`): the strict build with mkdocs-bibtex against the same build
without it, interleaved, minimum of N runs each; then the heaviest page's transfer size and the
search index size.

The Atlas's share of the build is the warm strict build minus the same build without its hook.

"cold" builds start with an empty reference cache (every entry formatted once, in memory);
"warm" builds reuse the on-disk cache as repeated local builds do. The baseline drops the bibtex
plugin and runs without --strict, because the References page's #ref- anchors need the plugin.

Usage: python -m scripts.tools.bench [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.sources.project import MKDOCS_YML, ROOT


def baseline_config(tmp: Path, without: str = "bibtex") -> Path:
    """mkdocs.yml without the bibtex plugin (INHERIT keeps everything else identical; the plugin
    list is copied from mkdocs.yml minus bibtex, because INHERIT replaces lists). With
    without="atlas" it is instead the full build without the Atlas hook (its overhead)."""
    import yaml

    from scripts.sources.config import mkdocs_config

    plugins = mkdocs_config(MKDOCS_YML)["plugins"]
    kept = [p for p in plugins if (next(iter(p)) if isinstance(p, dict) else p) != without]
    for plugin in kept:  # paths the plugins read relative to mkdocs.yml, made absolute
        if isinstance(plugin, dict) and "bibtex" in plugin:
            plugin["bibtex"] = {**plugin["bibtex"], "bib_file": str(ROOT / "references.bib")}
        options = plugin.get("print-site") if isinstance(plugin, dict) else None
        if options and options.get("cover_page_template"):
            options["cover_page_template"] = str(ROOT / options["cover_page_template"])
    hooks = [h for h in mkdocs_config(MKDOCS_YML)["hooks"] if Path(h).stem != without]
    path = tmp / f"mkdocs-without-{without}.yml"
    path.write_text(
        f"INHERIT: {MKDOCS_YML}\n"
        f"docs_dir: {ROOT / 'docs'}\n"
        "hooks:\n" + "".join(f"  - {ROOT / hook}\n" for hook in hooks) + f"theme:\n  custom_dir: {ROOT / 'docs' / 'overrides'}\n"
        "watch: []\n"
        f"strict: {'false' if without == 'bibtex' else 'true'}\n" + yaml.safe_dump({"plugins": kept}, sort_keys=False),
        encoding="utf-8",
    )
    return path


def timed_build(config: Path, site: Path, strict: bool, env: dict[str, str]) -> float:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config), "-d", str(site)]
    if strict:
        cmd.insert(4, "--strict")
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env})
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build with {config.name} failed:\n{proc.stdout}{proc.stderr}")
    return elapsed


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        base = baseline_config(tmp)
        no_atlas = baseline_config(tmp, without="atlas")
        warm_cache = tmp / "warm-cache"
        timed_build(MKDOCS_YML, tmp / "site", True, {"GUIDE_CACHE_DIR": str(warm_cache)})  # fill the warm cache
        times: dict[str, list[float]] = {"cold": [], "warm": [], "without": [], "no-atlas": []}
        for i in range(args.runs):  # interleaved, so drift in machine load hits every variant alike
            times["cold"].append(timed_build(MKDOCS_YML, tmp / "site", True, {"GUIDE_CACHE_DIR": str(tmp / f"cold-{i}")}))
            times["warm"].append(timed_build(MKDOCS_YML, tmp / "site", True, {"GUIDE_CACHE_DIR": str(warm_cache)}))
            times["without"].append(timed_build(base, tmp / "site-base", False, {}))
            times["no-atlas"].append(timed_build(no_atlas, tmp / "site-no-atlas", True, {"GUIDE_CACHE_DIR": str(warm_cache)}))
        best = {k: min(v) for k, v in times.items()}
        timed_build(MKDOCS_YML, tmp / "site", True, {"GUIDE_CACHE_DIR": str(warm_cache)})
        weights = page_weights(tmp / "site")
        index = (tmp / "site" / "search" / "search_index.json").read_bytes()
    print(f"builds: minimum of {args.runs} interleaved runs each")
    print(f"  with mkdocs-bibtex, strict, cold cache: {best['cold']:.2f} s   ratio {best['cold'] / best['without']:.2f}")
    print(f"  with mkdocs-bibtex, strict, warm cache: {best['warm']:.2f} s   ratio {best['warm'] / best['without']:.2f}")
    print(f"  without mkdocs-bibtex:                  {best['without']:.2f} s")
    atlas = best["warm"] - best["no-atlas"]
    print(f"  the Atlas (scripts/hooks/atlas.py):     {atlas:+.2f} s of the warm build ({best['no-atlas']:.2f} s without it)")
    total, page, html, assets = weights[0]
    print(f"heaviest page: {page}: {total / 1024:.0f} KiB gzip ({html / 1024:.0f} KiB HTML + {assets} local assets)")
    print(f"search index: {len(index) / 1024:.0f} KiB ({gz(index) / 1024:.0f} KiB gzip)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
