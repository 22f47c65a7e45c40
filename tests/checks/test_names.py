"""scripts/checks/names.py: one spelling per name. A spelling that scripts/names.yml rules out, a
model or benchmark written another way than the data's name or aliases, an acronym expanded two
ways or against scripts/names.yml, and an acronym used before its page expands it, each fail with
the file and line."""

from __future__ import annotations

import textwrap

import pytest

from scripts.checks import names
from scripts.sources.atlas import Atlas, _read
from tests.checks.test_atlas_data import BENCHMARK, MODEL

NAMES_YML = """\
aliases:
  demo-vl: [DemoVL]
names:
  - name: VQAv2
    not: [VQA v2, VQA 2.0]
acronyms:
  MLP:
    expansion: multilayer perceptron
  VLM:
    expansion: vision-language model
    expand_first: true
  GQA:
    expansion: the GQA benchmark
    not_for: [grouped-query attention]
"""
MODEL_WITH_ALIAS = MODEL.replace("name: Demo-VL\n", "name: Demo-VL 2.5\n  aliases: [Demo VL]\n")


@pytest.fixture
def root(tmp_path):
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "names.yml").write_text(NAMES_YML, encoding="utf-8")
    for name, text in (("models", MODEL_WITH_ALIAS), ("benchmarks", BENCHMARK)):
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / "data" / f"{name}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def run(root, pages: dict[str, str]):
    for name, text in pages.items():
        (root / "docs" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    a = Atlas(
        *(_read(root / "data" / f"{n}.yaml", (root / "data" / f"{n}.yaml").read_text()) for n in ("models", "benchmarks")), []
    )
    return sorted(str(p) for p in names.check(root / "docs", a, root))


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        ("Trained on VQA v2 questions.", "write 'VQAv2', not 'VQA v2'"),
        ("It beat VQA 2.0 baselines.", "write 'VQAv2', not 'VQA 2.0'"),
        ("Demo-VL2.5 is small.", "write 'Demo-VL 2.5', not 'Demo-VL2.5'"),
        ("Demo VL 2.5 is small.", "write 'Demo-VL 2.5', not 'Demo VL 2.5'"),
        ("Scores on Demo Bench rose.", "write 'DemoBench', not 'Demo Bench'"),
    ],
)
def test_a_non_canonical_spelling_fails_with_file_and_line(root, sentence, says):
    (problem,) = run(root, {"x.md": f"# T\n\n{sentence}\n"})
    assert problem.startswith(f"docs/x.md:3: {says}"), problem


@pytest.mark.parametrize(
    "text",
    [
        "VQAv2, Demo-VL 2.5, DemoVL and Demo VL are accepted; DemoBench too.",
        "*Making the VQA v2 Matter*, a title, keeps its own spelling.",
        'The authors wrote "VQA 2.0" in their abstract.',
        "`VQA v2` in code.",
        "A model with an MLP (multilayer perceptron) projector.",
    ],
)
def test_accepted_spellings_titles_quotes_and_code_pass(root, text):
    assert run(root, {"x.md": text + "\n"}) == []


def test_an_acronym_expanded_two_ways_fails_at_each_place(root):
    found = run(
        root,
        {
            "a.md": "A mixture of experts (MoE) routes tokens.\n",
            "b.md": "Text.\n\nA sparse mixture-of-experts (MoE) layer; not safe for work (NSFW) and a mixed-precision (MP) run.\n",
            "c.md": "A mixture of experts (MoE) again, with a multi-layer perceptron (MLP).\n",
        },
    )
    # hyphens between words and plurals do not make a second form; the MLP expansion breaks the rule
    assert len(found) == 1 and found[0].startswith("docs/c.md:1: MLP is expanded 'multilayer perceptron'"), found


def test_two_really_different_expansions_fail(root):
    found = run(root, {"a.md": "A recurrent neural network (RNN).\n", "b.md": "\nA residual neural network (RNN).\n"})
    assert len(found) == 2 and all("RNN is expanded two ways" in p for p in found)
    assert any("a.md:1:" in p for p in found) and any("b.md:2:" in p for p in found)


def test_an_acronym_ruled_out_for_a_meaning_fails(root):
    (problem,) = run(root, {"x.md": "Keys are shared, which is called grouped-query attention (GQA).\n"})
    assert "x.md:1: GQA names the GQA benchmark only" in problem


def test_an_acronym_used_before_its_page_expands_it_fails(root):
    (problem,) = run(root, {"x.md": "# T\n\nA VLM reads images.\n\nA vision-language model (VLM) again.\n"})
    assert "x.md:3: expand VLM at its first use" in problem
    assert run(root, {"x.md": "# T\n\nA vision-language model (VLM) reads images; the VLM answers.\n"}) == []
