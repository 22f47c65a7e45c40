"""Repository conventions: pinned actions, least-privilege workflows, one entry point for checks."""

from __future__ import annotations

import re

import yaml

from scripts.sources.project import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_there_are_ci_and_pages_workflows():
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "pages.yml"} <= names


def test_actions_are_pinned_to_full_commit_shas():
    for path in WORKFLOWS:
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = re.search(r"uses:\s*(\S+)", line)
            if m:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+(/\S+)?@[0-9a-f]{40}", m.group(1)), (
                    f"{path.name}:{n}: pin {m.group(1)} to a commit SHA"
                )


def test_workflows_have_least_privilege_top_level_permissions():
    for path in WORKFLOWS:
        data = yaml.safe_load(path.read_text())
        assert data.get("permissions") == {"contents": "read"}, f"{path.name}: top-level permissions must be contents: read"


def test_ci_and_pre_commit_call_the_same_entry_points():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "bash .ci/run" in (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert "entry: make check" in (ROOT / ".pre-commit-config.yaml").read_text()
