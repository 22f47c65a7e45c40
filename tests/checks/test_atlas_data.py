"""scripts/checks/atlas.py: each rule of the Atlas data, fed a broken record, fails with the data
file's name and line and says how to fix it."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from scripts.checks import atlas

MODEL = """\
- id: demo-vl
  name: Demo-VL
  organization: Demo Lab
  released: 2024-05
  paper: radford2021clip
  inputs: [text, image]
  outputs: [text]
  vision_encoder: ViT-L/14
  connector: mlp
  language_model: Demo-LM
  parameters: [7, 13]
  open_weights: true
  license: Apache-2.0
"""
BENCHMARK = """\
- id: demo-bench
  name: DemoBench
  paper: liu2023llava
  measures: questions about images
  metric: accuracy
  scale: [0, 100]
  splits: [val, test]
"""
RESULT = """\
- model: demo-vl
  variant: 7B
  benchmark: demo-bench
  split: val
  setting: zero-shot
  value: 61.5
  source: radford2021clip
  locator: Table 2
  self_reported: true
"""
KEYS = {"radford2021clip", "liu2023llava"}
TODAY = dt.date(2026, 12, 2)


def run(tmp_path, models=MODEL, benchmarks=BENCHMARK, results=RESULT):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for name, text in (("models", models), ("benchmarks", benchmarks), ("results", results)):
        (data / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return [str(p).split("data/", 1)[-1] for p in atlas.check(data, KEYS, TODAY)]


def test_valid_data_passes(tmp_path):
    assert run(tmp_path) == []


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("models", "  license: Apache-2.0\n", "", "models.yaml:1: model 'demo-vl' has no 'license': add it"),
        ("models", "connector: mlp", "connector: adapter", "models.yaml:9: model 'demo-vl': connector 'adapter' must be one of"),
        (
            "models",
            "released: 2024-05",
            "released: 2027-01",
            "models.yaml:4: model 'demo-vl': released '2027-01' must be a month YYYY-MM between 2021-01 and 2026-12",
        ),
        (
            "models",
            "released: 2024-05",
            "released: May 2024",
            "models.yaml:4: model 'demo-vl': released 'May 2024' must be a month",
        ),
        (
            "models",
            "inputs: [text, image]",
            "inputs: [text, pixels]",
            "models.yaml:6: model 'demo-vl': inputs must be a non-empty list from",
        ),
        ("models", "parameters: [7, 13]", "parameters: 7B", "models.yaml:11: model 'demo-vl': parameters must be billions"),
        (
            "models",
            "open_weights: true",
            "open_weights: maybe",
            "models.yaml:12: model 'demo-vl': open_weights must be true or false",
        ),
        (
            "models",
            "paper: radford2021clip",
            "paper: nobody2024x",
            "models.yaml:5: model 'demo-vl': paper 'nobody2024x' is not a key in references.bib",
        ),
        ("models", "id: demo-vl", "id: Demo VL", "models.yaml:1: model 'Demo VL': id must be lower case"),
        (
            "models",
            "  license: Apache-2.0\n",
            "  license: Apache-2.0\n  size: 7\n",
            "models.yaml:14: model 'demo-vl': unknown field 'size'",
        ),
        (
            "benchmarks",
            "metric: accuracy",
            "metric: goodness",
            "benchmarks.yaml:5: benchmark 'demo-bench': metric 'goodness' must be one of",
        ),
        (
            "benchmarks",
            "scale: [0, 100]",
            "scale: [100, 0]",
            "benchmarks.yaml:6: benchmark 'demo-bench': scale must be [lowest, highest]",
        ),
        ("results", "model: demo-vl", "model: ghost-vl", "results.yaml:1: result ghost-vl/demo-bench: unknown model 'ghost-vl'"),
        (
            "results",
            "benchmark: demo-bench",
            "benchmark: ghost",
            "results.yaml:3: result demo-vl/ghost: unknown benchmark 'ghost'",
        ),
        (
            "results",
            "split: val",
            "split: dev",
            "results.yaml:4: result demo-vl/demo-bench: split 'dev' is not one of the benchmark's splits",
        ),
        (
            "results",
            "value: 61.5",
            "value: 615",
            "results.yaml:6: result demo-vl/demo-bench: value 615 is outside the benchmark's scale [0, 100]",
        ),
        ("results", "value: 61.5", "value: '61.5%'", "results.yaml:6: result demo-vl/demo-bench: value must be a number"),
        (
            "results",
            "setting: zero-shot",
            "setting: 4-shot",
            "results.yaml:5: result demo-vl/demo-bench: setting '4-shot' must be zero-shot, few-shot-K",
        ),
        (
            "results",
            "self_reported: true",
            "self_reported: false",
            "results.yaml:9: result demo-vl/demo-bench: the source is the model's own paper, so self_reported must be true",
        ),
        (
            "results",
            "source: radford2021clip",
            "source: ghost2024x",
            "results.yaml:7: result demo-vl/demo-bench: source 'ghost2024x' is not a key in references.bib",
        ),
        ("results", "  locator: Table 2\n", "", "results.yaml:1: result demo-vl/demo-bench has no 'locator'"),
    ],
)
def test_each_broken_record_fails_with_file_line_and_fix(tmp_path, file, old, new, expected):
    texts = {"models": MODEL, "benchmarks": BENCHMARK, "results": RESULT}
    assert old in texts[file]
    texts[file] = texts[file].replace(old, new)
    problems = run(tmp_path, **texts)
    assert any(p.startswith(expected) for p in problems), problems


def test_duplicate_records_fail(tmp_path):
    problems = run(tmp_path, models=MODEL + MODEL, results=RESULT + RESULT)
    assert any(p.startswith("models.yaml:14: duplicate model id 'demo-vl' (first at line 1)") for p in problems), problems
    assert any(
        p.startswith("results.yaml:10: duplicate result (model, variant, benchmark, split, setting, source, locator)")
        for p in problems
    ), problems


def test_two_sources_for_one_number_are_not_duplicates(tmp_path):
    other = RESULT.replace("source: radford2021clip", "source: liu2023llava").replace("value: 61.5", "value: 59.0")
    assert run(tmp_path, results=RESULT + other.replace("self_reported: true", "self_reported: false")) == []


def test_broken_yaml_is_reported_with_its_line(tmp_path):
    (problem,) = run(tmp_path, results=RESULT + "- model: [unclosed\n")
    assert problem.startswith("results.yaml:10: not valid YAML") or problem.startswith("results.yaml:11: not valid YAML"), problem


OTHER_MODEL = MODEL.replace("id: demo-vl", "id: other-vl").replace("name: Demo-VL", "name: Other-VL")


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        (
            MODEL.replace("  name: Demo-VL\n", "  name: Demo-VL\n  aliases: Demo 1\n"),
            "models.yaml:3: model 'demo-vl': aliases must be a list",
        ),
        (
            MODEL.replace("  name: Demo-VL\n", "  name: Demo-VL\n  aliases: [Other-VL]\n") + OTHER_MODEL,
            "models.yaml:3: model 'demo-vl': alias 'Other-VL' is the name or id of model 'other-vl'",
        ),
        (
            MODEL.replace("  name: Demo-VL\n", "  name: Demo-VL\n  aliases: [Demo 1]\n")
            + OTHER_MODEL.replace("  name: Other-VL\n", "  name: Other-VL\n  aliases: [demo  1]\n"),
            "models.yaml:17: model 'other-vl': alias 'demo  1' also names model 'demo-vl' (line 1)",
        ),
        (
            MODEL.replace("  name: Demo-VL\n", "  name: Demo-VL\n  aliases: [Demo 1, DEMO 1]\n"),
            "models.yaml:3: model 'demo-vl': alias 'DEMO 1' is listed twice",
        ),
    ],
)
def test_broken_aliases_fail(tmp_path, models, expected):
    problems = run(tmp_path, models=models)
    assert any(p.startswith(expected) for p in problems), problems


def test_aliases_of_one_model_may_repeat_its_own_id(tmp_path):
    models = MODEL.replace("  name: Demo-VL\n", "  name: Demo-VL\n  aliases: [demo-vl, Demo VL 1.0]\n")
    assert run(tmp_path, models=models) == []


BENCHMARKS_3 = "".join(BENCHMARK.replace("demo-bench", f"bench-{i}").replace("DemoBench", f"Bench {i}") for i in "abc")


def result(bench="demo-bench", value="61.5", source="radford2021clip", extra=""):
    text = RESULT.replace("demo-bench", bench).replace("value: 61.5", f"value: {value}").replace("radford2021clip", source)
    if source != "radford2021clip":
        text = text.replace("self_reported: true", "self_reported: false")
    return text + extra


def test_one_value_on_three_benchmarks_of_one_source_is_flagged(tmp_path):
    results = result("bench-a") + result("bench-b") + result("bench-c")
    problems = run(tmp_path, benchmarks=BENCHMARKS_3, results=results)
    assert len(problems) == 3, problems
    assert problems[0].startswith(
        "results.yaml:6: result demo-vl/bench-a: possible transcription slip: radford2021clip gives demo-vl (7B) the same value 61.5 "
        "on 3 benchmarks (bench-a/val, bench-b/val, bench-c/val): re-read Table 2 of radford2021clip"
    ), problems


def test_two_repeats_or_other_sources_are_not_flagged(tmp_path):
    results = result("bench-a") + result("bench-b") + result("bench-c", value="60.0") + result("bench-c", source="liu2023llava")
    assert run(tmp_path, benchmarks=BENCHMARKS_3, results=results) == []


def test_checked_settles_a_repeat_flag(tmp_path):
    checked = "  checked: Table 2 prints 61.5 in all three columns; kept as printed.\n"
    results = result("bench-a", extra=checked) + result("bench-b", extra=checked) + result("bench-c", extra=checked)
    assert run(tmp_path, benchmarks=BENCHMARKS_3, results=results) == []


def test_value_far_from_every_other_source_is_flagged(tmp_path):
    results = result(value="61.5") + result(value="80.1", source="liu2023llava")
    problems = run(tmp_path, results=results)
    assert problems[0].startswith(
        "results.yaml:6: result demo-vl/demo-bench: possible transcription slip: value 61.5 differs by more than 5 from every other source (80.1 (liu2023llava))"
    ), problems
    assert len(problems) == 2, problems


def test_outlier_among_agreeing_sources_alone_is_flagged(tmp_path):
    third = result(value="61.0", source="liu2023llava").replace("locator: Table 2", "locator: Table 9")
    results = result(value="61.5") + result(value="80.1", source="liu2023llava") + third
    problems = run(tmp_path, results=results)
    assert len(problems) == 1 and problems[0].startswith(
        "results.yaml:15: result demo-vl/demo-bench: possible transcription slip: value 80.1"
    ), problems


def test_benchmark_margin_and_checked_settle_a_difference(tmp_path):
    results = result(value="61.5") + result(value="64.0", source="liu2023llava")
    assert run(tmp_path, results=results) == []  # within the default margin (5% of the scale)
    far = result(value="61.5") + result(value="64.0", source="liu2023llava")
    assert len(run(tmp_path, benchmarks=BENCHMARK + "  margin: 1\n", results=far)) == 2
    checked = "  checked: Both tables re-read; the sources evaluate different releases.\n"
    settled = result(value="61.5", extra=checked) + result(value="64.0", source="liu2023llava", extra=checked)
    assert run(tmp_path, benchmarks=BENCHMARK + "  margin: 1\n", results=settled) == []


@pytest.mark.parametrize(
    ("benchmarks", "results", "expected"),
    [
        (BENCHMARK + "  margin: -1\n", RESULT, "benchmarks.yaml:8: benchmark 'demo-bench': margin must be a positive number"),
        (BENCHMARK, RESULT + "  checked: ''\n", "results.yaml:10: result demo-vl/demo-bench: checked must say what was re-read"),
    ],
)
def test_broken_slip_fields_fail(tmp_path, benchmarks, results, expected):
    problems = run(tmp_path, benchmarks=benchmarks, results=results)
    assert any(p.startswith(expected) for p in problems), problems


# ---- A model's deploy block (the chooser's table) and the chooser markers in the pages ----

DEPLOY = """\
  deploy:
    active_parameters: [null, 3]
    context_length: 32768
    image_tokens: 14-px patches, 2x2 merge
    source: [radford2021clip, liu2023llava]
    verified: 2026-11-30
