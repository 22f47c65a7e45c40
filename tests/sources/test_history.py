"""Last-updated dates: from git history, from file times in a tarball, none in a shallow clone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from scripts.sources.history import LastUpdated, history_mode, human


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def make_repo(root: Path) -> Path:
    root.mkdir()
    git(root, "init", "-q")
    (root / "docs").mkdir()
    (root / "docs" / "a.md").write_text("one\n")
    (root / "docs" / "b.md").write_text("one\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first", date="2024-01-02T10:00:00+00:00")
    (root / "docs" / "a.md").write_text("two\n")
    git(root, "commit", "-qam", "second", date="2025-03-04T10:00:00+00:00")
    return root


def test_dates_come_from_the_last_commit_of_each_file(tmp_path):
    repo = make_repo(tmp_path / "repo")
    last = LastUpdated(repo)
    assert last.mode == "git"
    assert last.date("docs/a.md") == dt.date(2025, 3, 4)
    assert last.date("docs/b.md") == dt.date(2024, 1, 2)
    assert last.date("docs/b.md", "docs/a.md") == dt.date(2025, 3, 4)  # a page with an included file
    assert last.date("docs/new.md") is None  # not committed yet: no date rather than a wrong one


def test_a_shallow_clone_shows_no_date(tmp_path):
    repo = make_repo(tmp_path / "repo")
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(tmp_path / "shallow")], check=True)
    assert history_mode(tmp_path / "shallow") == "shallow"
    assert LastUpdated(tmp_path / "shallow").date("docs/b.md") is None


def test_a_tarball_uses_file_times(tmp_path):
    root = tmp_path / "tarball"
    (root / "docs").mkdir(parents=True)
    page = root / "docs" / "a.md"
    page.write_text("text\n")
    stamp = dt.datetime(2023, 5, 6, 12, tzinfo=dt.UTC).timestamp()
    os.utime(page, (stamp, stamp))
    last = LastUpdated(root)
    assert last.mode == "none"
    assert last.date("docs/a.md") == dt.date(2023, 5, 6)
    assert human(dt.date(2023, 5, 6)) == "6 May 2023"


def test_built_pages_show_their_date_when_history_is_available(site):
    html = (site / "foundations" / "index.html").read_text(encoding="utf-8")
    if history_mode(Path(__file__).resolve().parent.parent) == "git":
        assert "Last updated " in html
    else:
        assert "Last updated " not in html
