"""The strict site build (`make build`).

1. The source checks run first (scripts.checks.run, well under a second), so nothing `make check`
   rejects can be published; their problems name the file and line.
2. `mkdocs build --strict` runs without -q (with -q it exits 0 even when there are warnings), and
   any WARNING or ERROR line in its log fails the build here as well.
3. The built HTML is checked (scripts.checks.site).

Usage: python -m scripts.tools.build [--site-dir DIR] [--config-file mkdocs.yml] [--generator mkdocs]
(--generator properdocs runs ProperDocs, the maintained fork of MkDocs 1.x: `make properdocs`.)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from scripts import checks
from scripts.checks.site import check_site
from scripts.sources.project import MKDOCS_YML, ROOT, Problem, Project

_LOG_LINE = re.compile(r"^(WARNING|ERROR)\s*-\s*(.*)$")
_LOCATED = re.compile(r"^(\S+?):(\d+): (.*)$")
_DOC_NAME = re.compile(r"(?:Doc file|file|page) '([^']+\.md)'")


@dataclass
class BuildResult:
    returncode: int
    output: str
    site_dir: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.problems


def build(
    site_dir: Path, config_file: Path = MKDOCS_YML, env: dict[str, str] | None = None, generator: str = "mkdocs"
) -> BuildResult:
    """Check the project's sources, then build it strictly; stop at the first stage that fails.
    `generator` is the module run as `python -m <generator> build` (mkdocs, or properdocs)."""
    problems = checks.run(Project(config_file.parent))
    if problems:
        return BuildResult(1, "", site_dir, sorted(set(problems)))
    cmd = [
        sys.executable,
        "-m",
        generator,
        "build",
        "--strict",
        "--clean",
        "--config-file",
        str(config_file),
        "--site-dir",
        str(site_dir),
    ]
    proc = subprocess.run(cmd, cwd=config_file.parent, capture_output=True, text=True, env={**os.environ, **(env or {})})
    output = proc.stdout + proc.stderr
    problems = []
    docs_dir = config_file.parent / "docs"
    for line in output.splitlines():
        m = _LOG_LINE.match(line.strip())
        if not m:
            continue
        msg = m.group(2).strip()
        located = _LOCATED.match(msg)
        if located:  # already "path:line: message" (the guide's own hook)
            problems.append(Problem(located.group(1), int(located.group(2)), located.group(3)))
            continue
        doc = _DOC_NAME.search(msg)
        where = f"{docs_dir.name}/{doc.group(1)}" if doc else config_file.name
        problems.append(Problem(where, 1, f"{generator} {m.group(1).lower()}: {msg}"))
    if proc.returncode != 0 and not problems:
        tail = output.strip().splitlines()[-1] if output.strip() else "no output"
        problems.append(
            Problem(config_file.name, 1, f"{generator} build failed ({tail}); run 'make check' for file:line details")
        )
    return BuildResult(proc.returncode, output, site_dir, problems)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--site-dir", type=Path, default=ROOT / "site")
    ap.add_argument("--config-file", type=Path, default=MKDOCS_YML)
    ap.add_argument("--generator", choices=("mkdocs", "properdocs"), default="mkdocs")
    args = ap.parse_args(argv)
    result = build(args.site_dir.resolve(), args.config_file.resolve(), generator=args.generator)
    for p in result.problems:
        print(p)
    if not result.ok:
        stage = "the source checks failed" if not result.output else "strict mode: every warning is an error"
        print(f"build: failed ({stage})")
        return 1
    problems = check_site(result.site_dir)
    for p in sorted(problems):
        print(p)
    if problems:
        print(f"build: the built HTML has {len(problems)} problem(s)")
        return 1
    print(f"build: ok, site in {args.site_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
