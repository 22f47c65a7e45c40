"""`make lint`'s rules that are not Python: the workflows' security audit (zizmor) and the spelling
standard (American English in the prose). Each runs through its own Makefile target, as `make lint`
and pre-commit run it, on a fixture that breaks the rule and on one that keeps it."""

from __future__ import annotations

import subprocess
import textwrap

from scripts.sources.project import ROOT

CHECKOUT = """\
    name: fixture
    on: [push]
    permissions:
      contents: read
    jobs:
      build:
        runs-on: ubuntu-24.04
        steps:
          - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
            with:
              fetch-depth: 0{extra}
          - run: echo built
    """


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=120
    )


def workflow(tmp_path, extra: str = ""):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "build.yml").write_text(textwrap.dedent(CHECKOUT.format(extra=extra)))
    return folder


def test_a_checkout_that_keeps_its_credentials_fails_the_workflow_audit(tmp_path):
    proc = make("workflows", f"WORKFLOWS={workflow(tmp_path)}")
    assert proc.returncode != 0, "zizmor passed a checkout without persist-credentials: false"
    assert "artipacked" in proc.stdout + proc.stderr and "build.yml" in proc.stdout + proc.stderr


def test_a_checkout_without_credentials_passes_the_workflow_audit(tmp_path):
    proc = make("workflows", f"WORKFLOWS={workflow(tmp_path, chr(10) + 14 * ' ' + 'persist-credentials: false')}")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_project_workflows_pass_the_audit():
    proc = make("workflows")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_british_spelling_in_the_prose_fails_with_its_file_and_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nThe colour of a labelled box.\n")
    proc = make("spelling", f"SPELL_TREE={page}", f"US_PROSE={page}")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert f"{page}:3: colour ==> color" in out and "labelled ==> labeled" in out, out


def test_american_spelling_and_dialogue_pass(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nThe color of a labeled box, and a dialogue between two models.\n")
    proc = make("spelling", f"SPELL_TREE={page}", f"US_PROSE={page}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
