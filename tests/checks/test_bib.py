"""Each rule of scripts/bib.py, fed a broken bibliography: the failure names the line and the fix."""

from __future__ import annotations

import textwrap

import pytest

from scripts.checks.bib import check_text
from tests.samples import RADFORD

GOOD = RADFORD


def problems_for(bib: str, cited: set[str] | None = None):
    text = textwrap.dedent(bib)
    return check_text(text, "references.bib", cited)


def one(bib: str, cited: set[str] | None = None):
    problems = problems_for(bib, cited)
    assert problems, "expected a problem"
    return problems


def test_good_entry_passes():
    assert problems_for(GOOD, {"radford2021clip"}) == []


@pytest.mark.parametrize(
    "bib, line, words",
    [
        (
            "@misc{liu2023llava,\n  author = {Liu, Haotian},\n  title = {Visual Instruction Tuning\n  year = {2023},\n}\n",
            3,
            "closing brace is missing",
        ),
        ("@misc{liu2023llava,\n  author = {Liu, Haotian}\n  title = {Visual Instruction Tuning},\n}\n", 3, "comma missing"),
        ("@misc{liu2023llava,\n  author = {Liu, Haotian},\n  title {Visual Instruction Tuning},\n}\n", 3, "expected '='"),
    ],
)
def test_syntax_errors_name_the_line(bib, line, words):
    (p,) = one(bib)
    assert p.line == line and "syntax error" in p.message and words in p.message


def test_duplicate_key_is_case_insensitive_and_names_both_lines():
    bib = GOOD + "\n" + GOOD.replace("radford2021clip", "Radford2021CLIP").replace("Learning", "Other")
    msgs = [str(p) for p in one(bib)]
    assert any(
        "references.bib:10: duplicate key 'Radford2021CLIP' (first defined as 'radford2021clip' at line 1)" in m for m in msgs
    )


def test_same_work_under_two_keys():
    bib = GOOD + "\n" + GOOD.replace("radford2021clip", "radford2021clipagain")
    msgs = " ".join(str(p) for p in one(bib, {"radford2021clip", "radford2021clipagain"}))
    assert "same title as 'radford2021clip'" in msgs and "same arXiv 2103.00020" in msgs


@pytest.mark.parametrize(
    "drop, etype, missing",
    [
        ("journal", "article", "journal"),
        ("booktitle", "inproceedings", "booktitle"),
        ("year", "inproceedings", "year"),
        ("author", "inproceedings", "author"),
    ],
)
def test_required_fields_per_type(drop, etype, missing):
    bib = GOOD.replace("@inproceedings", f"@{etype}")
    if etype == "article":
        bib = bib.replace("booktitle", "journal")
    bib = "\n".join(line for line in bib.splitlines() if not line.strip().startswith(drop + " "))
    msgs = [p.message for p in one(bib, {"radford2021clip"})]
    assert any(f"missing required field '{missing}'" in m for m in msgs), msgs


def test_misc_needs_url_or_eprint():
    bib = "@misc{openai2023gpt4,\n  author = {OpenAI},\n  title = {GPT-4 Technical Report},\n  year = {2023},\n  doi = {10.48550/arXiv.2303.08774},\n}\n"
    msgs = [p.message for p in one(bib, {"openai2023gpt4"})]
    assert any("missing required field 'url or eprint'" in m for m in msgs)


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("eprint", "2103.0002", "not a valid arXiv ID"),
        ("doi", "https://doi.org/10.1109/CVPR.2016.90", "is not a DOI"),
        ("url", "http://example.org/paper", "must start with https://"),
    ],
)
def test_identifiers_must_be_valid(field, value, words):
    bib = GOOD.replace("  eprint = {2103.00020},\n", f"  {field} = {{{value}}},\n")
    problems = one(bib, {"radford2021clip"})
    assert any(words in p.message and p.line == 6 for p in problems), problems


def test_eprint_needs_archive_prefix():
    bib = GOOD.replace("  archivePrefix = {arXiv},\n", "")
    assert any("archivePrefix" in p.message for p in one(bib, {"radford2021clip"}))


def test_entry_without_identifier():
    bib = GOOD.replace("  eprint = {2103.00020},\n  archivePrefix = {arXiv},\n", "")
    assert any("has no identifier" in p.message for p in one(bib, {"radford2021clip"}))


def test_uncited_entry():
    (p,) = one(GOOD, set())
    assert p.line == 1 and "cited nowhere" in p.message


@pytest.mark.parametrize(
    "key, words",
    [
        ("Radford2021clip", "firstauthorYEARword"),
        ("radford_2021_clip", "firstauthorYEARword"),
        ("radford2020clip", "says 2020 but the entry's year is 2021"),
        ("kim2021clip", "should start with the first author's surname 'radford'"),
    ],
)
def test_key_convention(key, words):
    bib = GOOD.replace("radford2021clip", key)
    assert any(words in p.message for p in one(bib, {key})), problems_for(bib, {key})


def test_unknown_entry_type():
    bib = GOOD.replace("@inproceedings", "@online")
    assert any("has type @online" in p.message for p in one(bib, {"radford2021clip"}))


@pytest.mark.parametrize(
    "title, word",
    [
        ("A {MultiModal} test and MultiModal again", "MultiModal"),
        ("nocaps: novel object captioning", "nocaps"),
        ("Re-LAION 5B", "5B"),
    ],
)
def test_title_words_that_would_lose_their_case(title, word):
    bib = GOOD.replace("Learning Transferable Visual Models From Natural Language Supervision", title)
    problems = problems_for(bib, {"radford2021clip"})
    assert [p.message for p in problems if f"title word '{word}'" in p.message and "brace-protect" in p.message], problems


def test_brace_protected_and_hyphenated_title_words_pass():
    bib = GOOD.replace(
        "Learning Transferable Visual Models From Natural Language Supervision",
        "{nocaps}: {MultiModal} Vision-Language {Re-LAION 5B}",
    )
    assert problems_for(bib, {"radford2021clip"}) == []
