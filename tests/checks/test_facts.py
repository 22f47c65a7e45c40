"""scripts/checks/facts.py: prose that contradicts the Atlas data fails with its file, line, the
value written and the records it disagrees with; inline references that name no record or several
fail; the false alarms met in the guide (differences, counts, sizes, version digits, other
documents, years, other splits) pass."""

from __future__ import annotations

import textwrap

import pytest

from scripts.checks import facts
from scripts.sources import names as names_src
from scripts.sources.atlas import Atlas, _read
from scripts.tools.build import build
from tests.checks.test_atlas_data import BENCHMARK, MODEL, RESULT
from tests.conftest import GOOD_BIB, write_project

OTHER = MODEL.replace("id: demo-vl", "id: other-vl").replace("name: Demo-VL", "name: Other-VL 2.5")
OTHER = OTHER.replace("released: 2024-05", "released: 2025-01")
TEST_SPLIT = RESULT.replace("split: val", "split: test").replace("value: 61.5", "value: 58.25")
RESULTS = RESULT + TEST_SPLIT + RESULT.replace("model: demo-vl", "model: other-vl").replace("value: 61.5", "value: 70.1")


def atlas(tmp_path) -> Atlas:
    files = {"models": MODEL + OTHER, "benchmarks": BENCHMARK, "results": RESULTS}
    parts = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        parts[name] = _read(path, path.read_text())
    return Atlas(**parts)


def problems(tmp_path, text: str) -> list:
    a = atlas(tmp_path)
    return facts.check_text(textwrap.dedent(text), "docs/x.md", a, names_src.load(a, tmp_path))


@pytest.mark.parametrize(
    ("sentence", "written"),
    [
        ("Demo-VL (June 2024) added video.", "June 2024"),
        ("Demo-VL (2023) added video.", "2023"),
        ("Demo-VL, released in March 2024, added video.", "March 2024"),
        ("Its successor **Other-VL 2.5** (February 2025) added video.", "February 2025"),
        ("Demo-VL-7B (2025) is small.", "2025"),
    ],
)
def test_a_wrong_release_date_fails_with_the_record(tmp_path, sentence, written):
    (p,) = problems(tmp_path, f"# T\n\nFirst line.\n\n{sentence}\n")
    assert p.path == "docs/x.md" and p.line == 5
    assert f"release date '{written}'" in p.message and "models.yaml:" in p.message and "released 20" in p.message


@pytest.mark.parametrize(
    "sentence",
    [
        "Demo-VL (May 2024) added video.",
        "Demo-VL (2024) added video.",
        "Other-VL 2.5, released in January 2025, added video.",
        "The Other-VL 2.5 report (February 2025) came later.",
        "Demo-VL, whose report was posted in June 2024, added video.",
        "Demo-VL was released in {{model demo-vl released}}.",
    ],
)
def test_a_right_or_differently_labelled_date_passes(tmp_path, sentence):
    assert problems(tmp_path, sentence + "\n") == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Demo-VL scored 64.2 on DemoBench.", "64.2"),
        ("On DemoBench, Demo-VL reached 59%.", "59"),
        ("DemoBench scores reached 71.3 for Other-VL 2.5.", "71.3"),
        ("Demo-VL-7B scored 61.4 on DemoBench in its report.", "61.4"),
        ("Demo-VL and Other-VL 2.5 scored 61.5 and 72.0 on DemoBench.", "72.0"),
    ],
)
def test_a_benchmark_number_that_no_record_supports_fails(tmp_path, sentence, value):
    (p,) = problems(tmp_path, f"# T\n\n{sentence}\n")
    assert p.line == 3 and f" {value} on DemoBench matches no record" in p.message
    assert "data/results.yaml:" in p.message or "records: none" in p.message


def test_a_table_row_is_checked_against_its_column(tmp_path):
    table = "| Model | DemoBench |\n| --- | --- |\n| Demo-VL | 61.5 |\n| Other-VL 2.5 | 69.0 |\n"
    (p,) = problems(tmp_path, table)
    assert p.line == 4 and "Other-VL 2.5 69.0 on DemoBench" in p.message and "70.1" in p.message


