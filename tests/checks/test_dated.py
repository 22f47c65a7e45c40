"""scripts/checks/dated.py: an undated time-sensitive claim fails with its file, line and a fix."""

from __future__ import annotations

import textwrap

import pytest

from scripts import checks
from scripts.checks import dated
from scripts.sources.project import Project


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("This model is the state of the art on MMMU.", "state of the art"),
        ("It reports state-of-the-art results.", "state-of-the-art"),
        ("Most systems currently tile the image.", "currently"),
        ("Today most open models use SigLIP.", "Today"),
        ("The latest release adds video.", "The latest"),
        ("It is the strongest open model.", "the strongest"),
        ("The most recent encoders are native-resolution.", "most recent"),
        ("Leading proprietary models accept audio.", "Leading"),
        ("The best model wins [@radford2021clip].", "The best"),
    ],
)
def test_an_undated_claim_fails_with_file_line_and_fix(sentence, phrase):
    (problem,) = dated.check_text(f"# Title\n\nFirst sentence here. {sentence}\n", "docs/x.md")
    assert str(problem).startswith(f"docs/x.md:3: undated time-sensitive claim '{phrase}': give the sentence its date")
    assert "<!-- undated-ok: reason -->" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "As of mid-2025, the strongest open model is InternVL3.",
        "In 2024 the state of the art on DocVQA was above 90 [@wang2024qwen2vl].",
        "## The state of the art\n",
        "`today` in code, and a block:\n\n```text\nthe latest\n```",
        'The authors called it "the best open model" in their abstract.',
        "The best model here is a definition. <!-- undated-ok: holds at any date -->",
        "A leading cause of failure is blur.",
    ],
)
def test_dated_quoted_heading_code_and_excepted_text_passes(text):
    assert dated.check_text(text + "\n", "docs/x.md") == []


def test_a_year_in_a_citation_key_or_link_is_not_a_date():
    text = "The latest encoder wins [@tschannen2025siglip2]. The best [model](https://example.org/2025/x) wins.\n"
    assert [p.line for p in dated.check_text(text, "docs/x.md")] == [1, 1]


def test_each_sentence_is_judged_alone():
    text = "As of 2025, SigLIP 2 is common. Today, tiling is rare.\n\nIt was the state of the art\nin 2023.\n"
    (problem,) = dated.check_text(text, "docs/x.md")
    assert problem.line == 1 and "'Today'" in problem.message


def test_make_check_runs_the_rule(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(textwrap.dedent("# Home\n\nThe strongest model is here.\n"))
    (tmp_path / "references.bib").write_text("")
    problems = checks.run(Project(tmp_path))
    assert any(str(p).startswith("docs/index.md:3: undated time-sensitive claim 'The strongest'") for p in problems)
