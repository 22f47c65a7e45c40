"""When each page was last changed, for the "last updated" line at the bottom of every page.

From git history when the checkout has it: one `git log` call per build. Without history the
answer depends on why: in a tarball (no .git; `git archive` stamps files with the commit time)
the file's modification time is used; in a shallow clone (every file looks freshly changed)
no date is shown rather than a wrong one.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def history_mode(root: Path) -> str:
    """'git' (full history), 'shallow', or 'none' (not a git work tree, or no git)."""
    if (_git(root, "rev-parse", "--is-inside-work-tree") or "").strip() != "true":
        return "none"
    return "shallow" if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true" else "git"


def git_dates(root: Path) -> dict[str, dt.date]:
    """Last commit date of every file with history, by path relative to the repository top."""
    out = _git(root, "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", ".")
    top = (_git(root, "rev-parse", "--show-toplevel") or str(root)).strip()
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in (out or "").splitlines():
        if line.startswith("\0"):
            current = dt.date.fromisoformat(line[1:].strip())
        elif line.strip() and current is not None:
            path = line.strip()
            if prefix not in ("", "."):
                if not path.startswith(prefix + "/"):
                    continue
                path = path[len(prefix) + 1 :]
            dates.setdefault(path, current)
    return dates


class LastUpdated:
    """Dates for files under `root`, computed once (a build asks for every page)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.mode = history_mode(self.root)
        self.dates = git_dates(self.root) if self.mode == "git" else {}

    def date(self, *paths: str) -> dt.date | None:
        """The latest date among `paths` (relative to root), or None when it cannot be known."""
        found = []
        for path in paths:
            if self.mode == "git":
                found.append(self.dates.get(path))
            elif self.mode == "none" and (self.root / path).is_file():
                found.append(dt.datetime.fromtimestamp((self.root / path).stat().st_mtime, dt.UTC).date())
        found = [d for d in found if d]
        return max(found) if found else None


def human(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"