@pytest.mark.parametrize(
    "sentence",
    [
        "Demo-VL scored 61.5 on DemoBench.",  # the record
        "Demo-VL was the first model above 70% on DemoBench.",  # a threshold, not a score
        "Demo-VL scored 58.25 on DemoBench's test split.",  # another split's record
        "Demo-VL scored 62% on DemoBench.",  # 61.5 rounded to what is written
        "Demo-VL improved on DemoBench by 8.7%.",  # a difference
        "Demo-VL gained 3.5% on DemoBench over its predecessor.",
        "Demo-VL beat Other-VL 2.5 on DemoBench with 54 times fewer parameters.",  # a count
        "Demo-VL has 7.5B parameters and was tested on DemoBench.",  # a size
        "Demo-VL-13B and Claude Opus 4.1 were both tested on DemoBench.",  # version digits
        "Demo-VL was tested on DemoBench in 2024.",  # a year
        "Demo-VL was tested on 183 subfields of DemoBench.",  # an integer count
        "The Demo-VL report lists 99.9 on DemoBench for another model.",  # a document, not the model
        "On DemoBench, Demo-VL beats 63.1% for Transfusion.",  # a score of a name outside the Atlas
        "Demo-VL lifted DemoBench accuracy from 55.0% to 60.2% with more data.",  # a before/after
        "Demo-VL scored 61.5 on DemoBench; a model outside the Atlas reached 99.0.",  # another clause
        "Demo-VL scored {{result demo-vl demo-bench split=val}} on DemoBench.",  # a reference
        "Demo-VL got 22.8, 22.0 and 22.3 points more on DemoBench.",  # a list of differences
        "Demo-VL scored 42.9% on DemoBench without any visual input.",  # blind answering, no image
        "With the images removed from DemoBench, Demo-VL still answered 30.0% of the questions.",
    ],
)
def test_false_alarms_pass(tmp_path, sentence):
    assert problems(tmp_path, sentence + "\n") == []


@pytest.mark.parametrize(
    ("reference", "says"),
    [
        ("{{result demo-vl demo-bench}}", "2 records match"),
        ("{{result demo-vl demo-bench split=dev}}", "no record in data/results.yaml"),
        ("{{result nope demo-bench}}", "no model 'nope'"),
        ("{{result demo-vl nope}}", "no benchmark 'nope'"),
        ("{{model demo-vl colour}}", "unknown fact 'colour'"),
        ("{{result demo-vl demo-bench spilt=val}}", "not spilt"),
        ("{{fact demo-vl}}", "not an Atlas reference"),
    ],
)
def test_an_unresolvable_or_ambiguous_reference_fails(tmp_path, reference, says):
    (p,) = problems(tmp_path, f"# T\n\nIt scored {reference} there.\n")
    assert p.line == 3 and p.message.startswith("Atlas reference") and says in p.message


def test_references_in_code_are_left_alone(tmp_path):
    assert problems(tmp_path, "Write `{{result demo-vl demo-bench}}` like this.\n") == []


def test_make_build_fails_on_a_wrong_month_and_an_unsupported_number(tmp_path):
    pages = {
        "index.md": "# Home\n\nFine [@radford2021clip].\n\nDemo-VL (July 2024) scored 64.2 on DemoBench [@liu2023llava].\n",
        "references.md": "# References\n\n<!-- bibliography -->\n",
    }
    data = {"models": MODEL, "benchmarks": BENCHMARK, "results": RESULT}
    result = build(tmp_path / "site", write_project(tmp_path / "project", pages, GOOD_BIB, data=data))
    assert not result.ok
    shown = [str(p) for p in result.problems]
    assert any(s.startswith("docs/index.md:5: release date 'July 2024' for Demo-VL") for s in shown), shown
    assert any(s.startswith("docs/index.md:5: Demo-VL 64.2 on DemoBench matches no record") for s in shown), shown


def test_a_number_the_atlas_holds_is_reported_as_typed_by_hand(tmp_path):
    """Facts live once: a correct number typed by hand passes the check but is listed in the report
    (with its file, line and the reference to write), while a reference is not."""
    a = atlas(tmp_path)
    text = "# T\n\nDemo-VL scored 61.5 on DemoBench.\n\nOther-VL 2.5 reached {{result other-vl demo-bench}} on DemoBench.\n"
    found, typed = facts.page_findings(text, "docs/x.md", a, names_src.load(a, tmp_path))
    assert found == []
    (t,) = typed
    assert (t.path, t.line) == ("docs/x.md", 3)
    assert "typed by hand" in t.message and "{{result demo-vl demo-bench ...}}" in t.message
    assert "data/results.yaml:" in t.message


def test_a_reference_can_choose_between_records_by_locator(tmp_path):
    """Two records that differ only in where the table prints them are told apart with locator=."""
    a = atlas(tmp_path)
    assert problems(tmp_path, '{{result demo-vl demo-bench split=val locator="Table 2"}}\n') == []
    (p,) = problems(tmp_path, '{{result demo-vl demo-bench split=val locator="Table 9"}}\n')
    assert "no record" in p.message and a is not None
