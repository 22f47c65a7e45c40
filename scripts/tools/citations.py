"""Citation report: for each entry of references.bib, how often and in which chapters it is
cited; then the most-cited and the uncited entries.

Usage: python -m scripts.tools.citations [--top N]     (`make citations`)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from scripts.sources import bibtex as bib
from scripts.sources.markdown import iter_citations
from scripts.sources.project import BIB, DOCS


def gather(docs: Path = DOCS, bib_path: Path = BIB) -> tuple[list[str], Counter, dict[str, set[str]]]:
    """(all keys in the bibliography, citation count per key, pages citing each key)."""
    keys = sorted(bib.load(bib_path))
    counts: Counter = Counter()
    pages: dict[str, set[str]] = defaultdict(set)
    for citation in iter_citations(docs):
        counts[citation.key] += 1
        pages[citation.key].add(citation.path.relative_to(docs).with_suffix("").as_posix())
    return keys, counts, pages


def render(keys: list[str], counts: Counter, pages: dict[str, set[str]], top: int = 10) -> str:
    cited = [k for k in keys if counts[k]]
    uncited = [k for k in keys if not counts[k]]
    unknown = sorted(set(counts) - set(keys))
    width = max((len(k) for k in keys), default=10)
    lines = [
        f"{sum(counts.values())} citations of {len(cited)} entries in {len({p for s in pages.values() for p in s})} pages; "
        f"{len(keys)} entries in references.bib, {len(uncited)} uncited",
        "",
        f"Most cited (top {top}):",
    ]
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
        lines.append(f"  {key:{width}}  {n:4d}  in {len(pages[key])} page(s)")
    lines += ["", "Uncited entries (cite them or remove them):"] + [f"  {k}" for k in uncited or ["(none)"]]
    if unknown:
        lines += ["", "Cited but not in references.bib:"] + [f"  {k}" for k in unknown]
    lines += ["", "By entry:"]
    for key in keys:
        lines.append(f"  {key:{width}}  {counts[key]:4d}  {', '.join(sorted(pages[key])) or '-'}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args(argv)
    sys.stdout.write(render(*gather(), top=args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