"""


def test_a_valid_deploy_block_passes(tmp_path):
    assert run(tmp_path, models=MODEL + DEPLOY) == []
    single = DEPLOY.replace("[radford2021clip, liu2023llava]", "radford2021clip").replace(
        "    active_parameters: [null, 3]\n", ""
    )
    assert run(tmp_path, models=MODEL + single) == []
    unstated = DEPLOY.replace("    image_tokens: 14-px patches, 2x2 merge\n", "")  # the card does not say
    assert run(tmp_path, models=MODEL + unstated) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (DEPLOY, "  deploy: yes\n", "models.yaml:14: model 'demo-vl': deploy must be a mapping of source, verified"),
        (
            "    context_length: 32768\n    image_tokens: 14-px patches, 2x2 merge\n",
            "",
            "models.yaml:14: model 'demo-vl': deploy states neither context_length nor image_tokens",
        ),
        (
            "context_length: 32768",
            "context_length: 32K",
            "models.yaml:14: model 'demo-vl': deploy: context_length must be a whole",
        ),
        (
            "image_tokens: 14-px patches, 2x2 merge",
            "image_tokens: ''",
            "models.yaml:14: model 'demo-vl': deploy: image_tokens must be text",
        ),
        (
            "image_tokens: 14-px patches, 2x2 merge",
            "image_tokens: [14, 2]",
            "models.yaml:14: model 'demo-vl': deploy: image_tokens must be text",
        ),
        ("[null, 3]", "[3]", "models.yaml:14: model 'demo-vl': deploy: active_parameters must align with parameters [7, 13]"),
        ("[null, 3]", "3", "models.yaml:14: model 'demo-vl': deploy: active_parameters must align"),
        ("[null, 3]", "[null, 14]", "models.yaml:14: model 'demo-vl': deploy: active_parameters must be billions no larger"),
        (
            "liu2023llava]",
            "ghost2026card]",
            "models.yaml:14: model 'demo-vl': deploy: source 'ghost2026card' is not a key in references.bib",
        ),
        (
            "verified: 2026-11-30",
            "verified: 2026-12-03",
            "models.yaml:14: model 'demo-vl': deploy: verified 2026-12-03 is in the future",
        ),
        (
            "verified: 2026-11-30",
            "verified: November 2026",
            "models.yaml:14: model 'demo-vl': deploy: verified 'November 2026' must be the date",
        ),
        (
            "    verified: 2026-11-30\n",
            "    verified: 2026-11-30\n    tokens: 5\n",
            "models.yaml:14: model 'demo-vl': deploy: unknown field 'tokens'",
        ),
    ],
)
def test_each_broken_deploy_block_fails_with_line_and_fix(tmp_path, old, new, expected):
    assert old in DEPLOY
    problems = run(tmp_path, models=MODEL + DEPLOY.replace(old, new))
    assert any(p.startswith(expected) for p in problems), problems


def test_active_parameters_need_disclosed_sizes(tmp_path):
    models = MODEL.replace("parameters: [7, 13]", "parameters: null") + DEPLOY
    problems = run(tmp_path, models=models)
    assert any("deploy: active_parameters needs parameters" in p for p in problems), problems


def test_chooser_markers_name_known_models_with_a_deploy_block(tmp_path):
    from scripts.sources.atlas import load

    run(tmp_path, models=MODEL + DEPLOY + OTHER_MODEL)
    docs = tmp_path / "docs"
    docs.mkdir()
    page = "# Page\n\nText.\n\n<!-- chooser: demo-vl -->\n\n<!-- chooser: demo-vl other-vl ghost-vl demo-vl -->\n\n<!-- chooser: -->\n"
    (docs / "page.md").write_text(page, encoding="utf-8")
    problems = [str(p) for p in atlas.check_choosers(docs, load(tmp_path / "data"), tmp_path)]
    assert problems == [
        "docs/page.md:7: chooser lists model 'other-vl', which has no deploy block in data/models.yaml: add one "
        '(CONTRIBUTING.md, "How to add to the Atlas") or drop the id',
        "docs/page.md:7: chooser names unknown model 'ghost-vl': add it to data/models.yaml or fix the id",
        "docs/page.md:7: chooser lists model 'demo-vl' twice: keep one",
        "docs/page.md:9: chooser names no model: list the model ids, like '<!-- chooser: qwen3-vl llama-4 -->'",
    ], problems


def numbers_problems(tmp_path, pages: dict[str, str]) -> list[str]:
    from scripts.sources.atlas import load

    run(tmp_path)  # demo-vl, released 2024-05, with one number
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    return [str(p) for p in atlas.check_numbers_pages(docs, load(tmp_path / "data"), tmp_path)]


def test_numbers_pages_that_list_every_model_once_pass(tmp_path):
    pages = {"new.md": "# New\n\n<!-- atlas:numbers since=2025 -->\n", "old.md": "# Old\n\n<!-- atlas:numbers before=2025 -->\n"}
    assert numbers_problems(tmp_path, pages) == []
    (tmp_path / "none").mkdir()
    assert numbers_problems(tmp_path / "none", {"page.md": "# No numbers here\n"}) == []  # a site may leave them out


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (
            {"new.md": "# New\n\n<!-- atlas:numbers since=2025 -->\n"},
            [
                "data/models.yaml:4: model 'demo-vl' (released 2024-05) has numbers that no page lists: widen the range "
                "of an `<!-- atlas:numbers -->` marker or add a page with one"
            ],
        ),
        (
            {"a.md": "# A\n\n<!-- atlas:numbers -->\n", "b.md": "# B\n\ntext\n\n<!-- atlas:numbers since=2020 before=2026 -->\n"},
            ["docs/b.md:5: atlas:numbers 2020 to 2025 lists years that a.md:3 (every year) lists too"],
        ),
        (
            {"a.md": "# A\n\n<!-- atlas:numbers since=24 -->\n<!-- atlas:numbers before=2026 -->\n"},
            ["docs/a.md:3: atlas:numbers takes since=YYYY and before=YYYY, not 'since=24'"],
        ),
        (
            {"a.md": "# A\n\n<!-- atlas:numbers since=2026 before=2025 -->\n<!-- atlas:numbers -->\n"},
            ["docs/a.md:3: atlas:numbers since=2026 before=2025 lists no year: since must come before before"],
        ),
    ],
    ids=["a-model-no-page-lists", "overlapping-ranges", "unreadable-argument", "empty-range"],
)
def test_broken_numbers_markers_fail_with_file_and_line(tmp_path, pages, expected):
    assert numbers_problems(tmp_path, pages) == expected
