"""The fast source-level checks (`make check`, pre-commit): references.bib and docs/.

Usage: python -m scripts.check
"""

from __future__ import annotations

import sys

from scripts import bib, mdcheck
from scripts.common import BIB, DOCS, report


def run() -> list:
    problems = bib.check(BIB, DOCS)
    try:
        keys = set(bib.load(BIB))
    except (bib.BibSyntaxError, OSError):
        keys = None  # citations cannot be checked against a broken file; its own error says why
    return problems + mdcheck.check_all(DOCS, keys)


def main() -> int:
    return report(run(), "check")


if __name__ == "__main__":
    sys.exit(main())
